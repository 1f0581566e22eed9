"""The sqlite format: lossless round trips, upserts, search, views, atomicity, other tools."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

import converter
import formats.sqlite as sqlite_format
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import FrozenMap, Function, LocalizedText, Muscle, Region, freeze, thaw
from converter.registry import ReadContext, WriteContext, get_format
from converter.run import validate_sources
from tests.conftest import ROOT, SAMPLES, WAIT, demo_commands
from tests.killing import kill_while, signal_waiting, until_waiting
from tests.strategies import corpora, muscles

if TYPE_CHECKING:
    import duckdb

GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
TABLES = {"muscles", "texts", "functions", "exercises", "regions", "points", "search"}
VIEWS = {"muscle_texts", "function_texts", "region_coords", "muscle_summary"}
# What the search index must hold: one row per title, latin name, origin/insertion text
# and function text, keyed as the module documents. Checked after every write.
SEARCH_SOURCE = """
    SELECT id * 4 + 2, slug, 'title', NULL, title FROM muscles
    UNION ALL SELECT id * 4 + 3, slug, 'latin', NULL, latin FROM muscles
        WHERE latin IS NOT NULL
    UNION ALL SELECT id * 4, muscle, field, language, text FROM texts
    UNION ALL SELECT id * 4 + 1, muscle, 'function.' || part, language, text FROM functions
    ORDER BY 1"""


# ---------------------------------------------------------------------------- helpers


def assert_consistent(db: Path, *, after_kill: bool = False) -> None:
    """integrity_check, foreign_key_check, FTS integrity and search index == tables.

    After a killed run a journal may remain: SQLite rolls it back if it is hot, and a
    journal the killed writer had not yet made hot is left for the next writer."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO search (search) VALUES ('integrity-check')")
        indexed = conn.execute(
            "SELECT rowid, slug, field, language, text FROM search ORDER BY rowid").fetchall()
        assert indexed == conn.execute(SEARCH_SOURCE).fetchall()
        assert conn.execute("PRAGMA user_version").fetchone() == (sqlite_format.SCHEMA_VERSION,)
        names = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        assert names >= TABLES | VIEWS
    finally:
        conn.close()
    assert after_kill or not db.with_name(db.name + "-journal").exists()


def write(muscles: Iterable[Muscle], db: Path, **options: object) -> str:
    """Write through the public API, then check the database is consistent."""
    summary = converter.write(muscles, db, "sqlite", **options)
    assert summary is not None
    assert_consistent(db)
    return summary


def read_with_diagnostics(db: Path) -> tuple[list[Muscle], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    found = list(get_format("sqlite").read(db, ReadContext(report=problems.append)))
    return found, problems


def search(db: Path, query: str, language: str | None = None) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT DISTINCT slug FROM search WHERE search MATCH ? "
                            "AND (? IS NULL OR language = ?)", (query, language, language))
        return {slug for (slug,) in rows}


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


def counts(added: int, updated: int, unchanged: int, removed: int) -> str:
    return f"{added} added, {updated} updated, {unchanged} unchanged, {removed} removed"


def by_slug(muscles: Iterable[Muscle]) -> list[Muscle]:
    return sorted(muscles, key=lambda m: m.slug)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "muscles.db"


# ------------------------------------------------------------------------ round trips


def test_samples_round_trip(sample_muscles: list[Muscle], db: Path) -> None:
    summary = write(sample_muscles, db)
    assert summary == f"{db}: {counts(len(sample_muscles), 0, 0, 0)}"
    assert converter.read(db) == by_slug(sample_muscles)


def test_sqlite_to_json_equals_markdown_to_json(db: Path, tmp_path: Path) -> None:
    write(converter.read(SAMPLES), db)
    converter.write(converter.read(db), tmp_path / "from-db.json")
    converter.write(converter.read(SAMPLES), tmp_path / "from-md.json")
    assert (tmp_path / "from-db.json").read_bytes() == (tmp_path / "from-md.json").read_bytes()


@given(corpora())
def test_round_trip_any_model(corpus: list[Muscle]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.sqlite"
        write(corpus, db)
        assert converter.read(db) == corpus


@given(st.data())
def test_upsert_any_models(data: st.DataObject) -> None:
    first = data.draw(corpora())
    fates = data.draw(st.lists(st.sampled_from(["same", "change", "drop"]),
                               min_size=len(first), max_size=len(first)))
    second = [m for m, fate in zip(first, fates, strict=True) if fate == "same"]
    second += [data.draw(muscles(slug=st.just(m.slug)))
               for m, fate in zip(first, fates, strict=True) if fate == "change"]
    taken = {m.slug for m in first}
    second += [m for m in data.draw(corpora()) if m.slug not in taken]
    second = data.draw(st.permutations(second))
    prune = data.draw(st.booleans())
    batch = data.draw(st.sampled_from([1, 2, 3, sqlite_format.BATCH]))  # muscles a lookup
    old = {m.slug: m for m in first}
    dropped = [m for m, fate in zip(first, fates, strict=True) if fate == "drop"]
    added = sum(m.slug not in old for m in second)
    unchanged = sum(old.get(m.slug) == m for m in second)
    updated = len(second) - added - unchanged
    with tempfile.TemporaryDirectory() as tmp, _batches_of(batch):
        db = Path(tmp) / "m.db"
        write(first, db)
        summary = write(second, db, prune=prune)
        assert summary.startswith(
            f"{db}: {counts(added, updated, unchanged, len(dropped) if prune else 0)}")
        expected = second if prune else [*second, *dropped]
        assert converter.read(db) == by_slug(expected)


#: Every table's rows but the ids a database gives (in the order it gives them).
CONTENTS = {
    "muscles": "SELECT slug, title, latin, image, image_focus, body, extra, source, "
               "content_hash FROM muscles ORDER BY slug",
    "texts": "SELECT muscle, field, language, text FROM texts ORDER BY 1, 2, 3",
    "functions": "SELECT muscle, position, part, language, text FROM functions "
                 "ORDER BY 1, 2, 3, 4",
    "exercises": "SELECT * FROM exercises ORDER BY 1, 2",
    "regions": "SELECT * FROM regions ORDER BY 1, 2",
    "points": "SELECT *, x_value, y_value FROM points ORDER BY 1, 2, 3",
    "search": "SELECT slug, field, language, text FROM search ORDER BY 1, 2, 3, 4",
}


def contents(db: Path) -> dict[str, list[tuple]]:
    return {table: query(db, sql) for table, sql in CONTENTS.items()}


_FIELDS = ("title", "latin", "origin", "insertion", "functions", "exercises", "regions",
           "body")


@st.composite
def _edited(draw: st.DrawFn, muscle: Muscle) -> Muscle:
    """``muscle`` with some of its fields as another muscle of its slug has them: most
    of its rows keep their keys, some change values, some go, some come."""
    other = draw(muscles(slug=st.just(muscle.slug)))
    taken = draw(st.sets(st.sampled_from(_FIELDS), min_size=1))
    return replace(muscle, **{name: getattr(other, name) for name in taken})


@given(st.data())
def test_an_upsert_gives_the_tables_a_fresh_write_gives(data: st.DataObject) -> None:
    first = data.draw(corpora())
    second = [data.draw(st.sampled_from(["same", "edit", "other", "drop"]).flatmap(
        lambda fate, m=m: st.just(m) if fate == "same" else _edited(m) if fate == "edit"
        else muscles(slug=st.just(m.slug)) if fate == "other" else st.none()))
        for m in first]
    taken = {m.slug for m in first}
    second = [m for m in second if m is not None]
    second += [m for m in data.draw(corpora()) if m.slug not in taken]
    second = data.draw(st.permutations(second))
    batch = data.draw(st.sampled_from([1, 2, sqlite_format.BATCH]))
    with tempfile.TemporaryDirectory() as tmp, _batches_of(batch):
        upserted, fresh = Path(tmp) / "upserted.db", Path(tmp) / "fresh.db"
        write(first, upserted)
        write(second, upserted, prune=True)
        write(second, fresh)
        assert contents(upserted) == contents(fresh)


@contextlib.contextmanager
def _batches_of(size: int) -> Iterator[None]:
    """The writer loads and looks up ``size`` muscles at a time."""
    saved, sqlite_format.loading.BATCH = sqlite_format.loading.BATCH, size
    try:
        yield
    finally:
        sqlite_format.loading.BATCH = saved


@pytest.mark.parametrize("removed", ["coords", "extra"])
def test_an_update_in_place_after_numbers_are_removed_holds_a_fresh_runs_rows(
        removed: str, tmp_path: Path) -> None:
    """A file edited to hold no coordinates, or no number in its other keys: the run
    after it updates the database in place (the cache patches the last run), and every
    table then holds what a fresh run's does, no row of the numbers left behind."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    edited = source / "biceps-brachii.md"
    text = edited.read_text(encoding="utf-8")
    with_numbers = text.replace("title: Biceps Brachii\n", "title: Biceps Brachii\n"
                                "weight: 7\nsize: 1.50\nmenu:\n  n: -0\n")
    edited.write_text(with_numbers, encoding="utf-8")
    for path in [source, *source.iterdir()]:
        os.utime(path, (1e9, 1e9))  # (long unchanged: the last run's stamps hold)
    db, fresh, cache = tmp_path / "muscles.db", tmp_path / "fresh.db", tmp_path / "cache"
    sqlite = get_format("sqlite")
    assert converter.run.convert_sources([source], sqlite, db, cache_dir=cache).count
    assert query(db, "SELECT count(*) FROM points WHERE muscle = 'biceps-brachii'")[0][0]
    edited.write_text(re.sub(r"coords:\n(  - .*\n)+", "", with_numbers) if removed ==
                      "coords" else text, encoding="utf-8")
    result = converter.run.convert_sources([source], sqlite, db, cache_dir=cache)
    assert result.patched and result.summary.startswith(f"{db}: {counts(0, 1, 14, 0)}")
    converter.run.convert_sources([source], sqlite, fresh)
    assert_consistent(db)
    assert contents(db) == contents(fresh)


def test_an_upsert_looks_up_a_batch_at_a_time(sample_muscles: list[Muscle], db: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(sample_muscles, db)
    lookups: list[int] = []
    known = sqlite_format.loading._known
    monkeypatch.setattr(sqlite_format.loading, "_known",
                        lambda conn, slugs: lookups.append(len(slugs)) or known(conn, slugs))
    changed = [replace(m, title=f"{m.title}!") for m in sample_muscles[:5]]
    with _batches_of(4):
        assert write([*changed, *sample_muscles[5:]], db, prune=True) == (
            f"{db}: {counts(0, 5, len(sample_muscles) - 5, 0)}")
    assert lookups == [4] * (len(sample_muscles) // 4) + [len(sample_muscles) % 4] * bool(
        len(sample_muscles) % 4)  # no index of the whole database in memory
    assert converter.read(db) == by_slug([*changed, *sample_muscles[5:]])


def test_numbers_are_kept_exactly(db: Path) -> None:
    points = ((12, Decimal("12.50")), (0, Decimal("0.0")), (Decimal("3.125"), 7),
              (Decimal("1000.000"), 999))
    muscle = Muscle(slug="numbers", title="Numbers", regions=(Region(points),))
    write([muscle], db)
    [back] = converter.read(db)
    assert back == muscle
    assert [(type(x), str(x), type(y), str(y)) for x, y in back.regions[0].points] == [
        (type(x), str(x), type(y), str(y)) for x, y in points]
    assert query(db, "SELECT x, y, typeof(x), x_value, y_value FROM points "
                     "ORDER BY position") == [
        ("12", "12.50", "text", 12.0, 12.5), ("0", "0.0", "text", 0.0, 0.0),
        ("3.125", "7", "text", 3.125, 7.0), ("1000.000", "999", "text", 1000.0, 999.0)]


def test_extra_keeps_ints_floats_and_order(db: Path) -> None:
    extra = {"zeta": 1, "alpha": 1.0, "big": 1e300, "tiny": 5e-324, "neg": -0.5,
             "nested": {"b": [1, 2.5, True, None, "x"], "a": {}}, "flag": False, "empty": []}
    muscle = Muscle(slug="extra", title="Extra", extra=freeze(extra))
    write([muscle], db)
    [back] = converter.read(db)
    assert back == muscle
    assert json.dumps(thaw(back.extra)) == json.dumps(extra)  # 1 vs 1.0, True vs 1, order


def test_hostile_text_round_trips_and_schema_survives(db: Path) -> None:
    evil = ["'; DROP TABLE muscles; --", 'Robert"); DROP TABLE texts;--', "\\' OR 1=1 --",
            "💪🏽 emoji ‍👩‍⚕️", "\u202eright-to-left\u202c \u200b zero width",
            "æøå ÆØÅ ß \U0001d518\U0001d52b\U0001d526 \u0391\u0392", "%_ LIKE wildcards",
            "line\nbreak\ttab",
            "search MATCH 'x' NEAR(a b)", '") OR ("1"="1']
    text = " ".join(evil)
    muscle = Muscle(
        slug="hostile", title=text, latin=evil[1], origin=LocalizedText({"da": evil[0],
                                                                        "en": text}),
        insertion=LocalizedText({"pt-BR": evil[4]}),
        functions=(Function(LocalizedText({"da": evil[2]}), LocalizedText({"en": evil[3]})),),
        exercises=tuple(evil), image=evil[6], image_focus=evil[9],
        regions=(Region(((1, 2), (30, 4), (5, 60))),), body="\n".join(evil),
        extra=freeze({"sql": evil[0], "list": evil}))
    plain = Muscle(slug="plain", title="Plain")
    write([muscle, plain], db)
    assert converter.read(db) == [muscle, plain]
    assert query(db, "SELECT count(*) FROM muscles") == [(2,)]
    assert search(db, '"DROP TABLE muscles"') == {"hostile"}
    write([muscle], db, prune=True)
    assert converter.read(db) == [muscle]


def test_awkward_file_names(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    db = tmp_path / "my muscles #1?%20 æ.sqlite"
    write(sample_muscles, db)
    assert converter.read(db) == by_slug(sample_muscles)


def test_fresh_database_is_deterministic(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "a.db")
    write(sample_muscles, tmp_path / "b.db")
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()


# ------------------------------------------------------------------------- upserting


def test_upsert_counts_and_prune(sample_muscles: list[Muscle], db: Path) -> None:
    """The summary write() returns names the option as write() takes it, prune=True (it
    said --prune, a flag of the command line, whose own summary says so:
    test_cli_prune)."""
    first, gone = sample_muscles[:12], sample_muscles[12:]
    write(first, db)
    changed = replace(first[0], title="Changed title")
    second = [changed, *first[1:], *gone]
    assert write(second, db) == f"{db}: {counts(3, 1, 11, 0)}"
    assert write(second[2:], db) == (f"{db}: {counts(0, 0, 13, 0)} (2 not in the input kept; "
                                     "prune=True removes them)")
    assert converter.read(db) == by_slug(second)
    assert write(second[2:], db, prune=True) == f"{db}: {counts(0, 0, 13, 2)}"
    assert converter.read(db) == by_slug(second[2:])


def test_unchanged_run_does_not_touch_the_file(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    write([replace(sample_muscles[0], body="new body")], db)
    before = db.read_bytes()
    assert write(reversed(sample_muscles[1:]), db) == (
        f"{db}: {counts(0, 0, 14, 0)} (1 not in the input kept; prune=True removes it)")
    assert db.read_bytes() == before


def _rows_of(db: Path, slug: str) -> list[list[tuple]]:
    """Every row of one muscle, row ids included."""
    return [query(db, "SELECT rowid, * FROM muscles WHERE slug = ?", slug),
            query(db, "SELECT * FROM texts WHERE muscle = ? ORDER BY id", slug),
            query(db, "SELECT * FROM functions WHERE muscle = ? ORDER BY id", slug),
            query(db, "SELECT * FROM exercises WHERE muscle = ? ORDER BY position", slug),
            query(db, "SELECT * FROM points WHERE muscle = ? ORDER BY region, position", slug),
            query(db, "SELECT rowid, * FROM search WHERE slug = ? ORDER BY rowid", slug)]


def test_an_update_changes_rows_in_place_and_leaves_the_rest(
        sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    before = {m.slug: _rows_of(db, m.slug) for m in sample_muscles}
    [biceps] = [m for m in sample_muscles if m.slug == "biceps-brachii"]
    changed = replace(biceps, origin=LocalizedText({**biceps.origin, "en": "Changed origin"}))
    others = [m for m in sample_muscles if m is not biceps]
    assert write([changed, *others], db) == f"{db}: {counts(0, 1, len(others), 0)}"
    for m in others:
        assert _rows_of(db, m.slug) == before[m.slug], m.slug
    after = _rows_of(db, "biceps-brachii")
    assert after[2:5] == before["biceps-brachii"][2:5]  # (its functions, exercises, points)
    edited = [row for row in before["biceps-brachii"][1] if row[2:4] == ("origin", "en")]
    assert [row[:4] for row in edited] == [row[:4] for row in after[1]
                                           if row[4] == "Changed origin"]  # (same id)
    assert {row for row in after[1] if row[4] != "Changed origin"} == {
        row for row in before["biceps-brachii"][1] if row not in edited}
    assert search(db, '"changed origin"', "en") == {"biceps-brachii"}
    assert converter.read(db) == by_slug([changed, *others])


def test_many_changes_rebuild_the_search_index(sample_muscles: list[Muscle], db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_format.loading, "BATCH", 2)  # so 3 replaced muscles are "many"
    write(sample_muscles, db)
    renamed = [replace(m, title=f"Omdøbt {m.slug}", origin=LocalizedText({"da": "hofte"}))
               for m in sample_muscles[:10]]
    assert write([*renamed, *sample_muscles[10:12]], db, prune=True) == (
        f"{db}: {counts(0, 10, 2, 3)}")
    assert search(db, "omdøbt") == {m.slug for m in renamed}
    assert search(db, "hofte", "da") == {m.slug for m in renamed}
    assert converter.read(db) == by_slug([*renamed, *sample_muscles[10:12]])
    triggers = query(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
    assert triggers == [(9,)]


def test_writing_into_an_empty_sqlite_file(sample_muscles: list[Muscle], db: Path) -> None:
    db.touch()
    write(sample_muscles, db)
    assert converter.read(db) == by_slug(sample_muscles)
    # A database with no tables that is not zero bytes is filled in place.
    other = db.with_name("other.db")
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE scratch (x)")
        conn.execute("DROP TABLE scratch")
    assert other.stat().st_size > 0
    write(sample_muscles, other)
    assert converter.read(other) == by_slug(sample_muscles)


@pytest.mark.parametrize("log", ["-wal", "-journal"])
def test_a_new_database_does_not_take_the_logs_of_a_deleted_one(
        log: str, sample_muscles: list[Muscle], db: Path) -> None:
    """Logs left by a database deleted while open (or by a killed writer) belong to no
    database: SQLite would apply them to the new one renamed in, and corrupt it."""
    other = db.with_name("other.db")
    write([replace(m, title=f"Stale {m.title}", slug=f"{m.slug}-{i}")
           for i in range(20) for m in sample_muscles], other)
    conn = sqlite3.connect(other, isolation_level=None)
    try:
        if log == "-wal":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA wal_autocheckpoint = 0")
        else:
            conn.execute("PRAGMA journal_mode = PERSIST")
            conn.execute("PRAGMA cache_size = 1")  # (spills: the journal is hot meanwhile)
            conn.execute("BEGIN")
        conn.execute("UPDATE muscles SET body = 'edited ' || body")
        logs = {suffix: other.with_name(other.name + suffix).read_bytes()
                for suffix in ("-wal", "-shm", "-journal")
                if other.with_name(other.name + suffix).exists()}
    finally:
        conn.close()
    assert log in logs
    for suffix, data in logs.items():  # as they were while the writer had them
        db.with_name(db.name + suffix).write_bytes(data)
    write(sample_muscles, db)
    assert converter.read(db) == by_slug(sample_muscles)
    assert not [p.name for p in db.parent.iterdir() if p.name.startswith(db.name + "-")]


def test_a_muscle_deleted_with_foreign_keys_off_is_written_again(
        sample_muscles: list[Muscle], db: Path) -> None:
    """The sqlite3 shell has foreign keys off: deleting a muscle there leaves its rows
    in the other tables, which the muscle written again must not collide with."""
    write(sample_muscles, db)
    for deleted in ("slug IN ('soleus', 'trapezius')", "1"):  # (then all of them)
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:
            conn.execute(f"DELETE FROM muscles WHERE {deleted}")
        write(sample_muscles, db)
        assert converter.read(db) == by_slug(sample_muscles)


#: Edits made by hand with the sqlite3 shell that keep each muscle's content_hash.
HAND_EDITS = {
    "blob": "UPDATE texts SET text = CAST(text AS BLOB) WHERE muscle = 'soleus'",
    "title": "UPDATE muscles SET title = 'Edited' WHERE slug = 'soleus'",
    "number": "UPDATE exercises SET name = 5 WHERE muscle = 'soleus' AND position = 0",
    "deleted": "DELETE FROM points WHERE muscle = 'soleus' AND position = 1",
    "added": "INSERT INTO exercises VALUES ('soleus', 9, 'Added')",
    "extra": "UPDATE muscles SET extra = '{\"a\": 1}' WHERE slug = 'soleus'",
    "not utf-8": "UPDATE texts SET text = CAST(x'ff41' AS TEXT) WHERE muscle = 'soleus'",
}


@pytest.mark.parametrize("edit", HAND_EDITS)
def test_a_row_edited_by_hand_is_written_again(edit: str, tmp_path: Path) -> None:
    """An edit made by hand that keeps the muscle's content_hash (a BLOB put in for a
    text, a row added or deleted) was \"unchanged\" to the next write, which compares
    hashes only, so it stayed: the database then differed from a fresh write of the same
    sources. The rows of such a muscle are compared with what its record makes, and a
    muscle whose rows differ is written again (\"updated\")."""
    db, fresh, cache = tmp_path / "muscles.db", tmp_path / "fresh.db", tmp_path / "cache"
    sqlite = get_format("sqlite")
    converter.run.convert_sources([SAMPLES], sqlite, db, cache_dir=cache)
    before = query(db, "SELECT content_hash FROM muscles ORDER BY slug")
    _shell(db, HAND_EDITS[edit])
    assert query(db, "SELECT content_hash FROM muscles ORDER BY slug") == before
    result = converter.run.convert_sources([SAMPLES], sqlite, db, cache_dir=cache)
    assert result.summary.startswith(f"{db}: {counts(0, 1, 14, 0)}")
    converter.run.convert_sources([SAMPLES], sqlite, fresh)
    assert_consistent(db)
    assert contents(db) == contents(fresh)


#: Rows replaced by hand with INSERT OR REPLACE, which deletes the row it replaces
#: without its delete trigger (PRAGMA recursive_triggers is off): (the edit, whether it
#: changes what the muscle's record makes, so that soleus is written again).
REPLACED_BY_HAND = {
    "a text as it was": ("INSERT OR REPLACE INTO texts (muscle, field, language, text) "
                         "SELECT muscle, field, language, text FROM texts "
                         "WHERE muscle = 'soleus' AND field = 'origin' AND language = 'en'",
                         False),
    "a text edited": ("INSERT OR REPLACE INTO texts (muscle, field, language, text) "
                      "VALUES ('soleus', 'origin', 'en', 'Edited by hand')", True),
    "a function text": ("INSERT OR REPLACE INTO functions (muscle, position, part, "
                        "language, text) SELECT muscle, position, part, language, text "
                        "FROM functions WHERE muscle = 'soleus' AND position = 0 AND "
                        "part = 'short' AND language = 'en'", False),
    "a muscle with a new id": ("INSERT OR REPLACE INTO muscles SELECT slug, 999, title, "
                               "latin, image, image_focus, body, extra, source, "
                               "content_hash FROM muscles WHERE slug = 'soleus'", False),
}


@pytest.mark.parametrize("edit", REPLACED_BY_HAND)
def test_a_row_replaced_by_hand_leaves_no_row_in_the_search_index(edit: str,
                                                                  tmp_path: Path) -> None:
    """INSERT OR REPLACE deletes the row it replaces without its delete trigger, so the
    search index kept that row's entry beside the new one's (a search found the muscle
    twice, or found a text it no longer has), and the next write left it there: it
    compared the tables' rows with the records, not the index's. A write in full now
    counts the index's rows and makes it again from the tables when they differ."""
    db, fresh = tmp_path / "muscles.db", tmp_path / "fresh.db"
    sqlite = get_format("sqlite")
    converter.run.convert_sources([SAMPLES], sqlite, db)
    statement, written = REPLACED_BY_HAND[edit]
    _shell(db, statement)
    with pytest.raises(AssertionError):
        assert_consistent(db)
    result = converter.run.convert_sources([SAMPLES], sqlite, db)
    assert result.summary.startswith(f"{db}: {counts(0, int(written), 15 - written, 0)}")
    converter.run.convert_sources([SAMPLES], sqlite, fresh)
    assert_consistent(db)
    assert contents(db) == contents(fresh)


@pytest.mark.parametrize("prune", [True, False], ids=["prune", "no-prune"])
def test_a_prune_removes_the_rows_a_muscle_deleted_with_foreign_keys_off_left(
        prune: bool, sample_muscles: list[Muscle], db: Path) -> None:
    """A muscle deleted where foreign keys are off (the sqlite3 shell's default, another
    program) left its rows in the other tables, and a point of a region deleted so
    stayed too: a prune removed only the rows of the muscles it removed, so they stayed
    for good, every read an unknown-slug error. A prune removes them now; a run without
    it leaves them (as it leaves the muscles it would prune). The summary said "0
    removed" of a prune that deleted only such rows: it counts them. The muscle whose
    region was deleted is written again (its rows are not what its record makes), the
    points of that region then its own again."""
    write(sample_muscles, db)
    deleted, edited = sample_muscles[0].slug, sample_muscles[1].slug
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)
        conn.execute("DELETE FROM muscles WHERE slug = ?", (deleted,))
        conn.execute("DELETE FROM regions WHERE muscle = ? AND position = 0", (edited,))
    tables = ("texts", "functions", "exercises", "regions", "points")
    left = {table: query(db, f"SELECT count(*) FROM {table} WHERE muscle = ?", deleted)[0][0]
            for table in tables}
    assert all(left.values()), left
    (points,) = query(db, "SELECT count(*) FROM points WHERE muscle = ? AND region = 0",
                      edited)[0]
    kept = [m for m in sample_muscles if m.slug != deleted]
    assert points
    summary = converter.write(kept, db, "sqlite", prune=prune)
    assert summary == f"{db}: " + counts(0, 1, len(kept) - 1, 0) + (
        f" ({sum(left.values())} rows that named no muscle or region the "
        "database holds deleted)" if prune else "")
    found, problems = read_with_diagnostics(db)
    assert found == by_slug(kept)
    if prune:
        assert problems == []
        assert_consistent(db)
        assert [table for table in tables if query(
            db, f"SELECT 1 FROM {table} WHERE muscle = ?", deleted)] == []
    else:
        assert {p.code for p in problems} == {"unknown-slug"}
        assert {table: query(db, f"SELECT count(*) FROM {table} WHERE muscle = ?", deleted
                             )[0][0] for table in tables} == left


def test_tables_a_user_added_are_not_checked_as_its_own(sample_muscles: list[Muscle],
                                                         db: Path) -> None:
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE bookmarks (muscle_id INTEGER REFERENCES muscles (id))")
        conn.execute("INSERT INTO bookmarks VALUES (99)")
        conn.execute("CREATE TABLE notes (muscle TEXT REFERENCES muscles (title))")
    assert read_with_diagnostics(db) == (by_slug(sample_muscles), [])


