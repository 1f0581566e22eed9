"""Hugo as a test client: what it reads of Markdown files' front matter (Go's YAML)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.waits import WAIT

#: A Hugo site that writes each page's front matter (``.Params``: Go's YAML, keys in
#: lower case, plus ``draft`` and ``iscjklanguage`` of Hugo's own) as JSON.
HUGO_CONFIG = """
baseURL = "http://example.invalid/"
disableKinds = ["taxonomy", "term", "home", "section", "RSS", "sitemap", "404"]
[outputs]
page = ["JSON"]
"""


def _build(texts: dict[str, str], site: Path, layout: str, *flags: str) -> Path:
    """Build a site in ``site`` (made anew) of ``texts`` (file name -> Markdown, in
    ``content/``), each page written by the JSON ``layout``; its ``public`` folder."""
    hugo = shutil.which("hugo")
    assert hugo, "Hugo is a test client here: `make system-deps` installs it"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.json").write_text(layout)
    (site / "config.toml").write_text(HUGO_CONFIG)
    (site / "content").mkdir()
    for name, text in texts.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    subprocess.run([hugo, "--quiet", "--source", str(site), *flags], check=True,
                   capture_output=True, timeout=WAIT)
    return site / "public"


def hugo_pages(texts: list[str], site: Path,
               parse_int: Callable[[str], Any] | None = None, *,
               drafts: bool = False) -> list[dict]:
    """What Hugo reads of each of ``texts`` (Markdown files) as its page's ``.Params``,
    through a site built in ``site`` (made anew); ``parse_int`` as ``json.loads`` takes
    it; with ``drafts``, as ``hugo -D`` builds them (a draft's page too)."""
    public = _build({f"m{i}.md": text for i, text in enumerate(texts)}, site,
                    "{{ .Params | jsonify }}", *(["-D"] if drafts else []))
    return [json.loads((public / f"m{i}" / "index.json").read_text("utf-8"),
                       parse_int=parse_int) for i in range(len(texts))]


def hugo_built(texts: dict[str, str], site: Path, *, drafts: bool = False) -> set[str]:
    """The pages Hugo builds of ``texts`` (file name -> Markdown, in ``content/``),
    by their names without ``.md``, through a site built in ``site`` (made anew); with
    ``drafts``, as ``hugo -D`` builds them."""
    public = _build(texts, site, "{{ .Title | jsonify }}", *(["-D"] if drafts else []))
    return {page.parent.name for page in public.glob("*/index.json")}
