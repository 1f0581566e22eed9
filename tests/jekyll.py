"""Jekyll as a test client: what it reads of Markdown files' front matter (Ruby's YAML).

Debian's Jekyll 4.3.1 reads front matter with ``Psych.safe_load`` (Date and Time
permitted; Debian applies upstream's patch that drops SafeYAML, jekyll/jekyll#8772).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.waits import WAIT

#: A Liquid filter of the site's own: what Jekyll read of a page's key ``k``, as
#: ``[class, value]`` (a value JSON has no word for inspected), or ``["ERROR", null]``
#: when the page's front matter failed to load (its data is then empty).
READ_AS = """
require "json"
module ReadAs
  def read_as(page)
    return JSON.generate(["ERROR", nil]) unless page["seen"]
    v = page["k"]
    out = case v
          when Float then v.nan? ? "nan" : v.infinite? ? (v > 0 ? "inf" : "-inf") : v
          when Integer, TrueClass, FalseClass, NilClass, String then v
          else v.inspect
          end
    JSON.generate([v.class.name, out])
  end
end
Liquid::Template.register_filter(ReadAs)
"""


def jekyll_reads(forms: list[str], site: Path) -> list[tuple[str, Any]]:
    """What Jekyll reads of each of ``forms`` written plain as a page's ``k: form``, as
    ``(class, value)``, through a site built in ``site`` (made anew)."""
    jekyll = shutil.which("jekyll")
    assert jekyll, "Jekyll is a test client here: `make system-deps` installs it"
    shutil.rmtree(site, ignore_errors=True)
    (site / "_plugins").mkdir(parents=True)
    (site / "_plugins" / "read_as.rb").write_text(READ_AS)
    (site / "_config.yml").write_text("quiet: true\n")
    for i, form in enumerate(forms):  # (.json: no converter, the page as Liquid makes it)
        (site / f"m{i}.json").write_text(f"---\nseen: 1\nk: {form}\n---\n"
                                         "{{ page | read_as }}\n", encoding="utf-8")
    subprocess.run([jekyll, "build", "--quiet", "--source", str(site), "--destination",
                    str(site / "_site")], check=True, capture_output=True, timeout=WAIT,
                   cwd=site)
    return [tuple(json.loads((site / "_site" / f"m{i}.json").read_text("utf-8")))
            for i in range(len(forms))]


def jekyll_built(texts: dict[str, str], site: Path, *, unpublished: bool = False
                 ) -> set[str]:
    """The pages Jekyll builds of ``texts`` (file name -> Markdown), by their names
    without ``.md``, through a site built in ``site`` (made anew); with ``unpublished``,
    as ``jekyll build --unpublished`` builds them."""
    jekyll = shutil.which("jekyll")
    assert jekyll, "Jekyll is a test client here: `make system-deps` installs it"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    (site / "_config.yml").write_text("quiet: true\n")
    for name, text in texts.items():
        (site / name).write_text(text, encoding="utf-8")
    subprocess.run([jekyll, "build", "--quiet", "--source", str(site), "--destination",
                    str(site / "_site"), *(["--unpublished"] if unpublished else [])],
                   check=True, capture_output=True, timeout=WAIT, cwd=site)
    return {page.stem for page in (site / "_site").glob("*.html")}
