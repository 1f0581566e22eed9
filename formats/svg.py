"""SVG image maps: ``map.svg`` of all muscles plus one focus image per muscle (lossy).

``map.svg`` holds each muscle as an ``<a data-slug=...>`` with a ``<title>`` and its
polygons, so reading it back recovers slug, title and regions exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter import bodymap
from converter.atomic import output_file
from converter.atomic_folder import atomic_directory, safe_child, save_text
from converter.authoring import muscle_from_front_matter
from converter.canonical import model_field
from converter.diagnostics import Diagnostic, MuscleError, counted, error, wide_encoding
from converter.model import Muscle
from converter.registry import Format, Place, ReadContext, WriteContext
from converter.selflinks import report_self_links
from converter.slug import STAND_IN_SLUG, device_name, is_slug, not_a_slug
from converter.svgdom import SVG, local_name, points

if TYPE_CHECKING:  # (the SVG reader's modules are imported when a map is read)
    from converter.svgtree import Tree

MAP_NAME = "map.svg"
#: What marks a muscle map in its text, as the reader tells one: the class muscle-map
#: (of its root), or an ``<a>`` with a data-slug.
_MAP_MARKS = re.compile(rb"<(?:[\w.-]+:)?a\s[^>]*?\bdata-slug\s*="
                        rb"""|\bclass\s*=\s*["'][^"']*\bmuscle-map\b""")
#: A field of a muscle of a map, as its diagnostics name it: ``a[3]`` or
#: ``muscles[<slug>]``, then what of it (``.regions[0]``, ``.title``...).
_FIELD_PLACE = re.compile(r"(?:a\[(\d+)\]|muscles\[([^\]]*)\])"
                          r"(?:\.([\w-]+)(?:\[(\d+)\])?)?")
#: How much of an SVG file a search found is looked at for those marks.
_SNIFFED = 1 << 20


class SvgFormat(Format):
    name = "svg"
    description = "SVG image map (map.svg) plus a focus image per muscle, in a directory"
    extensions = (".svg",)
    validates = True
    directory_marker = MAP_NAME
    carries = frozenset({"slug", "title", "regions"})
    options = bodymap.MAP_OPTIONS

    def writes_directory(self, options: Mapping[str, Any]) -> bool:
        return True

    def companions(self, path: Path) -> list[Path]:
        return [path / MAP_NAME] if path.is_dir() else []

    def field_name(self, field: str) -> str:
        """A muscle's polygons are its ``regions`` here, as the map's errors name them."""
        return model_field(field)

    def check_options(self, options: Mapping[str, Any]) -> None:
        bodymap.check_map_options(options)

    def places(self, path: Path) -> Callable[[str], Place | None]:
        """Where a field of a muscle of the map at ``path`` (the file, or its folder) is:
        in ``map.svg``, at the ``<a>`` (``a[N]`` or ``muscles[<slug>]``), its ``<title>``
        or its N-th polygon (``.regions[N]``), line and column; the map at no line when
        the field names nothing there (the reader says what is wrong with a bad map)."""
        from defusedxml import DefusedXmlException

        from converter.svgtree import parse

        target = path / MAP_NAME if path.is_dir() else path
        try:
            tree: Tree | None = parse(target.read_bytes(), target)
        except (SyntaxError, DefusedXmlException, MuscleError, OSError, ValueError,
                RecursionError):  # (not XML, forbidden, unreadable: the reader said why)
            tree = None
        links = [] if tree is None else list(tree.root.iter(f"{SVG}a"))
        slugged = {}
        for link in reversed(links):  # (the first of a slug given twice)
            if link.get("data-slug") is not None:
                slugged[link.get("data-slug")] = link

        def place(field: str) -> Place | None:
            found = _FIELD_PLACE.match(field)
            if tree is None or found is None:
                return Place(str(target), None, None, field)
            index, slug, part, number = found.groups()
            link = slugged.get(slug) if index is None else (
                links[int(index)] if int(index) < len(links) else None)
            element = link
            if link is not None and part == "title":
                element = link.find(f"{SVG}title")
            elif link is not None and part == "regions" and number is not None:
                polygons = list(link.iter(f"{SVG}polygon"))
                element = polygons[int(number)] if int(number) < len(polygons) else link
            element = link if element is None else element
            return Place(str(target), tree.lines.get(element), tree.columns.get(element),
                         field)

        return place

    def places_file(self, path: Path) -> Path | None:
        """Every field is placed in ``map.svg`` by its text alone."""
        return path / MAP_NAME if path.is_dir() else path

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """``field`` (``muscles[<slug>].slug``) of the muscle read from the map's
        ``mark``-th ``<a>`` (from 0), as :meth:`places` places it: the later of two of one
        slug is the one said to be given twice."""
        of_link = re.sub(r"^muscles\[[^\]]*\]", f"a[{mark}]", field, count=1)
        found = self.places(path)(of_link) if of_link != field else None
        return None if found is None else found._replace(field=field)

    def is_own(self, path: Path) -> bool:
        """Whether an SVG file a search found (or the map.svg of a folder) is a muscle
        map: its first megabyte holds the marks of one (:data:`_MAP_MARKS`). An icon,
        a focus image or the html format's diagram.svg is not; a map gone bad is (the
        reader says what is wrong with it)."""
        try:
            with open(path / MAP_NAME if path.is_dir() else path, "rb") as fh:
                head = fh.read(_SNIFFED)
        except OSError:
            return True
        # (one in UTF-16 or UTF-32 cannot be told by its bytes: its reader says what it is)
        return wide_encoding(head) is not None or _MAP_MARKS.search(head) is not None

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        target = path / MAP_NAME if path.is_dir() else path
        tree = _parse(target, ctx)
        root = tree.root
        classes = (root.get("class") or "").split()
        if "muscle-map" not in classes and not any(
                a.get("data-slug") is not None for a in root.iter(f"{SVG}a")):
            raise error(str(target), "not-a-muscle-map", "is a focus image of one muscle, not "
                        f"the map: read {MAP_NAME} beside it" if "muscle-focus" in classes
                        else "holds no muscle map (no <a data-slug> and no "
                        'class="muscle-map")')
        _check_sheets(tree, str(target))
        muscles = []
        slugs = {a.get("data-slug") for a in root.iter(f"{SVG}a") if a.get("data-slug")
                 is not None}
        for index, element in enumerate(root.iter(f"{SVG}a")):
            slug = element.get("data-slug")
            # (no data-slug: another link, or a muscle-lift piece, a copy of regions its
            # muscle's own <a> holds; unless it says it is a muscle's, or names none)
            if slug is None:
                unlinked = _unlinked(element, f"a[{index}]", str(target), tree, slugs)
                if unlinked is not None:
                    ctx.report(unlinked)
                continue
            try:
                muscles.append((_muscle(element, slug, str(target), f"a[{index}]", tree),
                                index))
            except MuscleError as exc:  # (and the lints of its valid fields)
                for diagnostic in [*exc.diagnostics, *ctx.lints(exc, f"a[{index}]")]:
                    ctx.report(diagnostic)
        # (by slug, as written: the map draws them largest first, bodymap.drawing_order;
        # each marked by its <a>, where a slug given twice is said: marked_place)
        for muscle, index in sorted(muscles, key=lambda pair: pair[0].slug):
            ctx.mark = index
            yield muscle

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> str:
        items = bodymap.sorted_muscles(muscles, self.carries)
        settings = bodymap.map_settings(items, ctx, out)
        shown = output_file(out, MAP_NAME)  # (the map's file; standard output so)
        bodymap.check_muscles(items, settings, ctx, shown)
        bodymap.report_dots(items, settings.viewbox, ctx, shown)
        bodymap.report_faint_limit(len(items), bodymap.region_points(items), ctx, out)
        report_self_links(items, settings.link_template, out, MAP_NAME, ctx,
                          itself="the map itself")
        focus = []
        for muscle in items:
            refused = device_name(muscle.slug, f"{muscle.slug}.svg") if muscle.regions \
                else None
            if f"{muscle.slug}.svg" == MAP_NAME and muscle.regions:  # (no image else)
                refused = f"a focus image {muscle.slug}.svg would replace {MAP_NAME}; it is " \
                    "not written"
            if refused is not None:
                ctx.report(ctx.muscle_diagnostic(muscle.slug, "slug", str(out),
                                                 "reserved-name", refused))
            elif muscle.regions:
                focus.append(muscle)
        with atomic_directory(out) as tmp:
            bodymap.copy_base_image(settings, tmp)
            drawn, pieces = bodymap.drawing_plan(items)
            save_text(tmp / MAP_NAME, bodymap.map_svg(
                drawn, settings.viewbox, base_image=settings.base_image,
                link_template=settings.link_template, lang=settings.lang, pieces=pieces))
            for muscle, drawing in bodymap.focus_svgs(focus, items, settings.viewbox,
                                                      base_image=settings.base_image):
                save_text(safe_child(tmp, f"{muscle.slug}.svg"), drawing)
        return f"wrote {MAP_NAME} and {counted(len(focus), 'focus images')} to {out}"


#: What defusedxml refuses, by its exception's name.
_FORBIDDEN = {"EntitiesForbidden": "an entity declaration (<!ENTITY ...>)",
              "DTDForbidden": "a document type declaration (<!DOCTYPE ...>)",
              "ExternalReferenceForbidden": "a reference to an external file",
              "NotSupportedError": "an XML feature this reader does not take"}


def _parse(path: Path, ctx: ReadContext) -> Tree:
    """The parsed SVG file, or one diagnostic saying why there is none."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    from converter.svgtree import parse

    name = str(path)
    raw = ctx.read_bytes(path)
    try:
        tree = parse(raw, path)
    except ParseError as exc:  # (its place in the diagnostic; expat counts columns from 0)
        line, column = getattr(exc, "position", (None, None))
        message = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise error(name, "bad-svg", f"is not well-formed XML: {message}", line=line,
                    column=None if column is None else column + 1) from None
    except DefusedXmlException as exc:
        feature = _FORBIDDEN.get(type(exc).__name__, type(exc).__name__)
        raise error(name, "bad-svg", f"uses a forbidden XML feature: {feature}, which "
                    "could make a reader fetch files or expand text without end") from None
    if tree.root.tag != f"{SVG}svg":
        raise error(name, "bad-svg", "is not an SVG document (the root must be <svg>)")
    return tree


def _check_sheets(tree: Tree, path: str) -> None:
    """One ``bad-svg`` error, at its line, for the first ``<style>`` sheet that sets a
    transform, a clip path or a mask, or imports another sheet: which polygons its rules
    apply to (all, for all the reader knows) is not worked out, so no muscle of the map
    can be placed. A sheet linked by ``<?xml-stylesheet?>`` is not read: it may set
    one."""
    from converter.svgshown import sheet_problem

    if tree.linked_sheets:
        raise error(path, "bad-svg", "<?xml-stylesheet?> links a style sheet the reader "
                    "does not read, which may set a transform: which polygons it moves the "
                    "reader does not work out, so none can be placed; the map is not read. "
                    "Remove the link and write the points where they are drawn",
                    line=tree.linked_sheets[0])
    for sheet in tree.root.iter(f"{SVG}style"):
        does = sheet_problem("".join(sheet.itertext()), tree)
        if does:
            raise error(path, "bad-svg", f"<style> {does}: which polygons its rules "
                        "apply to the reader does not work out, so none can be placed; the "
                        "map is not read. Remove that from the style sheet, with the points "
                        "written where they are drawn", line=tree.lines.get(sheet))


def _unlinked(element: Any, where: str, path: str, tree: Tree,
              slugs: set[str]) -> Diagnostic | None:
    """The error of an ``<a>`` with no data-slug that is a muscle's (``class="muscle"``),
    or a ``muscle-lift`` piece whose ``data-lift`` names no muscle of the map (one of
    ``slugs``), or None: another link."""
    classes = (element.get("class") or "").split()
    if "muscle" in classes:
        return Diagnostic(path, None, None, where, "missing-field", 'a muscle\'s <a class='
                          '"muscle"> has no data-slug; it is left out')
    lift = element.get("data-lift")
    if "muscle-lift" not in classes or lift in slugs:
        return None
    named = ("has no data-lift, so names" if lift is None else
             f"has data-lift={lift!r}, which names")
    return Diagnostic(path, tree.lines.get(element), None, f"{where}.data-lift", "bad-svg",
                      f'<a class="muscle-lift"> {named} no muscle of the map (no <a '
                      "data-slug> of it): the regions it draws over other muscles, where "
                      "they take the clicks, are of no muscle the reader reads; it is left out")


def _muscle(element: Any, slug: str, path: str, where: str, tree: Tree) -> Muscle:
    """One ``<a data-slug>`` of a map back to a muscle (slug, title and regions). One
    that is not valid raises all its problems, with the muscle of its valid fields (a
    bad slug's is checked with a stand-in) whose lints are said beside them."""
    problems = [] if is_slug(slug) else [
        Diagnostic(path, None, None, where, "bad-slug", f"data-slug {not_a_slug(slug)}")]
    problems += _unread(element, slug, tree, path, where)
    title = element.find(f"{SVG}title")
    coords = [points(p) for p in element.iter(f"{SVG}polygon")]
    checked = slug if is_slug(slug) else STAND_IN_SLUG
    # (all of its text: an editor may have put markup in it, <tspan>, whose text is kept)
    front = {"slug": checked, "title": None if title is None else "".join(title.itertext()),
             "coords": coords}
    try:
        muscle = muscle_from_front_matter(front, path=path, slug_hint=checked)
    except MuscleError as exc:
        raise MuscleError([*problems, *(
            d._replace(field=f"{where}.{d.field.replace('coords', 'regions')}")
            for d in exc.diagnostics)], exc.partial) from None
    if problems:
        raise MuscleError(problems, muscle)
    return muscle


def _unread(link: Any, slug: str, tree: Tree, path: str, where: str) -> list[Diagnostic]:
    """What of a muscle's ``<a>`` the reader would lose or misplace, one error each, by
    line: a shape other than ``<polygon>`` in it, and what on the way from one of its
    polygons up to the root draws that polygon elsewhere or not at all (:func:`around`)."""
    from converter.svgshown import UNREAD_SHAPES, around, lifted_copies

    found = {shape: "is a shape the reader does not read (only <polygon points>)"
             for shape in link.iter() if shape.tag in UNREAD_SHAPES}
    for polygon in link.iter(f"{SVG}polygon"):
        for element, problem in around(polygon, link, tree):
            found.setdefault(element, problem)
    pieces = tree.lift_copies.get(slug, ())
    regions = {points(polygon) for polygon in link.iter(f"{SVG}polygon")} if pieces else set()
    for piece in pieces:
        for element, problem in lifted_copies(piece, regions, tree):
            found.setdefault(element, f"({_LIFT_NOTE}) {problem}")
    return [Diagnostic(path, tree.lines.get(element), None, f"{where}.regions", "bad-svg",
                       f"<{local_name(element.tag)}> {problem}: the muscle {slug!r} is "
                       "left out")
            for element, problem in sorted(found.items(),
                                           key=lambda item: tree.lines.get(item[0], 0))]


#: What the error of a muscle-lift piece adds: what the piece is.
_LIFT_NOTE = ("of the muscle's muscle-lift piece, which draws its regions again over "
              "other muscles, where they take the clicks")
