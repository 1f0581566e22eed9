"""What a browser shows, and takes clicks on, of an SVG drawing's polygons.

An SVG file parsed with the line of each element, and the checks of what would draw a
polygon elsewhere than its points say, or not at all, or leave it taking no clicks, as
Chromium draws it: transforms, animations, ``<use>`` copies (by ``href`` chains and
``xml:base``), clipping and masking, filters that move or paint over, ``display``,
``visibility``, opacity, paint and ``pointer-events``, the drawing's own style sheets,
and the copies of regions lifted over others (``muscle-lift`` pieces,
:func:`converter.bodymap.drawing_plan`). It names no format: readers of SVG ask it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree.ElementTree import TreeBuilder

from converter import bodymap

#: The SVG namespace as ElementTree writes it before a tag's name: ``{...}polygon``.
SVG = f"{{{bodymap.SVG_NS}}}"
_XLINK = "http://www.w3.org/1999/xlink"
#: The attribute ``xml:base``: the address that relative references in and under the
#: element it is on are taken from.
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
#: Between two numbers of a ``points`` list: a comma (spaces around it) or spaces.
_SEPARATORS = re.compile(r"\s*,\s*|\s+")
#: What an editor may draw a muscle's region with but the reader does not read (it reads
#: ``<polygon points>``): Inkscape makes a ``<path>`` of a polygon whose nodes are edited.
UNREAD_SHAPES = frozenset(f"{SVG}{name}" for name in (
    "path", "rect", "circle", "ellipse", "line", "polyline", "use", "image", "foreignObject"))
#: What holds shapes that are not drawn where they stand (in a ``<defs>``, or drawn only
#: where a ``<use>``, a ``clip-path``, a ``mask``, a ``fill`` or a marker names them):
#: a polygon of a muscle there would be read as a region it does not have.
_NOT_DRAWN = frozenset(f"{SVG}{name}" for name in (
    "defs", "clipPath", "mask", "symbol", "pattern", "marker"))
#: The animations that move what they animate (the reader plays none).
_MOVING_ANIMATIONS = frozenset(f"{SVG}{name}" for name in (
    "animateTransform", "animateMotion"))
#: What an ``<animate>`` or ``<set>`` may change and leave every point where it is drawn
#: (colours on hover, as the writer's own style sheet changes them).
_PAINT = frozenset({"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width",
                    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
                    "stroke-linejoin", "stroke-miterlimit", "opacity", "color", "cursor"})
#: A CSS declaration that moves what it applies to, as Chromium draws it: ``transform``
#: (``-webkit-transform`` too), the properties ``translate``, ``rotate`` and ``scale``, and
#: a motion path (``offset-path``, ``offset``), where a declaration starts; not one of
#: ``none``, which moves nothing.
_CSS_MOVES = re.compile(r"(?:^|[{;}])\s*(?:-[a-z]+-)?(?:transform|translate|rotate|scale"
                        r"|offset(?:-[a-z]+)?)\s*:(?!\s*none\s*(?:!\s*important\s*)?"
                        r"(?:[;}]|$))", re.IGNORECASE)
#: A CSS declaration that clips or masks what it applies to (``clip-path``, ``mask``,
#: ``mask-image``, ``-webkit-`` ones too), not to ``none``.
_CSS_CLIPS = re.compile(r"(?:^|[{;}])\s*(?:-[a-z]+-)?(?:clip-path|mask(?:-image)?)\s*:"
                        r"(?!\s*none\s*(?:!\s*important\s*)?(?:[;}]|$))", re.IGNORECASE)
#: A CSS declaration that hides what it applies to: ``display: none``, ``visibility:
#: hidden`` or ``collapse``.
_CSS_HIDES = re.compile(r"(?:^|[{;}])\s*(?:display\s*:\s*none|visibility\s*:\s*"
                        r"(?:hidden|collapse))\b", re.IGNORECASE)
#: The writer's own rule that hides a muscle's region where a ``muscle-lift`` piece draws
#: it again (:data:`converter.bodymap.LIFT_CSS`), as its sheet holds it: a rule of its
#: own (at the start of the sheet or of a block such as ``@media print { ... }``, which
#: may hide less, never more, or after another rule), of that one selector.
_LIFT_RULE = re.compile(r"(?:^|(?<=[{}]))\s*\.muscle\s+polygon\.lifted\s*\{\s*visibility"
                        r"\s*:\s*hidden\s*;?\s*\}")
#: What an ``<animate>`` or ``<set>`` may fade out (to 0) of what it animates, which it
#: changes as it changes colours: its opacity, and its fill's.
_FADING = frozenset({"opacity", "fill-opacity"})
#: A CSS value of ``visibility`` that hides, and one that shows (the others inherit).
_HIDDEN, _VISIBLE = frozenset({"hidden", "collapse"}), frozenset({"visible", "initial"})
#: ``!important`` at the end of a CSS value.
_IMPORTANT = re.compile(r"!\s*important\s*$", re.IGNORECASE)
#: The filter primitives that paint what they filter elsewhere than it is: moved
#: (``feOffset``, and ``feDropShadow``, a shadow moved), displaced or tiled.
_MOVING_PRIMITIVES = frozenset(f"{SVG}{name}" for name in (
    "feOffset", "feDropShadow", "feDisplacementMap", "feTile"))
#: The filter primitives that paint over what they filter, in part of their region or
#: all of it: an image, a flood of colour, noise, light.
_PAINTING_PRIMITIVES = frozenset(f"{SVG}{name}" for name in (
    "feImage", "feFlood", "feTurbulence", "feDiffuseLighting", "feSpecularLighting"))
#: The filter primitives that draw what they filter in another shape than its own, larger
#: or smaller (``feMorphology``, dilating or eroding) or shifted (``feConvolveMatrix``, a
#: kernel of its neighbours).
_RESHAPING_PRIMITIVES = frozenset(f"{SVG}{name}" for name in (
    "feMorphology", "feConvolveMatrix"))
#: The attributes of a filter's region, and of a primitive's subregion.
_REGION = ("x", "y", "width", "height")
#: A filter's region where it gives none: 10% more than the bounding box each way.
_FILTER_REGION = {"x": "-10%", "y": "-10%", "width": "120%", "height": "120%"}
#: A number as an attribute gives it, its number in group 1 and a percent sign in 2.
_PLAIN_NUMBER = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%?)\s*")
#: A CSS ``filter`` (``-webkit-filter``) declaration, its value in group 1.
_CSS_FILTER = re.compile(r"(?:^|[{;}])\s*(?:-webkit-)?filter\s*:([^;}]*)", re.IGNORECASE)
#: A ``url(...)`` of a CSS value, what it names in group 1, 2 or 3.
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
#: The CSS filter function that paints what it filters again, offset.
_DROP_SHADOW = re.compile(r"\bdrop-shadow\s*\(", re.IGNORECASE)
#: A style sheet's import of another.
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
#: A CSS comment (one left open runs to the end, as in CSS), or an escape (``\61`` and
#: the one white space after it, ``\:``), as CSS reads them from the start.
_CSS_COMMENT_OR_ESCAPE = re.compile(r"/\*.*?(?:\*/|$)|\\(?:([0-9a-fA-F]{1,6})"
                                    r"(?:\r\n|[ \t\n\r\f])?|(.)|$)", re.DOTALL)

#: Paint that draws nothing.
_NO_PAINT = frozenset({"none", "transparent"})
#: A colour in hexadecimal of alpha 0: ``#rgb0``, ``#rrggbb00``.
_CLEAR_HEX = re.compile(r"#(?:[0-9a-f]{3}0|[0-9a-f]{6}00)")
#: A CSS colour function, its arguments in group 1.
_COLOUR_FUNCTION = re.compile(r"(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\((.*)\)",
                              re.DOTALL)
#: The paint servers: what a ``fill`` or ``stroke`` of ``url(#id)`` paints with.
_GRADIENTS = frozenset({f"{SVG}linearGradient", f"{SVG}radialGradient"})
_SERVERS = _GRADIENTS | {f"{SVG}pattern"}
#: What a pattern's content draws with: shapes, text, images, copies.
_DRAWING = frozenset(f"{SVG}{name}" for name in (
    "polygon", "path", "rect", "circle", "ellipse", "line", "polyline", "text", "use",
    "image", "foreignObject"))
#: What in a pattern's content draws what it holds (any other, such as a ``<defs>`` or
#: an element the browser does not know, draws nothing of it).
_DRAWING_CONTAINERS = frozenset(f"{SVG}{name}" for name in ("g", "a", "svg", "switch"))
#: The properties of a gradient's ``<stop>`` that a style sheet may set over its own.
_STOP_PAINT = ("stop-color", "stop-opacity")
#: The CSS properties of how a polygon is painted and takes clicks, which an element
#: takes from its parent unless it sets one, with their initial values.
_INHERITED_INITIAL = {"fill": "black", "fill-opacity": "1", "stroke": "none",
                      "stroke-opacity": "1", "stroke-width": "1",
                      "pointer-events": "visiblepainted"}
#: A rule ``.class polygon { ... }`` of a style sheet (as the writer's paint its
#: regions), its class in group 1 and its declarations in group 2.
_CLASS_PAINT = re.compile(r"(?:^|(?<=[{}]))\s*\.(muscle(?:-lift)?)\s+polygon\s*\{([^{}]*)\}")
#: A CSS declaration where one starts, its property in group 1 and its value in group 2.
_DECLARATION = re.compile(r"(?:^|(?<=[{;}]))\s*(-?[a-zA-Z][-a-zA-Z]*)\s*:\s*([^;{}]*)")
#: A rule of a style sheet that holds no block, its selectors in group 1 and its
#: declarations in group 2.
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
#: What is between two compound selectors: white space, ``>``, ``+`` or ``~``.
_COMBINATOR = re.compile(r"\s*[>+~]\s*|\s+")
#: A compound selector of a type (or ``*``, group 1) and classes and ids (group 2).
_SIMPLE_COMPOUND = re.compile(r"(\*|[a-z_][\w-]*)?((?:[.#]-?[a-z_][\w-]*)*)")
#: The keyframes of an ``@keyframes`` block named as a type selector would be (their
#: percentages are no such selector).
_KEYFRAMES = frozenset({"from", "to"})
#: A class or an id of a compound selector: ``.`` or ``#`` in group 1, its name in 2.
_SIMPLE_NAME = re.compile(r"([.#])(-?[a-z_][\w-]*)")
#: A CSS number, with a unit or percent sign: its number in group 1.
_CSS_NUMBER = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(?:%|[a-zA-Z]*)")
#: The stroke properties, of which a style sheet may take a polygon's stroke away.
_STROKE = ("stroke", "stroke-opacity", "stroke-width")


@dataclass(frozen=True)
class Tree:
    """A parsed SVG file: its root, each element's line and parent, by an element the
    ``<use>``s that draw it again and the animations that may move it or fade it out,
    the lines of its ``<?xml-stylesheet?>`` links, whether a ``<style>`` holds the
    writer's rule that hides a lifted region, by slug its ``muscle-lift`` pieces and the
    points of the regions they draw, the classes whose polygons the writer's own rule
    paints (``.muscle polygon``), the text of its ``<style>`` sheets (:func:`_plain_css`),
    whether one sets a gradient stop's colour or opacity; the file read, its elements by
    id, and what :func:`_misplacing`, :func:`_inherited` and
    :func:`_writer_paint` found of each element they looked at (a polygon's ancestors
    are those of many)."""

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
    restyles_stops: bool
    here: Path
    ids: dict[str, Any]
    misplaced: dict[Any, str | None] = field(default_factory=dict)
    inherited: dict[tuple[Any, str], tuple[str, Any]] = field(default_factory=dict)
    writer_rules: dict[Any, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def unstrokes(self) -> bool:
        """Whether a ``<style>`` may take a stroke away (:func:`_unstrokes`)."""
        return any(_unstrokes(sheet, self) for sheet in self.sheets)


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line of each element's start tag, and of each
    ``<?xml-stylesheet?>`` (which the tree does not keep)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.sheets: list[int] = []
        self.expat: Any = None

    def start(self, tag: Any, attrs: Any) -> Any:
        element = super().start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element

    def pi(self, target: str, text: str | None = None) -> Any:
        if target == "xml-stylesheet":
            self.sheets.append(self.expat.CurrentLineNumber)
        return super().pi(target, text)


def parse(raw: bytes, here: Path) -> Tree:
    """``raw`` (the text of the file at ``here``) parsed as defusedxml's ``fromstring``
    parses it, lines and parents noted."""
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.expat = parser.parser
    parser.feed(raw)
    root = parser.close()
    parents = {child: parent for parent in root.iter() for child in parent}
    ids: dict[str, Any] = {}
    for element in root.iter():  # (the first element of an id is the one)
        if element.get("id") is not None:
            ids.setdefault(element.get("id"), element)
    sheets = [_plain_css("".join(sheet.itertext())) for sheet in root.iter(f"{SVG}style")]
    hides_lifted = any(_LIFT_RULE.search(sheet) for sheet in sheets)
    copies = _lift_copies(root)
    return Tree(root, builder.lines, parents, _uses(root, ids, here, parents),
                 _animations(root, parents, ids), tuple(builder.sheets), hides_lifted,
                 copies, {slug: {points(polygon) for piece in pieces
                                 for polygon in piece.iter(f"{SVG}polygon")}
                          for slug, pieces in copies.items()}, _painted_classes(sheets),
                 tuple(sheets), any(map(_restyles_stops, sheets)), here, ids)


def _class_paints(css: str) -> dict[str, dict[str, str]]:
    """By class, the declarations of a sheet's rules ``.class polygon { ... }``."""
    return {found.group(1): _declarations(found.group(2))
            for found in _CLASS_PAINT.finditer(css)}


def _declarations(css: str) -> dict[str, str]:
    """The declarations of CSS text, by property (the last of each)."""
    return {name.lower(): value.strip() for name, value in _DECLARATION.findall(css)}


#: By class, how the writer's own sheet paints the polygons of its muscles' ``<a>``s.
_WRITER_PAINT = _class_paints(bodymap.MAP_CSS + bodymap.LIFT_CSS)


def _painted_classes(sheets: list[str]) -> frozenset[str]:
    """The classes whose polygons a sheet paints with the writer's own rule (exactly)."""
    return frozenset(name for sheet in sheets for name, declared in _class_paints(sheet).items()
                     if _WRITER_PAINT.get(name) == declared)


def _unstrokes(css: str, tree: Tree) -> bool:
    """Whether a sheet sets a stroke that paints nothing (none, a ``url()`` of what is not
    there or paints nothing, an opacity or width 0; ``!important`` or not:
    :func:`_unseen_paint`)."""
    return any(name.lower() in _STROKE and _unseen_paint(name.lower(), _css_value(value), tree)
               for name, value in _DECLARATION.findall(css))


def _restyles_stops(css: str) -> bool:
    """Whether a sheet sets the colour or opacity of a gradient's stops (over their own)."""
    return any(name.lower() in _STOP_PAINT for name, _ in _DECLARATION.findall(css))


