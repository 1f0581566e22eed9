"""Output-side safety shared by writers: escaping and link checking."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"", "http", "https"})
#: What browsers drop from a link before they read its scheme.
_IGNORED = re.compile("[\x00-\x20\x7f]")


def escape(text: str) -> str:
    """Escape text for XML/HTML content and double- or single-quoted attributes."""
    return html.escape(text, quote=True)


def is_safe_link(url: str) -> bool:
    """True for relative links and http(s) URLs; False for ``javascript:``, ``data:``,
    ``file:`` and every other scheme (browsers ignore whitespace and case in schemes)."""
    cleaned = _IGNORED.sub("", url)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES
