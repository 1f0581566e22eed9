"""Slugs: the stable identity of a muscle, derived from its file name or ``slug`` key."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa",
                         "ß": "ss", "ð": "d", "þ": "th", "đ": "d", "ł": "l"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: Slugs name output files (``<slug>.svg``, ``<slug>.md``, ...); ASCII, so this many
#: characters leave room for any ending within a file system's 255-byte names.
MAX_SLUG_LENGTH = 200


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens: ``Navn med mellemrum`` ->
    ``navn-med-mellemrum``, ``Lægmusklen`` -> ``laegmusklen``."""
    if SLUG_PATTERN.match(text):
        return text
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).translate(_DANISH))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NOT_SLUG.sub("-", text).strip("-")


def stem_text(path: str | Path) -> str:
    """A file name's stem as text, its bytes read as UTF-8 whatever the locale: Python
    decodes names with the locale's encoding, so under a C or Latin-1 locale
    ``Æble.md`` would be escapes or mojibake and its slug lose letters."""
    return os.fsencode(Path(path).stem).decode("utf-8", "surrogateescape")


#: The stem of a page bundle's page (Hugo's leaf bundle ``soleus/index.md``, with its
#: images beside it): its folder names it.
BUNDLE_PAGE = "index"


def slug_hint(path: str | Path, endings: tuple[str, ...]) -> str:
    """What the slug of the file at ``path`` comes from, unless it has a ``slug`` key:
    its stem (:func:`stem_text`), or for a page bundle's page (``index`` and one of
    ``endings`` in any case, such as ``soleus/index.md``) the name of its folder, found
    from the working folder when ``path`` names none (``index.md`` in ``soleus``)."""
    name = os.fsencode(Path(path).name).decode("utf-8", "surrogateescape")
    if name[:len(BUNDLE_PAGE)] == BUNDLE_PAGE and name[len(BUNDLE_PAGE):].lower() in endings:
        whole = os.path.normpath(os.path.join(working_folder(), path))
        folder = os.path.basename(os.path.dirname(whole))
        if folder:  # (not the root of the file system)
            return FolderName(os.fsencode(folder).decode("utf-8", "surrogateescape"))
    return stem_text(path)


class FolderName(str):
    """A :func:`slug_hint` that is a page bundle's folder's name, not its file's (what
    a diagnostic of a slug that cannot be made of it says to rename)."""

    __slots__ = ()


def working_folder() -> str:
    """The working folder as the shell names it (``$PWD``: through a symlink, the link's
    name, as a path through it names it), else as the system does."""
    logical = os.environ.get("PWD", "")
    try:
        if os.path.isabs(logical) and os.path.samefile(logical, os.curdir):
            return logical
    except OSError:
        pass
    return os.getcwd()


def relative_below(path: str, folder: str) -> list[str] | None:
    """The parts of ``path`` (relative to the working folder, or absolute) below
    ``folder``, as the file system finds them: folders resolved (symlinks first, then
    ``..``, as opening the path does), its own name kept (a symlink named as itself);
    None when it is not below ``folder``."""
    full = os.path.join(working_folder(), path).rstrip(os.sep) or os.sep
    parent, name = os.path.split(full)
    real = (os.path.realpath(full) if name in ("", os.curdir, os.pardir)
            else os.path.join(os.path.realpath(parent), name))
    relative = os.path.relpath(real, os.path.realpath(folder))
    parts = relative.split(os.sep)
    return None if relative == os.curdir or parts[0] == os.pardir else parts


def is_slug(text: str) -> bool:
    """True when ``text`` is already a normalized slug."""
    return bool(SLUG_PATTERN.match(text))


def not_a_slug(text: str) -> str:
    """The ``bad-slug`` message for a stored slug that is not one: formats that store
    slugs report it, never normalise it into another muscle's name."""
    return f"{text!r} is not a slug (lowercase letters, digits and single hyphens)"
