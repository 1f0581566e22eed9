"""Comment lines that go with the key below them when fmt reorders a map's keys.

ruamel.yaml's round-trip reader keeps the full-line comments (and blank lines) above a
key with what comes before it: on the comment token of the previous entry's last value
(however deep in it: ``ca.items[key][2]`` of a map, ``ca.items[index][0]`` of a list, or
a list's ``ca.end``), among the key's own pre-comments (``ca.items[key][1]``, after a
null or flow value), or, above a map's first key, in the map's start comment (the
document's ``ca.comment``, or the parent map's item of the map's key). Keys reordered
would leave those lines where they were, above another key. :func:`detach` moves each
key's lines into its own pre-comments, which go wherever the key goes, and returns the
lines after the map's last entry, which :func:`attach_end` puts after the reordered
map's last entry. The comment lines after a block value's last entry (however deep: a
``|`` text, a null) that are indented right of the map's keys are the block's (a
commented-out entry): they stay at the end of the block, wherever its key goes (those
indented into a block inside it at the end of that one: :func:`attach_tail`), as do
those after a value that fmt writes anew as a block (``origin: text``). The lines before
a document's first key that end in a blank line describe the file and stay at its top;
those directly above the key go with it. And where fmt writes a value given on its key's
line as a block (``origin: text`` as a language map), :func:`cut_reshaped` takes the
lines after it, to follow the block. No map opens with a blank line: the key a reordered
map puts first takes its lines without the blank ones they start with, and
:func:`trim_start` drops those that would open the front matter, :func:`trim_end` those
that would close it.

Lines are kept as written (their indentation as it was), one string each, without
line ends; a blank line is ``""``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

#: What holds comments of its entries: a map or a list (block or flow).
Container = CommentedMap | CommentedSeq


def reordered(original: CommentedMap, canonical: dict[Any, Any]) -> bool:
    """Whether ``original`` is a block map whose keys shared with ``canonical`` come in
    another order (a flow map, ``{da: x}``, has no comment lines above its keys)."""
    if original.fa.flow_style():
        return False
    kept = [key for key in original if key in canonical]
    return kept != [key for key in canonical if key in original]


def detach(original: CommentedMap, canonical: dict[Any, Any], above: list[Any] | None,
           *, document: bool, below: int = 0) -> tuple[list[str], dict[Hashable, list[str]]]:
    """Move the lines above each key of ``original`` into the key's pre-comments; return
    the lines after its last entry, and each block value's tail (:func:`_split_tail`,
    after the last entry :func:`_split_last`), which :func:`attach_tail` puts at the
    end of the key's canonical value. ``above``: the parent map's comment list of this
    map's key (None for the ``document``'s map or a list item's, whose lines above its
    first key are the item's); ``below``: the column of the line below the map (0: the
    end of the front matter). A key that ``canonical`` leaves out hands its lines on to
    the next key. The tail of a block that ``canonical`` writes as a text on its key's
    line (a function's ``short`` map in the default language alone) has no
    place, as that of the block in its place has none: it is left out, which fmt
    refuses. The key that ``canonical`` puts first takes its lines without the
    blank ones they start with: nothing of the map is above them (the document's top
    lines end in a blank line)."""
    lead = _first_lead(original, above, document=document)
    tails: dict[Hashable, list[str]] = {}
    first = next(iter(canonical), None)
    keys = list(original)
    lead += _pop_pre(original, keys[0]) if keys else []
    for at, key in enumerate(keys):
        if key in canonical:
            _set_pre(original, key, _unblank(lead) if key == first else lead)
            lead = []
        after = _cut_between(original, keys, at)
        if after and key in canonical and (_spread(canonical[key])
                                           or _flattened(original[key], canonical[key])):
            if at + 1 < len(keys):
                tail, after = _split_tail(after, original.lc.col)
            else:
                tail, after = _split_last(after, original.lc.col, below,
                                          stays=key == next(reversed(canonical)))
            if _spread(canonical[key]):
                tails[key] = tail
        lead += after
    return lead, tails


def _cut_between(original: CommentedMap, keys: list[Any], at: int) -> list[str]:
    """Cut and return the full lines between the entry ``keys[at]`` of ``original`` and
    the next (ruamel holds those after a null or flow value as the next key's pre-comments)
    or, after the last entry, the end of the map."""
    after = _cut_after(original, keys[at])
    if at + 1 < len(keys):
        return after + _pop_pre(original, keys[at + 1])
    return after + _cut_end(original)


def attach_end(canonical: Any, lines: list[str]) -> None:
    """Put ``lines`` after the last entry of ``canonical``, a map or list (however deep
    its value)."""
    if lines and canonical:
        _attach_after(canonical, _last(canonical), lines)


def attach_tail(original: Any, canonical: Any, lines: list[str]) -> None:
    """Put ``lines``, the tail of the block ``original`` (:func:`detach`'s), at the end
    of its canonical block ``canonical``; those indented right of the entries of
    ``original`` where its last entry is a block (in ``canonical`` too) are that block's
    tail, however deep, and go to its end, wherever fmt puts its entry: a commented-out
    key of a function item's ``short`` map stays in ``short``, which fmt puts before
    ``extended``. Each line goes by its own indentation, also after a line of the outer
    block; where the inner block ends the canonical one too, all go on to it in the order
    written. Those indented into a block that ``canonical`` writes on its key's line
    have no place (:func:`detach`): they are left out, which fmt refuses."""
    if not lines:
        return
    if _nested(original) and isinstance(canonical, Container) and canonical:
        last = _last(original)
        kept = last in canonical if isinstance(canonical, CommentedMap) \
            else last < len(canonical)
        if kept and _flattened(original[last], canonical[last]):
            lines = _split_deeper(lines, original.lc.col)[1]  # (see detach: no place)
        elif kept and _nested(original[last]) and _spread(canonical[last]):
            if last == _last(canonical):  # (its end is the canonical block's)
                attach_tail(original[last], canonical[last], lines)
                return
            inner, lines = _split_deeper(lines, original.lc.col)
            attach_tail(original[last], canonical[last], inner)
    attach_end(canonical, lines)


def _split_deeper(lines: list[str], column: int) -> tuple[list[str], list[str]]:
    """``lines`` of a block's tail split into those indented right of ``column`` (into
    the block of its last entry) and the rest, each in the order written; a blank line
    goes with the line below it."""
    inner: list[str] = []
    rest: list[str] = []
    run: list[str] = []
    for line in lines:
        run.append(line)
        if line.strip():
            (inner if len(line) - len(line.lstrip()) > column else rest).extend(run)
            run = []
    return inner, rest + run


def _attach_after(canonical: Container, key: Any, lines: list[str]) -> None:
    """Put ``lines`` after the entry ``key`` of ``canonical`` (however deep its value)."""
    value = canonical[key]
    if isinstance(value, Container) and value:
        attach_end(value, lines)
        return
    slot = canonical.ca.items.setdefault(key, [None, None, None, None])
    index = _index(canonical)
    token = slot[index]
    if token is None:
        slot[index] = _token(lines if _block(value) else ["", *lines])
    else:
        token.value = token.value + _text(lines)


def lift(original: CommentedSeq, canonical: CommentedSeq, index: int, column: int
         ) -> None:
    """Move the lines above the first key of the map ``canonical[index]`` (those above
    a key that fmt put first in a list item) above the item's dash, which fmt writes at
    ``column``: as far left of the item's keys as the dash is in ``original`` (not past
    the dash), so a line at a key's column goes to the dash's. ruamel would write them
    indented as the key, where they read as the previous item's tail, and breaks the
    item's line under a comment above the dash."""
    item = canonical[index]
    if not isinstance(item, CommentedMap) or not item:
        return
    lines = _pop_pre(item, next(iter(item)))
    if not lines:
        return
    dash = original.lc.col
    shift = original[index].lc.col - dash if isinstance(original[index], Container) else 0
    lines = [_shifted(line, column - dash - min(shift, max(_indent(line) - dash, 0)))
             for line in lines]
    if index:
        _attach_after(canonical, index - 1, lines)
        return
    start = canonical.ca.comment
    if not start:
        canonical.ca.comment = [None, [_token(lines)]]
    elif start[1] is None:
        start[1] = [_token(lines)]
    else:
        start[1].append(_token(lines))


def share_start(canonical: CommentedMap, key: Hashable) -> None:
    """Give the lines above the first item of the list ``canonical[key]`` (its start
    comment, where :func:`lift` puts lines) to the map's comment list of ``key`` too,
    where it has one (for a comment above the key): ruamel writes that list's, and
    would drop the list's own."""
    value = canonical[key]
    slot = canonical.ca.items.get(key)
    if isinstance(value, CommentedSeq) and slot is not None and value.ca.comment \
            and value.ca.comment[1]:
        slot[3] = value.ca.comment[1]


def to_header(original: CommentedMap, canonical: CommentedMap, key: Hashable) -> None:
    """Where fmt writes ``key``'s value, not a block text in ``original``, as a ``|``
    block, put the comment at the end of its line (``short:  # reviewed``, of a map
    that fmt writes as one text) on the block's header line (``short: |  # reviewed``):
    ruamel would write it below the text. The lines after it follow the block."""
    slot = canonical.ca.items.get(key)
    if slot is None or key not in original or _block(original[key]) \
            or not _block(canonical[key]) or slot[3] is not None:
        return
    token = slot[2]
    if token is None or not token.value.startswith("#"):
        return  # (no comment at the end of the line: the token's lines are after it)
    comment, _, rest = token.value.partition("\n")
    lines = _split(rest)
    after = CommentToken(_text(lines).lstrip(" "), CommentMark(_indent(lines[0]))) \
        if lines else None
    canonical.ca.items[key] = [slot[0], slot[1], after, [f"  {comment.rstrip()}"]]


def off_block(slot: list[Any], index: int, original: Any, canonical: Any) -> list[Any]:
    """The comment list ``slot`` of an entry whose value is ``original`` in the file and
    ``canonical`` in fmt's layout, its token after the value at ``index``; where fmt
    writes a block text (``|``) as a text on the entry's line (a text of one line,
    ``"one line\\n"``), a copy whose token starts with a line end: after a block text
    it holds the lines below the text alone, the first of which ruamel would write at
    the end of the new line, as a comment on it."""
    token = slot[index]
    if token is None or not _block(original) or _block(canonical) \
            or isinstance(canonical, dict | list) or not token.value.strip():
        return slot
    lines = _split(_placed(token, token.value))
    return [*slot[:index], _token(["", *lines]), *slot[index + 1:]]


class LineEnd(CommentToken):  # type: ignore[misc]
    """A comment at the end of a line that fmt writes anew (a value given on its key's
    line, or a list item's, written as a block below it): written two spaces after the
    line's text, wherever it was in the file, as after a ``|`` (:func:`to_header`)."""


def below_key(original: CommentedMap, canonical: CommentedMap, key: Hashable) -> None:
    """Where ``original`` gives ``key``'s value on its line (a flow map or list, a text)
    and ``canonical`` writes it as a block below (:func:`cut_reshaped`, which takes the
    lines after it), make the comment at the end of the key's line a :class:`LineEnd`
    (``x:  # c``): ruamel would keep its column, after what the line no longer holds.
    A flow value's own copy of it (its start comment) goes."""
    slot = canonical.ca.items.get(key)
    if slot is None or key not in original or _nested(original[key]) \
            or not _spread(canonical[key]):
        return
    token = slot[2]
    if token is None or not token.value.startswith("#"):
        return
    value = canonical[key]
    if value.ca.comment and value.ca.comment[0] is token:
        value.ca.comment[0] = None
    slot[2] = LineEnd(token.value, CommentMark(0))


def onto_first_line(original: CommentedSeq, canonical: CommentedSeq, index: int) -> None:
    """Where the item ``original[index]`` is a flow map or list (``- {a: 1}  # c``) that
    ``canonical`` writes as a block, put the comment at the end of its line at the end of
    the item's first line (``- a: 1  # c``, a :class:`LineEnd`), the lines after it at
    the item's end: ruamel would write it on a line of its own above the item, at its
    column in the file."""
    slot = canonical.ca.items.get(index)
    item = canonical[index]
    if slot is None or not isinstance(original[index], Container) \
            or _nested(original[index]) or not _spread(item):
        return
    token = slot[0]
    if token is None or not token.value.startswith("#"):
        return
    comment, _, rest = token.value.partition("\n")
    if not _put_first(item, comment):
        return
    slot[0] = None
    attach_end(item, _split(rest))


def _put_first(container: Container, comment: str) -> bool:
    """Put ``comment`` at the end of the first line of the block ``container``: at its
    first key's (on the ``|`` of a block text), or the first line of its first item;
    whether it has a place there (none on a list item's ``|``, where ruamel drops it)."""
    if isinstance(container, CommentedSeq):
        first = container[0]
        if isinstance(first, Container) and first:
            return _put_first(first, comment)
        if _block(first):
            return False
        slot = container.ca.items.setdefault(0, [None, None, None, None])
        index = 0
    else:
        key = next(iter(container))
        slot = container.ca.items.setdefault(key, [None, None, None, None])
        if _block(container[key]):
            if slot[3] is not None:
                return False
            slot[3] = [f"  {comment.rstrip()}"]
            return True
        index = 2
    token = slot[index]
    slot[index] = LineEnd(f"{comment}\n" + (_text(_split(_placed(token, token.value)))
                                           if token is not None else ""), CommentMark(0))
    return True


def trim_opening(canonical: CommentedMap, key: Hashable) -> None:
    """Drop the blank lines that would open the block map or list ``canonical[key]``:
    those between its key's line (and the comment at its end) and the first line below
    that is not blank, a comment line or its first entry."""
    slot = canonical.ca.items.get(key)
    if slot is None or not _spread(canonical[key]):
        return
    token = slot[2]
    if token is not None:
        ending = token.value.startswith("#")  # (else its lines are all below the key)
        first, _, rest = token.value.partition("\n") if ending else ("", "", token.value)
        lines = _unblank(_split(rest))
        token.value = (f"{first}\n" if ending else "") + _text(lines)
        if lines:
            return
    if slot[3] and not any(isinstance(part, str) for part in slot[3]):  # (no header)
        lines = _unblank(_lines(slot[3]))
        value = canonical[key]
        if isinstance(value, Container) and value.ca.comment \
                and value.ca.comment[1] is slot[3]:
            value.ca.comment[1] = [_token(lines)] if lines else None
        slot[3] = [_token(lines)] if lines else None


def _shifted(line: str, by: int) -> str:
    """``line`` moved ``by`` columns right (left, when negative; not past the start)."""
    text = line.lstrip(" ")
    return " " * max(len(line) - len(text) + by, 0) + text


def _indent(line: str) -> int:
    """How far ``line`` is indented."""
    return len(line) - len(line.lstrip(" "))


def cut_reshaped(original: CommentedMap, canonical: dict[Any, Any], key: Hashable
                 ) -> list[str]:
    """Cut and return the lines after ``key``'s value where ``original`` has the value
    on the key's line (a text, a flow list) and ``canonical`` writes it as a block map
    or list: ruamel would write them between the key and the block's first entry."""
    if key not in original or not _spread(canonical[key]):
        return []
    if _nested(original[key]):
        return []
    return _cut_after(original, key)


def trim_start(canonical: CommentedMap) -> None:
    """Drop the blank lines that would open the front matter ``canonical``: those its top
    lines (its ``ca.comment``) start with, and, where no top line is left or the last
    ends in a blank one, those its first key's lines start with (the lines after a key
    that fmt leaves out, ``latin:`` with no value)."""
    start = canonical.ca.comment
    top = _lines(start[1]) if start and start[1] else []
    if top:
        top = _unblank(top)
        start[1] = [_token(top)] if top else None
    if (top and top[-1].strip()) or not canonical:
        return
    slot = canonical.ca.items.get(next(iter(canonical)))
    if slot is not None and slot[1]:
        lead = _unblank(_lines(slot[1]))
        slot[1] = [_token(lead)] if lead else None


def trim_end(canonical: CommentedMap) -> None:
    """Drop the blank lines that would close the front matter ``canonical``: those after
    the last line that is not blank below its last entry (however deep its value)."""
    if not canonical:
        return
    lines = _cut_after(canonical, _last(canonical)) + _cut_end(canonical)
    while lines and not lines[-1].strip():
        lines.pop()
    attach_end(canonical, lines)


def _unblank(lines: list[str]) -> list[str]:
    """``lines`` from the first that is not blank on."""
    first = next((at for at, line in enumerate(lines) if line.strip()), len(lines))
    return lines[first:]


def _first_lead(original: CommentedMap, above: list[Any] | None, *, document: bool
                ) -> list[str]:
    """Cut and return the lines above the first key of ``original``: the document's,
    but those that end in a blank line; those after its key in the parent map; none of
    a list item's."""
    if above is not None:
        return _cut_start(original, above)
    start = original.ca.comment
    if not document:
        return []
    if not start or not start[1]:
        return []
    lines = _lines(start[1])
    top = max((at + 1 for at, line in enumerate(lines) if not line.strip()), default=0)
    start[1] = [_token(lines[:top])] if top else None
    return lines[top:]


def _cut_start(original: CommentedMap, above: list[Any]) -> list[str]:
    """Cut and return the lines between a nested map's key and its first key, held by
    the parent's comment list ``above`` (and, the same tokens, by the map's own
    ``ca.comment``)."""
    lines = _cut_token(above, 2, block=False) + _lines(above[3] or [])
    above[3] = None
    if original.ca.comment:
        original.ca.comment[:2] = [above[2], None]
    return lines


def _pop_pre(original: CommentedMap, key: Hashable) -> list[str]:
    """Cut and return the pre-comments of ``key`` (ruamel's place for the lines after a
    null or flow value)."""
    slot = original.ca.items.get(key)
    if slot is None or not slot[1]:
        return []
    lines = _lines(slot[1])
    slot[1] = None
    return lines


def _set_pre(original: CommentedMap, key: Hashable, lines: list[str]) -> None:
    """Make ``lines`` the pre-comments of ``key``."""
    if lines:
        original.ca.items.setdefault(key, [None, None, None, None])[1] = [_token(lines)]


def _cut_after(container: Container, key: Any) -> list[str]:
    """Cut and return the full lines after the entry ``key``'s value, from the comment
    token of its last value (the deepest, in a block map or list)."""
    value = container[key]
    if _nested(value):
        return _cut_after(value, _last(value)) + _cut_end(value)
    return _cut_token(container.ca.items.get(key), _index(container), block=_block(value))


def _split_tail(lines: list[str], column: int | None) -> tuple[list[str], list[str]]:
    """``lines`` after a block value, split into the block's tail and the rest: the
    comment lines up to the first one at the map's key ``column`` or left of it, which
    their indentation puts in the block (with the blank lines among them, not those
    after the last), and the lines from there on, which go with the key below."""
    end = 0
    for at, line in enumerate(lines):
        if not line.strip():
            continue
        if column is None or len(line) - len(line.lstrip()) <= column:
            break
        end = at + 1
    return lines[:end], lines[end:]


def _split_last(lines: list[str], column: int | None, below: int, *, stays: bool
                ) -> tuple[list[str], list[str]]:
    """``lines`` after a map's last entry, a block, split into the block's tail and the
    rest: up to the first line at the ``below`` column or left of it (from there on the
    lines are above what follows the map), those indented right of the map's keys
    (``column``), each by its own indentation (:func:`attach_tail`), also after one at
    the keys' column or left of it (the tail of the map, or of a block around it); all
    of them where the block ``stays`` last (its end is the map's), in the order written."""
    cut = next((at for at, line in enumerate(lines)
                if line.strip() and len(line) - len(line.lstrip()) <= below), len(lines))
    while cut and not lines[cut - 1].strip():
        cut -= 1
    if column is None:
        return [], lines
    if stays:
        return lines[:cut], lines[cut:]
    inner, rest = _split_deeper(lines[:cut], column)
    return inner, rest + lines[cut:]


def _cut_end(container: Container) -> list[str]:
    """Cut and return the lines that ruamel holds after the last entry of ``container``
    (``ca.end``: after a null or flow value)."""
    if not container.ca.end:
        return []
    lines = _lines(container.ca.end)
    container.ca.end = []
    return lines


def _cut_token(slot: list[Any] | None, index: int, *, block: bool) -> list[str]:
    """Cut and return the full lines of the token ``slot[index]``, leaving its first
    line: the end of the value's line, with the comment on it (none after a block text,
    whose token holds only the lines after it)."""
    token = slot[index] if slot else None
    if token is None:
        return []
    value = token.value
    cut = 0 if block else value.find("\n") + 1 or len(value)
    if cut == len(value):
        return []
    slot[index] = token if value[:cut].strip() else None
    token.value = value[:cut]
    return _split(_placed(token, value) if block else value[cut:])


def _lines(tokens: list[Any]) -> list[str]:
    """The lines of a list of pre-comment tokens, each indented as it was written (the
    first line of a token starts at the token's column)."""
    lines: list[str] = []
    for token in tokens:
        lines += _split(_placed(token, token.value))
    return lines


def _placed(token: CommentToken, value: str) -> str:
    """``value``, the text of ``token``, with the indentation of its first line: ruamel
    leaves it out where the token starts with its comment (a comment line after a block
    text, or a pre-comment), and keeps it where the token starts with a line end."""
    if value.startswith("#"):
        return " " * token.start_mark.column + value
    return value


def _split(text: str) -> list[str]:
    """``text``'s lines (``\\n`` only: a comment may hold other line separators)."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _text(lines: list[str]) -> str:
    """Lines as a token's text."""
    return "".join(f"{line}\n" for line in lines)


def _token(lines: list[str]) -> CommentToken:
    """A comment token written as ``lines`` are, from the start of a line."""
    return CommentToken(_text(lines), CommentMark(0))


def _last(container: Container) -> Any:
    """The last key of a map, the last index of a list."""
    return next(reversed(container)) if isinstance(container, CommentedMap) \
        else len(container) - 1


def _index(container: Container) -> int:
    """Where an entry's comment list holds the token after its value."""
    return 2 if isinstance(container, CommentedMap) else 0


def _nested(value: Any) -> bool:
    """Whether the original ``value`` is a block map or list with entries."""
    return isinstance(value, Container) and bool(value) and not value.fa.flow_style()


def _spread(value: Any) -> bool:
    """Whether the canonical ``value`` is written as a block map or list."""
    return isinstance(value, dict | list) and bool(value)


def _flattened(value: Any, written: Any) -> bool:
    """Whether the original ``value`` is a block map or list with entries that fmt
    writes on its key's line, as ``written``, a text (a language map of the default
    language alone)."""
    return _nested(value) and not isinstance(written, dict | list)


def _block(value: Any) -> bool:
    """Whether ``value`` is a block text, whose token holds only the lines after it."""
    return isinstance(value, LiteralScalarString | FoldedScalarString)
