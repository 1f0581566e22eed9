"""Formats found through entry points, named in any case, told when unknown."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter import entrypoints


def test_own_formats_are_registered() -> None:
    names = entrypoints.format_names()
    for name in ("markdown", "json", "jsonl"):
        assert name in names
        assert entrypoints.get_format(name).lossless


def test_a_name_no_format_has_is_told_the_formats_that_do_what_was_asked() -> None:
    """A name to read suggested and listed html, which only writes."""
    assert entrypoints.unknown_format("htm", writing=True) == (
        "unknown format 'htm' (did you mean html?); the formats that can be written are "
        "anki, csv, html, json, jsonl, markdown, sqlite, svg")
    assert entrypoints.unknown_format("HTM", writing=False) == (
        "unknown format 'HTM'; the formats that can be read are anki, csv, json, jsonl, "
        "markdown, sqlite, svg")


def test_a_format_named_by_something_not_text_is_a_type_error() -> None:
    import converter

    with pytest.raises(TypeError, match="a format is named by a str, not int"):
        converter.read("samples", 123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a format is named by a str, not list"):
        converter.read("samples", ["json"])  # type: ignore[arg-type]  (was: unhashable)


@pytest.mark.parametrize(("name", "writing", "meant"), [
    ("md", True, "markdown"), ("MD", False, "markdown"), ("db", True, "sqlite"),
    ("sqlite3", False, "sqlite"), ("apkg", True, "anki"), ("ndjson", True, "jsonl"),
    ("flat", True, "--to csv --flat"), ("csv-flat", True, "--to csv --flat"),
    ("flat", False, "csv"), ("jsn", True, "json or jsonl"),
    ("excel", True, "--to csv --flat --excel"), ("Excel", False, "csv"),
    ("xlsx", True, "--to csv --flat --excel"), ("exel", True, "--to csv --flat --excel"),
    ("spreadsheet", True, "--to csv --flat")])
def test_a_format_named_by_its_ending_or_variant_is_meant(name: str, writing: bool,
                                                          meant: str) -> None:
    """``--to md`` got no "did you mean", nor ``--to flat``; ``--to ndjson`` suggested
    "json or jsonl", json first, though .ndjson is jsonl's ending. ``--to excel``,
    ``xlsx`` and ``spreadsheet`` got none either: csv declares them as aliases with the
    flags each implies."""
    said = entrypoints.unknown_format(name, writing=writing)
    assert said.startswith(f"unknown format {name!r} (did you mean {meant}?); ")


def test_a_variant_meant_is_named_as_the_caller_names_options() -> None:
    from converter.spellings import CONFIG_FILE, PYTHON_API, spelled

    with spelled(PYTHON_API):
        assert "(did you mean format='csv', flat=True?)" in entrypoints.unknown_format(
            "flat", writing=True)
    with spelled(CONFIG_FILE):
        assert '(did you mean to = "csv", flat = true?)' in entrypoints.unknown_format(
            "flat", writing=True)
        assert ('(did you mean to = "csv", flat = true, excel = true?)'
                in entrypoints.unknown_format("excel", writing=True))
    with spelled(PYTHON_API):
        assert ("(did you mean format='csv', flat=True, excel=True?)"
                in entrypoints.unknown_format("excel", writing=True))


@pytest.mark.parametrize(("given", "hint", "meant"), [
    (["--to", "md", "-o", "out"], "markdown", ["--to", "markdown", "-o", "out"]),
    (["--to", "flat", "-o", "m.csv"], "--to csv --flat",
     ["--to", "csv", "--flat", "-o", "m.csv"]),
    (["--to", "excel", "-o", "m.csv"], "--to csv --flat --excel",
     ["--to", "csv", "--flat", "--excel", "-o", "m.csv"])])
def test_what_an_unknown_format_is_meant_for_works(
        given: list[str], hint: str, meant: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from converter.cli import cli
    from tests.conftest import SAMPLES

    monkeypatch.chdir(tmp_path)
    wrong = CliRunner().invoke(cli, ["convert", str(SAMPLES), *given, "--no-cache"])
    assert wrong.exit_code == 2
    assert f"did you mean {hint}?" in wrong.stderr
    right = CliRunner().invoke(cli, ["convert", str(SAMPLES), *meant, "--no-cache"])
    assert right.exit_code == 0, right.stderr


class _EntryPoint:
    """An entry point of a third party's package, loading what ``load`` gives."""

    def __init__(self, name: str, load: object) -> None:
        self.name, self.value, self.module, self.dist = name, "plug:Fmt", "plug", None
        self._load = load

    def load(self) -> object:
        """The class the entry point names (or what calling ``load`` raises)."""
        return self._load() if callable(self._load) and not isinstance(
            self._load, type) else self._load


def _loading_error(monkeypatch: pytest.MonkeyPatch, name: str, load: object) -> str:
    """The ``format-not-loaded`` message of the format registered as ``name`` whose entry
    point loads ``load``."""
    from converter.diagnostics import MuscleError

    monkeypatch.setattr(entrypoints, "_registered", lambda: {name: _EntryPoint(name, load)})
    entrypoints._loaded.cache_clear()
    try:
        with pytest.raises(MuscleError) as caught:
            entrypoints.get_format(name)
    finally:
        entrypoints._loaded.cache_clear()
    return caught.value.diagnostics[0].message


def test_a_format_not_named_as_its_entry_point_is_told_the_two_must_match(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry point ``foo`` whose class says ``name = "bar"`` was 'its entry point
    gives the format 'bar'' (a class without a name: "gives the format ''"), never
    saying the two must be the same; each now says what is wrong with the name."""
    from converter.registry import Format

    def named(value: object) -> type:
        return type("Fmt", (Format,), {"name": value, "extensions": (".foo",)})

    assert _loading_error(monkeypatch, "foo", named("bar")) == (
        "the foo format could not be loaded: its name is 'bar', not its entry point's "
        "'foo' (a format's name is the name of the entry point that registers it)")
    assert _loading_error(monkeypatch, "foo", named("")) == (
        "the foo format could not be loaded: its class sets no name (a format's name is "
        "its entry point's, 'foo')")
    assert _loading_error(monkeypatch, "upper", named("Upper")) == (
        "the upper format could not be loaded: its name 'Upper' is not lower case (a "
        "format's name is its entry point's in lower case, 'upper')")


def test_a_plugin_ending_the_program_at_import_is_told_as_a_reader_doing_so_is(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``sys.exit(4)`` at a plugin's import was 'SystemExit: 4'; it is now worded as a
    reader's or writer's: 'it tried to end the program (SystemExit with status 4)'."""
    import sys

    def exiting() -> None:
        sys.exit(4)

    assert _loading_error(monkeypatch, "exiter", exiting) == (
        "the exiter format could not be loaded: it tried to end the program (SystemExit "
        "with status 4)")
