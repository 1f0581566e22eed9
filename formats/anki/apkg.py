"""An .apkg read: its collection's bytes, checked (newer format, zip bomb, damage),
and opened in memory."""

from __future__ import annotations

import lzma
import sqlite3
import zipfile
import zlib
from pathlib import Path

from converter.diagnostics import error
from converter.sqlitewait import Connection

#: Packages never hold more than this much uncompressed collection (zip bomb guard).
MAX_COLLECTION_BYTES = 512 * 1024 * 1024
_COLLECTIONS = ("collection.anki21", "collection.anki2")
_NEWER = ("was exported in Anki's newer package format; export it again with \"Support "
          'older Anki versions" ticked')


def _collection(path: Path) -> tuple[bytes, bool]:
    """The package's collection (its database's bytes), and whether the package also
    holds one in Anki's newer format (then the old one may be a stub)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            found = next((n for n in _COLLECTIONS if n in names), None)
            newer = "collection.anki21b" in names
            if found is None:
                raise error(str(path), "unsupported-apkg",
                            _NEWER if newer else "holds no Anki collection")
            info = archive.getinfo(found)
            if info.file_size > MAX_COLLECTION_BYTES:
                raise error(str(path), "file-too-large", "its collection is over "
                            f"{MAX_COLLECTION_BYTES} bytes uncompressed")
            unusual = _unusual_entry(info)
            if unusual:
                raise error(str(path), "bad-apkg", f"is not a readable .apkg: {unusual}")
            return archive.read(found), newer
    except _UNREADABLE_ZIP as exc:
        raise error(str(path), "bad-apkg", f"is not a readable .apkg (zip) file: {exc}"
                    ) from None


#: What reading a damaged zip file raises: a bad CRC or header, a damaged deflate,
#: bzip2 or LZMA stream (zlib's error, an end too soon).
_UNREADABLE_ZIP = (zipfile.BadZipFile, OSError, zlib.error, EOFError, lzma.LZMAError)
#: The compression methods Python's zipfile reads.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate",
            zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}


def _unusual_entry(info: zipfile.ZipInfo) -> str | None:
    """Why the zip entry ``info`` cannot be read here, before reading it: encrypted (a
    password is needed), or packed with a compression method zipfile does not read."""
    if info.flag_bits & 0x1:
        return f"its {info.filename} is encrypted"
    if info.compress_type not in _METHODS:
        return (f"its {info.filename} is packed with compression method "
                f"{info.compress_type}, which is not read here (only "
                f"{', '.join(_METHODS.values())})")
    return None


#: Where a database's header says it is in WAL mode (bytes 18 and 19, both 2).
_WAL = slice(18, 20)


def _opened(collection: bytes) -> sqlite3.Connection:
    """A read-only connection to the database whose bytes are ``collection``, held in
    memory (its sorting too): reading a deck writes no file, so a full temporary folder
    is no reason to refuse it, and a killed run leaves nothing behind. A database in WAL
    mode is read as one with a rollback journal (the package holds no WAL file, and
    SQLite opens no WAL in memory)."""
    if collection[_WAL] == b"\x02\x02":
        collection = collection[:_WAL.start] + b"\x01\x01" + collection[_WAL.stop:]
    conn = sqlite3.connect(":memory:", factory=Connection)  # (a damaged schema: its error)
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        if collection:  # (an empty file is an empty database; SQLite takes no 0 bytes)
            conn.deserialize(collection)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn
