"""Atomic output folders: a failed or killed run leaves the previous folder intact.

A folder is built as a temporary sibling and swapped in with one atomic
``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere, with a moment between
them when no folder is there, see :func:`_swap`); its files that hold the
bytes they held keep their modification times, and a folder whose files are all the
same is left as it is, as a file of the same bytes is. A folder is only
ever replaced when it is empty or carries the marker a previous run left in it, so a
user's own folder is never deleted by a mistyped ``-o``; what else is in it (the user's)
is linked into the new one, and what the user changed or added in the old one since is
moved across right after the swap.

A folder that is the working folder or holds it (``-o .``) is not swapped, which would
leave the process, and the shell that started it, in a deleted folder: it is built
inside that folder, then its files are renamed over the old ones one at a time (see
:func:`~converter.inplace.fill_in_place`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import NamedTuple

from .atomic import (
    STDOUT_NAME,
    descriptor_named,
    exchange,
    held_folder,
    held_once_written,
    is_temporary,
    keep_mode,
    make_folders,
    real_target,
    same_bytes,
    signals_held,
    sweep_leftovers,
    temporary_prefix,
    temporary_sibling,
    terminable,
    umask,
)
from .diagnostics import MuscleError, error
from .folder_lock import Waiting, alone, claimed, in_use, locked
from .inplace import fill_in_place
from .late_edits import Looks, check_since, edited_since, look, unchanged
from .made_folders import Identity, identity
from .marker import (
    DIRECTORY_MARKER,
    Marker,
    check_no_folder_named,
    check_unedited,
    digests_of,
    forget_saved,
    marker_text,
    note_saved,
    read_marker,
)
from .once_written import mark
from .relinked import look_before, settle
from .sources_kept import read_of, tell_kept, tool_files
from .unmade import Unmade, expect, forget, left_out, left_unmade, make, put_in


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (:func:`~converter.atomic.exchange`); False where the
    system cannot or refuses (the two renames tried then say why)."""
    try:
        return exchange(a, b)
    except OSError:
        return False


def check_replaceable(path: Path, shown: str | None = None, *, whole: bool = True
                      ) -> Marker:
    """Refuse to replace a directory this tool did not write (unless it is empty), or
    whose marker cannot be understood; return what its marker says (nothing for a new
    or empty one). ``shown``: the path as the user gave it (``path`` may be where a
    symlink leads); ``whole``: whether the folder is to be replaced whole (one written
    in place may be a mount point, or hold one)."""
    name = shown or str(path)
    if path.exists() and not path.is_dir():
        raise error(name, "output-not-directory", "exists and is not a directory")
    if not path.is_dir():
        return Marker()
    if not os.path.lexists(path / DIRECTORY_MARKER) and _holds_any(path):
        raise error(name, "output-not-ours",
                    "directory exists, is not empty and was not written by muscle-convert; "
                    "choose a new or empty directory")
    marker = read_marker(path, name)
    if whole:
        _check_mounts(path, name)
    return marker


def _holds_any(path: Path) -> bool:
    """Whether the folder ``path`` holds anything but what runs writing it in place
    build their files in (a killed one's left in a folder it found empty: such a folder
    is still empty, see :func:`_sweep`)."""
    built_beside = _beside(path, True)
    with os.scandir(path) as entries:
        return any(not is_temporary(entry.name, built_beside) for entry in entries)


def _check_mounts(path: Path, name: str) -> None:
    """Refuse the output directory ``path`` (``name``, as given) when it is a mount
    point or holds one: it is replaced whole."""
    points = _mount_points()
    if os.path.ismount(path) or os.fsencode(path) in (points or ()):  # (a bind mount)
        raise error(name, "output-mount",
                    "is a mount point, and an output directory is replaced whole, by a "
                    "rename; write into a directory inside it")
    mounted = mounts_inside(path, points)
    if mounted:
        below = os.path.join(name, os.path.relpath(mounted[0], path))
        raise error(name, "output-mount",
                    f"a file system is mounted at {below} inside it; the directory is "
                    "replaced whole, which would empty that file system: unmount it or "
                    "choose another directory")


def mounts_inside(path: Path, points: set[bytes] | None = None) -> list[str]:
    """The mount points strictly below the directory ``path`` (a real path), sorted:
    of ``points`` (:func:`_mount_points`, read when not given) where the system lists
    them, else by walking ``path`` for folders on another device."""
    points = _mount_points() if points is None else points
    if points is None:
        return _other_devices(path)
    top = os.fsencode(path).rstrip(b"/") + b"/"
    return sorted(os.fsdecode(p) for p in points if p.startswith(top))


