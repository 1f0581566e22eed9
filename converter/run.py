"""The three batch jobs behind the CLI: convert, validate and fmt.

Each returns a :class:`RunResult`; none prints. Diagnostics are collected, never
raised, so one bad file never stops the others.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import itertools
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_file
from .cache import RACY_NS, Cache, code_fingerprint, output_signature
from .cache import key as cache_key
from .diagnostics import Diagnostic, DiagnosticLog, MuscleError, Packed, error
from .lint import CorpusLint, parse_size
from .pipeline import Inputs, Locator, Reader, discover
from .registry import Format, ReadContext, WriteContext, get_format

Progress = Callable[[int], None] | None


@dataclass
class RunResult:
    """What a run did: muscles handled, files that failed, diagnostics, writer summary."""

    count: int = 0
    failed: int = 0
    #: In the order found; a :class:`DiagnosticLog` (on disk past its first 5,000)
    #: for ``convert`` and ``validate``.
    diagnostics: Sequence[Diagnostic] = field(default_factory=list)
    summary: str | None = None
    changed: list[str] = field(default_factory=list)
    #: Files read and parsed (the others came from the cache); True when replayed.
    parsed: int = 0
    replayed: bool = False


def _size(size: str | None) -> tuple[int, int] | None:
    if size is None:
        return None
    try:
        return parse_size(size)
    except ValueError as exc:
        raise error("--size", "bad-size", str(exc)) from None


def _finish(result: RunResult, problems: list[Diagnostic], reader: Reader,
            corpus: CorpusLint) -> RunResult:
    result.count = reader.count
    log = DiagnosticLog(problems)
    log.extend(reader.diagnostics)
    log.extend(corpus.finish())
    result.diagnostics = log
    result.failed = len(log.error_paths)
    return result


def _signature(inputs: Inputs, started: int) -> str | None:
    """A digest of every input's path, size and mtime; None when one cannot be read or
    was modified moments before ``started`` (it may change again unseen)."""
    signature, stamped = hashlib.sha256(), inputs.stamped()
    try:
        while batch := list(itertools.islice(stamped, 4096)):
            if started - max(mtime for _, _, mtime in batch) <= RACY_NS:
                return None
            signature.update("".join([f"{path}\0{size}\0{mtime}\n" for path, size, mtime
                                      in batch]).encode("utf-8", "surrogatepass"))
    except OSError:
        return None
    return signature.hexdigest()


class _Incremental:
    """The cache around one run: replay an identical earlier run, or record this one."""

    def __init__(self, cache_dir: Path | None, inputs: Inputs, output: Path | None,
                 *key: Any) -> None:
        self.cache = Cache.open(cache_dir) if cache_dir is not None else None
        self.output = output
        if self.cache is None:
            return
        started = time.time_ns()
        modules = {sys.modules[type(f).__module__] for f in inputs.formats()}
        self.key = cache_key(code_fingerprint(modules), os.environ.get("SOURCE_DATE_EPOCH"),
                             *key)
        self.inputs = _signature(inputs, started)

    def replay(self) -> RunResult | None:
        """The result of an identical earlier run, or None."""
        if self.cache is None or self.inputs is None:
            return None
        output = output_signature(self.output) if self.output else ""
        found = self.cache.replay(self.key, self.inputs, output)
        if found is None:
            return None
        value, parts = found
        if not (isinstance(value, tuple) and len(value) == 2
                and isinstance(value[0], RunResult)):
            return None
        shell, counts = value
        try:  # the warnings stay packed: a convert run shows only the first few
            shell.diagnostics = DiagnosticLog.unpacked(Packed(
                *counts, [p for _, p in parts], [c for c, _ in parts]))
        except (ValueError, TypeError):
            return None
        shell.summary = (f"{self.output}: up to date (nothing changed since the last "
                         "run)" if self.output else None)
        shell.replayed, shell.parsed = True, 0
        return shell

    def record(self, result: RunResult) -> None:
        """Remember ``result`` for an identical later run; close the cache."""
        if self.cache is None:
            return
        if self.inputs is not None:
            output = output_signature(self.output) if self.output else ""
            log = result.diagnostics
            if not isinstance(log, DiagnosticLog):
                log = DiagnosticLog(log)
            shell = dataclasses.replace(result, diagnostics=[])
            self.cache.record(self.key, self.inputs, output, (shell, log.counts()),
                              log.packed_parts())
        self.cache.close()


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
              write: Callable[[Reader, list[Diagnostic]], str | None]) -> RunResult:
    """Discover, replay from the cache or read (and write), lint, record."""
    sources = list(sources)
    inputs, problems = discover(sources, from_format)
    incremental = _Incremental(cache_dir, inputs, output, command, options,
                               [str(Path(s).absolute()) for s in sources],
                               str(Path(output).absolute()) if output else None,
                               from_format, default_lang, max_bytes, size)
    replayed = incremental.replay()
    if replayed is not None:
        if progress:
            progress(len(inputs))
        return replayed
    corpus, result = CorpusLint(locate=Locator()), RunResult()
    reader = Reader(inputs, default_lang=default_lang, max_bytes=max_bytes, jobs=jobs,
                    size=_size(size), on_file=progress, cache=incremental.cache,
                    corpus=corpus, writer=(writer, dict(options)) if writer else None)
    try:
        result.summary = write(reader, problems)
    except BaseException:
        if incremental.cache:
            incremental.cache.close()
        raise
    result = _finish(result, problems, reader, corpus)
    result.parsed = reader.files_parsed
    incremental.record(result)
    return result


def convert_sources(sources: Iterable[Path], writer: Format, output: Path, *,
                    from_format: str | None = None, default_lang: str = "en", jobs: int = 1,
                    max_bytes: int = 4 * 1024 * 1024, options: dict[str, Any] | None = None,
                    size: str | None = None, progress: Progress = None,
                    cache_dir: Path | None = None) -> RunResult:
    """Read, validate and lint ``sources``; write the valid muscles with ``writer``.

    With ``cache_dir`` unchanged files are not read again and a run identical to the
    last one (inputs, options, output untouched) is replayed without writing."""
    options = dict(options or {})

    def write(reader: Reader, problems: list[Diagnostic]) -> Any:
        ctx = WriteContext(options=options, sources=reader.sources, report=problems.append)
        try:
            if writer.writes_records:
                return writer.write_records(reader.records(), output, ctx)
            return writer.write(reader, output, ctx)
        except OSError as exc:  # the output's place: a file in the way, no permission...
            blocker = str(exc.filename or "")
            where = f" ({blocker})" if blocker and str(output).startswith(blocker) \
                and blocker != str(output) else ""
            raise error(str(output), "cannot-write",
                        f"cannot write here: {exc.strerror or exc}{where}") from None

    return _read_run(f"convert:{writer.name}", sources, Path(output),
                     sorted(options.items()), from_format=from_format,
                     default_lang=default_lang, jobs=jobs, max_bytes=max_bytes, size=size,
                     progress=progress, cache_dir=cache_dir, write=write,
                     writer=writer if writer.writes_records else None)


def validate_sources(sources: Iterable[Path], *, from_format: str | None = None,
                     default_lang: str = "en", jobs: int = 1,
                     max_bytes: int = 4 * 1024 * 1024, size: str | None = None,
                     progress: Progress = None, cache_dir: Path | None = None) -> RunResult:
    """Read, validate and lint ``sources`` without writing anything."""

    def consume(reader: Reader, problems: list[Diagnostic]) -> None:
        for _ in reader.slugs():
            pass

    return _read_run("validate", sources, None, {}, from_format=from_format,
                     default_lang=default_lang, jobs=jobs, max_bytes=max_bytes, size=size,
                     progress=progress, cache_dir=cache_dir, write=consume, writer=None)


def _reformat_one(item: tuple[str, str, str, int, bool]) -> tuple[str, bool | None,
                                                                   list[Diagnostic]]:
    """(path, changed or None when it failed, diagnostics) of one file."""
    path, format_name, default_lang, max_bytes, check = item
    fmt = get_format(format_name)
    ctx = ReadContext(default_lang=default_lang, max_bytes=max_bytes)
    try:
        raw = ctx.read_bytes(Path(path))
        new = fmt.reformat(raw, path, ctx)
    except MuscleError as exc:
        return path, None, exc.diagnostics
    changed = new.encode("utf-8") != raw
    if changed and not check:
        with atomic_file(Path(path), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(new)
    return path, changed, []


@_batch
def format_sources(paths: Iterable[Path], *, check: bool = False, default_lang: str = "en",
                   jobs: int = 1, max_bytes: int = 4 * 1024 * 1024) -> RunResult:
    """Rewrite (or with ``check`` only list) files not in their format's canonical layout."""
    inputs, problems = discover(paths)
    result = RunResult(diagnostics=problems)
    items = []
    for item in inputs:
        if not item.format.can_format:
            problems.append(Diagnostic(item.path, None, None, "", "cannot-format",
                                       f"fmt does not handle {item.format.name}"))
            continue
        items.append((item.path, item.format.name, default_lang, max_bytes, check))
    if jobs > 1 and len(items) > 64:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            outcomes = pool.map(_reformat_one, items, chunksize=64)
    else:
        outcomes = [_reformat_one(item) for item in items]
    for path, changed, diagnostics in outcomes:
        problems += diagnostics
        if changed is None:
            result.failed += 1
            continue
        result.count += 1
        if changed:
            result.changed.append(path)
    return result
