"""The shared SVG drawing helpers: viewBoxes, the map, focus images, option checks."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import converter
from converter import bodymap, layers
from converter.baseimage import stretched
from converter.bodymap import ViewBox
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.faint import FAINT_NEAR
from converter.model import LocalizedText, Muscle, Region
from converter.registry import Source, WriteContext
from converter.safety import css_escape
from tests.conftest import SAMPLES, detailed_muscles
from tests.strategies import corpora, regions

SVG = "{http://www.w3.org/2000/svg}"


def parse(text: str):
    from defusedxml.ElementTree import fromstring

    return fromstring(text.encode("utf-8"))


def muscle(slug: str, *regions: str, title: str | None = None) -> Muscle:
    from converter.coords import parse_coords

    return Muscle(slug=slug, title=title or slug.title(),
                  regions=tuple(Region(parse_coords(r)) for r in regions))


ARM = muscle("arm", "10,20,30,20,30,60", "110,20,130,20,130,60")
LEG = muscle("leg", "12.50,100,40,100,40,180.25")


def test_viewbox_attribute_text() -> None:
    box = ViewBox(-7, Decimal("2.50"), 100, 80)
    assert box.attr == "-7 2.50 100 80"
    assert str(box) == box.attr
    assert box.frame == ViewBox(0, 0, 93, Decimal("82.50"))


def test_fit_viewbox_is_the_bounding_box_plus_margin() -> None:
    assert bodymap.fit_viewbox([ARM, LEG]) == ViewBox(-10, 0, 160,
                                                      Decimal("200.25"))
    assert bodymap.fit_viewbox([ARM], margin=0) == ViewBox(10, 20, 120, 40)


def test_fit_viewbox_without_regions_is_the_default_diagram() -> None:
    assert bodymap.fit_viewbox([]) == ViewBox(0, 0, 1000, 1000)
    assert bodymap.fit_viewbox([Muscle(slug="x", title="X")]) == ViewBox(0, 0, 1000, 1000)


def test_decimal_numbers_are_never_written_in_exponent_form() -> None:
    assert bodymap.number(Decimal("1E+3")) == "1000"
    assert bodymap.number(Decimal("12.50")) == "12.50"
    assert bodymap.points_attr(LEG.regions[0]) == "12.50,100,40,100,40,180.25"


@pytest.mark.parametrize("size", ["1000x800", " 1000 X 800 "])
def test_viewbox_for_size(size: str) -> None:
    assert bodymap.viewbox_for_size(size) == ViewBox(0, 0, 1000, 800)


@pytest.mark.parametrize("size", ["1000", "0x10", "10x-5", "axb", "10x10x10", "",
                                  "\N{ARABIC-INDIC DIGIT EIGHT}00x600"])
def test_bad_size_is_a_usage_error(size: str) -> None:
    with pytest.raises(MuscleError) as info:
        bodymap.viewbox_for_size(size)
    assert info.value.diagnostics[0].code == "bad-size"


def test_links_substitute_only_the_slug() -> None:
    assert bodymap.resolve_link("/m/{slug}.html", "arm") == "/m/arm.html"
    assert bodymap.resolve_link("{slug}{0}{__class__}", "arm") == "arm{0}{__class__}"
    assert bodymap.resolve_link("https://example.org/{slug}", "arm") == \
        "https://example.org/arm"
    assert bodymap.resolve_link("javascript:go('{slug}')", "arm") is None
    assert bodymap.resolve_link("{slug}:alert(1)", "javascript") is None
    assert bodymap.resolve_link(" JavaScript:x", "arm") is None


def test_map_svg_structure() -> None:
    root = parse(bodymap.map_svg([ARM, LEG], ViewBox(0, 0, 200, 200),
                                 link_template="/m/{slug}"))
    assert root.get("viewBox") == "0 0 200 200"
    links = root.findall(f"{SVG}a")
    assert [a.get("data-slug") for a in links] == ["arm", "leg"]
    arm = links[0]
    assert arm.get("href") == "/m/arm"
    assert arm.get("id") == "muscle-arm"
    assert arm.get("aria-label") == "Arm"
    assert arm.find(f"{SVG}title").text == "Arm"
    assert [p.get("points") for p in arm.findall(f"{SVG}polygon")] == [
        "10,20,30,20,30,60", "110,20,130,20,130,60"]
    assert ":hover" in root.find(f"{SVG}style").text
    assert ":focus" in root.find(f"{SVG}style").text


def test_map_svg_leaves_out_unsafe_links_and_base_images() -> None:
    text = bodymap.map_svg([ARM], ViewBox(0, 0, 200, 200), link_template="data:{slug}",
                           base_image="javascript:alert(1)")
    root = parse(text)
    assert root.find(f"{SVG}a").get("href") is None
    assert root.find(f"{SVG}image") is None
    assert "javascript" not in text and "data:" not in text


def test_map_svg_for_inlining_has_no_prolog() -> None:
    text = bodymap.map_svg([ARM], ViewBox(0, 0, 10, 10), prolog=False)
    assert text.startswith("<svg ")
    assert bodymap.map_svg([ARM], ViewBox(0, 0, 10, 10)).startswith("<?xml")


def test_focus_svg_highlights_one_muscle() -> None:
    text = bodymap.focus_svg(LEG, [ARM, LEG], ViewBox(0, 0, 200, 200),
                             base_image="body.png")
    root = parse(text)
    groups = {g.get("class"): g for g in root.findall(f"{SVG}g")}
    assert [p.get("points") for p in groups["focus"]] == ["12.50,100,40,100,40,180.25"]
    assert [p.get("points") for p in groups["others"]] == [r.coords for r in ARM.regions]
    assert float(groups["focus"].get("fill-opacity")) > float(
        groups["others"].get("fill-opacity"))
    assert root.find(f"{SVG}title").text == "Leg"
    image = root.find(f"{SVG}image")
    assert (image.get("href"), image.get("width"), image.get("height")) == (
        "body.png", "200", "200")
    assert text == bodymap.focus_svg(LEG, [ARM, LEG], ViewBox(0, 0, 200, 200),
                                     base_image="body.png")


def test_focus_svg_draws_others_only_up_to_the_faint_limit(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(bodymap, "FAINT_LIMIT", 2)
    box = ViewBox(0, 0, 200, 200)
    shown = parse(bodymap.focus_svg(LEG, [ARM, LEG], box))
    crowd = [ARM, LEG, muscle("neck", "50,5,60,5,60,15")]
    alone = parse(bodymap.focus_svg(LEG, crowd, box))
    assert len(list(shown.iter(f"{SVG}polygon"))) == 3
    assert [p.get("points") for p in alone.iter(f"{SVG}polygon")] == [LEG.regions[0].coords]
    found: list[Diagnostic] = []
    ctx = WriteContext(report=found.append)
    bodymap.report_faint_limit(2, 9, ctx, tmp_path)
    assert found == []
    bodymap.report_faint_limit(3, 12, ctx, tmp_path)
    assert [(d.path, d.code, d.severity) for d in found] == [
        (str(tmp_path), "focus-without-context", "warning")]


def test_focus_svg_draws_others_only_up_to_the_faint_points(tmp_path: Path) -> None:
    """The faint layer was capped by muscles only: 400 muscles of 500 points made focus
    images of 906 MB, each copying every other muscle's points. Past FAINT_POINTS
    points in all each image draws its own muscle alone, with the warning."""
    crowd = detailed_muscles(3, bodymap.FAINT_POINTS // 3 + 1)
    few = detailed_muscles(2, FAINT_NEAR // 2)  # (within what an image draws of others)
    box = bodymap.fit_viewbox(crowd)
    drawn = dict(bodymap.focus_svgs(crowd, crowd, box))
    for mine in crowd:
        assert [p.get("points") for p in parse(drawn[mine]).iter(f"{SVG}polygon")] == [
            mine.regions[0].coords]
    assert len(list(parse(bodymap.focus_svg(few[0], few, box)).iter(f"{SVG}polygon"))) == 2
    found: list[Diagnostic] = []
    ctx = WriteContext(report=found.append)
    bodymap.report_faint_limit(2, bodymap.region_points(few), ctx, tmp_path)
    assert found == []
    bodymap.report_faint_limit(3, bodymap.region_points(crowd), ctx, tmp_path)
    assert [(d.path, d.code, d.severity, d.message) for d in found] == [
        (str(tmp_path), "focus-without-context", "warning",
         f"the muscles' regions have {bodymap.region_points(crowd)} points in all, more "
         f"than the {bodymap.FAINT_POINTS} a focus image draws faintly around its muscle: "
         "each focus image shows its own muscle only")]


def test_past_the_nearest_points_the_writer_says_each_image_draws_its_neighbours(
        tmp_path: Path) -> None:
    """Each focus image copied every other muscle's points: the images grew with the
    square of the corpus. Past FAINT_NEAR points in all the nearest are drawn, and said."""
    found: list[Diagnostic] = []
    ctx = WriteContext(report=found.append)
    bodymap.report_faint_limit(3, FAINT_NEAR, ctx, tmp_path)
    assert found == []
    bodymap.report_faint_limit(3, FAINT_NEAR + 1, ctx, tmp_path)
    assert [(d.path, d.code, d.severity, d.message) for d in found] == [
        (str(tmp_path), "focus-without-context", "warning",
         f"the muscles' regions have {FAINT_NEAR + 1} points in all, more than the "
         f"{FAINT_NEAR} a focus image draws faintly around its muscle: each focus image "
         f"draws the other muscles nearest its own, up to {FAINT_NEAR} of their points, "
         "and leaves the farther ones out")]
    row = detailed_muscles(6, FAINT_NEAR // 3)
    drawn = parse(bodymap.focus_svg(row[0], row, bodymap.fit_viewbox(row)))
    assert [p.get("points") for p in drawn.iter(f"{SVG}polygon")] == [
        m.regions[0].coords for m in (*row[1:4], row[0])]


def test_hostile_titles_are_escaped() -> None:
    evil = muscle("evil", "1,1,5,1,5,5", title='<script>alert(1)</script>"><svg onload=x>&amp;')
    box = ViewBox(0, 0, 9, 9)
    drawn = {"map": bodymap.map_svg([evil], box, lang='"><x onload=y>'),
             "focus": bodymap.focus_svg(evil, [evil], box),
             "diagram": bodymap.diagram_svg([evil], box, lang='"><x onload=y>')}
    for name, text in drawn.items():
        root = parse(text)
        assert not [e for e in root.iter() if e.tag.endswith("script")], name
        assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
        assert all(e.tag.startswith(SVG) for e in root.iter()), name
    for name in ("map", "focus"):
        assert evil.title in [e.text for e in parse(drawn[name]).iter(f"{SVG}title")]
        assert "<script>" not in drawn[name]


#: A slug built by hand that closes the map's <style> and opens a <script>.
STYLE_BREAKER = 'x{}</style><script>alert(1)</script><style>x'


def test_a_lifted_slug_is_escaped_in_the_maps_style() -> None:
    """The slug of a muscle whose region is lifted went into the <style> as it was: one
    built by hand closed the sheet and opened a <script>. It is escaped for CSS now, and
    the sheet holds no "<" (so no "</") and no "&"."""
    evil = muscle(STYLE_BREAKER, "10,10,20,10,10,20", "200,0,900,0,200,900")
    big = muscle("big", "0,0,100,0,0,100")
    for prolog in (True, False):
        text = bodymap.map_svg([evil, big], bodymap.fit_viewbox([evil, big]), prolog=prolog)
        root = parse(text)
        assert not [e for e in root.iter() if e.tag.endswith("script")]
        assert [e.tag for e in root if e.tag.endswith("style")] == [f"{SVG}style"]
        sheet = text[text.index("<style>") + len("<style>"):text.index("</style>")]
        assert "<" not in sheet and "&" not in sheet
        assert "#muscle-x\\7b \\7d \\3c \\2f style\\3e " in sheet



@pytest.mark.parametrize("space", ["\t", "\n", "\r"])
def test_a_lifted_slug_with_a_tab_or_line_break_is_matched_by_its_style(space: str) -> None:
    """A tab, newline or CR in a slug was written raw in the data-lift attribute, which
    a parser reads as a space, while the sheet's selector kept it: the highlight never
    matched. The attribute holds it as a character reference, and the two agree."""
    odd = muscle(f"a{space}b", "10,10,20,10,10,20", "200,0,900,0,200,900")
    big = muscle("big", "0,0,100,0,0,100")
    root = parse(bodymap.map_svg([odd, big], bodymap.fit_viewbox([odd, big])))
    sheet = "".join(e.text or "" for e in root.iter(f"{SVG}style"))
    selected = {re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), found)
                for found in re.findall(r'\[data-lift="([^"]*)"\]', sheet)}
    lifted = {e.get("data-lift") for e in root.iter() if e.get("data-lift") is not None}
    owned = {e.get("data-slug") for e in root.iter(f"{SVG}a") if e.get("id") == f"muscle-a{space}b"}
    assert selected == lifted == owned == {f"a{space}b"}

@given(st.text())
def test_css_escape_keeps_every_character_as_css_reads_it(text: str) -> None:
    escaped = css_escape(bodymap.xml_clean(text))
    assert re.fullmatch(r"[A-Za-z0-9_\\ -]*", escaped)
    assert re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)),
                  escaped) == bodymap.xml_clean(text)


def test_characters_xml_cannot_hold_are_replaced() -> None:
    odd = muscle("odd", "1,1,5,1,5,5", title="a\ufffeb\x01c")
    root = parse(bodymap.map_svg([odd], ViewBox(0, 0, 9, 9)))
    assert root.find(f"{SVG}a/{SVG}title").text == "a\ufffdb\ufffdc"


def test_language_is_checked_and_translated() -> None:
    assert bodymap.language("da") == "da"
    assert bodymap.language('"><x') == "en"
    assert bodymap.words("da")["map"] == "Muskelkort"
    assert bodymap.words("pt-BR")["map"] == "Muscle map"


@given(corpora())
def test_every_corpus_draws_well_formed_svg_with_exact_points(items: list[Muscle]) -> None:
    box = bodymap.fit_viewbox(items)
    root = parse(bodymap.map_svg(items, box))
    anchors = [a for a in root.iter(f"{SVG}a") if a.get("class") == "muscle"]
    # Every muscle's <a> holds its regions in order; the <a>s come in the layering's
    # order (that of the items, but for a muscle whose every region waits for a larger
    # one given after it).
    assert {a.get("data-slug"): [p.get("points") for p in a.iter(f"{SVG}polygon")]
            for a in anchors} == {m.slug: [r.coords for r in m.regions] for m in items}
    assert [a.get("data-slug") for a in anchors] == [
        piece.muscle.slug for piece in layers.drawing_pieces(items) if piece.first]
    own = [p for a in anchors for p in a.iter(f"{SVG}polygon")]
    # Each region is seen once: in its muscle's <a>, or lifted over a larger one.
    lifted = [p for a in root.iter(f"{SVG}a") if a.get("class") == "muscle-lift"
              for p in a.iter(f"{SVG}polygon")]
    seen = [p.get("points") for p in own if p.get("class") != "lifted"] + [
        p.get("points") for p in lifted]
    assert sorted(seen) == sorted(r.coords for m in items for r in m.regions)
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    for item in items:
        focus = parse(bodymap.focus_svg(item, items, box))
        group = next(g for g in focus.iter(f"{SVG}g") if g.get("class") == "focus")
        assert [p.get("points") for p in group] == [r.coords for r in item.regions]


def context(**options: object) -> tuple[WriteContext, list[Diagnostic]]:
    found: list[Diagnostic] = []
    ctx = WriteContext(options=dict(options), sources={"arm": Source("src/arm.md", 0.0)},
                       report=found.append)
    return ctx, found


def test_map_settings_defaults_fit_the_regions() -> None:
    ctx, found = context()
    settings = bodymap.map_settings([ARM], ctx, Path("out"))
    assert settings.viewbox == bodymap.fit_viewbox([ARM])
    assert (settings.link_template, settings.lang, settings.base_image) == (
        "{slug}.html", "en", None)
    assert found == []


def test_map_settings_base_image_needs_size() -> None:
    ctx, _ = context(base_image="https://example.org/body.png")
    with pytest.raises(MuscleError) as info:
        bodymap.map_settings([ARM], ctx, Path("out"))
    assert info.value.diagnostics[0].code == "base-image-needs-size"


@pytest.mark.parametrize(("option", "value"), [
    ("link_template", "javascript:{slug}"), ("link_template", " JavaScript:alert('{slug}')"),
    ("link_template", "{slug}:x"), ("base_image", "javascript:alert(1)"),
    ("base_image", "data:image/png;base64,AAAA")])
def test_an_unsafe_link_option_is_refused_before_anything_is_read(
        option: str, value: str, tmp_path: Path) -> None:
    """It was one unsafe-link error per muscle, blaming each source file, after every
    file had been read and the output written."""
    with pytest.raises(MuscleError) as caught:
        bodymap.check_map_options({option: value, "size": "100x100"})
    (d,) = caught.value.diagnostics
    assert (d.path, d.code) == (f"--{option.replace('_', '-')}", "unsafe-link")
    for to in ("svg", "html"):
        result = CliRunner().invoke(cli, [
            "convert", str(tmp_path / "missing"), "--to", to, "-o", str(tmp_path / to),
            f"--{option.replace('_', '-')}", value, "--size", "100x100"])
        assert result.exit_code == 2 and "[unsafe-link]" not in result.output
        assert f"--{option.replace('_', '-')}: {value!r}" in result.output
        assert "not-found" not in result.output


@pytest.mark.parametrize("to", ["svg", "html"])
def test_an_empty_base_image_is_refused(to: str, tmp_path: Path) -> None:
    """``--base-image ""`` (and ``base_image=""``) wrote ``<image href="">``, a warning
    of no file, where a config file's ``base-image = ""`` is refused."""
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", to, "-o", str(tmp_path / "cli"), "--base-image",
        "", "--size", "1000x1000"])
    assert result.exit_code == 2
    assert "Error: --base-image: an empty path names no file or folder" in result.output
    with pytest.raises(MuscleError) as caught:
        converter.write(converter.read(SAMPLES), tmp_path / "api", to, size="1000x1000",
                        base_image="")
    assert [str(d) for d in caught.value.diagnostics] == [
        "base_image: error: an empty path names no file or folder [bad-option]"]
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("to", ["svg", "html"])
def test_a_base_image_that_can_run_script_is_refused_before_anything_is_read(
        to: str, tmp_path: Path) -> None:
    """A local SVG --base-image was copied into the output as it was, its <script> and
    onload= included."""
    picture = tmp_path / "body.svg"
    picture.write_text("<svg xmlns='http://www.w3.org/2000/svg'>\n<rect/>\n"
                       "<rect onload='alert(1)'/></svg>", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        bodymap.check_map_options({"base_image": str(picture), "size": "100x100"})
    (d,) = caught.value.diagnostics
    assert (d.path, d.code) == ("--base-image", "unsafe-base-image")
    assert d.message.startswith(f"{picture}:3: <rect> has the event attribute onload=")
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", to, "-o", str(tmp_path / "out"), "--base-image",
        str(picture), "--size", "100x100"])
    assert result.exit_code == 2 and f"--base-image: {picture}:3: <rect>" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("safe", ["/m/{slug}", "{slug}.html", "https://x.org/{slug}",
                                  "?m={slug}", "1{slug}:x"])
