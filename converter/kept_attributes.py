"""What a file or folder replaced by a new one keeps: its owner and group, its extended
attributes (POSIX ACLs, an SELinux label, ``user.*`` notes) and its permissions.

A rewrite renames a new file over the old one, which would otherwise be the runner's (a
file root rewrote could be no longer its owner's to read) and have none of the old
one's attributes but for those its folder gives anything made in it: a folder's
default ACL gives a new file an access ACL (and a new folder both). Such an ACL the
old one did not have is taken away, so that a rewrite does not open a file to users
the folder's ACL names (given since the file was made) and the old one did not.

What the system does not let the runner keep (another user's ownership for all but
root, a ``security.*`` attribute, any attribute on a file system without them) is
passed over: the file is written all the same.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

#: The POSIX ACLs a new file or folder takes from its folder's default ACL.
_INHERITED = ("system.posix_acl_access", "system.posix_acl_default")

#: What the system says of an owner or an attribute the runner may not give, or the
#: file system cannot hold.
_NOT_KEPT = frozenset({errno.EPERM, errno.EACCES, errno.EINVAL, errno.ENOTSUP,
                       errno.EOPNOTSUPP, errno.ERANGE, errno.E2BIG})


def keep_attributes(new: Path, old: Path) -> None:
    """Give ``new``, about to replace ``old`` (its links followed), ``old``'s owner and
    group (its group alone where the runner may give only that; neither where it may
    give neither), its extended attributes and then its permissions (a private file
    stays private); nothing where there is no ``old``."""
    try:
        found = os.stat(old)
    except FileNotFoundError:
        return
    _keep_owner(new, found)
    _keep_extended(new, old)
    os.chmod(new, stat.S_IMODE(found.st_mode))  # (last: a chown clears set-user-ID)


def _keep_owner(new: Path, old: os.stat_result) -> None:
    """Give ``new`` the owner and group of ``old``, as far as the system lets."""
    chown = getattr(os, "chown", None)
    if chown is None:  # (Windows)
        return
    now = os.stat(new)
    if (now.st_uid, now.st_gid) == (old.st_uid, old.st_gid):
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            chown(new, uid, gid)
            return
        except OSError as exc:
            if exc.errno not in _NOT_KEPT:
                raise


def _keep_extended(new: Path, old: Path) -> None:
    """Give ``new`` each extended attribute of ``old`` the system lets it have, and take
    from it an ACL its folder's default ACL gave it that ``old`` has not."""
    if not hasattr(os, "listxattr"):  # (only Linux has them in Python)
        return
    try:
        names = os.listxattr(old)
    except OSError as exc:
        if exc.errno in _NOT_KEPT:
            return
        raise
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            try:
                os.setxattr(new, name, os.getxattr(old, name))
            except OSError as exc:
                if exc.errno not in _NOT_KEPT and exc.errno != errno.ENODATA:
                    raise
    for name in _INHERITED:
        if name not in names:
            _drop(new, name)


def _drop(new: Path, name: str) -> None:
    """Take the extended attribute ``name`` from ``new``, where it has it and the system
    lets."""
    try:
        os.removexattr(new, name)
    except OSError as exc:
        if exc.errno not in _NOT_KEPT and exc.errno != errno.ENODATA:
            raise
