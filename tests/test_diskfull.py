"""A full disk: of the output, of the temporary folder and of the cache. Each test of a
full disk runs in a user and mount namespace of its own (``unshare --map-root-user``,
no root needed) with small tmpfs file systems mounted where the disk fills."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, WAIT

#: Runs the tool with the scratch tables' page cache cut to a few pages, so that a
#: small corpus's tables spill into their temporary file as a large one's do.
SPILLING = ("import sys, converter.scratch; converter.scratch.CACHE_KIB = 8; "
            "from converter.cli import main; sys.argv[0] = 'muscle-convert'; main()")


def in_namespace(script: str, cwd: Path, **env: str) -> str:
    """Run the bash ``script`` in ``cwd`` in a mount namespace of its own (``$PYTHON``,
    ``$SAMPLES``, ``$SPILLING`` and ``env`` set); its standard output."""
    done = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "bash", "-c", script], cwd=cwd,
        capture_output=True, text=True, timeout=WAIT,
        env={**os.environ, "PYTHON": sys.executable, "SAMPLES": str(SAMPLES),
             "SPILLING": SPILLING, "PYTHONPATH": str(ROOT), **env})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done.stdout


FULL_TMPDIR = """
set -e
mkdir tmp out
mount -t tmpfs -o size=4k,mode=1777 tmpfs tmp
run() {  # (the errors only: every run lists the samples' warnings too)
    set +e; TMPDIR="$PWD/tmp" "$@" --no-cache -j 1 2>&1 | grep -v ': warning: '
    echo "exit ${PIPESTATUS[0]}"; set -e; }
