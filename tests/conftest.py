"""Shared fixtures and helpers: the samples, a private cache per test, the demo's commands."""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import multiprocessing
import os
import pkgutil
import resource
import select
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, settings

import converter
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle, Region
from converter.svgtree import Tree, parse
from tests.waits import WAIT

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: A Markdown muscle file of one title (``MUSCLE.format(title=...)``).
MUSCLE = "---\ntitle: {title}\n---\n"
SEED = ROOT.parent / "shared" / "seed" / "gluteus-medius.md"
#: The ways the worker processes of --jobs start that the tests run: fork (Linux's) and
#: spawn (Windows' and macOS's).
START_METHODS = ("fork", "spawn")


def cli_command(start_method: str = "fork") -> list[str]:
    """The command line of muscle-convert (its arguments to follow) whose worker processes
    start by ``start_method`` (``multiprocessing.set_start_method``)."""
    return [sys.executable, "-c", "import multiprocessing, sys\n"
            "multiprocessing.set_start_method(sys.argv.pop(1))\n"
            "from converter.__main__ import main\nmain()", start_method]


def into_a_gone_reader(*args: str, cwd: Path | None = None,
                       env: dict[str, str] | None = None
                       ) -> subprocess.CompletedProcess[str]:
    """Run the command line with its standard output a pipe whose reader is gone (see
    :func:`run_into_a_gone_reader`); ``env`` is added to the environment."""
    return run_into_a_gone_reader([sys.executable, "-m", "converter", *args], cwd=cwd,
                                  env=env)


def run_into_a_gone_reader(command: list[str], cwd: Path | None = None,
                           env: dict[str, str] | None = None
                           ) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with its standard output a pipe whose reader is gone (every
    write to it is EPIPE, as into ``| head -1`` once head has its line); ``env`` is
    added to the environment."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(command, stdout=write, stderr=subprocess.PIPE, text=True,
                              check=False, cwd=cwd, env={**os.environ, **(env or {})},
                              timeout=WAIT)
    finally:
        os.close(write)


def demo_commands(out: Path) -> list[list[str]]:
    """The commands ``make demo`` runs, with ``OUT`` and this venv's ``BIN`` (dry run)."""
    listed = subprocess.run(["make", "-n", "demo", f"OUT={out}",
                             f"BIN={Path(sys.executable).parent}"],
                            cwd=ROOT, capture_output=True, text=True, check=True,
                            timeout=WAIT).stdout
    return [shlex.split(line) for line in listed.splitlines() if " convert " in line]


def nest(top: Path, depth: int) -> Path:
    """Make ``top`` with a chain of ``depth`` folders ``d`` below it, one at a time
    (``os.makedirs`` recurses); the innermost, relative to ``top``'s folder."""
    here = os.getcwd()
    os.mkdir(top)
    os.chdir(top)
    try:
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
    finally:
        os.chdir(here)
    return Path(top.name, *["d"] * depth)


def deleting_at(monkeypatch: pytest.MonkeyPatch, target: str, folder: Path,
                nth: int = 1) -> None:
    """Make the ``nth`` call of ``target`` (``module.name`` or ``module.Class.name``, a
    function or method the run calls by that name) delete ``folder`` and all in it
    first: a working folder deleted under a run at that point, as by ``rm -rf`` from
    another shell (in each process that calls it: a forked worker deletes what is
    left, or finds it gone)."""
    where, name = target.rsplit(".", 1)
    owner = pkgutil.resolve_name(where)  # (a module, or a class in one)
    original, calls = getattr(owner, name), []

    def deleting(*args: object, **kwargs: object) -> object:
        calls.append(None)
        if len(calls) == nth:
            shutil.rmtree(folder, ignore_errors=True)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, deleting)