@pytest.mark.parametrize("on_delete", ["ON DELETE CASCADE", ""])
def test_a_changed_muscle_keeps_what_a_user_attached_to_it(
        on_delete: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A changed muscle was deleted and inserted again: a column a user added went back
    to its default, rows of a user's table that cascade were deleted, and a plain
    reference failed the run ("FOREIGN KEY constraint failed")."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("ALTER TABLE muscles ADD COLUMN favorite INTEGER DEFAULT 0")
        conn.execute("UPDATE muscles SET favorite = 1 WHERE slug = 'trapezius'")
        conn.execute(f"CREATE TABLE bookmarks (muscle_id INTEGER REFERENCES muscles (id) "
                     f"{on_delete}, label TEXT)")
        conn.execute("INSERT INTO bookmarks SELECT id, 'mine' FROM muscles "
                     "WHERE slug = 'trapezius'")
    changed = [replace(m, title="Trapezius (edited)", exercises=("Shrugs",))
               if m.slug == "trapezius" else m for m in sample_muscles]
    assert write(changed, db) == f"{db}: " + counts(0, 1, len(sample_muscles) - 1, 0)
    assert converter.read(db) == by_slug(changed)
    assert query(db, "SELECT m.favorite, b.label FROM muscles AS m JOIN bookmarks AS b "
                     "ON b.muscle_id = m.id WHERE m.slug = 'trapezius'") == [(1, "mine")]
    assert search(db, "edited") == {"trapezius"}


def test_a_removed_muscles_id_is_never_given_to_another(sample_muscles: list[Muscle],
                                                         db: Path) -> None:
    """The muscle with the highest id pruned, the next new muscle got its id: an app
    that stored it pointed at another muscle."""
    write(sample_muscles, db)
    last = by_slug(sample_muscles)[-1]
    assert query(db, "SELECT id FROM muscles WHERE slug = ?", last.slug) == [
        (len(sample_muscles),)]
    rest = [m for m in sample_muscles if m.slug != last.slug]
    write(rest, db, prune=True)
    write([*rest, Muscle(slug="new-muscle", title="New")], db)
    assert query(db, "SELECT id FROM muscles WHERE slug = 'new-muscle'") == [
        (len(sample_muscles) + 1,)]
    assert query(db, "SELECT id FROM muscles WHERE id = ?", len(sample_muscles)) == []
    # An older database, without the record, starts it with its first new id.
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TABLE id_sequence")
    write([*rest, Muscle(slug="new-muscle", title="New"), Muscle(slug="z", title="Z")], db)
    assert query(db, "SELECT last_id FROM id_sequence") == [(len(sample_muscles) + 2,)]


@pytest.mark.parametrize(("edit", "field", "value"), [
    ("UPDATE id_sequence SET last_id = 9223372036854775807", "id_sequence.last_id",
     2**63 - 1),
    ("UPDATE id_sequence SET last_id = 2305843009213693951", "id_sequence.last_id",
     2**61 - 1),
    ("UPDATE muscles SET id = 2305843009213693951", "muscles[a].id", 2**61 - 1)])
def test_an_id_edited_up_to_the_limit_is_one_error_that_names_it(
        edit: str, field: str, value: int, db: Path) -> None:
    """The next new muscle's id overflowed: a writer-failed OverflowError past SQLite's
    integers, a bare "datatype mismatch" past what the search index's id * 4 + 3 holds.
    A run that gives no new id is written as before."""
    write([Muscle(slug="a", title="A")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(edit)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as exc:
        converter.write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], db,
                        "sqlite")
    assert [(d.path, d.field, d.code) for d in exc.value.diagnostics] == [
        (str(db), field, "bad-value")]
    assert exc.value.diagnostics[0].message.startswith(
        f"{value} leaves no id for a new muscle (the highest is {2**61 - 1}: ")
    assert db.read_bytes() == before
    assert write([Muscle(slug="a", title="A again")], db) == f"{db}: " + counts(0, 1, 0, 0)


def _texted(slug: str, *languages: str) -> Muscle:
    """A muscle with an origin and a function in each of ``languages``."""
    texts = LocalizedText({lang: f"{slug} {lang}" for lang in languages})
    return Muscle(slug=slug, title=slug.upper(), origin=texts, functions=(Function(texts),))


def _shell(db: Path, sql: str) -> None:
    """Run ``sql`` in the sqlite3 shell, as a user edits the database (foreign keys off)."""
    subprocess.run([shutil.which("sqlite3") or "sqlite3", str(db)], check=True, text=True,
                   input=sql, timeout=WAIT)


@pytest.mark.parametrize("batch", [sqlite_format.BATCH, 1], ids=["trigger", "rebuilt"])
@pytest.mark.parametrize("table", ["texts", "functions"])
def test_a_row_id_edited_up_to_the_limit_is_one_error_that_names_it(
        table: str, batch: int, db: Path) -> None:
    """A new row of texts or functions after one whose id was set to the highest the
    search index keys was "SQLite failed: datatype mismatch" (its id * 4 a REAL), from
    the index's trigger, or from the index made again after many changes. A run that
    adds no row is written as before."""
    first = [_texted(slug, "en") for slug in "abc"]
    write(first, db)
    _shell(db, f"UPDATE {table} SET id = {2**61 - 1} WHERE muscle = 'a';")
    before = db.read_bytes()
    retitled = [replace(m, title="Again") for m in first[:2]]
    with _batches_of(batch), pytest.raises(MuscleError) as exc:  # (two changed first: a
        # batch of one has the index dropped before the new rows of c)
        converter.write([*retitled, _texted("c", "en", "da")], db, "sqlite")
    assert [(d.path, d.field, d.code) for d in exc.value.diagnostics] == [
        (str(db), f"{table}[rowid {2**61 - 1}].id", "bad-value")]
    assert exc.value.diagnostics[0].message.startswith(
        f"{2**61 - 1} leaves no id for a new row of {table} (the highest is {2**61 - 1}): "
        f"the search index keys a row of {table} by id * 4")
    assert "give this row (of muscle 'a') a lower id" in exc.value.diagnostics[0].message
    assert db.read_bytes() == before
    with _batches_of(batch):
        assert write([*retitled, first[2]], db) == f"{db}: " + counts(0, 2, 1, 0)


@pytest.mark.parametrize(("table", "value", "field"), [
    ("muscles", 2**61, "muscles[a].id"),
    ("texts", 2**61, f"texts[rowid {2**61}].id"),
    ("functions", -(2**61) - 1, f"functions[rowid {-(2**61) - 1}].id")])
def test_an_id_past_what_the_search_index_keys_is_one_error_that_names_it(
        table: str, value: int, field: str, db: Path) -> None:
    """An id set past what the search index keys (its trigger dropped: the trigger
    refuses it) was written over without a word, the index without the row."""
    write([_texted("a", "en"), _texted("b", "en")], db)
    owner = "slug" if table == "muscles" else "muscle"
    _shell(db, f"DROP TRIGGER {table}_search_update; "
               f"UPDATE {table} SET id = {value} WHERE {owner} = 'a';")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as exc:
        converter.write([_texted("a", "en"), _texted("b", "en", "da")], db, "sqlite")
    assert [(d.path, d.field, d.code) for d in exc.value.diagnostics] == [
        (str(db), field, "bad-value")]
    assert exc.value.diagnostics[0].message.startswith(
        f"{value} is past the ids the search index holds ({-(2**61)} to {2**61 - 1}): ")
    assert db.read_bytes() == before


#: A table made again by hand, its id no longer the row id (so it holds any value).
_ID_ANY = ("PRAGMA legacy_alter_table = ON; CREATE TABLE copied (id, muscle, {columns}, "
           "text, UNIQUE (muscle, {columns})); INSERT INTO copied SELECT * FROM {table}; "
           "DROP TABLE {table}; ALTER TABLE copied RENAME TO {table}; ")


@pytest.mark.parametrize(("edit", "field", "shown"), [
    # (the index made again then failed: 1.5 * 4 + 2 is the key of the text of id 2)
    ("DROP TRIGGER muscles_search_update; UPDATE muscles SET id = 1.5 WHERE slug = 'a';",
     "muscles[a].id", "the number 1.5 is not an integer"),
    # (was written without a word: ids given after the highest integer)
    ("INSERT INTO muscles (slug, id, title, content_hash) VALUES ('mine', 'abc', 'Mine', "
     "'x');", "muscles[mine].id", "'abc' is text, not an integer"),
    # (was written without a word, the text's search key 0)
    (_ID_ANY.format(table="texts", columns="field, language")
     + "UPDATE texts SET id = 'abc' WHERE muscle = 'b';",
     "texts[muscle 'b', field 'origin', language 'en'].id", "'abc' is text, not an integer"),
    (_ID_ANY.format(table="functions", columns="position, part, language")
     + "UPDATE functions SET id = NULL WHERE muscle = 'a';",
     "functions[muscle 'a', position 0, part 'short', language 'en'].id",
     "NULL is not an integer")], ids=["real", "text", "text of texts", "null of functions"])
def test_an_id_that_is_no_integer_is_one_error_that_names_it(
        edit: str, field: str, shown: str, db: Path) -> None:
    write([_texted("a", "en"), _texted("b", "en")], db)
    _shell(db, edit)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as exc:
        converter.write([_texted("a", "en", "da"), _texted("b", "en"), _texted("c", "en")],
                        db, "sqlite")
    assert [(d.path, d.field, d.code) for d in exc.value.diagnostics] == [
        (str(db), field, "bad-value")]
    assert exc.value.diagnostics[0].message.startswith(
        f"{shown}: the search index keys a row of {field.split('[')[0]} by id * 4")
    assert db.read_bytes() == before


def test_the_highest_id_the_search_index_holds_is_given(db: Path) -> None:
    write([Muscle(slug="a", title="A")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE id_sequence SET last_id = ?", (2**61 - 2,))
    write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], db)
    assert query(db, "SELECT id FROM muscles WHERE slug = 'b'") == [(2**61 - 1,)]


def test_a_slug_given_again_in_a_later_batch_is_a_duplicate(db: Path) -> None:
    problems: list[Diagnostic] = []
    muscles = [Muscle(slug=f"m-{i:04}", title=f"M {i}") for i in range(sqlite_format.BATCH + 3)]
    again = [replace(muscles[1], title="Later"), replace(muscles[-1], title="Later")]
    summary = get_format("sqlite").write([*muscles, *again], db,
                                         WriteContext(report=problems.append))
    assert summary == f"{db}: {counts(len(muscles), 0, 0, 0)}"
    assert [(p.code, p.message) for p in problems] == [
        ("duplicate-slug", f"slug {m.slug!r} is given twice; the first is kept")
        for m in again]
    assert converter.read(db) == by_slug(muscles)


def test_duplicate_slugs_keep_the_first(sample_muscles: list[Muscle], db: Path) -> None:
    problems: list[Diagnostic] = []
    first = sample_muscles[0]
    fmt = get_format("sqlite")
    summary = fmt.write([first, replace(first, title="Second"), *sample_muscles[1:]], db,
                        WriteContext(report=problems.append))
    assert summary == f"{db}: {counts(len(sample_muscles), 0, 0, 0)}"
    assert [p.code for p in problems] == ["duplicate-slug"]
    assert_consistent(db)
    assert converter.read(db)[0] == by_slug(sample_muscles)[0]


def _columns(rows: Iterable[tuple]) -> list[str]:
    return [row[2] for row in sorted(rows)]


def test_schema_has_keys_cascading_foreign_keys_and_indexes(sample_muscles: list[Muscle],
                                                            db: Path) -> None:
    write(sample_muscles, db)
    keys = {"muscles": ["slug"], "texts": ["id"], "functions": ["id"],
            "exercises": ["muscle", "position"], "regions": ["muscle", "position"],
            "points": ["muscle", "region", "position"]}
    references = {"texts": ("muscles", ["muscle"], ["slug"]),
                  "functions": ("muscles", ["muscle"], ["slug"]),
                  "exercises": ("muscles", ["muscle"], ["slug"]),
                  "regions": ("muscles", ["muscle"], ["slug"]),
                  "points": ("regions", ["muscle", "region"], ["muscle", "position"])}
    for table, key in keys.items():
        info = query(db, "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
                     table)
        assert [name for name, _ in info] == key, table
        indexes = [_columns(query(db, "SELECT seqno, cid, name FROM pragma_index_info(?)",
                                  name))
                   for (name,) in query(db, "SELECT name FROM pragma_index_list(?)", table)]
        fks = query(db, 'SELECT "table", "from", "to", on_delete FROM '
                        "pragma_foreign_key_list(?) ORDER BY id, seq", table)
        if table == "muscles":
            assert fks == []
            continue
        parent, child_columns, parent_columns = references[table]
        assert fks == [(parent, c, p, "CASCADE")
                       for c, p in zip(child_columns, parent_columns, strict=True)], table
        # The foreign key is indexed: deletes in the parent never scan the child table.
        assert any(index[:len(child_columns)] == child_columns for index in indexes), table
    assert ["muscle", "field", "language"] in [
        _columns(query(db, "SELECT seqno, cid, name FROM pragma_index_info(?)", name))
        for (name,) in query(db, "SELECT name FROM pragma_index_list('texts') WHERE "
                                 '"unique"')]


MARK = "zqxj"  # in every piece of content; must never appear in SQL text


def _marked(slug: str, n: int) -> Muscle:
    text = f"{MARK} {n} ' \" ); DROP TABLE muscles; --"
    return Muscle(
        slug=f"{MARK}-{slug}", title=f"{text} title", latin=f"{text} latin",
        origin=LocalizedText({"da": f"{text} da", "en": f"{text} en"}),
        insertion=LocalizedText({"da": f"{text} ins"}),
        functions=(Function(LocalizedText({"da": f"{text} f"}),
                            LocalizedText({"en": f"{text} x"})),),
        exercises=(f"{text} ex",), image=f"img/{MARK}{n}.png", image_focus=f"{MARK}{n}.png",
        regions=(Region(((4242, Decimal("4243.125")), (4244, 4245), (4246, 4247))),),
        body=f"{text} body", extra=freeze({f"{MARK}key": f"{text} extra"}))


def test_sql_text_is_constant_and_content_goes_through_parameters(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    statements: list[object] = []

    class Recording(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            statements.append(sql)
            return super().execute(sql, *args)

        def executemany(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            statements.append(sql)
            return super().executemany(sql, *args)

        def executescript(self, sql: str) -> sqlite3.Cursor:  # type: ignore[override]
            statements.append(sql)
            return super().executescript(sql)

        def cursor(self, *args: object, **kwargs: object) -> sqlite3.Cursor:
            raise AssertionError("the format runs its statements on the connection")

    real_connect = sqlite3.connect

    def connect(*args: object, factory: type[sqlite3.Connection] = sqlite3.Connection,
                **kwargs: object) -> sqlite3.Connection:
        recording = type("Recording", (Recording, factory), {})  # (over the format's own)
        return real_connect(*args, factory=recording, **kwargs)  # type: ignore[misc]

    monkeypatch.setattr(sqlite_format.loading, "BATCH", 1)  # so the search index is rebuilt too
    first = [_marked(name, 1) for name in ("a", "b", "c")]
    second = [_marked(name, 2) for name in ("a", "b")] + [_marked("d", 2)]
    monkeypatch.setattr(sqlite3, "connect", connect)
    converter.write(first, db, "sqlite")
    summary = converter.write(second, db, "sqlite", prune=True)
    back = converter.read(db)
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert summary == f"{db}: {counts(1, 2, 0, 1)}"
    assert back == second
    assert_consistent(db)
    assert statements and all(isinstance(sql, str) for sql in statements)
    leaked = [sql for sql in statements if MARK in str(sql) or "424" in str(sql)]
    assert leaked == []
    assert "PRAGMA foreign_keys = ON" in statements


# ---------------------------------------------------------------------- search, views


def test_full_text_search_in_danish_and_english(sample_muscles: list[Muscle],
                                                db: Path) -> None:
    write(sample_muscles, db)
    assert search(db, "hofte*") == {"latissimus-dorsi", "rectus-femoris"}
    assert search(db, "albuen") == {"biceps-brachii"}
    assert search(db, "håndfladen", "da") == {"biceps-brachii"}
    assert search(db, "håndfladen", "en") == set()
    assert search(db, "hip") == {"biceps-femoris", "gluteus-maximus", "gluteus-medius",
                                 "rectus-femoris"}
    assert search(db, "gluteus") == {"gluteus-maximus", "gluteus-medius"}
    assert search(db, "hip", "da") == set()


def test_search_follows_updates_and_prune(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    assert search(db, "albuen") == {"biceps-brachii"}
    biceps = next(m for m in sample_muscles if m.slug == "biceps-brachii")
    moved = replace(biceps, functions=(Function(LocalizedText({"da": "Bøjer hoften"})),),
                    origin=LocalizedText({"da": "Udspringer ved hofte og bækken"}))
    others = [m for m in sample_muscles if m.slug not in {"biceps-brachii", "gluteus-medius"}]
    write([moved, *others], db, prune=True)
    assert search(db, "albuen") == set()
    assert search(db, "hofte") == {"biceps-brachii"}
    assert search(db, "bækken", "da") == {"biceps-brachii"}
    assert search(db, "gluteus") == {"gluteus-maximus"}


def test_search_follows_edits_made_with_sql(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("UPDATE texts SET text = ? WHERE muscle = ? AND field = ? AND "
                     "language = ?", ("Fra lændehvirvlerne", "soleus", "origin", "da"))
        conn.execute("UPDATE muscles SET slug = ?, title = ? WHERE slug = ?",
                     ("soleus-renamed", "Renamed soleus", "soleus"))
        conn.execute("DELETE FROM muscles WHERE slug = ?", ("trapezius",))
        conn.execute("DELETE FROM functions WHERE muscle = ?", ("deltoideus",))
        conn.commit()
    assert_consistent(db)
    assert search(db, "lændehvirvlerne") == {"soleus-renamed"}
    assert search(db, "renamed") == {"soleus-renamed"}
    assert search(db, "trapezius") == set()
    assert query(db, "SELECT count(*) FROM texts WHERE muscle = 'trapezius'") == [(0,)]


@pytest.mark.parametrize("edit", ["DROP TRIGGER texts_search_insert",
                                  "DROP TRIGGER functions_search_update",
                                  "DROP TRIGGER muscles_search_delete", "DROP TABLE search"])
def test_a_search_index_or_trigger_dropped_by_hand_is_made_again(
        edit: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A trigger dropped left the index without the rows written since (a new text not
    found), and the index dropped failed every update ("no such table: main.search")."""
    write(sample_muscles, db)
    _shell(db, f"{edit};")
    changed = [replace(m, origin=LocalizedText({**m.origin, "de": "Fersenbein"}))
               if m.slug == "soleus" else
               replace(m, functions=(Function(LocalizedText({"da": "Abduktionsbevægelse"})),))
               if m.slug == "deltoideus" else m
               for m in sample_muscles if m.slug != "trapezius"]
    assert write(changed, db, prune=True) == f"{db}: " + counts(0, 2, len(changed) - 2, 1)
    assert search(db, "fersenbein") == {"soleus"}
    assert search(db, "abduktionsbevægelse") == {"deltoideus"}
    assert search(db, "trapezius") == set()


@pytest.mark.parametrize(("made", "kind", "name"), [
    ("CREATE TABLE search (note TEXT)", "table", "search"),
    ("CREATE TABLE Search (note TEXT)", "table", "Search"),
    ("CREATE VIRTUAL TABLE search USING fts5 (note)", "table", "search"),
    ("CREATE VIEW search AS SELECT 'mine' AS note", "view", "search"),
    ("CREATE INDEX search ON muscles (title)", "index", "search")])
def test_a_table_of_the_search_indexs_name_is_never_dropped(made: str, kind: str, name: str,
                                                            db: Path) -> None:
    """A table of the user's named search (the tool's index dropped by hand) was taken
    for the index made otherwise, and dropped by the next write with its rows; a view
    or index of that name failed it with SQLite's words. Each is one error now that
    says what to do, the user's table kept, nothing changed."""
    _is_kept_in_the_way_of_the_index(db, made, kind, name, "its full-text search index (an "
                                     "FTS5 table, made again by a write when it was dropped "
                                     "or changed)")


@pytest.mark.parametrize(("made", "kind", "name"), [
    *((f"CREATE TABLE {name} (note TEXT)", "table", name) for name in (
        "search_data", "search_idx", "search_content", "search_docsize", "search_config")),
    ("CREATE TABLE Search_Data (note TEXT)", "table", "Search_Data"),
    ("CREATE VIEW search_idx AS SELECT 'mine' AS note", "view", "search_idx"),
    ("CREATE INDEX search_config ON muscles (title)", "index", "search_config")])
def test_a_table_of_a_name_fts5_makes_for_the_search_index_is_never_dropped(
        made: str, kind: str, name: str, db: Path) -> None:
    """A table, view or index of the user's named as one FTS5 makes beside the search
    index (search_data, ...), made after the index was dropped, failed the write that made
    the index again with SQLite's "fts5: error creating shadow table search_data: table
    'search_data' already exists". It is one error now that names it and says what to
    do, the user's table kept, nothing changed."""
    _is_kept_in_the_way_of_the_index(db, made, kind, name, "a table of its full-text search "
                                     "index (which FTS5 makes beside the index, named "
                                     "search, made again by a write when it was dropped or "
                                     "changed)")


def _is_kept_in_the_way_of_the_index(db: Path, made: str, kind: str, name: str,
                                     keeps: str) -> None:
    """A database written once, its search index dropped and ``made`` (a ``kind`` named
    ``name``) in its place: a write, cached or not, is one error saying the tool
    ``keeps`` the index there and what to do, the database unchanged, the user's rows
    kept."""
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    _shell(db, f"DROP TABLE search; {made};")
    if kind == "table":
        _shell(db, f"INSERT INTO {name} (note) VALUES ('mine');")
    before = db.read_bytes()
    for cached in ([], ["--no-cache"]):
        code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db),
                            *cached)
        article = {"table": "a", "view": "a", "index": "an"}[kind]
        assert (code, [line for line in output.splitlines() if "error" in line]) == (1, [
            f"{db}: error: holds {article} {kind} named '{name}', where muscle-convert keeps "
            f"{keeps}; give that {kind} another name, or drop it, and run again, or write a "
            "fresh database; nothing is changed [sqlite-error]"])
        assert db.read_bytes() == before
    if kind == "table":
        assert query(db, f"SELECT note FROM {name}") == [("mine",)]


@pytest.mark.parametrize(("name", "table"), [("texts_search_insert", "texts"),
                                           ("Muscles_Search_Update", "muscles")])
def test_a_trigger_of_the_users_named_as_a_search_trigger_is_never_dropped(
        name: str, table: str, db: Path) -> None:
    """A trigger of the user's named as one of the search index's (that one dropped by
    hand) was dropped by the next write, which made the index's again, as if its SQL
    did not matter. It is one error now that names it and says what to do, the user's
    trigger kept, nothing changed."""
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    mine = (f"CREATE TRIGGER {name} AFTER INSERT ON {table} BEGIN INSERT INTO audit "
            "VALUES ('mine'); END")
    _shell(db, f"CREATE TABLE audit (note TEXT); DROP TRIGGER {name}; {mine};")
    before = db.read_bytes()
    for cached in ([], ["--no-cache"]):
        code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db),
                            *cached)
        assert (code, [line for line in output.splitlines() if "error" in line]) == (1, [
            f"{db}: error: holds a trigger named '{name}' that muscle-convert did not make, "
            "where it keeps a trigger of that name, which keeps its full-text search index "
            "in sync (made again by a write when it was dropped); give that trigger another "
            "name, or drop it, and run again, or write a fresh database; nothing is changed "
            "[sqlite-error]"])
        assert db.read_bytes() == before
    assert query(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                 name) == [(mine,)]


def test_views_flatten_the_tables(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    for m in sample_muscles:
        languages = sorted({*m.origin, *m.insertion, *(lang for f in m.functions
                                                      for part in (f.short, f.extended)
                                                      for lang in part)})
        rows = query(db, "SELECT language, origin, insertion, functions FROM muscle_texts "
                         "WHERE slug = ?", m.slug)
        assert rows == [(lang, m.origin.get(lang), m.insertion.get(lang),
                         "\n".join(f.short[lang] for f in m.functions if lang in f.short)
                         or None) for lang in languages]
        summary = query(db, "SELECT title, functions, exercises, coords, languages FROM "
                            "muscle_summary WHERE slug = ?", m.slug)
        assert summary == [(m.title, len(m.functions), "; ".join(m.exercises) or None,
                            " | ".join(r.coords for r in m.regions) or None,
                            ", ".join(languages) or None)]
        assert query(db, "SELECT coords FROM region_coords WHERE slug = ? ORDER BY number",
                     m.slug) == [(r.coords,) for r in m.regions]
        shorts = query(db, "SELECT number, language, short, extended FROM function_texts "
                           "WHERE slug = ?", m.slug)
        assert shorts == [(i + 1, lang, f.short.get(lang), f.extended.get(lang))
                          for i, f in enumerate(m.functions)
                          for lang in sorted({*f.short, *f.extended})]


# ------------------------------------------------------------------ tools we didn't write


def test_sqlite_utils_lists_tables_and_counts(sample_muscles: list[Muscle], db: Path) -> None:
    import sqlite_utils

    write(sample_muscles, db)
    database = sqlite_utils.Database(db)
    assert set(database.table_names()) >= TABLES
    assert set(database.view_names()) == VIEWS
    assert database["muscles"].count == len(sample_muscles)
    assert database["texts"].count == sum(len(m.origin) + len(m.insertion)
                                          for m in sample_muscles)
    assert database["functions"].count == sum(len(f.short) + len(f.extended)
                                              for m in sample_muscles for f in m.functions)
    assert database["exercises"].count == sum(len(m.exercises) for m in sample_muscles)
    assert database["points"].count == sum(len(r.points) for m in sample_muscles
                                           for r in m.regions)
    assert database["muscle_summary"].count == len(sample_muscles)
    assert {"slug", "title", "extra", "content_hash"} <= set(database["muscles"].columns_dict)
    assert [fk.other_table for fk in database["texts"].foreign_keys] == ["muscles"]


def test_sqlite3_shell_queries_the_database(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    shell = shutil.which("sqlite3")
    assert shell, "the sqlite3 shell is required (Debian package sqlite3)"
    out = subprocess.run(
        [shell, "-readonly", "-json", str(db),
         "SELECT slug, language, origin FROM muscle_texts WHERE slug = 'biceps-brachii';"],
        capture_output=True, text=True, check=True, timeout=WAIT).stdout
    biceps = next(m for m in sample_muscles if m.slug == "biceps-brachii")
    assert json.loads(out) == [{"slug": "biceps-brachii", "language": lang, "origin": text}
                               for lang, text in biceps.origin.items()]
    out = subprocess.run(
        [shell, "-readonly", str(db), "SELECT DISTINCT slug FROM search "
         "WHERE search MATCH 'hofte*' AND language = 'da' ORDER BY slug;"],
        capture_output=True, text=True, check=True, timeout=WAIT).stdout
    assert out.split() == ["latissimus-dorsi", "rectus-femoris"]


def _readme_queries() -> list[str]:
    """The SQL of every ``sqlite3 muscles.db "..."`` example in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [" ".join(sql.split()) for sql in re.findall(r'sqlite3 muscles\.db "([^"]+)"', readme)]


def test_sql_sees_a_minus_zero_of_extra_as_readme_says(db: Path, tmp_path: Path) -> None:
    """SQLite's JSON functions read the integer -0 of extra as 0 (its integers have no
    negative zero), which README did not say, though it promises every format keeps the
    sign: the SQL it names gives what it says, and the reader still reads -0 back."""
    source = tmp_path / "m.md"
    source.write_text("---\ntitle: M\nx: -0\n---\n", encoding="utf-8")
    (muscle,) = converter.read(source)
    write([muscle], db)
    (back,) = converter.read(db)
    assert back == muscle and str(back.extra["x"]) == "-0"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`(json_extract\(extra, '\$\.x'\))` and `(extra ->> '\$\.x')` give "
                     r"the integer 0, and `(extra -> '\$\.x')` gives the JSON text `-0`",
                     " ".join(readme.split()))
    assert said is not None
    found = query(db, f"SELECT {', '.join(said.groups())} FROM muscles")
    assert found == [(0, 0, "-0")]
    assert query(db, "SELECT extra FROM muscles") == [('{"x": -0}',)]


def test_readme_search_queries(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    danish, english = _readme_queries()
    run = [shutil.which("sqlite3") or "sqlite3", "-readonly", str(db)]
    rows = subprocess.run([*run, danish], capture_output=True, text=True, check=True,
                          timeout=WAIT).stdout
    assert [row.split("|") for row in rows.split()] == [
        ["rectus-femoris", "origin", "da"], ["latissimus-dorsi", "origin", "da"]]
    rows = subprocess.run([*run, english], capture_output=True, text=True, check=True,
                          timeout=WAIT).stdout
    assert sorted(rows.split()) == ["gastrocnemius|Gastrocnemius", "soleus|Soleus"]


# The search index: FTS5 tables take no column types, so DuckDB reads their columns as BLOB.
SEARCH_INDEX = re.compile(r"search(_\w+)?")


def duckdb_connection() -> duckdb.DuckDBPyConnection:
    """DuckDB with its sqlite extension loaded from the PyPI package
    duckdb-extension-sqlite-scanner: nothing is downloaded."""
    import duckdb
    import duckdb_extension_sqlite_scanner as scanner

    conn = duckdb.connect(config={"autoinstall_known_extensions": False,
                                  "autoload_known_extensions": False})
    (version,) = conn.execute("SELECT library_version FROM pragma_version()").fetchone()
    extension = Path(scanner.__file__).parent / "extensions" / version
    conn.execute(f"LOAD '{extension / 'sqlite_scanner.duckdb_extension'}'")
    return conn


@pytest.fixture(scope="module", params=["samples", "corpus"])
def analysts_db(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the samples, and one of a generated corpus of 300 files."""
    root = tmp_path_factory.mktemp("duckdb")
    source = SAMPLES
    if request.param == "corpus":
        source = root / "corpus"
        subprocess.run([sys.executable, str(GEN_CORPUS), str(source), "--count", "300",
                        "--seed", "5"], check=True, capture_output=True, timeout=WAIT)
    db = root / "muscles.db"
    converter.write(converter.read(source), db, "sqlite")
    return db


def _typed(rows: Iterable[tuple], blobs: list[bool]) -> list[tuple]:
    """Rows as (type, value) pairs, sorted; a value of a column read as BLOB as the bytes
    SQLite gives for it."""
    def value(v: object, blob: bool) -> tuple[str, object]:
        if blob and isinstance(v, str | int):
            v = str(v).encode()
        return type(v).__name__, v

    return sorted((tuple(value(v, b) for v, b in zip(row, blobs, strict=True))
                   for row in rows), key=repr)


def _sqlite_objects(db: Path) -> dict[str, str]:
    """Every table and view of ``db`` (not SQLite's own), by name: its type."""
    return dict(query(db, "SELECT name, type FROM sqlite_master WHERE type IN ('table', "
                          "'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))


def _compare_with_duckdb(db: Path, source: str, *, typed_views: bool = True) -> None:
    """Every row of every table and view of ``db`` read by DuckDB from ``source`` (a
    format string naming the object) equals, type for type, what sqlite3 reads. Only the
    search index's columns are read as BLOB (and with ``typed_views`` false, views')."""
    conn = duckdb_connection()
    conn.execute(f"ATTACH '{db}' AS m (TYPE sqlite, READ_ONLY)")
    listed = dict(conn.execute(
        "SELECT table_name, 'table' FROM duckdb_tables() WHERE database_name = 'm' UNION "
        "ALL SELECT view_name, 'view' FROM duckdb_views() WHERE database_name = 'm'"
    ).fetchall())
    assert listed == _sqlite_objects(db)
    for name in listed:
        described = conn.execute(f"SELECT * FROM {source.format(name)} LIMIT 0").description
        columns = [column for column, *_ in described]
        blobs = [str(kind) == "BLOB" for _, kind, *_ in described]
        untyped = SEARCH_INDEX.fullmatch(name) or (listed[name] == "view" and not typed_views)
        assert not any(blobs) or untyped, (name, described)
        visible = [column for _, column, *_ in query(db, f'PRAGMA table_info("{name}")')]
        assert columns == visible, name  # (not the generated x_value, y_value)
        selected = ", ".join(f'"{column}"' for column in columns)
        ours = query(db, f'SELECT {selected} FROM "{name}"')
        theirs = conn.execute(f"SELECT {selected} FROM {source.format(name)}").fetchall()
        assert _typed(theirs, blobs) == _typed(ours, blobs), name
        assert len(ours) == query(db, f'SELECT count(*) FROM "{name}"')[0][0]
    conn.close()


def test_duckdb_attaches_and_reads_every_table_and_view(analysts_db: Path) -> None:
    _compare_with_duckdb(analysts_db, 'm."{}"')


def _scan_types_computed_view_columns(folder: Path) -> bool:
    """Whether DuckDB's sqlite_scan types a view column that is a CAST: it takes a
    column's type from PRAGMA table_info, which declares one from SQLite 3.41 on (the
    extension for DuckDB 1.5 bundles SQLite 3.38, which reads every such column as BLOB)."""
    probe = folder / "probe.db"
    with contextlib.closing(sqlite3.connect(probe)) as conn:
        conn.execute("CREATE VIEW IF NOT EXISTS v AS SELECT CAST(1 AS TEXT) AS a")
    conn = duckdb_connection()
    (_, kind, *_), = conn.execute(f"SELECT * FROM sqlite_scan('{probe}', 'v')").description
    conn.close()
    return str(kind) != "BLOB"


def test_duckdb_sqlite_scan_reads_every_table_and_view(analysts_db: Path) -> None:
    # (sqlite_scan runs the views in SQLite and takes the types SQLite declares; attached
    # views are DuckDB's own, typed by DuckDB)
    _compare_with_duckdb(analysts_db, f"sqlite_scan('{analysts_db}', '{{}}')",
                         typed_views=_scan_types_computed_view_columns(analysts_db.parent))


def test_an_update_renews_the_views_an_earlier_version_wrote(db: Path) -> None:
    """A database written before the views changed kept them: DuckDB could not attach
    it (char(10)), whatever was converted into it later."""
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("DROP VIEW muscle_texts")
        conn.execute("CREATE VIEW muscle_texts AS SELECT slug, char(10) AS functions "
                     "FROM muscles")  # (as an earlier version's, in short)
        conn.commit()
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    duck = duckdb_connection()
    duck.execute(f"ATTACH '{db}' AS m (TYPE sqlite)")
    assert len(duck.execute("SELECT * FROM m.muscle_texts").fetchall()) == len(
        query(db, "SELECT * FROM muscle_texts")) > 0
    duck.close()
    views = dict(query(db, "SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    assert views == {v.split()[2]: v for v in sqlite_format.schema._VIEWS}


@pytest.mark.parametrize("made", ["CREATE TABLE muscle_texts (slug TEXT)",
                                  "CREATE INDEX Muscle_Texts ON muscles (title)"])
def test_a_table_of_a_views_name_is_one_error_that_says_what_to_do(made: str, db: Path
                                                                    ) -> None:
    """A view replaced by a table of its name made every write fail with "SQLite
    failed: use DROP TABLE to delete table muscle_texts"."""
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    _shell(db, f"DROP VIEW muscle_texts; {made};")
    before = db.read_bytes()
    code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db),
                        "--no-cache")
    kind, name = made.split()[1].lower(), made.split()[2]
    article = {"table": "a", "index": "an"}[kind]
    assert (code, [line for line in output.splitlines() if "error" in line]) == (1, [
        f"{db}: error: holds {article} {kind} named '{name}', where muscle-convert keeps a "
        f"view of that name (made again by each write); give that {kind} another name, or drop "
        "it, and run again, or write a fresh database; nothing is changed [sqlite-error]"])
    assert db.read_bytes() == before


def test_a_trigger_of_a_views_name_does_not_stop_a_write(db: Path) -> None:
    """A trigger named like a view (triggers have names of their own: the view is made
    beside it) stopped every write with a sqlite-error telling to rename it."""
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    _shell(db, "DROP VIEW muscle_summary; CREATE TRIGGER Muscle_Summary AFTER INSERT ON "
               "exercises BEGIN SELECT 1; END;")
    code, output = _cli_sqlite(db, str(SAMPLES), "--no-cache")
    assert (code, [line for line in output.splitlines() if "error" in line]) == (0, [])
    assert query(db, "SELECT type, name FROM sqlite_master WHERE name LIKE "
                     "'muscle_summary' ORDER BY type") == [("trigger", "Muscle_Summary"),
                                                           ("view", "muscle_summary")]
    assert len(query(db, "SELECT * FROM muscle_summary")) == len(list(SAMPLES.glob("*.md")))


def test_every_view_column_declares_its_type(analysts_db: Path) -> None:
    # A reader that takes a column's type from PRAGMA table_info (DuckDB's sqlite_scan,
    # Datasette) finds one for a view's column from SQLite 3.41 on: apsw brings such a SQLite.
    import apsw

    conn = apsw.Connection(str(analysts_db), flags=apsw.SQLITE_OPEN_READONLY)
    storage = {"TEXT": "text", "INT": "integer"}
    for view in VIEWS:
        declared = {name: kind for _, name, kind, *_ in
                    conn.execute(f'PRAGMA table_info("{view}")')}
        assert set(declared.values()) <= set(storage), (view, declared)
        for name, kind in declared.items():
            found = {t for (t,) in conn.execute(f'SELECT typeof("{name}") FROM "{view}"')}
            assert found <= {storage[kind], "null"}, (view, name, found)
    conn.close()


# ------------------------------------------------------------- refusing and diagnosing


def _set_pragma(db: Path, statement: str) -> None:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute(statement)
        conn.commit()


def _codes(exc: pytest.ExceptionInfo[MuscleError]) -> list[str]:
    return [d.code for d in exc.value.diagnostics]


@pytest.mark.parametrize(("statement", "code"), [
    ("PRAGMA user_version = 2", "schema-too-new"),
    ("PRAGMA user_version = 0", "schema-too-old"),
    ("PRAGMA application_id = 7", "not-muscle-database"),
])
def test_other_schema_versions_are_refused(sample_muscles: list[Muscle], db: Path,
                                           statement: str, code: str) -> None:
    write(sample_muscles, db)
    _set_pragma(db, statement)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as exc:
        converter.write(sample_muscles, db, "sqlite")
    assert _codes(exc) == [code]
    assert db.read_bytes() == before
    with pytest.raises(MuscleError) as exc:
        converter.read(db)
    assert _codes(exc) == [code]


def test_another_programs_database_is_refused(sample_muscles: list[Muscle], db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
        conn.commit()
    before = db.read_bytes()
    with pytest.raises(MuscleError) as exc:
        converter.write(sample_muscles, db)
    assert _codes(exc) == ["not-muscle-database"]
    assert "did not write" in str(exc.value)
    assert db.read_bytes() == before



@pytest.mark.parametrize(("tables", "named"), [
    (["notes"], "table 'notes'"),
    (["b", "a", "c"], "tables 'a', 'b', 'c'"),
    ([f"t{i:02}" for i in range(12)], "tables 't00', 't01', 't02', 't03', 't04' and 7 more"),
])
def test_another_programs_database_is_refused_naming_its_tables(
        tables: list[str], named: str, sample_muscles: list[Muscle], db: Path) -> None:
    """The refusal named none of the tables that make it another program's database."""
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for table in tables:
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY AUTOINCREMENT)")
    before = db.read_bytes()
    message = (f"is a SQLite database that muscle-convert did not write (it holds {named}); "
               "choose another file")
    for attempt in (lambda: converter.write(sample_muscles, db, "sqlite"),
                    lambda: converter.read(db)):
        with pytest.raises(MuscleError) as caught:
            attempt()
        assert [(d.code, d.message) for d in caught.value.diagnostics] == [
            ("not-muscle-database", message)]
    assert db.read_bytes() == before


def _restored(db: Path, restored: Path) -> None:
    """Dump ``db`` with the sqlite3 shell's ``.dump`` and restore it into ``restored``, as
    a user backing a database up does."""
    shell = shutil.which("sqlite3") or "sqlite3"
    dump = subprocess.run([shell, str(db), ".dump"], capture_output=True, text=True,
                          check=True, timeout=WAIT).stdout
    subprocess.run([shell, str(restored)], input=dump, capture_output=True, text=True,
                   check=True, timeout=WAIT)


@pytest.mark.parametrize(("given", "said"), [
    ("{tmp}/restored copy.db", "{tmp}/restored copy.db"), ("-r.db", "./-r.db"),
    ("./-r.db", "./-r.db"), ("sub/r.db", "sub/r.db"), ("link.db", "link.db")])
def test_a_database_restored_from_a_dump_is_refused_saying_how_to_mark_it(
        sample_muscles: list[Muscle], db: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, given: str, said: str) -> None:
    """A database restored from ``sqlite3 m.db .dump`` (rows kept, not ``PRAGMA
    application_id`` or ``user_version``) was refused as one muscle-convert did not
    write. It is said to hold muscle-convert's tables without its marks, with the
    command that marks it; run, that command makes it read back as it was written.
    The command names the database as given, reading and writing alike (the writer
    gave the path links lead to, made absolute), and a name that starts with ``-``,
    which sqlite3 took for an option (``sqlite3 -r.db ...``), as ``./-r.db``."""
    monkeypatch.chdir(tmp_path)
    write(sample_muscles, db)
    (tmp_path / "sub").mkdir()
    _restored(db, tmp_path / "sub" / "r.db")
    restored = Path(given.format(tmp=tmp_path))
    if given == "link.db":
        restored.symlink_to("sub/r.db")
    elif given != "sub/r.db":
        (tmp_path / "sub" / "r.db").rename(restored)
    before = restored.read_bytes()
    commands = []
    for attempt in (lambda: converter.write(sample_muscles, restored, "sqlite"),
                    lambda: converter.read(restored)):
        with pytest.raises(MuscleError) as caught:
            attempt()
        ((code, message),) = [(d.code, d.message) for d in caught.value.diagnostics]
        assert code == "unmarked-database"
        assert message.startswith(
            "holds the tables muscle-convert makes, as it makes them, but not its marks "
            "(PRAGMA application_id and user_version), as one of its databases restored "
            "from a dump does (sqlite3's .dump keeps the rows, not the marks); if it is "
            "one, mark it and run again: sqlite3 ")
        assert message.endswith(" 'PRAGMA application_id = 1297437516; PRAGMA "
                                "user_version = 1'")
        commands.append(shlex.split(message[message.index("run again: ") + 11:]))
    assert restored.read_bytes() == before
    assert [command[1] for command in commands] == [said.format(tmp=tmp_path)] * 2
    subprocess.run(commands[0], capture_output=True, check=True, timeout=WAIT)
    assert list(converter.read(restored)) == list(converter.read(db))


@pytest.mark.parametrize("change", [
    "ALTER TABLE muscles ADD COLUMN note TEXT", "DROP TABLE points",
    "DROP TABLE search"])
def test_a_restored_dump_whose_tables_are_not_as_written_is_another_programs(
        change: str, sample_muscles: list[Muscle], db: Path, tmp_path: Path) -> None:
    """Only a database holding every table muscle-convert makes, each as it makes it,
    is said to be one of its own unmarked: one changed is any other program's."""
    write(sample_muscles, db)
    restored = tmp_path / "restored.db"
    _restored(db, restored)
    _set_pragma(restored, change)
    with pytest.raises(MuscleError) as caught:
        converter.read(restored)
    assert _codes(caught) == ["not-muscle-database"]
    assert "did not write" in str(caught.value)


#: How a message names a table of the user's that blocks a change, by its name and the
#: table its rows refer to.
_BLOCKING = "table '{}' (which refers to {})"


def _refused_change(db: Path, sample_muscles: list[Muscle]) -> str:
    """The message of the write of ``sample_muscles`` but soleus, pruned, into ``db``,
    which a table of the user's refuses (the database left as it was)."""
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write([m for m in sample_muscles if m.slug != "soleus"], db, "sqlite",
                        prune=True)
    assert db.read_bytes() == before
    (d,) = caught.value.diagnostics
    assert (d.path, d.code) == (str(db), "sqlite-error")
    return d.message


def _refusal(*tables: str) -> str:
    """The message of a change the user's ``tables`` (each as :data:`_BLOCKING`) refuse."""
    return ("SQLite failed: FOREIGN KEY constraint failed: a row of your "
            f"{' or '.join(tables)} stands in the way of this change (let the reference "
            "cascade, ON DELETE CASCADE, or remove the row)")


def test_the_users_tables_that_block_a_change_are_named_up_to_five(
        sample_muscles: list[Muscle], db: Path) -> None:
    """Of eight tables of the user's referring to the tool's, all were named in one
    run-on message: the first five are, and the rest counted."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for number in range(8):
            conn.execute(f"CREATE TABLE pins{number} (id INTEGER REFERENCES muscles (id))")
            conn.execute(f"INSERT INTO pins{number} SELECT id FROM muscles "
                         "WHERE slug = 'soleus'")
    assert _refused_change(db, sample_muscles) == _refusal(
        *(_BLOCKING.format(f"pins{n}", "muscles") for n in range(5)),
        "of 3 more of your tables")


#: Tables of the user's (name, definition, row; soleus's id as ``{soleus}``): those whose
#: rows block its removal and those whose rows do not.
_REFERRING = {
    "pins": ("(id INTEGER REFERENCES muscles (id))", "{soleus}"),
    "held": ("(id INTEGER REFERENCES muscles (id) ON DELETE RESTRICT)", "{soleus}"),
    "cascading": ("(id INTEGER PRIMARY KEY REFERENCES muscles (id) ON DELETE CASCADE)",
                  "{soleus}"),
    "notes": ("(card INTEGER REFERENCES cascading (id))", "{soleus}"),  # (gone with it)
    "emptied": ("(id INTEGER REFERENCES muscles (id))", None),
    "kept": ("(slug TEXT PRIMARY KEY REFERENCES muscles (slug)) WITHOUT ROWID",
             "'biceps-brachii'"),
    "nulled": ("(id INTEGER REFERENCES muscles (id) ON DELETE SET NULL)", "{soleus}"),
    "stale": ("(slug TEXT PRIMARY KEY REFERENCES muscles (slug)) WITHOUT ROWID",
              "'gone-before'"),  # (referred to nothing before this run)
}


def test_only_the_users_tables_whose_rows_block_a_change_are_named(
        sample_muscles: list[Muscle], db: Path) -> None:
    """Every table of the user's that referred to the tool's was named, though only the
    rows of some stood in the way: those with a row referring to a muscle kept, none, a
    row that cascades or is set to NULL, or one that referred to nothing before; and
    ON DELETE RESTRICT's refusal named none. Only those whose rows block are named now,
    one that refers to a table of the user's that cascades from the tool's too."""
    write(sample_muscles, db)
    (soleus,) = query(db, "SELECT id FROM muscles WHERE slug = 'soleus'")[0]
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # (foreign keys off)
        for table, (definition, row) in _REFERRING.items():
            conn.execute(f"CREATE TABLE {table} {definition}")
            if row is not None:
                conn.execute(f"INSERT INTO {table} VALUES ({row.format(soleus=soleus)})")
    assert _refused_change(db, sample_muscles) == _refusal(
        _BLOCKING.format("held", "muscles"), _BLOCKING.format("notes", "cascading"),
        _BLOCKING.format("pins", "muscles"))


def test_a_file_that_is_not_sqlite(sample_muscles: list[Muscle], db: Path) -> None:
    db.write_text("just some text, not a database\n" * 100, encoding="utf-8")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as exc:
        converter.write(sample_muscles, db)
    assert _codes(exc) == ["not-sqlite"]
    assert db.read_bytes() == before
    with pytest.raises(MuscleError) as exc:
        converter.read(db)
    assert _codes(exc) == ["not-sqlite"]
    assert str(exc.value) == f"{db}: error: is not a SQLite database [not-sqlite]"


def damage_schema(db: Path) -> None:
    """Give a trigger of ``db`` a statement with a byte that is not UTF-8 (``D\\xf2LETE``,
    no keyword), as a damaged file may: SQLite's message of the schema quotes it."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master "
                              "WHERE name = 'functions_search_delete'").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = CAST(? AS TEXT) "
                     "WHERE name = 'functions_search_delete'",
                     (sql.encode().replace(b"BEGIN DELETE", b"BEGIN D\xf2LETE"),))
        conn.commit()


def test_a_database_whose_schema_is_damaged_is_one_diagnostic(sample_muscles: list[Muscle],
                                                               tmp_path: Path) -> None:
    """SQLite's message of a damaged schema quotes its text, which sqlite3 cannot decode
    when it is not UTF-8: reading such a database, or converting into it, was a
    traceback (UnicodeDecodeError), and a folder's other databases were not read. It is
    a sqlite-error now, the byte shown as U+FFFD, the database left as it was."""
    folder = tmp_path / "dbs"
    folder.mkdir()
    good, bad = folder / "a.db", folder / "b.db"
    write(sample_muscles, good)
    write(sample_muscles, bad)
    damage_schema(bad)
    before = bad.read_bytes()
    said = ('SQLite failed: malformed database schema (functions_search_delete) - near '
            '"D\ufffdLETE"')
    for step in (lambda: converter.read(bad), lambda: converter.write(sample_muscles, bad)):
        with pytest.raises(MuscleError) as exc:
            step()
        [(path, code, message)] = [(d.path, d.code, d.message) for d in exc.value.diagnostics]
        assert (path, code) == (str(bad), "sqlite-error")
        assert message.startswith(said)
    assert bad.read_bytes() == before
    out = tmp_path / "out.json"
    code, output = _cli("convert", str(folder), "--from", "sqlite", "--to", "json", "-o",
                        str(out), "--no-cache", "-j", "1")
    assert code == 1
    assert f"{bad}: error: {said}" in output
    assert "Traceback" not in output
    assert converter.read(out) == converter.read(good)


def test_empty_database_and_directory(db: Path, tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE scratch (x)")
        conn.execute("DROP TABLE scratch")
    with pytest.raises(MuscleError) as exc:
        converter.read(db)
    assert _codes(exc) == ["empty-database"]
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(MuscleError) as exc:
        converter.write([], tmp_path / "dir.db", "sqlite")
    assert _codes(exc) == ["output-is-directory"]


#: Reads each database of ``wal/`` (copied onto a file system mounted read-only) to JSON:
#: what it says but the samples' warnings, and its exit status.
READ_ONLY_WAL = """
set -e
mkdir ro out
mount -t tmpfs tmpfs ro
cp -r wal/. ro/
mount -o remount,ro ro
for name in closed held logged; do
    set +e; "$PYTHON" -m converter convert ro/$name/muscles.db --to json -o out/$name.json \\
        --no-cache 2>&1 | grep -v ': warning: '; echo "exit ${PIPESTATUS[0]}"; set -e
done
"""


def _wal_database(folder: Path, sample_muscles: list[Muscle], *, log: bool, shm: bool) -> None:
    """``folder/muscles.db``: the samples in WAL mode; with ``log``, soleus retitled
    'Changed' in its -wal file (and with ``shm``, its -shm file beside it), as copied
    while a connection holds them."""
    db = folder / "muscles.db"
    folder.mkdir(parents=True)
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        if log:
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            conn.execute("UPDATE muscles SET title = 'Changed' WHERE slug = 'soleus'")
            held = folder.with_name(folder.name + ".held")
            held.mkdir()
            for name in ["muscles.db", "muscles.db-wal", *(["muscles.db-shm"] * shm)]:
                shutil.copy(folder / name, held / name)
    if log:
        shutil.rmtree(folder)
        folder.with_name(folder.name + ".held").rename(folder)


@pytest.mark.parametrize(("mode", "link", "logs"), [
    ("delete", False, "m.db-journal"), ("wal", False, "m.db-wal and m.db-shm"),
    ("delete", True, "m.db-journal")], ids=["journal", "wal", "link"])
def test_a_database_in_a_folder_that_cannot_be_written_is_one_clear_error(
        mode: str, link: bool, logs: str, tmp_path: Path) -> None:
    """A database that can be written in a folder that cannot (where SQLite makes its
    journal, or its log and index in WAL mode) was SQLite's "attempt to write a
    readonly database", of a file that is not: it names the folder (of the file a link
    names) and what SQLite makes there. The run is made as a user who cannot write the
    folder (``unshare --user``: root's files are no longer its own to override)."""
    content, folder = tmp_path / "content", tmp_path / "ro"
    shutil.copytree(SAMPLES, content)
    folder.mkdir()
    db = folder / "m.db"
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db), "--no-cache")[0] == 0
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA journal_mode = {mode}")
    out = tmp_path / "link.db" if link else db
    if link:
        out.symlink_to(db)
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("title: ", "title: X", 1),
                      encoding="utf-8")
    before = db.read_bytes()
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            ["unshare", "--user", sys.executable, "-m", "converter", "convert", str(content),
             "--to", "sqlite", "-o", str(out), "--no-cache"], capture_output=True, text=True,
            timeout=WAIT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        folder.chmod(0o755)
    said = [line for line in done.stderr.splitlines() if "[cannot-write]" in line]
    assert done.returncode == 1, done.stderr
    assert said == [f"{out}: error: cannot write here: SQLite failed: attempt to write a "
                    f"readonly database: the folder {folder.resolve() if link else folder} "
                    "cannot be written (a read-only folder or file system), and SQLite "
                    "writes the database through files it "
                    f"makes there ({logs}); make that folder writable, or convert into a copy "
                    "of the database in one that is; nothing is changed [cannot-write]"]
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["m.db"]


def test_a_wal_database_on_a_read_only_file_system_is_read(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """It failed with 'SQLite failed: unable to open database file' (SQLite could not
    create its -shm file there); it is read, unless a -wal file is beside it without its
    -shm, whose changes could not be read: that is said, naming it."""
    from tests.test_diskfull import in_namespace

    _wal_database(tmp_path / "wal" / "closed", sample_muscles, log=False, shm=False)
    _wal_database(tmp_path / "wal" / "held", sample_muscles, log=True, shm=True)
    _wal_database(tmp_path / "wal" / "logged", sample_muscles, log=True, shm=False)
    wrote = "wrote {0} muscles to out/{1}.json; {0} muscles converted, 0 files failed"
    assert in_namespace(READ_ONLY_WAL, tmp_path).splitlines() == [
        wrote.format(len(sample_muscles), "closed"), "exit 0",
        wrote.format(len(sample_muscles), "held"), "exit 0",
        "ro/logged/muscles.db: error: cannot be read here: its write-ahead log, "
        "muscles.db-wal, may hold changes not yet in the database, which SQLite reads only "
        "through a muscles.db-shm file it cannot create in this folder (a read-only folder "
        "or file system); open the database once with sqlite3 where it can be written, "
        "which moves them in, or copy both files to such a folder [sqlite-error]",
        "nothing written to out/logged.json: no muscle was read; 0 muscles converted, "
        "1 file failed", "exit 1"]
    titles = {name: {m["slug"]: m["title"] for m in json.loads(
        (tmp_path / "out" / f"{name}.json").read_text(encoding="utf-8"))["muscles"]}
        for name in ("closed", "held")}
    assert titles["closed"] == {m.slug: m.title for m in sample_muscles}
    assert titles["held"] == {**titles["closed"], "soleus": "Changed"}


def _in_wal_mode(db: Path) -> None:
    """Put the database at ``db`` in WAL mode (its logs gone with the connection)."""
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


@pytest.mark.parametrize("through", ["validate", "read", "link"])
def test_a_read_of_a_wal_database_leaves_no_files_beside_it(
        through: str, samples_db: Path, tmp_path: Path) -> None:
    """A read left an empty muscles.db-wal and a muscles.db-shm beside it (beside the
    file a link names), which its read-only connection made and SQLite removes only as
    a connection that can write closes; the database is as it was."""
    folder = tmp_path / "w"
    folder.mkdir()
    db = folder / "muscles.db"
    shutil.copyfile(samples_db, db)
    _in_wal_mode(db)
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    if through == "validate":
        assert _cli("validate", str(db))[0] == 0
    else:
        link = tmp_path / "link.db"
        link.symlink_to(db)
        assert len(converter.read(db if through == "read" else link)) == 15
    assert sorted(p.name for p in folder.iterdir()) == ["muscles.db"]
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before


def test_the_logs_of_a_connection_open_before_a_read_are_left(samples_db: Path,
                                                              db: Path) -> None:
    """A -wal and -shm there before the read are another program's, with its change."""
    shutil.copyfile(samples_db, db)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE muscles SET title = 'Changed' WHERE slug = 'soleus'")
        logs = [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm")]
        assert all(log.stat().st_size for log in logs)
        assert {m.slug: m.title for m in converter.read(db)}["soleus"] == "Changed"
        assert all(log.stat().st_size for log in logs)
    assert {m.slug: m.title for m in converter.read(db)}["soleus"] == "Changed"
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_a_connection_opened_while_a_read_made_the_logs_keeps_them(samples_db: Path,
                                                                  db: Path) -> None:
    """The logs a read made are not removed while another connection (opened during the
    read) uses them: removed, a change it then made would be in a log no new connection
    reads."""
    shutil.copyfile(samples_db, db)
    _in_wal_mode(db)
    reading = get_format("sqlite").read(db, ReadContext())
    next(reading)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("SELECT count(*) FROM muscles").fetchone()
        assert len(list(reading)) == 14
        assert sorted(p.name for p in db.parent.iterdir()) == [
            db.name, f"{db.name}-shm", f"{db.name}-wal"]
        other.execute("UPDATE muscles SET title = 'Changed' WHERE slug = 'soleus'")
        assert query(db, "SELECT title FROM muscles WHERE slug = 'soleus'") == [("Changed",)]
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_corrupt_rows_become_diagnostics(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE muscles SET title = '' WHERE slug = 'soleus'")
        conn.execute("UPDATE points SET x = 'abc' WHERE muscle = 'deltoideus' "
                     "AND region = 0 AND position = 0")
        conn.execute("UPDATE texts SET language = 'Not a code' WHERE muscle = 'gastrocnemius'"
                     " AND field = 'origin' AND language = 'da'")
        conn.execute("DELETE FROM functions WHERE muscle = 'trapezius' AND position = 0 "
                     "AND part = 'short'")
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE muscles SET extra = '{broken' WHERE slug = 'soleus'")
        conn.execute("UPDATE muscles SET extra = '[1]' WHERE slug = 'gluteus-maximus'")
        conn.commit()
    found, problems = read_with_diagnostics(db)
    bad = {"soleus", "deltoideus", "gastrocnemius", "trapezius", "gluteus-maximus"}
    assert [m.slug for m in found] == sorted(m.slug for m in sample_muscles
                                             if m.slug not in bad)
    assert {(p.field.split(".")[0].split("]")[0] + "]", p.code) for p in problems} == {
        ("muscles[soleus]", "bad-json"), ("muscles[soleus]", "empty-field"),
        ("muscles[deltoideus]", "coords-not-number"),
        ("muscles[gastrocnemius]", "bad-language"), ("muscles[trapezius]", "missing-field"),
        ("muscles[gluteus-maximus]", "wrong-type")}
    assert all(p.path == str(db) for p in problems)
    with pytest.raises(MuscleError):
        converter.read(db)



def _read_past_checks(db: Path, muscles: list[Muscle], *statements: str
                      ) -> tuple[list[str], list[Diagnostic]]:
    """The slugs read back, and the problems, of a database of ``muscles`` edited by
    ``statements`` past its CHECK constraints."""
    write(muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    found, problems = read_with_diagnostics(db)
    return [m.slug for m in found], problems


#: Edits past a database's CHECK constraints to soleus and deltoideus, and the problems
#: read then: a row of no known kind (was a KeyError that stopped the run), a text that
#: is not UTF-8 (lost every muscle: "SQLite failed: Could not decode to UTF-8 column
#: 'title'", naming no muscle), in any table.
EDITED_PAST_CHECKS = {
    "no known kind": (
        ["UPDATE texts SET field = 'Origin' WHERE muscle = 'soleus' AND field = 'origin'",
         "UPDATE functions SET part = 'long' WHERE muscle = 'deltoideus' AND position = 0 "
         "AND part = 'short'"],
        [("muscles[deltoideus]", "bad-value", "a row of functions has part 'long', which "
          "is not short or extended; the muscle is left out"),
         ("muscles[soleus]", "bad-value", "a row of texts has field 'Origin', which is not "
          "origin or insertion; the muscle is left out")]),
    "not UTF-8": (
        ["UPDATE muscles SET title = CAST(x'536fff' AS TEXT) WHERE slug = 'soleus'",
         "UPDATE exercises SET name = CAST(x'41ff' AS TEXT) WHERE muscle = 'deltoideus' "
         "AND position = 0"],
        [("muscles[deltoideus].exercises[0]", "not-utf8", "is not UTF-8 (byte 0xff)"),
         ("muscles[soleus].title", "not-utf8", "is not UTF-8 (byte 0xff)")]),
    # (was read without a word, in SQLite's order: numbers, then texts)
    "position no whole number": (
        ["UPDATE exercises SET position = 'a' WHERE muscle = 'deltoideus' AND position = 0",
         "UPDATE functions SET position = 1.5 WHERE muscle = 'soleus' AND position = 1",
         "UPDATE regions SET position = x'00' WHERE muscle = 'soleus' AND position = 1",
         "UPDATE points SET region = x'00' WHERE muscle = 'soleus' AND region = 1"],
        [("exercises[muscle 'deltoideus', position 'a'].position", "not-integer", "'a' is "
          "text, not a whole number (position gives the order of the rows); the muscle is "
          "left out"),
         ("functions[muscle 'soleus', position 1.5].position", "not-integer", "the number "
          "1.5 is not a whole number (position gives the order of the rows); the muscle is "
          "left out"),
         ("regions[muscle 'soleus', position x'00'].position", "not-integer", "a BLOB of 1 "
          "byte is not a whole number (position gives the order of the rows); the muscle is "
          "left out")]),
    # (was read without a word, where a data package's is a bad-value error)
    "position negative": (
        ["UPDATE exercises SET position = -1 WHERE muscle = 'deltoideus' AND position = 1",
         "UPDATE points SET position = -2 WHERE muscle = 'deltoideus' AND position = 1",
         "UPDATE functions SET position = -1 WHERE muscle = 'soleus' AND position = 1",
         "UPDATE regions SET position = -1 WHERE muscle = 'soleus' AND position = 0",
         "UPDATE points SET region = -1 WHERE muscle = 'soleus' AND region = 0"],
        [("exercises[muscle 'deltoideus', position -1].position", "bad-value", "-1 is "
          "negative: position counts from 0; the muscle is left out"),
         *[(f"points[muscle 'deltoideus', region {n}, position -2].position", "bad-value",
            "-2 is negative: position counts from 0; the muscle is left out")
           for n in (0, 1)],
         ("functions[muscle 'soleus', position -1].position", "bad-value", "-1 is negative: "
          "position counts from 0; the muscle is left out"),
         ("regions[muscle 'soleus', position -1].position", "bad-value", "-1 is negative: "
          "position counts from 0; the muscle is left out")]),
}


@pytest.mark.parametrize("edit", sorted(EDITED_PAST_CHECKS))
def test_a_row_edited_past_the_checks_leaves_out_only_its_muscle(
        edit: str, sample_muscles: list[Muscle], db: Path) -> None:
    """One diagnostic per muscle, naming it (and the field), and the others are read."""
    statements, expected = EDITED_PAST_CHECKS[edit]
    found, problems = _read_past_checks(db, sample_muscles, *statements)
    assert found == sorted(m.slug for m in sample_muscles
                           if m.slug not in ("soleus", "deltoideus"))
    assert [(p.field, p.code, p.message) for p in problems] == expected


_FIRST_FUNCTION_ROW = "id = (SELECT min(id) FROM functions WHERE muscle = 'soleus')"
_POINTS_GONE = ("points[muscle 'soleus']: 6 rows of a region the database does not hold; "
                "left out [unknown-slug]")


@pytest.mark.parametrize(("edit", "lines"), [
    ("UPDATE regions SET position = x'41' WHERE muscle = 'soleus' AND position = 0",
     ["regions[muscle 'soleus', position x'41'].position: a BLOB of 1 byte is not a whole "
      "number (position gives the order of the rows); the muscle is left out [not-integer]",
      _POINTS_GONE]),
    ("UPDATE regions SET position = -1 WHERE muscle = 'soleus' AND position = 1",
     ["regions[muscle 'soleus', position -1].position: -1 is negative: position counts "
      "from 0; the muscle is left out [bad-value]", _POINTS_GONE]),
    (f"UPDATE functions SET position = x'41' WHERE {_FIRST_FUNCTION_ROW}",
     ["functions[muscle 'soleus', position x'41'].position: a BLOB of 1 byte is not a "
      "whole number (position gives the order of the rows); the muscle is left out "
      "[not-integer]"]),
    (f"UPDATE functions SET position = -1 WHERE {_FIRST_FUNCTION_ROW}",
     ["functions[muscle 'soleus', position -1].position: -1 is negative: position counts "
      "from 0; the muscle is left out [bad-value]"]),
    ("UPDATE exercises SET position = 'a', name = x'00' WHERE muscle = 'soleus' AND "
     "position = 0",
     ["exercises[muscle 'soleus', position 'a'].position: 'a' is text, not a whole number "
      "(position gives the order of the rows); the muscle is left out [not-integer]"]),
])
def test_a_bad_position_says_nothing_of_the_item_its_row_was_of(
        edit: str, lines: list[str], samples_db: Path, db: Path) -> None:
    """A region whose position was made no whole number (its points then of no region)
    was also an empty polygon (coords-empty), a function text's row so edited left
    its function without a short text (missing-field), and such an exercise's name was
    checked as the first exercise's: which item the row was of is not known, and nothing
    is said of the items of its table, as in a CSV package."""
    shutil.copyfile(samples_db, db)
    _shell(db, f"{edit};")
    code, output = _cli("validate", str(db))
    assert code == 1
    assert sorted(row for row in output.splitlines() if ": error: " in row) == sorted(
        f"{db}: error: {line}" for line in lines)


def test_a_bad_position_names_the_row_the_sqlite3_shell_finds(sample_muscles: list[Muscle],
                                                              db: Path) -> None:
    """The row was named by its place in SQLite's order, which is another row: position
    'a' of deltoideus's exercises, sorted after the numbers, was ``exercises[2]``, where
    position 2 is "Omvendte flyes". It is named by its key, which a query finds."""
    write(sample_muscles, db)
    shell = shutil.which("sqlite3") or "sqlite3"
    subprocess.run([shell, str(db)], check=True, text=True, input=(
        "UPDATE exercises SET position = 'a' WHERE muscle = 'deltoideus' AND position = 0;"
        "UPDATE functions SET position = 2.5 WHERE muscle = 'soleus' AND position = 0;"
        "UPDATE points SET position = -1 WHERE muscle = 'trapezius' AND region = 1 "
        "AND position = 4;"), timeout=WAIT)
    _, problems = read_with_diagnostics(db)
    found = []
    for problem in problems:
        named = re.fullmatch(r"(\w+)\[(.+)\]\.(\w+)", problem.field)
        assert named, problem.field
        table, key, column = named.groups()
        where = " AND ".join(f"{c} = {v}" for c, v in (p.split(" ", 1)
                                                      for p in key.split(", ")))
        found.append((problem.code, table, subprocess.run(
            [shell, "-readonly", str(db), f"SELECT quote({column}), count(*) FROM {table} "
             f"WHERE {where}"], capture_output=True, text=True, check=True,
            timeout=WAIT).stdout.split()))
    assert found == [("not-integer", "exercises", ["'a'|1"]),
                     ("not-integer", "functions", ["2.5|2"]),  # (its short and extended)
                     ("bad-value", "points", ["-1|1"])]


@pytest.mark.parametrize("table", ["exercises", "points"])
def test_a_table_made_again_with_text_positions_is_not_read_in_their_text_order(
        table: str, db: Path) -> None:
    """Positions stored as text sort as text: exercises came out e0, e1, e10, e11, e2,
    and a polygon's points out of order made a polygon-self-intersecting error of it."""
    muscle = Muscle(slug="m", title="M", exercises=tuple(f"e{i}" for i in range(12)),
                    regions=(Region(((0, 0), (10, 0), (10, 10), (0, 10))),))
    write([muscle, Muscle(slug="n", title="N")], db)
    columns = {"exercises": ("muscle", "position", "name"),
               "points": ("muscle", "region", "position", "x", "y")}[table]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA legacy_alter_table = ON")  # (the views name the table)
        typed = ", ".join(f"{c} TEXT" if c == "position" else c for c in columns)
        conn.execute(f"CREATE TABLE copied ({typed}, CHECK (typeof(position) = 'text'))")
        conn.execute(f"INSERT INTO copied SELECT {', '.join(columns)} FROM {table}")
        # (its second and third points swapped: in this order, its edges cross)
        conn.execute("UPDATE copied SET position = CASE position WHEN 1 THEN 2 WHEN 2 "
                     "THEN 1 ELSE position END || ''")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE copied RENAME TO {table}")
        conn.commit()
    found, problems = read_with_diagnostics(db)
    row = {"exercises": "exercises[muscle 'm', position '0']",
           "points": "points[muscle 'm', region 0, position '0']"}[table]
    assert ([m.slug for m in found], [(p.field, p.code, p.message) for p in problems]) == (
        ["n"], [(f"{row}.position", "not-integer", "'0' is text, not a whole number "
                 "(position gives the order of the rows); the muscle is left out")])


#: Each table's columns (not the generated ones), and its row given again: as a row of
#: the muscle m, its key's columns as the diagnostic names them.
_GIVEN_AGAIN = {
    "texts": (("id", "muscle", "field", "language", "text"),
              "(NULL, 'm', 'origin', 'en', 'Other')",
              "texts[muscle 'm', field 'origin', language 'en']"),
    "functions": (("id", "muscle", "position", "part", "language", "text"),
                  "(NULL, 'm', 0, 'short', 'en', 'Other')",
                  "functions[muscle 'm', position 0, part 'short', language 'en']"),
    "exercises": (("muscle", "position", "name"), "('m', 1, 'Other')",
                  "exercises[muscle 'm', position 1]"),
    "points": (("muscle", "region", "position", "x", "y"), "('m', 0, 2, '7', '7')",
               "points[muscle 'm', region 0, position 2]"),
}


def test_a_point_of_null_coordinates_in_a_table_made_again_is_not_dropped(db: Path) -> None:
    """A point whose x and y are NULL (points made again without NOT NULL) was taken for
    the row of a region without points and dropped: the polygon read without it."""
    write([Muscle(slug="m", title="M", regions=(Region(((0, 0), (10, 0), (10, 10), (0, 10))),)),
           Muscle(slug="n", title="N")], db)
    columns = _GIVEN_AGAIN["points"][0]
    listed = ", ".join(columns)
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({listed}); "
               f"INSERT INTO copied SELECT {listed} FROM points; DROP TABLE points; "
               "ALTER TABLE copied RENAME TO points; "
               "UPDATE points SET x = NULL, y = NULL WHERE position = 1;")
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], [(p.field, p.code, p.message) for p in problems]) == (
        ["n"], [(f"muscles[m].regions[0].points[1].{axis}", "coords-not-number",
                 "NULL is not a plain number") for axis in "xy"])


@pytest.mark.parametrize("table", ["texts", "functions"])
def test_a_row_of_no_muscle_in_a_table_made_again_without_row_ids_names_its_muscle(
        table: str, db: Path) -> None:
    """It was named texts[rowid None]: PRAGMA foreign_key_check gives no row id there."""
    texts = LocalizedText({"en": "Text"})
    write([Muscle(slug="m", title="M", origin=texts, functions=(Function(texts),))], db)
    columns, again, _ = _GIVEN_AGAIN[table]
    keys = {"texts": "muscle, field, language",
            "functions": "muscle, position, part, language"}[table]
    listed, gone = ", ".join(columns), again.replace("'m'", "'gone'")
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({listed}, "
               f"PRIMARY KEY ({keys}), FOREIGN KEY (muscle) REFERENCES muscles (slug)) "
               f"WITHOUT ROWID; INSERT INTO copied SELECT {listed} FROM {table}; "
               f"DROP TABLE {table}; ALTER TABLE copied RENAME TO {table}; "
               f"INSERT INTO {table} VALUES {gone};")
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], [(p.field, p.code, p.message) for p in problems]) == (
        ["m"], [(f"{table}[muscle 'gone']", "unknown-slug",
                 "1 row of a muscle the database does not hold; left out")])


