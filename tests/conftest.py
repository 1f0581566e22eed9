"""Shared fixtures and helpers: the samples, a private cache per test, the demo's commands."""

from __future__ import annotations

import shlex
import subprocess
import sys
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
