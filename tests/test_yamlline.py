"""A line of block YAML missing its ':', its '- ' or the space after its ':'."""

from __future__ import annotations

import re

import pytest
import yaml

from converter import yamlsafe
from converter.yamlline import misread_line, unclosed_quote


def libyaml_error(text: str) -> yaml.MarkedYAMLError:
    """libyaml's error reading ``text``."""
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return caught.value


@pytest.mark.parametrize("text, line, field, message", [
    ("title: T\norigin:\n  en: x\nlatin L\nimage: a.png\n", "latin L", "",
     "no ':' after the key on this line: write latin: L"),
    ("title: T\norigin:\n  en: x\n  da y\n  fr: z\n", "da y", "origin",
     "no ':' after the key on this line: write da: y"),
    ("function:\n  - short: a\n    long b\n  - short: c\n", "long b", "function[0]",
     "no ':' after the key on this line: write long: b"),
    ("title: T\nlatin L # a note\n", "latin L", "",
     "no ':' after the key on this line: write latin: L"),
    ('title: T\n"latin" L\nimage: a\n', '"latin" L', "",
     "no ':' after the key on this line: write the key, ': ' and its value"),
    ("exercises:\n  - Squat\n  Lunge\nlatin: L\n", "Lunge", "exercises",
     "no '- ' before this item of the list: write - Lunge"),
    ("links:\n  - http://a\n  http://b\nlatin: L\n", "http://b", "links",
     "no '- ' before this item of the list: write - http://b"),  # (no key http)
    ("exercises:\n- Squat\nLunge\nlatin: L\n", "Lunge", "",
     "no ':' after the key on this line (write Lunge: and its value), or no '- ' "
     "before this item of the list above it (write - Lunge)"),
    # (the first line of a map's or the text's: libyaml read on into the next line)
    ("title: T\norigin:\n  en x\n  da: y\n", "en x", "origin",
     "no ':' after the key on this line: write en: x"),
    ("title: T\norigin: # a note\n  # more\n\n  en x\n  of it\n  da: y\n", "en x",
     "origin", "no ':' after the key on this line: write en: x"),
    ("x:\n  - a:\n      en\n      da: y\n", "en\n", "x[0].a",
     "no ':' after the key on this line: write en: and its value"),
    ("latin L\ntitle: T\n", "latin L", "", "no ':' after the key on this line: write "
     "latin: L"),
    ("# a note\nlatin L\ntitle: T\n", "latin L", "", "no ':' after the key on this line"),
    ("title: T\nlatin:L\nimage: x\n", ":L", "latin",
     "no space after the ':' of latin, so YAML reads latin:L as text: write latin: L"),
    ("title:Soleus\nlatin: L\n", ":Soleus", "title",
     "no space after the ':' of title, so YAML reads title:Soleus as text: write title: "
     "Soleus"),
    ("title:Soleus\nof the calf\nlatin: L\n", ":Soleus", "title",
     "no space after the ':' of title"),
    ("origin:\n  en:x\n  da: y\n", ":x", "origin.en",
     "no space after the ':' of en, so YAML reads en:x as text: write en: x"),
    ("x:\n  - a: 1\n  - b c\n    d: 2\n", "b c", "x[1]",
     "no ':' after the key on this line, so YAML reads the item as the text 'b c' and d: "
     "below it cannot be a key of it: write - b: c"),
    ("x:\n- b\n  more\n\n  d: 2\n", "b\n", "x[0]",
     "no ':' after the key on this line, so YAML reads the item as the text 'b' and d: "
     "below it cannot be a key of it: write - b: and its value"),
    ("x:\n  - - b c\n      d: 2\n", "b c", "x[0][0]", "no ':' after the key on this line"),
    ("x:\n  - b c\n      d: 2\n", "b c", "x[0]",
     "this item of the list is the text 'b c', so d: below it cannot be a key of it: "
     "write - b c: to hold d:"),
    ("title: T\n- a\nlatin: L\n", "- a", "",
     "a list item where a 'key: value' line is expected: put it under a key such as "
     "exercises:, indented"),
    ("origin:\n  en: x\n  -\n", "-\n", "origin",
     "a list item where a 'key: value' line is expected: put it under a key, indented"),
    ("x:\n  - a: 1\n    - b\n", "- b", "x[0]",
     "a list item where a 'key: value' line is expected: put it under a key, indented"),
])
def test_the_line_at_fault_its_field_and_what_is_missing(
        text: str, line: str, field: str, message: str) -> None:
    """libyaml placed each at the next line, under the field before it."""
    found = misread_line(text, libyaml_error(text))
    assert found is not None
    assert (found[0], found[2]) == (text.index(line), field)
    assert found[1].startswith(message)


