"""A third party's writer writes a file of its own, put in place only once it returns."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import converter
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle
from converter.plugin_output import may_update, writer_output
from converter.registry import Format, get_format
from tests.conftest import SAMPLES, WAIT, cli_command, installed_folder

#: ``halfway`` writes one title per line, ``halfway-records`` one record per muscle;
#: each fails part-way as FAULT says.
_HALFWAY = '''
import os
import sqlite3
import sys
from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import Format


def fault():
    return os.environ.get("FAULT", "")


class Halfway(Format):
    name = "halfway"
    extensions = (".half",)

    def write(self, muscles, out, ctx):
        with open(out, "w", encoding="utf-8") as fh:
            for n, muscle in enumerate(muscles):
                if n == 2 and fault() == "raise":
                    raise RuntimeError("writer boom")
                if n == 2 and fault() == "exit":
                    sys.exit(4)
                if n == 2 and fault() == "own-file":
                    open(os.path.join(os.path.dirname(__file__), "no-such-table.txt"))
                if n == 2 and fault() == "muscle-error":
                    raise MuscleError(Diagnostic(str(out), None, None, "", "cannot-write",
                                                 "no room"))
                fh.write(muscle.title + "\\n")
                fh.flush()
        if fault() == "not-utf8":
            with open(out, "ab") as raw:
                raw.write(b"\\xff\\n")
        if fault() == "report":
            ctx.report(Diagnostic(str(out), 3, None, "", "cannot-write", "line too long"))
            ctx.report(Diagnostic(str(out), None, None, "", "cannot-write", "a note",
                                  "warning"))
        if fault() == "report-wrong":
            ctx.report("not a diagnostic")
            ctx.report(Diagnostic(str(out), "2", None, "", "cannot-write", "line as text"))
        if fault() == "summary":
            return f"wrote the titles to {out}"


class HalfwayUpdate(Format):
    """``slug|title`` lines, brought up to date in place: FAULT ``killed`` ends the
    process half-way through; ``update-raise``, ``update-exit`` and
    ``update-muscle-error`` fail at once; ``update-int`` returns an int, and
    ``update-deleted`` a summary once it deleted the file it was given."""

    name = "halfway-update"
    extensions = (".halfup",)

    def write(self, muscles, out, ctx):
        out.write_text("".join(f"{m.slug}|{m.title}\\n" for m in muscles))

    def update(self, muscles, out, ctx, *, total):
        if fault() == "update-raise":
            raise RuntimeError("update boom")
        if fault() == "update-exit":
            sys.exit(5)
        if fault() == "update-muscle-error":
            raise MuscleError(Diagnostic(str(out), None, None, "", "cannot-write",
                                         "no room"))
        if fault() == "update-misraise":
            raise MuscleError([MuscleError(Diagnostic(str(out), None, None, "", "odd", "no"))])
        if fault() == "update-int":
            return 7
        if fault() == "update-deleted":
            out.unlink()
            return f"updated {len(muscles)} in {out.name}"
        titles = {m.slug: m.title for m in muscles}
        lines = out.read_text().splitlines()
        with open(out, "w", encoding="utf-8") as fh:
            for n, line in enumerate(lines):
                if n == 2 and fault() == "killed":
                    os._exit(9)
                slug = line.partition("|")[0]
                fh.write(f"{slug}|{titles.get(slug, line.partition('|')[2])}\\n")
                fh.flush()
        return f"updated {len(muscles)} in {out.name}"


class HalfwayRecords(Format):
    name = "halfway-records"
    extensions = (".halfrec",)

    def record(self, muscle, options):
        if muscle.slug == "soleus" and fault() == "record":
            raise RuntimeError("record boom")
        if muscle.slug == "soleus" and fault() == "exit":
            sys.exit("record gives up")
        return muscle.title + "\\n"

    def write_records(self, records, out, ctx):
        with open(out, "w", encoding="utf-8") as fh:
            for _, text in records:
                fh.write(text)
                fh.flush()


class HalfwayFolder(Format):
    name = "halfway-folder"
    directory_marker = "muscles.list"

    def writes_directory(self, options):
        return True

    def write(self, muscles, out, ctx):
        out.mkdir(parents=True, exist_ok=True)
        slugs = []
        for n, muscle in enumerate(muscles):
            if n == 2 and fault() == "raise":
                raise RuntimeError("writer boom")
            (out / f"{muscle.slug}.txt").write_text(muscle.title + "\\n")
            slugs.append(muscle.slug)
        (out / "muscles.list").write_text("".join(s + "\\n" for s in slugs))
        if fault() == "report":
            ctx.report(Diagnostic(str(out / "muscles.list"), 1, None, "", "cannot-write",
                                  "line too long"))
            ctx.report(Diagnostic(str(out), None, None, "", "cannot-write", "too many"))

    def update(self, muscles, out, ctx, *, total):
        (out / "updated.txt").write_text("in place\\n")
        return "updated in place"


class WalBook(Format):
    """``slug, title`` rows of a SQLite database in WAL mode, its changes left in the
    -wal beside it (see close()); FAULT ``raise`` fails once it wrote."""

    name = "walbook"
    extensions = (".walbook",)

    def companions(self, path):
        return [path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]

    def write(self, muscles, out, ctx):
        conn = sqlite3.connect(out)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE muscle (slug TEXT PRIMARY KEY, title TEXT)")
        conn.executemany("INSERT INTO muscle VALUES (?, ?)",
                         [(m.slug, m.title) for m in muscles])
        conn.commit()
        close(conn, out)
        if fault() == "raise":
            raise RuntimeError("walbook boom")

    def update(self, muscles, out, ctx, *, total):
        conn = sqlite3.connect(out)
        if conn.execute("SELECT count(*) FROM muscle").fetchone()[0] != total:
            conn.close()
            return None
        conn.executemany("UPDATE muscle SET title = ? WHERE slug = ?",
                         [(m.title, m.slug) for m in muscles])
        conn.commit()
        close(conn, out)
        return f"updated {len(muscles)} in {out.name}"


class Compy(Format):
    """Titles, one a line; FAULT ``companions`` makes its companions() fail."""

    name = "compy"
    extensions = (".compy",)

    def companions(self, path):
        if fault() == "companions":
            raise RuntimeError("no companions")
        return []

    def write(self, muscles, out, ctx):
        out.write_text("".join(m.title + "\\n" for m in muscles))


def close(conn, out):
    """Close ``conn``, its changes left in the -wal: a read-only reader that closes
    last cannot fold them into the database; FAULT ``checkpoint`` folds them in."""
    if fault() == "checkpoint":
        conn.close()
        return
    reader = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    reader.execute("SELECT count(*) FROM muscle").fetchone()
    conn.close()
    reader.close()
'''


@pytest.fixture
def halfway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The :data:`_HALFWAY` formats installed; yields the folder to put on PYTHONPATH."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "halfway_format.py").write_text(_HALFWAY, encoding="utf-8")
    dist = folder / "halfway_format-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: halfway_format\n"
                                   "Version: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\nhalfway = halfway_format:Halfway\n"
        "halfway-records = halfway_format:HalfwayRecords\n"
        "halfway-folder = halfway_format:HalfwayFolder\n"
        "halfway-update = halfway_format:HalfwayUpdate\n"
        "walbook = halfway_format:WalBook\ncompy = halfway_format:Compy\n")
    yield from installed_folder(folder, monkeypatch, "halfway_format")


def _cli(plugin: Path, cwd: Path, fault: str, *arguments: str
         ) -> subprocess.CompletedProcess[str]:
    """Run ``muscle-convert arguments`` in ``cwd`` with ``plugin`` installed, failing as
    ``fault`` says."""
    env = {**os.environ, "PYTHONPATH": f"{plugin}:{Path.cwd()}", "FAULT": fault}
    return subprocess.run([*cli_command(), *arguments], env=env, cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=WAIT)


def test_a_plugin_writer_failing_part_way_leaves_the_earlier_output(
        halfway: Path, tmp_path: Path) -> None:
    """A third party's writer that wrote part of its output, then raised (in write() or
    record()), said writer-failed but left the earlier output cut to what it wrote; the
    earlier output now stays whole, and nothing of the run is left beside it."""
    site = tmp_path / "site"
    site.mkdir()
    earlier = "".join(f"line {n}\n" for n in range(15))
    for fault, to, ending in (("raise", "halfway", ".half"),
                              ("record", "halfway-records", ".halfrec")):
        out = site / f"f{ending}"
        out.write_text(earlier)
        result = _cli(halfway, tmp_path, fault, "convert", str(SAMPLES), "--to", to,
                      "-o", str(out), "--no-cache")
        assert "Traceback" not in result.stderr
        assert result.returncode == 1 and "[writer-failed]" in result.stderr, result.stderr
        assert out.read_text() == earlier
    assert sorted(p.name for p in site.iterdir()) == ["f.half", "f.halfrec"]
    result = _cli(halfway, tmp_path, "", "convert", str(SAMPLES), "--to", "halfway",
                  "-o", str(site / "f.half"), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert len((site / "f.half").read_text().splitlines()) == 15


def test_a_plugin_writer_failing_from_python_leaves_the_earlier_output(
        halfway: Path, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """converter.write() left a plugin's half-written output; its MuscleError naming the
    file it was given names the output."""
    out = tmp_path / "out.half"
    out.write_text("earlier\n")
    for fault, message in (("raise", "the halfway writer failed: RuntimeError: writer "
                            "boom [writer-failed]"), ("muscle-error", "no room [cannot-write]")):
        monkeypatch.setenv("FAULT", fault)
        with pytest.raises(MuscleError) as caught:
            converter.write(sample_muscles, out)
        assert [str(d) for d in caught.value.diagnostics] == [f"{out}: error: {message}"]
        assert out.read_text() == "earlier\n"
    assert sorted(os.listdir(tmp_path)) == ["out.half", "plugin"]


def test_a_plugin_writer_calling_sys_exit_is_its_error(
        halfway: Path, tmp_path: Path, sample_muscles, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A plugin's write() or record() that called sys.exit() ended the run there, with
    its status and no word (exit 4), and converter.write() raised SystemExit into its
    caller. It is now the output's writer-failed error, as a reader's is that file's:
    the earlier output stays, and the next output is written."""
    site = tmp_path / "site"
    site.mkdir()
    for to, ending, status in (("halfway", ".half", "4"),
                               ("halfway-records", ".halfrec", "'record gives up'")):
        for jobs in ("1", "2"):
            out = site / f"f{ending}"
            out.write_text("earlier\n")
            result = _cli(halfway, tmp_path, "exit", "convert", str(SAMPLES), "--to", to,
                          "-o", str(out), "--no-cache", "-j", jobs)
            assert "Traceback" not in result.stderr
            assert result.returncode == 1, result.stderr
            said = [line for line in result.stderr.splitlines() if ": error: " in line]
            assert len(said) == 1 and said[0].startswith(f"{out}: error: the {to} writer "
                                                         "failed"), result.stderr
            assert said[0].endswith(f"it tried to end the program (SystemExit with status "
                                    f"{status}) [writer-failed]"), result.stderr
            assert out.read_text() == "earlier\n"
    monkeypatch.setenv("FAULT", "exit")
    out = site / "f.half"
    with pytest.raises(MuscleError) as caught:
        converter.write(sample_muscles, out)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{out}: error: the halfway writer failed: it tried to end the program "
        "(SystemExit with status 4) [writer-failed]"]
    converter.write(sample_muscles, site / "other.json")
    assert sorted(os.listdir(site)) == ["f.half", "f.halfrec", "other.json"]


