"""A third party's format held to the plugin contract as it loads: its options told from
the core's and other formats', its attributes and properties of their types, its hooks
guarded so that what they raise or return amiss is a diagnostic naming the format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from converter import plugins
from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import Format, FormatOption, get_format


def test_core_options_name_every_option_of_convert_and_write() -> None:
    """A plugin's option is refused as a core one by :data:`plugins.CORE_OPTIONS`: it
    holds every option and parameter name of ``convert`` and of ``converter.write``."""
    import inspect

    import click

    import converter
    from converter import plugins
    from converter.cli import cli

    command = cli.commands["convert"]
    params = click.Command.get_params(command, click.Context(command))
    flags = {flag.lstrip("-").replace("-", "_") for p in params
             for flag in (*p.opts, *p.secondary_opts) if flag.startswith("--")}
    names = {p.name for p in params if p.name and not p.name.startswith("_")}
    assert flags | names | set(inspect.signature(converter.write).parameters) <= (
        plugins.CORE_OPTIONS)


def _format(name: str, *options: FormatOption, **attributes: Any) -> Format:
    """A third party's format ``name`` of ``options`` (and other class ``attributes``)."""
    return type(f"Format_{name}", (Format,), {"name": name, "extensions": (f".{name}",),
                                              "options": options, **attributes})()


def test_an_option_clash_names_the_core_option_or_the_other_formats() -> None:
    deck = FormatOption("deck-name", "The deck's name.")
    assert plugins.option_clash(_format("ok", deck), []) is None
    assert plugins.option_clash(_format("quiet", FormatOption("quiet", "", is_flag=True)),
                                []) == "its option 'quiet' is muscle-convert's own --quiet"
    assert plugins.option_clash(_format("noc", FormatOption("cache", "", is_flag=True)),
                                []) == "its option 'cache' is muscle-convert's own --cache"
    counted = _format("counted", FormatOption("deck-name", "", type=int))
    assert plugins.option_clash(counted, [_format("named", deck)]) == (
        "its option 'deck-name' (int) is the named format's 'deck-name' (str)")
    assert plugins.option_clash(_format("same", deck), [_format("named", deck)]) is None


def test_an_options_type_is_named_however_given_and_one_not_callable_is_refused() -> None:
    """An option's type with no ``__name__`` (a ``functools.partial``, a click type) made
    the clash check raise AttributeError; it is named by its class or click name. A
    type that is not callable is refused as the format loads."""
    import functools

    import click

    deck = _format("named", FormatOption("deck-name", "The deck's name."))
    hexed = _format("hexed", FormatOption("deck-name", "", type=functools.partial(
        int, base=16)))
    assert plugins.option_clash(hexed, [deck]) == (
        "its option 'deck-name' (partial) is the named format's 'deck-name' (str)")
    ranked = _format("ranked", FormatOption("deck-name", "", type=click.IntRange(1, 5)))
    assert plugins.option_clash(ranked, [deck]) == (
        "its option 'deck-name' (integer range) is the named format's 'deck-name' (str)")
    assert plugins.misshapen(_format("three", FormatOption("level", "", type=3))) == (
        "its option 'level' has a type of int, not a callable")


def test_a_guarded_hook_that_raises_or_returns_amiss_is_the_formats_error() -> None:
    class Owning(Format):
        name, extensions = "owning", (".own",)

        def is_own(self, path: Path) -> bool:
            if path.name == "boom.own":
                raise RuntimeError("boom")
            return "yes" if path.name == "odd.own" else True  # type: ignore[return-value]

    fmt = plugins.guarded(Owning())
    assert fmt.is_own(Path("a.own")) is True
    with pytest.raises(MuscleError) as raised:
        fmt.is_own(Path("boom.own"))
    assert [str(d) for d in raised.value.diagnostics] == [
        "boom.own: error: the owning reader's is_own() failed: RuntimeError: boom "
        "[reader-failed]"]
    with pytest.raises(MuscleError) as returned:
        fmt.is_own(Path("odd.own"))
    assert [d.message for d in returned.value.diagnostics] == [
        "the owning reader's is_own() returned str, not a bool"]
    assert "is_own" in vars(fmt) and "companions" not in vars(fmt)  # (not overridden)