@pytest.mark.parametrize("text, line, field, message", [
    ("title: Soleus\norigin:\n  en: This is a long\n  text continued here\n",
     "text continued", "origin", "no ':' after the key on this line: write text: continued "
     "here; or, if this line goes on with the text of origin.en above, indent it further "
     "than en (or quote that text)"),
    ("exercises:\n  - Lunge with a long\n  name\n", "name", "exercises",
     "no '- ' before this item of the list: write - name; or, if this line goes on with "
     "the text of exercises[0] above, indent it further than that item's '- ' (or quote "
     "that text)"),
    ("function:\n  - short: a\n    long b\n", "long b", "function[0]",
     "no ':' after the key on this line: write long: b; or, if this line goes on with the "
     "text of function[0].short above, indent it further than short (or quote that text)"),
    ("origin:\n  en: This is a long\n  # a note\n  text continued here\n", "text",
     "origin", "no ':' after the key on this line: write text: continued here"),  # (ended)
    ("origin:\n  en: Long\ntext continued here\n", "text", "",
     "no ':' after the key on this line: write text: continued here"),  # (less indented)
    ("origin:\n  en: 'Long'\n  text continued here\n", "text", "origin",
     "no ':' after the key on this line: write text: continued here"),  # (quoted: ended)
])
def test_a_line_after_a_plain_text_may_be_that_text_not_indented_enough(
        text: str, line: str, field: str, message: str) -> None:
    """Only the missing ':' or '- ' was said, which for a text wrapped onto a line not
    indented further than its key made it a key of its own (or an item), and then
    bad-language; that the line may go on with the text above is said too."""
    found = misread_line(text, libyaml_error(text))
    assert found == (text.index(line), message, field)


@pytest.mark.parametrize("text, line, field, message", [
    ("x:\n  - b c # note\n    d: 2\n", "b c", "x[0]",
     "this item of the list is the text 'b c', which its comment ends, so d: below it "
     "cannot be a key of it: give d: a '- ' of its own, or write - b c: to hold it"),
    ("x:\n  - b c # note\n    more text\n", "b c", "x[0]",
     "this item of the list is the text 'b c', which its comment ends, so the text below "
     "it cannot be more of it: put the comment after the text's last line"),
    ('x:\n  - a\n  - "b c"\n\n    # note\n    d: 2\n', '"b c"', "x[1]",
     'this item of the list is the quoted text "b c", so d: below it cannot be a key of '
     "it: give d: a '- ' of its own, or write - \"b c\": to hold it"),
    ("x:\n  - 'b c' # note\n    more\n", "'b c'", "x[0]",
     "this item of the list is the quoted text 'b c', so the text below it cannot be "
     "more of it: put that text inside the quotes"),
    ("x:\n  - b c # note\n  d: 2\n", "d: 2", "x",
     "no '- ' before this item of the list: write - d: 2"),
    ("x:\n  -\n text under\n", "text under", "x[0]",
     "the list item above has nothing after its '-', and this line is indented no "
     "further than that '-', so it is not the item's value: indent it further than the "
     "'-'"),
    ("x:\n  - a\n  - # note\n  text: under\n", "text: under", "x[1]",
     "the list item above has nothing after its '-'"),
    ("key: !!str\n  text under\n  k: v\n", "text under", "key",
     "no ':' after the key on this line: write text: under"),
    ("key: !t &a # note\n  text\n  k: v\n", "text", "key",
     "no ':' after the key on this line: write text: and its value"),
])
def test_a_line_under_a_list_item_or_tagged_key_that_is_none_of_it(
        text: str, line: str, field: str, message: str) -> None:
    """libyaml's own message reached the user ("did not find expected '-' indicator",
    "did not find expected node content", or "... key"), at the line below the item,
    under the list or no field; a text under a key with a tag was said so too."""
    found = misread_line(text, libyaml_error(text))
    assert found is not None
    assert (found[0], found[2]) == (text.index(line), field)
    assert found[1].startswith(message)


