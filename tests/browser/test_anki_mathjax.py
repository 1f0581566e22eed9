"""TeX in a muscle's texts is shown as written on Anki's cards, never typeset.

Anki typesets ``\\( \\)`` and ``\\[ \\]`` on every card with MathJax 3, and its TeX
reaches beyond layout: ``\\href`` makes a link (a ``javascript:`` one too), ``\\style``
sets CSS. The cards are rendered by the official Anki library from an imported deck,
then typeset in headless Chromium by MathJax 3 (``make test`` installs it from npm)
with Anki's own configuration (``ts/mathjax/index.ts`` in Anki's source).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from converter.model import Function, LocalizedText, Muscle
from converter.registry import Source, WriteContext
from formats.anki import AnkiFormat
from tests.conftest import ROOT

MATHJAX = ROOT / ".cache" / "npm" / "node_modules" / "mathjax" / "es5" / "tex-chtml-full.js"
#: Anki's MathJax configuration (its options left at MathJax's defaults, as Anki does).
ANKI_CONFIG = {
    "tex": {"displayMath": [["\\[", "\\]"]], "processEscapes": False,
            "processEnvironments": False, "processRefs": False,
            "packages": ["base", "action", "ams", "autoload", "configmacros", "mathtools",
                         "mhchem", "newcommand", "noundefined", "require"]},
    "startup": {"typeset": False},
}
PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8">'
        "<script>window.MathJax = {config};</script><script src=\"{src}\"></script>"
        '<style>{css}</style></head><body class="card">{html}</body></html>')
TEX = "\\(\\href{javascript:alert(1)}{x^2}\\) and \\[\\style{color:red}{y}\\]"
TYPESET = """() => MathJax.startup.promise
  .then(() => MathJax.typesetPromise())
  .then(() => [document.querySelectorAll('mjx-container').length,
               document.querySelectorAll('a[href^="javascript"]').length])"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """(css, html) of both sides of every card of a muscle whose every text is TeX."""
    from anki.collection import Collection, ImportAnkiPackageRequest

    if not MATHJAX.is_file():
        pytest.fail(f"{MATHJAX} is missing: make test installs MathJax with npm")
    text = LocalizedText({"en": TEX})
    muscle = Muscle(slug="tex", title=TEX, latin=TEX, origin=text, insertion=text,
                    functions=(Function(text, text),), exercises=(TEX,))
    folder = tmp_path_factory.mktemp("anki-tex")
    deck = folder / "muscles.apkg"
    AnkiFormat().write(iter([muscle]), deck, WriteContext(
        sources={"tex": Source("tex.md", 1_700_000_000)}, report=lambda d: None))
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck)))
        found = []
        for cid in col.find_cards(""):
            shown = col.get_card(cid).render_output()
            found += [(shown.css, shown.question_text), (shown.css, shown.answer_text)]
    finally:
        col.close()
    assert len(found) == 4  # (no image: the name and the Latin card)
    return found


def typeset(browser: Any, folder: Path, css: str, html: str) -> list[int]:
    """[typeset formulas, javascript: links] once MathJax has typeset the card."""
    page_file = folder / "card.html"
    page_file.write_text(PAGE.format(config=json.dumps(ANKI_CONFIG), src=MATHJAX.as_uri(),
                                     css=css, html=html), encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        return page.evaluate(TYPESET)
    finally:
        context.close()


def test_tex_in_a_text_is_shown_as_written_not_typeset(
        browser: Any, pages: list[tuple[str, str]], tmp_path: Path) -> None:
    for css, html in pages:
        assert "\\(\\href{javascript:alert(1)}" in html  # (the text as written)
        assert typeset(browser, tmp_path, css, html) == [0, 0]


def test_the_same_card_without_its_guard_is_typeset(
        browser: Any, pages: list[tuple[str, str]], tmp_path: Path) -> None:
    """The check above can fail: MathJax typesets these texts, \\href and all."""
    css, html = pages[1]  # (an answer: every text)
    bare = html.replace("tex2jax_ignore mathjax_ignore", "")
    formulas, links = typeset(browser, tmp_path, css, bare)
    assert formulas >= 2 and links >= 1
