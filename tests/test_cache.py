"""Incremental runs: cached runs must give exactly what a fresh run gives."""

from __future__ import annotations

import contextlib
import csv
import importlib.metadata
import json
import os
import pickle
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import converter
import converter.atomic_folder
import converter.cache
import converter.discovery
import converter.pipeline
import converter.relint
import converter.run
import converter.sqlitewait
from converter.cache import Cache
from converter.cli import cli
from converter.diagnostics import Diagnostic
from converter.model import Muscle
from converter.registry import Format, ReadContext, WriteContext, get_format
from converter.run import convert_sources, validate_sources
from tests.conftest import ROOT, SAMPLES, SEED, WAIT, age, remove_tree
from tests.killing import signal_waiting

GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
COUNT = 200


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A generated corpus plus the seed (duplicate-text warnings) and a broken file."""
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, str(GEN_CORPUS), str(root), "--count", str(COUNT),
                    "--seed", "3"], check=True, capture_output=True, timeout=WAIT)
    shutil.copy(SEED, root / "seed-gluteus-medius.md")
    (root / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    age(root)
    return root


def cli_run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def convert(source: Path, out: Path, to: str = "json", *extra: str) -> tuple[int, str]:
    code, stderr = cli_run("convert", str(source), "--to", to, "-o", str(out), "-j", "1",
                           *extra)
    return code, stderr.replace(str(out), "OUT")


def diagnostics(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line or ": warning: " in line]


def api(source: Path, out: Path, cache_dir: Path, to: str = "json", **kw: object):
    return convert_sources([source], get_format(to), out, jobs=1, cache_dir=cache_dir,
                           options={"default_lang": "en"}, **kw)


def test_unchanged_run_is_replayed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "muscles.json"
    first_code, first = convert(corpus, out)
    before = out.stat()
    code, again = convert(corpus, out)
    assert (code, diagnostics(again)) == (first_code, diagnostics(first)) == (1, diagnostics(
        first))
    assert "OUT: up to date" in again and "OUT: up to date" not in first
    assert (out.stat().st_ino, out.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "broken.md" in "".join(diagnostics(again))


def test_replay_keeps_every_diagnostic_and_exit_code_of_validate(corpus: Path) -> None:
    first = CliRunner().invoke(cli, ["validate", "-j", "1", "--format", "json", str(corpus)])
    again = CliRunner().invoke(cli, ["validate", "-j", "1", "--format", "json", str(corpus)])
    assert first.exit_code == again.exit_code == 1
    assert first.stdout == again.stdout and '"duplicate-text"' in first.stdout
    fresh = CliRunner().invoke(cli, ["validate", "-j", "2", "--no-cache", "--format", "json",
                                     str(corpus)])
    assert fresh.stdout == first.stdout


def test_a_file_name_that_is_not_utf8_is_cached_and_read_again_when_edited(
        tmp_path: Path, private_cache: Path) -> None:
    """SQLite text cannot hold the lone surrogate Python reads such a name with: the
    cache stores the name as a blob, and finds the file again by it."""
    source = tmp_path / "src"
    source.mkdir()
    odd = os.fsencode(source) + b"/sol\xfeeus.md"
    with open(odd, "w", encoding="utf-8") as fh:  # (no slug is made of such a name)
        fh.write((SAMPLES / "soleus.md").read_text(encoding="utf-8").replace(
            "---\n", "---\nslug: soleus\n", 1))
    shutil.copy(SAMPLES / "biceps-brachii.md", source)
    age(source)
    out = tmp_path / "m.json"
    assert convert(source, out)[0] == 0
    code, again = convert(source, out)
    assert code == 0 and "OUT: up to date" in again
    with open(odd, "a", encoding="utf-8") as fh:
        fh.write("Edited.\n")
    age(source)
    assert convert(source, out)[0] == 0
    checked = validate_sources([source], jobs=1, cache_dir=private_cache)
    assert (checked.count, checked.parsed) == (2, 0)  # both from the cache
    fresh = tmp_path / "fresh.json"
    assert convert(source, fresh, "json", "--no-cache")[0] == 0
    assert out.read_bytes() == fresh.read_bytes() and b"Edited." in out.read_bytes()


def test_one_relative_path_from_two_working_directories_is_two_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``s/x.md`` in A and in B, same size, mtime and ctime: B's run must not get A's
    reading. Two ctimes fall in one tick of the kernel's coarse clock often, not always:
    here every ctime reads as 0, as if they always did."""
    text = (SAMPLES / "soleus.md").read_text(encoding="utf-8")
    for side, title in zip("AB", ("Soleus", "SOLEUS"), strict=True):
        path = tmp_path / side / "s" / "x.md"
        path.parent.mkdir(parents=True)
        assert "title: Soleus\n" in text
        path.write_text(text.replace("title: Soleus\n", f"title: {title}\n"), encoding="utf-8")
        os.utime(path, ns=(1_700_000_000 * 10**9,) * 2)
    real_stamp, add_files = converter.cache.stamp, converter.discovery.Inputs.add_files
    monkeypatch.setattr(converter.pipeline, "stamp", lambda p: (*real_stamp(p)[:2], 0))
    monkeypatch.setattr(converter.discovery.Inputs, "add_files",
                        lambda self, folder, names, formats, sizes, mtimes, ctimes: add_files(
                            self, folder, names, formats, sizes, mtimes, [0] * len(ctimes)))
    for side in "AB":
        monkeypatch.chdir(tmp_path / side)
        assert convert(Path("s"), Path("out.json"))[0] == 0
    assert b'"title":"SOLEUS"' in (tmp_path / "B" / "out.json").read_bytes()


def test_a_page_bundle_from_inside_a_symlinked_folder_is_named_as_a_fresh_run_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert .`` in ``calf`` (a link to ``muscles/soleus``) names the bundle ``calf``,
    in ``muscles/soleus`` ``soleus``: the second run replayed the first's ``calf``."""
    bundle = tmp_path / "muscles" / "soleus"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text("---\ntitle: Soleus\n---\n", encoding="utf-8")
    age(bundle)
    (tmp_path / "calf").symlink_to(bundle)
    out = tmp_path / "out.json"
    for working, slug in [("calf", "calf"), ("muscles/soleus", "soleus"), ("calf", "calf")]:
        monkeypatch.chdir(tmp_path / working)
        monkeypatch.setenv("PWD", str(tmp_path / working))
        for no_cache in ((), ("--no-cache",)):
            assert convert(Path("."), out, "json", "--no-config", *no_cache)[0] == 0
            assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == [slug]


@pytest.mark.parametrize("renamed", [False, True], ids=["copied", "renamed"])
def test_a_page_bundle_reached_by_going_up_out_of_a_link_is_named_as_a_fresh_run_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renamed: bool) -> None:
    """``convert ..`` in ``img``, a link to ``shared/gallery`` then pointed at
    ``other/gallery`` (``shared`` renamed, or a copy of it): the run was replayed, or
    the reading filed under ``../index.md`` recalled, with the slug ``shared``."""
    img = tmp_path / "site" / "soleus" / "img"
    for folder in (tmp_path / "shared" / "gallery", img.parent):
        folder.mkdir(parents=True)
    (tmp_path / "shared" / "index.md").write_text("---\ntitle: S\n---\n", encoding="utf-8")
    age(tmp_path / "shared" / "index.md")
    img.symlink_to(Path("..", "..", "shared", "gallery"))
    monkeypatch.setenv("PWD", str(img))
    out = tmp_path / "out.json"
    for target, slug in [("shared", "shared"), ("other", "other")]:
        if target == "other":
            if renamed:
                (tmp_path / "shared").rename(tmp_path / "other")
            else:
                shutil.copytree(tmp_path / "shared", tmp_path / "other")
            img.unlink()
            img.symlink_to(Path("..", "..", "other", "gallery"))
        monkeypatch.chdir(img)  # (as the shell that went there again)
        for no_cache in ((), ("--no-cache",)):
            assert convert(Path(".."), out, "json", "--no-config", *no_cache)[0] == 0
            assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == [slug]


@pytest.mark.parametrize("to, source, edited", [
    ("csv", "pkg", "pkg/muscles.csv"), ("csv", "pkg/datapackage.json", "pkg/muscles.csv"),
    ("svg", "pkg", "pkg/map.svg")])
def test_a_file_read_with_a_source_edited_in_place_is_seen(
        tmp_path: Path, to: str, source: str, edited: str) -> None:
    """A package's table or a map inside a folder named as the source: the run was
    replayed over an edit that kept the folder's (or descriptor's) stamp."""
    converter.write(converter.read(SAMPLES), tmp_path / "pkg", to)
    age(tmp_path / "pkg")
    out = tmp_path / "m.json"
    from_svg = ("--from", "svg") if to == "svg" else ()
    assert convert(tmp_path / source, out, "json", *from_svg)[0] == 0
    path = tmp_path / edited
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as fh:  # same file, same folder stamp
        fh.write(text.replace("Biceps Brachii", "Biceps EDITED"))
        fh.truncate()
    age(path)
    code, stderr = convert(tmp_path / source, out, "json", *from_svg)
    assert code == 0 and "up to date" not in stderr
    assert b"Biceps EDITED" in out.read_bytes()


@pytest.mark.parametrize("linked", [False, True], ids=["file", "link"])
def test_a_change_still_in_a_databases_write_ahead_log_is_seen(tmp_path: Path,
                                                               linked: bool) -> None:
    """Read through a symbolic link too, whose database SQLite keeps its -wal beside (not
    beside the link): that one was not looked at, and the run was replayed."""
    db = tmp_path / "m.db"
    converter.write(converter.read(SAMPLES), db, "sqlite")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    age(db)
    given = tmp_path / "link.db" if linked else db
    if linked:
        given.symlink_to(db)
    out = tmp_path / "m.json"
    assert convert(given, out)[0] == 0
    keeper = sqlite3.connect(db)  # open: the committed change stays in m.db-wal
    try:
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
        with keeper:
            keeper.execute("UPDATE muscles SET title = 'Soleus EDITED' WHERE slug = 'soleus'")
        code, stderr = convert(given, out)
    finally:
        keeper.close()
    assert code == 0 and "up to date" not in stderr
    assert b"Soleus EDITED" in out.read_bytes()


@pytest.mark.parametrize("to, name", [("markdown", "soleus.md"), ("svg", "soleus.svg"),
                                      ("csv", "muscles.csv")])
def test_a_file_edited_inside_a_directory_output_is_seen_and_kept(
        tmp_path: Path, to: str, name: str) -> None:
    """The edit is seen (no replay), and kept: the run is refused (the file is the
    user's now, see the marker's digests); once it is moved away, the run writes its
    own again, and then replays."""
    source, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(SAMPLES, source)
    age(source)
    convert(source, out, to)
    written = (out / name).read_bytes()
    with (out / name).open("ab") as fh:  # in place: the directory's mtime stays
        fh.write(b"edited by hand\n")
    code, again = convert(source, out, to)
    assert (code, "up to date" in again) == (1, False)
    assert f"{name} was changed since muscle-convert wrote it" in again
    assert (out / name).read_bytes() == written + b"edited by hand\n"
    (out / name).unlink()
    _, again = convert(source, out, to)
    assert "up to date" not in again and (out / name).read_bytes() == written
    assert "OUT: up to date" in convert(source, out, to)[1]


@pytest.mark.parametrize("edit", ["swap", "put back"])
def test_a_change_that_keeps_size_and_mtime_is_seen(tmp_path: Path, edit: str) -> None:
    """Two files of one size and mtime (as unpacked from an archive) swapped, or a file
    edited and its mtime put back: their ctimes tell."""
    source, out = tmp_path / "src", tmp_path / "m.json"
    source.mkdir()
    a, b = source / "a.md", source / "b.md"
    a.write_text("---\ntitle: Alpha\n---\n", encoding="utf-8")
    b.write_text("---\ntitle: Bravo\n---\n", encoding="utf-8")
    age(source)
    before = a.stat()
    convert(source, out)
    time.sleep(0.01)  # (a ctime of its own)
    if edit == "swap":
        a.rename(tmp_path / "a.md")
        b.rename(a)
        (tmp_path / "a.md").rename(b)
    else:
        a.write_text("---\ntitle: Ahoy!\n---\n", encoding="utf-8")
        os.utime(a, ns=(before.st_atime_ns, before.st_mtime_ns))
    _, again = convert(source, out)
    assert "up to date" not in again
    titles = {m.slug: m.title for m in converter.read(out)}
    assert titles == {"a": "Bravo" if edit == "swap" else "Ahoy!",
                      "b": "Alpha" if edit == "swap" else "Bravo"}