#: Of each table made again without its foreign key, how a row that names no muscle (or
#: region) and one whose muscle is NULL are named (as the third and fourth of texts and
#: functions: the muscle m has two).
_NO_MUSCLE = {"texts": ("texts[rowid 3]", "texts[rowid 4].muscle"),
              "functions": ("functions[rowid 3]", "functions[rowid 4].muscle"),
              **{table: (f"{table}[muscle 'gone']", f"{table}[muscle NULL].muscle")
                 for table in ("exercises", "regions", "points")}}


@pytest.mark.parametrize("table", sorted(_NO_MUSCLE))
def test_rows_of_no_muscle_in_a_table_made_again_without_its_foreign_key_are_reported(
        table: str, db: Path) -> None:
    """A row naming no muscle, or NULL, was dropped without a word: only PRAGMA
    foreign_key_check finds the first, and only while the table has its foreign key."""
    texts = LocalizedText({"en": "Text", "da": "Tekst"})
    write([Muscle(slug="m", title="M", origin=texts, functions=(Function(texts),),
                  exercises=("a", "b"), regions=(Region(((0, 0), (10, 0), (10, 10))),))],
          db)
    columns, again, _ = {**_GIVEN_AGAIN, "regions": (("muscle", "position"), "('m', 0)",
                                                     "")}[table]
    listed, rows = ", ".join(columns), [again.replace("'m'", name)
                                        for name in ("'gone'", "NULL")]
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({listed}); "
               f"INSERT INTO copied SELECT {listed} FROM {table}; DROP TABLE {table}; "
               f"ALTER TABLE copied RENAME TO {table}; INSERT INTO {table} VALUES "
               f"{', '.join(rows)};")
    gone, null = _NO_MUSCLE[table]
    parent = "a region" if table == "points" else "a muscle"
    by_row = "rowid" in gone
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], [(p.field, p.code, p.message) for p in problems]) == (
        ["m"], [(null, "missing-field", "is NULL: the row names no muscle; it is left out"
                 if by_row else "is NULL: 1 row of no muscle; left out"),
                (gone, "unknown-slug", "names a row of muscles the database does not hold; "
                 "it is left out" if by_row else
                 f"1 row of {parent} the database does not hold; left out")])


