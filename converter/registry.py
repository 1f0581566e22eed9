"""The format registry: formats are plugins found through entry points.

A format is one small class in one module, registered with one line in
``pyproject.toml``::

    [project.entry-points."muscle_convert.formats"]
    json = "formats.json:JsonFormat"

The core never imports a format by name: it asks this registry. Format modules are
imported only when a format is used (or listed), so start-up stays fast.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import importlib.machinery
import os
import re
import shlex
import stat
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import Distribution, EntryPoint, entry_points
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from .diagnostics import (
    Diagnostic,
    MuscleError,
    Severity,
    beside_errors,
    check_unchanged,
    open_stamp,
)
from .distinfo import distribution_name
from .model import ALL_FIELDS, Muscle

ENTRY_POINT_GROUP = "muscle_convert.formats"
#: The distribution whose entry point gave each loaded format class (see :func:`code_files`).
_origins: dict[type, Distribution | None] = {}


@dataclass(frozen=True)
class FormatOption:
    """An option a format's reader or writer accepts (shown by the CLI as ``--name``)."""

    name: str
    help: str
    default: Any = None
    is_flag: bool = False
    type: type = str
    metavar: str | None = None
    #: The value may name a local file the writer reads (a picture it copies) or looks
    #: for beside the output: the state of both paths is part of a run's cache key, so
    #: a run after one changed is not replayed.
    reads_file: bool = False
    #: A flag that applies only with this other option of the format set (``excel``
    #: needs ``flat``): a config file's, without it, is left out, so one file serves
    #: every variant; given on the command line, the writer's checks refuse it.
    needs: str | None = None


class Place(NamedTuple):
    """Where a diagnostic about a muscle's field belongs (:meth:`Format.places`): a file,
    its line and column there (None when not known), and the field as it names it."""

    path: str
    line: int | None
    column: int | None
    field: str


class Source(NamedTuple):
    """Where a muscle came from: its file, that file's modification time, and whether
    the file holds many muscles (JSON, CSV, ...: diagnostics then name the muscle)."""

    path: str
    mtime: float
    many: bool = False


#: The Python API's name of each option the command line names otherwise (``--to``,
#: ``--from``: the ``format`` of ``read()`` and ``write()``).
_KEYWORDS = {"to": "format", "from": "format"}


#: What bash's ``$'...'`` quoting writes as an escape (:meth:`Spelling.typed`).
_BASH_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\", "'": "\\'"}


@dataclass(frozen=True)
class Spelling:
    """How a diagnostic names an option: as the caller gives it, the command line's
    flag (``--flat``, ``--to json``) or the Python API's keyword (``flat=True``,
    ``format='json'``). Options are named as :class:`FormatOption` names them
    (``link_template``), and ``to`` and ``from`` as the command line's. A format asks
    :func:`spelling` for the one of the run; it never needs to know which it is."""

    keywords: bool = False
    #: Whether the caller can name a format to read (``--from``, ``format=``): ``fmt``
    #: cannot, it rewrites only the formats that can be formatted.
    names_formats: bool = True
    #: Whether the value is a config file's (``muscle-convert.toml``): typed in TOML,
    #: each option named as its key (``size``, ``to = "json"``) but those of ``flags``.
    toml: bool = False
    #: (With ``toml``) the options given on the command line: named as flags there.
    flags: frozenset[str] = frozenset()

    def option(self, name: str) -> str:
        """The option itself (a diagnostic's path or field): ``--link-template``, or
        ``link_template``; a config file's key ``link-template``."""
        if self.keywords:
            return _KEYWORDS.get(name, name)
        if self.toml and name not in self.flags:
            return name.replace("_", "-")
        return "--" + name.replace("_", "-")

    def given(self, name: str, value: Any = True, *, quoted: bool = False) -> str:
        """The option given ``value`` (True: a flag): ``--flat``, ``--to json`` (with
        ``quoted``, the value as Python shows it: ``--link-template 'x'``); or
        ``flat=True``, ``format='json'``; in a config file ``flat = true``."""
        if self.keywords:
            return f"{self.option(name)}={value!r}"
        if self.toml and name not in self.flags:
            import json

            return f"{self.option(name)} = {json.dumps(value, ensure_ascii=False)}"
        shown = "" if value is True else f" {value!r}" if quoted else f" {value}"
        return self.option(name) + shown

    def offered(self, name: str, value: Any = True) -> str:
        """The option offered as a way out, :meth:`given`: ``pass --flat``, ``pass
        flat=True``; in a config file ``set flat = true`` (a key is set, not passed)."""
        verb = "set" if self.toml and name not in self.flags and not self.keywords else "pass"
        return f"{verb} {self.given(name, value)}"

    def typed(self, name: str, value: str) -> str:
        """How the caller types the option given ``value``, a text that holds a control
        character (a tab): ``--separator $'\\t' in bash``, or ``separator='\\t'``; in a
        config file ``separator = "\\t"``."""
        if self.keywords:
            return self.given(name, value)
        if self.toml:  # (a TOML basic string escapes as JSON does, and DEL too)
            import json

            quoted = json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
            return f"{name.replace('_', '-')} = {quoted}"
        shown = "".join(_BASH_ESCAPES.get(c) or (c if c.isprintable() else
                                                 f"\\U{ord(c):08x}") for c in value)
        return f"{self.option(name)} $'{shown}' in bash"

    def naming(self, fmt: str) -> str:
        """How the caller names the format ``fmt`` to read or write it: ``--from or --to
        json``, or ``format='json'``."""
        if self.keywords:
            return self.given("from", fmt)
        return f"{self.option('from')} or {self.given('to', fmt)}"

    def asked(self, name: str) -> str:
        """The option asked for, its value the caller's to choose: ``--from``, or
        ``format=``."""
        return self.option(name) + ("=" if self.keywords else "")

    def writing(self, fmt: str, path: str) -> str:
        """How the caller writes the format ``fmt`` to ``path``: ``--to sqlite -o m.db``,
        or ``write(muscles, 'm.db')``."""
        if self.keywords:
            return f"write(muscles, {path!r})"
        return f"--to {fmt} -o {shlex.quote(path)}"

    def together(self, *given: str) -> str:
        """Options given together (each :meth:`given`): ``--to csv --flat``, or
        ``format='csv', flat=True``."""
        return (", " if self.keywords or self.toml else " ").join(given)


