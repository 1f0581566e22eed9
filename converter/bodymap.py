"""Drawing the shared body diagram as SVG: the clickable muscle map and focus images.

Every muscle's ``regions`` are HTML image-map polygons on one body diagram, in its
pixels. This module turns them into SVG documents that the ``svg``, ``html`` and
``anki`` writers share:

* :func:`map_svg` - all muscles, each one ``<a>`` (link, ``<title>``, ``aria-label``,
  ``id``, ``data-slug``) holding its polygons, highlighted by CSS on hover and focus (a
  region lying on a larger one of a muscle drawn later drawn again over it, in an
  ``<a class="muscle-lift">`` of the same link);
* :func:`focus_svg` - one muscle highlighted, everyone else faint;
* :func:`diagram_svg` - a plain picture of all regions framed from the diagram's
  origin, so HTML ``<area>`` coordinates (:func:`area_coords`) line up with it.

Points are written exactly as in the source (``Region.coords``). All text is XML-escaped,
links are limited to relative, http and https URLs, and no output holds any script.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .atomic import output_is_stdout, output_name
from .baseimage import copy_name, copy_picture, ending, last_runs
from .calipers import narrowest_width, whole_pixel_bar, width_at_least
from .diagnostics import Diagnostic, error
from .faint import FAINT_NEAR, Box, faint_around
from .layers import Piece, coordinate, corners, drawing_pieces, region_areas
from .model import Muscle, Number, base_language, coords_text
from .model import number_text as number
from .registry import FormatOption, WriteContext, spelling
from .safety import beside_output, css_escape, escape, is_safe_link

SVG_NS = "http://www.w3.org/2000/svg"
#: The id of a map's own ``<title>``: outside the ``muscle-`` ids of the muscles (as
#: ``muscle-map-title`` was not: the muscle ``map-title`` had it too).
MAP_TITLE_ID = "map-title"
XML_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'
DEFAULT_LINK_TEMPLATE = "{slug}.html"
DEFAULT_DIAGRAM = (1000, 1000)
#: The most CSS pixels a map (or focus image) is shown across or down: one whose
#: viewBox is larger is shown scaled down to fit (a diagram millions of pixels wide
#: showed nothing of itself on the first screen).
SCREEN = 1000

#: The diagram's size, ``WxH``: the core checks it, and the regions' polygons against it.
SIZE_OPTION = FormatOption("size", "diagram size WxH in pixels (default: fit the regions)",
                           metavar="WxH")

#: Writer options shared by every format that draws the diagram (identical objects, so
#: the CLI shows each once).
MAP_OPTIONS: tuple[FormatOption, ...] = (
    FormatOption("base_image", "diagram image drawn under the regions, a URL or a file "
                 "(copied into the output); needs --size", metavar="URL|PATH",
                 reads_file=True),
    SIZE_OPTION,
    FormatOption("link_template", "link of each muscle; {slug} is replaced "
                 "(default {slug}.html)", default=DEFAULT_LINK_TEMPLATE, metavar="TEMPLATE"),
    FormatOption("lang", "language of names and page text (default en)", default="en",
                 metavar="LANG"),
)


def map_size(declared: Iterable[FormatOption], options: Mapping[str, Any]) -> str | None:
    """The diagram size in a writer's ``options``, when the writer ``declared`` the map's
    :data:`SIZE_OPTION` (another format's option named size is not one)."""
    return options.get("size") if SIZE_OPTION in declared else None


_WORDS = {
    "en": {"map": "Muscle map", "muscles": "Muscles", "image_map": "Image map"},
    "da": {"map": "Muskelkort", "muscles": "Muskler", "image_map": "Billedkort"},
}
# Characters XML 1.0 cannot hold at all, not even as character references.
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")

MAP_CSS = """\
.muscle polygon { fill: #c0392b; fill-opacity: 0.3; stroke: #922b21; stroke-width: 1.5; }
.muscle:hover polygon, .muscle:focus polygon, .muscle:target polygon {
  fill: #e67e22; fill-opacity: 0.75; stroke: #1b2631; stroke-width: 3; }
.muscle:focus { outline: none; }
.muscle:focus-visible polygon { stroke-dasharray: 6 3; }
.muscle-map polygon { vector-effect: non-scaling-stroke; }
"""
#: How wide (in CSS pixels) the maps draw every region's outline, however the map is
#: scaled (``vector-effect: non-scaling-stroke``): a region smaller than a pixel as
#: shown is still drawn, a dot of its outline, and takes the clicks there.
OUTLINE = 1.5
#: The style sheet of a standalone picture (a focus image, diagram.svg) that draws every
#: region's outline as wide in CSS pixels at any scale as on a map of up to 1000 pixels
#: a side: a region under a pixel as shown stays a dot of its outline.
NON_SCALING = "<style>polygon { vector-effect: non-scaling-stroke; }</style>\n"
#: How wide (in CSS pixels, at any scale: :data:`NON_SCALING`) a focus image draws its
#: muscle's outline: a region under a pixel as shown is a dot of it.
FOCUS_OUTLINE = 2


@dataclass(frozen=True)
class ViewBox:
    """An SVG viewBox in diagram pixels; ``str(vb)`` / ``vb.attr`` is the attribute text."""

    x: Number
    y: Number
    width: Number
    height: Number

    @property
    def attr(self) -> str:
        """The ``viewBox`` attribute value, e.g. ``"0 0 1000 1000"``."""
        return " ".join(number(v) for v in (self.x, self.y, self.width, self.height))

    def __str__(self) -> str:
        return self.attr

    @property
    def frame(self) -> ViewBox:
        """The box from the diagram's origin (0, 0) to this box's right and bottom edges."""
        return ViewBox(0, 0, self.x + self.width, self.y + self.height)


def points_attr(region: Any) -> str:
    """The SVG ``points`` of a region: its image-map coords, numbers exactly as written."""
    return coords_text(region.points)


#: A muscle's regions' bounds: left, top, right and bottom.
Bounds = tuple[Number, Number, Number, Number]


def bounds(muscle: Muscle) -> Bounds | None:
    """The bounding box of ``muscle``'s regions; None without regions."""
    xs = [x for r in muscle.regions for x, _ in r.points]
    if not xs:
        return None
    ys = [y for r in muscle.regions for _, y in r.points]
    return min(xs), min(ys), max(xs), max(ys)


def fit_viewbox(muscles: Iterable[Muscle], margin: int = 20) -> ViewBox:
    """The bounding box of every region plus ``margin``; 0 0 1000 1000 without regions."""
    return viewbox_around((bounds(m) for m in muscles), margin)


def viewbox_around(boxes: Iterable[Bounds | None], margin: int = 20) -> ViewBox:
    """:func:`fit_viewbox` of the muscles whose :func:`bounds` are ``boxes``, in order
    (of equal numbers written apart, ``10`` and ``10.0``, the first is taken)."""
    found = [box for box in boxes if box is not None]
    if not found:
        return ViewBox(0, 0, *DEFAULT_DIAGRAM)
    left, top = min(b[0] for b in found), min(b[1] for b in found)
    right, bottom = max(b[2] for b in found), max(b[3] for b in found)
    return ViewBox(left - margin, top - margin, right - left + 2 * margin,
                   bottom - top + 2 * margin)


def viewbox_for_size(size: str) -> ViewBox:
    """``"1000x800"`` -> ``ViewBox(0, 0, 1000, 800)``; a usage error otherwise (of the
    option as the caller names it: :func:`~converter.registry.spelling`)."""
    from .lint import parse_size

    try:
        width, height = parse_size(size)
    except ValueError as exc:
        raise error(spelling().option("size"), "bad-size", str(exc)) from None
    return ViewBox(0, 0, width, height)


def xml_clean(text: str) -> str:
    """``text`` with characters XML cannot hold (e.g. U+FFFE) replaced by U+FFFD."""
    return _not_xml().sub("\ufffd", text)


@lru_cache(maxsize=1)
def _not_xml() -> re.Pattern[str]:  # compiled at first use: its character set is slow to build
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text escaped for XML/HTML content or a quoted attribute."""
    return escape(xml_clean(text))


_ATTR_SPACES = str.maketrans({"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def xml_attr(text: str) -> str:
    """Text escaped for a quoted XML/HTML attribute: as :func:`xml_text`, with tab,
    newline and CR as character references, which a parser keeps (written raw, it
    reads each as a space, and the value no longer matches a CSS selector of it)."""
    return xml_text(text).translate(_ATTR_SPACES)


def label(text: str) -> str:
    """Text for an attribute such as ``aria-label``: escaped, whitespace collapsed."""
    return xml_text(" ".join(text.split()))


def words(lang: str) -> dict[str, str]:
    """Fixed page texts (headings, titles) in ``lang``, English when not translated."""
    return _WORDS.get(base_language(lang), _WORDS["en"])


def untranslated(lang: str) -> bool:
    """Whether the fixed texts have no translation into ``lang`` (they are English then,
    and marked so)."""
    return base_language(lang) not in _WORDS


def language(lang: str) -> str:
    """``lang`` when it looks like a language tag, else ``en`` (it lands in attributes)."""
    return lang if _LANG.match(lang) else "en"


def resolve_link(template: str, slug: str) -> str | None:
    """The link of a muscle: ``{slug}`` replaced (nothing else is), or None when unsafe."""
    link = template.replace("{slug}", slug)
    return link if is_safe_link(link) else None


def _image(base_image: str | None, viewbox: ViewBox) -> str:
    if base_image is None or not is_safe_link(base_image):
        return ""
    frame = viewbox.frame
    return (f'<image class="base-image" href="{xml_attr(base_image)}" x="0" y="0" '
            f'width="{number(frame.width)}" height="{number(frame.height)}" '
            'preserveAspectRatio="none"/>\n')


def screen_scale(viewbox: ViewBox) -> float | None:
    """The factor a map, focus image or image map's picture of ``viewbox`` is shown
    scaled by: None (shown at its own size) unless it is larger than :data:`SCREEN`
    either way, then the one that fits it in that, its aspect ratio kept."""
    width, height = coordinate(viewbox.width), coordinate(viewbox.height)
    if width <= 0 or height <= 0 or max(width, height) <= SCREEN:
        return None
    return SCREEN / max(width, height)


def shown_size(viewbox: ViewBox) -> tuple[str, str]:
    """The ``width`` and ``height`` a map or focus image is shown at: the viewBox's own,
    or scaled by its :func:`screen_scale` (whole pixels, at least 1), so a browser
    opening it shows all of it on the first screen."""
    scale = screen_scale(viewbox)
    if scale is None:
        return number(viewbox.width), number(viewbox.height)
    width, height = coordinate(viewbox.width), coordinate(viewbox.height)
    return str(max(1, round(width * scale))), str(max(1, round(height * scale)))


class Extent(NamedTuple):
    """A region's bounds (left, top, right, bottom) and its narrowest width along any
    slant (``across``: :func:`~converter.calipers.narrowest`; a lower bound of it where
    it was measured for a scale it is wide enough at, see :func:`extent`), in diagram
    pixels, as floats: all that tells whether it is :func:`under_a_pixel` (a writer that
    lets its muscles go while the others are read keeps these, see
    :func:`report_extent_dots`)."""

    left: float
    top: float
    right: float
    bottom: float
    across: float


def extent(region: Any, enough: float = math.inf) -> Extent:
    """The :data:`Extent` of a region (each point a :func:`coordinate`). Its ``across``
    is the narrowest width, or, where a cheap lower bound of that
    (:func:`~converter.calipers.width_at_least`) is ``enough`` already (the width a
    region needs to be a pixel across as shown: :func:`enough_across`), that bound: it
    tells as much, and the rotating calipers cost six times as much."""
    points = corners(region)
    xs, ys = [x for x, _ in points], [y for _, y in points]
    least = width_at_least(points)
    across = least if least >= enough * _ROUNDING else narrowest_width(points)
    return Extent(min(xs), min(ys), max(xs), max(ys), across)


#: How much more than ``enough`` a lower bound of a width must be for :func:`extent`
#: to take it: the bound and the width are worked out in other steps, and may differ in
#: their last bits where they are the same width (a region that is a triangle).
_ROUNDING = 1 + 1e-9


def enough_across(*scales: float | None) -> float:
    """The narrowest width, in diagram pixels, at which a region is a CSS pixel across
    or more on a picture shown scaled by each of ``scales`` (:func:`screen_scale`;
    None: one pixel per diagram pixel)."""
    return max(1.0 / (1.0 if scale is None else scale) for scale in scales)


def scaled(box: Extent, scale: float | None) -> Extent:
    """``box`` in the CSS pixels of a picture shown scaled by ``scale`` (a
    :func:`screen_scale`; None: one pixel per diagram pixel)."""
    factor = 1.0 if scale is None else scale
    return Extent(*(side * factor for side in box))


def shown_box(region: Any, scale: float | None) -> Extent:
    """A region's bounds (left, top, right, bottom) in the CSS pixels of a picture shown
    scaled by ``scale`` (a :func:`screen_scale`; None: one pixel per diagram pixel)."""
    return scaled(extent(region), scale)


def under_a_pixel(region: Any, scale: float | None) -> bool:
    """Whether a region shown scaled by ``scale`` is less than a CSS pixel across or
    down, or across at its narrowest along a slant: only its outline (:data:`OUTLINE`)
    shows it, a dot (or a line, when it is longer one way)."""
    return extent_under_a_pixel(extent(region, enough_across(scale)), scale)


def extent_under_a_pixel(box: Extent, scale: float | None) -> bool:
    """:func:`under_a_pixel` of the region whose :data:`Extent` is ``box``."""
    return _boxed_under_a_pixel(box, scale) or scaled(box, scale).across < 1


def _boxed_under_a_pixel(box: Extent, scale: float | None) -> bool:
    """Whether the region of :data:`Extent` ``box`` is less than a pixel across or down
    (its bounding box is), as shown scaled by ``scale``."""
    shown = scaled(box, scale)
    return shown.right - shown.left < 1 or shown.bottom - shown.top < 1


def dot_shape(box: Extent, scale: float | None) -> str:
    """What a region :func:`under_a_pixel` of :data:`Extent` ``box`` is drawn as:
    ``dot`` when it is under a pixel both ways, else ``line``."""
    shown = scaled(box, scale)
    return "dot" if shown.right - shown.left < 1 and shown.bottom - shown.top < 1 else "line"


def _dot_coords(box: Extent, scale: float | None) -> str:
    """The ``coords`` of the rectangle a region :func:`under_a_pixel` across or down,
    of :data:`Extent` ``box``, is drawn as, its outline around it, in whole pixels
    (rounded outward; none left of or above the image): a square for a dot, a bar one
    way for a line."""
    left, top, right, bottom, _ = scaled(box, scale)
    half = OUTLINE / 2
    left, top = max(0, math.floor(left - half)), max(0, math.floor(top - half))
    right, bottom = math.ceil(right + half), math.ceil(bottom + half)
    return coords_text(((left, top), (right, top), (right, bottom), (left, bottom)))


def _slant_coords(region: Any, scale: float | None) -> str:
    """The ``coords`` of the slanted bar a region under a pixel across only along a
    slant is drawn as, a line of its outline: the region's
    :func:`~converter.calipers.whole_pixel_bar` widened by half the outline."""
    factor = 1.0 if scale is None else scale
    points = [(x * factor, y * factor) for x, y in corners(region)]
    return coords_text(whole_pixel_bar(points, OUTLINE / 2))


def area_coords(region: Any, scale: float | None, box: Extent | None = None) -> str:
    """The ``coords`` of a region's HTML ``<area>`` on a picture shown scaled by
    ``scale`` (a :func:`screen_scale`): its points exactly as written when None, else
    each scaled by it and rounded to a whole pixel (an image map's areas are in the
    CSS pixels of the image as shown, not scaled with it); for a region
    :func:`under_a_pixel`, the whole pixels its outline draws it as: the rectangle of
    its dot or line when it is under a pixel across or down, the slanted bar of its
    line when only along a slant (its own points would make an area of no pixel, or
    one a click there misses), or when its points rounded are of no width or height,
    or under a pixel across (a pixel wide, from 1.5 to 2.5, rounds to 2 and 2). ``box``:
    the region's :func:`extent`, when the caller has measured it (it is measured here
    otherwise)."""
    box = extent(region, enough_across(scale)) if box is None else box
    if _boxed_under_a_pixel(box, scale):
        return _dot_coords(box, scale)
    if scaled(box, scale).across < 1:
        return _slant_coords(region, scale)
    if scale is None:
        return points_attr(region)
    rounded = [(round(coordinate(x) * scale), round(coordinate(y) * scale))
               for x, y in region.points]
    xs, ys = {x for x, _ in rounded}, {y for _, y in rounded}
    if len(xs) < 2 or len(ys) < 2:
        return _dot_coords(box, scale)
    if width_at_least(rounded) < 1 and narrowest_width(rounded) < 1:
        return _slant_coords(region, scale)
    return coords_text(rounded)


def _open_svg(viewbox: ViewBox, attrs: str, prolog: bool) -> str:
    """The ``<svg>`` start tag, at its :func:`shown_size`."""
    head = XML_PROLOG if prolog else ""
    width, height = shown_size(viewbox)
    return (f'{head}<svg xmlns="{SVG_NS}" viewBox="{viewbox.attr}" '
            f'width="{width}" height="{height}"{attrs}>\n')


def _polygons(muscle: Muscle) -> str:
    return "".join(f'<polygon points="{points_attr(r)}"/>\n' for r in muscle.regions)


def _piece_polygons(piece: Piece) -> str:
    """The polygons of a piece's regions."""
    return "".join(f'<polygon points="{points_attr(piece.muscle.regions[i])}"/>\n'
                   for i in piece.indices)


