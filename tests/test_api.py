"""The Python API's own errors: bad arguments are clear exceptions, never KeyErrors."""

from __future__ import annotations

from pathlib import Path

import pytest

import converter
from tests.conftest import SAMPLES


def test_unknown_formats_are_diagnostics(tmp_path: Path, sample_muscles) -> None:
    with pytest.raises(converter.MuscleError, match="unknown-format"):
        converter.read(SAMPLES, format="nope")
    with pytest.raises(converter.MuscleError, match="no format 'nope' writes files"):
        converter.write(sample_muscles, tmp_path / "m.json", "nope")
    with pytest.raises(converter.MuscleError, match="cannot tell the format"):
        converter.write(sample_muscles, tmp_path / "m.unknown")
    assert list(tmp_path.iterdir()) == []


def test_default_language_must_be_a_language_code() -> None:
    with pytest.raises(ValueError, match="not a language code"):
        converter.read(SAMPLES, default_lang="Danish")
    assert converter.read(SAMPLES / "soleus.md", default_lang="pt-BR")
