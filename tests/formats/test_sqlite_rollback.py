"""A user's trigger that ends the write's transaction (``RAISE(ROLLBACK)``) or keeps it
(``RAISE(FAIL)``) is named as one that ``RAISE(ABORT)``s is, and nothing is written."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.formats.test_sqlite import _cli

#: Triggers of a user's that refuse soleus's English origin, edited: (their statements,
#: what refuses it, what follows the muscle named); ``{kind}`` is the RAISE's kind.
TRIGGERS = {
    "on texts": (
        ["CREATE TRIGGER lock_texts BEFORE UPDATE ON texts BEGIN SELECT "
         "RAISE({kind}, 'locked'); END"],
        "your trigger 'lock_texts' on texts refuses to write the row",
        "; drop or change that trigger"),
    "one of two": (
        ["CREATE TRIGGER lock_danish BEFORE UPDATE ON texts WHEN NEW.language = 'da' "
         "BEGIN SELECT RAISE({kind}, 'locked'); END",
         "CREATE TRIGGER lock_english BEFORE UPDATE ON texts WHEN NEW.language = 'en' "
         "BEGIN SELECT RAISE({kind}, 'locked'); END"],
        "your trigger 'lock_english' on texts refuses to write the row",
        "; drop or change that trigger"),
    "a table reached": (
        ["CREATE TABLE log (muscle TEXT, language TEXT)",
         "CREATE TRIGGER log_texts AFTER UPDATE ON texts BEGIN INSERT INTO log "
         "VALUES (NEW.muscle, NEW.language); END",
         "CREATE TRIGGER lock_log BEFORE INSERT ON log BEGIN SELECT "
         "RAISE({kind}, 'locked'); END"],
        "your trigger 'lock_log' on table 'log' refuses a change that writing the texts "
        "row", " makes; drop or change that trigger"),
}


def _dump(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


@pytest.mark.parametrize("kind", ["ROLLBACK", "FAIL", "ABORT"])
@pytest.mark.parametrize("case", TRIGGERS)
def test_a_trigger_that_rolls_back_or_fails_a_write_is_named_and_nothing_is_written(
        kind: str, case: str, tmp_path: Path) -> None:
    """A ``RAISE(ROLLBACK)`` ended the write's transaction, so its row could not be
    found again: it was SQLite's bare "locked". The trigger and the muscle are named
    (the row found again in a transaction of its own, rolled back), the database is as
    it was, and the run fails."""
    statements, named, after = TRIGGERS[case]
    content, db = tmp_path / "content", tmp_path / "m.db"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for statement in statements:
            conn.execute(statement.format(kind=kind))
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace(
        "en: The back of the head", "en: Behind the head"), encoding="utf-8")
    soleus.with_name("new.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    before = _dump(db)
    code, output = _cli("convert", str(content), "--to", "sqlite", "-o", str(db))
    said = [line for line in output.splitlines() if "[sqlite-error]" in line]
    assert code == 1
    assert said == [f"{db}: error: muscles[soleus].origin.en: SQLite failed: locked: "
                    f"{named} of muscle 'soleus' ({soleus}:5:7){after}, and run again; "
                    "nothing is changed [sqlite-error]"]
    assert _dump(db) == before
    assert len(_dump(db)) == len(before)


#: Triggers of a user's whose refusal hangs on rows the same write made before the row
#: it refuses: (their statements, the muscle refused, what refuses it, what follows).
#: The samples go into a database that holds soleus alone; new muscles are inserted in
#: the order of their slugs, their rows after them.
EARLIER = {
    "the third muscle": (
        ["CREATE TRIGGER three_muscles BEFORE INSERT ON muscles WHEN (SELECT count(*) "
         "FROM muscles) >= 3 BEGIN SELECT RAISE({kind}, 'enough muscles'); END"],
        "deltoideus", "enough muscles",
        "your trigger 'three_muscles' on muscles refuses to write the row",
        "; drop or change that trigger"),
    "the third muscle's exercises": (  # (biceps-brachii, biceps-femoris, deltoideus)
        ["CREATE TRIGGER three_muscles BEFORE INSERT ON exercises WHEN NOT EXISTS (SELECT "
         "1 FROM exercises WHERE muscle = NEW.muscle) AND (SELECT count(DISTINCT muscle) "
         "FROM exercises WHERE muscle <> 'soleus') >= 2 BEGIN SELECT "
         "RAISE({kind}, 'enough exercises'); END"],
        "deltoideus", "enough exercises",
        "your trigger 'three_muscles' on exercises refuses to write the row",
        "; drop or change that trigger"),
    "a row another holds": (
        ["CREATE TRIGGER no_triceps BEFORE INSERT ON texts WHEN NEW.muscle = "
         "'triceps-brachii' AND EXISTS (SELECT 1 FROM muscles WHERE slug = "
         "'biceps-brachii') BEGIN SELECT RAISE({kind}, 'not with the biceps'); END"],
        "triceps-brachii", "not with the biceps",
        "your trigger 'no_triceps' on texts refuses to write the row",
        "; drop or change that trigger"),
}


@pytest.mark.parametrize("kind", ["ROLLBACK", "FAIL", "ABORT"])
@pytest.mark.parametrize("case", EARLIER)
def test_a_trigger_refusing_on_rows_written_before_names_the_muscle(
        kind: str, case: str, tmp_path: Path) -> None:
    """The row refused was found again by making the statement's rows again: once a
    ``RAISE(ROLLBACK)`` had undone the rows written before it (those the refusal hangs
    on), none failed, and the error named no muscle; after a ``RAISE(ABORT)`` or
    ``(FAIL)``, which keep the rows of the statement before it, the first of those was
    refused again, and named. The row SQLite was making when it refused is the one
    named, the database is as it was, and the run fails."""
    statements, refused, said, named, after = EARLIER[case]
    content, db = tmp_path / "content", tmp_path / "m.db"
    shutil.copytree(SAMPLES, content)
    soleus = tmp_path / "soleus"
    soleus.mkdir()
    shutil.copy(content / "soleus.md", soleus)
    assert _cli("convert", str(soleus), "--to", "sqlite", "-o", str(db))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for statement in statements:
            conn.execute(statement.format(kind=kind))
    before = _dump(db)
    code, output = _cli("convert", str(content), "--to", "sqlite", "-o", str(db))
    lines = [line for line in output.splitlines() if "[sqlite-error]" in line]
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{db}: error: muscles[{refused}]")
    assert f": SQLite failed: {said}: {named} of muscle '{refused}' (" in lines[0]
    assert lines[0].endswith(f"{after}, and run again; nothing is changed [sqlite-error]")
    assert _dump(db) == before
