"""The svg format: map.svg plus focus images, read back losslessly for slug, title, regions."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import converter
from converter import bodymap
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle, Region
from converter.registry import ReadContext, Source, WriteContext, get_format
from tests.conftest import SAMPLES, detailed_muscles
from tests.strategies import corpora

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "&amp;", "]]><x/>"]


def parse_file(path: Path) -> Any:
    from defusedxml.ElementTree import parse

    return parse(path).getroot()


def write(muscles: list[Muscle], out: Path, **options: Any) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    sources = {m.slug: Source(f"src/{m.slug}.md", 0.0) for m in muscles}
    get_format("svg").write(iter(muscles), out, WriteContext(options=options, sources=sources,
                                                             report=found.append))
    return found


def read(path: Path) -> tuple[list[Muscle], list[Diagnostic]]:
    found: list[Diagnostic] = []
    muscles = list(get_format("svg").read(path, ReadContext(report=found.append)))
    return muscles, found


def assert_safe(root: Any) -> None:
    """No script element, no event-handler attribute, no link other than relative/http(s)."""
    from converter.safety import is_safe_link

    for element in root.iter():
        assert not element.tag.lower().endswith("script")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (name, value)
            if name.endswith("href") or name == "src":
                assert is_safe_link(value), value


def test_format_is_registered() -> None:
    fmt = get_format("svg")
    assert (fmt.name, fmt.extensions, fmt.directory_marker) == ("svg", (".svg",), "map.svg")
    assert fmt.carries == frozenset({"slug", "title", "regions"})
    assert not fmt.lossless and fmt.can_read and fmt.can_write


def test_map_holds_every_muscle_with_exact_points(sample_muscles: list[Muscle],
                                                  tmp_path: Path) -> None:
    assert write(sample_muscles, tmp_path / "out") == []
    root = parse_file(tmp_path / "out" / "map.svg")
    links = root.findall(f"{SVG}a")
    expected = bodymap.drawing_order(sample_muscles)
    assert [a.get("data-slug") for a in links] == [m.slug for m in expected]
    for element, item in zip(links, expected, strict=True):
        assert element.get("href") == f"{item.slug}.html"
        assert element.get("id") == f"muscle-{item.slug}"
        assert element.get("aria-label") == item.title
        assert element.find(f"{SVG}title").text == item.title
        assert [p.get("points") for p in element.findall(f"{SVG}polygon")] == [
            r.coords for r in item.regions]
    assert root.get("viewBox") == bodymap.fit_viewbox(sample_muscles).attr
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert_safe(root)


def test_bilateral_muscles_keep_one_polygon_per_side(sample_muscles: list[Muscle],
                                                     tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "out")
    root = parse_file(tmp_path / "out" / "map.svg")
    biceps = next(a for a in root.iter(f"{SVG}a") if a.get("data-slug") == "biceps-brachii")
    assert len(biceps.findall(f"{SVG}polygon")) == 2


def test_one_focus_image_per_muscle(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".svg")
    assert names == sorted(["map.svg", *(f"{m.slug}.svg" for m in sample_muscles)])
    everyone = sum(len(m.regions) for m in sample_muscles)
    box = bodymap.fit_viewbox(sample_muscles).attr
    for item in sample_muscles:
        root = parse_file(tmp_path / "out" / f"{item.slug}.svg")
        assert root.get("viewBox") == box
        groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
        assert [p.get("points") for p in groups["focus"]] == [r.coords for r in item.regions]
        assert len(groups["others"]) == everyone - len(item.regions)
        assert_safe(root)


def test_round_trip_of_the_samples(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "out")
    back, found = read(tmp_path / "out" / "map.svg")
    assert found == []
    carried = get_format("svg").carries
    assert back == sorted((m.project(carried) for m in sample_muscles), key=lambda m: m.slug)


def test_round_trip_through_the_python_api(sample_muscles: list[Muscle],
                                           tmp_path: Path) -> None:
    converter.write(sample_muscles, tmp_path / "out", "svg")
    by_directory = converter.read(tmp_path / "out")
    by_file = converter.read(tmp_path / "out" / "map.svg")
    assert by_directory == by_file
    assert [m.slug for m in by_directory] == sorted(m.slug for m in sample_muscles)
    assert by_directory[0].regions == next(
        m for m in sample_muscles if m.slug == by_directory[0].slug).regions


# XML 1.0 cannot hold U+FFFE and U+FFFF even as character references, so a title with
# them is written with U+FFFD (and a warning); the round trip is checked without them.
def _xml_title(item: Muscle) -> bool:
    return bodymap.xml_clean(item.title) == item.title


@given(corpora().filter(lambda items: all(_xml_title(m) for m in items)))
def test_round_trip_of_any_corpus(items: list[Muscle]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        written = write(items, Path(tmp) / "out")
        back, found = read(Path(tmp) / "out")
    # (a region of a corpus drawn small may be a region-under-a-pixel warning: its own
    # test is in tests/browser/test_map_browser.py)
    assert [d.code for d in written if d.code != "region-under-a-pixel"] == [
        "reserved-name"] * sum(m.slug == "map" and bool(m.regions) for m in items)
    assert found == []
    assert back == [m.project(get_format("svg").carries) for m in items]


@given(st.sampled_from(["\ufffe", "\uffff"]))
def test_titles_xml_cannot_hold_are_replaced_with_a_warning(char: str) -> None:
    item = Muscle(slug="odd", title=f"a{char}b", regions=(Region(((1, 1), (5, 1), (5, 5))),))
    with tempfile.TemporaryDirectory() as tmp:
        found = write([item], Path(tmp) / "out")
        back, _ = read(Path(tmp) / "out")
    assert [(d.code, d.severity, d.path, d.field) for d in found] == [
        ("not-xml-character", "warning", "src/odd.md", "title")]
    assert back[0].title == "a\ufffdb"


def test_a_warning_about_a_muscle_of_a_file_of_many_names_the_muscle(tmp_path: Path
                                                                     ) -> None:
    """Two muscles of one JSON file gave two identical warnings; without a source (the
    Python API) the output is named, with the muscle."""
    items = [Muscle(slug=slug, title=f"{slug}\ufffe") for slug in ("a", "b")]
    data = tmp_path / "m.json"
    converter.write(items, data)
    result = CliRunner().invoke(cli, ["convert", str(data), "--to", "svg", "-o",
                                      str(tmp_path / "map")])
    assert [line.split(": warning: ")[1].split(":")[0] for line in result.stderr.splitlines()
            if "[not-xml-character]" in line] == ["muscles[a].title", "muscles[b].title"]
    odd = tmp_path / "odd.txt"  # one muscle, whatever its name says
    odd.write_text('---\ntitle: "a\\uFFFE"\n---\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(odd), "--from", "markdown", "--to",
                                      "svg", "-o", str(tmp_path / "odd")])
    assert f"{odd}:2:8: warning: title: " in result.stderr  # (at its line, as a reader says)
    found: list[Diagnostic] = []
    get_format("svg").write(iter(items), tmp_path / "api", WriteContext(report=found.append))
    assert [(d.path, d.field) for d in found] == [
        (str(tmp_path / "api" / "map.svg"), "muscles[a].title"),
        (str(tmp_path / "api" / "map.svg"), "muscles[b].title")]


def test_output_is_deterministic(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "a")
    write(list(reversed(sample_muscles)), tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_failure_mid_write_keeps_the_previous_output(sample_muscles: list[Muscle],
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write(sample_muscles[:3], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []

    def failing(focus: Any, *args: Any, **kwargs: Any) -> Any:
        for muscle in focus:
            calls.append(1)
            if len(calls) == 4:
                raise OSError("disk full")
            yield muscle, "<svg/>"

    monkeypatch.setattr(bodymap, "focus_svgs", failing)
    with pytest.raises(OSError, match="disk full"):
        write(sample_muscles, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_focus_images_of_a_detailed_corpus_show_their_own_muscle_only(tmp_path: Path) -> None:
    """Each focus image copied every other muscle's points faintly up to 1,000 muscles:
    400 muscles of 500 points wrote 906 MB. Past FAINT_POINTS points in all each draws
    its own muscle alone, and the writer says so."""
    muscles = detailed_muscles(3, bodymap.FAINT_POINTS // 3 + 1)
    found = write(muscles, tmp_path / "out")
    for mine in muscles:
        focus = parse_file(tmp_path / "out" / f"{mine.slug}.svg")
        assert [p.get("points") for p in focus.iter(f"{SVG}polygon")] == [
            mine.regions[0].coords]
    assert [(d.path, d.code) for d in found] == [
        (str(tmp_path / "out"), "focus-without-context")]
    assert "points in all" in found[0].message


def test_focus_images_grow_linearly_with_the_corpus(tmp_path: Path) -> None:
    """Each focus image drew every other muscle faintly: 1,000 muscles of 20 points each
    wrote 188 MB, twice the muscles four times the bytes. Past FAINT_NEAR points each
    draws the muscles nearest its own up to FAINT_NEAR points, and the writer says so."""
    from converter.faint import FAINT_NEAR

    sizes, said = [], []
    for count in (60, 120):  # (100 points each: 6,000 and 12,000 in all)
        out = tmp_path / str(count)
        said.append(write(detailed_muscles(count, 100), out))
        sizes.append(sum(path.stat().st_size for path in out.iterdir()))
        for path in out.glob("m[0-9]*.svg"):  # (not map.svg)
            others = {g.get("class"): g for g in parse_file(path).iter(f"{SVG}g")}["others"]
            assert 0 < 100 * len(others) <= FAINT_NEAR
    assert sizes[1] <= 2.2 * sizes[0]
    for found in said:
        assert [d.code for d in found] == ["focus-without-context"]
        assert f"up to {FAINT_NEAR} of their points" in found[0].message


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_warnings_of_a_write_into_standard_output_name_it_so(output: str) -> None:
    """The format's own writer, asked (from Python) to write ``-``, warned ``-: warning:
    ...`` of the map's options and of focus images without context, where its error,
    and every other diagnostic about the output, says standard output. Asked to write
    ``/dev/stdout``, a deleted file under pytest's capture, it made a folder named
    ``/tmp/#2147587 (deleted)`` and said it wrote ``/dev/stdout``."""
    from converter.faint import FAINT_NEAR

    found: list[Diagnostic] = []
    ctx = WriteContext(options={"lang": "de", "link_template": "x.html"}, sources={},
                       report=found.append)
    with pytest.raises(MuscleError) as caught:
        get_format("svg").write(iter(detailed_muscles(3, FAINT_NEAR // 3 + 1)), Path(output),
                                ctx)
    assert [(d.path, d.code) for d in found + caught.value.diagnostics] == [
        ("standard output", "untranslated-language"), ("standard output", "link-without-slug"),
        ("standard output", "focus-without-context"),
        ("standard output", "output-not-directory")]


def tiny_and_odd() -> list[Muscle]:
    """A muscle filling a 20000 x 40000 diagram and one of no known source whose
    region is a dot as the map is shown (16 pixels of it, 0.4 shown) and whose title
    (and Latin name) hold characters XML cannot."""
    return [Muscle(slug="big", title="Big",
                   regions=(Region(((0, 0), (20000, 0), (20000, 40000))),)),
            Muscle(slug="tiny", title="T\ufffe", latin="L\uffff",
                   regions=(Region(((1, 1), (17, 1), (17, 17))),))]


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_muscle_warned_of_in_a_map_into_standard_output_names_it_so(output: str) -> None:
    """Asked from Python (the format's own writer, no source known) to write ``-`` or
    ``/dev/stdout``, a region under a pixel and a title XML cannot hold were warned of
    in ``-/map.svg`` (``/dev/stdout/map.svg``), no file there is, where the refusal of
    the output that follows says standard output."""
    found: list[Diagnostic] = []
    with pytest.raises(MuscleError) as caught:
        get_format("svg").write(iter(tiny_and_odd()), Path(output),
                                WriteContext(report=found.append))
    assert [(d.path, d.stream, d.field, d.code) for d in found + caught.value.diagnostics] == [
        ("standard output", True, "muscles[tiny].title", "not-xml-character"),
        ("standard output", True, "muscles[tiny].coords[0]", "region-under-a-pixel"),
        ("standard output", True, "", "output-not-directory")]


def hostile_muscle() -> Muscle:
    from converter.model import Function, LocalizedText

    text = LocalizedText({"en": HOSTILE[0], "da": HOSTILE[1]})
    return Muscle(slug="evil", title=" ".join(HOSTILE), latin=HOSTILE[1], origin=text,
                  insertion=text, functions=(Function(text, text),), exercises=tuple(HOSTILE),
                  regions=(Region(((10, 10), (50, 10), (50, 50))),))


def test_hostile_text_and_links(tmp_path: Path) -> None:
    evil = hostile_muscle()
    with pytest.raises(MuscleError) as caught:  # (a bad --lang: refused, tests/test_bodymap.py)
        write([evil], tmp_path / "out", link_template="javascript:alert('{slug}')")
    assert [d.code for d in caught.value.diagnostics] == ["unsafe-link"]
    with pytest.raises(MuscleError) as caught:
        write([evil], tmp_path / "out", base_image=" JAVASCRIPT:alert(1)", size="100x100")
    assert [d.code for d in caught.value.diagnostics] == ["unsafe-link"]
    assert not (tmp_path / "out").exists()
    assert write([evil], tmp_path / "out") == []
    for path in (tmp_path / "out").glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        assert "javascript" not in text.lower() and "<script" not in text
        root = parse_file(path)
        assert_safe(root)
        assert evil.title in [t.text for t in root.iter(f"{SVG}title")]
    link = parse_file(tmp_path / "out" / "map.svg").find(f"{SVG}a")
    assert link.get("href") == "evil.html" and link.get("aria-label") == evil.title
    back, _ = read(tmp_path / "out")
    assert back[0].title == evil.title


def test_link_template_braces_cannot_inject(tmp_path: Path) -> None:
    item = Muscle(slug="arm", title="Arm", regions=(Region(((1, 1), (5, 1), (5, 5))),))
    write([item], tmp_path / "out", link_template='/m/{slug}?a={0}&b="{__class__}"')
    link = parse_file(tmp_path / "out" / "map.svg").find(f"{SVG}a")
    assert link.get("href") == '/m/arm?a={0}&b="{__class__}"'


def test_base_image_file_is_copied_and_drawn_at_size(sample_muscles: list[Muscle],
                                                     tmp_path: Path) -> None:
    picture = tmp_path / "body.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    assert write(sample_muscles, tmp_path / "out", base_image=str(picture),
                 size="1000x1000") == []
    assert (tmp_path / "out" / "_base-image.png").read_bytes() == picture.read_bytes()
    for name in ("map.svg", "soleus.svg"):
        root = parse_file(tmp_path / "out" / name)
        assert root.get("viewBox") == "0 0 1000 1000"
        image = root.find(f"{SVG}image")
        assert (image.get("href"), image.get("width"), image.get("height")) == (
            "_base-image.png", "1000", "1000")
    back, _ = read(tmp_path / "out")
    assert len(back) == len(sample_muscles)


def test_base_image_url_is_linked(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    url = "https://example.org/body.png?v=1&x=2"
    write(sample_muscles, tmp_path / "out", base_image=url, size="1000x900")
    image = parse_file(tmp_path / "out" / "map.svg").find(f"{SVG}image")
    assert image.get("href") == url
    assert not (tmp_path / "out" / "_base-image.png").exists()


@pytest.mark.parametrize(("options", "code"), [
    ({"size": "big"}, "bad-size"),
    ({"size": "0x100"}, "bad-size"),
    ({"base_image": "https://example.org/body.png"}, "base-image-needs-size"),
])
def test_bad_options_fail_before_writing(sample_muscles: list[Muscle], tmp_path: Path,
                                         options: dict[str, str], code: str) -> None:
    with pytest.raises(MuscleError) as info:
        write(sample_muscles, tmp_path / "out", **options)
    assert [d.code for d in info.value.diagnostics] == [code]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("slug", ["con", "nul", "aux", "com1", "lpt1"])
def test_no_focus_image_is_named_as_a_windows_device(slug: str, tmp_path: Path) -> None:
    """Windows makes no file ``con.svg``, ``nul.svg``, ...: such a focus image is an error
    left out, the muscle still on the map."""
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("arm", slug)]
    found = write(items, tmp_path / "out")
    assert [(d.code, d.path, d.field) for d in found] == [
        ("reserved-name", f"src/{slug}.md", "slug")]
    assert f"names a device on Windows ({slug.upper()})" in found[0].message
    assert sorted(p.name for p in (tmp_path / "out").glob("*.svg")) == ["arm.svg", "map.svg"]
    back, _ = read(tmp_path / "out")
    assert [m.slug for m in back] == sorted(["arm", slug])


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_focus_image_left_out_of_standard_output_names_it_so(output: str) -> None:
    """Asked from Python (the format's own writer, no source known) to write ``-`` or
    ``/dev/stdout``, a focus image refused by its name was ``-: error: muscles[con].slug:
    ...`` (``/dev/stdout: ...``), where the refusal of the output that follows says
    standard output."""
    found: list[Diagnostic] = []
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("con", "map")]
    with pytest.raises(MuscleError) as caught:
        get_format("svg").write(iter(items), Path(output), WriteContext(report=found.append))
    assert [(d.path, d.field, d.code) for d in found + caught.value.diagnostics] == [
        ("standard output", "muscles[con].slug", "reserved-name"),
        ("standard output", "muscles[map].slug", "reserved-name"),
        ("standard output", "", "output-not-directory")]


