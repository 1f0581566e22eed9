"""Installed distributions and their entry points, found on ``sys.path`` as
``importlib.metadata`` finds them, without importing it.

Importing ``importlib.metadata`` imports ``email``, ``zipfile``, ``shutil`` with its
compressors, ``socket`` and ``importlib.resources``: several times what a replayed run
does with it (a few entry points, a few metadata headers, one ``RECORD``). Here the
folders on ``sys.path`` are listed as its path finder lists them (every ``*.dist-info``
and ``*.egg-info`` entry, the first of one normalized name winning), and their files
read as it reads them. Where the path holds what only it knows how to read (a zip
file, an ``.egg``), or a finder of the import system finds distributions of its own,
``importlib.metadata`` itself is asked.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

#: An entry point's value: ``module``, ``module:attr.attr``, with ``[extras]`` after.
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
#: What the folders of distributions' metadata end with.
_INFO = (".dist-info", ".egg-info")


def _normalized(name: str) -> str:
    """A distribution's name as ``importlib.metadata`` compares names (PEP 503, then
    ``-`` as ``_``)."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


class SiteDistribution:
    """A distribution whose metadata is a folder on disk (``_path``, as
    ``importlib.metadata.PathDistribution`` names it): its files read directly; what is
    not plain (its name in a header that is not, a list of files that is no
    ``RECORD``) asked of ``importlib.metadata``."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def read_text(self, filename: str) -> str | None:
        """The text of the metadata file ``filename``, or None when there is none."""
        try:
            return self._path.joinpath(filename).read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
            return None

    def _full(self) -> Any:
        """This distribution as ``importlib.metadata`` makes it."""
        import importlib.metadata

        return importlib.metadata.PathDistribution(self._path)

    @property
    def name(self) -> str:
        """The ``Name`` its metadata gives (parsed whole)."""
        return str(self._full().name)

    @property
    def files(self) -> list[PurePosixPath] | None:
        """The files its ``RECORD`` lists (paths from the folder it is in); another
        list (an ``.egg-info``'s) as ``importlib.metadata`` reads it."""
        text = self.read_text("RECORD")
        if not text:
            found = self._full().files
            return None if found is None else [PurePosixPath(f) for f in found]
        import csv

        return [PurePosixPath(row[0]) for row in csv.reader(text.splitlines()) if row]

    def locate_file(self, path: str | os.PathLike[str]) -> Path:
        """The file at ``path`` (as :attr:`files` names it)."""
        return self._path.parent / path

    def __repr__(self) -> str:
        return f"SiteDistribution({str(self._path)!r})"


class SiteEntryPoint:
    """An entry point of a :class:`SiteDistribution` (as ``importlib.metadata``'s
    ``EntryPoint``: ``name``, ``value``, ``group``, ``module``, ``attr``, ``load()``,
    ``dist``)."""

    def __init__(self, name: str, value: str, group: str, dist: SiteDistribution) -> None:
        self.name, self.value, self.group, self.dist = name, value, group, dist

    @property
    def module(self) -> str:
        """The module the value names."""
        match = _VALUE.match(self.value)
        return match.group("module") if match else self.value

    @property
    def attr(self) -> str | None:
        """The object in it the value names, if any."""
        match = _VALUE.match(self.value)
        return match.group("attr") if match else None

    def load(self) -> Any:
        """Import the module and give the object the value names."""
        import importlib

        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"{self.value!r} is no entry point's value")
        found = importlib.import_module(match.group("module"))
        for part in filter(None, (match.group("attr") or "").split(".")):
            found = getattr(found, part)
        return found

    def __repr__(self) -> str:
        return f"SiteEntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def _plain() -> bool:
    """Whether ``importlib.metadata`` would find distributions only in folders on
    ``sys.path``: no finder but the path finder finds them, and no entry of the path is
    a file (a zip), an ``.egg`` or other than a str."""
    import importlib.machinery

    for finder in sys.meta_path:
        if finder is not importlib.machinery.PathFinder and callable(
                getattr(finder, "find_distributions", None)):
            return False
    return not any(not isinstance(entry, str) or os.path.isfile(entry)
                   or entry.lower().rstrip("/" + os.sep).endswith(".egg")
                   for entry in sys.path)


