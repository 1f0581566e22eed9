"""The canonical JSON form of a muscle (``schemas/muscle.schema.json``).

Shared by every format that stores muscles as JSON-like records. Coordinates are
JSON numbers written exactly as in the source (``12.50`` stays ``12.50``); read them
back with :func:`loads`, which keeps decimals exact and the sign of ``-0``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import atomic_file, output_name
from .authoring import (
    RESERVED_KEYS,
    Placer,
    Steps,
    body_problem,
    muscle_from_front_matter,
    without_reserved,
)
from .coords import SHOWN, CoordsProblem, check_number, is_plain_number
from .diagnostics import KEPT_BYTE, Diagnostic, LineStarts, MuscleError, counted, kept_bytes_shown
from .meant import hint as meant_hint
from .model import (
    JSON_DECIMAL,
    ExactNumber,
    Muscle,
    Region,
    WrittenFloat,
    coords_text,
    exact_text,
    extra_float,
    in_decimal_reach,
    number_text,
    thaw,
)
from .safety import (
    MAX_DEPTH,
    KeysTwice,
    LongInteger,
    json_decoder,
    json_integer,
    keys_twice,
    load_json,
    shallow,
)
from .slug import STAND_IN_SLUG, is_slug, not_a_slug

if TYPE_CHECKING:
    from .registry import WriteContext

SCHEMA_ID = "https://muscle-convert.invalid/schemas/muscle.schema.json"
_HEAD = ("slug", "title", "latin", "origin", "insertion", "functions", "exercises", "image",
         "image_focus")
#: One encoder for every record (``json.dumps`` with options builds one per call).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_RENAMED = (("function[", "functions["), ("function", "functions"), ("coords", "regions"))
#: The keys of a canonical record.
_KEYS = (*_HEAD, "regions", "body", "extra")


def to_canonical(muscle: Muscle) -> dict[str, Any]:
    """The canonical dict of a muscle; region numbers are ``int`` or ``Decimal``."""
    return {**_head(muscle), "regions": [[[x, y] for x, y in r.points] for r in muscle.regions],
            "body": muscle.body, "extra": thaw(muscle.extra)}


def _head(muscle: Muscle) -> dict[str, Any]:
    """The canonical fields before ``regions``, in order (``_HEAD``)."""
    return {
        "slug": muscle.slug, "title": muscle.title, "latin": muscle.latin,
        "origin": dict(muscle.origin.items()), "insertion": dict(muscle.insertion.items()),
        "functions": [{"short": dict(f.short.items()), "extended": dict(f.extended.items())}
                      for f in muscle.functions],
        "exercises": list(muscle.exercises), "image": muscle.image,
        "image_focus": muscle.image_focus}


def dumps(muscle: Muscle) -> str:
    """One muscle as compact canonical JSON on one line (stable key order, exact numbers)."""
    regions = ",".join("[" + coords_text(r.points, "[{},{}]") + "]" for r in muscle.regions)
    head = _COMPACT.encode(_head(muscle))
    numbers: list[str] = []
    tail = _COMPACT.encode({"body": muscle.body, "extra": json_ready(muscle.extra, numbers)})
    return f'{head[:-1]},"regions":[{regions}],{_numbers_put(tail, numbers)[1:]}'


_RECORD_START = b'{"slug":"'
#: Where :func:`extra_json` put a number: a text no valid muscle holds (lone surrogates).
_MARK = re.compile('"\ud800([0-9]+)\ud800"')


def extra_json(value: Any, separators: tuple[str, str] | None = None) -> str:
    """``value`` (an ``extra``, frozen or thawed) as JSON text, not ASCII-escaped, each
    number as :func:`json_ready` has it."""
    numbers: list[str] = []
    text = json.dumps(json_ready(value, numbers), ensure_ascii=False, separators=separators)
    return _numbers_put(text, numbers)


def json_ready(value: Any, numbers: list[str]) -> Any:
    """``value`` (an ``extra``, frozen or thawed) thawed for ``json``, each number that
    ``json`` would write otherwise than its JSON text (:func:`json_number`) added to
    ``numbers`` and a mark in its place, which :func:`_numbers_put` replaces."""
    if isinstance(value, Mapping):
        return {k: json_ready(v, numbers) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [json_ready(v, numbers) for v in value]
    if isinstance(value, WrittenFloat | Decimal):
        text = json_number(value)
        if text is not None:
            numbers.append(text)
            return f"\ud800{len(numbers) - 1}\ud800"
    return value


def json_number(number: float | Decimal) -> str | None:
    """A number of ``extra`` as JSON text: an :class:`~converter.model.ExactNumber` (or
    other ``Decimal``) exactly; a :class:`~converter.model.WrittenFloat` as written
    where that is JSON (``0.10``, ``1E5``; None where not, ``.5``: as Python writes it)."""
    if isinstance(number, Decimal):
        return exact_text(number)
    text: str = getattr(number, "text", "")
    return text if JSON_DECIMAL.match(text) else None


def _numbers_put(text: str, numbers: list[str]) -> str:
    """``text``, JSON of :func:`json_ready`'s data, with ``numbers`` in their marks."""
    return _MARK.sub(lambda found: numbers[int(found[1])], text) if numbers else text


def load_extra(text: str) -> Any:
    """An ``extra`` stored as JSON text, its numbers as ``extra`` holds them
    (:func:`~converter.model.extra_float`; ``-0`` kept); :class:`BadJson` on a problem."""
    if "-0" in text and _MINUS_ZERO.search(text):  # rare: integers are read one by one
        return load_json(text, parse_float=extra_float, parse_int=_extra_integer,
                         read_deep=True)
    return load_json(text, parse_float=extra_float, read_deep=True)


def _extra_integer(text: str) -> int | Decimal:
    return ExactNumber(text) if text == "-0" else json_integer(text)


class _NotReplaced(Exception):
    """A record to replace is not in the file once."""


def replace_records(path: Path, records: dict[str, str], count: int) -> bool:
    """Rewrite the file at ``path``, made of ``count`` lines that each hold one
    :func:`dumps` record (maybe followed by a comma) and lines that hold none, with the
    record of each slug in ``records`` replaced; atomically. False when the file has
    another number of records or a slug's record is not in it exactly once (nothing
    is written then).

    JSON-like writers use it to update their output when a few muscles changed."""
    wanted = {slug.encode("ascii"): record.encode("utf-8", "surrogatepass")
              for slug, record in records.items()
              if is_slug(slug) and record.startswith(f'{{"slug":"{slug}"')}
    if len(wanted) != len(records):
        return False
    found, start, replaced = 0, len(_RECORD_START), set()
    try:
        with open(path, "rb") as src, atomic_file(path, "wb") as out:
            for line in src:
                if line.startswith(_RECORD_START):
                    found += 1
                    slug = line[start:line.find(b'"', start)]
                    if slug in wanted:
                        if slug in replaced:
                            raise _NotReplaced
                        replaced.add(slug)
                        record = line.rstrip(b"\n")
                        comma = b"," if record.endswith(b",") else b""
                        line = wanted[slug] + comma + line[len(record):]
                out.write(line)
            if found != count or len(replaced) != len(wanted):
                raise _NotReplaced
    except _NotReplaced:
        return False
    return True


def written(count: int, out: Path) -> str:
    """The summary of a JSON-like writer (standard output named so, not ``-``)."""
    return f"wrote {counted(count, 'muscles')} to {output_name(out)}"


class LineRecords:
    """For a format class whose records are :func:`dumps` lines: its ``record``, and an
    ``update`` that replaces the lines of the muscles that changed."""

    def record(self, muscle: Muscle, options: dict[str, Any]) -> str:
        return dumps(muscle)

    def update(self, muscles: Sequence[Muscle], out: Path, ctx: WriteContext, *,
               total: int) -> str | None:
        records = {m.slug: dumps(m) for m in muscles}
        return written(total, out) if replace_records(out, records, total) else None

    def field_name(self, field: str) -> str:
        return model_field(field)


class MinusZero(Decimal):
    """The JSON integer ``-0``, which an ``int`` would read as ``0``: a coordinate
    written ``-0`` is reported as negative, as in every other format, not taken for 0.
    In ``extra`` it is an :class:`~converter.model.ExactNumber`, written ``-0``."""


#: ``-0`` followed by what may follow a JSON number: maybe the integer -0 (or text).
_MINUS_ZERO = re.compile(r"-0(?=[\s,\]}]|\Z)")


class Exponent(Decimal):
    """A JSON number written with an exponent (``1e2``): a number in ``extra``, but no
    coordinate, which every format writes plain: as one it is reported as ``text``, as
    written (never expanded: ``1e999999999`` would fill memory)."""

    text: str = ""


def _decimal(text: str) -> Decimal:
    if "e" in text or "E" in text:
        number = Exponent(in_decimal_reach(text))
        number.text = text
        return number
    return Decimal(text)



def _integer(text: str) -> int | Decimal:
    return MinusZero(text) if text == "-0" else json_integer(text)


