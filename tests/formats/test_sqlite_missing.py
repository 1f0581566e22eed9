"""A table of the tool's that the database lacks (a rebuild by hand stopped half-way)
is one clear error that says what is left and what to do."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import converter
from tests.conftest import SAMPLES, WAIT
from tests.formats.test_sqlite import _cli, _shell, assert_consistent


def _dump(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def test_a_table_rebuilt_the_other_way_round_is_named_with_what_to_do(
        tmp_path: Path) -> None:
    """A rebuild of texts as ``CREATE TABLE texts_new``, ``DROP TABLE texts``, then the
    rename, fails at the rename in the user's own session (the views refer to texts),
    leaving texts_new and no texts: every write was "SQLite failed: no such table:
    texts". It says the table is gone, what is left, and how to rename it back, which
    then makes the next write succeed."""
    content, db = tmp_path / "content", tmp_path / "m.db"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (made,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'texts'").fetchone()
    rebuild = subprocess.run(
        [shutil.which("sqlite3") or "sqlite3", str(db)], capture_output=True, text=True,
        timeout=WAIT, input=made.replace("CREATE TABLE texts", "CREATE TABLE texts_new")
        + ";INSERT INTO texts_new SELECT * FROM texts;DROP TABLE texts;"
        "ALTER TABLE texts_new RENAME TO texts;")
    assert "error in view" in rebuild.stderr
    before = _dump(db)
    code, output = _cli("convert", str(content), "--to", "sqlite", "-o", str(db))
    said = [line for line in output.splitlines() if "[sqlite-error]" in line]
    assert code == 1
    assert said == [f"{db}: error: lacks its table texts, which muscle-convert writes (a "
                    "rebuild of it left the table 'texts_new'? SQLite refuses ALTER TABLE "
                    "... RENAME TO texts while the views that refer to texts are there); "
                    "rename that table back (PRAGMA legacy_alter_table = ON; ALTER TABLE "
                    "\"texts_new\" RENAME TO texts), and run again, or write a fresh "
                    "database (into a new file); nothing is changed [sqlite-error]"]
    assert _dump(db) == before
    _shell(db, "PRAGMA legacy_alter_table = ON; ALTER TABLE \"texts_new\" RENAME TO texts;")
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    assert_consistent(db)


def test_a_table_dropped_by_hand_is_named(tmp_path: Path) -> None:
    """A table of the tool's dropped, nothing of its name left, was SQLite's bare "no
    such table"."""
    content, db = tmp_path / "content", tmp_path / "m.db"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    _shell(db, "DROP TABLE exercises;")
    code, output = _cli("convert", str(content), "--to", "sqlite", "-o", str(db))
    assert code == 1
    assert [line for line in output.splitlines() if "[sqlite-error]" in line] == [
        f"{db}: error: lacks its table exercises, which muscle-convert writes (dropped by "
        "hand?); write a fresh database (into a new file); nothing is changed "
        "[sqlite-error]"]


def test_reading_a_table_rebuilt_the_other_way_round_is_named_with_what_to_do(
        tmp_path: Path) -> None:
    """Reading a database whose texts a rebuild left as texts_new was SQLite's bare "no
    such table: texts"; it says the table is gone, what is left, and how to rename it
    back, which then makes the read succeed."""
    content, db, out = tmp_path / "content", tmp_path / "m.db", tmp_path / "x.json"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    _shell(db, "PRAGMA legacy_alter_table = ON; ALTER TABLE texts RENAME TO texts_new;")
    code, output = _cli("convert", str(db), "--to", "json", "-o", str(out))
    assert code == 1
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if "[sqlite-error]" in line] == [
        f"{db}: error: lacks its table texts, which muscle-convert reads (a rebuild of it "
        "left the table 'texts_new'? SQLite refuses ALTER TABLE ... RENAME TO texts while "
        "the views that refer to texts are there); rename that table back (PRAGMA "
        "legacy_alter_table = ON; ALTER TABLE \"texts_new\" RENAME TO texts), and run "
        "again; no muscle is read from it [sqlite-error]"]
    assert not out.exists()
    _shell(db, "PRAGMA legacy_alter_table = ON; ALTER TABLE \"texts_new\" RENAME TO texts;")
    assert _cli("convert", str(db), "--to", "json", "-o", str(out))[0] == 0
    assert out.exists()


def test_reading_tables_dropped_by_hand_names_them(tmp_path: Path) -> None:
    """Reading a database whose tables of the tool's were dropped was SQLite's bare "no
    such table" of the first one queried."""
    content, db, out = tmp_path / "content", tmp_path / "m.db", tmp_path / "x.json"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    _shell(db, "DROP VIEW region_coords; DROP TABLE points; DROP TABLE exercises;")
    code, output = _cli("convert", str(db), "--to", "json", "-o", str(out))
    assert code == 1
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if "[sqlite-error]" in line] == [
        f"{db}: error: lacks its tables exercises, points, which muscle-convert reads "
        "(dropped by hand?); restore them from a copy of the database, or write a fresh "
        "database from the muscles' sources; no muscle is read from it [sqlite-error]"]
    assert not out.exists()


