"""Shared fixtures and helpers: the samples, a private cache per test, the demo's commands."""

from __future__ import annotations

import contextlib
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import converter
from converter.model import Muscle

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = ROOT.parent / "shared" / "seed" / "gluteus-medius.md"


def demo_commands(out: Path) -> list[list[str]]:
    """The commands ``make demo`` runs, with ``OUT`` and this venv's ``BIN`` (dry run)."""
    listed = subprocess.run(["make", "-n", "demo", f"OUT={out}",
                             f"BIN={Path(sys.executable).parent}"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [shlex.split(line) for line in listed.splitlines() if " convert " in line]


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

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    with _switching_often():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


@pytest.fixture(scope="session")
def sample_muscles() -> list[Muscle]:
    """Every muscle in samples/, in file order."""
    return converter.read(SAMPLES)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty cache directory (programs it starts inherit it)."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MUSCLE_CONVERT_CACHE_DIR", str(directory))
    return directory
