"""A file fmt read is rewritten only while it is still that file: an edit saved between
the read and the rename (a new file renamed over it, or bytes written into it) is kept,
and the run says ``changed-while-read``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter.run
from converter import still_read
from converter.cli import cli

#: A file fmt rewrites: its keys out of the schema's order.
UNORDERED = "---\nlatin: L\ntitle: T\n---\n"
EDITED = UNORDERED.replace("title: T", "title: Edited")


def _editing(monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None]) -> None:
    """Make fmt's check of the file it rewrites ``edit`` it first: an edit saved after
    the read, the moment before the rename."""
    real = converter.run.still_read

    def made(seen: still_read.Seen, data: bytes) -> Callable[[Path], None]:
        check = real(seen, data)

        def editing_first(target: Path) -> None:
            edit(target)
            check(target)
        return editing_first

    monkeypatch.setattr(converter.run, "still_read", made)


def _replaced(target: Path) -> None:
    """As ``sed -i`` saves: a new file renamed over ``target``."""
    new = target.with_name("sed.tmp")
    new.write_text(EDITED, encoding="utf-8")
    os.replace(new, target)


def _appended(target: Path) -> None:
    """Bytes written at the end of ``target``, the same file."""
    with open(target, "a", encoding="utf-8") as fh:
        fh.write("Edited body.\n")


def _fmt(path: Path) -> tuple[int, str]:
    done = CliRunner().invoke(cli, ["fmt", str(path)], catch_exceptions=False)
    return done.exit_code, done.output


@pytest.mark.parametrize("edit", [_replaced, _appended], ids=["renamed-over", "appended"])
def test_an_edit_saved_while_fmt_works_on_a_file_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None]
) -> None:
    path = tmp_path / "slow.md"
    path.write_text(UNORDERED, encoding="utf-8")
    inode = path.stat().st_ino
    _editing(monkeypatch, edit)
    code, output = _fmt(path)
    assert code == 1
    assert f"{path}: error: changed after it was read" in output
    assert "[changed-while-read]" in output and "reformatted" not in output
    if edit is _appended:
        assert path.read_text(encoding="utf-8") == UNORDERED + "Edited body.\n"
        assert path.stat().st_ino == inode
    else:
        assert path.read_text(encoding="utf-8") == EDITED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.md"]  # (no temporary)


def test_an_edit_whose_stamps_look_the_same_is_told_by_its_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write in the clock tick of the look, of the same size, keeps the file's stamps:
    its bytes tell it (its stamps made to look the same here)."""
    path = tmp_path / "a.md"
    path.write_text(UNORDERED, encoding="utf-8")
    monkeypatch.setattr(still_read, "unchanged", lambda seen, target: True)
    _editing(monkeypatch, lambda target: target.write_text(
        UNORDERED.replace("T", "X"), encoding="utf-8"))
    code, output = _fmt(path)
    assert (code, "[changed-while-read]" in output) == (1, True)
    assert path.read_text(encoding="utf-8") == UNORDERED.replace("T", "X")


def test_a_file_as_it_was_read_is_rewritten(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_text(UNORDERED, encoding="utf-8")
    _editing(monkeypatch, lambda target: None)
    assert _fmt(path) == (0, f"reformatted {path}\n1 changed, 0 unchanged\n")
    assert path.read_text(encoding="utf-8") == "---\ntitle: T\nlatin: L\n---\n"


def test_only_a_file_changed_just_before_the_look_is_compared_by_its_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_text(UNORDERED, encoding="utf-8")
    assert still_read.look(str(path)).recent
    os.utime(path, ns=(0, 0))  # (its change time is now all the same)
    assert still_read.look(str(path)).recent
    later = path.stat().st_ctime_ns + still_read.RACY_NS + 1
    monkeypatch.setattr(still_read.time, "time_ns", lambda: later)
    assert not still_read.look(str(path)).recent
    assert still_read.look(str(tmp_path / "none.md")) == still_read.Seen(
        str(tmp_path / "none.md"), None, True)


def test_a_file_of_more_than_one_name_is_not_rewritten(tmp_path: Path) -> None:
    """A new file renamed over one name would part it from its other names (hard links),
    which would keep the old text: fmt leaves such a file as it is, and fails it."""
    path, other = tmp_path / "a.md", tmp_path / "hard.md"
    path.write_text(UNORDERED, encoding="utf-8")
    os.link(path, other)
    code, output = _fmt(path)
    assert code == 1 and "reformatted" not in output
    assert (f"{path}: error: has 2 names (hard links): fmt puts a new file in place of the "
            "old") in output and "[fmt-hard-linked]" in output
    assert path.stat().st_ino == other.stat().st_ino and path.stat().st_nlink == 2
    assert other.read_text(encoding="utf-8") == UNORDERED
    done = CliRunner().invoke(cli, ["fmt", "--check", str(path)], catch_exceptions=False)
    assert (done.exit_code, done.stdout) == (1, f"would reformat {path}\n")
    os.unlink(other)
    assert _fmt(path)[0] == 0
    assert path.read_text(encoding="utf-8") == "---\ntitle: T\nlatin: L\n---\n"
