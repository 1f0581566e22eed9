"""The ``muscle-convert`` command line: a thin click layer over the Python API.

Exit codes: 0 all well; 1 some inputs invalid (valid ones are still converted and
every diagnostic is listed at the end, on stderr); 2 usage error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .cli_config import (
    ConfigRequired,
    ConfiguredCommand,
    applying,
    configuring,
    flagged_options,
    from_file,
    refuse,
    typed_options,
    unless_taken,
    writer_problem,
)
from .cli_help import PagedGroup, to_nowhere, version_option
from .diagnostics import (
    Diagnostic,
    DiagnosticLog,
    MuscleError,
    WorkingFolderGone,
    agreeing,
    counted,
    has_errors,
    printable,
    rendered,
)
from .once_written import INTERRUPTED, stopped_message, told, watching

if TYPE_CHECKING:
    from .formatbase import Format, FormatOption
    from .run import RunResult

PROGRESS_MIN_FILES = 200


def _jobs_default() -> int:
    """The CPUs this process may use: those it may run on, fewer where a CPU quota
    (a container's ``--cpus 2``) allows less time."""
    import math

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    quota = cpu_quota()
    return max(1, min(cpus, math.ceil(quota))) if quota else cpus


#: Where Linux shows control groups, and which this process is in.
CGROUPS, SELF_CGROUP = Path("/sys/fs/cgroup"), Path("/proc/self/cgroup")


def cpu_quota() -> float | None:
    """The CPU time this process's control group (and those above it) may use, in
    CPUs (``cpu.max`` of cgroup v2, ``cpu.cfs_quota_us`` of v1); None where none is set
    or none can be read."""
    try:
        lines = SELF_CGROUP.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    quotas = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":  # v2
            quotas += (_quota(folder / "cpu.max") for folder in _up(CGROUPS, path))
        elif "cpu" in controllers.split(","):  # v1: the cpu controller's own folders
            for top in {CGROUPS / controllers, CGROUPS / "cpu"}:
                quotas += (_quota(folder / "cpu.cfs_quota_us", folder / "cpu.cfs_period_us")
                           for folder in _up(top, path))
    found = [q for q in quotas if q]
    return min(found) if found else None


def _up(top: Path, group: str) -> list[Path]:
    """The folders of control group ``group`` below ``top`` and each above it up to
    ``top``: a quota of a group above holds for those below, and a container without a
    namespace of its own has its group mounted at ``top`` while naming the host's path."""
    parts = [part for part in group.split("/") if part]
    return [top.joinpath(*parts[:n]) for n in range(len(parts), -1, -1)]


def _quota(limit: Path, period: Path | None = None) -> float | None:
    """A quota file's CPUs: ``max 100000`` or ``200000 100000`` (v2), or a v1 quota
    (``-1``: none) over its ``period`` file."""
    try:
        words = limit.read_text(encoding="ascii").split()
        if period is not None:
            words.append(period.read_text(encoding="ascii").strip())
        allowed, per = int(words[0]), int(words[1])
    except (OSError, ValueError, IndexError):
        return None
    return allowed / per if allowed > 0 and per > 0 else None


def _format_choice(*, reading: bool) -> click.ParamType:
    from .registry import all_formats

    names = [f.name for f in all_formats() if (f.can_read if reading else f.can_write)]
    return click.Choice(names)


def _report(diagnostics: list[Diagnostic], fmt: str = "text") -> None:
    if diagnostics:
        _echo(rendered(diagnostics, fmt), err=True)


def _echo(pieces: Iterable[str], err: bool = False) -> None:
    """Write text made in ``pieces`` (see ``rendered``), then a line end. When the
    reader stops reading (``validate ... | head``), the rest goes nowhere: the exit
    status still says whether the inputs are valid."""
    try:
        for piece in pieces:
            click.echo(piece, nl=False, err=err)
        click.echo("", err=err)
    except BrokenPipeError:
        to_nowhere(sys.stderr if err else sys.stdout)


def _line(text: str, err: bool = False) -> None:
    """Write one line, as :func:`_echo` does: a reader that stops early is no failure."""
    _echo((text,), err)


def _notes(result: Any, quiet: bool, cache_dir: Path | None = None) -> None:
    """A note (no diagnostic: nothing is wrong, and ``--strict`` does not fail on it,
    so not under ``--quiet``) per folder a search left out as muscle-convert's output,
    one of the files it left out as not their format's own, one of the drafts
    ``convert`` left out, and one when the cache directory ``cache_dir`` asked for could
    not be used (a read-only one, restored in CI), or could not record the run (full):
    the run went on without it."""
    from .discovery import not_searched, passed_over

    if quiet:
        return
    for folder in result.skipped:
        _line(not_searched(folder, "note: "), err=True)
    if result.passed_over:
        _line(passed_over(result.passed_over, "note: "), err=True)
    if result.drafts:
        _line(f"note: {counted(result.drafts, 'drafts')} left out (--drafts converts "
              f"{agreeing(result.drafts, 'it', 'them')})", err=True)
    if cache_dir is not None and result.uncached:
        _line(printable(f"{cache_dir}: note: not used as the cache "
                        f"({result.uncached[0]}); this run is not cached"), err=True)
    elif cache_dir is not None and result.unrecorded:
        _line(printable(f"{cache_dir}: note: this run could not be recorded there "
                        f"({result.unrecorded}); it is not cached"), err=True)


#: ``convert`` prints every error but only this many warnings (``validate`` lists the
#: sources'), and every ``writer-failed`` warning (the writer's: ``validate`` has none).
SHOWN_WARNINGS = 20


def _report_capped(diagnostics: Sequence[Diagnostic]) -> None:
    """Say every error and ``writer-failed`` warning of ``diagnostics``, but only the
    first :data:`SHOWN_WARNINGS` other warnings, then how many more there are."""
    log = DiagnosticLog(diagnostics)  # counts its errors as it fills
    shown, warnings = [], 0
    for d in log:
        if d.severity != "warning" or d.code == "writer-failed":
            shown.append(d)
            continue
        warnings += 1
        if warnings <= SHOWN_WARNINGS:
            shown.append(d)
    _report(shown)
    hidden = warnings - SHOWN_WARNINGS
    if hidden > 0:
        _line(f"... and {counted(hidden, 'more warnings')} (`muscle-convert validate` "
              "lists the sources' warnings)", err=True)


class _FormatOptionsCommand(ConfiguredCommand):
    """``convert``: adds every format's own options (``--deck``, ``--flat``, ...) on use,
    so format modules are imported only when this command runs."""

    _built: tuple[list[Format], dict[str, click.Option]] | None = None

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        from .registry import all_formats

        params = super().get_params(ctx)
        formats = all_formats()  # (the same list until the registry's caches are cleared)
        built = self._built
        if built is None or built[0] is not formats:  # (click asks many times a run)
            built = self._built = (formats, _format_params(formats))
        taken = {p.name for p in params}
        return [*params, *(p for name, p in built[1].items() if name not in taken)]


def _format_params(formats: list[Format]) -> dict[str, click.Option]:
    """The options of ``formats`` by their names (of each name, the first format's),
    each helped by the names of the formats that have it (``[html, svg]``)."""
    owners: dict[str, list[str]] = {}
    first: dict[str, tuple[FormatOption, Format]] = {}
    for fmt in formats:
        for opt in fmt.options:
            owners.setdefault(opt.name, []).append(fmt.name)
            first.setdefault(opt.name, (opt, fmt))
    from .registry import built_in

    made: dict[str, click.Option] = {}
    for name, (opt, fmt) in first.items():
        flag = f"--{name.replace('_', '-')}"
        made[name] = _FormatOption(
            owners[name][0], [f"{flag}/--no-{flag[2:]}" if opt.is_flag else flag],
            is_flag=opt.is_flag, default=opt.default if opt.is_flag else None,
            type=None if opt.is_flag else _click_type(opt.type, built_in(fmt)),
            metavar=opt.metavar,
            help=f"[{', '.join(owners[name])}] {opt.help}")
    return made


def _click_type(kind: Any, own: bool) -> Any:
    """The click type of a format option's ``type``: str, int, float and bool as click
    takes them, a click type as it is, any other class or function a converter the
    value is given to (click's own would need a ``__name__``); a third party's (not
    ``own``), one whose prints go to standard error (click calls it as it parses the
    command line)."""
    if kind in (str, int, float, bool) or isinstance(kind, click.ParamType):
        return kind
    return _Converter(kind, own)


class _Converter(click.ParamType):
    """A format option's ``type`` that is a class or function: its result is the value."""

    def __init__(self, func: Callable[[Any], Any], own: bool) -> None:
        from .plugin_prints import routed_call
        from .plugins import type_name

        self.func, self.name = func if own else routed_call(func), type_name(func)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        return self.func(value)


class _FormatOption(click.Option):
    """A format's option: what its ``type`` raises for a value (a third party's
    converter: ``ValueError``, anything else, ``sys.exit()``) is a usage error naming
    the option and the format ``fmt`` (the first that has it), never a traceback."""

    def __init__(self, fmt: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fmt = fmt

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        try:
            return super().process_value(ctx, value)
        except click.UsageError:
            raise
        except (Exception, SystemExit) as exc:  # (a plugin's converter may raise anything)
            from .plugins import option_failed
            raise click.BadParameter(option_failed(self.fmt, value, exc), ctx, self
                                     ) from None


def _progress(total: int, quiet: bool) -> Any:
    show = not quiet and total >= PROGRESS_MIN_FILES and sys.stderr.isatty()
    return click.progressbar(length=total, file=sys.stderr, label="reading") if show else None


@click.group(cls=PagedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@version_option(__version__, prog_name="muscle-convert")
def cli() -> None:
    """Convert muscle content (Markdown + YAML front matter) to JSON, CSV, SQLite,
    SVG image maps and Anki decks - and back."""


def _language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--default-lang``, a language code in any case, as the model holds it
    (:func:`~converter.model.language_code`: ``PT-BR`` is ``pt-BR``)."""
    from .model import language_code

    code = language_code(value)
    if code is None:
        raise click.BadParameter(f"{value!r} is not a language code such as da or en")
    return code


def _checked_size(value: str | None) -> str | None:
    """A ``WxH`` option value, checked before any file is read (bad: usage error)."""
    from .lint import parse_size

    if value is not None:
        try:
            parse_size(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--size") from None
    return value


def _map_size(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return _checked_size(value)


_DEFAULT_LANG = click.option("--default-lang", default="en", show_default=True,
                             metavar="LANG", callback=_language,
                             help="Language of plain (not per-language) text.")


_JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=_jobs_default,
                     show_default="CPUs usable", help="Parallel processes.")
_MAX_BYTES = click.option("--max-bytes", type=click.IntRange(min=1), default=4 * 1024 * 1024,
                          show_default=True, help="Refuse a Markdown file or SVG map larger "
                          "than this (a JSON, CSV, SQLite or Anki file of many muscles "
                          "has no limit).")


def _patterns(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
              ) -> tuple[str, ...]:
    """``--exclude``'s patterns, each checked before any file is read."""
    from .exclude import problem

    for pattern in value:
        wrong = problem(pattern)
        if wrong:
            raise click.BadParameter(printable(wrong))
    return value


def _exclude_options(func: Any) -> Any:
    """``--exclude PATTERN`` and ``--force-exclude``."""
    func = click.option("--force-exclude/--no-force-exclude",
                        help="Leave out the sources named too, as a search of the working "
                        "folder would (hidden, muscle-convert's output, --exclude by their "
                        "path from it, no page of a muscle to its format: a Hugo "
                        "_index.md): pre-commit names the files it checks.")(func)
    return click.option("--exclude", "exclude", multiple=True, metavar="PATTERN",
                        callback=_patterns,
                        help="Leave out what a folder's search finds that matches PATTERN "
                        "(gitignore style, relative to the folder named: README.md, _*, "
                        "node_modules, drafts/**); repeatable. A source named is always "
                        "read, unless --force-exclude.")(func)


def _named_kept(sources: tuple[Path, ...], exclude: tuple[str, ...], force: bool,
                quiet: bool, from_format: str | None = None, *,
                formatting: bool = False) -> tuple[Path, ...]:
    """The sources named that ``--force-exclude`` keeps (all of them without it): not
    those a search of the working folder leaves out, by the patterns or as not their
    format's own (:meth:`Format.is_own`: a Hugo section page), the latter told in the
    note a search gives. When it leaves out every one (a pre-commit run of only a
    README), a note, unless ``quiet``; the run then reads nothing (its report is empty,
    an output stays as it was)."""
    from .discovery import foreign_named, passed_over
    from .exclude import exclusion, searched_out
    from .slug import working_folder

    if not force:
        return sources
    left_out, folder = exclusion(exclude), working_folder()
    kept = tuple(s for s in sources if not searched_out(str(s), left_out, folder))
    foreign = set(foreign_named(map(str, kept), folder, from_format, formatting=formatting))
    if foreign:
        kept = tuple(s for s in kept if str(s) not in foreign)
        if not quiet:
            _line(passed_over(sorted(foreign), "note: "), err=True)
    if not kept and not quiet:
        _line("note: nothing to read: a search leaves out every source named "
              "(--force-exclude)", err=True)
    return kept


def _common_read_options(func: Any) -> Any:
    func = _exclude_options(func)
    func = _DEFAULT_LANG(func)
    func = click.option("--from", "from_format", metavar="FORMAT",
                        help="Format of the inputs (default: by file ending).")(func)
    func = _JOBS(func)
    func = _MAX_BYTES(func)
    func = click.option("--quiet/--no-quiet", "-q", help="No progress or summary.")(func)
    func = click.option("--no-cache/--cache", help="Read every file again and do not record "
                        "this run (--cache: as usual, over a config file's no-cache).")(func)
    func = click.option("--cache-dir", type=_GivenPath(file_okay=False, path_type=Path),
                        help="Cache directory (default: $MUSCLE_CONVERT_CACHE_DIR, else "
                        "$XDG_CACHE_HOME/muscle-convert or ~/.cache/muscle-convert).")(func)
    return func


class _GivenPath(click.Path):
    """A path to read, or a cache directory: an empty one (an unset ``$SOURCES``) is a
    usage error, not the working folder that ``Path("")`` would be."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("an empty path names no file or folder", param, ctx)
        return super().convert(value, param, ctx)


SOURCE = _GivenPath(path_type=Path)


def _cache_dir(cache_dir: Path | None, no_cache: bool) -> Path | None:
    from .cache import default_directory

    return None if no_cache else cache_dir or default_directory()


def _outside_output(cache: Path | None, output: str, folder: bool) -> None:
    """Refuse (a usage error) a cache directory that is the output or below it: a run
    replaces its output (a ``folder``, else a file) with what it writes, and the
    cache, made first, would make a new one a folder the tool did not write."""
    if cache is None:
        return
    place, written = Path(os.path.realpath(cache)), os.path.realpath(output)
    if place.is_relative_to(written):
        where = "is" if str(place) == written else "is inside" if folder else "is below"
        what, away = ("output folder", "outside it") if folder else ("output file",
                                                                      "elsewhere")
        raise click.UsageError(printable(
            f"the cache directory {cache} {where} the {what} {output}, which a run "
            f"replaces with what it writes: give a cache directory {away}, or "
            "--no-cache"))


@cli.command(cls=_FormatOptionsCommand)
@click.argument("sources", nargs=-1, required=True, type=SOURCE)
@click.option("--to", "to_format", cls=ConfigRequired, metavar="FORMAT",
              help="Output format (see `muscle-convert formats`).")
@click.option("--output", "-o", "raw_output", cls=ConfigRequired, type=click.Path(),
              help="Output file or directory.")
@click.option("--strict/--no-strict", help="Fail (exit 1) on warnings too (muscles with "
              "warnings are still converted).")
@click.option("--drafts/--no-drafts", help="Convert the muscles marked drafts too "
              "(draft: true, published: false), which are left out by default.")
@_common_read_options
@configuring
def convert(sources: tuple[Path, ...], to_format: str, raw_output: str, from_format: str | None,
            default_lang: str, jobs: int, max_bytes: int, quiet: bool, strict: bool,
            drafts: bool, cache_dir: Path | None, no_cache: bool, exclude: tuple[str, ...],
            force_exclude: bool, **format_options: Any) -> None:
    """Convert SOURCES (files, directories, any readable format) to another format."""
    from .bodymap import map_size
    from .run import convert_sources

    if raw_output == "":  # (Path("") is the working folder)
        raise click.BadParameter("an empty path names no file or folder",
                                 param_hint="'-o' / '--output'")
    output = Path(raw_output)  # (as typed: a trailing / says "a directory")
    writer = _writer(to_format)
    unless_taken(writer, format_options)
    _check_options(writer, format_options)
    options = applying(writer, format_options, from_file(format_options))
    size = _checked_size(map_size(writer.options, options))
    options["default_lang"] = default_lang
    context = click.get_current_context()
    problem = writer_problem(writer, raw_output, options, typed_options(context),
                             flagged_options(context))
    if problem is not None:
        raise refuse(context, problem)
    from .atomic import names_stdout

    if "stdout" in _CLOSED and names_stdout(raw_output):  # (/dev/stdout too)
        raise click.UsageError("standard output is closed; give a file name")
    sources = _named_kept(sources, exclude, force_exclude, quiet,  # (the output stays)
                          from_format)
    cache = _cache_dir(cache_dir, no_cache)
    _outside_output(cache, raw_output, writer.writes_directory(options))
    from .folder_lock import waits_said

    with waits_said(None if quiet else lambda line: _line(printable(line), err=True)):
        result = _run(lambda progress: convert_sources(
            sources, writer, output, from_format=_reader_name(from_format),
            default_lang=default_lang, jobs=jobs, max_bytes=max_bytes, options=options,
            size=size, progress=progress,
            cache_dir=cache, exclude=exclude, drafts=drafts), sources, quiet, exclude)
    _notes(result, quiet, cache)
    _report_capped(result.diagnostics)
    if not quiet:
        summary = printable(result.summary or "")  # it names the output
        if summary and result.left_early:  # (see its output-closed warning)
            summary += " (its reader stopped before the end)"
        _line(f"{summary}{'; ' if summary else ''}{_handled(result)}, "
              f"{counted(result.failed, 'files')} failed"
              f"{_strictly(result, strict)}", err=True)
    sys.exit(_status(_failing(result, strict), result.cut_short))


def _failing(result: RunResult, strict: bool) -> bool:
    """Whether a run's diagnostics fail it: an error, or with ``strict`` a warning too
    (a warning about the inputs: the output's reader stopping early is none)."""
    return result.errors > 0 or (strict and _warned(result) > 0)


def _warned(result: RunResult) -> int:
    """The diagnostics of a run that ``--strict`` counts: all but the ``output-closed``
    warnings (as counted when found: the diagnostics are not gone through again)."""
    return len(result.diagnostics) - result.left_early


def _status(failing: bool, cut_short: bool) -> int:
    """The exit status of a run that failed (``failing``) or not: :data:`CUT_SHORT` when
    it was cut short (a worker process died, the temporary folder was full), whatever
    the inputs said."""
    return CUT_SHORT if cut_short else 1 if failing else 0


def _handled(result: RunResult) -> str:
    """What a run did with the muscles it read: ``2 muscles converted``, or ``2 muscles
    read`` when the output refused them (nothing was written)."""
    if result.read is not None:
        return f"{counted(result.read, 'muscles')} read"
    return f"{counted(result.count, 'muscles')} converted"


def _strictly(result: RunResult, strict: bool) -> str:
    """What the summary adds when ``--strict`` makes warnings fail the run (its errors
    as counted when found: the diagnostics are not gone through again)."""
    count = _warned(result)
    if not strict or result.errors or not count:
        return ""
    return f" (--strict: {counted(count, 'warnings')} {agreeing(count, 'fails', 'fail')} the run)"


def _run(job: Any, sources: tuple[Path, ...], quiet: bool,
         exclude: tuple[str, ...] = ()) -> Any:
    try:
        bar = _progress(sum(1 for _ in _count_hint(sources, exclude)), quiet)
        if bar is None:
            return job(None)
        with bar:
            return job(bar.update)
    except WorkingFolderGone:  # (its command ends with it alone: see ConfiguredCommand)
        raise
    except MuscleError as exc:
        from .run import cuts_short

        _report(exc.diagnostics)
        sys.exit(_status(True, cuts_short(exc)))


def _count_hint(sources: tuple[Path, ...], exclude: tuple[str, ...] = ()) -> Iterator[str]:
    """Cheap file count for the progress bar (only when stderr is a terminal): the
    ``.md`` files below folders, by the names a search leaves out too (hidden ones and
    what ``exclude`` matches, whose folders are not looked into)."""
    from .exclude import exclusion

    if not sys.stderr.isatty():
        return
    left_out = exclusion(exclude)
    for source in sources:
        if not source.is_dir():
            yield str(source)
            continue
        for folder, folders, files in os.walk(source):
            below = os.path.relpath(folder, source)
            below = "" if below == os.curdir else below.replace(os.sep, "/") + "/"
            folders[:] = [f for f in folders if not f.startswith(".") and not (
                left_out and left_out(below + f, True))]
            yield from (f for f in files if f.endswith(".md") and not f.startswith(".")
                        and not (left_out and left_out(below + f, False)))


def _format(name: str, option: str, *, writing: bool) -> Any:
    """The format ``name`` given to ``option``, if it can write (or read); else a usage
    error."""
    from .diagnostics import MuscleError
    from .registry import get_format, unknown_format

    try:
        fmt = get_format(name)
    except KeyError:
        raise click.BadParameter(unknown_format(name, writing=writing), param_hint=option) from None
    except MuscleError as exc:  # (a plugin that does not load)
        raise click.BadParameter(printable(exc.diagnostics[0].message),
                                 param_hint=option) from None
    if not (fmt.can_write if writing else fmt.can_read):
        raise click.BadParameter(f"{name} cannot be {'written' if writing else 'read'}",
                                 param_hint=option)
    return fmt


def _writer(name: str) -> Any:
    return _format(name, "--to", writing=True)


def _reader_name(name: str | None) -> str | None:
    return None if name is None else _format(name, "--from", writing=False).name


def _check_options(writer: Any, given: dict[str, Any]) -> None:
    own = {o.name for o in writer.options}
    for name, value in given.items():
        if value not in (None, False) and name not in own:
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(f"{flag} does not apply to --to {writer.name}")


@cli.command(cls=ConfiguredCommand)
@click.argument("sources", nargs=-1, required=True, type=SOURCE)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True,
              help="Diagnostics for people, machines (JSON on stdout) or GitHub Actions "
                   "(annotations on stdout).")
@click.option("--strict/--no-strict", help="Fail (exit 1) on warnings too.")
@click.option("--size", "map_size", metavar="WxH", callback=_map_size,
              help="Diagram size polygons must fit in.")
@_common_read_options
@configuring
def validate(sources: tuple[Path, ...], output_format: str, strict: bool,
             map_size: str | None, from_format: str | None, default_lang: str, jobs: int,
             max_bytes: int, quiet: bool, cache_dir: Path | None, no_cache: bool,
             exclude: tuple[str, ...], force_exclude: bool) -> None:
    """Check SOURCES: schema errors and content lints, with file, line and field."""
    from .run import validate_sources

    silent = quiet or output_format == "json"  # (JSON: the report alone, no word on stderr)
    sources = _named_kept(sources, exclude, force_exclude, silent, from_format)
    cache = _cache_dir(cache_dir, no_cache)
    result = _run(lambda progress: validate_sources(
        sources, from_format=_reader_name(from_format), default_lang=default_lang,
        jobs=jobs, max_bytes=max_bytes, size=map_size, progress=progress,
        cache_dir=cache, exclude=exclude), sources, silent, exclude)
    _notes(result, silent, cache)
    if output_format == "json":
        _echo(rendered(result.diagnostics, "json"))
    else:
        if output_format == "text":
            _report(result.diagnostics)
        elif result.diagnostics:
            _echo(rendered(result.diagnostics, "github",
                           workspace=os.environ.get("GITHUB_WORKSPACE") or None))
        if not quiet:
            errors = result.errors  # (counted as found: the log is not unpacked again)
            warnings = len(result.diagnostics) - errors
            failed = f", {counted(result.failed, 'files')} failed" if result.failed else ""
            _line(f"{counted(result.count, 'muscles')} valid{failed}: "
                  f"{counted(errors, 'errors')}, {counted(warnings, 'warnings')}"
                  f"{_strictly(result, strict)}", err=True)
    sys.exit(_status(_failing(result, strict), result.cut_short))


@cli.command("formats")
def list_formats() -> None:
    """List the installed formats, what each carries, and each one's description (exit 1
    if one fails to load)."""
    from .registry import all_formats, not_loaded

    rows, failed = [("name", "read", "write", "carries", "extensions")], []
    described: list[tuple[str, str]] = []
    for fmt in all_formats():
        try:
            rows.extend(_format_rows(fmt))
        except MuscleError as exc:  # (a third party's hook failing: said, the rest listed)
            failed.extend(exc.diagnostics)
            continue
        if fmt.description:
            described.append((fmt.name, printable(fmt.description)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        _line("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if described:  # (after the table, a line each: descriptions are long)
        _line("")
        width = max(len(name) for name, _ in described)
        for name, description in described:
            _line(f"{name.ljust(width)}  {description}")
    _report(failed)
    sys.exit(1 if failed or not_loaded() else 0)  # (a format not loaded: its warning said)


def _format_rows(fmt: Any) -> list[tuple[str, str, str, str, str]]:
    """The rows of ``fmt`` in ``muscle-convert formats``: its own, one per variant."""
    from .model import FIELDS

    def carried(fields: frozenset[str]) -> str:
        return "lossless" if fields >= set(FIELDS) else ",".join(
            f for f in FIELDS if f in fields)

    # (a format that only writes folders: only its folder's marker)
    named = fmt.extensions if fmt.can_read or not fmt.writes_directory({}) else ()
    ext = " ".join(named + ((f"{fmt.directory_marker}/",) if fmt.directory_marker else ()))
    read, write = "yes" if fmt.can_read else "-", "yes" if fmt.can_write else "-"
    return [(fmt.name, read, write, carried(fmt.carries), ext)] + [
        (f"  --{variant}", read, write, carried(fields), "")
        for variant, fields in fmt.variants.items()]


@cli.command()
@click.option("--input", "input_schema", is_flag=True,
              help="The front matter as authors write it (default: the canonical JSON).")
def schema(input_schema: bool) -> None:
    """Print a JSON Schema (Draft 2020-12)."""
    import json

    from .schema import load_schema

    _line(json.dumps(load_schema("front-matter" if input_schema else "muscle"),
                     ensure_ascii=False, indent=2))


@cli.command(cls=ConfiguredCommand)
@click.argument("paths", nargs=-1, required=True, type=SOURCE)
@click.option("--check/--no-check", help="Change nothing; list files that would change "
              "and exit 1 if any.")
@_DEFAULT_LANG
@_JOBS
@_MAX_BYTES
@_exclude_options
@click.option("--quiet/--no-quiet", "-q", help="No summary.")
@configuring
def fmt(paths: tuple[Path, ...], check: bool, default_lang: str, jobs: int, max_bytes: int,
        exclude: tuple[str, ...], force_exclude: bool, quiet: bool) -> None:
    """Rewrite source files in the canonical layout, keeping YAML comments."""
    from .run import format_sources

    paths = _named_kept(paths, exclude, force_exclude, quiet, formatting=True)

    def say(path: str) -> None:  # (as each is rewritten: Ctrl-C leaves them named)
        _line(f"{'would reformat' if check else 'reformatted'} {printable(path)}")

    result = _run(lambda progress: format_sources(paths, check=check, jobs=jobs,
                                                  default_lang=default_lang,
                                                  max_bytes=max_bytes, changed=say,
                                                  exclude=exclude),
                  paths, True)
    _notes(result, quiet)
    _report(result.diagnostics)
    if not quiet:
        failed = f", {result.failed} failed" if result.failed else ""
        _line(f"{len(result.changed)} {'would change' if check else 'changed'}, "
              f"{result.count - len(result.changed)} unchanged{failed}", err=True)
    sys.exit(1 if has_errors(result.diagnostics) or (check and result.changed) else 0)


#: The exit status of a run cut short by a failure of its own, not of its inputs: a
#: worker process died (``worker-died``), or the temporary folder (``TMPDIR``) refused
#: its work files (a ``cannot-write`` naming it). Running it again may well succeed.
CUT_SHORT = 3


#: The standard streams the caller closed (``>&-``): the null device stands in for them.
_CLOSED: set[str] = set()


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str,
                      lineno: int, line: str | None = None) -> str:
    """A Python warning (a format plugin that does not load) as the tool's one line."""
    return f"muscle-convert: warning: {message}\n"


def main() -> None:
    """Console-script entry point. Ctrl-C ends the run with "Aborted!" and status 130
    (click's own handling exits 1, the status of invalid inputs); once the run's output
    is in place, up to the process's exit, Ctrl-C, SIGTERM and SIGHUP say it was written
    (see :mod:`~converter.once_written`)."""
    import warnings

    warnings.formatwarning = _one_line_warning
    for name in ("stdin", "stdout", "stderr"):  # (closed by the caller: 2>&-)
        if getattr(sys, name) is None:
            _CLOSED.add(name)
            setattr(sys, name, open(os.devnull, "r" if name == "stdin" else "w"))  # noqa: SIM115
    try:
        with watching():  # (a signal once its output is in place says it was written)
            code = cli.main(prog_name="muscle-convert", standalone_mode=False)
    except click.ClickException as exc:
        _told(exc.show)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt) as stopped:
        told()  # (a second signal says nothing more)
        message = stopped_message(stopped)
        _told(lambda: click.echo(message, err=True))
        sys.exit(INTERRUPTED)
    except OSError as exc:
        if exc.errno not in _STREAM_FULL:
            raise
        _stdout_failed(exc)
    sys.exit(code if isinstance(code, int) else 0)


def _told(show: Callable[[], None]) -> None:
    """Say what ``show`` writes on stderr (a usage error, "Aborted!"), as :func:`_echo`
    writes: a reader of stderr that stopped (``2>&1 | head``) takes none of it, and the
    exit status alone says what failed."""
    try:
        show()
    except BrokenPipeError:
        to_nowhere(sys.stderr)


#: What writing to a full disk or device says (``> /dev/full``). Every output a writer
#: makes says so in a ``cannot-write`` of its own, so one that reaches :func:`main` is
#: from a stream: standard output (standard error's would not be read anyway).
_STREAM_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _stdout_failed(exc: OSError) -> None:
    """End a run whose standard output refused its report (``validate --format json >
    /dev/full``, ``formats > file`` on a full disk): one ``cannot-write`` on stderr, exit
    1, as for any output that cannot be written (a pipe its reader left is no failure:
    see :func:`_echo`)."""
    from .atomic import STDOUT_NAME

    to_nowhere(sys.stdout)
    diagnostic = Diagnostic(STDOUT_NAME, None, None, "", "cannot-write",
                            f"cannot write here: {exc.strerror or exc}", stream=True)
    with contextlib.suppress(OSError):
        click.echo(str(diagnostic), err=True)
    sys.exit(1)
