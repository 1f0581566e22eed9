"""The canonical muscle model: the one contract between readers and writers.

Readers produce :class:`Muscle` objects, writers consume them; no writer ever sees
YAML. Every value is immutable (tuples and :class:`FrozenMap`), so models can be
compared, hashed and sent between processes. Equality of models is what the
round-trip tests compare.
"""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # (a default, which typing takes from Python 3.13 and type checkers
    # before: a FrozenMap named alone is a FrozenMap[Any], as it was)
    _V = TypeVar("_V", default=Any)
else:
    _V = TypeVar("_V")

Number = int | Decimal
Point = tuple[Number, Number]

#: The model's fields in their canonical order (also the order of keys in every writer).
FIELDS: tuple[str, ...] = (
    "slug",
    "title",
    "latin",
    "origin",
    "insertion",
    "functions",
    "exercises",
    "image",
    "image_focus",
    "regions",
    "body",
    "extra",
)
ALL_FIELDS: frozenset[str] = frozenset(FIELDS)
#: The keys of a :data:`LocalizedText`: language codes such as ``da``, ``en``, ``pt-BR``.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")


def is_language_code(code: object) -> bool:
    """True for language codes such as ``da``, ``en`` or ``pt-BR`` (and never for what
    is not text)."""
    return isinstance(code, str) and bool(LANGUAGE_CODE.match(code))


def language_code(code: object) -> str | None:
    """``code`` as the model holds a language code: as typed when it is one (``da``,
    ``pt-br``, ``pt-BR``), else, when it is one in other case (``DA``, ``PT-BR``), in
    BCP 47's case (``da``, ``pt-BR``); None for what is no language code."""
    if is_language_code(code):
        return str(code)
    if not isinstance(code, str) or not code.isascii() or not is_language_code(
            code.lower()):
        return None
    first, *rest = code.lower().split("-")
    return "-".join([first, *map(_subtag_cased, rest)])


def _subtag_cased(subtag: str) -> str:
    """A subtag after the language (lower case) in BCP 47's case: a region of two letters
    in capitals (``BR``), a script of four in title case (``Hant``), else lower case."""
    if len(subtag) == 2:
        return subtag.upper()
    return subtag.title() if len(subtag) == 4 and subtag.isalpha() else subtag


class FrozenMap(Mapping[str, _V]):  # (generic in _V, Mapping's __class_getitem__ at run time)
    """An immutable, hashable, picklable mapping that keeps its insertion order: text
    keys, values of type ``_V`` (``FrozenMap[str]``; ``FrozenMap`` alone takes any)."""

    __slots__ = ("_index", "_items")

    def __init__(self, items: Mapping[str, _V] | tuple[tuple[str, _V], ...] = ()) -> None:
        pairs = tuple(items.items()) if isinstance(items, (dict, Mapping)) else tuple(items)
        self._items: tuple[tuple[str, _V], ...] = pairs
        self._index: dict[str, _V] = dict(pairs)
        if len(self._index) != len(pairs):
            raise ValueError("duplicate key in FrozenMap")

    def __getitem__(self, key: str) -> _V:
        return self._index[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)  # a dict keeps the items' order

    def items(self) -> ItemsView[str, _V]:
        """The (key, value) pairs in order."""
        return self._index.items()

    def keys(self) -> KeysView[str]:
        """The keys in order."""
        return self._index.keys()

    def values(self) -> ValuesView[_V]:
        """The values in order."""
        return self._index.values()

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._index == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_map, (type(self), self._items))


#: A :class:`FrozenMap` or a subclass of one (:class:`LocalizedText`).
_Map = TypeVar("_Map", bound=FrozenMap)


def _restore_map(cls: type[_Map], items: tuple[tuple[str, Any], ...]) -> _Map:
    """Unpickle a map whose items were valid (and sorted) when it was pickled."""
    restored = object.__new__(cls)
    restored._items = items
    restored._index = dict(items)
    return restored


def base_language(code: str) -> str:
    """The language of a language code, without its variant: ``da`` for ``da-DK``."""
    return code.split("-")[0].lower()