@pytest.mark.parametrize("text, item, field, said", [
    ("x:\n  - 'a long\n    text' # note\n    d: 2\n", "'a long\n    text'", "x[0]",
     "the quoted text 'a long text', so d: below it cannot be a key of it: give d: a '- ' "
     "of its own, or write - 'a long text': to hold it"),
    ('x:\n  - a\n  - "b\n    c"\n\n    d: 2\n', '"b\n    c"', "x[1]",
     "the quoted text \"b c\", so d: below it cannot be a key of it: give d: a '- ' of its "
     "own, or write - \"b c\": to hold it"),
    ('x:\n  - "b\n    c"\n    more\n', '"b\n    c"', "x[0]",
     "the quoted text \"b c\", so the text below it cannot be more of it: put that text "
     "inside the quotes"),
    ("x:\n  - a long\n    text # note\n    d: 2\n", "a long\n    text", "x[0]",
     "the text 'a long text', which its comment ends, so d: below it cannot be a key of "
     "it: give d: a '- ' of its own, or write - a long text: to hold it"),
    ("x:\n  - b\n    c # note\n    more\n", "b\n    c", "x[0]",
     "the text 'b c', which its comment ends, so the text below it cannot be more of it: "
     "put the comment after the text's last line"),
    ("x:\n  - 'a\n\n    b'\n    d: 2\n", "'a\n\n    b'", "x[0]",
     "a quoted text of several lines, so d: below it cannot be a key of it: give d: a "
     "'- ' of its own"),  # (a line break in it: no one line to write)
    # (a tag before the text: kept in the text to write)
    ("x:\n  - !!str a\n    b # c\n    d: 2\n", "!!str a\n    b", "x[0]",
     "the text 'a b' tagged !!str, which its comment ends, so d: below it cannot be a key "
     "of it: give d: a '- ' of its own, or write - !!str a b: to hold it"),
    ("x:\n  - !!str\n    a\n    b # c\n    d: 2\n", "!!str\n    a\n    b", "x[0]",
     "the text 'a b' tagged !!str, which its comment ends, so d: below it cannot be a key "
     "of it: give d: a '- ' of its own, or write - !!str a b: to hold it"),
    ("x:\n  - !!str 'a\n    b'\n    d: 2\n", "!!str 'a\n    b'", "x[0]",
     "the quoted text 'a b' tagged !!str, so d: below it cannot be a key of it: give d: "
     "a '- ' of its own, or write - !!str 'a b': to hold it"),
    ("x:\n  - !!str a # c\n    d: 2\n", "!!str a", "x[0]",
     "the text 'a' tagged !!str, which its comment ends, so d: below it cannot be a key "
     "of it: give d: a '- ' of its own, or write - !!str a: to hold it"),
    ("x:\n  - !!str a\n    b # c\n    more\n", "!!str a\n    b", "x[0]",
     "the text 'a b' tagged !!str, which its comment ends, so the text below it cannot be "
     "more of it: put the comment after the text's last line"),
])
def test_a_line_under_a_list_item_of_several_lines_that_is_none_of_it(
        text: str, item: str, field: str, said: str) -> None:
    """libyaml's own message ("did not find expected '-' indicator") reached the user,
    at the line below the item, under the list: the item's end was looked for on the
    line above alone. The one line the advice writes holds the line below."""
    found = misread_line(text, libyaml_error(text))
    assert found == (text.index(item), f"this item of the list is {said}", field)
    fix = re.search(r"write - (.+): to hold it$", said)
    if fix is not None:
        assert "d" in yamlsafe.load(text.replace(item, f"{fix[1]}:", 1))["x"][-1]