#: The look of a region lifted over a larger one (:mod:`converter.layers`): drawn as
#: the muscle's own, which keeps the region (for reading back) but hidden.
LIFT_CSS = """\
.muscle polygon.lifted { visibility: hidden; }
.muscle-lift polygon { fill: #c0392b; fill-opacity: 0.3; stroke: #922b21; stroke-width: 1.5; }
.muscle-lift:focus { outline: none; }
"""


def _lift_css(slug: str) -> str:
    """The rules that highlight a muscle's lifted regions with it and it with them: on
    hover, focus and as the URL's target (one CSS rule per lifted muscle). The slug is
    escaped for CSS as the ``id`` and ``data-lift`` hold it: one built by hand may hold
    anything (``x{}</style><script>``), and it ends no rule, nor the sheet."""
    slug = css_escape(xml_clean(slug))
    own, lifted = f"#muscle-{slug}", f'[data-lift="{slug}"]'
    return (f".muscle-map:has({own}:hover, {own}:focus, {own}:target, {lifted}:hover, "
            f"{lifted}:focus) {lifted} polygon,\n"
            f".muscle-map:has({lifted}:hover, {lifted}:focus) {own} polygon {{\n"
            "  fill: #e67e22; fill-opacity: 0.75; stroke: #1b2631; stroke-width: 3; }\n"
            f".muscle-map:has({own}:focus-visible) {lifted} polygon "
            "{ stroke-dasharray: 6 3; }\n")


