"""The folders a failed write made for its output are removed again, only those."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from converter.atomic import make_folders
from converter.made_folders import HELD, undone_on_failure
from tests.conftest import (
    ROOT,
    SAMPLES,
    WAIT,
    open_files_at_most,
    open_files_limit,
    remove_tree,
)


def test_a_failed_block_removes_the_empty_folders_it_made_deepest_first(
        tmp_path: Path) -> None:
    (tmp_path / "had").mkdir()
    with pytest.raises(OSError, match="disk full"), undone_on_failure() as made:
        make_folders(tmp_path / "had" / "new" / "sub")
        assert made == [tmp_path / "had" / "new", tmp_path / "had" / "new" / "sub"]
        raise OSError("disk full")
    assert [p.name for p in tmp_path.iterdir()] == ["had"]
    assert list((tmp_path / "had").iterdir()) == []


def test_a_folder_made_that_holds_something_now_is_left(tmp_path: Path) -> None:
    """Another run's file in a folder this one made: that folder and those above stay."""
    with pytest.raises(KeyboardInterrupt), undone_on_failure():
        make_folders(tmp_path / "new" / "sub" / "deep")
        (tmp_path / "new" / "sub" / "theirs.json").write_text("{}\n", encoding="utf-8")
        raise KeyboardInterrupt
    assert [p.name for p in (tmp_path / "new" / "sub").iterdir()] == ["theirs.json"]


def test_a_block_that_ends_well_keeps_its_folders_and_one_outside_notes_none(
        tmp_path: Path) -> None:
    with undone_on_failure() as made:
        make_folders(tmp_path / "kept")
    assert made == [tmp_path / "kept"] and (tmp_path / "kept").is_dir()
    make_folders(tmp_path / "outside")  # (no write under way: nothing to note)
    with pytest.raises(ValueError), undone_on_failure() as made:
        raise ValueError
    assert made == [] and (tmp_path / "outside").is_dir()


def test_a_block_within_another_notes_its_folders_for_both(tmp_path: Path) -> None:
    with pytest.raises(OSError), undone_on_failure() as outer:
        with undone_on_failure():
            make_folders(tmp_path / "inner")
        assert outer == [tmp_path / "inner"]
        raise OSError
    assert list(tmp_path.iterdir()) == []


def test_undo_all_removes_the_folders_of_every_block_under_way(tmp_path: Path) -> None:
    """What a signal that ends the process at once (SIGTERM) undoes: the empty folders
    the outer block made and those of the block within it, not yet handed outward."""
    from converter.made_folders import undo_all

    with undone_on_failure():
        make_folders(tmp_path / "outer")
        with undone_on_failure():
            make_folders(tmp_path / "outer" / "inner" / "deep")
            undo_all()
            assert list(tmp_path.iterdir()) == []


def test_a_folder_made_again_by_another_run_since_is_left(tmp_path: Path) -> None:
    """This run's folder removed, and made anew by another run for its own output (empty
    as yet): the failing run removed it, and the other run's file then had no folder to
    go in. A folder is removed only while it is the one this run made."""
    with pytest.raises(OSError, match="disk full"), undone_on_failure():
        make_folders(tmp_path / "new")
        (tmp_path / "new").rmdir()
        (tmp_path / "new").mkdir()  # (another run's)
        raise OSError("disk full")
    assert (tmp_path / "new").is_dir()


def test_a_write_whose_folder_a_failed_run_removed_makes_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """Another run made the folder and failed, removing it (empty), after this write
    found it there and before its temporary file was made in it: the write failed
    (cannot-write). The folder is made again, and the write goes on."""
    import tempfile

    import converter
    import converter.atomic

    out = tmp_path / "new" / "muscles.json"
    real, calls = tempfile.mkstemp, []

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        if not calls:  # (the other run fails, its empty folder removed)
            (tmp_path / "new").rmdir()
        calls.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(converter.atomic.tempfile, "mkstemp", mkstemp)
    converter.write(sample_muscles, out)
    assert len(converter.read(out)) == len(sample_muscles)
    assert len(calls) == 2


def test_an_output_below_more_missing_folders_than_files_open_is_written(
        tmp_path: Path) -> None:
    """A run that may hold 256 files open, its output below 400 missing folders: a
    descriptor held for each folder made ran out of them ('cannot write here: Too many
    open files'). A few are held, however many are made."""
    deep = Path(*["d"] * 400, "out.json")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "converter", "convert", str(SAMPLES / "soleus.md"),
             "--to", "json", "-o", str(deep), "--no-cache", "-q"], cwd=tmp_path,
            capture_output=True, text=True, timeout=WAIT, check=False,
            preexec_fn=open_files_limit(256), env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert (done.returncode, done.stderr) == (0, "")
        assert (tmp_path / deep).is_file()
    finally:
        if (tmp_path / "d").exists():
            remove_tree(tmp_path / "d")


def test_a_failed_block_below_more_folders_than_files_open_removes_them(
        tmp_path: Path) -> None:
    """Folders made past those held open are removed all the same, a held one below
    telling each is the one made; a file can be opened in the deepest meanwhile."""
    deep = tmp_path.joinpath(*["d"] * 400)
    with open_files_at_most(256), pytest.raises(OSError, match="disk full"), \
            undone_on_failure() as made:
        make_folders(deep)
        os.close(os.open(deep / "out.json.tmp", os.O_CREAT | os.O_WRONLY, 0o600))
        os.unlink(deep / "out.json.tmp")
        assert len(made) == 400
        raise OSError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_let_go_then_made_again_by_another_run_is_left(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders let go of (not held open) removed and made anew, empty, by another run
    for its own output, with the same inodes (as a file system gives a freed one
    again): none held below them is there now, and they are left."""
    import converter.made_folders

    chain = [tmp_path.joinpath(*["d"] * depth) for depth in range(1, HELD + 5)]
    real = converter.made_folders.identity
    with pytest.raises(OSError, match="disk full"), undone_on_failure():
        make_folders(chain[-1])
        was = {folder: real(folder) for folder in chain[2:5]}
        for folder in reversed(chain[2:]):
            folder.rmdir()
        for folder in chain[2:5]:  # (another run's, its file to go in the last)
            folder.mkdir()
        monkeypatch.setattr(converter.made_folders, "identity",
                            lambda folder: was.get(folder) or real(folder))
        raise OSError("disk full")
    assert chain[4].is_dir() and list(chain[4].iterdir()) == []