def test_a_run_record_with_a_damaged_part_is_not_replayed(corpus: Path, tmp_path: Path
                                                         ) -> None:
    out, cache_dir = tmp_path / "m.json", tmp_path / "cache"
    first = api(corpus, out, cache_dir)
    assert api(corpus, out, cache_dir).replayed
    with sqlite3.connect(next(cache_dir.glob("cache-*.sqlite"))) as db:
        assert db.execute("SELECT count(*) FROM run_parts").fetchone()[0] >= 1
        db.execute("UPDATE run_parts SET part = substr(part, 1, length(part) - 1)")
    again = api(corpus, out, cache_dir)
    assert not again.replayed and list(again.diagnostics) == list(first.diagnostics)
    assert api(corpus, out, cache_dir).replayed  # recorded afresh


def _edit(corpus: Path) -> None:
    """Edit, delete, rename and add files, as between two real runs."""
    files = sorted(corpus.glob("*.md"))
    edited = files[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: Ny ", 1),
                      encoding="utf-8")
    files[5].unlink()
    files[7].rename(corpus / "renamed-muscle.md")
    (corpus / "added.md").write_text(
        files[9].read_text(encoding="utf-8").replace("---\n", "---\nslug: added-muscle\n", 1),
        encoding="utf-8")
    (corpus / "broken.md").write_text("---\ntitle: Fixed now\n---\n", encoding="utf-8")


@pytest.mark.parametrize("to", ["json", "jsonl", "csv", "sqlite"])
def test_edits_between_runs_give_what_a_fresh_run_gives(corpus: Path, tmp_path: Path,
                                                        to: str) -> None:
    name = {"csv": "csv-out", "sqlite": "m.db"}.get(to, f"m.{to}")
    out, fresh = tmp_path / "cached" / name, tmp_path / "fresh" / name
    out.parent.mkdir()
    fresh.parent.mkdir()
    prune = ["--prune"] if to == "sqlite" else []  # else gone muscles stay, by design
    convert(corpus, out, to, *prune)
    _edit(corpus)
    code, cached = convert(corpus, out, to, *prune)
    fresh_code, uncached = convert(corpus, fresh, to, "--no-cache")
    assert "up to date" not in cached
    assert (code, diagnostics(cached)) == (fresh_code, diagnostics(uncached))
    assert converter.read(out) == converter.read(fresh)
    if to != "sqlite":  # a database updated in place differs in page layout only
        for a, b in zip(sorted(p for p in [out, *out.rglob("*")] if p.is_file()),
                        sorted(p for p in [fresh, *fresh.rglob("*")] if p.is_file()),
                        strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_only_changed_files_are_read_again(corpus: Path, tmp_path: Path) -> None:
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    assert api(corpus, out, cache_dir).parsed == COUNT + 2
    files = sorted(corpus.glob("*.md"))
    text = files[0].read_text(encoding="utf-8")
    files[0].write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
    os.utime(files[1])  # touched, content unchanged: hashed, not parsed
    result = api(corpus, out, cache_dir)
    assert (result.parsed, result.replayed) == (1, False)
    assert api(corpus, tmp_path / "m2.json", cache_dir).parsed == 0  # new output, no parse
    assert out.read_bytes() == (tmp_path / "m2.json").read_bytes()


def test_an_edit_within_the_same_clock_tick_is_seen(tmp_path: Path) -> None:
    source, out, cache_dir = tmp_path / "m.md", tmp_path / "m.json", tmp_path / "cache"
    source.write_text("---\ntitle: Soleus\n---\n", encoding="utf-8")
    api(source, out, cache_dir)
    mtime = source.stat().st_mtime_ns
    source.write_text("---\ntitle: Solsus\n---\n", encoding="utf-8")  # same size
    os.utime(source, ns=(mtime, mtime))  # and the same mtime
    result = api(source, out, cache_dir)
    assert result.parsed == 1
    assert [m.title for m in converter.read(out)] == ["Solsus"]


def _two_versions(path: Path, big: bool) -> tuple[str, str]:
    """Two texts of one size for the Markdown file ``path`` (over the 1 MiB the cache
    reads ahead when ``big``), whose titles differ; the first written."""
    body = "Flexes the ankle. " * (70_000 if big else 1)
    old, new = (f"---\ntitle: {title}\n---\n{body}\n" for title in ("Soleus", "Solsus"))
    path.write_text(old, encoding="utf-8")
    age(path)
    return old, new


def test_a_big_file_rewritten_after_the_cache_hashed_it_is_filed_as_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over 1 MiB was hashed in a read of its own before its reader opened it:
    rewritten in between, the reading of the new text was filed under the old text's
    hash, and a later run of the old text again gave the new one's muscle."""
    source, out, cache_dir = tmp_path / "m.md", tmp_path / "m.json", tmp_path / "cache"
    old, new = _two_versions(source, big=True)
    rewritten: list[bool] = []

    def rewriting(hash_: Any) -> Any:
        def hashed(*args: Any) -> bytes:
            done = hash_(*args)
            if not rewritten:  # (once: after the first hash of the run)
                rewritten.append(True)
                source.write_text(new, encoding="utf-8")
            return done
        return hashed

    monkeypatch.setattr(converter.pipeline, "digest", rewriting(converter.pipeline.digest))
    monkeypatch.setattr(converter.cache, "content_digest",
                        rewriting(converter.cache.content_digest))
    api(source, out, cache_dir)
    assert rewritten
    source.write_text(old, encoding="utf-8")
    api(source, out, cache_dir)
    assert [m.title for m in converter.read(out)] == ["Soleus"]


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_file_a_reader_reads_itself_rewritten_while_read_is_not_filed_stale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big: bool, when: str) -> None:
    """A reader that opens its file itself (a plugin's) leaves the bytes read ahead, or
    the hashing of what it reads, unused: the file rewritten before or after it read
    it, its reading was filed under the hash of other bytes than it parsed, and a later
    run of those bytes was given it."""
    source, out, cache_dir = tmp_path / "m.md", tmp_path / "m.json", tmp_path / "cache"
    old, new = _two_versions(source, big)

    def reads_itself(self: ReadContext, path: Path) -> bytes:
        if when == "before":
            source.write_text(new, encoding="utf-8")
        data = Path(path).read_bytes()
        if when == "after":
            source.write_text(new, encoding="utf-8")
        return data

    with monkeypatch.context() as patched:
        patched.setattr(ReadContext, "read_bytes", reads_itself)
        api(source, out, cache_dir)
    source.write_text(old if when == "before" else new, encoding="utf-8")
    api(source, out, cache_dir)
    assert [m.title for m in converter.read(out)] == [
        "Soleus" if when == "before" else "Solsus"]


def test_options_and_code_changes_miss_the_cache(corpus: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    api(corpus, out, cache_dir)
    assert api(corpus, out, cache_dir).replayed
    assert api(corpus, out, cache_dir, default_lang="da").parsed == COUNT + 2
    assert api(corpus, out, cache_dir, size="5000x5000").parsed == COUNT + 2
    assert not api(corpus, out, cache_dir, to="jsonl").replayed
    draft = sorted(corpus.glob("*.md"))[5]
    draft.write_text(draft.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n",
                                                               1), encoding="utf-8")
    age(draft)
    without = api(corpus, out, cache_dir)
    assert (without.count, without.drafts, without.replayed) == (COUNT, 1, False)
    drafts = api(corpus, out, cache_dir, drafts=True)
    assert (drafts.count, drafts.drafts, drafts.replayed) == (COUNT + 1, 0, False)
    assert api(corpus, out, cache_dir, drafts=True).replayed
    assert api(corpus, out, cache_dir).count == COUNT
    for module in (converter.pipeline, converter.run):  # another version of the tool
        monkeypatch.setattr(module, "code_fingerprint", lambda *code: "another version")
    assert api(corpus, out, cache_dir).parsed == COUNT + 2


