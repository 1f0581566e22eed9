"""JSON: one deterministic document, valid against the shipped schema, read back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given

import converter
from converter.diagnostics import MuscleError
from converter.schema import load_schema
from tests.conftest import SAMPLES
from tests.strategies import corpora

VALIDATOR = jsonschema.Draft202012Validator(load_schema("muscle"))


def test_samples_round_trip_and_schema(tmp_path: Path, sample_muscles) -> None:
    out = tmp_path / "muscles.json"
    converter.write(sample_muscles, out)
    VALIDATOR.validate(json.loads(out.read_text(encoding="utf-8")))
    assert converter.read(out) == sorted(sample_muscles, key=lambda m: m.slug)


@given(corpora())
def test_round_trip_generated(tmp_path_factory, corpus) -> None:
    out = tmp_path_factory.mktemp("json") / "m.json"
    converter.write(corpus, out, "json")
    VALIDATOR.validate(json.loads(out.read_text(encoding="utf-8")))
    assert converter.read(out) == corpus


def test_sorted_by_slug_with_danish_letters_unescaped(tmp_path: Path, sample_muscles) -> None:
    out = tmp_path / "m.json"
    converter.write(list(reversed(sample_muscles)), out)
    text = out.read_text(encoding="utf-8")
    slugs = [m["slug"] for m in json.loads(text)["muscles"]]
    assert slugs == sorted(slugs)
    assert "æ" in text or "ø" in text
    assert "\\u00e6" not in text


def test_deterministic_bytes(tmp_path: Path, sample_muscles) -> None:
    converter.write(sample_muscles, tmp_path / "a.json")
    converter.write(list(reversed(sample_muscles)), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_decimal_text_preserved(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text('---\ntitle: M\ncoords:\n  - "110.50,110,190.0,110,150,190.25"\n---\n',
                   encoding="utf-8")
    converter.write(converter.read(src), tmp_path / "m.json")
    assert "[110.50,110],[190.0,110],[150,190.25]" in (tmp_path / "m.json").read_text()


def test_bad_record_is_a_diagnostic(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    out.write_text('{"muscles": [{"slug": "a", "title": 5}]}', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    (d,) = caught.value.diagnostics
    assert (d.field, d.code) == ("muscles[0].title", "wrong-type")


def test_broken_json_is_a_diagnostic(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    out.write_text('{"muscles": [', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert caught.value.diagnostics[0].code == "bad-json"


def test_markdown_to_json_equals_via_markdown(tmp_path: Path) -> None:
    """samples -> markdown -> json equals samples -> json, byte for byte."""
    direct, via = tmp_path / "direct.json", tmp_path / "via.json"
    converter.write(converter.read(SAMPLES), direct)
    converter.write(converter.read(SAMPLES), tmp_path / "md", "markdown")
    converter.write(converter.read(tmp_path / "md"), via)
    assert direct.read_bytes() == via.read_bytes()
