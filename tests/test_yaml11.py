"""What Jekyll (Debian's 4.3.1: Ruby's Psych) and Hugo (Debian's 0.111: Go's yaml.v2)
read of plain scalars, held to the real readers: converter.yaml11 must not guess."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from converter import canonical, yaml11, yamlsafe
from tests.hugo import hugo_pages
from tests.jekyll import jekyll_reads

#: Plain scalars this tool reads as text, of every form the readers may take otherwise
#: (and near misses that they read as text too).
FORMS = [
    "off", "Off", "OFF", "oFF", "no", "No", "nO", "yes", "Yes", "yEs", "on", "ON", "oN",
    "y", "Y", "n", "N", "tRUE", "fAlse", "NuLl", "nULL", "0x1F", "0X1F", "0x1f", "-0x1F",
    "017", "-017", "0o17", "0O17", "-0o17", "0b101", "0B101", "-0b101", "08", "09", "007",
    "00", "0_7", "1_000", "1,000", "1,0", "+1_000", "1__0", "1_", "_1", "12:30", "0:30",
    "09:15", "00:59:59", "1:30.5", "-1:30", "+1:30", "1:60", "1_0:30", "2001-01-01",
    "2001-1-1", "2024-6-5", "2001-02-30", "2001-13-01", "1500-02-29", "1900-02-29",
    "2000-02-29", "1582-10-10", "2001-01-01 10:00:00 +0100", "2001-01-01T10:00:00Z",
    "-2001-01-01 10:00:00", "2001-01-01 10:00:00", "2001-02-31 10:00:00",
    "2001-13-01 10:00:00", "2001-01-01 10:61:00", "2001-1-1 1:00:00.5 -5", ".iNf",
    "-.INf", ".nAn", "1e3", "1E3", "1e+3", "1.0e3", "+1e3", "1.5e3", ".5e3", "-.5E3",
    ".e+1", "1,5.2", "1_.5", "0x,", "0b1,0", "0x1,F", "0x_1F", "0x", "0b", "0o", "0xG",
    "9223372036854775808", "-9223372036854775809", "18446744073709551616",
    "123456789012345678901234567890", "1,2,3", "422,216,435,216", "12:60", "1:2:3:4",
    "0.1.2", "1.2.3", "+", "-1-", ":x", ":D", "=", "y es", "yes!", "Yesterday", "note",
    "1,5", "10,000", "1:30", "10:30", "2024-05-01", "1e400", "-1E400", "1_" + "0" * 400,
]

def _text_forms() -> list[str]:
    forms = [f for f in FORMS if isinstance(yamlsafe.load(f"k: {f}\n")["k"], str)]
    assert len(forms) > 100  # (none of them lost to a typo)
    return forms


def _expected_psych(cls: str, value: Any, form: str) -> Any:
    """What :func:`yaml11.psych` should say of what Ruby read."""
    if cls in ("String", "Symbol"):
        return form
    if cls == "ERROR":  # (Psych.safe_load refuses a Symbol: counted as text, see yaml11)
        return form if form.startswith(":") else yaml11._FAILS
    if cls == "Date":
        return yaml11.DATE
    if cls == "Time":
        return yaml11.TIME
    if cls == "Float":
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(value, value)
    return value


def _same(mine: Any, theirs: Any) -> bool:
    if isinstance(mine, float) and isinstance(theirs, float) and math.isnan(mine):
        return math.isnan(theirs)
    if type(mine) is int and type(theirs) is int:  # (exactly: past a float's range too)
        return mine == theirs
    if isinstance(mine, int | float) and isinstance(theirs, int | float) \
            and not isinstance(mine, bool) and not isinstance(theirs, bool):
        return float(mine) == float(theirs)  # (Go's JSON writes a float as a whole number)
    return type(mine) is type(theirs) and mine == theirs


def test_psych_is_read_as_jekyll_reads_each_form(tmp_path: Path) -> None:
    forms = _text_forms()
    read = jekyll_reads(forms, tmp_path / "site")
    wrong = [(form, cls, value, yaml11.psych(form))
             for form, (cls, value) in zip(forms, read, strict=True)
             if not _same(yaml11.psych(form), _expected_psych(cls, value, form))]
    assert wrong == []


def test_go_yaml_v2_is_read_as_hugo_reads_each_form(tmp_path: Path) -> None:
    forms = _text_forms()
    read = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in forms], tmp_path / "site")]
    wrong = [(form, theirs, yaml11.go_yaml_v2(form)) for form, theirs in
             zip(forms, read, strict=True) if not _same(yaml11.go_yaml_v2(form), theirs)]
    assert wrong == []


@pytest.mark.parametrize("form", FORMS)
def test_whatever_a_reader_misreads_the_writer_quotes(form: str) -> None:
    """fmt changes what the readers get exactly where it quotes: every misread form is
    one the writer quotes (so fmt refuses rather than quoting it silently)."""
    if yaml11.readings(form):
        assert yamlsafe.plain_misread(form)


@pytest.mark.parametrize(("form", "message"), [
    ("off", 'plain off reads as false in YAML 1.1 (Jekyll, Hugo) but as the text "off" '
     "here"),
    ("12:30", 'plain 12:30 reads as the number 45000 in YAML 1.1 (Jekyll) but as the '
     'text "12:30" here'),
    ("08", 'plain 08 reads as the number 8.0 in YAML 1.1 (Hugo) but as the text "08" '
     "here"),
    ("! off", '! off reads as false in YAML 1.1 (Jekyll) but as the text "off" here'),
    ("! 7", '! 7 reads as the text "7" in YAML 1.1 (Hugo) but as the number 7 here'),
    ('! "7"', '! "7" reads as the text "7" in YAML 1.1 (Hugo) but as the number 7 here'),
    ("! true", '! true reads as the text "true" in YAML 1.1 (Hugo) but as true here'),
    ("! ~", '! ~ reads as the text "~" in YAML 1.1 (Hugo) but as null here'),
])
def test_the_message_names_what_each_reader_reads(form: str, message: str) -> None:
    [found] = yaml11.misreads_in(f"\nk: {form}\n", {"k"})
    assert (found.line, found.column, found.field, found.message()) == (1, 3, "k", message)


@pytest.mark.parametrize(("form", "read"), [
    ("1,5", (("Jekyll", 15),)), ("10,000", (("Jekyll", 10000),)),
    ("1:30", (("Jekyll", 5400),)), ("10:30", (("Jekyll", 37800),)),
    ("2024-05-01", (("Jekyll", yaml11.DATE),)), ("1_000", (("Jekyll", 1000), ("Hugo", 1000))),
    ("0x1F", (("Jekyll", 31), ("Hugo", 31))), ("017", (("Jekyll", 15), ("Hugo", 15))),
    ("1e3", (("Hugo", 1000.0),)), ("weight", ()), ("1.5 kg", ()),
])
def test_everyday_forms_read_as_the_real_readers_read_them(form: str, read: tuple) -> None:
    """The verdicts of Debian's Jekyll 4.3.1 and Hugo 0.111 (the tests above build both):
    Jekyll's Psych reads commas out of a number and ``10:30`` in base 60."""
    assert yaml11.readings(form) == read


