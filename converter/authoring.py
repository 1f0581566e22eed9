"""The front matter as authors write it <-> the canonical model.

:func:`muscle_from_front_matter` is the one validator of content: every reader turns
its input into this layout (or calls it directly) so every format checks the same
rules, and each problem becomes a diagnostic naming the field. The JSON Schema
``schemas/front-matter.schema.json`` states the same rules for other tools; a test
keeps the two in agreement.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .coords import CoordsProblem, parse_coords
from .diagnostics import Diagnostic, MuscleError
from .meant import hint as meant_hint
from .model import (
    LANGUAGE_CODE,
    Function,
    LocalizedText,
    Muscle,
    Region,
    freeze,
    language_code,
    thaw,
)
from .safety import MAX_DEPTH, MAX_NODES, KeysTwice, LongInteger, keys_twice, too_long_to_write
from .slug import BUNDLE_PAGE, MAX_SLUG_LENGTH, FolderName, slugify

#: Front-matter keys of the schema, in canonical order (everything else is ``extra``).
SCHEMA_KEYS = ("title", "latin", "origin", "insertion", "function", "exercises", "image",
               "image_focus", "coords")
RESERVED_KEYS = frozenset(SCHEMA_KEYS) | {"slug"}
#: The keys of a function.
_FUNCTION_KEYS = ("short", "extended")
#: YAML's merge key: refused as a key of ``extra`` (see :meth:`_Builder.merge_key`).
MERGE_KEY = "<<"
#: Control characters (C0 but tab and newline, DEL, C1) and lone surrogates (which JSON
#: escapes such as "\\ud800" can smuggle in, and no UTF-8 file can hold).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: Text that shows nothing: Unicode's White_Space (Python's ``\s`` written out, but for
#: U+1680 OGHAM SPACE MARK, which draws a visible stroke) and Default_Ignorable_Code_Point
#: characters (every format character, Cf, but those that draw a sign: the prepended
#: concatenation marks and Egyptian hieroglyph format controls; the variation selectors,
#: Mongolian's too; the combining grapheme joiner, Khmer's inherent vowels and the
#: Hangul fillers; the code points kept for more such, U+FFF0-FFF8 and the block of tags
#: and variation selectors U+E0000-E0FFF, which a browser hides as well), the
#: interlinear annotation marks (Cf, not default ignorable, yet drawn as nothing)
#: and the blank Braille pattern. tests/test_authoring.py derives the set from
#: ``unicodedata`` over every code point, tests/test_schema.py checks it against
#: JavaScript's ``\p{...}`` of those properties; the schemas' title pattern is this class.
_SHOWS_NOTHING = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u2000-\u200a\u2028\u2029"
                            "\u202f\u205f\u3000\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
                            "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                            "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
                            "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                            "\U000e0000-\U000e0fff]")
_BLANK = re.compile(_SHOWS_NOTHING.pattern + "*")
#: A text said to be empty: nothing, or the spaces one types (space, tab, line breaks,
#: no-break space). Other blank text (an ideographic space, a line separator, a
#: zero-width space) holds invisible characters, which the author may not know are there.
_EMPTY = re.compile("[ \t\n\r\u00a0]*")
#: What no Markdown file's body can hold: NUL (a binary file) and lone surrogates (not
#: UTF-8). Other control characters are kept verbatim, as the Markdown reader keeps them.
_NOT_IN_BODY = re.compile("[\x00\ud800-\udfff]")
#: A lone surrogate (a JSON reader's ``"\\ud800"``), which no UTF-8 file can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Mapping checks try dict first: the data of every reader is made of dicts.
_MAPPING = (dict, Mapping)
_NO_TEXT = LocalizedText()
#: What a function or region that is not valid is in the muscle of the valid fields a
#: :class:`MuscleError` carries (its lints at that place are not said).
_NO_FUNCTION = Function(_NO_TEXT, _NO_TEXT)
_NO_REGION = Region(())
Locator = Callable[[str], tuple[int | None, int | None]]
#: The keys and list indexes that lead to a value, as written (a key ``my.key`` is one).
Steps = tuple[str | int, ...]
#: Where the value at some steps is (its key's place with ``key``): (line, column).
Placer = Callable[[Steps, bool], tuple[int, int] | None]
#: A problem found in content: (field path, code, message).
Problem = tuple[str, str, str]


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only spaces and invisible format characters (a
    title may not be so; any other text that is is an ``empty-text`` warning)."""
    return _BLANK.fullmatch(text) is not None


def shown_only(text: str) -> str:
    """``text`` without what shows nothing (see :func:`is_blank`): spaces and invisible
    characters dropped (``Squat`` of ``Sq uat`` with a zero-width space for its space)."""
    return _SHOWS_NOTHING.sub("", text)


#: :func:`is_blank` as a C function (a match, or None), for one pass over many texts.
match_blank = _BLANK.fullmatch


def blank_kind(text: str) -> str:
    """What a text that shows nothing (:func:`is_blank`) is: empty (or typed spaces), or
    invisible characters (other white space too: ``\\u3000``, a line separator)."""
    return "text is empty" if _EMPTY.fullmatch(text) else "text holds only invisible characters"


class _Builder:
    """Collects problems as (field path, code, message) while building a model."""

    def __init__(self, default_lang: str, writer_lang: str) -> None:
        self.default_lang = default_lang
        #: The Markdown writer's default language: a function's text in it alone is
        #: written as plain text (:func:`front_matter_from_muscle`), so counted.
        self.writer_lang = writer_lang
        self.problems: list[Problem] = []
        #: The steps of the problems (by index) whose field path cannot be split into
        #: them: a key of ``extra`` or of a map of the schema may hold ``.`` or ``[``.
        self.steps: dict[int, Steps] = {}
        #: The problems (by index) about a key itself whose code is not always one
        #: (:data:`AT_KEY`): a key holding a lone surrogate, placed at that key.
        self.at_key: set[int] = set()
        #: Values as YAML counts them in the text maps and in extra, as the Markdown
        #: writer lays them out (:func:`front_matter_from_muscle`): a text map of n
        #: languages is its key, the map and 2 n; a function's text in the writer's
        #: default language alone is its key and the text.
        self.values = 0

    def fail(self, path: str, code: str, message: str) -> None:
        self.problems.append((path, code, message))

    def fail_at(self, steps: Steps, code: str, message: str, *, key: bool = False) -> None:
        """:meth:`fail` at the value the keys and indexes ``steps`` lead to (with
        ``key``, at the key of the last step)."""
        self.steps[len(self.problems)] = steps
        if key:
            self.at_key.add(len(self.problems))
        self.fail(field_path(steps), code, message)

    def keys_once(self, value: Any, steps: Steps) -> None:
        """Report each key that a JSON object (``value``, at ``steps``) gave twice."""
        for key in keys_twice(value):
            self.fail_at((*steps, key), "duplicate-key", f"duplicate key {key!r}")

    def languages_once(self, value: Mapping[Any, Any], path: str) -> None:
        """Report each language code of a text map (``value``, at ``path``) that names
        a language an earlier key names in other case (``pt-BR`` after ``pt-br``):
        language codes ignore case (BCP 47), so the map gives that language twice."""
        first: dict[str, str] = {}
        for lang in value:
            if isinstance(lang, str) and LANGUAGE_CODE.match(lang):
                known = first.setdefault(lang.lower(), lang)
                if known != lang:
                    self.fail(f"{path}.{lang}", "duplicate-key", f"{lang!r} and {known!r} "
                              "are one language (language codes ignore case): keep one")

    def text(self, value: Any, path: str, *, required: bool = False,
             nonempty: bool = False) -> str | None:
        if value is None:
            if required:
                self.fail(path, "missing-field", "is required")
            return None
        if not isinstance(value, str):
            self.fail(path, "wrong-type", f"must be text, not {_kind(value)}")
            return None
        found = _CONTROL.search(value)
        if found:
            char = ord(found.group())
            self.fail(path, "control-character", f"contains U+{char:04X}, a lone surrogate, "
                      "which no UTF-8 file can hold" if 0xD800 <= char <= 0xDFFF else
                      f"contains a control character (U+{char:04X})")
            return None
        if nonempty and is_blank(value):
            self.fail(path, "empty-field", "must not be empty" if _EMPTY.fullmatch(value) else
                      "must not be empty (it holds only invisible characters)")
            return None
        return value

    def localized(self, value: Any, path: str, *, required: bool = False,
                  short_form: bool = False) -> LocalizedText:
        """The text map at ``path`` (plain text is in the default language); with
        ``short_form`` (a function's), written as plain text when in that language alone."""
        if value is None:
            if required:
                self.fail(path, "missing-field", "is required")
            return _NO_TEXT
        if isinstance(value, str):
            text = self.text(value, path)
            self.values += 2 if short_form and self.default_lang == self.writer_lang else 4
            return _NO_TEXT if text is None else LocalizedText.of({self.default_lang: text})
        if not isinstance(value, _MAPPING):
            self.fail(path, "wrong-type", f"must be text or a map of language codes to "
                      f"text, not {_kind(value)}")
            return _NO_TEXT
        if type(value) is KeysTwice:  # (a type test: this runs for every text map)
            self.keys_once(value, split_path(path))
        pairs = {}
        for lang, text in value.items():
            if not isinstance(lang, str):  # (a database's blob, a YAML number)
                self.fail(path, "bad-language", f"a language code must be text such as "
                          f"da or en, not {_kind(lang)}")
                continue
            if not LANGUAGE_CODE.match(lang):
                self.fail_at((*split_path(path), lang), "bad-language", _not_a_code(lang))
                continue
            checked = self.text(text, f"{path}.{lang}", required=True)
            if checked is not None:
                pairs[lang] = checked
        if len(pairs) > 1 and _cased_twice(pairs):
            self.languages_once(value, path)
        if required and not value:
            self.fail(path, "missing-field", "needs text in at least one language")
        if short_form and list(pairs) == [self.writer_lang]:
            self.values += 2
        elif pairs:  # (none: not written)
            self.values += 2 + 2 * len(pairs)
        return LocalizedText.of(pairs)

    def sequence(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "wrong-type", f"must be a list, not {_kind(value)}")
            return []
        return value

    def function(self, value: Any, path: str) -> Function | None:
        if not isinstance(value, _MAPPING):
            self.fail(path, "wrong-type", f"must be a map with short and extended, "
                      f"not {_kind(value)}")
            return None
        if type(value) is KeysTwice:
            self.keys_once(value, split_path(path))
        for key in value:
            if key not in _FUNCTION_KEYS:
                hint = meant_hint(key, _FUNCTION_KEYS) if isinstance(key, str) else ""
                self.fail_at((*split_path(path), key), "unknown-key",
                             f"unknown key {key!r} (a function has short and extended){hint}")
        short = self.localized(value.get("short"), f"{path}.short", required=True,
                               short_form=True)
        extended = self.localized(value.get("extended"), f"{path}.extended", short_form=True)
        return Function(short, extended) if short else None

    def region(self, value: Any, path: str) -> Region | None:
        if not isinstance(value, str):
            self.fail(path, "wrong-type", f"must be a coords string \"x1,y1,x2,y2,...\", "
                      f"not {_kind(value)}")
            return None
        try:
            return Region(parse_coords(value))
        except CoordsProblem as problem:
            self.fail(path, problem.code, str(problem))
            return None

    def plain(self, value: Any, steps: Steps) -> None:
        """Check that an extra value (at the keys and indexes ``steps``) is plain data
        that every lossless format keeps."""
        self.values += 1
        if isinstance(value, str):
            self.writable(value, steps)
            return
        if isinstance(value, bool | int | type(None)):
            if isinstance(value, int) and too_long_to_write(value):
                self.fail_at(steps, "wrong-type", f"a number of about "
                             f"{int(value.bit_length() * 0.30103) + 1} digits is too long "
                             "to store")
            return
        if isinstance(value, _MAPPING):
            self.plain_map(value, steps)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.plain(item, (*steps, i))
        elif isinstance(value, float) and not math.isfinite(value):
            self.fail_at(steps, "wrong-type", "must be a finite number")
        elif isinstance(value, LongInteger):  # (a JSON reader's integer too long for int)
            self.fail_at(steps, "wrong-type", f"a number of {len(value.as_tuple().digits)} "
                         "digits is too long to store")
        elif isinstance(value, Decimal):  # (an ExactNumber, or one given by hand)
            self.exact(value, steps)
        elif not isinstance(value, str | int | float | bool | type(None)):
            self.fail_at(steps, "wrong-type", f"{_kind(value)} cannot be stored")

    def plain_map(self, value: Mapping[Any, Any], steps: Steps) -> None:
        """:meth:`plain` of a map of extra: its keys, and the value of each."""
        if type(value) is KeysTwice:
            self.keys_once(value, steps)
        self.values += len(value)  # (the keys)
        for key, item in value.items():
            if not isinstance(key, str):
                self.fail_at(steps, "wrong-type", f"key {key!r} must be text")
            elif key == MERGE_KEY:
                self.merge_key((*steps, key))
            elif self.writable(key, (*steps, key), "key"):
                self.plain(item, (*steps, key))

    def exact(self, value: Decimal, steps: Steps) -> None:
        """Check an exact number of extra (every reader takes one beyond a float's range,
        ``1.0e+400``, for infinity, as YAML's own)."""
        if not value.is_finite():
            self.fail_at(steps, "wrong-type", "must be a finite number")
        elif math.isinf(float(value)):
            self.fail_at(steps, "wrong-type", "is too large for a number (no float holds it)")

    def merge_key(self, steps: Steps) -> None:
        """A ``reserved-key`` error at the merge key ``<<`` that ``steps`` end in."""
        self.fail_at(steps, "reserved-key", "'<<' is YAML's merge key: Ruby's YAML (Jekyll) "
                     "merges its value into the map, quoted or not")

    def writable(self, text: str, steps: Steps, what: str = "text") -> bool:
        """Whether ``text`` of an extra value can be written as UTF-8 (else a
        ``control-character`` error at ``steps``: at its key, when ``text`` is one)."""
        found = _SURROGATE.search(text)
        if found:
            self.fail_at(steps, "control-character", f"{what} contains "
                         f"U+{ord(found.group()):04X}, a lone surrogate, which no UTF-8 "
                         "file can hold", key=what == "key")
        return not found


def without_reserved(extra: Mapping[Any, Any]) -> tuple[dict[Any, Any], list[Problem]]:
    """``extra`` as stored apart from the fields (JSON, SQLite, CSV, a hand-built
    muscle) without its keys named like a field (``title``, ``slug``: taken in, they
    would stand in for the fields), and a ``reserved-key`` problem (field path
    ``extra.<key>``, code, message) for each of them, in key order."""
    clash = sorted(key for key in extra if key in RESERVED_KEYS)
    kept = {key: value for key, value in extra.items() if key not in RESERVED_KEYS}
    return kept, [(f"extra.{key}", "reserved-key",
                   f"{key!r} is the name of a field, not extra data") for key in clash]


def too_deep(value: Any, levels: int) -> bool:
    """True when ``value`` nests more than ``levels`` lists and maps (only that far is
    looked at, so any depth is safe)."""
    if isinstance(value, _MAPPING):
        items: Any = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return False
    return levels <= 0 or any(too_deep(item, levels - 1) for item in items)


def body_problem(body: str) -> str | None:
    """Why ``body`` cannot be a muscle's body (None: it can): what no Markdown file can
    hold (every format must give back what it reads in any other format)."""
    found = _NOT_IN_BODY.search(body)
    if found is None:
        return None
    return (f"contains U+{ord(found.group()):04X}, which no Markdown file can hold (NUL or "
            "a lone surrogate)")


def _check_body(b: _Builder, body: str) -> None:
    """Refuse a body that a Markdown file cannot hold (:func:`body_problem`)."""
    problem = body_problem(body)
    if problem is not None:
        b.fail("body", "control-character", problem)


def _cased_twice(codes: Mapping[str, Any]) -> bool:
    """Whether two of ``codes`` (language codes) differ only in case, looked for only
    when one has an upper-case letter: every code has letters, so lower-case ones never
    do (the usual map pays one pass of ``str.islower`` in C)."""
    return not all(map(str.islower, codes)) and len(set(map(str.lower, codes))) < len(codes)


def _kind(value: Any) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false",
             list: "a list", dict: "a map", type(None): "empty", bytes: "binary data"}
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return "a number"  # (exact numbers, and numbers as written: +1, 0.10)
    return names.get(type(value), type(value).__name__)


def muscle_from_front_matter(data: Any, *, path: str, slug_hint: str, body: str = "",
                             default_lang: str = "en", locate: Locator | None = None,
                             locate_key: Locator | None = None,
                             place: Placer | None = None, check_body: bool = True,
                             slug_kept: bool = False, writer_lang: str | None = None
                             ) -> Muscle:
    """Build a :class:`Muscle` from a front-matter mapping, or raise :class:`MuscleError`
    with one diagnostic per problem (``locate`` turns a field path into line, column;
    ``locate_key`` into those of the key that names it, by default ``locate``'s;
    ``place``, when given, is asked instead, with the keys that lead to the value, as
    written: a field path is ambiguous when a key holds ``.`` or ``[``). Without
    ``check_body`` the caller checks ``body`` (:func:`body_problem`), to name its problem
    apart from one of a front-matter key ``body``. ``too-large`` counts the values of
    the Markdown file written of it, with the slug key written for the slug index, or,
    with ``slug_kept``, for a slug key given (fmt keeps one), and a function's text in
    ``writer_lang`` alone (the writer's ``--default-lang``; by default ``default_lang``)
    as the plain text it is written as."""
    b = _Builder(default_lang, writer_lang or default_lang)
    if not isinstance(data, _MAPPING):
        raise MuscleError(Diagnostic(path, 1, 1, "", "front-matter-not-mapping",
                                     f"front matter must be a map of fields, "
                                     f"not {_kind(data)}"))
    b.keys_once(data, ())
    for key in data:
        if not isinstance(key, str):
            b.fail_at((str(key),), "wrong-type", f"field name {key!r} must be text")
    named = "slug" in data  # (else the slug is made of the file's name)
    slug_source = data.get("slug", slug_hint)
    slug = slugify(slug_source) if isinstance(slug_source, str) else ""
    odd_byte = None if named or not isinstance(slug_source, str) else _SURROGATE.search(
        slug_source)
    # (what the slug is made of without a slug key: the file, or a page bundle's folder)
    made_of = "folder" if isinstance(slug_hint, FolderName) else "file"
    if not isinstance(slug_source, str):
        b.fail("slug", "bad-slug", f"must be text to make a slug of, not {_kind(slug_source)}")
    elif odd_byte:
        b.fail("", "bad-slug", f"the {made_of} name is not UTF-8 (byte "
               f"0x{ord(odd_byte.group()) - 0xDC00:02x}), so no slug can be made of it: "
               f"rename the {made_of}, or give the slug in a slug: field")
    elif not slug:
        b.fail("slug" if named else "", "bad-slug",
               f"cannot make a slug (letters and digits) from {slug_source!r}"
               f"{'' if named else f', the {made_of} name: rename it, or add a slug: field'}")
    elif len(slug) > MAX_SLUG_LENGTH:
        b.fail("slug" if named else "", "slug-too-long",
               f"the slug {'' if named else f'made of the {made_of} name '}has {len(slug)} "
               f"characters; at most {MAX_SLUG_LENGTH} fit in the file names of every format"
               f"{'' if named else f': rename the {made_of}, or add a shorter slug: field'}")
    title = b.text(data.get("title"), "title", required=True, nonempty=True)
    latin = b.text(data.get("latin"), "latin")
    origin = b.localized(data.get("origin"), "origin")
    insertion = b.localized(data.get("insertion"), "insertion")
    functions = [b.function(item, f"function[{i}]")
                 for i, item in enumerate(b.sequence(data.get("function"), "function"))]
    exercises = [b.text(item, f"exercises[{i}]", required=True)
                 for i, item in enumerate(b.sequence(data.get("exercises"), "exercises"))]
    image = b.text(data.get("image"), "image")
    image_focus = b.text(data.get("image_focus"), "image_focus")
    regions = [b.region(item, f"coords[{i}]")
               for i, item in enumerate(b.sequence(data.get("coords"), "coords"))]
    if check_body:
        _check_body(b, body)
    extra = {k: v for k, v in data.items() if isinstance(k, str) and k not in RESERVED_KEYS}
    for key, value in extra.items():
        at = (key,)
        if key == MERGE_KEY:
            b.merge_key(at)
        elif not b.writable(key, at, "key"):
            continue
        elif too_deep(value, MAX_DEPTH - 1):  # the front matter's map is the first level
            b.fail_at(at, "too-deep", f"is nested deeper than {MAX_DEPTH} levels (counting "
                      "the front matter's own map)")
        else:
            b.plain(value, at)
    values = (b.values + len(extra) + 2 * ((title is not None) + (latin is not None)
                                           + (image is not None) + (image_focus is not None))
              + sum(2 + len(items) for items in (functions, exercises, regions) if items) + 1
              + 2 * (slug == BUNDLE_PAGE or (slug_kept and named)))
    # (1: the front matter's own map; 2: the slug key, written with the slug index, as
    # index.md would take its folder's name)
    if values > MAX_NODES:
        b.fail("", "too-large", f"{values} values; front matter holds at most {MAX_NODES} "
               "(the Markdown reader's limit)")
    if b.problems:
        partial = Muscle(
            slug=slug, title=title or "", latin=latin, origin=origin, insertion=insertion,
            functions=tuple(f or _NO_FUNCTION for f in functions),
            exercises=tuple(e or "" for e in exercises), image=image,
            image_focus=image_focus, regions=tuple(r or _NO_REGION for r in regions),
            body=body, extra=freeze(_valid_extra(extra, b, data)))
        raise MuscleError(_diagnostics(b, path, data, _where(locate, locate_key, place)),
                          partial)
    return Muscle(slug=slug, title=title or "", latin=latin, origin=origin,
                  insertion=insertion, functions=tuple(functions),  # type: ignore[arg-type]
                  exercises=tuple(exercises), image=image,  # type: ignore[arg-type]
                  image_focus=image_focus, regions=tuple(regions),  # type: ignore[arg-type]
                  body=body, extra=freeze(extra))


