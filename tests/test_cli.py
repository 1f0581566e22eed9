"""The command line, through click's runner and once as a real installed program."""

from __future__ import annotations

import fcntl
import json
import math
import multiprocessing
import operator
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import jsonschema
import pytest
from click.testing import CliRunner

import converter
from converter.cli import SHOWN_WARNINGS, cli
from converter.schema import load_schema
from tests.conftest import (
    ROOT,
    SAMPLES,
    SEED,
    START_METHODS,
    WAIT,
    cli_command,
    deleting_at,
    into_a_gone_reader,
)

GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_convert_json_and_back_to_markdown(tmp_path: Path) -> None:
    result = run("convert", str(SAMPLES), "--to", "json", "-o", str(tmp_path / "m.json"))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema("muscle")).validate(data)
    assert len(data["muscles"]) == len(list(SAMPLES.glob("*.md")))
    result = run("convert", str(tmp_path / "m.json"), "--to", "markdown", "-o",
                 str(tmp_path / "md"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "md").glob("*.md")) == sorted(
        p.name for p in SAMPLES.glob("*.md"))


def test_formats_lists_core_formats() -> None:
    result = run("formats")
    assert result.exit_code == 0
    table, _, described = result.output.partition("\n\n")
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[1:]
            if not line.startswith(" ")}
    for name in ("markdown", "json", "jsonl"):
        assert rows[name][:3] == ["yes", "yes", "lossless"]
    # (-o x.html is refused: html writes a folder holding index.html)
    assert rows["html"] == ["-", "yes", "slug,title,latin,regions", "index.html/"]
    # (each format's description, which plugins must give as a str, a line each after)
    from converter.registry import get_format

    lines = described.splitlines()
    assert [line.split()[0] for line in lines] == list(rows)
    assert all(line.endswith(f"  {get_format(line.split()[0]).description}")
               for line in lines)