class LocalizedText(FrozenMap[str]):
    """Text in several languages: language code -> text, kept sorted by language code."""

    __slots__ = ()

    def __init__(self, items: Mapping[str, str] | tuple[tuple[str, str], ...] = ()) -> None:
        pairs = items.items() if isinstance(items, (dict, Mapping)) else items
        super().__init__(tuple(sorted(pairs)))

    @classmethod
    def of(cls, texts: dict[str, str]) -> LocalizedText:
        """From a dict of language code -> text whose codes and texts are checked: the
        constructor's checks skipped (readers build these by the hundred thousand)."""
        return _restore_map(cls, tuple(sorted(texts.items())))

    def pick(self, lang: str, *also: str) -> tuple[str, str] | None:
        """Return ``(language, text)`` in ``lang`` (its code in any case: ``pt-br`` finds
        ``pt-BR``), or in a language of the same base (``da`` for ``da-DK``, and the other
        way); else so in the first of ``also`` there is (such as the default language);
        else in the first language present."""
        for wanted in (lang, *also):
            found = self._in(wanted)
            if found is not None:
                return found
        return next(iter(self._items), None)

    def _in(self, wanted: str) -> tuple[str, str] | None:
        """``(language, text)`` in the language ``wanted``, its code matched in any case
        (BCP 47 language tags ignore case), else in one of its base language."""
        if wanted in self:
            return wanted, self[wanted]
        folded, base = wanted.lower(), base_language(wanted)
        same_base = None
        for key, value in self._items:
            if key.lower() == folded:
                return key, value
            if same_base is None and base_language(key) == base:
                same_base = key, value
        return same_base


