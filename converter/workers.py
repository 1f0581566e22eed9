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
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from .atomic import _TEMPORARY_ENDINGS
from .diagnostics import Diagnostic, MuscleError
from .once_written import say
from .registry import Spelling, spell, spelling


def _start_worker(parent: int, board: Any = None, method: str = "fork",
                  spelled: Spelling | None = None, given_up: Any = None) -> None:
    """Set up a pool's worker: Ctrl-C ignored (the main process stops the pool), SIGTERM
    (the pool's way to stop it) deadly even when the pool was made where a temporary
    file's handler had taken it (:func:`~converter.atomic.atomic_file`: the worker
    lived on, and the pool waited for it for good), and the worker ended with the main
    process ``parent`` (``kill`` of it left workers of ``fmt`` rewriting files), which
    started it by the start ``method``, without a word as it hands back a result then
    (:func:`_end_on_closed_results`). With a ``board`` (:class:`Board`) the worker
    takes its row there. The signals :func:`worker_pool` held back until then are
    taken now (a SIGTERM that came meanwhile ends the worker here). The worker names
    options as ``spelled`` says, the spelling of the call it works for
    (:func:`~converter.registry.spelling`): a spawned worker, or one started in place of
    a dead one by the pool's thread, would begin with the command line's. A worker
    started once its pool was abandoned (``given_up``'s value set: see
    :func:`_stop_starting`) ends here, taking no work."""
    if spelled is not None:
        spell(spelled)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)  # (unless nohup: the terminal's end)
    _die_with_parent(parent, method)
    _end_on_closed_results()
    if board is not None:
        _take_row(board)
    if given_up is not None and given_up.value:  # (taken as the signals are, just below)
        os.kill(os.getpid(), signal.SIGTERM)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_AT_START)


def _die_with_parent(parent: int, method: str) -> None:
    """Have this worker end (SIGTERM) when the main process ``parent``, which started
    it by the start ``method``, ends, however it ends (``kill -9`` too): a thread of
    the worker watches for that, and it ends now if that one already has. A worker not
    forked by the main process (spawned, or the ``forkserver`` method's, the server's
    child: a server that lives as long as its workers do) watches the link
    multiprocessing keeps from the main process (its parent's sentinel, closed when
    that one ends); a forked one, whose siblings hold that link too, its parent's
    process descriptor (:func:`_parent_link`), which wakes it the moment the main
    process ends; where the system gives none, it looks whether its parent is still
    ``parent`` every :data:`_LOOK` seconds.

    Not the system's death signal (PR_SET_PDEATHSIG): it follows the *thread* that
    made the worker, which is the pool's handler thread for a worker started in place
    of a dead one, and that thread ends as the pool is terminated. Such a worker,
    killed as it waited for work holding the task queue's lock, left ``terminate()``
    waiting for that lock for good."""
    started_by = multiprocessing.parent_process()
    if method != "fork" and started_by is not None:
        watch: tuple[Callable[..., None], Any] = (_end_with, started_by.sentinel)
    else:
        link = _parent_link(parent)
        if os.getppid() != parent:  # (once the link is made: then it is the main one's)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        watch = (_orphaned, parent) if link is None else (_end_with, link)
    threading.Thread(target=watch[0], args=(watch[1],), daemon=True).start()


def _end_on_closed_results() -> None:
    """Have this pool's worker end (SIGTERM, as :func:`_die_with_parent` ends it) when
    the pipe its results go back by is closed: the main process has ended, and the
    worker's watch of that (:func:`_die_with_parent`) had not yet ended it as it handed
    back a result. The pool printed a traceback then (``BrokenPipeError``, twice)."""
    from multiprocessing.pool import worker  # (here: a replay imports no pool)

    process = multiprocessing.current_process()
    if getattr(process, "_target", None) is not worker:
        return  # (not a pool's worker)
    try:
        writer = process._args[1]._writer  # (the result queue's end, see Pool's worker)
        send = writer.send_bytes
    except (AttributeError, IndexError, TypeError):  # (another Python's pool: as before)
        return

    def sent(*args: Any, **kwargs: Any) -> None:
        try:
            send(*args, **kwargs)
        except BrokenPipeError:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            raise

    writer.send_bytes = sent


def _parent_link(parent: int) -> int | None:
    """A process descriptor (``os.pidfd_open``) of the process ``parent``, readable
    once it ends; None where the system gives none (not Linux, Linux before 5.3: ENOSYS;
    a sandbox that forbids it: EPERM) or ``parent`` has ended (ESRCH). It is of
    ``parent`` only if that one is still this process's parent once it is made: the
    process id of one that ended may be another's."""
    opener: Callable[[int], int] | None = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(parent)
    except OSError:
        return None


