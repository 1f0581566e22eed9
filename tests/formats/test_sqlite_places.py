"""The sqlite format's diagnostics name a muscle's items by the ``position`` their rows
are stored at, which a row deleted with SQL leaves a gap in (formats/sqlite/places.py)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

import converter
from converter.model import Function, LocalizedText, Muscle, Region
from converter.registry import get_format
from converter.run import validate_sources
from formats.sqlite import places as sqlite_places


def _texts(text: str) -> LocalizedText:
    return LocalizedText({"en": text})


def _square(x: int) -> Region:
    return Region(((x, x), (x + 10, x), (x + 10, x + 10), (x, x + 10)))


#: Per table: the muscle written, the SQL that leaves a gap before its bad item (row
#: positions 0 deleted) and makes that item bad, the field its diagnostic names (by the
#: positions), its code, and a query by those positions that finds the bad row's value.
CASES = {
    "exercises": (
        Muscle(slug="soleus", title="Soleus", exercises=("Squat", "Lunge", "")),
        "DELETE FROM exercises WHERE muscle = 'soleus' AND position = 0;",
        "muscles[soleus].exercises[2]", "empty-text",
        "SELECT name FROM exercises WHERE muscle = 'soleus' AND position = 2", ""),
    "functions": (
        Muscle(slug="soleus", title="Soleus", functions=tuple(
            Function(_texts(f"Does {n}."), _texts(f"At length {n}.")) for n in "abc")),
        "DELETE FROM functions WHERE muscle = 'soleus' AND position = 0; "
        "UPDATE functions SET text = '' WHERE muscle = 'soleus' AND position = 2 "
        "AND part = 'short';",
        "muscles[soleus].functions[2].short.en", "empty-text",
        "SELECT text FROM functions WHERE muscle = 'soleus' AND position = 2 "
        "AND part = 'short'", ""),
    "regions": (
        Muscle(slug="soleus", title="Soleus", regions=(
            Region(((10, 10), (20, 10), (20, 20))), Region(((30, 30), (40, 30), (40, 40))),
            Region(((50, 50), (60, 50), (50, 60))))),
        "DELETE FROM points WHERE muscle = 'soleus' AND region = 0; "
        "DELETE FROM regions WHERE muscle = 'soleus' AND position = 0; "
        "UPDATE points SET y = '50' WHERE muscle = 'soleus' AND region = 2 "
        "AND position = 2;",
        "muscles[soleus].regions[2]", "polygon-zero-area",
        "SELECT group_concat(x || ',' || y, ' ') FROM (SELECT x, y FROM points WHERE "
        "muscle = 'soleus' AND region = 2 ORDER BY position)", "50,50 60,50 50,50"),
    "points": (
        Muscle(slug="soleus", title="Soleus", regions=(
            _square(10), Region(((50, 50), (60, 50), (65, 55), (60, 60), (50, 60))))),
        "DELETE FROM points WHERE muscle = 'soleus' AND region = 0; "
        "DELETE FROM regions WHERE muscle = 'soleus' AND position = 0; "
        "DELETE FROM points WHERE muscle = 'soleus' AND region = 1 AND position = 1; "
        "UPDATE points SET x = ' 12' WHERE muscle = 'soleus' AND region = 1 "
        "AND position = 3;",
        "muscles[soleus].regions[1].points[3].x", "coords-not-number",
        "SELECT x FROM points WHERE muscle = 'soleus' AND region = 1 AND position = 3",
        " 12"),
}


def _edited(db: Path, sql: str) -> None:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.executescript(sql)
        conn.commit()


def _value(db: Path, sql: str) -> object:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.mark.parametrize("table", list(CASES))
def test_a_diagnostic_names_the_item_by_its_stored_position_after_a_gap(
        table: str, tmp_path: Path) -> None:
    """After a row deleted with SQL (position 0), the item at position 2 was named by
    its place in the list (exercises[1], regions[1], functions[1].short.en,
    points[2].x), which a query by position finds another, valid row at."""
    muscle, sql, field, code, query, bad = CASES[table]
    db = tmp_path / "muscles.db"
    converter.write([muscle, Muscle(slug="tibialis", title="Tibialis",
                                    exercises=("Squat", ""))], db, "sqlite")
    _edited(db, sql)
    found = [(d.path, d.field, d.code) for d in validate_sources([db]).diagnostics]
    assert (str(db), field, code) in found
    assert (str(db), "muscles[tibialis].exercises[1]", "empty-text") in found  # (no gap)
    assert _value(db, query) == bad


def test_a_duplicate_text_names_the_function_by_its_position(tmp_path: Path) -> None:
    """The checks across muscles name a function by its position too, the other's
    place in the message as well."""
    db = tmp_path / "muscles.db"
    text = _texts("The same long explanation of what it does.")
    converter.write([
        Muscle(slug="a", title="A", functions=(Function(_texts("One.")),
                                               Function(_texts("Two."), text))),
        Muscle(slug="b", title="B", functions=(Function(_texts("One."), text),))],
        db, "sqlite")
    _edited(db, "UPDATE functions SET position = 7 WHERE muscle = 'a' AND position = 1;")
    found = [(d.field, d.message) for d in validate_sources([db]).diagnostics
             if d.code == "duplicate-text"]
    assert found == [
        ("muscles[b].functions[0].extended.en",
         f"same text as {db} (muscles[a].functions[7].extended.en)"),
        ("muscles[a].functions[7].extended.en",
         f"same text as {db} (muscles[b].functions[0].extended.en)")]


def test_places_of_a_database_read_elsewhere_reads_its_positions(tmp_path: Path) -> None:
    """A database this process has not read (a cached run's, read by another) is read
    again for its positions; one read before a change, again as it is now."""
    db = tmp_path / "muscles.db"
    converter.write([Muscle(slug="soleus", title="Soleus", exercises=("A", "B", "C"))],
                    db, "sqlite")
    place = get_format("sqlite").places
    assert place(db)("muscles[soleus].exercises[1]") is None  # (no gap)
    _edited(db, "DELETE FROM exercises WHERE position = 0;")
    sqlite_places._KNOWN.clear()
    where = place(db)("muscles[soleus].exercises[1]")
    assert where is not None and (where.path, where.line, where.field) == (
        str(db), None, "muscles[soleus].exercises[2]")
    assert place(db)("muscles[soleus].origin.en") is None