def field_path(steps: Steps) -> str:
    """The field path that names the value at ``steps`` (``function[2].short.da``; a
    key ``my.key`` is named so, as it is written)."""
    path = str(steps[0]) if steps else ""
    for step in steps[1:]:
        path += f"[{step}]" if isinstance(step, int) else f".{step}"
    return path


@lru_cache(maxsize=4096)
def split_path(path: str) -> Steps:
    """The steps of a field path of the schema (``function[2].short.da``), whose keys
    hold no ``.`` nor ``[`` (field paths repeat from file to file)."""
    return tuple(int(index) if index else name for name, index in _PATH_STEP.findall(path))


#: A step of a field path: a key, or a list index in brackets.
_PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps_of(b: _Builder, at: int, field: str) -> Steps:
    """The steps of the problem ``at`` of ``b`` (about ``field``)."""
    steps = b.steps.get(at)
    return split_path(field) if steps is None else steps


def _where(locate: Locator | None, locate_key: Locator | None, place: Placer | None
           ) -> _Where:
    """How :func:`_diagnostics` places a problem: by its steps (``place``), else by its
    field path (``locate``; ``locate_key`` at a key)."""
    if place is not None:
        return lambda steps, field, key: place(steps, key) or (None, None)

    def by_path(steps: Steps, field: str, key: bool) -> tuple[int | None, int | None]:
        find = (locate_key or locate) if key else locate
        return find(field) if find else (None, None)

    return by_path


