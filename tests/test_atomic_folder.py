"""Output folders: built beside and swapped in whole, the user's files in them kept,
what is saved or removed while a run writes them carried over."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import converter
import converter.atomic
import converter.atomic_folder
import converter.folder_lock
from converter.cli import cli
from converter.discovery import Input
from converter.marker import read_marker
from converter.registry import get_format
from converter.sources_kept import reading
from tests.conftest import ROOT, SAMPLES, WAIT, convert_samples, remove_tree


def test_a_replaced_output_folder_keeps_what_someone_else_put_there(tmp_path: Path) -> None:
    """A base image beside the page, a hand-written page, a folder of notes: each run
    swapped in a fresh folder and deleted them."""
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        for name in ("index.html", "old.html"):
            (folder / name).write_text(name)
    (out / "body.png").write_bytes(b"\x89PNG picture")
    (out / "notes").mkdir()
    (out / "notes" / "plan.txt").write_text("mine")
    (out / "link").symlink_to("body.png")
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new index")
        (folder / "new.html").write_text("new page")
    assert sorted(os.listdir(out)) == [".muscle-convert", "body.png", "index.html", "link",
                                       "new.html", "notes"]
    assert (out / "body.png").read_bytes() == b"\x89PNG picture"
    assert (out / "notes" / "plan.txt").read_text() == "mine"
    assert (out / "index.html").read_text() == "new index"
    assert os.readlink(out / "link") == "body.png"
    # What this run wrote is its own next time, what was kept is still someone else's.
    assert converter.atomic_folder.written_by_tool(out) == {"index.html", "new.html"}
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "body.png").write_text("a file of the tool's by that name wins")
    assert sorted(os.listdir(out)) == [".muscle-convert", "body.png", "link", "notes"]


def test_a_folder_of_an_older_version_is_all_its_own(tmp_path: Path) -> None:
    out = tmp_path / "svg"
    out.mkdir()
    (out / ".muscle-convert").write_text("written by muscle-convert; safe to replace\n")
    (out / "soleus.svg").write_text("old")
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "map.svg").write_text("new")
    assert sorted(os.listdir(out)) == [".muscle-convert", "map.svg"]


def test_the_base_image_beside_the_page_survives_the_next_run(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    site = tmp_path / "site"
    assert convert_samples("html", site)[0] == 0
    (site / "body.png").write_bytes(b"\x89PNG\r\n\x1a\n picture")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", "site",
                                      "--base-image", "body.png", "--size", "1000x1000",
                                      "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    assert (site / "body.png").read_bytes() == b"\x89PNG\r\n\x1a\n picture"
    assert 'src="body.png"' in (site / "index.html").read_text(encoding="utf-8")


def test_a_marker_saved_by_an_editor_still_lists_what_the_tool_wrote(tmp_path: Path) -> None:
    """A BOM or a trailing space made it an older version's marker: every file someone
    else put there was deleted."""
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    marker = out / ".muscle-convert"
    marker.write_text("\ufeff" + marker.read_text().replace("\n", " \r\n"), encoding="utf-8")
    (out / "mine.txt").write_text("mine")
    assert converter.atomic_folder.written_by_tool(out) == {"index.html"}
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    assert (out / "mine.txt").read_text() == "mine"


@pytest.mark.parametrize("links", [True, False], ids=["linked", "copied"])
def test_a_kept_folder_stays_its_owners(links: bool, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Copied into the new folder, another user's folder became the runner's, and they
    could no longer write into it (a file copied where no link could be made too)."""
    if not links:
        def no_link(*args: object, **kwargs: object) -> None:
            raise OSError("no hard links here")

        monkeypatch.setattr(os, "link", no_link)
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    other = 1234 if os.geteuid() == 0 else os.getuid()  # (only root gives files away)
    notes = out / "notes"
    (notes / "deeper").mkdir(parents=True)
    (notes / "deeper" / "plan.txt").write_text("mine")
    (out / "mine.txt").write_text("mine")
    kept = (notes, notes / "deeper", notes / "deeper" / "plan.txt", out / "mine.txt")
    for path in kept:
        os.chown(path, other, other)
    os.chmod(notes, 0o700)
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    for path in kept:
        assert (path.stat().st_uid, path.stat().st_gid) == (other, other), path
    assert stat.S_IMODE(notes.stat().st_mode) == 0o700


MOUNTED_OUTPUTS = """
set -e
convert() { "$PYTHON" -m converter convert "$SAMPLES" --to svg -o "$1" -j 1 --no-cache \
    2>&1 | grep ' error: ' || true; }
convert out >/dev/null
mkdir out/notes
mount -t tmpfs none out/notes
echo mine > out/notes/plan.txt
convert out
cat out/notes/plan.txt
mkdir volume
mount -t tmpfs none volume
convert volume
ls -A volume
mkdir bound elsewhere
mount --bind elsewhere bound
convert bound
"""


def test_a_mounted_file_system_in_or_as_an_output_folder_is_left_alone(
        tmp_path: Path) -> None:
    """The swap moved a file system mounted inside the folder along with the old folder,
    then emptied it deleting that; a mount point itself (a bind mount of a folder of the
    same file system too) failed with 'Device or resource busy'."""
    result = subprocess.run(  # (a user and mount namespace of its own: no root needed)
        ["unshare", "--map-root-user", "--mount", "bash", "-c", MOUNTED_OUTPUTS],
        cwd=tmp_path, text=True, timeout=WAIT,
        capture_output=True, env={**os.environ, "PYTHON": sys.executable,
                                  "SAMPLES": str(SAMPLES)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "out: error: a file system is mounted at out/notes inside it; the directory is "
        "replaced whole, which would empty that file system: unmount it or choose another "
        "directory [output-mount]",
        "mine",
        "volume: error: is a mount point, and an output directory is replaced whole, by a "
        "rename; write into a directory inside it [output-mount]",
        "bound: error: is a mount point, and an output directory is replaced whole, by a "
        "rename; write into a directory inside it [output-mount]"]  # (one file system)
    assert sorted(os.listdir(tmp_path / "out")) == sorted(
        [".muscle-convert", "map.svg", "notes",
         *(f"{p.stem}.svg" for p in SAMPLES.glob("*.md"))])


IN_PLACE = """
set -e
mkdir volume
mount -t tmpfs none volume
cd volume
"$PYTHON" -m converter convert "$SAMPLES" --to html -o . -j 1 --no-cache -q
echo mine > notes.txt
"$PYTHON" -m converter convert "$SAMPLES" --to html -o . -j 1 --no-cache -q
ls -A
"""


def test_a_mount_point_that_is_the_working_folder_is_written_in_place(
        tmp_path: Path) -> None:
    """Written in place, a mount point (a container's volume, ``-w /out``) as ``-o .``
    is no folder swapped whole: nothing of it is emptied."""
    result = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "bash", "-c", IN_PLACE],
        cwd=tmp_path, text=True, timeout=WAIT,
        capture_output=True, env={**os.environ, "PYTHON": sys.executable,
                                  "SAMPLES": str(SAMPLES)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [".muscle-convert", "diagram.svg", "index.html",
                                          "notes.txt"]


def _html(output: str) -> None:
    """``convert`` the samples to html into ``output``, from the working folder."""
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o", output,
                                      "-j", "1", "--no-cache", "-q"])
    assert result.exit_code == 0, result.output


