"""Style sheets and ``style`` attributes of an SVG drawing as Chromium reads them:
comments and escapes, declarations and their values (``!important``), the rules of a
sheet and which elements a rule's selectors may select, the writer's own rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from converter import bodymap
from converter.svgdom import local_name

#: A CSS declaration that moves what it applies to, as Chromium draws it: ``transform``
#: (``-webkit-transform`` too), the properties ``translate``, ``rotate`` and ``scale``, and
#: a motion path (``offset-path``, ``offset``), where a declaration starts; not one of
#: ``none``, which moves nothing.
_CSS_MOVES = re.compile(r"(?:^|[{;}])\s*(?:-[a-z]+-)?(?:transform|translate|rotate|scale"
                        r"|offset(?:-[a-z]+)?)\s*:(?!\s*none\s*(?:!\s*important\s*)?"
                        r"(?:[;}]|$))", re.IGNORECASE)
#: A CSS declaration that clips or masks what it applies to (``clip-path``, ``mask``,
#: ``mask-image``, ``-webkit-`` ones too), not to ``none``.
CSS_CLIPS = re.compile(r"(?:^|[{;}])\s*(?:-[a-z]+-)?(?:clip-path|mask(?:-image)?)\s*:"
                        r"(?!\s*none\s*(?:!\s*important\s*)?(?:[;}]|$))", re.IGNORECASE)
#: A CSS declaration that hides what it applies to: ``display: none``, ``visibility:
#: hidden`` or ``collapse``, ``content-visibility: hidden`` (of what it holds).
CSS_HIDES = re.compile(r"(?:^|[{;}])\s*(?:display\s*:\s*none|(?:content-)?visibility\s*:"
                        r"\s*(?:hidden|collapse))\b", re.IGNORECASE)
#: The writer's own rule that hides a muscle's region where a ``muscle-lift`` piece draws
#: it again (:data:`converter.bodymap.LIFT_CSS`), as its sheet holds it: a rule of its
#: own (at the start of the sheet or of a block such as ``@media print { ... }``, which
#: may hide less, never more, or after another rule), of that one selector.
LIFT_RULE = re.compile(r"(?:^|(?<=[{}]))\s*\.muscle\s+polygon\.lifted\s*\{\s*visibility"
                        r"\s*:\s*hidden\s*;?\s*\}")
#: ``!important`` at the end of a CSS value.
_IMPORTANT = re.compile(r"!\s*important\s*$", re.IGNORECASE)
#: A ``url(...)`` of a CSS value, what it names in group 1, 2 or 3.
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
#: A style sheet's import of another.
CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
#: CSS comments one after another (one left open runs to the end, as in CSS), or an
#: escape (``\61`` and the one white space after it, ``\:``), as CSS reads them from
#: the start.
_CSS_COMMENT_OR_ESCAPE = re.compile(r"(?:/\*.*?(?:\*/|$))+|\\(?:([0-9a-fA-F]{1,6})"
                                    r"(?:\r\n|[ \t\n\r\f])?|(.)|$)", re.DOTALL)
#: A rule ``.class polygon { ... }`` of a style sheet (as the writer's paint its
#: regions), its class in group 1 and its declarations in group 2.
_CLASS_PAINT = re.compile(r"(?:^|(?<=[{}]))\s*\.(muscle(?:-lift)?)\s+polygon\s*\{([^{}]*)\}")
#: A CSS declaration where one starts, its property in group 1 and its value in group 2.
DECLARATION = re.compile(r"(?:^|(?<=[{;}]))\s*(-?[a-zA-Z][-a-zA-Z]*)\s*:\s*([^;{}]*)")
#: A rule of a style sheet that holds no block, its selectors in group 1 and its
#: declarations in group 2.
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
#: What is between two compound selectors: white space, ``>``, ``+`` or ``~``.
_COMBINATOR = re.compile(r"\s*[>+~]\s*|\s+")
#: A compound selector of a type (or ``*``, group 1) and classes and ids (group 2).
_SIMPLE_COMPOUND = re.compile(r"(\*|[a-z_][\w-]*)?((?:[.#]-?[a-z_][\w-]*)*)")
#: A number as an attribute gives it, its number in group 1 and a percent sign in 2.
PLAIN_NUMBER = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%?)\s*")
#: The keyframes of an ``@keyframes`` block named as a type selector would be (their
#: percentages are no such selector).
_KEYFRAMES = frozenset({"from", "to"})
#: A class or an id of a compound selector: ``.`` or ``#`` in group 1, its name in 2.
_SIMPLE_NAME = re.compile(r"([.#])(-?[a-z_][\w-]*)")
#: A compound selector as written (not lowered), as :data:`_SIMPLE_COMPOUND`; a class
#: or an id of one, as :data:`_SIMPLE_NAME`; what is between two, white space or ``>``
#: (in a group, to be kept).
_EXACT_COMPOUND = re.compile(r"(\*|[a-zA-Z_][\w-]*)?((?:[.#]-?[a-zA-Z_][\w-]*)*)")
_EXACT_NAME = re.compile(r"([.#])(-?[a-zA-Z_][\w-]*)")
_EXACT_COMBINATOR = re.compile(r"(\s*>\s*|\s+)")
#: A CSS number, with a unit or percent sign: its number in group 1.
_CSS_NUMBER = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(?:%|[a-zA-Z]*)")

#: A selector's specificity as CSS counts it: its ids, classes and types.
Specificity = tuple[int, int, int]


def _class_paints(css: str) -> dict[str, dict[str, str]]:
    """By class, the declarations of a sheet's rules ``.class polygon { ... }``."""
    return {found.group(1): _declarations(found.group(2))
            for found in _CLASS_PAINT.finditer(css)}


