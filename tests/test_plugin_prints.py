"""What a third party's format prints goes to standard error, never into the output
muscle-convert writes to standard output."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from converter.plugin_prints import each_printing_to_stderr, printing_to_stderr, routed
from tests.conftest import ROOT, SAMPLES, START_METHODS, in_threads, installed_folder
from tests.faulty import plugin_cli
from tests.waits import WAIT, until

#: A plugin that prints as it is imported, in its reader, writer, record() and hooks.
_NOISY = '''
print("noisy plugin v0.1 loaded")
from converter.model import Muscle
from converter.registry import Format


class Noisy(Format):
    name = "noisy"
    extensions = (".noisy",)
    one_muscle_per_file = True

    def read(self, path, ctx):
        print("reading", path.name)
        yield Muscle(slug=path.stem, title=path.read_text().strip())
        print("read", path.name)

    def write(self, muscles, out, ctx):
        print("writing")
        out.write_text("".join(m.slug + "\\n" for m in muscles))

    def is_own(self, path):
        print("is it mine?", path.name)
        return True


class NoisyRecords(Format):
    name = "noisy-records"
    extensions = (".noisyrec",)

    def record(self, muscle, options):
        print("record of", muscle.slug)
        return muscle.slug

    def write_records(self, records, out, ctx):
        print("writing records")
        out.write_text("".join(text + "\\n" for _, text in records))
'''


@pytest.fixture
def noisy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The :data:`_NOISY` formats installed; yields the folder to put on PYTHONPATH."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "noisy_format.py").write_text(_NOISY, encoding="utf-8")
    dist = folder / "noisy_format-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: noisy_format\n"
                                   "Version: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\nnoisy = noisy_format:Noisy\n"
        "noisy-records = noisy_format:NoisyRecords\n")
    yield from installed_folder(folder, monkeypatch, "noisy_format")


#: A plugin whose properties, methods the core calls beyond reading, writing and the
#: guarded hooks, and special methods print as the core reads or calls them.
_CHATTY = '''
from pathlib import Path
from converter.model import Muscle
from converter.registry import Format, FormatOption


def volume(value):
    print("chatty volume", value)
    return int(value)


class Chatty(Format):
    name = "chatty"
    options = (FormatOption("volume", "how loud", type=volume),)

    @property
    def description(self):
        print("chatty description")
        return "a chatty format"

    @property
    def extensions(self):
        print("chatty extensions")
        return (".chatty",)

    @property
    def one_muscle_per_file(self):
        print("chatty one_muscle_per_file")
        return False

    @property
    def can_read(self):
        print("chatty can_read")
        return True

    @property
    def can_write(self):
        print("chatty can_write")
        return True

    def read(self, path, ctx):
        for line in path.read_text().splitlines():
            slug, title = line.split(": ")
            yield Muscle(slug=slug, title=title)

    def write(self, muscles, out, ctx):
        loud = "!" * (ctx.options.get("volume") or 0)
        out.write_text("".join(m.slug + loud + "\\n" for m in muscles))

    def places(self, path):
        return lambda field: None

    def places_file(self, path):
        print("chatty places_file")
        return path

    def projected(self, muscle, variant=None):
        print("chatty projected")
        return super().projected(muscle, variant)

    def __eq__(self, other):
        print("chatty eq")
        return self is other

    def __hash__(self):
        print("chatty hash")
        return id(self)
'''


@pytest.fixture
def chatty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The :data:`_CHATTY` format installed; yields the folder to put on PYTHONPATH."""
    folder = tmp_path / "chatty-plugin"
    folder.mkdir()
    (folder / "chatty_format.py").write_text(_CHATTY, encoding="utf-8")
    dist = folder / "chatty_format-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: chatty_format\n"
                                   "Version: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\nchatty = chatty_format:Chatty\n")
    yield from installed_folder(folder, monkeypatch, "chatty_format")


#: A plugin whose reader and writer print from threads they start.
_THREADED = '''
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from converter.model import Muscle
from converter.registry import Format


class Threaded(Format):
    name = "threaded"
    extensions = (".threaded",)
    one_muscle_per_file = True

    def read(self, path, ctx):
        thread = threading.Thread(target=print, args=("thread of read", path.name))
        thread.start()
        thread.join()
        yield Muscle(slug=path.stem, title=path.read_text().strip())

    def write(self, muscles, out, ctx):
        slugs = [m.slug for m in muscles]
        with ThreadPoolExecutor(2) as pool:  # (a line in one write: the two may overlap)
            list(pool.map(lambda slug: sys.stdout.write(f"thread of write {slug}\\n"),
                          slugs))
        out.write_text("".join(slug + "\\n" for slug in slugs))
'''


