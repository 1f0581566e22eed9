"""A project's config file (muscle-convert.toml, pyproject.toml's [tool.muscle-convert]):
where it is found, what it gives each command, and every way it can be wrong (how the
commands take it, :mod:`converter.cli_config`: tests/test_cli_config.py)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from converter.cli import cli
from converter.config import find, line_of
from tests.conftest import ROOT, WAIT


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def deck_names(apkg: Path) -> set[str]:
    with zipfile.ZipFile(apkg) as archive:
        (apkg.parent / "col.sqlite").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(apkg.parent / "col.sqlite") as db:
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    return {d["name"] for d in decks.values()}


# --- finding the file -----------------------------------------------------------------------

def test_the_file_is_found_from_a_subfolder_and_its_options_reach_the_run(
        project: Path) -> None:
    """Excluded files are not read (the README would be no-front-matter), the deck name
    lands in the .apkg, and to and output come from [convert] (output relative to the
    file's folder, not the working one)."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\ndeck = "Muskler"\n'
          'jobs = 2\n\n[convert]\nto = "anki"\noutput = "out/deck.apkg"\n')
    result = run("convert", "..", "-q")
    assert result.exit_code == 0, result.output
    assert "Muskler" in deck_names(project / "out" / "deck.apkg")
    assert not (project / "content" / "deeper" / "out").exists()
    assert run("validate", "..", "-q").exit_code == 0


def test_without_a_file_nothing_changes(project: Path) -> None:
    result = run("validate", "..", "-q")
    assert result.exit_code == 1
    assert "README.md:1:1: error:" in result.output


def test_a_pyprojects_table_is_read(project: Path) -> None:
    write(project / "pyproject.toml", '[project]\nname = "site"\n\n[tool.muscle-convert]\n'
          'exclude = ["README.md"]\n')
    assert run("validate", "..", "-q").exit_code == 0


def test_a_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    """... even one that names muscle-convert elsewhere, or that another tool's broken
    TOML fills: the search goes on to the folder above."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\n')
    write(project / "content" / "pyproject.toml", '[tool.x]\nrun = "muscle-convert"\n')
    (project / "content" / "deeper" / "pyproject.toml").write_text("[tool.ruff\n")
    assert find(Path.cwd()) == project / "muscle-convert.toml"
    assert run("validate", "..", "-q").exit_code == 0


def test_a_utf8_pyproject_with_a_byte_order_mark_without_the_table_is_passed_over(
        project: Path) -> None:
    """One that named muscle-convert elsewhere was taken for one broken and naming it
    (its mark no TOML), so every run stopped with config-no-table, exit 2, though
    reading it drops the mark; it is passed over as one without the mark is."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\n')
    (project / "content" / "pyproject.toml").write_bytes(
        b'\xef\xbb\xbf[project]\ndependencies = ["muscle-convert"]\n')
    assert find(Path.cwd()) == project / "muscle-convert.toml"
    result = run("validate", "..", "-q")
    assert result.exit_code == 0 and "config-no-table" not in result.output, result.output


@pytest.mark.parametrize("text, line, kind", [
    ("[tool]\nmuscle-convert = 5\n", 2, "an integer"),
    ('[project]\nname = "site"\n\n[tool]\nmuscle-convert = [1]\n', 5,
     "an array of other values than strings"),
    ('tool.muscle-convert = "all"\n', 1, "a string")])
def test_a_pyproject_whose_tool_muscle_convert_is_no_table_is_a_wrong_type(
        project: Path, text: str, line: int, kind: str) -> None:
    """A pyproject.toml the search finds whose tool.muscle-convert is another value
    than a table was 'has no [tool.muscle-convert] table [config-no-table]' at no line,
    which README keeps for a pyproject --config names without the table; it is
    config-wrong-type at its line, found or named, as a [convert] that is no table is."""
    write(project / "pyproject.toml", text)
    said = (f"../../pyproject.toml:{line}:1: error: tool.muscle-convert: must be a table, "
            f"not {kind} [config-wrong-type]\n")
    assert (run("validate", "..").exit_code, run("validate", "..").output) == (2, said)
    named = run("validate", "..", "--config", "../../pyproject.toml")
    assert (named.exit_code, named.output) == (2, said)


