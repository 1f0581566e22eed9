"""What Jekyll (Debian's 4.3.1: Ruby's Psych), Hugo (Debian's 0.111: Go's yaml.v2) and
PyYAML read of numbers tagged !!int and !!float, held to the real readers."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from converter import yaml11, yamlsafe, yamltags
from converter.authoring import muscle_from_front_matter
from converter.diagnostics import MuscleError
from tests.hugo import hugo_pages
from tests.jekyll import jekyll_reads

#: Numbers tagged in forms YAML reads untagged as no number, and near misses.
FORMS = [
    "!!float 1_000", "!!float +1_000", "!!float -1_000", "!!float 1_0_0", "!!float 00_1",
    "!!float 08", "!!float 0_0", "!!float 1__0.5", "!!float 1_0.5_5", "!!float 1_.5",
    "!!float 1_000e5", "!!float 1e5", "!!float 1E5", "!!float +1e5", "!!float 1e5_0",
    "!!float 1_0e1_0", "!!float -.5e3", "!!float +.5", "!!float 0e5",
    "!!float 1_000_000_000_000_000_000", "!!float 1__000", "!!float 1_", "!!float 1.5_",
    "!!float 1.e5", "!!float ._5", "!!float 0x1F", "!!float 0X1F", "!!float 017",
    "!!float 0b101", "!!float 1,000", "!!float 12:30", "!!float -0_0", "!!float 1e400",
    "!!float abc", "!!float off", "!!float 2001-01-01", "!!int 1__000", "!!int 1_000_",
    "!!int _1000", "!!int 1_", "!!int 0x1__F", "!!int 0b1__01", "!!int 0_17", "!!int 0o17",
    "!!int 0X1F", "!!int 0B1", "!!int +0x1F", "!!int 1,000", "!!int 12:30", "!!int 1e5",
    "!!int 1.5", "!!int 08", "!!int 0x", "!!int off", "!!int abc",
]


def _same(mine: Any, theirs: Any) -> bool:
    """Whether a reading of :mod:`converter.yamltags` is what a real reader read (Hugo's
    JSON writes a whole float as a whole number; Jekyll's, an infinity as a word)."""
    theirs = float(theirs) if theirs in ("inf", "-inf") else theirs
    if isinstance(mine, int | float) and isinstance(theirs, int | float):
        return float(mine) == float(theirs) and math.copysign(1, mine) == math.copysign(
            1, theirs)
    return mine == theirs


def _ruby(cls: str, value: Any, form: str) -> Any:
    """What :func:`yamltags.psych` should say of what Jekyll read."""
    if cls == "ERROR":
        return yaml11.FAILS
    if cls == "String":
        return form.split(" ", 1)[1]
    return yaml11.DATE if cls == "Date" else value


def test_psych_is_read_as_jekyll_reads_each_tagged_number(tmp_path: Path) -> None:
    read = jekyll_reads(FORMS, tmp_path / "site")
    wrong = [(form, cls, value) for form, (cls, value) in zip(FORMS, read, strict=True)
             if not _same(yamltags.psych(*form[2:].split(" ", 1)), _ruby(cls, value, form))]
    assert wrong == []


def test_go_yaml_v2_is_read_as_hugo_reads_each_tagged_number(tmp_path: Path) -> None:
    """Hugo builds no site of a page it cannot read: those are built one by one."""
    read = [yamltags.go_yaml_v2(*form[2:].split(" ", 1)) for form in FORMS]
    ok = [form for form, mine in zip(FORMS, read, strict=True) if mine is not yaml11.FAILS]
    pages = hugo_pages([f"---\ntitle: T\nk: {form}\n---\n" for form in ok], tmp_path / "ok")
    wrong = [(form, page["k"]) for form, page in zip(ok, pages, strict=True)
             if not _same(yamltags.go_yaml_v2(*form[2:].split(" ", 1)), page["k"])]
    for form in set(FORMS) - set(ok):
        with pytest.raises(subprocess.CalledProcessError):
            hugo_pages([f"---\ntitle: T\nk: {form}\n---\n"], tmp_path / "fails")
    assert wrong == []


@pytest.mark.parametrize("form", FORMS)
def test_pyyaml_is_read_as_its_loader_reads_each_tagged_number(form: str) -> None:
    try:
        theirs = yaml.safe_load(f"k: {form}\n")["k"]
    except yaml.YAMLError:
        theirs = yaml11.FAILS
    except ValueError:  # (PyYAML's int() and float() are not caught as YAML errors)
        theirs = yaml11.FAILS
    assert _same(yamltags.pyyaml(*form[2:].split(" ", 1)), theirs)


@pytest.mark.parametrize("form", FORMS)
def test_a_tagged_number_is_read_where_all_three_read_it_alike(form: str) -> None:
    kind, text = form[2:].split(" ", 1)
    readings = yamltags.readings(kind, text)
    alike = len({repr(value) for value in readings}) == 1 and all(
        type(value) is (int if kind == "int" else float) and math.isfinite(value)
        for value in readings)
    number, why = yamltags.read(kind, text)
    assert (number is not None) is alike
    if alike:
        assert (number, why) == (readings[0], "")
        assert yamlsafe.load(f"k: {form}\n")["k"] == number


@pytest.mark.parametrize(("form", "message"), [
    ("!!int 1__000", "!!int 1__000 is the text '1__000' to Jekyll but the number 1000 to "
     "Hugo and PyYAML: write 1000, k: 1000"),
    ("!!float 1__000", "!!float 1__000 is an error to Jekyll but the number 1000.0 to Hugo "
     "and PyYAML: write 1000.0, k: 1000.0"),
    ("!!float 017", "!!float 017 is the number 15.0 to Jekyll and Hugo but the number 17.0 "
     "to PyYAML: write 15.0 or 17.0, k: 15.0 or k: 17.0"),
    ("!!int 12:30", "!!int 12:30 is the number 45000 to Jekyll, an error to Hugo but the "
     "number 750 to PyYAML: write 45000 or 750, k: 45000 or k: 750"),
    ("!!float 1e400", "!!float 1e400 is the number .inf to Jekyll and PyYAML but an error "
     "to Hugo"),
    ("!!int abc", "!!int needs a whole number, not 'abc': write a whole number after "
     "!!int, or leave !!int out for the text, k: \"abc\""),
])
def test_a_tagged_number_the_readers_read_apart_is_an_error_saying_what_each_reads(
        form: str, message: str) -> None:
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(f"title: T\nk: {form}\n")
    found = caught.value
    assert (found.code, found.line, found.column, found.field, found.message) == (
        "yaml-syntax", 1, 3, "k", message)


#: Block scalars with the non-specific tag ``!``: the text written to YAML and Hugo.
BLOCKS = ["! |\n  7\n", "! >\n  true\n", "! |\n  ~\n", "! |\n  1.5\n", "! |-\n  7\n",
          "!<!> |\n  7\n", "! >-\n  false\n"]


def test_a_block_scalar_tagged_non_specific_is_the_text_hugo_and_jekyll_read(
        tmp_path: Path) -> None:
    """``k: ! |`` of ``7`` was the number 7 here (``! >`` of ``true``: false), as PyYAML
    resolves the tag ``!`` as if the text were plain; it is the text "7\\n" to Hugo and
    Jekyll (to Jekyll too only with the line break: ``! |-`` of ``7`` is 7 there)."""
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}---\n" for form in BLOCKS], tmp_path / "hugo")]
    jekyll = jekyll_reads(BLOCKS, tmp_path / "jekyll")
    ours = [yamlsafe.load(f"k: {form}")["k"] for form in BLOCKS]
    assert ours == hugo == ["7\n", "true\n", "~\n", "1.5\n", "7", "7\n", "false"]
    assert [value for (cls, value), form in zip(jekyll, BLOCKS, strict=True)
            if form.endswith("|\n  7\n")] == ["7\n", "7\n"]


