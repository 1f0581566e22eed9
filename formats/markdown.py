"""Markdown files with YAML front matter: the authors' format (lossless).

Reading: :func:`split` takes the front matter from between its ``---`` lines (not
python-frontmatter's splitter, which takes any line of three or more dashes and reads
only LF line ends; the benchmark's naive baseline uses it), :mod:`converter.yamlsafe`
loads the YAML, :mod:`converter.authoring` validates and builds the model. Writing:
ruamel.yaml emits the front matter in the schema's key order with Danish letters as
they are. ``fmt`` rewrites files in that layout while keeping YAML comments (ruamel
round-trip mode).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter import drafts
from converter.atomic_folder import atomic_directory, safe_child
from converter.authoring import (
    SCHEMA_KEYS,
    front_matter_from_muscle,
    muscle_from_front_matter,
)
from converter.diagnostics import (
    Diagnostic,
    MuscleError,
    counted,
    decode_utf8,
    error,
    wide_encoding,
)
from converter.model import (
    YAML_FLOAT,
    YAML_INT,
    ExactNumber,
    Muscle,
    TaggedFloat,
    TaggedInt,
    WrittenFloat,
    WrittenInt,
    exact_text,
    in_decimal_reach,
)
from converter.registry import MAX_BYTES, Format, ReadContext, WriteContext, spelling
from converter.slug import BUNDLE_PAGE, device_name, slug_hint, slugify
from converter.unmarked import unmarked_wide

if TYPE_CHECKING:  # (PyYAML is imported when a file is read, not by a run replayed)
    from converter import yaml11
    from converter.yamlsafe import YamlProblem

#: A field path -> its (line, column) in the file, when known.
Locate = Callable[[str], "tuple[int, int] | None"]
#: How far fmt writes a map's keys right of the key it is the value of, a list's dashes
#: right of its key, and an item's keys right of its dash.
_STEP_IN = 2
#: Where a step of a field path begins (``.key``, ``[0]``).
_STEP = re.compile(r"[.\[]")

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

#: No folding: one line per value, as authors write it (ruamel folds a long plain text at
#: a space, and a run of spaces folded there reads back one space short).
_WIDTH = sys.maxsize
#: Passes fmt makes at most after the first, for a layout with comments to settle (each
#: one tells whether the layout before it is kept).
_PASSES = 3
#: Comments fmt keeps in one file at most (ruamel.yaml joins a run of comment lines by
#: adding each to the text of those before it: 80,000 lines take 4 s, 1,000,000 minutes).
MAX_COMMENTS = 10_000
_SEPARATORS = re.compile("[\x85\u2028\u2029]")
#: Text a ``|`` block can hold as it is: no control characters, line separators, byte
#: order marks or the two characters YAML cannot hold raw (U+FFFE, U+FFFF).
_PRINTABLE_BLOCK = re.compile(
    r"^(?!\s)[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]*$", re.S)


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


def _other_front_matter(opening: str) -> str:
    """What to add when the first line opens front matter of another kind (Hugo's TOML
    or JSON), or opens front matter after byte order marks (each a second one or more:
    the file's first is no text), which editors do not show: both when both are so."""
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
    if kind:
        said.append(f"it opens {kind} front matter (Hugo's), which muscle-convert does not "
                    "read; write it as YAML between --- lines")
    return ": " + "; ".join(said) if said else ""


def split(text: str, path: str) -> tuple[str, str]:
    """Split into (front-matter YAML with ``\\n`` line ends, body as written). The YAML's
    first line is the file's line 1. Delimiters are lines of exactly ``---`` (maybe with
    spaces or tabs after them); a line of more dashes in their place is an error."""
    first = _LINE_END.search(text)
    opening = text[:first.start() if first else len(text)]
    if not opening.startswith("---"):
        raise error(path, "no-front-matter", "has no front matter (the first line must be "
                    f"---){_other_front_matter(opening)}", line=1, column=1)
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


def parse(text: str, path: str, slug_hint: str, default_lang: str,
          located: Callable[[Muscle, Locate], None] | None = None) -> Muscle:
    """Text of one muscle file -> :class:`Muscle` (or :class:`MuscleError`); ``located``
    is called with the muscle and a function giving any field's line and column."""
    return _parsed(*split(text, path), path, slug_hint, default_lang, located)


def _parsed(fm: str, body: str, path: str, slug_hint: str, default_lang: str,
            located: Callable[[Muscle, Locate], None] | None = None) -> Muscle:
    """:func:`parse` of a file split already into its front matter ``fm`` and ``body``."""
    data, node, keys = _load(fm, path)
    return _built(fm, data, node, body, path, slug_hint, default_lang, located, keys)


def _load(fm: str, path: str) -> tuple[Any, Any, list[Diagnostic]]:
    """The front matter ``fm``'s data, its node tree (:mod:`converter.yamlsafe`) and the
    ``wrong-type`` error of each key that is not text (``1:``), left out of the data."""
    from converter import yamlsafe

    keys: list[yamlsafe.YamlProblem] = []
    try:
        data, node = yamlsafe.load_with_nodes(fm, keys)
    except yamlsafe.YamlProblem as problem:
        raise MuscleError(_diagnostic(path, problem)) from None
    return data, node, [_diagnostic(path, problem) for problem in keys]


def _diagnostic(path: str, problem: YamlProblem) -> Diagnostic:
    """The error of a YAML problem of the file at ``path`` (the YAML's line 0 is the
    file's 1)."""
    line = None if problem.line is None else problem.line + 1
    column = None if problem.column is None else problem.column + 1
    return Diagnostic(path, line, column, problem.field, problem.code, problem.message)


def _built(fm: str, data: Any, node: Any, body: str, path: str, slug_hint: str,
           default_lang: str, located: Callable[[Muscle, Locate], None] | None = None,
           keys: list[Diagnostic] | None = None) -> Muscle:
    """:func:`parse`'s muscle of the front matter ``fm``, loaded (``data``; ``node``: its
    tree; ``keys``: the errors of keys that are not text, said with the muscle's own)."""
    from converter import yamlsafe

    def place(steps: tuple[str | int, ...], key: bool) -> tuple[int, int] | None:
        """Where the value (with ``key``, the key) the keys ``steps`` lead to is (the
        YAML's line 0 is the file's 1)."""
        found = yamlsafe.locate(fm, steps, key=True) if key else \
            yamlsafe.find(node, steps)
        return (found[0] + 1, found[1] + 1) if found else None

    def find(field: str) -> tuple[int, int] | None:
        return place(yamlsafe.steps(field), False)

    try:
        muscle = muscle_from_front_matter(data, path=path, slug_hint=slug_hint, body=body,
                                          default_lang=default_lang, place=place,
                                          slug_kept=True)
    except MuscleError as exc:
        if not keys:
            raise
        raise MuscleError([*keys, *_not_emptied(exc.diagnostics, keys)],
                          exc.partial) from None
    if keys:
        raise MuscleError(keys, muscle)
    if located is not None:
        located(muscle, find)
    return muscle


def _not_emptied(found: list[Diagnostic], keys: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` without the ``missing-field`` error of a map that holds a key of
    ``keys`` (``short: {1: x}`` needs no text: it has a key in error already)."""
    holding = {d.field[:m.start()] for d in keys for m in _STEP.finditer(d.field)}
    return [d for d in found if d.code != "missing-field" or d.field not in holding]


def _locate(fm: str, field: str, *, key: bool = False) -> tuple[int, int] | None:
    """File line and column (1-based) of a field path in front-matter YAML (the
    YAML's line 0 is the file's line 1); with ``key``, of the key that names it. The
    paths asked so (a lint's) are the schema's and keys without dots: each step is a
    key of its own, never a key ``origin.da`` of extra beside ``origin:``'s ``da``."""
    from converter import yamlsafe

    found = yamlsafe.locate(fm, yamlsafe.steps(field), key=key)
    return (found[0] + 1, found[1] + 1) if found else None


@lru_cache(maxsize=1)
def _front_matter(path: str, size: int, mtime_ns: int) -> str:
    """The front matter of a file, kept for the next field asked of the same file
    (size and mtime in the key, so an edited file is read again)."""
    return split(decode(Path(path).read_bytes(), path), path)[0]


def _front_matter_of(path: Path) -> str | None:
    """The front matter of the file at ``path`` (see :func:`_front_matter`), or None
    when it cannot be read."""
    try:
        st = path.stat()
        return _front_matter(str(path), st.st_size, st.st_mtime_ns)
    except (OSError, MuscleError):
        return None


def read_path(path: Path, ctx: ReadContext) -> Muscle:
    """Read and validate one muscle file, enforcing the size limit; a ``yaml11-ambiguous``
    warning for each plain text in ``extra`` that Jekyll or Hugo read as no text (in a
    muscle with errors too, among the keys of its valid fields)."""
    name = str(path)
    fm, body = split(decode(ctx.read_bytes(path), name), name)
    try:
        muscle = _parsed(fm, body, name, _hint(path), ctx.default_lang, ctx.located)
    except MuscleError as exc:
        if exc.partial is not None:
            _report_misread(exc.partial, fm, name, ctx)
        raise
    _report_misread(muscle, fm, name, ctx)
    return muscle


def _report_misread(muscle: Muscle, front: str, name: str, ctx: ReadContext) -> None:
    """A ``yaml11-ambiguous`` warning for each plain text of ``muscle``'s extra keys in
    its file's front matter ``front`` that Jekyll or Hugo read as no text (but a draft
    marker's, whose is an error)."""
    for warning in _misread_warnings(muscle, front, name):
        ctx.report(warning)


def _misread_warnings(muscle: Muscle, front: str, name: str) -> list[Diagnostic]:
    """The ``yaml11-ambiguous`` warnings of :func:`_report_misread` (the front matter
    ``front`` of the file ``name``, of which ``muscle`` was read)."""
    return [Diagnostic(name, found.line + 1, found.column + 1, found.field,
                       "yaml11-ambiguous", f"{found.message()} and in every format it is "
                       f"converted to: write {found.instead()}", "warning")
            for found in _misread(muscle, front, drafts.keys_in(muscle.extra))]


#: A plain ``-0`` (the integer negative zero of ``extra``) as the writer writes it: a
#: value after ``: `` or a list's ``- `` (a file without one is not read again).
_PLAIN_MINUS_ZERO = re.compile(r"(?<=[ \[{,])-0(?![\w.])")


def _warn_if_misread(path: Path, text: str, slug: str, ctx: WriteContext) -> None:
    """The ``yaml11-ambiguous`` warnings ``validate`` gives of the file written at
    ``path`` (``text``): a ``-0`` of ``extra``, which every format writes so, is 0 to
    Jekyll and Hugo. None where the muscle was read from a Markdown file, whose reader
    warned of it there."""
    if "-0" not in text or not _PLAIN_MINUS_ZERO.search(text):
        return
    source = ctx.sources.get(slug)
    if source is not None and Path(source.path).suffix.lower() in MarkdownFormat.extensions:
        return
    try:
        front, body = split(text, str(path))
        muscle = _parsed(front, body, str(path), slug, str(ctx.option("default_lang", "en")))
    except MuscleError:  # (not reached: the writer writes what its reader reads)
        return
    for warning in _misread_warnings(muscle, front, str(path)):
        ctx.report(warning)


def _hint(path: str | Path) -> str:
    """The text a file's slug comes from without a ``slug`` key: its name, or a page
    bundle's folder (``soleus/index.md``)."""
    return slug_hint(path, MarkdownFormat.extensions)


def _misread(muscle: Muscle, front: str, skip: frozenset[str] = frozenset()
             ) -> list[yaml11.Misread]:
    """The plain texts of ``muscle``'s extra keys (but ``skip``) in its file's front
    matter ``front`` (as its caller split it) that a YAML 1.1 reader (Jekyll, Hugo)
    reads as something else, and its values tagged ``!`` that one reads otherwise than
    this tool (``! 7``; the muscle's own fields are text by the schema, and written
    quoted for those readers' sake)."""
    from converter import yaml11

    if not muscle.extra:
        return []
    if not yaml11.may_misread(muscle.extra) and not yaml11.may_be_tagged(front):
        return []
    return yaml11.misreads_in(front, muscle.extra.keys() - skip)


#: Each thread's ruamel.yaml instances, by width (see :func:`_yaml`).
_PER_THREAD = threading.local()


def _yaml(width: int = _WIDTH) -> Any:
    """This thread's ruamel.yaml instance: one a file cost 5.7 kB that only the cyclic
    collector frees, and a run pauses it (170 MB over 20,000 files); one a process broke
    threads writing at once (an instance holds the document it is emitting or reading:
    ``EmitterError: expected NodeEvent``)."""
    made: dict[int, Any] = _PER_THREAD.__dict__.setdefault("instances", {})
    if width not in made:
        made[width] = _new_yaml(width)
    return made[width]


@contextlib.contextmanager
def _yaml_used(width: int = _WIDTH) -> Iterator[Any]:
    """This thread's instance (:func:`_yaml`), forgotten when its use fails in any way (a
    value it cannot represent, a ``KeyboardInterrupt``): ruamel does not reset it then,
    and its next dump would go into the failed one's stream, leaving the file's front
    matter empty."""
    try:
        yield _yaml(width)
    except BaseException:
        _PER_THREAD.__dict__.get("instances", {}).pop(width, None)
        raise


def _new_yaml(width: int) -> Any:
    """A ruamel.yaml instance writing the layout of muscle files, ``width`` wide."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.Representer = _representer()  # (before y.representer, which makes one of it)
    y.Emitter = _emitter()
    y.allow_unicode = True
    y.width = width
    y.indent(mapping=_STEP_IN, sequence=2 * _STEP_IN, offset=_STEP_IN)
    return y


@cache
def _representer() -> type:
    """ruamel's round-trip representer with this writer's representers. They go into a
    subclass of its own: ``add_representer`` is a classmethod, and one added to
    ``RoundTripRepresenter`` would change every ruamel dump of the process, a caller's
    own too (NaN written ``!!float 'nan.0'``)."""
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return isinstance(data, Decimal) or bool(super().ignore_aliases(data))

    Representer.add_representer(float, _represent_float)
    Representer.add_representer(WrittenFloat, _represent_written)
    Representer.add_representer(ExactNumber, _represent_exact)
    Representer.add_multi_representer(Decimal, _represent_exact)  # (one given by hand)
    Representer.add_representer(WrittenInt, _represent_written_int)
    Representer.add_representer(TaggedInt, _represent_tagged)
    Representer.add_representer(TaggedFloat, _represent_tagged)
    Representer.add_representer(_AsWritten, lambda representer, value: (
        representer.represent_scalar("tag:yaml.org,2002:str", str(value),
                                     style=_AS_WRITTEN)))
    for base in _PLAIN_BASES:  # (a subclass not given a representer above: StrEnum)
        Representer.add_multi_representer(base, _represent_as_base)
    return Representer


#: The types whose subclasses (``enum.StrEnum``, ``enum.IntEnum``, a ``class S(str)``)
#: are written as their base's value, byte for byte, as every other writer writes them.
_PLAIN_BASES: tuple[type, ...] = (str, int, float)


def _represent_as_base(representer: Any, value: Any) -> Any:
    """``value``, of a subclass of a :data:`_PLAIN_BASES` type, as that type's value (its
    ``str``, ``int`` or ``float`` methods, not the subclass's: an enum's name is not its
    value)."""
    plain = (str.__str__(value) if isinstance(value, str) else
             int.__int__(value) if isinstance(value, int) else float.__float__(value))
    return representer.represent_data(plain)


#: The style of a number written plain after its tag (``!!float 12``, ``!!int 0x1F``),
#: which ruamel would quote, as it quotes every tagged scalar that YAML reads as another
#: type untagged (or leave untagged, where its YAML 1.2 reads it as the number).
_TAGGED_PLAIN = "p"

#: The style of a scalar written as its source text (:class:`_AsWritten`), untagged.
_AS_WRITTEN = "w"


class _AsWritten(str):
    """A scalar's source text (``1_000``, ``'Off'``), which fmt writes as it is."""


@cache
def _emitter() -> type:
    """ruamel's round-trip emitter, but for a scalar of style :data:`_TAGGED_PLAIN`,
    and a key that holds a line break, which it writes as a simple key."""
    from ruamel.yaml.emitter import RoundTripEmitter
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.events import ScalarEvent
    from ruamel.yaml.tokens import CommentToken

    class Emitter(RoundTripEmitter):  # type: ignore[misc]
        #: Where the stream ended after a block text, the column of its lines and
        #: whether it is keep-chomped (``|+``, ``>+``): a line written there that is
        #: indented as far, or a blank one after a kept text, would be the text's.
        block_end: tuple[int, int, bool] | None = None

        def write_literal(self, text: Any, comment: Any = None) -> None:
            super().write_literal(text, comment)
            self._mark_block_end(text)

        def write_folded(self, text: Any, comment: Any) -> None:
            super().write_folded(text, comment)
            self._mark_block_end(text)

        def _mark_block_end(self, text: Any) -> None:
            """Where a block text ends; no ``...`` after it (ruamel's, as the
            document's end would be open, writes one after a kept text: it ends the
            front matter for Jekyll and makes it no YAML; the ``---`` below ends the
            text too)."""
            kept = self.determine_block_hints(text)[2] == "+"
            self.block_end = (self.stream.tell(), self.indent or 0, kept)
            self.open_ended = False

        def write_comment(self, comment: Any, pre: bool = False) -> None:
            """A comment token's lines, but those it would write directly after a block
            text (a moved key's, the front matter's last) as the text's: blank ones
            after a kept text are left out, and comment lines indented as far as the
            text's are written a step left of it."""
            if self.block_end is None or self.block_end[0] != self.stream.tell():
                super().write_comment(comment, pre)
                return
            _, column, kept = self.block_end
            value = comment.value  # (its first line at its column, as ruamel writes it)
            lines = (value if value[:1] == "\n" else
                     " " * comment.start_mark.column + value).split("\n")
            while kept and lines and not lines[0].strip():
                lines.pop(0)
            if not lines:
                return
            self.block_end = None  # (the rest is the token's from a line's start on)
            for at, line in enumerate(lines):
                if line.strip() and len(line) - len(line.lstrip(" ")) < column:
                    break
                if line.strip():
                    lines[at] = " " * max(column - _STEP_IN, 0) + line.lstrip(" ")
            super().write_comment(CommentToken("\n".join(lines), CommentMark(0)), pre)

        def choose_scalar_style(self) -> Any:
            """Plain for a number so tagged, its tag written, else as ruamel chooses."""
            if self.event.style == _AS_WRITTEN:
                self.analysis = self.analysis or self.analyze_scalar(self.event.value)
                self.event.implicit = (True, True)
                return ""
            if self.event.style != _TAGGED_PLAIN:
                return super().choose_scalar_style()
            self.analysis = self.analysis or self.analyze_scalar(self.event.value)
            self.event.implicit = (False, False)
            return ""

        def check_simple_key(self) -> bool:
            """Whether the key is written on its line (``"k\\N": 1``): a text that
            holds a line break (U+0085, U+2028, ``\\n``) too, and one of up to
            :data:`_KEY_LIMIT` characters as written, which ruamel wrote as a complex
            key (``? "k\\N"`` and ``: 1`` below it; ruamel's limit is 128); a key
            with a line break is written double-quoted, the break an escape (not plain
            or single-quoted: the analysis keeps its line breaks)."""
            if super().check_simple_key():
                return True
            if not isinstance(self.event, ScalarEvent):
                return False
            analysis = self.analysis
            multiline, analysis.multiline = analysis.multiline, False
            self.MAX_SIMPLE_KEY_LENGTH = sys.maxsize
            try:
                return bool(super().check_simple_key()) \
                    and self._key_length(multiline) <= _KEY_LIMIT
            finally:
                analysis.multiline = multiline
                del self.MAX_SIMPLE_KEY_LENGTH

        def _key_length(self, multiline: bool) -> int:
            """How long the key is written, at most: its text alone where it is
            written plain, else quoted, a character that may be escaped counted as its
            escape (``\\n``, ``''``), else as the longest (``\\U`` and eight hex
            digits); its tag and anchor with it, where they are written."""
            value, analysis, implicit = self.event.value, self.analysis, self.event.implicit
            plain = not self.event.style and implicit[0] and not multiline \
                and not analysis.empty and analysis.allow_block_plain
            tag = self.prepared_tag if not implicit[0 if plain else 1] else None
            extra = sum(len(part) + 2 for part in (self.prepared_anchor, tag) if part)
            if plain:
                return extra + len(value)
            longer = sum(1 if ch in self.ESCAPE_REPLACEMENTS or ch == "'" else
                         9 if not ch.isprintable() else 0 for ch in value)
            return extra + len(value) + 2 + longer

    return Emitter


#: The longest key, as written (quotes and escapes too), that YAML reads on its line
#: (libyaml, Jekyll's, Go's, Hugo's, and PyYAML alike): a longer one is written as a
#: complex key (``? key`` and ``: value`` below it).
_KEY_LIMIT = 1024


def _represent_float_text(representer: Any, text: str) -> Any:
    """A float written ``text``: plain, and tagged when YAML reads it as a whole number
    untagged (``!!float 12``)."""
    style = _TAGGED_PLAIN if YAML_INT.match(text) else None
    return representer.represent_scalar("tag:yaml.org,2002:float", text, style=style)


def _represent_written(representer: Any, value: WrittenFloat) -> Any:
    """A float of ``extra`` as its source wrote it (``0.10`` stays ``0.10``, and
    ``!!float 12`` so), where YAML reads that as the float (not JSON's ``1E5``); one
    whose exponent is past a ``Decimal``'s, which no float holds (JSON's
    ``1e-99999999999999999999``, 0.0 as a float), as YAML writes that text
    (``1.0e-99999999999999999999``)."""
    if YAML_FLOAT.match(value.text) or YAML_INT.match(value.text):
        return _represent_float_text(representer, value.text)
    if in_decimal_reach(value.text) != value.text:
        mantissa, _, exponent = value.text.lower().partition("e")
        return _represent_float_text(representer, (
            f"{mantissa if '.' in mantissa else mantissa + '.0'}e"
            f"{exponent if exponent[:1] in '+-' else '+' + exponent}"))
    return _represent_float(representer, value)


def _represent_written_int(representer: Any, value: WrittenInt) -> Any:
    """A whole number of ``extra`` as its source wrote it (``+1`` stays ``+1``)."""
    return representer.represent_scalar("tag:yaml.org,2002:int", value.text)


def _represent_tagged(representer: Any, value: TaggedInt | TaggedFloat) -> Any:
    """A number of ``extra`` as its source wrote it after its tag (``!!int 0x1F``,
    ``!!float 1_000``), which YAML reads untagged as text."""
    tag = "int" if isinstance(value, TaggedInt) else "float"
    return representer.represent_scalar(f"tag:yaml.org,2002:{tag}", value.text,
                                        style=_TAGGED_PLAIN)


def _represent_exact(representer: Any, value: Decimal) -> Any:
    """A number no float holds, exactly (as written, when YAML reads that as it; a
    whole one but ``-0`` was a float, ``!!float 12345678901234567890``)."""
    text = exact_text(value, yaml=True)
    if text == "-0":
        return representer.represent_scalar("tag:yaml.org,2002:int", text)
    return _represent_float_text(representer, text)


def _represent_float(representer: Any, value: float) -> Any:
    """Floats as YAML 1.1 readers (PyYAML) recognise them: ``1e-09`` -> ``1.0e-09``."""
    text = repr(value)
    if "." not in text:
        text = text.replace("e", ".0e", 1) if "e" in text else text + ".0"
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def _literal_blocks(value: Any) -> Any:
    """Multi-line text as ``|`` block scalars, which read like the text itself; text with
    Unicode line separators double-quoted (ruamel would write them raw, and a YAML
    reader folds raw separators into spaces), and so is text that a YAML 1.1 reader
    would take for something else (:func:`~converter.yamlsafe.plain_misread`: ruamel
    writes ``no`` or ``1,2,3`` plain, which YAML 1.2 reads as text, but Jekyll and Hugo
    would not)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    from converter.yamlsafe import plain_misread

    if isinstance(value, dict):  # (keys quoted by the same rules)
        return {DoubleQuotedScalarString(k) if _SEPARATORS.search(k) or plain_misread(k)
                else k: _literal_blocks(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal_blocks(v) for v in value]
    if not isinstance(value, str):
        return value
    if _SEPARATORS.search(value) or plain_misread(value):
        return DoubleQuotedScalarString(value)
    if "\n" in value.rstrip("\n") and _PRINTABLE_BLOCK.match(value) \
            and not any(line != line.rstrip() for line in value.split("\n")):
        return LiteralScalarString(value)
    return value


def render(muscle: Muscle, default_lang: str = "en", *, data: Any = None) -> str:
    """The canonical file text of a muscle (``data``: a ruamel document to emit instead)."""
    stream = io.StringIO()
    if data is None:
        front = front_matter_from_muscle(muscle, default_lang)
        if muscle.slug == BUNDLE_PAGE:  # (index.md would take its folder's name)
            front = {"slug": muscle.slug, **front}
        data = _literal_blocks(front)
    with _yaml_used() as yaml:
        yaml.dump(data, stream)
    front = stream.getvalue()
    if not front:  # (a map is at least "{}": nothing written is a broken instance)
        _PER_THREAD.__dict__.get("instances", {}).pop(_WIDTH, None)
        raise RuntimeError(f"the YAML writer wrote no front matter for {muscle.slug!r}")
    return f"---\n{front}---\n{muscle.body}"


class MarkdownFormat(Format):
    name = "markdown"
    description = "Markdown files with YAML front matter, one muscle per file (the source)"
    extensions = (".md", ".markdown")
    validates = True
    one_muscle_per_file = True

    def writes_directory(self, options: Mapping[str, Any]) -> bool:
        return True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        yield read_path(path, ctx)

    def record(self, muscle: Muscle, options: dict[str, Any]) -> str:
        """The muscle's file (a pure function of it: made where files are read, in
        parallel, and cached; rendering is most of a Markdown conversion's time)."""
        return render(muscle, options.get("default_lang") or "en")

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
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
        fm = _front_matter_of(path)
        return None if fm is None else _locate(fm, field)

    def locate_key(self, path: Path, field: str) -> tuple[int, int] | None:
        fm = _front_matter_of(path)
        return None if fm is None else _locate(fm, field, key=True)

    def reformat(self, raw: bytes, path: str, ctx: ReadContext) -> str:
        """The file in canonical layout, keeping its YAML comments: a layout that fmt
        leaves as it is when run again (ruamel.yaml may place a moved comment anew on a
        second look, so a changed file with comments is formatted until it settles). A
        file's byte order mark and line ends stay, as the platform's, not the layout's:
        the body's byte for byte, and the front matter's those most of its lines end in
        (CRLF: git's autocrlf on Windows)."""
        new = _settled(raw, path, ctx)  # (first: it says why a file is no text)
        new = _line_ends_kept(decode_utf8(raw, path), new, path)
        return "\ufeff" + new if raw.startswith(codecs.BOM_UTF8) else new


def _line_ends_kept(text: str, new: str, path: str) -> str:
    """The layout ``new`` (``\\n`` line ends) of the file ``text`` (as written) with
    ``text``'s body, and its front matter's line ends (its delimiters' included) those
    most of ``text``'s front matter lines end in (``\\n`` where as many end in
    another)."""
    body = split(text, path)[1]
    ends = Counter(_LINE_END.findall(text, 0, len(text) - len(body)))
    end = max(("\n", "\r\n", "\r"), key=lambda kind: ends[kind])
    front = new[:len(new) - len(split(new, path)[1])]
    return front.replace("\n", end) + body


def _warn_if_too_large(path: Path, size: int, ctx: WriteContext) -> None:
    """A ``file-too-large`` warning for a file written (``size`` bytes) that reading
    refuses by default (over :data:`~converter.registry.MAX_BYTES`), naming the limit
    to give as the caller names it (``--max-bytes N``, or ``max_bytes=N``)."""
    if size > MAX_BYTES:
        ctx.report(Diagnostic(str(path), None, None, "", "file-too-large",
                              f"is {size} bytes, over the limit of {MAX_BYTES} that "
                              f"reading takes by default: read it back with "
                              f"{spelling().given('max_bytes', size)}", "warning"))


def _settled(raw: bytes, path: str, ctx: ReadContext) -> str:
    """:meth:`MarkdownFormat.reformat`'s layout, with ``\\n`` line ends."""
    text = decode(raw, path)
    new = _reformat(text, path, ctx.default_lang)
    for _ in range(_PASSES):
        if new == text or "#" not in split(new, path)[0]:
            return new
        try:
            text, new = new, _reformat(new, path, ctx.default_lang)
        except MuscleError as exc:
            raise _unsettled(raw, path, exc.diagnostics[0].message) from None
    if new == text:
        return new
    raise _unsettled(raw, path, "the comments move on every pass")


def _reformat(text: str, path: str, default_lang: str) -> str:
    """One pass of :meth:`MarkdownFormat.reformat`."""
    fm, body = split(text, path)
    front, node, keys = _load(fm, path)
    hint = _hint(path)
    muscle = _built(fm, front, node, body, path, hint, default_lang, keys=keys)
    markers = drafts.keys_in(muscle.extra)  # (quoted, a marker is validate's error)
    misread = [found for found in _misread(muscle, fm) if not found.kept_by_fmt()
               and (found.quotes() or found.field not in markers)]  # (draft: ! true is
    if misread:  # a draft to Hugo written draft: true too)
        raise MuscleError([Diagnostic(
            path, found.line + 1, found.column + 1, found.field, "fmt-would-change",
            f"{found.message()}; fmt would {found.changed_by_fmt()} and change what they "
            "read: write "
            f"{drafts.advice(found.field) if found.field in markers else found.instead()}")
            for found in misread])
    data: Any = _literal_blocks(front_matter_from_muscle(muscle, default_lang))
    if "slug" in front or muscle.slug != slugify(hint):
        data = {"slug": _slug_written(fm, front, muscle.slug), **data}
    if "#" not in fm:
        return render(muscle, data=data)
    from converter import yamlsafe

    found = yamlsafe.comments(fm)
    if len(found) > MAX_COMMENTS:
        line, column, _ = found[MAX_COMMENTS]
        raise error(path, "fmt-too-many-comments", f"has {len(found)} comments; fmt keeps "
                    f"{MAX_COMMENTS} at most (the time its comment-keeping reader takes "
                    "grows with the square of a run of comment lines); the file is left as "
                    "it is", line=line + 1, column=column + 1)
    new = _render_keeping_comments(muscle, data, fm, path)
    try:
        again = parse(new, path, hint, default_lang)
    except MuscleError as exc:  # (ruamel.yaml wrote what reads as no YAML)
        line, column, _ = found[0]
        raise error(path, "fmt-cannot-keep-comments", "fmt's comment-keeping YAML writer "
                    "(ruamel.yaml) would put this front matter's comments into text that "
                    f"reads as no YAML ({exc.diagnostics[0].message}); the file is left as "
                    "it is", line=line + 1, column=column + 1) from None
    if again != muscle:
        raise _would_change(path, fm, front, split(new, path)[0],
                            (muscle, again), default_lang)
    _check_comments_kept(found, split(new, path)[0], path)
    return new


def _would_change(path: str, fm: str, front: Any, new: str,
                  muscles: tuple[Muscle, Muscle], default_lang: str) -> MuscleError:
    """``fmt-would-change`` of the front matter ``fm`` (loaded: ``front``), whose muscle
    fmt's layout with comments kept (``new``) reads back as another (``muscles``: the
    file's, then that one): at the key of the first field whose value differs, where the
    file has it, else at the first line of ``fm`` that ``new`` does not keep."""
    was, then = ({"slug": m.slug, **front_matter_from_muscle(m, default_lang),
                  None: m.body} for m in muscles)  # (None: the body, no key)
    key = next((k for k in [*was, *then] if was.get(k) != then.get(k)), None)
    from converter import yamlsafe

    found = yamlsafe.locate(fm, (key,), key=True) if key is not None and key in front else None
    if found is None:
        key, old = None, fm.split("\n")
        found = (next((at for at, (a, b) in enumerate(zip(old, new.split("\n"), strict=False))
                       if a != b), min(len(old) - 1, new.count("\n") + 1)), 0)
    return error(path, "fmt-would-change", "fmt would change the muscle's data with its "
                 "comments kept; the file is left as it is", field=key or "",
                 line=found[0] + 1, column=found[1] + 1)


def _slug_written(fm: str, front: Any, slug: str) -> Any:
    """The ``slug`` key fmt writes of the front matter ``fm`` (loaded: ``front``) of a
    muscle whose slug is ``slug``: its own, which Hugo and Jekyll make the page's address
    of (``slug: Rectus Femoris`` too: written rectus-femoris, the address could change),
    as written on its line (plain ``1_000`` is 1000 to Jekyll, ``"1_000"`` is not), else
    ``slug``."""
    if "slug" not in front:
        return _literal_blocks(slug)
    from converter import yamlsafe

    root = yamlsafe.compose(fm)
    pairs = root.value if root is not None and root.tag.endswith(":map") else []
    for key, value in reversed(pairs):  # (the last of a key given twice is read)
        if getattr(key, "value", None) == "slug" and getattr(value, "style", 1) in (
                None, "", "'", '"'):  # (plain: "" or None)
            text = fm[value.start_mark.index:value.end_mark.index]
            if "\n" not in text and (text[:1] == value.style == text[-1:]
                                     or (not value.style and text == value.value)):
                return _AsWritten(text)
            break
    return _literal_blocks(str(front["slug"]))


def _unsettled(raw: bytes, path: str, why: str) -> MuscleError:
    """``fmt-unsettled``, at the file's first comment that ``why`` quotes (else its
    first comment): its layout with comments kept would not be kept by the next fmt."""
    from converter import yamlsafe

    found = yamlsafe.comments(split(decode(raw, path), path)[0])
    line, column, _ = next((c for c in found if repr(c[2]) in why),
                           found[0] if found else (0, 0, ""))
    return error(path, "fmt-unsettled", "fmt cannot give this file's comments a place "
                 f"that a second fmt keeps ({why}); the file is left as it is",
                 line=line + 1, column=column + 1)


def _render_keeping_comments(muscle: Muscle, data: Any, fm: str, path: str) -> str:
    """The canonical text ``data`` of ``muscle`` with the comments of the front matter
    ``fm``; ``fmt-cannot-keep-comments`` where ruamel's round-trip reader, stricter
    than libyaml in places (a tab after a value), cannot read ``fm``."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        with _yaml_used() as yaml:
            original = yaml.load(fm)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(path, "fmt-cannot-keep-comments", "fmt's comment-keeping YAML reader "
                    f"cannot read this front matter ({exc.problem}); the file is left as "
                    "it is", line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None) from None
    from converter import keyedcomments

    canonical = _keep_comments(original, _commented(data))
    keyedcomments.trim_start(canonical)
    keyedcomments.trim_end(canonical)
    return render(muscle, data=canonical)


def _check_comments_kept(old: list[tuple[int, int, str]], new: str, path: str) -> None:
    """Refuse (``fmt-would-drop-comment``, at the first such comment) when a comment of
    the old front matter (``old``: its comments) is not in ``new``: fmt never loses what
    authors wrote."""
    from converter import yamlsafe

    left = Counter(text for _, _, text in yamlsafe.comments(new))
    for line, column, text in old:
        if left[text] == 0:
            raise error(path, "fmt-would-drop-comment",
                        f"fmt has no place for the comment {text!r} in the canonical "
                        "layout (its value is not written there, or ruamel.yaml, which "
                        "keeps the comments, cannot hold it there); the file is left as "
                        "it is", line=line + 1, column=column + 1)
        left[text] -= 1


def _commented(value: Any) -> Any:
    """Plain dicts and lists -> ruamel's commented containers (scalars as they are), so
    comments can be attached and the writer's own representers still apply."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _keep_comments(original: Any, canonical: Any, above: list[Any] | None = None, *,
                   document: bool = True, column: int = 0, below: int = 0) -> Any:
    """Carry comments from ``original`` over to the equal-valued parts of ``canonical``
    (``above``: a map value's comment list in its parent map, ``document``: whether
    ``original`` is the whole front matter, ``column``: where fmt writes its keys, or
    its dashes, ``below``: the column of the line below ``original``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from converter import keyedcomments

    if isinstance(original, CommentedMap) and isinstance(canonical, CommentedMap):
        _keep_map_comments(original, canonical, above, document=document, column=column,
                           below=below)
    elif isinstance(original, CommentedSeq) and isinstance(canonical, CommentedSeq):
        if original.ca.comment:
            canonical.ca.comment = original.ca.comment
        if original.ca.end:  # after the last item: a "- # note" item's comment is here
            canonical.ca.end = original.ca.end
        for i in range(min(len(original), len(canonical))):
            if i in original.ca.items:
                canonical.ca.items[i] = _fitting(original.ca.items[i], canonical[i])
            canonical[i] = _keep_comments(
                original[i], canonical[i], document=False, column=column + _STEP_IN,
                below=below if i == len(original) - 1 else original.lc.col)
            keyedcomments.lift(original, canonical, i, column)
    return canonical


def _keep_map_comments(original: Any, canonical: Any, above: list[Any] | None, *,
                       document: bool, column: int, below: int) -> None:
    """:func:`_keep_comments` of a map: where its keys are reordered, the comment lines
    above each key go with it, and those after its last entry stay at its end, as do
    those indented into a block value at the block's end; the lines after a value that
    is written anew as a block follow the block
    (:mod:`converter.keyedcomments`)."""
    from converter import keyedcomments

    end: list[str] = []
    tails: dict[Any, list[str]] = {}
    if keyedcomments.reordered(original, canonical):
        end, tails = keyedcomments.detach(original, canonical, above, document=document,
                                          below=below)
    if original.ca.comment:
        canonical.ca.comment = original.ca.comment
    if original.ca.end:  # after the last entry (of a null value, "key:" with no value)
        canonical.ca.end = original.ca.end
    for key in canonical:
        slot = original.ca.items.get(key)
        after = keyedcomments.cut_reshaped(original, canonical, key)
        if slot is not None:
            canonical.ca.items[key] = _fitting(slot, canonical[key])
        if key in original:
            canonical[key] = _keep_comments(
                original[key], canonical[key], slot, document=False,
                column=column + _STEP_IN,
                below=below if key == next(reversed(original)) else original.lc.col)
            keyedcomments.share_start(canonical, key)
            keyedcomments.trim_opening(canonical, key)
        keyedcomments.attach_end(canonical[key], after)
        if key in tails:
            keyedcomments.attach_tail(original[key], canonical[key], tails[key])
        keyedcomments.to_header(original, canonical, key)
    keyedcomments.attach_end(canonical, end)


def _fitting(comments: list[Any], value: Any) -> list[Any]:
    """ruamel's comments of an item that can go with its canonical ``value``: a block
    scalar's header comment (``key: | # note``, held as text, not a token) only with a
    block scalar; ruamel fails on it anywhere else, so it is left out there (and fmt
    refuses to drop it, at it), the lines above the key kept."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    header = [isinstance(part, list) and any(isinstance(c, str) for c in part)
              for part in comments]
    if not any(header) or isinstance(value, LiteralScalarString | FoldedScalarString):
        return comments  # (itself: a nested map's first lines are cut from it)
    return [None if cut else part for cut, part in zip(header, comments, strict=True)]


__all__ = ["SCHEMA_KEYS", "MarkdownFormat", "decode", "parse", "render", "split"]
