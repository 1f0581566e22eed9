"""Safe, trap-free YAML loading with precise error locations.

* Only plain data comes out: text, whole numbers, decimal numbers, true/false, null,
  lists and maps. Every other tag (``!!python/...``, ``!!binary``, ``!!set``,
  ``!!timestamp``, local ``!tags``) is an error, never code or odd objects.
* YAML 1.1 traps are disarmed: ``no``, ``yes``, ``on``, ``off`` stay text (so the
  Norwegian language key ``no`` survives), unquoted dates stay the text written, and
  so do ``1:30`` (not 90), ``010`` (not 8), ``0x1F`` and ``1_000``.
* Duplicate keys, anchors/aliases (billion laughs), nesting deeper than
  :data:`MAX_DEPTH` and integers too long to convert are errors.
* libyaml (``CSafeLoader``) is used when PyYAML has it, the pure-Python loader otherwise.

Errors are raised as :class:`YamlProblem` carrying a 0-based line and column
relative to the YAML text; callers shift them to the file's own lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

#: Nesting deeper than this is refused (real front matter is 3-4 levels deep).
MAX_DEPTH = 32

_TAG = "tag:yaml.org,2002:"
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_IMPLICIT_FLOAT = re.compile(f"{_FLOAT.pattern}|{_SPECIAL_FLOAT.pattern}")


@dataclass
class YamlProblem(Exception):
    """A YAML document that cannot be loaded safely."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None


def _problem(node: yaml.Node, code: str, message: str) -> YamlProblem:
    return YamlProblem(code, message, node.start_mark.line, node.start_mark.column)


def _short_tag(tag: str | None) -> str:
    return "!!" + tag[len(_TAG):] if tag and tag.startswith(_TAG) else str(tag)


def _strict_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Implicit types of plain scalars: YAML 1.2-like, without the YAML 1.1 extras."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, regexp, first in (("bool", _BOOL, "tTfF"), ("null", _NULL, ["~", "n", "N", ""]),
                               ("int", _INT, "-+0123456789"),
                               ("float", _IMPLICIT_FLOAT, "-+0123456789.")):
        for char in first:
            table.setdefault(char, []).append((_TAG + tag, regexp))
    return table


def _scalar(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _problem(node, "yaml-syntax", f"{_short_tag(node.tag)} needs a single value, "
                       "not a list or map")
    return node.value


def _construct_str(loader: Any, node: yaml.Node) -> str:
    return _scalar(node)


def _construct_null(loader: Any, node: yaml.Node) -> None:
    if not _NULL.match(_scalar(node)):
        raise _problem(node, "yaml-syntax", f"{node.value!r} is not null")


def _construct_bool(loader: Any, node: yaml.Node) -> bool:
    if not _BOOL.match(_scalar(node)):
        raise _problem(node, "yaml-syntax", f"{node.value!r} is not true or false")
    return node.value.lower() == "true"


def _construct_int(loader: Any, node: yaml.Node) -> int:
    if not _INT.match(_scalar(node)):
        raise _problem(node, "yaml-syntax", f"{node.value!r} is not a whole number")
    try:
        return int(node.value)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise _problem(node, "yaml-number-too-large",
                       f"a number with {len(node.value)} digits is too large") from None


def _construct_float(loader: Any, node: yaml.Node) -> float:
    value = _scalar(node)
    if _SPECIAL_FLOAT.match(value):
        if value.lower().endswith("nan"):
            return math.nan
        return -math.inf if value.startswith("-") else math.inf
    if not (_FLOAT.match(value) or _INT.match(value)):
        raise _problem(node, "yaml-syntax", f"{value!r} is not a number")
    return float(value)


def _refuse_tag(loader: Any, node: yaml.Node) -> Any:
    raise _problem(node, "yaml-unsafe-tag", f"tag {_short_tag(node.tag)} is not allowed "
                   "(only text, numbers, true/false, null, lists and maps)")


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader building plain data only, with the traps above disarmed; rejects
    duplicate keys."""

    yaml_implicit_resolvers = _strict_resolvers()
    yaml_constructors: ClassVar[dict] = {}
    yaml_multi_constructors: ClassVar[dict] = {}

    def construct_yaml_seq(self, node: yaml.Node) -> Iterator[list]:
        if not isinstance(node, yaml.SequenceNode):
            raise _problem(node, "yaml-syntax", "!!seq needs a list")
        return super().construct_yaml_seq(node)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise _problem(node, "yaml-syntax", f"{_short_tag(node.tag)} needs a map")
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise _problem(key_node, "yaml-syntax",
                               "a key must be plain text, not a list or map") from None
            if duplicate:
                raise _problem(key_node, "duplicate-key", f"duplicate key {key!r}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


for _name, _constructor in (("str", _construct_str), ("null", _construct_null),
                            ("bool", _construct_bool), ("int", _construct_int),
                            ("float", _construct_float),
                            ("seq", StrictLoader.construct_yaml_seq),
                            ("map", StrictLoader.construct_yaml_map)):
    StrictLoader.add_constructor(_TAG + _name, _constructor)
StrictLoader.add_constructor(None, _refuse_tag)


def _refuse_anchors(text: str) -> None:
    """Walk the event stream refusing anchors and aliases, with the alias's location."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise YamlProblem("yaml-alias", "YAML anchors and aliases are not allowed "
                              "(they can expand to huge documents)", mark.line, mark.column)


