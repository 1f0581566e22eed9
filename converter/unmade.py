"""Files of an output folder that a run does not make: those whose bytes the folder it
replaces holds already.

A run that writes thousands of files into a folder that holds the same ones (a map's
focus images, written again where nothing changed) spent most of its time making them in
the temporary folder, then removing them again as the old folder stayed. Where
:func:`~converter.atomic_folder.save_text` is to write a file whose bytes have the
digest that the old folder's marker gives for its name, it notes the file and its bytes
instead (:func:`left_out`). The old file is taken for it only where the swap's checks
say it is as the marker says: hashed to that digest, and as ``lstat`` saw it before
(see :func:`~converter.late_edits.look`); then, where the whole folder is the same,
nothing is made, and where something differs, it is linked in from the old folder
(:func:`put_in`), its modification time kept, before the swap. Where the old file is
not so (removed, replaced, another run's since), the run makes it from the bytes noted
(:func:`make`): the folder is what it would be had the file been written. A folder holds
at most :data:`HELD_AT_MOST` bytes noted so; past that, files are written as any other.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .marker import unchanged

#: How many bytes of the files left out a folder's run holds at most (a map of 20,000
#: focus images: 25 MB).
HELD_AT_MOST = 256 << 20


class Unmade(NamedTuple):
    """A file left out: the digest of its bytes (as a marker writes it), and its bytes."""

    digest: str
    data: bytes


@dataclass
class _Build:
    """A folder built to replace one whose marker gives ``digests`` of its files, by name;
    the files left out of it, and how many bytes they hold."""

    digests: Mapping[str, str]
    unmade: dict[str, Unmade] = field(default_factory=dict)
    held: int = 0


#: The folders being built whose files may be left out, by path.
_BUILDS: dict[str, _Build] = {}


def expect(folder: Path, digests: Mapping[str, str]) -> None:
    """Note that ``folder`` is built to replace a folder whose marker gives ``digests``
    of its files, by name: :func:`left_out` may leave out a file of those bytes."""
    if digests:
        _BUILDS[os.fspath(folder)] = _Build(digests)


def left_out(path: Path, data: bytes) -> bool:
    """Whether the file ``path``, to be written with the bytes ``data`` into a folder
    :func:`expect` noted, is left out: the old folder's marker gives the digest of
    ``data`` for its name, and nothing is at ``path`` (a file the run wrote there
    first is written again)."""
    build = _BUILDS.get(os.fspath(path.parent))
    if build is None:
        return False
    earlier = build.unmade.pop(path.name, None)  # (the run's last bytes count)
    if earlier is not None:
        build.held -= len(earlier.data)
    known = build.digests.get(path.name)
    if known is None or build.held + len(data) > HELD_AT_MOST:
        return False
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if digest != known or os.path.lexists(path):
        return False
    build.unmade[path.name] = Unmade(digest, data)
    build.held += len(data)
    return True


def left_unmade(folder: Path, made: Iterable[str]) -> dict[str, Unmade]:
    """The files left out of ``folder``, by name, but for those ``made`` there since by
    other means (the run's last write of them); ``folder`` is forgotten."""
    build = _BUILDS.pop(os.fspath(folder), None)
    if build is None:
        return {}
    unmade = dict(build.unmade)
    for name in made:
        unmade.pop(name, None)
    return unmade


def forget(folder: Path) -> None:
    """Forget what :func:`expect` and :func:`left_out` noted of ``folder``."""
    _BUILDS.pop(os.fspath(folder), None)


def make(path: Path, data: bytes) -> os.stat_result:
    """Write the file ``path`` with ``data`` (a file that is there is written over), as
    :func:`~converter.atomic_folder.save_text` does with it: the file's ``fstat`` once
    written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


def put_in(made: Path, was: Path, data: bytes, seen: os.stat_result) -> None:
    """Give the folder being built the file ``made``, left out: the file ``was`` of the
    folder it replaces, which holds its bytes ``data`` and which ``lstat`` saw as
    ``seen`` before it was hashed, as a hard link (the same file: its mode, owner and
    times). Where none can be made (or ``was`` is gone), or where ``was`` is not the
    file seen (:func:`~converter.marker.unchanged`), ``made`` is written with ``data``
    (with what it can take of ``was``'s mode and times, where no link can be made)."""
    try:
        os.link(was, made, follow_symlinks=False)
    except OSError:
        make(made, data)
        with contextlib.suppress(OSError):
            st = os.stat(was, follow_symlinks=False)
            if stat.S_ISREG(st.st_mode):
                os.chmod(made, stat.S_IMODE(st.st_mode))
                os.utime(made, ns=(st.st_atime_ns, st.st_mtime_ns))
        return
    if not unchanged(seen, made, moved=True):  # (another file since; ``moved``: the
        os.unlink(made)  # link changed its change time)
        make(made, data)