def _target(link: str | None, muscle: Muscle, prolog: bool) -> str:
    """The attributes that make a muscle's ``<a>`` a link, or say why it is none."""
    if not muscle.regions:  # (kept for its name: no place to show, click or Tab to)
        return 'aria-hidden="true"'
    if link is None:
        return 'role="img"'
    # (a map file on its own may be embedded: its links lead the whole page)
    return f'href="{xml_attr(link)}"' + (' target="_top"' if prolog else "")


def _own(piece: Piece, link: str | None, prolog: bool) -> str:
    """A muscle's own ``<a>``: its name, id and every region (in order, for reading
    back), those drawn later in a lifted piece hidden here."""
    muscle, slug = piece.muscle, xml_attr(piece.muscle.slug)
    hidden, drawn = ' class="lifted"', frozenset(piece.indices)  # (a set: one look-up each)
    polygons = "".join(
        f'<polygon{"" if i in drawn else hidden} points="{points_attr(region)}"/>\n'
        for i, region in enumerate(muscle.regions))
    return (f'<a class="muscle" id="muscle-{slug}" data-slug="{slug}" '
            f'{_target(link, muscle, prolog)} aria-label="{label(muscle.title)}">\n'
            f"<title>{xml_text(muscle.title)}</title>\n{polygons}</a>\n")


