"""An output folder written in place (``-o .``): all of the run's files put in, or,
where one step fails, none."""

from __future__ import annotations

import errno
import fcntl
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter.atomic_folder
import converter.inplace
from converter.cli import cli
from converter.marker import read_marker
from tests.conftest import ROOT, SAMPLES, WAIT


def _svg(*more: str) -> tuple[int, str]:
    """``convert`` the samples to svg into the working folder: exit code, output."""
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "svg", "-o", ".",
                                      "-j", "1", "--no-cache", *more])
    return result.exit_code, result.output


def _files(folder: Path) -> dict[str, bytes]:
    """Every entry of ``folder`` (a hidden temporary too) and the bytes of its files."""
    return {path.name: path.read_bytes() if path.is_file() else b"<folder>"
            for path in folder.iterdir()}


def _old_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Write the samples' svg into ``folder`` (the working folder), then make every file
    of it differ from what the next run writes, and add one it no longer writes, its
    marker listing them with no digest (as a run killed as it renamed leaves it: they
    are the tool's, whatever their bytes); return the folder's files."""
    monkeypatch.chdir(folder)
    assert _svg("-q")[0] == 0
    for path in folder.glob("*.svg"):
        path.write_text(f"old {path.name}")
    (folder / "gone.svg").write_text("old gone")
    marker = folder / ".muscle-convert"
    names = [line.split("\t")[0] for line in marker.read_text().splitlines()]
    marker.write_text("\n".join([*names, "gone.svg", ""]))
    (folder / "notes.txt").write_text("mine")
    return _files(folder)


@pytest.mark.parametrize("exchanges", [True, False], ids=["renameat2", "no-exchange"])
def test_a_file_that_cannot_be_replaced_leaves_every_file_as_it_was(
        exchanges: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the system would not let the run replace partway through (someone else's
    in a folder with the sticky bit: EPERM; a file mounted on: EBUSY) left some files
    new and some old, and the run said nothing was written, in an error that named no
    file. The files put in before it are put back: the folder is as it was, and the
    error names the file; so too where the system has no exchange (each old file kept
    by a link first)."""
    before = _old_folder(tmp_path, monkeypatch)
    if not exchanges:
        monkeypatch.setattr(converter.inplace, "exchange", lambda a, b: False)
    real, tried = converter.inplace._put, []

    def refused(made: Path, target: Path, keep: Path, undo: list) -> None:
        if target.name.endswith(".svg"):
            tried.append(target.name)
            if len(tried) == 3:
                raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(target))
        real(made, target, keep, undo)

    monkeypatch.setattr(converter.inplace, "_put", refused)
    code, output = _svg()
    assert code == 1
    assert (f".: error: cannot write here: {tried[2]} could not be replaced (Operation not "
            "permitted); every file is left as it was, and this run wrote nothing there "
            "[cannot-write]") in output
    assert "nothing written to ." in output
    assert _files(tmp_path) == before


