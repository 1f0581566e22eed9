"""Content lints: what a content maintainer wants checked beyond the schema.

Per muscle (run where the file is parsed, in parallel): polygon geometry and fit,
unsafe links, empty texts. Across the corpus (:class:`CorpusLint`, in the main
process, keeping only small fingerprints so memory stays flat): languages missing
from a field, the same origin/insertion/extended function text in two muscles, and
exercise names that differ only by case or spacing.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .model import LocalizedText, Muscle, Number, Point
from .safety import is_safe_link

_SIZE = re.compile(r"^\s*(\d+)\s*[xX]\s*(\d+)\s*$")


def parse_size(text: str) -> tuple[int, int]:
    """``"1000x1000"`` -> ``(1000, 1000)``; ValueError otherwise."""
    match = _SIZE.match(text)
    if not match or not all(int(v) > 0 for v in match.groups()):
        raise ValueError(f"size must look like 1000x800, not {text!r}")
    return int(match.group(1)), int(match.group(2))


# ---- geometry -----------------------------------------------------------------------

def area2(points: tuple[Point, ...]) -> Number:
    """Twice the signed area (shoelace), exact: ints and Decimals multiply exactly."""
    pts = list(points)
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1],
                                                               strict=True))


def _star_shaped(points: tuple[Point, ...]) -> bool:
    """Fast proof of simplicity: vertices strictly ordered by angle around their mean,
    turning exactly once. Such a polygon is star-shaped, hence never self-intersecting."""
    n = len(points)
    cx = sum(float(x) for x, _ in points) / n
    cy = sum(float(y) for _, y in points) / n
    angles = [math.atan2(float(y) - cy, float(x) - cx) for x, y in points]
    if any(float(x) == cx and float(y) == cy for x, y in points):
        return False
    steps = [(b - a) % (2 * math.pi) for a, b in zip(angles, angles[1:] + angles[:1],
                                                     strict=True)]
    for direction in (steps, [2 * math.pi - s for s in steps]):
        if all(1e-9 < s < math.pi - 1e-9 for s in direction) and \
                abs(sum(direction) - 2 * math.pi) < 1e-6:
            return True
    return False


def _orient(a: Point, b: Point, c: Point) -> int:
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (v > 0) - (v < 0)


def _on_segment(a: tuple, b: tuple, p: tuple) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= \
        max(a[1], b[1])


def _segments_touch(a: tuple, b: tuple, c: tuple, d: tuple) -> bool:
    o1, o2, o3, o4 = _orient(a, b, c), _orient(a, b, d), _orient(c, d, a), _orient(c, d, b)
    if o1 != o2 and o3 != o4:
        return True
    return (o1 == 0 and _on_segment(a, b, c)) or (o2 == 0 and _on_segment(a, b, d)) or \
        (o3 == 0 and _on_segment(c, d, a)) or (o4 == 0 and _on_segment(c, d, b))


def self_intersects(points: tuple[Point, ...]) -> bool:
    """True when two non-adjacent edges of the polygon touch or cross (exact arithmetic)."""
    if _star_shaped(points):
        return False
    pts = list(points)
    n = len(pts)
    edges = [(pts[i], pts[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                if pts[i] == pts[(i + 1) % n] or _collinear_overlap(edges[i], edges[j]):
                    return True
                continue
            if _segments_touch(*edges[i], *edges[j]):
                return True
    return False


def _collinear_overlap(e: tuple, f: tuple) -> bool:
    """Adjacent edges folding back onto each other."""
    (a, b), (c, d) = e, f
    if _orient(a, b, c) or _orient(a, b, d):
        return False
    shared = b if b in (c, d) else a
    other_e = a if shared == b else b
    other_f = d if shared == c else c
    return (other_e[0] - shared[0]) * (other_f[0] - shared[0]) + \
        (other_e[1] - shared[1]) * (other_f[1] - shared[1]) > 0


# ---- per-muscle lints -----------------------------------------------------------------

def check_muscle(muscle: Muscle, path: str, size: tuple[int, int] | None = None
                 ) -> list[Diagnostic]:
    """Lints of one muscle on its own. Errors for broken geometry and unsafe links."""
    out: list[Diagnostic] = []

    def add(field: str, code: str, message: str, severity: str = "error") -> None:
        out.append(Diagnostic(path, None, None, field, code, message, severity))  # type: ignore[arg-type]

    for i, region in enumerate(muscle.regions):
        where = f"coords[{i}]"
        if area2(region.points) == 0:
            add(where, "polygon-zero-area", "polygon has zero area")
        elif self_intersects(region.points):
            add(where, "polygon-self-intersecting", "polygon edges cross each other")
        if size is not None:
            width, height = size
            outside = [(x, y) for x, y in region.points if x > width or y > height]
            if outside:
                x, y = outside[0]
                add(where, "polygon-outside", f"point ({x},{y}) lies outside the "
                    f"{width}x{height} diagram")
    for name in ("image", "image_focus"):
        value = getattr(muscle, name)
        if value is not None and not is_safe_link(value):
            add(name, "unsafe-link", f"{value!r} is not a relative, http or https link")
    for name in ("origin", "insertion"):
        for lang, text in getattr(muscle, name).items():
            if not text.strip():
                add(f"{name}.{lang}", "empty-text", "text is empty", "warning")
    return out


# ---- corpus lints ---------------------------------------------------------------------

_LOCALIZED = ("origin", "insertion")


def _norm_exercise(name: str) -> str:
    return " ".join(name.casefold().split()).replace("- ", "-").replace(" -", "-")


@dataclass
class CorpusLint:
    """Checks across files. Feed every muscle with :meth:`add`, then call :meth:`finish`."""

    paths: list[str] = field(default_factory=list)
    _texts: dict[int, tuple[int, str]] = field(default_factory=dict)
    _languages: dict[str, int] = field(default_factory=dict)
    _masks: array = field(default_factory=lambda: array("Q"))
    _exercises: dict[str, tuple[str, int]] = field(default_factory=dict)
    _found: list[Diagnostic] = field(default_factory=list)

    def _bit(self, lang: str) -> int:
        return 1 << self._languages.setdefault(lang, len(self._languages))

    def add(self, muscle: Muscle, path: str) -> None:
        """Record one muscle's fingerprints (and report duplicates found so far)."""
        owner = len(self.paths)
        self.paths.append(path)
        for name in _LOCALIZED:
            text: LocalizedText = getattr(muscle, name)
            mask = 0
            for lang, value in text.items():
                mask |= self._bit(lang)
                self._same_text(owner, f"{name}.{lang}", value)
            self._masks.append(mask)
        for i, name in enumerate(muscle.exercises):
            key = _norm_exercise(name)
            first = self._exercises.setdefault(key, (name, owner))
            if first[0] != name:
                self._found.append(Diagnostic(
                    path, None, None, f"exercises[{i}]", "exercise-spelling",
                    f"exercise {name!r} differs only by case or spacing from {first[0]!r} "
                    f"in {self.paths[first[1]]}", "warning"))

    def _same_text(self, owner: int, field: str, value: str) -> None:
        if len(value) < 12:
            return
        first, first_field = self._texts.setdefault(hash(value), (owner, field))
        if first != owner:
            here, there = self.paths[owner], self.paths[first]
            self._found.append(Diagnostic(here, None, None, field, "duplicate-text",
                                          f"same text as {there} ({first_field})", "warning"))
            self._found.append(Diagnostic(there, None, None, first_field, "duplicate-text",
                                          f"same text as {here} ({field})", "warning"))

    def finish(self) -> Iterator[Diagnostic]:
        """Every corpus-level diagnostic (language gaps are known only at the end)."""
        yield from self._found
        if len(self._languages) < 2:
            return
        full = (1 << len(self._languages)) - 1
        names = {bit: lang for lang, bit in self._languages.items()}
        for index, mask in enumerate(self._masks):
            owner, which = divmod(index, len(_LOCALIZED))
            if mask and mask != full:
                missing = [names[b] for b in range(len(names)) if not mask >> b & 1]
                yield Diagnostic(self.paths[owner], None, None, _LOCALIZED[which],
                                 "missing-language", f"no text in {', '.join(sorted(missing))}"
                                 f" (other files have it)", "warning")
