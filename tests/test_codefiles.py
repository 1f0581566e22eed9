"""The files a format's code is made of: a plugin package's modules, not its data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from converter import codefiles, registry
from tests.conftest import installed_folder


def test_a_plugin_package_without_a_record_stamps_its_modules_not_its_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin format in a package its dist-info lists no files of put every file of the
    package's folder in each run's key: a package of 50,000 pictures cost each run some
    800 ms of stat calls. Only its module files are stamped now (a helper module beside
    it, or in a subpackage, still is), not its data."""
    package = tmp_path / "picpkg"
    (package / "sub").mkdir(parents=True)
    (package / "pictures").mkdir()
    (package / "my-data").mkdir()
    for name in ("__init__.py", "helpers.py", "sub/__init__.py", "sub/more.py",
                 "pictures/drawn.py", "my-data/unimportable.py", "pictures/a.png",
                 "notes.txt"):
        (package / name).write_text("", encoding="utf-8")
    (package / "fmt.py").write_text("from converter.registry import Format\n"
                                    "class P(Format):\n    name = 'pic'\n",
                                    encoding="utf-8")
    dist = tmp_path / "picpkg-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: picpkg\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[muscle_convert.formats]\npic = picpkg.fmt:P\n")
    for _ in installed_folder(tmp_path, monkeypatch, "picpkg.fmt"):
        files = codefiles.code_files([registry.get_format("pic")])
        sys.modules.pop("picpkg", None)
    assert files == {str(package / name) for name in (
        "__init__.py", "fmt.py", "helpers.py", "sub/__init__.py", "sub/more.py",
        "pictures/drawn.py")}


def test_the_distributions_of_plugin_formats_are_named_not_muscle_converts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a plugin's distribution requires is in a run's key: it is named by the
    package that registered its format (as its metadata spells it); the built-in
    formats' own package is not (what it requires is in every key)."""
    (tmp_path / "reqplug.py").write_text("from converter.registry import Format\n"
                                         "class R(Format):\n    name = 'req'\n",
                                         encoding="utf-8")
    dist = tmp_path / "Req_Plug-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: Req.Plug\nVersion: 1.0\n"
                                   "Requires-Dist: titles-lib\n")
    (dist / "entry_points.txt").write_text("[muscle_convert.formats]\nreq = reqplug:R\n")
    for _ in installed_folder(tmp_path, monkeypatch, "reqplug"):
        formats = [registry.get_format(name) for name in ("req", "json", "anki")]
        assert codefiles.code_distributions(formats) == ("Req.Plug",)
        assert codefiles.code_distributions(formats[1:]) == ()
