"""The three batch jobs behind the CLI: convert, validate and fmt.

Each returns a :class:`RunResult`; none prints. Diagnostics are collected, never
raised, so one bad file never stops the others.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_file
from .diagnostics import Diagnostic, MuscleError, error
from .lint import CorpusLint, parse_size
from .model import Muscle
from .pipeline import Reader, discover, locate_lines
from .registry import Format, ReadContext, WriteContext, get_format

Progress = Callable[[int], None] | None


@dataclass
class RunResult:
    """What a run did: muscles handled, files that failed, diagnostics, writer summary."""

    count: int = 0
    failed: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: str | None = None
    changed: list[str] = field(default_factory=list)


def _size(size: str | None) -> tuple[int, int] | None:
    if size is None:
        return None
    try:
        return parse_size(size)
    except ValueError as exc:
        raise error("--size", "bad-size", str(exc)) from None


def _linted(reader: Reader, corpus: CorpusLint, result: RunResult) -> Iterator[Muscle]:
    for muscle in reader:
        corpus.add(muscle, reader.sources[muscle.slug].path)
        result.count += 1
        yield muscle


def _finish(result: RunResult, problems: list[Diagnostic], reader: Reader,
            corpus: CorpusLint) -> RunResult:
    result.diagnostics = problems + reader.diagnostics + locate_lines(list(corpus.finish()))
    result.failed = len({d.path for d in result.diagnostics if d.severity == "error"})
    return result


def convert_sources(sources: Iterable[Path], writer: Format, output: Path, *,
                    from_format: str | None = None, default_lang: str = "en", jobs: int = 1,
                    max_bytes: int = 4 * 1024 * 1024, options: dict[str, Any] | None = None,
                    size: str | None = None, progress: Progress = None) -> RunResult:
    """Read, validate and lint ``sources``; write the valid muscles with ``writer``."""
    inputs, problems = discover(sources, from_format)
    reader = Reader(inputs, default_lang=default_lang, max_bytes=max_bytes, jobs=jobs,
                    size=_size(size), on_file=progress)
    corpus, result = CorpusLint(), RunResult()
    ctx = WriteContext(options=dict(options or {}), sources=reader.sources,
                       report=problems.append)
    result.summary = writer.write(_linted(reader, corpus, result), output, ctx)
    return _finish(result, problems, reader, corpus)


def validate_sources(sources: Iterable[Path], *, from_format: str | None = None,
                     default_lang: str = "en", jobs: int = 1,
                     max_bytes: int = 4 * 1024 * 1024, size: str | None = None,
                     progress: Progress = None) -> RunResult:
    """Read, validate and lint ``sources`` without writing anything."""
    inputs, problems = discover(sources, from_format)
    reader = Reader(inputs, default_lang=default_lang, max_bytes=max_bytes, jobs=jobs,
                    size=_size(size), on_file=progress)
    corpus, result = CorpusLint(), RunResult()
    for _ in _linted(reader, corpus, result):
        pass
    return _finish(result, problems, reader, corpus)


def _reformat_one(item: tuple[str, str, str, bool]) -> tuple[str, bool, list[Diagnostic]]:
    path, format_name, default_lang, check = item
    fmt = get_format(format_name)
    try:
        raw = Path(path).read_bytes()
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        new = fmt.reformat(text, path, ReadContext(default_lang=default_lang))  # type: ignore[attr-defined]
    except MuscleError as exc:
        return path, False, exc.diagnostics
    except (OSError, UnicodeDecodeError) as exc:
        return path, False, [Diagnostic(path, None, None, "", "unreadable", str(exc))]
    changed = new.encode("utf-8") != raw
    if changed and not check:
        with atomic_file(Path(path), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(new)
    return path, changed, []


def format_sources(paths: Iterable[Path], *, check: bool = False, default_lang: str = "en",
                   jobs: int = 1) -> RunResult:
    """Rewrite (or with ``check`` only list) files not in their format's canonical layout."""
    inputs, problems = discover(paths)
    result = RunResult(diagnostics=problems)
    items = []
    for item in inputs:
        if not hasattr(item.format, "reformat"):
            result.diagnostics.append(Diagnostic(str(item.path), None, None, "",
                                                 "cannot-format",
                                                 f"fmt does not handle {item.format.name}"))
            continue
        items.append((str(item.path), item.format.name, default_lang, check))
    if jobs > 1 and len(items) > 64:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            outcomes = pool.map(_reformat_one, items, chunksize=64)
    else:
        outcomes = [_reformat_one(item) for item in items]
    for path, changed, diagnostics in outcomes:
        result.count += 1
        result.diagnostics += diagnostics
        if changed:
            result.changed.append(path)
    return result