@pytest.mark.parametrize("text, item, said", [
    ("x:\n  - !!int 5 # c\n    d: 2\n", "!!int 5", "the number 5, written !!int 5, which "
     "its comment ends, so d: below it cannot be a key of it: give d: a '- ' of its own"),
    ("x:\n  - !!bool true # c\n    d: 2\n", "!!bool true", "true, written !!bool true, "
     "which its comment ends, so d: below it cannot be a key of it: give d: a '- ' of its "
     "own"),
    ("x:\n  - !!null ~ # c\n    d: 2\n", "!!null ~", "null, written !!null ~, which its "
     "comment ends, so d: below it cannot be a key of it: give d: a '- ' of its own"),
    ('x:\n  - !!float "1.5"\n    d: 2\n', '!!float "1.5"', "the number 1.5, written "
     "!!float \"1.5\", so d: below it cannot be a key of it: give d: a '- ' of its own"),
    ("x:\n  - !!float 1.5 # c\n    more\n", "!!float 1.5", "the number 1.5, written !!float "
     "1.5, which its comment ends, so the text below it cannot be more of it: put the "
     "comment after the value's last line"),
    ("x:\n  - !!int a\n    b # c\n    d: 2\n", "!!int a", "!!int a b, which its comment "
     "ends, so d: below it cannot be a key of it: give d: a '- ' of its own (and !!int "
     "needs a whole number, not 'a b': write a whole number after !!int, or leave !!int "
     "out for the text, \"a b\")"),
    # (the item read alone: its line is the value said, "write true, true" was said)
    ("x:\n  - !!bool y # c\n    d: 2\n", "!!bool y", "!!bool y, which its comment ends, "
     "so d: below it cannot be a key of it: give d: a '- ' of its own (and !!bool y is "
     "true to Hugo but the text 'y' to Jekyll: write true)"),
    ("x:\n  - !!int -1:30 # c\n    d: 2\n", "!!int -1:30", "!!int -1:30, which its "
     "comment ends, so d: below it cannot be a key of it: give d: a '- ' of its own (and "
     "!!int -1:30 is the number -1800 to Jekyll, an error to Hugo but the number -90 to "
     "PyYAML: write -1800 or -90)"),
])
def test_a_line_under_a_list_item_tagged_as_no_text_says_what_the_item_is(
        text: str, item: str, said: str) -> None:
    """It was "the text '5' tagged !!int" and "write - !!int 5: to hold it", a key
    that is a number, which the loader refuses: the item is said as what its tag makes
    of it (or what the tag needs), and no such key is advised."""
    found = misread_line(text, libyaml_error(text))
    assert found == (text.index(item), f"this item of the list is {said}", "x[0]")
    assert "to hold it" not in found[1]
    lines = text.split("\n")
    lines[2] = "  - " + lines[2].lstrip()  # (the advice followed: d: 2 an item of its own)
    if " (and " not in said:  # (an item that fits no tag: an error of its own)
        assert yamlsafe.load("\n".join(lines))["x"][1] in ({"d": 2}, "more")


