"""A file replaced by a rewrite (fmt's, or an output convert writes again) keeps its
owner, group, extended attributes and permissions, as far as the system lets."""

from __future__ import annotations

import errno
import os
import stat
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter.cli import cli
from converter.kept_attributes import keep_attributes
from tests.conftest import SAMPLES

#: Another user and group, where the runner may give files away (root); else its own.
OTHER = (1234, 1234) if os.geteuid() == 0 else (os.getuid(), os.getgid())
UNORDERED = "---\nlatin: L\ntitle: T\n---\n"


def _given_away(path: Path) -> None:
    """Make ``path`` :data:`OTHER`'s, mode 640, with a ``user.note`` attribute."""
    os.chown(path, *OTHER)
    os.chmod(path, 0o640)
    os.setxattr(path, "user.note", b"kept")


def _as_given(path: Path) -> None:
    found = path.stat()
    assert (found.st_uid, found.st_gid, stat.S_IMODE(found.st_mode)) == (*OTHER, 0o640)
    assert os.getxattr(path, "user.note") == b"kept"


def test_a_file_fmt_rewrites_keeps_its_owner_group_mode_and_attributes(
        tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(UNORDERED, encoding="utf-8")
    _given_away(path)
    done = CliRunner().invoke(cli, ["fmt", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert path.read_text(encoding="utf-8") == "---\ntitle: T\nlatin: L\n---\n"
    _as_given(path)


def test_an_output_file_convert_writes_again_keeps_its_owner_and_attributes(
        tmp_path: Path) -> None:
    out = tmp_path / "muscles.json"
    out.write_text("{}", encoding="utf-8")
    _given_away(out)
    done = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "json", "-o", str(out),
                                    "--no-cache"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8") != "{}"
    _as_given(out)


def test_the_group_is_kept_where_the_owner_cannot_be(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user who is not root: the file becomes theirs, its group stays."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text("old")
    new.write_text("new")
    os.chown(old, *OTHER)
    calls = []
    real_chown = os.chown

    def chown(path: Path, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        real_chown(path, uid, gid)

    monkeypatch.setattr(os, "chown", chown)
    keep_attributes(new, old)
    assert new.stat().st_gid == OTHER[1]
    given_away = (os.getuid(), os.getgid()) != OTHER  # (else there is nothing to give)
    assert calls == ([OTHER, (-1, OTHER[1])] if given_away else [])


@pytest.mark.parametrize("code", [errno.ENOTSUP, errno.EPERM])
def test_an_attribute_the_system_refuses_is_passed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text("old")
    new.write_text("new")
    os.setxattr(old, "user.note", b"kept")
    os.chmod(old, 0o600)

    def refused(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "setxattr", refused)
    keep_attributes(new, old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert os.listxattr(new) == []


def test_an_attribute_the_system_fails_to_write_fails_the_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text("old")
    new.write_text("new")
    os.setxattr(old, "user.note", b"kept")

    def failing(*args: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "setxattr", failing)
    with pytest.raises(OSError, match="Input/output error"):
        keep_attributes(new, old)


def test_nothing_is_kept_of_a_file_that_is_not_there(tmp_path: Path) -> None:
    new = tmp_path / "new"
    new.write_text("new")
    os.chmod(new, 0o604)
    keep_attributes(new, tmp_path / "none")
    assert stat.S_IMODE(new.stat().st_mode) == 0o604


#: The POSIX ACL attributes, as Linux names them.
ACCESS, DEFAULT = "system.posix_acl_access", "system.posix_acl_default"


def _acl(user: int) -> bytes:
    """A POSIX ACL as Linux stores it: the owner rwx, user ``user`` rw-, the group r-x,
    the mask rwx, others r-x."""
    anyone = 0xFFFFFFFF
    entries = ((0x01, 7, anyone), (0x02, 6, user), (0x04, 5, anyone), (0x10, 7, anyone),
               (0x20, 5, anyone))
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def _named_by_default(folder: Path) -> None:
    """Give ``folder`` a default ACL naming user 4321, which what is made in it takes;
    fail where its file system holds no ACLs (the tests below would show nothing)."""
    os.setxattr(folder, DEFAULT, _acl(4321))
    made = folder / "made"
    made.write_text("")
    assert ACCESS in os.listxattr(made), "the test folder's file system holds no ACLs"
    made.unlink()


def test_a_file_fmt_rewrites_takes_no_acl_from_its_folder_it_had_not(
        tmp_path: Path) -> None:
    """The folder was given a default ACL after the file was made: the file fmt puts in
    its place, which takes that ACL, is opened to no one the old file was not."""
    path = tmp_path / "a.md"
    path.write_text(UNORDERED, encoding="utf-8")
    os.chmod(path, 0o600)
    _named_by_default(tmp_path)
    done = CliRunner().invoke(cli, ["fmt", str(path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert path.read_text(encoding="utf-8") == "---\ntitle: T\nlatin: L\n---\n"
    assert ACCESS not in os.listxattr(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_keeps_its_own_acl_over_its_folders(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.write_text("old")
    os.setxattr(old, ACCESS, _acl(1111))
    _named_by_default(tmp_path)
    new = tmp_path / "new"
    new.write_text("new")
    keep_attributes(new, old)
    assert os.getxattr(new, ACCESS) == os.getxattr(old, ACCESS)


def test_a_folder_replaced_takes_neither_acl_from_its_folder_it_had_not(
        tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    _named_by_default(tmp_path)
    new = tmp_path / "new"
    new.mkdir()
    assert {ACCESS, DEFAULT} <= set(os.listxattr(new))
    keep_attributes(new, old)
    assert not {ACCESS, DEFAULT} & set(os.listxattr(new))


def test_an_acl_the_system_will_not_take_away_is_passed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.write_text("old")
    new.write_text("new")
    os.chmod(old, 0o600)
    asked = []

    def refused(path: Path, name: str) -> None:
        asked.append(name)
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "removexattr", refused)
    keep_attributes(new, old)
    assert asked == [ACCESS, DEFAULT]
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