#: Tagged scalars this tool reads as text: with the tag !!str (each a misread form
#: written plain) and with the non-specific tag ``!``.
TAGGED = ["!!str off", "!!str 0x1F", "!!str 017", "!!str 12:30", "!!str 2001-01-01",
          "!!str 1e3", "!!str 1,000", "!<tag:yaml.org,2002:str> yes", "! off", "! 0x1F",
          "! 12:30", "! 1e3", "! 2001-01-01", "! note"]


def test_a_tagged_scalar_is_a_misread_of_just_the_readers_that_read_it_otherwise(
        tmp_path: Path) -> None:
    """``!!str off`` is the text "off" to Jekyll and Hugo as here: it was a warning
    (plain off reads as false), and fmt refused the file. ``! off`` is false to Jekyll
    only."""
    jekyll = jekyll_reads(TAGGED, tmp_path / "jekyll")
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in TAGGED], tmp_path / "hugo")]
    wrong = []
    for form, (cls, value), go in zip(TAGGED, jekyll, hugo, strict=True):
        ours = yamlsafe.load(f"k: {form}\n")["k"]
        otherwise = [reader for reader, same in (("Jekyll", (cls, value) == ("String", ours)),
                                                 ("Hugo", go == ours)) if not same]
        found = [reader for misread in yaml11.misreads_in(f"\nk: {form}\n", {"k"})
                 for reader, _ in misread.readings]
        if found != otherwise:
            wrong.append((form, found, otherwise))
    assert wrong == []


