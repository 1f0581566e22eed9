"""What in an SVG file can run script when a browser opens it (converter.svgscript):
each way found at its line, a picture that runs nothing let through (the refusal of such
a --base-image is in tests/test_bodymap.py, and what Chromium runs of these files in
tests/browser/test_map_browser.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from converter.svgscript import script_in

#: A picture's start, and what can run script in it, from line 3, with its start.
HEAD = "<svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink'>\n<g/>\n"
HOSTILE = [
    ("<script>alert(1)</script>", "<script> can run script"),
    ("<rect onload='alert(1)'/>", "<rect> has the event attribute onload="),
    ("<rect ONCLICK='alert(1)'/>", "<rect> has the event attribute ONCLICK="),
    ("<a href='javascript:alert(1)'><rect/></a>", "<a> has href='javascript:alert(1)'"),
    ("<a x:href=' java\tscript:alert(1)'/>", "<a> has href="),
    ("<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'/></foreignObject>",
     "<foreignObject> can run script"),
    ("<h:iframe xmlns:h='http://www.w3.org/1999/xhtml' src='x.html'/>",
     "<iframe> can run script"),
    ("<a><animate attributeName='href' values='javascript:alert(1)'/></a>",
     "<animate> has values="),
    ("<a><set attributeName='xlink:href' to='x.html'/></a>", "<set> sets xlink:href"),
    ("<set attributeName='onclick' to='alert(1)'/>", "<set> sets onclick"),
    ("<embed src='x.swf'/>", "<embed> can run script"),
]


@pytest.mark.parametrize(("hostile", "said"), HOSTILE, ids=[h for h, _ in HOSTILE])
def test_what_can_run_script_is_found_at_its_line(hostile: str, said: str,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "body.svg"
    path.write_text(f"{HEAD}{hostile}\n</svg>\n", encoding="utf-8")
    line, what = script_in(path)
    assert line == 3 and what.startswith(said)


def test_an_xslt_sheet_an_entity_and_bad_xml_cannot_be_let_through(tmp_path: Path) -> None:
    path = tmp_path / "body.svg"
    path.write_text(f"<?xml version='1.0'?>\n<?xml-stylesheet type='text/xsl' href='x.xsl'?>"
                    f"\n{HEAD}</svg>", encoding="utf-8")
    assert script_in(path) == (2, "<?xml-stylesheet?> links a style sheet, which may be XSLT "
                               "that writes script")
    path.write_text("<!DOCTYPE svg [<!ENTITY s '&lt;script/&gt;'>]>\n<svg>&s;</svg>")
    assert script_in(path)[1].startswith("declares entities")
    path.write_text(f"{HEAD}<rect>\n</svg>")
    assert script_in(path)[1] == "is not well-formed XML, so cannot be checked for script"


def test_a_compressed_svg_is_checked_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "body.svgz"
    path.write_bytes(gzip.compress(f"{HEAD}<script/></svg>".encode()))
    assert script_in(path) == (3, "<script> can run script")


def test_a_picture_that_runs_nothing_is_let_through(tmp_path: Path) -> None:
    """An Inkscape drawing: its own namespaces, an embedded PNG (a data: link), a style
    sheet, links to pages, a colour animation, a picture of no XML."""
    path = tmp_path / "body.svg"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN'"
        " 'http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd'>\n" + HEAD +
        "<sodipodi:namedview xmlns:sodipodi='http://sodipodi.sourceforge.net/DTD/sodipodi-"
        "0.dtd' id='base' opacity='1'/><style>rect { fill: red }</style>"
        "<image x:href='data:image/png;base64,iVBORw0KGgo=' width='9' height='9'/>"
        "<a href='https://example.org/'><rect width='9' height='9' offset='1'>"
        "<set attributeName='fill' to='blue' begin='mouseover'/></rect></a></svg>",
        encoding="utf-8")
    assert script_in(path) is None
    path.write_bytes(b"\x89PNG\r\n\x1a\n<script>")
    assert script_in(path) is None
