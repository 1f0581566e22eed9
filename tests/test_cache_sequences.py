"""Sequences of incremental runs: after every edit, deletion, rename, option changed and
changed back, error that comes or goes, a cached run gives what a fresh run gives.

tests/test_cache.py holds one edit between two runs to a fresh run; here a run is
patched on top of a patch, the corpus lint's ledger (converter/relint.py) is brought up
to date again and again, and a key's last run may be many edits old."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

import converter
import converter.cache
import converter.run
from converter.registry import get_format
from converter.run import RunResult, convert_sources, validate_sources
from tests.conftest import SEED, WAIT
from tests.test_cache import GEN_CORPUS, _same_summary

#: Generated files (plus the seed): runs in chunks of a few files span several, up to
#: more than a patch reads again (converter.run.PATCH_CHUNKS).
COUNT = 30
CHUNKS = (4, 6, 16)
#: Deletions stop at this many files; at most this many files clash with another's slug.
FEWEST = 22
CLASHES = 2
TARGETS = ("validate", "json", "jsonl", "sqlite")
#: Each step ends in cached runs (validate, and a target), with one worker or two.
STEP = {"to": st.sampled_from(TARGETS), "jobs": st.sampled_from((1, 1, 2)),
        "aged": st.booleans()}
PICK = st.integers(0, 1 << 16)
SPELLINGS = st.sampled_from(("Squat", "squat", "SQUAT", "Sq uat", "Lunge", "lunge"))
SEQUENCES = settings(max_examples=12, stateful_step_count=25, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

_BLOCK = r"(?m)^{}:.*\n(?:[ \t]+.*\n)*"
_LIST = re.compile(r"(?m)^exercises:[ \t]*(?:\[\][ \t]*)?\n")


def step(**strategies: Any) -> Callable[[Callable[..., None]], Any]:
    """A rule that edits the corpus, then runs (see :meth:`Runs.check`)."""

    def wrap(edit: Callable[..., None]) -> Any:
        def ruled(self: Runs, to: str, jobs: int, aged: bool, **kw: Any) -> None:
            edit(self, **kw)
            self.check(to, jobs, aged)

        ruled.__name__ = edit.__name__
        return rule(**STEP, **strategies)(ruled)

    return wrap


class Runs(RuleBasedStateMachine):
    """A small corpus edited between runs; every run is held to a fresh one."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="sequences-"))
        self.corpus = self.root / "corpus"
        shutil.copytree(self.template, self.corpus)
        for side in ("cached", "fresh"):
            (self.root / side).mkdir()
        self.cache = self.root / "cache"
        self.clock = int(os.stat(self.corpus).st_mtime) - 7200
        self.age(*self.files())
        self.touched: list[Path] = []
        self.broken: dict[str, str] = {}  # name -> its text before it broke
        self.deleted: list[tuple[str, str]] = []  # (name, text)
        self.serial = 0
        self.default_lang, self.exclude, self.prune = "en", (), False
        self.drafts = False  # (convert's: validate checks drafts as any file)

    @initialize(chunk=st.sampled_from(CHUNKS))
    def chunks(self, chunk: int) -> None:
        """Runs recorded in chunks of ``chunk`` inputs (the test restores the size)."""
        converter.cache.RUN_CHUNK = converter.run.RUN_CHUNK = chunk

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # ---- the corpus --------------------------------------------------------------

    def files(self) -> list[Path]:
        """The corpus's files, page bundles' too (not the symlinks to nothing)."""
        return sorted(p for p in self.corpus.rglob("*.md") if not p.is_symlink())

    def name(self, path: Path) -> str:
        """A file's path in the corpus."""
        return str(path.relative_to(self.corpus))

    @staticmethod
    def slug(path: Path) -> str:
        return path.parent.name if path.name == "index.md" else path.stem

    def sources(self) -> list[Path]:
        """The files but those made to clash."""
        return [p for p in self.files() if not p.name.startswith("clash-")]

    def pick(self, i: int, among: list[Path] | None = None) -> Path:
        files = self.files() if among is None else among
        return files[i % len(files)]

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def age(self, *paths: Path) -> None:
        """An mtime in the past, a second later than the last one given."""
        for path in paths:
            self.clock += 1
            os.utime(path, (self.clock, self.clock))

    @staticmethod
    def text(path: Path) -> str:
        return path.read_text(encoding="utf-8", errors="replace")

    def write(self, path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        self.touched.append(path)

    def sub(self, path: Path, pattern: str | re.Pattern[str], new: str) -> None:
        """Replace the first match of ``pattern`` (nothing when there is none)."""
        text = self.text(path)
        changed = re.sub(pattern, lambda _: new, text, count=1)
        if changed != text:
            self.write(path, changed)

    # ---- runs --------------------------------------------------------------------

    def run(self, to: str, out: Path | None, cache: Path | None, jobs: int = 1
            ) -> RunResult:
        common = {"default_lang": self.default_lang, "exclude": self.exclude, "jobs": jobs,
                  "cache_dir": cache}
        if to == "validate":
            return validate_sources([self.corpus], **common)
        options = {"prune": True} if to == "sqlite" and self.prune else {}
        assert out is not None
        return convert_sources([self.corpus], get_format(to), out, options=options,
                               drafts=self.drafts, **common)

    def check(self, to: str, jobs: int, aged: bool) -> None:
        """``validate``, then a run to ``to``: each cached run gives what a fresh run
        gives."""
        if aged:
            self.age(*(p for p in dict.fromkeys(self.touched) if p.exists()))
        self.touched = []
        self.same_as_fresh("validate", jobs)
        if to != "validate":
            self.same_as_fresh(to, jobs)

    def same_as_fresh(self, to: str, jobs: int) -> None:
        """A cached run gives the diagnostics, counts, summary and output of a fresh one
        (SQLite: of a fresh run upserting into a database kept beside it)."""
        name = {"sqlite": "m.db", "validate": ""}.get(to, f"m.{to}")
        out = self.root / "cached" / name if name else None
        fresh = (self.root / ("cached" if to == "sqlite" else "fresh") /
                 ("upserted.db" if to == "sqlite" else name)) if name else None
        got = self.run(to, out, self.cache, jobs)
        expected = self.run(to, fresh, None)
        assert list(got.diagnostics) == list(expected.diagnostics)
        assert (got.count, got.failed, got.errors) == (
            expected.count, expected.failed, expected.errors)
        if out is None or fresh is None:
            return
        if not got.replayed:
            assert _same_summary(got.summary, expected.summary, out, fresh)
        if to == "sqlite":
            assert converter.read(out, drafts=True) == converter.read(fresh, drafts=True)
            with sqlite3.connect(out) as db:
                assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        else:
            assert out.read_bytes() == fresh.read_bytes()

    # ---- edits -------------------------------------------------------------------

    @step()
    def nothing(self) -> None:
        """No edit: the run is replayed, or patched over files edited moments ago."""

    @step(i=PICK)
    def body(self, i: int) -> None:
        path = self.pick(i)
        self.write(path, self.text(path) + f"\nNy sætning {self.next()}.\n")

    @step(i=PICK)
    def touch(self, i: int) -> None:
        """A new mtime, the same bytes: hashed, not parsed."""
        path = self.pick(i)
        os.utime(path)
        self.touched.append(path)

    @step(i=PICK, key=st.sampled_from(("origin", "insertion", "function")))
    def new_text(self, i: int, key: str) -> None:
        """A compared text changed to one no other file has."""
        n = self.next()
        new = {"origin": f"origin:\n  da: Et helt nyt udspring, nummer {n}.\n",
               "insertion": f"insertion:\n  da: Et helt nyt tilhæftningssted, nummer {n}.\n",
               "function": f"function:\n  - short: Bøjer.\n    extended: En ny og længere "
                           f"forklaring, nummer {n}.\n"}[key]
        self.sub(self.pick(i), _BLOCK.format(key), new)

    @step(i=PICK, j=PICK, key=st.sampled_from(("origin", "insertion", "function")))
    def copy_text(self, i: int, j: int, key: str) -> None:
        """Another file's text: duplicate-text appears (and where it was, goes)."""
        found = re.search(_BLOCK.format(key), self.text(self.pick(j)))
        if found:
            self.sub(self.pick(i), _BLOCK.format(key), found.group())

    @step(i=PICK, j=PICK, many=st.integers(2, 13),
          key=st.sampled_from(("origin", "insertion", "function")))
    def spread_text(self, i: int, j: int, many: int, key: str) -> None:
        """One text in many files: past ten repeats, the first file's warning sums up."""
        found = re.search(_BLOCK.format(key), self.text(self.pick(j)))
        files = self.files()
        for k in range(i, i + many) if found else ():
            self.sub(files[k % len(files)], _BLOCK.format(key), found.group())

    @step(i=PICK)
    def twin_text(self, i: int) -> None:
        """A muscle whose insertion is its origin: no duplicate of another muscle."""
        path = self.pick(i)
        found = re.search(_BLOCK.format("origin"), self.text(path))
        if found:
            self.sub(path, _BLOCK.format("insertion"), found.group().replace(
                "origin:", "insertion:", 1))

    @step(i=PICK, key=st.sampled_from(("origin", "insertion")))
    def drop_text(self, i: int, key: str) -> None:
        self.sub(self.pick(i), _BLOCK.format(key), "")

    @step(i=PICK)
    def plain_text(self, i: int) -> None:
        """A plain string: in the --default-lang."""
        self.sub(self.pick(i), _BLOCK.format("origin"),
                 f"origin: Et udspring på standardsproget, nummer {self.next()}.\n")

    @step(i=PICK, lang=st.sampled_from(("fo", "is")))
    def add_language(self, i: int, lang: str) -> None:
        """A language no other file has: every file's missing languages change."""
        self.sub(self.pick(i), r"(?m)^origin:[ \t]*\n",
                 f"origin:\n  {lang}: Eitt nýtt upphav, nummar {self.next()}.\n")

    @precondition(lambda self: any(re.search(r"(?m)^  (fo|is): ", self.text(p))
                                   for p in self.files()))
    @step(i=PICK)
    def remove_language(self, i: int) -> None:
        having = [p for p in self.files() if re.search(r"(?m)^  (fo|is): ", self.text(p))]
        self.sub(self.pick(i, having), r"(?m)^  (fo|is): .*\n", "")

    @step(i=PICK, down=st.booleans())
    def shift(self, i: int, down: bool) -> None:
        """A comment under the opening ``---`` moves every field a line (or back up)."""
        if down:
            self.sub(self.pick(i), r"\A---\n", "---\n# a comment moves the fields down\n")
        else:
            self.sub(self.pick(i), r"(?m)^# a comment moves the fields down\n", "")

    @step(i=PICK, spelling=SPELLINGS, last=st.booleans())
    def exercise(self, i: int, spelling: str, last: bool) -> None:
        """An exercise first or last in the list: spellings that differ only by case
        meet."""
        path = self.pick(i)
        found = re.search(r"(?m)^exercises:[ \t]*\n(?:  - .*\n)*",
                          self.text(path))
        if last and found:
            self.sub(path, re.escape(found.group()), f"{found.group()}  - {spelling}\n")
        else:
            self.sub(path, _LIST, f"exercises:\n  - {spelling}\n")

    @step(i=PICK)
    def drop_exercise(self, i: int) -> None:
        self.sub(self.pick(i), r"(?m)^(exercises:[ \t]*\n)  - .*\n", "")

    @step(i=PICK, how=st.sampled_from(("yaml", "coords", "negative", "empty", "latin-1")))
    def break_file(self, i: int, how: str) -> None:
        path = self.pick(i)
        text = self.text(path)
        self.broken.setdefault(self.name(path), text)
        if how == "yaml":
            self.write(path, "---\ntitle: [\n---\n")
        elif how == "empty":
            self.write(path, "")
        elif how == "latin-1":
            path.write_bytes(text.encode("latin-1", errors="replace"))
            self.touched.append(path)
        elif how == "coords":
            self.sub(path, _BLOCK.format("coords"), 'coords:\n  - "1,2,x"\n')
        else:
            self.sub(path, _BLOCK.format("coords"), 'coords:\n  - "10,10,-20,10,20,30"\n')

    @precondition(lambda self: self.broken)
    @step(i=PICK)
    def fix_file(self, i: int) -> None:
        name = sorted(self.broken)[i % len(self.broken)]
        path = self.corpus / name
        path.parent.mkdir(exist_ok=True)
        self.write(path, self.broken.pop(name))

    @precondition(lambda self: len(self.files()) > FEWEST)
    @step(i=PICK)
    def delete(self, i: int) -> None:
        path = self.pick(i, self.sources())
        self.deleted.append((self.name(path), self.text(path)))
        path.unlink()

    @precondition(lambda self: self.deleted)
    @step(i=PICK)
    def add_back(self, i: int) -> None:
        name, text = self.deleted.pop(i % len(self.deleted))
        (self.corpus / name).parent.mkdir(exist_ok=True)
        self.write(self.corpus / name, text)

    @step(i=PICK, prefix=st.sampled_from(("a", "m", "zz")))
    def rename(self, i: int, prefix: str) -> None:
        """Another name, so another slug (and another place among the files)."""
        path = self.pick(i, self.sources())
        stem = re.sub(r"^(a|m|zz)\d+-", "", self.slug(path))
        self.move(path, self.corpus / f"{prefix}{self.next()}-{stem}.md")

    @step(i=PICK, bundle=st.booleans())
    def move_keeping_slug(self, i: int, bundle: bool) -> None:
        """Another path, the same slug: a page bundle's folder gives it (soleus.md ->
        soleus/index.md, and back), or a slug: key does."""
        path = self.pick(i, self.sources())
        if path.name == "index.md":
            self.move(path, self.corpus / f"{path.parent.name}.md")
        elif bundle:
            self.move(path, self.corpus / path.stem / "index.md")
        else:
            text = self.text(path)
            if text.startswith("---\n") and "\nslug:" not in text:
                self.write(path, f"---\nslug: {path.stem}\n{text[4:]}")
                self.move(path, self.corpus / f"zz{self.next()}-{path.stem}.md")

    def move(self, path: Path, new: Path) -> None:
        """Rename a file (its folder with it, for a bundle's page)."""
        new.parent.mkdir(exist_ok=True)
        path.rename(new)
        if path.name == "index.md":
            path.parent.rmdir()
        if self.name(path) in self.broken:
            self.broken[self.name(new)] = self.broken.pop(self.name(path))
        self.touched = [new if p == path else p for p in self.touched]

    @step(n=st.integers(0, 2))
    def dangle(self, n: int) -> None:
        """A symlink to nothing appears (unreadable), or goes."""
        link = self.corpus / f"dangling-{n}.md"
        if link.is_symlink():
            link.unlink()
        else:
            link.symlink_to(self.root / "nowhere.md")

    @precondition(lambda self: len(list(self.corpus.glob("clash-*.md"))) < CLASHES)
    @step(i=PICK)
    def clash(self, i: int) -> None:
        """A file whose slug: key is another file's slug (duplicate-slug)."""
        path = self.pick(i, self.sources())
        self.write(self.corpus / f"clash-{self.next()}.md",
                   f"---\nslug: {self.slug(path)}\ntitle: Clash\n---\n")

    @precondition(lambda self: any(self.corpus.glob("clash-*.md")))
    @step(i=PICK)
    def unclash(self, i: int) -> None:
        self.pick(i, sorted(self.corpus.glob("clash-*.md"))).unlink()

    @step(i=PICK, marker=st.sampled_from(("draft: true", "published: false",
                                          "draft: false")))
    def draft(self, i: int, marker: str) -> None:
        """A file becomes a draft (or says it is none), or its marker goes: a draft is
        left out of a conversion without ``drafts``, and takes no slug there."""
        path = self.pick(i)
        if re.search(r"(?m)^(draft|published): ", self.text(path)):
            self.sub(path, r"(?m)^(draft|published): .*\n", "")
        else:
            self.sub(path, r"\A---\n", f"---\n{marker}\n")

    @step(lang=st.sampled_from(("en", "da")),
          exclude=st.sampled_from(((), ("a*.md",), ("*-longus.md",), ("clash-*.md",))),
          prune=st.booleans(), drafts=st.booleans())
    def options(self, lang: str, exclude: tuple[str, ...], prune: bool, drafts: bool
                ) -> None:
        """Options between runs: each set has a last run of its own in the cache."""
        self.default_lang, self.exclude, self.prune = lang, exclude, prune
        self.drafts = drafts


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "corpus"
    subprocess.run([sys.executable, str(GEN_CORPUS), str(root), "--count", str(COUNT),
                    "--seed", "5"], check=True, capture_output=True, timeout=WAIT)
    shutil.copy(SEED, root / "seed-gluteus-medius.md")
    return root


def test_a_sequence_of_cached_runs_gives_what_fresh_runs_give(
        template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (converter.cache, converter.run):
        monkeypatch.setattr(module, "RUN_CHUNK", module.RUN_CHUNK)  # (set by the machine)
    monkeypatch.setattr(Runs, "template", template, raising=False)
    run_state_machine_as_test(Runs, settings=SEQUENCES)
