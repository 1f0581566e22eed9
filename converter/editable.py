"""The module files an editable install exposes, found from what the install recorded,
for a distribution with no ``top_level.txt`` to name them (hatchling, flit and
pdm-backend write none).

Such an install lists in its ``RECORD`` a ``.pth`` file and, for an import hook, the
module that file imports: the ``.pth`` names a source folder to put on the path (each
of its modules and packages importable, a helper module beside the format's package
too), or imports the hook, whose source maps the names it exposes to their files
(setuptools' ``MAPPING``, ``editables``' ``map_module()`` calls). Its
``direct_url.json`` says it is editable (``{"dir_info": {"editable": true}}``, which
PEP 660 has every installer write for one), and names the project's folder: a folder or
file outside it is not the project's, and is not watched. A distribution without it (a
wheel from an index, whose ``.pth`` may name any folder) is no editable install: its
``RECORD`` is not read here. What is watched is bounded
(:data:`MOST`), so that a source folder that is a whole repository's root costs each
run no more than that many stats.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from .codefiles import MODULE_ENDINGS, walked_modules

#: The most module files watched for one editable install (the format's own package
#: is watched whole besides, see :func:`~converter.codefiles.code_files`): the modules
#: of a source folder, then its packages in name order, each whole, until one is more
#: than what is left.
MOST = 1000
#: A ``.pth`` line that imports: its module names (``import a; a.install()``).
_IMPORTED = re.compile(r"\bimport\s+([A-Za-z_]\w*)")


def exposed_files(dist: Any, most: int = MOST) -> set[str]:
    """The module files (absolute paths) the editable install ``dist`` exposes, at
    most ``most``: of each source folder a ``.pth`` it lists puts on the path, the
    modules directly in it and the module files of its regular packages (a folder
    with an ``__init__.py``: not a ``tests`` or ``build`` folder without one); of each
    hook module such a ``.pth`` imports, the files and packages it maps names to.
    Nothing when ``dist`` is no editable install (it has no ``direct_url.json`` saying
    it is one) or lists no ``.pth`` file."""
    editable, project = _project(dist)
    if not editable:
        return set()
    listed = {f.name: os.path.abspath(dist.locate_file(f)) for f in dist.files or ()
              if len(f.parts) == 1}  # (in the site folder itself)
    budget = [most]
    found: set[str] = set()
    for name, pth in sorted(listed.items()):
        if not name.endswith(".pth"):
            continue
        for folder, hooks in _pth_entries(pth):
            if folder is not None and _inside(folder, project):
                found |= _folder_modules(folder, budget)
            for hook in hooks:
                if f"{hook}.py" in listed:
                    found |= _mapped_files(listed[f"{hook}.py"], project, budget)
    return found


def _project(dist: Any) -> tuple[bool, str | None]:
    """Whether ``dist`` is an editable install (its ``direct_url.json`` says so:
    ``dir_info`` with ``editable`` true, as PEP 610 and 660 have pip and every installer
    write for one; with none, or one that cannot be read, it is not), and the folder of
    the project it was installed from as that file names it (None: it names none)."""
    import json

    text = dist.read_text("direct_url.json")
    try:
        url = json.loads(text) if text else None
    except ValueError:  # (one that cannot be read says nothing)
        url = None
    if not isinstance(url, dict):
        return False, None
    info = url.get("dir_info")
    if not isinstance(info, dict) or info.get("editable") is not True:
        return False, None
    return True, _file_url_path(url.get("url"))


def _file_url_path(url: object) -> str | None:
    """The local path of a ``file:`` URL (links followed), or None for another."""
    from urllib.parse import unquote, urlsplit

    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    if os.name == "nt" and re.match(r"/[A-Za-z]:", path):  # (file:///C:/project)
        path = path[1:]
    return os.path.realpath(path)


def _inside(path: str, project: str | None) -> bool:
    """Whether ``path`` is ``project``'s folder or below it (any, when None), links
    followed: pip names the project as it was given (``pip install -e ./link``), the
    backend's ``.pth`` and hook where it is."""
    if project is None:
        return True
    try:
        return os.path.commonpath([os.path.realpath(path), project]) == project
    except ValueError:  # (another drive)
        return False


def _pth_entries(pth: str) -> Iterator[tuple[str | None, list[str]]]:
    """(folder, []) for each line of the ``.pth`` file at ``pth`` that puts a folder
    on the path, (None, the modules it imports) for each that imports, as the
    ``site`` module reads them; nothing when the file cannot be read."""
    try:
        with open(pth, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return
    site = os.path.dirname(pth)
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(("import ", "import\t")):
            yield None, _IMPORTED.findall(line)
        else:
            yield os.path.abspath(os.path.join(site, line.rstrip())), []


def _folder_modules(folder: str, budget: list[int]) -> set[str]:
    """The module files directly in ``folder``, and of each regular package in it (in
    name order, each whole, until one is more than what is left of ``budget``)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:  # (a folder that is gone)
        return set()
    found = {e.path for e in entries if e.name.endswith(MODULE_ENDINGS)
             and e.name.partition(".")[0].isidentifier() and _is_file(e)}
    found = set(sorted(found)[:max(budget[0], 0)])
    budget[0] -= len(found)
    for entry in entries:
        if (entry.name.isidentifier() and entry.name != "__pycache__" and _is_dir(entry)
                and os.path.isfile(os.path.join(entry.path, "__init__.py"))):
            package = _package_modules(entry.path, budget)
            if package is None:
                break
            found |= package
    return found


def _mapped_files(hook: str, project: str | None, budget: list[int]) -> set[str]:
    """The files the import hook module at ``hook`` maps names to: each string in its
    source that is an absolute path to a module file (``.../helpers.py``), the folder
    of a package (``.../pkg``) or its ``__init__`` file, inside ``project``."""
    import ast

    try:
        with open(hook, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), hook)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        path = node.value if isinstance(node, ast.Constant) else None
        if not isinstance(path, str) or not os.path.isabs(path) or not _inside(path, project):
            continue
        if os.path.basename(path).startswith("__init__."):
            path = os.path.dirname(path)
        if os.path.isdir(path):
            package = _package_modules(path, budget)
            if package is None:
                break
            found |= package
        elif path.endswith(MODULE_ENDINGS) and os.path.isfile(path) and budget[0] > 0:
            found.add(os.path.abspath(path))
            budget[0] -= 1
    return found


def _package_modules(folder: str, budget: list[int]) -> set[str] | None:
    """The module files below ``folder`` (in the folders an import can name, as
    :func:`~converter.codefiles.module_files` finds them), taken from ``budget``; None
    when there are more than it has left (what was listed is dropped)."""
    found: set[str] = set()
    for path in walked_modules(folder):
        found.add(path)
        if len(found) > budget[0]:
            budget[0] = 0
            return None
    budget[0] -= len(found)
    return {os.path.abspath(path) for path in found}


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a file (through a link too), False when it cannot tell."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder (through a link too), False when it cannot tell."""
    try:
        return entry.is_dir()
    except OSError:
        return False