def test_the_working_folder_as_the_output_is_written_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o .`` swapped a new folder in place of the working folder: the shell was left in
    a deleted folder, which every later run failed in, and ``ls`` showed nothing."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.chdir(site)
    folder = os.stat(".").st_ino
    _html(".")
    Path("notes.txt").write_text("mine\n")
    unchanged = os.stat("diagram.svg")
    marker = os.stat(".muscle-convert").st_ino
    _html(".")
    assert os.getcwd() == str(site) and os.stat(".").st_ino == folder
    assert os.stat(".muscle-convert").st_ino == marker  # (nothing new: left as it is)
    assert sorted(os.listdir(".")) == [".muscle-convert", "diagram.svg", "index.html",
                                       "notes.txt"]
    assert os.stat("diagram.svg").st_ino == unchanged.st_ino  # (the same bytes: left)
    assert Path("notes.txt").read_text() == "mine\n"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "svg", "-o", ".",
                                      "-j", "1", "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(".")) == sorted(  # (the html files, no longer written: gone)
        [".muscle-convert", "map.svg", "notes.txt",
         *(f"{p.stem}.svg" for p in SAMPLES.glob("*.md"))])
    assert converter.atomic_folder.written_by_tool(site) == {
        name for name in os.listdir(".") if name.endswith(".svg")}


def test_a_folder_above_the_working_folder_is_written_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles: list) -> None:
    """The API and ``-o ..`` alike: the folder the program stands in stays."""
    below = tmp_path / "site" / "notes"
    monkeypatch.chdir(tmp_path)
    _html("site")
    below.mkdir()
    monkeypatch.chdir(below)
    _html("..")
    assert converter.write(sample_muscles, "..", "html") == (
        "wrote index.html with 15 muscles to ..")
    assert os.getcwd() == str(below)
    assert sorted(os.listdir("..")) == [".muscle-convert", "diagram.svg", "index.html",
                                        "notes"]
    monkeypatch.chdir(below.parent)
    converter.write(sample_muscles, ".", "svg")
    converter.write(sample_muscles, ".", "html")
    assert sorted(os.listdir(".")) == [".muscle-convert", "diagram.svg", "index.html",
                                       "notes"]


def test_a_folder_written_in_place_is_left_whole_by_a_failed_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that fails as it builds changes nothing; one killed (SIGKILL) as it moves
    its files in leaves each file whole and every one of the tool's listed in the marker,
    which the next run replaces."""
    monkeypatch.chdir(tmp_path)
    with converter.atomic_folder.atomic_directory(Path(".")) as folder:
        (folder / "a.html").write_text("old a")
        (folder / "b.html").write_text("old b")
    before = _tree_of(tmp_path)
    with pytest.raises(RuntimeError), converter.atomic_folder.atomic_directory(
            Path(".")) as folder:
        (folder / "a.html").write_text("new a")
        raise RuntimeError
    assert _tree_of(tmp_path) == before
    killed = subprocess.run([sys.executable, "-c", KILLED_AS_IT_MOVES], cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=WAIT)
    assert killed.returncode == -signal.SIGKILL
    for leftover in tmp_path.glob("..muscle-convert.*.tmpdir"):
        remove_tree(leftover)  # (hidden; a later run sweeps it once a day old)
    after = _tree_of(tmp_path)
    assert {**after, ".muscle-convert": b""} == {**before, ".muscle-convert": b"",
                                                 "a.html": b"new a"}
    assert converter.atomic_folder.written_by_tool(tmp_path) == {"a.html", "b.html"}
    assert read_marker(tmp_path).names == {"a.html", "b.html", "c.html", "d.html"}
    with converter.atomic_folder.atomic_directory(Path(".")) as folder:
        (folder / "c.html").write_text("new c")
    assert sorted(os.listdir(tmp_path)) == [".muscle-convert", "c.html"]


#: A run killed (SIGKILL) as it puts its second file in, in the working folder.
KILLED_AS_IT_MOVES = """
import os, signal
from pathlib import Path
import converter.inplace
from converter.atomic_folder import atomic_directory
real, moved = converter.inplace._put, []
def put(made, target, keep, undo):
    if target.name.endswith(".html"):
        if moved:
            os.kill(os.getpid(), signal.SIGKILL)
        moved.append(target)
    real(made, target, keep, undo)
converter.inplace._put = put
with atomic_directory(Path(".")) as folder:
    for name in ("a.html", "c.html", "d.html"):
        (folder / name).write_text(f"new {name[0]}")
"""


def _tree_of(folder: Path) -> dict[str, bytes]:
    """The files of ``folder`` (no temporary left among them) and their bytes."""
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_mount_points_are_read_with_their_escapes(tmp_path: Path) -> None:
    assert converter.atomic_folder.mounts_inside(tmp_path) == []
    assert converter.atomic_folder._unescape_mount(rb"/srv/my\040files\134x") == b"/srv/my files\\x"


@pytest.mark.parametrize("to, soleus_in", [("svg", ["map.svg", "soleus.svg"]),
                                           ("csv", ["muscles.csv"]),
                                           ("html", ["index.html"]),
                                           ("markdown", ["soleus.md"])])
def test_an_output_folder_keeps_the_times_of_its_unchanged_files(
        tmp_path: Path, to: str, soleus_in: list[str]) -> None:
    """Each run swapped in a folder of new files: ``rsync``, a site's build or a file
    watcher saw every file change when one muscle had."""
    content, out = tmp_path / "content", tmp_path / "out"
    content.mkdir()
    for sample in SAMPLES.glob("*.md"):
        (content / sample.name).write_bytes(sample.read_bytes())
    assert converter_run(content, to, out) == 0
    for made in out.rglob("*"):
        os.utime(made, (1_000_000_000, 1_000_000_000), follow_symlinks=False)
    folder = out.stat().st_ino
    assert converter_run(content, to, out) == 0  # (no cache: written anew, the same)
    assert out.stat().st_ino == folder  # (nothing changed: the folder is left as it is)
    assert {p.stat().st_mtime for p in out.rglob("*")} == {1_000_000_000}
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text().replace("title: ", "title: New ", 1))
    assert converter_run(content, to, out) == 0
    changed = {p.relative_to(out).as_posix() for p in out.rglob("*")
               if p.is_file() and p.stat().st_mtime != 1_000_000_000}
    assert changed == {*soleus_in, ".muscle-convert"}  # (the marker: their digests)


def test_files_hashed_unchanged_are_not_read_again_to_keep_their_times(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the check hashed (its digest the marker's) and that is as it was then is
    not read again to tell that the run wrote the same bytes: only the files it did not
    hash are compared byte by byte (the marker, here)."""
    content, out = tmp_path / "content", tmp_path / "out"
    content.mkdir()
    for sample in SAMPLES.glob("*.md"):
        (content / sample.name).write_bytes(sample.read_bytes())
    assert converter_run(content, "svg", out) == 0
    compared: list[str] = []
    same_bytes = converter.atomic_folder.same_bytes

    def counted(new: Path, old: Path) -> bool:
        compared.append(Path(old).name)
        return same_bytes(new, old)

    monkeypatch.setattr(converter.atomic_folder, "same_bytes", counted)
    folder = out.stat().st_ino
    assert converter_run(content, "svg", out) == 0
    assert out.stat().st_ino == folder  # (nothing changed: the folder is left as it is)
    assert compared == [".muscle-convert"]


def test_a_file_edited_after_it_was_hashed_is_compared_byte_by_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of the tool's changed after the check hashed it (same size, its time set
    back) is not taken for the bytes the check saw, so the folder is not left as it is
    as though nothing changed: the run goes on to the swap, which refuses it, the
    edit kept."""
    content, out = tmp_path / "content", tmp_path / "out"
    content.mkdir()
    for sample in SAMPLES.glob("*.md"):
        (content / sample.name).write_bytes(sample.read_bytes())
    assert converter_run(content, "svg", out) == 0
    edit = (out / "soleus.svg").read_bytes().replace(b"<svg", b"<SVG", 1)
    check_unedited = converter.atomic_folder.check_unedited

    def then_edited(*args: Any) -> Any:
        hashed = check_unedited(*args)
        target = out / "soleus.svg"
        was = target.stat()
        target.write_bytes(edit)
        os.utime(target, ns=(was.st_atime_ns, was.st_mtime_ns))
        return hashed

    monkeypatch.setattr(converter.atomic_folder, "check_unedited", then_edited)
    assert converter_run(content, "svg", out) == 1
    assert (out / "soleus.svg").read_bytes() == edit


def converter_run(content: Path, to: str, out: Path) -> int:
    """``convert content --to to -o out --no-cache``'s exit code."""
    return CliRunner().invoke(cli, ["convert", str(content), "--to", to, "-o", str(out),
                                    "--no-cache", "-q"]).exit_code