def test_html_output_given_as_input_is_named_as_what_it_is(tmp_path: Path) -> None:
    """"cannot tell the format from the name; use --from", which no --from could help;
    the folder's hint offered its diagram.svg to --from svg."""
    assert run("convert", str(SAMPLES), "--to", "html", "-o", str(tmp_path / "site"),
               "-q").exit_code == 0
    result = run("validate", str(tmp_path / "site" / "index.html"), str(tmp_path / "site"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{tmp_path / 'site'}: warning: holds no .markdown or .md files to read (it is a "
        "html folder, a format muscle-convert writes but cannot read) [no-inputs]",
        f"{tmp_path / 'site' / 'index.html'}: error: is a html file, a format "
        "muscle-convert writes but cannot read [unknown-format]"]


def test_schema_commands() -> None:
    canonical = json.loads(run("schema").output)
    authored = json.loads(run("schema", "--input").output)
    assert canonical["title"] == "muscle-convert canonical JSON"
    assert "function" in authored["properties"]
    for schema in (canonical, authored):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_validate_json_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: 3\n---\n", encoding="utf-8")
    result = run("validate", str(bad), str(SEED), "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""  # the JSON and nothing else, as README says
    found = json.loads(result.stdout)
    errors = [d for d in found if d["severity"] == "error"]
    assert [(d["path"], d["line"], d["field"], d["code"]) for d in errors] == [
        (str(bad), 2, "title", "wrong-type")]


def test_validate_github_output_annotates_the_lines_and_sums_up_on_stderr(
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: 3\n---\n", encoding="utf-8")
    result = run("validate", str(bad), "--format", "github", "--no-cache")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error title=wrong-type,file={bad},line=2,col=8::title: must be text, not a number"]
    assert result.stderr.splitlines()[-1] == "0 muscles valid, 1 file failed: 1 error, 0 warnings"
    clean = run("validate", str(SEED), "--format", "github", "--no-cache")
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_validate_github_output_names_files_from_the_checkout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A step with ``working-directory: content`` (or through a symlink to it) names
    its files as GitHub looks for them: from ``$GITHUB_WORKSPACE``."""
    checkout, elsewhere = tmp_path / "checkout", tmp_path / "elsewhere"
    (checkout / "content").mkdir(parents=True)
    elsewhere.mkdir()
    for folder in (checkout / "content", elsewhere):
        (folder / "bad.md").write_text("---\ntitle: 3\n---\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(checkout / "content")
    for working in (checkout / "content", tmp_path / "link"):
        monkeypatch.chdir(working)
        monkeypatch.setenv("PWD", str(working))
        result = CliRunner(env={"GITHUB_WORKSPACE": str(checkout)}).invoke(
            cli, ["validate", "bad.md", str(elsewhere / "bad.md"), "--format", "github",
                  "--no-cache"])
        assert [line.split(",")[1] for line in result.stdout.splitlines()] == [
            f"file={elsewhere / 'bad.md'}", "file=content/bad.md"]


def test_validate_github_output_names_the_other_files_from_the_checkout_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other file a message names (a slug's first user, a text's twin, an exercise's
    other spelling, what --exclude left out) is named as the annotation's ``file=`` names
    it; the text and JSON formats name it from the working folder, as they name the file."""
    content = tmp_path / "checkout" / "content"
    for name, folder in (("gastrocnemius.md", "a"), ("gluteus-medius.md", "a"),
                         ("gastrocnemius.md", "b")):
        (content / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / name, content / folder / name)
    (content / "c").mkdir()
    (content / "c" / "soleus.md").write_text((SAMPLES / "soleus.md").read_text(
        "utf-8").replace("Siddende calf-raise", "stående Calf-raise"), encoding="utf-8")
    (content / "empty").mkdir()
    (content / "empty" / "README.md").write_text("# For the editors\n", encoding="utf-8")
    monkeypatch.chdir(content)
    monkeypatch.setenv("PWD", str(content))
    args = ["validate", "empty", ".", "--exclude", "README.md", "--no-cache"]
    github = CliRunner(env={"GITHUB_WORKSPACE": str(tmp_path / "checkout")}).invoke(
        cli, [*args, "--format", "github"])
    said = {line.split("::")[1].split(",")[1]: line.split("::")[2]
            for line in github.stdout.splitlines()
            if "title=missing-language" not in line}
    assert said == {
        "file=content/a/gastrocnemius.md":
            "origin.da: same text as content/a/gluteus-medius.md (origin.da)",
        "file=content/a/gluteus-medius.md":
            "origin.da: same text as content/a/gastrocnemius.md (origin.da)",
        "file=content/b/gastrocnemius.md":
            "the file name gives the slug 'gastrocnemius', which is already used by "
            "content/a/gastrocnemius.md",
        "file=content/c/soleus.md":
            "exercises[0]: exercise 'stående Calf-raise' differs only by case or spacing "
            "from 'Stående calf-raise' in content/a/gastrocnemius.md",
        "file=content/empty":
            "holds no .markdown or .md files to read (--exclude left out "
            "content/empty/README.md)"}
    text = CliRunner(env={"GITHUB_WORKSPACE": str(tmp_path / "checkout")}).invoke(cli, args)
    assert ("b/gastrocnemius.md: error: the file name gives the slug 'gastrocnemius', "
            "which is already used by a/gastrocnemius.md [duplicate-slug]"
            ) in text.stderr.splitlines()
    found = json.loads(run(*args, "--format", "json").stdout)
    assert [(d["path"], d["message"]) for d in found if d["code"] == "no-inputs"] == [
        ("empty", "holds no .markdown or .md files to read (--exclude left out "
                  "empty/README.md)")]
    assert all(list(d) == ["path", "line", "column", "field", "code", "message",
                           "severity"] for d in found)


def test_validate_points_at_the_seeds_calf_slip_in_the_samples() -> None:
    result = run("validate", str(SAMPLES), "--format", "json")
    pairs = {(Path(d["path"]).name, d["field"], d["message"].split(" (")[0].split("/")[-1])
             for d in json.loads(result.stdout) if d["code"] == "duplicate-text"}
    assert ("gluteus-medius.md", "origin.da", "gastrocnemius.md") in pairs
    assert ("gastrocnemius.md", "origin.da", "gluteus-medius.md") in pairs


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    assert run("validate", str(SAMPLES)).exit_code == 0
    assert run("validate", str(SAMPLES), "--strict").exit_code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("convert", str(SAMPLES), "--to", "nope", "-o", str(tmp_path / "x")
               ).exit_code == 2
    assert run("convert", str(SAMPLES), "--to", "json").exit_code == 2


@pytest.mark.parametrize("args", [
    ("validate", str(SAMPLES), "--default-lang", "Danish"),
    ("convert", str(SAMPLES), "--to", "json", "-o", "OUT", "--default-lang", "en_GB"),
    ("fmt", str(SAMPLES), "--default-lang", "dansk"),
    ("validate", str(SAMPLES), "--default-lang", "en\n"),
    ("validate", str(SAMPLES), "--size", "12"),
    ("convert", str(SAMPLES), "--to", "svg", "-o", "OUT", "--size", "1x"),
    ("validate", str(SAMPLES), "--size", "1\nx2"),
    ("convert", str(SAMPLES), "--to", "svg", "-o", "OUT", "--size", "400x400\n"),
])
def test_bad_option_values_are_usage_errors_before_any_work(tmp_path: Path,
                                                            args: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    result = run(*(str(out) if a == "OUT" else a for a in args))
    assert result.exit_code == 2
    assert "Invalid value for" in result.output
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (("csv", "--excel"), "--excel: applies only with --flat"),
    (("csv", "--separator", ";"), "--separator: applies only with --flat"),
    (("csv", "--flat", "--separator", "|"), "--separator: '|' cannot separate the flat "
     "sheet's cells: give ',' (the default), ';' or a tab"),
    (("csv", "--flat", "--separator", "\\t"), "--separator: '\\t' cannot separate the flat "
     "sheet's cells: give ',' (the default), ';' or a tab; a tab is typed --separator "
     "$'\\t' in bash"),
    (("svg", "--base-image", "body.png"), "--base-image: needs --size WxH"),
    (("html", "--lang", "1"), "--lang: '1' is not a language tag"),
    (("anki", "--lang", "123"), "--lang: '123' is not a language code"),
    (("anki", "--deck", ""), "--deck: deck name '' has an empty part"),
    (("anki", "--deck", "Anatomi::"), "--deck: deck name 'Anatomi::' has an empty part"),
])
def test_format_options_that_cannot_be_written_with_are_usage_errors(
        tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    """The writer's own check, asked before any file is read (exit 2, not 1)."""
    out = tmp_path / "out"
    result = run("convert", str(SAMPLES), "--to", *args, "-o", str(out))
    assert result.exit_code == 2
    assert f"Error: {message}" in result.output
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("given", ["env", "option"])
def test_a_cache_directory_inside_the_output_folder_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    """Opening the cache made the new output folder, which the run then refused as no
    folder of the tool's (output-not-ours, "choose a new or empty directory"), while
    --no-cache wrote it: a usage error names both now, before anything is made."""
    monkeypatch.chdir(tmp_path)
    cache = os.path.join("build", "site", ".cache")
    more = ("--cache-dir", cache) if given == "option" else ()
    if given == "env":
        monkeypatch.setenv("MUSCLE_CONVERT_CACHE_DIR", cache)
    result = run("convert", str(SAMPLES), "--to", "html", "-o", "build/site", *more)
    assert result.exit_code == 2
    assert (f"Error: the cache directory {cache} is inside the output folder build/site, "
            "which a run replaces with what it writes: give a cache directory outside it, "
            "or --no-cache") in result.output
    assert not (tmp_path / "build").exists()
    assert run("convert", str(SAMPLES), "--to", "html", "-o", "build/site",
               "--no-cache", *more).exit_code == 0


@pytest.mark.parametrize(("args", "said"), [
    (("--to", "json", "-o", "new\nline.jsonl"),
     "Error: new\\nline.jsonl is named like a .jsonl file (jsonl), and --to json writes "
     ".json files; rename it (or use --to jsonl)"),
    (("--to", "json", "-o", "d\x1b[31m/"),
     "Error: d\\x1b[31m/ names a directory, and --to json writes one file; give a file "
     "name"),
    (("--to", "html", "-o", "h\nh", "--cache-dir", "h\nh/c"),
     "Error: the cache directory h\\nh/c is inside the output folder h\\nh, which a run "
     "replaces with what it writes: give a cache directory outside it, or --no-cache"),
])
def test_a_usage_error_shows_a_typed_path_escaped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
        said: str) -> None:
    """A path typed with a newline split the usage error over two lines, and one with
    an escape (ESC) reached a terminal as it is; each is a Python escape, as the
    diagnostics show paths (the stream as a terminal's: click strips no escape)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), *args], color=True)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == said
    assert "\x1b" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "said"), [
    (("--to", "json", "-o", "x.json", "--cache-dir", "x.json"),
     "the cache directory x.json is the output file x.json, which a run replaces with "
     "what it writes: give a cache directory elsewhere, or --no-cache"),
    (("--to", "json", "-o", "x.json", "--cache-dir", "x.json/c"),
     "the cache directory x.json/c is below the output file x.json, which a run replaces "
     "with what it writes: give a cache directory elsewhere, or --no-cache"),
    (("--to", "html", "-o", "site", "--cache-dir", "site"),
     "the cache directory site is the output folder site, which a run replaces with "
     "what it writes: give a cache directory outside it, or --no-cache"),
])
def test_a_cache_directory_that_is_the_output_names_it_as_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
        said: str) -> None:
    """A cache directory that was a one-file output ('-o x.json --cache-dir x.json')
    was 'inside the output folder x.json'; the output is named as a file, and the
    cache as the output itself where it is."""
    monkeypatch.chdir(tmp_path)
    result = run("convert", str(SAMPLES), *args)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {said}")
    assert list(tmp_path.iterdir()) == []


def test_a_bad_source_date_epoch_is_a_usage_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    result = run("convert", str(SAMPLES), "--to", "anki", "-o", str(tmp_path / "m.apkg"))
    assert result.exit_code == 2
    assert "Error: SOURCE_DATE_EPOCH: 'abc' is not a number" in result.output


@pytest.mark.parametrize("to, output, message", [
    (("json",), "new/", "new/ names a directory, and --to json writes one file"),
    (("sqlite",), "new/", "new/ names a directory, and --to sqlite writes one file"),
    (("csv", "--flat"), "new/", "new/ names a directory, and --to csv writes one file"),
    (("json",), "new/.", "new/. names a directory, and --to json writes one file"),
    (("anki",), "..", ".. names a directory, and --to anki writes one file"),
    (("svg",), "map.svg", "--to svg writes a directory, and map.svg is named like a .svg"),
    (("html",), "site.json", "--to html writes a directory, and site.json is named like a"),
    (("html",), "site/index.html", "--to html writes a directory, and site/index.html is"),
    (("markdown",), "x.MD", "--to markdown writes a directory, and x.MD is named like a .md"),
    (("csv",), "m.csv", "named like a .csv file; give a directory name (or pass --flat"),
    (("json",), "m.jsonl", "m.jsonl is named like a .jsonl file (jsonl), and --to json "
     "writes .json files; rename it (or use --to jsonl)"),
    (("json",), "m.apkg", "m.apkg is named like a .apkg file (anki)"),
    (("jsonl",), "m.json", "--to jsonl writes .jsonl or .ndjson files"),
    (("anki",), "m.db", "m.db is named like a .db file (sqlite)"),
    (("sqlite",), "-", "--to sqlite cannot write into standard output; give a file name"),
    (("sqlite",), "/dev/stdout", "Error: --to sqlite cannot write into standard output, "
     "a device or a FIFO; give a file name"),
    (("sqlite",), "/dev/null", "--to sqlite cannot write into standard output, a device"),
])
def test_an_output_named_as_the_other_kind_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: tuple[str, ...], output: str,
        message: str) -> None:
    """A trailing / names a directory (Path would drop it and write a file there); a
    directory named like a file is a mistake (``-o map.svg`` for the svg folder)."""
    monkeypatch.chdir(tmp_path)
    result = run("convert", str(SAMPLES), "--to", *to, "-o", output)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def _tree(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or ``path`` itself) and its bytes."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): p.read_bytes() for p in files}


@pytest.mark.parametrize(("to", "name", "more"), [
    ("json", "m.json", []), ("sqlite", "m.db", ["--prune"]), ("markdown", "md", []),
    ("svg", "map", []), ("csv", "pkg", [])])
@pytest.mark.parametrize("source", ["missing", "empty", "all bad"])
def test_a_run_that_read_no_muscle_leaves_the_last_output_whole(
        to: str, name: str, more: list[str], source: str, tmp_path: Path) -> None:
    """A typo in the source, an empty folder, or files that all fail replaced the output
    with an empty one (SQLite --prune removed every muscle, though their files exist)."""
    out = tmp_path / name
    assert run("convert", str(SAMPLES), "--to", to, "-o", str(out), "-q").exit_code == 0
    before = _tree(out)
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.md").write_text("---\ntitle: [A]\n---\n", encoding="utf-8")
    given = {"missing": tmp_path / "typo", "empty": tmp_path / "empty",
             "all bad": tmp_path / "bad"}[source]
    for path in (tmp_path / "empty", tmp_path / "bad" / "a.md", tmp_path / "bad"):
        os.utime(path, (1e9, 1e9))  # (long unchanged: the second run is a replay)
    for _ in ("run", "replayed"):  # a replay said "up to date" of what it never wrote
        result = run("convert", str(given), "--to", to, "-o", str(out), *more)
        assert result.exit_code == (0 if source == "empty" else 1)
        assert f"nothing written to {out}: no muscle was read" in result.output
        assert _tree(out) == before


def test_an_empty_run_to_standard_output_still_writes_a_document(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("convert", str(tmp_path / "empty"), "--to", "json", "-o", "-")
    assert json.loads(result.stdout)["muscles"] == []


def test_an_error_of_the_output_fails_the_run_but_no_input_file(tmp_path: Path) -> None:
    """A focus image left out (the muscle "map" would replace map.svg) is an error of
    the output: every input was converted, so none failed, and the run still exits 1."""
    shutil.copytree(SAMPLES, tmp_path / "src")
    (tmp_path / "src" / "map.md").write_text(
        '---\ntitle: Map\ncoords:\n  - "10,10,20,10,20,20"\n---\n', encoding="utf-8")
    result = run("convert", str(tmp_path / "src"), "--to", "svg", "-o", str(tmp_path / "h"),
                 "--no-cache")
    assert result.exit_code == 1
    assert "[reserved-name]" in result.stderr
    assert result.stderr.endswith("16 muscles converted, 0 files failed\n")


def test_failed_files_are_those_reading_found_errors_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not less for an input named like the output (or "None", validate's); not more
    for a writer's error: see the test above."""
    from converter.run import validate_sources

    monkeypatch.chdir(tmp_path)
    Path("None").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    checked = validate_sources([Path("None")], from_format="markdown")
    assert (checked.failed, checked.errors) == (1, 1)
    Path("bad.json").write_text('{"muscles": [{"slug": "a", "title": 5}]}', encoding="utf-8")
    result = run("convert", "bad.json", "--to", "json", "-o", "bad.json", "--no-cache")
    assert result.stderr.endswith("0 muscles converted, 1 file failed\n")


def test_fmt_reports_a_missing_path_as_validate_does(tmp_path: Path) -> None:
    """One not-found diagnostic and exit 1 (it was click's usage error, exit 2), the
    other paths still formatted."""
    good = tmp_path / "soleus.md"
    shutil.copy(SAMPLES / "soleus.md", good)
    result = run("fmt", str(tmp_path / "missing.md"), str(good))
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing.md'}: error: no such file or directory [not-found]" \
        in result.stderr
    assert result.stderr.endswith(", 1 failed\n")
    assert run("fmt", "--check", str(good)).exit_code == 0


def test_fmt_counts_a_file_it_does_not_handle_as_failed(tmp_path: Path) -> None:
    data = tmp_path / "m.json"
    assert run("convert", str(SAMPLES / "soleus.md"), "--to", "json", "-o", str(data)
               ).exit_code == 0
    result = run("fmt", str(data))
    assert result.exit_code == 1
    assert "[cannot-format]" in result.stderr
    assert result.stderr.endswith("0 changed, 0 unchanged, 1 failed\n")


def test_fmt_names_no_option_it_lacks_for_a_file_of_no_format(tmp_path: Path) -> None:
    """fmt said "cannot tell the format from the name; use --from", and fmt --from is
    "No such option"; of a folder of JSON files, "name it, or pass --from json"."""
    notes = tmp_path / "notes.txt"
    notes.write_text("---\ntitle:   S\n---\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.json").write_text('{"muscles": []}', encoding="utf-8")
    result = run("fmt", "--no-config", str(notes), str(tmp_path / "data"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{tmp_path / 'data'}: warning: holds no .markdown or .md files to read (it holds "
        "1 json file, a.json: fmt rewrites only .markdown or .md files) [no-inputs]",
        f"{notes}: error: cannot tell the format from the name; fmt rewrites only "
        ".markdown or .md files [unknown-format]"]
    assert "--from" not in result.stderr
    for command in (("validate", "--no-cache"), ("convert", "--to", "json", "-o",
                                                 str(tmp_path / "o.json"), "--no-cache")):
        said = run(*command, "--no-config", str(notes), str(tmp_path / "data")).stderr
        assert f"{notes}: error: cannot tell the format from the name; use --from " \
            "[unknown-format]" in said
        assert "a.json: name it, or pass --from json) [no-inputs]" in said
        assert run(*command, "--no-config", "--from", "markdown", str(notes)).exit_code == 0


def test_an_output_that_cannot_be_written_is_named_as_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not as the absolute path the symlinks lead to."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x", encoding="utf-8")
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE t (x)")
    for args, shown in [(("svg", "-o", "mine"), "mine: error: "),
                        (("sqlite", "-o", "other.db"), "other.db: error: ")]:
        result = run("convert", str(SAMPLES), "--to", *args, "--no-cache")
        assert result.exit_code == 1
        assert any(line.startswith(shown) for line in result.stderr.splitlines()), args


def test_the_api_refuses_an_option_the_writer_does_not_take(tmp_path: Path) -> None:
    import converter

    muscles = converter.read(SAMPLES / "soleus.md")
    with pytest.raises(TypeError, match="the anki writer takes no option 'dek'"):
        converter.write(muscles, tmp_path / "m.apkg", dek="Anatomi")
    with pytest.raises(TypeError, match="the json writer takes no option 'flat'"):
        converter.write(muscles, tmp_path / "m.json", "json", flat=True)
    assert list(tmp_path.iterdir()) == []
    converter.write(muscles, tmp_path / "md", "markdown", default_lang="da")


@pytest.mark.parametrize("to", [("json",), ("jsonl",), ("sqlite",), ("anki",),
                                ("csv", "--flat")])
def test_a_folder_named_as_a_one_file_output_is_a_usage_error_before_any_reading(
        to: tuple[str, ...], tmp_path: Path) -> None:
    """It was cannot-write, output-is-directory or output-not-file by format, each after
    every file had been read."""
    (tmp_path / "dir").mkdir()
    result = run("convert", str(tmp_path / "missing"), "--to", *to, "-o", str(tmp_path / "dir"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'dir'} names a directory, and --to {to[0]} writes one file" in (
        result.output)
    assert "not-found" not in result.output


@pytest.mark.parametrize("to", [("svg",), ("html",), ("markdown",), ("csv",)])
@pytest.mark.parametrize("output", ["afile", "/dev/null"])
def test_a_file_named_as_a_folder_output_is_a_usage_error_before_any_reading(
        to: tuple[str, ...], output: str, tmp_path: Path) -> None:
    """It was output-not-directory with exit 1, after every file had been read and its
    lints printed; the mirror case (a folder for a one-file format) was refused first."""
    (tmp_path / "afile").write_text("kept\n", encoding="utf-8")
    output = str(tmp_path / output) if output == "afile" else output
    result = run("convert", str(tmp_path / "missing"), "--to", *to, "-o", output)
    assert result.exit_code == 2
    assert f"--to {to[0]} writes a directory, and {output} exists and is not one" in (
        result.output)
    assert "not-found" not in result.output
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize("target", ["file/x.json", "/proc/x.json"])
def test_unwritable_output_is_one_diagnostic_not_a_traceback(tmp_path: Path,
                                                             target: str) -> None:
    (tmp_path / "file").write_text("in the way\n")
    (tmp_path / "dir").mkdir()
    out = target if target.startswith("/") else str(tmp_path / target)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "json", "-o", out])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{out}: error: cannot write here:" in result.stderr
    assert "[cannot-write]" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / "file").read_text() == "in the way\n"


@pytest.mark.parametrize(("to", "output"), [("json", "file/x.json"), ("svg", "file/map"),
                                           ("sqlite", "file/a/b.db"), ("csv", "file/a/pkg")])
def test_a_relative_output_under_a_file_names_the_file_in_the_way(
        to: str, output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The message was the system's "File exists" (or "Not a directory", naming a folder
    that is not there), where a file stands in the way of the output's folder."""
    monkeypatch.chdir(tmp_path)
    Path("file").write_text("in the way\n")
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", to, "-o", output,
                                      "--no-cache"])
    assert result.exit_code == 1
    assert (f"{output}: error: cannot write here: {tmp_path / 'file'} is a file, not a "
            "folder [cannot-write]") in result.stderr


