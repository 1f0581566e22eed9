"""Where a diagnostic that names a field but no line belongs: each file's format asked
once per field (its line and column, in a data package its file too), as a run's
diagnostics stream past."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from .authoring import AT_KEY
from .diagnostics import Diagnostic
from .discovery import Inputs
from .plugins import field_namer
from .registry import Format, Place, detect_format
from .slug import named_slug, slug_hint, slugify


class Locator:
    """Fills in line and column of diagnostics that name a field but no line, asking
    each file's format (``fmt``, else the one its name says) once per field where it
    belongs (:meth:`Format.places`: in a data package, the file too, and the field as
    its row names it). It remembers only the current file's answers, at most
    :data:`_FOUND_KEPT` of them: a file's diagnostics come together, and those of a
    file of many name fields of every record (116,669 warnings of one JSON Lines file
    of 40,000 muscles). :meth:`field_name` names fields as a file's format does."""

    def __init__(self, fmt: Format | None = None) -> None:
        self._fmt = fmt
        self._path: str | None = None
        self._owner: Callable[[str], Place | None] | None = None
        self._format: Format | None = None
        self._found: dict[tuple[str, bool], Place | None] = {}
        self._owners: dict[str, Format | None] = {}  # (see _format_of)

    @classmethod
    def of(cls, inputs: Inputs) -> Locator:
        """A locator for the files of ``inputs``: their format when they have one (every
        input has ``--from``'s), else each file's, found by its name as discovery did."""
        formats = inputs.formats()
        return cls(next(iter(formats)) if len(formats) == 1 else None)

    def field_name(self, path: str, field: str) -> str:
        """``field`` of a muscle of the file at ``path`` as its format names it
        (``Format.field_name``): what a corpus lint's diagnostics say."""
        owner = self._format_of(path)
        return field_namer(owner, path)(field) if owner else field

    def name_gives(self, path: str, slug: str) -> str | None:
        """``the file name gives the slug 'map'`` (``the folder name`` for a page
        bundle's: :func:`~converter.slug.slug_hint`) when ``slug`` is the one the file
        at ``path`` takes without a ``slug`` key, which a diagnostic about it names
        with the file, at no line; else None (its slug key gave it)."""
        owner = self._format_of(path)
        hint = slug_hint(path, owner.extensions if owner else ())
        if slugify(hint) != slug or owner is None or not _no_key(owner, path, "slug"):
            return None
        return named_slug(hint, slug)

    def extensions(self, path: str) -> tuple[str, ...]:
        """The endings of the format of the file at ``path`` (none when it has none)."""
        owner = self._format_of(path)
        return owner.extensions if owner else ()

    def _format_of(self, path: str) -> Format | None:
        """The format of the file at ``path``: the locator's, else the one its name says
        (the last :data:`_OWNERS_KEPT` files' remembered)."""
        if self._fmt is not None:
            return self._fmt
        if path not in self._owners:
            if len(self._owners) >= _OWNERS_KEPT:
                self._owners.clear()
            self._owners[path] = detect_format(Path(path), for_reading=True)
        return self._owners[path]

    def __call__(self, d: Diagnostic) -> Diagnostic:
        if d.line is not None or not d.field:
            return d
        if d.path != self._path:
            self._path, self._found = d.path, {}
            self._format = owner = self._format_of(d.path)
            self._owner = owner.places(Path(d.path)) if owner else None
        asked = (d.field, d.code in AT_KEY)
        if asked not in self._found:
            if len(self._found) >= _FOUND_KEPT:  # (asked again: found again, the same)
                self._found.clear()
            self._found[asked] = self._key(d) if asked[1] else (
                self._owner(d.field) if self._owner else None)
        where = self._found[asked]
        return d._replace(path=where.path, line=where.line, column=where.column,
                          field=where.field) if where else d

    def mark_place(self, path: str, mark: int, field: str) -> Place | None:
        """Where ``field`` of the record its reader marked ``mark`` in the file at
        ``path`` is (:meth:`Format.marked_place`)."""
        owner = self._format_of(path)
        return owner.marked_place(Path(path), mark, field) if owner else None

    def at_mark(self, d: Diagnostic, mark: int) -> Diagnostic:
        """``d``, about a field of the record its reader marked ``mark``, placed there;
        where :meth:`__call__` places it when its format does not know."""
        where = self.mark_place(d.path, mark, d.field)
        if where is None:
            return self(d)
        return d._replace(path=where.path, line=where.line, column=where.column,
                          field=where.field)

    def _key(self, d: Diagnostic) -> Place | None:
        """Where the key ``d`` is about is written (:meth:`Format.locate_key`), in a
        format that places its fields by :meth:`Format.locate`; else where the field
        belongs."""
        owner = self._format
        if owner is None or owner.places_fields:
            return self._owner(d.field) if self._owner else None
        at = owner.locate_key(Path(d.path), d.field)
        return None if at is None else Place(d.path, *at, d.field)


#: The places of fields a :class:`Locator` remembers of one file.
_FOUND_KEPT = 4096


#: The files whose formats a :class:`Locator` remembers (a corpus lint names the fields
#: of files of many muscles, which are few).
_OWNERS_KEPT = 256


def locate_lines(diagnostics: Iterable[Diagnostic], fmt: Format | None = None
                 ) -> Iterator[Diagnostic]:
    """``diagnostics`` with the lines a :class:`Locator` finds, as they stream past."""
    return map(Locator(fmt), diagnostics)


def locate_marked(diagnostics: Sequence[Diagnostic], marks: dict[int, int],
                  fmt: Format | None = None) -> list[Diagnostic]:
    """:func:`locate_lines` of ``diagnostics``; each of those ``marks`` gives a mark (by
    index: a lint of a muscle of a file of many, which names it by its slug) that its
    slug does not place (another record of the file has it too) at the record its
    reader marked so (:meth:`Locator.at_mark`)."""
    locator = Locator(fmt)
    found = [locator(d) for d in diagnostics]
    for i, mark in marks.items():
        if found[i].line is None:
            found[i] = locator.at_mark(diagnostics[i], mark)
    return found


def _no_key(owner: Format, path: str, field: str) -> bool:
    """Whether the file at ``path`` has no ``field`` key, as its format ``owner`` tells
    by placing the field where it places the key: a missing one is put at its map, while
    a key's value lies after the key. False where the format places neither."""
    value = owner.locate(Path(path), field)
    return value is not None and value == owner.locate_key(Path(path), field)