def test_another_python_misses_the_cache(corpus: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Two Pythons running the same installed files (two virtual environments of one
    checkout) shared the cache's entries: the one read what the other marshalled and
    pickled, and slugs made with its Unicode tables. Another Python misses every entry."""
    out, cache_dir = tmp_path / "out.json", tmp_path / "cache"
    assert api(corpus, out, cache_dir).parsed == COUNT + 2
    assert api(corpus, out, cache_dir).replayed
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    again = api(corpus, out, cache_dir)
    assert (again.replayed, again.parsed) == (False, COUNT + 2)


class _Metadata:
    """A distribution of another version, as ``sitedists.distribution`` gives it (with
    ``fields``, more header lines, and a long description after them)."""

    def __init__(self, version: str, *fields: str) -> None:
        self.version, self.fields = version, fields

    def read_text(self, name: str) -> str:
        return "".join((f"Metadata-Version: 2.1\nName: x\nVersion: {self.version}\n",
                        *(f"{field}\n" for field in self.fields),
                        "\nRequires-Dist: described-only\nVersion: 0.0\n"))


def declared_dependencies() -> set[str]:
    """The names of the dependencies pyproject.toml declares (not those of an extra)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {re.match(r"[A-Za-z0-9._-]+", dep).group() for dep in
            project["project"]["dependencies"]}


def test_every_dependency_of_the_project_is_in_the_key() -> None:
    """The libraries whose versions are in every key were a list kept by hand."""
    assert set(converter.cache.libraries()) == declared_dependencies()
    versions = dict(converter.cache.installed())
    for name in declared_dependencies():
        assert versions[name] == importlib.metadata.version(name), name


def test_a_dependency_the_project_adds_is_in_the_key(
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """A library added to the project's dependencies was no part of the key until
    someone added it to a list by hand too; one only a test extra needs is none, and
    neither is what the long description says."""
    request.addfinalizer(converter.cache.installed.cache_clear)
    found = converter.cache.distribution
    added = {"muscle-convert": _Metadata("0.1.0", "Requires-Dist: click>=8.1",
                                         "Requires-Dist: tabulate-muscles>=2; python_version"
                                         ' >= "3.11"',
                                         'Requires-Dist: pytest>=8; extra == "test"'),
             "tabulate-muscles": _Metadata("2.1")}
    monkeypatch.setattr(converter.cache, "distribution",
                        lambda name: added[name] if name in added else found(name))
    converter.cache.installed.cache_clear()
    assert converter.cache.installed()[:2] == (("click", importlib.metadata.version("click")),
                                               ("tabulate-muscles", "2.1"))
    named = [name for name, _ in converter.cache.installed()]
    assert "pytest" not in named and "described-only" not in named
    assert named[-1] == "libyaml"
    before = converter.cache.code_fingerprint([])
    added["tabulate-muscles"] = _Metadata("2.2")
    converter.cache.installed.cache_clear()
    assert converter.cache.code_fingerprint([]) != before


def test_a_dependency_added_to_pyproject_counts_once_the_project_is_installed_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """README said a dependency added to pyproject.toml counted in the key at once; the
    key reads the installed metadata (written as the project is installed), so one
    pyproject.toml declares and that metadata does not yet is no part of it."""
    declared = sorted(declared_dependencies())
    older = _Metadata("0.1.0", *(f"Requires-Dist: {name}" for name in declared[1:]))
    found = converter.cache.distribution
    monkeypatch.setattr(converter.cache, "distribution", lambda name: older
                        if name == converter.cache.PROJECT else found(name))
    assert set(converter.cache.libraries()) == set(declared[1:])
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert ("a dependency added to `pyproject.toml` counts once muscle-convert is "
            "installed again (`pip install -e .`, or `make`") in readme


def test_another_version_of_any_dependency_changes_the_key(
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    request.addfinalizer(converter.cache.installed.cache_clear)
    converter.cache.installed.cache_clear()
    before = converter.cache.code_fingerprint([])
    found = converter.cache.distribution
    for library in declared_dependencies():
        monkeypatch.setattr(converter.cache, "distribution", lambda name, changed=library:
                            _Metadata("99.0") if name == changed else found(name))
        converter.cache.installed.cache_clear()
        assert converter.cache.code_fingerprint([]) != before, library


@pytest.mark.parametrize("change", ["PyYAML", "genanki", "libyaml"])
def test_another_version_of_a_library_misses_the_cache(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest, change: str) -> None:
    """Upgrading PyYAML (or building it without libyaml), ruamel.yaml, jsonschema,
    genanki... left every entry as it was: readings and runs were replayed with the old
    library's messages, or an old deck's bytes."""
    out, cache_dir = tmp_path / "out.json", tmp_path / "cache"
    request.addfinalizer(converter.cache.installed.cache_clear)
    converter.cache.installed.cache_clear()
    assert api(corpus, out, cache_dir).parsed == COUNT + 2
    assert api(corpus, out, cache_dir).replayed
    if change == "libyaml":
        built_with = converter.cache._libyaml()
        monkeypatch.setattr(converter.cache, "_libyaml", lambda: not built_with)
    else:
        found = converter.cache.distribution
        monkeypatch.setattr(converter.cache, "distribution", lambda name: _Metadata(
            "99.0") if name == change else found(name))
    converter.cache.installed.cache_clear()
    again = api(corpus, out, cache_dir)
    assert (again.replayed, again.parsed) == (False, COUNT + 2)
    assert api(corpus, out, cache_dir).replayed


def test_the_libyaml_found_is_the_one_pyyaml_loads() -> None:
    import yaml

    assert converter.cache._libyaml() == hasattr(yaml, "CSafeLoader")


@pytest.mark.parametrize("to", ["svg", "html"])
def test_a_changed_base_image_is_copied_again(tmp_path: Path, to: str) -> None:
    """A local --base-image is read by the writer: editing, creating or deleting it
    misses the run, though no input and no output changed."""
    cache_dir, out, picture = tmp_path / "cache", tmp_path / "map", tmp_path / "body.png"
    options = {"base_image": str(picture), "size": "1000x1000"}

    def run() -> converter.run.RunResult:
        return convert_sources([SAMPLES], get_format(to), out, jobs=1, cache_dir=cache_dir,
                               options=options)

    run()  # no such file yet: a relative link
    assert not (out / "_base-image.png").exists()
    picture.write_bytes(b"\x89PNG first")
    assert not run().replayed
    assert (out / "_base-image.png").read_bytes() == b"\x89PNG first"
    assert run().replayed
    picture.write_bytes(b"\x89PNG the second picture")
    assert not run().replayed
    assert (out / "_base-image.png").read_bytes() == b"\x89PNG the second picture"
    picture.unlink()
    assert not run().replayed
    assert not (out / "_base-image.png").exists()


def test_a_run_after_an_export_below_the_source_comes_or_goes_is_a_fresh_run(
        tmp_path: Path) -> None:
    """An export inside the source folder was read back (every muscle a duplicate); a
    folder muscle-convert wrote is left out, and said so, replayed or not."""
    source, out = tmp_path / "src", tmp_path / "m.json"
    shutil.copytree(SAMPLES, source)
    age(source)

    def same_as_fresh() -> str:
        code, cached = convert(source, out)
        fresh_code, fresh = convert(source, tmp_path / "fresh.json", "json", "--no-cache")
        notes = [line for line in cached.splitlines() if ": note: " in line]
        assert (code, diagnostics(cached), notes) == (
            fresh_code, diagnostics(fresh), [line for line in fresh.splitlines()
                                             if ": note: " in line])
        assert out.read_bytes() == (tmp_path / "fresh.json").read_bytes()
        return cached

    assert "note:" not in same_as_fresh()
    export = source / "export"
    assert convert(source, export, "markdown")[0] == 0
    age(export)
    cached = same_as_fresh()
    assert "up to date" in cached and "duplicate-slug" not in cached
    assert f"{export}: note: not searched" in cached
    (export / ".muscle-convert").unlink()  # (the folder taken for sources: read)
    assert "duplicate-slug" in same_as_fresh()
    shutil.rmtree(export)
    assert "note:" not in same_as_fresh() and "up to date" in convert(source, out)[1]
    only = tmp_path / "only"  # (a folder of nothing but an export: its no-inputs names it)
    assert convert(source, only / "export", "markdown")[0] == 0
    checked = [cli_run("validate", str(only))[1] for _ in range(2)]
    assert checked[0] == checked[1] and f"wrote, {only / 'export'}, which" in checked[1]
    shutil.rmtree(only / "export")
    assert cli_run("validate", str(only))[1] == cli_run("validate", str(only), "--no-cache")[1]


def test_a_changed_exclude_between_runs_is_a_fresh_run(tmp_path: Path) -> None:
    """--exclude is part of a run's key: each run with other patterns gives what a run
    without the cache gives, replayed or not."""
    source, out = tmp_path / "src", tmp_path / "m.json"
    shutil.copytree(SAMPLES, source)
    (source / "README.md").write_text("# Read me\n", encoding="utf-8")
    (source / "drafts").mkdir()
    shutil.copy(SAMPLES / "soleus.md", source / "drafts")  # (a duplicate-slug error)
    age(source)

    def same_as_fresh(*exclude: str) -> str:
        flags = [f for pattern in exclude for f in ("--exclude", pattern)]
        code, cached = convert(source, out, "json", *flags)
        fresh_code, fresh = convert(source, tmp_path / "fresh.json", "json", "--no-cache",
                                    *flags)
        assert (code, diagnostics(cached)) == (fresh_code, diagnostics(fresh))
        assert out.read_bytes() == (tmp_path / "fresh.json").read_bytes()
        return cached

    runs = [(), ("README.md",), ("README.md", "drafts"), ("README.md", "drafts"),
            ("drafts", "README.md"), ("*.md", "!soleus*"), ("README.md",), ()]
    said = [same_as_fresh(*exclude) for exclude in runs]
    assert "up to date" in said[3] and "up to date" not in said[4]
    assert ["no-front-matter" in s for s in said] == [True, False, False, False, False,
                                                      False, False, True]
    assert ["duplicate-slug" in s for s in said] == [True, True, False, False, False,
                                                     True, True, True]
    assert "1 muscle converted" in said[5]  # (soleus.md alone)


def test_a_changed_or_deleted_output_is_written_again(corpus: Path, tmp_path: Path) -> None:
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    api(corpus, out, cache_dir)
    expected = out.read_bytes()
    out.write_text("{}", encoding="utf-8")
    assert not api(corpus, out, cache_dir).replayed
    assert out.read_bytes() == expected
    out.unlink()
    assert not api(corpus, out, cache_dir).replayed
    assert out.read_bytes() == expected


@pytest.mark.parametrize("to, name", [("json", ""), ("svg", "soleus.svg")])
def test_an_output_edited_in_place_with_its_mtime_put_back_is_written_again(
        tmp_path: Path, to: str, name: str) -> None:
    source, cache_dir = tmp_path / "src", tmp_path / "cache"
    shutil.copytree(SAMPLES, source)
    age(source)
    out = tmp_path / f"out.{to}" if not name else tmp_path / "out"
    api(source, out, cache_dir, to)
    assert api(source, out, cache_dir, to).replayed
    edited = out / name if name else out
    expected, st = edited.read_bytes(), edited.stat()
    with open(edited, "r+b") as fh:  # same inode, same size
        fh.write(b"X")
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))
    if name:  # (in a folder, the edit is the user's: seen, and kept, see the marker)
        refused = api(source, out, cache_dir, to)
        errors = [d.code for d in refused.diagnostics if d.severity == "error"]
        assert (refused.replayed, errors) == (False, ["cannot-write"])
        assert edited.read_bytes() != expected
        edited.unlink()
    assert not api(source, out, cache_dir, to).replayed
    assert edited.read_bytes() == expected


def test_no_cache_records_nothing(corpus: Path, private_cache: Path, tmp_path: Path) -> None:
    convert(corpus, tmp_path / "m.json", "json", "--no-cache")
    assert list(private_cache.iterdir()) == []
    convert(corpus, tmp_path / "m.json", "json")
    assert list(private_cache.iterdir())


def test_jobs_and_cache_give_the_same_diagnostics(corpus: Path, tmp_path: Path) -> None:
    """A muscle with a schema error has the lints of its valid fields said, its
    ``yaml11-ambiguous`` warnings too (they were dropped), in every run alike."""
    both = corpus / "both.md"  # (a schema error and lints of its valid fields)
    both.write_text('---\ntitle: 5\nimage: javascript:alert(1)\ncomments: off\ncoords:\n'
                    '  - "0,0,10,10,10,0,0,10"\n---\n', encoding="utf-8")
    age(corpus)
    runs = [cli_run("validate", str(corpus), "-j", jobs, *extra)
            for jobs, extra in (("1", ["--no-cache"]), ("2", []), ("2", []), ("1", []))]
    assert len({(code, "\n".join(diagnostics(err))) for code, err in runs}) == 1
    assert [line.split(" [")[-1] for line in diagnostics(runs[0][1])
            if line.startswith(str(both))] == ["wrong-type]", "unsafe-link]",
                                               "yaml11-ambiguous]",
                                               "polygon-self-intersecting]"]
    found = [json.loads(CliRunner().invoke(cli, ["validate", str(both), "-j", jobs,
                                                 "--format", "json", *extra]).stdout)
             for jobs, extra in (("1", ["--no-cache"]), ("2", []))]
    assert found[0] == found[1]
    assert [(d["line"], d["code"]) for d in found[0]] == [
        (2, "wrong-type"), (3, "unsafe-link"), (4, "yaml11-ambiguous"),
        (6, "polygon-self-intersecting")]


def test_an_unsafe_or_broken_cache_is_ignored(corpus: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)  # anyone could plant a pickle here: never used
    assert Cache.open(shared) is None
    assert api(corpus, tmp_path / "a.json", shared).parsed == COUNT + 2
    broken = tmp_path / "broken-cache"
    broken.mkdir(mode=0o700)
    (broken / converter.cache._FILE).write_bytes(b"this is not a database" * 100)
    result = api(corpus, tmp_path / "b.json", broken)
    assert result.parsed == COUNT + 2
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_validate_after_convert_shares_the_parsed_files(corpus: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    api(corpus, tmp_path / "m.json", cache_dir)
    result = validate_sources([corpus], jobs=1, cache_dir=cache_dir)
    assert result.parsed == 0 and not result.replayed


class Titles(Format):
    """A record writer with an option: one title per line, shouted with ``loud``."""

    name = "titles-test"

    def record(self, muscle: Muscle, options: dict) -> str:
        return muscle.title.upper() if options.get("loud") else muscle.title

    def write_records(self, records, out: Path, ctx: WriteContext) -> str:
        out.write_text("".join(f"{slug}\t{record}\n" for slug, record in records),
                       encoding="utf-8")
        return "written"


def test_records_are_cached_per_writer_and_options(corpus: Path, tmp_path: Path) -> None:
    cache_dir, out, fresh = tmp_path / "cache", tmp_path / "titles.txt", tmp_path / "fresh"
    for jobs in (2, 1):  # made in worker processes, then in this one
        for loud in (True, False):
            result = convert_sources([corpus], Titles(), out, jobs=jobs, cache_dir=cache_dir,
                                     options={"loud": loud})
            convert_sources([corpus], Titles(), fresh, jobs=1, options={"loud": loud})
            lines = out.read_text(encoding="utf-8").splitlines()
            assert lines == fresh.read_text(encoding="utf-8").splitlines()
            assert len(lines) == COUNT + 1  # the broken file has none
            titles = [line.split("\t")[1] for line in lines]
            assert any(title != title.upper() for title in titles) is not loud
            assert result.parsed == (COUNT + 2 if (jobs, loud) == (2, True) else 0)


def test_records_of_another_writer_are_made_from_cached_muscles(corpus: Path,
                                                                 tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert api(corpus, tmp_path / "m.jsonl", cache_dir, to="jsonl").parsed == COUNT + 2
    assert api(corpus, tmp_path / "m.json", cache_dir).parsed == 0  # no records yet
    assert api(corpus, tmp_path / "m2.json", cache_dir).parsed == 0  # records now
    _edit(corpus)
    for name, jobs in (("a.json", 2), ("b.json", 1)):
        convert_sources([corpus], get_format("json"), tmp_path / name, jobs=jobs,
                        cache_dir=cache_dir)
    fresh = tmp_path / "fresh.json"
    convert_sources([corpus], get_format("json"), fresh, jobs=1)
    for name in ("a.json", "b.json"):
        assert (tmp_path / name).read_bytes() == fresh.read_bytes()
    assert (tmp_path / "m.json").read_bytes() == (tmp_path / "m2.json").read_bytes()


def test_entries_unused_for_a_month_are_dropped_once_a_day(corpus: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    monkeypatch.setattr(converter.cache, "_today", lambda: 20_000)
    assert api(corpus, out, cache_dir).parsed == COUNT + 2
    monkeypatch.setattr(converter.cache, "_today", lambda: 20_000 + converter.cache.KEEP_DAYS)
    assert api(corpus, tmp_path / "a.json", cache_dir).parsed == 0  # a month: still kept
    monkeypatch.setattr(converter.cache, "_today",
                        lambda: 20_001 + 2 * converter.cache.KEEP_DAYS)
    opened = Cache.open(cache_dir)
    assert opened is not None
    opened.close()  # the day's first close: unused since day 20,000 + KEEP_DAYS, dropped
    assert api(corpus, tmp_path / "b.json", cache_dir).parsed == COUNT + 2
    for name in ("a.json", "b.json"):
        assert (tmp_path / name).read_bytes() == out.read_bytes()


# ---- patching the last run: only changed chunks are read again --------------------

@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Runs recorded in chunks of 16 inputs (the corpus of 202 files has 13); the list
    gets a 1 each time a run lints the whole corpus. A file is "modified moments
    before" a run for ten minutes, not two seconds: a file edited just before a run
    stays too new to trust however long a loaded machine takes to start it (the
    corpus is an hour old)."""
    for module in (converter.cache, converter.run):
        monkeypatch.setattr(module, "RUN_CHUNK", 16)
        monkeypatch.setattr(module, "RACY_NS", 600 * 10**9)
    linted: list[int] = []
    lint = converter.run.CorpusLint
    monkeypatch.setattr(converter.run, "CorpusLint",
                        lambda **kw: (linted.append(1), lint(**kw))[1])
    return linted


def _body(files: list[Path]) -> None:
    with files[20].open("a", encoding="utf-8") as fh:
        fh.write("\nEn ny sætning i brødteksten.\n")


def _touch(files: list[Path]) -> None:
    os.utime(files[3])
    os.utime(files[40])


def _image(files: list[Path]) -> None:
    text = files[30].read_text(encoding="utf-8")
    files[30].write_text(re.sub(r"(?m)^image: .*$", "image: https://example.org/ny.png",
                                text, count=1), encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _text(files: list[Path]) -> None:
    text = files[50].read_text(encoding="utf-8")
    files[50].write_text(re.sub(r"(?m)^origin:.*\n(?:  .*\n)+",
                                "origin:\n  da: Et helt nyt udspring på hoftebenet.\n",
                                text, count=1), encoding="utf-8")


def _copy(files: list[Path]) -> None:
    """Gives a file the origin of another: duplicate-text warnings change."""
    block = re.compile(r"(?m)^origin:.*\n(?:  .*\n)+")
    source = block.search(files[10].read_text(encoding="utf-8"))
    assert source is not None
    text = files[90].read_text(encoding="utf-8")
    files[90].write_text(block.sub(lambda _: source.group(), text, count=1), encoding="utf-8")


def _language(files: list[Path]) -> None:
    """A language no other file has: every file's missing languages change."""
    text = files[80].read_text(encoding="utf-8")
    files[80].write_text(re.sub(r"(?m)^origin:[ \t]*\n", "origin:\n  fo: Eitt nýtt upphav á"
                                " mjaðmabeininum.\n", text, count=1), encoding="utf-8")


def _shift(files: list[Path]) -> None:
    _replace(files[60], "---\n", "---\n# a comment moves every field one line down\n")


def _break(files: list[Path]) -> None:
    files[70].write_text("---\ntitle: [\n---\n", encoding="utf-8")


def _many(files: list[Path]) -> None:
    for i in range(5):  # one file in each of five chunks
        with files[10 + 16 * i].open("a", encoding="utf-8") as fh:
            fh.write("\nMere tekst.\n")


#: edit -> whether the run after it updates the output in place, whether it lints only
#: what the edit touches (else the whole corpus)
PATCHES = {_body: (True, True), _touch: (True, True), _image: (True, True),
           _text: (True, True), _copy: (True, True), _shift: (True, True),
           _language: (True, False), _break: (False, False), _many: (False, False)}


def _same_summary(a: str | None, b: str | None, *outs: Path) -> bool:
    for out in outs:
        a, b = (s.replace(str(out), "OUT") if s else s for s in (a, b))
    return a == b


@pytest.mark.parametrize("to", ["json", "jsonl", "sqlite", "validate"])
@pytest.mark.parametrize("edit", PATCHES, ids=lambda f: f.__name__.strip("_"))
def test_a_run_after_a_small_edit_gives_what_a_fresh_run_gives(
        corpus: Path, tmp_path: Path, small_chunks: list[int], edit, to: str) -> None:
    cache_dir = tmp_path / "cache"
    name = {"sqlite": "m.db", "validate": ""}.get(to, f"m.{to}")

    def run(out: Path | None, cache: Path | None = cache_dir) -> converter.run.RunResult:
        if out is None:
            return validate_sources([corpus], jobs=1, cache_dir=cache)
        return convert_sources([corpus], get_format(to), out, jobs=1, cache_dir=cache)

    out = tmp_path / "cached" / name if name else None
    if out:
        out.parent.mkdir()
    run(out)
    # A full upsert into the same database, for its summary (beside it: a database names
    # its sources relative to its folder).
    upserted_db = out.with_name("upserted.db") if out else None
    if to == "sqlite":
        shutil.copy(out, upserted_db)
    edit(sorted(corpus.glob("*.md")))
    small_chunks.clear()
    result = run(out)
    patched, kept = PATCHES[edit]
    assert (result.patched, not small_chunks) == (patched, kept) and not result.replayed
    assert result.parsed == {_body: 1, _touch: 0, _many: 5}.get(edit, 1)
    small_chunks.clear()
    again = run(out)  # the edited files are too new to trust their stamps: read again
    stays = to == "sqlite" and edit is _break  # a muscle not in the input: a full upsert
    assert again.patched is (not small_chunks) is (edit is not _many and not stays)
    assert again.parsed == 0
    fresh = tmp_path / "fresh" / name if out else None
    if fresh:
        fresh.parent.mkdir()
    expected = run(fresh, None)
    for got in (result, again):
        assert list(got.diagnostics) == list(expected.diagnostics)
        assert (got.count, got.failed) == (expected.count, expected.failed)
    if to in ("json", "jsonl"):
        assert out.read_bytes() == fresh.read_bytes()
        assert _same_summary(result.summary, expected.summary, out, fresh)
    elif to == "sqlite":
        upserted = run(upserted_db, None)
        assert converter.read(out) == converter.read(upserted_db)
        if not stays:
            assert converter.read(out) == converter.read(fresh)
        assert _same_summary(result.summary, upserted.summary, out, upserted_db)
        with sqlite3.connect(out) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def _as_draft(path: Path, marker: str = "draft: true") -> None:
    _replace(path, "---\n", f"---\n{marker}\n")


def _becomes_draft(files: list[Path]) -> None:
    _as_draft(files[30])


def _stops_being_draft(files: list[Path]) -> None:
    _replace(files[20], "---\ndraft: true\n", "---\n")


def _draft_edited(files: list[Path]) -> None:
    with files[21].open("a", encoding="utf-8") as fh:
        fh.write("\nEndnu et udkast.\n")


def _draft_broken(files: list[Path]) -> None:
    _replace(files[21], "published: false", "published: 0")


def _draft_takes_a_slug(files: list[Path]) -> None:
    """A draft that will replace files[41]: a slug of its own no more."""
    slug = converter.read(files[41])[0].slug
    _replace(files[20], "---\ndraft: true\n", f"---\ndraft: true\nslug: {slug}\n")


DRAFT_EDITS = [_becomes_draft, _stops_being_draft, _draft_edited, _draft_broken,
               _draft_takes_a_slug]


@pytest.mark.parametrize("to", ["json", "jsonl", "sqlite", "validate"])
@pytest.mark.parametrize("edit", DRAFT_EDITS, ids=lambda f: f.__name__.strip("_"))
def test_a_file_that_becomes_a_draft_or_stops_being_one_gives_what_a_fresh_run_gives(
        corpus: Path, tmp_path: Path, small_chunks: list[int], edit, to: str) -> None:
    """Cached, patched and replayed runs leave out the drafts a fresh run leaves out
    (and take no slug for them), and say as many."""
    files = sorted(corpus.glob("*.md"))
    _as_draft(files[20])
    _as_draft(files[21], "published: false")
    age(corpus)
    cache_dir = tmp_path / "cache"
    name = {"sqlite": "m.db", "validate": ""}.get(to, f"m.{to}")

    def run(out: Path | None, cache: Path | None = cache_dir) -> converter.run.RunResult:
        if out is None:
            return validate_sources([corpus], jobs=1, cache_dir=cache)
        return convert_sources([corpus], get_format(to), out, jobs=1, cache_dir=cache,
                               options={"prune": True} if to == "sqlite" else {})

    out = tmp_path / "cached" / name if name else None
    fresh = tmp_path / "fresh" / name if name else None
    for folder in (out, fresh):
        if folder:
            folder.parent.mkdir()
    first = run(out)
    assert first.drafts == (0 if to == "validate" else 2)
    edit(files)
    results = [run(out), run(out)]
    age(corpus)  # (edited moments ago, a file is never trusted by its stamp)
    results += [run(out), run(out)]
    assert results[-1].replayed
    expected = run(fresh, None)
    for got in results:
        assert list(got.diagnostics) == list(expected.diagnostics)
        assert (got.count, got.failed, got.drafts) == (
            expected.count, expected.failed, expected.drafts)
    if out:
        assert converter.read(out, drafts=True) == converter.read(fresh, drafts=True)
        assert expected.count == COUNT + 1 - expected.drafts - (edit is _draft_broken)


def test_a_moved_exercise_moves_its_warning(corpus: Path, tmp_path: Path,
                                          small_chunks: list[int]) -> None:
    """Only the exercise that a corpus lint names moves: its warning moves with it."""
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    first, second = [f for f in sorted(corpus.glob("*.md"))
                     if "\nexercises:\n" in f.read_text(encoding="utf-8")][:2]
    _replace(first, "\nexercises:\n", "\nexercises:\n  - Squat\n")
    _replace(second, "\nexercises:\n", "\nexercises:\n  - squat\n")
    age(corpus)
    api(corpus, out, cache_dir)
    _replace(second, "\nexercises:\n", "\n# one line down\nexercises:\n")
    small_chunks.clear()
    result = api(corpus, out, cache_dir)
    expected = api(corpus, tmp_path / "fresh.json", None)
    assert result.patched and small_chunks == [1]  # the fresh run's: the patch lints less
    assert list(result.diagnostics) == list(expected.diagnostics)
    [moved] = [d for d in result.diagnostics if d.code == "exercise-spelling"]
    lines = second.read_text(encoding="utf-8").splitlines()
    assert lines[moved.line - 1] == "  - squat" and lines[moved.line - 2] == "exercises:"


def test_a_patch_beside_a_file_of_many_muscles_reads_only_the_edited_file(
        corpus: Path, tmp_path: Path, small_chunks: list[int]) -> None:
    """A run that also reads a JSON file files its readings under the same key as the
    patch reading only the edited file's chunk (which holds no JSON file)."""
    many, notes = tmp_path / "many.json", tmp_path / "notes"
    notes.mkdir()
    for name in ("soleus", "trapezius"):  # slugs the generated corpus does not have
        text = (SAMPLES / f"{name}.md").read_text(encoding="utf-8")
        (notes / f"{name}.md").write_text(text.replace("---\n", f"---\nslug: json-{name}\n", 1),
                                          encoding="utf-8")
    convert_sources([notes], get_format("json"), many, options={"default_lang": "en"})
    age(many)
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"

    def run(target: Path, cache: Path | None = cache_dir) -> converter.run.RunResult:
        return convert_sources([corpus, many], get_format("json"), target, jobs=1,
                               cache_dir=cache)

    run(out)
    _body(sorted(corpus.glob("*.md")))
    result = run(out)
    assert (result.patched, result.parsed) == (True, 1)
    expected = run(tmp_path / "fresh.json", None)
    assert list(result.diagnostics) == list(expected.diagnostics)
    assert out.read_bytes() == (tmp_path / "fresh.json").read_bytes()


def test_a_moved_text_that_is_long_only_once_normalized_moves_its_warning(
        tmp_path: Path) -> None:
    """ "Se ovenfor…" is 11 characters, 13 once "…" is "...": it is compared, so where it
    is belongs to the file's reading, and moving it is a change the patch sees."""
    corpus, cache_dir = tmp_path / "src", tmp_path / "cache"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.md").write_text(
            f"---\ntitle: {name}\ninsertion:\n  da: Se ovenfor…\n---\n", encoding="utf-8")
    age(corpus)
    validate_sources([corpus], jobs=1, cache_dir=cache_dir)
    _replace(corpus / "a.md", "insertion:\n", "insertion:\n  # moved a line down\n")
    result = validate_sources([corpus], jobs=1, cache_dir=cache_dir)
    [moved] = [d for d in result.diagnostics if d.path.endswith("a.md")]
    assert (moved.code, moved.line) == ("duplicate-text", 5)
    assert list(result.diagnostics) == list(validate_sources([corpus], jobs=1).diagnostics)


def test_a_patch_names_a_decks_fields_as_a_fresh_run_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus lint of a patch names the fields of a file of many muscles as its
    format does, as a fresh run does: a deck's Exercises."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus, cache_dir, deck = tmp_path / "src", tmp_path / "cache", tmp_path / "d.apkg"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: A\nexercises:\n  - Squat\n---\n",
                                 encoding="utf-8")
    converter.write([Muscle(slug="b", title="B", exercises=("Lunge", "squat"))], deck)
    age(corpus, deck)
    validate_sources([corpus, deck], jobs=1, cache_dir=cache_dir)
    converter.write([Muscle(slug="b", title="B", exercises=("Lunge", "Plank", "squat"))],
                    deck)  # (its muscle's warnings are linted again)
    result = validate_sources([corpus, deck], jobs=1, cache_dir=cache_dir)
    assert result.patched
    assert list(result.diagnostics) == list(validate_sources([corpus, deck], jobs=1).diagnostics)
    assert [(d.field, d.code) for d in result.diagnostics if d.path == str(deck)] == [
        ("muscles[b].Exercises[2]", "exercise-spelling")]


def test_stamps_are_looked_up_a_batch_at_a_time(corpus: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(converter.cache, "BATCH", 16)  # 202 files: 13 lookups
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    api(corpus, out, cache_dir)
    files = sorted(corpus.glob("*.md"))
    _replace(files[100], "title: ", "title: Changed ")
    os.utime(files[150])  # touched, content unchanged: hashed, not parsed
    result = validate_sources([corpus], jobs=1, cache_dir=cache_dir)
    assert result.parsed == 1
    assert list(result.diagnostics) == list(validate_sources([corpus], jobs=1).diagnostics)


def _ledgers(cache_dir: Path) -> tuple[int, int, int]:
    """(ledgers, fingerprints, parts) the cache holds."""
    with sqlite3.connect(cache_dir / converter.cache._FILE) as db:
        return tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("ledgers", "ledger_prints", "ledger_said"))


def test_a_full_run_replaces_the_ledger_of_the_last(corpus: Path, tmp_path: Path,
                                                    small_chunks: list[int]) -> None:
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    muscles = api(corpus, out, cache_dir).count
    ledgers, prints, parts = _ledgers(cache_dir)
    assert (ledgers, prints) == (1, muscles) and parts >= 1
    files = sorted(corpus.glob("*.md"))
    _many(files)  # five chunks: a full run, with a ledger of its own
    age(corpus)  # (whose stamps the next run trusts)
    assert not api(corpus, out, cache_dir).patched and small_chunks == [1, 1]
    assert _ledgers(cache_dir) == (1, muscles, parts)
    _text(files)  # patched: the same ledger, brought up to date
    assert api(corpus, out, cache_dir).patched and small_chunks == [1, 1]
    assert _ledgers(cache_dir) == (1, muscles, parts)


@pytest.mark.parametrize("damaged", ["part", "groups", "print"])
def test_a_damaged_ledger_lints_the_whole_corpus(corpus: Path, tmp_path: Path,
                                                 small_chunks: list[int],
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 damaged: str) -> None:
    monkeypatch.setattr(converter.relint, "_PART", 10)  # parts the edit does not reach
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    api(corpus, out, cache_dir)
    files = sorted(corpus.glob("*.md"))
    if damaged == "part":
        with sqlite3.connect(cache_dir / converter.cache._FILE) as db:
            db.execute("UPDATE ledger_said SET part = zeroblob(40)"  # a part no edit reaches
                       " WHERE seq = (SELECT max(seq) FROM ledger_said)")
    else:  # the fingerprint (or groups) of the muscle _text edits
        skipped = files.index(corpus / "broken.md") < 50  # a file with no muscle before it
        _damage(cache_dir, "ledger_prints", damaged, f"WHERE owner = {50 - skipped}")
    _text(files)
    small_chunks.clear()
    result = api(corpus, out, cache_dir)
    expected = api(corpus, tmp_path / "fresh.json", None)
    assert result.patched and small_chunks == [1, 1]  # the patch's lint, the fresh run's
    assert list(result.diagnostics) == list(expected.diagnostics)
    assert out.read_bytes() == (tmp_path / "fresh.json").read_bytes()


# --- damaged entries ------------------------------------------------------------------------

@given(st.binary(max_size=200), st.data())
def test_a_sealed_blob_with_any_byte_changed_is_damaged(payload: bytes, data: st.DataObject
                                                        ) -> None:
    blob = converter.cache.seal(payload)
    assert bytes(converter.cache.unseal(blob)) == payload
    at = data.draw(st.integers(0, len(blob) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != blob[at]))
    for damaged in (blob[:at] + bytes([byte]) + blob[at + 1:], blob[:3]):
        with pytest.raises(converter.cache.Damaged):
            converter.cache.unseal(damaged)


def _damage(cache_dir: Path, table: str, column: str, where: str = "") -> None:
    """Flip one bit in the middle of a blob the cache holds, as a failing disk would."""
    with sqlite3.connect(cache_dir / converter.cache._FILE) as db:
        rowid, blob = db.execute(f"SELECT rowid, {column} FROM {table} {where} LIMIT 1"
                                 ).fetchone()
        at = len(blob) // 2
        db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                   (blob[:at] + bytes([blob[at] ^ 1]) + blob[at + 1:], rowid))


def test_a_muscle_damaged_in_the_cache_is_read_again(corpus: Path, tmp_path: Path) -> None:
    """One letter of a cached title changed (pickle still reads it): the file is read
    again, not converted with the wrong title."""
    cache_dir = tmp_path / "cache"
    api(corpus, tmp_path / "m.json", cache_dir)
    with sqlite3.connect(cache_dir / converter.cache._FILE) as db:
        path, blob = db.execute("SELECT path, muscles FROM files WHERE path NOT LIKE"
                                " '%broken.md' ORDER BY path LIMIT 1").fetchone()
        (muscle,) = pickle.loads(converter.cache.unseal(blob))
        at = blob.index(muscle.title.encode("utf-8"))
        db.execute("UPDATE files SET muscles = ? WHERE path = ?",
                   (blob[:at] + b"X" + blob[at + 1:], path))
    result = api(corpus, tmp_path / "m.jsonl", cache_dir, to="jsonl")
    api(corpus, tmp_path / "fresh.jsonl", None, to="jsonl")
    assert result.parsed == 1
    assert (tmp_path / "m.jsonl").read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()


@pytest.mark.parametrize("column", ["result", "muscles"])
def test_a_damaged_file_entry_is_read_again(corpus: Path, tmp_path: Path, column: str) -> None:
    cache_dir = tmp_path / "cache"
    first = api(corpus, tmp_path / "m.json", cache_dir)
    _damage(cache_dir, "files", column)
    result = validate_sources([corpus], jobs=1, cache_dir=cache_dir) if column == "result" \
        else api(corpus, tmp_path / "m.jsonl", cache_dir, to="jsonl")
    assert result.parsed == 1 and list(result.diagnostics) == list(first.diagnostics)


def test_a_damaged_run_record_is_not_replayed(corpus: Path, tmp_path: Path) -> None:
    out, cache_dir = tmp_path / "m.json", tmp_path / "cache"
    first = api(corpus, out, cache_dir)
    _damage(cache_dir, "runs", "result")
    again = api(corpus, out, cache_dir)
    assert not again.replayed and list(again.diagnostics) == list(first.diagnostics)
    assert api(corpus, out, cache_dir).replayed  # recorded afresh


@pytest.mark.parametrize("edit", ["output deleted", "one file"])
def test_another_runs_output_renamed_over_ours_before_we_record_is_not_replayed(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str) -> None:
    """Two runs on one output: when the other run's (older) output landed between this
    run's write and its record, the record named that output, and every later run
    replayed it as up to date."""
    cache_dir, out = tmp_path / "cache", tmp_path / "m.json"
    api(corpus, out, cache_dir)
    stale = out.read_bytes()
    if edit == "one file":  # (a patch of the last output, recorded anew)
        _replace(sorted(corpus.glob("*.md"))[0], "title: ", "title: Changed ")
    else:  # (a full run)
        out.unlink()
    landed = []

    def landing(step):  # what runs between a run's write and its record
        def other_run_lands_first(*args, **kwargs):
            if not landed:
                tmp = tmp_path / "other.tmp"
                tmp.write_bytes(stale + b" ")
                os.replace(tmp, out)
                landed.append(step.__name__)
            return step(*args, **kwargs)
        return other_run_lands_first

    monkeypatch.setattr(converter.run, "_finish", landing(converter.run._finish))
    monkeypatch.setattr(Cache, "parts", landing(Cache.parts))  # (in a patch)
    api(corpus, out, cache_dir)
    monkeypatch.undo()
    assert landed == ["parts" if edit == "one file" else "_finish"]
    assert not api(corpus, out, cache_dir).replayed
    fresh = tmp_path / "fresh.json"
    api(corpus, fresh, None)
    assert out.read_bytes() == fresh.read_bytes()


def test_a_base_image_appearing_beside_the_output_is_seen(tmp_path: Path) -> None:
    """The base-image-not-found warning was replayed after the picture was put beside
    the output (and never given after it was removed)."""
    cache_dir, out = tmp_path / "cache", tmp_path / "site" / "map"
    options = {"base_image": "../body.png", "size": "1000x1000"}

    def warned() -> bool:
        result = convert_sources([SAMPLES], get_format("svg"), out, jobs=1,
                                 cache_dir=cache_dir, options=options)
        return any(d.code == "base-image-not-found" for d in result.diagnostics)

    assert warned()
    (tmp_path / "site" / "body.png").write_bytes(b"\x89PNG")
    assert not warned()
    (tmp_path / "site" / "body.png").unlink()
    assert warned()


@pytest.fixture
def written_markdown(tmp_path: Path) -> Path:
    """``content``: a folder of Markdown (two samples) an earlier run wrote, its files'
    mtimes an hour back."""
    source, content = tmp_path / "src", tmp_path / "content"
    source.mkdir()
    for name in ("soleus.md", "deltoideus.md"):
        shutil.copy(SAMPLES / name, source)
    assert convert(source, content, "markdown", "--no-cache", "-q")[0] == 0
    age(content)
    return content


def test_a_run_that_kept_sources_is_not_replayed_saying_so_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written_markdown: Path) -> None:
    """The sources-kept warning depends on the folder's marker before the run, which the
    run rewrites: it was replayed on every cached run (and every cached --strict run
    exited 1), where a fresh run after the first says nothing and exits 0."""
    content = written_markdown

    def html(folder: Path, *extra: str) -> tuple[int, list[str], bytes]:
        monkeypatch.chdir(folder)  # (convert . -o .: replayed when nothing changed)
        code, said = cli_run("convert", ".", "--to", "html", "-o", ".", "-j", "1",
                             "--strict", *extra)
        return code, diagnostics(said), (folder / "index.html").read_bytes()

    first = html(content)
    assert first[0] == 1 and [line.split(": ", 1)[1] for line in first[1]] == [
        "warning: kept 2 files this run read (its sources) that an earlier run wrote here: "
        "they are yours now, not replaced or removed by a later run [sources-kept]"]
    fresh_folder = tmp_path / "fresh"
    shutil.copytree(content, fresh_folder, symlinks=True)
    fresh = html(fresh_folder, "--no-cache")
    assert fresh[:2] == (0, [])
    assert html(content) == fresh
    assert html(content) == fresh and "up to date" in cli_run(
        "convert", ".", "--to", "html", "-o", ".", "-j", "1")[1]


