"""A full disk: of the output, of the temporary folder and of the cache. Each test runs
in a user and mount namespace of its own (``unshare --map-root-user``, no root needed)
with small tmpfs file systems mounted where the disk fills."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES

#: Runs the tool with the scratch tables' page cache cut to a few pages, so that a
#: small corpus's tables spill into their temporary file as a large one's do.
SPILLING = ("import sys, converter.scratch; converter.scratch.CACHE_KIB = 8; "
            "from converter.cli import main; sys.argv[0] = 'muscle-convert'; main()")


def in_namespace(script: str, cwd: Path) -> str:
    """Run the bash ``script`` in ``cwd`` in a mount namespace of its own (``$PYTHON``,
    ``$SAMPLES`` and ``$SPILLING`` set); its standard output and error."""
    done = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "bash", "-c", script], cwd=cwd,
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHON": sys.executable, "SAMPLES": str(SAMPLES),
             "SPILLING": SPILLING, "PYTHONPATH": str(ROOT)})
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
    """The Anki deck's collection and the scratch tables, SQLite databases in TMPDIR,
    failed with a traceback ('database or disk is full'); the JSON writer's spool with
    a cannot-write naming the output, which had room."""
    said = (f"{tmp_path / 'tmp'}: error: cannot write temporary files here: {{}}; set "
            "TMPDIR to a folder with room [cannot-write]")
    full, no_room = said.format("database or disk is full"), said.format(
        "No space left on device")
    assert in_namespace(FULL_TMPDIR, tmp_path).splitlines() == [
        no_room, "exit 1", "intact",
        full, "exit 1", "intact",
        full, "exit 1",
        full, "nothing written to out/m.db; 0 muscles converted, 0 files failed", "exit 1",
        "m.apkg", "m.json"]
