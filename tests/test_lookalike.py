"""Paths that look the same (NFC and NFD), and how a duplicate-slug names its first user."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from converter.diagnostics import Named, worded
from converter.lookalike import Lookalikes, user_of

NFC, NFD = (unicodedata.normalize(form, "a/Café.md") for form in ("NFC", "NFD"))
#: The same name with its two accented letters encoded two other ways.
MIXED = unicodedata.normalize("NFD", "Crème ") + "brûlée.md"


def test_twins_are_the_other_paths_that_look_the_same_in_input_order() -> None:
    found = Lookalikes(["x.md", NFD, "CAFE.md", NFC, "b/Café.md"])
    assert found.twins(NFC, "CAFE.md") == [NFD]
    assert found.twins(NFD, "CAFE.md") == [NFC]
    assert found.twins(NFD, NFC) == []  # (the first user is named already)
    assert found.twins("x.md", "y.md") == []


def test_the_paths_are_read_once_on_the_first_question_of_a_path_not_ascii() -> None:
    read: list[str] = []

    def paths() -> Iterator[str]:
        read.append("once")
        yield from (NFC, NFD)

    found = Lookalikes(paths())
    assert found.twins("x.md", "y.md") == [] and read == []
    assert found.twins(NFC, "z.md") == [NFD] and found.twins(NFD, "z.md") == [NFC]
    assert read == ["once"]


def test_a_slug_user_is_named_with_how_a_look_alike_differs() -> None:
    assert worded(*user_of("b.md", "a.md")) == ("a.md", (0, 4))
    assert worded(*user_of("b.md", "b.md", 5))[0] == "an earlier record of this file, on line 5"
    assert worded(*user_of(NFD, NFC))[0].endswith(
        " (the two names differ only in how their accented letters are encoded, NFC and "
        "NFD, as macOS and other systems write them: remove one)")
    message, named = worded(*user_of(NFC, "CAFE.md", twins=[NFD]))
    assert message == (
        f"CAFE.md (another file, {NFD}, has a name that differs from this one's only in "
        "how their accented letters are encoded, NFC and NFD, as macOS and other systems "
        "write them: remove one)")
    assert [message[named[i]:named[i + 1]] for i in (0, 2)] == ["CAFE.md", NFD]


def test_several_look_alikes_are_each_named() -> None:
    other = unicodedata.normalize("NFC", MIXED)
    third = unicodedata.normalize("NFD", MIXED)
    parts = user_of(MIXED, "CAFE.md", twins=[other, third])
    assert [part for part in parts if isinstance(part, Named)] == [
        Named("CAFE.md"), Named(other), Named(third)]
    assert worded(*parts)[0].endswith(", have names that differ from this one's only in "
                                      "how their accented letters are encoded, NFC and "
                                      "NFD, as macOS and other systems write them: remove "
                                      "all but one)")
