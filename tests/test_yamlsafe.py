"""The YAML loader: plain data only, no YAML 1.1 traps, no bombs, precise locations."""

from __future__ import annotations

import io
import math
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from converter import yamlsafe
from converter.yamlsafe import MAX_DEPTH, MAX_NODES, YamlProblem, iter_paths, load, locate
from tests.hugo import hugo_pages
from tests.jekyll import jekyll_reads


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load(text)
    return caught.value


# ---- YAML 1.1 traps -------------------------------------------------------------------

@pytest.mark.parametrize("word", ["no", "No", "NO", "on", "On", "off", "OFF", "yes", "Yes",
                                  "y", "Y", "n", "N"])
def test_yaml_11_booleans_stay_text_as_keys_and_values(word: str) -> None:
    assert load(f"{word}: {word}\nlist: [{word}]\n") == {word: word, "list": [word]}


@pytest.mark.parametrize("written, value", [("true", True), ("True", True), ("TRUE", True),
                                            ("false", False), ("False", False)])
def test_true_and_false_are_still_booleans(written: str, value: bool) -> None:
    assert load(f"flag: {written}\n")["flag"] is value


@pytest.mark.parametrize("written", ["2024-05-01", "2024-05-01 10:30:00", "2024-05-01T10:30:00Z",
                                     "1:30", "190:20:30", "1:30.5", "010", "0o17", "0x1F",
                                     "0b101", "1_000", "1_000.5", "1e5", "1.5e5", "-.5",
                                     "0b_", "0x_", "._", "=", "<<"])
def test_yaml_11_numbers_dates_and_oddities_stay_the_text_written(written: str) -> None:
    assert load(f"value: {written}\n") == {"value": written}


@pytest.mark.parametrize("written, value", [("0", 0), ("-7", -7), ("+3", 3), ("1200", 1200),
                                            ("2.5", 2.5), ("-0.25", -0.25), ("1.", 1.0),
                                            (".5", 0.5), ("1.5e+3", 1500.0),
                                            ("2.0E-2", 0.02)])
def test_plain_numbers(written: str, value: float) -> None:
    loaded = load(f"value: {written}\n")["value"]
    assert loaded == value and isinstance(loaded, type(value))
    assert getattr(loaded, "text", written) == written  # (the text kept where "1." is 1.0)


def test_special_floats_load_for_the_validator_to_refuse() -> None:
    data = load("a: .inf\nb: -.Inf\nc: .NaN\n")
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


@pytest.mark.parametrize("written", ["~", "null", "Null", "NULL", ""])
def test_null_forms(written: str) -> None:
    assert load(f"value: {written}\n") == {"value": None}


def test_quoted_scalars_are_always_text() -> None:
    assert load("a: 'true'\nb: \"12\"\nc: '~'\n") == {"a": "true", "b": "12", "c": "~"}


def test_empty_and_comment_only_documents_are_none() -> None:
    assert load("") is None
    assert load("# nothing here\n") is None


# Text emitted by either kind of YAML writer must come back as the same text: every
# plain scalar this loader reads as non-text is one both emitters quote.
# (NEL, LS and PS are YAML line breaks that PyYAML writes unescaped, so they fold.)
yaml_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                                  exclude_characters="\x85\u2028\u2029"), max_size=30)
number_like = st.from_regex(r"\A[-+.0-9eE_:xob]{1,8}\Z") | st.sampled_from(
    ["no", "on", "Off", "yes", "true", "Null", "~", "2024-01-02", "1:30", "-.5"])


@given(st.one_of(yaml_text, number_like))
def test_text_dumped_by_pyyaml_loads_back(value: str) -> None:
    assert load(yaml.safe_dump({"k": value, value: "v"}, allow_unicode=True)) == {
        "k": value, value: "v"}


@given(st.one_of(yaml_text, number_like))
def test_text_dumped_by_ruamel_loads_back(value: str) -> None:
    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="rt").dump({"k": value, value: "v"}, out)  # as formats/markdown/ writes
    assert load(out.getvalue()) == {"k": value, value: "v"}


# ---- refused documents ----------------------------------------------------------------

def test_duplicate_keys_are_refused_with_the_second_key_located() -> None:
    found = problem("title: A\nlatin: B\ntitle: C\n")
    assert (found.code, found.line, found.column) == ("duplicate-key", 2, 0)
    assert "'title'" in found.message


def test_duplicate_keys_in_nested_and_flow_maps() -> None:
    found = problem("origin:\n  da: x\n  en: y\n  da: z\n")
    assert (found.code, found.line, found.column) == ("duplicate-key", 3, 2)
    found = problem("a: {b: 1, b: 2}\n")
    assert (found.code, found.line, found.column) == ("duplicate-key", 0, 10)


