"""A third party's format held to the plugin contract as it loads: its attributes of
their types, its options told from the core's and other formats', and its hooks guarded,
so that what a plugin raises or returns amiss is a diagnostic naming the format and the
hook, never a traceback (one that sets ``validates`` too). The project's own formats
are not guarded: their hooks cost nothing more."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .diagnostics import Diagnostic, MuscleError, shown_value
from .model import ALL_FIELDS, FIELDS
from .registry import Format, FormatOption, Place, get_format, spelling
from .writerrun import failure

#: The options of muscle-convert itself, ``convert``'s (``--quiet``, ``--no-cache``)
#: and ``converter.write()``'s parameters, as option names (``-`` as ``_``): a plugin's
#: option that a command line or a call would take as one of them is refused.
CORE_OPTIONS = frozenset({
    "sources", "to", "to_format", "output", "raw_output", "strict", "no_strict", "drafts",
    "no_drafts", "cache_dir", "cache", "no_cache", "quiet", "no_quiet", "max_bytes",
    "jobs", "from", "from_format", "default_lang", "exclude", "force_exclude",
    "no_force_exclude", "config", "no_config", "help", "version", "muscles", "path",
    "format", "options"})


def _words(option: FormatOption) -> list[str]:
    """The option names ``option`` takes on a command line (a flag's ``no_`` one too)."""
    name = option.name.replace("-", "_")
    return [name, f"no_{name}"] if option.is_flag else [name]


def _kind(option: FormatOption) -> str:
    """What an option takes, in words: ``a flag``, ``int``, its converter's name."""
    return "a flag" if option.is_flag else type_name(option.type)


def type_name(kind: Any) -> str:
    """The name of an option's ``type``: a class's or a function's own, a click type's
    (``choice``), else its class's (a ``functools.partial``)."""
    name = getattr(kind, "__name__", None) or getattr(kind, "name", None)
    return name if isinstance(name, str) else type(kind).__name__


def option_failed(fmt: str, value: Any, exc: BaseException) -> str:
    """What the ``fmt`` format's option converter (or the class it is) did with
    ``value``: raised ``exc`` (a ``ValueError``, anything else, or ``SystemExit``)."""
    return f"the {fmt} format could not take {shown_value(value)}: {failure(exc)}"


def option_value(fmt: str, option: FormatOption, value: Any) -> Any:
    """``value`` given to the ``fmt`` format's ``option`` from Python, through its
    ``type`` that is no class (a function, a click type), as the command line's text: what it
    raises (``sys.exit()`` too) is a ``bad-option`` :class:`MuscleError` of the option."""
    try:
        return option.type(value)
    except (Exception, SystemExit) as exc:  # (a plugin's converter may raise anything)
        raise MuscleError(Diagnostic(spelling().option(option.name), None, None, "",
                                     "bad-option", option_failed(fmt, value, exc))
                          ) from None


def option_clash(fmt: Format, others: Iterable[Format]) -> str | None:
    """Why the plugin ``fmt``'s options cannot be told from others (one is a core option,
    or one of the ``others`` formats', those ranked before it, of another kind), or
    None."""
    for option in fmt.options:
        core = [word for word in _words(option) if word in CORE_OPTIONS]
        if core:
            return (f"its option {option.name!r} is muscle-convert's own --"
                    f"{core[0].replace('_', '-')}")
    for other in others:
        for option in fmt.options:
            for theirs in other.options:
                if set(_words(option)) & set(_words(theirs)) and (
                        option.name, _kind(option)) != (theirs.name, _kind(theirs)):
                    return (f"its option {option.name!r} ({_kind(option)}) is the "
                            f"{other.name} format's {theirs.name!r} ({_kind(theirs)})")
    return None


class Hook(NamedTuple):
    """A hook of :class:`Format` the core calls outside reading and writing: the code of
    its failure, where that diagnostic is (the argument that is a path, else a name),
    what it must return (a test and its words)."""

    code: str
    where: int | str
    fits: Callable[[Any], bool]
    should: str
    #: What the result becomes once it fits (a function it returned, guarded too).
    then: Callable[[Format, Any, Sequence[Any]], Any] | None = None


def _is_bool(value: Any) -> bool:
    """Whether ``value`` is True or False."""
    return isinstance(value, bool)


def _anything(value: Any) -> bool:
    """Whatever a hook returns that nothing reads fits."""
    return True


def _are_paths(value: Any) -> bool:
    """Whether ``value`` is a list or tuple of paths."""
    return isinstance(value, list | tuple) and all(isinstance(p, str | os.PathLike)
                                                   for p in value)


def _are_verdicts(value: Any) -> bool:
    """Whether ``value`` is None or a list of bools."""
    return value is None or (isinstance(value, list)
                             and all(isinstance(v, bool) for v in value))


def _one_per_name(fmt: Format, verdicts: list[bool] | None, args: Sequence[Any]
                  ) -> list[bool] | None:
    """The verdicts :meth:`Format.own_names` gave of the names ``args[1]``: one for each
    (a failure of the hook otherwise)."""
    if verdicts is not None and len(verdicts) != len(args[1]):
        raise hook_failed(fmt, "own_names", HOOKS["own_names"], args,
                          f"returned {len(verdicts)} bools for {len(args[1])} names")
    return verdicts


def _is_file(value: Any) -> bool:
    """Whether ``value`` is None or a path."""
    return value is None or isinstance(value, str | os.PathLike)


def _is_position(value: Any) -> bool:
    """Whether ``value`` is None or a (line, column) of ints."""
    return value is None or (isinstance(value, tuple) and len(value) == 2 and all(
        isinstance(n, int) and not isinstance(n, bool) for n in value))


def _is_place(value: Any) -> bool:
    """Whether ``value`` is None or a :class:`Place`."""
    return value is None or isinstance(value, Place)


def _is_str(value: Any) -> bool:
    """Whether ``value`` is a str."""
    return isinstance(value, str)


def _is_text(value: Any) -> bool:
    """Whether ``value`` is None or a str."""
    return value is None or isinstance(value, str)


def _guarded_place(fmt: Format, place: Callable[[str], Place | None], args: Sequence[Any]
                   ) -> Callable[[str], Place | None]:
    """The function :meth:`Format.places` returned for the input ``args[0]``, guarded
    as the hook is (its errors at that input)."""
    hook = Hook("reader-failed", str(args[0]), _is_place, "a Place or None")
    return _guard(fmt, "places", hook, place)


#: The hooks guarded in a third party's format (:func:`guarded`).
HOOKS: dict[str, Hook] = {
    "check_options": Hook("writer-failed", "--to", _anything, ""),
    "writes_directory": Hook("writer-failed", "--to", _is_bool, "a bool"),
    "is_own": Hook("reader-failed", 0, _is_bool, "a bool"),
    "own_names": Hook("reader-failed", 0, _are_verdicts, "a list of bools or None",
                      _one_per_name),
    "why_not_own": Hook("reader-failed", 0, _is_text, "a str or None"),
    "companions": Hook("reader-failed", 0, _are_paths, "a list of paths"),
    "locate": Hook("reader-failed", 0, _is_position, "a (line, column) of ints or None"),
    "locate_key": Hook("reader-failed", 0, _is_position,
                       "a (line, column) of ints or None"),
    "places": Hook("reader-failed", 0, callable, "a function", _guarded_place),
    "places_file": Hook("reader-failed", 0, _is_file, "a path or None"),
    "marked_place": Hook("reader-failed", 0, _is_place, "a Place or None"),
    "field_name": Hook("reader-failed", "format", _is_str, "a str"),
    "reformat": Hook("reader-failed", 1, _is_str, "a str"),
}


def guarded(fmt: Format) -> Format:
    """``fmt`` (a third party's, whether it declares :attr:`Format.validates` or not) with each
    hook of :data:`HOOKS` it overrides made to raise a :class:`MuscleError` naming the
    format and the hook for what it raises or returns amiss, never a traceback. The
    project's own formats are not guarded: their hooks cost nothing more. Whatever of
    its code the core reads or calls prints to standard error
    (:func:`~converter.plugin_prints.routed`)."""
    from .plugin_prints import routed

    fmt = routed(fmt)
    for name, hook in HOOKS.items():
        if getattr(type(fmt), name) is not getattr(Format, name):
            setattr(fmt, name, _guard(fmt, name, hook))
    fmt.__reduce_ex__ = functools.partial(_by_name, fmt.name)  # type: ignore[method-assign]
    return fmt


def field_namer(fmt: Format, path: str) -> Callable[[str], str]:
    """``fmt.field_name`` for the muscles of the input at ``path``: a third party's that
    raises or returns no str is that input's ``reader-failed`` error, the input it was
    asked about (the hook is given no path: its guard alone places it at ``format``)."""
    if "field_name" not in vars(fmt):  # (not guarded: the project's own, or not overridden)
        return fmt.field_name
    checked = _guard(fmt, "field_name", HOOKS["field_name"]._replace(where=1),
                     lambda field, _: type(fmt).field_name(fmt, field))
    return lambda field: checked(field, path)


def output_companions(fmt: Format, out: Path, path: Path | None = None) -> list[Path]:
    """``fmt.companions(path)`` (``out`` by default), the files beside the output ``out``
    that ``fmt``'s writer writes (``path`` the file it is, its links followed): for a
    third party's, what that hook raises or returns amiss is the output's
    ``writer-failed`` error naming ``out`` as given, not a reader's (the hook's own)."""
    path = out if path is None else path
    if "companions" not in vars(fmt):  # (not guarded: the project's own, or not overridden)
        return fmt.companions(path)
    checked = _guard(fmt, "companions", HOOKS["companions"]._replace(code="writer-failed"),
                     functools.partial(type(fmt).companions, fmt))
    try:
        return checked(path)
    except MuscleError as exc:
        raise MuscleError([d._replace(path=str(out)) if d.path == str(path) else d
                           for d in exc.diagnostics]) from None


def _by_name(name: str, protocol: int) -> tuple[Callable[[str], Format], tuple[str]]:
    """How a guarded format is pickled (to a worker process, with a record writer's
    options): by its name, loaded and guarded again there (its guards are closures)."""
    return get_format, (name,)


def _guard(fmt: Format, name: str, hook: Hook, call: Callable[..., Any] | None = None
           ) -> Callable[..., Any]:
    """``fmt``'s ``name`` hook (or what ``call`` it returned), its failures (an
    exception, ``sys.exit()`` too; not Ctrl-C) a ``hook.code`` :class:`MuscleError`,
    what it prints on standard error."""
    from .plugin_prints import printing_to_stderr  # (a plugin's hooks alone: not on a
    # replay's path)

    call = call or getattr(fmt, name)

    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            with printing_to_stderr():
                result = call(*args, **kwargs)
        except MuscleError as exc:  # (its diagnostics checked: a plugin's may be amiss)
            wrong = misshapen_error(exc)
            if wrong is None:
                raise
            raise hook_failed(fmt, name, hook, args, f"raised {wrong}") from None
        except (Exception, SystemExit) as exc:  # (a plugin's hook may raise anything,
            # sys.exit("needs libfoo") too; Ctrl-C still stops the run)
            raise hook_failed(fmt, name, hook, args, f"failed: {failure(exc)}") from None
        if not hook.fits(result):
            raise hook_failed(fmt, name, hook, args, f"returned {type(result).__name__}, "
                              f"not {hook.should}")
        return result if hook.then is None else hook.then(fmt, result, args)

    return checked


def hook_failed(fmt: Format, name: str, hook: Hook, args: Sequence[Any], what: str
                ) -> MuscleError:
    """The error of ``fmt``'s ``name`` hook, called with ``args``, that did ``what``."""
    where = _where(hook, args)
    role = "writer" if hook.code == "writer-failed" else "reader"
    return MuscleError(Diagnostic(where, None, None, "", hook.code,
                                  f"the {fmt.name} {role}'s {name}() {what}"))


def _where(hook: Hook, args: Sequence[Any]) -> str:
    """Where ``hook``'s failure is: its argument that is a path, a name, or an option
    (``--to``) as the caller names it (:func:`~converter.registry.spelling`: ``format``
    from the Python API)."""
    if not isinstance(hook.where, str):  # (an empty path, own_names's, is the working folder)
        return (str(args[hook.where]) or os.curdir) if hook.where < len(args) else "format"
    if hook.where.startswith("--"):
        return spelling().option(hook.where.removeprefix("--"))
    return hook.where


def _are_strs(value: Any) -> bool:
    """Whether ``value`` is a tuple of non-empty str."""
    return isinstance(value, tuple) and all(isinstance(v, str) and v for v in value)


def _are_fields(value: Any) -> bool:
    """Whether ``value`` is a frozenset of str."""
    return isinstance(value, frozenset) and all(isinstance(v, str) for v in value)


def _is_tuple(value: Any) -> bool:
    """Whether ``value`` is a tuple (its items are checked by :func:`_option_problem`)."""
    return isinstance(value, tuple)


#: What each field of a :class:`FormatOption` must be (a test and its words).
_OPTION_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "help": (_is_str, "a str"),
    "is_flag": (_is_bool, "a bool"),
    "type": (callable, "a callable"),
    "reads_file": (_is_bool, "a bool"),
    "metavar": (lambda v: v is None or isinstance(v, str), "a str or None"),
    "needs": (lambda v: v is None or isinstance(v, str), "a str or None"),
}


