"""A line of block YAML that is no ``key: value`` and no list item because something is
missing on it: the ``:`` after its key (``latin L``), the ``- `` before a list item, or
the space after a ``:`` (``latin:L``), or that opens a quote it never closes; a list
item of text with a key below it (``- b c``, then ``d: 2``), or one where a key is
expected (``title: T``, then ``- a``). libyaml
finds most a line or more later, under the field before it or none, and says none;
:func:`misread_line` and :func:`unclosed_quote` name the line at fault and the field it
is in, for :mod:`converter.yamlsafe` to say.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from converter import yaml11
from converter.yamlbreak import broken_field, field_at
from converter.yamlown import Loader

#: libyaml's parser when PyYAML has it (as :mod:`converter.yamlsafe` reads with it), of
#: this tool's own: no caller's registration reaches it (:mod:`converter.yamlown`).
_BaseLoader: type = Loader

#: libyaml's problem where a line holds no ``:`` after what it read as a key (at the
#: next line; its context mark is where that key starts).
_NO_COLON = ("could not find expected ':'", "while scanning a simple key")
#: libyaml's problem where a ``key: value`` line follows a plain text that started on a
#: line before it (``title:Soleus``, one text with no space after its ``:``).
_SECOND_KEY = "mapping values are not allowed in this context"
#: libyaml's problem where a map's line holds no key (a list item there, ``- a``).
_NO_KEY = ("did not find expected key", "while parsing a block mapping")
#: libyaml's problem where a line of a block list holds no ``- `` (an item that ended).
_NO_DASH = ("did not find expected '-' indicator", "while parsing a block collection")
#: What follows a list item's text on the line it ends on, when that ends it: after a
#: closing quote, nothing or a comment; after a plain text, a comment.
_ENDED_QUOTED, _ENDED_PLAIN = re.compile(r"[ \t]*(?:#.*)?"), re.compile(r"[ \t]+#.*")
#: A value's tag and the blanks (and line breaks) after it: ``!!str `` of ``!!str a``.
_TAG = re.compile(r"(![^\s]*)\s+")
#: The tags of a text the reader takes (any other is a yaml-unsafe-tag error).
_KEPT_TAGS = frozenset({"!", "!!str", "!!int", "!!float", "!!bool", "!!null"})
#: A list item with nothing after its ``-`` (but maybe a comment).
_EMPTY_ITEM = re.compile(r"[ ]*-[ \t]*(?:#.*)?")
#: The most characters from a key's start to its ``:`` that libyaml reads (a longer
#: one is no key to it: no ``:`` found, or one that is not allowed).
_KEY_MOST = 1024
#: A list item's ``-`` where a line starts.
_ITEM = re.compile(r"-(?:[ \t]|$)", re.M)
#: A line's indentation and the ``- `` of list items that start on it.
_LEAD = re.compile(r"[ ]*(?:-[ ]+)*")
#: A key with no space after its ``:`` (``latin:L``): the key, the value.
_NO_SPACE = re.compile(r"([^\s:#'\"\[\]{},&*!|>%@`-][^\s:#]*):([^\s#][^\n]*)")
#: A line of two words or more (``latin L``): the first, the rest.
_WORDS = re.compile(r"([^\s:#'\"\[\]{},&*!|>%@`-][^\s:#]*)[ \t]+([^\s#][^\n]*)")
#: A line that looks like a key and its value, or a list item: its indentation.
_KEY_LIKE = re.compile(r"([ ]*)(?:-(?:[ ]|$)|[^\s:#'\"\[\]{},&*!|>%@`-][^:]*:(?:[ ]|$))")
#: A line that ends a plain text going back from a line: a comment, a key, a list item.
_NOT_PLAIN = re.compile(r"[ ]*(?:#|-(?:[ ]|$))|[^\n]*:(?:[ ]|$)|[^\n]*[ ]#")


def misread_line(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is missing and what to write, the field path) of the line that
    libyaml's error ``exc`` reading the block YAML ``text`` comes from, when a ``:``
    (``latin L``), a ``- `` or the space after a ``:`` (``latin:L``) is missing on it
    (or, after a plain text, it may be more of that text, not indented enough), or it
    is a list item of text with a key below it (:func:`_text_item`), or a list item
    where a key is expected (:func:`_stray_item`), or a key is too long
    (:func:`_long_key`), or a line under an item that has ended (:func:`_under_item`)
    or under an empty one, not indented past its ``-`` (:func:`_under_empty_item`), or
    a plain text wrapped onto a line holding ``: `` (:func:`_wrapped_colon`); else
    None. The field is that of the map or list the line is in
    ("" at the top), or, for a missing space, that key's, or the item's."""
    item = _long_key(text, exc) or _text_item(text, exc) or _stray_item(text, exc) \
        or _under_item(text, exc) or _under_empty_item(text, exc) \
        or _wrapped_colon(text, exc)
    if item is not None:
        return item
    start = _line_at_fault(text, exc)
    if start is None:
        return None
    begin = text.rfind("\n", 0, start) + 1
    lead = _LEAD.match(text, begin)
    if lead is None or lead.end() != start:  # (inside a [ list or { map)
        return None
    end = text.find("\n", start)
    line = text[start:len(text) if end < 0 else end].split(" #")[0].rstrip()
    lead_text = text[begin:start]
    held = _holder(text[:begin], len(lead_text) - len(lead_text.lstrip()), "-" in lead_text)
    if held is None:
        return None
    path, kind = held
    spaceless = _NO_SPACE.fullmatch(line) if kind != "list" else None  # (- http://x)
    if spaceless is not None:
        key, value = spaceless.groups()
        field = f"{path}.{key}" if path else key
        return start + len(key), (f"no space after the ':' of {key}, so YAML reads "
                                  f"{key}:{value.split()[0]} as text: write {key}: "
                                  f"{value}"), field
    if exc.problem == _SECOND_KEY and _NO_SPACE.fullmatch(line):  # (- http://x)
        return None
    words = _WORDS.fullmatch(line)
    keyed = f"write {words[1]}: {words[2]}" if words else f"write {line}: and its value" \
        if not re.search(r"\s", line) else "write the key, ': ' and its value"
    missing = {"map": f"no ':' after the key on this line: {keyed}",
               "list": f"no '- ' before this item of the list: write - {line}",
               "either": (f"no ':' after the key on this line ({keyed}), or no '- ' "
                          f"before this item of the list above it (write - {line})")}
    above = None if "-" in lead_text else _text_above(text[:begin], len(lead_text))
    if above is None:
        return start, missing[kind], path
    field, holder = above  # (a text wrapped, its next line not indented enough)
    return start, (f"{missing[kind]}; or, if this line goes on with the text of {field} "
                   f"above, indent it further than {holder} (or quote that text)"), path


