"""Content lints: polygon geometry, per-muscle checks and checks across the corpus."""

from __future__ import annotations

import csv
import json
import math
import random
import shutil
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import converter.lint
from converter.cli import cli
from converter.coords import parse_coords
from converter.diagnostics import Diagnostic
from converter.lint import (
    GEOMETRY_DECIMALS,
    MAX_COORDINATE,
    MAX_LISTED_REPEATS,
    CorpusLint,
    Fingerprint,
    _integers,
    check_muscle,
    is_collinear,
    parse_size,
    self_intersects,
)
from converter.locator import Locator
from converter.model import Function, LocalizedText, Muscle, Region
from tests.conftest import ROOT, SEED
from tests.strategies import muscles
from tests.test_architecture import imported_modules


def poly(coords: str) -> tuple:
    return parse_coords(coords)


# ---- a slow but obviously right oracle for simplicity ---------------------------------

def _orient(a: tuple, b: tuple, c: tuple) -> int:
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (v > 0) - (v < 0)


def _on(a: tuple, b: tuple, p: tuple) -> bool:
    return _orient(a, b, p) == 0 and min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) \
        and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def _touch(a: tuple, b: tuple, c: tuple, d: tuple) -> bool:
    if _orient(a, b, c) * _orient(a, b, d) < 0 and _orient(c, d, a) * _orient(c, d, b) < 0:
        return True
    return _on(a, b, c) or _on(a, b, d) or _on(c, d, a) or _on(c, d, b)


def naive_self_intersects(points: tuple) -> bool:
    """Every pair of edges: adjacent ones may share only their common vertex, others
    nothing at all (O(n^2), exact)."""
    pts = [(Fraction(x), Fraction(y)) for x, y in points]
    n = len(pts)
    edges = [(pts[i], pts[(i + 1) % n]) for i in range(n)]
    if any(a == b for a, b in edges):
        return True
    for i in range(n):
        for j in range(i + 1, n):
            (a, b), (c, d) = edges[i], edges[j]
            if j == i + 1 or (i == 0 and j == n - 1):
                shared, mine, theirs = (b, a, d) if j == i + 1 else (a, b, c)
                if _orient(shared, mine, theirs) == 0 and \
                        (mine[0] - shared[0]) * (theirs[0] - shared[0]) + \
                        (mine[1] - shared[1]) * (theirs[1] - shared[1]) > 0:
                    return True
            elif _touch(a, b, c, d):
                return True
    return False


# ---- parse_size -----------------------------------------------------------------------

@pytest.mark.parametrize("text, size", [("1000x800", (1000, 800)), (" 10 X 20 ", (10, 20)),
                                        ("1x1", (1, 1))])
def test_parse_size(text: str, size: tuple[int, int]) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["0x10", "10x0", "10x", "x10", "axb", "-1x5", "10x10x10",
                                  "10*10", "", "1.5x2"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="1000x800"):
        parse_size(text)


@pytest.mark.parametrize("text", ["1\nx2", "1x2\n", "1\r\nx2", "10x\u202820", "1x2\x0c"])
def test_a_size_over_more_than_one_line_is_refused(text: str) -> None:
    """``\\s`` took a line break for a space: '1\\nx2' was read as 1x2."""
    with pytest.raises(ValueError, match="size must look like 1000x800, not "):
        parse_size(text)


def test_a_size_no_browser_can_draw_is_refused() -> None:
    """--size 1000000000x1000 made a map Chromium drew nothing of."""
    assert parse_size(f"{MAX_COORDINATE}x{MAX_COORDINATE}") == (MAX_COORDINATE,) * 2
    for text in (f"{MAX_COORDINATE + 1}x10", f"10x{MAX_COORDINATE + 1}", "1000000000x1000"):
        with pytest.raises(ValueError, match=f"larger than browsers can draw: at most "
                           f"{MAX_COORDINATE} pixels a side"):
            parse_size(text)


@pytest.mark.parametrize(("far", "shown"), [
    (MAX_COORDINATE + 1, str(MAX_COORDINATE + 1)),
    (Decimal(f"{MAX_COORDINATE}.5"), f"{MAX_COORDINATE}.5"),
    (10 ** 400, "100000000000... (401 characters)"),
])
def test_a_coordinate_no_browser_can_draw_is_an_error_at_its_region(
        far: int | Decimal, shown: str) -> None:
    """A region at 1e9 pixels was drawn as nothing; one up to MAX_COORDINATE is fine."""
    near = Region(((0, 0), (10, 0), (10, 10)))
    edge = Region(((0, 0), (MAX_COORDINATE, 0), (MAX_COORDINATE, MAX_COORDINATE)))
    assert check_muscle(Muscle(slug="m", title="M", regions=(near, edge)), "m.md") == []
    found = check_muscle(Muscle(slug="m", title="M", regions=(
        near, Region(((0, 0), (far, 0), (far, far))))), "m.md")
    assert [(d.field, d.code, d.severity) for d in found] == [
        ("coords[1]", "coords-too-large", "error")]
    assert found[0].message.startswith(f"coordinate {shown} is past {MAX_COORDINATE}, ")

# ---- geometry -------------------------------------------------------------------------

def twice_area(points: tuple) -> Fraction:
    """Twice the signed area (shoelace) in Fractions: an oracle, slow and exact."""
    pts = [(Fraction(x), Fraction(y)) for x, y in points]
    return sum((x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1],
                                                                 strict=True)), Fraction(0))


@pytest.mark.parametrize(("coords", "twice"), [
    ("0,0,10,0,10,10,0,10", 200), ("0,0,0,10,10,10,10,0", -200),
    ("0,0,0.1,0,0,0.1", Fraction(1, 100)), ("0,0,0.25,0.5,0.5,1.0000000001", Fraction(
        1, 4 * 10 ** 10)), ("0,0,5,5,10,10", 0)])
def test_zero_area_is_told_exactly_either_way_round(coords: str, twice: Fraction) -> None:
    """What the zero-area lint asks (:func:`is_collinear`, on the points scaled to
    integers) is exact: a sliver of a tiny area is no line, in either direction."""
    points = poly(coords)
    assert twice_area(points) == twice
    assert is_collinear(points) == (twice == 0) == is_collinear(points[::-1])


def test_the_geometry_does_no_fraction_arithmetic() -> None:
    """The lints' geometry is exact on integers (the points scaled once, see
    :func:`_integers`); ``lint.area2`` still summed Fractions, in no run (only tests
    called it). Its check is :func:`is_collinear`'s, tested above."""
    assert "fractions" not in imported_modules(ROOT / "converter" / "lint.py")


@pytest.mark.parametrize("coords", ["0,0,5,5,10,10", "3,3,3,3,3,3", "0,0,10,0,5,0,20,0",
                                    "1.5,2,3.0,4,4.5,6"])
