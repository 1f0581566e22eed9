"""Safe, trap-free YAML loading with precise error locations.

* Only plain data comes out: text, whole numbers, decimal numbers, true/false, null,
  lists and maps. Every other tag (``!!python/...``, ``!!binary``, ``!!set``,
  ``!!timestamp``, local ``!tags``) is an error, never code or odd objects.
* YAML 1.1 traps are disarmed: ``no``, ``yes``, ``on``, ``off`` stay text (so the
  Norwegian language key ``no`` survives), unquoted dates stay the text written, and
  so do ``1:30`` (not 90), ``010`` (not 8), ``0x1F`` and ``1_000``. Every plain
  scalar read as a number, boolean or null is one that both YAML 1.1 emitters (PyYAML)
  and YAML 1.2 emitters (ruamel.yaml) quote when they mean text, so text written by
  either comes back as text.
* Duplicate keys, anchors/aliases (billion laughs), nesting deeper than
  :data:`MAX_DEPTH`, more than :data:`MAX_NODES` values and integers too long to
  convert are errors.
* Plain block YAML (nearly all front matter) is read by the fast path of
  :mod:`converter.blockyaml`; everything else by libyaml (``CSafeLoader``) when PyYAML
  has it, the pure-Python loader otherwise. Both give the same values and places.

Errors are raised as :class:`YamlProblem` carrying a 0-based line and column
relative to the YAML text; callers shift them to the file's own lines.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import yaml

from converter import blockyaml, yaml11, yamlown, yamltags
from converter.diagnostics import LineStarts
from converter.model import (
    ExactNumber,
    TaggedFloat,
    TaggedInt,
    WrittenFloat,
    WrittenInt,
    extra_float,
)
from converter.safety import MAX_DEPTH, MAX_NODES
from converter.yamlafter import closed_early
from converter.yamlbreak import broken_field, ended_field, field_at, too_deep_at
from converter.yamlline import misread_line, unclosed_quote

#: libyaml's parser when PyYAML has it, with tables of its own (:mod:`converter.yamlown`).
_BaseLoader: type = yamlown.Loader

#: Documents longer than this have their values counted before they are composed.
_COUNT_FROM = 64 * 1024

_TAG = "tag:yaml.org,2002:"
_STR, _NULL_TAG, _BOOL_TAG = _TAG + "str", _TAG + "null", _TAG + "bool"
_INT_TAG, _FLOAT_TAG, _SEQ, _MAP = _TAG + "int", _TAG + "float", _TAG + "seq", _TAG + "map"
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^(?:[-+]?[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?$")
#: What an explicit ``!!bool`` reads besides true and false: YAML 1.1's words, as Jekyll,
#: Hugo and PyYAML all read them (not ``y``/``n``, which Jekyll reads as text).
_BOOL11 = {**dict.fromkeys(("yes", "Yes", "YES", "on", "On", "ON"), True),
           **dict.fromkeys(("no", "No", "NO", "off", "Off", "OFF"), False)}
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_IMPLICIT_FLOAT = re.compile(f"{_FLOAT.pattern}|{_SPECIAL_FLOAT.pattern}")
#: Plain text that some front-matter reader takes for a number, date or time: anything
#: that starts like a number (Ruby's YAML reads ``1,000`` and ``0:30`` as numbers and
#: ``2001-1-1`` as a date, Go's ``0X1F`` and ``.5e3``), or for a symbol (``:x``, Ruby).
_NUMBER_OR_SYMBOL_START = re.compile(r"[-+]?[.0-9]|:")
#: Booleans and null in any case (Ruby's YAML ignores case), ``y``/``n`` (YAML 1.1's own
#: list, Go's yaml.v2).
_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"})
_RESOLVER = yamlown.Resolver()


def plain_misread(text: str) -> bool:
    """True when some reader of front matter may take ``text``, written plain
    (unquoted), for something other than text: what a YAML 1.1 reader resolves (PyYAML:
    ``=``, ``<<``, the empty text), text that starts like a number or a symbol
    (``1,000``, ``0:30``, ``2001-1-1``, ``.inf``, ``:x``) and booleans and null in any
    case (``nO``, ``NuLL``, ``y``). Such text is written quoted, so that Jekyll (Ruby),
    Hugo (Go) and PyYAML read it as the text it is; other text is left plain."""
    return (bool(_NUMBER_OR_SYMBOL_START.match(text)) or text.lower() in _WORDS
            or _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR)


#: What :func:`find` places fields in: a composed node tree, or the fast path's places.
Tree = yaml.Node | blockyaml.Places | None


@dataclass
class YamlProblem(Exception):
    """A YAML document that cannot be loaded safely."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    #: The field path of the key a problem is at (a key that is not text), when known.
    field: str = ""
    #: That key's node, or the tagged value's a problem is of (until its path is known).
    key: Any = None
    #: The advice the message goes on with once the line of the tagged scalar it is of
    #: is known (:func:`_built`): each what is said, then the value to write in place of
    #: the scalar and its tag, its line then given
    #: (:func:`~converter.yamltags.untagged_line`).
    then: tuple[tuple[str, str], ...] = ()
    #: The same where the scalar is a key, where it differs (a key is text); None: the same.
    key_then: tuple[tuple[str, str], ...] | None = None
    #: Whether each value of :attr:`then` is one the message says already (``write
    #: 130``): no line is given where the scalar is the whole text, its line the value.
    restates: bool = False
    #: The advice given instead where the scalar is a value at a field of the schema
    #: (:func:`_lines`), of the keys and indexes that lead to it: None where
    #: :attr:`then` fits it (a field held to text is given the text, not a number, true
    #: or a list, which is another error there).
    by_field: Callable[[tuple[str | int, ...]], tuple[tuple[str, str], ...] | None] | None \
        = None
    #: Where the message's own advice starts, which :attr:`by_field`'s replaces.
    advice_at: int | None = None


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


