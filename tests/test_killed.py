"""A run killed while it writes leaves the previous output intact, for every writer that
writes files (SQLite has its own, transaction-level tests in tests/formats/test_sqlite.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, START_METHODS, WAIT, cli_command
from tests.killing import kill_while, killed_stopped

GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"

#: (format, output name, extra options)
WRITERS = [
    ("json", "m.json", []),
    ("jsonl", "m.jsonl", []),
    ("markdown", "md", []),
    ("csv", "package", []),
    ("csv", "m.csv", ["--flat"]),
    ("svg", "svg", []),
    ("html", "html", []),
    ("anki", "m.apkg", []),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("killed") / "corpus"
    subprocess.run([sys.executable, str(GEN_CORPUS), str(root), "--count", "3000",
                    "--seed", "5"], check=True, capture_output=True, timeout=WAIT)
    return root


def command(source: Path, fmt: str, out: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "converter", "convert", str(source), "--to", fmt, "-o",
            str(out), *extra, "--jobs", "1", "--no-cache", "--quiet"]


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of an output (a file or a directory tree) by relative path."""
    if out.is_file():
        return {"": out.read_bytes()}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


@pytest.mark.parametrize(("fmt", "name", "extra"), WRITERS,
                         ids=[f"{f}{'-' + e[0][2:] if e else ''}" for f, _, e in WRITERS])
def test_a_killed_run_leaves_the_previous_output(corpus: Path, tmp_path: Path, fmt: str,
                                                 name: str, extra: list[str]) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    complete = tmp_path / "complete" / name  # what an uninterrupted run writes
    complete.parent.mkdir()
    subprocess.run(command(corpus, fmt, complete, extra), cwd=ROOT, env=env, check=True,
                   timeout=WAIT)
    out = tmp_path / "out" / name
    out.parent.mkdir()
    subprocess.run(command(SAMPLES, fmt, out, extra), cwd=ROOT, env=env, check=True, timeout=WAIT)
    before = snapshot(out)

    # Killed the moment its temporary output appears beside the target.
    killed = kill_while(command(corpus, fmt, out, extra), lambda: bool(temporaries(out)),
                        env=env)
    after = snapshot(out)
    if killed:  # the previous output, or (killed while the old one was being removed)
        assert after == before or after == snapshot(complete)  # the complete new one
    else:
        assert after == snapshot(complete)
    # A leftover temporary never breaks the next run, which completes the output.
    subprocess.run(command(corpus, fmt, out, extra), cwd=ROOT, env=env, check=True, timeout=WAIT)
    assert snapshot(out) == snapshot(complete)