#: The command line's spelling, every run's unless :func:`spelled` says another.
COMMAND_LINE = Spelling()
#: The Python API's (``converter.read``, ``converter.write``).
PYTHON_API = Spelling(keywords=True)
#: ``fmt``'s: the command line's, with no ``--from``.
FMT_COMMAND = Spelling(names_formats=False)
#: A config file's values, as the command line names its options but typed in TOML.
CONFIG_FILE = Spelling(toml=True)
_SPELLING: ContextVar[Spelling] = ContextVar("spelling", default=COMMAND_LINE)


def spelling() -> Spelling:
    """How the diagnostics of the call in progress name options (the command line's
    unless :func:`spelled` is in force in this thread, or was where the worker process
    running this was started: :func:`~converter.workers.worker_pool`, or the thread
    running this: :func:`start_thread`)."""
    return _SPELLING.get()


@contextlib.contextmanager
def spelled(how: Spelling) -> Iterator[None]:
    """Name options ``how`` says, in this thread, until the block ends."""
    token = _SPELLING.set(how)
    try:
        yield
    finally:
        _SPELLING.reset(token)


def start_thread(target: Callable[..., object], *args: Any, name: str | None = None,
                 daemon: bool = False) -> threading.Thread:
    """Start a thread that runs ``target(*args)`` in a copy of the calling thread's
    context, so that :func:`spelling` there is the call's (a thread started bare has
    the command line's, whoever called). For a format that does work in threads of
    its own; the thread is returned started, to be joined."""
    thread = threading.Thread(target=contextvars.copy_context().run, args=(target, *args),
                              name=name, daemon=daemon)
    thread.start()
    return thread


def spell(how: Spelling) -> None:
    """Name options ``how`` says in this thread from now on: a worker process's (of
    ``--jobs``), which works for the call whose spelling it was started with."""
    _SPELLING.set(how)


#: The largest Markdown file or SVG map read unless ``--max-bytes`` (``max_bytes=``)
#: says more.
MAX_BYTES = 4 * 1024 * 1024


def _discard(diagnostic: Diagnostic) -> None:
    """Default report callback: drop the diagnostic."""


def _as_is(diagnostic: Diagnostic) -> Diagnostic:
    """Default locate callback: the diagnostic as it is (no line is known)."""
    return diagnostic


def _no_name(path: str, slug: str) -> str | None:
    """Default name_gives callback: no slug is known to be made of a file's name."""
    return None


def _field_as_is(path: str, field: str) -> str:
    """Default field_name callback: every file names a field as front matter does."""
    return field


