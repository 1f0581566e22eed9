"""The worker processes of a pool (converter/workers.py): how they end with the main
process, and how a pool the run abandons is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from converter.registry import COMMAND_LINE, PYTHON_API, Spelling, spelled, spelling
from tests.conftest import ROOT, START_METHODS, WAIT, in_threads, line_of, process_alive
from tests.waits import until

#: A main process whose two forked workers are at work, the pid of each printed; before
#: the pool is made, the script given as ``sys.argv[1]`` is run (a change to the system
#: or to converter.workers that the forked workers inherit).
_FORKED = """
import errno, multiprocessing, os, sys, time
from converter import workers
from tests.waits import WAIT, sleeping, until
exec(sys.argv[1])
multiprocessing.set_start_method("fork")
pool = workers.worker_pool(2)
busy = pool.map_async(time.sleep, [WAIT, WAIT], chunksize=1)
until(lambda: all(sleeping(p.pid) for p in pool._pool), "the workers' sleeps")
print(" ".join(str(p.pid) for p in pool._pool), flush=True)
time.sleep(WAIT)
"""


def _workers_outlive_a_killed_main(before: str) -> list[int]:
    """The forked workers (see :data:`_FORKED`, ``before`` run first) still alive
    :data:`~tests.waits.WAIT` seconds after ``kill -9`` of their main process."""
    main = subprocess.Popen([sys.executable, "-c", _FORKED, before], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        workers = [int(pid) for pid in line_of(main).split()]
        assert len(workers) == 2 and all(process_alive(pid) for pid in workers), workers
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=WAIT)
        deadline = time.monotonic() + WAIT
        while any(process_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in workers if process_alive(pid)]
        for pid in left:  # (not to outlive the test)
            os.kill(pid, signal.SIGKILL)
        return left
    finally:
        main.kill()
        main.wait(timeout=WAIT)


def test_a_forked_worker_is_woken_by_the_end_of_the_main_process() -> None:
    """A forked worker looked whether its main process had ended every 0.1 s, for as
    long as it lived: it waits on the main process's descriptor (pidfd) now, woken when
    that one ends. So it ends with it even were it to look only once an hour."""
    assert _workers_outlive_a_killed_main("workers._LOOK = 3600") == []


@pytest.mark.parametrize("refusal", [
    "def refused(pid, flags=0):\n    raise OSError(errno.ENOSYS, 'Function not implemented')\n"
    "os.pidfd_open = refused",
    "def refused(pid, flags=0):\n    raise OSError(errno.EPERM, 'Operation not permitted')\n"
    "os.pidfd_open = refused",
    "del os.pidfd_open"], ids=["ENOSYS", "EPERM", "missing"])
def test_a_forked_worker_without_pidfd_still_ends_with_the_main_process(
        refusal: str) -> None:
    """Where the system gives no process descriptor (Linux before 5.3, a sandbox that
    forbids it, another system), a forked worker looks whether its parent is still the
    main process, and ends with it."""
    assert _workers_outlive_a_killed_main(refusal) == []


_WATCHING = """
import sys, time
from converter.workers import _die_with_parent
from tests.waits import WAIT
_die_with_parent(int(sys.argv[1]), "fork")
time.sleep(WAIT)
"""


def test_a_worker_whose_main_process_ended_before_it_watched_ends() -> None:
    """A worker set up as its main process ended: the process id it was given may be
    another process's by then, which it must not wait for. It ends at once."""
    other = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({WAIT})"])
    try:
        worker = subprocess.run([sys.executable, "-c", _WATCHING, str(other.pid)],
                                cwd=ROOT, capture_output=True, text=True, timeout=WAIT,
                                check=False)
        assert (worker.returncode, worker.stderr) == (-signal.SIGTERM, "")
    finally:
        other.kill()
        other.wait(timeout=WAIT)



#: A main process whose forked worker, its watch of the main process left out (as
#: though that watch came late), hands back a result once the main process has ended:
#: the task prints the worker's pid, then waits (WAIT seconds at most) for its parent's
#: end.
_ORPHANED_RESULT = """
import multiprocessing, os, time
from converter import workers
from tests.waits import WAIT
workers._die_with_parent = lambda parent, method: None
multiprocessing.set_start_method("fork")
def orphaned(parent):
    print(os.getpid(), flush=True)
    deadline = time.monotonic() + WAIT
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.01)
    return "late"
pool = workers.worker_pool(1)
pool.apply_async(orphaned, (os.getpid(),))
time.sleep(WAIT)
"""


