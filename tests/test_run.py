"""converter.run: the convert, validate and fmt jobs, as the command line and a Python
caller start them."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter import atomic
from converter.registry import get_format
from converter.run import convert_sources
from tests.conftest import SAMPLES


def test_convert_sources_forgets_a_mark_an_earlier_run_left(
        capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """A run into standard output whose reader stopped, one that then failed, left "-"
    marked: the next ``convert_sources`` to it in the same process said output-closed of
    a reader still reading (and ``--strict`` took no count of it)."""
    atomic._LEFT.add("-")  # (as a write cut short by an error after its reader left)
    result = convert_sources([SAMPLES / "soleus.md"], get_format("jsonl"), Path("-"))
    assert [d.code for d in result.diagnostics] == []
    assert (result.count, result.left_early) == (1, 0)
    assert capfdbinary.readouterr().out.count(b"\n") == 1
    assert "-" not in atomic._LEFT