def test_a_muscle_named_map_without_regions_is_not_warned_of(tmp_path: Path) -> None:
    """It gets no focus image, so none replaces map.svg, yet it was a reserved-name
    warning."""
    items = [Muscle(slug="map", title="Map"),
             Muscle(slug="arm", title="Arm", regions=(Region(((1, 1), (5, 1), (5, 5))),))]
    assert write(items, tmp_path / "out") == []
    back, _ = read(tmp_path / "out")
    assert [m.slug for m in back] == ["arm", "map"]


def test_a_muscle_named_map_does_not_replace_the_map(tmp_path: Path) -> None:
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("arm", "map")]
    found = write(items, tmp_path / "out")
    assert [(d.code, d.path) for d in found] == [("reserved-name", "src/map.md")]
    back, _ = read(tmp_path / "out")
    assert [m.slug for m in back] == ["arm", "map"]


@pytest.mark.parametrize(("template", "warned"), [
    ("map.svg", True), ("./map.svg?m={slug}", True), ("../out/map.svg", True),
    ("./%2E/map.svg", True), ("map.svg#muscle-{slug}", False), ("./", False),
    ("../out/", False), ("{slug}/map.svg", False), ("{slug}.svg", False)])
def test_a_muscle_that_would_link_to_the_map_itself_is_named(template: str, warned: bool,
                                                             tmp_path: Path) -> None:
    """A muscle whose region linked to map.svg, the map itself (``--link-template
    map.svg``, ``./map.svg``), was not warned of, as one linking to the html page
    itself is. A place on the map (``#muscle-arm``), a folder (answered with a page,
    not the map) or a focus image opens no map."""
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("arm", "leg")]
    found = [d for d in write(items, tmp_path / "out", link_template=template)
             if d.code != "link-without-slug"]  # (map.svg, ./, ../out/: said of the option)
    assert [(d.code, d.path, d.field, d.severity) for d in found] == (
        [("reserved-name", f"src/{slug}.md", "slug", "warning") for slug in ("arm", "leg")]
        if warned else [])
    for diagnostic in found:
        slug = diagnostic.path.removeprefix("src/").removesuffix(".md")
        link = bodymap.resolve_link(template, slug)
        said = "" if link == "map.svg" else f"{link!r}, "
        assert diagnostic.message == (f"the muscle {slug!r} links to {said}map.svg, the map "
                                      "itself; give it another slug or --link-template")


@pytest.mark.parametrize("template", ["{slug}.svg", "./{slug}.svg?v=2"])
def test_a_muscle_named_map_linking_to_its_focus_image_links_to_the_map(
        template: str, tmp_path: Path) -> None:
    """The slug map linking to ``{slug}.svg``, its focus image's name, opens map.svg,
    the map itself (its focus image is not written): both are said."""
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (5, 1), (5, 5))),))
             for s in ("arm", "map")]
    found = write(items, tmp_path / "out", link_template=template)
    assert [(d.code, d.path, d.severity) for d in found] == [
        ("reserved-name", "src/map.md", "warning"), ("reserved-name", "src/map.md", "error")]
    assert "links to" in found[0].message and "the map itself" in found[0].message


def test_a_title_with_markup_in_it_is_read_whole(sample_muscles: list[Muscle],
                                                  tmp_path: Path) -> None:
    write(sample_muscles, tmp_path / "out")
    path = tmp_path / "out" / "map.svg"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<title>Biceps Brachii</title>",
                                 "<title>Biceps &amp; <tspan>B</tspan> tail</title>", 1),
                    encoding="utf-8")
    muscles, problems = read(path)
    assert problems == [] and muscles[0].title == "Biceps & B tail"


def test_a_focus_image_or_another_svg_is_not_read_as_a_map(sample_muscles: list[Muscle],
                                                          tmp_path: Path) -> None:
    """Either gave no muscle and no word: a focus image names the map beside it."""
    write(sample_muscles, tmp_path / "out")
    other = tmp_path / "drawing.svg"
    other.write_text('<svg xmlns="http://www.w3.org/2000/svg"><a href="x"/></svg>',
                     encoding="utf-8")
    for path, message in [(tmp_path / "out" / "soleus.svg", "is a focus image of one muscle"),
                          (other, "holds no muscle map")]:
        with pytest.raises(MuscleError) as caught:
            read(path)
        assert [(d.code, d.message.startswith(message)) for d in caught.value.diagnostics
                ] == [("not-a-muscle-map", True)]


def test_an_svg_a_search_finds_that_is_no_map_is_left_out_but_named_is_an_error(
        sample_muscles: list[Muscle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """--from svg on a folder read every .svg below it as a map: the html format's
    diagram.svg, a focus image, an icon, each a not-a-muscle-map (or bad-svg) error."""
    from converter.discovery import discover
    from converter.run import validate_sources

    site = tmp_path / "site"
    write(sample_muscles[:3], site / "map")  # (a folder read as one)
    write(sample_muscles[3:6], tmp_path / "loose")
    (site / "front.svg").write_bytes((tmp_path / "loose" / "map.svg").read_bytes())
    focus = sample_muscles[0].slug + ".svg"  # (a loose copy of a focus image)
    (site / "img").mkdir()
    (site / "img" / focus).write_bytes((site / "map" / focus).read_bytes())
    converter.write(sample_muscles, site / "page", "html")
    (site / "page" / ".muscle-convert").unlink()  # (else left out as our output)
    (site / "img" / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                           '<a href="/"><circle r="3"/></a></svg>')
    (site / "img" / "torn.svg").write_text("<svg><g></svg>")  # (no map, and no XML)
    (site / "img" / "doctype.svg").write_text(  # (an editor's: defusedxml refuses it)
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg/>')
    (site / "other").mkdir()
    (site / "other" / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (site / "torn-map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><a '
                                       'data-slug="x">')  # (a map gone bad: said)
    (site / "wide.svg").write_bytes(  # (its bytes tell nothing: read, and said)
        (tmp_path / "loose" / "map.svg").read_text(encoding="utf-8").encode("utf-16"))
    monkeypatch.chdir(tmp_path)
    inputs, problems = discover(["site"], "svg")
    assert ([i.path for i in inputs], problems) == (
        ["site/front.svg", "site/map", "site/torn-map.svg", "site/wide.svg"], [])
    result = validate_sources([Path("site")], from_format="svg")
    assert [(d.path, d.code) for d in result.diagnostics if d.severity == "error"] == [
        ("site/torn-map.svg", "bad-svg"), ("site/wide.svg", "bad-svg")]
    (site / "wide.svg").unlink()
    assert result.count == 6
    for named, code in (("site/img/icon.svg", "not-a-muscle-map"),
                        (f"site/img/{focus}", "not-a-muscle-map"),
                        ("site/page/diagram.svg", "not-a-muscle-map"),
                        ("site/other/map.svg", "not-a-muscle-map"),
                        ("site/img/torn.svg", "bad-svg")):  # (named: read, and said)
        found = validate_sources([Path("site"), Path(named)], from_format="svg")
        assert [(d.path, d.code) for d in found.diagnostics if d.severity == "error"] == [
            ("site/torn-map.svg", "bad-svg"), (named, code)]
    (site / "torn-map.svg").unlink()
    for folder in ("front.svg", "map"):
        (site / folder).rename(tmp_path / folder)
    _, problems = discover(["site"], "svg")
    assert [(d.code, d.message) for d in problems] == [(
        "no-inputs", f"holds no .svg files to read (the 6 found, such as site/img/{focus}, "
        "are not what the svg reader takes: name one to see why)")]


def test_empty_corpus(tmp_path: Path) -> None:
    write([], tmp_path / "out")
    assert parse_file(tmp_path / "out" / "map.svg").get("viewBox") == "0 0 1000 1000"
    assert read(tmp_path / "out") == ([], [])


@pytest.mark.parametrize(("text", "code"), [
    ("<svg xmlns='http://www.w3.org/2000/svg'><a data-slug='x'>", "bad-svg"),
    ("not xml at all", "bad-svg"),
    ("<html/>", "bad-svg"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
     "<svg xmlns='http://www.w3.org/2000/svg'><title>&b;</title></svg>", "bad-svg"),
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     "<svg xmlns='http://www.w3.org/2000/svg'><title>&x;</title></svg>", "bad-svg"),
    ("\xff\xfe", "bad-svg"),
])
def test_unusable_input_is_one_diagnostic(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "map.svg"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(MuscleError) as info:
        read(path)
    assert [(d.code, d.path) for d in info.value.diagnostics] == [(code, str(path))]


@pytest.mark.parametrize(("text", "place", "message"), [
    ("<svg xmlns='http://www.w3.org/2000/svg'>\n<a a='1' a='2'/></svg>", (2, 10),
     "is not well-formed XML: duplicate attribute"),  # (was "...: line 2, column 9" too)
    ('<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
     (None, None), "uses a forbidden XML feature: an entity declaration (<!ENTITY ...>),"
     " which could make a reader fetch files or expand text without end"),
])
def test_an_unusable_svg_says_why_in_words_and_places_it_once(
        tmp_path: Path, text: str, place: tuple, message: str) -> None:
    """The entity case said "EntitiesForbidden(name='x', system_id=None, ...)"."""
    path = tmp_path / "map.svg"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MuscleError) as info:
        read(path)
    [found] = info.value.diagnostics
    assert ((found.line, found.column), found.message) == (place, message)


def test_oversized_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>" + " " * 100)
    with pytest.raises(MuscleError) as info:
        list(get_format("svg").read(path, ReadContext(max_bytes=50)))
    assert info.value.diagnostics[0].code == "file-too-large"


def test_bad_records_are_reported_and_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "map.svg"
    path.write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'>"
        "<a data-slug='Bad Slug'><title>A</title><polygon points='1,1 5,1 5,5'/></a>"
        "<a data-slug='notitle'><polygon points='1,1 5,1 5,5'/></a>"
        "<a data-slug='badpoints'><title>B</title><polygon points='1,1 5,x'/></a>"
        "<a href='elsewhere.html'><title>not a muscle</title></a>"
        "<a class='muscle' href='x.html'><title>No slug</title></a>"
        "<a data-slug='good'><title>Good</title><polygon points='1,1 5.50,1  5,5'/></a>"
        "</svg>", encoding="utf-8")
    back, found = read(path)
    assert [(d.code, d.field) for d in found] == [
        ("bad-slug", "a[0]"), ("missing-field", "a[1].title"),
        ("coords-not-number", "a[2].regions[0]"), ("missing-field", "a[4]")]
    assert all(d.path == str(path) for d in found)
    assert [m.slug for m in back] == ["good"]
    assert back[0].regions[0].coords == "1,1,5.50,1,5,5"


# ---- command line ------------------------------------------------------------------------


def run(*args: str) -> Any:
    from converter.cli import cli

    return CliRunner().invoke(cli, list(args))


def test_cli_convert_to_svg_and_back(tmp_path: Path) -> None:
    result = run("convert", str(SAMPLES), "--to", "svg", "-o", str(tmp_path / "map"),
                 "--link-template", "/muskler/{slug}/", "--lang", "da")
    assert result.exit_code == 0, result.output
    root = parse_file(tmp_path / "map" / "map.svg")
    first = bodymap.drawing_order(converter.read(SAMPLES))[0].slug
    assert root.find(f"{SVG}a").get("href") == f"/muskler/{first}/"
    assert root.find(f"{SVG}title").text == "Muskelkort"
    result = run("convert", str(tmp_path / "map"), "--from", "svg", "--to", "json", "-o",
                 str(tmp_path / "back.json"))
    assert result.exit_code == 0, result.output
    assert '"slug":"biceps-brachii","title":"Biceps Brachii"' in (
        tmp_path / "back.json").read_text(encoding="utf-8")


def test_cli_bad_size_is_reported(tmp_path: Path) -> None:
    result = run("convert", str(SAMPLES), "--to", "svg", "-o", str(tmp_path / "map"),
                 "--size", "huge")
    assert result.exit_code in (1, 2)
    assert "huge" in result.output
    assert not (tmp_path / "map").exists()


@pytest.mark.parametrize(("points", "code"), [
    ("10,20,,30,40,50,60,70", "coords-not-number"),  # (was read as 4 points, paired anew)
    ("10,20 30,40 50,60,", "coords-not-number"), (", 10,20 30,40 50,60", "coords-not-number"),
    ("10 , 20  30,40\t50,\n60", None), ("10,20 30 40 50 60", None)])
def test_an_empty_number_in_points_is_refused_not_dropped(
        points: str, code: str | None, tmp_path: Path) -> None:
    path = tmp_path / "map.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'><a data-slug='a'><title>A"
                    f"</title><polygon points='{points}'/></a></svg>", encoding="utf-8")
    back, found = read(path)
    assert [d.code for d in found] == ([code] if code else [])
    if code is None:
        assert back[0].regions[0].coords == "10,20,30,40,50,60"


@pytest.mark.parametrize("lang", ["de", "da"])
def test_ids_are_unique_whatever_the_slugs(lang: str, tmp_path: Path) -> None:
    """The map's title had the id muscle-map-title, the muscle map-title's too."""
    items = [Muscle(slug=s, title=s, regions=(Region(((1, 1), (50, 1), (50, 50))),))
             for s in ("map-title", "arm")]
    write(items, tmp_path / "out", lang=lang)
    root = parse_file(tmp_path / "out" / "map.svg")
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids)) == len(items) + (lang == "de")
    assert {a.get("id"): a.get("data-slug") for a in root.iter(f"{SVG}a")} == {
        "muscle-map-title": "map-title", "muscle-arm": "arm"}
    if lang == "de":
        labelled = [e for e in root.iter() if e.get("id") == root.get("aria-labelledby")]
        assert labelled == [root.find(f"{SVG}title")]
    assert [m.slug for m in read(tmp_path / "out")[0]] == ["arm", "map-title"]


