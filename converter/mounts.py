"""Whether a folder's file system shares its locks with every run that may write there.

A run holds ``flock`` on each temporary it writes (see :mod:`~converter.folder_lock`),
and a later write removes one no run holds at once. That tells a killed run's leftover
from a run's under way only where every process that writes the folder sees the same
locks: a local file system of this machine. On a network or FUSE file system (NFS
mounted ``nolock`` or ``local_lock=``, sshfs, SMB/CIFS, 9p, virtiofs, Ceph, ...) a lock
may be this machine's alone, and another machine's run's temporary looks unheld. The
type is read from ``/proc/self/mountinfo`` (Linux); where it cannot be told, the folder
is not trusted. The answer is kept per device for the process.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

#: The file systems (as ``/proc/self/mountinfo`` names them) whose locks every process
#: writing there sees: local ones. Any other (nfs, nfs4, cifs, smb3, smbfs, fuse.*,
#: fuseblk, 9p, virtiofs, ceph, glusterfs, afs, lustre, ...) or none known is not trusted.
LOCAL_TYPES = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "bcachefs", "f2fs", "jfs", "reiserfs",
    "nilfs2", "tmpfs", "ramfs", "overlay", "vfat", "msdos", "exfat", "ntfs3", "hfsplus",
    "udf", "ufs", "minix",
})
#: Where this process's mounts are listed.
MOUNTINFO = "/proc/self/mountinfo"
#: The answers so far, by device (``st_dev``).
_TRUSTED: dict[int, bool] = {}
#: ``\\NNN`` in a mount point: a space, tab, newline or backslash, in octal.
_ESCAPED = re.compile(r"\\([0-7]{3})")


class Mount(NamedTuple):
    """One line of ``/proc/self/mountinfo``: the device (major, minor), where it is
    mounted and the file system's type."""

    device: tuple[int, int]
    point: str
    kind: str


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts ``text`` (``/proc/self/mountinfo``'s) lists, in its order (one mounted
    later over the same place after the one it hides); a line not understood is left
    out."""
    mounts = []
    for line in text.splitlines():
        before, dash, after = line.partition(" - ")
        fields, rest = before.split(" "), after.split(" ")
        if not dash or len(fields) < 5 or not rest[0]:
            continue
        major, _, minor = fields[2].partition(":")
        if not (major.isdigit() and minor.isdigit()):
            continue
        point = _ESCAPED.sub(lambda m: chr(int(m[1], 8)), fields[4])
        mounts.append(Mount((int(major), int(minor)), point, rest[0]))
    return mounts


def type_in(mounts: list[Mount], folder: str, device: int) -> str | None:
    """The type of the file system of ``folder`` (absolute, symlinks resolved), whose
    device is ``device``, among ``mounts``: the one of that device (bind mounts of one
    share it), else (a btrfs subvolume's own device) the one mounted last at the
    longest mount point above ``folder``; None where none is."""
    wanted = (os.major(device), os.minor(device))
    for mount in reversed(mounts):
        if mount.device == wanted:
            return mount.kind
    best: Mount | None = None
    for mount in mounts:
        top = mount.point.rstrip("/")
        if (folder == mount.point or folder.startswith(top + "/")) and (
                best is None or len(mount.point) >= len(best.point)):
            best = mount
    return best.kind if best is not None else None


def mount_type(folder: str) -> str | None:
    """The type of the file system ``folder`` is on (``ext4``, ``nfs4``,
    ``fuse.sshfs``), as ``/proc/self/mountinfo`` says; None where it cannot be told
    (not Linux, no ``/proc``, ``folder`` gone)."""
    try:
        device = os.stat(folder).st_dev
        with open(MOUNTINFO, encoding="utf-8", errors="surrogateescape") as table:
            text = table.read()
    except OSError:
        return None
    return type_in(parse_mountinfo(text), os.path.realpath(folder), device)


def locks_trusted(folder: str) -> bool:
    """Whether every run that may write in ``folder`` sees the locks taken there (its
    file system is a local one: :data:`LOCAL_TYPES`), so a temporary no run holds is
    a killed run's; False where it may not, or cannot be told. Kept per device."""
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return False
    known = _TRUSTED.get(device)
    if known is None:
        known = _TRUSTED[device] = mount_type(folder) in LOCAL_TYPES
    return known
