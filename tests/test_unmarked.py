"""UTF-16 and UTF-32 without a byte order mark: told by a file's bytes, and said before
a UTF-8 reader reads the file."""

from __future__ import annotations

import codecs

import pytest

from converter.diagnostics import MuscleError, decode_utf8
from converter.unmarked import decode_text, file_not_text, unmarked_wide, wide_codec
from tests.conftest import whole_and_in_chunks
from tests.test_diagnostics import _NOT_UTF8


@pytest.mark.parametrize("raw, said", [
    ("{\"title\": \"S\u00f8\"}".encode("utf-16-le"), "UTF-16 (little-endian"),
    ("title: S\u00f8".encode("utf-32-be"), "UTF-32 (big-endian"),
    ("title: A".encode("utf-16"), None),  # (its byte order mark says it)
    (b"title: A\x00\x00\x00B\n", None),  # (a few NULs: binary)
    (b"title: A\n", None),
    ("---\ntitle: \u03a3\u03cc\u03bb\u03b5\u03bf\u03c2 \u03bc\u03c5\u03c2\n---\n".encode(
        "utf-16-le"), "UTF-16 (little-endian"),  # (Greek: its NULs are ASCII's alone)
    ("title: \u041a\u0430\u043c\u0431\u0430\u043b\u0430\n".encode("utf-16-be"),
     "UTF-16 (big-endian"),
    ("title: \u03a3\u03cc\u03bb\u03b5\u03bf\u03c2\n".encode("utf-32-le"), "UTF-32 (little-endian"),
    (b"---\ntitle: Soleus\n---\nA\x00 body\n", None),  # (UTF-8 with a NUL: binary)
    (b"---\x00\x01\n", None),  # (three letters as UTF-16, but no line: binary)
    (b"ab\x00\n", None),  # (a NUL before a line feed: one letter and a line as UTF-16)
    (b"\x00\n", None),  # (a line break alone as UTF-16: no letter to tell it by)
    (b"ab\x00\ncd\x00\n", None),
    (b"---\ntitle: Soleus\n---\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None)])
def test_utf16_or_utf32_without_a_byte_order_mark_is_told_by_its_nuls(
        raw: bytes, said: str | None) -> None:
    found = unmarked_wide(raw, "m.json")
    assert (found and [(d.line, d.column, d.code, d.message) for d in found.diagnostics]) == (
        said and [(1, 1, "not-utf8", f"is {said}, with no byte order mark), not UTF-8: "
                   "save it as UTF-8")])


@pytest.mark.parametrize("codec, found", [
    ("utf-16", "utf-16"), ("utf-32", "utf-32"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("utf-32-le", "utf-32-le"), ("utf-32-be", "utf-32-be"),
    ("utf-8", None)])
def test_the_codec_of_utf16_or_utf32_reads_the_text_back(codec: str, found: str | None
                                                          ) -> None:
    """A file in UTF-16 or UTF-32, marked or not, is read back by the codec found (a
    pyproject.toml is so: see tests/test_config.py); UTF-8 has none."""
    text = '[project]\nname = "site"\n'
    raw = text.encode(codec)
    assert wide_codec(raw) == found
    assert found is None or raw.decode(found) == text


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("raw", [
    "title: S\u00f8\n".encode("utf-16-le"),
    "title: \u041a\u0430\u043c\u0431\u0430\u043b\u0430\n".encode("utf-32-be"),
    "title: A\n".encode("utf-16"),
    b"title: A\n",
    codecs.BOM_UTF8 + b"title: A\n",
    b"title: x\xe6\n",
    b"title: A\x00\x00\x00B\n"])
def test_a_files_text_is_its_utf8_after_utf16_or_utf32_unmarked_is_told(
        raw: bytes, keep: bool) -> None:
    """The one error of a file in UTF-16 or UTF-32 without a byte order mark is said
    before any byte of it is read as UTF-8 (kept bytes too); else the file's text or
    error is decode_utf8's."""
    def outcome(read) -> object:
        try:
            return read()
        except MuscleError as exc:
            return exc.diagnostics
    wide = unmarked_wide(raw, "m.csv")
    assert outcome(lambda: decode_text(raw, "m.csv", keep=keep)) == (
        wide.diagnostics if wide else outcome(lambda: decode_utf8(raw, "m.csv", keep=keep)))


def test_the_bytes_ahead_of_a_line_end_its_last_letter() -> None:
    """A line of UTF-16 little-endian, read to its line feed's byte, is told with the
    NUL after it; its text is the line's alone."""
    line = "{\"title\": \"\u0394\u03b5\u03bb\u03c4\u03bf\u03b5\u03b9\u03b4\u03ae\u03c2\"}\n"
    raw = line.encode("utf-16-le")
    with pytest.raises(MuscleError) as caught:
        decode_text(raw[:-1], "m.jsonl", ahead=raw[-1:])
    assert "UTF-16 (little-endian" in caught.value.diagnostics[0].message
    assert decode_text(b"{}\n", "m.jsonl", ahead=b"{") == "{}\n"


_WIDE_OR_NOT = [
    *_NOT_UTF8,
    "title: \u03a3\u03cc\u03bb\u03b5\u03bf\u03c2\n".encode("utf-16-le"),
    "{\"t\": \"\u0414\u0435\u043b\u044c\u0442\u0430\"}\n".encode("utf-32-be"),
    "\u03a3\u03cc\u03bb \U0001d6fc\n".encode("utf-16-be"),  # (a letter of 4 bytes)
    "x\n".encode("utf-16-le") + b"\0",  # (a last unit cut short)
    "title: A\n".encode("utf-32-le")[:-1],
    b"title: A\x00\x00\x00B\n",
    b"---\x00\x01\n",
    b"\x00" * 9,
]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 16])
@pytest.mark.parametrize("raw", _WIDE_OR_NOT)
def test_a_files_error_read_in_chunks_is_said_as_read_whole(raw: bytes, chunk: int) -> None:
    """A file read again a chunk at a time, none kept, has the error of its bytes read
    whole: UTF-16 or UTF-32 without a byte order mark told by all of them (the NULs
    of each byte of a unit, a unit cut by a chunk, the text they read as), else
    decode_utf8's."""
    whole, in_chunks = whole_and_in_chunks(decode_text, file_not_text, raw, chunk)
    assert in_chunks == whole
