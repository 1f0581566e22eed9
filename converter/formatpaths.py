"""The format of a path, by directory marker or file name ending, and what is wrong with
an output path as the place of what a format writes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, MuscleError
from .entrypoints import all_formats, by_rank
from .spellings import spelling

if TYPE_CHECKING:
    from .formatbase import Format


def endings_of(fmt: Format) -> tuple[str, ...]:
    """``fmt``'s file name endings in lower case: a file's name, lowered, is told from
    them in any case (``.TITLES``, ``.titles``)."""
    return tuple(ending.lower() for ending in fmt.extensions)


def _writing_instead(formats: Iterable[Format]) -> str:
    """The hint ``" (or use --to jsonl)"`` naming how those of ``formats`` that write
    one file do (each once, as the caller names options: :func:`spelling`); ``""``
    when none does (a reader only, a writer of folders only)."""
    ways = dict.fromkeys(way for fmt in formats if (way := _one_file(fmt)))
    return f" (or use {' or '.join(ways)})" if ways else ""


def _one_file(fmt: Format) -> str | None:
    """How ``fmt`` writes one file (``--to json``, ``--to csv --flat``, or as the
    Python API names them: :func:`spelling`), or None when it cannot (it has no writer,
    it writes folders only, or its ``writes_directory`` fails: a third party's, not the
    user's mistake to be told of here)."""
    if not fmt.can_write:
        return None
    named = spelling()
    try:
        if not fmt.writes_directory({}):
            return named.given("to", fmt.name)
        flags = [f for f in fmt.variants if not fmt.writes_directory({f: True})]
    except MuscleError:
        return None
    return named.together(named.given("to", fmt.name), named.given(flags[0])) if flags \
        else None


def output_mistake(fmt: Format, output: str, options: Mapping[str, Any], *,
                   guessed: bool = False) -> Diagnostic | None:
    """What is wrong with ``output`` (as typed) as the place of what ``fmt`` writes with
    ``options``, or None. For one file: a name ending in a separator or a dot folder, or
    an existing directory (``output-is-directory``); a name ending like another format's
    file (``output-ending``: ``-o m.jsonl`` for json); standard output for a writer that
    needs a real file (``output-not-file``), or a name of one (``/dev/stdout``), a
    device or a FIFO. For a directory: standard output (``-``), an existing file
    (``/dev/null`` too) or a name ending like a file of some format
    (``output-not-directory``; with ``guessed``, ``fmt`` told from that very ending,
    which the caller never named: said so). Options are named as the caller names them
    (:func:`spelling`); standard output as :func:`~converter.atomic.output_name` does."""
    from .atomic import is_special, names_stdout, output_is_stdout, output_name

    def mistake(code: str, message: str) -> Diagnostic:
        return Diagnostic(output_name(output), None, None, "", code, message,
                          stream=output_is_stdout(output))

    to = spelling().given("to", fmt.name)

    name = os.path.basename(output.rstrip("/" + os.sep)).lower()
    from .marker import DIRECTORY_MARKER

    if name == DIRECTORY_MARKER:
        return mistake("output-ending", f"{output} is named like the file muscle-convert "
                       "leaves in every folder it writes, which says what in that folder "
                       "is its own to replace; rename it")
    if not fmt.writes_directory(options):
        last = output.replace(os.sep, "/").rsplit("/", 1)[-1]
        if output.endswith(("/", os.sep)) or last in (os.curdir, os.pardir) or (
                output != "-" and os.path.isdir(output)):
            return mistake("output-is-directory", f"{output} names a directory, and {to} "
                           "writes one file; give a file name")
        if output == "-" and not fmt.writes_into_streams:
            return mistake("output-not-file", f"{to} cannot write into standard "
                           "output; give a file name")
        if not fmt.writes_into_streams and is_special(Path(output)):  # (/dev/stdout)
            return mistake("output-not-file", f"{to} cannot write into standard output, "
                           "a device or a FIFO; give a file name")
        marking = [f.name for f in all_formats() if f is not fmt and f.can_read
                   and f.directory_marker and name == f.directory_marker.lower()]
        if marking:
            return mistake("output-ending", f"{output} is named like the file that marks a "
                           f"{marking[0]} folder, and would be read back as one; rename it")
        if not name.endswith(endings_of(fmt)):
            others = [(e, f) for f in by_rank() if f is not fmt
                      for e in f.extensions if name.endswith(e.lower())]
            if others:
                ending, other = max(others, key=lambda found: len(found[0]))
                return mistake("output-ending", f"{output} is named like a {ending} file "
                               f"({other.name}), and {to} writes "
                               f"{' or '.join(fmt.extensions) or 'its own'} files; "
                               f"rename it{_writing_instead(f for _, f in others)}")
        return None
    if names_stdout(output):  # (-, /dev/stdout: standard output, whatever it leads to)
        return mistake("output-not-directory", f"{to} writes a directory, which "
                       "standard output cannot take; give a directory name")
    flags = [f for f in fmt.variants if not fmt.writes_directory({**options, f: True})]
    hint = "".join(f" (or {spelling().offered(f)} for one file)" for f in flags[:1])
    endings = [e for f in all_formats() for e in f.extensions if name.endswith(e.lower())]
    if guessed and endings:  # (told from the ending: it is the cause, whatever exists)
        return mistake("output-not-directory", _guessed_directory(fmt, output, flags))
    if os.path.exists(output) and not os.path.isdir(output):  # (a file, /dev/null)
        return mistake("output-not-directory", f"{to} writes a directory, and "
                       f"{output} exists and is not one; give a directory name{hint}")
    if endings:
        return mistake("output-not-directory", f"{to} writes a directory, and "
                       f"{output} is named like a {max(endings, key=len)} file; give a "
                       f"directory name{hint}")
    return None


def _guessed_directory(fmt: Format, output: str, flags: list[str]) -> str:
    """What to say of ``output``, whose ending gave ``fmt``, a format that writes a
    directory (unless one of ``flags`` is given): how to write one file, or the
    directory with the format named."""
    named = spelling()
    unless = f" unless {named.given(flags[0])}" if flags else ""
    one = f"{named.offered(flags[0])} for one file, or " if flags else ""
    return (f"{output} names the {fmt.name} format by its ending, which writes a "
            f"directory{unless}; {one}{named.offered('to', fmt.name)} with a directory name")


def detect_format(path: Path, *, for_reading: bool) -> Format | None:
    """The format a path belongs to, by directory marker or file name ending (a file's
    name told from a marker and an ending in any case)."""
    candidates = [f for f in by_rank() if (f.can_read if for_reading else f.can_write)]
    if _is(Path.is_dir, path):
        for fmt in candidates:
            if fmt.directory_marker and _is(Path.is_file, path / fmt.directory_marker):
                return fmt
        return None
    name = path.name.lower()
    for fmt in candidates:  # (a file to write is never a folder's marker: output_mistake)
        if for_reading and fmt.directory_marker and name == fmt.directory_marker.lower():
            return fmt
    matches = [(len(ext), fmt) for fmt in candidates
               for ext in endings_of(fmt) if name.endswith(ext)]
    # (of endings as long, the first ranked: a built-in format's, not a plugin's)
    return max(matches, key=lambda m: m[0])[1] if matches else None


def _is(test: Callable[[Path], bool], path: Path) -> bool:
    """``test(path)`` (``Path.is_dir``, ``Path.is_file``), False where the name cannot be
    looked up at all: one too long (ENAMETOOLONG), which pathlib raises, is told from its
    ending and fails where it is opened, as a name with the format given does."""
    try:
        return test(path)
    except OSError:
        return False
