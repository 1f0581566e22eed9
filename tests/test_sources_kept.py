"""What a run reads, as the output folder it writes asks: its sources are never the
tool's files to replace or remove, and the run says once that it keeps them."""

from __future__ import annotations

from pathlib import Path

from converter.diagnostics import Diagnostic
from converter.discovery import Input
from converter.marker import Marker
from converter.registry import get_format
from converter.sources_kept import read_of, reading, tell_kept, tool_files


def _folder(tmp_path: Path) -> Path:
    """An output folder holding a.md, b.md and a data package's folder pkg."""
    folder = tmp_path / "site"
    (folder / "pkg").mkdir(parents=True)
    for name in ("a.md", "b.md", "index.html"):
        (folder / name).write_text("x", encoding="utf-8")
    return folder


def test_outside_a_run_nothing_is_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert read_of(folder, {"a.md", "b.md"}) == set()
    assert tool_files(folder, Marker(frozenset({"a.md", "index.html"}))) == {
        "a.md", "index.html"}


def test_the_files_a_run_reads_are_its_sources_not_the_tools(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    markdown = get_format("markdown")
    inputs = [Input(str(folder / "a.md"), markdown), Input(str(tmp_path / "c.md"), markdown)]
    with reading(inputs, lambda _: None):
        assert read_of(folder, {"a.md", "b.md", "index.html"}) == {"a.md"}
        assert tool_files(folder, Marker(frozenset({"a.md", "b.md", "index.html"}))) == {
            "b.md", "index.html"}
    assert read_of(folder, {"a.md"}) == set()  # (the run is over)


def test_a_folder_read_whole_is_all_the_runs(tmp_path: Path) -> None:
    """A folder named as a source (``convert . -o .``), or read as one input (a data
    package): every file in it is read."""
    folder = _folder(tmp_path)
    for whole in (Input(str(folder), get_format("markdown")),
                  Input(str(folder / "pkg"), get_format("csv"))):
        place = folder if whole.path == str(folder) else folder / "pkg"
        with reading([whole], lambda _: None):
            assert read_of(place, {"a.md", "x.csv"}) == {"a.md", "x.csv"}


def test_kept_sources_are_said_once_per_folder(tmp_path: Path) -> None:
    said: list[Diagnostic] = []
    with reading([], said.append):
        tell_kept("site", 2)
        tell_kept("site", 2)
        tell_kept("other", 0)
        tell_kept("one", 1)
    assert [(d.path, d.code, d.severity, d.message) for d in said] == [
        ("site", "sources-kept", "warning", "kept 2 files this run read (its sources) that "
         "an earlier run wrote here: they are yours now, not replaced or removed by a later "
         "run"),
        ("one", "sources-kept", "warning", "kept 1 file this run read (its sources) that an "
         "earlier run wrote here: it is yours now, not replaced or removed by a later run")]


def test_a_file_read_through_a_link_of_another_name_is_read(tmp_path: Path) -> None:
    """The inputs were taken by their names only: ``notes/calf.md``, a link to
    ``site/a.md``, did not make ``a.md`` read. The very same file is read, as is the one
    a link in a symlinked folder names; a file no more there is not."""
    folder = _folder(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "calf.md").symlink_to(folder / "a.md")
    (tmp_path / "shelf").symlink_to(tmp_path / "notes", target_is_directory=True)
    markdown = get_format("markdown")
    for path in ("notes/calf.md", "shelf/calf.md"):
        with reading([Input(str(tmp_path / path), markdown)], lambda _: None):
            assert read_of(folder, {"a.md", "b.md", "gone.md"}) == {"a.md"}
            assert tool_files(folder, Marker(frozenset({"a.md", "b.md"}))) == {"b.md"}


def test_a_file_of_the_folder_hard_linked_or_linked_to_a_source_is_read(
        tmp_path: Path) -> None:
    """The folder's listing picks the names to look at (their inodes): a hard link to
    a file read, a link to one and a file of the folder moved aside (``holder``) are
    read; files of other inodes are not, nor is a name the folder does not hold."""
    folder = _folder(tmp_path)
    source = tmp_path / "calf.md"
    source.write_text("x", encoding="utf-8")
    (folder / "hard.md").hardlink_to(source)
    (folder / "soft.md").symlink_to(source)
    aside = tmp_path / "aside"
    aside.mkdir()
    (aside / "moved.md").hardlink_to(source)
    (aside / "other.md").write_text("x", encoding="utf-8")
    with reading([Input(str(source), get_format("markdown"))], lambda _: None):
        assert read_of(folder, {"a.md", "b.md", "hard.md", "soft.md", "gone.md"}) == {
            "hard.md", "soft.md"}
        assert read_of(folder, {"moved.md", "other.md"}, aside) == {"moved.md"}
