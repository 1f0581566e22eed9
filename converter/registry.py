"""The format registry: formats are plugins found through entry points.

A format is one small class in one module, registered with one line in
``pyproject.toml``::

    [project.entry-points."muscle_convert.formats"]
    json = "formats.json:JsonFormat"

The core never imports a format by name: it asks this registry. Format modules are
imported only when a format is used (or listed), so start-up stays fast.

This module gathers the names a format (a third party's too) imports from
``converter.registry``; each is made in a module of its own concern:
:mod:`~converter.formatbase` (the :class:`Format` base class),
:mod:`~converter.contexts` (what a reader and writer get), :mod:`~converter.spellings`
(how diagnostics name options), :mod:`~converter.writerrun` (a writer's failures
made diagnostics), :mod:`~converter.entrypoints` (finding and loading formats),
:mod:`~converter.codefiles` (the files of their code) and
:mod:`~converter.formatpaths` (a path's format, an output path's mistakes).
"""

from __future__ import annotations

from .codefiles import code_files, module_files
from .contexts import MAX_BYTES, ReadContext, Source, WriteContext, read_at_most
from .diagnostics import Diagnostic, MuscleError, Severity
from .entrypoints import (
    ENTRY_POINT_GROUP,
    OWN_DISTRIBUTION,
    all_formats,
    built_in,
    format_names,
    get_format,
    not_loaded,
    ranked,
    unknown_format,
)
from .formatbase import Format, FormatOption, Place
from .formatpaths import detect_format, endings_of, output_mistake
from .model import ALL_FIELDS, Muscle
from .spellings import (
    COMMAND_LINE,
    CONFIG_FILE,
    FMT_COMMAND,
    PYTHON_API,
    Spelling,
    spell,
    spelled,
    spelling,
    start_thread,
)
from .writerrun import Watched, WriterFailed, failure, made_record, run_writer, writer_failed

__all__ = [
    "ALL_FIELDS", "COMMAND_LINE", "CONFIG_FILE", "ENTRY_POINT_GROUP", "FMT_COMMAND",
    "MAX_BYTES", "OWN_DISTRIBUTION", "PYTHON_API", "Diagnostic", "Format", "FormatOption",
    "Muscle", "MuscleError", "Place", "ReadContext", "Severity", "Source", "Spelling",
    "Watched", "WriteContext", "WriterFailed", "all_formats", "built_in", "code_files",
    "detect_format", "endings_of", "failure", "format_names", "get_format", "made_record",
    "module_files", "not_loaded", "output_mistake", "ranked", "read_at_most", "run_writer",
    "spell", "spelled", "spelling", "start_thread", "unknown_format", "writer_failed",
]
