"""What a format's reader and writer get besides their input: :class:`ReadContext` and
:class:`WriteContext`, with where each muscle came from (:class:`Source`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .diagnostics import (
    Diagnostic,
    MuscleError,
    Severity,
    beside_errors,
    check_unchanged,
    open_stamp,
)
from .model import Muscle


class Source(NamedTuple):
    """Where a muscle came from: its file, its time (the file's modification time, or
    the muscle's own when its reader gave one: :attr:`ReadContext.time`), and whether
    the file holds many muscles (a document or table of records: diagnostics then name
    the muscle)."""

    path: str
    mtime: float
    many: bool = False


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
    #: own terms (a record's place in its list; or the line it starts on, and which of
    #: the records that start on that line it is, where records may share a line),
    #: set before each yield by a reader that knows it without extra work: where a
    #: diagnostic about that very record belongs (:meth:`Format.marked_place`), when
    #: its slug, which lints name it by, is on another record of the file too.
    mark: int | None = None
    #: When a file's records have times of their own (a record's own modification
    #: time), the time of the muscle a reader yields, set before each yield (None:
    #: the file's): its :attr:`Source.mtime`, which a writer gives what it writes of it.
    time: float | None = None
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
    #: file's format names it (``Format.field_name``: another name, ``regions[0]``,
    #: where the format has one), as its own lints do
    #: (:meth:`~converter.locator.Locator.field_name`).
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
