"""The warnings of a muscle file written: one that reading refuses by default (too
large), and a ``-0`` of ``extra``, which Jekyll and Hugo read as 0."""

from __future__ import annotations

import re
from pathlib import Path

from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import MAX_BYTES, WriteContext, spelling

from .frontmatter import split
from .parsing import _parsed
from .reading import EXTENSIONS, _misread_warnings

#: A plain ``-0`` (the integer negative zero of ``extra``) as the writer writes it: a
#: value after ``: `` or a list's ``- `` (a file without one is not read again).
_PLAIN_MINUS_ZERO = re.compile(r"(?<=[ \[{,])-0(?![\w.])")


def _warn_if_misread(path: Path, text: str, slug: str, ctx: WriteContext) -> None:
    """The ``yaml11-ambiguous`` warnings ``validate`` gives of the file written at
    ``path`` (``text``): a ``-0`` of ``extra``, which every format writes so, is 0 to
    Jekyll and Hugo. None where the muscle was read from a Markdown file, whose reader
    warned of it there."""
    if "-0" not in text or not _PLAIN_MINUS_ZERO.search(text):
        return
    source = ctx.sources.get(slug)
    if source is not None and Path(source.path).suffix.lower() in EXTENSIONS:
        return
    try:
        front, body = split(text, str(path))
        muscle = _parsed(front, body, str(path), slug, str(ctx.option("default_lang", "en")))
    except MuscleError:  # (not reached: the writer writes what its reader reads)
        return
    for warning in _misread_warnings(muscle, front, str(path)):
        ctx.report(warning)


def _warn_if_too_large(path: Path, size: int, ctx: WriteContext) -> None:
    """A ``file-too-large`` warning for a file written (``size`` bytes) that reading
    refuses by default (over :data:`~converter.registry.MAX_BYTES`), naming the limit
    to give as the caller names it (``--max-bytes N``, or ``max_bytes=N``)."""
    if size > MAX_BYTES:
        ctx.report(Diagnostic(str(path), None, None, "", "file-too-large",
                              f"is {size} bytes, over the limit of {MAX_BYTES} that "
                              f"reading takes by default: read it back with "
                              f"{spelling().given('max_bytes', size)}", "warning"))
