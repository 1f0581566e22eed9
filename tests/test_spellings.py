"""How diagnostics name options, in the caller's words and in the threads a format
starts."""

from __future__ import annotations

import math
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter import spellings
from converter.diagnostics import printable
from tests.conftest import WAIT


def test_a_value_with_a_control_character_is_typed_as_the_caller_types_it() -> None:
    """The command line's in bash's $'...' quoting (its escapes, a quote too); the
    Python API's as a keyword given the value."""
    assert spellings.COMMAND_LINE.typed("separator", "\t") == "--separator $'\\t' in bash"
    assert spellings.COMMAND_LINE.typed("x", "a'b\\\x01") == "--x $'a\\'b\\\\\\U00000001' in bash"
    assert spellings.PYTHON_API.typed("separator", "\t") == "separator='\\t'"


def test_a_config_files_value_with_a_control_character_is_typed_in_toml() -> None:
    """A config file's separator was hinted as the command line types it (``--separator
    $'\\t' in bash``); it is a TOML basic string, a key with dashes."""
    import tomllib

    assert spellings.CONFIG_FILE.typed("separator", "\t") == 'separator = "\\t"'
    typed = spellings.CONFIG_FILE.typed("link_template", 'a"b\\\x01\x7f')
    assert typed == 'link-template = "a\\"b\\\\\\u0001\\u007f"'
    assert tomllib.loads(typed) == {"link-template": 'a"b\\\x01\x7f'}


def test_a_thread_a_format_starts_spells_options_as_its_call() -> None:
    """A thread a format started itself named options as the command line does whoever
    called (a thread starts with every context variable at its default): started with
    start_thread, it spells them as the call that started it."""
    seen: list[tuple[str, spellings.Spelling]] = []

    def look(name: str) -> None:
        seen.append((name, spellings.spelling()))

    with spellings.spelled(spellings.PYTHON_API):
        spellings.start_thread(look, "api", name="looking").join(WAIT)
    spellings.start_thread(look, "cli").join(WAIT)
    assert seen == [("api", spellings.PYTHON_API), ("cli", spellings.COMMAND_LINE)]


def test_a_config_file_names_an_option_by_its_key_but_one_typed_as_a_flag() -> None:
    """A config file's options were named as flags (``--to json``, ``needs --size WxH``)
    that no one typed: they are its keys, their values in TOML, but those the command
    line gave."""
    import dataclasses

    named = spellings.CONFIG_FILE
    assert named.given("to", "json") == 'to = "json"'
    assert named.given("flat") == "flat = true"
    assert named.offered("flat") == "set flat = true"  # (a key is set: no flag passed)
    assert named.option("base_image") == "base-image"
    assert named.together(named.given("to", "csv"), named.given("flat")) == \
        'to = "csv", flat = true'
    typed = dataclasses.replace(named, flags=frozenset({"to"}))
    assert (typed.given("to", "json"), typed.given("size", "WxH")) == (
        "--to json", 'size = "WxH"')
    assert (typed.offered("to", "json"), spellings.COMMAND_LINE.offered("flat"),
            spellings.PYTHON_API.offered("flat")) == (
        "pass --to json", "pass --flat", "pass flat=True")


def test_an_option_typed_on_the_command_line_is_typed_as_the_command_line_types_it() -> None:
    """``typed`` named the config file's key for an option of ``flags`` too (``separator
    = "\\t"`` beside ``--separator`` for a --separator typed with a config file read):
    an option given on the command line is typed as the command line types it."""
    import dataclasses

    typed = dataclasses.replace(spellings.CONFIG_FILE, flags=frozenset({"separator"}))
    assert typed.typed("separator", "\t") == spellings.COMMAND_LINE.typed("separator", "\t")
    assert typed.typed("link_template", "\t") == 'link-template = "\\t"'


