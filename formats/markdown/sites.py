"""Which Markdown files a search of a folder takes for muscles, as a site generator
(Hugo, Jekyll) would take them for pages of their own: the rules of the format's
:meth:`~converter.formatbase.Format.is_own`. A file named as a source is always read.

- Hugo's section pages, ``_index.md`` and their translations ``_index.LANG.md``, list
  their section's pages and are never muscles.
"""

from __future__ import annotations

import re
from pathlib import Path

#: A language code in a page's name, as Hugo takes it (``da``, ``pt-br``).
_LANG = r"(?:\.[a-z]{2,3}(?:-[a-z0-9]{1,8})*)?"
#: A Hugo section page's name (``_index.md``, ``_index.da.md``, ``_index.pt-br.md``).
_SECTION = re.compile(rf"_index{_LANG}\.(?:md|markdown)", re.IGNORECASE)


def is_muscle_file(path: Path) -> bool:
    """Whether the file ``path`` a search found is one a site generator takes for a page
    of its own (a muscle's), not a section's list page."""
    return _SECTION.fullmatch(path.name) is None
