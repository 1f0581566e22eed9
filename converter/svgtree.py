"""An SVG file parsed for the checks of what a browser shows of its polygons: each
element's line and parent, its elements by id, the ``<use>``s and animations of each
element, its style sheets (linked ones by line), its ``muscle-lift`` pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import TreeBuilder

from converter.svgcss import (
    LIFT_RULE,
    SheetRules,
    is_plain_sheet,
    is_zero,
    painted_classes,
    plain_css,
)
from converter.svgdom import SVG, XLINK, named, points
from converter.svgpaint import animated_elements, unstroking_rules

#: The animations that move what they animate (the reader plays none).
_MOVING_ANIMATIONS = frozenset(f"{SVG}{name}" for name in (
    "animateTransform", "animateMotion"))
#: What an ``<animate>`` or ``<set>`` may change and leave every point where it is drawn
#: (colours on hover, as the writer's own style sheet changes them).
_PAINT = frozenset({"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width",
                    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
                    "stroke-linejoin", "stroke-miterlimit", "opacity", "color", "cursor"})
#: What an ``<animate>`` or ``<set>`` may fade out (to 0) of what it animates, which it
#: changes as it changes colours: its opacity, and its fill's.
_FADING = frozenset({"opacity", "fill-opacity"})


@dataclass(frozen=True)
class Tree:
    """A parsed SVG file: its root, each element's line and parent, by an element the
    ``<use>``s that draw it again and the animations that may move it or fade it out,
    the lines of its ``<?xml-stylesheet?>`` links, whether a ``<style>`` holds the
    writer's rule that hides a lifted region, by slug its ``muscle-lift`` pieces and the
    points of the regions they draw, the classes whose polygons the writer's own rule
    paints (``.muscle polygon``), the text of its ``<style>`` sheets
    (:func:`converter.svgcss.plain_css`) and whether each applies as written
    (:func:`converter.svgcss.is_plain_sheet`); the file read, its elements by id, and
    what the checks of :mod:`converter.svgshown` (whether it is drawn where it stands) and
    :func:`converter.svgpaint.inherited` (its paint, the writer's rule's) found of each
    element they looked at (a polygon's ancestors are those of many)."""

    root: Any
    lines: dict[Any, int]
    parents: dict[Any, Any]
    uses: dict[Any, list[Any]]
    animations: dict[Any, list[Any]]
    linked_sheets: tuple[int, ...]
    hides_lifted: bool
    lift_copies: dict[str, list[Any]]
    lift_points: dict[str, set[str]]
    painted: frozenset[str]
    sheets: tuple[str, ...]
    plain_sheets: tuple[bool, ...]
    here: Path
    ids: dict[str, Any]
    #: Each element's column (of its start tag's ``<``, from 1).
    columns: dict[Any, int] = field(default_factory=dict)
    misplaced: dict[Any, str | None] = field(default_factory=dict)
    inherited: dict[tuple[Any, str], tuple[str, Any]] = field(default_factory=dict)
    writer_rules: dict[Any, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def unstroking(self) -> tuple[tuple[str | None, str], ...]:
        """The selectors and property of each declaration of its ``<style>`` sheets that
        may take a stroke away (:func:`converter.svgpaint.unstroking_rules`)."""
        return tuple(found for sheet in self.sheets for found in unstroking_rules(sheet, self))

    @cached_property
    def sheet_rules(self) -> tuple[SheetRules, ...]:
        """Its ``<style>`` sheets' rules, each's declarations found once and the rules
        found by what they may select (:class:`converter.svgcss.SheetRules`)."""
        return tuple(SheetRules(sheet) for sheet in self.sheets)

    @cached_property
    def animated(self) -> frozenset[Any]:
        """Its animations and what each animates, found once for every paint server
        (:func:`converter.svgpaint.animated_elements`)."""
        return animated_elements(self)


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line and column of each element's start tag, and of each
    ``<?xml-stylesheet?>`` (which the tree does not keep)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.columns: dict[Any, int] = {}
        self.sheets: list[int] = []
        self.expat: Any = None

    def start(self, tag: Any, attrs: Any) -> Any:
        element = super().start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        self.columns[element] = self.expat.CurrentColumnNumber + 1
        return element

    def pi(self, target: str, text: str | None = None) -> Any:
        if target == "xml-stylesheet":
            self.sheets.append(self.expat.CurrentLineNumber)
        return super().pi(target, text)


def parse(raw: bytes, here: Path) -> Tree:
    """``raw`` (the text of the file at ``here``) parsed as defusedxml's ``fromstring``
    parses it (in UTF-32 too: :func:`_readable`), lines and parents noted."""
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.expat = parser.parser
    parser.feed(_readable(raw))
    root = parser.close()
    parents = {child: parent for parent in root.iter() for child in parent}
    ids: dict[str, Any] = {}
    for element in root.iter():  # (the first element of an id is the one)
        if element.get("id") is not None:
            ids.setdefault(element.get("id"), element)
    styles = list(root.iter(f"{SVG}style"))
    sheets = [plain_css("".join(sheet.itertext())) for sheet in styles]
    plain = tuple(is_plain_sheet(sheet, "".join(sheet.itertext())) for sheet in styles)
    hides_lifted = any(LIFT_RULE.search(sheet) for sheet in sheets)
    copies = _lift_copies(root)
    return Tree(root, builder.lines, parents, _uses(root, ids, here, parents),
                 _animations(root, parents, ids), tuple(builder.sheets), hides_lifted,
                 copies, {slug: {points(polygon) for piece in pieces
                                 for polygon in piece.iter(f"{SVG}polygon")}
                          for slug, pieces in copies.items()}, painted_classes(sheets),
                 tuple(sheets), plain, here, ids, columns=builder.columns)


def _readable(raw: bytes) -> bytes | str:
    """``raw`` as expat reads it: a text in UTF-32, which it does not read, decoded (by
    its byte order mark, or without one as its XML declaration tells it:
    :func:`converter.baseimage.wide_form`), expat told it is read so; other bytes as
    they are (UTF-8, UTF-16: expat reads them). UTF-32 that does not decode, or whose
    XML declaration names another encoding, is a ``ParseError`` at that place, as
    expat's own are (of UTF-16 declared as UTF-8, say)."""
    from converter.baseimage import DECLARED_ENCODING, wide_form

    mark, codec = wide_form(raw)
    if not codec.startswith("utf_32"):
        return raw
    try:
        text = raw[len(mark):].decode(codec)
    except UnicodeDecodeError as exc:
        read = raw[len(mark):len(mark) + exc.start].decode(codec)
        line = read.count("\n") + 1
        raise _parse_error("not well-formed (invalid token)", 4, line,
                           len(read) - (read.rfind("\n") + 1)) from None
    declared = DECLARED_ENCODING.match(text.encode("utf-8"))
    if declared is not None and _codec(declared[3]) not in ("utf-32", codec.replace("_", "-")):
        column = len(declared.string[:declared.start(3)].decode("utf-8"))
        raise _parse_error("encoding specified in XML declaration is incorrect", 19, 1,
                           column)
    return text


def _codec(name: bytes) -> str:
    """The name of the Python codec of an encoding an XML declaration names
    (``utf-32-le`` for ``UTF-32LE``), or none when there is no such codec."""
    import codecs

    try:
        return codecs.lookup(name.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return ""


def _parse_error(message: str, code: int, line: int, column: int) -> Exception:
    """A ``ParseError`` as expat's are: its message, expat's error ``code``, its place
    (``column`` from 0)."""
    from xml.etree.ElementTree import ParseError

    failed = ParseError(f"{message}: line {line}, column {column}")
    failed.code, failed.position = code, (line, column)
    return failed


def _lift_copies(root: Any) -> dict[str, list[Any]]:
    """By slug, the ``muscle-lift`` pieces of a map (which draw again regions of the
    muscle's own ``<a>``)."""
    copies: dict[str, list[Any]] = {}
    for piece in root.iter(f"{SVG}a"):
        slug = piece.get("data-lift")
        if slug is not None and "muscle-lift" in (piece.get("class") or "").split():
            copies.setdefault(slug, []).append(piece)
    return copies


def _uses(root: Any, ids: dict[str, Any], here: Path,
          parents: dict[Any, Any]) -> dict[Any, list[Any]]:
    """The ``<use>``s of a document by the element each draws again (named by ``#id``, or
    by the file's own name, ``map.svg#id``, as it is or under an ``xml:base``)."""
    uses: dict[Any, list[Any]] = {}
    for use in root.iter(f"{SVG}use"):
        target = named(use, ids, here, parents)
        if target is not None:
            uses.setdefault(target, []).append(use)
    return uses


def _animations(root: Any, parents: dict[Any, Any],
                ids: dict[str, Any]) -> dict[Any, list[Any]]:
    """The animations of a document that may move what they animate, or fade it out, by
    that element: the one their ``href`` names, else their parent."""
    animations: dict[Any, list[Any]] = {}
    for element in root.iter():
        if not may_move(element) and fades(element) is None:
            continue
        has_link = element.get("href") is not None or element.get(
            f"{{{XLINK}}}href") is not None
        target = named(element, ids) if has_link else parents.get(element)
        if target is not None:
            animations.setdefault(target, []).append(element)
    return animations


def may_move(element: Any) -> bool:
    """Whether ``element`` is an animation that may move what it animates: every
    ``<animateTransform>`` and ``<animateMotion>``, an ``<animate>`` or ``<set>`` of
    anything but colours."""
    if element.tag in (f"{SVG}animate", f"{SVG}set"):
        return element.get("attributeName", "").strip() not in _PAINT
    return element.tag in _MOVING_ANIMATIONS


def fades(element: Any) -> str | None:
    """What an ``<animate>`` or ``<set>`` of an opacity (:data:`_FADING`) takes what it
    animates to that leaves it unseen, a value of 0 or less (``to``, ``from``, ``by`` or
    one of its ``values``), as ``name: value``; None for any other element."""
    name = element.get("attributeName", "").strip()
    if element.tag not in (f"{SVG}animate", f"{SVG}set") or name not in _FADING:
        return None
    values = [element.get(key) or "" for key in ("from", "to", "by")]
    values += (element.get("values") or "").split(";")
    zero = next((value.strip() for value in values if value.strip() and is_zero(value)),
                None)
    return None if zero is None else f"{name}: {zero}"
