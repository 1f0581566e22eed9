"""converter.authoring: building a muscle from front matter, and what it says of keys."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

import converter
from converter.authoring import is_blank, muscle_from_front_matter, shown_only
from converter.diagnostics import MuscleError


@pytest.mark.parametrize(("key", "said"), [
    ("DA", "'DA' is a language code in capitals: write it da"),
    ("PT-BR", "'PT-BR' is a language code in capitals: write it pt-BR"),
    ("Pt-Br", "'Pt-Br' is a language code in capitals: write it pt-BR"),
    ("dansk", "'dansk' is not a language code such as da or en"),
    ("K", "'K' is not a language code such as da or en"),  # (Kelvin sign, lowered to k)
])
def test_a_key_that_is_no_language_code_says_how_to_write_it(key: str, said: str) -> None:
    """A text map's key in capitals (DA:) said "'DA' is not a language code such as da
    or en", though it is one, in capitals; it says how to write it now."""
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter({"title": "Soleus", "origin": {key: "Tibia"}},
                                 path="soleus.md", slug_hint="soleus")
    (problem,) = raised.value.diagnostics
    assert (problem.field, problem.code, problem.message) == (
        f"origin.{key}", "bad-language", said)


@pytest.mark.parametrize(("key", "said"), [
    ("shrot", "unknown key 'shrot' (a function has short and extended); did you mean short?"),
    ("Extended", "unknown key 'Extended' (a function has short and extended); did you mean "
     "extended?"),
    ("long", "unknown key 'long' (a function has short and extended)"),
])
def test_an_unknown_key_of_a_function_says_the_key_it_may_be_a_typo_of(key: str,
                                                                       said: str) -> None:
    """As a canonical record's unknown key does: it said only the keys a function has."""
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter({"title": "Soleus", "function": [
            {"short": "Bends.", key: "x"}]}, path="soleus.md", slug_hint="soleus")
    (problem,) = raised.value.diagnostics
    assert (problem.field, problem.code, problem.message) == (
        f"function[0].{key}", "unknown-key", said)


@pytest.mark.parametrize("text, shown", [("Sq\u200buat", "Squat"), ("Squ\u00adat ", "Squat"),
                                         ("\ufeffCalf\u2060 raise", "Calfraise"),
                                         ("\u200b \u00a0", "")])
def test_shown_only_drops_what_shows_nothing(text: str, shown: str) -> None:
    assert shown_only(text) == shown
    assert is_blank(text) == (shown == "")


#: Format characters (Cf) that draw a sign, alone too: Unicode's
#: Prepended_Concatenation_Mark (PropList.txt), which ``unicodedata`` does not give.
_PREPENDED = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891"
                       "\u08e2\U000110bd\U000110cd")
#: Unicode's Other_Default_Ignorable_Code_Point that are assigned and no variation
#: selector: letters and marks that draw nothing.
_OTHER_IGNORABLE = frozenset({"COMBINING GRAPHEME JOINER", "KHMER VOWEL INHERENT AQ",
                              "KHMER VOWEL INHERENT AA", "HANGUL CHOSEONG FILLER",
                              "HANGUL JUNGSEONG FILLER", "HANGUL FILLER",
                              "HALFWIDTH HANGUL FILLER"})


def _shows_nothing(char: str) -> bool:
    """Whether ``char`` alone shows nothing, from its Unicode properties: white space; a
    format character but one that draws a sign (a prepended concatenation mark, an
    Egyptian hieroglyph format control, whose fallback is a sign); a variation selector;
    the other default ignorables; a code point kept for default ignorables; the blank
    Braille pattern. Not U+1680 OGHAM SPACE MARK: White_Space, but drawn as a visible
    stroke (Ogham's word divider on its stem line), so a title of it shows."""
    if char.isspace():
        return char != "\u1680"
    category = unicodedata.category(char)
    name = unicodedata.name(char, "")
    if category == "Cf":
        return char not in _PREPENDED and not name.startswith("EGYPTIAN HIEROGLYPH")
    if category == "Cn":
        return char == "\u2065" or "\ufff0" <= char <= "\ufff8" or (
            "\U000e0000" <= char <= "\U000e0fff")
    return ("VARIATION SELECTOR" in name or name in _OTHER_IGNORABLE
            or name == "BRAILLE PATTERN BLANK")


