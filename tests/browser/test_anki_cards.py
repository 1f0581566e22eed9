"""Anki cards as a person sees them: rendered by the official Anki library from an
imported deck, then laid out by headless Chromium in day and night mode, on a desktop
and a phone-sized window.

Anki shows a card as its rendered HTML inside ``<body class="card cardN">`` with the
note type's CSS; night mode adds ``nightMode`` (Anki desktop, AnkiMobile) or
``night_mode`` (AnkiDroid) to that element. The pages are written into the collection's
media folder, so the focus images load exactly as Anki would load them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

import converter
from converter.bodymap import SVG_NS
from converter.model import Muscle, Region
from converter.registry import Source, WriteContext
from formats.anki import AnkiFormat, media_name
from tests.browser.dots import DOTS, focus_red_near
from tests.browser.png import decode, is_blank
from tests.conftest import SAMPLES

MUSCLES = sorted(converter.read(SAMPLES), key=lambda m: m.slug)
MAPPED = next(m for m in MUSCLES if m.regions and m.latin)
DESKTOP = {"width": 1000, "height": 800}
PHONE = {"width": 360, "height": 740}
DAY = "card card{n}"
NIGHTS = ["card card{n} nightMode", "card card{n} night_mode"]
MODES = ["day", "nightMode", "night_mode"]
QUESTIONS = {
    "en": ["Origin, insertion and functions?", "Which muscle is highlighted?",
           "Which muscle is this?"],
    "da": ["Udspring, hæfte og funktioner?", "Hvilken muskel er fremhævet?",
           "Hvilken muskel er det?"],
}
PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>{css}</style></head><body>{html}</body></html>")


def rendered_cards(folder: Path, muscles: list[Muscle], lang: str
                   ) -> dict[tuple[str, str, int, str], Path]:
    """The deck of ``muscles`` in ``lang``, imported into a collection in ``folder``: (lang,
    slug, card ordinal, "question"|"answer") -> the card as a page in its media folder."""
    from anki.collection import Collection, ImportAnkiPackageRequest

    pages = {}
    deck = folder / "muscles.apkg"
    sources = {m.slug: Source(f"{m.slug}.md", 1_700_000_000) for m in muscles}
    AnkiFormat().write(iter(muscles), deck, WriteContext(
        options={"lang": lang}, sources=sources, report=lambda d: None))
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck)))
        media = Path(col.media.dir())
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            slug, shown = card.note()["Slug"], card.render_output()
            for side, html in (("question", shown.question_text),
                               ("answer", shown.answer_text)):
                page = media / f"{slug}-{card.ord}-{side}.html"
                page.write_text(PAGE.format(css=shown.css, html=html), encoding="utf-8")
                pages[(lang, slug, card.ord, side)] = page
    finally:
        col.close()
    return pages


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, int, str], Path]:
    """(lang, slug, card ordinal, "question"|"answer") -> the card as a page on disk."""
    pages = {}
    for lang in QUESTIONS:
        pages.update(rendered_cards(tmp_path_factory.mktemp(f"anki-{lang}"), MUSCLES, lang))
    return pages


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    fresh = context.new_page()
    yield fresh
    context.close()


def show(page: Any, path: Path, classes: str) -> None:
    page.goto(path.as_uri())
    page.evaluate("(classes) => { document.body.className = classes; }", classes)
    page.wait_for_load_state("load")


def _luminance(colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+(?:\.\d+)?", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two computed ``rgb(...)`` colours."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: Every kind of text an answer shows, by CSS selector.
TEXTS = (".prompt", ".latin", ".details h3", ".details li .short", ".extended",
         ".lang-fallback", ".exercises li")
TEXT_COLOURS = """(selectors) => ({
  background: getComputedStyle(document.body).backgroundColor,
  texts: selectors.map((s) => [s, [...document.querySelectorAll(s)]
    .filter((e) => e.getClientRects().length > 0)
    .map((e) => getComputedStyle(e).color)]),
})"""


@pytest.mark.parametrize("lang", sorted(QUESTIONS))
def test_each_card_asks_its_question_in_the_decks_language(page: Any, cards: dict,
                                                           lang: str) -> None:
    for ordinal, question in enumerate(QUESTIONS[lang]):
        show(page, cards[(lang, MAPPED.slug, ordinal, "question")], DAY.format(n=ordinal + 1))
        label = page.evaluate("() => getComputedStyle(document.querySelector('.question'),"
                              " '::before').content")
        assert label == f'"{question}"'
        assert page.locator(".question").inner_text() == ""  # the label is all it shows


@pytest.mark.parametrize("classes", [DAY, *NIGHTS], ids=MODES)
def test_text_is_readable_in_day_and_night_mode(page: Any, cards: dict, classes: str) -> None:
    # The Danish answer of a muscle with English-only texts shows every kind of text,
    # the "(en)" fallback marks included.
    slug = next(m.slug for m in MUSCLES if m.latin and "da" not in m.origin)
    show(page, cards[("da", slug, 0, "answer")], classes.format(n=1))
    found = page.evaluate(TEXT_COLOURS, list(TEXTS))
    night = classes != DAY
    assert (_luminance(found["background"]) < 0.05) is night, found["background"]
    for selector, colours in found["texts"]:
        assert colours, f"no {selector} shown"
        for colour in colours:
            assert contrast(colour, found["background"]) >= 4.5, (selector, colour)


@pytest.mark.parametrize("classes", [DAY, *NIGHTS], ids=MODES)
@pytest.mark.parametrize("side", ["question", "answer"])
def test_focus_image_card_shows_the_image_whole_on_a_phone(page: Any, cards: dict,
                                                           classes: str, side: str) -> None:
    page.set_viewport_size(PHONE)
    show(page, cards[("en", MAPPED.slug, 1, side)], classes.format(n=2))
    image = page.locator(".figure img")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0",
                         image.element_handle())
    box = image.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] + box["height"] <= PHONE["height"]
    assert box["width"] > PHONE["width"] / 2
    picture = decode(image.screenshot())
    assert not is_blank(picture)
    # the highlighted muscle is drawn in strong red, the others in grey
    assert any(p[0] > 150 and p[1] < 90 and p[2] < 90 for p in picture.colours())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_longest_answer_fits_the_window_width(page: Any, cards: dict,
                                              viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    longest = max((p for (lang, _, ordinal, side), p in cards.items()
                   if (lang, ordinal, side) == ("en", 0, "answer")),
                  key=lambda p: p.stat().st_size)
    show(page, longest, DAY.format(n=1))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    size = float(page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)"))
    assert size >= 16
    line = page.evaluate("() => document.querySelector('.details').getBoundingClientRect()"
                         ".width")
    assert line <= 40 * size  # lines stay short enough to read on a wide screen


def dot_pixel(image: Path, shown_width: float) -> tuple[int, int]:
    """The whole pixel nearest the middle of the highlighted polygon of the focus image
    ``image`` shown ``shown_width`` CSS pixels wide, from its top left corner."""
    root = ElementTree.parse(image).getroot()
    left, top, width, _ = map(float, root.get("viewBox", "").split())
    polygon = root.find(f"{{{SVG_NS}}}g[@class='focus']/{{{SVG_NS}}}polygon")
    numbers = [float(n) for n in re.split("[ ,]", polygon.get("points", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    scale = shown_width / width
    return (round(((min(xs) + max(xs)) / 2 - left) * scale),
            round(((min(ys) + max(ys)) / 2 - top) * scale))


@pytest.mark.parametrize("slug", ["alone", "on-big"])
def test_a_focus_image_card_shows_its_region_under_a_pixel_as_a_dot(
        page: Any, tmp_path: Path, slug: str) -> None:
    """A card's focus image of a 16-pixel square on a 20000 x 40000 diagram scaled the
    square's outline with it: Anki showed a faint tint, not the muscle asked about. Its
    outline is drawn 2 CSS pixels wide at any scale now: a red dot where it lies."""
    muscles = [Muscle(slug=name, title=name.title(), regions=(square(coords),))
               for name, coords in DOTS.items()]
    shown = rendered_cards(tmp_path, muscles, "en")[("en", slug, 1, "question")]
    show(page, shown, DAY.format(n=2))
    image = page.locator(".figure img")
    x, y = dot_pixel(shown.parent / media_name(slug), image.bounding_box()["width"])
    assert focus_red_near(decode(image.screenshot()), x, y), (slug, x, y)


def square(coords: str) -> Region:
    """The region of an image map's ``coords``."""
    numbers = [int(n) for n in coords.split(",")]
    return Region(tuple(zip(numbers[0::2], numbers[1::2], strict=True)))


#: Whether each language marker of a card ("(da)") is drawn left to right: its first
#: character's box left of its last one's.
MARKERS_IN_ORDER = """() => [...document.querySelectorAll(".lang-fallback")].map((marker) => {
  const text = marker.firstChild, at = (i) => {
    const range = document.createRange();
    range.setStart(text, i); range.setEnd(text, i + 1);
    return range.getBoundingClientRect().left;
  };
  return at(0) < at(text.length - 1);
})"""


def test_a_right_to_left_override_in_a_text_leaves_its_language_marker_alone(
        page: Any, tmp_path: Path) -> None:
    """A text taken in another language is followed by that language's marker, "(da)":
    a right-to-left override left open in the text reversed the marker too. The text is
    isolated now."""
    from converter.model import Function, LocalizedText

    muscle = Muscle(slug="m", title="M", origin=LocalizedText({"da": "\u202eevil"}),
                    functions=(Function(LocalizedText({"en": "Lifts"}),
                                        LocalizedText({"da": "\u202eworse"})),))
    cards = rendered_cards(tmp_path, [muscle], "en")
    show(page, cards[("en", "m", 0, "answer")], DAY.format(n=1))
    assert page.evaluate(MARKERS_IN_ORDER) == [True, True]
