"""Slugs: every Latin letter is spelled in ASCII, the same in either case."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import converter
from converter.slug import slugify

#: Latin-1 Supplement and Latin Extended-A.
LATIN_LETTERS = [chr(code) for code in range(0xC0, 0x180)
                 if chr(code).isalpha() and "LATIN" in unicodedata.name(chr(code), "")]
#: Latin Extended-B and Additional's letters with a stroke, bar or hook.
MARKED_LETTERS = [chr(code) for code in [*range(0x180, 0x250), *range(0x1E00, 0x1F00)]
                  if re.match(r"LATIN (SMALL|CAPITAL) LETTER [A-Z] WITH ",
                              unicodedata.name(chr(code), ""))]


DOTLESS_I = "\N{LATIN SMALL LETTER DOTLESS I}"


def _cased(letter: str) -> set[str]:
    """``letter`` in both cases, each a single letter."""
    return {form for form in (letter.lower(), letter.upper()) if len(form) == 1}


@pytest.mark.parametrize("letter", LATIN_LETTERS + MARKED_LETTERS)
def test_every_latin_letter_gives_a_slug_in_both_cases(letter: str) -> None:
    slugs = {slugify(form) for form in _cased(letter) | {letter}}
    assert len(slugs) == 1 and "" not in slugs, (letter, slugs)


@pytest.mark.parametrize("text, slug", [("Łydka", "lydka"), ("łydka", "lydka"),
                                        ("Þórr", "thorr"), ("þórr", "thorr"),
                                        ("Ðoður", "dodur"), ("Đakovo", "dakovo"),
                                        ("Œuvre", "oeuvre"), ("Cœur", "coeur"),
                                        ("ÆØÅ", "aeoeaa"), ("Ǿre", "oere"),
                                        ("Ħamrun", "hamrun"), (f"{DOTLESS_I}I", "ii"),
                                        ("Straße", "strasse"), ("STRAẞE", "strasse"),
                                        ("Ŋŋ", "ngng")])
def test_letters_no_decomposition_reaches(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_capital_gives_the_slug_of_a_name_a_folder_and_a_slug_key(tmp_path: Path) -> None:
    (tmp_path / "Łydka.md").write_text("---\ntitle: Calf\n---\n", encoding="utf-8")
    (tmp_path / "Þórr").mkdir()
    (tmp_path / "Þórr" / "index.md").write_text("---\ntitle: Thor\n---\n", encoding="utf-8")
    (tmp_path / "Œuvre.md").write_text("---\ntitle: Work\nslug: Cœur\n---\n", encoding="utf-8")
    assert sorted(m.slug for m in converter.read(tmp_path)) == ["coeur", "lydka", "thorr"]
