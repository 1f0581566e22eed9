"""Reading inputs into models: parallel parsing, the cache, duplicate slugs.

:class:`Reader` turns a run's inputs (:func:`converter.discovery.discover` finds them)
into a stream of :class:`Muscle` objects in a deterministic order, collecting diagnostics instead
of stopping. Files of one-muscle-per-file formats are parsed in a process pool in
chunks (each worker also lints its muscles, makes their corpus-lint fingerprints and,
for a record writer, their records); the order of the stream never depends on the
number of jobs. With a :class:`~converter.cache.Cache`, files whose recorded result
still holds are not read, and only what the run needs of them is unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import marshal
import os
import pickle
import struct
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import TemporaryFull
from .cache import (
    BATCH,
    Cache,
    ChunkDigests,
    ChunkTally,
    Stamp,
    code_fingerprint,
    content_digest,
    digest,
    stamp,
)
from .cache import key as cache_key
from .checks import muscle_problems
from .codefiles import code_distributions
from .diagnostics import (
    ChangedWhileRead,
    Diagnostic,
    DiagnosticLog,
    MuscleError,
    Named,
    has_errors,
    worded,
)
from .discovery import Input, Inputs, unreadable
from .drafts import is_draft
from .lint import (
    CorpusLint,
    Fingerprint,
    Position,
    Positions,
    check_muscle,
    fingerprint,
    in_record,
    located_fields,
    record_label,
)
from .locator import Locator, locate_marked
from .lookalike import Lookalikes, user_of
from .model import Muscle, misshapen
from .plugins import field_namer, misshapen_diagnostic, misshapen_error
from .registry import (
    MAX_BYTES,
    Format,
    Place,
    ReadContext,
    Source,
    all_formats,
    built_in,
    code_files,
    failure,
    get_format,
    made_record,
    read_at_most,
)
from .scratch import Sources
from .slug import check_relative, working_folder
from .spool import Spilled
from .workers import Board, Watch, awaited, pooled, processes, say_reading

CHUNK = 64
#: Chunks in flight per worker process.
WINDOW = 4
#: The muscles of a file of many whose fingerprints, packed muscles and records a
#: reading keeps in memory; those of the rest wait on disk until the stream hands
#: them on (:class:`~converter.spool.Spilled`).
IN_MEMORY = 1024



@dataclass
class _Result:
    """What reading one file gave: everything but the muscles (and their records) is
    small, and is all a later run needs of an unchanged file to lint and validate."""

    path: str
    mtime: float
    diagnostics: list[Diagnostic]
    #: The slug and corpus-lint fingerprint of each muscle, in the file's order (those
    #: of a file of many: a sequence that keeps most of them on disk).
    slugs: list[str]
    fingerprints: Sequence[Fingerprint]
    #: For the cache: the file's stamp taken before it was read, and when, and the
    #: sha256 of the bytes its reader parsed (None: the reading is not filed).
    seen: Stamp | None = None
    content: bytes | None = None
    recorded: int = 0
    #: A digest of all a run's diagnostics depend on in this file (see :func:`essence`).
    essence: str = ""
    #: The places in :attr:`slugs` of the muscles marked drafts (:mod:`converter.drafts`).
    drafts: list[int] = field(default_factory=list)
    #: In a file of many, the record each muscle came from, as its reader marked it
    #: (:attr:`ReadContext.mark`, None where it did not); None for a file of one.
    marks: list[int | None] | None = None
    #: The time of each muscle whose reader gave one (:attr:`ReadContext.time`, None
    #: where it did not: the file's); None when it gave none.
    times: list[float | None] | None = None

    def __reduce__(self) -> tuple[Any, ...]:  # one per file, into the cache and out
        return (_Result, (self.path, self.mtime, self.diagnostics, self.slugs,
                          self.fingerprints, self.seen, self.content, self.recorded,
                          self.essence, self.drafts, self.marks, self.times))


def _time(result: _Result, i: int) -> float:
    """The time of the ``i``-th muscle of ``result``: its own, when its reader gave one
    (a record's own modification time), else its file's."""
    own = result.times[i] if result.times else None
    return result.mtime if own is None else own


def essence(result: _Result) -> str:
    """A digest of the path, diagnostics, slugs and fingerprints of a reading: all that
    the run's diagnostics depend on in the file (its fingerprints carry where each
    field the corpus lint names is). Two readings with one essence differ at most in
    their muscles."""
    if not isinstance(result.fingerprints, list):  # (a file of many: them one by one)
        return _essence_streamed(result)
    parts = (result.path, [tuple(d) for d in result.diagnostics], result.slugs,
             [tuple(f) for f in result.fingerprints], result.drafts)
    try:  # marshal's version 0 writes equal values as equal bytes (no references)
        return hashlib.sha256(marshal.dumps(parts, 0)).hexdigest()
    except ValueError:  # a value marshal does not know (a reader's odd diagnostic)
        return cache_key(*parts)


def _essence_streamed(result: _Result) -> str:
    """:func:`essence` of a reading whose fingerprints are not a list, the same digest
    made without all of them in memory at once: version 0 of marshal writes a tuple or
    list as its type, its length and its items one after another."""
    prints = result.fingerprints
    sha = hashlib.sha256(b"(" + struct.pack("<i", 5))
    try:
        for part in (result.path, [tuple(d) for d in result.diagnostics], result.slugs):
            sha.update(marshal.dumps(part, 0))
        sha.update(b"[" + struct.pack("<i", len(prints)))
        for print_ in prints:
            sha.update(marshal.dumps(tuple(print_), 0))
        sha.update(marshal.dumps(result.drafts, 0))
    except ValueError:
        return cache_key(result.path, [tuple(d) for d in result.diagnostics], result.slugs,
                         [tuple(f) for f in prints], result.drafts)
    return sha.hexdigest()


#: The first byte of a packed reading (:func:`packed_result`): its fields marshalled as
#: plain values, or the reading pickled.
_MARSHALLED, _PICKLED = b"m", b"p"


def packed_result(result: _Result) -> bytes:
    """``result`` as a worker hands it over and the cache keeps it: its fields marshalled
    as plain values (its pickle takes several times longer to make, and twice as long to
    read, each of its diagnostics and fingerprints a call), or pickled when one is not
    plain (a third party's reader's slug of a str subclass)."""
    plain = _plain(result)
    if plain is not None:
        with contextlib.suppress(ValueError):  # (marshal refuses what is not plain)
            return _MARSHALLED + marshal.dumps(plain)
    return _PICKLED + _pickle(result)


def _plain(result: _Result) -> tuple[Any, ...] | None:
    """The fields of ``result`` as plain values, its diagnostics and fingerprints as
    tuples (as their pickles keep them: of a subclass, they come back of their class),
    or None when its fingerprints are not a list (those of a file of many)."""
    prints, diagnostics = result.fingerprints, result.diagnostics
    if type(prints) is not list:
        return None
    return (result.path, result.mtime, [tuple(d) for d in diagnostics], result.slugs,
            [tuple(p) for p in prints], result.seen, result.content, result.recorded,
            result.essence, result.drafts, result.marks, result.times)


def unpacked_result(blob: bytes | memoryview) -> _Result:
    """The reading :func:`packed_result` packed; ``ValueError`` (or what unpickling a
    damaged pickle raises) for a blob it did not make."""
    kind, body = bytes(blob[:1]), memoryview(blob)[1:]
    if kind == _PICKLED:
        result = pickle.loads(body)
    elif kind == _MARSHALLED:
        path, mtime, diagnostics, slugs, prints, *rest = marshal.loads(body)
        new = tuple.__new__
        result = _Result(path, mtime, [new(Diagnostic, d) for d in diagnostics], slugs,
                         [new(Fingerprint, p) for p in prints], *rest)
    else:
        raise ValueError("not a packed reading")
    if not isinstance(result, _Result):
        raise ValueError("not a packed reading")
    return result


@dataclass
class _Read:
    """One file's :class:`_Result` with its muscles and, for a record writer, their
    records; each part also packed (:func:`packed_result`) or pickled when it crossed from
    a worker (kept for the cache)."""

    result: _Result
    muscles: Sequence[Muscle] | None = None
    records: list[str] | None = None
    blobs: tuple[bytes, bytes | None, bytes | None] | None = None


#: The writer a run makes records for and its options (sorted pairs: part of a key).
_Writer = tuple[Format, tuple[tuple[str, Any], ...]]
#: What reading one file needs: (path, format name, read settings, cacheable); the
#: settings are (default language, size limit, diagram size, record writer, the size
#: limit's name), shared by all items.
_Settings = tuple[str, int, "tuple[int, int] | None", "_Writer | None", str]
_Item = tuple[str, str, _Settings, bool]


def _read_one(item: _Item, keep: bool = True, bookkept: bool = True) -> _Read:
    """Read and lint one input completely (in a worker process for per-file formats),
    and make the record writer's records of its muscles.

    A muscle with lint errors is left out of the result; its diagnostics stay. A file
    whose reader fails past its first muscles (a JSON document broken at its end, found
    in the one pass that reads it) gives none of them, and only its error. With
    ``cacheable`` the file's stamp is taken first, so a cached result is never newer
    than the stamp it is filed under, and its hash is that of the bytes the reader
    parsed (see :func:`_parsed_hash`). Without ``keep`` (a run that needs
    only slugs) the muscles of a file of many are not kept (see :class:`_Gathered`);
    without ``bookkept`` (a run without a cache) the reading has no :func:`essence`."""
    path, format_name, (default_lang, max_bytes, size, writer, limit_name), cacheable = item
    ctx = ReadContext(default_lang=default_lang, max_bytes=max_bytes, limit_name=limit_name)
    diagnostics: list[Diagnostic] = []
    fmt, file = get_format(format_name), Path(path)
    own = built_in(fmt)  # (a third party's reader is guarded, validates or not)
    ctx.report = diagnostics.append if own else _checked(fmt, path, diagnostics)
    positions: Positions = {}
    marks: dict[int, int] = {}  # (a lint of a muscle of a file of many, by index: its mark)

    def located(muscle: Muscle, where: Callable[[str], Position | None]) -> None:
        positions.update((f, at) for f in located_fields(muscle) if (at := where(f)))

    ctx.located = located
    ctx.lint = lambda muscle, record: check_muscle(
        muscle, path, size, record, fmt.field_name if record else None)
    gathered = _Gathered(fmt, keep)
    mtime, gave = 0.0, False
    seen, content, recorded = None, None, 0
    try:
        if cacheable:
            recorded, seen = time.time_ns(), stamp(path)
            if seen[0] <= min(max_bytes, 1 << 20):  # read once: hashed, then parsed
                ahead = read_at_most(path, seen[0], max_bytes)  # grown: refused as too large
                content = content_digest(ahead)
                ctx.read_ahead[str(file)] = ahead
            else:  # hashed as the reader reads it (once)
                ctx.hashed[str(file)] = None
        mtime = _mtime(path, seen, fmt.companions(file))
        many = not fmt.one_muscle_per_file  # its diagnostics name the muscle's record
        for muscle in _muscles(fmt, file, ctx):
            gave = True
            if fmt.validates:  # (a third party's claim: what it gives is a Muscle)
                found = [] if own else _not_a_muscle(fmt, muscle, path)
            else:
                found = _foreign_problems(fmt, muscle, path, many, ctx.default_lang)
            found = found or check_muscle(muscle, path, size,
                                          record_label(muscle) if many else "",
                                          field_namer(fmt, path) if many else None)
            if many and ctx.mark is not None:
                marks.update(dict.fromkeys(range(len(diagnostics), len(diagnostics)
                                                 + len(found)), ctx.mark))
            diagnostics.extend(found)
            if not has_errors(found):
                gathered.add(muscle, ctx.mark, ctx.time)
    except TemporaryFull:  # (where a file of many keeps its muscles: the run ends)
        raise
    except MuscleError as exc:
        wrong = None if own else misshapen_error(exc)  # (a third party's may be amiss)
        if gave or isinstance(exc, ChangedWhileRead):  # (a file of many found broken
            # past its first muscles, or changed: refused whole)
            gathered = _refused(fmt, keep, diagnostics, positions, marks)
        if wrong is not None:
            diagnostics.append(Diagnostic(path, None, None, "", "reader-failed",
                                          f"the {fmt.name} reader raised {wrong}"))
        else:
            diagnostics.extend(exc.diagnostics)
            diagnostics.extend(ctx.lints(exc))  # (a file of one muscle: its valid fields)
    except OSError as exc:
        if gave:  # (past its first muscles: refused whole, as for a MuscleError)
            gathered = _refused(fmt, keep, diagnostics, positions, marks)
        diagnostics.append(unreadable(path, exc))
    except (Exception, SystemExit) as exc:  # a third party's reader: its bug (or its
        if own:                                 # sys.exit) is this file's error
            raise
        if gave:  # (past its first muscles: refused whole, as for a MuscleError)
            gathered = _refused(fmt, keep, diagnostics, positions, marks)
        diagnostics.append(Diagnostic(path, None, None, "", "reader-failed",
                                      f"the {fmt.name} reader failed: {failure(exc)}"))
    if has_errors(diagnostics):  # (unreadable: the folder it is found from may be gone)
        check_relative(path)
    if seen is not None:
        content = _parsed_hash(path, ctx, seen, content)
    try:
        prints = gathered.fingerprints(path, positions)
        located = locate_marked(diagnostics, marks, fmt)
    except MuscleError as exc:  # (a third party's places(), field_name(), locate() or
        gathered = _refused(fmt, keep, diagnostics, positions, marks)  # marked_place()
        diagnostics.extend(exc.diagnostics)  # failed: this file's error)
        prints = gathered.fingerprints(path, positions)
        located = locate_marked(diagnostics, marks, fmt)
    result = _Result(path, mtime, located, gathered.slugs, prints, seen, content, recorded,
                     drafts=gathered.drafts,
                     marks=None if fmt.one_muscle_per_file else gathered.marks,
                     times=gathered.times if any(t is not None for t in gathered.times)
                     else None)
    if bookkept:
        result.essence = essence(result)
    return _Read(result, gathered.muscles(), gathered.records(writer))


def _refused(fmt: Format, keep: bool, diagnostics: list[Diagnostic],
             positions: Positions, marks: dict[int, int]) -> _Gathered:
    """Nothing of a file refused whole (its reader failed past its first muscles): its
    ``diagnostics``, ``positions`` and ``marks`` cleared, and no muscle gathered."""
    diagnostics.clear()
    positions.clear()
    marks.clear()
    return _Gathered(fmt, keep)


class _Packed(Sequence[Muscle]):
    """Muscles kept pickled (about a sixth of their size as objects; past the first
    :data:`IN_MEMORY`, on disk), each unpickled when asked for and let go then: a stream
    asks for each once, in order."""

    def __init__(self, blobs: Spilled) -> None:
        self._blobs = blobs

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, i: Any) -> Any:
        blob = self._blobs.take(i)
        assert isinstance(blob, bytes), "each packed muscle is asked for once"
        return pickle.loads(blob)


class _Placed(Sequence[Fingerprint]):
    """The fingerprints of a file of many (``prints``), each with where its fields are
    (``places``: one digest for all, or each one's), put in as each is asked for."""

    def __init__(self, prints: Spilled, places: int | array[int]) -> None:
        self._prints, self._places = prints, places

    def __len__(self) -> int:
        return len(self._prints)

    def __getitem__(self, i: Any) -> Any:
        places = self._places
        return self._prints[i]._replace(
            places=places if isinstance(places, int) else places[i])


class _Gathered:
    """What a reading keeps of the muscles its file gave, in order: their slugs,
    drafts, marks and what their fingerprints need; the muscles themselves whole for
    a file of one (or a third party's reader), pickled one by one for a file of many
    of the project's own formats (40,000 muscles of one JSON Lines file held whole
    took 13 KB each), not at all where the run needs only slugs (``keep`` false). A
    file of many keeps the fingerprints and packed muscles of its first
    :data:`IN_MEMORY` muscles in memory, the rest's on disk."""

    def __init__(self, fmt: Format, keep: bool) -> None:
        self._fmt = fmt
        self._packs = not fmt.one_muscle_per_file and fmt.validates
        self._keep = keep or not self._packs
        self.slugs: list[str] = []
        self.drafts: list[int] = []
        self.marks: list[int | None] = []
        self.times: list[float | None] = []
        self._whole: list[Muscle] = []
        many = not fmt.one_muscle_per_file
        self._blobs = Spilled(IN_MEMORY) if self._packs else None
        self._prints = Spilled(IN_MEMORY) if many else None
        self._fields = Spilled(IN_MEMORY) if many and fmt.places_fields else None

    def add(self, muscle: Muscle, mark: int | None, time: float | None = None) -> None:
        """Keep what the run needs of ``muscle``, which its reader marked ``mark`` and
        gave the time ``time`` (None: its file's)."""
        if muscle.extra and is_draft(muscle.extra):
            self.drafts.append(len(self.slugs))
        self.slugs.append(muscle.slug)
        self.marks.append(mark)
        self.times.append(time)
        if self._prints is not None:  # many: warnings name the muscle's record
            self._prints.append(fingerprint(muscle, None, record_label(muscle), mark))
            if self._fields is not None:
                self._fields.append(located_fields(muscle))
        if self._blobs is None:
            self._whole.append(muscle)
        elif self._keep:
            self._blobs.append(_pickle(muscle))

    def fingerprints(self, path: str, positions: Positions) -> Sequence[Fingerprint]:
        """The corpus-lint fingerprints of the muscles kept, placed in the file at
        ``path`` (a file of one: its fields at ``positions``)."""
        fmt, prints = self._fmt, self._prints
        if prints is None:
            return [fingerprint(m, positions) for m in self._whole]
        one = fmt.places_file(Path(path)) if fmt.places_fields and prints else None
        if one is not None:
            return _Placed(prints, _content_digest(str(one)))
        if fmt.places_fields and prints:
            assert self._fields is not None
            where = fmt.places(Path(path))
            named = field_namer(fmt, path)
            return _Placed(prints, array("Q", (
                _places(named, where, self._fields.take(i), prints[i].record)
                for i in range(len(prints)))))
        if fmt.locates_fields and prints:
            return _Placed(prints, _content_digest(path))
        return prints

    def muscles(self) -> Sequence[Muscle]:
        """The muscles kept (none when not ``keep``)."""
        return self._whole if self._blobs is None else _Packed(self._blobs)

    def records(self, writer: _Writer | None) -> Sequence[str] | None:
        """The records ``writer`` makes of the muscles (None without a writer), each
        packed muscle unpickled in turn and let go."""
        if writer is None:
            return None
        fmt, options = writer[0], dict(writer[1])
        blobs = self._blobs
        if blobs is None:
            return [made_record(fmt, m, options) for m in self._whole]
        self._blobs = Spilled(0)
        records = Spilled(IN_MEMORY)
        for i in range(len(blobs)):
            records.append(made_record(fmt, pickle.loads(blobs.take(i)), options))
        return records


def _checked(fmt: Format, path: str, diagnostics: list[Diagnostic]
             ) -> Callable[[Any], None]:
    """A ``report`` for a third party's reader (one that declares
    :attr:`Format.validates` too): what is no :class:`Diagnostic` of its types is the file's
    ``reader-failed`` error in its place."""
    def report(diagnostic: Any) -> None:
        wrong = misshapen_diagnostic(diagnostic)
        diagnostics.append(diagnostic if wrong is None else Diagnostic(
            path, None, None, "", "reader-failed", f"the {fmt.name} reader reported {wrong}"))

    return report


def _muscles(fmt: Format, file: Path, ctx: ReadContext) -> Iterable[Any]:
    """What ``fmt`` reads of ``file``: the file's ``reader-failed`` error when a third
    party's reader gives no iterable of muscles (a str
    would be one muscle per character); what a third party's prints goes to standard
    error."""
    if built_in(fmt):
        return fmt.read(file, ctx)
    from .plugin_prints import each_printing_to_stderr, printing_to_stderr

    with printing_to_stderr():  # (what a plugin prints is no output of ours)
        read = fmt.read(file, ctx)
    if isinstance(read, Iterable) and not isinstance(read, str | bytes | bytearray | Muscle):
        return each_printing_to_stderr(read)
    raise MuscleError(Diagnostic(str(file), None, None, "", "reader-failed",
                                 f"the {fmt.name} reader returned {type(read).__name__}, "
                                 "not muscles (an iterable of Muscle)"))


def _not_a_muscle(fmt: Format, muscle: Any, path: str) -> list[Diagnostic]:
    """The ``reader-failed`` error of a third party's reader (one that declares
    :attr:`Format.validates` too) that gave ``muscle``, when it is no :class:`Muscle`."""
    if isinstance(muscle, Muscle):
        return []
    return [Diagnostic(path, None, None, "", "reader-failed",
                       f"the {fmt.name} reader gave a {type(muscle).__name__}, not a Muscle")]


def _foreign_problems(fmt: Format, muscle: Any, path: str, many: bool,
                      writer_lang: str) -> list[Diagnostic]:
    """What is wrong with ``muscle`` as a reader of front matter would see it, for a
    reader that does not declare :attr:`Format.validates` (a third party's): a muscle
    of the model's types, with a slug, texts and links that the writers can take
    (counted as the run's ``--default-lang``, ``writer_lang``, writes them)."""
    if not isinstance(muscle, Muscle):
        return _not_a_muscle(fmt, muscle, path)
    shape = misshapen(muscle)
    if shape is not None:
        named = f"muscle {muscle.slug!r}" if isinstance(muscle.slug, str) else "a muscle"
        return [Diagnostic(path, None, None, "", "reader-failed",
                           f"the {fmt.name} reader gave {named} whose {shape}")]
    return muscle_problems(muscle, path, record_label(muscle) if many else "", writer_lang)


def _places(named: Callable[[str], str], where: Callable[[str], Place | None],
            fields: list[str], record: str) -> int:
    """A digest of where (``where``: a format's places of its input) the ``fields`` (of
    :func:`located_fields`, as that format names them: ``named``) of the muscle
    ``record`` are that a corpus lint may name (see :attr:`Fingerprint.places`)."""
    found = [where(in_record(record, named(f))) for f in fields]
    text = repr(found).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest())


def _parsed_hash(path: str, ctx: ReadContext, seen: Stamp, ahead: bytes | None
                 ) -> bytes | None:
    """The hash to file the reading of ``path`` under, whose stamp before it was read
    is ``seen``: that of the bytes its reader parsed, read ahead (``ahead``, their
    hash; None: the file could not be read ahead) or hashed as
    :meth:`ReadContext.read_bytes` read them. A reader that opened the file itself (or
    read none of it) has the file hashed now, if its stamp is still ``seen`` (a file
    rewritten since may have given it other bytes); None otherwise, or when it cannot
    be read: such a reading is not filed."""
    name = str(Path(path))
    if name in ctx.hashed:
        if ctx.hashed[name] is not None:
            return ctx.hashed[name]
    elif ahead is None or name not in ctx.read_ahead:
        return ahead
    try:
        content = digest(path)
        return content if stamp(path) == seen else None
    except OSError:
        return None


def _content_digest(path: str) -> int:
    """A digest of the content of the file of many at ``path`` whose format locates
    their fields by line (JSON), or places them in it alone, to mark its muscles'
    fingerprints with: a change anywhere in it may move their lines, so a cached run
    places their warnings anew, as a fresh run does (the fingerprints hold no lines); 0
    when it cannot be read."""
    try:
        return int.from_bytes(digest(path)[:8])
    except OSError:
        return 0