def _lifted(piece: Piece, link: str | None, prolog: bool) -> str:
    """A piece of regions lifted over larger ones: the same link, no Tab stop and
    hidden from assistive technology (the muscle's own ``<a>`` is its one entry)."""
    focus = "" if link is None else ' tabindex="-1"'
    target = "" if link is None else " " + _target(link, piece.muscle, prolog)
    return (f'<a class="muscle-lift" data-lift="{xml_attr(piece.muscle.slug)}"{target}'
            f'{focus} aria-hidden="true">\n<title>{xml_text(piece.muscle.title)}</title>\n'
            f"{_piece_polygons(piece)}</a>\n")


def map_svg(muscles: Sequence[Muscle], viewbox: ViewBox, *, base_image: str | None = None,
            link_template: str = DEFAULT_LINK_TEMPLATE, lang: str = "en",
            prolog: bool = True, pieces: Sequence[Piece] | None = None) -> str:
    """The clickable map of all ``muscles`` (in the order given) as an SVG document.

    Each muscle is an ``<a>`` with ``id="muscle-<slug>"``, ``data-slug``, ``aria-label``,
    a ``<title>`` and its polygons; its ``href`` comes from ``link_template`` and is left
    out when unsafe, and for a muscle without regions (hidden from assistive technology
    too: nothing there to show or follow). A region lying on a larger one of a muscle
    drawn later is drawn again over it, in an ``<a class="muscle-lift">`` of the same
    link (``pieces``: :func:`~converter.layers.drawing_pieces` of ``muscles``, made here
    when not given). ``prolog=False`` gives an element for inlining in HTML.
    """
    pieces = drawing_pieces(muscles) if pieces is None else pieces
    lang = language(lang)
    caption = xml_text(words(lang)["map"])
    # (fixed texts not translated: the map's name is its English title, marked so)
    named = (f' aria-labelledby="{MAP_TITLE_ID}"' if untranslated(lang) else
             f' aria-label="{caption}"')
    title = f' id="{MAP_TITLE_ID}" xml:lang="en"' if untranslated(lang) else ""
    lifted = sorted({p.muscle.slug for p in pieces if not p.first})
    css = MAP_CSS + (LIFT_CSS + "".join(map(_lift_css, lifted)) if lifted else "")
    parts = [_open_svg(viewbox, f' class="muscle-map" xml:lang="{lang}" role="group"{named}',
                       prolog),
             f"<title{title}>{caption}</title>\n<style>\n{css}</style>\n",
             _image(base_image, viewbox)]
    for piece in pieces:
        link = resolve_link(link_template, piece.muscle.slug)
        parts.append((_own if piece.first else _lifted)(piece, link, prolog))
    parts.append("</svg>\n")
    return "".join(parts)


