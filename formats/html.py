"""A self-contained web page of the muscle map (writer only).

``index.html`` shows the SVG map inline beside a list of muscles linking to their
regions, plus a classic ``<img usemap>`` with ``<area shape="poly">`` elements for
sites built on HTML image maps. No script and no external resources: the page works
opened from disk without a network. The markup is also well-formed XML.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from converter import bodymap
from converter.atomic import output_file
from converter.atomic_folder import atomic_directory, save_text
from converter.baseimage import stretched_link
from converter.bodymap import Extent, MapSettings, ViewBox, label, xml_attr, xml_text
from converter.diagnostics import counted
from converter.layers import Piece, drawing_pieces
from converter.model import Muscle
from converter.registry import Format, WriteContext
from converter.selflinks import report_self_links

INDEX = "index.html"
DIAGRAM = "diagram.svg"

#: The wording of a region under a pixel on the image map's picture only: it is the
#: diagram from its origin, shown smaller than the map when it is larger than a screen.
IMAGE_MAP_DOT = bodymap.DotWording("the image map's picture as shown", bodymap.MAP_DOT.dot)

#: The page's style. The inline map shrinks to the page's width; the image map's
#: picture cannot (a browser takes its areas' coords in the picture's own pixels, not
#: scaled when CSS shrinks it): on a narrow screen it scrolls sideways in its own box,
#: ``.image-map``, and the page does not.
PAGE_CSS = """\
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b2631;
  overflow-wrap: anywhere; }
.layout { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.layout figure { margin: 0; flex: 1 1 30rem; }
.layout svg { max-width: 100%; max-height: 80vh; width: auto; height: auto; }
.latin { font-style: italic; color: #566573; }
.image-map { max-width: 100%; overflow-x: auto; margin: 1rem 0; }
img[usemap] { display: block; max-width: none; outline: 1px solid #d5d8dc;
  outline-offset: -1px; }
"""


class HtmlFormat(Format):
    name = "html"
    description = "web page (index.html): inline SVG map, muscle list and <img usemap> map"
    extensions = (".html",)  # (written inside its directory, never read)
    directory_marker = INDEX
    carries = frozenset({"slug", "title", "latin", "regions"})
    options = bodymap.MAP_OPTIONS

    def writes_directory(self, options: Mapping[str, Any]) -> bool:
        return True

    def check_options(self, options: Mapping[str, Any]) -> None:
        bodymap.check_map_options(options)

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> str:
        items = bodymap.sorted_muscles(muscles, self.carries)
        settings = bodymap.map_settings(items, ctx, out)
        shown = output_file(out, INDEX)  # (the page's file; standard output so)
        bodymap.check_muscles(items, settings, ctx, shown, ("title", "latin"))
        frame = _whole_pixels(settings.viewbox.frame)
        enough = bodymap.enough_across(bodymap.screen_scale(settings.viewbox),
                                       bodymap.screen_scale(frame))
        extents = bodymap.region_extents(items, enough)  # (for the warnings and the areas)
        bodymap.report_extent_dots(extents.items(), settings.viewbox, ctx, shown,
                                   bodymap.MAP_DOT)
        bodymap.report_extent_dots(extents.items(), frame, ctx, shown, IMAGE_MAP_DOT,
                                   unless=settings.viewbox)
        report_self_links(items, settings.link_template, out, INDEX, ctx,
                          itself="the map's page itself", folder_served=True)
        image = settings.base_image or DIAGRAM
        if settings.base_image is not None and settings.base_file is None:
            image = stretched_link(image)  # (a link: a copy says on its root it is)
        drawn, pieces = bodymap.drawing_plan(items)
        with atomic_directory(out) as tmp:
            bodymap.copy_base_image(settings, tmp)
            if settings.base_image is None:
                save_text(tmp / DIAGRAM, bodymap.diagram_svg(drawn, frame, lang=settings.lang,
                                                         pieces=pieces))
            save_text(tmp / INDEX, page(items, settings, image, frame, drawn, pieces,
                                    extents))
        return f"wrote {INDEX} with {counted(len(items), 'muscles')} to {out}"


def _whole_pixels(box: ViewBox) -> ViewBox:
    """HTML image sizes are whole pixels: round the frame's far edges up."""
    return ViewBox(0, 0, math.ceil(box.width), math.ceil(box.height))


def page(muscles: Sequence[Muscle], settings: MapSettings, image: str, frame: ViewBox,
         drawn: Sequence[Muscle] | None = None, pieces: Sequence[Piece] | None = None,
         extents: Mapping[str, Sequence[Extent]] | None = None) -> str:
    """The text of ``index.html`` listing ``muscles`` (by slug); ``image`` is the
    ``<img usemap>`` source, drawn on ``frame`` and shown at its
    :func:`~converter.bodymap.shown_size`, every ``<area>`` the region's
    :func:`~converter.bodymap.area_coords` on it (its coords exactly as written when the
    frame is at most a screen large, else scaled alike); ``drawn``: the muscles in
    :func:`~converter.bodymap.drawing_order`, ``pieces``: their
    :func:`~converter.layers.drawing_pieces`, ``extents``: each muscle's
    :func:`~converter.bodymap.region_extents` (each made here when not given)."""
    if drawn is None:
        drawn, planned = bodymap.drawing_plan(muscles)
        pieces = planned if pieces is None else pieces
    pieces = drawing_pieces(drawn) if pieces is None else pieces
    words = bodymap.words(settings.lang)
    width, height = bodymap.shown_size(frame)
    mark = ' lang="en" xml:lang="en"' if bodymap.untranslated(settings.lang) else ""
    inline = bodymap.map_svg(drawn, settings.viewbox,
                             base_image=settings.base_image,
                             link_template=settings.link_template, lang=settings.lang,
                             prolog=False, pieces=pieces)
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{settings.lang}" '
        f'xml:lang="{settings.lang}">\n<head>\n<meta charset="utf-8"/>\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n',
        f"<title{mark}>{xml_text(words['map'])}</title>\n<style>\n{PAGE_CSS}</style>\n"
        "</head>\n",
        f"<body>\n<main>\n<h1{mark}>{xml_text(words['map'])}</h1>\n",
        f'<div class="layout">\n<figure>\n{inline}</figure>\n',
        '<nav aria-labelledby="muscles-heading">\n'
        f'<h2 id="muscles-heading"{mark}>{xml_text(words["muscles"])}</h2>\n'
        f"<ul>\n{_list(muscles)}</ul>\n</nav>\n</div>\n",
        f"<h2{mark}>{xml_text(words['image_map'])}</h2>\n",
        f'<div class="image-map"><img src="{xml_attr(image)}" usemap="#muscles" '
        f'width="{width}" height="{height}" alt="{xml_attr(words["map"])}"{mark}/></div>\n',
        '<map name="muscles">\n',
        _areas(pieces, settings.link_template, frame, extents), "</map>\n",
        "</main>\n</body>\n</html>\n",
    ])


