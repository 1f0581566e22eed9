"""The search index after a write in full: what it holds, row by row, is what the tables
give it, whatever was done to it by hand."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

import converter.run
from converter.registry import get_format
from tests.conftest import SAMPLES
from tests.formats.test_sqlite import _shell, assert_consistent, counts, query

#: The origin in English of soleus, by its row id in the search index.
_SOLEUS_ORIGIN = ("(SELECT id * 4 FROM texts WHERE muscle = 'soleus' AND field = 'origin' "
                  "AND language = 'en')")
#: The triggers on texts that keep the search index in sync, as the database holds them.
_TEXT_TRIGGERS = ("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                  "AND tbl_name = 'texts' ORDER BY name")


def _texts_renumbered(db: Path) -> None:
    """``texts`` given new ids, its search triggers made again exactly as they were (as
    a table made again, its rows copied with ids of their own, leaves it), the search
    index left keyed by the old ids."""
    triggers = query(db, _TEXT_TRIGGERS)
    _shell(db, "".join(f"DROP TRIGGER {name};" for name, _ in triggers)
           + "UPDATE texts SET id = id + 1000;" + "".join(f"{sql};" for _, sql in triggers))
    assert query(db, _TEXT_TRIGGERS) == triggers


#: What is done to the search index by hand (its counts of rows kept).
EDITS = {
    "an entry edited": lambda db: _shell(
        db, f"UPDATE search SET text = 'Edited by hand' WHERE rowid = {_SOLEUS_ORIGIN};"),
    "texts with new ids": _texts_renumbered,
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_search_index_edited_by_hand_is_made_again_by_a_write_in_full(
        edit: str, tmp_path: Path) -> None:
    """A write in full compared only the number of the search index's rows with the
    tables', so an entry edited by hand, or the entries of a ``texts`` made again with
    new ids (its triggers made again as they were), stayed: a search found a text no
    muscle has, or no longer found its muscle's. It compares each row now, and makes
    the index again from the tables."""
    db = tmp_path / "muscles.db"
    sqlite = get_format("sqlite")
    converter.run.convert_sources([SAMPLES], sqlite, db)
    EDITS[edit](db)
    with pytest.raises(AssertionError):
        assert_consistent(db)
    result = converter.run.convert_sources([SAMPLES], sqlite, db)
    assert result.summary.startswith(f"{db}: {counts(0, 0, 15, 0)}")
    assert_consistent(db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        found = conn.execute("SELECT slug FROM search WHERE search MATCH 'soleal'").fetchall()
    assert found == [("soleus",)]