#: Focus images draw every other muscle faintly only up to this many muscles, and only
#: while all muscles' regions have up to :data:`FAINT_POINTS` points in all. Beyond
#: either a diagram says nothing (no body has that many muscles), and the images (and a
#: deck shipping them) would grow with the square of the corpus: 20,000 muscles would
#: take tens of gigabytes, and so would 1,000 muscles of 500 points each. Then each
#: focus image shows its own muscle alone.
FAINT_LIMIT = 1000
#: The most points all muscles' regions may have for focus images to draw them faintly
#: (1,000 muscles of 10 to 20 points, a whole body drawn in detail, stay under it).
FAINT_POINTS = 20000


def region_points(muscles: Iterable[Muscle]) -> int:
    """How many points the regions of ``muscles`` have in all."""
    return sum(len(r.points) for m in muscles for r in m.regions)


def faint_context(count: int, points: int) -> bool:
    """Whether focus images among ``count`` muscles whose regions have ``points`` points
    in all draw the other muscles faintly (:data:`FAINT_LIMIT`, :data:`FAINT_POINTS`)."""
    return count <= FAINT_LIMIT and points <= FAINT_POINTS


def report_faint_limit(count: int, points: int, ctx: WriteContext, out: Path) -> None:
    """Warn (once, naming the output) when ``count`` muscles, or their regions'
    ``points`` points in all, are too many for the faint layer of focus images: none
    is drawn, or (past :data:`~converter.faint.FAINT_NEAR` points) only the muscles
    nearest each image's own."""
    shows = "shows its own muscle only"
    if count > FAINT_LIMIT:
        too_many = f"{count} muscles is more than the {FAINT_LIMIT}"
    elif points > FAINT_POINTS:
        too_many = (f"the muscles' regions have {points} points in all, more than the "
                    f"{FAINT_POINTS}")
    elif points > FAINT_NEAR:
        too_many = (f"the muscles' regions have {points} points in all, more than the "
                    f"{FAINT_NEAR}")
        shows = (f"draws the other muscles nearest its own, up to {FAINT_NEAR} of their "
                 "points, and leaves the farther ones out")
    else:
        return
    ctx.report(Diagnostic(
        output_name(out), None, None, "", "focus-without-context",
        f"{too_many} a focus image draws faintly around its muscle: each focus image "
        f"{shows}", "warning", stream=output_is_stdout(out)))


@dataclass(frozen=True)
class DotWording:
    """How a ``region-under-a-pixel`` warning names the picture the region is a dot of
    (``the map as shown``) and what that dot is to whoever looks at it (``{shape}`` in
    it is :func:`dot_shape`: a dot, or a line)."""

    picture: str
    dot: str


#: The wording of a region under a pixel on a map (and the image map's picture).
MAP_DOT = DotWording("the map as shown", f"it is drawn as a {{shape}} of its {OUTLINE:g}-pixel "
                     "outline, hard to see and to click")


def report_dots(muscles: Iterable[Muscle], viewbox: ViewBox, ctx: WriteContext,
                out: Path) -> None:
    """Warn of each region :func:`under_a_pixel` on the map of ``viewbox`` as shown,
    naming its muscle's file and the region (``coords[i]``, at its line when the run
    finds it): it is drawn as a dot of its outline, which is hard to see and to
    click."""
    enough = enough_across(screen_scale(viewbox))
    report_extent_dots(((m.slug, [extent(r, enough) for r in m.regions])
                        for m in muscles), viewbox, ctx, out, MAP_DOT)


def region_extents(muscles: Iterable[Muscle], enough: float = math.inf
                   ) -> dict[str, list[Extent]]:
    """Each muscle's regions' :data:`Extent` (in order), by slug: measured once for a
    writer's warnings (:func:`report_extent_dots`) and its areas (:func:`area_coords`),
    as :func:`extent` measures them for ``enough``."""
    return {m.slug: [extent(r, enough) for r in m.regions] for m in muscles}