@pytest.fixture
def threaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The :data:`_THREADED` format installed; yields the folder to put on PYTHONPATH."""
    folder = tmp_path / "threaded-plugin"
    folder.mkdir()
    (folder / "threaded_format.py").write_text(_THREADED, encoding="utf-8")
    dist = folder / "threaded_format-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: threaded_format\n"
                                   "Version: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\nthreaded = threaded_format:Threaded\n")
    yield from installed_folder(folder, monkeypatch, "threaded_format")


def _site(folder: Path, count: int) -> Path:
    """``folder`` holding soleus.md and ``count`` files of the noisy format."""
    folder.mkdir()
    (folder / "soleus.md").write_bytes((SAMPLES / "soleus.md").read_bytes())
    for n in range(count):
        (folder / f"m{n:03}.noisy").write_text(f"Muscle {n}\n", encoding="utf-8")
    return folder


def test_what_a_plugin_prints_goes_to_stderr_not_into_standard_output(
        noisy: Path, tmp_path: Path) -> None:
    """A plugin printing as it was imported ("noisy plugin v0.1 loaded") put its line
    before the JSON of `convert --to json -o -` and of `validate --format json`, a
    format it took no part in; one printing in read() or write() put its lines among
    the output of `--to jsonl -o -` (its workers' with --jobs 2 too) and of its own
    writer. Standard output is now the output alone, the plugin's lines on stderr."""
    site = _site(tmp_path / "site", 3)
    runs = {"json": ("convert", str(site), "--to", "json", "-o", "-", "--no-cache"),
            "validate": ("validate", str(site), "--format", "json", "--no-cache"),
            "jsonl": ("convert", str(site), "--to", "jsonl", "-o", "-", "--no-cache"),
            "noisy": ("convert", str(site), "--to", "noisy", "-o", "-", "--no-cache"),
            "records": ("convert", str(site), "--to", "noisy-records", "-o", "-",
                        "--no-cache")}
    said = {name: plugin_cli(noisy, *command) for name, command in runs.items()}
    for name, result in said.items():
        assert result.returncode == 0, (name, result.stderr)
        assert "noisy plugin v0.1 loaded" in result.stderr, name
        assert "reading m000.noisy" in result.stderr, name
    assert len(json.loads(said["json"].stdout)["muscles"]) == 4
    assert json.loads(said["validate"].stdout) == []
    assert [json.loads(line)["slug"] for line in said["jsonl"].stdout.splitlines()] == [
        "m000", "m001", "m002", "soleus"]
    assert said["noisy"].stdout.splitlines() == ["m000", "m001", "m002", "soleus"]
    assert "writing" in said["noisy"].stderr.splitlines()
    assert said["records"].stdout.splitlines() == ["m000", "m001", "m002", "soleus"]
    assert "record of soleus" in said["records"].stderr.splitlines()


@pytest.mark.parametrize("start", START_METHODS)
def test_what_a_plugin_prints_in_a_worker_goes_to_stderr(noisy: Path, tmp_path: Path,
                                                         start: str) -> None:
    """With --jobs 2, the workers' reading (however they start) printed into the
    output of `--to jsonl -o -` too. Each line a worker prints is whole on stderr:
    where stderr is not buffered (PYTHONUNBUFFERED, which the tests' environment may
    set), the two workers' lines broke into each other's now and then."""
    site = _site(tmp_path / "site", 150)
    result = plugin_cli(noisy, "convert", str(site), "--to", "jsonl", "-o", "-",
                        "--no-cache", "--jobs", "2", start=start)
    assert result.returncode == 0, result.stderr
    slugs = [json.loads(line)["slug"] for line in result.stdout.splitlines()]
    assert slugs == [f"m{n:03}" for n in range(150)] + ["soleus"]
    reading = [line for line in result.stderr.splitlines() if "reading" in line]
    assert sorted(reading) == [f"reading m{n:03}.noisy" for n in range(150)]


def test_printing_to_stderr_gives_stdout_back_once_the_last_section_ends(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Sections nest and overlap in threads: what a thread prints within one goes to
    standard error, and sys.stdout is given back when the last ends (one that ends
    first gives nothing back early), what it raised too. What another thread prints
    meanwhile, outside any section, is output: it went to standard error while any
    thread ran plugin code (``converter.write(ms, "-")`` beside a plugin's reading)."""
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    entered, printed, release = threading.Event(), threading.Event(), threading.Event()

    def other() -> None:
        with printing_to_stderr():
            entered.set()
            assert printed.wait(WAIT)
            print("the other's")
            release.wait(WAIT)

    thread = threading.Thread(target=other)
    with printing_to_stderr():
        thread.start()
        assert entered.wait(WAIT)
        with printing_to_stderr():
            print("first")
        print("second")
    print("ours while the other runs")
    printed.set()
    release.set()
    thread.join(WAIT)
    assert not thread.is_alive()
    assert sys.stdout is out
    print("ours")
    with pytest.raises(RuntimeError), printing_to_stderr():
        raise RuntimeError("boom")
    assert sys.stdout is out
    print("ours again")
    assert out.getvalue() == "ours while the other runs\nours\nours again\n"
    assert sorted(err.getvalue().splitlines()) == ["first", "second", "the other's"]


#: A thread prints to standard output while the main thread enters and ends sections
#: of plugin code (a plugin's reader gives its muscles one by one), switching often.
_PRINTING_BESIDE_SECTIONS = """
import sys, threading
from converter.plugin_prints import printing_to_stderr
sys.setswitchinterval(1e-6)
done = threading.Event()
def printer():
    n = 0
    while not done.is_set():
        print("progress", n)
        n += 1
thread = threading.Thread(target=printer)
thread.start()
for _ in range(20000):
    with printing_to_stderr():
        pass
done.set()
thread.join()
print("done")
"""


def test_a_thread_printing_while_sections_start_and_end_does_not_crash() -> None:
    """Each section's start made a new router sys.stdout and its end dropped it: print()
    in another thread uses the sys.stdout it looked up without holding it, so the router
    freed under it crashed the process (exit -11, SIGSEGV, each run). A router, once
    sys.stdout, is never freed now: the process ends as ever."""
    result = subprocess.run([sys.executable, "-c", _PRINTING_BESIDE_SECTIONS], cwd=ROOT,
                            capture_output=True, text=True, timeout=WAIT, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.endswith("done\n")


def test_a_section_ending_leaves_sys_stdout_as_another_thread_set_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A section's end put back the sys.stdout saved at the first one's start, whatever
    another thread had set since: a thread capturing its own prints with
    ``redirect_stdout`` (``converter.write(ms, "-")``) beside a plugin's reading lost
    them to the output saved, and one that began within a section left sys.stdout its
    StringIO for good. An ending section now gives back only a router of its own:
    each capture holds its prints, and sys.stdout is the output once all are done."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())

    together = threading.Barrier(3)

    def work(n: int) -> list[str]:
        lost = []
        together.wait(WAIT)
        for i in range(4000):
            if n:  # (the plugin's reading, a section a muscle)
                with printing_to_stderr():
                    print("the plugin's", n, i)
                continue
            buf = io.StringIO()
            with redirect_stdout(buf):
                for line in range(10):
                    print("mine", i, line)
            captured = buf.getvalue().splitlines()
            lost += [f"mine {i} {line}" for line in range(10)
                     if f"mine {i} {line}" not in captured]
        return lost

    results = in_threads(work, 3)
    assert results == [[], [], []]
    print("after")
    with printing_to_stderr():  # (a router a capture put back is given back too)
        pass
    assert sys.stdout is out
    assert "mine" not in out.getvalue() and out.getvalue().endswith("after\n")


class _Writes:
    """A standard error that keeps each write it is given, as it was given."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        """Keep ``text``."""
        self.writes.append(text)
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        """Keep each of ``lines``, as a stream writes them."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Nothing to flush."""

    @property
    def buffer(self) -> io.BytesIO:
        """A stream of bytes, as a real one has."""
        return io.BytesIO()


def test_what_threads_print_within_sections_goes_out_a_whole_line_per_write(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """print() writes its words, the spaces and the newline one by one, and each went to
    standard error as it came: where that is unbuffered (PYTHONUNBUFFERED), the lines of
    two threads (or worker processes) printing at once broke into each other's. Each
    line now goes out whole, in one write, whatever another thread prints meanwhile; an
    unfinished one when the thread flushes, asks for the stream's buffer, writes a line
    too long to hold, or its section ends."""
    err = _Writes()
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", err)
    begun, other_printed = threading.Event(), threading.Event()

    def other() -> None:
        with printing_to_stderr():
            assert begun.wait(WAIT)
            try:
                print("beta", "two")
                sys.stdout.writelines(["gamma ", "three\n"])
            finally:
                other_printed.set()

    thread = threading.Thread(target=other)
    thread.start()
    with printing_to_stderr():
        print("alpha", "one", end="")
        begun.set()
        assert other_printed.wait(WAIT)
        print(" and", "more")
        print("flushed", end="", flush=True)
        print(" at once", end="")
        assert isinstance(sys.stdout.buffer, io.BytesIO)
        long = "x" * 100_000  # (longer than any line held back)
        sys.stdout.write(long)
        assert err.writes[-1] == long
        print("left", end="")
    thread.join(WAIT)
    assert not thread.is_alive()
    assert err.writes == ["beta two\n", "gamma three\n", "alpha one and more\n",
                          "flushed", " at once", long, "left"]
    assert sys.stdout.getvalue() == ""


def _in_the_forked_child(section: Any, write: int, stdout: Any, start: Any) -> None:
    """In a child forked within the parent's ``section`` (entered, not ended): print
    within it, end it, print within a section of its own, and write to the pipe
    ``write`` (JSON) what went to its standard error and whether ``sys.stdout`` and
    ``threading.Thread.start`` are ``stdout`` and ``start`` again; end the child."""
    try:
        sys.stderr = err = io.StringIO()
        try:
            print("and the child's")
            section.__exit__(None, None, None)  # (its end takes the router's lock)
            with printing_to_stderr():  # (and so does a section's start)
                print("again")
            found = {"stderr": err.getvalue(), "stdout back": sys.stdout is stdout,
                     "start back": threading.Thread.start is start}
        except BaseException:
            found = {"error": traceback.format_exc()}
        with os.fdopen(write, "w") as pipe:
            json.dump(found, pipe)
    finally:
        os._exit(0)


def test_a_child_forked_while_another_thread_holds_the_routers_lock_prints(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A process forked (os.fork, multiprocessing's fork, a --jobs pool's worker started
    in place of a dead one by the pool's thread) while another thread held the router's
    lock, entering or ending a section, began with it held by a thread it does not
    have: its next section's start or end waited for it for good. It also kept that
    thread's section, so sys.stdout stayed the router after its own had ended. The
    child now prints, ends its sections, prints what it prints once (the parent's
    unfinished line is the parent's to write) and gets sys.stdout and
    threading.Thread.start back when its last section ends."""
    from converter import plugin_prints

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    stdout, start = sys.stdout, threading.Thread.start
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:  # (started within a section: it runs in one of its own)
        with plugin_prints._LOCK:
            holding.set()
            release.wait(WAIT)

    read, write = os.pipe()
    section = printing_to_stderr()
    section.__enter__()
    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(WAIT)
        print("the parent's", end=" ")
        pid = os.fork()
        if pid == 0:
            _in_the_forked_child(section, write, stdout, start)
    finally:
        release.set()
        thread.join(WAIT)
        section.__exit__(None, None, None)
        os.close(write)
    assert not thread.is_alive()
    ended: list[int] = []

    def child_ended() -> bool:
        if not ended and os.waitpid(pid, os.WNOHANG)[0] == pid:
            ended.append(pid)
        return bool(ended)

    try:
        until(child_ended, "the child forked while the lock was held ends")
    finally:
        if not ended:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        found = json.loads(pipe.read())
    assert found == {"stderr": "and the child's\nagain\n", "stdout back": True,
                     "start back": True}
    assert sys.stderr.getvalue() == "the parent's "
    assert sys.stdout is stdout and threading.Thread.start is start


def test_each_printing_to_stderr_makes_each_item_so() -> None:
    """Each item a generator makes (and what it prints before the first and after
    the last) goes to standard error; what the caller prints between, to stdout."""
    def made() -> Iterator[int]:
        print("before")
        yield 1
        print("between")
        yield 2
        print("after")

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        for item in each_printing_to_stderr(made()):
            print("got", item)
    finally:
        sys.stdout, sys.stderr = saved
    assert out.getvalue() == "got 1\ngot 2\n"
    assert err.getvalue() == "before\nbetween\nafter\n"



def test_what_a_plugins_properties_methods_and_special_methods_print_is_no_output(
        chatty: Path, tmp_path: Path) -> None:
    """A plugin's property (``can_read``, ``description``, ``one_muscle_per_file``, any
    attribute the core reads after loading), a method the core calls beyond reading,
    writing and the guarded hooks (``places_file``) and a special method (its truth, its
    hash as a key) printed into standard output: only its loading was routed. What they
    print is now on standard error, the output alone on standard output."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "soleus.md").write_bytes((SAMPLES / "soleus.md").read_bytes())
    (site / "two.chatty").write_text("alpha: Alpha\nbeta: Beta\n", encoding="utf-8")
    sources = (str(site / "soleus.md"), str(site / "two.chatty"))
    cache = str(tmp_path / "cache")
    runs = {"formats": ("formats",),
            "json": ("convert", *sources, "--to", "json", "-o", "-", "--cache-dir", cache),
            "validate": ("validate", *sources, "--format", "json", "--no-cache"),
            "jsonl": ("convert", *sources, "--to", "jsonl", "-o", "-", "--no-cache"),
            "chatty": ("convert", *sources, "--to", "chatty", "-o", "-", "--no-cache")}
    said = {name: plugin_cli(chatty, *command) for name, command in runs.items()}
    for name, result in said.items():
        assert result.returncode == 0, (name, result.stderr)
    listed = [line.split() for line in said["formats"].stdout.splitlines()
              if line.startswith("chatty")]
    assert listed == [["chatty", "yes", "yes", "lossless", ".chatty"],
                      ["chatty", "a", "chatty", "format"]]
    for prop in ("description", "extensions", "can_read", "can_write"):
        assert f"chatty {prop}" in said["formats"].stderr.splitlines(), prop
    assert len(json.loads(said["json"].stdout)["muscles"]) == 3
    assert "chatty places_file" in said["json"].stderr.splitlines()
    assert json.loads(said["validate"].stdout) == []
    assert [json.loads(line)["slug"] for line in said["jsonl"].stdout.splitlines()] == [
        "soleus", "alpha", "beta"]
    assert said["chatty"].stdout.splitlines() == ["soleus", "alpha", "beta"]
    for name in ("json", "validate", "jsonl", "chatty"):
        assert "chatty one_muscle_per_file" in said[name].stderr.splitlines(), name
        assert "chatty hash" in said[name].stderr.splitlines(), name


def test_what_a_plugins_projected_prints_is_no_output(
        chatty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A third party's overridden ``projected()``, asked through the Python API, printed
    into standard output; it is now standard error, as its other methods' prints."""
    from converter import Muscle
    from converter.registry import get_format

    fmt = get_format("chatty")
    capsys.readouterr()
    muscle = Muscle(slug="alpha", title="Alpha")
    assert fmt.projected(muscle) == muscle
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "chatty projected\n"


def test_what_a_plugin_prints_from_a_thread_it_starts_is_no_output(
        threaded: Path, tmp_path: Path) -> None:
    """A thread a plugin started in its read() (a Thread of its own) or write() (a
    ThreadPoolExecutor's) printed into `-o -`: only the thread running plugin code was
    routed. A thread started from within plugin code now prints to standard error."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "soleus.md").write_bytes((SAMPLES / "soleus.md").read_bytes())
    for slug in ("alpha", "beta"):
        (site / f"{slug}.threaded").write_text(slug.title(), encoding="utf-8")
    jsonl = plugin_cli(threaded, "convert", str(site), "--to", "jsonl", "-o", "-",
                       "--no-cache")
    own = plugin_cli(threaded, "convert", str(site), "--to", "threaded", "-o", "-",
                     "--no-cache")
    for result in (jsonl, own):
        assert result.returncode == 0, result.stderr
        assert "thread of read alpha.threaded" in result.stderr.splitlines()
    assert [json.loads(line)["slug"] for line in jsonl.stdout.splitlines()] == [
        "alpha", "beta", "soleus"]
    assert own.stdout == "alpha\nbeta\nsoleus\n"
    assert "thread of write soleus" in own.stderr.splitlines()


def test_a_thread_started_within_a_section_prints_to_stderr_while_it_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread started from within a section prints to standard error while it runs;
    one another thread starts meanwhile, outside any section, prints to standard
    output; threading.Thread.start is given back at the end."""
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    start = threading.Thread.start
    go, printed = threading.Event(), threading.Event()
    ours: list[threading.Thread] = []
    started: list[threading.Thread] = []

    def plugins() -> None:
        print("the plugin's thread")
        started.append(threading.Thread(target=print, args=("the thread it started",)))
        started[0].start()

    def users() -> None:
        print("the user's thread")
        printed.set()

    def user() -> None:  # (the user's thread, started before any section)
        assert go.wait(WAIT)
        ours.append(threading.Thread(target=users))
        ours[0].start()

    starter = threading.Thread(target=user)
    starter.start()
    with printing_to_stderr():
        theirs = threading.Thread(target=plugins)
        theirs.start()
        theirs.join(WAIT)
        go.set()
        assert printed.wait(WAIT)
        starter.join(WAIT)
        ours[0].join(WAIT)
        started[0].join(WAIT)
    assert not theirs.is_alive() and not started[0].is_alive()
    assert not starter.is_alive() and not ours[0].is_alive()
    assert out.getvalue() == "the user's thread\n"
    assert sorted(err.getvalue().splitlines()) == ["the plugin's thread",
                                                   "the thread it started"]
    assert sys.stdout is out
    assert threading.Thread.start is start


def test_a_thread_a_plugin_starts_holds_no_section_past_the_call_that_started_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread started within a section ran in a section of its own for as long as it
    ran: after the plugin's call returned, sys.stdout stayed the router and
    Thread.start ours (for good, for a plugin's daemon thread started at import), and
    when the thread ended, the output saved at the start was put back over the
    caller's own redirect_stdout, whose later lines went there. The thread holds no
    section now: sys.stdout and Thread.start are given back as the call returns, what
    the thread prints after is output, and the caller's capture holds all its own."""
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    start = threading.Thread.start
    go, printed = threading.Event(), threading.Event()

    def plugins() -> None:
        print("within the call")
        printed.set()
        assert go.wait(WAIT)
        print("after the call")

    with printing_to_stderr():
        thread = threading.Thread(target=plugins)
        thread.start()
        assert printed.wait(WAIT)
    assert sys.stdout is out and threading.Thread.start is start
    buf = io.StringIO()
    with redirect_stdout(buf):
        print("mine before")
        go.set()
        thread.join(WAIT)
        print("mine after")
    assert not thread.is_alive()
    assert buf.getvalue() == "mine before\nafter the call\nmine after\n"
    assert sys.stdout is out and out.getvalue() == ""
    assert err.getvalue() == "within the call\n"


def test_what_a_plugins_option_type_prints_is_no_output(chatty: Path, tmp_path: Path
                                                        ) -> None:
    """The command line calls a third party's option's ``type`` (a function of its own)
    as it parses ``--volume 2``: what it printed went into `-o -`; it is now on
    standard error."""
    source = tmp_path / "two.chatty"
    source.write_text("alpha: Alpha\nbeta: Beta\n", encoding="utf-8")
    result = plugin_cli(chatty, "convert", str(source), "--to", "chatty", "--volume", "2",
                        "-o", "-", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "alpha!!\nbeta!!\n"
    assert "chatty volume 2" in result.stderr.splitlines()


def test_routed_runs_none_of_the_plugins_class_code_on_the_class_it_makes(
        capsys: pytest.CaptureFixture[str]) -> None:
    """routed() made the format's class a subclass of the plugin's class through its
    metaclass, so the plugin's __init_subclass__ and its metaclass's __init__ ran on a
    class it never defined: a base recording its subclasses held the format's class
    twice. Neither runs now; the property is routed as before."""
    from converter.formatbase import Format

    made: list[str] = []
    recorded: list[str] = []

    class Meta(type):
        def __init__(cls, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(cls.__qualname__)

    class Base(Format, metaclass=Meta):
        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            recorded.append(cls.__qualname__)

    class Recorded(Base):
        name = "recorded"

        @property
        def description(self) -> str:
            print("recorded description")
            return "records its subclasses"

    fmt = routed(Recorded())
    assert type(fmt) is not Recorded and isinstance(fmt, Recorded)
    assert recorded == ["test_routed_runs_none_of_the_plugins_class_code_on_the_class_it_"
                        "makes.<locals>.Recorded"]
    assert [name.rpartition(".")[2] for name in made] == ["Base", "Recorded"]
    capsys.readouterr()
    assert fmt.description == "records its subclasses"
    assert capsys.readouterr() == ("", "recorded description\n")