#: Scalars with the non-specific tag ``!`` that this tool reads as a number, true/false
#: or null, as Jekyll does (Hugo reads the text), quoted ones too.
TYPED = ["! 7", "! -3", "! +1", "! 0", "! 1.5", "! .5", "! 1.", "! 1.0e+3", "! 1.10",
         "! true", "! True", "! FALSE", "! ~", "! null", "! NULL", '! "7"', "! 'true'",
         '! ""', "! 12345678901234567890123", "!   7 # note"]


def test_a_value_tagged_non_specific_is_a_misread_of_the_readers_that_read_the_text(
        tmp_path: Path) -> None:
    """``k: ! 7`` is 7 here and to Jekyll but the text "7" to Hugo: no warning was given,
    and fmt wrote ``7``, which Hugo reads as the number. Each is a misread of exactly
    the readers that read otherwise than this tool."""
    jekyll = jekyll_reads(TYPED, tmp_path / "jekyll")
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in TYPED], tmp_path / "hugo")]
    wrong = []
    for form, (cls, value), go in zip(TYPED, jekyll, hugo, strict=True):
        ours = yamlsafe.load(f"k: {form}\n")["k"]
        assert not isinstance(ours, str), form
        otherwise = [reader for reader, same in (
            ("Jekyll", cls != "String" and _same(_expected_psych(cls, value, form), ours)),
            ("Hugo", _same(go, ours))) if not same]
        found = [(misread.line, misread.column, reader) for misread in
                 yaml11.misreads_in(f"\nk: {form}\n", {"k"}) for reader, _ in misread.readings]
        if found != [(1, 3, reader) for reader in otherwise] or otherwise != ["Hugo"]:
            wrong.append((form, found, otherwise))
    assert wrong == []


@pytest.mark.parametrize(("form", "here", "instead", "json"), [
    ("! 1.10", "the number 1.10", '"1.10" (text) or 1.10', '{"k":1.10}'),
    ('! "1.10"', "the number 1.10", '"1.10" (text) or 1.10', '{"k":1.10}'),
    ("! 1.0e+3", "the number 1.0e+3", '"1.0e+3" (text) or 1.0e+3', '{"k":1.0e+3}'),
    ("! +1", "the number +1", '"+1" (text) or +1', '{"k":1}'),
    ("! .5", "the number .5", '".5" (text) or .5', '{"k":0.5}'),
    ("! 7", "the number 7", '"7" (text) or 7', '{"k":7}'),
])
def test_a_value_tagged_non_specific_is_said_as_this_tool_keeps_it(
        form: str, here: str, instead: str, json: str) -> None:
    """``k: ! 1.10`` was warned of as read "as the number 1.1 here" (write ... or 1.1),
    where this tool keeps 1.10 as written (JSON writes ``1.10``, Markdown ``1.10``): the
    warning says the number as this tool keeps it. (Jekyll reads 1.1, Hugo the text
    "1.10": ``TYPED`` above, held to both.)"""
    [found] = yaml11.misreads_in(f"\nk: {form}\n", {"k"})
    assert found.message() == (f'{form} reads as the text "{form[2:].strip(chr(34))}" in '
                               f"YAML 1.1 (Hugo) but as {here} here")
    assert found.instead() == instead
    assert canonical.extra_json(yamlsafe.load(f"k: {form}\n"), (",", ":")) == json


#: Values tagged ``!`` this tool reads as a number no float holds as written, which
#: Jekyll and Hugo read written plain as another (``1.0e-400``: 0.0).
UNHELD = ["! 1.0e-400", "! -1.0e-400", "! 0.10000000000000000001"]


def test_the_value_a_warning_offers_is_read_as_this_tool_reads_it(tmp_path: Path) -> None:
    """``k: ! 1.0e-400`` was warned of with ``write "1.0e-400" (text) or 1.0e-400``,
    which Jekyll and Hugo read as 0.0: a value offered is one both read as this tool
    does, written plain, or none is offered."""
    forms = TYPED + UNHELD
    advice = [yaml11.misreads_in(f"\nk: {form}\n", {"k"})[0].instead() for form in forms]
    offered = [(form, said.split(" or ")[1]) for form, said in zip(forms, advice, strict=True)
               if " or " in said]
    jekyll = jekyll_reads([value for _, value in offered], tmp_path / "jekyll")
    hugo = [page.get("k") for page in hugo_pages(
        [f"---\ntitle: T\nk: {value}\n---\n" for _, value in offered], tmp_path / "hugo")]
    wrong = []
    for (form, value), (cls, read), go in zip(offered, jekyll, hugo, strict=True):
        ours = yamlsafe.load(f"k: {form}\n")["k"]
        if not (_same(_expected_psych(cls, read, value), ours) and _same(go, ours)):
            wrong.append((form, value, cls, read, go))
    assert wrong == []
    assert len(offered) > 15
    assert advice[-len(UNHELD):] == [f'"{form[2:]}" (text)' for form in UNHELD]


