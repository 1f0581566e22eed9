"""Text after a value closed on its line: a quote closed early, or text after a closing
quote or bracket."""

from __future__ import annotations

import re

import pytest

from converter import yamlsafe
from converter.yamlafter import closed_early
from converter.yamlsafe import steps
from tests.test_yamlline import libyaml_error


def value_at(data: object, field: str) -> object:
    """The value of ``data`` at a field path."""
    for step in steps(field):
        data = data[step]  # type: ignore[index]
    return data


#: (YAML, where the error is, the field, what is said, the text the advice replaces,
#: the value the field then holds).
CASES = [
    ("title: 'Farmer's walk'\n", "s walk'", "title",
     "the quote closes at column 15, so YAML cannot read the text after it (s walk'): to "
     "keep an apostrophe inside single quotes double it ('Farmer''s walk') or use double "
     "quotes (\"Farmer's walk\")", "'Farmer's walk'", "Farmer's walk"),
    ("title: T\norigin:\n  en: 'it's the calf'\n", "s the", "origin.en",
     "the quote closes at column 10, so YAML cannot read the text after it (s the calf'): "
     "to keep an apostrophe inside single quotes double it ('it''s the calf') or use "
     "double quotes (\"it's the calf\")", "'it's the calf'", "it's the calf"),
    ("title: T\nexercises:\n  - 'Farmer's walk'\n  - Squat\n", "s walk", "exercises[0]",
     "the quote closes at column 12", "'Farmer's walk'", "Farmer's walk"),
    ("title: T\nexercises:\n- 'Farmer's walk' # a note\n", "s walk", "exercises[0]",
     "the quote closes at column 10, so YAML cannot read the text after it (s walk'): to "
     "keep", "'Farmer's walk'", "Farmer's walk"),
    ("title: 'it''s Bob's'\n", "s'", "title", "the quote closes at column 18, so YAML "
     "cannot read the text after it (s'): to keep an apostrophe inside single quotes "
     "double it ('it''s Bob''s')", "'it''s Bob's'", "it's Bob's"),
    ("title: 'Farmers' walk'\n", "walk", "title", "the quote closes at column 16",
     "'Farmers' walk'", "Farmers' walk"),
    ("title: 'Farmer's walk\n", "s walk", "title", "the quote closes at column 15",
     "'Farmer's walk", "Farmer's walk"),
    ("x: ['it's', b]\n", "s'", "x[0]", "the quote closes at column 8", "'it's'", "it's"),
    ("x: {a: 'it's Bob's', b: c}\n", "s Bob", "x.a", "the quote closes at column 11",
     "'it's Bob's'", "it's Bob's"),
    ('title: "He said "hi" to me"\n', 'hi"', "title", "the quote closes at column 17, so "
     "YAML cannot read the text after it (hi\" to me\"): to keep a \" inside double quotes "
     "write it \\\" (\"He said \\\"hi\\\" to me\") or use single quotes ('He said \"hi\" "
     "to me')", '"He said "hi" to me"', 'He said "hi" to me'),
    ('title: "Soleus" muscle\n', "muscle", "title", "the quote closes at column 15, so "
     "YAML cannot read the text after it (muscle): quote the whole value, title: "
     "'\"Soleus\" muscle'", 'title: "Soleus" muscle', '"Soleus" muscle'),
    ("title: 'Soleus' muscle # a note\n", "muscle", "title", "the quote closes at column "
     "15, so YAML cannot read the text after it (muscle): quote the whole value, title: "
     "\"'Soleus' muscle\"", "title: 'Soleus' muscle", "'Soleus' muscle"),
    ("title: [Soleus] muscle\n", "muscle", "title", "the [ list closes at column 15, so "
     "YAML cannot read the text after it (muscle): quote the whole value, title: "
     "\"[Soleus] muscle\"", "title: [Soleus] muscle", "[Soleus] muscle"),
    ('"title": [Soleus] muscle\n', "muscle", "title", "the [ list closes at column 17, so "
     "YAML cannot read the text after it (muscle): quote the whole value, \"title\": "
     "\"[Soleus] muscle\"", '"title": [Soleus] muscle', "[Soleus] muscle"),
    ("title: T\nx:\n  - {a: b} c\n", "c\n", "x[0]", "the { map closes at column 10, so "
     "YAML cannot read the text after it (c): quote the whole value, - \"{a: b} c\"",
     "- {a: b} c", "{a: b} c"),
    ('title: T\nx: ["a" b, c]\n', "b,", "x[0]", "the quote closes at column 7, so YAML "
     "cannot read the text after it (b): quote the whole value, '\"a\" b'", '"a" b',
     '"a" b'),
    ("title: T\nexercises:\n  - !!str 'Farmer's walk'\n", "s walk", "exercises[0]",
     "the quote closes at column 18, so YAML cannot read the text after it (s walk'): to "
     "keep an apostrophe inside single quotes double it ('Farmer''s walk') or use double "
     "quotes (\"Farmer's walk\")", "'Farmer's walk'", "Farmer's walk"),
    ("title: !!str 'Farmer's walk'\n", "s walk", "title", "the quote closes at column 21",
     "'Farmer's walk'", "Farmer's walk"),
    ("title: !!str\n  'it's'\n", "s'", "title", "the quote closes at column 6", "'it's'",
     "it's"),
    ("title: !!str 'Soleus' muscle\n", "muscle", "title", "the quote closes at column 21, "
     "so YAML cannot read the text after it (muscle): quote the whole value, title: !!str "
     "\"'Soleus' muscle\"", "title: !!str 'Soleus' muscle", "'Soleus' muscle"),
    # (a colon and a space after it: libyaml's "mapping values are not allowed")
    ('title: "a": b\n', ": b", "title", "the quote closes at column 10, so YAML reads the "
     "':' after it as a second key (: b): quote the whole value, title: '\"a\": b'",
     'title: "a": b', '"a": b'),
    ("title: T\nk: [a]: b # c\n", ": b", "k", "the [ list closes at column 6, so YAML "
     "reads the ':' after it as a second key (: b): quote the whole value, k: \"[a]: b\"",
     "k: [a]: b", "[a]: b"),
    ("k: {a: 1}: b\n", ": b", "k", "the { map closes at column 9, so YAML reads the ':' "
     "after it as a second key (: b): quote the whole value, k: \"{a: 1}: b\"",
     "k: {a: 1}: b", "{a: 1}: b"),
    ('x:\n  - "a": "b": c\n', ": c", "x[0].a", "the quote closes at column 12, so YAML "
     "reads the ':' after it as a second key (: c): quote the whole value, \"a\": "
     "'\"b\": c'", '"a": "b": c', '"b": c'),
    ("title: !!str 'a' : b\n", ": b", "title", "the quote closes at column 16, so YAML "
     "reads the ':' after it as a second key (: b): quote the whole value, title: !!str "
     "\"'a' : b\"", "title: !!str 'a' : b", "'a' : b"),
    # (a lone quote before the colon, the quotes around the value holding it: stray)
    ('title: "a": b"\n', ": b", "title", "the quote closes at column 10, so YAML reads the "
     "':' after it as a second key (: b\"): the \" before the ':' looks stray, as the "
     "quotes around the whole value hold its colon: leave it out (\"a: b\")", '"a": b"',
     "a: b"),
    ("title: 'Soleus': the calf' # c\n", ": the", "title", "the quote closes at column 15, "
     "so YAML reads the ':' after it as a second key (: the calf'): the ' before the ':' "
     "looks stray, as the quotes around the whole value hold its colon: leave it out "
     "('Soleus: the calf')", "'Soleus': the calf'", "Soleus: the calf"),
    ('x:\n  k: "a" : b \\" c"\n', ": b", "x.k", "the quote closes at column 8, so YAML "
     "reads the ':' after it as a second key (: b \\\" c\"): the \" before the ':' looks "
     "stray", '"a" : b \\" c"', 'a : b " c'),
    # (an apostrophe doubled inside: the quotes are YAML's, as for an escape in double
    # ones below, the text meant what they hold and then the rest; the advice kept the
    # quotes, title: "'it's x' y", which reads back with them)
    ("title: 'it''s x' y\n", "y\n", "title", "the quote closes at column 16, so YAML "
     "cannot read the text after it (y): quote the whole value, title: \"it's x y\"",
     "title: 'it''s x' y", "it's x y"),
    ("title: 'a''' y # c\n", "y #", "title", "the quote closes at column 12, so YAML "
     "cannot read the text after it (y): quote the whole value, title: \"a' y\"",
     "title: 'a''' y", "a' y"),
    ("title: '' y\n", "y\n", "title", "the quote closes at column 9, so YAML cannot "
     "read the text after it (y): quote the whole value, title: \"'' y\"", "title: '' y",
     "'' y"),  # (empty quotes: no apostrophe doubled inside them)
    ("title: T\nx: ['it''s' b, c]\n", "b,", "x[0]", "the quote closes at column 11, so "
     "YAML cannot read the text after it (b): quote the whole value, \"it's b\"",
     "'it''s' b", "it's b"),
    ("title: 'it''s x': y\n", ": y", "title", "the quote closes at column 16, so YAML "
     "reads the ':' after it as a second key (: y): quote the whole value, title: "
     "\"it's x: y\"", "title: 'it''s x': y", "it's x: y"),
    # (an escape in the double quotes: they are YAML's, the text meant read, then the
    # rest; the advice kept the escape and the quotes: '"a\"b" c' read '"a\"b" c')
    ('title: "a\\"b" c\n', "c\n", "title", "the quote closes at column 13, so YAML cannot "
     "read the text after it (c): quote the whole value, title: 'a\"b c'",
     'title: "a\\"b" c', 'a"b c'),
    ('title: "a\\tb" c # d\n', "c #", "title", "the quote closes at column 13, so YAML "
     "cannot read the text after it (c): quote the whole value, title: \"a\\tb c\"",
     'title: "a\\tb" c', "a\tb c"),
    ('title: "\\"a\\"\\n" b\n', "b\n", "title", "the quote closes at column 16, so YAML "
     "cannot read the text after it (b): quote the whole value, title: "
     "\"\\\"a\\\"\\n b\"", 'title: "\\"a\\"\\n" b', '"a"\n b'),
    ('title: "a\\"b": c\n', ": c", "title", "the quote closes at column 13, so YAML reads "
     "the ':' after it as a second key (: c): quote the whole value, title: 'a\"b: c'",
     'title: "a\\"b": c', 'a"b: c'),
    # (quotes again after the colon: meant inside the text)
    ('title: "a": "b": c"\n', ': "b', "title", "the quote closes at column 10, so YAML "
     "reads the ':' after it as a second key (: \"b\": c\"): to keep a \" inside double "
     "quotes write it \\\" (\"a\\\": \\\"b\\\": c\") or use single quotes ('a\": \"b\": c')",
     '"a": "b": c"', 'a": "b": c'),
]


