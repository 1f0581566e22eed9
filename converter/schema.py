"""The JSON Schemas shipped with the package."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

NAMES = ("muscle", "front-matter")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """``"muscle"`` (canonical JSON output) or ``"front-matter"`` (authors' input)."""
    if name not in NAMES:
        raise KeyError(name)
    return json.loads(files("converter").joinpath(f"schemas/{name}.schema.json").read_text())
