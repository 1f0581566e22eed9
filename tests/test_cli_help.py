"""``--help`` and ``--version`` into a reader that stops early, and read whole."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from converter import __version__
from converter.cli import cli
from tests.conftest import into_a_gone_reader

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