def test_output_names_that_escape_or_folders_not_ours_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.json").write_text(json.dumps({"muscles": [
        {"slug": "ok", "title": "Ok"}, {"slug": "../../evil", "title": "Evil"}]}))
    result = run("convert", str(src / "m.json"), "--to", "markdown", "-o",
                 str(tmp_path / "md"))
    assert result.exit_code == 1 and "bad-slug" in result.stderr
    assert sorted(p.name for p in (tmp_path / "md").iterdir()) == [".muscle-convert", "ok.md"]
    assert not (tmp_path / "evil.md").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me\n")
    result = run("convert", str(SAMPLES), "--to", "svg", "-o", str(mine))
    assert result.exit_code == 1 and "[output-not-ours]" in result.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_a_refused_output_counts_the_muscles_read_not_an_empty_input(tmp_path: Path) -> None:
    """A folder of the user's as the output said '0 muscles converted' of an input that
    held a muscle, as if it were empty."""
    (tmp_path / "ref.json").write_text(json.dumps({"muscles": [
        {"slug": "soleus", "title": "Soleus"}]}))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me\n")
    result = run("convert", str(tmp_path / "ref.json"), "--to", "markdown", "-o", str(mine),
                 "--no-cache")
    assert result.exit_code == 1 and "[output-not-ours]" in result.stderr
    assert result.stderr.splitlines()[-1] == (f"nothing written to {mine}; 1 muscle read, "
                                              "0 files failed")


def test_exclude_leaves_a_sites_other_files_out_of_convert_validate_and_fmt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Hugo site's content/README.md made convert exit 1 (no-front-matter), its
    _index.md section pages (a title only) were published as muscles, and validate . at
    an Eleventy root read node_modules."""
    content = tmp_path / "content"
    (content / "muscles" / "soleus").mkdir(parents=True)
    shutil.copy(SAMPLES / "soleus.md", content / "muscles" / "soleus" / "index.md")
    shutil.copy(SAMPLES / "trapezius.md", content / "muscles")
    (content / "README.md").write_text("# How to edit this site\n", encoding="utf-8")
    (content / "muscles" / "_index.md").write_text("---\ntitle: Muscles\n---\n",
                                                   encoding="utf-8")
    (content / "node_modules" / "pkg").mkdir(parents=True)
    (content / "node_modules" / "pkg" / "README.md").write_text("# pkg\n", encoding="utf-8")
    out = tmp_path / "m.json"
    hugo = ["--exclude", "_index.md", "--exclude", "README.md"]
    result = run("convert", str(content), "--to", "json", "-o", str(out))
    assert result.exit_code == 1 and "[no-front-matter]" in result.stderr
    result = run("convert", str(content), "--to", "json", "-o", str(out), *hugo)
    assert result.exit_code == 0, result.output
    assert [m["slug"] for m in json.loads(out.read_text(encoding="utf-8"))["muscles"]] == [
        "soleus", "trapezius"]
    monkeypatch.chdir(content)
    result = run("validate", ".", "--exclude", "node_modules", "--exclude", "/README.md",
                 "--exclude", "_*", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr == "2 muscles valid: 0 errors, 0 warnings\n"
    result = run("validate", ".", "README.md", *hugo)  # (a source named is read)
    assert result.exit_code == 1 and result.stderr.startswith(
        "README.md:1:1: error: has no front matter")
    assert run("fmt", "--check", ".").exit_code == 1  # (the README.md files)
    result = run("fmt", "--check", ".", "--exclude", "README.md")
    assert (result.exit_code, result.output) == (
        0, "note: 1 file left out: its format does not take it for its own "
        "(muscles/_index.md, a Hugo section page: name it to read it)\n0 would change, "
        "2 unchanged\n")
    for bad, why in (("", "an empty pattern"), ("#x", "'#x' is a comment"),
                     ("!", "'!' is not a pattern"),
                     ("[a-Z]*.md", "'[a-Z]*.md' is not a pattern")):  # (was a traceback)
        for command in (["convert", ".", "--to", "json", "-o", str(out)], ["validate", "."],
                        ["fmt", "."]):
            result = run(*command, "--exclude", bad)
            assert result.exit_code == 2 and f"--exclude': {why}" in result.output


@pytest.mark.parametrize("cached", [True, False])
def test_an_output_inside_a_source_folder_is_not_read_back(tmp_path: Path,
                                                           cached: bool) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLES, site)
    first = (site / "export").absolute()
    flags = [] if cached else ["--no-cache"]
    for out in (first, site / "." / "export", first):  # another spelling of the same place
        result = run("convert", str(site), "--to", "markdown", "-o", str(out), *flags)
        assert result.exit_code == 0 and "duplicate-slug" not in result.stderr, result.output
    assert len(list(first.glob("*.md"))) == len(list(SAMPLES.glob("*.md")))
    nested = run("convert", str(site), "--to", "markdown", "-o", str(site / "b"), *flags)
    assert nested.exit_code == 0 and "duplicate-slug" not in nested.stderr  # (another
    # run's output below a source was read back: every muscle a duplicate)
    assert f"{first}: note: not searched" in nested.stderr


def test_a_one_file_output_in_a_source_folder_is_read_by_a_later_search_unless_excluded(
        tmp_path: Path) -> None:
    """Only folders carry the marker, as README says: a muscles.json an earlier run wrote
    beside JSON sources is read as one by the next ``--from json`` search."""
    site = tmp_path / "site"
    site.mkdir()
    assert run("convert", str(SAMPLES), "--to", "json", "-o", str(site / "src.json")
               ).exit_code == 0
    count = len(list(SAMPLES.glob("*.md")))
    own = run("convert", str(site), "--from", "json", "--to", "json", "-o",
              str(site / "muscles.json"))
    assert own.exit_code == 0 and "duplicate-slug" not in own.stderr
    again = run("convert", str(site), "--from", "json", "--to", "json", "-o",
                str(site / "muscles.json"))  # (its own output, there now: not read)
    assert again.exit_code == 0 and "duplicate-slug" not in again.stderr
    later = run("validate", str(site), "--from", "json")
    assert later.exit_code == 1
    assert later.stderr.count("[duplicate-slug]") == count
    assert "note:" not in later.stderr
    excluded = run("validate", str(site), "--from", "json", "--exclude", "muscles.json")
    assert excluded.exit_code == 0 and "duplicate-slug" not in excluded.stderr


def test_a_folder_muscle_convert_wrote_below_a_source_is_one_note_that_fails_nothing(
        tmp_path: Path) -> None:
    """An export inside a source folder was read back by convert, validate and fmt."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("soleus.md", "trapezius.md"):  # (no warnings: --strict passes)
        shutil.copy(SAMPLES / name, site)
    assert run("convert", str(site), "--to", "markdown", "-o", str(site / "export")
               ).exit_code == 0
    shutil.copy(SEED, site / "export")  # (not in fmt's layout: fmt must leave it be)
    note = (f"{site / 'export'}: note: not searched, muscle-convert wrote it (name it to "
            "read it)\n")
    commands = (["convert", str(site), "--to", "json", "-o", str(tmp_path / "m.json")],
                ["validate", str(site)], ["validate", str(site), "--format", "json"],
                ["fmt", "--check", str(site)])
    for command in commands:
        result = run(*command, *(["--strict"] if command[0] != "fmt" else []))
        assert result.exit_code == 0, result.output
        if "--format" in command:  # (--format json: the report alone, nothing on stderr)
            assert result.stderr == ""
            continue
        assert result.stderr.count(note) == 1 and "warning:" not in result.stderr
        assert "[" not in result.stderr.replace(note, "")
        assert run(*command, "--quiet").stderr == ""
    assert run("validate", str(site)).stderr.endswith("2 muscles valid: 0 errors, "
                                                      "0 warnings\n")
    assert json.loads(run("validate", str(site), "--format", "json").stdout) == []
    assert run("fmt", str(site)).exit_code == 0
    assert (site / "export" / SEED.name).read_bytes() == SEED.read_bytes()
    named = run("validate", str(site / "export"))  # (named: read)
    assert "3 muscles valid" in named.stderr and "note:" not in named.stderr


