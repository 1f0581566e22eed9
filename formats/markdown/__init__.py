"""Markdown files with YAML front matter: the authors' format (lossless).

Reading: :func:`split` takes the front matter from between its ``---`` lines (not
python-frontmatter's splitter, which takes any line of three or more dashes and reads
only LF line ends; the benchmark's naive baseline uses it), :mod:`converter.yamlsafe`
loads the YAML, :mod:`converter.authoring` validates and builds the model. Writing:
ruamel.yaml emits the front matter in the schema's key order with Danish letters as
they are. ``fmt`` rewrites files in that layout while keeping YAML comments (ruamel
round-trip mode).

Modules: frontmatter (decoding, the front matter split from the body), parsing (front
matter -> muscle), locating (a field's line and column, for lints), reading (a file
read, its ``yaml11-ambiguous`` warnings), styles, emitter, representers and yamlwriter
(the writer's ruamel.yaml set-up), rendering (a muscle's file text), written (the
warnings of a file written), reformatting (``fmt``'s passes and refusals), comments
(``fmt``'s comment keeping), sites (which files a folder's search takes: not a site's
section pages, ...). Each is imported on first use (a method's, or a name of
this package's): a replayed run, which reads and writes no file, imports this one alone.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter.registry import Format, ReadContext, WriteContext

if TYPE_CHECKING:
    from converter.model import Muscle

__all__ = ["SCHEMA_KEYS", "MarkdownFormat", "decode", "parse", "render", "split"]

#: The endings of a muscle file (the format's ``extensions``).
EXTENSIONS = (".md", ".markdown")

#: The module each name this package gives is made in: its modules are imported on
#: first use, so a run that uses none of them (a replayed one) imports this one alone.
_MADE_IN = {"SCHEMA_KEYS": "converter.authoring", "decode": f"{__name__}.frontmatter",
            "split": f"{__name__}.frontmatter", "parse": f"{__name__}.parsing",
            "read_path": f"{__name__}.reading", "render": f"{__name__}.rendering"}
_MODULES = frozenset({"comments", "emitter", "frontmatter", "locating", "parsing",
                      "reading", "reformatting", "rendering", "representers", "sites",
                      "styles", "written", "yamlwriter"})


def __getattr__(name: str) -> Any:
    """A name of this package (:data:`_MADE_IN`) or one of its modules, imported on
    first use."""
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _MADE_IN:  # (not kept here: a method imports what it uses)
        return getattr(importlib.import_module(_MADE_IN[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class MarkdownFormat(Format):
    name = "markdown"
    description = "Markdown files with YAML front matter, one muscle per file (the source)"
    extensions = EXTENSIONS
    validates = True
    one_muscle_per_file = True

    def writes_directory(self, options: Mapping[str, Any]) -> bool:
        return True

    def is_own(self, path: Path) -> bool:
        """Whether a file a folder's search found is a muscle's page, not a site's
        other file (:mod:`.sites`: a Hugo section page, a page bundle's resource)."""
        from .sites import is_muscle_file

        return is_muscle_file(path)

    def own_names(self, folder: str, names: Sequence[str]) -> list[bool]:
        """Which of a folder's files its search found are muscles' pages, told at once
        (:mod:`.sites`: the folder's rules worked out once, then a look at each name)."""
        from .sites import muscle_names

        return muscle_names(folder, names)

    def why_not_own(self, path: Path) -> str | None:
        """Why a search leaves out ``path`` (:func:`.sites.why_left_out`)."""
        from .sites import why_left_out

        return why_left_out(path)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        from .reading import read_path

        yield read_path(path, ctx)

    def record(self, muscle: Muscle, options: dict[str, Any]) -> str:
        """The muscle's file (a pure function of it: made where files are read, in
        parallel, and cached; rendering is most of a Markdown conversion's time)."""
        from .rendering import render

        return render(muscle, options.get("default_lang") or "en")

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
        from converter.atomic_folder import atomic_directory, safe_child
        from converter.diagnostics import counted
        from converter.slug import device_name

        from .written import _warn_if_misread, _warn_if_too_large

        count = 0
        with atomic_directory(out) as tmp:
            for slug, text in records:
                refused = device_name(slug, f"{slug}.md")
                if refused is not None:
                    ctx.report(ctx.muscle_diagnostic(slug, "slug", str(out), "reserved-name",
                                                     refused))
                    continue
                data = text.encode("utf-8")  # (bytes as rendered)
                safe_child(tmp, f"{slug}.md").write_bytes(data)
                _warn_if_too_large(out / f"{slug}.md", len(data), ctx)
                _warn_if_misread(out / f"{slug}.md", text, slug, ctx)
                count += 1
        return f"wrote {counted(count, 'files')} to {out}"

    def locate(self, path: Path, field: str) -> tuple[int, int] | None:
        from .locating import _front_matter_of, _locate

        fm = _front_matter_of(path)
        return None if fm is None else _locate(fm, field)

    def locate_key(self, path: Path, field: str) -> tuple[int, int] | None:
        from .locating import _front_matter_of, _locate

        fm = _front_matter_of(path)
        return None if fm is None else _locate(fm, field, key=True)

    def reformat(self, raw: bytes, path: str, ctx: ReadContext) -> str:
        """The file in canonical layout, keeping its YAML comments: a layout that fmt
        leaves as it is when run again (ruamel.yaml may place a moved comment anew on a
        second look, so a changed file with comments is formatted until it settles). A
        file's byte order mark and line ends stay, as the platform's, not the layout's:
        the body's byte for byte, and the front matter's those most of its lines end in
        (CRLF: git's autocrlf on Windows)."""
        from converter.diagnostics import decode_utf8

        from .reformatting import _line_ends_kept, _settled

        new = _settled(raw, path, ctx)  # (first: it says why a file is no text)
        new = _line_ends_kept(decode_utf8(raw, path), new, path)
        return "\ufeff" + new if raw.startswith(codecs.BOM_UTF8) else new