@pytest.mark.parametrize("text, at, field, said, wrong, meant", CASES)
def test_text_after_a_value_closed_on_its_line_is_named_at_the_value_s_field(
        text: str, at: str, field: str, said: str, wrong: str, meant: str) -> None:
    """libyaml found no key (or '-', or ',') there, after the value, naming no field or
    the map above it."""
    found = closed_early(text, libyaml_error(text))
    assert found is not None
    assert (found[0], found[2]) == (text.index(at), field)
    assert found[1].startswith(said)


@pytest.mark.parametrize("text, at, field, said, wrong, meant", CASES)
def test_each_text_the_advice_gives_loads_as_the_value_meant(
        text: str, at: str, field: str, said: str, wrong: str, meant: str) -> None:
    """Each text the advice says to write, written in place of the value, loads, and
    the field holds the text meant."""
    found = closed_early(text, libyaml_error(text))
    assert found is not None
    whole = re.search(r"quote the whole value, (.+)$", found[1])
    advised = [whole[1]] if whole else re.findall(r" \(([^()]+)\)(?= or |$)", found[1])
    assert advised
    for fix in advised:
        assert value_at(yamlsafe.load(text.replace(wrong, fix, 1)), field) == meant


#: (YAML, where the error is, the field (the key meant), what is said, the key written,
#: its value).
KEYS = [
    ("'Farmer's walk': 1\n", "s walk", "Farmer's walk", "the quote closes at column 8, so "
     "YAML cannot read the text after it (s walk'): to keep an apostrophe inside single "
     "quotes double it ('Farmer''s walk') or use double quotes (\"Farmer's walk\")",
     "'Farmer's walk'", 1),
    ("title: T\norigin:\n  'it's': x\n", "s'", "origin.it's", "the quote closes at "
     "column 6, so YAML cannot read the text after it (s'): to keep an apostrophe",
     "'it's'", "x"),
    ('"ti"tle": x\n', 'tle"', 'ti"tle', "the quote closes at column 4, so YAML cannot read "
     "the text after it (tle\"): to keep a \" inside double quotes write it \\\" "
     "(\"ti\\\"tle\") or use single quotes ('ti\"tle')", '"ti"tle"', "x"),
    ("'Farmer's walk:\n  a: 1\n", "s walk", "Farmer's walk", "the quote closes at column "
     "8, so YAML cannot read the text after it (s walk): to keep an apostrophe",
     "'Farmer's walk", {"a": 1}),
    ('"Soleus" muscle: 1\n', "muscle", '"Soleus" muscle', "the quote closes at column 8, "
     "so YAML cannot read the text after it (muscle): quote the whole key, '\"Soleus\" "
     "muscle':", '"Soleus" muscle:', 1),
    ("x:\n  - 'Farmer's walk': 1\n", "s walk", "x[0].Farmer's walk", "the quote closes at "
     "column 12", "'Farmer's walk'", 1),
    ("x: {'it's': 1, b: 2}\n", "s'", "x.it's", "the quote closes at column 8", "'it's'", 1),
    ("? 'it's'\n: 1\n", "s'", "it's", "the quote closes at column 6", "'it's'", 1),
    ("!!str 'it's': 1\n", "s'", "it's", "the quote closes at column 10", "'it's'", 1),
    ('"a\\"b" c: 1\n', "c:", 'a"b c', "the quote closes at column 6, so YAML cannot read "
     "the text after it (c): quote the whole key, 'a\"b c':", '"a\\"b" c:', 1),
    ("'it''s x' y: 1\n", "y:", "it's x y", "the quote closes at column 9, so YAML cannot "
     "read the text after it (y): quote the whole key, \"it's x y\":", "'it''s x' y:", 1),
]


