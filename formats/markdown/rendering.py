"""A muscle's file text: its front matter in the schema's key order, multi-line text as
``|`` blocks, text a YAML 1.1 reader would misread quoted."""

from __future__ import annotations

import io
import re
from typing import Any

from converter.authoring import front_matter_from_muscle
from converter.model import Muscle
from converter.slug import BUNDLE_PAGE

from .yamlwriter import _PER_THREAD, _WIDTH, _yaml_used

_SEPARATORS = re.compile("[\x85\u2028\u2029]")
#: Text a ``|`` block can hold as it is: no control characters, line separators, byte
#: order marks or the two characters YAML cannot hold raw (U+FFFE, U+FFFF).
_PRINTABLE_BLOCK = re.compile(
    r"^(?!\s)[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]*$", re.S)


def _literal_blocks(value: Any) -> Any:
    """Multi-line text as ``|`` block scalars, which read like the text itself; text with
    Unicode line separators double-quoted (ruamel would write them raw, and a YAML
    reader folds raw separators into spaces), and so is text that a YAML 1.1 reader
    would take for something else (:func:`~converter.yamlsafe.plain_misread`: ruamel
    writes ``no`` or ``1,2,3`` plain, which YAML 1.2 reads as text, but Jekyll and Hugo
    would not)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    from converter.yamlsafe import plain_misread

    if isinstance(value, dict):  # (keys quoted by the same rules)
        return {DoubleQuotedScalarString(k) if _SEPARATORS.search(k) or plain_misread(k)
                else k: _literal_blocks(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal_blocks(v) for v in value]
    if not isinstance(value, str):
        return value
    if _SEPARATORS.search(value) or plain_misread(value):
        return DoubleQuotedScalarString(value)
    if "\n" in value.rstrip("\n") and _PRINTABLE_BLOCK.match(value) \
            and not any(line != line.rstrip() for line in value.split("\n")):
        return LiteralScalarString(value)
    return value


def render(muscle: Muscle, default_lang: str = "en", *, data: Any = None) -> str:
    """The canonical file text of a muscle (``data``: a ruamel document to emit instead)."""
    stream = io.StringIO()
    if data is None:
        front = front_matter_from_muscle(muscle, default_lang)
        if muscle.slug == BUNDLE_PAGE:  # (index.md would take its folder's name)
            front = {"slug": muscle.slug, **front}
        data = _literal_blocks(front)
    with _yaml_used() as yaml:
        yaml.dump(data, stream)
    front = stream.getvalue()
    if not front:  # (a map is at least "{}": nothing written is a broken instance)
        _PER_THREAD.__dict__.get("instances", {}).pop(_WIDTH, None)
        raise RuntimeError(f"the YAML writer wrote no front matter for {muscle.slug!r}")
    return f"---\n{front}---\n{muscle.body}"
