"""The registry finds formats through entry points, including a third party's."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from converter import entrypoints, registry
from converter.model import ALL_FIELDS
from tests.conftest import SAMPLES, START_METHODS, WAIT, installed_folder
from tests.faulty import errors_said, faulty_cli, faulty_installed, plugin_cli


def _package(folder: Path, name: str, module: str, source: str, entry: str) -> None:
    """Write a one-module format package into ``folder`` as pip installs it: the module
    ``module`` with ``source``, and the entry point ``name = entry``."""
    (folder / f"{module}.py").write_text(source, encoding="utf-8")
    dist = folder / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[muscle_convert.formats]\n{name} = {entry}\n")


def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, module: str,
               source: str, entry: str) -> Iterator[None]:
    """Install a one-module format package the way pip would: the module ``module``
    with ``source``, and the entry point ``name = entry``; uninstalled after."""
    _package(tmp_path, name, module, source, entry)
    for _ in installed_folder(tmp_path, monkeypatch, module):
        yield


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's format: one title per line."""
    yield from _installed(tmp_path, monkeypatch, "titles", "titles_format",
                          "from converter.registry import Format\n"
                          "class TitlesFormat(Format):\n"
                          "    name = 'titles'\n"
                          "    description = 'one title per line'\n"
                          "    extensions = ('.titles',)\n"
                          "    carries = frozenset({'slug', 'title'})\n"
                          "    def write(self, muscles, out, ctx):\n"
                          "        out.write_text(''.join(m.title + '\\n' for m in muscles))\n",
                          "titles_format:TitlesFormat")


#: The names the registry gives (the Format API a third party's format imports from
#: ``converter.registry``), by the module of their concern that makes each.
_REGISTRY_NAMES = {
    "formatbase": ["Format", "FormatOption", "Place"],
    "contexts": ["MAX_BYTES", "ReadContext", "Source", "WriteContext", "read_at_most"],
    "spellings": ["COMMAND_LINE", "CONFIG_FILE", "FMT_COMMAND", "PYTHON_API", "Spelling",
                  "spell", "spelled", "spelling", "start_thread"],
    "writerrun": ["Watched", "WriterFailed", "failure", "made_record", "run_writer",
                  "writer_failed"],
    "entrypoints": ["ENTRY_POINT_GROUP", "OWN_DISTRIBUTION", "all_formats", "built_in",
                    "format_names", "get_format", "not_loaded", "ranked", "unknown_format"],
    "codefiles": ["code_files", "module_files"],
    "formatpaths": ["detect_format", "endings_of", "output_mistake"],
    "diagnostics": ["Diagnostic", "MuscleError", "Severity"],
    "model": ["ALL_FIELDS", "Muscle"],
}


def test_every_name_of_the_registry_is_the_one_its_own_module_makes() -> None:
    """The registry was one module of every concern (1,178 lines); each is a module of
    its own now, and every name ``from converter.registry import`` gave is still given:
    the very object of the module that makes it, so a plugin's Format is the core's."""
    import importlib

    for module, names in _REGISTRY_NAMES.items():
        own = importlib.import_module(f"converter.{module}")
        for name in names:
            assert getattr(registry, name) is getattr(own, name), (module, name)
    assert sorted(registry.__all__) == sorted(
        name for names in _REGISTRY_NAMES.values() for name in names)


def test_third_party_format_plugs_in(plugin, tmp_path: Path, sample_muscles) -> None:
    import converter

    fmt = registry.get_format("titles")
    assert fmt.can_write and not fmt.can_read and not fmt.lossless
    assert registry.detect_format(tmp_path / "x.titles", for_reading=False) is fmt
    converter.write(sample_muscles, tmp_path / "all.titles")
    assert (tmp_path / "all.titles").read_text().splitlines() == [m.title for m in
                                                                  sample_muscles]


def test_project_resets_uncarried_fields(sample_muscles) -> None:
    muscle = sample_muscles[0]
    assert muscle.project(ALL_FIELDS) == muscle
    slim = muscle.project(frozenset({"slug", "title"}))
    assert (slim.slug, slim.title, slim.origin, slim.regions) == (muscle.slug, muscle.title,
                                                                  {}, ())


@pytest.fixture
def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A format package whose module fails to import (a library it needs is missing)."""
    yield from _installed(tmp_path, monkeypatch, "broken", "broken_format",
                          "raise ImportError('needs libfoo')\n", "broken_format:BrokenFormat")


def test_a_plugin_that_does_not_load_is_named_never_a_traceback(broken_plugin,
                                                                tmp_path: Path,
                                                                sample_muscles) -> None:
    """A plugin that fails to import is a usage error when named, a warning otherwise;
    `formats` said the warning but exited 0, as if all were well: it exits 1 now, every
    format that loads listed."""
    import subprocess

    import converter

    message = "the broken format could not be loaded: ImportError: needs libfoo"
    with pytest.raises(converter.MuscleError, match=f"{message} \\[format-not-loaded\\]"):
        converter.write(sample_muscles, tmp_path / "x.broken", "broken")
    with pytest.raises(converter.MuscleError, match="format-not-loaded"):
        converter.read(tmp_path, "broken")
    with pytest.warns(UserWarning, match=message):
        assert "broken" not in [f.name for f in registry.all_formats()]
    env = {**__import__("os").environ, "PYTHONPATH": f"{tmp_path}:{Path.cwd()}"}
    for command in (["convert", "samples", "--to", "broken", "-o", str(tmp_path / "x")],
                    ["validate", "samples", "--from", "broken"], ["formats"]):
        result = subprocess.run([sys.executable, "-m", "converter", *command], env=env,
                                capture_output=True, text=True, check=False, timeout=WAIT)
        assert "Traceback" not in result.stderr
        assert message in result.stderr
        assert result.returncode == (1 if command == ["formats"] else 2), result.stderr
    assert [line for line in result.stderr.splitlines() if "broken" in line] == [
        f"muscle-convert: warning: {message}"]
    table = result.stdout.partition("\n\n")[0]  # (each format's description after)
    assert {line.split()[0] for line in table.splitlines()[1:]} >= {
        "anki", "csv", "html", "json", "jsonl", "markdown", "sqlite", "svg"}


def test_an_edited_writer_plugin_misses_the_cache(plugin, tmp_path: Path) -> None:
    """A cached run replayed the output of the writer's old code as 'up to date' (the
    run's key held the code of the formats read, not of the one written)."""
    from converter.run import convert_sources
    from tests.conftest import SAMPLES

    out, cache = tmp_path / "all.titles", tmp_path / "cache"

    def run() -> bool:
        entrypoints._loaded.cache_clear()
        sys.modules.pop("titles_format", None)
        return convert_sources([SAMPLES], registry.get_format("titles"), out, jobs=1,
                               cache_dir=cache).replayed

    assert not run()
    assert run()  # (nothing changed)
    module = tmp_path / "titles_format.py"
    module.write_text(module.read_text().replace("m.title + ", "m.title.upper() + "))
    assert not run()
    assert out.read_text().splitlines()[0].isupper()


@pytest.fixture
def lines_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's reader, one muscle per ``slug|title|image`` line, that checks
    nothing (and fails on a line without ``|``), and a line ``text`` that gives a str;
    ``short`` gives a muscle with exercises as one str."""
    (tmp_path / "plugin").mkdir()
    yield from _installed(
        tmp_path / "plugin", monkeypatch, "lines", "lines_format",
        "from converter.model import Muscle\n"
        "from converter.registry import Format\n"
        "class LinesFormat(Format):\n"
        "    name = 'lines'\n"
        "    extensions = ('.lines',)\n"
        "    def read(self, path, ctx):\n"
        "        for line in path.read_text().splitlines():\n"
        "            if line == 'text':\n"
        "                yield line\n"
        "                continue\n"
        "            if line == 'short':\n"
        "                yield Muscle(slug='short', title='Short', exercises='squat')\n"
        "                continue\n"
        "            slug, title, image = line.split('|')\n"
        "            yield Muscle(slug=slug, title=title, image=image or None)\n",
        "lines_format:LinesFormat")


def test_a_third_party_readers_muscles_are_checked_as_read_ones_are(
        lines_plugin, tmp_path: Path) -> None:
    """Muscles of a reader that does not declare ``validates`` reached the writers
    unchecked: a slug ``../escape`` became a file name and a link, a ``javascript:``
    image a link; a str or a misshapen muscle and the reader's own exception were
    tracebacks. Each is now its file's error, and the other files are converted."""
    import json
    import subprocess

    site = tmp_path / "site"
    site.mkdir()
    (site / "a.lines").write_text("../escape|Escape|\nsoleus|Soleus|\n"
                                  "biceps|Biceps|javascript:alert(1)\n", encoding="utf-8")
    (site / "b.lines").write_text("gastrocnemius|Gastrocnemius|\nno bars here\n",
                                  encoding="utf-8")
    (site / "c.lines").write_text("text\n", encoding="utf-8")
    (site / "d.lines").write_text("short\n", encoding="utf-8")
    (site / "e.lines").write_text("tibialis|Tibialis anterior|\n", encoding="utf-8")
    out = tmp_path / "out.json"
    env = {**__import__("os").environ,
           "PYTHONPATH": f"{tmp_path / 'plugin'}:{Path.cwd()}"}
    result = subprocess.run([sys.executable, "-m", "converter", "convert", str(site),
                             "--from", "lines", "--to", "json", "-o", str(out), "--no-cache"],
                            env=env, capture_output=True, text=True, check=False, timeout=WAIT)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    errors = sorted(line.replace(str(site) + "/", "") for line in result.stderr.splitlines()
                    if ": error: " in line)
    assert errors == [
        "a.lines: error: muscles[../escape].slug: '../escape' is not a slug (lowercase "
        "letters, digits and single hyphens) [bad-slug]",
        "a.lines: error: muscles[biceps].image: 'javascript:alert(1)' is not a "
        "relative, http or https link [unsafe-link]",
        "b.lines: error: the lines reader failed: ValueError: not enough values to "
        "unpack (expected 3, got 1) [reader-failed]",
        "c.lines: error: the lines reader gave a str, not a Muscle [reader-failed]",
        "d.lines: error: the lines reader gave muscle 'short' whose exercises is str, "
        "not tuple [reader-failed]",
    ]
    assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == [
        "soleus", "tibialis"]  # (b.lines failed past its first muscle: refused whole)


@pytest.fixture
def faulty_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The :data:`~tests.faulty.FAULTY` formats installed (:func:`faulty_installed`)."""
    yield from faulty_installed(tmp_path, monkeypatch)


def test_a_failing_writer_is_a_writer_failed_error_never_a_traceback(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A third party's write() raising, or its record() raising for one muscle (in a
    worker process too), was a traceback; a write() returning 42 was written, then a
    traceback. Each is now the output's writer-failed error naming the format and what
    it did, exit 1; an output not written is the earlier one."""
    from tests.conftest import SAMPLES

    many = tmp_path / "many"
    many.mkdir()
    for n in range(130):  # (enough to be read in a pool of workers)
        (many / f"m-{n}.md").write_text(f"---\ntitle: Muscle {n}\n---\n", encoding="utf-8")
    out, records = tmp_path / "out.faulty", tmp_path / "out.records"
    for path in (out, records):
        path.write_text("earlier\n")
    runs = [("raise", out, SAMPLES, "the faulty writer failed: RuntimeError: writer boom"),
            ("", records, SAMPLES, "the faulty-records writer failed on muscle "
             "'biceps-brachii': RuntimeError: record boom"),
            ("record-all", records, many, "the faulty-records writer failed on muscle "
             "'m-0': RuntimeError: record boom")]
    for fault, output, source, message in runs:
        to = "faulty" if output == out else "faulty-records"
        status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(source), "--to", to,
                              "-o", str(output), "--no-cache", "-j", "2")
        assert "Traceback" not in stderr
        assert (status, errors_said(stderr)) == (1, [f"{output}: error: {message} "
                                                 "[writer-failed]"]), stderr
        assert output.read_text() == "earlier\n"
    status, stderr = faulty_cli(faulty_plugin, "number", "convert", str(SAMPLES), "--to", "faulty",
                          "-o", str(out), "--no-cache")
    assert "Traceback" not in stderr
    assert (status, errors_said(stderr)) == (1, [
        f"{out}: error: the faulty writer returned int, not a summary (a str or None) "
        "[writer-failed]"]), stderr
    assert len(out.read_text().splitlines()) == len(list(SAMPLES.glob("*.md")))


def test_a_failing_update_is_a_full_write(faulty_plugin: Path, tmp_path: Path) -> None:
    """A plugin's update() raising was a traceback when an input changed since a cached
    run; one returning 42 was that run's summary. The output is now written whole."""
    import shutil

    from tests.conftest import SAMPLES

    source, out = tmp_path / "samples", tmp_path / "out.faulty"
    shutil.copytree(SAMPLES, source)
    convert = ("convert", str(source), "--to", "faulty", "-o", str(out), "--cache-dir",
               str(tmp_path / "cache"))
    assert faulty_cli(faulty_plugin, "", *convert)[0] == 0
    for fault in ("update", "number-from-update"):
        soleus = source / "soleus.md"
        soleus.write_text(soleus.read_text().replace("title: ", "title: X"))
        status, stderr = faulty_cli(faulty_plugin, fault, *convert)
        assert "Traceback" not in stderr
        assert status == 0, stderr
        assert "written; 15 muscles converted" in stderr


