"""Signals from a run's output put in place to its process's exit (converter/once_written.py)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import converter.once_written
from converter.once_written import mark, stopped_message, watching
from tests.conftest import ROOT, SAMPLES, WAIT, convert_samples

WRITTEN = "muscle-convert: stopped once site was written: it holds this run's files"


@pytest.fixture
def handlers_kept() -> Iterator[None]:
    """The test's signal handlers and this module's state put back as they were (a
    block of :func:`watching` leaves its handlers in place, for the process's end)."""
    kept = {signum: signal.getsignal(signum)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in kept.items():
            signal.signal(signum, handler)
        converter.once_written._STATE.reset()


@pytest.mark.usefixtures("handlers_kept")
def test_an_output_marked_outside_the_command_line_changes_no_handler() -> None:
    """The Python API writes outputs too: it leaves the process's handlers as it found
    them, and a Ctrl-C after its write is nobody's run stopped."""
    before = signal.getsignal(signal.SIGINT)
    mark("site")
    assert signal.getsignal(signal.SIGINT) is before
    assert stopped_message(KeyboardInterrupt()) == "Aborted!"


@pytest.mark.usefixtures("handlers_kept")
def test_ctrl_c_once_the_output_is_marked_says_it_was_written() -> None:
    """Ctrl-C as the command runs on after its output was put in place is still a
    ``KeyboardInterrupt`` (what the run holds is let go on the way out), which says
    the output was written; one before the mark says ``Aborted!``."""
    with watching():
        assert stopped_message(KeyboardInterrupt()) == "Aborted!"
        mark("site")
        with pytest.raises(KeyboardInterrupt) as stopped:
            os.kill(os.getpid(), signal.SIGINT)
        assert stopped_message(stopped.value) == WRITTEN


#: A run of the samples' svg into ``site`` that is sent the signal ``sys.argv[2]`` as it
#: begins its report, its folder in place (a new one, or ``site`` swapped).
STOPPED_AS_IT_REPORTS = """
import os, sys
import converter.cli
from converter.cli import main
real, signum = converter.cli._report_capped, int(sys.argv[2])
def report(*args):
    os.kill(os.getpid(), signum)
    return real(*args)
converter.cli._report_capped = report
sys.argv[1:] = ["convert", sys.argv[1], "--to", "svg", "-o", "site", "-j", "1",
                "--no-cache", "-q"]
main()
"""

#: A run as above that is sent the signal as the interpreter ends, its status known.
STOPPED_AS_IT_ENDS = """
import atexit, os, sys
from converter.cli import main
atexit.register(os.kill, os.getpid(), int(sys.argv[2]))
sys.argv[1:] = ["convert", sys.argv[1], "--to", "svg", "-o", "site", "-j", "1",
                "--no-cache", "-q"]
main()
"""

_SIGNALS = pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130),
                                                        (signal.SIGTERM, -signal.SIGTERM),
                                                        (signal.SIGHUP, -signal.SIGHUP)],
                                   ids=["ctrl-c", "sigterm", "sighup"])


def _stopped(script: str, signum: int, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script, str(SAMPLES), str(int(signum))],
                          cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=WAIT)