#: How often a forked worker looks whether its parent is still the main process, where
#: the system gives no process descriptor to wait on (:func:`_parent_link`).
_LOOK = 0.1


def _orphaned(parent: int) -> None:
    """In a forked worker's thread: end the worker (SIGTERM, taken by its main thread:
    this one holds it back) once its parent is no longer ``parent``."""
    while os.getppid() == parent:
        time.sleep(_LOOK)
    os.kill(os.getpid(), signal.SIGTERM)


def _end_with(link: Any) -> None:
    """In a worker's thread: end the worker (SIGTERM, taken by its main thread: this
    one holds it back) once ``link`` (a sentinel or process descriptor, of the main
    process or its link from it) is readable: that one has ended."""
    from multiprocessing.connection import wait

    wait([link])
    os.kill(os.getpid(), signal.SIGTERM)


def start_context() -> Any:
    """The multiprocessing context the workers start in: the start method the program
    chose (``multiprocessing.set_start_method("spawn")``), else fork where the system
    can and it is safe (the cheapest), else the system's own: spawn on Windows, and on
    macOS, whose system libraries a forked process may crash in. A spawned worker whose
    main process ends before it is set up ends without a word (see
    :mod:`~converter.spawned`)."""
    method = multiprocessing.get_start_method(allow_none=True)
    if (method is None and sys.platform != "darwin"
            and "fork" in multiprocessing.get_all_start_methods()):
        method = "fork"
    context = multiprocessing.get_context(method)
    if context.get_start_method() != "spawn":
        return context
    from .spawned import guarded

    return guarded(context)


#: The signals a worker is made with held back, until :func:`_start_worker` has set
#: it up: Ctrl-C, SIGTERM and SIGHUP.
_HELD_AT_START = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                           if hasattr(signal, name))


#: The most worker processes a pool starts, whatever ``--jobs`` asks: more than any
#: machine's CPUs the run may use, well below what a process may hold open (a worker
#: takes a pipe of the main process's).
MOST_PROCESSES = 256


def processes(jobs: int, chunks: int) -> int:
    """How many worker processes read ``chunks`` pieces of work when ``--jobs`` asks for
    ``jobs``: no more than there are chunks (one more would have nothing to do), nor
    than :data:`MOST_PROCESSES`; a huge ``jobs`` is as many as are useful."""
    return max(1, min(jobs, chunks, MOST_PROCESSES))


def worker_pool(jobs: int, board: Board | None = None) -> Any:
    """A process pool of ``jobs`` workers, started as :func:`start_context` says (a
    :class:`Board` given is of the same context). Ctrl-C, which
    signals the whole process group, is ignored by the workers and stops the main
    process, which stops the pool: no worker prints a traceback or dies for the pool to
    replace. (The pool is made with Ctrl-C, SIGTERM and SIGHUP blocked, and so are its
    threads, which start the workers it starts in place of dead ones: a worker never
    takes one before it is set up, with the handlers of the main process, which a
    temporary's writer may have set, and the main process gets one that came meanwhile
    right after.) SIGTERM and SIGHUP are held so for a forked worker only, which has
    those handlers: a spawned one starts with none, and held, a SIGTERM of
    ``terminate()`` would let one still starting up go on, to a traceback as it found
    the pool's semaphores gone. A worker stopped by the pool leaves no temporary file
    behind (:func:`~converter.atomic.atomic_file`). Every worker names options as the
    call that made the pool does (:func:`~converter.registry.spelling`)."""
    context = start_context()
    given_up = context.RawValue("b", 0)
    start = {"initializer": _start_worker,
             "initargs": (os.getpid(), None if board is None else board.shared,
                          context.get_start_method(), spelling(), given_up)}
    if not hasattr(signal, "pthread_sigmask"):
        pool = context.Pool(jobs, **start)
    else:
        forked = context.get_start_method() == "fork"
        held = signal.pthread_sigmask(signal.SIG_BLOCK,
                                      _HELD_AT_START if forked else {signal.SIGINT})
        try:
            pool = context.Pool(jobs, **start)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    setattr(pool, _GIVEN_UP, given_up)
    return pool