def freeze(value: Any) -> Any:
    """Turn JSON-like data (dicts, lists) into immutable data (FrozenMap, tuples)."""
    if isinstance(value, Mapping):
        return FrozenMap(tuple((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Inverse of :func:`freeze`: plain dicts and lists again."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Function:
    """One function of a muscle: a short statement and an optional explanation."""

    short: LocalizedText
    extended: LocalizedText = field(default_factory=LocalizedText)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Function, (self.short, self.extended))


@dataclass(frozen=True, slots=True)
class Region:
    """One polygon on the shared body diagram (an HTML image-map ``coords`` string)."""

    points: tuple[Point, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return (Region, (self.points,))

    @property
    def coords(self) -> str:
        """The polygon as an HTML image-map ``coords`` string, numbers as written."""
        return coords_text(self.points)


def number_text(value: Number) -> str:
    """A coordinate as written: an int as is, a decimal in plain notation with its
    decimals (``12.50``, ``0.0000001``, where ``str`` gives ``1E-7``)."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


#: A decimal number as YAML reads it without a tag (the trap-free types of
#: :mod:`converter.yamlsafe`, which YAML 1.1 readers read as a number too).
YAML_FLOAT = re.compile(r"(?:[-+]?[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?\Z")
#: A whole number as YAML reads it without a tag (``!!float 12`` makes one a float).
YAML_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
#: A decimal number as JSON writes it (with a fraction or an exponent: no integer).
JSON_DECIMAL = re.compile(
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)\Z")


class _Spelled:
    """A number that keeps the ``text`` its source wrote it as (made of that text, and
    pickled as it)."""

    __slots__ = ()
    text: str

    def __new__(cls, text: str) -> Any:
        number = super().__new__(cls, text)  # type: ignore[call-arg]
        number.text = text
        return number

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.text,))


class WrittenFloat(_Spelled, float):
    """A decimal number of ``extra`` whose source wrote it otherwise than Python writes
    the float (``0.10``, ``1.0e+5``, ``.5``, ``1E5``): the same value, and its ``text``,
    which every lossless writer writes as it was where its syntax reads that text as the
    same float (JSON has no ``.5``; YAML 1.1 has no ``1E5``), else as Python writes it."""

    __slots__ = ("text",)


class WrittenInt(_Spelled, int):
    """A whole number of ``extra`` that its source wrote with a plus sign (``+1``): the
    same ``int``, and its ``text``, which the Markdown writer (and so ``fmt``) writes
    as it was."""


class TaggedInt(int):
    """A whole number of ``extra`` written with its tag in a form YAML reads untagged as
    text (``!!int 0x1F``, ``!!int 1_000``): the same ``int``, and its ``text`` after
    the tag, which the Markdown writer (and so ``fmt``) writes tagged as it was."""

    text: str

    def __new__(cls, value: int, text: str) -> TaggedInt:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __reduce__(self) -> tuple[Any, ...]:
        return (TaggedInt, (int(self), self.text))


class TaggedFloat(float):
    """A decimal number of ``extra`` written with its tag in a form YAML reads untagged
    as text (``!!float 1_000``, ``!!float 1e5``): the same ``float``, and its ``text``
    after the tag, which the Markdown writer (and so ``fmt``) writes tagged as it was."""

    __slots__ = ("text",)

    def __new__(cls, value: float, text: str) -> TaggedFloat:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __reduce__(self) -> tuple[Any, ...]:
        return (TaggedFloat, (float(self), self.text))


class ExactNumber(_Spelled, Decimal):
    """A number of ``extra`` that no float or int holds as written: a decimal with more
    digits than a float keeps (``0.10000000000000000001``) or beyond its range
    (``1.0e-400``), and the whole number ``-0``. Every format keeps it exactly
    (:func:`exact_text`); ``text`` is how its source wrote it."""


def extra_float(text: str) -> float:
    """The value of a decimal number of ``extra`` written ``text`` (YAML or JSON): a
    ``float`` when Python writes it so; a :class:`WrittenFloat` when it writes the
    same value otherwise (``0.10``, and ``12`` of ``!!float 12``); an
    :class:`ExactNumber` when a float would change its value (more digits, or beyond
    its range: one too large for any float, ``1.0e+400``, is one too, which the
    validator refuses as too large; an infinity or NaN spelled out stays the float)."""
    value = float(text)
    shown = repr(value)
    if shown == text:
        return value
    try:
        exact = Decimal(text)
    except ArithmeticError:  # (an exponent past any Decimal's: as large as one holds,
        # too large as 1.0e+400 is; or nothing, as a float reads it)
        if value in (float("inf"), float("-inf")):
            return ExactNumber(in_decimal_reach(text))  # type: ignore[return-value]
        return WrittenFloat(text)
    if not exact.is_finite():
        return value
    if Decimal(shown) == exact:
        return WrittenFloat(text)
    return ExactNumber(text)  # type: ignore[return-value]


#: The exponent of a number written with one (its sign, its digits).
_EXPONENT = re.compile(r"[eE]([-+]?)(\d+)$")
#: The largest exponent a ``Decimal`` holds: 18 nines.
_MOST_EXPONENT = "9" * 18


def in_decimal_reach(text: str) -> str:
    """A number ``text`` (YAML's or JSON's) whose exponent a ``Decimal`` holds:
    ``text``, or, past that, with the largest it holds (a number too large for any
    float either way, or one a float reads as zero)."""
    found = _EXPONENT.search(text)
    if found is None or len(found.group(2).lstrip("0")) <= len(_MOST_EXPONENT):
        return text
    return f"{text[:found.start()]}e{found.group(1)}{_MOST_EXPONENT}"


def exact_text(number: Decimal, yaml: bool = False) -> str:
    """An :class:`ExactNumber` (or another finite ``Decimal``) as JSON writes a number,
    exactly; as written when its ``text`` is a decimal so (``yaml``: a number YAML reads,
    for the Markdown writer, which tags a whole one ``!!float``), or ``-0``. Else a
    decimal keeps a point (``1.0e-400``), so that every reader takes it for one."""
    text = getattr(number, "text", None)
    if text is not None and (text == "-0" or (
            YAML_FLOAT.match(text) or YAML_INT.match(text) if yaml
            else JSON_DECIMAL.match(text))):
        return text
    shown = str(number).replace("E", "e")
    mantissa, e, exponent = shown.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}{e}{exponent}"


def coords_text(points: Iterable[Point], pair: str = "{},{}", sep: str = ",") -> str:
    """``points`` as text, each ``pair`` (of two numbers as :func:`number_text` writes
    them) joined by ``sep``; ``str`` first (fast, and right unless a decimal is tiny
    enough for an exponent)."""
    points = tuple(points)
    text = sep.join(pair.format(x, y) for x, y in points)
    if "E" not in text:
        return text
    return sep.join(pair.format(number_text(x), number_text(y)) for x, y in points)


@dataclass(frozen=True, slots=True)
class Muscle:
    """One muscle, as every reader produces and every writer consumes it."""

    slug: str
    title: str
    latin: str | None = None
    origin: LocalizedText = field(default_factory=LocalizedText)
    insertion: LocalizedText = field(default_factory=LocalizedText)
    functions: tuple[Function, ...] = ()
    exercises: tuple[str, ...] = ()
    image: str | None = None
    image_focus: str | None = None
    regions: tuple[Region, ...] = ()
    body: str = ""
    extra: FrozenMap = field(default_factory=FrozenMap)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as plain tuples and rebuilt without re-checking: muscles cross from
        # worker processes and into the cache by the tens of thousands.
        return (_restore_muscle, (
            self.slug, self.title, self.latin, self.origin._items, self.insertion._items,
            tuple((f.short._items, f.extended._items) for f in self.functions),
            self.exercises, self.image, self.image_focus,
            tuple(r.points for r in self.regions), self.body, self.extra))

    def project(self, carried: frozenset[str]) -> Muscle:
        """This muscle with every field outside ``carried`` reset to its empty value.

        ``read(write(m))`` of a lossy format equals ``format.projected(m)``
        (:meth:`~converter.registry.Format.projected`): ``m.project(format.carries)``,
        unless the format loses more within the fields it carries (and says so there:
        an empty Anki field reads as no Latin name, a blank exercise as none).
        """
        empty = Muscle(slug=self.slug, title=self.title)
        return Muscle(
            **{
                f.name: getattr(self if f.name in carried else empty, f.name)
                for f in fields(self)
            }
        )


_OPTIONAL_TEXT = (str, type(None))
#: The model's type of each field of :class:`Muscle`.
_KINDS: tuple[tuple[str, Any], ...] = (
    ("slug", str), ("title", str), ("latin", _OPTIONAL_TEXT), ("origin", LocalizedText),
    ("insertion", LocalizedText), ("functions", tuple), ("exercises", tuple),
    ("image", _OPTIONAL_TEXT), ("image_focus", _OPTIONAL_TEXT), ("regions", tuple),
    ("body", str), ("extra", FrozenMap))


def misshapen(muscle: Muscle) -> str | None:
    """What in ``muscle`` is not of the model's types (a hand-built one may hold a list,
    a str or None where the model has tuples, texts and maps: ``exercises="squat"``
    would be five exercises), else None. Readers never make such a muscle."""
    for name, kind in _KINDS:
        if not isinstance(getattr(muscle, name), kind):
            return f"{name} is {type(getattr(muscle, name)).__name__}, not {_kind_name(kind)}"
    for i, function in enumerate(muscle.functions):
        if not (isinstance(function, Function) and isinstance(function.short, LocalizedText)
                and isinstance(function.extended, LocalizedText)):
            return f"functions[{i}] is not a Function of LocalizedText"
    for i, exercise in enumerate(muscle.exercises):
        if not isinstance(exercise, str):
            return f"exercises[{i}] is {type(exercise).__name__}, not str"
    unfrozen = _unfrozen(muscle.extra, "extra")
    if unfrozen is not None:
        return unfrozen
    for i, region in enumerate(muscle.regions):
        if not (isinstance(region, Region) and isinstance(region.points, tuple) and all(
                isinstance(point, tuple) and len(point) == 2 and all(
                    isinstance(v, int | Decimal) and not isinstance(v, bool) for v in point)
                for point in region.points)):
            return f"regions[{i}] is not a Region of (x, y) points of int or Decimal"
    return None


def _unfrozen(value: Any, where: str) -> str | None:
    """Where in ``value`` (named ``where``: ``extra``) a list, a dict (a mapping not a
    :class:`FrozenMap`) or a set is, which a muscle cannot be hashed with nor read back
    as (a list reads back as a tuple), said as :func:`misshapen` says it; else None."""
    if isinstance(value, FrozenMap):
        for key, item in value.items():
            found = _unfrozen(item, f"{where}.{key}")
            if found is not None:
                return found
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            found = _unfrozen(item, f"{where}[{i}]")
            if found is not None:
                return found
    elif isinstance(value, list | Mapping | set | bytearray):
        frozen = "FrozenMap" if isinstance(value, Mapping) else "tuple"
        return (f"{where} is {type(value).__name__}, not {frozen} (converter.model.freeze "
                "makes one)")
    return None


def _kind_name(kind: Any) -> str:
    return " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__


def _restore_muscle(slug: str, title: str, latin: str | None, origin: Any, insertion: Any,
                    functions: Any, exercises: tuple[str, ...], image: str | None,
                    image_focus: str | None, regions: Any, body: str,
                    extra: FrozenMap) -> Muscle:
    """Unpickle a muscle from the tuples :meth:`Muscle.__reduce__` made of a valid one."""
    put = object.__setattr__
    functions = tuple(_restore_function(short, extended) for short, extended in functions)
    regions = tuple(_restore_region(points) for points in regions)
    muscle = object.__new__(Muscle)
    for name, value in (("slug", slug), ("title", title), ("latin", latin),
                        ("origin", _restore_map(LocalizedText, origin)),
                        ("insertion", _restore_map(LocalizedText, insertion)),
                        ("functions", functions), ("exercises", exercises), ("image", image),
                        ("image_focus", image_focus), ("regions", regions), ("body", body),
                        ("extra", extra)):
        put(muscle, name, value)
    return muscle


def _restore_function(short: Any, extended: Any) -> Function:
    function = object.__new__(Function)
    object.__setattr__(function, "short", _restore_map(LocalizedText, short))
    object.__setattr__(function, "extended", _restore_map(LocalizedText, extended))
    return function


def _restore_region(points: tuple[Point, ...]) -> Region:
    region = object.__new__(Region)
    object.__setattr__(region, "points", points)
    return region