_RESOLVERS = _strict_resolvers()


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composer with the trap-free implicit types above. It composes node trees only:
    :func:`build` turns them into plain data (PyYAML's generic constructor machinery
    is several times slower, and its tag tables are what ``!!python/...`` abuses)."""

    yaml_implicit_resolvers = _RESOLVERS
    yaml_constructors: ClassVar[dict] = {}
    yaml_multi_constructors: ClassVar[dict] = {}

    # The composer asks these once per node: without path resolvers (never used here)
    # they reduce to a table lookup, and this is most of the Python work of composing.
    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _implicit_tag(value) if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def build(node: yaml.Node, depth: int = 1, keys: list[YamlProblem] | None = None) -> Any:
    """Plain data from a composed node tree: text, int, float, bool, None, lists and
    maps. Any other tag, a duplicate or unhashable key, or collections nested deeper
    than :data:`MAX_DEPTH` raise :class:`YamlProblem` at the offending node. A key that
    is not text (``1:``, ``true:``, ``~:``) raises too, or, given ``keys``, has its
    problem added there and its entry left out of its map (its value is still built)."""
    tag = node.tag
    if tag == _STR and type(node) is yaml.ScalarNode:
        return node.value
    if tag == _MAP and type(node) is yaml.MappingNode:
        if depth > MAX_DEPTH:
            raise _problem(node, "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = build(key_node, depth + 1, keys)
            if not isinstance(key, str | list | dict):  # null, true, 1.5: not a name
                if keys is None:
                    raise _not_text(key_node, key)
                keys.append(_not_text(key_node, key))
                build(value_node, depth + 1, keys)
                continue
            try:
                duplicate = key in mapping
            except TypeError:
                problem = _problem(key_node, "yaml-syntax",
                                   "a key must be plain text, not a list or map")
                problem.key = node  # (named as the map it is in)
                raise problem from None
            if duplicate:  # (named by its whole field path: see _name_keys)
                raise _problem_of_key(_problem(key_node, "duplicate-key",
                                               f"duplicate key {key!r}"), "", key_node)
            mapping[key] = build(value_node, depth + 1, keys)
        return mapping
    if tag == _SEQ and type(node) is yaml.SequenceNode:
        if depth > MAX_DEPTH:
            raise _problem(node, "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
        return [build(item, depth + 1, keys) for item in node.value]
    try:
        return _typed_scalar(node)
    except YamlProblem as problem:  # (its field path found later: see _name_keys)
        problem.key = node
        raise


def _not_text(key_node: yaml.Node, key: Any) -> YamlProblem:
    """The ``wrong-type`` problem of a map's key that YAML reads as no text (``key``),
    at that key (its field path found later: see :func:`_name_keys`)."""
    if _written_empty(key_node):  # (? and nothing: placed at its ? by _at_question)
        return _problem_of_key(_problem(key_node, "wrong-type", "key ? with nothing after "
                                        "it is null, not text: write the key's name"),
                               _EMPTY_KEY, key_node)
    if key_node.value == "" and not key_node.style:  # (? !!null: a tag and no value)
        return _problem_of_key(_problem(key_node, "wrong-type", f"key "
                                        f"{_short_tag(key_node.tag)} is null, not text: "
                                        "write the key's name"), _EMPTY_KEY, key_node)
    problem = _problem(key_node, "wrong-type", f"key {key_node.value!r} is "
                       f"{_KINDS.get(type(key), 'not text')}, not text; quote it")
    problem.field, problem.key = str(key_node.value), key_node
    return problem


def _problem_of_key(problem: YamlProblem, field: str, key_node: yaml.Node) -> YamlProblem:
    """``problem`` as the problem of the key ``key_node``, named ``field`` for now."""
    problem.field, problem.key = field, key_node
    return problem


#: How a field path names a key written empty (``?`` and nothing after it, or only a
#: tag such as ``!!null``): null.
_EMPTY_KEY = "~"


def _written_empty(node: yaml.Node) -> bool:
    """Whether a key is written as nothing at all (``?`` and no key after it: no tag
    either, so libyaml's node starts and ends at one place)."""
    return (isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style
            and node.start_mark.index == node.end_mark.index)


def _key_name(node: yaml.Node) -> str:
    """A key as a step of a field path: as written, ``~`` for one written empty."""
    if isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style:
        return _EMPTY_KEY
    return str(node.value)


def _at_question(text: str, problems: list[YamlProblem]) -> None:
    """Place each of ``problems`` about a key written empty at its ``?``: libyaml marks
    such a key where it meets the ``:`` after it (in a flow map maybe lines later), and
    only its scanner's key token starts at the ``?`` (a ``?`` in a comment is none)."""
    empty = [problem for problem in problems if problem.code == "wrong-type"
             and problem.field == _EMPTY_KEY and _written_empty(problem.key)]
    if not empty:
        return
    starts = [token.start_mark.index for token in yaml.scan(text, Loader=_BaseLoader)
              if isinstance(token, yaml.KeyToken)]
    lines = LineStarts(text)
    for problem in empty:
        at = bisect.bisect_right(starts, problem.key.start_mark.index) - 1
        if at >= 0:
            problem.line, problem.column = lines.place(starts[at])


def _name_keys(root: yaml.Node, problems: list[YamlProblem]) -> None:
    """Give each of ``problems`` (about keys or values below ``root``) its node's whole
    field path (``notes.2024``, ``x[1]``), in one walk of the tree."""
    wanted = {id(problem.key): problem for problem in problems if problem.key is not None}
    pending: list[tuple[yaml.Node, str]] = [(root, "")]
    while pending and wanted:
        node, path = pending.pop()
        found = wanted.pop(id(node), None)
        if found is not None:
            found.field, found.key = path, None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                here = f"{path}.{_key_name(key_node)}" if path else _key_name(key_node)
                found = wanted.pop(id(key_node), None)
                if found is not None:
                    found.field, found.key = here, None
                pending.append((value_node, here))
        elif isinstance(node, yaml.SequenceNode):
            pending += [(item, f"{path}[{i}]") for i, item in enumerate(node.value)]


_KINDS = {type(None): "null", bool: "true/false", int: "a number", float: "a number",
          WrittenFloat: "a number", ExactNumber: "a number", WrittenInt: "a number",
          TaggedInt: "a number", TaggedFloat: "a number"}


def _typed_scalar(node: yaml.Node) -> Any:
    """The non-text scalars (null, bool, int, float); every other tag is refused."""
    tag = node.tag
    if tag not in (_STR, _NULL_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG, _SEQ, _MAP):
        scalar = isinstance(node, yaml.ScalarNode)
        problem = _problem(node, "yaml-unsafe-tag", f"tag {_short_tag(tag)} is not "
                           "allowed (only text, numbers, true/false, null, lists and "
                           "maps)" + (": leave it out" if scalar else ""))
        if scalar:
            problem.then = ((" for the text, ", yaml11.quoted(node.value)),)
        raise problem
    if tag in (_SEQ, _MAP):
        raise _collection_needed(node)
    if not isinstance(node, yaml.ScalarNode):
        raise _problem(node, "yaml-syntax", f"{_short_tag(tag)} needs a single value, "
                       "not a list or map")
    value = node.value  # (fullmatch below: the patterns' $ matches before a final line
    if tag == _NULL_TAG:  # break, and a quoted "7\n" is no number or null to Hugo)
        if not _NULL.fullmatch(value):
            raise _needs(node, "!!null", "~, null or nothing", value)
        return None
    if tag == _BOOL_TAG:
        if value in _BOOL11:
            return _BOOL11[value]
        if value in ("y", "Y", "n", "N"):  # (y is yes to YAML 1.1: the boolean meant)
            hugo = "true" if value in "yY" else "false"
            raise _written(_problem(node, "yaml-syntax", f"!!bool {value} is {hugo} to Hugo "
                                    f"but the text {value!r} to Jekyll: write {hugo}"),
                           "!!bool", value, [hugo])
        if not _BOOL.fullmatch(value):
            raise _needs(node, "!!bool", "true or false", value)
        return value.lower() == "true"
    if tag == _INT_TAG:
        try:
            return _int(value) if _INT.fullmatch(value) else _tagged(node, "int", value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise _problem(node, "yaml-number-too-large",
                           f"a number with {len(value)} digits is too large") from None
    if any(pattern.fullmatch(value) for pattern in (_SPECIAL_FLOAT, _FLOAT, _INT)):
        return _float(value)
    return _tagged(node, "float", value)


def _tagged(node: yaml.Node, kind: str, value: str) -> Any:
    """The number a scalar tagged ``!!int`` or ``!!float`` (``kind``) is written as in
    a form YAML reads untagged as no number (``0x1F``, ``1_000``): the one Jekyll, Hugo
    and PyYAML all read (:mod:`converter.yamltags`), with its spelling (a
    :class:`~converter.model.TaggedInt` or :class:`~converter.model.TaggedFloat`; an
    :class:`~converter.model.ExactNumber` with digits a float lacks, without it);
    ``ValueError`` for a whole number of more digits than Python converts."""
    if kind == "int" and len(value) > sys.get_int_max_str_digits() > 0:
        raise ValueError(value)
    number, why = yamltags.read(kind, value)
    if number is None:
        if why:
            raise _written(_problem(node, "yaml-syntax", why), f"!!{kind}", value,
                           yamltags.written(kind, value))
        raise _needs(node, f"!!{kind}", "a whole number" if kind == "int" else "a number",
                     value)
    if kind == "int":
        return TaggedInt(number, value)
    plain = value.replace("_", "")
    if _FLOAT.match(plain) or _INT.match(plain):
        exact = _float(plain)  # (1_000.5 and 1000.5 alike: digits a float lacks kept)
        if isinstance(exact, ExactNumber):
            return exact
    return TaggedFloat(number, value)


def _needs(node: yaml.Node, tag: str, what: str, value: str) -> YamlProblem:
    """The problem of a scalar ``tag`` reads no value of: what is wrong, and what to
    write (the line without the tag: :func:`_built` adds it)."""
    problem = _problem(node, "yaml-syntax", f"{tag} needs {what}, not {value!r}: write "
                       f"{what} after {tag}, or leave {tag} out")
    problem.then = ((" for the text, ", yaml11.quoted(value)),)
    return problem


def _written(problem: YamlProblem, tag: str, value: str, values: list[str]
             ) -> YamlProblem:
    """``problem``, of ``value`` tagged ``tag`` that the readers read apart, its message
    ending in ``write`` and ``values``, going on with the line each value makes (none
    for a key: a key is text, and the text is no value of the tag); at a field the
    schema holds to text, the text without the tag instead (``latin: "1:70"``: 130
    there is a ``wrong-type`` error)."""
    problem.then = tuple((", " if i == 0 else " or ", value) for i, value in enumerate(values))
    problem.key_then, problem.restates = (), True
    write = problem.message.rfind(": write ")
    problem.advice_at = len(problem.message) if write < 0 else write

    def by_field(steps: tuple[str | int, ...]) -> tuple[tuple[str, str], ...] | None:
        from converter.schema import takes_text

        if not takes_text(steps):
            return None
        return ((f": leave {tag} out for the text, ", yaml11.quoted(value)),)

    problem.by_field = by_field
    return problem


def _collection_needed(node: yaml.Node) -> YamlProblem:
    """The problem of a node tagged ``!!seq`` or ``!!map`` that is not a list or map. A
    single value is given the line to write: for ``!!seq`` the list its writer named,
    its text the items (``[abc]``; ``[a, b]`` of ``!!seq a, b``), or the text without
    the tag; for ``!!map`` the text (no map is meant by one text); for nothing
    written, the empty list or map. A key is given the text alone (a key is text)."""
    kind = "list" if node.tag == _SEQ else "map"
    tag = _short_tag(node.tag)
    if not isinstance(node, yaml.ScalarNode):
        return _problem(node, "yaml-syntax", f"{tag} needs a {kind}")
    problem = _problem(node, "yaml-syntax", f"{tag} needs a {kind}, not {node.value!r}")
    text = yaml11.quoted(node.value)
    problem.key_then = ((f": leave {tag} out for the text, ", text),)
    if not node.value and not node.style:  # (nothing written: no text meant)
        problem.then = ((f": write it as a {kind}, ", "[]" if kind == "list" else "{}"),)
    elif kind == "list":
        problem.then = ((": write it as a list, ", yamltags.as_list(node)),
                        (f", or leave {tag} out for the text, ", text))
        problem.by_field = lambda steps: _list_or_text(node, steps, text)
    else:
        problem.then = problem.key_then
        problem.by_field = lambda steps: _map_or_text(node, steps, text)
    return problem


def _list_or_text(node: yaml.ScalarNode, steps: tuple[str | int, ...], text: str
                  ) -> tuple[tuple[str, str], ...] | None:
    """The advice for ``node``, a single value tagged ``!!seq``, at a field of the
    schema (``steps``): the list where it takes one, each item that is not plain text
    in double quotes where its items are text (``exercises: ["1", "2"]``), the whole
    text one item where only it fits the items' pattern (``coords: ["10,20,30,40,50,60"]``),
    each item the map the items are where they are maps (``function: [{short: abc}]``),
    and the text (``text``) where it takes text (``latin: "abc"``, not ``[abc]``); None
    at a field that takes any value (extra data)."""
    from converter.schema import types_at

    types = types_at(steps)
    if types is None or not ({"array", "string"} & types):
        return None
    then: tuple[tuple[str, str], ...] = ()
    listed = _shaped_list(node, steps, yamltags.plain_items(node)) \
        if "array" in types else None
    if listed is not None:
        then = ((": write it as a list, ", listed),)
    if "string" in types:
        then += ((", or leave !!seq out for the text, " if then else
                  ": leave !!seq out for the text, ", text),)
    return then or None


def _map_or_text(node: yaml.ScalarNode, steps: tuple[str | int, ...], text: str
                 ) -> tuple[tuple[str, str], ...] | None:
    """The advice for ``node``, a single value tagged ``!!map``, at a field of the
    schema (``steps``) that takes no text: the map it takes with the text at its
    required key, or the list of one such map (``function: [{short: abc}]``, not
    ``function: "abc"``, a ``wrong-type`` error); None where the text fits (``origin:
    "abc"``) or no such value is found (the text is then advised)."""
    from converter.schema import takes_text, types_at

    types = types_at(steps)
    if types is None or takes_text(steps):
        return None
    if "object" in types:
        shaped = _shaped(steps, node.value, text)
        return None if shaped is None else ((": write it as a map, ", shaped),)
    listed = _shaped_list(node, steps, None) if "array" in types else None
    return None if listed is None else ((": write it as a list, ", listed),)


def _shaped_list(node: yaml.ScalarNode, steps: tuple[str | int, ...],
                 items: list[yaml.ScalarEvent] | None) -> str | None:
    """``node``'s text as the ``[`` list the schema takes at ``steps``: of ``items``
    (the plain items it reads as; None: the text one item), each text or the map the
    items are (None where no item of the text is found)."""
    from converter.schema import takes_text, text_fits, types_at

    item = (*steps, 0)
    values = [node.value] if items is None else [event.value for event in items]
    if takes_text(item):
        parts = _parts(item, node.value, items)
        if parts is not None:
            return "[" + ", ".join(map(yaml11.quoted, parts)) + "]"
        if items is None or (not all(text_fits(item, value) for value in values)
                             and text_fits(item, node.value)):
            return f"[{yaml11.quoted(node.value)}]"
        return yamltags.as_list(node, True)
    types = types_at(item)
    if types is None or "object" not in types or "string" in types:  # (as written)
        return yamltags.as_list(node)
    shaped = [_shaped(item, value, yaml11.quoted(value) if items is None
                      or plain_misread(value) else value) for value in values]
    return None if None in shaped else "[" + ", ".join(map(str, shaped)) + "]"


#: Where a text tagged ``!!seq`` may part the items it holds, most telling first: its
#: line breaks, a comma and blanks (``a,b, c,d``: no blank after the comma inside an
#: item), blanks.
_PARTINGS = (re.compile(r"\s*\n\s*"), re.compile(r",[ \t]+"), re.compile(r"\s+"))


def _parts(item: tuple[str | int, ...], value: str,
           items: list[yaml.ScalarEvent] | None) -> list[str] | None:
    """The texts ``value`` (tagged ``!!seq``) holds where the schema's pattern at ``item``
    does not take what it is read as (its plain ``items``; quoted or a block, the whole
    text) but takes each part of it (two polygons, ``coords: !!seq 1,2,3,4,5,6
    7,8,9,10,11,12``, or over lines: one polygon was advised, or each number an item);
    None where no parting fits so."""
    from converter.schema import text_fits

    read = [value] if items is None else [event.value for event in items]
    if all(text_fits(item, text) for text in read):
        return None
    for parting in _PARTINGS:
        parts = parting.split(value.strip())
        if len(parts) > 1 and all(part and text_fits(item, part) for part in parts):
            return parts
    return None


def _shaped(steps: tuple[str | int, ...], value: str, written: str) -> str | None:
    """The value the schema takes at ``steps`` holding the text ``value`` (as
    ``written``): the text where it takes text, else the map of it at the first
    required key that takes it (``{short: abc}``); None where neither is found."""
    from converter.schema import required_at, takes_text, types_at

    if takes_text(steps):
        return written
    types = types_at(steps)
    if types is None or "object" not in types:
        return None
    for key in required_at(steps):
        inner = _shaped((*steps, key), value, written)
        if inner is not None:
            return f"{{{key}: {inner}}}"
    return None


def _float(value: str) -> float:
    """A float's value; one written as YAML reads a float untagged keeps its text where
    Python writes it otherwise, and its digits where a float has fewer
    (:func:`~converter.model.extra_float`)."""
    if _SPECIAL_FLOAT.match(value):
        if value.lower().endswith("nan"):
            return math.nan
        return -math.inf if value.startswith("-") else math.inf
    return extra_float(value)  # (a decimal, or a whole number tagged !!float)


def _int(value: str) -> int:
    """A whole number's value (``-0``: an :class:`~converter.model.ExactNumber`, which
    keeps its sign; ``+1``: a :class:`~converter.model.WrittenInt`, which keeps it)."""
    if value[0] == "+":
        return WrittenInt(value)
    return ExactNumber(value) if value == "-0" else int(value)  # type: ignore[return-value]


def plain_value(value: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under the trap-free implicit
    types; ``ValueError`` for a whole number too long to convert."""
    tag = _implicit_tag(value)
    if tag == _STR:
        return value
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return value.lower() == "true"
    return _int(value) if tag == _INT_TAG else _float(value)


def _implicit_tag(value: str) -> str:
    """The tag of a plain scalar under the trap-free implicit types (a text that ends in
    a line break, only ever tagged ``!`` and quoted, ``! "7\\n"``, is text: the
    patterns' ``$`` matches before it)."""
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag if value[-1:] != "\n" else _STR
    return _STR


#: Line breaks to YAML 1.1 (and libyaml) besides ``\n``, which are none to the file's
#: lines: the places libyaml gives are counted again from its character index.
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
#: A line ``...`` (maybe with blanks or a comment after it): the end of a YAML document.
_DOCUMENT_END = re.compile(r"^\.\.\.(?=[ \t\n]|\Z)", re.M)
#: What to do about a ``...`` line in front matter.
_ENDED = ("... ends the YAML document: remove it (it closes front matter for Jekyll, not "
          "Hugo: close that with ---)")


def _has_other_breaks(text: str) -> bool:
    """Whether ``text`` holds one of :data:`_OTHER_BREAKS` (three substring tests: much
    faster than the regex's scan, and free for text of Latin-1 letters only)."""
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def _line_column(text: str, index: int) -> tuple[int, int]:
    """0-based (line, column) of a character position in ``text``'s ``\n`` lines."""
    return LineStarts(text).place(index)


def _placed(text: str, mark: Any) -> tuple[int, int]:
    """0-based (line, column) of a libyaml mark in ``text``'s ``\n`` lines."""
    return _line_column(text, mark.index)


def _place_nodes(text: str, root: yaml.Node | None) -> yaml.Node | None:
    """``root`` with every node's start placed in ``text``'s lines (when libyaml saw
    other line breaks in it)."""
    if root is None or not _has_other_breaks(text):
        return root
    pending, lines = [root], LineStarts(text)
    while pending:
        node = pending.pop()
        mark = node.start_mark  # (libyaml's marks are read-only)
        node.start_mark = yaml.error.Mark(mark.name, mark.index, *lines.place(mark.index),
                                          None, None)
        if isinstance(node, yaml.MappingNode):
            pending += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
    return root


class _Scalars:
    """Where the scalars of a YAML text are, as libyaml scans them (``styles``: only
    those quoted so): whether a character position is inside one. A block scalar
    starts after its header line, which may end in a comment. ``partial``: a text
    libyaml cannot scan to the end is known up to the problem (:attr:`scanned`)."""

    def __init__(self, text: str, styles: tuple[str, ...] | None = None,
                 partial: bool = False) -> None:
        self.starts: list[int] = []  # in order
        self.ends: list[int] = []
        self.scanned = len(text)
        try:
            for token in yaml.scan(text, Loader=_BaseLoader):
                if isinstance(token, yaml.ScalarToken) and (styles is None
                                                            or token.style in styles):
                    start, end = token.start_mark.index, token.end_mark.index
                    if token.style in ("|", ">"):
                        start = text.find("\n", start, end) % (end + 1)
                    self.starts.append(start)
                    self.ends.append(end)
        except yaml.YAMLError as exc:
            if not partial:
                raise
            mark = getattr(exc, "problem_mark", None)
            self.scanned = mark.index if mark else 0

    def holds(self, at: int) -> bool:
        """Whether the character at ``at`` is inside one of the scalars."""
        i = bisect.bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.ends[i]


_BREAK_NAMES = {"\u2028": "line separator", "\u2029": "paragraph separator"}


def _check_breaks(text: str) -> None:
    """Refuse NEL, and LS and PS outside quoted values: YAML 1.1 reads each as a line
    break, which editors do not show, so a comment or plain value would silently end
    there and the rest of the line be read as YAML (a commented-out ``latin:`` becomes a
    field). NEL, a control character, is folded to a space even inside quotes."""
    quoted = _Scalars(text, styles=("'", '"'), partial=True)
    for found in _OTHER_BREAKS.finditer(text):
        at, char = found.start(), found.group()
        if char == "\x85":  # a control character, and folded to a space even in quotes
            raise _at(text, at, "U+0085 (next line) is a control character that YAML "
                      "reads as a line break: remove it")
        if at >= quoted.scanned:
            return
        if not quoted.holds(at):
            raise _at(text, at, f"U+{ord(char):04X} ({_BREAK_NAMES[char]}) is a line break "
                      "to YAML that editors do not show; outside quotes it ends the line "
                      "here: remove it, or quote the text")


def _check_events(text: str) -> None:
    """Walk the event stream (flat memory) refusing anchors, aliases and more than
    :data:`MAX_NODES` values, before any node tree is built."""
    nodes = 0
    for count, event in enumerate(yaml.parse(text, Loader=_BaseLoader)):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem("yaml-alias", "YAML anchors and aliases are not allowed "
                              "(they can expand to huge documents)",
                              *_placed(text, event.start_mark), field_at(text, count))
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlProblem("yaml-too-large", f"more than {MAX_NODES} values; front "
                                  "matter this large is not supported",
                                  *_placed(text, event.start_mark))


def load(text: str) -> Any:
    """Load one YAML document safely; raise :class:`YamlProblem` on any problem."""
    return load_with_nodes(text)[0]


def load_with_nodes(text: str, keys: list[YamlProblem] | None = None) -> tuple[Any, Tree]:
    """:func:`load`, plus what :func:`find` needs to place a field (no second parse
    when a field has to be located): plain block YAML is read by the fast path of
    :mod:`converter.blockyaml`, everything else is composed by libyaml. A ``...`` line
    (the end of a YAML document) is an error at that line, as nothing follows it that
    the reader needs. Given ``keys``, each key that is not text is added there as its
    problem, its entry left out, instead of raising the first (see :func:`build`)."""
    loaded = _load_with_nodes(text, keys)
    _refuse_document_end(text)
    return loaded


def _built(text: str, node: yaml.Node, keys: list[YamlProblem] | None) -> Any:
    """:func:`build` of ``node`` (composed from ``text``), each problem of a key named by
    its whole field path and one written empty placed at its ``?``."""
    try:
        data = build(node, 1, keys)
    except YamlProblem as problem:
        if problem.then or problem.key_then or problem.by_field:  # (the node: problem.key)
            lines = _lines(text, node, problem)  # (which may cut the message's own advice)
            problem.message += lines
        _at_question(text, [problem])
        _name_keys(node, [problem])
        raise
    _at_question(text, keys or [])
    _name_keys(node, keys or [])
    return data


def _lines(text: str, root: yaml.Node, problem: YamlProblem) -> str:
    """The advice ``problem`` goes on with (:attr:`YamlProblem.then`), each value to
    write given as the line of ``text`` it makes, for the scalar ``problem.key``."""
    then = problem.then
    if problem.restates and problem.key is root:  # (its line the value said: none)
        return ""
    if problem.key_then is not None and _is_key(root, problem.key):
        then = problem.key_then
    elif problem.by_field is not None:
        steps = _steps_to(root, problem.key)
        fitting = None if steps is None else problem.by_field(steps)
        if fitting is not None:
            then = fitting
            if problem.advice_at is not None:
                problem.message = problem.message[:problem.advice_at]
    return "".join(said + yamltags.untagged_line(text, problem.key, value)
                   for said, value in then)


def _steps_to(root: yaml.Node, node: yaml.Node) -> tuple[str | int, ...] | None:
    """The keys (as written) and list indexes that lead from ``root`` to the value
    ``node`` (None: not a value below it)."""
    pending: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    while pending:
        here, steps = pending.pop()
        if here is node:
            return steps
        if isinstance(here, yaml.MappingNode):
            pending += [(value, (*steps, _key_name(key))) for key, value in here.value]
        elif isinstance(here, yaml.SequenceNode):
            pending += [(item, (*steps, i)) for i, item in enumerate(here.value)]
    return None


def _is_key(root: yaml.Node, node: yaml.Node) -> bool:
    """Whether ``node`` is a key of a map in the tree ``root``."""
    pending = [root]
    while pending:
        here = pending.pop()
        if isinstance(here, yaml.MappingNode):
            for key, value in here.value:
                if key is node:
                    return True
                pending += (key, value)
        elif isinstance(here, yaml.SequenceNode):
            pending += here.value
    return False


def _refuse_document_end(text: str) -> None:
    """A problem at ``text``'s ``...`` line that only blank lines or comments follow,
    which libyaml reads without a word (fields after it are libyaml's error, which
    :func:`_hint` names)."""
    ended = _DOCUMENT_END.search(text) if "..." in text else None
    if ended is not None:
        raise _at(text, ended.start(), _ENDED)


def _load_with_nodes(text: str, keys: list[YamlProblem] | None) -> tuple[Any, Tree]:
    """:func:`load_with_nodes` but for its ``...`` check."""
    if _has_other_breaks(text):
        try:
            _check_breaks(text)
        except UnicodeEncodeError as exc:  # (it scans with libyaml too)
            raise _half_character(text, exc) from None
    if len(text) <= _COUNT_FROM:
        quick = blockyaml.load(text, plain_value)
        if quick is not None:
            return quick
    return load_with_libyaml(text, keys)


def load_with_libyaml(text: str, keys: list[YamlProblem] | None = None
                      ) -> tuple[Any, yaml.Node | None]:
    """:func:`load_with_nodes` without the fast path: any YAML, its node tree."""
    try:
        if "&" in text or "*" in text or len(text) > _COUNT_FROM:
            _check_events(text)
        loader = StrictLoader(text)
        try:
            node = yamltags.block_texts(text, _place_nodes(text, loader.get_single_node()))
            if node is None:
                return None, None
            return _built(text, node, keys), node
        finally:
            loader.dispose()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        misread = _misread(text, exc)
        if misread is not None:  # (a line missing its ':', its '- ', a space or a quote)
            raise _at(text, misread[0], f"{misread[1]} ({_said(exc)})", misread[2]) from None
        try:
            _syntax_problem(text, exc)
        except YamlProblem as problem:
            if problem.code == "yaml-syntax" and not problem.field:
                problem.field = broken_field(text)
            raise problem from None
        raise  # (not reached: _syntax_problem raises)
    except yaml.reader.ReaderError as exc:  # control characters and the like
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        raise _at(text, exc.position, f"{char} is not allowed in YAML") from None
    except UnicodeEncodeError as exc:
        raise _half_character(text, exc) from None
    except yaml.YAMLError as exc:
        return _raise(text, getattr(exc, "mark", None), "yaml-syntax",
                      str(exc).splitlines()[0])
    except RecursionError:  # the pure-Python composer recurses once per level
        _too_deep(text)
        raise YamlProblem("yaml-too-deep", "nesting too deep") from None


def _too_deep(text: str) -> None:
    """Raise the ``yaml-too-deep`` problem of ``text`` where its nesting first goes
    deeper than :data:`MAX_DEPTH`, as :func:`build` says it, if the parser gets there
    (libyaml stops some 1,000 levels down, and Python's composer sooner)."""
    at = too_deep_at(text)
    if at is not None:
        raise YamlProblem("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                          *_line_column(text, at))


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> None:
    """Raise the :class:`YamlProblem` of libyaml's error ``exc`` reading ``text``, placed
    where the user can see its cause."""
    problem = str(exc.problem)
    code = "yaml-too-deep" if "maximum nesting depth" in problem else "yaml-syntax"
    if code == "yaml-too-deep":
        _too_deep(text)
    message = _said(exc)
    hint = _hint(text, exc.problem_mark)
    if hint is not None:
        raise _at(text, hint[0], f"{hint[1]} ({message})")
    colon = _colon_hint(text, exc)
    if colon is not None:  # (in the field of the value that the colon ends or is in)
        raise _at(text, colon[0], f"{colon[1]} ({message})", ended_field(text))
    opened = _never_closed(text, exc)
    if opened is not None:
        raise _at(text, *opened)
    last = len(text.rstrip()) - 1
    if code == "yaml-syntax" and exc.problem_mark is not None and \
            exc.problem_mark.index > last >= 0:
        # found at the end: placed at the last thing written, not at the closing ---
        raise _at(text, last, f"{message} at the end of the front matter")
    _raise(text, exc.problem_mark, code, message)


def _misread(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str, str] | None:
    """(position, message, field) of the line libyaml's error ``exc`` comes from where a
    quote opened on it is closed lines below (:func:`unclosed_quote`), or that misses its
    ':', its '- ' or a space after ':' (:func:`misread_line`), or that holds text after
    a value closed on it (:func:`closed_early`), unless :func:`_hint` or
    :func:`_colon_hint` says more of it."""
    if _hint(text, exc.problem_mark) is not None:
        return None
    found = unclosed_quote(text, exc) or closed_early(text, exc)
    if found is None and _colon_hint(text, exc) is None:
        found = misread_line(text, exc)
    return found


def _said(exc: yaml.MarkedYAMLError) -> str:
    """What libyaml says of its error ``exc``: its problem (and context)."""
    return f"{exc.problem} ({exc.context})" if exc.context else str(exc.problem)


#: A line's indentation up to a list item's ``-`` (and the ``- ``s before it).
_DASHES = re.compile(r"[ ]*(?:-[ ]+)*-[ ]*")


def _hint(text: str, mark: Any) -> tuple[int, str] | None:
    """(position, what to do) for a syntax problem whose cause the user cannot see: a tab
    that indents a line or follows a list item's ``-``, a byte order mark inside the
    text, a ``...`` (the end of a YAML document) with fields after it, or None."""
    at = getattr(mark, "index", None)
    if at is None or at > len(text):
        return None
    start = text.rfind("\n", 0, at) + 1
    indent = text[start:at + 1]
    if "\t" in indent and not indent.replace("\t", "").replace(" ", ""):
        return start + indent.index("\t"), ("a tab indents this line: YAML indents "
                                                   "with spaces only")
    if text[at:at + 1] == "\t" and _DASHES.fullmatch(text, start, at):  # (-<TAB>Squat)
        return at, ("a tab after this list item's '-': YAML separates an item from its "
                    "'-' with spaces only")
    if "\ufeff" in text[start:at + 1]:
        return text.index("\ufeff", start), ("U+FEFF (a byte order mark) inside the "
                                                     "text, where editors show nothing: remove it")
    first = len(text) - len(text.lstrip("\n"))  # (the file's --- line: an empty one)
    if text.startswith("%", first):
        return first, ("a % directive (such as %YAML) starts the YAML text; front matter "
                          "holds none: remove it")
    if at == start and _DOCUMENT_END.match(text, at):  # (front matter of nothing but ...)
        return at, _ENDED
    ended = text.rfind("\n...", 0, at)
    if ended >= 0 and not text[ended + 4:start].strip(" \n"):
        return ended + 1, ("... ends the YAML document, so the fields after it are "
                                  "not read: remove it (it closes front matter for "
                                  "Jekyll, not Hugo: close that with ---)")
    return None


#: A line up to a colon inside its plain value: ``key: value with`` (maybe a list item's).
_PLAIN_VALUE = re.compile(r"[ ]*(?:-[ ]+)?([^\s'\"#\[{&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?):[ ]+"
                          r"([^\s'\"#\[{&*!|>%@`][^\n]*)")


def _colon_hint(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(position, what to do) for a colon and a space (or a tab) inside a plain value
    (``title: Soleus: the calf``), or a colon that ends it (``title: Soleus:``), which
    YAML reads as a second key on the line; else None."""
    mark = exc.problem_mark
    if mark is None or exc.problem != "mapping values are not allowed in this context":
        return None
    start = text.rfind("\n", 0, mark.index) + 1
    found = _PLAIN_VALUE.fullmatch(text, start, mark.index)
    if found is None:
        return None
    end = text.find("\n", mark.index)
    value = text[found.start(2):len(text) if end < 0 else end].split(" #")[0].rstrip()
    quoted = f'"{value}"' if '"' not in value and "\\" not in value else \
        "'" + value.replace("'", "''") + "'"
    key, after = found[1].strip(), text[mark.index + 1:len(text) if end < 0 else end]
    if re.match(r"[ \t]*(?:#|\r?$)", after):  # (title: Soleus:)
        colon = f"a colon at the end of the unquoted value of {key} makes"
    else:
        space = "a tab" if after.startswith("\t") else "a space"
        colon = f"a colon and {space} inside the unquoted value of {key} make"
    return mark.index, f"{colon} YAML read a second key: put the value in quotes, " \
        f"{key}: {quoted}"


#: What libyaml's context names, when the text ends inside it.
_OPENED = {"while scanning a quoted scalar": "this quoted text",
           "while parsing a flow mapping": "this { map",
           "while parsing a flow sequence": "this [ list"}


def _never_closed(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(the position where it opens, the message) for a problem found at the end of ``text`` inside
    a quote or bracket opened earlier, else None."""
    end = len(text.rstrip())
    mark, opened = exc.problem_mark, exc.context_mark
    if mark is None or mark.index < end:
        return None
    why = f"({exc.problem} {exc.context})" if exc.context else f"({exc.problem})"
    if opened is not None and opened.index < end and exc.context in _OPENED:
        return opened.index, f"{_OPENED[exc.context]} is never closed {why}"
    flow = _open_flow(text)  # (after "[a," libyaml's context is the end of the text too)
    if flow is None:
        return None
    return flow, f"this {'[ list' if text[flow] == '[' else '{ map'} is never closed {why}"


def _open_flow(text: str) -> int | None:
    """Where the innermost [ list or { map still open where ``text`` stops parsing
    starts, or None."""
    opened: list[int | None] = []  # (each collection open; None for a block one)
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                opened.append(event.start_mark.index if event.flow_style else None)
            elif isinstance(event, yaml.CollectionEndEvent) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return next((at for at in reversed(opened) if at is not None), None)


def _half_character(text: str, exc: UnicodeEncodeError) -> YamlProblem:
    """libyaml takes UTF-8, which a lone surrogate cannot be (only a Python caller's text
    holds one: a file is decoded strictly)."""
    return _at(text, exc.start, f"U+{ord(text[exc.start]):04X} is half of a character "
               "(a lone surrogate)")


def _at(text: str, position: int, message: str, field: str = "") -> YamlProblem:
    """A syntax problem at a character position of ``text`` (in ``field``)."""
    return YamlProblem("yaml-syntax", message, *_line_column(text, position), field)


def _raise(text: str, mark: Any, code: str, message: str) -> Any:
    if getattr(mark, "index", None) is None:
        raise YamlProblem(code, message, getattr(mark, "line", None),
                          getattr(mark, "column", None))
    raise YamlProblem(code, message, *_placed(text, mark))


@lru_cache(maxsize=1)
def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``, kept for the next call: a file with many problems
    asks :func:`locate` once per problem, and composing each time would be quadratic."""
    return yamltags.block_texts(text, _place_nodes(text, yaml.compose(
        text, Loader=StrictLoader)))


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text that :func:`load` has read (each scalar with its
    style and place in ``text``'s lines), or None when there is none to give."""
    try:
        return _compose(text)
    except (yaml.YAMLError, RecursionError, UnicodeEncodeError):
        return None


def locate(text: str, path: tuple[str | int, ...], *, key: bool = False
           ) -> tuple[int, int] | None:
    """0-based (line, column) of the node at ``path`` in a YAML mapping document.

    Walks as deep as the path exists; returns the deepest node found, so a missing
    list item points at its list. A text value is located where it starts, as is a
    ``[`` list or ``{`` map; a block list or map by the key it is under (``origin:``),
    a list item where it starts. With
    ``key``, the last step is located by its key however its value is written (a key
    given twice is placed there, as the loader places its own ``duplicate-key``). Each
    step of ``path`` is one key as written (a key ``my.key`` is one step, not two of a
    field path split at its dots: see :func:`steps` for the path of a field without such
    keys).
    """
    try:
        node = _compose(text)
    except (yaml.YAMLError, RecursionError, UnicodeEncodeError):
        return None
    if not key or node is None:
        return find(node, path)
    best = _deepest(node, path, 0, node, key=True)[1]
    return best.start_mark.line, best.start_mark.column


def find(node: Tree, path: tuple[str | int, ...]) -> tuple[int, int] | None:
    """0-based (line, column) of ``path`` in a loaded document (see :func:`locate`)."""
    if node is None:
        return None
    if isinstance(node, dict):
        return blockyaml.find(node, path)
    best = _deepest(node, path, 0, node)[1]
    return best.start_mark.line, best.start_mark.column


def _deepest(node: yaml.Node, path: tuple[str | int, ...], done: int, best: yaml.Node,
             key: bool = False) -> tuple[int, yaml.Node]:
    """(steps of ``path`` found, the node to point at) going down from ``node``, which
    ``done`` steps reached (pointed at by ``best``). With ``key``, the last step is
    pointed at by its key."""
    found = (done, best)
    for key_node, child, end in _children(node, path, done):
        # A text value, or a [ list or { map, itself; a block list or map (or an empty
        # value) by the key it is under.
        here = child if _placed_itself(child) and not (key and end == len(path)) \
            else key_node
        deeper = _deepest(child, path, end, here, key)
        if deeper[0] > found[0]:
            found = deeper
        if found[0] == len(path):
            break
    return found


def _placed_itself(node: yaml.Node) -> bool:
    """Whether a value is pointed at where it starts: a text (an empty one written
    quoted, ``""``, or ``|``), or a list or map written on its key's line (``[1]``,
    ``{a: 1}``, ``[]``); a key with no value, or a block list or map, which starts on
    the lines below its key, is pointed at by that key."""
    if isinstance(node, yaml.ScalarNode):
        return bool(node.value or node.style)  # (plain: style "" or None)
    return bool(node.flow_style)


def _keys(node: yaml.MappingNode) -> dict[str, list[int]]:
    """Key text -> where its pairs are in ``node`` (made once a map: a file with 20,000
    problems in one map is located in one pass over it, not 20,000). A key that is not
    text (``1:``, ``true:``) names no field: its entry is not in the data."""
    keys = getattr(node, "_keys", None)
    if keys is None:
        keys = {}
        for at, (key_node, _) in enumerate(node.value):
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR:
                keys.setdefault(key_node.value, []).append(at)
        node._keys = keys  # type: ignore[attr-defined]
    return keys


def _children(node: yaml.Node, path: tuple[str | int, ...], done: int
              ) -> Iterator[tuple[yaml.Node, yaml.Node, int]]:
    """(key node, value node, steps taken) of each child of ``node`` that the step of
    ``path`` after ``done`` names: the pairs of its key (a key given twice has two), or
    its item."""
    if done == len(path):
        return
    step = path[done]
    if isinstance(node, yaml.MappingNode):
        if isinstance(step, str):
            for at in _keys(node).get(step, ()):  # (in the map's order, as written)
                key_node, value_node = node.value[at]
                yield key_node, value_node, done + 1
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
            and 0 <= step < len(node.value):
        yield node.value[step], node.value[step], done + 1


#: A ``#`` that starts a comment: at the start of a line or after a space or tab.
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#", re.M)


def comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment in a YAML document as 0-based (line, column, text without trailing
    spaces), in order: each ``#`` outside the scalars libyaml scans (a block scalar's
    header line, which may end in a comment, is outside it)."""
    scalars = _Scalars(text)
    found, done, lines = [], 0, LineStarts(text)
    for match in _COMMENT.finditer(text):
        at = match.start()
        if at >= done and not scalars.holds(at):
            done = text.find("\n", at) % (len(text) + 1)
            found.append((*lines.place(at), text[at:done].rstrip()))
    return found


def iter_paths(path: str) -> Iterator[str | int]:
    """Split a field path such as ``function[2].short.da`` into its steps."""
    return iter(steps(path))


@lru_cache(maxsize=4096)
def steps(path: str) -> tuple[str | int, ...]:
    """The steps of a field path as a tuple (field paths repeat from file to file); a
    key that is empty text is a step too (``origin.`` is ``origin``'s key ``""``)."""
    return tuple(int(index) if index else name
                 for index, name in _STEP.findall(path)) if path else ()


#: A step of a field path: ``[2]``, or a key (maybe empty) after a dot or at the start.
_STEP = re.compile(r"\[(\d+)\]|(?:^|\.)([^.\[\]]*)")