@_SIGNALS
@pytest.mark.parametrize("earlier", [False, True], ids=["new", "swapped"])
def test_a_run_stopped_after_its_folder_is_in_place_says_it_was_written(
        signum: int, code: int, earlier: bool, tmp_path: Path) -> None:
    """Ctrl-C after the folder was put in place (as the old one was removed, the cache
    recorded, the report printed) said ``Aborted!``, as if nothing were written, and
    SIGTERM or SIGHUP ended the run without a word. Each says the folder was written,
    and the run ends as stopped: 130, or by that signal."""
    site = tmp_path / "site"
    if earlier:
        assert convert_samples("html", site)[0] == 0
    stopped = _stopped(STOPPED_AS_IT_REPORTS, signum, tmp_path)
    assert (stopped.returncode, stopped.stderr.strip()) == (code, WRITTEN), stopped.stderr
    assert (site / "map.svg").is_file() and not (site / "index.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["site"]


@_SIGNALS
def test_a_run_stopped_as_its_process_ends_says_its_folder_was_written(
        signum: int, code: int, tmp_path: Path) -> None:
    """Ctrl-C as the interpreter ended, the report printed, was an ignored exception
    (a traceback) and the run exited 0, as if it had not been stopped; SIGTERM or
    SIGHUP ended it without a word. Each says the folder was written, in one line
    after the report, and ends the run as stopped."""
    stopped = _stopped(STOPPED_AS_IT_ENDS, signum, tmp_path)
    assert stopped.returncode == code, stopped.stderr
    assert stopped.stderr.splitlines()[-1] == WRITTEN, stopped.stderr
    assert stopped.stderr.count(WRITTEN) == 1 and "Traceback" not in stopped.stderr
    assert (tmp_path / "site" / "map.svg").is_file()


#: A run of the command line (its arguments ``sys.argv[1:]``) sent Ctrl-C as the
#: interpreter ends, its status known.
CTRL_C_AS_IT_ENDS = """
import atexit, os, signal, sys
from converter.cli import main
atexit.register(os.kill, os.getpid(), signal.SIGINT)
main()
"""


def _ended_by_ctrl_c(*args: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CTRL_C_AS_IT_ENDS, *args], cwd=folder,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=WAIT)


@pytest.mark.parametrize("report", ["text", "json"])
def test_ctrl_c_as_a_run_that_writes_nothing_ends_says_aborted(report: str,
                                                                tmp_path: Path) -> None:
    """Ctrl-C as ``validate`` ended, its report printed, was an ignored exception
    (``Exception ignored in atexit callback ... KeyboardInterrupt``) and the run exited
    with its own status (0), as if it had not been stopped. It says ``Aborted!`` last,
    and the run ends as stopped: 130."""
    stopped = _ended_by_ctrl_c("validate", str(SAMPLES), "-j", "1", "--format", report,
                               folder=tmp_path)
    assert stopped.returncode == 130, stopped.stderr
    assert stopped.stderr.splitlines()[-1] == "Aborted!", stopped.stderr
    assert "KeyboardInterrupt" not in stopped.stderr and "Traceback" not in stopped.stderr


def test_ctrl_c_as_a_replayed_run_ends_says_its_output_was_written(tmp_path: Path) -> None:
    """A run replayed from the cache (its output up to date, holding this run's bytes:
    nothing written again) took Ctrl-C as it ended as an ignored exception and exited
    0. It says the output was written, as a run that found its bytes there does."""
    args = ("convert", str(SAMPLES), "--to", "json", "-o", "out.json", "-j", "1")
    for summary in ("wrote 15 muscles to out.json", "out.json: up to date"):
        stopped = _ended_by_ctrl_c(*args, folder=tmp_path)
        assert stopped.returncode == 130, stopped.stderr
        assert summary in stopped.stderr
        assert stopped.stderr.splitlines()[-1] == (
            "muscle-convert: stopped once out.json was written: it holds this run's files")
        assert "KeyboardInterrupt" not in stopped.stderr


#: The command line's entry point run with the arguments ``sys.argv[2:]``, sent the
#: signal ``sys.argv[1]`` at its process's last moment: as it exits (once).
STOPPED_AS_THE_PROCESS_EXITS = """
import os, sys
from converter.__main__ import main
signum, real, sent = int(sys.argv[1]), os._exit, []
def exiting(code):
    if not sent:
        sent.append(signum)
        os.kill(os.getpid(), signum)
    real(code)
os._exit = exiting
sys.argv[1:] = sys.argv[2:]
main()
"""

#: The command line's entry point run with the arguments ``sys.argv[1:]``, sent Ctrl-C
#: by an object of this script's as the interpreter tears its modules down.
CTRL_C_IN_THE_TEARDOWN = """
import os, signal, sys
from converter.__main__ import main
class Late:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
late = Late()
main()
"""


