"""The module files an editable install exposes, found from what it recorded (its .pth,
the import hook that imports, its direct_url.json), and the bound on what is watched;
plugins installed editable by the real backends: tests/test_codefiles.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converter import editable
from converter.sitedists import SiteDistribution


def _files(folder: Path, *names: str) -> None:
    """Empty files ``names`` (paths below ``folder``), their folders made."""
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("", encoding="utf-8")


def _installed(site: Path, pth: str, project: Path | None, *listed: str,
               editable_: bool = True) -> SiteDistribution:
    """A dist-info in ``site`` whose RECORD lists the .pth ``pth`` (written) and
    ``listed``, and whose direct_url.json names ``project`` (none when None)."""
    dist = site / "plug-1.0.dist-info"
    dist.mkdir(parents=True)
    (site / "plug.pth").write_text(pth, encoding="utf-8")
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plug\nVersion: 1.0\n")
    (dist / "RECORD").write_text("".join(f"{name},,\n" for name in (
        "plug.pth", *listed, "plug-1.0.dist-info/METADATA", "plug-1.0.dist-info/RECORD")))
    if project is not None:
        (dist / "direct_url.json").write_text(json.dumps(
            {"url": project.as_uri(), "dir_info": {"editable": editable_}}))
    return SiteDistribution(dist)


def test_a_path_pth_watches_the_modules_and_packages_in_its_folder_bounded(
        tmp_path: Path) -> None:
    """Of the folder a .pth puts on the path: its modules, then its regular packages
    in name order, each whole until one is more than what is left of the bound; not
    its folders that are no package (docs, build output, a venv), nor data files."""
    project, site = tmp_path / "project", tmp_path / "site"
    _files(project, "helpers.py", "setup.py", "notes.txt", "my-script.py",
           "aplug/__init__.py", "aplug/fmt.py", "aplug/sub/deep.py", "aplug/pic.png",
           "big/__init__.py", "big/a.py", "big/b.py", "big/c.py",
           "zsmall/__init__.py", "docs/conf.py", "build/lib/aplug/fmt.py",
           ".venv/lib/site.py", "aplug/__pycache__/fmt.cpython-311.pyc")
    dist = _installed(site, f"{project}\n", project)
    expected = {str(project / name) for name in (
        "helpers.py", "setup.py", "aplug/__init__.py", "aplug/fmt.py",
        "aplug/sub/deep.py")}
    assert editable.exposed_files(dist, most=6) == expected
    assert editable.exposed_files(dist) == expected | {str(project / name) for name in (
        "big/__init__.py", "big/a.py", "big/b.py", "big/c.py", "zsmall/__init__.py")}


def test_what_lies_outside_the_project_or_is_no_editable_install_is_not_watched(
        tmp_path: Path) -> None:
    """A .pth folder or a hook's path outside the folder direct_url.json names is not
    the project's; a distribution whose direct_url.json says it is no editable install
    has nothing watched, nor has one without a direct_url.json (see
    test_a_distribution_without_a_direct_url_is_no_editable_install). The project named
    through a link (as pip names it) is where it links to."""
    project, other = tmp_path / "project", tmp_path / "elsewhere"
    _files(project, "src/helpers.py", "src/plug/__init__.py", "mapped.py")
    _files(other, "stray.py", "strays/__init__.py")
    hook = ("from editables.redirector import RedirectingFinder as F\nF.install()\n"
            f"F.map_module('mapped', {str(project / 'mapped.py')!r})\n"
            f"F.map_module('strays', {str(other / 'strays' / '__init__.py')!r})\n")
    pth = f"{project / 'src'}\n{other}\nimport _hook\n"
    (tmp_path / "link").symlink_to(project)  # (pip install -e ./link names the link)
    for name, project_, editable_ in (("a", project, True), ("b", project, False),
                                      ("c", None, True), ("d", tmp_path / "link", True)):
        site = tmp_path / name
        dist = _installed(site, pth, project_, "_hook.py", editable_=editable_)
        (site / "_hook.py").write_text(hook, encoding="utf-8")
        files = editable.exposed_files(dist)
        inside = {str(project / f) for f in ("src/helpers.py", "src/plug/__init__.py",
                                             "mapped.py")}
        outside = {str(other / f) for f in ("stray.py", "strays/__init__.py")}
        assert files == {"a": inside, "b": set(), "c": set(), "d": inside}[name]
        assert not outside <= files


def test_a_setuptools_finder_s_mapping_is_watched(tmp_path: Path) -> None:
    """The names a finder's MAPPING maps (setuptools' editable install, for one made
    without top_level.txt) are watched: a package's folder whole, a module's file."""
    project, site = tmp_path / "project", tmp_path / "site"
    _files(project, "plug/__init__.py", "plug/fmt.py", "helper.py", "unmapped.py")
    mapping = {"plug": str(project / "plug"), "helper": str(project / "helper.py")}
    dist = _installed(site, "import __editable___plug_1_0_finder; "
                            "__editable___plug_1_0_finder.install()\n",
                      project, "__editable___plug_1_0_finder.py")
    (site / "__editable___plug_1_0_finder.py").write_text(
        f"MAPPING: dict[str, str] = {mapping!r}\n", encoding="utf-8")
    assert editable.exposed_files(dist) == {str(project / name) for name in (
        "plug/__init__.py", "plug/fmt.py", "helper.py")}


def test_a_distribution_without_a_direct_url_is_no_editable_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin from an index (hatchling-built, so no top_level.txt) has no
    direct_url.json, which PEP 660 has every installer write for an editable install:
    it was taken for one that may be editable with no project to bound it, so every run
    read its RECORD and watched the modules of any folder its .pth names and any
    absolute path in a hook it imports, anywhere on disk. Only a direct_url.json saying
    {"dir_info": {"editable": true}} is an editable install now: the others (none, one
    that cannot be read, a wheel's archive_info, a folder installed not editable) have
    nothing watched and no RECORD read."""
    elsewhere = tmp_path / "elsewhere"
    _files(elsewhere, "stray.py", "strays/__init__.py", "strays/more.py")
    hook = f"F.map_module('strays', {str(elsewhere / 'strays' / '__init__.py')!r})\n"
    pth = f"{elsewhere}\nimport _hook\n"
    records: list[str] = []
    read_text = SiteDistribution.read_text

    def counted(self: SiteDistribution, filename: str) -> str | None:
        records.extend([str(self)] if filename == "RECORD" else [])
        return read_text(self, filename)

    monkeypatch.setattr(SiteDistribution, "read_text", counted)
    urls = {"none": None, "unreadable": "{not json",
            "wheel": json.dumps({"url": (tmp_path / "plug-1.0-py3-none-any.whl").as_uri(),
                                 "archive_info": {}}),
            "folder": json.dumps({"url": elsewhere.as_uri(), "dir_info": {}}),
            "editable": json.dumps({"url": elsewhere.as_uri(),
                                    "dir_info": {"editable": True}})}
    for name, url in urls.items():
        site = tmp_path / name
        dist = _installed(site, pth, None, "_hook.py")
        (site / "_hook.py").write_text(hook, encoding="utf-8")
        if url is not None:
            (site / "plug-1.0.dist-info" / "direct_url.json").write_text(url)
        records.clear()
        files = editable.exposed_files(dist)
        if name == "editable":  # (the same install, said to be editable: watched)
            assert files == {str(elsewhere / f) for f in (
                "stray.py", "strays/__init__.py", "strays/more.py")}
            assert records == [str(dist)]
        else:
            assert (name, files, records) == (name, set(), [])
