"""Keys that differ from a field's name only in case: Hugo lowercases front-matter keys,
muscle-convert does not (converter/keycase.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import converter
from converter.canonical import from_canonical
from converter.diagnostics import MuscleError
from converter.keycase import hugo_key
from converter.run import validate_sources
from formats.markdown import parse
from tests.hugo import hugo_pages

SOLEUS = "---\nweight: 3\norigin:\n  en: Back of the fibula.\nTitle: Soleus\n---\n"


def diagnostics(text: str) -> list[tuple[int | None, int | None, str, str, str]]:
    with pytest.raises(MuscleError) as caught:
        parse(text, "soleus.md", "soleus", "en")
    return [(d.line, d.column, d.field, d.code, d.message) for d in caught.value.diagnostics]


@pytest.mark.parametrize("text, line, key", [
    (SOLEUS, 5, "Title"),
    ("---\nweight: 3\nTITLE:\n  - Soleus\n---\n", 3, "TITLE"),
    ("---\nweight: 3\ntitle:\nTitle: 'Soleus'\n---\n", 4, "Title"),
    ("---\nweight: 3\nTİTLE: Soleus\n---\n", 3, "TİTLE"),
])
def test_a_missing_title_beside_a_key_hugo_reads_as_title_says_so_at_that_key(
        text: str, line: int, key: str) -> None:
    """'soleus.md:2:1: error: title: is required', at the first key, with no word of the
    Title: below, which Hugo reads as title."""
    assert diagnostics(text) == [
        (line, 1, "title", "missing-field", f"is required (the file has {key}:, which "
         "Hugo reads as title; keys are case-sensitive here: write title)")]


def test_a_missing_title_with_no_such_key_is_as_it_was() -> None:
    assert diagnostics("---\nweight: 3\nTitles: Soleus\n---\n") == [
        (2, 1, "title", "missing-field", "is required")]


def test_a_record_of_another_format_says_so_too() -> None:
    with pytest.raises(MuscleError) as caught:
        from_canonical({"slug": "soleus", "extra": {"Title": "Soleus"}}, path="m.json",
                       field="muscles[0]")
    assert [(d.field, d.message) for d in caught.value.diagnostics] == [
        ("muscles[0].title", "is required (the file has Title:, which Hugo reads as title; "
                             "keys are case-sensitive here: write title)")]


HUGO_READS = ("Hugo reads this key as {0} (it lowercases front-matter keys); keys are "
              "case-sensitive here, so it is extra data, not the muscle's {0}: write {0}")
ONE_KEY = ("this key and title are one key to Hugo, which reads front-matter keys in lower "
           "case and takes the value of either; keys are case-sensitive here, so this one is "
           "extra data: keep one")


def warnings_of(path: Path) -> list[tuple[int | None, int | None, str, str, str]]:
    return [(d.line, d.column, d.field, d.code, d.message)
            for d in validate_sources([path]).diagnostics if d.severity == "warning"]


def test_a_key_hugo_reads_as_a_field_is_a_warning_at_that_key(tmp_path: Path) -> None:
    """Coords: was extra data with no word: the map had no regions, the site had them."""
    src = tmp_path / "gastrocnemius.md"
    src.write_text('---\ntitle: G\nCoords:\n  - "1,1,5,1,5,5"\nLATIN: "L"\nTitle: "T"\n'
                   'weight: 3\n---\n', encoding="utf-8")
    assert warnings_of(src) == [
        (3, 1, "Coords", "field-case", HUGO_READS.format("coords")),
        (5, 1, "LATIN", "field-case", HUGO_READS.format("latin")),
        (6, 1, "Title", "field-case", ONE_KEY)]
    (muscle,) = converter.read(src)
    assert (muscle.regions, list(muscle.extra)) == ((), ["Coords", "LATIN", "Title", "weight"])


def test_a_key_with_a_dotted_capital_i_is_the_field_hugo_reads(tmp_path: Path) -> None:
    """Go lowercases İ (U+0130) to i, Python to i and a combining dot: ``İmage:`` was no
    warning, though Hugo reads it as image."""
    src = tmp_path / "gastrocnemius.md"
    src.write_text("---\ntitle: G\nİmage: g.png\nLATİN: L\n---\n", encoding="utf-8")
    assert warnings_of(src) == [
        (3, 1, "İmage", "field-case", HUGO_READS.format("image")),
        (4, 1, "LATİN", "field-case", HUGO_READS.format("latin"))]


def test_keys_are_folded_as_hugo_folds_them(tmp_path: Path) -> None:
    """Each key as Hugo 0.111 gives it in a page's params (Go's strings.ToLower): İ is i,
    a capital sigma ending a word the small sigma (Python's lower case has the final
    form there)."""
    keys = ["TİTLE", "İmage", "LATİN", "COORDSΣ", "ΣΑΣ", "Notes", "STRASSE", "straße", "ǅ"]
    text = "---\n" + "".join(f"{key}: v{i}\n" for i, key in enumerate(keys)) + "---\n"
    [params] = hugo_pages([text], tmp_path / "site")
    assert {hugo_key(key): f"v{i}" for i, key in enumerate(keys)}.items() <= params.items()


def test_a_record_of_another_format_with_such_a_key_is_warned_of_too(tmp_path: Path) -> None:
    muscle = converter.model.Muscle(slug="g", title="G",
                                    extra=converter.model.freeze({"Image": "g.png"}))
    converter.write([muscle], tmp_path / "m.json")
    assert [found[2:] for found in warnings_of(tmp_path / "m.json")] == [
        ("muscles[g].extra.Image", "field-case", HUGO_READS.format("image"))]