def test_a_pyproject_named_whose_tool_is_no_table_is_a_wrong_type(project: Path) -> None:
    """Named by --config (the search passes over one whose tool holds no table):
    ``tool = 5`` is config-wrong-type at its line too, not config-no-table."""
    write(project / "pyproject.toml", "tool = 5\n")
    named = run("validate", "..", "--config", "../../pyproject.toml")
    assert (named.exit_code, named.output) == (2, (
        "../../pyproject.toml:1:1: error: tool: must be a table, not an integer "
        "[config-wrong-type]\n"))


@pytest.mark.parametrize("encoding, said", [
    ("utf-16", "UTF-16"), ("utf-16-be", "UTF-16 (big-endian, with no byte order mark)"),
    ("utf-32-le", "UTF-32 (little-endian, with no byte order mark)")])
def test_a_pyproject_in_utf16_or_utf32_naming_the_table_is_unreadable(
        project: Path, encoding: str, said: str) -> None:
    """Its table was not found in its bytes read as UTF-8, so the file was passed over
    and its options silently not applied (the README it leaves out was an error); it is
    found, and config-unreadable says what it is, as a muscle-convert.toml's."""
    (project / "pyproject.toml").write_bytes(
        '[tool.muscle-convert]\nexclude = ["README.md"]\n'.encode(encoding))
    result = run("validate", "..")
    assert (result.exit_code, result.output) == (2, (
        f"../../pyproject.toml:1:1: error: cannot read the config file: it is {said}, "
        "not UTF-8: save it as UTF-8 [config-unreadable]\n"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-32-be"])
def test_a_pyproject_in_utf16_or_utf32_without_the_table_is_passed_over(
        project: Path, encoding: str) -> None:
    """One that named muscle-convert elsewhere (a dependency, another tool's command)
    was taken for one with the table, its bytes in that encoding found in it, and every
    run stopped with config-unreadable, exit 2, where a UTF-8 one is passed over. It is
    read in its encoding, and passed over as that one is: the search goes on above."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\n')
    (project / "content" / "pyproject.toml").write_bytes(
        '[project]\ndependencies = ["muscle-convert"]\n[tool.x]\nrun = "muscle-convert"\n'
        .encode(encoding))
    (project / "content" / "deeper" / "pyproject.toml").write_bytes(
        '[tool.ruff]\n# see muscle-convert.toml\n'.encode(encoding))
    assert find(Path.cwd()) == project / "muscle-convert.toml"
    assert run("validate", "..", "-q").exit_code == 0


def test_the_nearest_folder_wins_and_in_one_folder_muscle_convert_toml(project: Path) -> None:
    write(project / "muscle-convert.toml", "jobs = 1\n")
    nearer = project / "content"
    write(nearer / "pyproject.toml", "[tool.muscle-convert]\njobs = 2\n")
    assert find(Path.cwd()) == nearer / "pyproject.toml"
    write(nearer / "muscle-convert.toml", "jobs = 3\n")
    assert find(Path.cwd()) == nearer / "muscle-convert.toml"


def test_the_output_folders_marker_is_no_config_file(project: Path) -> None:
    """``.muscle-convert`` marks a folder muscle-convert wrote; it configures nothing."""
    (project / "content" / ".muscle-convert").write_text("")
    assert find(Path.cwd()) is None


# --- each command its own table (the rest: tests/test_cli_config.py) -----------------------

def test_fmt_and_validate_read_their_own_tables(project: Path) -> None:
    write(project / "muscle-convert.toml",
          '[fmt]\nexclude = ["README.md"]\ncheck = true\n[validate]\nstrict = true\n')
    before = (project / "content" / "gluteus-medius.md").read_bytes()  # (not canonical)
    result = run("fmt", "..", "-q")
    assert result.exit_code == 1 and result.output == "would reformat ../gluteus-medius.md\n"
    assert (project / "content" / "gluteus-medius.md").read_bytes() == before
    result = run("validate", "..", "--exclude", "README.md")
    assert result.exit_code == 1 and "(--strict:" in result.output


def test_the_groups_help_imports_no_more_than_before() -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "converter", "--help"],
                          capture_output=True, text=True, cwd=ROOT, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=WAIT)
    assert "converter.config" not in done.stderr and "tomllib" not in done.stderr


# --- relative paths -------------------------------------------------------------------------

def test_paths_are_relative_to_the_files_folder(project: Path, tmp_path: Path) -> None:
    picture = project / "pictures" / "body.svg"
    picture.parent.mkdir()
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\ncache-dir = "cache"\n'
          '[convert]\nto = "svg"\noutput = "build/map/"\nsize = "1000x1000"\n'
          'base-image = "pictures/body.svg"\n')
    result = run("convert", "..")
    assert result.exit_code == 0, result.output
    assert (project / "build" / "map" / "_base-image.svg").read_bytes() == (
        b'<svg xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="none"/>')
    assert (project / "cache").is_dir()


def test_paths_of_a_named_file_are_relative_to_its_folder(project: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    (project / "ci").mkdir()
    write(project / "ci" / "muscle-convert.toml",
          'exclude = ["README.md"]\n[convert]\noutput = "m.json"\n')
    monkeypatch.chdir(project)
    result = run("convert", "content", "--to", "json", "-q", "--config",
                 "ci/muscle-convert.toml")
    assert result.exit_code == 0, result.output
    assert (project / "ci" / "m.json").is_file() and not (project / "m.json").exists()
    result = run("convert", "content", "--to", "json", "-q", "--config",
                 "ci/muscle-convert.toml", "-o", "here.json")  # (as typed: the working folder)
    assert result.exit_code == 0 and (project / "here.json").is_file()


def test_exclude_patterns_stay_relative_to_each_source(project: Path) -> None:
    write(project / "muscle-convert.toml", 'exclude = ["/README.md"]\n')
    assert run("validate", "..", "-q").exit_code == 0  # (content/README.md, not ./)


# --- a bad file: one diagnostic at its line, exit 2 -----------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("[tool.muscle-convert]\njobs = 2", "muscle-convert.toml:1:2: error: tool: unknown "
     "table 'tool': [tool.muscle-convert] belongs in pyproject.toml; in "
     "muscle-convert.toml drop that header and write its keys at the top level "
     "([tool.muscle-convert.convert] as [convert]) [config-unknown-key]"),
    ("[tool.muscle-convert.convert]\nto = 'json'", "muscle-convert.toml:1:2: error: tool: "
     "unknown table 'tool': [tool.muscle-convert] belongs in pyproject.toml"),
    ("[tool.black]\nx = 1", "muscle-convert.toml:1:2: error: tool: unknown table 'tool' "
     "[config-unknown-key]"),
    ("tool = 1", "muscle-convert.toml:1:1: error: tool: unknown key 'tool' "
     "[config-unknown-key]"),
    ("o = 'out'", "error: o: unknown key 'o' [config-unknown-key]"),
    ("too = 'json'", "error: too: unknown key 'too' [config-unknown-key]"),
    ("[convert]\nt = 'json'", "error: convert.t: unknown key 't' [config-unknown-key]"),
    ("[jobz]\nx = 1", "error: jobz: unknown table 'jobz' [config-unknown-key]"),
    ("TO = 'json'", "error: TO: unknown key 'TO'; did you mean to? [config-unknown-key]"),
    ("fro = 'json'", "error: fro: unknown key 'fro'; did you mean from? [config-unknown-key]"),
])
def test_no_garbage_suggestion_and_a_pyproject_table_is_told_apart(
        project: Path, text: str, expected: str) -> None:
    """[tool.muscle-convert] in muscle-convert.toml was "unknown table 'tool'; did you
    mean to?", the key to for the table tool; "o" was "did you mean to?" too."""
    write(project / "content" / "muscle-convert.toml", text + "\n")
    result = run("convert", "..", "--to", "json", "-o", str(project / "m.json"))
    assert result.exit_code == 2
    assert expected in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("jobs = 2\nexclude = [1\n", "muscle-convert.toml:3: error: not TOML: Unclosed array "
     "[config-syntax]"),  # (tomllib: "at end of document", the last line)
    ('jobs = "2"', "muscle-convert.toml:1:1: error: jobs: must be an integer, not a string "
     "[config-wrong-type]"),
    ('exclude = "README.md"', "exclude: must be an array of strings, not a string"),
    ("strict = 1", "strict: must be true or false, not an integer"),
    ("jbos = 2", "muscle-convert.toml:1:1: error: jbos: unknown key 'jbos'; did you mean "
     "jobs? [config-unknown-key]"),
    ("jobs = 1\n\n[conver]\njobs = 1", "muscle-convert.toml:3:2: error: conver: unknown "
     "table 'conver'; did you mean convert? [config-unknown-key]"),
    ("[convert]\n  dekc = 'x'", "muscle-convert.toml:2:3: error: convert.dekc: unknown key "
     "'dekc'; did you mean deck?"),
    ("\n\njobs = 0", "muscle-convert.toml:3:1: error: jobs: 0 is not in the range x>=1. "
     "[config-bad-value]"),
    ('[convert]\nto = "pdf"', "muscle-convert.toml:2:1: error: convert.to: unknown format "
     "'pdf'"),
    ('from = "pdf"', "from: unknown format 'pdf'"),
    ('default-lang = "english"', "'english' is not a language code"),
    ('exclude = ["#x"]', "exclude: '#x' is a comment in gitignore style"),
    ("[fmt]\nstrict = true", "muscle-convert.toml:2:1: error: fmt.strict: is an option of "
     "convert and validate, not of fmt (move it to [convert], or to the top for every "
     "command that has it)"),
    ('[validate]\ndeck = "x"', "validate.deck: is an option of convert, not of validate "
     "(move it to [convert]"),
    ("help = true", "help: unknown key 'help'"),
    ("config = 'ci.toml'", "config: unknown key 'config'"),
    ("convert = 3", "convert: must be a table of convert's options, not an integer"),
    ("jobs = 1\nconvert.jobs = 0", "muscle-convert.toml:2:1: error: convert.jobs: 0 is not in"),
    ("jobs = 1\n'convert' . \"jobs\" = 0", "muscle-convert.toml:2:1: error: convert.jobs:"),
    ('jobs = 1\nconvert = { deck = "x", jobs = 0 }', "muscle-convert.toml:2:1: error: "
     "convert.jobs: 0"),
    ('deck = """\njobs = 0\n"""\n[validate]\njobs = 0', "muscle-convert.toml:5:1: error: "
     "validate.jobs:"),
])
def test_a_bad_file_is_one_diagnostic_at_its_line(project: Path, text: str,
                                                    expected: str) -> None:
    write(project / "content" / "muscle-convert.toml", text + "\n")
    result = run("convert", "..", "--to", "json", "-o", str(project / "m.json"))
    assert result.exit_code == 2
    assert expected in result.output
    assert len(result.output.splitlines()) == 1 and "Traceback" not in result.output
    assert not (project / "m.json").exists()


