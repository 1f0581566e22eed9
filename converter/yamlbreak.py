"""Where the reading of a YAML text that does not load breaks off: the field path a
syntax error is in (``foo`` of ``foo: [a,``; ``title`` of ``title: Soleus:``, which a
colon ends), or that a refused anchor or alias is at,
for :mod:`converter.yamlsafe` to name it; where it goes too deep.

libyaml's events come a little behind its scanner, which looks ahead for keys: the
path found is that of the value the error is in, or of one that holds it, or none.
"""

from __future__ import annotations

import re

import yaml

from converter.safety import MAX_DEPTH
from converter.yamlown import Loader

#: libyaml's parser when PyYAML has it (as :mod:`converter.yamlsafe` reads with it), of
#: this tool's own: no caller's registration reaches it (:mod:`converter.yamlown`).
_BaseLoader: type = Loader


def broken_field(text: str) -> str:
    """The field path of the value whose reading a YAML ``text`` that does not load
    breaks off in (``foo`` of ``foo: [a,``, ``b.c`` of ``b: {c: "x``), "" between
    fields or outside any: each key whose value was being read, and the index of each
    list item begun that holds more; "" deeper than :data:`MAX_DEPTH`."""
    frames = _frames(text)
    return _path(frames, len(frames) - 1)


def ended_field(text: str) -> str:
    """The field path of the map value read whole last where a YAML ``text`` that does
    not load breaks off (``title`` of ``title: Soleus:``, ``origin.en`` of ``origin:`` and
    ``en: calf: x`` below it), as a colon that ends a plain value, or a colon and a space
    inside it, break off there; "" where the reading is in a list, or in a map none of
    whose values was read whole since its last key, or deeper than :data:`MAX_DEPTH`."""
    frames = _frames(text)
    if not frames or frames[-1].ended is None or len(frames) > MAX_DEPTH:
        return ""
    outer = _path(frames[:-1], len(frames))
    return f"{outer}.{frames[-1].ended}" if outer else frames[-1].ended


def _frames(text: str) -> list[_Open]:
    """The maps and lists that the reading of ``text`` is inside where it breaks off."""
    frames: list[_Open] = []
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            _read(frames, event)
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return frames


def field_at(text: str, nth: int) -> str:
    """The field path of the value that the ``nth`` (0-based) parse event of ``text``
    starts (``origin`` of ``origin: &o``, ``more[1]`` of ``more: [a, *x]``; a key's,
    that of the map it is in), "" outside any or deeper than :data:`MAX_DEPTH`."""
    frames: list[_Open] = []
    try:
        for count, event in enumerate(yaml.parse(text, Loader=_BaseLoader)):
            if count == nth:
                return _path(frames, len(frames))
            _read(frames, event)
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return ""


def too_deep_at(text: str) -> int | None:
    """The character position of the first list or map of ``text`` nested deeper than
    :data:`MAX_DEPTH` (the document's own map is level 1), as a text nested far deeper
    than that reads up to where libyaml stops (some 1,000 levels down); past the events
    libyaml gives, by the brackets of the ``[`` lists and ``{`` maps it holds back (as
    one may be a key). None if none is found."""
    depth, after = 0, 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.index
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            after = event.end_mark.index
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    for token in _FLOW_TOKEN.finditer(text, after):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif bracket in ("]", "}"):
            depth -= 1
    return None


#: A quoted text or a comment (their brackets are no nesting), or a bracket.
_FLOW_TOKEN = re.compile(r""""[^"\\]*(?:\\.[^"\\]*)*"|'[^']*(?:''[^']*)*'|(?:^|(?<=[ \t]))#.*"""
                         r"|[\[\]{}]", re.M)


def _read(frames: list[_Open], event: yaml.Event) -> None:
    """Follow one parse ``event`` in ``frames``, the maps and lists it is inside."""
    if isinstance(event, yaml.CollectionStartEvent):
        frames.append(_Open(isinstance(event, yaml.SequenceStartEvent)))
    elif isinstance(event, yaml.CollectionEndEvent | yaml.ScalarEvent | yaml.AliasEvent):
        if isinstance(event, yaml.CollectionEndEvent) and frames:
            frames.pop()
        if frames:
            frames[-1].read(getattr(event, "value", None))


def _path(frames: list[_Open], last: int) -> str:
    """The field path of ``frames``: each key read, and the index of each list before
    ``last`` (the frame the value is in); "" deeper than :data:`MAX_DEPTH`."""
    if len(frames) > MAX_DEPTH:  # (too deep to name, and refused as such once it loads)
        return ""
    path = ""
    for depth, frame in enumerate(frames):
        if frame.items is not None and depth < last:
            path += f"[{frame.items}]"
        elif frame.key is not None:
            path += f".{frame.key}" if path else frame.key
    return path


class _Open:
    """A map or list :func:`broken_field` is inside: a list's items read, or the key
    of the map's value being read (None between its entries) and that of the value
    read whole last (None once a key follows it)."""

    def __init__(self, is_list: bool) -> None:
        self.items: int | None = 0 if is_list else None
        self.key: str | None = None
        self.ended: str | None = None
        self._keyed = False

    def read(self, scalar: str | None) -> None:
        """One value read whole inside: an item, or a key (``scalar``; a list or map
        as a key, None), or a key's value."""
        if self.items is not None:
            self.items += 1
        elif not self._keyed:
            self.key, self.ended, self._keyed = scalar, None, True
        else:
            self.key, self.ended, self._keyed = None, self.key, False
