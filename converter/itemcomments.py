"""Comments that ruamel.yaml's round-trip reader holds apart from the list item whose
line they are on.

An empty list item with a comment on its line (``- # note``) has no token of its own:
the reader holds the comment as a pre-comment of the item after it
(``ca.items[i + 1][1]``) or, after the last item, in the list's ``ca.end``, and its
writer then puts it on a line of its own under the item, the dash followed by a
space. :func:`onto_empty_items` gives it back to the item, as the comment at the end
of its line (``ca.items[i][0]``, where a comment after an item's value is held).
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
    reader holds it to the end of the item's line (the next item's pre-comments may
    hold the header comment of its block text, ``- | # c``, as a str: it stays)."""
    slot = seq.ca.items.get(index)
    if slot is not None and slot[0] is not None:
        return
    line = seq.lc.item(index)[0]
    after = seq.ca.items.get(index + 1) if index + 1 < len(seq) else None
    held = (after[1] if after is not None else None) if index + 1 < len(seq) \
        else seq.ca.end
    token = next((t for t in held or [] if isinstance(t, CommentToken)
                  and t.start_mark.line == line and t.value.startswith("#")), None)
    if token is None:
        return
    held.remove(token)
    if after is not None and not held:
        after[1] = None
    seq.ca.items.setdefault(index, [None, None, None, None])[0] = token
