"""Output-side safety shared by writers: escaping and link checking."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"", "http", "https"})


def escape(text: str) -> str:
    """Escape text for XML/HTML content and double- or single-quoted attributes."""
    return html.escape(text, quote=True)


def is_safe_link(url: str) -> bool:
    """True for relative links and http(s) URLs; False for ``javascript:``, ``data:``,
    ``file:`` and every other scheme (browsers ignore whitespace and case in schemes)."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES
