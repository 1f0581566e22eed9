"""A third party's formats that fail as asked (tests/test_registry.py and
tests/test_writerrun.py install them), and the command line run with plugins."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import cli_command, installed_folder
from tests.waits import WAIT

#: A third party's formats that fail as the environment's FAULT says (read when called):
#: ``faulty`` reads and writes one slug per line, ``faulty-records`` writes one record
#: per muscle.
FAULTY = '''
import os
import sys
from converter.diagnostics import Diagnostic, MuscleError, error
from converter.model import Muscle, Region
from converter.registry import Format, FormatOption


def fault():
    return os.environ.get("FAULT", "")


def misraised(name):
    """The MuscleError of no Diagnostic a plugin's ``name`` raises when FAULT is
    ``name:misraise`` (one of MuscleErrors), or ``name:noerror`` (one of none)."""
    if fault() == name + ":misraise":
        raise MuscleError([error("--to", "bad-option", f"{name} says no")])
    if fault() == name + ":noerror":
        raise MuscleError([])


class FaultyFormat(Format):
    name = "faulty"
    extensions = (".faulty",)

    def read(self, path, ctx):
        misraised("read")
        if fault() == "report":
            ctx.report("not a diagnostic")
            ctx.report(Diagnostic(str(path), "2", None, "", "odd", "line as text"))
        if fault() == "report-far":
            ctx.report(Diagnostic(str(path), 10**5000, None, "", "odd", "far down"))
        if fault() == "text":
            return "abc"
        return self.lines(path, ctx)

    def lines(self, path, ctx):
        for index, line in enumerate(path.read_text().splitlines()):
            ctx.mark = index  # (where marked_place() finds the record's checks)
            if line == "stop" and fault() == "midway":
                raise RuntimeError("read boom")
            if line == "stop" and fault() == "midway-os":
                raise OSError("disk gone")
            points = ((1, 2), (30, 4), (5, 10))
            if fault() == "float":
                points = tuple((x + 0.5, y) for x, y in points)
            yield Muscle(slug=line, title=line.title(), regions=(Region(points),))

    def write(self, muscles, out, ctx):
        misraised("write")
        if fault() == "raise":
            raise RuntimeError("writer boom")
        if fault() == "lazy":
            return None
        out.write_text("".join(m.slug + "\\n" for m in muscles))
        return 42 if fault() == "number" else "written"

    def update(self, muscles, out, ctx, *, total):
        if fault() == "update":
            raise RuntimeError("update boom")
        misraised("update")
        return 42


class FaultyRecords(Format):
    name = "faulty-records"
    extensions = (".records",)

    def record(self, muscle, options):
        misraised("record")
        if muscle.slug == "biceps-brachii" or fault() == "record-all":
            raise RuntimeError("record boom")
        return muscle.slug

    def write_records(self, records, out, ctx):
        out.write_text("".join(text + "\\n" for _, text in records))


class Hooks:
    """A format whose hook named by FAULT raises; with ":type" after the name, it
    returns 42; with ":exit", it calls sys.exit("<name> gives up"); with ":misraise"
    or ":noerror", raises a MuscleError of no Diagnostic (misraised)."""

    def hook(self, name, right):
        misraised(name)
        if fault() == name:
            raise RuntimeError(f"{name} boom")
        if fault() == name + ":exit":
            sys.exit(f"{name} gives up")
        return 42 if fault() == name + ":type" else right

    def check_options(self, options):
        return self.hook("check_options", None)

    def writes_directory(self, options):
        return self.hook("writes_directory", False)

    def is_own(self, path):
        return self.hook("is_own", True)

    def companions(self, path):
        return self.hook("companions", [])

    def locate(self, path, field):
        return self.hook("locate", None)

    def locate_key(self, path, field):
        return self.hook("locate_key", None)

    def places(self, path):
        return self.hook("places", lambda field: self.hook("place", None))

    def places_file(self, path):
        return self.hook("places_file", None)

    def marked_place(self, path, mark, field):
        return self.hook("marked_place", None)

    def field_name(self, field):
        return self.hook("field_name", field)

    def reformat(self, raw, path, ctx):
        return self.hook("reformat", raw.decode())


class FaultyHooks(Hooks, FaultyFormat):
    name = "faulty-hooks"
    extensions = (".hooks",)


class FaultyWriterHooks(Hooks, FaultyRecords):
    name = "faulty-writer"
    extensions = (".written",)


class FaultyShape(FaultyFormat):
    """Its attribute named by FAULT is of the wrong type (_SHAPES)."""

    name = "faulty-shape"
    extensions = (".shape",)


_SHAPES = {"description": None, "extensions": ".shape", "directory_marker": 3,
           "carries": ["slug"], "options": ("flat",), "one_muscle_per_file": "yes",
           "variants": {"flat": ["slug"]}, "writes_into_streams": None, "validates": 1,
           "aliases": {"sheet": ["flat"]}}
_SHAPES["option"] = (FormatOption(name="two words", help="?"),)
if fault() in _SHAPES:
    setattr(FaultyShape, "options" if fault() == "option" else fault(), _SHAPES[fault()])
#: Attributes of their types whose values are amiss: FAULT -> (attribute, value).
_VALUES = {"nodot": ("extensions", (".shape", "shape")),
           "tittle": ("carries", frozenset({"slug", "tittle"})),
           "variant-tittle": ("variants", {"flat": frozenset({"slug", "tittle"})}),
           "alias-flat": ("aliases", {"sheet": ("flat",)})}
if fault() in _VALUES:
    setattr(FaultyShape, *_VALUES[fault()])


class NotAFormat:
    """What an entry point gives that is no Format (FAULT ``entry-other``)."""

    name = "faulty-shape"


def shape():
    """The faulty-shape format, or what FAULT says its entry point gives instead: None
    (``entry-none``), an object of a class of its own (``entry-other``)."""
    return {"entry-none": None, "entry-other": NotAFormat()}.get(fault(), FaultyShape())


def raising(self):
    raise RuntimeError("property boom")


def exiting(self):
    sys.exit("property gives up")


if fault().startswith("property "):  # ("property can_read", or ":type" after: 42,
    prop, _, kind = fault().removeprefix("property ").partition(":")  # ":exit": sys.exit)
    made = {"": raising, "type": lambda self: 42, "exit": exiting}[kind]
    setattr(FaultyShape, prop, property(made))
'''


def faulty_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The :data:`FAULTY` formats installed; yields the folder to put on PYTHONPATH."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "faulty_format.py").write_text(FAULTY, encoding="utf-8")
    dist = folder / "faulty_format-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: faulty_format\n"
                                   "Version: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[muscle_convert.formats]\nfaulty = faulty_format:FaultyFormat\n"
        "faulty-records = faulty_format:FaultyRecords\n"
        "faulty-hooks = faulty_format:FaultyHooks\n"
        "faulty-writer = faulty_format:FaultyWriterHooks\n"
        "faulty-shape = faulty_format:shape\n")
    yield from installed_folder(folder, monkeypatch, "faulty_format")


def plugin_cli(plugins: Path, *command: str, fault: str = "", start: str = "fork",
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``muscle-convert command`` with the plugins installed in ``plugins`` (those
    that read ``FAULT`` failing as ``fault`` says), its worker processes started by
    ``start`` (see :data:`~tests.conftest.START_METHODS`), ``env`` added to its
    environment; a hang fails the test."""
    env = {**os.environ, "PYTHONPATH": f"{plugins}:{Path.cwd()}", "FAULT": fault,
           **(env or {})}
    return subprocess.run([*cli_command(start), *command], env=env,
                          capture_output=True, text=True, check=False, timeout=WAIT)


def faulty_cli(plugin: Path, fault: str, *arguments: str) -> tuple[int, str]:
    """(exit status, standard error) of the command line with ``plugin`` installed and
    its formats failing as ``fault`` says."""
    result = plugin_cli(plugin, *arguments, fault=fault)
    return result.returncode, result.stderr


def errors_said(stderr: str) -> list[str]:
    """The error lines of ``stderr``."""
    return [line for line in stderr.splitlines() if ": error: " in line]
