"""The Python API's own errors: bad arguments are clear exceptions, never KeyErrors."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import converter
from tests.conftest import ROOT, SAMPLES, WAIT, deleting_at, in_threads, run_into_a_gone_reader


def test_unknown_formats_are_diagnostics(tmp_path: Path, sample_muscles) -> None:
    with pytest.raises(converter.MuscleError, match="unknown-format"):
        converter.read(SAMPLES, format="nope")
    with pytest.raises(converter.MuscleError, match="unknown format 'nope'"):
        converter.write(sample_muscles, tmp_path / "m.json", "nope")
    with pytest.raises(converter.MuscleError, match="cannot tell the format"):
        converter.write(sample_muscles, tmp_path / "m.unknown")
    assert list(tmp_path.iterdir()) == []


def test_default_language_must_be_a_language_code() -> None:
    with pytest.raises(ValueError, match="not a language code"):
        converter.read(SAMPLES, default_lang="Danish")
    with pytest.raises(ValueError, match="None is not a language code"):  # (a TypeError)
        converter.read(SAMPLES, default_lang=None)  # type: ignore[arg-type]
    assert converter.read(SAMPLES / "soleus.md", default_lang="pt-BR")


def test_default_language_in_capitals_is_held_in_bcp_47s_case(tmp_path: Path) -> None:
    """read(default_lang="PT-BR") and write(..., default_lang="DA") raised ValueError
    ("'PT-BR' is not a language code"); each is the code in BCP 47's case now, pt-BR
    and da, so a round trip through Markdown gives what the code so spelled gives."""
    src = tmp_path / "soleus.md"
    src.write_text("---\ntitle: Soleus\norigin: Tibia.\nfunction:\n  - short: Flexes.\n"
                   "---\n", encoding="utf-8")
    (muscle,) = converter.read(src, default_lang="PT-BR")
    assert dict(muscle.origin) == {"pt-BR": "Tibia."}
    (danish,) = converter.read(src, default_lang="DA")
    assert dict(danish.functions[0].short) == {"da": "Flexes."}
    for spelled in ("DA", "da"):
        converter.write([danish], tmp_path / spelled, "markdown", default_lang=spelled)
    written = (tmp_path / "DA" / "soleus.md").read_bytes()
    assert written == (tmp_path / "da" / "soleus.md").read_bytes()
    assert b"\n  - short: Flexes.\n" in written
    assert converter.read(tmp_path / "DA", default_lang="Da") == [danish]


def test_write_with_default_lang_none_writes_as_without_it(tmp_path: Path) -> None:
    """None leaves an option at its default, as documented: default_lang=None raised
    ValueError ("None is not a language code")."""
    (muscle,) = converter.read(SAMPLES / "soleus.md", default_lang="da")
    converter.write([muscle], tmp_path / "none", "markdown", default_lang=None)
    converter.write([muscle], tmp_path / "default", "markdown")
    written = (tmp_path / "none" / "soleus.md").read_bytes()
    assert written == (tmp_path / "default" / "soleus.md").read_bytes()


def test_what_a_writer_reports_reaches_the_caller(tmp_path: Path, sample_muscles,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with pytest.warns(UserWarning, match=r"time 0, so re-importing.*\[no-source-time\]"):
        converter.write(sample_muscles, tmp_path / "deck.apkg", deck="Anatomi")
    assert (tmp_path / "deck.apkg").stat().st_size > 0
    with pytest.raises(converter.MuscleError, match="reserved-name"):
        mapped = converter.Muscle(slug="map", title="Map",
                                  regions=(converter.Region(((1, 1), (5, 1), (5, 5))),))
        converter.write([*sample_muscles, mapped], tmp_path / "map", "svg")
    assert (tmp_path / "map" / "map.svg").is_file()  # written, the focus image left out
    with pytest.raises(converter.MuscleError, match="unsafe-link"):  # refused up front
        converter.write(sample_muscles, tmp_path / "map2", "svg", size="1000x1000",
                        base_image="javascript:alert(1)")
    assert not (tmp_path / "map2").exists()


@pytest.mark.parametrize(("output", "fmt", "code"), [
    ("new/", "json", "output-is-directory"),      # made a file named new
    ("folder", "json", "output-is-directory"),    # an IsADirectoryError naming a temporary
    ("x.json", "markdown", "output-not-directory"),  # made a directory named x.json
    ("m.jsonl", "json", "output-ending"),
    ("datapackage.json", "json", "output-ending"),  # read back as a CSV package
    ("datapackage.json", None, "output-ending"),    # (was: "--to csv writes a directory")
    ("map.svg", "markdown", "output-not-directory"),
    # (the marker: the next folder written there took all in it for its own, and deleted it)
    ("folder/.muscle-convert", "json", "output-ending"),
    ("folder/.muscle-convert", "svg", "output-ending"),
])
def test_write_refuses_the_outputs_the_command_line_refuses(
        output: str, fmt: str, code: str, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("folder").mkdir()
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, output, fmt)
    assert [d.code for d in caught.value.diagnostics] == [code]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    assert list(Path("folder").iterdir()) == []


@pytest.mark.parametrize("fmt", [None, "json", "markdown", "html"])
def test_write_refuses_an_empty_path_as_read_and_the_command_line_do(
        fmt: str | None, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty path was the working folder (Path("") is "."): write(ms, "", "markdown")
    replaced it, leaving the program in a deleted folder."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, "", fmt)
    assert [str(d) for d in caught.value.diagnostics] == [
        '"": error: an empty path names no file or folder [cannot-write]']
    assert os.listdir(tmp_path) == []
    assert os.getcwd() == str(tmp_path)


def test_read_and_write_in_a_deleted_working_folder_say_so(
        tmp_path: Path, sample_muscles, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both raised a FileNotFoundError, with absolute paths too (read from making the
    sources real, write from naming its output in a cannot-write)."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    os.rmdir(gone)
    for call in (lambda: converter.read(SAMPLES.resolve()),
                 lambda: converter.write(sample_muscles, tmp_path / "m.json"),
                 lambda: converter.write(sample_muscles, ".", "html")):
        with pytest.raises(converter.MuscleError) as caught:
            call()
        assert [(d.path, d.code) for d in caught.value.diagnostics] == [
            (str(gone), "working-folder-gone")]
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("target", "nth"), [("converter.pipeline._read_one", 2),
                                           ("converter.discovery._listing", 1),
                                           ("converter.discovery._Named.folder", 1)])
def test_read_of_a_working_folder_deleted_as_it_reads(
        target: str, nth: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read("src") with the folder deleted as it read the second file, or searched:
    a MuscleError of an unreadable error per file (or a FileNotFoundError making the
    folder real); now the one working-folder-gone."""
    work = tmp_path / "work"
    shutil.copytree(SAMPLES, work / "src")
    monkeypatch.chdir(work)
    deleting_at(monkeypatch, target, work, nth)
    with pytest.raises(converter.MuscleError) as caught:
        converter.read("src")
    assert [(d.path, d.code) for d in caught.value.diagnostics] == [
        (str(work), "working-folder-gone")]


@pytest.mark.parametrize(("output", "fmt"), [("m.json", None), ("site", "svg"),
                                             ("m.sqlite", None), ("m.apkg", None),
                                             ("md", "markdown")])