@pytest.mark.parametrize("text, at, field, said, wrong, value", KEYS)
def test_a_quote_closed_early_in_a_key_is_named_at_the_key_meant(
        text: str, at: str, field: str, said: str, wrong: str, value: object) -> None:
    """libyaml's own message reached the user, naming no field or the map above: the
    key's quote was looked for in values alone. Each text the advice says to write, in
    place of the key, loads, and the key meant holds the value."""
    found = closed_early(text, libyaml_error(text))
    assert found is not None
    assert (found[0], found[2]) == (text.index(at), field)
    assert found[1].startswith(said)
    whole = re.search(r"quote the whole key, (.+)$", found[1])
    advised = [whole[1]] if whole else re.findall(r" \(([^()]+)\)(?= or |$)", found[1])
    assert advised
    for fix in advised:
        assert value_at(yamlsafe.load(text.replace(wrong, fix, 1)), field) == value


@pytest.mark.parametrize("text, wrong, field, advice, meant", [
    ('title: "a\n  b": c\n', 'title: "a\n  b": c', "title", "quote the whole value and "
     "write it on one line, title: '\"a b\": c'", '"a b": c'),
    ('title: "a\n  b" c\n', 'title: "a\n  b" c', "title", "quote the whole value and "
     "write it on one line, title: '\"a b\" c'", '"a b" c'),
    ("title: 'it''s\n  x' y\n", "title: 'it''s\n  x' y", "title", "quote the whole value "
     "and write it on one line, title: \"it's x y\"", "it's x y"),
    ("title: 'it''s\n\n  x' y\n", "title: 'it''s\n\n  x' y", "title", "quote the whole "
     "value and write it on one line, title: \"it's\\nx y\"", "it's\nx y"),
    ("title: 'a\n\n  b' c\n", "title: 'a\n\n  b' c", "title", "quote the whole value and "
     "write it on one line, title: \"'a\\nb' c\"", "'a\nb' c"),
    ('x:\n  - "a\n    b" c # d\n', '- "a\n    b" c', "x[0]", "quote the whole value and "
     "write it on one line, - '\"a b\" c'", '"a b" c'),
    ('title: "a\\"\n  b" c\n', 'title: "a\\"\n  b" c', "title", "quote the whole value "
     "and write it on one line, title: 'a\" b c'", 'a" b c'),
    ('title: "a\n  b": c"\n', '"a\n  b": c"', "title", "the \" before the ':' looks stray, "
     "as the quotes around the whole value hold its colon: leave it out and write the "
     "value on one line (\"a b: c\")", "a b: c"),
    ("title: 'a\n  b's c'\n", "'a\n  b's c'", "title", "write the value on one line, and "
     "to keep an apostrophe inside single quotes double it ('a b''s c') or use double "
     "quotes (\"a b's c\")", "a b's c"),
    ("title: 'it\n\n  b's c'\n", "'it\n\n  b's c'", "title", "write the value on one line, "
     "and to keep an apostrophe inside single quotes double it, or use double quotes "
     "(\"it\\nb's c\")", "it\nb's c"),  # (a line break in it: double quotes alone)
    ('title: "a\n  "b" c"\n', '"a\n  "b" c"', "title", "write the value on one line, and "
     "to keep a \" inside double quotes write it \\\" (\"a \\\"b\\\" c\") or use single "
     "quotes ('a \"b\" c')", 'a "b" c'),
])
def test_a_value_closed_on_an_earlier_line_is_advised_with_the_line_to_write(
        text: str, wrong: str, field: str, advice: str, meant: str) -> None:
    """The value spans lines: no line to write was given. The line given, written in
    place of the value's lines, loads, and the field holds the text meant (its line
    breaks folded, as YAML reads the lines)."""
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[2] == field
    assert found[1].endswith(f": {advice}")
    whole = re.search(r"write it on one line, (.+)$", found[1])
    advised = [whole[1]] if whole else re.findall(r" \(([^()]+)\)(?= or |$)", found[1])
    assert advised
    for fix in advised:
        assert value_at(yamlsafe.load(text.replace(wrong, fix, 1)), field) == meant


@pytest.mark.parametrize("text", [
    "title: T\nlatin L\n",  # (no value closed on the line)
    "title: T\nx: {a: b c: d}\n",  # (a plain value)
    "title: T\nx: 'a'\n  y: z\n",  # (a quoted value, on the line above)
    "title: T\nx: b: c\n",  # (a colon after a plain value: said by the caller)
    "x: ['it'",  # (nothing after it: the [ list is never closed)
    "x: {a: 'b' \n",
    "'a': 'b'\n  c: d\n",  # (a key and a quoted value, a line above)
    "x: [{a}: 'b' c]\n",  # (a pair in a [ list, its key a { map: the pair ends there)
])
def test_nothing_is_said_of_other_errors(text: str) -> None:
    assert closed_early(text, libyaml_error(text)) is None


#: Two polygons, each valid.
_A, _B = "10,10,50,10,30,40", "60,60,90,60,75,90"


@pytest.mark.parametrize("text, wrong, field, advice", [
    (f'coords: !!seq "{_A}" "{_B}"\n', f'coords: !!seq "{_A}" "{_B}"', "coords",
     f'write them as one list, coords: ["{_A}", "{_B}"]'),
    (f'coords: !!seq "{_A}", "{_B}" # c\n', f'coords: !!seq "{_A}", "{_B}"', "coords",
     f'write them as one list, coords: ["{_A}", "{_B}"]'),
    (f"coords: !!seq '{_A}','{_B}'\n", f"coords: !!seq '{_A}','{_B}'", "coords",
     f"write them as one list, coords: ['{_A}', '{_B}']"),
    (f'coords: !!seq\n  "{_A}"\n  "{_B}"\n', f'coords: !!seq\n  "{_A}"\n  "{_B}"', "coords",
     f'write them as one list, coords: ["{_A}", "{_B}"]'),
    (f'coords: !!seq [ "{_A}" "{_B}" ]\n', f'coords: !!seq [ "{_A}" "{_B}" ]', "coords[0]",
     f'write a comma between them, coords: !!seq [ "{_A}", "{_B}" ]'),
    (f'coords: ["{_A}" "{_B}"] # c\n', f'coords: ["{_A}" "{_B}"] # c', "coords[0]",
     f'write a comma between them, coords: ["{_A}", "{_B}"] # c'),
    # (untagged, at a field that takes a list and no text: the list of them too)
    (f'coords: "{_A}" "{_B}"\n', f'coords: "{_A}" "{_B}"', "coords",
     f'write them as one list, coords: ["{_A}", "{_B}"]'),
    (f"coords: '{_A}', '{_B}' # c\n", f"coords: '{_A}', '{_B}'", "coords",
     f"write them as one list, coords: ['{_A}', '{_B}']"),
    (f'coords:\n  "{_A}"\n  "{_B}"\n', f'coords:\n  "{_A}"\n  "{_B}"', "coords",
     f'write them as one list, coords: ["{_A}", "{_B}"]'),
])
def test_quoted_texts_one_after_another_meant_as_a_list_are_advised_as_one(
        text: str, wrong: str, field: str, advice: str) -> None:
    """``coords: !!seq "A" "B"`` (or a comma between them, or over lines) and ``coords:
    !!seq ["A" "B"]`` were told to keep the quotes inside one text, ``"A\\" \\"B"``: one
    polygon, and no polygon at that. The list of them is advised (a comma between them
    in a [ list): the line, written in place of the value's, loads, coords holds both
    polygons, and the muscle has no error there."""
    from tests.test_yamltags import _no_error_at

    text = f"title: T\n{text}"
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[2] == field
    assert found[1].endswith(f": {advice}")
    line = advice.split(", ", 1)[1]
    data = yamlsafe.load(text.replace(wrong, line, 1))
    assert value_at(data, "coords") == [_A, _B] and _no_error_at(data, "coords")