def _records(writer: _Writer | None, muscles: list[Muscle]) -> list[str] | None:
    """The records ``writer`` makes of ``muscles`` (None without a writer)."""
    if writer is None:
        return None
    fmt, options = writer[0], dict(writer[1])
    return [made_record(fmt, m, options) for m in muscles]


def _in_pool(fmt: Format) -> bool:
    """Whether an input of ``fmt`` is read in a worker process when there is a pool: a
    file of one muscle. A file of many is read in the main process, where the lints
    after reading ask where its muscles' fields are (:meth:`Format.places`, which a
    format answers from what its reading kept): read in a worker, it would be read a
    second time there."""
    return fmt.one_muscle_per_file


def _read_chunk(number: int, items: list[_Item], muscles: bool = True,
                bookkept: bool = True) -> list[tuple[Any, Any, Any]]:
    """Read items, the chunk ``number``, in a worker, saying on its board which it reads.
    With ``bookkept`` (a cache) result, muscles and records go back apart, the result
    packed (:func:`packed_result`), the others pickled: the main process unpacks only
    what the run needs and keeps the bytes for the cache.
    Without, the readings have no :func:`essence` and go back as they are, the chunk
    pickled whole (one unpickling in the main process, not one per file and part). The
    muscles go back only when asked for (``muscles``: the run streams them, or caches
    them)."""
    out: list[tuple[Any, Any, Any]] = []
    for place, item in enumerate(items):
        say_reading(number, place)
        read = _read_one(item, bookkept=bookkept)
        if not bookkept:
            out.append((read.result, read.muscles if muscles else None, read.records))
            continue
        out.append((packed_result(read.result), _pickle(read.muscles) if muscles else None,
                    None if read.records is None else _pickle(read.records)))
    say_reading(-1)
    return out


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _mtime(path: str, known: Stamp | None = None, companions: Iterable[Path] = ()
           ) -> float:
    """When an input last changed, in seconds: its modification time (from its stamp
    when known), or a newer one of the ``companions`` its format reads with it (a table
    of a data package edited in place leaves the package folder's time as it was; a
    database's write-ahead log is newer than the database)."""
    newest = (known or stamp(path))[1]
    for companion in companions:
        with contextlib.suppress(OSError):
            newest = max(newest, os.stat(companion).st_mtime_ns)
    return newest / 1e9


