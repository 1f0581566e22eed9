"""A format's writer run so that what a third party's raises, or returns amiss, is a
``writer-failed`` error, never a traceback, and what its input raises goes through."""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, MuscleError, shown_value
from .entrypoints import built_in
from .model import Muscle

if TYPE_CHECKING:
    from .formatbase import Format


class WriterFailed(Exception):
    """A format's :meth:`Format.record` raised or gave no str (a third party's bug),
    maybe in a worker process: the message names the format, the muscle and what it
    raised; :func:`run_writer` makes it the run's ``writer-failed`` error."""

    def at(self, out: Path) -> MuscleError:
        """This failure as the ``writer-failed`` error of the output ``out``."""
        from .atomic import output_is_stdout, output_name
        return MuscleError(Diagnostic(output_name(out), None, None, "", "writer-failed",
                                      str(self), stream=output_is_stdout(out)))


def failure(exc: BaseException) -> str:
    """What a third party's reader or writer raised, for its ``reader-failed`` or
    ``writer-failed``: the exception, or that it tried to end the program
    (``sys.exit``), with the status it gave."""
    if isinstance(exc, SystemExit):
        return f"it tried to end the program (SystemExit with status {shown_value(exc.code)})"
    return f"{type(exc).__name__}: {exc}"


def _misshapen(exc: MuscleError) -> str | None:
    """What makes a third party's writer's ``exc`` no error a run can say, or None
    (:func:`~converter.plugins.misshapen_error`)."""
    from .plugins import misshapen_error  # (plugins imports this module)

    return misshapen_error(exc)


def made_record(fmt: Format, muscle: Muscle, options: dict[str, Any]) -> str:
    """``fmt``'s record of ``muscle``: a :class:`WriterFailed` when ``record`` raises
    anything but a :class:`MuscleError` (``sys.exit`` too), or gives what is not a
    str."""
    try:
        if built_in(fmt):
            record = fmt.record(muscle, options)
        else:
            from .plugin_prints import printing_to_stderr

            with printing_to_stderr():  # (what a plugin prints is no output of ours)
                record = fmt.record(muscle, options)
    except MuscleError as exc:
        wrong = None if built_in(fmt) else _misshapen(exc)
        if wrong is None:
            raise
        raise WriterFailed(f"the {fmt.name} writer raised {wrong} for muscle "
                           f"{muscle.slug!r}") from None
    except (Exception, SystemExit) as exc:  # (a plugin's record() may raise anything)
        raise WriterFailed(f"the {fmt.name} writer failed on muscle {muscle.slug!r}: "
                           f"{failure(exc)}") from None
    if not isinstance(record, str):
        raise WriterFailed(f"the {fmt.name} writer gave {type(record).__name__} as the "
                           f"record of muscle {muscle.slug!r}, not a str")
    return record


class Watched(Iterator[Any]):
    """An iterator over ``items`` that remembers the exception they raised, if any:
    what a writer passes on from its input is not the writer's failure."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = iter(items)
        self.raised: BaseException | None = None

    def __next__(self) -> Any:
        try:
            return next(self._items)
        except StopIteration:
            raise
        except BaseException as exc:
            self.raised = exc
            raise


def writer_failed(fmt: Format, out: Path, what: str) -> Diagnostic:
    """The ``writer-failed`` error of ``fmt``'s writer of ``out``: ``what`` it did."""
    from .atomic import output_is_stdout, output_name
    return Diagnostic(output_name(out), None, None, "", "writer-failed",
                      f"the {fmt.name} writer {what}", stream=output_is_stdout(out))


def run_writer(fmt: Format, write: Callable[[Iterator[Any]], Any], items: Iterable[Any],
               out: Path, report: Callable[[Diagnostic], None]) -> str | None:
    """``write(items)`` with ``fmt``'s writer of ``out``, its summary returned. What
    the writer raises that is no :class:`MuscleError` (a third party's bug,
    ``sys.exit`` too) is a ``writer-failed`` :class:`MuscleError`, but the
    :class:`OSError` of a built-in writer (the output's place: a full disk) goes
    through, for the caller's ``cannot-write``; what ``items`` raise goes through as it
    is, as it does when the writer has returned: what it left unread of ``items`` is
    read then, so a problem there is never hidden by a writer that stops early. A
    summary that is no str or None is ``report``-ed as a ``writer-failed`` error, and
    None returned (the output is written)."""
    watched = Watched(items)
    try:
        if built_in(fmt):  # (it may write into standard output: -o -)
            summary = write(watched)
        else:  # (given a file: what it prints is no output of ours)
            from .plugin_prints import printing_to_stderr

            with printing_to_stderr():
                summary = write(watched)
        collections.deque(watched, maxlen=0)  # (what it left unread: read for its errors)
    except MuscleError as exc:
        wrong = None if built_in(fmt) or exc is watched.raised else _misshapen(exc)
        if wrong is None:
            raise
        raise MuscleError(writer_failed(fmt, out, f"raised {wrong}")) from None
    except OSError as exc:
        if built_in(fmt) or exc is watched.raised:
            raise
        raise MuscleError(writer_failed(fmt, out, f"failed: {failure(exc)}")) from None
    except WriterFailed as exc:
        raise exc.at(out) from None
    except (Exception, SystemExit) as exc:  # (a plugin's writer may raise anything,
        if exc is watched.raised:             # sys.exit too)
            raise
        raise MuscleError(writer_failed(fmt, out, f"failed: {failure(exc)}")) from None
    if summary is not None and not isinstance(summary, str):
        report(writer_failed(fmt, out, f"returned {type(summary).__name__}, not a "
                             "summary (a str or None)"))
        return None
    return summary
