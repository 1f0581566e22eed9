"""Files of an output folder changed after a run looked at them.

A run checks, before it replaces an output folder or fills it in place, that the user
has not changed the tool's files in it (:func:`~converter.marker.check_unedited`);
what ``lstat`` saw of each then (:func:`look`) tells, just before a step replaces or
removes one, whether it was changed since: a save after the check is not lost. Only a
file seen changed is read again, so the extra cost is a ``stat`` a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .diagnostics import MuscleError
from .marker import Marker, check_unedited, file_digest, read_marker, unchanged

#: What ``lstat`` saw of each file a check looked at, by name.
Looks = dict[str, os.stat_result]


def look(folder: Path, names: Iterable[str]) -> Looks:
    """What ``lstat`` sees of each of the files ``names`` in ``folder`` now (those that
    are there); taken before their bytes are checked, so that a change made while they
    are read is seen too."""
    found: Looks = {}
    for name in names:
        try:
            found[name] = os.lstat(folder / name)
        except OSError:
            continue
    return found


def changed_since(folder: Path, looks: Looks, beside: Path | None = None) -> list[str]:
    """The names of ``looks`` whose entry in ``folder`` is not the one seen (changed,
    replaced or removed), sorted; but for one that is the very file of its name in
    ``beside`` (linked there, the new folder: a change to it is in both)."""
    return sorted(name for name, seen in looks.items()
                  if not unchanged(seen, folder / name)
                  and not (beside is not None and _same_file(folder / name, beside / name)))


def check_since(folder: Path, looks: Looks, marker: Marker, shown: str,
                beside: Path | None = None) -> None:
    """Refuse (``cannot-write``, as :func:`~converter.marker.check_unedited` does) to
    replace or remove the files of ``looks`` in ``folder`` (``shown``, as the user gave
    it) where one was edited since it was seen (see :func:`edited_since`)."""
    check_unedited(folder, _marker_now(folder, marker),
                   changed_since(folder, looks, beside), shown)


def edited_since(folder: Path, looks: Looks, marker: Marker,
                 beside: Path | None = None) -> list[str]:
    """Those of :func:`changed_since` whose bytes are no longer those of their digests
    (a file of the tool's the user changed), sorted: as the marker in ``folder`` says
    (another run's, where one wrote it meanwhile), else ``marker``."""
    digests = _marker_now(folder, marker).digests
    return [name for name in changed_since(folder, looks, beside)
            if name in digests and file_digest(folder / name) not in (None, digests[name])]


def _marker_now(folder: Path, marker: Marker) -> Marker:
    """The marker in ``folder`` now; ``marker`` where it cannot be read, or lists
    nothing (gone)."""
    try:
        now = read_marker(folder)
    except MuscleError:
        return marker
    return now if now.names or now.every_file else marker


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file (links not followed)."""
    try:
        one, other = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)