#: Of each table made again without column types, how a row whose muscle is the number 5
#: (muscle '5' is text) is named.
_BY_NUMBER = {"texts": "texts[rowid 1].muscle", "functions": "functions[rowid 1].muscle",
              **{table: f"{table}[muscle 5].muscle"
                 for table in ("exercises", "regions", "points")}}


#: How that message counts the rows left out.
_ROWS_LEFT = {"texts": "the row is", "functions": "the row is", "exercises": "the row is",
              "regions": "the row is", "points": "its 3 rows are"}


@pytest.mark.parametrize("table", sorted(_BY_NUMBER))
def test_a_row_naming_its_muscle_by_a_number_is_one_clear_error(table: str, db: Path) -> None:
    """A row whose muscle is the INTEGER 5 (a table made again without types), muscle
    '5' being text, is that muscle's to SQLite's foreign keys (foreign_key_check finds
    nothing wrong), not to a query or the reader: it was "a muscle the database does not
    hold" (unknown-slug), which it holds. It is a wrong-type error naming the row and
    column now, which says what SQLite takes it for, and it is left out."""
    texts = LocalizedText({"en": "Text"})
    write([Muscle(slug="5", title="Five", origin=texts, functions=(Function(texts),),
                  exercises=("a",), regions=(Region(((0, 0), (10, 0), (10, 10))),))], db)
    columns = {**{name: ", ".join(given) for name, (given, _, _) in _GIVEN_AGAIN.items()},
               "regions": "muscle, position, PRIMARY KEY (muscle, position)"}[table]
    parent = ("(muscle, region) REFERENCES regions (muscle, position)" if table == "points"
              else "(muscle) REFERENCES muscles (slug)")
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({columns}, FOREIGN "
               f"KEY {parent}); INSERT INTO copied SELECT "
               f"{columns.split(', PRIMARY')[0]} FROM {table}; DROP TABLE {table}; "
               f"ALTER TABLE copied RENAME TO {table}; UPDATE {table} SET muscle = 5;")
    assert query(db, f"SELECT DISTINCT typeof(muscle) FROM {table}") == [("integer",)]
    # (to SQLite, muscle '5''s rows; points then name a region it does not hold, 5 not
    # being the text of regions' muscle: an unknown-slug of the reader too)
    assert {row[0] for row in query(db, "PRAGMA foreign_key_check")} == (
        {"points"} if table == "regions" else set())
    found, problems = read_with_diagnostics(db)
    (said,) = [p for p in problems if p.field == _BY_NUMBER[table]]
    parent = "a region of muscle" if table == "points" else "muscle"
    assert (said.code, said.message) == ("wrong-type", "is the number 5, not text: SQLite's "
                                         f"foreign keys take it for {parent} '5', a query "
                                         "does not (muscle = '5' finds no row), nor does "
                                         f"this reader: {_ROWS_LEFT[table]} left out; store "
                                         "the slug as text (in a column of type TEXT)")
    assert [(p.field, p.code) for p in problems if p.code == "unknown-slug"] == (
        [("points[muscle '5']", "unknown-slug")] if table == "regions" else [])
    if table != "points":  # (whose polygon is then empty: an error of the muscle)
        assert [m.slug for m in found] == ["5"]


#: Each table that belongs to a muscle made again by hand with its keys but without its
#: foreign key: its columns, and its keys.
_WITHOUT_FOREIGN_KEY = {
    "texts": ("id, muscle, field, language, text",
              "id INTEGER PRIMARY KEY, muscle, field, language, text, "
              "UNIQUE (muscle, field, language)"),
    "functions": ("id, muscle, position, part, language, text",
                  "id INTEGER PRIMARY KEY, muscle, position, part, language, text, "
                  "UNIQUE (muscle, position, part, language)"),
    "exercises": ("muscle, position, name", "muscle, position, name, "
                  "PRIMARY KEY (muscle, position)"),
    "regions": ("muscle, position", "muscle, position, PRIMARY KEY (muscle, position)"),
    "points": ("muscle, region, position, x, y", "muscle, region, position, x, y, "
               "PRIMARY KEY (muscle, region, position)"),
}


@pytest.mark.parametrize("table", sorted(_WITHOUT_FOREIGN_KEY))
def test_a_pruned_muscle_leaves_no_row_in_a_table_made_again_without_its_foreign_key(
        table: str, db: Path) -> None:
    """A prune deleted only the muscle's row, leaving its rows to ON DELETE CASCADE: in a
    table made again without it they stayed (every read then an unknown-slug error, the
    search index still finding the muscle), and later prunes did not clear them."""
    texts = LocalizedText({"en": "Text", "da": "Tekst"})
    kept, gone = (Muscle(slug=slug, title=slug.upper(), origin=texts,
                         functions=(Function(LocalizedText({"en": f"{slug}word"})),),
                         exercises=("a", "b"), regions=(Region(((0, 0), (10, 0), (10, 10))),))
                  for slug in ("m", "gone"))
    write([kept, gone], db)
    listed, made = _WITHOUT_FOREIGN_KEY[table]
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({made}); "
               f"INSERT INTO copied SELECT {listed} FROM {table}; DROP TABLE {table}; "
               f"ALTER TABLE copied RENAME TO {table};")
    assert "1 removed" in write([kept], db, prune=True)
    assert [name for name in _WITHOUT_FOREIGN_KEY if query(
        db, f"SELECT 1 FROM {name} WHERE muscle = 'gone'")] == []
    assert search(db, "gone*") == set()
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], problems) == (["m"], [])


def _untyped(db: Path, table: str, then: str) -> None:
    """Make ``table`` of ``db`` again without column types (its key and foreign key
    kept), as another program may, then run ``then`` (``{table}``: its name) on it."""
    listed, made = _WITHOUT_FOREIGN_KEY[table]
    parent = ("(muscle, region) REFERENCES regions (muscle, position)" if table == "points"
              else "(muscle) REFERENCES muscles (slug)")
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({made}, FOREIGN KEY "
               f"{parent} ON DELETE CASCADE); INSERT INTO copied SELECT {listed} FROM {table}; "
               f"DROP TABLE {table}; ALTER TABLE copied RENAME TO {table}; "
               + then.format(table=table) + ";")


@pytest.mark.parametrize("table", sorted(_WITHOUT_FOREIGN_KEY))
@pytest.mark.parametrize("changed", [True, False], ids=["changed", "unchanged"])
def test_a_write_of_a_muscle_replaces_its_rows_that_name_it_by_a_number(
        table: str, changed: bool, db: Path) -> None:
    """The rows of muscle '5' whose muscle is the number 5 (a table made again without
    types, with its key) stayed through a write of that muscle, whose statements (muscle
    = '5') do not find them, beside the rows it wrote: every read then a wrong-type error
    until fixed by hand. A write of the muscle replaces them now, one unchanged too (then
    counted as updated), and the database reads back without a word."""
    texts = LocalizedText({"en": "Text"})
    five = Muscle(slug="5", title="Five", origin=texts, functions=(Function(texts),),
                  exercises=("a",), regions=(Region(((0, 0), (10, 0), (10, 10))),))
    write([five], db)
    _untyped(db, table, "UPDATE {table} SET muscle = 5")
    assert query(db, f"SELECT DISTINCT typeof(muscle) FROM {table}") == [("integer",)]
    written = replace(five, origin=LocalizedText({"en": "Word"}), functions=(
        Function(LocalizedText({"en": "Word"})),)) if changed else five
    assert write([written], db) == f"{db}: " + counts(0, 1, 0, 0)
    assert query(db, f"SELECT DISTINCT typeof(muscle) FROM {table}") == [("text",)]
    assert read_with_diagnostics(db) == ([written], [])
    assert search(db, "word" if changed else "text") == {"5"}


#: Each column of a muscle's rows that holds an integer, by its table.
_INTEGER_KEYS = {"functions": ("position",), "exercises": ("position",),
                 "regions": ("position",), "points": ("region", "position")}


@pytest.mark.parametrize(("table", "column"), [(table, column) for table, columns in
                                               _INTEGER_KEYS.items() for column in columns])
@pytest.mark.parametrize("changed", [True, False], ids=["changed", "unchanged"])
def test_a_real_put_in_an_integer_column_is_written_again_as_an_integer(
        table: str, column: str, changed: bool, sample_muscles: list[Muscle],
        db: Path) -> None:
    """A REAL 1.0 put in for the INTEGER 1 (a table made again without types) is equal
    to it to SQLite and to Python, not of its type: an unchanged muscle so edited was
    \"unchanged\" (its rows compared by value only), a changed one kept it (its upserts
    find the row of that key), so the database differed from a fresh write (typeof). The
    muscle is written again now, its rows of that table integers as a fresh write's."""
    write(sample_muscles, db)
    _untyped(db, table, f"UPDATE {{table}} SET {column} = {column} + 0.0 "
                        "WHERE muscle = 'soleus'")
    typed = f"SELECT DISTINCT typeof({column}) FROM {table} WHERE muscle = 'soleus'"
    assert query(db, typed) == [("real",)]
    written = [replace(m, title="Soleus (edited)") if changed and m.slug == "soleus" else m
               for m in sample_muscles]
    assert write(written, db).startswith(f"{db}: " + counts(0, 1, len(written) - 1, 0))
    assert query(db, typed) == [("integer",)]
    assert write(written, db).startswith(f"{db}: " + counts(0, 0, len(written), 0))
    assert read_with_diagnostics(db) == (by_slug(written), [])


@pytest.mark.parametrize("table", sorted(_WITHOUT_FOREIGN_KEY))
def test_a_prune_keeps_the_rows_that_name_a_kept_muscle_by_a_number(
        table: str, db: Path, tmp_path: Path) -> None:
    """A prune removes the rows that name no muscle the database holds; the rows of muscle
    '5' whose muscle is the number 5 (a table made again without types), which SQLite's
    foreign keys take for that muscle's, are not such rows while it is kept (its file
    not read, so it is not written either), nor the points of a region named so."""
    for part, name in (("a", "other"), ("b", "5")):
        (tmp_path / part).mkdir()
        (tmp_path / part / f"{name}.md").write_text(
            f"---\ntitle: T{name}\norigin:\n  en: Text\nfunction:\n  - short:\n      en: F\n"
            "exercises:\n  - a\ncoords:\n  - \"0,0,10,0,10,10\"\n---\n", encoding="utf-8")
    assert _cli_sqlite(db, str(tmp_path / "a"), str(tmp_path / "b"))[0] == 0
    _untyped(db, table, "UPDATE {table} SET muscle = 5 WHERE muscle = '5'")
    before = {name: sorted(query(db, f"SELECT * FROM {name}"), key=repr)
              for name in _WITHOUT_FOREIGN_KEY}
    assert query(db, f"SELECT count(*) FROM {table} WHERE typeof(muscle) = 'integer'")[0][0]
    code, output = _cli("convert", str(tmp_path / "a"), "--to", "sqlite", "-o", str(db),
                        "--prune", "--no-cache")
    assert code == 0, output
    assert "(1 not removed: its source file still exists" in output
    assert {name: sorted(query(db, f"SELECT * FROM {name}"), key=repr)
            for name in _WITHOUT_FOREIGN_KEY} == before


#: The key a muscle's rows of each table are updated by (after muscle).
_UPSERT_KEYS = {"texts": "field, language", "functions": "position, part, language",
                "exercises": "position", "regions": "position", "points": "region, position"}


@pytest.mark.parametrize("table", sorted(_UPSERT_KEYS))
def test_a_table_made_again_without_its_key_stops_an_update_with_one_clear_error(
        table: str, db: Path) -> None:
    """A table made again without its key (a UNIQUE or PRIMARY KEY of muscle and the rest
    of it) made the update of a muscle with rows there "SQLite failed: ON CONFLICT clause
    does not match any PRIMARY KEY or UNIQUE constraint": it is one error naming the
    table and the key it lacks now, and what to do; nothing is changed."""
    texts = LocalizedText({"en": "Text"})
    muscle = Muscle(slug="m", title="M", origin=texts, functions=(Function(texts),),
                    exercises=("a",), regions=(Region(((0, 0), (10, 0), (10, 10))),))
    write([muscle], db)
    columns = _WITHOUT_FOREIGN_KEY[table][0]
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({columns}); INSERT "
               f"INTO copied SELECT {columns} FROM {table}; DROP TABLE {table}; ALTER TABLE "
               f"copied RENAME TO {table};")
    before = db.read_bytes()
    changed = replace(muscle, origin=LocalizedText({"en": "New"}), functions=(
        Function(LocalizedText({"en": "New"})),), exercises=("b",),
        regions=(Region(((0, 0), (20, 0), (20, 20))),))
    key = f"muscle, {_UPSERT_KEYS[table]}"
    for write_it in (lambda: converter.write([changed], db, "sqlite"),
                     lambda: converter.write([changed], db, "sqlite", prune=True)):
        with pytest.raises(MuscleError) as caught:
            write_it()
        assert [(d.path, d.field, d.code) for d in caught.value.diagnostics] == [
            (str(db), "", "sqlite-error")]
        assert caught.value.diagnostics[0].message == (
            f"its table {table} has no PRIMARY KEY or UNIQUE constraint on ({key}) (it was "
            "made again without it), by which muscle-convert finds the rows it updates there; "
            f"make that table again with UNIQUE ({key}), or write a fresh database (into "
            "a new file); nothing is changed")
        assert db.read_bytes() == before