@pytest.mark.parametrize("value", ['!!seq "a" "b"', '"a" "b"'])
def test_quoted_texts_at_a_field_of_text_are_not_advised_as_one(value: str) -> None:
    """``latin`` takes text, not a list: the quotes inside the text are advised."""
    text = f"title: T\nlatin: {value}\n"
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[1].endswith("""or use single quotes ('a" "b')""")


@pytest.mark.parametrize("text, wrong, advice", [
    (f'coords:\n- !!seq "{_A}" "{_B}"\n', f'- !!seq "{_A}" "{_B}"',
     f'write each as an item of the list, on a line of its own: - "{_A}" and - "{_B}"'),
    (f"coords:\n  - !!seq '{_A}', '{_B}' # c\n", f"  - !!seq '{_A}', '{_B}' # c",
     f"write each as an item of the list, on a line of its own: - '{_A}' and - '{_B}'"),
    (f'coords:\n- !!seq "{_A}"\n  "{_B}"\n', f'- !!seq "{_A}"\n  "{_B}"',
     f'write each as an item of the list, on a line of its own: - "{_A}" and - "{_B}"'),
])
def test_quoted_texts_tagged_as_a_list_as_an_item_of_text_are_advised_as_items(
        text: str, wrong: str, advice: str) -> None:
    """``- !!seq "A" "B"`` under ``coords:``: its item takes one text, so each is an item
    of its own (``"A\\" \\"B"`` was advised, one invalid polygon). The items advised,
    each on a line of its own in place of the item's, load, and coords holds both
    polygons with no error there."""
    from tests.test_yamltags import _no_error_at

    text = f"title: T\n{text}"
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[2] == "coords[0]"
    assert found[1].endswith(f": {advice}")
    indent = wrong[:len(wrong) - len(wrong.lstrip(" "))]
    items = re.findall(r"- \S+", advice.split(": ", 1)[1])
    data = yamlsafe.load(text.replace(wrong, "\n".join(indent + item for item in items), 1))
    assert value_at(data, "coords") == [_A, _B] and _no_error_at(data, "coords")


@pytest.mark.parametrize("text, first, above", [
    (f'coords: !!seq\n  "{_A}"\n  "{_B}"\n', f'"{_A}"', 1),
    (f'coords: !!seq\n  "{_A}"\n\n  "{_B}"\n', f'"{_A}"', 2),
    (f'coords: "{_A}"\n  "{_B}"\n', f'"{_A}"', 1),
    (f'coords: !!seq "{_A}" "{_B}"\n', f'"{_A}"', 0),
    ("x: 'it's'\n", "'it'", 0),
])
def test_where_a_value_closes_is_said_of_the_line_it_closes_on(
        text: str, first: str, above: int) -> None:
    """The line and column said are those of the quote that closes the ``first`` text:
    the error's own line, or the one ``above`` lines up (``coords: !!seq`` with the texts
    on the lines below: the error is at the second, and the column said was the
    first's, on the line above, as if of the second's line)."""
    text = f"title: T\n{text}"
    at, message, _field = closed_early(text, libyaml_error(text)) or (0, "", "")
    said = re.match(r"the quote closes (?:(on the line above|(\d+) lines above), )?"
                    r"at column (\d+), ", message)
    assert said is not None, message
    lines_up = 0 if said[1] is None else 1 if said[2] is None else int(said[2])
    end = text.index(first) + len(first)
    assert text.count("\n", 0, at) - lines_up == text.count("\n", 0, end) \
        and lines_up == above
    assert int(said[3]) == end - text.rfind("\n", 0, end - 1) - 1


