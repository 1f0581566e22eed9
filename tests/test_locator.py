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


@pytest.mark.parametrize(("name", "text"), [
    ("m.jsonl", '[{"slug": "a", "title": "A", "latin": " "}, {"slug": "a", "title": "A",'
                ' "image": "javascript:x"}]\n'),
    ("m.jsonl", '{"slug": "a", "title": "A", "latin": " "}\n'
                '{"slug": "a", "title": "A", "image": "javascript:x"}\n'),
    ("m.json", '{"muscles": [{"slug": "a", "title": "A", "latin": " "},\n'
               '  {"slug": "a", "title": "A", "image": "javascript:x"}]}\n')])
def test_a_check_of_a_muscle_whose_slug_two_records_give_is_at_its_record(
        tmp_path: Path, name: str, text: str) -> None:
    """A check after reading (an empty text, an unsafe link) of a muscle whose slug two
    records of its file give was at no line, its slug placing neither: it is at the
    field of the record its reader read it from (:func:`locator.locate_marked`), in a
    JSON array of records on one line, in records a line and in a JSON document."""
    from converter.run import validate_sources

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")

    def at(needle: str) -> tuple[int, int]:
        """(line, column) of ``needle`` in the file."""
        number = next(n for n, line in enumerate(lines, 1) if needle in line)
        return number, lines[number - 1].index(needle) + 1

    found = {d.code: (d.line, d.column, d.field)
             for d in validate_sources([path]).diagnostics}
    assert found["empty-text"] == (*at('" "'), "muscles[a].latin")
    assert found["unsafe-link"] == (*at('"javascript:x"'), "muscles[a].image")
