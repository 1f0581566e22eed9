"""A note's field HTML: text escaped for Anki, and read back as Anki's editor leaves
it."""

from __future__ import annotations

import html
import re
import sys

from converter.authoring import is_blank
from converter.model import LocalizedText, Muscle, base_language
from converter.safety import escape

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
#: Where Anki's editor starts a line: a ``<div>`` (or ``<p>``) of its own.
_BLOCK = re.compile(r"<(?:div|p)\b[^>]*>", re.IGNORECASE)
#: An empty line as Anki's editor writes it: a block holding only a line break.
_EMPTY_LINE = re.compile(r"<(div|p)\b([^>]*)>\s*<br\s*/?>\s*</\1\s*>", re.IGNORECASE)


def _text(value: str) -> str:
    """Text as field HTML: escaped, line breaks as ``<br>``, and ``[`` as ``&#91;`` so
    Anki never takes a text's ``[sound:...]``, ``[latex]`` or ``[anki:tts]`` for media
    to play or render. Spaces and line breaks that end the text are character
    references (``&#32;``, ``&#10;``): what Anki's editor leaves at a field's end, a
    ``<br>``, a space or ``&nbsp;``, is no text (see :func:`_typed_text`), but a text's
    own end is."""
    body = value.rstrip()
    end = "".join(f"&#{ord(c)};" for c in value[len(body):])
    return escape(body).replace("[", "&#91;").replace("\n", "<br>") + end


def _lines(value: str) -> str:
    """Field HTML -> its text with its character references kept (``&amp;``): a
    ``<div>`` or ``<p>`` that Anki's editor makes of a new line, and ``<br>``, is a line
    break, and other tags are gone."""
    value = _EMPTY_LINE.sub(r"<\1\2></\1>", value)  # (one line, not two)
    lines = _BLOCK.sub("\n", _BREAK.sub("\n", value))
    if lines != value and _BLOCK.match(value):
        lines = lines[1:]  # (a field that starts with a block starts with its text)
    return _TAG.sub("", lines)


#: A character reference, as :func:`html.unescape` finds one: ``&#65;``, ``&#x41;``,
#: ``&amp;`` (its ``;`` may be left out).
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
#: The most digits of a code point (U+10FFFF, decimal 1114111): a number written with
#: more, its leading zeros left out, names no character.
_MOST_DIGITS = 7


def _unescape(text: str) -> str:
    """``text`` (field HTML's text) with its character references read, as
    :func:`html.unescape` and a browser read them. A number of any length is read: its
    leading zeros are none of its size, and one past the last code point is U+FFFD
    (``html.unescape`` raised ValueError on over 4300 decimal digits). One naming NUL,
    another C0 control character or DEL, or a lone surrogate is that character, as
    JSON's ``\\u0000`` is, so the text is refused (``control-character``), as one
    holding the character itself: ``html.unescape`` made NUL and a surrogate U+FFFD
    and dropped the others, without a word. One naming a noncharacter (U+FFFE, U+FDD0)
    is that character, which Anki shows and a text may hold (``html.unescape`` dropped
    it)."""
    return _REFERENCE.sub(_referenced, text) if "&" in text else text


def _referenced(found: re.Match[str]) -> str:
    """The text of the character reference ``found`` (see :func:`_unescape`)."""
    name = found[1]
    if not name.startswith("#"):
        return html.unescape(found[0])
    hexadecimal = name[1] in "xX"
    digits = name[2 if hexadecimal else 1:].rstrip(";").lstrip("0") or "0"
    if len(digits) > _MOST_DIGITS:
        return "\ufffd"
    number = int(digits, 16 if hexadecimal else 10)
    if number < 0x20 or number == 0x7F or 0xD800 <= number <= 0xDFFF:
        return chr(number)  # (a text may not hold it: refused as if typed, never lost)
    if _is_noncharacter(number):
        return chr(number)  # (text, as Anki shows it and the other readers keep it)
    return html.unescape(f"&#{number};")


def _is_noncharacter(number: int) -> bool:
    """Whether the code point ``number`` is a Unicode noncharacter (U+FDD0 to U+FDEF,
    and the last two of each plane, U+FFFE, U+FFFF, U+1FFFE...), which
    :func:`html.unescape` drops."""
    return 0xFDD0 <= number <= 0xFDEF or (number & 0xFFFE == 0xFFFE
                                          and number <= sys.maxunicode)


def _untext(value: str) -> str:
    """Field HTML -> plain text, exactly (the inverse of :func:`_text`, forgiving of
    edits: see :func:`_lines`)."""
    return _unescape(_lines(value))


_NBSP = "&nbsp;"


def _blank_end(text: str) -> int:
    """Where the white space at the end of ``text`` (field HTML with its references
    kept) starts: spaces, line breaks and ``&nbsp;`` (a writer's ``&#32;`` is text)."""
    end = len(text)
    while end:
        if text[end - 1].isspace():
            end -= 1
        elif text.endswith(_NBSP, 0, end):
            end -= len(_NBSP)
        else:
            break
    return end


def _typed_text(value: str) -> str:
    """A text field's HTML as plain text, as :func:`_untext`, without what Anki's editor
    leaves at the end of a line (a ``<br>``, a space or ``&nbsp;``): a field holding
    only those is empty, as in Anki."""
    text = _lines(value)
    return _unescape(text[:_blank_end(text)])


def _localized(text: LocalizedText, lang: str, prefer: str) -> str:
    """Text in ``lang`` (or a variant of it: ``da`` for ``da-DK``), else in ``prefer``
    (the default language) or another language present, marked as such."""
    picked = text.pick(lang, prefer)
    if picked is None:
        return ""
    got, value = picked
    if base_language(got) == base_language(lang):
        return _text(value)
    code = escape(got)
    return (f'<span lang="{code}" dir="auto">{_text(value)}</span>'
            f'<span class="lang-fallback">({code})</span>')


def _functions(muscle: Muscle, lang: str, prefer: str) -> str:
    items = []
    for function in muscle.functions:
        extended = _localized(function.extended, lang, prefer)
        more = f'<span class="extended">{extended}</span>' if extended else ""
        short = _localized(function.short, lang, prefer)
        items.append(f'<li><span class="short">{short}</span>{more}</li>')
    return f'<ol class="functions">{_LINES.join(items)}</ol>' if items else ""


#: Between list items: a line each (as HTML, no difference), so that genanki's check of
#: a field's tags, which reads to the end of a line for each tag, is not quadratic in a
#: muscle's functions or exercises.
_LINES = "\n"


def _exercises(exercises: tuple[str, ...]) -> str:
    items = _LINES.join(f"<li>{_text(e)}</li>" for e in exercises)
    return f'<ul class="exercises">{items}</ul>' if items else ""


def note_fields(muscle: Muscle, lang: str, image: str | None, prefer: str = "en"
                ) -> list[str]:
    """The note's field HTML, in :data:`FIELD_NAMES` order; every text is escaped. A
    text missing in ``lang`` is taken in ``prefer`` (the default language), else in
    another language there is. A Latin name that shows nothing (:func:`is_blank`) is an
    empty field, so that no card asks it over a blank prompt."""
    latin = muscle.latin
    return [
        _text(muscle.title),
        "" if latin is None or is_blank(latin) else _text(latin),
        _localized(muscle.origin, lang, prefer),
        _localized(muscle.insertion, lang, prefer),
        _functions(muscle, lang, prefer),
        _exercises(muscle.exercises),
        f'<img src="{escape(image)}" alt="">' if image else "",
        escape(muscle.slug),
        escape(lang),
    ]
