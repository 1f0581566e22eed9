"""The corpus lint kept from one run to the next: a run where a few muscles changed lints
again only what they touch.

A run's :class:`~converter.lint.CorpusLint` tells a :class:`Ledger` every fingerprint it
sees and every diagnostic it reports with the diagnostic's
:data:`~converter.lint.Tag`; the ledger keeps both in the cache as the lint goes. Each
corpus-lint diagnostic depends only on the muscles of its group: the muscles that share
a text, or an exercise name; for a missing language, the muscle itself and which
languages the corpus has. When muscles change, :meth:`Relint.start` finds the groups
their old and new fingerprints are in and lints only the muscles of those groups;
:meth:`Relint.log` merges the result with the diagnostics kept, in tag order, which is
the order a lint of the whole corpus reports them in; the ledger's parts that no change
reaches are taken over as they are, still packed.

A change in which languages the corpus has, or a ledger that is not whole, makes
:meth:`Relint.start` decline: the whole corpus is linted again.
"""

from __future__ import annotations

import bisect
import marshal
import secrets
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from .cache import Cache
from .diagnostics import Diagnostic, DiagnosticLog, Packed, pack, unpack_rows
from .lint import CorpusLint, Fingerprint, Tag, groups

#: Fingerprints written at a time, and diagnostics per packed part.
_PRINTS = 500
_PART = 5_000
#: A tagged diagnostic: (tag, diagnostic). Tags are unique, so rows sort by their tags
#: without a key.
Row = tuple[Tag, Diagnostic]
Changed = dict[int, tuple[str, Fingerprint]]
#: A part of diagnostics: (packed, how many, errors, paths of the files with errors).
Counted = tuple[bytes, int, int, tuple[str, ...]]


#: The marshal version of the ledger's fingerprints and groups: one per muscle, made as
#: the corpus is linted. Version 2 writes no references (version 3 on share equal
#: objects, looking each object up in a table made anew per call: two to six times as
#: long for a fingerprint, some 100 bytes smaller); any version is read back alike.
_PRINT_MARSHAL = 2


def _print_row(owner: int, path: str, print_: Fingerprint, digests: list[int] | None
               ) -> tuple[int, str, bytes, bytes]:
    """A row of the ledger's fingerprints (``digests``: its texts', when known)."""
    found = groups(print_) if digests is None else (
        digests, [key for _, _, key, _ in print_.exercises])
    return (owner, path, marshal.dumps(found, _PRINT_MARSHAL),
            marshal.dumps(tuple(print_), _PRINT_MARSHAL))


def _languages(print_: Fingerprint) -> set[str]:
    return set().union(*print_.languages)


class Ledger:
    """Writes what a corpus lint saw and said into the cache as it goes (memory stays
    flat); :meth:`commit` makes it the ledger :attr:`ident` names."""

    def __init__(self, cache: Cache, ident: int | None = None, was: bytes | None = None
                 ) -> None:
        """A new ledger, or the update of ledger ``ident`` whose header was ``was``:
        its parts are written after a random point, where no other run's update of the
        ledger writes its own, and :meth:`commit` makes them the ledger's only while its
        header is still ``was``."""
        self.cache = cache
        self.ident = secrets.randbits(62) if ident is None else ident
        self._was = was
        first = 0 if ident is None else secrets.randbits(48)
        #: How many muscles have each language (in a language field), and muscles seen.
        self.languages: Counter[str] = Counter()
        self.muscles = 0
        self._prints: list[tuple[int, str, bytes, bytes]] = []
        self._tags: list[Tag] = []
        self._said: list[Diagnostic] = []
        self._first = self._next = first
        self._hold = ident is not None  # an update: fingerprints are written at commit

    def saw(self, owner: int, path: str, print_: Fingerprint,
            digests: list[int] | None = None) -> None:
        """Keep muscle ``owner``'s fingerprint (``digests``: its texts', when known)."""
        self.muscles += 1
        self.languages.update(_languages(print_))
        self._prints.append(_print_row(owner, path, print_, digests))
        if len(self._prints) >= _PRINTS and not self._hold:
            self.cache.store_prints(self.ident, self._prints)
            self._prints = []

    def said(self, tag: Tag, diagnostic: Diagnostic) -> None:
        """Keep a diagnostic the lint reported at ``tag``."""
        self._tags.append(tag)
        self._said.append(diagnostic)
        if len(self._said) >= _PART:
            self._write_said()

    def _write_said(self) -> None:
        self.write(self._tags, self._said)
        self._tags, self._said = [], []

    def write(self, tags: list[Tag], diagnostics: Sequence[Sequence[Any]]
              ) -> Counted | None:
        """Keep tagged diagnostics as one part (after those kept so far)."""
        if not tags:
            return None
        errors = [d[0] for d in diagnostics if d[6] == "error"]
        paths = tuple(sorted(set(errors)))
        packed = pack(diagnostics)
        part = _Part(zlib.compress(marshal.dumps((len(errors), paths, tags,
                                                  zlib.crc32(packed))), 1), packed)
        self.keep(part)
        return part.diagnostics, len(tags), len(errors), paths

    def write_rows(self, rows: list[Row]) -> Counted | None:
        """:meth:`write` (tag, diagnostic) rows."""
        return self.write([tag for tag, _ in rows], [d for _, d in rows])

    def keep(self, part: _Part) -> None:
        """Keep a part as it was kept before (after those kept so far)."""
        self.cache.store_said(self.ident, self._next, part.tags, part.diagnostics)
        self._next += 1

    def commit(self) -> None:
        """Make what was kept the ledger's, at once."""
        self._write_said()
        header = marshal.dumps((self._first, self._next - self._first, self.muscles,
                                dict(+self.languages)))
        self.cache.commit_ledger(self.ident, header, range(self._first, self._next),
                                 self._prints, self._was)
        self._prints = []


