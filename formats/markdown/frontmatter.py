"""A muscle file's text and its front matter: bytes decoded (UTF-8, NUL bytes said), and
the front matter split from the body at its ``---`` lines."""

from __future__ import annotations

import re

from converter.diagnostics import MuscleError, decode_utf8, error, wide_encoding
from converter.unmarked import unmarked_wide

#: A front-matter delimiter: a line of exactly three dashes, maybe spaces or tabs after
#: them (as Jekyll and Hugo have it).
_DELIMITER = re.compile(r"---[ \t]*")
#: The end of a line and the next line if it is three or more dashes (maybe spaces or
#: tabs after them); more than three make a delimiter to some tools, a thematic break to
#: Markdown.
_DASHES = re.compile(r"[\r\n](-{3,}[ \t]*)(?=[\r\n]|\Z)")
#: The end of a line and the next line if it is ``...`` (maybe spaces or tabs after it),
#: which closes front matter for Jekyll, not for Hugo.
_DOTS = re.compile(r"[\r\n](\.\.\.[ \t]*)(?=[\r\n]|\Z)")
#: A line end: CR, LF or CRLF, as YAML has them.
_LINE_END = re.compile(r"\r\n|\r|\n")
#: A line end that is a bare LF: the file is not a CRLF (or CR) file.
_BARE_LF = re.compile(r"(?<!\r)\n")


def decode(raw: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) -> text; diagnostics otherwise. A file whose line
    ends are all CRLF (or CR), as Windows editors write it, gets ``\\n`` ones; any other
    file is kept as it is, so a body's ``\\r`` survives (:func:`split` reads the front
    matter's CR, LF and CRLF alike)."""
    if b"\0" in raw and wide_encoding(raw) is None:  # (UTF-16 has NULs: said as such)
        raise _with_nul(raw, path)
    text = decode_utf8(raw, path)
    if "\r" in text and not _BARE_LF.search(text):  # CRLF (or CR) line ends throughout
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _with_nul(raw: bytes, path: str) -> MuscleError:
    """The error of a file holding NUL bytes: UTF-16 or UTF-32 without a byte order mark
    (``not-utf8``, see :func:`unmarked_wide`); else ``binary-file`` at the first NUL's
    line and column."""
    wide = unmarked_wide(raw, path)
    if wide is not None:
        return wide
    at = raw.index(b"\0")
    start = raw.rfind(b"\n", 0, at) + 1
    column = len(raw[start:at].decode("utf-8", "replace")) + 1
    return error(path, "binary-file", "looks like a binary file (contains NUL bytes)",
                 line=raw.count(b"\n", 0, at) + 1, column=column)


def _other_front_matter(opening: str, text: str = "", path: str = "") -> str:
    """What to add when the first line opens front matter of another kind (Hugo's TOML
    or JSON; a JSON file of muscles read as Markdown: :func:`_json_read_as_markdown`),
    or opens front matter after byte order marks (each a second one or more: the file's
    first is no text), which editors do not show: both when both are so."""
    rest = opening.lstrip("\ufeff")
    marks = len(opening) - len(rest)
    kind = "TOML" if rest.strip() == "+++" else "JSON" if rest.startswith("{") else ""
    said = []
    if marks and (kind or rest.startswith("---")):
        before = "+++" if kind == "TOML" else "{" if kind else "---"
        said.append(f"it starts with a byte order mark (U+FEFF) before the {before}, a "
                    "second one after the file's own, which editors do not show: delete it"
                    if marks == 1 else f"it starts with {marks} byte order marks (U+FEFF) "
                    f"before the {before}, more after the file's own, which editors do not "
                    "show: delete them")
    json_file = _json_read_as_markdown(text, path) if kind == "JSON" else None
    if json_file:
        said.append(json_file)
    elif kind:
        said.append(f"it opens {kind} front matter (Hugo's), which muscle-convert does not "
                    "read; write it as YAML between --- lines")
    return ": " + "; ".join(said) if said else ""


#: This format's name, as the caller names it to read a file as Markdown.
_MARKDOWN = "markdown"


def _json_read_as_markdown(text: str, path: str) -> str | None:
    """What to say of a file opening with ``{`` that is no Hugo page but a file of
    muscles read as Markdown (by ``--from markdown``): one named like another format's
    file (``.json``, ``.jsonl``: read it as that format), or whose first JSON object holds
    ``muscles`` (the json format's document: read it as JSON; to ``fmt``, which takes
    no format's name, a file to leave out); else None."""
    import json
    from pathlib import Path

    from converter.registry import detect_format, spelling

    named = spelling()
    fmt = detect_format(Path(path), for_reading=True) if path else None
    if fmt is not None and fmt.name != _MARKDOWN:
        return (f"it is named like a {fmt.name} file, and reads as one: drop "
                f"{named.given('from', _MARKDOWN)}, or use {named.given('from', fmt.name)}")
    try:
        first, _ = json.JSONDecoder().raw_decode(text.lstrip("\ufeff"))
    except ValueError:
        return None
    if not isinstance(first, dict) or "muscles" not in first:
        return None
    return ("it holds muscles as JSON, the json format's document, not front matter"
            + (f": read it with {named.given('from', 'json')}" if named.names_formats
               else ", and fmt formats only Markdown front matter: leave it out of fmt "
               f"({named.option('exclude')})"))


def split(text: str, path: str) -> tuple[str, str]:
    """Split into (front-matter YAML with ``\\n`` line ends, body as written). The YAML's
    first line is the file's line 1. Delimiters are lines of exactly ``---`` (maybe with
    spaces or tabs after them); a line of more dashes in their place is an error."""
    first = _LINE_END.search(text)
    opening = text[:first.start() if first else len(text)]
    if not opening.startswith("---"):
        raise error(path, "no-front-matter", "has no front matter (the first line must be "
                    f"---){_other_front_matter(opening, text, path)}", line=1, column=1)
    if not _DELIMITER.fullmatch(opening):
        raise error(path, "front-matter-delimiter", f"the first line is {opening!r}: "
                    "front matter opens with a line of exactly ---", line=1, column=1)
    closing = _DASHES.search(text, first.start()) if first else None
    if closing is None:
        raise _unterminated(text, first.start() if first else len(text), path)
    fm = text[len(opening):closing.start(1)]
    if "\r" in fm:
        fm = _LINE_END.sub("\n", fm)
    dashes = closing.group(1)
    if not _DELIMITER.fullmatch(dashes):
        raise error(path, "front-matter-delimiter", f"a line of {dashes.count('-')} dashes "
                    "does not close the front matter: close it with exactly ---",
                    line=fm.count("\n") + 1, column=1)
    end = _LINE_END.match(text, closing.end())
    return fm, text[end.end() if end else closing.end():]


def _unterminated(text: str, start: int, path: str) -> MuscleError:
    """``unterminated-front-matter`` of ``text``, whose first line ends at ``start``: at
    its first ``...`` line after that, if any, saying what closes front matter here."""
    dots = _DOTS.search(text, start)
    if dots is None:
        return error(path, "unterminated-front-matter",
                     "front matter is not closed by a --- line", line=1, column=1)
    line = len(_LINE_END.findall(text, 0, dots.start(1))) + 1
    return error(path, "unterminated-front-matter", "front matter is not closed by a --- "
                 "line (a line ... closes front matter for Jekyll, not Hugo: close it with "
                 "---)", line=line, column=1)