def installed_folder(folder: Path, monkeypatch: pytest.MonkeyPatch, module: str
                     ) -> Iterator[Path]:
    """``folder``, holding an installed format package (``module`` its entry point's
    module), on the path and the registry's caches cleared; uninstalled after."""
    from converter import entrypoints

    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    caches = [f for f in vars(entrypoints).values() if hasattr(f, "cache_clear")]
    for cached in caches:
        cached.cache_clear()
    yield folder
    for cached in caches:
        cached.cache_clear()
    sys.modules.pop(module, None)


def process_alive(pid: int) -> bool:
    """Whether the process ``pid`` runs (exists, and is no zombie)."""
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def line_of(process: subprocess.Popen[str]) -> str:
    """The next line ``process`` writes to its standard output (a pipe, each line
    flushed whole); fails once :data:`WAIT` seconds have passed without one."""
    ready = select.select([process.stdout], [], [], WAIT)[0]
    assert ready and process.stdout, f"process {process.pid} wrote no line in {WAIT} s"
    return process.stdout.readline()


def ended_within(call: Callable[[], object], what: str) -> None:
    """``call()`` in a thread of its own (a daemon: one that never returns holds up no
    exit); fails, naming ``what``, once :data:`WAIT` seconds have passed without its
    end. What it raised is raised here."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # (raised again in the caller's thread)
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=WAIT)
    assert not thread.is_alive(), f"{what} did not end within {WAIT} s"
    if raised:
        raise raised[0]


def age(*paths: Path, seconds: int = 3600) -> None:
    """Move mtimes an hour back, as for files not edited just now."""
    past = time.time() - seconds
    for path in paths:
        for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.utime(p, (past, past))


def whole_and_in_chunks(decode: Callable[[bytes, str], object],
                        scan: Callable[[IO[bytes], str, int], MuscleError | None],
                        raw: bytes, chunk: int
                        ) -> tuple[list[Diagnostic] | None, list[Diagnostic] | None]:
    """The diagnostics ``decode`` gives of the bytes ``raw`` read whole, and those
    ``scan`` gives of them read a ``chunk`` at a time (each None: none), as a file
    ``m.json``'s: a test that they are the same."""
    try:
        decode(raw, "m.json")
    except MuscleError as exc:
        whole = exc.diagnostics
    else:
        whole = None
    found = scan(io.BytesIO(raw), "m.json", chunk)
    return whole, found and found.diagnostics


def remove_tree(top: Path) -> None:
    """Remove the folder ``top`` and all below it, however deep (``shutil.rmtree`` of
    Python 3.11, as pytest's clean-up, recurses)."""
    here, below = os.getcwd(), []
    os.chdir(top)
    try:
        while True:
            folders = [e.name for e in os.scandir(".") if e.is_dir(follow_symlinks=False)]
            if folders:
                os.chdir(folders[0])
                below.append(folders[0])
                continue
            for entry in os.scandir("."):
                os.unlink(entry.name)
            if not below:
                break
            os.chdir(os.pardir)
            os.rmdir(below.pop())
    finally:
        os.chdir(here)
    os.rmdir(top)


def open_files_limit(limit: int) -> Callable[[], None]:
    """A call that lets this process hold at most ``limit`` files open (the soft
    ``RLIMIT_NOFILE``; for ``subprocess``'s ``preexec_fn`` too)."""

    def lower() -> None:
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        below = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (below, hard))

    return lower


@contextlib.contextmanager
def open_files_at_most(limit: int) -> Iterator[None]:
    """The block, this process holding at most ``limit`` files open (as a system whose
    limit is that, 1024 a common one); the limit put back after."""
    was = resource.getrlimit(resource.RLIMIT_NOFILE)
    open_files_limit(limit)()
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, was)


