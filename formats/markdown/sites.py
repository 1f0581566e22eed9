"""Which Markdown files a search of a folder takes for muscles, as a site generator
(Hugo, Jekyll) would take them for pages of their own: the rules of the format's
:meth:`~converter.formatbase.Format.is_own`. A file named as a source is always read.

- Hugo's section pages, ``_index.md`` and their translations ``_index.LANG.md``, list
  their section's pages and are never muscles.
- In a Hugo site's ``content/`` (its root in the search or above its start), a folder
  holding ``index.md`` (or a translation, ``index.LANG.md``) is a leaf page bundle, as
  Hugo has it: its other Markdown files, and those of its folders below, are the
  page's resources, not pages; the search's own folder counts too. Elsewhere (below a
  Jekyll root too), in a folder muscle-convert wrote (its marker), and where the search
  leaves that page out (``--exclude``), an ``index.md`` is a page like any other.
- A Hugo site's root (a folder holding ``hugo.toml``, ``.yaml``, ``.yml`` or ``.json``,
  or ``config.toml`` ... or a ``config/`` folder beside ``content/``) has its pages in
  ``content/``: its other folders (``public/`` and ``resources/``, which Hugo builds;
  ``archetypes/``, ``layouts/``, ``themes/``) hold no muscles, and bundles above it
  count for nothing below it.
- A Jekyll site's root (a folder holding ``_config.yml``, ``.yaml`` or ``.toml``) makes
  a page of every Markdown file in its collections (``_NAME/`` folders) and ordinary
  folders, as a GitHub Pages site has them: not of ``_site/`` (which Jekyll builds),
  ``_drafts/``, nor Jekyll's own ``_layouts/``, ``_includes/``, ``_sass/``, ``_data/``,
  ``_plugins/``; its home page (``index.md`` or ``index.markdown`` at the root) is no
  muscle.

The rules of a site's root hold from the folder searched down: a search of a site's
``content/`` or ``_muscles/`` leaves nothing out for a root above it, which is looked
for (once per search) only to tell whether bundles count. Each folder from the search's start
down to a file's is listed once per search, and what the rules make of its files worked
out once (both kept in the search's memo): no file's content is read, and the format
is asked once per folder (:func:`muscle_names`), a file then costing a look at how its
name starts.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from converter.formatbase import Search, current_search
from converter.marker import DIRECTORY_MARKER
from converter.slug import BUNDLE_PAGE, bundle_language

#: The endings of the format's files (as its ``extensions``, which this module, imported
#: by the package, cannot import back).
_ENDINGS = (".md", ".markdown")

#: The names of a Hugo site's configuration that make a folder its root alone, and
#: those that do beside a ``content`` folder (``config.toml`` is a common name).
_HUGO_CONFIGS = frozenset({"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"})
_HUGO_OLD_CONFIGS = frozenset({"config.toml", "config.yaml", "config.yml", "config.json",
                               "config"})
#: The folder of a Hugo site's root that holds its pages.
_HUGO_CONTENT = "content"
#: The names of a Jekyll site's configuration.
_JEKYLL_CONFIGS = frozenset({"_config.yml", "_config.yaml", "_config.toml"})
#: The ``_NAME`` folders of a Jekyll site's root that are no collection.
_JEKYLL_OWN = frozenset({"_site", "_drafts", "_layouts", "_includes", "_sass", "_data",
                         "_plugins"})


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

    bundle: str | None  # the name of the leaf bundle's page it holds
    hugo: bool  # it is a Hugo site's root
    jekyll: bool  # it is a Jekyll site's root


#: What a folder's files are to the rules (whatever their names but a section page's):
#: none of them muscles, only a bundle's page, all, or all but a Jekyll root's home page.
_NONE, _PAGE, _ALL, _HOME = 0, 1, 2, 3
#: Why the files of Jekyll's own folders are left out.
_JEKYLL_WHY = {own: f"in Jekyll's own {own}/" for own in _JEKYLL_OWN} | {
    "_site": "in Jekyll's built site, _site/", "_drafts": "a Jekyll draft"}
#: Why the files of a Hugo root's folders but ``content/`` are left out.
_OUTSIDE = "outside the Hugo site's content/"
#: The reasons :func:`_takes` gives that name no bundle's page.
_REASONS = frozenset({_OUTSIDE, *_JEKYLL_WHY.values()})
#: The names of a Jekyll site's home page at its root.
_JEKYLL_HOME = frozenset({"index.md", "index.markdown"})


def is_muscle_file(path: Path) -> bool:
    """Whether the file ``path`` a search found is one a site generator takes for a page
    of its own (a muscle's): not a section's list page, a page bundle's resource, nor a
    site's file out of its pages (see the module's rules)."""
    text = str(path)
    name = os.path.basename(text)
    return muscle_names(text[:len(text) - len(name)], [name])[0]


def muscle_names(folder: str, names: Sequence[str]) -> list[bool]:
    """Of each of the files ``names`` a search found in ``folder`` (``""``: the working
    folder, else ending in a separator), whether it is one a site generator takes for
    a page of its own, as :func:`is_muscle_file` tells of one. What the rules make of
    the folder's files is worked out once per folder and search; then each name costs
    a look at how it starts (a section page's ``_``, a bundle page's ``index``)."""
    if not names:
        return []
    search = current_search()
    memo: dict[Any, Any] = {} if search is None else search.memo
    key = (__name__, "takes", folder)
    known = memo.get(key)
    if known is None:
        known = memo[key] = _takes(_chain(folder + names[0],
                                          None if search is None else search.root), memo,
                                   search)
    takes = known[0]
    if takes == _NONE:
        return [False] * len(names)
    if takes == _PAGE:  # (a bundle's page, index..., is no section page, _index...)
        return [name.startswith(BUNDLE_PAGE) and _bundle(name) for name in names]
    taken = [True] * len(names) if takes == _ALL else [  # (_HOME: a Jekyll root's)
        name not in _JEKYLL_HOME for name in names]
    if any(map(str.startswith, names, itertools.repeat("_"))):
        for index, name in enumerate(names):
            if _section(name):
                taken[index] = False
    return taken


def why_left_out(path: Path) -> str | None:
    """Why a search leaves out the file ``path`` (a few words: ``a Hugo section page``),
    told by the rules of the nearest site's root at or above it (a search from below it
    leaves out only section pages and bundles' resources, which are told alike); None
    for a file no search leaves out."""
    if _section(path.name):
        return "a Hugo section page"
    memo: dict[Any, Any] = {}
    text = os.path.abspath(path)
    top = os.path.dirname(text)
    while not (_facts(top, memo).hugo or _facts(top, memo).jekyll):
        if os.path.dirname(top) == top:
            return None  # (no site: only section pages are left out)
        top = os.path.dirname(top)
    takes, why = _takes(_chain(text, top), memo)
    if not (takes == _NONE or (takes == _PAGE and not _bundle(path.name)) or (
            takes == _HOME and path.name in _JEKYLL_HOME)):
        return None
    if takes == _HOME or why in _REASONS:
        return why
    page = os.path.relpath(why, os.path.dirname(text))  # (as ``path`` names it)
    return _resource(os.path.normpath(os.path.join(os.path.dirname(str(path)), page)))


def _takes(chain: list[tuple[str, str]], memo: dict[Any, Any],
           search: Search | None = None) -> tuple[int, str]:
    """What the files of the last folder of ``chain`` (:func:`_chain`) are to the rules
    (:data:`_ALL`, :data:`_PAGE`, :data:`_HOME` or :data:`_NONE`) and why those it
    leaves out are (for a resource, the path of its bundle's page). Bundles count only inside
    a Hugo site's ``content/``: a Hugo root in ``chain``, or one at or above its first
    folder (:func:`_above`)."""
    facts = [_facts(folder, memo, search) for folder, _ in chain]
    last = len(chain) - 1
    bundles, resource = _above(chain[0][0], memo)
    bundles_from = 0  # (the first folder whose bundle counts)
    for depth, ((_, below), folder) in enumerate(zip(chain, facts, strict=True)):
        if folder.hugo:
            if depth == last or below != _HUGO_CONTENT:
                return _NONE, _OUTSIDE
            bundles, resource, bundles_from = True, None, depth + 1
        if folder.jekyll:
            if below in _JEKYLL_OWN:
                return _NONE, _JEKYLL_WHY[below]
            if depth == last:
                return _HOME, "the Jekyll site's home page"
            bundles = False  # (no bundles below it)
    if not bundles:
        return _ALL, ""
    if resource is None:
        resource = next((os.path.join(folder, page) for (folder, _), page in zip(
            chain[bundles_from:last], (f.bundle for f in facts[bundles_from:last]),
            strict=True) if page), None)
    if resource is not None:  # (a resource of a bundle above)
        return _NONE, resource
    page = facts[last].bundle
    return (_PAGE, os.path.join(chain[last][0], page)) if page else (_ALL, "")


def _resource(page: str) -> str:
    """Why a bundle's resource, the bundle's page ``page``'s, is left out."""
    return f"a page bundle's resource ({page} is its page)"


def _above(root: str, memo: dict[Any, Any]) -> tuple[bool, str | None]:
    """Whether the folder ``root`` a search starts from lies in the ``content/`` of a
    Hugo site whose root is above it (the nearest such root, looked for upward once per
    search), and the leaf bundle's page a folder between that ``content/`` and ``root``
    holds, if any (``root``'s files then being its resources)."""
    key = (__name__, "above", root)
    known = memo.get(key)
    if known is None:
        known = memo[key] = _looked_up(os.path.abspath(root), memo)
    return known


def _looked_up(start: str, memo: dict[Any, Any]) -> tuple[bool, str | None]:
    """:func:`_above` of the absolute folder ``start``."""
    parts: list[str] = []
    folder = start
    while True:
        parent, name = os.path.split(folder)
        if parent == folder or not name:
            return False, None  # (no Hugo root above)
        parts.append(name)
        folder = parent
        if _facts(folder, memo).hugo:
            break
    parts.reverse()  # (from the root's folder below it to start)
    if parts[0] != _HUGO_CONTENT:
        return False, None
    between = [os.path.join(folder, *parts[:n]) for n in range(1, len(parts))]
    return True, next((os.path.join(inside, page) for inside in between
                       for page in (_facts(inside, memo).bundle,) if page), None)


def _chain(path: str, root: str | None) -> list[tuple[str, str]]:
    """The folders from the search's ``root`` (None: the file's own) down to the one
    holding ``path``, as the search names them (``.``: the working folder), each with
    the name below it on the way to ``path`` (in the last, the file's)."""
    folder, name = os.path.split(path)
    if root is None:
        return [(folder or os.curdir, name)]
    prefix = "" if root == os.curdir else root.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):  # (not below it: its own folder alone)
        return [(folder or os.curdir, name)]
    parts = path[len(prefix):].split(os.sep)
    chain = [(root, parts[0])]
    for part, below in itertools.pairwise(parts):
        prefix += part + os.sep
        chain.append((prefix.rstrip(os.sep), below))
    return chain


