"""A third party's writer given a place of its own to write: a file in a temporary
folder beside the output, put in place only once the writer has returned, so a writer
that fails part-way leaves the earlier output as it was; its ``update()`` is given a
copy of the output, put in place likewise. The files its format reads with the output
(:meth:`~converter.registry.Format.companions`: a database's ``-wal``) go with it. The
project's own writers are given the output itself: each writes it atomically
(:mod:`converter.atomic`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .atomic import (
    STDOUT,
    STDOUT_NAME,
    atomic_file,
    atomic_path,
    descriptor_named,
    held_folder,
    is_special,
    is_stdout,
    make_folders,
    output_is_stdout,
    output_name,
    real_target,
    signals_held,
    sweep_leftovers,
    terminable,
)
from .atomic_folder import atomic_directory
from .diagnostics import Diagnostic, MuscleError, error
from .plugins import misshapen_diagnostic, misshapen_error, output_companions
from .registry import Format, built_in, failure


@contextlib.contextmanager
def writer_output(fmt: Format, out: Path, options: Mapping[str, Any],
                  companions: list[str] | None = None) -> Iterator[Path]:
    """The path ``fmt``'s writer of ``out`` (with ``options``) is given: ``out`` itself
    for a built-in format or a device (``/dev/null``); for a third party's writer of a
    folder, a temporary folder built beside and swapped in
    (:func:`~converter.atomic_folder.atomic_directory`, which refuses a folder the tool
    did not write); for a third party's writer of a file, a file of ``out``'s name in
    a temporary folder beside ``out`` (held while the run has it, and a killed run's
    swept: see :func:`~converter.atomic.held_folder`; for standard output, ``-``, or a
    name of a descriptor, ``/dev/stdout``, one named ``stdout`` in such a folder in the
    system's temporary folder, named after :data:`_STDOUT_FOLDER`), which replaces
    ``out`` (or is copied into the descriptor, where it stands: a file the shell opened
    with ``>>`` is added to, not emptied) once the block ends without an exception, and
    is removed either way, the companions of ``out`` beside it going with it
    (:func:`_put_in`; ``companions``, their names, when the caller asked them already).
    A writer that made no file leaves ``out`` as it was. Its errors that name the
    temporary file name ``out`` instead, standard output so
    (:func:`~converter.atomic.output_name`)."""
    if built_in(fmt):
        yield out
        return
    if fmt.writes_directory(options):
        with atomic_directory(out) as folder, _named_as(folder, out):
            yield folder
        return
    stdout = is_stdout(out) or descriptor_named(os.fspath(out)) is not None
    if is_special(out) and not stdout:
        yield out
        return
    target = real_target(out)
    if stdout:  # (its folder is named after this one, in the system's temporary folder)
        companions, target = [], Path(tempfile.gettempdir()) / _STDOUT_FOLDER
    elif companions is None:
        companions = _beside(fmt, out, target)
    if not stdout:
        make_folders(target.parent)
    sweep_leftovers(target)  # (a killed run's folder: see held_folder)
    with terminable():
        with signals_held():
            folder, hold = held_folder(target, again=not stdout)
        made = folder / ("stdout" if stdout else target.name)
        try:
            with _named_as(made, out):
                yield made
            if os.path.isfile(made) and stdout:
                _to_stdout(made, out)
            elif os.path.isfile(made):
                _put_in(made, target, companions, _beside(fmt, out, made))
        finally:
            with signals_held():  # (a second Ctrl-C waits for it)
                shutil.rmtree(folder, ignore_errors=True)
                if hold is not None:
                    os.close(hold)  # (its lock with it, once it is removed)


#: What the temporary folder a third party's writer of standard output is given is named
#: after (``.muscle-convert-stdout.<random>.tmpdir``), in the system's temporary folder.
_STDOUT_FOLDER = "muscle-convert-stdout"


class _NotUpdated(Exception):
    """A third party's update() that returned no summary: its copy is not put in."""


def updated(fmt: Format, out: Path, options: Mapping[str, Any],
            update: Callable[[Path], Any],
            report: Callable[[Diagnostic], None] = lambda _: None) -> str | None:
    """What ``update(path)`` of ``fmt``'s writer of ``out`` (with ``options``) returns,
    a summary, or None (the run then writes ``out`` whole). A built-in format's is given
    ``out`` itself (it updates in place atomically: SQLite in one transaction). A third
    party's is given a copy of ``out`` where :func:`writer_output` gives its ``write()``
    a file, with the companions of ``out`` beside it (a database's ``-wal``, which may
    hold what the file does not yet), which replace ``out`` and them only once it
    returns a summary (a str), so a run killed meanwhile leaves ``out`` as it was; a
    third party's writer of a folder is not asked (None). What a third party's raises
    (``sys.exit`` too), a return that is no str or None, or a summary returned with the
    copy gone, is ``report``-ed as the output's ``writer-failed`` warning, and None
    returned."""
    if built_in(fmt):
        summary = update(out)
        return summary if isinstance(summary, str) else None
    if not may_update(fmt, out, options):
        return None
    target = real_target(out)
    companions = _beside(fmt, out, target)  # (asked once: the copy and the swap take them)
    try:
        with writer_output(fmt, out, options, companions) as made:
            shutil.copyfile(out, made)
            for name in companions:
                with contextlib.suppress(FileNotFoundError):
                    shutil.copyfile(target.parent / name, made.parent / name)
            summary = _called(fmt, out, update, made, report)
            wrong = _unusable(summary, made)
            if wrong is not None:
                report(_whole_instead(fmt, out, wrong))
            if wrong is not None or summary is None:
                raise _NotUpdated
    except _NotUpdated:
        return None
    return summary_as(summary, made, out)


def _unusable(summary: Any, made: Path) -> str | None:
    """What is wrong with what a third party's update() of the copy ``made`` returned,
    ``summary``: no str or None (as its ``write()`` may not return), or a summary while
    the copy is gone (nothing to put in); None when it may be used (or is None)."""
    if summary is not None and not isinstance(summary, str):
        return f"returned {type(summary).__name__}, not a summary (a str or None)"
    if summary is not None and not os.path.isfile(made):
        return ("returned a summary, but the copy of the output it was given is gone "
                "(not a file)")
    return None


def _whole_instead(fmt: Format, out: Path, what: str) -> Diagnostic:
    """The output's ``writer-failed`` warning of ``fmt``'s update(): ``what`` it did,
    and that the output is written whole instead."""
    return Diagnostic(output_name(out), None, None, "", "writer-failed", f"the {fmt.name} "
                      f"writer's update() {what}; the output is written whole instead",
                      "warning", stream=output_is_stdout(out))


def may_update(fmt: Format, out: Path, options: Mapping[str, Any]) -> bool:
    """Whether :func:`updated` may call the update() of ``fmt``'s writer of ``out`` (with
    ``options``): it has one, and a third party's writes a file, not a folder nor a
    device (nor is it asked when its ``writes_directory`` fails: the full write says
    so). A run patches the last one only then, not reading the changed files again for
    an update never called."""
    if not fmt.can_update:
        return False
    if built_in(fmt):
        return True
    try:
        return not (fmt.writes_directory(options) or is_special(out))
    except MuscleError:
        return False


def summary_as(summary: str | None, made: Path, out: Path) -> str | None:
    """A writer's ``summary``, naming ``out`` (standard output so named, not ``-``)
    where it names ``made``, the temporary file or folder :func:`writer_output` gave
    it (gone once the run ends)."""
    if summary is None or made == out:
        return summary
    return summary.replace(str(made), output_name(out))


def _called(fmt: Format, out: Path, update: Callable[[Path], Any], made: Path,
            report: Callable[[Diagnostic], None]) -> Any:
    """What ``update(made)`` of ``fmt``'s writer of ``out`` returns; what it raises
    (``sys.exit`` too, not Ctrl-C) ``report``-ed as the output's ``writer-failed``
    warning, and None returned."""
    from .plugin_prints import printing_to_stderr

    try:
        with printing_to_stderr():  # (what it prints is no output of ours)
            return update(made)
    except (Exception, SystemExit) as exc:  # (a plugin's update() may raise anything)
        wrong = misshapen_error(exc) if isinstance(exc, MuscleError) else None
        what = f"raised {wrong}" if wrong else "failed: " + (
            "; ".join(d.message for d in exc.diagnostics) if isinstance(exc, MuscleError)
            else failure(exc))
        report(_whole_instead(fmt, out, what))
        return None


def reported_as(fmt: Format, report: Callable[[Diagnostic], None], made: Path, out: Path
                ) -> Callable[[Diagnostic], None]:
    """``report`` for ``fmt``'s writer given ``made`` (:func:`writer_output`) to write
    ``out``: a diagnostic naming ``made``, or a file in it, names ``out`` (or that file
    in ``out``) instead, and what is no :class:`Diagnostic` of its types is the output's
    ``writer-failed`` error in its place. For a built-in writer, ``report`` itself, or
    for standard output one that names it so (:func:`~converter.atomic.output_name`)."""
    if built_in(fmt):
        if output_name(out) == os.fspath(out):
            return report
        return lambda diagnostic: report(_renamed(diagnostic, made, out))

    def checked(diagnostic: Any) -> None:
        wrong = misshapen_diagnostic(diagnostic)
        report(_renamed(diagnostic, made, out) if wrong is None else Diagnostic(
            output_name(out), None, None, "", "writer-failed",
            f"the {fmt.name} writer reported {wrong}", stream=output_is_stdout(out)))

    return checked


def _renamed(diagnostic: Diagnostic, made: Path, out: Path) -> Diagnostic:
    """``diagnostic``, naming ``out`` (as :func:`~converter.atomic.output_name` does)
    where it names ``made`` (a file in ``out`` where it names one in ``made``); one whose
    path is no str (a plugin's) as it is."""
    path = diagnostic.path
    if not isinstance(path, str):
        return diagnostic
    if path == str(made):
        return diagnostic._replace(path=output_name(out), stream=output_is_stdout(out))
    if path.startswith(os.path.join(made, "")):
        return diagnostic._replace(path=os.path.join(out, path[len(str(made)) + 1:]))
    return diagnostic


@contextlib.contextmanager
def _named_as(made: Path, out: Path) -> Iterator[None]:
    """The block, the diagnostics of its :class:`MuscleError` that name ``made`` (the
    file or folder a writer was given), or a file in it, naming ``out`` instead."""
    try:
        yield
    except MuscleError as exc:
        named = [_renamed(d, made, out) for d in exc.diagnostics]
        if named == exc.diagnostics:
            raise
        raise MuscleError(named) from None


def _beside(fmt: Format, out: Path, path: Path) -> list[str]:
    """The names of the files ``fmt`` reads with the file ``path`` (the output ``out``
    with its links followed, or the file its writer made), that are in its folder
    (:meth:`~converter.registry.Format.companions`: its failure is the output's
    ``writer-failed``): those that go with it to and from a third party's writer."""
    return sorted({os.path.basename(p) for p in map(os.fspath,
                                                     output_companions(fmt, out, path))
                   if os.path.dirname(os.path.abspath(p)) == os.fspath(path.parent)
                   and os.path.basename(p) != path.name})


def _put_in(made: Path, target: Path, old: list[str], new: list[str]) -> None:
    """The file ``made`` put in place of ``target`` (synced, ``target``'s mode kept;
    ``target`` left as it is when it holds the same bytes), with its companions ``new``
    (names of files beside it) that are in ``made``'s folder. In this order, so that
    no file is ever beside a companion of the other one: the files beside ``target``
    named in ``old`` (its own companions) or ``new`` are moved away (they were the old
    file's), ``target`` is replaced, then the new companions are moved in. Until
    ``target`` is replaced its companions are as they were: a failure leaves them so."""
    aside = Path(tempfile.mkdtemp(dir=made.parent))
    for name in new:
        with contextlib.suppress(FileNotFoundError):
            _sync(made.parent / name)
    with signals_held():  # (a signal meanwhile would part the file from its companions)
        moved = [name for name in sorted({*old, *new})
                 if _moved(target.parent / name, aside / name)]
        try:
            with atomic_path(target) as tmp:
                os.replace(made, tmp)
        except BaseException:
            for name in moved:
                os.replace(aside / name, target.parent / name)
            raise
        for name in new:
            _moved(made.parent / name, target.parent / name)


def _moved(source: Path, target: Path) -> bool:
    """Whether the file ``source`` was there, and is now moved to ``target``."""
    try:
        os.replace(source, target)
    except FileNotFoundError:
        return False
    return True


def _sync(path: Path) -> None:
    """The file ``path`` synced to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _to_stdout(made: Path, out: Path) -> None:
    """The bytes of the file ``made`` written to standard output (``out`` is ``-``) or
    the descriptor ``out`` names; to a standard output that is a text stream (no bytes
    below it), as UTF-8 text."""
    if not is_stdout(out) or getattr(sys.stdout, "buffer", None) is not None:
        with open(made, "rb") as src, atomic_file(out, "wb") as fh:
            shutil.copyfileobj(src, fh)
        return
    try:
        text = made.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(STDOUT_NAME, "output-not-file", "is a text stream here "
                    f"({type(sys.stdout).__name__}, with no binary buffer), and the "
                    "writer wrote bytes that are not UTF-8; give a file name",
                    stream=True) from None
    with atomic_file(Path(STDOUT), "w", encoding="utf-8") as fh:
        fh.write(text)