def test_sources_in_the_output_folder_named_from_outside_are_replayed(
        tmp_path: Path, written_markdown: Path) -> None:
    """``convert content --to html -o content`` linked the folder's sources into the
    folder it built, then removed that folder, its output the same: each run changed
    the sources' ctime, and no run was ever replayed (``-o .`` from inside the folder
    was). A second run with nothing changed is replayed, its output a fresh run's."""
    content = _kept_sources(written_markdown)
    fresh = _fresh_html(content, tmp_path)
    first, again = _html_into(content), _html_into(content)
    assert "up to date" not in first[1] and "OUT: up to date" in again[1]
    assert first[0] == again[0] == fresh[0] == 0 and first[2] == again[2] == fresh[2]


def _kept_sources(content: Path) -> Path:
    """``content``, a folder of Markdown an earlier run wrote (:func:`written_markdown`),
    converted to HTML into itself (the run that said sources-kept): an output folder
    that keeps its run's sources."""
    assert "[sources-kept]" in convert(content, content, "html")[1]
    return content


def _html_into(folder: Path, *extra: str) -> tuple[int, str, dict[str, bytes]]:
    """``convert FOLDER --to html -o FOLDER``: exit code, stderr, and every file."""
    code, said = convert(folder, folder, "html", *extra)
    return code, said, {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fresh_html(content: Path, tmp_path: Path) -> tuple[int, str, dict[str, bytes]]:
    """What a ``--no-cache`` run makes of a copy of ``content`` as it is now."""
    fresh_folder = tmp_path / "fresh"
    shutil.copytree(content, fresh_folder, symlinks=True)
    return _html_into(fresh_folder, "--no-cache")


def test_sources_linked_into_a_changed_output_folder_are_replayed_the_next_run(
        tmp_path: Path, written_markdown: Path) -> None:
    """A run into the folder of its sources whose output changed swapped a new folder
    in, its sources hard-linked into it, which moved their ctime: the next run with
    nothing changed hashed them and was not replayed, only the one after it. The run
    is recorded with the stamps the links gave them."""
    content = _kept_sources(written_markdown)
    _replace(content / "soleus.md", "title: Soleus", "title: Soleus edited")
    age(content / "soleus.md")
    ctime = (content / "deltoideus.md").stat().st_ctime_ns
    changed = _html_into(content)
    assert "up to date" not in changed[1]
    assert (content / "deltoideus.md").stat().st_ctime_ns != ctime  # (linked: swapped)
    again, fresh = _html_into(content), _fresh_html(content, tmp_path)
    assert "OUT: up to date" in again[1]
    assert changed[0] == again[0] == fresh[0] == 0 and changed[2] == again[2] == fresh[2]


def _edited_in_place(path: Path) -> None:
    """Edit ``path`` in place as a sly editor may: the same size, its mtime put back."""
    st = path.stat()
    _replace(path, "title: Soleus", "title: Soleux")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def _replaced_by_rename(path: Path) -> None:
    """Save ``path`` as an editor does, a new file renamed over it: the same size, its
    mtime put back."""
    st, new = path.stat(), path.with_name(".saved")
    new.write_text(path.read_text(encoding="utf-8").replace("title: Soleus",
                                                            "title: Soleux", 1))
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(new, path)


@pytest.mark.parametrize(("seam", "edit"), [
    ("_link_or_copy", _edited_in_place),  # (looked at, not yet linked)
    ("check_since", _edited_in_place),  # (linked, not yet swapped in)
    ("check_since", _replaced_by_rename),
], ids=["before the link", "after the link", "replaced after the link"])
def test_a_source_edited_as_its_folder_is_swapped_is_seen_by_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seam: str,
        edit: Any, written_markdown: Path) -> None:
    """The stamps a swap's links gave a run's sources are its record's only where the
    links alone changed them: an edit made between the run's read and the swap, of the
    same size and with its mtime put back, is read by the next run."""
    content = _kept_sources(written_markdown)
    _replace(content / "soleus.md", "title: Soleus", "title: Soleus edited")
    age(content / "soleus.md")
    real, edited = getattr(converter.atomic_folder, seam), []

    def editing(*args: Any, **kwargs: Any) -> Any:
        if not edited and (seam != "_link_or_copy" or Path(args[0]).name == "soleus.md"):
            edit(content / "soleus.md")
            edited.append(seam)
        return real(*args, **kwargs)

    with monkeypatch.context() as patched:  # (the cache's own setting stays)
        patched.setattr(converter.atomic_folder, seam, editing)
        changed = _html_into(content)
    assert edited == [seam] and b"Soleux" not in changed[2]["index.html"]
    after, fresh = _html_into(content), _fresh_html(content, tmp_path)
    assert "up to date" not in after[1] and b"Soleux" in after[2]["index.html"]
    assert after[0] == fresh[0] == 0 and after[2] == fresh[2]
    assert "OUT: up to date" in _html_into(content)[1]