def test_a_map_written_before_the_title_id_changed_is_read(tmp_path: Path) -> None:
    """Maps written before gave their title the id muscle-map-title, which a muscle
    map-title had too: they read back as ever."""
    path = tmp_path / "map.svg"
    path.write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' class='muscle-map' "
        "aria-labelledby='muscle-map-title'><title id='muscle-map-title'>Muscle map</title>"
        "<a class='muscle' id='muscle-map-title' data-slug='map-title'><title>M</title>"
        "<polygon points='1,1 50,1 50,50'/></a></svg>", encoding="utf-8")
    back, found = read(path)
    assert found == [] and [(m.slug, m.title, m.regions[0].coords) for m in back] == [
        ("map-title", "M", "1,1,50,1,50,50")]


# ---- what the reader does not read is an error, never lost or misplaced in silence ------


def _edited_map(muscles: list[Muscle], out: Path) -> Path:
    """The map of ``muscles`` as an editor left it: soleus's polygons made paths (as
    Inkscape makes them when their nodes are edited), trapezius moved by a <g>."""
    write(muscles, out)
    path = out / "map.svg"
    text = path.read_text(encoding="utf-8")
    start = text.index('data-slug="soleus"')
    end = text.index("</a>", start)
    soleus = re.sub(r'<polygon points="([^"]*)"/>', lambda found: '<path d="M {} Z"/>'.format(
        " L ".join(re.findall(r"[^,]+,[^,]+", found.group(1)))), text[start:end])
    text = text[:start] + soleus + text[end:]
    start = text.index('<a class="muscle" id="muscle-trapezius"')
    end = text.index("</a>", start) + len("</a>")
    text = f'{text[:start]}<g transform="translate(5,5)">\n{text[start:end]}</g>{text[end:]}'
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, mark: str) -> list[int]:
    """The lines of ``path`` holding ``mark``."""
    return [number for number, line in enumerate(
        path.read_text(encoding="utf-8").splitlines(), 1) if mark in line]


def test_edited_paths_and_transforms_are_errors_not_lost(sample_muscles: list[Muscle],
                                                         tmp_path: Path) -> None:
    """Soleus drawn by <path>s was read with no regions, trapezius in a translated <g>
    with points 5 px off where drawn: both without a word."""
    path = _edited_map(sample_muscles, tmp_path / "out")
    back, found = read(path)
    slug_at = {i: a.get("data-slug") for i, a in enumerate(parse_file(path).iter(f"{SVG}a"))}
    assert [(d.code, d.line, slug_at[int(d.field[2:].split("]")[0])], d.field.split(".")[1])
            for d in found] == [
        ("bad-svg", line, slug, "regions") for slug, lines in (
            ("trapezius", _line_of(path, "translate(5,5)")), ("soleus", _line_of(path, "<path")))
        for line in lines]
    assert len(found) == 3 and all(d.path == str(path) and d.severity == "error" for d in found)
    assert all(f"'{slug_at[int(d.field[2:].split(']')[0])]}'" in d.message for d in found)
    assert "<g> has a transform" in found[0].message and "<path>" in found[1].message
    assert [m.slug for m in back] == sorted(
        m.slug for m in sample_muscles if m.slug not in ("soleus", "trapezius"))
    kept = {m.slug: m.regions for m in sample_muscles}
    assert all(m.regions == kept[m.slug] for m in back)


def test_edited_map_converted_onward_fails_and_names_the_muscles(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """Converted onward (to sqlite), soleus lost its coordinates, and the run said 0."""
    path = _edited_map(sample_muscles, tmp_path / "map")
    result = run("convert", str(tmp_path / "map"), "--from", "svg", "--to", "sqlite", "-o",
                 str(tmp_path / "muscles.db"))
    assert result.exit_code == 1, result.output
    for mark, slug in (("translate(5,5)", "trapezius"), ("<path", "soleus")):
        for line in _line_of(path, mark):
            assert f"{path}:{line}: error: a[" in result.output
        assert f"the muscle '{slug}' is left out [bad-svg]" in result.output
    assert "Traceback" not in result.output


SHAPES = ['<path d="M 1,1 L 50,1 L 50,50 Z"/>', '<rect x="1" y="1" width="9" height="9"/>',
          '<circle cx="5" cy="5" r="4"/>', '<ellipse cx="5" cy="5" rx="4" ry="2"/>',
          '<line x1="1" y1="1" x2="9" y2="9"/>', '<polyline points="1,1 50,1 50,50"/>',
          '<use href="#other"/>', '<g><path d="M 1,1 L 50,1 L 50,50 Z"/></g>']


@pytest.mark.parametrize("shape", SHAPES)
def test_a_shape_the_reader_does_not_read_leaves_the_muscle_out(shape: str,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "map.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'>\n"
                    "<a data-slug='kept'><title>K</title><polygon points='1,1 5,1 5,5'/></a>\n"
                    "<a data-slug='edited'><title>E</title>\n<polygon points='1,1 5,1 5,5'/>\n"
                    f"{shape}\n</a>\n</svg>\n", encoding="utf-8")
    back, found = read(path)
    assert [(d.code, d.line, d.field) for d in found] == [("bad-svg", 5, "a[1].regions")]
    name = re.findall(r"<(\w+) ", shape)[0]
    assert found[0].message.startswith(f"<{name}> is a shape the reader does not read")
    assert "'edited'" in found[0].message
    assert [m.slug for m in back] == ["kept"]


@pytest.mark.parametrize(("before", "polygon", "after", "line"), [
    ("<g transform='translate(5,5)'>\n", "<polygon points='1,1 50,1 50,50'/>", "</g>", 3),
    ("<g>\n<g transform=' scale(2) '>\n", "<polygon points='1,1 50,1 50,50'/>", "</g></g>", 4),
    ("", "<polygon points='1,1 50,1 50,50' transform='rotate(45)'/>", "", 5),
    ("", "<polygon points='1,1 50,1 50,50' style='fill:red; transform: translate(1px)'/>", "",
     5),
], ids=["g around the a", "g around that", "on the polygon", "in its style"])
def test_a_transform_leaves_the_muscle_out(before: str, polygon: str, after: str, line: int,
                                           tmp_path: Path) -> None:
    path = tmp_path / "map.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'>\n"
                    "<a data-slug='kept'><title>K</title><polygon points='1,1 5,1 5,5'/></a>\n"
                    f"{before}<a data-slug='moved'><title>M</title>\n\n{polygon}\n</a>{after}\n"
                    "</svg>\n", encoding="utf-8")
    back, found = read(path)
    assert [(d.code, d.line, d.field) for d in found] == [("bad-svg", line, "a[1].regions")]
    assert found[0].message.startswith("<") and "has a transform" in found[0].message
    assert "'moved'" in found[0].message
    assert [m.slug for m in back] == ["kept"]


@pytest.mark.parametrize(("where", "line"), [("svg", 1), ("a", 2), ("g", 3)])
def test_a_transform_on_the_a_the_root_or_a_group_in_it_is_named(where: str, line: int,
                                                                tmp_path: Path) -> None:
    moved = {name: " transform='translate(5,5)'" if name == where else "" for name in
             ("svg", "a", "g")}
    path = tmp_path / "map.svg"
    path.write_text(f"<svg xmlns='http://www.w3.org/2000/svg'{moved['svg']}>\n"
                    f"<a data-slug='moved'{moved['a']}><title>M</title>\n"
                    f"<g{moved['g']}>\n<polygon points='1,1 50,1 50,50'/></g></a>\n</svg>\n",
                    encoding="utf-8")
    back, found = read(path)
    assert [(d.code, d.line, d.field) for d in found] == [("bad-svg", line, "a[0].regions")]
    assert found[0].message.startswith(f"<{where}> has a transform")
    assert back == []


def test_what_moves_nothing_is_read(tmp_path: Path) -> None:
    """An empty transform, a <g> without one, a transform on what holds no polygon (the
    title) and a <text> label beside the polygons do not change where a polygon is."""
    path = tmp_path / "map.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg'><g transform=' '><a "
                    "data-slug='a'><title transform='scale(2)'>A</title><g><polygon "
                    "points='1,1 50,1 50,50' transform=''/></g><text>label</text></a></g>"
                    "</svg>", encoding="utf-8")
    back, found = read(path)
    assert found == [] and [m.regions[0].coords for m in back] == ["1,1,50,1,50,50"]


