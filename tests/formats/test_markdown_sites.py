"""Which Markdown files a folder's search takes for muscles (formats/markdown/sites.py):
not a Hugo or Jekyll site's other files, checked against what the real generators make
pages of."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from converter.cli import cli
from tests.conftest import SAMPLES
from tests.waits import WAIT

HUGO_TOML = 'baseURL = "http://example.invalid/"\ntitle = "Muscles"\n'


def run(*args: str):
    cached = ["--no-cache"] if args[0] != "fmt" else []
    return CliRunner().invoke(cli, [*args, *cached], catch_exceptions=False)


def page(path: Path, title: str = "", sample: str = "soleus.md") -> Path:
    """A muscle's page at ``path`` (a sample's text; only ``title`` when given: a
    section's list page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\n---\n" if title else
                    (SAMPLES / sample).read_text(encoding="utf-8"), encoding="utf-8")
    return path


def slugs(source: Path, *options: str) -> list[str]:
    """The slugs ``convert`` reads of ``source``."""
    result = run("convert", str(source), "--to", "json", "-o", "-", "-q", *options)
    assert result.exit_code == 0, result.stderr
    return [m["slug"] for m in json.loads(result.stdout)["muscles"]]


def hugo_listed(site: Path) -> set[str]:
    """The pages Hugo makes of the site ``site`` (``hugo list all``), by their paths."""
    hugo = shutil.which("hugo")
    assert hugo, "Hugo is a test client here: `make system-deps` installs it"
    listed = subprocess.run([hugo, "list", "all", "--source", str(site)], check=True,
                            capture_output=True, text=True, timeout=WAIT).stdout
    return {row["path"] for row in csv.DictReader(listed.splitlines())}


