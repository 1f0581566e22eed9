"""What the writer's representers and emitter share: how far fmt steps in, and the
styles of scalars written otherwise than ruamel would write them."""

from __future__ import annotations

#: How far fmt writes a map's keys right of the key it is the value of, a list's dashes
#: right of its key, and an item's keys right of its dash.
_STEP_IN = 2

#: The style of a number written plain after its tag (``!!float 12``, ``!!int 0x1F``),
#: which ruamel would quote, as it quotes every tagged scalar that YAML reads as another
#: type untagged (or leave untagged, where its YAML 1.2 reads it as the number).
_TAGGED_PLAIN = "p"

#: The style of a scalar written as its source text (:class:`_AsWritten`), untagged.
_AS_WRITTEN = "w"


class _AsWritten(str):
    """A scalar's source text (``1_000``, ``'Off'``), which fmt writes as it is."""