@pytest.mark.parametrize("text, field", [
    ("title: A\nlatin: B\ntitle: C\n", "title"),
    ("origin:\n  da: x\n  da: y\n", "origin.da"),
    ("function:\n  - short: a\n    short: b\n", "function[0].short"),
    ("a: {b: 1, b: 2}\n", "a.b"),
])
def test_a_duplicate_key_names_its_field(text: str, field: str) -> None:
    """The second key is named by its whole field path, as JSON names one
    (``muscles[2].title``): it named no field."""
    found = problem(text)
    assert (found.code, found.field) == ("duplicate-key", field)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # alias
    "a: &x 1\n",  # an anchor alone is refused as well
    "base: &b {x: 1}\nother:\n  <<: *b\n",  # merge key
    "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",  # a small bomb
])
def test_anchors_and_aliases_are_refused(text: str) -> None:
    found = problem(text)
    assert found.code == "yaml-alias"
    assert found.line is not None and found.column is not None


@pytest.mark.parametrize("text, field", [
    ("title: T\norigin: &o\n  da: x\n", "origin"),
    ("title: T\norigin:\n  da: *x\n", "origin.da"),
    ("lol: [ha]\nmore: [x, *lol]\n", "more[1]"),
])
def test_an_anchor_or_alias_names_its_field(text: str, field: str) -> None:
    """It named no field."""
    found = problem(text)
    assert (found.code, found.field) == ("yaml-alias", field)


def test_alias_problem_points_at_the_first_anchor() -> None:
    found = problem("title: T\nlol: &lol [ha, ha]\nmore: [*lol, *lol]\n")
    assert (found.line, found.column) == (1, 5)


@pytest.mark.parametrize("tagged", [
    "!!python/object/apply:os.system ['echo owned']",
    "!!python/name:os.system",
    "!!python/object:collections.OrderedDict {}",
    "!!binary aGVsbG8=",
    "!!set {a: null}",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!!timestamp 2024-01-01",
    "!!merge x",
    "!include other.yaml",
    "!<tag:example.org,2024:thing> x",
])
def test_every_tag_beyond_plain_data_is_refused(tagged: str) -> None:
    found = problem(f"title: T\nvalue: {tagged}\n")
    assert (found.code, found.line, found.column) == ("yaml-unsafe-tag", 1, 7)
    assert "not allowed" in found.message


@pytest.mark.parametrize("tagged, value", [("!!str 12", "12"), ("!!int 12", 12),
                                           ("!!float 2", 2.0), ("!!bool true", True),
                                           ("!!null ~", None), ("!!seq [a]", ["a"]),
                                           ("!!map {a: 1}", {"a": 1}), ("! 7", 7)])
def test_standard_tags_on_fitting_values_are_fine(tagged: str, value: object) -> None:
    assert load(f"v: {tagged}\n") == {"v": value}


@pytest.mark.parametrize("tagged", ["!!int abc", "!!int 0x_", "!!int 1:30", "!!float abc",
                                    "!!int 1__000", "!!bool maybe", "!!bool y",
                                    "!!null foo", "!!map [1]", "!!seq {a: 1}", "!!str [1]",
                                    "!!int [1]", "!!int 0o17", "!!int 08"])
def test_standard_tags_on_values_that_do_not_fit_are_syntax_errors(tagged: str) -> None:
    found = problem(f"v: {tagged}\n")
    assert (found.code, found.line, found.column) == ("yaml-syntax", 0, 3)


#: YAML 1.1 forms of an explicit tag, and what Jekyll, Hugo and PyYAML all read of them.
YAML11_TAGGED = [("!!bool off", False), ("!!bool Yes", True), ("!!bool ON", True),
                 ("!!bool NO", False), ("!!int 0x1F", 31), ("!!int 017", 15),
                 ("!!int -0b1_01", -5), ("!!int 1_000", 1000), ("!!float 1_000.5", 1000.5),
                 ("!!float 1_000", 1000.0), ("!!float 1__0.5", 10.5), ("!!float 1e5", 1e5),
                 ("!!float -1_000", -1000.0), ("!!int 0x1__F", 31)]