def test_a_block_scalar_with_a_tag_of_its_own_keeps_it() -> None:
    assert yamlsafe.load("k: !!int |-\n  7\n") == {"k": 7}  # (| keeps "7\n": an error)
    assert yamlsafe.load("a: x!\nk: |\n  7\n") == {"a": "x!", "k": "7\n"}
    assert yamlsafe.compose("k: ! >\n  true\n").value[0][1].tag == "tag:yaml.org,2002:str"


#: Quoted texts with the tag ``!`` that end in a line break: the text to Jekyll and Hugo.
QUOTED_BREAKS = ['! "7\\n"', '! "true\\n"', '! "~\\n"', "! '1.5\n\n  '", '! "7"']


def test_a_quoted_text_tagged_non_specific_that_ends_in_a_line_break_is_that_text(
        tmp_path: Path) -> None:
    """``k: ! "7\\n"`` was the number 7 here (``! "true\\n"``: false), the resolver's
    ``$`` matching before the line break; Jekyll and Hugo read the text "7\\n" (Jekyll
    true of ``true\\n``, which is warned of)."""
    hugo = [page["k"] for page in hugo_pages(
        [f"---\ntitle: T\nk: {form}\n---\n" for form in QUOTED_BREAKS], tmp_path / "hugo")]
    jekyll = [value for _, value in jekyll_reads(QUOTED_BREAKS, tmp_path / "jekyll")]
    ours = [yamlsafe.load(f"k: {form}\n")["k"] for form in QUOTED_BREAKS]
    assert ours[:4] == hugo[:4] == ["7\n", "true\n", "~\n", "1.5\n"]
    assert jekyll[:4] == ["7\n", True, "~\n", "1.5\n"]  # (a line true: warned of)
    assert [[(reader, value) for misread in yaml11.misreads_in(f"k: {form}\n", {"k"})
             for reader, value in misread.readings] for form in QUOTED_BREAKS[:4]] == [
        [], [("Jekyll", True)], [], []]
    assert (ours[4], jekyll[4], hugo[4]) == (7, 7, "7")


