"""converter.spawned: a spawned worker whose main process ended before it was set up
ends without a word; one whose start fails while the main process lives says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from converter import spawned
from tests.conftest import ROOT, WAIT, process_alive
from tests.waits import until

#: A main process that ends (``sys.argv[1]``: "exits", or is "killed" by SIGTERM) right
#: after it started a spawned worker, before it wrote what the worker runs: the worker
#: still at its start finds the pipe empty. It prints the worker's pid.
_ENDS_AS_IT_STARTS = """
import multiprocessing, os, signal, sys
from multiprocessing import util
from converter.workers import pooled

def started(path, args, fds, spawn=util.spawnv_passfds):
    pid = spawn(path, args, fds)
    if "--multiprocessing-fork" in args:  # (a worker, not the resource tracker)
        print(pid, flush=True)
        if sys.argv[1] == "killed":
            os.kill(os.getpid(), signal.SIGTERM)
        os._exit(0)
    return pid

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    util.spawnv_passfds = started
    with pooled(2):
        pass
"""

#: A main process that ends as its spawned worker, slow to start, still imports it (as
#: ``__mp_main__``, till the main process has ended): the main process ran
#: multiprocessing's last clean-up (the pool's semaphores removed), as it does when it
#: exits with a worker the pool's thread had just started. It prints the worker's pid.
_ENDS_AS_IT_IMPORTS = """
import multiprocessing, os, time
from multiprocessing import util

if __name__ == "__mp_main__":
    while os.getppid() == int(os.environ["MAIN_PID"]):
        time.sleep(0.01)

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    os.environ["MAIN_PID"] = str(os.getpid())
    from converter import workers
    pool = workers.worker_pool(1)
    print(pool._pool[0].pid, flush=True)
    pool._terminate.cancel()  # (not ended by the pool: started as the main one exits)
    util._run_finalizers(0)
    os._exit(0)
"""


def _main_process_ends(script: str, tmp_path: Path, *args: str) -> str:
    """Run ``script`` as a main process; its stderr and its worker's, once the worker
    (whose pid it prints) has ended too."""
    path = tmp_path / "main.py"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True,
                          timeout=WAIT, check=False, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    worker = int(done.stdout)  # (its pipes closed: it has ended, or is ending)
    until(lambda: not process_alive(worker), "the worker's end")
    return done.stderr


@pytest.mark.parametrize("ends", ["exits", "killed"])
def test_a_worker_whose_main_process_ended_before_it_wrote_its_start_says_nothing(
        tmp_path: Path, ends: str) -> None:
    """A spawned worker whose main process ended (exited, or killed) between starting it
    and writing what it runs printed a traceback (``EOFError: Ran out of input``). It
    ends without a word now."""
    stderr = _main_process_ends(_ENDS_AS_IT_STARTS, tmp_path, ends)
    assert "Traceback" not in stderr
    assert "Error" not in stderr


def test_a_worker_whose_main_process_ended_as_it_imported_says_nothing(tmp_path: Path
                                                                        ) -> None:
    """A spawned worker still importing (a loaded machine) as its main process ended
    found the pool's semaphores gone as it took its part, and printed a traceback
    (``FileNotFoundError``). It ends without a word now."""
    stderr = _main_process_ends(_ENDS_AS_IT_IMPORTS, tmp_path)
    assert "Traceback" not in stderr
    assert "Error" not in stderr


def _failed_start(program: str) -> subprocess.CompletedProcess[str]:
    """A guarded worker whose start is ``program``, of this (living) main process."""
    command = spawned.guarded_command(
        [sys.executable, "-c", program, "--multiprocessing-fork"], os.getpid())
    return subprocess.run(command, capture_output=True, text=True, timeout=WAIT,
                          check=False)


def test_a_start_that_fails_while_the_main_process_lives_says_why_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard keeps quiet only once the main process has ended: a worker whose start
    fails while it lives (its main module raises) prints its traceback, as ever, and at
    once: it waited :data:`~converter.spawned.ENDING` seconds (5) first, on every start
    the pool made again. (No wait here: the worker would outlast the run's bound.)"""
    monkeypatch.setattr(spawned, "ENDING", 10.0 * WAIT)
    done = _failed_start("raise ValueError('no start')")
    assert done.returncode == 1
    assert "Traceback" in done.stderr
    assert done.stderr.endswith("ValueError: no start\n")


def test_a_start_failing_as_an_ending_main_process_makes_it_fail_still_says_why(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A start that fails as the main process's end makes it (the pipe empty, a file
    gone) waits for that end: one of a main process that lives on says why then."""
    monkeypatch.setattr(spawned, "ENDING", 0.1)
    done = _failed_start("raise FileNotFoundError('no semaphore')")
    assert done.returncode == 1
    assert done.stderr.endswith("FileNotFoundError: no semaphore\n")


def test_a_frozen_programs_command_line_is_left_as_it_is() -> None:
    """A frozen program's worker runs no ``-c`` program: nothing to guard."""
    command = ["/opt/app", "--multiprocessing-fork", "tracker_fd=4", "pipe_handle=7"]
    assert spawned.guarded_command(command, 1) == command
