"""Which Markdown files a search of a folder takes for muscles, as a site generator
(Hugo, Jekyll) would take them for pages of their own: the rules of the format's
:meth:`~converter.formatbase.Format.is_own`. A file named as a source is always read.

- Hugo's section pages, ``_index.md`` and their translations ``_index.LANG.md``, list
  their section's pages and are never muscles.
- A folder holding ``index.md`` (or a translation, ``index.LANG.md``) is a leaf page
  bundle, as Hugo has it: its other Markdown files, and those of its folders below, are
  the page's resources, not pages; the search's own folder counts too.

Each folder from the search's start down to a file's is listed once per search (its
names kept in the search's memo): no file's content is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from converter.formatbase import current_search
from converter.slug import bundle_language

#: The endings of the format's files (as its ``extensions``, which this module, imported
#: by the package, cannot import back).
_ENDINGS = (".md", ".markdown")


def _section(name: str) -> bool:
    """Whether ``name`` is a Hugo section page's, ``_index.md`` or a translation of it
    (``_index.da.md``, ``_index.pt-br.md``), the ending in any case."""
    return name[:1] == "_" and bundle_language(name[1:], _ENDINGS) is not None


def _bundle(name: str) -> bool:
    """Whether ``name`` is a leaf bundle's page's, ``index.md`` or a translation of it,
    as a page bundle's slug is told (:func:`converter.slug.bundle_language`)."""
    return bundle_language(name, _ENDINGS) is not None


class _Folder(NamedTuple):
    """What the rules need of a folder, from its names."""

    bundle: bool  # it holds a leaf bundle's page


def is_muscle_file(path: Path) -> bool:
    """Whether the file ``path`` a search found is one a site generator takes for a page
    of its own (a muscle's): not a section's list page, nor a page bundle's resource."""
    name = path.name
    if _section(name):
        return False
    search = current_search()
    folders = _folders(str(path), None if search is None else search.root)
    memo: dict[Any, Any] = {} if search is None else search.memo
    last = len(folders) - 1
    for depth, folder in enumerate(folders):
        facts = _facts(folder, memo)
        if facts.bundle and (depth < last or not _bundle(name)):
            return False  # (a resource of the bundle ``folder``)
    return True


def _folders(path: str, root: str | None) -> list[str]:
    """The folders from the search's ``root`` (None: the file's own) down to the one
    holding ``path``, as the search names them (``.``: the working folder)."""
    folder = os.path.dirname(path)
    if root is None:
        return [folder or os.curdir]
    prefix = "" if root == os.curdir else root.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):  # (not below it: its own folder alone)
        return [folder or os.curdir]
    folders = [root]
    for part in path[len(prefix):].split(os.sep)[:-1]:
        prefix += part + os.sep
        folders.append(prefix.rstrip(os.sep))
    return folders


def _facts(folder: str, memo: dict[Any, Any]) -> _Folder:
    """What the rules need of ``folder``, listed once per search (kept in ``memo``); a
    folder that cannot be listed is none of them."""
    key = (__name__, folder)
    facts = memo.get(key)
    if facts is None:
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        facts = memo[key] = _Folder(bundle=any(map(_bundle, names)))
    return facts