@dataclass
class ReadContext:
    """What a reader gets besides the path: options and a place to report problems."""

    default_lang: str = "en"
    max_bytes: int = MAX_BYTES
    #: How a ``file-too-large`` error names the limit: the command line's option, or
    #: the Python API's argument (``read()``'s ``max_bytes``).
    limit_name: str = "--max-bytes"
    options: dict[str, Any] = field(default_factory=dict)
    report: Callable[[Diagnostic], None] = _discard
    #: When set, readers that know where fields are in the file call it with each
    #: muscle and a function from a field path (``origin.da``) to (line, column).
    located: Callable[[Muscle, Callable[[str], tuple[int, int] | None]], None] | None = None
    #: Bytes of input files the caller has read already (to hash them), by path:
    #: :meth:`read_bytes` takes them instead of reading the file again.
    read_ahead: dict[str, bytes] = field(default_factory=dict)
    #: Input files the caller files a reading of under the hash of its bytes, by path:
    #: None until :meth:`read_bytes` reads the file, then the hash of the very bytes it
    #: gave (:func:`~converter.cache.content_digest`), whatever the file holds by then.
    hashed: dict[str, bytes | None] = field(default_factory=dict)
    #: Which record of its file the muscle a reader of many yields is, in the reader's
    #: own terms (a JSON record's place in its list, the line of a JSON Lines record),
    #: set before each yield by a reader that knows it without extra work: where a
    #: diagnostic about that very record belongs (:meth:`Format.marked_place`), when
    #: its slug, which lints name it by, is on another record of the file too.
    mark: int | None = None
    #: When set, the per-field lints of a muscle (geometry, links, empty texts, draft
    #: markers) whose fields a diagnostic names inside a record (``""``: a file of one
    #: muscle, fields named as in front matter): see :meth:`lints`.
    lint: Callable[[Muscle, str], list[Diagnostic]] | None = None

    def lints(self, failure: MuscleError, record: str = "",
              errors: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
        """The lints of the valid fields of a muscle that ``failure`` left out (its
        :attr:`~converter.diagnostics.MuscleError.partial`), said in the same run as its
        errors; none about a field that they, or the reader's own ``errors`` of it, are
        about (:func:`~converter.diagnostics.beside_errors`). ``record`` names the muscle
        as its diagnostics do (``muscles[3]``)."""
        if self.lint is None or failure.partial is None:
            return []
        return beside_errors(self.lint(failure.partial, record),
                             [*failure.diagnostics, *errors], record)

    def read_bytes(self, path: Path) -> bytes:
        """The bytes of an input file, refusing files over :attr:`max_bytes` before
        reading them; problems are :class:`MuscleError` (``file-too-large``,
        ``unreadable``); hashed as :attr:`hashed` asks."""
        name = str(path)
        ahead = self.read_ahead.pop(name, None)
        if ahead is not None and len(ahead) <= self.max_bytes:
            return ahead
        data = self._read_bytes(path, name)
        if name in self.hashed:
            from .cache import content_digest  # (the cache's own hash; imported when used)
            self.hashed[name] = content_digest(data)
        return data

    def _read_bytes(self, path: Path, name: str) -> bytes:
        """:meth:`read_bytes` from the file."""
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                raise MuscleError(Diagnostic(name, None, None, "", "not-a-file",
                                             "is not a regular file (a device, FIFO or "
                                             "socket)"))
            data = b""
            if st.st_size <= self.max_bytes:
                data = read_at_most(path, st.st_size, self.max_bytes)
            if max(st.st_size, len(data)) > self.max_bytes:
                raise MuscleError(Diagnostic(name, None, None, "", "file-too-large",
                                             f"is {max(st.st_size, len(data))} bytes, over "
                                             f"the limit of {self.max_bytes} ({self.limit_name})"))
            return data
        except OSError as exc:
            raise MuscleError(Diagnostic(name, None, None, "", "unreadable",
                                         exc.strerror or str(exc))) from None


def read_at_most(path: str | Path, size: int, limit: int) -> bytes:
    """The bytes of the file at ``path``, ``limit`` + 1 at most (one more than the limit
    tells a file over it), reading ``size`` (what stat said) + 1 first: a file that grew
    since its stat is read on. (``read(limit + 1)`` would allocate the whole limit,
    megabytes, for every small file.) ``changed-while-read`` when the open file was
    rewritten in place while read (see :func:`~converter.diagnostics.check_unchanged`)."""
    with open(path, "rb") as fh:
        before = open_stamp(fh)
        data = fh.read(min(size, limit) + 1)
        if size < len(data) <= limit:
            data += fh.read(limit + 1 - len(data))
        check_unchanged(fh, before, str(path))
    return data


def _named(source: Source | None, slug: str, field: str, output: str) -> tuple[str, str]:
    """(path, field) of a diagnostic about the muscle ``slug``'s ``field``, read from
    ``source`` (None: not known): see :meth:`WriteContext.about`."""
    if source is not None and not source.many:
        return source.path, field
    return source.path if source else output, f"muscles[{slug}].{field}"


@dataclass
class WriteContext:
    """What a writer gets besides the muscles: options and where each muscle came from."""

    options: dict[str, Any] = field(default_factory=dict)
    #: slug -> the file it came from (a run's is on disk: query it, do not copy it).
    sources: Mapping[str, Source] = field(default_factory=dict)
    report: Callable[[Diagnostic], None] = _discard
    #: The diagnostics of reading the muscles (complete once they are all read).
    diagnostics: Iterable[Diagnostic] = ()
    #: The files whose muscles were left out as drafts (read, so their muscles are
    #: not in the output by the run's choice; complete once the muscles are all read).
    drafts: Iterable[str] = ()
    #: The files read that gave no muscle (a file of many that holds none now: read,
    #: so the muscles it held are gone; complete once the muscles are all read).
    empty: Iterable[str] = ()
    #: Set by a writer when what it wrote depends on files that are not inputs (SQLite's
    #: ``--prune`` keeps a muscle whose source file exists): the cache does not watch
    #: them, so such a run is never replayed.
    outside_inputs: bool = False
    #: A diagnostic that names a muscle's file and field (:meth:`about`) at that
    #: field's line and column in the file, when the run can find them (writers make
    #: such diagnostics with :meth:`muscle_diagnostic`, which asks it).
    locate: Callable[[Diagnostic], Diagnostic] = _as_is
    #: For a file of one muscle and its slug: what a diagnostic says when the file's
    #: name gave the slug (no ``slug`` key did), ``the file name gives the slug 'map'``
    #: (:meth:`~converter.locator.Locator.name_gives`); else None.
    name_gives: Callable[[str, str], str | None] = _no_name
    #: For a source file and a front-matter field (``coords[0]``): the field as that
    #: file's format names it (``regions[0]`` in JSON: ``Format.field_name``), as its
    #: own lints do (:meth:`~converter.locator.Locator.field_name`).
    field_name: Callable[[str, str], str] = _field_as_is

    def option(self, name: str, default: Any = None) -> Any:
        """The value of a writer option, or ``default`` when it was not given."""
        value = self.options.get(name)
        return default if value is None else value

    def sources_of(self, slugs: Sequence[str]) -> dict[str, Source]:
        """The source of each of ``slugs`` that has one: a run's sources on disk
        (:class:`~converter.scratch.Sources`) answer them all with a query or two, not
        one each."""
        many = getattr(self.sources, "get_many", None)
        if many is not None:
            return many(slugs)
        return {slug: source for slug in slugs
                if (source := self.sources.get(slug)) is not None}

    def about(self, slug: str, field: str, output: str) -> tuple[str, str]:
        """(path, field) of a writer's diagnostic about a muscle's ``field``: the file
        the muscle came from, and in a file of many muscles (or the ``output``, when
        the source is not known, named as every diagnostic names it: standard output
        so, see :func:`~converter.atomic.output_name`) the field of that muscle,
        ``muscles[<slug>].<field>``; the field as that file's format names it
        (:attr:`field_name`)."""
        from .atomic import output_name

        source = self.sources.get(slug)
        named = field if source is None else self.field_name(source.path, field)
        return _named(source, slug, named, output_name(output) if source is None else output)

    def muscle_diagnostic(self, slug: str, field: str, output: str, code: str,
                          message: str, severity: Severity = "error") -> Diagnostic:
        """A writer's diagnostic about the muscle ``slug``'s ``field``, named as
        :meth:`about` names it, at that field's line and column in its source file when
        the run finds them (:attr:`locate`); without a line when the source is not known
        (the ``output`` is named then, not a file the muscle was read from), or when it
        is about a slug its file's name gave (:attr:`name_gives`: the file is named,
        with what its name gives, as no line of it holds the slug)."""
        source = self.sources.get(slug)
        path, named = self.about(slug, field, output)
        if source is None:
            from .atomic import output_is_stdout
            return Diagnostic(path, None, None, named, code, message, severity,
                              stream=output_is_stdout(output))
        found = Diagnostic(path, None, None, named, code, message, severity)
        by_name = self.name_gives(path, slug) if field == "slug" and not source.many else None
        if by_name is None:
            return self.locate(found)
        return found._replace(field="", message=f"{by_name}: {message}")


class Format:
    """Base class of every format. Subclasses set the class attributes and override
    :meth:`read` and/or :meth:`write`."""

    #: Name used with ``--to`` / ``--from``.
    name: ClassVar[str] = ""
    #: One line for ``muscle-convert formats``.
    description: ClassVar[str] = ""
    #: File name endings this format reads or writes, e.g. ``(".json",)``.
    extensions: ClassVar[tuple[str, ...]] = ()
    #: A file whose presence in a directory marks the directory as this format.
    directory_marker: ClassVar[str | None] = None
    #: The model fields this format carries; ``ALL_FIELDS`` means lossless.
    carries: ClassVar[frozenset[str]] = ALL_FIELDS
    #: Options of the reader and writer.
    options: ClassVar[tuple[FormatOption, ...]] = ()
    #: True when every input file holds one muscle, so files may be read in parallel.
    one_muscle_per_file: ClassVar[bool] = False
    #: Lossy variants chosen by a flag option of the same name: flag -> fields carried.
    variants: ClassVar[dict[str, frozenset[str]]] = {}
    #: False when the writer needs a real file, never standard output or a pipe.
    writes_into_streams: ClassVar[bool] = True
    #: True when the reader gives only muscles that a reader of front matter accepts (it
    #: makes them with ``converter.authoring.muscle_from_front_matter``, as every
    #: built-in reader does). Other readers' muscles are checked after reading, as
    #: ``write()`` checks muscles built by hand (:mod:`converter.checks`). A third
    #: party's reader's failures are diagnostics (``reader-failed``), not tracebacks,
    #: whether it sets this or not.
    validates: ClassVar[bool] = False

    @property
    def can_read(self) -> bool:
        """Whether this format has a reader."""
        return type(self).read is not Format.read

    @property
    def can_write(self) -> bool:
        """Whether this format has a writer."""
        return type(self).write is not Format.write or self.writes_records

    @property
    def writes_records(self) -> bool:
        """Whether this format's output is one record per muscle, made of that muscle
        alone (:meth:`record`) and put together by :meth:`write_records`. The core may
        then make records where files are read, in parallel, and cache them per file."""
        return type(self).record is not Format.record

    @property
    def can_update(self) -> bool:
        """Whether this format's writer can bring its last output up to date in place
        (:meth:`update`)."""
        return type(self).update is not Format.update

    @property
    def lossless(self) -> bool:
        """Whether a round trip through this format keeps every model field."""
        return self.carries >= ALL_FIELDS

    def projected(self, muscle: Muscle, variant: str | None = None) -> Muscle:
        """What a round trip through this format gives back of ``muscle``: the fields
        it carries (those of ``variant``, a flag of :attr:`variants`, when given), the
        others empty (:meth:`~converter.model.Muscle.project`). A format that loses more
        within a field it carries (a text that shows nothing read back as none)
        overrides this to say so."""
        return muscle.project(self.carries if variant is None else self.variants[variant])

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        """Yield the muscles in ``path``; report bad records through ``ctx.report``
        or raise :class:`MuscleError` when the whole file is unreadable."""
        raise MuscleError(Diagnostic(str(path), None, None, "", "cannot-read",
                                     f"the {self.name} format has no reader"))

    def is_own(self, path: Path) -> bool:
        """Whether a file a search of a folder found by its ending (or a folder of this
        format's :attr:`directory_marker` found below a source) is this format's: one
        that is not (an SVG icon beside the maps) is left out unread, never an error. A
        source named is always read. Never raises: a file it cannot tell about is
        taken, for the reader to say what is wrong."""
        return True

    @property
    def sorts_found(self) -> bool:
        """Whether this format tells its files from others of its ending (:meth:`is_own`);
        a search stats each file of the others, and reads none."""
        return type(self).is_own is not Format.is_own

    def companions(self, path: Path) -> list[Path]:
        """Other files the reader reads for ``path`` (a data package's tables, a
        database's write-ahead log): their state is part of a run's key, so a run after
        one of them changed is not replayed. Those in the folder of a file a third
        party's writer writes go with it (:mod:`converter.plugin_output`)."""
        return []

    def writes_directory(self, options: Mapping[str, Any]) -> bool:
        """Whether the writer, with ``options``, makes a directory (else one file)."""
        return False

    def check_options(self, options: Mapping[str, Any]) -> None:
        """Raise :class:`MuscleError` for writer ``options`` that cannot be written with
        (values, or options that need another), before any file is read: the command
        line makes it a usage error. A writer checks them again when it writes."""

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> str | None:
        """Write ``muscles`` to ``out`` atomically; return an optional summary line.

        A record writer need not override it: its records go to :meth:`write_records`."""
        if self.writes_records:
            return self.write_records(((m.slug, made_record(self, m, ctx.options))
                                       for m in muscles),
                                      out, ctx)
        raise self._no_writer(str(out))

    def record(self, muscle: Muscle, options: dict[str, Any]) -> str:
        """A record writer's text for one muscle: a pure function of ``muscle`` and the
        writer ``options``, so it can be made in a worker process and cached."""
        raise self._no_writer(muscle.slug, "records")

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str | None:
        """Write (slug, :meth:`record`) pairs, in input order, to ``out`` atomically."""
        raise self._no_writer(str(out), "records")

    def update(self, muscles: Sequence[Muscle], out: Path, ctx: WriteContext, *,
               total: int) -> str | None:
        """Bring ``out`` up to date in place when only ``muscles`` may have changed.

        ``out`` is what :meth:`write` made of ``total`` muscles in the last run of the
        same conversion, untouched since; ``muscles`` replace those of the same slugs,
        the others are unchanged. Return what :meth:`write` of all the new muscles
        would return, or None when this writer cannot tell (nothing is written then,
        and the core writes everything). Atomic, as :meth:`write` is: a third party's
        is given a copy of ``out`` (with its :meth:`companions` beside it), put in place
        once it returns a summary, and a third party's writer of a folder is not asked
        (:func:`~converter.plugin_output.updated`)."""
        return None

    def _no_writer(self, where: str, what: str = "") -> MuscleError:
        """The error of asking a format for a writer (of ``what``) it does not have."""
        kind = f"{what} writer" if what else "writer"
        return MuscleError(Diagnostic(where, None, None, "", "cannot-write",
                                      f"the {self.name} format has no {kind}"))

    @property
    def can_format(self) -> bool:
        """Whether ``fmt`` can rewrite this format's files in their canonical layout."""
        return type(self).reformat is not Format.reformat

    def reformat(self, raw: bytes, path: str, ctx: ReadContext) -> str:
        """The text of the file whose bytes are ``raw`` in canonical layout (for ``fmt``);
        raise :class:`MuscleError` when it cannot be read."""
        raise MuscleError(Diagnostic(path, None, None, "", "cannot-format",
                                     f"fmt does not handle {self.name}"))

    def locate(self, path: Path, field: str) -> tuple[int, int] | None:
        """Line and column of ``field`` in the file at ``path``, when the format knows."""
        return None

    def locate_key(self, path: Path, field: str) -> tuple[int, int] | None:
        """Line and column of the key that names ``field`` in the file at ``path``, where
        a diagnostic about the key itself belongs (a ``duplicate-key``, as a loader
        places its own: the codes of :data:`~converter.authoring.AT_KEY`); by default
        where :meth:`locate` places the field."""
        return self.locate(path, field)

    def places(self, path: Path) -> Callable[[str], Place | None]:
        """Where a diagnostic about a field of the input at ``path`` (``muscles[<slug>]
        .image``, as lints name a muscle's field in a file of many) belongs, asked once
        per input and then per field: None when the format does not know; by default
        that input at :meth:`locate`'s line and column. A format whose input is several
        files (a data package's tables) names the file that holds the field, its line
        there and the field as that file names it."""
        def place(field: str) -> Place | None:
            at = self.locate(path, field)
            return None if at is None else Place(str(path), *at, field)

        return place

    def places_file(self, path: Path) -> Path | None:
        """The one file in which :meth:`places` places every field of the input at
        ``path`` by its content alone, or None (each field's place is asked): a digest of
        its content then stands for where its muscles' fields are, and it is parsed for
        them only when a diagnostic is placed."""
        return None

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """Where a diagnostic about ``field`` (``muscles[<slug>].slug``) of the record
        the reader marked ``mark`` (:attr:`ReadContext.mark`) in the input at ``path``
        belongs, found only when asked (a slug given twice): None when not known."""
        return None

    @property
    def locates_fields(self) -> bool:
        """Whether this format overrides :meth:`locate`: the lines of a muscle's fields
        in a file of many then move with any change to the file."""
        return type(self).locate is not Format.locate

    @property
    def places_fields(self) -> bool:
        """Whether this format overrides :meth:`places`: where it places a muscle's
        fields is then part of reading its input (a cached run's warnings move with
        them)."""
        return type(self).places is not Format.places

    def field_name(self, field: str) -> str:
        """How this format's diagnostics name a muscle's ``field``, a front-matter path
        (``function[0].short.en``, ``coords[1]``): as its own records name it."""
        return field


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
        return f"it tried to end the program (SystemExit with status {exc.code!r})"
    return f"{type(exc).__name__}: {exc}"


def made_record(fmt: Format, muscle: Muscle, options: dict[str, Any]) -> str:
    """``fmt``'s record of ``muscle``: a :class:`WriterFailed` when ``record`` raises
    anything but a :class:`MuscleError` (``sys.exit`` too), or gives what is not a
    str."""
    try:
        record = fmt.record(muscle, options)
    except MuscleError:
        raise
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
        summary = write(watched)
        collections.deque(watched, maxlen=0)  # (what it left unread: read for its errors)
    except MuscleError:
        raise
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


#: The distribution whose formats are built in: one of its formats wins any clash.
OWN_DISTRIBUTION = "muscle-convert"


#: Each distribution's name, by the id of its object (with the object, whose id it is):
#: a name is read from the distribution's metadata file, parsed anew each time asked.
_DIST_NAMES: dict[int, tuple[Any, str]] = {}


def _package(ep: EntryPoint) -> str:
    """The name of the package (distribution) that registers ``ep``, read once per
    distribution (a run asks it of each format's entry point a few times)."""
    dist = ep.dist
    if dist is None:
        return ep.module.partition(".")[0]
    known = _DIST_NAMES.get(id(dist))
    if known is None or known[0] is not dist:
        known = _DIST_NAMES[id(dist)] = (dist, distribution_name(dist))
    return known[1]


def _built_in(ep: EntryPoint) -> bool:
    """Whether ``ep`` is one of muscle-convert's own formats."""
    return re.sub(r"[-_.]+", "-", _package(ep)).lower() == OWN_DISTRIBUTION


def _precedence(ep: EntryPoint) -> tuple[bool, str, str]:
    """Which of two entry points of one name wins: a built-in format, else the one of
    the package whose name sorts first."""
    return not _built_in(ep), _package(ep).lower(), ep.value


@cache
def _registered() -> dict[str, EntryPoint]:
    """Each format's entry point by its name (an entry point's name in lower case:
    formats are named in any case). A name two packages register is the built-in
    format's (else the first package's by name); the other is skipped with a warning."""
    chosen: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=_precedence):
        name = ep.name.lower()
        if name not in chosen:
            chosen[name] = ep
        elif ep.value != chosen[name].value or _package(ep) != _package(chosen[name]):
            _warn(f"the {name} format of {_package(ep)} is skipped: "
                  f"{_package(chosen[name])} has a {name} format already")
    return chosen