def test_collinear(coords: str) -> None:
    assert is_collinear(poly(coords))


@pytest.mark.parametrize("coords", ["0,0,10,0,0,1", "0,0,10,0,10,10,0,10"])
def test_not_collinear(coords: str) -> None:
    assert not is_collinear(poly(coords))


@pytest.mark.parametrize("points", [(), ((1, 2),), ((1, 2), (3, 4))])
def test_fewer_than_three_points_have_no_area_and_fold_back(points: tuple) -> None:
    assert is_collinear(points)
    assert self_intersects(points)


SIMPLE = {
    "triangle": "0,0,10,0,5,8",
    "square": "0,0,10,0,10,10,0,10",
    "square, clockwise": "0,0,0,10,10,10,10,0",
    "hexagon": "10,0,20,0,25,9,20,18,10,18,5,9",
    "concave L": "0,0,20,0,20,5,5,5,5,20,0,20",
    "concave arrow": "0,0,10,5,0,10,4,5",
    "star-shaped (concave star)": "50,0,61,35,98,35,68,57,79,91,50,70,21,91,32,57,2,35,39,35",
    "comb": "0,0,10,0,10,10,8,10,8,2,6,2,6,10,4,10,4,2,2,2,2,10,0,10",
    "spiral": "0,0,10,0,10,10,2,10,2,4,6,4,6,6,4,6,4,8,8,8,8,2,0,2",
    "collinear vertex on a straight edge": "0,0,5,0,10,0,10,10,0,10",
    "vertical edges": "0,0,0,10,5,10,5,5,10,5,10,0",
    "decimals": "0.5,0.5,10.25,0.5,10.25,10.75,0.5,10.75",
    "first polygon of the seed": "422,216,435,216,443,219,428,224,417,234",
}
NOT_SIMPLE = {
    "bow-tie": "0,0,10,10,10,0,0,10",
    "lopsided bow-tie": "0,0,30,10,30,0,0,20",
    "pentagram": "50,0,79,91,2,35,98,35,21,91",
    "fold-back on an edge": "0,0,10,0,5,0,5,5",
    "fold-back through the first vertex": "5,0,10,0,10,10,0,10,0,0,8,0",
    "repeated vertex (pinch)": "0,0,10,0,5,5,10,10,0,10,5,5",
    "repeated neighbour": "0,0,10,0,10,0,10,10",
    "vertex touching an edge": "0,0,10,0,10,10,5,0,0,10",
    "edges overlapping collinearly": "0,0,10,0,10,5,6,5,6,0,4,0,4,5,0,5",
    "vertical edge crossing a horizontal one": "0,5,10,5,10,10,5,10,5,0,0,0",
    "edge through a far vertex": "0,0,20,0,20,10,10,0,0,10",
}


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_simple_polygons(name: str) -> None:
    points = poly(SIMPLE[name])
    assert not self_intersects(points)
    assert not naive_self_intersects(points)


@pytest.mark.parametrize("name", sorted(NOT_SIMPLE))
def test_polygons_that_are_not_simple(name: str) -> None:
    points = poly(NOT_SIMPLE[name])
    assert self_intersects(points)
    assert naive_self_intersects(points)


@pytest.mark.parametrize("name", sorted(SIMPLE) + sorted(NOT_SIMPLE))
def test_answer_does_not_depend_on_start_direction_or_mirroring(name: str) -> None:
    points = poly({**SIMPLE, **NOT_SIMPLE}[name])
    expected = self_intersects(points)
    for k in range(len(points)):
        rotated = points[k:] + points[:k]
        assert self_intersects(rotated) == expected
        assert self_intersects(rotated[::-1]) == expected
        assert self_intersects(tuple((y, x) for x, y in rotated)) == expected


def test_exact_where_floats_would_round() -> None:
    # A vertex a hair (1e-31) above the bottom edge, which as a float is on it.
    hair = Decimal("1000." + "0" * 30 + "1")
    above = ((0, 1000), (10, 1000), (10, 1010), (5, hair), (0, 1010))
    on = ((0, 1000), (10, 1000), (10, 1010), (5, 1000), (0, 1010))
    assert float(hair) == 1000
    assert not self_intersects(above)
    assert self_intersects(on)


def test_decimals_past_the_honoured_places_are_rounded_for_the_geometry() -> None:
    """A coordinate with 900 decimals made the common scale 10**900: every point became
    a 3000-bit integer and a long polygon's checks 30 times slower. The geometry honours
    GEOMETRY_DECIMALS places; the integers it works on stay small, whatever the digits."""
    long = Decimal("10." + "0" * 899 + "1")
    triangle = ((long, 20), (30, 40), (50, Decimal("60." + "0" * 39 + "5")))
    scaled = _integers(triangle)
    assert max(abs(v) for point in scaled for v in point).bit_length() <= 64 + \
        math.ceil(GEOMETRY_DECIMALS * math.log2(10))
    assert scaled[0] == (10 * 10 ** GEOMETRY_DECIMALS, 20 * 10 ** GEOMETRY_DECIMALS)
    assert scaled[2][1] == 60 * 10 ** GEOMETRY_DECIMALS + 5  # (40 places: exact)
    comb = list(_comb(2_000))
    comb[0] = (long, comb[0][1])
    assert not self_intersects(tuple(comb))
    assert check_muscle(muscle(regions=(Region(triangle),)), "m.md") == []
    # Within the places a hair above an edge is above it; past them it is on it.
    for places, simple in ((GEOMETRY_DECIMALS, True), (GEOMETRY_DECIMALS + 1, False)):
        hair = Decimal("1000." + "0" * (places - 1) + "1")
        above = ((0, 1000), (10, 1000), (10, 1010), (5, hair), (0, 1010))
        assert self_intersects(above) is not simple


def test_huge_coordinates_do_not_overflow() -> None:
    big = 10 ** 400
    assert not self_intersects(((0, 0), (big, 0), (big, big)))
    assert self_intersects(((0, 0), (big, big), (big, 0), (0, big)))
    assert is_collinear(((0, 0), (big, big), (2 * big, 2 * big)))


def _comb(teeth: int) -> tuple:
    points = [((i % 2) * 1000, i + 1) for i in range(teeth)]
    return (*points, (2000, 0), (0, 0))


def test_long_polygons() -> None:
    comb = _comb(20_000)
    assert not self_intersects(comb)
    broken = list(comb)
    broken[10_000] = (1000, 10_003)
    assert self_intersects(tuple(broken))
    assert not self_intersects(tuple((y, x) for x, y in comb))


small_grid = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=3, max_size=9)
wide_grid = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=3,
                     max_size=25)