def _long_key(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to do, the field path of its map) of a key
    longer than libyaml reads (:data:`_KEY_MOST`), that libyaml's error ``exc`` (no ':'
    found, or one not allowed, at its ':') comes from; None for another error."""
    mark = exc.problem_mark
    if exc.problem not in (_NO_COLON[0], _SECOND_KEY) or mark is None \
            or not re.match(r":(?:[ \t\n]|$)", text[mark.index:mark.index + 2]):
        return None
    begin = text.rfind("\n", 0, mark.index) + 1
    lead = _LEAD.match(text, begin)
    key = text[lead.end():mark.index].rstrip() if lead is not None else ""
    if lead is None or mark.index - lead.end() <= _KEY_MOST or re.search(r":[ \t]| #", key):
        return None
    lead_text = lead.group()
    held = _holder(text[:begin], len(lead_text) - len(lead_text.lstrip()), "-" in lead_text)
    return lead.end(), (f"this key is {len(key):,} characters long, and YAML reads a key of "
                        f"at most {_KEY_MOST} characters: shorten it"), \
        held[0] if held is not None else ""


def _text_item(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to write, the item's field path) of a list item
    written as plain text (``- b c``) with a ``key: value`` line below it, deeper than
    its ``-``, that libyaml's error ``exc`` (at that key's ``:``) comes from: the item is
    text, so the key cannot be one of it. None for another error, or a key less deep
    than the item's text."""
    if exc.problem != _SECOND_KEY or exc.context or exc.problem_mark is None:
        return None
    key_begin = text.rfind("\n", 0, exc.problem_mark.index) + 1
    key_line = text[key_begin:exc.problem_mark.index]
    end = key_begin - 1
    while end > 0:  # (back over the item's text, which may go on for lines)
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        lead = _LEAD.match(line)
        if lead is not None and "-" in lead.group():
            break
        if line.strip() and _NOT_PLAIN.match(line):
            return None
        end = begin - 1
    else:
        return None
    item = line[lead.end():].rstrip()
    deep = len(key_line) - len(key_line.lstrip(" "))
    if deep < lead.end() or not item or re.search(r":(?:[ ]|$)", item) \
            or item[0] in "'\"[]{},&*!|>%@`#":
        return None
    start, key = begin + lead.end(), key_line.strip()
    field = _value_field(text[:start] + "x\n", start)
    if deep > lead.end():
        return start, (f"this item of the list is the text {item!r}, so {key}: below it "
                       f"cannot be a key of it: write - {item}: to hold {key}:"), field
    words = _WORDS.fullmatch(item)
    keyed = f"write - {words[1]}: {words[2]}" if words else f"write - {item}: and its " \
        "value" if not re.search(r"\s", item) else "write the key, ': ' and its value"
    return start, (f"no ':' after the key on this line, so YAML reads the item as the text "
                   f"{item!r} and {key}: below it cannot be a key of it: {keyed}"), field