#: Numbers tagged and quoted with blanks or a line break around them (``"7\n"``).
QUOTED_NUMBERS = ['!!int "7\\n"', '!!int "-0\\n"', '!!int " 7"', '!!int "7 "',
                  '!!float "1.5\\n"', '!!float " 7"', '!!float "0x1F\\n"', '!!float "-0\\n"',
                  '!!float ".inf\\n"']


def _kind_text(form: str) -> tuple[str, str]:
    """(int or float, the text YAML reads) of a tagged, quoted ``form``."""
    return form[2:].split(" ", 1)[0], yaml.compose(f"k: {form}\n").value[0][1].value


def test_a_quoted_tagged_number_with_blanks_around_it_is_read_as_jekyll_and_hugo_read_it(
        tmp_path: Path) -> None:
    """Ruby's ``Float()`` skips blanks and line breaks around a number (``!!float
    "1.5\\n"`` is 1.5 to Jekyll), ``Integer`` tokenizing does not (``!!int "7\\n"`` is
    the text); Hugo reads none of them."""
    read = jekyll_reads(QUOTED_NUMBERS, tmp_path / "jekyll")
    wrong = [(form, cls, value) for form, (cls, value) in zip(QUOTED_NUMBERS, read,
                                                              strict=True)
             if not _same(yamltags.psych(*_kind_text(form)), yaml11.FAILS if cls == "ERROR"
                          else value)]
    assert wrong == []
    assert [cls for cls, _ in read] == ["String", "String", "String", "String", "Float",
                                        "Float", "Float", "Float", "ERROR"]
    for form in QUOTED_NUMBERS:
        assert yamltags.go_yaml_v2(*_kind_text(form)) is yaml11.FAILS
        with pytest.raises(subprocess.CalledProcessError):
            hugo_pages([f"---\ntitle: T\nk: {form}\n---\n"], tmp_path / "hugo")