def test_a_region_lying_on_a_larger_one_of_a_muscle_drawn_later_is_drawn_over_it(
        tmp_path: Path) -> None:
    """Latissimus dorsi's small third region inside pectoralis major was drawn (with its
    muscle, by its largest region) under pectoralis major: no click could reach it."""
    def square(x: int, y: int, side: int) -> Region:
        return Region(((x, y), (x + side, y), (x + side, y + side), (x, y + side)))

    lat = Muscle(slug="lat", title="Lat", regions=(square(500, 0, 100), square(12, 12, 5)))
    pec = Muscle(slug="pec", title="Pec", regions=(square(0, 0, 40),))
    assert write([pec, lat], tmp_path / "out") == []
    root = parse_file(tmp_path / "out" / "map.svg")
    links = [(a.get("class"), a.get("data-slug") or a.get("data-lift"))
             for a in root.iter(f"{SVG}a")]
    assert links == [("muscle", "lat"), ("muscle", "pec"), ("muscle-lift", "lat")]
    own, _, lifted = root.iter(f"{SVG}a")
    assert [p.get("class") for p in own.iter(f"{SVG}polygon")] == [None, "lifted"]
    assert [p.get("points") for p in lifted.iter(f"{SVG}polygon")] == ["12,12,17,12,17,17,12,17"]
    assert (lifted.get("href"), lifted.get("tabindex"), lifted.get("aria-hidden"),
            lifted.get("id")) == ("lat.html", "-1", "true", None)
    assert lifted.find(f"{SVG}title").text == "Lat"
    back, found = read(tmp_path / "out" / "map.svg")
    assert found == [] and back == [lat, pec]


def _map_of(body: str, tmp_path: Path) -> Path:
    """A map of a muscle 'kept', drawn plainly on line 2, and ``body`` from line 3."""
    path = tmp_path / "map.svg"
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg' "
                    "xmlns:xlink='http://www.w3.org/1999/xlink'>\n"
                    "<a data-slug='kept'><title>K</title><polygon points='1,1 5,1 5,5'/></a>\n"
                    f"{body}\n</svg>\n", encoding="utf-8")
    return path


def _left_out(path: Path, lines: list[int], slugs: list[str], words: str) -> None:
    """Reading ``path`` gives 'kept' alone, one bad-svg error per line saying ``words``
    and naming the muscle left out."""
    back, found = read(path)
    assert [(d.code, d.line, d.severity) for d in found] == [
        ("bad-svg", line, "error") for line in lines]
    assert all(words in d.message and d.field.endswith(".regions") for d in found)
    assert [d.message.rsplit(": the muscle ", 1)[1] for d in found] == [
        f"{slug!r} is left out" for slug in slugs]
    assert [m.slug for m in back] == ["kept"]


@pytest.mark.parametrize("container", ["defs", "clipPath", "mask", "symbol", "pattern",
                                       "marker"])
@pytest.mark.parametrize("around", [True, False], ids=["around the a", "in the a"])
def test_a_polygon_that_is_not_drawn_where_it_stands_leaves_the_muscle_out(
        container: str, around: bool, tmp_path: Path) -> None:
    """A muscle in a <defs> (as Inkscape's 'Convert to symbol' leaves one), or a clip
    path in a muscle's <a>, was read with regions it is not drawn with."""
    polygon = "<polygon points='1,1 50,1 50,50'/>"
    held = f"<{container} id='c'>\n{{}}</{container}>"
    link = "<a data-slug='hidden'><title>H</title>\n{}\n</a>"
    body = held.format(link.format(polygon)) if around else link.format(held.format(polygon))
    _left_out(_map_of(body, tmp_path), [3 if around else 4], ["hidden"],
              f"<{container}> is not drawn where it stands")


def test_what_an_editor_keeps_in_defs_outside_the_muscles_is_not_read(tmp_path: Path) -> None:
    """Inkscape keeps clip paths, masks, patterns and markers in a <defs>: polygons there,
    in no muscle's <a>, are no muscle's regions and no error."""
    path = _map_of("<defs><clipPath id='c'><polygon points='1,1 9,1 9,9'/></clipPath>"
                   "<marker id='m'><polygon points='0,0 2,1 0,2'/></marker></defs>\n"
                   "<a data-slug='other'><title>O</title><polygon points='1,1 50,1 50,50'/>"
                   "</a>", tmp_path)
    back, found = read(path)
    assert found == [] and [(m.slug, [r.coords for r in m.regions]) for m in back] == [
        ("kept", ["1,1,5,1,5,5"]), ("other", ["1,1,50,1,50,50"])]


@pytest.mark.parametrize(("target", "href"), [
    ("polygon", "href='#t'"), ("a", "xlink:href='#t'"), ("g", "href=' #t '")])
def test_a_use_drawing_a_muscle_again_elsewhere_leaves_it_out(target: str, href: str,
                                                              tmp_path: Path) -> None:
    """A <use> of a muscle's polygon (of its <a>, of a <g> around it) drew it a second
    time, translated, and the reader read the muscle as drawn once."""
    ids = {name: " id='t'" if name == target else "" for name in ("polygon", "a", "g")}
    path = _map_of(f"<g{ids['g']}><a data-slug='copied'{ids['a']}><title>C</title>\n"
                   f"<polygon{ids['polygon']} points='1,1 50,1 50,50'/></a></g>\n"
                   "<polygon id='plain' points='0,0 1,0 1,1'/>\n"
                   f"<use {href} x='100'/>\n<use href='#plain' x='9'/><use href='#gone'/>",
                   tmp_path)
    _left_out(path, [6], ["copied"], f"<use> draws again, where it stands, the <{target}> at "
              f"line {4 if target == 'polygon' else 3}")


@pytest.mark.parametrize(("outer", "inner", "slugs"), [
    ("data-slug='outer'", "data-slug='inner'", ["outer", "inner"]),
    ("data-slug='outer'", "href='elsewhere.html'", ["outer"]),
    ("href='elsewhere.html'", "data-slug='inner'", ["inner"]),
], ids=["two muscles", "a link in a muscle", "a muscle in a link"])
def test_an_a_in_another_leaves_the_muscle_out(outer: str, inner: str, slugs: list[str],
                                               tmp_path: Path) -> None:
    """A muscle's <a> in another's: the inner one's polygons were read as both muscles'
    regions (an <a> holds no other <a>: whose they are cannot be told)."""
    path = _map_of(f"<a {outer}><title>O</title><polygon points='1,1 50,1 50,50'/>\n"
                   f"<a {inner}><title>I</title>\n<polygon points='60,60 70,60 70,70'/></a>"
                   "</a>", tmp_path)
    _left_out(path, [4] * len(slugs), slugs, "which of the two links the polygons in it are "
              "of cannot be told")
    assert ["another <a>, at line 3" in d.message for d in read(path)[1]] == [
        slug == "inner" for slug in slugs]


@pytest.mark.parametrize(("svg", "around"), [
    ("<svg viewBox='0 0 10 10' width='100' height='100'>", True),
    ("<svg x='20' y='20'>", True), ("<svg>", True),
    ("<svg viewBox='0 0 10 10' width='100' height='100'>", False)],
    ids=["viewBox around the a", "x and y around the a", "bare", "in the a"])
def test_a_nested_svg_leaves_the_muscle_out(svg: str, around: bool, tmp_path: Path) -> None:
    """A nested <svg> maps the points in it by its own viewport (scaled ten times here):
    the reader read them as the map's."""
    polygon = "<polygon points='1,1 5,1 5,5'/>"
    body = (f"{svg}\n<a data-slug='nested'><title>N</title>{polygon}</a></svg>" if around
            else f"<a data-slug='nested'><title>N</title>\n{svg}{polygon}</svg></a>")
    _left_out(_map_of(body, tmp_path), [3 if around else 4], ["nested"],
              "<svg> is nested in the map's <svg>: its own viewport")


#: Styles that move what they apply to, in Chromium as much as ``transform: ...`` does.
MOVING_STYLES = ["-webkit-transform: scale(2)", "translate: 5px 5px", "rotate: 45deg",
                 "scale: 2", "offset-path: path('M 0 0 L 9 9')",
                 "/* moved */ transform: scale(2)", "fill: red;/**/TRANSFORM :scale(2)"]


@pytest.mark.parametrize("style", MOVING_STYLES)
@pytest.mark.parametrize("on", ["g", "a", "polygon"])
def test_a_style_that_moves_leaves_the_muscle_out(style: str, on: str, tmp_path: Path) -> None:
    """Only ``transform:`` at the start of a declaration was seen: a prefixed one, the
    translate, rotate and scale properties, a motion path and one after a comment were
    read as if the polygon were drawn where its points say."""
    styled = {name: f' style="{style}"' if name == on else "" for name in ("g", "a",
                                                                           "polygon")}
    path = _map_of(f"<g{styled['g']}>\n<a data-slug='moved'{styled['a']}><title>M</title>\n"
                   f"<polygon{styled['polygon']} points='1,1 50,1 50,50'/></a></g>", tmp_path)
    _left_out(path, [{"g": 3, "a": 4, "polygon": 5}[on]], ["moved"],
              f"<{on}> has a transform")


def test_a_style_that_does_not_move_is_read(tmp_path: Path) -> None:
    """A transform origin, a transform in a comment, a word such as 'scale' in a value, a
    transform of none: nothing is moved."""
    path = _map_of("<g style='transform: none; translate:none !important'><a "
                   "data-slug='styled' style='transform-origin: 5px 5px; font-family: scale'>"
                   "<title>S</title><polygon style='/* transform: scale(2) */ fill: red' "
                   "points='1,1 50,1 50,50'/></a></g>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "styled"]


@pytest.mark.parametrize(("sheet", "does"), [
    ("a { transform: scale(2) }", "sets a transform"),
    (".muscle:hover polygon { fill: red }\n#muscle-kept { translate: 5px 5px }",
     "sets a transform"),
    ("@keyframes grow { to { -webkit-transform: scale(2) } }\ng { animation: grow 1s }",
     "sets a transform"),
    ("/* lifted */ polygon{rotate:9deg}", "sets a transform"),
    ("@import url(more.css);", "imports a style sheet the reader does not read"),
], ids=["transform", "translate", "keyframes", "after a comment", "import"])
def test_a_style_sheet_that_moves_fails_the_map_at_its_line(sheet: str, does: str,
                                                            tmp_path: Path) -> None:
    """A <style> moving polygons by its rules was ignored: every muscle was read as if
    drawn where its points say. Which ones it moves is not worked out: one error."""
    path = _map_of(f"<g>\n<style>\n{sheet}\n</style></g>", tmp_path)
    with pytest.raises(MuscleError) as info:
        read(path)
    [found] = info.value.diagnostics
    assert (found.code, found.line, found.path) == ("bad-svg", 4, str(path))
    assert found.message.startswith(f"<style> {does}") and "the map is not read" in (
        found.message)


def test_a_style_sheet_that_moves_nothing_is_read(tmp_path: Path) -> None:
    """The writer's own sheet, an editor's colours, a transform in a comment."""
    path = _map_of(f"<style>{bodymap.MAP_CSS}{bodymap.LIFT_CSS}/* transform: scale(2) */\n"
                   "polygon { transform-origin: 5px 5px; fill: red }\n.scale:hover { }"
                   "</style>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept"]


def _animated_map(animation: str, where: str, tmp_path: Path) -> Path:
    """A muscle 'animated' in a <g id='g'>, with ``animation`` in its polygon (line 6),
    in its <a> (line 8) or after the <g> (line 9)."""
    put = {place: animation if place == where else "" for place in ("polygon", "a", "after")}
    return _map_of(f"<g id='g'>\n<a data-slug='animated'><title>A</title>\n"
                   f"<polygon points='1,1 50,1 50,50'>\n{put['polygon']}\n</polygon>\n"
                   f"{put['a']}</a></g>\n{put['after']}", tmp_path)


@pytest.mark.parametrize(("animation", "where", "line"), [
    ("<animateTransform attributeName='transform' type='scale' to='2' dur='1s' "
     "fill='freeze'/>", "polygon", 6),
    ("<animate attributeName='points' to='9,9 90,9 90,90' dur='1s'/>", "polygon", 6),
    ("<animateMotion path='M 0 0 L 90 90' dur='1s' fill='freeze'/>", "a", 8),
    ("<set href='#g' attributeName='transform' to='translate(5,5)'/>", "after", 9),
    ("<animate xlink:href='#g' attributeName='style' to='scale: 2' dur='1s'/>", "after", 9),
], ids=["animateTransform", "animate points", "animateMotion", "set by href",
        "animate by xlink:href"])
def test_an_animation_that_may_move_leaves_the_muscle_out(animation: str, where: str,
                                                          line: int, tmp_path: Path) -> None:
    """An animation of a polygon, of its <a> or of a <g> around them was not played, and
    the muscle was read as if drawn where its points say."""
    name, target = animation[1:].split()[0], "g" if where == "after" else where
    _left_out(_animated_map(animation, where, tmp_path), [line], ["animated"],
              f"<{name}> animates the <{target}> at line")


@pytest.mark.parametrize(("animation", "where", "line", "to"), [
    ("<set attributeName='opacity' to='0'/>", "polygon", 6, "opacity: 0"),
    ("<animate attributeName='opacity' values='1; 0' dur='1s' fill='freeze'/>", "a", 8,
     "opacity: 0"),
    ("<set href='#g' attributeName=' fill-opacity ' to='0%'/>", "after", 9,
     "fill-opacity: 0%"),
    ("<animate xlink:href='#g' attributeName='opacity' from='0' to='1' dur='1s'/>",
     "after", 9, "opacity: 0"),
], ids=["set opacity", "animate opacity values", "set fill-opacity by href",
        "animate from 0"])
def test_an_animation_that_fades_a_polygon_out_leaves_the_muscle_out(
        animation: str, where: str, line: int, to: str, tmp_path: Path) -> None:
    """An <animate> or <set> of an opacity to 0 (a colour, so no move) was not played,
    and the muscle, which Chromium shows nothing of, was read as seen."""
    name, target = animation[1:].split()[0], "g" if where == "after" else where
    at = {"g": 3, "a": 4, "polygon": 5}[target]
    _left_out(_animated_map(animation, where, tmp_path), [line], ["animated"],
              f"<{name}> animates the <{target}> at line {at}"
              f" (a polygon of the muscle, or around one) to {to}, which the reader does "
              "not play: the polygons in it are not seen")


@pytest.mark.parametrize(("animation", "where"), [
    ("<set attributeName='visibility' to='hidden'/>", "polygon"),
    ("<set attributeName='display' to='none'/>", "a"),
], ids=["visibility", "display"])
def test_an_animation_that_hides_a_polygon_leaves_the_muscle_out(
        animation: str, where: str, tmp_path: Path) -> None:
    """Hiding is no colour: the reader does not play it, whether it moves cannot be
    told, and the muscle is left out (as Chromium shows nothing of it)."""
    _left_out(_animated_map(animation, where, tmp_path), [6 if where == "polygon" else 8],
              ["animated"], "which the reader does not play")


def test_an_animation_that_fades_only_a_fill_with_a_stroke_is_read(tmp_path: Path) -> None:
    """The outline of a polygon whose fill fades out is still seen, and takes clicks."""
    path = _map_of("<a data-slug='outlined' stroke='red'><title>O</title>\n"
                   "<polygon points='1,1 50,1 50,50'><set attributeName='fill-opacity' "
                   "to='0'/><animate attributeName='opacity' to='0.5' dur='1s'/></polygon></a>",
                   tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "outlined"]


@pytest.mark.parametrize(("animation", "where"), [
    ("<set attributeName='fill' to='orange' begin='mouseover' end='mouseout'/>", "polygon"),
    ("<animate attributeName=' fill-opacity ' to='0.75' dur='1s'/>", "a"),
    ("<animate href='#gone' attributeName='points' to='9,9 90,9 90,90' dur='1s'/>", "after"),
    ("<rect id='label' width='9' height='9'/><animateTransform href='#label' "
     "attributeName='transform' type='scale' to='2' dur='1s'/>", "after"),
], ids=["set fill", "animate fill-opacity", "of an id not there", "of no muscle"])
def test_an_animation_that_moves_no_polygon_is_read(animation: str, where: str,
                                                    tmp_path: Path) -> None:
    """Colours on hover, and an animation of what holds no polygon, move no point."""
    back, found = read(_animated_map(animation, where, tmp_path))
    assert found == [] and [(m.slug, m.regions[0].coords) for m in back] == [
        ("animated", "1,1,50,1,50,50"), ("kept", "1,1,5,1,5,5")]


def test_a_linked_style_sheet_fails_the_map_at_its_line(tmp_path: Path) -> None:
    """A sheet linked by <?xml-stylesheet?> (the file's own processing instruction) may
    move any polygon, as a <style> may: it was not looked at."""
    path = tmp_path / "map.svg"
    path.write_text("<?xml version='1.0'?>\n<?other thing?>\n"
                    "<?xml-stylesheet href='moves.css' type='text/css'?>\n"
                    "<svg xmlns='http://www.w3.org/2000/svg'>\n"
                    "<a data-slug='kept'><title>K</title><polygon points='1,1 5,1 5,5'/></a>"
                    "</svg>\n", encoding="utf-8")
    (tmp_path / "moves.css").write_text("polygon { transform: scale(2) }", encoding="utf-8")
    with pytest.raises(MuscleError) as info:
        read(path)
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 3)
    assert found.message.startswith("<?xml-stylesheet?> links a style sheet the reader does "
                                    "not read") and "the map is not read" in found.message