def test_a_syntax_error_says_tomls_line_and_column(project: Path) -> None:
    write(project / "muscle-convert.toml", 'jobs = 2\nexclude = ["a" "b"]\n')
    result = run("validate", "..")
    assert result.output == ("../../muscle-convert.toml:2:16: error: not TOML: Unclosed "
                             "array [config-syntax]\n")


@pytest.mark.parametrize(("name", "text", "line", "column"), [
    ("muscle-convert.toml", "jobs = 1{zeros}\n", 1, 8),
    ("muscle-convert.toml", "jobs = 2\n[convert]\ndeck = 'x'\nmax-bytes = -1_{zeros}\n", 4, 13),
    ("pyproject.toml", "[project]\nname = 'x'\n\n[tool.muscle-convert]\n"
     "jobs = [3.5, +1{zeros}]\n", 5, 14),
])
def test_an_integer_too_long_for_python_is_a_syntax_error_at_its_line(
        project: Path, name: str, text: str, line: int, column: int) -> None:
    """tomllib raises ValueError (not TOMLDecodeError) for an integer of more digits
    than int() takes (4300): it was a traceback, found or named by --config."""
    write(project / name, text.format(zeros="0" * 5000))
    said = (f"../../{name}:{line}:{column}: error: not TOML that can be read: an integer "
            "of 5001 digits, more than 4300 [config-syntax]\n")
    for args in ((), ("--config", f"../../{name}")):
        result = run("validate", "..", *args)
        assert (result.exit_code, result.output) == (2, said)