def test_what_a_reader_reports_or_returns_that_is_no_diagnostic_or_muscles(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A reader's ctx.report("not a diagnostic") was a traceback (AttributeError: 'str'
    object has no attribute 'line'), and a reader returning "abc" gave one reader-failed
    per character. Each is now one reader-failed error of the file."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.faulty").write_text("soleus\nbiceps\n", encoding="utf-8")
    reported = ["the faulty reader reported str, not a Diagnostic",
                "the faulty reader reported a Diagnostic whose line is '2'"]
    for fault, messages in (("report", reported),
                            ("text", ["the faulty reader returned str, not muscles (an "
                                      "iterable of Muscle)"])):
        status, stderr = faulty_cli(faulty_plugin, fault, "validate", str(site),
                                     "--from", "faulty", "--no-cache")
        assert "Traceback" not in stderr
        assert (status, errors_said(stderr)) == (1, [
            f"{site / 'a.faulty'}: error: {m} [reader-failed]" for m in messages]), stderr


def test_a_misshapen_muscle_of_a_reader_is_named(faulty_plugin: Path, tmp_path: Path
                                                 ) -> None:
    """A reader's muscles of float points were each "the faulty reader gave a muscle
    whose regions[0] is not a Region ...", alike, naming none: each now names its slug
    (and the file, the diagnostic's path)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.faulty").write_text("soleus\nbiceps\n", encoding="utf-8")
    status, stderr = faulty_cli(faulty_plugin, "float", "validate", str(site), "--from", "faulty",
                          "--no-cache")
    assert (status, errors_said(stderr)) == (1, [
        f"{site / 'a.faulty'}: error: the faulty reader gave muscle {slug!r} whose "
        "regions[0] is not a Region of (x, y) points of int or Decimal [reader-failed]"
        for slug in ("soleus", "biceps")]), stderr


@pytest.fixture
def capital_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A format registered under an entry-point name with a capital letter."""
    yield from _installed(tmp_path, monkeypatch, "Yaml", "cap_format",
                          "from converter.registry import Format\n"
                          "class CapFormat(Format):\n"
                          "    name = 'yaml'\n"
                          "    extensions = ('.yaml',)\n"
                          "    def write(self, muscles, out, ctx):\n"
                          "        out.write_text(''.join(m.slug + '\\n' for m in muscles))\n",
                          "cap_format:CapFormat")


def test_an_entry_point_named_in_capitals_is_the_format_of_that_name(
        capital_plugin, tmp_path: Path, sample_muscles) -> None:
    """`Yaml = cap_format:CapFormat` took every command down with a KeyError traceback
    (the names listed kept the capital, the lookup lowercased): it is the yaml format."""
    import converter

    assert "yaml" in registry.format_names()
    assert registry.get_format("YAML").name == "yaml"
    assert "yaml" in [f.name for f in registry.all_formats()]
    assert converter.read("samples")
    converter.write(sample_muscles, tmp_path / "all.yaml")
    assert (tmp_path / "all.yaml").read_text().splitlines() == [m.slug for m in
                                                                sample_muscles]
    for command in (["formats"], ["validate", "samples"], ["convert", "--help"]):
        result = plugin_cli(tmp_path, *command)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, result.stderr
    assert "yaml" in plugin_cli(tmp_path, "formats").stdout


@pytest.fixture
def exiting_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A format package whose module calls ``sys.exit`` when imported."""
    yield from _installed(tmp_path, monkeypatch, "exiting", "exiting_format",
                          "import sys\nsys.exit('needs libfoo')\n",
                          "exiting_format:ExitingFormat")


def test_a_plugin_that_exits_when_imported_is_skipped_with_a_warning(
        exiting_plugin, tmp_path: Path) -> None:
    """A plugin calling sys.exit("needs libfoo") at import took every command down,
    printing only that, exit 1 (SystemExit is no Exception): it is skipped with the
    one-line warning of a plugin that does not load."""
    import re

    import converter

    message = ("the exiting format could not be loaded: it tried to end the program "
               "(SystemExit with status 'needs libfoo')")
    with pytest.warns(UserWarning, match=re.escape(message)):
        assert "exiting" not in [f.name for f in registry.all_formats()]
    with pytest.raises(converter.MuscleError, match="format-not-loaded"):
        converter.read("samples", "exiting")
    for command in (["formats"], ["validate", "samples"], ["convert", "--help"]):
        result = plugin_cli(tmp_path, *command)
        assert result.returncode == (1 if command == ["formats"] else 0), result.stderr
        assert [line for line in result.stderr.splitlines() if "exiting" in line] == [
            f"muscle-convert: warning: {message}"]


def _json_like(cls: str, name: str) -> str:
    """The source of a plugin's format ``name`` (class ``cls``) that claims ``.json``."""
    return ("from converter.registry import Format\n"
            f"class {cls}(Format):\n"
            f"    name = '{name}'\n"
            "    extensions = ('.json',)\n"
            "    def read(self, path, ctx):\n"
            "        return iter(())\n")


@pytest.fixture
def clashing_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two plugins: one registers a format named json, as a built-in format is, the
    other a format ajson that claims the ``.json`` ending as json does."""
    _package(tmp_path, "ajson", "ajson", _json_like("A", "ajson"), "ajson:A")
    yield from _installed(tmp_path, monkeypatch, "json", "dupjson", _json_like("J", "json"),
                          "dupjson:J")


def test_a_plugin_clashing_with_a_format_is_a_warning_and_the_built_in_wins(
        clashing_plugins, tmp_path: Path) -> None:
    """A plugin registered as json made `formats` list json twice, --to json say "json
    cannot be written" and --from json read with the plugin; one claiming .json took
    every .json input (by name, alphabetically), all without a word. The built-in
    format wins both, and each clash is one warning naming both."""
    skipped = "the json format of dupjson is skipped: muscle-convert has a json format already"
    shared = ("the ajson format's ending .json is the json format's too: a .json file is "
              "taken as json (--from or --to ajson names the other)")
    with pytest.warns(UserWarning) as caught:
        names = [f.name for f in registry.all_formats()]
    assert sorted(str(w.message) for w in caught) == [shared, skipped]
    assert names.count("json") == 1 and "ajson" in names
    json = registry.get_format("json")
    assert type(json).__module__ == "formats.json" and json.can_write
    for reading in (True, False):
        assert registry.detect_format(tmp_path / "m.json", for_reading=reading) is json
    result = plugin_cli(tmp_path, "formats")
    assert result.returncode == 0, result.stderr
    table = result.stdout.partition("\n\n")[0]  # (each format's description after)
    assert [line.split()[0] for line in table.splitlines()].count("json") == 1
    assert result.stderr.splitlines() == [f"muscle-convert: warning: {skipped}",
                                          f"muscle-convert: warning: {shared}"]
    out = tmp_path / "out.json"
    result = plugin_cli(tmp_path, "convert", "samples", "--to", "json", "-o", str(out), "-q",
                  "--no-cache")
    assert result.returncode == 0, result.stderr
    result = plugin_cli(tmp_path, "validate", str(out), "-q", "--no-cache")
    assert result.returncode == 0 and "muscles[" not in result.stdout, result.stderr
    assert plugin_cli(tmp_path, "validate", str(tmp_path), "--from", "json", "-q",
                "--no-cache").returncode == 0


def test_a_shared_ending_is_warned_of_as_each_caller_names_formats(
        clashing_plugins) -> None:
    """The warning named the command line's flags (--from or --to ajson) to read()
    and write() too, which take format=; each caller is warned once in its own words,
    the Python API's first here (the formats load in its call), then the command
    line's."""
    import converter

    shared = ("the ajson format's ending .json is the json format's too: a .json file is "
              "taken as json ({} names the other)")
    with pytest.warns(UserWarning) as caught:
        assert [m.slug for m in converter.read(SAMPLES / "soleus.md")] == ["soleus"]
    assert shared.format("format='ajson'") in [str(w.message) for w in caught]
    with pytest.warns(UserWarning) as caught:
        registry.all_formats()
    assert [str(w.message) for w in caught] == [shared.format("--from or --to ajson")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        registry.all_formats()
        converter.read(SAMPLES / "soleus.md")


def test_fmt_is_warned_of_a_shared_ending_in_no_flag_it_lacks(clashing_plugins,
                                                              tmp_path: Path) -> None:
    """fmt, which takes neither --from nor --to, was told "--from or --to ajson names
    the other"."""
    source = tmp_path / "m" / "soleus.md"
    source.parent.mkdir()
    source.write_bytes((SAMPLES / "soleus.md").read_bytes())
    result = plugin_cli(tmp_path, "fmt", "--check", str(source.parent))
    assert result.returncode == 0, result.stderr
    assert "muscle-convert: warning: the ajson format's ending .json is the json format's " \
        "too: a .json file is taken as json\n" in result.stderr
    assert "--from" not in result.stderr and "--to" not in result.stderr


#: A reader of one muscle per file named by its ending (NAME, ENDING), that ``fmt``
#: rewrites in upper case when REFORMATS is True.
_PER_FILE = """
from converter.model import Muscle
from converter.registry import Format


class PerFile(Format):
    name, extensions, one_muscle_per_file = "NAME", ("ENDING",), True

    def read(self, path, ctx):
        yield Muscle(slug=path.stem, title=path.read_text().strip())
"""
_REFORMATS = """
    def reformat(self, raw, path, ctx):
        return raw.decode().upper()
"""


def test_fmt_searches_a_folder_only_for_the_files_it_rewrites(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fmt DIR failed each file of a plugin's one-muscle-per-file reader that cannot
    rewrite them (soleus.toml: fmt does not handle ptoml [cannot-format], exit 1), though
    it rewrites .md and .markdown files and leaves the folder's .json files alone. A
    folder's search now takes only the files of formats that can rewrite them (a file
    whose ending another format ranked before claims stays that one's: ztoml rewrites no
    .toml file of ptoml's); a file named is still an error."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    _package(plugins, "ztoml", "ztoml", _PER_FILE.replace("NAME", "ztoml").replace(
        "ENDING", ".toml") + _REFORMATS, "ztoml:PerFile")
    _package(plugins, "zup", "zup", _PER_FILE.replace("NAME", "zup").replace(
        "ENDING", ".zup") + _REFORMATS, "zup:PerFile")
    for _ in _installed(plugins, monkeypatch, "ptoml", "ptoml", _PER_FILE.replace(
            "NAME", "ptoml").replace("ENDING", ".toml"), "ptoml:PerFile"):
        site = tmp_path / "site"
        site.mkdir()
        (site / "soleus.md").write_bytes((SAMPLES / "soleus.md").read_bytes())
        (site / "tibialis.toml").write_text("Tibialis\n")
        (site / "gluteus.zup").write_text("Gluteus\n")
        result = plugin_cli(plugins, "fmt", str(site))
        assert "cannot-format" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stderr
        assert (site / "tibialis.toml").read_text() == "Tibialis\n"
        assert (site / "gluteus.zup").read_text() == "GLUTEUS\n"
        result = plugin_cli(plugins, "fmt", str(site / "tibialis.toml"))
        assert result.returncode == 1
        assert f"{site / 'tibialis.toml'}: error: fmt does not handle ptoml " \
            "[cannot-format]" in result.stderr.splitlines(), result.stderr
        empty = tmp_path / "empty"
        empty.mkdir()
        (empty / "tibialis.toml").write_text("Tibialis\n")
        result = plugin_cli(plugins, "fmt", str(empty))
        assert "cannot-format" not in result.stderr, result.stderr
        # (the hint listed .toml too, ztoml's, though fmt rewrites no .toml file)
        assert f"{empty}: warning: holds no .markdown or .md or .zup files to read (it " \
            "holds 1 ptoml file, tibialis.toml: fmt rewrites only .markdown or .md or " \
            ".zup files) [no-inputs]" in result.stderr.splitlines(), result.stderr
        (empty / "notes.txt").write_text("Notes\n")
        result = plugin_cli(plugins, "fmt", str(empty / "notes.txt"))
        assert f"{empty / 'notes.txt'}: error: cannot tell the format from the name; fmt " \
            "rewrites only .markdown or .md or .zup files [unknown-format]" \
            in result.stderr.splitlines(), result.stderr


def test_fmt_and_convert_take_a_json_file_as_json_named_or_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's one-muscle-per-file reader claiming .json, that fmt can rewrite, took
    the .json files a folder's search found (fmt DIR rewrote x.json in its own way,
    validate DIR read it as the plugin's), while x.json named was json's (fmt x.json:
    fmt does not handle json [cannot-format]; validate x.json: bad-json), though the
    warning says a .json file is taken as json. A folder's search now takes a file only
    as the format its ending is taken as when it is named: x.json is json's both ways
    (a folder's search leaves it alone, as json holds many muscles a file), and
    --from pjson names the other."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    for _ in _installed(plugins, monkeypatch, "pjson", "pjson", _PER_FILE.replace(
            "NAME", "pjson").replace("ENDING", ".json") + _REFORMATS, "pjson:PerFile"):
        site = tmp_path / "site"
        site.mkdir()
        (site / "soleus.md").write_bytes((SAMPLES / "soleus.md").read_bytes())
        (site / "x.json").write_text('{"x": 1}\n')
        named = plugin_cli(plugins, "fmt", str(site / "x.json"))
        assert named.returncode == 1
        assert f"{site / 'x.json'}: error: fmt does not handle json [cannot-format]" \
            in named.stderr.splitlines(), named.stderr
        found = plugin_cli(plugins, "fmt", str(site))
        assert (found.returncode, found.stdout) == (0, ""), found.stderr
        assert found.stderr.splitlines()[-1] == "0 changed, 1 unchanged", found.stderr
        assert (site / "x.json").read_text() == '{"x": 1}\n'
        assert "x.json" not in plugin_cli(plugins, "fmt", "--check", str(site)).stdout
        named = plugin_cli(plugins, "validate", str(site / "x.json"), "--no-cache")
        assert named.returncode == 1 and "[bad-json]" in named.stderr, named.stderr
        found = plugin_cli(plugins, "validate", str(site), "--no-cache")
        assert found.returncode == 0 and "1 muscle valid" in found.stderr, found.stderr
        forced = plugin_cli(plugins, "validate", str(site / "x.json"), "--from", "pjson",
                            "--no-cache")
        assert forced.returncode == 0 and "1 muscle valid" in forced.stderr, forced.stderr
        empty = tmp_path / "empty"
        empty.mkdir()
        (empty / "x.json").write_text("{}\n")
        found = plugin_cli(plugins, "fmt", str(empty))
        assert found.returncode == 0, found.stderr
        assert f"{empty}: warning: holds no .markdown or .md files to read (it holds 1 " \
            "json file, x.json: fmt rewrites only .markdown or .md files) [no-inputs]" \
            in found.stderr.splitlines(), found.stderr



