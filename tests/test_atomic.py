"""Where output goes: symlinks are followed, devices, FIFOs and standard output
(``-o -``) are written into, never renamed over."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import converter
import converter.atomic
import converter.atomic_folder
from converter.cli import cli
from tests.conftest import (
    ROOT,
    SAMPLES,
    WAIT,
    convert_samples,
    open_files_at_most,
    remove_tree,
)


@pytest.mark.parametrize("to, name", [("json", "x.json"), ("html", "site")])
def test_an_output_below_a_thousand_missing_folders_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, name: str) -> None:
    """pathlib's ``mkdir(parents=True)`` recursed once per missing folder: RecursionError,
    a traceback; the folders are made one at a time, and a path too long for the system
    is one cannot-write diagnostic. With 1,024 files open at most (a common limit): a
    descriptor held for each folder made ran out of them."""
    monkeypatch.chdir(tmp_path)
    deep = Path(*["d"] * (sys.getrecursionlimit() + 100), name)
    too_long = Path(*["d"] * (os.pathconf(".", "PC_PATH_MAX") // 2 + 1), name)
    try:
        with open_files_at_most(1024):
            assert convert_samples(to, deep)[0] == 0
        assert deep.exists()
        code, said = convert_samples(to, too_long)
        errors = [line for line in said.splitlines() if ": error: " in line]
        assert code == 1
        assert len(errors) == 1
        assert errors[0].startswith(f"{too_long}: error: cannot write here: File name too ")
        assert errors[0].endswith("[cannot-write]")
    finally:
        remove_tree(tmp_path / "d")


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("sqlite", "m.db"),
                                      ("anki", "m.apkg"), ("svg", "svg")])
def test_a_symlinked_output_stays_a_link_to_the_new_output(tmp_path: Path, to: str,
                                                         name: str) -> None:
    real, link = tmp_path / "real" / name, tmp_path / name
    real.parent.mkdir()
    link.symlink_to(real)
    assert convert_samples(to, link)[0] in (0, 1)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(list(converter.read(real))) == 15
    convert_samples(to, link)  # and again, over what the first run wrote
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
    convert_samples("json", fifo)
    reader.join(timeout=WAIT)
    convert_samples("json", plain)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    assert got == [plain.read_bytes()]


def test_a_database_is_not_written_to_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    code, stderr = convert_samples("sqlite", fifo)
    assert code == 2 and "cannot write into standard output, a device or a FIFO" in stderr
    assert "Traceback" not in stderr and stat.S_ISFIFO(os.stat(fifo).st_mode)


def _piped(*args: str, cache: Path) -> tuple[int, bytes]:
    """Run the installed tool with its standard output a pipe; (exit code, output)."""
    done = subprocess.run([sys.executable, "-m", "converter", "convert", str(SAMPLES), *args,
                           "-q", "--cache-dir", str(cache)], capture_output=True, timeout=WAIT)
    assert b"Traceback" not in done.stderr
    return done.returncode, done.stdout


@pytest.mark.parametrize("to", [["json"], ["jsonl"], ["csv", "--flat"], ["anki"]])
def test_dash_writes_standard_output_every_time(tmp_path: Path, to: list[str]) -> None:
    """``-o -`` streams the file a path would get, again on a cached re-run (nothing to
    replay into), and never makes a file named ``-``."""
    plain = tmp_path / "plain"
    cache = tmp_path / "cache"
    assert _piped("--to", *to, "-o", str(plain), cache=cache)[0] == 0
    for _ in range(2):
        assert _piped("--to", *to, "-o", "-", cache=cache) == (0, plain.read_bytes())
    assert _piped("--to", *to, "-o", "/dev/stdout", cache=cache) == (0, plain.read_bytes())
    assert not (Path.cwd() / "-").exists()


@pytest.mark.parametrize(("to", "summary"), [
    (["json"], "wrote 15 muscles to standard output"),
    (["jsonl"], "wrote 15 muscles to standard output"),
    (["csv", "--flat"], "wrote 15 muscles to standard output (flat sheet, without body and "
                        "extra)"),
    (["anki"], "wrote 15 notes (44 cards, 15 images) to deck 'Muscles' in standard output")])
def test_dash_is_named_standard_output_in_the_summary(to: list[str], summary: str) -> None:
    """``-o -``'s summary said ``wrote 15 muscles to -``, as if a file named ``-`` were
    written; it names standard output, from the command line and from Python."""
    done = subprocess.run([sys.executable, "-m", "converter", "convert", str(SAMPLES),
                           "--to", *to, "-o", "-", "--no-cache", "-j", "1"],
                          capture_output=True, timeout=WAIT)  # (a deck's bytes: no text)
    said = done.stderr.decode("utf-8")
    assert done.returncode == 0, said
    assert said.splitlines()[-1] == f"{summary}; 15 muscles converted, 0 files failed"
    with contextlib.redirect_stdout(io.StringIO()):
        written = converter.write(converter.read(SAMPLES / "soleus.md"), "-", "json")
    assert written == "wrote 1 muscle to standard output"
    assert converter.atomic.output_name(Path("out/-")) == "out/-"

@pytest.mark.parametrize("output", ["-", "/dev/stdout", "/dev/fd/1"])
def test_every_name_of_standard_output_is_standard_output_in_what_a_run_says(
        output: str, tmp_path: Path) -> None:
    """``-o -`` into a full device said ``-: error: cannot write here: ...``, and ``-o
    /dev/stdout`` (or ``/dev/fd/1``) named that path there and in its summaries (``wrote
    15 muscles to /dev/stdout``, ``nothing written to /dev/stdout: no muscle was read``);
    each names standard output."""
    command = [sys.executable, "-m", "converter", "convert", str(SAMPLES), "--to", "json",
               "-o", output, "--no-cache", "-j", "1"]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=WAIT)
    said = done.stderr.splitlines()
    assert done.returncode == 1, done.stderr
    assert "standard output: error: cannot write here: No space left on device " \
           "[cannot-write]" in said
    assert said[-1] == "nothing written to standard output; 15 muscles read, 0 files failed"
    done = subprocess.run(command, capture_output=True, text=True, timeout=WAIT)
    assert done.stderr.splitlines()[-1] == (
        "wrote 15 muscles to standard output; 15 muscles converted, 0 files failed")
    (tmp_path / "empty").mkdir()  # (- gets an empty document; a name of it, nothing)
    done = subprocess.run([*command[:4], str(tmp_path / "empty"), *command[5:]],
                          capture_output=True, text=True, timeout=WAIT)
    summary = ("wrote 0 muscles to standard output" if output == "-" else
               "nothing written to standard output: no muscle was read")
    assert done.stderr.splitlines()[-1] == f"{summary}; 0 muscles converted, 0 files failed"
    assert converter.atomic.output_name(Path(output)) == "standard output"
    assert converter.atomic.output_name("/dev/fd/7") == "/dev/fd/7"


@pytest.mark.parametrize(("stdout_at", "file_at"), [("out.json", "other/out.json"),
                                                    ("other/out.json", "out.json")])
def test_a_name_through_a_linked_folder_and_dotdot_is_judged_where_it_leads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
        stdout_at: str, file_at: str) -> None:
    """``lnk/../out.json``, ``lnk`` a link to ``other/sub``, names ``other/out.json`` as
    the file system resolves it (the link first, then ``..``), but was judged by its
    text, ``out.json``: a link there to ``/dev/stdout`` made the run write to standard
    output, not the file named, and a link to it beside ``lnk``'s target was taken for a
    file. Through a link to ``/dev`` (``d/fd/1``) descriptor 1 was not seen, and
    ``/dev/fd/N/../4``, N a folder's descriptor, was taken for descriptor 4."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other" / "sub").mkdir(parents=True)
    (tmp_path / "lnk").symlink_to(Path("other", "sub"))
    (tmp_path / stdout_at).symlink_to("/dev/stdout")
    (tmp_path / file_at).write_text("old\n")
    (tmp_path / "d").symlink_to("/dev")
    name = os.path.join("lnk", os.pardir, "out.json")
    leads_to_stdout = stdout_at == "other/out.json"
    assert converter.atomic.descriptor_named(name) == (1 if leads_to_stdout else None)
    assert converter.atomic.names_stdout(name) is leads_to_stdout
    assert converter.atomic.descriptor_named(os.path.join("d", "fd", "1")) == 1
    folder = os.open(tmp_path / "other", os.O_RDONLY)
    try:
        assert converter.atomic.descriptor_named(f"/dev/fd/{folder}/../4") is None
        assert converter.atomic.descriptor_named(f"/dev/fd/{folder}/../d/fd/4") == 4
    finally:
        os.close(folder)
    capfd.readouterr()
    said = converter.write(converter.read(SAMPLES / "soleus.md"), name, "json")
    printed = capfd.readouterr().out
    if leads_to_stdout:
        assert said == "wrote 1 muscle to standard output"
        assert '"soleus"' in printed
        assert (tmp_path / file_at).read_text() == "old\n"
    else:
        assert said == f"wrote 1 muscle to {name}"
        assert printed == ""
        assert '"soleus"' in (tmp_path / file_at).read_text()
        assert (tmp_path / file_at).is_file() and not (tmp_path / file_at).is_symlink()


