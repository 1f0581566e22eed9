"""The Format base class: what a format says it keeps, writes and reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter import formatbase, registry
from converter.diagnostics import MuscleError

#: Every built-in format that reads and writes, and each of its lossy variants.
_ROUND_TRIPS = [(fmt.name, variant) for fmt in registry.all_formats()
                if fmt.can_read and fmt.can_write and registry.built_in(fmt)
                for variant in (None, *fmt.variants)]


@pytest.mark.parametrize(("name", "variant"), _ROUND_TRIPS,
                         ids=[f"{n}-{v}" if v else n for n, v in _ROUND_TRIPS])
def test_a_round_trip_gives_back_what_the_format_says_it_keeps(
        name: str, variant: str | None, sample_muscles, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Muscle.project's docstring promised read(write(m)) == m.project(format.carries),
    but anki gave back a latin of "" as None and left out an exercise of "" (an empty
    Anki field or list item is none). Each format says what it gives back now
    (Format.projected), empty and blank texts included."""
    import dataclasses

    import converter

    muscles = sorted(sample_muscles, key=lambda m: m.slug)[:4]
    edges = [{"latin": "", "exercises": ("", "Squat", " ")}, {"latin": " "},
             {"latin": "\u200b", "exercises": ("\u200b", " x ")}, {"latin": None}]
    muscles = [dataclasses.replace(m, **edge) for m, edge in zip(muscles, edges, strict=True)]
    fmt, options = registry.get_format(name), {variant: True} if variant else {}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # (anki's notes' time)
    out = tmp_path / ("out" if fmt.writes_directory(options) else f"out{fmt.extensions[0]}")
    converter.write(muscles, out, name, **options)
    assert sorted(converter.read(out, name), key=lambda m: m.slug) == [
        fmt.projected(m, variant) for m in muscles]


class _Lines(formatbase.Format):
    name = "lines-test"

    def record(self, muscle, options):
        return f"{muscle.slug}:{options.get('mark', '')}"

    def write_records(self, records, out, ctx):
        out.write_text("".join(f"{slug}={text}\n" for slug, text in records))
        return "ok"


def test_a_record_writer_needs_no_write(sample_muscles, tmp_path: Path) -> None:
    fmt = _Lines()
    assert fmt.writes_records and fmt.can_write and not fmt.can_read
    assert not registry.get_format("csv").writes_records  # rows in several tables
    assert registry.get_format("json").writes_records
    out = tmp_path / "out.txt"
    ctx = registry.WriteContext(options={"mark": "x"})
    assert fmt.write(sample_muscles, out, ctx) == "ok"
    assert out.read_text().splitlines() == [f"{m.slug}={m.slug}:x" for m in sample_muscles]


def test_a_writer_without_records_or_write_cannot_write(sample_muscles, tmp_path: Path
                                                        ) -> None:
    class Nothing(formatbase.Format):
        name = "nothing-test"

    assert not Nothing().can_write and not Nothing().writes_records
    for attempt in (lambda: Nothing().write([], tmp_path / "x", registry.WriteContext()),
                    lambda: Nothing().write_records([], tmp_path / "x",
                                                    registry.WriteContext()),
                    lambda: Nothing().record(sample_muscles[0], {})):
        with pytest.raises(MuscleError) as caught:
            attempt()
        (d,) = caught.value.diagnostics
        assert (d.code, d.severity) == ("cannot-write", "error")
        assert "nothing-test format has no" in d.message


def test_which_writers_update_their_output_in_place() -> None:
    updating = {f.name for f in registry.all_formats() if f.can_update}
    assert updating == {"json", "jsonl", "sqlite"}
    assert not _Lines().can_update  # a record writer writes everything unless it says


def test_every_built_in_reader_declares_it_validates() -> None:
    """Muscles of a built-in reader are made from front matter and are not checked a
    second time (it would cost the per-file path); a reader added without the
    declaration is checked, not trusted."""
    readers = [f for f in registry.all_formats() if f.can_read]
    assert {f.name for f in readers} >= {"markdown", "json", "jsonl", "sqlite", "csv",
                                        "svg", "anki"}
    assert all(f.validates for f in readers)
    assert not formatbase.Format.validates


def test_the_search_asking_is_own_is_known_while_it_runs_with_a_memo_of_its_own() -> None:
    """A format's is_own learns where a folder's search started, and keeps what it
    learned of folders for that search alone (a later search, after the files changed,
    looks again); outside a search there is none."""
    assert formatbase.current_search() is None
    with formatbase.searching("site") as first:
        assert formatbase.current_search() is first
        assert (first.root, first.memo) == ("site", {})
        first.memo["site/content"] = True
        with formatbase.searching("other") as inner:
            assert formatbase.current_search() is inner and inner.memo == {}
        assert formatbase.current_search() is first
    assert formatbase.current_search() is None
    with formatbase.searching("site") as second:
        assert second.memo == {}


def test_a_format_tells_a_folders_files_at_once_only_when_it_says_so() -> None:
    """own_names gives None by default (the search asks is_own of each file, a third
    party's guarded hook per file); a format that overrides either tells its files
    apart (sorts_found)."""
    class Plain(formatbase.Format):
        name = "plain"

    class PerFile(formatbase.Format):
        name = "per-file"

        def is_own(self, path: Path) -> bool:
            return path.name != "icon.x"

    class AtOnce(formatbase.Format):
        name = "at-once"

        def own_names(self, folder: str, names: object) -> list[bool]:
            return [True]

    assert Plain().own_names("site/", ["a.x"]) is None
    assert PerFile().own_names("", ["icon.x"]) is None
    assert [Plain().sorts_found, PerFile().sorts_found, AtOnce().sorts_found] == [
        False, True, True]