def loads(text: str) -> Any:
    """Parse canonical JSON text keeping decimal coordinates exact (and the sign of an
    integer ``-0``: :class:`MinusZero`; numbers with an exponent: :class:`Exponent`;
    integers too long for ``int``: :class:`~converter.safety.LongInteger`); any problem
    is :class:`~converter.safety.BadJson` (see :func:`~converter.safety.load_json`)."""
    if "-0" in text and _MINUS_ZERO.search(text):  # rare: integers are read one by one
        return load_json(text, parse_float=_decimal, parse_int=_integer, read_deep=True)
    return load_json(text, parse_float=_decimal, read_deep=True)


_DECODERS = (json_decoder(_decimal), json_decoder(_decimal, _integer))


def raw_decode(text: str, at: int) -> tuple[Any, int]:
    """:func:`loads` of the one JSON value that starts at ``text[at]``, and where it
    ends; json's ``ValueError`` (or ``RecursionError``) when no whole value is there."""
    try:
        value, end = _DECODERS[0].raw_decode(text, at)
    except json.JSONDecodeError:
        raise
    except RecursionError:  # (read shallow: see load_json)
        shallower = shallow(text, at)
        if shallower is None:  # (cut short: a value that more text may end)
            raise json.JSONDecodeError("Unterminated value", text, len(text)) from None
        if shallower is text:
            raise
        return raw_decode(shallower, at)
    except ValueError:  # (an integer longer than int reads: integers one by one)
        return _DECODERS[1].raw_decode(text, at)
    if text.find("-0", at, end) >= 0 and _MINUS_ZERO.search(text, at, end):
        return _DECODERS[1].raw_decode(text, at)
    return value, end


def _floats(value: Any, levels: int = MAX_DEPTH) -> Any:
    """Decimals as ``extra`` holds them (:func:`~converter.model.extra_float`: floats
    where a float keeps them), ``levels`` deep (deeper data is refused by the
    validator)."""
    if isinstance(value, Decimal):
        kind = type(value)
        if kind is MinusZero:
            return ExactNumber("-0")
        return value if kind is LongInteger or kind is ExactNumber else extra_float(
            value.text if kind is Exponent else format(value, "f"))
    if levels <= 0:
        return value
    if isinstance(value, dict):
        floats = {k: _floats(v, levels - 1) for k, v in value.items()}
        if type(value) is KeysTwice:  # still reported by the validator
            floats = KeysTwice(floats)
            floats.twice = value.twice
        return floats
    if isinstance(value, list):
        return [_floats(v, levels - 1) for v in value]
    return value


def kept_byte_texts(value: Any, where: str, levels: int = MAX_DEPTH + 2
                    ) -> Iterator[tuple[str, str]]:
    """(field, text) of each text in ``value`` (a record being read, named ``where``)
    that holds a byte kept as not UTF-8 (:data:`~converter.diagnostics.KEPT_BYTE`),
    map keys too, named with each such byte U+FFFD; ``levels`` deep (deeper data, in
    ``extra``, is refused by the validator)."""
    if isinstance(value, str):
        if KEPT_BYTE.search(value):
            yield where, value
    elif levels <= 0:
        return
    elif isinstance(value, dict):
        for key, item in value.items():
            named = f"{where}.{_key_shown(key)}"
            yield from kept_byte_texts(key, named, levels)
            yield from kept_byte_texts(item, named, levels - 1)
    elif isinstance(value, list):
        for place, item in enumerate(value):
            yield from kept_byte_texts(item, f"{where}[{place}]", levels - 1)


def _key_shown(text: Any) -> str:
    """``text`` (a key) as a diagnostic shows it: a byte kept as not UTF-8 is U+FFFD."""
    if isinstance(text, str) and KEPT_BYTE.search(text):
        return kept_bytes_shown(text)
    return str(text)


