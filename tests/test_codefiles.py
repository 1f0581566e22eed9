"""The files a format's code is made of: a plugin package's modules, not its data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from converter import codefiles, registry
from tests.conftest import SAMPLES, installed_folder
from tests.waits import WAIT


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


#: The finder setuptools' editable install puts in site-packages (its ``.pth`` imports
#: it and calls install()), cut down: each top-level name mapped to the project's
#: folder, which is not on the path.
_FINDER = '''
import os
import sys
from importlib.machinery import PathFinder
from importlib.util import spec_from_file_location

MAPPING = {MAPPING!r}


class _EditableFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname in MAPPING:
            base = MAPPING[fullname]
            if os.path.isdir(base):
                return spec_from_file_location(fullname, os.path.join(base, "__init__.py"),
                                               submodule_search_locations=[base])
            return spec_from_file_location(fullname, base + ".py")
        parent, _, child = fullname.rpartition(".")
        if parent in MAPPING:
            return PathFinder.find_spec(fullname, path=[MAPPING[parent]])
        return None


def install():
    if _EditableFinder not in sys.meta_path:
        sys.meta_path.append(_EditableFinder)
'''


def _editable(tmp_path: Path) -> tuple[Path, Path]:
    """A plugin installed editable as setuptools installs one: the format module
    ``single_fmt`` using a helper module beside it (``helper_mod``) and a sibling
    package (``sibpkg``), in a project folder; in a site folder, the ``.pth`` and finder
    that map them there and a dist-info whose RECORD lists those alone, and whose
    top_level.txt names the three. Gives (project, site folder)."""
    project, site = tmp_path / "project", tmp_path / "site"
    (project / "sibpkg").mkdir(parents=True)
    site.mkdir()
    (project / "single_fmt.py").write_text(
        "import helper_mod\nimport sibpkg\nfrom converter.registry import Format\n\n\n"
        "class Single(Format):\n    name, extensions = 'single', ('.single',)\n"
        "    carries = frozenset({'slug'})\n\n"
        "    def write(self, muscles, out, ctx):\n"
        "        out.write_text(''.join(m.slug + helper_mod.TAG + sibpkg.MARK + '\\n'\n"
        "                               for m in muscles))\n", encoding="utf-8")
    (project / "helper_mod.py").write_text("TAG = ' c'\n", encoding="utf-8")
    (project / "sibpkg" / "__init__.py").write_text("from sibpkg.deep import MARK\n",
                                                   encoding="utf-8")
    (project / "sibpkg" / "deep.py").write_text("MARK = '!'\n", encoding="utf-8")
    mapping = {name: str(project / name) for name in ("single_fmt", "helper_mod", "sibpkg")}
    finder = "__editable___single_plug_1_0_finder"
    (site / f"{finder}.py").write_text(_FINDER.replace("{MAPPING!r}", repr(mapping)),
                                       encoding="utf-8")
    (site / "__editable__.single_plug-1.0.pth").write_text(
        f"import {finder}; {finder}.install()\n", encoding="utf-8")
    dist = site / "single_plug-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: single-plug\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[muscle_convert.formats]\n"
                                           "single = single_fmt:Single\n")
    (dist / "top_level.txt").write_text("helper_mod\nsibpkg\nsingle_fmt\n")
    (dist / "RECORD").write_text("".join(f"{name},,\n" for name in (
        "__editable__.single_plug-1.0.pth", f"{finder}.py",
        "single_plug-1.0.dist-info/METADATA", "single_plug-1.0.dist-info/entry_points.txt",
        "single_plug-1.0.dist-info/top_level.txt", "single_plug-1.0.dist-info/RECORD")))
    return project, site


def test_an_editable_plugin_stamps_every_module_its_distribution_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an editable install only the format module's outermost package was stamped
    (a top-level module: itself alone), so a helper module beside it or a sibling
    package, edited, left the run replayed. Every top-level module and package the
    distribution names (top_level.txt), found where the finder maps it, is now."""
    import importlib

    project, folder = _editable(tmp_path)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    for _ in installed_folder(folder, monkeypatch, "single_fmt"):
        # (what its .pth does as the interpreter starts)
        importlib.import_module("__editable___single_plug_1_0_finder").install()
        files = codefiles.code_files([registry.get_format("single")])
        for name in ("helper_mod", "sibpkg", "sibpkg.deep",
                     "__editable___single_plug_1_0_finder"):
            sys.modules.pop(name, None)
    assert {str(project / name) for name in (
        "single_fmt.py", "helper_mod.py", "sibpkg/__init__.py", "sibpkg/deep.py")} <= files
    assert str(folder / "__editable___single_plug_1_0_finder.py") in files