def _declarations(css: str) -> dict[str, str]:
    """The declarations of CSS text, by property (the last of each)."""
    return {name.lower(): value.strip() for name, value in DECLARATION.findall(css)}


#: By class, how the writer's own sheet paints the polygons of its muscles' ``<a>``s.
WRITER_PAINT = _class_paints(bodymap.MAP_CSS + bodymap.LIFT_CSS)


def painted_classes(sheets: list[str]) -> frozenset[str]:
    """The classes whose polygons a sheet paints with the writer's own rule (exactly)."""
    return frozenset(name for sheet in sheets for name, declared in _class_paints(sheet).items()
                     if WRITER_PAINT.get(name) == declared)


def is_zero(value: str) -> bool:
    """Whether a CSS number (``0``, ``0.0``, ``0%``, ``0px``, ``-1``) is 0 or less."""
    found = _CSS_NUMBER.fullmatch(value.strip())
    return found is not None and float(found.group(1)) <= 0


def rules(css: str) -> Iterator[tuple[str | None, str]]:
    """The rules of a sheet as their selectors and declarations (one in a block, such as
    ``@media screen { ... }``, alone), then what is outside every rule, of no selector
    (None)."""
    for found in _RULE.finditer(css):
        yield found.group(1), found.group(2)
    yield None, _RULE.sub(" ", css)


def selected_as(element: Any) -> tuple[str, frozenset[str], str]:
    """What a simple selector tells ``element`` by: its name, classes and id, lower
    case."""
    return (local_name(element.tag).lower(), frozenset(
        (element.get("class") or "").lower().split()), (element.get("id") or "").lower())


def may_select(selectors: str, shown: list[tuple[str, frozenset[str], str]]) -> bool:
    """Whether a rule's selectors may select one of ``shown`` (elements by name, classes
    and id, lower case): the last compound of one (what it selects) is a type or ``*``
    with classes and ids that one of them has, or is another (an attribute, a
    pseudo-class, a keyframe's ``from`` or ``to``, of what an animation selects...) that
    the reader does not tell, which may."""
    for selector in selectors.lower().split(","):
        subject = _COMBINATOR.split(selector.strip())[-1]
        found = _SIMPLE_COMPOUND.fullmatch(subject)
        if found is None or subject in _KEYFRAMES or not subject:
            return True
        kind, names = found.group(1), _SIMPLE_NAME.findall(found.group(2))
        if any(kind in (None, "*", name) and all(
                (mark == "." and value in classes) or (mark == "#" and value == key)
                for mark, value in names) for name, classes, key in shown):
            return True
    return False


#: What a rule's selectors may select (:func:`_subjects`): an element of a class
#: (``.``), of an id (``#``) or of a type (``""``), with that name (lower case).
_Subject = tuple[str, str]


def _subjects(selectors: str | None) -> frozenset[_Subject] | None:
    """What a rule's selectors may select, as :func:`may_select` tells: for each, a class
    or id its subject must have, else its type; None when one may select any element
    (no selectors, a subject of ``*`` alone or one the reader does not tell)."""
    if selectors is None:
        return None
    found: set[_Subject] = set()
    for selector in selectors.lower().split(","):
        subject = _COMBINATOR.split(selector.strip())[-1]
        compound = _SIMPLE_COMPOUND.fullmatch(subject)
        if compound is None or subject in _KEYFRAMES or not subject:
            return None
        names = _SIMPLE_NAME.findall(compound.group(2))
        if names:
            found.add(names[0])
        elif compound.group(1) in (None, "*"):
            return None
        else:
            found.add(("", compound.group(1)))
    return frozenset(found)