@pytest.mark.parametrize(("table", "said"), [
    ("regions", "its table points has a foreign key that refers to 'regions_old', a table "
     "the database does not hold (renaming a table, as ALTER TABLE regions RENAME TO "
     "regions_old does to make regions again, renames it in the foreign keys that refer to "
     "it too, and that table was dropped since), which stops every write into the "
     "database; make that table again with its foreign key referring to regions (muscle, "
     "position), or write a fresh database (into a new file); nothing is changed"),
    ("muscles", "its tables texts, functions, exercises, regions have foreign keys that "
     "refer to 'muscles_old', a table the database does not hold (renaming a table, as "
     "ALTER TABLE muscles RENAME TO muscles_old does to make muscles again, renames it in "
     "the foreign keys that refer to it too, and that table was dropped since), which "
     "stops every write into the database; make each of them again with its foreign key "
     "referring to muscles (slug), or write a fresh database (into a new file); nothing "
     "is changed")])
def test_a_table_made_again_by_renaming_it_away_is_one_clear_error(
        table: str, said: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A table made again by hand as renamed away, made anew and copied into, and dropped
    (ALTER TABLE regions RENAME TO regions_old; CREATE TABLE regions ...; INSERT ...;
    DROP TABLE regions_old) left the foreign keys that referred to it referring to
    regions_old (SQLite renames a table there too): every write after it was SQLite's
    bare "no such table: main.regions_old", naming no table of the database. It names
    the tables whose foreign key refers to it, and what to do; nothing is changed."""
    write(sample_muscles, db)
    (made,) = query(db, "SELECT sql FROM sqlite_master WHERE name = ?", table)[0]
    _shell(db, f"ALTER TABLE {table} RENAME TO {table}_old; {made}; INSERT INTO {table} "
               f"SELECT * FROM {table}_old; DROP TABLE {table}_old;")
    before = db.read_bytes()
    for corpus in (sample_muscles, _soleus_edited(sample_muscles)):
        with pytest.raises(MuscleError) as caught:
            converter.write(corpus, db, "sqlite")
        assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [
            (str(db), "", "sqlite-error", said)]
        assert db.read_bytes() == before


#: Tables made again with their key in another collation than their columns'.
_COLLATED = {
    "muscles": "slug TEXT NOT NULL, id INTEGER NOT NULL UNIQUE, title TEXT NOT NULL, latin "
               "TEXT, image TEXT, image_focus TEXT, body TEXT NOT NULL DEFAULT '', extra TEXT "
               "NOT NULL DEFAULT '{}', source TEXT, content_hash TEXT NOT NULL, PRIMARY KEY "
               "(slug COLLATE NOCASE)",
    "regions": "muscle TEXT NOT NULL REFERENCES muscles (slug), position INTEGER NOT NULL, "
               "PRIMARY KEY (muscle COLLATE NOCASE, position)",
    "texts": "id INTEGER PRIMARY KEY, muscle TEXT NOT NULL REFERENCES muscles (slug), field "
             "TEXT NOT NULL, language TEXT NOT NULL, text TEXT NOT NULL, "
             "UNIQUE (muscle COLLATE NOCASE, field, language)",
    "points": "muscle TEXT NOT NULL, region INTEGER NOT NULL, position INTEGER NOT NULL, x TEXT "
              "NOT NULL, y TEXT NOT NULL, PRIMARY KEY (muscle COLLATE NOCASE, region, "
              "position), FOREIGN KEY (muscle, region) REFERENCES regions (muscle, position)",
}


@pytest.mark.parametrize(("table", "said"), [
    ("muscles", "its table muscles has its key (slug COLLATE NOCASE) in another collation "
     "than its columns' (it was made again so), which the foreign key of regions that refers "
     "to it cannot use; make that table again with UNIQUE (slug), no COLLATE there, or write "
     "a fresh database (into a new file); nothing is changed"),
    ("regions", "its table regions has its key (muscle COLLATE NOCASE, position COLLATE "
     "BINARY) in another collation than its columns' (it was made again so), which the "
     "foreign key of points that refers to it cannot use; make that table again with UNIQUE "
     "(muscle, position), no COLLATE there, or write a fresh database (into a new file); "
     "nothing is changed"),
    ("texts", None), ("points", None)])
def test_a_key_made_again_in_another_collation_is_used_or_one_clear_error(
        table: str, said: str | None, db: Path) -> None:
    """A key made again in another collation than its columns' (UNIQUE (muscle COLLATE
    NOCASE, ...)) was taken for the key, so an update that the foreign keys referring to
    it cannot use failed with SQLite's "foreign key mismatch - "regions" referencing
    "muscles"". That is one error now naming the table, its key and what to do, nothing
    changed; a key the updates alone use (texts, points) serves them, as SQLite takes it."""
    texts = LocalizedText({"en": "Text"})
    muscle = Muscle(slug="m", title="M", origin=texts, functions=(Function(texts),),
                    exercises=("a",), regions=(Region(((0, 0), (10, 0), (10, 10))),))
    write([muscle], db)
    columns = _WITHOUT_FOREIGN_KEY.get(table, ("*",))[0]
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({_COLLATED[table]}); "
               f"INSERT INTO copied SELECT {columns} FROM {table}; DROP TABLE {table}; ALTER "
               f"TABLE copied RENAME TO {table};")
    before = db.read_bytes()
    changed = replace(muscle, origin=LocalizedText({"en": "New"}), regions=(
        Region(((0, 0), (20, 0), (20, 20))), Region(((0, 0), (5, 0), (5, 5)))))
    if said is None:
        assert write([changed], db) == f"{db}: " + counts(0, 1, 0, 0)
        assert read_with_diagnostics(db) == ([changed], [])
        return
    with pytest.raises(MuscleError) as caught:
        converter.write([changed], db, "sqlite")
    assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(db), "", "sqlite-error", said)]
    assert db.read_bytes() == before


@pytest.mark.parametrize(("refers", "key", "mine"), [
    ("muscles (title)", "slug", " (a muscle's slug: lowercase ASCII letters, digits and "
     "hyphens, one spelling of its name, which a write never changes; a title is text as "
     "written, which two muscles may share, compared byte for byte)"),
    ("regions (muscle)", "muscle, position", "")])
def test_a_users_foreign_key_to_what_is_no_key_is_one_clear_error(
        refers: str, key: str, mine: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A table of the user's whose foreign key refers to a column that is no key of the
    tool's table (muscles (title): titles are neither unique nor one spelling, slugs are)
    made every write that changes a muscle fail with SQLite's "foreign key mismatch -
    "notes" referencing "muscles"", saying nothing of what to do. It is one error now,
    naming the table, what it refers to and the key to refer to; nothing is changed."""
    write(sample_muscles, db)
    _shell(db, f"CREATE TABLE notes (ref TEXT REFERENCES {refers}, note TEXT); "
               "INSERT INTO notes VALUES ('soleus', 'n');")
    before = db.read_bytes()
    parent = refers.split()[0]
    for changed in ([replace(m, title=f"{m.title}!") for m in sample_muscles],
                    sample_muscles[1:]):
        with pytest.raises(MuscleError) as caught:
            converter.write(changed, db, "sqlite", prune=True)
        assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [
            (str(db), "", "sqlite-error", f"holds your table 'notes', whose foreign key refers "
             f"to {refers}, which is no key of {parent}: SQLite refuses every change to "
             f"{parent} while it is there (foreign key mismatch); refer to {parent} ({key}), "
             f"its key{mine}, or drop that foreign key, and run again; nothing is changed")]
        assert db.read_bytes() == before
    _shell(db, "DROP TABLE notes")  # (PRAGMA foreign_key_check fails on it too)
    assert write(sample_muscles[1:], db, prune=True) == f"{db}: " + counts(
        0, 0, len(sample_muscles) - 1, 1)



@pytest.mark.parametrize(("child", "refers", "named"), [
    ("notes", "Muscles (title)", "'notes'"),
    ('"my ""notes"""', '"MUSCLES" (title)', "'my \"notes\"'"),
    ('"x"" referencing ""y"', "muscles (title)", "'x\" referencing \"y'")])
def test_a_users_foreign_key_naming_the_table_in_another_case_is_one_clear_error(
        child: str, refers: str, named: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A foreign key to what is no key of the tool's table, naming that table in another
    case (REFERENCES Muscles (title)), or from a table whose name holds a ``"`` (which
    SQLite's message doubles), was SQLite's bare "foreign key mismatch": the table was
    looked for as SQLite spells it, case and doubled quotes kept. SQLite's names are
    compared as it compares them (ASCII letters in either case), its quotes undoubled:
    it is the clear error naming the table, what it refers to and the key to refer to."""
    write(sample_muscles, db)
    _shell(db, f"CREATE TABLE {child} (ref TEXT REFERENCES {refers}, note TEXT);")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write([replace(m, title=f"{m.title}!") for m in sample_muscles], db,
                        "sqlite")
    assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(db), "", "sqlite-error", f"holds your table {named}, whose foreign key refers "
         "to muscles (title), which is no key of muscles: SQLite refuses every change to "
         "muscles while it is there (foreign key mismatch); refer to muscles (slug), its "
         "key (a muscle's slug: lowercase ASCII letters, digits and hyphens, one spelling "
         "of its name, which a write never changes; a title is text as written, which two "
         "muscles may share, compared byte for byte), or drop that foreign key, and run "
         "again; nothing is changed")]
    assert db.read_bytes() == before


#: Muscles made again by hand without NOT NULL on slug, and a muscle of a NULL slug put in.
_NULL_SLUG = ("PRAGMA legacy_alter_table = ON; CREATE TABLE copied (slug TEXT PRIMARY KEY, "
              "id INTEGER NOT NULL UNIQUE, title TEXT NOT NULL, latin TEXT, image TEXT, "
              "image_focus TEXT, body TEXT NOT NULL DEFAULT '', extra TEXT NOT NULL DEFAULT "
              "'{}', source TEXT, content_hash TEXT NOT NULL); INSERT INTO copied SELECT * "
              "FROM muscles; DROP TABLE muscles; ALTER TABLE copied RENAME TO muscles; "
              "INSERT INTO muscles (slug, id, title, content_hash) VALUES (NULL, 9, 'N', 'h');")


@pytest.mark.parametrize(("table", "row"), [("exercises", "('gone', 0, 'E')"),
                                            ("regions", "('gone', 0)")])
def test_a_row_of_no_muscle_is_reported_beside_a_muscle_of_a_null_slug(
        table: str, row: str, db: Path) -> None:
    """Rows of exercises or regions naming no muscle were found with NOT IN (SELECT slug
    FROM muscles), which is NULL once a slug is: they were left out without a word."""
    write([Muscle(slug="m", title="M")], db)
    _shell(db, f"{_NULL_SLUG} INSERT INTO {table} VALUES {row};")
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["m"]
    assert [(p.field, p.code) for p in problems if p.code == "unknown-slug"] == [
        (f"{table}[muscle 'gone']", "unknown-slug")]


def test_a_muscle_of_a_null_slug_is_named_by_null(db: Path) -> None:
    """Such a muscle was named by Python's None (muscles[None].slug, give muscle None),
    where every other diagnostic says NULL."""
    write([Muscle(slug="m", title="M")], db)
    _shell(db, f"{_NULL_SLUG} UPDATE muscles SET id = 'abc' WHERE slug IS NULL;")
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], [(p.field, p.code) for p in problems]) == (
        ["m"], [("muscles[NULL].slug", "wrong-type")])
    with pytest.raises(MuscleError) as exc:
        converter.write([Muscle(slug="m", title="M2")], db, "sqlite")
    (problem,) = exc.value.diagnostics
    assert (problem.field, problem.code) == ("muscles[NULL].id", "bad-value")
    assert "give muscle NULL an integer id" in problem.message


@pytest.mark.parametrize("table", sorted(_GIVEN_AGAIN))
def test_a_row_given_twice_in_a_table_made_again_without_its_key_is_an_error(
        table: str, db: Path) -> None:
    """A text or function text given twice was read as the last row without a word (the
    other lost), an exercise or point twice as one more."""
    texts = LocalizedText({"en": "Text"})
    write([Muscle(slug="m", title="M", origin=texts, functions=(Function(texts),),
                  exercises=("a", "b"), regions=(Region(((0, 0), (10, 0), (10, 10))),)),
           Muscle(slug="n", title="N")], db)
    columns, again, row = _GIVEN_AGAIN[table]
    listed = ", ".join(columns)
    _shell(db, f"PRAGMA legacy_alter_table = ON; CREATE TABLE copied ({listed}); "
               f"INSERT INTO copied SELECT {listed} FROM {table}; DROP TABLE {table}; "
               f"ALTER TABLE copied RENAME TO {table}; INSERT INTO {table} VALUES {again};")
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], [(p.field, p.code, p.message) for p in problems]) == (
        ["n"], [(row, "duplicate-key", "occurs twice (in a table made again without its "
                 "key): which row is meant is not known; the muscle is left out")])


def test_a_region_given_twice_is_a_duplicate_region_not_a_duplicate_point(db: Path) -> None:
    """Regions and points made again without their keys, a region given again: each of
    its points was read twice in the join, the first said to be a point given twice."""
    write([Muscle(slug="m", title="M", regions=(Region(((0, 0), (10, 0), (10, 10))),)),
           Muscle(slug="n", title="N")], db)
    made_again = "".join(
        f"CREATE TABLE copied ({listed}); INSERT INTO copied SELECT {listed} FROM {table}; "
        f"DROP TABLE {table}; ALTER TABLE copied RENAME TO {table}; "
        for table, listed in (("points", ", ".join(_GIVEN_AGAIN["points"][0])),
                              ("regions", "muscle, position")))
    _shell(db, f"PRAGMA legacy_alter_table = ON; {made_again}"
               "INSERT INTO regions VALUES ('m', 0);")
    found, problems = read_with_diagnostics(db)
    assert ([m.slug for m in found], [(p.field, p.code, p.message) for p in problems]) == (
        ["n"], [("regions[muscle 'm', position 0]", "duplicate-key", "occurs twice (in a "
                 "table made again without its key): which row is meant is not known; the "
                 "muscle is left out")])


def test_a_row_of_the_wrong_shape_reports_the_muscles_other_problems_too(
        db: Path) -> None:
    """An extra that is no JSON, a row of texts or functions of no kind, a coordinate
    that is none was the muscle's one error (or errors); its other problems (an empty
    title, a bad language, a bad coordinate) were said a run later. The function
    with a row of no kind says nothing more (what it was meant to hold is not known)."""
    write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B"),
           Muscle(slug="c", title="C", regions=(Region(((1, 1), (5, 1), (5, 5))),),
                  functions=(Function(LocalizedText.of({"en": "flex"})),)),
           Muscle(slug="d", title="D")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE muscles SET extra = '{broken', title = '' WHERE slug = 'a'")
        conn.execute("INSERT INTO texts (muscle, field, language, text) VALUES "
                     "('b', 'Origin', 'en', 'x'), "
                     "('b', 'insertion', 'Not a code', 'y')")
        conn.execute("UPDATE points SET x = 'abc' WHERE muscle = 'c' AND position = 0")
        conn.execute("UPDATE points SET y = '-3' WHERE muscle = 'c' AND position = 2")
        conn.execute("UPDATE functions SET part = 'long' WHERE muscle = 'c'")
        conn.execute("UPDATE muscles SET image = x'00' WHERE slug = 'c'")
        conn.commit()
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["d"]
    assert [(p.field, p.code) for p in problems] == [
        ("muscles[a].extra", "bad-json"), ("muscles[a].title", "empty-field"),
        ("muscles[b]", "bad-value"), ("muscles[b].insertion.Not a code", "bad-language"),
        ("muscles[c]", "bad-value"), ("muscles[c].regions[0].points[0].x",
                                       "coords-not-number"),
        ("muscles[c].regions[0].points[2].y", "coords-negative"),
        ("muscles[c].image", "wrong-type")]


#: One row of soleus's in each table this format writes (the one row of id_sequence).
_ONE_ROW = {
    "muscles": "slug = 'soleus'",
    "texts": "id = (SELECT min(id) FROM texts WHERE muscle = 'soleus')",
    "functions": "id = (SELECT min(id) FROM functions WHERE muscle = 'soleus')",
    "exercises": "muscle = 'soleus' AND position = 0",
    "regions": "muscle = 'soleus' AND position = 0",
    "points": "muscle = 'soleus' AND region = 0 AND position = 0",
    "id_sequence": "1",
}
#: Every column a user can set to a BLOB of each table of :data:`_ONE_ROW` (not the
#: rowids, texts.id and functions.id, which SQLite keeps integers).
_COLUMNS = [
    "muscles.slug", "muscles.id", "muscles.title", "muscles.latin", "muscles.image",
    "muscles.image_focus", "muscles.body", "muscles.extra", "muscles.source",
    "muscles.content_hash", "texts.muscle", "texts.field", "texts.language",
    "texts.text", "functions.muscle", "functions.position",
    "functions.part", "functions.language", "functions.text", "exercises.muscle",
    "exercises.position", "exercises.name", "regions.muscle", "regions.position",
    "points.muscle", "points.region", "points.position", "points.x", "points.y",
    "id_sequence.last_id"]


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the samples, to copy and edit."""
    made = tmp_path_factory.mktemp("samples") / "muscles.db"
    assert _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(made))[0] == 0
    return made


def test_the_blob_fuzz_sets_every_column_of_every_table(samples_db: Path, db: Path) -> None:
    """:data:`_COLUMNS` is every column of the tables a database is written with but the
    search index's, the generated ones and the rowids, so a column added later is fuzzed
    too."""
    shutil.copyfile(samples_db, db)
    found = [f"{table}.{name}" for table in _ONE_ROW for _, name, *_, hidden in query(
        db, f"PRAGMA table_xinfo({table})") if not hidden]
    assert sorted(found) == sorted([*_COLUMNS, "texts.id", "functions.id"])
    for rowid in ("texts", "functions"):
        with pytest.raises(sqlite3.IntegrityError, match="datatype mismatch"):
            query(db, f"UPDATE {rowid} SET id = x'ff'")
    assert {name for (name,) in query(db, "SELECT name FROM sqlite_master WHERE type = "
                                      "'table' AND name NOT LIKE 'search%'")} == set(_ONE_ROW)


@pytest.mark.parametrize("blob", ["x'ff'", "zeroblob(0)"])
@pytest.mark.parametrize("column", _COLUMNS)
def test_a_blob_in_any_column_is_a_diagnostic_and_the_other_muscles_are_read(
        column: str, blob: str, samples_db: Path, db: Path) -> None:
    """A BLOB as a muscle's body or extra stopped the run with "TypeError: Object of type
    bytes is not JSON serializable" (read() too); it is an error of that muscle (or of
    the row, or of none), and the other muscles are read."""
    table, name = column.split(".")
    shutil.copyfile(samples_db, db)
    _shell(db, f"PRAGMA ignore_check_constraints = ON; "
               f"UPDATE {table} SET {name} = {blob} WHERE {_ONE_ROW[table]};")
    found, problems = read_with_diagnostics(db)
    assert {m.slug for m in found} >= {p.stem for p in SAMPLES.glob("*.md")} - {"soleus"}
    assert all((p.path, p.severity) == (str(db), "error") for p in problems)
    assert not [p for p in problems if re.search(r"\bb'", p.field + p.message)]
    if problems:
        with pytest.raises(MuscleError):
            converter.read(db)


@pytest.mark.parametrize(("edit", "field", "said"), [
    ("UPDATE muscles SET slug = x'ff' WHERE slug = 'soleus'", "muscles[x'ff'].slug",
     "is required and must be text"),
    ("UPDATE texts SET field = x'ff' WHERE muscle = 'soleus' AND field = 'origin' AND "
     "language = 'en'", "muscles[soleus]", "a row of texts has field x'ff', which is not "
     "origin or insertion; the muscle is left out"),
    ("UPDATE functions SET part = x'' WHERE muscle = 'soleus' AND position = 0 AND "
     "part = 'short' AND language = 'en'", "muscles[soleus]", "a row of functions has part "
     "x'', which is not short or extended; the muscle is left out"),
    ("UPDATE exercises SET muscle = x'ff' WHERE muscle = 'soleus' AND position = 0",
     "exercises[muscle x'ff']", "1 row of a muscle the database does not hold; left out")])
def test_a_blob_is_named_as_sql_writes_it(edit: str, field: str, said: str,
                                          samples_db: Path, db: Path) -> None:
    """A BLOB slug, text field or function part, and a row of a BLOB muscle, were shown
    as Python's bytes (``muscles[b'\\xff']``, ``field b''``); it is ``x'ff'``, as a
    query that finds the row writes it."""
    shutil.copyfile(samples_db, db)
    _shell(db, f"PRAGMA ignore_check_constraints = ON; {edit};")
    _, problems = read_with_diagnostics(db)
    assert (field, said) in [(p.field, p.message) for p in problems]


@pytest.mark.parametrize(("column", "line"), [
    ("body", "muscles[soleus].body: must be text, not binary data [wrong-type]"),
    ("extra", "muscles[soleus].extra: must be an object, not binary data [wrong-type]")])
def test_a_blob_as_body_or_extra_is_wrong_type_as_a_blob_title_is(
        column: str, line: str, samples_db: Path, db: Path) -> None:
    """It was a raw traceback (TypeError), exit 1, without an error line."""
    shutil.copyfile(samples_db, db)
    _shell(db, f"PRAGMA ignore_check_constraints = ON; "
               f"UPDATE muscles SET {column} = x'7b7d' WHERE slug = 'soleus';")
    code, output = _cli("validate", str(db))
    assert code == 1
    assert [row for row in output.splitlines() if ": error: " in row] == [f"{db}: error: {line}"]
    assert "14 muscles valid, 1 file failed" in output


def test_extra_nested_deeper_than_json_parses_is_too_deep_at_its_key(db: Path) -> None:
    """It was a bad-json "nested too deeply" error of extra; it is the too-deep error of
    any deep extra, at its key."""
    extra = '{"a": ' + "[" * 5000 + "]" * 5000 + "}"
    write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE muscles SET extra = ? WHERE slug = 'a'", (extra,))
        conn.commit()
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["b"]
    assert [(p.path, p.field, p.code) for p in problems] == [
        (str(db), "muscles[a].extra.a", "too-deep")]


# ------------------------------------------------------------------ failed and killed runs


def _crashing(muscles: list[Muscle], after: int) -> Iterator[Muscle]:
    yield from muscles[:after]
    raise RuntimeError("the reader crashed")


@pytest.mark.parametrize("after", [2, 12])  # before / after the search index is detached
def test_failed_update_leaves_the_database_as_it_was(
        sample_muscles: list[Muscle], db: Path, monkeypatch: pytest.MonkeyPatch,
        after: int) -> None:
    monkeypatch.setattr(sqlite_format.loading, "BATCH", 2)
    write(sample_muscles[:10], db)
    before = db.read_bytes()
    changed = [replace(m, title=m.title + " (changed)") for m in sample_muscles]
    with pytest.raises(RuntimeError, match="crashed"):
        converter.write(_crashing(changed, after), db, "sqlite", prune=True)
    assert db.read_bytes() == before
    assert_consistent(db)
    assert converter.read(db) == by_slug(sample_muscles[:10])


def test_failed_fresh_write_leaves_nothing(sample_muscles: list[Muscle], db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_format.loading, "BATCH", 2)
    with pytest.raises(RuntimeError, match="crashed"):
        converter.write(_crashing(sample_muscles, 9), db, "sqlite")
    assert list(db.parent.iterdir()) == []


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Two generated corpora of the same 3000 slugs with different content, and a
    database of the first."""
    root = tmp_path_factory.mktemp("corpus")
    for name, seed in (("first", "1"), ("second", "2")):
        subprocess.run([sys.executable, str(GEN_CORPUS), str(root / name), "--count", "3000",
                        "--seed", seed], check=True, capture_output=True, timeout=WAIT)
    base = root / "base.db"
    converter.write(converter.read(root / "first"), base, "sqlite")
    return root / "first", root / "second", base


def _convert_command(source: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "converter", "convert", str(source), "--to", "sqlite",
            "-o", str(db), "--jobs", "1", "--quiet"]


def test_killed_update_leaves_the_database_intact(big_corpus: tuple[Path, Path, Path],
                                                  tmp_path: Path) -> None:
    first, second, base = big_corpus
    db = tmp_path / "muscles.db"
    shutil.copy(base, db)
    before = db.read_bytes()
    journal = db.with_name(db.name + "-journal")
    killed = kill_while(_convert_command(second, db), journal.exists, delay=0.3)
    if killed:
        assert journal.exists()  # the kill really came inside the write transaction
        assert_consistent(db, after_kill=True)
        assert db.read_bytes() == before
        assert converter.read(db) == by_slug(converter.read(first))
        write([Muscle(slug="after-the-kill", title="Still usable")], db)  # cleans up
    else:  # it finished before it could be killed: then it must be complete
        assert_consistent(db)
        assert converter.read(db) == by_slug(converter.read(second))


def test_killed_fresh_write_leaves_no_database(big_corpus: tuple[Path, Path, Path],
                                               tmp_path: Path) -> None:
    first, _, _ = big_corpus
    db = tmp_path / "muscles.db"
    killed = kill_while(_convert_command(first, db),
                        lambda: any(tmp_path.glob(".muscles.db.*.tmp")), delay=0.3)
    if killed:
        assert not db.exists()
        leftovers = [p.name for p in tmp_path.iterdir()]
        assert all(name.startswith(".muscles.db.") for name in leftovers), leftovers
    else:
        assert_consistent(db)
        assert converter.read(db) == by_slug(converter.read(first))


#: A ``convert --to sqlite`` run (its arguments after the database and the signal's
#: name) that sends itself that signal after a batch of its update, mid-transaction:
#: its journal made and, SQLite's page cache kept tiny, pages of the database changed.
_SIGNALLED_UPDATE = """
import os, signal, sys
import formats.sqlite as sqlite_format
from converter.cli import main
db, ending = sys.argv[1], getattr(signal, sys.argv[2])
real_connect, real_flush = sqlite_format.writing._connect, sqlite_format.rows._Batch.flush
def connect(*args, **kwargs):
    conn = real_connect(*args, **kwargs)
    conn.execute("PRAGMA cache_size = 2")
    return conn
def flush(batch, conn):
    real_flush(batch, conn)
    if conn.in_transaction and os.path.exists(db + "-journal"):
        os.kill(os.getpid(), ending)
