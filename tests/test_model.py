"""The model is immutable, picklable and compares by value."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given

from converter.model import FrozenMap, LocalizedText, freeze, is_language_code, thaw
from converter.slug import slugify
from tests.strategies import muscles


@given(muscles())
def test_pickle_and_hash(muscle) -> None:
    again = pickle.loads(pickle.dumps(muscle))
    assert again == muscle and hash(again) == hash(muscle)


def test_frozen(sample_muscles) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample_muscles[0].title = "x"  # type: ignore[misc]


def test_localized_text_sorted_and_pick() -> None:
    text = LocalizedText({"en": "Hip", "da": "Hofte"})
    assert list(text) == ["da", "en"]
    assert text.pick("en") == ("en", "Hip")
    assert text.pick("de") == ("da", "Hofte")
    assert LocalizedText().pick("da") is None


def test_freeze_thaw() -> None:
    data = {"a": [1, {"b": None}], "c": "x"}
    frozen = freeze(data)
    assert isinstance(frozen, FrozenMap) and thaw(frozen) == data
    hash(frozen)


@pytest.mark.parametrize("text, slug", [("Navn med mellemrum", "navn-med-mellemrum"),
                                        ("Lægmusklen", "laegmusklen"),
                                        ("Øvre Å-muskel", "oevre-aa-muskel"),
                                        ("Biceps  Brachii!", "biceps-brachii"),
                                        ("Sóleo", "soleo"), ("A\u030A", "aa"),
                                        ("abc\n", "abc")])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("code", ["en\n", "da\n", "pt-BR\n"])
def test_a_language_code_with_a_line_break_is_not_one(code: str) -> None:
    assert is_language_code(code.strip()) and not is_language_code(code)
