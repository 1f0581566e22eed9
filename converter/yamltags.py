"""What the readers of front matter make of a number written with an explicit tag
(``!!int 1__000``, ``!!float 1_000``) in a form YAML reads untagged as no number.

Jekyll (Ruby's Psych) reads ``!!int x`` as it reads ``x`` plain and ``!!float x`` as
Ruby's ``Float()`` of that; Hugo (Go's yaml.v2) drops every ``_`` and takes a whole
number for ``!!float``; PyYAML drops every ``_`` too. They read ``!!float 1_000`` alike
(1000.0), but ``!!int 1__000`` is 1000 to Hugo and PyYAML and the text to Jekyll:
:func:`read` gives the number where all three read the same one, else says what each
reads. Held to the real Jekyll and Hugo by ``tests/test_yamltags.py``.

A block scalar with the non-specific tag ``!`` (``k: ! |`` and ``7`` below it) is text
to YAML, as to Jekyll and Hugo ("7\n"): PyYAML resolves it as if plain (7, and ``! >``
of ``true`` false, its ``$`` matching before the line break), so :func:`block_texts`
gives it back its text.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from converter import yaml11, yamlown

#: What Ruby's ``Float()`` reads: a decimal with ``_`` between digits, or hexadecimal.
_RUBY_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?|\.[0-9]+"
                         r"(?:_[0-9]+)*)(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?")
_RUBY_HEX = re.compile(r"[-+]?0[xX][0-9a-fA-F]+")
#: What Ruby's ``Float()`` skips before and after the number (C's ``isspace``).
_RUBY_SPACE = " \t\n\v\f\r"
_STR = "tag:yaml.org,2002:str"
#: The readers, in the order their readings are named.
READERS = ("Jekyll", "Hugo", "PyYAML")


def psych(kind: str, text: str) -> Any:
    """What Psych reads of ``text`` tagged ``!!int`` or ``!!float`` (``kind``), or
    :data:`~converter.yaml11.FAILS` where it refuses the front matter."""
    read = yaml11.psych(text)
    if kind == "int" or read is yaml11.FAILS:
        return read
    if isinstance(read, int | float) and not isinstance(read, bool):
        return float(read)
    if read is not text:  # (true, null, a date: Float() refuses them)
        return yaml11.FAILS
    text = text.strip(_RUBY_SPACE)  # (Float() takes blanks and line breaks around it)
    if _RUBY_FLOAT.fullmatch(text):
        return float(text.replace("_", ""))
    if _RUBY_HEX.fullmatch(text):
        return float(int(text, 16))
    return yaml11.FAILS


def go_yaml_v2(kind: str, text: str) -> Any:
    """What yaml.v2 reads of ``text`` tagged ``!!int`` or ``!!float`` (``kind``), or
    :data:`~converter.yaml11.FAILS` where its value is not of that kind."""
    read = yaml11.go_yaml_v2(text)
    if isinstance(read, bool) or not isinstance(read, int | float):
        return yaml11.FAILS
    if kind == "int":
        return read if isinstance(read, int) else yaml11.FAILS
    return float(read)


def pyyaml(kind: str, text: str) -> Any:
    """What PyYAML's safe loader reads of ``text`` tagged ``!!int`` or ``!!float``."""
    construct = getattr(yaml.constructor.SafeConstructor(), f"construct_yaml_{kind}")
    try:
        return construct(yaml.ScalarNode(f"tag:yaml.org,2002:{kind}", text))
    except (ValueError, IndexError):  # (IndexError: the empty text)
        return yaml11.FAILS


def readings(kind: str, text: str) -> tuple[Any, Any, Any]:
    """What Jekyll, Hugo and PyYAML read of ``text`` tagged ``!!int`` or ``!!float``."""
    return psych(kind, text), go_yaml_v2(kind, text), pyyaml(kind, text)


def read(kind: str, text: str) -> tuple[Any, str]:
    """(the number, "") that Jekyll, Hugo and PyYAML all read of ``text`` tagged
    ``!!int`` or ``!!float`` (``kind``), or (None, why not): what each reads where they
    differ, or "" where none reads a number of that kind."""
    found = readings(kind, text)
    numbers = [value for value in found if _number(value, kind)]
    if len(numbers) == len(found) and len({repr(value) for value in numbers}) == 1:
        return numbers[0], ""
    if not numbers:
        return None, ""
    said: dict[str, list[str]] = {}
    for reader, value in zip(READERS, found, strict=True):
        said.setdefault(_described(value, text), []).append(reader)
    parts = [f"{what} to {' and '.join(readers)}" for what, readers in said.items()]
    write = " or ".join(written(kind, text))
    return None, (f"!!{kind} {_shown(text)} is {', '.join(parts[:-1])} but {parts[-1]}"
                  + (f": write {write}" if write else ""))