def report_extent_dots(regions: Iterable[tuple[str, Sequence[Extent]]], viewbox: ViewBox,
                       ctx: WriteContext, out: Path, wording: DotWording,
                       unless: ViewBox | None = None) -> None:
    """:func:`report_dots` of each muscle's regions given as (slug, their
    :data:`Extent`), on a picture of ``viewbox`` at its :func:`shown_size`, in
    ``wording`` (a focus image's: it is drawn on the viewBox a map of the same muscles
    is); those under a pixel on the picture of ``unless`` too left out (warned of on
    that one)."""
    scale = screen_scale(viewbox)
    other = None if unless is None else screen_scale(unless)
    for slug, boxes in regions:
        for index, box in enumerate(boxes):
            if extent_under_a_pixel(box, scale) and not (
                    unless is not None and extent_under_a_pixel(box, other)):
                ctx.report(ctx.muscle_diagnostic(
                    slug, f"coords[{index}]", str(out), "region-under-a-pixel",
                    _dot_message(box, viewbox, scale, wording), "warning"))


def _dot_message(box: Extent, viewbox: ViewBox, scale: float | None,
                 wording: DotWording) -> str:
    """What :func:`report_extent_dots` says of a region whose extent is ``box``: its
    size across and down, and its narrowest width too when only that is under a pixel
    (a long sliver along a slant)."""
    shown = scaled(box, scale)
    width, height = shown_size(viewbox)
    fitted = ("" if scale is None else
              f", the diagram's {number(viewbox.width)} x {number(viewbox.height)} pixels "
              f"scaled down to fit {SCREEN}")
    size = f"{_pixels(box.right - box.left)} x {_pixels(box.bottom - box.top)} pixels"
    if _boxed_under_a_pixel(box, scale):
        size += (f" of the diagram, {_pixels(shown.right - shown.left, 2)} x "
                 f"{_pixels(shown.bottom - shown.top, 2)}")
    else:
        size += (f" of the diagram but {_pixels(box.across)} across at its narrowest, "
                 f"{_pixels(shown.across, 2)}")
    return (f"the region is {size} of {wording.picture} ({width} x {height}{fitted}): "
            f"{wording.dot.format(shape=dot_shape(box, scale))}; "
            "draw it larger, or the diagram smaller")


def _pixels(size: float, decimals: int = 10) -> str:
    """A size in pixels as a warning says it: plainly (``1000.5``, never ``1e+03``), to
    at most ``decimals`` places, and one under a pixel with as many places as show it
    is (``0.9996``, not ``1``)."""
    places = decimals
    text = f"{size:.{places}f}".rstrip("0").rstrip(".")
    while (size < 1 and float(text) >= 1) or (size > 0 and float(text) == 0):
        places += 1
        text = f"{size:.{places}f}".rstrip("0").rstrip(".")
    return text


def focus_svg(muscle: Muscle, everyone: Sequence[Muscle], viewbox: ViewBox, *,
              base_image: str | None = None) -> str:
    """A standalone SVG document: ``muscle``'s regions highlighted, every other region of
    ``everyone`` faint (up to :data:`FAINT_LIMIT` muscles and :data:`FAINT_POINTS`
    points: :func:`faint_context`; past :data:`~converter.faint.FAINT_NEAR` points the
    muscles nearest it: :func:`~converter.faint.faint_around`), on the same ``viewbox``
    (deterministic, escaped, no script)."""
    return next(focus_svgs([muscle], everyone, viewbox, base_image=base_image))[1]


def focus_svgs(focus: Iterable[Muscle], everyone: Sequence[Muscle], viewbox: ViewBox, *,
               base_image: str | None = None) -> Iterator[tuple[Muscle, str]]:
    """(muscle, its :func:`focus_svg`) of each of ``focus``, each muscle's polygons made
    text once for all of them (once per image was n² below the faint limit: 1,000
    muscles took seconds)."""
    shown = faint_context(len(everyone), region_points(everyone))
    faint = [outline(m) for m in everyone] if shown else []
    for muscle in focus:
        yield muscle, _focus_document(outline(muscle), faint, viewbox, base_image)


@dataclass(frozen=True, slots=True)
class Outline:
    """What a focus image draws of a muscle (a small part of it: a writer that keeps
    these, not the muscles, lets the muscles' texts go)."""

    slug: str
    title: str
    #: Its regions as SVG ``<polygon>`` elements.
    polygons: str
    #: How many points its regions have in all.
    points: int
    #: Their bounds, as floats (:func:`~converter.layers.coordinate`); None without regions.
    box: Box | None


def outline(muscle: Muscle) -> Outline:
    """The :class:`Outline` of ``muscle``."""
    found = bounds(muscle)
    box = None if found is None else (
        coordinate(found[0]), coordinate(found[1]), coordinate(found[2]), coordinate(found[3]))
    return Outline(muscle.slug, muscle.title, _polygons(muscle), region_points([muscle]), box)


class FocusImages(Mapping[str, str]):
    """The focus image of each of ``drawn`` by slug, the outlines of every muscle with
    regions among ``count`` muscles (:func:`focus_svgs` of them, from what a writer
    kept), each drawn when asked for and not kept: all at once were as large as a
    deck's media (260 MB for 1,000 muscles of 20 points)."""

    def __init__(self, drawn: Sequence[Outline], count: int, viewbox: ViewBox) -> None:
        self._shapes = {shape.slug: shape for shape in drawn}
        shown = faint_context(count, sum(shape.points for shape in drawn))
        self._faint = drawn if shown else []
        self._viewbox = viewbox

    def __getitem__(self, slug: str) -> str:
        return _focus_document(self._shapes[slug], self._faint, self._viewbox, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._shapes)

    def __len__(self) -> int:
        return len(self._shapes)


