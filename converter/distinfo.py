"""A distribution's metadata header, read without parsing its whole metadata.

A distribution's metadata file is a header of fields, then its long description
(often a whole README). ``Distribution.name`` parses all of it with the email package;
a run that replays its last one needs only the ``Name`` (which formats are built in)
and a few ``Version`` and ``Requires-Dist`` lines (the cache key), read here from the
header alone.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.metadata import Distribution

#: A header's ``Name`` field (in any case, as an email header's), and a line of a
#: header: a field, or the continuation of one (a line that starts with a blank).
_NAME_FIELD = re.compile(r"(?im)^name:[ \t]*([^\r\n]*)")
_HEADER_LINE = re.compile(r"[\041-\071\073-\176]+:|[ \t]")


def distribution_name(dist: Distribution) -> str:
    """``dist.name``, read from the header of its metadata (:func:`metadata_header`).
    Where the header is not plain (no ``Name`` line or an empty one, one continued on
    the next line, a line before it that is no field) the metadata is parsed as
    ``dist.name`` parses it."""
    try:
        header = metadata_header(dist)
    except OSError:  # (a metadata file that cannot be read: as dist.name reads it)
        return dist.name
    found = _NAME_FIELD.search(header)
    if found is None or not found[1]:
        return dist.name
    before, after = header[:found.start()], header[found.end():].lstrip("\r")
    if after[1:2] in (" ", "\t") or not all(
            _HEADER_LINE.match(line) for line in before.splitlines()):
        return dist.name
    return found[1]


def metadata_header(dist: Distribution) -> str:
    """The header of ``dist``'s metadata (its fields, up to the long description that
    follows them: of a file on disk, only the header is read); "" when it has none."""
    folder = getattr(dist, "_path", None)  # (a PathDistribution's folder, if on disk)
    if isinstance(folder, Path):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            return _header(folder / "METADATA")
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    return text.split("\n\n", 1)[0]


def _header(path: Path) -> str:
    """The text of the metadata file at ``path`` up to its first blank line."""
    data = b""
    with open(path, "rb") as fh:
        while b"\n\n" not in data and (chunk := fh.read(4096)):
            data += chunk
    return data.split(b"\n\n", 1)[0].decode("utf-8", "replace")
