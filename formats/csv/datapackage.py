"""A package's ``datapackage.json`` read: its tables, formula prefix and cell
separators; what the reader does not read as declared is refused."""

from __future__ import annotations

import codecs
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from converter.authoring import too_deep
from converter.canonical import JsonPlaces
from converter.coords import SHOWN
from converter.diagnostics import Diagnostic, MuscleError, error
from converter.safety import MAX_DEPTH, BadJson, keys_twice, load_json
from converter.unmarked import decode_text

from .cells import NULL, SAFE_PREFIX
from .csvio import _read_whole
from .layout import FORMULA_PREFIX_KEY, PACKAGE_DESCRIPTOR, TABLES


def _too_deep_at(data: Any) -> tuple[str, ...] | None:
    """Where the descriptor ``data`` nests more than :data:`MAX_DEPTH` levels (its own
    object the first): the key whose value does, () for the whole; None: nowhere."""
    if isinstance(data, dict):
        return next(((key,) for key, value in data.items()
                     if too_deep(value, MAX_DEPTH - 1)), None)
    return () if too_deep(data, MAX_DEPTH) else None


def _field(steps: Sequence[str | int]) -> str:
    """The field that the keys and indexes ``steps`` name (``resources[2].dialect``)."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps).lstrip(".")


class _Delimiter(NamedTuple):
    """The cell separator a table's resource declares, and where: the descriptor, the
    steps to its key there, the descriptor's places."""

    value: str
    descriptor: Path
    steps: tuple[str | int, ...]
    places: JsonPlaces

    def differs(self, table: Path, found: str) -> Diagnostic | None:
        """The ``delimiter-mismatch`` warning at the declaration when the cells of
        ``table`` are separated by ``found``, not as declared (read as found: a
        spreadsheet may save a table so); None when they are as declared."""
        if found == self.value:
            return None
        line, column = self.places.find_steps(self.steps) or (None, None)
        return Diagnostic(
            str(self.descriptor), line, column, _field(self.steps), "delimiter-mismatch",
            f"{table.name} separates its cells with {_shown(found)}, not {_shown(self.value)}"
            f" as declared: it is read as found, but frictionless splits it on "
            f"{_shown(self.value)}; declare the one used, \"delimiter\": {json.dumps(found)}",
            "warning")


class _Package(NamedTuple):
    """What a package's descriptor declares that the reader reads: table name -> CSV
    file, the formula prefix ("" for none) and table name -> the cell separator its
    resource declares (a table that declares none, frictionless guesses)."""

    files: dict[str, Path]
    prefix: str
    delimiters: dict[str, _Delimiter]


def _resources(path: Path) -> _Package:
    """What the descriptor at ``path`` declares (files must lie beside it)."""
    raw = _read_whole(path)
    try:
        text = decode_text(raw, str(path))
        data = load_json(text, read_deep=True)  # (however deep: too-deep, at its key)
    except BadJson as exc:
        what = ("is not valid JSON" if path.name == PACKAGE_DESCRIPTOR else
                "is neither a .csv sheet nor a data package descriptor (not JSON)")
        raise error(str(path), "bad-json", f"{what}: {exc}", line=exc.line,
                    column=exc.column) from None
    places = JsonPlaces(text)  # (it walks the text on the first problem only)
    twice = keys_twice(data)
    if twice:  # (at its last value, as the json format says it)
        raise error(str(path), "duplicate-key", f"duplicate key {twice[0]!r}", twice[0],
                    *(places.find(twice[0]) or (None, None)))
    deep = _too_deep_at(data)
    if deep is not None:
        raise error(str(path), "too-deep", f"is nested deeper than {MAX_DEPTH} levels "
                    "(counting the descriptor's own object)", _field(deep),
                    *(places.find_steps(deep) or (None, None)))
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):  # (at the list, else the object or the value)
        raise error(str(path), "bad-package", 'expected an object with a "resources" list',
                    "resources" if isinstance(data, dict) else "",
                    *(places.find_steps(("resources",)) or (None, None)))

    def bad(message: str, *steps: str | int) -> MuscleError:
        line, column = places.find_steps(steps) or (None, None)
        return error(str(path), "bad-package", message, _field(steps), line, column)

    found: dict[str, int] = {}  # name -> its resource's place in the list
    for at, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        if isinstance(name, str) and found.setdefault(name, at) != at:
            raise bad(f"resource name {name!r} given twice (first in resources[{found[name]}])",
                      "resources", at, "name")
    files, delimiters = {}, {}
    for name in TABLES:
        if name not in found:
            raise bad(f"no resource named {name!r}: the package needs one for each of its "
                      f"tables ({', '.join(TABLES)})", "resources")
        where = resources[found[name]].get("path")
        if not isinstance(where, str) or "/" in where or "\\" in where or where in ("", ".", ".."):
            raise bad(f"resource {name!r} needs a CSV file name beside the descriptor",
                      "resources", found[name], "path")
        unread = _unread(resources[found[name]])
        if unread is not None:
            raise bad(unread[1], "resources", found[name], *unread[0])
        declared = _declared_delimiter(resources[found[name]])
        if declared is not None:
            delimiters[name] = _Delimiter(declared[0], path,
                                          ("resources", found[name], *declared[1]), places)
        files[name] = path.parent / where
        if not files[name].is_file():
            raise error(str(files[name]), "missing-table", f"table {name!r} is missing")
    prefix = data.get(FORMULA_PREFIX_KEY, "")
    if prefix not in ("", SAFE_PREFIX):  # (another would cut every text it starts)
        raise bad(f"{_shown(prefix)} is not the prefix muscle-convert writes "
                  f"({SAFE_PREFIX!r}): give that, or leave the key out for none",
                  FORMULA_PREFIX_KEY)
    return _Package(files, prefix, delimiters)