def _check_tree(root: yaml.Node) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and shared nodes (iteratively)."""
    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _problem(node, "yaml-alias", "YAML anchors and aliases are not allowed")
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            raise _problem(node, "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [child for pair in node.value for child in pair]
        stack.extend((child, depth + 1) for child in reversed(children))


def load(text: str) -> Any:
    """Load one YAML document safely; raise :class:`YamlProblem` on any problem."""
    try:
        if "&" in text or "*" in text:
            _refuse_anchors(text)
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_tree(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        problem = str(exc.problem)
        code = "yaml-too-deep" if "maximum nesting depth" in problem else "yaml-syntax"
        return _raise(exc.problem_mark, code, f"{problem} ({exc.context})"
                      if exc.context else problem)
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return _raise(getattr(exc, "mark", None), "yaml-syntax", str(exc).splitlines()[0])
    except RecursionError:  # the pure-Python composer recurses once per level
        raise YamlProblem("yaml-too-deep", "nesting too deep") from None


def _raise(mark: Any, code: str, message: str) -> Any:
    line = getattr(mark, "line", None)
    column = getattr(mark, "column", None)
    raise YamlProblem(code, message, line, column)


@lru_cache(maxsize=1)
def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``, kept for the next call: a file with many problems
    asks :func:`locate` once per problem, and composing each time would be quadratic."""
    return yaml.compose(text, Loader=StrictLoader)


def locate(text: str, path: tuple[str | int, ...]) -> tuple[int, int] | None:
    """0-based (line, column) of the node at ``path`` in a YAML mapping document.

    Walks as deep as the path exists; returns the deepest node found, so a missing
    list item points at its list. Only called on the error path.
    """
    try:
        node = _compose(text)
    except (yaml.YAMLError, RecursionError):
        return None
    if node is None:
        return None
    best = node
    for step in path:
        child = _child(node, step)
        if child is None:
            break
        key_node, node = child
        best = node if not isinstance(node, yaml.ScalarNode) or node.value else key_node
    return best.start_mark.line, best.start_mark.column


def _child(node: yaml.Node, step: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
            and 0 <= step < len(node.value):
        return node.value[step], node.value[step]
    return None


def iter_paths(path: str) -> Iterator[str | int]:
    """Split a field path such as ``function[2].short.da`` into its steps."""
    for part in re.finditer(r"([^.\[\]]+)|\[(\d+)\]", path):
        name, index = part.groups()
        yield int(index) if index is not None else name
