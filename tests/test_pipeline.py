"""Reading the sources discovery found (discovery's own tests: tests/test_discovery.py):
its workers, its streams of muscles, the reads for the cache."""

from __future__ import annotations

import builtins
import dataclasses
import gc
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import converter
import converter.cache
from converter import pipeline
from converter.diagnostics import MuscleError
from converter.discovery import discover
from converter.lint import Fingerprint
from converter.model import Muscle
from converter.pipeline import Reader
from converter.registry import ReadContext, get_format
from converter.run import validate_sources
from tests.conftest import (
    MUSCLE,
    ROOT,
    SAMPLES,
    START_METHODS,
    WAIT,
    ended_within,
    line_of,
    process_alive,
)


@pytest.mark.parametrize("cached", [True, False])
def test_a_file_that_cannot_be_read_says_so_alike_with_and_without_the_cache(
        cached: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read ahead for the cache, an I/O error said "[Errno 5] Input/output error: ..."."""
    import errno

    from converter import contexts, pipeline

    def broken(path: Any, *_: Any) -> bytes:
        raise OSError(errno.EIO, "Input/output error", str(path))

    monkeypatch.setattr(pipeline, "read_at_most", broken)
    monkeypatch.setattr(contexts, "read_at_most", broken)
    path = tmp_path / "m.md"
    path.write_text(MUSCLE.format(title="T"), encoding="utf-8")
    read = pipeline._read_one((str(path), "markdown", ("en", 1 << 20, None, None, "--max-bytes"),
                                cached))
    assert [(d.code, d.message) for d in read.result.diagnostics] == [
        ("unreadable", "Input/output error")]


def test_the_slug_stream_counts_every_muscle_and_file(tmp_path: Path) -> None:
    for title in ("Soleus", "Plantaris", "Soleus"):
        (tmp_path / f"{title}-{len(list(tmp_path.iterdir()))}.md").write_text(
            MUSCLE.format(title=title), encoding="utf-8")
    inputs, _ = discover([tmp_path])
    reader = Reader(inputs)
    assert sorted(reader.slugs()) == ["plantaris-1", "soleus-0", "soleus-2"]
    assert reader.count == 3 and reader.files_read == 3


@pytest.mark.parametrize("max_bytes", [10_000_000, 100])
def test_a_file_read_for_the_cache_is_opened_once(tmp_path: Path, max_bytes: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Its hash and its muscle come from the same bytes; over ``--max-bytes`` it is
    refused as ever."""
    path = tmp_path / "deltoideus.md"
    shutil.copy(SAMPLES / "deltoideus.md", path)
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    read = pipeline._read_one((str(path), "markdown", ("en", max_bytes, None, None, "--max-bytes"),
                                True))
    assert read.result.content == hashlib.sha256(path.read_bytes()).digest()
    if max_bytes > 100:
        assert opened.count(str(path)) == 1
        assert [m.slug for m in read.muscles] == ["deltoideus"]
    else:
        assert [d.code for d in read.result.diagnostics] == ["file-too-large"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process: a source that blocks must not hang the tests."""
    return subprocess.run([sys.executable, "-m", "converter", *args, "--no-cache", "-j", "1"],
                          capture_output=True, text=True, timeout=WAIT, cwd=ROOT)


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_source_that_is_not_a_file_is_one_diagnostic(tmp_path: Path, special: str) -> None:
    """A FIFO would block the read and /dev/zero never end: both are refused unread,
    and the other sources are still converted."""
    source = tmp_path / "pipe.md" if special == "fifo" else Path(special)
    if special == "fifo":
        os.mkfifo(source)
    out = tmp_path / "m.json"
    done = _cli("convert", "--from", "markdown", str(source), str(SAMPLES / "soleus.md"),
                "--to", "json", "-o", str(out))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{source}: error: is not a regular file or directory" in done.stderr
    assert [m.slug for m in converter.read(out)] == ["soleus"]


def test_reading_refuses_a_file_over_the_limit_and_a_fifo(tmp_path: Path) -> None:
    big, fifo = tmp_path / "big.md", tmp_path / "pipe.md"
    big.write_bytes(b"x" * 11)
    with pytest.raises(MuscleError) as caught:
        ReadContext(max_bytes=10).read_bytes(big)
    assert [d.code for d in caught.value.diagnostics] == ["file-too-large"]
    os.mkfifo(fifo)  # (in a process of its own: opening it would block)
    done = subprocess.run([sys.executable, "-c", (
        "import sys; from pathlib import Path; from converter.diagnostics import MuscleError;"
        "from converter.registry import ReadContext\n"
        "try: ReadContext().read_bytes(Path(sys.argv[1]))\n"
        "except MuscleError as e: print(e.diagnostics[0].code)"), str(fifo)],
        capture_output=True, text=True, timeout=WAIT, cwd=ROOT)
    assert done.stdout.split() == ["not-a-file"]


def _write_slowly(path: str) -> None:
    """Start writing ``path`` atomically, say so, and wait to be stopped."""
    import time

    from converter.atomic import atomic_file
    with atomic_file(Path(path), "w", encoding="utf-8") as fh:
        fh.write("half")
        fh.flush()
        Path(f"{path}.started").touch()
        time.sleep(WAIT)  # (stopped long before: a test that died tells it nothing)


def test_a_worker_the_pool_stops_mid_write_leaves_no_temporary(tmp_path: Path) -> None:
    """Ctrl-C during fmt: the pool's SIGTERM ended a worker inside its atomic write,
    and its hidden temporary stayed in the user's folder."""
    import time

    from converter.workers import worker_pool
    out = tmp_path / "x.md"
    pool = worker_pool(1)
    pool.apply_async(_write_slowly, (str(out),))
    deadline = time.monotonic() + WAIT
    while not Path(f"{out}.started").exists():
        assert time.monotonic() < deadline, f"the worker started no write in {WAIT} s"
        time.sleep(0.01)
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # (writing)
    ended_within(pool.terminate, "the pool's terminate()")
    ended_within(pool.join, "the pool's join()")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md.started"]


def _sigterm_handler() -> object:
    import signal
    return signal.getsignal(signal.SIGTERM)


def test_a_pool_made_while_a_temporary_is_written_stops(tmp_path: Path) -> None:
    """A jsonl conversion forks its pool inside its atomic write, whose SIGTERM handler
    the workers took: the pool's SIGTERM then raised in a worker instead of ending it,
    and Ctrl-C hung the run for good."""
    import signal

    from converter.atomic import atomic_file
    from converter.workers import worker_pool
    with atomic_file(tmp_path / "out.jsonl", "w", encoding="utf-8"):
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        pool = worker_pool(2)
    try:
        assert pool.apply_async(_sigterm_handler).get(WAIT) is signal.SIG_DFL
    finally:
        ended_within(pool.terminate, "the pool's terminate()")
        ended_within(pool.join, "the pool's join()")


_ORPHANED = """
import os, sys, time
from converter.workers import worker_pool
from tests.waits import WAIT, sleeping, until
pool = worker_pool(2)
busy = pool.map_async(time.sleep, [WAIT, WAIT], chunksize=1)  # (a worker at work reads
until(lambda: all(sleeping(p.pid) for p in pool._pool),       # no end of its task queue)
      "the workers' sleeps")
print(" ".join(str(p.pid) for p in pool._pool), flush=True)
time.sleep(WAIT)
"""


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_workers_end_with_the_main_process(signal_name: str) -> None:
    """``kill`` of the main process of fmt left its workers rewriting files."""
    import signal
    import time

    main = subprocess.Popen([sys.executable, "-c", _ORPHANED], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    try:
        workers = [int(pid) for pid in line_of(main).split()]
        assert len(workers) == 2
        main.send_signal(getattr(signal, signal_name))
        main.wait(timeout=WAIT)
        deadline = time.monotonic() + WAIT
        while any(Path(f"/proc/{pid}").exists() and "zombie" not in Path(
                f"/proc/{pid}/status").read_text() for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived the main process"
            time.sleep(0.05)
    finally:
        main.kill()
        main.wait(timeout=WAIT)


_REPLACED = """
import multiprocessing, os, sys, time
multiprocessing.set_start_method(sys.argv[1])
from converter.workers import worker_pool
from tests.waits import WAIT, sleeping, until
pool = worker_pool(2)
pool.apply_async(os.getpid).get(WAIT)            # (the workers set up, at work)
first = {p.pid for p in pool._pool}
pool.apply_async(os._exit, (0,))                 # (one ends; the pool's handler thread,
deadline = time.monotonic() + WAIT               # not the main one, starts another)
while {p.pid for p in pool._pool} <= first or len(pool._pool) < 2:
    assert time.monotonic() < deadline, "no worker was started in place of one"
    time.sleep(0.01)
busy = pool.map_async(time.sleep, [WAIT, WAIT], chunksize=1)
until(lambda: all(sleeping(p.pid) for p in pool._pool), "the workers' sleeps")
print(" ".join(str(p.pid) for p in pool._pool), flush=True)
time.sleep(WAIT)
"""


@pytest.mark.parametrize("start", ["fork", "spawn", "forkserver"])
def test_workers_the_pool_started_in_place_of_one_end_with_the_main_process(
        start: str) -> None:
    """A worker the pool starts in place of one that ended is started by the pool's
    handler thread, whose end the system's death signal follows: ``kill -9`` of the main
    process ends it too (that thread ends with it), however workers start. Started by a
    fork server, every worker ended itself as it was set up (its parent, the server, is
    not the main process), and the pool read nothing."""
    import signal
    import time

    main = subprocess.Popen([sys.executable, "-c", _REPLACED, start],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)  # (a killed process's semaphores are warned of)
    try:
        workers = [int(pid) for pid in line_of(main).split()]
        assert len(workers) == 2 and all(process_alive(pid) for pid in workers)
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=WAIT)
        deadline = time.monotonic() + WAIT
        while any(process_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived the main process"
            time.sleep(0.05)
    finally:
        main.kill()
        main.wait(timeout=WAIT)


_HELD_LOCK = """
import multiprocessing, sys
multiprocessing.set_start_method(sys.argv[1])
from converter.workers import pooled
try:
    with pooled(2) as pool:
        pool._outqueue._wlock.acquire()  # (as a worker stopped while writing a result)
        raise KeyboardInterrupt
except KeyboardInterrupt:
    print("out", flush=True)
"""


@pytest.mark.parametrize("start", START_METHODS)
def test_ctrl_c_leaves_a_pool_whose_result_lock_a_worker_held(start: str) -> None:
    """Pool.terminate() waited for good for the result queue's lock, which a worker
    stopped while writing a result had held: Ctrl-C hung the run now and then (workers
    forked or spawned)."""
    done = subprocess.run([sys.executable, "-c", _HELD_LOCK, start], capture_output=True,
                          text=True, timeout=WAIT, cwd=ROOT, check=False)
    assert (done.returncode, done.stdout) == (0, "out\n"), done.stderr
    assert "Traceback" not in done.stderr


def test_a_slug_taken_by_a_name_that_looks_the_same_says_how_they_differ(
        tmp_path: Path) -> None:
    """The message named two paths that look alike: one name in NFC, one in NFD."""
    import unicodedata

    for form in ("NFC", "NFD"):
        (tmp_path / unicodedata.normalize(form, "sartorius-å.md")).write_text(
            "---\ntitle: S\n---\n", encoding="utf-8")
    result = validate_sources([tmp_path], jobs=1)
    (taken,) = [d for d in result.diagnostics if d.code == "duplicate-slug"]
    assert taken.message.endswith(
        " (the two names differ only in how their accented letters are encoded, NFC and "
        "NFD, as macOS and other systems write them: remove one)")


def test_names_that_look_the_same_say_how_they_differ_when_a_third_took_the_slug(
        tmp_path: Path) -> None:
    """With CAFE.md first, Café.md in NFC and in NFD each said only 'already used by
    CAFE.md': two lines that look the same. Each names the other and how they differ,
    read in one process or two, anew or from the cache."""
    import unicodedata

    src = tmp_path / "src"
    src.mkdir()
    (src / "CAFE.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    twins = [src / unicodedata.normalize(form, "Café.md") for form in ("NFC", "NFD")]
    for twin in twins:
        twin.write_text("---\ntitle: B\n---\n", encoding="utf-8")
    for n in range(2 * pipeline.CHUNK):  # (enough files for --jobs 2 to read in a pool)
        (src / f"m{n}.md").write_text(f"---\ntitle: M{n}\n---\n", encoding="utf-8")
    note = (" (another file, {}, has a name that differs from this one's only in how "
            "their accented letters are encoded, NFC and NFD, as macOS and other systems "
            "write them: remove one)")
    expected = sorted((str(twin), "the file name gives the slug 'cafe', which is already "
                       f"used by {src / 'CAFE.md'}" + note.format(other))
                      for twin, other in zip(twins, reversed(twins), strict=True))
    for jobs, cache in ((1, None), (2, None), (1, tmp_path / "cache"),
                        (2, tmp_path / "cache")):
        result = validate_sources([src], jobs=jobs, cache_dir=cache)
        assert sorted((d.path, d.message) for d in result.diagnostics) == expected


def test_a_folder_whose_files_exclude_left_out_says_so_beside_an_export(
        tmp_path: Path) -> None:
    """With an export of muscle-convert in the folder too, the hint named the export
    ('only in 1 folder muscle-convert wrote'), not the --exclude that left out the
    files that are there."""
    import converter

    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(SAMPLES / "soleus.md", site)
    converter.write(converter.read(site), site / "export", "markdown")
    with pytest.warns(UserWarning) as said:
        assert converter.read(site, exclude="*.md") == []
    assert str(said[0].message) == (
        f"{site}: warning: holds no .markdown or .md files to read (exclude left out "
        f"{site / 'soleus.md'}) [no-inputs]")  # (then: the export was not searched; read()'s
    # own argument is named, not --exclude)


def _muscles_alive(prefix: str) -> int:
    """How many muscles whose slug starts with ``prefix`` are in memory."""
    gc.collect()
    return sum(isinstance(o, Muscle) and o.slug.startswith(prefix) for o in gc.get_objects())


def test_a_file_of_many_muscles_is_not_held_whole_while_it_streams(tmp_path: Path) -> None:
    """40,000 muscles of one JSON Lines file were held whole as it streamed (13 KB each:
    a 532 MB peak to validate it). A run that needs only slugs keeps none of them now;
    one that needs muscles or records has each muscle only while it is handed on."""
    lines = [json.dumps({"slug": f"held-{i:02}", "title": f"Held {i}",
                         "origin": {"en": f"The origin of muscle {i}."}})
             for i in range(30)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs, _ = discover([tmp_path / "many.jsonl"])
    alive = {kind: [_muscles_alive("held-") for _ in stream] for kind, stream in (
        ("slugs", Reader(inputs).slugs()), ("muscles", iter(Reader(inputs))),
        ("records", Reader(inputs, writer=(get_format("json"), {})).records()))}
    assert alive == {"slugs": [0] * 30, "muscles": [1] * 30, "records": [0] * 30}


def _prints_alive(prefix: str) -> int:
    """How many corpus-lint fingerprints of muscles whose slug starts with ``prefix``
    are in memory (a Fingerprint is a tuple's subclass: the collector always sees it)."""
    gc.collect()
    return sum(isinstance(o, Fingerprint) and o.record.startswith(f"muscles[{prefix}")
               for o in gc.get_objects())


def test_a_file_of_many_muscles_keeps_most_fingerprints_and_records_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """40,000 muscles of one JSON Lines file kept their 40,000 fingerprints (1.2-1.9 KB
    each), packed muscles and records in memory for the whole file. Past the first
    IN_MEMORY muscles they wait on disk now, and the streams are what they were."""
    lines = [json.dumps({"slug": f"spilt-{i:02}", "title": f"Spilt {i}",
                         "origin": {"en": f"The origin of muscle {i}, written out."}})
             for i in range(30)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs, _ = discover([tmp_path / "many.jsonl"])
    writer = (get_format("jsonl"), {})
    whole = [list(Reader(inputs, writer=writer).records()), list(Reader(inputs).slugs())]
    monkeypatch.setattr(pipeline, "IN_MEMORY", 4, raising=False)
    alive = [_prints_alive("spilt-") for _ in Reader(inputs).slugs()]
    assert max(alive) <= 4 + 1, alive
    prints: list[tuple[str, Fingerprint]] = []
    records = list(Reader(inputs, writer=writer, prints=prints).records())
    assert [records, list(Reader(inputs).slugs())] == whole
    assert [json.loads(r)["title"] for _, r in records] == [f"Spilt {i}" for i in range(30)]
    assert [p.record for _, p in prints] == [f"muscles[spilt-{i:02}]" for i in range(30)]


@pytest.mark.parametrize(("platform", "chosen", "expected"), [
    ("linux", None, "fork"), ("darwin", None, "spawn"), ("linux", "spawn", "spawn"),
    ("darwin", "fork", "fork")])
def test_workers_start_as_the_program_or_the_system_says(
        monkeypatch: pytest.MonkeyPatch, platform: str, chosen: str | None,
        expected: str) -> None:
    """The pool forked its workers wherever the system could, whatever start method the
    program chose, and on macOS, whose default is spawn (a forked process may crash in
    its system libraries)."""
    import multiprocessing

    from converter.workers import start_context

    monkeypatch.setattr(sys, "platform", platform)
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(chosen, force=True)
    monkeypatch.setattr(multiprocessing.context._default_context, "_default_context",
                        multiprocessing.get_context("spawn" if platform == "darwin"
                                                    else "fork"))
    try:
        assert start_context().get_start_method() == expected
    finally:
        multiprocessing.set_start_method(before, force=True)


#: Makes a pool of one worker inside a temporary's write, the worker held after its fork
#: until ``gate`` exists (before it is set up); prints that worker's id, then its exit
#: code once it got SIGTERM there.
_STOPPED_EARLY = f"""
import os, sys, threading, time
WAIT = {WAIT}
from multiprocessing import util
from pathlib import Path
from converter.atomic import atomic_file
from converter.workers import worker_pool

folder = Path(sys.argv[1])

class Held:
    def hold(self) -> None:
        (folder / "forked").touch()
        deadline = time.monotonic() + WAIT  # (a test that died tells it nothing)
        while not (folder / "gate").exists() and time.monotonic() < deadline:
            time.sleep(0.01)

held = Held()
util.register_after_fork(held, Held.hold)
with atomic_file(folder / "out.jsonl", "w", encoding="utf-8"):
    pool = worker_pool(1)
worker = pool._pool[0]
print(worker.pid, flush=True)
sys.stdin.readline()
deadline = time.monotonic() + WAIT
while worker.exitcode is None and time.monotonic() < deadline:  # (not join: see below)
    time.sleep(0.01)
print(worker.exitcode, flush=True)
(folder / "gate").touch()  # (for the worker the pool starts in its place)
pool.terminate()
joining = threading.Thread(target=pool.join, daemon=True)
joining.start()
joining.join(WAIT)
"""


def test_a_worker_stopped_before_it_is_set_up_ends_by_that_signal(tmp_path: Path) -> None:
    """A pool made while a temporary is written (a jsonl conversion's) forked workers
    with the writer's SIGTERM handler, which each replaces as it is set up. A worker
    stopped before (``pool.terminate()`` soon after the pool was made, on a loaded
    machine) raised that handler's exception: a traceback ('Process ForkPoolWorker-1:
    ... converter.atomic._Terminated: 15'), or, where the code it was in swallowed it,
    it lived on, and terminate() waited for it for good (seen once in the test above).
    The signals stay held in a worker until it is set up: it ends by SIGTERM then.
    (The script polls the worker's exit code: the pool's own thread reaps its dead
    workers too, and a ``join`` whose ``waitpid`` comes second says None.)"""
    import signal
    import time

    script = subprocess.Popen([sys.executable, "-c", _STOPPED_EARLY, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        pid = int(line_of(script))
        deadline = time.monotonic() + WAIT
        while not (tmp_path / "forked").exists():
            assert script.poll() is None, script.stderr.read()
            assert time.monotonic() < deadline, f"no worker was forked within {WAIT} s"
            time.sleep(0.01)
        os.kill(pid, signal.SIGTERM)  # (held, before it is set up)
        (tmp_path / "gate").touch()
        out, err = script.communicate("\n", timeout=WAIT)
    finally:
        script.kill()
    assert (out.strip(), err) == (str(-signal.SIGTERM), "")


_REPLACED_AT_WORK = """
import os, threading, time
from converter.workers import worker_pool
from tests.waits import WAIT

pool = worker_pool(1)
first = pool._pool[0].pid
pool.apply_async(os._exit, (9,))  # (it dies at work, holding no lock)
deadline = time.monotonic() + WAIT
while [w.pid for w in pool._pool] in ([first], []):  # (the pool starts one in its place)
    assert time.monotonic() < deadline, "no worker was started in place of the dead one"
    time.sleep(0.01)
print(pool.apply_async(os.getpid).get(WAIT) != first, flush=True)  # (it works, then waits)
pool.terminate()
joining = threading.Thread(target=pool.join, daemon=True)  # (a join that waits for good
joining.start()                                            # ends with the test's bound)
joining.join(WAIT)
print("terminated" if not joining.is_alive() else f"join() waited {WAIT} s", flush=True)
"""


@pytest.mark.parametrize("start_method", START_METHODS)
def test_a_pool_whose_worker_was_replaced_is_terminated(start_method: str) -> None:
    """terminate() of a pool that had started a worker in place of a dead one waited for
    good, now and then (CI, a test's pool.terminate()): the system's death signal
    (PR_SET_PDEATHSIG) follows the thread that made a worker, the pool's handler thread
    for that one, and that thread ends as terminate() begins; the worker, killed as it
    waited for work holding the task queue's lock, left terminate() waiting for that
    lock. A worker watches for its main process's end in a thread of its own now."""
    script = "import multiprocessing, sys\n" \
             f"multiprocessing.set_start_method({start_method!r})\n" + _REPLACED_AT_WORK
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=WAIT)
    assert (done.stdout.split(), done.stderr) == (["True", "terminated"], "")


def test_a_run_without_a_cache_unpickles_no_file_apart(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a cache (no bytes to keep) the workers' readings come back as they are,
    each chunk pickled whole: the main process unpickles no file's parts one by one.
    The records are those of a run in one process."""
    for n in range(2 * pipeline.CHUNK):
        (tmp_path / f"muscle-{n}.md").write_text(MUSCLE.format(title=f"M{n}"),
                                                 encoding="utf-8")
    inputs, _ = discover([tmp_path])
    writer = (get_format("json"), {})
    alone = list(Reader(inputs, writer=writer).records())
    unpickled: list[bytes] = []
    real = pickle.loads

    def loads(blob: bytes) -> Any:
        unpickled.append(blob)
        return real(blob)

    monkeypatch.setattr(pipeline.pickle, "loads", loads)
    assert list(Reader(inputs, jobs=2, writer=writer).records()) == alone
    assert unpickled == []


def test_a_reading_is_packed_as_plain_values_and_unpacked_as_it_was(tmp_path: Path) -> None:
    """What a worker hands over and the cache keeps of a file of one muscle: its fields
    marshalled, read back with the same values and types (diagnostics and fingerprints
    of their own classes)."""
    path = tmp_path / "m.md"
    path.write_text("---\ntitle: T\norigin: {en: Here, da: \"\"}\n---\n", encoding="utf-8")
    read = pipeline._read_one((str(path), "markdown", ("en", 1 << 20, None, None, "--max-bytes"),
                              True))
    assert read.result.diagnostics and read.result.fingerprints
    packed = pipeline.packed_result(read.result)
    assert packed[:1] == b"m"
    again = pipeline.unpacked_result(memoryview(packed))
    assert again == read.result
    assert {type(d) for d in again.diagnostics} == {pipeline.Diagnostic}
    assert {type(p) for p in again.fingerprints} == {Fingerprint}


class Said(pipeline.Diagnostic):
    """A third party's own kind of diagnostic."""


class Slug(str):
    """A third party's own kind of string."""

    __slots__ = ()


def test_a_reading_with_a_value_marshal_cannot_keep_is_pickled(tmp_path: Path) -> None:
    """A third party's reader may give a slug of a str subclass: marshal refuses it, and
    the reading is pickled, to come back with its own types. Its diagnostic of a
    subclass of Diagnostic is marshalled: it comes back a Diagnostic, as from its pickle
    (see ``Diagnostic.__reduce__``)."""
    said = Said(str(tmp_path / "m.x"), 1, 1, "", "reader-failed", "odd")
    odd_slug = pipeline._Result(str(tmp_path / "m.x"), 1.0, [said], [Slug("m")], [])
    packed = pipeline.packed_result(odd_slug)
    assert packed[:1] == b"p"
    again = pipeline.unpacked_result(packed)
    assert again == odd_slug
    assert type(again.slugs[0]) is Slug
    plain = dataclasses.replace(odd_slug, slugs=["m"])
    packed = pipeline.packed_result(plain)
    assert packed[:1] == b"m"
    again = pipeline.unpacked_result(packed)
    assert again == plain
    assert [type(d) for d in again.diagnostics] == [
        type(d) for d in pickle.loads(pickle.dumps(plain)).diagnostics] == [
        pipeline.Diagnostic]


@pytest.mark.parametrize("blob", [b"", b"x", b"m", b"m\x00", b"p" + pickle.dumps([1])])
def test_a_blob_that_is_no_packed_reading_is_refused(blob: bytes) -> None:
    with pytest.raises((ValueError, EOFError, TypeError, pickle.UnpicklingError)):
        pipeline.unpacked_result(blob)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_muscle_its_reader_gives_a_time_has_that_time_as_its_source_s(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """A reader whose records have times of their own sets ``ctx.time`` before it
    yields a muscle: its source's time is then that, not its file's (whose time it
    stays for a muscle given none), in a worker and from the cache too."""
    from converter.cache import Cache

    fmt = get_format("markdown")
    real = type(fmt).read

    def timed(self: Any, path: Path, ctx: ReadContext) -> Any:
        for muscle in real(self, path, ctx):
            ctx.time = 1_600_000_000.0 if muscle.slug == "timed" else None
            yield muscle

    monkeypatch.setattr(type(fmt), "read", timed)
    folder = tmp_path / "in"
    folder.mkdir()
    slugs = ["timed", *(f"plain-{n}" for n in range(2 * pipeline.CHUNK))]  # (a pool's)
    for slug in slugs:
        (folder / f"{slug}.md").write_text(MUSCLE.format(title=slug), encoding="utf-8")
        os.utime(folder / f"{slug}.md", (1_500_000_000, 1_500_000_000))
    inputs, _ = discover([folder])
    for parsed in (len(slugs), 0):  # (the second run finds the readings in the cache)
        cache = Cache.open(tmp_path / "cache")
        assert cache is not None
        reader = Reader(inputs, jobs=jobs, cache=cache)
        assert sorted(reader.slugs()) == sorted(slugs)
        cache.flush()
        cache.close()
        assert reader.files_parsed == parsed
        assert {slug: reader.sources[slug].mtime for slug in ("timed", "plain-0")} == {
            "timed": 1_600_000_000.0, "plain-0": 1_500_000_000.0}