@pytest.mark.parametrize("to", ["svg", "html"])
@pytest.mark.parametrize("link", ["../body.png?v=2", "../body.png#top"])
def test_a_base_image_link_with_a_query_or_fragment_is_watched_where_it_is_looked_for(
        tmp_path: Path, to: str, link: str) -> None:
    """The writer looks for ``../body.png?v=2`` beside the output as ``../body.png``;
    the cache watched ``../body.png?v=2``, so the picture coming or going was not seen
    and a wrong base-image-not-found warning was replayed (or missed)."""
    cache_dir, out = tmp_path / "cache", tmp_path / "site" / "map"
    options = {"base_image": link, "size": "1000x1000"}

    def warned(cache: Path | None = cache_dir) -> bool:
        result = convert_sources([SAMPLES], get_format(to), out, jobs=1, cache_dir=cache,
                                 options=options)
        return any(d.code == "base-image-not-found" for d in result.diagnostics)

    assert warned() and warned()
    (tmp_path / "site" / "body.png").write_bytes(b"\x89PNG")
    assert not warned() and not warned()  # (the second replayed)
    assert not warned(None)
    (tmp_path / "site" / "body.png").unlink()
    assert warned() and warned(None)


@pytest.mark.parametrize("to", ["svg", "html"])
def test_a_percent_encoded_base_image_link_is_watched_as_the_file_it_names(
        tmp_path: Path, to: str) -> None:
    """A browser opens ``../body%20v2.png`` as ``body v2.png``; the writer and the cache
    looked for ``body%20v2.png``: the picture there was warned of as not found, and
    editing it did not stop the next run being replayed."""
    cache_dir, out = tmp_path / "cache", tmp_path / "site" / "map"
    picture = tmp_path / "site" / "body v2.png"
    picture.parent.mkdir()
    picture.write_bytes(b"\x89PNG")
    options = {"base_image": "../body%20v2.png", "size": "1000x1000"}

    def run() -> Any:
        return convert_sources([SAMPLES], get_format(to), out, jobs=1, cache_dir=cache_dir,
                               options=options)

    first = run()
    assert "base-image-not-found" not in {d.code for d in first.diagnostics}
    assert run().replayed
    picture.write_bytes(b"\x89PNG, edited")
    assert not run().replayed
    picture.unlink()
    assert "base-image-not-found" in {d.code for d in run().diagnostics}