#: The codes of problems about a key itself, not its value: placed at the key (a
#: language code that is none, ``dansk:``, at ``dansk``; a lint's ``field-case``), in
#: every format whose keys are written apart from their values.
AT_KEY = frozenset({"duplicate-key", "bad-language", "reserved-key", "field-case",
                    "unknown-key"})
#: (steps, field path, whether at its key) -> (line, column), None where not known.
_Where = Callable[[Steps, str, bool], tuple[int | None, int | None]]


def _valid_extra(extra: dict[str, Any], b: _Builder, data: Mapping[Any, Any]
                 ) -> dict[str, Any]:
    """The keys of ``extra`` that no problem of ``b`` is about (nor inside), without one
    that a missing field's problem names as the key Hugo reads as it (it says so
    already)."""
    bad = {steps[0] for at, (field, _, _) in enumerate(b.problems)
           if (steps := _steps_of(b, at, field))}
    bad.update(key for field, code, _ in b.problems
               if code == "missing-field" and (key := _misnamed(data, field)) is not None)
    return {key: value for key, value in extra.items() if key not in bad}


def _diagnostics(b: _Builder, path: str, data: Mapping[Any, Any], where: _Where
                 ) -> list[Diagnostic]:
    """The diagnostics of the problems of ``b``, placed; a required field missing beside
    a key that Hugo reads as it (``Title:``) says so, at that key."""
    out = []
    for at, (field, code, message) in enumerate(b.problems):
        key = _misnamed(data, field) if code == "missing-field" else None
        if key is not None:
            from .keycase import hint

            message = f"{message} ({hint(key, field)})"
            line, column = where((key,), key, True)
        elif _of_the_name(field, code):
            line, column = None, None
        else:
            line, column = where(_steps_of(b, at, field), field,
                                 code in AT_KEY or at in b.at_key)
        out.append(Diagnostic(path, line, column, field, code, message))
    return out