def test_an_edited_helper_of_an_editable_plugin_is_no_replay(tmp_path: Path) -> None:
    """The command line: an editable plugin's helper module edited after a run was
    replayed, its output stale ('up to date'); it is written anew now. A replay asks
    no importlib.metadata still."""
    import json
    import os
    import subprocess

    from tests.conftest import SAMPLES
    from tests.waits import WAIT

    project, folder = _editable(tmp_path)
    source = tmp_path / "soleus.md"
    source.write_bytes((SAMPLES / "soleus.md").read_bytes())
    os.utime(source, (1_600_000_000, 1_600_000_000))  # (not modified moments ago)
    out = tmp_path / "out.single"
    code = (f"import site, sys\nsite.addsitedir({str(folder)!r})\n"
            "from converter.cli import main\nsys.argv = ['muscle-convert', 'convert', "
            f"{str(source)!r}, '--to', 'single', '-o', {str(out)!r}, '--cache-dir', "
            f"{str(tmp_path / 'cache')!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('importlib.metadata')),"
            " file=sys.stderr)")

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, timeout=WAIT, cwd=tmp_path)  # (no
        return done.stderr  # checkout's egg-info on the path)

    assert "up to date" not in run()
    assert out.read_text() == "soleus c!\n"
    replayed = run()
    assert "up to date" in replayed
    assert json.loads(replayed.strip().splitlines()[-1].replace("'", '"')) == []
    (project / "helper_mod.py").write_text("TAG = ' d'\n", encoding="utf-8")
    assert "up to date" not in run()
    assert out.read_text() == "soleus d!\n"
    (project / "sibpkg" / "deep.py").write_text("MARK = '?'\n", encoding="utf-8")
    assert "up to date" not in run()
    assert out.read_text() == "soleus d?\n"


#: The plugin's format, in its package ``myplug``: each muscle's slug and the tag of
#: ``myplug_helpers``, a top-level module or package outside ``myplug``.
_FORMAT = '''import myplug_helpers
from converter.registry import Format


class Plug(Format):
    name, extensions = "plug", (".plug",)
    carries = frozenset({"slug"})

    def write(self, muscles, out, ctx):
        out.write_text("".join(m.slug + myplug_helpers.TAG + "\\n" for m in muscles))
'''
_PROJECT = '''[build-system]
requires = ["{backend}"]
build-backend = "{api}"

[project]
name = "myplug"
version = "1.0"
description = "A plugin format"

[project.entry-points."muscle_convert.formats"]
plug = "myplug.fmt:Plug"
'''
#: Each backend's editable install: (its build requirement, its build API, what its
#: pyproject.toml says of the build, the helper's file). By a path .pth (the project's
#: folder on the path: the helper beside ``myplug/`` importable, though no wheel holds
#: it), or by an import hook mapping the names the build holds (``editables``).
BACKENDS = {
    "hatchling": ("hatchling", "hatchling.build",
                  '[tool.hatch.build.targets.wheel]\npackages = ["myplug"]\n',
                  "myplug_helpers.py"),
    "flit": ("flit_core", "flit_core.buildapi", "", "myplug_helpers.py"),
    "pdm-backend": ("pdm-backend", "pdm.backend", "", "myplug_helpers.py"),
    "hatchling-exact": ("hatchling", "hatchling.build",
                        "[tool.hatch.build.targets.wheel]\n"
                        'only-include = ["myplug", "myplug_helpers.py"]\n'
                        "dev-mode-exact = true\n", "myplug_helpers.py"),
    "pdm-backend-editables": ("pdm-backend", "pdm.backend",
                              '[tool.pdm.build]\neditable-backend = "editables"\n'
                              'includes = ["myplug/", "myplug_helpers/"]\n',
                              "myplug_helpers/__init__.py"),
}