def _focus_document(shape: Outline, faint: Sequence[Outline], viewbox: ViewBox,
                    base_image: str | None) -> str:
    near = faint_around(shape, [other for other in faint if other.slug != shape.slug])
    others = "".join(other.polygons for other in near)
    return "".join([
        _open_svg(viewbox, f' class="muscle-focus" role="img" aria-label="{label(shape.title)}"',
                  True),
        f"<title>{xml_text(shape.title)}</title>\n",
        NON_SCALING,
        _image(base_image, viewbox),
        '<g class="others" fill="#7f8c8d" fill-opacity="0.2" stroke="#7f8c8d" '
        f'stroke-opacity="0.6" stroke-width="1">\n{others}</g>\n',
        f'<g class="focus" data-slug="{xml_attr(shape.slug)}" fill="#d62828" '
        f'fill-opacity="0.75" stroke="#7b1010" stroke-width="{FOCUS_OUTLINE:g}">\n'
        f"{shape.polygons}</g>\n",
        "</svg>\n",
    ])


def diagram_svg(muscles: Sequence[Muscle], frame: ViewBox, *, lang: str = "en",
                pieces: Sequence[Piece] | None = None) -> str:
    """A plain picture of all regions on ``frame`` (its viewBox, one unit per diagram
    pixel, shown at its :func:`shown_size`): the image behind a classic HTML ``<img
    usemap>`` when no base image is given, its areas' :func:`area_coords` scaled alike;
    each region once, in the map's order (``pieces`` of ``muscles``, made here when not
    given)."""
    caption = xml_text(words(language(lang))["map"])
    pieces = drawing_pieces(muscles) if pieces is None else pieces
    shapes = "".join(map(_piece_polygons, pieces))
    written_in = "en" if untranslated(language(lang)) else language(lang)
    return "".join([
        _open_svg(frame, f' xml:lang="{written_in}" role="img" aria-label="{caption}"', True),
        f"<title>{caption}</title>\n",
        NON_SCALING,
        f'<g fill="#c0392b" fill-opacity="0.3" stroke="#922b21" stroke-width="1.5">\n'
        f"{shapes}</g>\n</svg>\n",
    ])


# ---- what the writers share: options, checks, diagnostics ------------------------------


@dataclass(frozen=True)
class MapSettings:
    """The checked writer options of a diagram-drawing format."""

    viewbox: ViewBox
    link_template: str
    lang: str
    #: The base image as written in the output (a URL, or the copy's file name).
    base_image: str | None = None
    #: A local file to copy into the output directory as ``base_image``.
    base_file: Path | None = None
    #: The base image's size, when given with ``--size``.
    sized: bool = False


def check_map_options(options: Mapping[str, Any]) -> None:
    """Raise for a bad ``--lang`` or ``--size``, an empty ``--base-image`` or one
    without ``--size``, a ``--link-template`` or ``--base-image`` link that is not
    relative, http or https,
    and a local ``--base-image`` that can run script (a diagram format's
    :meth:`~converter.registry.Format.check_options`), each option named as the caller
    names it (:func:`~converter.registry.spelling`)."""
    size, named = options.get("size"), spelling()
    base = options.get("base_image")
    if base is not None and not str(base):  # (not the working folder: Path("") is)
        raise error(named.option("base_image"), "bad-option",
                    "an empty path names no file or folder")
    if base is not None and size is None:
        raise error(named.option("base_image"), "base-image-needs-size",
                    f"needs {named.given('size', 'WxH')}, the diagram's size in pixels")
    lang = options.get("lang")
    if lang is not None and not _LANG.match(str(lang)):
        raise error(named.option("lang"), "bad-language", f"{lang!r} is not a language tag "
                    "such as da or en")
    if size is not None:
        viewbox_for_size(str(size))
    template = options.get("link_template")
    # (a slug holds no ":", so whether a link has a scheme does not depend on it)
    if template is not None and resolve_link(str(template), "x") is None:
        raise error(named.option("link_template"), "unsafe-link", f"{template!r} makes "
                    "links that are not relative, http or https")
    local = None if base is None else _local_file(str(base))
    if base is not None and local is None and not is_safe_link(str(base)):
        raise error(named.option("base_image"), "unsafe-link", f"{base!r} is neither a "
                    "file here nor a relative, http or https link")
    name = None if local is None else copy_name(local)
    if local is not None and name is None:
        raise error(named.option("base_image"), "unsafe-base-image", f"{local}: neither "
                    f"its ending ({ending(local) or 'none'}) nor its first bytes are a "
                    "picture's that a browser shows only as a picture, and its copy could "
                    "open as a page that runs script, so it is not copied (nothing is read "
                    "or written): give a PNG, JPEG, GIF, WebP, AVIF, BMP, ICO or SVG file")
    if local is not None and name is not None:
        _refuse_script(local, named.option("base_image"), name.endswith((".svg", ".svgz")))


def _local_file(base: str) -> Path | None:
    """The file ``--base-image`` names, if it names one and no URL with a host: a name
    such as ``body:v2.png`` is a file when there is one (it is copied, and linked by its
    name in the output, so its "scheme" never reaches a link)."""
    local = Path(base)
    try:
        host = urlsplit(base).netloc
    except ValueError:  # ("http://[x": no URL; a file only if there is one)
        host = ""
    if base.startswith("//") or host or not local.is_file():
        return None
    return local


