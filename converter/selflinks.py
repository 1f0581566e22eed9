"""A muscle whose link opens the map's own file (the page the map is on, or the map
itself): a click on its region shows again what is shown, not the muscle's page. Each
such muscle is one ``reserved-name`` warning, at its slug."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .bodymap import resolve_link
from .model import Muscle
from .registry import WriteContext, spelling


def opens_itself(link: str, out: Path, name: str, folder_served: bool) -> str | None:
    """What of the file ``name`` in the folder ``out`` ``link``, followed from that
    file, opens: the file itself, ``name`` (``./name``, ``../site/name?v=2``), or, where
    a web server answers the folder with that file (``folder_served``: a page named
    ``index.html``), ``the folder of <name>`` (``./``, ``.``, ``./?m=x``, ``../site``);
    None for another file or a place in it (``#muscle-index``, which highlights the
    muscle). Dot segments, ``%2E`` too, are resolved as a browser resolves them."""
    own = out.absolute().as_uri() + "/" + name
    target = urlsplit(urljoin(own, re.sub("%2[eE]", ".", link)))
    if target.scheme != "file" or target.fragment:
        return None
    folder = unquote(urlsplit(own).path).rsplit("/", 1)[0]
    opened = unquote(target.path)
    resolved = posixpath.normpath(opened)  # (site/./, site//: the folder as site is)
    if resolved == folder and folder_served:
        return f"the folder of {name}"
    return name if resolved == f"{folder}/{name}" and not opened.endswith("/") else None


def report_self_links(muscles: Iterable[Muscle], link_template: str, out: Path, name: str,
                      ctx: WriteContext, *, itself: str, folder_served: bool = False) -> None:
    """Report, as one ``reserved-name`` warning each, the muscles with regions (the
    others have no link) whose link by ``link_template`` opens the file ``name`` the
    writer writes in ``out`` (see :func:`opens_itself`), which is ``itself`` ("the
    map's page itself")."""
    for muscle in muscles:
        link = resolve_link(link_template, muscle.slug)
        opens = opens_itself(link, out, name, folder_served) if muscle.regions and link \
            else None
        if opens is None:
            continue
        said = "" if link == name else f"{link!r}, "
        served = "" if opens == name else " (a web server answers it with that page)"
        ctx.report(ctx.muscle_diagnostic(
            muscle.slug, "slug", str(out), "reserved-name",
            f"the muscle {muscle.slug!r} links to {said}{opens}, {itself}{served}; give it "
            f"another slug or {spelling().option('link_template')}", "warning"))
