"""Where output goes: symlinks are followed, devices and FIFOs are written into, never
renamed over."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter
from converter.cli import cli
from tests.conftest import SAMPLES


def convert(to: str, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", to, "-o", str(out),
                                      "--no-cache", "-j", "1", "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("sqlite", "m.db"),
                                      ("anki", "m.apkg"), ("svg", "svg")])
def test_a_symlinked_output_stays_a_link_to_the_new_output(tmp_path: Path, to: str,
                                                         name: str) -> None:
    real, link = tmp_path / "real" / name, tmp_path / name
    real.parent.mkdir()
    link.symlink_to(real)
    assert convert(to, link)[0] in (0, 1)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(list(converter.read(real))) == 15
    convert(to, link)  # and again, over what the first run wrote
    assert link.is_symlink() and len(list(converter.read(real))) == 15


def _drain(fifo: Path, got: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_output_to_a_fifo_is_written_into_it(tmp_path: Path) -> None:
    fifo, plain = tmp_path / "pipe.json", tmp_path / "plain.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    convert("json", fifo)
    reader.join(timeout=30)
    convert("json", plain)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    assert got == [plain.read_bytes()]


def test_a_database_is_not_written_to_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    code, stderr = convert("sqlite", fifo)
    assert code == 1 and "is a device or FIFO, not a file" in stderr
    assert "Traceback" not in stderr and stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("svg", "svg"), ("sqlite", "m.db")])
def test_a_killed_runs_day_old_temporaries_are_swept_by_the_next_write(
        tmp_path: Path, to: str, name: str) -> None:
    old_file, old_dir = tmp_path / f".{name}.abc123.tmp", tmp_path / f".{name}.def456.tmpdir"
    fresh, other = tmp_path / f".{name}.ghi789.tmp", tmp_path / ".other.abc.tmp"
    old_file.write_text("left by a killed run")
    old_dir.mkdir()
    (old_dir / "half.svg").write_text("<svg")
    fresh.write_text("a run writing right now")
    other.write_text("not this output's")
    day_ago = time.time() - 25 * 3600
    for path in (old_file, old_dir, other):
        os.utime(path, (day_ago, day_ago))
    convert(to, tmp_path / name)
    assert not old_file.exists() and not old_dir.exists()
    assert fresh.exists() and other.exists()
