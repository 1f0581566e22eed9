"""The fast path gives what libyaml's loader gives, values and places, or steps aside."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import blockyaml, yamlsafe
from converter.yamlsafe import YamlProblem, plain_value
from formats.markdown import decode, split
from tests.conftest import SAMPLES, SEED

KEYS = ["a", "b", "da", "en", "no", "on", "x_y", "k-1", "true", "Null", "short", "_"]
#: Plain values that resolve to every type, YAML 1.1 traps and near misses included.
PLAIN = ["1", "-2", "010", "0x1F", "1.5", "1e5", "1.0e+5", ".inf", "-.Inf", ".nan", "~",
         "null", "NULL", "true", "False", "yes", "no", "1_000", "1:30", "2001-01-01",
         "12345678901234567890123", "9" * 5000, "Hælbenet", "a b  c", "C#", "a #b", "a:b",
         "a: b", "x:", "http://x.dk/a.jpg", "/assets/x.jpg", "[]", "{}", "[ ]", "[a]",
         "{a: 1}", "-", "-x", "?x", ":x", "&a x", "*a", "!!str 1", "!x y", "|", ">", "|-",
         ">+", "> # c", "%x", "@x", "`x", "a, b", "a ]"]
QUOTED = ['""', "''", '"a" # c', "'a' #c", "'a'#c", '"a"#c', "'a'' #c'", '"a"', "'a'",
          "'it''s'", "''''", "'''", '"a"b"', "'a' b", '"a" ', '"a\\nb"',
          '"# not a comment"', "'a: b'", '"', "'", '"x', "'x"]
FILLER = ["", "# a comment", "  # indented comment", "   ", "---", "...", "%YAML 1.2",
          "\t", "a\tb: c", "x\r", "\ufeff", "\u2028", "\xa0", "plain words", "- - a", "-",
          "- ", "? a", ": b"]


@st.composite
def near_yaml(draw: st.DrawFn) -> str:
    """Lines of block YAML, well formed or not: entries, comments, odd indents."""
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 2, 4, 1, 3, 6]))
        key = draw(st.sampled_from(KEYS))
        value = draw(st.sampled_from(PLAIN + QUOTED))
        shape = draw(st.sampled_from(["{k}: {v}", "{k}:", "- {v}", "- {k}: {v}", "- {k}:",
                                      "{k}:   {v}  ", "-   {k}: {v}", "{k}: >", "{k}: |",
                                      "{v}", "filler"]))
        line = draw(st.sampled_from(FILLER)) if shape == "filler" else \
            shape.format(k=key, v=value)
        lines.append(indent + line)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


TEXT_KEYS = [key for key in KEYS if isinstance(plain_value(key), str)]
scalars = st.one_of(st.sampled_from([*PLAIN, "text", "two words", "Æbletræ"]),
                    st.text(st.sampled_from("ab æø:#'\"-_.,!&*[]{}>|\\"), max_size=10),
                    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                            max_size=6),
                    st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
_keys = st.sampled_from([*TEXT_KEYS, "origin", "exercises", "true"])


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists hold text and maps (a list right in a list is written "-" then the list,
    which the fast path leaves to libyaml)."""
    maps = st.dictionaries(_keys, inner, max_size=4)
    return st.one_of(st.lists(st.one_of(scalars, maps), max_size=4), maps)


data = st.recursive(scalars, _nested, max_leaves=20)


@st.composite
def block_yaml(draw: st.DrawFn) -> str:
    """A random document written out in block style, with random indents, quoting,
    comments and block scalars: mostly inside the fast path's part of YAML."""
    def scalar(value: Any) -> list[str] | str:
        if isinstance(value, str):
            style = draw(st.sampled_from(["plain", "double", "single", "folded", "literal"]))
            if style == "double":
                return f'"{value}"'
            if style == "single":
                return "'" + value.replace("'", "''") + "'"
            if style in ("folded", "literal") and value and "\n" not in value:
                words = value.split(" ")
                cut = draw(st.integers(1, max(1, len(words))))
                return [">" if style == "folded" else "|",
                        " ".join(words[:cut]), " ".join(words[cut:])]
            return value
        if isinstance(value, bool) or value is None:
            return draw(st.sampled_from(["true", "True"] if value else
                                        ["false", "FALSE"] if value is False else
                                        ["null", "~", ""]))
        return repr(value)

    def write(value: Any, indent: int) -> list[str]:
        step = draw(st.sampled_from([2, 2, 1, 4]))
        pad = " " * indent
        out = []
        if draw(st.integers(0, 9)) == 0:
            out.append(pad + draw(st.sampled_from(["# note", "", "  "])))
        if isinstance(value, dict) and value:
            for key, item in value.items():
                out.extend(entry(f"{pad}{key}:", item, indent, step))
        elif isinstance(value, list) and value:
            for item in value:
                dash = "-" + " " * draw(st.sampled_from([1, 1, 2]))
                inner = write(item, indent + len(dash)) if isinstance(item, dict) and item \
                    else None
                if inner:
                    first = inner[0].lstrip(" ") if inner[0].strip() else None
                    if first is not None and not first.startswith("#"):
                        out.append(pad + dash + first)
                        out.extend(inner[1:])
                        continue
                out.extend(entry(pad + dash.rstrip(" "), item, indent, step))
        return out

    def entry(head: str, value: Any, indent: int, step: int) -> list[str]:
        if isinstance(value, (dict, list)):
            if not value:
                return [f"{head} {'{}' if isinstance(value, dict) else '[]'}"]
            return [head, *write(value, indent + step)]
        written = scalar(value)
        if isinstance(written, list):
            pad = " " * (indent + step)
            after = draw(st.sampled_from([[], [], [""], ["", pad + "# text, not a comment"],
                                          ["", pad + " "]]))  # (empty lines end it, or not)
            return [f"{head} {written[0]}", *(pad + line for line in written[1:] if line),
                    *after]
        return [f"{head} {written}" if written else head]

    value = draw(st.dictionaries(st.sampled_from(TEXT_KEYS), data, min_size=1, max_size=5))
    return "\n".join(write(value, 0)) + "\n"