@given(st.text(st.characters(codec="utf-8"), max_size=30))
def test_a_config_files_value_is_one_shown_line_a_toml_reader_takes_back(text: str) -> None:
    """A config file's value was quoted as JSON quotes it (``typed`` escaping DEL too):
    ``given`` left DEL raw, which TOML refuses, and both left raw what a diagnostic
    shows as a Python escape (``\\x85``, ``\\u2028``), one TOML lacks or reads
    otherwise. Each is now one shown line that a TOML reader takes back as the value."""
    for line in (spellings.CONFIG_FILE.typed("link_template", text),
                 spellings.CONFIG_FILE.given("link_template", text)):
        assert printable(line) == line and len(f"{line}.".splitlines()) == 1
        assert tomllib.loads(line) == {"link-template": text}


def test_a_config_files_list_of_texts_is_typed_in_toml() -> None:
    """A list's texts are quoted alike (JSON left DEL raw in them too)."""
    line = spellings.CONFIG_FILE.given("exclude", ["a\x7f", 'b"\\'])
    assert line == 'exclude = ["a\\u007f", "b\\"\\\\"]'
    assert tomllib.loads(line) == {"exclude": ["a\x7f", 'b"\\']}


@given(st.floats() | st.lists(st.floats(), max_size=3))
def test_a_config_files_number_is_toml_infinity_and_nan_too(value: float | list[float]) -> None:
    """A float was written as JSON writes it: infinity ``Infinity`` and NaN ``NaN``, no
    TOML (``x = Infinity`` does not load). TOML's ``inf``, ``-inf`` and ``nan`` are
    written; a TOML reader takes each float back (NaN as a NaN)."""
    line = spellings.CONFIG_FILE.given("x", value)
    read = tomllib.loads(line)["x"]
    values, reads = (value, read) if isinstance(value, list) else ([value], [read])
    assert len(reads) == len(values)
    for want, got in zip(values, reads, strict=True):
        assert isinstance(got, float)
        assert math.isnan(got) if math.isnan(want) else got == want


_SCALARS = st.booleans() | st.integers() | st.floats() | st.text(st.characters(codec="utf-8"),
                                                               max_size=5)


def _same(read: object, value: object) -> bool:
    """Whether TOML's reading ``read`` is ``value``: of the same type, NaN as a NaN."""
    if isinstance(value, list):
        return isinstance(read, list) and len(read) == len(value) \
            and all(_same(got, want) for got, want in zip(read, value, strict=True))
    if isinstance(value, float) and math.isnan(value):
        return isinstance(read, float) and math.isnan(read)
    return type(read) is type(value) and read == value


@given(st.none() | _SCALARS | st.lists(_SCALARS | st.lists(_SCALARS, max_size=2), max_size=3))
def test_each_value_a_config_file_is_given_is_a_line_of_toml(value: object) -> None:
    """None was written as JSON writes it, ``x = null``, which no TOML reader loads
    (TOML has no null). It is now the key left out, a comment saying so (``# remove
    x``), which loads as no key; every other value a line that loads as it, and offered
    as ``set`` it (None: ``remove x``)."""
    line = spellings.CONFIG_FILE.given("x", value)
    read = tomllib.loads(line)
    if value is None:
        assert (line, read) == ("# remove x", {})
        assert spellings.CONFIG_FILE.offered("x", value) == "remove x"
        return
    assert list(read) == ["x"] and _same(read["x"], value)
    assert spellings.CONFIG_FILE.offered("x", value) == f"set {line}"


@pytest.mark.parametrize("value", [[1, None], {"a": 1}, ("a", {"b": None})])
def test_a_value_toml_cannot_hold_is_refused_not_written_as_json(value: object) -> None:
    """A None in a list, or a map, was written as JSON writes it (``[1, null]``, ``{"a":
    1}``), no TOML: no line holds it, so it is a ``TypeError`` naming it."""
    with pytest.raises(TypeError, match="a config file has no value for"):
        spellings.CONFIG_FILE.given("x", value)
