"""Discovery: the sources a run reads, found below the folders named (in order, hidden
files and what --exclude names left out, each once), and what is said of those that
cannot be read or hold nothing to read."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import converter
import converter.cache
from converter import discovery
from converter.cache import change_stamp
from converter.diagnostics import MuscleError
from converter.discovery import Input, Inputs, discover
from converter.registry import get_format
from converter.run import validate_sources
from tests.conftest import MUSCLE, SAMPLES, nest, remove_tree


def test_discovery_sorts_by_path_parts_and_skips_hidden_files(tmp_path: Path) -> None:
    names = ["b.md", "a-b.md", "a/z.md", "a/b/c.MD", "a.b/x.markdown", "A.md", "é.md",
             "a/.hidden.md", ".git/x.md", "notes.txt", "a/readme"]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MUSCLE.format(title=path.stem), encoding="utf-8")
    inputs, problems = discover([tmp_path])
    assert problems == []
    found = [Path(i.path).relative_to(tmp_path) for i in inputs]
    expected = sorted(Path(n) for n in names if n.lower().endswith((".md", ".markdown"))
                      and not any(part.startswith(".") for part in Path(n).parts))
    assert found == expected
    assert {i.format.name for i in inputs} == {"markdown"}
    assert all(i.stamp == (info.st_size, info.st_mtime_ns, change_stamp(info))
               for i in inputs for info in [Path(i.path).stat()])


def test_discovery_leaves_out_the_output_wherever_it_is_below_a_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.md", "out/a.md", "x/out/b.md", "x/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(MUSCLE.format(title="T"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link").symlink_to(tmp_path / "x")

    def found(root: str, output: str) -> list[str]:
        return [os.path.relpath(i.path, root) for i in discover([root], leave_out=output)[0]]

    assert found(".", "out") == ["a.md", "x/c.md", "x/out/b.md"]
    assert found(".", "x/out") == ["a.md", "out/a.md", "x/c.md"]
    assert found(str(tmp_path), "./x/out") == ["a.md", "out/a.md", "x/c.md"]
    assert found("x", str(tmp_path / "link" / "out")) == ["c.md"]  # through a symlink
    assert found("x", ".") == ["c.md", "out/b.md"]  # an output above the source: none
    assert found("x", "x") == ["c.md", "out/b.md"]  # (the source itself is refused later)


def test_a_folder_muscle_convert_wrote_below_a_source_is_not_searched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Markdown export inside a source folder was read back: every muscle a
    duplicate-slug error. A folder named as a source is read, marker or not."""
    muscles = converter.read(SAMPLES / "soleus.md")
    for name in ("src/a.md", "src/notes/b.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(MUSCLE.format(title="T"), encoding="utf-8")
    converter.write(muscles, tmp_path / "src" / "export", "markdown")
    converter.write(muscles, tmp_path / "src" / "notes" / "site", "csv")
    converter.write(muscles, tmp_path / "only" / "md", "markdown")
    monkeypatch.chdir(tmp_path)

    def found(*sources: str) -> tuple[list[str], list[str], list[str]]:
        inputs, problems = discover(sources)
        return [i.path for i in inputs], inputs.skipped, [d.message for d in problems]

    assert found("src") == (["src/a.md", "src/notes/b.md"],
                            ["src/export", "src/notes/site"], [])
    assert found("src", "src/export") == (
        ["src/a.md", "src/notes/b.md", "src/export/soleus.md"], ["src/notes/site"], [])
    assert found("src", "./src/export/soleus.md")[0] == [
        "src/a.md", "src/notes/b.md", "src/export/soleus.md"]
    assert found("src/export", "src")[:2] == (
        ["src/export/soleus.md", "src/a.md", "src/notes/b.md"], ["src/notes/site"])
    assert found("only") == ([], ["only/md"], [
        "holds no .markdown or .md files to read (only in 1 folder muscle-convert wrote, "
        "only/md, which a search leaves out: name it to read it)"])
    with pytest.warns(UserWarning) as caught:
        assert [m.slug for m in converter.read("src")] == ["a", "b"]
    assert [str(w.message) for w in caught] == [
        f"src/{name}: not searched, muscle-convert wrote it (name it to read it)"
        for name in ("export", "notes/site")]


def _site(root: Path, names: list[str]) -> None:
    """Muscle files at ``names`` below ``root`` (a README.md has no front matter)."""
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Read me\n" if path.name == "README.md" else
                        MUSCLE.format(title=path.stem), encoding="utf-8")