@st.composite
def nearly_simple(draw: st.DrawFn) -> list:
    """Points sorted by angle around a centre (mostly simple polygons), then nudged:
    a vertex doubled, moved onto another, two swapped, or mirrored."""
    n = draw(st.integers(3, 20))
    grid = draw(st.sampled_from([3, 8, 40]))
    points = draw(st.lists(st.tuples(st.integers(0, grid), st.integers(0, grid)),
                           min_size=n, max_size=n, unique=True))
    cx = sum(x for x, _ in points) / n + 0.01
    cy = sum(y for _, y in points) / n + 0.013
    points.sort(key=lambda p: (math.atan2(p[1] - cy, p[0] - cx), abs(p[0] - cx)))
    for op, i, j in draw(st.lists(st.tuples(st.sampled_from(["swap", "double", "move"]),
                                            st.integers(0, 99), st.integers(0, 99)),
                                  max_size=2)):
        i, j = i % len(points), j % len(points)
        if op == "swap":
            points[i], points[j] = points[j], points[i]
        elif op == "double":
            points.insert(i, points[j])
        else:
            points[i] = points[j]
    if draw(st.booleans()):
        points = [(y, x) for x, y in points]
    return points


@given(st.one_of(small_grid, wide_grid, nearly_simple()))
def test_sweep_agrees_with_the_oracle(points: list) -> None:
    assert self_intersects(tuple(points)) == naive_self_intersects(tuple(points))


# ---- per-muscle lints -----------------------------------------------------------------

def muscle(**fields: object) -> Muscle:
    return Muscle(slug="m", title="M", **fields)  # type: ignore[arg-type]


def codes(found: list) -> list[tuple[str, str, str]]:
    return [(d.field, d.code, d.severity) for d in found]


def test_check_muscle_accepts_a_good_muscle() -> None:
    good = muscle(regions=(Region(poly(SIMPLE["hexagon"])),), image="img/a.png",
                  image_focus="https://example.org/b.png",
                  origin=LocalizedText({"da": "Skulderbladet."}))
    assert check_muscle(good, "m.md", (1000, 1000)) == []


def test_check_muscle_geometry() -> None:
    found = check_muscle(muscle(regions=(
        Region(poly(SIMPLE["square"])), Region(poly("0,0,5,5,10,10")),
        Region(poly(NOT_SIMPLE["bow-tie"])), Region(poly("0,0,1200,0,0,10")))), "m.md",
        (1000, 800))
    assert codes(found) == [("coords[1]", "polygon-zero-area", "error"),
                            ("coords[2]", "polygon-self-intersecting", "error"),
                            ("coords[3]", "polygon-outside", "error")]
    assert "(1200,0)" in found[2].message and "1000x800" in found[2].message
    assert all(d.path == "m.md" for d in found)


def test_bow_tie_with_zero_signed_area_is_reported_as_crossing() -> None:
    points = poly(NOT_SIMPLE["bow-tie"])
    assert twice_area(points) == 0 and not is_collinear(points)
    assert codes(check_muscle(muscle(regions=(Region(points),)), "m.md")) == [
        ("coords[0]", "polygon-self-intersecting", "error")]


