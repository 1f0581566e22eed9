"""Placing diagnostics that name a field but no line (converter/locator.py)."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from converter import locator
from converter.diagnostics import Diagnostic
from converter.registry import Place


def test_the_locator_keeps_few_places_of_a_file_of_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The locator kept the place of every field it was asked about in a file, and the
    corpus lint asks about fields of every record of a file of many (116,669 warnings,
    some 50 MB of places, for 40,000 muscles of one JSON Lines file). It keeps a few
    now, and a field asked about again is placed where it was."""
    many = tmp_path / "many.jsonl"
    many.write_text("".join(json.dumps({"slug": f"placed-{i:02}", "title": f"Placed {i}",
                                        "origin": {"en": f"Origin {i}."}}) + "\n"
                            for i in range(30)), encoding="utf-8")
    asked = [Diagnostic(str(many), None, None, f"muscles[placed-{i:02}].origin.en",
                        "duplicate-text", "same text", "warning") for i in range(30)]
    placed = [locator.Locator()(d) for d in asked]
    monkeypatch.setattr(locator, "_FOUND_KEPT", 4)
    placing = locator.Locator()
    alive = []
    for d in asked + asked[::-1]:
        placing(d)
        gc.collect()
        alive.append(sum(isinstance(o, Place) and o.path == str(many)
                         for o in gc.get_objects()))
    assert max(alive) <= 4, alive
    assert [placing(d) for d in asked] == placed
    assert [d.line for d in placed] == list(range(1, 31))
    assert all(d.column and d.column > 1 for d in placed)
