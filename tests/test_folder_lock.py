"""The locks of an output folder: one run at a time writes it, and a run's hidden folder
in it is known to be in use."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

import converter.folder_lock
from converter.folder_lock import alone, claimed, in_use, locked


def test_a_claimed_folder_is_in_use_until_let_go(tmp_path: Path) -> None:
    folder = tmp_path / "..muscle-convert.abcd.tmpdir"
    folder.mkdir()
    assert in_use(folder) is False
    claim = claimed(folder)
    assert claim is not None
    assert in_use(folder) is True
    os.close(claim)
    assert in_use(folder) is False


def test_no_lock_tells_of_a_file_or_where_the_system_takes_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "marker.tmp").write_text("half")
    assert in_use(tmp_path / "marker.tmp") is None
    monkeypatch.setattr(converter.folder_lock, "fcntl", None)
    assert in_use(tmp_path) is None and claimed(tmp_path) is None


def test_a_folder_swapped_away_as_its_lock_was_waited_for_is_let_go(
        tmp_path: Path) -> None:
    """A run that waited for the lock of a folder another run then swapped away held the
    lock of a folder no longer there, and went on as if it held the one there now."""
    site = tmp_path / "site"
    site.mkdir()
    holder = os.open(site, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    held: list[object] = []

    def waiting() -> None:
        with locked(site):
            held.append(os.stat(site).st_ino)
            held.append(in_use(site))

    thread = threading.Thread(target=waiting)
    thread.start()
    while not any(" -> FLOCK " in line and f" {os.getpid()} " in line
                  for line in Path("/proc/locks").read_text().splitlines()):
        time.sleep(0.01)
    site.rename(tmp_path / "old")
    site.mkdir()
    os.close(holder)
    thread.join()
    assert held == [os.stat(site).st_ino, True]


def test_a_run_alone_lets_go_of_the_folder_while_it_waits_for_a_run_under_way(
        tmp_path: Path) -> None:
    """A swap held the folder's lock and swapped while a run in place (its hidden folder
    claimed) still built; it waits for that run, the folder's lock let go meanwhile (the
    run in place takes it to fill the folder), and goes on once the run has ended."""
    site = tmp_path / "site"
    run = site / "..muscle-convert.abcd.tmpdir"
    run.mkdir(parents=True)
    claim = claimed(run)
    done: list[str] = []

    def swapping() -> None:
        with alone(site, lambda: [run] if in_use(run) else []):
            done.append("swapped")

    thread = threading.Thread(target=swapping)
    thread.start()
    while not any(" -> FLOCK " in line and f" {os.getpid()} " in line
                  for line in Path("/proc/locks").read_text().splitlines()):
        time.sleep(0.01)
    with locked(site):
        done.append("filled")
    assert claim is not None
    os.close(claim)
    thread.join()
    assert done == ["filled", "swapped"]