@cache
def _built_in_names() -> frozenset[str]:
    """The names of muscle-convert's own formats (found once: a package's name is read
    from its metadata file)."""
    return frozenset(name for name, ep in _registered().items() if _built_in(ep))


def built_in(fmt: Format) -> bool:
    """Whether ``fmt`` is one of muscle-convert's own formats (not a plugin)."""
    return fmt.name in _built_in_names()


def ranked(formats: Iterable[Format]) -> list[Format]:
    """``formats`` in the order that settles a file name ending several claim: the
    built-in formats first, then the others by name."""
    return sorted(formats, key=lambda fmt: (not built_in(fmt), fmt.name))


@cache
def format_names() -> tuple[str, ...]:
    """Names of all installed formats, without importing them."""
    return tuple(sorted(_registered()))


def get_format(name: str) -> Format:
    """The format registered under ``name``, in any case (imports its module on first
    use); a ``KeyError`` for a name no format has, a :class:`MuscleError`
    (``format-not-loaded``) for one whose module fails to load (a broken plugin)."""
    if not isinstance(name, str):
        raise TypeError(f"a format is named by a str, not {type(name).__name__}")
    return _loaded(name.lower())


@cache
def _loaded(name: str) -> Format:
    """The format ``name`` (lower case; its entry point's name in any case), loaded once."""
    ep = _registered().get(name)
    if ep is not None:
        try:
            instance: Format = ep.load()()
        except (Exception, SystemExit) as exc:  # (a plugin's import may raise anything,
            # sys.exit("needs libfoo") too; Ctrl-C still stops the run)
            raise MuscleError(Diagnostic(
                "format", None, None, "", "format-not-loaded",
                f"the {name} format could not be loaded: {type(exc).__name__}: {exc}")
            ) from None
        if instance.name != name:
            raise MuscleError(Diagnostic(
                "format", None, None, "", "format-not-loaded",
                f"the {name} format could not be loaded: its entry point gives the format "
                f"{instance.name!r}"))
        from .plugins import guarded, misshapen, option_clash

        problem = misshapen(instance)
        if problem:
            raise MuscleError(Diagnostic(
                "format", None, None, "", "format-not-loaded",
                f"the {name} format could not be loaded: {problem}"))
        clash = None if _built_in(ep) else option_clash(instance, _ranked_before(name))
        if clash is not None:
            raise MuscleError(Diagnostic("format", None, None, "", "format-not-loaded",
                                         f"the {name} format could not be loaded: {clash}"))
        _origins[type(instance)] = getattr(ep, "dist", None)
        return instance if _built_in(ep) else guarded(instance)
    raise KeyError(name)


