"""The command line's options from a project's config file (see :mod:`converter.config`,
which reads and checks the file): the commands it configures take its values as their
defaults (click's ``default_map``), so what the command line gives wins; a value the
file gives is checked as the command line checks it, and refused at the file's key.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cli_help import PagedCommand
from .diagnostics import Diagnostic, MuscleError, WorkingFolderGone, printable


class UsageDiagnostic(click.ClickException):
    """A problem found before a command runs: its diagnostic alone, and exit 2 as a
    usage error; shown in the format ``--format`` gives on the command line
    (``validate``'s: a JSON record or a GitHub annotation on standard output), else as
    text."""

    exit_code = 2

    def __init__(self, diagnostic: Diagnostic, fmt: str = "text") -> None:
        super().__init__(str(diagnostic))
        self.diagnostic, self.fmt = diagnostic, fmt

    def show(self, file: Any = None) -> None:
        if self.fmt == "text":
            click.echo(self.message, err=True)
            return
        from .cli import _echo
        from .diagnostics import rendered

        _echo(rendered([self.diagnostic], self.fmt,
                       workspace=os.environ.get("GITHUB_WORKSPACE") or None))


class ConfigError(UsageDiagnostic):
    """A config file's problem: its diagnostic (file, line, key, code)."""


#: The formats of diagnostics ``--format`` may name besides text.
_FORMATS = ("json", "github")


def format_given(given: dict[str, Any]) -> str:
    """The format of diagnostics that ``--format`` names on the command line (``given``,
    as parsed, not yet checked), else text: a config file that fails to read cannot
    give it."""
    named = given.get("output_format")
    return named if isinstance(named, str) and named in _FORMATS else "text"


def _also_checked(name: str) -> Callable[[Any], object] | None:
    """What a config file's value of parameter ``name`` is checked with besides its
    option's type and callback: the command line's own checks of --to, --from, --size."""
    from .cli import _checked_size, _reader_name, _writer

    return {"to_format": _writer, "from_format": _reader_name,
            "size": _checked_size}.get(name)


class ConfiguredCommand(PagedCommand):
    """A command a project's config file gives options to (``muscle-convert.toml``, see
    ``converter.config``): they are its defaults (click's ``default_map``), so what the
    command line gives wins. Loaded as the command runs, not for ``--help``; so is the
    check that the working folder it reads and writes from still exists (before the
    file is looked for). A folder deleted as the command runs ends it the same way,
    whatever met it (a path made real, a search, a file read or written)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            given, _, _ = self.make_parser(ctx).parse_args(args=list(args))
            asking = self.get_help_option(ctx)
            if asking is None or given.get(asking.name or "") is not True:
                folder_exists(ctx, given)
                ctx.default_map = {**(ctx.default_map or {}), **configured(ctx, given)}
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WorkingFolderGone as exc:
            raise UsageDiagnostic(exc.diagnostics[0], format_given(ctx.params)) from None
        except OSError:  # (the system's error of a path found from a deleted folder)
            from .slug import folder_gone

            gone = folder_gone()
            if gone is None:
                raise
            raise UsageDiagnostic(gone.diagnostics[0], format_given(ctx.params)) from None


def folder_exists(ctx: click.Context, given: dict[str, Any]) -> None:
    """Raise one ``working-folder-gone`` as a :class:`UsageDiagnostic` when the working
    folder was deleted under this process, shown in the format of diagnostics the
    command line gives (``given``, as parsed), else the one the config file ``--config``
    names by an absolute path gives (none can be found, or named relatively, from a
    deleted folder); as text when that file gives none or cannot be read (the folder's
    problem is said, not the file's)."""
    from .slug import folder_gone

    gone = folder_gone()
    if gone is None:
        return
    fmt, named = format_given(given), given.get("config")
    if fmt == "text" and isinstance(named, str) and os.path.isabs(named) \
            and given.get("no_config") is not True:
        with contextlib.suppress(click.ClickException, OSError):
            fmt = format_given(configured(ctx, given))
    raise UsageDiagnostic(gone.diagnostics[0], fmt)


def configured(ctx: click.Context, given: dict[str, Any]) -> dict[str, Any]:
    """The defaults the config file gives this command, by parameter name: the file
    ``--config`` names, else the one found from the working folder up; none with
    ``--no-config``. A bad file is one diagnostic and exit 2."""
    from .config import COMMANDS, defaults, find, load
    from .slug import working_folder

    named = given.get("config")
    named = named if isinstance(named, str) else None  # (not given: click's UNSET)
    if given.get("no_config") is True:
        if named is not None:
            raise click.UsageError("--config and --no-config cannot go together")
        ctx.meta[_NO_CONFIG] = True
        return {}
    if named == "":
        raise click.BadParameter("an empty path names no file", param_hint="--config")
    if named is not None:
        path, shown = Path(named), named
    else:
        try:
            here = working_folder()  # (through a symlinked folder, as the shell names it)
            path = find(Path(here))
        except OSError:  # (a working folder deleted)
            return {}
        if path is None:
            return {}
        shown = os.path.relpath(path, here)
    options = {name: options_of(ctx, name) for name in COMMANDS}
    keys = {name: {key: checked for key, (_, checked) in each.items()}
            for name, each in options.items()}
    command = ctx.command.name or ""
    try:
        config = load(path, shown)
        values = defaults(config, command, keys)
        check_writing(config, options["convert"], values if command == "convert"
                       else defaults(config, "convert", keys))
    except MuscleError as exc:
        raise ConfigError(exc.diagnostics[0], format_given(given)) from None
    ctx.meta[_CONFIG] = config
    own = options[command]
    return {own[key][0].name: value for key, value in values.items()}


#: Where a command's context keeps the config file it read (``ctx.meta``), and that
#: ``--no-config`` was given.
_CONFIG, _NO_CONFIG = "muscle-convert.config", "muscle-convert.no-config"


def check_writing(config: Any, params: dict[str, tuple[click.Parameter, Any]],
                   values: dict[str, Any]) -> None:
    """Raise ``config-bad-value`` at the file's key when the writer its ``to`` names
    refuses the format options or the ``output`` it gives ``convert`` (what the
    command's own checks would refuse as it runs)."""
    from .config import refused

    if "to" not in values:
        return
    from .cli import _writer

    writer = _writer(values["to"])
    by_name = {param.name: long for long, (param, _) in params.items()}
    own = {o.name for o in writer.options}
    given = {params[long][0].name or "": _as_run(config, long, params[long][1], value)
             for long, value in values.items() if params[long][0].name in own}
    options = applying(writer, given, set(given))
    options["default_lang"] = values.get(by_name.get("default_lang", ""), "en")
    problem = writer_problem(writer, values.get("output"), options)
    if problem is not None and by_name.get(problem[0]) in values:
        raise refused(config, "convert", by_name[problem[0]],
                      _to_as_written(problem[2], writer.name, values["to"]))


def _as_run(config: Any, key: str, checked: Any, value: Any) -> Any:
    """The config file's ``value`` of format option ``key`` as the run gives it to the
    writer: made the option's type by its check (``checked``, a ``Key``: ``ratio = 1``
    a float, a converter's result); what the check refuses, ``config-bad-value``."""
    from .config import refused

    try:
        return checked.check(value)
    except ValueError as exc:  # (checked once already: a converter that changed its mind)
        raise refused(config, "convert", key, str(exc)) from None


def _to_as_written(message: str, name: str, written: Any) -> str:
    """``message`` quoting the config file's ``to`` as the file writes it (``to =
    "JSON"``), not as its format is named (``to = "json"``)."""
    from .spellings import CONFIG_FILE

    if not isinstance(written, str) or written == name:
        return message
    return message.replace(CONFIG_FILE.given("to", name), CONFIG_FILE.given("to", written))


def applying(writer: Any, given: dict[str, Any], from_file: set[str]) -> dict[str, Any]:
    """The format options ``given`` sets, but those ``from_file`` that need another of
    ``writer``'s options that is not set (a file's ``excel`` without ``flat``)."""
    needs = {o.name: o.needs for o in writer.options if o.needs}
    return {name: value for name, value in given.items() if value is not None and not (
        name in from_file and name in needs and not given.get(needs[name] or ""))}


def writer_problem(writer: Any, output: str | None, options: dict[str, Any],
                   typed: frozenset[str] = frozenset(), flagged: frozenset[str] | None = None
                   ) -> tuple[str, str, str] | None:
    """What ``writer`` refuses of its ``options`` (``check_options``) or of ``output``
    as their place: the parameter's name, the message with its flag (the options named
    as flags, but where a config file gives options, those not ``flagged``: named as its
    keys) and without (as a config file's key says it: the options named as its keys,
    but those ``typed`` on the command line)."""
    from .registry import output_mistake

    def said(check: Callable[[], Diagnostic | None], message: str) -> tuple[str, str]:
        """``check``'s message (``message`` as the run names options) for the command
        line, and for the config file's key."""
        shown = message if flagged is None else _in_file(check, flagged) or message
        return shown, _in_file(check, typed) or message

    try:
        writer.check_options(options)
        mistake = output_mistake(writer, output, options) if output is not None else None
    except MuscleError as exc:  # (a third party's writes_directory() failing too)
        d = exc.diagnostics[0]
        shown, bare = said(lambda: writer.check_options(options), d.message)
        return d.path.lstrip("-").replace("-", "_"), f"{d.path}: {shown}", bare
    if mistake is not None and output is not None:
        return "raw_output", *said(lambda: output_mistake(writer, output, options),
                                   mistake.message)
    return None


def _in_file(check: Callable[[], Diagnostic | None], typed: frozenset[str]) -> str | None:
    """The message of what ``check`` refuses (raised or returned), its options named as
    a config file's keys (those ``typed`` as flags); None if it refuses nothing."""
    from dataclasses import replace

    from .registry import CONFIG_FILE, spelled

    with spelled(replace(CONFIG_FILE, flags=typed)):  # (its value typed in TOML)
        try:
            found = check()
        except MuscleError as exc:
            return exc.diagnostics[0].message
    return None if found is None else found.message


def refuse(ctx: click.Context, problem: tuple[str, str, str]) -> click.ClickException:
    """A usage error for what the writer refuses; a config diagnostic at the file's key
    when the value came from the config file."""
    from click.core import ParameterSource

    from .config import refused

    name, message, bare = problem
    config = ctx.meta.get(_CONFIG)
    if config is not None and ctx.default_map and (
            ctx.get_parameter_source("to_format") is ParameterSource.DEFAULT_MAP):
        written, writer = ctx.default_map.get("to_format"), ctx.params.get("to_format")
        if isinstance(written, str) and isinstance(writer, str):
            message, bare = (_to_as_written(text, writer.lower(), written)
                             for text in (message, bare))
    param = next((p for p in ctx.command.get_params(ctx) if p.name == name), None)
    if config is None or param is None or (
            ctx.get_parameter_source(name) is not ParameterSource.DEFAULT_MAP):
        return click.UsageError(printable(message))  # (a path typed with a newline)
    return ConfigError(refused(config, "convert", long_name(param), bare).diagnostics[0])


def typed_options(ctx: click.Context) -> frozenset[str]:
    """The options given on the command line, named as :class:`~converter.spellings.
    Spelling` names them (``to``, ``base_image``)."""
    from click.core import ParameterSource

    return _options_from(ctx, lambda source: source is ParameterSource.COMMANDLINE)


def flagged_options(ctx: click.Context) -> frozenset[str] | None:
    """The options not given by a config file (named as flags where the command line
    refuses one: see :func:`writer_problem`), or None when no config file is read."""
    from click.core import ParameterSource

    if ctx.meta.get(_CONFIG) is None:
        return None
    return _options_from(ctx, lambda source: source is not ParameterSource.DEFAULT_MAP)


def _options_from(ctx: click.Context, test: Callable[[Any], bool]) -> frozenset[str]:
    """The options of ``ctx``'s command whose value's source (a ``ParameterSource``)
    passes ``test``, named as :func:`typed_options` names them; not its arguments
    (``SOURCES``), which no long option names."""
    return frozenset(name.replace("-", "_") for p in ctx.command.get_params(ctx)
                     if p.name and (name := long_name(p))
                     and test(ctx.get_parameter_source(p.name)))


def long_name(param: click.Parameter) -> str:
    """The name a config file gives ``param`` by: its longest long option's, not its
    off switch's (``strict``, ``no-cache``)."""
    return max((o for o in param.opts if o.startswith("--")), key=len, default="--")[2:]


def options_of(ctx: click.Context, name: str) -> dict[str, tuple[click.Parameter, Any]]:
    """Command ``name``'s options a config file may give, by long name, each with its
    ``converter.config.Key`` (its TOML type and check)."""
    from .config import Key

    command = ctx.find_root().command.commands[name]  # type: ignore[attr-defined]
    own = ctx if ctx.command is command else click.Context(command, parent=ctx.parent,
                                                           info_name=name)
    found = {}
    for param in command.get_params(own):
        long = long_name(param)
        if not isinstance(param, click.Option) or not long or not param.expose_value:
            continue  # (sources, --help, --config and --no-config)
        kind, named = toml_type(param)
        found[long] = (param, Key(kind, _checker(own, param), named))
    return found


def toml_type(param: click.Option) -> tuple[type, str]:
    """The TOML type a config file gives ``param``'s value in (as :class:`~converter.
    config.Key` takes it: bool, list, int, float for a number, else str, the text the
    command line gives its type), and how a value of another type is told what a format
    option's ``type`` is: by its name, where the TOML type's own does not say it
    (``float``, ``Path``, a converter's ``level``, click's ``integer range``)."""
    from .cli import _FormatOption

    if param.is_flag:
        return bool, ""
    if param.multiple:
        return list, ""
    kind = param.type
    toml = (bool if isinstance(kind, click.types.BoolParamType)
            else int if isinstance(kind, click.types.IntParamType)
            else float if isinstance(kind, click.types.FloatParamType) else str)
    plain = kind is click.STRING or kind is click.INT
    return toml, "" if plain or not isinstance(param, _FormatOption) else kind.name


def _checker(ctx: click.Context, param: click.Parameter) -> Any:
    """A config value's check: ``param``'s type and callback (and :func:`_also_checked`), a
    ``ValueError`` with click's message for a value they refuse (which names options, and
    says how to type a value, as the config file does); else the value they make of
    it."""
    from .registry import CONFIG_FILE, spelled

    def check(value: Any) -> Any:
        try:
            with spelled(CONFIG_FILE):
                converted = param.process_value(ctx, value)
                also = _also_checked(param.name or "")
                if also is not None:
                    also(converted)
        except click.BadParameter as exc:
            raise ValueError(exc.message) from None
        return converted
    return check


class ConfigRequired(click.Option):
    """An option a run needs that a config file may give (``convert``'s ``--to`` and
    ``-o``): its help says so, and so does the error when neither gives it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, required=True, **kwargs)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None or not record[1].endswith("required]"):
            return record
        return record[0], record[1][:-1] + " unless given by a config file]"

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        try:
            return super().process_value(ctx, value)
        except click.MissingParameter:
            raise click.MissingParameter(_where_from(ctx, self), ctx, self) from None


def _where_from(ctx: click.Context, param: click.Parameter) -> str:
    """Where a missing option may come from: the command line, or a config file's key
    (in the file read, else where one is looked for; none with ``--no-config``)."""
    key, command = long_name(param), ctx.command.name or ""
    config = ctx.meta.get(_CONFIG)
    if ctx.meta.get(_NO_CONFIG):
        return "Give it on the command line (--no-config: no config file is read)."
    if config is not None:
        table = ".".join((*config.prefix, command))
        shown = printable(config.shown)
        return f"Give it on the command line, or as {key} in [{table}] of {shown}."
    return (f"Give it on the command line, or as {key} in a config file "
            f"(muscle-convert.toml, or a pyproject.toml's [tool.muscle-convert], in this "
            f"folder or one above, or --config FILE).")


def configuring(func: Any) -> Any:
    """``--config FILE`` and ``--no-config``, read by ``ConfiguredCommand`` itself."""
    func = click.option("--no-config", is_flag=True, expose_value=False,
                        help="Read no config file.")(func)
    return click.option("--config", metavar="FILE", expose_value=False,
                        help="Read options from FILE (muscle-convert.toml, or a "
                        "pyproject.toml's [tool.muscle-convert]) instead of the one found "
                        "in this folder or the nearest above.")(func)




def unless_taken(writer: Any, format_options: dict[str, Any]) -> None:
    """Drop the format options a config file gives that ``writer`` does not take (one
    file serves ``--to anki`` and ``--to json``); given on the command line, such an
    option is a usage error."""
    own = {o.name for o in writer.options}
    for name in from_file(format_options):
        if name not in own:
            format_options[name] = None


def from_file(options: dict[str, Any]) -> set[str]:
    """The ``options`` whose values came from the config file (click's default map)."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    return {name for name in options
            if ctx.get_parameter_source(name) is ParameterSource.DEFAULT_MAP}