@pytest.mark.parametrize("text, said", [
    ("exercises:\n  - !!int 1:70 # c\n    d: 2\n", "!!int 1:70 is the text '1:70' to "
     "Jekyll, an error to Hugo but the number 130 to PyYAML: leave !!int out for the "
     "text, \"1:70\")"),
    ("exercises:\n  - !!bool y # c\n    d: 2\n", "!!bool y is true to Hugo but the text "
     "'y' to Jekyll: leave !!bool out for the text, \"y\")"),
])
def test_a_list_item_of_text_read_alone_is_advised_as_text(text: str, said: str) -> None:
    """An item of a list the schema holds to text (``exercises``), read alone to say
    what it is, was advised the number or boolean (``write 130``, ``write true``), a
    ``wrong-type`` error there: it is advised the text without the tag, which loads as
    that text."""
    found = misread_line(text, libyaml_error(text))
    assert found is not None and found[2] == "exercises[0]"
    assert found[1].endswith(f"(and {said}") and ": write " not in found[1]
    written = said.rsplit("for the text, ", 1)[1][:-1]
    assert yamlsafe.load(f"exercises:\n  - {written}\n")["exercises"] == [
        written.strip('"')]


@pytest.mark.parametrize("text, line, field, key", [
    ("origin:\n  en: a wrapped\n    line: here\n  da: x\n", ": here", "origin.en", "en"),
    ("title: x\n  y: z\n", ": z", "title", "title"),
    ("title: T\nlatin: L\n  x\n y: 1\n", ": 1", "latin", "latin"),
    ("title: T\n# a:b\nlatin: L\n  x: 1\n", ": 1", "latin", "latin"),
    ("x:\n  - a: b c\n      d: 2\n", ": 2", "x[0].a", "a"),
    ("function:\n  - short: a wrapped\n      line: here\n", ": here", "function[0].short",
     "short"),
])
def test_a_colon_on_a_line_a_plain_text_wraps_onto_names_that_text(
        text: str, line: str, field: str, key: str) -> None:
    """libyaml's "mapping values are not allowed in this context" was all that was said,
    under the map or list the text is in, or no field."""
    found = misread_line(text, libyaml_error(text))
    assert found == (text.index(line), (
        f"a colon and a space inside the unquoted text of {key}, wrapped onto this line, "
        "make YAML read a key here, which that text cannot hold: put the whole text in "
        f"quotes (or, if this is a key, indent it as far as {key})"), field)


@pytest.mark.parametrize("text, line", [
    ("origin:\n  en: a wrapped\n    line # c\n    more\n", "more"),
    ("origin:\n  en: a # c\n    b: c\n", "b: c"),
])
def test_a_line_under_a_plain_text_a_comment_ended_names_that_text(text: str, line: str
                                                                   ) -> None:
    """libyaml's "did not find expected key" was said, under the map the text is in."""
    found = misread_line(text, libyaml_error(text))
    assert found == (text.index(line), "the unquoted text of en ends at the comment above, "
                     "so this line, indented under en, is no more of it: put the comment "
                     "after the text's last line", "origin.en")


@pytest.mark.parametrize("text", [
    "title: T\nlatin: [a, b\nimage: x\n",  # (an open list: another error)
    "a: {b c\n d: e}\n",
    "x:\n  -   b c\n    d: 2\n",  # (a key less deep than the item's text)
    "x:\n  -\n    b c\n    d: 2\n",  # (a plain text under an empty item, not a key)
    # (a second colon on a key's line, under a text of several lines: not that text's)
    'note:\n  a long\n  text here\ntitle: "a": b\n',
    "note:\n  a long\n  text\nt: [a]: b\n",
    # (a tag the reader refuses: writing the item so would be a yaml-unsafe-tag error)
    "x:\n  - !foo a # c\n    d: 2\n",
    "x:\n  - !!binary a\n    b # c\n    d: 2\n",
])
def test_other_errors_are_left_to_the_caller(text: str) -> None:
    assert misread_line(text, libyaml_error(text)) is None


