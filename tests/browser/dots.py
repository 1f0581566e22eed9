"""Tiny regions on a huge diagram, for the browser tests of maps and cards: a corpus of
them, and the focused outline's red found in a screenshot."""

from __future__ import annotations

from pathlib import Path

from tests.browser.png import Image

#: A diagram of 20000 x 40000 pixels (shown 500 x 1000, 1:40), a muscle on its left half
#: and two 16-pixel squares, 0.4 of a shown pixel a side, within one shown pixel (their
#: image map areas, rounded, were of no pixel): one on the large muscle, one on nothing.
DOTS = {"big": "0,0,10000,0,10000,40000,0,40000",
        "on-big": "2002,10002,2018,10002,2018,10018,2002,10018",
        "alone": "15002,30002,15018,30002,15018,30018,15002,30018"}


def dots_corpus(root: Path) -> Path:
    """A folder of one source file per muscle of :data:`DOTS`, in ``root``."""
    corpus = root / "dots"
    corpus.mkdir()
    for slug, coords in DOTS.items():
        (corpus / f"{slug}.md").write_text(f'---\ntitle: {slug.title()}\ncoords:\n'
                                           f'  - "{coords}"\n---\n', encoding="utf-8")
    return corpus


def is_focus_red(colour: bytes) -> bool:
    """Whether a pixel is of the focused muscle's dark red outline (#7b1010), not a faint
    tint of it: red well above green and blue."""
    red, green, blue = colour[:3]
    return red - max(green, blue) > 60


def focus_red_near(picture: Image, x: int, y: int) -> list[bytes]:
    """The pixels of the focused outline's red within two pixels of (``x``, ``y``), in
    the picture."""
    near = [picture.pixel(column, row)
            for column in range(max(0, x - 2), min(picture.width, x + 3))
            for row in range(max(0, y - 2), min(picture.height, y + 3))]
    return [colour for colour in near if is_focus_red(colour)]
