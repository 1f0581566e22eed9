"""An output folder written in place (``-o .``, the working folder or one above it),
as one step that is done whole or not at all.

The run's files, built in a hidden folder inside the output folder, are put in one at a
time, each exchanged with the old file of its name (``renameat2(RENAME_EXCHANGE)``:
the old one lands in the hidden folder, whole), and the tool's old files no longer
written are moved into that folder too. Each step notes how it is undone: should any
fail (a file that cannot be replaced, a full disk as the marker is written), every step
done is undone, last first, and the folder is left as it was. The marker lists the old
files and the new while they are moved, so that a run killed then (SIGKILL) leaves each
file whole, old or new, and every one of the tool's listed for the next run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import exchange, held_once_written, keep_mode, same_bytes
from .diagnostics import MuscleError, error
from .folder_lock import Waiting, locked
from .late_edits import Looks, look, unchanged
from .marker import (
    DIRECTORY_MARKER,
    Marker,
    check_no_folder_named,
    check_unedited,
    digests_of,
    marker_text,
    read_marker,
)
from .sources_kept import tool_files

#: How a step is undone.
Undo = Callable[[], None]


class _Failed(Exception):
    """A step of the fill that the system refused: ``what`` failed, ``exc`` says why
    (None: ``what`` says it all)."""

    def __init__(self, what: str, exc: OSError | None) -> None:
        super().__init__(what, exc)
        self.what, self.exc = what, exc


def fill_in_place(tmp: Path, path: Path, written: list[str], marker: Marker,
                  shown: str, waiting: Waiting | None = None) -> None:
    """Give the folder ``path`` (``shown``, as the user gave it) the files the run
    ``written`` in ``tmp`` (a folder inside it), each put over the old one (one of the
    same bytes left as it is), and take away the tool's old files no longer written (its
    ``marker``, or the one another run left meanwhile, lists them; those the run reads
    are kept: :func:`~converter.sources_kept.tool_files`); what else is there is left
    where it is. All of it, or, where a step fails, none of it: a
    ``cannot-write`` naming what failed, the folder as it was. One run at a time: another
    writing the folder is waited for (see :func:`~converter.folder_lock.locked`), which
    ``waiting`` says."""
    with locked(path, waiting), held_once_written(shown) as came:
        _fill_locked(tmp, path, written, marker, shown, came)


def _fill_locked(tmp: Path, path: Path, written: list[str], marker: Marker,
                 shown: str, came: list[int]) -> None:
    """:func:`fill_in_place`'s work, the folder's lock held: its marker read again (the
    one another run left meanwhile says what is the tool's). Ctrl-C, SIGTERM or SIGHUP
    (held: they ``came``) undoes it all, then stops the run. A ``FileNotFoundError``
    where ``tmp`` is gone: the folder it was in was swapped away by another run."""
    os.lstat(tmp)
    with contextlib.suppress(MuscleError):
        marker = read_marker(path)
    check_no_folder_named(path, written, shown)
    old = tool_files(path, marker)
    looks = look(path, old)  # (what is removed later must still be what was checked)
    check_unedited(path, marker, old, shown)
    stale = sorted(old - set(written))
    changed = [name for name in written if (path / name).is_symlink()
               or not same_bytes(tmp / name, path / name)]
    if not (changed or stale or marker.every_file) and marker.names == set(written) \
            and marker.digests.keys() >= set(written):
        return  # (the very same files: the folder is left as it is)
    undo: list[Undo] = []
    try:
        _fill(tmp, path, sorted(old | set(written)), changed, stale, written,
              _Steps(undo, came), digests_of(tmp, written), looks)
    except BaseException as exc:
        left = _undone(undo)
        if isinstance(exc, _Failed):
            raise _refused(shown, exc, left) from None
        raise


class _Stopped(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP came as the folder was filled: what was done is undone,
    then the signal is taken (as it ends the run, this is seen only where its handler
    does not end it)."""


class _Steps:
    """The steps a fill has done, by how each is undone (``undo``); ``came``: the
    signals that came meanwhile (see :func:`~converter.atomic.signals_held`)."""

    def __init__(self, undo: list[Undo], came: list[int]) -> None:
        self.undo, self.came = undo, came

    def next(self) -> list[Undo]:
        """Before a step, and after the last: :class:`_Stopped` once a signal came; the
        list the step notes its undoing in."""
        if self.came:
            raise _Stopped
        return self.undo


def _fill(tmp: Path, path: Path, listed: list[str], changed: list[str],
          stale: list[str], written: list[str], steps: _Steps,
          digests: dict[str, str], looks: Looks) -> None:
    """:func:`fill_in_place`'s steps, each one's undoing noted in ``steps``: the marker
    made to list both the old files and the new (``listed``, with no digest: a run
    killed meanwhile leaves either), the ``changed`` files put in, the ``stale`` ones
    moved out (each old one only while it is the file the check saw, its ``looks``),
    the marker made to list what was ``written``, with their ``digests``."""
    aside = Path(_step("its files could not be put in", tempfile.mkdtemp, dir=tmp))
    _put_marker(path, listed, aside, steps.next())
    for name in changed:
        keep_mode(tmp / name, path / name)
        undo = steps.next()
        _step(f"{name} could not be replaced", _put_seen, tmp / name, path / name,
              aside / str(len(undo)), undo, looks.get(name))
    for name in stale:
        undo = steps.next()
        _step(f"{name}, no longer written, could not be removed", _move_out,
              path / name, aside / str(len(undo)), undo, looks.get(name))
    _put_marker(path, written, aside, steps.next(), digests)
    steps.next()


def _put_marker(folder: Path, names: list[str], aside: Path, undo: list[Undo],
                digests: dict[str, str] | None = None) -> None:
    """Make the marker of ``folder`` list ``names`` (with their ``digests``): written in
    ``aside`` (a failure leaves nothing in ``folder``), then put in place."""
    made = aside / f"{DIRECTORY_MARKER}.{len(undo)}"
    what = f"its marker {DIRECTORY_MARKER} could not be written"
    _step(what, made.write_text, marker_text(names, digests), encoding="utf-8")
    _step(what, _put, made, folder / DIRECTORY_MARKER, aside / str(len(undo)), undo)


def _step(what: str, do: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``do(*args, **kwargs)``: an ``OSError`` is :class:`_Failed` saying ``what``."""
    try:
        return do(*args, **kwargs)
    except OSError as exc:
        raise _Failed(what, exc) from None


def _put(made: Path, target: Path, keep: Path, undo: list[Undo]) -> None:
    """Put the file ``made`` at ``target``, and note in ``undo`` how what was there (a
    file, a link) is put back: exchanged with it where the system can (it is at
    ``made`` then), else kept at ``keep`` first. A folder there (the user's, made after
    :func:`~converter.marker.check_no_folder_named` looked) is never replaced:
    :class:`_Failed` saying so, it put back."""
    if not os.path.lexists(target):
        os.rename(made, target)
        undo.append(lambda: _remove(target))
        return
    if exchange(made, target):
        undo.append(lambda: exchange(made, target) or _back(made, target))
        if _is_folder(made):
            raise _folder_of_yours(target)
        return
    if _is_folder(target):
        raise _folder_of_yours(target)
    _keep_aside(target, keep)
    os.replace(made, target)  # (it fails over a folder made since)
    undo.append(lambda: _back(keep, target))


def _put_seen(made: Path, target: Path, keep: Path, undo: list[Undo],
              seen: os.stat_result | None) -> None:
    """:func:`_put`, over a file of the tool's the check saw as ``seen``: only while it
    is that file, looked at before, and, exchanged, as it was (else :class:`_Failed`
    saying so, it put back)."""
    if seen is not None and os.path.lexists(target) and not unchanged(seen, target):
        raise _changed_since(target)
    _put(made, target, keep, undo)
    if seen is not None and os.path.lexists(made) and not unchanged(seen, made, moved=True):
        raise _changed_since(target)


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder, not a link to one."""
    return path.is_dir() and not path.is_symlink()


def _folder_of_yours(target: Path) -> _Failed:
    """The :class:`_Failed` of a file the run writes at ``target``, where a folder is."""
    return _Failed(f"{target.name} is a folder of yours, where this run writes a file of "
                   "that name", IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR),
                                                  str(target)))