IN_A_PID_NAMESPACE = """
ln -s /dev/stdout link.json
for out in /dev/stdout /dev/fd/1 /proc/self/fd/1 /proc/thread-self/fd/1 link.json; do
    printf 'PRE\\n' > log.json
    "$PYTHON" -m converter convert "$SAMPLES/soleus.md" --to json -o "$out" --no-cache \\
        >> log.json 2> err.txt
    echo "$out: exit $? $(tail -n 1 err.txt) | $(head -n 1 log.json) | $(grep -c soleus log.json)"
done
"""


def test_standard_output_is_standard_output_in_a_pid_namespace_seeing_another_proc(
        tmp_path: Path) -> None:
    """In a PID namespace without a ``/proc`` of its own (``unshare --pid --fork`` without
    ``--mount-proc``, bwrap, some CI sandboxes) ``/proc/self`` leads to the process's id
    as that ``/proc`` sees it, not :func:`os.getpid`: ``-o /dev/stdout >> log.json``
    was taken for a file, and the file renamed over ``log.json`` dropped what the shell
    had written there. Each name of descriptor 1 is standard output there too."""
    done = subprocess.run(  # (a user namespace of its own too: no root needed)
        ["unshare", "--map-root-user", "--pid", "--fork", "bash", "-c", IN_A_PID_NAMESPACE],
        cwd=tmp_path, capture_output=True, text=True, timeout=WAIT,
        env={**os.environ, "PYTHON": sys.executable, "SAMPLES": str(SAMPLES),
             "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    said = "wrote 1 muscle to standard output; 1 muscle converted, 0 files failed"
    assert done.stdout.splitlines() == [
        f"{out}: exit 0 {said} | PRE | 1" for out in (
            "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/proc/thread-self/fd/1",
            "link.json")]
    assert (tmp_path / "link.json").is_symlink()


@pytest.mark.parametrize(("output", "stream"), [
    ("-", True), ("/dev/stdout", True), ("standard output", False), ("out/-", False)])
def test_a_diagnostic_about_the_output_says_whether_it_is_standard_output(
        output: str, stream: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diagnostic about an output named ``standard output`` (a folder so named) was
    taken for one about the stream by its name, its GitHub annotation naming no file;
    it is marked a stream by how the output was given."""
    monkeypatch.chdir(tmp_path)
    (found,) = converter.atomic.cannot_write(
        Path(output), OSError(errno.ENOSPC, "No space left on device")).diagnostics
    assert (found.path == "standard output", found.stream) == (
        stream or output == "standard output", stream)


@pytest.mark.parametrize(("output", "named"), [
    ("-", "-"), ("/dev/stdout", "/dev/stdout"), ("out", "out/map.svg"),
    ("out/-", "out/-/map.svg")])
def test_a_file_in_an_output_folder_that_is_standard_output_is_the_output(
        output: str, named: str) -> None:
    """A diagnostic about ``map.svg`` in the output folder named ``-/map.svg``, no path
    there is, when the output was standard output: it names the output itself, which
    a diagnostic names standard output."""
    assert converter.atomic.output_file(Path(output), "map.svg") == Path(named)


def _into_a_file(path: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the tool with its standard output the file ``path`` opened to add to it
    (``>> path``)."""
    with open(path, "ab") as stdout:
        return subprocess.run([sys.executable, "-m", "converter", "convert", str(SAMPLES),
                               *args, "-q", "--cache-dir", str(cache)], stdout=stdout,
                              stderr=subprocess.PIPE, timeout=WAIT)


@pytest.mark.parametrize("to", [["json"], ["anki"]])
def test_a_descriptor_name_leading_to_a_file_is_written_through_it(tmp_path: Path,
                                                                    to: list[str]) -> None:
    """``-o /dev/stdout >> log`` (standard output a file the shell opened): the run took
    the file it led to for its output, renamed a new file over it (all ``log`` held
    lost, the shell's descriptor left on the old file), and a second run found the same
    bytes there and wrote nothing. It writes through the descriptor, as ``-o -`` does:
    each run adds its output to ``log``, which stays the same file; SQLite refuses it."""
    plain, cache, log = tmp_path / "plain", tmp_path / "cache", tmp_path / "log"
    assert _piped("--to", *to, "-o", str(plain), cache=cache)[0] == 0
    log.write_bytes(b"old\n")
    inode = os.stat(log).st_ino
    for _ in range(2):
        done = _into_a_file(log, "--to", *to, "-o", "/dev/stdout", cache=cache)
        assert done.returncode == 0, done.stderr
    assert log.read_bytes() == b"old\n" + plain.read_bytes() * 2
    refused = _into_a_file(log, "--to", "sqlite", "-o", "/dev/stdout", cache=cache)
    assert refused.returncode == 2 and b"output, a device or a FIFO; give" in refused.stderr
    assert log.read_bytes() == b"old\n" + plain.read_bytes() * 2
    assert os.stat(log).st_ino == inode
    assert sorted(os.listdir(tmp_path)) == ["cache", "log", "plain"]


@pytest.mark.parametrize("to", [["jsonl"], ["anki"]])
def test_a_reader_that_stops_reading_is_a_warning_not_a_failure(tmp_path: Path,
                                                                to: list[str]) -> None:
    """``-o - | head``: the reader closes the pipe before the end. The rest is dropped,
    every diagnostic is still listed, and the run says so in one warning."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader gone before the first byte: every write is EPIPE
    with open(write_end, "wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "converter", "convert", str(SAMPLES),
                               "--to", *to, "-o", "-", "--no-cache"], stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=WAIT)
    assert done.returncode == 0, done.stderr
    assert "standard output: warning: its reader stopped reading before the end" in done.stderr
    assert "[output-closed]" in done.stderr and "[duplicate-text]" in done.stderr
    assert "15 muscles converted" in done.stderr
    assert "Broken pipe" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_reader_that_reads_everything_gets_no_warning(tmp_path: Path) -> None:
    out = tmp_path / "fd"
    read_end, write_end = os.pipe()
    out.symlink_to(f"/proc/self/fd/{write_end}")
    with open(read_end, "rb") as pipe:
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(pipe.read()))
        reader.start()
        with converter.atomic.atomic_file(out, "w", encoding="utf-8") as fh:
            fh.write("x" * 200_000)
        os.close(write_end)
        reader.join(timeout=WAIT)
    assert got == [b"x" * 200_000]
    assert not converter.atomic.reader_left(out)


def test_standard_output_takes_neither_a_database_nor_a_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exit_code, stderr = convert_samples("sqlite", Path("-"))  # a usage error, before any reading
    assert exit_code == 2 and "--to sqlite cannot write into standard output" in stderr
    for to in ("markdown", "csv"):  # a usage error: a directory format, named -
        exit_code, stderr = convert_samples(to, Path("-"))
        assert exit_code == 2 and "writes a directory, which standard output cannot take" \
            in stderr
    for to in ("markdown", "sqlite"):  # the API
        with pytest.raises(converter.MuscleError, match="standard output"):
            converter.write(converter.read(SAMPLES / "soleus.md"), "-", to)
    assert list(tmp_path.iterdir()) == []


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
    convert_samples(to, tmp_path / name)
    assert not old_file.exists() and not old_dir.exists()
    assert fresh.exists() and other.exists()


@pytest.mark.parametrize("kind, at_once", [("nfs", False), ("fuse.sshfs", False),
                                           ("cifs", False), (None, False), ("ext4", True)])
@pytest.mark.parametrize("to, name", [("json", "m.json"), ("svg", "svg")])
def test_an_unheld_temporary_goes_at_once_only_on_a_local_file_system(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str | None, at_once: bool,
        to: str, name: str) -> None:
    """Where another machine writes the folder too (NFS ``nolock``, sshfs, SMB), its
    run's temporary under way holds a lock this machine does not see: it was removed at
    once, and that run failed ``cannot write here``. Only a local file system's unheld
    temporaries go at once now; elsewhere (or the type unknown: None) a day old."""
    import converter.mounts

    monkeypatch.setattr(converter.mounts, "mount_type", lambda folder: kind)
    monkeypatch.setattr(converter.mounts, "_TRUSTED", {})
    fresh_file, fresh_dir = (tmp_path / f".{name}.abcdefgh.tmp",
                             tmp_path / f".{name}.ijklmnop.tmpdir")
    old_file, old_dir = (tmp_path / f".{name}.qrstuvwx.tmp",
                         tmp_path / f".{name}.yz012345.tmpdir")
    for folder in (fresh_dir, old_dir):
        folder.mkdir()
        (folder / "half.svg").write_text("<svg")
    for file in (fresh_file, old_file):
        file.write_text("another machine's run, writing (or a killed run's)")
    day_ago = time.time() - 25 * 3600
    for path in (old_file, old_dir):
        os.utime(path, (day_ago, day_ago))
    assert convert_samples(to, tmp_path / name)[0] == 0
    assert not old_file.exists() and not old_dir.exists()
    assert fresh_file.exists() is fresh_dir.exists() is not at_once


def test_a_sweep_told_no_run_has_a_folder_waits_a_day_where_locks_are_not_shared(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``running`` says no run has (a run in place's folder no run holds the lock
    of) and fmt's sweep of its sources are judged so too."""
    import converter.mounts

    monkeypatch.setattr(converter.mounts, "mount_type", lambda folder: "nfs4")
    monkeypatch.setattr(converter.mounts, "_TRUSTED", {})
    fresh, old = tmp_path / "..marker.abc.tmpdir", tmp_path / "..marker.def.tmpdir"
    own_fresh, own_old = tmp_path / ".a.md.abcdefgh.tmp", tmp_path / ".a.md.ijklmnop.tmp"
    for path in (fresh, old):
        path.mkdir()
    for path in (own_fresh, own_old):
        path.write_text("x")
    day_ago = time.time() - 25 * 3600
    for path in (old, own_old):
        os.utime(path, (day_ago, day_ago))
    converter.atomic.sweep_leftovers(tmp_path / ".marker", lambda path: False)
    assert converter.atomic.sweep_killed([str(tmp_path / "a.md")]) == [str(own_old)]
    assert fresh.exists() and not old.exists() and own_fresh.exists()
    monkeypatch.setattr(converter.mounts, "mount_type", lambda folder: "tmpfs")
    monkeypatch.setattr(converter.mounts, "_TRUSTED", {})
    converter.atomic.sweep_leftovers(tmp_path / ".marker", lambda path: False)
    assert converter.atomic.sweep_killed([str(tmp_path / "a.md")]) == [str(own_fresh)]
    assert not fresh.exists()


@pytest.mark.parametrize("to, ending", [("json", ".json"), ("markdown", "")])
def test_an_output_name_near_the_longest_a_file_may_have_is_written(
        tmp_path: Path, to: str, ending: str) -> None:
    """Its temporary (``.<name>.<random>.tmp``) would be longer than 255 bytes: the name
    is cut in it (in the middle of a letter, here), and swept by that cut name."""
    name = "æ" * ((250 - len(ending)) // 2) + ending
    day_ago = time.time() - 25 * 3600
    stale = tmp_path / os.fsdecode(b"." + os.fsencode(name)[:200] + b".abc123.tmp")
    stale.write_text("left by a killed run")
    os.utime(stale, (day_ago, day_ago))
    convert_samples(to, tmp_path / name)
    assert (tmp_path / name).exists() and not stale.exists()


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("sqlite", "m.db"),
                                      ("anki", "m.apkg"), ("csv", "pkg"), ("svg", "map")])
def test_a_new_output_follows_the_umask_and_a_replaced_folder_keeps_its_mode(
        to: str, name: str, tmp_path: Path) -> None:
    """New outputs were always 0644 (folders 0755) under any umask, and a private output
    folder came back public."""
    out = tmp_path / name
    old = os.umask(0o077)
    try:
        assert convert_samples(to, out)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == (0o700 if out.is_dir() else 0o600)
    if out.is_dir():
        out.chmod(0o750)
        assert convert_samples(to, out)[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    """fmt made a private (0600) source world-readable and an executable one not; an
    output replaced keeps its mode too; a new one has what the umask leaves of 0666."""
    private, script = tmp_path / "p.md", tmp_path / "x.md"
    for path, mode in ((private, 0o600), (script, 0o755)):
        path.write_text('---\ntitle: "T"\n---\n', encoding="utf-8")
        path.chmod(mode)
    result = CliRunner().invoke(cli, ["fmt", str(private), str(script)])
    assert result.exit_code == 0 and "2 changed" in result.stderr
    assert [stat.S_IMODE(p.stat().st_mode) for p in (private, script)] == [0o600, 0o755]
    out = tmp_path / "m.json"
    mask = os.umask(0o022)
    os.umask(mask)
    assert convert_samples("json", out)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    out.chmod(0o640)
    assert convert_samples("json", out)[0] == 0 and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_the_umask_is_read_without_changing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting it to read it gave a file another thread made meanwhile the mask 022."""
    from converter import atomic

    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda mask: pytest.fail("umask was set"))
        assert atomic.umask() == 0o027
    finally:
        monkeypatch.undo()
        os.umask(old)


@pytest.mark.parametrize("make", ["mkstemp", "mkdtemp"])
def test_ctrl_c_as_a_temporary_is_made_leaves_none(make: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C right after the temporary was made, before its name was known to the
    code that removes it, left it beside the output."""
    import signal
    import tempfile

    real = getattr(tempfile, make)

    def interrupted(*args: object, **kwargs: object) -> object:
        made = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        return made

    monkeypatch.setattr(tempfile, make, interrupted)
    out = tmp_path / "out"
    out.write_text("before")
    # Another thread, as a worker pool has: a signal mask holds signals in one thread
    # only, and the signal went to this one (its handler ran in the main thread at once).
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            if make == "mkstemp":
                with converter.atomic.atomic_file(out, "w") as fh:
                    fh.write("after")
            else:
                with converter.atomic_folder.atomic_directory(tmp_path / "site") as folder:
                    (folder / "index.html").write_text("after")
    finally:
        done.set()
        other.join(timeout=WAIT)
        assert not other.is_alive(), f"the other thread did not end within {WAIT} s"
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert out.read_text() == "before"


_TERMINATED = """
import os, signal, sys
from collections.abc import Callable
from pathlib import Path
from converter.atomic import atomic_file
from converter.atomic_folder import atomic_directory
out, ending = Path(sys.argv[1]), getattr(signal, sys.argv[3])
if sys.argv[2] == "directory":
    with atomic_directory(out / "site") as folder:
        (folder / "index.html").write_text("new")
        os.kill(os.getpid(), ending)
else:
    with atomic_file(out / "site" / "index.html", "w") as fh:
        fh.write("new")
        os.kill(os.getpid(), ending)
"""


@pytest.mark.parametrize("ending", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("kind", ["directory", "file"])
def test_sigterm_while_a_folder_is_built_removes_it(kind: str, ending: str,
                                                    tmp_path: Path) -> None:
    """kill, timeout or a service manager left a whole copy of the output beside it; a
    closed terminal (SIGHUP) left every kind of temporary. A run stopped before its
    output was in place says nothing (no traceback, nor that it was written)."""
    import signal

    with converter.atomic_folder.atomic_directory(tmp_path / "site") as folder:
        (folder / "index.html").write_text("old")
    done = subprocess.run([sys.executable, "-c", _TERMINATED, str(tmp_path), kind, ending],
                          capture_output=True, text=True, check=False, timeout=WAIT)
    assert done.returncode == -getattr(signal, ending), done.stderr
    assert done.stderr == ""  # (nothing was written: it ends as the signal does, silent)
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert sorted(os.listdir(tmp_path / "site")) == [".muscle-convert", "index.html"]
    assert sorted(os.listdir(tmp_path)) == ["site"]


@pytest.mark.parametrize("kind", ["file", "directory"])
def test_a_second_ctrl_c_during_the_clean_up_waits_for_it(kind: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A second Ctrl-C while the temporary was being removed left it there."""
    import shutil
    import signal

    removers = {"file": (os, "unlink"), "directory": (shutil, "rmtree")}
    module, name = removers[kind]
    real = getattr(module, name)

    def interrupted(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGINT)  # (the second Ctrl-C, as removal starts)
        return real(*args, **kwargs)

    with pytest.raises(KeyboardInterrupt):
        if kind == "file":
            with converter.atomic.atomic_file(tmp_path / "out", "w") as fh:
                fh.write("half")
                monkeypatch.setattr(module, name, interrupted)
                raise KeyboardInterrupt
        else:
            with converter.atomic_folder.atomic_directory(tmp_path / "site") as folder:
                (folder / "index.html").write_text("half")
                monkeypatch.setattr(module, name, interrupted)
                raise KeyboardInterrupt
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("jsonl", "m.jsonl"),
                                      ("csv", "m.csv")])
def test_an_output_of_the_same_bytes_is_left_as_it_is(tmp_path: Path, to: str,
                                                       name: str) -> None:
    """After a touch, a checkout or a stash, every run rewrote the output with the same
    bytes: a new file and modification time, and a site's build or a file watcher ran
    again for nothing."""
    out = tmp_path / name
    extra = ["--flat"] if to == "csv" else []
    assert convert_samples(to, out, *extra)[0] == 0
    os.utime(out, (1_000_000_000, 1_000_000_000))
    first = out.stat()
    assert convert_samples(to, out, *extra)[0] == 0  # (no cache: the output is written anew)
    assert (out.stat().st_ino, out.stat().st_mtime) == (first.st_ino, 1_000_000_000)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # (no temporary)
    converter.write(converter.read(SAMPLES)[:3], out, to, **(
        {"flat": True} if to == "csv" else {}))
    assert out.stat().st_mtime != 1_000_000_000  # (other bytes: replaced)


def _handlers_from_c(monkeypatch: pytest.MonkeyPatch, *signums: int) -> dict[int, object]:
    """Have the signal module report the handlers of ``signums`` as it reports one
    installed from C (by a program that embeds Python): None, from ``getsignal`` and
    from the ``signal`` that replaces it, which refuses None as a handler. Returns the
    table of their handlers as ``signal`` leaves them (the others are the system's)."""
    import signal

    real_signal, real_get = signal.signal, signal.getsignal
    table: dict[int, object] = dict.fromkeys(signums)

    def fake_signal(signum: int, handler: Any) -> object:
        if signum not in table or handler is None:  # (None: its TypeError, as ever)
            return real_signal(signum, handler)
        old, table[signum] = table[signum], handler
        return old

    monkeypatch.setattr(signal, "signal", fake_signal)
    monkeypatch.setattr(signal, "getsignal",
                        lambda signum: table[signum] if signum in table else real_get(signum))
    return table


def test_a_handler_installed_from_c_is_left_in_place_while_signals_are_held(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing a temporary where SIGHUP's handler was installed from C (Python names it
    None) raised TypeError as the handlers were put back ('signal handler must be
    signal.SIG_IGN, signal.SIG_DFL, or a callable object'), and left SIGHUP noted by a
    handler of the block's for good. That handler is left in place now, as Python
    cannot install it again; Ctrl-C and SIGTERM are held as ever."""
    import signal

    table = _handlers_from_c(monkeypatch, signal.SIGHUP)
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    with pytest.raises(KeyboardInterrupt), converter.atomic.signals_held():
        os.kill(os.getpid(), signal.SIGINT)  # (held: taken once the block ends)
        assert signal.getsignal(signal.SIGINT) is not before[signal.SIGINT]
        assert signal.getsignal(signal.SIGTERM) is not before[signal.SIGTERM]
    assert table == {signal.SIGHUP: None}
    assert {signum: signal.getsignal(signum) for signum in before} == before


def test_a_signal_held_as_an_output_is_put_in_place_says_it_was_written() -> None:
    """Ctrl-C that came as the output was put in place is taken once it is: the run
    stops saying what it wrote, not ``Aborted!`` as if it wrote nothing."""
    import signal

    with pytest.raises(KeyboardInterrupt) as stopped, \
            converter.atomic.held_once_written("site"):
        os.kill(os.getpid(), signal.SIGINT)  # (held: taken once the block ends)
    assert converter.atomic.stopped_message(stopped.value) == (
        "muscle-convert: stopped once site was written: it holds this run's files")


def test_a_signal_held_as_putting_an_output_in_place_failed_says_aborted() -> None:
    """A signal taken as the block failed (its work undone) names no output written."""
    import signal

    with pytest.raises(KeyboardInterrupt) as stopped, \
            converter.atomic.held_once_written("site"):
        os.kill(os.getpid(), signal.SIGINT)
        raise OSError("the disk is full")
    assert converter.atomic.stopped_message(stopped.value) == "Aborted!"


def _convert_as_a_user(to: str, out: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``convert SAMPLES --to TO -o OUT`` in ``cwd`` as a user who cannot write root's
    read-only folders (``unshare --user``: root's files are no longer its own)."""
    return subprocess.run(
        ["unshare", "--user", sys.executable, "-m", "converter", "convert", str(SAMPLES),
         "--to", to, "-o", out, "--no-cache"], capture_output=True, text=True,
        timeout=WAIT, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("to, name", [
    ("json", "m.json"), ("jsonl", "m.jsonl"), ("sqlite", "m.db"), ("anki", "m.apkg"),
    ("csv", "pkg"), ("svg", "map"), ("html", "site"), ("markdown", "md")])
def test_a_new_output_in_a_folder_that_cannot_be_written_names_the_folder(
        to: str, name: str, tmp_path: Path) -> None:
    """A new output in a read-only folder was "cannot write here: Permission denied",
    of the output, whose folder is what refused the temporary made beside it: the
    folder is named, for every format. The run is made as a user who cannot write the
    folder (``unshare --user``: root's files are no longer its own to override)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / name
    folder.chmod(0o555)
    try:
        done = _convert_as_a_user(to, str(out), tmp_path)
    finally:
        folder.chmod(0o755)
    said = [line for line in done.stderr.splitlines() if "[cannot-write]" in line]
    assert done.returncode == 1, done.stderr
    assert said == [f"{out}: error: cannot write here: Permission denied: the folder "
                    f"{folder} cannot be written (a read-only folder or file system, or "
                    "another user's folder); make that folder writable, or write into one "
                    "that is [cannot-write]"]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("sqlite", "m.db"), ("csv", "pkg")])
def test_an_output_in_new_folders_under_one_that_cannot_be_written_names_that_one(
        to: str, name: str, tmp_path: Path) -> None:
    """An output in folders not there yet (``ro/a/b/m.json``) under a read-only folder
    named the folder it could not make, ``ro/a``, and as an absolute path: the folder
    that cannot be written, ``ro``, is named, as the output names it."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = _convert_as_a_user(to, f"ro/a/b/{name}", tmp_path)
    finally:
        folder.chmod(0o755)
    said = [line for line in done.stderr.splitlines() if "[cannot-write]" in line]
    assert done.returncode == 1, done.stderr
    assert said == [f"ro/a/b/{name}: error: cannot write here: Permission denied: the "
                    "folder ro cannot be written (a read-only folder or file system, or "
                    "another user's folder); make that folder writable, or write into one "
                    "that is [cannot-write]"]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("out, named", [
    ("link/a/m.json", "link"), ("ro/x/../a/m.json", "ro"), ("{tmp}/ro/a/b/m.json", "{tmp}/ro"),
    ("a/m.json", "."), ("keep/a/m.json", "keep")],
    ids=["through-a-link", "dot-dot-after-a-folder-not-there", "absolute", "from-inside",
         "read-only-below"])
def test_the_folder_that_cannot_be_written_is_named_as_the_output_names_it(
        out: str, named: str, tmp_path: Path) -> None:
    """The folder above the new ones is named by the output's own spelling of it: a
    symbolic link as given, not where it leads; ``ro/x/..`` (x not there) is no folder,
    so ``ro``; from inside it, ``.``; a read-only folder below a writable one."""
    folder, keep = tmp_path / "ro", tmp_path / "ro" / "keep"
    keep.mkdir(parents=True)
    (tmp_path / "link").symlink_to("ro")
    cwd = folder if named in (".", "keep") else tmp_path
    keep.chmod(0o555)
    folder.chmod(0o555)
    try:
        done = _convert_as_a_user("json", out.format(tmp=tmp_path), cwd)
    finally:
        folder.chmod(0o755)
        keep.chmod(0o755)
    said = [line for line in done.stderr.splitlines() if "[cannot-write]" in line]
    assert done.returncode == 1, done.stderr
    assert said == [f"{out.format(tmp=tmp_path)}: error: cannot write here: Permission "
                    f"denied: the folder {named.format(tmp=tmp_path)} cannot be written (a "
                    "read-only folder or file system, or another user's folder); make that "
                    "folder writable, or write into one that is [cannot-write]"]
    assert sorted(p.name for p in folder.iterdir()) == ["keep"]


#: A writer of one output over and over (argv: the output, how many writes, what to
#: read): once imported it says "ready" and waits for a line on stdin, so that every
#: writer starts at once; then it says how many writes failed, and the last failure's
#: message.
_WRITING_OVER_AND_OVER = """
import sys, warnings
import converter
warnings.simplefilter("ignore")
muscles = converter.read(sys.argv[3])
print("ready", flush=True)
sys.stdin.readline()
failed, said = 0, ""
for _ in range(int(sys.argv[2])):
    try:
        converter.write(muscles, sys.argv[1], "jsonl")
    except converter.MuscleError as exc:
        failed, said = failed + 1, str(exc)
print(failed, said, flush=True)
"""


def test_runs_writing_one_output_at_once_each_write_it(tmp_path: Path) -> None:
    """Each write of an output sweeps the temporaries beside it no run holds the lock
    of (a killed run's): another run's, just made and not yet locked, was swept too,
    and that run failed with ``cannot write here: No such file or directory`` (some 1
    in 100 writes of four runs writing one file). Each write now succeeds, and the
    output is whole, with no temporary left beside it."""
    out, writers, writes = tmp_path / "m.jsonl", 4, 200
    source = SAMPLES / "biceps-brachii.md"  # (one muscle: many writes a second)
    runs = [subprocess.Popen([sys.executable, "-c", _WRITING_OVER_AND_OVER, str(out),
                              str(writes), str(source)], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for _ in range(writers)]
    try:
        for run in runs:
            assert run.stdout is not None and run.stdout.readline() == "ready\n"
        for run in runs:  # (all at once: each is told before any is waited for)
            assert run.stdin is not None
            run.stdin.write("go\n")
            run.stdin.flush()
        said = [run.communicate(timeout=WAIT) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait(timeout=WAIT)
    assert [run.returncode for run in runs] == [0] * writers, said
    assert [stdout.strip() for stdout, _ in said] == ["0"] * writers, said
    assert sorted(os.listdir(tmp_path)) == ["m.jsonl"]
    alone = tmp_path / "alone" / "m.jsonl"
    converter.write(converter.read(source), alone, "jsonl")
    assert out.read_bytes() == alone.read_bytes()


@pytest.mark.parametrize("sweep", ["removes it", "holds it"])
def test_a_temporary_a_sweep_takes_as_it_is_made_is_left_to_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sweep: str) -> None:
    """Another run's sweep of the temporaries beside an output, in the moment between a
    write's making its temporary and locking it, took it as a killed run's: it removed
    it, and the write then failed (``cannot write here: No such file or directory``:
    its mode was set by its name). The write now locks it first and finds it still
    there, else leaves it to the sweep (held, it is not touched) and makes another."""
    import fcntl
    import tempfile

    from converter.folder_lock import taken_if_free

    out, made, held = tmp_path / "m.jsonl", [], []
    real = tempfile.mkstemp

    def swept_as_made(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)
        made.append(name)
        if len(made) == 1 and sweep == "removes it":
            converter.atomic.sweep_leftovers(out)  # (another run's write, starting)
        elif len(made) == 1:  # (another run's sweep, between its lock and the removal)
            held.append(os.open(name, os.O_RDONLY))
            fcntl.flock(held[0], fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", swept_as_made)
    try:
        converter.write(converter.read(SAMPLES), out, "jsonl")
        assert len(made) == 2
        if sweep == "holds it":  # (the run left it as it was, untouched, to the sweep)
            assert stat.S_IMODE(os.stat(made[0]).st_mode) == 0o600  # (as mkstemp made it)
            os.close(held.pop())
            assert taken_if_free(made[0]) is True
    finally:
        for fd in held:
            os.close(fd)
    assert not os.path.exists(made[0])
    assert sorted(os.listdir(tmp_path)) == ["m.jsonl"]
    assert [json.loads(line)["slug"] for line in out.read_text().splitlines()] == [
        muscle.slug for muscle in converter.read(SAMPLES)]
