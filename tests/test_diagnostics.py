"""Diagnostics: text, JSON and GitHub Actions rendering, and the packed form the cache
keeps."""

from __future__ import annotations

import codecs
import errno
import io
import json
import marshal
import os
import pickle
import subprocess
import tomllib
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.diagnostics import (
    KEPT_BYTE,
    STDIN_NAME,
    STDOUT_NAME,
    ChangedWhileRead,
    Diagnostic,
    DiagnosticLog,
    KeptBytes,
    KeptLine,
    MuscleError,
    Named,
    check_unchanged,
    decode_utf8,
    file_not_utf8,
    github_annotation,
    open_stamp,
    pack,
    printable,
    render,
    shown_value,
    toml_quoted,
    unpack,
    worded,
)
from tests.conftest import ROOT, WAIT, whole_and_in_chunks

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
diagnostic = st.builds(Diagnostic, any_text, st.none() | st.integers(1, 10**9),
                       st.none() | st.integers(1, 10**6), any_text, any_text, any_text,
                       st.sampled_from(["error", "warning"]),
                       st.lists(st.integers(0, 30), max_size=4).map(tuple))


@given(st.lists(diagnostic, max_size=40), st.integers(1, 7))
def test_pack_gives_back_every_diagnostic(diagnostics: list[Diagnostic], chunk: int) -> None:
    back = list(unpack(pack(diagnostics, chunk=chunk)))
    assert back == diagnostics
    assert all(type(d) is Diagnostic for d in back)


def test_pack_is_smaller_than_pickle_for_a_corpus_of_warnings() -> None:
    many = [Diagnostic(f"corpus/muscle-{i % 500}.md", i % 90 + 1, 7, "origin.da",
                       "duplicate-text", f"same text as corpus/muscle-{i}.md (origin.da)",
                       "warning") for i in range(20_000)]
    packed = pack(many)
    assert list(unpack(packed)) == many
    assert len(packed) * 4 < len(pickle.dumps(many, pickle.HIGHEST_PROTOCOL))


@pytest.mark.parametrize("blob", [
    b"", b"not zlib at all",
    zlib.compress(len(short := marshal.dumps([("a.md", 1, 1, "f", "c", "m")])).to_bytes(
        8, "little") + short),  # a field short
    zlib.compress(b"\x10" + bytes(7) + b"not marshal at all"),
    pack([Diagnostic("a.md", 1, 1, "f", "c", "m")])[:-4],  # truncated
])
def test_a_damaged_pack_is_an_error_not_a_wrong_answer(blob: bytes) -> None:
    with pytest.raises((ValueError, zlib.error)):
        list(unpack(blob))


