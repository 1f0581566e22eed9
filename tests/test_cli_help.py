"""``--help`` and ``--version`` into a reader that stops early, and read whole."""

from __future__ import annotations

import os
import sys

import click
import pytest
from click.testing import CliRunner

from converter import __version__
from converter.cli import cli
from converter.cli_help import PagedContext, terminal_columns
from tests.conftest import into_a_gone_reader
from tests.test_cli import _imports_of

PAGES = [["--help"], ["-h"], ["--version"], ["convert", "--help"], ["validate", "-h"],
         ["fmt", "--help"], ["formats", "--help"], ["schema", "--help"]]


@pytest.mark.parametrize("args", PAGES, ids=" ".join)
def test_a_page_into_a_reader_that_stops_early_is_no_failure(args: list[str]) -> None:
    """``muscle-convert --help | head -0`` (and ``--version``, ``convert --help``,
    ``formats --help``) exited 1 without a word: click's own handling of the broken
    pipe set that status; the rest of the page now goes nowhere, and the status is 0."""
    done = into_a_gone_reader(*args)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_into_a_reader_that_stops_early_is_no_failure(
        shell: str) -> None:
    """``_MUSCLE_CONVERT_COMPLETE=bash_source muscle-convert | head -1`` ended in a
    BrokenPipeError traceback and status 1; it ends quietly, status 0, as a page does."""
    done = into_a_gone_reader(env={"_MUSCLE_CONVERT_COMPLETE": f"{shell}_source"})
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_read_whole_is_shown(shell: str) -> None:
    result = CliRunner().invoke(cli, [], prog_name="muscle-convert",
                                env={"_MUSCLE_CONVERT_COMPLETE": f"{shell}_source"})
    assert (result.exit_code, result.stderr) == (0, "")
    assert "_MUSCLE_CONVERT_COMPLETE" in result.stdout


@pytest.mark.parametrize("args", PAGES, ids=" ".join)
def test_a_page_read_whole_is_shown_once(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, prog_name="muscle-convert")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    shown = result.stdout
    if args == ["--version"]:
        assert shown == f"muscle-convert, version {__version__}\n"
    else:
        assert shown.startswith("Usage: muscle-convert ") and shown.count("Usage:") == 1


def test_the_help_option_is_made_to_stop_quietly_once() -> None:
    """A command asked for its help option again keeps the one it made (not wrapped
    twice)."""
    command = cli.commands["formats"]
    with cli.make_context("muscle-convert", ["formats"]) as ctx:
        first = command.get_help_option(ctx)
        again = command.get_help_option(ctx)
    assert first is again and first is not None and first.callback is not None
    assert not hasattr(first.callback.__wrapped__, "__wrapped__")  # type: ignore[attr-defined]


@pytest.mark.parametrize("columns", [None, "120", "30", "70", "0", "-5", "wide"])
@pytest.mark.parametrize("max_width", [None, 100, 60])
def test_help_is_as_wide_as_click_makes_it(monkeypatch: pytest.MonkeyPatch,
                                           columns: str | None, max_width: int | None
                                           ) -> None:
    """The width of a help page is told without shutil, as click tells it with
    ``shutil.get_terminal_size()``: by ``$COLUMNS`` if it is a positive number, else by
    the terminal of standard output (none here: 80)."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(sys, "__stdout__", None)  # (no terminal: as where tests run)
    ours = PagedContext(cli, max_content_width=max_width).make_formatter()
    clicks = click.Context(cli, max_content_width=max_width).make_formatter()
    assert ours.width == clicks.width


def test_help_of_a_real_terminal_is_as_wide_as_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((97, 30)))
    assert terminal_columns() == 97
    assert PagedContext(cli).make_formatter().width == 78  # (at most 80, less 2)
    assert PagedContext(cli, max_content_width=200).make_formatter().width == 95


def test_help_imports_no_shutil() -> None:
    """``--help`` writes its page without shutil, which imports the bz2 and lzma
    modules (its start-up is measured against click's own, bench/RESULTS.md)."""
    assert not _imports_of("--help", names=("shutil", "bz2", "lzma"))[0]
