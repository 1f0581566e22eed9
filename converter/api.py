"""The Python API: :func:`read` and :func:`write`, the package's ``converter.read`` and
``converter.write``. Imported on their first use (``import converter`` imports no
submodule: the command line starts fast), so their annotations name what they take and
give as real names, which ``typing.get_type_hints`` resolves.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .diagnostics import Diagnostic, shown_value
from .model import Muscle
from .registry import FormatOption

if TYPE_CHECKING:
    from .discovery import Inputs
    from .pipeline import Reader

__all__ = ["read", "write"]


_Call = TypeVar("_Call", bound=Callable[..., Any])


def _keywords(call: _Call) -> _Call:
    """``call`` with its diagnostics naming options as the Python API takes them
    (``flat=True``, ``format='jsonl'``), not as the command line's flags
    (:func:`~converter.registry.spelled`), and a working folder deleted under it said
    as one ``working-folder-gone`` (:func:`_gone_said`). Its warnings go one frame
    further up."""
    @functools.wraps(call)
    def spelled_call(*args: Any, **kwargs: Any) -> Any:
        from .registry import PYTHON_API, spelled
        with spelled(PYTHON_API), _gone_said():
            return call(*args, **kwargs)

    return spelled_call  # type: ignore[return-value]


@_keywords
def read(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
         format: str | None = None, *,
         default_lang: str = "en", exclude: str | Iterable[str] = (),
         drafts: bool = False, max_bytes: int = 4 * 1024 * 1024) -> list[Muscle]:
    """Read muscles from files or directories of any readable format.

    ``max_bytes``: the largest Markdown file or SVG map read, as ``--max-bytes``
    takes it (4 MiB by default); a larger one is ``file-too-large``. Not a positive
    int: a ``TypeError`` or ``ValueError``.

    ``drafts``: also give the muscles marked drafts (``draft: true`` or ``published:
    false`` among their extra keys, as Hugo and Jekyll leave such pages out); without
    it they are left out, as ``convert`` leaves them out without ``--drafts``: they
    take no slug, and one Python warning says how many.

    ``exclude``: patterns (gitignore style, as ``--exclude`` takes them) of what a
    folder's search leaves out, matched relative to the folder named (``"README.md"``,
    ``["_index.md", "drafts/**"]``); a path named is always read. A pattern that is
    none is a ``bad-option`` :class:`MuscleError` of ``exclude`` (``--exclude``'s usage
    error); what is not text, a ``TypeError``.

    Raises :class:`MuscleError` listing every problem when any input is invalid (by
    file, line, column and code, as ``validate`` says them); a
    warning of what was not read (a folder with nothing to read, a column no field
    has, a folder below a source that muscle-convert wrote) is a Python warning (the
    lints' warnings are ``validate``'s).
    """
    import warnings

    from .diagnostics import MuscleError, agreeing, counted, has_errors, in_order
    from .discovery import discover, not_searched, passed_over
    from .exclude import patterns
    from .lint import LINT_CODES
    from .pipeline import Reader
    from .slug import check_working_folder
    from .swaps import steady
    check_working_folder()
    if not isinstance(drafts, bool):  # ("false" is true to Python)
        raise TypeError(f"read()'s drafts takes True or False, not {type(drafts).__name__} "
                        f"({shown_value(drafts)})")
    _check_max_bytes(max_bytes)
    default_lang = _default_language(default_lang)
    paths, exclude = _paths(paths), patterns(exclude)

    def attempt() -> tuple[Inputs, list[Diagnostic], Reader, list[Muscle]]:
        inputs, problems = discover(paths, format, exclude=exclude)  # (bad-option)
        reader = Reader(inputs, default_lang=default_lang, drafts=drafts,
                        max_bytes=max_bytes, limit_name="read()'s max_bytes")
        return inputs, problems, reader, list(reader)

    inputs, problems, reader, muscles = steady(attempt, paths)  # (a folder swapped meanwhile)
    for problem in problems:  # (a folder with nothing to read: said, as write() says)
        if problem.severity == "warning":
            warnings.warn(str(problem), UserWarning, stacklevel=3)
    for folder in inputs.skipped:
        warnings.warn(not_searched(folder), UserWarning, stacklevel=3)
    if inputs.passed_over:
        warnings.warn(passed_over(inputs.passed_over), UserWarning, stacklevel=3)
    if reader.drafts_left_out:
        left_out = reader.drafts_left_out
        warnings.warn(f"{counted(left_out, 'drafts')} left out (drafts=True reads "
                      f"{agreeing(left_out, 'it', 'them')})", UserWarning, stacklevel=3)
    for problem in reader.diagnostics:
        if problem.severity == "warning" and problem.code not in LINT_CODES:
            warnings.warn(str(problem), UserWarning, stacklevel=3)
    problems += reader.diagnostics
    if has_errors(problems):  # (in validate's order: by file, line, column and code)
        raise MuscleError(list(in_order(problems)))
    return muscles


def _check_max_bytes(max_bytes: Any) -> None:
    """A ``TypeError`` for a ``max_bytes`` that is no int, a ``ValueError`` for one
    below 1 (as ``--max-bytes`` refuses them)."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
        raise TypeError(f"read()'s max_bytes takes an int (bytes), not "
                        f"{type(max_bytes).__name__} ({shown_value(max_bytes)})")
    if max_bytes < 1:
        raise ValueError(f"read()'s max_bytes takes 1 or more bytes, not {shown_value(max_bytes)}")


