"""Scratch tables: what a run remembers of every muscle lives on disk and reads back
exactly, whatever text it holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from converter.registry import Source
from converter.scratch import Sources, decode, encode

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=20)


@given(st.lists(st.tuples(any_text, any_text, st.floats(allow_nan=False)), max_size=40))
def test_sources_keep_the_first_claim_of_each_slug_like_a_dict(
        claims: list[tuple[str, str, float]]) -> None:
    sources, model = Sources(), {}
    for slug, path, mtime in claims:
        first = sources.claim(slug, Source(path, mtime))
        assert first == model.get(slug)
        model.setdefault(slug, Source(path, mtime))
    assert dict(sources) == model and list(sources) == list(model)
    assert list(sources.values()) == list(model.values()) and len(sources) == len(model)
    for slug, source in model.items():
        assert slug in sources and sources[slug] == sources.get(slug) == source
    assert sources.get("\0not a slug\0") is None and 3 not in sources


def test_sources_can_be_read_while_slugs_are_added() -> None:
    sources = Sources()
    for i in range(2500):
        sources.claim(f"muscle-{i}", Source(f"m{i}.md", float(i)))
    seen = []
    for slug in sources:  # pages of rows: adding meanwhile is safe, and not seen
        seen.append(slug)
        sources.claim(f"late-{slug}", Source("late.md", 0.0))
    assert seen == [f"muscle-{i}" for i in range(2500)] and len(sources) == 5000


@given(any_text)
def test_text_with_lone_surrogates_round_trips(text: str) -> None:
    assert decode(encode(text)) == text