sqlite_format.writing._connect, sqlite_format.rows._Batch.flush = connect, flush
sqlite_format.loading.BATCH = 2
sys.argv = ["muscle-convert", "convert", *sys.argv[3:], "-o", db]
main()
"""


@pytest.mark.parametrize(("ending", "status"), [("SIGTERM", -15), ("SIGHUP", -1),
                                                ("SIGINT", 130)])
def test_a_signal_during_an_update_rolls_it_back(ending: str, status: int, db: Path,
                                                 tmp_path: Path) -> None:
    """SIGTERM or SIGHUP during an update of an existing database ended the run at once,
    mid-transaction: a hot journal beside a changed database (Ctrl-C rolled it back)."""
    write(converter.read(SAMPLES), db)
    before = db.read_bytes()
    changed = _retitled_samples(tmp_path)
    done = subprocess.run([sys.executable, "-c", _SIGNALLED_UPDATE, str(db), ending,
                           str(changed), "--to", "sqlite", "--jobs", "1", "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=WAIT)
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changed", "muscles.db"]
    assert db.read_bytes() == before
    assert_consistent(db)


@pytest.mark.parametrize(("ending", "status"), [("SIGTERM", -15), ("SIGHUP", -1),
                                                ("SIGINT", 130)])
def test_a_signal_while_an_update_waits_for_the_database_ends_it_at_once(
        ending: str, status: int, db: Path) -> None:
    """Ctrl-C while an update's BEGIN IMMEDIATE waited for a database another program
    held was taken only when SQLite's 30 seconds of waiting ended; it is taken at once
    now, as SIGTERM and SIGHUP are (nothing is written yet)."""
    write(converter.read(SAMPLES), db)
    before = db.read_bytes()
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        returncode, stderr = signal_waiting([*_convert_command(SAMPLES, db), "--no-cache"],
                                            db, getattr(signal, ending),
                                            within=sqlite_format.BUSY_SECONDS / 3)
    assert returncode == status, stderr
    assert stderr.strip().splitlines() == (["Aborted!"] if ending == "SIGINT" else [])
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["muscles.db"]


@pytest.mark.parametrize("cached", [False, True], ids=["update", "patch"])
def test_an_update_waits_for_a_database_another_program_holds_whole(cached: bool,
                                                                    tmp_path: Path) -> None:
    """An update of a database another program held whole (``BEGIN EXCLUSIVE``: another
    run writing it) failed at once with "database is locked", with the cache too (its
    shortcut gives way to the full update): the page cache's PRAGMA read the database
    before the ``BEGIN IMMEDIATE`` that waits. It waits now, and writes once the other
    lets go."""
    source, db = tmp_path / "src", tmp_path / "muscles.db"
    shutil.copytree(SAMPLES, source)
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "MUSCLE_CONVERT_CACHE_DIR": str(tmp_path / "cache")}
    command = [*_convert_command(source, db), *([] if cached else ["--no-cache"])]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env,
                           check=False, timeout=WAIT)
    assert first.returncode == 0, first.stderr
    soleus = source / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: New "),
                      encoding="utf-8")
    before = db.read_bytes()
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            until_waiting(process, db)
            assert db.read_bytes() == before  # (nothing written while it is held)
            holder.execute("ROLLBACK")
            _, stderr = process.communicate(timeout=WAIT)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=WAIT)
    assert process.returncode == 0, stderr
    assert {m.slug for m in converter.read(db) if m.title.startswith("New ")} == {"soleus"}
    assert_consistent(db)


@pytest.mark.parametrize(("ending", "status"), [("SIGTERM", -15), ("SIGHUP", -1),
                                                ("SIGINT", 130)])
def test_a_signal_while_a_read_waits_for_the_database_ends_it_at_once(
        ending: str, status: int, db: Path, tmp_path: Path) -> None:
    """Ctrl-C while ``--from sqlite`` waited for a database another program was writing
    (its lock to commit held) was taken only when SQLite's wait, Python's default 5
    seconds, ended; it is taken at once now, as SIGTERM and SIGHUP are."""
    write(converter.read(SAMPLES), db)
    command = [sys.executable, "-m", "converter", "convert", str(db), "--from", "sqlite",
               "--to", "json", "-o", str(tmp_path / "out.json"), "--jobs", "1",
               "--no-cache", "--quiet"]
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        returncode, stderr = signal_waiting(command, db, getattr(signal, ending),
                                            within=sqlite_format.READ_SECONDS / 2)
    assert returncode == status, stderr
    assert stderr.strip().splitlines() == (["Aborted!"] if ending == "SIGINT" else [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["muscles.db"]


def test_a_read_waits_for_a_database_being_written_then_says_it_is_locked(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database another program writes all the while is waited for
    :data:`~formats.sqlite.READ_SECONDS`, then is 'database is locked', as SQLite's own
    wait said it; once it is written, it is read."""
    write(converter.read(SAMPLES), db)
    limit = sqlite_format.READ_SECONDS
    monkeypatch.setattr(sqlite_format.reading, "READ_SECONDS", 0.2)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(MuscleError) as raised:
            converter.read(db)
        waited = time.monotonic() - started
    assert [(d.code, d.message) for d in raised.value.diagnostics] == [
        ("sqlite-error", "SQLite failed: database is locked")]
    assert 0.2 <= waited < limit  # (the wait set, not SQLite's own)
    assert by_slug(converter.read(db)) == by_slug(converter.read(SAMPLES))


#: The byte of a database file that SQLite's Unix locks take for PENDING: a writer holds
#: it while its COMMIT waits for the readers to let go.
_PENDING_BYTE = 0x40000000


def _waits_to_commit(pid: int, db: Path) -> bool:
    """Whether the process ``pid`` holds the PENDING lock of ``db`` (``/proc/locks``): its
    COMMIT waits for a reader. (A connection of this process cannot tell: SQLite shares
    one process's locks among its connections.)"""
    inode = str(os.stat(db).st_ino)
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if (fields[1:2] == ["POSIX"] and fields[4] == str(pid)
                and fields[5].rsplit(":", 1)[-1] == inode
                and fields[6] == str(_PENDING_BYTE)):
            return True
    return False


def _retitled_samples(tmp_path: Path) -> Path:
    """The samples with every title changed, in a folder of ``tmp_path``."""
    changed = tmp_path / "changed"
    changed.mkdir()
    for sample in SAMPLES.glob("*.md"):
        text = sample.read_text(encoding="utf-8")
        (changed / sample.name).write_text(text.replace("\ntitle: ", "\ntitle: New "),
                                           encoding="utf-8")
    return changed


@contextlib.contextmanager
def _update_at_commit(db: Path, source: Path) -> Iterator[tuple[subprocess.Popen[str],
                                                                sqlite3.Connection]]:
    """A ``convert --to sqlite`` update of ``db`` from ``source`` whose COMMIT waits
    (another connection's read transaction, its ``holder``, stands in the way); the
    process and the holder, once it waits there."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM muscles").fetchall()
    process = subprocess.Popen(
        [*_convert_command(source, db), "--no-cache"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + WAIT
        while process.poll() is None and not _waits_to_commit(process.pid, db):
            assert time.monotonic() < deadline, f"the COMMIT did not wait within {WAIT} s"
            time.sleep(0.005)
        assert process.poll() is None, "the update ended before its COMMIT waited"
        yield process, holder
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=WAIT)
        holder.close()


@pytest.mark.parametrize(("ending", "status"), [("SIGTERM", -15), ("SIGHUP", -1),
                                                ("SIGINT", 130)])
def test_a_signal_while_the_commit_waits_for_a_reader_rolls_back_at_once(
        ending: str, status: int, db: Path, tmp_path: Path) -> None:
    """A signal while an update's COMMIT waited for another program's read transaction
    was taken only when SQLite's 30 seconds of waiting ended, SIGTERM and SIGHUP then
    with a traceback (exit 1); it is taken at once now, the update rolled back: the
    database as it was, no journal beside it."""
    write(converter.read(SAMPLES), db)
    before = db.read_bytes()
    with _update_at_commit(db, _retitled_samples(tmp_path)) as (process, _):
        process.send_signal(getattr(signal, ending))
        _, stderr = process.communicate(timeout=sqlite_format.BUSY_SECONDS / 3)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == (["Aborted!"] if ending == "SIGINT" else [])
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changed", "muscles.db"]
    assert_consistent(db)


def test_a_commit_that_waited_for_a_reader_is_made_once_it_lets_go(db: Path,
                                                                  tmp_path: Path) -> None:
    """An update whose COMMIT waits for another program's read transaction commits once
    that ends."""
    write(converter.read(SAMPLES), db)
    with _update_at_commit(db, _retitled_samples(tmp_path)) as (process, holder):
        holder.execute("ROLLBACK")
        _, stderr = process.communicate(timeout=sqlite_format.BUSY_SECONDS)
    assert process.returncode == 0, stderr
    assert all(m.title.startswith("New ") for m in converter.read(db))
    assert_consistent(db)


#: A ``convert --to sqlite`` run of ``src`` into ``muscles.db`` (its other options
#: ``sys.argv[2:]``) sent the signal named ``sys.argv[1]`` as SQLite runs the COMMIT of
#: that database (not the cache's): the statement's own call (the lowest
#: :func:`converter.sqlitewait.retried` makes) sends it once SQLite returns, as a signal
#: that came meanwhile is taken.
_SIGNALLED_IN_THE_COMMIT = """
import os, signal, sqlite3, sys, types
import converter.sqlitewait as wait
from converter.cli import main
ending = getattr(signal, sys.argv[1])
def execute(conn, statement, *args):
    cursor = sqlite3.Connection.execute(conn, statement, *args)
    if statement == "COMMIT" and os.path.basename(sqlite3.Connection.execute(
            conn, "PRAGMA database_list").fetchone()[2]) == "muscles.db":
        os.kill(os.getpid(), ending)
    return cursor
wait.sqlite3 = types.SimpleNamespace(**{**vars(sqlite3),
                                        "Connection": types.SimpleNamespace(execute=execute)})
sys.argv = ["muscle-convert", "convert", "src", "--to", "sqlite", "-o", "muscles.db",
            "--jobs", "1", "--quiet", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("cached", [False, True], ids=["update", "patch"])
@pytest.mark.parametrize(("ending", "status"), [("SIGTERM", -15), ("SIGHUP", -1),
                                                ("SIGINT", 130)])
def test_a_signal_as_sqlite_commits_says_the_database_was_written(
        ending: str, status: int, cached: bool, tmp_path: Path) -> None:
    """A signal that came as SQLite ran an update's COMMIT (the full update's, or the
    cache's shortcut's) was taken once it returned, the database committed and not yet
    said in place: Ctrl-C said ``Aborted!``, SIGTERM and SIGHUP nothing, as if the
    database were as it was. The update is whole and the run says it was written."""
    source = tmp_path / "src"
    shutil.copytree(SAMPLES, source)
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "MUSCLE_CONVERT_CACHE_DIR": str(tmp_path / "cache")}
    options = [] if cached else ["--no-cache"]
    first = subprocess.run([sys.executable, "-m", "converter", "convert", "src", "--to",
                            "sqlite", "-o", "muscles.db", "--jobs", "1", "--quiet",
                            *options], cwd=tmp_path, capture_output=True, text=True,
                           env=env, check=False, timeout=WAIT)
    assert first.returncode == 0, first.stderr
    soleus = source / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: New "),
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _SIGNALLED_IN_THE_COMMIT, ending, *options],
                          cwd=tmp_path, capture_output=True, text=True, env=env,
                          check=False, timeout=WAIT)
    assert (done.returncode, done.stderr.strip()) == (
        status, "muscle-convert: stopped once muscles.db was written: it holds this run's "
                "files"), done.stderr
    db = tmp_path / "muscles.db"
    assert_consistent(db)
    assert by_slug(converter.read(db)) == by_slug(converter.read(source))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == [
        "muscles.db", "src"]

#: A writer of the database at argv[1] killed with SIGKILL mid-transaction, its page cache
#: kept tiny so that pages of the database are changed: a hot journal is left beside it.
_KILLED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 2")
conn.execute("BEGIN")
conn.execute("UPDATE muscles SET title = title || ' (half-way)'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _leave_hot_journal(db: Path) -> Path:
    """Kill a writer of ``db`` mid-transaction; the journal it leaves."""
    done = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(db)], check=False,
                          timeout=WAIT)
    assert done.returncode == -9
    journal = db.with_name(db.name + "-journal")
    assert journal.exists()
    return journal


def test_a_database_with_a_hot_journal_says_so_and_is_left_alone(db: Path,
                                                                 tmp_path: Path) -> None:
    """A database a killed writer left with its rollback journal was "SQLite failed:
    attempt to write a readonly database", for validate and convert --from sqlite,
    which only read; an update into it rolls the journal back and works."""
    write(converter.read(SAMPLES), db)
    before = db.read_bytes()
    journal = _leave_hot_journal(db)
    left = (db.read_bytes(), journal.read_bytes())
    assert left[0] != before  # (the killed writer's pages are in the database)
    for args in (["validate", str(db)],
                 ["convert", str(db), "--from", "sqlite", "--to", "json", "-o",
                  str(tmp_path / "m.json")]):
        code, output = _cli(*args)
        assert code == 1, output
        assert (f"{db}: error: cannot be read yet: a write to it was stopped half-way "
                f"(a crash, a killed run, a power loss) and left its rollback journal, "
                f"{journal}, ") in output
        assert f"`sqlite3 {db} 'PRAGMA integrity_check'`" in output
        assert f"or convert into it again (`--to sqlite -o {db}`)" in output
        assert "[sqlite-error]" in output and "readonly" not in output
        assert (db.read_bytes(), journal.read_bytes()) == left  # (reading wrote nothing)
    with pytest.raises(converter.MuscleError) as caught:  # (from Python: its own words)
        converter.read(db)
    assert f"or convert into it again (`write(muscles, {str(db)!r})`)" in str(caught.value)
    assert (db.read_bytes(), journal.read_bytes()) == left
    code, output = _cli_sqlite(db, str(SAMPLES), "--no-cache")
    assert code == 0, output
    assert not journal.exists()
    assert converter.read(db) == by_slug(converter.read(SAMPLES))


#: A writer of the database at argv[1] killed with SIGKILL mid-transaction, before it
#: changed the database (its changes all in its page cache): the journal it leaves has
#: its header zeroed, which SQLite never rolls back.
_KILLED_EARLY = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("UPDATE muscles SET title = title || ' (half-way)'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_cold_journal_a_killed_writer_left_goes_with_a_run_that_changes_nothing(
        db: Path) -> None:
    """A run killed (SIGKILL) early in an update left a journal with a zeroed header
    beside the intact database (not hot: SQLite never rolls it back), and a run that
    changed nothing left it there for good; only a change removed it. Such a journal
    is removed now by the next run's write transaction; the database is not changed."""
    _cli_sqlite(db, str(SAMPLES), "--no-cache")
    before = db.read_bytes()
    done = subprocess.run([sys.executable, "-c", _KILLED_EARLY, str(db)], check=False)
    assert done.returncode == -signal.SIGKILL
    journal = db.with_name(db.name + "-journal")
    assert journal.read_bytes()[:1] == b"\0" and journal.stat().st_size > 512
    assert db.read_bytes() == before
    code, output = _cli_sqlite(db, str(SAMPLES), "--no-cache")  # (checks: no journal left)
    assert code == 0, output
    assert f"{db}: {counts(0, 0, len(list(SAMPLES.glob('*.md'))), 0)}" in output
    assert db.read_bytes() == before


@pytest.mark.parametrize("heat", ["hot", "cold"])
def test_a_run_is_not_replayed_while_a_journal_is_beside_the_database(heat: str, db: Path,
                                                                      tmp_path: Path) -> None:
    """A run the cache replayed ("up to date") never opened the database, so a rollback
    journal a killed writer left beside it stayed: a cold one for good, a hot one (made
    here by a writer killed on a copy of the database: it plays back pages the database
    already holds) with the database unreadable ("cannot be read yet ... convert into it
    again"), though the run said it was up to date. The journal is part of the output's
    state now: such a run writes into the database, which rolls it back or removes it."""
    n = len(list(SAMPLES.glob("*.md")))
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    journal = db.with_name(db.name + "-journal")
    if heat == "hot":
        copy = tmp_path / "copy" / db.name
        copy.parent.mkdir()
        shutil.copy(db, copy)
        shutil.copy(_leave_hot_journal(copy), journal)
        with pytest.raises(converter.MuscleError, match="cannot be read yet"):
            converter.read(db)
    else:
        done = subprocess.run([sys.executable, "-c", _KILLED_EARLY, str(db)], check=False)
        assert done.returncode == -signal.SIGKILL
        assert journal.read_bytes()[:1] == b"\0"
    code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db))
    assert code == 0, output
    assert f"{db}: {counts(0, 0, n, 0)}" in output  # (written, not replayed)
    assert not journal.exists()
    assert converter.read(db) == by_slug(converter.read(SAMPLES))
    code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db))
    assert f"{db}: up to date" in output  # (and replayed again once it is gone)


@pytest.mark.parametrize("log", ["-journal", "-wal"])
def test_a_run_into_a_link_is_not_replayed_while_a_log_is_beside_the_file_it_names(
        log: str, tmp_path: Path) -> None:
    """SQLite keeps a database's rollback journal and write-ahead log beside the file a
    symbolic link names, and the run's record of the output took in those beside the
    link: a journal a killed writer left, or a muscle another program deleted (held in
    its write-ahead log), was replayed over ("up to date"), the journal left there and
    the muscle missing. The files beside the linked file are part of the state now."""
    n = len(list(SAMPLES.glob("*.md")))
    (tmp_path / "real").mkdir()
    db, link = tmp_path / "real" / "muscles.db", tmp_path / "muscles.db"
    link.symlink_to(db)
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    for path in [source, *source.iterdir()]:
        os.utime(path, (1e9, 1e9))  # (long unchanged: replayable)
    assert _cli_sqlite(link, str(source))[0] == 0
    if log == "-wal":
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        _cli("convert", str(source), "--to", "sqlite", "-o", str(link))  # (the file changed)
    assert "up to date" in _cli("convert", str(source), "--to", "sqlite", "-o", str(link))[1]
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        if log == "-journal":
            done = subprocess.run([sys.executable, "-c", _KILLED_EARLY, str(db)], check=False)
            assert done.returncode == -signal.SIGKILL
            expected = counts(0, 0, n, 0)
        else:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("DELETE FROM muscles WHERE slug = 'soleus'")  # (kept open: in -wal)
            expected = counts(1, 0, n - 1, 0)
        assert db.with_name(db.name + log).exists()
        assert not tmp_path.joinpath(link.name + log).exists()
        code, output = _cli("convert", str(source), "--to", "sqlite", "-o", str(link))
    assert (code, output.splitlines()[-1].split(";")[0]) == (0, f"{link}: {expected}")
    assert_consistent(db)
    assert converter.read(link) == by_slug(converter.read(source))


# ----------------------------------------------------------------------------------- CLI


def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from converter.cli import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _cli_sqlite(db: Path, *args: str) -> tuple[int, str]:
    """``convert ARGS --to sqlite -o DB``, then the consistency checks."""
    code, output = _cli("convert", *args, "--to", "sqlite", "-o", str(db))
    assert_consistent(db)
    return code, output