@pytest.mark.parametrize("tagged, value", YAML11_TAGGED)
def test_a_tag_s_yaml_11_forms_are_read_as_yaml_11_reads_them(tagged: str,
                                                                value: object) -> None:
    """``!!bool off`` is false to YAML 1.1 (Jekyll, Hugo): read so, not refused as a
    syntax error (a plain ``off`` stays text: only the tag asks for the boolean)."""
    loaded = load(f"v: {tagged}\nw: [{tagged}]\n")
    assert loaded == {"v": value, "w": [value]}
    assert isinstance(loaded["v"], type(value))  # (a float may keep its spelling)
    assert isinstance(loaded["v"], bool) == isinstance(value, bool)
    assert loaded == yaml.safe_load(f"v: {tagged}\nw: [{tagged}]\n")


def test_the_yaml_11_forms_of_a_tag_read_here_are_what_jekyll_and_hugo_read(
        tmp_path: Path) -> None:
    forms = [tagged for tagged, _ in YAML11_TAGGED]
    expected = [value for _, value in YAML11_TAGGED]
    assert [value for _, value in jekyll_reads(forms, tmp_path / "jekyll")] == expected
    pages = hugo_pages([f"---\nk: {form}\n---\n" for form in forms], tmp_path / "hugo")
    assert [page["k"] for page in pages] == expected


@pytest.mark.parametrize("text, line, column, field", [
    ("v: !!bool maybe\n", 0, 3, "v"),
    ("a: [b, {c: !!int x}]\n", 0, 11, "a[1].c"),
    ("a:\n  - !!float 1:2:x\n", 1, 4, "a[0]"),
])
def test_a_tagged_value_that_does_not_fit_names_its_field(text: str, line: int, column: int,
                                                           field: str) -> None:
    found = problem(text)
    assert (found.code, found.line, found.column, found.field) == ("yaml-syntax", line,
                                                                  column, field)


@pytest.mark.parametrize("text, line, column, field", [
    ("title: x\n1: x\ntrue: y\nfoo: [\n", 3, 5, "foo"),
    ("origin:\n  da: \"x\n", 1, 6, "origin.da"),
    ("a: [1, 2]\nb: {c: \n", 1, 3, "b.c"),
    ("a: 1\nb: @x\n", 1, 3, "b"),
    ("- [\n", 0, 2, "[0]"),
    ("a: 1\nb: 2\n: 3\n", 2, 0, ""),
])
def test_a_syntax_error_names_the_field_its_reading_broke_off_in(
        text: str, line: int, column: int, field: str) -> None:
    """A YAML text that does not load is its one syntax error (its keys that are not
    text, which only a loaded text shows, are not said), named at the field it is in
    where there is one."""
    keys: list[YamlProblem] = []
    with pytest.raises(YamlProblem) as caught:
        yamlsafe.load_with_nodes(text, keys)
    found = caught.value
    assert (found.code, found.line, found.column, found.field) == ("yaml-syntax", line,
                                                                  column, field)
    assert keys == []


def test_a_bool_that_jekyll_and_hugo_read_otherwise_says_so() -> None:
    """And what to write: the boolean the tag names, y (yes) true as Hugo and YAML 1.1
    read it, with its line (it said "write true or false")."""
    found = problem("v: !!bool y\n")
    assert found.message == ("!!bool y is true to Hugo but the text 'y' to Jekyll: write "
                             "true, v: true")


def test_integers_too_long_to_convert_are_refused() -> None:
    found = problem("title: T\nscore: 1" + "0" * 5000 + "\n")
    assert (found.code, found.line, found.column) == ("yaml-number-too-large", 1, 7)
    assert load("score: 1" + "0" * 4000 + "\n")["score"] == 10 ** 4000


def test_non_text_keys_that_cannot_be_keys_are_refused() -> None:
    found = problem("? [a, b]\n: pair\n")
    assert (found.code, found.line) == ("yaml-syntax", 0)


@pytest.mark.parametrize("text, line, column, field", [
    ("? [a, b]\n: pair\n", 0, 2, ""), ("origin:\n  ? {a: b}\n  : v\n", 1, 4, "origin"),
    ("x: [{? [a]: 1}]\n", 0, 7, "x[0]")])
def test_a_list_or_map_as_a_key_names_the_map_it_is_in(text: str, line: int, column: int,
                                                      field: str) -> None:
    found = problem(text)
    assert (found.code, found.line, found.column, found.field) == ("yaml-syntax", line,
                                                                  column, field)