#: What the reader reads of a table's dialect (Frictionless), each key's values: cells
#: separated by any of these (:func:`_delimiter`), and any line end.
_DIALECT_READ: dict[str, tuple[Any, ...]] = {
    "delimiter": (",", ";", "\t"), "quoteChar": ('"',), "doubleQuote": (True,),
    "header": (True,), "lineTerminator": ("\n", "\r\n", "\r"), "skipInitialSpace": (False,)}


#: The endings frictionless takes for a compressed table's (``muscles.csv.gz``).
_COMPRESSED = ("zip", "gz", "bz2", "xz")
_Unread = tuple[tuple[str, ...], str]


def _unread(resource: dict[str, Any]) -> _Unread | None:
    """The first key of a table's ``resource`` that declares what the reader does not
    read as declared (compression, another encoding, dialect or missing value), as (its
    steps, the message); None when there is none."""
    path, compression = str(resource.get("path")), resource.get("compression")
    if compression or Path(path).suffix[1:].lower() in _COMPRESSED:  # (as frictionless)
        return ("compression",) if compression else ("path",), (
            f"{_shown(compression or path)} is not read: the tables are read uncompressed "
            "(decompress the table and give the .csv file it holds as path"
            f"{', leaving compression out' if compression else ''})")
    encoding = resource.get("encoding", "utf-8")
    try:
        utf8 = isinstance(encoding, str) and codecs.lookup(encoding).name in (
            "utf-8", "utf-8-sig")
    except (LookupError, ValueError):
        utf8 = False
    if not utf8:
        return ("encoding",), (f"{_shown(encoding)} is not read: the tables are read as "
                               'UTF-8 (save the table as UTF-8, then give "utf-8")')
    dialect = resource.get("dialect", {})
    if not isinstance(dialect, dict):
        return ("dialect",), f"{_shown(dialect)} is not read: give the dialect as an object"
    unread = _unread_dialect(dialect, ("dialect",))
    if unread is not None:
        return unread
    schema = resource.get("schema")
    if not isinstance(schema, dict) or "missingValues" not in schema:
        # (frictionless's default, [""], reads an empty cell as none and \N as text)
        return ("schema",) if isinstance(schema, dict) else (), (
            f"{'the schema' if isinstance(schema, dict) else 'the table'} declares no "
            'missingValues, so frictionless reads an empty cell as missing and \\N as '
            "text, where the reader reads \\N as missing and an empty cell as an empty "
            'text: declare "missingValues": ["\\\\N"] in the schema')
    missing = schema["missingValues"]
    if missing != [NULL]:
        return ("schema", "missingValues"), (
            f"{_shown(missing)} is not read: a cell of \\N is the tables' one missing "
            'value (an empty cell is an empty text): give ["\\\\N"]')
    return None


def _unread_dialect(dialect: dict[str, Any], steps: tuple[str, ...]) -> _Unread | None:
    """The first key of a table's ``dialect`` (at ``steps``), or of its ``csv`` object,
    where frictionless 5 writes the keys but ``header``, that declares what the reader
    does not read, as (its steps, the message); None when there is none."""
    nested = steps[-1] == "csv"
    names = [name for name in _DIALECT_READ if not (nested and name == "header")]
    for key, value in dialect.items():
        if key == "csv" and not nested:
            if not isinstance(value, dict):
                return (*steps, key), (f"{_shown(value)} is not read: give csv as an "
                                       "object of the dialect's keys")
            unread = _unread_dialect(value, (*steps, key))
            if unread is not None:
                return unread
        elif key not in names:
            also = "" if nested else ", or those but header in csv (as frictionless 5 writes)"
            return (*steps, key), (f"this key is not read: a table's {_field(steps)} may "
                                   f"give only {', '.join(names)}{also}")
        elif not any(type(value) is type(one) and value == one
                     for one in _DIALECT_READ[key]):
            return (*steps, key), (f"{_shown(value)} is not read: {key} may be "
                                   f"{' or '.join(_shown(one) for one in _DIALECT_READ[key])}")
    return None


def _declared_delimiter(resource: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The cell separator a table's ``resource`` declares (one :func:`_unread` found
    read) and the steps to it there, as frictionless reads it: its dialect's
    ``delimiter``, else its dialect's ``csv.delimiter``, else a tab for ``"format":
    "tsv"``; None for none (frictionless guesses it)."""
    dialect = resource.get("dialect", {})
    nested = dialect.get("csv", {})
    if "delimiter" in dialect:
        return dialect["delimiter"], ("dialect", "delimiter")
    if "delimiter" in nested:
        return nested["delimiter"], ("dialect", "csv", "delimiter")
    return ("\t", ("format",)) if resource.get("format") == "tsv" else None


def _shown(value: Any) -> str:
    """A value of the descriptor as a message names it: text as Python shows it
    (its start, if long), else its kind."""
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN else f"{value[:SHOWN]}...")
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        listed = json.dumps(value, ensure_ascii=False)
        return listed if len(listed) <= SHOWN else f"{listed[:SHOWN]}..."
    return "a list" if isinstance(value, list) else (
        "an object" if isinstance(value, dict) else "a number")