def test_section_pages_and_their_translations_are_left_out_with_a_note(
        tmp_path: Path) -> None:
    """Hugo's _index.md lists its section; it is no muscle (it was one, slug index, and
    its translations index-da..., duplicate slugs on a site of two languages)."""
    for name in ("_index.md", "_index.da.md", "_index.pt-br.md", "_index.MARKDOWN"):
        page(tmp_path / "muscles" / name, "Muscles")
    page(tmp_path / "muscles" / "soleus.md")
    page(tmp_path / "muscles" / "index-of-muscles.md", sample="deltoideus.md")
    (tmp_path / "muscles" / "_INDEX.md").write_text("---\ntitle: Upper\nslug: upper\n---\n",
                                                 encoding="utf-8")
    result = run("convert", str(tmp_path), "--to", "json", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert [m["slug"] for m in json.loads(result.stdout)["muscles"]] == [
        "index-of-muscles", "soleus", "upper"]  # (_INDEX.md: no section page to Hugo)
    assert (f"note: 4 files left out: their formats do not take them for their own "
            f"(such as {tmp_path / 'muscles' / '_index.MARKDOWN'}, a Hugo section page: "
            "name one to read it)"
            ) in result.stderr
    named = run("validate", str(tmp_path / "muscles" / "_index.da.md"))
    assert named.stderr == "1 muscle valid: 0 errors, 0 warnings\n"  # (named: read)
    assert "left out" not in run("validate", "-q", str(tmp_path)).stderr


def test_a_sections_round_trip_keeps_hugo_making_its_pages(tmp_path: Path) -> None:
    """Converting a section to JSON and back wrote its _index.md as index.md (slug:
    index), which makes the section one page bundle: Hugo made no page of its muscles."""
    site = tmp_path / "site"
    (site / "hugo.toml").parent.mkdir()
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    section = site / "content" / "muscles"
    page(section / "_index.md", "Muscles")
    page(section / "soleus.md")
    page(section / "deltoideus.md", sample="deltoideus.md")
    before = hugo_listed(site)
    assert {"content/muscles/soleus.md", "content/muscles/deltoideus.md"} <= before
    assert run("convert", str(section), "--to", "json", "-o",
               str(tmp_path / "m.json")).exit_code == 0
    for made in section.glob("[!_]*.md"):
        made.unlink()
    result = run("convert", str(tmp_path / "m.json"), "--to", "markdown", "-o",
                 str(tmp_path / "made"))
    assert result.exit_code == 0, result.stderr
    for made in (tmp_path / "made").glob("*.md"):
        made.rename(section / made.name)
    assert sorted(p.name for p in section.iterdir()) == ["_index.md", "deltoideus.md",
                                                         "soleus.md"]
    assert hugo_listed(site) == before

def test_a_page_bundles_other_markdown_files_are_its_resources(tmp_path: Path) -> None:
    """In a leaf bundle (a folder holding index.md, or a translation of it) the other
    Markdown files, and those of its folders below, are resources: Hugo makes no page
    of them. They were muscles (credits, a duplicate slug's trouble)."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    muscles = site / "content" / "muscles"
    page(muscles / "soleus" / "index.md")
    page(muscles / "soleus" / "credits.md", sample="deltoideus.md")
    page(muscles / "soleus" / "notes" / "origin.md", sample="gastrocnemius.md")
    page(muscles / "soleus" / "more" / "index.md", sample="biceps-femoris.md")
    page(muscles / "gastrocnemius" / "index.da.md", sample="gastrocnemius.md")
    page(muscles / "gastrocnemius" / "sources.markdown", sample="deltoideus.md")
    page(muscles / "deltoideus.md", sample="deltoideus.md")
    listed = hugo_listed(site)
    assert listed == {"content/muscles/soleus/index.md",
                      "content/muscles/gastrocnemius/index.da.md",
                      "content/muscles/deltoideus.md"}
    for source in (muscles, site / "content"):
        assert slugs(source) == ["deltoideus", "gastrocnemius-da", "soleus"]
    assert slugs(muscles / "soleus") == ["soleus"]  # (the bundle searched: the same)
    result = run("validate", str(muscles))
    assert "note: 4 files left out" in result.stderr
    assert slugs(muscles / "soleus" / "credits.md") == ["credits"]  # (named: read)


def hugo_build(site: Path) -> None:
    """Build the Hugo site ``site`` (its ``public/``)."""
    hugo = shutil.which("hugo")
    assert hugo, "Hugo is a test client here: `make system-deps` installs it"
    subprocess.run([hugo, "--quiet", "--source", str(site)], check=True,
                   capture_output=True, timeout=WAIT)


def jekyll_build(site: Path) -> None:
    """Build the Jekyll site ``site`` (its ``_site/``)."""
    jekyll = shutil.which("jekyll")
    assert jekyll, "Jekyll is a test client here: `make system-deps` installs it"
    subprocess.run([jekyll, "build", "--quiet", "--source", str(site), "--destination",
                    str(site / "_site")], check=True, capture_output=True, timeout=WAIT,
                   cwd=site)


ARCHETYPE = '---\ntitle: "{{ replace .Name "-" " " | title }}"\ndraft: true\n---\n'


def test_a_hugo_sites_built_output_templates_and_themes_are_left_out(
        tmp_path: Path) -> None:
    """At a Hugo site's root, public/ and resources/ (what Hugo builds: a copy of each
    static file), archetypes/ (hugo new's templates: fmt's advice broke them), layouts/
    and themes/ (a theme's exampleSite, a git submodule fmt rewrote) were searched."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    page(site / "content" / "muscles" / "soleus.md")
    page(site / "static" / "extra" / "trapezius.md", sample="trapezius.md")
    (site / "archetypes").mkdir()
    (site / "archetypes" / "default.md").write_text(ARCHETYPE, encoding="utf-8")
    page(site / "themes" / "t" / "exampleSite" / "content" / "x.md", sample="deltoideus.md")
    page(site / "layouts" / "partials" / "help.md", sample="gastrocnemius.md")
    page(site / "resources" / "_gen" / "r.md", sample="biceps-femoris.md")
    hugo_build(site)
    assert (site / "public" / "extra" / "trapezius.md").is_file()  # (Hugo's copy)
    assert slugs(site) == ["soleus"]  # (static/ too: outside content/)
    before = {p: p.read_bytes() for p in site.rglob("*.md")}
    result = run("fmt", str(site))
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in site.rglob("*.md")} == before
    assert slugs(site / "themes") == ["x"]  # (searched itself: read)


def test_a_jekyll_sites_built_output_and_drafts_are_left_out(tmp_path: Path) -> None:
    """At a Jekyll site's root, _site/ (what Jekyll builds: a copy of each file without
    front matter, an error twice) and _drafts/ were searched."""
    site = tmp_path / "site"
    page(site / "_muscles" / "soleus.md")
    (site / "_config.yml").write_text("collections:\n  muscles:\n    output: true\n",
                                      encoding="utf-8")
    (site / "notes").mkdir()
    (site / "notes" / "readme.md").write_text("# For the editors\n", encoding="utf-8")
    page(site / "_drafts" / "trapezius.md", sample="trapezius.md")
    jekyll_build(site)
    assert (site / "_site" / "notes" / "readme.md").is_file()  # (Jekyll's copy)
    result = run("validate", str(site), "--exclude", "notes/readme.md")
    assert result.exit_code == 0, result.stderr  # (readme.md: no front matter, no page)
    assert "note: 2 files left out" in result.stderr
    assert slugs(site / "_drafts") == ["trapezius"]  # (searched: read)