def _ranked_before(name: str) -> Iterator[Format]:
    """The formats that load which come before the format ``name`` in a clash (the
    built-in ones, then the others by name)."""
    def rank(other: str) -> tuple[bool, str]:
        return other not in _built_in_names(), other

    for other in sorted(n for n in _registered() if rank(n) < rank(name)):
        try:
            yield _loaded(other)
        except MuscleError:  # (skipped with its own warning)
            continue


def code_files(formats: Iterable[Format]) -> set[str]:
    """The files the code of ``formats`` is made of (absolute paths): every file their
    distributions list (its ``RECORD``: the modules, data and metadata of another
    version or of an edited plugin), and, when that list lacks a format's module (a
    hand-made ``dist-info``, an editable install, a format that is no plugin), every
    module file of the module's package folder (the outermost regular package holding
    it; a top-level module alone): its data files are left out, which a package of
    many (pictures, a bundled corpus) would make every run stat."""
    found: set[str] = set()
    for module, dist in {(sys.modules.get(type(f).__module__), _origins.get(type(f)))
                         for f in formats}:
        files = _distribution_files(dist)
        found |= files
        own = getattr(module, "__file__", None)
        if own and os.path.abspath(own) not in files:
            found |= _package_files(module)
    return found


def _distribution_files(dist: Distribution | None) -> set[str]:
    """The absolute paths of the files ``dist`` lists, compiled bytecode left out (it
    is written by running the code, and stands for the sources listed beside it)."""
    files = dist.files if dist is not None else None
    return {os.path.abspath(dist.locate_file(f)) for f in files or ()
            if not f.name.endswith(".pyc")}