def test_a_folders_no_inputs_hint_names_each_format_that_reads_its_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder holding only files of a plugin's one-muscle-per-file reader whose ending
    a built-in format ranked first claims (psvg's soleus.svg, svg's; pjson's x.json,
    json's) was a no-inputs warning saying "name it, or pass --from svg": both fail for
    such a file (named, it is svg's: not-a-muscle-map; --from svg finds no map), only
    --from psvg reads it. The hint now names each format that would read such files from
    the folder, and what naming the file reads it as; with one such format it is as it
    was."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    _package(plugins, "pjson", "pjson", _PER_FILE.replace("NAME", "pjson").replace(
        "ENDING", ".json"), "pjson:PerFile")
    for _ in _installed(plugins, monkeypatch, "psvg", "psvg", _PER_FILE.replace(
            "NAME", "psvg").replace("ENDING", ".svg"), "psvg:PerFile"):
        for ending, owner, plugin, code, text in (
                (".svg", "svg", "psvg", "not-a-muscle-map",
                 '<svg xmlns="http://www.w3.org/2000/svg">Soleus</svg>'),
                (".json", "json", "pjson", "bad-json", '{"title": "Soleus"}')):
            folder = tmp_path / owner
            folder.mkdir()
            (folder / f"soleus{ending}").write_text(text)
            said = plugin_cli(plugins, "validate", str(folder), "--no-cache")
            assert said.returncode == 0, said.stderr
            assert f"{folder}: warning: holds no .markdown or .md files to read (it holds 1 " \
                f"{owner} file, soleus{ending}: name it or pass --from {owner} to read it " \
                f"as {owner}, or pass --from {plugin} to read it as {plugin}) [no-inputs]" \
                in said.stderr.splitlines(), said.stderr
            named = plugin_cli(plugins, "validate", str(folder / f"soleus{ending}"),
                               "--no-cache")
            assert named.returncode == 1 and f"[{code}]" in named.stderr, named.stderr
            forced = plugin_cli(plugins, "validate", str(folder), "--from", plugin,
                                "--no-cache")
            assert forced.returncode == 0 and "1 muscle valid" in forced.stderr, forced.stderr
            (folder / f"more{ending}").write_text(text)
            said = plugin_cli(plugins, "validate", str(folder), "--no-cache")
            assert f"name them or pass --from {owner} to read them as {owner}, or pass " \
                f"--from {plugin} to read them as {plugin})" in said.stderr, said.stderr
        (tmp_path / "csv").mkdir()
        (tmp_path / "csv" / "soleus.csv").write_text("slug\n")
        said = plugin_cli(plugins, "validate", str(tmp_path / "csv"), "--no-cache")
        assert "(it holds 1 csv file, soleus.csv: name it, or pass --from csv) " \
            "[no-inputs]" in said.stderr, said.stderr


@pytest.fixture
def marker_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A plugin's reader that claims folders marked ``datapackage.json``, as csv does;
    it reads one muscle, soleus, from any folder."""
    yield from _installed(tmp_path, monkeypatch, "pkgdir", "pkgdir",
                          "from converter.model import Muscle\n"
                          "from converter.registry import Format\n"
                          "class P(Format):\n"
                          "    name = 'pkgdir'\n"
                          "    extensions = ('.pkgdir',)\n"
                          "    directory_marker = 'datapackage.json'\n"
                          "    def read(self, path, ctx):\n"
                          "        yield Muscle(slug='soleus', title='From the plugin')\n",
                          "pkgdir:P")


def test_a_plugin_sharing_a_directory_marker_is_a_warning_and_the_built_in_wins(
        marker_plugin, tmp_path: Path, sample_muscles) -> None:
    """A plugin declaring csv's directory marker, datapackage.json, got no word (an
    ending shared is warned of). It is one warning naming both; a folder so marked is
    csv's, and --from names the plugin's."""
    import converter

    shared = ("the pkgdir format's directory marker datapackage.json is the csv format's "
              "too: a folder holding datapackage.json is taken as csv (--from or --to "
              "pkgdir names the other)")
    with pytest.warns(UserWarning) as caught:
        registry.all_formats()
    assert [str(w.message) for w in caught] == [shared]
    package = tmp_path / "package"
    with pytest.warns(UserWarning, match=r"\(format='pkgdir' names the other\)"):
        converter.write(sample_muscles, package, "csv")  # (as write() names formats)
    assert registry.detect_format(package, for_reading=True).name == "csv"
    result = plugin_cli(tmp_path, "formats")
    assert (result.returncode, result.stderr.splitlines()) == (
        0, [f"muscle-convert: warning: {shared}"])
    result = plugin_cli(tmp_path, "validate", str(package), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert f"{len(sample_muscles)} muscles valid" in result.stderr
    result = plugin_cli(tmp_path, "validate", str(package), "--from", "pkgdir", "--no-cache")
    assert result.returncode == 0 and "1 muscle valid" in result.stderr, result.stderr


@pytest.fixture
def capital_marker_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                          ) -> Iterator[None]:
    """A plugin's reader whose directory marker is spelled in capitals, MUSCLES.LIST;
    it reads one muscle, soleus, from what it is given."""
    yield from _installed(tmp_path, monkeypatch, "capmark", "capmark",
                          "from converter.model import Muscle\n"
                          "from converter.registry import Format\n"
                          "class C(Format):\n"
                          "    name = 'capmark'\n"
                          "    extensions = ('.capmark',)\n"
                          "    directory_marker = 'MUSCLES.LIST'\n"
                          "    def read(self, path, ctx):\n"
                          "        yield Muscle(slug='soleus', title='From the plugin')\n",
                          "capmark:C")


def test_a_directory_marker_in_capitals_is_told_in_any_case(
        capital_marker_plugin, tmp_path: Path) -> None:
    """A marker file named as a source was never its plugin's when the plugin spelled
    the marker in capitals (the name was lowered, the marker not): validate
    MUSCLES.LIST said unknown-format. A marker and a file's name are matched in any
    case, as an ending is."""
    for spelled in ("MUSCLES.LIST", "muscles.list", "Muscles.List"):
        assert registry.detect_format(tmp_path / spelled, for_reading=True).name == (
            "capmark")
    marker = tmp_path / "data" / "MUSCLES.LIST"
    marker.parent.mkdir()
    marker.write_text("soleus\n", encoding="utf-8")
    result = plugin_cli(tmp_path, "validate", str(marker), "--no-cache")
    assert result.returncode == 0 and "1 muscle valid" in result.stderr, result.stderr


@pytest.fixture
def capital_ending_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                          ) -> Iterator[None]:
    """A plugin's reader of one muscle per file whose ending is spelled in capitals,
    .TITLES: the muscle is named by the file's stem, titled by its text."""
    yield from _installed(tmp_path, monkeypatch, "captitles", "captitles",
                          "from converter.model import Muscle\n"
                          "from converter.registry import Format\n"
                          "class C(Format):\n"
                          "    name = 'captitles'\n"
                          "    extensions = ('.TITLES',)\n"
                          "    one_muscle_per_file = True\n"
                          "    def read(self, path, ctx):\n"
                          "        yield Muscle(slug=path.stem.lower(),\n"
                          "                     title=path.read_text().strip())\n",
                          "captitles:C")


def test_an_ending_in_capitals_is_told_in_any_case(
        capital_ending_plugin, tmp_path: Path) -> None:
    """A file named as a source was never its plugin's when the plugin spelled its
    ending in capitals (the name was lowered, the ending not): validate soleus.TITLES
    said unknown-format, and -o out.titles --to json was written though it would be
    read back as the plugin's. An ending and a file's name are matched in any case."""
    for spelled in ("soleus.TITLES", "soleus.titles", "soleus.Titles"):
        assert registry.detect_format(tmp_path / spelled, for_reading=True).name == (
            "captitles")
        mistake = registry.output_mistake(registry.get_format("json"), spelled, {})
        assert mistake is not None and mistake.code == "output-ending", spelled
    named = tmp_path / "soleus.TITLES"
    named.write_text("Soleus\n", encoding="utf-8")
    result = plugin_cli(tmp_path, "validate", str(named), "--no-cache")
    assert result.returncode == 0 and "1 muscle valid" in result.stderr, result.stderr


def test_a_folder_walk_reads_an_ending_in_capitals_in_any_case(
        capital_ending_plugin, tmp_path: Path) -> None:
    """A folder's walk never read the files of a plugin whose ending is spelled in
    capitals (convert site: 'holds no .TITLES or .markdown or .md files to read'). It
    reads them in any case now, each by that plugin."""
    from converter.discovery import discover

    site = tmp_path / "site"
    site.mkdir()
    for stem, ending in (("soleus", "TITLES"), ("biceps", "titles"), ("deltoid", "Titles")):
        (site / f"{stem}.{ending}").write_text(stem.title(), encoding="utf-8")
    inputs, problems = discover([site])
    assert problems == []
    assert sorted((Path(i.path).name, i.format.name) for i in inputs) == [
        ("biceps.titles", "captitles"), ("deltoid.Titles", "captitles"),
        ("soleus.TITLES", "captitles")]
    out = tmp_path / "out.json"
    result = plugin_cli(tmp_path, "convert", str(site), "--to", "json", "-o", str(out),
                  "--no-cache")
    assert result.returncode == 0, result.stderr
    muscles = json.loads(out.read_text(encoding="utf-8"))["muscles"]
    assert sorted((m["slug"], m["title"]) for m in muscles) == [
        ("biceps", "Biceps"), ("deltoid", "Deltoid"), ("soleus", "Soleus")]


def test_endings_are_said_as_their_format_spells_them(
        capital_ending_plugin, tmp_path: Path) -> None:
    """Once endings were matched in any case, a folder holding none of them said
    "holds no .markdown or .md or .titles files to read", and -o out.titles "named like
    a .titles file", the plugin's .TITLES lowered. They are said as the formats spell
    them, sorted in any case."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = plugin_cli(tmp_path, "validate", str(empty), "--no-cache")
    assert f"{empty}: warning: holds no .markdown or .md or .TITLES files to read " \
        "[no-inputs]" in result.stderr.splitlines(), result.stderr
    json_ = registry.get_format("json")
    mistake = registry.output_mistake(json_, "out.titles", {})
    assert mistake is not None and mistake.message.startswith(
        "out.titles is named like a .TITLES file (captitles)")
    mistake = registry.output_mistake(registry.get_format("svg"), "map.titles", {})
    assert mistake is not None and mistake.message == (
        "--to svg writes a directory, and map.titles is named like a .TITLES file; give "
        "a directory name")


def _ending_hint(to: str, output: str) -> str:
    """What ``output_mistake`` says after "rename it" of ``-o output`` for ``--to to``,
    which must be an ``output-ending``."""
    mistake = registry.output_mistake(registry.get_format(to), output, {})
    assert mistake is not None and mistake.code == "output-ending", (output, mistake)
    return mistake.message.partition("; rename it")[2]


def test_an_output_endings_hint_names_only_formats_that_write_such_a_file(
        capital_ending_plugin, tmp_path: Path) -> None:
    """-o out.titles --to json, .titles being the ending of a plugin with no writer,
    said "rename it (or use --to captitles)", a format that cannot write at all (and
    -o x.md "or use --to markdown", which writes folders only). The hint names only the
    formats that write one file so named (with the flag that makes them), each of
    which takes that name, and no --to when none does."""
    from tests.conftest import SAMPLES

    assert [_ending_hint("json", name) for name in ("out.titles", "out.TITLES", "x.md",
                                                    "x.html")] == ["", "", "", ""]
    assert _ending_hint("json", "x.jsonl") == " (or use --to jsonl)"
    assert _ending_hint("json", "x.csv") == " (or use --to csv --flat)"
    assert _ending_hint("anki", "x.db") == " (or use --to sqlite)"
    for output, to, options in (("x.jsonl", "jsonl", {}), ("x.csv", "csv", {"flat": True}),
                                ("x.db", "sqlite", {})):
        assert registry.output_mistake(registry.get_format(to), output, options) is None
    out = tmp_path / "out.titles"
    result = plugin_cli(tmp_path, "convert", str(SAMPLES), "--to", "json", "-o", str(out),
                  "--no-cache")
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.splitlines()[-1] == (
        f"Error: {out} is named like a .TITLES file (captitles), and --to json writes "
        ".json files; rename it")


def test_an_output_endings_hint_names_the_writer_not_the_reader_of_that_ending(
        capital_ending_plugin, plugin) -> None:
    """Of two plugins ending .titles, captitles (a reader, ranked first: it owns the
    ending) and titles (a writer), -o out.titles --to json is hinted --to titles."""
    with pytest.warns(UserWarning, match="ending .titles is the captitles format's too"):
        hint = _ending_hint("json", "out.titles")
    assert hint == " (or use --to titles)"
    assert registry.output_mistake(registry.get_format("titles"), "out.titles", {}) is None


def _with_options(cls: str, name: str, options: str) -> str:
    """The source of a plugin's writer ``name`` (class ``cls``) with ``options`` (Python
    text of a tuple of FormatOption), which writes each option's value."""
    return ("from converter.registry import Format, FormatOption\n"
            f"class {cls}(Format):\n"
            f"    name = '{name}'\n"
            f"    extensions = ('.{name}',)\n"
            f"    options = {options}\n"
            "    def write(self, muscles, out, ctx):\n"
            "        list(muscles)\n"
            "        out.write_text(repr(sorted(ctx.options.items())))\n")