def _option_problem(option: Any) -> str | None:
    """What is wrong with ``option``, an item of a format's :attr:`~Format.options`: no
    :class:`FormatOption`, a name that is no identifier (the command line makes an
    option of it: ``deck_name`` is ``--deck-name``), or a field of the wrong type."""
    if not isinstance(option, FormatOption):
        return f"its options has a {type(option).__name__}, not a FormatOption"
    name = option.name
    if not isinstance(name, str):
        return f"its options has a FormatOption named by a {type(name).__name__}, not a str"
    if not name.isidentifier():
        meant = name.replace("-", "_")
        hint = (f": name it {meant!r}, shown as --{name}" if meant.isidentifier()
                else "")
        return f"its option {name!r} is named by no identifier{hint}"
    for field, (fits, should) in _OPTION_FIELDS.items():
        value = getattr(option, field)
        if not fits(value):
            return f"its option {name!r} has a {field} of {type(value).__name__}, not {should}"
    return None


def _are_variants(value: Any) -> bool:
    """Whether ``value`` is a dict of flag names to the fields each variant carries."""
    return isinstance(value, dict) and all(isinstance(k, str) and _are_fields(v)
                                           for k, v in value.items())


def _are_aliases(value: Any) -> bool:
    """Whether ``value`` is a dict of names to the flags each implies (a tuple of str)."""
    return isinstance(value, dict) and all(isinstance(k, str) and k and _are_strs(v)
                                           for k, v in value.items())


