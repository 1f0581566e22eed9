"""converter.run: the convert, validate and fmt jobs, as the command line and a Python
caller start them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from converter import atomic
from converter.cache import output_signature
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle
from converter.registry import Format, WriteContext, get_format
from converter.run import convert_sources, format_sources
from tests.conftest import SAMPLES


def test_convert_sources_forgets_a_mark_an_earlier_run_left(
        capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """A run into standard output whose reader stopped, one that then failed, left "-"
    marked: the next ``convert_sources`` to it in the same process said output-closed of
    a reader still reading (and ``--strict`` took no count of it)."""
    atomic._LEFT.add("-")  # (as a write cut short by an error after its reader left)
    result = convert_sources([SAMPLES / "soleus.md"], get_format("jsonl"), Path("-"))
    assert [d.code for d in result.diagnostics] == []
    assert (result.count, result.left_early) == (1, 0)
    assert capfdbinary.readouterr().out.count(b"\n") == 1
    assert "-" not in atomic._LEFT


class _Logged(Format):
    """A format of no package (not built in) whose writer writes the titles, one a
    line, and whose files have a log beside them: the paths companions() is asked of
    are kept in ``asked``."""

    name = "logged-test"
    extensions = (".logged",)

    def __init__(self) -> None:
        self.asked: list[Path] = []

    def companions(self, path: Path) -> list[Path]:
        self.asked.append(Path(path))
        return [path.with_name(path.name + "-log")]

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> None:
        out.write_text("".join(m.title + "\n" for m in muscles))


def test_a_run_without_a_cache_takes_no_signature_of_its_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run without a cache took its output's signature once written, for a record it
    never makes: it walked an output folder, and asked a third party's companions() of
    its output file again. It asks them only for the swap now, which needs them (the
    files beside the output to move away, and the new ones to move in): of the output
    and of the file the writer made. A run with a cache still takes it."""
    from converter import run as run_module

    signed: list[Path] = []

    def signature(path: Path, companions: Iterable[Path] = ()) -> str:
        signed.append(path)
        return output_signature(path, companions)

    monkeypatch.setattr(run_module, "output_signature", signature)
    out, fmt = tmp_path / "out.logged", _Logged()
    result = convert_sources([SAMPLES], fmt, out)
    assert (result.count, signed) == (15, [])
    assert [(p.parent == tmp_path, p.name) for p in fmt.asked] == [
        (True, "out.logged"), (False, "out.logged")]
    assert len(out.read_text().splitlines()) == 15
    folder = tmp_path / "folder"
    assert convert_sources([SAMPLES], get_format("svg"), folder).count == 15
    assert signed == []
    convert_sources([SAMPLES], fmt, out, cache_dir=tmp_path / "cache")
    assert signed and set(signed) == {out}


class _Updating(_Logged):
    """:class:`_Logged` with an update(): the titles of a file of ``total`` lines
    written anew."""

    name = "logged-update-test"

    def update(self, muscles: Sequence[Muscle], out: Path, ctx: WriteContext, *,
               total: int) -> str | None:
        if len(out.read_text().splitlines()) != total:
            return None
        self.write(muscles, out, ctx)
        return f"updated {len(muscles)}"


def test_a_plugins_update_asks_the_companions_of_its_output_once(tmp_path: Path) -> None:
    """A run with a cache bringing a third party's output up to date asked its
    companions() of the output twice for the update: for the swap (writer_output) and
    for the copy its update() is given (updated). It asks once and keeps them; the
    output is still asked of for its signature before and after, and the file the
    update made for the swap."""
    source = tmp_path / "src"
    shutil.copytree(SAMPLES, source)
    out, fmt, cache = tmp_path / "out.logged", _Updating(), tmp_path / "cache"
    assert convert_sources([source], fmt, out, cache_dir=cache).count == 15
    soleus = source / "soleus.md"
    soleus.write_text(re.sub(r"(?m)^title: .*$", "title: Soleus Two", soleus.read_text()))
    fmt.asked.clear()
    result = convert_sources([source], fmt, out, cache_dir=cache)
    assert (result.summary, "Soleus Two" in out.read_text()) == ("updated 15", True)
    assert [(p.parent == tmp_path, p.name) for p in fmt.asked] == [
        (True, "out.logged"), (True, "out.logged"), (False, "out.logged"),
        (True, "out.logged")]


class _Refusing(Format):
    """A format of no package whose writer reads every muscle, then refuses the run
    with an error placed on the source file ``source``."""

    name = "refusing-test"
    extensions = (".refusing",)

    def __init__(self, source: Path) -> None:
        self.source = source

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> None:
        list(muscles)
        raise MuscleError(Diagnostic(str(self.source), 2, None, "", "reserved-name",
                                     "this writer cannot name a file so"))


def test_a_write_refused_at_a_source_file_says_nothing_was_written_to_the_output(
        tmp_path: Path) -> None:
    """The summary of a run whose writer failed was built from its first diagnostic's
    file, taken to be the output: an error a writer placed on a source file made it
    "nothing written to <that source>". It names the output."""
    out = tmp_path / "out.refusing"
    out.write_text("earlier\n", encoding="utf-8")
    result = convert_sources([SAMPLES / "soleus.md"], _Refusing(SAMPLES / "soleus.md"),
                             out)
    assert [(d.path, d.code) for d in result.diagnostics] == [
        (str(SAMPLES / "soleus.md"), "reserved-name")]
    assert result.summary == f"nothing written to {out}"
    assert (result.count, result.read, result.errors) == (0, 1, 1)
    assert out.read_text(encoding="utf-8") == "earlier\n"


@pytest.mark.parametrize("check", [False, True])
def test_fmt_leaves_a_file_whose_new_layout_is_over_max_bytes(tmp_path: Path,
                                                               check: bool) -> None:
    """fmt wrote a 33-byte file as 44 bytes with --max-bytes 40, exit 0, and the next
    fmt, validate or convert refused it (file-too-large). It is left as it is, one
    file-too-large error naming the --max-bytes that reads the new layout back; with
    --check it is no file that would change, as fmt would refuse it."""
    text = b"---\ntitle: T\nk: [a, b, c, d]\n---\n"
    path = tmp_path / "m.md"
    path.write_bytes(text)
    result = format_sources([path], check=check, max_bytes=len(text))
    assert (result.failed, result.count, result.changed) == (1, 0, [])
    assert [(d.path, d.code, d.severity) for d in result.diagnostics] == [
        (str(path), "file-too-large", "error")]
    assert result.diagnostics[0].message == (
        "would be 44 bytes in the new layout, over the limit of 33 that reading takes, "
        "so it is left as it is: format it with --max-bytes 44")
    assert path.read_bytes() == text
    result = format_sources([path], check=check, max_bytes=44)
    assert (result.failed, result.changed, result.diagnostics) == (0, [str(path)], [])
    assert len(path.read_bytes()) == (33 if check else 44)