def test_fmt_reads_files_like_validate(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "g.md")
    (tmp_path / "binary.md").write_bytes(b"---\x00\x01\n")
    result = run("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert "[binary-file]" in result.stderr
    assert "1 would change, 0 unchanged, 1 failed" in result.stderr  # (--check: none did)
    result = run("fmt", "--check", "--max-bytes", "100", str(tmp_path / "g.md"))
    assert "[file-too-large]" in result.stderr and result.exit_code == 1


@pytest.mark.parametrize("typed", ["PT-BR", "Pt-Br", "pt-BR"])
def test_default_lang_in_capitals_is_the_code_in_bcp_47s_case(
        tmp_path: Path, typed: str) -> None:
    """--default-lang PT-BR (or DA) was a usage error ('PT-BR' is not a language code
    such as da or en), though codes ignore case. It is taken as pt-BR: convert and fmt
    write what --default-lang pt-BR has them write (plain texts are pt-BR texts, a
    function's pt-BR text is written plain), and fmt leaves what it wrote as it is."""
    text = ("---\ntitle: Soleus\norigin: Tibia.\nfunction:\n  - short:\n"
            "      pt-BR: Flexes.\n---\n")
    for site in ("typed", "canonical"):
        (tmp_path / site).mkdir()
        (tmp_path / site / "soleus.md").write_text(text, encoding="utf-8")
    outputs = []
    for site, code in (("typed", typed), ("canonical", "pt-BR")):
        out = tmp_path / f"{site}.json"
        result = run("convert", str(tmp_path / site), "--to", "json", "-o", str(out),
                     "--default-lang", code, "--no-cache")
        assert result.exit_code == 0, result.output
        assert run("fmt", str(tmp_path / site), "--default-lang", code).exit_code == 0
        assert run("fmt", "--check", str(tmp_path / site), "--default-lang", code
                   ).exit_code == 0
        outputs.append((out.read_bytes(), (tmp_path / site / "soleus.md").read_bytes()))
    assert outputs[0] == outputs[1]
    (muscle,) = json.loads(outputs[0][0])["muscles"]
    assert (muscle["origin"], muscle["functions"][0]["short"]) == (
        {"pt-BR": "Tibia."}, {"pt-BR": "Flexes."})
    assert b"\norigin:\n  pt-BR: Tibia.\n" in outputs[0][1]
    assert b"\n  - short: Flexes.\n" in outputs[0][1]


def test_fmt_check_and_write(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "g.md")
    result = run("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1 and "g.md" in result.output
    assert (tmp_path / "g.md").read_bytes() == SEED.read_bytes()
    assert run("fmt", str(tmp_path)).exit_code == 0
    assert run("fmt", "--check", str(tmp_path)).exit_code == 0


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fmt_counts_and_names_a_file_found_again_through_a_symlink_once(
        tmp_path: Path, jobs: str) -> None:
    """``c/bar.md -> foo.md``: ``fmt --check`` said 2 would change, and fmt rewrote the
    file under the link's name, then counted it again as unchanged (1 changed, 1
    unchanged). Both count it once, named where it first came (bar.md, as reading
    does), and the file is rewritten, the link left a link."""
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(SEED, folder / "foo.md")
    (folder / "bar.md").symlink_to("foo.md")
    extra = [] if jobs == "1" else [str(tmp_path / f"m{i}.md") for i in range(80)]
    for name in extra:
        shutil.copy(SAMPLES / "soleus.md", name)  # (enough files for --jobs' workers)
    checked = run("fmt", "--check", "-j", jobs, str(folder), *extra)
    assert checked.exit_code == 1
    assert checked.stdout == f"would reformat {folder}/bar.md\n"
    assert f"1 would change, {len(extra)} unchanged" in checked.stderr
    written = run("fmt", "-j", jobs, str(folder), *extra)
    assert written.exit_code == 0
    assert written.stdout == f"reformatted {folder}/bar.md\n"
    assert f"1 changed, {len(extra)} unchanged" in written.stderr
    assert (folder / "bar.md").is_symlink() and os.readlink(folder / "bar.md") == "foo.md"
    assert (folder / "foo.md").read_bytes() != SEED.read_bytes()
    assert run("fmt", "--check", str(folder)).exit_code == 0


def test_fmt_lists_a_file_name_with_control_characters_on_one_line(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "g\nx\x1b[2J.md")
    result = run("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {tmp_path}/g\\nx\\x1b[2J.md\n"


def test_validate_json_names_a_file_name_that_is_not_utf8_in_valid_utf8(tmp_path: Path
                                                                         ) -> None:
    """The name's odd byte is a JSON escape of its lone surrogate: the output is UTF-8,
    and ``os.fsencode`` of the path read back is the file's name."""
    name = os.fsencode(tmp_path) + b"/bad\xffname.md"
    with open(name, "wb") as fh:
        fh.write(b"---\ntitle: X\ncoords: 5\n---\n")
    done = subprocess.run([sys.executable, "-m", "converter", "validate", str(tmp_path),
                           "--format", "json", "--no-cache"], capture_output=True, cwd=ROOT,
                          timeout=WAIT)
    assert done.returncode == 1
    found = json.loads(done.stdout.decode("utf-8"))
    assert [(os.fsencode(d["path"]), d["code"]) for d in found] == [
        (name, "bad-slug"), (name, "wrong-type")]  # (no slug is made of such a name)
    assert b"\\udcff" in done.stdout


def test_jobs_do_not_change_output(tmp_path: Path, start_method: str) -> None:
    """The output and the diagnostics of --jobs 2 are those of --jobs 1, with the workers
    forked or spawned (Windows, macOS: the board of a forked pool refused them)."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(GEN_CORPUS), str(corpus), "--count", "300"],
                   check=True, capture_output=True, timeout=WAIT)
    (corpus / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"m{jobs}.jsonl"
        result = run("convert", str(corpus), "--to", "jsonl", "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 1
        outputs.append((out.read_bytes(), result.stderr.replace(out.name, "OUT")))
    assert outputs[0] == outputs[1]


def test_installed_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "muscle-convert"
    out = tmp_path / "m.json"
    done = subprocess.run([str(script), "convert", str(SAMPLES), "--to", "json", "-o",
                           str(out)], capture_output=True, text=True, check=False, timeout=WAIT)
    assert done.returncode == 0, done.stderr
    assert "muscles converted" in done.stderr
    module = subprocess.run([sys.executable, "-m", "converter", "--help"],
                            capture_output=True, text=True, check=False, timeout=WAIT)
    assert module.returncode == 0 and "convert" in module.stdout


_INTERRUPTED_WHILE_LOADING = """
import builtins, sys
real = builtins.__import__

def interrupted(name, *args, **kwargs):
    if name == "cli" and args[-1:] == (1,):  # (from .cli import main: Ctrl-C meanwhile)
        raise KeyboardInterrupt
    return real(name, *args, **kwargs)

builtins.__import__ = interrupted
from converter.__main__ import main
main()
"""


def test_ctrl_c_while_the_command_line_loads_is_aborted_too() -> None:
    """It printed a KeyboardInterrupt traceback and exited 1."""
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED_WHILE_LOADING, "--help"],
                          capture_output=True, text=True, check=False, timeout=WAIT)
    assert (done.returncode, done.stderr, done.stdout) == (130, "Aborted!\n", "")


def test_convert_caps_warnings_but_prints_every_error(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(30):  # 15 pairs of files sharing an origin: 30 duplicate-text warnings
        (corpus / f"m{i}.md").write_text(
            f"---\ntitle: M{i}\norigin:\n  da: Hælbenet gennem akillessenen {i % 15}.\n---\n",
            encoding="utf-8")
    for i in range(25):
        (corpus / f"bad{i}.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = run("convert", str(corpus), "--to", "json", "-o", str(tmp_path / "m.json"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sum(": error: " in line for line in lines) == 25
    assert sum(": warning: " in line for line in lines) == SHOWN_WARNINGS
    assert f"... and {30 - SHOWN_WARNINGS} more warnings" in result.stderr
    listed = run("validate", str(corpus), "--format", "json")
    assert sum(d["code"] == "duplicate-text" for d in json.loads(listed.stdout)) == 30


def _imports_of(*args: str, names: tuple[str, ...]) -> tuple[set[str], str]:
    """The modules whose names start with one of ``names`` that a real run of
    ``muscle-convert ARGS`` imports, and what it printed on stderr before them."""
    code = ("import sys\nfrom converter.cli import main\nsys.argv = ['muscle-convert', *"
            f"{list(args)!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in sys.modules if m.startswith({names!r})),"
            " file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=WAIT)
    *said, modules = done.stderr.strip().splitlines()
    return set(json.loads(modules.replace("'", '"'))), "\n".join(said)


def _modules_after(*args: str) -> set[str]:
    """The format modules (and genanki) a real run of ``muscle-convert ARGS`` imports."""
    return _imports_of(*args, names=("formats.", "genanki"))[0]


def test_help_imports_no_json() -> None:
    """``--help`` renders no diagnostic and prints no schema: it imports no json (its
    start-up is measured against click's own, bench/RESULTS.md)."""
    assert _imports_of("--help", names=("json",))[0] == set()


def test_help_imports_no_format_and_a_conversion_no_unused_library(tmp_path: Path) -> None:
    assert _modules_after("--help") == set()
    used = _modules_after("convert", str(SAMPLES / "soleus.md"), "--to", "jsonl", "-o",
                          str(tmp_path / "m.jsonl"), "-q", "--no-cache")
    assert {"formats.jsonl", "formats.markdown"} <= used
    assert "genanki" not in used  # format modules import their heavy libraries on use
    assert {"formats.anki", "formats.csv", "formats.svg"} <= _modules_after("convert",
                                                                           "--help")


def test_convert_asks_for_the_formats_once_each_time_click_asks_for_its_options(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert``'s options walked every format again for each format option, and click
    asks for a command's options several times a run: 40 ``all_formats()`` calls on a
    replayed convert, 60 for ``convert --help``. Each time is now one call, and the
    options are made once for as long as the registry gives the same formats; other
    formats (a plugin installed between runs of one process) have theirs."""
    from converter import cli as cli_module
    from converter import registry

    calls: list[int] = []  # (the all_formats() calls of each time click asks)
    made: list[list[object]] = []  # (the options it is given besides convert's own)
    all_formats, get_params = (registry.all_formats,
                               cli_module._FormatOptionsCommand.get_params)

    def counting() -> list[registry.Format]:
        if len(calls) > len(made):  # (asked for convert's options)
            calls[-1] += 1
        return all_formats()

    def params(self: click.Command, ctx: click.Context) -> list[click.Parameter]:
        calls.append(0)
        given = get_params(self, ctx)  # type: ignore[arg-type]
        made.append([p for p in given if p not in self.params])
        return given

    monkeypatch.setattr(registry, "all_formats", counting)
    monkeypatch.setattr(cli_module._FormatOptionsCommand, "get_params", params)
    out = tmp_path / "m.json"
    for args in (["convert", "--help"], ["convert", str(SAMPLES), "--to", "json", "-o",
                                         str(out), "-q", "-j", "1"]):
        calls.clear()
        made.clear()
        assert run(*args).exit_code == 0
        assert len(calls) >= 2 and calls == [1] * len(calls), calls
        names = {o.name for f in all_formats() for o in f.options}  # (and --help)
        assert len(made[0]) == len(names) + 1 and all(  # (the same, made once)
            len(each) == len(made[0]) and all(map(operator.is_, each, made[0]))
            for each in made)
    assert len(json.loads(out.read_text(encoding="utf-8"))["muscles"]) == 15

    class Shaded(registry.Format):
        name = "shaded"
        extensions = (".shaded",)
        options = (registry.FormatOption("shade", "how dark"),
                   registry.FormatOption("deck", "the deck it is in"))

    formats = [*all_formats(), Shaded()]
    monkeypatch.setattr(registry, "all_formats", lambda: formats)
    shown = " ".join(run("convert", "--help").output.split())
    assert "--shade TEXT [shaded] how dark" in shown
    assert "--deck NAME [anki, shaded] Anki deck name" in shown, shown


def test_a_replayed_run_imports_no_reader_library(tmp_path: Path) -> None:
    """A re-run with nothing changed is replayed from the cache without importing PyYAML
    (a tenth of its start-up) or the SVG reader's modules; a run that reads the file
    imports PyYAML."""
    source = tmp_path / "soleus.md"
    shutil.copy(SAMPLES / "soleus.md", source)
    os.utime(source, (1_600_000_000, 1_600_000_000))  # (not modified moments ago)
    args = ("convert", str(source), "--to", "json", "-o", str(tmp_path / "m.json"))
    readers = ("yaml", "converter.yaml11", "converter.yamlsafe", "converter.svgtree",
               "converter.svgshown")
    first, said = _imports_of(*args, names=readers)
    assert "wrote 1 muscle" in said and {"yaml", "converter.yamlsafe"} <= first
    again, said = _imports_of(*args, names=readers)
    assert "up to date" in said and again == set()


def test_a_replayed_run_imports_no_process_pool(tmp_path: Path) -> None:
    """A replay starts no worker, so it imports no pool (multiprocessing.pool brings
    subprocess, queue and more: a worker's own set-up imported it at the top), nor the
    spawn start method's modules (converter.spawned imported them at the top, and
    they brought subprocess and multiprocessing.util, where Linux forks anyway)."""
    source = tmp_path / "soleus.md"
    shutil.copy(SAMPLES / "soleus.md", source)
    os.utime(source, (1_600_000_000, 1_600_000_000))  # (not modified moments ago)
    args = ("convert", str(source), "--to", "json", "-o", str(tmp_path / "m.json"))
    pools = ("multiprocessing.pool", "multiprocessing.popen_spawn_posix",
             "multiprocessing.spawn", "converter.spawned")
    _imports_of(*args, names=pools)
    again, said = _imports_of(*args, names=pools)
    assert "up to date" in said and again == set()


def test_progress_bar_only_on_a_terminal_with_many_files(monkeypatch) -> None:
    from converter import cli as cli_module

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli_module._progress(cli_module.PROGRESS_MIN_FILES, quiet=False) is not None
    assert cli_module._progress(cli_module.PROGRESS_MIN_FILES, quiet=True) is None
    assert cli_module._progress(cli_module.PROGRESS_MIN_FILES - 1, quiet=False) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert cli_module._progress(10 * cli_module.PROGRESS_MIN_FILES, quiet=False) is None


def test_summaries_agree_in_number_and_say_when_strict_fails_a_run(tmp_path: Path) -> None:
    """'1 files failed', '1 errors'; and --strict exited 1 under a summary of success."""
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SAMPLES / "soleus.md", one)
    (one / "bad.md").write_text("---\ntitle: [A]\n---\n", encoding="utf-8")
    result = run("convert", str(one), "--to", "json", "-o", str(tmp_path / "m.json"))
    assert result.stderr.endswith("wrote 1 muscle to "
                                  f"{tmp_path / 'm.json'}; 1 muscle converted, 1 file failed\n")
    result = run("validate", str(one))
    assert result.stderr.endswith("1 muscle valid, 1 file failed: 1 error, 0 warnings\n")
    for command in (["convert", str(SAMPLES), "--to", "json", "-o", str(tmp_path / "s.json")],
                    ["validate", str(SAMPLES)]):
        quiet = run(*command)
        strict = run(*command, "--strict")
        assert (quiet.exit_code, strict.exit_code) == (0, 1)
        warnings = quiet.stderr.count("warning:")
        assert strict.stderr.endswith(f" (--strict: {warnings} warnings fail the run)\n")
        assert "--strict" not in quiet.stderr


def test_strict_says_one_warning_fails_the_run_and_two_fail_it(tmp_path: Path) -> None:
    """'(--strict: 1 warning fail the run)'."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f'---\ntitle: {name}\nexercises:\n  - " "\n---\n',
                                             encoding="utf-8")
    one = run("validate", "--no-config", "--strict", str(tmp_path / "a.md"))
    assert one.stderr.endswith("1 muscle valid: 0 errors, 1 warning (--strict: 1 warning "
                               "fails the run)\n")
    two = run("validate", "--no-config", "--strict", str(tmp_path))
    assert two.stderr.endswith("2 muscles valid: 0 errors, 2 warnings (--strict: 2 warnings "
                               "fail the run)\n")


def test_the_samples_are_in_the_layout_fmt_writes_but_the_seed_kept_verbatim() -> None:
    result = run("fmt", "--check", str(SAMPLES))
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {SAMPLES / SEED.name}\n"  # (as it came)


def test_fmt_reports_a_file_it_cannot_write_and_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk or a read-only folder gave a traceback and ended the run."""
    import converter.run

    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(
            (SAMPLES / "soleus.md").read_text(encoding="utf-8").replace(
                "title: Soleus", 'title: "Soleus"'), encoding="utf-8")
    real = converter.run.atomic_file

    def full_for_a(path, *args, **kwargs):
        if path.name == "a.md":
            raise OSError(28, "No space left on device")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(converter.run, "atomic_file", full_for_a)
    before = (tmp_path / "a.md").read_bytes()
    result = run("fmt", "-j", "1", str(tmp_path))
    assert result.exit_code == 1
    assert (f"{tmp_path / 'a.md'}: error: cannot write here: No space left on device "
            "[cannot-write]") in result.stderr
    assert result.stdout == f"reformatted {tmp_path / 'b.md'}\n"
    assert (tmp_path / "a.md").read_bytes() == before
    assert result.stderr.endswith("1 changed, 0 unchanged, 1 failed\n")


def test_a_mistyped_format_name_gets_the_nearest_names_and_case_does_not_matter(
        tmp_path: Path) -> None:
    result = run("convert", str(SAMPLES), "--to", "jsn", "-o", str(tmp_path / "m.json"))
    assert result.exit_code == 2
    assert "unknown format 'jsn' (did you mean json or jsonl?); the formats that can be " \
        "written are anki, csv, html," in result.output
    assert run("convert", str(SAMPLES), "--to", "JSON", "-o", str(tmp_path / "m.json"),
               "-q").exit_code == 0
    assert run("validate", str(SAMPLES), "--from", "Markdown", "-q").exit_code == 0


def test_a_mistyped_format_to_read_is_told_only_the_formats_that_read() -> None:
    """``--from htm`` suggested html, which cannot be read, and listed it."""
    result = run("validate", str(SAMPLES), "--from", "htm")
    assert result.exit_code == 2
    assert "Invalid value for --from: unknown format 'htm'; the formats that can be read " \
        "are anki, csv, json, jsonl, markdown, sqlite, svg\n" in result.output


def test_a_dash_for_standard_input_is_told_it_is_not_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """It was ``-: error: standard input is not read ...``, and with ``--format github``
    an annotation on a file named ``-``; standard input is named so, as standard output
    is, and its annotation names no file."""
    monkeypatch.chdir(tmp_path)
    result = run("validate", "-")
    assert result.exit_code == 1
    assert "standard input: error: is not read: name files or folders [not-found]\n" in (
        result.stderr)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path.parent))
    result = run("validate", "--format", "github", "-")
    assert (result.exit_code, result.stdout) == (1, "::error title=not-found::standard "
                                                    "input: is not read: name files or "
                                                    "folders\n")


def test_a_file_named_standard_input_is_annotated_as_a_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file literally named ``standard input``, given by that name, had its
    annotations name no file (``::error title=wrong-type::standard input: title: ...``),
    as if ``-`` had been given; it is named, ``-`` beside it still naming none."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "standard input").write_text("---\ntitle: 5\n---\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    result = run("validate", "--from", "markdown", "--format", "github", "standard input",
                 "-")
    assert (result.exit_code, result.stdout.splitlines()) == (1, [
        "::error title=not-found::standard input: is not read: name files or folders",
        "::error title=wrong-type,file=standard input,line=2,col=8::title: must be text, "
        "not a number"])


def test_an_empty_path_is_not_the_working_folder(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert "$SRC"`` with SRC unset read every file below the working folder."""
    import shutil

    shutil.copy(SAMPLES / "soleus.md", tmp_path / "soleus.md")
    monkeypatch.chdir(tmp_path)
    for command in (["validate", ""], ["convert", "", "--to", "json", "-o", "m.json"],
                    ["fmt", "--check", ""]):
        result = run(*command)
        assert result.exit_code == 2
        assert "an empty path names no file or folder" in result.stderr
        assert "soleus" not in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["soleus.md"]
    with pytest.raises(converter.MuscleError, match="not-found"):
        converter.read("")


def test_one_hidden_warning_is_one_more_warning(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(SHOWN_WARNINGS):  # pairs of files sharing a text: a warning each
        (corpus / f"m{i}.md").write_text(
            f"---\ntitle: M{i}\norigin:\n  da: Hælbenet gennem akillessenen {i // 2}.\n"
            "---\n", encoding="utf-8")
    (corpus / "empty.md").write_text('---\ntitle: E\nexercises:\n  - ""\n---\n',
                                     encoding="utf-8")  # and one more
    result = run("convert", str(corpus), "--to", "json", "-o", str(tmp_path / "m.json"))
    assert ("... and 1 more warning (`muscle-convert validate` lists the sources' "
            "warnings)") in result.stderr


def test_a_writers_warning_is_never_hidden_by_the_cap(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    """convert --strict showed 20 warnings, then '... and 3 more warnings
    (`muscle-convert validate` lists them all)', a writer-failed warning (an update()
    that failed) among the hidden, which validate never says (it runs no writer). A
    writer-failed warning is now always said, the hidden counted without it, and the
    hint says validate lists the sources' warnings."""
    from converter.cli import _report_capped
    from converter.diagnostics import Diagnostic

    read = [Diagnostic(f"m{i}.md", 1, 1, "title", "odd", "odd title", "warning")
            for i in range(SHOWN_WARNINGS + 3)]
    failed = Diagnostic("out.x", None, None, "", "writer-failed", "the x writer's "
                        "update() failed: RuntimeError: boom; the output is written whole "
                        "instead", "warning")
    _report_capped([*read, failed])
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == ("... and 3 more warnings (`muscle-convert validate` lists the "
                         "sources' warnings)")
    assert sorted(lines[:-1]) == sorted(map(str, [*read[:SHOWN_WARNINGS], failed]))


def _closed(stream: int, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line with the standard stream ``stream`` (1 or 2) closed."""
    return subprocess.run(  # (closed before Python starts, as a shell's >&- does)
        ["bash", "-c", f'exec "$@" {stream}>&-', "-", sys.executable, "-m", "converter",
         *args], stderr=subprocess.PIPE if stream == 1 else None, text=True, check=False,
        cwd=cwd, timeout=WAIT)


def test_a_closed_standard_stream_is_no_reason_to_fail(tmp_path: Path) -> None:
    """With stderr closed (2>&-) every command did nothing and exited 1; with stdout
    closed, -o - ended in a traceback."""
    done = _closed(2, "convert", str(SAMPLES), "--to", "json", "-o", "m.json", cwd=tmp_path)
    assert done.returncode == 0
    assert converter.read(tmp_path / "m.json") == converter.read(SAMPLES)
    done = _closed(1, "convert", str(SAMPLES), "--to", "json", "-o", "-", cwd=tmp_path)
    assert done.returncode == 2
    assert "Error: standard output is closed; give a file name" in done.stderr



@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1"])
def test_a_name_of_a_closed_standard_output_is_refused_as_dash_is(
        name: str, tmp_path: Path) -> None:
    """-o /dev/stdout with stdout closed wrote into the null device standing in for
    it, said "wrote 15 muscles" and exited 0; it is refused as -o - is."""
    done = _closed(1, "convert", str(SAMPLES), "--to", "jsonl", "-o", name, cwd=tmp_path)
    assert done.returncode == 2
    assert "Error: standard output is closed; give a file name" in done.stderr

@pytest.mark.parametrize(("stream", "broken", "status"), [
    ("stderr", False, 0), ("stderr", True, 1), ("stdout", False, 0), ("stdout", True, 1)])
def test_validate_into_a_closed_pipe_still_says_whether_the_inputs_are_valid(
        stream: str, broken: bool, status: int, tmp_path: Path) -> None:
    """``validate ... | head -1`` exited 1 on a clean corpus, without a word."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    if broken:
        (folder / "broken.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    args = ["--format", "json"] if stream == "stdout" else []
    read, write = os.pipe()
    os.close(read)  # (the reader is gone before anything is written)
    try:
        done = subprocess.run([sys.executable, "-m", "converter", "validate", str(folder),
                               *args], **{stream: write}, check=False,
                              **({"stdout": subprocess.DEVNULL} if stream == "stderr"
                                 else {"stderr": subprocess.PIPE}), text=True, timeout=WAIT)
    finally:
        os.close(write)
    assert done.returncode == status
    assert "Traceback" not in (done.stderr or "")


def test_fmt_into_a_reader_that_stops_early_formats_every_file_and_says_so(
        tmp_path: Path) -> None:
    """``fmt f | head -1`` rewrote the first file and quit, exit 1, with no summary and
    none of the corpus's diagnostics: naming a file into the gone reader ended the run."""
    folder = tmp_path / "f"
    folder.mkdir()
    for n in range(1, 51):
        (folder / f"m{n}.md").write_text(f"---\nlatin: Musculus number {n} here\n"
                                         f"title: T{n}\n---\n", encoding="utf-8")
    checked = into_a_gone_reader("fmt", "--check", str(folder), "--jobs", "1")
    assert checked.returncode == 1  # (files would change)
    assert checked.stderr.endswith("50 would change, 0 unchanged\n"), checked.stderr
    done = into_a_gone_reader("fmt", str(folder), "--jobs", "1")
    assert (done.returncode, done.stderr) == (0, "50 changed, 0 unchanged\n")
    assert run("fmt", "--check", str(folder)).exit_code == 0  # every file was rewritten
    (folder / "m1.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    (folder / "m2.md").write_text("---\nlatin: L\ntitle: T\n---\n", encoding="utf-8")
    done = into_a_gone_reader("fmt", str(folder), "--jobs", "1")
    assert done.returncode == 1  # (the broken file)
    assert "m1.md:2:" in done.stderr and "[yaml-syntax]" in done.stderr, done.stderr
    assert done.stderr.endswith("1 changed, 48 unchanged, 1 failed\n"), done.stderr


@pytest.mark.parametrize("args", [["formats"], ["schema"], ["schema", "--input"]])
def test_a_listing_into_a_reader_that_stops_early_is_no_failure(args: list[str]) -> None:
    """``formats | head -1`` exited 1 without a word: the rest of its listing went
    into the gone reader."""
    done = into_a_gone_reader(*args)
    assert (done.returncode, done.stderr) == (0, "")


def test_strict_does_not_fail_on_a_reader_that_stops_early(tmp_path: Path) -> None:
    """``convert -o - --strict | head`` exited 1 on clean inputs: the ``output-closed``
    warning, which says no more than that the reader stopped, was counted as the
    content's. Its summary said it wrote every muscle to standard output, after the
    warning that the rest was dropped: it says the reader stopped now."""
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(SAMPLES / "biceps-brachii.md", clean)
    args = ["--to", "jsonl", "-o", "-", "--strict", "--no-cache"]
    done = into_a_gone_reader("convert", str(clean), *args)
    assert "[output-closed]" in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "wrote 1 muscle to standard output (its reader stopped before the end); "
        "1 muscle converted, 0 files failed"), done.stderr
    assert done.returncode == 0, done.stderr
    assert "--strict" not in done.stderr
    done = into_a_gone_reader("convert", str(SAMPLES), *args)  # (ten warnings of its own)
    assert done.returncode == 1
    assert done.stderr.endswith("(--strict: 10 warnings fail the run)\n"), done.stderr


@pytest.mark.parametrize("to", ["json", "sqlite", "svg"])
def test_an_output_that_cannot_be_written_still_lists_the_inputs_problems(
        to: str, tmp_path: Path) -> None:
    """Only "cannot write here" was said: the broken file and every warning were lost."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "broken.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    (tmp_path / "a-file").write_text("")
    result = run("convert", str(folder), "--to", to, "-o", str(tmp_path / "a-file" / "out"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.endswith("[cannot-write]") for line in lines)
    assert any("broken.md:2:8: error:" in line for line in lines)
    assert sum("[duplicate-text]" in line for line in lines) == 6
    assert lines[-1] == (f"nothing written to {tmp_path / 'a-file' / 'out'}; "
                         "15 muscles read, 1 file failed")
    good = tmp_path / "good.json"
    assert run("convert", str(folder), "--to", "json", "-o", str(good)).exit_code == 1
    assert len(converter.read(good)) == 15


_INTERRUPTED_FMT = """
import sys
import converter.run
real, done = converter.run._reformat_one, []

def reformat_one(item):
    if len(done) == 2:  # (Ctrl-C as the third file is being reformatted)
        raise KeyboardInterrupt
    done.append(item)
    return real(item)

converter.run._reformat_one = reformat_one
from converter.cli import main
main()
"""


#: fmt killed (SIGKILL) as it renames its first rewritten file into place: its
#: temporary, written and synced, is left beside the source.
_KILLED_FMT = """
import os, signal
real = os.replace

def replace(src, dst, *args, **kwargs):
    if str(dst).endswith(".md"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)

os.replace = replace
from converter.__main__ import main
main()
"""


def test_fmt_removes_the_temporaries_a_killed_fmt_left(tmp_path: Path) -> None:
    """A killed fmt left its ``.a.md.<random>.tmp`` among the sources, which the next fmt
    neither removed nor named (``git add -A`` took it in). fmt removes those no run
    holds the lock of, at once; one a run holds, one beside a file it does not format,
    and all of them under ``fmt --check`` (which changes nothing) stay."""
    shutil.copy(SEED, tmp_path / "a.md")
    killed = subprocess.run([sys.executable, "-c", _KILLED_FMT, "fmt", "-j", "1",
                             str(tmp_path)], capture_output=True, text=True, check=False,
                            timeout=WAIT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == -9, killed.stderr
    (left,) = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert left.startswith(".a.md.")
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    for name in (".notes.txt.abcd1234.tmp", ".a.md.held0000.tmp"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    held = os.open(tmp_path / ".a.md.held0000.tmp", os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # (a run under way)
        assert run("fmt", "--check", str(tmp_path / "a.md")).exit_code == 1
        assert left in os.listdir(tmp_path)
        done = run("fmt", str(tmp_path / "a.md"))
        assert (done.exit_code, done.stdout) == (0, f"reformatted {tmp_path}/a.md\n")
    finally:
        os.close(held)
    assert sorted(os.listdir(tmp_path)) == [".a.md.held0000.tmp", ".notes.txt.abcd1234.tmp",
                                            "a.md", "notes.txt"]


def test_an_interrupted_fmt_names_the_files_it_rewrote(tmp_path: Path) -> None:
    """The files were listed only at the end: a run stopped half-way named none of the
    files it had rewritten."""
    for name in "abcd":
        shutil.copy(SEED, tmp_path / f"{name}.md")
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED_FMT, "fmt", "-j", "1",
                           str(tmp_path)], capture_output=True, text=True, check=False,
                          timeout=WAIT)
    assert (done.returncode, done.stderr) == (130, "\nAborted!\n")
    assert done.stdout.splitlines() == [f"reformatted {tmp_path}/a.md",
                                        f"reformatted {tmp_path}/b.md"]
    assert [(tmp_path / f"{name}.md").read_bytes() == SEED.read_bytes()
            for name in "abcd"] == [False, False, True, True]


#: A sitecustomize that has every process (a spawned worker too) die as fmt reads m070.md
#: (the OOM killer's, or a crash's).
_DYING_FMT = """
import os, signal
import converter.run
reformat_one = converter.run._reformat_one

def dying(item):
    if item[0].endswith("m070.md"):
        os.kill(os.getpid(), signal.SIGKILL)
    return reformat_one(item)

converter.run._reformat_one = dying
"""


@pytest.mark.parametrize(("check", "doing"), [(["--check"], "checking"),
                                             ([], "reformatting")])
@pytest.mark.parametrize("start", START_METHODS)
def test_fmt_whose_worker_dies_stops_naming_its_file(tmp_path: Path, check: list[str],
                                                     doing: str, start: str) -> None:
    """fmt -j 2 hung for good when a worker process died (the pool waited for its
    files); it now stops with one worker-died error naming the file. It said
    the worker died "while reading" the file it was reformatting (or checking): it
    says which. It exited 1, as for invalid files: a run cut short exits 3. Workers
    spawned (Windows, macOS) too."""
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(_DYING_FMT, encoding="utf-8")
    files = tmp_path / "files"
    files.mkdir()
    for i in range(100):
        shutil.copy(SEED, files / f"m{i:03}.md")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), str(ROOT)])}
    done = subprocess.run([*cli_command(start), "fmt", "-j", "2", *check, str(files)],
                          capture_output=True, text=True, check=False, cwd=ROOT,
                          timeout=WAIT, env=env)
    assert "Traceback" not in done.stderr
    assert done.returncode == 3, done.stderr
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        f"{files}/m070.md: error: a worker process died (killed by signal 9, SIGKILL) "
        f"while {doing} this file; the run stopped [worker-died]"]


#: A sitecustomize that has the worker reformatting m099.md, the last file, SIGKILL the
#: other workers once they wait for work (none is left), and wait to be seen dead; no
#: count of looks at a pool that seems stalled stops the run (a hang fails the test).
_KILLING_IDLE_FMT = """
import os, signal, sys
import converter.run
from converter import workers
from tests import idling
reformat_one = converter.run._reformat_one
workers.STALLED = sys.maxsize

def killing(item):
    if item[0].endswith("m099.md"):
        others = idling.other_workers()
        idling.wait_until_waiting_for_work(others)
        for pid in others:
            os.kill(pid, signal.SIGKILL)
        idling.wait_until_seen_dead(others)
    return reformat_one(item)

converter.run._reformat_one = killing
"""


@pytest.mark.parametrize("start", START_METHODS)
def test_fmt_whose_worker_dies_waiting_for_work_rewrites_every_file(tmp_path: Path,
                                                                    start: str) -> None:
    """fmt -j 2 whose worker was killed while it waited for work (it held no file) stopped
    with "a worker process died (...) between files", its last files rewritten but not
    named. The run now goes on without it: every file rewritten and named, exit 0."""
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(_KILLING_IDLE_FMT, encoding="utf-8")
    files = tmp_path / "files"
    files.mkdir()
    for i in range(100):
        shutil.copy(SEED, files / f"m{i:03}.md")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "hook"), str(ROOT)])}
    done = subprocess.run([*cli_command(start), "fmt", "-j", "2", str(files)],
                          capture_output=True, text=True, check=False, cwd=ROOT,
                          timeout=WAIT, env=env)
    assert (done.returncode, done.stderr) == (0, "100 changed, 0 unchanged\n")
    assert done.stdout.splitlines() == [f"reformatted {files}/m{i:03}.md" for i in range(100)]


@pytest.mark.parametrize("files, expected", [
    ({"self": "0::/docker/abc\n", "docker/abc/cpu.max": "150000 100000\n",
      "docker/cpu.max": "max 100000\n"}, 1.5),
    ({"self": "0::/a/b\n", "a/b/cpu.max": "max 100000\n", "a/cpu.max": "100000 100000\n"},
     1.0),  # (a quota of a group above holds for all below it)
    ({"self": "4:cpu,cpuacct:/job\n", "cpu,cpuacct/job/cpu.cfs_quota_us": "300000\n",
      "cpu,cpuacct/job/cpu.cfs_period_us": "100000\n"}, 3.0),
    ({"self": "4:cpu,cpuacct:/\n", "cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
      "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, None),
    # (a v1 container without its own namespace: the host's path, its group at the top)
    ({"self": "12:cpu,cpuacct:/docker/0123abcd\n",
      "cpu,cpuacct/cpu.cfs_quota_us": "200000\n",
      "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, 2.0),
    ({"self": "0::/\n"}, None)],
    ids=["v2", "v2-above", "v1", "v1-none", "v1-container", "none"])
def test_the_default_jobs_follow_a_containers_cpu_quota(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict, expected: float | None
        ) -> None:
    """Under docker --cpus 2 on a 64-CPU runner, 64 workers were started."""
    import converter.cli

    for name, text in files.items():
        path = tmp_path / ("self" if name == "self" else f"fs/{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setattr(converter.cli, "CGROUPS", tmp_path / "fs")
    monkeypatch.setattr(converter.cli, "SELF_CGROUP", tmp_path / "self")
    assert converter.cli.cpu_quota() == expected
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
    assert converter.cli._jobs_default() == (64 if expected is None else
                                             math.ceil(expected))


@pytest.mark.parametrize("command", [
    ["validate", str(SAMPLES), "--format", "json", "--no-cache"],
    ["validate", str(SAMPLES), "--format", "github", "--no-cache"],
    ["formats"], ["--help"]])
def test_a_full_standard_output_is_one_diagnostic(command: list[str]) -> None:
    """``validate --format json > /dev/full`` (a report to a full disk) ended in a
    traceback, and ``formats`` and ``--help`` too."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "converter", *command], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=WAIT)
    assert (done.returncode, done.stderr.splitlines()[-1:]) == (1, [
        "standard output: error: cannot write here: No space left on device [cannot-write]"])
    assert "Traceback" not in done.stderr


def test_an_empty_output_name_is_a_usage_error(tmp_path: Path) -> None:
    """``-o ""`` (an unset variable, ``-o "$OUT"``) was the working folder: 'cannot write
    here: Is a directory' and '0 muscles converted', exit 1, as a config file's
    ``output = ""`` is not."""
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "json", "-o", ""])
    assert result.exit_code == 2
    assert "'-o' / '--output': an empty path names no file or folder" in result.output


@pytest.mark.parametrize("command", [["convert", "--to", "json", "-o", "m.json"],
                                     ["validate"]])
def test_an_empty_cache_directory_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    """``--cache-dir ""`` (``--cache-dir "$CACHE"`` unset) put the cache database in the
    working folder, as a config file's ``cache-dir = ""`` does not."""
    monkeypatch.chdir(tmp_path)
    result = run(*command, str(SAMPLES), "--cache-dir", "")
    assert result.exit_code == 2
    assert "'--cache-dir': an empty path names no file or folder" in result.output
    assert not list(tmp_path.iterdir())


def test_strict_goes_through_the_diagnostics_once(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """validate --strict lists the warnings and fails on them, going through the run's
    diagnostics once (to list them): its summary takes the errors as counted."""
    walks = []
    through = converter.diagnostics.DiagnosticLog.__iter__

    def counted(log: converter.diagnostics.DiagnosticLog):  # type: ignore[no-untyped-def]
        walks.append(len(log))
        return through(log)

    monkeypatch.setattr(converter.diagnostics.DiagnosticLog, "__iter__", counted)
    result = run("validate", str(SAMPLES), "--strict")
    warnings = result.output.count("warning:")
    assert (result.exit_code, warnings > 0) == (1, True)
    assert result.stderr.endswith(f" (--strict: {warnings} warnings fail the run)\n")
    assert walks == [warnings]


def _deleted_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder made the working folder, then deleted (as from another shell)."""
    gone = tmp_path / "site"
    gone.mkdir()
    monkeypatch.chdir(gone)
    os.rmdir(gone)
    return gone


@pytest.mark.parametrize("command", [
    ["convert", str(SAMPLES.resolve()), "--to", "json", "-o", "{out}/m.json"],
    ["validate", str(SAMPLES.resolve())],
    ["fmt", "--check", str(SAMPLES.resolve())],
    ["validate", "--config", "muscle-convert.toml", str(SAMPLES.resolve())],
])
def test_every_command_in_a_deleted_working_folder_says_so(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert -o .`` had swapped the shell's folder away: the next run, even of
    absolute paths only, ended in a FileNotFoundError's traceback."""
    gone = _deleted_working_folder(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, [a.format(out=tmp_path) for a in command])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"{gone}: error: the working folder no longer exists (it was deleted while this "
        "process was in it): cd to a folder that does [working-folder-gone]\n")
    assert result.stdout == "" and os.listdir(tmp_path) == []


@pytest.mark.parametrize("command", [
    ["--help"], ["--version"], ["convert", "--help"], ["validate", "--help"],
    ["fmt", "-h"], ["formats"], ["schema"], ["schema", "--input"],
])
def test_what_needs_no_working_folder_works_in_a_deleted_one(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert --help`` (and formats, schema) said working-folder-gone and exited 2:
    they read and write no file, and now show what they show in any folder."""
    here = CliRunner().invoke(cli, command)
    _deleted_working_folder(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, command)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, here.stdout, ""), result.output
    assert here.stdout


def test_help_of_the_module_in_a_deleted_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m converter convert --help``, run in a folder deleted from another
    shell, shows the help."""
    _deleted_working_folder(tmp_path, monkeypatch)
    done = subprocess.run([sys.executable, "-m", "converter", "convert", "--help"],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=WAIT)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout.startswith("Usage: muscle-convert convert [OPTIONS] SOURCES...")


def test_validate_json_in_a_deleted_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``validate --format json`` said working-folder-gone as text on stderr: a machine
    reading standard output found no JSON. It is now the JSON report of that one
    diagnostic, and nothing on stderr."""
    gone = _deleted_working_folder(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(SAMPLES)])
    assert (result.exit_code, result.stderr) == (2, ""), result.output
    assert json.loads(result.stdout) == [{
        "path": str(gone), "line": None, "column": None, "field": "",
        "code": "working-folder-gone", "severity": "error",
        "message": "the working folder no longer exists (it was deleted while this "
                   "process was in it): cd to a folder that does"}]


@pytest.mark.parametrize(("config", "expected"), [
    ('[validate]\nformat = "json"\n', "json"),
    ('[validate]\nformat = "github"\n', "github"),
    ("[validate]\njobs = 1\n", "text"),
    ('[validate]\nformat = "nonsense"\n', "text"),
    ("[validate\n", "text"),
])
def test_validate_with_a_config_giving_its_format_in_a_deleted_working_folder(
        config: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``validate --config /abs/f.toml`` whose file sets ``format = "json"`` said
    working-folder-gone as text on stderr, as the file was read only after the folder
    was checked. It is the report in the format the file gives now, as ``--format``
    gives it; a file that gives none, or a bad one, leaves it text."""
    toml = tmp_path / "f.toml"
    toml.write_text(config, encoding="utf-8")
    gone = _deleted_working_folder(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["validate", "--config", str(toml), str(SAMPLES)])
    assert result.exit_code == 2, result.output
    if expected == "text":
        assert (result.stdout, result.stderr) == ("", _gone_line(gone))
    elif expected == "json":
        assert result.stderr == ""
        assert [(d["path"], d["code"]) for d in json.loads(result.stdout)] == [
            (str(gone), "working-folder-gone")]
    else:
        assert result.stderr == ""
        assert result.stdout.startswith("::error title=working-folder-gone,")


def _gone_line(gone: Path) -> str:
    """What a run in the working folder ``gone``, deleted under it, says on stderr."""
    return (f"{gone}: error: the working folder no longer exists (it was deleted while "
            "this process was in it): cd to a folder that does [working-folder-gone]\n")


def _working_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder ``work`` holding a copy of the samples as ``src``, made the
    working folder."""
    work = tmp_path / "work"
    shutil.copytree(SAMPLES, work / "src")
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize(("command", "target", "nth"), [
    (["convert", "src", "--to", "json", "-o", "out.json"], "converter.pipeline._read_one", 2),
    (["convert", "src", "--to", "svg", "-o", "site"], "converter.pipeline._read_one", 2),
    (["convert", "src", "--to", "json", "-o", "out.json"], "converter.run.discover", 1),
    (["convert", "src", "--to", "svg", "-o", "site"], "converter.discovery._listing", 1),
    (["convert", "{samples}", "--to", "json", "-o", "out.json"], "converter.run.run_writer", 1),
    (["convert", "{samples}", "--to", "svg", "-o", "site"], "converter.run.run_writer", 1),
    (["convert", "{samples}", "--to", "anki", "-o", "m.apkg"], "converter.run.run_writer", 1),
    (["validate", "src"], "converter.pipeline._read_one", 2),
    (["validate", "src"], "converter.discovery._listing", 1),
    (["fmt", "src"], "converter.run._reformat_one", 2),
    (["fmt", "--check", "src"], "converter.discovery._listing", 1),
])
def test_a_working_folder_deleted_during_a_run_ends_it_with_one_error(
        command: list[str], target: str, nth: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder deleted as the run read its second file, searched, or named its
    output ended in a FileNotFoundError's traceback (a path made real, the working
    folder asked for), again in the handler naming the output in a cannot-write, or in
    a report of every file as unreadable; ``validate`` and ``fmt`` in one of each
    file. It is the one working-folder-gone now, exit 2, as at the start."""
    work = _working_copy(tmp_path, monkeypatch)
    deleting_at(monkeypatch, target, work, nth)
    result = CliRunner().invoke(cli, [a.format(samples=SAMPLES) for a in command])
    assert (result.exit_code, result.stderr, result.stdout) == (
        2, _gone_line(work), ""), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("target", ["converter.pipeline._read_one",
                                    "converter.discovery._listing"])
def test_validate_json_of_a_working_folder_deleted_during_the_run(
        target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``validate --format json``: the JSON report of the one working-folder-gone on
    standard output (a traceback, or an unreadable error per file, before)."""
    work = _working_copy(tmp_path, monkeypatch)
    deleting_at(monkeypatch, target, work, 2 if target.endswith("_read_one") else 1)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "src"])
    assert (result.exit_code, result.stderr) == (2, ""), result.output
    assert [(d["path"], d["code"]) for d in json.loads(result.stdout)] == [
        (str(work), "working-folder-gone")]


@pytest.mark.parametrize("command", [["convert", "src", "--to", "json", "-o", "out.json"],
                                     ["validate", "src"], ["fmt", "src"]])
def test_a_working_folder_deleted_as_workers_read(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --jobs the files are read (or reformatted) in forked worker processes: the
    one whose second file finds the folder gone ends the run with working-folder-gone,
    raised there and passed on (an unreadable error per file before)."""
    work = tmp_path / "work"
    for n in range(10):  # (150 files: enough for the workers)
        shutil.copytree(SAMPLES, work / "src" / f"part{n}")
    monkeypatch.chdir(work)
    target = "converter.run._reformat_one" if command[0] == "fmt" else (
        "converter.pipeline._read_one")
    deleting_at(monkeypatch, target, work, 2)
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method("fork", force=True)  # (the workers hold the hook)
    try:
        result = CliRunner().invoke(cli, [*command, "--jobs", "2"])
    finally:
        multiprocessing.set_start_method(before, force=True)
    assert (result.exit_code, result.stderr, result.stdout) == (
        2, _gone_line(work), ""), result.output


def test_a_working_folder_deleted_during_a_run_as_a_process(tmp_path: Path) -> None:
    """As ``python -m converter`` (its own top-level handler): the folder deleted by
    the reader of the second file (a format plugin, here), the one error, exit 2."""
    work = tmp_path / "work"
    shutil.copytree(SAMPLES, work / "src")
    deleting = (
        "import shutil, sys\n"
        "import converter.pipeline as p\n"
        "from converter.cli import main\n"
        "calls, original = [], p._read_one\n"
        "def hooked(*args, **kwargs):\n"
        "    calls.append(None)\n"
        "    if len(calls) == 2:\n"
        f"        shutil.rmtree({str(work)!r})\n"
        "    return original(*args, **kwargs)\n"
        "p._read_one = hooked\n"
        "sys.argv = ['muscle-convert', 'convert', 'src', '--to', 'json', '-o', 'o.json']\n"
        "main()\n")
    done = subprocess.run([sys.executable, "-c", deleting], cwd=work, capture_output=True,
                          text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                       "PWD": str(work)}, timeout=WAIT)
    assert (done.returncode, done.stderr, done.stdout) == (2, _gone_line(work), "")


@pytest.mark.parametrize("workspace", [None, "{tmp}"])
def test_validate_github_in_a_deleted_working_folder(
        workspace: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``validate --format github`` said working-folder-gone as text on stderr (no
    annotation); in a workflow (``$GITHUB_WORKSPACE`` set) naming its file from the
    workspace ended in a FileNotFoundError's traceback. It is one annotation now."""
    gone = _deleted_working_folder(tmp_path, monkeypatch)
    if workspace is None:
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    else:
        monkeypatch.setenv("GITHUB_WORKSPACE", workspace.format(tmp=tmp_path))
    result = CliRunner().invoke(cli, ["validate", "--format", "github", str(SAMPLES)])
    assert (result.exit_code, result.stderr) == (2, ""), result.output
    named = gone if workspace is None else gone.name
    assert result.stdout == (
        f"::error title=working-folder-gone,file={named}::the working folder no longer "
        "exists (it was deleted while this process was in it): cd to a folder that does\n")


_INTERRUPTED_IN_A_RUN = """
from converter import cli

def interrupted(*args, **kwargs):
    raise KeyboardInterrupt

cli.cli.main = interrupted
cli.main()
"""


@pytest.mark.parametrize(("args", "status"), [
    (["convert", "--bogus"], 2), (["convert"], 2), (["bogus"], 2),
    (["validate", "x", "--jobs", "0"], 2), (["convert", "x", "--to", "nope", "-o", "o"], 2),
    (["validate", "x", "--size", "big"], 2),
    (["-c", _INTERRUPTED_IN_A_RUN], 130), (["-c", _INTERRUPTED_WHILE_LOADING, "--help"], 130)])
def test_a_usage_error_into_a_reader_that_stopped_keeps_its_status(
        args: list[str], status: int, tmp_path: Path) -> None:
    """A usage error (or "Aborted!") written to a stderr whose reader had stopped (``2>&1
    | head -1`` once head has its line) ended in a BrokenPipeError traceback and exit 1;
    the exit status alone says what failed."""
    command = args if args[0] == "-c" else ["-m", "converter", *args]
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, *command], stderr=write,
                              stdout=subprocess.PIPE, text=True, check=False, cwd=tmp_path,
                              timeout=WAIT)
    finally:
        os.close(write)
    assert (done.returncode, done.stdout) == (status, "")
    closed = _closed(2, *command[2:], cwd=tmp_path) if args[0] != "-c" else None
    assert closed is None or closed.returncode == status


@pytest.mark.parametrize("to, name", [("json", "m.json"), ("jsonl", "m.jsonl"),
                                      ("sqlite", "m.db")])
def test_a_run_that_writes_nothing_leaves_no_folder_it_made(
        to: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills as the output is put in place: nothing written, and the folders
    made for it (new/sub) were left behind, empty. They are removed; one that was there
    is kept."""
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(converter.atomic.os, "fsync", full)
    (tmp_path / "had").mkdir()
    out = tmp_path / "had" / "new" / "sub" / name
    result = run("convert", str(SAMPLES), "--to", to, "-o", str(out), "--no-cache")
    assert result.exit_code == 1
    assert f"{out}: error: cannot write here: No space left on device [cannot-write]" in \
        result.stderr.splitlines()
    assert list((tmp_path / "had").iterdir()) == []
