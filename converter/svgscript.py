"""What in an SVG file can run script when a browser opens it: a ``<script>``, an event
attribute (``onload=``), a ``javascript:`` link, HTML in a ``<foreignObject>``, a frame,
an animation that sets a link or an event attribute, a linked XSLT sheet. A local
``--base-image`` is copied into the output only when it holds none
(:func:`converter.bodymap.map_settings`).
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from pathlib import Path
from typing import Any

from converter.svgdom import local_name
from converter.svgtree import parse

#: Elements that run script or hold a document that may: by their name, lower case, in
#: any namespace (SVG's and XHTML's ``<script>`` alike).
_RUNNING = frozenset({"script", "foreignobject", "iframe", "frame", "frameset", "embed",
                      "object", "handler", "listener"})
#: The animations, which may set an attribute to a ``javascript:`` link or a handler.
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform",
                         "animatecolor"})
#: A URL of a scheme that runs script, as a browser reads it (ASCII white space and
#: control characters dropped, any case).
_SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|livescript):", re.IGNORECASE)
_DROPPED = re.compile(r"[\x00-\x20\x7f]+")
#: How much of a gzip-compressed SVG (``.svgz``) is unpacked to be checked.
_UNPACKED = 64 << 20


def script_in(path: Path, svg: bool = False) -> tuple[int | None, str] | None:
    """Where (line, or None) and what in the file at ``path`` can run script when a
    browser opens it, or None: a picture that is no XML (PNG, JPEG...) holds none, but
    one a browser opens as SVG (``svg``) is checked as XML whatever its first bytes
    (UTF-16). An XML file it cannot check (not well-formed, an entity declaration that
    may hide a script) is said as such."""
    raw = path.read_bytes()
    if raw.startswith(b"\x1f\x8b"):
        try:
            raw = gzip.GzipFile(fileobj=io.BytesIO(raw)).read(_UNPACKED + 1)
        except (OSError, EOFError, zlib.error):
            return None, "is gzip-compressed but cannot be unpacked, so cannot be checked"
        if len(raw) > _UNPACKED:
            return None, "unpacks to over 64 MiB, which is not checked"
    if not svg and not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    return _in_xml(raw, path)


def _in_xml(raw: bytes, path: Path) -> tuple[int | None, str] | None:
    """What :func:`script_in` says of an XML file's text."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    try:
        tree = parse(raw, path)
    except ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        return line, "is not well-formed XML, so cannot be checked for script"
    except DefusedXmlException:
        return None, ("declares entities or refers to other files (<!ENTITY ...>), which "
                      "may hide a script from the check")
    found = [(line, "<?xml-stylesheet?> links a style sheet, which may be XSLT that writes "
              "script") for line in tree.linked_sheets]
    for element in tree.root.iter():
        what = _running(element)
        if what is not None:
            found.append((tree.lines.get(element), what))
            break
    return min(found, key=lambda item: item[0] or 0, default=None)


def _running(element: Any) -> str | None:
    """What of one element can run script, or None."""
    name = local_name(element.tag)
    if name.lower() in _RUNNING:
        return f"<{name}> can run script"
    attributes = element.attrib
    for key, value in attributes.items():
        attribute = local_name(key)
        if attribute.lower().startswith("on"):
            return f"<{name}> has the event attribute {attribute}=, which runs script"
        if _SCRIPT_URL.match(_DROPPED.sub("", value)):
            return f"<{name}> has {attribute}={value.strip()!r}, a link that runs script"
    animated = attributes.get("attributeName", "").strip().rpartition(":")[2].lower()
    if name.lower() in _ANIMATIONS and (animated == "href" or animated.startswith("on")):
        return (f"<{name}> sets {attributes.get('attributeName').strip()}, which may make "
                "a link or a handler that runs script")
    return None