def _mount_points() -> set[bytes] | None:
    """Every mount point of this process's view (``/proc/self/mountinfo``, a bind mount
    within one file system too); None where the system has no such list."""
    try:
        with open("/proc/self/mountinfo", "rb") as table:
            return {_unescape_mount(line.split(b" ")[4]) for line in table}
    except OSError:
        return None


def _unescape_mount(field: bytes) -> bytes:
    """A mount point as ``mountinfo`` writes it, with its ``\\ooo`` escapes (of space,
    tab, line break and backslash) undone."""
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), field)


def _other_devices(path: Path) -> list[str]:
    """The folders below ``path`` on another device than ``path``, not below one
    another (symlinks are not followed)."""
    try:
        device = os.lstat(path).st_dev
    except OSError:
        return []
    found = []
    for folder, folders, _ in os.walk(path):
        for name in list(folders):
            below = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                if os.lstat(below).st_dev != device:
                    found.append(below)
                    folders.remove(name)
    return sorted(found)


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Build a directory in a temporary sibling; on success it replaces ``path``."""
    _check_no_stream(path)
    shown, path = str(path), real_target(path)
    in_place = holds_working_folder(path)
    marker = check_replaceable(path, shown, whole=not in_place)
    make_folders(path.parent)
    waiting = Waiting(shown)  # (another run writing it is waited for, and said once)
    _sweep(path, in_place, waiting)
    with terminable():
        yield from _building(path, marker, shown, in_place, waiting)


def _check_no_stream(path: Path) -> None:
    """Refuse standard output (``-``, ``/dev/stdout``, ``/dev/fd/1``) as a folder's
    place, whatever it leads to, and a name of another of this process's descriptors
    (``/dev/fd/3``) that is no folder: the file it leads to, a deleted one too
    (``/tmp/#12 (deleted)``), is never made a folder."""
    fd = descriptor_named(os.fspath(path)) if os.fspath(path) != "-" else 1
    if fd == 1:
        raise error(STDOUT_NAME, "output-not-directory", "takes one file, and this format "
                    "writes a directory; give a directory name", stream=True)
    if fd is not None and not os.path.isdir(path):
        raise error(str(path), "output-not-directory", f"names the open file of descriptor "
                    f"{fd}, not a directory; give a directory name")


def holds_working_folder(path: Path) -> bool:
    """Whether the folder ``path`` (a real path) is this process's working folder or
    one above it: swapped away, it would leave the process (and the shell that started
    it) in a deleted folder, so it is written in place (see
    :func:`~converter.inplace.fill_in_place`)."""
    try:
        here = os.getcwd()
    except FileNotFoundError:  # (then it is no folder that is there)
        return False
    return os.path.commonpath([here, os.fspath(path)]) == os.fspath(path)


def _sweep(path: Path, in_place: bool, waiting: Waiting | None = None) -> None:
    """Remove what runs killed while writing the output folder ``path`` left (see
    :func:`~converter.atomic.sweep_leftovers`): beside it, for a folder swapped (the
    folders runs build it in, held while they do: :func:`~converter.atomic.held_folder`;
    and the old one a swap put there, held with the folder's lock until it is removed);
    and inside it, where a run writing it in place builds, the folder's lock held: at
    once where no run holds its lock (:func:`~converter.folder_lock.in_use`), never where
    one does, and once a day old where no lock can tell; ``waiting`` says a wait for its
    lock."""
    if not in_place:
        sweep_leftovers(_beside(path, False))
    if _is_folder(path):
        with locked(path, waiting):
            sweep_leftovers(_beside(path, True), in_use)


def _beside(path: Path, in_place: bool) -> Path:
    """What the temporary folder of the output folder ``path`` is named after, in the
    folder it is made in: ``path`` itself, beside it; for a folder written in place, its
    marker, inside it (the folder above may be another file system, or not writable)."""
    return path / DIRECTORY_MARKER if in_place else path


def _building(path: Path, marker: Marker, shown: str, in_place: bool = False,
              waiting: Waiting | None = None) -> Iterator[Path]:
    """:func:`atomic_directory`'s work: the temporary sibling, built, then swapped in
    (its files moved in, for a folder written ``in_place``); ``marker``: what the marker
    of the folder it replaces said; ``shown``: ``path`` as the user gave it;
    ``waiting``: says a wait for another run writing it."""
    tmp, claim, built = None, None, None
    try:
        with locked(path, waiting) if in_place else contextlib.nullcontext(), \
                signals_held():
            named = _beside(path, in_place)
            if in_place:  # (this run's, as long as it runs: see _sweep)
                tmp = built = Path(tempfile.mkdtemp(
                    prefix=temporary_prefix(named), suffix=".tmpdir", dir=named.parent))
                claim = claimed(tmp)
            else:  # (held likewise; the folder it goes in made again, should a failed
                tmp, claim = held_folder(named)  # run remove it)
                built = tmp  # (a file of the old folder's bytes is not made: see save_text)
                expect(tmp, marker.digests)
        os.chmod(tmp, 0o777 & ~umask())  # (mkdtemp makes it 0700)
        keep_mode(tmp, path)  # (a private directory stays private)
        try:
            yield tmp
        except (MuscleError, OSError):
            if in_place and not os.path.lexists(tmp):  # (its folder swapped away)
                raise _replaced(shown) from None
            raise
        made = os.listdir(tmp)
        unmade = left_unmade(tmp, made)
        written = sorted({*made, *unmade})
        _tell_sources_kept(path, marker, written, shown)
        if in_place:
            with _replaced_meanwhile(path, shown):
                fill_in_place(tmp, path, written, marker, shown, waiting)
            shutil.rmtree(tmp)
            return
        with alone(path, lambda: _runs_under_way(path), waiting), \
                _replaced_meanwhile(path, shown):
            check_no_folder_named(path, written, shown)
            seen, looks, hashed = _check_unedited(path, marker, shown)
            linked = _prepared(tmp, path, written, marker, shown,
                               _Hashed(looks, hashed), unmade)
            if linked is None:
                return
            with held_once_written(shown):
                check_since(path, looks, seen, shown, tmp)
                try:
                    old = _swap(tmp, path, shown)
                except _Taken as taken:
                    raise _merged_aside(taken, path, shown, marker, linked) from None
                tmp = None  # (the output now; until all is carried over, so is ``old``)
                failed = _carry_over(old, path, written, marker, linked) + [
                    f"{name}: the tool's, changed after this run checked it, as it "
                    "swapped its folder in"
                    for name in edited_since(old, looks, seen, path)]
                if failed:
                    raise _kept_aside(old, path, shown, failed)
                tmp = old
            shutil.rmtree(old)  # (held meanwhile, as the folder's lock is: see _sweep)
        settle(path, linked)  # (the run's sources that the links alone changed)
    except BaseException:
        if tmp is not None:
            with signals_held():  # (a second Ctrl-C waits for it)
                shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if built is not None:
            forget_saved(built)  # (the digests of its files saved, where not taken)
            forget(built)
        if claim is not None:
            os.close(claim)


def _check_unedited(path: Path, marker: Marker, shown: str
                    ) -> tuple[Marker, Looks, dict[str, str]]:
    """Refuse to replace the folder ``path`` (``shown``, as the user gave it) where a
    file of the tool's in it, as its marker says (the one there now, else ``marker``),
    was changed since: see :func:`~converter.marker.check_unedited`. Return that
    marker, what was seen of the files it has digests of (see
    :func:`~converter.late_edits.look`): one changed after is not lost in the swap; and
    the digests of those hashed."""
    if not _is_folder(path):
        return marker, {}, {}
    with contextlib.suppress(MuscleError):
        marker = read_marker(path)
    names = tool_files(path, marker)
    looks = look(path, names & marker.digests.keys())
    return marker, looks, check_unedited(path, marker, names, shown)


def _tell_sources_kept(path: Path, marker: Marker, written: list[str], shown: str
                       ) -> None:
    """Say once (``sources-kept``) how many files that an earlier run wrote in the
    output folder ``path`` (``shown``, as the user gave it; ``marker``, its marker as
    the run began) and that this run does not write again, it reads, and so keeps."""
    if not _is_folder(path):
        return
    with contextlib.suppress(MuscleError):
        marker = read_marker(path)
    tell_kept(shown, len(read_of(path, marker.ours(path) - set(written))))


class _Hashed(NamedTuple):
    """The files of an output folder the check hashed: what ``lstat`` saw of each
    before (:func:`~converter.late_edits.look`), and their digests, by name."""

    looks: Looks
    digests: Mapping[str, str]


def _prepared(tmp: Path, path: Path, written: list[str], marker: Marker, shown: str,
              hashed: _Hashed, unmade: Mapping[str, Unmade]
              ) -> dict[str, Identity | None] | None:
    """Make the folder ``tmp``, whose run ``written`` its files, ready to replace the
    folder ``path`` (``shown``, as the user gave it; whose ``marker`` was that as the
    run began; ``hashed``, its files the check hashed): what someone else put there
    linked in, the files the run left ``unmade`` (see :mod:`converter.unmade`) linked
    in from ``path`` or made, the marker written. None where that is done with, the
    output in place (see :func:`~converter.once_written.mark`): there was no folder
    (``tmp`` is it now), or one of the very same files (``tmp`` is removed, and no file
    left unmade was made); else what was linked (see :func:`_identities`)."""
    others: list[str] = []
    if path.exists():
        with contextlib.suppress(MuscleError):  # (another run may have written it since
            marker = read_marker(path)  # the run began: its marker says what is whose)
        others = _others(path, written, marker)
    digests = {**digests_of(tmp, [name for name in written if name not in unmade]),
               **{name: each.digest for name, each in unmade.items()}}
    (tmp / DIRECTORY_MARKER).write_text(marker_text(written, digests), encoding="utf-8")
    alike = _hashed_alike(digests, hashed, path)
    held = alike & unmade.keys()
    for name in sorted(unmade.keys() - held):  # (the old file not as its marker says)
        make(tmp / name, unmade[name].data)
    if not path.exists():  # (removed meanwhile: no file to link)
        for name in sorted(held):
            make(tmp / name, unmade[name].data)
        with held_once_written(shown):
            os.rename(tmp, path)
        return None
    if _keep_times(tmp, path, alike, held | set(others)):  # (nothing changed: the
        mark(shown)  # folder is left as it is, its others' files not even linked)
        shutil.rmtree(tmp)
        return None
    look_before(path, others)  # (the run's sources: see converter.relinked)
    for name in others:
        _keep_entry(path / name, tmp / name)
    for name in sorted(held):
        put_in(tmp / name, path / name, unmade[name].data, hashed.looks[name])
    return _identities(tmp, set(os.listdir(tmp)) - {*written, DIRECTORY_MARKER})


@contextlib.contextmanager
def _replaced_meanwhile(path: Path, shown: str) -> Iterator[None]:
    """Say what happened when the folder ``path`` (``shown``, as the user gave it), or a
    file in it, is no longer there as the block swaps a new one in: something else
    replaced, moved or removed it while this run wrote it (another run writing the same
    output at once), not a place that cannot be written."""
    try:
        yield
    except FileNotFoundError as exc:
        name = os.fspath(exc.filename or "")
        if name != os.fspath(path) and not name.startswith(os.path.join(path, "")):
            raise
        raise _replaced(shown) from None


def _replaced(shown: str) -> MuscleError:
    """The ``cannot-write`` of a run whose output folder ``shown`` (as the user gave
    it) something else replaced, moved or removed while the run wrote it."""
    return error(shown, "cannot-write", "cannot write here: the folder was replaced, "
                 "moved or removed by something else while this run wrote it (another "
                 "run writing the same output at once?); this run wrote nothing there, "
                 "run it again")


def _swap(new: Path, path: Path, shown: str) -> Path:
    """Put the folder ``new`` in the place of the folder ``path`` (``shown``, as the user
    gave it), at once where the system can; return where ``path``'s folder is now."""
    if _exchange(new, path):
        return new
    old = temporary_sibling(path, ".old")
    os.rename(path, old)  # (from here until the next rename, no folder is at ``path``)
    _put_in(new, path, old, shown)
    return old


class _Taken(Exception):
    """The second of :func:`_swap`'s two renames failed and the old folder could not be
    put back: something was put at the output path in between (another run's folder);
    the old folder is ``old``; ``reason``: the start of the ``cannot-write``."""

    def __init__(self, old: Path, reason: str) -> None:
        super().__init__(old, reason)
        self.old, self.reason = old, reason


def _put_in(new: Path, path: Path, old: Path, shown: str) -> None:
    """The second of :func:`_swap`'s two renames: ``new`` to ``path``, which the folder
    ``old`` has just left. Where that fails, ``old`` is put back (a ``cannot-write``
    that says so); where that fails too (something was put at ``path`` in between),
    :class:`_Taken` (see :func:`_merged_aside`)."""
    try:
        os.rename(new, path)
    except OSError as exc:
        reason = f"cannot write here: {exc.strerror or exc}, as this run put its folder in "
        try:
            os.rename(old, path)
        except OSError:
            raise _Taken(old, f"{reason}place of the old one") from None
        raise error(shown, "cannot-write", f"{reason}place of the old one, which is back "
                    "as it was; this run wrote nothing there") from None


def _merged_aside(taken: _Taken, path: Path, shown: str, marker: Marker,
                  linked: dict[str, Identity | None]) -> MuscleError:
    """The ``cannot-write`` of a run whose old folder (``taken.old``) could neither be
    replaced by its new one nor put back at ``path`` (``shown``, as the user gave it).
    Where another run's output folder is there, what is the user's in the old folder
    (not the tool's, as the old folder's ``marker`` says) is moved into it, and the
    old folder, left with the tool's files only, removed: nothing of the user's is
    lost; what could not be moved (another of its name there) stays in the old folder,
    named. Where something else is there, nothing is moved: the old folder is kept and
    named, with the user's files in it."""
    old = taken.old
    try:
        mine = _users(old, marker, path)
    except OSError:  # (not to be looked into: kept whole)
        return _put_aside(taken, shown, [])
    if not _is_output(path):
        return _put_aside(taken, shown, mine)
    left = [each for name in mine for each in _merge(old / name, path / name, name, linked)]
    moved = "your files in the old folder were moved into it"
    if not left:
        shutil.rmtree(old, ignore_errors=True)
        return error(shown, "cannot-write", f"{taken.reason} (another run writing the "
                     f"same output put its folder there in that moment); {moved}, and this "
                     "run wrote nothing there: run it again")
    return error(shown, "cannot-write", f"{taken.reason} (another run writing the same "
                 f"output put its folder there in that moment); {moved}, but for these "
                 f"({_listed(left)}), which stay in the old folder, kept in {old}: "
                 f"compare each with the one in {shown}, move back what you need, then "
                 f"remove {old}")


def _put_aside(taken: _Taken, shown: str, mine: list[str]) -> MuscleError:
    """:func:`_merged_aside`'s ``cannot-write`` where nothing was moved: the old folder
    ``taken.old`` is kept whole, with the user's files ``mine`` in it."""
    old = taken.old
    yours = f", with your files in it ({_listed(mine)})" if mine else ""
    return error(shown, "cannot-write", f"{taken.reason} (something else was put there "
                 f"in that moment); the old folder is kept in {old}{yours}: move what is "
                 f"at {shown} now away, then rename {old} back to {shown}")


def _users(folder: Path, marker: Marker, place: Path) -> list[str]:
    """The names in ``folder``, the old output folder ``place`` moved aside, that are
    not the tool's, as its marker says (``marker``, the one a run began with, where its
    own cannot be read; the run's sources are the user's), sorted; an ``OSError`` where
    ``folder`` cannot be listed."""
    with contextlib.suppress(MuscleError):
        marker = read_marker(folder)
    names = set(os.listdir(folder)) - _runs_own(folder)
    return sorted(names - tool_files(folder, marker, place) - {DIRECTORY_MARKER})


def _is_output(path: Path) -> bool:
    """Whether ``path`` is an output folder of this tool's (a folder, not a link, with a
    marker that can be read)."""
    if not _is_folder(path) or not os.path.lexists(path / DIRECTORY_MARKER):
        return False
    try:
        read_marker(path)
    except MuscleError:
        return False
    return True


def _merge(source: Path, target: Path, relative: str,
           linked: dict[str, Identity | None]) -> list[str]:
    """Move the entry ``source`` of the user's (``relative``, its path from the old
    folder) to ``target`` in another run's folder (see :func:`_merged_aside`): where
    nothing is, or where the file there is the very one this run ``linked`` (the other
    run linked it too, and ``source`` is a later save); a folder in both is looked into.
    Return what could not be moved, with why."""
    try:
        return _merge_entry(source, target, relative, linked)
    except OSError as exc:
        return [f"{relative}: {exc.strerror or exc}"]


def _merge_entry(source: Path, target: Path, relative: str,
                 linked: dict[str, Identity | None]) -> list[str]:
    """:func:`_merge`'s work."""
    was, now = identity(source), identity(target)
    if was is None or was == now:
        return []  # (gone since; or the very entry there)
    if now is None:
        _move_new(source, target)
        return []
    if _is_folder(source) and _is_folder(target):
        return [each for name in sorted(os.listdir(source))
                for each in _merge(source / name, target / name,
                                   os.path.join(relative, name), linked)]
    if now == linked.get(relative) and not (_is_folder(source) or _is_folder(target)):
        os.replace(source, target)
        return []
    return [f"{relative}: another is there"]


def _move_new(source: Path, target: Path) -> None:
    """Move ``source`` to ``target``, where nothing is: a file never over one put there
    meanwhile (``FileExistsError``; a folder's rename fails over one with entries)."""
    if _is_folder(source):
        os.rename(source, target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:  # (a file system without hard links)
        os.rename(source, target)
        return
    os.unlink(source)



def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder, not a link to one."""
    return path.is_dir() and not path.is_symlink()


def _identities(folder: Path, names: Iterable[str]) -> dict[str, Identity | None]:
    """The identity of each of ``names`` in ``folder`` and of all below them, by their
    paths from ``folder``: what :func:`_prepared` linked there (see :func:`_others`)."""
    found: dict[str, Identity | None] = {}
    for name in names:
        found[name] = identity(folder / name)
        if not _is_folder(folder / name):
            continue
        for below, folders, files in os.walk(folder / name):
            for each in (*folders, *files):
                path = os.path.join(below, each)
                found[os.path.relpath(path, folder)] = identity(Path(path))
    return found


def _carry_over(old: Path, new: Path, written: Iterable[str], marker: Marker,
                linked: dict[str, Identity | None]) -> list[str]:
    """Move into ``new``, just swapped in, what someone else changed or added in the
    folder ``old`` it replaced since :func:`_prepared` linked their files into ``new``
    (an editor's save, a note added, in a folder of notes too): each entry of theirs in
    ``old`` that is not the very one ``linked`` put in ``new``. The tool's files (those
    ``old``'s marker lists, and those this run ``written``) are never carried; an entry
    put in ``new`` or removed from it since the swap is newer, and stays so. What they
    removed from ``old`` meanwhile is removed from ``new`` first (see
    :func:`_drop_removed`). Return each entry that could not be moved, by its path from
    ``old``, with the system's reason (all of them: one refused does not stop the
    others); a folder of the user's named like a file this run ``written`` (made after
    :func:`~converter.marker.check_no_folder_named` looked) is one of them."""
    _drop_removed(old, new, linked)
    with contextlib.suppress(MuscleError):  # (another run's folder may have been
        marker = read_marker(old)  # swapped out: its marker says what is the tool's)
    try:
        names = set(os.listdir(old)) - _runs_own(old)
    except OSError as exc:
        return [f"{old}: {exc.strerror or exc}"]
    clashes = [f"{name}: a folder of yours, where this run wrote a file of that name"
               for name in sorted(names & set(written)) if _is_folder(old / name)]
    ours = tool_files(old, marker, new) | set(written) | {DIRECTORY_MARKER}
    return clashes + [failed for name in sorted(names - ours)
                      for failed in _carry(old / name, new / name, name, linked)]


def _kept_aside(old: Path, path: Path, shown: str, failed: list[str]) -> MuscleError:
    """The ``cannot-write`` of a run whose new folder is at ``path`` (``shown``, as the
    user gave it) but which could not carry everything over from the folder ``old`` it
    replaced (``failed``: each entry not moved, with why, see :func:`_listed`): ``old``
    is kept, as a ``.old`` folder that no run removes."""
    kept = old
    if not old.name.endswith(".old"):  # (a .tmpdir is removed once a day old)
        kept = temporary_sibling(path, ".old")
        try:
            os.rename(old, kept)
        except OSError:
            kept = old
    return error(shown, "cannot-write", "the new folder is written, but what you changed "
                 "in the old one while this run wrote it could not all be moved into it "
                 f"({_listed(failed)}); the old folder, with it, is kept in {kept}: move "
                 "back from it what you need")


#: How many entries a diagnostic names at most; it counts the others.
NAMED_AT_MOST = 10


def _listed(entries: list[str]) -> str:
    """``entries`` as a diagnostic lists them: the first :data:`NAMED_AT_MOST`, then how
    many more there are."""
    shown = "; ".join(entries[:NAMED_AT_MOST])
    more = len(entries) - NAMED_AT_MOST
    return f"{shown}; and {more} more" if more > 0 else shown


def _drop_removed(old: Path, new: Path, linked: dict[str, Identity | None]) -> None:
    """Remove from ``new``, just swapped in, each entry ``linked`` there whose own in
    ``old`` someone removed since it was linked, deepest first, so that their removal
    stands: only the very entry linked (one put in ``new`` since the swap stays), and a
    folder only once nothing else is in it."""
    for relative in sorted(linked, key=lambda name: name.count(os.sep), reverse=True):
        target = new / relative
        if os.path.lexists(old / relative) or identity(target) != linked[relative]:
            continue
        with contextlib.suppress(OSError):  # (a folder with something new in it stays)
            if _is_folder(target):
                os.rmdir(target)
            else:
                os.unlink(target)


def _carry(source: Path, target: Path, relative: str,
           linked: dict[str, Identity | None]) -> list[str]:
    """Carry the entry ``source`` to ``target`` (see :func:`_carry_over`), looking into
    a folder that is in both; what is removed meanwhile is not carried. Return what
    could not be moved (``relative``, its path from the old folder, with the system's
    reason; those below it, for a folder looked into)."""
    try:
        return _carry_entry(source, target, relative, linked)
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [f"{relative}: {exc.strerror or exc}"]


def _carry_entry(source: Path, target: Path, relative: str,
                 linked: dict[str, Identity | None]) -> list[str]:
    """:func:`_carry`'s work."""
    was, now = identity(source), identity(target)
    if was is None or now != linked.get(relative):
        return []  # (gone since; or ``target`` written or removed after the swap: newer)
    if was == now:
        return []  # (the very entry linked: unchanged)
    if _is_folder(source) and _is_folder(target):
        return [failed for name in sorted(os.listdir(source))
                for failed in _carry(source / name, target / name,
                                     os.path.join(relative, name), linked)]
    if _is_folder(target):
        shutil.rmtree(target)
    elif _is_folder(source) and now is not None:
        os.unlink(target)
    os.replace(source, target)
    return []


def _hashed_alike(digests: Mapping[str, str], hashed: _Hashed, old: Path) -> set[str]:
    """The names of the files just written (of ``digests``) that hold the bytes of the
    file of that name in the folder ``old``, as the check ``hashed`` it (the same
    digest), where that file is as ``lstat`` saw it before (unchanged since): they need
    not be read again."""
    return {name for name, digest in digests.items()
            if hashed.digests.get(name) == digest and name in hashed.looks
            and unchanged(hashed.looks[name], old / name)}


def _keep_times(new: Path, old: Path, alike: AbstractSet[str] = frozenset(),
                later: AbstractSet[str] = frozenset()) -> bool:
    """Whether the trees ``new`` and ``old`` are the same (the same names, links and
    bytes), so that ``old`` may be left as it is; when they are not, each file below
    ``new`` that holds the bytes of the same file below ``old`` is made that file (its
    modification time, mode and owner, see :func:`_keep_file`), so that a site's build,
    ``rsync`` or a file watcher sees only the files that changed, and a file replaced
    takes the mode of the one it replaces. ``alike``: names at the top of ``new`` known
    to hold the bytes of the file of that name in ``old`` (:func:`_hashed_alike`);
    ``later``: names at the top of ``old`` that ``new`` is given only where the trees
    are not the same (those of ``alike`` the run did not make, and what someone else
    put in ``old``, see :func:`_others`)."""
    same, kept = True, []
    for folder, folders, files in os.walk(new):
        before = old / os.path.relpath(folder, new)
        left = list(later) if folder == str(new) else []
        try:
            same = same and sorted(os.listdir(before)) == sorted(folders + files + left)
        except OSError:
            same = False
        links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
        for name in [*files, *links]:
            made, was = Path(folder, name), before / name
            if made.is_symlink() or was.is_symlink():
                same = same and _same_link(made, was)
            elif (folder == str(new) and name in alike) or same_bytes(made, was):
                kept.append((made, was))
            else:
                same = False
                if was.is_file():  # (a file replaced keeps its permissions)
                    keep_mode(made, was)
    if not same:  # (else the old folder stays: nothing to keep)
        for made, was in kept:
            _keep_file(made, was)
    return same


def _keep_file(made: Path, was: Path) -> None:
    """Put the file ``was``, which holds the bytes of ``made``, in ``made``'s place: the
    same file, with its mode, owner and times (a hard link; where none can be made,
    ``made`` takes what it can of them). A file that is ``was`` already is left
    alone, as is any file this run may not change (someone else's in a shared
    folder)."""
    try:
        if os.path.samefile(made, was):
            return
    except FileNotFoundError:  # (its folder replaced meanwhile, by another run's)
        return
    link = made.with_name(f".{made.name}.keep")
    try:
        os.link(was, link, follow_symlinks=False)
    except OSError:
        with contextlib.suppress(OSError):
            st = os.stat(was)
            os.chmod(made, stat.S_IMODE(st.st_mode))
            os.utime(made, ns=(st.st_atime_ns, st.st_mtime_ns))
        return
    os.replace(link, made)


def _same_link(made: Path, was: Path) -> bool:
    """Whether ``made`` and ``was`` are symbolic links to the same target."""
    try:
        return os.readlink(made) == os.readlink(was)
    except OSError:
        return False


def written_by_tool(folder: Path) -> set[str]:
    """The names in ``folder`` that its last write made: the regular files its marker
    lists (see :class:`~converter.marker.Marker`); ``output-not-ours`` for a marker that
    cannot be understood."""
    return read_marker(folder).ours(folder)


def _runs_under_way(folder: Path) -> list[Path]:
    """The hidden folders in ``folder`` that runs writing it in place build in and still
    hold (:func:`~converter.folder_lock.in_use`): a swap of ``folder`` waits for them."""
    built_in = _beside(folder, True)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / name for name in names
            if is_temporary(name, built_in) and in_use(folder / name)]