@pytest.mark.parametrize("patterns, expected", [
    ([], ["README.md", "_notes.md", "a.draft.md", "drafts/keep.md", "drafts/x.md",
          "en/README.md", "en/_notes.md", "en/new/n.md", "en/old/o.md", "en/old/sub/s.md",
          "m.md", "node_modules/pkg/README.md", "node_modules/pkg/p.md"]),
    (["README.md", "_*", "node_modules"],
     ["a.draft.md", "drafts/keep.md", "drafts/x.md", "en/new/n.md", "en/old/o.md",
      "en/old/sub/s.md", "m.md"]),
    (["*.draft.md", "drafts/**", "!drafts/keep.md"],  # (drafts/ searched: keep taken back)
     ["README.md", "_notes.md", "drafts/keep.md", "en/README.md", "en/_notes.md",
      "en/new/n.md", "en/old/o.md", "en/old/sub/s.md", "m.md",
      "node_modules/pkg/README.md", "node_modules/pkg/p.md"]),
    (["en/old/*.md", "/README.md", "node_modules/", "drafts"],  # (with /: from the source)
     ["_notes.md", "a.draft.md", "en/README.md", "en/_notes.md", "en/new/n.md",
      "en/old/sub/s.md", "m.md"]),
    (["en/**/*.md", "**/pkg"], ["README.md", "_notes.md", "a.draft.md", "drafts/keep.md",
                                "drafts/x.md", "m.md"]),
    # (a folder taken back is read whole, as git has it: its files were each left out
    # still, through the folder above them that the first pattern matched)
    (["*", "!*/", "!m.md", "!o.md"], ["en/old/o.md", "m.md"]),  # (git's "only these")
    (["en/*", "!en/old/"], ["README.md", "_notes.md", "a.draft.md", "drafts/keep.md",
                            "drafts/x.md", "en/old/o.md", "en/old/sub/s.md", "m.md",
                            "node_modules/pkg/README.md", "node_modules/pkg/p.md"]),
    (["drafts", "!drafts/", "en", "node_modules", "*.md", "!*/*.md"],
     ["drafts/keep.md", "drafts/x.md"]),
])
def test_exclude_patterns_leave_out_what_they_match_gitignore_style(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: list[str],
        expected: list[str]) -> None:
    """A content/README.md, _-prefixed notes, node_modules: all were read."""
    _site(tmp_path / "site", ["README.md", "_notes.md", "m.md", "a.draft.md", "drafts/x.md",
                              "drafts/keep.md", "en/README.md", "en/_notes.md",
                              "en/old/o.md", "en/old/sub/s.md", "en/new/n.md",
                              "node_modules/pkg/README.md", "node_modules/pkg/p.md"])
    monkeypatch.chdir(tmp_path / "site")
    for source, prefix in ((".", ""), (str(tmp_path / "site"), f"{tmp_path / 'site'}/")):
        inputs, problems = discover([source], exclude=patterns)
        assert problems == []
        assert [i.path for i in inputs] == [prefix + name for name in expected]


def test_an_excluded_folder_is_not_searched_and_a_source_named_is_always_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site(tmp_path, ["site/m.md", "site/README.md", "site/node_modules/a/b/c.md",
                     "site/drafts/d.md", "site/drafts/README.md"])
    monkeypatch.chdir(tmp_path)
    listed: list[str] = []
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        listed.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    ignore = ["README.md", "node_modules", "drafts"]

    def found(*sources: str) -> tuple[list[str], list[str]]:
        inputs, problems = discover(sources, exclude=ignore)
        return [i.path for i in inputs], [str(d) for d in problems]

    assert found("site") == (["site/m.md"], [])
    assert listed == ["site"]  # (node_modules costs nothing)
    assert found("site", "site/README.md", "site/drafts") == (
        ["site/m.md", "site/README.md", "site/drafts/d.md"], [])
    assert found("site/README.md", "site/node_modules/a") == (
        ["site/README.md", "site/node_modules/a/b/c.md"], [])
    assert found("site/drafts/README.md", "site") == (
        ["site/drafts/README.md", "site/m.md"], [])
    assert found("site/node_modules") == (["site/node_modules/a/b/c.md"], [])
    ignore = ["*.md"]
    assert found("site/drafts") == ([], [
        "site/drafts: warning: holds no .markdown or .md files to read (--exclude left out "
        "the 2 found, such as site/drafts/README.md) [no-inputs]"])
    with pytest.raises(MuscleError, match=r"--exclude: error: '#x' is a comment.*\[bad-option"):
        discover(["site"], exclude=["#x"])