@pytest.fixture
def option_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Three plugins' writers: ``intsize`` with an int ``size`` (the maps' is WxH text),
    ``quieting`` with a flag ``quiet`` (as muscle-convert's own), ``sized`` with a text
    ``size`` of its own meaning."""
    _package(tmp_path, "intsize", "intsize", _with_options(
        "I", "intsize", "(FormatOption('size', 'how many', type=int),)"), "intsize:I")
    _package(tmp_path, "quieting", "quieting", _with_options(
        "Q", "quieting", "(FormatOption('quiet', 'say less', is_flag=True),)"), "quieting:Q")
    yield from _installed(tmp_path, monkeypatch, "sized", "sized", _with_options(
        "S", "sized", "(FormatOption('size', 'small or large'),)"), "sized:S")


def test_a_plugin_option_that_clashes_is_refused_and_size_is_the_maps_alone(
        option_plugins, tmp_path: Path, sample_muscles) -> None:
    """A plugin's int option size got the maps' --size parsing ("size must look like
    1000x800"; from Python a raw TypeError), and a flag quiet went to the core on the
    command line but to the plugin from Python. A plugin whose option is a core option
    or another format's of another kind is skipped with a warning; a text size of a
    plugin's own is passed on as given, not checked as the maps' WxH."""
    import converter

    refused = ["the intsize format could not be loaded: its option 'size' (int) is the "
               "html format's 'size' (str)",
               "the quieting format could not be loaded: its option 'quiet' is "
               "muscle-convert's own --quiet"]
    with pytest.warns(UserWarning) as caught:
        names = [f.name for f in registry.all_formats()]
    assert sorted(str(w.message) for w in caught) == refused
    assert "sized" in names and "intsize" not in names and "quieting" not in names
    with pytest.raises(converter.MuscleError, match="format-not-loaded"):
        converter.write(sample_muscles, tmp_path / "b.intsize", "intsize", size=7)
    converter.write(sample_muscles, tmp_path / "a.sized", size="small")
    assert (tmp_path / "a.sized").read_text() == "[('size', 'small')]"
    out = tmp_path / "b.sized"
    result = plugin_cli(tmp_path, "convert", "samples", "--to", "sized", "--size", "large", "-o",
                  str(out), "-q", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "('size', 'large')" in out.read_text()
    assert sorted(line for line in result.stderr.splitlines() if "muscle-convert:" in line
                  ) == [f"muscle-convert: warning: {message}" for message in refused]
    result = plugin_cli(tmp_path, "convert", "samples", "--to", "quieting", "-o",
                  str(tmp_path / "c.quieting"), "--no-cache")
    assert result.returncode == 2 and refused[1] in result.stderr
    assert "Traceback" not in result.stderr


#: A plugin's writer whose options' ``type`` is each kind a plugin may give: a class
#: click knows (int), another class (Path), a function, a ``functools.partial`` (no
#: ``__name__``), a click type, and a function that fails as ``LEVEL`` says.
_KINDS = _with_options("K", "kinds", """(
        FormatOption('count', 'a number', type=int),
        FormatOption('where', 'a path', type=__import__('pathlib').Path),
        FormatOption('doubled', 'twice a number', type=twice),
        FormatOption('hexed', 'a hex number', type=__import__('functools').partial(
            int, base=16)),
        FormatOption('rank', '1 to 5', type=__import__('click').IntRange(1, 5)),
        FormatOption('level', 'a level', type=level),
        FormatOption('ratio', 'a number', type=float),
        FormatOption('share', '0 to 1', type=__import__('click').FloatRange(0, 1)),
        FormatOption('yes', 'true or false', type=bool),
    )
    def check_options(self, options):  # (what the writer would be given, as it is given)
        kinds = {'count': int, 'where': __import__('pathlib').Path, 'doubled': int,
                 'hexed': int, 'rank': int, 'ratio': float, 'share': float, 'yes': bool}
        for name, kind in kinds.items():
            value = options.get(name)
            if value is not None and (not isinstance(value, kind) or (
                    kind is not bool and isinstance(value, bool))):
                from converter.registry import Diagnostic, MuscleError
                raise MuscleError(Diagnostic('--' + name, None, None, name, 'bad-option',
                                             f'got {value!r}'))""").replace(
    "ctx.options.items()", "(k, v) for k, v in ctx.options.items() if k "
                  "in {o.name for o in self.options}").replace("class K(", """import os, sys
def twice(value):
    return int(value) * 2
def level(value):
    if os.environ.get('LEVEL') == 'raise':
        raise RuntimeError('bad level')
    if os.environ.get('LEVEL') == 'value':
        raise ValueError('no such level')
    sys.exit('bad level')
class K(""")


@pytest.fixture
def kinds_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The :data:`_KINDS` plugin (format ``kinds``) installed."""
    yield from _installed(tmp_path, monkeypatch, "kinds", "kinds", _KINDS, "kinds:K")


def test_a_plugin_options_type_of_each_kind_converts_and_its_failure_is_a_usage_error(
        kinds_plugin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        sample_muscles) -> None:
    """A plugin option's type that is a function raising RuntimeError or calling
    sys.exit() gave a traceback from inside click, or the exit's message alone (exit
    1); a functools.partial one a traceback for every convert; from Python a function or
    click type was `TypeError: isinstance() arg 2 must be a type`. Now a class is the
    value's type (click converts the text, Python takes an instance), a function or
    click type converts the value both ways, and what it raises (sys.exit() too) is a
    usage error naming the option and the format: exit 2, from Python bad-option."""
    import converter

    def cli(*options: str, level: str = "") -> subprocess.CompletedProcess[str]:
        return plugin_cli(tmp_path, "convert", str(SAMPLES), "--to", "kinds", "-o",
                          str(tmp_path / "a.kinds"), "--no-cache", "-q", *options,
                          env={"LEVEL": level})

    given = cli("--count", "3", "--where", "x/y", "--doubled", "4", "--hexed", "ff",
                "--rank", "2")
    assert given.returncode == 0, given.stderr
    written = ("[('count', 3), ('doubled', 8), ('hexed', 255), ('rank', 2), "
               "('where', PosixPath('x/y'))]")
    assert (tmp_path / "a.kinds").read_text() == written
    converter.write(sample_muscles, tmp_path / "b.kinds", count=3, where=Path("x/y"),
                    doubled="4", hexed="ff", rank=2)
    assert (tmp_path / "b.kinds").read_text() == written
    with pytest.raises(TypeError, match="option 'count' takes int, not str"):
        converter.write(sample_muscles, tmp_path / "c.kinds", count="3")
    for level, said in (("raise", "RuntimeError: bad level"),
                        ("value", "ValueError: no such level"),
                        ("", "it tried to end the program (SystemExit with status "
                             "'bad level')")):
        failed = cli("--level", "3", level=level)
        assert (failed.returncode, failed.stderr.splitlines()[-1]) == (
            2, f"Error: Invalid value for '--level': the kinds format could not take "
            f"'3': {said}"), failed.stderr
        monkeypatch.setenv("LEVEL", level)
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(sample_muscles, tmp_path / "c.kinds", level=3)
        assert [str(d) for d in caught.value.diagnostics] == [
            f"level: error: the kinds format could not take 3: {said} [bad-option]"]
    refused = cli("--rank", "9")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "Invalid value for '--rank': 9 is not in the range 1<=x<=5" in refused.stderr
    with pytest.raises(converter.MuscleError) as ranked:
        converter.write(sample_muscles, tmp_path / "c.kinds", rank=9)
    assert [d.message for d in ranked.value.diagnostics] == [
        "the kinds format could not take 9: BadParameter: 9 is not in the range 1<=x<=5."]
    assert not (tmp_path / "c.kinds").exists()


def test_a_plugin_options_float_takes_an_int_from_python_made_a_float(
        kinds_plugin, tmp_path: Path, sample_muscles) -> None:
    """converter.write(..., ratio=1) for a `type=float` option was `TypeError: ...
    takes float, not int`, though an int is a float to PEP 484, click and TOML; it is
    now taken, the writer given 1.0 (a float, as declared). A bool is still no number,
    nor a float an int."""
    import converter

    converter.write(sample_muscles, tmp_path / "a.kinds", ratio=1, share=1)
    assert (tmp_path / "a.kinds").read_text() == "[('ratio', 1.0), ('share', 1.0)]"
    converter.write(sample_muscles, tmp_path / "a.kinds", ratio=-3, count=3)
    assert (tmp_path / "a.kinds").read_text() == "[('count', 3), ('ratio', -3.0)]"
    for given, said in (({"ratio": True}, "option 'ratio' takes float, not bool"),
                        ({"ratio": False}, "option 'ratio' takes float, not bool"),
                        ({"ratio": "1"}, "option 'ratio' takes float, not str"),
                        ({"count": 3.0}, "option 'count' takes int, not float"),
                        ({"count": True}, "option 'count' takes int, not bool")):
        with pytest.raises(TypeError, match=re.escape(said)):
            converter.write(sample_muscles, tmp_path / "b.kinds", **given)
    assert not (tmp_path / "b.kinds").exists()


def test_a_plugin_options_huge_int_from_python_is_its_bad_option(
        kinds_plugin, tmp_path: Path, sample_muscles) -> None:
    """write(..., ratio=10**5000) for a `type=float` option: float() refuses it and the
    message saying so raised "ValueError: Exceeds the limit (4300 digits)" from its repr
    of the value; it is the option's bad-option error, the value told by its size."""
    import converter

    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, tmp_path / "a.kinds", ratio=10**5000)
    assert [str(d) for d in caught.value.diagnostics] == [
        "ratio: error: the kinds format could not take an integer of 5001 digits: "
        "OverflowError: int too large to convert to float [bad-option]"]
    assert not (tmp_path / "a.kinds").exists()


def test_a_plugin_options_value_in_a_config_file_is_of_its_natural_toml_type(
        kinds_plugin, tmp_path: Path) -> None:
    """A config file's value of a plugin option typed float, bool, a click number type,
    a class or a function had to be a string (`ratio = 0.5`: "must be a string, not a
    float", exit 2; `rank = 2` alone worked, as int's). Now each takes its natural TOML
    type: a float a number (an integer too, the writer given a float), bool true or
    false, a click number type a number, a class or converter the text the command line
    gives it; another type is config-wrong-type naming the option's type."""
    config = tmp_path / "muscle-convert.toml"

    def cli(keys: str) -> subprocess.CompletedProcess[str]:
        config.write_text(f"[convert]\n{keys}\n", encoding="utf-8")
        return plugin_cli(tmp_path, "convert", str(SAMPLES), "--to", "kinds", "-o",
                          str(tmp_path / "a.kinds"), "--no-cache", "-q", "--config",
                          str(config))

    given = cli('count = 3\nwhere = "x/y"\ndoubled = "4"\nhexed = "ff"\nrank = 2\n'
                "ratio = 1\nshare = 0.25\nyes = true")
    assert given.returncode == 0, given.stderr
    assert (tmp_path / "a.kinds").read_text() == (
        "[('count', 3), ('doubled', 8), ('hexed', 255), ('rank', 2), ('ratio', 1.0), "
        "('share', 0.25), ('where', PosixPath('x/y')), ('yes', True)]")
    assert cli("ratio = 0.5").returncode == 0
    assert (tmp_path / "a.kinds").read_text() == "[('ratio', 0.5)]"
    for keys, said in (('ratio = "0.5"', "ratio: must be a number (float), not a string"),
                       ("ratio = true", "ratio: must be a number (float), not true or false"),
                       ('share = "1"', "share: must be a number (float range), not a string"),
                       ("rank = 2.0", "rank: must be an integer (integer range), not a float"),
                       ('yes = "true"', "yes: must be true or false (boolean), not a string"),
                       ("where = 5", "where: must be a string (Path), not an integer"),
                       ("doubled = [4]", "doubled: must be a string (twice), not an array "
                                         "of other values than strings"),
                       ("hexed = 255", "hexed: must be a string (partial), not an integer"),
                       ('count = "3"', "count: must be an integer, not a string")):
        refused = cli(keys)
        assert (refused.returncode, refused.stderr) == (
            2, f"{config}:2:1: error: convert.{said} [config-wrong-type]\n"), keys
    bad = cli("share = 2")
    assert (bad.returncode, bad.stderr) == (
        2, f"{config}:2:1: error: convert.share: 2.0 is not in the range 0<=x<=1. "
        "[config-bad-value]\n")


def test_a_config_files_format_options_are_checked_as_the_writer_is_given_them(
        kinds_plugin, tmp_path: Path) -> None:
    """A config file that names `to` has its format options checked by the writer's
    check_options before the run; it was given the file's values as TOML gives them
    (`ratio = 1` an int, `doubled = "4"` the text, not its converter's 8), so a check
    of what the writer is given refused them (config-bad-value), though the run would
    give it 1.0 and 8. It is now given them as the run gives them."""
    config = tmp_path / "muscle-convert.toml"
    config.write_text(f'[convert]\nto = "kinds"\noutput = "{tmp_path / "a.kinds"}"\n'
                      'count = 3\nwhere = "x/y"\ndoubled = "4"\nhexed = "ff"\nrank = 2\n'
                      "ratio = 1\nshare = 1\nyes = true\n", encoding="utf-8")
    run = plugin_cli(tmp_path, "convert", str(SAMPLES), "--no-cache", "-q", "--config",
                     str(config))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "a.kinds").read_text() == (
        "[('count', 3), ('doubled', 8), ('hexed', 255), ('rank', 2), ('ratio', 1.0), "
        "('share', 1.0), ('where', PosixPath('x/y')), ('yes', True)]")
    config.write_text(f'[convert]\nto = "kinds"\noutput = "{tmp_path / "b.kinds"}"\n'
                      'doubled = "x"\n', encoding="utf-8")
    refused = plugin_cli(tmp_path, "validate", str(SAMPLES), "--config", str(config))
    assert (refused.returncode, refused.stderr) == (
        2, f"{config}:4:1: error: convert.doubled: the kinds format could not take 'x': "
        "ValueError: invalid literal for int() with base 10: 'x' [config-bad-value]\n")


def test_a_broken_plugins_warning_points_at_the_callers_line(broken_plugin) -> None:
    """From Python the warning pointed into converter/discovery.py (where the formats
    were listed), not at the caller's line that read."""
    import converter

    with pytest.warns(UserWarning, match="the broken format could not be loaded") as caught:
        converter.read("samples")
    assert [Path(w.filename).name for w in caught] == [Path(__file__).name]


@pytest.fixture
def ending_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's reader of one muscle per file, whose file ``<slug>.ends`` holds
    what the reader does: ``ok``, ``exit N`` (``sys.exit(N)``), ``_exit N``
    (``os._exit(N)``), ``kill N`` (the signal N to its own process), ``name`` (the
    muscle's title is the name of the process that reads it), ``kill-idle`` (SIGKILL to
    the other workers, once they wait for work, and wait until the main process saw
    them dead) or ``vanish`` (once the others wait for work, all but its own files
    read: SIGKILL to its own process, once it said on its board it waits for work, as
    a worker killed as it took its next files)."""
    (tmp_path / "plugin").mkdir()
    yield from _installed(
        tmp_path / "plugin", monkeypatch, "ends", "ends_format",
        "import multiprocessing, os, sys\n"
        "from converter import workers\n"
        "from converter.model import Muscle\n"
        "from converter.workers import say_reading\n"
        "from tests import idling\n"
        "if os.environ.get('ENDS_NEVER_STALLS'):  # (a run that must not stop: no count\n"
        "    workers.STALLED = sys.maxsize         # of looks may stop it)\n"
        "def _kill_idle():\n"
        "    others = idling.other_workers()\n"
        "    idling.wait_until_waiting_for_work(others)\n"
        "    for pid in others:\n"
        "        os.kill(pid, 9)\n"
        "    idling.wait_until_seen_dead(others)  # (by the main process, waiting for this file)\n"
        "from converter.registry import Format\n"
        "class EndsFormat(Format):\n"
        "    name = 'ends'\n"
        "    extensions = ('.ends',)\n"
        "    one_muscle_per_file = True\n"
        "    def read(self, path, ctx):\n"
        "        action, *status = path.read_text().split()\n"
        "        if action == 'exit':\n"
        "            sys.exit(int(status[0]))\n"
        "        if action == '_exit':\n"
        "            os._exit(int(status[0]))\n"
        "        if action == 'kill':\n"
        "            os.kill(os.getpid(), int(status[0]))\n"
        "        if action == 'kill-idle':\n"
        "            _kill_idle()\n"
        "        if action == 'vanish':  # (once all but its files are read)\n"
        "            idling.wait_until_waiting_for_work(idling.other_workers())\n"
        "            say_reading(-1)\n"
        "            os.kill(os.getpid(), 9)\n"
        "        if action == 'name':\n"
        "            yield Muscle(slug=path.stem,\n"
        "                         title=multiprocessing.current_process().name)\n"
        "            return\n"
        "        yield Muscle(slug=path.stem, title=path.stem.title())\n",
        "ends_format:EndsFormat")


def ends_site(folder: Path, special: dict[str, str], count: int = 200) -> Path:
    """``count`` files of the ends format in ``folder`` (enough for a pool of workers),
    each ``ok`` but the ones ``special`` names (``m-007`` -> ``exit 4``)."""
    folder.mkdir()
    for i in range(count):
        name = f"m-{i:03}"
        (folder / f"{name}.ends").write_text(special.get(name, "ok"), encoding="utf-8")
    return folder


def run_ends(tmp_path: Path, *args: str, start: str = "fork", stalls: bool = True
             ) -> subprocess.CompletedProcess[str]:
    """muscle-convert ``args`` with the ends plugin installed, its workers started by
    ``start``; a hang fails the test. Without ``stalls`` no count of looks at a pool
    that seems stalled stops the run (:data:`converter.workers.STALLED`): one that did
    not go on hangs, and fails the test so."""
    return plugin_cli(tmp_path / "plugin", *args, "--no-cache", start=start,
                env={} if stalls else {"ENDS_NEVER_STALLS": "1"})


def test_the_ends_reader_waits_for_the_other_worker_to_start(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The other worker of a pool may take its row on the board (as it starts) after this
    one read all it reads to the file that waits for it (a spawned worker's imports take
    seconds on a loaded machine): ``kill-idle`` and ``vanish`` found no other worker, the
    reader failed (``AssertionError: the lock tells of one worker waiting``) and so did
    their tests, now and then. It is waited for."""
    from converter import workers
    from tests import idling

    rows = [os.getpid(), 5, 0, 0, -1, 0]  # (this worker reads; the other has no row yet)

    def starting(seconds: float) -> None:
        rows[3] = 4242  # (the other takes its row while this one waits)

    monkeypatch.setattr(workers, "_board", rows)
    monkeypatch.setattr(idling.time, "sleep", starting)
    assert idling.other_workers() == [4242]


@pytest.mark.parametrize(("jobs", "start"), [("1", "fork"), ("2", "fork"), ("2", "spawn")])
def test_a_reader_that_calls_sys_exit_fails_its_file(ending_plugin, tmp_path: Path,
                                                     jobs: str, start: str) -> None:
    """A plugin's reader that called sys.exit(4) ended the run with status 4 and no word
    (-j 1), or hung it for good (-j 2: its worker ended, and the pool waited for its
    chunk). It is that file's reader-failed error; the other files are converted."""
    site = ends_site(tmp_path / "site", {"m-150": "exit 4"})
    out = tmp_path / f"out-{jobs}.json"
    result = run_ends(tmp_path, "convert", str(site), "--from", "ends", "--to", "json",
                      "-o", str(out), "-j", jobs, start=start)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{site}/m-150.ends: error: the ends reader failed: it tried to end the program "
        "(SystemExit with status 4) [reader-failed]"]
    slugs = [m["slug"] for m in json.loads(out.read_text())["muscles"]]
    assert slugs == [f"m-{i:03}" for i in range(200) if i != 150]


