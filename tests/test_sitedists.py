"""Distributions and entry points found on sys.path without importlib.metadata, as it
finds them."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from converter import sitedists
from converter.registry import ENTRY_POINT_GROUP
from tests.waits import WAIT

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _seen(eps: list) -> list[tuple[str, str, str]]:
    """Each entry point's name, value and the metadata folder of its distribution."""
    return [(ep.name, ep.value, str(ep.dist._path)) for ep in eps]


def _dist_info(folder: Path, stem: str, entry_points: str = "", record: str | None = None
               ) -> Path:
    """A metadata folder ``stem.dist-info`` in ``folder`` with these files."""
    dist = folder / f"{stem}.dist-info"
    dist.mkdir(parents=True)
    name = stem.partition("-")[0]
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
                                   encoding="utf-8")
    if entry_points:
        (dist / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    if record is not None:
        (dist / "RECORD").write_text(record, encoding="utf-8")
    return dist


@pytest.mark.parametrize("group", [ENTRY_POINT_GROUP, "console_scripts"])
def test_the_entry_points_installed_are_importlib_metadatas(group: str) -> None:
    assert _seen(sitedists.entry_points(group)) == _seen(
        list(importlib.metadata.entry_points(group=group)))


def test_distributions_of_a_name_are_importlib_metadatas() -> None:
    for name in ("muscle-convert", "PyYAML", "ruamel.yaml", "ruamel_yaml", "click"):
        found = sitedists.distribution(name)
        assert str(found._path) == str(importlib.metadata.distribution(name)._path)
    assert sitedists.distribution("no-such-distribution-here") is None


def test_the_files_of_a_record_are_importlib_metadatas() -> None:
    ours = sitedists.distribution("muscle-convert")
    theirs = importlib.metadata.distribution("muscle-convert")
    assert [str(f) for f in ours.files] == [str(f) for f in theirs.files]
    assert {str(ours.locate_file(f)) for f in ours.files} == {
        str(theirs.locate_file(f)) for f in theirs.files}


def test_the_first_of_one_name_on_the_path_wins(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Of two installs of one distribution (by its normalized name) the first on the
    path gives the entry points; a name told apart in other spelling is the same one."""
    group = "[muscle_convert.formats]\n"
    _dist_info(tmp_path / "a", "Twice_Over-2.0", f"# a comment\n{group}tw = first:F\n")
    _dist_info(tmp_path / "b", "twice.over-1.0", f"{group} tw = second:F [extra]\n",
               "second.py,,\n")
    _dist_info(tmp_path / "b", "other-1.0", f"[console_scripts]\nx = y\n\n{group}\n"
               "ot=other.mod:Deep.Class\n")
    egg = tmp_path / "b" / "eggy.egg-info"
    egg.mkdir()
    (egg / "entry_points.txt").write_text(f"{group}eg = eggy:E\n", encoding="utf-8")
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: eggy\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "b"))
    monkeypatch.syspath_prepend(str(tmp_path / "a"))
    ours = sitedists.entry_points(ENTRY_POINT_GROUP)
    assert sorted(_seen(ours)) == sorted(_seen(
        list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))))
    assert {ep.name: ep.value for ep in ours if ep.name in ("tw", "ot", "eg")} == {
        "tw": "first:F", "ot": "other.mod:Deep.Class", "eg": "eggy:E"}
    deep = next(ep for ep in ours if ep.name == "ot")
    assert (deep.module, deep.attr) == ("other.mod", "Deep.Class")
    assert str(sitedists.distribution("twice-over")._path) == str(
        importlib.metadata.distribution("twice-over")._path)
    eggy = sitedists.distribution("eggy")
    assert eggy.name == "eggy"


def test_a_record_and_no_record_give_importlib_metadatas_files(tmp_path: Path) -> None:
    """A ``RECORD`` (quoted names too) is read as importlib.metadata reads it; a
    dist-info without one has no files, an egg-info's ``SOURCES.txt`` is asked of it."""
    listed = _dist_info(tmp_path, "listed-1.0",
                        record='listed.py,sha256=x,10\n"a,b.py",,\nlisted-1.0.dist-info/RECORD,,\n')
    bare = _dist_info(tmp_path, "bare-1.0")
    egg = tmp_path / "old.egg-info"
    egg.mkdir()
    (egg / "SOURCES.txt").write_text("old.py\nsetup.py\n", encoding="utf-8")
    for folder in (listed, bare, egg):
        ours = sitedists.SiteDistribution(folder)
        theirs = importlib.metadata.PathDistribution(folder)
        assert (None if ours.files is None else [str(f) for f in ours.files]) == (
            None if theirs.files is None else [str(f) for f in theirs.files])


def test_an_entry_point_loads_what_it_names(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "loadme.py").write_text("class Outer:\n    class Inner:\n        pass\n",
                                        encoding="utf-8")
    _dist_info(tmp_path, "loadme-1.0", "[muscle_convert.formats]\nlm = loadme:Outer.Inner\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "loadme", raising=False)
    ep = next(ep for ep in sitedists.entry_points(ENTRY_POINT_GROUP) if ep.name == "lm")
    assert ep.load() is sys.modules["loadme"].Outer.Inner
    with pytest.raises(ValueError):
        sitedists.SiteEntryPoint("bad", "no module here!", ENTRY_POINT_GROUP, ep.dist).load()


def test_a_zip_on_the_path_is_read_by_importlib_metadata(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A zip file on the path (which only importlib.metadata reads) makes it the one
    asked: a plugin installed there is found."""
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\n")
        zf.writestr("zipped-1.0.dist-info/entry_points.txt",
                    "[muscle_convert.formats]\nzp = zipped:Z\n")
    monkeypatch.syspath_prepend(str(archive))
    assert "zp" in [ep.name for ep in sitedists.entry_points(ENTRY_POINT_GROUP)]
    assert sitedists.distribution("zipped") is not None


def test_a_replayed_run_imports_no_importlib_metadata(tmp_path: Path) -> None:
    """A run that replays the last one (nothing changed) finds its formats and the
    versions of its libraries without importlib.metadata, which imports email,
    zipfile and shutil's compressors (a tenth of such a run)."""
    out, cache = tmp_path / "m.json", tmp_path / "cache"
    args = ["convert", str(SAMPLES), "--to", "json", "-o", str(out), "--cache-dir", str(cache)]
    code = ("import sys\nfrom converter.cli import main\nsys.argv = ['muscle-convert', *"
            f"{args!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('importlib.metadata')),"
            " file=sys.stderr)")
    said = []
    for _ in range(2):  # (from tmp_path: no checkout's egg-info on the path)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, timeout=WAIT, cwd=tmp_path)
        said.append(done.stderr)
    assert "up to date" in said[1]
    assert json.loads(said[1].strip().splitlines()[-1].replace("'", '"')) == []


def test_a_finder_of_distributions_of_its_own_is_asked_through_importlib_metadata(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finder on sys.meta_path that finds distributions (a plugin installed where
    no folder on the path holds it) makes importlib.metadata the one asked."""
    dist = _dist_info(tmp_path, "elsewhere-1.0", "[muscle_convert.formats]\new = ew:E\n")

    class Finder:
        @staticmethod
        def find_spec(*args: object) -> None:
            return None

        @staticmethod
        def find_distributions(context: object = None) -> list:
            wanted = getattr(context, "name", None)
            return [importlib.metadata.PathDistribution(dist)] if wanted in (
                None, "elsewhere") else []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert "ew" in [ep.name for ep in sitedists.entry_points(ENTRY_POINT_GROUP)]
    assert str(sitedists.distribution("elsewhere")._path) == str(dist)


def test_within_listed_once_each_folder_of_the_path_is_listed_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache key asks for every library its libraries require in turn (some twenty):
    each asked listed every folder on the path again. Within ``listed_once`` each is
    listed once, and the distributions found are those found without it; after it, a
    distribution installed meanwhile is found."""
    _dist_info(tmp_path, "first-1.0")
    monkeypatch.syspath_prepend(str(tmp_path))
    names = ["first", "muscle-convert", "PyYAML", "no-such-distribution", "click"]
    alone = [str(getattr(sitedists.distribution(name), "_path", None)) for name in names]
    listed: list[str] = []
    listdir = sitedists.os.listdir
    monkeypatch.setattr(sitedists.os, "listdir",
                        lambda path=".": (listed.append(path), listdir(path))[1])
    with sitedists.listed_once():
        together = [str(getattr(sitedists.distribution(name), "_path", None))
                    for name in names]
        _dist_info(tmp_path, "second-1.0")
        assert sitedists.distribution("second") is None
    assert together == alone
    assert alone[0] == str(tmp_path / "first-1.0.dist-info") and alone[3] == "None"
    assert sorted(listed) == sorted(entry or "." for entry in dict.fromkeys(sys.path))
    assert str(sitedists.distribution("second")._path) == str(tmp_path / "second-1.0.dist-info")