def _entry_point(script: str, *args: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script, *args], cwd=folder,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=WAIT)


@_SIGNALS
def test_a_run_stopped_as_its_process_exits_says_its_file_was_written(
        signum: int, code: int, tmp_path: Path) -> None:
    """The entry point ends the process with the run's status once the at-exit work is
    done: a signal then, its last moment, still says the file was written and ends the
    run as stopped (the interpreter's teardown, where a signal ended the process
    without a word, no longer comes)."""
    stopped = _entry_point(STOPPED_AS_THE_PROCESS_EXITS, str(int(signum)), "convert",
                           str(SAMPLES), "--to", "json", "-o", "out.json", "-j", "1",
                           "--no-cache", folder=tmp_path)
    assert stopped.returncode == code, stopped.stderr
    assert "wrote 15 muscles to out.json" in stopped.stderr
    assert stopped.stderr.splitlines()[-1] == (
        "muscle-convert: stopped once out.json was written: it holds this run's files")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def test_ctrl_c_as_a_validate_process_exits_says_aborted(tmp_path: Path) -> None:
    """As above where the run put no output in place: ``Aborted!`` and 130."""
    stopped = _entry_point(STOPPED_AS_THE_PROCESS_EXITS, str(int(signal.SIGINT)),
                           "validate", str(SAMPLES), "-j", "1", "--no-cache", folder=tmp_path)
    assert stopped.returncode == 130, stopped.stderr
    assert "15 muscles valid" in stopped.stderr
    assert stopped.stderr.splitlines()[-1] == "Aborted!", stopped.stderr


