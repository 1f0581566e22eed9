"""Databases in WAL mode (``PRAGMA journal_mode=WAL``, as a user or Datasette sets it)
read where we cannot write: in a folder that cannot be written, through a link; and
written into, held open by another program, or by a run killed mid-write."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import converter
from converter.model import Muscle
from tests.conftest import ROOT, SAMPLES, WAIT
from tests.formats.test_sqlite import _cli, _wal_database, assert_consistent, by_slug, counts
from tests.killing import kill_while
from tests.waits import until

#: What the reader says of a database in WAL mode with a -wal beside it but no -shm, in a
#: folder where SQLite cannot make one (``{db}``: the database as named).
CANNOT_READ = (
    "{db}: error: cannot be read here: its write-ahead log, muscles.db-wal, may hold "
    "changes not yet in the database, which SQLite reads only through a muscles.db-shm "
    "file it cannot create in this folder (a read-only folder or file system); open the "
    "database once with sqlite3 where it can be written, which moves them in, or copy "
    "both files to such a folder [sqlite-error]")
#: What the reader says of a database in WAL mode with neither a -wal nor a -shm beside
#: it, in a folder this user cannot write on a file system that can be written.
NO_SHM = (
    "{db}: error: cannot be read here: SQLite reads a database in WAL mode only through "
    "files it makes beside it (muscles.db-wal and muscles.db-shm), which it cannot create "
    "in this folder (this user may not write there), and read without them it could read "
    "a change another program makes meanwhile half-made; read a copy its owner makes: "
    "`sqlite3 {db} '.backup copy.db'`, or ask its owner to let this user write that "
    "folder [sqlite-error]")


def _as_user(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    """``muscle-convert ARGS --no-cache`` in ``tmp_path`` as a user who cannot override
    permissions (``unshare --user``: root's files are no longer its own to override):
    its exit status and the lines of its standard error but the samples' warnings (their
    count in a summary shown as ``N``)."""
    done = subprocess.run(
        ["unshare", "--user", sys.executable, "-m", "converter", *args, "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, timeout=WAIT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, [re.sub(r"\b\d+ warnings\b", "N warnings", line)
                             for line in done.stderr.splitlines() if ": warning: " not in line]


@pytest.mark.parametrize("file_mode", [0o644, 0o444], ids=["file-writable", "file-read-only"])
def test_a_wal_database_in_a_folder_that_cannot_be_written_is_read_only_with_locks(
        file_mode: int, sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """In a folder we cannot write (chmod 555) on a file system we can, SQLite cannot
    make the -shm file it reads a database in WAL mode through, and says
    SQLITE_READONLY_DIRECTORY (not SQLITE_CANTOPEN, as on a read-only file system).
    With its -shm beside it, it is read through it (its -wal's changes too); with a -wal
    but no -shm, one error naming the -wal. With neither it was read as immutable, with
    no lock, though its owner's program may write it meanwhile (a change read half-made:
    see the next test); it is one error saying why and what to do now."""
    folders = {name: tmp_path / "wal" / name for name in ("closed", "held", "logged")}
    for name, folder in folders.items():
        _wal_database(folder, sample_muscles, log=name != "closed", shm=name == "held")
    before = {name: sorted(p.name for p in folder.iterdir()) for name, folder in folders.items()}
    for folder in folders.values():
        for file in folder.iterdir():
            file.chmod(file_mode)
        folder.chmod(0o555)
    try:
        runs = {(name, command): _as_user(tmp_path, *(
            ["convert", f"wal/{name}/muscles.db", "--to", "json", "-o", f"{name}.json"]
            if command == "convert" else ["validate", f"wal/{name}/muscles.db"]))
            for name in folders for command in ("convert", "validate")}
    finally:
        for folder in folders.values():
            folder.chmod(0o755)
    count = len(sample_muscles)
    assert runs == {
        ("closed", "convert"): (1, [NO_SHM.format(db="wal/closed/muscles.db"),
                                    "nothing written to closed.json: no muscle was read; "
                                    "0 muscles converted, 1 file failed"]),
        ("closed", "validate"): (1, [NO_SHM.format(db="wal/closed/muscles.db"),
                                     "0 muscles valid, 1 file failed: 1 error, N warnings"]),
        ("held", "convert"): (0, [f"wrote {count} muscles to held.json; {count} muscles "
                                  "converted, 0 files failed"]),
        ("held", "validate"): (0, [f"{count} muscles valid: 0 errors, N warnings"]),
        ("logged", "convert"): (1, [CANNOT_READ.format(db="wal/logged/muscles.db"),
                                    "nothing written to logged.json: no muscle was read; "
                                    "0 muscles converted, 1 file failed"]),
        ("logged", "validate"): (1, [CANNOT_READ.format(db="wal/logged/muscles.db"),
                                     "0 muscles valid, 1 file failed: 1 error, N warnings"]),
    }
    titles = {m["slug"]: m["title"] for m in json.loads(
        (tmp_path / "held.json").read_text(encoding="utf-8"))["muscles"]}
    assert titles == {**{m.slug: m.title for m in sample_muscles}, "soleus": "Changed"}
    assert not (tmp_path / "closed.json").exists()
    assert {name: sorted(p.name for p in folder.iterdir())
            for name, folder in folders.items()} == before


#: A writer of the database in WAL mode ``sys.argv[1]`` (another user's program): until
#: the file ``sys.argv[2]`` is there, it retitles every muscle in one transaction
#: (``T<n> <slug> x...``, long enough to span many pages), commits and closes, SQLite
#: then moving the change into the database and removing its -wal and -shm; it makes
#: ``sys.argv[3]`` after its first commit. A short pause between commits leaves the
#: database without a -wal for a reader to open it so.
WRITER = """
import pathlib, sqlite3, sys, time
db, stop, started = sys.argv[1:4]
deadline = time.monotonic() + float(sys.argv[4])
n = 0
while not pathlib.Path(stop).exists() and time.monotonic() < deadline:
    n += 1
    conn = sqlite3.connect(db)
    conn.execute("UPDATE muscles SET title = ? || slug || ' ' || printf('%.3000c', 'x')",
                 (f"T{n} ",))
    conn.commit()
    conn.close()
    pathlib.Path(started).touch()
    time.sleep(0.01)
