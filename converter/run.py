"""The three batch jobs behind the CLI: convert, validate and fmt.

Each returns a :class:`RunResult`; none prints. Diagnostics are collected, never
raised, so one bad file never stops the others.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import gc
import hashlib
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import (
    TemporaryFull,
    atomic_file,
    cannot_write,
    is_special,
    is_stdout,
    left_early,
    output_name,
    reader_left,
    sweep_killed,
)
from .cache import (
    RACY_NS,
    RUN_CHUNK,
    Cache,
    Stamp,
    code_fingerprint,
    file_state,
    output_signature,
)
from .cache import key as cache_key
from .codefiles import code_distributions
from .diagnostics import Diagnostic, DiagnosticLog, MuscleError, Packed, WorkingFolderGone
from .discovery import Inputs, discover
from .lint import CorpusLint, diagram_size
from .locator import Locator
from .made_folders import undone_on_failure
from .model import Muscle
from .once_written import expecting, mark
from .pipeline import Reader
from .plugin_output import may_update, reported_as, summary_as, updated, writer_output
from .plugins import output_companions
from .registry import (
    FMT_COMMAND,
    MAX_BYTES,
    Format,
    ReadContext,
    WriteContext,
    WriterFailed,
    code_files,
    get_format,
    run_writer,
    spelled,
    spelling,
)
from .relinked import watching
from .relint import Ledger, Relint
from .safety import beside_output
from .slug import check_relative, gone_up, working_folder
from .sources_kept import reading
from .still_read import hard_linked, look, still_read
from .swaps import ChangedFolders, Swapped, check_steady, read_again, steady
from .workers import Board, Watch, WorkerDied, pooled, processes, say_reading, watched

Progress = Callable[[int], None] | None


@dataclass
class RunResult:
    """What a run did: muscles handled, files that failed, diagnostics, writer summary."""

    count: int = 0
    #: Input files with an error (the output's own problems are not a file that failed).
    failed: int = 0
    #: Errors in all.
    errors: int = 0
    #: In the order found; a :class:`DiagnosticLog` (on disk past its first 5,000)
    #: for ``convert`` and ``validate``.
    diagnostics: Sequence[Diagnostic] = field(default_factory=list)
    summary: str | None = None
    changed: list[str] = field(default_factory=list)
    #: Files read and parsed (the others came from the cache); True when replayed.
    parsed: int = 0
    replayed: bool = False
    #: True when the output was brought up to date in place: only the chunks of inputs
    #: that changed were read again (see :meth:`_Incremental.patch`).
    patched: bool = False
    #: Folders below a source left unsearched as muscle-convert's output (found anew
    #: by every run, a replayed one too).
    skipped: list[str] = field(default_factory=list)
    #: Files below a source a search left out as not their format's own (found anew by
    #: every run, a replayed one too).
    passed_over: list[str] = field(default_factory=list)
    #: Why the cache directory asked for was not used (this run is not cached).
    uncached: list[str] = field(default_factory=list)
    #: Muscles marked drafts that ``convert`` left out (without ``--drafts``).
    drafts: int = 0
    #: True when the run was cut short, not by its inputs (:func:`cuts_short`): a worker
    #: process died, or the temporary folder refused the run's work files.
    cut_short: bool = False
    #: Why this run could not be recorded in the cache it used (a write failed, as on a
    #: full disk): the next run is not replayed from it.
    unrecorded: str | None = None
    #: The muscles read in a run whose output refused them (``count`` is then 0):
    #: None when the output took what was read.
    read: int | None = None
    #: The ``output-closed`` warnings among ``diagnostics`` (the output's reader stopped
    #: early, ``-o - | head``): no warning about the inputs, so ``--strict`` ignores them.
    left_early: int = 0


def _finish(result: RunResult, problems: list[Diagnostic], reader: Reader,
            corpus: CorpusLint, discovered: int) -> RunResult:
    """Fill in ``result`` from the run's diagnostics: ``problems`` (the first
    ``discovered`` of finding the inputs, then the writer's), the reader's and the
    corpus lint's. Only finding and reading make a file fail: the writer's errors (a
    focus image left out) count as errors, but every muscle it got was written."""
    result.count, result.drafts = reader.count, reader.drafts_left_out
    log = DiagnosticLog(problems)
    log.extend(reader.diagnostics)
    log.extend(corpus.finish())
    result.diagnostics = log
    result.errors = log.errors
    result.left_early = sum(d.code == "output-closed" for d in problems[discovered:])
    result.failed = len(reader.diagnostics.error_paths | {
        d.path for d in problems[:discovered] if d.severity == "error"})
    return result


#: Chunks of inputs a run may re-read to patch the last run's result (see
#: :meth:`_Incremental.patch`); more changes make a full run.
PATCH_CHUNKS = 4
#: A chunk's stamp when a file in it was modified moments before the run.
_RACY = None


def _signature(inputs: Inputs, started: int) -> tuple[str | None, list[bytes | None] | None]:
    """A digest of every input's path, size, mtime and ctime, and one of each
    :data:`RUN_CHUNK` inputs'. Both are None when an input cannot be read; the first is
    None and a chunk's is :data:`_RACY` when a file was modified moments before
    ``started`` (it may change again unseen)."""
    signature, stamped, chunks = hashlib.sha256(), inputs.stamped(), []
    racy = False
    try:
        while batch := list(itertools.islice(stamped, RUN_CHUNK)):
            text = "".join([f"{path}\0{size}\0{mtime}\0{ctime}\n" for path, size, mtime, ctime
                            in batch]).encode("utf-8", "surrogatepass")
            signature.update(text)
            if started - max(mtime for _, _, mtime, _ in batch) <= RACY_NS:
                racy = True
                chunks.append(_RACY)
            else:
                chunks.append(hashlib.blake2b(text, digest_size=16).digest())
    except OSError:
        return None, None
    return (None if racy else signature.hexdigest()), chunks


@dataclass(frozen=True)
class _State:
    """What a later run needs to re-read only the chunks of inputs that changed."""

    #: Per :data:`RUN_CHUNK` inputs: a digest of their paths and stamps (or _RACY), of
    #: their readings (:func:`~converter.pipeline.essence`) and of their slugs.
    stamps: list[bytes | None]
    essences: list[bytes]
    slugs: list[bytes]
    #: A digest of the run's diagnostics that come from neither reading nor linting
    #: (discovery's; a writer's).
    problems: str
    #: No slug was given by two inputs (which one wins depends on all of them).
    exclusive: bool
    #: Per chunk: [muscles, diagnostics of reading]; the corpus lint's ledger
    #: (:mod:`converter.relint`).
    tally: list[list[int]]
    ledger: int | None


def _state(value: Any) -> _State | None:
    """The :class:`_State` of a recorded run, or None."""
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[2], _State):
        return value[2]
    return None


class _Patched(NamedTuple):
    """The output is up to date (``summary`` says so); the diagnostics are still to be
    found."""

    summary: str | None


class _Incremental:
    """The cache around one run: replay an identical earlier run, patch the last one,
    or record this one."""

    def __init__(self, cache_dir: Path | None, inputs: Inputs, output: Path | None,
                 *key: Any, beside: Format | None = None,
                 found: Sequence[Diagnostic] = ()) -> None:
        """``found``: the diagnostics of finding the inputs, which a replayed run must
        share (a hint of a folder with nothing to read names what is there)."""
        #: Why the cache directory asked for is not used (a read-only one restored in CI).
        self.uncached: list[str] = []
        self.cache = Cache.open(cache_dir, self.uncached) if cache_dir is not None else None
        #: Why this run could not be recorded in the cache (a write failed: a full disk).
        self.unrecorded: str | None = None
        self.output = output
        #: The output's format, whose companions of the output are part of its signature.
        self.beside = beside
        self.parsed = 0  # files patch() parsed
        #: The output's signature taken as soon as this run wrote it: what the run is
        #: recorded with, so that another run's output renamed over it since is no
        #: output of this run (and is never replayed as one); "" without a cache.
        self.written: str | None = None
        #: Standard output, a device or a FIFO holds nothing to keep or bring up to date:
        #: such a run is written every time (its files still come from the cache).
        self.rewrite = output is not None and is_special(output)
        if self.cache is None:
            return
        started = time.time_ns()
        # (the code of the formats read and of the one written: an edited writer or
        # plugin writes another output from the same inputs)
        formats = (*inputs.formats(), *([beside] if beside else []))
        code = code_files(formats)
        self.key = cache_key(code_fingerprint(code, code_distributions(formats)),
                             os.environ.get("SOURCE_DATE_EPOCH"), *key)
        self.all_inputs, self.started, self.found = inputs, started, found
        self.inputs, self.chunks = _signature(inputs, started)
        if self.inputs is not None:
            self.inputs = cache_key(self.inputs, *found)

    def restamp(self, moved: Mapping[Stamp, Stamp]) -> None:
        """Record the run with the stamps its inputs have after the output folder's swap
        linked them anew, where it is proven the links alone changed them (``moved``,
        see :mod:`converter.relinked`): the next run is replayed."""
        if self.cache is None or self.inputs is None or not self.all_inputs.restamp(moved):
            return
        self.inputs, self.chunks = _signature(self.all_inputs, self.started)
        if self.inputs is not None:
            self.inputs = cache_key(self.inputs, *self.found)

    def _output(self) -> str:
        if not self.output:
            return ""
        return output_signature(self.output, output_companions(self.beside, self.output)
                                if self.beside else ())

    def mark_written(self) -> None:
        """Note the output as this run just wrote it (see :attr:`written`); without a
        cache only that it was written: no record would take its signature, whose taking
        walks an output folder and asks the format's companions() of it once more."""
        self.written = self._output() if self.cache is not None else ""

    def _ours(self) -> str:
        return self.written if self.written is not None else self._output()

    def replay(self) -> RunResult | None:
        """The result of an identical earlier run, or None."""
        if self.cache is None or self.inputs is None or self.rewrite:
            return None
        found = self.cache.replay(self.key, self.inputs, self._output())
        if found is None:
            return None
        value, parts = found
        shell = _recorded(value, parts)
        if shell is None:
            return None
        if not self.output:
            shell.summary = None
        elif shell.count:  # (else nothing was written: the recorded summary says so)
            shell.summary = f"{self.output}: up to date (nothing changed since the last run)"
            mark(str(self.output))  # (it holds this run's files: a signal says so)
        shell.replayed, shell.patched, shell.parsed = True, False, 0
        return shell

    def patch(self, problems: list[Diagnostic], read: Callable[[Inputs], Reader],
              write: Callable[[list[Muscle], Reader, int], str | None]
              ) -> RunResult | _Patched | None:
        """Patch the last run (with the same key, its output untouched since) when at
        most :data:`PATCH_CHUNKS` chunks of inputs differ and reading those chunks again
        (``read`` makes the reader; the per-file cache serves their unchanged files)
        gives the same slugs. ``write`` (muscles of the chunks, their reader, the run's
        muscle count) then brings the output up to date and returns its summary ("" for
        no output), or None when it cannot.

        The result is the whole run's when the chunks' essences are the same too (every
        diagnostic is the last run's); :class:`_Patched` when the diagnostics must be
        found anew; None when nothing was patched."""
        if self.cache is None or self.chunks is None or self.rewrite:
            return None
        found = self.cache.last_run(self.key)
        if found is None or found[1] != self._output():
            return None
        value = found[2]
        state = _state(value)
        if state is None:
            return None
        changed = [k for k, (old, new) in enumerate(zip(state.stamps, self.chunks,
                                                        strict=False))
                   if old is _RACY or old != new]
        if (not state.exclusive or state.problems != cache_key(*problems)
                or len(state.stamps) != len(self.chunks)
                or not 0 < len(changed) <= PATCH_CHUNKS):
            return None
        subset = Inputs()
        for k in changed:
            for item in self.all_inputs[k * RUN_CHUNK:(k + 1) * RUN_CHUNK]:
                subset.add(item.path, item.format, item.stamp)
        reader = read(subset)
        reader.prints = []
        muscles = list(reader)
        self.parsed = reader.files_parsed
        self.cache.flush()  # a full reading that follows finds these files cached
        if reader.duplicates or reader.slugs_read.digests() != [state.slugs[k]
                                                                 for k in changed]:
            return None  # which muscles are written may have changed
        summary = write(muscles, reader, value[0].count)
        if summary is None:
            return None
        self.mark_written()
        parts = self.cache.parts(self.key)
        shell = _recorded(value, parts) if parts is not None else None
        if shell is None:
            return _Patched(summary or None)
        shell.summary, shell.parsed = summary or None, reader.files_parsed
        shell.replayed, shell.patched = False, True
        if reader.essences.digests() != [state.essences[k] for k in changed]:
            return self._relint(shell, state, changed, reader, problems) or _Patched(
                summary or None)
        self.cache.rerecord(self.key, self.inputs or "-", self._ours(), (
            dataclasses.replace(shell, diagnostics=[]), value[1],
            dataclasses.replace(state, stamps=self.chunks)))
        self._close()
        shell.unrecorded = self.unrecorded
        return shell

    def _relint(self, shell: RunResult, state: _State, changed: list[int], reader: Reader,
                problems: list[Diagnostic]) -> RunResult | None:
        """The patched run's result when the last run's ledger can be brought up to
        date: the diagnostics of the changed chunks' reading and of linting only what
        their muscles touch, in place of theirs (None otherwise)."""
        assert self.cache is not None and reader.prints is not None
        sums = reader.tally.sums
        if state.ledger is None or len(state.tally) != len(state.stamps) or [
                s[0] for s in sums] != [state.tally[k][0] for k in changed]:
            return None
        offsets = list(itertools.accumulate((t[0] for t in state.tally), initial=0))
        owners = [o for k in changed for o in range(offsets[k], offsets[k + 1])]
        locator = Locator.of(self.all_inputs)
        relint = Relint.start(self.cache, state.ledger, dict(zip(owners, reader.prints,
                                                                 strict=True)),
                              locator, locator.field_name, locator.at_mark)
        if relint is None:
            return None
        log, old, new = DiagnosticLog(problems), iter(shell.diagnostics), iter(reader.diagnostics)
        _skip(old, len(problems))
        tally, now = [], dict(zip(changed, sums, strict=True))
        for k, (muscles, count) in enumerate(state.tally):
            if k in now:  # the chunk's diagnostics of reading: this run's
                _skip(old, count)
                count = now[k][1]
                log.extend(itertools.islice(new, count))
            else:
                log.extend(itertools.islice(old, count))
            tally.append([muscles, count])
        corpus = relint.log()
        if corpus is None:
            return None
        log.extend(corpus)
        essences = list(state.essences)
        for k, essence in zip(changed, reader.essences.digests(), strict=True):
            essences[k] = essence
        shell.diagnostics = log  # (a patch's writer reports nothing)
        shell.errors, shell.failed = log.errors, len(log.error_paths)
        self.cache.record(self.key, self.inputs or "-", self._ours(), (
            dataclasses.replace(shell, diagnostics=[]), log.counts(),
            dataclasses.replace(state, stamps=self.chunks, essences=essences, tally=tally)),
            log.packed_parts())
        self._close()
        shell.unrecorded = self.unrecorded
        return shell

    def ledger(self) -> Ledger | None:
        """A ledger for this run's corpus lint, when the run will be recorded."""
        return Ledger(self.cache) if self.cache and self.chunks is not None else None

    def record(self, result: RunResult, reader: Reader, problems: list[Diagnostic],
               ledger: Ledger | None = None, *, replayable: bool = True) -> None:
        """Remember ``result`` (and its corpus lint's ``ledger``) for a later run;
        close the cache. A run with an input modified moments ago, or whose output
        depends on more than its inputs (not ``replayable``), is recorded for
        :meth:`patch`, not :meth:`replay`."""
        if self.cache is None:
            return
        if self.chunks is not None:
            log = result.diagnostics
            if not isinstance(log, DiagnosticLog):
                log = DiagnosticLog(log)
            if ledger is not None:
                ledger.commit()
            found = self.cache.last_run(self.key)
            before = _state(found[2]) if found else None
            state = _State(self.chunks, reader.essences.digests(),
                           reader.slugs_read.digests(), cache_key(*problems),
                           reader.duplicates == 0, reader.tally.sums,
                           ledger.ident if ledger else None)
            inputs = self.inputs if replayable else None
            self.cache.record(self.key, inputs or "-", self._ours(), (
                dataclasses.replace(result, diagnostics=[]), log.counts(), state),
                log.packed_parts())
            if self.cache.unsaved:  # (not recorded: its ledger is no run's)
                if ledger is not None:
                    self.cache.forget_ledger(ledger.ident)
            elif before is not None and before.ledger is not None and (
                    ledger is None or before.ledger != ledger.ident):
                self.cache.forget_ledger(before.ledger)
        self._close()

    def _close(self) -> None:
        """Close the cache, noting in :attr:`unrecorded` why this run was not recorded
        when a write failed (a full disk)."""
        assert self.cache is not None
        self.unrecorded = self.cache.unsaved
        self.cache.close()