def _same(a: Any, b: Any) -> bool:
    """Equal, with types (``True`` is not ``1``) and NaN equal to itself."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path, (*path, "missing"), (*path, 99)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def agrees(text: str) -> bool:
    """Assert the fast path agrees with libyaml on ``text``; whether it answered."""
    quick = blockyaml.load(text, plain_value)
    if quick is None:
        return False
    try:
        value, node = yamlsafe.load_with_libyaml(text)
    except YamlProblem as problem:
        raise AssertionError(f"the fast path read what libyaml refuses: {problem}") from None
    fast, places = quick
    assert _same(fast, value), (text, fast, value)
    for path in _paths(value):
        assert blockyaml.find(places, path) == yamlsafe.find(node, path), (text, path)
    return True


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(near_yaml())
def test_lines_of_near_yaml_are_read_as_libyaml_reads_them_or_left_to_it(text: str) -> None:
    agrees(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(block_yaml())
def test_documents_in_block_style_are_read_as_libyaml_reads_them(text: str) -> None:
    agrees(text)


def test_generated_documents_mostly_take_the_fast_path() -> None:
    """The equality tests above say something only if the fast path answers often."""
    answered = []

    @settings(max_examples=300, database=None, derandomize=True)
    @given(block_yaml())
    def count(text: str) -> None:
        answered.append(agrees(text))

    count()
    assert sum(answered) > len(answered) / 4


def test_the_seed_and_every_sample_take_the_fast_path() -> None:
    for path in [SEED, *sorted(SAMPLES.glob("*.md"))]:
        front = split(decode(path.read_bytes(), str(path)), str(path))[0]
        assert agrees(front), path


@pytest.mark.parametrize("text, value", [
    ("a: >\n  one\n  two\nb: 1\n", {"a": "one two\n", "b": 1}),
    ("a: |\n  one\n  # two\n", {"a": "one\n# two\n"}),
    ("- x: 1\n  y: 'it''s'\n- []\n", [{"x": 1, "y": "it's"}, []]),
    ("no: on\nn: ~\n", {"no": "on", "n": None}),
    ("a:\n  - \"1\"\n  - 1\n", {"a": ["1", 1]}),
    ("a: 1 # c\nb: 'x''' # c\nc:  # c\n  - \"y\"  # c\n",
     {"a": 1, "b": "x'", "c": ["y"]}),
    ("a: |\n  one\n\nb: 1\n", {"a": "one\n", "b": 1}),       # empty lines end a block
    ("a: >\n  one\n  two\n\n\n", {"a": "one two\n"}),           # ... and the document
    ("a: |\n  one\n\n# c\nb: 1\n", {"a": "one\n", "b": 1}),  # a comment below the key
])
def test_what_the_fast_path_reads(text: str, value: Any) -> None:
    assert agrees(text)
    assert _same(yamlsafe.load(text), value)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",              # a duplicate: libyaml's loader names it
    "a: b\n  c\n",               # a value continued on the next line
    "a: [1, 2]\n",               # flow collections
    "a: &x 1\nb: *x\n",          # anchors
    "a: !!str 1\n",              # tags
    "a: \"b\\tc\"\n",            # escapes
    "a:\n- 1\n",                 # a list not indented under its key
    "a: >-\n  x\n",              # chomping indicators
    "a: >\n  x\n\n  y\n",        # a blank line inside a block scalar
    "a: |\n  x\n\n  # y\n",      # ... then a line of its text that looks like a comment
    "a:\n  da: |\n    x\n\n    # y\nb: 1\n",
    "a: |\n  x\n   \nb: 1\n",      # spaces only, more than its indent: a line of it
    "a: x\tb\n",                 # tabs
    "true: 1\n",                 # a key that is not text
    "a: 1 #comment\n  b: 2\n",   # a comment, then a continued value
    "a: " + "9" * 5000 + "\n",   # a number too long to convert
])
def test_what_the_fast_path_leaves_to_libyaml(text: str) -> None:
    assert blockyaml.load(text, plain_value) is None
