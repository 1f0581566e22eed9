"""bench/run.py: the bench compiles the project before it times it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_run(monkeypatch: pytest.MonkeyPatch):
    """bench/run.py as a module (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # (its dataclasses look it up)
    spec.loader.exec_module(module)
    return module


def _project(root: Path, text: str = "VALUE = 1\n") -> list[Path]:
    sources = [root / "converter" / "core_part.py", root / "formats" / "some_format.py"]
    for source in sources:
        source.parent.mkdir(parents=True)
        source.write_text(text, encoding="utf-8")
    return sources


def test_compile_project_writes_byte_code_even_where_python_writes_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bench_run) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    sources = _project(tmp_path)
    bench_run.compile_project(tmp_path)
    for source in sources:
        assert Path(importlib.util.cache_from_source(str(source))).is_file(), source


def test_compile_project_stops_on_a_module_that_does_not_compile(tmp_path: Path,
                                                                  bench_run) -> None:
    _project(tmp_path, "def broken(:\n")
    with pytest.raises(SystemExit, match="does not compile"):
        bench_run.compile_project(tmp_path)
