"""What a reader and a writer get: a file read at most to its limit, a writer's
diagnostic about a muscle named and placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter import contexts


@pytest.mark.parametrize("stat_size, actual, limit", [
    (5, 5, 10),     # as stat saw it
    (5, 8, 10),     # grew since its stat, under the limit
    (5, 30, 10),    # grew past the limit: one byte over tells it
    (5, 11, 10),
    (8, 3, 10),     # shrank
    (20, 20, 10),   # over the limit already
    (0, 0, 10),
    (10, 10, 10),
])
def test_read_at_most_reads_what_one_large_read_would(tmp_path: Path, stat_size: int,
                                                      actual: int, limit: int) -> None:
    path = tmp_path / "m.md"
    path.write_bytes(bytes(range(65, 65 + actual)))
    with open(path, "rb") as fh:
        expected = fh.read(limit + 1)
    assert contexts.read_at_most(path, stat_size, limit) == expected


def test_a_writers_diagnostic_about_a_muscle_of_no_known_source_has_no_line() -> None:
    """Without the muscle's source (the Python API), the output is named, with the
    muscle, and no line: nothing is asked of ``locate``."""
    from converter.diagnostics import Diagnostic

    asked: list[Diagnostic] = []
    ctx = contexts.WriteContext(sources={"a": contexts.Source("a.md", 0.0)},
                                locate=lambda d: asked.append(d) or d._replace(line=2))
    found = ctx.muscle_diagnostic("b", "title", "out", "not-xml-character", "x", "warning")
    assert found == Diagnostic("out", None, None, "muscles[b].title", "not-xml-character",
                               "x", "warning")
    assert asked == []
    placed = ctx.muscle_diagnostic("a", "title", "out", "not-xml-character", "x")
    assert (placed.path, placed.line, placed.field, placed.severity) == (
        "a.md", 2, "title", "error")


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_a_writers_diagnostic_about_a_muscle_into_standard_output_names_it_so(
        output: str) -> None:
    """Without the muscle's source, the output was named as given (``-: error:
    muscles[con].slug: ...``, ``/dev/stdout: ...``), where every other diagnostic about
    the output says standard output."""
    found = contexts.WriteContext().muscle_diagnostic("con", "slug", output,
                                                      "reserved-name", "x")
    assert (found.path, found.field) == ("standard output", "muscles[con].slug")
    assert found.stream  # (a folder named "standard output" is none: see test_atomic)
