"""Drafts: convert leaves out what Hugo (draft: true) and Jekyll (published: false) do
not publish, unless --drafts; validate and fmt handle them as every other file."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import warnings
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

import converter
from converter import drafts as draft_markers
from converter.cli import cli
from converter.model import freeze
from tests.conftest import SAMPLES
from tests.hugo import hugo_built
from tests.jekyll import jekyll_built

NOTE = "note: 2 drafts left out (--drafts converts them)\n"


def run(*args: str):
    cached = ["--no-cache"] if args[0] != "fmt" else []
    return CliRunner().invoke(cli, [*args, *cached], catch_exceptions=False)


def marked(name: str, marker: str) -> str:
    """The sample ``name`` with ``marker`` (a line of front matter) first."""
    return (SAMPLES / name).read_text(encoding="utf-8").replace("---\n", f"---\n{marker}\n", 1)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Two published samples, a Hugo draft and a Jekyll page not to publish."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("soleus.md", "trapezius.md"):
        shutil.copy(SAMPLES / name, site)
    (site / "deltoideus.md").write_text(marked("deltoideus.md", "draft: true"), "utf-8")
    (site / "gastrocnemius.md").write_text(marked("gastrocnemius.md", "published: false"),
                                           "utf-8")
    return site


def slugs(path: Path) -> list[str]:
    return [m["slug"] for m in json.loads(path.read_text(encoding="utf-8"))["muscles"]]


def test_convert_leaves_out_drafts_in_one_note_that_fails_nothing(site: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    result = run("convert", str(site), "--to", "json", "-o", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert slugs(out) == ["soleus", "trapezius"]
    assert result.stderr == NOTE + f"wrote 2 muscles to {out}; 2 muscles converted, 0 files " \
                                   "failed\n"
    assert run("convert", str(site), "--to", "json", "-o", str(out), "--quiet").stderr == ""


def test_a_run_of_drafts_only_writes_an_output_of_no_muscles(site: Path, tmp_path: Path
                                                             ) -> None:
    for name in ("soleus.md", "trapezius.md"):
        (site / name).unlink()
    out = tmp_path / "m.json"
    result = run("convert", str(site), "--to", "json", "-o", str(out))
    assert result.exit_code == 0 and slugs(out) == []
    assert result.stderr == NOTE + f"wrote 0 muscles to {out}; 0 muscles converted, 0 " \
                                   "files failed\n"


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of an output (a file or a folder) by its path below it."""
    if out.is_file():
        return {"": out.read_bytes()}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize(("to", "name", "extra"), [
    ("json", "m.json", []), ("jsonl", "m.jsonl", []), ("csv", "package", []),
    ("csv", "m.csv", ["--flat"]), ("sqlite", "m.db", ["--prune"]), ("markdown", "md", []),
    ("svg", "map", []), ("html", "site", []), ("anki", "m.apkg", [])])