def test_a_link_template_safe_for_one_slug_is_safe_for_every_slug(safe: str) -> None:
    bodymap.check_map_options({"link_template": safe})
    for slug in ("x", "javascript", "data", "1", "-", "http", "a-b-1"):
        assert bodymap.resolve_link(safe, slug) is not None


@pytest.mark.parametrize(("base", "warned"), [
    ("body.png", True), ("img/body.png", True), ("../body.png", False),
    ("/assets/body.png", False), ("https://x.org/body.png", False), ("//x.org/b.png", False)])
def test_a_base_image_that_looks_like_a_missing_file_is_warned_of(
        base: str, warned: bool, tmp_path: Path) -> None:
    """A typo in --base-image became a broken link without a word."""
    (tmp_path / "body.png").write_bytes(b"\x89PNG")  # beside the output, not in the cwd
    ctx, found = context(base_image=base, size="100x100")
    settings = bodymap.map_settings([ARM], ctx, tmp_path / "out")
    assert settings.base_image == base
    assert [(d.code, d.severity, d.path, d.field) for d in found] == (  # (not "image")
        [("base-image-not-found", "warning", str(tmp_path / "out"), "--base-image")]
        if warned else [])


@pytest.mark.parametrize(("first", "then"), [
    (["--base-image", "body.png"], "_base-image.png"), ([], "diagram.svg")])