class SheetRules:
    """The rules of a sheet (:func:`rules`), each's declarations found once (property
    lower case, value as written), by what they may select (:func:`_subjects`), so that
    an element is matched against only the rules that may apply to it."""

    def __init__(self, css: str) -> None:
        self.rules = [(selectors, [(name.lower(), value) for name, value
                                   in DECLARATION.findall(block)])
                      for selectors, block in rules(css)]
        self._anything: list[int] = []
        self._by_subject: dict[_Subject, list[int]] = {}
        for index, (selectors, _) in enumerate(self.rules):
            subjects = _subjects(selectors)
            if subjects is None:
                self._anything.append(index)
            for subject in subjects or ():
                self._by_subject.setdefault(subject, []).append(index)

    def may_apply(self, shown: tuple[str, frozenset[str], str]
                  ) -> Iterator[tuple[str | None, list[tuple[str, str]]]]:
        """The rules, in order, that may select an element told by ``shown``
        (:func:`selected_as`) as :func:`may_select` tells, with their declarations."""
        name, classes, key = shown
        subjects = [("", name), *((".", one) for one in classes)] + ([("#", key)] if key
                                                                      else [])
        indexes = set(self._anything).union(
            *(self._by_subject.get(subject, ()) for subject in subjects))
        for index in sorted(indexes):
            selectors, declarations = self.rules[index]
            if selectors is None or may_select(selectors, [shown]):
                yield selectors, declarations


def css_value(value: str) -> str:
    """A declaration's value without ``!important``, lower case but for a ``url()`` (an
    id is as it is written)."""
    value = _IMPORTANT.sub("", value).strip()
    return value if value.lower().startswith("url(") else value.lower()


def style_value(style: str, name: str) -> str | None:
    """The value a ``style`` attribute gives a CSS property (its last declaration, an
    ``!important`` one over others), without ``!important``; None when none does."""
    return style_declaration(style, name)[0]


def style_declaration(style: str, name: str) -> tuple[str | None, bool]:
    """The value a ``style`` attribute gives a CSS property (:func:`style_value`), and
    whether it is ``!important``."""
    found, important = None, False
    if not style or (name not in style.lower() and "\\" not in style):  # (none can name it)
        return None, False
    for declaration in plain_css(style).split(";"):
        prop, colon, value = declaration.partition(":")
        if colon and prop.strip().lower() == name:
            value, bang = _IMPORTANT.subn("", value.strip())
            if bang or not important:
                found, important = value.strip(), important or bool(bang)
    return found, important


def is_important(value: str) -> bool:
    """Whether a declaration's value ends in ``!important``."""
    return _IMPORTANT.search(value) is not None


def is_plain_sheet(style: Any, css: str) -> bool:
    """Whether the rules of a ``<style>`` (``css``, its text) apply as they are written,
    which :func:`surely_selects` may tell: it is of CSS for every medium (no ``type``
    other than ``text/css``, no ``media``), and holds no at-rule (``@media``,
    ``@namespace``...), no escape and no rule nested in another."""
    kind = (style.get("type") or "text/css").strip().lower()
    depth = 0
    for char in css:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth > 1:
            return False
    return kind == "text/css" and style.get("media") is None and not any(
        mark in css for mark in "@\\")


def surely_selects(selectors: str, element: Any, parents: dict[Any, Any]) -> bool:
    """Whether one of a rule's selectors (of a sheet of :func:`is_plain_sheet`) selects
    ``element``, told for sure: compounds of a type (or ``*``), classes and ids, as
    written, joined by descendants' white space or ``>``; any other (an attribute, a
    pseudo-class, ``+``, ``~``) is not told."""
    return sure_specificity(selectors, element, parents)[0] is not None


def sure_specificity(selectors: str, element: Any, parents: dict[Any, Any]
                     ) -> tuple[Specificity | None, bool]:
    """The specificity with which a rule's selectors (as :func:`surely_selects` tells
    them) surely select ``element``, the greatest of those that do (None: none does);
    and whether one of them is not told (which may select it with another)."""
    best: Specificity | None = None
    untold = False
    for selector in selectors.split(","):
        parts = _EXACT_COMBINATOR.split(selector.strip())
        compounds = [_EXACT_COMPOUND.fullmatch(part) for part in parts[0::2]]
        if not all(found and found.group(0) for found in compounds):
            untold = True
        elif _matches(compounds, parts[1::2], element, parents):
            best = max(best or (0, 0, 0), _specificity(compounds))
    return best, untold