def _move_out(target: Path, keep: Path, undo: list[Undo],
              seen: os.stat_result | None = None) -> None:
    """Move the file ``target`` to ``keep`` (removed with the run's folder), noting in
    ``undo`` how it is put back; one already gone is passed over. One that is not the
    file the check saw (``seen``), before or as it is moved (a folder of the user's,
    or another file, put there since), is not removed: :class:`_Failed` saying so."""
    if seen is not None and os.path.lexists(target) and not unchanged(seen, target):
        raise _changed_since(target, ", no longer written,")
    try:
        os.rename(target, keep)
    except FileNotFoundError:
        return
    undo.append(lambda: os.replace(keep, target))
    if seen is not None and not unchanged(seen, keep, moved=True):
        raise _changed_since(target, ", no longer written,")


def _changed_since(target: Path, which: str = "") -> _Failed:
    """The :class:`_Failed` of the file ``target`` (``which``: what it is), not the one
    the check saw: put there, or changed, since."""
    return _Failed(f"{target.name}{which} was replaced or changed after this run checked "
                   "it, and is left as it is", None)


def _keep_aside(target: Path, keep: Path) -> None:
    """Where there is no exchange: keep what is at ``target`` at ``keep``, ``target``
    still there (a hard link, else a copy)."""
    try:
        os.link(target, keep, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, keep, follow_symlinks=False)


def _back(kept: Path, target: Path) -> None:
    """Put ``kept`` back at ``target``, what is there now removed."""
    if kept.is_dir() and not kept.is_symlink():
        _remove(target)
    os.replace(kept, target)


def _remove(path: Path) -> None:
    """Remove the file ``path``, if it is there."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _undone(undo: list[Undo]) -> list[str]:
    """Undo the steps ``undo`` notes, last first, every one tried; return why those
    that failed did."""
    failed = []
    for step in reversed(undo):
        try:
            step()
        except OSError as exc:
            failed.append(f"{exc.filename}: {exc.strerror or exc}")
    return failed


def _refused(shown: str, failed: _Failed, left: list[str]) -> MuscleError:
    """The ``cannot-write`` of a fill of the folder ``shown`` that ``failed``, every step
    done undone but for ``left``."""
    why = f" ({failed.exc.strerror or failed.exc})" if failed.exc is not None else ""
    reason = f"cannot write here: {failed.what}{why}"
    if left:
        return error(shown, "cannot-write", f"{reason}; what was done could not all be "
                     f"undone ({'; '.join(left)}): run again once it can be written")
    return error(shown, "cannot-write", f"{reason}; every file is left as it was, and this "
                 "run wrote nothing there")
