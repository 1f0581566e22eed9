"""Hypothesis strategies for canonical muscle models (shared by every format's tests)."""

from __future__ import annotations

import math
import string
from decimal import Decimal

from hypothesis import strategies as st

from converter.authoring import is_blank
from converter.model import Function, LocalizedText, Muscle, Region, freeze
from converter.safety import is_safe_link
from converter.slug import WINDOWS_DEVICES

# Any Unicode text a content file can hold: no surrogates, no control characters
# other than tab and newline (the validator rejects those in text fields).
_ALPHABET = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n")
text = st.text(_ALPHABET, max_size=60)
# (what shows something: not only spaces and invisible characters, which a title may not be)
nonblank_text = text.filter(lambda s: not is_blank(s))
# Texts that look like a missing-value marker (``\N`` in the CSV package, PostgreSQL).
marker_like = st.sampled_from(["\\N", "\\\\N", "\\\\\\N"])
tricky_text = st.one_of(
    text, marker_like,
    st.sampled_from(["=1+1", "+45", "-3", "@SUM(A1)", "\tx", "a,b", 'say "hi"', " lead",
                     "trail ", "line\nbreak", "æøå ÆØÅ", "💪 emoji", "<script>alert(1)</script>",
                     "&amp; <b>", "no", "on", "2020-01-01", "null", "~", "'q'", "#x", "- item",
                     "a: b", "[x]", "{y}", "*star", "&anchor", "!tag", "%p", "|", ">", "`",
                     "line\n\ufffe", "\uffff\nend"]),  # (no | block can hold these)
)
# Texts that show nothing, which a format may not tell from none (an empty Anki field).
blank = st.sampled_from(["", " ", "\u200b", "\n"])
# Any text a body can hold (all but NUL and lone surrogates), with line ends of every
# kind: a lone CR, CRLF, LF, Unicode separators, and lines a reader might take for more.
_BODY_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")
_BODY_PARTS = st.sampled_from(["\r", "\r\n", "\n", "\n\n", "\u2028", "\x85", "---", "----",
                               "# H", "text", "  ", "\t"])
bodies = st.one_of(st.just(""), marker_like, text, st.text(_BODY_ALPHABET, max_size=60),
                   st.lists(_BODY_PARTS, max_size=12).map("".join),
                   st.text(_ALPHABET, min_size=200, max_size=2000))
languages = st.sampled_from(["da", "en", "no", "on", "de", "sv", "pt-BR", "nb", "yes"])


def localized(min_size: int = 0) -> st.SearchStrategy[LocalizedText]:
    """Text in 0..n languages."""
    return st.dictionaries(languages, tricky_text, min_size=min_size, max_size=3).map(
        LocalizedText)


def numbers() -> st.SearchStrategy:
    """Coordinates as authors write them: integers, or decimals kept exactly (tiny ones
    too, which ``str`` would write with an exponent)."""
    integer = st.integers(min_value=0, max_value=5000)
    decimal = st.tuples(st.integers(0, 5000), st.text(string.digits, min_size=1, max_size=3)
                        ).map(lambda t: Decimal(f"{t[0]}.{t[1]}"))
    tiny = st.tuples(st.integers(5, 12), st.text(string.digits, min_size=1, max_size=3)
                     ).map(lambda t: Decimal(f"0.{'0' * t[0]}{t[1]}"))
    return st.one_of(integer, decimal, tiny)


@st.composite
def regions(draw: st.DrawFn) -> Region:
    """A simple polygon (vertices at increasing angles around a centre, so star-shaped and
    never self-intersecting), with integer or exact decimal coordinates (some tiny)."""
    n = draw(st.integers(3, 10))
    shrink = draw(st.sampled_from([0, 0, 0, 10]))  # 10: every coordinate below 1e-6
    cx, cy = draw(st.integers(100, 4000)), draw(st.integers(100, 4000))
    points = []
    for k in range(n):
        angle = 2 * math.pi * (k + draw(st.floats(0.1, 0.9))) / n
        radius = draw(st.integers(20, 90))
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        decimals = draw(st.sampled_from([0, 0, 1, 2])) + shrink + 2 * bool(shrink)
        points.append(tuple(Decimal(f"{v / 10 ** shrink:.{decimals}f}") if decimals
                            else round(v) for v in (x, y)))
    return Region(tuple(points))

#: (not a Windows device's name, which a writer that names files by slugs leaves out)
slugs = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z").filter(
    lambda slug: slug not in WINDOWS_DEVICES)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.floats(allow_nan=False, allow_infinity=False), text)
json_values = st.recursive(json_scalars, lambda children: st.one_of(
    st.lists(children, max_size=3),
    st.dictionaries(st.text(string.ascii_lowercase, min_size=1, max_size=5), children,
                    max_size=3)), max_leaves=6)
# Keys of extra: names, and keys only a quoted YAML key holds (line separators, dots).
# Not the draft markers, whose values are checked and which read() leaves out
# (tests/test_drafts.py).
extra_keys = st.text(string.ascii_lowercase + "_", min_size=1, max_size=10).filter(
    lambda k: k not in {"slug", "title", "latin", "origin", "insertion", "function",
                        "exercises", "image", "image_focus", "coords", "draft",
                        "published"}) | st.sampled_from(
    ["k\x85", "a\u2028b", "my.key", "\ufffe"])


@st.composite
def muscles(draw: st.DrawFn, slug: st.SearchStrategy[str] = slugs,
            body: st.SearchStrategy[str] = bodies) -> Muscle:
    """One valid muscle with any content the model allows (``body``: its body's)."""
    functions = draw(st.lists(st.builds(Function, localized(min_size=1), localized()),
                              max_size=4))
    return Muscle(
        slug=draw(slug),
        title=draw(nonblank_text | marker_like),
        latin=draw(st.none() | blank | text | marker_like),
        origin=draw(localized()),
        insertion=draw(localized()),
        functions=tuple(functions),
        exercises=tuple(draw(st.lists(tricky_text | blank, max_size=4))),
        image=draw(st.none() | st.sampled_from(["https://example.org/a.jpg", "img/b c.png"])
                   | text.filter(is_safe_link)),
        image_focus=draw(st.none() | text.filter(is_safe_link)),
        regions=tuple(draw(st.lists(regions(), max_size=3))),
        body=draw(body),
        extra=freeze(draw(st.dictionaries(extra_keys, json_values, max_size=3))),
    )


@st.composite
def corpora(draw: st.DrawFn, max_size: int = 6) -> list[Muscle]:
    """A list of muscles with distinct slugs, sorted by slug."""
    items = draw(st.lists(muscles(), max_size=max_size, unique_by=lambda m: m.slug))
    return sorted(items, key=lambda m: m.slug)
