"""The writer's ruamel.yaml emitter: tagged numbers written plain, scalars as their
source wrote them, keys on their line, comments after a block text."""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

from .styles import _AS_WRITTEN, _STEP_IN, _TAGGED_PLAIN


@cache
def _emitter() -> type:
    """ruamel's round-trip emitter, but for a scalar of style :data:`_TAGGED_PLAIN`,
    and a key that holds a line break, which it writes as a simple key."""
    from ruamel.yaml.emitter import RoundTripEmitter
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.events import ScalarEvent
    from ruamel.yaml.tokens import CommentToken

    from converter.keyedcomments import LineEnd

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
            text too); and the comment after it, where it is indented as far as the
            text's lines, put a step left of them, as :meth:`write_comment` puts the
            lines after it (ruamel would put it one column left of them, between the
            columns fmt writes, as a comment line after a ``|`` item at column 5)."""
            kept = self.determine_block_hints(text)[2] == "+"
            self.block_end = (self.stream.tell(), self.indent or 0, kept)
            self.open_ended = False
            after = self.event.comment[0] if self.event.comment else None
            if after is not None and after.column >= self.block_end[1]:
                after.column = max(self.block_end[1] - _STEP_IN, 0)

        def write_comment(self, comment: Any, pre: bool = False) -> None:
            """A comment token's lines, but those it would write directly after a block
            text (a moved key's, the front matter's last) as the text's: blank ones
            after a kept text are left out, and comment lines indented as far as the
            text's are written a step left of it; a
            :class:`~converter.keyedcomments.LineEnd` two spaces after its line's
            text."""
            if isinstance(comment, LineEnd) and not pre and self.column:
                comment = CommentToken(comment.value, CommentMark(self.column + 2))
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

        def process_scalar(self) -> None:
            """The scalar, but an empty list item's dash with nothing written after it
            (``-``, ``- # note``): ruamel would write a space, which ends the line."""
            empty = self.sequence_context and not self.flow_level \
                and not self.event.value and self.style == ""
            if empty:
                self.sequence_context = False  # (no step to the item's column)
                indent = self.indent or 0  # (but the line break that step would make)
                if not self.indention or self.column > indent \
                        or (self.column == indent and not self.whitespace):
                    if self.no_newline:
                        self.no_newline = False
                    else:
                        self.write_line_break()
            super().process_scalar()

        def expect_block_sequence(self) -> None:
            """A list, but one that is an item of a list written as its key's list of
            maps is (``- k: v``, ``- - x``), its dashes a step right of the outer
            dash, its first on that dash's line: ruamel would put them two steps
            right (``-   - x``)."""
            nested = self.sequence_context and not self.mapping_context \
                and self.indent is not None
            super().expect_block_sequence()
            if nested:
                self.indent -= self.best_sequence_indent - _STEP_IN
            self.in_item = nested

        #: Whether the list being started is an item of a list
        #: (:meth:`expect_block_sequence`).
        in_item = False

        def expect_first_block_sequence_item(self) -> Any:
            """The first item, on the outer item's dash line where the list is an item
            (one space after that dash: ruamel would write its dash offset too), but
            for one with comment lines above it, which start a line."""
            in_item, self.in_item = self.in_item, False
            if not in_item or self.column <= self.indent \
                    or (self.event.comment and self.event.comment[1]):
                return super().expect_first_block_sequence_item()
            offset, self.sequence_dash_offset = self.sequence_dash_offset, 0
            self.no_newline = True
            try:
                return super().expect_first_block_sequence_item()
            finally:
                self.sequence_dash_offset = offset

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
