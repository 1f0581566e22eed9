"""The one bound on the tests' waits, importable where :mod:`tests.conftest` is not: a
worker process of a run the tests start (a plugin's or a hook's, as :mod:`tests.idling`)
imports this module alone, not conftest's pytest and fixtures; and the waits for a
moment another process reaches, bounded by it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

#: The longest a test, a helper or a worker it started waits for a run, a thread, a lock
#: or the moment it names (seconds): it only guards against a hang, so it is long
#: enough for a slow, loaded machine; a test that died must not leave a run waiting
#: for good.
WAIT = 300


def sleeping(pid: int) -> bool:
    """Whether the main thread of the process ``pid`` sleeps in ``time.sleep`` (its wait
    in the kernel, ``/proc/<pid>/wchan``, is a nanosleep); False once it has ended."""
    try:
        return "nanosleep" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def until(ready: Callable[[], bool], what: str) -> None:
    """Look every 0.01 s until ``ready()``; fail, naming ``what``, once :data:`WAIT`
    seconds have passed without."""
    deadline = time.monotonic() + WAIT
    while not ready():
        assert time.monotonic() < deadline, f"{what}: not within {WAIT} s"
        time.sleep(0.01)
