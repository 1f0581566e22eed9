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
from converter.atomic import atomic_file
from converter.folder_lock import (
    Waiting,
    alone,
    claimed,
    claimed_temporary,
    in_use,
    locked,
    taken_if_free,
    waits_said,
)
from tests.conftest import WAIT


def _until_a_flock_waits() -> None:
    """Wait until a ``flock`` of this process waits (``/proc/locks`` marks it ``->``);
    fail once :data:`WAIT` seconds have passed without."""
    deadline = time.monotonic() + WAIT
    while not any(" -> FLOCK " in line and f" {os.getpid()} " in line
                  for line in Path("/proc/locks").read_text().splitlines()):
        assert time.monotonic() < deadline, f"no flock was seen waiting within {WAIT} s"
        time.sleep(0.01)


def _joined(thread: threading.Thread) -> None:
    """Wait for ``thread`` to end; fail once :data:`WAIT` seconds have passed without."""
    thread.join(timeout=WAIT)
    assert not thread.is_alive(), f"the thread did not end within {WAIT} s"


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

    thread = threading.Thread(target=waiting, daemon=True)
    thread.start()
    try:
        _until_a_flock_waits()
        site.rename(tmp_path / "old")
        site.mkdir()
    finally:
        os.close(holder)  # (the thread ends, whatever failed)
    _joined(thread)
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

    assert claim is not None
    thread = threading.Thread(target=swapping, daemon=True)
    thread.start()
    def filling() -> None:
        with locked(site):
            done.append("filled")

    filler = threading.Thread(target=filling, daemon=True)
    try:
        _until_a_flock_waits()
        filler.start()
        _joined(filler)
    finally:
        os.close(claim)  # (the threads end, whatever failed)
    _joined(thread)
    assert done == ["filled", "swapped"]


@pytest.mark.parametrize("run", ["filling", "building"])
def test_a_wait_for_another_run_is_said_once_naming_its_process(
        run: str, tmp_path: Path) -> None:
    """A swap waited for a run in place, filling the folder (its lock) or still building
    (its hidden folder claimed), as long as that run took, saying nothing. The first
    wait is said, naming the folder and the process that holds the lock; here, saying
    it lets the lock go, so nothing is waited for longer."""
    site = tmp_path / "site"
    hidden = site / "..muscle-convert.abcd.tmpdir"
    hidden.mkdir(parents=True)
    holder = os.open(site if run == "filling" else hidden, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    said: list[str] = []
    closed = threading.Lock()

    def let_go() -> None:
        if closed.acquire(blocking=False):  # (once: by the swap or at the end)
            os.close(holder)

    def say(line: str) -> None:
        said.append(line)
        let_go()  # (the other run is done)

    def swapping() -> None:
        with waits_said(say), alone(site, lambda: [hidden] if in_use(hidden) else [],
                                    Waiting("out/site")):
            said.append("swapped")

    thread = threading.Thread(target=swapping, daemon=True)
    thread.start()
    try:
        _joined(thread)
    finally:
        let_go()  # (the thread ends, whatever failed)
    assert said == [f"out/site: note: another run (pid {os.getpid()}) is writing this "
                    "folder: waiting for it to be done", "swapped"]


def test_a_wait_is_said_only_where_the_caller_asks(tmp_path: Path) -> None:
    """Outside :func:`waits_said` (the API, ``--quiet``) nothing is said, and a lock
    that is free is no wait."""
    waiting = Waiting("site")
    with waits_said(None), locked(tmp_path, waiting):
        pass
    said: list[str] = []
    with waits_said(said.append), locked(tmp_path, waiting):
        pass
    assert (said, waiting.told) == ([], False)


def test_a_folder_is_free_within_a_wait_once_no_run_holds_its_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """True at once where no run holds the lock (or the folder is gone, or no lock can
    tell); False where one still holds it once the wait is over; True once it lets go
    as the read waits (a sleep of the wait)."""
    from converter.folder_lock import free_within

    assert free_within(tmp_path, 0) is True
    assert free_within(tmp_path / "gone", 0) is True
    with locked(tmp_path):
        assert free_within(tmp_path, 0) is False
    holder, sleeps = os.open(tmp_path, os.O_RDONLY), []
    fcntl.flock(holder, fcntl.LOCK_EX)

    def sleep(seconds: float) -> None:  # (the run holding it ends as the read waits)
        sleeps.append(seconds)
        os.close(holder)

    monkeypatch.setattr(time, "sleep", sleep)
    assert free_within(tmp_path, WAIT) is True
    assert len(sleeps) == 1
    monkeypatch.setattr(converter.folder_lock, "fcntl", None)
    with locked(tmp_path):
        assert free_within(tmp_path, 0) is True


def test_a_temporary_a_run_writes_is_held_and_one_let_go_is_taken(tmp_path: Path) -> None:
    """A file claimed (a run's temporary under way) is left by a sweep; once let go
    (closed, as a killed run's process is), a sweep removes it; a sweep holding it as a
    run makes it has the run make another name."""
    tmp = tmp_path / ".a.md.abcd1234.tmp"
    tmp.write_bytes(b"")
    fd = claimed_temporary(tmp)
    assert fd is not None
    assert taken_if_free(str(tmp)) is False and tmp.exists()
    os.close(fd)
    assert taken_if_free(str(tmp)) is True and not tmp.exists()
    tmp.write_bytes(b"")
    sweep = os.open(tmp, os.O_RDONLY)
    try:
        fcntl.flock(sweep, fcntl.LOCK_EX)
        with pytest.raises(FileNotFoundError):
            claimed_temporary(tmp)
    finally:
        os.close(sweep)
    assert taken_if_free(str(tmp_path / "gone.tmp")) is False


def test_a_temporary_folder_a_run_builds_in_is_held_and_one_let_go_is_taken(
        tmp_path: Path) -> None:
    """As a file: a folder claimed is left by a sweep; let go, a sweep removes it with
    all in it; one a sweep holds as a run makes it has the run make another name."""
    folder = tmp_path / ".site.abcd1234.tmpdir"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "map.svg").write_text("<svg")
    fd = claimed_temporary(folder)
    assert fd is not None
    assert taken_if_free(str(folder)) is False and (folder / "sub" / "map.svg").exists()
    os.close(fd)
    assert taken_if_free(str(folder)) is True and not os.path.lexists(folder)
    folder.mkdir()
    sweep = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(sweep, fcntl.LOCK_EX)
        with pytest.raises(FileNotFoundError):
            claimed_temporary(folder)
    finally:
        os.close(sweep)
    link = tmp_path / ".site.efgh5678.tmpdir"
    link.symlink_to(folder)
    assert taken_if_free(str(link)) is False and link.is_symlink() and folder.is_dir()


def test_an_output_files_temporary_is_held_while_it_is_written(tmp_path: Path) -> None:
    """(what a sweep tells a run's temporary under way by)"""
    out = tmp_path / "a.md"
    with atomic_file(out, "w", encoding="utf-8") as fh:
        fh.write("x\n")
        (name,) = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
        assert taken_if_free(str(tmp_path / name)) is False
    assert os.listdir(tmp_path) == ["a.md"] and out.read_text(encoding="utf-8") == "x\n"