def _skip(items: Iterator[Any], count: int) -> None:
    """Pass over the next ``count`` items."""
    collections.deque(itertools.islice(items, count), maxlen=0)


def _recorded(value: Any, parts: list[tuple[int, bytes]]) -> RunResult | None:
    """A recorded run's result with its diagnostics (left packed: a convert run shows
    only the first few), or None when the record is not one."""
    if not (isinstance(value, tuple) and len(value) == 3
            and isinstance(value[0], RunResult)):
        return None
    shell, counts = dataclasses.replace(value[0]), value[1]
    try:
        shell.diagnostics = DiagnosticLog.unpacked(Packed(
            *counts, [p for _, p in parts], [c for c, _ in parts]))
    except (ValueError, TypeError):
        return None
    return shell


def _batch(run: Callable[..., RunResult]) -> Callable[..., RunResult]:
    """Run a batch with the cyclic garbage collector paused (in the workers it forks too).

    A batch makes millions of short-lived objects and keeps tens of thousands, but no
    reference cycles: reference counting frees everything, and the collector's passes
    over the kept objects would cost a quarter of the run's time."""

    @functools.wraps(run)
    def paused(*args: Any, **kwargs: Any) -> RunResult:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return run(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_batch
def _read_run(command: str, sources: Iterable[Path], output: Path | None,
              options: dict[str, Any], *, from_format: str | None, default_lang: str,
              jobs: int, max_bytes: int, size: str | None, progress: Progress,
              cache_dir: Path | None, writer: Format | None,
              write: Callable[[Reader, list[Diagnostic]], str | None],
              patch: Callable[[list[Muscle], Reader, int], str | None] | None,
              depends: tuple[Any, ...] = (),
              replayable: Callable[[], bool] = lambda: True,
              output_format: Format | None = None, exclude: Iterable[str] = (),
              drafts: bool = True) -> RunResult:
    """Discover (leaving out what the ``exclude`` patterns match); replay or patch the
    last run from the cache, or read (and write), lint and record; without ``drafts``
    the muscles marked drafts are left out before they take a slug or are linted
    across the corpus (:mod:`converter.drafts`). ``depends`` is what
    else the run's key holds (files options name);
    ``replayable`` says, once written, whether the output depends on the inputs only;
    ``output_format`` names the files it keeps beside the output (see ``Format.companions``)."""
    sources = list(sources)
    mine = None if output is None or is_stdout(output) else output
    exclude = tuple(exclude)
    progress_of = _counted_once(progress)

    def attempt() -> RunResult:
        counted = progress_of()  # (this read's: see _counted_once)
        inputs, problems = discover(sources, from_format, leave_out=mine, exclude=exclude)
        went_up = gone_up(sources)  # (where the sources with .. lead: bundles' slugs)
        incremental = _Incremental(cache_dir, inputs, output, command, options, depends,
                                   [str(Path(s).absolute()) for s in sources],
                                   working_folder(), went_up,  # (a page bundle's slug: its name)
                                   str(Path(output).absolute()) if output else None,
                                   from_format, default_lang, max_bytes, size, exclude,
                                   drafts, beside=output_format, found=problems)
        diagram = diagram_size(size)

        def reader_of(subset: Inputs, **more: Any) -> Reader:
            return Reader(subset, default_lang=default_lang, max_bytes=max_bytes,
                          size=diagram, drafts=drafts, gone_up=went_up,
                          **{"cache": incremental.cache, **more})

        discovered = len(problems)
        try:
            return _reading(incremental, inputs, problems, reader_of, progress=counted,
                            jobs=jobs, writer=writer, options=options, write=write,
                            patch=patch, replayable=replayable)
        except (TemporaryFull, WorkerDied) as exc:  # (reading again would fail as well)
            return _no_room(exc, problems[:discovered], output, inputs, incremental)

    try:  # (a folder the tool wrote, swapped as it was read: read again; once where
        # the output is a stream, which what was written cannot be taken back from)
        return steady(attempt, sources, 1 if output is not None and is_special(output)
                      else 2)
    except ChangedFolders as exc:
        return _changed(exc, output)


def _counted_once(progress: Progress) -> Callable[[], Progress]:
    """For each read of a run (read again after a swap, :func:`~converter.swaps.steady`)
    a ``progress`` of its own, which moves the bar only past where an earlier read left
    it: a file is counted once, whichever read reads it, and the bar never passes its
    total."""
    shown = [0]

    def of_a_read() -> Progress:
        if progress is None:
            return None
        done = [0]

        def step(files: int) -> None:
            done[0] += files
            if done[0] > shown[0]:
                progress(done[0] - shown[0])
                shown[0] = done[0]

        return step

    return of_a_read


def _changed(failure: ChangedFolders, output: Path | None) -> RunResult:
    """The result of a run whose sources ``failure`` names were swapped at each read:
    those errors alone, nothing written (or, to a stream, what was written is not
    to be trusted)."""
    log = DiagnosticLog(failure.diagnostics)
    return RunResult(failed=len(failure.diagnostics), errors=log.errors, diagnostics=log,
                     summary=f"nothing written to {output_name(output)}"
                     if output is not None and not is_special(output) else None)


def _reading(incremental: _Incremental, inputs: Inputs, problems: list[Diagnostic],
             reader_of: Callable[..., Reader], *, progress: Progress, jobs: int,
             writer: Format | None, options: dict[str, Any],
             write: Callable[[Reader, list[Diagnostic]], str | None],
             patch: Callable[[list[Muscle], Reader, int], str | None] | None,
             replayable: Callable[[], bool]) -> RunResult:
    """:func:`_read_run`'s work once the inputs are found: replay or patch the last run,
    or read (and write), lint and record."""
    done = incremental.replay() or (incremental.patch(problems, reader_of, patch)
                                    if patch else None)
    if isinstance(done, RunResult):
        if progress:
            progress(len(inputs))
        done.skipped, done.passed_over = inputs.skipped, inputs.passed_over
        return done
    ledger = incremental.ledger()
    locator = Locator.of(inputs)
    corpus = CorpusLint(locate=locator, name=locator.field_name, at_mark=locator.at_mark,
                        listener=ledger)
    result = RunResult(patched=done is not None)
    reader = reader_of(inputs, jobs=jobs, on_file=progress, corpus=corpus,
                       writer=(writer, dict(options)) if writer and done is None else None)
    discovered = len(problems)
    try:
        with watching(done is None and incremental.cache is not None) as moved:
            result.summary = write(reader, problems) if done is None else _lint(
                reader, done.summary)
        if done is None:
            incremental.restamp(moved)
            incremental.mark_written()
        check_steady()  # (read of a folder swapped meanwhile: not recorded, read again)
    except (TemporaryFull, WorkerDied):
        raise
    except Swapped:  # (read again: what this read of each file is kept for that one)
        if incremental.cache:
            incremental.cache.close()
        raise
    except MuscleError as exc:  # (the output: the inputs' diagnostics are still said)
        if incremental.cache:
            incremental.cache.close()
        if isinstance(exc, WorkingFolderGone):  # (the run ends with it alone)
            raise
        return dataclasses.replace(_unwritten(exc, incremental.output, problems, discovered,
                                              reader_of(inputs, jobs=jobs, cache=None)),
                                   skipped=inputs.skipped,
                                   passed_over=inputs.passed_over,
            uncached=incremental.uncached)
    except BaseException:
        if incremental.cache:
            incremental.cache.close()
        raise
    result = _finish(result, problems, reader, corpus, discovered)
    result.parsed = reader.files_parsed + incremental.parsed
    incremental.record(result, reader, problems, ledger, replayable=replayable())
    result.skipped, result.uncached = inputs.skipped, incremental.uncached
    result.passed_over = inputs.passed_over
    result.unrecorded = incremental.unrecorded
    return result


def _no_room(failure: TemporaryFull | WorkerDied, problems: list[Diagnostic],
             output: Path | None, inputs: Inputs, incremental: _Incremental) -> RunResult:
    """The result of a run whose work files the temporary folder refused, or one of
    whose worker processes died (``failure``): finding the inputs' diagnostics
    (``problems``), then that one. Reading the inputs again for theirs would need that
    folder too (or kill a worker again). Not recorded in the cache."""
    if incremental.cache:
        incremental.cache.close()
    log = DiagnosticLog(problems)
    log.extend(failure.diagnostics)
    unwritten = output is not None and incremental.written is None
    return RunResult(failed=len({d.path for d in problems if d.severity == "error"}),
                     errors=log.errors, diagnostics=log,
                     summary=f"nothing written to {output_name(output)}" if unwritten
                     else None,
                     skipped=inputs.skipped, passed_over=inputs.passed_over,
                     uncached=incremental.uncached,
                     cut_short=cuts_short(failure))


def cuts_short(failure: MuscleError) -> bool:
    """Whether ``failure`` ends a run for a reason not in its inputs (exit 3): a worker
    process died (:class:`WorkerDied`), or the temporary folder refused the run's work
    files, full or not writable (:class:`TemporaryFull`). Running it again, once the
    system has room, may well succeed."""
    return isinstance(failure, (TemporaryFull, WorkerDied))


def _unwritten(failure: MuscleError, output: Path | None, problems: list[Diagnostic],
               discovered: int, reader: Reader) -> RunResult:
    """The result of a run whose ``output`` could not be written (``failure``, whose
    diagnostics may be placed on a source file too): what reading every input with
    ``reader`` says, then why nothing was converted. Not recorded in the cache. That read
    is watched as the first was: a folder swapped since the run began, all read again."""
    read_again(output)
    locator = Locator.of(reader.inputs)
    corpus = CorpusLint(locate=locator, name=locator.field_name, at_mark=locator.at_mark)
    reader.corpus = corpus
    _lint(reader)
    result = _finish(RunResult(), problems[:discovered], reader, corpus, discovered)
    result.diagnostics.extend(failure.diagnostics)
    result.errors += sum(d.severity == "error" for d in failure.diagnostics)
    result.read, result.count = result.count, 0
    result.summary = None if output is None else f"nothing written to {output_name(output)}"
    return result


#: What an empty stream of muscles gives first.
_NOTHING = object()


def _lint(reader: Reader, summary: str | None = None) -> str | None:
    """Read every input for its diagnostics only; return ``summary``."""
    for _ in reader.slugs():
        pass
    return summary


def convert_sources(sources: Iterable[Path], writer: Format, output: Path, *,
                    from_format: str | None = None, default_lang: str = "en", jobs: int = 1,
                    max_bytes: int = MAX_BYTES, options: dict[str, Any] | None = None,
                    size: str | None = None, progress: Progress = None,
                    cache_dir: Path | None = None, exclude: Iterable[str] = (),
                    drafts: bool = False) -> RunResult:
    """Read, validate and lint ``sources`` (their folders' files that no ``exclude``
    pattern matches); write the valid muscles with ``writer``, those marked drafts only
    with ``drafts`` (else they are counted in the result's ``drafts``).

    With ``cache_dir`` unchanged files are not read again and a run identical to the
    last one (inputs, options, output untouched) is replayed without writing."""
    options = dict(options or {})
    written: list[WriteContext] = []
    kept: set[str] = set()  # (output folders that said sources-kept: not replayable)
    unupdated: list[Diagnostic] = []  # (a plugin's update() that failed: said at the end,
    # not recorded: a run replayed calls no update())
    reader_left(output)  # (forgets a mark an earlier run left: each run says its own)

    def write(reader: Reader, problems: list[Diagnostic]) -> Any:
        locator = Locator.of(reader.inputs)
        ctx = WriteContext(options=options, sources=reader.sources, report=problems.append,
                           diagnostics=reader.diagnostics, drafts=reader.draft_paths,
                           empty=reader.empty_paths, locate=locator,
                           name_gives=locator.name_gives, field_name=locator.field_name)
        written.append(ctx)
        stream: Iterator[Any] = reader.records() if writer.writes_records else iter(reader)
        try:
            first = next(stream, _NOTHING)
        except WriterFailed as exc:  # (the first record is made here)
            raise exc.at(output) from None
        if first is _NOTHING and not is_stdout(output) and not reader.drafts_left_out:
            # (an earlier output stays whole; drafts were read: it is written without them)
            return f"nothing written to {output_name(output)}: no muscle was read"
        stream = itertools.chain((first,), stream) if first is not _NOTHING else stream
        stream = _steady_to_end(stream)  # (a source folder swapped as it was read: its
        # output is not put in place, and it is read again)
        try:
            method = writer.write_records if writer.writes_records else writer.write
            with reading(reader.inputs, problems.append) as told, expecting(output), \
                    undone_on_failure(), \
                    writer_output(writer, output, options) as given:  # (its sources are kept)
                ctx.report = reported_as(writer, problems.append, given, output)
                summary = summary_as(run_writer(
                    writer, lambda items: method(items, given, ctx), stream, output,
                    problems.append), given, output)
            kept.update(told)  # (said as the folder was swapped in)
            closed = left_early(output)
            if closed is not None:
                problems.append(closed)
            return summary
        except OSError as exc:  # the output's place: a file in the way, no permission...
            raise cannot_write(output, exc) from None

    def patch(muscles: list[Muscle], reader: Reader, total: int) -> str | None:
        ctx = WriteContext(options=options, sources=reader.sources)
        try:
            check_steady(done=False)  # (its chunks read of a folder swapped: read again)
            with expecting(output):  # (its update committed: a signal says it was written)
                return updated(writer, Path(output), options, lambda given: writer.update(
                    muscles, given, ctx, total=total), unupdated.append)
        except Swapped:
            raise
        except Exception:  # (a plugin's too) the full run that follows says what is wrong
            return None

    result = _read_run(f"convert:{writer.name}", sources, Path(output),
                     sorted(options.items()), from_format=from_format,
                     default_lang=default_lang, jobs=jobs, max_bytes=max_bytes, size=size,
                     progress=progress, cache_dir=cache_dir, write=write,
                     patch=patch if may_update(writer, Path(output), options) else None,
                     writer=writer if writer.writes_records else None,
                     depends=tuple((o.name, *_watched(str(options[o.name]), output))
                                   for o in writer.options
                                   if o.reads_file and options.get(o.name) is not None),
                     replayable=lambda: not kept and not any(ctx.outside_inputs
                                                             for ctx in written),
                     output_format=writer, exclude=exclude, drafts=drafts)
    result.diagnostics.extend(dict.fromkeys(unupdated))  # (each once: a read done again
    # after a swap calls update() again, and it fails again alike)
    return result


def _steady_to_end(stream: Iterator[Any]) -> Iterator[Any]:
    """``stream``, then :func:`~converter.swaps.check_steady` once it is read whole,
    before a writer puts its output in place."""
    yield from stream
    check_steady()


def _watched(value: str, output: Path) -> tuple[Any, ...]:
    """The state of what an option that reads a file (``value``) names: the file itself,
    and the one its link names beside the ``output``, where the writer looks for it
    (:func:`~converter.safety.beside_output`): its state, or whether anything is there."""
    beside = beside_output(output, value)
    return (file_state(value), beside and (file_state(beside), os.path.exists(beside)))


def validate_sources(sources: Iterable[Path], *, from_format: str | None = None,
                     default_lang: str = "en", jobs: int = 1,
                     max_bytes: int = MAX_BYTES, size: str | None = None,
                     progress: Progress = None, cache_dir: Path | None = None,
                     exclude: Iterable[str] = ()) -> RunResult:
    """Read, validate and lint ``sources`` (their folders' files that no ``exclude``
    pattern matches) without writing anything."""

    return _read_run("validate", sources, None, {}, from_format=from_format,
                     default_lang=default_lang, jobs=jobs, max_bytes=max_bytes, size=size,
                     progress=progress, cache_dir=cache_dir,
                     write=lambda reader, _: _lint(reader),
                     patch=lambda *_: "", writer=None, exclude=exclude)


def _reformat_numbered(chunk: list[tuple[int, tuple[str, str, str, int, bool]]]
                       ) -> list[tuple[str, bool | None, list[Diagnostic]]]:
    """:func:`_reformat_one` of each (number, file) of ``chunk``, in a worker that says
    on its board which file it reads (to be named if it dies)."""
    outcomes = []
    for n, item in chunk:
        say_reading(n)
        outcomes.append(_reformat_one(item))
    say_reading(-1)
    return outcomes


def _reformat_one(item: tuple[str, str, str, int, bool]) -> tuple[str, bool | None,
                                                                   list[Diagnostic]]:
    """(path, changed or None when it failed, diagnostics) of one file."""
    path, format_name, default_lang, max_bytes, check = item
    fmt = get_format(format_name)
    ctx = ReadContext(default_lang=default_lang, max_bytes=max_bytes)
    try:
        seen = look(path)  # (before the read: a change as it is read is seen too)
        raw = ctx.read_bytes(Path(path))
        new = fmt.reformat(raw, path, ctx)
    except MuscleError as exc:
        check_relative(path)  # (unreadable: the folder it is found from may be gone)
        return path, None, exc.diagnostics
    data = new.encode("utf-8")
    changed = data != raw
    if changed and len(data) > max_bytes:  # (fmt never writes a file it then refuses)
        return path, None, [_grown_too_large(path, len(data), max_bytes)]
    linked = hard_linked(seen) if changed and not check else None
    if linked is not None:
        return path, None, [linked]
    if changed and not check:
        try:
            with atomic_file(Path(path), "w", encoding="utf-8", newline="\n",
                             still=still_read(seen, raw)) as fh:
                fh.write(new)
        except MuscleError as exc:  # changed since it was read: left as it is
            return path, None, exc.diagnostics
        except OSError as exc:  # a full disk, a read-only folder: the file stays as it was
            check_relative(path)
            return path, None, [Diagnostic(path, None, None, "", "cannot-write",
                                           f"cannot write here: {exc.strerror or exc}")]
    return path, changed, []


def _grown_too_large(path: str, size: int, max_bytes: int) -> Diagnostic:
    """The ``file-too-large`` error of a file whose new layout (``size`` bytes) is over
    the ``max_bytes`` that reading takes: it is left as it is, and the error names the
    limit that would read the new layout back."""
    return Diagnostic(path, None, None, "", "file-too-large",
                      f"would be {size} bytes in the new layout, over the limit of "
                      f"{max_bytes} that reading takes, so it is left as it is: format "
                      f"it with {spelling().given('max_bytes', size)}")


def _once_each(items: list[tuple[str, str, str, int, bool]]
               ) -> list[tuple[str, str, str, int, bool]]:
    """``items`` (files to reformat, path first) with a file named again through a
    symlink (``bar.md -> foo.md``, both found) left out, kept where it first came: it is
    one file to rewrite, counted and named once whether fmt checks or rewrites it."""
    if not any(os.path.islink(item[0]) for item in items):  # (no path resolved: lean)
        return items
    seen: set[str] = set()
    kept = []
    for item in items:
        real = os.path.realpath(item[0])
        if real not in seen:
            seen.add(real)
            kept.append(item)
    return kept


#: Files a worker reformats at a time: few enough that the ones it has rewritten are
#: reported soon after (see :func:`format_sources`).
_FORMAT_CHUNK = 16


@_batch
def format_sources(paths: Iterable[Path], *, check: bool = False, default_lang: str = "en",
                   jobs: int = 1, max_bytes: int = MAX_BYTES,
                   changed: Callable[[str], None] | None = None,
                   exclude: Iterable[str] = ()) -> RunResult:
    """Rewrite (or with ``check`` only list) files not in their format's canonical layout
    (of ``paths``' folders, those that no ``exclude`` pattern matches); ``changed`` hears
    of each file rewritten (or to be), in order, as soon as it is, so that a run stopped
    half-way has named those it rewrote."""
    with spelled(FMT_COMMAND):  # (its hints name no --from: fmt takes none)
        return _format_sources(paths, check=check, default_lang=default_lang, jobs=jobs,
                               max_bytes=max_bytes, changed=changed, exclude=exclude)


def _format_sources(paths: Iterable[Path], *, check: bool, default_lang: str, jobs: int,
                    max_bytes: int, changed: Callable[[str], None] | None,
                    exclude: Iterable[str]) -> RunResult:
    """:func:`format_sources`, its diagnostics naming options as fmt takes them (its
    workers' too)."""
    inputs, problems = discover(paths, exclude=exclude, formatting=True)
    result = RunResult(diagnostics=problems, skipped=inputs.skipped,
                       passed_over=inputs.passed_over)
    items = []
    result.failed = len({d.path for d in problems if d.severity == "error"})
    for item in inputs:
        if not item.format.can_format:
            problems.append(Diagnostic(item.path, None, None, "", "cannot-format",
                                       f"fmt does not handle {item.format.name}"))
            result.failed += 1
            continue
        items.append((item.path, item.format.name, default_lang, max_bytes, check))
    items = _once_each(items)
    if not check:  # (what killed runs left among the sources: see atomic.sweep_killed)
        sweep_killed(item[0] for item in items)
    with contextlib.ExitStack() as stack:
        outcomes: Iterable[tuple[str, bool | None, list[Diagnostic]]] = map(
            _reformat_one, items)
        if jobs > 1 and len(items) > 4 * _FORMAT_CHUNK:
            workers = processes(jobs, -(-len(items) // _FORMAT_CHUNK))
            board = Board(workers)
            pool = stack.enter_context(pooled(workers, board))
            watch = Watch(pool, board, lambda n, _: items[n][0], lambda: handed,
                          len(items), "checking" if check else "reformatting")
            numbered = list(enumerate(items))
            chunks = (numbered[i:i + _FORMAT_CHUNK] for i in range(0, len(items),
                                                                   _FORMAT_CHUNK))
            outcomes = itertools.chain.from_iterable(watched(
                pool.imap(_reformat_numbered, chunks), watch))
        handed = 0
        for path, rewritten, diagnostics in outcomes:
            handed += 1
            problems += diagnostics
            if rewritten is None:
                result.failed += 1
                continue
            result.count += 1
            if rewritten:
                result.changed.append(path)
                if changed is not None:
                    changed(path)
    result.errors = sum(d.severity == "error" for d in problems)
    return result
