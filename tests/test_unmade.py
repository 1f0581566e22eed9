"""Files of an output folder a run does not make: a re-run whose files hold the bytes
the folder holds makes none of them, and every check of the swap still guards them."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import converter.atomic_folder
import converter.unmade
from converter.atomic_folder import atomic_directory, save_text
from converter.cli import cli
from converter.unmade import expect, forget, left_out, left_unmade, put_in
from tests.conftest import SAMPLES


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _content(tmp_path: Path) -> Path:
    """A copy of the samples, to be edited."""
    content = tmp_path / "content"
    content.mkdir()
    for sample in SAMPLES.glob("*.md"):
        (content / sample.name).write_bytes(sample.read_bytes())
    return content


def _run(content: Path, out: Path) -> tuple[int, str]:
    """``convert content --to svg -o out``: exit code and standard error."""
    result = CliRunner().invoke(cli, ["convert", str(content), "--to", "svg", "-o",
                                      str(out), "--no-cache", "-j", "1", "-q"])
    return result.exit_code, result.stderr


def _created(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the ``.svg`` files ``os.open`` is asked to create from now on (as
    :func:`~converter.atomic_folder.save_text` does)."""
    created: list[str] = []
    real = os.open

    def spying(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and os.fspath(path).endswith(".svg"):
            created.append(os.path.basename(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spying)
    return created


def _seen(out: Path) -> dict[str, tuple[int, int]]:
    """Each file of ``out``: its inode and modification time."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}


def _edit_soleus(content: Path) -> None:
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text().replace("title: ", "title: New ", 1))


def test_a_rerun_of_the_same_files_makes_none_of_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each re-run made every file of the map's folder in a temporary folder, then
    removed it again as the old folder, the same, stayed: 20,000 files made for
    nothing."""
    content, out = _content(tmp_path), tmp_path / "svg"
    assert _run(content, out)[0] == 0
    before, folder = _seen(out), out.stat().st_ino
    created = _created(monkeypatch)
    assert _run(content, out)[0] == 0
    assert created == []
    assert _seen(out) == before and out.stat().st_ino == folder
    assert sorted(os.listdir(tmp_path)) == ["content", "svg"]  # (no temporary left)


def test_one_file_changed_is_the_only_one_made(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Where one muscle changed, the run made every file anew (then linked the old
    ones of the same bytes back): only the changed ones are made now, the others are the
    very files they were."""
    content, out = _content(tmp_path), tmp_path / "svg"
    assert _run(content, out)[0] == 0
    before = _seen(out)
    _edit_soleus(content)
    created = _created(monkeypatch)
    assert _run(content, out)[0] == 0
    assert sorted(created) == ["map.svg", "soleus.svg"]
    after = _seen(out)
    assert after.keys() == before.keys()
    assert {name for name in after if after[name] != before[name]} == {
        ".muscle-convert", "map.svg", "soleus.svg"}
    assert sorted(os.listdir(tmp_path)) == ["content", "svg"]
    fresh = tmp_path / "fresh"  # (the marker and files a run writing all of them writes)
    assert _run(content, fresh)[0] == 0
    assert (out / ".muscle-convert").read_bytes() == (fresh / ".muscle-convert").read_bytes()
    for name in after:
        assert (out / name).read_bytes() == (fresh / name).read_bytes()


def test_a_file_you_edited_in_the_old_folder_is_not_kept_silently(tmp_path: Path) -> None:
    """A file of the tool's that the user edited since the last run, whose bytes this
    run writes again as the marker has them, is not taken for the run's: the run
    refuses, as it does for any edited file, and the edit stays."""
    content, out = _content(tmp_path), tmp_path / "svg"
    assert _run(content, out)[0] == 0
    edit = (out / "soleus.svg").read_bytes().replace(b"<svg", b"<svg data-mine='1'", 1)
    (out / "soleus.svg").write_bytes(edit)
    code, stderr = _run(content, out)
    assert code == 1
    assert "soleus.svg was changed since muscle-convert wrote it" in stderr
    assert (out / "soleus.svg").read_bytes() == edit


def test_a_file_removed_from_the_old_folder_as_the_run_writes_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file left out, as the old folder held its bytes, but removed from the old
    folder before the swap: the run makes it from its bytes, and the folder is whole."""
    content, out = _content(tmp_path), tmp_path / "svg"
    assert _run(content, out)[0] == 0
    soleus = (out / "soleus.svg").read_bytes()
    _edit_soleus(content)
    real = converter.atomic_folder.check_unedited

    def removed_first(*args: Any) -> Any:
        (out / "biceps-brachii.svg").unlink(missing_ok=True)
        return real(*args)

    biceps = (out / "biceps-brachii.svg").read_bytes()
    monkeypatch.setattr(converter.atomic_folder, "check_unedited", removed_first)
    assert _run(content, out)[0] == 0
    assert (out / "biceps-brachii.svg").read_bytes() == biceps
    assert (out / "soleus.svg").read_bytes() != soleus


def test_another_runs_folder_swapped_in_meanwhile_gets_this_runs_files(
        tmp_path: Path) -> None:
    """The files left out, as the folder held their bytes as the run began, are made
    where another run swapped in a folder without them (or with other bytes) since."""
    out = tmp_path / "svg"
    with atomic_directory(out) as folder:
        save_text(folder / "map.svg", "first map")
        save_text(folder / "soleus.svg", "first soleus")
    with atomic_directory(out) as folder:
        save_text(folder / "map.svg", "first map")
        save_text(folder / "soleus.svg", "first soleus")
        assert os.listdir(folder) == []
        with atomic_directory(out) as other:
            save_text(other / "map.svg", "other map")
    assert sorted(os.listdir(out)) == [".muscle-convert", "map.svg", "soleus.svg"]
    assert (out / "map.svg").read_text() == "first map"
    assert (out / "soleus.svg").read_text() == "first soleus"
    assert sorted(os.listdir(tmp_path)) == ["svg"]


def test_a_folder_removed_as_the_run_ends_is_made_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old folder, whose file was to be linked in, removed after the check: the run
    puts its folder in place with every file made from its bytes."""
    out = tmp_path / "svg"
    with atomic_directory(out) as folder:
        save_text(folder / "map.svg", "map")
    real = converter.atomic_folder._hashed_alike

    def then_removed(*args: Any) -> Any:
        alike = real(*args)
        assert alike == {"map.svg"}
        shutil.rmtree(out)
        return alike

    monkeypatch.setattr(converter.atomic_folder, "_hashed_alike", then_removed)
    with atomic_directory(out) as folder:
        save_text(folder / "map.svg", "map")
    assert (out / "map.svg").read_text() == "map"
    assert sorted(os.listdir(tmp_path)) == ["svg"]


def test_a_file_written_again_after_it_was_left_out_takes_the_last_bytes(
        tmp_path: Path) -> None:
    out = tmp_path / "svg"
    with atomic_directory(out) as folder:
        save_text(folder / "a.svg", "a")
        save_text(folder / "b.svg", "b")
    with atomic_directory(out) as folder:
        save_text(folder / "a.svg", "a")  # (left out)
        save_text(folder / "a.svg", "A")  # (then other bytes: written)
        save_text(folder / "b.svg", "B")  # (written)
        save_text(folder / "b.svg", "b")  # (the old bytes, over a file: written too)
    assert (out / "a.svg").read_text() == "A"
    assert (out / "b.svg").read_text() == "b"


def test_a_file_made_by_other_means_after_it_was_left_out_is_that_one(
        tmp_path: Path) -> None:
    out = tmp_path / "svg"
    with atomic_directory(out) as folder:
        save_text(folder / "a.svg", "a")
    with atomic_directory(out) as folder:
        save_text(folder / "a.svg", "a")
        (folder / "a.svg").write_text("written otherwise")
    assert (out / "a.svg").read_text() == "written otherwise"


def test_left_out_only_what_the_old_marker_has_the_bytes_of(tmp_path: Path) -> None:
    expect(tmp_path, {"a.svg": _digest(b"a"), "b.svg": _digest(b"b")})
    try:
        assert left_out(tmp_path / "a.svg", b"a")
        assert not left_out(tmp_path / "b.svg", b"other bytes")
        assert not left_out(tmp_path / "c.svg", b"c")  # (not in the marker)
        (tmp_path / "b.svg").write_bytes(b"made")
        assert not left_out(tmp_path / "b.svg", b"b")  # (a file is there)
        assert not left_out(tmp_path / "sub" / "a.svg", b"a")  # (another folder)
        assert left_unmade(tmp_path, ["b.svg"]) == {
            "a.svg": converter.unmade.Unmade(_digest(b"a"), b"a")}
        assert not left_out(tmp_path / "a.svg", b"a")  # (forgotten)
    finally:
        forget(tmp_path)


def test_no_folder_expected_without_digests(tmp_path: Path) -> None:
    expect(tmp_path, {})
    assert not left_out(tmp_path / "a.svg", b"a")
    assert left_unmade(tmp_path, []) == {}


def test_bytes_held_past_the_bound_are_written(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(converter.unmade, "HELD_AT_MOST", 5)
    expect(tmp_path, {name: _digest(b"abc") for name in ("a", "b", "c")})
    try:
        assert left_out(tmp_path / "a", b"abc")
        assert not left_out(tmp_path / "b", b"abc")  # (6 bytes held: past the bound)
        assert left_out(tmp_path / "a", b"abc")  # (the same file again: 3 bytes)
        assert sorted(left_unmade(tmp_path, [])) == ["a"]
    finally:
        forget(tmp_path)


def test_a_left_out_file_is_the_old_one_linked(tmp_path: Path) -> None:
    was, made = tmp_path / "was.svg", tmp_path / "made.svg"
    was.write_bytes(b"bytes")
    os.utime(was, ns=(1_000_000_000, 1_000_000_000))
    put_in(made, was, b"bytes", os.lstat(was))
    assert os.path.samefile(made, was)


def test_a_left_out_file_replaced_or_removed_since_is_made_from_its_bytes(
        tmp_path: Path) -> None:
    was, made = tmp_path / "was.svg", tmp_path / "made.svg"
    was.write_bytes(b"bytes")
    seen = os.lstat(was)
    was.unlink()
    put_in(made, was, b"bytes", seen)
    assert made.read_bytes() == b"bytes"
    made.unlink()
    (tmp_path / "other").write_bytes(b"another file")
    os.replace(tmp_path / "other", was)
    put_in(made, was, b"bytes", seen)
    assert made.read_bytes() == b"bytes" and not os.path.samefile(made, was)


def test_make_writes_over_a_file_and_gives_its_stat_as_save_text_notes_it(
        tmp_path: Path) -> None:
    """save_text had its own copy of make's write loop; it calls make now, which gives
    the stat of the file it wrote (for the digest save_text notes)."""
    from converter.unmade import make

    target = tmp_path / "page.html"
    target.write_bytes(b"an older and longer page")
    seen = make(target, b"new")
    assert target.read_bytes() == b"new"
    now = os.stat(target)
    assert (seen.st_ino, seen.st_size, seen.st_mtime_ns) == (now.st_ino, 3, now.st_mtime_ns)