def test_files_of_an_output_folder_keep_their_modes(tmp_path: Path) -> None:
    """A file made private in the folder stayed private while nothing changed, and lost
    its mode once another muscle had changed (its own bytes the same or not)."""
    content, out = tmp_path / "content", tmp_path / "out"
    content.mkdir()
    for sample in SAMPLES.glob("*.md"):
        (content / sample.name).write_bytes(sample.read_bytes())
    assert converter_run(content, "svg", out) == 0
    for name in ("map.svg", "biceps-brachii.svg"):
        os.chmod(out / name, 0o600)
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text().replace("title: ", "title: New ", 1))
    assert converter_run(content, "svg", out) == 0
    assert stat.S_IMODE((out / "map.svg").stat().st_mode) == 0o600  # (changed)
    assert stat.S_IMODE((out / "biceps-brachii.svg").stat().st_mode) == 0o600  # (same)
    assert [p.name for p in out.iterdir() if p.name.endswith(".keep")] == []


def test_a_shared_output_folder_with_a_file_of_someone_else_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a group's folder (a teammate's CNAME beside the map, writable to the group, not
    owned by this user) every run failed (cannot write here: Operation not permitted):
    the new folder's link to that file was given its own times, which only its owner
    may set. The system's refusal is played here as the kernel gives it to a user
    without the owner's rights (CAP_FOWNER), for any file of that inode."""
    content, out = tmp_path / "content", tmp_path / "out"
    content.mkdir()
    for sample in SAMPLES.glob("*.md"):
        (content / sample.name).write_bytes(sample.read_bytes())
    assert converter_run(content, "svg", out) == 0
    theirs = out / "CNAME"
    theirs.write_text("maps.example.org\n")
    os.chmod(theirs, 0o666)
    owned = theirs.stat().st_ino

    def refused(real: Any) -> Any:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if os.stat(path).st_ino == owned:
                raise PermissionError(1, "Operation not permitted", str(path))
            return real(path, *args, **kwargs)
        return call

    for name in ("utime", "chmod"):  # (what only a file's owner may do)
        monkeypatch.setattr(os, name, refused(getattr(os, name)))
    soleus = content / "soleus.md"
    for title in ("title: ", "title: New "):  # (nothing changed, then soleus)
        soleus.write_text(soleus.read_text().replace("title: ", title, 1))
        result = CliRunner().invoke(cli, ["convert", str(content), "--to", "svg", "-o",
                                          str(out), "--no-cache", "-q"])
        assert (result.exit_code, "cannot-write" in result.output) == (0, False)
    assert theirs.read_text() == "maps.example.org\n"
    assert (theirs.stat().st_ino, "New" in (out / "soleus.svg").read_text()) == (owned, True)


def _edited_meanwhile(out: Path) -> None:
    """What someone does in the folder ``out`` while a run writes it: an editor saves a
    note (a new file renamed over it), a note is added, one in a folder of notes too
    (the tool's own page edited then is kept: see
    :func:`test_a_page_of_the_tools_edited_as_the_folder_is_swapped_is_kept_aside`)."""
    (out.parent / "notes.new").write_text("v2 user edit")
    os.replace(out.parent / "notes.new", out / "notes.txt")
    (out / "added.txt").write_text("added")
    (out / "both.txt").write_text("saved before the swap")
    (out / "notes" / "later.txt").write_text("later")


def _after_the_swap(out: Path) -> None:
    """A save into ``out`` just after the swap: it lands in the new folder."""
    (out / "both.txt").write_text("saved after the swap")


def _user_files(out: Path) -> None:
    """A note, and a folder of notes, of the user's in the output folder ``out``."""
    (out / "notes.txt").write_text("v1")
    (out / "notes").mkdir()
    (out / "notes" / "plan.txt").write_text("plan")