@pytest.mark.parametrize("text, line, column, field, shown", [
    ("title: T\n1: one\n", 1, 0, "1", "'1' is a number"),
    ("title: T\nextra:\n  ~: x\n", 2, 2, "extra.~", "'~' is null"),
    ("origin: {da: x, true: y}\n", 0, 16, "origin.true", "'true' is true/false"),
    ("x:\n- a\n- {b: 1, 1.5: x}\n", 2, 9, "x[1].1.5", "'1.5' is a number"),
    ("? \n: v\n", 0, 0, "~", "? with nothing after it is null"),
    ("?\n: v\n", 0, 0, "~", "? with nothing after it is null"),
    ("origin:\n  ? # none\n  : v\n", 1, 2, "origin.~", "? with nothing after it is null"),
    ("x:\n- ? \n  : {1: y}\n", 1, 2, "x[0].~", "? with nothing after it is null"),
    # in a flow map libyaml marks the empty key at the : after it, maybe lines later
    ("notes: {?     : x}\n", 0, 8, "notes.~", "? with nothing after it is null"),
    ("notes: {?\n   : x}\n", 0, 8, "notes.~", "? with nothing after it is null"),
    ("notes: {a: 1, ? # why?\n  : x}\n", 0, 14, "notes.~", "? with nothing after it is null"),
    # a tag after the ? is something written: said as the null key it is, at the tag
    ("? !!null\n: v\n", 0, 2, "~", "!!null is null"),
    ("x: {? !!null : 1}\n", 0, 6, "x.~", "!!null is null"),
])
def test_a_key_that_is_not_text_is_refused_where_it_is_written(
        text: str, line: int, column: int, field: str, shown: str) -> None:
    """Every field name, language and extra key must be text: refused at the key, as
    written (the validator, given Python's None, placed it at the first line)."""
    found = problem(text)
    assert (found.code, found.line, found.column) == ("wrong-type", line, column)
    assert found.field == field
    assert f"key {shown}, not text" in found.message


def test_a_key_of_an_anchor_alone_is_refused_as_an_anchor() -> None:
    """``? &a`` is an anchor (refused before keys are built), not a key of nothing."""
    found = problem("title: T\n? &a\n: v\n")
    assert (found.code, found.line, found.column) == ("yaml-alias", 1, 2)


def test_given_a_list_every_key_that_is_not_text_is_added_there_and_left_out() -> None:
    """A reader that goes on checking a file gets each key that is not text, at any
    depth (inside the value of one too), at its key, and the data without its entry;
    the first is still raised without the list."""
    text = ("title: T\n1: one\norigin: {da: x, true: y}\nx:\n- a\n- {b: 1, 1.5: x, ~: {2: z}}\n"
            "c: '1'\n")
    keys: list[YamlProblem] = []
    data, _ = yamlsafe.load_with_nodes(text, keys)
    assert data == {"title": "T", "origin": {"da": "x"}, "x": ["a", {"b": 1}], "c": "1"}
    assert [(p.code, p.line, p.column, p.field) for p in keys] == [
        ("wrong-type", 1, 0, "1"), ("wrong-type", 2, 16, "origin.true"),
        ("wrong-type", 5, 9, "x[1].1.5"), ("wrong-type", 5, 17, "x[1].~"),
        ("wrong-type", 5, 21, "x[1].~.2")]
    assert [p.message for p in keys][1:3] == [
        "key 'true' is true/false, not text; quote it", "key '1.5' is a number, not text; "
        "quote it"]
    found = problem(text)
    assert (found.line, found.column, found.field) == (1, 0, "1")


def test_a_key_that_is_not_text_is_no_field_to_locate() -> None:
    """Its entry is not in the data, so a field of the same text is the text key's."""
    assert locate("true: 1\n'true': 2\n", ("true",)) == (1, 8)


def test_a_key_with_dots_is_one_step_of_its_path() -> None:
    """Each step is one key as written: ``my.key`` is a key of its own, never ``my``'s
    ``key`` (nor ``a.b`` a's ``b``); a path the document lacks is placed at the deepest
    part of it there is."""
    text = "title: T\nmy.key: .inf\nother:\n  a.b: [1, .nan]\n  a: {b: 2}\n"
    assert locate(text, ("my.key",)) == (1, 8)
    assert locate(text, ("other", "a.b", 1)) == (3, 11)
    assert locate(text, ("other", "a", "b")) == (4, 9)
    assert locate(text, ("my", "key")) == locate(text, ()) == (0, 0)


def _flow(depth: int) -> str:
    return "x: " + "[" * depth + "]" * depth + "\n"


def _dashes(depth: int) -> str:
    return "x:\n" + "- " * depth + "z\n"