def _package_files(module: Any) -> set[str]:
    """The module files of the folder of the outermost regular package holding
    ``module`` (:func:`module_files`), and ``module``'s own file, the only one when it
    is in no package."""
    parts = module.__name__.split(".")
    own = {os.path.abspath(module.__file__)}
    for end in range(1, len(parts) + 1):
        path = getattr(sys.modules.get(".".join(parts[:end])), "__file__", None)
        if path and os.path.basename(path).startswith("__init__."):
            return own | module_files(os.path.dirname(os.path.abspath(path)))
    return own


#: The endings of the files Python imports modules from: sources and extension modules
#: (``.py``, ``.cpython-312-x86_64-linux-gnu.so``), not bytecode (written by running).
_MODULE_ENDINGS = tuple(sorted({*importlib.machinery.SOURCE_SUFFIXES,
                                *importlib.machinery.EXTENSION_SUFFIXES}))


def module_files(folder: str) -> set[str]:
    """The module files below ``folder``, in the folders an import can name (each an
    identifier: not ``__pycache__``, ``my-data`` or ``.git``); the names of its other
    files are listed, but none is stat-ed."""
    found: set[str] = set()
    for top, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if f.isidentifier() and f != "__pycache__"]
        found.update(os.path.join(top, name) for name in files
                     if name.endswith(_MODULE_ENDINGS))
    return found