@pytest.mark.parametrize("which", [0, 1], ids=["first", "last"])
def test_a_disk_full_as_the_marker_is_written_leaves_the_folder_as_it_was(
        which: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that filled as the marker was written left its temporary
    (``..muscle-convert.<random>.tmp``) in the folder; as the last marker was written,
    after every file was put in, the run said nothing was written. Now no temporary is
    left, and the folder is as it was, as the run says."""
    before = _old_folder(tmp_path, monkeypatch)
    real, writes = Path.write_text, []

    def full(path: Path, text: str, *args: object, **kwargs: object) -> int:
        if path.name.startswith(".muscle-convert"):
            writes.append(path)
            if len(writes) == which + 1:
                with path.open("w") as fh:
                    fh.write(text[:10])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    code, output = _svg()
    assert code == 1
    assert (".: error: cannot write here: its marker .muscle-convert could not be written "
            "(No space left on device); every file is left as it was, and this run wrote "
            "nothing there [cannot-write]") in output
    assert _files(tmp_path) == before
    assert read_marker(tmp_path).names >= {"gone.svg"}


@pytest.mark.parametrize("exchanges", [True, False], ids=["renameat2", "no-exchange"])
def test_a_folder_of_yours_made_as_the_run_fills_the_folder_is_left_whole(
        exchanges: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of the user's named like a file the run writes, made after the run
    looked for one and before it put that file in, was exchanged with the file and
    removed with the run's hidden folder, all in it, the run exiting 0. The run is
    refused with one ``cannot-write`` naming it, every file left as it was."""
    before = _old_folder(tmp_path, monkeypatch)
    real = converter.inplace.exchange

    def folder_then_exchanged(made: Path, target: Path) -> bool:
        if target.name == "soleus.svg" and not target.is_dir():
            target.unlink()
            target.mkdir()
            (target / "mine.txt").write_text("mine")
        return exchanges and real(made, target)

    monkeypatch.setattr(converter.inplace, "exchange", folder_then_exchanged)
    code, output = _svg()
    assert code == 1
    assert (".: error: cannot write here: soleus.svg is a folder of yours, where this run "
            "writes a file of that name (Is a directory); every file is left as it was, "
            "and this run wrote nothing there [cannot-write]") in output
    assert (tmp_path / "soleus.svg" / "mine.txt").read_text() == "mine"
    del before["soleus.svg"]
    assert {name: data for name, data in _files(tmp_path).items()
            if name != "soleus.svg"} == before


def _yours(target: Path, what: str) -> None:
    """Put ``what`` of the user's at ``target``: a ``folder`` with a note in it, or a
    ``file`` of other bytes (an editor's save, a new file renamed over it)."""
    if what == "folder":
        target.unlink()
        target.mkdir()
        (target / "mine.txt").write_text("mine")
        return
    (target.parent / "new").write_text("mine, saved anew")
    os.replace(target.parent / "new", target)


@pytest.mark.parametrize("what", ["folder", "file"])
@pytest.mark.parametrize("when", ["after the check", "as it is moved out"])
def test_a_file_no_longer_written_the_user_replaced_after_the_check_is_left(
        what: str, when: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of the tool's the run no longer writes, found removable by its check,
    that the user then replaced (by a folder of theirs, by a file of theirs) was moved
    into the run's hidden folder and removed with it, all in it, the run exiting 0. It
    is removed only while it is the very file the check saw (looked at just before it
    is moved out, and as it is): else the run is refused, one ``cannot-write`` naming
    it, every file left as it was, theirs too."""
    before = _old_folder(tmp_path, monkeypatch)
    gone = tmp_path / "gone.svg"
    if when == "after the check":
        real_digests = converter.inplace.digests_of

        def digests_then_replaced(folder: Path, names: list[str]) -> dict[str, str]:
            _yours(gone, what)
            return real_digests(folder, names)

        monkeypatch.setattr(converter.inplace, "digests_of", digests_then_replaced)
    else:
        real_unchanged = converter.inplace.unchanged

        def looked_then_replaced(seen: os.stat_result, path: Path,
                                 moved: bool = False) -> bool:
            same = real_unchanged(seen, path, moved=moved)
            if path == gone and not moved:
                _yours(gone, what)
            return same

        monkeypatch.setattr(converter.inplace, "unchanged", looked_then_replaced)
    code, output = _svg()
    assert code == 1
    assert output.count("error:") == 1, output
    assert (".: error: cannot write here: gone.svg, no longer written, was replaced or "
            "changed after this run checked it, and is left as it is; every file is left "
            "as it was, and this run wrote nothing there [cannot-write]") in output
    assert (tmp_path / "gone.svg" / "mine.txt").read_text() == "mine" if what == "folder" \
        else (tmp_path / "gone.svg").read_text() == "mine, saved anew"
    del before["gone.svg"]
    assert {name: data for name, data in _files(tmp_path).items()
            if name != "gone.svg"} == before


@pytest.mark.parametrize(("when", "exchanges"), [
    ("after the check", True), ("after the check", False), ("as it is exchanged", True)])
def test_a_file_of_the_tools_the_user_edited_after_the_check_is_not_replaced(
        when: str, exchanges: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A file of the tool's the run writes again, which the user edited after the run
    checked it, was replaced, the edit removed with the run's hidden folder, the run
    exiting 0. It is replaced only while it is the very file the check saw (looked at
    just before, and as it is exchanged): else the run is refused, one ``cannot-write``
    naming it, every file left as it was, the edit too."""
    before = _old_folder(tmp_path, monkeypatch)
    soleus = tmp_path / "soleus.svg"
    real_exchange, real_keep_mode = converter.inplace.exchange, converter.inplace.keep_mode

    def kept_then_edited(made: Path, target: Path) -> None:
        real_keep_mode(made, target)
        if target == soleus and when == "after the check":
            soleus.write_text("mine, edited")

    def edited_then_exchanged(made: Path, target: Path) -> bool:
        if target == soleus and when == "as it is exchanged":
            soleus.write_text("mine, edited")
        return exchanges and real_exchange(made, target)

    monkeypatch.setattr(converter.inplace, "keep_mode", kept_then_edited)
    monkeypatch.setattr(converter.inplace, "exchange", edited_then_exchanged)
    code, output = _svg()
    assert code == 1
    assert output.count("error:") == 1, output
    assert (".: error: cannot write here: soleus.svg was replaced or changed after this "
            "run checked it, and is left as it is; every file is left as it was, and this "
            "run wrote nothing there [cannot-write]") in output
    assert _files(tmp_path) == {**before, "soleus.svg": b"mine, edited"}


#: A run of the samples' svg into the working folder that stops once it has put its
#: first file in (it says so in ``ready``), until ``go`` is there.
PAUSED_AS_IT_FILLS = f"""
import os, sys, time
WAIT = {WAIT}
from pathlib import Path
import converter.atomic_folder
import converter.inplace
from converter.cli import cli
real, moved = converter.inplace._put, []
def put(made, target, keep, undo):
    real(made, target, keep, undo)
    if target.name.endswith(".svg") and not moved:
        moved.append(target)
        Path(sys.argv[1], "ready").touch()
        deadline = time.monotonic() + WAIT  # (a test that died tells it nothing)
        while not Path(sys.argv[1], "go").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
converter.inplace._put = put
cli(["convert", sys.argv[2], "--to", "svg", "-o", ".", "-j", "1", "--no-cache", "-q"])
"""


def _waits_for_lock(process: subprocess.Popen) -> bool:
    """Wait until ``process`` waits for a ``flock`` (``/proc/locks`` marks it ``->``);
    False if it ends first (or is not seen waiting in :data:`WAIT` seconds)."""
    deadline = time.monotonic() + WAIT
    while process.poll() is None and time.monotonic() < deadline:
        locks = Path("/proc/locks").read_text().splitlines()
        if any(" -> FLOCK " in line and f" {process.pid} " in line for line in locks):
            return True
        time.sleep(0.01)
    return False


def _second_run_waits(paused: str, site: Path, signals: Path, second: Path,
                      output: str) -> tuple[int, int, bool, str]:
    """Run the paused run ``paused`` (a script that touches ``signals/ready`` and waits
    for ``signals/go``) in ``site``, then, once it is paused, a convert to html ``-o
    output`` in the folder ``second``; let the first go once the second waits for a
    lock (or ends). The two exit codes, whether the second waited, the first's stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([sys.executable, "-c", paused, str(signals), str(SAMPLES)],
                             cwd=site, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + WAIT
    while not (signals / "ready").exists():
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    then = subprocess.Popen([sys.executable, "-m", "converter", "convert", str(SAMPLES),
                             "--to", "html", "-o", output, "-j", "1", "--no-cache", "-q"],
                            cwd=second, env=env)
    waited = _waits_for_lock(then)
    (signals / "go").touch()
    _, errors = first.communicate(timeout=WAIT)
    return first.returncode, then.wait(timeout=WAIT), waited, errors


def test_two_runs_filling_one_folder_at_once_leave_the_last_ones_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs writing the same folder in place at once both exited 0 and left a folder
    that did not match its marker: files of both, some the marker listed gone. The
    second waits for the first to be done, then puts its own files in over the first's:
    the folder is the second's, and its marker true."""
    site, signals = tmp_path / "site", tmp_path / "signals"
    site.mkdir()
    signals.mkdir()
    monkeypatch.chdir(site)
    CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", ".", "-j", "1",
                             "--no-cache", "-q"])
    first, second, waited, errors = _second_run_waits(PAUSED_AS_IT_FILLS, site, signals,
                                                      site, ".")
    assert (first, second) == (0, 0), errors
    assert waited
    assert sorted(os.listdir(site)) == [".muscle-convert", "diagram.svg", "index.html"]
    assert read_marker(site).names == {"diagram.svg", "index.html"}