#: The attribute of a :func:`worker_pool` holding its flag in shared memory, set once
#: the pool is abandoned: a worker started later ends as it starts.
_GIVEN_UP = "_muscle_given_up"
#: The longest, in seconds, an abandoned pool's thread or worker is waited for (its end
#: comes well before on any machine, however loaded: this only guards against one
#: stuck, in a write to a full pipe, a stopped process or a hung disk). A worker still
#: alive then is killed (SIGKILL); a worker the thread starts later ends as it starts.
GIVE_UP = 60.0
#: The longest, in seconds, a worker killed once :data:`GIVE_UP` ran out is waited for
#: (a killed process ends at once: this only guards against one the system cannot end).
KILLED = 60.0


@contextlib.contextmanager
def pooled(jobs: int, board: Board | None = None) -> Iterator[Any]:
    """A :func:`worker_pool` for the block, stopped when it ends. When it ends by an
    exception (Ctrl-C), the workers are ended without waiting for the pool's threads:
    ``Pool.terminate()`` waits for good when a worker it stopped held the result
    queue's lock (a CPython limitation; the run hung on Ctrl-C now and then), or when a
    worker died waiting for work (:attr:`Board.lost`: it may have held the task queue's
    lock, which stopping the pool takes)."""
    pool = worker_pool(jobs, board)
    try:
        yield pool
    except BaseException:
        _abandon(pool)
        raise
    if board is not None and board.outlived(pool):  # (terminate() would wait for its lock)
        _abandon(pool)
        return
    pool.terminate()
    pool.join()


def _abandon(pool: Any) -> None:
    """End ``pool``'s workers (SIGTERM: each removes its temporary, see
    :func:`worker_pool`; SIGKILL for one that lingers) and leave its threads, which only
    serve it, to end with the process: nothing waits on a lock a worker held. The thread
    that starts workers in place of dead ones is stopped first (:func:`_stop_starting`).
    Each worker is waited for until it has ended (it removed the temporary it wrote),
    however long a loaded machine takes, up to :data:`GIVE_UP` seconds (then killed,
    and said: see :func:`_ended`); a second Ctrl-C ends the wait, the workers told to
    end already."""
    from multiprocessing.pool import TERMINATE

    pool._state = TERMINATE
    pool._terminate.cancel()  # (its finalizer would wait at exit instead)
    workers: list[Any] = []
    try:
        _stop_starting(pool)
    finally:
        workers = list(pool._pool)
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.terminate()
    for worker in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            _ended(worker)


def _ended(worker: Any) -> None:
    """Wait up to :data:`GIVE_UP` seconds for the abandoned ``worker`` (told to end) to
    end; one still alive then (stuck) is killed, and said, once it ended or
    :data:`KILLED` seconds more passed, by one ``worker-stuck`` warning naming its
    process id and the temporary files it held open (which it leaves behind)."""
    worker.join(GIVE_UP)
    if not worker.is_alive():
        return
    held = _temporaries_held(worker.pid)
    worker.kill()
    worker.join(KILLED)
    say(str(worker_stuck(worker.pid, [path for path in held if os.path.lexists(path)],
                         worker.is_alive())))