def _is_marker(value: Any) -> bool:
    """Whether ``value`` is None or a file name."""
    return value is None or (isinstance(value, str) and bool(value))


#: What each attribute of a format must be (a test and its words), checked as it loads.
ATTRIBUTES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "description": (_is_str, "a str"),
    "extensions": (_are_strs, "a tuple of str"),
    "directory_marker": (_is_marker, "a file name or None"),
    "carries": (_are_fields, "a frozenset of str"),
    "options": (_is_tuple, "a tuple of FormatOption"),
    "one_muscle_per_file": (_is_bool, "a bool"),
    "variants": (_are_variants, "a dict of str to a frozenset of str"),
    "aliases": (_are_aliases, "a dict of str to a tuple of str"),
    "writes_into_streams": (_is_bool, "a bool"),
    "validates": (_is_bool, "a bool"),
}


#: The properties of :class:`Format` (``can_read``, ``sorts_found``, ...), each a bool
#: that a plugin may override: asked once as it loads, as its attributes are checked.
PROPERTIES = tuple(name for name, value in vars(Format).items()
                   if isinstance(value, property))


def misnamed(made: Any, name: str) -> str | None:
    """Why ``made``, what the entry point of the format ``name`` gave, is not that
    format: it is no :class:`Format` (a function's None, a class of its own), its
    ``name`` raises, or it is another name; else None."""
    if not isinstance(made, Format):
        return f"its entry point gives {type(made).__name__}, which is not a Format"
    try:
        given = made.name
    except (Exception, SystemExit) as exc:  # (a plugin's property may raise anything,
        return f"its name failed: {failure(exc)}"  # sys.exit too)
    return None if given == name else _other_name(given, name)