for to in json:m.json anki:m.apkg; do
    set -- --to ${to%:*} -o out/${to#*:}
    "$PYTHON" -m converter convert "$SAMPLES" "$@" --no-cache -q 2>/dev/null
    cp out/${to#*:} before
    run "$PYTHON" -m converter convert "$SAMPLES" "$@" -q
    cmp out/${to#*:} before && echo intact
done
run "$PYTHON" -c "$SPILLING" validate "$SAMPLES" -q
run "$PYTHON" -c "$SPILLING" convert "$SAMPLES" --to sqlite -o out/m.db
ls -A out
"""


def test_a_full_temporary_folder_is_one_diagnostic_naming_it(tmp_path: Path) -> None:
    """The scratch tables, SQLite databases in TMPDIR, failed with a traceback ('database
    or disk is full'); the JSON writer's spool with a cannot-write naming the output,
    which had room. An Anki deck's collection is built in memory: it needs no room there
    (it was built in TMPDIR, and failed as the scratch tables did). A full TMPDIR
    exited 1, as invalid inputs do: the run was cut short by its system, exit 3."""
    said = (f"{tmp_path / 'tmp'}: error: cannot write temporary files here: {{}}; set "
            "TMPDIR to a folder with room [cannot-write]")
    full, no_room = said.format("database or disk is full"), said.format(
        "No space left on device")
    assert in_namespace(FULL_TMPDIR, tmp_path).splitlines() == [
        no_room, "exit 3", "intact",
        "exit 0", "intact",  # (the same deck: its bytes the same)
        full, "exit 3",
        full, "nothing written to out/m.db; 0 muscles converted, 0 files failed", "exit 3",
        "m.apkg", "m.json"]


FULL_OUTPUT = """
set -e
mkdir out
mount -t tmpfs -o size=1m tmpfs out
for to in json:m.json sqlite:m.db csv:csv anki:m.apkg svg:svg; do
    set -- "$SAMPLES" --to ${to%:*} -o out/${to#*:} --no-cache -j 1 -q
    "$PYTHON" -m converter convert "$@" 2>/dev/null || true
    (cd out && find . -type f | sort | xargs md5sum) > ../before
    head -c 2m /dev/zero > out/fill 2>/dev/null || true  # (the disk is full)
    set +e; "$PYTHON" -m converter convert "$@" --default-lang da 2>&1 | grep -v ': warning: '
    echo "exit ${PIPESTATUS[0]}"; set -e
    rm out/fill
    (cd out && find . -type f | sort | xargs md5sum) | cmp - ../before && echo intact
    LC_ALL=C ls -A out | tr '\\n' ' '; echo
done
"""


def test_an_output_whose_disk_fills_is_left_as_it_was(tmp_path: Path) -> None:
    """One cannot-write naming the output, and neither a change to it nor a temporary
    left beside it (the second run, in another default language, changes every
    output)."""
    said = "out/{}: error: cannot write here: {} [cannot-write]"
    lines = in_namespace(FULL_OUTPUT, tmp_path).splitlines()
    names = ["m.json", "m.db", "csv", "m.apkg", "svg"]
    assert lines == [line for k, name in enumerate(names) for line in (
        said.format(name, "database or disk is full" if name == "m.db"
                    else "No space left on device"),
        "exit 1", "intact", " ".join(sorted(names[:k + 1])) + " ")]


#: Runs the tool with a cache that fills its disk once opened: every write to it fails.
FILLING = """
import sys
from pathlib import Path
import converter.cache
opened = converter.cache.Cache.open
def filling(directory: Path, why: list[str] | None = None) -> converter.cache.Cache | None:
    cache = opened(directory, why)
    with open(directory.parent / "fill", "wb", buffering=0) as fh:
        try:
            while fh.write(bytes(65536)):
                pass
        except OSError:
            pass
    return cache
converter.cache.Cache.open = filling
from converter.cli import main
sys.argv[0] = "muscle-convert"
main()
"""

FULL_CACHE = """
set -e
mkdir cache out
mount -t tmpfs -o size=4m,mode=0700 tmpfs cache
run() {  # (the notes and the summary: every run lists the samples' warnings too)
    set +e; "$@" "$SAMPLES" --to json -o out/m.json -j 1 --cache-dir cache/c 2>&1 \
        | grep -v ': warning: '; echo "exit ${PIPESTATUS[0]}"; set -e; }
run "$PYTHON" -c "$FILLING" convert
rm cache/fill
run "$PYTHON" -m converter convert
"$PYTHON" -m converter convert "$SAMPLES" --to json -o fresh.json --no-cache 2>/dev/null
cmp out/m.json fresh.json && echo same
run "$PYTHON" -m converter convert
"""


def test_a_cache_that_fills_during_the_run_is_said_and_not_replayed(
        tmp_path: Path) -> None:
    """The run went on without a word, though it was not recorded."""
    assert in_namespace(FULL_CACHE, tmp_path, FILLING=FILLING).splitlines() == [
        "cache/c: note: this run could not be recorded there (database or disk is full); "
        "it is not cached",
        "wrote 15 muscles to out/m.json; 15 muscles converted, 0 files failed", "exit 0",
        "wrote 15 muscles to out/m.json; 15 muscles converted, 0 files failed", "exit 0",
        "same",
        "out/m.json: up to date (nothing changed since the last run); 15 muscles "
        "converted, 0 files failed", "exit 0"]


FULL_TMPDIR_READING = """
set -e
mkdir tmp out
"$PYTHON" -m converter convert "$SAMPLES/soleus.md" --to anki -o deck.apkg --no-cache -q
mount -t tmpfs -o size=4k,mode=1777 tmpfs tmp  # (room for Python's test of it only)
run() {  # (the errors only: the samples have warnings)
    set +e; TMPDIR="$PWD/tmp" "$PYTHON" -m converter "$@" --no-cache -j 1 2>&1 \
        | grep -v ': warning: '; echo "exit ${PIPESTATUS[0]}"; set -e; }
run validate deck.apkg
run convert deck.apkg "$SAMPLES/biceps-brachii.md" --to sqlite -o out/m.db
"""


def test_a_deck_is_read_whatever_room_the_temporary_folder_has(tmp_path: Path) -> None:
    """Reading a deck extracted its collection into TMPDIR: a full one made it 'not a
    readable .apkg (zip) file: No space left on device' (bad-apkg), blaming the deck; it
    is read in memory now, and converted with the other inputs."""
    assert in_namespace(FULL_TMPDIR_READING, tmp_path).splitlines() == [
        "1 muscle valid: 0 errors, 0 warnings", "exit 0",
        "out/m.db: 2 added, 0 updated, 0 unchanged, 0 removed; 2 muscles converted, "
        "0 files failed", "exit 0"]


#: Runs the tool with Python's temporary folder a path that is no folder (``TMPDIR``
#: set to a file is passed over for /tmp by Python: ``tempfile.tempdir`` is not).
NO_FOLDER = ("import sys, tempfile; tempfile.tempdir = sys.argv.pop(1); "
             "from converter.cli import main; sys.argv[0] = 'muscle-convert'; main()")


def test_a_temporary_folder_that_cannot_be_written_exits_3(tmp_path: Path) -> None:
    """A temporary folder that refused the run's work files (here, a file where it
    should be) ended the run with exit 1, the status of invalid inputs, though the
    inputs were fine: a CI script told its authors to fix their content. It is exit 3
    now, a run cut short by its system (as by a worker process that died), with the
    one cannot-write naming that folder, and the output not written."""
    (tmp_path / "tmp").write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", NO_FOLDER, str(tmp_path / "tmp"), "convert", str(SAMPLES),
         "--to", "json", "-o", str(tmp_path / "m.json"), "--no-cache", "-j", "1"],
        capture_output=True, text=True, timeout=WAIT, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 3, done.stderr
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        f"{tmp_path / 'tmp'}: error: cannot write temporary files here: Not a directory; "
        "set TMPDIR to a folder with room [cannot-write]"]
    assert not (tmp_path / "m.json").exists()


def test_a_run_the_temporary_folder_refused_is_cut_short(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """From Python, the run's result says it was cut short (``cut_short``), as the CLI's
    exit 3 does: it said so only of a worker process that died."""
    from converter.registry import get_format
    from converter.run import convert_sources

    (tmp_path / "tmp").write_text("", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    result = convert_sources([SAMPLES], get_format("json"), tmp_path / "m.json")
    assert result.cut_short
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["cannot-write"]
