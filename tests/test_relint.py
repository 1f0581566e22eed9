"""The corpus lint brought up to date from a ledger equals a fresh lint of the whole corpus."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import converter.lint
import converter.relint
from converter.cache import Cache
from converter.lint import CorpusLint, Fingerprint, _norm_exercise
from converter.relint import Ledger, Relint

LANGUAGES = ("da", "en", "de")
#: Few digests and names: muscles share texts and spell exercises differently.
DIGESTS = (7, 2**63 + 5, 2**64 - 1, 12345)
NAMES = ("Squat", "squat", "Hip thrust", "Hip  Thrust", "Plank")
FIELDS = ("origin.da", "origin.en", "insertion.da", "function[0].extended.en")

positions = st.none() | st.tuples(st.integers(1, 40), st.integers(1, 9))
prints = st.builds(
    lambda langs, anchors, texts, names: Fingerprint(
        langs, anchors, tuple(texts),
        tuple((i, name, _norm_exercise(name), at) for i, (name, at) in enumerate(names))),
    st.tuples(*[st.lists(st.sampled_from(LANGUAGES), unique=True, max_size=2).map(tuple)] * 2),
    st.tuples(positions, positions),
    st.lists(st.tuples(st.sampled_from(FIELDS), st.sampled_from(DIGESTS), positions),
             max_size=4),
    st.lists(st.tuples(st.sampled_from(NAMES), positions), max_size=3))


def _lint(corpus: list[tuple[str, Fingerprint]], listener: Ledger | None = None) -> list:
    lint = CorpusLint(listener=listener)
    for path, print_ in corpus:
        lint.add_fingerprint(print_, path)
    return list(lint.finish())


@pytest.fixture
def few_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts shared by more than 2 others are summed up: the summaries get exercised;
    the ledger keeps 3 diagnostics a part: parts no change reaches are taken over."""
    monkeypatch.setattr(converter.lint, "MAX_LISTED_REPEATS", 2)
    monkeypatch.setattr(converter.relint, "_PART", 3)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(prints, min_size=1, max_size=24), st.data())
def test_a_relint_gives_what_a_fresh_lint_gives(few_repeats: None, corpus: list,
                                                data: st.DataObject) -> None:
    corpus = [(f"m{i}.md", print_) for i, print_ in enumerate(corpus)]
    with tempfile.TemporaryDirectory() as directory:
        cache = Cache.open(Path(directory))
        assert cache is not None
        ledger = Ledger(cache)
        assert _lint(corpus, ledger) == _lint(corpus)
        ledger.commit()
        for _ in range(2):  # and again from the ledger the first update left
            owners = data.draw(st.sets(st.integers(0, len(corpus) - 1), max_size=3))
            changed = {o: (corpus[o][0], data.draw(prints) if data.draw(st.booleans())
                           else corpus[o][1]) for o in owners}
            before = {lang for _, p in corpus for lang in set().union(*p.languages)}
            for owner, now in changed.items():
                corpus[owner] = now
            after = {lang for _, p in corpus for lang in set().union(*p.languages)}
            relint = Relint.start(cache, ledger.ident, changed)
            if relint is None:  # declined only when the corpus's languages change
                assert before != after
                break
            log = relint.log()
            assert log is not None and list(log) == _lint(corpus)
        cache.close()


def test_a_ledger_not_whole_is_declined(tmp_path: Path) -> None:
    print_ = Fingerprint((("da",), ()), (None, None), (("origin.da", 7, (3, 1)),), ())
    corpus = [(f"m{i}.md", print_) for i in range(3)]
    cache = Cache.open(tmp_path)
    assert cache is not None
    ledger = Ledger(cache)
    _lint(corpus, ledger)
    assert Relint.start(cache, ledger.ident, {0: corpus[0]}) is None  # not committed
    ledger.commit()
    assert Relint.start(cache, ledger.ident, {0: corpus[0]}) is not None
    assert Relint.start(cache, ledger.ident, {5: corpus[0]}) is None  # no such muscle
    cache.forget_ledger(ledger.ident)
    assert Relint.start(cache, ledger.ident, {0: corpus[0]}) is None
    cache.close()