@contextlib.contextmanager
def _switching_often() -> Iterator[None]:
    """Threads switched after every few bytecodes, so two of them meet inside a call."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def in_threads(work: Callable[[int], object], count: int) -> list[object]:
    """``work(0)`` .. ``work(count - 1)``, each in its own thread at once: what each gave
    (or raised)."""
    results: list[object] = [None] * count

    def run(n: int) -> None:
        try:
            results[n] = work(n)
        except Exception as exc:  # (kept, to be compared)
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    with _switching_often():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=WAIT)
            assert not thread.is_alive(), f"a thread of in_threads ran past {WAIT} s"
    return results


# Ctrl-C as a terminal gives it: a shell that starts the suite in the background without
# job control (a CI runner's, `make test &`) leaves SIGINT ignored, Python then installs
# no KeyboardInterrupt handler, and every program a test starts inherits the ignoring, so
# the tests of what Ctrl-C does would see nothing happen. (A handler is reset to the
# default in a program started, which installs Python's own again.)
signal.signal(signal.SIGINT, signal.default_int_handler)

settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


@pytest.fixture(params=START_METHODS)
def start_method(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each of :data:`START_METHODS`, the one this process starts worker processes by
    for the test."""
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(request.param, force=True)
    yield request.param
    multiprocessing.set_start_method(before, force=True)


def detailed_muscles(count: int, points: int) -> list[Muscle]:
    """``count`` muscles side by side, each one ring of ``points`` points (whole
    pixels, none twice): a corpus drawn in more detail than focus images draw faintly."""
    radius = points  # (a circumference of 2 pi points: each point a pixel or more apart)
    return [Muscle(slug=f"m{i}", title=f"M{i}", regions=(Region(tuple(
        (round(radius * (2 * i + 1) + radius * math.cos(2 * math.pi * k / points)),
         round(radius + radius * math.sin(2 * math.pi * k / points)))
        for k in range(points))),)) for i in range(count)]


@pytest.fixture(scope="session")
def sample_muscles() -> list[Muscle]:
    """Every muscle in samples/, in file order."""
    return converter.read(SAMPLES)


#: The front matter's limit of values (:data:`converter.safety.MAX_NODES`) in the tests of
#: its count that take :func:`node_limit`.
SMALL_NODE_LIMIT = 1000


@pytest.fixture
def node_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """The front matter's limit of values made :data:`SMALL_NODE_LIMIT` in every module
    that took it (the Markdown reader's and the writers' ``too-large`` count), for a
    test of the count, not of the limit: a file at the real 100,000 takes seconds to
    write and read back. The limit it gives."""
    from converter import authoring, safety, yamlsafe  # (loaded, to be looked through)

    real = safety.MAX_NODES
    assert authoring.MAX_NODES == yamlsafe.MAX_NODES == real
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("converter", "formats") and getattr(
                module, "MAX_NODES", None) == real:
            monkeypatch.setattr(module, "MAX_NODES", SMALL_NODE_LIMIT)
    return SMALL_NODE_LIMIT


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty cache directory (programs it starts inherit it)."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MUSCLE_CONVERT_CACHE_DIR", str(directory))
    return directory


def convert_samples(to: str, out: Path, *options: str) -> tuple[int, str]:
    """Convert the samples with the CLI, one job, no cache, quiet: exit code and stderr."""
    from click.testing import CliRunner

    from converter.cli import cli

    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", to, "-o", str(out),
                                      "--no-cache", "-j", "1", "-q", *options])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


def svg_tree(body: str, tmp_path: Path) -> Tree:
    """An SVG file (``map.svg`` in ``tmp_path``) of ``body`` from line 2, parsed."""
    path = tmp_path / "map.svg"
    path.write_text(f"<svg xmlns='http://www.w3.org/2000/svg'>\n{body}\n</svg>\n",
                    encoding="utf-8")
    return parse(path.read_bytes(), path)


#: The README.md of :func:`project`'s content/: no front matter (an error unless left out).
PROJECT_README = "# For the site's editors\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: content/ (the samples and a README.md without front matter, an error
    unless left out), a working folder content/deeper/ below it."""
    shutil.copytree(SAMPLES, tmp_path / "content")
    (tmp_path / "content" / "README.md").write_text(PROJECT_README, encoding="utf-8")
    (tmp_path / "content" / "deeper").mkdir()
    monkeypatch.chdir(tmp_path / "content" / "deeper")
    return tmp_path
