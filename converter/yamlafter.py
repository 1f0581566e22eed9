"""Text after a value closed on its line: a quote that closes too early (``title:
'Farmer's walk'``, an apostrophe inside single quotes), or text after a closing quote
or bracket (``title: "Soleus" muscle``, ``title: [Soleus] muscle``). libyaml says only
that it found no key (or no ``-``, ``,``) there, after the value's reading has ended,
so the field is none or the map above; :func:`closed_early` names the value's field
and says what to write, for :mod:`converter.yamlsafe` to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from converter.yamlbreak import field_at

#: libyaml's parser when PyYAML has it (as :mod:`converter.yamlsafe` reads with it).
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: libyaml's problems where something follows a value ended on its line.
_AFTER = frozenset({"did not find expected key", "did not find expected '-' indicator",
                    "did not find expected ',' or ']'", "did not find expected ',' or '}'"})
#: The character that closes a value, by the one that opens it.
_PAIRS = {"'": "'", '"': '"', "[": "]", "{": "}"}
#: What closes a value, by its last character.
_CLOSES = {"'": "the quote", '"': "the quote", "]": "the [ list", "}": "the { map"}
#: The rest of a line after a value's end in a block: a comment, or nothing.
_BLOCK_END = re.compile(r"(?:[ \t]+#[^\n]*)?[ \t]*(?:\n|$)")
#: The same in a [ list or { map: also the ``,`` or bracket after an item.
_FLOW_END = re.compile(r"[ \t]*[,\]}]|" + _BLOCK_END.pattern)


@dataclass
class _Value:
    """A value read whole that ends in a quote or bracket: where it starts and ends, the
    number of the parse event that starts it, and what holds it: a block map (``key``
    its key as written), a block list (``key`` None), or a [ list or { map
    (``flow``)."""

    start: int
    end: int
    event: int
    key: str | None
    flow: bool


class _Open:
    """A list or map the parse is inside: its kind, the values read in it (keys too),
    the last key read, where it starts and the number of its start event."""

    def __init__(self, event: yaml.CollectionStartEvent, count: int) -> None:
        self.is_list = isinstance(event, yaml.SequenceStartEvent)
        self.flow = bool(event.flow_style)
        self.read, self.key = 0, ""
        self.start, self.event = event.start_mark.index, count


def closed_early(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to write, the field path) of text after a
    quoted value, [ list or { map closed on its line, where libyaml's error ``exc``
    reading ``text`` is; else None."""
    mark = exc.problem_mark
    if mark is None or exc.problem not in _AFTER or mark.index >= len(text.rstrip()):
        return None  # (nothing after it: a [ list or { map never closed)
    value = _ended_before(text, mark.index)
    if value is None or text[value.end:mark.index].strip(" \t"):
        return None
    closer = text[value.end - 1]
    if _PAIRS.get(text[value.start]) != closer:  # (a pair in a [ list, {a}: b, is no { map)
        return None
    column = value.end - text.rfind("\n", 0, value.end - 1) - 1
    rest = _rest(text, mark.index, value.flow)
    said = rest if len(rest) <= 40 else rest[:37] + "..."
    lead = f"{_CLOSES[closer]} closes at column {column}, so YAML cannot read the text " \
        f"after it ({said})"
    one_line = "\n" not in text[value.start:mark.index]
    advice = _inside_advice(text, value, mark.index, one_line) if closer in "'\"" else None
    if advice is None:
        whole = text[value.start:mark.index] + rest
        advice = "quote the whole value" + (f", {_prefix(value)}{_quoted(whole)}"
                                            if one_line else "")
    return mark.index, f"{lead}: {advice}", field_at(text, value.event)


def _ended_before(text: str, at: int) -> _Value | None:
    """The value (not a key) ending in a quote or bracket that is the last thing
    ``text``'s parse events read before ``at``, where its reading breaks off; else
    None."""
    frames: list[_Open] = []
    last: _Value | None = None
    try:
        for count, event in enumerate(yaml.parse(text, Loader=_BaseLoader)):
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append(_Open(event, count))
                last = None
                continue
            if isinstance(event, yaml.CollectionEndEvent) and frames:
                done = frames.pop()
                start, begun = done.start, done.event
                closed = done.flow and text[start:start + 1] in ("[", "{")
            elif isinstance(event, yaml.ScalarEvent):
                start, begun = event.start_mark.index, count
                closed = event.style in ("'", '"') and text[start:start + 1] == event.style
            else:
                continue
            if closed or not isinstance(event, yaml.CollectionEndEvent):
                last = None  # (a block list or map ends where the next thing starts)
            if not frames:
                continue
            holder = frames[-1]
            if holder.is_list or holder.read % 2:
                if closed:
                    last = _Value(start, event.end_mark.index, begun,
                                  None if holder.is_list else holder.key, holder.flow)
            else:  # (a key, as written; one that is no text is no key to write)
                holder.key = text[start:event.end_mark.index] \
                    if isinstance(event, yaml.ScalarEvent) else ""
            holder.read += 1
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return last if last is not None and last.end <= at else None


def _rest(text: str, at: int, flow: bool) -> str:
    """The text from ``at`` to the end of the value it is in: the end of its line or a
    comment, or in a [ list or { map the ``,`` or bracket after it."""
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    stop = re.compile(r"[ \t]+#|[,\]}]" if flow else r"[ \t]+#").search(text, at, end)
    return text[at:stop.start() if stop else end].rstrip(" \t")


def _inside_advice(text: str, value: _Value, at: int, one_line: bool) -> str | None:
    """What to write for a quote closed early by a quote meant to be inside the text,
    when the same quote closes it later on the line; else None."""
    quote = text[value.end - 1]
    end = _meant_end(text, at, quote, value.flow)
    if end is None and quote == "'" and at == value.end and text[at - 2].isalnum() \
            and text[at].isalnum():  # (an apostrophe in a word, and no quote after it)
        end = at + len(_rest(text, at, value.flow))
    if end is None:
        return None
    inner = text[value.start + 1:end]
    if quote == "'":
        meant = inner.replace("''", "'")
        double = f'"{meant}"' if '"' not in meant and "\\" not in meant else None
        fix = f" ({_single(meant)})" if one_line else ""
        other = f" ({double})" if one_line and double else ""
        return (f"to keep an apostrophe inside single quotes double it{fix}"
                + (f" or use double quotes{other}" if double else ""))
    escaped = re.sub(r'\\.|"', lambda found: found[0] if len(found[0]) > 1 else '\\"', inner)
    single = _single(inner) if "\\" not in inner else None
    fix = f' ("{escaped}")' if one_line else ""
    other = f" ({single})" if one_line and single else ""
    return (f'to keep a " inside double quotes write it \\"{fix}'
            + (f" or use single quotes{other}" if single else ""))


def _meant_end(text: str, at: int, quote: str, flow: bool) -> int | None:
    """Where the quote is, from ``at`` on its line, that ends a value: the first one
    after which the line ends (or a comment starts; in a [ list or { map, a ``,`` or
    bracket follows), not one of two that stand for one (``''``) or one escaped
    (``\\"``); else None."""
    ends = _FLOW_END if flow else _BLOCK_END
    line_end = text.find("\n", at)
    for found in re.finditer(re.escape(quote), text[at:len(text) if line_end < 0
                                                   else line_end]):
        where = at + found.start()
        escaped = quote == '"' and (len(text[:where]) - len(text[:where].rstrip("\\"))) % 2
        if not escaped and ends.match(text, where + 1):
            return where
    return None


def _single(text: str) -> str:
    """``text`` in single quotes (each ``'`` in it doubled)."""
    return "'" + text.replace("'", "''") + "'"


def _quoted(text: str) -> str:
    """``text`` in double quotes, or in single quotes when it holds a ``"`` or ``\\``."""
    return f'"{text}"' if '"' not in text and "\\" not in text else _single(text)


def _prefix(value: _Value) -> str:
    """What comes before a value on its line: its key and ``: `` in a block map, ``- ``
    in a block list, nothing in a [ list or { map."""
    if value.flow:
        return ""
    return "- " if value.key is None else f"{value.key}: "