def _other_name(given: Any, name: str) -> str:
    """Why a format whose class's ``name`` is ``given`` is not the format its entry
    point names ``name`` (lower case): the two must be the same."""
    if not isinstance(given, str) or not given:
        return (f"its class sets no name (a format's name is its entry point's, "
                f"{name!r})")
    if given.lower() == name:
        return (f"its name {given!r} is not lower case (a format's name is its entry "
                f"point's in lower case, {name!r})")
    return (f"its name is {given!r}, not its entry point's {name!r} (a format's name is "
            "the name of the entry point that registers it)")


def misshapen(fmt: Format) -> str | None:
    """What is wrong with the first of ``fmt``'s :data:`ATTRIBUTES` that raises or is of
    the wrong type, or with the first of its :data:`PROPERTIES` that raises or is no
    bool, or None."""
    for name, (fits, should) in ATTRIBUTES.items():
        try:
            value = getattr(fmt, name)
        except (Exception, SystemExit) as exc:  # (a plugin's property may raise
            return f"its {name} failed: {failure(exc)}"  # anything, sys.exit too)
        if not fits(value):
            return f"its {name} is {type(value).__name__}, not {should}"
    return _value_problem(fmt) or _property_problem(fmt)


def _value_problem(fmt: Format) -> str | None:
    """What is wrong with a value in ``fmt``'s :attr:`~Format.extensions` (an ending
    that does not start with a dot), :attr:`~Format.options` (:func:`_option_problem`),
    :attr:`~Format.carries` or a variant's fields
    (:attr:`~Format.variants`: a name that is no field of the model) or a flag an alias
    implies (:func:`_alias_problem`), or None."""
    endings = [e for e in fmt.extensions if not (e.startswith(".") and len(e) > 1)]
    if endings:
        stem = endings[0].lstrip(".")
        meant = f"'.{stem}'" if stem else "'.tsv'"
        return (f"its extensions has {endings[0]!r}, not a file name ending that starts "
                f"with a dot ({meant})")
    options = [problem for problem in map(_option_problem, fmt.options) if problem]
    if options:
        return options[0]
    named = [("its carries has", fmt.carries)] + [
        (f"its variant {flag!r} carries", fields) for flag, fields in fmt.variants.items()]
    for where, fields in named:
        unknown = sorted(fields - ALL_FIELDS)
        if unknown:
            return (f"{where} {unknown[0]!r}, which is no field of the model (it has "
                    f"{', '.join(FIELDS)})")
    return _alias_problem(fmt)