def test_cli_convert_to_sqlite_and_back(db: Path, tmp_path: Path) -> None:
    n = len(list(SAMPLES.glob("*.md")))
    code, output = _cli_sqlite(db, str(SAMPLES))
    assert code == 0, output
    assert f"{db}: {counts(n, 0, 0, 0)}" in output
    assert_consistent(db)
    code, output = _cli_sqlite(db, str(SAMPLES), "--no-cache")  # the upsert, not a replay
    assert f"{db}: {counts(0, 0, n, 0)}" in output
    code, output = _cli_sqlite(db, str(SAMPLES))
    assert f"{db}: up to date" in output
    assert _cli("convert", str(db), "--to", "json", "-o", str(tmp_path / "a.json"))[0] == 0
    assert _cli("convert", str(SAMPLES), "--to", "json", "-o", str(tmp_path / "b.json"))[0] == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    odd = tmp_path / "muscles.data"
    shutil.copy(db, odd)
    code, output = _cli("convert", str(odd), "--from", "sqlite", "--to", "jsonl", "-o",
                        str(tmp_path / "c.jsonl"))
    assert code == 0, output
    assert len((tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()) == n


def test_cli_prune(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    assert _cli_sqlite(db, str(source))[0] == 0
    (source / "soleus.md").unlink()
    (source / "trapezius.md").unlink()
    deltoid = source / "deltoideus.md"
    deltoid.write_text(deltoid.read_text(encoding="utf-8") + "\nMore words.\n",
                       encoding="utf-8")
    code, output = _cli_sqlite(db, str(source))
    assert code == 0, output
    assert f"{db}: {counts(0, 1, 12, 0)} (2 not in the input kept; --prune removes them)" \
        in output
    code, output = _cli_sqlite(db, str(source), "--prune")
    assert code == 0, output
    assert f"{db}: {counts(0, 0, 13, 2)}" in output
    assert_consistent(db)
    assert [m.slug for m in converter.read(db)] == sorted(p.stem for p in source.glob("*.md"))


def test_cli_prune_of_a_subfolder_says_the_others_were_not_read(db: Path, tmp_path: Path
                                                                ) -> None:
    """Converting one folder of the site into the site's database: the others' muscles
    stay, and the summary said their files 'gave no muscle', as if broken."""
    source = tmp_path / "content"
    for part, names in (("arms", ["biceps-brachii", "triceps-brachii"]),
                        ("legs", ["soleus", "gastrocnemius", "rectus-femoris"])):
        (source / part).mkdir(parents=True)
        for name in names:
            shutil.copy(SAMPLES / f"{name}.md", source / part)
    assert _cli_sqlite(db, str(source))[0] == 0
    (source / "arms" / "triceps-brachii.md").unlink()
    code, output = _cli_sqlite(db, str(source / "arms"), "--prune")
    assert code == 0, output
    legs = source / "legs"
    assert (f"{db}: {counts(0, 0, 1, 1)} (3 not removed: their source files still exist, "
            f"and were not read in this run: {legs / 'gastrocnemius.md'}, "
            f"{legs / 'rectus-femoris.md'}, {legs / 'soleus.md'})") in output


def test_cli_prune_names_the_files_not_read_from_the_working_directory(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary said how many muscles stayed for files not read, but not which."""
    monkeypatch.chdir(tmp_path)
    for part, names in (("arms", ["biceps-brachii"]),
                        ("legs", ["soleus", "gastrocnemius", "rectus-femoris",
                                  "tibialis-anterior", "biceps-femoris"])):
        Path(part).mkdir()
        for name in names:
            shutil.copy(SAMPLES / f"{name}.md", part)
    assert _cli_sqlite(db, "arms", "legs")[0] == 0
    code, output = _cli_sqlite(db, "arms", "--prune")
    assert code == 0, output
    named = ", ".join(os.path.join("legs", f"{name}.md") for name in
                      ("biceps-femoris", "gastrocnemius", "rectus-femoris"))
    assert (f"{db}: {counts(0, 0, 1, 0)} (5 not removed: their source files still exist, "
            f"and were not read in this run: {named} and 2 more)") in output


def _pruned_when_its_file_is_gone(db: Path, source: Path, before: list[tuple]) -> None:
    """Check that ``db``, converted into itself, kept the sources ``before`` (slug, source)
    of its muscles converted from ``source``, and that ``--prune`` once ``soleus.md`` is
    deleted removes its muscle alone."""
    assert query(db, "SELECT slug, source FROM muscles ORDER BY slug") == before
    (source / "soleus.md").unlink()
    code, output = _cli_sqlite(db, str(source), "--prune")
    assert (code, f"{db}: {counts(0, 0, len(before) - 1, 1)}") == (
        0, output.splitlines()[-1].split(";")[0])
    assert "soleus" not in {m.slug for m in converter.read(db)}


def test_a_database_converted_into_itself_keeps_its_sources(db: Path, tmp_path: Path
                                                           ) -> None:
    """Read from the database it wrote, every muscle's source became the database: a
    later --prune kept a muscle whose file was deleted, as 'still existing'."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    assert _cli_sqlite(db, str(source))[0] == 0
    before = query(db, "SELECT slug, source FROM muscles ORDER BY slug")
    code, output = _cli_sqlite(db, str(db))
    assert (code, f"{db}: {counts(0, 0, len(before), 0)}") == (
        0, output.splitlines()[-1].split(";")[0])
    _pruned_when_its_file_is_gone(db, source, before)


def test_prune_removes_a_muscle_whose_source_is_the_database_itself(db: Path,
                                                                   tmp_path: Path) -> None:
    """A database converted into itself before stored its own name as the source: the
    database exists, so such a muscle was never pruned."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    assert _cli_sqlite(db, str(source))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE muscles SET source = ? WHERE slug = 'soleus'", (db.name,))
    (source / "soleus.md").unlink()
    code, output = _cli_sqlite(db, str(source), "--prune")
    assert (code, f"{db}: {counts(0, 0, 14, 1)}") == (0, output.splitlines()[-1].split(";")[0])


#: Two names of one database, the one read first: a symbolic link to it, the file it
#: names, a hard link.
OTHER_NAMES = {"the link into the file": ("link", "file"),
               "the file into the link": ("file", "link"),
               "the link into itself": ("link", "link"),
               "a hard link into the file": ("hard", "file")}


def _named_so(db: Path, name: str) -> Path:
    """``db`` by the name ``name`` (of :data:`OTHER_NAMES`), made beside it."""
    if name == "file":
        return db
    other = db.with_name(f"{name}.db")
    if os.path.lexists(other):  # (made already: a name read and written both)
        return other
    if name == "link":
        other.symlink_to(db.name)
    else:
        os.link(db, other)
    return other


@pytest.mark.parametrize("names", OTHER_NAMES.values(), ids=list(OTHER_NAMES))
def test_a_database_converted_into_itself_by_another_name_keeps_its_sources(
        names: tuple[str, str], db: Path, tmp_path: Path) -> None:
    """Read by one name (a symbolic link, a hard link) and written by another, the
    database was not taken for itself: every muscle's source became the name it was
    read by, and a later --prune kept a muscle whose file was deleted."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    assert _cli_sqlite(db, str(source))[0] == 0
    before = query(db, "SELECT slug, source FROM muscles ORDER BY slug")
    read, written = (_named_so(db, name) for name in names)
    code, output = _cli("convert", str(read), "--to", "sqlite", "-o", str(written))
    assert (code, f"{written}: {counts(0, 0, len(before), 0)}") == (
        0, output.splitlines()[-1].split(";")[0])
    _pruned_when_its_file_is_gone(db, source, before)


@pytest.mark.parametrize("name", ["link", "hard"])
def test_prune_removes_a_muscle_whose_source_is_another_name_of_the_database(
        name: str, db: Path, tmp_path: Path) -> None:
    """A database converted into itself through a link stored the link's name as the
    source: that file exists, so such a muscle was never pruned, and the summary named
    the database as a source file still there."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    assert _cli_sqlite(db, str(source))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE muscles SET source = ? WHERE slug = 'soleus'",
                     (_named_so(db, name).name,))
    (source / "soleus.md").unlink()
    code, output = _cli_sqlite(db, str(source), "--prune")
    assert (code, output.splitlines()[-1].split(";")[0]) == (0, f"{db}: {counts(0, 0, 14, 1)}")


def test_cli_prune_keeps_muscles_whose_file_failed(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    assert _cli_sqlite(db, str(source))[0] == 0
    (source / "soleus.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (source / "trapezius.md").unlink()
    code, output = _cli_sqlite(db, str(source), "--prune")
    assert code == 1
    assert (f"{db}: {counts(0, 0, 13, 1)} (1 not removed: its source file has errors "
            "this run)") in output
    slugs = {m.slug for m in converter.read(db)}
    assert "soleus" in slugs
    assert "trapezius" not in slugs
    # The Python API gives no sources: its prune removes whatever is not given, and the
    # sources recorded by the CLI stay as they were.
    rest = [m for m in converter.read(db) if m.slug != "soleus"]
    assert write(rest, db, prune=True) == f"{db}: {counts(0, 0, 13, 1)}"
    assert query(db, "SELECT source FROM muscles WHERE slug = 'deltoideus'") == [
        ("content/deltoideus.md",)]  # (relative to the database's folder)


def test_a_prune_that_kept_a_muscle_for_its_file_is_not_replayed_once_it_is_gone(
        db: Path, tmp_path: Path) -> None:
    """The kept muscle's file is no input, so the cache does not watch it: a replay said
    "up to date" and left the muscle of a deleted file in the database."""
    for part in ("a", "b"):
        (tmp_path / part).mkdir()
    for path in (tmp_path / "a" / "alpha.md", tmp_path / "b" / "gamma.md"):
        path.write_text(f"---\ntitle: {path.stem}\n---\n", encoding="utf-8")
        os.utime(path, (1e9, 1e9))  # (long unchanged: replayable)
    assert _cli_sqlite(db, str(tmp_path / "a"), str(tmp_path / "b"))[0] == 0
    code, output = _cli_sqlite(db, str(tmp_path / "a"), "--prune")
    assert "(1 not removed: its source file still exists" in output
    (tmp_path / "b" / "gamma.md").unlink()
    code, output = _cli_sqlite(db, str(tmp_path / "a"), "--prune")
    assert (code, f"{db}: {counts(0, 0, 1, 1)}") == (0, output.splitlines()[-1].split(";")[0])
    assert [m.slug for m in converter.read(db)] == ["alpha"]


def test_a_change_another_program_holds_in_the_write_ahead_log_is_not_replayed_over(
        db: Path, tmp_path: Path) -> None:
    """A database kept open (Datasette, a notebook) holds its commits in ``-wal``; the
    file itself keeps its stamp, and a replay said "up to date" without the muscle."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    for path in [source, *source.iterdir()]:
        os.utime(path, (1e9, 1e9))
    assert _cli_sqlite(db, str(source))[0] == 0
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    _cli("convert", str(source), "--to", "sqlite", "-o", str(db))  # (the file changed)
    assert "up to date" in _cli("convert", str(source), "--to", "sqlite", "-o", str(db))[1]
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM muscles WHERE slug = 'soleus'")  # (kept open: in -wal)
        assert Path(f"{db}-wal").exists()
        code, output = _cli("convert", str(source), "--to", "sqlite", "-o", str(db))
    n = len(list(source.glob("*.md")))
    assert (code, output.splitlines()[-1].split(";")[0]) == (0, f"{db}: {counts(1, 0, n - 1, 0)}")


def test_cli_prune_from_another_working_directory(db: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources are stored relative to the database's folder, so a run from elsewhere
    still finds a broken file's source (it was looked up from the working directory)."""
    shutil.copytree(SAMPLES, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    assert _cli_sqlite(db, "content")[0] == 0
    (tmp_path / "content" / "soleus.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, output = _cli_sqlite(db, "../content", "--prune", "--no-cache")
    assert code == 1
    assert (f"{db}: {counts(0, 0, 14, 0)} (1 not removed: its source file has errors "
            "this run)") in output
    assert query(db, "SELECT source FROM muscles WHERE slug = 'soleus'") == [
        ("content/soleus.md",)]


def _notes_of(db: Path, slug: str) -> None:
    """A table of the user's whose row refers to ``slug``, cascading from it."""
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE notes (muscle TEXT REFERENCES muscles (slug) "
                     "ON DELETE CASCADE, note TEXT)")
        conn.execute("INSERT INTO notes VALUES (?, 'mine')", (slug,))


def test_cli_prune_after_the_database_moved_keeps_a_failing_files_muscle(
        tmp_path: Path) -> None:
    """Sources are stored relative to the database's folder: moved to a folder at
    another depth, the broken file's stored source named no file, and --prune deleted
    its muscle and the user's rows that cascade from it."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    (tmp_path / "alone").mkdir()
    shutil.copy(SAMPLES / "trapezius.md", tmp_path / "alone")
    (source / "trapezius.md").unlink()
    first = tmp_path / "out" / "muscles.db"
    assert _cli_sqlite(first, str(source), str(tmp_path / "alone"), "--no-cache")[0] == 0
    _notes_of(first, "soleus")
    db = tmp_path / "site" / "data" / "muscles.db"
    db.parent.mkdir(parents=True)
    first.rename(db)
    for broken in (source / "soleus.md", tmp_path / "alone" / "trapezius.md"):
        broken.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, output = _cli_sqlite(db, str(source), str(tmp_path / "alone"), "--prune",
                               "--no-cache")
    n = len(list(source.glob("*.md")))
    assert code == 1
    assert (f"{db}: {counts(0, 0, n - 1, 0)} (1 not removed: its source file has errors "
            "this run) (1 not removed: its source file was not found, and a file that may "
            "be it has errors this run)") in output
    assert {"soleus", "trapezius"} <= {m.slug for m in converter.read(db)}
    assert query(db, "SELECT muscle FROM notes") == [("soleus",)]
    (source / "deltoideus.md").unlink()  # (a file deleted is still pruned)
    code, output = _cli_sqlite(db, str(source), "--prune", "--no-cache")
    assert "deltoideus" not in {m.slug for m in converter.read(db)}
    assert "soleus" in {m.slug for m in converter.read(db)}


def test_cli_prune_after_a_move_keeps_a_failing_file_whose_name_another_folder_has(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file moved to archive/ taught the run that content/ is now archive/, where a
    soleus.md of another slug was read cleanly: soleus's source was taken for that
    file, and --prune deleted soleus while content/soleus.md, its own, had an error."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES, "content")
    assert _cli_sqlite(Path("m.db"), "content", "--no-cache")[0] == 0
    _notes_of(Path("m.db"), "soleus")
    Path("archive").mkdir()
    Path("content/biceps-brachii.md").rename("archive/biceps-brachii.md")
    text = Path("content/soleus.md").read_text(encoding="utf-8")
    Path("archive/soleus.md").write_text(text.replace("---\n", "---\nslug: soleus-2019\n",
                                                      1), encoding="utf-8")
    Path("content/soleus.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    Path("out").mkdir()
    Path("m.db").rename("out/m.db")
    code, output = _cli_sqlite(Path("out/m.db"), ".", "--prune", "--no-cache")
    assert code == 1 and "1 not removed" in output, output
    assert "soleus" in {m.slug for m in converter.read(Path("out/m.db"))}
    assert query(Path("out/m.db"), "SELECT muscle FROM notes") == [("soleus",)]


def test_cli_prune_of_a_database_the_api_wrote_keeps_a_failing_files_muscle(
        db: Path, tmp_path: Path) -> None:
    """converter.write stores no source: the first --prune with a broken file deleted
    its muscle; it stays until a run reads every file cleanly."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLES, source)
    converter.write(converter.read(source), db)
    _notes_of(db, "soleus")
    (source / "soleus.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, output = _cli_sqlite(db, str(source), "--prune", "--no-cache")
    n = len(list(source.glob("*.md")))
    assert code == 1
    assert (f"{db}: {counts(0, 0, n - 1, 0)} (1 not removed: its source file was not "
            "found, and a file that may be it has errors this run)") in output
    assert query(db, "SELECT muscle FROM notes") == [("soleus",)]
    (source / "soleus.md").unlink()
    code, output = _cli_sqlite(db, str(source), "--prune", "--no-cache")
    assert (code, f"{db}: {counts(0, 0, n - 1, 1)}") == (0, output.splitlines()[-1].split(";")[0])


def test_cli_prune_keeps_the_broken_muscle_of_a_file_of_many(db: Path, tmp_path: Path
                                                             ) -> None:
    """The file gave other muscles, but it had an error: the missing muscle may be the
    broken one, so it stays; once the file reads cleanly without it, it goes."""
    lines = tmp_path / "muscles.jsonl"
    assert _cli("convert", str(SAMPLES), "--to", "jsonl", "-o", str(lines))[0] == 0
    assert _cli_sqlite(db, str(lines))[0] == 0
    rows = lines.read_text(encoding="utf-8").splitlines()
    first = json.loads(rows[0])
    lines.write_text("\n".join([json.dumps({**first, "title": 5}), *rows[1:]]) + "\n",
                     encoding="utf-8")
    code, output = _cli_sqlite(db, str(lines), "--prune")
    assert code == 1
    assert (f"{db}: {counts(0, 0, len(rows) - 1, 0)} (1 not removed: its source file "
            "has errors this run)") in output
    lines.write_text("\n".join(rows[1:]) + "\n", encoding="utf-8")
    code, output = _cli_sqlite(db, str(lines), "--prune")
    assert code == 0 and f"{db}: {counts(0, 0, len(rows) - 1, 1)}" in output
    assert first["slug"] not in {m.slug for m in converter.read(db)}


def test_cli_prune_keeps_the_broken_muscle_of_a_csv_package(db: Path, tmp_path: Path
                                                            ) -> None:
    """A package's errors are at the table that gave the value (pkg/regions.csv:142), its
    muscles' source is the package: --prune took the package for read cleanly and
    deleted the muscle whose row was broken."""
    package = tmp_path / "pkg"
    assert _cli("convert", str(SAMPLES), "--to", "csv", "-o", str(package))[0] == 0
    assert _cli_sqlite(db, str(package))[0] == 0
    regions = package / "regions.csv"
    rows = regions.read_text(encoding="utf-8").splitlines()
    at = next(i for i, row in enumerate(rows) if row.startswith('"soleus"'))
    x = rows[at].split(",")[3]
    rows[at] = rows[at].replace(f",{x},", f',"-{x.strip(chr(34))}",', 1)
    regions.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, output = _cli_sqlite(db, str(package), "--prune")
    assert code == 1 and "[coords-negative]" in output
    assert "(1 not removed: its source file has errors this run)" in output
    assert "soleus" in {m.slug for m in converter.read(db)}


def _emptied(path: Path) -> None:
    """Leave the file of many muscles at ``path`` holding none, in its format."""
    if path.suffix == ".db":
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("DELETE FROM muscles")
    else:
        path.write_text('{"muscles": []}\n' if path.suffix == ".json" else "",
                        encoding="utf-8")


@pytest.mark.parametrize("name", ["extra.json", "extra.jsonl", "extra.db"])
@pytest.mark.parametrize("cache", ["--no-cache", "--cache-dir"])
def test_cli_prune_removes_the_muscles_of_a_file_of_many_that_holds_none_now(
        db: Path, tmp_path: Path, name: str, cache: str) -> None:
    """The file read cleanly but gave no muscle, so it was taken for one not read: its
    muscles stayed for ever, 'not read in this run'."""
    source = tmp_path / "content"
    source.mkdir()
    for slug in ("soleus", "trapezius"):
        shutil.copy(SAMPLES / f"{slug}.md", source)
    extra = tmp_path / name
    kind = {".db": "sqlite"}.get(extra.suffix, extra.suffix[1:])
    assert _cli("convert", str(SAMPLES / "deltoideus.md"), "--to", kind, "-o", str(extra)
                )[0] == 0
    caching = [cache, str(tmp_path / "cache")] if cache == "--cache-dir" else [cache]
    assert _cli_sqlite(db, str(source), str(extra), *caching)[0] == 0
    _emptied(extra)
    code, output = _cli_sqlite(db, str(source), str(extra), "--prune", *caching)
    assert (code, output.splitlines()[-1].split(";")[0]) == (0, f"{db}: {counts(0, 0, 2, 1)}")
    assert [m.slug for m in converter.read(db)] == ["soleus", "trapezius"]


def test_a_source_name_that_is_not_utf8_is_stored_as_its_bytes(db: Path, tmp_path: Path
                                                              ) -> None:
    """SQLite text cannot hold the name's lone surrogate: its bytes are a blob, and
    --prune finds the file by them."""
    source = tmp_path / "content"
    source.mkdir()
    odd = os.fsencode(source) + b"/sol\xfeeus.md"
    with open(odd, "w", encoding="utf-8") as fh:  # (no slug is made of such a name)
        fh.write((SAMPLES / "soleus.md").read_text(encoding="utf-8").replace(
            "---\n", "---\nslug: soleus\n", 1))
    shutil.copy(SAMPLES / "trapezius.md", source)
    assert _cli_sqlite(db, str(source))[0] == 0
    (slug, stored), = query(db, "SELECT slug, source FROM muscles WHERE slug != 'trapezius'")
    assert stored == b"content/sol\xfeeus.md"
    with open(odd, "w", encoding="utf-8") as fh:
        fh.write("---\ntitle: [\n---\n")
    code, _ = _cli_sqlite(db, str(source), "--prune")
    assert code == 1 and slug in {m.slug for m in converter.read(db)}
    os.remove(odd)
    assert _cli_sqlite(db, str(source), "--prune")[0] == 0
    assert [m.slug for m in converter.read(db)] == ["trapezius"]


def test_cli_prune_follows_a_container_source(db: Path, tmp_path: Path) -> None:
    lines = tmp_path / "muscles.jsonl"
    assert _cli("convert", str(SAMPLES), "--to", "jsonl", "-o", str(lines))[0] == 0
    assert _cli_sqlite(db, str(lines))[0] == 0
    kept = lines.read_text(encoding="utf-8").splitlines()[1:]
    lines.write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, output = _cli_sqlite(db, str(lines), "--prune")
    assert code == 0, output
    assert f"{db}: {counts(0, 0, len(kept), 1)}" in output
    assert len(converter.read(db)) == len(kept)


def test_cli_refuses_a_newer_database(sample_muscles: list[Muscle], db: Path) -> None:
    write(sample_muscles, db)
    _set_pragma(db, "PRAGMA user_version = 9")
    code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db))
    assert code == 1
    assert "schema version 9, newer than version 1" in output
    assert "Traceback" not in output


def test_format_is_registered_and_lossless() -> None:
    fmt = get_format("sqlite")
    assert fmt.lossless and fmt.can_read and fmt.can_write
    assert fmt.extensions == (".db", ".sqlite", ".sqlite3")
    assert [(o.name, o.is_flag, o.default) for o in fmt.options] == [("prune", True, False)]
    assert converter.registry.detect_format(Path("x.sqlite3"), for_reading=True) is fmt


def test_make_demo_writes_muscles_db(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commands = [c for c in demo_commands(out) if c[c.index("--to") + 1] == "sqlite"]
    assert [c[c.index("-o") + 1] for c in commands] == [str(out / "muscles.db")]
    for command in commands:
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=WAIT)
    assert_consistent(out / "muscles.db")
    assert converter.read(out / "muscles.db") == by_slug(converter.read(SAMPLES))


def test_write_streams_its_input(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_format.loading, "BATCH", 3)
    consumed: list[int] = []
    flushed: list[int] = []
    original = sqlite_format.rows._Batch.flush

    def spy(self: object, conn: sqlite3.Connection) -> None:
        flushed.append(len(consumed))
        original(self, conn)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_format.rows._Batch, "flush", spy)

    def generate() -> Iterator[Muscle]:
        for i in range(10):
            consumed.append(i)
            yield Muscle(slug=f"m{i}", title=f"Muscle {i}",
                         extra=FrozenMap({"i": i}))

    write(generate(), db)
    assert flushed == [3, 6, 9, 10]


def test_update_upserts_only_the_changed_muscles(sample_muscles: list[Muscle], db: Path,
                                                  tmp_path: Path) -> None:
    fmt, ctx = get_format("sqlite"), WriteContext()
    fmt.write(sample_muscles, db, ctx)
    changed = [replace(sample_muscles[0], title="Renamed"), sample_muscles[1]]
    new = [*changed, *sample_muscles[2:]]
    upserted = tmp_path / "upserted.db"
    shutil.copy(db, upserted)
    expected = fmt.write(new, upserted, ctx)  # a full upsert of every muscle
    assert fmt.update(changed, db, ctx, total=len(new)) == expected.replace(
        str(upserted), str(db))
    assert converter.read(db) == converter.read(upserted) == new
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT slug FROM search WHERE search MATCH 'Renamed'"
                            ).fetchall() == [(sample_muscles[0].slug,)]


def test_update_declines_a_database_that_is_not_the_last_run(sample_muscles: list[Muscle],
                                                             db: Path) -> None:
    fmt, ctx = get_format("sqlite"), WriteContext()
    assert fmt.update(sample_muscles[:1], db, ctx, total=1) is None  # no database
    fmt.write(sample_muscles, db, ctx)
    before = converter.read(db)
    renamed = [replace(sample_muscles[0], title="Renamed")]
    assert fmt.update(renamed, db, ctx, total=len(sample_muscles) + 1) is None  # one kept
    assert fmt.update([replace(renamed[0], slug="not-there")], db, ctx,
                      total=len(sample_muscles)) is None
    assert converter.read(db) == before


def test_a_database_name_its_journal_would_not_fit_beside_is_refused(tmp_path: Path) -> None:
    """SQLite names its journal ``<name>-journal``: a database of a longer name could be
    made but never updated ("unable to open database file")."""
    source = tmp_path / "src"
    shutil.copytree(SAMPLES, source)
    longest = tmp_path / ("e" * (255 - len("-journal") - len(".db")) + ".db")
    assert _cli_sqlite(longest, str(source), "--no-cache")[0] == 0
    with (source / "soleus.md").open("a", encoding="utf-8") as fh:
        fh.write("Edited.\n")
    code, output = _cli_sqlite(longest, str(source), "--no-cache")
    assert code == 0 and "1 updated" in output, output
    over = tmp_path / ("e" * (256 - len("-journal") - len(".db")) + ".db")
    code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(over))
    assert code == 1 and "[cannot-write]" in output and not over.exists()


@pytest.mark.parametrize(("output", "said"), [
    ("-", "standard output: error: is not a file; give a database file name"),
    ("/dev/stdout", "standard output: error: is not a file; give a database file name"),
    ("/dev/null", "/dev/null: error: is standard output, a device or a FIFO, not a file; "
     "give a database file name")])
def test_the_writer_given_standard_output_names_it_so(
        sample_muscles: list[Muscle], output: str, said: str) -> None:
    """The format's own writer, asked (from Python) to write ``-`` or ``/dev/stdout``,
    named them so (``-: error: is standard output, ...``), where every other diagnostic
    about the output says standard output."""
    with pytest.raises(MuscleError) as caught:
        get_format("sqlite").write(sample_muscles[:1], Path(output), WriteContext())
    assert [str(d) for d in caught.value.diagnostics] == [f"{said} [output-not-file]"]


@pytest.mark.parametrize(("output", "said"), [
    ("-", "standard output: error: is not a file; give a database file name"),
    ("/dev/stdout", "standard output: error: is not a file; give a database file name"),
    ("/dev/null", "/dev/null: error: is standard output, a device or a FIFO, not a file; "
     "give a database file name")])
def test_an_update_of_standard_output_is_refused_as_a_write_is(
        sample_muscles: list[Muscle], output: str, said: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The format's own ``update()``, asked (from Python) to update ``-``, updated a
    database named ``-`` in the working folder, where ``write()`` refuses standard
    output; it is refused so now, that database left as it was."""
    monkeypatch.chdir(tmp_path)
    fmt, ctx = get_format("sqlite"), WriteContext()
    fmt.write(sample_muscles, tmp_path / "-", ctx)
    before = (tmp_path / "-").read_bytes()
    renamed = [replace(sample_muscles[0], title="Renamed")]
    with pytest.raises(MuscleError) as caught:
        fmt.update(renamed, Path(output), ctx, total=len(sample_muscles))
    assert [str(d) for d in caught.value.diagnostics] == [f"{said} [output-not-file]"]
    assert (tmp_path / "-").read_bytes() == before


def test_child_rows_that_name_no_muscle_are_reported_not_dropped(db: Path) -> None:
    """Edited with foreign keys off: soleus's texts renamed away, a point of no polygon.
    They vanished without a word (the muscle lost its texts, exit 0)."""
    assert _cli_sqlite(db, str(SAMPLES))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE texts SET muscle = 'Soleus' WHERE muscle = 'soleus'")
        conn.execute("INSERT INTO points (muscle, region, position, x, y)"
                     " VALUES ('soleus', 7, 0, '1', '2')")
    problems: list[Diagnostic] = []
    muscles = list(get_format("sqlite").read(db, ReadContext(report=problems.append)))
    assert len(muscles) == len(list(SAMPLES.glob("*.md")))
    fields = sorted(d.field.partition("[")[0] for d in problems)
    assert {d.code for d in problems} == {"unknown-slug"}
    assert fields == ["points"] + ["texts"] * 4
    # A table without row ids names the muscle of its rows (each was "points: names a
    # row of regions ...", the same words for every one).
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT INTO points (muscle, region, position, x, y)"
                     " VALUES ('soleus', 7, 1, '3', '4')")
        conn.execute("UPDATE exercises SET muscle = 'gone' WHERE muscle = 'trapezius'")
    _, problems = read_with_diagnostics(db)
    assert sorted((d.field, d.message) for d in problems if "[muscle" in d.field) == [
        ("exercises[muscle 'gone']", "3 rows of a muscle the database does not hold; "
                                     "left out"),
        ("points[muscle 'soleus']", "2 rows of a region the database does not hold; "
                                    "left out")]


#: 'so' and the byte 0xff, as a text (which no parameter gives: Python's are UTF-8).
SO_NOT_UTF8 = "CAST(x'736fff' AS TEXT)"
#: A row, edited in with foreign keys off, of each table without row ids (whose orphans
#: are named by muscle) that names a muscle by text that is not UTF-8; what it names.
NOT_UTF8_ORPHANS = {
    "exercises": (f"INSERT INTO exercises (muscle, position, name) VALUES ({SO_NOT_UTF8}, 0, "
                  "'Squat')", "a muscle"),
    "regions": (f"INSERT INTO regions (muscle, position) VALUES ({SO_NOT_UTF8}, 0)",
                "a muscle"),
    "points": (f"INSERT INTO points (muscle, region, position, x, y) VALUES ({SO_NOT_UTF8}, "
               "0, 0, '1', '2')", "a region"),
}


@pytest.mark.parametrize("table", list(NOT_UTF8_ORPHANS))
def test_a_row_naming_its_muscle_in_text_that_is_not_utf8_is_one_diagnostic(
        table: str, sample_muscles: list[Muscle], db: Path) -> None:
    """The check for rows of no muscle failed the whole file ('SQLite failed: Could not
    decode to UTF-8 column 'muscle'', naming no table or row): that row is named, and
    every muscle read."""
    statement, parent = NOT_UTF8_ORPHANS[table]
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(statement)
    found, problems = read_with_diagnostics(db)
    assert by_slug(found) == by_slug(sample_muscles)
    assert [(p.path, p.field, p.code, p.message) for p in problems] == [
        (str(db), f"{table}[muscle 'so\ufffd']", "unknown-slug",
         f"1 row of {parent} the database does not hold; left out: the name in column "
         "muscle is not UTF-8 (byte 0xff)")]


def test_a_key_given_twice_in_extra_is_an_error(db: Path) -> None:
    write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("""UPDATE muscles SET extra = '{"k": 1, "k": 2}' WHERE slug = 'a'""")
        conn.commit()
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["b"]
    assert [(p.field, p.code) for p in problems] == [("muscles[a].extra.k", "duplicate-key")]


def test_each_extra_key_named_like_a_field_is_reported_in_one_read(db: Path) -> None:
    """The ``<<`` showed only once ``title`` was taken out."""
    write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("""UPDATE muscles SET extra = '{"title": "x", "<<": 1}' WHERE slug = 'a'""")
        conn.commit()
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["b"]
    assert sorted((p.field, p.code) for p in problems) == [
        ("muscles[a].extra.<<", "reserved-key"), ("muscles[a].extra.title", "reserved-key")]


def test_a_row_deleted_with_sql_leaves_a_gap_that_reads_as_the_rest_in_order(
        db: Path) -> None:
    """Positions give the order, not a count (the README says so): deleting the middle
    exercise, function or polygon point with SQL removes just it."""
    write([Muscle(slug="a", title="A", exercises=("One", "Two", "Three"),
                  functions=(Function(LocalizedText.of({"en": "F0"})),
                             Function(LocalizedText.of({"en": "F1"})),
                             Function(LocalizedText.of({"en": "F2"}))),
                  regions=(Region(((1, 1), (9, 1), (9, 9), (5, 12), (1, 9))),))], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM exercises WHERE position = 1")
        conn.execute("DELETE FROM functions WHERE position = 1")
        conn.execute("DELETE FROM points WHERE position = 3")
        conn.commit()
    (back,), problems = read_with_diagnostics(db)
    assert problems == []
    assert back.exercises == ("One", "Three")
    assert [f.short["en"] for f in back.functions] == ["F0", "F2"]
    assert back.regions[0].coords == "1,1,9,1,9,9,1,9"


def test_a_coordinate_too_long_for_python_is_a_diagnostic_not_a_traceback(db: Path) -> None:
    write([Muscle(slug="a", title="A", regions=(Region(((1, 1), (9, 1), (9, 9))),))], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE points SET x = ? WHERE position = 0", ("1" * 4301,))
        conn.commit()
    found, problems = read_with_diagnostics(db)
    assert found == []
    assert [(p.field, p.code, p.message) for p in problems] == [
        ("muscles[a].regions[0].points[0].x", "coords-not-number",
         "111111111111... has more than 1000 digits")]


def _point(muscle: str, region: int, position: int) -> str:
    return f"WHERE muscle = '{muscle}' AND region = {region} AND position = {position}"


@pytest.mark.parametrize(("edits", "line"), [
    ([f"UPDATE points SET x = ' 12' {_point('soleus', 0, 3)}"],
     "muscles[soleus].regions[0].points[3].x: ' 12' is not a plain number "
     "[coords-not-number]"),
    ([f"UPDATE points SET x = '1e2' {_point('trapezius', 0, 1)}"],
     "muscles[trapezius].regions[0].points[1].x: '1e2' is not a plain number "
     "[coords-not-number]"),
    ([f"UPDATE points SET y = X'3132' {_point('deltoideus', 1, 0)}"],
     "muscles[deltoideus].regions[1].points[0].y: a BLOB of 2 bytes is not a plain number "
     "[coords-not-number]"),
    ([f"UPDATE points SET y = X'31' {_point('deltoideus', 1, 0)}"],
     "muscles[deltoideus].regions[1].points[0].y: a BLOB of 1 byte is not a plain number "
     "[coords-not-number]"),
    ([f"UPDATE points SET x = 1e400 {_point('gastrocnemius', 0, 2)}"],  # (text: 'Inf')
     "muscles[gastrocnemius].regions[0].points[2].x: 'Inf' is not a plain number "
     "[coords-not-number]"),
    ([f"UPDATE points SET y = '-5' {_point('soleus', 1, 0)}"],
     "muscles[soleus].regions[1].points[0].y: negative coordinate -5 [coords-negative]"),
    ([f"DELETE FROM points {_point('soleus', 1, 0)}",  # (positions, not places, name it)
      f"UPDATE points SET x = '1,5' {_point('soleus', 1, 2)}"],
     "muscles[soleus].regions[1].points[2].x: '1,5' is not a plain number "
     "[coords-not-number]"),
    ([f"UPDATE points SET x = CAST(X'31ff' AS TEXT) {_point('soleus', 0, 3)}"],
     "muscles[soleus].regions[0].points[3].x: is not UTF-8 (byte 0xff) [not-utf8]"),
])
def test_a_coordinate_that_is_no_number_is_named_by_its_point_and_column(
        edits: list[str], line: str, db: Path) -> None:
    """It was named by its region only, its value quoted twice and a BLOB shown as
    Python's bytes."""
    assert _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        for edit in edits:
            conn.execute(edit)
        conn.commit()
    code, output = _cli("convert", str(db), "--to", "json", "-o", "-")
    assert code == 1
    assert [row for row in output.splitlines() if ": error: " in row] == [f"{db}: error: {line}"]


def test_an_integer_too_long_for_python_in_extra_is_named_as_in_json(db: Path) -> None:
    """It was 'is not valid JSON: Exceeds the limit (4300 digits)' for the whole extra."""
    write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE muscles SET extra = ? WHERE slug = 'a'",
                     ('{"n": ' + "1" * 5000 + "}",))
        conn.commit()
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["b"]
    assert [(p.field, p.code, p.message) for p in problems] == [
        ("muscles[a].extra.n", "wrong-type", "a number of 5000 digits is too long to store")]


def test_a_full_disk_is_cannot_write_as_for_every_format(sample_muscles: list[Muscle],
                                                         db: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """It was 'sqlite-error: SQLite failed: database or disk is full'."""
    real = sqlite_format.writing._connect

    def small(path: Path) -> sqlite3.Connection:
        conn = real(path)
        conn.execute("PRAGMA max_page_count = 8")  # (as full as a full disk)
        return conn

    monkeypatch.setattr(sqlite_format.writing, "_connect", small)
    with pytest.raises(MuscleError) as caught:
        converter.write(sample_muscles, db, "sqlite")
    (d,) = caught.value.diagnostics
    assert (d.path, d.code, d.message) == (
        str(db), "cannot-write", "cannot write here: database or disk is full")
    assert list(db.parent.iterdir()) == []


def test_the_kept_muscles_hint_says_what_prune_would_do(tmp_path: Path) -> None:
    """"--prune removes them" was said of muscles whose files were only not named this
    time, which --prune keeps."""
    from click.testing import CliRunner

    from converter.cli import cli

    src, db = tmp_path / "src", tmp_path / "m.db"
    shutil.copytree(SAMPLES, src)

    def convert(*sources: Path) -> str:
        result = CliRunner().invoke(cli, ["convert", *map(str, sources), "--to", "sqlite",
                                          "-o", str(db), "--no-cache"])
        return result.stderr.splitlines()[-1].rsplit("; ", 1)[0]  # (less the counts)

    convert(src)
    assert convert(src / "soleus.md").endswith(
        "(14 not in the input kept: their source files still exist)")
    (src / "trapezius.md").unlink()
    (src / "triceps-brachii.md").unlink()
    assert convert(src / "soleus.md").endswith(
        "(14 not in the input kept; --prune removes the 2 whose source files are gone)")
    assert convert(src).endswith("(2 not in the input kept; --prune removes them)")


@pytest.mark.parametrize("refers", ["regions (muscle, position)", "muscles (id)"])
def test_a_users_table_that_blocks_a_change_is_named(refers: str, sample_muscles: list[Muscle],
                                                    db: Path) -> None:
    """"SQLite failed: FOREIGN KEY constraint failed" named no table."""
    write(sample_muscles, db)
    to_regions = refers.startswith("regions")
    columns, keys, pinned = (("muscle TEXT, position INTEGER", "muscle, position",
                              "SELECT muscle, position FROM regions WHERE muscle = 'soleus'")
                             if to_regions else
                             ("id INTEGER", "id", "SELECT id FROM muscles WHERE slug = 'soleus'"))
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"CREATE TABLE pins ({columns}, FOREIGN KEY ({keys}) REFERENCES {refers})")
        conn.execute(f"INSERT INTO pins {pinned} LIMIT 1")
    before = db.read_bytes()
    rest = [m for m in sample_muscles if m.slug != "soleus"]
    soleus = next(m for m in sample_muscles if m.slug == "soleus")
    with pytest.raises(MuscleError) as caught:  # (its regions changed; or it is pruned)
        converter.write([*rest, replace(soleus, regions=())] if to_regions else rest, db,
                        "sqlite", prune=True)
    (d,) = caught.value.diagnostics
    table = refers.split()[0]
    assert d.message == (  # (the database unchanged: one transaction)
        f"SQLite failed: FOREIGN KEY constraint failed: a row of your table 'pins' (which "
        f"refers to {table}) stands in the way of this change (let the reference cascade, "
        "ON DELETE CASCADE, or remove the row)")
    assert db.read_bytes() == before


def test_a_users_deferred_foreign_key_that_blocks_a_change_is_named(
        sample_muscles: list[Muscle], db: Path) -> None:
    """A foreign key of the user's checked only at COMMIT (DEFERRABLE INITIALLY
    DEFERRED) failed it with SQLite's bare "FOREIGN KEY constraint failed", naming no
    table. It names the table whose row the change leaves referring to nothing, not one
    whose row referred to nothing before."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # (foreign keys off)
        for table in ("pins", "stale"):
            conn.execute(f"CREATE TABLE {table} (muscle TEXT REFERENCES muscles (slug) "
                         "DEFERRABLE INITIALLY DEFERRED, note TEXT)")
            conn.execute(f"INSERT INTO {table} VALUES ('no-such-muscle', 'referred to none')")
        conn.execute("INSERT INTO pins VALUES ('soleus', 'mine')")
    assert _refused_change(db, sample_muscles) == _refusal(_BLOCKING.format("pins",
                                                                            "muscles"))


@pytest.mark.parametrize("on_update", ["", "ON UPDATE RESTRICT"])
def test_a_users_table_that_blocks_an_update_is_named(
        on_update: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A unique index of the user's on muscles (title), which a foreign key of theirs
    refers to: a title changed stopped the run with SQLite's bare "FOREIGN KEY
    constraint failed", naming no table. It names the table, and what to do."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE UNIQUE INDEX titles ON muscles (title)")
        conn.execute(f"CREATE TABLE notes (title TEXT REFERENCES muscles (title) {on_update},"
                     " note TEXT)")
        conn.execute("INSERT INTO notes SELECT title, 'mine' FROM muscles "
                     "WHERE slug = 'soleus'")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write(_soleus_edited(sample_muscles), db, "sqlite")
    assert [(d.path, d.code, d.message) for d in caught.value.diagnostics] == [(
        str(db), "sqlite-error",
        "SQLite failed: FOREIGN KEY constraint failed: a row of your table 'notes' (which "
        "refers to muscles) stands in the way of this change (let the reference follow the "
        "change, ON UPDATE CASCADE, or refer to the row by its key, as muscles (slug), "
        "which a write never changes)")]
    assert db.read_bytes() == before


def test_a_users_table_named_in_text_that_is_not_utf8_that_blocks_a_change_is_named(
        sample_muscles: list[Muscle], db: Path) -> None:
    """It was named no more than "SQLite failed: FOREIGN KEY constraint failed": reading
    the tables' names failed on its name."""
    write(sample_muscles, db)
    subprocess.run(  # (the sqlite3 shell: Python's SQL text is UTF-8)
        [shutil.which("sqlite3") or "sqlite3", str(db)], check=True,
        input=b"PRAGMA foreign_keys = ON; CREATE TABLE pins\xff (id INTEGER REFERENCES "
              b"muscles (id)); INSERT INTO pins\xff SELECT id FROM muscles "
              b"WHERE slug = 'soleus';", timeout=WAIT)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write([m for m in sample_muscles if m.slug != "soleus"], db, "sqlite",
                        prune=True)
    (d,) = caught.value.diagnostics
    assert d.message == (
        "SQLite failed: FOREIGN KEY constraint failed: a row of your table 'pins\ufffd' "
        "(which refers to muscles) stands in the way of this change (let the reference "
        "cascade, ON DELETE CASCADE, or remove the row)")
    assert db.read_bytes() == before


def _soleus_edited(sample_muscles: list[Muscle], *, regions: int = 2) -> list[Muscle]:
    """The samples with soleus edited in every table but keeping its keys: new texts, a
    renamed exercise, its first ``regions`` polygons moved (the first one point short)."""
    soleus = next(m for m in sample_muscles if m.slug == "soleus")
    first = soleus.functions[0]
    moved = tuple(Region(tuple((x + 1, y + 2) for x, y in (
        region.points[:-1] if r == 0 else region.points)))
        for r, region in enumerate(soleus.regions[:regions]))
    edited = replace(
        soleus, title="Soleus (edited)",
        origin=LocalizedText({**soleus.origin, "en": "Edited origin"}),
        functions=(replace(first, short=LocalizedText({**first.short, "en": "Edited"})),
                   *soleus.functions[1:]),
        exercises=("Edited raises", *soleus.exercises[1:]), regions=moved)
    return [edited if m is soleus else m for m in sample_muscles]


#: A user's table referring to a row of soleus by its key: (parent, its key, the row).
_PINS = {
    "regions": ("muscle, position", "muscle = 'soleus' AND position = 0"),
    "points": ("muscle, region, position", "muscle = 'soleus' AND region = 0 AND position = 0"),
    "exercises": ("muscle, position", "muscle = 'soleus' AND position = 0"),
    "functions": ("muscle, position, part, language",
                  "muscle = 'soleus' AND position = 0 AND part = 'short' AND language = 'en'"),
    "texts": ("id", "muscle = 'soleus' AND field = 'origin' AND language = 'en'"),
}


def _pin(db: Path, table: str, where: str) -> None:
    """A user's table ``notes`` with one row referring to the row of ``table`` that
    ``where`` finds (no ON DELETE CASCADE: removing that row fails)."""
    keys = _PINS[table][0]
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"CREATE TABLE notes ({keys}, note TEXT, "
                     f"FOREIGN KEY ({keys}) REFERENCES {table} ({keys}))")
        conn.execute(f"INSERT INTO notes SELECT {keys}, 'mine' FROM {table} WHERE {where}")


@pytest.mark.parametrize("table", list(_PINS))
def test_a_users_row_referring_to_a_row_an_edit_keeps_stays(
        table: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A changed muscle's rows in the other tables were all deleted and written anew: a
    row of a user's table that referred to one stopped the run (its region 0 with its
    points moved), though the edit kept that row's key."""
    write(sample_muscles, db)
    keys, where = _PINS[table]
    _pin(db, table, where)
    pinned = query(db, f"SELECT {keys} FROM {table} WHERE {where}")
    edited = _soleus_edited(sample_muscles)
    assert write(edited, db) == f"{db}: " + counts(0, 1, len(sample_muscles) - 1, 0)
    assert converter.read(db) == by_slug(edited)
    assert query(db, f"SELECT {keys} FROM notes NATURAL JOIN {table}") == pinned
    assert query(db, "SELECT coords FROM region_coords WHERE slug = 'soleus'") == [
        (",".join(f"{x},{y}" for x, y in region.points),)
        for region in next(m for m in edited if m.slug == "soleus").regions]
    assert search(db, '"edited origin"', "en") == {"soleus"}


@pytest.mark.parametrize(("table", "where", "regions"), [
    ("regions", "muscle = 'soleus' AND position = 1", 1),
    ("points", "muscle = 'soleus' AND region = 0 AND position = 5", 2),
])
def test_a_users_row_referring_to_a_row_an_edit_removes_stops_the_run(
        table: str, where: str, regions: int, sample_muscles: list[Muscle], db: Path) -> None:
    """Only the rows whose keys are gone are deleted, and those still may not be
    (soleus's region 1 removed; its region 0 one point short)."""
    write(sample_muscles, db)
    _pin(db, table, where)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write(_soleus_edited(sample_muscles, regions=regions), db, "sqlite")
    (d,) = caught.value.diagnostics
    assert (d.path, d.code, d.message) == (str(db), "sqlite-error", (
        f"SQLite failed: FOREIGN KEY constraint failed: a row of your table 'notes' (which "
        f"refers to {table}) stands in the way of this change (let the reference cascade, "
        "ON DELETE CASCADE, or remove the row)"))
    assert db.read_bytes() == before
    assert_consistent(db)


def _titled_gastrocnemius(sample_muscles: list[Muscle], how: str) -> list[Muscle]:
    """The samples with soleus retitled Gastrocnemius (``changed``), or with a new muscle
    of that title (``added``)."""
    if how == "added":
        return [*sample_muscles, Muscle(slug="calf", title="Gastrocnemius")]
    return [replace(m, title="Gastrocnemius") if m.slug == "soleus" else m
            for m in sample_muscles]


@pytest.mark.parametrize("how, slug", [("changed", "soleus"), ("added", "calf")])
def test_a_users_unique_index_that_a_write_breaks_is_named_with_the_muscle(
        how: str, slug: str, sample_muscles: list[Muscle], db: Path) -> None:
    """Two muscles of one title under the user's UNIQUE index on muscles (title) were
    SQLite's bare "UNIQUE constraint failed: muscles.title", naming no index or muscle."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE UNIQUE INDEX my_titles ON muscles (title)")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write(_titled_gastrocnemius(sample_muscles, how), db, "sqlite")
    assert [(d.path, d.line, d.field, d.code, d.message)
            for d in caught.value.diagnostics] == [(
                str(db), None, f"muscles[{slug}].title", "sqlite-error",
                "SQLite failed: UNIQUE constraint failed: muscles.title: your UNIQUE index "
                "'my_titles' on muscles (title) refuses the title 'Gastrocnemius' of muscle "
                f"'{slug}', which muscle 'gastrocnemius' has already; drop that index (DROP "
                "INDEX \"my_titles\") or make the values of title differ, and run again; "
                "nothing is changed")]
    assert db.read_bytes() == before


def test_a_users_partial_unique_index_names_the_muscle_that_holds_the_value(
        sample_muscles: list[Muscle], db: Path) -> None:
    """A partial UNIQUE index's refusal named no muscle that had the value already (the
    full index's did): the holder is looked for among the rows the index holds, not a
    row of that title it leaves out (written first)."""
    outside = Muscle(slug="aaa-calf", title="Gastrocnemius")
    write([outside, *sample_muscles], db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE UNIQUE INDEX my_titles ON muscles (title) "
                     "WHERE slug NOT LIKE 'aaa-%'")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write([outside, *_titled_gastrocnemius(sample_muscles, "changed")], db,
                        "sqlite")
    assert [(d.field, d.message) for d in caught.value.diagnostics] == [(
        "muscles[soleus].title",
        "SQLite failed: UNIQUE constraint failed: muscles.title: your UNIQUE index "
        "'my_titles' on muscles (title) refuses the title 'Gastrocnemius' of muscle "
        "'soleus', which muscle 'gastrocnemius' has already; drop that index (DROP "
        "INDEX \"my_titles\") or make the values of title differ, and run again; "
        "nothing is changed")]
    assert db.read_bytes() == before


def test_a_users_unique_index_that_a_run_breaks_names_the_source_line(
        tmp_path: Path) -> None:
    content, db = tmp_path / "content", tmp_path / "e6.db"
    shutil.copytree(SAMPLES, content)
    assert _cli("convert", str(content), "--to", "sqlite", "-o", str(db))[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE UNIQUE INDEX my_titles ON muscles (title)")
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace(
        "\ntitle: Soleus\n", "\ntitle: Gastrocnemius\n"), encoding="utf-8")
    code, output = _cli("convert", str(content), "--to", "sqlite", "-o", str(db))
    said = [line for line in output.splitlines() if "[sqlite-error]" in line]
    assert code == 1
    assert said == [f"{db}: error: muscles[soleus].title: SQLite failed: UNIQUE constraint "
                    "failed: muscles.title: your UNIQUE index 'my_titles' on muscles (title) "
                    "refuses the title 'Gastrocnemius' of muscle 'soleus' "
                    f"({soleus}:2:8), which muscle 'gastrocnemius' has already; drop that "
                    "index (DROP INDEX \"my_titles\") or make the values of title differ, "
                    "and run again; nothing is changed [sqlite-error]"]


def test_a_users_trigger_that_refuses_a_write_is_named_with_the_muscle(
        sample_muscles: list[Muscle], db: Path) -> None:
    """A user's BEFORE trigger that RAISEs was SQLite's bare "texts are locked"."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TRIGGER lock_texts BEFORE UPDATE ON texts "
                     "BEGIN SELECT RAISE(ABORT, 'texts are locked'); END")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write(_soleus_edited(sample_muscles), db, "sqlite")
    assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [(
        str(db), "muscles[soleus].origin.en", "sqlite-error",
        "SQLite failed: texts are locked: your trigger 'lock_texts' on texts refuses to "
        "write the row of muscle 'soleus'; drop or change that trigger, and run again; "
        "nothing is changed")]
    assert db.read_bytes() == before


#: Triggers of a user's on texts: those that refuse a write of soleus's edited origin
#: are named (``RAISE`` of a message not as the trigger's text spells it, a quote in it
#: doubled there, as one made by an expression (SQLite 3.47 on) is not there at all; a
#: message in the text of more than one trigger, of one that does not fire, or of two
#: that do).
USER_TRIGGERS = {
    "quoted": (["CREATE TRIGGER lock_texts BEFORE UPDATE ON texts BEGIN SELECT "
                "RAISE(ABORT, 'it''s locked'); END"],
               "it's locked", "trigger 'lock_texts' on texts refuses", "that trigger"),
    "one of two": (["CREATE TRIGGER lock_danish BEFORE UPDATE ON texts WHEN NEW.language "
                    "= 'da' BEGIN SELECT RAISE(ABORT, 'locked'); END",
                    "CREATE TRIGGER lock_english BEFORE UPDATE ON texts WHEN NEW.language "
                    "= 'en' BEGIN SELECT RAISE(ABORT, 'locked'); END"],
                   "locked", "trigger 'lock_english' on texts refuses", "that trigger"),
    "both": (["CREATE TRIGGER lock_a BEFORE UPDATE ON texts BEGIN SELECT "
              "RAISE(ABORT, 'locked'); END",
              "CREATE TRIGGER \"lock \"\"b\"\"\" AFTER UPDATE ON texts BEGIN SELECT "
              "RAISE(ABORT, 'locked'); END"],
             "locked", "triggers 'lock \"b\"', 'lock_a' on texts refuse", "those triggers"),
}


@pytest.mark.parametrize("case", USER_TRIGGERS)
def test_the_triggers_that_refuse_a_write_are_named(
        case: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A trigger's RAISE of a message its text does not hold as said (a quote in it), or
    of one more than one trigger's text holds, was SQLite's bare message: no trigger's
    text held it once.
    Each trigger that refuses the row alone is named; nothing is dropped."""
    triggers, said, named, those = USER_TRIGGERS[case]
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for trigger in triggers:
            conn.execute(trigger)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write(_soleus_edited(sample_muscles), db, "sqlite")
    assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [(
        str(db), "muscles[soleus].origin.en", "sqlite-error",
        f"SQLite failed: {said}: your {named} to write the row of muscle 'soleus'; drop "
        f"or change {those}, and run again; nothing is changed")]
    assert db.read_bytes() == before
    assert len(query(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                         "AND tbl_name = 'texts' AND sql LIKE '%RAISE%'")) == len(triggers)


#: A user's log of texts written (a trigger on texts that writes a row there).
_LOG = ["CREATE TABLE log (muscle TEXT, language TEXT)",
        "CREATE TRIGGER log_texts AFTER UPDATE ON texts BEGIN INSERT INTO log "
        "VALUES (NEW.muscle, NEW.language); END"]
#: Triggers of a user's that refuse a write of soleus's edited origin from a table the
#: write reaches, not from texts: (the statements, the message, what refuses it, what
#: to do); the muscle written is soleus.
REACHED_TRIGGERS = {
    "through a trigger": (
        [*_LOG, "CREATE TRIGGER lock_log BEFORE INSERT ON log BEGIN SELECT "
         "RAISE(ABORT, 'the log is full'); END"],
        "the log is full", "your trigger 'lock_log' on table 'log' refuses",
        "drop or change that trigger"),
    "one of two alike": (
        [*_LOG, "CREATE TRIGGER lock_english BEFORE INSERT ON log WHEN NEW.language = 'en' "
         "BEGIN SELECT RAISE(ABORT, 'it''s full'); END",
         "CREATE TRIGGER lock_latin BEFORE INSERT ON log WHEN NEW.language = 'la' "
         "BEGIN SELECT RAISE(ABORT, 'it''s full'); END"],
        "it's full", "your trigger 'lock_english' on table 'log' refuses",
        "drop or change that trigger"),
    "not one alone": (
        ["CREATE TABLE log (muscle TEXT, language TEXT)",
         "CREATE TRIGGER log_texts AFTER UPDATE ON texts BEGIN INSERT INTO log "
         "VALUES (NEW.muscle, NEW.language); SELECT RAISE(ABORT, 'full') "
         "WHERE NEW.text IS NULL; END",
         "CREATE TRIGGER lock_log BEFORE INSERT ON log BEGIN SELECT "
         "RAISE(ABORT, 'full'); END"],
        "full", "one of your triggers 'lock_log' on table 'log', 'log_texts' on table "
        "'texts' (SQLite does not say which) refuses", "drop or change the one that does"),
}


@pytest.mark.parametrize("case", REACHED_TRIGGERS)
def test_a_trigger_on_a_table_the_write_reaches_that_refuses_it_is_named(
        case: str, sample_muscles: list[Muscle], db: Path) -> None:
    """A RAISE of a trigger on another table than the one written (a row of the user's
    log that a trigger on texts writes) was SQLite's bare message: only the triggers of
    the table written were looked at. The trigger that fired is named with its table,
    or, when not one refuses the row alone, those that could have; nothing is dropped."""
    statements, said, named, fix = REACHED_TRIGGERS[case]
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        for statement in statements:
            conn.execute(statement)
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write(_soleus_edited(sample_muscles), db, "sqlite")
    assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [(
        str(db), "muscles[soleus].origin.en", "sqlite-error",
        f"SQLite failed: {said}: {named} a change that writing the texts row of muscle "
        f"'soleus' makes; {fix}, and run again; nothing is changed")]
    assert db.read_bytes() == before
    assert_consistent(db)
    assert len(query(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                         "AND sql LIKE '%RAISE%'")) == sum("RAISE" in s for s in statements)


def test_a_trigger_on_a_table_a_removal_cascades_to_is_named(
        sample_muscles: list[Muscle], db: Path) -> None:
    """A muscle pruned whose row of the user's notes cascades away, which a trigger on
    notes refuses, was SQLite's bare message."""
    write(sample_muscles, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE notes (muscle TEXT REFERENCES muscles (slug) "
                     "ON DELETE CASCADE, note TEXT)")
        conn.execute("INSERT INTO notes VALUES ('soleus', 'tight')")
        conn.execute("CREATE TRIGGER keep_notes BEFORE DELETE ON notes BEGIN "
                     "SELECT RAISE(ABORT, 'notes are kept'); END")
    before = db.read_bytes()
    with pytest.raises(MuscleError) as caught:
        converter.write([m for m in sample_muscles if m.slug != "soleus"], db, "sqlite",
                        prune=True)
    assert [(d.path, d.field, d.code, d.message) for d in caught.value.diagnostics] == [(
        str(db), "muscles[soleus]", "sqlite-error",
        "SQLite failed: notes are kept: your trigger 'keep_notes' on table 'notes' refuses "
        "a change that deleting the muscles row of muscle 'soleus' makes; drop or change "
        "that trigger, and run again; nothing is changed")]
    assert db.read_bytes() == before


def test_a_database_a_reader_holds_is_waited_for_once(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With a reader's transaction open on the database (a sqlite3 shell's BEGIN;
    SELECT), a cached run after one edit waited the busy timeout twice, in the update
    in place and again in the full write that followed it (a minute, not 30 s), before
    it failed with 'database is locked'."""
    from converter.run import convert_sources

    content, db, cache = tmp_path / "content", tmp_path / "m.db", tmp_path / "cache"
    shutil.copytree(SAMPLES, content)
    run = lambda: convert_sources([content], get_format("sqlite"), db, jobs=1,  # noqa: E731
                                  cache_dir=cache)
    run()
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("title: ", "title: X", 1),
                      encoding="utf-8")
    waits: list[tuple[str, float]] = []  # (the statements that waited in vain, how long)
    retried = sqlite_format.writing.retried

    def counted(conn: sqlite3.Connection, statement: str, seconds: float,
                *args: object, **kwargs: object) -> sqlite3.Cursor:
        try:
            return retried(conn, statement, seconds, *args, **kwargs)
        except sqlite3.OperationalError:
            waits.append((statement, seconds))
            raise

    monkeypatch.setattr(sqlite_format.writing, "BUSY_SECONDS", 0.2)
    monkeypatch.setattr(sqlite_format.writing, "retried", counted)
    reader = sqlite3.connect(db, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM muscles").fetchall()  # (its shared lock)
        locked = run()
    finally:
        reader.close()
    assert [(d.code, "database is locked" in d.message) for d in locked.diagnostics
            if d.path == str(db)] == [("sqlite-error", True)]
    # (the update in place tries its COMMIT once, waiting for nothing)
    assert [wait for wait in waits if wait[1]] == [("COMMIT", 0.2)]
    assert run().count == len(list(SAMPLES.glob("*.md")))  # (once the reader is gone)


def test_a_users_row_referring_to_the_last_text_an_edit_removes_stops_the_run(
        sample_muscles: list[Muscle], db: Path) -> None:
    """With foreign keys checked at COMMIT (0c8dc75, reverted), the new text took the
    removed one's id, the user's row then referred to it, and the run went through: a
    card about a muscle's English insertion came to show its German one."""
    write(sample_muscles, db)
    with sqlite3.connect(db) as conn:
        text_id, slug, field, language = conn.execute(
            "SELECT id, muscle, field, language FROM texts WHERE field IN "
            "('origin', 'insertion') ORDER BY id DESC LIMIT 1").fetchone()
        conn.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, text_id INTEGER NOT NULL "
                     "REFERENCES texts (id))")
        conn.execute("INSERT INTO cards (text_id) VALUES (?)", (text_id,))
    before = db.read_bytes()
    edited = []
    for muscle in sample_muscles:
        if muscle.slug == slug:
            texts = dict(getattr(muscle, field))
            texts["xx" if "xx" not in texts else "xy"] = texts.pop(language)
            muscle = replace(muscle, **{field: LocalizedText(texts)})
        edited.append(muscle)
    with pytest.raises(MuscleError, match="table 'cards' \\(which refers to texts\\)"):
        converter.write(edited, db, "sqlite")
    assert db.read_bytes() == before


def test_the_lints_of_what_the_database_holds_are_said_beside_a_muscles_errors(
        db: Path) -> None:
    """An unsafe link or a polygon that crosses itself in a muscle with an extra that is
    no JSON was said a run later. A polygon read with a coordinate that is none as 0,
    and a function with a row of no kind, are not what the database holds: no lint."""
    square = Region(((0, 0), (10, 0), (10, 10), (0, 10)))
    write([Muscle(slug="a", title="A", regions=(square,)),
           Muscle(slug="c", title="C", regions=(square, square),
                  functions=(Function(LocalizedText.of({"en": "flex"}),
                                      LocalizedText.of({"en": "x"})),))], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE muscles SET extra = '{broken', image = 'javascript:x' "
                     "WHERE slug = 'a'")
        for slug, region in (("a", 0), ("c", 1)):  # (0,0 10,10 10,0 0,10: crossing)
            conn.execute("UPDATE points SET y = 10 - y WHERE muscle = ? AND region = ? AND "
                         "position IN (1, 2)", (slug, region))
        conn.execute("UPDATE points SET x = 'abc' WHERE muscle = 'c' AND region = 0 AND "
                     "position = 1")  # (read as 0: the square would cross itself)
        conn.execute("UPDATE functions SET text = ' ' WHERE part = 'extended'")
        conn.execute("UPDATE functions SET part = 'long' WHERE part = 'short'")
        conn.execute("UPDATE muscles SET image = 'javascript:y' WHERE slug = 'c'")
        conn.commit()
    found = validate_sources([db]).diagnostics
    assert [(d.field, d.code) for d in found] == [
        ("muscles[a].extra", "bad-json"), ("muscles[a].regions[0]", "polygon-self-intersecting"),
        ("muscles[a].image", "unsafe-link"), ("muscles[c]", "bad-value"),
        ("muscles[c].regions[0].points[1].x", "coords-not-number"),
        ("muscles[c].regions[1]", "polygon-self-intersecting"),
        ("muscles[c].image", "unsafe-link")]


def test_two_texts_rows_of_one_language_in_other_case_are_an_error(db: Path) -> None:
    """Two rows of texts (or functions) whose languages differ only in case were two
    languages of one field: they name one language, as BCP 47 codes ignore case."""
    write([Muscle(slug="a", title="A", origin=LocalizedText.of({"pt-br": "x"}),
                  functions=(Function(LocalizedText.of({"en-gb": "s"})),)),
           Muscle(slug="b", title="B", origin=LocalizedText.of({"pt-BR": "y"}))], db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("INSERT INTO texts (muscle, field, language, text) SELECT muscle, "
                     "field, 'pt-BR', 'z' FROM texts WHERE language = 'pt-br'")
        conn.execute("INSERT INTO functions (muscle, position, part, language, text) SELECT "
                     "muscle, position, part, 'en-GB', 'z' FROM functions")
    found, problems = read_with_diagnostics(db)
    assert [m.slug for m in found] == ["b"]
    assert sorted((p.field, p.code) for p in problems) == [
        ("muscles[a].functions[0].short.en-gb", "duplicate-key"),
        ("muscles[a].origin.pt-br", "duplicate-key")]


def test_a_muscle_left_out_for_a_text_that_is_not_utf8_says_its_other_problems(
        db: Path) -> None:
    """A muscle with a title that is not UTF-8 said only that; its control character,
    unsafe link and polygon that crosses itself were said a run later. A coordinate or a
    language that is not UTF-8 has no other problem of its own (nor its polygon a lint)."""
    square = Region(((0, 0), (10, 0), (10, 10), (0, 10)))
    write([Muscle(slug="a", title="A", origin=LocalizedText.of({"en": "o", "da": "p"}),
                  regions=(square, square)), Muscle(slug="b", title="B")], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE muscles SET title = CAST(x'41ff' AS TEXT), image = "
                     "'javascript:x' WHERE slug = 'a'")
        conn.execute("UPDATE texts SET text = 'o' || char(1) WHERE language = 'en'")
        conn.execute("UPDATE texts SET language = CAST(x'64ff' AS TEXT) WHERE language = 'da'")
        conn.execute("UPDATE points SET y = 10 - y WHERE region = 0 AND position IN (1, 2)")
        conn.execute("UPDATE points SET x = CAST(x'31ff' AS TEXT) WHERE region = 1 AND "
                     "position = 0")
        conn.commit()
    assert [m.slug for m in read_with_diagnostics(db)[0]] == ["b"]
    found = validate_sources([db]).diagnostics
    assert sorted((d.field, d.code) for d in found) == [
        ("muscles[a].image", "unsafe-link"),
        ("muscles[a].origin.d\ufffd", "not-utf8"),
        ("muscles[a].origin.en", "control-character"),
        ("muscles[a].regions[0]", "polygon-self-intersecting"),
        ("muscles[a].regions[1].points[0].x", "not-utf8"),
        ("muscles[a].title", "not-utf8")]


def test_a_new_databases_rows_reach_its_file_as_they_are_loaded(tmp_path: Path) -> None:
    """A new database's load kept 32 MiB of its pages in memory until the commit (the
    writer's own memory: 90 MB for the bench's 20,000 files against 46 MB for JSON
    Lines); it keeps 8 MiB, and what it loads past that is on disk before the load ends:
    here, when the 1,001st of 1,200 muscles of 20 KB is asked for (the first 1,000 are
    loaded, in batches of 500), the temporary file the database is built in holds at
    least 8 MiB."""
    out = tmp_path / "out" / "m.db"
    out.parent.mkdir()
    on_disk = []

    def records() -> Iterator[tuple[str, str]]:
        for i in range(1_200):
            if i == 1_000:
                on_disk.append(sum(p.stat().st_size for p in out.parent.iterdir()))
            muscle = Muscle(slug=f"m{i:04}", title=f"M {i}", body=f"{i:04} " * 4_000)
            yield muscle.slug, json.dumps(sqlite_format.row(muscle))

    get_format("sqlite").write_records(records(), out, WriteContext())
    assert on_disk[0] >= 8 << 20
    assert len(converter.read(out)) == 1_200


def test_a_body_holding_nul_is_named_body_not_extra_body(tmp_path: Path) -> None:
    """It was named ``muscles[c].extra.body``: the validator took the body for a key of
    the record's extra."""
    db = tmp_path / "m.db"
    write([Muscle(slug="c", title="C", extra=freeze({"body": 1}))], db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE muscles SET body = 'x' || char(0) || 'y'")
        conn.commit()
    found = validate_sources([db]).diagnostics
    assert [(d.field, d.code) for d in found] == [("muscles[c].body", "control-character")]
