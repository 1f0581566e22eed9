"""A folder muscle-convert wrote, swapped for a new version while read() read it."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import converter
import converter.registry
import converter.swaps
import formats.csv
from converter.swaps import identities, swapped
from tests.conftest import age


def _versions(muscles: list[converter.Muscle], version: int) -> list[converter.Muscle]:
    """``muscles``, each title saying ``version``."""
    return [replace(m, title=f"{m.title} v{version}") for m in muscles]


def _swapping(monkeypatch: pytest.MonkeyPatch, owners: tuple[Any, ...], name: str, at: int,
              swap: Callable[[int], None], times: int) -> None:
    """Patch ``owner.name`` of each of ``owners`` (a reader's opening of a member file by
    its path, one function that each module of the reader calls) to call
    ``swap(version)`` before its ``at``-th file opened of each of the first ``times``
    reads (a read begins where the folder's identity is taken)."""
    real, opened, reads = getattr(owners[0], name), [], [0]
    taken = converter.swaps.identities

    def taking(paths: Any, *more: Any) -> Any:
        if opened:  # (another read)
            opened.clear()
            reads[0] += 1
        return taken(paths, *more)

    def opening(*args: Any, **kwargs: Any) -> Any:
        path = str(args[-1])
        if path not in opened:  # (a package's files are opened more than once)
            opened.append(path)
            if len(opened) == at and reads[0] < times:
                swap(reads[0] + 2)
        return real(*args, **kwargs)

    monkeypatch.setattr(converter.swaps, "identities", taking)
    for owner in owners:
        monkeypatch.setattr(owner, name, opening)


#: The csv reader's modules that open a package's files (its descriptor, its tables).
_CSV_OPENERS = (formats.csv.datapackage, formats.csv.csvio)


@pytest.mark.parametrize("fmt, owners, name, members", [
    ("markdown", (converter.registry.ReadContext,), "read_bytes", 2),  # (a file each)
    ("csv", _CSV_OPENERS, "_read_whole", 3),  # (the descriptor, muscles.csv, ...)
])
def test_a_folder_swapped_between_two_member_opens_is_read_again_whole(
        fmt: str, owners: tuple[Any, ...], name: str, members: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """The read gave the muscles of the first files of version 1 and the rest of
    version 2, without a word; it is read again, all of version 2."""
    out = tmp_path / "out"
    converter.write(_versions(sample_muscles, 1), out, fmt)

    def swap(version: int) -> None:  # (as another run: a folder swapped in whole)
        converter.write(_versions(sample_muscles, version), out, fmt)

    _swapping(monkeypatch, owners, name, members, swap, times=1)
    read = converter.read(out)
    assert sorted(m.title for m in read) == sorted(m.title for m in
                                                   _versions(sample_muscles, 2))


@pytest.mark.parametrize("fmt, owners, name", [
    ("markdown", (converter.registry.ReadContext,), "read_bytes"),
    ("csv", _CSV_OPENERS, "_read_whole"),
])
def test_a_folder_swapped_at_each_read_is_changed_while_read(
        fmt: str, owners: tuple[Any, ...], name: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    out = tmp_path / "out"
    converter.write(_versions(sample_muscles, 1), out, fmt)
    _swapping(monkeypatch, owners, name, 2, lambda version: converter.write(
        _versions(sample_muscles, version), out, fmt), times=2)
    with pytest.raises(converter.MuscleError) as caught:
        converter.read(out)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{out}: error: was replaced by another version while it was read, twice "
        "(another run writing it); run again [changed-while-read]"]


def test_a_file_named_in_a_folder_the_tool_wrote_watches_that_folder(
        tmp_path: Path, sample_muscles) -> None:
    """A data package named by its descriptor: its folder is watched; a folder of the
    user's, without a marker, is not (nothing swaps it in whole)."""
    converter.write(sample_muscles, tmp_path / "pkg", "csv")
    (tmp_path / "mine").mkdir()
    before = identities([tmp_path / "pkg" / "datapackage.json", tmp_path / "mine"])
    assert list(before) == [str(tmp_path / "pkg")]
    assert swapped(before) == []
    converter.write(sample_muscles[1:], tmp_path / "pkg", "csv")
    assert swapped(before) == [str(tmp_path / "pkg")]


def test_a_folder_read_as_a_run_fills_it_in_place_is_never_some_of_each(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """A read between the two marker writes of a run filling its folder in place (-o .)
    saw the same marker before and after, and gave the files put in so far of version 2
    and the rest of version 1. A folder whose fill is still under way once the read has
    waited for it as long as it waits (here not at all) is unsettled: changed-while-read."""
    import converter.inplace

    monkeypatch.setattr(converter.swaps, "WAIT_SECONDS", 0)
    out = tmp_path / "md"
    muscles = sample_muscles[:4]
    converter.write(_versions(muscles, 1), out, "markdown")
    monkeypatch.chdir(out)
    real, got = converter.inplace._put_seen, []

    def put(*args: Any, **kwargs: Any) -> Any:
        done = real(*args, **kwargs)
        if not got:  # (after the first file is put in, the others not yet)
            try:
                got.append(sorted(m.title for m in converter.read(".")))
            except converter.MuscleError as exc:
                got.append([d.code for d in exc.diagnostics])
        return done

    monkeypatch.setattr(converter.inplace, "_put_seen", put)
    converter.write(_versions(muscles, 2), ".", "markdown")
    assert got == [["changed-while-read"]]
    assert sorted(m.title for m in converter.read(".")) == sorted(
        m.title for m in _versions(muscles, 2))


def test_an_older_versions_marker_of_names_only_is_read_as_settled(
        tmp_path: Path, sample_muscles) -> None:
    """A marker listing names with no digest and no run holding the folder's lock is
    an older version's, not a fill under way: the folder is read once, as it is."""
    from converter.marker import DIRECTORY_MARKER, marker_text, read_marker

    out = tmp_path / "md"
    converter.write(sample_muscles, out, "markdown")
    names = sorted(read_marker(out).names)
    (out / DIRECTORY_MARKER).write_text(marker_text(names), encoding="utf-8")
    assert swapped(identities([out])) == []
    assert len(converter.read(out)) == len(sample_muscles)


@contextlib.contextmanager
def _fill_held(folder: Path) -> Iterator[Callable[[], None]]:
    """A run filling ``folder`` in place, as the read sees it: the folder's lock held
    (its marker listing names with no digest) until the call given is made."""
    from converter.marker import DIRECTORY_MARKER, marker_text, read_marker

    names = sorted(read_marker(folder).names)
    (folder / DIRECTORY_MARKER).write_text(marker_text(names), encoding="utf-8")
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    held = [fd]

    def done() -> None:
        os.close(held.pop())

    try:
        yield done
    finally:
        if held:
            done()


def test_a_read_waits_for_a_fill_in_place_to_be_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """A fill that lasted longer than two reads made the read changed-while-read; the
    read now waits for the fill's lock, then reads the folder as the fill left it."""
    out = tmp_path / "md"
    converter.write(_versions(sample_muscles, 1), out, "markdown")
    real_sleep, waits = time.sleep, []
    with _fill_held(out) as done:
        def sleep(seconds: float) -> None:  # (the read waits: the fill ends, version 2)
            if not waits:
                done()
                converter.write(_versions(sample_muscles, 2), out, "markdown")
            waits.append(seconds)
            real_sleep(0)

        monkeypatch.setattr(time, "sleep", sleep)
        read = converter.read(out)
    assert len(waits) == 1
    assert sorted(m.title for m in read) == sorted(m.title for m in
                                                   _versions(sample_muscles, 2))


def _cli(*args: str, cached: bool = False) -> Any:
    """The command line's result of ``args`` (one job, run in this process), with the
    test's own cache where ``cached``, else none."""
    from click.testing import CliRunner

    from converter.cli import cli

    return CliRunner().invoke(cli, [*args, "-j", "1", *([] if cached else ["--no-cache"])],
                              catch_exceptions=False)


def test_convert_reads_again_a_folder_swapped_as_it_read_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """convert had no check: it wrote the first files' muscles of version 1 and the
    rest of version 2, without a word. It reads the folder again, all of version 2."""
    out, md = tmp_path / "muscles.json", tmp_path / "md"
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2, lambda version:
              converter.write(_versions(sample_muscles, version), md, "markdown"), times=1)
    result = _cli("convert", str(md), "--to", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(m.title for m in converter.read(out)) == sorted(
        m.title for m in _versions(sample_muscles, 2))


def _aged(muscles: list[converter.Muscle], md: Path) -> None:
    """``muscles`` written to the Markdown folder ``md``, its files' mtimes an hour back
    (a file modified moments before a run is hashed by the next, which never replays)."""
    converter.write(muscles, md, "markdown")
    age(md)


def test_a_cached_convert_reads_again_a_folder_swapped_as_it_read_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """With the cache: all of version 2 written, recorded as such (the next run, the
    folder unchanged, is up to date)."""
    out, md = tmp_path / "muscles.json", tmp_path / "md"
    convert = ("convert", str(md), "--to", "json", "-o", str(out))
    _aged(_versions(sample_muscles, 1), md)
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2,
              lambda version: _aged(_versions(sample_muscles, version), md), times=1)
    result = _cli(*convert, cached=True)
    assert result.exit_code == 0, result.stderr
    assert sorted(m.title for m in converter.read(out)) == sorted(
        m.title for m in _versions(sample_muscles, 2))
    again = _cli(*convert, cached=True)
    assert again.exit_code == 0
    assert again.stderr.splitlines()[-1].startswith(f"{out}: up to date (nothing changed")


def test_a_database_updated_in_place_from_a_folder_swapped_as_it_read_it_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """The update of the last run's database (the cache's patch of it) reads the files
    changed since; the folder swapped meanwhile, it reads them again before the update:
    the database is updated once, with version 3 alone (never with some of version 2),
    and the next run is up to date."""
    from converter.registry import get_format

    out, md = tmp_path / "muscles.db", tmp_path / "md"
    convert = ("convert", str(md), "--to", "sqlite", "-o", str(out))
    _aged(_versions(sample_muscles, 1), md)
    assert _cli(*convert, cached=True).exit_code == 0
    sqlite, updates = type(get_format("sqlite")), []
    real = sqlite.update

    def update(self: Any, muscles: Any, *args: Any, **kwargs: Any) -> Any:
        updates.append({m.title.rsplit(" v", 1)[1] for m in muscles})
        return real(self, muscles, *args, **kwargs)

    monkeypatch.setattr(sqlite, "update", update)
    _aged(_versions(sample_muscles, 2), md)
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2,
              lambda _: _aged(_versions(sample_muscles, 3), md), times=1)
    result = _cli(*convert, cached=True)
    assert result.exit_code == 0, result.stderr
    assert sorted(m.title for m in converter.read(out)) == sorted(
        m.title for m in _versions(sample_muscles, 3))
    assert updates == [{"3"}]
    again = _cli(*convert, cached=True)
    assert again.exit_code == 0
    assert again.stderr.splitlines()[-1].startswith(f"{out}: up to date (nothing changed")


@pytest.mark.parametrize("command", [
    ["convert", "--to", "json", "-o", "{out}"],
    ["validate"],
    ["validate", "--format", "json"],
])
def test_a_run_whose_folder_is_swapped_at_each_read_is_changed_while_read(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        sample_muscles) -> None:
    """Nothing is written (an earlier output stays as it was), and the run fails."""
    out, md = tmp_path / "muscles.json", tmp_path / "md"
    out.write_text("earlier\n", encoding="utf-8")
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2, lambda version:
              converter.write(_versions(sample_muscles, version), md, "markdown"), times=2)
    result = _cli(command[0], str(md), *[a.format(out=out) for a in command[1:]])
    assert result.exit_code == 1
    said = (f"{md}: error: was replaced by another version while it was read, twice "
            "(another run writing it); run again [changed-while-read]")
    if command[-1] == "json":
        assert [(d["path"], d["code"]) for d in json.loads(result.stdout)] == [
            (str(md), "changed-while-read")]
    else:
        assert said in result.stderr.splitlines()
    assert out.read_text(encoding="utf-8") == "earlier\n"


