"""converter.authoring: building a muscle from front matter, and what it says of keys."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("text, shown", [("Sq\u200buat", "Squat"), ("Squ\u00adat ", "Squat"),
                                         ("\ufeffCalf\u2060 raise", "Calfraise"),
                                         ("\u200b \u00a0", "")])
def test_shown_only_drops_what_shows_nothing(text: str, shown: str) -> None:
    assert shown_only(text) == shown
    assert is_blank(text) == (shown == "")

