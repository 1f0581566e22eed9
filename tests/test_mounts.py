"""converter.mounts: a folder's file system type, from /proc/self/mountinfo, and whether
its locks are trusted (a local one) to tell a killed run's temporary from one under way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import converter.mounts
from converter.mounts import (
    LOCAL_TYPES,
    Mount,
    locks_trusted,
    mount_type,
    parse_mountinfo,
    type_in,
)
from tests.waits import WAIT

#: Lines as Linux writes them: a shared mount's optional field, an NFS, sshfs, SMB,
#: 9p and virtiofs mount, a mount point with a space and a backslash, a mount over
#: another at one place, and lines of no use (no separator, no device).
SAMPLE = r"""27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
31 27 0:45 / /srv/share rw,relatime - nfs4 host:/export rw,vers=4.2,local_lock=none
32 27 0:46 / /home/me/remote rw,nosuid,nodev - fuse.sshfs me@host:/ rw,user_id=0
33 27 0:47 / /mnt/smb rw - cifs //host/share rw,vers=3.1.1
34 27 0:48 / /mnt/my\040disk\134x rw - ext4 /dev/sdb1 rw
35 27 0:49 / /mnt/vm rw - 9p hostshare rw,trans=virtio
36 27 0:50 / /mnt/vm rw - virtiofs tag rw
37 27 0:51 / /mnt/nolock rw master:3 shared:4 - nfs host:/x rw,nolock
broken line
38 27 x:y / /mnt/odd rw - ext4 /dev/sdc rw
"""


def test_mountinfo_lines_are_read_with_their_escapes_and_optional_fields() -> None:
    mounts = parse_mountinfo(SAMPLE)
    assert mounts == [
        Mount((254, 0), "/", "ext4"), Mount((0, 45), "/srv/share", "nfs4"),
        Mount((0, 46), "/home/me/remote", "fuse.sshfs"), Mount((0, 47), "/mnt/smb", "cifs"),
        Mount((0, 48), "/mnt/my disk\\x", "ext4"), Mount((0, 49), "/mnt/vm", "9p"),
        Mount((0, 50), "/mnt/vm", "virtiofs"), Mount((0, 51), "/mnt/nolock", "nfs")]


@pytest.mark.parametrize("folder, device, kind", [
    ("/srv/share/out", os.makedev(0, 45), "nfs4"),  # (by its device)
    ("/anywhere", os.makedev(0, 46), "fuse.sshfs"),  # (the device, not the path, first)
    ("/mnt/my disk\\x/site", os.makedev(0, 99), "ext4"),  # (no such device: a btrfs
    ("/mnt/vm/a", os.makedev(0, 99), "virtiofs"),  # subvolume's: the longest mount
    ("/mnt/smbx/a", os.makedev(0, 99), "ext4"),  # point above, the last mounted there)
    ("/mnt/smb", os.makedev(0, 99), "cifs"),
    ("/home/me/remote/deep/er", os.makedev(0, 99), "fuse.sshfs"),
])
def test_a_folders_type_is_its_devices_or_its_longest_mount_points(
        folder: str, device: int, kind: str) -> None:
    assert type_in(parse_mountinfo(SAMPLE), folder, device) == kind


def test_no_mount_known_is_no_type() -> None:
    assert type_in([], "/a", os.makedev(0, 1)) is None
    assert type_in([Mount((0, 2), "/a/b", "ext4")], "/a/bc", os.makedev(0, 1)) is None


@pytest.mark.parametrize("kind", [
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "fuse", "fuseblk", "9p",
    "virtiofs", "ceph", "glusterfs", "fuse.glusterfs", "afs", "lustre", "gpfs", "ocfs2"])
def test_network_and_fuse_file_systems_are_not_local(kind: str) -> None:
    assert kind not in LOCAL_TYPES


def test_the_test_machines_folder_is_found_as_findmnt_finds_it(tmp_path: Path) -> None:
    """The real probe, on this machine's temporary folder (ext4, tmpfs, overlay, ...:
    local) and through a symlink to it."""
    found = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "-T", str(tmp_path)],
                           capture_output=True, text=True, timeout=WAIT, check=True)
    (tmp_path / "link").symlink_to(tmp_path)
    assert mount_type(str(tmp_path)) == mount_type(str(tmp_path / "link")) \
        == found.stdout.strip()
    assert mount_type(str(tmp_path)) in LOCAL_TYPES and locks_trusted(str(tmp_path))
    assert mount_type(str(tmp_path / "gone")) is None
    assert not locks_trusted(str(tmp_path / "gone"))


def test_without_mountinfo_no_folder_is_trusted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not Linux, or no /proc: the type cannot be told, so the day rule holds."""
    monkeypatch.setattr(converter.mounts, "MOUNTINFO", str(tmp_path / "none"))
    monkeypatch.setattr(converter.mounts, "_TRUSTED", {})
    assert mount_type(str(tmp_path)) is None and not locks_trusted(str(tmp_path))


def test_the_answer_is_kept_per_device(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def probe(folder: str) -> str:
        asked.append(folder)
        return "nfs"

    monkeypatch.setattr(converter.mounts, "mount_type", probe)
    monkeypatch.setattr(converter.mounts, "_TRUSTED", {})
    (tmp_path / "a").mkdir()
    assert not locks_trusted(str(tmp_path)) and not locks_trusted(str(tmp_path / "a"))
    assert asked == [str(tmp_path)]


#: In a mount namespace of its own: a tmpfs mounted at a folder whose name holds a
#: space (escaped in mountinfo), inside the test's folder, and a
#: bind mount of a folder of the test's file system.
MOUNTED = """
set -e
mkdir -p 'a b' plain bound
mount -t tmpfs none 'a b'
mkdir 'a b/inner'
ln -s 'a b/inner' link
mount --bind plain bound
"$PYTHON" -c '
import sys
from converter.mounts import mount_type
print(*(mount_type(folder) for folder in sys.argv[1:]))
' 'a b/inner' link bound . /
"""


def test_a_mount_inside_a_folder_is_told_from_the_folder(tmp_path: Path) -> None:
    result = subprocess.run(  # (a user and mount namespace of its own: no root needed)
        ["unshare", "--map-root-user", "--mount", "bash", "-c", MOUNTED], cwd=tmp_path,
        text=True, capture_output=True, timeout=WAIT,
        env={**os.environ, "PYTHON": sys.executable,
             "PYTHONPATH": str(Path(converter.mounts.__file__).parents[1])})
    assert result.returncode == 0, result.stderr
    here = mount_type(str(tmp_path))
    assert result.stdout.split() == ["tmpfs", "tmpfs", here, here, mount_type("/")]