def test_a_base_image_link_to_a_file_the_run_removes_is_warned_of(
        first: list[str], then: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link to a file the last run wrote beside index.html (the base image it copied,
    its diagram.svg) was found there, so not warned of, and the run then removed it:
    the page showed a broken picture without a word."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "body.png").write_bytes(b"\x89PNG\r\n\x1a\n....")
    (tmp_path / "a.md").write_text('---\ntitle: "A"\ncoords:\n  - "0,0,200,0,200,200,0,'
                                   '200"\n---\n', encoding="utf-8")
    convert = ["convert", "a.md", "--to", "html", "-o", "ob", "--size", "400x400"]
    assert CliRunner().invoke(cli, [*convert, *first]).exit_code == 0
    assert (tmp_path / "ob" / then).is_file()
    result = CliRunner().invoke(cli, [*convert, "--base-image", then])
    assert result.exit_code == 0, result.output
    assert (f"ob: warning: --base-image: --base-image '{then}' is no file here, beside the "
            f"output only as {then}, a file the last run wrote, which this run replaces or "
            "removes; it is written as a link, as given [base-image-not-found]"
            ) in result.output
    assert not (tmp_path / "ob" / then).exists()


def test_map_settings_copies_a_local_base_image(tmp_path: Path) -> None:
    picture = tmp_path / "Body Front.PNG"
    picture.write_bytes(b"\x89PNG fake")
    ctx, _ = context(base_image=str(picture), size="100x50")
    settings = bodymap.map_settings([ARM], ctx, tmp_path / "out")
    assert settings.base_image == "_base-image.png"
    assert settings.viewbox == ViewBox(0, 0, 100, 50)
    target = tmp_path / "copy"
    target.mkdir()
    bodymap.copy_base_image(settings, target)
    assert (target / "_base-image.png").read_bytes() == b"\x89PNG fake"


@pytest.mark.parametrize(("data", "name"), [
    (b"\x89PNG\r\n\x1a\n....", "_base-image.png"), (b"\xff\xd8\xff\xe0", "_base-image.jpg"),
    (b"GIF89a", "_base-image.gif"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "_base-image.webp"),
    (b"\xef\xbb\xbf\n<svg xmlns='http://www.w3.org/2000/svg'/>", "_base-image.svg"),
    (b'<?xml version="1.0"?><svg/>', "_base-image.svg"),
    (b"<!-- drawn by hand -->\n<svg/>", "_base-image.svg"),
    (b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg/>', "_base-image.svg")])
def test_a_base_image_without_an_ending_is_copied_with_its_pictures_one(
        data: bytes, name: str, tmp_path: Path) -> None:
    """Copied as _base-image, an SVG picture was not shown (a browser goes by the
    ending), and the image map over it could not be clicked."""
    picture = tmp_path / "body"
    picture.write_bytes(data)
    ctx, _ = context(base_image=str(picture), size="100x50")
    assert bodymap.map_settings([ARM], ctx, tmp_path / "out").base_image == name


@pytest.mark.parametrize(("template", "warned"), [("{slug}.html", False),
                                                  ("/muskler/{Slug}/", True), ("x.html", True)])
def test_a_link_template_without_the_slug_is_warned_of(template: str, warned: bool,
                                                       tmp_path: Path) -> None:
    """Every region linked to the literal '/muskler/{Slug}/', without a word."""
    ctx, found = context(link_template=template)
    bodymap.map_settings([ARM], ctx, tmp_path / "out")
    assert [(d.code, d.field, d.severity) for d in found] == (
        [("link-without-slug", "--link-template", "warning")] if warned else [])


@pytest.mark.parametrize("name", ["body:v2.png", "javascript:alert(1).png"])
def test_a_local_base_image_whose_name_looks_like_a_scheme_is_a_file(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It was "neither a file here nor a link" (a usage error), though it is a file; its
    copy is linked by its output name, so no scheme reaches a link."""
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(b"\x89PNG fake")
    bodymap.check_map_options({"base_image": name, "size": "100x50"})
    ctx, _ = context(base_image=name, size="100x50")
    settings = bodymap.map_settings([ARM], ctx, tmp_path / "out")
    assert (settings.base_image, settings.base_file) == ("_base-image.png", Path(name))
    with pytest.raises(MuscleError, match="unsafe-link"):  # no such file: a link
        bodymap.check_map_options({"base_image": "javascript:x.png", "size": "100x50"})
    with pytest.raises(MuscleError, match="unsafe-link"):  # (was urlsplit's ValueError)
        bodymap.check_map_options({"base_image": "http://[x", "size": "100x50"})


def test_check_muscles_names_the_source_file(tmp_path: Path) -> None:
    ctx, found = context()
    muscles = [replace(m, title=f"{m.title}\ufffe") for m in (ARM, LEG)]
    settings = bodymap.map_settings(muscles, ctx, tmp_path)
    bodymap.check_muscles(muscles, settings, ctx, tmp_path / "map.svg")
    assert [(d.path, d.code) for d in found] == [
        ("src/arm.md", "not-xml-character"), (str(tmp_path / "map.svg"), "not-xml-character")]


@pytest.mark.parametrize("to", ["svg", "html"])
@pytest.mark.parametrize("lang", ['en"><script>', "da\n", ""])
def test_a_bad_lang_is_reported_before_anything_is_written(tmp_path: Path, to: str,
                                                            lang: str) -> None:
    out = tmp_path / "map"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", to, "-o", str(out),
                                      "--lang", lang, "--no-cache", "-j", "1"])
    assert result.exit_code == 2  # a usage error, before any file is read
    assert f"Error: --lang: {lang!r} is not a language tag" in result.stderr
    assert not out.exists()


def test_focus_images_make_each_muscles_polygons_text_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each image made every other muscle's polygons text again: n² at the faint
    limit (1,000 muscles: 7 s for their focus images, 0.9 s now)."""
    muscles = [replace(ARM, slug=f"m{i}", title=f"M{i}") for i in range(40)]
    made = []
    polygons = bodymap._polygons
    monkeypatch.setattr(bodymap, "_polygons", lambda m: made.append(m.slug) or polygons(m))
    drawings = dict(bodymap.focus_svgs(muscles, muscles, ViewBox(0, 0, 100, 100)))
    assert len(made) == 2 * len(muscles)  # (once faint, once in focus)
    monkeypatch.setattr(bodymap, "_polygons", polygons)
    assert [drawings[m] for m in muscles] == [
        bodymap.focus_svg(m, muscles, ViewBox(0, 0, 100, 100)) for m in muscles]


def test_focus_images_draw_each_as_focus_svgs_does_when_asked() -> None:
    """A deck's focus images, drawn from what it kept, are the svg writer's."""
    muscles = [ARM, LEG, muscle("bare")]
    box = ViewBox(0, 0, 200, 200)
    drawn = [bodymap.outline(m) for m in muscles if m.regions]
    images = bodymap.FocusImages(drawn, len(muscles), box)
    assert (len(images), list(images)) == (2, ["arm", "leg"])
    assert dict(images) == {m.slug: text for m, text in bodymap.focus_svgs(
        [ARM, LEG], muscles, box)}


def test_a_diagram_keeps_only_the_fields_it_draws() -> None:
    """svg and html kept every muscle whole, texts and all (250 MB at 20,000)."""
    muscles = [replace(LEG, body="x" * 1000, origin=LocalizedText({"en": "y" * 1000})), ARM]
    kept = bodymap.sorted_muscles(muscles, frozenset({"slug", "title", "regions"}))
    assert kept == sorted((m.project(frozenset({"slug", "title", "regions"}))
                           for m in muscles), key=lambda m: m.slug)
    assert all(m.body == "" and not m.origin for m in kept)


@pytest.mark.parametrize(("viewbox", "shown"), [
    (ViewBox(140, 95, 724, 830), ("724", "830")),
    (ViewBox(0, 0, Decimal("12.50"), 1000), ("12.50", "1000")),
    (ViewBox(999980, 999980, 11000040, 8000040), ("1000", "727")),
    (ViewBox(0, 0, 2000, 16777216), ("1", "1000")),
])
def test_a_map_is_shown_at_most_a_screen_large_its_viewbox_kept(
        viewbox: ViewBox, shown: tuple[str, str]) -> None:
    """A viewBox larger than 1000 a side is shown scaled down to fit, aspect kept; the
    viewBox of the map, the focus images and the image map's picture stays."""
    muscle = Muscle(slug="a", title="A", regions=(Region(((0, 0), (9, 0), (9, 9))),))
    width, height = shown
    start = f'viewBox="{viewbox.attr}" width="{width}" height="{height}"'
    assert bodymap.shown_size(viewbox) == shown
    assert start in bodymap.map_svg([muscle], viewbox)
    assert start in bodymap.focus_svg(muscle, [muscle], viewbox)
    frame = viewbox.frame
    width, height = bodymap.shown_size(frame)
    assert (f'viewBox="{frame.attr}" width="{width}" height="{height}"'
            in bodymap.diagram_svg([muscle], frame))


def area_holds(coords: str, x: float, y: float) -> bool:
    """Whether the convex area of ``coords`` holds the point (on its outline too)."""
    values = [int(v) for v in coords.split(",")]
    corners = list(zip(values[0::2], values[1::2], strict=True))
    turns = [(b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])
             for a, b in zip(corners, corners[1:] + corners[:1], strict=True)]
    return all(t >= 0 for t in turns) or all(t <= 0 for t in turns)


def test_a_sliver_along_a_slant_of_a_map_shown_scaled_down_has_the_area_of_its_line(
        ) -> None:
    """On a diagram 4000 pixels a side shown at 1000 (1:4), a sliver 2000 x 2000 pixels
    of it but 1.8 across along its slant (0.32 as shown) is under a pixel: its area was
    its points scaled and rounded, a sliver of no whole pixel inside. It is the slanted
    bar of whole pixels its line covers, pixels just either side of it along its whole
    length, and not those a few pixels off it."""
    sliver = muscle("sliver", "1000.8,1000,1002.6,1000,3002.6,3000,3000.8,3000").regions[0]
    scale = bodymap.screen_scale(ViewBox(0, 0, 4000, 4000))
    assert scale == 0.25 and bodymap.under_a_pixel(sliver, scale)
    assert bodymap.extent(sliver).across == pytest.approx(1.8 / 2 ** 0.5)
    coords = bodymap.area_coords(sliver, scale)
    assert all(area_holds(coords, x + d, x) for x in range(251, 750, 7) for d in (0, 1))
    assert not any(area_holds(coords, 500 + d, 500) for d in (-4, 5))
    square = muscle("square", "1000,1000,1040,1000,1040,1040,1000,1040").regions[0]
    assert not bodymap.under_a_pixel(square, scale)
    assert bodymap.area_coords(square, scale) == "250,250,260,250,260,260,250,260"


def test_a_region_whose_rounded_area_has_no_width_takes_the_clicks_on_its_line() -> None:
    """A region a pixel wide as shown (3 to 5 of a 2000-pixel diagram at 1:2, 1.5 to
    2.5) was not under a pixel, and its area, its points rounded half to even, was from
    2 to 2: of no width, and a click there went to the muscle under it. Its area is the
    bar its outline draws now; one a pixel across along a slant whose rounded points
    make a sliver under a pixel across is the slanted bar of its line."""
    scale = bodymap.screen_scale(ViewBox(0, 0, 2000, 2000))
    thin = muscle("thin", "3,100,5,100,5,400,3,400").regions[0]
    assert scale == 0.5 and not bodymap.under_a_pixel(thin, scale)
    coords = bodymap.area_coords(thin, scale)
    assert all(area_holds(coords, x, y) for x in (1, 2, 3) for y in range(50, 201, 10))
    slant = muscle("slant", "101.2,100,104.1,100,504.1,500,501.2,500").regions[0]
    assert not bodymap.under_a_pixel(slant, scale)
    coords = bodymap.area_coords(slant, scale)
    assert coords != "51,50,52,50,252,250,251,250"
    assert all(area_holds(coords, x + d, x - 1) for x in range(60, 240, 9) for d in (0, 1))
    square = muscle("square", "0,0,40,0,40,40,0,40").regions[0]
    assert bodymap.area_coords(square, scale) == "0,0,20,0,20,20,0,20"


@pytest.mark.parametrize(("name", "data"), [
    ("page.html", b"<p>a body</p><script>alert(1)</script>"),
    ("page.htm", b"hello <script>alert(1)</script>"), ("x.xhtml", b"text, then <b>"),
    ("body", b"hello <script>alert(1)</script>"), ("body", b"<!DOCTYPE html><html></html>"),
    ("body", b"RIFF....WAVE"), ("body.final", b"no picture"), ("body.txt", b"plain")])
@pytest.mark.parametrize("to", ["svg", "html"])
def test_a_base_image_that_is_no_picture_is_refused(name: str, data: bytes, to: str,
                                                    tmp_path: Path) -> None:
    """A local --base-image that was no XML and of no picture's ending (page.html, none)
    was copied as _base-image.html or _base-image: opened, the copy could run script."""
    picture = tmp_path / name
    picture.write_bytes(data)
    with pytest.raises(MuscleError) as caught:
        bodymap.check_map_options({"base_image": str(picture), "size": "100x100"})
    (d,) = caught.value.diagnostics
    assert (d.path, d.code) == ("--base-image", "unsafe-base-image")
    assert d.message.startswith(f"{picture}: neither its ending (")
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", to, "-o", str(tmp_path / "out"), "--base-image",
        str(picture), "--size", "100x100"])
    assert result.exit_code == 2 and f"--base-image: {picture}: neither" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("name", "data", "copy"), [
    ("Body.JPEG", b"\xff\xd8\xff\xe0", "_base-image.jpeg"),
    ("body.avif", b"\x00\x00\x00\x1cftypavif", "_base-image.avif"),
    ("body.bmp", b"BM....", "_base-image.bmp"),
    ("body.ico", b"\x00\x00\x01\x00", "_base-image.ico"),
    ("page.html", b"\x89PNG\r\n\x1a\n....", "_base-image.png"),
    ("page.html", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "_base-image.svg")])
def test_a_picture_is_copied_under_its_pictures_ending(name: str, data: bytes, copy: str,
                                                        tmp_path: Path) -> None:
    """A picture's ending is kept; one of another ending is named by its first bytes, and
    the map links to the copy by that name."""
    picture = tmp_path / name
    picture.write_bytes(data)
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", "svg", "-o", str(tmp_path / "out"), "--base-image",
        str(picture), "--size", "2000x2000"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / copy).read_bytes() == (  # (an SVG stretched: test_baseimage)
        stretched(data) if copy.endswith(".svg") else data)
    assert f'href="{copy}"' in (tmp_path / "out" / "map.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_an_svg_base_image_in_utf_16_is_checked_for_script(encoding: str,
                                                            tmp_path: Path) -> None:
    """An SVG --base-image in UTF-16 (which a browser opens as SVG, and runs) does not
    start with "<" as bytes: it was taken for a picture that is no XML and copied."""
    picture = tmp_path / "body.svg"
    picture.write_text("<svg xmlns='http://www.w3.org/2000/svg'>\n"
                       "<script>alert(1)</script></svg>", encoding=encoding)
    with pytest.raises(MuscleError) as caught:
        bodymap.check_map_options({"base_image": str(picture), "size": "100x100"})
    (d,) = caught.value.diagnostics
    assert d.code == "unsafe-base-image" and d.message.startswith(f"{picture}:")
    png = tmp_path / "body.png"
    png.write_bytes(picture.read_bytes())  # (shown as a PNG: nothing of it runs)
    bodymap.check_map_options({"base_image": str(png), "size": "100x100"})