def _specificity(compounds: list[Any]) -> Specificity:
    """The specificity of a selector of told compounds, as CSS counts it: its ids, its
    classes and its types (``*`` counts none)."""
    names = [mark for found in compounds for mark, _ in _EXACT_NAME.findall(found.group(2))]
    types = sum(found.group(1) not in (None, "*") for found in compounds)
    return names.count("#"), names.count("."), types


def _matches(compounds: list[Any], combinators: list[str], element: Any,
             parents: dict[Any, Any]) -> bool:
    """Whether the last of ``compounds`` selects ``element`` and those before it, joined
    by ``combinators``, select those around it."""
    kind, names = compounds[-1].group(1), _EXACT_NAME.findall(compounds[-1].group(2))
    if kind not in (None, "*", local_name(element.tag)) or not all(
            (mark == "." and value in (element.get("class") or "").split())
            or (mark == "#" and value == element.get("id")) for mark, value in names):
        return False
    if len(compounds) == 1:
        return True
    parent = parents.get(element)
    if ">" in combinators[-1]:
        return parent is not None and _matches(compounds[:-1], combinators[:-1], parent,
                                               parents)
    while parent is not None:
        if _matches(compounds[:-1], combinators[:-1], parent, parents):
            return True
        parent = parents.get(parent)
    return False


def css_moves(css: str) -> bool:
    """Whether CSS text (a ``style`` attribute, a style sheet) sets a transform."""
    return _CSS_MOVES.search(plain_css(css)) is not None


def plain_css(css: str) -> str:
    """CSS text with its comments taken out and its escapes the characters they stand
    for (``tr\\61nsform`` is ``transform``), so that a name is matched as CSS reads it; an
    escaped character that is no name's (``\\;``, ``\\:``) stays in the name it is in, as
    ``_``, never a delimiter. A comment parts what is on either side of it, as CSS's
    tokens, and is no white space: ``stop/**/.clear`` is ``stop.clear``; between two
    characters of names, or of a number, it stays :data:`COMMENT_MARK` (``a/**/b`` is
    neither ``ab`` nor a descendant, ``a b``; ``0/**/.0`` is two numbers, no value of
    ``stop-opacity``)."""
    return _CSS_COMMENT_OR_ESCAPE.sub(_unescaped, css)


def _unescaped(found: re.Match[str]) -> str:
    """What a CSS comment or escape of :func:`plain_css` stands for."""
    if found.group(0).startswith("/*"):
        text, start, end = found.string, found.start(), found.end()
        between = start > 0 and end < len(text) and _joined(text[start - 1], text[end])
        return COMMENT_MARK if between else ""
    code, char = found.group(1), found.group(2)
    if code is not None:
        number = int(code, 16)
        char = chr(number) if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF \
            else "\ufffd"
    elif char is None:  # (a backslash at the end)
        char = "\ufffd"
    return char if char.isalnum() or char in "-_" or ord(char) > 0x7F else "_"


#: What a comment between two characters of names stands for in :func:`plain_css`: no
#: character of a name, no white space, no delimiter, so no selector or declaration
#: matches through it.
COMMENT_MARK = "\ufffd"


def _joined(before: str, after: str) -> bool:
    """Whether the characters ``before`` and ``after`` a comment would make one token
    without it, which the comment keeps two: of a name both (``a/**/b``), or of a number
    (``0/**/.5``, ``0./**/5``, ``5/**/%``: ``0.5`` and ``5%`` are one number)."""
    return (_in_name(before) and _in_name(after)) or (
        before.isdigit() and after in ".%") or (before == "." and after.isdigit())


def _in_name(char: str) -> bool:
    """Whether ``char`` may be of a CSS name (or start an escape, which is)."""
    return char.isalnum() or char in "-_\\" or ord(char) > 0x7F


def user_length(value: str) -> float | None:
    """A length in user space (``5``, ``5px``) as a number, or None (a percentage, a
    unit)."""
    found = PLAIN_NUMBER.fullmatch(value.removesuffix("px"))
    return None if found is None or found.group(2) else float(found.group(1))


def has_transform(element: Any) -> bool:
    """Whether ``element`` has a transform (an attribute, or in its ``style``)."""
    return bool((element.get("transform") or "").strip()) or css_moves(
        element.get("style") or "")