def from_canonical(record: Any, *, path: str, field: str = "",
                   place: Placer | None = None, writer_lang: str = "en") -> Muscle:
    """Build a muscle from a canonical record, validated by the same rules as front
    matter; diagnostics name ``field`` (e.g. ``muscles[3]``) plus the record's path.
    ``writer_lang``: the run's ``--default-lang``, which a plain text (``"origin":
    "..."``) is read in, as Markdown's reader reads one, and ``too-large`` counts by (see
    :func:`~converter.authoring.muscle_from_front_matter`).
    ``place``: where a value of the record is, by the keys and indexes that lead to it
    in the record (``("extra", "a.b")``); a problem of ``extra`` is placed so (its path
    is ambiguous when a key holds ``.`` or ``[``), the others are left to the caller."""
    prefix = f"{field}." if field else ""
    if not isinstance(record, dict):
        raise MuscleError(Diagnostic(path, None, None, field, "wrong-type",
                                     "a muscle must be an object"))
    problems = [Diagnostic(path, None, None, prefix + key, "duplicate-key",
                           f"duplicate key {key!r}") for key in keys_twice(record)]
    problems += [Diagnostic(path, None, None, prefix + key, "unknown-key", _unknown(key))
                 for key in record if key not in _KEYS]  # (with the record's other problems)
    regions, extra = record.get("regions"), record.get("extra")  # (null: none)
    regions, extra = [] if regions is None else regions, {} if extra is None else extra
    body = record.get("body", "")
    problems += [Diagnostic(path, None, None, f"{prefix}extra.{key}", "duplicate-key",
                            f"duplicate key {key!r}") for key in keys_twice(extra)]
    polygons: list = regions  # (the regions the builder checks)
    places: list[int] | None = None  # (each one's place in regions: None, the same)
    if not (isinstance(regions, list) and all(isinstance(r, list) for r in regions)
            and isinstance(extra, dict) and isinstance(body, str)):  # (a good record: no more)
        shapes = _Shapes(regions, extra, body)  # (said with the record's other problems)
        problems += [d._replace(path=path, field=prefix + d.field) for d in shapes.problems]
        polygons, places, extra, body = shapes.polygons, shapes.places, shapes.extra, shapes.body
    kept: dict[Any, Any] = {}  # (extra without the keys named like fields)
    partial: Muscle | None = None  # (of the valid fields, when it has problems)
    try:
        kept, reserved = without_reserved(extra)  # (each reported, the rest checked)
        problems += [Diagnostic(path, None, None, prefix + key, code, message)
                     for key, code, message in reserved]
        front = {
            "slug": record.get("slug"), "title": record.get("title"),
            "latin": record.get("latin"), "origin": record.get("origin"),
            "insertion": record.get("insertion"), "function": record.get("functions"),
            "exercises": record.get("exercises"), "image": record.get("image"),
            "image_focus": record.get("image_focus"),
            "coords": [_coords(polygon) for polygon in polygons],
            **_floats(kept),
        }
        slug_problem = _slug_problem(front["slug"], path)
        if slug_problem is not None:  # (with the record's other problems, as Markdown's)
            beside, partial = _beside_the_slug(front, path, body, place, writer_lang)
            raise MuscleError([slug_problem, *beside], partial)
        muscle = partial = muscle_from_front_matter(front, path=path, slug_hint=front["slug"],
                                                    body=body, place=_in_extra(place),
                                                    check_body=False, default_lang=writer_lang,
                                                    writer_lang=writer_lang)
    except MuscleError as exc:
        partial = exc.partial
        keys = _Keys(kept)
        named = [d._replace(field=_rename(_placed(d.field, places, keys), keys))
                 for d in exc.diagnostics]
        problems += [d._replace(field=prefix + d.field if d.field else field)
                     for d in _by_point(named, regions)]
    said = body_problem(body)  # (the record's body, not a key body of its extra)
    if said is not None:
        problems.append(Diagnostic(path, None, None, prefix + "body", "control-character", said))
    if problems:
        raise MuscleError(problems, _in_place(partial, places, regions)) from None
    return muscle


def _unknown(key: str) -> str:
    """What a key that no canonical record has is: the one it may be a typo of
    (``Title``, ``origins``), else where data of one's own goes."""
    hint = meant_hint(key, _KEYS, ' (data of your own goes in "extra")')
    return f"unknown key {key!r} in a canonical record{hint}"


def _in_place(partial: Muscle | None, places: list[int] | None, regions: Any
              ) -> Muscle | None:
    """``partial`` (of the polygons of a record's ``regions`` that are lists, the
    ``places`` of each there) with each polygon at its place in ``regions``, an empty one
    in the place of each that is none (its own error hides its lints)."""
    if partial is None or places is None:
        return partial
    found = dict(zip(places, partial.regions, strict=True))
    count = len(regions) if isinstance(regions, list) else 0
    return dataclasses.replace(partial, regions=tuple(found.get(i, _NO_REGION)
                                                      for i in range(count)))


#: What a polygon that is no list is among the regions of :func:`_in_place`.
_NO_REGION = Region(())