def test_a_pyprojects_key_is_named_by_its_full_path(project: Path) -> None:
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.muscle-convert]\n'
          'exclude = ["README.md"]\n\n[tool.muscle-convert.validate]\njobs = 0\n')
    result = run("validate", "..")
    assert result.exit_code == 2
    assert result.output.startswith("../../pyproject.toml:8:1: error: "
                                    "tool.muscle-convert.validate.jobs: 0 is not in")


def test_a_pyprojects_wrong_command_advice_names_its_tables(project: Path) -> None:
    """The tables to move a key to are named as the pyproject writes them (its own
    [convert] would be read as no table of muscle-convert's)."""
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n'
          '[tool.muscle-convert.fmt]\nstrict = true\n')
    result = run("validate", "..")
    assert result.exit_code == 2
    assert result.output == (
        "../../pyproject.toml:5:1: error: tool.muscle-convert.fmt.strict: is an option of "
        "convert and validate, not of fmt (move it to [tool.muscle-convert.convert], or to "
        "[tool.muscle-convert] for every command that has it) [config-wrong-command]\n")


def test_a_named_file_that_cannot_be_used(project: Path) -> None:
    result = run("validate", "..", "--config", "missing.toml")
    assert result.exit_code == 2
    assert result.output.startswith("missing.toml: error: cannot read the config file")
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    result = run("validate", "..", "--config", str(project / "pyproject.toml"))
    assert result.exit_code == 2 and "has no [tool.muscle-convert] table" in result.output


