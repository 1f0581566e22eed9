"""The shipped schemas and the validator (converter/authoring.py) agree.

The validator is what runs (it names fields and lines); the JSON Schemas state the
same rules for other tools. Every valid file passes the input schema, and every file the
validator refuses for its shape (type, required field, language code, key, coords
syntax) or for an unsafe link fails it too. The schema's slug rule is looser: "any
character but space and ASCII punctuation" stands in for "a character the slug keeps".

The canonical schema is checked with two real validators, Python's jsonschema and ajv
(JavaScript, strict mode, installed by ``make test`` with npm), against the JSON reader:
all three take or refuse each record alike.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import unicodedata
import warnings
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

import converter
from converter import canonical, yamlsafe
from converter.authoring import MERGE_KEY, RESERVED_KEYS, is_blank, muscle_from_front_matter
from converter.diagnostics import MuscleError, has_errors
from converter.lint import check_muscle
from converter.safety import is_safe_link
from converter.schema import load_schema, required_at, takes_text, text_fits, types_at
from formats.markdown import decode, split
from tests.conftest import ROOT, SAMPLES, WAIT
from tests.hostile.test_hostile import BAD, HERE, VALID
from tests.strategies import corpora

INPUT = jsonschema.Draft202012Validator(load_schema("front-matter"))
CANONICAL = jsonschema.Draft202012Validator(load_schema("muscle"))
#: ajv, as ``make test`` installs it (npm), and the script that runs it.
NODE_MODULES = ROOT / ".cache" / "npm" / "node_modules"
AJV_SCRIPT = Path(__file__).with_name("ajv_validate.js")
#: Codes of the validator's shape rules, which the schema also states (the others are
#: YAML-level problems, geometry or links: beyond a JSON Schema).
SHAPE_CODES = {"wrong-type", "missing-field", "empty-field", "bad-language", "unknown-key",
               "control-character", "coords-odd", "coords-too-few", "coords-negative",
               "coords-not-number", "coords-empty"}
#: Of those, the ones a JSON Schema cannot see in the loaded data: YAML keys that are
#: numbers (JSON keys are always text), infinite numbers (JSON has none) and the digit
#: limit of a number.
BEYOND_SCHEMA = {"wrong-type-field-name.md", "wrong-type-extra-key.md",
                 "wrong-type-extra-value.md", "coords-too-many-digits.md"}


def front_matter(path: Path) -> object:
    text = decode(path.read_bytes(), str(path))
    return yamlsafe.load(split(text, str(path))[0])


@pytest.mark.parametrize("path", [*sorted(SAMPLES.glob("*.md")),
                                  *(HERE / name for name in VALID)], ids=lambda p: p.name)
def test_valid_files_pass_the_input_schema(path: Path) -> None:
    assert list(INPUT.iter_errors(front_matter(path))) == []


@pytest.mark.parametrize("name", sorted(name for name, (code, _, _) in BAD.items()
                                        if code in SHAPE_CODES and name not in BEYOND_SCHEMA))
def test_files_the_validator_refuses_for_their_shape_fail_the_schema(name: str) -> None:
    assert list(INPUT.iter_errors(front_matter(HERE / name))), name


def test_the_canonical_schema_is_a_valid_draft_2020_12_schema() -> None:
    for name in ("muscle", "front-matter"):
        jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_both_schemas_limit_the_slug_to_200_characters() -> None:
    assert not list(INPUT.iter_errors({"title": "T", "slug": "a" * 200}))
    assert list(INPUT.iter_errors({"title": "T", "slug": "a" * 201}))
    canonical = load_schema("muscle")["$defs"]["muscle"]["properties"]["slug"]
    slug = jsonschema.Draft202012Validator(canonical)
    assert slug.is_valid("a" * 200) and not slug.is_valid("a" * 201)


def _validator_accepts(data: dict) -> bool:
    try:
        muscle = muscle_from_front_matter(data, path="x.md", slug_hint="x")
    except MuscleError:
        return False
    return not has_errors(check_muscle(muscle, "x.md"))


SQUARE = "0,0,40,0,40,40,0,40"


#: Front matter (beside a title) that the input schema and the validator must judge alike.
FRONT_MATTER = [
    {"image": "https://example.org/a.png"}, {"image": "HTTP://example.org/a.png"},
    {"image": "images/a:b.png"}, {"image": "/assets/a.png"}, {"image": "//cdn.example.org/a"},
    {"image": "javascript:alert(1)"}, {"image": " JavaScript:alert(1)"},
    {"image_focus": "ftp://example.org/y"}, {"image_focus": "data:image/png;base64,AA"},
    {"coords": [SQUARE]}, {"coords": ["\u0661,0,40,0,40,40"]},
    {"coords": ["\uff11,0,40,0,40,40"]},  # Arabic-Indic and full-width digits
    {"coords": [SQUARE + "\n"]},
    {"slug": "æ"}, {"slug": "①"}, {"slug": "Navn med mellemrum"}, {"slug": "!!!"},
    {"origin": {"da": "x"}}, {"origin": {"da\n": "x"}},  # ($ matched before a last \n)
    {"function": [{"short": {"pt-BR\n": "x"}}]},
    {"latin": "x\ud800"}, {"exercises": ["\udc80"]}, {"latin": "\U0001f4aa"},  # (lone, paired)
    {"notes": "x\ud800"}, {"notes": [{"k\udc80": 1}]}, {"\ud800": 1}, {"notes": "\U0001f4aa\x07"},
    {"<<": {"a": 1}}, {"notes": [{"<<": 1}]}, {"notes": {"<": 1, "<<<": 2}},  # (YAML's merge key)
    {"draft": True}, {"draft": False}, {"published": False}, {"draft": "yes"},  # (drafts)
    {"published": 0}, {"published": None}, {"draft": [True]}, {"notes": {"draft": 1}},
    {"Draft": True}, {"DRAFT": "yes"}, {"dRaFt": 1}, {"Published": "no"},  # (Hugo's any case)
]


@pytest.mark.parametrize("data", FRONT_MATTER, ids=repr)
def test_the_schema_and_the_validator_agree_on_links_coords_and_slugs(data: dict) -> None:
    front_matter = {"title": "T", **data}
    assert INPUT.is_valid(front_matter) == _validator_accepts(front_matter)


def test_ajv_and_the_validator_agree_on_front_matter() -> None:
    cases = [{"title": "T", **data} for data in FRONT_MATTER]
    assert ajv(load_schema("front-matter"), [json.dumps(c) for c in cases]) == [
        _validator_accepts(c) for c in cases]


@pytest.mark.parametrize(("title", "valid"), [
    ("T", True), (" T", True), (" ", False), ("\u200b", False), ("\u200bT", True),
    ("\ufeff\u2060 ", False), ("\u00ad", False), ("\u3000", False),
    ("\u200d\U0001f4aa", True), ("\u061c", False), ("\u3164", False), ("\u2800", False),
    ("\ufe0f", False), ("\u115f\u1160", False), ("\U000e0041\U000e0042", False),
    ("\U000e0100", False), ("\U0001d173", False), ("\ufff9", False), ("\u180b", False),
    ("\U0001bca0\U000e0fff", False), ("\U000e0041T", True), ("\u0600", True)], ids=ascii)
def test_the_schemas_and_the_validator_agree_on_an_empty_title(title: str, valid: bool
                                                               ) -> None:
    """A title of only a zero-width space passed: a link without a name."""
    front_matter = {"title": title}
    canonical = jsonschema.Draft202012Validator(
        {"pattern": load_schema("muscle")["$defs"]["muscle"]["properties"]["title"]["pattern"]})
    assert INPUT.is_valid(front_matter) == canonical.is_valid(title) == _validator_accepts(
        front_matter) == valid


@pytest.mark.parametrize("data, found", [
    ({"title": "T", "origin": {b"da": "x"}},  # (a database's blob: shown as "b'da'")
     ("origin", "a language code must be text such as da or en, not binary data")),
    ({"title": "T\ud800"},  # (it said "a control character (U+D800)")
     ("title", "contains U+D800, a lone surrogate, which no UTF-8 file can hold")),
    ({"title": "T\x07"}, ("title", "contains a control character (U+0007)")),
    ({"title": "T", "\ud800": 1},  # (accepted: then every writer but Markdown's crashed)
     ("\ud800", "key contains U+D800, a lone surrogate, which no UTF-8 file can hold")),
    ({"title": "T", "notes": {"k\udc80": 1}},
     ("notes.k\udc80", "key contains U+DC80, a lone surrogate, which no UTF-8 file can "
                      "hold")),
])
def test_a_value_no_text_file_holds_is_named_in_words(data: dict, found: tuple) -> None:
    with pytest.raises(MuscleError) as caught:
        muscle_from_front_matter(data, path="p", slug_hint="s")
    assert [(d.field, d.message) for d in caught.value.diagnostics] == [found]


def _title_pattern(name: str) -> str:
    """The title pattern of the schema ``name`` (``muscle``: its record's)."""
    schema = load_schema(name)
    return (schema["$defs"]["muscle"] if name == "muscle" else schema)["properties"][
        "title"]["pattern"]


def _every_char() -> list[str]:
    """Every code point a UTF-8 text can hold (no surrogate)."""
    return [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]


@pytest.mark.parametrize("name", ["muscle", "front-matter"])
def test_the_title_patterns_refuse_a_character_alone_as_the_validator_does(name: str
                                                                           ) -> None:
    """Each code point alone: a title the pattern refuses is the one the validator
    finds blank (it let tag characters, musical beams and interlinear annotation marks
    pass, and so did the pattern)."""
    found = re.compile(_title_pattern(name)).search
    assert [f"U+{ord(char):04X}" for char in _every_char()
            if (found(char) is None) != is_blank(char)] == []


#: Blank to the validator beside what Unicode calls White_Space or
#: Default_Ignorable_Code_Point: the interlinear annotation marks and the blank Braille
#: pattern, which draw nothing too, and the control characters Python's ``\\s`` takes
#: (refused before, as control characters); and, left out of the set, U+1680 OGHAM
#: SPACE MARK, White_Space to Unicode but drawn as a visible stroke.
_BLANK_BESIDE_IGNORABLE = {*range(0x1C, 0x20), 0x1680, 0x2800, 0xFFF9, 0xFFFA, 0xFFFB}


def test_what_shows_nothing_is_what_javascript_calls_white_space_or_default_ignorable(
        ) -> None:
    """JavaScript's Unicode properties (node's, a later Unicode than Python's) name
    the same characters as the validator's set (which test_authoring derives from
    Python's unicodedata), but for the few it adds or leaves out on purpose."""
    script = ("const blank = /^[\\p{Default_Ignorable_Code_Point}\\p{White_Space}]$/u;"
              "const found = [];"
              "for (let code = 0; code < 0x110000; code++) {"
              "  if ((code < 0xD800 || code > 0xDFFF) && blank.test(String.fromCodePoint(code)))"
              "    found.push(code);"
              "}"
              "process.stdout.write(JSON.stringify(found));")
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True,
                          timeout=WAIT)
    assert done.returncode == 0, done.stderr
    ours = {ord(char) for char in _every_char() if is_blank(char)}
    assert sorted(ours ^ set(json.loads(done.stdout))) == sorted(_BLANK_BESIDE_IGNORABLE)