def test_at_a_hugo_root_only_content_holds_muscles(tmp_path: Path) -> None:
    """A search from a Hugo site's root read its README.md, the files of static/ (which
    Hugo copies as they are), assets/ and data/: only content/ holds its pages."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    page(site / "content" / "muscles" / "soleus.md")
    page(site / "README.md", "Our site")
    page(site / "static" / "extra" / "trapezius.md", sample="trapezius.md")
    page(site / "assets" / "notes" / "x.md", sample="deltoideus.md")
    page(site / "data" / "y.md", sample="gastrocnemius.md")
    assert hugo_listed(site) == {"content/muscles/soleus.md"}
    result = run("convert", str(site), "--to", "json", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert [m["slug"] for m in json.loads(result.stdout)["muscles"]] == ["soleus"]
    assert "note: 4 files left out" in result.stderr
    assert slugs(site / "static") == ["trapezius"]  # (searched itself: read)


def test_at_a_jekyll_root_its_home_page_and_own_folders_are_left_out(
        tmp_path: Path) -> None:
    """A search from a Jekyll site's root took its home page, index.md (title: Home),
    for a muscle named after the site's folder; its collections and ordinary folders
    are pages (about/team.md), as Jekyll renders them (a GitHub Pages site's
    muscles/*.md: they were left out, 0 muscles read)."""
    site = tmp_path / "site"
    page(site / "_muscles" / "soleus.md")
    page(site / "_muscles" / "index.md", sample="deltoideus.md")  # (no bundle: a page)
    (site / "_config.yml").write_text(
        "collections:\n  muscles:\n    output: true\n    permalink: /muscles/:name/\n",
        encoding="utf-8")
    page(site / "index.md", "Home")
    page(site / "about" / "team.md", "Team")
    page(site / "muscles" / "gastrocnemius.md", sample="gastrocnemius.md")
    page(site / "page.markdown", sample="trapezius.md")
    page(site / "_layouts" / "x.md", "Layout")
    page(site / "_includes" / "y.md", "Include")
    jekyll_build(site)
    built = {p.relative_to(site / "_site").as_posix() for p in (site / "_site").rglob("*")
             if p.is_file()}
    assert {"index.html", "about/team.html", "muscles/soleus/index.html",
            "muscles/index/index.html", "muscles/gastrocnemius.html",
            "page.html"} <= built  # (the home page: a page, no muscle)
    result = run("convert", str(site), "--to", "json", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert [m["slug"] for m in json.loads(result.stdout)["muscles"]] == [
        "gastrocnemius", "muscles", "page", "soleus", "team"]  # (_muscles/index.md: its
    # folder's; _layouts/, _includes/ and the home page left out)
    assert "note: 3 files left out" in result.stderr


def test_a_search_asks_the_rules_once_per_folder_not_per_file(
        tmp_path: Path, monkeypatch) -> None:
    """A folder's search asked the format's is_own of each file (a Path, its name's
    checks and a look-up per file: a replayed run of 2,000 files took a fifth longer to
    find them); it now asks which of a folder's files are muscles once per folder
    (own_names), each name then checked by how it starts: the same files left out."""
    from converter.discovery import discover
    from formats.markdown import MarkdownFormat

    def per_file(self, path: Path) -> bool:
        raise AssertionError(f"is_own asked of {path}")

    asked: list[tuple[str, int]] = []
    told = MarkdownFormat.own_names

    def counted(self, folder: str, names) -> list[bool]:
        asked.append((folder, len(names)))
        return told(self, folder, names)

    monkeypatch.setattr(MarkdownFormat, "is_own", per_file)
    monkeypatch.setattr(MarkdownFormat, "own_names", counted)
    for n in range(30):
        page(tmp_path / "muscles" / f"m-{n:02}.md")
    page(tmp_path / "muscles" / "_index.md", "Muscles")
    page(tmp_path / "muscles" / "_index.da.md", "Muskler")
    page(tmp_path / "soleus" / "index.md")
    page(tmp_path / "soleus" / "credits.md")
    inputs, problems = discover([tmp_path])
    assert problems == []
    top = f"{tmp_path}{os.sep}"
    assert asked == [(f"{top}muscles{os.sep}", 32), (f"{top}soleus{os.sep}", 2)]
    assert [i.path for i in inputs] == [  # (no Hugo site: soleus/ is no bundle)
        *(f"{top}muscles{os.sep}m-{n:02}.md" for n in range(30)),
        f"{top}soleus{os.sep}credits.md", f"{top}soleus{os.sep}index.md"]
    assert sorted(inputs.passed_over) == [f"{top}muscles{os.sep}_index.da.md",
                                          f"{top}muscles{os.sep}_index.md"]


def test_outside_a_hugo_sites_content_an_index_md_makes_no_bundle(tmp_path: Path) -> None:
    """The bundle rule held in every folder: the tool's own round trip of a muscle whose
    slug is index (written index.md) read that one file back, exit 0, the others lost;
    an index.md left out by --exclude still made its folder a bundle."""
    (tmp_path / "rt").mkdir()
    for name in ("soleus.md", "gastrocnemius.md"):
        page(tmp_path / "rt" / name, sample=name)
    (tmp_path / "rt" / "idx.md").write_text("---\ntitle: Index muscle\nslug: index\n---\n",
                                            encoding="utf-8")
    assert run("convert", str(tmp_path / "rt"), "--to", "json", "-o",
               str(tmp_path / "rt.json")).exit_code == 0
    assert run("convert", str(tmp_path / "rt.json"), "--to", "markdown", "-o",
               str(tmp_path / "md")).exit_code == 0
    assert (tmp_path / "md" / "index.md").is_file()
    assert slugs(tmp_path / "md") == ["gastrocnemius", "index", "soleus"]
    plain = tmp_path / "plain"
    page(plain / "index.md", sample="deltoideus.md")
    page(plain / "soleus.md")
    assert slugs(plain) == ["plain", "soleus"]  # (no site: a page like any other)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    bundle = site / "content" / "muscles" / "soleus"
    page(bundle / "index.md")
    page(bundle / "credits.md", sample="deltoideus.md")
    page(bundle / "notes" / "origin.md", sample="gastrocnemius.md")
    for source in (site, site / "content", bundle, bundle / "notes"):  # (root above too)
        assert slugs(source) == (["soleus"] if source != bundle / "notes" else [])
    assert slugs(bundle, "--exclude", "index.md") == ["credits", "origin"]
    page(site / "content" / "muscles" / ".muscle-convert", "ours")  # (--to markdown's)
    page(site / "content" / "muscles" / "index.md", sample="trapezius.md")
    page(site / "content" / "muscles" / "deltoideus.md", sample="deltoideus.md")
    assert slugs(site / "content" / "muscles") == ["deltoideus", "muscles", "soleus"]


def test_what_a_search_leaves_out_is_said_with_why(tmp_path: Path) -> None:
    """The note and the no-inputs hint said 'name one to see why' / 'name one to read
    it', but naming the file reads it: no reason was ever shown."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    page(site / "README.md", "Our site")
    result = run("validate", str(site))
    assert (f"{site}: warning: holds no .markdown or .md files to read ({site / 'README.md'} "
            "is not what the markdown reader takes, outside the Hugo site's content/: name "
            "it to read it) [no-inputs]") in result.stderr
    bundle = site / "content" / "soleus"
    page(bundle / "index.md")
    page(bundle / "credits.md", sample="deltoideus.md")
    page(site / "content" / "_index.md", "Muscles")
    result = run("validate", str(bundle))
    assert (f"({bundle / 'credits.md'}, a page bundle's resource "
            f"({bundle / 'index.md'} is its page): name it to read it)") in result.stderr
    result = run("validate", str(bundle / "credits.md"))
    assert result.exit_code == 0 and "left out" not in result.stderr  # (named: read)
    jekyll = tmp_path / "jk"
    (jekyll / "_config.yml").parent.mkdir()
    (jekyll / "_config.yml").write_text("title: Muscles\n", encoding="utf-8")
    page(jekyll / "index.md", "Home")
    page(jekyll / "_site" / "soleus.md")
    page(jekyll / "_drafts" / "trapezius.md", sample="trapezius.md")
    page(jekyll / "_layouts" / "x.md", "Layout")
    for left_out, why in (("index.md", "the Jekyll site's home page"),
                          ("_site/soleus.md", "in Jekyll's built site, _site/"),
                          ("_drafts/trapezius.md", "a Jekyll draft"),
                          ("_layouts/x.md", "in Jekyll's own _layouts/")):
        result = run("validate", str(jekyll), "--exclude", "*.md", "--exclude",
                     f"!{left_out}")
        assert f"({jekyll / left_out}, {why}: name it to read it)" in result.stderr
