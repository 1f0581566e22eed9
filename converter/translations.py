"""Two files of one muscle each that look like translations of one page, in different
languages by their names (``soleus.md``, ``soleus.da.md``: :func:`~converter.slug.name_language`)
or by their folders (``content/en/soleus.md``, ``content/da/soleus.md``): what a
``duplicate-slug`` between them adds, how to convert each language on its own. A site
keeps each language's pages apart, so they may share a slug there; one run here holds
one slug once."""

from __future__ import annotations

import os

from .diagnostics import Named
from .model import is_language_code
from .slug import name_language
from .spellings import spelling


def translated(path: str, other: str, endings: tuple[str, ...],
               other_endings: tuple[str, ...], default_lang: str, *, named: bool = False
               ) -> tuple[str | Named, ...]:
    """The parts (for :func:`~converter.diagnostics.worded`) a ``duplicate-slug`` of the
    file ``path`` adds after naming the file ``other`` that took the slug first, when
    the two are in different languages: by their names (``endings``, ``other_endings``:
    their formats'; a name that gives none is in ``default_lang``, as its plain texts
    are), else by the first folder their paths differ in, each named by a language
    code; else nothing. ``named``: one of the two was named as a source itself, which
    ``exclude`` does not leave out."""
    mine, theirs = name_language(path, endings), name_language(other, other_endings)
    if mine is not None or theirs is not None:
        if (mine or default_lang).lower() == (theirs or default_lang).lower():
            return ()
        return _by_names(other, mine, theirs, default_lang, named)
    folders = _language_folders(path, other)
    if folders is None:
        return ()
    (mine_folder, mine), (theirs_folder, theirs) = folders
    return (f"; the two look like translations of one page (in the folders of {theirs} "
            f"and {mine}): a run holds a slug once, so convert each language on its own, "
            "naming its folder (", Named(theirs_folder), ", ", Named(mine_folder), ")")


def _by_names(other: str, mine: str | None, theirs: str | None, default_lang: str,
              named: bool) -> tuple[str, ...]:
    """The parts of :func:`translated` for two files whose names give different
    languages (``mine``, ``theirs``; None: a name that gives none, in ``default_lang``),
    one of them ``named`` as a source or both found by a search."""
    how = spelling()
    in_default = f"so its texts are in the run's {how.option('default_lang')}, {default_lang}"
    if mine and theirs:
        said = f"that file's name gives the language {theirs}, this one's {mine}"
    elif theirs:
        said = f"that file's name gives the language {theirs}; this one's gives none, {in_default}"
    else:
        said = f"that file's name gives no language, {in_default}; this one's gives {mine}"
    language = theirs or mine  # (a language a name gives: its files can be named)
    ending = os.path.splitext(other)[1]
    alone = f"*.{language}{ending}"
    ways = (f"leave {language}'s files out ({_excluding(alone, named=named)}) or read them "
            f"alone ({_excluding(f'*{ending}', f'!{alone}', named=named)})")
    if named:  # (a file named is read, --exclude or not)
        ways = (f"name one language's files only ({how.option('exclude')} leaves out no "
                "file named)" + ("" if how.keywords else f", or {ways}"))
    return (f"; the two look like translations of one page ({said}): a run holds a slug "
            f"once, so convert each language on its own: {ways}",)


def _excluding(*patterns: str, named: bool = False) -> str:
    """The ``exclude`` option given ``patterns``, as the caller gives it: ``--exclude
    '*.da.md'`` (each once), or ``exclude=['*.md', '!*.da.md']``; ``named``: with
    ``--force-exclude`` first, which leaves out the files named too."""
    how = spelling()
    forced = (how.given("force_exclude"),) if named else ()
    if how.keywords or how.toml:
        return how.together(*forced, how.given(
            "exclude", patterns[0] if len(patterns) == 1 else list(patterns)))
    return how.together(*forced, *(how.given("exclude", p, quoted=True) for p in patterns))


def _language_folders(path: str, other: str
                      ) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The first folder ``path`` and ``other`` differ in, each as (its path, its name),
    when each is named by a language code of two letters (``content/en``,
    ``content/da``, ``content/pt-br``: not ``old`` and ``new``) and the two codes
    differ; else None."""
    mine = os.path.normpath(os.path.dirname(path)).split(os.sep)
    theirs = os.path.normpath(os.path.dirname(other)).split(os.sep)
    for at, (a, b) in enumerate(zip(mine, theirs, strict=False)):
        if a == b:
            continue
        if _two_letters(a) and _two_letters(b) and a.lower() != b.lower():
            return ((os.sep.join(mine[:at + 1]) or os.sep, a),
                    (os.sep.join(theirs[:at + 1]) or os.sep, b))
        return None
    return None


def _two_letters(name: str) -> bool:
    """Whether a folder's ``name`` is a language code whose language has two letters
    (``da``, ``pt-br``), as a site's folder of a language's pages is named."""
    return is_language_code(name) and len(name.split("-")[0]) == 2