def test_a_plugin_writer_failing_on_a_file_of_its_own_is_named(
        halfway: Path, tmp_path: Path, sample_muscles, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A plugin's write() that failed to open a file of its own (FileNotFoundError)
    was "out.half: cannot write here: No such file or directory", as if the output's
    folder were missing, naming neither the plugin nor the file. It is now the
    output's writer-failed error naming both, the earlier output kept."""
    out = tmp_path / "site" / "out.half"
    out.parent.mkdir()
    out.write_text("earlier\n")
    said = (f"{out}: error: the halfway writer failed: FileNotFoundError: [Errno 2] No "
            f"such file or directory: '{halfway / 'no-such-table.txt'}' [writer-failed]")
    result = _cli(halfway, tmp_path, "own-file", "convert", str(SAMPLES), "--to",
                  "halfway", "-o", str(out), "--no-cache")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [said]
    monkeypatch.setenv("FAULT", "own-file")
    with pytest.raises(MuscleError) as caught:
        converter.write(sample_muscles, out)
    assert [str(d) for d in caught.value.diagnostics] == [said]
    assert out.read_text() == "earlier\n"
    assert os.listdir(out.parent) == ["out.half"]


def _converted(halfway: Path, tmp_path: Path, to: str, out: Path
               ) -> tuple[Path, Path, tuple[str, ...]]:
    """The samples copied into ``tmp_path``, converted once ``--to`` the plugin format
    ``to`` into ``out`` with a cache: the copy, ``out`` and the command line's words."""
    source = tmp_path / "samples"
    shutil.copytree(SAMPLES, source)
    convert = ("convert", str(source), "--to", to, "-o", str(out),
               "--cache-dir", str(tmp_path / "cache"))
    assert _cli(halfway, tmp_path, "", *convert).returncode == 0
    return source, out, convert


def test_a_plugin_update_killed_part_way_leaves_the_earlier_output(
        halfway: Path, tmp_path: Path) -> None:
    """A plugin's update() was given the output itself: a run killed while it rewrote
    it in place left the output cut short. It is now given a copy beside the output
    (named as it is), put in place once it returns a summary, so the output stays
    whole; an update that returns brings it up to date as before."""
    source, out, convert = _converted(halfway, tmp_path, "halfway-update",
                                      tmp_path / "site" / "out.halfup")
    soleus = source / "soleus.md"
    for title, fault in (("Soleus Two", ""), ("Soleus Three", "killed"),
                         ("Soleus Four", "")):
        before = out.read_text()
        soleus.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}",
                                 soleus.read_text()))
        result = _cli(halfway, tmp_path, fault, *convert)
        if fault:
            assert result.returncode == 9 and out.read_text() == before, result.stderr
            continue
        assert result.returncode == 0, result.stderr
        assert "updated 15 in out.halfup; 15 muscles converted" in result.stderr
        assert out.read_text() == before.replace(
            f"soleus|{before.split('soleus|')[1].splitlines()[0]}\n",
            f"soleus|{title}\n")
    assert len(out.read_text().splitlines()) == 15