@pytest.mark.parametrize(("start", "worker"), [("fork", "ForkPoolWorker"),
                                              ("spawn", "SpawnPoolWorker")])
def test_workers_start_as_the_program_chose(ending_plugin, tmp_path: Path, start: str,
                                            worker: str) -> None:
    """A program that chose to spawn its processes (multiprocessing.set_start_method,
    as Windows and macOS do by default) had its workers forked all the same on Linux:
    the spawned workers were never run. They are spawned now, and read a plugin's files
    as forked ones do."""
    site = ends_site(tmp_path / "site", {f"m-{i:03}": "name" for i in range(200)})
    out = tmp_path / "out.json"
    result = run_ends(tmp_path, "convert", str(site), "--from", "ends", "--to", "json",
                      "-o", str(out), "-j", "2", start=start)
    assert result.returncode == 0, result.stderr
    titles = {m["title"].split("-")[0] for m in json.loads(out.read_text())["muscles"]}
    assert titles == {worker}


@pytest.mark.parametrize(("action", "how"), [
    ("kill 9", "killed by signal 9, SIGKILL"), ("kill 11", "killed by signal 11, SIGSEGV"),
    ("_exit 9", "exited with code 9")])
@pytest.mark.parametrize("command", ["convert", "validate"])
@pytest.mark.parametrize("start", START_METHODS)
def test_a_worker_that_dies_ends_the_run_naming_its_file(ending_plugin, tmp_path: Path,
                                                         action: str, how: str,
                                                         command: str, start: str) -> None:
    """A worker process that died (the OOM killer's SIGKILL, a segfault, a reader's
    os._exit) hung convert and validate -j 2 for good, with no word: the pool waited
    for its chunk. The run now stops at once with one worker-died error naming the file
    the worker was reading, the last output left as it was: exit 3, a run cut short (it
    was 1, the status of invalid inputs, which a script could not tell apart). So with
    workers spawned (Windows, macOS), where the board was of the fork context: a
    RuntimeError's traceback."""
    site = ends_site(tmp_path / "site", {"m-170": action})
    out = tmp_path / "out.json"
    out.write_text("the last run's\n", encoding="utf-8")
    writing = ["--to", "json", "-o", str(out)] if command == "convert" else []
    result = run_ends(tmp_path, command, str(site), "--from", "ends", *writing, "-j", "2",
                      start=start)
    assert "Traceback" not in result.stderr
    assert result.returncode == 3, result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{site}/m-170.ends: error: a worker process died ({how}) while reading this "
        "file; the run stopped [worker-died]"]
    assert out.read_text(encoding="utf-8") == "the last run's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "plugin", "site"]


@pytest.mark.parametrize("start", START_METHODS)
def test_a_guarded_record_writer_goes_to_worker_processes(faulty_plugin: Path,
                                                          tmp_path: Path, start: str) -> None:
    """A third party's record writer whose hooks are guarded is sent to the worker
    processes that make its records (by its name: its guards are not picklable)."""
    many = tmp_path / "many"
    many.mkdir()
    for n in range(130):  # (enough to be read in a pool of workers)
        (many / f"m-{n}.md").write_text(f"---\ntitle: Muscle {n}\n---\n", encoding="utf-8")
    out = tmp_path / "out.written"
    done = plugin_cli(faulty_plugin, "convert", str(many), "--to", "faulty-writer", "-o", str(out),
                "--no-cache", "-j", "2", start=start)
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr
    assert sorted(out.read_text().split()) == sorted(f"m-{n}" for n in range(130))


def _exited(hook: str) -> str:
    """What a failing-hook diagnostic says of the hook ``hook`` of tests/faulty.py's
    Hooks that called ``sys.exit(f"{hook} gives up")`` (FAULT ``<hook>:exit``)."""
    return f"failed: it tried to end the program (SystemExit with status '{hook} gives up')"


