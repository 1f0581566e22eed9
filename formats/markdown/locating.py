"""Where a field is in a muscle file (for lints): its front matter, kept for the next
field asked of the same file, and the field's line and column in it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from converter.diagnostics import MuscleError

from .frontmatter import decode, split


def _locate(fm: str, field: str, *, key: bool = False) -> tuple[int, int] | None:
    """File line and column (1-based) of a field path in front-matter YAML (the
    YAML's line 0 is the file's line 1); with ``key``, of the key that names it. The
    paths asked so (a lint's) are the schema's and keys without dots: each step is a
    key of its own, never a key ``origin.da`` of extra beside ``origin:``'s ``da``."""
    from converter import yamlsafe

    found = yamlsafe.locate(fm, yamlsafe.steps(field), key=key)
    return (found[0] + 1, found[1] + 1) if found else None


@lru_cache(maxsize=1)
def _front_matter(path: str, size: int, mtime_ns: int) -> str:
    """The front matter of a file, kept for the next field asked of the same file
    (size and mtime in the key, so an edited file is read again)."""
    return split(decode(Path(path).read_bytes(), path), path)[0]


def _front_matter_of(path: Path) -> str | None:
    """The front matter of the file at ``path`` (see :func:`_front_matter`), or None
    when it cannot be read."""
    try:
        st = path.stat()
        return _front_matter(str(path), st.st_size, st.st_mtime_ns)
    except (OSError, MuscleError):
        return None