def test_convert_to_standard_output_is_not_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """What went to standard output cannot be taken back: a second read would write a
    second document after it. A swap there is changed-while-read at once."""
    md = tmp_path / "md"
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2, lambda version:
              converter.write(_versions(sample_muscles, version), md, "markdown"), times=1)
    result = _cli("convert", str(md), "--to", "jsonl", "-o", "-")
    assert result.exit_code == 1
    assert (f"{md}: error: was replaced by another version while it was read (another "
            "run writing it); run again [changed-while-read]") in result.stderr.splitlines()
    assert len(result.stdout.splitlines()) == len(sample_muscles)


def test_a_cached_convert_read_again_after_a_swap_keeps_what_it_read_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """The first read's results of each file were dropped (its cache left open, not
    flushed), and the second read parsed every file again; what the first read of the
    new version is recorded, and the second parses only the file read before the swap
    and the one whose stamp was taken before it."""
    from converter.registry import get_format
    from converter.run import convert_sources

    out, md = tmp_path / "muscles.json", tmp_path / "md"
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2,
              lambda version: converter.write(_versions(sample_muscles, version), md,
                                              "markdown"), times=1)
    result = convert_sources([md], get_format("json"), out, cache_dir=tmp_path / "cache")
    assert result.errors == 0
    assert result.parsed == 2
    assert sorted(m.title for m in converter.read(out)) == sorted(
        m.title for m in _versions(sample_muscles, 2))