def test_muscles_that_became_drafts_leave_the_output_cached_or_not(
        tmp_path: Path, to: str, name: str, extra: list[str]) -> None:
    """Every muscle read now a draft: the output holds none (no old one left whole, as
    when nothing was read), and a cached run writes what a fresh one writes."""
    source = tmp_path / "c"
    source.mkdir()
    for sample in ("soleus.md", "trapezius.md"):
        shutil.copy(SAMPLES / sample, source)
    out, fresh = tmp_path / "cached" / name, tmp_path / "fresh" / name
    out.parent.mkdir()
    fresh.parent.mkdir()

    def convert(target: Path, *more: str):
        return CliRunner().invoke(cli, ["convert", str(source), "--to", to, "-o",
                                        str(target), *extra, *more], catch_exceptions=False)

    assert convert(out).exit_code == 0
    for sample in ("soleus.md", "trapezius.md"):
        (source / sample).write_text(marked(sample, "draft: true"), encoding="utf-8")
    for again in (convert(out), convert(out)):  # (read anew, then replayed)
        assert again.exit_code == 0 and "nothing written" not in again.stderr, again.stderr
    assert convert(fresh, "--no-cache").exit_code == 0
    if to == "sqlite":  # (a database updated in place differs in page layout only)
        with closing(sqlite3.connect(out)) as db:
            assert db.execute("SELECT count(*) FROM muscles").fetchone() == (0,)
    else:
        assert snapshot(out) == snapshot(fresh)
    if to in ("json", "jsonl", "csv", "sqlite", "markdown"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (a folder of no muscle file: no-inputs)
            assert converter.read(out) == converter.read(fresh) == []


def test_drafts_converts_them_and_the_marker_goes_along_to_count_in_any_format(
        site: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    result = run("convert", str(site), "--to", "json", "-o", str(out), "--drafts")
    assert result.exit_code == 0 and "note:" not in result.stderr, result.output
    assert slugs(out) == ["deltoideus", "gastrocnemius", "soleus", "trapezius"]
    for to, back in (("jsonl", tmp_path / "m.jsonl"), ("sqlite", tmp_path / "m.db"),
                     ("csv", tmp_path / "package"), ("markdown", tmp_path / "md")):
        assert run("convert", str(out), "--to", to, "-o", str(back), "--drafts").exit_code == 0
        again = run("convert", str(back), "--to", "json", "-o", str(tmp_path / "again.json"))
        assert again.exit_code == 0 and NOTE in again.stderr, (to, again.output)
        assert slugs(tmp_path / "again.json") == ["soleus", "trapezius"]
    assert "\ndraft: true\n" in (tmp_path / "md" / "deltoideus.md").read_text("utf-8")


def test_a_left_out_draft_takes_no_slug_and_no_part_in_the_corpus_lints(
        site: Path, tmp_path: Path) -> None:
    """A rewrite kept as a draft beside the page it will replace, its text copied."""
    rewrite = (site / "soleus.md").read_text(encoding="utf-8").replace(
        "---\n", "---\nslug: soleus\ndraft: true\n", 1)
    (site / "soleus-rewrite.md").write_text(rewrite, encoding="utf-8")
    out = tmp_path / "m.json"
    result = run("convert", str(site), "--to", "json", "-o", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert "note: 3 drafts left out" in result.stderr and "[" not in result.stderr
    assert slugs(out) == ["soleus", "trapezius"]
    checked = run("validate", str(site))  # a draft is checked as every file
    assert checked.exit_code == 1 and "note:" not in checked.stderr
    assert ("soleus.md: error: the file name gives the slug 'soleus', which is already "
            "used by") in checked.stderr  # (by the first of the two: soleus-rewrite.md
    # sorts before soleus.md)
    assert "[duplicate-text]" in checked.stderr
    both = run("convert", str(site), "--to", "json", "-o", str(out), "--drafts")
    assert both.exit_code == 1 and "[duplicate-slug]" in both.stderr


@pytest.mark.parametrize(("line", "column", "said"), [
    ("draft: yes", 8, 'not the text "yes" (which Hugo reads written plain as true; quoted, '
     "it publishes the page)"),
    ("published: off", 12, 'not the text "off" (which Jekyll reads written plain as false; '
     "quoted, it publishes the page)"),
    ("Draft: yes", 8, 'not the text "yes" (which Hugo reads written plain as true; quoted, '
     "it publishes the page)"),
    ('draft: "true"', 8, 'not the text "true" (which Hugo reads written plain as true; '
     "quoted, it leaves out the page)"),
    ('draft: "yes"', 8, 'not the text "yes" (which Hugo reads written plain as true; quoted, '
     "it publishes the page)"),
    ('draft: "t"', 8, 'not the text "t" (Hugo leaves out a page with it)'),
    ("published: 0", 12, "not the number 0"),
    ("draft: [true]", 8, "not a list"),  # (a [ list: where it starts)
    ("published:", 1, "not null"),
])
def test_a_marker_that_is_not_true_or_false_is_an_error_at_it(
        site: Path, tmp_path: Path, line: str, column: int | None, said: str) -> None:
    (site / "soleus.md").write_text(marked("soleus.md", line), encoding="utf-8")
    key = line.split(":")[0]
    checked = run("validate", str(site))
    assert checked.exit_code == 1
    [error] = [x for x in checked.stderr.splitlines() if "error:" in x]
    assert error.startswith(f"{site / 'soleus.md'}:2:{column}: error: {key}: must be true or "
                            "false (")
    assert said in error and error.endswith("[wrong-type]")
    assert "yaml11-ambiguous" not in checked.stderr  # (the error says what to write)
    for drafts in ([], ["--drafts"]):  # neither published nor left out as a draft
        result = run("convert", str(site), "--to", "json", "-o", str(tmp_path / "m.json"),
                     *drafts)
        assert result.exit_code == 1 and "1 file failed" in result.stderr
        assert "soleus" not in slugs(tmp_path / "m.json")


@pytest.mark.parametrize(("key", "build"), [("draft", hugo_built),
                                            ("published", jekyll_built)])
def test_a_text_markers_error_says_what_its_generator_does_with_it_quoted(
        tmp_path: Path, key: str, build) -> None:
    """Hugo leaves out a page whose draft is a text Go takes for true, Jekyll publishes
    one whose published is any text: the error says so, and not what they read of the
    word written plain alone (a quoted "yes" is no draft to Hugo)."""
    words = ["yes", "true", "false", "off", "t", "1", "maybe"]
    pages = {f"m{i}.md": marked("soleus.md", f'{key}: "{word}"') for i, word in
             enumerate(words)}
    built = build(pages, tmp_path / "site")
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        [error] = [x for x in run("validate", str(tmp_path / name)).stderr.splitlines()
                   if "error:" in x]
        publishes = "it publishes the page)" in error or "publishes a page with it)" in error
        assert publishes != ("leaves out" in error.split("(", 2)[2]), error
        assert (name.removesuffix(".md") in built) == publishes, error


@pytest.mark.parametrize(("line", "instead"), [("draft: yes", "draft: true"),
                                               ("published: off", "published: false"),
                                               ("Draft: on", "Draft: true")])
def test_fmt_on_a_plain_marker_gives_validates_advice(site: Path, line: str,
                                                      instead: str) -> None:
    """Not to quote it ("yes" is validate's wrong-type, and a page Hugo publishes)."""
    page = site / "soleus.md"
    page.write_text(marked("soleus.md", line), encoding="utf-8")
    key = line.split(":")[0]
    result = run("fmt", "--check", str(page))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{page}:2:{len(key) + 3}: error: {key}: plain ")
    assert result.stderr.split("\n")[0].endswith(
        f"fmt would quote it and change what they read: write {key}: true or {key}: false "
        "[fmt-would-change]")
    page.write_text(marked("soleus.md", instead), encoding="utf-8")  # (as advised)
    assert run("validate", str(page)).exit_code == 0


def test_a_bad_marker_in_a_data_package_is_at_its_row(tmp_path: Path) -> None:
    """As a reserved key in the same cell is, not at the folder (with no line, GitHub
    attached its annotation nowhere)."""
    package = tmp_path / "pkg"
    assert run("convert", str(SAMPLES / "soleus.md"), str(SAMPLES / "trapezius.md"), "--to",
               "csv", "-o", str(package)).exit_code == 0
    table = package / "muscles.csv"
    rows = list(csv.DictReader(table.read_text(encoding="utf-8").splitlines()))
    rows[1]["extra"] = '{"draft": "true", "Published": "no"}'
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    checked = run("validate", str(package))
    assert checked.exit_code == 1
    [error] = [x for x in checked.stderr.splitlines() if "error:" in x]
    assert error.startswith(f"{table}:3: error: extra.draft: must be true or false (")
    assert error.endswith("[wrong-type]")
    github = run("validate", str(package), "--format", "github")
    assert f"::error title=wrong-type,file={table},line=3::extra.draft: " in github.stdout


def test_fmt_formats_drafts(site: Path) -> None:
    draft = site / "deltoideus.md"  # (its marker first: fmt writes extra keys last)
    before = converter.read(draft, drafts=True)
    result = run("fmt", str(site))
    assert result.exit_code == 0 and f"reformatted {draft}\n" in result.stdout
    assert "\ndraft: true\n" in draft.read_text(encoding="utf-8")
    assert converter.read(draft, drafts=True) == before


def test_one_draft_left_out_is_said_in_the_singular(site: Path, tmp_path: Path) -> None:
    """'note: 1 draft left out (--drafts converts them)'."""
    (site / "gastrocnemius.md").unlink()
    result = run("convert", str(site), "--to", "json", "-o", str(tmp_path / "m.json"))
    assert result.stderr.startswith("note: 1 draft left out (--drafts converts it)\n")
    with pytest.warns(UserWarning, match="^1 draft left out \\(drafts=True reads it\\)$"):
        converter.read(site)


def test_the_api_reads_drafts_only_when_asked(site: Path) -> None:
    with pytest.warns(UserWarning, match="^2 drafts left out \\(drafts=True reads them\\)$"):
        assert [m.slug for m in converter.read(site)] == ["soleus", "trapezius"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        muscles = converter.read(site, drafts=True)
    assert [m.slug for m in muscles] == ["deltoideus", "gastrocnemius", "soleus", "trapezius"]
    assert muscles[0].extra == {"draft": True} and muscles[1].extra == {"published": False}


def test_the_api_refuses_to_write_a_marker_no_reader_would_give(tmp_path: Path) -> None:
    muscle = converter.read(SAMPLES / "soleus.md")[0]
    odd = converter.Muscle(**{**{f: getattr(muscle, f) for f in muscle.__dataclass_fields__},
                              "extra": freeze({"draft": "yes"})})
    with pytest.raises(converter.MuscleError, match=r"muscles\[soleus\]\.extra\.draft: must "
                       r"be true or false .*\[wrong-type\]"):
        converter.write([odd], tmp_path / "m.json")


@pytest.mark.parametrize(("key", "build"), [
    ("draft", hugo_built), ("Draft", hugo_built), ("DRAFT", hugo_built),
    ("published", jekyll_built), ("Published", jekyll_built)])
def test_convert_publishes_what_hugo_and_jekyll_build(tmp_path: Path, key: str,
                                                      build) -> None:
    """Without --drafts the pages Hugo builds without -D (Jekyll without --unpublished);
    with it, those it builds with: a page marked, one marked otherwise, one not. Hugo
    reads its keys in lower case (``Draft``), Jekyll ``published`` only as written."""
    hugo = build is hugo_built
    marks = ("true", "false") if hugo else ("false", "true")
    texts = {"plain.md": marked("soleus.md", "x: 1"),
             "marked.md": marked("trapezius.md", f"{key}: {marks[0]}"),
             "unmarked.md": marked("deltoideus.md", f"{key}: {marks[1]}")}
    source = tmp_path / "content"
    source.mkdir()
    for name, text in texts.items():
        (source / name).write_text(text, encoding="utf-8")
    for drafts in (False, True):
        out = tmp_path / "m.json"
        result = run("convert", str(source), "--to", "json", "-o", str(out),
                     *(["--drafts"] if drafts else []))
        assert result.exit_code == 0, result.output
        built = build(texts, tmp_path / "site", **{
            "drafts" if hugo else "unpublished": drafts})
        a_marker = hugo or key == "published"
        assert set(slugs(out)) == {"plain", "unmarked",
                                   *(["marked"] if drafts or not a_marker else [])}
        assert built == set(slugs(out))


@pytest.mark.parametrize("lines", [("draft: false", "Draft: true"),
                                   ("DRAFT: true", "Draft: false"),
                                   ("draft: true", "Draft: true")])
def test_two_keys_one_to_hugo_are_an_error_at_the_second(
        site: Path, tmp_path: Path, lines: tuple[str, str]) -> None:
    """Hugo reads keys in lower case and takes either's value (as Go's map order falls),
    so neither is taken for it: the muscle is converted by no run."""
    (site / "soleus.md").write_text(marked("soleus.md", "\n".join(lines)), encoding="utf-8")
    first, second = (line.split(":")[0] for line in lines)
    checked = run("validate", str(site))
    assert checked.exit_code == 1
    [error] = [x for x in checked.stderr.splitlines() if "error:" in x]
    assert error.startswith(f"{site / 'soleus.md'}:3:")
    assert error.endswith(f"error: {second}: {first} and {second} are one key to Hugo, "
                          "which reads front-matter keys in lower case and takes the value "
                          "of either: keep one (write draft: true or draft: false) "
                          "[duplicate-key]")
    for drafts in ([], ["--drafts"]):
        result = run("convert", str(site), "--to", "json", "-o", str(tmp_path / "m.json"),
                     *drafts)
        assert result.exit_code == 1 and "1 file failed" in result.stderr
        assert "soleus" not in slugs(tmp_path / "m.json")



@pytest.mark.parametrize(("lines", "line"), [(("draft: false", "Draft:   true"), 3),
                                             (("Draft: true", "draft:\n  false"), 3),
                                             (("DRAFT:   true", "# a note", "Draft: 'x'"), 4)])
def test_two_keys_one_to_hugo_are_placed_at_the_second_key_as_a_duplicate_key_is(
        site: Path, lines: tuple[str, ...], line: int) -> None:
    """(it was at the second's value: column 10 of ``Draft:   true``)"""
    soleus = site / "soleus.md"
    places = []
    for keys in (lines, [x.replace("Draft:", "draft:").replace("DRAFT:", "draft:")
                         for x in lines]):  # (the same, as one key written twice)
        soleus.write_text(marked("soleus.md", "\n".join(keys)), encoding="utf-8")
        places += [x.split(" error: ")[0] for x in run("validate", str(soleus)).stderr
                   .splitlines() if "[duplicate-key]" in x]
    assert places == [f"{soleus}:{line}:1:"] * 2


def test_a_text_marker_is_said_as_yaml_writes_it_quoted() -> None:
    """Its tab and line break were in the message raw (only a backslash and a quote were
    escaped): they are YAML's escapes, as the value is written in double quotes."""
    [(key, code, message)] = draft_markers.problems({"draft": "a\tb\n\x85"})
    assert (key, code) == ("draft", "wrong-type")
    assert 'not the text "a\\tb\\n\\N" (Hugo publishes a page with it)' in message