def test_a_value_tagged_non_specific_in_a_list_or_map_is_found_at_it() -> None:
    found = yaml11.misreads_in("\nk: [note, ! 7]\nm:\n  a: ! false\n  b: ! off\n",
                               {"k", "m"})
    assert [(f.line, f.column, f.field, f.instead()) for f in found] == [
        (1, 10, "k[1]", '"7" (text) or 7'), (3, 5, "m.a", '"false" (text) or false'),
        (4, 5, "m.b", '"off" (text) or false')]


#: Quoted and block scalars with the non-specific tag ``!``: the text here and to Hugo,
#: read by Jekyll as if plain (``! 'off'``: false; ``! |`` of ``7``: "7\\n", a line
#: break keeps it text unless a line of it is a word: ``off\\n``).
TAGGED_TEXT = ["! 'off'", '! "yes"', "! 'x'", "!<!> off", "! |\n  off\n", "! |-\n  7\n",
               "! |-\n  y\n  off\n", "! |\n  y\n  off\n", "! >\n  true\n", "! |\n  7\n",
               "! |-\n  a\n  off\n", "! >-\n  null\n", "! 'NO'", '! "1,5"']


def test_a_quoted_or_block_text_tagged_non_specific_is_a_misread_of_jekyll(
        tmp_path: Path) -> None:
    """``k: ! 'off'`` is false to Jekyll, the text "off" here and to Hugo: no warning was
    given. Each is a misread of Jekyll exactly where it reads no text, and what
    :func:`yaml11.psych` reads of it is what Jekyll reads."""
    jekyll = jekyll_reads(TAGGED_TEXT, tmp_path / "jekyll")
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in TAGGED_TEXT], tmp_path / "hugo")]
    wrong = []
    for form, (cls, value), go in zip(TAGGED_TEXT, jekyll, hugo, strict=True):
        ours = yamlsafe.load(f"k: {form}\n")["k"]
        found = [(misread.line, misread.column, reader) for misread in
                 yaml11.misreads_in(f"\nk: {form}\n", {"k"}) for reader, _ in misread.readings]
        expected = [] if cls == "String" else [(1, 3, "Jekyll")]
        if go != ours or found != expected or \
                not _same(yaml11.psych(ours), _expected_psych(cls, value, ours)):
            wrong.append((form, cls, value, go, ours, found))
    assert wrong == []
    assert [cls for cls, _ in jekyll].count("String") == 4


def test_a_quoted_or_block_text_tagged_non_specific_names_how_it_is_written() -> None:
    [quoted, block] = yaml11.misreads_in("\nk: ! 'off'\nm:\n  - ! |\n    off\n", {"k", "m"})
    assert quoted.message() == "! 'off' reads as false in YAML 1.1 (Jekyll) but as the text " \
        '"off" here'
    assert (block.field, block.line, block.column, block.instead()) == (
        "m[0]", 3, 4, '"off\\n" (text) or false')
    assert block.message().startswith('! | "off\\n" reads as false')


#: The tag ``!`` with no value after it: the text "" here and to Hugo, null to Jekyll.
EMPTY_TAGGED = ["!", "!   # note", "!<!>"]


def test_the_tag_non_specific_with_no_value_is_a_misread_of_jekyll(tmp_path: Path) -> None:
    """``k: !`` is the text "" here and to Hugo but null to Jekyll: no warning was given."""
    jekyll = jekyll_reads(EMPTY_TAGGED, tmp_path / "jekyll")
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in EMPTY_TAGGED], tmp_path / "hugo")]
    assert jekyll == [("NilClass", None)] * 3
    assert hugo == [yamlsafe.load(f"k: {form}\n")["k"] for form in EMPTY_TAGGED] == [""] * 3
    found = [yaml11.misreads_in(f"\nk: {form}\n", {"k"}) for form in EMPTY_TAGGED]
    assert [[(f.line, f.column, f.readings, f.message(), f.instead()) for f in misreads]
            for misreads in found] == [[(1, 3, (("Jekyll", None),), '! reads as null in YAML '
                                         '1.1 (Jekyll) but as the text "" here',
                                         '"" (text) or null')]] * 3
    [listed] = yaml11.misreads_in("\nk:\n  - x\n  - !\n", {"k"})
    assert (listed.field, listed.line, listed.column) == ("k[1]", 3, 4)