def _edit_while_swapping(monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    """Make each swap of an output folder meet :func:`_edited_meanwhile` first (the
    files linked already), then, where it is one ``renameat2`` exchange (``exchange``;
    else two renames), :func:`_after_the_swap`."""
    real = converter.atomic_folder._exchange

    def edited_then_swapped(new: Path, path: Path) -> bool:
        _edited_meanwhile(path)
        if not exchange:
            return False
        done = real(new, path)
        _after_the_swap(path)
        return done

    monkeypatch.setattr(converter.atomic_folder, "_exchange", edited_then_swapped)


def _edits_survived(out: Path, exchange: bool = True) -> None:
    """Each of :func:`_edited_meanwhile`'s files is there with its latest bytes."""
    assert (out / "notes.txt").read_text() == "v2 user edit"
    assert (out / "added.txt").read_text() == "added"
    assert (out / "both.txt").read_text() == (
        "saved after the swap" if exchange else "saved before the swap")
    assert (out / "notes" / "later.txt").read_text() == "later"
    assert (out / "notes" / "plan.txt").read_text() == "plan"
    assert not [name for name in os.listdir(out.parent) if name.startswith(".")]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed"])
def test_what_is_saved_in_an_output_folder_while_it_is_written_survives(
        exchange: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's files were linked into the new folder, which was then swapped in: a
    note saved or added in the old folder in between (2.84 s for a map of 20,000
    muscles) was deleted with it."""
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    _user_files(out)
    _edit_while_swapping(monkeypatch, exchange)
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    _edits_survived(out, exchange)
    assert (out / "index.html").read_text() == "new"
    assert converter.atomic_folder.written_by_tool(out) == {"index.html"}


def _pages(out: Path) -> None:
    """Write the folder ``out`` with two pages of the tool's: ``index.html``, which the
    next run writes anew, and ``same.html``, which it writes with the same bytes."""
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
        (folder / "same.html").write_text("same")


def test_a_folder_written_the_same_leaves_the_users_files_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run writing the same pages linked the user's files into the folder it built,
    then removed it: each file's ctime changed, and a run reading them (its sources)
    was never replayed from the cache. They are linked only where the folder is
    replaced."""
    out = tmp_path / "site"
    _pages(out)
    (out / "notes.txt").write_text("mine")
    linked: list[str] = []
    real = converter.atomic_folder._link_or_copy

    def linking(source: str | Path, target: str | Path) -> None:
        linked.append(os.path.basename(source))
        real(source, target)

    monkeypatch.setattr(converter.atomic_folder, "_link_or_copy", linking)
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
        (folder / "same.html").write_text("same")
    assert linked == []
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    assert linked == ["notes.txt"]
    assert sorted(os.listdir(out)) == [".muscle-convert", "index.html", "notes.txt"]
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("edited", ["index.html", "same.html"])
def test_a_page_of_the_tools_edited_after_the_check_is_not_replaced(
        edited: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of the tool's the user saved after the run checked the folder's pages
    (as it linked their files) was replaced with the old folder, the run exiting 0: the
    save was lost. It is looked at again just before the swap: the run is refused as
    it is for a page edited before it began, the folder left as it is, their save in
    it; one saved into the file the new folder shares with the old (of the same bytes,
    linked) is in the new folder, the run written."""
    out = tmp_path / "site"
    _pages(out)
    real = converter.atomic_folder._keep_times

    def kept_then_edited(new: Path, old: Path, *alike: Any) -> bool:
        same = real(new, old, *alike)
        (old / edited).write_text("mine")
        return same

    monkeypatch.setattr(converter.atomic_folder, "_keep_times", kept_then_edited)
    with pytest.raises(converter.MuscleError) if edited == "index.html" else \
            contextlib.nullcontext() as raised, \
            converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
        (folder / "same.html").write_text("same")
    assert sorted(os.listdir(tmp_path)) == ["site"]
    if edited == "same.html":
        assert [(out / name).read_text() for name in ("index.html", "same.html")] == [
            "new", "mine"]
        return
    assert str(raised.value).startswith(
        f"{out}: error: cannot write here: index.html was changed since muscle-convert "
        "wrote it (not the bytes its marker .muscle-convert says)")
    assert [(out / name).read_text() for name in ("index.html", "same.html")] == [
        "mine", "same"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed"])
def test_a_page_of_the_tools_edited_as_the_folder_is_swapped_is_kept_aside(
        exchange: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of the tool's the user saved in the moment between the run's last look
    and its swap was deleted with the old folder, the run exiting 0. The old folder is
    looked at once more after the swap: it is kept beside the new one, as a ``.old``
    folder, and one ``cannot-write`` names the page and where it is."""
    out = tmp_path / "site"
    _pages(out)
    real = converter.atomic_folder._exchange

    def edited_then_swapped(new: Path, path: Path) -> bool:
        (path / "index.html").write_text("mine")
        (path / "same.html").write_text("same")  # (a save of the same bytes: no edit)
        return exchange and real(new, path)

    monkeypatch.setattr(converter.atomic_folder, "_exchange", edited_then_swapped)
    with pytest.raises(converter.MuscleError) as raised, \
            converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
        (folder / "same.html").write_text("same")
    [old] = [name for name in os.listdir(tmp_path) if name != "site"]
    assert old.startswith(".site.") and old.endswith(".old")
    assert str(raised.value) == (
        f"{out}: error: the new folder is written, but what you changed in the old one "
        "while this run wrote it could not all be moved into it (index.html: the tool's, "
        "changed after this run checked it, as it swapped its folder in); the old folder, "
        f"with it, is kept in {tmp_path / old}: move back from it what you need "
        "[cannot-write]")
    assert (tmp_path / old / "index.html").read_text() == "mine"
    assert [(out / name).read_text() for name in ("index.html", "same.html")] == [
        "new", "same"]


def test_what_is_saved_in_a_map_folder_while_the_api_writes_it_survives(
        sample_muscles: list[converter.Muscle], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "svg"
    converter.write(sample_muscles, out, "svg")
    _user_files(out)
    _edit_while_swapping(monkeypatch, exchange=True)
    converter.write(sample_muscles[1:], out, "svg")
    _edits_survived(out)
    assert not (out / f"{sample_muscles[0].slug}.svg").exists()


def test_what_is_saved_in_a_site_while_a_run_writes_it_survives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert convert_samples("html", out)[0] == 0
    _user_files(out)
    before = (out / "index.html").read_text(encoding="utf-8")
    _edit_while_swapping(monkeypatch, exchange=True)
    code, stderr = convert_samples("html", out, "--lang", "da")
    assert code == 0, stderr
    _edits_survived(out)
    assert (out / "index.html").read_text(encoding="utf-8") != before


def test_another_run_replacing_the_folder_meanwhile_is_no_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs writing the same folder at once, where the system takes no lock (else
    the other waits: see test_a_swap_waits_for_a_run_filling_the_folder_in_place): one
    swapped in a folder without a file the other was keeping the times of, and the other
    failed, `cannot write here: No such file or directory` (exit 1), though the folder
    was there."""
    monkeypatch.setattr(converter.folder_lock, "fcntl", None)
    out = tmp_path / "svg"
    with converter.atomic_folder.atomic_directory(out) as folder:
        for name in ("map.svg", "soleus.svg"):
            (folder / name).write_text("first")
    (out / "notes.txt").write_text("mine")
    real = converter.atomic_folder._keep_file

    def other_run_first(made: Path, was: Path) -> None:
        monkeypatch.setattr(converter.atomic_folder, "_keep_file", real)
        with converter.atomic_folder.atomic_directory(out) as folder:  # (without soleus.svg)
            (folder / "map.svg").write_text("other")
        real(made, was)

    monkeypatch.setattr(converter.atomic_folder, "_keep_file", other_run_first)
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "map.svg").write_text("this")
        (folder / "soleus.svg").write_text("first")
    assert sorted(os.listdir(out)) == [".muscle-convert", "map.svg", "notes.txt",
                                       "soleus.svg"]
    assert (out / "map.svg").read_text() == "this"
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["svg"]


def test_a_note_removed_while_it_is_linked_is_no_error(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    (out / "notes.txt").write_text("mine")
    real = converter.atomic_folder._link_or_copy

    def removed_first(source: str | Path, target: str | Path) -> None:
        os.unlink(source)
        real(source, target)

    monkeypatch.setattr(converter.atomic_folder, "_link_or_copy", removed_first)
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    assert sorted(os.listdir(out)) == [".muscle-convert", "index.html"]


def test_a_folder_moved_away_while_a_run_writes_it_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cannot write here: No such file or directory`, of a folder that was there."""
    out = tmp_path / "site"
    assert convert_samples("html", out)[0] == 0
    real = converter.atomic_folder._keep_times

    def moved_first(new: Path, old: Path, *alike: Any) -> bool:
        os.rename(old, tmp_path / "moved")
        return real(new, old, *alike)

    monkeypatch.setattr(converter.atomic_folder, "_keep_times", moved_first)
    code, stderr = convert_samples("html", out, "--lang", "da")
    assert code == 1
    assert [line for line in stderr.splitlines() if " error: " in line] == [
        f"{out}: error: cannot write here: the folder was replaced, moved or removed by "
        "something else while this run wrote it (another run writing the same output at "
        "once?); this run wrote nothing there, run it again [cannot-write]"]
    assert sorted(os.listdir(tmp_path)) == ["moved"]


def test_a_file_another_run_wrote_meanwhile_is_not_kept_as_someone_elses(
        tmp_path: Path) -> None:
    """The marker read as a run began said what was the tool's: a focus image that
    another run wrote in the meantime was kept as someone else's, in every run after."""
    out = tmp_path / "svg"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "map.svg").write_text("first")
    (out / "notes.txt").write_text("mine")
    with converter.atomic_folder.atomic_directory(out) as folder:
        with converter.atomic_folder.atomic_directory(out) as other:  # (the other run, at once)
            (other / "map.svg").write_text("other")
            (other / "soleus.svg").write_text("other")
        (folder / "map.svg").write_text("this")
    assert sorted(os.listdir(out)) == [".muscle-convert", "map.svg", "notes.txt"]
    assert converter.atomic_folder.written_by_tool(out) == {"map.svg"}


def _notes_in_folders(out: Path) -> None:
    """A folder of notes of the user's in the output folder ``out``, with a folder in it."""
    (out / "notes" / "sub").mkdir(parents=True)
    (out / "notes" / "sub" / "x.txt").write_text("x")
    (out / "notes" / "plan.txt").write_text("plan")
    (out / "notes" / "sub" / "link").symlink_to("x.txt")


def _on_linking(monkeypatch: pytest.MonkeyPatch, name: str,
                then: Callable[[Path], None]) -> None:
    """Make the run do ``then`` with the file being linked when it links the one named
    ``name``."""
    real = converter.atomic_folder._link_or_copy

    def linked(source: str | Path, target: str | Path) -> None:
        if Path(source).name == name:
            then(Path(source))
        real(source, target)

    monkeypatch.setattr(converter.atomic_folder, "_link_or_copy", linked)


@pytest.mark.parametrize("removed", ["notes/sub", "notes"])
def test_a_folder_removed_while_it_is_linked_is_passed_over(
        removed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cannot write here: [('.../site/notes/sub', '.../.site.x.tmpdir/notes/sub',
    "[Errno 2] No such file or directory: ...")]`, shutil's list of errors, exit 1."""
    out = tmp_path / "site"
    assert convert_samples("html", out)[0] == 0
    _notes_in_folders(out)
    _on_linking(monkeypatch, "x.txt", lambda _: remove_tree(out / removed))
    code, stderr = convert_samples("html", out, "--lang", "da")
    assert (code, [line for line in stderr.splitlines() if " error: " in line]) == (0, [])
    left = {os.path.relpath(os.path.join(top, name), out)
            for top, folders, files in os.walk(out) for name in folders + files}
    assert {name for name in left if name.startswith("notes")} == (
        {"notes", "notes/plan.txt"} if removed == "notes/sub" else set())
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_file_that_cannot_be_kept_is_one_error_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """shutil's list of errors, a Python repr of tuples, was the message."""
    out = tmp_path / "site"
    assert convert_samples("html", out)[0] == 0
    _notes_in_folders(out)
    before = {name: (out / name).stat().st_mtime_ns for name in os.listdir(out)}

    def refused(source: Path) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(source))

    _on_linking(monkeypatch, "x.txt", refused)
    code, stderr = convert_samples("html", out, "--lang", "da")
    assert (code, [line for line in stderr.splitlines() if " error: " in line]) == (1, [
        f"{out / 'notes' / 'sub' / 'x.txt'}: error: is not the tool's and could not be "
        "kept in the output folder that replaces the one it is in: Permission denied; "
        "this run wrote nothing there [cannot-write]"])
    assert {name: (out / name).stat().st_mtime_ns for name in os.listdir(out)} == before
    assert (out / "notes" / "sub" / "x.txt").read_text() == "x"
    assert sorted(os.listdir(tmp_path)) == ["site"]


def _removed(out: Path) -> None:
    """What the user removes from the output folder ``out``: a note, one in a folder of
    notes, and a whole folder of drafts."""
    os.unlink(out / "notes.txt")
    os.unlink(out / "notes" / "plan.txt")
    remove_tree(out / "drafts")


def _remove_around_the_swap(monkeypatch: pytest.MonkeyPatch, exchange: bool,
                            after: bool) -> None:
    """Make each swap of an output folder meet :func:`_removed` just before it (the
    files linked already), or just ``after`` it; the swap one ``renameat2`` exchange
    where ``exchange``, else two renames."""
    real = converter.atomic_folder._exchange

    def removed_then_swapped(new: Path, path: Path) -> bool:
        if not after:
            _removed(path)
        done = exchange and real(new, path)
        if after:
            _removed(path if done else new)
        return done

    monkeypatch.setattr(converter.atomic_folder, "_exchange", removed_then_swapped)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed"])
@pytest.mark.parametrize("after", [False, True], ids=["before", "after"])
def test_what_is_removed_from_an_output_folder_while_it_is_written_stays_removed(
        exchange: bool, after: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A note removed from the folder after the run had linked it into its new folder,
    before the swap or just after it, was back once the run was done."""
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    _user_files(out)
    (out / "drafts").mkdir()
    (out / "drafts" / "a.txt").write_text("a")
    (out / "kept.txt").write_text("kept")
    _remove_around_the_swap(monkeypatch, exchange, after)
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    assert sorted(os.listdir(out)) == [".muscle-convert", "index.html", "kept.txt", "notes"]
    assert os.listdir(out / "notes") == []
    assert (out / "index.html").read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["site"]


def _between_the_renames(monkeypatch: pytest.MonkeyPatch,
                         then: Callable[[Path, Path], None]) -> None:
    """Make each swap of an output folder two renames (no ``renameat2`` exchange), and
    do ``then`` with the new folder and the output path between them, when no folder is
    at the output path."""
    real = converter.atomic_folder._put_in

    def put_in(new: Path, path: Path, old: Path, shown: str) -> None:
        then(new, path)
        real(new, path, old, shown)

    monkeypatch.setattr(converter.atomic_folder, "_exchange", lambda new, path: False)
    monkeypatch.setattr(converter.atomic_folder, "_put_in", put_in)


def _swap_failed(out: Path, monkeypatch: pytest.MonkeyPatch,
                 then: Callable[[Path, Path], None]) -> tuple[list[str], dict[str, bytes]]:
    """Write the site ``out`` with a note of the user's in it, then again, its second
    rename meeting ``then``: the errors said, and the files of the old site."""
    assert convert_samples("html", out)[0] == 0
    (out / "notes.txt").write_text("mine")
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}
    _between_the_renames(monkeypatch, then)
    code, stderr = convert_samples("html", out, "--lang", "da")
    assert code == 1
    return [line for line in stderr.splitlines() if " error: " in line], before


def test_a_folder_that_cannot_be_put_in_place_puts_the_old_one_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the second of two renames failed, the output was missing: the old folder
    was left in a hidden `.site.<random>.old` beside it, the user's notes with it."""
    out = tmp_path / "site"
    errors, before = _swap_failed(out, monkeypatch, lambda new, _: remove_tree(new))
    assert errors == [f"{out}: error: cannot write here: No such file or directory, as "
                      "this run put its folder in place of the old one, which is back as "
                      "it was; this run wrote nothing there [cannot-write]"]
    assert {name: (out / name).read_bytes() for name in os.listdir(out)} == before
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_folder_put_in_the_outputs_place_meanwhile_names_where_the_old_one_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cannot write here: Directory not empty`: the old folder, the user's notes in it,
    was left in a hidden folder the message did not name."""
    out = tmp_path / "site"

    def another_folder(_: Path, path: Path) -> None:
        (path / "other").mkdir(parents=True)

    errors, before = _swap_failed(out, monkeypatch, another_folder)
    [old] = [name for name in os.listdir(tmp_path) if name != "site"]
    assert old.startswith(".site.") and old.endswith(".old")
    assert errors == [f"{out}: error: cannot write here: Directory not empty, as this run "
                      "put its folder in place of the old one (something else was put "
                      f"there in that moment); the old folder is kept in {tmp_path / old}, "
                      f"with your files in it (notes.txt): move what is at {out} now away, "
                      f"then rename {tmp_path / old} back to {out} [cannot-write]"]
    assert {name: (tmp_path / old / name).read_bytes()
            for name in os.listdir(tmp_path / old)} == before
    assert os.listdir(out) == ["other"]


def test_a_run_in_places_folder_in_the_old_folder_put_aside_is_not_named_yours(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old folder kept aside lists the user's files in it: a run in place's hidden
    folder there, whose lock that run holds, is that run's, not one of the user's."""
    out = tmp_path / "site"
    claims: list[int | None] = []

    def a_run_in_place_then_another_folder(_: Path, path: Path) -> None:
        held = _old_folder(path) / "..muscle-convert.held.tmpdir"
        held.mkdir()
        claims.append(converter.folder_lock.claimed(held))
        (path / "other").mkdir(parents=True)

    try:
        errors, _ = _swap_failed(out, monkeypatch, a_run_in_place_then_another_folder)
    finally:
        for claim in claims:
            if claim is not None:
                os.close(claim)
    assert claims and claims[0] is not None
    old = _old_folder(out)
    assert len(errors) == 1 and "with your files in it (notes.txt): " in errors[0], errors
    assert (old / "..muscle-convert.held.tmpdir").is_dir()


def _old_folder(path: Path) -> Path:
    """The one ``.old`` folder beside the output ``path``."""
    [old] = [name for name in os.listdir(path.parent) if name.endswith(".old")]
    return path.parent / old


def _other_run(path: Path, then: Callable[[Path, Path], None] = lambda *_: None) -> None:
    """Another run writing the output folder ``path`` while no folder is there (between
    this run's two renames), then ``then`` done with the old folder and the other run's
    (what the other run linked, what the user saved meanwhile)."""
    with converter.atomic_folder.atomic_directory(path) as folder:
        (folder / "index.html").write_text("the other run's")
    then(_old_folder(path), path)


def test_your_files_in_the_old_folder_go_into_another_runs_folder_put_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run put its folder at the output path between this run's two renames:
    the user's notes stayed only in a hidden `.site.<random>.old` folder (which no run
    removes), the message saying to move back from it "what you need"."""
    out = tmp_path / "site"

    def drafts_saved(old: Path, _: Path) -> None:
        (old / "drafts").mkdir()
        (old / "drafts" / "a.txt").write_text("a")

    errors, _ = _swap_failed(out, monkeypatch, lambda _, path: _other_run(path, drafts_saved))
    assert errors == [f"{out}: error: cannot write here: Directory not empty, as this run "
                      "put its folder in place of the old one (another run writing the "
                      "same output put its folder there in that moment); your files in the "
                      "old folder were moved into it, and this run wrote nothing there: "
                      "run it again [cannot-write]"]
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "drafts" / "a.txt").read_text() == "a"
    assert (out / "index.html").read_text() == "the other run's"
    assert converter.atomic_folder.written_by_tool(out) == {"index.html"}
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_later_save_replaces_the_other_runs_link_and_a_clash_stays_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other run had linked the user's note before this run moved the folder away;
    the user then saved the note anew (an editor's save: a new file) in the old folder,
    and wrote a file there that the other run's folder has too, other bytes in it."""
    out = tmp_path / "site"

    def linked_then_saved(old: Path, folder: Path) -> None:
        os.link(old / "notes.txt", folder / "notes.txt")  # (as the other run links it)
        (folder / "added.txt").write_text("in the new")
        (old / "notes.new").write_text("saved later")
        os.replace(old / "notes.new", old / "notes.txt")
        (old / "added.txt").write_text("in the old")

    errors, _ = _swap_failed(out, monkeypatch,
                             lambda _, path: _other_run(path, linked_then_saved))
    old = _old_folder(out)
    assert errors == [f"{out}: error: cannot write here: Directory not empty, as this run "
                      "put its folder in place of the old one (another run writing the "
                      "same output put its folder there in that moment); your files in the "
                      "old folder were moved into it, but for these (added.txt: another is "
                      f"there), which stay in the old folder, kept in {old}: compare each "
                      f"with the one in {out}, move back what you need, then remove {old} "
                      "[cannot-write]"]
    assert (out / "notes.txt").read_text() == "saved later"
    assert ((out / "added.txt").read_text(), (old / "added.txt").read_text()) == (
        "in the new", "in the old")
    assert converter.atomic_folder.written_by_tool(out) == {"index.html"}


def _save_refused(monkeypatch: pytest.MonkeyPatch, out: Path, exchange: bool) -> None:
    """A note saved while the run wrote ``out`` that cannot be moved into the new folder
    (a folder with the sticky bit, the note someone else's)."""
    _user_files(out)
    _edit_while_swapping(monkeypatch, exchange)
    real = converter.atomic_folder._carry_entry

    def refused(source: Path, target: Path, relative: str, linked: Any) -> list[str]:
        if relative == "notes.txt":
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(source))
        return real(source, target, relative, linked)

    monkeypatch.setattr(converter.atomic_folder, "_carry_entry", refused)


def _folder_made_before_the_swap(monkeypatch: pytest.MonkeyPatch, out: Path,
                                 exchange: bool) -> None:
    """A folder of the user's named like a file the run writes, made after the run
    looked for one (as it linked the user's files) and before the swap."""
    real = converter.atomic_folder._exchange

    def folder_then_swapped(new: Path, path: Path) -> bool:
        (path / "index.html").unlink()
        (path / "index.html").mkdir()
        (path / "index.html" / "mine.txt").write_text("mine")
        return exchange and real(new, path)

    monkeypatch.setattr(converter.atomic_folder, "_exchange", folder_then_swapped)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed"])
@pytest.mark.parametrize(("meddle", "why", "kept", "text"), [
    (_save_refused, "notes.txt: Operation not permitted", "notes.txt", "v2 user edit"),
    (_folder_made_before_the_swap, "index.html: a folder of yours, where this run wrote a "
     "file of that name", "index.html/mine.txt", "mine"),
], ids=["save-refused", "folder-of-yours"])
def test_what_cannot_be_carried_over_keeps_the_old_folder(
        meddle: Callable[[pytest.MonkeyPatch, Path, bool], None], why: str, kept: str,
        text: str, exchange: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A note saved while the run wrote the folder that could not be moved into the new
    one failed the run with the bare system error, and the old folder, the note in it,
    was left as a `.tmpdir` that the next run removes once it is a day old (its age is
    the folder's, often older); a folder of the user's named like a file the run writes,
    made just before the swap, was removed with the old folder, all in it, the run
    exiting 0. The old folder, with it, is kept (never swept), and the one
    ``cannot-write`` names it."""
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    meddle(monkeypatch, out, exchange)
    with pytest.raises(converter.MuscleError) as raised, \
            converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    [old] = [name for name in os.listdir(tmp_path) if name != "site"]
    assert old.startswith(".site.") and old.endswith(".old")
    assert str(raised.value) == (
        f"{out}: error: the new folder is written, but what you changed in the old one "
        f"while this run wrote it could not all be moved into it ({why}); the old "
        f"folder, with it, is kept in {tmp_path / old}: move back from it what you need "
        "[cannot-write]")
    assert (out / "index.html").read_text() == "new"
    assert (tmp_path / old / kept).read_text() == text
    converter.atomic.sweep_leftovers(out)
    assert (tmp_path / old / kept).read_text() == text


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed"])
def test_every_save_that_cannot_be_carried_over_is_named(
        exchange: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Of several saves that could not be moved into the new folder, the first was named
    and the others were not even tried; now each is tried, and the one diagnostic names
    them (so many at most, then how many more)."""
    out = tmp_path / "site"
    with converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("old")
    _user_files(out)
    _edit_while_swapping(monkeypatch, exchange)
    tried: list[str] = []

    def refused(source: Path, target: Path, relative: str, linked: Any) -> list[str]:
        identity = converter.made_folders.identity
        if Path(source).is_dir() or identity(target) != linked.get(relative) or \
                identity(source) == identity(target):  # (what is not moved)
            return real(source, target, relative, linked)
        tried.append(relative)
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(source))

    real = converter.atomic_folder._carry_entry
    monkeypatch.setattr(converter.atomic_folder, "_carry_entry", refused)
    monkeypatch.setattr(converter.atomic_folder, "NAMED_AT_MOST", 2)
    with pytest.raises(converter.MuscleError) as raised, \
            converter.atomic_folder.atomic_directory(out) as folder:
        (folder / "index.html").write_text("new")
    saved = ["added.txt", *([] if exchange else ["both.txt"]), "notes/later.txt",
             "notes.txt"]
    assert tried == saved
    [old] = [name for name in os.listdir(tmp_path) if name != "site"]
    named = "; ".join(f"{name}: Operation not permitted" for name in saved[:2])
    assert str(raised.value) == (
        f"{out}: error: the new folder is written, but what you changed in the old one "
        f"while this run wrote it could not all be moved into it ({named}; and "
        f"{len(saved) - 2} more); the old folder, with it, is kept in {tmp_path / old}: "
        "move back from it what you need [cannot-write]")
    assert all((tmp_path / old / name).exists() for name in saved)



def _convert(source: str, to: str, out: str, *options: str) -> Any:
    """``convert source --to to -o out`` from the working folder, one job, no cache."""
    return CliRunner().invoke(cli, ["convert", source, "--to", to, "-o", out, "-j", "1",
                                    "--no-cache", *options])


def _files_of(folder: Path, ending: str) -> dict[str, bytes]:
    """The files of ``folder`` whose names end in ``ending``, with their bytes."""
    return {path.name: path.read_bytes() for path in folder.iterdir()
            if path.name.endswith(ending)}


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "swapped"])
def test_the_sources_a_run_reads_in_its_output_folder_are_kept(
        in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``cd content && convert . --to html -o .`` in a folder of Markdown an earlier run
    wrote removed every file it had just read, one the user edited since with them, and
    said nothing (exit 0); ``convert content --to html -o content``, swapped, dropped
    them alike. They are kept, taken off the tool's list, and the run says so once."""
    content = tmp_path / "content"
    monkeypatch.chdir(tmp_path)
    assert _convert(str(SAMPLES), "markdown", "content", "-q").exit_code == 0
    soleus = content / "soleus.md"
    soleus.write_text(soleus.read_text() + "\nEdited since.\n")
    sources = _files_of(content, ".md")
    if in_place:
        monkeypatch.chdir(content)
    named = "." if in_place else "content"
    result = _convert(named, "html", named)
    assert result.exit_code == 0, result.output
    assert _files_of(content, ".md") == sources and len(sources) == 15
    assert converter.atomic_folder.written_by_tool(content) == {"diagram.svg", "index.html"}
    kept = (f"{named}: warning: kept 15 files this run read (its sources) that an earlier "
            "run wrote here: they are yours now, not replaced or removed by a later run "
            "[sources-kept]\n")
    assert result.stderr.count("[sources-kept]") == 1 and kept in result.stderr
    result = _convert(named, "svg", named)  # (the user's now: nothing to say of them)
    assert result.exit_code == 0 and "[sources-kept]" not in result.stderr
    assert _files_of(content, ".md") == sources and not _files_of(content, ".html")


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "swapped"])
@pytest.mark.parametrize("link", ["file", "folder"])
def test_a_source_read_through_a_link_of_another_name_is_kept(
        link: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file an earlier run wrote, read through a symbolic link of another name
    (``notes/calf.md``, to ``content/soleus.md``), was not known as a source, the run
    taking it by its name: the run removed it as the tool's, the link left pointing at
    nothing. It is known as the very file (so too through a symlinked folder), and
    kept."""
    content, notes = tmp_path / "content", tmp_path / "notes"
    monkeypatch.chdir(tmp_path)
    assert _convert(str(SAMPLES), "markdown", "content", "-q").exit_code == 0
    soleus = (content / "soleus.md").read_bytes()
    if link == "file":
        notes.mkdir()
        (notes / "calf.md").symlink_to(content / "soleus.md")
        source = notes
    else:
        notes.symlink_to(content, target_is_directory=True)
        source = notes / "soleus.md"
    if in_place:
        monkeypatch.chdir(content)
    named = "." if in_place else "content"
    result = _convert(str(source), "html", named)
    assert result.exit_code == 0, result.output
    assert (content / "soleus.md").read_bytes() == soleus
    assert sorted(_files_of(content, ".md")) == ["soleus.md"]
    assert converter.atomic_folder.written_by_tool(content) == {"diagram.svg", "index.html"}
    assert (f"{named}: warning: kept 1 file this run read (its sources) that an earlier "
            "run wrote here") in result.stderr


def test_a_data_package_read_in_its_own_folder_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``cd pkg && convert . --from csv --to markdown -o .``, the folder read whole as a
    data package, removed the package's tables as it wrote the Markdown beside them."""
    package = tmp_path / "pkg"
    assert convert_samples("csv", package)[0] == 0
    tables = _files_of(package, "")
    del tables[".muscle-convert"]
    monkeypatch.chdir(package)
    result = _convert(".", "markdown", ".", "--from", "csv")
    assert result.exit_code == 0, result.output
    assert "kept 6 files this run read" in result.stderr
    assert {name: _files_of(package, "")[name] for name in tables} == tables
    assert converter.atomic_folder.written_by_tool(package) == set(_files_of(package, ".md"))


def test_a_run_stopped_in_place_lists_no_source_it_keeps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The marker a run killed as it renames leaves lists the tool's files old and new,
    which the next run removes: the run's sources among them were removed by it too."""
    monkeypatch.chdir(tmp_path)
    with converter.atomic_folder.atomic_directory(Path(".")) as folder:
        for name in ("a.md", "b.md"):
            (folder / name).write_text(f"old {name}")

    put = converter.inplace._put

    def killed(made: Path, target: Path, *args: object) -> None:
        """The marker is put in, the run killed as it puts in its first file."""
        if target.name != ".muscle-convert":
            raise KeyboardInterrupt
        put(made, target, *args)

    monkeypatch.setattr(converter.inplace, "_put", killed)
    monkeypatch.setattr(converter.inplace, "_undone", lambda undo: [])  # (killed: none)
    inputs = [Input("a.md", get_format("markdown"))]
    with pytest.raises(KeyboardInterrupt), reading(inputs, lambda _: None), \
            converter.atomic_folder.atomic_directory(Path(".")) as folder:
        (folder / "index.html").write_text("new")
    assert read_marker(tmp_path).names == {"b.md", "index.html"}
    assert Path("a.md").read_text() == "old a.md"


def _ends_once_waited_for(claim: int, done: threading.Event,
                          waited: list[bool | None]) -> None:
    """Let go of the lock ``claim`` (a run in place ending) once a ``flock`` of this
    process waits (``/proc/locks`` marks it ``->``): a swap waiting for that run; or once
    ``done`` is set (the swap ended without waiting). ``waited`` gets which it was, None
    when neither came within :data:`WAIT` seconds (the lock let go all the same)."""
    deadline = time.monotonic() + WAIT
    while not (done.is_set() or any(
            " -> FLOCK " in line and f" {os.getpid()} " in line
            for line in Path("/proc/locks").read_text().splitlines())):
        if time.monotonic() >= deadline:
            waited.append(None)
            os.close(claim)
            return
        time.sleep(0.01)
    waited.append(not done.is_set())
    os.close(claim)


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "swapped"])
@pytest.mark.parametrize("locks", [True, False], ids=["locks", "no-lock"])
def test_what_a_run_killed_in_place_left_is_swept_by_any_later_run(
        locks: bool, in_place: bool, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed as it wrote ``-o .`` leaves its hidden ``..muscle-convert.<random>
    .tmpdir`` (and a marker's ``.tmp``) inside the folder, which only a later run in place
    removed: one swapping the folder (``-o site`` from outside) carried it into the new
    folder as the user's, for ever; and a young one, of a run still going or not, was
    carried so until a day old. Either run removes at once one whose lock no run holds,
    leaves one a run holds (one in place) and carries none into a folder swapped in; where
    no lock can tell, one a day old is removed and a younger one left, as a marker's
    ``.tmp`` is."""
    if not locks:
        monkeypatch.setattr(converter.folder_lock, "fcntl", None)
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    _html("site")
    old = [site / "..muscle-convert.abcd1234.tmpdir", site / "..muscle-convert.efgh5678.tmp"]
    dead, held = (site / f"..muscle-convert.{name}.tmpdir" for name in ("ijkl", "mnop"))
    young_marker = site / "..muscle-convert.qrst.tmp"
    for folder in (old[0], dead, held):
        folder.mkdir()
        (folder / "index.html").write_text("half written")
    for marker in (old[1], young_marker):
        marker.write_text("half a marker")
    then = time.time() - converter.atomic.STALE_SECONDS - 60
    for path in old:
        os.utime(path, (then, then))
    claim = converter.folder_lock.claimed(held)  # (a run under way holds it)
    assert (claim is not None) == locks
    if in_place:
        monkeypatch.chdir(site)
    done, waited = threading.Event(), []
    ended = threading.Thread(target=_ends_once_waited_for, args=(claim, done, waited),
                             daemon=True)
    if claim is not None and not in_place:  # (a swap waits for the run to end)
        ended.start()
    try:
        assert convert_samples("svg", Path("." if in_place else "site"))[0] == 0
    finally:
        done.set()
        if ended.ident is not None:
            ended.join(timeout=WAIT)
            assert not ended.is_alive(), f"the run in place did not end within {WAIT} s"
        elif claim is not None:
            os.close(claim)
    assert None not in waited, f"the swap was not seen waiting or ending within {WAIT} s"
    assert waited == ([True] if ended.ident is not None else [])
    left = {young_marker.name}  # (no lock tells of it: a day old, it goes)
    if not locks:
        left |= {dead.name, held.name}
    elif in_place:
        left.add(held.name)
    assert {name for name in os.listdir(site) if name.startswith("..")} == left
    assert (site / "map.svg").is_file() and not (site / "index.html").exists()
    assert converter.atomic_folder.written_by_tool(site) == {
        name for name in os.listdir(site) if name.endswith(".svg")}


def test_a_run_killed_in_place_in_an_empty_folder_leaves_it_writable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o .`` in an empty folder, killed as it built, left the folder holding only its
    hidden ``..muscle-convert.<random>.tmpdir``, and no marker: every later run, in place
    or not, was refused as a folder the tool did not write (output-not-ours), the
    leftover never swept. Such a folder is empty to a run; one of the user's is not."""
    site = tmp_path / "site"
    (site / "..muscle-convert.abcd1234.tmpdir").mkdir(parents=True)
    (site / "..muscle-convert.abcd1234.tmpdir" / "index.html").write_text("half written")
    monkeypatch.chdir(site)
    assert convert_samples("html", Path("."))[0] == 0
    assert converter.atomic_folder.written_by_tool(site) == {"diagram.svg", "index.html"}
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / ".notes.tmp").write_text("the user's, though named like a temporary")
    code, stderr = convert_samples("html", mine)
    assert code == 1 and "[output-not-ours]" in stderr


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "swapped"])
@pytest.mark.parametrize(("to", "name"), [("html", "index.html"), ("svg", "soleus.svg")])
def test_a_folder_of_yours_named_like_a_file_the_run_writes_is_refused(
        to: str, name: str, in_place: bool, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the user made in an output folder, named like a file the run writes
    (``index.html/``, ``soleus.svg/``), was removed with all in it, the run exiting 0,
    in place and swapped alike. The run is refused with one ``cannot-write`` naming it,
    and the output folder, theirs in it, is left as it was."""
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    assert _convert(str(SAMPLES), to, "site", "-q").exit_code == 0
    (site / name).unlink()
    (site / name).mkdir()
    (site / name / "mine.txt").write_text("mine")
    before = {path: path.read_bytes() if path.is_file() else None
              for path in site.rglob("*")}
    if in_place:
        monkeypatch.chdir(site)
    named = "." if in_place else "site"
    result = _convert(str(SAMPLES), to, named, "-q")
    assert result.exit_code != 0
    assert result.stderr.count("error:") == 1, result.stderr
    assert (f"{named}: error: cannot write here: {name} is a folder of yours, where this "
            "run writes a file of that name; it is left as it is, and this run wrote "
            "nothing there: move or rename it, or write elsewhere [cannot-write]"
            ) in result.stderr
    assert {path: path.read_bytes() if path.is_file() else None
            for path in site.rglob("*")} == before


#: A run of the samples' svg into ``site`` (swapped) that is sent the signal
#: ``sys.argv[2]`` once its folder is swapped in, as signals are held.
STOPPED_ONCE_SWAPPED = """
import os, sys
import converter.atomic_folder
from converter.cli import main
real, signum = converter.atomic_folder._carry_over, int(sys.argv[2])
def carry_over(*args):
    os.kill(os.getpid(), signum)
    return real(*args)
converter.atomic_folder._carry_over = carry_over
sys.argv[1:] = ["convert", sys.argv[1], "--to", "svg", "-o", "site", "-j", "1",
                "--no-cache", "-q"]
main()
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130),
                                              (signal.SIGTERM, -signal.SIGTERM)],
                         ids=["ctrl-c", "sigterm"])