def test_a_broken_file_stops_every_command_it_configures(project: Path) -> None:
    """(a [convert] mistake fails validate too: the file is checked whole, so
    pre-commit and the site build do not disagree about it)"""
    write(project / "muscle-convert.toml", '[convert]\nto = "pdf"\n')
    assert run("validate", "..").exit_code == 2
    assert run("fmt", "..", "--check").exit_code == 2


# --- finding a key's line -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "path", "place"), [
    ("jobs = 1\n[convert]\n\tdeck = 'x'\n", ("convert", "deck"), (3, 2)),
    ('[ "convert" ]\njobs = 1\n', ("convert", "jobs"), (2, 1)),
    ("[convert]\n'jobs' = 1\n", ("convert", "jobs"), (2, 1)),
    ("[tool]\nmuscle-convert.convert.jobs = 1\n", ("tool", "muscle-convert"), (2, 1)),
    ("x = { y = 1 }\n", ("x", "y"), (1, 1)),
    ("s = '''\njobs = 1\n'''\njobs = 2\n", ("jobs",), (4, 1)),
    ('"a.b" = 1\na.b = 2\n', ("a.b",), (1, 1)),
    ('[convert]\n"\\U0000006Aobs" = 0\n', ("convert", "jobs"), (2, 1)),  # TOML's escape
])
def test_line_of_finds_keys_as_toml_writes_them(text: str, path: tuple[str, ...],
                                                place: tuple[int, int]) -> None:
    assert line_of(text, path) == place