def _stray_item(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to do, the map's field path) of a list item
    (``- a``) at the indentation of a block map's keys, where libyaml's error ``exc``
    expected a key (``title: T`` then ``- a``); None for another error."""
    mark, opened = exc.problem_mark, exc.context_mark
    if (exc.problem, exc.context) != _NO_KEY or mark is None or opened is None \
            or mark.column != opened.column or not _ITEM.match(text, mark.index):
        return None
    field = broken_field(text)
    under = "under a key such as exercises:" if mark.column == 0 else "under a key"
    return mark.index, ("a list item where a 'key: value' line is expected: put it "
                        f"{under}, indented"), field


def _under_item(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to write, the field path) of a line of a block
    list that libyaml's error ``exc`` comes from (no ``- `` found at it): under an item
    whose text has ended, by its closing quote (``- "b c"``) or a comment (``- b c #
    note``), deeper than its ``-``, a ``key: value`` or more text that cannot be part of
    it (said at the item); at the ``-``'s indentation, a line with no ``- ``. None for
    another error."""
    mark, opened = exc.problem_mark, exc.context_mark
    if (exc.problem, exc.context) != _NO_DASH or mark is None or opened is None:
        return None
    end = text.find("\n", mark.index)
    line = text[mark.index:len(text) if end < 0 else end].split(" #")[0].rstrip()
    if mark.column <= opened.column:
        return mark.index, f"no '- ' before this item of the list: write - {line}", \
            broken_field(text)
    ended = _ended_item(text, opened.index)
    if ended is None:
        return None
    start, item, quoted, tag = ended
    if tag not in ("", "!", "!!str"):  # (no text: a number, true or false, null)
        field = _value_field(text[:start] + "x\n", start)
        return start, _under_value(line, item, quoted, tag, field), field
    tagged = f" tagged {tag}" if tag else ""
    if item is None:
        what = f"a quoted text of several lines{tagged}" if quoted else "a text of " \
            f"several lines{tagged}, which its comment ends"
    else:
        what = f"the quoted text {item}{tagged}" if quoted else f"the text {item!r}" \
            f"{tagged}, which its comment ends"
    key = re.match(r"(.+?):(?:[ ]|$)", line)
    if key is not None:
        fix = f"give {key[1]}: a '- ' of its own" + (
            f", or write - {tag + ' ' if tag else ''}{item}: to hold it"
            if item is not None else "")
        below = f"{key[1]}: below it cannot be a key of it"
    else:
        below = "the text below it cannot be more of it"
        fix = "put that text inside the quotes" if quoted else "put the comment " \
            "after the text's last line"
    return start, f"this item of the list is {what}, so {below}: {fix}", \
        _value_field(text[:start] + "x\n", start)


def _under_value(line: str, item: str | None, quoted: bool, tag: str, field: str) -> str:
    """What is wrong and what to do with ``line`` under a list item of a tag that makes
    it no text (``- !!int 5 # c``), the item at ``field``: what the item is (or what its
    tag needs), and no key to write for it, as a key is text."""
    from converter import yamlsafe  # (here: yamlsafe imports this module)

    ended = "" if quoted else ", which its comment ends"
    if item is None:
        what, needs = f"a value of several lines tagged {tag}{ended}", ""
    else:
        try:
            read = yaml11.describe(yamlsafe.load(f"{tag} {item}"))
            what, needs = f"{read}, written {tag} {item}{ended}", ""
        except yamlsafe.YamlProblem as problem:
            what, needs = f"{tag} {item}{ended}", f" (and {_at_field(problem, field)})"
    key = re.match(r"(.+?):(?:[ ]|$)", line)
    if key is not None:
        return (f"this item of the list is {what}, so {key[1]}: below it cannot be a key "
                f"of it: give {key[1]}: a '- ' of its own{needs}")
    fix = "put that text inside the quotes" if quoted else "put the comment after the " \
        "value's last line"
    return f"this item of the list is {what}, so the text below it cannot be more of " \
        f"it: {fix}{needs}"


def _at_field(problem: Any, field: str) -> str:
    """The message of ``problem``, of an item read alone, with the advice it gives at
    ``field`` of the schema where that differs (the text, not a number, of an item of
    ``exercises``: ``leave !!int out for the text, "1:70"``, not ``write 130``)."""
    if problem.by_field is None or problem.advice_at is None:
        return problem.message
    from converter.authoring import split_path

    fitting = problem.by_field(split_path(field))
    if fitting is None:
        return problem.message
    return problem.message[:problem.advice_at] + "".join(said + value
                                                        for said, value in fitting)


def _ended_item(text: str, at: int) -> tuple[int, str | None, bool, str] | None:
    """(where it starts, its text on one line, whether it is quoted, its tag or "") of
    the last item of the block list that starts at ``at`` read where the reading of
    ``text`` breaks off, when it is a text written after its ``- `` (maybe after a tag,
    ``- !!str a``) that its closing quote or a comment ends (on the line it ends on,
    which may be lines below); its text is as written when it is on one line, else as
    YAML reads it, in its quotes (None when that holds a line break or a tab). None for
    another item."""
    depth, last = -1, None
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if depth < 0:
                depth = 0 if isinstance(event, yaml.SequenceStartEvent) \
                    and event.start_mark.index == at else -1
                continue
            if depth == 0:
                last = event if isinstance(event, yaml.ScalarEvent) else None
            depth += isinstance(event, yaml.CollectionStartEvent) \
                - isinstance(event, yaml.CollectionEndEvent)
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    if last is None or depth != 0 or last.anchor or last.style not in ("'", '"', "", None):
        return None
    start, end = last.start_mark.index, last.end_mark.index
    tag = _TAG.match(text, start) if last.tag else None
    if last.tag and (tag is None or tag[1] not in _KEPT_TAGS):
        return None  # (a tag refused anyway, yaml-unsafe-tag: no text to advise with it)
    lead = _LEAD.match(text, text.rfind("\n", 0, start) + 1)
    line_end = text.find("\n", end)
    after = _ENDED_QUOTED if last.style else _ENDED_PLAIN
    if lead is None or lead.end() != start or "-" not in lead.group() \
            or not after.fullmatch(text, end, len(text) if line_end < 0 else line_end):
        return None
    tags = tag[1] if tag else ""
    written, value, quoted = text[tag.end() if tag else start:end], last.value, \
        bool(last.style)
    if "\n" not in written:
        return start, written, quoted, tags
    if not value.isprintable():  # (a line break, or a tab, kept by the quotes)
        return start, None, quoted, tags
    if not quoted:
        return start, value, False, tags
    return start, f'"{value}"' if last.style == '"' and '"' not in value \
        and "\\" not in value else "'" + value.replace("'", "''") + "'", True, tags


def _under_empty_item(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to do, the field path of the list) of a line
    under a list item with nothing after its ``-``, indented no further than that ``-``
    (so no value of the item), that libyaml's error ``exc`` comes from; else None."""
    mark = exc.problem_mark
    if mark is None or text[mark.index:mark.index + 1] in ("-", ""):
        return None
    begin = text.rfind("\n", 0, mark.index) + 1
    if text[begin:mark.index].strip():
        return None
    above = _line_above(text, mark.index)
    if above is None:
        return None
    end = text.find("\n", above)
    dash = text.find("-", above)
    if not _EMPTY_ITEM.fullmatch(text, above, end) or mark.column > dash - above:
        return None
    return mark.index, ("the list item above has nothing after its '-', and this line is "
                        "indented no further than that '-', so it is not the item's "
                        "value: indent it further than the '-'"), \
        _value_field(text[:dash] + "- x\n", dash + 2)


#: A line ``key: value`` (maybe a list item's): its indentation and ``- ``s, the key,
#: and where its plain value starts.
_KEY_VALUE = re.compile(r"([ ]*(?:-[ ]+)*)([^\s:#'\"\[\]{},&*!|>%@`-][^:#]*?):[ ]+"
                        r"(?=[^\s'\"#\[{&*!|>%@`])")


def _wrapped_colon(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong and what to write, the field path of the text) of a
    line under a plain text value (``en: a wrapped``), indented further than its key,
    that libyaml's error ``exc`` is at: a colon and a space on a line it wraps onto
    (``line: here``), where YAML reads a key; or any text after a line of it that
    ends in a comment, which ends the text. None for another error."""
    mark = exc.problem_mark
    if mark is None or exc.problem not in (_SECOND_KEY, _NO_KEY[0]) \
            or exc.context not in (None, _NO_KEY[1]):
        return None
    begin = text.rfind("\n", 0, mark.index) + 1
    deep = len(text[begin:mark.index]) - len(text[begin:mark.index].lstrip(" "))
    commented = exc.problem != _SECOND_KEY  # (the text ended by a comment)
    above, first = _line_above(text, begin), True
    while above is not None:  # (back over the text's lines to the key it is the value of)
        line = text[above:text.find("\n", above)]
        found = _KEY_VALUE.match(line)
        if (first and commented != (" #" in line)) \
                or (not first and " #" in line[found.end() if found else 0:]):
            return None  # (no comment ends the text, or one ends it above)
        if found is not None:
            break
        if _NOT_PLAIN.match(line.split(" #")[0]) or len(line) - len(line.lstrip(" ")) < deep:
            return None
        above, first = _line_above(text, above), False
    else:
        return None
    if deep <= len(found[1]):
        return None
    start, key = above + found.end(), found[2].rstrip()
    if commented:
        return mark.index, (f"the unquoted text of {key} ends at the comment above, so "
                            f"this line, indented under {key}, is no more of it: put the "
                            "comment after the text's last line"), \
            _value_field(text[:start] + "x\n", start)
    return mark.index, (f"a colon and a space inside the unquoted text of {key}, wrapped "
                        "onto this line, make YAML read a key here, which that text cannot "
                        "hold: put the whole text in quotes (or, if this is a key, indent "
                        f"it as far as {key})"), _value_field(text[:start] + "x\n", start)


def _line_above(text: str, at: int) -> int | None:
    """Where the last line before the one ``at`` is in starts that holds more than
    blanks or a comment; None at the first."""
    end = text.rfind("\n", 0, at)
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        kept = text[begin:end].strip()
        if kept and not kept.startswith("#"):
            return begin
        end = begin - 1
    return None


def _line_at_fault(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """Where the line libyaml's error ``exc`` comes from starts its key (after its
    indentation and any ``- ``), or None for another error."""
    if (exc.problem, exc.context) == _NO_COLON and exc.context_mark is not None:
        return int(exc.context_mark.index)
    if exc.problem != _SECOND_KEY or exc.context or exc.problem_mark is None:
        return None
    # The key is a plain text of lines: the one it starts on is the one at fault.
    end = text.rfind("\n", 0, exc.problem_mark.index)
    if re.search(r":[ \t]", text[end + 1:exc.problem_mark.index]):
        return None  # (a key before it on its line: the colon is that line's own error)
    first = None  # (the text's first line so far: at fault under a key with no value)
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if _NO_SPACE.fullmatch(line.strip()) and not line.lstrip().startswith("-"):
            return begin + len(line) - len(line.lstrip())
        if line.strip() and _NOT_PLAIN.match(line):
            return first if _opens_value(text[:end]) else None
        if line.strip():
            first = begin + len(line) - len(line.lstrip())
        end = begin - 1
    return first


#: A tag or an anchor after a key's ``:``, before its value (``key: !t &a``).
_PROPERTIES = re.compile(r"(?:[ \t]+[!&][^\s]*)+$")


def _opens_value(before: str) -> bool:
    """Whether the last line of ``before`` with more than a comment on it is a key with
    no value after its ':' (``origin:``, or only a tag or an anchor after it, ``origin:
    !!str``), whose value starts on the next line, or there is none (the text starts
    after ``before``)."""
    for line in reversed(before.split("\n")):
        kept = "" if line.lstrip().startswith("#") else line.split(" #")[0].strip()
        if kept:
            return _PROPERTIES.sub("", kept).endswith(":")
    return True


def _holder(before: str, column: int, item: bool) -> tuple[str, str] | None:
    """(field path, "map", "list" or "either") of the block map or list that a line
    indented ``column`` deep after the YAML ``before`` it is in; "either" where it may
    be a key of a map or an item of a list written at that map's indentation. ``item``:
    the line starts a list item (``- ``), whose map a key after it is in. None when
    ``before`` does not load."""
    try:
        node = yaml.compose(before, Loader=_BaseLoader)
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
        return None
    path = ""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value \
            and not node.flow_style:
        indent = node.start_mark.column
        if isinstance(node, yaml.SequenceNode):
            if column <= indent:
                if item:
                    return f"{path}[{len(node.value)}]", "map"
                return path, "list"
            path, node = f"{path}[{len(node.value) - 1}]", node.value[-1]
            continue
        key, value = node.value[-1]
        if column <= indent:
            indentless = isinstance(value, yaml.SequenceNode) and not value.flow_style \
                and value.start_mark.column == indent
            return path, "either" if indentless and not item else "map"
        step = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
        path, node = f"{path}.{step}" if path else step, value
    return path, "map"


def _text_above(before: str, column: int) -> tuple[str, str] | None:
    """(field path, what to indent past: its key or ``its '- '``) of the plain text
    that the YAML ``before`` a line indented ``column`` deep ends in, when that line may
    be more of it but is indented as far as its key (or its item's ``-``), not further;
    else None (a line less indented is taken for a key or item of its own)."""
    try:
        node = yaml.compose(before, Loader=_BaseLoader)
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
        return None
    path, holder, at = "", "", -1
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value \
            and not node.flow_style:
        if isinstance(node, yaml.SequenceNode):
            path, holder = f"{path}[{len(node.value) - 1}]", "that item's '- '"
            at, node = node.start_mark.column, node.value[-1]
            continue
        key, node = node.value[-1]
        step = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
        path, holder, at = f"{path}.{step}" if path else step, step, key.start_mark.column
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.value \
            or column != at or before[node.end_mark.index:].strip():
        return None
    return path, holder


def unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, what is wrong, the field path) of a quote that libyaml's error ``exc``
    reading ``text`` comes from: one opened before the error and closed lines below it by
    the next quote, across a line that looks like a key and its value (or a list item)
    no deeper than the line it opens on, and without which the error is not (closed on
    its line, :func:`_fails_so_still`); else None."""
    if exc.problem_mark is None:
        return None
    for start, end in _quoted_lines(text, exc.problem_mark.index):
        if _fails_so_still(text, start, exc):
            continue
        first = text.rfind("\n", 0, start) + 1
        indent = len(text[first:start]) - len(text[first:start].lstrip(" "))
        last = text.find("\n", end - 1)  # (the closing quote's line, whole)
        lines = text[start:len(text) if last < 0 else last].split("\n")[1:]
        across = next((line for line in lines if (found := _KEY_LIKE.match(line))
                       and len(found[1]) <= indent), None)
        if across is not None:
            below = len(lines)
            return start, (f"this quoted text is never closed on its line, so YAML reads "
                           f"on as its text up to the {text[start]} {below} "
                           f"line{'s' if below > 1 else ''} below ({across.strip()!r} and "
                           "all): close it"), _value_field(text, start)
    return None


def _fails_so_still(text: str, start: int, exc: yaml.MarkedYAMLError) -> bool:
    """Whether ``text`` fails as libyaml's error ``exc`` says, at the same place, with the
    quote that starts at ``start`` closed on its own line: a quote that spans lines as
    written, closed before that error, which is another line's."""
    end = text.find("\n", start)
    if end < 0 or exc.problem_mark is None:
        return False
    try:
        yaml.compose(text[:end] + text[start] + text[end:], Loader=_BaseLoader)
    except yaml.MarkedYAMLError as again:
        mark, was = again.problem_mark, exc.problem_mark
        return again.problem == exc.problem and mark is not None \
            and (mark.line, mark.column) == (was.line, was.column)
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
        pass
    return False


def _quoted_lines(text: str, until: int) -> list[tuple[int, int]]:
    """(start, end) of each quoted text of ``text`` that spans lines and starts before
    ``until``, as libyaml scans them (up to a problem it finds)."""
    found: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=_BaseLoader):
            start, end = token.start_mark.index, token.end_mark.index
            if start >= until:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') \
                    and "\n" in text[start:end]:
                found.append((start, end))
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return found


def _value_field(text: str, start: int) -> str:
    """The field path of the text value of ``text`` that starts at ``start`` ("" for
    none, or a key)."""
    try:
        for count, event in enumerate(yaml.parse(text, Loader=_BaseLoader)):
            if isinstance(event, yaml.ScalarEvent) and event.start_mark.index == start:
                return field_at(text, count)
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return ""
