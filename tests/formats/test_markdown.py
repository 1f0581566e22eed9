"""Markdown + YAML front matter: the reader's rules and the writer's round trips."""

from __future__ import annotations

import enum
import importlib
import io
import json
import os
import pkgutil
import random
import re
import shutil
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import converter
from converter.authoring import front_matter_from_muscle
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import FrozenMap, Function, LocalizedText, Muscle, freeze
from converter.registry import ReadContext, get_format
from formats import markdown
from formats.markdown import parse, render
from tests.conftest import SAMPLES, SEED, WAIT, in_threads
from tests.hugo import hugo_built, hugo_pages
from tests.jekyll import jekyll_reads
from tests.strategies import corpora, muscles


def test_seed_reads_as_written(tmp_path: Path) -> None:
    muscle = converter.read(SEED)[0]
    assert muscle.slug == "gluteus-medius"
    assert muscle.title == "Gluteus Medius"
    assert muscle.origin == LocalizedText({"da": "Et hoved fra hver side af nederste bageste "
                                                 "del af lårbenet."})
    assert len(muscle.functions) == 6
    assert muscle.functions[0].short == LocalizedText({"en": "Abducts the leg at the hip."})
    assert muscle.exercises == ("Stående calf-raise",)
    assert muscle.regions[0].points[:2] == ((422, 216), (435, 216))
    assert muscle.body == ""


def test_samples_copy_of_seed_is_verbatim() -> None:
    assert (SAMPLES / "gluteus-medius.md").read_bytes() == SEED.read_bytes()


def test_default_lang_applies_to_plain_text() -> None:
    muscle = converter.read(SEED, default_lang="da")[0]
    assert muscle.functions[0].short == LocalizedText({"da": "Abducts the leg at the hip."})


#: Translations as Hugo names them, by the language before the ending: a leaf page's,
#: a page bundle's and a section's, each with plain texts in that language.
TRANSLATIONS = {"soleus.da.md": "da", "gastrocnemius/index.pt-br.md": "pt-br",
                "tibialis.de.md": "de"}
TRANSLATED_TEXT = ("---\ntitle: Soleus\norigin: Bagsiden af skinnebenet.\n"
                   "function:\n  - short: Bøjer foden.\n---\n")


def _translations(src: Path) -> None:
    """:data:`TRANSLATIONS` in ``src``, and ``plantaris.md``, whose name gives no
    language."""
    for name in [*TRANSLATIONS, "plantaris.md"]:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(TRANSLATED_TEXT, encoding="utf-8")


@pytest.mark.parametrize("default_lang", [None, "en", "fr"])
def test_a_translation_s_plain_texts_are_in_the_language_its_name_gives(
        tmp_path: Path, default_lang: str | None) -> None:
    """``soleus.da.md``'s plain ``origin: Bagsiden ...`` was read as English (the
    ``--default-lang``) and fmt wrote ``origin: {en: Bagsiden ...}``: it is Danish, as
    the name says, whatever the ``--default-lang`` (the name is the more specific), in
    convert, validate and fmt alike; a name that gives no language takes the option's."""
    src = tmp_path / "src"
    _translations(src)
    given = [] if default_lang is None else ["--default-lang", default_lang]
    plain = default_lang or "en"
    out = tmp_path / "m.json"
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "json", "-o", str(out),
                                      "-q", *given])
    assert result.exit_code == 0, result.output
    read = {m["slug"]: (m["origin"], m["functions"][0]["short"])
            for m in json.loads(out.read_text("utf-8"))["muscles"]}
    expected = {lang: ({lang: "Bagsiden af skinnebenet."}, {lang: "Bøjer foden."})
                for lang in [*TRANSLATIONS.values(), plain]}
    assert read == {"soleus-da": expected["da"], "gastrocnemius-pt-br": expected["pt-br"],
                    "tibialis-de": expected["de"], "plantaris": expected[plain]}
    checked = CliRunner().invoke(cli, ["validate", str(src), "--format", "json", *given])
    assert checked.exit_code == 0, checked.output
    languages = {**TRANSLATIONS, "plantaris.md": plain}
    said = {Path(d["path"]).relative_to(src).as_posix(): d["message"]
            for d in json.loads(checked.stdout) if d["field"] == "origin"}
    assert said == {name: f"no text in {', '.join(sorted(set(languages.values()) - {lang}))}"
                    " (other muscles have it)" for name, lang in languages.items()}
    formatted = _fmt_cli(str(src), *given)
    assert formatted.exit_code == 0, formatted.output
    for name, lang in languages.items():
        assert (src / name).read_text("utf-8") == (  # (a function's text in it: plain)
            f"---\ntitle: Soleus\norigin:\n  {lang}: Bagsiden af skinnebenet.\n"
            "function:\n  - short: Bøjer foden.\n---\n")


def test_a_name_of_no_real_language_keeps_its_plain_texts_in_the_default_language(
        tmp_path: Path) -> None:
    """Any two or three letters before the ending were a language: fmt relabelled a
    backup ``m.bak.md``'s ``origin: The back ...`` as ``origin: {bak: ...}`` for good
    (``soleus.old.md``, ``gastro.fig.md`` likewise), and validate warned every other
    file of missing ``bak``, ``old`` and ``fig`` texts. Only a real language's code is
    one (ISO 639-1 and BCP 47 subtags); the others' texts are the run's
    ``--default-lang``'s, as a name's that gives none, and fmt labels them so."""
    src = tmp_path / "src"
    src.mkdir()
    names = ["m.bak.md", "soleus.old.md", "gastro.fig.md", "plantaris.md"]
    for at, name in enumerate(names):
        (src / name).write_text(TRANSLATED_TEXT.replace("Soleus", f"M{at}").replace(
            "Bagsiden", f"Bagsiden {at}"), encoding="utf-8")
    formatted = _fmt_cli(str(src), "--default-lang", "da")
    assert formatted.exit_code == 0, formatted.output
    assert {name: (src / name).read_text("utf-8") for name in names} == {
        name: f"---\ntitle: M{at}\norigin:\n  da: Bagsiden {at} af skinnebenet.\n"
              "function:\n  - short: Bøjer foden.\n---\n" for at, name in enumerate(names)}
    assert _fmt_cli("--check", str(src), "--default-lang", "da").exit_code == 0
    checked = CliRunner().invoke(cli, ["validate", str(src), "--format", "json",
                                       "--default-lang", "da"])
    assert (checked.exit_code, json.loads(checked.stdout)) == (0, [])
    out = tmp_path / "m.json"
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "json", "-o", str(out),
                                      "-q", "--default-lang", "da"])
    assert result.exit_code == 0, result.output
    assert {m["slug"]: list(m["origin"]) for m in json.loads(out.read_text("utf-8"))[
        "muscles"]} == {"m-bak": ["da"], "soleus-old": ["da"], "gastro-fig": ["da"],
                        "plantaris": ["da"]}


def test_a_file_renamed_into_a_translation_is_read_anew_with_its_language(
        tmp_path: Path) -> None:
    """The language is the name's, part of a file's identity to the cache: a file
    renamed to ``soleus.da.md`` (its mtime kept) is Danish in the next run, not the
    cached English reading of ``soleus.md`` replayed."""
    src, out = tmp_path / "src", tmp_path / "m.json"
    src.mkdir()
    (src / "soleus.md").write_text(TRANSLATED_TEXT, encoding="utf-8")

    def origin() -> dict:
        result = CliRunner().invoke(cli, ["convert", str(src), "--to", "json", "-o",
                                          str(out), "-q"])
        assert result.exit_code == 0, result.output
        return json.loads(out.read_text("utf-8"))["muscles"][0]["origin"]

    assert origin() == origin() == {"en": "Bagsiden af skinnebenet."}
    os.rename(src / "soleus.md", src / "soleus.da.md")
    assert origin() == {"da": "Bagsiden af skinnebenet."}


@given(muscles())
def test_render_parse_round_trip(muscle) -> None:
    assert parse(render(muscle), "x.md", muscle.slug, "en") == muscle


@given(muscles())
def test_round_trip_with_other_default_language(muscle) -> None:
    assert parse(render(muscle, "da"), "x.md", muscle.slug, "da") == muscle


@given(corpora())
def test_write_read_round_trip(tmp_path_factory, corpus) -> None:
    out = tmp_path_factory.mktemp("md") / "out"
    converter.write(corpus, out, "markdown")
    if not corpus:  # (a folder of no muscles: said so)
        with pytest.warns(UserWarning, match="holds no .markdown or .md files"):
            assert converter.read(out) == []
        return
    assert sorted(converter.read(out), key=lambda m: m.slug) == corpus


@pytest.mark.parametrize("comment", ["", "  # a comment"], ids=["plain", "with a comment"])
def test_a_long_text_with_runs_of_spaces_is_written_on_one_line(tmp_path: Path,
                                                                 comment: str) -> None:
    """ruamel folds a long plain text at a space: a run of two read back as one."""
    long = "ab  " * 1100 + "end"
    muscle = parse(f'---\ntitle: "{long}"\nlatin: L{comment}\n---\n', "m.md", "m", "en")
    assert muscle.title == long
    assert parse(render(muscle), "m.md", "m", "en") == muscle
    src = tmp_path / "m.md"
    src.write_text(f'---\ntitle: "{long}"\nlatin: L{comment}\n---\n', encoding="utf-8")
    assert parse(_fmt(src), "m.md", "m", "en") == muscle


def test_samples_round_trip(tmp_path: Path, sample_muscles) -> None:
    converter.write(sample_muscles, tmp_path / "md", "markdown")
    back = {m.slug: m for m in converter.read(tmp_path / "md")}
    assert back == {m.slug: m for m in sample_muscles}