def _default_language(code: Any) -> str:
    """``default_lang`` as the model holds it, a code in any case (``PT-BR`` is
    ``pt-BR``: :func:`~converter.model.language_code`); a ``ValueError`` for what is
    no language code."""
    from .model import language_code

    found = language_code(code)
    if found is None:
        raise ValueError(f"{shown_value(code)} is not a language code such as da or en")
    return found


def _paths(paths: Any) -> list[str | os.PathLike[str]]:
    """``read``'s paths as a list; a ``TypeError`` naming what else was given (an open
    file too, whose lines are no paths, as ``write`` refuses one)."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    elif isinstance(paths, Iterable) and not isinstance(paths, bytes | bytearray) \
            and not _is_open_file(paths):
        paths = list(paths)
    else:
        paths = [paths]
    for path in paths:
        _text_path(path, "read() takes paths (str or Path) or an iterable of them")
    return paths


def _is_open_file(given: object) -> bool:
    """Whether ``given`` is an open file (an ``io`` stream, or what has a ``read``
    method, as ``io.StringIO`` and a socket's file have): iterable, of lines."""
    import io

    return isinstance(given, io.IOBase) or callable(getattr(given, "read", None))


def _text_path(path: Any, takes: str) -> str:
    """The text of ``path``, a str or a path-like object (``Path``) whose
    ``__fspath__`` gives a str; else a ``TypeError`` saying what the call ``takes`` and
    what it was given (a path-like object's ``__fspath__`` that gives bytes or what is no
    path at all, said so, not as ``os.fspath`` says it from deep inside)."""
    if isinstance(path, str):
        return path
    if isinstance(path, os.PathLike):
        text = type(path).__fspath__(path)
        if isinstance(text, str):
            return text
        raise TypeError(f"{takes}, not {type(path).__name__}, whose __fspath__() gives "
                        f"{type(text).__name__}")
    raise TypeError(f"{takes}, not {type(path).__name__}")


@_keywords
def write(muscles: Iterable[Muscle], path: str | os.PathLike[str], format: str | None = None,
          **options: Any) -> str | None:
    """Write muscles to ``path`` in ``format`` (by default guessed from the path's ending).

    ``options`` are the format's options, e.g. ``deck="Anatomi"`` for anki (another
    name is a :class:`TypeError`), and ``default_lang`` for markdown. What the
    writer reports is not lost: a warning (notes without a time) is a Python warning; an
    error (a focus image left out) raises :class:`MuscleError` once the output is written.
    """
    import warnings

    from .atomic import is_special, left_early, output_is_stdout, output_name, reader_left
    from .bodymap import map_size
    from .diagnostics import Diagnostic, MuscleError
    from .discovery import not_loaded_ending
    from .lint import diagram_size
    from .made_folders import undone_on_failure
    from .plugin_output import reported_as, summary_as, writer_output
    from .registry import (
        WriteContext,
        detect_format,
        get_format,
        output_mistake,
        run_writer,
        spelling,
        unknown_format,
    )
    from .slug import check_working_folder
    check_working_folder()
    if isinstance(muscles, str | bytes | os.PathLike):
        raise TypeError("write() takes muscles (such as read() returns), not a path; "
                        "read the path first")
    if not isinstance(muscles, Iterable):
        raise TypeError(f"write() takes muscles (such as read() returns), not "
                        f"{type(muscles).__name__}")
    typed = _text_path(path, 'write() takes path, a str or Path ("-" for standard output)')
    if options.get("default_lang") is not None:  # (None: the default, as other options)
        options["default_lang"] = _default_language(options["default_lang"])
    path = Path(typed)  # (typed: a trailing / says "a directory")
    if not typed:  # (Path("") is the working folder: refused, as -o "" and read("") are)
        raise MuscleError(Diagnostic('""', None, None, "", "cannot-write",
                                     "an empty path names no file or folder"))
    named, stream = output_name(path), output_is_stdout(path)  # (standard output so, not -)
    try:
        fmt = (get_format(format) if format is not None else  # ("" is no format's name)
               detect_format(path, for_reading=False))
    except KeyError:  # (the argument at fault, named as read() names it: format)
        raise MuscleError(Diagnostic(spelling().option("to"), None, None, "",
                                     "unknown-format",
                                     unknown_format(str(format), writing=True))) from None
    if fmt is None or not fmt.can_write:
        given = format is not None  # (else the output's name is at fault)
        read = None if fmt else detect_format(path, for_reading=True)  # (a reader's only)
        raise MuscleError(Diagnostic(
            spelling().option("to") if given else named, None, None, "", "unknown-format",
            f"the {fmt.name} format has no writer" if fmt else
            f"is a {read.name} file, a format muscle-convert reads but cannot write; pass "
            "format=" if read else "cannot tell the format from the name; "
            + (not_loaded_ending(path, "write") or "pass format="),
            stream=stream and not given))
    takes = {o.name for o in fmt.options} | {"default_lang"}
    unknown = sorted(set(options) - takes)
    if unknown:
        raise TypeError(f"the {fmt.name} writer takes no option {unknown[0]!r} (it takes "
                        f"{', '.join(sorted(takes))})")
    _check_option_types(fmt.name, fmt.options, options)
    mistake = (output_mistake(fmt, typed, options, guessed=format is None)
               or _closed_stdout(typed))
    if mistake:
        raise MuscleError(mistake)
    fmt.check_options(options)  # (a bad --size, as the command line refuses it)
    size = diagram_size(map_size(fmt.options, options))
    reported: list[Diagnostic] = []
    reader_left(path)  # (forgets a mark an earlier write left: each call says its own)
    checked = _once_each(muscles, named, size, options.get("default_lang") or "en", stream)
    if is_special(path):  # (standard output, a device, a FIFO: no temporary to drop)
        checked = iter(list(checked))  # (every muscle checked before the first byte)
    try:
        ctx = WriteContext(options=options, report=reported.append)
        with undone_on_failure(), writer_output(fmt, path, options) as given:  # (a third
            # party's: a file beside; the folders made for it go again when it fails)
            ctx.report = reported_as(fmt, reported.append, given, path)
            summary = summary_as(run_writer(
                fmt, lambda items: fmt.write(items, given, ctx), checked, path,
                reported.append), given, path)
    except OSError as exc:  # (as the command line says it)
        from .atomic import cannot_write
        raise cannot_write(path, exc) from None
    finally:
        closed = left_early(path)  # (a reader of "-" that stopped: output-closed)
    if closed is not None:
        reported.append(closed)
    for diagnostic in reported:
        if diagnostic.severity != "error":
            warnings.warn(str(diagnostic), UserWarning, stacklevel=3)
    errors = [d for d in reported if d.severity == "error"]
    if errors:
        raise MuscleError(errors)
    return summary


@contextlib.contextmanager
def _gone_said() -> Iterator[None]:
    """The block, its system error (``OSError``) the ``working-folder-gone``
    :class:`MuscleError` when the working folder was deleted under it (whatever met
    it: a path made real, a search, a file read or written)."""
    from .slug import folder_gone

    try:
        yield
    except OSError:
        gone = folder_gone()
        if gone is None:
            raise
        raise gone from None


def _closed_stdout(output: str) -> Diagnostic | None:
    """``cannot-write`` for standard output (``-``, ``/dev/stdout``) when it is closed
    (``sys.stdout`` is None in a program started with ``>&-``), as the command line
    says it."""
    import sys

    from .atomic import STDOUT_NAME, names_stdout
    from .diagnostics import Diagnostic
    if names_stdout(output) and (sys.stdout is None or getattr(sys.stdout, "closed", False)):
        return Diagnostic(STDOUT_NAME, None, None, "", "cannot-write",
                          "is closed; give a file name", stream=True)
    return None


def _check_option_types(writer: str, declared: Iterable[FormatOption],
                        options: dict[str, Any]) -> None:
    """A ``TypeError`` for an option given a value not of its declared type: a flag
    takes a bool (``prune="false"`` is true to Python), another option its ``type``,
    a class (a ``float`` an int too, made a float, as click and TOML take one; never a
    bool); a converter's (a function's) result is the value, what it raises a
    ``bad-option`` :class:`MuscleError`. None leaves any at its default. The command
    line and a config file check the same."""
    for option in declared:
        value = options.get(option.name)
        if value is None:
            continue
        if not option.is_flag and not isinstance(option.type, type):
            from .plugins import option_value
            options[option.name] = option_value(writer, option, value)
            continue
        kind = bool if option.is_flag else option.type
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            from .plugins import option_value  # (an int is a float: PEP 484, click, TOML)
            options[option.name] = option_value(writer, option, value)
            continue
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise TypeError(f"the {writer} writer's option {option.name!r} takes "
                            f"{'True or False' if kind is bool else kind.__name__}, not "
                            f"{type(value).__name__} ({shown_value(value)})")


def _once_each(muscles: Iterable[Muscle], where: str,
               size: tuple[int, int] | None = None, lang: str = "en",
               stream: bool = False) -> Iterator[Muscle]:
    """``muscles``, as they come, each checked as a reader checks what it reads (its
    polygons inside the diagram, when ``size`` gives one, as ``convert --size`` checks;
    its values counted as the writer of default language ``lang`` writes them); a slug
    given twice is ``duplicate-slug`` (every writer would keep one of the two, or both
    under one name). At the first muscle with a problem the write stops: the rest are
    checked, not passed on, and one :class:`MuscleError` lists every problem (those
    named ``where`` about standard output when ``stream``: see
    :attr:`~converter.diagnostics.Diagnostic.stream`)."""
    from .diagnostics import MuscleError
    seen: set[str] = set()
    twice: set[str] = set()
    problems: list[Diagnostic] = []
    for muscle in muscles:
        found = _checked(muscle, where, size, seen, twice, lang)
        problems += found
        if not problems:
            yield muscle
    if problems:
        raise MuscleError([p._replace(stream=True) if stream and p.path == where else p
                           for p in problems])


def _checked(muscle: Any, where: str, size: tuple[int, int] | None, seen: set[str],
             twice: set[str], lang: str = "en") -> list[Diagnostic]:
    """The problems of ``muscle`` (see :func:`_once_each`; ``lang``, the writer's default
    language), its slug noted in ``seen`` (and in ``twice`` when it was there: a slug
    given three times is said once); a ``TypeError`` for what is no
    :class:`~converter.model.Muscle`, or one misshapen."""
    from .diagnostics import Diagnostic
    from .model import Muscle, misshapen
    if not isinstance(muscle, Muscle):
        raise TypeError(f"write() takes Muscle objects, not {type(muscle).__name__}")
    if muscle.slug in seen:
        if muscle.slug in twice:
            return []
        twice.add(muscle.slug)
        return [Diagnostic(where, None, None, "", "duplicate-slug",
                           f"slug {muscle.slug!r} occurs twice")]
    seen.add(muscle.slug)
    shape = misshapen(muscle)
    if shape is not None:
        raise TypeError(f"write(): muscle {muscle.slug!r}: {shape}")
    return _problems(muscle, where, size, lang)


def _problems(muscle: Muscle, where: str, size: tuple[int, int] | None = None,
              lang: str = "en") -> list[Diagnostic]:
    """The errors a reader would find in ``muscle`` (:mod:`converter.checks`), then the
    errors of its lints (its polygons inside the diagram, when ``size`` gives one)."""
    from .canonical import model_field
    from .checks import muscle_problems
    from .lint import check_muscle, record_label
    return muscle_problems(muscle, where, writer_lang=lang) or [
        d for d in check_muscle(muscle, where, size, record=record_label(muscle),
                                rename=model_field) if d.severity == "error"]