def _others(old: Path, written: Iterable[str], marker: Marker) -> list[str]:
    """The names of what someone else put in the folder ``old`` (the files and folders
    its last write did not make, as its ``marker`` says, and the run's sources it made,
    see :func:`~converter.sources_kept.tool_files`, unless this run ``written`` makes
    them again), sorted: a folder about to replace ``old`` is given them as hard links
    (copies where links cannot be made, see :func:`_keep_entry`), so that ``old``
    stays whole until it is replaced. They are linked only where the folder is
    replaced: a link, made and removed, changes a file's ctime, and a run's sources
    among them would never be replayed from the cache."""
    ours = tool_files(old, marker) | set(written) | {DIRECTORY_MARKER} | _runs_own(old)
    return sorted(set(os.listdir(old)) - ours)


def _runs_own(folder: Path) -> set[str]:
    """The hidden folders in ``folder`` that runs writing it in place build in, and that
    a lock tells are a run's (:func:`~converter.folder_lock.in_use`: one under way, or
    one a killed run left): never the user's, not carried into a folder that replaces
    it. One no lock can tell of is the user's until a day old (see :func:`_sweep`)."""
    built_in = _beside(folder, True)
    return {name for name in os.listdir(folder)
            if is_temporary(name, built_in) and in_use(folder / name) is not None}