def test_what_shows_nothing_is_what_unicode_properties_say_of_every_code_point() -> None:
    """Tag characters (U+E0000-E007F), the variation selectors supplement, musical
    beams and phrases (U+1D173-1D17A), the interlinear annotation marks and Mongolian's
    variation selectors showed nothing but were not blank: a title of them passed."""
    chars = (chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert [f"U+{ord(char):04X}" for char in chars
            if is_blank(char) != _shows_nothing(char)] == []


@pytest.mark.parametrize("title", ["\U000e0041\U000e0042", "\U000e0100", "\U0001d173",
                                   "\ufff9", "\u180b", "\U0001bca0", "\U000e0001 \u200b"],
                         ids=ascii)
def test_a_title_of_characters_that_show_nothing_is_an_empty_field(title: str) -> None:
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter({"title": title}, path="m.md", slug_hint="m")
    (problem,) = raised.value.diagnostics
    assert (problem.field, problem.code, problem.message) == (
        "title", "empty-field", "must not be empty (it holds only invisible characters)")


@pytest.mark.parametrize("title", ["\u0600", "\U00013430", "\u0915\u0301", "\u0301", "\u1680",
                                   "\U0001f1e9\U0001f1f0", "\U0001f3f4\U000e0067\U000e0062"
                                   "\U000e0065\U000e006e\U000e0067\U000e007f"], ids=ascii)
def test_a_title_with_something_that_shows_is_no_empty_field(title: str) -> None:
    """A prepended concatenation mark or a hieroglyph format control draws a sign; a
    combining mark shows (on a dotted circle alone); tags after a flag are its kind;
    U+1680 OGHAM SPACE MARK, white space to Unicode, draws a stroke (it was an
    empty-field error)."""
    assert muscle_from_front_matter({"title": title}, path="m.md", slug_hint="m").title == title



def _functions(count: int, extended: object) -> dict:
    """Front matter of a title and ``count`` functions, each with ``extended``."""
    return {"title": "T", "function": [{"short": f"s{i}", "extended": extended}
                                       for i in range(count)]}


@pytest.mark.parametrize("extended", ["e", {"en": "e"}])
def test_a_function_text_in_the_default_language_counts_as_yaml_counts_it(
        extended: object, tmp_path: Path, node_limit: int) -> None:
    """A function's text in the default language alone, which the Markdown writer writes
    as plain text (its key and the text: 2 values), was counted as a map of one language
    (4), so 12,000 functions of a short and an extended text, 60,005 values to YAML,
    were too-large at 108,005. The count is YAML's of the file the writer writes: at the
    limit of 100,000, 19,999 such functions fit; one more is 100,005 (here at a smaller
    limit, alike)."""
    fits = (node_limit - 5) // 5  # (the map, the title and its text, function: its list)
    muscle = muscle_from_front_matter(_functions(fits, extended), path="m.md",
                                      slug_hint="m")
    converter.write([muscle], tmp_path / "md", "markdown")
    front = (tmp_path / "md" / "m.md").read_text(encoding="utf-8").split("---\n")[1]
    assert sum(isinstance(event, yaml.NodeEvent) for event in yaml.parse(front)) == node_limit
    assert converter.read(tmp_path / "md") == [muscle]
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter(_functions(fits + 1, extended), path="m.md", slug_hint="m")
    assert [(d.code, d.message.split(";")[0]) for d in raised.value.diagnostics] == [
        ("too-large", f"{node_limit + 5} values")]


def test_a_function_text_in_another_language_counts_as_its_map() -> None:
    """In another language (or several), the writer writes the map: its key, the map,
    and a key and a text for each language."""
    data = _functions(14_285, {"da": "e"})  # (14,285 * 7 + 5 = 100,000)
    assert muscle_from_front_matter(data, path="m.md", slug_hint="m").functions
    data["latin"] = "L"  # (2 more)
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter(data, path="m.md", slug_hint="m")
    assert [(d.code, d.message.split(";")[0]) for d in raised.value.diagnostics] == [
        ("too-large", "100002 values")]


@pytest.mark.parametrize("text_lang, writer_lang", [("da", "da"), ("en", "da"), ("da", "en")])
def test_a_function_text_counts_as_the_writers_default_language_writes_it(
        text_lang: str, writer_lang: str, tmp_path: Path, node_limit: int) -> None:
    """The count took the reader's default language for the writer's: a text in Danish
    alone, which the writer of default language da writes as plain text, was counted as
    a map (a muscle that fits was too-large), and one in English alone as plain text,
    which that writer writes as a map (its Markdown file then failed to read back). It
    is YAML's count of the file the writer of ``writer_lang`` writes (here at a smaller
    limit than 100,000)."""
    def front(count: int) -> dict:
        return {"title": "T", "function": [{"short": {text_lang: f"s{i}"}}
                                           for i in range(count)]}

    plain = text_lang == writer_lang  # (a function is 3 values so, 5 as a map)
    fits = (node_limit - 5) // (3 if plain else 5)  # (the map, the title, function)
    muscle = muscle_from_front_matter(front(fits), path="m.json", slug_hint="m",
                                      writer_lang=writer_lang)
    if text_lang == writer_lang == "da":  # (the file written, read back: one is enough)
        converter.write([muscle], tmp_path / "md", "markdown", default_lang=writer_lang)
        text = (tmp_path / "md" / "m.md").read_text(encoding="utf-8").split("---\n")[1]
        assert sum(isinstance(e, yaml.NodeEvent) for e in yaml.parse(text)) == 3 * fits + 5
        assert converter.read(tmp_path / "md", default_lang=writer_lang) == [muscle]
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter(front(fits + 1), path="m.json", slug_hint="m",
                                 writer_lang=writer_lang)
    assert [(d.code, d.message.split(";")[0]) for d in raised.value.diagnostics] == [
        ("too-large", f"{3 * fits + 8 if plain else 5 * fits + 10} values")]


def test_the_slug_index_counts_the_slug_key_the_markdown_writer_writes(
        tmp_path: Path, node_limit: int) -> None:
    """The Markdown writer writes ``slug: index`` (index.md would take its folder's name):
    2 values the count left out, so a muscle at the limit was valid, and its Markdown file
    was yaml-too-large. It counts them now: at the limit the file reads back (here a
    smaller limit than 100,000)."""
    def front(items: int) -> dict:
        return {"slug": "index", "title": "T", "a": list(range(items))}

    fits = node_limit - 7  # (the map; the slug, the title and a: a key and a value each)
    muscle = muscle_from_front_matter(front(fits), path="m.json", slug_hint="index")
    converter.write([muscle], tmp_path / "md", "markdown")
    assert converter.read(tmp_path / "md") == [muscle]
    with pytest.raises(MuscleError) as raised:
        muscle_from_front_matter(front(fits + 1), path="m.json", slug_hint="index")
    assert [(d.code, d.message.split(";")[0]) for d in raised.value.diagnostics] == [
        ("too-large", f"{node_limit + 1} values")]
    assert muscle_from_front_matter({**front(fits + 1), "slug": "a"}, path="m.json",
                                    slug_hint="a").slug == "a"
