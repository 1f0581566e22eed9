"""Safe, trap-free YAML loading with precise error locations.

* Only safe tags: ``!!python/...`` and other unknown tags are an error, never code.
* YAML 1.1 traps are disarmed: ``no``, ``yes``, ``on``, ``off`` stay text (so the
  Norwegian language key ``no`` survives) and unquoted dates stay the text written.
* Duplicate keys, anchors/aliases (billion laughs) and deep nesting are errors.
* libyaml (``CSafeLoader``) is used when PyYAML has it, the pure-Python loader otherwise.

Errors are raised as :class:`YamlProblem` carrying a 0-based line and column
relative to the YAML text; callers shift them to the file's own lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

#: Nesting deeper than this is refused (real front matter is 3-4 levels deep).
MAX_DEPTH = 32


@dataclass
class YamlProblem(Exception):
    """A YAML document that cannot be loaded safely."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None


def _strict_resolvers() -> dict:
    """Implicit resolvers without the YAML 1.1 bool words and without timestamps."""
    resolvers: dict = {}
    for first, entries in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        kept = []
        for tag, regexp in entries:
            if tag == "tag:yaml.org,2002:timestamp":
                continue
            if tag == "tag:yaml.org,2002:bool":
                regexp = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
                if first not in "tTfF":
                    continue
            kept.append((tag, regexp))
        if kept:
            resolvers[first] = kept
    return resolvers


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader with the traps above disarmed; rejects duplicate keys."""

    yaml_implicit_resolvers = _strict_resolvers()

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                ) from None
            if duplicate:
                raise YamlProblem("duplicate-key", f"duplicate key {key!r}",
                                  key_node.start_mark.line, key_node.start_mark.column)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)


def _suspicious(text: str) -> bool:
    """Cheap test for text that may hold anchors, aliases or deep nesting."""
    return "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH \
        or "\n" + " " * (2 * MAX_DEPTH) in text


def _check_structure(text: str) -> None:
    """Walk the event stream (no recursion) refusing anchors, aliases and deep nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise YamlProblem("yaml-alias", "YAML anchors and aliases are not allowed "
                              "(they can expand to huge documents)", mark.line, mark.column)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlProblem("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                                  mark.line, mark.column)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load(text: str) -> Any:
    """Load one YAML document safely; raise :class:`YamlProblem` on any problem."""
    try:
        if _suspicious(text):
            _check_structure(text)
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is safe
    except YamlProblem:
        raise
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        tag = re.search(r"tag '([^']*)'", str(exc.problem))
        if tag:
            return _raise(mark, "yaml-unsafe-tag", f"tag {tag.group(1)} is not allowed")
        return _raise(mark, "yaml-syntax", str(exc.problem))
    except yaml.MarkedYAMLError as exc:
        return _raise(exc.problem_mark, "yaml-syntax", f"{exc.problem} ({exc.context})"
                      if exc.context else str(exc.problem))
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return _raise(getattr(exc, "mark", None), "yaml-syntax", str(exc).splitlines()[0])
    except RecursionError:
        raise YamlProblem("yaml-too-deep", "nesting too deep") from None


def _raise(mark: Any, code: str, message: str) -> Any:
    line = getattr(mark, "line", None)
    column = getattr(mark, "column", None)
    raise YamlProblem(code, message, line, column)


def locate(text: str, path: tuple[str | int, ...]) -> tuple[int, int] | None:
    """0-based (line, column) of the node at ``path`` in a YAML mapping document.

    Walks as deep as the path exists; returns the deepest node found, so a missing
    list item points at its list. Only called on the error path.
    """
    try:
        node = yaml.compose(text, Loader=StrictLoader)
    except yaml.YAMLError:
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