def test_a_killed_rerun_into_a_folder_of_its_files_leaves_it_as_it_was(
        corpus: Path, tmp_path: Path) -> None:
    """A re-run whose files the map's folder holds already makes none of them (see
    tests/test_unmade.py): killed, it leaves each file the very one it was; killed as it
    writes one file changed, the folder is the old one or the new one, whole."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    out, edited = tmp_path / "svg", tmp_path / "edited"
    subprocess.run(command(corpus, "svg", out, []), cwd=ROOT, env=env, check=True,
                   timeout=WAIT)
    before = snapshot(out)
    files = {p.name: p.stat().st_ino for p in out.iterdir()}
    kill_while(command(corpus, "svg", out, []), lambda: bool(temporaries(out)), env=env)
    assert snapshot(out) == before
    assert {p.name: p.stat().st_ino for p in out.iterdir()} == files
    shutil.copytree(corpus, edited)
    first = sorted(edited.glob("*.md"))[0]
    first.write_text(first.read_text("utf-8").replace("title: ", "title: New ", 1), "utf-8")
    complete = tmp_path / "complete"
    subprocess.run(command(edited, "svg", complete, []), cwd=ROOT, env=env, check=True,
                   timeout=WAIT)
    assert snapshot(complete) != before
    kill_while(command(edited, "svg", out, []), lambda: bool(temporaries(out)), env=env)
    assert snapshot(out) in (before, snapshot(complete))
    subprocess.run(command(edited, "svg", out, []), cwd=ROOT, env=env, check=True,
                   timeout=WAIT)
    assert snapshot(out) == snapshot(complete)


def test_a_killed_anki_run_leaves_nothing_in_the_temporary_folder(corpus: Path,
                                                                  tmp_path: Path) -> None:
    """A deck's collection was built, and read back, in a muscle-convert-anki-* folder of
    TMPDIR, which SIGKILL (no clean-up) left there for ever."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    deck = tmp_path / "m.apkg"
    # Killed while it writes the deck, its collection built.
    assert kill_while(command(corpus, "anki", deck, []), lambda: bool(temporaries(deck)),
                      env=env)
    assert os.listdir(scratch) == []
    subprocess.run(command(corpus, "anki", deck, []), cwd=ROOT, env=env, check=True, timeout=WAIT)
    # Killed reading it, the moment a folder appears in TMPDIR (else run to the end).
    kill_while([sys.executable, "-m", "converter", "validate", str(deck), "--no-cache",
                "--quiet"], lambda: any(p.is_dir() for p in scratch.iterdir()), env=env)
    assert os.listdir(scratch) == []


#: A convert run whose write stops, its temporary written whole (and held), until it is
#: killed: it touches the file its first argument names, then waits (bounded).
_STOPS_AS_IT_WRITES = """
import sys, threading
from pathlib import Path
import converter.atomic
from tests.waits import WAIT
ready = Path(sys.argv.pop(1))
def same_bytes(new, old):
    ready.touch()
    threading.Event().wait(WAIT)
    return False
converter.atomic.same_bytes = same_bytes
from converter.__main__ import main
main()
"""

#: A process that holds the lock of the file its argument names (as a run writing that
#: temporary does), says so, and lets go once its standard input ends.
_HOLDS = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


def test_the_next_write_removes_a_killed_runs_temporary_at_once(tmp_path: Path) -> None:
    """A convert killed (SIGKILL) as it wrote ``m.json`` left ``.m.json.<random>.tmp``,
    which later writes of ``m.json`` left until it was a day old; the next write removes
    it at once, as no run holds its lock (fmt's sweep, shared), and leaves one that
    another process holds (a run under way), the output written whole."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    complete, out, ready = tmp_path / "complete.json", tmp_path / "m.json", tmp_path / "ready"
    subprocess.run(command(SAMPLES, "json", complete, []), cwd=ROOT, env=env, check=True,
                   timeout=WAIT)
    stops = [sys.executable, "-c", _STOPS_AS_IT_WRITES, str(ready),
             *command(SAMPLES, "json", out, [])[3:]]
    [left] = killed_stopped(stops, ready, "write", env, lambda: temporaries(out))
    assert temporaries(out) == [left] and left.stat().st_size > 0 and not out.exists()
    held = tmp_path / f".{out.name}.abcd1234.tmp"
    held.write_text("a run under way")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDS, str(held)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        subprocess.run(command(SAMPLES, "json", out, []), cwd=ROOT, env=env, check=True,
                       timeout=WAIT)
        assert temporaries(out) == [held] and held.read_text() == "a run under way"
    finally:
        holder.communicate(timeout=WAIT)
    assert out.read_bytes() == complete.read_bytes()


#: A convert run that stops once its output's temporary folder is built (and held), until
#: it is killed: it puts in place of the function its second and third arguments name
#: (module, name) one that touches the file its first argument names, then waits
#: (bounded).
_STOPS_AS_IT_BUILDS = """
import importlib, sys, threading
from pathlib import Path
from tests.waits import WAIT
ready, module, name = Path(sys.argv.pop(1)), sys.argv.pop(1), sys.argv.pop(1)
def stop(*args, **kwargs):
    ready.touch()
    threading.Event().wait(WAIT)
