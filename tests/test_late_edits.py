"""Files of an output folder changed after a run looked at them: told by ``lstat``,
read again only when seen changed."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from converter.late_edits import changed_since, edited_since, look, unchanged
from converter.marker import DIRECTORY_MARKER, Marker, file_digest, marker_text


def _folder(tmp_path: Path) -> Path:
    """A folder of three files of the tool's, ``a``, ``b`` and ``c``."""
    folder = tmp_path / "site"
    folder.mkdir()
    for name in "abc":
        (folder / name).write_text(name)
    return folder


def test_a_file_written_replaced_or_removed_since_it_was_seen_is_changed(
        tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    looks = look(folder, ["a", "b", "c", "d", "none"])
    assert sorted(looks) == ["a", "b", "c"]
    assert changed_since(folder, looks) == []
    (folder / "a").write_text("edited")
    (tmp_path / "new").write_text("b")
    os.replace(tmp_path / "new", folder / "b")  # (an editor's save of the same bytes)
    (folder / "c").unlink()
    (folder / "c").mkdir()
    assert changed_since(folder, looks) == ["a", "b", "c"]
    os.rmdir(folder / "c")
    assert changed_since(folder, looks) == ["a", "b", "c"]


def test_an_edit_with_its_modification_time_put_back_is_seen(tmp_path: Path) -> None:
    """A file whose modification time was put back after an edit (``touch -r``) has
    another change time (one a step of the run's own rename changes too: not looked
    at then)."""
    folder = _folder(tmp_path)
    st = os.lstat(folder / "a")
    fields = ("st_dev", "st_ino", "st_mode", "st_size", "st_mtime_ns", "st_ctime_ns")
    seen = SimpleNamespace(**{name: getattr(st, name) for name in fields})
    assert unchanged(seen, folder / "a")  # type: ignore[arg-type]
    seen.st_ctime_ns -= 1
    assert not unchanged(seen, folder / "a")  # type: ignore[arg-type]
    assert unchanged(seen, folder / "a", moved=True)  # type: ignore[arg-type]
    seen.st_mtime_ns -= 1
    assert not unchanged(seen, folder / "a", moved=True)  # type: ignore[arg-type]


def test_a_file_moved_by_the_run_is_itself_still(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    seen = os.lstat(folder / "a")
    os.rename(folder / "a", tmp_path / "moved")
    assert unchanged(seen, tmp_path / "moved", moved=True)
    assert not unchanged(seen, folder / "a", moved=True)
    assert not unchanged(seen, tmp_path / "site", moved=True)


def test_a_file_the_new_folder_shares_is_no_change(tmp_path: Path) -> None:
    """A file linked into the new folder (its change time changed by the link): a save
    into it is in both folders."""
    folder, new = _folder(tmp_path), tmp_path / "new"
    new.mkdir()
    looks = look(folder, "abc")
    os.link(folder / "a", new / "a")
    (folder / "a").write_text("edited")
    (new / "b").write_text("b")
    (folder / "b").write_text("edited")
    assert changed_since(folder, looks, new) == ["b"]


def test_only_a_file_changed_from_the_bytes_of_its_digest_is_edited(
        tmp_path: Path) -> None:
    """A file saved with the same bytes, one with none listed (the tool's whatever its
    bytes), one replaced by a folder (no bytes to lose) are no edit."""
    folder = _folder(tmp_path)
    digests = {name: str(file_digest(folder / name)) for name in "ab"}
    marker = Marker(frozenset("abc"), digests=digests)
    looks = look(folder, "abc")
    for name in "abc":
        (folder / name).unlink()
        (folder / name).write_text(name if name == "a" else "edited")
    assert edited_since(folder, looks, marker) == ["b"]
    (folder / "b").unlink()
    (folder / "b").mkdir()
    assert edited_since(folder, looks, marker) == []


def test_a_file_another_run_wrote_meanwhile_is_no_edit(tmp_path: Path) -> None:
    """The folder's marker now (another run's, which wrote it meanwhile) says which
    bytes are the tool's; the one the check read only where there is none."""
    folder = _folder(tmp_path)
    first = Marker(frozenset("ab"), digests={
        name: str(file_digest(folder / name)) for name in "ab"})
    looks = look(folder, "ab")
    for name in "ab":
        (folder / name).write_text("another run's")
    assert edited_since(folder, looks, first) == ["a", "b"]
    (folder / DIRECTORY_MARKER).write_text(
        marker_text(["a", "b"], {"a": str(file_digest(folder / "a"))}), encoding="utf-8")
    assert edited_since(folder, looks, first) == []
