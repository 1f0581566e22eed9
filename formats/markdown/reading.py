"""Reading a muscle file: the muscle, a slug's hint from the file's name, and the
``yaml11-ambiguous`` warnings of plain texts in ``extra`` that Jekyll or Hugo read as
no text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from converter import drafts
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle
from converter.registry import ReadContext
from converter.slug import name_language, slug_hint

from . import EXTENSIONS  # (the format's ``extensions``: the endings of a muscle file)
from .frontmatter import decode, split
from .parsing import _parsed

if TYPE_CHECKING:
    from converter import yaml11


def read_path(path: Path, ctx: ReadContext) -> Muscle:
    """Read and validate one muscle file, enforcing the size limit; a ``yaml11-ambiguous``
    warning for each plain text in ``extra`` that Jekyll or Hugo read as no text (in a
    muscle with errors too, among the keys of its valid fields)."""
    name = str(path)
    fm, body = split(decode(ctx.read_bytes(path), name), name)
    try:
        muscle = _parsed(fm, body, name, _hint(path), _language(path, ctx.default_lang),
                         ctx.located, writer_lang=ctx.default_lang)
    except MuscleError as exc:
        if exc.partial is not None:
            _report_misread(exc.partial, fm, name, ctx)
        raise
    _report_misread(muscle, fm, name, ctx)
    return muscle


def _report_misread(muscle: Muscle, front: str, name: str, ctx: ReadContext) -> None:
    """A ``yaml11-ambiguous`` warning for each plain text of ``muscle``'s extra keys in
    its file's front matter ``front`` that Jekyll or Hugo read as no text (but a draft
    marker's, whose is an error)."""
    for warning in _misread_warnings(muscle, front, name):
        ctx.report(warning)


def _misread_warnings(muscle: Muscle, front: str, name: str) -> list[Diagnostic]:
    """The ``yaml11-ambiguous`` warnings of :func:`_report_misread` (the front matter
    ``front`` of the file ``name``, of which ``muscle`` was read)."""
    return [Diagnostic(name, found.line + 1, found.column + 1, found.field,
                       "yaml11-ambiguous", f"{found.message()} and in every format it is "
                       f"converted to: write {found.instead()}", "warning")
            for found in _misread(muscle, front, drafts.keys_in(muscle.extra))]


def _hint(path: str | Path) -> str:
    """The text a file's slug comes from without a ``slug`` key: its name, or a page
    bundle's folder (``soleus/index.md``)."""
    return slug_hint(path, EXTENSIONS)


def _language(path: str | Path, default_lang: str) -> str:
    """The language of a file's plain texts (``origin: ...``, not a map of languages):
    the one its name gives, as a translation's (``da`` of ``soleus.da.md`` or
    ``soleus/index.da.md``), else ``default_lang``, the run's ``--default-lang``."""
    return name_language(path, EXTENSIONS) or default_lang


def _misread(muscle: Muscle, front: str, skip: frozenset[str] = frozenset()
             ) -> list[yaml11.Misread]:
    """The plain texts of ``muscle``'s extra keys (but ``skip``) in its file's front
    matter ``front`` (as its caller split it) that a YAML 1.1 reader (Jekyll, Hugo)
    reads as something else, and its values tagged ``!`` that one reads otherwise than
    this tool (``! 7``; the muscle's own fields are text by the schema, and written
    quoted for those readers' sake)."""
    from converter import yaml11

    if not muscle.extra:
        return []
    if not yaml11.may_misread(muscle.extra) and not yaml11.may_be_tagged(front):
        return []
    return yaml11.misreads_in(front, muscle.extra.keys() - skip)