@pytest.mark.parametrize("sources, order", [
    (["c", "c/a.md"], ["c/a.md", "c/al.md", "c/ln.md", "c/s/b.md", "c/z.md"]),
    (["c/z.md", "c"], ["c/z.md", "c/a.md", "c/al.md", "c/ln.md", "c/s/b.md"]),
    (["c", "./c", "c/", "link"], ["c/a.md", "c/al.md", "c/ln.md", "c/s/b.md", "c/z.md"]),
    (["c/s", "c"], ["c/s/b.md", "c/a.md", "c/al.md", "c/ln.md", "c/z.md"]),
    (["c", "c/s", "link/s/b.md"], ["c/a.md", "c/al.md", "c/ln.md", "c/s/b.md", "c/z.md"]),
    (["c/a.md", "c/a.md", "./c/a.md"], ["c/a.md"]),
    (["c", "c/.drafts/d.md", "c/.drafts"],
     ["c/a.md", "c/al.md", "c/ln.md", "c/s/b.md", "c/z.md", "c/.drafts/d.md"]),
    (["c", "c/ln.md"], ["c/a.md", "c/al.md", "c/ln.md", "c/s/b.md", "c/z.md"]),
    (["c/ln.md", "c"], ["c/ln.md", "c/a.md", "c/al.md", "c/s/b.md", "c/z.md"]),
    (["c/al.md", "c"], ["c/al.md", "c/a.md", "c/ln.md", "c/s/b.md", "c/z.md"]),
    (["c", "c/out/o.md"], ["c/a.md", "c/al.md", "c/ln.md", "c/s/b.md", "c/z.md", "c/out/o.md"]),
])
def test_a_file_named_again_is_read_once_where_it_first_came(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources: list[str],
        order: list[str]) -> None:
    """Naming a folder and a file in it (or a folder twice, or through a symlink) used
    to make each such file a duplicate of itself. A hidden file a walk skips is read
    when named."""
    for name in ("c/a.md", "c/s/b.md", "c/z.md", "c/.drafts/d.md", "x/t.md", "c/out/o.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(MUSCLE.format(title=Path(name).stem), encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "c")
    (tmp_path / "c" / "ln.md").symlink_to(tmp_path / "x" / "t.md")  # walked as ln.md
    (tmp_path / "c" / "al.md").symlink_to(tmp_path / "c" / "a.md")  # its own name, slug
    monkeypatch.chdir(tmp_path)
    inputs, problems = discover(sources, leave_out="c/out")  # (a walk leaves it out)
    assert [os.path.normpath(i.path) for i in inputs] == order and problems == []
    assert not [d for d in validate_sources(map(Path, sources)).diagnostics
                if d.severity == "error"]


@pytest.mark.parametrize("fmt, name, marker", [("csv", "pkg", "datapackage.json"),
                                               ("svg", "map", "map.svg")])
def test_a_folder_read_as_a_unit_and_its_marker_file_are_read_once(
        fmt: str, name: str, marker: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``pkg pkg/datapackage.json`` read the package twice: every muscle a duplicate."""
    converter.write(converter.read(SAMPLES), tmp_path / name, fmt)
    monkeypatch.chdir(tmp_path)
    for sources in ([name, f"{name}/{marker}"], [f"./{name}/{marker}", f"{name}/"]):
        inputs, problems = discover(sources)
        assert ([i.path for i in inputs], problems) == ([str(Path(sources[0]))], [])
        assert not validate_sources(map(Path, sources)).errors


@pytest.mark.parametrize("fmt, marker", [("csv", "datapackage.json"), ("svg", "map.svg")])
def test_from_a_format_of_folders_reads_its_folders_below_a_folder(
        fmt: str, marker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hint "it holds 1 csv file, such as package: ... pass --from csv" led to
    every table of the package read as a flat sheet (a map: each focus image as one)."""
    muscles = converter.read(SAMPLES)
    converter.write(muscles[:5], tmp_path / "site" / "a-first", fmt)
    converter.write(muscles[5:], tmp_path / "site" / "b" / "second", fmt)
    monkeypatch.chdir(tmp_path)
    for sources, read in (
            (["site"], ["site/a-first", "site/b/second"]),
            (["site", "site/a-first"], ["site/a-first", "site/b/second"]),  # (once each)
            ([f"site/b/second/{marker}", "site"], [f"site/b/second/{marker}", "site/a-first"])):
        inputs, problems = discover(sources, fmt)
        assert ([i.path for i in inputs], problems) == (read, [])
        assert sorted(converter.read(sources, fmt), key=lambda m: m.slug) == sorted(
            (m.project(get_format(fmt).carries) for m in muscles), key=lambda m: m.slug)


def test_a_folder_or_file_that_cannot_be_looked_at_is_one_diagnostic_each(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a user without the rights (tests may run as root, whom chmod 000 does not
    stop): a folder that cannot be listed, and a file in one that can be listed but not
    searched. The rest is still found, and the CLI says which and exits 1."""
    for name in ("ok.md", "locked/l.md", "nox/n.md", "z.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(MUSCLE.format(title="T"), encoding="utf-8")
    scandir, stat = os.scandir, os.stat

    def denied(path: Any) -> OSError:
        return PermissionError(13, "Permission denied", str(path))

    def guarded_scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise denied(path)
        return scandir(path)

    def guarded_stat(path: Any, *args: Any, **kw: Any) -> Any:
        folder = kw.get("dir_fd")  # (a name in an open folder: the folder's path + name)
        where = str(path) if folder is None else os.path.join(
            os.readlink(f"/proc/self/fd/{folder}"), path)
        if "nox" + os.sep in where:
            raise denied(where)
        return stat(path, *args, **kw)

    monkeypatch.setattr(discovery.os, "scandir", guarded_scandir)
    monkeypatch.setattr(discovery.os, "stat", guarded_stat)
    inputs, problems = discover([tmp_path])
    assert [Path(i.path).name for i in inputs] == ["ok.md", "z.md"]
    assert [(Path(d.path).relative_to(tmp_path), d.code, d.message) for d in problems] == [
        (Path("locked"), "unreadable", "Permission denied"),
        (Path("nox/n.md"), "unreadable", "Permission denied")]
    result = validate_sources([tmp_path])
    assert (result.count, [d.code for d in result.diagnostics]) == (2, ["unreadable"] * 2)
    named = tmp_path / "nox" / "n.md"  # named directly: pathlib's exists() raised
    assert [(d.path, d.code) for d in discover([named])[1]] == [(str(named), "unreadable")]


def test_files_of_the_working_directory_are_named_as_readers_name_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``validate .``: a reader names a file by its Path (``x.md``), the lints by the
    input's path: both must be one name, not ``./x.md`` beside ``x.md``."""
    (tmp_path / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    for name in ("a.md", "sub/b.md"):
        shutil.copy(SAMPLES / "soleus.md", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    inputs, _ = discover(["."])
    assert [i.path for i in inputs] == ["a.md", "broken.md", os.path.join("sub", "b.md")]
    found = validate_sources([Path(".")]).diagnostics
    assert {d.path for d in found} == {"a.md", "broken.md", os.path.join("sub", "b.md")}


paths = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=12)


@given(st.lists(st.tuples(st.sampled_from(["", "a/", "a/b/", "é/\udcff/"]),
                          st.lists(st.tuples(paths, st.integers(0, 2**40),
                                             st.integers(-2**62, 2**62),
                                             st.integers(-2**62, 2**62)), max_size=5),
                          st.booleans()), max_size=6))
def test_inputs_give_back_every_path_format_and_stamp(
        runs: list[tuple[str, list[tuple[str, int, int, int]], bool]]) -> None:
    markdown, jsonl = get_format("markdown"), get_format("jsonl")
    inputs, expected = Inputs(), []
    for folder, files, other in runs:
        fmt = jsonl if other else markdown
        names, sizes, mtimes, ctimes = (list(c) for c in zip(*files, strict=True)) if files \
            else ([], [], [], [])
        inputs.add_files(folder, names, [fmt] * len(files), sizes, mtimes, ctimes)
        expected += [Input(folder + name, fmt, (size, mtime, ctime))
                     for name, size, mtime, ctime in files]
    inputs.add("/nonexistent/given.md", markdown)  # named on the command line: no stamp yet
    expected.append(Input("/nonexistent/given.md", markdown, None))
    assert list(inputs) == expected and len(inputs) == len(expected)
    assert [inputs[i] for i in range(len(expected))] == expected == inputs[:]
    assert inputs[-1] == expected[-1] and inputs.formats() == {i.format for i in expected}
    assert list(inputs.flagged(lambda fmt: fmt is jsonl)) == [  # (of the formats alone)
        i.format is jsonl for i in expected]
    with pytest.raises(IndexError):
        inputs[len(expected)]
    assert [p for p, *_ in itertools.islice(inputs.stamped(), len(expected) - 1)] == [
        i.path for i in expected[:-1]]
    with pytest.raises(OSError):  # the last one is stat-ed, and is not there
        list(inputs.stamped())


def test_an_input_discovery_did_not_stamp_is_stamped_once(tmp_path: Path) -> None:
    """The stamps of a run's inputs are those it began with: the record of a run whose
    sources its output folder linked anew takes them again (``Inputs.restamp``), and a
    file named on the command line, edited meanwhile, is not stamped afresh."""
    named = tmp_path / "named.md"
    named.write_text("title: A\n", encoding="utf-8")
    inputs = Inputs()
    inputs.add(str(named), get_format("markdown"))
    first = list(inputs.stamped())
    named.write_text("title: Edited\n", encoding="utf-8")
    assert list(inputs.stamped()) == first != [(str(named), *converter.cache.stamp(named))]


def test_inputs_take_the_stamps_a_swap_moved(tmp_path: Path) -> None:
    markdown = get_format("markdown")
    named = tmp_path / "named.md"
    named.write_text("title: A\n", encoding="utf-8")
    inputs = Inputs()
    inputs.add_files("a/", ["x.md", "y.md"], [markdown] * 2, [5, 6], [10, 10], [7, 8])
    inputs.add(str(named), markdown)
    was = converter.cache.stamp(named)
    list(inputs.stamped())
    assert not inputs.restamp({(5, 10, 8): (5, 10, 9)})  # (no input of that stamp)
    assert inputs.restamp({(6, 10, 8): (6, 10, 9), was: (9, 10, 11)})
    assert list(inputs.stamped()) == [("a/x.md", 5, 10, 7), ("a/y.md", 6, 10, 9),
                                      (str(named), 9, 10, 11)]


@pytest.mark.parametrize("forced", [None, "csv"])
def test_a_folder_with_nothing_to_read_is_a_warning(tmp_path: Path, forced: str | None
                                                     ) -> None:
    """An empty folder, or Markdown files read --from csv: a warning, not a silent 0."""
    if forced:
        shutil.copy(SAMPLES / "soleus.md", tmp_path)
    inputs, problems = discover([tmp_path], forced)
    assert len(inputs) == 0
    assert [(d.path, d.code, d.severity) for d in problems] == [
        (str(tmp_path), "no-inputs", "warning")]
    assert (".csv" if forced else ".md") in problems[0].message


@pytest.mark.parametrize(("made", "given", "endings"), [
    ("csv", "sqlite", ".db or .sqlite or .sqlite3"), ("svg", "json", ".json"),
    ("svg", "csv", ".csv"), ("csv", "svg", ".svg"), ("csv", "anki", ".apkg")])
def test_a_folder_of_another_format_named_with_from_is_searched_for_its_files(
        made: str, given: str, endings: str, tmp_path: Path) -> None:
    """A data package read --from sqlite was 'SQLite failed: disk I/O error'; a map
    folder --from json a raw '[Errno 21] Is a directory'."""
    folder = tmp_path / "out"
    converter.write(converter.read(SAMPLES / "soleus.md"), folder, made)
    inputs, problems = discover([folder], given)
    assert list(inputs) == []
    assert [(d.code, d.message) for d in problems] == [
        ("no-inputs", f"holds no {endings} files to read (it is a {made} folder: read it "
                      f"without --from, or --from {made})")]


def test_a_folder_with_no_markdown_names_the_files_another_format_reads(
        tmp_path: Path) -> None:
    """A data package without its descriptor gave only 'holds no .md files'."""
    converter.write(converter.read(SAMPLES / "soleus.md"), tmp_path / "pkg", "csv")
    (tmp_path / "pkg" / "datapackage.json").unlink()
    (tmp_path / "empty").mkdir()
    _, problems = discover([tmp_path / "pkg", tmp_path / "empty"])
    assert [d.message for d in problems] == [
        "holds no .markdown or .md files to read (it holds 5 csv files, such as "
        "exercises.csv: name them, or pass --from csv)",
        "holds no .markdown or .md files to read"]


def test_the_hint_of_a_folder_of_one_other_file_names_it_in_the_singular(
        tmp_path: Path) -> None:
    """'it holds 1 json file, such as m.json: name them'."""
    (tmp_path / "m.json").touch()
    _, problems = discover([tmp_path])
    assert [d.message for d in problems] == [
        "holds no .markdown or .md files to read (it holds 1 json file, m.json: name it, "
        "or pass --from json)"]


def test_the_hint_of_a_folder_counts_the_files_in_its_subfolders(tmp_path: Path) -> None:
    """It counted the folder's top level only: "holds 1 json file, a.json" of a folder
    with two (one in a subfolder), and no hint when the only one was in a subfolder."""
    (tmp_path / "two" / "sub").mkdir(parents=True)
    (tmp_path / "two" / "a.json").touch()
    (tmp_path / "two" / "sub" / "b.json").touch()
    (tmp_path / "deep" / "sub" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "sub" / "er" / "c.json").touch()
    (tmp_path / "deep" / ".hidden").mkdir()
    (tmp_path / "deep" / ".hidden" / "d.json").touch()
    _, problems = discover([tmp_path / "two", tmp_path / "deep"])
    nested = os.path.join("sub", "er", "c.json")
    assert [d.message for d in problems] == [
        "holds no .markdown or .md files to read (it holds 2 json files, such as a.json: "
        "name them, or pass --from json)",
        f"holds no .markdown or .md files to read (it holds 1 json file, {nested}: name "
        "it, or pass --from json)"]


def test_the_hint_of_a_folder_counts_every_file_and_no_link_to_a_device(
        tmp_path: Path) -> None:
    """It looked at the first 1,000 entries in the file system's order (a count that
    changed from one file system to another) and counted a link to /dev/null."""
    folder = tmp_path / "a"
    folder.mkdir()
    for i in range(1200):
        (folder / f"t{i}.txt").touch()
    for i in range(300):
        (folder / f"j{i:03}.json").touch()
    (folder / "dev.json").symlink_to("/dev/null")
    _, problems = discover([folder])
    assert [d.message for d in problems] == [
        "holds no .markdown or .md files to read (it holds 300 json files, such as "
        "j000.json: name them, or pass --from json)"]


def test_a_symlink_to_nothing_in_a_folder_is_said(tmp_path: Path) -> None:
    """A file whose link's target was moved or deleted vanished from every output
    without a word (a link to a link to itself was reported)."""
    shutil.copy(SAMPLES / "soleus.md", tmp_path / "soleus.md")
    (tmp_path / "moved.md").symlink_to("gone/moved.md")
    (tmp_path / "folder.md").symlink_to(tmp_path)  # (a link to a folder is no input)
    inputs, problems = discover([tmp_path])
    assert [i.path for i in inputs] == [str(tmp_path / "soleus.md")]
    assert [(d.path, d.code, d.message) for d in problems] == [
        (str(tmp_path / "moved.md"), "unreadable",
         "is a symlink to 'gone/moved.md', which does not exist")]


@pytest.mark.parametrize("forced", [None, "markdown"])
def test_a_folder_of_only_a_symlink_to_nothing_is_not_said_to_hold_nothing(
        tmp_path: Path, forced: str | None) -> None:
    """A folder whose only .md was a link to nothing was a no-inputs warning ('holds no
    .markdown or .md files to read') beside that link's unreadable error."""
    (tmp_path / "soleus.md").symlink_to("/nonexistent")
    inputs, problems = discover([tmp_path], forced)
    assert not inputs
    assert [(d.path, d.code, d.severity, d.message) for d in problems] == [
        (str(tmp_path / "soleus.md"), "unreadable", "error",
         "is a symlink to '/nonexistent', which does not exist")]


def test_a_symlink_to_nothing_named_is_said_as_in_a_folder(tmp_path: Path) -> None:
    """Named on the command line, a link whose target was deleted was "no such file or
    directory" (not-found), though ``ls`` shows it; a folder's search said what it is."""
    (tmp_path / "moved.md").symlink_to("gone/moved.md")
    inputs, problems = discover([tmp_path / "moved.md", tmp_path / "absent.md"])
    assert not inputs
    assert [(d.path, d.code, d.message) for d in problems] == [
        (str(tmp_path / "moved.md"), "unreadable",
         "is a symlink to 'gone/moved.md', which does not exist"),
        (str(tmp_path / "absent.md"), "not-found", "no such file or directory")]


def test_a_loop_of_symlinks_named_is_said_as_in_a_folder(tmp_path: Path) -> None:
    """Named, a link to itself (or two linking to each other) was "a symlink to
    'loop.md', which does not exist"; a folder's search said what it is, a loop."""
    import errno

    (tmp_path / "loop.md").symlink_to("loop.md")
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    loop = os.strerror(errno.ELOOP)
    expected = [(str(tmp_path / name), "unreadable", loop) for name in ("a.md", "loop.md")]
    for paths in ([tmp_path / "a.md", tmp_path / "loop.md"], [tmp_path]):
        inputs, problems = discover(paths)
        assert not inputs
        said = [(d.path, d.code, d.message) for d in problems]
        assert sorted(d for d in said if not d[0].endswith("b.md")) == expected
    with pytest.raises(MuscleError) as caught:
        converter.read(tmp_path / "loop.md")
    assert str(caught.value) == f"{tmp_path / 'loop.md'}: error: {loop} [unreadable]"


def test_a_folder_nested_deeper_than_python_recurses_is_searched_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk of one call per folder level raised RecursionError at some 500 levels
    (validate, convert and fmt aborted with a traceback, no input converted): any depth
    the file system allows is searched, in the order of a shallow one."""
    monkeypatch.chdir(tmp_path)
    depth = sys.getrecursionlimit() + 100
    inner = nest(tmp_path / "deep", depth)
    try:
        for name in ("deep/a.md", "deep/z.md", f"{inner}/c.md", f"{inner}/e.md"):
            Path(name).write_text(MUSCLE.format(title=Path(name).stem), encoding="utf-8")
        inputs, problems = discover(["deep"])
        assert problems == []
        assert [i.path for i in inputs] == [os.path.join("deep", "a.md"),
                                            os.path.join(inner, "c.md"),
                                            os.path.join(inner, "e.md"),
                                            os.path.join("deep", "z.md")]
        result = validate_sources([Path("deep")])
        assert (result.count, result.diagnostics) == (4, [])
    finally:
        remove_tree(tmp_path / "deep")


def test_inputs_keep_an_mtime_no_64_bit_integer_holds() -> None:
    """Discovery's compact inputs give back a stamp of any size as it was."""
    inputs, fmt = converter.discovery.Inputs(), get_format("markdown")
    stamps = [(5, 1 << 70, 3), (6, -(1 << 70), 4), (7, -(1 << 63), 5), (8, 12, 6)]
    for n, stamp in enumerate(stamps):
        inputs.add(f"{n}.md", fmt, stamp)
    assert [i.stamp for i in inputs] == [inputs[n].stamp for n in range(4)] == stamps
    assert [s[1:] for s in inputs.stamped()] == stamps


def test_a_folder_not_searched_is_told_on_one_printable_line() -> None:
    """A folder's name that holds a line break or a control character is escaped: the
    note stays one line, its path the first thing on it and the tag after the path."""
    assert discovery.not_searched("site/export") == (
        "site/export: not searched, muscle-convert wrote it (name it to read it)")
    assert discovery.not_searched("site/export", "note: ") == (
        "site/export: note: not searched, muscle-convert wrote it (name it to read it)")
    said = discovery.not_searched("a\nb\x1b")
    assert "\n" not in said and "\x1b" not in said
    assert said.endswith(": not searched, muscle-convert wrote it (name it to read it)")


def test_unreadable_names_the_path_and_what_the_system_said() -> None:
    import errno

    found = discovery.unreadable("a/b.md", PermissionError(errno.EACCES, "Permission denied"))
    assert (found.path, found.line, found.code, found.severity, found.message) == (
        "a/b.md", None, "unreadable", "error", "Permission denied")
    bare = discovery.unreadable("c.md", OSError("no reason given"))
    assert (bare.code, bare.message) == ("unreadable", "no reason given")


def test_a_folder_of_only_links_to_folders_of_inputs_names_them(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """``content`` holding only ``muscles``, a link to a folder of Markdown files, was
    said to hold no .md files, and nothing about the link a search does not follow."""
    (tmp_path / "shared" / "deep").mkdir(parents=True)
    (tmp_path / "shared" / "deep" / "soleus.md").write_text(MUSCLE, encoding="utf-8")
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "soleus.png").write_bytes(b"")
    (tmp_path / "content" / "more").mkdir(parents=True)
    (tmp_path / "content" / "muscles").symlink_to(tmp_path / "shared")
    (tmp_path / "content" / "pictures").symlink_to(tmp_path / "pictures")
    monkeypatch.chdir(tmp_path)

    def said() -> list[str]:
        inputs, problems = discover(["content"])
        assert not inputs
        return [str(d) for d in problems]

    start = "content: warning: holds no .markdown or .md files to read"
    assert said() == [f"{start} (content/muscles is a link to a folder, which a search does "
                      "not follow: name it to read it) [no-inputs]"]
    (tmp_path / "content" / "more" / "calf").symlink_to(tmp_path / "shared" / "deep")
    assert said() == [f"{start} (content/more/calf and 1 other are links to folders, which a "
                      "search does not follow: name them to read them) [no-inputs]"]
    (tmp_path / "content" / "muscles").unlink()
    (tmp_path / "content" / "more" / "calf").unlink()
    assert said() == [f"{start} [no-inputs]"]  # (a link to no such files is not named)


def _counting_scandir(monkeypatch: pytest.MonkeyPatch, folder: str) -> list[str]:
    """Count, in the list returned, each entry ``os.scandir`` gives of a folder below
    ``folder`` (not of ``folder`` itself)."""
    listed: list[str] = []
    scandir = os.scandir

    @contextlib.contextmanager
    def counted(path: Any = ".") -> Iterator[Iterator[os.DirEntry]]:
        with scandir(path) as entries:
            below = os.path.normpath(os.fspath(path))
            if not below.startswith(folder + os.sep):
                yield entries
                return

            def each() -> Iterator[os.DirEntry]:
                for entry in entries:
                    listed.append(entry.path)
                    yield entry
            yield each()

    monkeypatch.setattr(os, "scandir", counted)
    return listed


def test_the_hint_of_a_link_to_a_big_folder_stops_at_its_bounds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hint naming a link to a folder of files to read walked a linked folder whole
    when it held none (a link to a home folder or ``node_modules``: millions of entries
    for a hint); each link is looked into for :data:`~converter.discovery.LINK_LOOKS`
    entries at most, breadth first, and all of them for ``LINKS_LOOKS``, stopping at the
    first file to read."""
    big = tmp_path / "big"
    for folder in range(discovery.LINK_LOOKS // 40 + 1):
        (big / f"f{folder:02}").mkdir(parents=True)
        for name in range(40):
            (big / f"f{folder:02}" / f"n{name:02}.txt").touch()
    entries = sum(1 for _ in big.rglob("*"))
    assert entries > discovery.LINK_LOOKS
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "big").symlink_to(big)
    monkeypatch.chdir(tmp_path)
    listed = _counting_scandir(monkeypatch, "content")
    start = "content: warning: holds no .markdown or .md files to read"
    assert [str(d) for d in discover(["content"])[1]] == [f"{start} [no-inputs]"]
    assert len(listed) == discovery.LINK_LOOKS
    links = discovery.LINKS_LOOKS // discovery.LINK_LOOKS + 2
    for link in range(links):
        (tmp_path / "content" / f"link{link:02}").symlink_to(big)
    listed.clear()
    assert [str(d) for d in discover(["content"])[1]] == [f"{start} [no-inputs]"]
    assert len(listed) == discovery.LINKS_LOOKS < links * entries
    (big / "soleus.md").write_text(MUSCLE, encoding="utf-8")  # (first, breadth first)
    for link in range(links):
        (tmp_path / "content" / f"link{link:02}").unlink()
    listed.clear()
    assert [str(d) for d in discover(["content"])[1]] == [
        f"{start} (content/big is a link to a folder, which a search does not follow: "
        "name it to read it) [no-inputs]"]
    assert len(listed) <= len(os.listdir(big))


class _Told(converter.registry.Format):
    """A format of one muscle per ``.told`` file that tells which of a folder's files
    are its own at once (an ``icon`` is not), noting what it is asked; ``fails``: it
    raises for a folder holding ``boom.told``."""

    name, extensions, one_muscle_per_file = "told", (".told",), True

    def __init__(self, fails: bool = False) -> None:
        self.asked: list[tuple[str, list[str]]] = []
        self.fails = fails

    def own_names(self, folder: str, names: Any) -> list[bool]:
        self.asked.append((folder, list(names)))
        if self.fails and "boom.told" in names:
            raise RuntimeError("boom")
        return [not name.startswith("icon") for name in names]

    def read(self, path: Path, ctx: Any) -> Iterator[Any]:
        yield from ()


def test_a_format_is_asked_once_per_folder_which_of_its_files_are_its_own(
        tmp_path: Path) -> None:
    """A search asks a format that tells its files apart once per folder, given the
    folder as its files' paths start and their names (not a Path per file, is_own
    not asked): those it does not take are left out, noted as foreign. A third party's
    own_names that fails is the folder's reader-failed error, its files left out."""
    from converter import plugins

    for name in ("b.told", "icon.told", "c.told", "sub/d.told", "sub/icon-2.told",
                 "zbad/boom.told", "zbad/e.told"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    fmt = _Told()
    found, problems, foreign = Inputs(), [], []
    discovery._walk(str(tmp_path), (".told",), lambda _: fmt, found, problems,
                    foreign=foreign)
    top = f"{tmp_path}{os.sep}"
    assert fmt.asked == [(top, ["b.told", "c.told", "icon.told"]),
                         (f"{top}sub{os.sep}", ["d.told", "icon-2.told"]),
                         (f"{top}zbad{os.sep}", ["boom.told", "e.told"])]
    assert [i.path for i in found] == [f"{top}b.told", f"{top}c.told",
                                       f"{top}sub{os.sep}d.told",
                                       f"{top}zbad{os.sep}boom.told",
                                       f"{top}zbad{os.sep}e.told"]
    assert foreign == [(f"{top}icon.told", fmt), (f"{top}sub{os.sep}icon-2.told", fmt)]
    assert [str(d) for d in problems] == []  # (the project's own: not guarded)
    guarded = plugins.guarded(_Told(fails=True))
    found, problems, foreign = Inputs(), [], []
    discovery._walk(str(tmp_path), (".told",), lambda _: guarded, found, problems,
                    foreign=foreign)
    assert [str(d) for d in problems] == [
        f"{top}zbad{os.sep}: error: the told reader's own_names() failed: RuntimeError: "
        "boom [reader-failed]"]
    assert [i.path for i in found] == [f"{top}b.told", f"{top}c.told",
                                       f"{top}sub{os.sep}d.told"]
    assert [path for path, _ in foreign] == [f"{top}icon.told",
                                            f"{top}sub{os.sep}icon-2.told"]
