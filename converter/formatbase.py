"""The base class of every format (:class:`Format`), the options it declares
(:class:`FormatOption`) and where it places a diagnostic about a field (:class:`Place`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from .contexts import ReadContext, WriteContext
from .diagnostics import Diagnostic, MuscleError
from .model import ALL_FIELDS, Muscle
from .writerrun import made_record


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


@dataclass(frozen=True)
class Search:
    """A search of a folder that asks :meth:`Format.is_own` of the files it finds: the
    folder ``root`` as the paths it gives start (``.``: they start with no folder), and
    ``memo``, where a format may keep what it learned of a folder for this search alone
    (a later search looks again: the files may have changed), and ``excluded``, whether
    the search leaves out a path below ``root`` (``/`` between its parts; a folder's:
    True) by the run's ``--exclude`` patterns (None: it leaves out none)."""

    root: str
    memo: dict[Any, Any] = field(default_factory=dict)
    excluded: Callable[[str, bool], bool] | None = None


_SEARCH: ContextVar[Search | None] = ContextVar("muscle_convert_search", default=None)


def current_search() -> Search | None:
    """The search of a folder asking :meth:`Format.is_own` now, if any."""
    return _SEARCH.get()


@contextlib.contextmanager
def searching(root: str, excluded: Callable[[str, bool], bool] | None = None
              ) -> Iterator[Search]:
    """Make a search of the folder ``root`` (leaving out what ``excluded`` says) the
    :func:`current_search` while it runs."""
    token = _SEARCH.set(Search(root, excluded=excluded))
    try:
        yield _SEARCH.get()  # type: ignore[misc]
    finally:
        _SEARCH.reset(token)


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
    #: Other names a caller may give the format by, each with the flag options of it
    #: that the name implies: a name no format has that is one of these is told
    #: ``did you mean --to <format> --<flag> ...?``, the format and those flags.
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {}
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
        that is not (an SVG icon beside the maps) is left out unread, never an error, and
        counted in a note. A source named is read (but with ``--force-exclude``, which
        asks it within a search of the working folder). Never raises: a file it
        cannot tell about is taken, for the reader to say what is wrong. The search
        asking is :func:`current_search` (which folder it started from, a memo of what
        is known of folders for that search alone)."""
        return True

    def own_names(self, folder: str, names: Sequence[str]) -> list[bool] | None:
        """Of each of the files ``names`` a search of a folder found in ``folder`` (as
        the search names it: ``""`` for the working folder, else ending in a separator,
        so ``folder + name`` is a file's path), whether it is this format's, as
        :meth:`is_own` tells of one, told at once for the folder's files; None (the
        default): the search asks :meth:`is_own` of each. Asked once per folder (and
        batch of its files), so a format whose rules are a folder's costs a search next
        to nothing per file."""
        return None

    def why_not_own(self, path: Path) -> str | None:
        """A few words on why a search leaves out the file ``path`` (:meth:`is_own`
        false), said in the note and hint that name it (``a Hugo section page``); None
        (the default) when the format does not say, naming it being how to see why."""
        return None

    @property
    def sorts_found(self) -> bool:
        """Whether this format tells its files from others of its ending (:meth:`is_own`
        or :meth:`own_names`); a search stats each file of the others, and reads none."""
        cls = type(self)
        return cls.is_own is not Format.is_own or cls.own_names is not Format.own_names

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
