"""An SVG document's elements as the checks of what a browser shows name them: the SVG
namespace, an element's name and those around it, a polygon's points, and what an
``href`` (``xlink:href``) names by ``#id`` or by the file's own name, as it is or under an
``xml:base``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from converter import bodymap

#: The SVG namespace as ElementTree writes it before a tag's name: ``{...}polygon``.
SVG = f"{{{bodymap.SVG_NS}}}"
XLINK = "http://www.w3.org/1999/xlink"
#: The attribute ``xml:base``: the address that relative references in and under the
#: element it is on are taken from.
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
#: Between two numbers of a ``points`` list: a comma (spaces around it) or spaces.
SEPARATORS = re.compile(r"\s*,\s*|\s+")


def points(polygon: Any) -> str:
    """A polygon's ``points`` as a coords string: its numbers between commas."""
    # (an empty number, "10,,20" or a trailing comma, stays empty for the validator to
    # report: dropped, it would pair the numbers after it anew)
    return ",".join(SEPARATORS.split(polygon.get("points", "").strip()))


def href(element: Any) -> str:
    """An element's ``href`` (else its ``xlink:href``), stripped; empty when it has none."""
    link = element.get("href")
    return ((element.get(f"{{{XLINK}}}href") if link is None else link) or "").strip()


def named(element: Any, ids: dict[str, Any], here: Path | None = None,
           parents: dict[Any, Any] | None = None) -> Any:
    """The element that an element's ``href`` (or ``xlink:href``) names by ``#id``, or,
    given ``here`` (the file read) and ``parents``, by ``file#id`` of a file that is this
    one (by the map's own address, or by the ``xml:base`` in effect): None when it names
    none."""
    link = href(element)
    file, hash_mark, name = link.partition("#")
    if not hash_mark or (file and (here is None or parents is None or not any(
            is_file(url, here) for url in resolved(file, element, parents, here)))):
        return None
    return ids.get(name)


def resolved(file: str, element: Any, parents: dict[Any, Any], here: Path) -> list[str]:
    """What a reference to ``file`` of ``element`` may name: ``file`` as it is (taken
    from the map's own address, as Chromium takes it), and, with an ``xml:base`` on it
    or around it, as that base resolves it (as viewers that honour it do)."""
    bases = [element.get(_XML_BASE) for element in ancestry(element, parents)]
    bases = [base.strip() for base in reversed(bases) if base is not None]
    if not bases:
        return [file]
    address = here.absolute().as_uri()
    for base in bases:
        address = urljoin(address, base)
    return [file, urljoin(address, file)]


def is_file(url: str, here: Path) -> bool:
    """Whether a URL (a relative one, or file:) names the file at ``here``, the one read:
    ``map.svg``, ``./map.svg``, ``../out/map.svg``, another name linked to it."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("", "file") or parts.netloc not in ("", "localhost"):
        return False
    path = os.path.join(os.path.dirname(os.path.abspath(here)), unquote(parts.path))
    try:
        return os.path.samefile(path, here)
    except (OSError, ValueError):  # (no such file, or a name no file can have)
        return os.path.normpath(path) == os.path.normpath(os.path.abspath(here))


def ancestry(element: Any, parents: dict[Any, Any]) -> Iterator[Any]:
    """``element`` and those around it, up to the root."""
    while element is not None:
        yield element
        element = parents.get(element)


def local_name(tag: str) -> str:
    """An element's name without its namespace: ``path``."""
    return tag.rpartition("}")[2]