def test_a_symlink_pointed_at_another_file_of_the_same_stamp_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two files of one size and mtime, written in one clock tick (a coarse ctime, as
    this stat gives every file), told apart only by their inode: a symlink re-pointed
    from one to the other replayed the first's muscle."""
    real_stat = os.stat

    def one_tick(path: object, *args: object, **kwargs: object) -> os.stat_result:
        st = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        fields = [*st, st.st_atime, st.st_mtime, 0.0, st.st_atime_ns, st.st_mtime_ns, 0,
                  st.st_blksize, st.st_blocks, st.st_rdev]
        return os.stat_result(fields[:os.stat_result.n_fields])

    store, src = tmp_path / "store", tmp_path / "src"
    store.mkdir()
    src.mkdir()
    for name, title in (("v1", "Alpha"), ("v2", "Omega")):
        (store / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
        os.utime(store / f"{name}.md", (1e9, 1e9))
    link = src / "muscle.md"
    link.symlink_to(store / "v1.md")
    monkeypatch.setattr(os, "stat", one_tick)
    assert convert(src, tmp_path / "out.json")[0] == 0
    link.unlink()
    link.symlink_to(store / "v2.md")
    os.utime(src, (1e9, 1e9))  # (the folder's too: only the file can tell)
    assert convert(src, tmp_path / "out.json")[0] == 0
    assert [m.title for m in converter.read(tmp_path / "out.json")] == ["Omega"]


def test_a_package_table_of_any_name_its_descriptor_gives_is_watched(tmp_path: Path) -> None:
    """Only .csv and .json files beside the descriptor were watched: an edit of a table
    named muscles.tsv was replayed over."""
    package = tmp_path / "pkg"
    converter.write(converter.read(SAMPLES), package, "csv")
    (package / "muscles.csv").rename(package / "muscles.tsv")
    descriptor = package / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace(
        '"muscles.csv"', '"muscles.tsv"'), encoding="utf-8")
    age(package)
    assert convert(package, tmp_path / "out.json")[0] == 0
    table = package / "muscles.tsv"
    table.write_bytes(table.read_bytes().replace(b',"Soleus",', b',"Soleus edited",'))
    assert convert(package, tmp_path / "out.json")[0] == 0
    assert "Soleus edited" in [m.title for m in converter.read(tmp_path / "out.json")]


def _schema_damaged(path: Path) -> None:
    """Give a table of the cache at ``path`` a statement with a byte that is not UTF-8
    (``CR\\xf2ATE``, no keyword), as a damaged file may: SQLite's message quotes it."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'records'"
                              ).fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = CAST(? AS TEXT) WHERE name = 'records'",
                     (sql.encode().replace(b"CREATE", b"CR\xf2ATE"),))
        conn.commit()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "schema"])
def test_a_cache_file_that_is_no_database_is_made_anew(damage: str, tmp_path: Path) -> None:
    """It was ignored for good: every run read every file again, without a word. A
    schema whose SQLite message is not UTF-8 (which sqlite3 cannot decode) was a
    traceback of every run."""
    directory = tmp_path / "cache"
    Cache.open(directory).close()  # type: ignore[union-attr]
    path = directory / converter.cache._FILE
    if damage == "schema":
        _schema_damaged(path)
    else:
        path.write_bytes(os.urandom(50_000) if damage == "garbage"
                         else path.read_bytes()[:200])
    cache = Cache.open(directory)
    assert cache is not None
    cache.close()
    source = tmp_path / "src"
    shutil.copytree(SAMPLES, source)
    age(source)
    assert cli_run("convert", str(source), "--to", "json", "-o", str(tmp_path / "o.json"),
                   "--cache-dir", str(directory))[0] == 0
    _, stderr = cli_run("convert", str(source), "--to", "json", "-o",
                        str(tmp_path / "o.json"), "--cache-dir", str(directory))
    assert "up to date" in stderr


def test_only_a_file_sqlite_calls_no_database_is_made_anew() -> None:
    """Never one that another run holds (busy, locked): that is no damage."""
    damaged = converter.cache._damaged
    assert damaged(sqlite3.DatabaseError("file is not a database"))
    assert damaged(sqlite3.DatabaseError("database disk image is malformed"))
    assert not damaged(sqlite3.OperationalError("database is locked"))
    assert not damaged(sqlite3.DatabaseError("disk I/O error"))


def test_ctrl_c_while_a_run_waits_for_the_cache_another_run_holds_ends_it_at_once(
        private_cache: Path) -> None:
    """Ctrl-C while a run waited for a cache another run held (its write transaction)
    was taken only when SQLite's own 10 seconds of waiting ended; it is taken at once
    now, and the cache is whole and used by the next run."""
    command = [sys.executable, "-m", "converter", "validate", str(SAMPLES), "--jobs", "1",
               "-q"]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, check=False,
                          timeout=WAIT).returncode == 0
    path = private_cache / converter.cache._FILE
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        returncode, stderr = signal_waiting(command, path, signal.SIGINT,
                                            within=converter.cache.WAIT_SECONDS / 3)
    assert returncode == 130, stderr
    assert stderr.strip().splitlines() == ["Aborted!"]
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert validate_sources([SAMPLES], jobs=1, cache_dir=private_cache).replayed


def test_a_cache_another_run_holds_is_waited_for_then_left_unsaved(
        private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache another run holds all the while is waited for up to
    :data:`~converter.cache.WAIT_SECONDS`, as SQLite's own wait did, then gone on
    without: the run says what an uncached one says (replayed: reading the cache takes
    no lock another run's write holds)."""
    uncached = validate_sources([SAMPLES], jobs=1)
    limit = converter.cache.WAIT_SECONDS
    monkeypatch.setattr(converter.cache, "WAIT_SECONDS", 0.2)
    validate_sources([SAMPLES], jobs=1, cache_dir=private_cache)
    path = private_cache / converter.cache._FILE
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        held = validate_sources([SAMPLES], jobs=1, cache_dir=private_cache)
        waited = time.monotonic() - started
    assert (held.count, list(held.diagnostics)) == (uncached.count,
                                                     list(uncached.diagnostics))
    assert 0.2 <= waited < limit  # (the wait set, not SQLite's own)
    assert held.replayed


def _cached_then_soleus_retitled(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The samples copied (aged) into ``src``, converted to ``o.json`` with the cache
    ``cache``, then soleus's title changed: (source, output, cache directory)."""
    source, out, directory = tmp_path / "src", tmp_path / "o.json", tmp_path / "cache"
    shutil.copytree(SAMPLES, source)
    age(source)
    assert convert(source, out, "json", "--cache-dir", str(directory))[0] == 0
    soleus = source / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: New "),
                      encoding="utf-8")
    return source, out, directory


