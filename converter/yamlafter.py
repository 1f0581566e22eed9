"""Text after a value closed on its line: a quote that closes too early (``title:
'Farmer's walk'``, an apostrophe inside single quotes; in a key too, ``'Farmer's walk':
1``, or after a tag, ``- !!str 'Farmer's walk'``), or text after a closing quote or
bracket (``title: "Soleus" muscle``, ``title: [Soleus] muscle``), or a colon and a
space there (``title: "a": b``). libyaml says only that it found no key (or no ``-``,
``,``) there, or that a map's value is not allowed, after the value's reading has
ended, so the field is none or the map above; :func:`closed_early` names the value's field
(a key's, with the key meant) and says what to write, for :mod:`converter.yamlsafe`
to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from converter.yaml11 import quoted
from converter.yamlbreak import field_at
from converter.yamlown import Loader, scalar_text

#: libyaml's parser when PyYAML has it (as :mod:`converter.yamlsafe` reads with it), of
#: this tool's own: no caller's registration reaches it (:mod:`converter.yamlown`).
_BaseLoader: type = Loader

#: libyaml's problems where something follows a value ended on its line.
_AFTER = frozenset({"did not find expected key", "did not find expected '-' indicator",
                    "did not find expected ',' or ']'", "did not find expected ',' or '}'"})
#: libyaml's problem at a ``:`` after a value ended on its line (``title: "a": b``).
_SECOND_KEY = "mapping values are not allowed in this context"
#: The character that closes a value, by the one that opens it.
_PAIRS = {"'": "'", '"': '"', "[": "]", "{": "}"}
#: What closes a value, by its last character.
_CLOSES = {"'": "the quote", '"': "the quote", "]": "the [ list", "}": "the { map"}
#: The rest of a line after a value's end in a block: a comment, or nothing.
_BLOCK_END = re.compile(r"(?:[ \t]+#[^\n]*)?[ \t]*(?:\n|$)")
#: The same in a [ list or { map: also the ``,`` or bracket after an item.
_FLOW_END = re.compile(r"[ \t]*[,\]}]|" + _BLOCK_END.pattern)
#: After a key: its ``:``, or as after a value (a ``?`` key's).
_KEY_END = re.compile(r"[ \t]*:(?=[\s,\]}]|$)|" + _FLOW_END.pattern)
#: A quoted text on one line.
_QUOTED = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'""")
#: Quoted texts one after another in a [ list, blanks alone between them.
_FLOW_RUN = re.compile(rf"(?:{_QUOTED.pattern})(?:[ \t]+(?:{_QUOTED.pattern}))+")
#: Quoted texts one after another in a block, blanks, a comma or line breaks between them.
_BLOCK_RUN = re.compile(rf"(?:{_QUOTED.pattern})(?:\s*(?:,\s*)?(?:{_QUOTED.pattern}))+")
#: A value's tags (and anchors) before it: ``!!str `` of ``!!str 'a'``.
_PROPERTIES = re.compile(r"(?:[!&]\S*\s+)*")