def _unseen_paint(name: str, value: str, tree: Tree) -> bool:
    """Whether a value of a paint property leaves that paint unseen
    (:func:`_paints_nothing`), or names by ``url(#id)`` a gradient or pattern that is not
    in the map (with no fallback colour that paints) or paints nothing
    (:func:`_server_paints_nothing`)."""
    if _paints_nothing(name, value):
        return True
    found = _CSS_URL.match(value) if name in ("fill", "stroke") else None
    if found is None:
        return False
    file, _, key = next(part for part in found.groups() if part is not None).partition("#")
    target = None if file.strip() else tree.ids.get(key)
    if target is None or target.tag not in _SERVERS:  # (no paint: its fallback paints)
        fallback = value[found.end():].strip().lower()
        return not file.strip() and (not fallback or _paints_nothing(name, fallback))
    return _server_paints_nothing(target, tree)


def _server_paints_nothing(server: Any, tree: Tree) -> bool:
    """Whether a gradient or pattern paints nothing, as Chromium paints it: a gradient
    whose stops (its own ``<stop>``s, else those it takes by ``href`` from another
    gradient) are none or all clear (:func:`_stop_is_clear`; not worked out when a
    ``<style>`` sets a stop's colour or opacity), a pattern of
    :func:`_pattern_paints_nothing`."""
    chain = _server_chain(server, tree)
    if server.tag == f"{SVG}pattern":
        return _pattern_paints_nothing(chain)
    stops = next((found for gradient in chain if (found := gradient.findall(f"{SVG}stop"))),
                 [])
    return not stops or (not tree.restyles_stops and all(map(_stop_is_clear, stops)))


def _server_chain(server: Any, tree: Tree) -> list[Any]:
    """A gradient or pattern and those of its kind it takes what it does not set from by
    ``href``, in that order (a loop ends it)."""
    chain = [server]
    kinds = {server.tag} if server.tag == f"{SVG}pattern" else _GRADIENTS
    other = _named(server, tree.ids)
    while other is not None and other.tag in kinds and other not in chain:
        chain.append(other)
        other = _named(other, tree.ids)
    return chain


def _pattern_paints_nothing(chain: list[Any]) -> bool:
    """Whether a pattern (the first of ``chain``, which it takes what it does not set
    from) paints nothing: a ``width`` or ``height`` of 0 (or less, or none given, as 0
    is the initial), a ``viewBox`` of no width or height, or content (the children of
    the first that has any) that draws no shape (:func:`_draws_shape`)."""
    width, height, view_box = (next((p.get(name) for p in chain if p.get(name) is not None),
                                    None) for name in ("width", "height", "viewBox"))
    content = next((pattern for pattern in chain if len(pattern)), None)
    return (width is None or height is None or _is_zero(width) or _is_zero(height)
            or _is_empty_box(view_box) or content is None or not _draws_shape(content))


def _is_empty_box(view_box: str | None) -> bool:
    """Whether a ``viewBox`` (four numbers) has a width or height of 0."""
    numbers = _SEPARATORS.split((view_box or "").strip())
    try:
        return len(numbers) == 4 and 0 in (float(numbers[2]), float(numbers[3]))
    except ValueError:
        return False


def _draws_shape(content: Any) -> bool:
    """Whether ``content`` holds a shape (:data:`_DRAWING`) that it draws: a child, or in
    a ``<g>``, ``<a>``, ``<svg>`` or ``<switch>`` on the way down."""
    waiting = list(content)
    while waiting:
        element = waiting.pop()
        if element.tag in _DRAWING:
            return True
        if element.tag in _DRAWING_CONTAINERS:
            waiting.extend(element)
    return False


