"""Spawned workers that end without a word when the main process ended before they
were set up.

A worker the spawn start method starts (a fresh interpreter) reads what it runs from
a pipe the main process writes just after starting it, then unpickles the pool's
queues and locks. One whose main process ended first (killed, or exiting as the
pool's thread started a worker in place of a dead one), still at its start (importing,
on a loaded machine), found that pipe empty (``EOFError: Ran out of input``) or the
pool's semaphores gone, and printed a traceback. A worker of :func:`guarded`'s context
runs multiprocessing's own start within a guard (:data:`_GUARD`): when it fails, it
ends without a word if the main process has ended. A start that fails as an ending
main process makes it fail (``EOFError``, or an ``OSError`` such as the semaphores'
``FileNotFoundError``) waits up to :data:`ENDING` seconds for that end first; another
(the main module raising as the worker imports it) says why at once, as ever.
"""

from __future__ import annotations

import functools
import multiprocessing.context
import os
import types
from typing import Any

#: How long, in seconds, a worker whose start failed as an ending main process makes
#: it fail (the pipe closed, the semaphores removed) waits for that end before it says
#: why.
ENDING = 5.0

#: The program of a spawned worker: multiprocessing's (``start``), guarded. Only what
#: the standard library holds, as ``sys.path`` is the main process's only once it runs.
_GUARD = """import os, sys, time
try:
    {start}
except Exception as failed:
    ending = time.monotonic() + {seconds!r}
    while (isinstance(failed, (EOFError, OSError)) and os.getppid() == {parent}
           and time.monotonic() < ending):
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
    a POSIX system, one that starts them so within :data:`_GUARD` (its classes made the
    first time it is asked for: a run that forks, or starts no worker, imports none of
    spawn's modules)."""
    if context.get_start_method() != "spawn" or os.name != "posix":
        return context
    classes = _classes()
    return classes["SpawnContext"]() if classes else context


def __getattr__(name: str) -> Any:
    """The classes of the guarded spawn context, made when first named (as a spawned
    worker unpickles its process by name)."""
    if name in _NAMES and _classes():
        return _classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The classes :func:`_classes` makes, named as this module's.
_NAMES = ("GuardedPopen", "SpawnProcess", "SpawnContext")


@functools.cache
def _classes() -> dict[str, type]:
    """The classes of the spawn start method's context whose workers start within
    :data:`_GUARD`, by name (none on a system with no POSIX spawn: Windows)."""
    try:
        from multiprocessing import popen_spawn_posix, spawn
    except ImportError:
        return {}

    class _Spawn:
        """:mod:`multiprocessing.spawn`, its worker's command line guarded."""

        def __getattr__(self, name: str) -> Any:
            return getattr(spawn, name)

        @staticmethod
        def get_command_line(**kwds: Any) -> list[str]:
            """multiprocessing's command line, its program guarded."""
            return guarded_command(spawn.get_command_line(**kwds), os.getpid())

    launch = popen_spawn_posix.Popen._launch

    class GuardedPopen(popen_spawn_posix.Popen):
        """A spawned worker, started as multiprocessing starts one (its own
        ``_launch``, run with :class:`_Spawn` for its ``spawn`` module)."""

        _launch = types.FunctionType(launch.__code__,
                                     {**vars(popen_spawn_posix), "spawn": _Spawn()},
                                     launch.__name__, launch.__defaults__,
                                     launch.__closure__)

    class SpawnProcess(multiprocessing.context.SpawnProcess):
        """A process of the spawn start method, started within :data:`_GUARD`."""

        _Popen = staticmethod(GuardedPopen)

    class SpawnContext(multiprocessing.context.SpawnContext):
        """The spawn start method's context, its processes started within
        :data:`_GUARD`."""

        Process = SpawnProcess

    made: dict[str, type] = {"GuardedPopen": GuardedPopen, "SpawnProcess": SpawnProcess,
                             "SpawnContext": SpawnContext}
    for name, made_class in made.items():
        made_class.__qualname__ = name
    return made
