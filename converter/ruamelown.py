"""ruamel.yaml's round-trip representer, constructor and resolver as this tool writes and
reads with them, classes of its own.

A caller's registrations change ruamel's classes for the whole process:
``RoundTripRepresenter.add_representer(str, f)`` (``YAML().register_class`` too),
``RoundTripConstructor.add_constructor(tag, f)``, or an ``add_implicit_resolver`` on any
of ruamel's resolvers, which every ``VersionedResolver`` reads from its module's list.
A caller may import ruamel and register before this module is imported, so no snapshot
taken here would be ruamel's own: :class:`Representer`, :class:`Constructor` and
:class:`Resolver` hold the tables ruamel's modules define, read from those modules run
again apart (their functions ruamel's own, so its errors are ruamel's classes), and no
path resolver.

:class:`Constructor` also keeps the comment lines after a list or map that is a list's
item (``- -`` then ``# note``, the item's list ending in an empty item), which ruamel's
reader drops: its writer writes them back there, so what was read is written.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any, ClassVar

from ruamel.yaml import constructor, representer, resolver


def _afresh(module: ModuleType) -> ModuleType:
    """ruamel's ``module`` run again apart (in no ``sys.modules``): its tables as it
    defines them, none a caller added. Where its source cannot be run again (ruamel in
    a zip, a frozen program's bytecode alone), ``module`` itself: the tables taken from
    it are copies, holding what a caller registered before this module was imported."""
    try:
        spec = importlib.util.spec_from_file_location(f"{module.__name__}._own",
                                                      module.__file__)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot read {module.__file__} again")
        again = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(again)
    except (ImportError, OSError, AttributeError, TypeError, ValueError, SyntaxError):
        return module
    return again


def _ruamel_s(found: Any, module: ModuleType) -> Any:
    """The function of ruamel's ``module`` that ``found``, of its copy run apart, is (the
    same qualified name and code), else ``found`` itself."""
    owner: Any = module
    for name in getattr(found, "__qualname__", "").split("."):
        owner = vars(owner).get(name) if hasattr(owner, "__dict__") else None
    same = getattr(owner, "__code__", None) == getattr(found, "__code__", False)
    return owner if same else found


def _tables(module: ModuleType, kind: str, *names: str) -> dict[str, dict[Any, Any]]:
    """The tables ``names`` of the class ``kind`` as ruamel's ``module`` defines them."""
    defined = getattr(_afresh(module), kind)
    return {name: {key: _ruamel_s(found, module)
                   for key, found in getattr(defined, name).items()} for name in names}


_REPRESENTERS = _tables(representer, "RoundTripRepresenter", "yaml_representers",
                        "yaml_multi_representers")
_CONSTRUCTORS = _tables(constructor, "RoundTripConstructor", "yaml_constructors",
                        "yaml_multi_constructors")
#: ruamel's implicit types: (YAML versions, tag, regular expression, first characters).
_IMPLICIT: list[tuple[Any, ...]] = list(_afresh(resolver).implicit_resolvers)


class Representer(representer.RoundTripRepresenter):  # type: ignore[misc]
    """ruamel's round-trip representer with the representers its module gives it."""

    yaml_representers: ClassVar[dict] = _REPRESENTERS["yaml_representers"]
    yaml_multi_representers: ClassVar[dict] = _REPRESENTERS["yaml_multi_representers"]


class Constructor(constructor.RoundTripConstructor):  # type: ignore[misc]
    """ruamel's round-trip constructor with the constructors its module gives it."""

    yaml_constructors: ClassVar[dict] = _CONSTRUCTORS["yaml_constructors"]
    yaml_multi_constructors: ClassVar[dict] = _CONSTRUCTORS["yaml_multi_constructors"]

    def construct_rt_sequence(self, node: Any, seqtyp: Any, deep: bool = False) -> Any:
        """ruamel's items of the list ``node``, a list or map item keeping the comment
        lines after its end (``- -`` then ``# note``): ruamel moves an item's comments
        to the list's own slot for it, which holds no such lines, and they were lost.
        They go to the item's end (``ca.end``), where ruamel holds them after a list
        that is a map's value; its writer writes that only below a start comment, so
        the item gets an empty one, as ruamel's reader gives that list."""
        from ruamel.yaml.nodes import CollectionNode

        ends = [(index, child.comment[2]) for index, child in enumerate(node.value)
                if isinstance(child, CollectionNode) and child.comment
                and len(child.comment) > 2 and child.comment[2]]
        items = super().construct_rt_sequence(node, seqtyp, deep=deep)
        done: set[int] = set()  # (an alias is its anchor's item: its lines once)
        for index, lines in ends:
            item = items[index]
            if id(item) in done or not hasattr(item, "yaml_end_comment_extend"):
                continue
            done.add(id(item))
            if item.ca.comment is None:
                item.ca.comment = [None, None]
            item.yaml_end_comment_extend(lines)
        return items


class Resolver(resolver.VersionedResolver):  # type: ignore[misc]
    """ruamel's resolver (YAML 1.2, 1.1 where a document says ``%YAML 1.1``) with the
    implicit types its module defines, each version's in tables of the instance's own
    from the start (ruamel's fills them from its module's list when first asked)."""

    yaml_implicit_resolvers: ClassVar[dict] = {}
    yaml_path_resolvers: ClassVar[dict] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for versions, tag, regexp, first in _IMPLICIT:
            for version in versions:
                self.add_version_implicit_resolver(version, tag, regexp, first)