def test_ajv_refuses_a_title_of_each_character_that_shows_nothing_and_no_other() -> None:
    """ajv (JavaScript, by code point) reads the title patterns' ranges past U+FFFF as
    the validator does: each blank character alone and each neighbour of one (no
    control character, which the text pattern refuses anyway)."""
    blank = {ord(char) for char in _every_char() if is_blank(char)}
    near = [chr(code) for code in sorted(blank | {code + step for code in blank
                                                  for step in (-1, 1)})
            if 0 <= code < 0x110000 and not 0xD800 <= code <= 0xDFFF
            and unicodedata.category(chr(code)) != "Cc"]
    want = [not is_blank(char) for char in near]
    assert ajv(load_schema("front-matter"), [json.dumps({"title": c}) for c in near]) == want
    assert ajv({"type": "string", "pattern": _title_pattern("muscle")},
               [json.dumps(char) for char in near]) == want


#: A character a browser drops from a link before it reads the scheme (safety._IGNORED):
#: the link pattern lets any number of them stand after each character it reads.
_DROPPED = "[\\u0000-\\u0020\\u007f]"


def link_pattern() -> str:
    """The pattern of ``$defs/link`` in both schemas: what ``is_safe_link`` takes, that
    is what urllib's ``urlsplit`` splits (an authority's brackets, one IPv6 or IPvFuture
    address; no character that NFKC turns into ``/?#@:``) with no scheme but http(s)."""
    i = _DROPPED + "*"
    hex_ = f"[0-9A-Fa-f]{i}"
    h16, colon = f"{hex_}(?:{hex_}){{0,3}}", f":{i}"
    octet = (f"(?:2{i}5{i}[0-5]{i}|2{i}[0-4]{i}[0-9]{i}|1{i}[0-9]{i}[0-9]{i}"
             f"|[1-9]{i}[0-9]{i}|[0-9]{i})")
    ls32 = f"(?:{h16}{colon}{h16}|{octet}(?:\\.{i}{octet}){{3}})"
    group, gap = f"{h16}{colon}", colon * 2

    def before(n: int) -> str:  # RFC 3986's [ *n( h16 ":" ) h16 ]
        return f"(?:(?:{group}){{0,{n}}}{h16})?"

    ipv6 = "|".join([f"(?:{group}){{6}}{ls32}", f"{gap}(?:{group}){{5}}{ls32}",
                     f"{before(0)}{gap}(?:{group}){{4}}{ls32}",
                     f"{before(1)}{gap}(?:{group}){{3}}{ls32}",
                     f"{before(2)}{gap}(?:{group}){{2}}{ls32}",
                     f"{before(3)}{gap}{group}{ls32}", f"{before(4)}{gap}{ls32}",
                     f"{before(5)}{gap}{h16}", f"{before(6)}{gap}"])
    other = "/?#\\]\\u0000-\\u0020\\u007f"  # (what ends a bracketed host, or is dropped)
    host = (f"(?:v{i}{hex_}(?:{hex_})*\\.{i}(?:[^{other}]{i})+"
            f"|(?:{ipv6})(?:%{i}(?:[^%{other}]{i})+)?)")
    nfkc = "".join(f"\\u{c:04x}" if c <= 0xFFFF else chr(c) for c in range(0x80, 0x110000)
                   if not 0xD800 <= c <= 0xDFFF
                   and set(unicodedata.normalize("NFKC", chr(c))) & set("/?#@:"))
    authority = "|".join([
        "(?=[^/?#]*\\])[^/?#\\[]*(?![^/?#])",  # a ] and no [
        "(?=[^/?#]*\\[)[^/?#\\]]*(?![^/?#])",  # a [ and no ]
        f"[^/?#]*[{nfkc}]",
        f"[^/?#\\[]*\\[(?!{i}{host}(?:\\]|(?![^/?#])))"])  # no address in the brackets
    http = f"{i}[Hh]{i}[Tt]{i}[Tt]{i}[Pp]{i}(?:[Ss]{i})?:"
    no_scheme = f"(?!{i}[A-Za-z](?:[A-Za-z0-9+.]|{_DROPPED}|-)*:)"
    return f"^(?:{http}|{no_scheme})(?!{i}/{i}/(?:{authority}))"


