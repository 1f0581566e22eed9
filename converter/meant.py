"""The name a mistyped one may be meant as: ``did you mean title?`` of an unknown key
(``Title``, ``origins`` in a canonical record; ``jbos`` in a config file)."""

from __future__ import annotations

from collections.abc import Sequence

#: Names shorter than this are suggested for one another only when they differ in case:
#: their few letters make many names look close ("o" and "to", "tool" and "to").
SHORTEST_SUGGESTED = 3


def near(name: str, names: Sequence[str]) -> str | None:
    """The one of ``names`` that ``name`` may be a typo of, if any: one that differs
    from it in case alone, else the closest of those as long as
    :data:`SHORTEST_SUGGESTED` (difflib's, 0.6 alike at least)."""
    folded = name.lower()
    same = [n for n in names if n.lower() == folded]
    if same or len(name) < SHORTEST_SUGGESTED:
        return same[0] if same else None
    import difflib  # (on a typo only: not at every start)

    longer = [n for n in names if len(n) >= SHORTEST_SUGGESTED]
    found = difflib.get_close_matches(name, longer, n=1, cutoff=0.6)
    return found[0] if found else None


def hint(name: str, names: Sequence[str], otherwise: str = "") -> str:
    """``; did you mean title?`` where ``name`` may be a typo of one of ``names``
    (:func:`near`), else ``otherwise``."""
    meant = near(name, names)
    return f"; did you mean {meant}?" if meant else otherwise