def test_a_worker_handing_back_a_result_after_the_main_process_ended_ends_silently(
        ) -> None:
    """SIGTERM or SIGKILL of a run made a worker print a traceback now and then (1 run
    in 5): it handed back a result before its watch of the main process ended it, into
    the closed pipe (BrokenPipeError, twice, from the pool's worker). It ends without
    a word now."""
    main = subprocess.Popen([sys.executable, "-c", _ORPHANED_RESULT], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        worker = int(main.stdout.readline())
        main.send_signal(signal.SIGKILL)
        _, stderr = main.communicate(timeout=WAIT)  # (the worker holds its pipes till its end)
        assert stderr == ""
        deadline = time.monotonic() + WAIT  # (its pipes closed, it may be ending still)
        while process_alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not process_alive(worker)
    finally:
        main.kill()
        main.communicate()


#: A main process that abandons its pool (Ctrl-C) as the pool's handler thread starts
#: a worker in place of one killed: that thread's start of it is held once the pool is
#: being abandoned, ``sys.argv[2]`` says how long: "3" seconds (longer than the 2 s the
#: main process once waited for that thread), or "given up", until the main process
#: gave up waiting for that thread (its last-resort bound, made 0.1 s here, ran out) and
#: ended the workers it knew of. It prints how many of its workers live once each has
#: ended (WAIT seconds at most) after the pool is abandoned and the worker started.
_ABANDONED = """
import multiprocessing, os, signal, sys, threading, time
from multiprocessing import pool as pools
multiprocessing.set_start_method(sys.argv[1])
from converter import workers
from tests.waits import WAIT
entered, started, ended = threading.Event(), threading.Event(), threading.Event()
kill = os.kill
def noted(pid, signum):
    if signum == signal.SIGTERM:
        ended.set()
    kill(pid, signum)
os.kill = noted
if sys.argv[2] == "given up":
    workers.GIVE_UP = 0.1
start = pools.Pool._repopulate_pool_static
def late(*args):
    handler = threading.current_thread()
    if handler is threading.main_thread():  # (the pool's first workers)
        return start(*args)
    entered.set()
    deadline = time.monotonic() + WAIT  # (a pool never abandoned: the script fails as it waits)
    while handler._state == pools.RUN and time.monotonic() < deadline:
        time.sleep(0.01)
    if sys.argv[2] == "given up":
        ended.wait(WAIT)
    else:
        time.sleep(float(sys.argv[2]))
    start(*args)
    started.set()
pools.Pool._repopulate_pool_static = staticmethod(late)
try:
    with workers.pooled(2) as pool:
        pool.apply_async(os.getpid).get(WAIT)
        kill(pool._pool[0].pid, signal.SIGKILL)
        assert entered.wait(WAIT), "no worker was started in place of the killed one"
        raise KeyboardInterrupt
except KeyboardInterrupt:
    assert started.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    print(len(multiprocessing.active_children()), flush=True)
"""


@pytest.mark.parametrize("held", ["3", "given up"])
@pytest.mark.parametrize("start", START_METHODS)
def test_an_abandoned_pool_stops_the_worker_it_was_starting(start: str, held: str) -> None:
    """A run that stopped (a worker died reading, Ctrl-C) as the pool's handler thread
    started a worker in place of a dead one left that worker out of those it stopped:
    spawned, it went on to start up once the main process had ended, and printed a
    traceback (EOFError: Ran out of input, or the pool's semaphores gone); seen once in
    40 runs of a dying worker's test on a loaded machine. The pool's handler thread is
    stopped now before its workers are, as ``Pool.terminate()`` does, and waited for
    however long it takes (it waited 2 s at most: a start held 3 s was left out, a
    forked worker then living on, waiting for work); and a worker it starts once the
    main process gave up waiting for it (a thread stuck, past the last-resort bound)
    ends as it starts, taking no work: none is left."""
    done = subprocess.run([sys.executable, "-c", _ABANDONED, start, held],
                          capture_output=True, text=True, timeout=2 * WAIT, cwd=ROOT,
                          check=False)
    assert (done.returncode, done.stdout) == (0, "0\n"), done.stderr
    assert "Traceback" not in done.stderr


#: A main process whose one worker writes a file (by converter.atomic's temporary
#: beside it, ``sys.argv[2]``) as the pool is abandoned on Ctrl-C, and is slow to end
#: on the pool's SIGTERM: its removal of the temporary takes 3 seconds (a slow disk, a
#: loaded machine).
_SLOW_TO_END = """
import multiprocessing, os, sys, time
from pathlib import Path
from converter.atomic import atomic_path
from converter.workers import pooled
from tests.waits import WAIT, until

SLOW_SECONDS = 3  # (longer than the 2 s an abandoned pool once gave a worker)

def slow_unlink(path, unlink=os.unlink):
    time.sleep(SLOW_SECONDS)
    unlink(path)

def write(path):
    with atomic_path(Path(path)):
        os.unlink = slow_unlink
        deadline = time.monotonic() + WAIT  # (till the pool's SIGTERM raises here)
        while time.monotonic() < deadline:
            time.sleep(0.01)

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    try:
        with pooled(1) as pool:
            pool.apply_async(write, (sys.argv[2],))
            until(lambda: len(os.listdir(os.path.dirname(sys.argv[2]))) == 1,
                  "the worker's temporary")
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        print(sorted(os.listdir(os.path.dirname(sys.argv[2]))), flush=True)
"""


@pytest.mark.parametrize("start", START_METHODS)
def test_an_abandoned_pool_waits_for_a_worker_slow_to_remove_its_temporary(
        start: str, tmp_path: Path) -> None:
    """A pool abandoned (Ctrl-C) gave each worker 2 s to end on its SIGTERM, then killed
    it (SIGKILL): a worker slow to take it (a long fsync, a loaded machine) as it wrote
    a file left its temporary behind, beside the file. The main process waits for the
    worker's end now (a minute at most, a last resort for one stuck), by which it
    removed its temporary: none is left."""
    script = tmp_path / "slow_to_end.py"
    script.write_text(_SLOW_TO_END)
    folder = tmp_path / "out"
    folder.mkdir()
    done = subprocess.run([sys.executable, str(script), start, str(folder / "m.json")],
                          capture_output=True, text=True, timeout=WAIT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
    assert "Traceback" not in done.stderr


def _spelled_here(_: int) -> Spelling:
    """The spelling of options in force where this runs (a worker process)."""
    return spelling()


def test_workers_spell_options_as_the_call_that_made_their_pool(start_method: str) -> None:
    """A spawned worker (and one the pool started in place of a dead one) began with the
    command line's spelling, whatever call it worked for: an API call's diagnostics made
    there named --flat, not flat=True. Each worker spells as the call does, the pool made
    in the main thread or in a thread of the caller's."""
    from converter.workers import pooled

    def seen(_: int) -> set[Spelling]:
        with spelled(PYTHON_API), pooled(2) as pool:
            return set(pool.map_async(_spelled_here, range(8), chunksize=1).get(WAIT))

    assert seen(0) == {PYTHON_API}
    assert in_threads(seen, 1) == [{PYTHON_API}]
    with pooled(2) as pool:  # (and the command line's, where no call says another)
        assert set(pool.map_async(_spelled_here, range(4), chunksize=1).get(WAIT)) == {
            COMMAND_LINE}


def _stuck_writing(path: str) -> None:
    """In a worker: write ``path`` by a temporary beside it, held open, and take no
    SIGTERM (as a worker stuck in a hung disk's write does not end on it)."""
    from converter.atomic import temporary_file

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with open(temporary_file(Path(path)), "w", encoding="utf-8") as held:
        held.write("half")
        held.flush()
        time.sleep(WAIT)  # (killed well before)


def test_a_worker_that_does_not_end_when_the_pool_is_abandoned_is_said(
        start_method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """A worker still alive when the guard on an abandoned pool's wait for it
    (:data:`~converter.workers.GIVE_UP`) ran out was killed without a word, and the
    temporary it wrote was left behind unsaid. One ``worker-stuck`` warning names it
    now, with its process id. (Only the wait before the kill is cut short: the one for
    the killed worker's end, :data:`~converter.workers.KILLED`, is left as it is, so a
    busy machine's slow reaping does not make it "did not end even when killed".)"""
    from converter import workers

    monkeypatch.setattr(workers, "GIVE_UP", 0.1)
    assert workers.KILLED >= 60
    output = tmp_path / "m.json"
    with pytest.raises(KeyboardInterrupt), workers.pooled(1) as pool:
        pid = pool._pool[0].pid
        pool.apply_async(_stuck_writing, (str(output),))
        until(lambda: len(list(tmp_path.iterdir())) == 1, "the worker's temporary")
        raise KeyboardInterrupt
    [temporary] = tmp_path.iterdir()
    said = capfd.readouterr().err.splitlines()
    # (GIVE_UP bounds the wait for the pool's own thread too: on a busy machine it may be
    # said as well, by the test of it below, and is no concern of this one)
    assert [line for line in said if "the thread that starts" not in line] == [
        f"muscle-convert: warning: a worker process (pid {pid}) did not end within 0.1 s "
        f"of the run's stop; it was killed (SIGKILL), and left its temporary file "
        f"{temporary} behind: remove it [worker-stuck]"]
    assert not process_alive(pid)


def test_a_pool_thread_that_does_not_end_when_the_pool_is_abandoned_is_said(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """The wait for an abandoned pool's thread that starts workers in place of dead
    ones ran out (:data:`~converter.workers.GIVE_UP`) without a word, the thread stuck.
    One ``worker-stuck`` warning says it now."""
    from multiprocessing import pool as pools

    from converter import workers

    waiting, released = threading.Event(), threading.Event()

    def stuck(cls: type, sentinels: list[Any], change_notifier: Any,
              timeout: float | None = None) -> None:
        waiting.set()
        released.wait(WAIT)  # (woken by no worker's end, nor by the pool's stop)

    monkeypatch.setattr(pools.Pool, "_wait_for_updates", classmethod(stuck))
    monkeypatch.setattr(workers, "GIVE_UP", 0.1)
    try:
        with workers.pooled(1) as pool:
            assert waiting.wait(WAIT), "the pool's thread did not wait"
            workers._stop_starting(pool)
            assert pool._worker_handler.is_alive()
            released.set()
    finally:
        released.set()
    assert capfd.readouterr().err.splitlines() == [
        "muscle-convert: warning: the thread that starts worker processes in place of "
        "dead ones did not end within 0.1 s of the run's stop; the run goes on without "
        "it, and a worker it starts now ends as it starts [worker-stuck]"]


def _many(folder: Path, count: int) -> Path:
    """``count`` valid Markdown muscles of their own titles in ``folder``."""
    folder.mkdir()
    seed = (ROOT / "samples" / "soleus.md").read_text(encoding="utf-8")
    for n in range(count):
        text = "".join(f"title: T{n}\n" if line.startswith("title:") else line
                       for line in seed.splitlines(keepends=True)
                       if not line.startswith("slug:"))
        (folder / f"m{n}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("command", "started"), [("validate", 3), ("fmt", 9)])
@pytest.mark.parametrize("jobs", ["99999999999999999999", str(2**63 - 1), "500"])
def test_a_huge_jobs_starts_the_processes_the_work_needs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, started: int,
        jobs: str) -> None:
    """A --jobs over what a process can index ended in a traceback (OverflowError, or
    MemoryError for 2**63-1, making the board of that many rows), and a pool always
    started --jobs processes, 500 of them for 3 chunks of work. A pool now starts one
    per chunk at most (140 files: 3 chunks of 64 to read, 9 of 16 to reformat)."""
    from click.testing import CliRunner

    from converter import workers
    from converter.cli import cli

    files = _many(tmp_path / "many", 140)
    made, real = [], workers.worker_pool
    monkeypatch.setattr(workers, "worker_pool", lambda n, board=None: (
        made.append(n), real(n, board))[1])
    extra = ["--no-cache", "-q"] if command == "validate" else []
    result = CliRunner().invoke(cli, [command, str(files), *extra, "-j", jobs])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0, result.output
    assert made == [started]


def test_a_huge_jobs_in_a_config_file_starts_the_processes_the_work_needs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobs = 99999999999999999999`` in muscle-convert.toml ended in a traceback as
    the same --jobs did; it is as many processes as are useful now."""
    from click.testing import CliRunner

    from converter import workers
    from converter.cli import cli

    _many(tmp_path / "many", 140)
    (tmp_path / "muscle-convert.toml").write_text("jobs = 99999999999999999999\n",
                                                  encoding="utf-8")
    made, real = [], workers.worker_pool
    monkeypatch.setattr(workers, "worker_pool", lambda n, board=None: (
        made.append(n), real(n, board))[1])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "many", "--no-cache", "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (result.exit_code, made) == (0, [3])


def test_processes_are_at_most_the_chunks_and_the_bound() -> None:
    from converter.workers import MOST_PROCESSES, processes

    assert [processes(2, 5), processes(500, 4), processes(10**20, 10**6),
            processes(MOST_PROCESSES + 1, MOST_PROCESSES + 1)] == [
        2, 4, MOST_PROCESSES, MOST_PROCESSES]
