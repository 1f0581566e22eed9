"""For the tests of a worker process that dies while it waits for work: run in another
worker of the pool (a reader's or a reformatter's hook), each waits for the moment it
names, however loaded the system is: no sleep stands in for it."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Collection
from typing import Any

from converter import workers
from tests.waits import WAIT


def _rows() -> Any:
    """The board of this worker's pool (see :class:`converter.workers.Board`)."""
    assert workers._board is not None, "only in a worker of a pool with a board"
    return workers._board


def other_workers(count: int = 1) -> list[int]:
    """The process ids of the pool's other workers (those with a row on its board), once
    there are ``count`` (the tests run ``-j 2``: one): a worker takes its row as it
    starts, and a spawned one may start after this one has read all it reads to here
    (its imports take seconds on a loaded system)."""
    rows = _rows()
    deadline = time.monotonic() + WAIT
    while True:
        found = [rows[at] for at in range(0, len(rows), 3) if rows[at] not in (0, os.getpid())]
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, f"no other worker started in {WAIT} s"
        time.sleep(0.01)


def _queue_lock_held() -> bool:
    """Whether another process holds the lock of the pool's task queue, as a worker does
    while it waits on the queue for work (``SimpleQueue.get``)."""
    lock = multiprocessing.current_process()._args[0]._rlock  # (the worker's inqueue)
    if lock.acquire(False):
        lock.release()
        return False
    return True


def wait_until_waiting_for_work(pids: Collection[int]) -> None:
    """Wait until the other worker ``pids`` (one: the tests run ``-j 2``) waits for work:
    it says it reads nothing, and holds the task queue's lock, which it takes only once
    it handed back all it read."""
    assert len(pids) == 1, "the lock tells of one worker waiting"
    rows = _rows()
    deadline = time.monotonic() + WAIT
    while any(rows[at + 1] != -1 for at in range(0, len(rows), 3) if rows[at] in pids) or (
            not _queue_lock_held()):
        assert time.monotonic() < deadline, f"no other worker waited for work in {WAIT} s"
        time.sleep(0.01)


def wait_until_seen_dead(pids: Collection[int]) -> None:
    """Wait until the main process saw the workers ``pids`` dead: it leaves their rows on
    the board to others (:meth:`converter.workers.Board.free`)."""
    rows = _rows()
    deadline = time.monotonic() + WAIT
    while any(rows[at] in pids for at in range(0, len(rows), 3)):
        assert time.monotonic() < deadline, f"the workers were not seen dead in {WAIT} s"
        time.sleep(0.01)