def _slug_problem(slug: Any, path: str) -> Diagnostic | None:
    """What is wrong with a record's ``slug`` (None: nothing). Canonical records hold
    slugs, never raw names: one that is not a slug is an error, not made into one."""
    if not isinstance(slug, str):
        return Diagnostic(path, None, None, "slug", "wrong-type",
                          "is required and must be text")
    if not is_slug(slug):
        return Diagnostic(path, None, None, "slug", "bad-slug", not_a_slug(slug))
    return None


def _in_extra(place: Placer | None) -> Placer | None:
    """``place`` of a record (see :func:`from_canonical`) as the validator asks it, of
    a front matter's steps: a key of extra's is in the record's ``extra`` (a problem of
    the key itself at that key); None for the fields (their paths name them
    unambiguously): the caller places them."""
    if place is None:
        return None

    def placed(steps: Steps, key: bool) -> tuple[int, int] | None:
        if not steps or steps[0] in RESERVED_KEYS:
            return None
        return place(("extra", *steps), key)

    return placed


def _beside_the_slug(front: dict[str, Any], path: str, body: str,
                     place: Placer | None = None, writer_lang: str = "en"
                     ) -> tuple[list[Diagnostic], Muscle | None]:
    """The problems of a record whose slug is bad other than its slug: those it would
    have with a good one (so one run shows them all), and the muscle of its valid fields
    (its slug a stand-in, which no lint looks at). Called on a bad slug only."""
    try:
        muscle = muscle_from_front_matter({**front, "slug": STAND_IN_SLUG}, path=path,
                                          slug_hint=STAND_IN_SLUG, body=body,
                                          place=_in_extra(place), check_body=False,
                                          default_lang=writer_lang, writer_lang=writer_lang)
    except MuscleError as exc:
        return list(exc.diagnostics), exc.partial
    return [], muscle


#: Where a step of a field path ends and the next begins.
_STEP_END = re.compile(r"[.\[]")


