"""The command line's own pages, ``--help``, ``--version`` and the shell completion
script, written as its commands write their output: a reader that stops reading
(``muscle-convert --help | head -1``) takes no more, and the exit status is 0, as when
it reads the page whole (click's own handling of a broken pipe exits 1)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

#: An eager option's callback: it writes its page on standard output and ends the command.
Shown = Callable[[click.Context, click.Parameter, Any], Any]


def to_nowhere(stream: Any) -> None:
    """Point ``stream``'s descriptor at the null device (what is left in its buffer,
    and all that comes after, is dropped)."""
    nowhere = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(nowhere, stream.fileno())
    finally:
        os.close(nowhere)


def unstopped(show: Shown) -> Shown:
    """``show``, ending its command with status 0 when the reader of its page stopped
    reading (the rest of the page goes nowhere)."""

    @functools.wraps(show)
    def shown(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        try:
            return show(ctx, param, value)
        except BrokenPipeError:
            to_nowhere(sys.stdout)
            ctx.exit()

    return shown


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size().columns`` tells it (a
    positive ``$COLUMNS``, else that of standard output's terminal, else 80), without
    importing shutil and the compression modules it imports: ``--help`` starts about
    as fast as click alone."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80
    return size.columns or 80


class PagedContext(click.Context):
    """A context whose help pages are as wide as click makes them
    (:func:`terminal_columns`)."""

    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width
        if width is None and click.formatting.FORCED_WIDTH is None:  # (as click's)
            most = 80 if self.max_content_width is None else self.max_content_width
            width = max(min(terminal_columns(), most) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


class PagedCommand(click.Command):
    """A command whose ``--help`` into a reader that stops early is no failure."""

    context_class = PagedContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None and option.callback is not None and not hasattr(
                option.callback, "__wrapped__"):  # (click keeps the option it made)
            option.callback = unstopped(option.callback)
        return option


class PagedGroup(PagedCommand, click.Group):
    """A group whose ``--help`` (and its commands', unless they name another class) into
    a reader that stops early is no failure, nor is its shell completion script
    (``_MUSCLE_CONVERT_COMPLETE=bash_source muscle-convert | head -1``)."""

    command_class = PagedCommand

    def _main_shell_completion(self, ctx_args: Any, prog_name: str,
                               complete_var: str | None = None) -> None:
        try:
            super()._main_shell_completion(ctx_args, prog_name, complete_var)
        except BrokenPipeError:  # (the script, or the completions, read in part)
            to_nowhere(sys.stdout)
            sys.exit(0)


def version_option(version: str, prog_name: str) -> Callable[[Any], Any]:
    """``--version``, showing ``<prog_name>, version <version>`` as click's does."""

    def show(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(f"{prog_name}, version {version}", color=ctx.color)
            ctx.exit()

    return click.option("--version", is_flag=True, expose_value=False, is_eager=True,
                        callback=unstopped(show), help="Show the version and exit.")