@pytest.mark.parametrize(("clip", "on"), [
    ("clip-path='url(#c)'", "polygon"), ("mask='url(#c)'", "a"),
    ("style='clip-path: inset(0 50% 0 0)'", "g"), ("style='-webkit-mask-image: url(#c)'", "a"),
], ids=["clip-path", "mask", "in a style", "webkit mask"])
def test_a_clipped_or_masked_polygon_leaves_the_muscle_out(clip: str, on: str,
                                                           tmp_path: Path) -> None:
    """Clipped (as Inkscape's Object > Clip > Set leaves it), a polygon is drawn, and
    takes clicks, only in part: it was read as a whole region."""
    put = {name: f" {clip}" if name == on else "" for name in ("g", "a", "polygon")}
    path = _map_of(f"<defs><clipPath id='c'><rect width='9' height='9'/></clipPath></defs>\n"
                   f"<g{put['g']}>\n<a data-slug='clipped'{put['a']}><title>C</title>\n"
                   f"<polygon{put['polygon']} points='1,1 50,1 50,50'/></a></g>", tmp_path)
    _left_out(path, [{"g": 4, "a": 5, "polygon": 6}[on]], ["clipped"],
              f"<{on}> is clipped or masked")


def test_a_style_sheet_that_clips_fails_the_map(tmp_path: Path) -> None:
    path = _map_of("<style>\n#muscle-kept polygon { clip-path: circle(5px) }</style>",
                   tmp_path)
    with pytest.raises(MuscleError) as info:
        read(path)
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 3)
    assert found.message.startswith("<style> clips or masks")