def unknown_format(name: str, *, writing: bool) -> str:
    """What to say of a format name that no format has, asked for to read (or to write,
    ``writing``): the nearest names of the formats that can, if any are near, and every
    such name (a write-only format is no answer to ``--from``)."""
    import difflib

    names = [f.name for f in all_formats() if (f.can_write if writing else f.can_read)]
    near = difflib.get_close_matches(name.lower(), names, n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    return (f"unknown format {name!r}{hint}; the formats that can be "
            f"{'written' if writing else 'read'} are {', '.join(names)}")


def all_formats() -> list[Format]:
    """Every installed format that loads, sorted by name (a broken plugin is skipped
    with a warning, so one bad package cannot take the tool down)."""
    _warn_of_shared_endings()
    return _loading()[0]


def not_loaded() -> list[Diagnostic]:
    """The ``format-not-loaded`` errors of the installed formats :func:`all_formats`
    skipped (each warned of once)."""
    return _loading()[1]


class _Shared(NamedTuple):
    """A file name ending or a directory marker (``what``) that the format ``fmt``
    declares and the format ``owner``, ranked before it, declares too; ``taken``: what
    is taken as ``owner``'s (``a .json file``)."""

    fmt: str
    what: str
    owner: str
    taken: str


@cache
def _loading() -> tuple[list[Format], list[Diagnostic], list[_Shared], set[str]]:
    """The formats that load, sorted by name, the errors of those that do not, the
    endings and markers they share (:func:`_shared`), and the warnings of those said
    (:func:`_warn_of_shared_endings`)."""
    loaded, failed = [], []
    for name in format_names():
        try:
            loaded.append(get_format(name))
        except MuscleError as exc:
            failed.extend(exc.diagnostics)
            _warn(exc.diagnostics[0].message)
    return loaded, failed, _shared(loaded), set()


def _by_rank() -> list[Format]:
    """Every format that loads, :func:`ranked` (sorted once: a run detects the format of
    many files)."""
    _warn_of_shared_endings()
    return _ranked()


@cache
def _ranked() -> list[Format]:
    """Every format that loads, :func:`ranked`, sorted once."""
    return ranked(_loading()[0])


def _shared(formats: Iterable[Format]) -> list[_Shared]:
    """Each file name ending, and each directory marker, a format declares that a
    format :func:`ranked` before it declares too: a file so named, or a folder so
    marked, is that one's."""
    found: list[_Shared] = []
    owners: dict[str, Format] = {}
    markers: dict[str, Format] = {}
    for fmt in ranked(formats):
        for ending in fmt.extensions:
            owner = owners.setdefault(ending.lower(), fmt)
            if owner is not fmt:
                found.append(_Shared(fmt.name, f"ending {ending}", owner.name,
                                     f"a {ending} file"))
        marker = fmt.directory_marker
        owner = markers.setdefault(marker.lower(), fmt) if marker else fmt
        if owner is not fmt:
            found.append(_Shared(fmt.name, f"directory marker {marker}", owner.name,
                                 f"a folder holding {marker}"))
    return found


def _warn_of_shared_endings() -> None:
    """Warn of each ending and marker that two formats share (:func:`_shared`), naming
    the other format as the caller names one (:func:`spelling`): ``--from or --to
    ajson``, or ``format='ajson'``; none to ``fmt``, which cannot name a format. Each
    warning is said once, so a caller that names formats otherwise than the first is
    warned in its own words."""
    _, _, shared, said = _loading()
    if not shared:
        return
    named = spelling()
    for clash in shared:
        other = f" ({named.naming(clash.fmt)} names the other)" if named.names_formats else ""
        message = (f"the {clash.fmt} format's {clash.what} is the {clash.owner} format's "
                   f"too: {clash.taken} is taken as {clash.owner}{other}")
        if message not in said:
            said.add(message)
            _warn(message)


#: The folders of muscle-convert's own code (``converter/``, ``formats/``).
_OWN_CODE = (os.path.dirname(os.path.abspath(__file__)) + os.sep,
             os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "formats") + os.sep)