def test_a_guarded_own_names_gives_a_bool_for_each_name_or_none() -> None:
    """A plugin's own_names (which of a folder's files are its own, at once) is guarded
    as is_own is: what it raises, or gives that is no list of a bool per name (nor
    None), is a reader-failed error at the folder (the working folder's as .)."""
    class Naming(Format):
        name, extensions = "naming", (".own",)

        def own_names(self, folder: str, names: Any) -> Any:
            if folder in ("boom/", ""):
                raise RuntimeError("boom")
            if folder == "odd/":
                return "yes"
            if folder == "few/":
                return [True]
            return None if folder == "none/" else [n != "icon.own" for n in names]

    fmt = plugins.guarded(Naming())
    assert fmt.own_names("site/", ["a.own", "icon.own"]) == [True, False]
    assert fmt.own_names("none/", ["a.own"]) is None
    for folder, said in (
            ("boom/", "boom/: error: the naming reader's own_names() failed: "
                      "RuntimeError: boom [reader-failed]"),
            ("odd/", "odd/: error: the naming reader's own_names() returned str, not a "
                     "list of bools or None [reader-failed]"),
            ("few/", "few/: error: the naming reader's own_names() returned 1 bools for "
                     "2 names [reader-failed]")):
        with pytest.raises(MuscleError) as raised:
            fmt.own_names(folder, ["a.own", "b.own"])
        assert [str(d) for d in raised.value.diagnostics] == [said]
    with pytest.raises(MuscleError) as here:
        fmt.own_names("", ["a.own"])
    assert str(here.value.diagnostics[0]) == (
        ".: error: the naming reader's own_names() failed: RuntimeError: boom "
        "[reader-failed]")


def test_a_guarded_hook_calling_sys_exit_is_the_formats_error_and_ctrl_c_goes_through(
        tmp_path: Path) -> None:
    """A plugin's hook (is_own(), companions() of the output) or attribute that called
    sys.exit() was no Exception to its guard: SystemExit went through, ending the run
    with its message alone. It is now the error a raised exception gives, saying it
    tried to end the program; KeyboardInterrupt (Ctrl-C) still goes through."""
    import sys

    class Exiting(Format):
        name, extensions = "exiting", (".exit",)

        def is_own(self, path: Path) -> bool:
            if path.name == "stop.exit":
                raise KeyboardInterrupt
            sys.exit("needs libfoo")

        def companions(self, path: Path) -> list[Path]:
            sys.exit(4)

        @property  # type: ignore[override]
        def description(self) -> str:
            sys.exit("no words")

    fmt = plugins.guarded(Exiting())
    with pytest.raises(MuscleError) as caught:
        fmt.is_own(Path("a.exit"))
    assert [str(d) for d in caught.value.diagnostics] == [
        "a.exit: error: the exiting reader's is_own() failed: it tried to end the program "
        "(SystemExit with status 'needs libfoo') [reader-failed]"]
    with pytest.raises(KeyboardInterrupt):
        fmt.is_own(Path("stop.exit"))
    out = tmp_path / "out.exit"
    with pytest.raises(MuscleError) as written:
        plugins.output_companions(fmt, out)
    assert [(d.path, d.code, d.message) for d in written.value.diagnostics] == [
        (str(out), "writer-failed", "the exiting writer's companions() failed: it tried "
         "to end the program (SystemExit with status 4)")]
    assert plugins.misshapen(Exiting()) == (
        "its description failed: it tried to end the program (SystemExit with status "
        "'no words')")