def test_a_failing_writer_option_hook_is_a_usage_error_never_a_traceback(
        faulty_plugin: Path, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's check_options() raising RuntimeError was a traceback from convert
    --to and converter.write(), as was its writes_directory() there and in formats (or
    returning 42, taken as true). Each is now a writer-failed error naming the format and
    the hook: a usage error (exit 2) of convert, a MuscleError of write(), formats' error
    (exit 1, the other formats listed); the earlier output stays. write()'s is at
    "format", the argument it takes (it was at "--to", a flag it has none of). One that
    called sys.exit() ended convert and formats with its message alone, no word of the
    format or the hook (exit 1), and raised SystemExit out of write(): it is that
    error too."""
    import converter
    from tests.conftest import SAMPLES

    out = tmp_path / "out.hooks"
    out.write_text("earlier\n")
    for fault, what in (("check_options", "failed: RuntimeError: check_options boom"),
                        ("check_options:exit", _exited("check_options")),
                        ("writes_directory", "failed: RuntimeError: writes_directory boom"),
                        ("writes_directory:exit", _exited("writes_directory")),
                        ("writes_directory:type", "returned int, not a bool")):
        hook = fault.split(":")[0]
        message = f"the faulty-hooks writer's {hook}() {what}"
        status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(SAMPLES), "--to",
                              "faulty-hooks", "-o", str(out), "--no-cache")
        assert "Traceback" not in stderr
        assert (status, stderr.splitlines()[-1]) == (2, f"Error: --to: {message}"), stderr
        assert out.read_text() == "earlier\n"
        monkeypatch.setenv("FAULT", fault)
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(sample_muscles, out)
        assert [str(d) for d in caught.value.diagnostics] == [  # (write()'s own name)
            f"format: error: {message} [writer-failed]"]
        assert out.read_text() == "earlier\n"
    for fault, what in (("writes_directory", "failed: RuntimeError: writes_directory boom"),
                        ("writes_directory:exit", _exited("writes_directory")),
                        ("writes_directory:type", "returned int, not a bool")):
        status, stderr = faulty_cli(faulty_plugin, fault, "formats")
        assert "Traceback" not in stderr
        assert (status, errors_said(stderr)) == (1, [
            f"--to: error: the faulty-writer writer's writes_directory() {what} "
            "[writer-failed]"]), stderr


def test_a_plugins_muscle_error_of_no_diagnostics_is_its_failed_error(
        faulty_plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        sample_muscles) -> None:
    """A plugin's check_options() raising MuscleError([error(...)]), a list of
    MuscleErrors, was a traceback of convert, with a config file or without
    (AttributeError: 'MuscleError' object has no attribute 'message'), and so was one of
    its reader, writer, record() or reader's hooks, or of none (IndexError, or a file
    failed with no word said); a ctx.report of a line of 5001 digits was a ValueError
    as it was said. Each is now the format's writer-failed or reader-failed error naming
    the hook and what the error carried."""
    import converter
    from tests.conftest import SAMPLES

    carrying = {"misraise": "a MuscleError carrying MuscleError, not a Diagnostic",
                "noerror": "a MuscleError carrying no Diagnostic"}
    out, config = tmp_path / "out.hooks", tmp_path / "muscle-convert.toml"
    out.write_text("earlier\n")
    config.write_text('[convert]\nto = "faulty-hooks"\n', encoding="utf-8")
    for (kind, what), hook in itertools.product(carrying.items(),
                                                ("check_options", "writes_directory")):
        fault, message = f"{hook}:{kind}", f"the faulty-hooks writer's {hook}() raised {what}"
        for how in (("--no-config", "--to", "faulty-hooks"), ("--config", str(config))):
            status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(SAMPLES), *how,
                                        "-o", str(out), "--no-cache")
            assert "Traceback" not in stderr
            assert (status, stderr.splitlines()[-1]) == (2, f"Error: --to: {message}"), stderr
        monkeypatch.setenv("FAULT", fault)
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(sample_muscles, out)
        assert [str(d) for d in caught.value.diagnostics] == [
            f"format: error: {message} [writer-failed]"]
        assert out.read_text() == "earlier\n"
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.faulty").write_text("soleus\nbiceps\n", encoding="utf-8")
    (site / "b.hooks").write_text("soleus\n", encoding="utf-8")
    read = [(f"read:{kind}", "a.faulty", f"the faulty reader raised {what}")
            for kind, what in carrying.items()] + [
        (f"{hook}:misraise", "b.hooks", f"the faulty-hooks reader's {hook}() raised "
         f"{carrying['misraise']}") for hook in ("companions", "places_file")] + [
        ("report-far", "a.faulty", "the faulty reader reported a Diagnostic whose line is "
         "an integer of 5001 digits")]
    for fault, name, message in read:
        status, stderr = faulty_cli(faulty_plugin, fault, "validate", str(site / name),
                                    "--no-cache")
        assert "Traceback" not in stderr
        assert (status, errors_said(stderr)) == (1, [
            f"{site / name}: error: {message} [reader-failed]"]), stderr
    records = tmp_path / "out.records"
    written = [("write:misraise", "faulty", tmp_path / "out.faulty",
                f"the faulty writer raised {carrying['misraise']}"),
               ("record:noerror", "faulty-records", records, "the faulty-records writer "
                f"raised {carrying['noerror']} for muscle 'biceps-brachii'")]
    for fault, to, output, message in written:
        output.write_text("earlier\n")
        status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(SAMPLES), "--to", to,
                                    "-o", str(output), "--no-cache")
        assert "Traceback" not in stderr
        assert (status, errors_said(stderr)) == (1, [
            f"{output}: error: {message} [writer-failed]"]), stderr
        assert output.read_text() == "earlier\n"


def test_a_failing_reader_hook_is_a_reader_failed_error_never_a_traceback(
        faulty_plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's is_own(), companions(), places() (or the function it returns),
    places_file(), field_name() or reformat() raising RuntimeError was a traceback of
    validate, convert or fmt (one returning 42 a traceback later, or taken as true;
    places_file()'s 42 was taken as a file named '42', a sys.exit() of it the message
    alone, exit 1). Each is now one
    reader-failed error naming the format and the hook, exit 1, the earlier output
    kept; locate(), locate_key() and marked_place() raise it as a MuscleError.
    field_name() and places() were placed at 'format' (field_name(), given no path)
    and stopped the run without its summary, as marked_place() did once the checks of
    a record it marked were placed by it, and is_own() did for a file a folder's search
    found: each is now the error of the file it was asked about, refused whole, and
    the run ends with its summary. A hook that called sys.exit() (SystemExit is no
    Exception) ended validate, convert or fmt with its message alone, no diagnostic,
    no summary (exit 1), or, called as the file was read, was said as the reader's
    failure, no word of the hook: it is now the same error as a raised exception's,
    saying it tried to end the program and with what."""
    import converter

    site, out = tmp_path / "site", tmp_path / "out.json"
    site.mkdir()
    (site / "a.hooks").write_text("soleus\nbad slug\n", encoding="utf-8")
    out.write_text("earlier\n")
    for hook in ("is_own", "companions", "places", "place", "places_file", "field_name",
                 "marked_place"):
        for fault, what in ((hook, f"failed: RuntimeError: {hook} boom"),
                            (f"{hook}:exit", _exited(hook)),
                            (f"{hook}:type", "returned int, not ")):
            for command in (("validate",), ("convert", "--to", "json", "-o", str(out))):
                status, stderr = faulty_cli(faulty_plugin, fault, *command, str(site), "--from",
                                      "faulty-hooks", "--no-cache")
                assert "Traceback" not in stderr
                name = "places" if hook == "place" else hook
                assert status == 1 and errors_said(stderr)[0].startswith(
                    f"{site / 'a.hooks'}: error: the faulty-hooks reader's "
                    f"{name}() {what}"), stderr
                assert errors_said(stderr)[0].endswith("[reader-failed]")
                # (a file's error, the run ended with its summary)
                assert "1 file failed" in stderr.splitlines()[-1], stderr
                assert out.read_text() == "earlier\n"
    for fault, what in (("reformat", "failed: RuntimeError: reformat boom"),
                        ("reformat:exit", _exited("reformat")),
                        ("reformat:type", "returned int, not a str")):
        status, stderr = faulty_cli(faulty_plugin, fault, "fmt", str(site / "a.hooks"))
        assert (status, errors_said(stderr)) == (1, [
            f"{site / 'a.hooks'}: error: the faulty-hooks reader's reformat() {what} "
            "[reader-failed]"]), stderr
        assert stderr.splitlines()[-1] == "0 changed, 0 unchanged, 1 failed", stderr
    fmt = registry.get_format("faulty-hooks")
    for hook, args in (("locate", ("title",)), ("locate_key", ("title",)),
                       ("marked_place", (1, "slug"))):
        for fault, what in ((hook, f"failed: RuntimeError: {hook} boom"),
                            (f"{hook}:exit", _exited(hook)),
                            (f"{hook}:type", "returned int, not ")):
            monkeypatch.setenv("FAULT", fault)
            with pytest.raises(converter.MuscleError) as caught:
                getattr(fmt, hook)(site / "a.hooks", *args)
            assert str(caught.value.diagnostics[0]).startswith(
                f"{site / 'a.hooks'}: error: the faulty-hooks reader's {hook}() {what}")


def test_a_places_file_that_fails_in_worker_processes_is_each_files_error(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A plugin's places_file(), asked of each file of many muscles as it is read, that
    raised or called sys.exit() in a --jobs pool was a traceback or its message alone
    (exit 1): it is now each such file's reader-failed error naming the hook, and the
    run ends with its summary."""
    site = tmp_path / "site"
    site.mkdir()
    for n in range(130):  # (enough to be read in a pool of workers)
        (site / f"m-{n:03}.hooks").write_text(f"m-{n:03}\n", encoding="utf-8")
    for fault, what in (("places_file", "failed: RuntimeError: places_file boom"),
                        ("places_file:exit", _exited("places_file"))):
        status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(site), "--from",
                                    "faulty-hooks", "--to", "json", "-o",
                                    str(tmp_path / "out.json"), "--no-cache", "-j", "2")
        assert "Traceback" not in stderr
        assert status == 1 and errors_said(stderr)[0] == (
            f"{site / 'm-000.hooks'}: error: the faulty-hooks reader's places_file() "
            f"{what} [reader-failed]"), stderr
        assert len(errors_said(stderr)) == 130
        assert stderr.splitlines()[-1].endswith("130 files failed"), stderr


@pytest.fixture
def owning_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's reader of one muscle per ``.owning`` file (its slug), which it
    rewrites as it is, whose ``is_own`` raises for ``boom.owning``, calls
    ``sys.exit("needs libfoo")`` for ``exit.owning``, gives a str for ``odd.owning``,
    says ``icon.owning`` is not its own and every other file is."""
    yield from _installed(tmp_path, monkeypatch, "owning", "owning_format",
                          "import sys\n"
                          "from converter.model import Muscle\n"
                          "from converter.registry import Format\n"
                          "class OwningFormat(Format):\n"
                          "    name = 'owning'\n"
                          "    extensions = ('.owning',)\n"
                          "    one_muscle_per_file = True\n"
                          "    def is_own(self, path):\n"
                          "        if path.name == 'boom.owning':\n"
                          "            raise RuntimeError('boom')\n"
                          "        if path.name == 'exit.owning':\n"
                          "            sys.exit('needs libfoo')\n"
                          "        return 'yes' if path.name == 'odd.owning' else (\n"
                          "            path.name != 'icon.owning')\n"
                          "    def read(self, path, ctx):\n"
                          "        slug = path.read_text().strip()\n"
                          "        yield Muscle(slug=slug, title=slug.title())\n"
                          "    def reformat(self, raw, path, ctx):\n"
                          "        return raw.decode()\n",
                          "owning_format:OwningFormat")


def test_a_failing_is_own_is_the_error_of_that_file_and_the_run_goes_on(
        owning_plugin, tmp_path: Path) -> None:
    """A plugin's is_own() that raised (or returned a str) for one file a folder's search
    found stopped validate, convert and fmt there: that one reader-failed error, no
    other file read, no summary. It is now that file's error, the file left out, the
    other files read (and converted, rewritten) and the run ending with its summary,
    exit 1. So is one that called sys.exit(), which ended the run with its message
    alone ('needs libfoo'), no diagnostic, no summary."""
    from click.testing import CliRunner

    from converter.cli import cli

    site, out = tmp_path / "site", tmp_path / "out.json"
    site.mkdir()
    for name, slug in (("a", "soleus"), ("boom", "gracilis"), ("exit", "iliacus"),
                       ("odd", "sartorius"), ("icon", "icon"), ("z", "popliteus")):
        (site / f"{name}.owning").write_text(f"{slug}\n", encoding="utf-8")
    errors = [f"{site / 'boom.owning'}: error: the owning reader's is_own() failed: "
              "RuntimeError: boom [reader-failed]",
              f"{site / 'exit.owning'}: error: the owning reader's is_own() failed: it "
              "tried to end the program (SystemExit with status 'needs libfoo') "
              "[reader-failed]",
              f"{site / 'odd.owning'}: error: the owning reader's is_own() returned str, "
              "not a bool [reader-failed]"]
    summaries = {"validate": "2 muscles valid, 3 files failed: 3 errors, 0 warnings",
                 "convert": f"wrote 2 muscles to {out}; 2 muscles converted, 3 files failed",
                 "fmt": "0 changed, 2 unchanged, 3 failed"}
    for command, more in (("validate", ()), ("convert", ("--to", "json", "-o", str(out))),
                          ("fmt", ())):
        result = CliRunner().invoke(cli, [command, str(site), *more],
                                    catch_exceptions=False)
        assert result.exit_code == 1, result.output
        assert errors_said(result.stderr) == errors, result.stderr
        assert result.stderr.splitlines()[-1] == summaries[command], result.stderr
    assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == [
        "popliteus", "soleus"]  # (by slug)


@pytest.fixture
def exiting_hooks_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A third party's reader of one muscle per ``.exits`` file (its slug, its title
    'X'), whose hook the environment's ``HOOK`` names (``companions``, ``places``, or
    ``place``, the function ``places`` returns) calls ``sys.exit("<hook> gives up")``
    when asked of ``m-077.exits``; yields the folder to put on PYTHONPATH."""
    (tmp_path / "plugin").mkdir()
    for _ in _installed(
        tmp_path / "plugin", monkeypatch, "exits", "exits_format",
        "import os, sys\n"
        "from converter.model import Muscle\n"
        "from converter.registry import Format\n"
        "def ends(hook, path):\n"
        "    if os.environ.get('HOOK') == hook and path.name == 'm-077.exits':\n"
        "        sys.exit(f'{hook} gives up')\n"
        "class ExitsFormat(Format):\n"
        "    name = 'exits'\n"
        "    extensions = ('.exits',)\n"
        "    one_muscle_per_file = True\n"
        "    def read(self, path, ctx):\n"
        "        yield Muscle(slug=path.read_text().strip(), title='X')\n"
        "    def companions(self, path):\n"
        "        ends('companions', path)\n"
        "        return []\n"
        "    def places(self, path):\n"
        "        ends('places', path)\n"
        "        return lambda field: ends('place', path)\n",
        "exits_format:ExitsFormat"):
        yield tmp_path / "plugin"


@pytest.mark.parametrize("hook", ["companions", "places", "place"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_hook_calling_sys_exit_as_a_file_is_read_is_its_error_in_workers_too(
        exiting_hooks_plugin: Path, tmp_path: Path, hook: str, jobs: str) -> None:
    """A plugin's companions() that called sys.exit() as a file was read was said as
    its reader's failure ('the exits reader failed: it tried to end the program'), no
    word of the hook; places() and the function it returns ended the run with the
    message alone (exit 1), or, in a worker process of --jobs, killed it: a
    worker-died error, nothing written (exit 3). Each is now the reader-failed error
    of the file it was asked about, naming the hook, as a raised exception's is, in
    the worker processes too; the other files are converted and the run ends with its
    summary, exit 1."""
    site, out = tmp_path / "site", tmp_path / "out.json"
    site.mkdir()
    for n in range(130):  # (enough to be read in a pool of workers)
        slug = "bad slug" if n == 77 else f"m-{n:03}"  # (a diagnostic: its place asked)
        (site / f"m-{n:03}.exits").write_text(f"{slug}\n", encoding="utf-8")
    result = plugin_cli(exiting_hooks_plugin, "convert", str(site), "--from", "exits",
                        "--to", "json", "-o", str(out), "--no-cache", "-j", jobs,
                        env={"HOOK": hook})
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    name = "places" if hook == "place" else hook
    assert errors_said(result.stderr) == [
        f"{site / 'm-077.exits'}: error: the exits reader's {name}() failed: it tried to "
        f"end the program (SystemExit with status '{hook} gives up') [reader-failed]"]
    assert result.stderr.splitlines()[-1] == (
        f"wrote 129 muscles to {out}; 129 muscles converted, 1 file failed"), result.stderr
    assert len(json.loads(out.read_text())["muscles"]) == 129


def test_a_format_attribute_of_the_wrong_type_is_a_format_not_loaded_error(
        faulty_plugin: Path, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's carries given as a list was a traceback of formats and convert
    (TypeError: '>=' not supported), its extensions given as a str was taken letter by
    letter. A format whose attribute is of the wrong type now does not load: named as a
    plugin that fails to import is (a usage error, a warning of formats, a MuscleError
    of write())."""

    import converter
    from tests.conftest import SAMPLES

    should = {"description": "NoneType, not a str", "extensions": "str, not a tuple of str",
              "directory_marker": "int, not a file name or None",
              "carries": "list, not a frozenset of str",
              "options": "has a str, not a FormatOption",
              "one_muscle_per_file": "str, not a bool",
              "variants": "dict, not a dict of str to a frozenset of str",
              "writes_into_streams": "NoneType, not a bool", "validates": "int, not a bool",
              "aliases": "dict, not a dict of str to a tuple of str"}
    problems = {attribute: f"its {attribute} {what}" if what.startswith("has ") else
                f"its {attribute} is {what}" for attribute, what in should.items()}
    problems["option"] = "its option 'two words' is named by no identifier"
    out = tmp_path / "out.shape"
    for attribute, problem in problems.items():
        message = f"the faulty-shape format could not be loaded: {problem}"
        status, stderr = faulty_cli(faulty_plugin, attribute, "convert", str(SAMPLES), "--to",
                              "faulty-shape", "-o", str(out), "--no-cache")
        assert "Traceback" not in stderr
        assert status == 2 and message in stderr, stderr
        status, stderr = faulty_cli(faulty_plugin, attribute, "formats")
        assert (status, stderr.splitlines()) == (1, [f"muscle-convert: warning: {message}"])
        monkeypatch.setenv("FAULT", attribute)
        sys.modules.pop("faulty_format", None)
        entrypoints._loaded.cache_clear()
        with pytest.raises(converter.MuscleError,
                           match=re.escape(f"{message} [format-not-loaded]")):
            converter.write(sample_muscles, out, "faulty-shape")
    assert not out.exists()