def ajv(schema: dict, documents: list[str]) -> list[bool]:
    """ajv's verdict (JSON Schema 2020-12, strict mode) on each JSON text of
    ``documents``; a schema that strict mode refuses fails the test with ajv's words."""
    if not (NODE_MODULES / "ajv" / "dist" / "2020.js").is_file():
        pytest.fail(f"{NODE_MODULES / 'ajv'} is missing: make test installs ajv with npm")
    given_ = f'{{"schema":{json.dumps(schema)},"instances":[{",".join(documents)}]}}'
    done = subprocess.run(["node", str(AJV_SCRIPT), str(NODE_MODULES)], input=given_,
                          capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", ["muscle", "front-matter"])
def test_ajv_compiles_both_schemas_in_strict_mode(name: str) -> None:
    """Strict mode refused both: a pattern or minProperties without its type, a union
    type."""
    assert ajv(load_schema(name), ['{"title": "T"}']) == [name == "front-matter"]


def _reader_accepts(document: str, tmp_path: Path) -> bool:
    path = tmp_path / "muscles.json"
    path.write_text(document, encoding="utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            converter.read(path)
    except MuscleError:
        return False
    return True


def _verdicts(documents: list[str], tmp_path: Path) -> list[tuple[bool, bool, bool]]:
    """(jsonschema, ajv, the JSON reader) on each JSON document."""
    return list(zip([CANONICAL.is_valid(json.loads(d)) for d in documents],
                    ajv(load_schema("muscle"), documents),
                    [_reader_accepts(d, tmp_path) for d in documents], strict=True))


def _document(*records: str) -> str:
    return f'{{"$schema":{json.dumps(canonical.SCHEMA_ID)},"muscles":[{",".join(records)}]}}'


def _samples(tmp_path: Path) -> list[str]:
    """The samples' records, as the JSON writer writes them."""
    converter.write(converter.read(SAMPLES), tmp_path / "samples.json")
    return [json.dumps(r) for r in json.loads((tmp_path / "samples.json").read_text(
        encoding="utf-8"))["muscles"]]


def test_jsonschema_ajv_and_the_reader_agree_on_the_samples(tmp_path: Path) -> None:
    records = _samples(tmp_path)
    documents = [_document(*records), *map(_document, records)]
    assert _verdicts(documents, tmp_path) == [(True, True, True)] * len(documents)


@settings(max_examples=15)
@given(corpora(max_size=4))
def test_jsonschema_ajv_and_the_reader_agree_on_generated_muscles(corpus: list) -> None:
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        documents = [_document(*map(canonical.dumps, corpus))]
        assert _verdicts(documents, Path(folder)) == [(True, True, True)]


def _broken(record: dict, change: dict) -> dict:
    """``record`` with the fields of ``change`` (a path ``a.b`` sets inside ``a``)."""
    record = json.loads(json.dumps(record))
    for field, value in change.items():
        *outer, last = field.split(".")
        inner = record
        for step in outer:
            inner = inner[int(step)] if isinstance(inner, list) else inner[step]
        key = int(last) if isinstance(inner, list) else last
        if value is _GONE:
            del inner[key]
        else:
            inner[key] = value
    return record


_GONE = object()
#: Records the reader refuses for what a JSON Schema can see, as changes to a sample.
#: (Beyond any schema: geometry, a coordinate written 1e2, -0 or of 1,000 digits, nesting
#: deeper than 32 levels, over 100,000 values, a key given twice, a slug twice, and two
#: draft markers that are one key to Hugo, draft and Draft.)
BROKEN = {
    "no title": {"title": _GONE}, "no slug": {"slug": _GONE}, "title a number": {"title": 5},
    "blank title": {"title": " "},
    "title with BEL": {"title": "T\u0007"}, "unknown key": {"colour": "red"},
    "slug with a space": {"slug": "biceps brachii"}, "slug in capitals": {"slug": "Biceps"},
    "slug too long": {"slug": "a" * 201}, "language code": {"origin": {"DA": "x"}},
    "function without short": {"functions.0.short": {}},
    "function key": {"functions.0.long": {}}, "exercise a number": {"exercises": [1]},
    "point of three": {"regions.0.0": [1, 2, 3]}, "negative point": {"regions.0.0": [-1, 2]},
    "polygon of two": {"regions.0": [[0, 0], [1, 1]]}, "point as text": {"regions.0.0": ["1", 2]},
    "extra a list": {"extra": []}, "body a number": {"body": 1},
    "null body": {"body": None}, "null title": {"title": None}, "null slug": {"slug": None},
    "null short": {"functions.0.short": None},
    "draft marker a text": {"extra": {"draft": "yes"}},
    "draft marker a number": {"extra": {"published": 0}},
    "draft marker in capitals a text": {"extra": {"Draft": "yes"}},
    # ($ matched before a last newline in Python's re.search: jsonschema took them)
    "slug ending in a newline": {"slug": "biceps-brachii\n"},
    "language code ending in a newline": {"origin": {"da\n": "x"}},
    # (lone surrogates, a JSON "\ud800", and NUL in a body: taken by both schemas)
    "lone surrogate in the title": {"title": "T\ud800"},
    "lone surrogate in an exercise": {"exercises": ["\udfff"]},
    "lone surrogate in a function": {"functions.0.short.en": "x\udc80y"},
    "lone surrogate in the body": {"body": "\ud83d"}, "NUL in the body": {"body": "a\x00b"},
    "lone surrogate in extra": {"extra": {"notes": ["\ud800"]}},
    "lone surrogate in a key of extra": {"extra": {"\ud800": 1}},
    "lone surrogate deep in extra": {"extra": {"notes": {"a": [{"k\udc80": 1}]}}},
    # (links: both schemas took any text)
    "javascript: image": {"image": "javascript:alert(1)"},
    "spaced JavaScript: image": {"image": " JavaScript:alert(1)"},
    "java<tab>script: focus image": {"image_focus": "java\tscript:alert(1)"},
    "data: focus image": {"image_focus": "data:text/html,x"},
    "image of an unclosed IPv6 host": {"image": "http://[::1/x"},
}
#: Records the reader takes, as changes to a sample: both schemas take them too.
TAKEN = {
    "emoji everywhere": {"title": "\U0001f4aa", "body": "\U0001f4aa", "exercises": ["\U0001f4aa"],
                         "extra": {"\U0001f4aa": "\U0001f4aa"}},
    "control characters in a body and extra": {"body": "a\x07\x85b", "extra": {"k\x01": "\x7f"}},
    "tab and newline in texts": {"title": "a\tb", "latin": "a\nb"},
    "extra nested": {"extra": {"a": [1, 2.5, None, True, {"b": "c"}]}},
    "links": {"image": "https://example.org/a.png", "image_focus": "img/a:b.png"},
    "links without a scheme": {"image": "//cdn.example.org/a", "image_focus": " /a.png"},
    "a key Jekyll does not read as published": {"extra": {"Published": "no"}},
    # (the reader took them; the schema required every key the writer writes)
    "only slug and title": dict.fromkeys(["latin", "origin", "insertion", "functions",
                                          "exercises", "image", "image_focus", "regions",
                                          "body", "extra"], _GONE),
    "a function without extended": {"functions.0.extended": _GONE},
    "null for all but slug, title and body": dict.fromkeys(
        ["latin", "origin", "insertion", "functions", "exercises", "image", "image_focus",
         "regions", "extra"], None),
    "a null extended": {"functions.0.extended": None},
}


def test_jsonschema_ajv_and_the_reader_agree_on_broken_records(tmp_path: Path) -> None:
    """Every record the reader refuses for its shape fails both schemas, every record it
    takes passes them."""
    good = json.loads(_samples(tmp_path)[0])
    assert good["regions"] and good["functions"], "a sample with regions and functions"
    documents = [_document(json.dumps(_broken(good, change))) for change in BROKEN.values()]
    found = dict(zip(BROKEN, _verdicts(documents, tmp_path), strict=True))
    assert found == dict.fromkeys(BROKEN, (False, False, False))


def test_jsonschema_ajv_and_the_reader_agree_on_extra_keys(tmp_path: Path) -> None:
    """A key of extra named like a field (which it would stand in for) or ``<<`` (YAML's
    merge key), at any depth for ``<<``, is a reserved-key error: both schemas took it."""
    good = json.loads(_samples(tmp_path)[0])
    refused = [{key: 1} for key in sorted(RESERVED_KEYS | {MERGE_KEY})]
    refused += [{"notes": {"a": [{MERGE_KEY: 1}]}}, {"notes": {MERGE_KEY: {}}}]
    taken = [{"functions": 1, "regions": 1, "Title": 1, "<": 1, "<<<": 1, "notes": {"title": 1}}]
    documents = [_document(json.dumps(_broken(good, {"extra": extra})))
                 for extra in refused + taken]
    assert _verdicts(documents, tmp_path) == [(False, False, False)] * len(refused) + [
        (True, True, True)] * len(taken)


def test_jsonschema_ajv_and_the_reader_agree_on_records_it_takes(tmp_path: Path) -> None:
    good = json.loads(_samples(tmp_path)[0])
    documents = [_document(json.dumps(_broken(good, change))) for change in TAKEN.values()]
    found = dict(zip(TAKEN, _verdicts(documents, tmp_path), strict=True))
    assert found == dict.fromkeys(TAKEN, (True, True, True))


#: Links that the schemas' rule and is_safe_link must judge alike.
LINKS = ["https://example.org/a.png", "HTTP://example.org/a.png", "images/a:b.png", "/a.png",
         "//cdn.example.org/a", "", " ", "a b.png", ":x", "?a:b", "#a:b", "./a:b",
         "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
         "java\nscript:x", "\x00javascript:x", "jav\x7fascript:x", "data:text/html,x",
         "ftp://example.org/y", "file:///etc/passwd", "vbscript:x", "a+b.c-d:x", "1a:b",
         "ht tp://example.org", "h\tttps\n://x", "https :x", "http//x", "http:x", "https:",
         "http://[::1/x", "http://[::1]/x", "http://[::1]:80/x", "//[::1", "http://]x/",
         "http://[zz]/", "http://[1.2.3.4]/", "http://[::ffff:1.2.3.4]/", "http://[::1%eth0]/",
         "http://[::1%]/", "http://[v1.x]/", "http://[v.x]/", "http://[1:2:3:4:5:6:7::]/",
         "http://[1:2:3:4::5:6:7:8]/", "http://[::1 ]/", "http://]a[::1/", "http://[]/",
         "http://a\uff0fb/", "//a\u2100b", "http://a/\uff0f", "http://a\uff20b@c/",
         "http://\u00e6\u00f8\u00e5.dk/", "http://[::1]]/", "http://[[::1]/"]


def _link_cases(count: int) -> list[str]:
    """``LINKS`` and ``count`` random strings of what matters in a link."""
    pick = random.Random(20).choice
    parts = [*"hHtTpPsSvV:/[]%.@?#ab19fF \t\n\x00\x7f", "\uff0f", "\u2100", "\u00e6",
             "javascript:", "http", "https://", "//", "::", "1.2.3.4", "ffff:", "%eth0", "[::1]"]
    return LINKS + ["".join(pick(parts) for _ in range(pick(range(12)))) for _ in range(count)]


def test_both_schemas_state_one_link_rule() -> None:
    """The canonical schema's image and image_focus were any text: javascript: passed."""
    muscle, authored = load_schema("muscle"), load_schema("front-matter")
    assert muscle["$defs"]["link"] == authored["$defs"]["link"]
    assert muscle["$defs"]["link"]["pattern"] == link_pattern()
    for name in ("image", "image_focus"):
        assert {"$ref": "#/$defs/link"} in muscle["$defs"]["muscle"]["properties"][name]["oneOf"]


def test_the_link_rule_is_is_safe_link_in_jsonschema_and_ajv() -> None:
    """The link rule of the schemas takes what the validator takes as an image: text
    that ``is_safe_link`` takes (in both engines: Python's re and ECMAScript's)."""
    links = _link_cases(3000)
    expected = [_validator_accepts({"title": "T", "image": link}) for link in links]
    unsafe_text = [link for link in links if not is_safe_link(link) and "\x00" not in link]
    assert len(unsafe_text) > 200 and sum(expected) > 200  # (both kinds, many of each)
    rule = {"$defs": load_schema("muscle")["$defs"], "$ref": "#/$defs/link"}
    checked = jsonschema.Draft202012Validator(rule)
    assert [checked.is_valid(link) for link in links] == expected
    assert ajv(rule, [json.dumps(link) for link in links]) == expected


def test_a_point_is_two_numbers_to_a_reader_of_items() -> None:
    """A point was prefixItems of two numbers, which json-schema-to-typescript (and a
    reader of an older draft, where items says what each item is) took as two unknowns;
    it is now items (a number), minItems and maxItems 2: the same points pass."""
    schema = load_schema("muscle")
    point = {"$defs": schema["$defs"],
             **schema["$defs"]["muscle"]["properties"]["regions"]["oneOf"][0]["items"]["items"]}
    cases = {(1, 2.5): True, (0, 0): True, ("1", 2): False, (1, -2): False, (1, None): False,
             (1,): False, (1, 2, 3): False}
    for validator in (jsonschema.Draft202012Validator, jsonschema.Draft7Validator):
        assert {c: validator(point).is_valid(list(c)) for c in cases} == cases, validator


def test_jsonschema_ajv_and_the_reader_agree_on_the_documents_own_keys(
        tmp_path: Path) -> None:
    """A key beside "muscles" ("meta", a mistyped "muscle") and a "$schema" of 5 were
    taken by the reader, and their data dropped without a word; the schema refused them."""
    record = _samples(tmp_path)[0]
    documents = [f'{{"muscles":[{record}],"meta":1}}', f'{{"muscle":[],"muscles":[{record}]}}',
                 f'{{"$schema":5,"muscles":[{record}]}}', f'{{"$schema":"x","muscles":[{record}]}}']
    assert _verdicts(documents, tmp_path) == [(False, False, False)] * 3 + [(True, True, True)]


#: Keys and indexes of the front matter: the muscle's own fields, and extra data.
STEPS = [("title",), ("latin",), ("slug",), ("origin",), ("origin", "da"),
         ("insertion", "en"), ("function", 0, "short"), ("function", 0, "extended", "da"),
         ("exercises", 0), ("image",), ("image_focus",), ("coords", 0), ("published",),
         ("draft",), ("notes",), ("notes", 0), ("notes", "a")]


def _holding(steps: tuple[str | int, ...], value: object) -> dict:
    """Front matter with a title and ``value`` at ``steps``."""
    data: dict = {"title": "T"}
    here: dict | list = data
    for step, after in zip(steps, (*steps[1:], None), strict=True):
        made = value if after is None else [] if isinstance(after, int) else {}
        if isinstance(here, list):
            here.append(made)
        else:
            here[step] = made
        here = made
    return data


@pytest.mark.parametrize("steps", STEPS)
def test_the_schema_takes_text_alone_where_the_validator_refuses_a_number_or_boolean(
        steps: tuple[str | int, ...]) -> None:
    """:func:`converter.schema.takes_text`, which the YAML advice asks (a number there
    is another error), is true where the validator refuses both a number and true at
    the field, and false where it takes them."""
    field = "".join(f"[{step}]" if isinstance(step, int) else f".{step}"
                    for step in steps).lstrip(".")
    refused = []
    for value in (1, True):
        try:
            muscle_from_front_matter(_holding(steps, value), path="m.md", slug_hint="m")
            refused.append(False)
        except MuscleError as error:
            refused.append(any(found.field == field for found in error.diagnostics))
    assert refused in ([True, True], [False, False])
    assert takes_text(steps) == refused[0]


def _field(steps: tuple[str | int, ...]) -> str:
    """The diagnostic field ``steps`` lead to (``function[0].short``)."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}"
                   for step in steps).lstrip(".")


def _errs_at(data: dict, field: str) -> bool:
    """Whether the muscle of front matter ``data`` has an error at ``field`` or below."""
    try:
        muscle_from_front_matter(data, path="m.md", slug_hint="m")
    except MuscleError as error:
        return any(found.field == field or found.field.startswith((f"{field}.", f"{field}["))
                   for found in error.diagnostics)
    return False


@pytest.mark.parametrize("steps", [("function", 0), ("function", 0, "extended"), ("origin",),
                                   ("insertion",)])
def test_required_at_names_the_keys_the_validator_asks_of_a_map(
        steps: tuple[str | int, ...]) -> None:
    """:func:`converter.schema.required_at`, which the YAML advice asks to build a map
    of one text (``function: [{short: abc}]``): a map with text at each key it names
    is no error at the field, and one lacking any of them is."""
    keys = required_at(steps)
    assert not _errs_at(_holding(steps, {key: "a" for key in keys}), _field(steps))
    for left_out in keys:
        lacking = {key: "a" for key in keys if key != left_out}
        assert _errs_at(_holding(steps, lacking), _field(steps))


@pytest.mark.parametrize(("steps", "value"), [
    (("coords", 0), "10,20,30,40,50,60"), (("coords", 0), "10"), (("coords", 0), "1,2,3,4"),
    (("title",), "abc"), (("title",), " "), (("latin",), "abc")])
def test_text_fits_where_the_validator_takes_the_text(
        steps: tuple[str | int, ...], value: str) -> None:
    """:func:`converter.schema.text_fits`, which the YAML advice asks to keep a
    polygon whole (``coords: ["10,20,30,40,50,60"]``, not six items): true where the
    validator takes the text at the field, false where it refuses it."""
    assert text_fits(steps, value) == (not _errs_at(_holding(steps, value), _field(steps)))


#: A value of each JSON type.
_EACH_TYPE = ("a", 1.5, True, None, [], {})


@pytest.mark.parametrize("steps", STEPS)
def test_types_at_is_none_where_the_schema_takes_a_value_of_any_type(
        steps: tuple[str | int, ...]) -> None:
    """:func:`converter.schema.types_at` said None of an extra key, and the YAML advice
    asks it so (``types is None``: any value, extra data), but it gave the set of every
    JSON type there. It is None where the schema takes a value of each JSON type at
    the field (an extra key, ``notes``, and what is inside it), and elsewhere the types
    the schema names (``latin``: text or null)."""
    validator = jsonschema.Draft202012Validator(load_schema("front-matter"))
    takes_each = all(validator.is_valid(_holding(steps, value)) for value in _EACH_TYPE)
    assert (types_at(steps) is None) == takes_each
    assert takes_each == (steps[0] == "notes")
    assert types_at(("latin",)) == {"string", "null"}
    assert types_at(("exercises", 0)) == {"string"}
