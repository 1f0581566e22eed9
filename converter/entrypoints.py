"""Formats found through entry points: ranked when two packages give one name or
ending, loaded on first use (a broken plugin skipped with a warning), listed."""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .diagnostics import Diagnostic, MuscleError
from .distinfo import distribution_name
from .sitedists import entry_points
from .spellings import spelling

if TYPE_CHECKING:
    from importlib.metadata import Distribution, EntryPoint

    from .formatbase import Format


ENTRY_POINT_GROUP = "muscle_convert.formats"
#: The distribution whose entry point gave each loaded format class (see
#: :func:`~converter.codefiles.code_files`).
origins: dict[type, Distribution | Any | None] = {}


#: The distribution whose formats are built in: one of its formats wins any clash.
OWN_DISTRIBUTION = "muscle-convert"


#: Each distribution's name, by the id of its object (with the object, whose id it is):
#: a name is read from the distribution's metadata file, parsed anew each time asked.
_DIST_NAMES: dict[int, tuple[Any, str]] = {}


def _package(ep: EntryPoint | Any) -> str:
    """The name of the package (distribution) that registers ``ep``, read once per
    distribution (a run asks it of each format's entry point a few times)."""
    dist = ep.dist
    if dist is None:
        return ep.module.partition(".")[0]
    return package_name(dist)


def package_name(dist: Distribution | Any) -> str:
    """The name of the distribution ``dist``, read once per distribution."""
    known = _DIST_NAMES.get(id(dist))
    if known is None or known[0] is not dist:
        known = _DIST_NAMES[id(dist)] = (dist, distribution_name(dist))
    return known[1]


def _built_in(ep: EntryPoint | Any) -> bool:
    """Whether ``ep`` is one of muscle-convert's own formats."""
    return re.sub(r"[-_.]+", "-", _package(ep)).lower() == OWN_DISTRIBUTION


def _precedence(ep: EntryPoint | Any) -> tuple[bool, str, str]:
    """Which of two entry points of one name wins: a built-in format, else the one of
    the package whose name sorts first."""
    return not _built_in(ep), _package(ep).lower(), ep.value


@cache
def _registered() -> dict[str, EntryPoint | Any]:
    """Each format's entry point by its name (an entry point's name in lower case:
    formats are named in any case). A name two packages register is the built-in
    format's (else the first package's by name); the other is skipped with a warning."""
    chosen: dict[str, EntryPoint | Any] = {}
    for ep in sorted(entry_points(ENTRY_POINT_GROUP), key=_precedence):
        name = ep.name.lower()
        if name not in chosen:
            chosen[name] = ep
        elif ep.value != chosen[name].value or _package(ep) != _package(chosen[name]):
            _warn(f"the {name} format of {_package(ep)} is skipped: "
                  f"{_package(chosen[name])} has a {name} format already")
    return chosen


@cache
def _built_in_names() -> frozenset[str]:
    """The names of muscle-convert's own formats (found once: a package's name is read
    from its metadata file)."""
    return frozenset(name for name, ep in _registered().items() if _built_in(ep))


def built_in(fmt: Format) -> bool:
    """Whether ``fmt`` is one of muscle-convert's own formats (not a plugin)."""
    return fmt.name in _built_in_names()


def ranked(formats: Iterable[Format]) -> list[Format]:
    """``formats`` in the order that settles a file name ending several claim: the
    built-in formats first, then the others by name."""
    return sorted(formats, key=lambda fmt: (not built_in(fmt), fmt.name))


@cache
def format_names() -> tuple[str, ...]:
    """Names of all installed formats, without importing them."""
    return tuple(sorted(_registered()))


def get_format(name: str) -> Format:
    """The format registered under ``name``, in any case (imports its module on first
    use); a ``KeyError`` for a name no format has, a :class:`MuscleError`
    (``format-not-loaded``) for one whose module fails to load (a broken plugin)."""
    if not isinstance(name, str):
        raise TypeError(f"a format is named by a str, not {type(name).__name__}")
    return _loaded(name.lower())


