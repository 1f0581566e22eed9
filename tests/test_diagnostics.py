"""Diagnostics: text and JSON rendering, and the packed form the cache keeps."""

from __future__ import annotations

import pickle
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.diagnostics import Diagnostic, pack, render, unpack

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
diagnostic = st.builds(Diagnostic, any_text, st.none() | st.integers(1, 10**9),
                       st.none() | st.integers(1, 10**6), any_text, any_text, any_text,
                       st.sampled_from(["error", "warning"]))


@given(st.lists(diagnostic, max_size=40), st.integers(1, 7))
def test_pack_gives_back_every_diagnostic(diagnostics: list[Diagnostic], chunk: int) -> None:
    back = list(unpack(pack(diagnostics, chunk=chunk)))
    assert back == diagnostics
    assert all(type(d) is Diagnostic for d in back)


def test_pack_is_smaller_than_pickle_for_a_corpus_of_warnings() -> None:
    many = [Diagnostic(f"corpus/muscle-{i % 500}.md", i % 90 + 1, 7, "origin.da",
                       "duplicate-text", f"same text as corpus/muscle-{i}.md (origin.da)",
                       "warning") for i in range(20_000)]
    packed = pack(many)
    assert list(unpack(packed)) == many
    assert len(packed) * 4 < len(pickle.dumps(many, pickle.HIGHEST_PROTOCOL))


@pytest.mark.parametrize("blob", [
    b"", b"not zlib at all",
    zlib.compress(b'[["a.md",1,1,"f","c","m"]]\n'),  # a field short
    pack([Diagnostic("a.md", 1, 1, "f", "c", "m")])[:-4],  # truncated
])
def test_a_damaged_pack_is_an_error_not_a_wrong_answer(blob: bytes) -> None:
    with pytest.raises((ValueError, zlib.error)):
        list(unpack(blob))


def test_diagnostics_pickle_as_themselves() -> None:
    d = Diagnostic("a.md", None, None, "title", "missing-field", "no title", "error")
    assert pickle.loads(pickle.dumps(d, pickle.HIGHEST_PROTOCOL)) == d
    assert str(d) == "a.md: error: title: no title [missing-field]"
    assert render([d], "json").count('"path": "a.md"') == 1