def test_a_region_is_scaled_to_integers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A region not star-shaped (a line, a bow-tie, an L) was scaled to integers three
    times (for the star-shaped proof, the zero-area check and the crossing check), and
    proven not star-shaped twice; each is done once, what is said unchanged."""
    calls: dict[str, int] = {"_integers": 0, "_star_shaped": 0}
    for name in calls:
        real = getattr(converter.lint, name)

        def counted(pts: Any, real: Any = real, name: str = name) -> Any:
            calls[name] += 1
            return real(pts)

        monkeypatch.setattr(converter.lint, name, counted)
    regions = (Region(poly("0,0,5,5,10,10.5")), Region(poly("0,0,0.5,0.5,1,1")),
               Region(poly(NOT_SIMPLE["bow-tie"])), Region(poly(SIMPLE["concave L"])),
               Region(poly("0,0,2.5,0,2.5,2.5")))
    assert codes(check_muscle(muscle(regions=regions), "m.md")) == [
        ("coords[1]", "polygon-zero-area", "error"),
        ("coords[2]", "polygon-self-intersecting", "error")]
    assert calls == {"_integers": len(regions), "_star_shaped": len(regions)}


def test_outside_needs_a_size_and_the_edge_is_inside() -> None:
    region = Region(poly("0,0,1000,0,1000,800"))
    assert check_muscle(muscle(regions=(region,)), "m.md") == []
    assert check_muscle(muscle(regions=(region,)), "m.md", (1000, 800)) == []
    assert codes(check_muscle(muscle(regions=(region,)), "m.md", (999, 800))) == [
        ("coords[0]", "polygon-outside", "error")]


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JavaScript:alert(1)",
                                  "data:text/html,x", "file:///etc/passwd", "vbscript:x"])
def test_unsafe_links(link: str) -> None:
    found = check_muscle(muscle(image=link, image_focus=link), "m.md")
    assert codes(found) == [("image", "unsafe-link", "error"),
                            ("image_focus", "unsafe-link", "error")]


def test_empty_texts_are_warnings() -> None:
    found = check_muscle(muscle(origin=LocalizedText({"da": " ", "en": "Shoulder."}),
                                insertion=LocalizedText({"en": ""})), "m.md")
    assert codes(found) == [("origin.da", "empty-text", "warning"),
                            ("insertion.en", "empty-text", "warning")]


def test_empty_function_texts_and_exercise_names_are_warnings_too() -> None:
    functions = (Function(LocalizedText({"en": ""})),
                 Function(LocalizedText({"en": "Flexes."}), LocalizedText({"da": "  "})))
    found = check_muscle(muscle(functions=functions, exercises=("Squat", " ")), "m.md")
    assert codes(found) == [("function[0].short.en", "empty-text", "warning"),
                            ("function[1].extended.da", "empty-text", "warning"),
                            ("exercises[1]", "empty-text", "warning")]


@pytest.mark.parametrize(("latin", "message"), [
    ("", "text is empty"), (" ", "text is empty"), (" \t\n\u00a0", "text is empty"),
    ("\u200b", "text holds only invisible characters"),
    ("\t\n\u3000", "text holds only invisible characters"),  # (it said "text is empty")
    ("\u2028", "text holds only invisible characters"),
    ("\u2029 ", "text holds only invisible characters")])
def test_a_blank_latin_name_is_a_warning(latin: str, message: str) -> None:
    """A Latin name of spaces passed without a word, and made a blank study card."""
    found = check_muscle(muscle(latin=latin, origin=LocalizedText({"en": ""})), "m.md")
    assert codes(found) == [("latin", "empty-text", "warning"),
                            ("origin.en", "empty-text", "warning")]
    assert found[0].message == (f"{message}: leave latin out (none) when the muscle has no "
                                "Latin name")


INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u200b \u2060", "\u3164", "\U000e0041\U000e0042",
             "\U000e0100", "\U0001d173", "\ufff9", "\u180b"]


@pytest.mark.parametrize("blank", INVISIBLE)
def test_a_text_of_invisible_characters_is_a_warning_in_every_field(blank: str) -> None:
    """Only latin warned of a zero-width space; an origin, function or exercise of one
    passed, while a no-break space alone in them was "empty"."""
    functions = (Function(texts(en=blank), texts(da=blank)),)
    found = check_muscle(muscle(origin=texts(en=blank), insertion=texts(da=blank),
                                functions=functions, exercises=("Squat", blank)), "m.md")
    assert [(d.field, d.code, d.severity, d.message) for d in found] == [
        (field, "empty-text", "warning", "text holds only invisible characters")
        for field in ("origin.en", "insertion.da", "function[0].short.en",
                      "function[0].extended.da", "exercises[1]")]


def test_a_no_break_space_alone_is_an_empty_text() -> None:
    found = check_muscle(muscle(origin=texts(en="\u00a0"), exercises=("\u00a0",)), "m.md")
    assert [(d.field, d.message) for d in found] == [("origin.en", "text is empty"),
                                                     ("exercises[0]", "text is empty")]


def test_exercise_names_that_show_nothing_are_not_spellings_of_each_other() -> None:
    """Each is an empty-text warning already: " " and a no-break space were an
    exercise-spelling warning too."""
    assert lint(("a.md", muscle(exercises=(" ", "\u200b"))),
                ("b.md", muscle(exercises=("\u00a0", "\u200b ")))) == []


@pytest.mark.parametrize(("name", "form", "options"), [
    ("md", "markdown", {}), ("a.json", "json", {}), ("a.jsonl", "jsonl", {}),
    ("a.db", "sqlite", {}), ("a.csv", "csv", {"flat": True}), ("pkg", "csv", {})])
def test_invisible_texts_warn_alike_from_every_format(name: str, form: str, options: dict,
                                                      tmp_path: Path) -> None:
    """The same empty-text warnings, one per text, from Markdown, JSON, JSON Lines,
    SQLite, a flat CSV sheet and a CSV data package (its folder)."""
    import converter

    made = Muscle(slug="a", title="A", origin=texts(en="\u200b"), insertion=texts(en="\u00a0"),
                  functions=(Function(texts(en="\u2060")),), exercises=("\ufeff",))
    target = tmp_path / name
    converter.write([made], target, form, **options)
    ending = Path(name).suffix
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format",
                                      "json", str(target)])
    found = [(d["field"].split(".", 1)[-1] if d["field"].startswith("muscles[") else
              d["field"], d["code"], d["message"]) for d in json.loads(result.stdout)]
    invisible, empty = "text holds only invisible characters", "text is empty"
    assert sorted(found) == sorted([
        ("origin.en", "empty-text", invisible), ("insertion.en", "empty-text", empty),
        (f"{'functions' if ending in ('.json', '.jsonl', '.db') else 'function'}[0]"
         ".short.en", "empty-text", invisible),
        ("exercises[0]", "empty-text", invisible)])


@pytest.mark.parametrize(("link", "message"), [
    ("", "text is empty"), ("  ", "text is empty"),
    ("\u200b", "text holds only invisible characters")])
def test_an_empty_link_is_a_warning(link: str, message: str) -> None:
    """An empty image or image_focus passed without a word: a link to nothing."""
    found = check_muscle(muscle(image=link, image_focus=link), "m.md")
    assert [(d.field, d.code, d.severity, d.message) for d in found] == [
        ("image", "empty-text", "warning",
         f"{message}: leave image out (none) when the muscle has no image"),
        ("image_focus", "empty-text", "warning",
         f"{message}: leave image_focus out (none) when the muscle has no focus image")]


@pytest.mark.parametrize(("name", "form", "options", "place"), [
    ("md", "markdown", {}, (4, 8)), ("a.json", "json", {}, (2, 101)),
    ("a.jsonl", "jsonl", {}, (1, 101)), ("a.db", "sqlite", {}, (None, None)),
    ("a.csv", "csv", {"flat": True}, (2, None)), ("pkg", "csv", {}, (2, None))])
def test_empty_links_warn_alike_from_every_format(name: str, form: str, options: dict,
                                                  place: tuple, tmp_path: Path) -> None:
    """An empty image and an invisible image_focus are empty-text warnings at their
    fields from Markdown, JSON, JSON Lines, SQLite, a flat CSV sheet and a CSV data
    package (an empty cell of muscles.csv), as an empty latin is."""
    import converter

    made = Muscle(slug="a", title="A", latin="", image="", image_focus="\u200b")
    target = tmp_path / name
    converter.write([made], target, form, **options)
    if name == "pkg":
        with (target / "muscles.csv").open(newline="", encoding="utf-8") as table:
            assert list(csv.reader(table))[1][2:4] == ["", ""]  # (latin, image)
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format",
                                      "json", str(target)])
    found = {d["field"].split(".", 1)[-1] if d["field"].startswith("muscles[") else
             d["field"]: (d["code"], d["line"], d["column"], d["message"].split(":")[0])
             for d in json.loads(result.stdout)}
    assert found.keys() == {"latin", "image", "image_focus"}
    assert found["image"] == ("empty-text", *place, "text is empty")
    assert found["image_focus"][0::3] == ("empty-text", "text holds only invisible characters")


def test_a_latin_name_is_no_warning() -> None:
    assert check_muscle(muscle(latin="Musculus soleus"), "m.md") == []
    assert check_muscle(muscle(latin=None), "m.md") == []


@given(muscles())
def test_generated_valid_muscles_pass(m: Muscle) -> None:
    assert [d for d in check_muscle(m, "x.md") if d.severity == "error"] == []


# ---- corpus lints ---------------------------------------------------------------------

def lint(*items: tuple[str, Muscle]) -> list:
    corpus = CorpusLint()
    for path, item in items:
        corpus.add(item, path)
    return list(corpus.finish())


def texts(**langs: str) -> LocalizedText:
    return LocalizedText(langs)


def test_same_origin_in_two_muscles_names_both_files() -> None:
    found = lint(("a.md", muscle(origin=texts(da="Fra lårbenets bagside."))),
                 ("b.md", muscle(insertion=texts(da="Fra  lårbenets\nBAGSIDE."))))
    assert sorted((d.path, d.field, d.code, d.severity) for d in found) == [
        ("a.md", "origin.da", "duplicate-text", "warning"),
        ("b.md", "insertion.da", "duplicate-text", "warning")]
    by_path = {d.path: d.message for d in found}
    assert "b.md" in by_path["a.md"] and "a.md" in by_path["b.md"]


def test_extended_function_texts_are_compared_short_ones_are_not() -> None:
    # Short function names legitimately repeat ("Flexes the hip"); an extended text
    # copied into another muscle is the slip this lint exists for.
    shared = Function(texts(en="Flexes the hip joint."), texts(en="It lifts the thigh forward."))
    other = Function(texts(en="Flexes the hip joint."), texts(en="It tilts the pelvis."))
    assert lint(("a.md", muscle(functions=(shared,))), ("b.md", muscle(functions=(other,)))) == []
    found = lint(("a.md", muscle(functions=(other, shared))),
                 ("b.md", muscle(functions=(shared,))))
    assert sorted((d.path, d.field, d.code) for d in found) == [
        ("a.md", "function[1].extended.en", "duplicate-text"),
        ("b.md", "function[0].extended.en", "duplicate-text")]


def test_short_texts_and_repeats_inside_one_muscle_are_not_duplicates() -> None:
    assert lint(("a.md", muscle(origin=texts(da="Se ovenfor."))),
                ("b.md", muscle(origin=texts(da="Se ovenfor.")))) == []
    same = "Skulderbladets ledskålskant."
    assert lint(("a.md", muscle(origin=texts(da=same), insertion=texts(da=same)))) == []


def test_three_muscles_with_one_text() -> None:
    text = texts(da="Hælbenet via akillessenen.")
    found = lint(("a.md", muscle(origin=text)), ("b.md", muscle(origin=text)),
                 ("c.md", muscle(origin=text)))
    # One warning per file, each later one naming the first file: k files, k warnings.
    assert sorted((d.path, d.message) for d in found) == [
        ("a.md", "same text as b.md (origin.da)"), ("b.md", "same text as a.md (origin.da)"),
        ("c.md", "same text as a.md (origin.da)")]


def test_a_text_in_a_few_files_warns_once_per_file() -> None:
    text = texts(da="Hælbenet via akillessenen.")
    count = MAX_LISTED_REPEATS + 1
    found = lint(*((f"{i}.md", muscle(origin=text)) for i in range(count)))
    assert sorted(d.path for d in found) == sorted(f"{i}.md" for i in range(count))
    assert {d.message for d in found if d.path != "0.md"} == {"same text as 0.md (origin.da)"}


def test_a_text_in_many_files_is_summed_up_after_the_first_repeats() -> None:
    text = texts(da="Hælbenet via akillessenen.")
    found = lint(*((f"{i}.md", muscle(origin=text)) for i in range(500)))
    listed = [f"{i}.md" for i in range(1, MAX_LISTED_REPEATS + 1)]
    assert sorted(d.path for d in found if d.path != "0.md") == sorted(listed)
    first = [d.message for d in found if d.path == "0.md"]
    assert first == ["same text as 1.md (origin.da)",
                     f"the same text is in 499 other places; the first {MAX_LISTED_REPEATS} "
                     "are listed, the rest only here"]


@pytest.mark.parametrize("first, second", [("Squat", "squat"), ("Calf raise", "calf  raise"),
                                           ("Calf raise", "Calfraise"),
                                           ("Stående calf-raise", "stående calf - raise"),
                                           ("Tåhævning", unicodedata.normalize("NFD",
                                                                               "tåhævning"))])
def test_exercise_spelling(first: str, second: str) -> None:
    found = lint(("a.md", muscle(exercises=(first, "Deadlift"))),
                 ("b.md", muscle(exercises=("Plank", second))))
    assert [(d.path, d.field, d.code, d.severity) for d in found] == [
        ("b.md", "exercises[1]", "exercise-spelling", "warning")]
    assert repr(first) in found[0].message and "a.md" in found[0].message


@pytest.mark.parametrize("second, shown", [("Sq\u200buat", "'Sq\\u200buat'"),
                                           ("Squ\u00adat", "'Squ\\xadat'"),
                                           ("Squat\u2060", "'Squat\\u2060'"),
                                           ("\ufeffsquat", "'\\ufeffsquat'")])
def test_exercise_names_differing_by_an_invisible_character_are_one_spelling(
        second: str, shown: str) -> None:
    """A zero-width space, soft hyphen, word joiner or byte order mark makes a name that
    looks like another but is not it: said, with the character escaped in the message,
    so that the two names are told apart."""
    found = lint(("a.md", muscle(exercises=("Squat",))), ("b.md", muscle(exercises=(second,))))
    assert [(d.path, d.field, d.code, d.message) for d in found] == [
        ("b.md", "exercises[0]", "exercise-spelling", f"exercise {shown} differs only by "
         "case, spacing or invisible characters from 'Squat' in a.md")]
    assert str(found[0]).isprintable()


def test_same_exercise_and_different_exercises_are_fine() -> None:
    assert lint(("a.md", muscle(exercises=("Squat",))), ("b.md", muscle(exercises=("Squat",))),
                ("c.md", muscle(exercises=("Front squat",)))) == []


def test_missing_language() -> None:
    found = lint(("a.md", muscle(origin=texts(da="Et.", en="One."), insertion=texts(da="To."))),
                 ("b.md", muscle(origin=texts(en="Only English."))),
                 ("c.md", muscle()))
    assert sorted((d.path, d.field, d.code, d.severity, d.message) for d in found) == [
        ("a.md", "insertion", "missing-language", "warning",
         "no text in en (its origin has it)"),
        ("b.md", "origin", "missing-language", "warning",
         "no text in da (other muscles have it)")]


def test_a_language_only_the_muscle_itself_has_is_named_as_its_own() -> None:
    """A corpus of one file: its insertion lacked the da of its own origin, and the
    warning said "(other muscles have it)", of muscles there are none of."""
    found = lint(("only.md", muscle(origin=texts(da="a", en="b"), insertion=texts(en="c"))))
    assert [(d.path, d.field, d.message) for d in found] == [
        ("only.md", "insertion", "no text in da (its origin has it)")]


def test_languages_of_its_own_and_of_other_muscles_are_named_apart() -> None:
    found = lint(("a.md", muscle(origin=texts(fr="a"), insertion=texts(en="b", sv="c"))),
                 ("b.md", muscle(origin=texts(da="d", en="e"))))
    assert [(d.path, d.field, d.message) for d in found] == [
        ("a.md", "origin", "no text in en, sv (its insertion has it), da (other muscles "
         "have it)"),
        ("a.md", "insertion", "no text in fr (its origin has it), da (other muscles have it)"),
        ("b.md", "origin", "no text in fr, sv (other muscles have it)")]


def test_many_languages_of_its_own_are_named_as_its_own() -> None:
    own = [f"x{a}{b}" for a in "ab" for b in "abcdefghijklmnopqrstuvwxyz"]
    found = lint(("a.md", muscle(origin=LocalizedText({c: f"tekst {c}" for c in own}),
                                 insertion=texts(da="Dansk."))),
                 ("b.md", muscle(origin=texts(da="Dansk.", en="Engelsk."))))
    assert [(d.path, d.field, d.message) for d in found] == [
        ("a.md", "origin", "no text in da (its insertion has it), en (other muscles have "
         "it)"),
        ("a.md", "insertion", f"no text in {len(own) + 1} languages that its origin or "
         "other muscles have (en, xaa, xab, xac, xad, ...)"),
        ("b.md", "origin", f"no text in {len(own)} languages that other muscles have "
         "(xaa, xab, xac, xad, xae, ...)")]
    alone = lint(("a.md", muscle(origin=LocalizedText({c: f"tekst {c}" for c in own}),
                                 insertion=texts(xaa="Dansk."))))
    assert [d.message for d in alone] == [f"no text in {len(own) - 1} languages that its "
                                          "origin has (xab, xac, xad, xae, xaf, ...)"]


def test_codes_of_one_language_in_other_case_are_one_language() -> None:
    """pt-BR in one muscle and pt-br in another were two languages: each muscle lacked
    the other's ("no text in pt-br (other muscles have it)"), though codes ignore case."""
    found = lint(("a.md", muscle(origin=texts(**{"pt-br": "Um.", "en": "One."}))),
                 ("b.md", muscle(origin=texts(**{"pt-BR": "Dois.", "en": "Two."}))),
                 ("c.md", muscle(origin=texts(en="Three."))),
                 ("d.md", muscle(origin=texts(**{"pt-bR": "x"}))))
    assert [(d.path, d.field, d.message) for d in found] == [
        ("c.md", "origin", "no text in pt-BR (other muscles have it)"),
        ("d.md", "origin", "no text in en (other muscles have it)")]


