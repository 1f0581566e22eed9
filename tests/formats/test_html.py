"""The html format: one offline page with the inline SVG map, a list and an image map."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given

import converter
from converter import bodymap
from converter.coords import parse_coords
from converter.diagnostics import Diagnostic, MuscleError
from converter.layers import drawing_pieces
from converter.model import Function, LocalizedText, Muscle, Region
from converter.registry import Source, WriteContext, get_format
from converter.safety import is_safe_link
from tests.conftest import SAMPLES
from tests.formats.test_svg import tiny_and_odd
from tests.strategies import corpora

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "&amp;", "]]><x/>"]


def write(muscles: list[Muscle], out: Path, **options: Any) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    sources = {m.slug: Source(f"src/{m.slug}.md", 0.0) for m in muscles}
    get_format("html").write(iter(muscles), out, WriteContext(options=options, sources=sources,
                                                              report=found.append))
    return found


def parse_file(path: Path) -> Any:
    from defusedxml.ElementTree import parse

    return parse(path).getroot()


def assert_offline_and_safe(root: Any) -> None:
    """No script, no event handlers, and nothing fetched from the network."""
    for element in root.iter():
        assert not element.tag.lower().endswith("script")
        assert element.tag not in (f"{XHTML}link", f"{XHTML}iframe", f"{XHTML}object")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (name, value)
            if name in ("href", "src"):
                assert is_safe_link(value), value
            if name == "src" or element.tag == f"{SVG}image":
                assert "//" not in value, value
    assert "url(" not in "".join(s.text or "" for s in root.iter(f"{XHTML}style"))


def test_a_title_or_latin_xml_cannot_hold_is_replaced_with_a_warning(tmp_path: Path) -> None:
    """The page writes the Latin name too; only the title was checked, so U+FFFE in
    latin was replaced without a word."""
    item = Muscle(slug="odd", title="a\uffffb", latin="L\ufffe",
                  regions=(Region(((1, 1), (5, 1), (5, 5))),))
    found = write([item], tmp_path / "site")
    assert [(d.code, d.field) for d in found] == [("not-xml-character", "title"),
                                                  ("not-xml-character", "latin")]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "a\ufffdb" in page and "L\ufffd" in page and "\ufffe" not in page


def test_format_is_a_writer() -> None:
    fmt = get_format("html")
    assert fmt.name == "html" and fmt.can_write and not fmt.can_read
    assert [o.name for o in fmt.options] == ["base_image", "size", "link_template", "lang"]
    assert fmt.options == get_format("svg").options


def test_page_shows_map_list_and_image_map(sample_muscles: list[Muscle],
                                           tmp_path: Path) -> None:
    assert write(sample_muscles, tmp_path / "site") == []
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [
        ".muscle-convert", "diagram.svg", "index.html"]
    root = parse_file(tmp_path / "site" / "index.html")
    assert root.get("lang") == "en"
    assert_offline_and_safe(root)
    expected = sorted(sample_muscles, key=lambda m: m.slug)

    inline = root.find(f".//{SVG}svg")  # (drawn with the most area first)
    assert [a.get("data-slug") for a in inline.iter(f"{SVG}a")] == [
        m.slug for m in bodymap.drawing_order(sample_muscles)]
    assert inline.get("viewBox") == bodymap.fit_viewbox(sample_muscles).attr

    entries = root.findall(f".//{XHTML}nav/{XHTML}ul/{XHTML}li")
    assert [li.find(f"{XHTML}a").get("href") for li in entries] == [
        f"#muscle-{m.slug}" for m in expected]
    assert [li.find(f"{XHTML}a").text for li in entries] == [m.title for m in expected]
    ids = {a.get("id") for a in inline.iter(f"{SVG}a")}
    assert {li.find(f"{XHTML}a").get("href")[1:] for li in entries} == ids
    biceps = entries[0]
    assert biceps.find(f"{XHTML}span").text == "Musculus biceps brachii"


def test_image_map_areas_use_the_exact_coords(sample_muscles: list[Muscle],
                                              tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "site")
    root = parse_file(tmp_path / "site" / "index.html")
    image = root.find(f".//{XHTML}img")
    assert image.get("usemap") == "#muscles" and image.get("src") == "diagram.svg"
    image_map = root.find(f".//{XHTML}map")
    assert image_map.get("name") == "muscles"
    areas = image_map.findall(f"{XHTML}area")
    expected = [(r.coords, f"{m.slug}.html", m.title)  # (the last drawn first)
                for m in reversed(bodymap.drawing_order(sample_muscles)) for r in m.regions]
    assert [(a.get("coords"), a.get("href"), a.get("alt")) for a in areas] == expected
    assert {a.get("shape") for a in areas} == {"poly"}
    # The diagram behind the <img> starts at the origin, one unit per pixel, so the
    # area coords (diagram pixels) land on the drawn regions.
    diagram = parse_file(tmp_path / "site" / "diagram.svg")
    frame = bodymap.fit_viewbox(sample_muscles).frame
    assert diagram.get("viewBox") == f"0 0 {frame.width} {frame.height}"
    assert (image.get("width"), image.get("height")) == (
        diagram.get("width"), diagram.get("height"))
    assert [p.get("points") for p in diagram.iter(f"{SVG}polygon")] == [
        r.coords for m in bodymap.drawing_order(sample_muscles) for r in m.regions]


def test_decimal_frames_round_up_to_whole_pixels(tmp_path: Path) -> None:
    from decimal import Decimal

    item = Muscle(slug="arm", title="Arm", regions=(Region((
        (Decimal("10.5"), 10), (Decimal("40.25"), 10), (40, Decimal("60.75")))),))
    write([item], tmp_path / "site")
    image = parse_file(tmp_path / "site" / "index.html").find(f".//{XHTML}img")
    assert (image.get("width"), image.get("height")) == ("61", "81")


def test_an_image_map_millions_of_pixels_across_is_shown_a_screen_large(
        tmp_path: Path) -> None:
    """diagram.svg and its areas were millions of pixels across (an image map's areas
    are in the image's pixels as shown): the picture is shown at most 1000 pixels a
    side now, its viewBox and points as before, and the areas scaled alike, rounded; a
    --base-image of that --size too."""
    wide = Muscle(slug="wide", title="Wide", regions=(Region((
        (1_000_000, 1_000_000), (15_000_000, 1_000_000), (15_000_000, 8_000_123))),))
    write([wide], tmp_path / "site")
    root = parse_file(tmp_path / "site" / "index.html")
    image = root.find(f".//{XHTML}img")
    assert (image.get("width"), image.get("height")) == ("1000", "533")
    assert root.find(f".//{XHTML}area").get("coords") == "67,67,1000,67,1000,533"
    diagram = parse_file(tmp_path / "site" / "diagram.svg")
    assert (diagram.get("viewBox"), diagram.get("width"), diagram.get("height")) == (
        "0 0 15000020 8000143", "1000", "533")
    assert diagram.find(f".//{SVG}polygon").get("points") == wide.regions[0].coords
    write([wide], tmp_path / "based", base_image="body.png", size="15000000x9000000")
    root = parse_file(tmp_path / "based" / "index.html")
    image = root.find(f".//{XHTML}img")
    assert (image.get("src"), image.get("width"), image.get("height")) == (
        "body.png", "1000", "600")
    assert root.find(f".//{XHTML}area").get("coords") == "67,67,1000,67,1000,533"


#: A long diagonal sliver on a large muscle: its box is 200.7 x 200 pixels, but it is
#: 0.49 of a pixel across (from 0.2 to 0.9 right of the diagonal x = y): no whole
#: pixel is in it, and its drawn line (1.5 pixels wide) is all that shows it.
SLANT = {"big": "20,20,380,20,380,380,20,380",
         "slant": "100.2,100,100.9,100,300.9,300,300.2,300"}


def contains(coords: str, x: float, y: float) -> bool:
    """Whether the convex polygon of ``coords`` holds the point (on its outline too)."""
    values = [float(v) for v in coords.split(",")]
    corners = list(zip(values[0::2], values[1::2], strict=True))
    turns = [(b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])
             for a, b in zip(corners, corners[1:] + corners[:1], strict=True)]
    return all(t >= 0 for t in turns) or all(t <= 0 for t in turns)


def test_a_region_under_a_pixel_along_a_slant_has_the_area_of_its_line(
        tmp_path: Path) -> None:
    """A sliver under a pixel across along a slant, its bounding box large both ways,
    was neither warned of nor widened: its area (its own points) held no whole pixel,
    and a click on its drawn line went to the muscle under it. It is a warning now,
    saying how narrow it is, and its area is the slanted bar of whole pixels its line
    covers (not the muscle's pixels a few away)."""
    muscles = [Muscle(slug=slug, title=slug.title(), regions=(Region(parse_coords(coords)),))
               for slug, coords in SLANT.items()]
    found = write(muscles, tmp_path / "site", size="400x400")
    assert [(d.path, d.field, d.code, d.severity, d.message) for d in found] == [
        ("src/slant.md", "coords[0]", "region-under-a-pixel", "warning",
         "the region is 200.7 x 200 pixels of the diagram but 0.4949747468 across at its "
         "narrowest, 0.49 of the map as shown (400 x 400): it is drawn as a line of its "
         "1.5-pixel outline, hard to see and to click; draw it larger, or the diagram "
         "smaller")]
    root = parse_file(tmp_path / "site" / "index.html")
    areas = {a.get("href"): a.get("coords") for a in root.iter(f"{XHTML}area")}
    assert areas["big.html"] == SLANT["big"]
    assert [a.get("href") for a in root.iter(f"{XHTML}area")] == ["slant.html", "big.html"]
    on_its_line = [(x + d, x) for x in (101, 150, 200, 250, 299) for d in (0, 1)]
    assert all(contains(areas["slant.html"], x, y) for x, y in on_its_line), areas
    assert not any(contains(areas["slant.html"], x, y)
                   for x, y in ((205, 200), (195, 200), (200, 205), (200, 195))), areas


def test_each_region_is_measured_once_per_write(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The warnings and the image map's areas both need every region's extent (its
    narrowest width is the dear part): it was measured twice, once for each; it is
    measured once, and the areas are the same (the sliver's slanted bar too)."""
    muscles = [Muscle(slug=slug, title=slug.title(), regions=(Region(parse_coords(coords)),))
               for slug, coords in SLANT.items()]
    measured: list[Any] = []

    def counted(region: Any, enough: float = math.inf) -> bodymap.Extent:
        measured.append(region)
        return extent(region, enough)

    extent = bodymap.extent
    monkeypatch.setattr(bodymap, "extent", counted)
    found = write(muscles, tmp_path / "site", size="400x400")
    assert [d.field for d in found] == ["coords[0]"]
    assert sorted(r.coords for r in measured) == sorted(SLANT.values())
    root = parse_file(tmp_path / "site" / "index.html")
    frame = bodymap.ViewBox(0, 0, 400, 400)
    assert [a.get("coords") for a in root.iter(f"{XHTML}area")] == [
        bodymap.area_coords(Region(parse_coords(SLANT[slug])), None)
        for slug in ("slant", "big")] == [
        bodymap.area_coords(Region(parse_coords(SLANT[slug])), bodymap.screen_scale(frame),
                            extent(Region(parse_coords(SLANT[slug]))))
        for slug in ("slant", "big")]


def test_base_image_is_the_image_map_picture(sample_muscles: list[Muscle],
                                             tmp_path: Path) -> None:
    picture = tmp_path / "body.jpeg"
    picture.write_bytes(b"\xff\xd8 not really a jpeg")
    write(sample_muscles, tmp_path / "site", base_image=str(picture), size="1000x1000")
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [
        ".muscle-convert", "_base-image.jpeg", "index.html"]
    root = parse_file(tmp_path / "site" / "index.html")
    image = root.find(f".//{XHTML}img")
    assert (image.get("src"), image.get("width"), image.get("height")) == (
        "_base-image.jpeg", "1000", "1000")
    assert root.find(f".//{SVG}image").get("href") == "_base-image.jpeg"
    assert root.find(f".//{SVG}svg").get("viewBox") == "0 0 1000 1000"


VIEW = "#svgView(preserveAspectRatio(none))"


@pytest.mark.parametrize(("link", "src"), [
    ("https://example.org/body.svg", f"https://example.org/body.svg{VIEW}"),
    ("https://example.org/body.SVGZ?v=2", f"https://example.org/body.SVGZ?v=2{VIEW}"),
    ("https://example.org/render?id=3", f"https://example.org/render?id=3{VIEW}"),
    ("../img/body%20v2.svg", f"../img/body%20v2.svg{VIEW}"),
    ("https://example.org/body.png", "https://example.org/body.png"),
    ("https://example.org/body.JPEG?v=2", "https://example.org/body.JPEG?v=2"),
    ("https://example.org/body.svg#front", "https://example.org/body.svg#front")])
def test_a_linked_base_image_is_stretched_in_the_image_map(link: str, src: str,
                                                           tmp_path: Path) -> None:
    """An SVG given as a link, which the writer does not fetch, kept its own aspect
    ratio in the page's <img usemap>, letterboxed, where the maps stretch it: the
    image map's areas missed the body. A link that may be an SVG asks for it stretched
    now, by the SVG view of its fragment; one to a picture of another kind (stretched
    anyway) or with a fragment of its own (a view it names) is as given. The maps'
    <image>, which stretches it itself, links it as given."""
    items = [Muscle(slug="arm", title="Arm", regions=(Region(((1, 1), (5, 1), (5, 5))),))]
    write(items, tmp_path / "site", base_image=link, size="100x200")
    root = parse_file(tmp_path / "site" / "index.html")
    assert root.find(f".//{XHTML}img").get("src") == src
    image = root.find(f".//{SVG}image")
    assert (image.get("href"), image.get("preserveAspectRatio")) == (link, "none")


def test_language_of_the_page(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "site", lang="da")
    root = parse_file(tmp_path / "site" / "index.html")
    assert root.get("lang") == "da"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    assert root.find(f".//{XHTML}h1").text == "Muskelkort"


def test_hostile_text_and_links(tmp_path: Path) -> None:
    text = LocalizedText({"en": HOSTILE[0], "da": HOSTILE[1]})
    evil = Muscle(slug="evil", title=" ".join(HOSTILE), latin=" ".join(reversed(HOSTILE)),
                  origin=text, insertion=text, functions=(Function(text, text),),
                  exercises=tuple(HOSTILE), regions=(Region(((10, 10), (50, 10), (50, 50))),))
    for unsafe in ({"link_template": "javascript:alert('{slug}')"},  # (a bad --lang:
                   {"base_image": "data:image/png;base64,AAAA", "size": "100x100"}):  # refused
        with pytest.raises(MuscleError) as caught:  # tests/test_bodymap.py)
            write([evil], tmp_path / "site", **unsafe)
        assert [d.code for d in caught.value.diagnostics] == ["unsafe-link"]
    assert not (tmp_path / "site").exists()
    assert write([evil], tmp_path / "site") == []
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "javascript" not in page.lower() and "data:" not in page and "<script" not in page
    root = parse_file(tmp_path / "site" / "index.html")
    assert_offline_and_safe(root)
    assert root.get("lang") == "en"
    assert root.find(f".//{XHTML}li/{XHTML}a").text == evil.title
    assert root.find(f".//{XHTML}li/{XHTML}span").text == evil.latin
    area = root.find(f".//{XHTML}area")
    assert area.get("href") == "evil.html" and area.get("alt") == evil.title
    assert_offline_and_safe(parse_file(tmp_path / "site" / "diagram.svg"))


@given(corpora())
def test_any_corpus_gives_a_well_formed_page(items: list[Muscle]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write(items, Path(tmp) / "site")
        root = parse_file(Path(tmp) / "site" / "index.html")
        diagram = parse_file(Path(tmp) / "site" / "diagram.svg")
    assert_offline_and_safe(root)
    drawn = bodymap.drawing_order(items)
    coords = [r.coords for m in drawn for r in m.regions]
    assert [p.get("points") for a in root.iter(f"{SVG}a") if a.get("class") == "muscle"
            for p in a.iter(f"{SVG}polygon")] == coords
    # The picture and the areas (reversed) draw each region once, in the map's order,
    # the areas scaled as the picture is shown (exactly its coords up to a screen, but
    # for a region less than a pixel: the square of its outline's dot).
    pieces = drawing_pieces(drawn)
    assert [p.get("points") for p in diagram.iter(f"{SVG}polygon")] == [
        p.muscle.regions[i].coords for p in pieces for i in p.indices]
    frame = bodymap.ViewBox(*map(int, diagram.get("viewBox").split()))
    scale = bodymap.screen_scale(frame)
    assert [a.get("coords") for a in root.iter(f"{XHTML}area")] == [
        p.muscle.regions[i].coords
        if scale is None and not bodymap.under_a_pixel(p.muscle.regions[i], scale) else
        bodymap.area_coords(p.muscle.regions[i], scale)
        for p in reversed(pieces) for i in p.indices]
    image = root.find(f".//{XHTML}img")
    assert (image.get("width"), image.get("height")) == (
        diagram.get("width"), diagram.get("height")) == bodymap.shown_size(frame)
    titles = [bodymap.xml_clean(m.title) for m in items]
    links = [li.find(f"{XHTML}a") for li in root.iter(f"{XHTML}li")]
    assert [(li.find(f"{XHTML}span[@class='unmapped']") if a is None else a).text
            for li, a in zip(root.iter(f"{XHTML}li"), links, strict=True)] == titles
    # A muscle without regions is no link: there is nothing of it on the map.
    assert [a is not None for a in links] == [bool(m.regions) for m in items]


def test_output_is_deterministic(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "a")
    write(list(reversed(sample_muscles)), tmp_path / "b")
    for name in ("index.html", "diagram.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_failure_mid_write_keeps_the_previous_output(sample_muscles: list[Muscle],
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write(sample_muscles[:2], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def failing(*args: Any, **kwargs: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(bodymap, "map_svg", failing)
    with pytest.raises(OSError, match="disk full"):
        write(sample_muscles, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_bad_size_fails_before_writing(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    with pytest.raises(MuscleError) as info:
        write(sample_muscles, tmp_path / "site", size="12")
    assert info.value.diagnostics[0].code == "bad-size"
    assert not (tmp_path / "site").exists()


def test_cli_convert_to_html(tmp_path: Path) -> None:
    from converter.cli import cli

    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "html", "-o",
                                      str(tmp_path / "site"), "--link-template",
                                      "https://example.org/m/{slug}"])
    assert result.exit_code == 0, result.output
    root = parse_file(tmp_path / "site" / "index.html")
    assert {a.get("href") for a in root.iter(f"{XHTML}area")} == {
        f"https://example.org/m/{m.slug}" for m in converter.read(SAMPLES) if m.regions}


@pytest.mark.parametrize(("template", "warned"), [
    ("{slug}.html", True), ("{slug}/", False), ("m/{slug}.html", False),
    ("./{slug}.html", True), ("../site/{slug}.html?v=2", True), ("{slug}.html#top", False),
    ("../other/{slug}.html", False), ("https://x.org/{slug}.html", False)])
def test_a_muscle_that_would_link_to_the_page_itself_is_named(template: str, warned: bool,
                                                              tmp_path: Path) -> None:
    """The slug index linked its region to index.html, the map page itself; one linking
    to it as ./index.html was not warned of (its text was compared, not the page it
    opens). A link to a place on the page (#top) opens no other page."""
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("arm", "index")]
    found = write(items, tmp_path / "site", link_template=template)
    assert [(d.code, d.path, d.field, d.severity) for d in found] == (
        [("reserved-name", "src/index.md", "slug", "warning")] if warned else [])


@pytest.mark.parametrize(("template", "warned"), [
    ("./?muscle={slug}", ["arm", "site"]), (".?muscle={slug}", ["arm", "site"]),
    ("./{slug}/..", ["arm", "site"]), ("../{slug}/", ["site"]), ("../{slug}", ["site"]),
    ("../{slug}/./", ["site"]), ("../{slug}//", ["site"]), ("../{slug}/%2E/", ["site"]),
    ("../{slug}/index.html", ["site"]), ("../{slug}/index.html/", []),
    ("../{slug}/#muscle-{slug}", []), ("../{slug}s/", []), ("../{slug}/m/", [])])
def test_a_muscle_linking_to_the_page_s_folder_links_to_the_page(
        template: str, warned: list[str], tmp_path: Path) -> None:
    """A link to the folder of index.html (``./``, ``.``, ``../site/``), which a web
    server answers with index.html, was not taken for the page itself: only a link
    naming index.html was warned of."""
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("arm", "site")]
    found = write(items, tmp_path / "site", link_template=template)
    assert [(d.code, d.path, d.severity) for d in found] == [
        ("reserved-name", f"src/{slug}.md", "warning") for slug in warned]
    for diagnostic, slug in zip(found, warned, strict=True):
        link = bodymap.resolve_link(template, slug)
        page = "index.html" if template.endswith("index.html") else "the folder of index.html"
        served = "" if page == "index.html" else " (a web server answers it with that page)"
        assert diagnostic.message == (
            f"the muscle {slug!r} links to {link!r}, {page}, the map's page itself{served}; "
            "give it another slug or --link-template")


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_link_to_the_page_itself_into_standard_output_names_it_so(output: str) -> None:
    """Asked from Python (the format's own writer, no source known) to write ``-`` or
    ``/dev/stdout``, the muscle linking to index.html was ``-: warning:
    muscles[index].slug: ...`` (``/dev/stdout: ...``), where the refusal of the output
    that follows says standard output."""
    found: list[Diagnostic] = []
    items = [Muscle(slug="index", title="Index", regions=(Region(((1, 1), (5, 1), (5, 5))),))]
    with pytest.raises(MuscleError) as caught:
        get_format("html").write(iter(items), Path(output), WriteContext(report=found.append))
    assert [(d.path, d.field, d.code) for d in found + caught.value.diagnostics] == [
        ("standard output", "muscles[index].slug", "reserved-name"),
        ("standard output", "", "output-not-directory")]


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_muscle_warned_of_in_a_page_into_standard_output_names_it_so(output: str) -> None:
    """Asked from Python (the format's own writer, no source known) to write ``-`` or
    ``/dev/stdout``, a region under a pixel and a title and Latin name XML cannot hold
    were warned of in ``-/index.html`` (``/dev/stdout/index.html``), no file there is,
    where the refusal of the output that follows says standard output."""
    found: list[Diagnostic] = []
    with pytest.raises(MuscleError) as caught:
        get_format("html").write(iter(tiny_and_odd()), Path(output),
                                 WriteContext(report=found.append))
    assert [(d.path, d.stream, d.field, d.code) for d in found + caught.value.diagnostics] == [
        ("standard output", True, "muscles[tiny].title", "not-xml-character"),
        ("standard output", True, "muscles[tiny].latin", "not-xml-character"),
        ("standard output", True, "muscles[tiny].coords[0]", "region-under-a-pixel"),
        ("standard output", True, "", "output-not-directory")]


def test_a_muscle_index_without_regions_links_nowhere_and_is_not_warned_of(
        tmp_path: Path) -> None:
    """It has no region, so no link of it is on the page, yet it was a reserved-name
    warning."""
    items = [Muscle(slug="index", title="Index"),
             Muscle(slug="arm", title="Arm", regions=(Region(((1, 1), (5, 1), (5, 5))),))]
    assert write(items, tmp_path / "site") == []
    assert 'href="index.html"' not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "english"), [("en", False), ("da", False), ("da-DK", False),
                                               ("de", True)])
def test_fixed_texts_not_translated_are_marked_english(lang: str, english: bool,
                                                       tmp_path: Path) -> None:
    """With --lang de the page said "Muscle map" as German (a screen reader's voice)."""
    items = [Muscle(slug="arm", title="Arm", regions=(Region(((1, 1), (5, 1), (5, 5))),))]
    found = write(items, tmp_path / "site", lang=lang)
    assert [(d.code, d.field) for d in found] == (
        [("untranslated-language", "--lang")] if english else [])
    root = parse_file(tmp_path / "site" / "index.html")
    assert root.get("lang") == lang
    marked = [root.find(f".//{XHTML}title"), root.find(f".//{XHTML}h1"),
              *root.iter(f"{XHTML}h2"), root.find(f".//{SVG}svg/{SVG}title"),
              root.find(f".//{XHTML}img")]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [e.get(xml_lang) for e in marked] == [("en" if english else None)] * 6
    # The names of the map and the list are those marked texts, not a label in --lang.
    svg = root.find(f".//{SVG}svg")
    if english:
        assert svg.get("aria-label") is None
        assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")
    nav = root.find(f".//{XHTML}nav")
    assert nav.get("aria-labelledby") == nav.find(f"{XHTML}h2").get("id")
    diagram = parse_file(tmp_path / "site" / "diagram.svg")
    assert diagram.get(xml_lang) == ("en" if english else lang)


@pytest.mark.parametrize("lang", ["de", "da"])
def test_ids_are_unique_whatever_the_slugs(lang: str, tmp_path: Path) -> None:
    """The map's title had the id muscle-map-title, the muscle map-title's too: the list
    entry of that muscle led to the map's title (``:target``), not to its region."""
    items = [Muscle(slug=s, title=s.title(), regions=(Region(((1, 1), (50, 1), (50, 50))),))
             for s in ("map-title", "muscles-heading", "s-heading", "arm")]
    write(items, tmp_path / "site", lang=lang)
    root = parse_file(tmp_path / "site" / "index.html")
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids)) == len(items) + 1 + (lang == "de")
    by_id = {e.get("id"): e for e in root.iter() if e.get("id") is not None}
    for entry in root.find(f".//{XHTML}nav").iter(f"{XHTML}a"):
        target = by_id[entry.get("href").removeprefix("#")]
        assert target.tag == f"{SVG}a" and target.get("data-slug").title() == entry.text
    svg = root.find(f".//{SVG}svg")
    if lang == "de":
        assert by_id[svg.get("aria-labelledby")] is svg.find(f"{SVG}title")


def test_a_slug_index_a_name_gives_names_the_file_at_no_line(tmp_path: Path) -> None:
    """A page bundle ``index/index.md`` (its folder's name gives the slug ``index``) or
    an ``Index.md`` had its reserved-name at line 2, column 1, where a missing field is
    placed, though no line of the file gives the slug: the file is named at no line now,
    with the name that gives the slug."""
    from converter.run import convert_sources

    (tmp_path / "index").mkdir()
    for page in (tmp_path / "index" / "index.md", tmp_path / "Index.md"):
        page.write_text('---\ntitle: I\ncoords:\n  - "10,10,50,10,50,50"\n---\n',
                        encoding="utf-8")
    found = [(d.path, d.line, d.column, d.field, d.message.split(": ")[0])
             for n, page in enumerate(("index/index.md", "Index.md"))
             for d in convert_sources([tmp_path / page], get_format("html"),
                                      tmp_path / f"site-{n}", jobs=1).diagnostics
             if d.code == "reserved-name"]
    assert found == [
        (str(tmp_path / "index" / "index.md"), None, None, "",
         "the folder name gives the slug 'index'"),
        (str(tmp_path / "Index.md"), None, None, "", "the file name gives the slug 'index'")]


def test_a_region_under_a_pixel_on_the_image_map_only_is_warned_of(tmp_path: Path) -> None:
    """The map fits the regions (240 pixels a side, shown as they are), but the image
    map's picture is the diagram from its origin (1720 a side, shown at 1000): a region
    a pixel square is 0.58 of a pixel there, a dot, and was not warned of. It is now,
    of the image map's picture; one under a pixel on both is warned of once, of the
    map."""
    items = [Muscle(slug=s, title=s, regions=(Region(parse_coords(c)),)) for s, c in (
        ("a", "1500,1500,1600,1500,1600,1600,1500,1600"),
        ("b", "1580.5,1580.5,1700,1580.5,1700,1700,1580.5,1700"),
        ("half", "1600,1650,1600.5,1650,1600.5,1650.5,1600,1650.5"),
        ("tiny", "1650,1650,1651,1650,1651,1651,1650,1651"))]
    found = write(items, tmp_path / "site")
    assert [(d.code, d.path, d.field) for d in found] == [
        ("region-under-a-pixel", "src/half.md", "coords[0]"),
        ("region-under-a-pixel", "src/tiny.md", "coords[0]")]
    assert "0.5 x 0.5 of the map as shown (240 x 240)" in found[0].message
    assert ("the region is 1 x 1 pixels of the diagram, 0.58 x 0.58 of the image map's "
            "picture as shown (1000 x 1000, the diagram's 1720 x 1720 pixels scaled down "
            "to fit 1000): it is drawn as a dot") in found[1].message