@dataclass
class _Value:
    """A value (or a key: ``is_key``) read whole that ends in a quote or bracket: where it
    starts (after its tags, ``tags``) and ends, the number of the parse event that
    starts it, and what holds it: a block map (``key`` its key as written), a block list
    (``key`` None), or a [ list or { map (``flow``)."""

    start: int
    end: int
    event: int
    key: str | None
    flow: bool
    tags: str = ""
    is_key: bool = False


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
    quoted value, [ list or { map closed on its line (a ``: `` too, in a block map or
    list), where libyaml's error ``exc`` reading ``text`` is; else None."""
    mark = exc.problem_mark
    if mark is None or mark.index >= len(text.rstrip()):
        return None  # (nothing after it: a [ list or { map never closed)
    second = exc.problem == _SECOND_KEY and text.startswith(":", mark.index)
    if exc.problem not in _AFTER and not second:
        return None
    value = _ended_before(text, mark.index)
    if value is None:
        return None
    listed = None if second or value.is_key else _listed(text, value, mark.index)
    if listed is None and (text[value.end:mark.index].strip(" \t")
                           or (second and (value.flow or value.is_key))):
        return None
    closer = text[value.end - 1]
    if _PAIRS.get(text[value.start]) != closer:  # (a pair in a [ list, {a}: b, is no { map)
        return None
    rest = _rest(text, mark.index, value)
    said = rest if len(rest) <= 40 else rest[:37] + "..."
    lead = f"{_CLOSES[closer]} closes {_closes_at(text, value.end, mark.index)}, so YAML " + (
        f"reads the ':' after it as a second key ({said})" if second
        else f"cannot read the text after it ({said})")
    one_line = "\n" not in text[value.start:mark.index]
    inside = None if listed is None else (listed, "")
    if closer in "'\"" and inside is None:
        inside = (_stray_advice(text, value, mark.index, one_line) if second else None) \
            or _inside_advice(text, value, mark.index, one_line)
    if inside is None:
        read = _escapes_read(text[value.start:value.end])  # (its quotes YAML's: read)
        written = (_as_read(text[value.start:value.end]) if read is None else read) \
            + text[value.end:mark.index] + rest
        meant = _written(written) if one_line or read is not None \
            else _on_one_line(_single(written))
        what, colon = ("key", ":") if value.is_key else ("value", "")
        advice = f"quote the whole {what}" + ("" if meant is None else (
            "" if one_line else " and write it on one line")
            + f", {_prefix(value)}{meant}{colon}")
        meant = meant or written
    else:
        advice, meant = inside
    field = field_at(text, value.event)
    if value.is_key:  # (the field is the key meant, in the map that holds it)
        key = _read(meant)
        field = f"{field}.{key}" if field else key
    return mark.index, f"{lead}: {advice}", field


def _closes_at(text: str, end: int, at: int) -> str:
    """Where a value that ends at ``end`` closes, as said of an error at ``at``: its
    column, and the line, where that is above ``at``'s (``on the line above, at column
    21``; quoted texts one after another over lines): the column alone named a column
    of the error's line."""
    column = end - text.rfind("\n", 0, end - 1) - 1
    above = text.count("\n", end, at)
    line = "" if not above else "on the line above, " if above == 1 else f"{above} lines above, "
    return f"{line}at column {column}"


def _listed(text: str, value: _Value, at: int) -> str | None:
    """What to write for quoted texts one after another, the first ``value``, where
    libyaml stops at ``at`` after it: in a [ list, blanks alone between them, a comma
    missing (``["A" "B"]``), the line with one; in a block (blanks, a comma or line
    breaks between them), tagged ``!!seq`` at a field that takes a list, or untagged at
    a key whose field takes a list and no text and each of them fits the pattern of its
    items (:func:`_all_fit`: ``coords: "A" "B"``, not ``coords: "" ""``), the [ list of
    them; tagged ``!!seq`` as an item whose field takes no list (``- !!seq "A" "B"``
    under ``coords:``), or untagged as an item each of them fits
    (:func:`_items_meant`: ``- "A" "B"``), each an item of its own. A quote meant
    inside one text was advised, one polygon of two. None where they are no such
    texts."""
    if value.flow:
        run = _FLOW_RUN.match(text, value.start)
        if value.key is not None or run is None or run.end() <= at \
                or not _FLOW_END.match(text, run.end()):
            return None
        start = text.rfind("\n", 0, value.start) + 1
        end = text.find("\n", run.end())
        line = text[start:value.start] + ", ".join(_QUOTED.findall(run[0])) \
            + text[run.end():len(text) if end < 0 else end]
        return "write a comma between them, " + line.strip(" \t")
    tags = value.tags.split()
    run = _BLOCK_RUN.match(text, value.start)
    if run is None or run.end() <= at or not _BLOCK_END.match(text, run.end()):
        return None
    texts, seq = _QUOTED.findall(run[0]), "!!seq" in tags
    others = "".join(f"{tag} " for tag in tags if tag != "!!seq")
    types = _types_at(text, value)
    if (seq and (types is None or "array" in types)) or (
            not tags and value.key is not None and types is not None
            and "array" in types and "string" not in types
            and _all_fit(text, value, texts, item=True)):
        prefix = ("- " if value.key is None else f"{value.key}: ") + others
        return f"write them as one list, {prefix}[{', '.join(texts)}]"
    if value.key is None and (seq or (not tags and _items_meant(text, value, texts, types))):
        items = [f"- {others}{quoted}" for quoted in texts]
        return "write each as an item of the list, on a line of its own: " \
            + ", ".join(items[:-1]) + f" and {items[-1]}"
    return None


def _items_meant(text: str, value: _Value, texts: list[str], types: frozenset[str] | None
                 ) -> bool:
    """Whether quoted ``texts`` one after another, untagged, as an item of a block list
    (``value`` the first) are items of their own: the item takes text (or any value)
    and each of them fits the schema's pattern there (``- "A" "B"`` under ``coords:``,
    two polygons, where ``"A\\" \\"B"`` is none; under ``exercises:``, whose items
    any text fits, two exercises, as ``exercises: ["Squat" "Lunge"]`` is given a
    comma). Where one of them does not fit, a quote meant inside the text is advised."""
    if types is not None and "string" not in types:
        return False
    return _all_fit(text, value, texts)


def _all_fit(text: str, value: _Value, texts: list[str], *, item: bool = False) -> bool:
    """Whether each of the quoted ``texts`` fits the schema's pattern at ``value``'s
    field, or with ``item`` at an item of the list it takes (``coords: "A" "B"``: each
    a polygon, where ``""`` is none)."""
    from converter.schema import text_fits
    from converter.yamlsafe import steps

    at = (*steps(field_at(text, value.event)), *((0,) if item else ()))
    return all(text_fits(at, _read(quoted)) for quoted in texts)


def _types_at(text: str, value: _Value) -> frozenset[str] | None:
    """The JSON types the schema takes at ``value``'s field (None: any)."""
    from converter.schema import types_at
    from converter.yamlsafe import steps  # (here: yamlsafe imports this module)

    return types_at(steps(field_at(text, value.event)))


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
                if event.tag or event.anchor:  # (its tags, or an anchor, before it)
                    start = _PROPERTIES.match(text, start).end()
                closed = event.style in ("'", '"') and text[start:start + 1] == event.style
            else:
                continue
            if _no_value(event, last):  # (a key's, where a quote closed it early)
                frames[-1].read += 1
                continue
            if closed or not isinstance(event, yaml.CollectionEndEvent):
                last = None  # (a block list or map ends where the next thing starts)
            if not frames:
                continue
            holder = frames[-1]
            tags = "".join(f"{tag} " for tag in text[event.start_mark.index:start].split())
            if holder.is_list or holder.read % 2:
                if closed:
                    last = _Value(start, event.end_mark.index, begun,
                                  None if holder.is_list else holder.key, holder.flow, tags)
            else:  # (a key, as written; one that is no text is no key to write)
                holder.key = text[event.start_mark.index:event.end_mark.index] \
                    if isinstance(event, yaml.ScalarEvent) else ""
                if closed and isinstance(event, yaml.ScalarEvent):
                    last = _Value(start, event.end_mark.index, begun, None, holder.flow,
                                  tags, is_key=True)
            holder.read += 1
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return last if last is not None and last.end <= at else None


def _no_value(event: yaml.Event, last: _Value | None) -> bool:
    """Whether a parse ``event`` is the empty value libyaml gives a key ``last`` that a
    quote closed early (``'Farmer's walk': 1``), before it stops: none written."""
    return last is not None and last.is_key and isinstance(event, yaml.ScalarEvent) \
        and not event.style and not event.tag and event.start_mark.index \
        == event.end_mark.index


def _rest(text: str, at: int, value: _Value) -> str:
    """The text from ``at`` to the end of the ``value`` it is in: the end of its line or
    a comment, or in a [ list or { map the ``,`` or bracket after it; a key's, its
    ``:``."""
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    stop = (r"[ \t]+#|[,\]}]" if value.flow else r"[ \t]+#") \
        + (r"|[ \t]*:(?=[\s,\]}]|$)" if value.is_key else "")
    found = re.compile(stop).search(text, at, end)
    return text[at:found.start() if found else end].rstrip(" \t")


def _inside_advice(text: str, value: _Value, at: int, one_line: bool
                   ) -> tuple[str, str] | None:
    """(what to write, the text meant in its quotes) for a quote closed early by a quote
    meant to be inside the text, when the same quote closes it later on the line; else
    None."""
    quote = text[value.end - 1]
    end = _meant_end(text, at, quote, value)
    if end is None and quote == "'" and at == value.end and text[at - 2].isalnum() \
            and text[at].isalnum():  # (an apostrophe in a word, and no quote after it)
        end = at + len(_rest(text, at, value))
    if end is None:
        return None
    inner = text[value.start + 1:end]
    if not one_line:
        return _over_lines(quote, _single(inner.replace("''", "'")) if quote == "'"
                           else '"' + _escaped(inner) + '"')
    if quote == "'":
        meant = inner.replace("''", "'")
        double = f'"{meant}"' if '"' not in meant and "\\" not in meant else None
        fix, other = f" ({_single(meant)})", f" ({double})" if double else ""
        return (f"to keep an apostrophe inside single quotes double it{fix}"
                + (f" or use double quotes{other}" if double else "")), _single(meant)
    escaped = _escaped(inner)
    single = _single(inner) if "\\" not in inner else None
    fix, other = f' ("{escaped}")', f" ({single})" if single else ""
    return (f'to keep a " inside double quotes write it \\"{fix}'
            + (f" or use single quotes{other}" if single else "")), f'"{escaped}"'


def _stray_advice(text: str, value: _Value, at: int, one_line: bool
                  ) -> tuple[str, str] | None:
    """(what to write, the text meant in its quotes) for a lone quote before a second
    key's ``:`` in a value whose quotes hold the rest of its line (``title: "a": b"``):
    the quotes around the whole value are the writer's, the one before the colon stray,
    as a lone ``"`` (or ``'``) is rarely meant in a text; else None (the same quote
    again after the colon: quotes meant inside the text)."""
    quote = text[value.end - 1]
    end = _meant_end(text, at, quote, value)
    if end is None:
        return None
    between = text[at:end]
    if "'" in between.replace("''", "") if quote == "'" \
            else re.search(r'(?<!\\)(?:\\\\)*"', between):
        return None
    meant = quote + text[value.start + 1:value.end - 1] + text[value.end:end] + quote
    lead = f"the {quote} before the ':' looks stray, as the quotes around the whole value " \
        "hold its colon: leave it out"
    if one_line:
        return f"{lead} ({meant})", meant
    line = _on_one_line(meant)
    return (lead, meant) if line is None else (f"{lead} and write the value on one line "
                                               f"({line})", line)


def _over_lines(quote: str, quoted: str) -> tuple[str, str] | None:
    """(what to write, the text meant in its quotes, on one line) for a quoted text
    written over lines whose ``quote`` inside it is meant (``quoted`` with that quote
    written as its quotes need it); None where it reads as no text."""
    line = _on_one_line(quoted)
    if line is None:
        return None
    text = _read(line)
    single = _single(text) if "\n" not in text else None
    double = '"' + _escaped_text(text) + '"'
    if quote == "'":
        return ("write the value on one line, and to keep an apostrophe inside single "
                "quotes double it" + (f" ({single}) or use" if single else ", or use")
                + f" double quotes ({double})"), single or double
    return ('write the value on one line, and to keep a " inside double quotes write it '
            f'\\" ({double})' + (f" or use single quotes ({single})" if single else "")), double


def _on_one_line(quoted: str) -> str | None:
    """A quoted text written over lines, on one line as YAML reads it (its line
    breaks folded): in single quotes, or in double ones where it holds a
    ``"``, a ``\\`` or a line break (written ``\\n``); None where it reads as no
    text."""
    read = scalar_text(quoted)
    return None if read is None else _written(read)


def _written(text: str) -> str:
    """``text`` quoted on one line: :func:`_quoted`, or where it holds a line break, a
    tab or another character not shown, in double quotes with its escapes (``\\n``,
    ``\\t``, ``\\"``: :func:`~converter.yaml11.quoted`)."""
    return _quoted(text) if text.isprintable() else quoted(text)


def _escapes_read(quoted: str) -> str | None:
    """The text a double-quoted text holding an escape (``"a\\"b"``), or a
    single-quoted one holding a doubled apostrophe (``'it''s x'``), stands for: its
    writer wrote its quotes as YAML's, not as text (a ``"``, tab or ``'`` meant inside
    was escaped); else None (``"Soleus"``, whose quotes may be the text's own)."""
    if not ((quoted.startswith('"') and "\\" in quoted)
            or (quoted.startswith("'") and "''" in quoted[1:-1])):
        return None
    return scalar_text(quoted)


def _escaped(inner: str) -> str:
    """The inside of a double-quoted text written with a ``"`` meant inside it: each
    such ``"`` escaped, what is escaped already kept."""
    return re.sub(r'\\.|"', lambda found: found[0] if len(found[0]) > 1 else '\\"', inner)


def _escaped_text(text: str) -> str:
    """``text`` as the inside of double quotes writes it: ``\\``, ``"`` and a line
    break escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _meant_end(text: str, at: int, quote: str, value: _Value) -> int | None:
    """Where the quote is, from ``at`` on its line, that ends ``value``: the first one
    after which the line ends (or a comment starts; in a [ list or { map, a ``,`` or
    bracket follows; after a key, its ``:``), not one of two that stand for one
    (``''``) or one escaped (``\\"``); else None."""
    ends = _KEY_END if value.is_key else _FLOW_END if value.flow else _BLOCK_END
    line_end = text.find("\n", at)
    for found in re.finditer(re.escape(quote), text[at:len(text) if line_end < 0
                                                   else line_end]):
        where = at + found.start()
        escaped = quote == '"' and (len(text[:where]) - len(text[:where].rstrip("\\"))) % 2
        if not escaped and ends.match(text, where + 1):
            return where
    return None


def _as_read(quoted: str) -> str:
    """A single-quoted text (``'it''s\n  x'``) written as YAML read it, in its quotes:
    its ``''`` one ``'``, its lines folded (``'it's x'``), a line break it holds written
    as an empty line, as folding reads it again; another as it is."""
    read = scalar_text(quoted) if quoted.startswith("'") else None
    return quoted if read is None else "'" + read.replace("\n", "\n\n") + "'"


def _single(text: str) -> str:
    """``text`` in single quotes (each ``'`` in it doubled)."""
    return "'" + text.replace("'", "''") + "'"


def _read(quoted: str) -> str:
    """The text a quoted text (``'it''s'``) stands for."""
    read = scalar_text(quoted)
    return quoted if read is None else read


def _quoted(text: str) -> str:
    """``text`` in double quotes, or in single quotes when it holds a ``"`` or ``\\``."""
    return f'"{text}"' if '"' not in text and "\\" not in text else _single(text)


def _prefix(value: _Value) -> str:
    """What comes before a value on its line: its key and ``: `` in a block map, ``- ``
    in a block list, nothing in a [ list or { map or before a key; then its tags."""
    if value.flow or value.is_key:
        return value.tags
    return ("- " if value.key is None else f"{value.key}: ") + value.tags