def test_a_cache_another_run_holds_all_the_while_is_waited_for_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run waited :data:`~converter.cache.WAIT_SECONDS` anew at each write of a cache
    another run held all the while (its results, its record, its ledgers: 20 s and
    more in all); once one such wait has run out, it goes on without waiting again, and
    says the run was not recorded there."""
    source, out, directory = _cached_then_soleus_retitled(tmp_path)
    monkeypatch.setattr(converter.cache, "WAIT_SECONDS", 0.2)
    ran_out: list[str] = []
    real = converter.sqlitewait.retried

    def retried(conn: sqlite3.Connection, statement: str, seconds: float,
                *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        try:
            return real(conn, statement, seconds, *args, **kwargs)
        except sqlite3.OperationalError:
            if seconds:
                ran_out.append(statement)
            raise

    monkeypatch.setattr(converter.sqlitewait, "retried", retried)
    with contextlib.closing(sqlite3.connect(directory / converter.cache._FILE,
                                            isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        code, stderr = convert(source, out, "json", "--cache-dir", str(directory))
    assert code == 0, stderr
    assert ran_out == ["BEGIN IMMEDIATE"]
    assert f"{directory}: note: this run could not be recorded there (database is " \
           "locked); it is not cached" in stderr
    assert "New Soleus" in out.read_text(encoding="utf-8")


def test_a_cache_another_run_holds_in_bursts_is_waited_for_its_time_in_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run that held the cache in bursts (took it, let it go for a moment, took
    it again) made each write of a run wait almost :data:`~converter.cache.WAIT_SECONDS`
    (its results, its record, its ledgers), as only a wait that ran out was the last.
    The run waits that long in all now, then goes on without the cache and says so.
    Time is a clock of the test's own, moved on by the waits' sleeps: the other run
    takes the cache as each write of this one begins, and lets it go once this one
    has paused a burst's time for it."""
    source, out, directory = _cached_then_soleus_retitled(tmp_path)
    limit, burst = 0.5, 0.3
    monkeypatch.setattr(converter.cache, "WAIT_SECONDS", limit)
    clock, waits = [0.0], []
    holder = sqlite3.connect(directory / converter.cache._FILE, timeout=0,
                             isolation_level=None)
    real = converter.sqlitewait.retried

    def retried(conn: sqlite3.Connection, statement: str, seconds: float,
                *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        if statement == "BEGIN IMMEDIATE" and seconds and not holder.in_transaction:
            holder.execute("BEGIN IMMEDIATE")
            waits.append(clock[0])
        return real(conn, statement, seconds, *args, **kwargs)

    def sleep(seconds: float) -> None:
        clock[0] += seconds
        if holder.in_transaction and clock[0] - waits[-1] >= burst:
            holder.rollback()

    monkeypatch.setattr(converter.sqlitewait, "retried", retried)
    monkeypatch.setattr(converter.sqlitewait, "time", types.SimpleNamespace(
        monotonic=lambda: clock[0], sleep=sleep))
    with contextlib.closing(holder):
        code, stderr = convert(source, out, "json", "--cache-dir", str(directory))
    assert code == 0, stderr
    assert len(waits) == 2  # (the first got the cache after a burst; the second ran out)
    assert clock[0] < limit + converter.sqlitewait.LONGEST_PAUSE
    assert f"{directory}: note: this run could not be recorded there (database is " \
           "locked); it is not cached" in stderr
    assert "New Soleus" in out.read_text(encoding="utf-8")


def _recorded_samples(tmp_path: Path) -> tuple[tuple[str, ...], Path]:
    """(the arguments of a convert of the samples, its cache file), once run."""
    source = tmp_path / "src"
    shutil.copytree(SAMPLES, source)
    age(source)
    directory = tmp_path / "cache"
    args = ("convert", str(source), "--to", "json", "-o", str(tmp_path / "o.json"),
            "--cache-dir", str(directory))
    assert cli_run(*args)[0] == 0
    return args, directory / converter.cache._FILE


def test_a_run_replayed_every_day_is_kept_as_used(tmp_path: Path) -> None:
    """A replay left the run's "used" day as it was: a run replayed daily was swept
    after 30 days and made afresh."""
    args, path = _recorded_samples(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE runs SET used = used - 20")
        conn.execute("UPDATE run_parts SET used = used - 20")
    assert "up to date" in cli_run(*args)[1]
    with sqlite3.connect(path) as conn:
        used = {row[0] for table in ("runs", "run_parts")
                for row in conn.execute(f"SELECT used FROM {table}")}
    assert used == {converter.cache._today()}


def test_a_cache_damaged_inside_is_made_anew_after_the_run_that_finds_it(
        tmp_path: Path) -> None:
    """SQLite finds a broken page only when a query reads it, and every such error was
    swallowed: no run was ever replayed again, without a word."""
    args, path = _recorded_samples(tmp_path)
    assert path.stat().st_size > 122_880
    with path.open("r+b") as fh:  # (pages past the schema's, which stays readable)
        fh.seek(81_920)
        fh.write(os.urandom(40_960))
    summaries = [cli_run(*args)[1].splitlines()[-1] for _ in range(3)]
    assert "up to date" in summaries[-1], summaries


def test_the_default_directory_follows_xdg_but_not_a_relative_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from converter.cache import default_directory

    monkeypatch.delenv("MUSCLE_CONVERT_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_directory() == tmp_path / "xdg" / "muscle-convert"
    for ignored in ("relative/cache", ""):  # (the XDG specification: ignore it)
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        assert default_directory() == tmp_path / "home" / ".cache" / "muscle-convert"
    monkeypatch.setenv("MUSCLE_CONVERT_CACHE_DIR", "here")
    assert default_directory() == Path("here")


_NO_HOME = """
import pwd, sys
def unknown(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = unknown  # (a container's --user 12345: no entry in /etc/passwd)
from converter.cli import main
main()
"""


def test_a_user_with_no_home_runs_without_a_cache(tmp_path: Path) -> None:
    """Path.home() raised: a traceback, in convert and validate."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"HOME", "XDG_CACHE_HOME", "MUSCLE_CONVERT_CACHE_DIR"}}
    for args in (["validate", str(SAMPLES)],
                 ["convert", str(SAMPLES), "--to", "json", "-o", str(tmp_path / "m.json")]):
        done = subprocess.run([sys.executable, "-c", _NO_HOME, *args, "-q"], env=env,
                              capture_output=True, text=True, check=False, timeout=WAIT)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["muscles"]


NOT_USED = "note: not used as the cache ({}); this run is not cached"


def test_a_cache_directory_that_cannot_be_used_is_said(tmp_path: Path) -> None:
    """The run went on without it without a word (a cache restored read-only in CI, or
    one others may write, whose pickles are never loaded)."""
    open_to_all = tmp_path / "shared"
    open_to_all.mkdir()
    open_to_all.chmod(0o777)
    result = CliRunner().invoke(cli, ["validate", str(SAMPLES), "--cache-dir",
                                      str(open_to_all)])
    assert f"{open_to_all}: " + NOT_USED.format(
        "it belongs to another user or others may write it, and a cache holds what runs "
        "load") in result.stderr
    assert not list(open_to_all.iterdir())
    (tmp_path / "file").write_text("")
    below_a_file = tmp_path / "file" / "cache"
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "json", "-o",
                                      str(tmp_path / "m.json"), "--cache-dir",
                                      str(below_a_file)])
    assert result.exit_code == 0
    assert f"{below_a_file}: " + NOT_USED.format("not a directory") in result.stderr
    quiet = CliRunner().invoke(cli, ["validate", str(SAMPLES), "-q", "--cache-dir",
                                     str(below_a_file)])
    assert "note:" not in quiet.stderr


def test_a_cache_directory_that_cannot_be_used_is_no_word_of_validate_format_json(
        tmp_path: Path) -> None:
    """--format json writes the JSON and nothing else, as README says: the note that
    the cache directory is not used went to stderr all the same; it stays on stderr
    with --format github, as the summary does."""
    (tmp_path / "file").write_text("")
    below_a_file = str(tmp_path / "file" / "cache")
    source = str(SAMPLES / "soleus.md")  # (valid, no warning)
    report = CliRunner().invoke(cli, ["validate", source, "--format", "json",
                                      "--cache-dir", below_a_file])
    assert (report.exit_code, report.stderr) == (0, "")
    assert json.loads(report.stdout) == []
    annotated = CliRunner().invoke(cli, ["validate", source, "--format", "github",
                                         "--cache-dir", below_a_file])
    assert (annotated.exit_code, annotated.stdout) == (0, "")
    assert annotated.stderr.splitlines()[0] == f"{below_a_file}: " + NOT_USED.format(
        "not a directory")


def test_a_run_after_a_failed_write_to_the_cache_is_not_recorded(tmp_path: Path) -> None:
    """A write that failed (a full disk) may have left the run's ledger or files partly
    stored: the run was recorded all the same, and said nothing."""
    cache = Cache.open(tmp_path / "cache")
    assert cache is not None and cache.unsaved is None
    cache.store_said(1, 0, ["not a blob"], b"")  # type: ignore[arg-type]  # (it fails)
    cache.record("run", "inputs", "output", "result")
    cache.rerecord("run", "inputs", "output", "result")
    assert cache.unsaved and cache.last_run("run") is None
    cache.close()


def test_two_runs_bringing_one_ledger_up_to_date_at_once_leave_it_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two patched runs of one key (two validates after an edit, and another edit
    between their starts) wrote their ledger parts at the same places: the last to
    commit named the other's parts, and a later run lost two duplicate-text warnings."""
    src, cache = tmp_path / "src", tmp_path / "cache"
    shutil.copytree(SAMPLES, src)

    def edit(name: str, old: str, new: str, hours: int) -> None:
        path = src / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        age(src, seconds=hours * 3600)

    def run() -> list[str]:
        return [str(d) for d in validate_sources([src], cache_dir=cache).diagnostics]

    age(src, seconds=5 * 3600)
    run()
    soleus = (src / "soleus.md").read_text(encoding="utf-8")
    commit = converter.relint.Ledger.commit

    def meanwhile(ledger: converter.relint.Ledger) -> None:
        """Before the first run commits: another, with the other edit, runs whole."""
        monkeypatch.setattr(converter.relint.Ledger, "commit", commit)
        mine = (src / "soleus.md").read_text(encoding="utf-8")
        (src / "soleus.md").write_text(soleus, encoding="utf-8")
        edit("deltoideus.md", "The lateral third", "Not the lateral third", 3)
        run()
        (src / "soleus.md").write_text(mine, encoding="utf-8")
        edit("deltoideus.md", "Not the lateral third", "The lateral third", 4)
        commit(ledger)

    monkeypatch.setattr(converter.relint.Ledger, "commit", meanwhile)
    edit("soleus.md", "Bagsiden af hælbenet via akillessenen.",
         "i akillessenen og fæster på hælbenet.", 4)  # (gluteus-medius's insertion)
    run()
    edit("trapezius.md", "The external occipital", "Another occipital", 2)
    assert run() == [str(d) for d in validate_sources([src]).diagnostics]


@pytest.mark.parametrize("to", ["json", "validate"])
def test_rows_moved_in_a_data_package_move_their_diagnostics(tmp_path: Path, to: str) -> None:
    """The checks after reading a package are at its rows: a run after rows moved (the
    muscles the same) says where they are now, as a fresh run does, patched, recorded
    and replayed; a run after a muscle changed too."""
    from tests.formats.test_csv import linted_package, rewrite_table

    pkg, cache_dir = linted_package(tmp_path), tmp_path / "cache"
    out = tmp_path / "cached" / "m.json" if to == "json" else None

    def run(target: Path | None, cache: Path | None = cache_dir) -> converter.run.RunResult:
        if target is None:
            return validate_sources([pkg], jobs=1, cache_dir=cache)
        target.parent.mkdir(exist_ok=True)
        return convert_sources([pkg], get_format(to), target, jobs=1, cache_dir=cache)

    def first(rows: list[list[str]], slug: str) -> list[list[str]]:
        return [rows[0], *(r for r in rows[1:] if r[0] == slug),
                *(r for r in rows[1:] if r[0] != slug)]

    age(pkg)
    placed = _at_rows(pkg / "texts.csv", run(out).diagnostics)
    for edit in (lambda rows: first(rows, "deltoideus"), lambda rows: first(rows, "trapezius"),
                 lambda rows: [*rows, ["biceps-brachii", "insertion", "fo", "Ein nýggjur"
                                       " tekstur á upparminum."]]):
        rewrite_table(pkg / "texts.csv", edit)
        results = [run(out), run(out)]
        age(pkg)
        results += [run(out), run(out)]
        assert results[0].patched and results[-1].replayed
        fresh = tmp_path / "fresh" / "m.json" if out else None
        expected = run(fresh, None)
        moved = _at_rows(pkg / "texts.csv", expected.diagnostics)
        assert [at[0] for at in moved] != [at[0] for at in placed]  # (lines)
        for got in results:
            assert list(got.diagnostics) == list(expected.diagnostics)
            assert (got.count, got.failed) == (expected.count, expected.failed)
        if out and fresh:
            assert out.read_bytes() == fresh.read_bytes()
        placed = moved


def _at_rows(table: Path, diagnostics: Iterable[Diagnostic]) -> list[tuple[Any, ...]]:
    """(line, slug, field, language, field named, code) of ``diagnostics`` at the rows
    of a package's ``table``, each row checked to give the field named."""
    lines = table.read_text(encoding="utf-8").splitlines()
    found = []
    for d in diagnostics:
        if d.path == str(table):
            assert d.line is not None
            row = next(csv.reader([lines[d.line - 1]]))
            assert ".".join(row[1:3]).startswith(d.field), (row, d)
            found.append((d.line, *row[:3], d.field, d.code))
    return found


@pytest.mark.parametrize("to", ["json", "jsonl"])
def test_a_file_of_many_whose_records_moved_down_is_placed_anew(tmp_path: Path, to: str
                                                                ) -> None:
    """The same muscles lower down in their JSON file (a blank line above them): a
    cached run's warnings are at their lines now, as a fresh run's are (the records'
    fingerprints hold no lines; the file's bytes changed)."""
    cache_dir, source = tmp_path / "cache", tmp_path / f"m.{to}"
    convert_sources([SAMPLES], get_format(to), source, jobs=1)
    validate_sources([source], jobs=1, cache_dir=cache_dir)
    text = source.read_text(encoding="utf-8")
    source.write_text(("\n\n\n" if to == "jsonl" else " \n\n\n") + text, encoding="utf-8")
    age(source)
    cached = validate_sources([source], jobs=1, cache_dir=cache_dir)
    fresh = validate_sources([source], jobs=1, cache_dir=None)
    assert [d for d in fresh.diagnostics if d.code == "duplicate-text"]
    assert list(cached.diagnostics) == list(fresh.diagnostics)


def _user_database(path: Path) -> None:
    """A SQLite database of the user's own, with one table."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (note TEXT)")
    conn.execute("INSERT INTO mine VALUES ('keep me')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("beside", ["", "-wal", "-journal"])
@pytest.mark.parametrize("kind", ["text", "database"])
def test_a_link_at_the_cache_database_changes_nothing_it_names(tmp_path: Path, kind: str,
                                                              beside: str) -> None:
    """A symlink at cache-v7.sqlite: the run made the file it named private (0600) and
    put the cache's tables into a database of the user's."""
    cache, victim = tmp_path / "cache", tmp_path / f"victim.{kind}"
    cache.mkdir(mode=0o700)
    if kind == "database":
        _user_database(victim)
    else:
        victim.write_text("my notes\n")
    victim.chmod(0o644)
    before = victim.read_bytes()
    name = converter.cache._FILE + beside
    (cache / name).symlink_to(victim)
    code, stderr = cli_run("convert", str(SAMPLES), "--to", "json", "-o",
                           str(tmp_path / "m.json"), "--cache-dir", str(cache))
    assert code == 0 and json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert f"{cache}: " + NOT_USED.format(
        f"its {name} is a symbolic link, which the cache never follows") in stderr
    assert oct(victim.stat().st_mode & 0o777) == oct(0o644)
    assert victim.read_bytes() == before
    if kind == "database":
        conn = sqlite3.connect(victim)
        assert [row[0] for row in conn.execute("SELECT name FROM sqlite_master")] == ["mine"]
        conn.close()
    assert (cache / name).is_symlink()


def test_a_fifo_at_the_cache_database_is_not_opened(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.mkfifo(cache / converter.cache._FILE)
    why: list[str] = []
    assert Cache.open(cache, why) is None
    assert why == [f"its {converter.cache._FILE} is not a file"]


def test_a_cache_folder_below_a_thousand_missing_folders_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--cache-dir`` of some 1,100 missing folders ended in a RecursionError traceback
    (pathlib's ``mkdir(parents=True)`` recursed): they are made one at a time (and
    SQLite, which opens no database that deep, leaves the run uncached, as it says)."""
    monkeypatch.chdir(tmp_path)
    deep = Path(*["c"] * (sys.getrecursionlimit() + 100))
    try:
        result = CliRunner().invoke(cli, ["validate", "--cache-dir", str(deep),
                                           str(SAMPLES / "soleus.md")])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code == 0
        assert deep.is_dir() and deep.stat().st_mode & 0o777 == 0o700
    finally:
        remove_tree(tmp_path / "c")


_PLUGIN = {
    "__init__.py": "",
    "fmt.py": "from converter.registry import Format\n"
              "from . import helpers\n"
              "class TitlesFormat(Format):\n"
              "    name = 'titles'\n"
              "    extensions = ('.titles',)\n"
              "    carries = frozenset({'slug', 'title'})\n"
              "    def record(self, muscle, options):\n"
              "        return helpers.render(muscle)\n"
              "    def write_records(self, records, out, ctx):\n"
              "        out.write_text(''.join(text + '\\n' for _, text in records))\n",
    "helpers.py": "def render(m):\n    return f'v1 {m.slug} {m.title}'\n",
}


def _install_titles(site: Path, listed: bool) -> Path:
    """A package plugin ``titlesplug`` whose record writer calls its ``helpers``, as
    pip installs it in ``site`` (its files listed in ``RECORD``) or as a hand-made
    ``dist-info`` lists none; the helper module's path."""
    package = site / "titlesplug"
    package.mkdir(parents=True)
    for name, text in _PLUGIN.items():
        (package / name).write_text(text, encoding="utf-8")
    dist = site / "titlesplug-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: titlesplug\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[muscle_convert.formats]\n"
                                           "titles = titlesplug.fmt:TitlesFormat\n")
    if listed:
        (dist / "RECORD").write_text("".join(f"titlesplug/{name},,\n" for name in _PLUGIN))
    return package / "helpers.py"


@pytest.mark.parametrize("listed", [True, False], ids=["record", "no-record"])
def test_an_edited_plugin_helper_misses_the_cache(tmp_path: Path, listed: bool) -> None:
    """The cache stamped only the entry point's module: after an edit to the helper it
    calls, the run was 'up to date' with the old output, and its records replayed."""
    helpers = _install_titles(tmp_path / "site", listed)
    sources = tmp_path / "s"
    shutil.copytree(SAMPLES, sources)
    age(sources, helpers.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path / "site")])}

    def run(out: str, *more: str) -> str:
        done = subprocess.run([sys.executable, "-m", "converter", "convert", str(sources),
                               "--to", "titles", "-o", str(tmp_path / out), *more],
                              env=env, capture_output=True, text=True, check=False, timeout=WAIT)
        assert done.returncode == 0, done.stderr
        return (tmp_path / out).read_text(encoding="utf-8")

    def cached_equals_fresh() -> str:
        cached = run("t.titles", "--cache-dir", str(tmp_path / "C"))
        assert cached == run("fresh.titles", "--no-cache")
        return cached

    assert cached_equals_fresh().startswith("v1 ")
    helpers.write_text(_PLUGIN["helpers.py"].replace("v1", "v2"), encoding="utf-8")
    assert cached_equals_fresh().startswith("v2 ")
    helpers.write_text(_PLUGIN["helpers.py"].replace("v1", "v3"), encoding="utf-8")
    (tmp_path / "t.titles").unlink()
    assert cached_equals_fresh().startswith("v3 ")
    soleus = sources / "soleus.md"
    soleus.write_text(soleus.read_text(encoding="utf-8").replace("title: ", "title: X", 1),
                      encoding="utf-8")
    helpers.write_text(_PLUGIN["helpers.py"].replace("v1", "v4"), encoding="utf-8")
    assert set(line[:3] for line in cached_equals_fresh().splitlines()) == {"v4 "}