def test_a_hook_failed_names_the_writer_or_reader_and_where() -> None:
    fmt = _format("probe")
    hook = plugins.Hook("writer-failed", 0, bool, "a bool")
    error = plugins.hook_failed(fmt, "companions", hook, ["out.probe"], "failed: X")
    assert [(d.path, d.code, d.message) for d in error.diagnostics] == [
        ("out.probe", "writer-failed", "the probe writer's companions() failed: X")]
    named = plugins.hook_failed(fmt, "field_name", plugins.HOOKS["field_name"], [], "did")
    assert [(d.path, d.code, d.message) for d in named.diagnostics] == [
        ("format", "reader-failed", "the probe reader's field_name() did")]


def test_the_output_companions_of_a_failing_hook_are_a_writer_error_at_the_output(
        tmp_path: Path) -> None:
    class Paired(Format):
        name, extensions = "paired", (".pair",)

        def companions(self, path: Path) -> list[Path]:
            if path.name == "real.pair":
                return "not a list"  # type: ignore[return-value]
            return [path.with_suffix(".side")]

    out, real = tmp_path / "out.pair", tmp_path / "real.pair"
    fmt = plugins.guarded(Paired())
    assert plugins.output_companions(fmt, out) == [tmp_path / "out.side"]
    with pytest.raises(MuscleError) as caught:
        plugins.output_companions(fmt, out, real)
    assert [(d.path, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(out), "writer-failed",
         "the paired writer's companions() returned str, not a list of paths")]
    json = get_format("json")
    assert plugins.output_companions(json, out) == json.companions(out)


def test_misshapen_names_the_first_attribute_or_property_of_the_wrong_type() -> None:
    assert plugins.misshapen(_format("fine")) is None
    assert plugins.misshapen(_format("bad", description=3)) == (
        "its description is int, not a str")
    assert plugins.misshapen(_format("dotless", extensions=("tsv",))) == (
        "its extensions has 'tsv', not a file name ending that starts with a dot ('.tsv')")
    assert plugins.misshapen(_format("nd", extensions=("nd",))) == (
        "its extensions has 'nd', not a file name ending that starts with a dot ('.nd')")
    assert plugins.misshapen(_format("dot", extensions=(".",))) == (
        "its extensions has '.', not a file name ending that starts with a dot ('.tsv')")
    assert plugins.misshapen(_format("odd", carries=frozenset({"colour"}))).startswith(
        "its carries has 'colour', which is no field of the model (it has ")

    class Failing(Format):
        name, extensions = "failing", (".fail",)

        @property
        def lossless(self) -> bool:
            raise RuntimeError("no")

    assert plugins.misshapen(Failing()) == "its lossless failed: RuntimeError: no"
    assert "lossless" in plugins.PROPERTIES


def test_misnamed_names_what_an_entry_point_gave_that_is_not_the_format() -> None:
    """An entry point that gives no Format, or one whose name raises or is another, was
    a traceback (its name asked unguarded); it is now what is wrong with it."""
    assert plugins.misnamed(_format("fine"), "fine") is None
    assert plugins.misnamed(None, "fine") == (
        "its entry point gives NoneType, which is not a Format")

    class Own:
        name = "own"

    assert plugins.misnamed(Own(), "own") == "its entry point gives Own, which is not a Format"
    assert plugins.misnamed(_format("other"), "fine") == (
        "its name is 'other', not its entry point's 'fine' (a format's name is the name "
        "of the entry point that registers it)")

    class Nameless(Format):
        extensions = (".nameless",)

        @property  # type: ignore[override]
        def name(self) -> str:
            raise RuntimeError("no name")

    assert plugins.misnamed(Nameless(), "nameless") == (
        "its name failed: RuntimeError: no name")


def test_misshapen_names_an_attribute_that_raises() -> None:
    class Undescribed(Format):
        name, extensions = "undescribed", (".und",)

        @property  # type: ignore[override]
        def description(self) -> str:
            raise RuntimeError("no words")

    assert plugins.misshapen(Undescribed()) == (
        "its description failed: RuntimeError: no words")