def _alias_problem(fmt: Format) -> str | None:
    """What is wrong with a flag one of ``fmt``'s :attr:`~Format.aliases` implies (one
    that is no flag option of ``fmt``), or None."""
    flags = [o.name for o in fmt.options if o.is_flag]
    for alias, implied in fmt.aliases.items():
        unknown = [flag for flag in implied if flag not in flags]
        if unknown:
            return (f"its alias {alias!r} implies {unknown[0]!r}, which is no flag option "
                    f"of it (it has {', '.join(flags) or 'none'})")
    return None


def _property_problem(fmt: Format) -> str | None:
    """What is wrong with the first of ``fmt``'s :data:`PROPERTIES` that raises or gives
    no bool, or None."""
    for name in PROPERTIES:
        try:
            value = getattr(fmt, name)
        except (Exception, SystemExit) as exc:  # (a plugin's property may raise
            return f"its {name} failed: {failure(exc)}"  # anything, sys.exit too)
        if not isinstance(value, bool):
            return f"its {name} is {type(value).__name__}, not a bool"
    return None


def misshapen_diagnostic(diagnostic: Any) -> str | None:
    """What makes ``diagnostic`` no :class:`Diagnostic` a run can say, else None."""
    if not isinstance(diagnostic, Diagnostic):
        return f"{type(diagnostic).__name__}, not a Diagnostic"
    texts = ("path", "field", "code", "message")
    wrong = [n for n in texts if not isinstance(getattr(diagnostic, n), str)] + [
        n for n in ("line", "column") if not _is_number(getattr(diagnostic, n))]
    if diagnostic.severity not in ("error", "warning"):
        wrong.append("severity")
    if not (isinstance(diagnostic.named, tuple) and all(map(_is_number, diagnostic.named))):
        wrong.append("named")
    if not isinstance(diagnostic.stream, bool):
        wrong.append("stream")
    return (f"a Diagnostic whose {wrong[0]} is {shown_value(getattr(diagnostic, wrong[0]))}"
            if wrong else None)


def misshapen_error(exc: MuscleError) -> str | None:
    """What makes ``exc``, a :class:`MuscleError` a third party's code raised, no error
    a run can say (``a MuscleError carrying ...``: no diagnostic, or what is no
    :class:`Diagnostic` of its types, :func:`misshapen_diagnostic`), else None."""
    diagnostics = getattr(exc, "diagnostics", None)
    if not isinstance(diagnostics, list) or not diagnostics:
        return "a MuscleError carrying no Diagnostic"
    for diagnostic in diagnostics:
        wrong = misshapen_diagnostic(diagnostic)
        if wrong is not None:
            return f"a MuscleError carrying {wrong}"
    return None


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a line, column or offset of a :class:`Diagnostic`: None or
    a whole number (of 64 bits: one of more digits than ``str()`` takes cannot be
    said)."""
    return value is None or (isinstance(value, int) and not isinstance(value, bool)
                             and -(1 << 63) <= value < 1 << 63)