def test_no_clip_is_read(tmp_path: Path) -> None:
    """A clip path or mask of none, a clip path in a comment."""
    path = _map_of("<style>polygon { clip-path: none; mask:none !important }</style>\n"
                   "<a data-slug='whole' clip-path='none' mask=' none '><title>W</title>"
                   "<polygon style='/* clip-path: url(#c) */ mask: none' "
                   "points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "whole"]


@pytest.mark.parametrize("href", ["map.svg#t", "./map.svg#t", " ../{folder}/map.svg#t",
                                  "{file_url}#t", "%6Dap.svg?v=2#t", "again.svg#t"],
                         ids=["its name", "./", "through its folder", "file URL",
                              "escaped, with a query", "a link to it"])
def test_a_use_naming_a_muscle_by_the_maps_file_name_leaves_it_out(href: str,
                                                                   tmp_path: Path) -> None:
    """A <use> of 'map.svg#soleus-left' draws the polygon again as '#soleus-left' does
    (the URL names this very file): it was read as drawn once."""
    (tmp_path / "again.svg").symlink_to(tmp_path / "map.svg")
    href = href.format(folder=tmp_path.name, file_url=(tmp_path / "map.svg").as_uri())
    path = _map_of("<a data-slug='copied'><title>C</title>\n<polygon id='t' "
                   f"points='1,1 50,1 50,50'/></a>\n<use href='{href}' x='100'/>", tmp_path)
    _left_out(path, [5], ["copied"], "<use> draws again, where it stands, the <polygon> at "
              "line 4")


def test_a_use_of_another_file_is_read(tmp_path: Path) -> None:
    """An id of another file (which may have one of the same name) is not this map's."""
    (tmp_path / "other.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><polygon "
                                        "id='t' points='0,0 1,0 1,1'/></svg>", encoding="utf-8")
    path = _map_of("<a data-slug='drawn'><title>D</title><polygon id='t' "
                   "points='1,1 50,1 50,50'/></a>\n<use href='other.svg#t'/>"
                   "<use href='https://example.org/map.svg#t'/>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["drawn", "kept"]


@pytest.mark.parametrize("around", [True, False], ids=["around the a", "in the a"])
def test_a_switch_holding_a_polygon_leaves_the_muscle_out(around: bool, tmp_path: Path
                                                          ) -> None:
    """A <switch> draws only its first child whose conditions hold (here the German text
    where the viewer's language is German, else the muscle): it was read as drawn."""
    choice = "<text systemLanguage='de'>Muskel</text>\n{}"
    link = "<a data-slug='switched'><title>S</title>\n{}</a>"
    polygon = "<polygon points='1,1 50,1 50,50'/>"
    body = (f"<switch>\n{choice.format(link.format(polygon))}</switch>" if around
            else link.format(f"<switch>\n{choice.format(polygon)}</switch>"))
    _left_out(_map_of(body, tmp_path), [3 if around else 4], ["switched"],
              "<switch> draws only one of what it holds")


#: Styles that move or clip, their names written with CSS escapes (which CSS reads as
#: the characters they stand for), and what the reader says of them.
ESCAPED_STYLES = [(r"tr\61nsform: scale(2)", "has a transform"),
                  (r"\74 ransform:scale(2)", "has a transform"),
                  (r"ro\tate: 9deg", "has a transform"),
                  (r"-webkit-\00006Dask-image: url(#c)", "is clipped or masked")]


@pytest.mark.parametrize(("style", "does"), ESCAPED_STYLES)
def test_a_style_named_with_escapes_leaves_the_muscle_out(style: str, does: str,
                                                          tmp_path: Path) -> None:
    """'tr\\61nsform: scale(2)' is a transform to Chromium: the reader saw none."""
    path = _map_of(f"<a data-slug='escaped' style='{style}'><title>E</title>"
                   "<polygon points='1,1 50,1 50,50'/></a>", tmp_path)
    _left_out(path, [3], ["escaped"], f"<a> {does}")


@pytest.mark.parametrize("sheet", [r"polygon { tr\61 nsform: scale(2) }",
                                   r"@\69mport url(more.css);", r"a{cl\69p-path:circle(5px)}"])
def test_a_style_sheet_naming_with_escapes_fails_the_map(sheet: str, tmp_path: Path) -> None:
    with pytest.raises(MuscleError) as info:
        read(_map_of(f"<style>\n{sheet}</style>", tmp_path))
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 3) and "the map is not read" in (
        found.message)


def test_an_escape_that_names_nothing_that_moves_is_read(tmp_path: Path) -> None:
    """An escaped ';' is part of a value, not the end of a declaration; an escaped 'none'
    is none."""
    path = _map_of(r"<style>a { fill: red\3b transform: scale(2) }</style>" "\n"
                   r"<a data-slug='plain' style='transform: n\6f ne; cl\ip-path\:x'>"
                   "<title>P</title><polygon points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "plain"]


@pytest.mark.parametrize(("hide", "on", "says"), [
    ("style='display:none'", "g", "is not displayed (display: none"),
    ("display='none'", "polygon", "is not displayed (display: none"),
    ("style='fill: red; DISPLAY: None !important'", "a", "is not displayed (display: none"),
    ("visibility='hidden'", "polygon", "is hidden (visibility: hidden)"),
    ("style='visibility: collapse'", "g", "is hidden (visibility: collapse)"),
    ("style='visibility: hidden' visibility='visible'", "a", "is hidden (visibility: hidden)"),
], ids=["an Inkscape layer hidden", "display attribute", "display in a style",
        "visibility attribute", "collapse in a style", "a style over the attribute"])
def test_a_hidden_polygon_leaves_the_muscle_out(hide: str, on: str, says: str,
                                                tmp_path: Path) -> None:
    """A muscle in a hidden layer (Inkscape's style="display:none" on its <g>), or hidden
    itself, is not drawn and takes no clicks: it was read as drawn."""
    put = {name: f" {hide}" if name == on else "" for name in ("g", "a", "polygon")}
    path = _map_of(f"<g{put['g']}>\n<a data-slug='hidden'{put['a']}><title>H</title>\n"
                   f"<polygon{put['polygon']} points='1,1 50,1 50,50'/></a></g>", tmp_path)
    _left_out(path, [{"g": 3, "a": 4, "polygon": 5}[on]], ["hidden"], f"<{on}> {says}")


def test_what_shows_again_or_is_displayed_is_read(tmp_path: Path) -> None:
    """visibility is inherited, and a polygon may show itself again inside a hidden <g>;
    a style's display or visibility wins over the attribute; a hidden <text> beside it."""
    path = _map_of("<g visibility='hidden' display='inline'><a data-slug='shown' "
                   "style='display: inline' display='none'><title>S</title><text "
                   "display='none'>label</text><polygon style='visibility: visible' "
                   "visibility='hidden' points='1,1 50,1 50,50'/></a></g>\n"
                   "<a data-slug='plain' visibility='inherit'><title>P</title><polygon "
                   "visibility='initial' points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "plain", "shown"]


@pytest.mark.parametrize("sheet", [".muscle polygon { visibility: hidden }",
                                   "#muscle-kept{display:none}",
                                   f"{bodymap.LIFT_CSS}g {{ visibility: collapse }}",
                                   "g, .muscle polygon.lifted { visibility: hidden }"],
                         ids=["visibility", "display", "beside the writer's lift rule",
                              "the lift rule's selector and another"])
def test_a_style_sheet_that_hides_fails_the_map(sheet: str, tmp_path: Path) -> None:
    with pytest.raises(MuscleError) as info:
        read(_map_of(f"<style>\n{sheet}</style>", tmp_path))
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 3)
    assert found.message.startswith("<style> hides (display: none, visibility: hidden")


def test_a_lifted_region_no_piece_draws_leaves_the_muscle_out(tmp_path: Path) -> None:
    """The writer hides a region of a muscle's own <a> where its muscle-lift piece draws
    it again: with that piece deleted in an editor, the region is drawn nowhere."""
    def square(x: int, y: int, side: int) -> Region:
        return Region(((x, y), (x + side, y), (x + side, y + side), (x, y + side)))

    lat = Muscle(slug="lat", title="Lat", regions=(square(500, 0, 100), square(12, 12, 5)))
    pec = Muscle(slug="pec", title="Pec", regions=(square(0, 0, 40),))
    write([pec, lat], tmp_path / "out")
    path = tmp_path / "out" / "map.svg"
    text = path.read_text(encoding="utf-8")
    start = text.index('<a class="muscle-lift"')
    path.write_text(text[:start] + text[text.index("</a>", start) + 5:], encoding="utf-8")
    back, found = read(path)
    assert [(d.code, d.line) for d in found] == [("bad-svg", _line_of(path, "lifted")[-1])]
    assert found[0].message.startswith('<polygon> is hidden (class "lifted"') and (
        "'lat' is left out") in found[0].message
    assert back == [pec]


#: Filters of a map, one a line from line 3: a shadow as Inkscape's Filters > Shadows
#: and Glows makes one, a displacement, a tile, a blur (which moves nothing).
FILTERS = ("<filter id='shadow'><feGaussianBlur stdDeviation='2'/>\n<feOffset dx='5' dy='5'/>"
           "<feMerge><feMergeNode/><feMergeNode in='SourceGraphic'/></feMerge></filter>\n"
           "<filter id='wave'><feTurbulence baseFrequency='0.05'/>\n<feDisplacementMap "
           "in='SourceGraphic' scale='20'/></filter>\n"
           "<filter id='tiles'><feTile/></filter><filter id='soft'><feGaussianBlur "
           "stdDeviation='1'/></filter>")


@pytest.mark.parametrize(("apply", "on", "says"), [
    ("filter='url(#shadow)'", "polygon", "(#shadow, whose <feOffset> at line 4 moves"),
    ("style='filter: blur(1px) url(\"#wave\")'", "g", "(#wave, whose <feDisplacementMap> at "
     "line 6 moves"),
    ("style='-webkit-filter:url(map.svg#tiles)'", "a", "(map.svg#tiles, whose <feTile>"),
    ("style='filter: drop-shadow(5px 5px 2px black)'", "a", "again elsewhere (drop-shadow()"),
    ("filter='url(effects.svg#shadow)'", "g", "is in another file (effects.svg#shadow)"),
], ids=["feOffset", "feDisplacementMap in a style", "feTile by the map's name",
        "drop-shadow()", "in another file"])
def test_a_filter_that_moves_what_it_paints_leaves_the_muscle_out(
        apply: str, on: str, says: str, tmp_path: Path) -> None:
    """A polygon filtered with an offset (a drop shadow), a displacement or a tile is
    drawn elsewhere than its points: it was read as drawn where they are."""
    put = {name: f" {apply}" if name == on else "" for name in ("g", "a", "polygon")}
    path = _map_of(f"<defs>{FILTERS}</defs>\n<g{put['g']}>\n<a data-slug='filtered'"
                   f"{put['a']}><title>F</title>\n<polygon{put['polygon']} "
                   "points='1,1 50,1 50,50'/></a></g>", tmp_path)
    _left_out(path, [{"g": 8, "a": 9, "polygon": 10}[on]], ["filtered"],
              f"<{on}> has a filter that ")
    assert says in read(path)[1][0].message


def test_a_style_sheet_of_a_moving_filter_fails_the_map(tmp_path: Path) -> None:
    path = _map_of(f"<defs>{FILTERS}</defs>\n<style>polygon {{ filter: url(#shadow) }}"
                   "</style>", tmp_path)
    with pytest.raises(MuscleError) as info:
        read(path)
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 8)
    assert found.message.startswith("<style> sets a filter that draws what it filters "
                                    "elsewhere (#shadow")


def test_a_filter_that_moves_nothing_is_read(tmp_path: Path) -> None:
    """A blur, a colour filter, a filter of an id not there, none; a sheet's blur."""
    path = _map_of(f"<defs>{FILTERS}</defs>\n<style>a {{ filter: url(#soft) }}</style>"
                   "<g filter='url(#soft)' style='filter: none'>\n<a data-slug='soft' "
                   "style='filter: grayscale(1) url(#gone)'><title>S</title><polygon "
                   "filter=' none ' points='1,1 50,1 50,50'/></a></g>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "soft"]


def test_the_lints_of_the_valid_fields_are_said_beside_a_muscles_errors(
        tmp_path: Path) -> None:
    """A muscle of the map with no title, a bad data-slug or a polygon of a word said
    only that; its polygon that crosses itself was said a run later. A polygon in error,
    or one the reader does not read where it is drawn, has no lint of its own; a valid
    muscle's regions are named regions, as the map's errors name them."""
    crossing = "<polygon points='0,0 10,10 10,0 0,10'/>"
    path = _map_of(f"<a data-slug='untitled'>{crossing}</a>\n"
                   f"<a data-slug='Bad Slug'><title>B</title>{crossing}</a>\n"
                   f"<a data-slug='c'><title>C</title><polygon points='1,1 5,x'/>{crossing}</a>\n"
                   f"<a data-slug='Bad D'>{crossing}<path d='M0 0'/></a>\n"
                   f"<a data-slug='e'><title>E</title>{crossing}</a>", tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    assert result.exit_code == 1
    said = [re.fullmatch(r":(\d*(?::\d+)?):? error: ([^:]+): .* \[([\w-]+)\]",
                         line.removeprefix(str(path)))
            for line in result.stderr.splitlines()[:-1]]
    # (each at its element: the <a>, its N-th polygon; a missing <title> at the <a>)
    assert sorted(found.groups() for found in said if found) == sorted([
        ("3:1", "a[1].title", "missing-field"),
        ("3:25", "a[1].regions[0]", "polygon-self-intersecting"),
        ("4:1", "a[2]", "bad-slug"), ("4:41", "a[2].regions[0]", "polygon-self-intersecting"),
        ("5:34", "a[3].regions[0]", "coords-not-number"),
        ("5:61", "a[3].regions[1]", "polygon-self-intersecting"), ("6:1", "a[4]", "bad-slug"),
        ("6:1", "a[4].title", "missing-field"), ("6", "a[4].regions", "bad-svg"),
        ("7:34", "muscles[e].regions[0]", "polygon-self-intersecting")])
    assert len(said) == 10


@pytest.mark.parametrize(("unseen", "on", "says"), [
    ("opacity='0'", "polygon", "is transparent (opacity: 0)"),
    ("style='opacity: 0%'", "g", "is transparent (opacity: 0%)"),
    ("style='fill-opacity:0;stroke:none'", "polygon",
     "paints the polygons in it with nothing (fill-opacity: 0, and stroke: none)"),
    ("fill-opacity='0' stroke='red' stroke-opacity='0'", "a",
     "paints the polygons in it with nothing (fill-opacity: 0, and stroke-opacity: 0)"),
    ("fill='none'", "g", "paints the polygons in it with nothing (fill: none, and stroke: none)"),
    ("style='pointer-events: none'", "a", "takes no clicks (pointer-events: none)"),
    ("style='display: contents'", "polygon", "is not displayed (display: contents"),
    ("display='contents'", "a", "is not displayed (display: contents"),
], ids=["opacity attribute", "opacity in a style", "fill-opacity and no stroke",
        "both opacities 0", "fill none inherited", "pointer-events", "display contents",
        "display contents on the a"])
def test_a_polygon_not_seen_or_taking_no_clicks_leaves_the_muscle_out(
        unseen: str, on: str, says: str, tmp_path: Path) -> None:
    """A region painted with nothing, fully transparent, taking no clicks, or not drawn
    (display: contents, on all but a <g>) was read as a region of the map."""
    put = {name: f" {unseen}" if name == on else "" for name in ("g", "a", "polygon")}
    path = _map_of(f"<g{put['g']}>\n<a data-slug='unseen'{put['a']}><title>U</title>\n"
                   f"<polygon{put['polygon']} points='1,1 50,1 50,50'/></a></g>", tmp_path)
    _left_out(path, [{"g": 3, "a": 4, "polygon": 5}[on]], ["unseen"], f"<{on}> {says}")


#: Paint servers for the fills below, on line 3: a gradient and a pattern of nothing, a
#: gradient taking its stops from another by href, a pattern holding a square; gradients
#: of clear stops (their own, or taken by href) and of one clear stop, patterns of no
#: size (0, none given, a viewBox of none), of content that draws nothing (an empty
#: <g>, a <defs>, a <desc> that keeps it from taking another's), and of a square taken
#: by href or in an <a>.
SERVERS = ("<defs><linearGradient id='none'/><pattern id='blank' width='9' height='9'>"
           "<desc>empty</desc></pattern><linearGradient id='Stops'><stop offset='0' "
           "stop-color='red'/></linearGradient><radialGradient id='chained' href='#Stops'/>"
           "<linearGradient id='loop' href='#loop'/><pattern id='tile' width='9' height="
           "'9'><rect width='5' height='5'/></pattern><g id='group'/>"
           "<linearGradient id='clear'><stop offset='0' stop-opacity='0'/><stop offset='1' "
           "style='stop-color: Transparent'/><stop offset='1' stop-color='#f000'/>"
           "<stop offset='1' stop-color='rgba(9,9,9,0)' stop-opacity='.5'/></linearGradient>"
           "<radialGradient id='faded' href='#clear'/><linearGradient id='half'><stop "
           "offset='0' stop-opacity='0%'/><stop offset='1' stop-color='red'/>"
           "</linearGradient><pattern id='flat' width='0' height='9'><rect width='5' "
           "height='5'/></pattern><pattern id='unsized'><rect width='5' height='5'/>"
           "</pattern><pattern id='squashed' width='9' height='9' viewBox='0 0 9 0'><rect "
           "width='5' height='5'/></pattern><pattern id='narrow' href='#flat' height='9'/>"
           "<pattern id='hollow' width='9' height='9'><g><g/><defs><rect width='5' "
           "height='5'/></defs></g></pattern><pattern id='described' href='#tile'><desc>d"
           "</desc></pattern><pattern id='linked' href='#tile'/><pattern id='linking' "
           "width='9' height='9'><a><g><rect width='5' height='5'/></g></a></pattern></defs>")


@pytest.mark.parametrize("fill", [
    "rgba(0, 0, 0, 0)", "hsla(120,50%,50%,0.0)", "rgb(0 0 0 / 0%)", "#FF000000", "#f000",
    "transparent", "url(#missing)", "url(#none)", "url( '#none' ) red", "url(#blank)",
    "url(#loop)", "url(#group)", "url(#stops)", "url(#clear)", "url(#faded)", "url(#flat)",
    "url(#unsized)", "url(#squashed)", "url(#narrow)", "url(#hollow)", "url(#described)"])
def test_a_fill_that_paints_nothing_leaves_the_muscle_out(fill: str, tmp_path: Path) -> None:
    """A colour of alpha 0, or a url() of a gradient or pattern that is not there or holds
    nothing (no fallback colour is taken then), with no stroke, was read as seen: Chromium
    shows nothing of it (and takes no click on a missing one). So was a gradient of clear
    stops, and a pattern of no width, height or viewBox, or of content that draws
    nothing."""
    path = _map_of(f"{SERVERS}\n<a data-slug='clear'><title>C</title>\n<polygon fill=\"{fill}\" "
                   "points='1,1 50,1 50,50'/></a>", tmp_path)
    _left_out(path, [5], ["clear"], f"<polygon> paints the polygons in it with nothing "
              f"(fill: {fill.lower() if 'url' not in fill else fill}")


def test_a_fill_that_paints_is_read(tmp_path: Path) -> None:
    """A gradient of stops of its own or another's, a pattern holding a shape, a missing
    one's fallback colour, a half-transparent colour, and a clear fill with a stroke."""
    fills = ["url(#Stops)", "url(#chained)", "url(#tile)", "url(#missing) red",
             "url(#group) #f00", "rgba(0,0,0,0.5)", "#0000007f", "url(other.svg#x)",
             "url(#half)", "url(#linked)", "url(#linking)"]
    body = "".join(f"<a data-slug='seen-{index}'><title>S</title><polygon fill=\"{fill}\" "
                   "points='1,1 50,1 50,50'/></a>" for index, fill in enumerate(fills))
    path = _map_of(f"{SERVERS}\n{body}<a data-slug='outline'><title>O</title><polygon "
                   "fill='#0000' stroke='red' points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and len(back) == len(fills) + 2


def test_clear_stops_a_style_sheet_may_colour_are_taken_to_paint(tmp_path: Path) -> None:
    """A sheet that sets the stops' colour or opacity (over their own) may show them."""
    path = _map_of(f"<style>stop {{ stop-opacity: 1 }}</style>{SERVERS}\n<a data-slug="
                   "'clear'><title>C</title><polygon fill='url(#clear)' points='1,1 50,1 "
                   "50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["clear", "kept"]


def test_what_is_seen_and_takes_clicks_is_read(tmp_path: Path) -> None:
    """An outline (fill none, a stroke), a half opacity, a <g> of display: contents, a
    polygon that fills itself again or takes clicks again, and one the writer's own rule
    paints over an attribute of fill-opacity 0."""
    rule = bodymap.MAP_CSS.splitlines()[0]
    path = _map_of(f"<style>{rule}</style>\n<g style='display:contents' fill='none' "
                   "pointer-events='none'>\n<a data-slug='outline' stroke='red' opacity='.5' "
                   "pointer-events='visiblePainted'>"
                   "<title>O</title><polygon points='1,1 50,1 50,50'/></a>\n<a data-slug="
                   "'filled'><title>F</title><polygon style='fill: initial' pointer-events="
                   "'auto' points='1,1 50,1 50,50'/></a></g>\n<a class='muscle' data-slug="
                   "'sheet' fill-opacity='0' stroke='none'><title>S</title><polygon "
                   "fill-opacity='0' points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["filled", "kept", "outline", "sheet"]


#: A muscle in a <g class='layer' id='Body'>, after a map's <style> (line 3).
GROUPED = ("\n<g class='layer other' id='Body'><a class='muscle' data-slug='grouped'><title>G"
           "</title><polygon points='1,1 5,1 5,5'/></a></g>")


@pytest.mark.parametrize("sheet", [
    "polygon { opacity: 0 }", "a { fill: none !important }",
    ".muscle polygon { fill-opacity: 0.0 }", "g { pointer-events: none }",
    "a { display: contents }", "svg > g.layer { pointer-events : none }",
    "text, #body { pointer-events: none }", "text ~ * { pointer-events: none }",
    "@media screen { .layer.other { pointer-events: none } }", "a:hover { opacity: 0 }",
    "[data-slug] { pointer-events: none }", "text::before, a { fill: rgba(0,0,0,0) }",
    "pointer-events: none", "@keyframes k { to { opacity: 0 } }"])
def test_a_style_sheet_that_may_leave_polygons_unseen_fails_the_map(sheet: str,
                                                                     tmp_path: Path) -> None:
    """A rule whose selector may select a polygon or what is around one (its type, or
    ``*``, with classes and ids one has, in any case), or one the reader does not tell
    (a pseudo-class, an attribute, what a keyframe is of)."""
    with pytest.raises(MuscleError) as info:
        read(_map_of(f"<style>\n{sheet}</style>{GROUPED}", tmp_path))
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 3)
    assert "which may leave a polygon unseen or taking no clicks" in found.message


@pytest.mark.parametrize("sheet", [
    "text { pointer-events: none }", "text, tspan, .label { pointer-events: none }",
    "g.label { opacity: 0 }", "#legend { display: contents }", "a text { fill: none }",
    "@media print { g > text { pointer-events: none } }", "rect.back { fill: transparent }",
    "polygon.lifted.gone { opacity: 0 } text { pointer-events: none }"])
def test_a_style_sheet_rule_that_selects_no_polygon_is_read(sheet: str,
                                                           tmp_path: Path) -> None:
    """A rule that cannot select a polygon or what is around one (a label's text, an
    element of a class or id none of them has) leaves every region seen and clickable:
    it failed the map."""
    path = _map_of(f"<style>\n{sheet}</style>{GROUPED}\n<g class='label' id='legend'>"
                   "<text>Legend</text><rect class='back' width='5' height='5'/></g>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["grouped", "kept"]


@pytest.mark.parametrize("fill", [
    "url(#missing)", "URL( '#none' ) !important", "url(#clear) none", "url(#flat)",
    "url(#hollow)", "url(#stops)"])
def test_a_style_sheet_filling_with_what_paints_nothing_fails_the_map(fill: str,
                                                                      tmp_path: Path) -> None:
    """A sheet's fill of a url() of a gradient or pattern that is not there or paints
    nothing was not checked, though the same fill as an attribute leaves the muscle out."""
    with pytest.raises(MuscleError) as info:
        read(_map_of(f"<style>\npolygon {{ fill: {fill} }}</style>\n{SERVERS}{GROUPED}",
                     tmp_path))
    [found] = info.value.diagnostics
    assert (found.code, found.line) == ("bad-svg", 3)
    assert f"sets fill: {_css_said(fill)}, which may leave a polygon unseen" in found.message


def _css_said(value: str) -> str:
    """A declaration's value as the error says it: without !important, lower case but a
    url()."""
    value = value.removesuffix("!important").strip()
    return value if value.lower().startswith("url(") else value.lower()


@pytest.mark.parametrize("sheet", [
    "polygon { fill: url(#Stops) }", "a { fill: url(#missing) red }",
    "polygon { fill: url(#linked) !important }", "text { fill: url(#missing) }",
    "polygon { fill: url(other.svg#x) }"])
def test_a_style_sheet_filling_with_what_paints_is_read(sheet: str, tmp_path: Path) -> None:
    """A gradient or pattern that paints (of its case of id), a missing one's fallback
    colour, one of another file, or a fill for no polygon."""
    back, found = read(_map_of(f"<style>\n{sheet}</style>\n{SERVERS}{GROUPED}", tmp_path))
    assert found == [] and [m.slug for m in back] == ["grouped", "kept"]


@pytest.mark.parametrize("stroke", [
    "stroke: none", "stroke: url(#missing)", "stroke: URL('#clear') !important",
    "stroke: url(#flat) none", "stroke: none !important", "stroke-width: 0 !important"])
def test_a_sheet_that_may_take_the_stroke_away_leaves_an_unfilled_polygon_out(
        stroke: str, tmp_path: Path) -> None:
    """A stroke of a url() of nothing, or of none !important, in a sheet was not taken to
    take the stroke away, though the same as an attribute paints nothing."""
    path = _map_of(f"<style>#x polygon {{ {stroke} }}</style>{SERVERS}\n<a data-slug="
                   "'unfilled' stroke='red'><title>U</title>\n<polygon fill='none' "
                   "points='1,1 50,1 50,50'/></a>", tmp_path)
    _left_out(path, [5], ["unfilled"], "a <style> that may take its stroke away")


@pytest.mark.parametrize("stroke", [
    "url(#missing) red", "url(#Stops)", "url(#linked) !important", "url(other.svg#x)"])
def test_a_sheet_stroke_that_paints_leaves_an_outline_read(stroke: str,
                                                           tmp_path: Path) -> None:
    path = _map_of(f"<style>#x polygon {{ stroke: {stroke} }}</style>{SERVERS}\n<a "
                   "data-slug='outline' stroke='red'><title>O</title>\n<polygon fill='none' "
                   "points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "outline"]


#: Filters that draw what they filter other than as it is, one a line from line 3: by a
#: region smaller than it (of the bounding box, and in user space), a subregion, a
#: flood, an image, an href to another, none at all; and two that draw it whole.
DRAWING_FILTERS = (
    "<filter id='half' x='0' y='0' width='0.5' height='1'><feGaussianBlur/></filter>\n"
    "<filter id='user' filterUnits='userSpaceOnUse' x='0' y='0' width='20' height='99'>"
    "<feGaussianBlur/></filter>\n"
    "<filter id='sub'><feGaussianBlur stdDeviation='1'/>\n<feMerge width='10%'/></filter>\n"
    "<filter id='flood'><feFlood flood-color='red'/>\n</filter>\n"
    "<filter id='image'><feImage href='x.png'/>\n</filter>\n"
    "<filter id='offset'><feOffset dx='5'/></filter><filter id='chain' href='#offset'/>\n"
    "<filter id='empty'><desc>none</desc></filter>\n"
    "<filter id='whole' x='-10%' y='-0.1' width='1.2' height='120%'><feGaussianBlur/>"
    "</filter><filter id='around' filterUnits='userSpaceOnUse' x='0' y='0' width='99px' "
    "height='99'><feColorMatrix type='saturate' values='0'/></filter>")


@pytest.mark.parametrize(("name", "says"), [
    ("half", "clips what it filters to its region (#half"),
    ("user", "clips what it filters to its region (#user"),
    ("sub", "may clip what it filters (#sub, whose <feMerge> at line 6 has a subregion"),
    ("flood", "paints over what it filters (#flood, whose <feFlood> at line 7 paints"),
    ("image", "paints over what it filters (#image, whose <feImage> at line 9 paints"),
    ("chain", "takes what it does from another filter by href (#chain names #offset)"),
    ("empty", "draws nothing (#empty holds no filter primitive)"),
])
def test_a_filter_that_clips_or_paints_over_leaves_the_muscle_out(name: str, says: str,
                                                                  tmp_path: Path) -> None:
    """A filter region smaller than the polygon clips it, a flood or an image paints over
    it, a filter of none draws nothing, and one taking primitives from another by href
    is drawn as viewers differ: each was read as the polygon drawn whole."""
    path = _map_of(f"<defs>{DRAWING_FILTERS}</defs>\n<a data-slug='filtered'><title>F"
                   f"</title>\n<polygon filter='url(#{name})' points='1,1 50,1 50,50'/></a>",
                   tmp_path)
    _left_out(path, [15], ["filtered"], f"<polygon> has a filter that {says}")


@pytest.mark.parametrize("primitive", [
    "<feMorphology operator='dilate' radius='20'/>", "<feMorphology radius='2'/>",
    "<feConvolveMatrix order='3' kernelMatrix='0 0 0 0 0 0 0 0 1'/>"],
    ids=["dilate", "erode", "convolve"])
def test_a_filter_that_grows_shrinks_or_shifts_leaves_the_muscle_out(
        primitive: str, tmp_path: Path) -> None:
    """A dilation (as Inkscape's Filters > Morphology makes one) draws the polygon larger
    than its points, an erosion smaller, a convolution shifted: each was read as the
    polygon drawn whole."""
    name = primitive[1:].split()[0]
    path = _map_of(f"<defs><filter id='f'><feGaussianBlur stdDeviation='0'/>\n{primitive}"
                   "</filter></defs>\n<a data-slug='reshaped'><title>R</title>\n<polygon "
                   "style='filter: url(#f)' points='1,1 50,1 50,50'/></a>", tmp_path)
    _left_out(path, [6], ["reshaped"], f"<polygon> has a filter that draws what it filters "
              f"other than its shape (#f, whose <{name}> at line 4 grows, shrinks or shifts "
              "it), which the reader does not apply")


def test_a_filter_whose_region_holds_the_polygon_is_read(tmp_path: Path) -> None:
    path = _map_of(f"<defs>{DRAWING_FILTERS}</defs>\n<a data-slug='whole' filter="
                   "'url(#whole)'><title>W</title><polygon style='filter: url(#around)' "
                   "points='1,1 50,1 50,50'/></a>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["kept", "whole"]


def test_a_style_sheet_of_a_filter_region_in_user_space_fails_the_map(tmp_path: Path) -> None:
    """Which polygons a sheet's rule filters is not worked out: a region in user space
    cannot be told to hold them."""
    path = _map_of(f"<defs>{DRAWING_FILTERS}</defs>\n<style>a {{ filter: url(#around) }}"
                   "</style>", tmp_path)
    with pytest.raises(MuscleError) as info:
        read(path)
    assert info.value.diagnostics[0].message.startswith(
        "<style> sets a filter that clips what it filters to its region (#around")


@pytest.mark.parametrize(("base", "use"), [
    (" xml:base='sub/'", "<use href='../map.svg#t'/>"),
    ("", "<use xml:base='sub/' xlink:href='../map.svg#t' x='5'/>"),
    (" xml:base='file://{tmp}/sub/'", "<use href='../map.svg#t'/>"),
], ids=["on a g", "on the use", "a file: URL"])
def test_a_use_naming_a_muscle_under_an_xml_base_leaves_it_out(base: str, use: str,
                                                               tmp_path: Path) -> None:
    """A viewer that honours xml:base takes '../map.svg#t' under xml:base='sub/' as the
    map's own polygon, drawn again: it was taken for another file's and read."""
    path = _map_of(f"<a data-slug='used'><title>U</title>\n<polygon id='t' points='1,1 50,1 "
                   f"50,50'/></a>\n<g{base.format(tmp=tmp_path)}>\n"
                   f"{use}</g>", tmp_path)
    _left_out(path, [6], ["used"], "<use> draws again, where it stands, the <polygon>")


def test_a_filter_of_another_file_under_an_xml_base_leaves_the_muscle_out(
        tmp_path: Path) -> None:
    """'map.svg#soft' is the map's own blur as Chromium takes it, but another file's
    filter, not read, where the xml:base in effect is honoured."""
    path = _map_of(f"<defs>{FILTERS}</defs>\n<g xml:base='http://example.org/maps/'>\n"
                   "<a data-slug='based'><title>B</title>\n<polygon filter='url(map.svg#soft)' "
                   "points='1,1 50,1 50,50'/></a></g>", tmp_path)
    _left_out(path, [10], ["based"], "<polygon> has a filter that is in another file "
              "(map.svg#soft, as the xml:base in effect takes it: "
              "http://example.org/maps/map.svg)")


def test_what_an_xml_base_takes_to_another_file_either_way_is_read(tmp_path: Path) -> None:
    """A <use> of another file (as it is and under its xml:base) draws no muscle again;
    a filter named by '#id' is the map's own whatever the xml:base."""
    path = _map_of(f"<defs>{FILTERS}</defs>\n<g xml:base='http://example.org/'><a "
                   "data-slug='based'><title>B</title><polygon id='t' filter='url(#soft)' "
                   "points='1,1 50,1 50,50'/></a>\n<use href='other.svg#t'/></g>", tmp_path)
    back, found = read(path)
    assert found == [] and [m.slug for m in back] == ["based", "kept"]


def _lifted_map(tmp_path: Path) -> tuple[Path, list[Muscle]]:
    """A map the writer wrote whose muscle 'lat' has a region drawn again, lifted, in a
    muscle-lift piece (over 'pec'), and its muscles."""
    def square(x: int, y: int, side: int) -> Region:
        return Region(((x, y), (x + side, y), (x + side, y + side), (x, y + side)))

    lat = Muscle(slug="lat", title="Lat", regions=(square(500, 0, 100), square(12, 12, 5)))
    pec = Muscle(slug="pec", title="Pec", regions=(square(0, 0, 40),))
    write([pec, lat], tmp_path / "out")
    return tmp_path / "out" / "map.svg", [lat, pec]


@pytest.mark.parametrize(("edit", "on", "says"), [
    (('<polygon points="12,12', '<polygon transform="translate(300,300)" points="12,12'),
     "polygon", "<polygon> (of the muscle's muscle-lift piece, which draws its regions again "
     "over other muscles, where they take the clicks) has a transform"),
    (('<a class="muscle-lift"', '<a style="translate: 5px" class="muscle-lift"'), "a",
     "<a> (of the muscle's muscle-lift piece, which draws its regions again over other "
     "muscles, where they take the clicks) has a transform"),
    (('<a class="muscle-lift"', '<a opacity="0" class="muscle-lift"'), "a",
     "muscles, where they take the clicks) is transparent (opacity: 0)"),
    (('<polygon points="12,12,17,12,17,17,12,17"', '<polygon points="12,12,17,12,17,17,12,18"'),
     "polygon", "draws a region that the muscle's own <a> does not hold"),
    (('<polygon points="12,12,17,12,17,17,12,17"/>', '<path d="M12 12h5v5h-5z"/>'), "path",
     "<path> (of the muscle's muscle-lift piece"),
], ids=["copy moved", "piece moved", "piece transparent", "copy's points edited",
        "copy made a path"])
def test_a_lifted_copy_drawn_other_than_its_region_leaves_the_muscle_out(
        edit: tuple[str, str], on: str, says: str, tmp_path: Path) -> None:
    """The writer draws a lifted region again in a muscle-lift piece: a copy moved in an
    editor takes the clicks elsewhere, and was not looked at."""
    path, (_, pec) = _lifted_map(tmp_path)
    text = path.read_text(encoding="utf-8")
    piece = text.index('<a class="muscle-lift"')
    path.write_text(text[:piece] + text[piece:].replace(*edit), encoding="utf-8")
    back, found = read(path)
    line = _line_of(path, "muscle-lift" if on == "a" else {"polygon": 'points="12,12',
                                                           "path": "<path"}[on])[-1]
    assert (found[-1].code, found[-1].line) == ("bad-svg", line)
    assert says in found[-1].message and "'lat' is left out" in found[-1].message
    assert back == [pec]


@pytest.mark.parametrize(("edit", "named"), [
    ('data-lift="lat"', "data-lift='gone'"), ('data-lift="lat"', "data-lift='Lat'"),
    (' data-lift="lat"', "")], ids=["another slug", "another case", "no data-lift"])
def test_a_lift_piece_naming_no_muscle_is_one_error(edit: str, named: str,
                                                    tmp_path: Path) -> None:
    """A muscle-lift piece whose data-lift names no muscle of the map (a slug edited, or
    the attribute deleted) draws regions that take clicks for no muscle read: it was
    neither read nor said. Its muscle's lifted region is then no piece's either."""
    path, (_, pec) = _lifted_map(tmp_path)
    text = path.read_text(encoding="utf-8")
    piece = text.index('<a class="muscle-lift"')
    path.write_text(text[:piece] + text[piece:].replace(edit, f" {named}".rstrip(), 1),
                    encoding="utf-8")
    back, found = read(path)
    index = len(re.findall(r"<a[\s>]", text[:piece]))
    said = [d for d in found if d.field == f"a[{index}].data-lift"]
    assert [(d.code, d.line, d.path) for d in said] == [
        ("bad-svg", _line_of(path, "muscle-lift")[-1], str(path))]
    value = named.partition("=")[2].strip("'")
    assert said[0].message.startswith('<a class="muscle-lift"> ' + (
        f"has data-lift={value!r}, which names" if value else "has no data-lift, so names")
        + " no muscle of the map")
    assert back == [pec]


def test_a_lifted_copy_where_its_region_is_reads_back(tmp_path: Path) -> None:
    """A piece moved nowhere (an empty transform, a half opacity) draws the region where
    its points are."""
    path, muscles = _lifted_map(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('<a class="muscle-lift"',
                                 '<a transform=" " opacity="0.5" class="muscle-lift"'),
                    encoding="utf-8")
    assert read(path) == (muscles, [])


LIFT_RULE = ".muscle polygon.lifted { visibility: hidden; }"


@pytest.mark.parametrize("block", ["@media screen {{ {} }}", "@media print{{{}}}",
                                   "@supports (display: grid) {{\n{}\n}}"])
def test_the_writers_lift_rule_in_a_block_reads_back(block: str, tmp_path: Path) -> None:
    """The writer's rule for lifted regions moved into an @media block (which may hide
    less than the rule alone, never more) was refused as a sheet that hides."""
    path, muscles = _lifted_map(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert LIFT_RULE in text
    path.write_text(text.replace(LIFT_RULE, block.format(LIFT_RULE)), encoding="utf-8")
    assert read(path) == (muscles, [])


def test_the_writers_lift_rule_in_a_block_with_no_piece_leaves_the_muscle_out(
        tmp_path: Path) -> None:
    path, (_, pec) = _lifted_map(tmp_path)
    text = path.read_text(encoding="utf-8").replace(LIFT_RULE, f"@media screen {{ {LIFT_RULE} }}")
    start = text.index('<a class="muscle-lift"')
    path.write_text(text[:start] + text[text.index("</a>", start) + 5:], encoding="utf-8")
    back, found = read(path)
    assert [(d.code, d.line) for d in found] == [("bad-svg", _line_of(path, "lifted")[-1])]
    assert found[0].message.startswith('<polygon> is hidden (class "lifted"')
    assert back == [pec]


@pytest.mark.parametrize("sheet", [f"@media screen {{ g, {LIFT_RULE} }}",
                                   f"@media screen {{ {LIFT_RULE} g {{ display: none }} }}",
                                   "@media screen { .muscle polygon { visibility: hidden } }"])
def test_a_block_hiding_more_than_the_writers_rule_fails_the_map(sheet: str,
                                                                 tmp_path: Path) -> None:
    with pytest.raises(MuscleError) as info:
        read(_map_of(f"<style>\n{sheet}</style>", tmp_path))
    assert info.value.diagnostics[0].message.startswith("<style> hides (display: none")


def test_a_slug_map_the_file_name_gives_names_the_file_at_no_line(tmp_path: Path) -> None:
    """``map.md`` with no slug key had its reserved-name at ``map.md:2:1``, where a
    missing field is placed, though no line of the file gives the slug: the file is
    named at no line now, saying that its name gives the slug; a ``slug: map`` is still
    at its value, in a file named map.md too."""
    from converter.run import convert_sources

    src = tmp_path / "src"
    src.mkdir()
    drawn = '---\ntitle: Map\n{}coords:\n  - "10,10,50,10,50,50"\n---\n'
    (src / "map.md").write_text(drawn.format(""), encoding="utf-8")
    (src / "mapped.md").write_text(drawn.format("slug: map\n"), encoding="utf-8")
    (src / "keyed").mkdir()
    (src / "keyed" / "map.md").write_text(drawn.format("slug: map\n"), encoding="utf-8")
    found = []
    for name in ("map.md", "mapped.md", "keyed/map.md"):
        found += [(Path(d.path).name, d.line, d.column, d.field, d.message) for d in
                  convert_sources([src / name], get_format("svg"), tmp_path / name, jobs=1,
                                  size="100x100").diagnostics]
    assert found == [
        ("map.md", None, None, "", "the file name gives the slug 'map': a focus image "
                                   "map.svg would replace map.svg; it is not written"),
        ("mapped.md", 3, 7, "slug", "a focus image map.svg would replace map.svg; it is "
                                    "not written"),
        ("map.md", 3, 7, "slug", "a focus image map.svg would replace map.svg; it is not "
                                 "written")]


def _two_muscle_map(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The map of two muscles, a and b (b drawn first, from line 12; a from line 16),
    written by the writer into ``tmp_path / "e3"``, each of ``edits`` made to its text."""
    folder = tmp_path / "e3"
    write([Muscle(slug="a", title="A", regions=(Region(((10, 10), (100, 10), (100, 100))),)),
           Muscle(slug="b", title="B", regions=(Region(((200, 10), (300, 10), (300, 100))),))],
          folder)
    text = (folder / "map.svg").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    (folder / "map.svg").write_text(text, encoding="utf-8")
    return folder


def test_checks_of_a_map_read_from_its_folder_name_the_map_and_each_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid muscle's lint named the folder with no line, a bad <a> the map with no
    line, and the one file counted as two failed."""
    folder = _two_muscle_map(tmp_path, ('points="10,10,100,10,100,100"',
                                        'points="10,20,30,20,30,40,10,20"'),
                             ('data-slug="b"', 'data-slug="B B"'))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "e3", "--from", "svg"])
    lines = result.output.splitlines()
    assert result.exit_code == 1 and [line.split(" error: ")[0] for line in lines[:2]] == [
        "e3/map.svg:12:1:", "e3/map.svg:18:1:"]
    assert "[bad-slug]" in lines[0] and "[polygon-self-intersecting]" in lines[1]
    assert lines[2] == "0 muscles valid, 1 file failed: 2 errors, 0 warnings"
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["validate", ".", "--from", "svg", "--format", "github"])
    assert [line.split("::")[1].split(",", 1)[1] for line in result.output.splitlines()
            if line.startswith("::error")] == ["file=map.svg,line=12,col=1",
                                               "file=map.svg,line=18,col=1"]


def test_a_bad_link_and_a_slug_given_twice_are_said_at_their_links(tmp_path: Path) -> None:
    """The lints of a bad <a>'s regions, and the later <a> of a slug given twice, were
    said at no line."""
    folder = _two_muscle_map(tmp_path, ('points="10,10,100,10,100,100"',
                                        'points="10,20,30,20,30,40,10,20"'),
                             ('data-slug="a"', 'data-slug="A A"'))
    result = CliRunner().invoke(cli, ["validate", str(folder), "--from", "svg"])
    said = [line.split(" error: ")[0] for line in result.output.splitlines()[:2]]
    assert said == [f"{folder}/map.svg:16:1:", f"{folder}/map.svg:18:1:"]
    folder = _two_muscle_map(tmp_path / "twice", ('data-slug="b"', 'data-slug="a"'))
    result = CliRunner().invoke(cli, ["validate", str(folder), "--from", "svg"])
    assert result.output.splitlines()[0].startswith(
        f"{folder}/map.svg:16:1: error: muscles[a].slug: slug 'a' is already used")


def test_a_region_under_a_pixel_of_a_file_of_many_is_warned_of_where_its_lints_are(
        tmp_path: Path) -> None:
    """A region under a pixel of a JSON or JSON Lines source was said as
    ``muscles[a].coords[0]`` at its record's start, and its size as ``1e+03``: it is
    named as that format's lints name it (``regions[0]``), at the region's line and
    column, its sizes written plainly (one just under a pixel is not said as 1)."""
    big = [[0, 0], [2000000, 0], [2000000, 2000000], [0, 2000000]]
    small = [[40000, 40000], [41000, 40000], [41000, 41000.5], [40000, 41000.5]]
    records = [{"slug": "a", "title": "A", "regions": [small]},
               {"slug": "b", "title": "B", "regions": [big, [[0, 0], [1999, 0],
                                                            [1999, 1999], [0, 1999]]]}]
    for ending in ("json", "jsonl"):
        source = tmp_path / f"rt1.{ending}"
        lines = [json.dumps(r, separators=(",", ":")) for r in records]
        if ending == "json":
            lines = ['{"muscles": [', f"{lines[0]},", lines[1], "]}"]
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["convert", str(source), "--to", "svg", "-o",
                                          str(tmp_path / f"out-{ending}"), "--no-cache"])
        assert result.exit_code == 0, result.output
        said = [line for line in result.output.splitlines() if "region-under" in line]
        text = source.read_text(encoding="utf-8").splitlines()
        (a_line,) = [n for n, line in enumerate(text, 1) if '"a"' in line]
        a_column = text[a_line - 1].index("[[40000") + 1
        b_column = text[a_line].index("[[0,0],[1999") + 1
        assert said == [
            f"{source}:{a_line}:{a_column}: warning: muscles[a].regions[0]: the region is "
            "1000 x 1000.5 pixels of the diagram, 0.5 x 0.5 of the map as shown (1000 x "
            "1000, the diagram's 2000040 x 2000040 pixels scaled down to fit 1000): it is "
            "drawn as a dot of its 1.5-pixel outline, hard to see and to click; draw it "
            "larger, or the diagram smaller [region-under-a-pixel]",
            f"{source}:{a_line + 1}:{b_column}: warning: muscles[b].regions[1]: the region "
            "is 1999 x 1999 pixels of the diagram, 0.999 x 0.999 of the map as shown "
            "(1000 x 1000, the diagram's 2000040 x 2000040 pixels scaled down to fit "
            "1000): it is drawn as a dot of its 1.5-pixel outline, hard to see and to "
            "click; draw it larger, or the diagram smaller [region-under-a-pixel]"], said


def test_a_map_is_parsed_again_only_to_place_a_diagnostic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reading of a map parsed map.svg a second time, to digest where each of its
    muscles' fields is: it is parsed once when nothing is said, twice to place what is."""
    import converter.svgtree

    parsed = []
    real = converter.svgtree.parse

    def counted(raw: bytes, here: Path) -> Any:
        parsed.append(here)
        return real(raw, here)

    monkeypatch.setattr(converter.svgtree, "parse", counted)
    folder = _two_muscle_map(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(folder), "--from", "svg", "--no-cache"])
    assert result.exit_code == 0 and parsed == [folder / "map.svg"], result.output
    _two_muscle_map(tmp_path, ('data-slug="b"', 'data-slug="B B"'))
    parsed.clear()
    result = CliRunner().invoke(cli, ["validate", str(folder), "--from", "svg", "--no-cache"])
    assert result.output.startswith(f"{folder}/map.svg:12:1: error: ")
    assert parsed == [folder / "map.svg"] * 2
