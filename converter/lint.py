"""Content lints: what a content maintainer wants checked beyond the schema.

Per muscle (run where the file is parsed, in parallel): polygon geometry and fit,
unsafe links, empty texts. Across the corpus (:class:`CorpusLint`, in the main
process, keeping only small fingerprints so memory stays flat): languages missing
from a field, the same origin, insertion or extended function text in two muscles (short
function names such as "Flexes the hip" legitimately repeat and are not compared), and
exercise names that differ only by case, spacing or invisible characters. A text shared
by k files gives k warnings, one per file, each naming the first file that has it; beyond
:data:`MAX_LISTED_REPEATS` repeats (shared on purpose, not copied by mistake) the rest
are summed up in one more warning on the first file.

Geometry is exact (integers, never floats) to :data:`GEOMETRY_DECIMALS` decimal places
and near-linear: a polygon of half a million points is checked in seconds, so no input
can make validation hang.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from . import drafts, keycase, scratch
from .authoring import blank_kind, is_blank, match_blank, shown_only
from .diagnostics import Diagnostic, DiagnosticLog, Named, error, worded
from .model import Muscle, Number, Point, number_text
from .safety import is_safe_link

_SIZE = re.compile(r"^\s*([0-9]+)\s*[xX]\s*([0-9]+)\s*$")  # (ASCII digits: int() takes any)
#: The largest coordinate (and ``--size`` side) a map may have: browsers draw SVG in 32-bit
#: floating point, whole pixels exactly only up to 2**24; past it a region is drawn
#: shifted or squashed (at 1e9, to nothing), and a map that wide is too big to lay out.
MAX_COORDINATE = 2 ** 24

IntPoint = tuple[int, int]


def parse_size(text: str) -> tuple[int, int]:
    """``"1000x1000"`` -> ``(1000, 1000)``; ValueError otherwise, also for a text that
    breaks a line (``"1\\nx2"``: the pattern's ``\\s`` takes a newline for a space)."""
    match = _SIZE.match(text)
    one_line = "".join(text.splitlines()) == text
    if not match or not one_line or not all(int(v) > 0 for v in match.groups()):
        raise ValueError(f"size must look like 1000x800, not {text!r}")
    if max(int(v) for v in match.groups()) > MAX_COORDINATE:
        raise ValueError(f"size {text.strip()} is larger than browsers can draw: at most "
                         f"{MAX_COORDINATE} pixels a side")
    return int(match.group(1)), int(match.group(2))


def diagram_size(size: str | None) -> tuple[int, int] | None:
    """The ``--size`` option (``"1000x800"``) as (width, height), or None when not given;
    a ``bad-size`` :class:`~converter.diagnostics.MuscleError` for another text, of the
    option as the caller names it (:func:`~converter.registry.spelling`)."""
    if size is None:
        return None
    try:
        return parse_size(size)
    except ValueError as exc:
        from .registry import spelling
        raise error(spelling().option("size"), "bad-size", str(exc)) from None


# ---- geometry -----------------------------------------------------------------------

#: The decimal places the geometry honours: far past what any renderer tells apart (a
#: double holds about 16 significant digits), and cheap. A coordinate with more is
#: rounded (half to even) to this many for the geometry only; with all its 1000 digits
#: the common scale made every integer 3000 bits long and the checks 30 times slower.
GEOMETRY_DECIMALS = 40
_FINEST = 10 ** GEOMETRY_DECIMALS


def _integers(points: Sequence[Point]) -> list[IntPoint]:
    """The points scaled by one common factor to integers (scaling keeps every
    orientation, so the geometry is unchanged and arithmetic stays exact and fast;
    Decimal arithmetic would round beyond 28 digits): exact when every coordinate has
    at most :data:`GEOMETRY_DECIMALS` decimals, else all on that grid, rounded."""
    if all(type(x) is int and type(y) is int for x, y in points):
        return [(x, y) for x, y in points]
    ratios = [(_ratio(x), _ratio(y)) for x, y in points]
    denominators = {d for point in ratios for _, d in point}
    if all(_FINEST % d == 0 for d in denominators):
        scale = math.lcm(*denominators)
        return [(nx * (scale // dx), ny * (scale // dy)) for (nx, dx), (ny, dy) in ratios]
    return [(_rounded(nx * _FINEST, dx), _rounded(ny * _FINEST, dy))
            for (nx, dx), (ny, dy) in ratios]


def _ratio(value: Number) -> tuple[int, int]:
    return (value, 1) if isinstance(value, int) else value.as_integer_ratio()


def _rounded(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, half to even."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    return quotient + (twice > denominator or (twice == denominator and quotient % 2 == 1))


def _orient(a: IntPoint, b: IntPoint, c: IntPoint) -> int:
    """1 when ``c`` lies left of (counter-clockwise from) ``a -> b``, -1 right, 0 on it."""
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (v > 0) - (v < 0)


def _on_segment(a: IntPoint, b: IntPoint, p: IntPoint) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= \
        max(a[1], b[1])


def _segments_touch(a: IntPoint, b: IntPoint, c: IntPoint, d: IntPoint) -> bool:
    o1, o2, o3, o4 = _orient(a, b, c), _orient(a, b, d), _orient(c, d, a), _orient(c, d, b)
    if o1 != o2 and o3 != o4:
        return True
    return (o1 == 0 and _on_segment(a, b, c)) or (o2 == 0 and _on_segment(a, b, d)) or \
        (o3 == 0 and _on_segment(c, d, a)) or (o4 == 0 and _on_segment(c, d, b))


def is_collinear(points: Sequence[Point]) -> bool:
    """True when every point lies on one line (or all coincide): no area at all."""
    return _collinear(_integers(points))


def _collinear(pts: list[IntPoint]) -> bool:
    """:func:`is_collinear` of points scaled to integers (:func:`_integers`)."""
    if len(pts) < 3:
        return True
    first = pts[0]
    other = next((p for p in pts if p != first), None)
    return other is None or all(_orient(first, other, p) == 0 for p in pts)


def self_intersects(points: Sequence[Point]) -> bool:
    """True when the polygon is not simple: a vertex repeats, two adjacent edges fold
    back onto each other, or two non-adjacent edges touch or cross (exact arithmetic,
    O(n log n) sweep)."""
    pts = _integers(points)
    return not (len(pts) >= 3 and _star_shaped(pts)) and _not_simple(pts)


def _not_simple(pts: list[IntPoint]) -> bool:
    """:func:`self_intersects` of points scaled to integers (:func:`_integers`),
    without its fast proof (:func:`_star_shaped`): for points it failed on."""
    n = len(pts)
    if n < 3 or len(set(pts)) < n:  # fewer than 3 points can only fold back
        return True
    for i in range(n):
        a, b, c = pts[i - 1], pts[i], pts[(i + 1) % n]
        if _orient(a, b, c) == 0 and (a[0] - b[0]) * (c[0] - b[0]) + \
                (a[1] - b[1]) * (c[1] - b[1]) > 0:
            return True
    return _edges_cross(pts)


def _star_shaped(pts: list[IntPoint]) -> bool:
    """Fast exact proof of simplicity (most real polygons): seen from the mean of the
    vertices, every edge turns the same way by less than half a turn and all of them
    together go round exactly once, so each edge has its own wedge. Such a polygon
    also has an area."""
    n = len(pts)
    cx, cy = sum(x for x, _ in pts), sum(y for _, y in pts)  # the mean, with pts scaled by n
    xs = [x * n - cx for x, _ in pts]  # vertices relative to the mean
    ys = [y * n - cy for _, y in pts]
    xs0, ys0 = xs[-1:] + xs[:-1], ys[-1:] + ys[:-1]  # each edge's first vertex
    turns = [ax * by - ay * bx for ax, ay, bx, by in zip(xs0, ys0, xs, ys, strict=True)]
    if min(turns) > 0:  # counter-clockwise: edges cross the ray to the right going up
        crossings = sum(1 for y1, y2 in zip(ys0, ys, strict=True) if y1 < 0 <= y2)
    elif max(turns) < 0:  # clockwise: going down
        crossings = sum(1 for y1, y2 in zip(ys0, ys, strict=True) if y2 < 0 <= y1)
    else:
        return False
    return crossings == 1  # going round once means crossing the ray once


def _edges_cross(pts: list[IntPoint]) -> bool:
    """Shamos-Hoey sweep over distinct vertices without fold-backs: True when two
    non-adjacent edges touch.

    Vertices are visited in (x, y) order. ``status`` holds the edges the sweep line
    crosses, bottom to top; every pair of edges that becomes neighbours there is
    tested, which finds the first (leftmost) touching pair if there is one.
    """
    n = len(pts)
    left = [min(pts[i], pts[(i + 1) % n]) for i in range(n)]
    right = [max(pts[i], pts[(i + 1) % n]) for i in range(n)]

    def touch(e: int, f: int) -> bool:
        if (e - f) % n in (1, n - 1):  # adjacent edges share a vertex, nothing else
            return False
        return _segments_touch(pts[e], pts[(e + 1) % n], pts[f], pts[(f + 1) % n])

    status: list[int] = []
    for k in sorted(range(n), key=pts.__getitem__):
        p = pts[k]
        px, py = p

        def side(e: int, px: int = px, py: int = py) -> int:  # -1: e below p, 0: on it
            (ax, ay), (bx, by) = left[e], right[e]
            v = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
            return (v < 0) - (v > 0)

        lo = bisect_left(status, 0, key=side)
        hi = bisect_right(status, 0, key=side, lo=lo)
        incident = ((k - 1) % n, k)
        if hi > lo and not {e for e in incident if right[e] == p}.issuperset(status[lo:hi]):
            return True  # p lies on an edge it does not belong to
        del status[lo:hi]
        starting = [e for e in incident if left[e] == p]
        if len(starting) == 2 and _orient(p, right[starting[0]], right[starting[1]]) < 0:
            starting.reverse()
        status[lo:lo] = starting
        below = status[lo - 1] if lo > 0 else None
        above = status[lo + len(starting)] if lo + len(starting) < len(status) else None
        first, last = (starting[0], starting[-1]) if starting else (above, below)
        if below is not None and first is not None and touch(below, first):
            return True
        if starting and above is not None and touch(last, above):
            return True
    return False


# ---- per-muscle lints -----------------------------------------------------------------

def check_muscle(muscle: Muscle, path: str, size: tuple[int, int] | None = None,
                 record: str = "", rename: Callable[[str], str] | None = None
                 ) -> list[Diagnostic]:
    """Lints of one muscle on its own. Errors for broken geometry, unsafe links and a
    draft marker that is not true or false or is given twice (:mod:`converter.drafts`);
    ``record`` names the muscle in a file of many (see :attr:`Fingerprint.record`),
    ``rename`` its fields as that file names them (see ``Format.field_name``)."""
    out: list[Diagnostic] = []

    def add(field: str, code: str, message: str, severity: str = "error") -> None:
        named = rename(field) if rename else field
        out.append(Diagnostic(path, None, None, in_record(record, named), code, message,  # type: ignore[arg-type]
                              severity))

    for i, region in enumerate(muscle.regions):
        where = f"coords[{i}]"
        pts = _integers(region.points)  # (scaled once for every check below)
        if len(pts) >= 3 and _star_shaped(pts):
            pass  # simple, with an area: the usual case, proven at once
        elif _collinear(pts):
            add(where, "polygon-zero-area", "polygon has zero area (its points lie on "
                "one line)")
        elif _not_simple(pts):
            add(where, "polygon-self-intersecting", "polygon edges cross or touch each "
                "other")
        far = _too_far(region.points)
        if far is not None:
            add(where, "coords-too-large", f"coordinate {_shown(far)} is past {MAX_COORDINATE}, "
                "the farthest a browser draws to the pixel (a map, focus image or card "
                "would show the region shifted or not at all); give the diagram's pixels")
        elif size is not None:  # (one past that is outside any --size: said once)
            width, height = size
            outside = [(x, y) for x, y in region.points if x > width or y > height]
            if outside:
                x, y = outside[0]
                add(where, "polygon-outside", f"point ({x},{y}) lies outside the "
                    f"{width}x{height} diagram")
    for name in ("image", "image_focus"):
        value = getattr(muscle, name)
        if value is None:
            continue
        if is_blank(value):  # (a link to nothing: no writer can show it)
            add(name, "empty-text", _blank_link(name, value), "warning")
        elif not is_safe_link(value):
            add(name, "unsafe-link", f"{value!r} is not a relative, http or https link")
    if muscle.latin is not None and is_blank(muscle.latin):
        add("latin", "empty-text", _blank_latin(muscle.latin), "warning")
    for where, text in _empty_texts(muscle):
        add(where, "empty-text", blank_kind(text), "warning")
    if muscle.extra:
        for key, code, message in drafts.problems(muscle.extra):  # (in a record: extra's)
            add(key if rename is None else f"extra.{key}", code, message)
        for key, message in keycase.problems(muscle):
            add(key if rename is None else f"extra.{key}", "field-case", message, "warning")
    return out


def _too_far(points: Sequence[Point]) -> Number | None:
    """The first coordinate of ``points`` past :data:`MAX_COORDINATE`, or None."""
    return next((value for point in points for value in point if value > MAX_COORDINATE),
                None)


def _shown(value: Number) -> str:
    """A coordinate as a message shows it: one of many digits cut short, with its count."""
    text = number_text(value)
    return text if len(text) <= _SHOWN_DIGITS else f"{text[:12]}... ({len(text)} characters)"


#: The longest coordinate a message shows whole.
_SHOWN_DIGITS = 24


def _blank_latin(latin: str) -> str:
    """What a Latin name that shows nothing is (a study card asking it would be blank)."""
    return f"{blank_kind(latin)}: leave latin out (none) when the muscle has no Latin name"


#: What each link field links to, as its ``empty-text`` warning names it.
_LINKED = {"image": "image", "image_focus": "focus image"}


def _blank_link(name: str, link: str) -> str:
    """What a link (``image``, ``image_focus``) that shows nothing is: a link to nothing,
    which no writer can show."""
    return f"{blank_kind(link)}: leave {name} out (none) when the muscle has no {_LINKED[name]}"


def _empty_texts(muscle: Muscle) -> Iterator[tuple[str, str]]:
    """(field, text) of each text of ``muscle`` that shows nothing (:func:`is_blank`:
    empty, spaces, invisible characters). This runs for every muscle: one pass in C
    over all of them first, and field names only for those."""
    texts = [muscle.origin.values(), muscle.insertion.values(), muscle.exercises]
    for function in muscle.functions:
        texts += (function.short.values(), function.extended.values())
    if not any(map(match_blank, itertools.chain.from_iterable(texts))):
        return
    for name in ("origin", "insertion"):
        for lang, text in getattr(muscle, name).items():
            if is_blank(text):
                yield f"{name}.{lang}", text
    for i, function in enumerate(muscle.functions):
        for part in ("short", "extended"):
            for lang, text in getattr(function, part).items():
                if is_blank(text):
                    yield f"function[{i}].{part}.{lang}", text
    for i, name in enumerate(muscle.exercises):
        if is_blank(name):
            yield f"exercises[{i}]", name


# ---- corpus lints ---------------------------------------------------------------------

#: Fields whose languages are compared across the corpus.
_LANGUAGE_FIELDS = ("origin", "insertion")
#: Shorter texts (such as "See above") may well repeat and are not compared.
MIN_DUPLICATE_LENGTH = 12
#: A text in more files than this is shared on purpose (boilerplate), not copied by
#: mistake: its first repeats are listed, then one summary on the first file.
MAX_LISTED_REPEATS = 10
#: The codes of the lints' own warnings (``validate`` reports them): not that a reader
#: left something out.
LINT_CODES = frozenset({"coords-too-large", "duplicate-text", "empty-text",
                        "exercise-spelling", "field-case", "missing-language",
                        "polygon-outside", "polygon-self-intersecting", "polygon-zero-area",
                        "yaml11-ambiguous"})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _norm_exercise(name: str) -> str:
    """Exercise names compared without case, whitespace or invisible characters (a
    zero-width space, a soft hyphen: two names that look alike are one spelling)."""
    return shown_only(_fold(name))


def _how(name: str, known: str) -> str:
    """How two exercise names of one spelling differ: ``case or spacing``, or, when
    they differ by more than that, ``invisible characters`` too (shown escaped)."""
    if "".join(_fold(name).split()) == "".join(_fold(known).split()):
        return "case or spacing"
    return "case, spacing or invisible characters"


def _norm_text(text: str) -> str:
    """Texts compared without case and with whitespace runs as single spaces."""
    return " ".join(_fold(text).split())


Position = tuple[int, int]
Positions = dict[str, Position]


def located_fields(muscle: Muscle) -> list[str]:
    """The fields a corpus lint may name, found where the file is parsed: the language
    fields, every text it may compare (whether one is long enough to be compared is
    up to its normalized length: "…" is three characters then) and every exercise."""
    return [*_LANGUAGE_FIELDS, *(field for field, _ in _compared_texts(muscle)),
            *map(_exercise_field, range(len(muscle.exercises)))]


@lru_cache(maxsize=256)
def _exercise_field(index: int) -> str:
    return f"exercises[{index}]"


@lru_cache(maxsize=256)
def _extended_field(index: int, lang: str) -> str:
    return f"function[{index}].extended.{lang}"


def _compared_texts(muscle: Muscle) -> list[tuple[str, str]]:
    """(field path, text) of every text the duplicate lint compares."""
    found = [(f"origin.{lang}", value) for lang, value in muscle.origin.items()]
    found += [(f"insertion.{lang}", value) for lang, value in muscle.insertion.items()]
    for i, function in enumerate(muscle.functions):
        found += [(_extended_field(i, lang), value)
                  for lang, value in function.extended.items()]
    return found


#: Where a field is when its place is unknown (in the position arrays).
_NOWHERE = (-1, -1)


def _warning(path: str, at: Position | None, field: str, code: str,
             *message: str | Named) -> Diagnostic:
    """A corpus-lint warning, at ``at`` (line, column) when known, its message of the
    parts ``message`` (:func:`~converter.diagnostics.worded`'s)."""
    line, column = at or (None, None)
    text, others = worded(*message)
    return Diagnostic(path, line, column, field, code, text, "warning", others)


class Fingerprint(NamedTuple):
    """All the corpus lints need of one muscle: small, made where the file is parsed
    (in a worker process), stable across runs (so it can be cached)."""

    #: Languages present in each of the language fields, and where each field is.
    languages: tuple[tuple[str, ...], ...]
    anchors: tuple[Position | None, ...]
    #: (field path, 64-bit digest of the normalized text, where) of compared texts.
    texts: tuple[tuple[str, int, Position | None], ...]
    #: (index, name, normalized name, where) of each exercise that shows something (one
    #: that shows nothing is an ``empty-text`` warning, not a spelling of another).
    exercises: tuple[tuple[int, str, str, Position | None], ...]
    #: Which record of its file the muscle is, for a file of many (``muscles[slug]``):
    #: the prefix of the fields its warnings name. Empty for a file of one muscle.
    record: str = ""
    #: In a file of many whose format places its fields itself (``Format.places``: a
    #: data package's rows), a digest of where the fields its warnings may name are
    #: placed; 0 otherwise. A muscle whose fields moved has changed, as one of a file
    #: of one whose lines moved has: its cached warnings are made again where they are.
    places: int = 0
    #: In a file of many, the record its reader marked the muscle's (``ReadContext.mark``,
    #: see ``Format.marked_place``); None where it did not, and for a file of one.
    mark: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:  # one per file: unpickled without a Python call
        return (tuple.__new__, (Fingerprint, tuple(self)))


def fingerprint(muscle: Muscle, positions: Positions | None = None, record: str = "",
                mark: int | None = None) -> Fingerprint:
    """The :class:`Fingerprint` of ``muscle``; ``positions`` maps the fields of
    :func:`located_fields` to their line and column in the file; ``record`` names the
    muscle among others in its file, which its reader marked ``mark`` (see
    :attr:`Fingerprint.record` and :attr:`Fingerprint.mark`). Fields are named as the
    model names them (:attr:`CorpusLint.name` names them as their file does)."""
    where = (positions or {}).get
    texts = []
    for field_path, value in _compared_texts(muscle):
        normal = _norm_text(value)
        if len(normal) >= MIN_DUPLICATE_LENGTH:
            digest = hashlib.blake2b(normal.encode("utf-8", "surrogatepass"), digest_size=8)
            texts.append((field_path, int.from_bytes(digest.digest()), where(field_path)))
    return Fingerprint(
        (tuple(muscle.origin), tuple(muscle.insertion)),
        (where("origin"), where("insertion")), tuple(texts),
        tuple((i, name, _norm_exercise(name), where(_exercise_field(i)))
              for i, name in enumerate(muscle.exercises) if not match_blank(name)), record,
        mark=mark)


#: Languages a missing-language warning lists by name at most (the rest are counted).
LISTED_LANGUAGES = 5


def _missing(mask: int, own: int, full: int, by_name: list[tuple[str, int]],
             names: dict[int, str], other: str) -> str:
    """The message of a field whose languages are ``mask`` of all (``full``; the
    languages and their bits ``by_name``, sorted, and their ``names`` by bit), its
    muscle's ``other`` language field having ``own``: the missing ones, the first few
    by name when many, each with who has it (the other field, else other muscles: every
    language of the corpus is some muscle's). No message lists thousands of languages,
    and none is made by a pass over them all."""
    gone = full & ~mask
    count, own = gone.bit_count(), own & gone
    if count <= LISTED_LANGUAGES:
        groups = [(own, f"its {other} has it"), (gone & ~own, "other muscles have it")]
        return "no text in " + ", ".join(
            f"{', '.join(sorted(names[b] for b in _bits(bits)))} ({why})"
            for bits, why in groups if bits)
    first = itertools.islice((lang for lang, bit in by_name if not mask >> bit & 1),
                             LISTED_LANGUAGES)
    who = ("other muscles have" if not own else f"its {other} has" if own == gone
           else f"its {other} or other muscles have")
    return f"no text in {count} languages that {who} ({', '.join(first)}, ...)"


def _bits(mask: int) -> list[int]:
    """The bits set in ``mask`` (a few: at once, not a pass over every bit)."""
    found = []
    while mask:
        found.append((mask & -mask).bit_length() - 1)
        mask &= mask - 1
    return found


def record_label(muscle: Muscle) -> str:
    """How warnings name ``muscle`` in a file of many: ``muscles[<slug>]``."""
    return f"muscles[{muscle.slug}]"


def in_record(record: str, field: str) -> str:
    """``field`` of the muscle ``record`` names (the field itself for a file of one;
    the record for the muscle as a whole, ``""``)."""
    return f"{record}.{field}" if record and field else record or field


_TABLES = (
    # One row per muscle: its file and record, the language bit masks of its language
    # fields and where those fields are (line, column pairs; -1: not known).
    "CREATE TABLE muscles (owner INTEGER PRIMARY KEY, path BLOB NOT NULL,"
    " record BLOB NOT NULL, masks TEXT NOT NULL, anchors BLOB NOT NULL, mark INTEGER)",
    # One row per distinct compared text: when it was first seen (``entry``), its
    # first owner, that owner's file and field, where the field is in the file, how
    # many other places have the text, and the owner's record and mark. Keyed by
    # digest alone: one B-tree to search.
    "CREATE TABLE texts (digest INTEGER PRIMARY KEY, entry INTEGER NOT NULL,"
    " owner INTEGER NOT NULL, path BLOB NOT NULL, field INTEGER NOT NULL,"
    " line INTEGER NOT NULL, col INTEGER NOT NULL, repeats INTEGER NOT NULL DEFAULT 0,"
    " record BLOB NOT NULL, mark INTEGER) WITHOUT ROWID",
)
_NEW_TEXTS = ("INSERT INTO texts (digest, entry, owner, path, field, line, col, repeats,"
              " record, mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_KNOWN_TEXTS = ("SELECT digest, owner, path, field, line, col, repeats, record, mark"
                " FROM texts WHERE digest IN ({})")
_REPEATS = "UPDATE texts SET repeats = ? WHERE digest = ?"
#: Fingerprints looked up and filed together (the lookups are a few queries a batch,
#: their digests in order: each query, and each write, goes once along the texts' B-tree,
#: whose pages mostly are not in the scratch database's cache; the more a batch holds,
#: the fewer pages each text costs. A batch's fingerprints and rows take a few MB).
BATCH = 1024
_PARAMETERS = 500  # per query (SQLite allows 999 in every version)
#: A row of ``texts`` without its digest: (owner, path, field, line, column, repeats,
#: record, mark), and for a text new in the batch its entry.
_Text = list[Any]


def _signed(digest: int) -> int:
    """A 64-bit digest as SQLite's signed 64-bit integer."""
    return digest - (1 << 64) if digest >= 1 << 63 else digest


def _signed_all(digests: list[int]) -> list[int]:
    """:func:`_signed` of each of ``digests``, at once (their 64 bits read back as
    signed, in C: a batch holds thousands)."""
    return array("q", array("Q", digests).tobytes()).tolist()


#: Language masks (as the muscles table keeps them) remembered, by the languages they
#: are of (a corpus has few kinds; beyond this many they are made again).
_MASKS_KEPT = 256


#: Where a corpus-lint diagnostic stands in the lint's output, and what it depends on:
#: (section, muscle, slot, group). Sections: 0 while muscles come in (slot: 2 x text
#: index, + 1 for the warning on the text's first place; :data:`EXERCISE_SLOT` +
#: exercise index), 1 repeats summed up (muscle and text index of the text's first
#: place), 2 languages missing (slot: which field). The group is the text's digest or the
#: exercise's normalized name (None for missing languages): the diagnostics of a group
#: depend only on the muscles that have it. Output is in tag order.
Tag = tuple[int, int, int, "int | str | None"]
EXERCISE_SLOT = 1 << 32


class Listener(Protocol):
    """Told what a :class:`CorpusLint` sees and says (see :mod:`converter.relint`)."""

    def saw(self, owner: int, path: str, print_: Fingerprint, digests: list[int]
            ) -> None:
        """Muscle number ``owner`` of ``path`` came in with ``print_``, whose texts'
        digests (its first group, see :func:`groups`) are ``digests``."""

    def said(self, tag: Tag, diagnostic: Diagnostic) -> None:
        """The lint reported ``diagnostic`` at ``tag``."""


def _anchors(anchors: tuple[Position | None, ...]) -> bytes:
    """Where a muscle's language fields are, as the muscles table keeps it."""
    found = array("l")
    for at in anchors:
        found.extend(at or _NOWHERE)
    return found.tobytes()


def groups(print_: Fingerprint) -> tuple[list[int], list[str]]:
    """The groups of :data:`Tag` a muscle is in: its texts' digests, its exercises'
    normalized names."""
    return [_signed(d) for _, d, _ in print_.texts], [key for _, _, key, _ in print_.exercises]


@dataclass
class CorpusLint:
    """Checks across files. Feed every muscle with :meth:`add` (or its fingerprint with
    :meth:`add_fingerprint`), then call :meth:`finish`.

    Memory stays flat however large the corpus: each muscle's path, languages and
    anchors and each distinct compared text live in scratch tables on disk
    (:mod:`converter.scratch`); in memory are only field and language names, the
    exercise spellings (a vocabulary) and the warnings' :class:`DiagnosticLog`.

    A ``listener`` hears every fingerprint and every tagged diagnostic. With ``only``
    the lint checks just those groups (text digests, exercise names): what a few
    muscles' change touches (see :mod:`converter.relint`)."""

    _db: Any = field(default_factory=lambda: scratch.connect(*_TABLES))
    _pending: list[tuple[Fingerprint, str, int]] = field(default_factory=list)
    _muscles: int = 0
    _field_ids: dict[str, int] = field(default_factory=dict)
    _field_names: list[str] = field(default_factory=list)
    #: Each language code as written -> its language's bit; a language's bit is that of
    #: its code in lower case (``pt-BR`` and ``pt-br`` are one: codes ignore case).
    _languages: dict[str, int] = field(default_factory=dict)
    _folded: dict[str, int] = field(default_factory=dict)
    #: A muscle's languages -> their masks as the muscles table keeps them.
    _masks: dict[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)
    # key: name, path, record
    _exercises: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    _found: DiagnosticLog = field(default_factory=DiagnosticLog)
    #: Fills in the line of a diagnostic that names a field but no line (such as an
    #: exercise, whose place the fingerprint does not carry), as it is found.
    locate: Callable[[Diagnostic], Diagnostic] | None = None
    #: Places a diagnostic about a muscle of a file of many that :attr:`locate` left
    #: at no line (its slug is on another record of the file too) at the record its
    #: reader marked so (:attr:`Fingerprint.mark`; ``Locator.at_mark``).
    at_mark: Callable[[Diagnostic, int], Diagnostic] | None = None
    #: How the file at a path names a field of a muscle of its records (its format's
    #: ``field_name``: ``functions[0]``, a deck's ``Exercises[1]``), asked as a
    #: diagnostic is made; a file of one muscle names fields as the model does.
    name: Callable[[str, str], str] | None = None
    listener: Listener | None = None
    only: set[int | str] | None = None
    _finished: bool = False

    def _named(self, path: str, record: str, field: str) -> str:
        """``field`` of the muscle ``record`` of ``path`` as that file names it."""
        if record and self.name is not None:
            field = self.name(path, field)
        return in_record(record, field)

    def _report(self, diagnostic: Diagnostic, tag: Tag, mark: int | None = None) -> None:
        """Say ``diagnostic`` (about the muscle its reader marked ``mark``, if any),
        placed where it has no line."""
        if diagnostic.line is None and self.locate is not None:
            diagnostic = self.locate(diagnostic)
        if diagnostic.line is None and mark is not None and self.at_mark is not None:
            diagnostic = self.at_mark(diagnostic, mark)
        self._found.append(diagnostic)
        if self.listener is not None:
            self.listener.said(tag, diagnostic)

    def know_languages(self, languages: Iterable[str]) -> None:
        """Count ``languages`` as present in the corpus (muscles whose own languages
        are not given still count in which languages a field lacks)."""
        self._mask(sorted(languages))

    def _mask(self, languages: Iterable[str]) -> int:
        mask = 0
        for lang in languages:
            bit = self._languages.get(lang)
            if bit is None:  # (a code first seen: its language may be known in other case)
                bit = self._languages[lang] = self._folded.setdefault(lang.lower(),
                                                                      len(self._folded))
            mask |= 1 << bit
        return mask

    def _language_names(self) -> dict[int, str]:
        """Each language's bit -> how warnings name it: of its codes in other case
        (``pt-BR``, ``pt-br``), the first in sort order, whatever order muscles came in."""
        return {bit: lang for lang, bit in sorted(self._languages.items(), reverse=True)}

    def _field_id(self, name: str) -> int:
        found = self._field_ids.get(name)
        if found is None:
            found = self._field_ids[name] = len(self._field_names)
            self._field_names.append(name)
        return found

    def add(self, muscle: Muscle, path: str, positions: Positions | None = None) -> None:
        """Record one muscle (see :func:`fingerprint` for ``positions``)."""
        self.add_fingerprint(fingerprint(muscle, positions), path)

    def add_fingerprint(self, print_: Fingerprint, path: str, owner: int | None = None
                        ) -> None:
        """Record one muscle's fingerprint (``owner``: its number, when not the next).
        Duplicates are found (and reported, in the order of the muscles) a
        :data:`BATCH` of fingerprints at a time."""
        if owner is None:
            owner = self._muscles
        self._muscles = owner + 1
        self._pending.append((print_, path, owner))
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        """File the pending fingerprints: their muscles' rows, their texts (one lookup
        per batch for the texts already filed), their duplicates' warnings. The
        :attr:`listener` hears of them first."""
        pending, only = self._pending, self.only
        self._pending = []
        keys = _signed_all([d for print_, _, _ in pending for _, d, _ in print_.texts])
        if self.listener is not None:
            self._tell(pending, keys)
        known = self._known(sorted(set(keys)))
        new: set[int] = set()
        repeated: set[int] = set()
        muscles = []
        at_key = 0
        for print_, path, owner in pending:
            raw_path, record = scratch.encode(path), scratch.encode(print_.record)
            muscles.append((owner, raw_path, record, self._masks_of(print_.languages),
                            _anchors(print_.anchors), print_.mark))
            for i, (field_path, _, at) in enumerate(print_.texts):
                key = keys[at_key + i]
                if only is not None and key not in only:
                    continue
                first = known.get(key)
                if first is None:
                    line, column = at or _NOWHERE
                    known[key] = [owner, raw_path, self._field_id(field_path), line, column,
                                  0, record, print_.mark,
                                  owner << 32 | i]  # entry: in the order first seen
                    new.add(key)
                elif first[0] != owner:  # (a muscle repeating itself is not a duplicate)
                    first[5] += 1
                    repeated.add(key)
                    self._same_text(first, path, (print_.record, field_path), at,
                                    (owner, 2 * i, key), print_.mark)
            at_key += len(print_.texts)
            self._check_exercises(print_, path, owner)
        self._file(muscles, known, new, repeated)

    def _tell(self, pending: list[tuple[Fingerprint, str, int]], keys: list[int]) -> None:
        """Tell the listener of each pending fingerprint, with its texts' ``keys``."""
        assert self.listener is not None
        at_key = 0
        for print_, path, owner in pending:
            count = len(print_.texts)
            self.listener.saw(owner, path, print_, keys[at_key:at_key + count])
            at_key += count

    def _known(self, digests: list[int]) -> dict[int, _Text]:
        """The rows of ``texts`` filed already for any of ``digests``, by digest (a
        query per :data:`_PARAMETERS` digests)."""
        known: dict[int, _Text] = {}
        for start in range(0, len(digests), _PARAMETERS):
            chunk = digests[start:start + _PARAMETERS]
            # Padded (with a digest repeated) to a power of two: a handful of distinct
            # statements, not one per length, each holding its compiled IN list.
            chunk += chunk[-1:] * (min(_PARAMETERS, 1 << (len(chunk) - 1).bit_length())
                                   - len(chunk))
            for digest, *text in self._db.execute(
                    _KNOWN_TEXTS.format(",".join("?" * len(chunk))), chunk):
                known[digest] = text
        return known

    def _masks_of(self, languages: tuple[tuple[str, ...], ...]) -> str:
        """The masks of a muscle's ``languages`` (one per language field, in hex), as
        the muscles table keeps them."""
        found = self._masks.get(languages)
        if found is None:
            if len(self._masks) >= _MASKS_KEPT:
                self._masks.clear()
            found = self._masks[languages] = " ".join(
                format(self._mask(field_languages), "x") for field_languages in languages)
        return found

    def _file(self, muscles: list[tuple[Any, ...]], known: dict[int, _Text],
              new: set[int], repeated: set[int]) -> None:
        """Write a batch's muscles, its new texts and the repeats counted of the others."""
        db = self._db
        db.executemany("INSERT INTO muscles VALUES (?, ?, ?, ?, ?, ?)", muscles)
        db.executemany(_NEW_TEXTS, [(key, t[8], *t[:8]) for key in sorted(new)
                                    for t in (known[key],)])
        db.executemany(_REPEATS, [(known[key][5], key) for key in sorted(repeated - new)])

    def _check_exercises(self, print_: Fingerprint, path: str, owner: int) -> None:
        only, record = self.only, print_.record
        for i, name, key, at in print_.exercises:
            if only is not None and key not in only:
                continue
            known, there, its_record = self._exercises.setdefault(key, (name, path, record))
            if known != name:
                line, column = at or (None, None)
                message, others = worded(
                    f"exercise {name!r} differs only by {_how(name, known)} from {known!r} in ",
                    Named(there), f" ({its_record})" if its_record else "")
                self._report(Diagnostic(
                    path, line, column, self._named(path, record, _exercise_field(i)),
                    "exercise-spelling", message, "warning", others),
                    (0, owner, EXERCISE_SLOT + i, key), print_.mark)

    def _first(self, text: Sequence[Any]
               ) -> tuple[str, str, Position | None, int | None]:
        """(path, field, where, mark) of the first place of a text (a row of ``texts``)."""
        _, raw_path, field_id, line, column, _, record, mark = text[:8]
        path = scratch.decode(raw_path)
        return (path, self._named(path, scratch.decode(record), self._field_names[field_id]),
                None if line < 0 else (line, column), mark)

    def _same_text(self, text: _Text, here: str, where: tuple[str, str], at: Position | None,
                   slot: tuple[int, int, int], mark: int | None = None) -> None:
        """Report a text in ``here`` (``where``: the record, marked ``mark``, and field
        that have it) that ``text`` (repeats counted) has elsewhere; ``slot``: (muscle,
        slot, digest) of the warning on ``here``."""
        repeats = text[5]
        if repeats > MAX_LISTED_REPEATS:
            return  # summed up on the first file by finish()
        field = self._named(here, *where)
        there, first_field, first_at, first_mark = self._first(text)
        owner, place, key = slot
        self._report(_warning(here, at, field, "duplicate-text", "same text as ",
                              *self._other(there, first_field, first_at)),
                     (0, owner, place, key), mark)
        if repeats == 1:  # the first file hears of its first twin only
            self._report(_warning(there, first_at, first_field, "duplicate-text",
                                  "same text as ", *self._other(here, field, at)),
                         (0, owner, place + 1, key), first_mark)

    def _other(self, path: str, field: str, at: Position | None) -> tuple[str | Named, ...]:
        """The parts of a message that name the other place of a text, ``field`` of the
        file at ``path``: that file and the field (``many.json (muscles[a].origin.da)``);
        where its format places the field at no line of its own and names it otherwise
        (:attr:`locate`: a data package's row, ``pkg/functions.csv:23
        (function[2].extended.en)``; a database's item by its position), as placed."""
        if at is None and self.locate is not None:
            placed = self.locate(Diagnostic(path, None, None, field, "duplicate-text", "",
                                            "warning"))
            if placed.field != field:
                line = "" if placed.line is None else f":{placed.line}"
                return Named(placed.path), f"{line} ({placed.field})"
        return Named(path), f" ({field})"

    def finish(self) -> DiagnosticLog:
        """Every corpus-level diagnostic (language gaps are known only at the end)."""
        if not self._finished:
            self._finished = True
            self._flush()
            for tag, diagnostic, mark in self._last():
                self._report(diagnostic, tag, mark)
        return self._found

    def _last(self) -> Iterator[tuple[Tag, Diagnostic, int | None]]:
        """The diagnostics known only when every muscle is in, tagged, and the mark of
        the muscle each is about (see :meth:`_report`)."""
        for *text, entry, digest in self._db.execute(  # in the order texts were first seen
                "SELECT owner, path, field, line, col, repeats, record, mark, entry, digest"
                " FROM texts WHERE repeats > ? ORDER BY entry", (MAX_LISTED_REPEATS,)):
            there, first_field, first_at, first_mark = self._first(text)
            yield (1, entry >> 32, entry & 0xFFFFFFFF, digest), _warning(
                there, first_at, first_field, "duplicate-text",
                f"the same text is in {text[5]} other places; the first "
                f"{MAX_LISTED_REPEATS} are listed, the rest only here"), first_mark
        if len(self._folded) < 2:
            return
        full = (1 << len(self._folded)) - 1
        names = self._language_names()
        by_name = sorted((lang, bit) for bit, lang in names.items())  # (language, bit)
        # (field, its mask, the other's) -> message; few masks, many muscles
        missing_text: dict[tuple[int, int, int], str] = {}
        for owner, raw_path, record, masks, raw_anchors, mark in self._db.execute(
                "SELECT owner, path, record, masks, anchors, mark FROM muscles"
                " ORDER BY owner"):
            anchors = array("l")
            anchors.frombytes(raw_anchors)
            both = [int(m, 16) for m in masks.split()]
            for which, mask in enumerate(both):
                if mask and mask != full:
                    key = (which, mask, both[1 - which])
                    message = missing_text.get(key)
                    if message is None:
                        message = missing_text[key] = _missing(
                            mask, key[2], full, by_name, names, _LANGUAGE_FIELDS[1 - which])
                    line, column = anchors[2 * which], anchors[2 * which + 1]
                    path = scratch.decode(raw_path)
                    yield (2, owner, which, None), _warning(
                        path, None if line < 0 else (line, column),
                        self._named(path, scratch.decode(record), _LANGUAGE_FIELDS[which]),
                        "missing-language", message), mark