"""


def test_a_wal_database_another_program_writes_is_never_read_half_changed(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """A database in WAL mode that its owner's program writes (each commit of every
    title, then its close, which moves the change in and removes the -wal), in a folder
    we cannot write (chmod 555, root's writer writing all the same): a read that found
    no -wal opened it as immutable, without locks, and read some titles of one commit
    and some of the next (3 of these 20 runs, 6 of a reviewer's 30), exit 0, nothing
    said. Each read now is either whole, of
    one commit (through the -shm the writer holds), or the one error saying why it
    cannot be read here (or the -wal's, when the writer's came and went as it was
    opened): never a mix."""
    folder = tmp_path / "d"
    _wal_database(folder, sample_muscles, log=False, shm=False)
    stop, started = tmp_path / "stop", tmp_path / "started"
    folder.chmod(0o555)  # (the writer, root, writes it all the same)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder / "muscles.db"),
                               str(stop), str(started), str(WAIT)])
    try:
        until(started.exists, "the writer's first commit")
        runs = [_as_user(tmp_path, "convert", "d/muscles.db", "--to", "jsonl", "-o",
                         f"out{run}.jsonl", "-q") for run in range(20)]
    finally:
        stop.touch()
        writer.wait(timeout=WAIT)
        folder.chmod(0o755)
    commits = []
    for run, (code, said) in enumerate(runs):
        out = tmp_path / f"out{run}.jsonl"
        if code:
            assert code == 1, said  # (the -wal there at its open, gone again: named)
            assert said[0] in {error.format(db="d/muscles.db")
                               for error in (NO_SHM, CANNOT_READ)}, said
            assert not out.exists()
            continue
        titles = [json.loads(line)["title"] for line in out.read_text(
            encoding="utf-8").splitlines()]
        assert len(titles) == len(sample_muscles)
        commits.append({title.split()[0] for title in titles})
    assert [seen for seen in commits if len(seen) > 1] == []


def test_a_link_to_a_wal_database_in_a_folder_that_cannot_be_written_misses_no_change(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """Through a symbolic link (in a folder we can write) to a database in WAL mode in
    one we cannot, with a -wal but no -shm beside it, the reader looked for the -wal
    beside the link, found none, and read the database as immutable: without the
    changes in its -wal (soleus's title), silently, exit 0. SQLite keeps the -wal beside
    the file the link names: it is found there, and the read is the one error that
    names it; the database and its -wal are left as they were."""
    folder = tmp_path / "wal" / "logged"
    _wal_database(folder, sample_muscles, log=True, shm=False)
    link = tmp_path / "link.db"
    link.symlink_to(folder / "muscles.db")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    folder.chmod(0o555)
    try:
        runs = [_as_user(tmp_path, "convert", "link.db", "--to", "json", "-o", "out.json"),
                _as_user(tmp_path, "validate", "link.db")]
    finally:
        folder.chmod(0o755)
    said = (f"link.db: error: cannot be read here: its write-ahead log, {folder}/muscles.db-"
            "wal, may hold changes not yet in the database, which SQLite reads only "
            "through a muscles.db-shm file it cannot create in that folder (a read-only "
            "folder or file system); open the database once with sqlite3 where it can be "
            "written, which moves them in, or copy both files to such a folder "
            "[sqlite-error]")
    assert runs == [
        (1, [said, "nothing written to out.json: no muscle was read; 0 muscles converted, "
                   "1 file failed"]),
        (1, [said, "0 muscles valid, 1 file failed: 1 error, N warnings"])]
    assert not (tmp_path / "out.json").exists()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize(("log", "kind"), [("-wal", "write-ahead log"),
                                           ("-shm", "write-ahead log's index")])
def test_a_wal_databases_log_that_cannot_be_opened_is_named(
        log: str, kind: str, sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """A -wal or -shm we may not read (another user's program had the database open:
    chmod 000 here), in a folder we can write, was said to be a -shm SQLite "cannot
    create in this folder (a read-only folder or file system)", neither of which was
    so. The error now names the file that cannot be opened, and why."""
    folder = tmp_path / "wal" / "held"
    _wal_database(folder, sample_muscles, log=True, shm=True)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / f"muscles.db{log}").chmod(0o000)
    try:
        runs = [_as_user(tmp_path, "convert", "wal/held/muscles.db", "--to", "json", "-o",
                         "out.json"),
                _as_user(tmp_path, "validate", "wal/held/muscles.db")]
    finally:
        (folder / f"muscles.db{log}").chmod(0o644)
    said = (f"wal/held/muscles.db: error: cannot be read: its {kind}, muscles.db{log}, "
            "cannot be opened (Permission denied), and SQLite reads a database in WAL mode "
            "only with it (a file another user's program made as it had the database "
            "open); let this user read it, or read a copy its owner makes: `sqlite3 "
            "wal/held/muscles.db '.backup copy.db'` [sqlite-error]")
    assert runs == [
        (1, [said, "nothing written to out.json: no muscle was read; 0 muscles converted, "
                   "1 file failed"]),
        (1, [said, "0 muscles valid, 1 file failed: 1 error, N warnings"])]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_an_unreadable_shm_without_a_wal_in_a_folder_that_cannot_be_written_is_named(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """A -shm we may not read (chmod 000) with no -wal beside it, in a folder we cannot
    write: SQLite cannot open it, and the database was read as immutable (no locks,
    exit 0, nothing said) though its owner's program may write it meanwhile. It is
    the error naming that -shm and why now, as with a -wal beside it."""
    folder = tmp_path / "wal" / "held"
    _wal_database(folder, sample_muscles, log=False, shm=False)
    with contextlib.closing(sqlite3.connect(folder / "muscles.db")) as conn:
        conn.execute("PRAGMA schema_version").fetchone()
        shm = (folder / "muscles.db-shm").read_bytes()
    (folder / "muscles.db-shm").write_bytes(shm)
    (folder / "muscles.db-shm").chmod(0o000)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    folder.chmod(0o555)
    try:
        run = _as_user(tmp_path, "validate", "wal/held/muscles.db")
    finally:
        folder.chmod(0o755)
    assert run == (1, [
        "wal/held/muscles.db: error: cannot be read: its write-ahead log's index, "
        "muscles.db-shm, cannot be opened (Permission denied), and SQLite reads a database "
        "in WAL mode only with it (a file another user's program made as it had the "
        "database open); let this user read it, or read a copy its owner makes: `sqlite3 "
        "wal/held/muscles.db '.backup copy.db'` [sqlite-error]",
        "0 muscles valid, 1 file failed: 1 error, N warnings"])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def _retitled(folder: Path) -> Path:
    """The samples as Markdown files in ``folder``, every title ending in `` (new)``."""
    converter.write([replace(m, title=f"{m.title} (new)") for m in converter.read(SAMPLES)],
                    folder, "markdown")
    return folder


def _logs(db: Path) -> list[str]:
    """The names of the files beside the database ``db`` whose names start with its."""
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(f"{db.name}-"))


def test_an_update_into_a_wal_database_held_open_is_made_in_it(tmp_path: Path) -> None:
    """A database in WAL mode that another program holds open (Datasette), its committed
    changes still in the -wal: the run updates the database in place, in one
    transaction through that -wal, never renaming a new file over it (which that -wal,
    the old database's, would be applied to): the changes are seen (soleus edited, so
    written again; trapezius deleted, so added again), the other program reads the new
    rows at once, and the database is whole."""
    db = tmp_path / "muscles.db"
    assert _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db), "--no-cache")[0] == 0
    inode = db.stat().st_ino
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as holder:
        assert holder.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("PRAGMA foreign_keys = ON")
        holder.execute("UPDATE muscles SET title = 'Held' WHERE slug = 'soleus'")
        holder.execute("DELETE FROM muscles WHERE slug = 'trapezius'")
        assert _logs(db) == [f"{db.name}-shm", f"{db.name}-wal"]
        code, output = _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db),
                            "--no-cache")
        assert code == 0, output
        total = len(list(SAMPLES.glob("*.md")))
        assert f"{db}: {counts(1, 1, total - 2, 0)}" in output
        assert holder.execute("SELECT title FROM muscles WHERE slug IN ('soleus', "
                              "'trapezius') ORDER BY slug").fetchall() == [
            ("Soleus",), ("Trapezius",)]
        assert db.stat().st_ino == inode
    assert _logs(db) == []
    assert_consistent(db)
    assert converter.read(db) == by_slug(converter.read(SAMPLES))
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


#: ``muscle-convert`` (its arguments after) whose update of a database, its rows all
#: loaded but not committed (its page cache kept tiny, so that they are in the -wal of a
#: database in WAL mode), touches the file named by ``$LOADED`` and waits to be killed.
_STOPPED_BEFORE_COMMIT = """
import os, time
import formats.sqlite.writing as writing
from converter.__main__ import main
from tests.waits import WAIT
loaded = writing._load
def load_then_wait(*args, **kwargs):
    counts = loaded(*args, **kwargs)
    open(os.environ["LOADED"], "x").close()
    time.sleep(WAIT)
    return counts
writing._load, writing.UPDATE_CACHE = load_then_wait, 2
main()
"""


def test_a_run_killed_in_an_update_of_a_wal_database_leaves_it_as_it_was(
        tmp_path: Path) -> None:
    """SIGKILL once a run loaded its rows into a database in WAL mode, not yet committed,
    its pages in the -wal: the database reads as it was (the reader, and sqlite3's
    integrity check), the -wal and -shm the killed run left are left by the reader,
    and the next run writes into it whole and leaves neither."""
    db, loaded = tmp_path / "muscles.db", tmp_path / "loaded"
    assert _cli("convert", str(SAMPLES), "--to", "sqlite", "-o", str(db), "--no-cache")[0] == 0
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    source = _retitled(tmp_path / "src")
    killed = kill_while([sys.executable, "-c", _STOPPED_BEFORE_COMMIT, "convert", str(source),
                         "--to", "sqlite", "-o", str(db), "--no-cache", "--quiet"],
                        loaded.exists, env={**os.environ, "LOADED": str(loaded),
                                            "PYTHONPATH": str(ROOT)})
    assert killed
    wal = db.with_name(f"{db.name}-wal")
    assert wal.stat().st_size > 0  # (the run's pages, uncommitted)
    before = by_slug(converter.read(SAMPLES))
    assert converter.read(db) == before
    assert _cli("validate", str(db), "--no-cache")[0] == 0
    assert _logs(db) == [f"{db.name}-shm", f"{db.name}-wal"]
    assert_consistent(db, after_kill=True)
    assert converter.read(db) == before
    code, output = _cli("convert", str(source), "--to", "sqlite", "-o", str(db), "--no-cache")
    assert code == 0, output
    assert_consistent(db)
    assert _logs(db) == []
    assert converter.read(db) == by_slug(converter.read(source))
    assert all(m.title.endswith(" (new)") for m in converter.read(db))


@pytest.mark.parametrize(("log", "kind"), [("-wal", "write-ahead log"),
                                           ("-shm", "write-ahead log's index")])
def test_a_wal_databases_log_that_cannot_be_written_is_named_by_a_write(
        log: str, kind: str, sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """Converting into a database in WAL mode whose -wal or -shm we may not write
    (another user's program had it open: chmod 444 here), the database and its folder
    writable, was "cannot write here: attempt to write a readonly database", of a
    database that is not. The error now names the file that cannot be opened to write,
    and why; nothing is changed."""
    folder = tmp_path / "wal" / "held"
    _wal_database(folder, sample_muscles, log=True, shm=True)
    before = _held_files(folder)
    (folder / f"muscles.db{log}").chmod(0o444)
    try:
        code, said = _as_user(tmp_path, "convert", str(SAMPLES), "--to", "sqlite", "-o",
                              "wal/held/muscles.db")
    finally:
        (folder / f"muscles.db{log}").chmod(0o644)
    assert (code, said[0]) == (1, (
        f"wal/held/muscles.db: error: cannot write here: its {kind}, muscles.db{log}, "
        "cannot be opened to write (Permission denied), and SQLite writes a database in "
        "WAL mode only with it (a file another user's program made as it had the database "
        "open); let this user write it, or convert into a copy of the database; nothing is "
        "changed [cannot-write]")), said
    assert _held_files(folder) == before


def _held_files(folder: Path) -> dict[str, bytes | None]:
    """The files in ``folder`` by name, with their bytes but a -shm's (the index SQLite
    rewrites as a connection opens it, the database unchanged)."""
    return {p.name: None if p.name.endswith("-shm") else p.read_bytes()
            for p in folder.iterdir()}


#: Converts the samples into each database of ``wal/`` (copied onto a file system
#: mounted read-only): what it says but the samples' warnings, and its exit status.
WRITE_READ_ONLY_WAL = """
set -e
mkdir ro
mount -t tmpfs tmpfs ro
cp -r wal/. ro/
mount -o remount,ro ro
for name in closed logged; do
    set +e; "$PYTHON" -m converter convert "$SAMPLES" --to sqlite -o ro/$name/muscles.db \\
        --no-cache 2>&1 | grep -v ': warning: ' | head -1; echo "exit ${PIPESTATUS[0]}"
    set -e
done
"""


def _folder_cannot_be_written(db: str) -> str:
    """The ``cannot-write`` of a write into the database in WAL mode ``db`` (named so)
    whose folder cannot be written, SQLite having said it cannot open it."""
    return (f"{db}: error: cannot write here: SQLite failed: unable to open database file: "
            f"the folder {Path(db).parent} cannot be written (a read-only folder or file "
            "system), and SQLite writes the database through files it makes there "
            "(muscles.db-wal and muscles.db-shm); make that folder writable, or convert "
            "into a copy of the database in one that is; nothing is changed [cannot-write]")


def test_a_write_into_a_wal_database_whose_folder_cannot_be_written_names_the_folder(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """A database in WAL mode with a -wal but no -shm beside it in a folder we cannot
    write (chmod 555), or with neither on a read-only file system: SQLite cannot make
    the -shm there, and says "unable to open database file" (not
    SQLITE_READONLY_DIRECTORY, which named the folder), which the run said as it was
    ("cannot write here: unable to open database file"). It names the folder now, as
    for a database in a read-only folder; nothing is changed."""
    from tests.test_diskfull import in_namespace

    _wal_database(tmp_path / "wal" / "closed", sample_muscles, log=False, shm=False)
    folder = tmp_path / "wal" / "logged"
    _wal_database(folder, sample_muscles, log=True, shm=False)
    before = _held_files(folder)
    folder.chmod(0o555)
    try:
        code, said = _as_user(tmp_path, "convert", str(SAMPLES), "--to", "sqlite", "-o",
                              "wal/logged/muscles.db")
    finally:
        folder.chmod(0o755)
    assert (code, said[0]) == (1, _folder_cannot_be_written("wal/logged/muscles.db")), said
    assert _held_files(folder) == before
    assert in_namespace(WRITE_READ_ONLY_WAL, tmp_path).splitlines() == [
        _folder_cannot_be_written("ro/closed/muscles.db"), "exit 1",
        _folder_cannot_be_written("ro/logged/muscles.db"), "exit 1"]
#: Reads the database ``sys.argv[1]`` (converter.read) in a process of its own, and
#: halfway through its muscles makes the file ``sys.argv[2]`` and waits for the file
#: ``sys.argv[3]``: the moment another program's commit lands. Prints the titles read,
#: one a line, or the read's errors.
PAUSED_READER = """
import pathlib, sys
import converter
import formats.sqlite.reading as reading
from converter.diagnostics import MuscleError
from tests.waits import until
db, halfway, landed = sys.argv[1:4]
record, seen = reading._record, []
def paused(*args, **kwargs):
    seen.append(1)
    if len(seen) == 8:
        pathlib.Path(halfway).touch()
        until(pathlib.Path(landed).exists, "the writer's commit")
    return record(*args, **kwargs)
reading._record = paused
try:
    print(*(m.title for m in converter.read(db)), sep="\\n")
except MuscleError as exc:
    print(*(d.message for d in exc.diagnostics), sep="\\n")
"""


def test_a_wal_database_written_halfway_through_a_read_is_not_read_half_changed(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """The moment the race above needs, made to happen: a reader that cannot write the
    folder (``unshare --user``) opens the database in WAL mode with no -wal beside it,
    and halfway through its muscles another program retitles every muscle in one
    transaction and closes (its change moved into the database, its -wal removed).
    Opened as immutable (no lock), the reader gave the old titles of the muscles it
    had read and the new ones of the rest, with no error; it says now that it cannot
    read it here, reading nothing."""
    folder = tmp_path / "d"
    _wal_database(folder, sample_muscles, log=False, shm=False)
    halfway, landed = tmp_path / "halfway", tmp_path / "landed"
    folder.chmod(0o555)  # (this process, root, writes it all the same)
    reader = subprocess.Popen(
        ["unshare", "--user", sys.executable, "-c", PAUSED_READER, "d/muscles.db",
         str(halfway), str(landed)], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        until(lambda: halfway.exists() or reader.poll() is not None, "the reader's start")
        with contextlib.closing(sqlite3.connect(folder / "muscles.db")) as conn:
            conn.execute("UPDATE muscles SET title = 'New ' || slug")
            conn.commit()
        assert sorted(p.name for p in folder.iterdir()) == ["muscles.db"]
        landed.touch()
        out, err = reader.communicate(timeout=WAIT)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait(timeout=WAIT)
        folder.chmod(0o755)
    assert "Traceback" not in err, err
    said = NO_SHM.format(db="d/muscles.db").split(": error: ")[1].removesuffix(
        " [sqlite-error]")
    assert out.splitlines() == [said]