def test_decimals_kept_exactly(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text('---\ntitle: M\ncoords:\n  - "1.50,2,3.0,4,5,6.25"\n---\n', encoding="utf-8")
    muscle = converter.read(src)[0]
    assert muscle.regions[0].points[0] == (Decimal("1.50"), 2)
    assert muscle.regions[0].coords == "1.50,2,3.0,4,5,6.25"
    assert isinstance(muscle.regions[0].points[0][1], int)


@pytest.mark.parametrize("prefix, newline", [(b"", b"\n"), (b"\xef\xbb\xbf", b"\n"),
                                             (b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r\n")])
def test_bom_and_crlf(tmp_path: Path, prefix: bytes, newline: bytes) -> None:
    raw = SEED.read_bytes().replace(b"\n", newline)
    (tmp_path / "gluteus-medius.md").write_bytes(prefix + raw + b"Body" + newline)
    muscle = converter.read(tmp_path / "gluteus-medius.md")[0]
    expected = converter.read(SEED)[0]
    assert muscle.title == expected.title and muscle.functions == expected.functions
    assert muscle.body == "Body\n"


def test_norwegian_key_and_dates_stay_text(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\norigin:\n  no: Hofta.\n  on: x\nreviewed: 2020-01-31\n"
                   "flag: yes\n---\n", encoding="utf-8")
    muscle = converter.read(src)[0]
    assert dict(muscle.origin) == {"no": "Hofta.", "on": "x"}
    assert muscle.extra["reviewed"] == "2020-01-31"
    assert muscle.extra["flag"] == "yes"


def test_body_verbatim_blank_lines(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\n---\n\n\n# H\n\ntext  \n", encoding="utf-8")
    assert converter.read(src)[0].body == "\n\n# H\n\ntext  \n"


def test_slug_from_file_name_with_spaces(tmp_path: Path) -> None:
    src = tmp_path / "Navn med mellemrum Ø.md"
    src.write_text("---\ntitle: M\n---\n", encoding="utf-8")
    assert converter.read(src)[0].slug == "navn-med-mellemrum-oe"


def test_a_page_bundles_index_takes_its_folders_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hugo's leaf bundles (``soleus/index.md``, images beside it): every one had the
    slug ``index``, all but one a duplicate-slug error. A ``slug:`` key still wins."""
    site = tmp_path / "content"
    for folder, name, front in [("Soleus", "index.md", ""), ("biceps-femoris", "index.MD", ""),
                                ("tibialis", "index.markdown", ""),
                                ("keyed", "index.md", "slug: own-slug\n"),
                                ("plain", "Index.md", ""), ("plain", "other.md", "")]:
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / name).write_text(f"---\ntitle: T\n{front}---\n", encoding="utf-8")
    assert sorted(m.slug for m in converter.read(site)) == [
        "biceps-femoris", "index", "other", "own-slug", "soleus", "tibialis"]
    assert [m.slug for m in converter.read(site / "Soleus")] == ["soleus"]  # named folder
    assert [m.slug for m in converter.read(site / "Soleus" / "index.md")] == ["soleus"]
    monkeypatch.chdir(site / "Soleus")
    assert [m.slug for m in converter.read(".")] == ["soleus"]
    assert [m.slug for m in converter.read("index.md")] == ["soleus"]
    assert _fmt_cli("--check", ".").exit_code == 0  # (no slug: key added)
    result = CliRunner().invoke(cli, ["convert", str(site), "--to", "markdown", "-o",
                                      str(tmp_path / "out"), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "soleus.md" in {p.name for p in (tmp_path / "out").iterdir()}


def test_a_bundle_reached_through_a_symlink_is_named_as_the_path_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a folder entered through a symlink, ``index.md`` took the folder's real name,
    while ``alias/index.md`` from outside took the link's: one file, two slugs."""
    (tmp_path / "site" / "soleus").mkdir(parents=True)
    (tmp_path / "site" / "soleus" / "index.md").write_text("---\ntitle: T\n---\n",
                                                          encoding="utf-8")
    (tmp_path / "alias").symlink_to(tmp_path / "site" / "soleus")
    monkeypatch.chdir(tmp_path)
    assert [m.slug for m in converter.read("alias/index.md")] == ["alias"]
    monkeypatch.chdir(tmp_path / "alias")
    monkeypatch.setenv("PWD", str(tmp_path / "alias"))  # (as the shell that went there)
    assert [m.slug for m in converter.read("index.md")] == ["alias"]
    monkeypatch.setenv("PWD", str(tmp_path / "site"))  # (not here: not believed)
    assert [m.slug for m in converter.read("index.md")] == ["soleus"]


def test_duplicate_slug_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\nslug: same\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\nslug: Same\n---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(tmp_path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "duplicate-slug"
    assert "a.md" in str(diagnostic) and "b.md" in str(diagnostic)


def test_error_names_file_line_column_field(tmp_path: Path) -> None:
    src = tmp_path / "x.md"
    lines = ["---", "title: X", "coords:", '  - "1,1,5,1,5,5"', '  - "1,2,3,4,5,6,7,8,9"', "---"]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert str(caught.value.diagnostics[0]) == (
        f"{src}:5:5: error: coords[1]: odd number of values (9) [coords-odd]")


def test_a_field_tagged_a_yaml_11_boolean_is_a_wrong_type_there(tmp_path: Path) -> None:
    """``title: !!bool off`` is false to YAML 1.1 (Jekyll, Hugo): the schema's error at
    the title, not a syntax error."""
    src = tmp_path / "x.md"
    src.write_text("---\ntitle: !!bool off\nlatin: !!bool yes\n---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{src}:2:8: error: title: must be text, not true/false [wrong-type]",
        f"{src}:3:8: error: latin: must be text, not true/false [wrong-type]"]
    src.write_text("---\ntitle: X\nhex: !!int 0x1F\nshown: !!bool On\n---\n", encoding="utf-8")
    assert converter.read(src)[0].extra == {"hex": 31, "shown": True}


def test_yaml_11_whole_numbers_under_int_reach_the_json_output_as_numbers(
        tmp_path: Path) -> None:
    """``!!int`` in YAML 1.1's binary, octal and underscored forms, as Jekyll, Hugo and
    PyYAML read them, is kept in ``extra`` as that number, written so to JSON."""
    src, out = tmp_path / "x.md", tmp_path / "x.json"
    src.write_text("---\ntitle: X\nbin: !!int 0b101\nneg: !!int -0b1_01\noct: !!int 017\n"
                   "big: !!int 1_000\nhex: !!int 0x_1F\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "json", "-o", str(out),
                                      "--no-cache", "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    [muscle] = json.loads(out.read_text(encoding="utf-8"))["muscles"]
    assert muscle["extra"] == {"bin": 5, "neg": -5, "oct": 15, "big": 1000, "hex": 31}
    assert '"extra":{"bin":5,"neg":-5,"oct":15,"big":1000,"hex":31}' in out.read_text(
        encoding="utf-8")


def test_yaml_that_does_not_load_is_one_error_naming_its_field(tmp_path: Path) -> None:
    """Keys that are not text are said once the YAML loads: a syntax error further down
    is the file's one error, placed, and named at the field it breaks off in."""
    src = tmp_path / "x.md"
    src.write_text("---\ntitle: X\n1: x\ntrue: y\nfoo: [a,\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(src), "--no-cache", "-j", "1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == [
        f"{src}:5:6: error: foo: this [ list is never closed (did not find expected node "
        "content while parsing a flow node) [yaml-syntax]"]


@pytest.mark.parametrize("yaml, said", [
    ("title: T\norigin:\n  en: x\nlatin L\nimage: a.png\n",
     "5:1: error: no ':' after the key on this line: write latin: L"),
    ("title: T\nexercises:\n  - Squat\n  Lunge\nlatin: L\n",
     "5:3: error: exercises: no '- ' before this item of the list: write - Lunge"),
    ("title: T\norigin:\n  en x\n  da: y\n",
     "4:3: error: origin: no ':' after the key on this line: write en: x"),
    ("title:Soleus\nlatin: L\n", "2:6: error: title: no space after the ':' of title"),
    (f"title: T\norigin:\n  en: x\n  {'word ' * 230}end: y\n",
     "5:3: error: origin: this key is 1,153 characters long, and YAML reads a key of at "
     "most 1024 characters: shorten it"),
    ('title: "Soleus\nlatin: Musculus soleus\norigin:\n  en: Back of the tibia.\n'
     'coords:\n  - "10,10,20,10,20,20"\n', "2:8: error: title: this quoted text is never "
     "closed on its line, so YAML reads on as its text up to the \" 5 lines below"),
    ('title: T\nextra_note: "first line\nsecond: line"\norigin:\n  en: x\n  da y\n',
     "7:3: error: origin: no ':' after the key on this line: write da: y"),
], ids=["colon", "dash", "colon-first-line", "space", "long-key", "quote",
        "quote-closed-above"])
def test_a_line_missing_its_colon_dash_space_or_quote_is_the_error_there(
        tmp_path: Path, yaml: str, said: str) -> None:
    """libyaml finds each at the line after it (a quote at the next one, lines below):
    it was said there, under the field before it (``origin: could not find expected
    ':'``), or with no field."""
    src = tmp_path / "x.md"
    _the_yaml_error(src, yaml, said)


def _the_yaml_error(src: Path, yaml: str, said: str) -> None:
    """``validate`` of ``src`` holding ``yaml`` as its front matter fails with one
    ``yaml-syntax`` error, which begins ``{src}:{said}``."""
    src.write_text(f"---\n{yaml}---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(src), "--no-cache", "-j", "1"])
    assert result.exit_code == 1
    [error] = result.stderr.splitlines()[:-1]
    assert error.startswith(f"{src}:{said}") and error.endswith("[yaml-syntax]")


def _the_advice_validates(src: Path, fixed: str) -> None:
    """``validate`` of ``src`` holding ``fixed`` (the text an error's advice gives) as
    its front matter passes."""
    src.write_text(f"---\n{fixed}---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(src), "--no-cache", "-j", "1"])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("yaml, said, fixed", [
    ("title: 'Farmer's walk'\n", "2:16: error: title: the quote closes at column 15, so "
     "YAML cannot read the text after it (s walk'): to keep an apostrophe inside single "
     "quotes double it ('Farmer''s walk') or use double quotes (\"Farmer's walk\") (did "
     "not find expected key (while parsing a block mapping)) [yaml-syntax]",
     "title: 'Farmer''s walk'\n"),
    ("title: T\norigin:\n  en: 'it's the calf'\n", "4:11: error: origin.en: the quote "
     "closes at column 10", "title: T\norigin:\n  en: \"it's the calf\"\n"),
    ("title: T\nexercises:\n  - 'Farmer's walk'\n", "4:13: error: exercises[0]: the "
     "quote closes at column 12", "title: T\nexercises:\n  - 'Farmer''s walk'\n"),
    ('title: "Soleus" muscle\n', "2:17: error: title: the quote closes at column 15, so "
     "YAML cannot read the text after it (muscle): quote the whole value, title: "
     "'\"Soleus\" muscle' (did not", "title: '\"Soleus\" muscle'\n"),
    ("title: [Soleus] muscle\n", "2:17: error: title: the [ list closes at column 15",
     'title: "[Soleus] muscle"\n'),
    ("title: T\nextra:\n  'Farmer's walk': 1\n", "4:11: error: extra.Farmer's walk: the "
     "quote closes at column 10, so YAML cannot read the text after it (s walk'): to keep "
     "an apostrophe", "title: T\nextra:\n  \"Farmer's walk\": 1\n"),
    ("title: T\nexercises:\n  - !!str 'Farmer's walk'\n", "4:19: error: exercises[0]: the "
     "quote closes at column 18", "title: T\nexercises:\n  - !!str 'Farmer''s walk'\n"),
    ('title: "a": b\n', "2:11: error: title: the quote closes at column 10, so YAML reads "
     "the ':' after it as a second key (: b): quote the whole value, title: '\"a\": b' "
     "(mapping values are not allowed in this context)", "title: '\"a\": b'\n"),
    ("title: T\nlatin: [a]: b\n", "3:11: error: latin: the [ list closes at column 10",
     'title: T\nlatin: "[a]: b"\n'),
], ids=["apostrophe", "nested", "item", "quoted-word", "bracketed-word", "key", "tagged",
        "quoted-colon", "bracketed-colon"])
def test_a_value_closed_early_on_its_line_is_named_with_advice_that_works(
        tmp_path: Path, yaml: str, said: str, fixed: str) -> None:
    """An apostrophe inside single quotes closes them: libyaml said only that it found
    no key (or '-') after the value, naming no field or the map above it. The text the
    advice gives validates."""
    src = tmp_path / "x.md"
    _the_yaml_error(src, yaml, said)
    _the_advice_validates(src, fixed)


@pytest.mark.parametrize("yaml, said, fixed", [
    ("title: Soleus:\n", "2:14: error: title: a colon at the end of the unquoted value "
     'of title makes YAML read a second key: put the value in quotes, title: "Soleus:"',
     'title: "Soleus:"\n'),
    ("title: Soleus: the calf\n", "2:14: error: title: a colon and a space inside the "
     "unquoted value of title make", 'title: "Soleus: the calf"\n'),
    ("title: T\norigin:\n  en: calf:\n", "4:11: error: origin.en: a colon at the end of "
     "the unquoted value of en makes", 'title: T\norigin:\n  en: "calf:"\n'),
], ids=["ending", "inside", "nested"])
def test_a_colon_in_a_plain_value_is_named_at_its_field_with_advice_that_works(
        tmp_path: Path, yaml: str, said: str, fixed: str) -> None:
    """YAML reads the colon as a second key on the line, after the value read whole:
    the error named no field. The text the advice gives validates."""
    src = tmp_path / "x.md"
    _the_yaml_error(src, yaml, said)
    _the_advice_validates(src, fixed)


def test_a_bad_language_code_is_placed_at_its_key(tmp_path: Path) -> None:
    """The key is what is wrong: placed there, not at its text (a line below it, or
    further along a flow map's line)."""
    src = tmp_path / "x.md"
    src.write_text("---\ntitle: X\norigin: {dansk: hej}\ninsertion:\n  \"d a\": x\n  DA:\n"
                   "    y\nfunction:\n  - short: {da: x, EN: z}\n---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (3, 10, "origin.dansk", "bad-language"), (5, 3, "insertion.d a", "bad-language"),
        (6, 3, "insertion.DA", "bad-language"),
        (9, 20, "function[0].short.EN", "bad-language")]


def test_no_file_is_written_named_as_a_windows_device(tmp_path: Path) -> None:
    """``con.md``, ``lpt1.md``: Windows makes no such file (its devices' names, whatever
    the ending): a reserved-name error each at its slug, the other files written."""
    src = tmp_path / "src"
    src.mkdir()
    for name, text in (("con.md", "title: C\n"), ("arm.md", "title: A\n"),
                       ("z.md", "title: Z\nslug: lpt1\n")):
        (src / name).write_text(f"---\n{text}---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "markdown", "-o",
                                      str(tmp_path / "out"), "--no-cache", "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{src / 'con.md'}: error: the file name gives the slug 'con': it names a device on "
        "Windows (CON): no file con.md can be made there, so it is not written; give the "
        "muscle another slug [reserved-name]",
        f"{src / 'z.md'}:3:7: error: slug: it names a device on Windows (LPT1): no file "
        "lpt1.md can be made there, so it is not written; give the muscle another slug "
        "[reserved-name]"]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["arm.md"]


@pytest.mark.parametrize("api", [False, True], ids=["command-line", "python-api"])
def test_a_file_too_large_to_read_back_names_the_limit_as_the_caller_gives_it(
        api: bool, tmp_path: Path) -> None:
    """The ``file-too-large`` warning of a file written over the default reading limit
    said both spellings, ``--max-bytes N (max_bytes=N in the Python API)``, whoever
    called; it now names the limit as the caller gives it."""
    big = Muscle(slug="big", title="Big", body="x" * 5 * 1024 * 1024)
    out = tmp_path / "md"
    if api:
        with pytest.warns(UserWarning) as warned:
            converter.write([big], out, "markdown")
        said = [str(w.message) for w in warned]
    else:
        converter.write([big], tmp_path / "big.json", "json")
        result = CliRunner().invoke(cli, ["convert", str(tmp_path / "big.json"), "--to",
                                          "markdown", "-o", str(out), "--no-cache", "-q"])
        assert result.exit_code == 0, result.output
        said = result.stderr.splitlines()
    size = (out / "big.md").stat().st_size
    limit = f"max_bytes={size}" if api else f"--max-bytes {size}"
    assert said == [f"{out / 'big.md'}: warning: is {size} bytes, over the limit of "
                    f"4194304 that reading takes by default: read it back with {limit} "
                    "[file-too-large]"]


def test_a_merge_key_is_placed_at_that_key(tmp_path: Path) -> None:
    """A ``<<`` of extra is what is wrong: placed there, not at its value (further along
    its line, as a flow map or a text is)."""
    src = tmp_path / "x.md"
    src.write_text('---\ntitle: X\n"<<": {a: 1}\nx:\n  "<<": 2\n---\n', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (3, 1, "<<", "reserved-key"), (5, 3, "x.<<", "reserved-key")]


def _fmt_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, ["fmt", *args], catch_exceptions=False)


def _fmt(path: Path) -> str:
    fmt = get_format("markdown")
    return fmt.reformat(path.read_bytes(), str(path), ReadContext())


def _refusal(path: Path) -> list:
    """The diagnostics of fmt refusing the file at ``path``, which it leaves byte for
    byte as it was."""
    before = path.read_bytes()
    with pytest.raises(MuscleError) as caught:
        _fmt(path)
    assert path.read_bytes() == before
    return caught.value.diagnostics


def _one_refusal(folder: Path, text: str) -> Diagnostic:
    """The one diagnostic of fmt refusing a file of ``text`` in ``folder``."""
    src = folder / "m.md"
    src.write_text(text, encoding="utf-8")
    (diagnostic,) = _refusal(src)
    return diagnostic


def test_fmt_keeps_comments_and_orders_keys(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\n# top comment\nexercises:\n  - Squat  # best one\ntitle: M\n"
                   "origin:\n  da: Hoften.  # dansk\n---\nBody\n", encoding="utf-8")
    text = _fmt(src)
    assert text.index("title:") < text.index("origin:") < text.index("exercises:")
    for comment in ("# top comment", "# best one", "# dansk"):
        assert comment in text
    src.write_text(text, encoding="utf-8")
    assert _fmt(src) == text
    assert parse(text, "m.md", "m", "en") == converter.read(src)[0]


def test_fmt_moves_the_comment_lines_above_a_key_with_the_key(tmp_path: Path) -> None:
    """Comments written above a key describe it (as Hugo sites have them): fmt moved the
    key and left its comment above another key, at the top level and in a language
    map."""
    src = tmp_path / "soleus.md"
    src.write_text("---\ntitle: Soleus\n# menu position in the Hugo sidebar\nweight: 5\n"
                   "origin:\n  # Danish text checked by a translator\n  en: The back of the "
                   "fibula.\n  da: Bagsiden af fibula.\n# not published yet\ndraft: true\n"
                   "latin: Soleus  # from the atlas\n---\nBody\n", encoding="utf-8")
    assert "1 would change" in _fmt_cli("--check", str(src)).output
    assert _fmt_cli(str(src)).exit_code == 0
    assert src.read_text(encoding="utf-8") == (
        "---\ntitle: Soleus\nlatin: Soleus  # from the atlas\norigin:\n"
        "  da: Bagsiden af fibula.\n  # Danish text checked by a translator\n"
        "  en: The back of the fibula.\n# menu position in the Hugo sidebar\nweight: 5\n"
        "# not published yet\ndraft: true\n---\nBody\n")
    result = _fmt_cli("--check", str(src))
    assert result.exit_code == 0 and "0 would change, 1 unchanged" in result.output


@pytest.mark.parametrize("front, formatted", [
    # A file's comment, ended by a blank line, stays at its top; the one directly above
    # the first key goes with the key.
    ("# Reviewed in 2024.\n\n# sidebar\nweight: 5\ntitle: M\n",
     "# Reviewed in 2024.\n\ntitle: M\n# sidebar\nweight: 5\n"),
    # Blank lines above a key go with it; the lines after the last key stay last.
    ("title: M\n\n# sidebar\nweight: 5\n# the atlas's\nimage: a.png\n# end\n",
     "title: M\n# the atlas's\nimage: a.png\n\n# sidebar\nweight: 5\n# end\n"),
    # Above a key after a multi-line text (which lost its indentation).
    ("title: M\norigin:\n  en: |\n    a\n    b\n  # Danish\n  da: d\n",
     "title: M\norigin:\n  # Danish\n  da: d\n  en: |\n    a\n    b\n"),
    # A function item's keys.
    ("title: M\nfunction:\n  - short: s\n    # longer\n    extended: e\n  # second\n"
     "  - extended:\n      en: g\n      # Danish\n      da: f\n    # what it does\n"
     "    short: t\n",
     "title: M\nfunction:\n  - short: s\n    # longer\n    extended: e\n  # second\n"
     "  # what it does\n  - short: t\n    extended:\n      # Danish\n      da: f\n"
     "      en: g\n"),
    # Extra keys (which keep their order, after the schema's), and a comment after a
    # map's last key, which stays at its end.
    ("# who\nauthor: A\nhugo:\n  # sidebar\n  weight: 5\ntitle: M\norigin:\n"
     "  # English\n  en: e\n  # Danish\n  da: d\n  # end of origin\ninsertion:\n  da: i\n",
     "title: M\norigin:\n  # Danish\n  da: d\n  # English\n  en: e\n  # end of origin\n"
     "insertion:\n  da: i\n# who\nauthor: A\nhugo:\n  # sidebar\n  weight: 5\n"),
    # The lines above a key the layout leaves out go to the next key.
    ("title: M\nweight: 5\n# no name yet\nlatin:\n# the atlas's\nimage: a.png\n",
     "title: M\n# no name yet\n# the atlas's\nimage: a.png\nweight: 5\n"),
    # After a block text, a null value and a list.
    ("title: M\nnotes: |\n  a\n  b\n# from\norigin:\n  da: x\nalias:\n# short\n"
     "exercises:\n  - Squat\n# Latin\nlatin: L\n",
     "title: M\n# Latin\nlatin: L\n# from\norigin:\n  da: x\n# short\nexercises:\n"
     "  - Squat\nnotes: |\n  a\n  b\nalias:\n"),
])
def test_fmt_moves_comment_lines_with_their_key_at_every_level(
        tmp_path: Path, front: str, formatted: str) -> None:
    src = tmp_path / "m.md"
    src.write_text(f"---\n{front}---\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{formatted}---\n"
    src.write_text(f"---\n{formatted}---\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{formatted}---\n"


@pytest.mark.parametrize("front, formatted", [
    # After a language map's last entry.
    ("origin:\n  da: Bagsiden.\n  # en: to be translated\nlatin: Musculus soleus\n"
     "title: Soleus\n",
     "title: Soleus\nlatin: Musculus soleus\norigin:\n  da: Bagsiden.\n"
     "  # en: to be translated\n"),
    # After a Hugo menu's entry, two maps deep.
    ("menu:\n  main:\n    weight: 5\n    # parent: Legs\ntitle: Soleus\n"
     "latin: Musculus soleus\n",
     "title: Soleus\nlatin: Musculus soleus\nmenu:\n  main:\n    weight: 5\n"
     "    # parent: Legs\n"),
    # After a list's last item.
    ("exercises:\n  - Squat\n  # - Lunge\ntitle: Soleus\nlatin: Musculus soleus\n",
     "title: Soleus\nlatin: Musculus soleus\nexercises:\n  - Squat\n  # - Lunge\n"),
    # In a function item, and a comment at column 0 below it, which goes with its key.
    ("function:\n  - short: Flexes.\n    # extended: to come\n# the page's name\n"
     "title: Soleus\nlatin: Musculus soleus\n",
     "# the page's name\ntitle: Soleus\nlatin: Musculus soleus\nfunction:\n"
     "  - short: Flexes.\n    # extended: to come\n"),
    # Blank lines among the block's comments stay with them; those after go below.
    ("insertion:\n  da: i\norigin:\n  da: x\n\n  # en: to come\n    # later\n\n"
     "# the name in Latin\nlatin: L\ntitle: S\n",
     "title: S\n\n# the name in Latin\nlatin: L\norigin:\n  da: x\n\n  # en: to come\n"
     "    # later\ninsertion:\n  da: i\n"),
    # After a block that ends in a multi-line text (which went to the front matter's
    # end, or above the next key).
    ("exercises:\n  - Calf raise\ntitle: Calf\norigin:\n  da: |\n    Skinnebenet,\n"
     "    bagsiden.\n  # en: to be translated\n",
     "title: Calf\norigin:\n  da: |\n    Skinnebenet,\n    bagsiden.\n"
     "  # en: to be translated\nexercises:\n  - Calf raise\n"),
    ("weight: 5\ntitle: Soleus\nfunction:\n  - short: Flexes the foot.\n"
     "    extended: |\n      Line one.\n      Line two.\n"
     "    # extended.da: to be translated\ninsertion: The heel.\n",
     "title: Soleus\ninsertion:\n  en: The heel.\nfunction:\n  - short: Flexes the foot.\n"
     "    extended: |\n      Line one.\n      Line two.\n"
     "    # extended.da: to be translated\nweight: 5\n"),
    # After a null value.
    ("menu:\n  main:\n  # parent: Legs\ntitle: Soleus\n",
     "title: Soleus\nmenu:\n  main:\n  # parent: Legs\n"),
    # After a text that fmt writes as a language map (which went to the top).
    ("origin: The back of the leg.\n  # en is a draft; da to come\ntitle: Soleus\n",
     "title: Soleus\norigin:\n  en: The back of the leg.\n  # en is a draft; da to come\n"),
    # In a block inside a block: the end of a function item's short, which fmt puts
    # before extended (it went after extended, where it read as extended's), and the
    # end of the item.
    ("function:\n  - extended: Keeps you upright.\n    short:\n      da: Holder anklen.\n"
     "      en: Stabilises the ankle.\n      # de: to come\n    # the item's end\n"
     "title: Soleus\n",
     "title: Soleus\nfunction:\n  - short:\n      da: Holder anklen.\n"
     "      en: Stabilises the ankle.\n      # de: to come\n"
     "    extended: Keeps you upright.\n    # the item's end\n"),
    # The same after a line of the item's or the list's tail, the function block's
    # moved or not (short's went after extended, where it read as extended's); one
    # after a line at the next item's dash goes with that item.
    ("function:\n  - extended: Keeps you upright.\n    short:\n      da: Holder anklen.\n"
     "    # the item's end\n  # - short: to come\n      # en: to come\ntitle: Soleus\n",
     "title: Soleus\nfunction:\n  - short:\n      da: Holder anklen.\n      # en: to come\n"
     "    extended: Keeps you upright.\n    # the item's end\n  # - short: to come\n"),
    ("title: Soleus\nfunction:\n  - extended: Keeps you upright.\n    short:\n"
     "      da: Holder anklen.\n    # the item's end\n      # en: to come\n"
     "  # the next item\n      # reviewed\n  - short: Points the foot.\n",
     "title: Soleus\nfunction:\n  - short:\n      da: Holder anklen.\n      # en: to come\n"
     "    extended: Keeps you upright.\n    # the item's end\n  # the next item\n"
     "      # reviewed\n  - short: Points the foot.\n"),
])
def test_fmt_keeps_an_indented_comment_after_a_block_at_the_block_s_end(
        tmp_path: Path, front: str, formatted: str) -> None:
    """A comment line after a block's last entry, indented into the block (a commented-
    out entry): fmt put it above the key that came next in the file, wherever that key
    went (the front matter's first line, ``title:``), and ``fmt --check`` kept it
    there."""
    src = tmp_path / "soleus.md"
    src.write_text(f"---\n{front}---\n", encoding="utf-8")
    assert _fmt_cli(str(src)).exit_code == 0
    assert src.read_text(encoding="utf-8") == f"---\n{formatted}---\n"
    result = _fmt_cli("--check", str(src))
    assert result.exit_code == 0 and "0 would change, 1 unchanged" in result.output


@pytest.mark.parametrize("front", [
    "title: T\nfunction:\n  - short:\n      en: S\n      # de: to come\n    extended: E\n",
    "title: T\nfunction:\n  - extended: E\n    short:\n      en: S\n      # de: to come\n",
    "function:\n  - extended: E\n    short:\n      en: S\n      # de: to come\ntitle: T\n",
    "function:\n  - short:\n      en: S\n      # de: to come\ntitle: T\n",
])
def test_fmt_refuses_a_comment_indented_into_a_map_it_writes_plain(
        tmp_path: Path, front: str) -> None:
    """A commented-out language under a function's ``short`` map of the default
    language's text alone, which fmt writes ``short: S``: refused with ``short`` first,
    written under ``extended`` (where uncommented it is no YAML) with ``extended``
    first, and after the plain text where the function block moved."""
    diagnostic = _one_refusal(tmp_path, f"---\n{front}---\n")
    assert diagnostic.code == "fmt-would-drop-comment"
    assert (diagnostic.line, diagnostic.column) == (
        front.splitlines().index("      # de: to come") + 2, 7)


@pytest.mark.parametrize("items, formatted", [
    # The second item (the comment went to the end of the first, indented as its keys).
    ("  - short: Points the foot.\n    extended: Plantar flexion.\n"
     "  - extended: Keeps you upright.\n    # to check: this short text\n"
     "    short: Stabilises the ankle.\n",
     "  - short: Points the foot.\n    extended: Plantar flexion.\n"
     "  # to check: this short text\n  - short: Stabilises the ankle.\n"
     "    extended: Keeps you upright.\n"),
    # The first, under a comment of its own (fmt refused the file, with advice that
    # would have made two texts one).
    ("  # the ankle\n  - extended: Keeps you upright.\n    # short text, reviewed\n"
     "    short: Stabilises the ankle.\n",
     "  # the ankle\n  # short text, reviewed\n  - short: Stabilises the ankle.\n"
     "    extended: Keeps you upright.\n"),
    # Lines indented further than the key move as far as it, and the blank line above
    # them, which would open the item, goes.
    ("  - extended: Keeps you upright.\n\n    # short text\n      # reviewed\n"
     "    short: Stabilises the ankle.\n",
     "  # short text\n    # reviewed\n  - short: Stabilises the ankle.\n"
     "    extended: Keeps you upright.\n"),
    # A list written with its dashes at the key's column, or indented 4: at the column
    # fmt writes the dash at (they went to column 0, or to the previous item's keys').
    ("- extended: Keeps you upright.\n  # reviewed\n  short: Stabilises the ankle.\n"
     "-   extended: A\n    # c\n    short: B\n",
     "  # reviewed\n  - short: Stabilises the ankle.\n    extended: Keeps you upright.\n"
     "  # c\n  - short: B\n    extended: A\n"),
    ("    - short: S\n      extended: E\n    - extended: A\n      # c\n      short: B\n",
     "  - short: S\n    extended: E\n  # c\n  - short: B\n    extended: A\n"),
])
def test_fmt_puts_the_comment_above_short_written_after_extended_above_the_item(
        tmp_path: Path, items: str, formatted: str) -> None:
    """The lines above ``short`` in a function item that has ``extended`` first go
    above the item's dash, at the dash's column, where they read as the item's."""
    src = tmp_path / "soleus.md"
    src.write_text(f"---\ntitle: Soleus\nfunction:\n{items}---\n", encoding="utf-8")
    assert _fmt_cli(str(src)).exit_code == 0
    assert src.read_text(encoding="utf-8") == (
        f"---\ntitle: Soleus\nfunction:\n{formatted}---\n")
    result = _fmt_cli("--check", str(src))
    assert result.exit_code == 0 and "0 would change, 1 unchanged" in result.output


@pytest.mark.parametrize("head", ["# what it does\nfunction:\n", "function:  # what it does\n"])
def test_fmt_puts_the_comment_above_short_above_the_item_under_a_commented_key(
        tmp_path: Path, head: str) -> None:
    """Where ``function:`` has a comment (above it, moved with it, or on its line),
    ruamel.yaml writes the lines above the first item from the key's comments: fmt
    refused the file, dropping the comment above ``short``."""
    src = tmp_path / "soleus.md"
    src.write_text(f"---\n{head}  - extended: Keeps you upright.\n    # reviewed\n"
                   "    short: Stabilises the ankle.\ntitle: Soleus\n---\n", encoding="utf-8")
    assert _fmt(src) == (f"---\ntitle: Soleus\n{head}  # reviewed\n"
                         "  - short: Stabilises the ankle.\n    extended: Keeps you upright.\n"
                         "---\n")


@pytest.mark.parametrize("value, written", [
    ("The back.", "\n  en: The back."),
    ("The back.  # checked", "  # checked\n  en: The back."),
    ("|\n  The back.", '\n  en: "The back.\\n"'),
    ("{da: Bag., en: The back.}", "\n  da: Bag.\n  en: The back."),
])
def test_fmt_keeps_the_comment_above_a_key_after_a_value_it_writes_as_a_block(
        tmp_path: Path, value: str, written: str) -> None:
    """A text that fmt writes as a language map (``origin: The back.``): the comment
    above the next key went between ``origin:`` and ``en:``."""
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\norigin: {value}\n\n# about the insertion\n"
                   "insertion:\n  da: x\n---\n", encoding="utf-8")
    assert _fmt(src) == (f"---\ntitle: M\norigin:{written}\n\n# about the insertion\n"
                         "insertion:\n  da: x\n---\n")


def test_a_block_text_with_an_empty_line_keeps_all_its_lines_through_fmt(
        tmp_path: Path) -> None:
    """After an empty line, a line of a ``|`` text that starts with ``#`` is text (as
    every YAML reader has it), not a comment that fmt may drop."""
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\norigin:\n  da: |\n    Første linje.\n\n"
                   "    # Ikke en kommentar.\n---\n", encoding="utf-8")
    expected = "Første linje.\n\n# Ikke en kommentar.\n"
    assert converter.read(src)[0].origin == LocalizedText({"da": expected})
    _fmt(src)
    assert converter.read(src)[0].origin == LocalizedText({"da": expected})


def test_fmt_without_comments_equals_writer(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "gluteus-medius.md")
    muscle = converter.read(SEED)[0]
    assert _fmt(tmp_path / "gluteus-medius.md") == render(muscle)


def test_fmt_keeps_explicit_slug(tmp_path: Path) -> None:
    src = tmp_path / "file-name.md"
    src.write_text("---\ntitle: M\nslug: other\n---\n", encoding="utf-8")
    text = _fmt(src)
    assert text.startswith("---\nslug: other\n")


def test_writer_is_deterministic(tmp_path: Path, sample_muscles) -> None:
    for name in ("a", "b"):
        converter.write(sample_muscles, tmp_path / name, "markdown")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
               for f in files)


def test_fmt_keeps_values_after_a_dashes_line(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: T  # display name\norigin:\n  en: |\n    First part.\n"
                   "    ---\n    Second part.\ninsertion:\n  en: Heel.\n---\nBody\n",
                   encoding="utf-8")
    muscle = converter.read(src)[0]
    assert muscle.origin == LocalizedText({"en": "First part.\n---\nSecond part.\n"})
    text = _fmt(src)
    assert "# display name" in text
    assert parse(text, "m.md", "m", "en") == muscle


def test_fmt_keeps_exercise_ending_in_dashes(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: 'No #1'\nexercises:\n  - Squat---\n  - Lunge\n---\n",
                   encoding="utf-8")
    muscle = parse(_fmt(src), "m.md", "m", "en")
    assert muscle.exercises == ("Squat---", "Lunge")


def test_fmt_keeps_float_precision(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text('---\ntitle: M  # c\nx: 7.423376247177311e+17\n"y": 7.267437596290426e-11\n'
                   "---\n", encoding="utf-8")
    text = _fmt(src)
    assert 'x: 7.423376247177311e+17\n"y": 7.267437596290426e-11\n' in text  # (y: a boolean
    # to YAML 1.1, so quoted; plain, fmt would refuse it)
    assert parse(text, "m.md", "m", "en").extra == converter.read(src)[0].extra


def test_fmt_check_accepts_writer_output_with_a_comment(tmp_path: Path) -> None:
    muscle = replace(converter.read(SEED)[0], title="A\u2028B",
                     extra=freeze({"x": 7.423376247177311e+17, "y": 7.267437596290426e-11}))
    converter.write([muscle], tmp_path / "md", "markdown")
    written = tmp_path / "md" / f"{muscle.slug}.md"
    text = written.read_text(encoding="utf-8")
    written.write_text(text.replace("---\n", "---\n# reviewed\n", 1), encoding="utf-8")
    result = _fmt_cli("--check", str(written))
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.parametrize("changed, where", [
    ({"latin": "Changed"}, (3, 1, "latin")),
    # a key the file has not: at the first line the new layout writes otherwise (image:
    # where weight: was)
    ({"image": "x.png"}, (4, 1, "")),
    ({"title": "Changed", "image": "x.png"}, (2, 1, "title"))])
def test_fmt_leaves_file_when_comments_would_change_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: dict,
        where: tuple[int, int, str]) -> None:
    """A cause fmt has no words for: named at the key of the first field it changes,
    which had no line."""
    def change(original: object, canonical: dict) -> dict:
        canonical.update(changed)
        return canonical

    monkeypatch.setattr(markdown.comments, "_keep_comments", change)
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\nlatin: L\nweight: 5  # c\n---\n", encoding="utf-8")
    before = src.read_bytes()
    found = _refusal(src)
    assert [(d.line, d.column, d.field, d.code) for d in found] == [
        (*where, "fmt-would-change")]
    result = _fmt_cli(str(src))
    assert result.exit_code == 1 and "[fmt-would-change]" in result.stderr
    assert f"m.md:{where[0]}:1: error: " in result.stderr
    assert src.read_bytes() == before


@pytest.mark.parametrize("value, column", [
    ("5", 8),
    ("[1]", 8),
    ("{a: 1}", 8),
    ("[]", 8),  # (read by the fast path, blockyaml)
    ("  [1, 2]  # a comment", 10),
    ("\n  - 1", 1),  # a block list: its key
    ("\n  a: 1", 1),
])
def test_wrong_type_points_at_a_flow_list_or_map_as_at_a_number(
        tmp_path: Path, value: str, column: int) -> None:
    """A number was placed at the value (image: 5 at column 8), a [ list or { map written
    there at the key (latin: [1] at 3:1)."""
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\nlatin: {value}\n---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (3, column, "latin", "wrong-type")]


def test_slug_key_over_200_characters_is_one_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "long.md").write_text("---\nslug: " + "Æ" * 101 + "\ntitle: T\n---\n",
                                      encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    found, problems = [], []
    for path in sorted(tmp_path.iterdir()):
        try:
            found += get_format("markdown").read(path, ReadContext())
        except MuscleError as exc:
            problems += exc.diagnostics
    assert [m.slug for m in found] == ["b"]
    assert [(d.line, d.field, d.code) for d in problems] == [(2, "slug", "slug-too-long")]


@pytest.mark.parametrize("name, code, message", [
    (b"l\xe6gmusklen.md", "bad-slug", "the file name is not UTF-8 (byte 0xe6), so no slug can "
     "be made of it: rename the file, or give the slug in a slug: field"),
    (b"___.md", "bad-slug", "cannot make a slug (letters and digits) from '___', the file "
     "name: rename it, or add a slug: field"),
    (b"m" * 230 + b".md", "slug-too-long", "the slug made of the file name has 230 "
     "characters; at most 200 fit in the file names of every format: rename the file, or "
     "add a shorter slug: field")], ids=["not-utf8", "no-letters", "too-long"])
def test_a_slug_the_file_name_cannot_give_says_so(tmp_path: Path, name: bytes, code: str,
                                                   message: str) -> None:
    """A name unzipped from a Windows archive (cp1252) lost its letter to a hyphen
    without a word (l-gmusklen), and a name too long or of no letters was told as if
    the front matter's first line had a slug; then it was placed at line 2:1, a line
    the name has nothing to do with: it has no line."""
    path = os.fsencode(tmp_path) + b"/" + name
    with open(path, "wb") as fh:
        fh.write(b"---\ntitle: T\n---\n")
    with pytest.raises(MuscleError) as caught:
        list(get_format("markdown").read(Path(os.fsdecode(path)), ReadContext()))
    assert [(d.line, d.column, d.field, d.code, d.message)
            for d in caught.value.diagnostics] == [(None, None, "", code, message)]
    result = CliRunner().invoke(cli, ["validate", os.fsdecode(path), "--no-cache"])
    assert f".md: error: {message} [{code}]" in result.stderr


@pytest.mark.parametrize("slug, code", [("'!!'", "bad-slug"), ("m" * 230, "slug-too-long")])
def test_a_slug_a_slug_key_cannot_give_is_at_that_key_in_a_name_not_utf8(
        tmp_path: Path, slug: str, code: str) -> None:
    """The slug: key's value is the problem, whatever the file's name."""
    path = os.fsencode(tmp_path) + b"/l\xe6g.md"
    with open(path, "wb") as fh:
        fh.write(f"---\ntitle: T\nslug: {slug}\n---\n".encode())
    with pytest.raises(MuscleError) as caught:
        list(get_format("markdown").read(Path(os.fsdecode(path)), ReadContext()))
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (3, 7, "slug", code)]


@pytest.mark.parametrize("items", ["  - # note\n", "  -   # note\n", "  - Lunge\n  - # note\n",
                                   "  - # note\n  - Lunge\n"])
def test_fmt_keeps_the_comment_of_an_empty_list_item(tmp_path: Path, items: str) -> None:
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\nnotes:\n{items}---\n", encoding="utf-8")
    text = _fmt(src)
    assert "# note" in text
    assert parse(text, "m.md", "m", "en") == converter.read(src)[0]
    src.write_text(text, encoding="utf-8")
    assert _fmt(src) == text


def _fmt_layout(tmp_path_factory: pytest.TempPathFactory, front: str) -> str:
    """fmt's layout of a file ``m.md`` of the front matter ``front``, a fixed point: a
    second fmt leaves it byte for byte, and it reads as the file does."""
    text = f"---\n{front}---\n"
    once = _fmt_keeps_and_settles(tmp_path_factory, parse(text, "m.md", "m", "en"), text)
    assert once is not None
    return once


@pytest.mark.parametrize("items", [
    "  - # note\n", "  - Lunge\n  - # note\n  - Squat\n", "  - # note\n  # more\n",
    "  - # note\n    # more\n  - Lunge\n", "  -   # note\n",
    "  -   # note\n  -\n  - c\n", "  -   # note\n  - # two\n  -\n"])
def test_fmt_keeps_the_comment_of_an_empty_list_item_on_its_line(
        tmp_path_factory: pytest.TempPathFactory, items: str) -> None:
    """ruamel.yaml holds it apart from the item (above the next with a value, or at the
    list's end), and would write it on a line of its own there, under a later empty
    item too."""
    front = f"title: M\nnotes:\n{items}"
    assert _fmt_layout(tmp_path_factory, front) == f"---\n{front}---\n"
    moved = f"notes:\n{items}title: M\n"  # (notes put after title, its comment kept)
    assert _fmt_layout(tmp_path_factory, moved) == f"---\n{front}---\n"


@pytest.mark.parametrize("items", ["  -\n  - Lunge\n  -\n", "  -\n  - Lunge  # note\n  -\n",
                                   "  -\n  -\n", "  # first\n  -\n  - Lunge\n"])
def test_an_empty_list_item_is_its_dash_alone(tmp_path_factory: pytest.TempPathFactory,
                                              items: str) -> None:
    """``-``, as the writer and fmt write it, not ``- ``: no line ends in a space."""
    text = f"---\ntitle: M\nnotes:\n{items}---\n"
    muscle = parse(text, "m.md", "m", "en")
    commented = text.replace("notes:", "notes:  # the end of its key's line")
    assert muscle.extra["notes"][0] is None
    if "#" not in text:
        assert render(muscle) == text
    assert _fmt_layout(tmp_path_factory, text[4:-4]) == text
    assert _fmt_layout(tmp_path_factory, commented[4:-4]) == commented


@pytest.mark.parametrize("front, written", [
    ("title: T\nitems:\n  - |\n    one line\n  # c\n  - x\n",
     'title: T\nitems:\n  - "one line\\n"\n  # c\n  - x\n'),
    ("title: T\nitems:\n  - |\n    one line\n  # c\n",
     'title: T\nitems:\n  - "one line\\n"\n  # c\n'),
    ("title: T\nk: |\n  one\n# d\n\n# e\nl: 1\n", 'title: T\nk: "one\\n"\n# d\n\n# e\nl: 1\n'),
    ("latin: L\ntitle: |\n  T\n# d\n", 'title: "T\\n"\nlatin: L\n# d\n'),
], ids=["item", "last item", "map value", "moved key"])
def test_fmt_keeps_a_comment_line_after_a_one_line_block_text_on_its_own_line(
        tmp_path_factory: pytest.TempPathFactory, front: str, written: str) -> None:
    """A ``|`` text of one line is written quoted, as without comments (``convert --to
    markdown``); the comment line after it went to the end of that line (``- "one
    line\\n" # c``): ruamel holds the lines after a block text without the line end
    that comes before them after any other value."""
    plain = "".join(line + "\n" for line in front.split("\n") if "#" not in line
                    and line)
    assert render(parse(f"---\n{plain}---\n", "m.md", "m", "en")) == "---\n" + "".join(
        line + "\n" for line in written.split("\n") if "#" not in line and line) + "---\n"
    assert _fmt_layout(tmp_path_factory, front) == f"---\n{written}---\n"


@pytest.mark.parametrize("front, written", [
    ("{latin: L, title: T}  # c\n", "# c\ntitle: T\nlatin: L\n"),
    ("{latin: L, title: T}  # c\n# d\n", "# c\ntitle: T\nlatin: L\n# d\n"),
    ("{title: T, origin: {da: D, en: E}}  # c\n\n# d\n",
     "# c\ntitle: T\norigin:\n  da: D\n  en: E\n\n# d\n"),
])
def test_fmt_writes_the_comment_after_a_flow_map_front_matter_on_a_line_of_its_own(
        tmp_path_factory: pytest.TempPathFactory, front: str, written: str) -> None:
    """Above the first key, the lines after it at the end: ruamel.yaml wrote it there
    indented as far as it was, after a line's worth of spaces."""
    assert _fmt_layout(tmp_path_factory, front) == f"---\n{written}---\n"


@pytest.mark.parametrize("front, written", [
    ("# top\n{title: M}  # e\n", "# top\n# e\ntitle: M\n"),
    ("# top\n\n# two\n{latin: L,\n title: M}  # e\n# d\n",
     "# top\n\n# two\n# e\ntitle: M\nlatin: L\n# d\n"),
    ("# top\n!!map {title: M}  # e\n", "# top\n# e\ntitle: M\n"),
], ids=["one line", "over lines", "tagged"])
def test_fmt_keeps_the_comment_lines_above_a_flow_map_front_matter_with_a_comment(
        tmp_path_factory: pytest.TempPathFactory, front: str, written: str) -> None:
    """Above the comment at the end of the map's line, which goes above the first key:
    ruamel.yaml drops them as it reads the file (the comment on the map's line takes
    their place), and fmt refused the file (``fmt-would-drop-comment``)."""
    assert _fmt_layout(tmp_path_factory, front) == f"---\n{written}---\n"


@pytest.mark.parametrize("front, written", [
    ("{title: M, latin: L}\n# c\n", "title: M\nlatin: L\n# c\n"),
    ("# top\n\n{latin: L,\n title: M, origin: {da: x}}\n\n# c\n  # d\n\n",
     "# top\n\ntitle: M\nlatin: L\norigin:\n  da: x\n\n# c\n  # d\n"),
], ids=["one line", "over lines"])
def test_fmt_keeps_the_comment_lines_after_a_flow_map_front_matter(
        tmp_path_factory: pytest.TempPathFactory, front: str, written: str) -> None:
    """At the end, as after one with a comment at the end of its line: ruamel.yaml
    drops them as it reads the file where no comment ends the map's line, and fmt
    refused the file (``fmt-would-drop-comment``)."""
    assert _fmt_layout(tmp_path_factory, front) == f"---\n{written}---\n"


@pytest.mark.parametrize("line, column, front", [
    (3, 9, "latin:  # not known yet\n"),
    (3, 16, "exercises: []  # not known yet\n"),
])
def test_fmt_refuses_to_drop_a_comment(tmp_path: Path, line: int, column: int,
                                       front: str) -> None:
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\n{front}---\n", encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text("---\nlatin: L\ntitle: O\n---\n", encoding="utf-8")
    before = src.read_bytes()
    (diagnostic,) = _refusal(src)
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (
        line, column, "fmt-would-drop-comment")
    assert "'# not known yet'" in diagnostic.message
    result = _fmt_cli(str(src), str(other))
    assert result.exit_code == 1
    assert f"m.md:{line}:{column}: error:" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert src.read_bytes() == before
    assert other.read_text(encoding="utf-8") == "---\ntitle: O\nlatin: L\n---\n"


@pytest.mark.parametrize("line, column, code, front", [
    (3, 12, "fmt-would-drop-comment", "origin: |- # from the atlas\n  Hoften.\n"),
    (3, 14, "fmt-would-drop-comment", "insertion: > # from the atlas\n"),
    (4, 8, "fmt-would-drop-comment", "exercises:\n  - |- # from the atlas\n    Squat\n"),
    (3, 15, "fmt-cannot-keep-comments", "image: 'a.jpg'\t# from the atlas\n"),
    (3, 12, "fmt-cannot-keep-comments", "regions: []\t\n  # from the atlas\n"),
])
def test_fmt_refuses_what_its_comment_keeping_reader_cannot_hold(
        tmp_path: Path, line: int, column: int, code: str, front: str) -> None:
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\n{front}---\n", encoding="utf-8")
    converter.read(src)  # valid: only fmt's round-trip reader (ruamel.yaml) fails on it
    before = src.read_bytes()
    (diagnostic,) = _refusal(src)
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (line, column, code)
    result = _fmt_cli(str(src))
    assert result.exit_code == 1
    assert f"m.md:{line}:{column}: error:" in result.stderr
    assert src.read_bytes() == before


@pytest.mark.parametrize("front, written", [
    ("function:\n  - {short: {da: x}} # c0\n  - short: {da: z}\n",
     "function:\n  - short:  # c0\n      da: x\n  - short:\n      da: z\n"),
    ("function:\n  - {extended: E, short: S}        # c1\n",
     "function:\n  - short: S  # c1\n    extended: E\n"),
    ("k:\n  - {a: 1}  # c\n  - {b: 2, c: {d: 1}}      # c2\n  # after\n  - x\n",
     "k:\n  - a: 1  # c\n  - b: 2  # c2\n    c:\n      d: 1\n  # after\n  - x\n"),
    ("k:\n  - [u, v]  # c3\n  - [[u, v]]    # c4\n  - {e: [1]}  # c5\n",
     "k:\n  - - u  # c3\n    - v\n  - - - u  # c4\n      - v\n  - e:  # c5\n      - 1\n"),
    ('k:\n  - {f: "a\\nb"}        # c6\n', "k:\n  - f: |-  # c6\n      a\n      b\n"),
], ids=["flow item in a flow item", "reordered", "flow map items", "flow list items",
        "block text"])
def test_fmt_writes_the_comment_of_a_flow_item_two_spaces_after_its_first_line(
        tmp_path_factory: pytest.TempPathFactory, front: str, written: str) -> None:
    """A list item given as a flow map or list (``- {a: 1}  # c``), written as a block:
    the comment at the end of its line goes two spaces after the item's first line
    (``- a: 1  # c``), as after a key whose value fmt puts below it; ruamel.yaml put it
    on a line of its own above the item, at its column in the file (at a second look:
    on the item's dash line at first)."""
    assert _fmt_layout(tmp_path_factory, f"title: T\n{front}") == f"---\ntitle: T\n{written}---\n"


@pytest.mark.parametrize("front, written", [
    ("x: {a: 1, b: 2}          # c\n", "x:  # c\n  a: 1\n  b: 2\n"),
    ("origin: The back.    # o\nexercises: [a, b]            # e\n# end\n",
     "origin:  # o\n  en: The back.\nexercises:  # e\n  - a\n  - b\n# end\n"),
    ("x: {a: 1}      # c\n  # x's\nz: 1\n", "x:  # c\n  a: 1\n  # x's\nz: 1\n"),
], ids=["flow map", "text and flow list", "lines after"])
def test_fmt_writes_the_comment_of_a_key_whose_value_it_puts_below_two_spaces_after(
        tmp_path_factory: pytest.TempPathFactory, front: str, written: str) -> None:
    """A flow map or list (or a text that fmt writes as a language map) on its key's
    line, written as a block below it: the comment at the end of the line goes two
    spaces after the key, as after a ``|``; ruamel.yaml kept its column, far right of
    ``x:``."""
    assert _fmt_layout(tmp_path_factory, f"title: T\n{front}") == f"---\ntitle: T\n{written}---\n"


@pytest.mark.parametrize("front, settled", [
    # A comment above a key goes with it; one after the last entry stays last, and
    # follows the null value that the layout moves last (the bare "group:").
    ("group: null\n# below\norigin:\n  da: x\n# end\n",
     "# below\norigin:\n  da: x\ngroup:\n# end\n"),
])
def test_fmt_settles_where_a_second_fmt_keeps_the_layout(tmp_path: Path, front: str,
                                                          settled: str) -> None:
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\n{front}---\n", encoding="utf-8")
    assert _fmt_cli(str(src)).exit_code == 0
    assert src.read_text(encoding="utf-8") == f"---\ntitle: M\n{settled}---\n"
    result = _fmt_cli("--check", str(src))
    assert result.exit_code == 0 and "0 would change, 1 unchanged" in result.output


def test_fmt_refuses_a_layout_that_never_settles(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    passes = iter(range(100))

    def moving(muscle: object, data: dict, fm: str, path: str) -> str:
        return f"---\ntitle: M{'  ' * next(passes)} # note\n---\n"

    monkeypatch.setattr(markdown.reformatting, "_render_keeping_comments", moving)
    monkeypatch.setattr(markdown.reformatting, "_check_comments_kept", lambda *_: None)
    src = tmp_path / "m.md"
    src.write_text("---\n# note\ntitle: M\n---\n", encoding="utf-8")
    (diagnostic,) = _refusal(src)
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (2, 1, "fmt-unsettled")
    assert "move on every pass" in diagnostic.message


def test_fmt_refuses_a_layout_the_next_fmt_would_refuse(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    real = markdown.reformatting._check_comments_kept
    checks = iter([lambda *_: None, real])  # the first pass lets its comment go missing
    monkeypatch.setattr(markdown.reformatting, "_check_comments_kept", lambda *a: next(checks)(*a))
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\nlatin: L # first\nimage: a.png  # second\n---\n",
                   encoding="utf-8")
    real_render = markdown.reformatting._render_keeping_comments
    monkeypatch.setattr(markdown.reformatting, "_render_keeping_comments",
                        lambda *a: real_render(*a).replace(" # second", "").replace(
                            "latin: L", "latin: L  # second"))
    (diagnostic,) = _refusal(src)
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (3, 10, "fmt-unsettled")


@pytest.mark.parametrize("text, expected", [
    ("\n# about latin\nlatin: L\ntitle: M\n", "title: M\n# about latin\nlatin: L\n"),
    ("latin: L\n\n# about title\ntitle: M\n", "# about title\ntitle: M\nlatin: L\n"),
    ("latin: L  # l\n\ntitle: M\n", "title: M\nlatin: L  # l\n"),
    ("latin:\n\n# about title\ntitle: M\n", "# about title\ntitle: M\n"),
    ("\n\ntitle: M  # t\n", "title: M  # t\n"),
    ("# file\n\nlatin: L\n\n# about title\ntitle: M\n",
     "# file\n\n# about title\ntitle: M\nlatin: L\n"),
    ("title: M\norigin:\n  en: x  # e\n\n  da: y\n",
     "title: M\norigin:\n  da: \"y\"\n  en: x  # e\n"),
    ("title: M\nfunction:\n  - extended: x  # e\n\n    short: y\n",
     "title: M\nfunction:\n  - short: \"y\"\n    extended: x  # e\n"),
    # (keys in order: the blank lines below a key, above its map's or list's first line)
    ("title: M  # t\norigin:\n\n  da: D\n", "title: M  # t\norigin:\n  da: D\n"),
    ("title: M  # t\nk:\n\n  a: 1\nl:\n\n\n  - x\n",
     "title: M  # t\nk:\n  a: 1\nl:\n  - x\n"),
    ("title: M  # t\nfunction:\n  - short:\n\n      da: D\n",
     "title: M  # t\nfunction:\n  - short:\n      da: D\n"),
    ("title: M\nk:\n\n  # c\n\n  a: 1\nl:  # l\n\n  # d\n  - x\n",
     "title: M\nk:\n  # c\n\n  a: 1\nl:  # l\n  # d\n  - x\n"),
])
def test_fmt_opens_no_map_with_a_blank_line(tmp_path: Path, text: str, expected: str
                                            ) -> None:
    """The blank lines above a key that fmt moves to the top of the front matter (or of
    a map) go: fmt writes no blank line first, and leaves what it writes as it is. So
    do those below a key, above the first line of its map or list, which a file with a
    comment kept (one without comments lost them)."""
    src = tmp_path / "m.md"
    src.write_text(f"---\n{text}---\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{expected}---\n"
    src.write_text(f"---\n{expected}---\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{expected}---\n"


@pytest.mark.parametrize("text, expected", [
    ("title: M  # t\nlatin: L\n\n\n", "title: M  # t\nlatin: L\n"),
    ("title: M\n# about latin\nlatin: L\n\n# end\n\n",
     "title: M\n# about latin\nlatin: L\n\n# end\n"),
    ("title: M  # t\nexercises:\n  - Squat  # deep\n\n\n",
     "title: M  # t\nexercises:\n  - Squat  # deep\n"),
    ("title: M  # t\norigin:\n  en: |\n    One\n    two\n\n  # after\n\n",
     "title: M  # t\norigin:\n  en: |\n    One\n    two\n\n  # after\n"),
])
def test_fmt_closes_the_front_matter_with_no_blank_line(tmp_path: Path, text: str,
                                                        expected: str) -> None:
    """Blank lines before the closing --- of a front matter with comments were kept by
    fmt (one without comments lost them): they go, the comments stay, and fmt leaves
    what it writes as it is."""
    src = tmp_path / "m.md"
    src.write_text(f"---\n{text}---\nBody\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{expected}---\nBody\n"
    src.write_text(f"---\n{expected}---\nBody\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{expected}---\nBody\n"


def test_fmt_keeps_at_most_so_many_comments(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown.reformatting, "MAX_COMMENTS", 3)
    diagnostic = _one_refusal(
        tmp_path, "---\nlatin: L  # one\n# two\ntitle: M\n# three\n  # four\n---\n")
    src = tmp_path / "m.md"
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (
        6, 3, "fmt-too-many-comments")
    assert diagnostic.message.startswith("has 4 comments; fmt keeps 3 at most")
    src.write_text("---\nlatin: L  # one\n# two\ntitle: M\n# three\n---\n", encoding="utf-8")
    assert _fmt(src) == "---\n# two\ntitle: M\nlatin: L  # one\n# three\n---\n"


_COMMENTS = st.lists(st.tuples(st.integers(0, 60), st.booleans()), max_size=6)
#: The bodies of the muscles of fmt's property tests: fmt leaves a body as it is, and a
#: body of thousands of characters (as :func:`~tests.strategies.muscles` draws them)
#: is thousands of choices for the shrinker to try.
_BODIES = st.sampled_from(["", "Body\n", "---\n# A heading\n"])
#: The settings of fmt's property tests: no explain phase, which, once an example
#: failed and shrank, ran some 800 more (each a run of fmt, most of them invalid) to
#: say which arguments could be anything, as long as the shrinking took.
_FMT_PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow],
                         phases=[p for p in Phase if p is not Phase.explain])


def _shuffled_entries(text: str, order: list[int]) -> tuple[list[list[str]], list[str]]:
    """The lines of each top-level front matter entry of a written file, in another
    ``order`` (a permutation of some length) and nulls written ``null``; and the lines
    from the closing ``---`` on."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    entries: list[list[str]] = []
    for line in lines[1:end]:
        if line[:1] not in (" ", "-") or not entries:
            entries.append([])
        entries[-1].append(line)
    entries = [[f"{e[0]} null"] if len(e) == 1 and e[0].endswith(":") else e for e in entries]
    ranked = sorted(range(len(entries)), key=lambda i: order[i % len(order)] * 100 + i)
    return [entries[i] for i in ranked], lines[end:]


def _shuffled(text: str, order: list[int]) -> list[str]:
    """The lines of a written file with its front matter's top-level entries in another
    ``order`` (a permutation of some length) and nulls written ``null``."""
    entries, rest = _shuffled_entries(text, order)
    return ["---", *(line for entry in entries for line in entry), *rest]


@settings(_FMT_PROPERTY, max_examples=150)
@given(muscles(body=_BODIES), st.permutations(range(8)), _COMMENTS)
def test_fmt_output_is_settled_for_commented_files(tmp_path_factory: pytest.TempPathFactory,
                                                   muscle, order, comments) -> None:
    """A written file with its entries reordered and comments put in at random (at line
    ends, or on lines of their own): fmt refuses it, or writes a layout that a second
    fmt leaves alone."""
    lines = _shuffled(render(muscle), order)
    end = lines.index("---", 1)
    for n, (at, own_line) in enumerate(comments):
        row = 1 + at % (end - 1) if end > 1 else 1
        if own_line:
            lines.insert(row, f"# c{n}")
            end += 1
        else:
            lines[row] += f"  # c{n}"
    text = "\n".join(lines)
    try:
        commented = parse(text, "m.md", muscle.slug, "en")
    except MuscleError:
        commented = None
    assume(commented == muscle)  # not a comment inside a block of text
    _fmt_keeps_and_settles(tmp_path_factory, muscle, text)



def _fmt_keeps_and_settles(tmp_path_factory: pytest.TempPathFactory, muscle: Muscle,
                           text: str) -> str | None:
    """fmt of ``text`` (the front matter of ``muscle``, in a file): refused with one of
    fmt's own refusals (None), or a file of the same muscle that a second fmt leaves
    alone (returned)."""
    src = tmp_path_factory.mktemp("fmt") / f"{muscle.slug}.md"
    src.write_text(text, encoding="utf-8")
    try:
        once = _fmt(src)
    except MuscleError as exc:
        assert {d.code for d in exc.diagnostics} <= {
            "fmt-would-drop-comment", "fmt-would-change", "fmt-cannot-keep-comments",
            "fmt-unsettled"}
        return None
    assert parse(once, "m.md", muscle.slug, "en") == muscle
    src.write_text(once, encoding="utf-8")
    assert _fmt(src) == once
    return once


#: Lines put between top-level entries: blank, a comment, one indented right of the keys.
_SPACING = st.lists(st.lists(st.sampled_from(["", "# c", "  # c"]), max_size=4),
                    max_size=10)


@settings(_FMT_PROPERTY, max_examples=150)
@given(muscles(body=_BODIES), st.permutations(range(8)), _SPACING, st.booleans())
def test_fmt_is_idempotent_over_key_orders_with_comments_and_blank_lines(
        tmp_path_factory: pytest.TempPathFactory, muscle: Muscle, order: list[int],
        spacing: list[list[str]], noted: bool) -> None:
    """A written file with its top-level entries reordered and runs of comment lines and
    blank lines put between them (before the first, after the last), the first entry
    maybe with a comment at its line's end: fmt refuses it, or keeps the data and writes
    a front matter that starts with no blank line, which a second fmt leaves alone."""
    entries, rest = _shuffled_entries(render(muscle), order)
    if noted and entries:
        entries[0][0] += "  # first"
    lines = ["---"]
    for at, entry in enumerate([*entries, []]):
        run = spacing[at] if at < len(spacing) else []
        lines += [f"{line}{n}" if line else line for n, line in enumerate(run)] + entry
    text = "\n".join(lines + rest)
    try:
        spaced = parse(text, "m.md", muscle.slug, "en")
    except MuscleError:
        spaced = None
    assume(spaced == muscle)  # (a line indented after a block of text is in the text)
    once = _fmt_keeps_and_settles(tmp_path_factory, muscle, text)
    assert once is None or not once.startswith("---\n\n")
    assert once is None or _closing_blanks(once) <= _closing_blanks(render(muscle))


def test_fmt_keeps_no_blank_line_above_a_moved_key_after_a_text_kept_with_line_ends(
        tmp_path: Path) -> None:
    """The blank line above ``insertion``, which fmt writes after ``origin``'s ``|+``
    text, went there and joined the text: fmt refused the file (``fmt-would-change``)."""
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: T # the title\nlatin: L\n\n# about insertion\n\n"
                   "insertion: I\norigin: |+\n  a\n  b\n\n---\n", encoding="utf-8")
    assert _fmt(src) == ("---\ntitle: T # the title\nlatin: L\norigin:\n  en: |+\n"
                         "    a\n    b\n\n# about insertion\n\ninsertion:\n  en: I\n---\n")


def test_a_text_kept_with_its_line_ends_last_in_the_front_matter_reads_back(
        tmp_path: Path) -> None:
    """A ``|+`` text as the front matter's last value: the writer and fmt wrote a
    ``...`` line after it, which made the file they wrote no YAML (``yaml-syntax``)."""
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: T\nlatin: L\ninsertion: |+\n  a\n  b\n\n---\nBody\n",
                   encoding="utf-8")
    muscle = converter.read(src)[0]
    written = render(muscle)
    assert written.endswith("    a\n    b\n\n---\nBody\n")
    assert parse(written, "m.md", "m", "en") == muscle
    assert _fmt(src) == written


def test_fmt_writes_a_comment_indented_as_far_as_a_text_above_it_left_of_the_text(
        tmp_path: Path) -> None:
    """A comment line above ``function``, indented as far as ``origin``'s text, which
    fmt writes above ``function``: it went directly after the text, and into it (the
    file refused, ``fmt-would-change``)."""
    src = tmp_path / "m.md"
    src.write_text("---\n    # c1\nfunction:\n  - extended: E\n    short: S\norigin: |\n"
                   "  a\n  b\ntitle: T\n---\n", encoding="utf-8")
    once = _fmt(src)
    assert once == ("---\ntitle: T\norigin:\n  en: |\n    a\n    b\n  # c1\nfunction:\n"
                    "  - short: S\n    extended: E\n---\n")


@pytest.mark.parametrize("items, written", [
    # After an item's text, at the item's keys (the file's indented further).
    ("    - extended: |\n        l1\n        l2\n      # after\n    - extended: b\n",
     "  - extended: |\n      l1\n      l2\n    # after\n  - extended: b\n"),
    ("  - extended: |\n        l1\n        l2\n      # after\n  - extended: b\n",
     "  - extended: |\n      l1\n      l2\n    # after\n  - extended: b\n"),
    # After an item that is a text, at its dash (left of the text fmt writes).
    ("    - |\n        l1\n        l2\n    # after\n    - b\n",
     "  - |\n    l1\n    l2\n  # after\n  - b\n"),
    # Where its column is one fmt's layout keeps out of the text, there.
    ("  - extended: |\n      l1\n      l2\n     # after\n  - extended: b\n",
     "  - extended: |\n      l1\n      l2\n     # after\n  - extended: b\n"),
])
def test_fmt_writes_a_comment_after_a_list_item_s_text_at_the_item_s_column(
        tmp_path_factory: pytest.TempPathFactory, items: str, written: str) -> None:
    """A comment line after a ``|`` text in a list item, which would be the text's in
    fmt's layout (indented as far as the text's lines fmt writes): ruamel.yaml put it
    a column left of them (column 5, between the item's keys and the text); it goes a
    step left, to the item's."""
    assert _fmt_layout(tmp_path_factory, f"title: M\nnotes:\n{items}") == \
        f"---\ntitle: M\nnotes:\n{written}---\n"


@pytest.mark.parametrize("items", [
    "  - - x\n    - w\n  - - z\n", "  - - - z\n      - w\n    - v\n",
    "  - - a: 1\n      b: 2\n    - c: 3\n", "  - - |\n      l1\n      l2\n    - b\n",
])
def test_a_list_in_a_list_is_written_from_the_outer_dash_s_line_a_step_right(
        tmp_path_factory: pytest.TempPathFactory, items: str) -> None:
    """``- - x``, as a map in a list is written (``- a: 1``), not ``-   - x``; as the
    writer writes it, so fmt, its comments too, from a file written either way."""
    text = f"---\ntitle: M\nnotes:\n{items}---\n"
    muscle = parse(text, "m.md", "m", "en")
    assert render(muscle) == text
    wide = re.sub(r"(?m)^(\s*- )(?=- )", r"\1  ", text.replace("\n    ", "\n      "))
    assert wide != text and parse(wide, "m.md", "m", "en") == muscle
    assert _fmt(_written(tmp_path_factory, wide)) == text


@pytest.mark.parametrize("items, written", [
    ("  - - x  # one\n    # under x\n    - w\n  # after\n  - - z\n", None),
    ("  -   - x  # one\n        # under x\n      - w\n    # after w\n",
     "  - - x    # one\n        # under x\n    - w\n    # after w\n"),  # (as written)
    ("  - - |\n      l1\n      l2\n    # after\n    - b\n", None),
    ("  -   - |\n          l1\n          l2\n        # after\n      - b\n",
     "  - - |\n      l1\n      l2\n    # after\n    - b\n"),
])
def test_fmt_keeps_the_comments_of_a_list_in_a_list_in_its_layout(
        tmp_path_factory: pytest.TempPathFactory, items: str, written: str | None) -> None:
    """Each where it was written, but for a line fmt's layout would put into a text
    (``# after``, a step left of it)."""
    front = f"title: M\nnotes:\n{items}"
    assert _fmt_layout(tmp_path_factory, front) == \
        f"---\ntitle: M\nnotes:\n{written or items}---\n"


def _written(tmp_path_factory: pytest.TempPathFactory, text: str) -> Path:
    """A file ``m.md`` of ``text``, in a folder of its own."""
    src = tmp_path_factory.mktemp("fmt") / "m.md"
    src.write_text(text, encoding="utf-8")
    return src


#: Top-level entries, some ending in a text kept with its line ends (``|+``), which a
#: blank line written directly after it would join; ``weight`` (fmt's last) always.
_KEPT_ENTRIES = [["title: T"], ["latin: L"], ["origin: |+", "  a", "  b", ""],
                 ["insertion:", "  da: |+", "    x", "", ""],
                 ["function:", "  - extended: |+", "      e", "", "    short: S"]]


@settings(_FMT_PROPERTY, max_examples=100)
@given(st.permutations(range(len(_KEPT_ENTRIES))),
       st.lists(st.lists(st.sampled_from(["", "# c", "  # c", "    # c", "      # c"]),
                         max_size=3), max_size=6))
def test_fmt_writes_no_blank_line_or_comment_into_a_text_it_writes_as_a_block(
        tmp_path_factory: pytest.TempPathFactory, order: list[int],
        spacing: list[list[str]]) -> None:
    """Entries in another order with runs of comment and blank lines between them: fmt
    put a key's blank lines directly after a ``|+`` text that fmt wrote above it, and
    its comment lines indented as far as a text's lines after the text, where they
    were the text's, and refused the file as one whose data would change
    (``fmt-would-change``, at no line)."""
    lines = ["---"]
    for at, entry in enumerate([*(_KEPT_ENTRIES[i] for i in order), ["weight: 5"]]):
        run = spacing[at] if at < len(spacing) else []
        lines += [f"{line}{n}" if line else line for n, line in enumerate(run)] + entry
    text = "\n".join([*lines, "---", ""])
    muscle = parse(text, "m.md", "m", "en")
    src = tmp_path_factory.mktemp("fmt") / "m.md"
    src.write_text(text, encoding="utf-8")
    once = _fmt(src)
    assert parse(once, "m.md", "m", "en") == muscle
    src.write_text(once, encoding="utf-8")
    assert _fmt(src) == once


def _closing_blanks(text: str) -> int:
    """How many blank lines a written file's front matter ends in, before its closing
    ``---`` (a text kept with its line ends, ``|+``, may end in some)."""
    front = text[:text.index("\n---\n", 3) + 1]
    return len(front) - len(front.rstrip("\n"))


def _keys_shuffled(value: Any, rng: random.Random) -> Any:
    """``value`` with the keys of each of its maps in a random order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: _keys_shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [_keys_shuffled(item, rng) for item in value]
    return value


def _collapsed(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The canonical front matter ``data`` with some language maps of a single English
    line written as that text (``origin: The back.``), which fmt writes as a map."""
    def text(value: Any) -> Any:
        line = value.get("en") if isinstance(value, dict) and len(value) == 1 else None
        short = isinstance(line, str) and line.strip() == line != "" and "\n" not in line
        return line if short and rng.random() < 0.5 else value

    found = {key: text(value) if key in ("origin", "insertion") else value
             for key, value in data.items()}
    if "function" in found:
        found["function"] = [{key: text(value) for key, value in item.items()}
                             for item in found["function"]]
    return found


def _key_lines(fm: str) -> dict[int, tuple[tuple[Any, ...], int]]:
    """The 0-based line of each key of the front matter ``fm`` -> the key's path and
    column (the first key's of a line that holds more)."""
    found: dict[int, tuple[tuple[Any, ...], int]] = {}

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                line, column = node.lc.key(key)
                found.setdefault(line, ((*path, key), column))
                walk(value, (*path, key))
        elif isinstance(node, list):
            for at, item in enumerate(node):
                walk(item, (*path, at))

    walk(markdown.yamlwriter._yaml().load(fm), ())
    return found


def _blocks(fm: str) -> list[int]:
    """The 0-based lines of the top-level keys of ``fm`` whose value fmt writes as a
    block: a block map or list with entries, or a text of a language map."""
    data = markdown.yamlwriter._yaml().load(fm)
    return [data.lc.key(key)[0] for key, value in data.items()
            if (isinstance(value, dict | list) and value and not value.fa.flow_style())
            or (key in ("origin", "insertion") and isinstance(value, str))]


def _block_end(lines: list[str], row: int) -> int:
    """The last line of the top-level entry at ``row`` of ``lines`` that is not blank."""
    end = row
    for at in range(row + 1, len(lines)):
        if lines[at].strip() and not lines[at].startswith(" "):
            break
        end = at if lines[at].strip() else end
    return end


def _indent(line: str) -> int:
    """How far ``line`` is indented."""
    return len(line) - len(line.lstrip())


def _comment_owners(fm: str) -> dict[str, tuple[Any, ...]]:
    """Each comment line of ``fm`` -> whose it is, as README's fmt section reads it: in a
    run of comment lines, those indented right of the first line below that is no
    comment are the ``tail`` of a block (of the nearest key above on a line left of
    them); from the first that is not on, the lines are those of the key below,
    ``above`` it (or indented ``left`` of it)."""
    lines, keys = fm.split("\n"), _key_lines(fm)
    found: dict[str, tuple[Any, ...]] = {}
    above = False
    for at, line in enumerate(lines):
        if not line.lstrip().startswith("#"):
            above = False
            continue
        below = next(row for row in range(at, len(lines))
                     if not lines[row].lstrip().startswith("#"))
        path, column = _on_line(lines, keys, below)
        above = above or _indent(line) <= column
        if above:
            found[line.strip()] = ("above" if _indent(line) == column else "left", path)
        else:
            found[line.strip()] = ("tail", next(
                (_tail_of(lines, keys, row, _indent(line)) for row in range(at - 1, -1, -1)
                 if row in keys and _indent(lines[row]) < _indent(line)), ()))
    return found


def _tail_of(lines: list[str], keys: dict[int, tuple[tuple[Any, ...], int]], row: int,
             column: int) -> tuple[Any, ...]:
    """Whose tail a comment line at ``column`` below the key on line ``row`` is: the
    key's block's, where the line is indented right of the key (on an item's line too:
    ``- short:``), else the list item's."""
    path, key_column = keys[row]
    return path if key_column < column else _on_line(lines, keys, row)[0]


def _on_line(lines: list[str], keys: dict[int, tuple[tuple[Any, ...], int]], row: int
             ) -> tuple[tuple[Any, ...], int]:
    """The path of the key on line ``row`` of ``lines`` (``keys``: :func:`_key_lines`),
    that of the list item on an item's line (a comment above it is the item's), and the
    line's column."""
    path, _ = keys.get(row, ((), 0))
    return path[:-1] if lines[row].lstrip().startswith("- ") else path, _indent(lines[row])


def _as_fmt_puts_them(owners: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """:func:`_comment_owners` of a file as fmt should have them after it puts ``short``
    first in each function item: a comment above ``short`` is above the item."""
    return {text: (kind, path[:-1] if kind == "above" and path[:1] == ("function",)
                   and path[2:] == ("short",) else path)
            for text, (kind, path) in owners.items()}


def _ruamel_keeps(fm: str) -> bool:
    """Whether ruamel.yaml's round trip of ``fm``, with the writer's classes, keeps its
    comment lines (it loses one in a multi-line flow map: fmt refuses that file)."""
    stream = io.StringIO()
    yaml = markdown.yamlwriter._yaml()
    yaml.dump(yaml.load(fm), stream)
    kept = stream.getvalue()
    return all(line.strip() in kept for line in fm.split("\n") if line.strip()[:1] == "#")


def _commented(lines: list[str], above: list[int], tails: list[int]) -> list[str]:
    """``lines`` of a written file with comment lines put in: above keys and list items
    of maps (a list item's first key is on its line: the comment is the item's), each
    indented as its line, picked by ``above``; and after top-level blocks, indented into
    them, or into a block inside them (a function item, its ``short``), picked by
    ``tails``."""
    fm = "\n".join(lines[1:lines.index("---", 1)])
    keys = {row + 1: found for row, found in _key_lines(fm).items()}
    rows = sorted(keys)
    ends = [end for end in sorted({_block_end(lines, row + 1) + 1 for row in _blocks(fm)})
            if lines[end].strip()]  # (blank lines there may be a kept text's)
    put = [(rows[pick % len(rows)], 1, f"{' ' * _indent(lines[rows[pick % len(rows)]])}"
            f"# c{n}") for n, pick in enumerate(above) if rows]
    for n, pick in enumerate(tails):
        if ends:
            end = ends[pick % len(ends)]
            columns = _last_columns(keys, end)
            put.append((end, 0, f"{' ' * columns[pick // len(ends) % len(columns)]}# t{n}"))
    lines = list(lines)
    for row, _, line in sorted(put, key=lambda item: (-item[0], -item[1])):
        lines.insert(row, line)
    return lines


def _last_columns(keys: dict[int, tuple[tuple[Any, ...], int]], end: int) -> list[int]:
    """The columns a comment line at ``end``, after a top-level block, can be indented
    to as a tail (of the block, or of a block inside it): 2, and those of the keys of
    the block's last entry, of that entry's last entry, and so on (``keys``: each line's
    key and its column)."""
    columns: list[int] = []
    for row in range(end - 1, 0, -1):
        column = keys[row][1] if row in keys else None
        if column == 0:
            break
        if column is not None and (not columns or column < columns[-1]):
            columns.append(column)
    return sorted({2, *columns})


@settings(_FMT_PROPERTY, max_examples=100)
@given(muscles(body=_BODIES), st.randoms(use_true_random=False),
       st.lists(st.integers(0, 10**6), max_size=6), st.lists(st.integers(0, 10**6), max_size=3))
def test_fmt_keeps_each_comment_above_its_key(tmp_path_factory: pytest.TempPathFactory,
                                              muscle: Muscle, rng: random.Random,
                                              above: list[int], tails: list[int]) -> None:
    """A file with the keys of every map in a random order, some language maps written
    as a text on the key's line, comment lines above random keys and list items and
    comment lines indented into random blocks (or into the last block inside one) after
    their last line: fmt keeps the data, each comment directly above the key or item it
    was above, indented as its line (one
    above ``short``, which fmt puts first in a function item, above the item), and each
    comment in a block at the block's end (a block that ends in a ``|`` text lost it to
    the next key, the comment after ``origin: text`` went to the top, and one above
    ``short`` after ``extended`` went to the previous item's end, or made fmt refuse the
    file under a comment above the item; one at the end of a function item's ``short``
    map went after ``extended``, which fmt puts after ``short``)."""
    data = _keys_shuffled(_collapsed(front_matter_from_muscle(muscle), rng), rng)
    lines = render(muscle, data=markdown.rendering._literal_blocks(data)).split("\n")
    text = "\n".join(_commented(lines, above, tails))
    assume(text != "\n".join(lines))
    written = parse(text, "m.md", muscle.slug, "en")  # (extra in the order written)
    assert written == replace(muscle, extra=written.extra)
    assume(_ruamel_keeps(markdown.split(text, "m.md")[0]))
    src = tmp_path_factory.mktemp("fmt") / f"{muscle.slug}.md"
    src.write_text(text, encoding="utf-8")
    new = _fmt(src)
    assert parse(new, "m.md", muscle.slug, "en") == written
    assert _comment_owners(markdown.split(new, "m.md")[0]) == _as_fmt_puts_them(
        _comment_owners(markdown.split(text, "m.md")[0]))
    src.write_text(new, encoding="utf-8")
    assert _fmt(src) == new


#: Examples test_fmt_keeps_each_comment_above_its_key found: a comment line that fmt
#: puts after a list in a list ending in an empty item (``- -``), which it writes after
#: the keys it knows, the front matter's last one (kept last) or one above the next key.
_AFTER_AN_EMPTY_INNER_ITEM = [
    ('---\n__:\n  - -\ntitle: M\n# t0\n---\n', '---\ntitle: M\n__:\n  - -\n# t0\n---\n'),
    ('---\ntitle: M\na:\n  - -\nexercises:\n  - x\n# c0\nb:\n---\n',
     '---\ntitle: M\nexercises:\n  - x\na:\n  - -\n# c0\nb:\n---\n')]


@pytest.mark.parametrize("text, new", _AFTER_AN_EMPTY_INNER_ITEM, ids=["last", "above-b"])
def test_fmt_keeps_a_comment_it_puts_after_an_empty_inner_item(tmp_path: Path, text: str,
                                                               new: str) -> None:
    """A comment line that fmt puts after ``- -`` (a list in a list ending in an empty
    item), where ruamel.yaml's reader dropped it: fmt refused the file, ``fmt-unsettled``,
    and the property test left such files out; it is kept there, where its key or the
    end is, and a second fmt keeps it."""
    src = tmp_path / "m.md"
    src.write_text(text, encoding="utf-8")
    assert _fmt(src) == new
    src.write_text(new, encoding="utf-8")
    assert _fmt(src) == new


@pytest.mark.parametrize("fm", [
    "title: M\n__:\n  - - # c\n", "title: M\n__:\n  - -\n  # c\n",
    "title: M\n__:\n  - -\n  # c\n  - 1\n", "title: M\n__:\n  - - -\n# c\nb: 1\n"],
    ids=["on-the-line", "after", "before-the-next", "deeper"])
def test_fmt_keeps_a_comment_on_or_after_an_empty_inner_item(tmp_path: Path,
                                                             fm: str) -> None:
    """A comment on the line of an empty item that ends a list in a list, or after it:
    ruamel.yaml's reader dropped each, so fmt refused the file
    (``fmt-would-drop-comment``); fmt keeps it where it is."""
    src = tmp_path / "m.md"
    src.write_text(f"---\n{fm}---\n", encoding="utf-8")
    assert _fmt(src) == f"---\n{fm}---\n"


#: The example test_fmt_keeps_each_comment_above_its_key found: a comment line of the
#: function list's tail, then one indented into the last item's ``short`` map, which
#: fmt puts before ``extended``.
_SHORT_TAIL_AFTER_THE_LIST_S = (
    '---\ntitle: "0"\ninsertion:\n  da: ""\n  en: ""\nfunction:\n'
    '  - short:\n      da: ""\n    extended:\n      da: ""\n      en: ""\n'
    '  - short:\n      da: ""\n    extended:\n      da: ""\n      en: ""\n'
    '  - extended:\n      da: ""\n    short:\n      da: ""\n  # t1\n      # t0\n---\n')


def test_fmt_keeps_a_comment_indented_into_short_after_one_of_the_list_in_short(
        tmp_path: Path) -> None:
    """A comment line indented into a function item's ``short`` map after one of the
    list's tail (left of the item's keys): fmt put it after ``extended``, which it puts
    after ``short``, where it read as ``extended``'s; it ends ``short``, the other still
    ends the list."""
    src = tmp_path / "0.md"
    src.write_text(_SHORT_TAIL_AFTER_THE_LIST_S, encoding="utf-8")
    new = _fmt(src)
    assert new.endswith('  - short:\n      da: ""\n      # t0\n    extended:\n'
                        '      da: ""\n  # t1\n---\n')
    assert _comment_owners(markdown.split(new, "m.md")[0]) == _as_fmt_puts_them(
        _comment_owners(markdown.split(_SHORT_TAIL_AFTER_THE_LIST_S, "m.md")[0])) == {
        "# t0": ("tail", ("function", 2, "short")), "# t1": ("tail", ("function",))}
    src.write_text(new, encoding="utf-8")
    assert _fmt(src) == new


@pytest.mark.parametrize("key, written", [
    ("k" * 129, "k" * 129), ("æ" * 1024, "æ" * 1024),
    ("1," + "g" * 1020, '"1,' + "g" * 1020 + '"'),
    ("a\n" + "b" * 1019, '"a\\n' + "b" * 1019 + '"'), ("k" * 1025, "? " + "k" * 1025),
    ("1," + "g" * 1021, '? "1,' + "g" * 1021 + '"')],
    ids=["129", "1024", "quoted-1024", "escaped-1024", "1025", "quoted-1025"])
def test_a_key_of_up_to_1024_characters_is_written_on_its_line(
        tmp_path: Path, key: str, written: str) -> None:
    """A key of 129 to 1,024 characters as written (quotes and escapes too) was written
    as a complex key (``? kkk...`` and ``: 1`` below it), ruamel's limit being 128; it
    is on its line, as YAML reads it (PyYAML, libyaml, ruamel.yaml, our reader), and fmt
    writes it so. A longer one, which YAML reads on its line no more, stays complex."""
    from ruamel.yaml import YAML

    muscle = Muscle(slug="m", title="M", extra=freeze({key: 1, "menu": {key: "v"}}))
    text = render(muscle)
    if written.startswith("? "):
        assert text == f"---\ntitle: M\n{written}\n: 1\nmenu:\n  {written}\n  : v\n---\n"
    else:
        assert text == f"---\ntitle: M\n{written}: 1\nmenu:\n  {written}: v\n---\n"
    front = markdown.split(text, "m.md")[0]
    assert parse(text, "m.md", "m", "en") == muscle
    for load in (pyyaml.safe_load, lambda s: pyyaml.load(s, Loader=pyyaml.CSafeLoader),
                 YAML(typ="rt").load):
        assert load(front) == {"title": "M", key: 1, "menu": {key: "v"}}
    src = tmp_path / "m.md"
    src.write_text(text.replace("title: M", "title: M  # t"), encoding="utf-8")
    assert _fmt(src) == src.read_text(encoding="utf-8")


@pytest.mark.parametrize("key, written", [("k\x85", '"k\\N"'), ("a\u2028b", '"a\\Lb"'),
                                          ("\u2029", '"\\P"'), ("a\nb", '"a\\nb"')])
def test_a_key_holding_a_line_break_is_written_on_its_line(tmp_path: Path, key: str,
                                                           written: str) -> None:
    """ruamel wrote it as a complex key (``? "k\\N"``, its value on a line of its own
    after ``:``), as if it were written on many lines; double-quoted, its line break an
    escape, it is one line: a key as any other, read back the same by our reader,
    PyYAML and ruamel.yaml, by fmt too (with a comment kept)."""
    import yaml
    from ruamel.yaml import YAML

    muscle = Muscle(slug="m", title="M", extra=freeze({key: 1, "menu": {key: "v"}}))
    text = render(muscle)
    assert text == f"---\ntitle: M\n{written}: 1\nmenu:\n  {written}: v\n---\n"
    front = markdown.split(text, "m.md")[0]
    assert parse(text, "m.md", "m", "en") == muscle
    for load in (yaml.safe_load, YAML(typ="safe").load, YAML(typ="rt").load):
        assert load(front) == {"title": "M", key: 1, "menu": {key: "v"}}
    src = tmp_path / "m.md"
    src.write_text(f"---\n? {written}\n: 1\nmenu:\n  ? {written}\n  : v\n# the title\n"
                   "title: M\n---\n", encoding="utf-8")
    assert _fmt(src) == (f"---\n# the title\ntitle: M\n{written}: 1\nmenu:\n"
                         f"  {written}: v\n---\n")


def test_fmt_keeps_a_block_header_comment_on_a_block(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\nnotes: | # two lines\n  a\n  b\n---\n", encoding="utf-8")
    assert _fmt(src) == src.read_text(encoding="utf-8")


@pytest.mark.parametrize("before, after", [
    ("function:\n  - short:  # reviewed by Ann\n      en: |\n        Abducts the hip.\n"
     "        Rotates the thigh.\n    extended: E\n",
     "function:\n  - short: |  # reviewed by Ann\n      Abducts the hip.\n"
     "      Rotates the thigh.\n    extended: E\n"),
    ("function:\n  - extended:  # e\n      en: \"x\\ny\"\n    short: S\n",
     "function:\n  - short: S\n    extended: |-  # e\n      x\n      y\n"),
    ('notes: "a\\nb"  # two lines\n\n# the end\nz: 1\n',
     "notes: |-  # two lines\n  a\n  b\n\n# the end\nz: 1\n"),
], ids=["short-map", "extended-map", "quoted-text"])
def test_fmt_keeps_a_comment_on_its_line_where_it_writes_the_value_as_a_block(
        tmp_path: Path, before: str, after: str) -> None:
    """A comment at the end of a key's line whose value fmt writes as a ``|`` block (a
    function's text map of the default language alone, a quoted text of two lines)
    went below the text; it is on the block's header line, and a second fmt keeps it."""
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: T\n{before}---\n", encoding="utf-8")
    new = _fmt(src)
    assert new == f"---\ntitle: T\n{after}---\n"
    src.write_text(new, encoding="utf-8")
    assert _fmt(src) == new


def test_fmt_refuses_a_block_header_comment_on_a_text_it_writes_as_a_map_at_it(
        tmp_path: Path) -> None:
    """The header comment of a text that fmt writes as a language map: the refusal named
    the comment above the key (left out with the header, which removed formats)."""
    diagnostic = _one_refusal(tmp_path, "---\ntitle: T\n# above insertion\n"
                              "insertion: |-  # header\n  line one\n# below\nlatin: L\n---\n")
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (
        4, 16, "fmt-would-drop-comment")
    assert "'# header'" in diagnostic.message


@pytest.mark.parametrize("opening, closing", [("---", "---"), ("--- \t", "---  "),
                                              ("---", "---\t")])
def test_delimiters_are_three_dashes_maybe_with_spaces_after(tmp_path: Path, opening: str,
                                                            closing: str) -> None:
    src = tmp_path / "m.md"
    src.write_text(f"{opening}\ntitle: M\n{closing}\n----\nBody\n", encoding="utf-8")
    muscle = converter.read(src)[0]
    assert (muscle.title, muscle.body) == ("M", "----\nBody\n")


@pytest.mark.parametrize("text, line, found", [
    ("----\ntitle: M\n----\n", 1, "the first line is '----'"),
    ("------  \ntitle: M\n---\n", 1, "the first line is '------  '"),
    ("--- # c\ntitle: M\n---\n", 1, "the first line is '--- # c'"),
    ("---title: M\n---\n", 1, "the first line is '---title: M'"),
    ("---\ntitle: M\n----\nBody\n", 3, "a line of 4 dashes does not close"),
    ("---\ntitle: M\n-----\nBody\n---\nMore\n", 3, "a line of 5 dashes does not close"),
])
def test_other_dash_lines_as_delimiters_are_one_diagnostic(text: str, line: int,
                                                           found: str) -> None:
    with pytest.raises(MuscleError) as caught:
        parse(text, "m.md", "m", "en")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (
        line, 1, "front-matter-delimiter")
    assert found in diagnostic.message


JEKYLL_ONLY = ("front matter is not closed by a --- line (a line ... closes front matter "
               "for Jekyll, not Hugo: close it with ---)")


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: M\n...\nBody\n", 3, JEKYLL_ONLY),
    ("---\r\ntitle: M\r\nlatin: L\r\n... \t\r\nBody\r\n", 4, JEKYLL_ONLY),
    ("---\n...\n", 2, JEKYLL_ONLY),
    ("---\ntitle: M\n....\nBody\n", 1, "front matter is not closed by a --- line"),
    ("---\ntitle: M\n", 1, "front matter is not closed by a --- line"),
])
def test_front_matter_closed_by_dots_as_for_jekyll_says_to_close_it_with_dashes(
        text: str, line: int, message: str) -> None:
    """A file closed by ..., as Jekyll takes it, was 'not closed by a --- line' at line 1
    with no word of the ... line."""
    with pytest.raises(MuscleError) as caught:
        parse(text, "m.md", "m", "en")
    assert [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics] == [
        (line, 1, "unterminated-front-matter", message)]


DOTS_THEN_DASHES = ("... ends the YAML document: remove it (it closes front matter for "
                    "Jekyll, not Hugo: close that with ---)")


@pytest.mark.parametrize("text, line", [
    ("---\ntitle: A\n...\n---\nBody\n", 3),
    ("---\ntitle: A\n...\n\n---\nBody\n", 3),
    ("---\ntitle: A\n...\n# a comment\n---\nBody\n", 3),
    ("---\ntitle: A\nlatin: L\n... \t\n---\nBody\n", 4),
    ("---\ntitle: A\n... # a comment\n---\nBody\n", 3),
    ("---\r\ntitle: A\r\n...\r\n---\r\nBody\r\n", 3),
    ("---\n...\n---\nBody\n", 2),
])
def test_dots_line_before_the_closing_dashes_is_an_error_there_in_validate_and_fmt(
        tmp_path: Path, text: str, line: int) -> None:
    """A ... line that a --- line closed after it (blank lines or comments between, or
    none) was read without a word, and fmt dropped it."""
    src = tmp_path / "a.md"
    src.write_bytes(text.encode())
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    found = [(d.line, d.column, d.code) for d in caught.value.diagnostics]
    assert found == [(line, 1, "yaml-syntax")]
    assert caught.value.diagnostics[0].message.startswith(DOTS_THEN_DASHES)
    result = _fmt_cli(str(src))
    assert result.exit_code == 1
    assert f"{src}:{line}:1: error: {DOTS_THEN_DASHES}" in result.stderr
    assert src.read_bytes() == text.encode()


def test_body_carriage_returns_survive_json_to_markdown_and_back(tmp_path: Path) -> None:
    muscle = replace(converter.read(SEED)[0], body="Lone\rcarriage return, CRLF\r\nand LF\n")
    converter.write([muscle], tmp_path / "in.json", "json")
    for source, to, out in (("in.json", "markdown", "md"), ("md", "json", "back.json")):
        result = CliRunner().invoke(cli, ["convert", str(tmp_path / source), "--to", to,
                                          "-o", str(tmp_path / out), "--no-cache"])
        assert result.exit_code == 0, result.output + result.stderr
    assert (tmp_path / "back.json").read_bytes() == (tmp_path / "in.json").read_bytes()
    assert (tmp_path / "md" / "gluteus-medius.md").read_bytes().endswith(
        b"---\nLone\rcarriage return, CRLF\r\nand LF\n")


@pytest.mark.parametrize("raw, body", [
    (b"---\r\ntitle: M\r\n---\r\nBody\r\nmore\r\n", "Body\nmore\n"),  # a Windows file
    (b"---\rtitle: M\r---\rBody\rmore\r", "Body\nmore\n"),  # CR line ends throughout
    (b"---\ntitle: M\n---\nBody\r\nmore\r\n", "Body\r\nmore\r\n"),
    (b"---\ntitle: M\n---\nBody\rmore\n", "Body\rmore\n"),
    (b"---\r\ntitle: M\n---\r\nBody\r\n\n", "Body\r\n\n"),
])
def test_line_ends_are_read_as_written_unless_all_crlf_or_cr(tmp_path: Path, raw: bytes,
                                                             body: str) -> None:
    src = tmp_path / "m.md"
    src.write_bytes(raw)
    muscle = converter.read(src)[0]
    assert (muscle.title, muscle.body) == ("M", body)


def test_mixed_line_ends_in_front_matter_are_lines_to_diagnostics(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_bytes(b'---\ntitle: M\r\ncoords:\r  - "1,1,5,1,5"\n---\nBody\r\n')
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [
        (4, 5, "coords-odd")]


#: Plain scalars that YAML 1.1 readers (PyYAML, Jekyll's Psych, Hugo's yaml.v2) take for
#: something other than text; ruamel.yaml (YAML 1.2) wrote most of them unquoted.
MISREAD = ["No", "yes", "on", "Off", "y", "N", "~", "null", "12:30:00", "2001-01-01",
           "1_000", "0x1F", "017", ".inf", "1,000", "422,216,435,216,443,219", "+12", "<<"]


@pytest.mark.parametrize("word", MISREAD)
def test_text_a_yaml_1_1_reader_would_misread_is_written_quoted(word: str) -> None:
    import yaml

    muscle = converter.Muscle(slug="a", title=word, latin=word, exercises=(word,),
                              origin=LocalizedText.of({"no": word}),
                              extra=freeze({word if word != "<<" else "k": word}))
    front = render(muscle).split("---\n")[1]
    assert f'title: "{word}"\n' in front
    data = yaml.safe_load(front)  # PyYAML's own resolver: a YAML 1.1 reader
    assert data["title"] == data["latin"] == data["exercises"][0] == word
    assert data["origin"] == {"no": word} and data[word if word != "<<" else "k"] == word
    assert parse(render(muscle), "a.md", "a", "en") == muscle


def test_coords_are_quoted_for_ruby_which_reads_digits_and_commas_as_a_number(
        sample_muscles) -> None:
    """Jekyll (Psych) read ``- 172,218,186`` as the integer 172218186."""
    text = render(sample_muscles[0])
    assert all(line.startswith('  - "') for line in text.split("coords:\n")[1].split(
        "\n---")[0].split("\n"))


@given(muscles())
def test_every_text_reads_back_as_itself_to_a_yaml_1_1_reader(muscle) -> None:
    import yaml

    from converter.authoring import front_matter_from_muscle
    front = render(muscle).split("---\n")[1]
    assert yaml.safe_load(front) == front_matter_from_muscle(muscle)


#: Reads YAML documents (one JSON string a line) with Ruby's Psych, safely, as Debian's
#: Jekyll does but stricter (a Date or Time is an error, as a Symbol is there), and
#: writes what it read as JSON.
RUBY_READER = """
require "yaml"; require "json"
STDIN.each_line do |line|
  begin
    puts JSON.generate({"data" => YAML.safe_load(JSON.parse(line), aliases: false)})
  rescue StandardError => e
    puts JSON.generate({"error" => "#{e.class}: #{e.message}"})
  end
end
"""
#: Texts Ruby's or Go's YAML read as something else when they were written plain.
OTHER_READERS_MISREAD = [
    ":x", ":D", "nO", "oFF", "tRUE", "NuLl", "YeS", ".iNf", "-.INf", ".nAn", "0:30", "09:15",
    "00:59:59", "2001-1-1", "2024-6-5", "2001-01-01 10:00:00 +0100", "-2001-01-01 10:00:00",
    "0x1,F", "0b1,0", "0x,", ".e+1", "0X1F", "0O17", "0B101", ".5e3", "-.5E3", "1,000"]


def _ruby_reads(fronts: list[str]) -> list[dict]:
    ruby = shutil.which("ruby")
    assert ruby, "Ruby is a test client here: `make system-deps` installs it"
    import json
    import subprocess

    done = subprocess.run([ruby, "-e", RUBY_READER], input="".join(
        json.dumps(front) + "\n" for front in fronts), capture_output=True, text=True,
        check=True, timeout=WAIT)
    return [json.loads(line) for line in done.stdout.split("\n")[:-1]]  # (not splitlines:
    # U+0085 and U+2028 stay raw in JSON)


def _as_ruby_should_read(muscles: list) -> tuple[list[str], list[dict]]:
    import json

    from converter.authoring import front_matter_from_muscle
    fronts = [render(m).split("---\n")[1] for m in muscles]
    return fronts, [{"data": json.loads(json.dumps(front_matter_from_muscle(m)))}
                    for m in muscles]


def test_jekylls_yaml_reader_reads_every_nasty_text_as_written() -> None:
    """Ruby's Psych read ``:x`` as a Symbol (the whole front matter then failed to
    load), ``nO`` as false, ``0:30`` as 1800 and ``2001-1-1`` as a Date."""
    words = [*MISREAD, *OTHER_READERS_MISREAD]
    muscles = [converter.Muscle(slug=f"m{i}", title=word, latin=word, exercises=(word,),
                                origin=LocalizedText.of({"no": word}),
                                extra=freeze({word if word != "<<" else "k": word,
                                              "list": [word]}))
               for i, word in enumerate(words)]
    fronts, expected = _as_ruby_should_read(muscles)
    assert _ruby_reads(fronts) == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(max_size=8))
def test_jekylls_yaml_reader_reads_any_front_matter_as_the_data_written(items) -> None:
    fronts, expected = _as_ruby_should_read(items)
    assert _ruby_reads(fronts) == expected


#: Plain values of extra keys that Jekyll or Hugo read as no text (this tool reads the
#: text written): fmt keeps them as written (quoted, the sites would read otherwise);
#: and values with the tag ``!`` that Hugo reads as text (this tool and Jekyll as a
#: number, true/false or null): fmt would write them without it, and refuses the file.
EXTRA_MISREAD = ["off", "no", "Yes", "nO", "tRUE", "NuLl", "y", "N", "0x1F", "0X1F", "017",
                 "0o17", "0b101", "08", "1_000", "1,000", "12:30", "1:30.5", "2001-01-01",
                 "2001-1-1", "2001-01-01 10:00:00 +0100", ".iNf", "-.INf", ".nAn", "1e3",
                 ".5e3", "! 7", "! 1.5", "! true", "! ~", '! "7"']


def _misread_file(form: str) -> str:
    return f"---\ntitle: T\nk: {form}\nlist:\n  - {form}\n---\nBody\n"


#: Plain values and keys of extra that Jekyll or Hugo read as no text (false, 15, 5400
#: in base 60), the muscle's own fields (text by the schema, written quoted) among them.
PLAIN_MISREAD = ('---\ntitle: T\ncomments: off\nfeatured: no\nshow: Yes\nhex: 0x1F\n'
                 'd: 017\nn: 1_000\nt: 1:30\n"y": y\nok: "off"\nlatin: No\norigin:\n'
                 '  no: Tekst\nlist:\n  - on\nnotes:\n  yes: 1\n---\nBody\n')


def test_fmt_keeps_a_plain_value_of_extra_a_yaml_1_1_reader_reads_otherwise_as_written(
        tmp_path: Path) -> None:
    """``comments: off`` is false to Jekyll and Hugo, the text here: fmt refused the file
    (``fmt-would-change``, 'fmt would quote it'), though written back plain as it was
    every reader reads it as before, so no Hugo or Jekyll page with ``comments: off``
    passed fmt. fmt now keeps such a plain value, list item or key as written, and
    writes the rest as it does (``latin: "No"``); real Jekyll and Hugo read the same
    values before and after, and validate still warns, naming no fmt."""
    src = tmp_path / "src" / "a.md"
    src.parent.mkdir()
    src.write_text(PLAIN_MISREAD, encoding="utf-8")
    result = _fmt_cli(str(src))
    assert (result.exit_code, result.output) == (
        0, f"reformatted {src}\n1 changed, 0 unchanged\n")
    after = src.read_text("utf-8")
    moved = "latin: No\norigin:\n  no: Tekst\n"
    assert after == PLAIN_MISREAD.replace(moved, "").replace(
        "title: T\n", 'title: T\nlatin: "No"\norigin:\n  "no": Tekst\n')
    assert _fmt_cli(str(src), "--check").exit_code == 0
    checked = CliRunner().invoke(cli, ["validate", "--no-cache", str(src)])
    warned = [line for line in checked.stderr.splitlines() if "[yaml11-ambiguous]" in line]
    assert len(warned) == 11 and not any("fmt" in line.split(": warning: ")[1]
                                         for line in warned)
    hugo_read = hugo_pages([PLAIN_MISREAD, after], tmp_path / "site")
    own = {"latin", "origin"}  # (quoted, as documented: text to every reader now)
    assert {k: v for k, v in hugo_read[0].items() if k not in own} == {
        k: v for k, v in hugo_read[1].items() if k not in own}
    assert (hugo_read[1]["latin"], hugo_read[1]["origin"]) == ("No", {"no": "Tekst"})
    assert (hugo_read[1]["comments"], hugo_read[1]["d"], hugo_read[1]["list"]) == (
        False, 15, [True])
    forms = ["off", "no", "Yes", "0x1F", "017", "1_000", "1:30", "y", "on"]
    written = [after.split(f"\n{key}: ", 1)[1].split("\n")[0] for key in (
        "comments", "featured", "show", "hex", "d", "n", "t", '"y"')] + [
        after.split("list:\n  - ", 1)[1].split("\n")[0]]
    assert written == forms
    jekyll_read = jekyll_reads([*forms, '"off"'], tmp_path / "jekyll")
    assert jekyll_read[0][1] is False and jekyll_read[-1] == ("String", "off")  # (quoted)
    assert jekyll_read[:-1] == jekyll_reads(written, tmp_path / "jekyll")


def test_fmt_still_refuses_a_value_tagged_non_specific_it_would_change(
        tmp_path: Path) -> None:
    """``k: ! off`` is false to Jekyll, the text here and to Hugo: fmt would write it
    without its ``!`` (false to Hugo too), so it leaves the file as it is; so it does a
    draft marker written ``published: off`` (validate's error), with the marker's
    advice."""
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: T\nk: ! off\npublished: off\nok: off\n---\n",
                   encoding="utf-8")
    found = _refusal(src)
    assert [(d.line, d.column, d.field, d.code) for d in found] == [
        (3, 4, "k", "fmt-would-change"), (4, 12, "published", "fmt-would-change")]
    assert "write published: true or published: false" in found[1].message


def test_a_value_tagged_non_specific_that_hugo_reads_as_text_is_a_warning_and_kept(
        tmp_path: Path) -> None:
    """``k: ! 7`` is 7 here and to Jekyll, the text "7" to Hugo: validate said nothing,
    and fmt wrote ``k: 7``, which Hugo reads as the number. validate warns at the value,
    fmt leaves the file as it is; ``draft: ! false`` is still written ``draft: false``
    (Hugo's draft either way)."""
    src = tmp_path / "src" / "a.md"
    src.parent.mkdir()
    src.write_text("---\ntitle: T\nk: ! 7\nl:\n  - ! true\nm: {a: ! ~}\n---\n",
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", str(src)])
    assert [line.split(" reads as ")[0] for line in result.stderr.splitlines()[:-1]] == [
        f"{src}:3:4: warning: k: ! 7", f"{src}:5:5: warning: l[0]: ! true",
        f"{src}:6:8: warning: m.a: ! ~"]
    assert f'{src}:3:4: warning: k: ! 7 reads as the text "7" in YAML 1.1 (Hugo) but as ' \
        "the number 7 here and in every format it is converted to: write \"7\" (text) or " \
        "7 [yaml11-ambiguous]" in result.stderr
    found = _refusal(src)
    assert [(d.line, d.column, d.field, d.code) for d in found] == [
        (3, 4, "k", "fmt-would-change"), (5, 5, "l[0]", "fmt-would-change"),
        (6, 8, "m.a", "fmt-would-change")]
    assert "; fmt would write it without its ! and change what they read: write " \
        '"7" (text) or 7' in found[0].message
    draft = tmp_path / "b.md"
    draft.write_text("---\ntitle: T\ndraft: ! false\n---\n", encoding="utf-8")
    assert _fmt(draft) == "---\ntitle: T\ndraft: false\n---\n"


def test_a_quoted_or_block_text_tagged_non_specific_that_jekyll_reads_otherwise_is_kept(
        tmp_path: Path) -> None:
    """``k: ! 'off'`` is false to Jekyll, the text "off" here and to Hugo: validate said
    nothing, and fmt wrote ``k: "off"``, which Jekyll reads as the text. validate warns
    at the value, fmt leaves the file as it is; one Jekyll reads as text is written."""
    src = tmp_path / "src" / "a.md"
    src.parent.mkdir()
    text = "---\ntitle: T\nk: ! 'off'\nl:\n  - ! |-\n    7\n---\n"
    src.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", str(src)])
    assert [line.split(" reads as ")[0] for line in result.stderr.splitlines()[:-1]] == [
        f"{src}:3:4: warning: k: ! 'off'", f'{src}:5:5: warning: l[0]: ! | "7"']
    found = _refusal(src)
    assert [(d.line, d.column, d.field, d.code) for d in found] == [
        (3, 4, "k", "fmt-would-change"), (5, 5, "l[0]", "fmt-would-change")]
    assert src.read_text(encoding="utf-8") == text
    kept = tmp_path / "b.md"
    kept.write_text("---\ntitle: T\nk: ! 'x'\n---\n", encoding="utf-8")
    assert _fmt(kept) == "---\ntitle: T\nk: x\n---\n"


def test_the_tag_non_specific_with_no_value_is_a_warning_and_kept(tmp_path: Path) -> None:
    """``k: !`` is null to Jekyll, the text "" here and to Hugo: validate said nothing,
    and fmt wrote ``k: ''``, which Jekyll reads as the text. validate warns at the tag,
    fmt leaves the file as it is."""
    src = tmp_path / "src" / "a.md"
    src.parent.mkdir()
    text = "---\ntitle: T\nk: !\n---\n"
    src.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", str(src)])
    assert f'{src}:3:4: warning: k: ! reads as null in YAML 1.1 (Jekyll) but as the text ' \
        '"" here and in every format it is converted to: write "" (text) or null ' \
        "[yaml11-ambiguous]" in result.stderr
    assert [(d.line, d.column, d.field, d.code) for d in _refusal(src)] == [
        (3, 4, "k", "fmt-would-change")]
    assert src.read_text(encoding="utf-8") == text


def test_a_negative_zero_is_a_warning_and_fmt_keeps_it(tmp_path: Path) -> None:
    """``k: -0`` is -0 here, and so in every format it is converted to, but 0 to Jekyll
    and Hugo: validate said nothing. It warns at each such value; fmt writes it as
    written, which every reader reads as before (but ``! -0``, the text to Hugo)."""
    src = tmp_path / "src" / "a.md"
    src.parent.mkdir()
    src.write_text("---\ntitle: T\nk: -0\nl: [1, !!float -0]\nm: -0.0\n---\n",
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", str(src)])
    assert result.stderr.splitlines()[:-1] == [
        f"{src}:3:4: warning: k: plain -0 reads as the number 0 in YAML 1.1 (Jekyll, Hugo) "
        "but as the number -0 here and in every format it is converted to: write 0 or -0.0 "
        "[yaml11-ambiguous]",
        f"{src}:4:8: warning: l[1]: !!float -0 reads as the number 0.0 in YAML 1.1 (Jekyll, "
        "Hugo) but as the number -0.0 here and in every format it is converted to: write "
        "0.0 or -0.0 [yaml11-ambiguous]"]
    assert _fmt(src) == "---\ntitle: T\nk: -0\nl:\n  - 1\n  - !!float -0\nm: -0.0\n---\n"
    tagged = tmp_path / "b.md"
    tagged.write_text("---\ntitle: T\nk: ! -0\n---\n", encoding="utf-8")
    assert [(d.line, d.column, d.field, d.code) for d in _refusal(tagged)] == [
        (3, 4, "k", "fmt-would-change")]


def test_a_number_too_small_for_a_float_is_a_warning_and_fmt_keeps_it(tmp_path: Path
                                                                     ) -> None:
    """``k: 1.0e-400`` is that number here, and so in every format it is converted to,
    but 0.0 to Jekyll and Hugo: validate said nothing (one too large, ``1.0e+400``, is
    an error). It warns at each such value, as of ``-0``; fmt writes it as written."""
    src = tmp_path / "a.md"
    text = "---\ntitle: T\nk: 1.0e-400\nl: [1, -1.0e-400]\n---\n"
    src.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", str(src)])
    assert result.stderr.splitlines()[:-1] == [
        f"{src}:3:4: warning: k: plain 1.0e-400 reads as the number 0.0 in YAML 1.1 "
        "(Jekyll, Hugo) but as the number 1.0e-400 here and in every format it is "
        'converted to: write "1.0e-400" (text) [yaml11-ambiguous]',
        f"{src}:4:8: warning: l[1]: plain -1.0e-400 reads as the number -0.0 in YAML 1.1 "
        "(Jekyll, Hugo) but as the number -1.0e-400 here and in every format it is "
        'converted to: write "-1.0e-400" (text) [yaml11-ambiguous]']
    assert _fmt(src) == "---\ntitle: T\nk: 1.0e-400\nl:\n  - 1\n  - -1.0e-400\n---\n"
    page = hugo_pages([text], tmp_path / "site")[0]
    ruby = _ruby_reads([text.split("---\n")[1]])[0]["data"]
    assert (page["k"], page["l"][1], ruby["k"], ruby["l"][1]) == (0.0, 0.0, 0.0, 0.0)


def test_a_negative_zero_written_from_json_is_the_warning_validate_gives_of_the_file(
        tmp_path: Path) -> None:
    """A JSON ``-0`` in ``extra`` is written ``-0``, as every format writes it, which
    Jekyll and Hugo read as 0: ``validate`` warned of the written file, the writer said
    nothing. It gives that warning now, at the written value; not again of a Markdown
    source, whose reader warned of it there."""
    src = tmp_path / "a.json"
    src.write_text('{"muscles": [{"slug": "a", "title": "T", "extra": {"z": -0, '
                   '"y": [1, -0], "f": -0.0}}]}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", "-j", "1", "--no-cache", str(src), "--to",
                                      "markdown", "-o", str(out)])
    written = out / "a.md"
    assert written.read_text("utf-8") == ("---\ntitle: T\nz: -0\n\"y\":\n  - 1\n  - -0\n"
                                          "f: -0.0\n---\n")
    checked = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", str(written)])
    warned = [line for line in result.stderr.splitlines() if "[yaml11-ambiguous]" in line]
    assert result.exit_code == 0 and warned == checked.stderr.splitlines()[:-1] == [
        f"{written}:3:4: warning: z: plain -0 reads as the number 0 in YAML 1.1 (Jekyll, "
        "Hugo) but as the number -0 here and in every format it is converted to: write 0 "
        "or -0.0 [yaml11-ambiguous]",
        f"{written}:6:5: warning: y[1]: plain -0 reads as the number 0 in YAML 1.1 "
        "(Jekyll, Hugo) but as the number -0 here and in every format it is converted to: "
        "write 0 or -0.0 [yaml11-ambiguous]"]
    front = written.read_text("utf-8").split("---\n")[1]
    page = hugo_pages([written.read_text("utf-8")], tmp_path / "site")[0]
    assert ((page["z"], page["y"]), _ruby_reads([front])[0]["data"]["z"]) == ((0, [1, 0]), 0)
    again = CliRunner().invoke(cli, ["convert", "-j", "1", "--no-cache", str(written),
                                     "--to", "markdown", "-o", str(tmp_path / "again")])
    assert [line.split(": warning")[0] for line in again.stderr.splitlines()
            if "[yaml11-ambiguous]" in line] == [f"{written}:3:4", f"{written}:6:5"]


def test_a_file_with_extra_keys_is_split_once(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a muscle with extra keys split its front matter from the body again to
    look for YAML 1.1 misreads (some 12 us a file); the reader hands on the front
    matter it split, and the warning is as before."""
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: T\nk: -0\n---\nBody.\n", encoding="utf-8")
    splits: list[str] = []
    real = markdown.split

    def counted(text: str, path: str) -> tuple[str, str]:
        splits.append(path)
        return real(text, path)

    for found in pkgutil.iter_modules(markdown.__path__):  # (imported on first use)
        importlib.import_module(f"{markdown.__name__}.{found.name}")
    for module in list(sys.modules.values()):  # (each module that imported it)
        if (getattr(module, "__name__", "").startswith("formats.markdown")
                and getattr(module, "split", None) is real):
            monkeypatch.setattr(module, "split", counted)
    assert markdown.parsing.split is counted
    found: list[Diagnostic] = []
    [muscle] = get_format("markdown").read(src, ReadContext(report=found.append))
    assert (muscle.extra, splits) == ({"k": 0}, [str(src)])
    assert [(d.line, d.column, d.field, d.code) for d in found] == [
        (3, 4, "k", "yaml11-ambiguous")]


def test_a_value_tagged_str_is_no_yaml_1_1_misread_and_fmt_keeps_what_all_read(
        tmp_path: Path) -> None:
    """``o: !!str off`` is the text "off" to Jekyll, Hugo and here: validate warned that
    plain off reads as false (--strict failed) and fmt refused the file. Now it is no
    warning, and fmt quotes it (comments kept or not): every reader reads the same."""
    texts = ["---\ntitle: S\no: !!str off\np: !!str 0x1F\nl:\n  - !!str 12:30\n---\n",
             "---\ntitle: S\n# note\no: !!str off\np: !!str 0x1F\nl:\n  - !!str 12:30\n"
             "---\n"]
    files = []
    for i, text in enumerate(texts):
        files.append(tmp_path / "src" / f"m{i}.md")
        files[-1].parent.mkdir(exist_ok=True)
        files[-1].write_text(text, encoding="utf-8")
    strict = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--strict",
                                      str(tmp_path / "src")])
    assert strict.exit_code == 0 and "[yaml11-ambiguous]" not in strict.stderr
    before = ([m.extra for m in converter.read(tmp_path / "src")[:2]],
              _ruby_reads([text.split("---\n")[1] for text in texts]),
              hugo_pages(texts, tmp_path / "site"))
    assert _fmt_cli("--check", str(tmp_path / "src")).exit_code == 1
    assert _fmt_cli(str(tmp_path / "src")).exit_code == 0
    assert _fmt_cli("--check", str(tmp_path / "src")).exit_code == 0
    after = [f.read_text("utf-8") for f in files]
    assert '\no: "off"\n' in after[0] and "# note" in after[1]
    assert ([m.extra for m in converter.read(tmp_path / "src")[:2]],
            _ruby_reads([text.split("---\n")[1] for text in after]),
            hugo_pages(after, tmp_path / "site")) == before


def test_fmt_still_quotes_the_muscles_own_fields_read_as_text(tmp_path: Path) -> None:
    """Title, latin, language keys and the like are text by the schema (documented):
    written quoted, Jekyll and Hugo read the text too."""
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: Yes\nlatin: 017\norigin:\n  no: Tekst\nexercises:\n"
                   "  - off\nk: \"off\"\nflag: false\n---\n", encoding="utf-8")
    assert _fmt(src) == ('---\ntitle: "Yes"\nlatin: "017"\norigin:\n  "no": Tekst\n'
                         'exercises:\n  - "off"\nk: "off"\nflag: false\n---\n')


def test_fmt_never_changes_what_jekylls_yaml_reader_reads(tmp_path: Path) -> None:
    """Ruby's Psych reads each file as before fmt (fmt leaves them as they are)."""
    files = []
    for i, form in enumerate(EXTRA_MISREAD):
        files.append(tmp_path / f"m{i}.md")
        files[-1].write_text(_misread_file(form), encoding="utf-8")
    files.append(tmp_path / "plain.md")  # (one fmt does rewrite: read alike too)
    files[-1].write_text('---\nk: "off"\ntitle: T\nlist: [note, false, 31]\n---\n',
                         encoding="utf-8")
    fronts = [f.read_text("utf-8").split("---\n")[1] for f in files]
    before = _ruby_reads(fronts)
    assert [read["data"]["k"] for read in before[:3]] == [False, False, True]
    result = _fmt_cli(str(tmp_path))
    assert _ruby_reads([f.read_text("utf-8").split("---\n")[1] for f in files]) == before
    assert result.exit_code == 1 and result.stdout == f"reformatted {files[-1]}\n"


#: A page as ``hugo new`` writes it (Hugo 0.111's default archetype): its date plain.
HUGO_NEW = '---\ntitle: "Soleus"\ndate: 2026-12-07T23:54:43Z\ndraft: true\n---\n'
#: Plain dates and times of ``extra`` in the layout fmt writes, one as a key, with a
#: comment (fmt's comment-keeping pass), and a quoted one (the text to every reader).
DATED = ("---\ntitle: T  # the title\nlastmod: 2026-12-07\nwhen:\n"
         "  - 2001-01-03 10:00:00 +01:00\n  - \"2001-01-02\"\nby:\n  2001-01-01: new year\n"
         "---\nBody\n")


def test_fmt_keeps_a_plain_date_as_written_which_jekyll_and_hugo_read_as_before(
        tmp_path: Path) -> None:
    """``hugo new``'s ``date: 2026-12-07T23:54:43Z`` (a time to Jekyll, the text to Hugo
    and here) was refused, ``fmt-would-change``, 'fmt would quote it and change what
    they read': no value here stands for a date, so no file could pass. fmt now writes a
    plain date or time as written, its value, key or list item, and the rest of the file
    as it does (``title: "Soleus"`` plain), and Jekyll and Hugo read each as before."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "soleus.md").write_text(HUGO_NEW, encoding="utf-8")
    (src / "dated.md").write_text(DATED, encoding="utf-8")
    result = _fmt_cli(str(src))
    assert (result.exit_code, result.output) == (
        0, f"reformatted {src / 'soleus.md'}\n1 changed, 1 unchanged\n")
    after = (src / "soleus.md").read_text("utf-8")
    assert after == HUGO_NEW.replace('"Soleus"', "Soleus")
    assert (src / "dated.md").read_text("utf-8") == DATED
    assert _fmt_cli(str(src), "--check").exit_code == 0
    hugo_read = hugo_pages([after, DATED], tmp_path / "site", drafts=True)
    assert hugo_read == hugo_pages([HUGO_NEW, DATED], tmp_path / "site", drafts=True)
    assert hugo_read[0]["date"] == "2026-12-07T23:54:43Z"
    forms = ["2026-12-07T23:54:43Z", after.split("date: ")[1].split("\n")[0]]
    read = jekyll_reads(forms, tmp_path / "jekyll")
    assert read[0] == read[1] and read[0][0] == "Time"  # (quoted: a String)


@pytest.mark.parametrize("key", ["draft", "Draft", "DRAFT", "published", "draft[0]",
                                 "drafts[0]"])
@pytest.mark.parametrize("value", ["2026-12-07", "2026-12-07T23:54:43Z"])
def test_fmt_refuses_a_plain_date_as_a_draft_marker(
        tmp_path: Path, key: str, value: str) -> None:
    """Keeping plain dates as written took in the draft markers: ``draft: 2026-12-07``
    passed fmt and fmt --check (validate's wrong-type error, alone), where fmt had
    refused it, 'write draft: true or draft: false'. A marker is true or false: fmt
    refuses a date there again, the file left as it was, and keeps a date elsewhere
    (``date:`` beside it, and a key that marks nothing: ``drafts``)."""
    src = tmp_path / "src"
    src.mkdir()
    marker = key.split("[")[0]
    written = f"{marker}:\n  - {value}" if "[" in key else f"{key}: {value}"
    text = f"---\ntitle: Soleus\ndate: {value}\n{written}\n---\n"
    (src / "soleus.md").write_text(text, encoding="utf-8")
    (src / "kept.md").write_text(HUGO_NEW.replace('"Soleus"', "Kept"), encoding="utf-8")
    checked = _fmt_cli("--check", str(src))
    formatted = _fmt_cli(str(src))
    assert (src / "soleus.md").read_text("utf-8") == text
    if marker == "drafts":  # (no marker: the date is kept, as any other)
        assert (checked.exit_code, formatted.exit_code) == (0, 0), formatted.output
        return
    at, write = ((5, 5), f'"{value}" (text)') if "[" in key else (
        (4, len(key) + 3), f"{key}: true or {key}: false")  # (a list: as before dates)
    told = (f"{src / 'soleus.md'}:{at[0]}:{at[1]}: error: {key}: plain {value} reads as a "
            f"{'time' if 'T' in value else 'date'} in YAML 1.1 (Jekyll) but as the text "
            f'"{value}" here; fmt would quote it and change what they read: write {write} '
            "[fmt-would-change]\n")
    for result in (checked, formatted):
        assert result.exit_code == 1
        assert result.output.startswith(told), result.output
    validated = CliRunner().invoke(cli, ["validate", str(src / "soleus.md"), "--no-cache"])
    assert validated.exit_code == 1
    assert f"{marker}: must be true or false" in validated.output
    assert "[wrong-type]" in validated.output


def test_fmt_never_changes_what_hugo_reads(tmp_path: Path) -> None:
    texts = [_misread_file(form) for form in EXTRA_MISREAD]
    (tmp_path / "src").mkdir()
    for i, text in enumerate(texts):
        (tmp_path / "src" / f"m{i}.md").write_text(text, encoding="utf-8")
    before = hugo_pages(texts, tmp_path / "site")
    assert [page["k"] for page in before[:3]] == [False, False, True]
    result = _fmt_cli(str(tmp_path / "src"))
    after = [(tmp_path / "src" / f"m{i}.md").read_text("utf-8") for i in range(len(texts))]
    assert hugo_pages(after, tmp_path / "site") == before
    assert result.exit_code == 1


#: Tagged scalars fmt keeps or writes anew, each as a value of ``extra``.
TAGGED = ["!!bool off", "!!bool Yes", "!!bool ON", "!!str off", "!!str 0x1F", "!!str 12",
          "!!null ~", "!!int 12", "!!float 1.5", "!!int +12", "!!int \"0x1F\"",
          "!<tag:yaml.org,2002:int> 0x1F", "!!float '1_000'", "!!int 0x1F", "!!int 017",
          "!!int -0b1_01", "!!int 1_000", "!!float 1_000.5", "!!float 1_000", "!!float 1e5",
          "!!float 12"]


def test_fmt_of_tagged_scalars_changes_nothing_jekyll_or_hugo_read(tmp_path: Path) -> None:
    """fmt keeps a tagged number's tag and spelling, and writes other tags anew only as
    what Ruby's Psych (Jekyll) and Hugo read alike."""
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: T\n" + "".join(f"k{i}: {form}\n" for i, form in
                                                enumerate(TAGGED)) + "---\n", "utf-8")
    before = src.read_text("utf-8")
    after = _fmt(src)
    assert after != before and "k14: !!int 017\n" in after
    assert _ruby_reads([after.split("---\n")[1]]) == _ruby_reads([before.split("---\n")[1]])
    assert hugo_pages([after], tmp_path / "site") == hugo_pages([before], tmp_path / "site")


#: Front matter keys Hugo reads for itself (a date, a flag, a list of its own): extra
#: keys by these names are not compared.
HUGO_KEYS = {"aliases", "build", "cascade", "categories", "date", "description", "draft",
             "expirydate", "headless", "images", "iscjklanguage", "keywords", "lastmod",
             "layout", "linktitle", "markup", "menu", "menus", "outputs", "params",
             "publishdate", "resources", "series", "sitemap", "slug", "summary", "tags",
             "translationkey", "type", "url", "videos", "weight"}


def _lower_keys(value: object) -> object:
    """``value`` with its maps' keys in lower case, as Hugo gives front matter (maps in a
    list keep theirs)."""
    if isinstance(value, dict):
        return {k.lower(): _lower_keys(v) for k, v in value.items()}
    return value


def _hugo_reads(muscles: list, site: Path) -> tuple[list[dict], list[dict]]:
    """(what Hugo read of each muscle's front matter, what it should have read)."""
    import json

    from converter.authoring import front_matter_from_muscle
    expected = []
    for muscle in muscles:
        data = _lower_keys(json.loads(json.dumps(front_matter_from_muscle(muscle)),
                                      parse_int=float))
        expected.append({k: v for k, v in data.items() if k not in HUGO_KEYS})
    read = hugo_pages([render(m) for m in muscles], site,
                      parse_int=float)  # (Go writes 2.5e16 as 25000000000000000)
    return [{k: v for k, v in page.items() if k in want} for page, want in
            zip(read, expected, strict=True)], expected


def test_hugos_yaml_reader_reads_every_nasty_text_as_written(tmp_path: Path) -> None:
    """Hugo (Go's YAML) reads what the writer quotes for Ruby's and YAML 1.1's sake as
    the texts written."""
    words = [*MISREAD, *OTHER_READERS_MISREAD]
    muscles = [converter.Muscle(slug=f"m{i}", title=word, latin=word, exercises=(word,),
                                origin=LocalizedText.of({"no": word}),
                                extra=freeze({"k": word, "list": [word]}))
               for i, word in enumerate(words)]
    read, expected = _hugo_reads(muscles, tmp_path / "site")
    assert read == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(items=corpora(max_size=8))
def test_hugos_yaml_reader_reads_any_front_matter_as_the_data_written(
        tmp_path: Path, items: list) -> None:
    read, expected = _hugo_reads(items, tmp_path / "site")
    assert read == expected


def test_the_merge_key_is_refused_in_extra_for_ruby_merges_it_even_quoted(
        tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text('---\ntitle: A\nnotes:\n  "<<":\n    a: 1\n---\n', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [(d.line, d.field, d.code) for d in caught.value.diagnostics] == [
        (4, "notes.<<", "reserved-key")]
    fronts, _ = _as_ruby_should_read([converter.Muscle(slug="a", title="A", extra=freeze(
        {"notes": {"<<": {"a": 1}}}))])
    assert _ruby_reads(fronts)[0]["data"]["notes"] == {"a": 1}  # (why: merged)


def test_a_slug_from_a_file_name_is_the_same_in_any_locale(tmp_path: Path) -> None:
    """Under a C locale Python decodes names as ASCII with escapes: Æble.md was "ble"."""
    import json
    import os
    import subprocess
    import sys

    for name, title in (("Æble.md", "Æble"), ("ørn.md", "Ørn")):
        (tmp_path / name).write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "converter", "convert", str(tmp_path),
                           "--to", "jsonl", "-o", "-", "-q", "--no-cache"],
                          capture_output=True, env=env, check=False, timeout=WAIT)
    assert sorted(json.loads(line)["slug"] for line in done.stdout.splitlines()) == [
        "aeble", "oern"], done.stderr


def test_writing_many_muscles_leaves_no_garbage_for_the_paused_collector(
        sample_muscles: list) -> None:
    """A run pauses the cyclic garbage collector: each file's ruamel.yaml instance was
    a cycle kept to the end (170 MB over 20,000 files)."""
    import gc

    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            for muscle in sample_muscles:
                render(muscle)
        left = gc.collect()
    finally:
        gc.enable()
    assert left < 200, left  # (300 files written: 86 objects each before)


@pytest.mark.parametrize("text, kind", [
    ('+++\ntitle = "Soleus"\n+++\n', "TOML"), ('{\n  "title": "Soleus"\n}\n', "JSON"),
    ('{"title": "Soleus"}\n', "JSON"), ("# Soleus\n", None)])
def test_front_matter_of_another_kind_is_named(text: str, kind: str | None) -> None:
    """Hugo's TOML (+++) or JSON front matter was 'has no front matter' with no word of
    why."""
    with pytest.raises(MuscleError) as caught:
        markdown.split(text, "s.md")
    (found,) = caught.value.diagnostics
    assert (found.line, found.code) == (1, "no-front-matter")
    assert found.message == "has no front matter (the first line must be ---)" + (
        f": it opens {kind} front matter (Hugo's), which muscle-convert does not read; write "
        "it as YAML between --- lines" if kind else "")


@pytest.mark.parametrize(("name", "written", "said"), [
    ("x.json", "json", "it is named like a json file, and reads as one: drop --from "
     "markdown, or use --from json"),
    ("x.jsonl", "jsonl", "it is named like a jsonl file, and reads as one: drop --from "
     "markdown, or use --from jsonl"),
    ("x.txt", "json", "it holds muscles as JSON, the json format's document, not front "
     "matter: read it with --from json"),
])
def test_a_json_file_of_muscles_read_as_markdown_is_told_how_to_read_it(
        name: str, written: str, said: str, tmp_path: Path) -> None:
    """Our own JSON read with --from markdown was said to open Hugo's JSON front matter,
    to be written as YAML between --- lines."""
    path = tmp_path / name
    muscles = converter.read(SAMPLES)
    converter.write(muscles, path, written)
    result = CliRunner().invoke(cli, ["validate", str(path), "--from", "markdown",
                                      "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:1:1: error: has no front matter (the first line must be ---): {said} "
        "[no-front-matter]")
    advice = said.rsplit(": ", 1)[1]
    for way in advice.split(", or "):
        given = [] if way.startswith("drop") else way.split()[-2:]
        ran = CliRunner().invoke(cli, ["validate", str(path), *given, "--no-cache"])
        assert ran.exit_code == 0, ran.stderr
    with pytest.raises(MuscleError, match="format='markdown'" if "drop" in said else
                       "format='json'"):
        converter.read(path, format="markdown")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fmt_of_a_json_file_of_muscles_named_md_advises_what_fmt_takes(
        tmp_path: Path, jobs: str) -> None:
    """fmt of our JSON document in a ``.md`` file advised ``--from json``, which fmt does
    not take (its workers' too); it says fmt formats only Markdown front matter and how
    to leave the file out, which fmt takes."""
    folder = tmp_path / "site"
    folder.mkdir()
    converter.write(converter.read(SAMPLES), tmp_path / "all.json")
    (tmp_path / "all.json").rename(folder / "all.md")
    for n in range(70 if jobs == "2" else 0):  # (enough files for fmt to start workers)
        (folder / f"m{n}.md").write_text("---\ntitle: M\n---\n", encoding="utf-8")
    result = _fmt_cli("--check", "-j", jobs, str(folder))
    assert result.exit_code == 1
    assert f"{folder / 'all.md'}:1:1: error: has no front matter (the first line must be "\
        "---): it holds muscles as JSON, the json format's document, not front matter, and "\
        "fmt formats only Markdown front matter: leave it out of fmt (--exclude) "\
        "[no-front-matter]" in result.stderr.splitlines()
    assert "--from" not in result.stderr
    left_out = _fmt_cli("--check", "-j", jobs, "--exclude", "all.md", str(folder))
    assert left_out.exit_code == 0, left_out.stderr


def test_a_second_byte_order_mark_before_the_front_matter_is_named(tmp_path: Path) -> None:
    """A UTF-8 file whose byte order mark was written twice (a tool that adds one to a
    file that has one) showed ``---`` as its first line in an editor, and was said to
    have no front matter (the first line must be ---); it says what is before the ---.
    One mark alone is dropped, as the readers of Jekyll and Hugo drop it."""
    mark, text = b"\xef\xbb\xbf", b"---\ntitle: S\xc3\xb8leus\n---\nBody\n"
    path = tmp_path / "m.md"
    path.write_bytes(mark + text)
    assert [m.title for m in converter.read(path)] == ["S\u00f8leus"]
    path.write_bytes(mark + mark + text)
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics] == [
        (1, 1, "no-front-matter", "has no front matter (the first line must be ---): it "
         "starts with a byte order mark (U+FEFF) before the ---, a second one after the "
         "file's own, which editors do not show: delete it")]


@pytest.mark.parametrize(("marks", "opening", "said"), [
    (3, "---", "starts with 2 byte order marks (U+FEFF) before the ---, more after the "
     "file's own, which editors do not show: delete them"),
    (2, "+++", "starts with a byte order mark (U+FEFF) before the +++, a second one after "
     "the file's own, which editors do not show: delete it; it opens TOML front matter "
     "(Hugo's), which muscle-convert does not read; write it as YAML between --- lines"),
    (3, '{"title": "S"}', "starts with 2 byte order marks (U+FEFF) before the {, more "
     "after the file's own, which editors do not show: delete them; it opens JSON front "
     "matter (Hugo's), which muscle-convert does not read; write it as YAML between --- "
     "lines")])
def test_byte_order_marks_before_front_matter_are_counted_and_told_with_its_kind(
        marks: int, opening: str, said: str, tmp_path: Path) -> None:
    """A second byte order mark before +++ (or {) got neither the mark's hint nor the
    TOML (JSON) one, and three marks before --- were called "a second one". The marks
    after the file's own are counted, and the kind of front matter after them named."""
    path = tmp_path / "m.md"
    path.write_bytes(b"\xef\xbb\xbf" * marks + f"{opening}\ntitle = 'S'\n+++\n".encode())
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics] == [
        (1, 1, "no-front-matter", f"has no front matter (the first line must be ---): it "
         f"{said}")]


def test_fmt_refuses_a_layout_its_comment_keeping_writer_breaks(tmp_path: Path) -> None:
    """ruamel.yaml wrote a null after a map of a null in a commented list as
    ``- a:   -``, which reads as no YAML: fmt said yaml-syntax at a line of its own
    output (a place the file does not have)."""
    diagnostic = _one_refusal(tmp_path, "---\ntitle: M\nnotes:  # c0\n  - {}\n  - a:\n  - \n---\n")
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (
        3, 9, "fmt-cannot-keep-comments")
    assert diagnostic.message.startswith(
        "fmt's comment-keeping YAML writer (ruamel.yaml) would put this front matter's "
        "comments into text that reads as no YAML (")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_fmt_keeps_a_files_crlf_line_ends_and_its_byte_order_mark(tmp_path: Path,
                                                                   bom: bytes) -> None:
    """With git's autocrlf (Windows) every file is CRLF: fmt --check failed every one,
    and fmt rewrote them all with LF line ends and without their mark."""
    canonical = render(converter.read(SAMPLES / "soleus.md")[0])
    src = tmp_path / "soleus.md"
    src.write_bytes(bom + canonical.replace("\n", "\r\n").encode("utf-8"))
    assert _fmt(src).encode("utf-8") == src.read_bytes()  # (in layout: nothing to do)
    unordered = canonical.replace("title: Soleus", "title:   Soleus")  # (too many spaces)
    assert unordered != canonical
    src.write_bytes(bom + unordered.replace("\n", "\r\n").encode("utf-8"))
    assert _fmt(src).encode("utf-8") == bom + canonical.replace("\n", "\r\n").encode()
    src.write_bytes(b"---\r\ntitle: M\r\n---\nbody\n")  # (mostly CRLF)
    assert _fmt(src) == "---\r\ntitle: M\r\n---\r\nbody\n"
    src.write_bytes(b"---\r\ntitle: M\n---\nbody\r\n")  # (mostly LF: the layout's)
    assert _fmt(src) == "---\ntitle: M\n---\nbody\r\n"


_FRONT_CRLF = b"---\r\ntitle: T\r\nlatin: L\r\n---\r\n"


@pytest.mark.parametrize("raw, formatted", [
    (_FRONT_CRLF + b"Body\rline\r\n", _FRONT_CRLF + b"Body\rline\r\n"),
    (b"---\r\nlatin: L\r\ntitle: T\r\n---\r\nBody\rline\nx\r\n",
     _FRONT_CRLF + b"Body\rline\nx\r\n"),
    (b"---\r\nlatin: L\r\ntitle: T\r\n\r\n\r---\r\nBody\n", _FRONT_CRLF + b"Body\n"),
    (b"---\rlatin: L\rtitle: T # c\r---\rBody\rline\r",
     b"---\rtitle: T # c\rlatin: L\r---\rBody\rline\r"),
])
def test_fmt_keeps_the_body_byte_for_byte_and_the_front_matter_s_line_ends(
        tmp_path: Path, raw: bytes, formatted: bytes) -> None:
    """A CRLF file with a stray CR in its body (or an LF), or a CR file: fmt wrote it all
    with LF line ends, the body's CR an LF too."""
    src = tmp_path / "m.md"
    src.write_bytes(raw)
    assert _fmt(src).encode() == formatted


def test_fmt_keeps_a_slug_key_hugo_and_jekyll_make_an_address_of(tmp_path: Path) -> None:
    """A slug: key whose slug the file's name gives too was dropped without a word: Hugo
    then made the page's address of the file's name (/rectus_femoris/, not
    /rectus-femoris/), and a site's links broke."""
    for name, front in (("rectus_femoris.md", "slug: rectus-femoris\ntitle: R\n"),
                        ("Ærø.md", "title: Ærø\nslug: aeroe\n")):
        (tmp_path / name).write_text(f"---\n{front}---\n", encoding="utf-8")
    assert _fmt(tmp_path / "rectus_femoris.md") == "---\nslug: rectus-femoris\ntitle: R\n---\n"
    assert _fmt(tmp_path / "Ærø.md") == "---\nslug: aeroe\ntitle: Ærø\n---\n"



def test_fmt_keeps_a_slug_key_not_written_as_its_slug_as_written(tmp_path: Path) -> None:
    """``slug: Rectus Femoris`` (the slug rectus-femoris) was fmt-would-change, advising
    to write it so or keep it as it is, which left fmt failing on the file for good
    (every fmt --check of CI and pre-commit): it is kept as written now, which neither
    changes the muscle nor the address Hugo and Jekyll make of it."""
    src = tmp_path / "r.md"
    src.write_text("---\ntitle: R # t\nslug: 'Rectus Femoris'\n---\n", encoding="utf-8")
    (muscle,) = converter.read(src)
    assert _fmt(src) == "---\nslug: 'Rectus Femoris'\ntitle: R # t\n---\n"
    src.write_text(_fmt(src), encoding="utf-8")
    assert _fmt(src) == src.read_text(encoding="utf-8")  # (fmt --check passes now)
    assert converter.read(src) == [muscle] and muscle.slug == "rectus-femoris"
    src.write_text("---\ntitle: R\nslug: 'Off'\n---\n", encoding="utf-8")
    assert _fmt(src) == "---\nslug: 'Off'\ntitle: R\n---\n"  # (quoted: false to Jekyll)


def test_fmt_keeps_a_slug_key_that_jekyll_reads_as_a_number_plain(tmp_path: Path) -> None:
    """``slug: 1_000`` was written ``slug: "1_000"``: Ruby's YAML (Jekyll) reads the plain
    one as 1000 and the quoted one as the text, so the page's address changed (``12:30``
    is 45000 to Jekyll, ``0b101`` is 5). fmt writes the slug's scalar as it is written,
    so neither Jekyll nor Hugo reads anything else."""
    texts = [f"---\ntitle: Soleus\nslug: {value}\n---\n"
             for value in ("1_000", "12:30", "0b101")]
    after = []
    for i, text in enumerate(texts):
        src = tmp_path / f"s{i}.md"
        src.write_text(text, encoding="utf-8")
        after.append(_fmt(src))
    assert [text.split("\n")[1] for text in after] == [
        "slug: 1_000", "slug: 12:30", "slug: 0b101"]
    before = _ruby_reads([text.split("---\n")[1] for text in texts])
    assert [read["data"]["slug"] for read in before] == [1000, 45000, 5]
    assert _ruby_reads([text.split("---\n")[1] for text in after]) == before
    def addresses(texts: list[str]) -> set[str]:
        return hugo_built({f"m{i}.md": text for i, text in enumerate(texts)},
                          tmp_path / "site")

    assert addresses(after) == addresses(texts) == {"1000", "1230", "5"}
    src = tmp_path / "c.md"  # (fmt keeping comments writes it so too)
    src.write_text("---\ntitle: Soleus # c\nslug: 1_000 # d\n---\n", encoding="utf-8")
    assert _fmt(src) == "---\nslug: 1_000 # d\ntitle: Soleus # c\n---\n"


def test_fmt_quotes_a_slug_key_that_jekyll_and_hugo_read_as_something_else(
        tmp_path: Path) -> None:
    """``slug: "off"`` was written ``slug: off``, which Jekyll and Hugo (YAML 1.1) read as
    false: the page lost its address. It stays quoted, as such a text of extra does."""
    for value in ("off", "no", "0x1f"):
        src = tmp_path / f"m{value}.md"
        src.write_text(f'---\nslug: "{value}"\ntitle: M\n---\n', encoding="utf-8")
        assert _fmt(src) == f'---\nslug: "{value}"\ntitle: M\n---\n'


@pytest.mark.parametrize("folder, message", [
    (b"___", "cannot make a slug (letters and digits) from '___', the folder name: rename "
     "it, or add a slug: field"),
    (b"l\xe6g", "the folder name is not UTF-8 (byte 0xe6), so no slug can be made of it: "
     "rename the folder, or give the slug in a slug: field")], ids=["no-letters", "not-utf8"])
def test_a_slug_a_bundles_folder_cannot_give_says_to_rename_the_folder(
        tmp_path: Path, folder: bytes, message: str) -> None:
    """It said to rename the file, which would make the page no bundle's."""
    page = os.fsencode(tmp_path) + b"/" + folder + b"/index.md"
    os.mkdir(os.path.dirname(page))
    with open(page, "wb") as fh:
        fh.write(b"---\ntitle: T\n---\n")
    with pytest.raises(MuscleError) as caught:
        list(get_format("markdown").read(Path(os.fsdecode(page)), ReadContext()))
    assert [(d.line, d.code, d.message) for d in caught.value.diagnostics] == [
        (None, "bad-slug", message)]


def test_a_muscle_whose_slug_is_index_keeps_it_through_a_round_trip(tmp_path: Path) -> None:
    """Written as index.md with no slug key, it was read back as a page bundle's page,
    named after the output folder (out: slug 'out'), or clashed with a muscle of that
    name."""
    muscles = [Muscle(slug="index", title="Index muscle"), Muscle(slug="out", title="Out")]
    converter.write(muscles, tmp_path / "out", "markdown")
    assert converter.read(tmp_path / "out") == muscles
    assert "\nslug: index\n" in (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "slug:" not in (tmp_path / "out" / "out.md").read_text(encoding="utf-8")


def test_threads_formatting_at_once_give_what_one_thread_gives(tmp_path: Path) -> None:
    sources = sorted(SAMPLES.glob("*.md"))[:4]
    commented = [src.read_text(encoding="utf-8").replace("\ntitle:", "\n# named\ntitle:", 1)
                 for src in sources]
    for src, text in zip(sources, commented, strict=True):
        (tmp_path / src.name).write_text(text, encoding="utf-8")

    def work(n: int) -> list[str]:
        return [_fmt(tmp_path / sources[n].name) for _ in range(3)]

    formatted = in_threads(work, len(sources))
    for src, got in zip(sources, formatted, strict=True):
        assert got == [_fmt(tmp_path / src.name)] * 3
        assert "# named" in got[0]


def test_the_lints_of_the_valid_fields_are_said_beside_a_schema_error(tmp_path: Path) -> None:
    """Unsafe links and a polygon that crosses itself were said only once a wrong-type
    title was fixed, a run later. A field in error itself (an exercise, a region that is
    no coords string or has a negative coordinate) has no lint of its own."""
    path = tmp_path / "a.md"
    path.write_text('---\ntitle: 5\nimage: javascript:alert(1)\nimage_focus: "file:///etc/'
                    'passwd"\norigin:\n  da: " "\nexercises: [Squat, 5]\ncoords:\n  - "0,0,10,'
                    '10,10,0,0,10"\n  - 7\n  - "0,0,-1,2,3,3"\n---\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    assert result.exit_code == 1
    assert [line.removeprefix(f"{path}:") for line in result.stderr.splitlines()[:-1]] == [
        "2:8: error: title: must be text, not a number [wrong-type]",
        "3:8: error: image: 'javascript:alert(1)' is not a relative, http or https link "
        "[unsafe-link]",
        "4:14: error: image_focus: 'file:///etc/passwd' is not a relative, http or https "
        "link [unsafe-link]",
        "6:7: warning: origin.da: text is empty [empty-text]",
        "7:20: error: exercises[1]: must be text, not a number [wrong-type]",
        "9:5: error: coords[0]: polygon edges cross or touch each other "
        "[polygon-self-intersecting]",
        '10:5: error: coords[1]: must be a coords string "x1,y1,x2,y2,...", not a number '
        "[wrong-type]",
        "11:5: error: coords[2]: negative coordinate -1 [coords-negative]"]


#: Numbers of ``extra`` as authors write them (YAML reads each untagged as a number),
#: some with more digits than a float keeps, or beyond its range.
WRITTEN_NUMBERS = ["12345678901234567890.5", "0.10000000000000000001", "-0", "0.10", "1.0e+5",
                   ".5", "+1.5", "12.", "1.5", "-0.0", "1.0e-400", "1.e-400", "0.1", "-7.25",
                   "1.2345678901234567890123e+22", "7.423376247177311e+17",
                   "+1", "+0", "!!float 12", "!!float +1", "!!float -0", "!!float 0",
                   "!!float 12345678901234567890", "!!int 0x1F", "!!int 017",
                   "!!int -0b1_01", "!!int 1_000", "!!int +0x_1f", "!!float 1_000.5",
                   "!!float 1_000", "!!float 1e5", "!!float -1_0e1_0", "!!float 08"]


@pytest.mark.parametrize("comment", ["", "  # kg"])
@pytest.mark.parametrize("number", WRITTEN_NUMBERS)
def test_fmt_keeps_every_number_as_written(tmp_path: Path, number: str, comment: str) -> None:
    """fmt rewrote ``weight_kg: 12345678901234567890.5`` as ``1.2345678901234567e+19``
    (and ``0.10`` as ``0.1``): the digits of a number of extra are the author's."""
    src = tmp_path / "m.md"
    text = f"---\ntitle: M\nweight_kg: {number}{comment}\nlist:\n  - {number}\n---\n"
    src.write_text(text, encoding="utf-8")
    assert _fmt(src) == text


@given(st.integers(-10**30, 10**30), st.integers(0, 10**25), st.integers(0, 30),
       st.sampled_from(["", "e+", "e-", "E+"]), st.integers(0, 250))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fmt_keeps_the_digits_of_any_decimal(tmp_path: Path, whole: int, fraction: int,
                                             zeros: int, e: str, exponent: int) -> None:
    number = f"{whole}.{'0' * zeros}{fraction}" + (f"{e}{exponent}" if e else "")
    src = tmp_path / "m.md"
    text = f"---\ntitle: M\nx: {number}\n---\n"
    src.write_text(text, encoding="utf-8")
    assert _fmt(src) == text


def _underscored(draw: st.DrawFn, digits: str) -> str:
    """``digits`` with a run of ``_`` drawn after each of them but the last."""
    return "".join(digit + "_" * draw(st.sampled_from([0, 0, 0, 1, 2]))
                   for digit in digits[:-1]) + digits[-1:]


@st.composite
def _tagged_numbers(draw: st.DrawFn) -> tuple[str, Any]:
    """A number tagged ``!!int`` or ``!!float`` in a form YAML reads untagged as text,
    which Jekyll, Hugo and PyYAML all read alike, and its value."""
    sign = draw(st.sampled_from(["", "-", "+"]))
    negative = -1 if sign == "-" else 1
    number = draw(st.integers(0, 2**62))
    form = draw(st.sampled_from(["hex", "octal", "binary", "decimal", "float", "exponent"]))
    if form == "hex":
        text = f"0x{_underscored(draw, format(number, draw(st.sampled_from('xX'))))}"
    elif form == "octal":
        text = f"0{_underscored(draw, format(number, 'o'))}"
    elif form == "binary":
        text = f"0b{_underscored(draw, format(number, 'b'))}"
    if form in ("hex", "octal", "binary"):
        return f"!!int {sign}{text}", negative * number
    # (a run of _ in a decimal is the text to Jekyll, or one Ruby's Float() refuses; a
    # float of more digits than it holds keeps them, not its _: see WRITTEN_NUMBERS)
    number = number if form == "decimal" else number >> 22
    whole = "".join(digit + "_" * draw(st.sampled_from([0, 1])) for digit in str(number))
    whole = whole.rstrip("_")
    if form == "decimal":
        assume("_" in whole)
        return f"!!int {sign}{whole}", negative * number
    fraction = draw(st.sampled_from(["", ".5", ".2_5", ".0"]))
    exponent = draw(st.sampled_from(["", "e3", "E-2", "e+1_0"])) if form == "exponent" else ""
    assume(exponent or "_" in whole + fraction)
    text = f"{sign}{whole}{fraction}{exponent}"
    # (YAML reads 0.5E-2 untagged as this float: it needs no tag, and fmt drops it)
    assume(not re.fullmatch(r"[-+]?[0-9]*\.[0-9]*[eE][-+][0-9]+", text))
    return f"!!float {text}", float(text.replace("_", ""))


#: Scalars with other tags, which fmt may write otherwise but as what every reader reads
#: (not ``! 7``, the text to Hugo: fmt refuses to write it 7).
_OTHER_TAGGED = st.sampled_from([
    "!!bool off", "!!bool Yes", "!!bool ON", "!!bool true", "!!str off", "!!str 0x1F",
    "!!str 12", "!!null ~", "!!null null", "!!int 12", "!!float 1.5", "!!int +12",
    "!<tag:yaml.org,2002:int> 0x1F", "!!int \"0x1F\"", "!!float '1_000'"])


@given(_tagged_numbers(), st.sampled_from(["", "  # kg"]))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fmt_keeps_a_tagged_number_as_written(tmp_path: Path, tagged: tuple[str, Any],
                                             comment: str) -> None:
    """fmt wrote ``!!int 0x1F`` as ``31`` and ``!!float 1_000.5`` as ``1000.5``: the
    same number to every reader, but not what the author wrote."""
    written, value = tagged
    src = tmp_path / "m.md"
    text = f"---\ntitle: M\nx: {written}{comment}\nlist:\n  - {written}\n---\n"
    src.write_text(text, encoding="utf-8")
    (muscle,) = converter.read(src)
    assert muscle.extra["x"] == value and list(muscle.extra["list"]) == [value]
    assert type(muscle.extra["x"]).__mro__[1] is type(value)  # (int or float)
    assert _fmt(src) == text
    assert render(muscle) == f"---\ntitle: M\nx: {written}\nlist:\n  - {written}\n---\n"


@given(st.one_of(_OTHER_TAGGED, _tagged_numbers().map(lambda tagged: tagged[0])))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_fmt_writes_of_a_tagged_scalar_reads_as_it_did(tmp_path: Path,
                                                             written: str) -> None:
    """Kept as written, or written as what this tool and PyYAML read alike (``!!bool
    off`` as ``false``, ``!!str off`` as ``"off"``, ``!<tag:yaml.org,2002:int>`` as
    ``!!int``)."""
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\nx: {written}\n---\n", encoding="utf-8")
    new = _fmt(src)
    src.write_text(new, encoding="utf-8")
    (before,), (after,) = [[pyyaml.safe_load(markdown.split(t, "m.md")[0])["x"]]
                           for t in (f"---\ntitle: M\nx: {written}\n---\n", new)]
    assert (type(after), after) == (type(before), before)
    (muscle,) = converter.read(src)
    assert muscle.extra["x"] == before
    assert _fmt(src) == new


@pytest.mark.parametrize(("yaml", "line", "column", "field", "first"), [
    ("origin:\n  pt-br: Tibia.\n  pt-BR: Fibula.\n", 5, 3, "origin.pt-BR", "pt-br"),
    ("insertion: {zh-Hant: A, en: B, zh-hant: C}\n", 3, 32, "insertion.zh-hant", "zh-Hant"),
    ("function:\n  - short: {en: Flexes.}\n    extended:\n      EN-x: no\n"
     "      en-GB: Flexes the foot.\n      en-gb: Flexes it.\n", 8, 7,
     "function[0].extended.en-gb", "en-GB"),
], ids=["origin", "flow map", "extended"])
def test_two_codes_of_one_language_in_a_map_are_an_error_at_the_second(
        tmp_path: Path, yaml: str, line: int, column: int, field: str, first: str) -> None:
    src = tmp_path / "soleus.md"
    src.write_text(f"---\ntitle: Soleus\n{yaml}---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    found = [d for d in caught.value.diagnostics if d.code == "duplicate-key"]
    second = field.rsplit(".", 1)[1]
    assert [(d.line, d.column, d.field, d.message) for d in found] == [
        (line, column, field, f"{second!r} and {first!r} are one language (language codes "
                              "ignore case): keep one")]


def test_codes_of_other_languages_in_any_case_are_kept_as_written(tmp_path: Path) -> None:
    src = tmp_path / "soleus.md"
    src.write_text("---\ntitle: Soleus\norigin:\n  pt-BR: Tibia.\n  pt-PT: Fibula.\n"
                   "  zh-Hant: A.\n  en: B.\n---\n", encoding="utf-8")
    (muscle,) = converter.read(src)
    assert list(muscle.origin) == ["en", "pt-BR", "pt-PT", "zh-Hant"]


@pytest.mark.parametrize("written, value", [("!!float 12", 12.0), ("+1", 1), ("+0", 0),
                                            ("!!float +1", 1.0), ("!!float -0", -0.0)])
def test_a_number_fmt_keeps_as_written_is_the_number_it_was(tmp_path: Path, written: str,
                                                            value: float) -> None:
    """``!!float 12`` is the float 12.0 and ``+1`` the int 1, in the model and after a
    conversion to JSON and back, though fmt writes each as written."""
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\nx: {written}\n---\n", encoding="utf-8")
    (muscle,) = converter.read(src)
    converter.write([muscle], tmp_path / "m.json", "json")
    (back,) = converter.read(tmp_path / "m.json")
    for read in (muscle, back):
        number = read.extra["x"]
        assert number == value and isinstance(number, type(value))
        assert not isinstance(number, bool) and str(number) == str(value)


def test_a_whole_number_with_a_plus_sign_is_named_a_number(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: +1\n---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [d.message for d in caught.value.diagnostics] == ["must be text, not a number"]


def _rewritten_in_place_on_read(path: Path, text: str, monkeypatch) -> None:
    """Rewrite ``path`` in place (truncated and written again, its inode kept) with
    ``text`` as the reader's first read of it returns: a writer that ran meanwhile."""
    from converter import contexts

    class Rewritten(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            got = super().read(size)
            with open(path, "r+b") as fh:
                fh.truncate(0)
                fh.write(text.encode("utf-8"))
            return got

    monkeypatch.setattr(contexts, "open", lambda name, mode: Rewritten(name, mode),
                        raising=False)


def test_a_file_rewritten_in_place_while_it_is_read_is_one_error(
        tmp_path: Path, monkeypatch) -> None:
    """A Markdown file rewritten in place while it was read was read as whatever its
    read saw (in one read, but a read copies a page at a time: it may mix both
    versions). It is one changed-while-read error now, as in JSON and JSON Lines."""
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    _rewritten_in_place_on_read(path, "---\ntitle: The new A\n---\nBody.\n", monkeypatch)
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.path, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(path), "changed-while-read", "changed while it was read; run again")]


def test_fmt_leaves_a_file_rewritten_in_place_while_it_read_it_as_written(
        tmp_path: Path, monkeypatch) -> None:
    """fmt wrote the layout of what its read of a file saw back over the file, though
    the file was rewritten in place meanwhile: the new version was lost. It says
    changed-while-read now, and the file keeps what was written into it."""
    path = tmp_path / "a.md"
    path.write_text("---\ntitle:   A\n---\n", encoding="utf-8")
    new = "---\ntitle:   The new A\n---\nBody.\n"
    _rewritten_in_place_on_read(path, new, monkeypatch)
    result = CliRunner().invoke(cli, ["fmt", str(path), "--no-config"])
    assert result.exit_code == 1, result.output
    assert "[changed-while-read]" in result.stderr
    assert path.read_text(encoding="utf-8") == new


#: Keys that are not text (``1:``, ``true:``, ``~:``), at the top and deeper, beside the
#: files' other problems.
NOT_TEXT_KEYS = {
    "k.md": '---\ntitle: 5\n1: x\nlatin: [a]\ncoords:\n  - "1,2"\ntrue: y\n---\n',
    "deep.md": "---\ntitle: Deep\norigin: {1: j, english: c}\nfunction:\n  - ~: j\n    short:"
               " S\n  - short: {1: x}\nweight: {1: b}\nimage: javascript:x\ncoords:\n  - \"0,0,"
               "10,10,10,0,0,10\"\n---\n",
}


def test_every_key_that_is_not_text_is_said_beside_the_files_other_problems(
        tmp_path: Path) -> None:
    """A key that is not text was its file's only error, as a YAML syntax error is: a
    title of 5, a one-point polygon and a second such key were said runs later. Each
    such key is its own error at the key, and the rest of the file is checked, its
    entry left out (not said again as an unknown key, a language map with no text or a
    bad language); ``--jobs``, the cache and ``--format json`` agree."""
    for name, text in NOT_TEXT_KEYS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        os.utime(tmp_path / name, (1e9, 1e9))  # (not edited just now: cached)
    runs = [CliRunner().invoke(cli, ["validate", str(tmp_path), "-j", jobs, *extra])
            for jobs, extra in (("1", ["--no-cache"]), ("2", []), ("2", []), ("1", []))]
    assert {(run.exit_code, run.stderr) for run in runs} == {(1, runs[0].stderr)}
    said = [line.removeprefix(f"{tmp_path}{os.sep}") for line in runs[0].stderr.splitlines()]
    assert said == [
        "deep.md:3:10: error: origin.1: key '1' is a number, not text; quote it [wrong-type]",
        "deep.md:3:16: error: origin.english: 'english' is not a language code such as da or "
        "en [bad-language]",
        "deep.md:5:5: error: function[0].~: key '~' is null, not text; quote it [wrong-type]",
        "deep.md:7:13: error: function[1].short.1: key '1' is a number, not text; quote it "
        "[wrong-type]",
        "deep.md:8:10: error: weight.1: key '1' is a number, not text; quote it [wrong-type]",
        "deep.md:9:8: error: image: 'javascript:x' is not a relative, http or https link "
        "[unsafe-link]",
        "deep.md:11:5: error: coords[0]: polygon edges cross or touch each other "
        "[polygon-self-intersecting]",
        "k.md:2:8: error: title: must be text, not a number [wrong-type]",
        "k.md:3:1: error: 1: key '1' is a number, not text; quote it [wrong-type]",
        "k.md:4:8: error: latin: must be text, not a list [wrong-type]",
        "k.md:6:5: error: coords[0]: a polygon needs at least 3 points, got 1 "
        "[coords-too-few]",
        "k.md:7:1: error: true: key 'true' is true/false, not text; quote it [wrong-type]",
        "0 muscles valid, 2 files failed: 12 errors, 0 warnings"]
    listed = CliRunner().invoke(cli, ["validate", str(tmp_path), "--format", "json"])
    assert [f"{Path(d['path']).name}:{d['line']}:{d['column']}: {d['severity']}: "
            f"{d['field']}: {d['message']} [{d['code']}]"
            for d in json.loads(listed.stdout)] == said[:-1]


def test_a_file_whose_only_problem_is_a_key_that_is_not_text_fails_and_fmt_keeps_it(
        tmp_path: Path) -> None:
    """Left out of the data, such a key would be lost by fmt, and its muscle converted
    without it: the file fails, its valid fields linted (an unsafe link)."""
    path = tmp_path / "m.md"
    text = "---\ntitle: M\nimage: javascript:x\nnotes: {2024: seen}\n---\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.stderr.splitlines()[:-1]] == [
        "error: image: 'javascript:x' is not a relative, http or https link [unsafe-link]",
        "error: notes.2024: key '2024' is a number, not text; quote it [wrong-type]"]
    assert CliRunner().invoke(cli, ["fmt", str(path)]).exit_code == 1
    assert path.read_text(encoding="utf-8") == text
    with pytest.raises(MuscleError):
        converter.read(path)


def test_an_empty_quoted_value_is_placed_where_it_starts(tmp_path: Path) -> None:
    """``title: ""`` was said at its key (2:1), ``title: "   "`` at its quote (2:8); so
    ``latin: ""``, ``slug: ""``, ``  da: ""`` and ``short: ""``, and a language key
    ``""`` at ``insertion:``. Each is placed where its value starts now, in the fast
    path (plain block YAML) and in libyaml's alike (the language key ``""`` at that
    key, as a language key ``english`` is)."""
    fast = ("---\ntitle: \"\"\nlatin: ''\nslug: \"\"\norigin:\n  da: \"\"\nfunction:\n"
            "  - short: \"\"\n---\n")
    slow = fast.replace("---\n", "---\ninsertion: {\"\": d}\n", 1)  # (libyaml reads it)
    for name, text in (("fast.md", fast), ("slow.md", slow)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path), "--no-cache"])
    said = [line.removeprefix(f"{tmp_path}{os.sep}") for line in result.stderr.splitlines()]
    assert said == [
        "fast.md:2:8: error: title: must not be empty [empty-field]",
        "fast.md:3:8: warning: latin: text is empty: leave latin out (none) when the muscle has no "
        "Latin name [empty-text]",
        "fast.md:4:7: error: slug: cannot make a slug (letters and digits) from '' [bad-slug]",
        "fast.md:6:7: warning: origin.da: text is empty [empty-text]",
        "fast.md:8:12: warning: function[0].short.en: text is empty [empty-text]",
        "slow.md:2:13: error: insertion.: '' is not a language code such as da or en "
        "[bad-language]",
        "slow.md:3:8: error: title: must not be empty [empty-field]",
        "slow.md:4:8: warning: latin: text is empty: leave latin out (none) when the muscle has no "
        "Latin name [empty-text]",
        "slow.md:5:7: error: slug: cannot make a slug (letters and digits) from '' [bad-slug]",
        "slow.md:7:7: warning: origin.da: text is empty [empty-text]",
        "slow.md:9:12: warning: function[0].short.en: text is empty [empty-text]",
        "0 muscles valid, 2 files failed: 5 errors, 6 warnings"]


def test_a_title_of_tag_characters_is_an_empty_field(tmp_path: Path) -> None:
    """A title of tag characters, written as YAML escapes, passed as "1 muscle valid":
    the html page showed an empty item, the Anki card a blank prompt. It is an error at
    the title now, other files still read; a Latin name of a variation selector of the
    supplement, and an exercise of a musical beam mark, are empty-text warnings."""
    (tmp_path / "tags.md").write_text(
        '---\ntitle: "\\U000E0041\\U000E0042"\ncoords:\n  - "10,10,100,10,100,100"\n---\n',
        encoding="utf-8")
    (tmp_path / "vs.md").write_text(
        '---\ntitle: V\nlatin: "\\U000E0100"\nexercises:\n  - "\\U0001D173\\uFFF9"\n---\n',
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path), "--no-cache"])
    assert result.exit_code == 1
    assert [line.removeprefix(f"{tmp_path}{os.sep}") for line in result.stderr.splitlines()
            ] == [
        "tags.md:2:8: error: title: must not be empty (it holds only invisible characters) "
        "[empty-field]",
        "vs.md:3:8: warning: latin: text holds only invisible characters: leave latin out "
        "(none) when the muscle has no Latin name [empty-text]",
        "vs.md:5:5: warning: exercises[0]: text holds only invisible characters [empty-text]",
        "1 muscle valid, 1 file failed: 1 error, 2 warnings"]


def test_a_line_separator_or_an_ideographic_space_is_no_empty_text(tmp_path: Path) -> None:
    """``latin: "\\L"``, ``- "\\P"`` and ``- "\\u3000"`` warned "text is empty", and a title
    of an ideographic space "must not be empty", though they hold a line separator, a
    paragraph separator, an ideographic space: they hold invisible characters, as a
    zero-width space does; a text of typed spaces is still empty."""
    path = tmp_path / "m.md"
    path.write_text('---\ntitle: "\\u3000"\nlatin: "\\L"\nexercises:\n  - "\\P"\n'
                    '  - "\\u3000"\n  - " \\t\\_"\n---\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    invisible = "text holds only invisible characters"
    assert [line.removeprefix(f"{path}:") for line in result.stderr.splitlines()] == [
        "2:8: error: title: must not be empty (it holds only invisible characters) "
        "[empty-field]",
        f"3:8: warning: latin: {invisible}: leave latin out (none) when the muscle has no "
        "Latin name [empty-text]",
        f"5:5: warning: exercises[0]: {invisible} [empty-text]",
        f"6:5: warning: exercises[1]: {invisible} [empty-text]",
        "7:5: warning: exercises[2]: text is empty [empty-text]",
        "0 muscles valid, 1 file failed: 1 error, 4 warnings"]


#: Front matter where a key of extra reads as the field path of another value (README:
#: a key may hold dots), and the one diagnostic of each, at the value it is about.
NAMED_LIKE_A_PATH = [
    ('title: A\norigin:\n  da: fine text\n"origin.da": .inf\n',
     "5:14: error: origin.da: must be a finite number [wrong-type]"),
    ('title: B\n"origin.da": fine\norigin:\n  da: [1]\n',
     "5:7: error: origin.da: must be text, not a list [wrong-type]"),
    ('title: C\nimage: ok.jpg\n"coords[0]": .inf\n',
     "4:14: error: coords[0]: must be a finite number [wrong-type]"),
    ('title: D\na: {b: ok}\n"a.b": .inf\n', "4:8: error: a.b: must be a finite number "
     "[wrong-type]"),
    ('title: E\nsizes: [1, 2]\n"sizes[1]": .nan\n', "4:13: error: sizes[1]: must be a "
     "finite number [wrong-type]"),
    ('title: F\n"origin.da": x\norigin:\n  da: " "\n',
     "5:7: warning: origin.da: text is empty [empty-text]"),
]


@pytest.mark.parametrize("front, said", NAMED_LIKE_A_PATH)
def test_a_key_named_like_a_field_path_is_not_taken_for_that_path(
        tmp_path: Path, front: str, said: str) -> None:
    """A diagnostic is placed by the keys that lead to its value, not by its printed
    field path, which a key with ``.`` or ``[`` in it makes ambiguous."""
    path = tmp_path / "m.md"
    path.write_text(f"---\n{front}---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    assert result.stderr.splitlines()[:-1] == [f"{path}:{said}"]


@pytest.mark.parametrize(("function", "line", "column"), [
    ("function:\n  - short: Bends.\n    long: More.\n", 5, 5),
    ("function:\n  - {short: Bends., long: More.}\n", 4, 21),
    ("function:\n  - short: Bends.\n    long:\n      - More.\n", 5, 5),
], ids=["block", "flow", "list value"])
def test_an_unknown_key_of_a_function_is_placed_at_that_key(
        tmp_path: Path, function: str, line: int, column: int) -> None:
    """It was placed at its value (a block list's, at the line below the key)."""
    src = tmp_path / "m.md"
    src.write_text(f"---\ntitle: M\n{function}---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(src)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (line, column, "function[0].long", "unknown-key")]


def test_an_unknown_key_of_a_function_says_the_key_it_may_be_a_typo_of(
        tmp_path: Path) -> None:
    """As a JSON record's unknown key does: it said only the keys a function has."""
    src = tmp_path / "m.md"
    src.write_text("---\ntitle: M\nfunction:\n  - shrot: Bends.\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(src), "--no-cache", "-j", "1"])
    assert result.exit_code == 1
    assert f"{src}:4:5: error: function[0].shrot: unknown key 'shrot' (a function has " \
        "short and extended); did you mean short? [unknown-key]" in result.stderr.splitlines()


@pytest.mark.parametrize(("encoding", "said"), [
    ("utf-32-le", "UTF-32 (little-endian"), ("utf-32-be", "UTF-32 (big-endian"),
    ("utf-16-le", "UTF-16 (little-endian"), ("utf-16-be", "UTF-16 (big-endian")])
@pytest.mark.parametrize("title", ["Søleus", "\u03a3\u03cc\u03bb\u03b5\u03bf\u03c2"],
                         ids=["latin", "greek"])
def test_a_file_in_utf32_or_utf16_without_a_byte_order_mark_says_so(
        encoding: str, said: str, title: str, tmp_path: Path) -> None:
    """UTF-32 saved with no byte order mark (three NUL bytes of every four in Latin
    letters) was a "binary file (contains NUL bytes)"; it says what it is, as UTF-16.
    So does one of Greek letters, whose bytes are NUL only in ASCII's (it was a binary
    file at line 1, column 2)."""
    path = tmp_path / "m.md"
    path.write_bytes(f"---\ntitle: {title}\n---\nBody\n".encode(encoding))
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics] == [
        (1, 1, "not-utf8", f"is {said}, with no byte order mark), not UTF-8: save it as UTF-8")]


def test_a_file_with_a_few_nul_bytes_is_a_binary_file_at_the_first(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_bytes(b"---\ntitle: A\x00\x00\x00B\n---\n")
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [
        (2, 9, "binary-file")]


def test_fmt_counts_the_slug_key_it_keeps_so_never_writes_a_file_too_large(
        tmp_path: Path, node_limit: int) -> None:
    """fmt keeps a file's slug key, which the too-large count left out: a file of 100,000
    values (the limit) whose text origin fmt writes as a map (2 more) was reformatted
    into one of 100,002, yaml-too-large to read. It is too-large now, and fmt leaves it;
    2 values fewer, fmt writes 100,000, which read back (here at a smaller limit)."""
    def file(items: int) -> str:
        return ("---\nslug: foo\ntitle: T\norigin: text\na:\n"
                + "".join(f"- {i}\n" for i in range(items)) + "---\n")

    path = tmp_path / "foo.md"
    path.write_text(file(node_limit - 9), encoding="utf-8")  # (the limit, as read)
    assert [(d.code, d.message.split(";")[0]) for d in _refusal(path)] == [
        ("too-large", f"{node_limit + 2} values")]
    path.write_text(file(node_limit - 11), encoding="utf-8")
    new = _fmt(path)
    path.write_text(new, encoding="utf-8")
    front = new.split("---\n")[1]
    assert sum(isinstance(e, pyyaml.NodeEvent) for e in pyyaml.parse(front)) == node_limit
    assert converter.read(path)[0].slug == "foo"


@pytest.mark.parametrize("written, yaml_text", [
    ("1e-99999999999999999999", "1.0e-99999999999999999999"),
    ("-5E-99999999999999999999", "-5.0e-99999999999999999999"),
    ("2.5e-123456789012345678901", "2.5e-123456789012345678901")])
def test_a_number_whose_exponent_no_decimal_holds_keeps_its_text(
        tmp_path: Path, written: str, yaml_text: str) -> None:
    """A JSON number of extra with an exponent past a Decimal's (a float's 0.0) was
    written as 0.0; it is written as its text, as YAML writes that (as 1e-400 is written
    1.0e-400), and read back so, through JSON again too."""
    source = tmp_path / "m.json"
    source.write_text('{"muscles":[{"slug":"s","title":"T","extra":{"tiny":' + written
                      + "}}]}", encoding="utf-8")
    converter.write(converter.read(source), tmp_path / "md", "markdown")
    assert f"\ntiny: {yaml_text}\n" in (tmp_path / "md" / "s.md").read_text(encoding="utf-8")
    (back,) = converter.read(tmp_path / "md")
    assert back.extra["tiny"].text == yaml_text
    converter.write([back], tmp_path / "again.json", "json")
    assert f'"tiny":{yaml_text}' in (tmp_path / "again.json").read_text(encoding="utf-8")


def _interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every colon ruamel writes from now on raises ``KeyboardInterrupt`` (Ctrl-C)."""
    def stopped(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(markdown.emitter._emitter(), "write_indicator", stopped)


def test_a_dump_that_failed_leaves_the_next_ones_whole(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """ruamel does not reset its instance when a dump raises: the thread's next dumps
    went into the failed one's stream, and each file's front matter was empty."""
    soleus = converter.read(SAMPLES / "soleus.md")[0]
    whole = render(soleus)
    with pytest.raises(Exception, match="cannot represent"):
        render(soleus, data={"title": object()})
    assert render(soleus) == whole
    _interrupted(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        render(soleus)
    monkeypatch.undo()
    assert render(soleus) == whole


def test_an_interrupted_write_leaves_the_next_writes_whole(
        tmp_path: Path, sample_muscles: list[Muscle], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        _interrupted(patched)
        with pytest.raises(KeyboardInterrupt):
            converter.write(sample_muscles, tmp_path / "stopped", "markdown")
    converter.write(sample_muscles, tmp_path / "good", "markdown")
    assert converter.read(tmp_path / "good") == sample_muscles


def test_a_front_matter_written_empty_is_a_writer_failure_not_a_file(
        tmp_path: Path, sample_muscles: list[Muscle], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An instance that a failed dump left writing elsewhere (as ruamel leaves it) is
    refused, and the next write makes a new one."""
    broken = markdown.yamlwriter._new_yaml(markdown.yamlwriter._WIDTH)
    with pytest.raises(Exception, match="cannot represent"):
        broken.dump({"title": object()}, io.StringIO())
    made = markdown.yamlwriter._PER_THREAD.__dict__.setdefault("instances", {})
    monkeypatch.setitem(made, markdown.yamlwriter._WIDTH, broken)
    with pytest.raises(MuscleError, match="wrote no front matter for 'biceps-brachii'") as raised:
        converter.write(sample_muscles[:1], tmp_path / "out", "markdown")
    assert [d.code for d in raised.value.diagnostics] == ["writer-failed"]
    assert not (tmp_path / "out").exists()
    converter.write(sample_muscles[:1], tmp_path / "out", "markdown")
    assert converter.read(tmp_path / "out") == sample_muscles[:1]


class _Text(str):
    """A str subclass, as a caller's own types are."""


class _Whole(int):
    """An int subclass."""


class _Real(float):
    """A float subclass."""


class _Kind(enum.StrEnum):
    CALF = "calf: back"


class _Rank(enum.IntEnum):
    FIRST = 1


def _subclassed(value: Any) -> Any:
    """``value`` with each plain str, int and float in it (keys too) of a subclass."""
    if type(value) in (str, int, float):
        return {str: _Text, int: _Whole, float: _Real}[type(value)](value)
    if isinstance(value, tuple):
        return tuple(_subclassed(item) for item in value)
    if isinstance(value, Function):
        return Function(_subclassed(value.short), _subclassed(value.extended))
    if isinstance(value, FrozenMap):
        return type(value)({_subclassed(k): _subclassed(v) for k, v in value.items()})
    return value


@given(muscles())
def test_subclasses_of_str_int_and_float_are_written_as_their_values(muscle) -> None:
    """ruamel represents no subclass of its own: a ``class S(str)`` anywhere was
    ``writer-failed`` (``RepresenterError``)."""
    fields = ("title", "latin", "origin", "insertion", "functions", "exercises", "image",
              "image_focus", "extra")
    own = replace(muscle, **{name: _subclassed(getattr(muscle, name)) for name in fields})
    assert render(own) == render(muscle)


@pytest.mark.parametrize(("field", "given_as", "plain"), [
    ("title", _Kind.CALF, "calf: back"),
    ("latin", _Text("Musculus soleus"), "Musculus soleus"),
    ("origin", LocalizedText({_Text("da"): _Kind.CALF}), LocalizedText({"da": "calf: back"})),
    ("exercises", (_Kind.CALF, _Text("Squat")), ("calf: back", "Squat")),
    ("image", _Text("https://example.org/a.jpg"), "https://example.org/a.jpg"),
    ("extra", FrozenMap({_Kind.CALF: _Rank.FIRST, "n": (_Rank.FIRST, _Real(1e-9))}),
     FrozenMap({"calf: back": 1, "n": (1, 1e-9)})),
])
def test_an_enum_or_subclass_is_written_as_its_value(tmp_path: Path, field: str,
                                                     given_as: Any, plain: Any) -> None:
    muscle = Muscle(**{"slug": "soleus", "title": "Soleus", field: given_as})
    converter.write([muscle], tmp_path / "own", "markdown")
    converter.write([replace(muscle, **{field: plain})], tmp_path / "plain", "markdown")
    assert (tmp_path / "own" / "soleus.md").read_bytes() == \
        (tmp_path / "plain" / "soleus.md").read_bytes()


def _own_dump(data: Any) -> str:
    """``data`` as a caller's own ruamel.yaml instance writes it, round-trip (its
    default)."""
    from ruamel.yaml import YAML

    stream = io.StringIO()
    YAML().dump(data, stream)
    return stream.getvalue()


def test_a_callers_own_ruamel_dump_is_not_changed_by_the_writer_or_fmt(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """The writer's representers went into ruamel's ``RoundTripRepresenter`` class, which
    every ``YAML()`` of the process shares: after a Markdown write, a caller's own dump
    wrote NaN as ``!!float 'nan.0'`` (which YAML reads as text) and ``1e+20`` as
    ``1.0e+20``."""
    own = {"ratio": float("nan"), "far": 1e20, "low": float("-inf"), "near": 0.5}
    converter.write(sample_muscles[:1], tmp_path / "out", "markdown")
    src = tmp_path / "m.md"
    src.write_text("---\n# the title\ntitle: M\nweight: 1.5\n---\n", encoding="utf-8")
    assert _fmt(src) == "---\n# the title\ntitle: M\nweight: 1.5\n---\n"
    assert _own_dump(own) == "ratio: .nan\nfar: 1e+20\nlow: -.inf\nnear: 0.5\n"


def _markdown_modules_of_a_replay(tmp_path: Path) -> list[str]:
    """The modules of the Markdown format a replayed ``convert samples --to json`` (run
    twice, the second replayed from the cache) imports."""
    import subprocess

    args = ["convert", str(SAMPLES), "--to", "json", "-o", str(tmp_path / "m.json"), "-q",
            "--cache-dir", str(tmp_path / "cache")]
    code = ("import sys\nfrom converter.cli import main\nsys.argv = ['muscle-convert', *"
            f"{args!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('formats.markdown')))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, timeout=WAIT) for _ in range(2)]
    return json.loads(runs[1].stdout.splitlines()[-1].replace("'", '"'))


def test_a_replayed_run_imports_the_markdown_package_alone(tmp_path: Path) -> None:
    """A replayed run reads no Markdown file: of the format it imports the package, whose
    Format class names its endings, and of its modules only the rules of which files a
    folder's search takes (sites: every run searches anew), each on first use."""
    assert _markdown_modules_of_a_replay(tmp_path) == ["formats.markdown",
                                                       "formats.markdown.sites"]
