"""From a run's output put in place to its process's exit: the signals that stop it then.

Once a command line run has put its output in place (see :func:`mark`: a folder
swapped in or filled, a file renamed over), nothing of it can be undone, so Ctrl-C,
SIGTERM or SIGHUP that comes later, as the old folder is removed, the cache recorded,
the report printed or the interpreter ends, stops a run that was written: it says so
in one line (``muscle-convert: stopped once site was written: it holds this run's
files``), not ``Aborted!`` nor nothing, and ends with the status of a run stopped so
(130 for Ctrl-C, that signal's death for the others).
Only where :func:`watching` (the command line's entry point) asks for it: the Python
API leaves the process's handlers as it found them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

#: The attribute of a signal's exception (Ctrl-C's ``KeyboardInterrupt``, SIGTERM's)
#: that names the output it came too late to stop.
WRITTEN_ATTRIBUTE = "muscle_convert_written"
#: The exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130
#: The signals that end a process by default: SIGTERM (``kill``, a service manager)
#: and SIGHUP (the terminal closed, an ssh connection dropped).
ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class _State:
    """What this process's command line run has written, and how far it is."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """As a new run begins: nothing watched, nothing written."""
        #: Whether the command line asked for it (see :func:`watching`).
        self.watching = False
        #: The output as the user gave it, once it is in place.
        self.output: str | None = None
        #: Whether the command is done (its status known): a signal ends it at once.
        self.ending = False
        #: Whether the run's stop was said already (one line, not two).
        self.said = False
        #: The file the run's output goes to (a real path), and the output as the user
        #: gave it, while it is written (see :func:`expecting`).
        self.expected: tuple[str, str] | None = None


_STATE = _State()


@contextlib.contextmanager
def watching() -> Iterator[None]:
    """Run the block (the command line's command) so that an output it puts in place
    (:func:`mark`) has a signal from then on say it was written. Once the block is
    done, a signal ends the process at once, saying so: its handlers stay in place up
    to the process's exit (the interpreter's end would otherwise take Ctrl-C as an
    ignored exception, and exit with the run's own status), and Ctrl-C's is this
    module's then where the run put no output in place too (``validate``, a run that
    wrote nothing): ``Aborted!`` and status 130."""
    _STATE.reset()
    _STATE.watching = True
    try:
        yield
    finally:
        _STATE.ending = True
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            signal.signal(signal.SIGINT, _stop)  # (a run that wrote nothing: Aborted!)


def mark(output: str) -> None:
    """Note that the run's output ``output`` (as the user gave it) is in place: from
    now on, where the command line watches (:func:`watching`), a signal says it was
    written. Where the signals are held (see :func:`~converter.atomic.signals_held`,
    :func:`~converter.atomic.terminable`), their handlers are put back as
    :func:`resting` says; where they are not, this module's takes them from now on."""
    if not _STATE.watching or threading.current_thread() is not threading.main_thread():
        return
    _STATE.output = output
    for signum in (signal.SIGINT, *ENDING):
        handler = signal.getsignal(signum)
        if resting(signum, handler) is not handler:  # (else: held, or not ours to take)
            signal.signal(signum, _stop)


@contextlib.contextmanager
def expecting(output: Path) -> Iterator[None]:
    """While the block writes the run's output ``output`` (as the user gave it), a file
    renamed into its place (see :func:`placed`) puts it in place, where the command line
    watches."""
    if not _STATE.watching:
        yield
        return
    _STATE.expected = (os.path.realpath(output), str(output))
    try:
        yield
    finally:
        _STATE.expected = None


def placed(path: Path) -> None:
    """Note that a file was just renamed to ``path`` (or found there already, the same
    bytes), the signals held: where it is the run's output (see :func:`expecting`), that
    output is in place (:func:`mark`)."""
    expected = _STATE.expected
    if expected is not None and os.path.realpath(path) == expected[0]:
        mark(expected[1])


def output_of(exc: BaseException | None) -> str | None:
    """The output the run that ``exc`` stopped had put in place, or None: the one it
    carries (or its cause, as click's ``Abort`` does), else this run's, once marked."""
    if exc is not None:
        for carrier in (exc, exc.__cause__):
            found = getattr(carrier, WRITTEN_ATTRIBUTE, None)
            if found is not None:
                return str(found)
    return _STATE.output


def stopped_message(exc: BaseException | None) -> str:
    """What a run stopped by ``exc`` (Ctrl-C's, SIGTERM's or SIGHUP's, or what click
    made of it) says: ``Aborted!``, or, once its output was in place, that it was
    written."""
    written = output_of(exc)
    if written is None:
        return "Aborted!"
    return f"muscle-convert: stopped once {written} was written: it holds this run's files"


def told() -> None:
    """Note that the run's stop is being said: a second signal says nothing more."""
    _STATE.said = True


def resting(signum: int, handler: Any) -> Any:
    """The handler of ``signum`` to put back in place of ``handler`` once nothing holds
    it: the default one (SIG_DFL, Python's Ctrl-C) becomes this module's once an output
    is in place where the command line watches; any other stays."""
    default = signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL
    return _stop if _STATE.output is not None and handler is default else handler


def is_default(handler: Any) -> bool:
    """Whether ``handler`` (of SIGTERM or SIGHUP) ends the process as the default does:
    SIG_DFL, or this module's (which says the output was written first)."""
    return handler is signal.SIG_DFL or handler is _stop


def say(line: str) -> None:
    """Write ``line`` on stderr as a signal's handler may: a stream that refuses it (a
    reader that stopped, a write under way) loses it, and the run ends all the same."""
    with contextlib.suppress(OSError, ValueError, RuntimeError):
        sys.stderr.write(f"{line}\n")
        sys.stderr.flush()


def _stop(signum: int, frame: FrameType | None) -> None:
    """The handler of Ctrl-C, SIGTERM and SIGHUP once an output is in place, and of
    Ctrl-C past every command the command line runs (:func:`watching`), whatever it
    wrote: Ctrl-C raises ``KeyboardInterrupt`` as ever while the command runs (the
    command line says the output was written); past the command, and for SIGTERM and
    SIGHUP at any time, the run says it was written (``Aborted!`` where it put no output
    in place), then ends at once (status 130, or by that signal)."""
    if signum == signal.SIGINT and not _STATE.ending:
        raise KeyboardInterrupt
    if not _STATE.said:
        _STATE.said = True
        say(stopped_message(None))
    if signum == signal.SIGINT:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, RuntimeError):
                stream.flush()
        os._exit(INTERRUPTED)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # (the process ends here)