def _of_the_name(field: str, code: str) -> bool:
    """Whether a problem is one of the slug made of the file's (or folder's) name,
    which no line of the file holds (a ``slug:`` key's is placed at its value)."""
    return not field and code in ("bad-slug", "slug-too-long")


def _misnamed(data: Mapping[Any, Any], field: str) -> str | None:
    """The key of ``data`` that Hugo reads as the missing top-level ``field``, if any."""
    if field not in RESERVED_KEYS:
        return None
    from .keycase import misnamed

    return misnamed(data, field)


def front_matter_from_muscle(muscle: Muscle, default_lang: str = "en") -> dict[str, Any]:
    """The author's layout of a muscle (without ``slug``, which names the file).

    Empty fields are left out; a function text only in ``default_lang`` is written
    as plain text, as in the original files.
    """

    def short_form(text: LocalizedText) -> Any:
        if list(text) == [default_lang]:
            return text[default_lang]
        return dict(text)

    data: dict[str, Any] = {"title": muscle.title}
    if muscle.latin is not None:
        data["latin"] = muscle.latin
    if muscle.origin:
        data["origin"] = dict(muscle.origin)
    if muscle.insertion:
        data["insertion"] = dict(muscle.insertion)
    if muscle.functions:
        data["function"] = [
            {"short": short_form(f.short), **({"extended": short_form(f.extended)}
                                              if f.extended else {})}
            for f in muscle.functions
        ]
    if muscle.exercises:
        data["exercises"] = list(muscle.exercises)
    if muscle.image is not None:
        data["image"] = muscle.image
    if muscle.image_focus is not None:
        data["image_focus"] = muscle.image_focus
    if muscle.regions:
        data["coords"] = [r.coords for r in muscle.regions]
    data.update(thaw(muscle.extra))
    return data


def _not_a_code(key: str) -> str:
    """Why a text map's key ``key`` is no language code: one in capitals (``DA``) is
    told how to write it (``da``)."""
    cased = language_code(key)
    if cased is not None:
        return f"{key!r} is a language code in capitals: write it {cased}"
    return f"{key!r} is not a language code such as da or en"