setattr(importlib.import_module(module), name, stop)
from converter.__main__ import main
main()
"""

#: A third party's format that writes a file, one title a line (a writer given a file in
#: a temporary folder beside the output: converter/plugin_output.py).
_TITLES = """
from converter.registry import Format

class Titles(Format):
    name, extensions = "killtitles", (".titles",)
    carries = frozenset({"slug", "title"})

    def write(self, muscles, out, ctx):
        out.write_text("".join(m.title + "\\n" for m in muscles))
"""


def _titles_installed(folder: Path) -> Path:
    """:data:`_TITLES` installed in ``folder``: the folder to put on PYTHONPATH."""
    folder.mkdir()
    (folder / "killtitles.py").write_text(_TITLES, encoding="utf-8")
    dist = folder / "killtitles-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: killtitles\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\nkilltitles = killtitles:Titles\n")
    return folder


#: (format, output name, where the run stops, its folder built: module, function)
_FOLDERS = [("killtitles", "m.titles", "converter.plugin_output", "_put_in"),
            ("svg", "svg", "converter.atomic_folder", "_tell_sources_kept")]


@pytest.mark.parametrize(("fmt", "name", "module", "stop"), _FOLDERS,
                         ids=["plugin-file", "folder-swapped"])
def test_the_next_write_removes_a_killed_runs_temporary_folder_at_once(
        tmp_path: Path, fmt: str, name: str, module: str, stop: str) -> None:
    """A convert killed (SIGKILL) as it built its output in a temporary folder beside it
    (``.NAME.<random>.tmpdir``: a third party's writer of a file is given one, an output
    folder is built in one and swapped in) left it, which no lock held: later writes of
    that output left it until it was a day old. The run holds its lock while it has it;
    the next write removes it at once, as no run holds its lock (the sweep of a
    temporary file, shared), and leaves one that another process holds (a run under
    way), the output written whole."""
    plugin = _titles_installed(tmp_path / "plugin")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000",
           "PYTHONPATH": f"{plugin}:{ROOT}"}
    complete, ready = tmp_path / "complete" / name, tmp_path / "ready"
    out = tmp_path / "out" / name
    complete.parent.mkdir()
    out.parent.mkdir()
    subprocess.run(command(SAMPLES, fmt, complete, []), cwd=ROOT, env=env, check=True,
                   timeout=WAIT)
    stops = [sys.executable, "-c", _STOPS_AS_IT_BUILDS, str(ready), module, stop,
             *command(SAMPLES, fmt, out, [])[3:]]
    [left] = killed_stopped(stops, ready, "build", env, lambda: temporaries(out))
    assert temporaries(out) == [left] and left.is_dir() and os.listdir(left)
    assert not out.exists()
    held = out.parent / f".{out.name}.abcd1234.tmpdir"
    held.mkdir()
    (held / "half").write_text("a run under way")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDS, str(held)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        subprocess.run(command(SAMPLES, fmt, out, []), cwd=ROOT, env=env, check=True,
                       timeout=WAIT)
        assert temporaries(out) == [held] and (held / "half").read_text() == "a run under way"
    finally:
        holder.communicate(timeout=WAIT)
    assert snapshot(out) == snapshot(complete)


def test_the_next_write_to_standard_output_removes_a_killed_runs_folder_at_once(
        tmp_path: Path) -> None:
    """A third party's writer of standard output (``-o -``) is given a file in a folder of
    the system's temporary folder: a convert killed (SIGKILL) as it had it left that
    folder (``tmp<random>.tmpdir``, no lock held, nothing sweeping it) for good. It is
    now ``.muscle-convert-stdout.<random>.tmpdir``, held while the run has it: the next
    such write removes a killed run's at once and leaves one another process holds, its
    output whole."""
    plugin = _titles_installed(tmp_path / "plugin")
    scratch, ready = tmp_path / "tmp", tmp_path / "ready"
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": f"{plugin}:{ROOT}", "TMPDIR": str(scratch)}
    complete = subprocess.run(command(SAMPLES, "killtitles", Path("-"), []), cwd=ROOT,
                              env=env, check=True, capture_output=True, timeout=WAIT).stdout
    assert complete and os.listdir(scratch) == []
    stops = [sys.executable, "-c", _STOPS_AS_IT_BUILDS, str(ready), "converter.plugin_output",
             "_to_stdout", *command(SAMPLES, "killtitles", Path("-"), [])[3:]]
    killed_stopped(stops, ready, "write", env, lambda: None)
    [left] = scratch.iterdir()
    assert (left / "stdout").read_bytes() == complete
    held = scratch / ".muscle-convert-stdout.abcd1234.tmpdir"
    held.mkdir()
    (held / "stdout").write_text("a run under way")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDS, str(held)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        again = subprocess.run(command(SAMPLES, "killtitles", Path("-"), []), cwd=ROOT,
                               env=env, check=True, capture_output=True, timeout=WAIT)
        assert list(scratch.iterdir()) == [held]
        assert (held / "stdout").read_text() == "a run under way"
    finally:
        holder.communicate(timeout=WAIT)
    assert again.stdout == complete


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP])
def test_a_run_ended_by_a_signal_removes_the_folders_it_made(
        corpus: Path, tmp_path: Path, ending: signal.Signals) -> None:
    """SIGTERM or SIGHUP while the output was written ended the process inside the
    writer, past the block that removes the empty folders the run made for its output
    (Ctrl-C removed them): ``-o o/sub/m.jsonl`` left ``o/sub``. They are removed."""
    out = tmp_path / "o" / "sub" / "m.jsonl"
    killed = kill_while(command(corpus, "jsonl", out, []),
                        lambda: out.parent.is_dir() and bool(temporaries(out)), ending=ending)
    assert killed, "the run ended before the signal came"
    assert os.listdir(tmp_path) == []

def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus that takes seconds to read, so a signal sent while its workers run
    lands before the run ends even on a loaded machine."""
    root = tmp_path_factory.mktemp("interrupted") / "corpus"
    subprocess.run([sys.executable, str(GEN_CORPUS), str(root), "--count", "12000",
                    "--seed", "5"], check=True, capture_output=True, timeout=WAIT)
    return root