@cache
def _loaded(name: str) -> Format:
    """The format ``name`` (lower case; its entry point's name in any case), loaded once."""
    ep = _registered().get(name)
    if ep is None:
        raise KeyError(name)
    if _built_in(ep):
        return _checked(name, ep)
    from .plugin_prints import printing_to_stderr

    with printing_to_stderr():  # (what a plugin's import prints is no output of ours)
        return _checked(name, ep)


def _checked(name: str, ep: EntryPoint | Any) -> Format:
    """The format ``name`` its entry point ``ep`` gives, held to the plugin contract (a
    :class:`MuscleError`, ``format-not-loaded``, for what it breaks)."""
    try:
        instance: Format = ep.load()()
    except (Exception, SystemExit) as exc:  # (a plugin's import may raise anything,
        # sys.exit("needs libfoo") too; Ctrl-C still stops the run)
        from .writerrun import failure

        raise MuscleError(Diagnostic(
            "format", None, None, "", "format-not-loaded",
            f"the {name} format could not be loaded: {failure(exc)}")) from None
    from .plugins import guarded, misnamed, misshapen, option_clash

    problem = misnamed(instance, name) or misshapen(instance)
    if problem:
        raise MuscleError(Diagnostic(
            "format", None, None, "", "format-not-loaded",
            f"the {name} format could not be loaded: {problem}"))
    clash = None if _built_in(ep) else option_clash(instance, _ranked_before(name))
    if clash is not None:
        raise MuscleError(Diagnostic("format", None, None, "", "format-not-loaded",
                                     f"the {name} format could not be loaded: {clash}"))
    made = type(instance)
    fmt = instance if _built_in(ep) else guarded(instance)  # (its class may be a subclass)
    origins[made] = origins[type(fmt)] = getattr(ep, "dist", None)
    return fmt


def _ranked_before(name: str) -> Iterator[Format]:
    """The formats that load which come before the format ``name`` in a clash (the
    built-in ones, then the others by name)."""
    def rank(other: str) -> tuple[bool, str]:
        return other not in _built_in_names(), other

    for other in sorted(n for n in _registered() if rank(n) < rank(name)):
        try:
            yield _loaded(other)
        except MuscleError:  # (skipped with its own warning)
            continue


def unknown_format(name: str, *, writing: bool) -> str:
    """What to say of a format name that no format has, asked for to read (or to write,
    ``writing``): the formats that can and that it names otherwise, by one of their file
    endings (``md``), a variant's flag (``flat``, ``csv-flat``: that format with the
    flag, to write) or an alias it declares (``excel``: with the flags it implies), if
    any; else the nearest of those; and every such name (a write-only format is no
    answer to ``--from``)."""
    import difflib

    formats = [f for f in all_formats() if (f.can_write if writing else f.can_read)]
    names = [f.name for f in formats]
    meant = _other_names(formats, writing=writing)
    asked = name.lower()
    near = ([meant[asked]] if asked in meant else list(dict.fromkeys(
        meant[found] for found in difflib.get_close_matches(asked, meant, n=3, cutoff=0.6)
    ))[:2])
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    return (f"unknown format {name!r}{hint}; the formats that can be "
            f"{'written' if writing else 'read'} are {', '.join(names)}")


def _other_names(formats: list[Format], *, writing: bool) -> dict[str, str]:
    """What each of ``formats`` may be called, lowered, and how to name it so: its name,
    its file endings without the dot (``md`` is markdown; an ending two formats share is
    the first ranked's, as a file's is), each variant's flag alone or with the format's
    name (``flat``, ``csv-flat``: ``--to csv --flat``, to write; the format to read), and
    each of its :attr:`~converter.formatbase.Format.aliases` so, with the flags it
    implies (``excel``: ``--to csv --flat --excel``)."""
    named = spelling()
    found: dict[str, str] = {}
    for fmt in formats:
        found[fmt.name.lower()] = fmt.name
    for fmt in ranked(formats):
        for ending in fmt.extensions:
            found.setdefault(ending.lower().lstrip("."), fmt.name)
    for fmt in formats:
        for other, flags in [*((flag, (flag,)) for flag in fmt.variants),
                             *fmt.aliases.items()]:
            way = (named.together(named.given("to", fmt.name),
                                  *(named.given(flag) for flag in flags))
                   if writing else fmt.name)
            for alias in (other, f"{fmt.name}-{other}", f"{other}-{fmt.name}",
                          f"{fmt.name}_{other}", f"{other}_{fmt.name}"):
                found.setdefault(alias.lower(), way)
    return found