def _stop_is_clear(stop: Any) -> bool:
    """Whether a gradient's ``<stop>`` paints nothing: a ``stop-opacity`` of 0 (or less),
    or a ``stop-color`` of ``transparent`` or of alpha 0 (in its ``style``, else its
    attribute)."""
    style = stop.get("style") or ""
    colour, opacity = (_style_value(style, name) for name in _STOP_PAINT)
    opacity = stop.get("stop-opacity") if opacity is None else opacity
    colour = (stop.get("stop-color") if colour is None else colour) or ""
    colour = colour.strip().lower()
    return (opacity is not None and _is_zero(opacity)) or colour == "transparent" or \
        _is_clear(colour)


def _server_note(value: str) -> str:
    """What a paint of ``url()`` is said with: that it names what paints nothing."""
    return (", a gradient or pattern that is not there or paints nothing"
            if value.lower().startswith("url(") else "")


def _paints_nothing(name: str, value: str) -> bool:
    """Whether a value of a paint property (``fill``, ``stroke-opacity``...) leaves that
    paint unseen: ``none`` or ``transparent``, an opacity or width of 0 (or less)."""
    if name in ("fill", "stroke"):
        return value in _NO_PAINT or _is_clear(value)
    return _is_zero(value)


def _is_clear(colour: str) -> bool:
    """Whether a CSS colour (lower case) has an alpha of 0: ``#rgba`` and ``#rrggbbaa``
    of alpha 0, ``rgba(0, 0, 0, 0)``, ``hsl(0 0% 0% / 0%)`` and the like."""
    if _CLEAR_HEX.fullmatch(colour):
        return True
    found = _COLOUR_FUNCTION.fullmatch(colour)
    if found is None:
        return False
    arguments = found.group(1)
    alpha = arguments.rpartition("/")[2] if "/" in arguments else (
        arguments.split(",")[3] if arguments.count(",") == 3 else None)
    return alpha is not None and _is_zero(alpha)


def _is_zero(value: str) -> bool:
    """Whether a CSS number (``0``, ``0.0``, ``0%``, ``0px``, ``-1``) is 0 or less."""
    found = _CSS_NUMBER.fullmatch(value.strip())
    return found is not None and float(found.group(1)) <= 0


def _lift_copies(root: Any) -> dict[str, list[Any]]:
    """By slug, the ``muscle-lift`` pieces of a map (which draw again regions of the
    muscle's own ``<a>``)."""
    copies: dict[str, list[Any]] = {}
    for piece in root.iter(f"{SVG}a"):
        slug = piece.get("data-lift")
        if slug is not None and "muscle-lift" in (piece.get("class") or "").split():
            copies.setdefault(slug, []).append(piece)
    return copies


def points(polygon: Any) -> str:
    """A polygon's ``points`` as a coords string: its numbers between commas."""
    # (an empty number, "10,,20" or a trailing comma, stays empty for the validator to
    # report: dropped, it would pair the numbers after it anew)
    return ",".join(_SEPARATORS.split(polygon.get("points", "").strip()))


def _href(element: Any) -> str:
    """An element's ``href`` (else its ``xlink:href``), stripped; empty when it has none."""
    link = element.get("href")
    return ((element.get(f"{{{_XLINK}}}href") if link is None else link) or "").strip()


def _named(element: Any, ids: dict[str, Any], here: Path | None = None,
           parents: dict[Any, Any] | None = None) -> Any:
    """The element that an element's ``href`` (or ``xlink:href``) names by ``#id``, or,
    given ``here`` (the file read) and ``parents``, by ``file#id`` of a file that is this
    one (by the map's own address, or by the ``xml:base`` in effect): None when it names
    none."""
    link = _href(element)
    file, hash_mark, name = link.partition("#")
    if not hash_mark or (file and (here is None or parents is None or not any(
            _is_file(url, here) for url in _resolved(file, element, parents, here)))):
        return None
    return ids.get(name)


def _resolved(file: str, element: Any, parents: dict[Any, Any], here: Path) -> list[str]:
    """What a reference to ``file`` of ``element`` may name: ``file`` as it is (taken
    from the map's own address, as Chromium takes it), and, with an ``xml:base`` on it
    or around it, as that base resolves it (as viewers that honour it do)."""
    bases = [element.get(_XML_BASE) for element in _ancestry(element, parents)]
    bases = [base.strip() for base in reversed(bases) if base is not None]
    if not bases:
        return [file]
    address = here.absolute().as_uri()
    for base in bases:
        address = urljoin(address, base)
    return [file, urljoin(address, file)]