def install_editable(project: Path, site: Path) -> None:
    """``pip install -e project`` into the folder ``site`` (``--target``), built by the
    backend its pyproject.toml names, as installed here: no index, no build isolation,
    no dependencies (nothing from the network)."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "--no-build-isolation", "--no-index",
                    "--no-deps", "--target", str(site), "-e", str(project)],
                   check=True, capture_output=True, timeout=WAIT)


def _plugin(tmp_path: Path, backend: str) -> tuple[Path, Path]:
    """The plugin project for ``backend`` (see :data:`BACKENDS`), installed editable
    into a site folder; gives (the helper's file, the site folder)."""
    requirement, api, build, helper = BACKENDS[backend]
    project, site = tmp_path / "project", tmp_path / "site"
    (project / "myplug").mkdir(parents=True)
    (project / "myplug" / "__init__.py").write_text("", encoding="utf-8")
    (project / "myplug" / "fmt.py").write_text(_FORMAT, encoding="utf-8")
    (project / helper).parent.mkdir(exist_ok=True)
    (project / helper).write_text("TAG = ' a'\n", encoding="utf-8")
    (project / "pyproject.toml").write_text(
        _PROJECT.format(backend=requirement, api=api) + "\n" + build, encoding="utf-8")
    install_editable(project, site)
    assert not list(site.glob("*.dist-info/top_level.txt"))  # (what the fix is for)
    return project / helper, site


def convert_with_site(site: Path, tmp_path: Path) -> tuple[str, str]:
    """A ``convert`` of soleus to the plugin's format, in a Python that has ``site``
    as a site folder (its .pth files run): (what it said, the output's text). It says,
    last, which ``importlib.metadata`` modules it imported."""
    source, out = tmp_path / "soleus.md", tmp_path / "out.plug"
    if not source.exists():
        source.write_bytes((SAMPLES / "soleus.md").read_bytes())
        os.utime(source, (1_600_000_000, 1_600_000_000))  # (not modified moments ago)
    code = (f"import site, sys\nsite.addsitedir({str(site)!r})\n"
            "from converter.cli import main\nsys.argv = ['muscle-convert', 'convert', "
            f"{str(source)!r}, '--to', 'plug', '-o', {str(out)!r}, '--cache-dir', "
            f"{str(tmp_path / 'cache')!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('importlib.metadata')),"
            " file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=WAIT, cwd=tmp_path)  # (no checkout's
    return done.stderr, out.read_text(encoding="utf-8")  # egg-info on the path)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_an_edited_helper_of_a_plugin_installed_editable_is_no_replay(
        tmp_path: Path, backend: str) -> None:
    """A plugin installed editable by a backend that writes no top_level.txt had only
    its format's own package watched: its helper module outside it, edited, left the
    next run replayed ('up to date', the output stale). The modules its editable
    install exposes are watched now: the run after the edit writes anew. A replay
    still asks no importlib.metadata."""
    helper, site = _plugin(tmp_path, backend)
    said, written = convert_with_site(site, tmp_path)
    assert "up to date" not in said
    assert written == "soleus a\n"
    said, written = convert_with_site(site, tmp_path)
    assert "up to date" in said
    assert json.loads(said.strip().splitlines()[-1].replace("'", '"')) == []
    helper.write_text("TAG = ' bb'\n", encoding="utf-8")
    said, written = convert_with_site(site, tmp_path)
    assert "up to date" not in said
    assert written == "soleus bb\n"