def test_a_run_stopped_once_its_folder_is_swapped_in_says_it_was_written(
        signum: int, code: int, tmp_path: Path) -> None:
    """Ctrl-C or SIGTERM as the new folder was swapped in (held until it was) ended the
    run with ``Aborted!`` (or nothing, for SIGTERM), as if nothing were written, the
    folder new. The run ends as stopped all the same, saying the folder was written."""
    site = tmp_path / "site"
    assert convert_samples("html", site)[0] == 0
    stopped = subprocess.run([sys.executable, "-c", STOPPED_ONCE_SWAPPED, str(SAMPLES),
                              str(int(signum))], cwd=tmp_path, capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             timeout=WAIT)
    assert stopped.returncode == code, stopped.stderr
    assert stopped.stderr.strip() == ("muscle-convert: stopped once site was written: it "
                                      "holds this run's files"), stopped.stderr
    assert (site / "map.svg").is_file() and not (site / "index.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_run_in_place_whose_folder_is_replaced_as_it_builds_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run in place whose folder another run swapped away as it built its files (where
    no lock stops that) failed writing a file of its hidden folder, gone with the old
    folder: a cannot-write naming no file, or the system's error. It says what
    happened: the folder was replaced by something else while this run wrote it."""
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    _html("site")
    monkeypatch.chdir(site)
    with pytest.raises(converter.MuscleError) as raised, \
            converter.atomic_folder.atomic_directory(Path(".")) as folder:
        shutil.rmtree(folder)  # (what a swap that removed the old folder leaves)
        (folder / "index.html").write_text("new")
    assert [d.code for d in raised.value.diagnostics] == ["cannot-write"]
    assert "the folder was replaced, moved or removed by something else" in str(
        raised.value)


@pytest.mark.parametrize("output", ["-", "/dev/stdout", "/dev/fd/1"])
def test_a_folder_for_standard_output_is_refused_naming_it_so(
        output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder asked of ``-`` was refused as ``-: error: standard output takes one
    file, ...``, standard output named as a file called ``-``; one asked of
    ``/dev/stdout`` (here a file the shell opened, the test's log) was refused naming
    ``/dev/stdout``, as a file that exists."""
    monkeypatch.chdir(tmp_path)
    with (tmp_path / "log").open("wb") as log:
        saved = os.dup(1)
        os.dup2(log.fileno(), 1)
        try:
            with pytest.raises(converter.MuscleError) as caught, \
                    converter.atomic_folder.atomic_directory(Path(output)):
                pass
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    assert [str(d) for d in caught.value.diagnostics] == [
        "standard output: error: takes one file, and this format writes a directory; give "
        "a directory name [output-not-directory]"]
    assert [p.name for p in tmp_path.iterdir()] == ["log"]