def all_formats() -> list[Format]:
    """Every installed format that loads, sorted by name (a broken plugin is skipped
    with a warning, so one bad package cannot take the tool down)."""
    _warn_of_shared_endings()
    return _loading()[0]


def not_loaded() -> list[Diagnostic]:
    """The ``format-not-loaded`` errors of the installed formats :func:`all_formats`
    skipped (each warned of once)."""
    return _loading()[1]


class _Shared(NamedTuple):
    """A file name ending or a directory marker (``what``) that the format ``fmt``
    declares and the format ``owner``, ranked before it, declares too; ``taken``: what
    is taken as ``owner``'s (``a .json file``)."""

    fmt: str
    what: str
    owner: str
    taken: str


@cache
def _loading() -> tuple[list[Format], list[Diagnostic], list[_Shared], set[str]]:
    """The formats that load, sorted by name, the errors of those that do not, the
    endings and markers they share (:func:`_shared`), and the warnings of those said
    (:func:`_warn_of_shared_endings`)."""
    loaded, failed = [], []
    for name in format_names():
        try:
            loaded.append(get_format(name))
        except MuscleError as exc:
            failed.extend(exc.diagnostics)
            _warn(exc.diagnostics[0].message)
    return loaded, failed, _shared(loaded), set()


def by_rank() -> list[Format]:
    """Every format that loads, :func:`ranked` (sorted once: a run detects the format of
    many files)."""
    _warn_of_shared_endings()
    return _ranked()


@cache
def _ranked() -> list[Format]:
    """Every format that loads, :func:`ranked`, sorted once."""
    return ranked(_loading()[0])


def _shared(formats: Iterable[Format]) -> list[_Shared]:
    """Each file name ending, and each directory marker, a format declares that a
    format :func:`ranked` before it declares too: a file so named, or a folder so
    marked, is that one's."""
    found: list[_Shared] = []
    owners: dict[str, Format] = {}
    markers: dict[str, Format] = {}
    for fmt in ranked(formats):
        for ending in fmt.extensions:
            owner = owners.setdefault(ending.lower(), fmt)
            if owner is not fmt:
                found.append(_Shared(fmt.name, f"ending {ending}", owner.name,
                                     f"a {ending} file"))
        marker = fmt.directory_marker
        owner = markers.setdefault(marker.lower(), fmt) if marker else fmt
        if owner is not fmt:
            found.append(_Shared(fmt.name, f"directory marker {marker}", owner.name,
                                 f"a folder holding {marker}"))
    return found


def _warn_of_shared_endings() -> None:
    """Warn of each ending and marker that two formats share (:func:`_shared`), naming
    the other format as the caller names one (:func:`spelling`): ``--from or --to
    ajson``, or ``format='ajson'``; none to ``fmt``, which cannot name a format. Each
    warning is said once, so a caller that names formats otherwise than the first is
    warned in its own words."""
    _, _, shared, said = _loading()
    if not shared:
        return
    named = spelling()
    for clash in shared:
        other = f" ({named.naming(clash.fmt)} names the other)" if named.names_formats else ""
        message = (f"the {clash.fmt} format's {clash.what} is the {clash.owner} format's "
                   f"too: {clash.taken} is taken as {clash.owner}{other}")
        if message not in said:
            said.add(message)
            _warn(message)


#: The folders of muscle-convert's own code (``converter/``, ``formats/``).
_OWN_CODE = (os.path.dirname(os.path.abspath(__file__)) + os.sep,
             os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "formats") + os.sep)


def _warn(message: str) -> None:
    """Warn of a plugin (a Python warning), placed at the caller's line that led to it:
    the first outside muscle-convert's own code."""
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _OWN_CODE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)