def _titles(book: Path, scratch: Path) -> dict[str, str]:
    """The titles by slug in the walbook database ``book``, its -wal too, read from a
    copy in the new folder ``scratch``: opening the output would touch its -wal (SQLite
    run by root gives it the database's owner), a change the next run must not see."""
    scratch.mkdir()
    for name, data in _beside(book).items():
        (scratch / name).write_bytes(data)
    conn = sqlite3.connect(scratch / book.name)
    try:
        return dict(conn.execute("SELECT slug, title FROM muscle"))
    finally:
        conn.close()


def _beside(book: Path) -> dict[str, bytes]:
    """The bytes of the walbook database ``book`` and its companions, by name."""
    return {p.name: p.read_bytes() for p in book.parent.iterdir()
            if p.name in (book.name, f"{book.name}-wal", f"{book.name}-journal")}


def test_a_plugin_output_keeps_its_companions_through_write_and_update(
        halfway: Path, tmp_path: Path) -> None:
    """A plugin's output file went in without its companions (the -wal a SQLite writer
    in WAL mode left beside the file it was given: the database had no table), its
    update() was given a copy of the output without them (a stale database), and an
    old -wal stayed beside a database written anew. The companions the format names
    beside the output now go into the copy and out with what the writer made, and an
    old one the writer did not make is removed; a writer that fails leaves them all."""
    source, out = tmp_path / "samples", tmp_path / "site" / "out.walbook"
    shutil.copytree(SAMPLES, source)
    convert = ("convert", str(source), "--to", "walbook", "-o", str(out),
               "--cache-dir", str(tmp_path / "cache"))
    result = _cli(halfway, tmp_path, "", *convert)
    assert result.returncode == 0, result.stderr
    assert out.with_name("out.walbook-wal").stat().st_size > 0
    titles = _titles(out, tmp_path / "read")
    assert len(titles) == 15 and titles["soleus"] == "Soleus"
    soleus = source / "soleus.md"
    soleus.write_text(re.sub(r"(?m)^title: .*$", "title: Soleus Two", soleus.read_text()))
    result = _cli(halfway, tmp_path, "", *convert)
    assert result.returncode == 0, result.stderr
    assert "updated 15 in out.walbook; 15 muscles converted" in result.stderr
    assert _titles(out, tmp_path / "updated") == {**titles, "soleus": "Soleus Two"}
    before = _beside(out)
    result = _cli(halfway, tmp_path, "raise", *convert, "--no-cache")
    assert result.returncode == 1 and "[writer-failed]" in result.stderr, result.stderr
    assert _beside(out) == before
    result = _cli(halfway, tmp_path, "checkpoint", *convert, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(out.parent)) == ["out.walbook"]
    assert _titles(out, tmp_path / "rewritten") == {**titles, "soleus": "Soleus Two"}