@pytest.mark.parametrize(("text", "path", "place"), [
    ('# no """ here\n[validate]\njobs = 0\n', ("validate", "jobs"), (3, 1)),
    ("exclude = ['''a\"\"\"b''']\njobs = 0\n", ("jobs",), (2, 1)),
    ("# a\u2028b\x85c\n[validate]\njobs = 0\n", ("validate", "jobs"), (3, 1)),
    ("deck = 'a\u2028b'\nx = \"c\fd\"\njobs = 0\n", ("jobs",), (3, 1)),
    ('deck = "x \\"\\"\\" y"\njobs = 0\n', ("jobs",), (2, 1)),
    ("s = '''a\n''''\njobs = 0\n", ("jobs",), (3, 1)),
    ('x = [\n  ["a"],  # ]\n]\n[[t]]\njobs = 0\n', ("t", "jobs"), (5, 1)),
])
def test_line_of_reads_strings_and_comments_as_toml_does(text: str, path: tuple[str, ...],
                                                         place: tuple[int, int]) -> None:
    assert line_of(text, path) == place


_TRICKY = st.text(st.sampled_from(['"', "'", "#", "[", "]", "=", "\\", "a", " ", "\u2028",
                                   "\x85", "\x0c", "\t", "{", "é"]), max_size=12)


def _basic(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes, which TOML shares, and its
    control characters escaped: a form feed is one)."""
    return json.dumps(text, ensure_ascii=False).replace("\x85", "\\u0085")


@st.composite
def _values(draw: st.DrawFn) -> str:
    """A TOML value as written, with quotes, brackets and hashes in its strings."""
    text = draw(_TRICKY)
    kind = draw(st.sampled_from(["basic", "literal", "multi", "multi-literal", "array",
                                 "number"]))
    lines = draw(st.lists(_TRICKY, min_size=1, max_size=3))
    if kind == "literal":
        return "'" + text.replace("'", "").replace("\x0c", "") + "'"
    if kind == "multi":
        return '"""' + "\n".join(_basic(line)[1:-1] for line in lines) + '"""'
    if kind == "multi-literal":
        return "'''" + "\n".join(line.replace("'", "").replace("\x0c", "")
                                 for line in lines) + "'''"
    if kind == "array":
        return "[\n" + "".join(f"  {_basic(line)},  # {line.replace(chr(12), '')}\n"
                               for line in lines) + "]"
    return "12" if kind == "number" else _basic(text)


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, list[tuple[tuple[str, ...], int, int]]]:
    """A TOML document of tables, keys, values over many lines and comments, and where
    each key is: its path, line and column."""
    written, places = [], []
    tables = draw(st.lists(st.sampled_from(["convert", "validate", "fmt", "a.b"]),
                           unique=True, max_size=3))
    for table in ["", *tables]:
        if table:
            written.append(f"[{table}]  # {draw(_TRICKY).replace(chr(12), '')}")
        keys = draw(st.lists(st.sampled_from(["jobs", "deck", "x-y", "k_1"]), unique=True,
                             max_size=4))
        for key in keys:
            indent = draw(st.sampled_from(["", "  ", "\t"]))
            line = "\n".join(written).count("\n") + 1 + bool(written)
            places.append(((*table.split("."), key) if table else (key,), line,
                           len(indent) + 1))
            written.append(f"{indent}{key} = {draw(_values())}")
    return "\n".join(written) + "\n", places


@given(_documents())
def test_line_of_agrees_with_where_keys_are(document: tuple[str, list[Any]]) -> None:
    import tomllib

    text, places = document
    tomllib.loads(text)  # (a TOML document)
    for path, line, column in places:
        assert line_of(text, path) == (line, column), text


def test_a_byte_order_mark_is_dropped_as_from_content_files(project: Path) -> None:
    (project / "muscle-convert.toml").write_bytes(b'\xef\xbb\xbfexclude = ["README.md"]\n')
    assert run("validate", "..", "-q").exit_code == 0


def test_a_file_not_in_utf8_is_unreadable_at_its_first_bad_byte(project: Path) -> None:
    (project / "muscle-convert.toml").write_bytes(b"jobs = 2\n# caf\xe9\njobs = 0\n")
    result = run("validate", "..")
    assert result.exit_code == 2
    assert result.output == ("../../muscle-convert.toml:2:6: error: cannot read the config "
                             "file: it is not UTF-8 (byte 0xe9, which is \u00e9 in "
                             "Windows-1252: save the file as UTF-8) [config-unreadable]\n")
    (project / "muscle-convert.toml").write_bytes("jobs = 2\n".encode("utf-16"))
    result = run("validate", "..")
    assert result.output.startswith("../../muscle-convert.toml:1:1: error: cannot read the "
                                    "config file: it is UTF-16, not UTF-8")


@pytest.mark.parametrize("encoding, said", [
    ("utf-16-le", "UTF-16 (little-endian"), ("utf-16-be", "UTF-16 (big-endian"),
    ("utf-32-le", "UTF-32 (little-endian"), ("utf-32-be", "UTF-32 (big-endian")])
@pytest.mark.parametrize("name", ["muscle-convert.toml", "pyproject.toml"])
def test_a_file_in_utf16_or_utf32_without_a_mark_is_unreadable_saying_so(
        project: Path, name: str, encoding: str, said: str) -> None:
    """Saved without a byte order mark it was a config-syntax error (Invalid statement,
    Expected '=' after a key): the NUL bytes were read as TOML. It is config-unreadable
    at 1:1 saying its encoding, as a content file's not-utf8 says it."""
    (project / name).write_bytes(
        '[tool.muscle-convert]\njobs = 2\n'.encode(encoding))
    result = run("validate", "--config", f"../../{name}", "..")
    assert result.exit_code == 2
    assert result.output == (f"../../{name}:1:1: error: cannot read the config file: it "
                             f"is {said}, with no byte order mark), not UTF-8: save it "
                             "as UTF-8 [config-unreadable]\n")


