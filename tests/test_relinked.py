"""A run's sources that an output folder's swap linked anew: the stamps the links gave
them are the run's only where it is proven the links alone changed them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from converter.cache import stamp
from converter.discovery import Input
from converter.registry import get_format
from converter.relinked import look_before, settle, watching
from converter.sources_kept import reading


def _folder(tmp_path: Path) -> tuple[Path, list[Input]]:
    """An output folder holding two sources the run reads (one in a folder of its
    own) and a note it does not read."""
    folder = tmp_path / "content"
    (folder / "part").mkdir(parents=True)
    for name in ("a.md", "part/b.md", "notes.txt"):
        (folder / name).write_text(f"title: {name}\n", encoding="utf-8")
    markdown = get_format("markdown")
    return folder, [Input(str(folder / name), markdown) for name in ("a.md", "part/b.md")]


def _relinked(folder: Path, names: list[str]) -> dict[str, tuple[int, int] | None]:
    """Link each of ``names`` (paths from ``folder``) into another folder and remove
    that link again, as a swap does (the old folder removed): the file's ctime moves.
    Return their identities, by path, as the swap notes what it linked."""
    spare = folder.parent / "spare"
    spare.mkdir(exist_ok=True)
    linked: dict[str, tuple[int, int] | None] = {}
    for name in names:
        os.link(folder / name, spare / "link")
        os.unlink(spare / "link")
        st = os.lstat(folder / name)
        linked[name] = st.st_dev, st.st_ino
    return linked


def test_outside_a_watched_run_nothing_is_looked_at(tmp_path: Path) -> None:
    folder, inputs = _folder(tmp_path)
    for watched in (False, True):
        with reading(inputs, lambda _: None), watching(watched) as moved:
            if not watched:
                look_before(folder, ["a.md"])
            settle(folder, _relinked(folder, ["a.md"]))
        assert moved == {}


def test_the_sources_the_links_alone_changed_take_the_stamps_they_have_now(
        tmp_path: Path) -> None:
    folder, inputs = _folder(tmp_path)
    names = ["a.md", os.path.join("part", "b.md")]
    before = {name: stamp(folder / name) for name in names}
    with reading(inputs, lambda _: None), watching() as moved:
        look_before(folder, ["a.md", "notes.txt", "part"])
        settle(folder, _relinked(folder, [*names, "notes.txt"]))
    assert moved == {before[name]: stamp(folder / name) for name in names}


def _in_place(path: Path) -> None:
    """An edit of the same size, its mtime put back."""
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").upper(), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _replaced(path: Path) -> None:
    """An editor's save: a new file of the same bytes renamed over it."""
    new = path.with_name("new")
    new.write_bytes(path.read_bytes())
    os.replace(new, path)


def _touched(path: Path) -> None:
    os.utime(path)


@pytest.mark.parametrize("edit", [_in_place, _replaced, _touched, Path.unlink])
def test_a_source_changed_between_its_look_and_the_swap_keeps_its_old_stamp(
        tmp_path: Path, edit: Callable[[Path], None]) -> None:
    """One changed after it was looked at, but for the links (its bytes, even where its
    size and mtime are put back; or another file put in its place, or none), is not
    taken as moved: the run's record keeps the stamp it began with, and the next run
    reads it again."""
    folder, inputs = _folder(tmp_path)
    other = folder / "part" / "b.md"
    was = stamp(other)
    with reading(inputs, lambda _: None), watching() as moved:
        look_before(folder, ["a.md", "part"])
        linked = _relinked(folder, ["a.md", os.path.join("part", "b.md")])
        edit(folder / "a.md")
        settle(folder, linked)
    assert moved == {was: stamp(other)}


def test_a_file_that_is_not_the_one_linked_keeps_its_old_stamp(tmp_path: Path) -> None:
    """A copy (a file system without hard links) is another file."""
    folder, inputs = _folder(tmp_path)
    with reading(inputs, lambda _: None), watching() as moved:
        look_before(folder, ["a.md"])
        settle(folder, {"a.md": (0, 0)})
    assert moved == {}