def test_a_format_property_that_fails_is_a_format_not_loaded_error(
        faulty_plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's property (can_read, sorts_found, ...) that raised was a traceback of
    formats, convert and validate, and one giving 42 was taken as true. The format now
    does not load, named as one whose attribute is of the wrong type is. One that
    called sys.exit() ended every command with its message alone (exit 1): it is that
    error too."""
    from converter import plugins
    from tests.conftest import SAMPLES

    properties = ["can_read", "can_write", "writes_records", "can_update", "lossless",
                  "sorts_found", "can_format", "locates_fields", "places_fields"]
    for prop in properties:
        for kind, what in (("", "failed: RuntimeError: property boom"),
                           (":exit", "failed: it tried to end the program (SystemExit with "
                                     "status 'property gives up')"),
                           (":type", "is int, not a bool")):
            monkeypatch.setenv("FAULT", f"property {prop}{kind}")
            sys.modules.pop("faulty_format", None)
            entrypoints._loaded.cache_clear()
            with pytest.raises(registry.MuscleError) as caught:
                registry.get_format("faulty-shape")
            assert [str(d) for d in caught.value.diagnostics] == [
                f"format: error: the faulty-shape format could not be loaded: its {prop} "
                f"{what} [format-not-loaded]"]
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.shape").write_text("soleus\n", encoding="utf-8")
    commands = ((("formats",), 1), (("validate", str(site), "--from", "faulty-shape"), 2),
                (("convert", str(SAMPLES), "--to", "faulty-shape", "-o",
                  str(tmp_path / "out.shape")), 2))
    for kind, what in (("", "RuntimeError: property boom"),
                       (":exit", "it tried to end the program (SystemExit with status "
                                 "'property gives up')")):
        message = f"the faulty-shape format could not be loaded: its sorts_found failed: {what}"
        for command, status in commands:
            result = plugin_cli(faulty_plugin, *command, fault=f"property sorts_found{kind}")
            assert "Traceback" not in result.stderr
            assert result.returncode == status, result.stderr
            assert message in result.stderr, result.stderr
    assert sorted(plugins.PROPERTIES) == sorted(properties)  # (each of them is asked)


def test_an_entry_point_that_gives_no_format_is_a_format_not_loaded_warning(
        faulty_plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry point to a function returning None, or to a class that is no Format,
    and a Format whose name (or description) raises, were a traceback of every command:
    formats, convert to another format, validate, converter.read(). Each is now the
    format's format-not-loaded warning, every other format working. So is a name or
    description that calls sys.exit(), which ended every command with its message
    alone (exit 1)."""
    import converter

    problems = {"entry-none": "its entry point gives NoneType, which is not a Format",
                "entry-other": "its entry point gives NotAFormat, which is not a Format",
                "property name": "its name failed: RuntimeError: property boom",
                "property description": "its description failed: RuntimeError: "
                                        "property boom",
                "property name:exit": "its name failed: it tried to end the program "
                                      "(SystemExit with status 'property gives up')",
                "property description:exit": "its description failed: it tried to end "
                                             "the program (SystemExit with status "
                                             "'property gives up')"}
    out = tmp_path / "out.json"
    for fault, problem in problems.items():
        warning = (f"muscle-convert: warning: the faulty-shape format could not be "
                   f"loaded: {problem}")
        commands = ((("formats",), 1), (("validate", str(SAMPLES)), 0),
                    (("convert", str(SAMPLES), "--to", "json", "-o", str(out),
                      "--no-cache"), 0))
        for command, status in commands:
            result = plugin_cli(faulty_plugin, *command, fault=fault)
            assert "Traceback" not in result.stderr, result.stderr
            assert result.returncode == status, result.stderr
            assert warning in result.stderr.splitlines(), result.stderr
        assert len(json.loads(out.read_text())["muscles"]) == 15
        out.unlink()
        monkeypatch.setenv("FAULT", fault)
        sys.modules.pop("faulty_format", None)
        entrypoints._loaded.cache_clear()
        entrypoints._loading.cache_clear()
        with pytest.warns(UserWarning, match=re.escape(warning.partition(": warning: ")[2])):
            assert len(converter.read(SAMPLES)) == 15
        with pytest.raises(registry.MuscleError) as caught:
            registry.get_format("faulty-shape")
        assert [str(d) for d in caught.value.diagnostics] == [
            f"format: error: {warning.partition(': warning: ')[2]} [format-not-loaded]"]


@pytest.mark.parametrize("command", ["convert", "validate"])
@pytest.mark.parametrize("start", START_METHODS)
def test_a_worker_that_dies_waiting_for_work_leaves_the_run_whole(
        ending_plugin, tmp_path: Path, command: str, start: str) -> None:
    """A worker killed while it waited for work (between chunks: from outside, the OOM
    killer's) stopped the run with an error naming no file, "a worker process died
    (...) between files", though it held none. It now leaves the run to the others
    (the pool starts one in its place): the run ends as it would have, its output
    whole."""
    site = ends_site(tmp_path / "site", {"m-199": "kill-idle"})
    out = tmp_path / "out.json"
    writing = ["--to", "json", "-o", str(out)] if command == "convert" else []
    result = run_ends(tmp_path, command, str(site), "--from", "ends", *writing, "-j", "2",
                      start=start, stalls=False)
    assert (result.returncode, errors_said(result.stderr)) == (0, []), result.stderr
    if command == "convert":
        slugs = [m["slug"] for m in json.loads(out.read_text())["muscles"]]
        assert slugs == [f"m-{i:03}" for i in range(200)]


@pytest.mark.parametrize("start", START_METHODS)
def test_a_worker_that_dies_taking_files_stops_the_run_saying_so(
        ending_plugin, tmp_path: Path, start: str) -> None:
    """A worker that died as it took its next files (its board said it waited for
    work) left them unread for good: the run stops, saying the worker died while
    waiting for work and how many files were read, exit 3, the output as it was."""
    site = ends_site(tmp_path / "site", {"m-150": "vanish"})
    out = tmp_path / "out.json"
    out.write_text("the last run's\n", encoding="utf-8")
    result = run_ends(tmp_path, "convert", str(site), "--from", "ends", "--to", "json",
                      "-o", str(out), "-j", "2", start=start)
    assert "Traceback" not in result.stderr
    assert result.returncode == 3, result.stderr
    assert errors_said(result.stderr) == [
        "muscle-convert: error: a worker process died (killed by signal 9, SIGKILL) while "
        "waiting for work, and the others could not go on without it (128 of 200 files "
        "read); the run stopped [worker-died]"]
    assert out.read_text(encoding="utf-8") == "the last run's\n"


def _odd_corpus(folder: Path) -> list[str]:
    """The samples, and muscles each writer of a map has something to say about: a
    title and a latin name XML cannot store, slugs ``map`` and ``index`` with regions
    (in ``src``), and a JSON file of two muscles whose titles XML cannot store
    (``pair.json``)."""
    import shutil

    from tests.conftest import SAMPLES

    corpus = folder / "src"
    shutil.copytree(SAMPLES, corpus)
    (corpus / "odd.md").write_text('---\ntitle: "Odd \\uFFFE"\nlatin: "Musculus \\uFFFF"\n'
                                   'coords:\n  - "10,10,20,10,20,20"\n---\n', encoding="utf-8")
    square = 'coords:\n  - "30,30,40,30,40,40"\n'  # (without one: no focus image, no link)
    (corpus / "mapped.md").write_text(f"---\nslug: map\ntitle: Map\n{square}---\n",
                                      encoding="utf-8")
    (corpus / "front.md").write_text(f"---\ntitle: Front\nslug: index\n{square}---\n",
                                     encoding="utf-8")
    (folder / "pair.json").write_text(
        '{"muscles": [\n{"slug": "pair-a", "title": "A \\ufffe"},\n'
        '{"slug": "pair-b", "title": "B \\uffff"}\n]}\n', encoding="utf-8")
    return [str(corpus), str(folder / "pair.json")]


#: The writers' diagnostics about a muscle of :func:`_odd_corpus` (file:line:column,
#: severity, field; and code), as ``--to`` svg and html give them.
_AT_THEIR_LINES = {
    "svg": [("pair.json:2:29: warning: muscles[pair-a].title", "not-xml-character"),
            ("pair.json:3:29: warning: muscles[pair-b].title", "not-xml-character"),
            (f"src{os.sep}mapped.md:2:7: error: slug", "reserved-name"),
            (f"src{os.sep}odd.md:2:8: warning: title", "not-xml-character")],
    "html": [("pair.json:2:29: warning: muscles[pair-a].title", "not-xml-character"),
             ("pair.json:3:29: warning: muscles[pair-b].title", "not-xml-character"),
             (f"src{os.sep}front.md:3:7: warning: slug", "reserved-name"),
             (f"src{os.sep}odd.md:2:8: warning: title", "not-xml-character"),
             (f"src{os.sep}odd.md:3:8: warning: latin", "not-xml-character")],
}


@pytest.mark.parametrize("to", sorted(_AT_THEIR_LINES))
def test_a_writers_diagnostic_about_a_muscle_is_at_its_fields_line(tmp_path: Path,
                                                                   to: str) -> None:
    """A writer's warning about a muscle's field named its file and field but no line
    (``odd.md: warning: title: ...``); it is at that field's line and column now, as a
    reader's is (WriteContext.muscle_diagnostic), in a file of many muscles too."""
    from click.testing import CliRunner

    from converter.cli import cli

    sources = _odd_corpus(tmp_path)
    result = CliRunner().invoke(cli, ["convert", *sources, "--to", to, "-o",
                                      str(tmp_path / to), "--no-cache"])
    codes = {code for _, code in _AT_THEIR_LINES[to]}
    said = [line.split(": ", 3) for line in result.stderr.splitlines()
            if any(line.endswith(f"[{code}]") for code in codes)]
    assert [(": ".join(parts[:3]).removeprefix(f"{tmp_path}{os.sep}"),
             parts[3].rsplit("[", 1)[1].rstrip("]")) for parts in said] == _AT_THEIR_LINES[to]


@pytest.fixture
def validating_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's reader that sets validates, as README tells one built on
    muscle_from_front_matter to: a file holding ``boom`` raises, one holding ``hook``
    has a companions() that raises; one holding ``dict`` gives a dict, ``str`` a str."""
    yield from _installed(tmp_path, monkeypatch, "vtoml", "vtoml_format",
                          "from converter.authoring import muscle_from_front_matter\n"
                          "from converter.registry import Format\n"
                          "class VtomlFormat(Format):\n"
                          "    name = 'vtoml'\n"
                          "    extensions = ('.vtoml',)\n"
                          "    one_muscle_per_file = True\n"
                          "    validates = True\n"
                          "    def companions(self, path):\n"
                          "        if path.read_text() == 'hook':\n"
                          "            raise RuntimeError('hook boom')\n"
                          "        return []\n"
                          "    def read(self, path, ctx):\n"
                          "        if path.read_text() == 'boom':\n"
                          "            raise ValueError('bad TOML')\n"
                          "        if path.read_text() in ('dict', 'str'):\n"
                          "            yield ({'slug': path.stem} if path.read_text() == "
                          "'dict'\n"
                          "                   else path.stem)\n"
                          "            return\n"
                          "        yield muscle_from_front_matter(\n"
                          "            {'title': path.stem}, path=str(path),\n"
                          "            slug_hint=path.stem, default_lang='en')\n",
                          "vtoml_format:VtomlFormat")


def test_a_plugin_reader_that_validates_is_guarded_as_any_plugins(
        validating_plugin, tmp_path: Path) -> None:
    """A plugin reader that sets validates and raised (a TOMLDecodeError) was a
    traceback ending the run, as the project's own readers' bugs are; so was one of its
    hooks. Each is now that file's reader-failed error, and the other files are read."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.vtoml").write_text("fine")
    (source / "bad.vtoml").write_text("boom")
    (source / "odd.vtoml").write_text("hook")
    out = tmp_path / "out.json"
    result = plugin_cli(tmp_path, "convert", str(source), "--from", "vtoml", "--to", "json",
                  "-o", str(out), "--no-cache")
    assert "Traceback" not in result.stderr
    assert (result.returncode, errors_said(result.stderr)) == (1, [
        f"{source / 'bad.vtoml'}: error: the vtoml reader failed: ValueError: bad TOML "
        "[reader-failed]",
        f"{source / 'odd.vtoml'}: error: the vtoml reader's companions() failed: "
        "RuntimeError: hook boom [reader-failed]"]), result.stderr
    assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == ["good"]

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_validating_readers_non_muscle_is_named(validating_plugin, tmp_path: Path,
                                                  jobs: str) -> None:
    """A reader that declares ``validates`` and gave a dict or a str was said as the
    reader failing with an AttributeError ('dict' object has no attribute 'slug'); it
    is now that file's one error saying what the reader gave, and the other files are
    converted."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.vtoml").write_text("dict")
    (source / "b.vtoml").write_text("str")
    (source / "good.vtoml").write_text("fine")
    out = tmp_path / "out.json"
    result = plugin_cli(tmp_path, "convert", str(source), "--from", "vtoml", "--to", "json",
                  "-o", str(out), "--no-cache", "--jobs", jobs)
    assert "Traceback" not in result.stderr
    assert (result.returncode, errors_said(result.stderr)) == (1, [
        f"{source / 'a.vtoml'}: error: the vtoml reader gave a dict, not a Muscle "
        "[reader-failed]",
        f"{source / 'b.vtoml'}: error: the vtoml reader gave a str, not a Muscle "
        "[reader-failed]"]), result.stderr
    assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == ["good"]


def test_a_reader_failing_past_its_first_muscles_refuses_its_file_whole(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A plugin reader that raised (anything but a MuscleError) after it yielded muscles
    had those muscles written ("1 muscle converted, 1 file failed"), where a MuscleError
    refuses the file whole; any failure now refuses it whole."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.faulty").write_text("biceps\nsoleus\nstop\n")
    (source / "b.faulty").write_text("deltoid\n")
    out = tmp_path / "out.json"
    for fault, message in (("midway", "the faulty reader failed: RuntimeError: read boom "
                            "[reader-failed]"), ("midway-os", "disk gone")):
        status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(source),
                                     "--from", "faulty", "--to", "json", "-o", str(out),
                                     "--no-cache")
        assert "Traceback" not in stderr
        errors = errors_said(stderr)
        assert status == 1 and len(errors) == 1, stderr
        assert errors[0].startswith(f"{source / 'a.faulty'}: error: ") and message in errors[0]
        assert [m["slug"] for m in json.loads(out.read_text())["muscles"]] == ["deltoid"]


def test_an_ending_without_a_dot_or_a_field_the_model_lacks_is_not_loaded(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A plugin's extensions ("shape", no dot) and its carries naming no field of the
    model ("tittle") were taken without a word: the ending never matched a file, the
    field was silently never carried. Each is now a format-not-loaded warning."""
    from tests.conftest import SAMPLES

    messages = {"nodot": "its extensions has 'shape', not a file name ending that starts "
                "with a dot ('.shape')",
                "tittle": "its carries has 'tittle', which is no field of the model (it "
                "has slug, title, latin, origin, insertion, functions, exercises, image, "
                "image_focus, regions, body, extra)"}
    for fault, problem in messages.items():
        message = f"the faulty-shape format could not be loaded: {problem}"
        status, stderr = faulty_cli(faulty_plugin, fault, "formats")
        assert (status, stderr.splitlines()) == (1, [f"muscle-convert: warning: {message}"])
        status, stderr = faulty_cli(faulty_plugin, fault, "convert", str(SAMPLES), "--to",
                                     "faulty-shape", "-o", str(tmp_path / "out.shape"))
        assert status == 2 and message in stderr and "Traceback" not in stderr, stderr


def test_a_variant_carrying_a_field_the_model_lacks_is_not_loaded(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A plugin's variant naming no field of the model ({"flat": {"slug", "tittle"}})
    was taken without a word, and `formats` listed it as carrying "tittle"; it is now
    a format-not-loaded warning, as the same name in its carries is."""
    from tests.conftest import SAMPLES

    message = ("muscle-convert: warning: the faulty-shape format could not be loaded: its "
               "variant 'flat' carries 'tittle', which is no field of the model (it has "
               "slug, title, latin, origin, insertion, functions, exercises, image, "
               "image_focus, regions, body, extra)")
    status, stderr = faulty_cli(faulty_plugin, "variant-tittle", "formats")
    assert (status, stderr.splitlines()) == (1, [message])
    status, stderr = faulty_cli(faulty_plugin, "variant-tittle", "convert", str(SAMPLES),
                                 "--to", "faulty-shape", "-o", str(tmp_path / "out.shape"))
    assert status == 2 and message.removeprefix("muscle-convert: warning: ") in stderr
    assert "Traceback" not in stderr and not (tmp_path / "out.shape").exists()


def test_an_alias_implying_a_flag_the_format_lacks_is_not_loaded(
        faulty_plugin: Path, tmp_path: Path) -> None:
    """A format's aliases name the flags each implies ({"sheet": ("flat",)}, told as
    "did you mean --to faulty-shape --flat?"); one implying a flag the format has not
    would advise an option that fails. It is a format-not-loaded warning, as a variant
    carrying no field of the model is."""
    from tests.conftest import SAMPLES

    message = ("muscle-convert: warning: the faulty-shape format could not be loaded: its "
               "alias 'sheet' implies 'flat', which is no flag option of it (it has none)")
    status, stderr = faulty_cli(faulty_plugin, "alias-flat", "formats")
    assert (status, stderr.splitlines()) == (1, [message])
    status, stderr = faulty_cli(faulty_plugin, "alias-flat", "convert", str(SAMPLES),
                                 "--to", "faulty-shape", "-o", str(tmp_path / "out.shape"))
    assert status == 2 and message.removeprefix("muscle-convert: warning: ") in stderr
    assert "Traceback" not in stderr and not (tmp_path / "out.shape").exists()


def test_a_file_of_a_plugin_that_does_not_load_is_told_so(broken_plugin,
                                                          tmp_path: Path) -> None:
    """A file ending as a plugin that failed to import is named (x.broken) was told
    "use format=", which then failed as well; it is now told that format could not be
    loaded. A file of an ending no format is named after is still told to name one."""
    import converter

    for name, hint in (("x.broken", "the broken format, which may read it, could not be "
                        "loaded (see its warning)"), ("x.other", "use format=")):
        (tmp_path / name).write_text("soleus\n")
        with warnings.catch_warnings(), pytest.raises(converter.MuscleError) as caught:
            warnings.simplefilter("ignore")  # (the broken format's, said once)
            converter.read(tmp_path / name)
        assert [str(d) for d in caught.value.diagnostics] == [
            f"{tmp_path / name}: error: cannot tell the format from the name; {hint} "
            "[unknown-format]"]


def test_writing_to_the_ending_of_a_plugin_that_does_not_load_says_so(
        broken_plugin, tmp_path: Path, sample_muscles) -> None:
    """write(muscles, "m.broken") said "cannot tell the format from the name; pass
    format=" (which then failed as well), where read("m.broken") says the broken format
    could not be loaded; write() says so now. Another ending is still told format=."""
    import converter

    out = tmp_path / "out"
    out.mkdir()
    for name, hint in (("m.broken", "the broken format, which may write it, could not be "
                        "loaded (see its warning)"), ("m.other", "pass format=")):
        with warnings.catch_warnings(), pytest.raises(converter.MuscleError) as caught:
            warnings.simplefilter("ignore")  # (the broken format's, said once)
            converter.write(sample_muscles, out / name)
        assert [str(d) for d in caught.value.diagnostics] == [
            f"{out / name}: error: cannot tell the format from the name; {hint} "
            "[unknown-format]"]
    assert list(out.iterdir()) == []


@pytest.fixture
def reader_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's format that reads (one slug per line) and cannot write."""
    yield from _installed(tmp_path, monkeypatch, "slugs", "slugs_format",
                          "from converter.registry import Format\n"
                          "from converter.model import Muscle\n"
                          "class SlugsFormat(Format):\n"
                          "    name = 'slugs'\n"
                          "    extensions = ('.slugs',)\n"
                          "    carries = frozenset({'slug', 'title'})\n"
                          "    def read(self, path, ctx):\n"
                          "        for line in path.read_text().splitlines():\n"
                          "            yield Muscle(slug=line, title=line)\n",
                          "slugs_format:SlugsFormat")


def test_writing_a_name_of_a_format_that_only_reads_says_so(reader_plugin, tmp_path: Path,
                                                             sample_muscles) -> None:
    """write(muscles, "w.slugs"), named as a file of a plugin that reads but cannot
    write, was 'cannot tell the format from the name; pass format=', though the name
    told it; it now says what the name is, as read() says of a file a format writes but
    cannot read."""
    import converter

    out = tmp_path / "w.slugs"
    with pytest.raises(converter.MuscleError) as caught:
        converter.write(sample_muscles, out)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{out}: error: is a slugs file, a format muscle-convert reads but cannot write; "
        "pass format= [unknown-format]"]
    assert not out.exists()