class _Keys:
    """The keys of an object, to find which of them a field path starts with at the
    cost of the path's own steps (not one comparison per key: an object may have
    100,000 keys, and as many diagnostics)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = {str(key) for key in keys}  # (a key that is no text: as it is shown)
        self.lengths = {len(key) for key in self.keys}

    def leading(self, field: str) -> list[str]:
        """The keys that ``field`` starts with as whole steps (the key itself, or the
        key and then ``.`` or ``[``), longest first."""
        found = [field] if field in self.keys else []
        ends = [m.start() for m in _STEP_END.finditer(field) if m.start() in self.lengths]
        found += (field[:end] for end in reversed(ends) if field[:end] in self.keys)
        return found


#: A field of a muscle that lints name in a file of many: ``muscles[<slug>]`` and the rest.
_NAMED_RECORD = re.compile(r"muscles\[([a-z0-9-]+)\](.*)", re.S)


def named_record(field: str) -> tuple[str, str] | None:
    """(slug, the rest of the path) of a field named ``muscles[<slug>]...``, else None."""
    found = _NAMED_RECORD.fullmatch(field)
    return (found[1], found[2]) if found else None


def model_field(field: str, extra: Iterable[str] = ()) -> str:
    """A front-matter field path as the model and canonical records name it
    (``functions[0]``, ``regions[1]``, and ``extra.<key>`` for a path that starts with
    one of the ``extra`` keys): how formats of such records name fields."""
    return _rename(field, _Keys(extra) if extra else None)


def _rename(field: str, extra: _Keys | None = None) -> str:
    """A front-matter field path as the canonical record names it: ``functions[0]``,
    ``regions[1]``, ``extra.<key>`` for one of the ``extra`` keys."""
    if extra is not None and extra.leading(field):
        return f"extra.{field}"
    for old, new in _RENAMED:
        if field.startswith(old):
            return new + field[len(old):]
    return field


def _coords(polygon: list) -> Any:
    if all(isinstance(p, list) and len(p) == 2 for p in polygon):
        return ",".join(f"{_number(x)},{_number(y)}" for x, y in polygon)
    return polygon  # wrong shape: reported by the validator


def _number(value: Any) -> str:
    """A coordinate of a record as coords text (anything else as its JSON, ``"12"``,
    ``true``, which the validator refuses; :func:`_by_point` then names each)."""
    if type(value) is Exponent:
        return value.text
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return number_text(value)
    return json.dumps(value, default=repr, ensure_ascii=False)


#: A region's diagnostic (its first coordinate that is none) that :func:`_by_point`
#: turns into one per such coordinate.
_COORDINATE_CODES = frozenset({"coords-not-number", "coords-negative"})
_REGION = re.compile(r"regions\[([0-9]+)\]")


def _by_point(diagnostics: list[Diagnostic], regions: list) -> list[Diagnostic]:
    """``diagnostics`` (fields named as in the record), each of a region whose
    coordinate is none (the validator's ``regions[1]: '"12"' is not a plain number``,
    of its first such value as coords text) made one per such coordinate of the region,
    named by its point and axis counted from 0 (``regions[1].points[0].x``), its value
    as written in JSON; and a region that is no coords string to the builder (a point
    that is no pair of values) one per such point (``regions[1].points[2]``). Called on
    a problem only: a good record costs nothing more."""
    found: list[Diagnostic] = []
    for d in diagnostics:
        region = _REGION.fullmatch(d.field)
        polygon = None if region is None else regions[int(region[1])]
        if polygon is not None and d.code in _COORDINATE_CODES:
            named = [d._replace(field=f"{d.field}.{where}", code=problem.code,
                                message=str(problem))
                     for where, problem in _coordinate_problems(polygon)]
        elif polygon is not None and d.code == "wrong-type":  # (not a coords string)
            named = [d._replace(field=f"{d.field}.{where}", message=message)
                     for where, message in _shape_problems(polygon)]
        else:
            named = []
        found += named or [d]
    return found


def _shape_problems(polygon: list) -> Iterator[tuple[str, str]]:
    """(``points[j]``, what it is) of each point of ``polygon`` that is no pair of
    values, ``[x, y]``."""
    for j, point in enumerate(polygon):
        if not isinstance(point, list):
            yield f"points[{j}]", f"must be a point [x, y], not {_shown(point)}"
        elif len(point) != 2:
            yield f"points[{j}]", (f"must be a point [x, y], not a list of "
                                   f"{counted(len(point), 'values')}")


def _coordinate_problems(polygon: list) -> Iterator[tuple[str, CoordsProblem]]:
    """(``points[j].x`` or ``.y``, its problem) of each coordinate of ``polygon`` (a list
    of points, each a list of two values) that is none."""
    for j, point in enumerate(polygon):
        for axis, value in zip("xy", point, strict=True):
            problem = _coordinate_problem(value)
            if problem is not None:
                yield f"points[{j}].{axis}", problem


def _coordinate_problem(value: Any) -> CoordsProblem | None:
    """What is wrong with ``value`` as a coordinate of a record read with :func:`loads`
    (None: nothing), the value shown once, as written in JSON: ``1e2`` or ``true is not
    a plain number``, ``' 4' is not a plain number``, ``'12' is text, not a number``,
    ``negative coordinate -5`` (``coords-negative``)."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool | Exponent):
        try:
            check_number(number_text(value))
        except CoordsProblem as problem:
            return problem
        return None
    if isinstance(value, str) and is_plain_number(value):
        return CoordsProblem("coords-not-number", f"{_clipped(value)!r} is text, not a "
                             "number")
    return CoordsProblem("coords-not-number", f"{_shown(value)} is not a plain number")


def _shown(value: Any) -> str:
    """A value that is no number as JSON has it (a text as Python shows text, as the
    other readers do; a list, an object or bytes by its kind)."""
    if isinstance(value, str):
        return repr(_clipped(value))
    if type(value) is Exponent:
        return _clipped(value.text)
    if isinstance(value, Decimal):  # (12.5, -0, an integer too long for int)
        return _clipped(number_text(value))
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "an object"
    if isinstance(value, bytes):  # (a database's BLOB, named as the builder names one)
        return "binary data"
    return _clipped(json.dumps(value))  # (true, false, null, Infinity, NaN, 7)


def _clipped(text: str) -> str:
    """``text``, or its start if it is longer than a diagnostic shows (:data:`SHOWN`)."""
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}..."


