"""The files the code of formats is made of, whose state is part of a run's cache key:
their distributions' files, or the module files of their packages; and the names of
those distributions, whose requirements' versions are part of it too."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .entrypoints import OWN_DISTRIBUTION, origins, package_name

if TYPE_CHECKING:
    from importlib.metadata import Distribution

    from .formatbase import Format


def code_files(formats: Iterable[Format]) -> set[str]:
    """The files the code of ``formats`` is made of (absolute paths): every file their
    distributions list (its ``RECORD``: the modules, data and metadata of another
    version or of an edited plugin), and, when that list lacks a format's module (a
    hand-made ``dist-info``, an editable install, a format that is no plugin), every
    module file of the module's package folder (the outermost regular package holding
    it; a top-level module alone) and of each top-level module and package its
    distribution names in ``top_level.txt`` (an editable install's helper module or
    sibling package, where the import system finds it), or, with none (an editable
    install by hatchling, flit or pdm-backend), of those the editable install exposes
    (:func:`~converter.editable.exposed_files`): their data files are left out, which a
    package of many (pictures, a bundled corpus) would make every run stat."""
    found: set[str] = set()
    for module, dist in {(sys.modules.get(type(f).__module__), origins.get(type(f)))
                         for f in formats}:
        files = _distribution_files(dist)
        found |= files
        own = getattr(module, "__file__", None)
        if own and os.path.abspath(own) not in files:
            found |= _package_files(module) | _top_level_files(dist)
    return found


def code_distributions(formats: Iterable[Format]) -> tuple[str, ...]:
    """The names of the distributions that registered ``formats`` (their entry points'
    packages, muscle-convert's own left out), sorted: what they require is part of a
    run's cache key (:func:`~converter.cache.installed`), as their files are."""
    names = {package_name(dist) for dist in {origins.get(type(f)) for f in formats}
             if dist is not None}
    return tuple(sorted(name for name in names
                        if name and re.sub(r"[-_.]+", "-", name).lower() != OWN_DISTRIBUTION))


def _distribution_files(dist: Distribution | Any | None) -> set[str]:
    """The absolute paths of the files ``dist`` lists, compiled bytecode left out (it
    is written by running the code, and stands for the sources listed beside it)."""
    files = dist.files if dist is not None else None
    return {os.path.abspath(dist.locate_file(f)) for f in files or ()
            if not f.name.endswith(".pyc")}


def _top_level_files(dist: Distribution | Any | None) -> set[str]:
    """The module files of each top-level module and package ``dist`` names in its
    ``top_level.txt`` (setuptools writes one, an editable install's too), found where
    an import would find it (an editable install's finder maps it to the project's
    folder) without importing it: a package's :func:`module_files`, a module's file.
    Where it has none, those its editable install exposes
    (:func:`~converter.editable.exposed_files`; none when it is not one)."""
    text = dist.read_text("top_level.txt") if dist is not None else None
    if text is None and dist is not None:
        from .editable import exposed_files

        return exposed_files(dist)
    found: set[str] = set()
    for name in (text or "").split():
        try:
            spec = importlib.util.find_spec(name) if name.isidentifier() else None
        except (ImportError, ValueError):  # (a name it cannot find: nothing of it)
            continue
        if spec is None:
            continue
        for folder in spec.submodule_search_locations or ():
            found |= module_files(folder)
        if spec.has_location and spec.origin and spec.origin.endswith(MODULE_ENDINGS):
            found.add(os.path.abspath(spec.origin))
    return found


def _package_files(module: Any) -> set[str]:
    """The module files of the folder of the outermost regular package holding
    ``module`` (:func:`module_files`), and ``module``'s own file, the only one when it
    is in no package."""
    parts = module.__name__.split(".")
    own = {os.path.abspath(module.__file__)}
    for end in range(1, len(parts) + 1):
        path = getattr(sys.modules.get(".".join(parts[:end])), "__file__", None)
        if path and os.path.basename(path).startswith("__init__."):
            return own | module_files(os.path.dirname(os.path.abspath(path)))
    return own


#: The endings of the files Python imports modules from: sources and extension modules
#: (``.py``, ``.cpython-312-x86_64-linux-gnu.so``), not bytecode (written by running).
MODULE_ENDINGS = tuple(sorted({*importlib.machinery.SOURCE_SUFFIXES,
                                *importlib.machinery.EXTENSION_SUFFIXES}))


def module_files(folder: str) -> set[str]:
    """The module files below ``folder`` (:func:`walked_modules`)."""
    return set(walked_modules(folder))


def walked_modules(folder: str) -> Iterator[str]:
    """The module files below ``folder``, in the folders an import can name (each an
    identifier: not ``__pycache__``, ``my-data`` or ``.git``), as a walk finds them (a
    caller that has enough stops it); the names of its other files are listed, but
    none is stat-ed."""
    for top, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if f.isidentifier() and f != "__pycache__"]
        yield from (os.path.join(top, name) for name in files
                    if name.endswith(MODULE_ENDINGS))