def _found(name: str | None = None) -> Iterator[SiteDistribution]:
    """The metadata folders on ``sys.path`` (of the distribution ``name``, or all), in
    the order ``importlib.metadata`` finds them: path entry by path entry, in each the
    entries of one normalized name together, in the order the first of each is
    listed."""
    wanted = None if name is None else _normalized(name)
    for entry in sys.path:
        grouped = _LISTED.get(entry) if _LISTED is not None else None
        if grouped is None:
            try:
                grouped = _grouped(os.listdir(entry or "."))
            except OSError:  # (a folder that is gone, a path hook's name)
                grouped = {}
            if _LISTED is not None:
                _LISTED[entry] = grouped
        if wanted is not None:
            names = grouped.get(wanted, ())
            yield from (SiteDistribution(Path(entry, child)) for child in names)
            continue
        for names in grouped.values():
            for child in names:
                yield SiteDistribution(Path(entry, child))


def _grouped(children: list[str]) -> dict[str, list[str]]:
    """The metadata folders among ``children`` (a folder's entries) by normalized name,
    in the order the first of each is listed."""
    grouped: dict[str, list[str]] = {}
    for child in children:
        low = child.lower()
        if low.endswith(_INFO):
            key = _normalized(low.rpartition(".")[0].partition("-")[0])
            grouped.setdefault(key, []).append(child)
    return grouped


#: The folders of the path as :func:`_found` listed them, while :func:`listed_once` holds.
_LISTED: dict[str, dict[str, list[str]]] | None = None


@contextlib.contextmanager
def listed_once() -> Iterator[None]:
    """Within it, each folder on the path is listed once, however many distributions
    are asked for (:func:`distribution`: the requirements of a cache key's libraries,
    in turn): what is installed meanwhile is not seen until it ends."""
    global _LISTED
    outer, _LISTED = _LISTED, (_LISTED if _LISTED is not None else {})
    try:
        yield
    finally:
        _LISTED = outer


def _unique_name(dist: SiteDistribution) -> str:
    """The name two distributions are told apart by: their folder's, else their own."""
    stem, ext = os.path.splitext(dist._path.name)
    if ext in _INFO:
        return _normalized(stem.partition("-")[0])
    return _normalized(dist.name)


def entry_points(group: str) -> list[Any]:
    """The entry points of ``group`` of every installed distribution (the first found
    of each name), as ``importlib.metadata.entry_points(group=group)`` gives them."""
    if not _plain():
        import importlib.metadata

        return list(importlib.metadata.entry_points(group=group))
    found: list[Any] = []
    seen: set[str] = set()
    for dist in _found():
        unique = _unique_name(dist)
        if unique in seen:
            continue
        seen.add(unique)
        found += _group(dist, group)
    return found


def _group(dist: SiteDistribution, group: str) -> list[SiteEntryPoint]:
    """The entry points of ``group`` in ``dist``'s ``entry_points.txt``, read as
    ``importlib.metadata`` reads it (an INI file: ``[group]`` lines, then ``name =
    value`` lines; ``#`` comments)."""
    text = dist.read_text("entry_points.txt")
    if not text:
        return []
    found, section = [], None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, _, value = line.partition("=")
            found.append(SiteEntryPoint(name.strip(), value.strip(), group, dist))
    return found


def distribution(name: str) -> Any:
    """The installed distribution ``name`` (the first found), as
    ``importlib.metadata.distribution(name)`` gives it; None when none is installed."""
    if not _plain():
        import importlib.metadata

        try:
            return importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            return None
    return next(_found(name), None)
