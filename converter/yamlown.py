"""PyYAML's loader and resolver as this tool reads with them, classes of its own.

A caller's registrations change PyYAML's classes for the whole process:
``yaml.add_constructor('!x', f, Loader=yaml.CSafeLoader)``,
``yaml.add_implicit_resolver(..., Loader=yaml.CSafeLoader)``, or one on
``yaml.resolver.Resolver`` itself, which every loader inherits. :class:`Loader` and
:class:`Resolver` hold tables of their own: YAML 1.1's implicit types as PyYAML's
module defines them, read from that module afresh (so registrations made before this
module was imported do not reach them either), no path resolver and no constructor
(what reads a value here takes it from its node: :func:`scalar_text`).
"""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

import yaml


def _defined_resolvers() -> dict[Any, list[tuple[str, Any]]]:
    """The implicit types of PyYAML's ``Resolver`` as its module defines them, that
    module run again apart (in no ``sys.modules``): none a caller added. Where its
    source cannot be run again (PyYAML in a zip, a frozen program's bytecode alone),
    they are a copy of ``Resolver``'s tables as they stand (its lists copied): what a
    caller registered before this module was imported is among them then."""
    try:
        spec = importlib.util.spec_from_file_location(f"{yaml.__name__}._own_resolver",
                                                      yaml.resolver.__file__)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot read {yaml.resolver.__file__} again")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        defined = module.Resolver.yaml_implicit_resolvers
    except (ImportError, OSError, AttributeError, TypeError, ValueError, SyntaxError):
        defined = yaml.resolver.Resolver.yaml_implicit_resolvers
    return {first: list(found) for first, found in defined.items()}


_DEFINED = _defined_resolvers()


class Resolver(yaml.resolver.Resolver):
    """PyYAML's YAML 1.1 resolver (``=``, ``yes``, ``0x1F`` are no text to it), with
    its own tables."""

    yaml_implicit_resolvers: ClassVar[dict] = _DEFINED
    yaml_path_resolvers: ClassVar[dict] = {}


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (PyYAML's own where PyYAML has no libyaml) with the tables of
    :class:`Resolver` and no constructor: to scan, parse and compose."""

    yaml_implicit_resolvers: ClassVar[dict] = _DEFINED
    yaml_path_resolvers: ClassVar[dict] = {}
    yaml_constructors: ClassVar[dict] = {}
    yaml_multi_constructors: ClassVar[dict] = {}


def scalar_text(text: str) -> str | None:
    """The text a YAML document ``text`` of one quoted (or plain) scalar holds, as
    :class:`Loader` composes it (a quoted text's line breaks folded, its escapes
    read); None for another document, or one that does not read."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except (yaml.YAMLError, UnicodeEncodeError):
        return None
    return node.value if isinstance(node, yaml.ScalarNode) else None