@pytest.mark.parametrize("text, field, across", [
    ('title: "Soleus\nlatin: Musculus soleus\norigin:\n  en: Back of the tibia.\n'
     'coords:\n  - "10,10,20,10,20,20"\n', "title",
     "up to the \" 5 lines below ('latin: Musculus soleus' and all)"),
    ("title: Soleus\nlatin: 'Musculus\norigin:\n  en: Tibia's back.\n", "latin",
     "up to the ' 2 lines below ('origin:' and all)"),
    ('origin:\n  en: "Back\n  da: "Bag"\n', "origin.en",
     "up to the \" 1 line below ('da: \"Bag\"' and all)"),
    ('exercises:\n  - "Squat\n  - "Lunge"\n', "exercises[0]",
     "up to the \" 1 line below ('- \"Lunge\"' and all)"),
    ('origin:\n  en: "Back\n  da: " Bag"\n', "origin.en",
     "up to the \" 1 line below ('da: \" Bag\"' and all)"),  # (the error after a space)
    ('title: "Soleus\nlatin: L\nnote: "\n  more: 1\n', "title",
     "up to the \" 2 lines below ('latin: L' and all)"),  # (the error a line below)
])
def test_a_quote_closed_only_lines_below_is_placed_where_it_opens(
        text: str, field: str, across: str) -> None:
    """libyaml found it at the next quote, lines below, saying nothing of the quote."""
    quote = text.index("'" if field == "latin" else '"')
    assert unclosed_quote(text, libyaml_error(text)) == (
        quote, f"this quoted text is never closed on its line, so YAML reads on as its "
        f"text {across}: close it", field)


@pytest.mark.parametrize("text", [
    'title: "Soleus\n  of the calf"\nlatin L\nimage: x\n',  # (across no key)
    'title: "Soleus\n  a: b"\nlatin L\nimage: x\n',  # (across a key deeper than its own)
    'title: T\nlatin: "abc\nx: 1\n',  # (never closed at all: the caller says so)
    # (closed lines below, before an error of a line further down)
    'title: T\nextra_note: "first line\nsecond: line"\norigin:\n  en: x\n  da y\n',
    'title: T\nextra_note: "first line\nsecond: line"\norigin:\n  en: x\n  fr: [a,\n',
    "title: T\nnote: 'first line\nsecond: line'\nlatin L\nimage: x\n",
])
def test_a_quote_that_spans_lines_as_written_is_no_unclosed_quote(text: str) -> None:
    assert unclosed_quote(text, libyaml_error(text)) is None


#: A key of 1,153 characters: longer than libyaml reads (1024 up to its ':').
LONG = "word " * 230 + "end"


@pytest.mark.parametrize("text, key, field", [
    (f"title: T\norigin:\n  en: x\n  {LONG}: y\n", LONG, "origin"),
    (f"title: T\norigin:\n  {LONG}: y\n", LONG, "origin"),  # (not allowed, at its ':')
    (f"title: T\n{LONG}: y\n", LONG, ""),
    (f'x:\n  - a: 1\n  - "{LONG}" : y\n', f'"{LONG}"', "x[1]"),
    ("title: T\n" + "a" * 1025 + ": y\n", "a" * 1025, ""),
], ids=["in-a-map", "first-of-a-map", "at-the-top", "quoted-item", "one-too-many"])
def test_a_key_longer_than_libyaml_reads_is_said_so(text: str, key: str, field: str) -> None:
    """libyaml finds no ':' after a key of over 1024 characters, though the line has it:
    it was said to write one after its first word."""
    assert misread_line(text, libyaml_error(text)) == (
        text.index(key), f"this key is {len(key):,} characters long, and YAML reads a key "
        "of at most 1024 characters: shorten it", field)


def test_a_line_as_long_with_no_colon_is_still_missing_it() -> None:
    text = f"title: T\n{LONG} y\nimage: x\n"
    found = misread_line(text, libyaml_error(text))
    assert found is not None and found[0] == text.index(LONG)
    assert found[1].startswith("no ':' after the key on this line: write word: word word")