def _indented(depth: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "z\n"


@pytest.mark.parametrize("build", [_flow, _dashes, _indented])
def test_nesting_is_allowed_up_to_max_depth_only(build) -> None:
    # The root map is level 1; build(n) adds n more levels (the last one a scalar for
    # _indented, so it holds n maps).
    extra = 0 if build is _indented else 1
    load(build(MAX_DEPTH - extra))
    found = problem(build(MAX_DEPTH - extra + 1))
    assert found.code == "yaml-too-deep" and found.line is not None


def _in_a_list(depth: int) -> str:
    return "x:\n  a:\n    - " + "[" * (depth - 2) + "]" * (depth - 2) + "\n"


@pytest.mark.parametrize("build", [_flow, _dashes, _indented, _in_a_list])
def test_nesting_past_where_libyaml_stops_is_said_where_it_goes_too_deep(build) -> None:
    """libyaml stops some 1,000 levels down: its "exceeded maximum nesting depth" was
    said there, lines or columns past where the nesting went too deep."""
    levels = MAX_DEPTH + (1 if build is _indented else 0)
    expected, found = problem(build(levels)), problem(build(1_200))
    assert (found.code, found.message, found.line, found.column) == (
        "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", expected.line,
        expected.column)


@pytest.mark.parametrize("text", ["x: " + "[" * 100_000, "x: " + "{a: " * 50_000,
                                  "x:\n" + "- " * 5_000 + "z\n", "x:\n" + "? " * 5_000 + "z\n"])
def test_very_deep_nesting_is_refused_without_recursion(text: str) -> None:
    assert problem(text).code == "yaml-too-deep"


def _flat(items: int) -> str:
    return "x: [" + ", ".join(["1"] * items) + "]\n"


def _block(items: int) -> str:
    return "x:\n" + "- 1\n" * items


@pytest.mark.parametrize("build", [_flat, _block])
def test_values_are_counted_up_to_max_nodes(build) -> None:
    # The root map, the key x and the list are three values; the items fill the rest.
    assert len(load(build(MAX_NODES - 3))["x"]) == MAX_NODES - 3
    found = problem(build(MAX_NODES - 2))
    assert found.code == "yaml-too-large" and found.line is not None


def test_many_keys_are_counted_too() -> None:
    assert problem("".join(f"k{i}: v\n" for i in range(MAX_NODES // 2))).code == \
        "yaml-too-large"


@pytest.mark.parametrize("text", ["a: [1\n", "a: b: c\n", "a:\n  - x\n - y\n", "a: 'open\n",
                                  "a: 1\n---\nb: 2\n", "a: \"\\ud800\"\n", "a: \x01\n",
                                  "\tkey: x\n"])
def test_broken_yaml_is_a_located_syntax_problem(text: str) -> None:
    found = problem(text)
    assert found.code == "yaml-syntax"
    assert found.line is not None and found.column is not None


@given(st.text(max_size=200))
def test_any_text_loads_or_raises_yaml_problem_only(text: str) -> None:
    try:
        load(text)
    except YamlProblem as found:
        # (or a key that is no text: "?" is a null key, "1:" a number)
        assert found.code.startswith(("yaml-", "duplicate-key", "wrong-type"))


# ---- locate ---------------------------------------------------------------------------

DOC = """\
title: Biceps
origin:
  da: Skulderbladet.
  en: The shoulder blade.
function:
  - short: Flexes the elbow.
  - short:
      da: Drejer underarmen.
    extended: More.
exercises: [Curl, Chin-up]
coords:
  - "1,2,3,4,5,6"
empty:
"""


@pytest.mark.parametrize("field, where", [
    ("title", (0, 7)),
    ("origin", (1, 0)),  # a map: the key it is under
    ("origin.da", (2, 6)),
    ("origin.en", (3, 6)),
    ("function[0]", (5, 4)),
    ("function[0].short", (5, 11)),
    ("function[1].short.da", (7, 10)),
    ("function[1].extended", (8, 14)),
    ("exercises[1]", (9, 18)),
    ("exercises", (9, 11)),  # a [ list: where it starts, as a text
    ("exercises[5]", (9, 11)),  # a missing item of a [ list: the list
    ("coords[0]", (11, 4)),
    ("empty", (12, 0)),  # an empty value: its key
    ("function[7]", (4, 0)),  # a missing item: the key of its list
    ("origin.fr", (1, 0)),  # a missing key: the key of its map
    ("nothing", (0, 0)),  # a missing field: the document
])
def test_locate_finds_the_node_of_a_field_path(field: str, where: tuple[int, int]) -> None:
    assert locate(DOC, tuple(iter_paths(field))) == where


EMPTIES = """\
title: ""
latin: ''  # none
slug:
origin:
  da: ""
  "": d
function:
  - short: ""
note: |

exercises: [ok, ""]
"""


@pytest.mark.parametrize("field, where", [
    ("title", (0, 7)),  # an empty text written "": where it starts, as "   " is
    ("latin", (1, 7)),
    ("slug", (2, 0)),  # no value at all: its key
    ("origin.da", (4, 6)),
    ("origin.", (5, 6)),  # the key "": a step of its own
    ("function[0].short", (7, 11)),
    ("function[0].short.en", (7, 11)),
    ("note", (8, 6)),  # an empty | text: at the |
    ("exercises[1]", (10, 16)),
])
def test_an_empty_text_is_located_where_it_starts(field: str, where: tuple[int, int]
                                                   ) -> None:
    """``title: ""`` was placed at its key, ``title: "   "`` at the quote (and the key
    ``""`` of ``origin.`` at ``origin:``): a value is placed where it starts. The fast
    path agrees where it reads the text (the key ``""``, a flow list, an empty ``|``:
    libyaml alone)."""
    assert locate(EMPTIES, yamlsafe.steps(field)) == where
    data, places = yamlsafe.load_with_nodes("".join(EMPTIES.splitlines(keepends=True)[:5]))
    assert isinstance(places, dict)  # (the fast path's)
    assert data == {"title": "", "latin": "", "slug": None, "origin": {"da": ""}}
    assert [yamlsafe.find(places, yamlsafe.steps(field))
            for field in ("title", "latin", "slug", "origin.da")] == [
        (0, 7), (1, 7), (2, 0), (4, 6)]


def test_locate_without_a_document() -> None:
    assert locate("a: [1\n", ("a",)) is None
    assert locate("", ("a",)) is None


def test_locate_gives_the_same_answers_when_called_repeatedly() -> None:
    first = [locate(DOC, ("origin", lang)) for lang in ("da", "en")]
    other = locate("a: 1\nb: 2\n", ("b",))
    assert [locate(DOC, ("origin", lang)) for lang in ("da", "en")] == first
    assert other == (1, 3)


@pytest.mark.parametrize("field, steps", [
    ("title", ["title"]),
    ("function[2].short.da", ["function", 2, "short", "da"]),
    ("coords[10]", ["coords", 10]),
    ("a.b-c.d_e", ["a", "b-c", "d_e"]),
    ("origin.", ["origin", ""]),  # the key "" (an empty text)
    ("a..b", ["a", "", "b"]),
    ("", []),
])
def test_iter_paths(field: str, steps: list) -> None:
    assert list(iter_paths(field)) == steps


def test_loader_builds_only_plain_python_types() -> None:
    allowed = (str, int, float, bool, type(None), list, dict)

    def walk(value: object) -> None:
        assert isinstance(value, allowed)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(load(DOC + "n: 1\nf: 1.5\nb: true\nz: ~\n"))
    assert yamlsafe.StrictLoader.yaml_multi_constructors == {}


@pytest.mark.parametrize("other", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize(("before", "after", "column"), [
    ("title: Calf # note", "latin: Gastrocnemius\n", 18),  # the comment hid a field
    ("title: Calf", "muscle\n", 11),
    ("title: Calf\nexercises:\n  - Raise", "  - Squat\n", 9),
    ("title: Calf\nlatin: |\n  a", "b\n", 3),
    ("title: 'Calf'", "x: [\n", 13),  # before a syntax error: still the break is named
])
def test_other_line_breaks_outside_quotes_are_refused_where_they_are(
        other: str, before: str, after: str, column: int) -> None:
    """What editors show as one line, YAML 1.1 reads as two: named, never read."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(before + other + after)
    problem = caught.value
    assert problem.code == "yaml-syntax" and f"U+{ord(other):04X}" in problem.message
    assert (problem.line, problem.column) == (before.count("\n"), column)


@pytest.mark.parametrize("other", ["\u2028", "\u2029"])
def test_unicode_line_breaks_inside_quotes_are_text(other: str) -> None:
    text = f"title: \"Calf{other}muscle\"\nlatin: 'a{other}b'  # ok\n"
    assert load(text) == {"title": f"Calf{other}muscle", "latin": f"a{other}b"}


def test_next_line_is_refused_even_inside_quotes() -> None:
    """libyaml would fold it to a space; it is a control character no text may hold."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        load('title: Calf\nlatin: "a\x85b"\n')
    assert (caught.value.line, caught.value.column) == (1, 9)
    assert "U+0085" in caught.value.message


@pytest.mark.parametrize("other", ["\u2028", "\u2029"])
def test_places_count_only_newlines_as_line_breaks(other: str) -> None:
    """libyaml counts NEL and the Unicode separators as line breaks; the file does not."""
    text = f'title: "a{other}b{other}c"\nlatin: "x{other}y"\ncoords:\n  - "1,2,3,4"\n'
    _, node = yamlsafe.load_with_nodes(text)
    assert yamlsafe.find(node, ("coords", 0)) == (3, 4)
    assert yamlsafe.locate(text, ("latin",)) == (1, 7)
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text + "bad: [\n")
    assert (caught.value.line, caught.value.column) == (4, 5)  # the [ never closed


@pytest.mark.parametrize("text", ['title: "Soleus": the calf\n', "title: [a: b]: c\n",
                                  "title: x\n  y: z\n"])
def test_a_colon_hint_is_given_only_for_a_colon_inside_a_plain_value(text: str) -> None:
    """A quoted value, a flow collection or a wrongly indented key is not a plain value
    holding a colon: no advice to quote it."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert "put the value in quotes" not in caught.value.message


@pytest.mark.parametrize("text, place, message", [
    ('title: T\nlatin: "abc\nx: 1\n', (1, 7), "this quoted text is never closed"),
    ("title: 'X\n\n", (0, 7), "this quoted text is never closed"),
    ("origin: {da: a\n", (0, 8), "this { map is never closed"),
    ("exercises:\n  - [a, b\n  - c\n", (1, 4), "this [ list is never closed"),
    ("title: T\nbad: [\n\n", (1, 5), "this [ list is never closed"),
    ("title: A\nlatin: [B,\n  # comment\n", (1, 7), "this [ list is never closed"),
    ("title: A\nlatin: {a: 1,\n", (1, 7), "this { map is never closed"),
    ("a:\n  - [x, {y: 1,\n", (1, 8), "this { map is never closed"),  # (the innermost)
    ("title: T\norigin:\n\tda: x\n", (2, 0), "a tab indents this line"),
    ("title: T\norigin:\n  \tda: x\n", (2, 2), "a tab indents this line"),
    ("title: T\n\tlatin: x\n", (1, 0), "a tab indents this line"),
    ("title: T\nexercises:\n  -\tSquat\n", (2, 3), "a tab after this list item's '-': "
     "YAML separates an item from its '-' with spaces only (found character that cannot "
     "start any token"),
    ("title: T\nexercises:\n  - \tSquat\n", (2, 4), "a tab after this list item's '-'"),
    ("x:\n- -\tSquat\n", (1, 3), "a tab after this list item's '-'"),
    ("title: T\n\ufefflatin: x\n", (1, 0), "U+FEFF (a byte order mark) inside the text"),
    ("title: T\n...\n\nlatin: x\n", (1, 0), "... ends the YAML document, so the fields "
     "after it are not read: remove it (it closes front matter for Jekyll, not Hugo: "
     "close that with ---)"),
    ("\n%YAML 1.1\ntitle: T\n", (1, 0), "a % directive (such as %YAML)"),
    ("title: T\n...\n", (1, 0), "... ends the YAML document: remove it (it closes "
     "front matter for Jekyll, not Hugo: close that with ---)"),
    ("title: T\n... # end\n\n# c\n", (1, 0), "... ends the YAML document: remove it"),
    ("\n...\n", (1, 0), "... ends the YAML document: remove it"),
    ("title: Soleus: the calf\n", (0, 13), "a colon and a space inside the unquoted value "
     'of title make YAML read a second key: put the value in quotes, title: "Soleus: the '
     'calf" (mapping values are not allowed in this context)'),
    ('origin:\n  da: Tibia: "x" # c\n', (1, 11), "a colon and a space inside the unquoted "
     "value of da make YAML read a second key: put the value in quotes, da: 'Tibia: "
     '"x"\''),
    ("title: Soleus:\n", (0, 13), "a colon at the end of the unquoted value of title makes "
     'YAML read a second key: put the value in quotes, title: "Soleus:" (mapping values '
     "are not allowed in this context)"),
    ("title: Soleus: # a note\n", (0, 13), "a colon at the end of the unquoted value of "
     'title makes YAML read a second key: put the value in quotes, title: "Soleus:"'),
    ("title: Soleus:\tthe calf\n", (0, 13), "a colon and a tab inside the unquoted value "
     "of title make YAML read a second key"),
])
def test_a_syntax_problem_is_placed_and_named_where_its_cause_is(
        text: str, place: tuple[int, int], message: str) -> None:
    """libyaml finds a quote or bracket left open at the end of the text (the closing
    --- to the user), says "found character that cannot start any token" of a tab and
    "did not find expected key" one column after an invisible byte order mark."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert (caught.value.line, caught.value.column) == place
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize("text, field", [
    ("title: Soleus:\n", "title"), ("title: Soleus: the calf\n", "title"),
    ("origin:\n  en: calf:\n", "origin.en"), ("x:\n  - a: b: c\n", "x[0].a"),
])
def test_a_colon_in_a_plain_value_names_the_field_of_that_value(text: str,
                                                                field: str) -> None:
    """libyaml breaks off after the value, read whole: its field was not named."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert caught.value.field == field
    assert "put the value in quotes" in caught.value.message


@pytest.mark.parametrize("text, place, field, message", [
    ("title: T\norigin:\n  en: x\nlatin L\nimage: a.png\n", (3, 0), "",
     "no ':' after the key on this line: write latin: L (could not find expected ':' "
     "(while scanning a simple key))"),
    ("title: T\nexercises:\n  - Squat\n  Lunge\nlatin: L\n", (3, 2), "exercises",
     "no '- ' before this item of the list: write - Lunge; or, if this line goes on with "
     "the text of exercises[0] above, indent it further than that item's '- ' (or quote "
     "that text) (could not"),
    ("title:Soleus\nlatin: L\n", (0, 5), "title", "no space after the ':' of title, so "
     "YAML reads title:Soleus as text: write title: Soleus (mapping values are not "
     "allowed in this context)"),
    ("title: T\nx:\n  - a: 1\n  - b c\n    d: 2\n", (3, 4), "x[1]",
     "no ':' after the key on this line, so YAML reads the item as the text 'b c' and d: "
     "below it cannot be a key of it: write - b: c (mapping values are not allowed"),
    ("title: T\n- a\n", (1, 0), "", "a list item where a 'key: value' line is expected: "
     "put it under a key such as exercises:, indented (did not find expected key"),
])
def test_a_line_missing_its_colon_dash_or_space_is_placed_and_named_there(
        text: str, place: tuple[int, int], field: str, message: str) -> None:
    """libyaml finds each on the line after it: it was placed there, in the field
    before it (origin, not the top level) or none."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    found = caught.value
    assert ((found.line, found.column), found.field) == (place, field)
    assert found.message.startswith(message)


def test_a_quote_closed_only_by_the_next_quote_lines_below_is_placed_where_it_opens(
        ) -> None:
    """It was said at that next quote (did not find expected key), naming no field."""
    text = ('title: "Soleus\nlatin: Musculus soleus\norigin:\n  en: Back of the tibia.\n'
            'coords:\n  - "10,10,20,10,20,20"\n')
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    found = caught.value
    assert (found.line, found.column, found.field) == (0, 7, "title")
    assert found.message == (
        "this quoted text is never closed on its line, so YAML reads on as its text up "
        "to the \" 5 lines below ('latin: Musculus soleus' and all): close it (did not "
        "find expected key (while parsing a block mapping))")


def test_a_lone_surrogate_beside_a_line_separator_is_a_problem_not_a_crash() -> None:
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load('a: "\u2028"\nb: \ud800\n')
    assert (caught.value.line, caught.value.column) == (1, 3)
    assert "lone surrogate" in caught.value.message


def test_comments_are_found_outside_scalars_only() -> None:
    text = ("a: |  # header\n  x # text\nb: 'q # text'  # after # all of it\nc: d#e\n"
            "# own line\nl:\n  - # item\n  - >\n    # text\n")
    assert yamlsafe.comments(text) == [(0, 6, "# header"), (2, 15, "# after # all of it"),
                                       (4, 0, "# own line"), (6, 4, "# item")]
    assert yamlsafe.comments("") == [] and yamlsafe.comments("a: b") == []


def test_comments_of_a_long_front_matter_cost_one_pass() -> None:
    # 200,000 comment lines, as under the 4 MiB limit: each line was counted from the
    # start of the text again (70 s); fmt looks for every comment twice.
    text = "title: M\n" + "# c\n  # d  \n" * 100_000
    started = time.process_time()
    found = yamlsafe.comments(text)
    assert time.process_time() - started < 20
    assert len(found) == 200_000
    assert found[:2] == [(1, 0, "# c"), (2, 2, "# d")]
    assert found[-1] == (200_000, 2, "# d")


def test_many_problems_in_one_map_are_each_placed_at_their_key(tmp_path) -> None:
    """Each was found by a walk over the whole map (20,000 bad language keys: minutes)."""
    import converter

    count = 3000
    path = tmp_path / "m.md"
    path.write_text("---\ntitle: A\norigin:\n" + "".join(
        f"  X{i}: Text {i}\n" for i in range(count)) + "---\n", encoding="utf-8")
    with pytest.raises(converter.MuscleError) as caught:
        converter.read(path)
    assert [(d.line, d.field) for d in caught.value.diagnostics] == [
        (4 + i, f"origin.X{i}") for i in range(count)]