def _temporaries_held(pid: int) -> list[str]:
    """The temporaries (:mod:`converter.atomic`'s ``.<name>.<random>.tmp`` files and
    ``.tmpdir`` folders) that hold a file the process ``pid`` has open, as the system
    lists them (``/proc/<pid>/fd``; none where it lists none)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    found = set()
    for fd in fds:
        with contextlib.suppress(OSError):
            path = os.readlink(f"/proc/{pid}/fd/{fd}")
            parts = path.split("/") if path.startswith("/") else []
            at = next((at for at, name in enumerate(parts) if name.startswith(".")
                       and name.endswith(_TEMPORARY_ENDINGS)), None)
            if at is not None:
                found.add("/".join(parts[:at + 1]))
    return sorted(found)


def worker_stuck(pid: int, left: list[str], alive: bool) -> Diagnostic:
    """The ``worker-stuck`` warning of an abandoned worker ``pid`` that did not end
    within :data:`GIVE_UP` seconds of being told to, killed then, which leaves the
    temporary files ``left`` behind (``alive``: it did not end even when killed)."""
    ended = ("it did not end even when killed (SIGKILL)" if alive
             else "it was killed (SIGKILL)")
    if left:
        files = "file " if len(left) == 1 else "files "
        ended += (f", and {'may leave' if alive else 'left'} its temporary {files}"
                  f"{', '.join(left)} behind: remove {'it' if len(left) == 1 else 'them'}")
    return Diagnostic("muscle-convert", None, None, "", "worker-stuck",
                      f"a worker process (pid {pid}) did not end within {GIVE_UP:g} s of "
                      f"the run's stop; {ended}", "warning")


def _stop_starting(pool: Any) -> None:
    """Stop ``pool``'s handler thread, which starts workers in place of dead ones, and
    wait until it has ended, as ``Pool.terminate()`` does: a worker it was starting is
    then among the pool's, to be ended. One left out (the run stopped as a worker died)
    went on to start up once the main process had ended: spawned, it printed a
    traceback (``EOFError: Ran out of input``, the pool's semaphores gone). The wait
    is bounded by :data:`GIVE_UP` only against a thread stuck (said then, by
    :func:`starter_stuck`): a worker that thread starts later finds the pool's flag set
    (:func:`worker_pool`), and ends as it starts, taking no work."""
    from multiprocessing.pool import TERMINATE

    given_up = getattr(pool, _GIVEN_UP, None)
    if given_up is not None:
        given_up.value = 1
    pool._worker_handler._state = TERMINATE  # (it would start new workers)
    pool._change_notifier.put(None)  # (it waits for a worker's end, or this)
    pool._worker_handler.join(GIVE_UP)
    if pool._worker_handler.is_alive():
        say(str(starter_stuck()))


def starter_stuck() -> Diagnostic:
    """The ``worker-stuck`` warning of an abandoned pool whose thread that starts
    workers in place of dead ones did not end within :data:`GIVE_UP` seconds of being
    told to (see :func:`_stop_starting`): the run goes on without waiting for it."""
    return Diagnostic("muscle-convert", None, None, "", "worker-stuck",
                      f"the thread that starts worker processes in place of dead ones did "
                      f"not end within {GIVE_UP:g} s of the run's stop; the run goes on "
                      f"without it, and a worker it starts now ends as it starts", "warning")


#: How often, in seconds, the main process waiting for a worker's chunk looks whether
#: a worker died (a result that comes is taken at once: this is no delay).
WATCH = 0.1
#: How many looks in a row, once a worker died waiting for work, may find no worker
#: reading while the chunk waited for has not come, before the run stops: the dead one
#: held the lock of the pool's task queue as it waited (no other worker can take a
#: chunk again), or had taken that chunk (killed before it said so on its board).
STALLED = 30
#: A worker's row on a :class:`Board`: its process id, the chunk and the place in it of
#: the file it reads (chunk -1: none).
_ROW = 3
#: In a worker: its board and row there (None: it has none).
_board: Any = None
_row: int | None = None


class WorkerDied(MuscleError):
    """A worker process of the pool died (killed by a signal, the OOM killer's; or ended
    by a reader's ``os._exit``) holding files: the run cannot read them, and ends with
    this one ``worker-died`` error, naming the file the worker was reading when known."""


class Board:
    """Where each worker of a pool writes what it reads, in memory shared with the main
    process (one row per worker, see :data:`_ROW`), for a worker that dies to be named
    with its file. Writing it is two stores per file. It has a row for as many workers
    again, for those the pool starts in place of workers that died waiting for work."""

    def __init__(self, jobs: int) -> None:
        self.shared = start_context().Array("q", [0, -1, 0] * 2 * jobs)
        #: Whether a worker died waiting for work (in the main process).
        self.lost = False

    def row(self, pid: int) -> int | None:
        """Where the row of the worker ``pid`` starts; None when it has none."""
        rows = self.shared.get_obj()
        return next((at for at in range(0, len(rows), _ROW) if rows[at] == pid), None)

    def doing(self, pid: int) -> tuple[int, int] | None:
        """(chunk, place) of the file the worker ``pid`` was reading; None when it read
        none (or has no row)."""
        at = self.row(pid)
        rows = self.shared.get_obj()
        return None if at is None or rows[at + 1] < 0 else (rows[at + 1], rows[at + 2])

    def reading(self) -> dict[int, tuple[int, int]]:
        """(chunk, place) of the file each worker with a row reads, by process id."""
        rows = self.shared.get_obj()
        return {rows[at]: (rows[at + 1], rows[at + 2]) for at in range(0, len(rows), _ROW)
                if rows[at] and rows[at + 1] >= 0}

    def outlived(self, pool: Any) -> bool:
        """Whether a worker of ``pool`` died waiting for work (:attr:`lost`), or died
        unseen: its row is of no worker alive."""
        live = {w.pid for w in list(pool._pool) if w.exitcode is None}
        rows = self.shared.get_obj()
        return self.lost or any(rows[at] not in live for at in range(0, len(rows), _ROW)
                                if rows[at])

    def free(self, pid: int) -> None:
        """Leave the row of the dead worker ``pid`` to one the pool starts."""
        with self.shared.get_lock():
            at = self.row(pid)
            if at is not None:
                self.shared.get_obj()[at:at + _ROW] = [0, -1, 0]


def _take_row(board: Any) -> None:
    """In a new worker: take the first free row of ``board`` (one of a worker started in
    place of many dead ones may find none, and is not watched)."""
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


class Watch:
    """The main process's watch over a pool's workers as it waits for their chunks: a
    worker that died reading is the ``worker-died`` error naming its file
    (``named(chunk, place)``); one that died waiting for work held no file, and the run
    goes on with the workers left, unless the chunk waited for then never comes
    (:data:`STALLED`): the dead one held the task queue's lock, or had taken it. ``doing`` is what a
    worker does with a file ("reading", "reformatting", "checking"), ``done`` the files
    handed back so far, of ``total``."""

    def __init__(self, pool: Any, board: Board, named: Callable[[int, int], str | None],
                 done: Callable[[], int], total: int, doing: str = "reading") -> None:
        self.pool, self.board, self.named = pool, board, named
        self.done, self.total, self.doing = done, total, doing
        self.workers = list(pool._pool)
        self.idle_deaths: list[str] = []
        self.stalled = 0

    def look(self) -> None:
        """Raise the :class:`WorkerDied` of a worker that died holding files; count a
        look at a pool whose dead worker may have taken the chunk waited for."""
        self.workers += [w for w in list(self.pool._pool) if w not in self.workers]
        for worker in [w for w in self.workers if w.exitcode is not None]:
            self.workers.remove(worker)
            self._dead(worker)
        live = {w.pid for w in self.workers}
        reading = self.board.reading()
        if live.intersection(reading) or not (self.idle_deaths or set(reading) - live):
            self.stalled = 0
            return
        self.stalled += 1
        if self.stalled >= STALLED:
            raise self._stalled(reading)

    def _stalled(self, reading: dict[int, tuple[int, int]]) -> WorkerDied:
        """The error of a run whose chunk waited for never came: a worker was reading
        it when it died unseen (the pool had replaced it before a look), or one that
        died waiting for work held the task queue's lock, or had taken it."""
        if reading:
            return worker_died("its end unseen", self.named(*next(iter(reading.values()))),
                               self.doing)
        return worker_died(self.idle_deaths[0], None, self.doing, (self.done(), self.total))

    def _dead(self, worker: Any) -> None:
        """Raise the error of the dead ``worker`` if it held a file (or had no row to
        say); else note it, and leave its row to another."""
        how = how_it_ended(worker)
        if self.board.row(worker.pid) is None:
            raise worker_died(how, None, self.doing)
        doing = self.board.doing(worker.pid)
        if doing is not None:
            raise worker_died(how, self.named(*doing), self.doing)
        self.idle_deaths.append(how)
        self.board.lost = True
        self.board.free(worker.pid)


def awaited(get: Callable[[float], Any], watch: Watch) -> Any:
    """What ``get`` (a pool's ``AsyncResult.get``, or an ``imap``'s ``next``, given a
    timeout) gives, once it is ready; the ``watch``'s error raised instead when a worker
    dies holding files: the pool would wait for good for them."""
    while True:
        try:
            return get(WATCH)
        except multiprocessing.TimeoutError:
            watch.look()


def watched(results: Any, watch: Watch) -> Iterator[Any]:
    """The outcomes of a pool's ``imap``, ``results``, each :func:`awaited`."""
    while True:
        try:
            yield awaited(results.next, watch)
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


#: What a worker has done with the files it handed back, by what it does with one.
_DONE = {"reading": "read", "reformatting": "reformatted", "checking": "checked"}


def worker_died(how: str, path: str | None, doing: str = "reading",
                handed: tuple[int, int] | None = None) -> WorkerDied:
    """The ``worker-died`` error of a worker that ended ``how`` (:func:`how_it_ended`)
    while ``doing`` ("reading", "reformatting", "checking") the file ``path``; with no
    path, while waiting for work, the run stalled then (``handed``: how many files of
    how many the workers handed back), or at a moment not known."""
    if path:
        when = f"while {doing} this file"
    elif handed:
        when = (f"while waiting for work, and the others could not go on without it "
                f"({handed[0]} of {handed[1]} files {_DONE[doing]})")
    else:
        when = "at a moment not known (it had no place to say what it did)"
    return WorkerDied(Diagnostic(path or "muscle-convert", None, None, "", "worker-died",
                                 f"a worker process died ({how}) {when}; the run stopped"))