class _Shapes:
    """The ``regions``, ``extra`` and ``body`` of a record, one of which is of the wrong
    shape: a ``wrong-type`` problem for each (field named below the record; a polygon
    that is no list by its place, ``regions[1]``), and what the record is checked with
    in their stead, so that its other problems are said in the same run: the regions
    that are lists (``places``: the place of each in ``regions``), an ``extra`` that is
    an object, a ``body`` that is text. Made for a record of such a shape only."""

    def __init__(self, regions: Any, extra: Any, body: Any) -> None:
        self.problems: list[Diagnostic] = []
        self.polygons: list = []
        self.places: list[int] = []
        if isinstance(regions, list):
            for i, polygon in enumerate(regions):
                self._polygon(i, polygon)
        else:
            self._wrong("regions", f"must be a list of polygons, not {_shown(regions)}")
        self.extra = extra if isinstance(extra, dict) else {}
        if not isinstance(extra, dict):
            self._wrong("extra", f"must be an object, not {_shown(extra)}")
        self.body = body if isinstance(body, str) else ""
        if not isinstance(body, str):
            self._wrong("body", f"must be text, not {_shown(body)}")

    def _polygon(self, place: int, polygon: Any) -> None:
        """Keep ``polygon`` to be checked, or say it is no list of points."""
        if isinstance(polygon, list):
            self.polygons.append(polygon)
            self.places.append(place)
        else:
            self._wrong(f"regions[{place}]", "must be a polygon, a list of points [x, y], "
                        f"not {_shown(polygon)}")

    def _wrong(self, field: str, message: str) -> None:
        self.problems.append(Diagnostic("", None, None, field, "wrong-type", message))


def _placed(field: str, places: list[int] | None, extra: _Keys) -> str:
    """A builder's field path with a region named by its place in the record's regions
    (``coords[0]`` of ``places`` [1] is ``coords[1]``), not among those checked; a path
    of an ``extra`` key as it is."""
    found = None if places is None or extra.leading(field) else _BUILT_REGION.match(field)
    if found is None or places is None:
        return field
    return f"coords[{places[int(found[1])]}]{field[found.end():]}"


#: A region as the builder names it, ``coords[0]`` (and what follows).
_BUILT_REGION = re.compile(r"coords\[([0-9]+)\]")


#: JSON's white space (none or more): space, tab, line feed, carriage return.
JSON_SPACE = re.compile(r"[ \t\n\r]*")
_INDEX = re.compile(r"\[([0-9]+)\]")
#: Skips a value (numbers kept as text: any length, no conversion).
_SKIP = json.scanner.make_scanner(  # type: ignore[attr-defined]
    json.JSONDecoder(parse_int=str, parse_float=str))


#: A coordinate of a record as diagnostics name it (``muscles[0].regions[1].points[2].x``,
#: or ``.regions[1].points[2].x`` below a record's name, ``[3].regions[1]...`` below a
#: list's item): the record's field, the point.
_COORDINATE = re.compile(r"((?:muscles\[[^\]]*\]|\[[0-9]+\])?\.?regions\[[0-9]+\])"
                         r"\.points(\[[0-9]+\])"
                         r"(?:\.([xy]))?")


def _json_steps(field: str) -> str:
    """``field`` with a coordinate's point and axis as the JSON holds them, the point's
    place in its region and the axis's in the point (``regions[1][2][0]``)."""
    found = _COORDINATE.fullmatch(field)
    if found is None:
        return field
    axis = "" if found[3] is None else f"[{'xy'.index(found[3])}]"
    return f"{found[1]}{found[2]}{axis}"