def test_the_name_of_a_language_in_several_cases_does_not_depend_on_order() -> None:
    first = lint(("a.md", muscle(origin=texts(**{"pt-br": "Um."}))),
                 ("b.md", muscle(origin=texts(**{"pt-BR": "Dois."}))),
                 ("c.md", muscle(origin=texts(en="Three."))))
    second = lint(("b.md", muscle(origin=texts(**{"pt-BR": "Dois."}))),
                  ("a.md", muscle(origin=texts(**{"pt-br": "Um."}))),
                  ("c.md", muscle(origin=texts(en="Three."))))
    assert sorted(d.message for d in first) == sorted(d.message for d in second) == [
        "no text in en (other muscles have it)", "no text in en (other muscles have it)",
        "no text in pt-BR (other muscles have it)"]


def test_one_language_corpus_has_no_language_gaps() -> None:
    assert lint(("a.md", muscle(origin=texts(da="Et."))), ("b.md", muscle())) == []


def test_many_languages() -> None:
    codes_ = [f"x{a}{b}" for a in "abc" for b in "abcdefghijklmnopqrstuvwxyz"]
    found = lint(("a.md", muscle(origin=LocalizedText({c: f"tekst {c}" for c in codes_}))),
                 ("b.md", muscle(origin=texts(da="Dansk."))))
    assert [(d.path, d.field) for d in found] == [("a.md", "origin"), ("b.md", "origin")]
    assert found[1].message == (f"no text in {len(codes_)} languages that other muscles "
                                "have (xaa, xab, xac, xad, xae, ...)")  # (not all 78)
    assert found[0].message == "no text in da (other muscles have it)"


