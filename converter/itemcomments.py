"""Comments that ruamel.yaml's round-trip reader holds apart from the list item whose
line they are on.

An empty list item with a comment on its line (``- # note``) has no token of its own:
the reader holds the comment as a pre-comment of the next item with a value
(``ca.items[j][1]``, past empty items) or, after the last item, in the list's
``ca.end``, and its writer then puts it on a line of its own under the item, the dash
followed by a space, or under a later empty item. :func:`onto_empty_items` gives it
back to the item, as the comment at the end of its line (``ca.items[i][0]``, where a
comment after an item's value is held).
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken


def onto_empty_items(data: Any) -> None:
    """Give each empty item of every block list in ``data`` (a front matter as
    ruamel's round-trip reader loads it, however deep) the comment on its line."""
    if isinstance(data, CommentedMap):
        for value in data.values():
            onto_empty_items(value)
    elif isinstance(data, CommentedSeq):
        if not data.fa.flow_style():
            for index, item in enumerate(data):
                if item is None:
                    _onto(data, index)
        for value in data:
            onto_empty_items(value)


def _onto(seq: CommentedSeq, index: int) -> None:
    """Move the comment on the line of the empty item ``seq[index]`` from where the
    reader holds it (above the next item with a value, past empty ones, or at the
    list's end) to the end of the item's line (the pre-comments of the item with a
    value may hold the header comment of its block text, ``- | # c``, as a str: it
    stays)."""
    slot = seq.ca.items.get(index)
    if slot is not None and slot[0] is not None:
        return
    line = seq.lc.item(index)[0]
    for later in range(index + 1, len(seq) + 1):
        after = seq.ca.items.get(later) if later < len(seq) else None
        held = seq.ca.end if later == len(seq) else after[1] if after is not None else None
        token = next((t for t in held or [] if isinstance(t, CommentToken)
                      and t.start_mark.line == line and t.value.startswith("#")), None)
        if token is not None:
            held.remove(token)
            if after is not None and not held:
                after[1] = None
            seq.ca.items.setdefault(index, [None, None, None, None])[0] = token
            return
        if later < len(seq) and seq[later] is not None:
            return  # (the reader holds it no further on)