class JsonPlaces:
    """Where the fields of a JSON text are, found only when a diagnostic asks: a field
    path as diagnostics name it (``muscles[3].functions[0].short.da``,
    ``extra.<key>``) -> (line, column) of its value, 1-based, or of the deepest part of
    it that is there (a missing title: its record); a coordinate named by its point and
    axis (``muscles[3].regions[0].points[2].y``) is at that number of the region's
    array. Asked for a key (``key=True``), the opening quote of the key that names the
    value (a key given twice: the one whose value json reads, the last). ``text`` must
    be valid JSON.

    Built on a failure, it walks the text again, skipping the values off the path
    with the C scanner; the places in an array or object are found once, so locating
    the problems of many records of one document takes one pass, not one per problem."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._elements: dict[int, list[int]] = {}
        self._objects: dict[int, tuple[dict[str, int], _Keys]] = {}
        #: The offset of each member's value -> that of its key (found with its object).
        self._keys: dict[int, int] = {}
        self._lines: LineStarts | None = None  # made on the first place asked for

    def find(self, field: str, key: bool = False) -> tuple[int, int] | None:
        """(line, column) of ``field``'s value, or with ``key`` of the key that names it
        (see the class), None if the text is not what was parsed (never an exception:
        this only adds a place to a diagnostic)."""
        try:
            return self._line_column(self._at_key(self._offset(_json_steps(field)), key))
        except (IndexError, ValueError, KeyError, StopIteration, RecursionError):
            return None

    def find_steps(self, steps: Steps, key: bool = False) -> tuple[int, int] | None:
        """(line, column) of the value the keys and indexes ``steps`` lead to, each one
        key as written (``a.b`` is one), or of the deepest part of them that is there;
        with ``key``, of the key that names the value; None as :meth:`find` answers it."""
        try:
            return self._line_column(self._at_key(self._down(self._space(0), steps), key))
        except (IndexError, ValueError, KeyError, StopIteration, RecursionError):
            return None

    def _at_key(self, found: tuple[int, bool], key: bool) -> int:
        """The offset of a value ``found`` (offset, whether all its path was there), or
        with ``key`` of the key that names it where all was there (a list's item, or the
        part of a path that is there: the value)."""
        if key and found[1]:
            return self._keys.get(found[0], found[0])
        return found[0]

    def _down(self, at: int, steps: Steps) -> tuple[int, bool]:
        """(offset, whether all of ``steps`` was found) of the value ``steps`` lead to
        from the value at ``at``, or of the deepest part of them that is there."""
        for step in steps:
            if isinstance(step, int) and self.text[at] == "[":
                elements = self._array(at)
                if not 0 <= step < len(elements):
                    return at, False
                at = elements[step]
            elif isinstance(step, str) and self.text[at] == "{":
                members = self._members(at)[0]
                if step not in members:
                    return at, False
                at = members[step]
            else:
                return at, False
        return at, True

    def _offset(self, field: str) -> tuple[int, bool]:
        memo: dict[tuple[int, int], tuple[int, bool]] = {}
        return self._walk(self._space(0), field.removeprefix("."), memo)

    def _walk(self, at: int, rest: str, memo: dict[tuple[int, int], tuple[int, bool]]
              ) -> tuple[int, bool]:
        """(offset, whether all of ``rest`` was found) of ``rest`` in the value at ``at``.
        A key with a dot makes a path ambiguous (``extra.a.b``: key ``a.b``, or ``b`` in
        ``a``): a way that finds it all wins, the longer key first; memoised, so keys
        made to be ambiguous cost no more than one walk per (place, rest)."""
        if not rest:
            return at, True
        known = memo.get((at, len(rest)))
        if known is not None:
            return known
        text, found = self.text, (at, False)
        index = _INDEX.match(rest)
        if text[at] == "[" and index:
            elements = self._array(at)
            if int(index[1]) < len(elements):
                found = self._walk(elements[int(index[1])],
                                   rest[index.end():].removeprefix("."), memo)
        elif text[at] == "{":
            members, keys = self._members(at)
            for key in keys.leading(rest):  # longest first
                way = self._walk(members[key], rest[len(key):].removeprefix("."), memo)
                if way[1]:
                    found = way
                    break
                if not found[1] and found[0] == at:
                    found = way  # the first way that went deeper, if none goes all the way
        memo[(at, len(rest))] = found
        return found

    def _space(self, at: int) -> int:
        if at < len(self.text) and self.text[at] not in " \t\n\r":
            return at  # the usual case, without the regex
        return JSON_SPACE.match(self.text, at).end()  # type: ignore[union-attr]

    def _array(self, at: int) -> list[int]:
        """Offsets of the elements of the array at ``at`` (found once)."""
        found = self._elements.get(at)
        if found is None:
            found = self._elements[at] = []
            at = self._space(at + 1)
            while self.text[at] != "]":
                found.append(at)
                at = self._space(self._skip(at))
                at = self._space(at + 1) if self.text[at] == "," else at
        return found

    def _members(self, at: int) -> tuple[dict[str, int], _Keys]:
        """Key -> offset of its value (the last one's, as ``json`` reads a key given
        twice) of the object at ``at``, and its keys (found once: the document's own
        object holds all the records)."""
        found = self._objects.get(at)
        if found is None:
            members: dict[str, int] = {}
            text, start = self.text, at
            at = self._space(at + 1)
            while text[at] != "}":
                quote = at
                key, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
                at = self._space(self._space(at) + 1)  # past the colon
                members[key] = at
                self._keys[at] = quote
                at = self._space(self._skip(at))
                at = self._space(at + 1) if text[at] == "," else at
            found = self._objects[start] = (members, _Keys(members))
        return found

    def _skip(self, at: int) -> int:
        """Where the value at ``at`` ends; the text is read :func:`shallow` from there
        on where it is nested deeper than json's scanner goes (every place kept)."""
        try:
            return _SKIP(self.text, at)[1]
        except RecursionError:
            shallower = shallow(self.text, at)
            if shallower is None or shallower is self.text:
                raise
            self.text = shallower
            return _SKIP(self.text, at)[1]

    def _line_column(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        if self._lines is None:
            self._lines = LineStarts(self.text)
        line, column = self._lines.place(offset)
        return line + 1, column + 1
