"""The model is immutable, picklable and compares by value."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given

from converter.cli import cli
from converter.model import (
    FrozenMap,
    LocalizedText,
    Muscle,
    TaggedFloat,
    TaggedInt,
    freeze,
    is_language_code,
    language_code,
    thaw,
)
from converter.slug import slugify
from tests.conftest import ROOT
from tests.strategies import muscles


@given(muscles())
def test_pickle_and_hash(muscle) -> None:
    again = pickle.loads(pickle.dumps(muscle))
    assert again == muscle and hash(again) == hash(muscle)


@pytest.mark.parametrize("number", [TaggedInt(31, "0x1F"), TaggedFloat(1000.0, "1_000")])
def test_a_tagged_number_keeps_its_spelling_through_a_pickle(number: float) -> None:
    """A cached run's muscle is pickled: ``!!int 0x1F`` must come back so, not 31."""
    again = pickle.loads(pickle.dumps(freeze({"x": number})))["x"]
    assert (type(again), again, again.text) == (type(number), number, number.text)


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


@pytest.mark.parametrize("typed, code", [
    ("da", "da"), ("pt-br", "pt-br"), ("pt-BR", "pt-BR"), ("zh-hant", "zh-hant"),
    ("DA", "da"), ("PT-BR", "pt-BR"), ("Pt-br", "pt-BR"), ("ZH-HANT-TW", "zh-Hant-TW"),
    ("EN-001", "en-001"), ("DE-1996", "de-1996"), ("SL-ROZAJ", "sl-rozaj"),
    ("Danish", None), ("EN_GB", None), ("DA\n", None), ("\u212aL", None), (None, None)])
def test_a_language_code_in_other_case_is_held_in_bcp_47s_case(
        typed: object, code: str | None) -> None:
    """A code the model holds as typed is kept so; one in other case (its language in
    capitals, which the model's codes never have) is held in BCP 47's case, so that
    ``PT-BR`` and ``pt-BR`` are one; what is no code, or only one once a non-ASCII letter
    is lowered (the Kelvin sign's ``k``), is None."""
    assert language_code(typed) == code


#: A number no float holds (a float's largest is about 1.8e308), as the bug report wrote it.
TOO_LARGE = "1" + "0" * 400 + ".5"


def _too_large_in(form: str, number: str, tmp_path: Path) -> Path:
    """A corpus in ``form`` whose one muscle's extra ``weight`` is ``number``."""
    import converter

    if form == "md":
        path = tmp_path / "w.md"
        path.write_text(f"---\ntitle: W\nweight: {number}\n---\n", encoding="utf-8")
        return path
    if form in ("json", "jsonl"):
        record = f'{{"slug": "w", "title": "W", "extra": {{"weight": {number}}}}}'
        path = tmp_path / f"w.{form}"
        path.write_text(f'{{"muscles": [{record}]}}' if form == "json" else record + "\n",
                        encoding="utf-8")
        return path
    path = tmp_path / "w.db"
    converter.write([Muscle(slug="w", title="W", extra=freeze({"weight": 1}))], path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE muscles SET extra = ?", (f'{{"weight": {number}}}',))
    db.close()
    return path


@pytest.mark.parametrize("form", ["md", "json", "jsonl", "sqlite"])
@pytest.mark.parametrize("number", [TOO_LARGE, "1.0e+400", "-1.0e+400",
                                    "1.0e+999999999999999999999", "-1.0e+" + "9" * 5000])
def test_a_number_too_large_for_a_float_is_named_so(form: str, number: str,
                                                     tmp_path: Path) -> None:
    """It was "must be a finite number", as .inf is: it is finite, and too large."""
    path = _too_large_in(form, number, tmp_path)
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format",
                                      "json", str(path)])
    assert result.exit_code == 1
    assert [(d["field"].rsplit(".", 2)[-2:], d["code"], d["message"])
            for d in json.loads(result.stdout)] == [
        (["extra", "weight"] if form != "md" else ["weight"], "wrong-type",
         "is too large for a number (no float holds it)")]


@pytest.mark.parametrize("form", ["md", "json", "jsonl", "sqlite"])
@pytest.mark.parametrize("number", ["0.0e+999999999999999999999", "1.5e-999999999999999999999"])
def test_a_number_of_an_exponent_past_any_decimal_s_is_the_float_it_reads_as(
        form: str, number: str, tmp_path: Path) -> None:
    """An exponent of 19 digits or more was a decimal.InvalidOperation traceback: such
    a number is too large (above), or the zero a float reads it as, its text kept."""
    import converter

    path = _too_large_in(form, number, tmp_path)
    [muscle] = converter.read(path)
    weight = muscle.extra["weight"]
    assert weight == 0.0 and weight.text == number  # type: ignore[attr-defined]


def _readme_numbers() -> tuple[str, str]:
    """The number README says is too large for a float (``a 1 and 400 zeros then
    `.5```), and the whole number it says is read exactly, as written out."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    large = re.search(r"`1\.0e\+400`, or a 1 and ([0-9]+) zeros( then `\.5`)?\) is a "
                      r"`wrong-type` error", readme)
    whole = re.search(r"A whole number is an integer however large \(a 1 and ([0-9]+) "
                      r"zeros is read and written exactly\)", readme)
    assert large is not None and whole is not None
    return "1" + "0" * int(large[1]) + (".5" if large[2] else ""), "1" + "0" * int(whole[1])


@pytest.mark.parametrize("form", ["md", "json", "jsonl", "sqlite"])
def test_the_readme_says_which_large_numbers_no_float_holds(form: str,
                                                            tmp_path: Path) -> None:
    """README said a 1 and 400 zeros is wrong-type, too large for a number; every reader
    takes that whole number exactly, and a 1 and 400 zeros then .5 is too large."""
    import converter

    large, whole = _readme_numbers()
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format",
                                      "json", str(_too_large_in(form, large, tmp_path))])
    assert [(d["code"], d["message"]) for d in json.loads(result.stdout)] == [
        ("wrong-type", "is too large for a number (no float holds it)")]
    (tmp_path / "whole").mkdir()
    [muscle] = converter.read(_too_large_in(form, whole, tmp_path / "whole"))
    converter.write([muscle], tmp_path / "back", "markdown")
    assert [m.extra["weight"] for m in converter.read(tmp_path / "back")] == [int(whole)]


@pytest.mark.parametrize(("written", "message"), [(".inf", "must be a finite number"),
                                                  ("-.inf", "must be a finite number"),
                                                  (".nan", "must be a finite number")])
def test_infinity_itself_is_not_finite(written: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "w.md"
    path.write_text(f"---\ntitle: W\nweight: {written}\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format",
                                      "json", str(path)])
    assert [d["message"] for d in json.loads(result.stdout)] == [message]
