"""The command line's options from a project's config file (:mod:`converter.cli_config`):
the file's values are the commands' defaults, checked as the command line's are and
refused at the file's key; --config and --no-config; what a missing option may come
from; a bad file's one diagnostic in the format the command line names."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from converter import cli_config
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import get_format
from tests.test_config import deck_names, run, write
from tests.test_diagnostics import toolkit_annotations


def test_the_command_line_wins_over_the_commands_table_over_the_top(project: Path) -> None:
    write(project / "muscle-convert.toml", 'deck = "Top"\n[convert]\ndeck = "Table"\n'
          'exclude = ["README.md"]\n')
    out = project / "d.apkg"
    assert run("convert", "..", "--to", "anki", "-o", str(out), "-q").exit_code == 0
    assert "Table" in deck_names(out) and "Top" not in deck_names(out)
    assert run("convert", "..", "--to", "anki", "-o", str(out), "-q",
               "--deck", "Given").exit_code == 0
    assert "Given" in deck_names(out) and "Table" not in deck_names(out)


def test_exclude_on_the_command_line_replaces_the_files_list(project: Path) -> None:
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\n')
    result = run("validate", "..", "-q", "--exclude", "soleus.md")
    assert result.exit_code == 1  # (README.md is read again)
    assert "README.md:1:1: error:" in result.output and "soleus" not in result.output


def test_a_format_option_the_writer_does_not_take_is_left_out_from_the_file_only(
        project: Path) -> None:
    """One file serves --to anki and --to json; on the command line --deck with --to
    json is still a usage error."""
    write(project / "muscle-convert.toml", 'deck = "Muskler"\nexclude = ["README.md"]\n')
    out = str(project / "m.json")
    assert run("convert", "..", "--to", "json", "-o", out, "-q").exit_code == 0
    result = run("convert", "..", "--to", "json", "-o", out, "--deck", "X")
    assert result.exit_code == 2 and "--deck does not apply to --to json" in result.output


def test_config_names_the_file_and_no_search_is_made(project: Path) -> None:
    write(project / "content" / "muscle-convert.toml", "jobs = 0\n")  # (would fail)
    named = write(project / "ci.toml", 'exclude = ["README.md"]\n')
    assert run("validate", "..", "-q", "--config", str(named)).exit_code == 0
    assert run("validate", "..", "-q").exit_code == 2


def test_no_config_reads_none(project: Path) -> None:
    write(project / "muscle-convert.toml", "jobs = 0\n")
    result = run("validate", "..", "-q", "--no-config")
    assert result.exit_code == 1 and "README.md:1:1" in result.output  # (read, no exclude)
    both = run("validate", "..", "--no-config", "--config", "x.toml")
    assert both.exit_code == 2 and "cannot go together" in both.output
    empty = run("validate", "..", "--config", "")
    assert empty.exit_code == 2 and "an empty path names no file" in empty.output


def test_help_reads_no_file(project: Path) -> None:
    write(project / "muscle-convert.toml", "jobs = 0\n")
    assert run("convert", "--help").exit_code == 0


def test_help_says_to_and_output_may_come_from_a_config_file() -> None:
    """(click's ``[required]`` was untrue: a config file's to and output run convert)"""
    shown = " ".join(run("convert", "--help").output.split())
    assert "[required]" not in shown
    assert shown.count("[required unless given by a config file]") == 2
    assert "--to FORMAT Output format (see `muscle-convert formats`). [required unless" in (
        shown)


@pytest.mark.parametrize(("config", "args", "expected"), [
    (None, ("-o", "m.json"), "Error: Missing option '--to'. Give it on the command line, "
     "or as to in a config file (muscle-convert.toml, or a pyproject.toml's "
     "[tool.muscle-convert], in this folder or one above, or --config FILE).\n"),
    ("muscle-convert.toml", ("--to", "json"), "Error: Missing option '--output' / '-o'. "
     "Give it on the command line, or as output in [convert] of "
     "../../muscle-convert.toml.\n"),
    ("pyproject.toml", ("-o", "m.json"), "Error: Missing option '--to'. Give it on the "
     "command line, or as to in [tool.muscle-convert.convert] of ../../pyproject.toml.\n"),
    ("muscle-convert.toml", ("--to", "json", "--no-config"), "Error: Missing option "
     "'--output' / '-o'. Give it on the command line (--no-config: no config file is "
     "read).\n"),
])
def test_a_missing_to_or_output_says_where_it_may_come_from(
        project: Path, config: str | None, args: tuple[str, ...], expected: str) -> None:
    if config is not None:
        write(project / config, "[tool.muscle-convert]\njobs = 1\n"
              if config == "pyproject.toml" else "jobs = 1\n")
    result = run("convert", "..", *args)
    assert result.exit_code == 2 and result.output.endswith(expected)


BAD_JOBS = ("\n\njobs = 0\n", Diagnostic(
    "muscle-convert.toml", 3, 1, "jobs", "config-bad-value", "0 is not in the range x>=1.",
    "error"))


BAD_SYNTAX = ('jobs = 2\nexclude = ["a" "b"]\n', Diagnostic(
    "muscle-convert.toml", 2, 16, "", "config-syntax", "not TOML: Unclosed array", "error"))


@pytest.mark.parametrize(("text", "expected"), [BAD_JOBS, BAD_SYNTAX])
def test_a_bad_file_is_a_github_annotation_under_validate_format_github(
        project: Path, text: str, expected: Diagnostic) -> None:
    """A CI step's ``validate --format github`` annotates the config file's line in the
    pull request (the file named from the checkout, as GitHub's own toolkit writes it)."""
    write(project / "muscle-convert.toml", text)
    result = CliRunner(env={"GITHUB_WORKSPACE": str(project)}).invoke(
        cli, ["validate", "..", "--format", "github"], catch_exceptions=False)
    assert result.exit_code == 2 and result.stderr == ""
    assert result.stdout.splitlines() == toolkit_annotations([expected])


@pytest.mark.parametrize(("text", "expected"), [BAD_JOBS, BAD_SYNTAX])
def test_a_bad_file_is_a_json_record_under_validate_format_json(
        project: Path, text: str, expected: Diagnostic) -> None:
    write(project / "muscle-convert.toml", text)
    result = run("validate", "..", "--format=json")
    assert result.exit_code == 2 and result.stderr == ""
    assert json.loads(result.stdout) == [
        {**expected.as_dict(), "path": "../../muscle-convert.toml"}]


def test_a_bad_file_is_text_when_the_format_is_not_on_the_command_line(
        project: Path) -> None:
    """(a file that fails to read cannot give the format: its own is not taken)"""
    write(project / "muscle-convert.toml", '[validate]\nformat = "json"\njobs = 0\n')
    result = run("validate", "..")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("../../muscle-convert.toml:3:1: error: validate.jobs: 0 is not "
                             "in the range x>=1. [config-bad-value]\n")


def test_a_flag_the_file_sets_is_turned_off_on_the_command_line(project: Path) -> None:
    """--no-strict, fmt's --no-check, --no-quiet, --cache and a format's --no-flat undo
    the file's true (the command line wins)."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\nstrict = true\n'
          'quiet = true\nno-cache = true\ncache-dir = "cache"\n[fmt]\ncheck = true\n'
          '[convert]\nflat = true\n')
    assert run("validate", "..").exit_code == 1  # (warnings, strict)
    result = run("validate", "..", "--no-strict", "--no-quiet", "--cache")
    assert result.exit_code == 0 and "muscles valid" in result.output
    assert (project / "cache").is_dir()
    assert run("fmt", "..", "-q").exit_code == 1
    assert run("fmt", "..", "-q", "--no-check").exit_code == 0
    assert run("fmt", "..", "-q").exit_code == 0  # (rewritten)
    out = project / "package"
    assert run("convert", "..", "--to", "csv", "-o", str(out), "--no-flat",
               "--no-strict").exit_code == 0
    assert (out / "datapackage.json").is_file()


@pytest.mark.parametrize(("text", "expected"), [
    ('to = "anki"\noutput = "m.apkg"\ndeck = "Anatomi::::Muskler"', "4:1: error: "
     "convert.deck: deck name 'Anatomi::::Muskler' has an empty part"),
    ('to = "anki"\noutput = "m.apkg"\nlang = "xx-"', "4:1: error: convert.lang: 'xx-' is "
     "not a language"),
    ('to = "json"\noutput = "m.jsonl"', "3:1: error: convert.output: m.jsonl is named like a "
     '.jsonl file (jsonl), and to = "json" writes .json files; rename it (or use to = '
     '"jsonl")'),
    ('to = "csv"\noutput = "m.csv"', '3:1: error: convert.output: to = "csv" writes a '
     "directory, and m.csv is named like a .csv file; give a directory name (or set flat "
     "= true for one file)"),
    ('to = "html"\noutput = "h"\nlink-template = "javascript:{slug}"', "4:1: error: "
     "convert.link-template: 'javascript:{slug}' makes links that are not relative"),
    ('to = "svg"\noutput = "s"\nbase-image = "body.png"', "4:1: error: "
     'convert.base-image: needs size = "WxH", the diagram\'s size in pixels'),
    ('to = "csv"\noutput = "m.csv"\nflat = true\nseparator = "|"', "5:1: error: "
     "convert.separator: '|' cannot separate the flat sheet's cells: give ','"),
])
def test_what_the_files_writer_refuses_stops_every_command(project: Path, text: str,
                                                           expected: str) -> None:
    """The file's own to, with the format options and output it gives convert, is
    checked as convert checks them, at the key's line, by validate and fmt too."""
    write(project / "muscle-convert.toml", f"[convert]\n{text}\n")
    for command in (("validate", ".."), ("fmt", "..", "--check"), ("convert", "..")):
        result = run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.output.startswith(f"../../muscle-convert.toml:{expected}"), result.output
        assert result.output.endswith("[config-bad-value]\n")
        assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize(("text", "typed", "expected"), [
    ('output = "m.jsonl"', ("--to", "json"), "convert.output: m.jsonl is named like a .jsonl "
     "file (jsonl), and --to json writes .json files; rename it (or use --to jsonl)"),
    ('base-image = "body.png"', ("--to", "svg", "-o", "s"), "convert.base-image: needs "
     'size = "WxH", the diagram\'s size in pixels'),
])
def test_the_files_value_refused_for_the_command_lines_to_names_no_flag_never_typed(
        project: Path, text: str, typed: tuple[str, ...], expected: str) -> None:
    """A file's base-image without size said ``needs --size WxH``, a flag the user never
    typed; the file's key is named as the file writes it, and a flag typed as typed."""
    write(project / "muscle-convert.toml", f"[convert]\n{text}\n")
    result = run("convert", "..", *typed)
    assert result.exit_code == 2
    assert result.output.endswith(f"{expected} [config-bad-value]\n"), result.output


@pytest.mark.parametrize(("text", "typed", "expected"), [
    ('to = "json"', ("-o", "m.jsonl"), 'm.jsonl is named like a .jsonl file (jsonl), and '
     'to = "json" writes .json files; rename it (or use to = "jsonl")'),
    ('to = "csv"', ("-o", "m.csv"), 'to = "csv" writes a directory, and m.csv is named '
     "like a .csv file; give a directory name (or pass --flat for one file)"),
    ('to = "svg"', ("-o", "s", "--base-image", "b.png"), "--base-image: needs --size WxH, "
     "the diagram's size in pixels"),
])
def test_the_command_lines_value_refused_names_the_files_options_as_the_file_does(
        project: Path, text: str, typed: tuple[str, ...], expected: str) -> None:
    """The file's to = "json" with -o m.jsonl typed said ``--to json writes .json files
    ... (or use --to jsonl)``, a flag never typed; each option is named by where it came
    from: the file's as its key, the others as flags."""
    write(project / "muscle-convert.toml", f"[convert]\n{text}\n")
    result = run("convert", "..", *typed)
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: {expected}\n"), result.output


@pytest.mark.parametrize(("text", "typed", "expected"), [
    ('to = "JSON"\noutput = "m.jsonl"', (), '../../muscle-convert.toml:3:1: error: '
     'convert.output: m.jsonl is named like a .jsonl file (jsonl), and to = "JSON" writes '
     '.json files; rename it (or use to = "jsonl") [config-bad-value]'),
    ('to = "Html"\noutput = "m.json"', (), '../../muscle-convert.toml:3:1: error: '
     'convert.output: to = "Html" writes a directory, and m.json is named like a .json '
     'file; give a directory name [config-bad-value]'),
    ('to = "JSON"', ("-o", "m.jsonl"), 'Error: m.jsonl is named like a .jsonl file '
     '(jsonl), and to = "JSON" writes .json files; rename it (or use to = "jsonl")'),
])
def test_the_files_to_is_quoted_as_the_file_writes_it(
        project: Path, text: str, typed: tuple[str, ...], expected: str) -> None:
    """``to = "JSON"`` (a format is named in any case) was quoted back as ``to =
    "json"``, which the file does not say; it is quoted as written now."""
    write(project / "muscle-convert.toml", f"[convert]\n{text}\n")
    result = run("convert", "..", *typed)
    assert (result.exit_code, result.output.splitlines()[-1]) == (2, expected)


@pytest.mark.parametrize("text", ['[convert]\nto = "csv"\noutput = "m.csv"\n',
                                  "[convert]\n"])
def test_the_files_separator_typed_wrong_is_hinted_as_the_file_types_it(
        project: Path, text: str) -> None:
    """A backslash and a t for a tab in the file was hinted in the command line's words,
    ``--separator $'\\t' in bash``; the file's own key, to convert's --to on the command
    line too."""
    write(project / "muscle-convert.toml", text + 'flat = true\nseparator = "\\\\t"\n')
    result = run("convert", "..", "--to", "csv", "-o", str(project / "m.csv"))
    assert result.exit_code == 2
    assert result.output.endswith("convert.separator: '\\t' cannot separate the flat "
                                  "sheet's cells: give ',' (the default), ';' or a tab; a "
                                  'tab is typed separator = "\\t" [config-bad-value]\n')


def test_a_separator_typed_wrong_with_a_file_read_is_hinted_as_the_command_line_types_it(
        project: Path) -> None:
    """``--separator '\\t'`` typed with a config file read was hinted in the file's words
    (``--separator: ... a tab is typed separator = "\\t"``), a key the file does not
    hold: the option was typed, so it is the command line's, as with no file read."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\n')
    result = run("convert", "..", "--to", "csv", "--flat", "--separator", "\\t", "-o",
                 str(project / "m.csv"))
    assert result.exit_code == 2
    assert result.output.endswith("Error: --separator: '\\t' cannot separate the flat "
                                  "sheet's cells: give ',' (the default), ';' or a tab; a "
                                  "tab is typed --separator $'\\t' in bash\n")


def test_the_files_separator_applies_only_with_flat(project: Path) -> None:
    """separator = ";" (Danish Excel's) gives the flat sheet its separator and is left
    out of a package; --separator on the command line wins over it."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\nseparator = ";"\n')
    sheet, package = project / "sheet.csv", project / "package"
    assert run("convert", "..", "--to", "csv", "--flat", "-o", str(sheet), "-q"
               ).exit_code == 0
    assert sheet.read_text(encoding="utf-8").startswith('"slug";"title";')
    assert run("convert", "..", "--to", "csv", "-o", str(package), "-q").exit_code == 0
    assert (package / "muscles.csv").read_text(encoding="utf-8").startswith('"slug","title"')
    assert run("convert", "..", "--to", "csv", "--flat", "--separator", "\t", "-o",
               str(sheet), "-q").exit_code == 0
    assert sheet.read_text(encoding="utf-8").startswith('"slug"\t"title"\t')


def test_a_separator_from_the_file_refused_by_the_writer_names_the_file(
        project: Path) -> None:
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\nseparator = "|"\n')
    result = run("convert", "..", "--to", "csv", "--flat", "-o", str(project / "m.csv"))
    assert result.exit_code == 2
    assert result.output.startswith("../../muscle-convert.toml:2:1: error: separator: '|' "
                                    "cannot separate the flat sheet's cells")
    assert not (project / "m.csv").exists()


def test_a_format_option_from_the_file_refused_by_the_writer_names_the_file(
        project: Path) -> None:
    """(the file gives no to: convert's own checks say it, at the key, not as a flag
    never typed)"""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\ndeck = "A::::B"\n')
    assert run("validate", "..", "-q").exit_code == 0
    result = run("convert", "..", "--to", "anki", "-o", str(project / "m.apkg"))
    assert result.exit_code == 2
    assert result.output.startswith("../../muscle-convert.toml:2:1: error: deck: deck name "
                                    "'A::::B' has an empty part")
    assert "--deck" not in result.output
    typed = run("convert", "..", "--to", "anki", "-o", str(project / "m.apkg"), "--deck",
                "C::::D")
    assert typed.exit_code == 2 and "Error: --deck: deck name 'C::::D'" in typed.output


def test_the_files_excel_applies_only_with_flat(project: Path) -> None:
    """One file serves the data package and the flat sheet: its excel = true is left out
    of a package; on the command line, --excel without --flat is still refused."""
    write(project / "muscle-convert.toml", 'exclude = ["README.md"]\nexcel = true\n')
    package = project / "package"
    assert run("convert", "..", "--to", "csv", "-o", str(package), "-q").exit_code == 0
    assert (package / "datapackage.json").is_file()
    sheet = project / "sheet.csv"
    assert run("convert", "..", "--to", "csv", "--flat", "-o", str(sheet), "-q"
               ).exit_code == 0
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run("convert", "..", "--to", "csv", "--excel", "-o", str(package), "-q",
                 "--no-config")
    assert result.exit_code == 2 and "--excel: applies only with --flat" in result.output


def _convert(*args: str) -> click.Context:
    """The context of ``convert ARGS`` as the command line makes it (the config file of
    the working folder read, its values the defaults)."""
    root = click.Context(cli, info_name="muscle-convert")
    return cli.commands["convert"].make_context("convert", list(args), parent=root)


@pytest.fixture
def configured_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose muscle-convert.toml gives a deck and [convert]'s flat."""
    monkeypatch.chdir(tmp_path)
    return write(tmp_path / "muscle-convert.toml", 'deck = "Muskler"\n[convert]\nflat = true\n')


def test_the_format_given_is_json_or_github_else_text() -> None:
    assert cli_config.format_given({"output_format": "json"}) == "json"
    assert cli_config.format_given({"output_format": "github"}) == "github"
    for given in ({}, {"output_format": "text"}, {"output_format": "xml"},
                  {"output_format": ["json"]}):
        assert cli_config.format_given(given) == "text"


def test_the_long_name_is_the_longest_long_option_not_the_off_switch() -> None:
    assert cli_config.long_name(click.Option(["--strict/--no-strict"])) == "strict"
    assert cli_config.long_name(click.Option(["--no-cache"], is_flag=True)) == "no-cache"
    assert cli_config.long_name(click.Option(["-o", "--output"])) == "output"
    assert cli_config.long_name(click.Argument(["sources"])) == ""


def test_applying_leaves_out_a_files_option_whose_needed_option_is_not_set() -> None:
    csv = get_format("csv")
    assert cli_config.applying(csv, {"excel": True, "flat": None}, {"excel"}) == {}
    assert cli_config.applying(csv, {"excel": True, "flat": True}, {"excel"}) == {
        "excel": True, "flat": True}
    assert cli_config.applying(csv, {"excel": True, "flat": None}, set()) == {"excel": True}


def test_the_writers_problem_is_said_as_flags_and_as_the_files_keys() -> None:
    json_writer, svg = get_format("json"), get_format("svg")
    assert cli_config.writer_problem(json_writer, "m.json", {}) is None
    assert cli_config.writer_problem(json_writer, "m.jsonl", {}) == (
        "raw_output", "m.jsonl is named like a .jsonl file (jsonl), and --to json writes "
        ".json files; rename it (or use --to jsonl)", "m.jsonl is named like a .jsonl file "
        '(jsonl), and to = "json" writes .json files; rename it (or use to = "jsonl")')
    needs = "needs size = \"WxH\", the diagram's size in pixels"
    assert cli_config.writer_problem(svg, "s", {"base_image": "b.png"}) == (
        "base_image", "--base-image: needs --size WxH, the diagram's size in pixels", needs)
    assert cli_config.writer_problem(svg, "s", {"base_image": "b.png"}, flagged=frozenset(),
                                     typed=frozenset({"base_image"})) == (
        "base_image", f"--base-image: {needs}", needs)


def test_configured_gives_the_files_defaults_by_parameter_name(
        configured_here: Path) -> None:
    ctx = _convert("src", "--to", "csv", "-o", "out")
    assert ctx.default_map == {"deck": "Muskler", "flat": True}
    assert cli_config.configured(ctx, {}) == {"deck": "Muskler", "flat": True}
    assert cli_config.configured(ctx, {"no_config": True}) == {}
    with pytest.raises(click.UsageError, match="--config and --no-config cannot go"):
        cli_config.configured(ctx, {"no_config": True, "config": "x.toml"})
    with pytest.raises(click.BadParameter, match="an empty path names no file"):
        cli_config.configured(ctx, {"config": ""})
    write(configured_here.parent / "bad.toml", "jobs = 0\n")
    with pytest.raises(cli_config.ConfigError) as caught:
        cli_config.configured(ctx, {"config": "bad.toml", "output_format": "json"})
    assert (str(caught.value.diagnostic), caught.value.fmt, caught.value.exit_code) == (
        "bad.toml:1:1: error: jobs: 0 is not in the range x>=1. [config-bad-value]",
        "json", 2)


def test_the_options_typed_flagged_and_from_the_file_are_told_apart(
        configured_here: Path) -> None:
    ctx = _convert("src", "--to", "csv", "-o", "out", "--strict")
    typed, flagged = cli_config.typed_options(ctx), cli_config.flagged_options(ctx)
    assert {"to", "output", "strict"} <= typed and not typed & {"deck", "flat", "jobs"}
    assert flagged is not None and {"to", "strict", "jobs"} <= flagged
    assert not flagged & {"deck", "flat"}
    unread = _convert("src", "--to", "json", "-o", "m.json", "--no-config")
    assert cli_config.flagged_options(unread) is None
    with ctx:
        assert cli_config.from_file({"deck": "Muskler", "flat": True, "strict": True}) == {
            "deck", "flat"}
        options = {"deck": "Muskler", "flat": True, "strict": True}
        cli_config.unless_taken(get_format("csv"), options)
        assert options == {"deck": None, "flat": True, "strict": True}


def test_the_options_typed_and_flagged_name_no_argument(configured_here: Path) -> None:
    """The sources given on the command line (an argument, no option: no long name) were
    among the options typed and flagged, named ``""``, a name no option has. Those sets
    hold options alone."""
    ctx = _convert("src", "--to", "csv", "-o", "out")
    typed, flagged = cli_config.typed_options(ctx), cli_config.flagged_options(ctx)
    assert typed == {"to", "output"}
    assert flagged is not None and "" not in flagged and {"to", "output"} <= flagged


def test_the_options_of_a_command_are_by_long_name_each_with_its_check(
        configured_here: Path) -> None:
    unread = _convert("src", "--to", "json", "-o", "m.json", "--no-config")
    options = cli_config.options_of(unread, "validate")
    assert {"jobs", "strict", "exclude", "format"} <= set(options)
    assert not {"help", "config", "no-config", "sources"} & set(options)
    param, key = options["jobs"]
    assert param.name == "jobs" and key.kind is int
    with pytest.raises(ValueError, match="0 is not in the range x>=1"):
        key.check(0)


def test_check_writing_refuses_at_the_files_key_what_its_writer_refuses(
        configured_here: Path) -> None:
    ctx = _convert("src", "--to", "csv", "-o", "out")
    config, params = ctx.meta["muscle-convert.config"], cli_config.options_of(ctx, "convert")
    cli_config.check_writing(config, params, {"to": "json", "output": "m.json"})
    cli_config.check_writing(config, params, {"output": "m.jsonl"})  # (no to: not checked)
    with pytest.raises(MuscleError) as caught:
        cli_config.check_writing(config, params, {"to": "json", "output": "m.jsonl"})
    assert [(d.field, d.code) for d in caught.value.diagnostics] == [
        ("output", "config-bad-value")]


def test_refuse_is_at_the_files_key_only_for_a_value_the_file_gave(
        configured_here: Path) -> None:
    ctx = _convert("src", "--to", "csv", "-o", "out", "--strict")
    from_file = cli_config.refuse(ctx, ("flat", "--flat: no", "flat: no"))
    assert isinstance(from_file, cli_config.ConfigError)
    assert str(from_file.diagnostic) == (
        "muscle-convert.toml:3:1: error: convert.flat: flat: no [config-bad-value]")
    typed = cli_config.refuse(ctx, ("strict", "--strict: no", "strict: no"))
    assert type(typed) is click.UsageError and typed.message == "--strict: no"


def test_the_working_folder_gone_is_one_usage_diagnostic_in_the_format_given(
        configured_here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from converter import slug
    ctx = _convert("src", "--to", "csv", "-o", "out")
    cli_config.folder_exists(ctx, {})  # (there: nothing said)
    gone = MuscleError(Diagnostic(".", None, None, "", "working-folder-gone", "is gone"))
    monkeypatch.setattr(slug, "folder_gone", lambda: gone)
    with pytest.raises(cli_config.UsageDiagnostic) as caught:
        cli_config.folder_exists(ctx, {"output_format": "github"})
    assert (caught.value.diagnostic, caught.value.fmt, caught.value.exit_code) == (
        gone.diagnostics[0], "github", 2)


def test_an_option_a_config_file_may_give_says_so_in_help_and_when_missing() -> None:
    @click.command()
    @cli_config.configuring
    @click.option("--to", cls=cli_config.ConfigRequired, help="Output format.")
    def toy(to: str) -> None:
        """A command of one option a config file may give."""

    shown = " ".join(CliRunner().invoke(toy, ["--help"]).output.split())
    assert "--to TEXT Output format. [required unless given by a config file]" in shown
    assert "--config FILE" in shown and "--no-config Read no config file." in shown
    missing = CliRunner().invoke(toy, [])
    assert missing.exit_code == 2 and missing.output.endswith(
        "Error: Missing option '--to'. Give it on the command line, or as to in a config "
        "file (muscle-convert.toml, or a pyproject.toml's [tool.muscle-convert], in this "
        "folder or one above, or --config FILE).\n")
