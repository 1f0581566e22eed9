"""Spawned workers that end without a word when the main process ended before they
were set up.

A worker the spawn start method starts (a fresh interpreter) reads what it runs from
a pipe the main process writes just after starting it, then unpickles the pool's
queues and locks. One whose main process ended first (killed, or exiting as the
pool's thread started a worker in place of a dead one), still at its start (importing,
on a loaded machine), found that pipe empty (``EOFError: Ran out of input``) or the
pool's semaphores gone, and printed a traceback. A worker of :func:`guarded`'s context
runs multiprocessing's own start within a guard (:data:`_GUARD`): when it fails, it
waits up to :data:`ENDING` seconds for the main process to end, and ends without a
word if it has; a start that fails while the main process lives says why, as ever.
"""

from __future__ import annotations

import multiprocessing.context
import os
import types
from typing import Any

#: How long, in seconds, a worker whose start failed waits for the main process's end
#: (which closed the pipe, or removed the semaphores, as it ended) before it says why.
ENDING = 5.0

#: The program of a spawned worker: multiprocessing's (``start``), guarded. Only what
#: the standard library holds, as ``sys.path`` is the main process's only once it runs.
_GUARD = """import os, sys, time
try:
    {start}
except Exception:
    ending = time.monotonic() + {seconds!r}
    while os.getppid() == {parent} and time.monotonic() < ending:
        time.sleep(0.01)
    if os.getppid() != {parent}:
        os._exit(1)
    raise
"""


def guarded_command(command: list[str], parent: int) -> list[str]:
    """The command line ``command`` of a spawned worker of the main process ``parent``,
    its program run within :data:`_GUARD` (a frozen program's, which has none, as it
    is)."""
    if "-c" not in command:
        return command
    at = command.index("-c") + 1
    return [*command[:at], _GUARD.format(start=command[at], seconds=ENDING, parent=parent),
            *command[at + 1:]]


def guarded(context: Any) -> Any:
    """``context`` (a multiprocessing context), or, where it starts workers by spawn on
    a POSIX system, one that starts them so within :data:`_GUARD`."""
    if context.get_start_method() != "spawn" or os.name != "posix" or _CONTEXT is None:
        return context
    return _CONTEXT


try:
    from multiprocessing import popen_spawn_posix, spawn
except ImportError:  # (a system with no POSIX spawn: Windows)
    _CONTEXT = None
else:
    class _Spawn:
        """:mod:`multiprocessing.spawn`, its worker's command line guarded."""

        def __getattr__(self, name: str) -> Any:
            return getattr(spawn, name)

        @staticmethod
        def get_command_line(**kwds: Any) -> list[str]:
            """multiprocessing's command line, its program guarded."""
            return guarded_command(spawn.get_command_line(**kwds), os.getpid())

    _LAUNCH = popen_spawn_posix.Popen._launch

    class _Popen(popen_spawn_posix.Popen):
        """A spawned worker, started as multiprocessing starts one (its own
        ``_launch``, run with :class:`_Spawn` for its ``spawn`` module)."""

        _launch = types.FunctionType(_LAUNCH.__code__,
                                     {**vars(popen_spawn_posix), "spawn": _Spawn()},
                                     _LAUNCH.__name__, _LAUNCH.__defaults__,
                                     _LAUNCH.__closure__)

    class SpawnProcess(multiprocessing.context.SpawnProcess):
        """A process of the spawn start method, started within :data:`_GUARD`."""

        _Popen = staticmethod(_Popen)

    class SpawnContext(multiprocessing.context.SpawnContext):
        """The spawn start method's context, its processes started within
        :data:`_GUARD`."""

        Process = SpawnProcess

    _CONTEXT = SpawnContext()