def test_a_reader_ending_its_process_with_few_files_ends_the_run_with_its_status(
        ending_plugin, tmp_path: Path) -> None:
    """README said a reader calling os._exit under --jobs 2 is worker-died, exit 3; but
    fewer than 2 x CHUNK files of one muscle are read in the main process, where
    os._exit(7) ends the run with status 7 and no word. README now says when files are
    read in workers (at least 2 x CHUNK of them to read), as this run shows."""
    from converter.pipeline import CHUNK

    site = ends_site(tmp_path / "site", {"m-001": "_exit 7"}, count=2 * CHUNK - 1)
    out = tmp_path / "out.json"
    out.write_text("the last run's\n", encoding="utf-8")
    result = run_ends(tmp_path, "convert", str(site), "--from", "ends", "--to", "json",
                      "-o", str(out), "-j", "2")
    assert (result.returncode, result.stderr) == (7, "")
    assert out.read_text(encoding="utf-8") == "the last run's\n"
    readme = " ".join(Path("README.md").read_text(encoding="utf-8").split())
    assert (f"only when at least {2 * CHUNK} such files are to be read (two chunks of "
            f"{CHUNK}; those the cache holds are not read)") in readme


@pytest.fixture
def why_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A third party's reader of ``.why`` files whose ``is_own`` leaves out those named
    ``icon*``, and whose ``why_not_own`` says ``an icon``, raises for ``icon-boom.why``
    and gives 42 for ``icon-odd.why``."""
    yield from _installed(tmp_path, monkeypatch, "why", "why_format",
                          "from converter.model import Muscle\n"
                          "from converter.registry import Format\n"
                          "class WhyFormat(Format):\n"
                          "    name = 'why'\n"
                          "    extensions = ('.why',)\n"
                          "    one_muscle_per_file = True\n"
                          "    def is_own(self, path):\n"
                          "        return not path.name.startswith('icon')\n"
                          "    def why_not_own(self, path):\n"
                          "        if path.name == 'icon-boom.why':\n"
                          "            raise RuntimeError('boom')\n"
                          "        return 42 if path.name == 'icon-odd.why' else 'an icon'\n"
                          "    def read(self, path, ctx):\n"
                          "        yield Muscle(slug='soleus', title='Soleus')\n",
                          "why_format:WhyFormat")


def test_a_plugins_why_not_own_is_said_and_one_that_fails_says_nothing(
        why_plugin, tmp_path: Path) -> None:
    """The note and no-inputs hint of a file a search left out said only to name it;
    a format's why_not_own() now says why, and a third party's that raises or gives no
    str says nothing (the hint: name it to see why), never a traceback."""
    from click.testing import CliRunner

    from converter.cli import cli

    site = tmp_path / "site"
    site.mkdir()
    for name, why in (("icon-a", ", an icon: name it to read it)"),
                      ("icon-boom", ": name it to see why)"),
                      ("icon-odd", ": name it to see why)")):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.why").write_text("x\n", encoding="utf-8")
        (site / f"{name}.why").write_text("x\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["validate", str(tmp_path / name), "--no-cache"])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"({tmp_path / name / f'{name}.why'} is not what the why reader takes{why}" \
            in result.stderr
    (site / "soleus.why").write_text("x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(site), "--no-cache", "--exclude",
                                      "icon-[bo]*"])
    assert result.exit_code == 0, result.stderr
    assert (f"note: 1 file left out: its format does not take it for its own "
            f"({site / 'icon-a.why'}, an icon: name it to read it)") in result.stderr