def test_write_of_a_working_folder_deleted_as_it_writes(
        output: str, fmt: str | None, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """write(ms, "m.json") with the folder deleted before the writer named its output:
    a FileNotFoundError (making the output real), raised again by the handler that
    names it in a cannot-write; now the one working-folder-gone."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    deleting_at(monkeypatch, "converter.registry.run_writer", work)
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, output, fmt)
    assert [(d.path, d.code) for d in caught.value.diagnostics] == [
        (str(work), "working-folder-gone")]
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", ["svg", "html", "markdown", "csv"])
def test_write_refuses_a_file_as_a_folder_output_and_leaves_it(
        fmt: str, tmp_path: Path, sample_muscles) -> None:
    (tmp_path / "afile").write_text("kept\n", encoding="utf-8")
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, tmp_path / "afile", fmt)
    assert [d.code for d in caught.value.diagnostics] == ["output-not-directory"]
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["afile"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "markdown", "svg", "html", "sqlite", "csv",
                                 "anki"])
def test_write_refuses_a_slug_given_twice_in_every_format(
        fmt: str, tmp_path: Path, sample_muscles) -> None:
    """json, markdown and svg wrote both, or one over the other, and said 30 written."""
    out = tmp_path / {"json": "m.json", "jsonl": "m.jsonl", "sqlite": "m.db",
                      "anki": "m.apkg"}.get(fmt, "out")
    with pytest.raises(converter.MuscleError) as caught:
        converter.write([*sample_muscles, sample_muscles[0]], out, fmt)
    assert [(d.code, d.message) for d in caught.value.diagnostics] == [
        ("duplicate-slug", f"slug {sample_muscles[0].slug!r} occurs twice")]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "markdown", "svg", "anki", "csv"])
@pytest.mark.parametrize("bad, found", [
    (dict(slug=""), ("muscles[].slug", "bad-slug")),  # was a hidden file, ".md"
    (dict(slug="Biceps Brachii"), ("muscles[Biceps Brachii].slug", "bad-slug")),
    (dict(title="A\x1fB"), ("muscles[m].title", "control-character")),  # Anki's separator
    (dict(image="javascript:alert(1)"), ("muscles[m].image", "unsafe-link")),
    (dict(title=" "), ("muscles[m].title", "empty-field")),
    (dict(title="\u200b\u200e "), ("muscles[m].title", "empty-field")),  # (no link name)
    (dict(regions=(converter.Region(((0, 0), (1, 1), (2, 2))),)),
     ("muscles[m].regions[0]", "polygon-zero-area")),  # (as the model names it)
    (dict(extra=converter.model.freeze({"a": [1, {"b": "\ud800"}]})),
     ("muscles[m].extra.a[1].b", "control-character")),
    # (Markdown wrote them as the fields: title and coords replaced; others unreadable)
    (dict(extra=converter.model.freeze({"title": "X"})),
     ("muscles[m].extra.title", "reserved-key")),
    (dict(extra=converter.model.FrozenMap({1: "x"})), ("muscles[m].extra.1", "wrong-type")),
    # (the JSON encoder's ValueError: "Exceeds the limit (4300 digits)")
    (dict(extra=converter.model.freeze({"k": 10 ** 5000})), ("muscles[m].extra.k",
                                                              "wrong-type")),
    (dict(extra=converter.model.freeze({"k": Decimal("NaN")})),
     ("muscles[m].extra.k", "wrong-type")),
    (dict(extra=converter.model.freeze({"k": [Decimal("-1E+400")]})),
     ("muscles[m].extra.k[0]", "wrong-type")),  # (as 1.0e+400 in YAML: no float holds it)
])
def test_write_refuses_a_muscle_no_reader_would_give(
        fmt: str, bad: dict, found: tuple[str, str], tmp_path: Path, sample_muscles) -> None:
    """A model built by hand: its own reader refused the output, or lost the muscle."""
    from dataclasses import replace
    muscle = replace(converter.Muscle(slug="m", title="M"), **bad)
    out = tmp_path / {"json": "m.json", "anki": "m.apkg"}.get(fmt, "out")
    with pytest.raises(converter.MuscleError) as caught:
        converter.write([*sample_muscles, muscle], out, fmt)
    assert [(d.field, d.code) for d in caught.value.diagnostics] == [found]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "jsonl", "markdown", "sqlite"])
def test_write_lists_the_problems_of_every_muscle_not_the_first_only(
        fmt: str, tmp_path: Path, sample_muscles) -> None:
    """It said the first muscle with a problem only; read() lists every problem."""
    bad = [converter.Muscle(slug="a", title=""), converter.Muscle(slug="b", title="")]
    given = [bad[0], *sample_muscles, bad[1], sample_muscles[0], sample_muscles[0]]
    out = tmp_path / {"json": "m.json", "jsonl": "m.jsonl", "sqlite": "m.db"}.get(fmt, "out")
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(iter(given), out, fmt)
    assert [(d.field, d.code) for d in caught.value.diagnostics] == [
        ("muscles[a].title", "empty-field"), ("muscles[b].title", "empty-field"),
        ("", "duplicate-slug")]  # (a slug given three times: said once)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt, name", [("jsonl", "m.jsonl"), ("json", "m.json"),
                                       ("sqlite", "m.db"), ("markdown", "md"),
                                       ("csv", "pkg"), ("anki", "m.apkg"), ("svg", "map")])
def test_a_failed_write_leaves_no_folder_it_made(fmt: str, name: str, tmp_path: Path) -> None:
    """``new/sub`` was left behind, empty (jsonl, sqlite and markdown): the folders were
    made before the first muscle was checked. Those made are removed; one that was there
    is kept."""
    (tmp_path / "had").mkdir()
    with pytest.raises(converter.MuscleError, match="empty-field"):
        converter.write([converter.Muscle(slug="a", title="")],
                        tmp_path / "had" / "new" / "sub" / name, fmt)
    assert [p.name for p in tmp_path.iterdir()] == ["had"]
    assert list((tmp_path / "had").iterdir()) == []


@pytest.mark.parametrize("bad, shape", [
    (dict(exercises="squat"), "exercises is str, not tuple"),  # (five exercises: s, q, ...)
    (dict(body=None), "body is NoneType, not str"),
    (dict(extra=None), "extra is NoneType, not FrozenMap"),
    (dict(latin=5), "latin is int, not str or NoneType"),
    (dict(regions=(converter.Region(((0, 0), (1,), (2, 2))),)),
     "regions[0] is not a Region of (x, y) points of int or Decimal"),
    # (a list, a dict or a set in extra: accepted, read back as tuples (so read(write(m))
    # != m), and the muscle could not be hashed)
    (dict(extra=converter.FrozenMap({"tags": ["a"]})),
     "extra.tags is list, not tuple (converter.model.freeze makes one)"),
    (dict(extra=converter.FrozenMap({"x": ({"y": ("z", {"a"})},)})),
     "extra.x[0] is dict, not FrozenMap (converter.model.freeze makes one)"),
    (dict(extra=converter.FrozenMap({"x": (converter.FrozenMap({"y": ("z", {"a"})}),)})),
     "extra.x[0].y[1] is set, not tuple (converter.model.freeze makes one)"),
])
def test_write_names_a_field_not_of_the_models_type(bad: dict, shape: str,
                                                    tmp_path: Path) -> None:
    from dataclasses import replace
    muscle = replace(converter.Muscle(slug="m", title="M"), **bad)
    with pytest.raises(TypeError, match=re.escape(f"write(): muscle 'm': {shape}")):
        converter.write([muscle], tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def test_format_names_take_any_case_and_a_near_miss_is_named() -> None:
    assert converter.read(SAMPLES / "soleus.md", "MARKDOWN")
    with pytest.raises(converter.MuscleError) as caught:
        converter.read(SAMPLES, "jsn")
    (d,) = caught.value.diagnostics
    assert str(d).startswith("format: error: unknown format 'jsn' (did you mean json or "
                             "jsonl?); the formats that can be read are anki, csv, json,")
    with pytest.raises(converter.MuscleError) as caught:  # (html writes only)
        converter.read(SAMPLES, format="htm")
    assert caught.value.diagnostics[0].message == (
        "unknown format 'htm'; the formats that can be read are anki, csv, json, jsonl, "
        "markdown, sqlite, svg")
    with pytest.raises(converter.MuscleError) as caught:
        converter.write([], "-", format="htm")
    assert "unknown format 'htm' (did you mean html?); the formats that can be written are " \
        "anki, csv, html," in caught.value.diagnostics[0].message


@pytest.mark.parametrize("output", ["m.json", "-"])
def test_an_unknown_format_is_named_as_the_argument_by_read_and_write_alike(
        tmp_path: Path, sample_muscles, output: str) -> None:
    """read() named the argument, format, and write() the output (m.json, or standard
    output) though its name was not at fault; both name format now, as the command
    line's usage error names --from or --to."""
    said = []
    for call in (lambda: converter.read(SAMPLES, "nope"),
                 lambda: converter.write(sample_muscles, tmp_path / output if output != "-"
                                         else output, "nope")):
        with pytest.raises(converter.MuscleError) as caught:
            call()
        [found] = caught.value.diagnostics
        assert (found.path, found.code, found.stream) == ("format", "unknown-format", False)
        said.append(str(found))
    assert said[0].startswith("format: error: unknown format 'nope'; the formats that can "
                              "be read are ")
    assert said[1].startswith("format: error: unknown format 'nope'; the formats that can "
                              "be written are ")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(converter.MuscleError) as caught:  # (the name is at fault here)
        converter.write(sample_muscles, tmp_path / "m.unknown")
    assert caught.value.diagnostics[0].path == str(tmp_path / "m.unknown")


def test_an_empty_format_is_unknown_as_on_the_command_line(tmp_path: Path,
                                                          sample_muscles) -> None:
    """``format=""`` guessed the format, where ``--from ""`` and ``--to ""`` are
    ``unknown format ''``; None still guesses."""
    with pytest.raises(converter.MuscleError) as caught:
        converter.read(SAMPLES, format="")
    assert [(d.code, d.message) for d in caught.value.diagnostics] == [(
        "unknown-format", "unknown format ''; the formats that can be read are anki, csv, "
        "json, jsonl, markdown, sqlite, svg")]
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, tmp_path / "m.json", "")
    assert [(d.code, d.message) for d in caught.value.diagnostics] == [(
        "unknown-format", "unknown format ''; the formats that can be written are anki, "
        "csv, html, json, jsonl, markdown, sqlite, svg")]
    assert list(tmp_path.iterdir()) == []
    assert converter.read(SAMPLES, format=None) == sample_muscles
    converter.write(sample_muscles, tmp_path / "m.json", None)
    assert converter.read(tmp_path / "m.json") == sample_muscles