def written(kind: str, text: str) -> list[str]:
    """The numbers Jekyll, Hugo and PyYAML read of ``text`` tagged ``!!int`` or
    ``!!float`` (``kind``), each once, as plain YAML every reader reads as it (``130``,
    ``8.0``): what to write where they read it apart (none infinite)."""
    return list(dict.fromkeys(yaml11.yaml_value(value) for value in readings(kind, text)
                              if _number(value, kind) and math.isfinite(value)))


def _shown(text: str) -> str:
    """``text`` as a message shows it: as written plain, or quoted where it has blanks
    or line breaks at its ends or inside (``"7\\n"``, not a line break in the message)."""
    return text if text and text.strip() == text and "\n" not in text else yaml11.quoted(text)


def _number(value: Any, kind: str) -> bool:
    """Whether a reading is a number of ``kind`` (int or float)."""
    return type(value) is (int if kind == "int" else float) and value == value


def _described(value: Any, text: str) -> str:
    """A reading in words: ``the number 1000``, ``the text '1__000'``, ``an error``
    (the reader reads none of the front matter)."""
    if value is yaml11.FAILS:
        return "an error"
    if value is text:
        return f"the text {text!r}"
    return yaml11.describe(value)


def block_texts(text: str, root: yaml.Node | None) -> yaml.Node | None:
    """``root``, composed from ``text``, with each block scalar (``|``, ``>``) tagged
    ``!`` made text, as YAML, Jekyll and Hugo read it (a search in C of a text without
    both a ``!`` and a block's ``|`` or ``>``; a block scalar with a tag of its own,
    ``!!int |``, keeps it)."""
    if root is None or "!" not in text or ("|" not in text and ">" not in text):
        return root
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            pending += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
        elif node.style in ("|", ">") and node.tag != _STR \
                and yaml11.tag_of(text, node.start_mark.index) in yaml11.NON_SPECIFIC:
            node.tag = _STR
    return root


def untagged_line(text: str, node: yaml.Node, value: str) -> str:
    """The line of ``text`` holding ``node``, a scalar of a tag that reads no value of
    it (``latin: !!int abc``), written with ``value`` (the text it holds in double
    quotes, ``"abc"``; a number, a list) in place of the tag and the scalar (``latin:
    "abc"``), without its indentation; a scalar over lines, with the lines it is on,
    as one line (a block scalar, ``|`` or ``>``, ends at the start of the line after
    it: nothing of that line)."""
    start, end = node.start_mark.index, node.end_mark.index
    stop = end if node.style in ("|", ">") else text.find("\n", end)
    line = text[text.rfind("\n", 0, start) + 1:start] + value \
        + text[end:len(text) if stop < 0 else stop]
    return line.strip(" \t\r")


def as_list(node: yaml.ScalarNode, text: bool = False) -> str:
    """A scalar tagged ``!!seq`` written as the ``[`` list its writer named: plain text
    in brackets where that reads as a list of plain values, none tagged or anchored
    (``[abc]``, ``[a, b]`` of ``a, b``), else the one item its text is, in double quotes
    (``["a]"]``, ``["a, &x b"]``). With ``text`` (a list of text), each item that some
    reader reads as no text is in double quotes (``["1", "2"]``, ``[squat, "null"]``)."""
    items = plain_items(node)
    if items is None:
        return f"[{yaml11.quoted(node.value)}]"
    return _as_text(items) if text else f"[{node.value}]"


def plain_items(node: yaml.ScalarNode) -> list[yaml.ScalarEvent] | None:
    """The items of a scalar tagged ``!!seq`` where its text in brackets reads as a
    list of plain values, none tagged or anchored (``a`` and ``b`` of ``a, b``); None
    where it does not (quoted, ``a, [b]``, ``a, &x b``)."""
    if node.style:
        return None
    try:
        events = list(yaml.parse(f"[{node.value}]", Loader=yamlown.Loader))[2:-2]
    except yaml.YAMLError:
        return None
    if events and isinstance(events[0], yaml.SequenceStartEvent) \
            and isinstance(events[-1], yaml.SequenceEndEvent) and all(
                isinstance(item, yaml.ScalarEvent) and not item.style and item.tag
                is None and item.anchor is None for item in events[1:-1]):
        return events[1:-1]
    return None


def _as_text(items: list[yaml.ScalarEvent]) -> str:
    """The ``[`` list of plain ``items``, each that some reader reads as no text
    (:func:`~converter.yamlsafe.plain_misread`) in double quotes."""
    from converter.yamlsafe import plain_misread  # (here: yamlsafe imports this module)

    return "[" + ", ".join(yaml11.quoted(item.value) if plain_misread(item.value)
                           else item.value for item in items) + "]"
