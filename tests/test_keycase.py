"""Keys that differ from a field's name only in case: Hugo lowercases front-matter keys,
muscle-convert does not (converter/keycase.py)."""

from __future__ import annotations

import pytest

from converter.canonical import from_canonical
from converter.diagnostics import MuscleError
from formats.markdown import parse

SOLEUS = "---\nweight: 3\norigin:\n  en: Back of the fibula.\nTitle: Soleus\n---\n"


def diagnostics(text: str) -> list[tuple[int | None, int | None, str, str, str]]:
    with pytest.raises(MuscleError) as caught:
        parse(text, "soleus.md", "soleus", "en")
    return [(d.line, d.column, d.field, d.code, d.message) for d in caught.value.diagnostics]


@pytest.mark.parametrize("text, line, key", [
    (SOLEUS, 5, "Title"),
    ("---\nweight: 3\nTITLE:\n  - Soleus\n---\n", 3, "TITLE"),
    ("---\nweight: 3\ntitle:\nTitle: 'Soleus'\n---\n", 4, "Title"),
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