def _handed(payloads: Sequence[Any], i: int) -> Any:
    """The ``i``-th of a reading's ``payloads``, which a stream hands on once: a list
    lets go of it (a file of many muscles is not held whole until its last)."""
    if isinstance(payloads, Spilled):
        return payloads.take(i)
    payload = payloads[i]
    if isinstance(payloads, list):
        payloads[i] = None
    return payload


@dataclass
class Reader:
    """Streams muscles (or a record writer's records, or only slugs) from inputs;
    diagnostics, sources and the corpus lint fill in as it goes.

    Iterate it for muscles; :meth:`records` and :meth:`slugs` load less: an unchanged
    file's muscles are not even unpickled from the cache when its records are there."""

    inputs: Inputs
    default_lang: str = "en"
    max_bytes: int = MAX_BYTES
    #: How a ``file-too-large`` error names the limit (:attr:`ReadContext.limit_name`).
    limit_name: str = "--max-bytes"
    jobs: int = 1
    size: tuple[int, int] | None = None
    on_file: Callable[[int], None] | None = None
    cache: Cache | None = None
    #: When set, every muscle streamed is added to it.
    corpus: CorpusLint | None = None
    #: When a list, the (path, fingerprint) of every muscle streamed is appended to it.
    prints: list[tuple[str, Fingerprint]] | None = None
    #: The record writer and its options, for :meth:`records`.
    writer: tuple[Format, dict[str, Any]] | None = None
    diagnostics: DiagnosticLog = field(default_factory=DiagnosticLog)
    #: slug -> the first file that gave it, on disk (:class:`~converter.scratch.Sources`).
    sources: Sources = field(default_factory=Sources)
    files_read: int = 0
    files_parsed: int = 0
    #: Muscles streamed so far.
    count: int = 0
    #: Muscles left out because another file had their slug first.
    duplicates: int = 0
    #: Whether muscles marked drafts are streamed (else they are left out before they
    #: take a slug or reach the corpus lint, and counted in :attr:`drafts_left_out`).
    drafts: bool = True
    drafts_left_out: int = 0
    #: Where the sources that go up (``..``) lead (:func:`~converter.slug.gone_up`):
    #: part of the cache's key, as the working folder is.
    gone_up: tuple[str, ...] = ()
    #: The files of the drafts left out, each once.
    draft_paths: list[str] = field(default_factory=list)
    #: The files read that gave no muscle at all (a file of many that holds none).
    empty_paths: list[str] = field(default_factory=list)
    #: Of the files read so far, per :data:`~converter.cache.RUN_CHUNK` inputs: their
    #: :func:`essence`; their paths and slugs (kept with a :attr:`cache` only: what a
    #: later run compares).
    essences: ChunkDigests = field(default_factory=ChunkDigests)
    slugs_read: ChunkDigests = field(default_factory=ChunkDigests)
    #: (muscles, diagnostics) per :data:`~converter.cache.RUN_CHUNK` files read.
    tally: ChunkTally = field(default_factory=ChunkTally)
    #: Places the diagnostics this reader makes itself (a slug taken already, in a file
    #: of many muscles).
    locate: Locator = field(default_factory=Locator, repr=False)
    #: The reading of the file of many that gave a slug twice last, and the place in it
    #: of each slug's first muscle (see :meth:`_earlier_line`).
    _firsts: tuple[_Result, dict[str, int]] | None = field(default=None, init=False,
                                                            repr=False)
    #: The inputs' paths that look the same (NFC and NFD).
    _lookalikes: Lookalikes | None = field(default=None, init=False, repr=False)

    def __iter__(self) -> Iterator[Muscle]:
        for _, muscle in self._stream("muscles"):
            yield muscle

    def records(self) -> Iterator[tuple[str, str]]:
        """(slug, record) of every muscle, made by :attr:`writer`'s ``record``."""
        return self._stream("records")

    def slugs(self) -> Iterator[str]:
        """The slug of every muscle, loading nothing else (for validating)."""
        for slug, _ in self._stream("slugs"):
            yield slug

    def read_key(self) -> str:
        """What a cached reading depends on besides the file: code, read options and
        the working directory (readings are filed under paths as given, and a relative
        path names another file from elsewhere).

        The code is that of every format whose readings are cached (the
        one-muscle-per-file ones), not only of this reader's inputs: a patch reads a
        few chunks of a run's inputs and must find the readings the run filed."""
        cached = [f for f in all_formats() if f.one_muscle_per_file]
        return cache_key(code_fingerprint(code_files(cached), code_distributions(cached)),
                         self.default_lang, self.max_bytes, self.limit_name, self.size,
                         working_folder(), *self.gone_up)  # (as bundles' slugs see it)

    def _writer_spec(self) -> _Writer:
        assert self.writer is not None, "records() needs a writer"
        fmt, options = self.writer
        return fmt, tuple(sorted(options.items()))

    def _record_key(self, read_key: str) -> str:
        """What cached records depend on besides the reading: the writer's code and options."""
        assert self.writer is not None
        fmt, options = self._writer_spec()
        code = code_fingerprint(code_files([fmt]), code_distributions([fmt]))
        return cache_key(read_key, code, type(fmt).__qualname__, fmt.name, options)

    def _stream(self, kind: str) -> Iterator[tuple[str, Any]]:
        """(slug, its muscle or record or None, by ``kind``) of each muscle whose slug
        is the first of its kind."""
        for path, read in self._reads(kind):  # the input's path: one string for all uses
            self.files_read += 1
            if self.on_file:
                self.on_file(1)
            result = read.result
            left_out = () if self.drafts else result.drafts
            if self.cache is not None:  # (what a later run compares: none without a cache)
                self.essences.add(result.essence.encode("ascii"))
                self.slugs_read.add(repr((path, result.slugs, left_out)).encode(
                    "utf-8", "surrogatepass"))
            self.diagnostics.extend(result.diagnostics)
            tally = self.tally.next()
            tally[1] += len(result.diagnostics)
            payloads = read.muscles if kind == "muscles" else read.records
            drafts = set(left_out)
            if not result.slugs:
                self.empty_paths.append(path)
            for i, slug in enumerate(result.slugs):
                if drafts and i in drafts:  # (a draft takes no slug)
                    self.drafts_left_out += 1
                    if not self.draft_paths or self.draft_paths[-1] != path:
                        self.draft_paths.append(path)
                    continue
                print_ = result.fingerprints[i]
                record = print_.record  # a file of many: the muscle
                first = self.sources.claim(slug, Source(path, _time(result, i), bool(record)))
                if first is not None:
                    self.duplicates += 1
                    tally[1] += 1
                    self.diagnostics.append(self._taken(path, result, i, first, drafts))
                    continue
                if self.corpus is not None:
                    self.corpus.add_fingerprint(print_, path)
                if self.prints is not None:
                    self.prints.append((path, print_))
                self.count += 1
                tally[0] += 1
                yield slug, None if payloads is None else _handed(payloads, i)

    def _taken(self, path: str, result: _Result, i: int, source: Source, drafts: set[int]
               ) -> Diagnostic:
        """The ``duplicate-slug`` of the ``i``-th muscle of ``result`` (of ``path``),
        whose slug the file of ``source`` gave first: at the muscle's own record when its
        reader marked it (a slug on two records of one file), naming the line of the
        earlier record of the same file (its reader's ``drafts`` take no slug); at its
        slug key in a file of one, or at no line when its name gave it
        (:meth:`_by_name`). Two files of one muscle in different languages by name or
        folder are said to look like translations (:meth:`_translated`)."""
        slug, first = result.slugs[i], source.path
        record = result.fingerprints[i].record
        field = in_record(record, "slug")
        mark = result.marks[i] if result.marks else None
        alone = not record and mark is None  # (a file of one muscle)
        note = self._translated(path, source) if alone else ()
        named = self._by_name(path, slug, first, note) if alone else None
        if named is not None:
            return named
        line = self._earlier_line(path, result, i, drafts, field) if path == first else None
        message, others = worded(f"slug {slug!r} is already used by ",
                                 *user_of(path, first, line, self._twins(path, first)),
                                 *note)
        taken = Diagnostic(path, None, None, field, "duplicate-slug", message, "error",
                           others)
        if mark is not None:
            return self.locate.at_mark(taken, mark)
        return self.locate(taken)

    def _by_name(self, path: str, slug: str, first: str, note: tuple[str | Named, ...]
                 ) -> Diagnostic | None:
        """The ``duplicate-slug`` of the file of one muscle at ``path`` whose name (or
        page bundle's folder's) gives it ``slug``, which the file ``first`` gave first:
        the file named at no line, as other problems of its name are (no line of it
        gives the slug), and then ``note`` (:meth:`_translated`); None when a slug key
        gave it."""
        named = self.locate.name_gives(path, slug)
        if named is None:
            return None
        message, others = worded(f"{named}, which is already used by ",
                                 *user_of(path, first, twins=self._twins(path, first)),
                                 *note)
        return Diagnostic(path, None, None, "", "duplicate-slug", message, "error", others)

    def _translated(self, path: str, source: Source) -> tuple[str | Named, ...]:
        """What a ``duplicate-slug`` of the file of one muscle at ``path`` adds when the
        file of one muscle of ``source`` took the slug first and the two look like
        translations of one page (:func:`~converter.translations.translated`)."""
        if source.many or source.path == path:
            return ()
        from .translations import translated

        named = self.inputs.named
        return translated(path, source.path, self.locate.extensions(path),
                          self.locate.extensions(source.path), self.default_lang,
                          named=path in named or source.path in named)

    def _twins(self, path: str, first: str) -> list[str]:
        """The inputs other than ``first`` whose paths look the same as ``path``."""
        if self._lookalikes is None:
            self._lookalikes = Lookalikes(item.path for item in self.inputs)
        return self._lookalikes.twins(path, first)

    def _earlier_line(self, path: str, result: _Result, i: int, drafts: set[int],
                      field: str) -> int | None:
        """The line of the record of ``result``'s file (``path``) that took the slug of
        its ``i``-th muscle first, when its reader marked it (the slugs' first records
        are found once per file, on its first slug given twice)."""
        if self._firsts is None or self._firsts[0] is not result:
            firsts: dict[str, int] = {}
            for j, slug in enumerate(result.slugs):
                if j not in drafts:
                    firsts.setdefault(slug, j)
            self._firsts = (result, firsts)
        j = self._firsts[1].get(result.slugs[i], i)
        mark = result.marks[j] if result.marks and j < i else None
        where = None if mark is None else self.locate.mark_place(path, mark, field)
        return where.line if where else None

    def _reads(self, kind: str) -> Iterator[tuple[str, _Read]]:
        """(path, reading) of every input in input order: from the cache when it still
        holds (one-muscle-per-file formats only), freshly read otherwise."""
        cache = self.cache
        key = self.read_key() if cache else ""
        record_key = self._record_key(key) if cache and kind == "records" else ""
        cached = bytearray(len(self.inputs))
        if cache is not None:  # (one walk of the inputs: each is a path made anew)
            mine = self.inputs.flagged(lambda fmt: fmt.one_muscle_per_file)
            hits = cache.fresh(key, ((i.path, i.stamp) for i, one in zip(
                self.inputs, mine, strict=True) if one))
            for n in itertools.compress(range(len(mine)), mine):
                cached[n] = next(hits)
        settings = (self.default_lang, self.max_bytes, self.size,
                    self._writer_spec() if kind == "records" else None, self.limit_name)
        pooled = bytearray(not hit and in_pool for hit, in_pool in zip(
            cached, self.inputs.flagged(_in_pool), strict=True))
        items = ((i.path, i.format.name, settings, cache is not None)
                 for i, in_pool in zip(self.inputs, pooled, strict=True) if in_pool)
        parsed = self._parsed(items, pooled.count(True), kind)
        recalled = self._recalled(key, record_key, kind, (
            i for i, hit in zip(self.inputs, cached, strict=True) if hit))
        for item, hit, in_pool in zip(self.inputs, cached, pooled, strict=True):
            read = next(recalled) if hit else None
            if read is None:
                read = next(parsed) if in_pool else _read_one(
                    (item.path, item.format.name, settings,
                     cache is not None and item.format.one_muscle_per_file), kind != "slugs",
                    cache is not None)
                self.files_parsed += 1
                if cache and read.result.seen and read.result.content:
                    self._store(cache, key, record_key, read)
            yield item.path, read

    def _recalled(self, key: str, record_key: str, kind: str, hits: Iterator[Input]
                  ) -> Iterator[_Read | None]:
        """The cached reading of each file in ``hits`` (files :meth:`Cache.fresh`
        accepted), with what ``kind`` needs, fetched a batch at a time; None for a file
        whose entry vanished. Missing records are made and cached."""
        cache = self.cache
        while batch := list(itertools.islice(hits, BATCH)):
            assert cache is not None  # only a cache accepts files
            found = cache.results(key, [i.path for i in batch], unpacked_result,
                                  muscles=kind == "muscles", record_key=record_key)
            for item in batch:
                entry = found.get(item.path)
                if entry is None:
                    yield None
                    continue
                result, muscles, records, content = entry
                result.mtime = _mtime(item.path, item.stamp)  # a touched file is newer
                if kind == "records" and records is None:
                    entry = cache.results(key, [item.path], unpacked_result,
                                          muscles=True).get(item.path)
                    if entry is None:
                        yield None
                        continue
                    records = _records(self._writer_spec(), entry[1])
                    cache.store_records(record_key, item.path, content, _pickle(records))
                yield _Read(result, muscles, records)

    @staticmethod
    def _store(cache: Cache, key: str, record_key: str, read: _Read) -> None:
        result = read.result
        assert result.seen is not None and result.content is not None
        blobs = read.blobs or (packed_result(result), _pickle(read.muscles),
                               None if read.records is None else _pickle(read.records))
        cache.store(key, result.path, result.seen, result.content, result.recorded,
                    blobs[0], blobs[1],
                    (record_key, blobs[2]) if record_key and blobs[2] is not None else None)

    def _parsed(self, items: Iterator[_Item], count: int, kind: str) -> Iterator[_Read]:
        """Read ``count`` ``items`` in order, in a process pool when there are enough,
        unpickling only what ``kind`` needs. At most :data:`WINDOW` chunks per worker
        are in flight, so memory stays flat however far the consumer lags."""
        bookkept = self.cache is not None
        if self.jobs <= 1 or count < 2 * CHUNK:
            for item in items:
                yield _read_one(item, bookkept=bookkept)
            return
        wanted = (kind == "muscles" or bookkept, bookkept)
        chunks = enumerate(iter(lambda: list(itertools.islice(items, CHUNK)), []))
        workers = processes(self.jobs, -(-count // CHUNK))
        board = Board(workers)
        with pooled(workers, board) as pool:
            handed = [0]
            watch = Watch(pool, board, lambda n, place: _path_read((n, place), pending),
                          lambda: handed[0], count)
            pending: deque[tuple[int, list[_Item], Any]] = deque(
                (n, chunk, pool.apply_async(_read_chunk, (n, chunk, *wanted)))
                for n, chunk in itertools.islice(chunks, WINDOW * workers))
            while pending:
                blobs = awaited(pending[0][2].get, watch)
                handed[0] += len(pending.popleft()[1])
                pending.extend((n, chunk, pool.apply_async(_read_chunk, (n, chunk, *wanted)))
                               for n, chunk in itertools.islice(chunks, 1))
                for blob in blobs:
                    yield _unpickled(blob, kind) if bookkept else _Read(
                        blob[0], blob[1] if kind == "muscles" else None,
                        blob[2] if kind == "records" else None)


def _unpickled(blobs: tuple[Any, Any, Any], kind: str) -> _Read:
    """A reading from a worker's pickles (kept for the cache), unpickling what ``kind``
    needs."""
    return _Read(unpacked_result(blobs[0]),
                 pickle.loads(blobs[1]) if kind == "muscles" else None,
                 pickle.loads(blobs[2]) if kind == "records" and blobs[2] else None, blobs)


def _path_read(doing: tuple[int, int], pending: Iterable[tuple[int, list[_Item], Any]]
               ) -> str | None:
    """The path of the file a worker said it read (``doing``: chunk and place), of the
    ``pending`` chunks; None when it read none of them."""
    return next((chunk[doing[1]][0] for n, chunk, _ in pending if n == doing[0]), None)