def _is_file(url: str, here: Path) -> bool:
    """Whether a URL (a relative one, or file:) names the file at ``here``, the one read:
    ``map.svg``, ``./map.svg``, ``../out/map.svg``, another name linked to it."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("", "file") or parts.netloc not in ("", "localhost"):
        return False
    named = os.path.join(os.path.dirname(os.path.abspath(here)), unquote(parts.path))
    try:
        return os.path.samefile(named, here)
    except (OSError, ValueError):  # (no such file, or a name no file can have)
        return os.path.normpath(named) == os.path.normpath(os.path.abspath(here))


def _uses(root: Any, ids: dict[str, Any], here: Path,
          parents: dict[Any, Any]) -> dict[Any, list[Any]]:
    """The ``<use>``s of a document by the element each draws again (named by ``#id``, or
    by the file's own name, ``map.svg#id``, as it is or under an ``xml:base``)."""
    uses: dict[Any, list[Any]] = {}
    for use in root.iter(f"{SVG}use"):
        target = _named(use, ids, here, parents)
        if target is not None:
            uses.setdefault(target, []).append(use)
    return uses


def _animations(root: Any, parents: dict[Any, Any],
                ids: dict[str, Any]) -> dict[Any, list[Any]]:
    """The animations of a document that may move what they animate, or fade it out, by
    that element: the one their ``href`` names, else their parent."""
    animations: dict[Any, list[Any]] = {}
    for element in root.iter():
        if not _may_move(element) and _fades(element) is None:
            continue
        has_link = element.get("href") is not None or element.get(
            f"{{{_XLINK}}}href") is not None
        target = _named(element, ids) if has_link else parents.get(element)
        if target is not None:
            animations.setdefault(target, []).append(element)
    return animations


def _may_move(element: Any) -> bool:
    """Whether ``element`` is an animation that may move what it animates: every
    ``<animateTransform>`` and ``<animateMotion>``, an ``<animate>`` or ``<set>`` of
    anything but colours."""
    if element.tag in (f"{SVG}animate", f"{SVG}set"):
        return element.get("attributeName", "").strip() not in _PAINT
    return element.tag in _MOVING_ANIMATIONS


def _fades(element: Any) -> str | None:
    """What an ``<animate>`` or ``<set>`` of an opacity (:data:`_FADING`) takes what it
    animates to that leaves it unseen, a value of 0 or less (``to``, ``from``, ``by`` or
    one of its ``values``), as ``name: value``; None for any other element."""
    name = element.get("attributeName", "").strip()
    if element.tag not in (f"{SVG}animate", f"{SVG}set") or name not in _FADING:
        return None
    values = [element.get(key) or "" for key in ("from", "to", "by")]
    values += (element.get("values") or "").split(";")
    zero = next((value.strip() for value in values if value.strip() and _is_zero(value)),
                None)
    return None if zero is None else f"{name}: {zero}"


def _animation_problem(animation: Any, element: Any, polygon: Any,
                       tree: Tree) -> str | None:
    """What an animation of ``element`` (``polygon`` or one around it) does that the
    reader does not play, or None: it may move it, or take it to an opacity of 0 (a fill
    opacity of 0 when the polygon has no stroke that is seen)."""
    animated = (f"animates the <{local_name(element.tag)}> at line {tree.lines.get(element)}"
                " (a polygon of the muscle, or around one)")
    if _may_move(animation):
        return (f"{animated}, which the reader does not play: where its points are drawn "
                "cannot be told")
    fades = _fades(animation)
    if fades is None or (fades.startswith("fill-") and _no_stroke(polygon, tree) is None):
        return None
    return (f"{animated} to {fades}, which the reader does not play: the polygons in it "
            "are not seen")


def sheet_problem(css: str, tree: Tree) -> str | None:
    """What of a style sheet could move a polygon or draw it other than whole, or None."""
    if _css_moves(css):
        return "sets a transform (transform, translate, rotate, scale or a motion path)"
    if _CSS_CLIPS.search(_plain_css(css)):
        return "clips or masks (clip-path, mask)"
    if _CSS_HIDES.search(_LIFT_RULE.sub(" ", _plain_css(css))):
        return "hides (display: none, visibility: hidden or collapse)"
    unseen = _sheet_unseen(_plain_css(css), tree)
    if unseen:
        return f"sets {unseen}, which may leave a polygon unseen or taking no clicks"
    for value in _CSS_FILTER.findall(_plain_css(css)):
        problem = _filter_problem(value, tree)
        if problem:
            return f"sets a filter that {problem}"
    if _CSS_IMPORT.search(_plain_css(css)):
        return "imports a style sheet the reader does not read, which may set one"
    return None


def _sheet_unseen(css: str, tree: Tree) -> str | None:
    """The first declaration of a sheet that may leave a polygon unseen (an opacity of 0,
    a fill of none, a ``display: contents``) or taking no clicks (``pointer-events:
    none``), as ``name: value``, or None: of a rule that may select a polygon or an
    element around one (:func:`_may_select`), or outside every rule."""
    shown = None
    for selectors, block in _rules(css):
        unseen = _unseen_declaration(block, tree)
        if unseen is None:
            continue
        shown = _around_polygons(tree) if shown is None else shown
        if selectors is None or _may_select(selectors, shown):
            return unseen
    return None


def _rules(css: str) -> Iterator[tuple[str | None, str]]:
    """The rules of a sheet as their selectors and declarations (one in a block, such as
    ``@media screen { ... }``, alone), then what is outside every rule, of no selector
    (None)."""
    for found in _RULE.finditer(css):
        yield found.group(1), found.group(2)
    yield None, _RULE.sub(" ", css)


def _around_polygons(tree: Tree) -> list[tuple[str, frozenset[str], str]]:
    """Of each polygon of a map and each element around one, what a simple selector
    tells it by: its name, classes and id, lower case."""
    seen: dict[Any, tuple[str, frozenset[str], str]] = {}
    for polygon in tree.root.iter(f"{SVG}polygon"):
        for element in _ancestry(polygon, tree.parents):
            if element in seen:
                break
            seen[element] = (local_name(element.tag).lower(), frozenset(
                (element.get("class") or "").lower().split()), (element.get("id") or "").lower())
    return list(seen.values())


def _may_select(selectors: str, shown: list[tuple[str, frozenset[str], str]]) -> bool:
    """Whether a rule's selectors may select one of ``shown`` (:func:`_around_polygons`):
    the last compound of one (what it selects) is a type or ``*`` with classes and ids
    that one of them has, or is another (an attribute, a pseudo-class, a keyframe's
    ``from`` or ``to``, of what an animation selects...) that the reader does not tell,
    which may."""
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


def _unseen_declaration(css: str, tree: Tree) -> str | None:
    """The first declaration of CSS text that may leave a polygon unseen or taking no
    clicks (:func:`_sheet_unseen`; a fill of ``url()`` as :func:`_unseen_paint` tells it),
    as ``name: value``, or None."""
    for name, value in _DECLARATION.findall(css):
        name, value = name.lower(), _css_value(value)
        if (name == "fill" and _unseen_paint(name, value, tree)) or (
                name in ("opacity", "fill-opacity") and _paints_nothing(name, value)) or (
                (name, value) in (("pointer-events", "none"), ("display", "contents"))):
            return f"{name}: {value}"
    return None


def _css_value(value: str) -> str:
    """A declaration's value without ``!important``, lower case but for a ``url()`` (an
    id is as it is written)."""
    value = _IMPORTANT.sub("", value).strip()
    return value if value.lower().startswith("url(") else value.lower()


def lifted_copies(piece: Any, regions: set[str], tree: Tree) -> Iterator[tuple[Any, str]]:
    """What of a ``muscle-lift`` piece of a muscle draws a region other than the muscle's
    own ``<a>`` holds it (``regions``, their points): a shape other than ``<polygon>``, a
    polygon of points that are none of the regions, what on the way from one of its
    polygons up to the root draws it elsewhere or not at all (:func:`around`)."""
    for shape in piece.iter():
        if shape.tag in UNREAD_SHAPES:
            yield shape, "is a shape the reader does not read (only <polygon points>)"
    for copy in piece.iter(f"{SVG}polygon"):
        if points(copy) not in regions:
            yield copy, ("draws a region that the muscle's own <a> does not hold (its points "
                         "differ from every region's): the reader cannot read it")
        yield from around(copy, piece, tree)


def around(polygon: Any, link: Any, tree: Tree) -> Iterator[tuple[Any, str]]:
    """What, from ``polygon`` of ``link`` up to the root, puts it elsewhere than its points
    say or in another link: what :func:`_misplacing` names, a ``<use>`` that draws it (or
    one of those around it) again elsewhere, an ``<a>`` between it and ``link`` or around
    ``link``."""
    inside = True
    for element in _ancestry(polygon, tree.parents):
        inside = inside and element is not link
        if element.tag == f"{SVG}a" and element is not link:
            yield _nested_link(element, link, inside, tree)
        for use in tree.uses.get(element, ()):
            yield use, (f"draws again, where it stands, the <{local_name(element.tag)}> at "
                        f"line {tree.lines.get(element)} (a polygon of the muscle, or around "
                        "one): the reader cannot place that copy")
        for animation in tree.animations.get(element, ()):
            done = _animation_problem(animation, element, polygon, tree)
            if done:
                yield animation, done
        problem = _misplacing(element, tree)
        if problem:
            yield element, problem
    for unseen in (_hidden(polygon, link, tree), _unpainted(polygon, tree),
                   _unclickable(polygon, tree)):
        if unseen is not None:
            yield unseen


def _hidden(polygon: Any, link: Any, tree: Tree) -> tuple[Any, str] | None:
    """What makes ``polygon`` of ``link`` hidden, and why, or None: the nearest
    ``visibility`` on the way up (in a ``style``, else an attribute), when it hides; the
    writer's rule for a lifted region (over an attribute) when no ``muscle-lift`` piece of
    the muscle draws that region."""
    for element in _ancestry(polygon, tree.parents):
        value = _style_value(element.get("style") or "", "visibility")
        if value is None and element is polygon and _is_lifted(polygon, tree):
            drawn = points(polygon) in tree.lift_points.get(link.get("data-slug"), ())
            return None if drawn else (polygon, (
                'is hidden (class "lifted", which the map\'s <style> hides where a '
                '<a class="muscle-lift"> of the muscle draws it again) and no such piece '
                "draws it: the region is not drawn and takes no clicks"))
        value = ((element.get("visibility") if value is None else value) or "").strip().lower()
        if value in _HIDDEN:
            return element, (f"is hidden (visibility: {value}): the polygons in it are not "
                             "drawn and take no clicks")
        if value in _VISIBLE:
            return None
    return None


def _unpainted(polygon: Any, tree: Tree) -> tuple[Any, str] | None:
    """What leaves ``polygon`` painted with nothing, and why, or None: a fill that paints
    nothing (``fill: none``, a colour of alpha 0, a gradient or pattern that is not there
    or paints nothing, ``fill-opacity: 0``, on it or inherited) and no stroke
    (none, an opacity or width of 0, or one a ``<style>`` may take away)."""
    fill, fill_at = _inherited(polygon, "fill", tree)
    opacity, opacity_at = _inherited(polygon, "fill-opacity", tree)
    no_fill = _unseen_paint("fill", fill, tree)
    if not no_fill and not _is_zero(opacity):
        return None
    stroke = _no_stroke(polygon, tree)
    if stroke is None:
        return None
    said, at = (f"fill: {fill}{_server_note(fill)}", fill_at) if no_fill else (
        f"fill-opacity: {opacity}", opacity_at)
    return (polygon if at is None else at), (
        f"paints the polygons in it with nothing ({said}, and {stroke}): they are not "
        "seen")


def _no_stroke(polygon: Any, tree: Tree) -> str | None:
    """Why ``polygon`` has no stroke that is seen (``stroke: none``...), or None."""
    if tree.unstrokes:
        return "a <style> that may take its stroke away"
    for name in _STROKE:
        value, _ = _inherited(polygon, name, tree)
        if _unseen_paint(name, value, tree):
            return f"{name}: {value}{_server_note(value)}"
    return None


def _unclickable(polygon: Any, tree: Tree) -> tuple[Any, str] | None:
    """What makes ``polygon`` take no clicks (``pointer-events: none`` on it or
    inherited), and why, or None."""
    value, at = _inherited(polygon, "pointer-events", tree)
    if value != "none":
        return None
    return (polygon if at is None else at), (
        "takes no clicks (pointer-events: none): a click on the polygons in it does not "
        "reach the muscle's link")


def _inherited(element: Any, name: str, tree: Tree) -> tuple[str, Any]:
    """The value (lower case) of an inherited CSS property for ``element`` and the element
    that sets it (None for the initial value): from the nearest element on the way up
    that sets it, in its ``style``, else by the writer's own rule (for a polygon), else
    the attribute."""
    value = _style_value(element.get("style") or "", name)
    if value is None and element.tag == f"{SVG}polygon":
        value = _writer_paint(element, name, tree)
    own = _own_value(element, name, value)
    if own is not None:
        return own
    parent = tree.parents.get(element)
    if parent is None:
        return _INHERITED_INITIAL[name], None
    if (parent, name) not in tree.inherited:  # (the same for every polygon of a <g>)
        tree.inherited[parent, name] = _inherited(parent, name, tree)
    return tree.inherited[parent, name]


def _own_value(element: Any, name: str, value: str | None) -> tuple[str, Any] | None:
    """The value an element sets itself of an inherited property (``value``, from its
    style, else its attribute) and the element, or None when it inherits it."""
    value = ((element.get(name) if value is None else value) or "").strip()
    lowered = value.lower()
    if lowered == "initial":
        return _INHERITED_INITIAL[name], element
    if lowered and lowered not in ("inherit", "unset"):
        # (an id is as it is written: url(#Grad) names no #grad)
        return (value if lowered.startswith("url(") else lowered), element
    return None


def _writer_paint(polygon: Any, name: str, tree: Tree) -> str | None:
    """The value the writer's own rule ``.muscle polygon`` (``.muscle-lift polygon``),
    held by the map's sheet, gives ``polygon``, or None."""
    parent = tree.parents.get(polygon)
    if parent not in tree.writer_rules:  # (the same for every polygon of an <a>)
        tree.writer_rules[parent] = next((
            _WRITER_PAINT[kind] for element in _ancestry(parent, tree.parents)
            for kind in sorted(tree.painted.intersection((element.get("class") or "").split()))
        ), {})
    return tree.writer_rules[parent].get(name)


def _is_lifted(polygon: Any, tree: Tree) -> bool:
    """Whether the writer's rule for a lifted region hides ``polygon``: the map's
    ``<style>`` holds it, and it matches (``.muscle polygon.lifted``)."""
    return tree.hides_lifted and "lifted" in (polygon.get("class") or "").split() and any(
        "muscle" in (element.get("class") or "").split()
        for element in _ancestry(tree.parents.get(polygon), tree.parents))


def _misplacing(element: Any, tree: Tree) -> str | None:
    """Why the polygons in ``element`` are not drawn where their points say (a transform,
    a nested ``<svg>``, a ``<switch>``, a container not drawn where it stands), or None;
    worked out once per element."""
    if element not in tree.misplaced:
        tree.misplaced[element] = _misplacing_now(element, tree)
    return tree.misplaced[element]


def _misplacing_now(element: Any, tree: Tree) -> str | None:
    """What :func:`_misplacing` says of ``element``, worked out."""
    if _has_transform(element):
        return ("has a transform, which the reader does not apply (the points would not be "
                "where they are drawn)")
    moving_filter = _filter_problem(_filter_of(element), tree, element)
    if moving_filter:
        return f"has a filter that {moving_filter}"
    display = _display(element)
    if display == "none":
        return ("is not displayed (display: none, as Inkscape hides a layer): the polygons "
                "in it are not drawn and take no clicks")
    if display == "contents" and element.tag != f"{SVG}g" and element is not tree.root:
        return ("is not displayed (display: contents, which draws no shape and no link, "
                "only a <g>): the polygons in it are not drawn and take no clicks")
    opacity = _style_value(element.get("style") or "", "opacity")
    opacity = element.get("opacity") if opacity is None else opacity
    if opacity is not None and _is_zero(opacity):
        return (f"is transparent (opacity: {opacity.strip()}): the polygons in it are not "
                "seen")
    if _is_clipped(element):
        return ("is clipped or masked (clip-path, mask), which the reader does not apply: "
                "the polygons in it are not drawn whole")
    if element.tag == f"{SVG}svg" and element is not tree.root:
        return ("is nested in the map's <svg>: its own viewport (its x, y, width, height "
                "and viewBox) maps the points in it, which the reader does not place")
    if element.tag == f"{SVG}switch":
        return ("draws only one of what it holds (the first whose systemLanguage or "
                "requiredExtensions hold where the map is viewed), which the reader does not "
                "work out: whether the polygons in it are drawn cannot be told")
    if element.tag in _NOT_DRAWN:
        return ("is not drawn where it stands (what it holds is drawn only where it is "
                "used, if at all): the reader cannot place the polygons in it")
    return None


def _nested_link(other: Any, link: Any, inside: bool, tree: Tree) -> tuple[Any, str]:
    """The error of an ``<a>`` in a muscle's ``link`` (at the other's line) or around it
    (at the link's): an ``<a>`` holds no other, and whose the polygons are is not known."""
    whose = "which of the two links the polygons in it are of cannot be told"
    if inside:
        return other, f"is inside the muscle's <a>: {whose}"
    return link, f"is inside another <a>, at line {tree.lines.get(other)}: {whose}"


def _ancestry(element: Any, parents: dict[Any, Any]) -> Iterator[Any]:
    """``element`` and those around it, up to the root."""
    while element is not None:
        yield element
        element = parents.get(element)


def _has_transform(element: Any) -> bool:
    """Whether ``element`` has a transform (an attribute, or in its ``style``)."""
    return bool((element.get("transform") or "").strip()) or _css_moves(
        element.get("style") or "")


def _is_clipped(element: Any) -> bool:
    """Whether ``element`` has a clip path or a mask (an attribute, or in its ``style``)."""
    return any((element.get(name) or "none").strip() != "none" for name in (
        "clip-path", "mask")) or _CSS_CLIPS.search(
            _plain_css(element.get("style") or "")) is not None


def _filter_of(element: Any) -> str:
    """An element's ``filter`` (in its ``style``, ``-webkit-filter`` too, else the
    attribute); empty when it has none."""
    style = element.get("style") or ""
    value = _style_value(style, "filter")
    value = _style_value(style, "-webkit-filter") if value is None else value
    return (element.get("filter") if value is None else value) or ""


def _filter_problem(value: str, tree: Tree, element: Any = None) -> str | None:
    """How a CSS ``filter`` value (of ``element``; None for a style sheet's) draws what it
    filters other than where and as it is, or None: a ``url()`` of a ``<filter>`` of the
    map that does (:func:`_filter_element_problem`), one of another file (not read), a
    ``drop-shadow()``."""
    for found in _CSS_URL.finditer(value):
        link = next(part for part in found.groups() if part is not None).strip()
        file, _, name = link.partition("#")
        other = _other_file(file, element, tree) if file else None
        if other is not None:
            return (f"is in another file ({link}{other}), which "
                    "the reader does not read: whether it draws what it filters elsewhere "
                    "cannot be told")
        target = tree.ids.get(name)
        if target is not None and target.tag == f"{SVG}filter":
            problem = _filter_element_problem(target, link, element, tree)
            if problem:
                return problem
    if _DROP_SHADOW.search(value):
        return ("draws what it filters again elsewhere (drop-shadow(), an offset copy), "
                "which the reader does not apply")
    return None


def _other_file(file: str, element: Any, tree: Tree) -> str | None:
    """How a reference to ``file`` of ``element`` (None: of a style sheet) names a file
    other than the map: ``""`` as it is, ``", as the xml:base in effect takes it: URL"``
    under an ``xml:base``; None when it names the map both ways."""
    urls = [file] if element is None else _resolved(file, element, tree.parents, tree.here)
    other = next((url for url in urls if not _is_file(url, tree.here)), None)
    if other is None:
        return None
    return "" if other == file else f", as the xml:base in effect takes it: {other}"


def _filter_element_problem(target: Any, link: str, element: Any, tree: Tree) -> str | None:
    """How the ``<filter>`` ``target`` (named by ``link``) draws what ``element`` holds
    other than where and as it is, or None: it takes primitives or a region from another
    by ``href``, holds no primitive, one that moves, paints over, grows, shrinks or shifts
    it, one with a subregion of its own, or its region leaves out part of what it
    filters."""
    if _href(target):
        return (f"takes what it does from another filter by href ({link} names "
                f"{_href(target)}), which viewers differ on (Chromium draws nothing): what "
                "is drawn cannot be told")
    primitives = [child for child in target if local_name(child.tag).startswith("fe")]
    if not primitives:
        return f"draws nothing ({link} holds no filter primitive): the polygons are not seen"
    for kinds, draws, does in (
            (_MOVING_PRIMITIVES, "draws what it filters elsewhere", "moves, displaces or "
             "tiles it"),
            (_PAINTING_PRIMITIVES, "paints over what it filters", "paints an image, a "
             "colour, noise or light over its region"),
            (_RESHAPING_PRIMITIVES, "draws what it filters other than its shape",
             "grows, shrinks or shifts it")):
        found = next((p for p in target.iter() if p.tag in kinds), None)
        if found is not None:
            return (f"{draws} ({link}, whose <{local_name(found.tag)}> at line "
                    f"{tree.lines.get(found)} {does}), which the reader does not apply")
    clipping = next((p for p in primitives if any(p.get(n) is not None for n in _REGION)), None)
    if clipping is not None:
        return (f"may clip what it filters ({link}, whose <{local_name(clipping.tag)}> at "
                f"line {tree.lines.get(clipping)} has a subregion of its own: x, y, width or "
                "height), which the reader does not apply")
    if _region_clips(target, element, tree):
        return (f"clips what it filters to its region ({link}, whose x, y, width and "
                "height may leave part of it out), which the reader does not apply")
    return None


def _region_clips(target: Any, element: Any, tree: Tree) -> bool:
    """Whether the region of a ``<filter>`` may leave out part of what ``element`` holds:
    by the bounding box (``filterUnits`` of ``objectBoundingBox``, as by default), less
    than all of it; in user space, less than all of its polygons' points, or not known
    (a percentage, a unit, none given, or ``element`` None, a style sheet's)."""
    region = [(target.get(name) or _FILTER_REGION[name]).strip() for name in _REGION]
    if (target.get("filterUnits") or "").strip() != "userSpaceOnUse":
        numbers = [_fraction(value) for value in region]
        if None in numbers:
            return True
        x, y, width, height = numbers
        return x > 0 or y > 0 or x + width < 1 or y + height < 1
    box = None if element is None else _points_box(element)
    numbers = [_user_length(value) for value in region]
    if box is None or None in numbers or any(target.get(name) is None for name in _REGION):
        return True
    x, y, width, height = numbers
    return box[0] < x or box[1] < y or box[2] > x + width or box[3] > y + height


def _fraction(value: str) -> float | None:
    """A length of a bounding box (``-0.1``, ``-10%``) as a fraction of it, or None."""
    found = _PLAIN_NUMBER.fullmatch(value)
    if found is None:
        return None
    return float(found.group(1)) / (100 if found.group(2) else 1)


def _user_length(value: str) -> float | None:
    """A length in user space (``5``, ``5px``) as a number, or None (a percentage, a
    unit)."""
    found = _PLAIN_NUMBER.fullmatch(value.removesuffix("px"))
    return None if found is None or found.group(2) else float(found.group(1))


def _points_box(element: Any) -> tuple[float, float, float, float] | None:
    """The box (least x and y, most x and y) of the points of the polygons in
    ``element``, or None when they are none or not numbers."""
    try:
        numbers = [[float(n) for n in points(p).split(",")]
                   for p in element.iter(f"{SVG}polygon")]
    except ValueError:
        return None
    xs = [x for points in numbers for x in points[0::2]]
    ys = [y for points in numbers for y in points[1::2]]
    return (min(xs), min(ys), max(xs), max(ys)) if xs and ys else None


def _display(element: Any) -> str:
    """An element's ``display`` (in its ``style``, else the attribute), lower case."""
    value = _style_value(element.get("style") or "", "display")
    return ((element.get("display") if value is None else value) or "").strip().lower()


def _style_value(style: str, name: str) -> str | None:
    """The value a ``style`` attribute gives a CSS property (its last declaration, an
    ``!important`` one over others), without ``!important``; None when none does."""
    found, important = None, False
    if not style or (name not in style.lower() and "\\" not in style):  # (none can name it)
        return None
    for declaration in _plain_css(style).split(";"):
        prop, colon, value = declaration.partition(":")
        if colon and prop.strip().lower() == name:
            value, bang = _IMPORTANT.subn("", value.strip())
            if bang or not important:
                found, important = value.strip(), important or bool(bang)
    return found


def _css_moves(css: str) -> bool:
    """Whether CSS text (a ``style`` attribute, a style sheet) sets a transform."""
    return _CSS_MOVES.search(_plain_css(css)) is not None


def _plain_css(css: str) -> str:
    """CSS text with its comments made a space and its escapes the characters they stand
    for (``tr\\61nsform`` is ``transform``), so that a name is matched as CSS reads it; an
    escaped character that is no name's (``\\;``, ``\\:``) stays in the name it is in, as
    ``_``, never a delimiter."""
    return _CSS_COMMENT_OR_ESCAPE.sub(_unescaped, css)


def _unescaped(found: re.Match[str]) -> str:
    """What a CSS comment or escape of :func:`_plain_css` stands for."""
    if found.group(0).startswith("/*"):
        return " "
    code, char = found.group(1), found.group(2)
    if code is not None:
        number = int(code, 16)
        char = chr(number) if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF \
            else "\ufffd"
    elif char is None:  # (a backslash at the end)
        char = "\ufffd"
    return char if char.isalnum() or char in "-_" or ord(char) > 0x7F else "_"


def local_name(tag: str) -> str:
    """An element's name without its namespace: ``path``."""
    return tag.rpartition("}")[2]
