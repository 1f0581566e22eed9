"""The maps in a real browser: headless Debian Chromium driven by Playwright.

The browser is the system's ``/usr/bin/chromium`` (Debian package ``chromium``; ``.ci/run``
installs it); Playwright never downloads one. Everything is opened from ``file://`` URLs
with network features switched off, so the test needs no network.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import converter
from converter import bodymap
from converter.baseimage import stretched
from converter.cli import cli
from converter.diagnostics import MuscleError
from converter.layers import region_area
from converter.lint import MAX_COORDINATE
from converter.model import Muscle, Region
from converter.registry import ReadContext, get_format
from tests.browser.dots import DOTS, dots_corpus, focus_red_near
from tests.browser.png import decode, is_blank
from tests.conftest import SAMPLES

VIEWPORT = {"width": 1200, "height": 1000}
MUSCLES = sorted(converter.read(SAMPLES), key=lambda m: m.slug)

# A point inside the first polygon of a muscle, as near its bounding box's middle as
# possible, where a click really lands on that muscle's link: returns client (x, y) and
# the point in diagram pixels (ux, uy).
INTERIOR_POINT = """(slug) => {
  const link = document.querySelector(`svg a[data-slug="${slug}"]`);
  const shape = link.querySelector("polygon");
  shape.scrollIntoView({block: "center", inline: "center"});
  const box = shape.getBBox();
  const middle = [box.x + box.width / 2, box.y + box.height / 2];
  const candidates = [];
  for (let i = 0; i <= 24; i++) for (let j = 0; j <= 24; j++)
    candidates.push([box.x + box.width * i / 24, box.y + box.height * j / 24]);
  const away = (p) => Math.hypot(p[0] - middle[0], p[1] - middle[1]);
  candidates.sort((p, q) => away(p) - away(q));
  const svg = shape.ownerSVGElement;
  for (const [ux, uy] of candidates) {
    const point = svg.createSVGPoint();
    point.x = ux; point.y = uy;
    if (!shape.isPointInFill(point)) continue;
    const screen = point.matrixTransform(shape.getScreenCTM());
    const hit = document.elementFromPoint(screen.x, screen.y);
    if (hit && hit.closest("a") === link) return {x: screen.x, y: screen.y, ux, uy};
  }
  return null;
}"""


@dataclass(frozen=True)
class Site:
    """The svg and html outputs of the samples, with stand-in pages for their links."""

    svg: Path
    html: Path


def make_site(root: Path, muscles: list[Muscle]) -> Site:
    """The svg and html outputs of ``muscles`` in ``root``, with a page for each link."""
    converter.write(muscles, root / "svg", "svg")
    converter.write(muscles, root / "html", "html")
    for directory in (root / "svg", root / "html"):
        for muscle in muscles:  # the pages the default link template points at
            (directory / f"{muscle.slug}.html").write_text(
                f"<!DOCTYPE html><title>{muscle.slug}</title>", encoding="utf-8")
    return Site(root / "svg", root / "html")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make_site(tmp_path_factory.mktemp("site"), MUSCLES)


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    shared = browser.new_context(viewport=VIEWPORT)
    shared.set_default_timeout(10_000)
    yield shared
    shared.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    fresh = context.new_page()
    yield fresh
    fresh.close()


def interior_point(page: Any, muscle: Muscle) -> dict[str, float]:
    point = page.evaluate(INTERIOR_POINT, muscle.slug)
    assert point is not None, f"no clickable point inside {muscle.slug}"
    return point


def scroll_to_image_point(page: Any, point: dict[str, float]) -> None:
    """Scroll the page so that the image map's point (diagram pixels ``ux``, ``uy``) is
    in the middle of the window."""
    page.evaluate("""([ux, uy]) => {
      const top = document.querySelector("img[usemap]").getBoundingClientRect().top;
      window.scrollBy(0, top + uy - window.innerHeight / 2);
    }""", [point["ux"], point["uy"]])


@pytest.mark.parametrize("muscle", MUSCLES, ids=[m.slug for m in MUSCLES])
@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html"])
def test_clicking_a_region_follows_its_link(page: Any, site: Site, name: str,
                                            muscle: Muscle) -> None:
    start = site.svg.parent / name
    page.goto(start.as_uri())
    point = interior_point(page, muscle)
    page.mouse.click(point["x"], point["y"])
    target = (start.parent / f"{muscle.slug}.html").as_uri()
    page.wait_for_url(target)
    assert page.url == target


@pytest.mark.parametrize("muscle", MUSCLES, ids=[m.slug for m in MUSCLES])
def test_clicking_the_classic_image_map_follows_its_link(page: Any, site: Site,
                                                         muscle: Muscle) -> None:
    page.goto((site.html / "index.html").as_uri())
    point = interior_point(page, muscle)  # in diagram pixels, the <area> coords' units
    image = page.locator("img[usemap]")
    # The picture behind the areas shows the region right where its <area> is.
    picture = decode(image.screenshot())
    assert picture.pixel(int(point["ux"]), int(point["uy"])) != picture.pixel(0, 0)
    scroll_to_image_point(page, point)
    box = image.bounding_box()
    x, y = box["x"] + point["ux"], box["y"] + point["uy"]
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('href')",
                        [x, y])
    assert hit == f"{muscle.slug}.html"
    page.mouse.click(x, y)
    target = (site.html / f"{muscle.slug}.html").as_uri()
    page.wait_for_url(target)
    assert page.url == target


#: Scroll the image map's box sideways and the page so that the image map's point (its
#: picture's own pixels ``ux``, ``uy``) is in the middle of the window: its client x, y.
IMAGE_POINT = """([ux, uy]) => {
  const image = document.querySelector("img[usemap]");
  const box = image.parentElement;
  box.scrollLeft = ux - box.clientWidth / 2;
  const at = image.getBoundingClientRect();
  window.scrollBy(at.left + ux - innerWidth / 2, at.top + uy - innerHeight / 2);
  const now = image.getBoundingClientRect();
  return [now.left + ux, now.top + uy];
}"""


@pytest.mark.parametrize("width", [375, 1200], ids=["phone", "desktop"])
def test_a_narrow_screen_scrolls_the_image_map_not_the_page(page: Any, site: Site,
                                                            width: int) -> None:
    """On a 375 px wide screen the page ran off the side: the image map's picture, 864
    pixels wide as its areas' coords need it, widened the page. It scrolls sideways in
    its own box now and the page fits the screen; a click on a region, on the inline
    map or the image map (its box scrolled to it), still goes to its muscle, on a phone
    and on a desktop."""
    page.set_viewport_size({"width": width, "height": 800})
    start = (site.html / "index.html").as_uri()
    for muscle in MUSCLES:
        target = (site.html / f"{muscle.slug}.html").as_uri()
        page.goto(start)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        point = interior_point(page, muscle)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(target)
        page.goto(start)
        x, y = page.evaluate(IMAGE_POINT, [point["ux"], point["uy"]])
        assert 0 <= x < width and 0 <= y < 800
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute("
                            "'href')", [x, y])
        assert hit == f"{muscle.slug}.html"
        page.mouse.click(x, y)
        page.wait_for_url(target)


def test_a_long_name_does_not_widen_a_narrow_page(page: Any, tmp_path: Path) -> None:
    """A name of no spaces wider than a 375 px screen (the list shows it) ran the page
    off the side: it wraps anywhere now."""
    name = "Musculus" + "-".join(["sternocleidomastoideus"] * 4).replace("-", "")
    muscles = [Muscle(slug="long", title=name, latin=name,
                      regions=(_square(10, 10, 50),))]
    converter.write(muscles, tmp_path / "html", "html")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto((tmp_path / "html" / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _square(x: int, y: int, side: int) -> Region:
    return Region(((x, y), (x + side, y), (x + side, y + side), (x, y + side)))


@pytest.mark.parametrize("names", [("a-outer", "b-inner"), ("z-outer", "c-inner")],
                         ids=["inner sorts after", "inner sorts before"])
@pytest.mark.parametrize("sides", [1, 2], ids=["one side", "two sides"])
def test_a_region_lying_on_another_takes_the_clicks_there(
        page: Any, tmp_path: Path, names: tuple[str, str], sides: int) -> None:
    """The SVG map drew by slug (the last drawn takes the click) and the image map
    listed by slug (the first <area> does): one of two overlapping muscles could not
    be clicked, and the two maps disagreed on which. A muscle of two sides, more area in
    all than the one it lies on, was still drawn under it."""
    outer, inner = names
    # The inner region lies on the outer one (100..250); a second side (300..440) gives
    # the inner muscle more area in all than the outer one, though no larger region.
    regions = (_square(120, 120, 100), _square(300, 300, 140))[:sides]
    muscles = [Muscle(slug=outer, title="Outer", regions=(_square(100, 100, 150),)),
               Muscle(slug=inner, title="Inner", regions=regions)]
    assert (sum(map(region_area, regions)) > 150 * 150) is (sides == 2)
    converter.write(muscles, tmp_path / "svg", "svg", size="500x500")
    converter.write(muscles, tmp_path / "html", "html", size="500x500")
    page.set_viewport_size({"width": 1200, "height": 1400})
    for where, inside in ((inner, (170, 170)), (outer, (240, 240))):
        page.goto((tmp_path / "svg" / "map.svg").as_uri())
        hit = "([x, y]) => document.elementFromPoint(x, y).closest('a').dataset.slug"
        assert page.evaluate(hit, list(inside)) == where  # (the map at 1:1, at 0, 0)
        page.goto((tmp_path / "html" / "index.html").as_uri())
        found = page.evaluate("""([ux, uy]) => {
          const at = (element) => {
            const box = element.getBoundingClientRect();
            return [box.left + ux * box.width / 500, box.top + uy * box.height / 500];
          };
          const svg = document.querySelector("svg.muscle-map");
          svg.scrollIntoView();
          const inMap = document.elementFromPoint(...at(svg)).closest("a").dataset.slug;
          const image = document.querySelector("img[usemap]");
          image.scrollIntoView();
          const area = document.elementFromPoint(...at(image)).getAttribute("href");
          return [inMap, area];
        }""", list(inside))
        assert found == [where, f"{where}.html"]


def test_a_muscle_without_regions_is_no_stop_on_the_map(page: Any, tmp_path: Path) -> None:
    """Its <a> (kept for its name) was an invisible Tab stop and a link to nothing."""
    muscles = [Muscle(slug="a", title="A", regions=(_square(10, 10, 50),)),
               Muscle(slug="m", title="No region"),
               Muscle(slug="z", title="Z", regions=(_square(100, 10, 40),))]
    converter.write(muscles, tmp_path / "svg", "svg")
    converter.write(muscles, tmp_path / "html", "html")
    assert sorted(p.name for p in (tmp_path / "svg").glob("*.svg")) == ["a.svg", "map.svg",
                                                                         "z.svg"]
    for name in ("svg/map.svg", "html/index.html"):
        page.goto((tmp_path / name).as_uri())
        stops = []
        for _ in range(2):
            page.keyboard.press("Tab")
            stops.append(page.evaluate("document.activeElement.dataset.slug"))
        assert stops == ["a", "z"]
        assert "No region" not in chromium_link_names(page)
    assert [m.slug for m in converter.read(tmp_path / "svg")] == ["a", "m", "z"]


#: Each polygon of the map as Chromium draws it: its muscle and its box's width and
#: height in diagram pixels (the browser's own 32-bit floats).
DRAWN_SIZES = """() => [...document.querySelectorAll("svg a[data-slug] polygon")].map(
  (shape) => { const box = shape.getBBox();
               return [shape.closest("a").dataset.slug, box.width, box.height]; })"""


def _far_corpus(root: Path, far: int) -> Path:
    """A corpus of a muscle with a 100-pixel square reaching ``far`` and one near by, and
    of another muscle with a 50-pixel square."""
    root.mkdir()
    (root / "near.md").write_text('---\ntitle: Near\ncoords: ["200,10,250,10,250,60,200,60"]'
                                  "\n---\n", encoding="utf-8")
    (root / "far.md").write_text(
        '---\ntitle: Far\ncoords:\n  - "10,10,110,10,110,110,10,110"\n'
        f'  - "{far - 100},{far - 100},{far},{far - 100},{far},{far},{far - 100},{far}"\n'
        "---\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html"])
def test_a_region_too_far_to_draw_is_refused_and_every_region_drawn_shows(
        page: Any, tmp_path: Path, name: str) -> None:
    """A region at 1e9 pixels was drawn as nothing (Chromium's 32-bit floats squashed its
    100-pixel square to a width of 0) without a word: it is a coords-too-large error at
    its coords now, the muscle left out; one that reaches 2**24 (the limit) is drawn
    at its size."""
    far = _far_corpus(tmp_path / "far", 10**9)
    out = tmp_path / "far-out"
    result = CliRunner().invoke(cli, ["convert", str(far), "--to", name.split("/")[0],
                                      "-o", str(out), "--no-cache"])
    assert result.exit_code == 1
    assert f"{far / 'far.md'}:5:5: error: coords[1]: coordinate 999999900 is past " \
        f"{MAX_COORDINATE}, the farthest a browser draws" in result.output
    assert "[coords-too-large]" in result.output
    page.goto((out / name.split("/")[1]).as_uri())
    assert page.evaluate(DRAWN_SIZES) == [["near", 50, 50]]
    edge = _far_corpus(tmp_path / "edge", MAX_COORDINATE)
    with pytest.warns(UserWarning) as said:  # (shown at 1000 pixels: each is a dot)
        converter.write(converter.read(edge), tmp_path / "edge-out", name.split("/")[0])
    assert sorted(str(w.message).split(": warning: ")[1].split(":")[0] for w in said) == [
        "muscles[far].coords[0]", "muscles[far].coords[1]", "muscles[near].coords[0]"]
    assert all("[region-under-a-pixel]" in str(w.message) for w in said)
    page.goto((tmp_path / "edge-out" / name.split("/")[1]).as_uri())
    assert sorted(page.evaluate(DRAWN_SIZES)) == [["far", 100, 100], ["far", 100, 100],
                                                  ["near", 50, 50]]

#: Each region of the map: its muscle, whether its middle is in the first screen (the
#: window as opened, not scrolled) and whether the link there is its muscle's.
FIRST_SCREEN = """() => [...document.querySelectorAll("svg a[data-slug] polygon")].map(
  (shape) => { const box = shape.getBoundingClientRect();
               const x = box.x + box.width / 2, y = box.y + box.height / 2;
               const link = shape.closest("a");
               const hit = document.elementFromPoint(x, y);
               return [link.dataset.slug, x >= 0 && x < innerWidth && y >= 0
                       && y < innerHeight, hit !== null && hit.closest("a") === link]; })"""

#: Corpora of a diagram millions of pixels across (below the coords-too-large limit):
#: wider than tall, and taller than wide; each muscle a rectangle (left, top, right,
#: bottom), its middle inside it.
MILLIONS = {
    "wide": {"alpha": (1_000_000, 1_000_000, 5_000_000, 7_000_000),
             "beta": (7_000_000, 2_000_000, 12_000_000, 6_000_000),
             "gamma": (13_000_000, 500_000, 16_000_000, 3_000_000)},
    "tall": {"alpha": (500_000, 1_000_000, 3_000_000, 4_000_000),
             "beta": (1_000_000, 5_000_000, 4_000_000, 9_000_000),
             "gamma": (200_000, 10_000_000, 2_000_000, 11_000_000)},
    # (inner lies on outer, away from outer's middle: drawn over it, its area first)
    "nested": {"outer": (1_000_000, 1_000_000, 15_000_000, 12_000_000),
               "inner": (2_000_000, 2_000_000, 5_000_000, 4_000_000)},
}

#: Each area of the image map, the image scrolled into view: its link, whether its
#: middle is in the window, whether the area there is it, and that middle in the image.
IMAGE_MAP_SCREEN = """() => {
  const image = document.querySelector("img[usemap]");
  image.scrollIntoView({block: "center", inline: "center"});
  const box = image.getBoundingClientRect();
  return [...document.querySelectorAll("map[name=muscles] area")].map((area) => {
    const coords = area.coords.split(",").map(Number);
    const xs = coords.filter((_, i) => i % 2 === 0), ys = coords.filter((_, i) => i % 2);
    const ix = (Math.min(...xs) + Math.max(...xs)) / 2;
    const iy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const x = box.left + ix, y = box.top + iy;
    return [area.getAttribute("href"), x >= 0 && x < innerWidth && y >= 0
            && y < innerHeight, document.elementFromPoint(x, y) === area, ix, iy];
  });
}"""


@pytest.mark.parametrize("shape", sorted(MILLIONS))
@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html"])
def test_a_map_millions_of_pixels_across_shows_whole_on_the_first_screen(
        page: Any, tmp_path: Path, name: str, shape: str) -> None:
    """A map.svg of coordinates in the millions was written millions of pixels wide:
    Chromium showed nothing of it on the first screen. It is shown scaled down to fit
    now (the viewBox as it was), every region in the first screen and clickable there;
    the inline map of index.html too, and its image map (diagram.svg and its areas were
    millions of pixels across: an image map's areas are in its image's own pixels):
    scrolled into view, every area's middle is in the window, the area clicked there and
    its region drawn there."""
    muscles = [Muscle(slug=slug, title=slug.title(), regions=(Region(
        ((left, top), (right, top), (right, bottom), (left, bottom))),))
        for slug, (left, top, right, bottom) in MILLIONS[shape].items()]
    site = make_site(tmp_path, muscles)
    page.goto((site.svg.parent / name).as_uri())
    assert sorted(page.evaluate(FIRST_SCREEN)) == sorted([m.slug, True, True]
                                                         for m in muscles)
    if name == "svg/map.svg":  # (the whole map, its margins too)
        box = page.locator("svg").bounding_box()
        assert box["x"] + box["width"] <= VIEWPORT["width"]
        assert box["y"] + box["height"] <= VIEWPORT["height"]
        return
    areas = page.evaluate(IMAGE_MAP_SCREEN)
    assert sorted(area[:3] for area in areas) == sorted([f"{m.slug}.html", True, True]
                                                        for m in muscles)
    image = page.locator("img[usemap]")
    box = image.bounding_box()
    assert box["width"] <= VIEWPORT["width"] and box["height"] <= VIEWPORT["height"]
    picture = decode(image.screenshot())
    assert all(picture.pixel(int(x), int(y)) != picture.pixel(0, 0)
               for *_, x, y in areas)


#: The whole CSS pixel nearest the middle of a muscle's first polygon on the map, the
#: map scrolled into view: where a user clicks to reach it.
DOT_PIXEL = """(slug) => {
  const shape = document.querySelector(`svg a[data-slug="${slug}"] polygon`);
  shape.scrollIntoView({block: "center", inline: "center"});
  const box = shape.getBoundingClientRect();
  return [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
}"""

#: The same of its region on the image map: its points (diagram pixels) scaled as the
#: image is shown.
DOT_AREA_PIXEL = """(points) => {
  const image = document.querySelector("img[usemap]");
  image.scrollIntoView({block: "center", inline: "center"});
  const box = image.getBoundingClientRect(), scale = box.width / 20000;
  const xs = points.filter((_, i) => i % 2 === 0), ys = points.filter((_, i) => i % 2);
  return [Math.round(box.left + (Math.min(...xs) + Math.max(...xs)) / 2 * scale),
          Math.round(box.top + (Math.min(...ys) + Math.max(...ys)) / 2 * scale)];
}"""


@pytest.mark.parametrize("map_", ["svg/map.svg", "html/index.html", "image map"])
def test_a_region_under_a_pixel_as_shown_is_drawn_takes_the_click_and_is_warned_of(
        page: Any, tmp_path: Path, map_: str) -> None:
    """On a diagram of 20000 x 40000 pixels, shown 500 x 1000, a 16-pixel square is
    0.4 of a pixel: no whole pixel a click lands on was in it (Chromium gave the click to
    the muscle under it, or to none), and its image map area was of no pixel. Its
    outline is drawn 1.5 CSS pixels wide at any scale now, a dot that takes the click
    there, its area that dot's square; and each such region is a warning at its coords."""
    corpus = dots_corpus(tmp_path)
    fmt = "svg" if map_ == "svg/map.svg" else "html"
    out = tmp_path / fmt
    result = CliRunner().invoke(cli, ["convert", str(corpus), "--to", fmt, "-o", str(out),
                                      "--size", "20000x40000", "--no-cache"])
    assert result.exit_code == 0, result.output
    for slug in ("alone", "on-big"):
        assert (f"{corpus / slug}.md:4:5: warning: coords[0]: the region is 16 x 16 "
                "pixels of the diagram, 0.4 x 0.4 of the map as shown (500 x 1000, the "
                "diagram's 20000 x 40000 pixels scaled down to fit 1000): it is drawn as "
                "a dot of its 1.5-pixel outline") in result.output
    assert result.output.count("[region-under-a-pixel]") == 2
    for slug in DOTS:
        (out / f"{slug}.html").write_text(f"<!DOCTYPE html><title>{slug}</title>",
                                          encoding="utf-8")
    for slug in ("alone", "on-big", "big"):
        page.goto((out / ("map.svg" if fmt == "svg" else "index.html")).as_uri())
        if map_ == "image map":
            x, y = page.evaluate(DOT_AREA_PIXEL, [int(n) for n in DOTS[slug].split(",")])
        else:
            x, y = page.evaluate(DOT_PIXEL, slug)
        page.mouse.click(x, y)
        page.wait_for_url((out / f"{slug}.html").as_uri())


#: A diagram of 40000 x 40000 pixels (shown 1000 x 1000, 1:40): a large muscle and on
#: it a bar 2000 x 10 pixels, 50 x 0.25 as shown (its image map area, rounded, was of
#: no height: the clicks on its line went to the large muscle).
THIN = {"big": "500,500,39000,500,39000,39000,500,39000",
        "thin": "1000,1000,3000,1000,3000,1010,1000,1010"}

#: The image map's picture scrolled into view: its top left corner in the window.
IMAGE_CORNER = """() => {
  const image = document.querySelector("img[usemap]");
  image.scrollIntoView({block: "center", inline: "center"});
  const box = image.getBoundingClientRect();
  return [box.left, box.top];
}"""


@pytest.mark.parametrize("map_", ["svg/map.svg", "html/index.html", "image map"])
def test_a_region_under_a_pixel_one_way_takes_the_clicks_on_its_line(
        page: Any, tmp_path: Path, map_: str) -> None:
    """A region 50 pixels long and a quarter of a pixel high as shown is drawn as a line
    of its outline (from 24.25 to 26 down): a click on that line reaches it, on the
    image map too, whose area is the bar of whole pixels the line covers (it was of no
    height); it is a warning that says it is a line."""
    corpus = tmp_path / "thin"
    corpus.mkdir()
    for slug, coords in THIN.items():
        (corpus / f"{slug}.md").write_text(f'---\ntitle: {slug.title()}\ncoords:\n'
                                           f'  - "{coords}"\n---\n', encoding="utf-8")
    fmt = "svg" if map_ == "svg/map.svg" else "html"
    out = tmp_path / fmt
    result = CliRunner().invoke(cli, ["convert", str(corpus), "--to", fmt, "-o", str(out),
                                      "--size", "40000x40000", "--no-cache"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "[region-under-a-pixel]" in line]
    assert len(said) == 1 and said[0].startswith(f"{corpus / 'thin'}.md:4:5: warning: "
                                                 "coords[0]: the region is "), said
    assert ("2000 x 10 pixels of the diagram, 50 x 0.25 of the map as shown (1000 x 1000, "
            "the "
            "diagram's 40000 x 40000 pixels scaled down to fit 1000): it is drawn as a "
            "line of its 1.5-pixel outline") in said[0]
    for slug in THIN:
        (out / f"{slug}.html").write_text(f"<!DOCTYPE html><title>{slug}</title>",
                                          encoding="utf-8")
    shown = out / ("map.svg" if fmt == "svg" else "index.html")
    if map_ != "image map":
        page.goto(shown.as_uri())
        page.mouse.click(*page.evaluate(DOT_PIXEL, "thin"))
        page.wait_for_url((out / "thin.html").as_uri())
        return
    for down, slug in ((23, "big"), (24, "thin"), (25, "thin"), (26, "thin"), (27, "big")):
        page.goto(shown.as_uri())
        left, top = page.evaluate(IMAGE_CORNER)
        page.mouse.click(left + 50, top + down)
        page.wait_for_url((out / f"{slug}.html").as_uri())


#: A diagram of 400 x 400 pixels (shown at its size): a large muscle and on it a long
#: diagonal sliver, its box 200.7 x 200 pixels but 0.49 of a pixel across, from 0.2 to
#: 0.9 right of the diagonal x = y (no whole pixel in it: its image map area took no
#: click, which went to the large muscle).
SLANT = {"big": "20,20,380,20,380,380,20,380",
         "slant": "100.2,100,100.9,100,300.9,300,300.2,300"}

#: The top left corner in the window of the picture a click is on: the image map's
#: image, or the SVG map, scrolled into view.
PICTURE_CORNER = """(selector) => {
  const picture = document.querySelector(selector);
  picture.scrollIntoView({block: "center", inline: "center"});
  const box = picture.getBoundingClientRect();
  return [box.left, box.top, box.width];
}"""


@pytest.mark.parametrize("map_", ["svg/map.svg", "html/index.html", "image map"])
def test_a_region_under_a_pixel_along_a_slant_takes_the_clicks_on_its_line(
        page: Any, tmp_path: Path, map_: str) -> None:
    """A long diagonal sliver under a pixel across (its bounding box large both ways)
    is drawn as a slanted line of its outline: a click on the middle of that line
    reaches it, and so do clicks on the whole pixels just either side of it along its
    length, on the image map too, whose area is the slanted bar of whole pixels the
    line covers (it held no whole pixel); a click a few pixels off the line reaches the
    large muscle under it. It is a warning that says how narrow it is."""
    corpus = tmp_path / "slant"
    corpus.mkdir()
    for slug, coords in SLANT.items():
        (corpus / f"{slug}.md").write_text(f'---\ntitle: {slug.title()}\ncoords:\n'
                                           f'  - "{coords}"\n---\n', encoding="utf-8")
    fmt = "svg" if map_ == "svg/map.svg" else "html"
    out = tmp_path / fmt
    result = CliRunner().invoke(cli, ["convert", str(corpus), "--to", fmt, "-o", str(out),
                                      "--size", "400x400", "--no-cache"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "[region-under-a-pixel]" in line]
    assert said == [f"{corpus / 'slant'}.md:4:5: warning: coords[0]: the region is 200.7 x "
                    "200 pixels of the diagram but 0.4949747468 across at its narrowest, "
                    "0.49 of the map as shown (400 x 400): it is drawn as a line of its "
                    "1.5-pixel outline, hard to see and to click; draw it larger, or the "
                    "diagram smaller [region-under-a-pixel]"], said
    for slug in SLANT:
        (out / f"{slug}.html").write_text(f"<!DOCTYPE html><title>{slug}</title>",
                                          encoding="utf-8")
    shown = out / ("map.svg" if fmt == "svg" else "index.html")
    picture = "img[usemap]" if map_ == "image map" else "svg"
    middle = (201, 200)  # (the whole pixel nearest the middle, 200.55 x 200)
    clicks = [(middle, "slant"), ((200, 200), "slant"), ((150, 150), "slant"),
              ((151, 150), "slant"), ((251, 250), "slant"), ((210, 200), "big"),
              ((190, 200), "big")]
    for (x, y), slug in clicks:
        page.goto(shown.as_uri())
        left, top, width = page.evaluate(PICTURE_CORNER, picture)
        page.mouse.click(left + x * width / 400, top + y * width / 400)
        page.wait_for_url((out / f"{slug}.html").as_uri())


#: The whole CSS pixel nearest the middle of a focus image's highlighted polygon, in
#: the picture's own pixels (from its top left corner).
FOCUS_PIXEL = """() => {
  const picture = document.querySelector("svg").getBoundingClientRect();
  const box = document.querySelector("g.focus polygon").getBoundingClientRect();
  return [Math.round(box.x + box.width / 2 - picture.x),
          Math.round(box.y + box.height / 2 - picture.y)];
}"""


def assert_focus_dot_drawn(page: Any, image: Path) -> None:
    """The focus image ``image`` shows its highlighted region (under a pixel as shown)
    as a dot of its outline's red, around the pixel nearest its middle."""
    page.goto(image.as_uri())
    x, y = page.evaluate(FOCUS_PIXEL)
    assert focus_red_near(decode(page.locator("svg").screenshot()), x, y), (image.name, x, y)


@pytest.mark.parametrize("slug", ["alone", "on-big"])
def test_a_focus_image_shows_its_region_under_a_pixel_as_a_dot(
        page: Any, tmp_path: Path, slug: str) -> None:
    """The focus image of a 16-pixel square on a 20000 x 40000 diagram (shown 500 x 1000,
    0.4 of a pixel a side) scaled its 2-pixel outline with it (0.05 of a pixel): nothing of
    the one muscle it exists to show was seen but a faint tint. Its outline is drawn 2 CSS
    pixels wide at any scale now, as the map's are: a red dot where it lies."""
    out = tmp_path / "svg"
    result = CliRunner().invoke(cli, ["convert", str(dots_corpus(tmp_path)), "--to", "svg",
                                      "-o", str(out), "--size", "20000x40000", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert_focus_dot_drawn(page, out / f"{slug}.svg")


@pytest.mark.parametrize("embed", ['<object data="svg/map.svg" type="image/svg+xml" '
                                   'width="1100" height="1100"></object>',
                                   '<iframe src="svg/map.svg" width="1100" height="1100">'
                                   "</iframe>"], ids=["object", "iframe"])
def test_a_map_embedded_in_a_page_leads_the_page(page: Any, site: Site, embed: str) -> None:
    """Its links opened inside the embed's box."""
    host = site.svg.parent / "host.html"
    host.write_text(f"<!DOCTYPE html><title>host</title>{embed}", encoding="utf-8")
    page.goto(host.as_uri())
    muscle = MUSCLES[0]
    frame = next(f for f in page.frames if f.url.endswith("map.svg"))
    frame.wait_for_load_state()
    inner = interior_point(frame, muscle)  # (in the frame's own coordinates)
    box = page.locator("object, iframe").bounding_box()
    page.mouse.click(box["x"] + inner["x"], box["y"] + inner["y"])
    target = (site.svg / f"{muscle.slug}.html").as_uri()
    page.wait_for_url(target)
    assert page.url == target


def chromium_link_names(page: Any) -> Counter[str]:
    """The names of every link in Chromium's own accessibility tree (image-map areas too)."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    return Counter(node.get("name", {}).get("value", "") for node in nodes
                   if node.get("role", {}).get("value") == "link" and not node.get("ignored"))


@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html"])
def test_every_region_has_an_accessible_name(page: Any, site: Site, name: str) -> None:
    from playwright.sync_api import expect

    page.goto((site.svg.parent / name).as_uri())
    for muscle in MUSCLES:
        region = page.locator(f'svg a[data-slug="{muscle.slug}"]')
        expect(region).to_have_role("link")
        expect(region).to_have_accessible_name(muscle.title)
    # On the page each muscle is also a list entry and one <area> per polygon.
    per_muscle = (lambda m: 2 + len(m.regions)) if name.endswith("html") else (lambda m: 1)
    assert chromium_link_names(page) == Counter({m.title: per_muscle(m) for m in MUSCLES})


def fill_opacity(page: Any, slug: str) -> float:
    return float(page.evaluate(
        "(slug) => getComputedStyle(document.querySelector("
        "`a[data-slug=\"${slug}\"] polygon`)).fillOpacity", slug))


@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html"])
def test_hover_and_keyboard_focus_highlight_a_region(page: Any, site: Site,
                                                     name: str) -> None:
    first, other = bodymap.drawing_order(MUSCLES)[:2]  # (in the order drawn)
    page.goto((site.svg.parent / name).as_uri())
    resting = fill_opacity(page, first.slug)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.slug") == first.slug
    assert fill_opacity(page, first.slug) > resting
    assert fill_opacity(page, other.slug) == resting
    page.keyboard.press("Tab")
    assert fill_opacity(page, first.slug) == resting
    point = interior_point(page, MUSCLES[2])
    page.mouse.move(point["x"], point["y"])
    assert fill_opacity(page, MUSCLES[2].slug) > resting


@pytest.mark.parametrize("muscle", [MUSCLES[0], MUSCLES[-1]], ids=lambda m: m.slug)
def test_list_entries_lead_to_their_highlighted_region(page: Any, site: Site,
                                                       muscle: Muscle) -> None:
    page.goto((site.html / "index.html").as_uri())
    resting = fill_opacity(page, muscle.slug)
    page.get_by_role("navigation").get_by_role("link", name=muscle.title, exact=True).click()
    page.wait_for_url(f"**#muscle-{muscle.slug}")
    assert fill_opacity(page, muscle.slug) > resting
    assert all(fill_opacity(page, m.slug) == resting for m in MUSCLES if m != muscle)
    region = page.locator(f'svg a[data-slug="{muscle.slug}"] polygon').first
    box, height = region.bounding_box(), VIEWPORT["height"]
    assert box is not None and box["y"] < height and box["y"] + box["height"] > 0


def test_a_muscle_named_like_the_maps_title_is_highlighted_by_its_entry(
        page: Any, tmp_path: Path) -> None:
    """The muscle map-title had the id of the map's title (untranslated, --lang de): its
    list entry made the title the target, and the muscle was not highlighted."""
    muscles = [Muscle(slug="map-title", title="Map Title Muscle",
                      regions=(_square(10, 10, 90),)),
               Muscle(slug="z", title="Z", regions=(_square(200, 10, 40),))]
    with pytest.warns(UserWarning, match="untranslated-language"):
        converter.write(muscles, tmp_path / "html", "html", lang="de")
    page.goto((tmp_path / "html" / "index.html").as_uri())
    resting = fill_opacity(page, "map-title")
    page.get_by_role("navigation").get_by_role("link", name="Map Title Muscle").click()
    page.wait_for_url("**#muscle-map-title")
    assert page.evaluate("document.querySelector(':target').dataset.slug") == "map-title"
    assert fill_opacity(page, "map-title") > resting
    assert fill_opacity(page, "z") == resting


def test_a_page_linking_to_itself_highlights_the_muscle_clicked(page: Any,
                                                                 tmp_path: Path) -> None:
    """README: with ``--link-template '#muscle-{slug}'`` a page stands alone, a click on
    the map or on the image map highlighting the muscle on the page itself."""
    converter.write(MUSCLES, tmp_path / "html", "html", link_template="#muscle-{slug}")
    page.goto((tmp_path / "html" / "index.html").as_uri())
    muscle, other = MUSCLES[3], MUSCLES[4]
    resting = fill_opacity(page, muscle.slug)
    point = interior_point(page, muscle)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**#muscle-{muscle.slug}")
    assert fill_opacity(page, muscle.slug) > resting
    point = interior_point(page, other)  # (in diagram pixels: its <area> on the image map)
    scroll_to_image_point(page, point)
    box = page.locator("img[usemap]").bounding_box()
    page.mouse.click(box["x"] + point["ux"], box["y"] + point["uy"])
    page.wait_for_url(f"**#muscle-{other.slug}")
    assert fill_opacity(page, other.slug) > resting
    assert fill_opacity(page, muscle.slug) == resting


@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html", "svg/soleus.svg"])
def test_screenshot_is_not_blank(page: Any, site: Site, name: str, tmp_path: Path) -> None:
    page.goto((site.svg.parent / name).as_uri())
    shot = tmp_path / "screenshot.png"
    page.screenshot(path=str(shot))
    assert not is_blank(decode(shot.read_bytes()))


def test_blank_page_screenshot_is_blank(page: Any, tmp_path: Path) -> None:
    page.set_content("<html><body style='background: white'></body></html>")
    shot = tmp_path / "blank.png"
    page.screenshot(path=str(shot))
    assert is_blank(decode(shot.read_bytes()))


def test_pages_load_nothing_from_the_network(page: Any, site: Site) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for name in ("svg/map.svg", "html/index.html"):
        page.goto((site.svg.parent / name).as_uri())
        page.wait_for_load_state("load")
    assert requests and all(url.startswith("file://") for url in requests)


# Latissimus dorsi with a third, small region inside pectoralis major's left one: its
# largest region is larger than pectoralis major's, so it is drawn first.
SMALL = Region(((212, 200), (222, 200), (222, 222), (212, 222)))
SMALL_MIDDLE = (217, 211)
LIFTED = [replace(m, regions=(*m.regions, SMALL)) if m.slug == "latissimus-dorsi" else m
          for m in MUSCLES]

# What a click at a diagram point of the SVG map (inline or a file) lands on.
SVG_HIT = """([ux, uy]) => {
  const svg = document.querySelector("svg.muscle-map");
  svg.scrollIntoView({block: "center", inline: "center"});
  const point = svg.createSVGPoint();
  point.x = ux; point.y = uy;
  const screen = point.matrixTransform(svg.getScreenCTM());
  const link = document.elementFromPoint(screen.x, screen.y).closest("a");
  return {href: link.getAttribute("href"), x: screen.x, y: screen.y};
}"""
# ... and on the classic image map, whose <area> coords are diagram pixels.
IMAGE_HIT = """([ux, uy]) => {
  const image = document.querySelector("img[usemap]");
  image.scrollIntoView({block: "center", inline: "center"});
  const box = image.getBoundingClientRect();
  const x = box.left + ux, y = box.top + uy;
  return {href: document.elementFromPoint(x, y).getAttribute("href"), x, y};
}"""


@pytest.fixture(scope="module")
def lifted_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make_site(tmp_path_factory.mktemp("lifted"), LIFTED)


@pytest.mark.parametrize(("name", "script"), [("svg/map.svg", SVG_HIT),
                                              ("html/index.html", SVG_HIT),
                                              ("html/index.html", IMAGE_HIT)],
                         ids=["map.svg", "inline map", "image map"])
def test_a_small_region_inside_a_smaller_muscle_takes_the_clicks(
        page: Any, lifted_site: Site, name: str, script: str) -> None:
    """Muscles were drawn whole, by their largest region: latissimus dorsi's small
    region inside pectoralis major was drawn under it, and no click reached it."""
    start = lifted_site.svg.parent / name
    page.goto(start.as_uri())
    hit = page.evaluate(script, list(SMALL_MIDDLE))
    assert hit["href"] == "latissimus-dorsi.html"
    page.mouse.click(hit["x"], hit["y"])
    target = (start.parent / "latissimus-dorsi.html").as_uri()
    page.wait_for_url(target)
    assert page.url == target


def test_a_map_of_muscles_in_any_order_draws_a_small_region_over_a_larger_one(
        page: Any, tmp_path: Path) -> None:
    """map_svg draws muscles in the order given: a muscle of a small region (its
    largest) given before one of a large region around it drew that region under the
    large one, and a click there went to the large one's link. It takes the click now."""
    small = Muscle(slug="small", title="Small", regions=(_square(110, 110, 40),
                                                         _square(600, 600, 20)))
    large = Muscle(slug="large", title="Large", regions=(_square(100, 100, 400),))
    (tmp_path / "map.svg").write_text(bodymap.map_svg(
        [small, large], bodymap.fit_viewbox([small, large])), encoding="utf-8")
    page.goto((tmp_path / "map.svg").as_uri())
    assert page.evaluate(SVG_HIT, [130, 130])["href"] == "small.html"
    assert page.evaluate(SVG_HIT, [610, 610])["href"] == "small.html"
    assert page.evaluate(SVG_HIT, [300, 300])["href"] == "large.html"


def lifted_fill_opacity(page: Any, at: tuple[int, int] = SMALL_MIDDLE) -> float:
    """The fill opacity the small region is drawn with, where it is seen (at the
    diagram point ``at``)."""
    return float(page.evaluate("""([ux, uy]) => {
      const svg = document.querySelector("svg.muscle-map");
      const point = svg.createSVGPoint();
      point.x = ux; point.y = uy;
      const screen = point.matrixTransform(svg.getScreenCTM());
      return getComputedStyle(document.elementFromPoint(screen.x, screen.y)).fillOpacity;
    }""", list(at)))


@pytest.mark.parametrize("name", ["svg/map.svg", "html/index.html"])
def test_a_lifted_region_is_highlighted_with_its_muscle(page: Any, lifted_site: Site,
                                                        name: str) -> None:
    """Tab focus and the #muscle-<slug> target highlight the small region too, where it
    is seen; hovering it highlights the muscle's other regions; each muscle is still
    one Tab stop, one link in the accessibility tree and one id."""
    page.goto((lifted_site.svg.parent / name).as_uri())
    page.evaluate(SVG_HIT, list(SMALL_MIDDLE))
    resting = lifted_fill_opacity(page)
    stops = []
    for _ in LIFTED:
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.dataset.slug"))
        if stops[-1] == "latissimus-dorsi":
            assert lifted_fill_opacity(page) > resting
    assert stops == [m.slug for m in bodymap.drawing_order(LIFTED)]
    title = next(m.title for m in LIFTED if m.slug == "latissimus-dorsi")
    assert chromium_link_names(page)[title] == (1 if name.endswith("svg") else 2 + 3)
    assert page.evaluate("document.querySelectorAll('#muscle-latissimus-dorsi').length") == 1
    page.goto((lifted_site.svg.parent / name).as_uri() + "#muscle-latissimus-dorsi")
    assert lifted_fill_opacity(page) > resting
    page.goto((lifted_site.svg.parent / name).as_uri())
    hit = page.evaluate(SVG_HIT, list(SMALL_MIDDLE))
    before = fill_opacity(page, "latissimus-dorsi")
    page.mouse.move(hit["x"], hit["y"])
    assert fill_opacity(page, "latissimus-dorsi") > before
    assert lifted_fill_opacity(page) > resting


def test_a_map_with_a_lifted_region_reads_back_exactly(lifted_site: Site) -> None:
    carried = get_format("svg").carries
    assert converter.read(lifted_site.svg) == sorted(
        (m.project(carried) for m in LIFTED), key=lambda m: m.slug)


# A map of one muscle, a square from (0, 0) to (100, 100) drawn as {} says, over white.
EDITED_MAP = ("<svg xmlns='http://www.w3.org/2000/svg' width='400' height='300'>{defs}"
              "<g{g}>{wrap}<a data-slug='edited' href='edited.html'{a}><title>E</title>"
              "<polygon{polygon} points='0,0 100,0 100,100 0,100'/></a>{unwrap}</g></svg>")
# What a click at the square's middle lands on.
MIDDLE_HIT = """() => {
  const hit = document.elementFromPoint(50, 50);
  return hit !== null && hit.closest("a[data-slug]") !== null;
}"""


@dataclass(frozen=True)
class Edit:
    """An edit of the square's map: what it puts on the <g>, <a> or <polygon>, in a
    <defs> before them, and the elements it wraps the <a> in (``text><tspan``)."""

    g: str = ""
    a: str = ""
    polygon: str = ""
    defs: str = ""
    wrap: str = ""


def seen_clicked_read(page: Any, edit: Edit, tmp_path: Path) -> tuple[bool, bool, list[str]]:
    """Whether Chromium shows the edited square whole and no more (at its middle and
    near two corners, and not just beside it), whether a click at its middle reaches its
    link, and the slugs the svg reader reads of the map."""

    path = tmp_path / "map.svg"
    tags = [tag.split()[0] for tag in edit.wrap.split("><")] if edit.wrap else []
    put = {name: f" {value}" if value and name != "defs" else value
           for name, value in vars(edit).items() if name != "wrap"}
    path.write_text(EDITED_MAP.format(**put, wrap=f"<{edit.wrap}>" if tags else "",
                                      unwrap="".join(f"</{tag}>" for tag in tags[::-1])),
                    encoding="utf-8")
    page.goto(path.as_uri())
    image = decode(page.screenshot())
    blank = image.pixel(300, 250)
    seen = all(image.pixel(x, y) != blank for x, y in ((10, 10), (50, 50), (90, 90))) and all(
        image.pixel(x, y) == blank for x, y in ((105, 50), (50, 105)))
    read = get_format("svg").read(path, ReadContext(report=lambda diagnostic: None))
    return seen, page.evaluate(MIDDLE_HIT), [m.slug for m in read]


def _cascade(sheet: str) -> Edit:
    """The square filled with a gradient of two red stops of class clear, under
    ``sheet``."""
    return Edit(defs=f"<style>{sheet}</style><linearGradient id='g'><stop offset='0' "
                "stop-color='red' class='clear'/><stop offset='1' stop-color='red' "
                "class='clear'/></linearGradient>", polygon="fill='url(#g)'")


UNSEEN = [Edit(polygon="opacity='0'"), Edit(g="style='opacity: 0%'"),
          Edit(polygon="style='fill-opacity:0;stroke:none'"),
          Edit(a="fill-opacity='0' stroke='red' stroke-opacity='0'"), Edit(g="fill='none'"),
          Edit(a="style='pointer-events: none'"), Edit(polygon="style='display: contents'"),
          Edit(a="display='contents'"),
          Edit(defs="<filter id='f' x='0' y='0' width='0.5' height='1'><feGaussianBlur "
               "stdDeviation='0'/></filter>", polygon="filter='url(#f)'"),
          Edit(defs="<filter id='f' filterUnits='userSpaceOnUse' x='0' y='0' width='60' "
               "height='100'><feGaussianBlur stdDeviation='0'/></filter>", g="filter='url(#f)'"),
          Edit(defs="<filter id='f'><feGaussianBlur stdDeviation='0' width='50'/></filter>",
               a="filter='url(#f)'"),
          Edit(defs="<filter id='f'><feFlood flood-color='red'/></filter>",
               polygon="filter='url(#f)'"),
          Edit(defs="<filter id='f'><feImage href='data:image/svg+xml,%3Csvg "
               "xmlns=%22http://www.w3.org/2000/svg%22/%3E'/></filter>",
               polygon="filter='url(#f)'"),
          Edit(defs="<filter id='o'><feOffset dx='0'/></filter><filter id='f' href='#o'/>",
               polygon="filter='url(#f)'"),
          Edit(defs="<filter id='f'/>", polygon="filter='url(#f)'"),
          Edit(defs="<set href='#p' attributeName='opacity' to='0'/>", polygon="id='p'"),
          Edit(defs="<animate href='#p' attributeName='opacity' values='1;0' dur='0.01s' "
               "fill='freeze'/>", g="id='p'"),
          Edit(defs="<set href='#p' attributeName='fill-opacity' to='0'/>", polygon="id='p'"),
          Edit(a="><set attributeName='visibility' to='hidden'/"),
          Edit(a="><set attributeName='display' to='none'/"),
          *(Edit(polygon=f"fill='{fill}'") for fill in (
              "rgba(0,0,0,0)", "hsla(0,0%,0%,0)", "#00000000", "#0000", "rgb(0 0 0 / 0%)",
              "transparent", "url(#missing)")),
          Edit(defs="<linearGradient id='g'/>", a="fill='url(#g) red'"),
          Edit(defs="<pattern id='p' width='10' height='10'/>", g="fill='url(#p)'"),
          Edit(defs="<filter id='f'><feMorphology operator='dilate' radius='20'/></filter>",
               polygon="filter='url(#f)'"),
          Edit(defs="<filter id='f'><feMorphology radius='20'/></filter>",
               a="filter='url(#f)'"),
          Edit(defs="<filter id='f'><feConvolveMatrix order='3' kernelMatrix='0 0 0 0 0 0 0 "
               "0 0'/></filter>", g="filter='url(#f)'"),
          Edit(defs="<linearGradient id='g'><stop offset='0' stop-color='red' stop-opacity="
               "'0'/><stop offset='1' style='stop-color: transparent'/></linearGradient>",
               polygon="fill='url(#g)'"),
          Edit(defs="<linearGradient id='s'><stop offset='0' stop-color='rgba(255,0,0,0)'/>"
               "</linearGradient><radialGradient id='g' href='#s'/>", a="fill='url(#g) red'"),
          *(Edit(defs=f"<pattern id='p' {size}><rect width='100' height='100'/></pattern>",
                 polygon="fill='url(#p)'") for size in (
              "width='0' height='10'", "width='10' height='0%'", "height='10'",
              "width='10' height='10' viewBox='0 0 0 10'")),
          Edit(defs="<pattern id='p' width='10' height='10'><g><defs><rect width='100' "
               "height='100'/></defs></g></pattern>", g="fill='url(#p)'"),
          Edit(defs="<pattern id='q' width='10' height='10'><rect width='100' height='100'/>"
               "</pattern><pattern id='p' href='#q'><desc>D</desc></pattern>",
               polygon="fill='url(#p)'"),
          Edit(defs="<linearGradient id='g' stop-opacity='0'><stop offset='0' stop-color="
               "'red' stop-opacity='inherit'/></linearGradient>", polygon="fill='url(#g)'"),
          Edit(defs="<g style='stop-opacity: 0'><linearGradient id='g' stop-opacity='inherit'>"
               "<stop offset='0' stop-color='red' style='stop-opacity: inherit'/>"
               "</linearGradient></g>", polygon="fill='url(#g)'"),
          Edit(defs="<linearGradient id='g' stop-color='transparent'><stop offset='0' "
               "stop-color='inherit'/></linearGradient>", polygon="fill='url(#g)'"),
          *(Edit(defs=f"<style>{sheet}</style><linearGradient id='g'><stop offset='0' "
                 "stop-color='red' class='clear'/><stop offset='1' stop-color='red' "
                 "style='stop-opacity: 1' class='clear'/></linearGradient>",
                 polygon="fill='url(#g)'") for sheet in (
              "stop { stop-opacity: 0 !important }", "#g stop { stop-color: transparent "
              "!important }", ".clear { stop-opacity: 1 } linearGradient .clear { stop-opacity: "
              "0 !important }", "svg > linearGradient > stop { stop-opacity: 0 !important }")),
          *(Edit(defs=f"<pattern id='p' width='10' height='10' patternUnits='userSpaceOnUse'"
                 f"{on}>{content}</pattern>", polygon="fill='url(#p)'") for on, content in (
              ("", "<rect x='20' y='20' width='5' height='5'/>"),
              ("", "<circle cx='-5' cy='5' r='4'/><rect width='10' height='10' fill='none'/>"),
              ("", "<g style='opacity: 0'><rect width='10' height='10'/></g>"),
              ("", "<a><g fill='none'><rect width='10' height='10'/></g></a>"),
              ("", "<rect width='10' height='10' style='display: none'/>"),
              (" visibility='hidden'", "<rect width='10' height='10'/>"),
              (" fill='none'", "<polygon points='0,0 10,0 10,10'/>"))),
          *(Edit(defs=f"<pattern id='p' {tile}>{content}</pattern>", polygon="fill='url(#p)'")
            for tile, content in (
              ("width='0.5' height='0.5'", "<rect x='50' width='10' height='10'/>"),
              ("x='30' width='0.5' height='0.5'", "<rect x='50' width='10' height='10'/>"),
              ("width='50%' height='50%' patternContentUnits='objectBoundingBox'",
               "<rect y='0.5' width='0.2' height='0.2'/>"),
              ("x='0.3' width='0.5' height='0.5' patternContentUnits='objectBoundingBox'",
               "<rect x='0.5' width='0.2' height='0.2'/>"),
              ("width='0.5' height='0.5' patternContentUnits='objectBoundingBox'",
               "<rect x='-0.2' width='0.2' height='0.2'/>"),
              ("width='50' height='50' patternUnits='userSpaceOnUse' patternContentUnits="
               "'objectBoundingBox'", "<rect x='0.6' width='0.2' height='0.2'/>"))),
          *(Edit(defs=f"<pattern id='p' width='10' height='10' patternUnits='userSpaceOnUse'"
                 f"{on}>{content}</pattern>", polygon="fill='url(#p)'") for on, content in (
              ("", "<text y='9' font-size='14' fill='none'>M</text>"),
              ("", "<text y='9' font-size='14' fill-opacity='0'>M</text>"),
              (" fill='none'", "<text y='9' font-size='14'>M</text>"),
              ("", "<text y='9' font-size='14'></text>"),
              ("", "<use href='#nothing'/>"), ("", "<use/>"),
              ("", "<image width='10' height='10'/>"))),
          *(_cascade(sheet) for sheet in (
              "stop { stop-opacity: 1 } stop { stop-opacity: 0 }",
              "stop { stop-opacity: 0 !important } #g stop { stop-opacity: 1 }",
              "stop { stop-opacity: 1 } .clear { stop-opacity: 0 }",
              "#other stop { stop-opacity: 1 } stop { stop-opacity: 0% }",
              "stop { stop-color: red } stop { stop-color: rgba(0, 0, 0, 0) }",
              "stop { stop-opacity: 1 } stop/**/.clear { stop-opacity: 0 }",
              "stop { stop-opacity: 1 } stop/* a *//* b */.clear { stop-opacity: 0 }")),
          *(Edit(wrap=wrap) for wrap in (
              "metadata", "desc", "text", "text><tspan", "foreignObject width='400' "
              "height='300'", "linearGradient", "filter", "view", "foo",
              "s:namedview xmlns:s='http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd'",
              "h:div xmlns:h='http://www.w3.org/1999/xhtml'")),
          Edit(g="systemLanguage='xx'"), Edit(a="systemLanguage=''"),
          Edit(polygon="systemLanguage='xx'"), Edit(g="requiredExtensions='urn:x'"),
          Edit(a="requiredExtensions=''"), Edit(g="style='content-visibility:hidden'"),
          Edit(a="style='content-visibility: hidden'")]
SEEN = [Edit(), Edit(g="style='display: contents'"), Edit(wrap="g"),
        Edit(g="opacity='0.5' pointer-events='none'", polygon="pointer-events='auto'"),
        Edit(defs="<filter id='f' x='-0.1' y='0' width='1.1' height='100%'><feColorMatrix "
             "type='saturate' values='0'/></filter>", polygon="filter='url(#f)'"),
        Edit(defs="<filter id='f' filterUnits='userSpaceOnUse' x='0' y='0' width='100' "
             "height='100'><feColorMatrix type='saturate' values='0'/></filter>",
             a="filter='url(#f)'"),
        Edit(defs="<set href='#p' attributeName='opacity' to='0.5'/>", polygon="id='p'"),
        Edit(polygon="fill='url(#missing) red'"),
        Edit(defs="<linearGradient id='s'><stop offset='0' stop-color='red'/></linearGradient>"
             "<linearGradient id='g' href='#s'/>", polygon="fill='url(#g)'"),
        Edit(defs="<linearGradient id='g'><stop offset='0' stop-color='red' stop-opacity="
             "'0'/><stop offset='1' stop-color='red'/></linearGradient>",
             polygon="fill='url(#g)'"),
        Edit(defs="<style>stop { stop-opacity: 1 }</style><linearGradient id='g'><stop "
             "offset='0' stop-color='red' stop-opacity='0'/></linearGradient>",
             polygon="fill='url(#g)'"),
        Edit(defs="<pattern id='q' width='10' height='10'><a><rect width='100' height='100'/>"
             "</a></pattern><pattern id='p' href='#q'/>", polygon="fill='url(#p)'"),
        Edit(defs="<style>text, .label { pointer-events: none }</style>"),
        Edit(defs="<style>polygon { fill: url(#missing) red }</style>"),
        Edit(defs="<linearGradient id='G'><stop offset='0' stop-color='red'/></linearGradient>"
             "<style>polygon { fill: url(#G) }</style>"),
        Edit(defs="<style>@media screen { g > text { pointer-events: none; opacity: 0 } }"
             "</style>"),
        Edit(defs="<g stop-opacity='0'><linearGradient id='g'><stop offset='0' stop-color="
             "'red' stop-opacity='inherit'/></linearGradient></g>", polygon="fill='url(#g)'"),
        Edit(defs="<linearGradient id='g' stop-opacity='0'><stop offset='0' stop-color='red'/>"
             "</linearGradient>", polygon="fill='url(#g)'"),
        *(Edit(defs=f"<style{media}>{sheet}</style><linearGradient id='g'><stop offset='0' "
               "stop-color='red' class='clear'/><stop offset='1' stop-color='red' "
               "style='stop-opacity: 1'/></linearGradient>", polygon="fill='url(#g)'")
          for media, sheet in (
              ("", "stop { stop-opacity: 0 }"), ("", ".clear { stop-opacity: 0 !important }"),
              ("", "#other stop { stop-opacity: 0 !important }"),
              (" media='print'", "stop { stop-opacity: 0 !important }"),
              ("", "stop:first-child { stop-opacity: 0 !important }"))),
        *(Edit(defs=f"{sheet}<pattern id='p' width='10' height='10' patternUnits="
               f"'userSpaceOnUse'>{content}</pattern>", polygon="fill='url(#p)'")
          for sheet, content in (
              ("", "<rect x='-5' y='-5' width='20' height='20'/>"),
              ("", "<rect width='10' height='10' fill='none' stroke='red' stroke-width='20'/>"),
              ("<style>rect { fill: red }</style>", "<rect width='10' height='10' fill='none'/>"),
              ("", "<g visibility='hidden'><rect width='10' height='10' visibility='visible'/>"
               "</g>"),
              ("", "<rect width='10' height='10' fill='none'><set attributeName='fill' "
               "to='red'/></rect>"))),
        *(Edit(defs=f"<pattern id='p' {tile}>{content}</pattern>", polygon="fill='url(#p)'")
          for tile, content in (
              ("width='0.5' height='0.5'", "<rect x='-1' y='-1' width='50' height='50'/>"),
              ("width='0.5' height='0.5' patternContentUnits='objectBoundingBox'",
               "<rect width='0.6' height='0.6'/>"),
              ("width='50' height='50' patternUnits='userSpaceOnUse' patternContentUnits="
               "'objectBoundingBox'", "<rect width='0.49' height='0.49'/>"))),
        *(Edit(defs=f"<defs><rect id='r' width='10' height='10' fill='red'/></defs><pattern "
               f"id='p' width='10' height='10' patternUnits='userSpaceOnUse'>{content}"
               "</pattern>", polygon="fill='url(#p)'") for content in (
            "<text y='9' fill='none' stroke='red' stroke-width='20'>M</text>",
            "<text y='9' fill='none'><tspan stroke='red' stroke-width='20'>M</tspan></text>",
            "<use href='#r'/>")),
        *(Edit(defs=defs, polygon="fill='url(#p)'") for defs in (
            "<g fill='none'><set attributeName='fill' to='red'/><pattern id='p' width='10' "
            "height='10' patternUnits='userSpaceOnUse'><rect width='10' height='10'/>"
            "</pattern></g>",
            "<pattern id='p' width='0' height='10' patternUnits='userSpaceOnUse'><set "
            "attributeName='width' to='10'/><rect width='10' height='10'/></pattern>",
            "<pattern id='p' width='0' height='10' patternUnits='userSpaceOnUse'><rect "
            "width='10' height='10'/></pattern><set href='#p' attributeName='width' to='10'/>",
            "<pattern id='q' width='10' height='10' patternUnits='userSpaceOnUse' fill='none'>"
            "<rect width='10' height='10'/></pattern><pattern id='p' href='#q'/><set href='#q' "
            "attributeName='fill' to='red'/>",
            "<linearGradient id='p'><stop offset='0' stop-color='red' stop-opacity='0'><set "
            "attributeName='stop-opacity' to='1'/></stop></linearGradient>",
            "<linearGradient id='p' stop-opacity='0'><set attributeName='stop-opacity' to='1'/>"
            "<stop offset='0' stop-color='red' stop-opacity='inherit'/></linearGradient>")),
        *(_cascade(sheet) for sheet in (
            "stop { stop-opacity: 0 } stop { stop-opacity: 1 }",
            "#g stop { stop-opacity: 1 } stop { stop-opacity: 0 }",
            "stop:first-child { stop-opacity: 1 } stop { stop-opacity: 0 }",
            "stop { stop-opacity: 1 } stop { stop-opacity: 0px }",
            "stop { stop-opacity: 0px !important }",
            "stop { stop-color: red } stop { stop-color: rgb(a b c / 0) }",
            "linearGradient/* x */stop { stop-opacity: 0 }",
            "stop { stop-opacity: 0 } #g/**/ stop { stop-opacity: 1 }",
            "stop { stop-opacity: 1 } stop { stop-opacity: 0/**/.0 }")),
        *(Edit(defs=f"<linearGradient id='g'><stop offset='0' {stop}/></linearGradient>",
               polygon="fill='url(#g)'") for stop in (
            "stop-color='red' stop-opacity='0px'", "stop-color='rgb(a b c / 0)'",
            "stop-color='red' style='stop-opacity: 0/**/.0'"))]


@pytest.mark.parametrize("edit", UNSEEN, ids=repr)
def test_a_region_chromium_does_not_show_or_click_is_not_read(page: Any, edit: Edit,
                                                             tmp_path: Path) -> None:
    seen, clicked, read = seen_clicked_read(page, edit, tmp_path)
    assert not (seen and clicked) and read == []


@pytest.mark.parametrize("edit", SEEN, ids=repr)
def test_a_region_chromium_shows_and_clicks_is_read(page: Any, edit: Edit,
                                                    tmp_path: Path) -> None:
    assert seen_clicked_read(page, edit, tmp_path) == (True, True, ["edited"])


@pytest.mark.parametrize("sheet", ["polygon { pointer-events: none }",
                                   "svg > g a { pointer-events: none }",
                                   "text, g { pointer-events: none }"])
def test_a_style_sheet_taking_the_regions_clicks_fails_the_map(page: Any, sheet: str,
                                                               tmp_path: Path) -> None:
    """A sheet's rule of pointer-events: none that selects the square, or what is around
    it: a click at its middle does not reach its link, and the map is not read."""
    with pytest.raises(MuscleError) as info:
        seen_clicked_read(page, Edit(defs=f"<style>{sheet}</style>"), tmp_path)
    assert not page.evaluate(MIDDLE_HIT)
    assert [d.code for d in info.value.diagnostics] == ["bad-svg"]


@pytest.mark.parametrize("sheet", [
    "<style>polygon { fill: url(#missing) }</style>",
    "<linearGradient id='g'><stop offset='0' stop-color='red' stop-opacity='0'/>"
    "</linearGradient><style>a { fill: url(#g) !important }</style>",
    "<pattern id='p' width='0' height='10'><rect width='100' height='100'/></pattern>"
    "<style>svg g { fill: url(#p) }</style>"],
    ids=["missing", "gradient of clear stops", "pattern of no width"])
def test_a_style_sheet_painting_the_regions_with_nothing_fails_the_map(
        page: Any, sheet: str, tmp_path: Path) -> None:
    """A sheet's fill of a gradient or pattern that is not there or paints nothing: the
    map shows nothing of the square, and is not read (as the same fill as an attribute
    leaves the muscle out)."""
    with pytest.raises(MuscleError) as info:
        seen_clicked_read(page, Edit(defs=sheet), tmp_path)
    assert is_blank(decode(page.screenshot()))
    assert [d.code for d in info.value.diagnostics] == ["bad-svg"]


#: An outline of the square: a stroke, no fill.
OUTLINE = "fill='none' stroke='blue' stroke-width='10'"
#: A gradient of clear stops, and one of red.
CLEAR_AND_RED = ("<linearGradient id='clear'><stop offset='0' stop-opacity='0'/>"
                 "</linearGradient><linearGradient id='Red'><stop offset='0' "
                 "stop-color='red'/></linearGradient>")


@pytest.mark.parametrize(("stroke", "shown"), [
    ("url(#missing)", False), ("url(#clear) !important", False), ("none !important", False),
    ("url(#missing) red", True), ("url(#Red)", True)])
def test_a_style_sheets_stroke_of_nothing_leaves_an_outline_out(
        page: Any, stroke: str, shown: bool, tmp_path: Path) -> None:
    """A sheet's stroke of a url() of nothing (or of none !important) takes an outline's
    stroke away: Chromium shows nothing of it, and the reader leaves it out; a stroke that
    paints shows it, and it is read."""
    edit = Edit(defs=f"{CLEAR_AND_RED}<style>polygon {{ stroke: {stroke} }}</style>",
                polygon=OUTLINE)
    _, _, read = seen_clicked_read(page, edit, tmp_path)
    image = decode(page.screenshot())
    stroked = image.pixel(2, 50) != image.pixel(300, 250)  # (on its left side, and away)
    assert stroked is shown and (shown or is_blank(image))
    assert read == (["edited"] if shown else [])


@pytest.mark.parametrize(("selectors", "on", "shown"), [
    ("text", "polygon", True), (".other, g > text", "polygon", True), ("a", "polygon", True),
    ("polygon", "polygon", False), ("svg a", "a", False), ("g", "a", True)])
def test_a_style_sheets_stroke_of_none_takes_away_only_the_outlines_it_selects(
        page: Any, selectors: str, on: str, shown: bool, tmp_path: Path) -> None:
    """A sheet's stroke: none takes an outline's stroke away only where its rule selects
    the polygon, or what it inherits its stroke from (``on`` sets it): Chromium shows the
    outline of a rule of other elements, or of those around what sets it, and the reader
    reads it; one it is taken from is shown and read by neither."""
    edit = Edit(defs=f"<style>{selectors} {{ stroke: none }}</style>", **{on: OUTLINE})
    _, _, read = seen_clicked_read(page, edit, tmp_path)
    image = decode(page.screenshot())
    stroked = image.pixel(2, 50) != image.pixel(300, 250)  # (on its left side, and away)
    assert stroked is shown and read == (["edited"] if shown else [])


def test_a_moved_lifted_copy_is_not_read(page: Any, lifted_site: Site, tmp_path: Path) -> None:
    """The muscle-lift piece that draws latissimus dorsi's small region over pectoralis
    major, moved in an editor, leaves that place to pectoralis major: the map does not
    show the region where its points are, and the reader leaves the muscle out."""
    text = (lifted_site.svg / "map.svg").read_text(encoding="utf-8")
    path = tmp_path / "map.svg"
    path.write_text(text.replace('<a class="muscle-lift"',
                                 '<a transform="translate(400,0)" class="muscle-lift"'),
                    encoding="utf-8")
    page.goto(path.as_uri())
    assert page.evaluate(SVG_HIT, list(SMALL_MIDDLE))["href"] == "pectoralis-major.html"
    read = get_format("svg").read(path, ReadContext(report=lambda diagnostic: None))
    assert [m.slug for m in read] == [m.slug for m in MUSCLES if m.slug != "latissimus-dorsi"]


def test_the_writers_lift_rule_in_a_media_block_reads_back(page: Any, lifted_site: Site,
                                                           tmp_path: Path) -> None:
    """The writer's rule for lifted regions in an @media screen block hides the region
    under pectoralis major as the rule alone does; the small region still takes its
    clicks, and the map reads back exactly."""
    rule = bodymap.LIFT_CSS.splitlines()[0]
    text = (lifted_site.svg / "map.svg").read_text(encoding="utf-8")
    path = tmp_path / "map.svg"
    path.write_text(text.replace(rule, f"@media screen {{ {rule} }}"), encoding="utf-8")
    page.goto(path.as_uri())
    assert page.evaluate("""() => getComputedStyle(
      document.querySelector("polygon.lifted")).visibility""") == "hidden"
    assert page.evaluate(SVG_HIT, list(SMALL_MIDDLE))["href"] == "latissimus-dorsi.html"
    assert converter.read(path) == sorted(
        (m.project(get_format("svg").carries) for m in LIFTED), key=lambda m: m.slug)


#: Base images that run script in Chromium, on opening (the first four) or on a click
#: at (50, 50).
HOSTILE_PICTURES = [
    "<script>alert(1)</script>",
    "<image width='9' height='9' href='none.png' onerror='alert(1)'/>",
    "<foreignObject width='200' height='200'><img xmlns='http://www.w3.org/1999/xhtml' "
    "src='none.png' onerror='alert(1)'/></foreignObject>",
    "<foreignObject width='200' height='200'><iframe xmlns='http://www.w3.org/1999/xhtml' "
    "srcdoc='&lt;script&gt;parent.alert(1)&lt;/script&gt;'/></foreignObject>",
    "<a href='javascript:alert(1)'><rect width='200' height='200'/></a>",
    "<a href='#'><animate attributeName='href' values='javascript:alert(1)'/>"
    "<rect width='200' height='200'/></a>",
]


def _runs_script(page: Any, path: Path, tries: int = 10) -> bool:
    """Whether Chromium, opening ``path`` and clicking at (50, 50), shows a dialog: a
    click is tried again, a tenth of a second apart, ``tries`` times in all (an
    animation of a link's ``href`` takes its value at a frame of its own, which a loaded
    machine may draw after the first click)."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    for _ in range(tries):
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
        if dialogs:
            break
        page.mouse.click(50, 50)
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
        if dialogs:
            break
        page.wait_for_timeout(100)
    return bool(dialogs)


@pytest.mark.parametrize("hostile", HOSTILE_PICTURES)
def test_a_base_image_that_runs_script_is_refused(page: Any, hostile: str,
                                                  tmp_path: Path) -> None:
    """A local SVG --base-image was copied into the output verbatim: opened, the copy
    ran its script. Chromium runs this one; converting with it writes nothing."""
    picture = tmp_path / "body.svg"
    picture.write_text(f"<svg xmlns='http://www.w3.org/2000/svg' width='200' height='200'>"
                       f"\n{hostile}\n</svg>", encoding="utf-8")
    assert _runs_script(page, picture)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "svg", "-o",
                                      str(tmp_path / "out"), "--base-image", str(picture),
                                      "--size", "2000x2000"])
    assert result.exit_code == 2 and f"{picture}:2: <" in result.output
    assert not (tmp_path / "out").exists()


def test_a_base_image_in_utf_16_that_runs_script_is_refused(page: Any,
                                                            tmp_path: Path) -> None:
    """An SVG in UTF-16 does not start with "<" as bytes: it was copied as a picture
    that is no XML, and Chromium runs its script."""
    picture = tmp_path / "body.svg"
    picture.write_text("<svg xmlns='http://www.w3.org/2000/svg' width='200' height='200'>\n"
                       "<rect width='200' height='200' onclick='alert(1)'/></svg>",
                       encoding="utf-16")
    assert _runs_script(page, picture)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "svg", "-o",
                                      str(tmp_path / "out"), "--base-image", str(picture),
                                      "--size", "2000x2000"])
    assert result.exit_code == 2 and f"{picture}:2: <rect> has the event" in result.output
    assert not (tmp_path / "out").exists()


def test_a_base_image_in_utf_32_that_runs_script_is_refused(page: Any,
                                                            tmp_path: Path) -> None:
    """An SVG in UTF-32 was refused as not well-formed (expat reads no UTF-32); read now,
    and copied as UTF-8, in which Chromium runs the script of this one, it is refused
    for its script at its line."""
    text = ("<?xml version='1.0' encoding='UTF-32'?>\n<svg xmlns='http://www.w3.org/2000/"
            "svg' width='200' height='200'>\n<rect width='200' height='200' "
            "onclick='alert(1)'/></svg>")
    picture, copy = tmp_path / "body.svg", tmp_path / "copy.svg"
    picture.write_bytes(text.encode("utf-32"))
    copy.write_bytes(stretched(picture.read_bytes()))
    assert _runs_script(page, copy)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "svg", "-o",
                                      str(tmp_path / "out"), "--base-image", str(picture),
                                      "--size", "2000x2000"])
    assert result.exit_code == 2 and f"{picture}:3: <rect> has the event" in result.output
    assert not (tmp_path / "out").exists()


def test_a_base_image_that_runs_no_script_is_copied_and_runs_none(page: Any,
                                                                  tmp_path: Path) -> None:
    picture = tmp_path / "body.svg"
    picture.write_text("<svg xmlns='http://www.w3.org/2000/svg' width='200' height='200'>"
                       "<style>rect { fill: #eee }</style><rect width='200' height='200'>"
                       "<set attributeName='fill' to='red' begin='click'/></rect></svg>",
                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "svg", "-o",
                                      str(tmp_path / "out"), "--base-image", str(picture),
                                      "--size", "2000x2000"])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "out" / "_base-image.svg"
    assert copy.read_bytes() == stretched(picture.read_bytes())
    assert not _runs_script(page, copy)


#: A triangle of "inner" and, around it, a polygon of "outer" (larger, smaller than
#: inner's other region) touching it at its corners and the middles of its sides: the
#: triangle was not lifted over outer, and a click inside it went to outer.
CROWNED = [Muscle(slug="inner", title="Inner", regions=(
               Region(((100, 100), (300, 100), (200, 300))), _square(400, 0, 400))),
           Muscle(slug="outer", title="Outer", regions=(Region((
               (100, 100), (150, 60), (200, 100), (250, 60), (300, 100), (295, 160),
               (250, 200), (245, 260), (200, 300), (155, 260), (150, 200), (105, 160))),))]


@pytest.mark.parametrize(("name", "script"), [("svg/map.svg", SVG_HIT),
                                              ("html/index.html", SVG_HIT),
                                              ("html/index.html", IMAGE_HIT)],
                         ids=["map.svg", "inline map", "image map"])
def test_a_region_touching_a_larger_one_at_its_corners_takes_the_clicks_inside_it(
        page: Any, tmp_path: Path, name: str, script: str) -> None:
    start = make_site(tmp_path, CROWNED).svg.parent / name
    page.goto(start.as_uri())
    hit = page.evaluate(script, [200, 170])
    assert hit["href"] == "inner.html"
    page.mouse.click(hit["x"], hit["y"])
    page.wait_for_url((start.parent / "inner.html").as_uri())
    page.goto(start.as_uri())
    assert page.evaluate(script, [150, 90])["href"] == "outer.html"


#: Where the first and the last letter of each list entry's Latin name are drawn (x of
#: their boxes' left sides), and whether the name's own letters run left to right.
LATIN_ENDS = """() => [...document.querySelectorAll("nav li")].map((item) => {
  const latin = item.querySelector(".latin").firstChild, name = item.querySelector("a, .unmapped");
  const at = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    return range.getBoundingClientRect().left;
  };
  const text = name.firstChild;
  return [at(latin, 0) < at(latin, latin.length - 1),
          at(text, 1) > at(text, text.length - 1)];
})"""


def test_a_right_to_left_override_in_a_name_reorders_only_that_name(
        page: Any, tmp_path: Path) -> None:
    """A title of "\\u202eevil" (a right-to-left override, left open) reversed the Latin
    name beside it in index.html's list too; each text is isolated now, so the Latin
    name reads left to right while the title itself is reversed, as it asks (for a
    muscle on the map and one not on it)."""
    muscles = [Muscle(slug="a", title="\u202eevil", latin="Musculus testus",
                      regions=(_square(10, 10, 50),)),
               Muscle(slug="b", title="\u202eworse", latin="Musculus alter")]
    converter.write(muscles, tmp_path / "html", "html")
    page.goto((tmp_path / "html" / "index.html").as_uri())
    assert page.evaluate(LATIN_ENDS) == [[True, True], [True, True]]


#: A slug built by hand that closes the map's <style> and opens a <script> (a muscle no
#: reader gives, nor write() takes: map_svg() is called with it directly).
STYLE_BREAKER = ('x{}</style><script>document.documentElement.setAttribute("data-pwned",'
                 '"yes")</script><style>x')


@pytest.mark.parametrize("inline", [False, True], ids=["map.svg", "inline map"])
def test_a_lifted_slug_that_closes_the_style_runs_no_script(page: Any, tmp_path: Path,
                                                            inline: bool) -> None:
    """A muscle's slug went into the CSS of its lifted region as it was: one built by
    hand closed the <style> and Chromium ran the <script> after it. It is escaped for
    CSS now: no script runs, and the rule still highlights the lifted region with its
    muscle's Tab focus."""
    evil = Muscle(slug=STYLE_BREAKER, title="S", regions=(
        Region(((10, 10), (20, 10), (10, 20))), Region(((200, 0), (900, 0), (200, 900)))))
    big = Muscle(slug="big", title="B", regions=(Region(((0, 0), (100, 0), (0, 100))),))
    drawn = bodymap.map_svg([evil, big], bodymap.fit_viewbox([evil, big]),
                            prolog=not inline)
    path = tmp_path / ("index.html" if inline else "map.svg")
    path.write_text(f"<!DOCTYPE html><html><body>{drawn}</body></html>" if inline else drawn,
                    encoding="utf-8")
    page.goto(path.as_uri())
    assert page.evaluate("document.documentElement.getAttribute('data-pwned')") is None
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    resting = lifted_fill_opacity(page, (12, 12))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.slug") == STYLE_BREAKER
    assert lifted_fill_opacity(page, (12, 12)) > resting