@pytest.mark.parametrize(("form", "message"), [
    ('!!int "7\\n"', "!!int \"7\\n\" is the text '7\\n' to Jekyll, an error to Hugo but "
     "the number 7 to PyYAML: write 7, k: 7"),
    ('!!int "+7\\n"', "!!int \"+7\\n\" is the text '+7\\n' to Jekyll, an error to Hugo "
     "but the number 7 to PyYAML: write 7, k: 7"),
    ('!!float "1.5\\n"', '!!float "1.5\\n" is the number 1.5 to Jekyll and PyYAML but an '
     "error to Hugo: write 1.5, k: 1.5"),
    ('!!float "-0\\n"', '!!float "-0\\n" is the number -0.0 to Jekyll and PyYAML but an '
     "error to Hugo: write -0.0, k: -0.0"),
    ('!!float ".inf\\n"', "!!float needs a number, not '.inf\\n': write a number after "
     "!!float, or leave !!float out for the text, k: \".inf\\n\""),
    ('!!bool "true\\n"', "!!bool needs true or false, not 'true\\n': write true or false "
     "after !!bool, or leave !!bool out for the text, k: \"true\\n\""),
    ('!!null "~\\n"', "!!null needs ~, null or nothing, not '~\\n': write ~, null or "
     "nothing after !!null, or leave !!null out for the text, k: \"~\\n\""),
    ("!!int |\n  7", "!!int \"7\\n\" is the text '7\\n' to Jekyll, an error to Hugo but "
     "the number 7 to PyYAML: write 7, k: 7"),
])
def test_a_quoted_tagged_value_that_ends_in_a_line_break_is_checked_as_other_tagged_ones(
        form: str, message: str) -> None:
    """``k: !!int "7\\n"`` was 7 here (``!!bool "true\\n"`` false), the patterns' ``$``
    matching before the line break; Hugo reads none of them and Jekyll reads
    ``"7\\n"`` as text, so each is an error that says what each reader reads."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(f"title: T\nk: {form}\n")
    found = caught.value
    assert (found.code, found.line, found.column, found.field, found.message) == (
        "yaml-syntax", 1, 3, "k", message)


@pytest.mark.parametrize(("text", "wrong", "field", "meant"), [
    ("title: T\nlatin: !!int abc\n", "latin: !!int abc", "latin", "abc"),
    ("title: T\nlatin: !!float x # c\n", "latin: !!float x # c", "latin", "x"),
    ("title: T\nlatin: !!bool maybe\n", "latin: !!bool maybe", "latin", "maybe"),
    ("title: T\nlatin: !!null x\n", "latin: !!null x", "latin", "x"),
    ("title: T\nlatin: !!timestamp nope\n", "latin: !!timestamp nope", "latin", "nope"),
    ("title: T\nx:\n  - !!int 'a \"b\\'\n", "- !!int 'a \"b\\'", "x[0]", 'a "b\\'),
    ('title: T\nx: [1, !!float "a\\tb"]\n', 'x: [1, !!float "a\\tb"]', "x[1]", "a\tb"),
    ("title: T\nlatin: !!int\n  abc\n", "latin: !!int\n  abc", "latin", "abc"),
    ("title: T\nlatin: !!bool 'a\n  b'\n", "latin: !!bool 'a\n  b'", "latin", "a b"),
    # (a block scalar ends at the start of the line after it: that line was given too,
    # latin: "abc\n"more: x)
    ("title: T\nlatin: !!int |\n  abc\nmore: x\n", "latin: !!int |\n  abc", "latin",
     "abc\n"),
    ("latin: !!bool > # c\n  a\n\n  b\n\nmore: x\n", "latin: !!bool > # c\n  a\n\n  b\n",
     "latin", "a\nb\n"),
])
def test_a_value_that_fits_no_tag_is_given_the_line_to_write(
        text: str, wrong: str, field: str, meant: str) -> None:
    """``latin: !!int abc`` was told what !!int needs and to leave it out, with no line
    to write (``!!timestamp nope``: that the tag is not allowed, and no more). The
    message ends with the line, its tag left out: written in place of the value's
    line (or lines), it loads, and the field holds the text written."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert caught.value.field == field
    said = caught.value.message
    assert " for the text, " in said
    line = said.rsplit(" for the text, ", 1)[1]
    assert "\n" not in line and "!!" not in line
    data = yamlsafe.load(text.replace(wrong, line, 1))
    for step in yamlsafe.steps(field):
        data = data[step]
    assert data == meant