class _Part(NamedTuple):
    """Tagged diagnostics as a ledger keeps them: (errors, paths of the files with
    errors, tags, CRC-32 of the diagnostics) marshalled and compressed; the diagnostics
    :func:`pack` packed."""

    tags: bytes
    diagnostics: bytes

    def unpacked_tags(self) -> tuple[int, tuple[str, ...], list[Tag]]:
        """(errors, their files, tags); ``ValueError`` when the part is damaged."""
        errors, paths, tags, checksum = marshal.loads(zlib.decompress(self.tags))
        if zlib.crc32(self.diagnostics) != checksum or not tags:
            raise ValueError("damaged ledger part")
        return errors, tuple(paths), list(tags)


class _Collector:
    """A lint's tagged diagnostics, in a list."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def saw(self, owner: int, path: str, print_: Fingerprint, digests: list[int]) -> None:
        pass

    def said(self, tag: Tag, diagnostic: Diagnostic) -> None:
        self.rows.append((tag, diagnostic))


class _Scan:
    """The muscles a relint may need, from one pass over the ledger's groups."""

    def __init__(self) -> None:
        self.seen = 0
        #: (muscle, whether it has a touched text, its touched exercise names).
        self.candidates: list[tuple[int, bool, set[str]]] = []
        self.wide: set[str] = set()
        self.narrow: set[str] = set()
        self.firsts: set[int] = set()

    def members(self, touched: Changed) -> list[int]:
        """The muscles to lint again, in order."""
        wide = self.wide
        found = set(touched) | self.firsts
        found.update(owner for owner, text, names in self.candidates
                     if text or not wide.isdisjoint(names))
        return sorted(found)


def _scan(rows: Iterator[tuple[int, bytes | memoryview]], old: Changed, touched: Changed,
          texts: set[int | str], exercises: set[str]) -> _Scan | None:
    """Find the muscles that share a text or exercise name with a touched muscle.

    An exercise name is *narrow* when its first spelling (the first muscle that has it,
    the name as that muscle writes it and the muscle's file) stays the same: only the
    touched muscles' warnings about it can change. Other names are *wide*, like texts."""
    scan, first_before, first_kept = _Scan(), {}, {}
    for owner, blob in rows:
        scan.seen += 1
        try:
            digests, names = marshal.loads(blob)
        except (EOFError, TypeError, ValueError):
            return None
        hits = exercises.intersection(names) if not exercises.isdisjoint(names) else set()
        for name in hits:
            first_before.setdefault(name, owner)
            if owner not in touched:
                first_kept.setdefault(name, owner)
        text = not texts.isdisjoint(digests)
        if owner not in touched and (hits or text):
            scan.candidates.append((owner, text, hits))
    first_new = dict(first_kept)
    for owner in sorted(touched, reverse=True):
        for name in groups(touched[owner][1])[1]:
            if owner < first_new.get(name, owner + 1):
                first_new[name] = owner
    for name in exercises:
        first = first_new.get(name)
        if first is not None and first == first_before.get(name) and (
                first not in touched or _spelling(old[first], name)
                == _spelling(touched[first], name)):
            scan.narrow.add(name)
            scan.firsts.add(first)
        else:
            scan.wide.add(name)
    return scan


def _spelling(muscle: tuple[str, Fingerprint], key: str) -> tuple[str, str]:
    """(file, name as first written) of a muscle's exercise with normalized name ``key``."""
    path, print_ = muscle
    return path, next(name for _, name, norm, _ in print_.exercises if norm == key)