def test_a_misshapen_diagnostic_names_what_makes_it_none_a_run_can_say() -> None:
    good = Diagnostic("a.md", 1, 2, "title", "bad-title", "is empty")
    assert plugins.misshapen_diagnostic(good) is None
    assert plugins.misshapen_diagnostic("a.md: error") == "str, not a Diagnostic"
    assert plugins.misshapen_diagnostic(good._replace(line=True)) == (
        "a Diagnostic whose line is True")
    assert plugins.misshapen_diagnostic(good._replace(path=Path("a.md"))) == (
        "a Diagnostic whose path is PosixPath('a.md')")
    assert plugins.misshapen_diagnostic(good._replace(severity="fatal")) == (
        "a Diagnostic whose severity is 'fatal'")
    assert plugins.misshapen_diagnostic(good._replace(stream="yes")) == (
        "a Diagnostic whose stream is 'yes'")
    assert plugins.misshapen_diagnostic(good._replace(code=-10**5000)) == (
        "a Diagnostic whose code is a negative integer of 5001 digits")
    assert plugins.misshapen_diagnostic(good._replace(line=10**5000)) == (
        "a Diagnostic whose line is an integer of 5001 digits")
    assert plugins.misshapen_diagnostic(good._replace(named=(1, 1 << 63))) == (
        "a Diagnostic whose named is (1, 9223372036854775808)")
    assert plugins.misshapen_diagnostic(good._replace(column=(1 << 63) - 1)) is None


def test_a_misshapen_error_names_what_its_diagnostics_are() -> None:
    """A plugin's MuscleError carrying MuscleErrors, or nothing, was taken as carrying
    Diagnostics (AttributeError: 'MuscleError' object has no attribute 'message')."""
    good = Diagnostic("a.md", 1, 2, "title", "bad-title", "is empty")
    assert plugins.misshapen_error(MuscleError(good)) is None
    assert plugins.misshapen_error(MuscleError([good, MuscleError(good)])) == (
        "a MuscleError carrying MuscleError, not a Diagnostic")
    assert plugins.misshapen_error(MuscleError([])) == "a MuscleError carrying no Diagnostic"
    assert plugins.misshapen_error(MuscleError([good, good._replace(stream=1)])) == (
        "a MuscleError carrying a Diagnostic whose stream is 1")


def test_a_misshapen_option_is_named_with_what_is_wrong_with_it() -> None:
    """``FormatOption("my-opt", "x")`` was 'its options is tuple, not a tuple of
    FormatOption (...)', a tuple said not to be one; the option is now named, and what
    is wrong with it said."""
    assert plugins.misshapen(_format("dashed", FormatOption("my-opt", "x"))) == (
        "its option 'my-opt' is named by no identifier: name it 'my_opt', shown as "
        "--my-opt")
    assert plugins.misshapen(_format("spaced", FormatOption("two words", "x"))) == (
        "its option 'two words' is named by no identifier")
    assert plugins.misshapen(_format("helpless", FormatOption("size", 3))) == (  # type: ignore[arg-type]
        "its option 'size' has a help of int, not a str")
    assert plugins.misshapen(_format("loose", "flat")) == (  # type: ignore[arg-type]
        "its options has a str, not a FormatOption")
    assert plugins.misshapen(_format("listed", options=[])) == (
        "its options is list, not a tuple of FormatOption")


def test_a_field_namer_places_a_failing_field_name_at_the_input_asked_about() -> None:
    """A third party's field_name() is given no path, so its guard placed its failure
    at 'format'; :func:`plugins.field_namer` places it at the input whose muscles it
    names, and is the project's own formats' field_name unguarded."""
    class Naming(Format):
        name, extensions = "naming", (".nam",)

        def field_name(self, field: str) -> str:
            if field == "boom":
                raise RuntimeError("boom")
            return field.upper()

    fmt = plugins.guarded(Naming())
    named = plugins.field_namer(fmt, "in/a.nam")
    assert named("title") == "TITLE"
    with pytest.raises(MuscleError) as raised:
        named("boom")
    assert [str(d) for d in raised.value.diagnostics] == [
        "in/a.nam: error: the naming reader's field_name() failed: RuntimeError: boom "
        "[reader-failed]"]
    json = get_format("json")
    assert plugins.field_namer(json, "a.json") == json.field_name