#: Each column of the tool's tables, as it makes them (not the generated x_value and
#: y_value of points, which nothing names).
COLUMNS = [
    *(("muscles", column) for column in ("slug", "id", "title", "latin", "image",
                                          "image_focus", "body", "extra", "source",
                                          "content_hash")),
    *(("texts", column) for column in ("id", "muscle", "field", "language", "text")),
    *(("functions", column) for column in ("id", "muscle", "position", "part", "language",
                                            "text")),
    *(("exercises", column) for column in ("muscle", "position", "name")),
    *(("regions", column) for column in ("muscle", "position")),
    *(("points", column) for column in ("muscle", "region", "position", "x", "y")),
]
#: Those a read of the database does not select (a write keeps them).
NOT_READ = {("muscles", "id"), ("muscles", "source"), ("muscles", "content_hash"),
            ("texts", "id"), ("functions", "id")}


def _made_again_without(db: Path, table: str, column: str) -> None:
    """Make ``table`` again without ``column``, as a user does (its rows copied, the
    views that refer to it dropped first)."""
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        kept = [name for (name,) in conn.execute("SELECT name FROM pragma_table_info(?)",
                                                 (table,)) if name != column]
        conn.execute("BEGIN")
        for (view,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'"
                                    ).fetchall():
            conn.execute(f"DROP VIEW {view}")
        conn.execute(f"CREATE TABLE rebuilt AS SELECT {', '.join(kept)} FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE rebuilt RENAME TO {table}")
        conn.execute("COMMIT")


def test_the_columns_listed_are_those_the_tool_makes(tmp_path: Path) -> None:
    """The columns the tests below take away are each of those a new database has."""
    db = tmp_path / "m.db"
    assert _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        made = [(table, name) for table in dict.fromkeys(table for table, _ in COLUMNS)
                for (name,) in conn.execute("SELECT name FROM pragma_table_info(?)",
                                            (table,))]
    assert made == COLUMNS


@pytest.mark.parametrize(("table", "column"), COLUMNS,
                         ids=[f"{table}.{column}" for table, column in COLUMNS])
def test_a_column_made_away_is_named_when_read_and_written(
        table: str, column: str, tmp_path: Path) -> None:
    """A table of the tool's made again without one of its columns was SQLite's bare "no
    such column: body" (reading it, or writing into it); it is one error naming the
    database, the table and the column, and what to do. A read that does not need the
    column reads every muscle."""
    content, db = tmp_path / "content", tmp_path / "m.db"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    _made_again_without(db, table, column)
    before = _dump(db)
    code, output = _cli("convert", str(content), "--to", "sqlite", "-o", str(db))
    assert code == 1
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if "[sqlite-error]" in line] == [
        f"{db}: error: its table {table} lacks the column {column}, which muscle-convert "
        "writes (dropped by hand with ALTER TABLE ... DROP COLUMN, or the table made again "
        "without it?); write a fresh database (into a new file); nothing is changed "
        "[sqlite-error]"]
    assert _dump(db) == before
    out = tmp_path / "x.json"
    code, output = _cli("convert", str(db), "--to", "json", "-o", str(out))
    if (table, column) in NOT_READ:
        assert (code, len(converter.read(out))) == (0, len(list(SAMPLES.glob("*.md"))))
        return
    assert code == 1
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if "[sqlite-error]" in line] == [
        f"{db}: error: its table {table} lacks the column {column}, which muscle-convert "
        "reads (dropped by hand with ALTER TABLE ... DROP COLUMN, or the table made again "
        "without it?); restore it from a copy of the database, or write a fresh database "
        "from the muscles' sources; no muscle is read from it [sqlite-error]"]
    assert not out.exists()


def test_columns_dropped_from_two_tables_are_named_together(tmp_path: Path) -> None:
    """``ALTER TABLE ... DROP COLUMN`` of two tables (the view that names them dropped
    first): each column is named with its table, in one error."""
    content, db, out = tmp_path / "content", tmp_path / "m.db", tmp_path / "x.json"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    _shell(db, "DROP VIEW muscle_summary; ALTER TABLE muscles DROP COLUMN image_focus; "
               "ALTER TABLE exercises DROP COLUMN name;")
    code, output = _cli("convert", str(db), "--to", "json", "-o", str(out))
    assert code == 1
    assert [line for line in output.splitlines() if "[sqlite-error]" in line] == [
        f"{db}: error: its tables lack the columns muscles.image_focus, exercises.name, "
        "which muscle-convert reads (dropped by hand with ALTER TABLE ... DROP COLUMN, or "
        "the tables made again without them?); restore them from a copy of the database, "
        "or write a fresh database from the muscles' sources; no muscle is read from it "
        "[sqlite-error]"]
    assert not out.exists()