def test_a_key_that_fits_no_tag_is_given_the_line_to_write() -> None:
    """A key tagged so (``!!int abc: 1``) is given its line too, the key quoted."""
    text = "title: T\n!!int abc: 1\n"
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert caught.value.message.endswith(', or leave !!int out for the text, "abc": 1')
    assert yamlsafe.load(text.replace("!!int abc: 1", '"abc": 1'))["abc"] == 1


#: Two polygons, each valid.
_A, _B = "10,10,50,10,30,40", "60,60,90,60,75,90"
#: (YAML, the line written wrong, the field, the message's end after "needs a list" or
#: "needs a map", and each line it advises with the value the field then holds).
COLLECTIONS = [
    ("title: T\nk: !!seq abc\n", "k: !!seq abc", "k", ", not 'abc': write it as a list, "
     "k: [abc], or leave !!seq out for the text, k: \"abc\"",
     [("k: [abc]", ["abc"]), ('k: "abc"', "abc")]),
    # (a field the schema holds to text is given the text alone: latin: [abc] was
    # advised, a wrong-type error; a list of text its items that read as no text quoted,
    # exercises: [1, 2] was, and the text, exercises: "1, 2", where it takes no text)
    ("title: T\nlatin: !!seq abc\n", "latin: !!seq abc", "latin", ", not 'abc': leave "
     "!!seq out for the text, latin: \"abc\"", [('latin: "abc"', "abc")]),
    ("title: T\norigin: !!seq abc\n", "origin: !!seq abc", "origin", ", not 'abc': leave "
     "!!seq out for the text, origin: \"abc\"", [('origin: "abc"', "abc")]),
    ("title: T\nexercises: !!seq 1, 2\n", "exercises: !!seq 1, 2", "exercises", ", not "
     "'1, 2': write it as a list, exercises: [\"1\", \"2\"]",
     [('exercises: ["1", "2"]', ["1", "2"])]),
    ("title: T\nexercises: !!seq squat, null\n", "exercises: !!seq squat, null",
     "exercises", ", not 'squat, null': write it as a list, exercises: [squat, \"null\"]",
     [('exercises: [squat, "null"]', ["squat", "null"])]),
    ("title: T\nexercises: !!seq a, b # c\n", "exercises: !!seq a, b # c", "exercises",
     ", not 'a, b': write it as a list, exercises: [a, b] # c",
     [("exercises: [a, b] # c", ["a", "b"])]),
    ("title: T\nexercises: [!!seq a, b]\n", "exercises: [!!seq a, b]", "exercises[0]",
     ", not 'a': leave !!seq out for the text, exercises: [\"a\", b]",
     [('exercises: ["a", b]', "a")]),
    ("title: T\nx: !!seq a, b # c\n", "x: !!seq a, b # c", "x", ", not 'a, b': write it as "
     "a list, x: [a, b] # c, or leave !!seq out for the text, x: \"a, b\" # c",
     [("x: [a, b] # c", ["a", "b"]), ('x: "a, b" # c', "a, b")]),
    ("title: T\nx: !!seq 'a, b'\n", "x: !!seq 'a, b'", "x", ", not 'a, b': write it as a "
     "list, x: [\"a, b\"], or leave !!seq out for the text, x: \"a, b\"",
     [('x: ["a, b"]', ["a, b"]), ('x: "a, b"', "a, b")]),
    ("title: T\nx: !!seq a, [b]\n", "x: !!seq a, [b]", "x", ", not 'a, [b]': write it as a "
     "list, x: [\"a, [b]\"], or leave !!seq out for the text, x: \"a, [b]\"",
     [('x: ["a, [b]"]', ["a, [b]"]), ('x: "a, [b]"', "a, [b]")]),
    # (an item anchored or tagged in brackets: [a, &y b] was advised, which is refused)
    ("title: T\nx: !!seq a, &y b\n", "x: !!seq a, &y b", "x", ", not 'a, &y b': write it "
     "as a list, x: [\"a, &y b\"], or leave !!seq out for the text, x: \"a, &y b\"",
     [('x: ["a, &y b"]', ["a, &y b"]), ('x: "a, &y b"', "a, &y b")]),
    ("title: T\nx: !!seq a, !y b\n", "x: !!seq a, !y b", "x", ", not 'a, !y b': write it "
     "as a list, x: [\"a, !y b\"], or leave !!seq out for the text, x: \"a, !y b\"",
     [('x: ["a, !y b"]', ["a, !y b"]), ('x: "a, !y b"', "a, !y b")]),
    ("title: T\nx: [!!seq a, b]\n", "x: [!!seq a, b]", "x[0]", ", not 'a': write it as a "
     "list, x: [[a], b], or leave !!seq out for the text, x: [\"a\", b]",
     [("x: [[a], b]", ["a"]), ('x: ["a", b]', "a")]),
    ("title: T\nx: !!seq\nmore: 1\n", "x: !!seq", "x", ", not '': write it as a list, x: "
     "[]", [("x: []", [])]),
    ("title: T\nx:\n  - !!seq |\n    a\n  - b\n", "- !!seq |\n    a", "x[0]", ", not "
     "'a\\n': write it as a list, - [\"a\\n\"], or leave !!seq out for the text, - \"a\\n\"",
     [('- ["a\\n"]', ["a\n"]), ('- "a\\n"', "a\n")]),
    # (a field that takes no text is given the value it takes: function: "abc" and
    # function: [abc] were advised, wrong-type errors, and coords: ["10", "20", ...],
    # six invalid polygons; origin takes text, so the text fits there)
    ("title: T\nfunction: !!map abc\n", "function: !!map abc", "function", ", not 'abc': "
     "write it as a list, function: [{short: \"abc\"}]",
     [('function: [{short: "abc"}]', [{"short": "abc"}])]),
    ("title: T\nfunction: !!seq abc\n", "function: !!seq abc", "function", ", not 'abc': "
     "write it as a list, function: [{short: abc}]",
     [("function: [{short: abc}]", [{"short": "abc"}])]),
    ("title: T\nfunction: !!seq a, null\n", "function: !!seq a, null", "function", ", not "
     "'a, null': write it as a list, function: [{short: a}, {short: \"null\"}]",
     [('function: [{short: a}, {short: "null"}]', [{"short": "a"}, {"short": "null"}])]),
    ("title: T\ncoords: !!seq 10,20,30,40,50,60\n", "coords: !!seq 10,20,30,40,50,60",
     "coords", ", not '10,20,30,40,50,60': write it as a list, coords: "
     "[\"10,20,30,40,50,60\"]", [('coords: ["10,20,30,40,50,60"]', ["10,20,30,40,50,60"])]),
    # (two polygons in one text: one was advised, coords: ["A B"], an invalid polygon,
    # or each number an item, coords: ["10", "10", ..., "40 60", ...]; a comma and a
    # blank part them where none is inside either, as the list's own comma)
    *((f"title: T\ncoords: !!seq {written}\n", f"coords: !!seq {written}", "coords",
       f', not {read!r}: write it as a list, coords: ["{_A}", "{_B}"]',
       [(f'coords: ["{_A}", "{_B}"]', [_A, _B])])
      for written, read in [
          (f"{_A} {_B}", f"{_A} {_B}"), (f"{_A}, {_B}", f"{_A}, {_B}"),
          (f'"{_A} {_B}"', f"{_A} {_B}"), (f"'{_A}\n\n  {_B}'", f"{_A}\n{_B}"),
          (f"|\n  {_A}\n  {_B}", f"{_A}\n{_B}\n"), (f">\n  {_A}\n  {_B}", f"{_A} {_B}\n"),
          (f"\n  {_A}\n  {_B}", f"{_A} {_B}")]),
    ("title: T\ncoords: !!seq 10, 10, 50, 10, 30, 40\n",
     "coords: !!seq 10, 10, 50, 10, 30, 40", "coords", ", not '10, 10, 50, 10, 30, 40': "
     "write it as a list, coords: [\"10, 10, 50, 10, 30, 40\"]",
     [('coords: ["10, 10, 50, 10, 30, 40"]', ["10, 10, 50, 10, 30, 40"])]),
    ("title: T\norigin: !!map abc\n", "origin: !!map abc", "origin", ", not 'abc': leave "
     "!!map out for the text, origin: \"abc\"", [('origin: "abc"', "abc")]),
    ("title: T\nlatin: !!map abc\n", "latin: !!map abc", "latin", ", not 'abc': leave "
     "!!map out for the text, latin: \"abc\"", [('latin: "abc"', "abc")]),
    ("title: T\nx: !!map\n", "x: !!map", "x", ", not '': write it as a map, x: {}",
     [("x: {}", {})]),
    ("title: T\n!!seq abc: 1\n", "!!seq abc: 1", "abc", ", not 'abc': leave !!seq out for "
     "the text, \"abc\": 1", [('"abc": 1', 1)]),  # (a key is text: no list)
    ("title: T\nx: {!!map abc: 1}\n", "x: {!!map abc: 1}", "x.abc", ", not 'abc': leave "
     "!!map out for the text, x: {\"abc\": 1}", [('x: {"abc": 1}', 1)]),
]


