"""The worker processes that read inputs in parallel (``--jobs``): a pool whose workers
ignore Ctrl-C and end with the main process, stopped without waiting for good, and a
board in shared memory where each worker says which file it reads, so that a worker
that dies (killed, crashed) ends the run with one diagnostic naming that file instead
of a pool waiting for it for good."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

from .diagnostics import Diagnostic, MuscleError


def _start_worker(parent: int, board: Any = None) -> None:
    """Set up a pool's worker: Ctrl-C ignored (the main process stops the pool), SIGTERM
    (the pool's way to stop it) deadly even when the pool was made where a temporary
    file's handler had taken it (:func:`~converter.atomic.atomic_file`: the worker
    lived on, and the pool waited for it for good), and the worker ended with its
    parent (``kill`` of the main process left workers of ``fmt`` rewriting files).
    With a ``board`` (:class:`Board`) the worker takes its row there."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)  # (unless nohup: the terminal's end)
    _die_with_parent(parent)
    if board is not None:
        _take_row(board)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent(parent: int) -> None:
    """Have the system send this process SIGTERM when its parent ends (Linux), and end
    it now if the parent ``parent`` already has."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # (no prctl: not Linux)
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def start_context() -> Any:
    """The multiprocessing context the workers start in: the start method the program
    chose (``multiprocessing.set_start_method("spawn")``), else fork where the system
    can and it is safe (the cheapest), else the system's own: spawn on Windows, and on
    macOS, whose system libraries a forked process may crash in."""
    method = multiprocessing.get_start_method(allow_none=True)
    if (method is None and sys.platform != "darwin"
            and "fork" in multiprocessing.get_all_start_methods()):
        method = "fork"
    return multiprocessing.get_context(method)


def worker_pool(jobs: int, board: Board | None = None) -> Any:
    """A process pool of ``jobs`` workers, started as :func:`start_context` says (a
    :class:`Board` given is of the same context). Ctrl-C, which
    signals the whole process group, is ignored by the workers and stops the main
    process, which stops the pool: no worker prints a traceback or dies for the pool to
    replace. (The pool is made with SIGINT blocked, so a worker never holds it before
    it ignores it, and the main process gets one that came meanwhile right after.) A
    worker stopped by the pool leaves no temporary file behind
    (:func:`~converter.atomic.atomic_file`)."""
    context = start_context()
    start = {"initializer": _start_worker,
             "initargs": (os.getpid(), None if board is None else board.shared)}
    if not hasattr(signal, "pthread_sigmask"):
        return context.Pool(jobs, **start)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return context.Pool(jobs, **start)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def pooled(jobs: int, board: Board | None = None) -> Iterator[Any]:
    """A :func:`worker_pool` for the block, stopped when it ends. When it ends by an
    exception (Ctrl-C), the workers are ended without waiting for the pool's threads:
    ``Pool.terminate()`` waits for good when a worker it stopped held the result
    queue's lock (a CPython limitation; the run hung on Ctrl-C now and then)."""
    pool = worker_pool(jobs, board)
    try:
        yield pool
    except BaseException:
        _abandon(pool)
        raise
    pool.terminate()
    pool.join()


def _abandon(pool: Any) -> None:
    """End ``pool``'s workers (SIGTERM: each removes its temporary, see
    :func:`worker_pool`; SIGKILL for one that lingers) and leave its threads, which only
    serve it, to end with the process: nothing waits on a lock a worker held."""
    from multiprocessing.pool import TERMINATE

    pool._worker_handler._state = TERMINATE  # (it would start new workers)
    pool._state = TERMINATE
    pool._terminate.cancel()  # (its finalizer would wait at exit instead)
    workers = list(pool._pool)
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            worker.terminate()
    for worker in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            worker.join(2)
            if worker.is_alive():
                worker.kill()
                worker.join(2)


#: How often, in seconds, the main process waiting for a worker's chunk looks whether
#: a worker died (a result that comes is taken at once: this is no delay).
WATCH = 0.1
#: A worker's row on a :class:`Board`: its process id, the chunk and the place in it of
#: the file it reads (chunk -1: none).
_ROW = 3
#: In a worker: its board and row there (None: it has none).
_board: Any = None
_row: int | None = None


class WorkerDied(MuscleError):
    """A worker process of the pool died (killed by a signal, the OOM killer's; or ended
    by a reader's ``os._exit``): the run cannot read its files, and ends with this one
    ``worker-died`` error, naming the file the worker was reading when known."""


class Board:
    """Where each worker of a pool writes what it reads, in memory shared with the main
    process (one row per worker, see :data:`_ROW`), for a worker that dies to be named
    with its file. Writing it is two stores per file."""

    def __init__(self, jobs: int) -> None:
        self.shared = start_context().Array("q", [0, -1, 0] * jobs)

    def doing(self, pid: int) -> tuple[int, int] | None:
        """(chunk, place) of the file the worker ``pid`` was reading; None when it read
        none."""
        rows = self.shared.get_obj()
        for start in range(0, len(rows), _ROW):
            if rows[start] == pid and rows[start + 1] >= 0:
                return rows[start + 1], rows[start + 2]
        return None


def _take_row(board: Any) -> None:
    """In a new worker: take the first free row of ``board`` (a worker that replaces a
    dead one finds none, and the run ends anyway)."""
    global _board, _row
    with board.get_lock():
        rows = board.get_obj()
        for start in range(0, len(rows), _ROW):
            if rows[start] == 0:
                rows[start] = os.getpid()
                _board, _row = rows, start
                return


def say_reading(chunk: int, place: int = 0) -> None:
    """In a worker: say on its board that it reads the ``place``-th file of ``chunk``
    (chunk -1: nothing)."""
    if _row is not None:
        _board[_row + 1] = chunk
        _board[_row + 2] = place


def awaited(get: Callable[[float], Any], workers: list[Any],
            died: Callable[[Any], WorkerDied]) -> Any:
    """What ``get`` (a pool's ``AsyncResult.get``, or an ``imap``'s ``next``, given a
    timeout) gives, once it is ready; ``died(w)`` raised instead when one of the pool's
    first ``workers`` ends first: the pool would wait for good for a task whose worker
    died."""
    while True:
        try:
            return get(WATCH)
        except multiprocessing.TimeoutError:
            dead = next((w for w in workers if w.exitcode is not None), None)
            if dead is not None:
                raise died(dead) from None


def watched(results: Any, workers: list[Any], died: Callable[[Any], WorkerDied]
            ) -> Iterator[Any]:
    """The outcomes of a pool's ``imap``, ``results``, each :func:`awaited`."""
    while True:
        try:
            yield awaited(results.next, workers, died)
        except StopIteration:
            return


def how_it_ended(worker: Any) -> str:
    """How the process ``worker`` ended: "killed by signal 9, SIGKILL", "exited with
    code 9"."""
    code = worker.exitcode
    if code is not None and code < 0:
        try:
            name = f", {signal.Signals(-code).name}"
        except ValueError:
            name = ""
        return f"killed by signal {-code}{name}"
    return f"exited with code {code}"


def worker_died(how: str, path: str | None, doing: str = "reading") -> WorkerDied:
    """The ``worker-died`` error of a worker that ended ``how`` (:func:`how_it_ended`)
    while ``doing`` ("reading", "reformatting", "checking") the file ``path`` (None: not
    known)."""
    reading = f"while {doing} this file" if path else "between files"
    return WorkerDied(Diagnostic(path or "muscle-convert", None, None, "", "worker-died",
                                 f"a worker process died ({how}) {reading}; the run "
                                 "stopped"))