def test_a_swap_waits_for_a_run_filling_the_folder_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run swapping the folder (``-o site`` from outside) took no lock: it swapped its
    folder in while a run in place (``cd site && ... -o .``) was halfway through its
    files, which went on into the folder swapped out. It waits for the run in place to
    be done, then reads the marker that run left and swaps its own folder in: the folder
    is the swap's, its marker true."""
    site, signals = tmp_path / "site", tmp_path / "signals"
    signals.mkdir()
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", "site", "-j",
                             "1", "--no-cache", "-q"])
    (site / "notes.txt").write_text("mine")
    in_place, swap, waited, errors = _second_run_waits(PAUSED_AS_IT_FILLS, site, signals,
                                                       tmp_path, "site")
    assert (in_place, swap) == (0, 0), errors
    assert waited
    assert sorted(os.listdir(site)) == [".muscle-convert", "diagram.svg", "index.html",
                                        "notes.txt"]
    assert read_marker(site).names == {"diagram.svg", "index.html"}
    assert (site / "notes.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["signals", "site"]


#: A run of the samples' svg into the working folder that waits, its files built in its
#: hidden folder and none yet put in, for the file ``go`` in ``sys.argv[1]`` (it makes
#: ``ready`` there first).
PAUSED_AS_IT_BUILDS = f"""
import sys, time
WAIT = {WAIT}
from pathlib import Path
import converter.atomic_folder
from converter.cli import cli
real = converter.atomic_folder._tell_sources_kept
def told(*args):
    Path(sys.argv[1], "ready").touch()
    deadline = time.monotonic() + WAIT  # (a test that died tells it nothing)
    while not Path(sys.argv[1], "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    real(*args)
converter.atomic_folder._tell_sources_kept = told
cli(["convert", sys.argv[2], "--to", "svg", "-o", ".", "-j", "1", "--no-cache", "-q"])
"""


def test_a_swap_waits_for_a_run_in_place_still_building_its_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run swapping the folder (``-o site`` from outside) while a run in place was
    still building its files (holding its hidden folder, not yet the folder's lock)
    swapped the folder away and removed it, the run in place's hidden folder with it:
    that run failed (working-folder-gone, or a cannot-write naming no file). The swap
    waits for the run in place to be done, then swaps its own folder in."""
    site, signals = tmp_path / "site", tmp_path / "signals"
    signals.mkdir()
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", "site", "-j",
                             "1", "--no-cache", "-q"])
    in_place, swap, waited, errors = _second_run_waits(PAUSED_AS_IT_BUILDS, site, signals,
                                                       tmp_path, "site")
    assert (in_place, swap) == (0, 0), errors
    assert waited
    assert sorted(os.listdir(site)) == [".muscle-convert", "diagram.svg", "index.html"]
    assert read_marker(site).names == {"diagram.svg", "index.html"}
    assert sorted(os.listdir(tmp_path)) == ["signals", "site"]


@pytest.mark.parametrize("quiet", [False, True], ids=["said", "quiet"])
@pytest.mark.parametrize("run", ["filling", "building"])
def test_a_swap_that_waits_for_a_run_in_place_says_so_once(
        run: str, quiet: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A swap (``-o site``) waited for a run in place on the folder, filling it (the
    folder's lock) or still building its files (its hidden folder's), as long as that
    run took, saying nothing. It says once, as it begins to wait, which folder it waits
    for and the process that holds it (here, this test's); ``--quiet`` says nothing."""
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", "site", "-j",
                             "1", "--no-cache", "-q"])
    hidden = site / "..muscle-convert.abcd1234.tmpdir"
    hidden.mkdir()
    holder = os.open(site if run == "filling" else hidden, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    swap = subprocess.Popen(
        [sys.executable, "-m", "converter", "convert", str(SAMPLES), "--to", "html", "-o",
         "site", "-j", "1", "--no-cache", *(["-q"] if quiet else [])],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE,
        text=True)
    try:
        waited = _waits_for_lock(swap)
        # (said before it waits: the line is there already, or never comes)
        ready = select.select([swap.stderr], [], [], 0)[0]
        first = swap.stderr.readline() if ready and swap.stderr else ""
    finally:
        os.close(holder)
        _, rest = swap.communicate(timeout=WAIT)
    assert (waited, swap.returncode) == (True, 0), rest
    note = (f"site: note: another run (pid {os.getpid()}) is writing this folder: "
            "waiting for it to be done\n")
    assert (first, note in rest) == (("", False) if quiet else (note, False))
    assert read_marker(site).names == {"diagram.svg", "index.html"}


#: A run of the samples' svg into the working folder that is sent the signal
#: ``sys.argv[2]`` (Ctrl-C's, or SIGTERM) once it has put its second file in.
STOPPED_AS_IT_FILLS = """
import os, sys
import converter.atomic_folder
import converter.inplace
from converter.cli import main
real, moved, signum = converter.inplace._put, [], int(sys.argv[2])
def put(made, target, keep, undo):
    real(made, target, keep, undo)
    if target.name.endswith(".svg"):
        moved.append(target)
        if len(moved) == 2:
            os.kill(os.getpid(), signum)
converter.inplace._put = put
sys.argv[1:] = ["convert", sys.argv[1], "--to", "svg", "-o", ".", "-j", "1", "--no-cache",
                "-q"]
main()
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130),
                                              (signal.SIGTERM, -signal.SIGTERM)],
                         ids=["ctrl-c", "sigterm"])
def test_a_run_stopped_as_it_fills_the_folder_leaves_it_as_it_was(
        signum: int, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or SIGTERM as the files were put in waited for all of them to be put in,
    then the run ended as stopped (``Aborted!``, exit 130), the folder all new. The files
    put in are put back, then the run ends as stopped: the folder is as it was."""
    before = _old_folder(tmp_path, monkeypatch)
    stopped = subprocess.run([sys.executable, "-c", STOPPED_AS_IT_FILLS, str(SAMPLES),
                              str(int(signum))], cwd=tmp_path, capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert stopped.returncode == code, stopped.stderr
    assert _files(tmp_path) == before


#: A run of the samples' svg into the working folder that is sent the signal
#: ``sys.argv[2]`` once every file is put in, past the last step that could undo them.
STOPPED_ONCE_FILLED = """
import os, sys
import converter.atomic_folder
import converter.inplace
from converter.cli import main
real, signum = converter.inplace._fill, int(sys.argv[2])
def fill(*args):
    real(*args)
    os.kill(os.getpid(), signum)
converter.inplace._fill = fill
sys.argv[1:] = ["convert", sys.argv[1], "--to", "svg", "-o", ".", "-j", "1", "--no-cache",
                "-q"]
main()
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130),
                                              (signal.SIGTERM, -signal.SIGTERM),
                                              (signal.SIGHUP, -signal.SIGHUP)],
                         ids=["ctrl-c", "sigterm", "sighup"])
def test_a_run_stopped_once_the_folder_is_filled_says_it_was_written(
        signum: int, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C, SIGTERM or SIGHUP that came once every file was put in, too late to put
    them back, ended the run with ``Aborted!`` (or nothing, for SIGTERM), as if nothing
    were written, the folder all new. The run ends as stopped all the same, saying the
    folder was written."""
    before = _old_folder(tmp_path, monkeypatch)
    stopped = subprocess.run([sys.executable, "-c", STOPPED_ONCE_FILLED, str(SAMPLES),
                              str(int(signum))], cwd=tmp_path, capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert stopped.returncode == code, stopped.stderr
    assert stopped.stderr.strip() == ("muscle-convert: stopped once . was written: it holds "
                                      "this run's files"), stopped.stderr
    after = _files(tmp_path)
    assert after["notes.txt"] == b"mine" and "gone.svg" not in after
    assert all(after[name] != before[name] for name in after if name.endswith(".svg"))
    assert not [name for name in after if name.startswith("..")]


def test_a_run_in_place_whose_folder_a_swap_replaced_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run swapping the folder (``-o site`` from outside) while a run in place built
    its files carried that run's hidden folder into its own as the user's, where the run
    in place then put its files in. The swap leaves it out; the run in place, its folder
    swapped away, writes nothing and says so, and the folder is the swap's."""
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", "site", "-j",
                             "1", "--no-cache", "-q"])
    real = converter.inplace.fill_in_place

    def swapped_first(*args: object) -> None:
        swap = subprocess.run([sys.executable, "-m", "converter", "convert", str(SAMPLES),
                               "--to", "html", "-o", "site", "-j", "1", "--no-cache", "-q",
                               "--lang", "da"], cwd=tmp_path, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert swap.returncode == 0, swap.stderr
        real(*args)

    monkeypatch.setattr(converter.atomic_folder, "fill_in_place", swapped_first)
    monkeypatch.setattr(converter.atomic_folder, "claimed", lambda folder: None)  # (as
    # where no lock is taken: else the swap waits for this run, which waits for it)
    monkeypatch.chdir(site)
    code, output = _svg()
    assert code != 0 and output.count("error:") == 1, output
    assert ("cannot write here: the folder was replaced, moved or removed by something "
            "else while this run wrote it") in output
    assert sorted(os.listdir(site)) == [".muscle-convert", "diagram.svg", "index.html"]
    assert read_marker(site).names == {"diagram.svg", "index.html"}