#: Zeros written with a minus: a negative zero here (the integer -0, or -0.0), 0 to
#: Jekyll and Hugo where they read a whole number first.
ZEROS = ["-0", "! -0", "!!int -0", "!!float -0", "-0.0", "!!float -0.0", "-0.", "! -0.0",
         "+0", "0"]


def _signed(value: Any) -> Any:
    """A reading with the sign of a zero kept apart: ("-", 0) of -0.0, ("+", 0) of 0."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value == 0:
        return ("-" if math.copysign(1.0, float(value)) < 0 else "+", 0)
    return value


def test_a_negative_zero_is_a_misread_of_the_readers_that_read_0(tmp_path: Path) -> None:
    """``-0`` is -0 here (kept so in JSON, SQLite and Markdown) but 0 to Jekyll, Hugo and
    PyYAML, ``!!float -0`` -0.0 here and 0.0 to Jekyll and Hugo: no warning was given
    (and ``! -0`` named Hugo alone). Each is a misread of exactly the readers that read
    a zero of the other sign, or the text."""
    jekyll = jekyll_reads(ZEROS, tmp_path / "jekyll")
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in ZEROS], tmp_path / "hugo",
        parse_int=lambda text: float(text) if text.startswith("-") else int(text))]
    wrong = []
    for form, (cls, value), go in zip(ZEROS, jekyll, hugo, strict=True):
        ours = _signed(yamlsafe.load(f"k: {form}\n")["k"])
        otherwise = [reader for reader, theirs in (("Jekyll", value), ("Hugo", go))
                     if _signed(theirs) != ours]
        found = [(reader, _signed(read)) for misread in
                 yaml11.misreads_in(f"\nk: {form}\n", {"k"}) for reader, read in misread.readings]
        if [reader for reader, _ in found] != otherwise or \
                [read for _, read in found] != [_signed(theirs) for reader, theirs in (
                    ("Jekyll", value), ("Hugo", go)) if reader in otherwise]:
            wrong.append((form, cls, value, go, ours, found))
    assert wrong == []
    assert [_signed(yamlsafe.load(f"k: {form}\n")["k"]) for form in ZEROS[:4]] == \
        [("-", 0)] * 4


def test_a_negative_zero_says_what_to_write_and_is_kept_by_fmt() -> None:
    [plain, tagged, as_float] = yaml11.misreads_in("\nk: -0\nl: ! -0\nm: !!float -0\n",
                                                   {"k", "l", "m"})
    assert plain.message() == "plain -0 reads as the number 0 in YAML 1.1 (Jekyll, Hugo) " \
        "but as the number -0 here"
    assert [f.instead() for f in (plain, tagged, as_float)] == [
        "0 or -0.0", '"-0" (text), 0 or -0.0', "0.0 or -0.0"]
    assert [f.kept_by_fmt() for f in (plain, tagged, as_float)] == [True, False, True]


def test_a_plain_date_or_time_is_kept_by_fmt_and_found_by_its_steps() -> None:
    """A plain date or time (``hugo new``'s ``date: 2026-12-07T23:54:43Z``) is a time to
    Jekyll alone, and no value here stands for one: fmt keeps it as written (it said it
    would quote it, and refused the file), at the keys and indexes that lead to it. A
    plain ``off`` beside it is kept as a plain text on its line (:meth:`kept_plain`, not
    dated); a date tagged ``!`` is not kept."""
    text = ("\ndate: 2026-12-07T23:54:43Z\nk: [off, 2001-01-01]\nm:\n  2001-1-1: x\n"
            "  a.b: 2001-01-01 10:00:00 +0100\nt: ! 2001-01-01\n")
    found = yaml11.misreads_in(text, {"date", "k", "m", "t"})
    assert [(f.field, f.steps, f.key, f.dated(), f.kept_by_fmt()) for f in found] == [
        ("date", ("date",), False, True, True), ("k[0]", ("k", 0), False, False, True),
        ("k[1]", ("k", 1), False, True, True), ("m.2001-1-1", ("m", "2001-1-1"), True, True,
                                                True),
        ("m.a.b", ("m", "a.b"), False, True, True), ("t", ("t",), False, False, False)]
    assert found[0].message() == ("plain 2026-12-07T23:54:43Z reads as a time in YAML 1.1 "
                                  '(Jekyll) but as the text "2026-12-07T23:54:43Z" here')


def test_a_number_too_small_for_a_float_is_a_misread_of_the_readers_that_read_0() -> None:
    """``1.0e-400`` is that number here (kept so in JSON, SQLite and Markdown) but 0.0 to
    Jekyll and Hugo, as ``-0`` is 0 to them: no warning was given (one too large,
    ``1.0e+400``, is an error)."""
    text = "\nk: 1.0e-400\nl: [-1.0e-400, 1.0e-300, 0.0e-400]\n"
    assert yaml11.may_misread(yamlsafe.load(text)["l"][:1])
    found = yaml11.misreads_in(text, {"k", "l"})
    assert [(f.field, f.line, f.column, f.message(), f.instead()) for f in found] == [
        ("k", 1, 3, "plain 1.0e-400 reads as the number 0.0 in YAML 1.1 (Jekyll, Hugo) but "
         "as the number 1.0e-400 here", '"1.0e-400" (text)'),
        ("l[0]", 2, 4, "plain -1.0e-400 reads as the number -0.0 in YAML 1.1 (Jekyll, Hugo) "
         "but as the number -1.0e-400 here", '"-1.0e-400" (text)')]
    assert [f.kept_by_fmt() for f in found] == [True, True]


@pytest.mark.parametrize(("text", "tagged"), [
    ("k: ! 7\n", True), ("k: [! 7]\n", True), ("k: !\n  7\n", True), ("k:\n- !\t7\n", True),
    ("k: Hip!\n", False), ("k: a ! b\n", True), ("k: !!int 7\n", False), ("k: 7\n", False),
    ("k: !<!> 7\n", True)])
def test_a_front_matter_that_may_hold_the_tag_is_composed_again(text: str,
                                                                  tagged: bool) -> None:
    assert yaml11.may_be_tagged(text) is tagged


@pytest.mark.parametrize("form", ["1_" + "0" * 5000, "1" + "0" * 5000 + "e1"])
def test_a_number_past_any_float_or_64_bits_is_text_to_hugo(form: str) -> None:
    """Go's strconv refuses a whole number past 64 bits and a decimal past a float's range,
    so yaml.v2 reads the text; one of over 4300 digits was a ValueError here (Python's
    own limit on converting digits), a traceback from validate."""
    assert yaml11.go_yaml_v2(form) == form
    assert ("Hugo", form) not in yaml11.readings(form)


def test_a_number_this_tool_reads_as_a_number_is_no_misread() -> None:
    assert yaml11.misreads_in("\na: .5\nb: 0.5\nc: -3\nd: 42\n", {"a", "b", "c", "d"}) == []


def test_quoted_text_and_skipped_fields_are_no_misreads() -> None:
    text = '\ntitle: off\nk: "off"\nj: \'017\'\nl: |\n  off\nm: false\nnote: note\n'
    assert yaml11.misreads_in(text, {"k", "j", "l", "m", "note"}) == []


@pytest.mark.parametrize("text, written", [
    ("a\tb", '"a\\tb"'),
    ("\x01\x7f\x9f", '"\\x01\\x7F\\x9F"'),
    ("\x00\x07\x08\x0b\x0c\r\x1b", '"\\0\\a\\b\\v\\f\\r\\e"'),
    ("\x85\u2028\u2029\ufeff", '"\\N\\L\\P\\uFEFF"'),
    ('say "x"\\\n', '"say \\"x\\"\\\\\\n"'),
    ("é\xa0😀", '"é\xa0😀"'),
])
def test_quoted_text_escapes_what_yaml_escapes(text: str, written: str) -> None:
    """A tab or another control character in a value was shown raw in a message (only a
    backslash, a quote and a line break were escaped): each is escaped as YAML escapes
    it in double quotes, and YAML reads it back as the text."""
    assert yaml11.quoted(text) == written
    assert yaml.safe_load(written) == text


def test_a_tab_in_a_tagged_value_is_said_escaped() -> None:
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load('k: !!int "7\t"\n')
    assert caught.value.message.startswith('!!int "7\\t" is the text')