def _warn(message: str) -> None:
    """Warn of a plugin (a Python warning), placed at the caller's line that led to it:
    the first outside muscle-convert's own code."""
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _OWN_CODE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


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


def output_mistake(fmt: Format, output: str, options: Mapping[str, Any]) -> Diagnostic | None:
    """What is wrong with ``output`` (as typed) as the place of what ``fmt`` writes with
    ``options``, or None. For one file: a name ending in a separator or a dot folder, or
    an existing directory (``output-is-directory``); a name ending like another format's
    file (``output-ending``: ``-o m.jsonl`` for json); standard output for a writer that
    needs a real file (``output-not-file``), or a name of one (``/dev/stdout``), a
    device or a FIFO. For a directory: standard output (``-``), an existing file
    (``/dev/null`` too) or a name ending like a file of some format
    (``output-not-directory``). Options are named as the caller names them
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
            others = [(e, f) for f in _by_rank() if f is not fmt
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
    if os.path.exists(output) and not os.path.isdir(output):  # (a file, /dev/null)
        return mistake("output-not-directory", f"{to} writes a directory, and "
                       f"{output} exists and is not one; give a directory name{hint}")
    endings = [e for f in all_formats() for e in f.extensions if name.endswith(e.lower())]
    if endings:
        return mistake("output-not-directory", f"{to} writes a directory, and "
                       f"{output} is named like a {max(endings, key=len)} file; give a "
                       f"directory name{hint}")
    return None


def detect_format(path: Path, *, for_reading: bool) -> Format | None:
    """The format a path belongs to, by directory marker or file name ending (a file's
    name told from a marker and an ending in any case)."""
    candidates = [f for f in _by_rank() if (f.can_read if for_reading else f.can_write)]
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
