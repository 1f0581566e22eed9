"""Killing a writer mid-write, for the nothing-is-lost tests; signalling a run that
waits for a SQLite database, for the Ctrl-C-is-taken-at-once tests."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tests.conftest import ROOT, WAIT
from tests.waits import sleeping, until


def kill_while(command: list[str], writing: Callable[[], bool], *, delay: float = 0.0,
               env: dict[str, str] | None = None,
               ending: signal.Signals = signal.SIGKILL) -> bool:
    """Run ``command``; SIGKILL it (or send it ``ending``) ``delay`` seconds after
    ``writing()`` turns true. True when it was killed while ``writing()`` still held (for
    another signal than SIGKILL, which lets the run undo what it was writing: when that
    signal ended it), False when it finished (or got past the write) first."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + WAIT
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if writing():
                time.sleep(delay)
                if process.poll() is not None:
                    break
                process.send_signal(ending)
                ended = process.wait(timeout=WAIT) == -ending
                return ended and (ending is not signal.SIGKILL or writing())
            time.sleep(0.0005)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)


T = TypeVar("T")


def killed_stopped(command: list[str], ready: Path, what: str, env: dict[str, str],
                   seen: Callable[[], T]) -> T:
    """Run ``command``, which makes the file ``ready`` once its ``what`` (``write``) stops
    halfway; then take ``seen()`` (what it left so far) and SIGKILL it. Fails if it ends
    first, or is not killed by the signal."""
    run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        until(lambda: ready.exists() or run.poll() is not None, f"the run's {what}")
        assert run.poll() is None, f"the run ended before its {what} stopped"
        found = seen()
        run.send_signal(signal.SIGKILL)
        assert run.wait(timeout=WAIT) == -signal.SIGKILL
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=WAIT)
    return found


def sleeps_with_open(pid: int, path: Path) -> bool:
    """Whether the process ``pid``, ``path`` open, sleeps (``/proc``): it waits for a lock
    another connection holds on the SQLite database ``path`` (holding none between its
    tries, where nothing else sleeps with the database open)."""
    try:
        opened = any(os.path.realpath(link) == str(path.resolve()) for link in
                     (f"/proc/{pid}/fd/{fd}" for fd in os.listdir(f"/proc/{pid}/fd")))
        return opened and sleeping(pid)
    except OSError:  # (a descriptor closed meanwhile)
        return False


def until_waiting(process: subprocess.Popen[str], path: Path) -> None:
    """Return once ``process`` waits for the database ``path`` (see
    :func:`sleeps_with_open`); fail if it ends first, or does not wait within
    :data:`~tests.waits.WAIT` seconds."""
    deadline = time.monotonic() + WAIT
    while process.poll() is None and not sleeps_with_open(process.pid, path):
        assert time.monotonic() < deadline, f"the run did not wait within {WAIT} s"
        time.sleep(0.005)
    assert process.poll() is None, "the run ended before it waited"


def signal_waiting(command: list[str], path: Path, ending: signal.Signals, *,
                   within: float, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``command``; send it ``ending`` once it waits for the database ``path`` (see
    :func:`sleeps_with_open`): its exit status and stderr, which must come ``within``
    seconds of the signal (``subprocess.TimeoutExpired`` otherwise)."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        until_waiting(process, path)
        process.send_signal(ending)
        _, stderr = process.communicate(timeout=within)
        return process.returncode, stderr
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=WAIT)