def test_thousands_of_languages_are_counted_not_listed_and_do_not_crash() -> None:
    """Over some 14,000 languages the bit mask, kept as decimal text, was too long for
    int() (a traceback); and every warning listed every other language."""
    count = 15_000
    found = lint(*((f"m{i}.md", muscle(origin=LocalizedText({f"x-l{i:05d}": "Tekst."})))
                   for i in range(count)))
    assert len(found) == count
    assert found[0].message == (f"no text in {count - 1} languages that other muscles "
                                "have (x-l00001, x-l00002, x-l00003, x-l00004, x-l00005, ...)")


# ---- the seed: the gluteus medius file carries the calf muscle's origin ------------

def _calf(origin: str, insertion: str = "Hælbenet gennem akillessenen.") -> str:
    return ("---\ntitle: Gastrocnemius\nlatin: Musculus gastrocnemius\n"
            f"origin:\n  da: {origin}\ninsertion:\n  da: {insertion}\n"
            "exercises:\n  - Stående calf-raise\n---\n")


def test_seed_and_calf_with_the_same_origin(tmp_path: Path) -> None:
    seed = Path(shutil.copy(SEED, tmp_path / "gluteus-medius.md"))
    calf = tmp_path / "gastrocnemius.md"
    calf.write_text(_calf("Et hoved fra hver side af nederste bageste del af lårbenet."),
                    encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "-j", "1", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    found = [d for d in json.loads(result.stdout) if d["code"] == "duplicate-text"]
    assert sorted((d["path"], d["field"], d["line"]) for d in found) == [
        (str(calf), "origin.da", 5), (str(seed), "origin.da", 5)]
    assert all(d["severity"] == "warning" for d in found)
    assert str(seed) in next(d["message"] for d in found if d["path"] == str(calf))
    text = runner.invoke(cli, ["validate", "-j", "1", str(tmp_path)])
    assert f"{calf}:5:" in text.stderr and f"{seed}:5:" in text.stderr
    strict = runner.invoke(cli, ["validate", "-j", "1", "--strict", str(tmp_path)])
    assert strict.exit_code == 1


def test_warnings_in_a_file_of_many_muscles_name_the_muscle(tmp_path: Path) -> None:
    records = [
        {"slug": "biceps-femoris", "title": "Biceps femoris",
         "origin": {"da": "Sædebensknuden og lårbenets bagside.", "en": "Ischial tuberosity."},
         "exercises": ["Leg Curl"]},
        {"slug": "semitendinosus", "title": "Semitendinosus",
         "origin": {"da": "Sædebensknuden og lårbenets  bagside."},
         "exercises": ["leg curl"]},
    ]
    path = tmp_path / "hamstrings.json"
    path.write_text(json.dumps({"muscles": records}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    found = sorted((d["field"], d["code"], d["message"]) for d in json.loads(result.stdout))
    assert found == [
        ("muscles[biceps-femoris].origin.da", "duplicate-text",
         f"same text as {path} (muscles[semitendinosus].origin.da)"),
        ("muscles[semitendinosus].exercises[0]", "exercise-spelling",
         f"exercise 'leg curl' differs only by case or spacing from 'Leg Curl' in {path} "
         "(muscles[biceps-femoris])"),
        ("muscles[semitendinosus].origin", "missing-language", "no text in en (other "
         "muscles have it)"),  # (one file: "other files" was wrong)
        ("muscles[semitendinosus].origin.da", "duplicate-text",
         f"same text as {path} (muscles[biceps-femoris].origin.da)")]


@pytest.mark.parametrize(("ending", "function", "exercise"), [
    (".json", "functions[0].extended.en", "exercises[1]"),
    (".jsonl", "functions[0].extended.en", "exercises[1]"),
    (".db", "functions[0].extended.en", "exercises[1]"),
    (".apkg", None, "Exercises[1]")])  # (a deck has no functions)
def test_corpus_lints_name_fields_as_each_file_does(ending: str, function: str | None,
                                                    exercise: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of many muscles beside a Markdown file: each warning names its fields,
    and the other file's, as that file does (a deck said exercises[1], its notes
    Exercises)."""
    import converter

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    text = "Bends the knee when the foot is planted"
    (tmp_path / "a.md").write_text(
        f"---\ntitle: A\nfunction:\n  - short:\n      en: Bends\n    extended:\n"
        f"      en: {text}\nexercises:\n  - Squat\n---\n", encoding="utf-8")
    many = tmp_path / f"many{ending}"
    converter.write([Muscle(slug="b", title="B", exercises=("Lunge", "squat"), functions=(
        Function(LocalizedText({"en": "Bends"}), LocalizedText({"en": text})),))], many)
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format",
                                      "json", str(tmp_path / "a.md"), str(many)])
    found = [(Path(d["path"]).name, d["field"], d["code"], d["message"])
             for d in json.loads(result.stdout) if d["code"] != "missing-language"]
    spelling = (many.name, f"muscles[b].{exercise}", "exercise-spelling", "exercise 'squat' "
                f"differs only by case or spacing from 'Squat' in {tmp_path / 'a.md'}")
    if function is None:
        assert found == [spelling]
        return
    assert sorted(found) == sorted([
        ("a.md", "function[0].extended.en", "duplicate-text",
         f"same text as {many} (muscles[b].{function})"),
        (many.name, f"muscles[b].{function}", "duplicate-text",
         f"same text as {tmp_path / 'a.md'} (function[0].extended.en)"), spelling])


def test_the_corpus_lint_names_fields_of_records_through_name_as_it_warns() -> None:
    """Every corpus lint names a record's fields as its file does (``name``), a file of
    one muscle's as the model does; ``name`` is asked as a warning is made, not for
    each muscle (a corpus of 100,000)."""
    from converter.lint import fingerprint, record_label

    asked: list[tuple[str, str]] = []

    def name(path: str, field: str) -> str:
        asked.append((path, field))
        return field.upper()

    corpus = CorpusLint(name=name)
    shared = texts(da="Fra lårbenets bagside.")
    quiet = [Muscle(slug=f"q{i}", title="Q", origin=texts(da=f"Tekst nummer {i}.", en="x"),
                    exercises=(f"Øvelse {i}",)) for i in range(300)]
    for item in [Muscle(slug="a", title="A", origin=texts(**shared, en="x"),
                        exercises=("Squat",)),
                 Muscle(slug="b", title="B", origin=shared, exercises=("squat",)), *quiet]:
        corpus.add_fingerprint(fingerprint(item, None, record_label(item)), "many.json")
    corpus.add(Muscle(slug="c", title="C", origin=shared, exercises=("SQUAT",)), "c.md")
    found = sorted((d.path, d.field, d.code, d.message) for d in corpus.finish())
    assert found == [
        ("c.md", "exercises[0]", "exercise-spelling", "exercise 'SQUAT' differs only by "
         "case or spacing from 'Squat' in many.json (muscles[a])"),
        ("c.md", "origin", "missing-language", "no text in en (other muscles have it)"),
        ("c.md", "origin.da", "duplicate-text", "same text as many.json (muscles[a].ORIGIN.DA)"),
        ("many.json", "muscles[a].ORIGIN.DA", "duplicate-text",
         "same text as many.json (muscles[b].ORIGIN.DA)"),
        ("many.json", "muscles[b].EXERCISES[0]", "exercise-spelling", "exercise 'squat' "
         "differs only by case or spacing from 'Squat' in many.json (muscles[a])"),
        ("many.json", "muscles[b].ORIGIN", "missing-language",
         "no text in en (other muscles have it)"),
        ("many.json", "muscles[b].ORIGIN.DA", "duplicate-text",
         "same text as many.json (muscles[a].ORIGIN.DA)")]
    assert {path for path, _ in asked} == {"many.json"} and len(asked) < 20, asked


def test_corpus_lints_name_fields_as_the_from_format_does(tmp_path: Path) -> None:
    """Files read with --from whatever their names: named as that format names fields."""
    function = {"short": {"en": "Bends"}, "extended": {"en": "Bends the knee when planted"}}
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(json.dumps({"muscles": [
            {"slug": name, "title": name.upper(), "functions": [function]}]}),
            encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format", "json",
                                      "--from", "json", str(tmp_path / "a.txt"),
                                      str(tmp_path / "b.txt")])
    assert sorted((Path(d["path"]).name, d["field"], d["message"])
                  for d in json.loads(result.stdout)) == [
        ("a.txt", "muscles[a].functions[0].extended.en",
         f"same text as {tmp_path / 'b.txt'} (muscles[b].functions[0].extended.en)"),
        ("b.txt", "muscles[b].functions[0].extended.en",
         f"same text as {tmp_path / 'a.txt'} (muscles[a].functions[0].extended.en)")]


def test_errors_of_one_muscle_in_a_file_of_many_name_the_muscle(tmp_path: Path) -> None:
    records = [{"slug": "soleus", "title": "Soleus"},
               {"slug": "plantaris", "title": "Plantaris", "image": "javascript:alert(1)",
                "regions": [[[0, 0], [10, 10], [0, 10], [10, 0]]]}]
    path = tmp_path / "calf.json"
    path.write_text(json.dumps({"muscles": records}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    assert sorted((d["field"], d["code"]) for d in json.loads(result.stdout)) == [
        ("muscles[plantaris].image", "unsafe-link"),  # (as JSON names it: regions)
        ("muscles[plantaris].regions[0]", "polygon-self-intersecting")]


def test_seed_and_a_calf_with_its_own_origin_are_clean(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "gluteus-medius.md")
    (tmp_path / "gastrocnemius.md").write_text(
        _calf("To hoveder fra lårbenets nederste ende."), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--strict", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_seed_and_calf_sharing_origin_and_insertion(tmp_path: Path) -> None:
    seed = Path(shutil.copy(SEED, tmp_path / "gluteus-medius.md"))
    calf = tmp_path / "gastrocnemius.md"
    calf.write_text(_calf("Et hoved fra hver side af nederste bageste del af lårbenet.",
                          "i akillessenen og fæster på hælbenet."), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--format", "json",
                                      str(seed), str(calf)])
    assert result.exit_code == 0, result.output
    assert sorted((d["path"], d["field"], d["code"]) for d in json.loads(result.stdout)) == [
        (str(calf), "insertion.da", "duplicate-text"), (str(calf), "origin.da", "duplicate-text"),
        (str(seed), "insertion.da", "duplicate-text"), (str(seed), "origin.da", "duplicate-text")]


POOL = ["Fra lårbenets bagside.", "From the back of the thigh bone.", "Til hælbenet.",
        "Onto the heel bone.", "It lifts the thigh forward."]
pooled = st.builds(lambda da, en, ex: muscle(
    origin=texts(**({"da": POOL[da]} if da is not None else {}), en=POOL[en]),
    insertion=texts(da=POOL[(en + 1) % len(POOL)]),
    exercises=tuple(["Squat", "squat", "Lunge", " lunge"][i] for i in ex)),
    st.none() | st.integers(0, 4), st.integers(0, 4), st.lists(st.integers(0, 3), max_size=2))


@given(st.lists(pooled, max_size=40), st.sampled_from([1, 2, 7]))
def test_the_corpus_lint_finds_the_same_whatever_its_batch(items: list[Muscle],
                                                           batch: int) -> None:
    import converter.lint

    every = [(f"m{i % 13}.md", m) for i, m in enumerate(items)]  # files with two muscles
    whole = lint(*every)
    saved, converter.lint.BATCH = converter.lint.BATCH, batch
    try:
        assert lint(*every) == whole
    finally:
        converter.lint.BATCH = saved
    if len(items) == 40:  # 40 English origins from a pool of 5: some text is in 8 or more
        assert any(d.code == "duplicate-text" for d in whole)


def test_an_exercise_spelling_warning_is_where_the_locator_finds_the_exercise(
        tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\nexercises:\n  - Squat\n---\n",
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\n# a comment\nexercises:\n  - Plank\n"
                                   "  -   squat\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "--format", "json",
                                      str(tmp_path)])
    found = [d for d in json.loads(result.stdout)
             if d["code"] == "exercise-spelling"]
    located = Locator()(Diagnostic(str(tmp_path / "b.md"), None, None, "exercises[1]",
                                   "exercise-spelling", ""))
    assert [(d["line"], d["column"]) for d in found] == [(located.line, located.column)]
    assert located.line == 6


def test_the_corpus_lint_compiles_a_handful_of_text_lookups() -> None:
    """Each distinct SQL text is a statement SQLite keeps compiled (the connection caches
    128): lookups of every length would hold megabytes more on a large corpus."""
    lint = CorpusLint()
    lookups: set[int] = set()  # how many digests each looks up
    lint._db.set_trace_callback(lambda sql: lookups.add(sql.split(" IN (")[1].count(",") + 1)
                                if sql.startswith("SELECT digest") else None)
    rng = random.Random(1)
    for owner in range(12_000):  # batches of 256 muscles with 0-7 texts each
        texts = tuple((f"origin.x{k}", rng.getrandbits(64), None)
                      for k in range(rng.randrange(8)))
        lint.add_fingerprint(Fingerprint(((), ()), (None, None), texts, ()), f"m{owner}.md")
    lint.finish()
    assert len(lookups) <= 10
    assert max(lookups) <= 500


def test_a_muscle_with_a_schema_error_has_its_yaml_1_1_warnings_said(
        tmp_path: Path) -> None:
    """``comments: off`` beside ``title: 5`` or a bad region was no warning until the
    error was fixed (beside an unsafe link it was): said now, at its valid keys only
    (``notes``, which an error is inside, is not checked)."""
    texts = {"b.md": "---\ntitle: 5\ncomments: off\n---\n",
             "c.md": '---\ntitle: C\ncomments: off\ncoords:\n  - "1,2,3"\n---\n',
             "a.md": '---\ntitle: A\nimage: "javascript:x"\ncomments: off\n---\n',
             "d.md": "---\ntitle: 5\nnotes:\n  - off\n  - .inf\nk: off\n---\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format", "json",
                                      str(tmp_path)])
    assert [(Path(d["path"]).name, d["line"], d["field"], d["code"])
            for d in json.loads(result.stdout)] == [
        ("a.md", 3, "image", "unsafe-link"), ("a.md", 4, "comments", "yaml11-ambiguous"),
        ("b.md", 2, "title", "wrong-type"), ("b.md", 3, "comments", "yaml11-ambiguous"),
        ("c.md", 3, "comments", "yaml11-ambiguous"), ("c.md", 5, "coords[0]", "coords-odd"),
        ("d.md", 2, "title", "wrong-type"), ("d.md", 5, "notes[1]", "wrong-type"),
        ("d.md", 6, "k", "yaml11-ambiguous")]


def test_a_plain_value_of_extra_that_yaml_1_1_reads_otherwise_is_a_warning(
        tmp_path: Path) -> None:
    """``comments: off`` exports the text "off" (``convert --to json``) while Jekyll and
    Hugo read false: said at the value. Quoted text, the muscle's own fields (text by the
    schema) and values read alike are not."""
    import warnings

    import converter

    src = tmp_path / "a.md"
    src.write_text("---\ntitle: Yes\nlatin: 017\norigin:\n  no: Tekst\ncomments: off\n"
                   'quoted: "off"\nflag: false\nnotes:\n  - 0x1F\n  - note\n---\n',
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-j", "1", "--no-cache", "--format", "json",
                                      str(src)])
    assert result.exit_code == 0, result.output
    assert [(d["line"], d["column"], d["field"], d["code"], d["severity"])
            for d in json.loads(result.stdout)] == [
        (6, 11, "comments", "yaml11-ambiguous", "warning"),
        (10, 5, "notes[0]", "yaml11-ambiguous", "warning")]
    text = CliRunner().invoke(cli, ["validate", "-j", "1", str(src)])
    assert f'{src}:6:11: warning: comments: plain off reads as false in YAML 1.1 (Jekyll, ' \
           'Hugo) but as the text "off" here and in every format it is converted to: write ' \
           '"off" (text) or false [yaml11-ambiguous]' in text.stderr
    strict = CliRunner().invoke(cli, ["validate", "-j", "1", "--strict", str(src)])
    assert strict.exit_code == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (a lint: validate's, not a Python warning)
        assert converter.read(src)[0].extra["comments"] == "off"
