"""converter.sqlitewait: which of SQLite's errors are waited out, and for how long."""

from __future__ import annotations

import sqlite3
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from converter import sqlitewait


def _failing(code: int, name: str) -> sqlite3.OperationalError:
    """An error as SQLite's module raises it, with its extended code and name."""
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode, exc.sqlite_errorname = code, name
    return exc


@pytest.fixture
def tries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[sqlite3.OperationalError]]:
    """Errors each try of a statement raises in turn, before one that succeeds: the
    statements :func:`sqlitewait.retried` runs meet them (no real lock: SQLite gives a
    recovering WAL log's busy error only while another process recovers it)."""
    pending: list[sqlite3.OperationalError] = []

    def execute(conn: object, statement: str, parameters: object = ()) -> str:
        if pending:
            raise pending.pop(0)
        return f"ran {statement}"

    fake = types.SimpleNamespace(**{name: getattr(sqlite3, name) for name in dir(sqlite3)
                                    if name.isupper() or name.endswith("Error")})
    fake.Connection = types.SimpleNamespace(execute=execute)
    monkeypatch.setattr(sqlitewait, "sqlite3", fake)
    yield pending


@pytest.mark.parametrize("name", ["SQLITE_BUSY", "SQLITE_BUSY_RECOVERY",
                                  "SQLITE_BUSY_TIMEOUT"])
def test_every_busy_error_is_waited_out(tries: list[sqlite3.OperationalError],
                                        name: str) -> None:
    tries += [_failing(getattr(sqlite3, name), name)] * 3
    assert sqlitewait.retried(None, "BEGIN IMMEDIATE", 5.0) == "ran BEGIN IMMEDIATE"  # type: ignore[arg-type]
    assert not tries


@pytest.mark.parametrize("name", ["SQLITE_BUSY_SNAPSHOT", "SQLITE_LOCKED", "SQLITE_IOERR"])
def test_an_error_no_wait_helps_is_raised_at_once(tries: list[sqlite3.OperationalError],
                                                  name: str) -> None:
    tries += [_failing(getattr(sqlite3, name), name), _failing(sqlite3.SQLITE_BUSY, "x")]
    with pytest.raises(sqlite3.OperationalError) as raised:
        sqlitewait.retried(None, "COMMIT", 5.0)  # type: ignore[arg-type]
    assert raised.value.sqlite_errorname == name  # type: ignore[attr-defined]
    assert len(tries) == 1


def test_a_database_still_held_when_the_time_is_up_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        waiting = sqlitewait.connect(path, 0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            waiting.execute("SELECT * FROM t")
        waiting.close()
    finally:
        holder.rollback()
        holder.close()
    free = sqlitewait.connect(path, 0.05)
    assert free.execute("SELECT count(*) FROM t").fetchone() == (0,)
    free.close()