@pytest.mark.parametrize("text, wrong, field, meant", [
    (f'coords:\n- "{_A}" "{_B}"\n', f'- "{_A}" "{_B}"', "coords", [_A, _B]),
    (f"coords:\n  - '{_A}', '{_B}' # c\n", f"  - '{_A}', '{_B}' # c", "coords", [_A, _B]),
    (f'coords:\n- "{_A}"\n  "{_B}"\n', f'- "{_A}"\n  "{_B}"', "coords", [_A, _B]),
    ('exercises:\n- "Squat" "Lunge"\n', '- "Squat" "Lunge"', "exercises",
     ["Squat", "Lunge"]),
    ("exercises:\n  - Plank\n  - 'Squat' 'Lunge'\n", "  - 'Squat' 'Lunge'", "exercises",
     ["Plank", "Squat", "Lunge"]),
])
def test_quoted_texts_as_an_untagged_item_each_of_them_fits_are_advised_as_items(
        text: str, wrong: str, field: str, meant: list[str]) -> None:
    """``- "A" "B"`` under ``coords:`` was advised ``"A\\" \\"B"``, one invalid polygon,
    though each is a polygon: each is an item of its own, as ``- !!seq "A" "B"`` is (and
    under ``exercises:``, which any text fits, as ``exercises: ["Squat" "Lunge"]`` is
    given a comma). The items advised, each on a line of its own in place of the item's,
    load, and the field holds them all with no error there."""
    from tests.test_yamltags import _no_error_at

    text = f"title: T\n{text}"
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[2] == f"{field}[{len(meant) - 2}]"
    quote = wrong.strip(" -")[0]
    parts = [f"- {quote}{part}{quote}" for part in meant[-2:]]
    assert found[1].endswith(": write each as an item of the list, on a line of its "
                             f"own: {parts[0]} and {parts[1]}")
    indent = wrong[:len(wrong) - len(wrong.lstrip(" "))]
    items = re.findall(r"- \S+", found[1].split("own: ", 1)[1])
    data = yamlsafe.load(text.replace(wrong, "\n".join(indent + item for item in items), 1))
    assert value_at(data, field) == meant and _no_error_at(data, field)


@pytest.mark.parametrize("text", [
    f'coords:\n- "10,10" "{_B}"\n',  # (one of them no polygon: the item's pattern)
    'function:\n- "a" "b"\n',  # (an item that takes a map, no text)
    'exercises:\n- !!str "a" "b"\n',  # (tagged as one text)
])
def test_quoted_texts_as_an_item_that_does_not_take_each_keep_the_quote_advice(
        text: str) -> None:
    """Where one of the texts does not fit the item, or the item takes no text or is
    tagged as one, they are not advised as items: the quotes inside one text are."""
    text = f"title: T\n{text}"
    found = closed_early(text, libyaml_error(text))
    assert found is not None and "to keep a \" inside double quotes" in found[1]


@pytest.mark.parametrize("text, kept", [
    ('coords: "" ""\n', 'write it \\" ("\\" \\"")'),  # (neither is a polygon)
    (f'coords: "10,10" "{_B}"\n', f'write it \\" ("10,10\\" \\"{_B}")'),  # (one is none)
    ("coords: '10', '20' # c\n", "double it ('10'', ''20')"),
])
def test_quoted_texts_at_a_list_key_that_do_not_fit_its_items_keep_the_quote_advice(
        text: str, kept: str) -> None:
    """``coords: "" ""`` was advised as ``coords: ["", ""]``, two invalid polygons: as
    for a list item, the list of them is advised only where each fits the pattern of
    the list's items; otherwise the quotes inside one text are, as before that advice.
    A list whose items any text fits (exercises) still gets the list of them."""
    text = f"title: T\n{text}"
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[2] == "coords"
    assert "write them as one list" not in found[1] and kept in found[1], found[1]
    text = 'title: T\nexercises: "" ""\n'
    found = closed_early(text, libyaml_error(text))
    assert found is not None and found[1].endswith('write them as one list, exercises: ["", ""]')
