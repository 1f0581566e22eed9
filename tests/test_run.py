"""converter.run: the convert, validate and fmt jobs, as the command line and a Python
caller start them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from converter import atomic
from converter.cache import output_signature
from converter.model import Muscle
from converter.registry import Format, WriteContext, get_format
from converter.run import convert_sources
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