def test_the_progress_of_a_convert_read_again_never_passes_its_total(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """The read done again after a swap counted every file once more: the progress bar
    went to twice its total. A file is now counted once, whichever read reads it."""
    from converter.run import convert_sources

    md = tmp_path / "md"
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    _swapping(monkeypatch, (converter.registry.ReadContext,), "read_bytes", 2, lambda version:
              converter.write(_versions(sample_muscles, version), md, "markdown"), times=1)
    steps: list[int] = []
    result = convert_sources([md], converter.registry.get_format("json"),
                             tmp_path / "muscles.json", progress=steps.append)
    assert (result.errors, result.count) == (0, len(sample_muscles))
    assert sum(steps) == len(sample_muscles)
    assert sorted(m.title for m in converter.read(tmp_path / "muscles.json")) == sorted(
        m.title for m in _versions(sample_muscles, 2))


class _Unupdatable(converter.registry.Format):
    """A format of no package whose writer writes the titles, one a line, and whose
    update() fails; the first time, as another run swaps the source folder: it calls
    ``swap`` once."""

    name = "unupdatable-test"
    extensions = (".unupdatable",)

    def __init__(self, swap: Callable[[], None]) -> None:
        self.swap, self.updates = swap, 0

    def write(self, muscles: Any, out: Path, ctx: Any) -> None:
        out.write_text("".join(m.title + "\n" for m in muscles), encoding="utf-8")

    def update(self, muscles: Any, out: Path, ctx: Any, *, total: int) -> str:
        self.updates += 1
        if self.updates == 1:
            self.swap()
        raise RuntimeError("update boom")


def test_a_failed_update_of_a_convert_read_again_is_said_once(
        tmp_path: Path, sample_muscles) -> None:
    """A plugin's update() that failed, then the folder swapped as the run read it
    whole: the run read it again, called update() again, and said its writer-failed
    warning twice. It is said once."""
    from converter.run import convert_sources

    md, out = tmp_path / "md", tmp_path / "out.unupdatable"
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    fmt = _Unupdatable(lambda: converter.write(_versions(sample_muscles, 3), md,
                                               "markdown"))
    assert convert_sources([md], fmt, out, cache_dir=tmp_path / "cache").errors == 0
    converter.write(_versions(sample_muscles, 2), md, "markdown")
    result = convert_sources([md], fmt, out, cache_dir=tmp_path / "cache")
    assert fmt.updates == 2
    assert [str(d) for d in result.diagnostics if d.code == "writer-failed"] == [
        f"{out}: warning: the unupdatable-test writer's update() failed: RuntimeError: "
        "update boom; the output is written whole instead [writer-failed]"]
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == sorted(
        m.title for m in _versions(sample_muscles, 3))


class _Refusing(converter.registry.Format):
    """A format of no package whose writer reads every muscle, then refuses the run
    (its output's error); the first ``times``, once another run has swapped the source
    folder: it calls ``swap`` then."""

    name = "refusing-swap-test"
    extensions = (".refusing",)

    def __init__(self, swap: Callable[[], None], times: int = 1) -> None:
        self.swap, self.times, self.writes = swap, times, 0

    def write(self, muscles: Any, out: Path, ctx: Any) -> None:
        list(muscles)
        self.writes += 1
        if self.writes <= self.times:
            self.swap()
        raise converter.MuscleError(converter.Diagnostic(
            str(out), None, None, "", "cannot-write", "refused"))


def test_the_diagnostics_of_a_refused_convert_are_of_one_version(
        tmp_path: Path, sample_muscles) -> None:
    """A writer that refused the run once it had read every muscle: the inputs were
    read once more for their diagnostics, unwatched, as found before the swap another
    run made meanwhile: one error per file of the old version, gone. That read is
    watched as the first: the run reads the folder again, whole, and says what the new
    version holds."""
    from converter.run import convert_sources

    md, out = tmp_path / "md", tmp_path / "out.refusing"
    old, new = sample_muscles[:8], sample_muscles[8:]
    converter.write(old, md, "markdown")

    def swap() -> None:  # (another run: a new folder in its place)
        converter.write(new, tmp_path / "new", "markdown")
        os.rename(md, tmp_path / "old")
        os.rename(tmp_path / "new", md)

    fmt = _Refusing(swap)
    result = convert_sources([md], fmt, out)
    assert fmt.writes == 2
    assert [(d.path, d.code) for d in result.diagnostics if d.severity == "error"] == [
        (str(out), "cannot-write")]
    assert (result.read, result.summary) == (len(new), f"nothing written to {out}")


def test_a_failed_fill_in_place_of_a_source_folder_is_no_swap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_muscles) -> None:
    """The run's own failed fill of the folder it reads (-o .) puts its marker back, a
    new change time: the read made for the diagnostics then is no swap, and the run
    says why nothing was written, not changed-while-read."""
    import converter.inplace
    from converter.run import convert_sources

    md = tmp_path / "md"
    converter.write(sample_muscles, md, "markdown")
    soleus = md / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace(
        "title: Soleus\n", "title: 'Soleus Two'\n"), encoding="utf-8")
    monkeypatch.chdir(md)

    def put(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(converter.inplace, "_put_seen", put)
    result = convert_sources([Path(".")], converter.registry.get_format("markdown"),
                             Path("."))
    assert [(d.path, d.code) for d in result.diagnostics if d.severity == "error"] == [
        (".", "cannot-write")]
    assert "title: 'Soleus Two'\n" in soleus.read_text(encoding="utf-8")


def test_a_refused_convert_swapped_at_each_read_is_changed_while_read(
        tmp_path: Path, sample_muscles) -> None:
    from converter.run import convert_sources

    md, out = tmp_path / "md", tmp_path / "out.refusing"
    converter.write(_versions(sample_muscles, 1), md, "markdown")
    fmt = _Refusing(lambda: converter.write(_versions(sample_muscles, fmt.writes + 1), md,
                                            "markdown"), times=2)
    result = convert_sources([md], fmt, out)
    assert [(d.path, d.code) for d in result.diagnostics] == [(str(md), "changed-while-read")]
    assert result.summary == f"nothing written to {out}"