@pytest.mark.parametrize("paths", [None, 5, b"samples", [SAMPLES, 7]])
def test_read_names_a_wrong_kind_of_path(paths: object) -> None:
    """None and 5 were "'NoneType' object is not iterable" from deep inside."""
    with pytest.raises(TypeError, match=r"read\(\) takes paths \(str or Path\) or an "
                                        "iterable of them, not"):
        converter.read(paths)  # type: ignore[arg-type]


class _BytesPath(os.PathLike):
    """A path-like object whose path is bytes."""

    def __fspath__(self) -> bytes:
        return b"m.json"


class _NumberPath(os.PathLike):
    """A path-like object whose path is no path at all."""

    def __fspath__(self) -> int:  # type: ignore[override]
        return 5


@pytest.mark.parametrize(("path", "kind"), [
    (_BytesPath(), "_BytesPath, whose __fspath__() gives bytes"),
    (_NumberPath(), "_NumberPath, whose __fspath__() gives int")])
@pytest.mark.parametrize("as_list", [False, True])
def test_read_names_a_path_like_object_that_gives_no_text(path: object, kind: str,
                                                          as_list: bool) -> None:
    """One giving an int was os.fspath's own "expected _NumberPath.__fspath__() to
    return str or bytes, not int", one giving bytes pathlib's "Can't mix strings and
    bytes in path components", from deep inside, naming no argument."""
    with pytest.raises(TypeError) as caught:
        converter.read([path] if as_list else path)  # type: ignore[arg-type]
    assert str(caught.value) == ("read() takes paths (str or Path) or an iterable of them, "
                                 f"not {kind}")


@pytest.mark.parametrize(("path", "kind"), [
    (5, "int"), (None, "NoneType"), (b"m.json", "bytes"),
    (_BytesPath(), "_BytesPath, whose __fspath__() gives bytes"),
    (_NumberPath(), "_NumberPath, whose __fspath__() gives int")])