@pytest.mark.parametrize(("text", "wrong", "field", "end", "lines"), COLLECTIONS)
def test_a_single_value_tagged_as_a_list_or_map_is_given_the_lines_to_write(
        text: str, wrong: str, field: str, end: str, lines: list[tuple[str, Any]]) -> None:
    """``latin: !!seq abc`` was told "!!seq needs a list" and no more: no line to write.
    The message ends with the list its writer named (the text its items) and the text
    without the tag (``!!map``: the text alone, no map being meant by one text; nothing
    written: the empty list or map; a key: the text alone; a field the schema holds to
    text, the text alone, a list of text its items that read as no text quoted). Each
    line, written in place of the value's, loads, the field holds what is said, and the
    muscle has no error there."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert (caught.value.code, caught.value.field) == ("yaml-syntax", field)
    kind = "list" if "!!seq" in wrong else "map"
    assert caught.value.message == f"!!{wrong.split('!!')[1][:3]} needs a {kind}{end}"
    for line, meant in lines:
        assert line in end
        data = yamlsafe.load(text.replace(wrong, line, 1))
        assert _no_error_at(data, field)
        for step in yamlsafe.steps(field):
            data = data[step]
        assert data == meant


#: (YAML, the line written wrong, the field, each line advised with the value the
#: field then holds). A field the schema holds to text (``latin``, an item of
#: ``exercises``) is given the text, without the tag: the number or boolean was advised
#: there (``latin: 130``), a ``wrong-type`` error of its own.
APART = [
    ("title: T\nk: !!int 1:70\n", "k: !!int 1:70", "k", [("k: 130", 130)]),
    ("title: T\nk: !!bool y\n", "k: !!bool y", "k", [("k: true", True)]),
    ("title: T\nk: !!bool N # c\n", "k: !!bool N # c", "k", [("k: false # c", False)]),
    ("title: T\nk: !!int -1:30\n", "k: !!int -1:30", "k", [("k: -1800", -1800),
                                                            ("k: -90", -90)]),
    ("title: T\nk: !!float 010\n", "k: !!float 010", "k", [("k: 8.0", 8.0),
                                                            ("k: 10.0", 10.0)]),
    ("title: T\nx: [!!int 0o17, 2]\n", "x: [!!int 0o17, 2]", "x[0]", [("x: [15, 2]", 15)]),
    ('title: T\nk: !!float "-0\\n"\n', 'k: !!float "-0\\n"', "k", [("k: -0.0", -0.0)]),
    ("title: T\nk: !!int |\n  7\nmore: x\n", "k: !!int |\n  7", "k", [("k: 7", 7)]),
    ("title: T\nlatin: !!int 1:70\n", "latin: !!int 1:70", "latin",
     [('latin: "1:70"', "1:70")]),
    ("title: T\nlatin: !!bool y\n", "latin: !!bool y", "latin", [('latin: "y"', "y")]),
    ("title: T\nlatin: !!int -1:30\n", "latin: !!int -1:30", "latin",
     [('latin: "-1:30"', "-1:30")]),
    ("title: T\nlatin: !!float 1:30.5\n", "latin: !!float 1:30.5", "latin",
     [('latin: "1:30.5"', "1:30.5")]),
    ("title: T\nlatin: !!float 1e400\n", "latin: !!float 1e400", "latin",
     [('latin: "1e400"', "1e400")]),
    ("title: T\nexercises: [!!int 1:70, b]\n", "exercises: [!!int 1:70, b]", "exercises[0]",
     [('exercises: ["1:70", b]', "1:70")]),
    ("title: T\nexercises:\n  - !!bool y # c\n  - d\n", "- !!bool y # c", "exercises[0]",
     [('- "y" # c', "y")]),
    ("title: T\nfunction:\n  - short: {da: !!int 0o17}\n", "  - short: {da: !!int 0o17}",
     "function[0].short.da", [('  - short: {da: "0o17"}', "0o17")]),
    ("title: !!int 1__000\n", "title: !!int 1__000", "title", [('title: "1__000"', "1__000")]),
]


def _no_error_at(data: Any, field: str) -> bool:
    """Whether the muscle of the front matter ``data`` has no problem at ``field`` (nor
    below it): the line advised is no error of its own there."""
    try:
        muscle_from_front_matter(data, path="m.md", slug_hint="m")
    except MuscleError as error:
        return not [found for found in error.diagnostics if found.field == field
                    or found.field.startswith((f"{field}.", f"{field}["))]
    return True


@pytest.mark.parametrize(("text", "wrong", "field", "lines"), APART)
def test_a_value_the_readers_read_apart_is_given_the_line_to_write(
        text: str, wrong: str, field: str, lines: list[tuple[str, Any]]) -> None:
    """``latin: !!int 1:70`` ended "write 130" (``!!bool y`` "write true or false"),
    with no line to write, as other advice gives. The message ends with the line of
    each value to write (``y`` the true YAML 1.1 and Hugo read of it, the boolean its
    tag names), or, at a field the schema holds to text, the text without the tag:
    each, written in place of the value's line, loads, the field holds that value, and
    the muscle has no error there."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load(text)
    assert caught.value.field == field
    said = caught.value.message
    if isinstance(lines[0][1], str):
        tag = wrong.split("!!")[1].split(" ")[0]
        assert said.endswith(f": leave !!{tag} out for the text, {lines[0][0].strip()}")
        assert ": write " not in said
    else:
        assert said.endswith(", " + " or ".join(line for line, _ in lines))
    for line, meant in lines:
        data = yamlsafe.load(text.replace(wrong, line, 1))
        assert _no_error_at(data, field)
        for step in yamlsafe.steps(field):
            data = data[step]
        if isinstance(meant, str):
            assert data == meant
        else:
            assert (data, math.copysign(1, data)) == (meant, math.copysign(1, meant))


def test_a_key_the_readers_read_apart_is_given_no_line() -> None:
    """A key is text: a line with the number or boolean as its key is not advised."""
    with pytest.raises(yamlsafe.YamlProblem) as caught:
        yamlsafe.load("title: T\n!!bool y: x\n")
    assert caught.value.message.endswith("to Jekyll: write true")