def test_a_plugin_update_that_fails_is_a_warning_and_the_output_written_whole(
        halfway: Path, tmp_path: Path) -> None:
    """A plugin's update() that raised was passed over without a word (the output
    written whole), and one that called sys.exit() ended the run there, its status and
    no word, the output not brought up to date; one that returned an int fell back to a
    full write without a word (its write() returning one is an error), and one that
    returned a summary once it had deleted the copy it was given left the output as it
    was, the run saying it was updated; one that raised a MuscleError of MuscleErrors
    was written whole without a word. Each is now the output's writer-failed warning
    naming the format and what went wrong, and the output is written whole."""
    source, out, convert = _converted(halfway, tmp_path, "halfway-update",
                                      tmp_path / "site" / "out.halfup")
    soleus = source / "soleus.md"
    for title, fault, what in (
            ("Soleus Two", "update-raise", "failed: RuntimeError: update boom"),
            ("Soleus Three", "update-exit",
             "failed: it tried to end the program (SystemExit with status 5)"),
            ("Soleus Four", "update-muscle-error", "failed: no room"),
            ("Soleus Seven", "update-misraise",
             "raised a MuscleError carrying MuscleError, not a Diagnostic"),
            ("Soleus Five", "update-int", "returned int, not a summary (a str or None)"),
            ("Soleus Six", "update-deleted", "returned a summary, but the copy of the "
             "output it was given is gone (not a file)")):
        soleus.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}",
                                 soleus.read_text()))
        result = _cli(halfway, tmp_path, fault, *convert)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, result.stderr
        assert [line for line in result.stderr.splitlines()
                if line.endswith("[writer-failed]")] == [
            f"{out}: warning: the halfway-update writer's update() {what}; the output is "
            "written whole instead [writer-failed]"], result.stderr
        assert "updated 1 in" not in result.stderr
        assert f"soleus|{title}\n" in out.read_text()
        assert len(out.read_text().splitlines()) == 15
    assert sorted(os.listdir(out.parent)) == ["out.halfup"]


def test_a_plugin_writing_a_folder_is_written_whole_not_updated(
        halfway: Path, tmp_path: Path) -> None:
    """A plugin's update() of a folder was given the output folder itself, to change in
    place unguarded (updated.txt left in it). Its update() is not called now: a run
    that could patch the last one writes the folder whole, as a full run does (and as
    the project's own writers of folders do), and the swap keeps each file of the same
    bytes as the file it was: only the changed muscle's file is new."""
    source, out, convert = _converted(halfway, tmp_path, "halfway-folder", tmp_path / "out")
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.txt")}
    soleus = source / "soleus.md"
    soleus.write_text(re.sub(r"(?m)^title: .*$", "title: Soleus Two", soleus.read_text()))
    result = _cli(halfway, tmp_path, "", *convert)
    assert result.returncode == 0, result.stderr
    assert "updated in place" not in result.stderr
    assert not (out / "updated.txt").exists()
    assert (out / "soleus.txt").read_text() == "Soleus Two\n"
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.txt")}
    assert len(after) == 15
    assert [name for name in sorted(after) if after[name] != before[name]] == ["soleus.txt"]