def _keep_entry(source: Path, target: Path) -> None:
    """Link the entry ``source`` of someone else's, a folder with all below it, to
    ``target`` (see :func:`_others`). One removed or replaced meanwhile is passed
    over, what was linked of it removed again (its owner removed it; what replaced it is
    carried over after the swap, see :func:`_carry_over`); one that cannot be kept (not
    readable) is one ``cannot-write`` naming it, as nothing of theirs may be lost."""
    was = identity(source)
    try:
        if _is_folder(source):
            _keep_folder(source, target)
        else:
            _link_or_copy(source, target)
    except OSError as exc:
        if was is not None and identity(source) == was:
            raise error(str(source), "cannot-write", "is not the tool's and could not be "
                        "kept in the output folder that replaces the one it is in: "
                        f"{exc.strerror or exc}; this run wrote nothing there") from None
        _remove_entry(target)


def _keep_folder(source: Path, target: Path) -> None:
    """:func:`_keep_entry`'s work for a folder: made anew, with its entries linked and its
    mode, times and owner."""
    names = sorted(os.listdir(source))
    os.mkdir(target)
    for name in names:
        _keep_entry(source / name, target / name)
    shutil.copystat(source, target, follow_symlinks=False)
    _same_owner(source, target)


def _remove_entry(path: Path) -> None:
    """Remove ``path``, a folder with all below it, if it is there."""
    if _is_folder(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link at ``target`` to ``source`` (the same file: its owner and mode); a
    copy, with the owner of ``source``, where the file system takes no link."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileNotFoundError:  # (removed meanwhile: see _keep_entry)
        raise
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)
        _same_owner(source, target)


def _same_owner(original: str | Path, made: str | Path) -> None:
    """Give ``made`` the owner of ``original``: someone else's file stays theirs (where
    the system lets this run give it; else it is this run's, as any file it makes)."""
    with contextlib.suppress(OSError):
        st = os.stat(original, follow_symlinks=False)
        os.chown(made, st.st_uid, st.st_gid, follow_symlinks=False)


def safe_child(directory: Path, name: str) -> Path:
    """``directory / name``, refusing names that would escape ``directory``."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise error(name, "unsafe-path", f"output name {name!r} would escape {directory}")
    return Path(directory) / name


def save_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, its line ends as they are) to ``path``, a new file of a
    folder :func:`atomic_directory` builds, noting the digest of its bytes for the
    folder's marker (see :func:`~converter.marker.note_saved`): the run does not read
    it again to take it. A file whose bytes the folder it replaces holds, as its marker
    says, is not written, but noted (see :mod:`converter.unmade`)."""
    data = text.encode("utf-8")
    if left_out(Path(path), data):
        return
    note_saved(Path(path), make(Path(path), data), data)