def test_the_entry_point_leaves_no_teardown_for_a_signal_to_end_silently(
        tmp_path: Path) -> None:
    """Ctrl-C as the interpreter tore its modules down (its signal handlers reset, tens
    of milliseconds after the report) killed the process without a word (status -2).
    The process ends before any teardown: the run's own report and status (an object
    left to the teardown is not finalized, as after ``os._exit``)."""
    done = _entry_point(CTRL_C_IN_THE_TEARDOWN, "validate", str(SAMPLES), "-j", "1",
                        "--no-cache", folder=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "15 muscles valid: 0 errors, 10 warnings"


#: A run of the samples' json into ``out.json`` that is sent the signal ``sys.argv[2]``
#: as the file is renamed into place (``sys.argv[3]``: ``rename``) or as the run begins
#: its report (``report``).
STOPPED_ONCE_RENAMED = """
import os, sys
import converter.cli
from converter.cli import main
signum, when = int(sys.argv[2]), sys.argv[3]
real_replace, real_report = os.replace, converter.cli._report_capped
def replace(src, dst, *args, **kwargs):
    real_replace(src, dst, *args, **kwargs)
    if when == "rename" and os.path.basename(dst) == "out.json":
        os.kill(os.getpid(), signum)
def report(*args):
    if when == "report":
        os.kill(os.getpid(), signum)
    return real_report(*args)
os.replace, converter.cli._report_capped = replace, report
sys.argv[1:] = ["convert", sys.argv[1], "--to", "json", "-o", "out.json", "-j", "1",
                "--no-cache", "-q"]
main()
"""


@_SIGNALS
@pytest.mark.parametrize(("when", "earlier"), [("rename", False), ("report", False),
                                               ("report", True)],
                         ids=["as-it-is-renamed", "as-it-reports", "as-it-reports-unchanged"])
def test_a_run_stopped_once_its_file_is_in_place_says_it_was_written(
        signum: int, code: int, when: str, earlier: bool, tmp_path: Path) -> None:
    """A signal that came as the output file was renamed into place, or later, said
    ``Aborted!`` (Ctrl-C) or nothing (SIGTERM, SIGHUP), as if nothing were written. It
    says the file was written (and so where the file held this run's bytes already,
    left as it was), and the run ends as stopped."""
    out = tmp_path / "out.json"
    if earlier:
        assert convert_samples("json", out)[0] == 0
    stopped = subprocess.run([sys.executable, "-c", STOPPED_ONCE_RENAMED, str(SAMPLES),
                              str(int(signum)), when], cwd=tmp_path, capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             timeout=WAIT)
    assert (stopped.returncode, stopped.stderr.strip()) == (
        code, "muscle-convert: stopped once out.json was written: it holds this run's "
              "files"), stopped.stderr
    assert out.read_text(encoding="utf-8").startswith("{")
    assert sorted(os.listdir(tmp_path)) == ["out.json"]


#: A run of the sources ``sys.argv[1]`` into the database ``muscles.db`` that is sent
#: the signal ``sys.argv[2]`` as it begins its report (``sys.argv[3:]``: its other
#: options).
STOPPED_ONCE_COMMITTED = """
import os, sys
import converter.cli
from converter.cli import main
signum, real = int(sys.argv[2]), converter.cli._report_capped
def report(*args):
    os.kill(os.getpid(), signum)
    return real(*args)
converter.cli._report_capped = report
sys.argv[1:] = ["convert", sys.argv[1], "--to", "sqlite", "-o", "muscles.db", "-j", "1",
                "-q", *sys.argv[3:]]
main()
"""


@_SIGNALS
def test_a_run_stopped_once_its_database_is_updated_says_it_was_written(
        signum: int, code: int, tmp_path: Path) -> None:
    """A database updated in place (its transaction committed) was as if not written
    when a signal came after: ``Aborted!``, or nothing. It says the database was
    written."""
    sources = tmp_path / "sources"
    shutil.copytree(SAMPLES, sources)
    db = tmp_path / "muscles.db"
    first = subprocess.run([sys.executable, "-m", "converter", "convert", str(sources), "--to",
                            "sqlite", "-o", str(db), "-j", "1", "-q", "--no-cache"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=WAIT)
    assert first.returncode == 0, first.stderr
    soleus = sources / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("Soleus", "Soleus m."),
                      encoding="utf-8")
    stopped = subprocess.run([sys.executable, "-c", STOPPED_ONCE_COMMITTED, str(sources),
                              str(int(signum)), "--no-cache"], cwd=tmp_path,
                             capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             timeout=WAIT)
    assert (stopped.returncode, stopped.stderr.strip()) == (
        code, "muscle-convert: stopped once muscles.db was written: it holds this run's "
              "files"), stopped.stderr
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT title FROM muscles WHERE slug = 'soleus'").fetchone() == (
            "Soleus m.",)


@_SIGNALS
def test_a_run_stopped_once_its_database_is_patched_says_it_was_written(
        signum: int, code: int, tmp_path: Path) -> None:
    """A database brought up to date by the cache's shortcut (only the changed muscles
    upserted, its transaction committed) was as if not written when a signal came
    after: ``Aborted!``, or nothing. It says the database was written, as a full
    update does."""
    sources = tmp_path / "sources"
    shutil.copytree(SAMPLES, sources)
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "MUSCLE_CONVERT_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-m", "converter", "convert", str(sources), "--to",
                            "sqlite", "-o", "muscles.db", "-j", "1", "-q"], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=WAIT)
    assert first.returncode == 0, first.stderr
    soleus = sources / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8") + "\nA line more.\n",
                      encoding="utf-8")
    stopped = subprocess.run([sys.executable, "-c", STOPPED_ONCE_COMMITTED, str(sources),
                              str(int(signum))], cwd=tmp_path, capture_output=True,
                             text=True, env=env, timeout=WAIT)
    assert (stopped.returncode, stopped.stderr.strip()) == (
        code, "muscle-convert: stopped once muscles.db was written: it holds this run's "
              "files"), stopped.stderr
    with contextlib.closing(sqlite3.connect(tmp_path / "muscles.db")) as conn:
        body = conn.execute("SELECT body FROM muscles WHERE slug = 'soleus'").fetchone()[0]
    assert body.endswith("\nA line more.\n")