@pytest.mark.parametrize("args", [["convert", "--to", "json", "-o", "OUT", "--no-cache"],
                                  ["fmt", "--check"]], ids=["convert", "fmt"])
@pytest.mark.parametrize("start", START_METHODS)
def test_ctrl_c_stops_every_process_with_one_line_and_no_output(
        long_corpus: Path, tmp_path: Path, args: list[str], start: str) -> None:
    """Ctrl-C signals the whole process group: the workers ignore it, the main process
    stops them and says "Aborted!" (no traceback from any process), and the output a
    run was writing never appears; with the workers forked or spawned (Windows, macOS)."""
    out = tmp_path / "m.json"
    command = [*cli_command(start), args[0], str(long_corpus), "--jobs", "2",
               *[str(out) if a == "OUT" else a for a in args[1:]]]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + WAIT
    try:
        while process.poll() is None and len(_children(process.pid)) < 2:  # the workers
            assert time.monotonic() < deadline, f"no two workers started in {WAIT} s"
            time.sleep(0.01)
        time.sleep(0.2)  # and at work
        assert process.poll() is None, "finished before it could be interrupted"
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:  # (a failure above: nothing of the run outlives it)
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=WAIT)
    assert process.returncode == 130  # (not 1, the status of invalid inputs)
    assert stderr.decode().strip().splitlines()[-1] == "Aborted!"
    assert b"Traceback" not in stderr and b"Process" not in stderr
    assert not out.exists() and temporaries(out) == []