def test_the_file_is_found_through_a_symlinked_folder(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``cd site/content`` where site links to the project, the search goes up
    the folders the shell names ($PWD), as paths through the link do."""
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "site"
    link.symlink_to(project, target_is_directory=True)
    write(project / "muscle-convert.toml", "jobs = 0\n")
    (project / "muscle-convert.toml").rename(tmp_path / "elsewhere" / "muscle-convert.toml")
    monkeypatch.chdir(link / "content")
    monkeypatch.setenv("PWD", str(link / "content"))
    result = run("validate", ".")
    assert result.exit_code == 2
    assert result.output.startswith("../../muscle-convert.toml:1:1: error: jobs: 0 is not")


def test_a_dangling_symlink_named_as_the_file_is_unreadable(project: Path) -> None:
    (project / "muscle-convert.toml").symlink_to(project / "gone.toml")
    result = run("validate", "..")
    assert result.exit_code == 2
    assert result.output.startswith("../../muscle-convert.toml: error: cannot read the config "
                                    "file: No such file or directory [config-unreadable]")


@pytest.mark.parametrize(("text", "expected"), [
    ('cache-dir = ""', "muscle-convert.toml:1:1: error: cache-dir: an empty path names no "
     "file or folder [config-bad-value]"),
    ('[convert]\noutput = ""', "muscle-convert.toml:2:1: error: convert.output: an empty "
     "path names no file or folder [config-bad-value]"),
    ("[[convert]]\njobs = 1", "muscle-convert.toml:1:3: error: convert: must be a table of "
     "convert's options, not an array of tables [config-wrong-type]"),
])
def test_an_empty_path_and_an_array_of_tables_are_refused(project: Path, text: str,
                                                          expected: str) -> None:
    write(project / "muscle-convert.toml", text + "\n")
    result = run("validate", "..")
    assert result.exit_code == 2 and expected in result.output