def test_write_names_a_wrong_kind_of_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          path: object, kind: str) -> None:
    """They were raw TypeErrors from os.fspath and pathlib ("expected str, bytes or
    os.PathLike object, not int"), naming no argument."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError) as caught:
        converter.write([], path, "json")  # type: ignore[arg-type]
    assert str(caught.value) == (f'write() takes path, a str or Path ("-" for standard '
                                 f"output), not {kind}")
    assert list(tmp_path.iterdir()) == []


def test_read_leaves_out_what_exclude_patterns_match(tmp_path: Path) -> None:
    """A site's README.md (no front matter) and _index.md section pages were read."""
    site = tmp_path / "content"
    (site / "node_modules" / "x").mkdir(parents=True)
    shutil.copy(SAMPLES / "soleus.md", site)
    for name in ("README.md", "node_modules/x/README.md"):
        (site / name).write_text("# Read me\n", encoding="utf-8")
    (site / "_index.md").write_text("---\ntitle: Section\n---\n", encoding="utf-8")
    with pytest.raises(converter.MuscleError, match="no-front-matter"), \
            pytest.warns(UserWarning, match=r"1 file left out: .*, a Hugo section page"):
        converter.read(site)
    assert [m.slug for m in converter.read(site, exclude=["README.md", "_*"])] == ["soleus"]
    with pytest.warns(UserWarning, match=r"1 file left out: its format does not take it "):
        assert [m.slug for m in converter.read(site, exclude=("**/README.md",))] == [
            "soleus"]  # (a section page: no muscle)
    with pytest.warns(UserWarning, match=r"\(exclude left out the 4 found, such as "):
        assert converter.read(site, exclude="*.md") == []  # (one pattern)
    assert [m.slug for m in converter.read([site / "_index.md", site],
                                           exclude=["*"])] == ["index"]  # (named: read)
    with pytest.raises(TypeError, match=r"exclude takes patterns .* not int"):
        converter.read(site, exclude=["README.md", 5])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"exclude takes patterns .* not NoneType"):
        converter.read(site, exclude=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("exclude, message", [
    (["README.md", ""], "an empty pattern leaves nothing out"),
    ("[[:alpah:]]", "'[[:alpah:]]' names [:alpah:], which is no character class (git's "
                    "are [:alnum:], "),
    (["[[:alpha:]"], "'[[:alpha:]' is not a pattern that matches a path"),
])
def test_read_with_an_exclude_pattern_that_is_none_is_a_bad_option(
        exclude: object, message: str) -> None:
    """It was a bare ValueError, raised before discovery's diagnostic could be: it is
    the usage error --exclude is on the command line, a bad-option of exclude (as
    write() names its options), before any path is looked at."""
    for paths in (SAMPLES, SAMPLES / "missing.md"):
        with pytest.raises(converter.MuscleError) as exc:
            converter.read(paths, exclude=exclude)  # type: ignore[arg-type]
        (diagnostic,) = exc.value.diagnostics
        assert (diagnostic.path, diagnostic.code) == ("exclude", "bad-option")
        assert diagnostic.message.startswith(message)
        assert str(exc.value).startswith(f"exclude: error: {message}")


def test_write_names_a_wrong_kind_of_muscles_and_a_bad_language(tmp_path: Path,
                                                                sample_muscles) -> None:
    with pytest.raises(TypeError, match="not a path; read the path first"):
        converter.write("samples", tmp_path / "m.json")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes Muscle objects, not str"):
        converter.write(["a"], tmp_path / "m.json")  # type: ignore[list-item]
    for wrong in (None, 5):
        with pytest.raises(TypeError, match=r"takes muscles .* not (NoneType|int)"):
            converter.write(wrong, tmp_path / "m.json")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'english' is not a language code"):
        converter.write(sample_muscles, tmp_path / "md", "markdown", default_lang="english")
    assert list(tmp_path.iterdir()) == []


def test_read_with_a_format_that_cannot_be_read_raises_for_a_folder_too() -> None:
    """A folder read as html gave [] (a file raised cannot-read)."""
    with pytest.raises(converter.MuscleError, match=r"the html format has no reader "
                                                    r"\[cannot-read\]"):
        converter.read(SAMPLES, "html")


def test_read_of_a_folder_with_nothing_to_read_warns(tmp_path: Path) -> None:
    """It returned [] without a word."""
    with pytest.warns(UserWarning, match=r"holds no \.markdown or \.md files to read"):
        assert converter.read(tmp_path) == []


def test_read_warns_of_what_it_did_not_read_but_not_of_lints(tmp_path: Path) -> None:
    """A misspelled column lost the Latin names without a word."""
    import warnings

    sheet = tmp_path / "hand.csv"
    sheet.write_text('"slug","title","latn"\n"a","A","Musculus a"\n', encoding="utf-8")
    with pytest.warns(UserWarning, match=r"latn: column 'latn' is not read \[unknown-column\]"):
        assert [m.latin for m in converter.read(sheet)] == [None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the samples' duplicate texts are validate's
        assert len(converter.read(SAMPLES)) == 15


def test_the_longest_integer_python_writes_is_stored(tmp_path: Path) -> None:
    """Integers of 4,272 to 4,300 digits were refused as too long (a bound from log2 10
    rounded down), though they convert."""
    from converter.safety import too_long_to_write

    for digits in (4271, 4272, 4299, 4300):
        assert not too_long_to_write(int("9" * digits)), digits
        assert not too_long_to_write(-int("9" * digits)), digits
    assert too_long_to_write(10 ** 4300) and too_long_to_write(-(10 ** 4300))
    muscle = converter.Muscle(slug="m", title="M",
                              extra=converter.model.freeze({"n": int("9" * 4300)}))
    converter.write([muscle], tmp_path / "m.json")
    assert converter.model.thaw(converter.read(tmp_path / "m.json")[0].extra) == {
        "n": int("9" * 4300)}


def test_write_to_a_place_it_cannot_write_is_cannot_write(tmp_path: Path,
                                                           sample_muscles) -> None:
    """A raw FileNotFoundError or NotADirectoryError (the command line said
    cannot-write)."""
    (tmp_path / "a-file").write_text("")
    for fmt in ("json", "sqlite", "svg"):
        with pytest.raises(converter.MuscleError, match=r"cannot write here: .*"
                                                        r"\[cannot-write\]"):
            converter.write(sample_muscles, tmp_path / "a-file" / "out", fmt)
    assert sorted(os.listdir(tmp_path)) == ["a-file"]


@pytest.mark.parametrize("ending", [".json", ".jsonl", ".db", ".apkg", ".csv"])
def test_write_to_a_name_too_long_is_cannot_write_with_or_without_the_format(
        tmp_path: Path, sample_muscles, ending: str) -> None:
    """Without format=, a name over 255 bytes let a raw OSError (File name too long) out
    of telling the format from the name; it is the cannot-write given the format says."""
    path = tmp_path / ("x" * 256 + ending)
    with pytest.raises(converter.MuscleError, match=r"File name too long.*\[cannot-write\]"):
        converter.write(sample_muscles, path, flat=True) if ending == ".csv" else (
            converter.write(sample_muscles, path))
    assert os.listdir(tmp_path) == []


def test_the_public_names_are_listed_typed_and_importable() -> None:
    """FrozenMap (an extra built by hand needs it) was not public; dir() missed the
    classes imported on first use; type checkers ignored the annotations."""
    import converter.model

    assert converter.FrozenMap is converter.model.FrozenMap
    assert set(converter.__all__) <= set(dir(converter))
    for name in converter.__all__:
        assert getattr(converter, name) is not None
    for package in ("converter", "formats"):
        assert (ROOT / package / "py.typed").is_file()


def _public_functions() -> list[tuple[str, object]]:
    """The package's public functions and those of the submodules README documents,
    their classes' methods included, by name."""
    import importlib
    import inspect

    found: list[tuple[str, object]] = [
        (name, getattr(converter, name)) for name in converter.__all__
        if inspect.isfunction(getattr(converter, name))]
    for module in sorted(converter._SUBMODULES):
        loaded = importlib.import_module(f"converter.{module}")
        for name, item in vars(loaded).items():
            if name.startswith("_") or getattr(item, "__module__", None) != loaded.__name__:
                continue
            if inspect.isfunction(item):
                found.append((f"{module}.{name}", item))
            elif inspect.isclass(item):
                found += [(f"{module}.{name}.{method}", call)
                          for method, call in vars(item).items() if inspect.isfunction(call)]
    return found


def test_every_public_functions_type_hints_resolve() -> None:
    """typing.get_type_hints(converter.read) (and write) was a NameError: Muscle was
    imported only for type checkers, and a module's __getattr__ is not consulted there."""
    import collections.abc
    import typing

    functions = _public_functions()
    assert {"read", "write", "bodymap.map_svg"} <= {name for name, _ in functions}
    for name, function in functions:
        assert isinstance(typing.get_type_hints(function), dict), name
    assert typing.get_type_hints(converter.read)["return"] == list[converter.Muscle]
    assert typing.get_type_hints(converter.write)["muscles"] == (
        collections.abc.Iterable[converter.Muscle])


#: The submodules README names (``converter.model.freeze``), not the package's functions.
_DOCUMENTED = sorted({name for name in re.findall(
    r"converter\.([a-z_]+)", (ROOT / "README.md").read_text(encoding="utf-8"))
    if (ROOT / "converter" / f"{name}.py").is_file()})
_FRESH = """
import sys, converter
loaded = sorted(m for m in sys.modules if m.startswith(("converter.", "formats")))
print(loaded, converter.model.freeze({"a": 1}), callable(converter.bodymap.map_svg))
print(all(getattr(converter, name) is sys.modules["converter." + name]
          for name in sys.argv[1:]), set(sys.argv[1:]) <= set(dir(converter)))
try:
    converter.nothing
except AttributeError as exc:
    print(exc)
"""


def test_the_documented_submodules_are_the_packages_attributes_in_a_fresh_program() -> None:
    """``import converter; converter.model.freeze({...})`` was an AttributeError (model)
    unless something had imported the submodule; so was converter.bodymap.map_svg,
    which README tells users to call. They are imported on first use, none by
    ``import converter`` (the command line's start)."""
    assert {"model", "bodymap", "registry"} <= set(_DOCUMENTED)
    ran = subprocess.run([sys.executable, "-c", _FRESH, *_DOCUMENTED], cwd=ROOT,
                         capture_output=True, text=True, check=False, timeout=WAIT)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == [
        "[] FrozenMap({'a': 1}) True", "True True",
        "module 'converter' has no attribute 'nothing'"]


def test_read_takes_max_bytes_as_the_command_line_takes_max_bytes(tmp_path: Path) -> None:
    """write() wrote a Markdown file over 4 MiB without a word that read() then refused
    (file-too-large, naming --max-bytes), and read(..., max_bytes=...) was a TypeError.
    The writer warns of such a file, saying how to read it, and read() takes the limit."""
    big = converter.Muscle(slug="big", title="Big", body="x" * 5 * 1024 * 1024)
    with pytest.warns(UserWarning) as warned:
        converter.write([big], tmp_path / "md", "markdown")
    size = (tmp_path / "md" / "big.md").stat().st_size
    assert [str(w.message) for w in warned] == [
        f"{tmp_path / 'md' / 'big.md'}: warning: is {size} bytes, over the limit of "
        f"4194304 that reading takes by default: read it back with max_bytes={size} "
        "[file-too-large]"]
    for limit in ({}, {"max_bytes": size - 1}):
        with pytest.raises(converter.MuscleError) as caught:
            converter.read(tmp_path / "md", **limit)
        assert str(caught.value).endswith(  # (the argument's name, not --max-bytes)
            f"is {size} bytes, over the limit of {limit.get('max_bytes', 4194304)} "
            "(read()'s max_bytes) [file-too-large]")
    assert converter.read(tmp_path / "md", max_bytes=size) == [big]
    for wrong, kind in ((0, ValueError), (True, TypeError), ("9", TypeError),
                        (2.5, TypeError)):
        with pytest.raises(kind, match="max_bytes"):
            converter.read(tmp_path / "md", max_bytes=wrong)


def test_a_markdown_file_within_the_limit_is_written_without_a_warning(
        tmp_path: Path, sample_muscles) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        converter.write(sample_muscles, tmp_path / "md", "markdown")


def test_reads_problems_are_in_validates_order(tmp_path: Path) -> None:
    """MuscleError.diagnostics of read() came as found, a lint's error after the
    reader's (a.md:2, a.md:6, a.md:5, a.md:3), where validate sorts them."""
    (tmp_path / "a.md").write_text('---\ntitle: ""\nimage: "javascript:alert(1)"\n'
                                   'coords:\n  - "0,0,0,0,0,0"\nexercises: squat\n---\n',
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\nexercises: 5\n---\n", encoding="utf-8")
    with pytest.raises(converter.MuscleError) as caught:
        converter.read(tmp_path)
    found = [(Path(d.path).name, d.line, d.code) for d in caught.value.diagnostics]
    assert found == [("a.md", 2, "empty-field"), ("a.md", 3, "unsafe-link"),
                     ("a.md", 5, "polygon-zero-area"), ("a.md", 6, "wrong-type"),
                     ("b.md", 3, "wrong-type")]
    from converter.diagnostics import in_order
    from converter.run import validate_sources

    validated = validate_sources([tmp_path], jobs=1).diagnostics
    assert [str(d) for d in caught.value.diagnostics] == [
        str(d) for d in in_order(validated) if d.severity == "error"]


_CLOSED_STDOUT = """
import sys, converter
try:
    converter.write(converter.read("samples/soleus.md"), sys.argv[1], "json")
except converter.MuscleError as exc:
    print(exc, file=sys.stderr)
"""


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_write_to_a_closed_standard_output_says_it_is_closed(name: str) -> None:
    """write(ms, "-", "json") in a program started with >&- (sys.stdout is None) said
    "the json writer failed: AttributeError: 'NoneType' object has no attribute 'flush'
    [writer-failed]"; it says what the command line says. write(ms, "/dev/stdout",
    "json") with stdout closed was not refused as "-" is."""
    ran = subprocess.run(["sh", "-c", 'exec "$0" -c "$1" "$2" >&-', sys.executable,
                          _CLOSED_STDOUT, name], cwd=ROOT, capture_output=True,
                         text=True, check=False, timeout=WAIT)
    assert ran.stderr == "standard output: error: is closed; give a file name " \
                         "[cannot-write]\n"


def test_what_write_says_of_standard_output_names_it_so(
        sample_muscles, capfdbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """write() named standard output ``-`` (or ``/dev/stdout``, as given) in what it
    said of it: a muscle refused (too-large, a slug twice), a format it cannot tell or
    that cannot write there, a writer's warning. Each says standard output."""
    from converter.model import Function, LocalizedText

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    danish = Function(LocalizedText.of({"da": "s"}), LocalizedText.of({}))
    large = converter.Muscle(slug="a", title="A", functions=(danish,) * 25_000)
    soleus = next(m for m in sample_muscles if m.slug == "soleus")
    for muscles, output, fmt, said in [
            ([large], "-", "json", "error: muscles[a]: 125005 values; front matter holds at "
             "most 100000 (the Markdown reader's limit) [too-large]"),
            ([soleus, soleus], "/dev/stdout", "jsonl",
             "error: slug 'soleus' occurs twice [duplicate-slug]"),
            ([soleus], "-", None, "error: cannot tell the format from the name; pass "
             "format= [unknown-format]"),
            ([soleus], "/dev/stdout", "sqlite", "error: format='sqlite' cannot write into "
             "standard output, a device or a FIFO; give a file name [output-not-file]"),
            ([soleus], "/dev/fd/1", "csv", "error: format='csv' writes a directory, which "
             "standard output cannot take; give a directory name [output-not-directory]")]:
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(muscles, output, fmt)
        assert [str(d) for d in caught.value.diagnostics] == [f"standard output: {said}"]
    with pytest.warns(UserWarning) as warned:
        converter.write([soleus], "-", "anki")
    assert [str(w.message) for w in warned] == [
        "standard output: warning: 1 note without a source file time: time 0, so "
        "re-importing will not update it in Anki; set SOURCE_DATE_EPOCH [no-source-time]"]
    assert capfdbinary.readouterr().out.startswith(b"PK")


_INTO_A_GONE_READER = """
import sys, warnings, converter
from converter import atomic
warnings.simplefilter("always")
muscles = converter.read("samples/soleus.md")
for n in range(2):
    with warnings.catch_warnings(record=True) as caught:
        converter.write(muscles, "-", "jsonl")
    print(n, [str(w.message) for w in caught], sorted(atomic._LEFT), file=sys.stderr)
"""


def test_write_into_a_reader_of_stdout_that_stopped_says_so_each_time() -> None:
    """write(ms, "-") into a pipe whose reader stopped said nothing, and left "-" marked
    as stopped; a second write went into the null device put in its place without a
    word. Each says output-closed, as the command line does, and leaves no mark."""
    ran = run_into_a_gone_reader([sys.executable, "-c", _INTO_A_GONE_READER], cwd=ROOT)
    said = ("['standard output: warning: its reader stopped reading before the end; the "
            "rest of the output was dropped [output-closed]'] []")
    assert (ran.returncode, ran.stderr) == (0, f"0 {said}\n1 {said}\n")


_THEN_BY_ITS_NAMES = """
import sys, warnings, converter
warnings.simplefilter("always")
muscles = converter.read("samples/soleus.md")
for path in ("-", "/dev/stdout", "/dev/fd/1"):
    with warnings.catch_warnings(record=True) as caught:
        converter.write(muscles, path, "jsonl")
    print(path, [str(w.message) for w in caught], file=sys.stderr)
"""


def test_a_name_of_stdout_after_its_reader_stopped_says_so() -> None:
    """write(ms, "-") into a reader that stopped points standard output at the null
    device; a later write(ms, "/dev/stdout") went there without a word. It says
    output-closed as the write to "-" does."""
    ran = run_into_a_gone_reader([sys.executable, "-c", _THEN_BY_ITS_NAMES], cwd=ROOT)
    said = ("warning: its reader stopped reading before the end; the rest of the output "
            "was dropped [output-closed]")
    assert (ran.returncode, ran.stderr.splitlines()) == (0, [
        f"{path} ['standard output: {said}']" for path in ("-", "/dev/stdout", "/dev/fd/1")])


def test_a_name_of_stdout_read_to_the_end_says_nothing() -> None:
    """/dev/stdout after a write to "-" that was read whole is no output-closed."""
    ran = subprocess.run([sys.executable, "-c", _THEN_BY_ITS_NAMES], cwd=ROOT,
                         capture_output=True, text=True, check=False, timeout=WAIT)
    assert (ran.returncode, ran.stderr.splitlines()) == (0, [
        "- []", "/dev/stdout []", "/dev/fd/1 []"])
    assert ran.stdout.count("\n") == 3


def test_write_to_stdout_forgets_a_mark_an_earlier_write_left(
        sample_muscles, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """A write into standard output whose reader stopped, one that then failed, left "-"
    marked: the next write to it said output-closed of a reader still reading."""
    from converter import atomic

    atomic._LEFT.add("-")  # (as a write cut short by an error after its reader left)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        converter.write(sample_muscles[:1], "-", "jsonl")
    assert [str(w.message) for w in caught] == []
    assert capfdbinary.readouterr().out.count(b"\n") == 1
    assert "-" not in atomic._LEFT


def test_a_muscle_too_large_to_write_is_named_by_its_record(tmp_path: Path) -> None:
    """write() named the field of a muscle too large as a whole `muscles[a].` (a stray
    dot); it is `muscles[a]`, as a reader names such a record (`muscles[0]`)."""
    muscle = converter.Muscle(slug="a", title="A", extra=converter.model.freeze(
        {"k": list(range(100_001))}))
    with pytest.raises(converter.MuscleError) as caught:
        converter.write([muscle], tmp_path / "m.json", "json")
    assert [(d.field, d.code) for d in caught.value.diagnostics] == [
        ("muscles[a]", "too-large")]


def test_each_extra_key_named_like_a_field_is_named(tmp_path: Path) -> None:
    muscle = converter.Muscle(slug="m", title="M", extra=converter.model.freeze(
        {"title": "X", "ok": 1, "coords": ["0,0,9,0,0,9"]}))
    with pytest.raises(converter.MuscleError) as caught:
        converter.write([muscle], tmp_path / "out", "markdown")
    assert [(d.field, d.code) for d in caught.value.diagnostics] == [
        ("muscles[m].extra.coords", "reserved-key"), ("muscles[m].extra.title", "reserved-key")]


def test_an_extra_key_named_like_a_field_hides_no_other_problem(tmp_path: Path) -> None:
    muscle = converter.Muscle(slug="m", title=" ", extra=converter.model.freeze(
        {"title": "X", "<<": 1}))
    with pytest.raises(converter.MuscleError) as caught:
        converter.write([muscle], tmp_path / "out.json", "json")
    assert sorted((d.field, d.code) for d in caught.value.diagnostics) == [
        ("muscles[m].extra.<<", "reserved-key"), ("muscles[m].extra.title", "reserved-key"),
        ("muscles[m].title", "empty-field")]


@pytest.mark.parametrize(("output", "options", "wrong"), [
    ("m.db", {"prune": "false"}, "'prune' takes True or False, not str ('false')"),
    ("m.csv", {"flat": "false", "excel": "no"}, "'flat' takes True or False, not str"),
    ("m.csv", {"flat": True, "excel": 1}, "'excel' takes True or False, not int (1)"),
    ("m.csv", {"flat": True, "separator": 59}, "'separator' takes str, not int (59)"),
    ("map", {"size": (100, 100)}, "'size' takes str, not tuple ((100, 100))"),
    ("deck.apkg", {"deck": True}, "'deck' takes str, not bool (True)"),
])
def test_write_refuses_an_option_of_the_wrong_type(output: str, options: dict, wrong: str,
                                                   tmp_path: Path, sample_muscles) -> None:
    fmt = "svg" if output == "map" else None
    with pytest.raises(TypeError, match=re.escape(wrong)):
        converter.write(sample_muscles, tmp_path / output, fmt, **options)
    assert list(tmp_path.iterdir()) == []


def test_a_flag_given_false_or_none_is_off(tmp_path: Path, sample_muscles) -> None:
    converter.write(sample_muscles, tmp_path / "m.db")
    converter.write(sample_muscles[:1], tmp_path / "m.db", prune=False)
    assert len(converter.read(tmp_path / "m.db")) == len(sample_muscles)
    converter.write(sample_muscles, tmp_path / "m.csv", "csv", flat=True, excel=None)
    assert not (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_write_refuses_polygons_outside_the_size_as_convert_does(fmt: str, tmp_path: Path,
                                                                 sample_muscles) -> None:
    with pytest.raises(converter.MuscleError,
                       match=r"regions\[0\]: point \(\d+,\d+\) lies outside the 100x100 "
                             r"diagram \[polygon-outside\]"):
        converter.write(sample_muscles, tmp_path / "small", fmt, size="100x100")
    assert not (tmp_path / "small").exists()
    with pytest.raises(converter.MuscleError, match="bad-size"):
        converter.write(sample_muscles, tmp_path / "bad", fmt, size="100 by 100")
    assert not (tmp_path / "bad").exists()
    converter.write(sample_muscles, tmp_path / "big", fmt, size="5000x5000")
    assert (tmp_path / "big").is_dir()


@pytest.mark.parametrize(("fmt", "options"), [("jsonl", {}), ("json", {}),
                                              ("csv", {"flat": True})])
def test_write_to_standard_output_writes_nothing_of_a_refused_muscle(
        fmt: str, options: dict, sample_muscles, tmp_path: Path,
        capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """JSON Lines wrote every record before a slug given twice, or a muscle refused, at
    the end: standard output has no temporary to drop. Every muscle is checked before
    the first byte goes there; json and a flat csv wrote nothing already."""
    for last, code in [(sample_muscles[0], "duplicate-slug"),
                       (converter.Muscle(slug="z", title=""), "empty-field")]:
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(iter([*sample_muscles, last]), "-", fmt, **options)
        assert [d.code for d in caught.value.diagnostics] == [code]
        assert capfdbinary.readouterr().out == b""
    converter.write(iter(sample_muscles), "-", fmt, **options)
    converter.write(iter(sample_muscles), tmp_path / "file", fmt, **options)
    assert capfdbinary.readouterr().out == (tmp_path / "file").read_bytes()


@pytest.mark.parametrize(("fmt", "options"), [
    ("json", {}), ("jsonl", {}), ("csv", {"flat": True}), ("csv", {"flat": True, "excel": True}),
])
def test_write_to_standard_output_replaced_by_a_text_stream(fmt: str, options: dict,
                                                           tmp_path: Path,
                                                           sample_muscles) -> None:
    out = io.StringIO()  # (as contextlib.redirect_stdout, pytest's capture or Jupyter)
    with contextlib.redirect_stdout(out):
        converter.write(sample_muscles, "-", fmt, **options)
    converter.write(sample_muscles, tmp_path / "file", fmt, **options)
    assert out.getvalue().encode() == (tmp_path / "file").read_bytes()


def test_write_of_bytes_to_a_text_stream_is_output_not_file(sample_muscles) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(
            converter.MuscleError, match=r"standard output: error: is a text stream here "
                                         r"\(StringIO, with no binary buffer\).*"
                                         r"\[output-not-file\]"):
        converter.write(sample_muscles, "-", "anki")
    assert out.getvalue() == ""


def test_threads_writing_markdown_at_once_write_what_one_thread_writes(
        tmp_path: Path, sample_muscles) -> None:
    def muscles(n: int) -> list[converter.Muscle]:
        return [replace(m, slug=f"{m.slug}-{n}") for m in sample_muscles[n::2]]

    def files(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in folder.iterdir()}

    def work(n: int) -> dict[str, bytes]:
        for round_ in range(3):
            converter.write(muscles(n), tmp_path / f"thread{n}-{round_}", "markdown")
        return files(tmp_path / f"thread{n}-2")

    written = in_threads(work, 4)
    for n, got in enumerate(written):
        converter.write(muscles(n), tmp_path / f"alone{n}", "markdown")
        assert got == files(tmp_path / f"alone{n}")


@pytest.mark.parametrize("drafts", ["false", 0, None])
def test_read_drafts_takes_a_bool(drafts: object) -> None:
    """``read(..., drafts="false")`` gave the drafts ("false" is true to Python), as
    ``write(..., prune="false")`` pruned before it was refused."""
    with pytest.raises(TypeError, match=re.escape(
            f"read()'s drafts takes True or False, not {type(drafts).__name__} "
            f"({drafts!r})")):
        converter.read(SAMPLES, drafts=drafts)  # type: ignore[arg-type]


#: Decimals a caller may put in ``extra``: a float holds some, others no float holds.
DECIMALS = ["0.1", "0.10", "12345678901234567890.5", "1E-400", "5", "-0", "-1.5E+3",
            "0.10000000000000000001"]
#: Where a muscle goes in each lossless format.
_LOSSLESS = {"json": "m.json", "jsonl": "m.jsonl", "sqlite": "m.db", "csv": "csv",
             "markdown": "md"}


@pytest.mark.parametrize("fmt", _LOSSLESS)
def test_a_decimal_in_extra_is_written_exactly(tmp_path: Path, fmt: str) -> None:
    """``extra={"x": Decimal("0.1")}`` was refused by every writer ("a Decimal cannot be
    stored in extra"): it is a number as exact as an ExactNumber."""
    given = [Decimal(text) for text in DECIMALS]
    muscle = converter.Muscle(slug="m", title="M", extra=converter.model.freeze(
        {"x": given[0], "all": given}))
    converter.write([muscle, replace(muscle, slug="n")], tmp_path / _LOSSLESS[fmt], fmt)
    (back, _) = converter.read(tmp_path / _LOSSLESS[fmt])
    read = [back.extra["x"], *back.extra["all"]]
    assert [_exact(n) for n in read] == [given[0], *given]
    assert [_exact(n).is_signed() for n in read[1:]] == [n.is_signed() for n in given]
    assert all(isinstance(n, float | Decimal) for n in read)  # (no integer: 5 is 5.0)


def _exact(value: object) -> Decimal:
    """The exact value of a number read (a float: as Python writes it)."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))  # type: ignore[arg-type]


def cli_output(*args: str) -> str:
    """What ``muscle-convert *args`` prints, run in this process."""
    from click.testing import CliRunner

    from converter.cli import cli
    return CliRunner().invoke(cli, list(args), catch_exceptions=False).output


def api_message(muscles: list[converter.Muscle], output: str, fmt: str | None,
                **options: object) -> str:
    """The one diagnostic of ``write()``'s refusal, as its text says it."""
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(muscles, output, fmt, **options)
    (diagnostic,) = caught.value.diagnostics
    return str(diagnostic)


@pytest.mark.parametrize("output, fmt, api, cli", [
    ("m.csv", "csv", "give a directory name (or pass flat=True for one file)",
     "give a directory name (or pass --flat for one file)"),
    ("m.jsonl", "json", "and format='json' writes .json files; rename it (or use "
     "format='jsonl')", "and --to json writes .json files; rename it (or use --to jsonl)"),
    ("m.csv", "json", "rename it (or use format='csv', flat=True)",
     "rename it (or use --to csv --flat)"),
    ("new/", "json", "new/ names a directory, and format='json' writes one file",
     "new/ names a directory, and --to json writes one file"),
    ("-", "sqlite", "format='sqlite' cannot write into standard output",
     "--to sqlite cannot write into standard output"),
    ("-", "csv", "format='csv' writes a directory, which standard output cannot take",
     "--to csv writes a directory, which standard output cannot take"),
    ("map.svg", "svg", "format='svg' writes a directory, and map.svg is named like",
     "--to svg writes a directory, and map.svg is named like"),
])
def test_an_output_mistake_names_options_as_the_caller_gives_them(
        output: str, fmt: str, api: str, cli: str,
        tmp_path: Path, sample_muscles, monkeypatch: pytest.MonkeyPatch) -> None:
    """write(muscles, "m.csv", "csv") said "(or pass --flat for one file)", and
    write(muscles, "m.jsonl", "json") "(or use --to jsonl)": flags the Python API has
    none of. The API names its keywords (flat=True, format='jsonl'); the command line
    says what it said."""
    monkeypatch.chdir(tmp_path)
    said = api_message(sample_muscles, output, fmt)
    assert api in said and "--" not in said
    assert cli in cli_output("convert", str(SAMPLES), "--to", fmt, "-o", output)


@pytest.mark.parametrize("output, said", [
    ("m.csv", "m.csv: error: m.csv names the csv format by its ending, which writes a "
     "directory unless flat=True; pass flat=True for one file, or pass format='csv' with a "
     "directory name [output-not-directory]"),
    ("map.svg", "map.svg: error: map.svg names the svg format by its ending, which writes "
     "a directory; pass format='svg' with a directory name [output-not-directory]"),
    ("index.html", "index.html: error: index.html names the html format by its ending, "
     "which writes a directory; pass format='html' with a directory name "
     "[output-not-directory]"),
])
def test_a_format_told_from_the_output_s_ending_is_said_so(
        output: str, said: str, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """write(muscles, "m.csv") said "format='csv' writes a directory", a format= the
    caller never passed. Each way out the message offers works."""
    monkeypatch.chdir(tmp_path)
    assert api_message(sample_muscles, output, None) == said
    fmt = said.split("format='")[1].split("'")[0]
    if "flat=True" in said:
        converter.write(sample_muscles, output, flat=True)
        assert len(converter.read(output)) == len(sample_muscles)
    converter.write(sample_muscles, "folder", fmt)
    assert (tmp_path / "folder").is_dir()


@pytest.mark.parametrize("fmt, options, api, cli", [
    ("anki", {"deck": "a::"}, "deck: error: deck name 'a::' has an empty part",
     "--deck: deck name 'a::' has an empty part"),
    ("anki", {"deck": "a\x01"}, "deck: error: deck name 'a\\x01' holds a control",
     "--deck: deck name 'a\\x01' holds a control"),
    ("anki", {"lang": "?"}, "lang: error: '?' is not a language code",
     "--lang: '?' is not a language code"),
    ("svg", {"size": "big"}, "size: error: size must look like 1000x800",
     "--size: size must look like 1000x800"),
    ("html", {"size": "big"}, "size: error: size must look like 1000x800",
     "--size: size must look like 1000x800"),
    ("svg", {"base_image": "b.png"}, "base_image: error: needs size='WxH', the diagram's",
     "--base-image: needs --size WxH, the diagram's"),
    ("svg", {"lang": "$$"}, "lang: error: '$$' is not a language tag",
     "--lang: '$$' is not a language tag"),
    ("html", {"link_template": "javascript:{slug}"},
     "link_template: error: 'javascript:{slug}' makes links that are not relative",
     "--link-template: 'javascript:{slug}' makes links that are not relative"),
    ("svg", {"size": "10x10", "base_image": "javascript:x"},
     "base_image: error: 'javascript:x' is neither a file here",
     "--base-image: 'javascript:x' is neither a file here"),
])
def test_an_option_refused_is_named_as_the_caller_gives_it(
        fmt: str, options: dict[str, str], api: str, cli: str, tmp_path: Path,
        sample_muscles) -> None:
    """write(..., "anki", deck="a::") was refused as "--deck: ...", write(..., "svg",
    base_image=...) as "needs --size WxH": flags write() has none of. write() names its
    keywords; convert says what it said."""
    out = str(tmp_path / ("x.apkg" if fmt == "anki" else "out"))
    assert api_message(sample_muscles, out, fmt, **options).startswith(api)
    flags = [word for name, value in options.items()
             for word in (f"--{name.replace('_', '-')}", value)]
    assert cli in cli_output("convert", str(SAMPLES), "--to", fmt, *flags, "-o", out)


@pytest.mark.parametrize("fmt, options, api, cli", [
    ("svg", {"lang": "xx"}, "lang: the map's own texts", "--lang: the map's own texts"),
    ("html", {"link_template": "x.html"},
     "link_template: link_template='x.html' has no {slug}",
     "--link-template: --link-template 'x.html' has no {slug}"),
    ("svg", {"size": "1000x1000", "base_image": "nope.png"},
     "base_image: base_image='nope.png' is no file here",
     "--base-image: --base-image 'nope.png' is no file here"),
    ("html", {"link_template": "index.html"},
     "links to index.html, the map's page itself; give it another slug or link_template",
     "links to index.html, the map's page itself; give it another slug or --link-template"),
])
def test_a_writers_warning_names_an_option_as_the_caller_gives_it(
        fmt: str, options: dict[str, str], api: str, cli: str, tmp_path: Path,
        sample_muscles) -> None:
    """write(..., "svg", lang="xx") warned "--lang: ...", and an html map whose muscle
    links to the page itself "give it another slug or --link-template". write() warns
    naming its keywords; convert says what it said."""
    with pytest.warns(UserWarning) as warned:
        converter.write(sample_muscles, tmp_path / "api", fmt, **options)
    assert [str(w.message) for w in warned if api in str(w.message)]
    assert not [str(w.message) for w in warned if " --" in str(w.message)]
    flags = [word for name, value in options.items()
             for word in (f"--{name.replace('_', '-')}", value)]
    assert cli in cli_output("convert", str(SAMPLES), "--to", fmt, *flags, "-o",
                             str(tmp_path / "cli"), "--no-cache")


def read_warnings(*args: object, **kwargs: object) -> list[str]:
    """The warnings of ``read(*args, **kwargs)``."""
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        converter.read(*args, **kwargs)  # type: ignore[arg-type]
    return [str(w.message) for w in warned]


def test_reads_hints_name_format_and_exclude_as_read_takes_them(
        tmp_path: Path, sample_muscles) -> None:
    """read() of a folder of other files said "or pass --from json", of a map folder
    read as json "read it without --from, or --from svg", of a folder whose files
    exclude= left out "(--exclude left out left/a.md)", and of a file of no known ending
    "use --from": flags read() has none of. read() names its own arguments (format,
    exclude); convert and validate say what they said."""
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "m.json").touch()
    converter.write(sample_muscles[:1], tmp_path / "map", "svg")
    (tmp_path / "left").mkdir()
    shutil.copy(SAMPLES / "soleus.md", tmp_path / "left" / "a.md")
    (tmp_path / "x.txt").touch()
    cases = [
        ((tmp_path / "other",), {}, (), "name it, or pass format='json')",
         "name it, or pass --from json)"),
        ((tmp_path / "map", "json"), {}, ("--from", "json"),
         "(it is a svg folder: read it without format, or format='svg')",
         "(it is a svg folder: read it without --from, or --from svg)"),
        ((tmp_path / "left",), {"exclude": "a.md"}, ("--exclude", "a.md"),
         "(exclude left out ", "(--exclude left out ")]
    for args, kwargs, flags, api, cli in cases:
        assert [w for w in read_warnings(*args, **kwargs) if api in w], api
        assert cli in cli_output("validate", str(args[0]), *flags, "--no-cache")
    with pytest.raises(converter.MuscleError) as caught:
        converter.read(tmp_path / "x.txt")
    assert str(caught.value).endswith("cannot tell the format from the name; use format= "
                                      "[unknown-format]")
    assert "cannot tell the format from the name; use --from" in cli_output(
        "validate", str(tmp_path / "x.txt"), "--no-cache")


def test_a_message_about_a_huge_int_given_to_read_or_write_is_made(
        tmp_path: Path, sample_muscles) -> None:
    """An int of more digits than str() takes (4300) given as read()'s max_bytes,
    default_lang or drafts, or as a writer's option of another type, raised "ValueError:
    Exceeds the limit (4300 digits) for integer string conversion" from the repr that
    built the message about it; the message says the value's size instead."""
    huge = 10**5000
    with pytest.raises(ValueError, match=r"max_bytes takes 1 or more bytes, not a negative "
                       r"integer of 5001 digits$"):
        converter.read(SAMPLES, max_bytes=-huge)
    with pytest.raises(ValueError, match=r"^an integer of 5001 digits is not a language code"):
        converter.read(SAMPLES, default_lang=huge)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"drafts takes True or False, not int \(an integer "
                       r"of 5001 digits\)$"):
        converter.read(SAMPLES, drafts=huge)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"option 'deck' takes str, not int \(an integer of "
                       r"5001 digits\)$"):
        converter.write(sample_muscles, tmp_path / "a.apkg", "anki", deck=huge)
    assert not (tmp_path / "a.apkg").exists()


def test_read_refuses_an_open_file_as_write_does(tmp_path: Path) -> None:
    """An open file is iterable, of its lines: read(open("soleus.md")) took each line
    for a path and said a not-found for each (21 of them). It is a TypeError naming
    it, as write() says of one; a path holding a line break is still a path."""
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(SAMPLES / "soleus.md", encoding="utf-8")),
                 stack.enter_context(open(SAMPLES / "soleus.md", "rb")),
                 io.StringIO(f"{SAMPLES / 'soleus.md'}\n")]
        for file in files:
            with pytest.raises(TypeError) as caught:
                converter.read(file)  # type: ignore[arg-type]
            assert str(caught.value) == ("read() takes paths (str or Path) or an iterable "
                                         f"of them, not {type(file).__name__}")
            with pytest.raises(TypeError) as caught:
                converter.write([], file, "json")  # type: ignore[arg-type]
            assert str(caught.value) == ('write() takes path, a str or Path ("-" for '
                                         f"standard output), not {type(file).__name__}")
    folder = tmp_path / "two\nlines"
    folder.mkdir()
    shutil.copy(SAMPLES / "soleus.md", folder)
    assert [m.slug for m in converter.read(str(folder))] == ["soleus"]


def mypy_strict(tmp_path: Path, program: str) -> list[str]:
    """What ``mypy --strict`` says of ``program``, a user's program of the API, each
    line (no summary): the package is found in the repository (MYPYPATH: an editable
    install's import hook hides it from mypy), and what mypy would say of the package's
    own code is left unsaid (``--follow-imports=silent``): its types are the user's."""
    (tmp_path / "user.py").write_text(textwrap.dedent(program), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--no-error-summary", "--hide-error-context", "--no-pretty",
         "--cache-dir", str(tmp_path / "mypy-cache"), "user.py"],
        cwd=tmp_path, env={**os.environ, "MYPYPATH": str(ROOT)}, capture_output=True,
        text=True, check=False, timeout=WAIT)
    assert done.stderr == ""
    assert done.returncode in (0, 1), done.stdout
    return done.stdout.splitlines()


def test_read_and_write_are_typed_to_take_any_path_like_object(tmp_path: Path) -> None:
    """read(paths: str | Path | Iterable[str | Path]) and write(path: str | Path) took
    every os.PathLike[str] when run, but a type checker refused any other than Path
    (Argument 1 to "read" has incompatible type "Where"); they are typed as they run:
    str | os.PathLike[str]."""
    assert mypy_strict(tmp_path, """\
        import os
        from pathlib import Path

        import converter


        class Where(os.PathLike[str]):
            def __fspath__(self) -> str:
                return "samples"


        muscles = converter.read(Where())
        muscles += converter.read([Where(), "samples", Path("samples")], exclude="x")
        converter.write(muscles, Where(), "json")
        converter.write(muscles, Path("m.json"))
        """) == []


def test_a_type_checker_knows_the_packages_names_alone(tmp_path: Path) -> None:
    """converter/__init__.py's module __getattr__ (which imports the API on first use)
    was seen by type checkers, so any name of the package was an Any to them:
    converter.raed("samples") and except converter.MuscelError passed mypy --strict.
    Only the names the package declares to them (the API, the documented submodules)
    are its attributes now; those still are."""
    said = mypy_strict(tmp_path, """\
        import converter

        try:
            muscles = converter.read("samples")
        except converter.MuscleError as exc:
            print(exc.diagnostics)
        extra: converter.FrozenMap = converter.model.freeze({"a": 1})
        print(converter.api.read, converter.bodymap, converter.registry, converter.authoring,
              converter.plugins, converter.diagnostics, converter.__version__, extra)
        try:
            converter.raed("samples")
        except converter.MuscelError:
            pass
        """)
    assert [re.sub(r'; maybe "\w+"\?', "", line) for line in said] == [  # (mypy's guess)
        'user.py:11: error: Module has no attribute "raed"  [attr-defined]',
        'user.py:12: error: Module has no attribute "MuscelError"  [attr-defined]']


def test_localized_texts_are_typed_as_text(tmp_path: Path) -> None:
    """LocalizedText was a FrozenMap, a Mapping[str, Any] whose items(), keys() and
    values() were typed -> Any, so its texts were an Any to a type checker: def
    origin_en(m: Muscle) -> str: return m.origin["en"] failed mypy --strict
    (no-any-return), and a text taken for an int passed. It is a Mapping[str, str]
    now (FrozenMap[str]; a FrozenMap alone, as extra is, still holds any value)."""
    said = mypy_strict(tmp_path, """\
        from collections.abc import Mapping

        import converter
        from converter import FrozenMap, LocalizedText, Muscle


        def origin_en(m: Muscle) -> str:
            return m.origin["en"]


        def texts(m: Muscle) -> list[str]:
            by_language: Mapping[str, str] = m.insertion
            return [*(text for _, text in m.origin.items()), *m.origin.values(),
                    *(code.upper() for code in m.origin.keys()), m.origin.get("da", ""),
                    *by_language.values(), *m.functions[0].short.values()]


        def extra(m: Muscle, keys: FrozenMap) -> object:
            return m.extra.get("x"), keys["y"]


        muscle = converter.read("samples")[0]
        print(origin_en(muscle), texts(muscle), extra(muscle, converter.model.freeze({})),
              LocalizedText({"en": "Heel"}).pick("da"))
        number: int = muscle.origin["en"]
        numbers: list[int] = list(muscle.origin.values())
        pairs: list[tuple[str, int]] = list(muscle.origin.items())
        """)
    assert [line.partition("  [")[0] for line in said] == [
        'user.py:25: error: Incompatible types in assignment (expression has type "str", '
        'variable has type "int")',
        'user.py:26: error: Argument 1 to "list" has incompatible type "ValuesView[str]"; '
        'expected "Iterable[int]"',
        'user.py:27: error: Argument 1 to "list" has incompatible type '
        '"ItemsView[str, str]"; expected "Iterable[tuple[str, int]]"']
