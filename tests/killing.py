"""Killing a writer mid-write, for the nothing-is-lost tests."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable

from tests.conftest import ROOT


def kill_while(command: list[str], writing: Callable[[], bool], *, delay: float = 0.0,
               env: dict[str, str] | None = None) -> bool:
    """Run ``command``; SIGKILL it ``delay`` seconds after ``writing()`` turns true.
    True when it was killed while ``writing()`` still held, False when it finished (or
    got past the write) first."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if writing():
                time.sleep(delay)
                if process.poll() is not None:
                    break
                process.send_signal(signal.SIGKILL)
                return process.wait() == -signal.SIGKILL and writing()
            time.sleep(0.0005)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
