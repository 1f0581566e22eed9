"""The language codes a file's name gives its texts: ISO 639-1's and BCP 47 subtags."""

from __future__ import annotations

import pytest

from converter.languages import ISO_639_1, is_text_language
from converter.model import is_language_code


def test_iso_639_1_holds_its_184_two_letter_codes() -> None:
    assert len(ISO_639_1) == 184
    assert all(len(code) == 2 and code.isascii() and code.islower() for code in ISO_639_1)
    assert {"da", "en", "pt", "zh", "sr", "de", "fr", "ja"} <= ISO_639_1
    assert not {"xx", "qq", "zz", "sh"} & ISO_639_1  # (sh: withdrawn, not in ISO 639-2)


@pytest.mark.parametrize("code", [
    "da", "en", "pt-br", "pt-BR", "zh-hans", "zh-Hant-TW", "sr-latn", "sr-Latn-RS",
    "es-419", "de-1901", "ca-valencia", "zh-yue", "en-GB-oxendict"])
def test_a_real_language_s_code_names_the_texts_language(code: str) -> None:
    assert is_language_code(code)
    assert is_text_language(code)


@pytest.mark.parametrize("code", [
    "old", "bak", "fig", "new", "tmp", "xx", "zz", "eng", "fil", "en-us-gb", "sr-latn-cyrl",
    "de-abc1", "en-12"])
def test_what_is_only_a_code_s_shape_names_no_language(code: str) -> None:
    """Two or three lower-case letters and subtags are a language code by the slug's
    rule, but only ISO 639-1's and BCP 47's name the language of a file's texts."""
    assert is_language_code(code)
    assert not is_text_language(code)