@st.composite
def near_a_pixel(draw: st.DrawFn, enough: float) -> Region:
    """A parallelogram along any slant, of a width from a fifth to three times
    ``enough`` and from 1 to 40 times as long, its corners to a thousandth of a pixel."""
    x, y = draw(st.floats(0, 4000)), draw(st.floats(0, 4000))
    width = enough * draw(st.floats(0.2, 3))
    angle, length = draw(st.floats(0, math.pi)), width * draw(st.floats(1, 40))
    ax, ay = math.cos(angle), math.sin(angle)
    cx, cy = -ay * width, ax * width
    corners = [(x, y), (x + ax * length, y + ay * length),
               (x + ax * length + cx, y + ay * length + cy), (x + cx, y + cy)]
    return Region(tuple((Decimal(f"{px:.3f}"), Decimal(f"{py:.3f}")) for px, py in corners))


@given(st.data(), st.sampled_from([800, 1000, 1500, 4000, 12000, 60000]))
def test_extents_measured_for_a_scale_say_what_the_exact_width_says(
        data: st.DataObject, side: int) -> None:
    """A region's extent measured for the scale a map is shown at (its width a cheap
    lower bound where that is a pixel or more) gives the same under-a-pixel warnings,
    in the same words, and the same image-map areas as one with the exact width."""
    box = ViewBox(0, 0, side, side)
    scale = bodymap.screen_scale(box)
    enough = bodymap.enough_across(scale)
    shapes = data.draw(st.lists(near_a_pixel(enough) | regions(), min_size=1, max_size=6))
    said = []
    for boxes in ([bodymap.extent(r) for r in shapes],
                  [bodymap.extent(r, enough) for r in shapes]):
        ctx, found = context()
        bodymap.report_extent_dots([("arm", boxes)], box, ctx, Path("out"),
                                   bodymap.MAP_DOT)
        said.append(([d.message for d in found],
                     [bodymap.area_coords(r, scale, b) for r, b in zip(
                         shapes, boxes, strict=True)]))
    assert said[0] == said[1]