def _list(muscles: Sequence[Muscle]) -> str:
    """The page's list of muscles: each name and Latin name isolated (``dir="auto"``),
    so that no text's bidi controls (a right-to-left override) reorder the other."""
    rows = []
    for muscle in muscles:
        latin = (f' <span class="latin" lang="la" dir="auto">{xml_text(muscle.latin)}</span>'
                 if muscle.latin else "")
        name = (f'<a href="#muscle-{xml_attr(muscle.slug)}" dir="auto">'
                f'{xml_text(muscle.title)}</a>'
                if muscle.regions else  # (not on the map: nothing there to lead to)
                f'<span class="unmapped" dir="auto">{xml_text(muscle.title)}</span>')
        rows.append(f"<li>{name}{latin}</li>\n")
    return "".join(rows)


def _areas(pieces: Sequence[Piece], link_template: str, frame: ViewBox,
           extents: Mapping[str, Sequence[Extent]] | None) -> str:
    """The ``<area>`` of every region on the picture of ``frame``, piece by piece in the
    reverse of the SVG map's drawing order (``pieces``): of areas that overlap, a
    browser takes the first, as the SVG map's last drawn shape takes the click, so a
    click lands on the same muscle in both (a region lifted over a larger one comes
    before it here too). ``extents``: the regions' extents
    (:func:`~converter.bodymap.region_extents`), or None to measure them here."""
    scale = bodymap.screen_scale(frame)
    rows = []
    for piece in reversed(pieces):
        muscle = piece.muscle
        link = bodymap.resolve_link(link_template, muscle.slug)
        href = f' href="{xml_attr(link)}"' if link is not None else ""
        boxes = None if extents is None else extents[muscle.slug]
        for i in piece.indices:
            box = None if boxes is None else boxes[i]
            rows.append(f'<area shape="poly" coords="'
                        f'{bodymap.area_coords(muscle.regions[i], scale, box)}"'
                        f'{href} alt="{label(muscle.title)}"/>\n')
    return "".join(rows)