def test_a_plugin_folder_writer_with_an_update_is_not_patched(
        halfway: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that could patch the last one tried it for a plugin's folder writer with an
    update(), reading the changed files again, though that update() is never called for
    a folder (the folder then written whole): the run goes to the full write at once.
    A plugin's writer of a file, and a built-in one, are still patched."""
    from converter import run as run_module

    source, out = tmp_path / "samples", tmp_path / "out"
    shutil.copytree(SAMPLES, source)
    folder = get_format("halfway-folder")

    def convert() -> object:
        return run_module.convert_sources([source], folder, out, cache_dir=tmp_path / "c")

    convert()
    asked: list[object] = []
    monkeypatch.setattr(run_module, "updated", lambda *args: asked.append(args))
    soleus = source / "soleus.md"
    soleus.write_text(re.sub(r"(?m)^title: .*$", "title: Soleus Two", soleus.read_text()))
    convert()
    assert asked == []
    assert (out / "soleus.txt").read_text() == "Soleus Two\n"
    assert not may_update(folder, out, {})
    assert may_update(get_format("halfway-update"), tmp_path / "out.halfup", {})
    assert may_update(get_format("sqlite"), tmp_path / "out.db", {})


def _reported(stderr: str) -> list[str]:
    """The lines of ``stderr`` that say what a writer reported (``cannot-write``)."""
    return [line for line in stderr.splitlines() if line.endswith("[cannot-write]")]

def test_what_a_plugin_writer_reports_names_the_output(
        halfway: Path, tmp_path: Path, sample_muscles, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A diagnostic a plugin writer reported through ctx.report about the path it was
    given named the temporary file beside the output (out.half's .tmpdir, gone once the
    run ended), or the temporary folder; it now names the output (a file in the output
    folder for a file in the folder it was given), from the command line and Python."""
    out, folder = tmp_path / "out.half", tmp_path / "folder"
    result = _cli(halfway, tmp_path, "report", "convert", str(SAMPLES), "--to", "halfway",
                  "-o", str(out), "--no-cache")
    assert result.returncode == 1, result.stderr
    assert _reported(result.stderr) == [f"{out}: warning: a note [cannot-write]",
                                        f"{out}:3: error: line too long [cannot-write]"]
    result = _cli(halfway, tmp_path, "report", "convert", str(SAMPLES), "--to",
                  "halfway-folder", "-o", str(folder), "--no-cache")
    assert result.returncode == 1, result.stderr
    assert _reported(result.stderr) == [
        f"{folder}: error: too many [cannot-write]",
        f"{folder / 'muscles.list'}:1: error: line too long [cannot-write]"]
    monkeypatch.setenv("FAULT", "report")
    with pytest.warns(UserWarning, match="a note") as warned, \
            pytest.raises(MuscleError) as caught:
        converter.write(sample_muscles, out)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{out}:3: error: line too long [cannot-write]"]
    assert [str(w.message) for w in warned] == [f"{out}: warning: a note [cannot-write]"]
    assert sorted(os.listdir(tmp_path)) == ["folder", "out.half", "plugin"]

def test_what_a_plugin_writer_reports_that_is_no_diagnostic_is_named(
        halfway: Path, tmp_path: Path, sample_muscles, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A plugin writer's ctx.report of what is no Diagnostic of its types (a str, a line
    given as text) was a traceback (AttributeError: 'str' object has no attribute
    'severity'), exit 1 or 0; it is now the output's writer-failed error naming the
    writer and what it reported, from the command line and Python."""
    out = tmp_path / "out.half"
    said = [f"{out}: error: the halfway writer reported str, not a Diagnostic "
            "[writer-failed]",
            f"{out}: error: the halfway writer reported a Diagnostic whose line is '2' "
            "[writer-failed]"]
    result = _cli(halfway, tmp_path, "report-wrong", "convert", str(SAMPLES), "--to",
                  "halfway", "-o", str(out), "--no-cache")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == said
    monkeypatch.setenv("FAULT", "report-wrong")
    with pytest.raises(MuscleError) as caught:
        converter.write(sample_muscles, out)
    assert [str(d) for d in caught.value.diagnostics] == said

def test_a_plugin_writing_standard_output_writes_no_file_named_dash(
        halfway: Path, tmp_path: Path) -> None:
    """-o - gave a plugin Path("-"): it wrote a file named - in the working folder and
    nothing to standard output. Its file's bytes now go to standard output; a writer
    that fails writes nothing there."""
    result = _cli(halfway, tmp_path, "", "convert", str(SAMPLES), "--to", "halfway",
                  "-o", "-", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 15
    failed = _cli(halfway, tmp_path, "raise", "convert", str(SAMPLES), "--to", "halfway",
                  "-o", "-", "--no-cache")
    assert (failed.returncode, failed.stdout) == (1, "")
    assert os.listdir(tmp_path) == ["plugin"]


@pytest.mark.parametrize(("fault", "to", "said"), [
    ("raise", "halfway", [": error: the halfway writer failed: RuntimeError: writer boom "
                          "[writer-failed]"]),
    ("record", "halfway-records", [": error: the halfway-records writer failed on muscle "
                                   "'soleus': RuntimeError: record boom [writer-failed]"]),
    ("muscle-error", "halfway", [": error: no room [cannot-write]"]),
    ("report", "halfway", [": warning: a note [cannot-write]",
                           ":3: error: line too long [cannot-write]"]),
    ("report-wrong", "halfway", [
        ": error: the halfway writer reported str, not a Diagnostic [writer-failed]",
        ": error: the halfway writer reported a Diagnostic whose line is '2' "
        "[writer-failed]"]),
])
def test_what_a_plugin_writer_of_standard_output_says_names_it_so(
        halfway: Path, tmp_path: Path, fault: str, to: str, said: list[str]) -> None:
    """A plugin writer's failure or report of ``-o -`` named standard output ``-`` (and
    ``-o /dev/stdout`` by that path); each names it standard output."""
    for output in ("-", "/dev/stdout"):
        result = _cli(halfway, tmp_path, fault, "convert", str(SAMPLES), "--to", to,
                      "-o", output, "--no-cache")
        assert result.returncode == 1, result.stderr
        assert [line for line in result.stderr.splitlines()
                if "[writer-failed]" in line or "[cannot-write]" in line] == [
            f"standard output{line}" for line in said]


def test_bytes_not_utf8_from_a_plugin_into_a_text_stream_name_standard_output(
        halfway: Path, sample_muscles: list[Muscle],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's bytes that are not UTF-8, for a standard output that takes text only,
    were refused as ``-: error: standard output is a text stream here ...``."""
    monkeypatch.setenv("FAULT", "not-utf8")
    with contextlib.redirect_stdout(io.StringIO()) as out, \
            pytest.raises(MuscleError) as caught:
        converter.write(sample_muscles, "-", "halfway")
    assert [str(d) for d in caught.value.diagnostics] == [
        "standard output: error: is a text stream here (StringIO, with no binary buffer), "
        "and the writer wrote bytes that are not UTF-8; give a file name [output-not-file]"]
    assert out.getvalue() == ""


@pytest.mark.parametrize(("output", "shown"), [("-", "standard output"),
                                               ("out.half", "out.half")])
def test_a_plugin_writers_summary_names_the_output(
        halfway: Path, tmp_path: Path, output: str, shown: str,
        sample_muscles: list[Muscle], monkeypatch: pytest.MonkeyPatch) -> None:
    """A third party's writer whose summary named the file it was given named a
    temporary file, gone once the run ended (for ``-o -``, ``stdout`` in a folder of
    the system's temporary folder, as if a file were written); it names the output, and
    standard output so, from the command line and from Python."""
    result = _cli(halfway, tmp_path, "summary", "convert", str(SAMPLES), "--to", "halfway",
                  "-o", output, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"wrote the titles to {shown}; 15 muscles converted, 0 files failed")
    monkeypatch.setenv("FAULT", "summary")
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        assert converter.write(sample_muscles, output, "halfway") == (
            f"wrote the titles to {shown}")

def test_a_plugin_writing_a_folder_replaces_only_a_folder_of_its_own(
        halfway: Path, tmp_path: Path) -> None:
    """A third party's writer of a folder wrote into a folder of the user's (its files
    replaced, exit 0), and one failing part-way left the folder half rewritten. A folder
    the tool did not write is now refused (output-not-ours) and left as it was; the
    tool's own is swapped whole, or left whole when the writer fails."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "list.txt").write_text("notes\n")
    (mine / "soleus.txt").write_text("mine\n")
    convert = ("convert", str(SAMPLES), "--to", "halfway-folder", "--no-cache", "-o")
    result = _cli(halfway, tmp_path, "", *convert, str(mine))
    assert result.returncode != 0 and "[output-not-ours]" in result.stderr, result.stderr
    assert sorted(os.listdir(mine)) == ["list.txt", "soleus.txt"]
    assert (mine / "soleus.txt").read_text() == "mine\n"
    out = tmp_path / "out"
    result = _cli(halfway, tmp_path, "", *convert, str(out))
    assert result.returncode == 0, result.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len((out / "muscles.list").read_text().splitlines()) == 15
    result = _cli(halfway, tmp_path, "raise", *convert, str(out))
    assert result.returncode == 1 and "[writer-failed]" in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(os.listdir(tmp_path)) == ["mine", "out", "plugin"]


class _Plain(Format):
    """A format of no package: not built in."""

    name = "plain-test"
    extensions = (".plain",)


def test_a_writer_that_makes_no_file_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    """Given a file it does not make, the output stays; errors naming that file name the
    output, and errors naming another file are as they were."""
    out = tmp_path / "out.plain"
    out.write_text("earlier\n")
    with writer_output(_Plain(), out, {}) as given:
        assert given.name == out.name and given != out
    assert out.read_text() == "earlier\n"
    other = Diagnostic("elsewhere", None, None, "", "cannot-write", "full")
    with pytest.raises(MuscleError) as caught, writer_output(_Plain(), out, {}) as given:
        raise MuscleError([Diagnostic(str(given), None, None, "", "cannot-write", "full"),
                           other])
    assert [d.path for d in caught.value.diagnostics] == [str(out), "elsewhere"]
    assert sorted(os.listdir(tmp_path)) == ["out.plain"]


class _PlainLogged(_Plain):
    """A format of no package whose files have a log beside them."""

    name = "plain-logged-test"

    def companions(self, path: Path) -> list[Path]:
        return [path.with_name(path.name + "-log")]


def test_an_output_not_replaced_keeps_its_companions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The companions of an output are moved aside as the writer's file is put in:
    should that fail (a full disk), they are put back, the output as it was."""
    out, log = tmp_path / "out.plain", tmp_path / "out.plain-log"
    out.write_text("earlier\n")
    log.write_text("earlier log\n")

    def full(path: Path) -> Iterator[Path]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("converter.plugin_output.atomic_path", full)
    with pytest.raises(OSError, match="No space"), \
            writer_output(_PlainLogged(), out, {}) as given:
        given.write_text("new\n")
        given.with_name("out.plain-log").write_text("new log\n")
    assert (out.read_text(), log.read_text()) == ("earlier\n", "earlier log\n")
    assert sorted(os.listdir(tmp_path)) == ["out.plain", "out.plain-log"]


class _PlainFolder(_Plain):
    """A format of no package that writes a folder."""

    name = "plain-folder-test"

    def writes_directory(self, options: object) -> bool:
        return True


def test_an_error_naming_a_file_in_the_folder_given_names_it_in_the_output(
        tmp_path: Path) -> None:
    """A writer of a folder whose MuscleError named a file in the temporary folder it
    was given named that file, gone once the run ended; it names the file in the
    output folder now."""
    out = tmp_path / "out"
    with pytest.raises(MuscleError) as caught, \
            writer_output(_PlainFolder(), out, {}) as given:
        raise MuscleError([Diagnostic(str(given / "a.txt"), 2, None, "", "cannot-write",
                                      "full"),
                           Diagnostic(f"{given}x", None, None, "", "cannot-write", "full"),
                           Diagnostic(given, None, None, "", "cannot-write", "a Path")])
    assert [d.path for d in caught.value.diagnostics] == [str(out / "a.txt"),
                                                          f"{given}x", given]
    assert os.listdir(tmp_path) == []

def test_a_built_in_writer_is_given_the_output_itself(tmp_path: Path) -> None:
    """The project's own writers write their outputs atomically themselves."""
    out = tmp_path / "out.json"
    with writer_output(get_format("json"), out, {}) as given:
        assert given == out


def test_a_plugin_writing_a_descriptor_name_adds_to_what_the_shell_opened(
        halfway: Path, tmp_path: Path) -> None:
    """``-o /dev/stdout >> log`` (or ``/dev/fd/1``) gave a plugin that name, which its
    write() opened again with ``open(out, "w")``, emptying the log the shell opened to
    add to. It is now given a file of its own, copied into the descriptor as ``-o -``
    is: the log keeps what it held, the titles after it; a writer that fails adds
    nothing."""
    log = tmp_path / "log"
    env = {**os.environ, "PYTHONPATH": f"{halfway}:{Path.cwd()}", "FAULT": ""}
    for name in ("/dev/stdout", "/dev/fd/1"):
        for fault, added in (("", 15), ("raise", 0)):
            log.write_text("precious\n")
            with open(log, "a", encoding="utf-8") as fh:
                result = subprocess.run(
                    [*cli_command(), "convert", str(SAMPLES), "--to", "halfway", "-o",
                     name, "--no-cache"], env={**env, "FAULT": fault}, cwd=tmp_path,
                    stdout=fh, stderr=subprocess.PIPE, text=True, check=False,
                    timeout=WAIT)
            assert result.returncode == (1 if fault else 0), result.stderr
            lines = log.read_text().splitlines()
            assert lines[0] == "precious" and len(lines) == 1 + added, result.stderr
    assert sorted(os.listdir(tmp_path)) == ["log", "plugin"]


def test_a_plugins_companions_failing_for_its_output_is_the_writers_error(
        halfway: Path, tmp_path: Path) -> None:
    """A plugin's companions() that failed for the output it writes was "the compy
    reader's companions() failed" (reader-failed, of a format that may have no reader),
    naming the output's absolute path (its path as given with the cache on). It is
    now the output's writer-failed error naming the writer and the output as given,
    the earlier output kept."""
    (tmp_path / "out.compy").write_text("earlier\n")
    for cache in (("--no-cache",), ("--cache-dir", str(tmp_path / "cache"))):
        result = _cli(halfway, tmp_path, "companions", "convert", str(SAMPLES), "--to",
                      "compy", "-o", "out.compy", *cache)
        assert "Traceback" not in result.stderr
        assert result.returncode == 1, result.stderr
        assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
            "out.compy: error: the compy writer's companions() failed: RuntimeError: no "
            "companions [writer-failed]"], result.stderr
        assert (tmp_path / "out.compy").read_text() == "earlier\n"
    result = _cli(halfway, tmp_path, "", "convert", str(SAMPLES), "--to", "compy", "-o",
                  "out.compy", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "out.compy").read_text().splitlines()) == 15


class _PlainListed(_Plain):
    """A format of no package whose file names its companions on its first line."""

    name = "plain-listed-test"

    def companions(self, path: Path) -> list[Path]:
        if not path.is_file():
            return []
        return [path.with_name(name) for name in path.read_text().splitlines()[0].split()]


def _listed(folder: Path, age: str, names: str) -> None:
    """An ``out.plain`` of ``_PlainListed`` in ``folder`` naming the companions
    ``names``, each written, every file saying its ``age`` on its last line."""
    (folder / "out.plain").write_text(f"{names}\n{age}\n")
    for name in names.split():
        (folder / name).write_text(f"{name}\n{age}\n")


def _renames(monkeypatch: pytest.MonkeyPatch, folder: Path,
             each: Callable[[], None]) -> list[tuple[str, str]]:
    """The renames into and out of ``folder`` (of files not named as temporaries, which
    begin with a dot) from now on, as ``("in", name)`` or ``("away", name)``, in order;
    ``each`` called after each of them."""
    done: list[tuple[str, str]] = []
    replace = os.replace

    def recorded(source: str | Path, target: str | Path) -> None:
        replace(source, target)
        seen = len(done)
        for way, path in (("away", Path(source)), ("in", Path(target))):
            if path.parent == folder and not path.name.startswith("."):
                done.append((way, path.name))
        if len(done) > seen:
            each()

    monkeypatch.setattr(os, "replace", recorded)
    return done


def test_no_output_is_ever_beside_companions_of_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The companions a plugin's output file goes with were named by the old output
    alone: a companion the new file names and the old one did not was left in the
    temporary folder (gone with it), and a stale file of that name beside the output
    stayed by the new file, read as its own. The new file's are now named by it too.
    Those beside the output are all moved away first, then the file goes in, then its
    own companions: after each rename, every companion the output names beside it is
    of its age."""
    _listed(tmp_path, "old", "a.part b.part")
    (tmp_path / "c.part").write_text("c.part\nstale\n")

    def of_one_age() -> None:
        names, age = (tmp_path / "out.plain").read_text().splitlines()
        beside = {name: (tmp_path / name).read_text().splitlines()[-1]
                  for name in names.split() if (tmp_path / name).exists()}
        assert set(beside.values()) <= {age}, (age, beside)

    renames = _renames(monkeypatch, tmp_path, of_one_age)
    with writer_output(_PlainListed(), tmp_path / "out.plain", {}) as given:
        _listed(given.parent, "new", "a.part c.part")
    assert renames == [("away", "a.part"), ("away", "b.part"), ("away", "c.part"),
                       ("in", "out.plain"), ("in", "a.part"), ("in", "c.part")]
    assert sorted(os.listdir(tmp_path)) == ["a.part", "c.part", "out.plain"]
    assert {p.read_text() for p in tmp_path.iterdir()} == {
        "a.part c.part\nnew\n", "a.part\nnew\n", "c.part\nnew\n"}


class _PlainWal(_Plain):
    """A format of no package whose files are SQLite databases with a -wal beside."""

    name = "plain-wal-test"

    def companions(self, path: Path) -> list[Path]:
        return [path.with_name(path.name + "-wal")]


def _wal_database(path: Path, tables: tuple[str, ...], age: str) -> None:
    """A SQLite database at ``path`` in WAL mode with the ``tables``, a row of the
    first saying ``age`` in the database itself and one in its -wal: a reader that
    closes last leaves it there (as :data:`_HALFWAY`'s ``close``)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for table in tables:
        conn.execute(f"CREATE TABLE {table} (slug TEXT PRIMARY KEY, title TEXT)")
    conn.execute(f"INSERT INTO {tables[0]} VALUES ('main', '{age}')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"INSERT INTO {tables[0]} VALUES ('wal', '{age}')")
    conn.commit()
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    reader.execute(f"SELECT count(*) FROM {tables[0]}").fetchone()
    conn.close()
    reader.close()


def _seen(files: dict[str, Path], scratch: Path) -> object:
    """What SQLite reads of the database whose ``files`` (by name: ``out.db`` and
    perhaps ``out.db-wal``) are copied into the new folder ``scratch``: its rows, or
    the error that it is damaged."""
    scratch.mkdir()
    for name, path in files.items():
        shutil.copyfile(path, scratch / name)
    conn = sqlite3.connect(scratch / "out.db")
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return "damaged"
        return sorted(conn.execute("SELECT slug, title FROM t"))
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def test_a_reader_between_the_renames_sees_a_database_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SQLite reader that opens a plugin's output between any two of the renames
    that put the new database and its -wal in place reads the old database or the
    new one (perhaps without what its -wal holds), never the new file with the old
    -wal, which SQLite reads as a damaged database (checked first)."""
    site, made = tmp_path / "site", tmp_path / "made"
    site.mkdir()
    made.mkdir()
    _wal_database(site / "out.db", ("t",), "old")
    _wal_database(made / "out.db", ("t", "u"), "new")
    mixed = {"out.db": made / "out.db", "out.db-wal": site / "out.db-wal"}
    assert _seen(mixed, tmp_path / "mixed") == "database disk image is malformed"
    whole = {f"{age}{'' if wal else ' without its -wal'}": [
        ("main", age), *([("wal", age)] if wal else [])]
        for age in ("old", "new") for wal in (True, False)}
    seen: list[object] = []

    def read() -> None:
        files = {name: site / name for name in ("out.db", "out.db-wal")
                 if (site / name).exists()}
        rows = _seen(files, tmp_path / f"seen{len(seen)}")
        seen.append(next((name for name, kept in whole.items() if kept == rows), rows))

    renames = _renames(monkeypatch, site, read)
    with writer_output(_PlainWal(), site / "out.db", {}) as given:
        for name in ("out.db", "out.db-wal"):
            shutil.copyfile(made / name, given.parent / name)
    assert renames == [("away", "out.db-wal"), ("in", "out.db"), ("in", "out.db-wal")]
    assert seen == ["old without its -wal", "new without its -wal", "new"]