def _normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed(name: str) -> bool:
    """Whether the distribution ``name`` is installed."""
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _dist_info(site: Path, name: str, version: str, *fields: str) -> None:
    """A hand-made ``dist-info`` of ``name`` at ``version`` in ``site``, with ``fields``
    in its metadata's header (the one of another version removed)."""
    for old in site.glob(f"{re.sub(r'[-_.]+', '_', name)}-*.dist-info"):
        shutil.rmtree(old)
    dist = site / f"{re.sub(r'[-_.]+', '_', name)}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("".join((
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        *(f"{field}\n" for field in fields))), encoding="utf-8")


def test_another_version_of_a_library_a_dependency_uses_misses_the_cache(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """The key held the versions of the libraries muscle-convert requires, not of those
    they require in turn (genanki's chevron, jsonschema's referencing): upgrading one
    replayed the old one's output. A ``dist-info`` of another version of such a library,
    found first on the path, misses every entry."""
    request.addfinalizer(converter.cache.installed.cache_clear)
    converter.cache.installed.cache_clear()
    direct = {_normalized(name) for name in declared_dependencies()}
    used = sorted({re.match(r"[A-Za-z0-9._-]+", requirement).group()
                   for name in declared_dependencies()
                   for requirement in importlib.metadata.requires(name) or ()
                   if "extra" not in requirement} - direct,
                  key=_normalized)
    used = [name for name in used if _installed(name)]
    assert used, "no library that muscle-convert's dependencies require is installed"
    out, cache_dir, site = tmp_path / "out.json", tmp_path / "cache", tmp_path / "site"
    assert api(corpus, out, cache_dir).parsed == COUNT + 2
    assert api(corpus, out, cache_dir).replayed
    _dist_info(site, used[0], "99.0")
    monkeypatch.syspath_prepend(str(site))
    converter.cache.installed.cache_clear()
    again = api(corpus, out, cache_dir)
    assert (again.replayed, again.parsed) == (False, COUNT + 2)
    assert api(corpus, out, cache_dir).replayed
    assert dict(converter.cache.installed())[used[0]] == "99.0"


def test_another_version_of_a_library_a_plugin_uses_misses_the_cache(tmp_path: Path) -> None:
    """A plugin format's files were in the key, not the libraries it requires: upgrading
    one replayed the run (and its records) with the old one's output. A ``dist-info`` of
    another version in the run's path makes a full run."""
    site = tmp_path / "site"
    _install_titles(site, listed=True)
    metadata = site / "titlesplug-1.0.dist-info" / "METADATA"
    metadata.write_text(metadata.read_text(encoding="utf-8")
                        + "Requires-Dist: titles-lib>=1\n",
                        encoding="utf-8")
    _dist_info(site, "titles_lib", "1.0", "Requires-Dist: titles-base")
    _dist_info(site, "titles_base", "1.0")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(site)])}

    def run() -> str:
        done = subprocess.run([sys.executable, "-m", "converter", "convert", str(SAMPLES),
                               "--to", "titles", "-o", str(tmp_path / "t.titles"),
                               "--cache-dir", str(tmp_path / "C")],
                              env=env, capture_output=True, text=True, check=False, timeout=WAIT)
        assert done.returncode == 0, done.stderr
        return done.stderr

    assert "up to date" not in run()
    assert "up to date" in run()
    _dist_info(site, "titles_lib", "1.1", "Requires-Dist: titles-base")
    assert "up to date" not in run()
    assert "up to date" in run()
    _dist_info(site, "titles_base", "2.0")  # (what the plugin's library requires)
    assert "up to date" not in run()
    assert "up to date" in run()


#: 2262-04-12, the day after a 64-bit integer's last nanosecond; ext4's last second
#: (2446-05-10); 1901-12-13, ext4's first (before 1970: negative).
_FAR_DATES = [9_223_459_200 * 10**9, 15_032_385_535 * 10**9, -2_147_483_648 * 10**9]


@pytest.mark.parametrize("mtime", _FAR_DATES)
def test_a_file_dated_past_what_a_64_bit_integer_holds_is_read_and_its_edits_seen(
        tmp_path: Path, mtime: int) -> None:
    """A file dated past 2262 (its mtime in nanoseconds over 2^63) is read, named or in
    a folder, cached run or not, and an edit that keeps its size and date is seen (it is
    not cached: no stamp of it could be told from another's)."""
    source, out = tmp_path / "fut", tmp_path / "m.json"
    source.mkdir()
    page = source / "soleus.md"

    def write(title: str) -> None:
        page.write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
        os.utime(page, ns=(0, mtime))

    write("Alpha")
    assert page.stat().st_mtime_ns == mtime  # (the file system holds the date)
    for _ in range(2):
        for args in (["validate", str(source)], ["validate", str(page)],
                     ["validate", "--no-cache", str(source)], ["validate", "-j", "2", str(source)]):
            code, stderr = cli_run(*args)
            assert (code, diagnostics(stderr)) == (0, []), stderr
        assert convert(source, out)[0] == 0
        assert convert(page, tmp_path / "deck.apkg", "anki")[0] == 0
    write("Bravo")
    assert convert(source, out)[0] == 0
    assert [m.title for m in converter.read(out)] == ["Bravo"]


