"""The JSON Schemas shipped with the package."""

from __future__ import annotations

import json
import re
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


#: The JSON types a schema takes (None: any).
Types = frozenset[str] | None
#: The JSON types a single value of text is none of: what a field held to text refuses.
_NOT_TEXT = frozenset({"number", "integer", "boolean"})
#: Every JSON type (an ``integer`` is a ``number``): a schema that takes each takes any.
_EVERY = frozenset({"array", "boolean", "null", "number", "object", "string"})


def types_at(steps: tuple[str | int, ...], name: str = "front-matter") -> Types:
    """The JSON types the schema ``name`` takes for the value that ``steps`` (keys and
    list indexes) lead to (None: any, where it takes a value of each JSON type):
    ``frozenset({"string", "null"})`` of ``("latin",)``, ``{"string"}`` of
    ``("exercises", 0)``, None of an extra key (``("notes",)``, ``("notes", 0)``)."""
    root = load_schema(name)
    found = _types(root, root, steps)
    return None if found is not None and found >= _EVERY else found


def takes_text(steps: tuple[str | int, ...]) -> bool:
    """Whether the front-matter schema holds the single value at ``steps`` to text: a
    string there, and no number or true/false (the muscle's own fields: ``title``,
    ``exercises[0]``, ``origin.da``; not ``published`` nor an extra key)."""
    types = types_at(steps)
    return types is not None and "string" in types and not types & _NOT_TEXT


def _types(root: dict[str, Any], schema: Any, steps: tuple[str | int, ...]) -> Types:
    """The JSON types ``schema`` (of ``root``, for its ``$ref``) takes at ``steps``
    below the value it holds (``allOf`` and ``$ref`` all, ``anyOf`` and ``oneOf`` any)."""
    if schema is True or schema is False:
        return None if schema else frozenset()
    found: Types = None

    def meet(types: Types) -> None:
        nonlocal found
        found = types if found is None else found if types is None else found & types

    if "$ref" in schema:
        meet(_types(root, _referred(root, schema["$ref"]), steps))
    for part in schema.get("allOf", ()):
        meet(_types(root, part, steps))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [_types(root, part, steps) for part in schema[key]]
            meet(None if None in branches else frozenset().union(*branches))
    own = schema.get("type")
    own = None if own is None else frozenset([own] if isinstance(own, str) else own)
    if not steps:
        meet(own)
        return found
    if own is not None and ("object" if isinstance(steps[0], str) else "array") not in own:
        return frozenset()
    meet(_types(root, _child(schema, steps[0]), steps[1:]))
    return found


def _child(schema: dict[str, Any], step: str | int) -> Any:
    """The schema of the value at ``step`` (a key or a list index) in ``schema``'s own
    keywords (True: any)."""
    if isinstance(step, int):
        return schema.get("items", True)
    if step in schema.get("properties", {}):
        return schema["properties"][step]
    for pattern, child in schema.get("patternProperties", {}).items():
        if re.search(pattern, step):
            return child
    return schema.get("additionalProperties", True)


def _referred(root: dict[str, Any], ref: str) -> Any:
    """The schema a local ``$ref`` (``#/$defs/text``) names in ``root``."""
    here: Any = root
    for part in ref.removeprefix("#/").split("/"):
        here = here[part]
    return here


def required_at(steps: tuple[str | int, ...], name: str = "front-matter") -> tuple[str, ...]:
    """The keys the schema ``name`` requires of a map at ``steps`` (``("short",)`` of
    ``("function", 0)``; none where no map there requires a key)."""
    root = load_schema(name)
    found: list[str] = []
    for schema in _schemas(root, root, steps):
        found += [key for key in schema.get("required", ()) if key not in found]
    return tuple(found)


def text_fits(steps: tuple[str | int, ...], value: str, name: str = "front-matter") -> bool:
    """Whether the text ``value`` matches every ``pattern`` the schema ``name`` sets on
    a text at ``steps`` (``"10,20,30,40,50,60"`` at ``("coords", 0)``, not ``"10"``)."""
    root = load_schema(name)
    return all(re.search(schema["pattern"], value) for schema in _schemas(root, root, steps)
               if "pattern" in schema and "string" in _own(schema))


def _own(schema: dict[str, Any]) -> frozenset[str]:
    """The types ``schema`` names itself (``type``; none where it names none)."""
    own = schema.get("type", ())
    return frozenset([own] if isinstance(own, str) else own)


def _schemas(root: dict[str, Any], schema: Any, steps: tuple[str | int, ...]
             ) -> list[dict[str, Any]]:
    """Every schema (of ``root``) that ``schema`` applies at ``steps`` below the value
    it holds, through ``$ref``, ``allOf``, ``anyOf`` and ``oneOf``."""
    if not isinstance(schema, dict):
        return []
    found: list[dict[str, Any]] = []
    if "$ref" in schema:
        found += _schemas(root, _referred(root, schema["$ref"]), steps)
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, ()):
            found += _schemas(root, part, steps)
    if not steps:
        return [schema, *found]
    return found + _schemas(root, _child(schema, steps[0]), steps[1:])
