"""A directory of good and bad files: every good one converted, every bad one listed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import converter
from converter.cli import cli
from tests.conftest import SAMPLES

HOSTILE = Path(__file__).resolve().parent / "hostile"
GOOD = ("biceps-brachii.md", "gastrocnemius.md", "gluteus-medius.md", "soleus.md",
        "tibialis-anterior.md")
#: bad file -> the code it must be listed with
BAD = {
    "billion-laughs.md": "yaml-alias",
    "python-tag.md": "yaml-unsafe-tag",
    "binary.md": "binary-file",
    "latin1.md": "not-utf8",
    "unterminated.md": "unterminated-front-matter",
    "wrong-type-title.md": "wrong-type",
    "coords-self-intersecting.md": "polygon-self-intersecting",
    "nested/deeper/no-front-matter.md": "no-front-matter",
    "biceps-copy.md": "duplicate-slug",
}


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "nested" / "deeper").mkdir(parents=True)
    for name in GOOD:
        shutil.copy(SAMPLES / name, src / name)
    for name in BAD:
        if name != "biceps-copy.md":
            shutil.copy(HOSTILE / Path(name).name, src / name)
    text = (SAMPLES / "biceps-brachii.md").read_text(encoding="utf-8")
    (src / "biceps-copy.md").write_text(text.replace("---\n", "---\nslug: biceps-brachii\n", 1),
                                        encoding="utf-8")
    (src / "notes.txt").write_text("not a muscle file, not read", encoding="utf-8")
    (src / ".hidden.md").write_text("hidden files are skipped", encoding="utf-8")
    return src


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exc_info
    return result


def test_convert_writes_every_good_file_and_lists_every_bad_one(mixed: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "muscles.json"
    result = run("convert", str(mixed), "--to", "json", "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [m["slug"] for m in written["muscles"]] == sorted(Path(n).stem for n in GOOD)
    expected = sorted(converter.read([mixed / name for name in GOOD]), key=lambda m: m.slug)
    assert converter.read(out) == expected
    for name, code in BAD.items():
        lines = [line for line in result.stderr.splitlines() if str(mixed / name) in line]
        assert len(lines) == 1 and f"[{code}]" in lines[0] and ": error:" in lines[0], name
    assert f"{len(GOOD)} muscles converted, {len(BAD)} files failed" in result.stderr
    assert "notes.txt" not in result.stderr and ".hidden" not in result.stderr


def test_duplicate_slug_names_the_first_file(mixed: Path, tmp_path: Path) -> None:
    result = run("convert", str(mixed), "--to", "json", "-o", str(tmp_path / "m.json"))
    line = next(x for x in result.stderr.splitlines() if "duplicate-slug" in x)
    assert line.startswith(str(mixed / "biceps-copy.md"))
    assert str(mixed / "biceps-brachii.md") in line


def test_a_duplicate_slug_in_a_file_of_many_names_the_muscle(tmp_path: Path) -> None:
    lines = tmp_path / "m.jsonl"
    assert run("convert", str(SAMPLES), "--to", "jsonl", "-o", str(lines)).exit_code == 0
    result = run("validate", str(SAMPLES / "soleus.md"), str(lines), "--format", "json")
    (found,) = [d for d in json.loads(result.stdout) if d["code"] == "duplicate-slug"]
    assert (found["path"], found["field"]) == (str(lines), "muscles[soleus].slug")


def test_validate_reports_the_same_files(mixed: Path) -> None:
    result = run("validate", str(mixed), "--format", "json", "-j", "1")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    errors = sorted((d["path"], d["code"]) for d in found if d["severity"] == "error")
    assert errors == sorted((str(mixed / name), code) for name, code in BAD.items())


def test_only_good_files_give_exit_0(mixed: Path, tmp_path: Path) -> None:
    for name in BAD:
        (mixed / name).unlink()
    result = run("convert", str(mixed), "--to", "json", "-o", str(tmp_path / "m.json"))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "sqlite", "csv"])
def test_a_muscle_too_large_for_front_matter_is_refused_in_every_format(
        fmt: str, tmp_path: Path, node_limit: int) -> None:
    """JSON, SQLite and CSV took 100,000 values (the limit) in extra, and the Markdown
    they wrote could not be read back (yaml-too-large). At the limit it goes through
    Markdown (here a smaller limit)."""
    from converter.diagnostics import Diagnostic
    from converter.model import freeze
    from converter.registry import ReadContext, WriteContext, get_format

    fits = node_limit - 5  # (the map, title and its text, the key "big", its list)
    a = converter.Muscle(slug="a", title="A", extra=freeze({"big": [0] * fits}))
    b = converter.Muscle(slug="b", title="B", extra=freeze({"big": [0] * (fits + 1)}))
    source = tmp_path / {"json": "m.json", "jsonl": "m.jsonl", "sqlite": "m.db"}.get(fmt, "p")
    with pytest.raises(converter.MuscleError) as refused:  # the API checks what it writes
        converter.write([a, b], source, fmt)
    assert [d.code for d in refused.value.diagnostics] == ["too-large"]
    assert not source.exists()
    get_format(fmt).write(iter([a, b]), source, WriteContext())  # (the writer trusts it)
    problems: list[Diagnostic] = []
    read = list(get_format(fmt).read(source, ReadContext(report=problems.append)))
    assert read == [a]
    assert [(d.code, d.message.split(";")[0]) for d in problems] == [
        ("too-large", f"{node_limit + 1} values")]
    converter.write(read, tmp_path / "md", "markdown")
    assert converter.read(tmp_path / "md") == [a]


#: Functions whose short text in Danish alone are 755 values written as plain text (by
#: the writer of --default-lang da), under the limit of :func:`~tests.conftest.node_limit`,
#: and 1,255 written as a map of that one language, over it.
_FUNCTIONS = 250


@pytest.mark.parametrize("fmt, name", [("json", "m.json"), ("jsonl", "m.jsonl"),
                                       ("sqlite", "m.db"), ("csv", "pkg"), ("csv", "m.csv")])
def test_too_large_counts_function_texts_as_the_writers_default_language_writes_them(
        fmt: str, name: str, tmp_path: Path, node_limit: int) -> None:
    """Every reader but Markdown's, and write(), counted a function's text in English
    alone as plain text whatever the default language: texts in Danish alone were
    too-large at 125,005 values under --default-lang da, which writes them as 75,005 (and
    texts in English alone went through it into a Markdown file its reader refused). The
    count is of what the writer of the run's --default-lang writes (here under a smaller
    limit than 100,000, with fewer functions)."""
    from converter.model import Function, LocalizedText

    danish = Function(LocalizedText.of({"da": "s"}), LocalizedText.of({}))
    muscle = converter.Muscle(slug="a", title="A", functions=(danish,) * _FUNCTIONS)
    source = tmp_path / name
    options = {"flat": True} if name == "m.csv" else {}
    converter.write([muscle], source, fmt, default_lang="da", **options)
    with pytest.raises(converter.MuscleError) as refused:
        converter.write([muscle], tmp_path / "en" / name, fmt, default_lang="en", **options)
    assert [(d.code, d.message.split(";")[0]) for d in refused.value.diagnostics] == [
        ("too-large", "1255 values")]
    for lang, code in (("da", 0), ("en", 1)):
        out = tmp_path / f"{lang}.jsonl"
        result = run("convert", str(source), "--to", "jsonl", "--default-lang", lang,
                     "-o", str(out), "--no-cache", "-j", "1")
        assert (result.exit_code, out.exists()) == (code, not code), result.output
        assert (f"1255 values; front matter holds at most {node_limit} (the Markdown "
                "reader's limit) [too-large]" in result.output) == bool(code)


@pytest.mark.parametrize("fmt, name, placed", [("json", "m.json", True),
                                               ("jsonl", "m.jsonl", True),
                                               ("sqlite", "m.db", False)])
def test_lints_of_a_file_of_records_name_its_fields_and_place_them(
        fmt: str, name: str, placed: bool, tmp_path: Path) -> None:
    """Their record errors said functions[0] and regions[0], their lints function[0] and
    coords[0], with no line although JSON has one for every field."""
    from converter.model import Function, LocalizedText, Region
    from converter.registry import WriteContext, get_format
    from converter.run import validate_sources

    odd = converter.Muscle(
        slug="odd", title="Odd", image="javascript:x",
        functions=(Function(LocalizedText({"en": " "})),),
        regions=(Region(((0, 0), (1, 1), (2, 2))),))
    source = tmp_path / name
    get_format(fmt).write(iter([*converter.read(SAMPLES), odd]), source, WriteContext())
    found = [d for d in validate_sources([source]).diagnostics if "odd" in d.field]
    assert sorted((d.field, d.code) for d in found) == [
        ("muscles[odd].functions[0].short.en", "empty-text"),
        ("muscles[odd].image", "unsafe-link"),
        ("muscles[odd].regions[0]", "polygon-zero-area")]
    if placed:
        lines = source.read_text(encoding="utf-8").splitlines()
        for d in found:
            value = {"image": '"javascript:x"', "short": '" "', "regions": "[[0"}[
                d.field.split(".")[-2 if d.code == "empty-text" else -1].split("[")[0]]
            assert lines[d.line - 1][d.column - 1:].startswith(value), d
    else:
        assert {d.line for d in found} == {None}


def test_a_slug_taken_already_is_placed_at_the_slug_of_its_record(tmp_path: Path) -> None:
    from converter.run import validate_sources

    muscles = converter.read(SAMPLES)
    converter.write(muscles, tmp_path / "a.json")
    converter.write(muscles[:2], tmp_path / "b.jsonl")
    found = [d for d in validate_sources([tmp_path / "a.json", tmp_path / "b.jsonl",
                                          SAMPLES / "soleus.md"]).diagnostics
             if d.code == "duplicate-slug"]
    assert [(d.path, d.line, d.column, d.field) for d in found] == [
        *((str(tmp_path / "b.jsonl"), number, 9, f"muscles[{m.slug}].slug")
          for number, m in enumerate(muscles[:2], 1)),
        (str(SAMPLES / "soleus.md"), None, None, "")]  # (its name: no line tells)


def test_a_slug_taken_already_by_a_slug_key_is_placed_at_its_value(tmp_path: Path) -> None:
    """``slug: soleus`` beside ``soleus.md`` had no line: only a slug made of the file's
    name (or a page bundle's folder's) has none."""
    from converter.run import validate_sources

    (tmp_path / "soleus.md").write_text("---\ntitle: Soleus\n---\n", encoding="utf-8")
    (tmp_path / "soleus2.md").write_text("---\ntitle: Soleus (rewrite)\nslug: soleus\n---\n",
                                         encoding="utf-8")
    (tmp_path / "soleus3.md").write_text("---\ntitle: Soleus\nslug:  'Soleus'\n---\n",
                                         encoding="utf-8")
    (tmp_path / "z" / "soleus").mkdir(parents=True)
    (tmp_path / "z" / "soleus" / "index.md").write_text("---\ntitle: S\n---\n",
                                                        encoding="utf-8")
    found = [d for d in validate_sources([tmp_path], jobs=1).diagnostics
             if d.code == "duplicate-slug"]
    assert [(Path(d.path).relative_to(tmp_path).as_posix(), d.line, d.column, d.field)
            for d in found] == [("soleus2.md", 3, 7, "slug"), ("soleus3.md", 3, 8, "slug"),
                                ("z/soleus/index.md", None, None, "")]


def test_a_slug_taken_already_that_a_name_gives_says_so(tmp_path: Path) -> None:
    """A slug a file's name gave, taken already, was said as a slug key's would be
    (``slug: slug 'soleus' is already used by ...``), though the file has none: it says
    that the file's name (or a page bundle's folder's) gives it, with no field, as a
    reserved-name of such a slug does."""
    from converter.run import validate_sources

    for page in ("a/soleus.md", "b/soleus.md", "c/soleus/index.md"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("---\ntitle: Soleus\n---\n", encoding="utf-8")
    found = [str(d) for d in validate_sources([tmp_path], jobs=1).diagnostics
             if d.code == "duplicate-slug"]
    assert found == [
        f"{tmp_path / 'b' / 'soleus.md'}: error: the file name gives the slug 'soleus', "
        f"which is already used by {tmp_path / 'a' / 'soleus.md'} [duplicate-slug]",
        f"{tmp_path / 'c' / 'soleus' / 'index.md'}: error: the folder name gives the slug "
        f"'soleus', which is already used by {tmp_path / 'a' / 'soleus.md'} "
        "[duplicate-slug]"]


def test_a_slug_key_that_the_name_would_give_too_is_at_its_key(tmp_path: Path) -> None:
    """soleus.md with a slug: soleus key was said as if its name gave the slug ("the
    file name gives the slug 'soleus'", at no line), though its key does: it is at the
    key's value, as the key's own slug."""
    from converter.run import validate_sources

    for page in ("a/soleus.md", "b/soleus.md", "c/soleus/index.md"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("---\ntitle: Soleus\nslug: soleus\n---\n",
                                     encoding="utf-8")
    found = [str(d) for d in validate_sources([tmp_path], jobs=1).diagnostics
             if d.code == "duplicate-slug"]
    assert found == [
        f"{tmp_path / 'b' / 'soleus.md'}:3:7: error: slug: slug 'soleus' is already used "
        f"by {tmp_path / 'a' / 'soleus.md'} [duplicate-slug]",
        f"{tmp_path / 'c' / 'soleus' / 'index.md'}:3:7: error: slug: slug 'soleus' is "
        f"already used by {tmp_path / 'a' / 'soleus.md'} [duplicate-slug]"]


@pytest.mark.parametrize("fmt, name, line", [("json", "m.json", 3),
                                               ("jsonl", "m.jsonl", 2)])
def test_a_slug_twice_in_one_file_is_not_placed_at_the_other_record(
        fmt: str, name: str, line: int, tmp_path: Path) -> None:
    """Lints name a muscle by slug: with the slug on two records of one file, the
    first one's place was given. The slug's ``duplicate-slug`` is the second record's,
    its reader says: it is on its line; and the second record's own lint is at that
    record, where its reader marked it (no longer at no line)."""
    from converter.registry import WriteContext, get_format
    from converter.run import validate_sources

    first = converter.Muscle(slug="a", title="A")
    second = converter.Muscle(slug="a", title="A2", exercises=(" ",))
    source = tmp_path / name
    get_format(fmt).write_records(
        ((m.slug, get_format(fmt).record(m, {})) for m in (first, second)), source,
        WriteContext())
    found = [(d.field, d.code, d.line) for d in validate_sources([source]).diagnostics]
    assert sorted(found) == [("muscles[a].exercises[0]", "empty-text", line),
                             ("muscles[a].slug", "duplicate-slug", line)]


#: Four records, the second and third of one slug ``a`` (JSON Lines: one a line): the
#: first ``a`` shares a text with each of ``b`` (before it: the warning on ``a`` is
#: made as ``a`` comes in) and ``c`` (after it: as ``c`` does), lacks ``b``'s language
#: and spells ``b``'s exercise otherwise.
SHARED_SLUG_RECORDS = [
    '{"slug": "b", "title": "B", "origin": {"en": "the lateral epicondyle of the humerus",'
    ' "da": "x"}, "exercises": ["Squat"]}',
    '{"slug": "a", "title": "A", "origin": {"en": "the lateral epicondyle of the humerus"},'
    ' "insertion": {"en": "the radial tuberosity of the radius"}, "exercises": ["squat "]}',
    '{"slug": "a", "title": "A2"}',
    '{"slug": "c", "title": "C", "insertion": {"en": "the radial tuberosity of the radius"}}']
#: The lines of a flat CSV sheet of those records.
SHARED_SLUG_ROWS = [
    "slug,title,origin_en,origin_da,insertion_en,exercises",
    "b,B,the lateral epicondyle of the humerus,x,,Squat",
    "a,A,the lateral epicondyle of the humerus,,the radial tuberosity of the radius,squat ",
    "a,A2,,,,",
    "c,C,,,the radial tuberosity of the radius,"]
#: The column of the value of each field of the first ``a`` of
#: :data:`SHARED_SLUG_RECORDS`, on its line (2 of a JSON Lines file, 3 of a JSON one).
SHARED_SLUG_AT = {"origin": 39, "origin.en": 46, "insertion": 101, "insertion.en": 108,
                  "exercises[0]": 162}


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_the_corpus_lints_of_a_slug_on_two_records_are_at_the_first(
        fmt: str, tmp_path: Path) -> None:
    """A corpus lint (duplicate-text, missing-language, exercise-spelling) of a muscle
    whose slug two records of its file give was at no line: its slug places no record.
    It is at the muscle's own record, where its reader marked it, as the muscle's own
    lints are: at the field's value (JSON, JSON Lines), or at the row and named as the
    row's fields are (a flat CSV sheet)."""
    from converter.run import validate_sources

    name = {"json": "m.json", "jsonl": "m.jsonl", "csv": "m.csv"}[fmt]
    source = tmp_path / name
    text = {"json": '{"muscles": [\n' + ",\n".join(SHARED_SLUG_RECORDS) + "\n]}\n",
            "jsonl": "\n".join(SHARED_SLUG_RECORDS) + "\n",
            "csv": "\n".join(SHARED_SLUG_ROWS) + "\n"}[fmt]
    source.write_text(text, encoding="utf-8")
    line = {"json": 3, "jsonl": 2, "csv": 3}[fmt]  # (the first ``a``'s)
    found = sorted((d.path, d.line, d.column, d.field, d.code)
                   for d in validate_sources([source]).diagnostics
                   if d.code != "duplicate-slug" and (
                       d.line == line or d.field.startswith("muscles[a]")))
    codes = {"origin": "missing-language", "origin.en": "duplicate-text",
             "insertion": "missing-language", "insertion.en": "duplicate-text",
             "exercises[0]": "exercise-spelling"}
    if fmt == "csv":  # (at the row, named as its fields are)
        assert found == sorted((str(source), line, None, field, code)
                               for field, code in codes.items())
    else:
        assert found == sorted((str(source), line, SHARED_SLUG_AT[field],
                                f"muscles[a].{field}", code) for field, code in codes.items())


def test_a_deep_line_beside_a_lint_in_jsonl_is_no_traceback(tmp_path: Path) -> None:
    from converter.run import validate_sources

    source = tmp_path / "m.jsonl"
    source.write_text('{"slug": "a", "title": "A", "image": "javascript:x"}\n'
                      + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    found = [(d.line, d.code) for d in validate_sources([source]).diagnostics]
    assert sorted(found, key=str) == [(1, "unsafe-link"), (2, "wrong-type")]  # (no object)


@pytest.mark.parametrize("name, raw, place", [
    ("m.csv", b"\xef\xbb\xbfslug,title\nab\xffc,T\n", (2, 3, "0xff")),
    ("m.json", b'\xef\xbb\xbf{"muscles": [\n{"slug": "a\xe9"}]}\n', (2, 12, "0xe9")),
    ("m.md", b"\xef\xbb\xbf---\ntitle: \xe6\n---\n", (2, 8, "0xe6")),
])
def test_a_bad_byte_after_a_byte_order_mark_is_named_and_placed(
        name: str, raw: bytes, place: tuple, tmp_path: Path) -> None:
    """The mark's 3 bytes were left out of the count: the wrong byte, three places on."""
    from converter.run import validate_sources

    (tmp_path / name).write_bytes(raw)
    [found] = validate_sources([tmp_path / name]).diagnostics
    assert (found.code, found.line, found.column, found.message.split("byte ")[1][:4]) == (
        "not-utf8", *place)


def test_a_utf16_jsonl_file_is_said_to_be_so_once(tmp_path: Path) -> None:
    from converter.run import validate_sources

    source = tmp_path / "m.jsonl"
    source.write_bytes('{"slug": "a", "title": "A"}\n{"slug": "b", "title": "B"}\n'.encode(
        "utf-16"))
    assert [(d.line, d.message) for d in validate_sources([source]).diagnostics] == [
        (1, "is UTF-16, not UTF-8: save it as UTF-8")]


#: A record whose texts are plain strings, not maps of language codes to text.
_PLAIN = {"slug": "a", "title": "A", "origin": "Skinnebenet", "insertion": "Hælen",
          "functions": [{"short": "Bøjer", "extended": "Bøjer foden"}]}


@pytest.mark.parametrize("source, to, name", [("m.json", "json", "out.json"),
                                              ("m.jsonl", "jsonl", "out.jsonl"),
                                              ("m.json", "sqlite", "out.db")])
def test_a_plain_text_of_a_record_is_in_the_runs_default_language(
        source: str, to: str, name: str, tmp_path: Path) -> None:
    """JSON and JSON Lines read a plain string (origin, insertion, a function's text) as
    English whatever --default-lang said, where Markdown reads one in it; so did SQLite
    get one from them. Every reader reads it in the run's --default-lang, and a re-run
    with another one reads it again, not replaying the output of the last."""
    from converter.model import LocalizedText

    record = json.dumps(_PLAIN, ensure_ascii=False)
    path, out, cache = tmp_path / source, tmp_path / name, tmp_path / "cache"
    path.write_text(f"{record}\n" if source.endswith(".jsonl") else
                    f'{{"muscles": [{record}]}}\n', encoding="utf-8")
    for lang in ("da", "en", "da"):
        result = run("convert", str(path), "--to", to, "-o", str(out), "--default-lang",
                     lang, "--cache-dir", str(cache), "-j", "1")
        assert result.exit_code == 0, result.output
        [muscle] = converter.read(out)
        [function] = muscle.functions
        assert (muscle.origin, muscle.insertion, function.short, function.extended) == tuple(
            LocalizedText.of({lang: text}) for text in (
                "Skinnebenet", "Hælen", "Bøjer", "Bøjer foden"))