def _facts(folder: str, memo: dict[Any, Any], search: Search | None = None) -> _Folder:
    """What the rules need of ``folder``, listed once per search (kept in ``memo``); a
    folder that cannot be listed is none of them. A folder muscle-convert wrote (its
    marker, :data:`~converter.marker.DIRECTORY_MARKER`) holds no bundle, and a page the
    ``search`` leaves out (``--exclude``) makes none."""
    key = (__name__, folder)
    facts = memo.get(key)
    if facts is None:
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        # (the names as one text, looked for in it: a folder of 20,000 files makes no
        # object per name but its listing's)
        text = "\0" + "\0".join(names) + "\0"
        lower = text.lower()
        facts = memo[key] = _Folder(
            bundle=None if f"\0{DIRECTORY_MARKER}\0" in text
            or f"\0{BUNDLE_PAGE}" not in text else min(
                (n for n in names if n.startswith(BUNDLE_PAGE) and _bundle(n)
                 and not _excluded(search, folder, n)), default=None),
            hugo=_holds(lower, _HUGO_CONFIGS) or (_holds(lower, _HUGO_OLD_CONFIGS)
                                                  and f"\0{_HUGO_CONTENT}\0" in text),
            jekyll=_holds(lower, _JEKYLL_CONFIGS))
    return facts


def _holds(text: str, names: frozenset[str]) -> bool:
    """Whether the names ``text`` holds (each between two NULs) include one of
    ``names``."""
    return any(f"\0{name}\0" in text for name in names)


def _excluded(search: Search | None, folder: str, name: str) -> bool:
    """Whether the ``search`` leaves out the file ``name`` of ``folder`` by its
    ``--exclude`` patterns (a file outside its folder is not left out)."""
    if search is None or search.excluded is None:
        return False
    prefix = "" if search.root == os.curdir else search.root.rstrip(os.sep) + os.sep
    path = os.path.join(folder, name)
    if prefix and not path.startswith(prefix):
        return False
    return search.excluded(path[len(prefix):].replace(os.sep, "/"), False)
