"""The README's examples run as written: its Python blocks, its `muscle-convert convert`
lines and its SQLite queries."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, WAIT


def python_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, re.DOTALL)


def convert_examples() -> list[str]:
    """The ``muscle-convert convert`` lines of the README's ```sh blocks, continuation
    lines joined, and the commands its ```python blocks' comments give as what a call
    does (``# as muscle-convert convert ...``), in order (the synopsis, with its
    ``SRC...``, left out)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for kind, block in re.findall(r"```(sh|python)\n(.*?)```", readme, re.DOTALL):
        if kind == "python":
            lines += [found.strip() for found in re.findall(
                r"#[^\n]*?\b(muscle-convert convert [^\n]*)", block)]
            continue
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("muscle-convert convert ") and "SRC..." not in line:
                lines.append(line)
    return lines


def run_block(block: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    shutil.copytree(SAMPLES, folder / "samples")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_every_python_example_runs(index: int, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    namespace = run_block(python_blocks()[index], tmp_path, monkeypatch)
    assert len(namespace["muscles"]) == len(list(SAMPLES.glob("*.md")))


def test_the_api_example_does_what_its_comments_say(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    block = next(b for b in python_blocks() if "hip" in b)
    namespace = run_block(block, tmp_path, monkeypatch)
    assert "gluteus-medius" in namespace["hip"]
    assert (tmp_path / "out" / "muscles.json").stat().st_size > 0
    assert "collection.anki2" in zipfile.ZipFile(tmp_path / "out" / "deck.apkg").namelist()
    assert capsys.readouterr().out.startswith("('da', '")


def test_the_duckdb_example_does_what_its_comments_say(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    block = next(b for b in python_blocks() if "duckdb" in b)
    namespace = run_block(block, tmp_path, monkeypatch)  # (loads no extension from the net)
    shown = capsys.readouterr().out
    assert "Bicepscurl med stang; Hammercurl med håndvægte; Chin-ups" in shown
    points = sum(len(r.points) for m in namespace["muscles"] for r in m.regions)
    assert re.search(rf"│ *{points} │", shown)  # sqlite_scan counted every point
    assert "x_value" in shown


def hugo_site(root: Path) -> None:
    """The Hugo site of the --exclude and config examples: ``content/`` holds a README.md
    for its editors and ``muscles/``, the samples and a section page, ``_index.md``."""
    hugo = root / "content"
    shutil.copytree(SAMPLES, hugo / "muscles")
    (hugo / "README.md").write_text("# For the site's editors\n", encoding="utf-8")
    (hugo / "muscles" / "_index.md").write_text("---\ntitle: Muscles\n---\n",
                                                encoding="utf-8")


def shell_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose ``muscle-convert`` runs this tree, with a cache of its own."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "muscle-convert"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m converter "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT), "MUSCLE_CONVERT_CACHE_DIR": str(tmp_path / "cache")}


def test_the_config_example_does_what_its_comments_say(tmp_path: Path) -> None:
    """The config section's muscle-convert.toml, at the root of the Hugo site, and its
    commands, each run from the root: they exit 0, the deck is built at the root, named
    as the file says, and --to and -o on the command line win."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Config file: muscle-convert.toml", 1)[1].split("\n### ", 1)[0]
    site = tmp_path / "site"
    hugo_site(site)
    (site / "muscle-convert.toml").write_text(
        re.search(r"```toml\n(.*?)```", section, re.DOTALL)[1], encoding="utf-8")
    env = shell_env(tmp_path)
    for line in re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1].splitlines():
        done = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=site, env=env,
                              capture_output=True, text=True, timeout=WAIT)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "Traceback" not in done.stderr and " error: " not in done.stderr, line
    with zipfile.ZipFile(site / "build" / "muskler.apkg") as deck, sqlite3.connect(
            ":memory:") as db:
        (tmp_path / "col.sqlite").write_bytes(deck.read("collection.anki2"))
        db.execute(f"ATTACH '{tmp_path / 'col.sqlite'}' AS col")
        assert "Muskler" in db.execute("SELECT decks FROM col.col").fetchone()[0]
    site_json = (site / "build" / "site.json").read_text(encoding="utf-8")
    assert site_json.count('"slug"') == len(list(SAMPLES.glob("*.md")))


def test_every_convert_example_runs(tmp_path: Path) -> None:
    """Each ``muscle-convert convert`` example of the README, run by the shell in order in
    a folder holding a copy of the samples, exits 0 (pipes included: pipefail)."""
    examples = convert_examples()
    assert len(examples) >= 15
    shutil.copytree(SAMPLES, tmp_path / "samples")
    hugo_site(tmp_path)
    env = shell_env(tmp_path)
    for example in examples:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", example], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=WAIT)
        assert done.returncode == 0, f"{example}\n{done.stderr}"
        assert "Traceback" not in done.stderr and " error: " not in done.stderr, example
    with sqlite3.connect(tmp_path / "muscles.db") as db:  # the README's two queries
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        queries = re.findall(r'^sqlite3 muscles\.db "(.*?)"', readme, re.DOTALL | re.MULTILINE)
        assert [sorted({row[0] for row in db.execute(q)}) for q in queries] == [
            ["latissimus-dorsi", "rectus-femoris"], ["gastrocnemius", "soleus"]]
    for made in ("out/muscles.json", "regenerated/soleus.md", "muscles.db",
                 "out/package/datapackage.json", "out/md/soleus.md", "out/from-sheet.json",
                 "build/map/map.svg", "build/site/index.html", "back.json", "out/site.json"):
        assert (tmp_path / made).stat().st_size > 0, made


#: Hyphenated string literals of the source that are not diagnostic codes.
NOT_CODES = {"a-z", "base-image", "cache-dir", "data-slug", "front-matter", "lang-fallback",
             "muscle-convert", "map-title", "muscle-focus", "muscle-lift", "muscle-map",
             "muscles-heading", "tabular-data-package", "tabular-data-resource", "utf-8",
             "utf-8-sig", "utf-32", "x-formula-prefix", "xml-stylesheet", "clip-path", "data-lift",
             # (the class of the page's image map's box)
             "image-map",
             # (what an SVG animation may change and leave every point where it is drawn)
             "fill-opacity", "stroke-opacity", "stroke-width", "stroke-dasharray",
             "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
             # (whether an SVG polygon takes clicks)
             "pointer-events",
             # (what skips what an SVG element holds)
             "content-visibility",
             # (what a gradient's stop paints with)
             "stop-color", "stop-opacity",
             # (what a style sheet may draw a pattern's content with, or where)
             "marker-start", "marker-mid", "marker-end", "offset-path",
             # (a library whose version is part of the cache's keys)
             "python-frontmatter",
             # (what a plugin writer of standard output's temporary folder is named after)
             "muscle-convert-stdout"}


def test_the_code_table_names_every_diagnostic_code_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("#### Diagnostic codes", 1)[1].split("\n#", 1)[0]
    rows = [line.split("|")[2] for line in table.splitlines() if line.startswith("| ")][1:]
    listed = {code for row in rows
              for code in re.findall(r"`([a-z][a-z0-9-]*)`", re.sub(r"\([^)]*\)", "", row))}
    source = "\n".join(p.read_text(encoding="utf-8") for folder in ("converter", "formats")
                       for p in sorted((ROOT / folder).rglob("*.py")))
    literals = set(re.findall(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"', source))
    emitted = {s for s in literals if "-" in s} - NOT_CODES
    assert sorted(emitted - listed) == []  # a code the table does not name
    assert sorted(listed - literals) == []  # a code the source never emits


@pytest.mark.parametrize(("uid", "sudo"), [("0", ""), ("1000", "sudo ")])
def test_make_lint_runs_ruff_and_system_deps_asks_apt_as_root(uid: str, sudo: str,
                                                               tmp_path: Path) -> None:
    """``lint`` was a phony target with no recipe (make said "Nothing to be done"), and
    ``system-deps`` ran apt-get bare, which fails where ``make`` is not run by root."""
    dry = subprocess.run(["make", "-n", "lint"], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert "ruff check converter formats tests bench" in dry.stdout
    fake = tmp_path / "id"  # (an id that tells make which user runs it)
    fake.write_text(f"#!/bin/sh\necho {uid}\n", encoding="utf-8")
    fake.chmod(0o755)
    empty = tmp_path / "bin"  # (no test client found: every apt line is printed)
    empty.mkdir()
    env = {**os.environ, "PATH": f"{tmp_path}:{empty}:/usr/bin:/bin"}
    steps = " ".join(subprocess.run(["make", "-n", "-B", "system-deps"], cwd=ROOT, env=env,
                                    capture_output=True, text=True, check=True).stdout.split())
    assert f"{sudo}apt-get update -qq && {sudo}env DEBIAN_FRONTEND" in steps


def test_the_format_example_works_as_a_plugin(tmp_path: Path) -> None:
    """The README's format in full (Adding a format), installed as pip would, with
    the entry point it names: ``formats`` shows its description, ``convert`` writes
    the samples' slugs and titles, which read back as they were, and a line without a
    tab is that line's missing-field error, the file's other muscles read."""
    block = next(b for b in python_blocks() if "class TitlesFormat" in b)
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "titles_format.py").write_text(block, encoding="utf-8")
    dist = plugin / "titles_format-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: titles-format\n"
                                   "Version: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\ntitles = titles_format:TitlesFormat\n", encoding="utf-8")
    shutil.copytree(SAMPLES, tmp_path / "samples")
    env = {**os.environ, "PYTHONPATH": f"{plugin}{os.pathsep}{ROOT}"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "converter", *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, check=False,
                              timeout=WAIT)

    shown = cli("formats")
    assert shown.returncode == 0, shown.stderr
    assert "titles    slug, tab, title: one muscle a line" in shown.stdout.splitlines()
    made = cli("convert", "samples", "--to", "titles", "-o", "m.titles", "--no-cache")
    assert made.returncode == 0, made.stderr
    import converter

    written = (tmp_path / "m.titles").read_text(encoding="utf-8")
    muscles = sorted(converter.read(SAMPLES), key=lambda m: m.slug)
    assert written == "".join(f"{m.slug}\t{m.title}\n" for m in muscles)
    (tmp_path / "m.titles").write_text(written + "stray\n", encoding="utf-8")
    back = cli("convert", "m.titles", "--to", "json", "-o", "back.json", "--no-cache")
    assert back.returncode == 1
    assert [line for line in back.stderr.splitlines() if ": error: " in line] == [
        f"m.titles:{len(muscles) + 1}:1: error: title: a line is a slug, a tab and a title "
        "[missing-field]"]
    import json

    read = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))["muscles"]
    assert [(m["slug"], m["title"]) for m in read] == [(m.slug, m.title) for m in muscles]