def map_settings(muscles: Sequence[Muscle], ctx: WriteContext, out: Path) -> MapSettings:
    """Check the diagram options (:func:`check_map_options`); warn of a ``--base-image``
    that looks like a file (a relative path) but is none, here or beside the output.
    Options are named as the caller names them (:func:`~converter.registry.spelling`)."""
    check_map_options(ctx.options)
    named = spelling()
    size = ctx.option("size")
    base = ctx.option("base_image")
    lang = str(ctx.option("lang", "en"))
    viewbox = viewbox_for_size(str(size)) if size is not None else fit_viewbox(muscles)
    settings = MapSettings(viewbox, str(ctx.option("link_template", DEFAULT_LINK_TEMPLATE)),
                           lang, sized=size is not None)
    if untranslated(lang):
        ctx.report(Diagnostic(output_name(out), None, None, named.option("lang"),
                              "untranslated-language",
                              f"the map's own texts (title, headings) have no {lang!r} "
                              f"translation ({', '.join(sorted(_WORDS))} have one): they "
                              "are in English, marked as such", "warning",
                              stream=output_is_stdout(out)))
    if "{slug}" not in settings.link_template:
        template = named.given("link_template", settings.link_template, quoted=True)
        ctx.report(Diagnostic(output_name(out), None, None, named.option("link_template"),
                              "link-without-slug", f"{template} has no {{slug}}: every "
                              "muscle links to the same place", "warning",
                              stream=output_is_stdout(out)))
    if base is None:
        return settings
    base = str(base)
    local = _local_file(base)
    if local is not None:
        return replace(settings, base_image=copy_name(local), base_file=local)
    beside = beside_output(out, base)  # (out itself may not be there yet)
    old = beside is not None and last_runs(out, beside)
    if beside is not None and (old or not os.path.exists(beside)):
        where = (f"beside the output only as {os.path.basename(beside)}, a file the last "
                 "run wrote, which this run replaces or removes" if old else
                 "nor beside the output")
        ctx.report(Diagnostic(output_name(out), None, None, named.option("base_image"),
                              "base-image-not-found",
                              f"{named.given('base_image', base, quoted=True)} is no file "
                              f"here, {where}; it is written as a link, as given",
                              "warning", stream=output_is_stdout(out)))
    return replace(settings, base_image=base)


def _refuse_script(local: Path, option: str, svg: bool) -> None:
    """Raise one ``unsafe-base-image`` usage error, naming the file and line, when the
    local base image can run script as a browser opens it
    (:func:`converter.svgscript.script_in`): its copy in the output would."""
    from .svgscript import script_in  # (it reads SVG as svgtree does, which needs this)

    try:
        found = script_in(local, svg)
    except OSError:  # (the copy says it)
        return
    if found is not None:
        line, what = found
        where = str(local) if line is None else f"{local}:{line}"
        raise error(option, "unsafe-base-image", f"{where}: {what}; no output of "
                    "muscle-convert holds script, so it is not copied (nothing is read or "
                    "written): remove that from the picture, or give a PNG or JPEG")


def copy_base_image(settings: MapSettings, directory: Path) -> None:
    """Copy a local base image into the output directory under its output name."""
    if settings.base_file is not None and settings.base_image is not None:
        copy_picture(settings.base_file, directory / settings.base_image)


def check_muscles(muscles: Sequence[Muscle], settings: MapSettings, ctx: WriteContext,
                  fallback: Path, fields: tuple[str, ...] = ("title",)) -> None:
    """Report each of the ``fields`` the writer writes (text or None) that holds
    characters XML cannot store (they are replaced), naming the muscle's source file.
    (Links need no check per muscle: a template safe for one slug is safe for all,
    :func:`check_map_options`.)"""
    for muscle in muscles:
        for name in fields:
            text = getattr(muscle, name)
            if text is not None and xml_clean(text) != text:
                ctx.report(ctx.muscle_diagnostic(
                    muscle.slug, name, str(fallback), "not-xml-character",
                    f"{name} holds characters XML cannot store; replaced by U+FFFD",
                    "warning"))


def drawing_order(muscles: Iterable[Muscle]) -> list[Muscle]:
    """The muscles in the order a map draws them: those of the largest region first, so
    that a muscle lying on another (gluteus medius partly under maximus, one drawn
    inside another) is drawn over it and takes the clicks there (an SVG's last shape is
    on top); by slug among equals. (By its largest region, not all of them: a muscle of
    two sides lying on one of one side is still drawn over it.) A region smaller than
    its muscle's largest may lie on a larger one of a muscle drawn later: the map draws
    it again over that one (:func:`~converter.layers.drawing_pieces`). An image map
    lists its areas in the reverse order (a browser takes the first): both maps agree."""
    return [muscle for muscle, _ in _measured(muscles)]


def drawing_plan(muscles: Iterable[Muscle]) -> tuple[list[Muscle], list[Piece]]:
    """The muscles in :func:`drawing_order` and their
    :func:`~converter.layers.drawing_pieces`, each region's area computed once for both."""
    measured = _measured(muscles)
    drawn = [muscle for muscle, _ in measured]
    return drawn, drawing_pieces(drawn, [areas for _, areas in measured])


def _measured(muscles: Iterable[Muscle]) -> list[tuple[Muscle, list[float]]]:
    """(muscle, its region areas) in :func:`drawing_order`."""
    return sorted(((m, region_areas(m)) for m in muscles),
                  key=lambda pair: (-max(pair[1], default=0), pair[0].slug))


def sorted_muscles(muscles: Iterable[Muscle], keep: frozenset[str]) -> list[Muscle]:
    """The muscles sorted by slug (the order of every diagram output), each with only
    the fields ``keep`` (the writer's: a diagram needs no texts, which are most of a
    muscle's memory; 250 MB for 20,000 muscles kept whole)."""
    return sorted((m.project(keep) for m in muscles), key=lambda m: m.slug)