class Relint:
    """The corpus lint of the ledger's corpus after some muscles changed."""

    def __init__(self, cache: Cache, ident: int, kept: list[_Part], header: tuple,
                 touched: Changed, wide: set[int | str], found: list[Row]) -> None:
        self._cache, self._ident, self._kept, self._header = cache, ident, kept, header
        self._touched, self._wide, self._found = touched, wide, found

    @classmethod
    def start(cls, cache: Cache, ident: int, changed: Changed,
              locate: Callable[[Diagnostic], Diagnostic] | None = None,
              name: Callable[[str, str], str] | None = None,
              at_mark: Callable[[Diagnostic, int], Diagnostic] | None = None
              ) -> Relint | None:
        """Lint again what ``changed`` (muscle number -> its path and new fingerprint)
        touches in ledger ``ident``; None when the whole corpus must be linted.
        ``locate``, ``name`` and ``at_mark``: as :class:`CorpusLint` takes them."""
        raw = cache.ledger(ident)
        try:
            first, parts, muscles, languages = marshal.loads(raw) if raw else None
        except (TypeError, ValueError, EOFError):
            return None
        said = cache.ledger_said(ident, first, parts)
        kept = None if said is None else [_Part(*part) for part in said]
        old = {owner: (path, Fingerprint(*marshal.loads(blob)))
               for owner, (path, blob) in cache.ledger_prints(ident, changed).items()}
        if kept is None or len(old) != len(changed):
            return None
        touched = {owner: now for owner, now in changed.items() if old[owner] != now}
        counts = Counter(languages)
        texts: set[int | str] = set()
        exercises: set[str] = set()
        for owner, (_, print_) in touched.items():
            counts.subtract(_languages(old[owner][1]))
            counts.update(_languages(print_))
            for before_after in (old[owner][1], print_):
                digests, names = groups(before_after)
                texts.update(digests)
                exercises.update(names)
        if set(+counts) != set(languages):
            return None  # every muscle's missing languages may change
        scan = _scan(cache.ledger_groups(ident) if touched else iter(()), old, touched,
                     texts, exercises)
        if scan is None or (touched and scan.seen != muscles):
            return None
        members = scan.members(touched)
        others = cache.ledger_prints(ident, [o for o in members if o not in touched])
        if len(others) + len(touched) != len(members):
            return None
        found = _Collector()
        lint = CorpusLint(locate=locate, name=name, at_mark=at_mark, listener=found,
                          only=texts | scan.wide | scan.narrow)
        lint.know_languages(languages)
        for owner in members:
            if owner in touched:
                path, print_ = touched[owner]
            else:  # only its groups: its missing languages are not touched
                path, blob = others[owner]
                print_ = Fingerprint(*marshal.loads(blob))
                print_ = print_._replace(languages=((),) * len(print_.languages))
            lint.add_fingerprint(print_, path, owner)
        lint.finish()
        # A touched muscle's diagnostics are all in its groups or about its languages:
        # every one is linted again. So are all of the wide groups'.
        wide = texts | scan.wide
        found.rows = [row for row in found.rows if row[0][1] in touched or row[0][3] in wide]
        return cls(cache, ident, kept, (raw, muscles, +counts), touched, wide,
                   sorted(found.rows))

    def log(self) -> DiagnosticLog | None:
        """Every corpus-lint diagnostic, in order, and the ledger brought up to date;
        None when a part kept is damaged. Parts of the ledger that no change reaches
        are taken over as they are, packed."""
        touched, wide, found = self._touched, self._wide, self._found
        was, muscles, languages = self._header
        ledger = Ledger(self._cache, self._ident, was)
        for owner, (path, print_) in touched.items():
            ledger.saw(owner, path, print_)
        ledger.muscles, ledger.languages = muscles, languages
        parts: list[Counted | None] = []
        at = 0
        try:
            for part in self._kept:
                errors, paths, tags = part.unpacked_tags()
                keep = [t[1] not in touched and t[3] not in wide for t in tags]
                cut = bisect.bisect_left(found, (tags[-1],), at)
                if cut == at and all(keep):
                    ledger.keep(part)
                    parts.append((part.diagnostics, len(tags), errors, paths))
                    continue
                rows = [row for batch in unpack_rows(part.diagnostics) for row in batch]
                merged = sorted([(t, r) for t, r, k in zip(tags, rows, keep, strict=True)
                                 if k] + found[at:cut])
                at = cut
                parts.append(ledger.write_rows(merged))
            parts.append(ledger.write_rows(found[at:]))
        except (ValueError, TypeError, EOFError, zlib.error):
            return None
        ledger.commit()
        counted = [p for p in parts if p is not None]
        blobs = [blob for blob, *_ in counted]
        return DiagnosticLog.unpacked(Packed(
            sum(p[1] for p in counted), sum(p[2] for p in counted),
            tuple(sorted(set().union(*(p[3] for p in counted)))), blobs,
            [zlib.crc32(b) for b in blobs]))