@pytest.mark.parametrize("stdout", [True, False])
def test_no_folder_is_made_where_a_deleted_file_of_a_descriptor_was(
        stdout: bool, tmp_path: Path) -> None:
    """Standard output a deleted file (as pytest's capture makes it), ``/dev/stdout``
    was followed to its link's text, ``/tmp/#2147587 (deleted)``, and a folder of that
    name made and swapped in, the run saying it wrote ``/dev/stdout``; so for another
    descriptor's name (``/dev/fd/3``). Each is refused, and no folder is made."""
    with open(tmp_path / "gone", "wb") as gone:
        os.unlink(tmp_path / "gone")
        saved = os.dup(1) if stdout else None
        if stdout:
            os.dup2(gone.fileno(), 1)
        name = "/dev/stdout" if stdout else f"/dev/fd/{gone.fileno()}"
        try:
            target = os.path.realpath(name)
            with pytest.raises(converter.MuscleError) as caught, \
                    converter.atomic_folder.atomic_directory(Path(name)):
                pass
        finally:
            if saved is not None:
                os.dup2(saved, 1)
                os.close(saved)
    assert target.endswith(" (deleted)")
    assert not os.path.lexists(target)
    assert list(tmp_path.iterdir()) == []
    assert [(d.path, d.code) for d in caught.value.diagnostics] == [
        ("standard output" if stdout else name, "output-not-directory")]