def test_a_damaged_packed_log_is_refused_before_it_is_read() -> None:
    log = DiagnosticLog([Diagnostic("a.md", 1, 1, "f", "c", "m", "error")] * 3, in_memory=1)
    packed = log.packed()
    assert DiagnosticLog.unpacked(packed).errors == 3
    blob = bytearray(packed.blobs[0])
    blob[len(blob) // 2] ^= 1
    for damaged in (packed._replace(blobs=[bytes(blob), *packed.blobs[1:]]),
                    packed._replace(checksums=packed.checksums[1:])):
        with pytest.raises(ValueError):
            DiagnosticLog.unpacked(damaged)


def test_diagnostics_pickle_as_themselves() -> None:
    d = Diagnostic("a.md", None, None, "title", "missing-field", "no title", "error")
    assert pickle.loads(pickle.dumps(d, pickle.HIGHEST_PROTOCOL)) == d
    assert str(d) == "a.md: error: title: no title [missing-field]"
    assert render([d], "json").count('"path": "a.md"') == 1


def test_an_error_pickles_and_copies_with_its_diagnostics() -> None:
    """As a process pool sends it back (``ProcessPoolExecutor`` running ``read``)."""
    import copy

    error = MuscleError([Diagnostic("a.md", 2, 1, "title", "empty-field", "no title"),
                         Diagnostic("b.md", None, None, "", "not-found", "no such file")])
    for again in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
        assert type(again) is MuscleError
        assert again.diagnostics == error.diagnostics
        assert str(again) == str(error) == "\n".join(map(str, error.diagnostics))


@given(st.lists(diagnostic, max_size=60), st.integers(1, 9))
def test_a_log_on_disk_reads_back_like_a_list(diagnostics: list[Diagnostic],
                                              in_memory: int) -> None:
    log = DiagnosticLog(in_memory=in_memory)
    for d in diagnostics:
        log.append(d)
    assert len(log) == len(diagnostics) and bool(log) == bool(diagnostics)
    assert list(log) == diagnostics and list(log) == diagnostics  # read twice
    assert log == diagnostics and log[1:4] == diagnostics[1:4]
    if diagnostics:
        assert log[-1] == diagnostics[-1] and log[len(log) // 2] == diagnostics[len(log) // 2]
    with pytest.raises(IndexError):
        log[len(diagnostics)]
    assert pickle.loads(pickle.dumps(log)) == diagnostics
    assert DiagnosticLog.unpacked(log.packed()) == diagnostics
    again = DiagnosticLog.unpacked(log.packed())
    assert (again.errors, again.error_paths, len(again)) == (log.errors, log.error_paths,
                                                            len(log))
    errors = [d for d in diagnostics if d.severity == "error"]
    assert log.errors == len(errors) and log.error_paths == {d.path for d in errors}
    extended = DiagnosticLog(in_memory=in_memory)
    extended.extend(diagnostics)  # one call, not one per diagnostic: the same log
    assert extended.packed() == log.packed()
    joined = DiagnosticLog(diagnostics[:3], in_memory=in_memory)
    joined.extend(log)
    joined.append(Diagnostic("z.md", 1, 1, "", "last", "the end", "warning"))
    assert list(joined) == [*diagnostics[:3], *diagnostics, joined[-1]]
    assert joined.errors == len(errors) + sum(d.severity == "error" for d in diagnostics[:3])


def test_a_run_with_more_warnings_than_memory_holds_reports_them_all(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from converter.run import validate_sources

    for i in range(30):  # files in pairs with the same origin: a warning for each file
        (tmp_path / f"m{i:02}.md").write_text(
            f"---\ntitle: Muscle {i}\norigin:\n  en: The long origin text {i // 2}\n---\n",
            encoding="utf-8")
    whole = list(validate_sources([tmp_path]).diagnostics)
    monkeypatch.setattr(DiagnosticLog.__init__, "__defaults__", ((), 4))
    spilled = validate_sources([tmp_path]).diagnostics
    assert isinstance(spilled, DiagnosticLog) and spilled._parts  # it did go to disk
    assert list(spilled) == whole and len(whole) > 20


@given(diagnostic)
def test_a_diagnostic_is_one_line_without_control_characters(d: Diagnostic) -> None:
    shown = str(d)
    assert len(shown.splitlines()) == 1
    assert not any(unicodedata.category(c) in {"Cc", "Cs", "Zl", "Zp"} for c in shown)
    assert shown.endswith(f"[{printable(d.code)}]")


@pytest.mark.parametrize(("path", "shown"), [
    ("bad\nname.md", "bad\\nname.md"),
    ("cr\rx.md", "cr\\rx.md"),
    ("tab\tx.md", "tab\\tx.md"),
    ("esc\x1b[31mred.md", "esc\\x1b[31mred.md"),
    ("del\x7f\x85.md", "del\\x7f\\x85.md"),
    ("rlo\u202egpj.md", "rlo\\u202egpj.md"),
    ("not-utf8-\udcff.md", "not-utf8-\\udcff.md"),
    ("plain/muscle.md", "plain/muscle.md"),
    ("mappe med mellemrum/Navn æøå ÆØÅ.md", "mappe med mellemrum/Navn æøå ÆØÅ.md"),
    ("中文/ñandú.md", "中文/ñandú.md"),
])
def test_paths_are_shown_with_control_characters_escaped(path: str, shown: str) -> None:
    d = Diagnostic(path, 3, 5, "title", "missing-field", "no title")
    assert printable(path) == shown
    assert str(d) == f"{shown}:3:5: error: title: no title [missing-field]"
    assert json.loads(render([d], "json"))[0]["path"] == path  # machines get it exact


@given(st.text(st.characters(codec="utf-8"), max_size=30))
def test_toml_quoted_is_one_shown_line_a_toml_reader_takes_back(text: str) -> None:
    """A config file's advice: what :func:`printable` escapes is a TOML escape
    (``\\u2028``, ``\\u0085``; not ``\\x85``, which TOML lacks), letters stay."""
    quoted = toml_quoted(text)
    assert printable(quoted) == quoted and len(f"{quoted}.".splitlines()) == 1
    assert tomllib.loads(f"v = {quoted}")["v"] == text


#: Any text, lone surrogates (a file name's bytes that are not UTF-8, as Python reads
#: them) as likely as any other character.
_ANY_TEXT = st.lists(st.one_of(st.characters(exclude_categories=()),
                               st.characters(categories=["Cs"])), max_size=30).map("".join)


@given(_ANY_TEXT)
def test_toml_quoted_is_toml_for_any_text_a_lone_surrogate_replaced(text: str) -> None:
    """A lone surrogate was written ``"\\udcff"``, which a TOML reader refuses (no
    Unicode scalar value): the advised line was no TOML. It is U+FFFD, the replacement
    character (TOML can hold no such byte), and all else is taken back as it is."""
    quoted = toml_quoted(text)
    assert printable(quoted) == quoted and len(f"{quoted}.".splitlines()) == 1
    read = tomllib.loads(f"v = {quoted}")["v"]
    assert read == "".join("\ufffd" if unicodedata.category(char) == "Cs" else char
                           for char in text)


def test_toml_quoted_keeps_letters_of_any_language() -> None:
    assert toml_quoted("ñandú\u202e中文\x85") == '"ñandú\\u202e中文\\u0085"'


def test_a_file_name_with_control_characters_is_converted_and_reported_on_one_line(
        tmp_path: Path) -> None:
    from click.testing import CliRunner

    from converter.cli import cli

    texts = {"new\nline.md": "A", "cr\rx.md": "B", "esc\x1b[31mape.md": "C",
             "æble grød.md": "D"}
    for name, title in texts.items():
        (tmp_path / name).write_text(f"---\ntitle: {title}\norigin:\n  da: Samme tekst.\n"
                                     "---\n", encoding="utf-8")
    (tmp_path / "odd\nbad.md").write_text('---\ntitle: E\ncoords: ["1,2,3"]\n---\n',
                                          encoding="utf-8")
    out = tmp_path / "out\nput.json"
    result = CliRunner().invoke(cli, ["convert", str(tmp_path), "--to", "json", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert [m["title"] for m in json.loads(out.read_text(encoding="utf-8"))["muscles"]] == [
        "D", "B", "C", "A"]
    cr, esc, new, odd, plain = (f"{tmp_path}/{name}" for name in (
        "cr\\rx.md", "esc\\x1b[31mape.md", "new\\nline.md", "odd\\nbad.md", "æble grød.md"))
    twin = "warning: origin.da: same text as {} (origin.da) [duplicate-text]"
    assert result.stderr.splitlines() == [  # in path order
        f"{cr}:4:7: {twin.format(esc)}",
        f"{esc}:4:7: {twin.format(cr)}",
        f"{new}:4:7: {twin.format(cr)}",
        f"{odd}:3:10: error: coords[0]: odd number of values (3) [coords-odd]",
        f"{plain}:4:7: {twin.format(cr)}",
        f"wrote 4 muscles to {tmp_path}/out\\nput.json; 4 muscles converted, 1 file failed"]


_diagnostics = st.lists(st.builds(
    Diagnostic, st.sampled_from(["a.md", "b.md", "c/ d.json"]),
    st.none() | st.integers(1, 4), st.none() | st.integers(1, 3), st.sampled_from(["", "f"]),
    st.sampled_from(["x-y", "a-b"]), st.text(max_size=5), st.sampled_from(["error", "warning"])),
    max_size=40)


@given(_diagnostics, st.integers(1, 7), st.integers(1, 5), st.integers(1, 4),
       st.integers(1, 3))
def test_diagnostics_in_runs_come_out_as_one_sort_gives_them(
        found: list, run: int, batch: int, fan_in: int, frame: int) -> None:
    """Sorted a run at a time and merged (validate held every diagnostic, its dict and
    its text at once: 161 MB for --format json at 20,000 files), same text as before;
    and so when more runs than are merged at once are merged into longer ones first."""
    import json

    from converter import diagnostics

    once = sorted(found, key=lambda d: (d.path, d.line or 0, d.column or 0, d.code))
    assert list(diagnostics.in_order(found, run=run)) == once
    assert list(diagnostics.in_order(found, run=run, fan_in=fan_in, frame=frame)) == once
    pieces = list(diagnostics.rendered(found, "json", batch=batch))
    assert "".join(pieces) == diagnostics._SURROGATE.sub(diagnostics._json_escape, json.dumps(
        [d.as_dict() for d in once], ensure_ascii=False, indent=2))
    assert "".join(diagnostics.rendered(found, batch=batch)) == "\n".join(map(str, once))


class _Filling(io.BytesIO):
    """A temporary file on a disk that fills up after ``room`` bytes: a write takes
    what fits, as an unbuffered file does, then is refused (ENOSPC)."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data: Any) -> int:
        fits = max(0, min(len(data), self.room - self.tell()))
        if not fits:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(bytes(data[:fits]))


@settings(max_examples=60, deadline=None)
@given(_diagnostics, st.integers(1, 7), st.integers(1, 3), st.integers(1, 3),
       st.none() | st.integers(0, 400))
def test_runs_the_temporary_folder_refuses_are_sorted_in_memory(
        found: list, run: int, fan_in: int, frame: int, room: int | None) -> None:
    """A temporary folder that refused the sort's file (``room`` None) or filled up
    while the runs were written to it (after ``room`` bytes, a write cut short) raised
    TemporaryFull as validate printed its report: a traceback after the run. The runs
    are kept in memory from then on, and come out as one sort gives them."""
    import tempfile

    from converter import diagnostics

    def refused(*args: Any, **kwargs: Any) -> Any:
        if room is None:
            raise OSError(errno.ENOSPC, "No space left on device")
        return _Filling(room)

    once = sorted(found, key=lambda d: (d.path, d.line or 0, d.column or 0, d.code))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "TemporaryFile", refused)
        assert list(diagnostics.in_order(found, run=run, fan_in=fan_in, frame=frame)) == once


class _Held:
    """``marshal`` for :mod:`converter.diagnostics` that counts the diagnostics held in
    memory: taken in, or unpacked, and not yet packed or given out; ``peak`` the most."""

    def __init__(self) -> None:
        self.taken = self.given = self.packed = self.unpacked = self.peak = 0

    def note(self) -> None:
        """Count the diagnostics held now."""
        held = self.taken + self.unpacked - self.packed - self.given
        self.peak = max(self.peak, held)

    def dumps(self, rows: list) -> bytes:
        self.note()
        self.packed += len(rows)
        return marshal.dumps(rows)

    def loads(self, data: bytes) -> list:
        rows = marshal.loads(data)
        self.unpacked += len(rows)
        self.note()
        return rows


def test_sorting_many_diagnostics_holds_a_bounded_number_at_once(monkeypatch) -> None:
    """validate sorted its warnings 50,000 at a time, and merged every run with a frame
    of 10,000 of each unpacked at once (RSS from 55 to 84 MB at the end of a run of
    40,000 muscles): now the diagnostics taken in and not yet packed, with those
    unpacked and not yet packed again or given out, are never more than 10,000, however
    many there are (those on disk are packed, not held)."""
    from converter import diagnostics

    held = _Held()
    monkeypatch.setattr(diagnostics, "marshal", held)

    def found() -> Iterator[Diagnostic]:
        for i in range(120_000):
            held.taken += 1
            held.note()
            yield Diagnostic(f"{(i * 7919) % 120_000:06}.md", 1, 1, "", "x", "m", "warning")

    paths = []
    for d in diagnostics.in_order(found()):
        held.note()
        held.given += 1
        paths.append(d.path)
    assert paths == sorted(f"{i:06}.md" for i in range(120_000))
    assert held.peak <= 10_000


def test_kept_bytes_are_placed_as_decode_utf8_places_them() -> None:
    """A reader of rows reports each row's first byte that is not UTF-8 where the
    file's whole error would have been: in bytes, letters of two before it counted."""
    raw = b"head\n" + "Æble ".encode() + b"\xff\nok\nx\xc3"
    text = decode_utf8(raw, "t.csv", keep=True)
    kept = KeptBytes(text, "t.csv")
    with pytest.raises(MuscleError) as whole:
        decode_utf8(raw, "t.csv")
    assert [kept.first(1)] == whole.value.diagnostics
    assert (kept.first(3).line, kept.first(3).column, kept.first(3).message) == (
        4, 2, "is not UTF-8 (byte 0xc3)")
    assert KEPT_BYTE.sub("", text) == "head\nÆble \nok\nx"


@pytest.mark.parametrize("raw", [
    b'{"a": "x\xff", "b": "' + "Æble \u2013".encode("cp1252") + b'"}\n',
    codecs.BOM_UTF8 + '{"a": "Æble '.encode() + b'\xfe", "b": "\xe6"}\r\n'],
    ids=["cp1252", "utf8-marked"])
def test_a_lines_kept_bytes_are_placed_as_decode_utf8_places_them(raw: bytes) -> None:
    """A JSON Lines reader says the byte of each text of a line holding one: the first
    where the line's whole error would have been (a byte order mark, letters of two bytes
    before it counted), each with the message that error would have."""
    text = decode_utf8(raw, "m.jsonl", 1, keep=True)
    kept = KeptLine(text, raw, "m.jsonl", 1)
    with pytest.raises(MuscleError) as whole:
        decode_utf8(raw, "m.jsonl", 1)
    assert [kept.at(), kept.at(len(text))] == whole.value.diagnostics * 2
    first = raw.index(b'", "b"') - 1
    with pytest.raises(MuscleError) as alone:  # (the first byte made ASCII)
        decode_utf8(raw[:first] + b"?" + raw[first + 1:], "m.jsonl", 1)
    assert [kept.at(text.index('"b"'))] == alone.value.diagnostics


@pytest.mark.parametrize("raw, message", [
    ("---\ntitle: Lægmusklen \u2013 den store\n---\n".encode("cp1252"),
     "is not UTF-8 (byte 0xe6, which is æ in Windows-1252: save the file as UTF-8)"),
    ("---\ntitle: Læg\n---\n".encode() + b"x\xe6",  # (UTF-8 with one byte gone wrong)
     "is not UTF-8 (byte 0xe6)"),
    (b"---\ntitle: x\xff\n---\n", "is not UTF-8 (byte 0xff)"),
    (b"---\ntitle: x\x81\n---\n", "is not UTF-8 (byte 0x81)")],  # (none in Windows-1252)
    ids=["cp1252", "utf8-damaged", "0xff", "undefined"])
def test_a_file_saved_as_windows_1252_is_named_so(raw: bytes, message: str) -> None:
    """A file from a Windows program said only 'is not UTF-8 (byte 0xe6)'."""
    with pytest.raises(MuscleError) as caught:
        decode_utf8(raw, "m.md")
    assert [d.message for d in caught.value.diagnostics] == [message]


_NOT_UTF8 = [
    b"abc",
    b"",
    b"a\nb\xff",
    b"\xff",
    "Æble\n".encode() + b"x\xe6\ny",
    "Lægmusklen \u2013 den\nstore".encode("cp1252") + b"\n\x81",
    "ok\r\nÆ".encode("cp1252"),
    codecs.BOM_UTF8 + b'{"a": 1,\n"b": "\xe9"}',
    b"x" * 10 + "é".encode()[:1],
    b"xy\n" + "\U0001f600".encode()[:3] + b"z",
    b"a\xc2",
    b"\xed\xa0\x80",
    '{"m": "é"}'.encode("utf-16-le"),
    '{"m": ["é"]}'.encode("utf-32-le"),
    '{"m": []}'.encode("utf-16"),
    '{"m": []}'.encode("utf-32"),
    codecs.BOM_UTF16_LE + b"\n",
]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 16])
@pytest.mark.parametrize("raw", _NOT_UTF8)
def test_a_files_first_byte_not_utf8_read_in_chunks_is_said_as_read_whole(
        raw: bytes, chunk: int) -> None:
    """A file read a chunk at a time has the error of its bytes read whole: the same
    byte, line and column (in bytes, a byte order mark counted), a UTF-16 or UTF-32
    mark, and a Windows-1252 letter named only in a file that reads so throughout."""
    whole, in_chunks = whole_and_in_chunks(decode_utf8, file_not_utf8, raw, chunk)
    assert in_chunks == whole


@pytest.mark.parametrize("raw, chunk", [
    (b"Tr" + "\u00e6".encode() + b"k\nx\xe6 y", 3),  # (Tr and the letter's first byte)
    (b"title: T\n" + "\u00f8".encode() + b"\nx\xe6 y", 5),  # (the 2nd chunk's last)
])
def test_a_utf8_letter_cut_by_a_chunk_inside_the_file_is_not_read_as_windows_1252(
        raw: bytes, chunk: int) -> None:
    """A file that holds a UTF-8 letter of two bytes is UTF-8 with a byte gone wrong,
    not a Windows-1252 file, though a chunk ends between the letter's two bytes inside
    the file (neither chunk holds the whole letter): its bad byte is named, not said to
    be a letter in Windows-1252."""
    letter = max(raw.find(b"\xc3"), 0)
    assert letter % chunk == chunk - 1 and letter >= 2  # (the cut is inside the letter)
    found = file_not_utf8(io.BytesIO(raw), "m.md", chunk)
    assert found is not None
    [diagnostic] = found.diagnostics
    assert diagnostic.message == "is not UTF-8 (byte 0xe6)"
    assert (diagnostic.line, diagnostic.column) == (raw.count(b"\n") + 1, 2)


#: GitHub's Actions toolkit, as ``make test`` installs it (npm), and the script that runs it.
NODE_MODULES = ROOT / ".cache" / "npm" / "node_modules"
ANNOTATE = Path(__file__).with_name("actions_annotate.mjs")


def toolkit_annotations(diagnostics: list[Diagnostic]) -> list[str]:
    """What ``core.error``/``core.warning`` of @actions/core write for ``diagnostics``,
    given the parts :func:`github_annotation` takes (field and message already
    :func:`printable`, as the text format shows them; the path too, but for its line
    ends, which the toolkit escapes as the runner reads them back)."""
    if not (NODE_MODULES / "@actions" / "core" / "lib" / "core.js").is_file():
        pytest.fail(f"{NODE_MODULES / '@actions/core'} is missing: make test installs it "
                    "with npm")
    return toolkit_written([["warning" if d.severity == "warning" else "error",
                             printable(f"{d.field}: {d.message}" if d.field else d.message),
                             {"title": printable(d.code), "file": "".join(
                                 c if c in "\r\n" else printable(c) for c in d.path),
                              "startLine": d.line,
                              "startColumn": None if d.line is None else d.column}]
                            for d in diagnostics])


def toolkit_written(given_: list[list[Any]]) -> list[str]:
    """What ``core.error``/``core.warning`` of @actions/core write given each ``[kind,
    message, properties]`` of ``given_``."""
    if not (NODE_MODULES / "@actions" / "core" / "lib" / "core.js").is_file():
        pytest.fail(f"{NODE_MODULES / '@actions/core'} is missing: make test installs it "
                    "with npm")
    done = subprocess.run(["node", str(ANNOTATE), str(NODE_MODULES)],
                          input=json.dumps(given_), capture_output=True, text=True,
                          timeout=WAIT)
    assert done.returncode == 0, done.stderr
    return done.stdout.removesuffix("\n").split("\n")  # (not splitlines: \x1e is no end)


#: A diagnostic as runs make them: a path and a code are never empty (a file may be
#: named like a stream, ``standard input``: it is no stream).
named = st.builds(Diagnostic, any_text.filter(bool) | st.sampled_from([STDIN_NAME,
                                                                       STDOUT_NAME]),
                  st.none() | st.integers(1, 10**9),
                  st.none() | st.integers(1, 10**6), any_text, any_text.filter(bool),
                  any_text, st.sampled_from(["error", "warning"]), stream=st.just(False))


@settings(max_examples=20)  # one node process an example, many diagnostics each
@given(st.lists(named, min_size=1, max_size=100))
def test_github_annotations_are_what_githubs_toolkit_writes(
        diagnostics: list[Diagnostic]) -> None:
    """Every character of a path, field and message gets through a workflow command as
    GitHub's own toolkit escapes it (``%``, line ends; ``:`` and ``,`` in a property)."""
    assert [github_annotation(d) for d in diagnostics] == toolkit_annotations(diagnostics)


def test_github_annotations_escape_what_splits_a_command() -> None:
    d = Diagnostic("content/a,b:c%.md", 5, 7, "origin.da", "duplicate-text",
                   "same text as x.md (origin.da)\r\n::error::forged", "warning")
    assert github_annotation(d) == (
        "::warning title=duplicate-text,file=content/a%2Cb%3Ac%25.md,line=5,col=7::"
        "origin.da: same text as x.md (origin.da)\\r\\n::error::forged")
    assert github_annotation(d._replace(line=None, field="", severity="error")) == (
        "::error title=duplicate-text,file=content/a%2Cb%3Ac%25.md::same text as x.md "
        "(origin.da)\\r\\n::error::forged")


def test_a_github_annotation_names_a_file_with_a_line_end_in_its_name_as_it_is() -> None:
    """``file=odd/new\\nline.md`` named no file there is; GitHub's toolkit writes
    ``odd/new%0Aline.md``, which the runner reads back as the file's name."""
    d = Diagnostic("odd/new\nline\r\x1b.md", 2, 1, "title", "wrong-type", "no", "error")
    assert github_annotation(d) == (
        "::error title=wrong-type,file=odd/new%0Aline%0D\\x1b.md,line=2,col=1::title: no")
    assert [github_annotation(d)] == toolkit_annotations([d])


@pytest.mark.parametrize("workspace", [None, "/checkout"])
def test_a_github_annotation_about_a_stream_names_no_file(workspace: str | None) -> None:
    """``-`` given as a source was an annotation on a file named ``-`` (from a workspace,
    ``content/-``): a path there is not. A diagnostic about standard input, or standard
    output, names no file (GitHub shows it with the job), its message the stream."""
    found = [Diagnostic(STDIN_NAME, None, None, "", "not-found",
                        "is not read: name files or folders", stream=True),
             Diagnostic(STDOUT_NAME, None, None, "", "cannot-write",
                        "is closed; give a file name", "warning", stream=True)]
    annotations = [github_annotation(d, workspace) for d in found]
    assert annotations == [
        "::error title=not-found::standard input: is not read: name files or folders",
        "::warning title=cannot-write::standard output: is closed; give a file name"]
    assert annotations == toolkit_written([
        ["error", "standard input: is not read: name files or folders",
         {"title": "not-found"}],
        ["warning", "standard output: is closed; give a file name",
         {"title": "cannot-write"}]])


@pytest.mark.parametrize("name", [STDIN_NAME, STDOUT_NAME])
def test_a_github_annotation_names_a_file_named_like_a_stream(name: str) -> None:
    """A file literally named ``standard input`` (or ``standard output``) had
    annotations naming no file, taken for the stream by its name; whether a diagnostic
    is about a stream is how its source was given (``stream``), so the file is named."""
    d = Diagnostic(name, 2, 8, "title", "wrong-type", "must be text, not a number")
    assert github_annotation(d, "/checkout") == (
        f"::error title=wrong-type,file={name},line=2,col=8::title: must be text, not a "
        "number")
    assert "stream" not in d.as_dict()


@given(st.lists(any_text | any_text.map(Named), max_size=6))
def test_worded_says_where_in_the_message_its_paths_are(parts: list[str | Named]) -> None:
    message, named = worded(*parts)
    assert message == "".join(p.path if isinstance(p, Named) else p for p in parts)
    assert [message[start:end] for start, end in zip(named[::2], named[1::2], strict=True)
            ] == [p.path for p in parts if isinstance(p, Named)]


def test_github_annotations_name_the_files_a_message_names_from_the_checkout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a step with a ``working-directory``, the other file a message names is named as
    the toolkit would name it given it from the checkout, as ``file=`` is (one outside
    the checkout as it is); the text and JSON formats keep the run's own names."""
    (tmp_path / "checkout" / "content").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "checkout" / "content")
    monkeypatch.setenv("PWD", str(tmp_path / "checkout" / "content"))
    outside = str(tmp_path / "else,where" / "c%.md")
    message, named = worded("same text as ", Named("b.md"), " (b.md), and ", Named(outside))
    d = Diagnostic("a.md", 5, 7, "origin.da", "duplicate-text", message, "warning", named)
    from_checkout = d._replace(path="content/a.md", message=(
        f"same text as content/b.md (b.md), and {outside}"))
    assert [github_annotation(d, str(tmp_path / "checkout"))] == toolkit_annotations(
        [from_checkout])
    assert str(d) == ("a.md:5:7: warning: origin.da: same text as b.md (b.md), and "
                      f"{outside} [duplicate-text]")
    assert json.loads(render([d], "json")) == [{
        "path": "a.md", "line": 5, "column": 7, "field": "origin.da",
        "code": "duplicate-text", "message": message, "severity": "warning"}]


def test_a_file_is_changed_while_read_by_its_bytes_not_its_metadata(tmp_path: Path) -> None:
    """A chmod, a new hard link, or a file renamed over its name (as README promises, read
    as it was when opened) moves the read file's change time only: it was
    changed-while-read, the bytes as they were. A write into it still is."""
    path = tmp_path / "muscles.jsonl"
    path.write_bytes(b"{}\n")
    with path.open("rb") as fh:
        before = open_stamp(fh)
        path.chmod(0o600)
        os.link(path, tmp_path / "linked.jsonl")
        (tmp_path / "saved.jsonl").write_bytes(b"[]\n")
        os.replace(tmp_path / "saved.jsonl", path)  # (an editor's save, renamed over)
        check_unchanged(fh, before, str(path))
        with (tmp_path / "linked.jsonl").open("ab") as other:  # (the file being read)
            other.write(b"{}\n")
        with pytest.raises(ChangedWhileRead) as caught:
            check_unchanged(fh, before, str(path))
    assert [(d.path, d.code) for d in caught.value.diagnostics] == [
        (str(path), "changed-while-read")]


class _BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@given(st.integers(-10**40, 10**40) | st.text(max_size=20) | st.floats(allow_nan=False))
def test_shown_value_is_repr_where_repr_works(value: object) -> None:
    assert shown_value(value) == repr(value)


@pytest.mark.parametrize(("value", "said"), [
    (10**4300, "an integer of 4301 digits"),
    (10**4300 - 1 + 10**4300, "an integer of 4301 digits"),
    (10**5000, "an integer of 5001 digits"),
    (-(10**5000) + 1, "a negative integer of 5000 digits"),
    (_BrokenRepr(), "a _BrokenRepr whose repr() fails"),
], ids=["4301", "4301-top", "5001", "negative", "broken-repr"])
def test_shown_value_never_fails(value: object, said: str) -> None:
    """A caller's int of more digits than str() takes (4300) raised ValueError from the
    repr that built the message about it; a class whose __repr__ raises, that."""
    assert shown_value(value) == said


def test_diagnostics_sort_as_validate_orders_them() -> None:
    """sorted(exc.diagnostics) raised TypeError ('<' not supported between instances of
    'int' and 'NoneType'): a Diagnostic is a tuple whose line and column may be None,
    and read() gives such a mix for one file. Diagnostics are ordered as validate orders
    them (in_order: path, line, column, no line first, then code), and are still equal,
    hashed and pickled as the tuples they are."""
    import pickle

    from converter import diagnostics

    found = [Diagnostic("b.md", 3, 1, "title", "empty-text", "x"),
             Diagnostic("a.md", 2, None, "", "bad-yaml", "y"),
             Diagnostic("b.md", None, None, "", "bad-file-name", "z"),
             Diagnostic("a.md", 2, 5, "latin", "wrong-type", "w"),
             Diagnostic("a.md", 2, 5, "latin", "bad-yaml", "v")]
    assert sorted(found) == list(diagnostics.in_order(found)) == [
        found[1], found[4], found[3], found[2], found[0]]
    assert found[2] < found[0] <= found[0] and found[0] > found[2] >= found[2]
    copy = Diagnostic(*found[0])
    assert copy == found[0] == tuple(found[0]) and hash(copy) == hash(tuple(found[0]))
    assert pickle.loads(pickle.dumps(found)) == found
