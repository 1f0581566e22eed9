"""The layouts: the data package's tables (Table Schema) and the descriptor written
for them, and the flat sheet's columns."""

from __future__ import annotations

from typing import Any

from .cells import NULL, SAFE_PREFIX

PACKAGE_DESCRIPTOR = "datapackage.json"
#: Fields the flat sheet carries: reading it back gives ``muscle.project(FLAT_CARRIES)``.
FLAT_CARRIES: frozenset[str] = frozenset({
    "slug", "title", "latin", "origin", "insertion", "functions", "exercises", "image",
    "image_focus", "regions"})
#: The flat sheet's columns; ``<lang>`` stands for one column per language used in
#: that field anywhere in the sheet, in sorted order.
FLAT_LAYOUT: tuple[str, ...] = (
    "slug", "title", "latin", "origin_<lang>", "insertion_<lang>", "function_short_<lang>",
    "function_extended_<lang>", "exercises", "image", "image_focus", "coords")
#: The columns a hand-made sheet must have; the others may be left out.
FLAT_REQUIRED = ("slug", "title")
#: The descriptor key that says the package's text cells are neutralised (its value is
#: the prefix): readers of the tables alone see the prefix, this reader removes it.
FORMULA_PREFIX_KEY = "x-formula-prefix"
#: What may separate the flat sheet's cells (``separator``), the first the default.
SEPARATORS = (",", ";", "\t")
_LANGUAGE = "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
#: Every option stated: frictionless guesses an option left out from the cells (so text
#: such as ", 'soleus'," made it skip the spaces that start a cell).
_DIALECT = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n",
            "quoteChar": '"', "skipInitialSpace": False}
_GROUPS = {"origin_": "origin", "insertion_": "insertion", "function_short_": "short",
           "function_extended_": "extended"}


def _col(name: str, type_: str, description: str, *, required: bool = True,
         **constraints: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "description": description,
            "constraints": {"required": required, **constraints}}


_SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"
_SLUG = _col("slug", "string", "the muscle (muscles.slug)", pattern=_SLUG_PATTERN)
_POSITION = _col("position", "integer", "0-based position in the list", minimum=0)
_LANG = _col("language", "string", "language code such as da or en", pattern=_LANGUAGE)

#: name -> (description, fields, primary key); every table but muscles refers to muscles.
TABLES: dict[str, tuple[str, tuple[dict[str, Any], ...], tuple[str, ...]]] = {
    "muscles": ("one row per muscle", (
        _col("slug", "string", "stable identity of the muscle", pattern=_SLUG_PATTERN),
        _col("title", "string", "display title"),
        _col("latin", "string", "Latin name (\\N: none)", required=False),
        _col("image", "string", "image URL or path (\\N: none)", required=False),
        _col("image_focus", "string", "focus image URL or path (\\N: none)", required=False),
        _col("body", "string", "Markdown body"),
        _col("extra", "object", "other front-matter keys as a JSON object"),
    ), ("slug",)),
    "texts": ("origin and insertion, one row per language", (
        _SLUG,
        _col("field", "string", "origin or insertion", enum=["origin", "insertion"]),
        _LANG,
        _col("text", "string", "the text"),
    ), ("slug", "field", "language")),
    "functions": ("functions: short statement and explanation, one row per language", (
        _SLUG, _POSITION,
        _col("part", "string", "short or extended", enum=["short", "extended"]),
        _LANG,
        _col("text", "string", "the text"),
    ), ("slug", "position", "part", "language")),
    "exercises": ("exercises in order", (
        _SLUG, _POSITION,
        _col("name", "string", "the exercise"),
    ), ("slug", "position")),
    "regions": ("body-diagram polygons, one row per point", (
        _SLUG,
        _col("region", "integer", "0-based polygon number", minimum=0),
        _col("point", "integer", "0-based point number in the polygon", minimum=0),
        _col("x", "number", "x coordinate, exactly as written", minimum=0),
        _col("y", "number", "y coordinate, exactly as written", minimum=0),
    ), ("slug", "region", "point")),
}


def columns(table: str) -> tuple[str, ...]:
    """The column names of a package table, in file order."""
    return tuple(f["name"] for f in TABLES[table][1])


def descriptor() -> dict[str, Any]:
    """The ``datapackage.json`` of every package this format writes."""
    resources = []
    for name, (description, fields, key) in TABLES.items():
        schema: dict[str, Any] = {"fields": list(fields), "missingValues": [NULL],
                                  "primaryKey": list(key)}
        if name != "muscles":
            schema["foreignKeys"] = [{"fields": ["slug"],
                                      "reference": {"resource": "muscles", "fields": ["slug"]}}]
        resources.append({"name": name, "path": f"{name}.csv", "description": description,
                          "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "dialect": _DIALECT,
                          "schema": schema})
    return {"profile": "tabular-data-package", "name": "muscles", "title": "Muscles",
            "description": "Muscle anatomy content written by muscle-convert.",
            "resources": resources, FORMULA_PREFIX_KEY: SAFE_PREFIX}
