"""A third party's writer run: what it raises or returns amiss is a writer-failed
error, what its input raises goes through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faulty import errors_said, faulty_cli, faulty_installed


@pytest.fixture
def faulty_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The faulty formats of tests/faulty.py installed (``faulty_installed``)."""
    yield from faulty_installed(tmp_path, monkeypatch)


def test_a_failing_writer_is_a_muscle_error_from_python(
        faulty_plugin: Path, tmp_path: Path, sample_muscles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """converter.write() let a plugin's exception through, and returned a plugin's 42
    though it says it returns str | None."""
    import converter

    out = tmp_path / "out.faulty"
    failures = [("raise", out, "the faulty writer failed: RuntimeError: writer boom"),
                ("number", out, "the faulty writer returned int, not a summary (a str or "
                 "None)"),
                ("", tmp_path / "out.records", "the faulty-records writer failed on "
                 "muscle 'biceps-brachii': RuntimeError: record boom")]
    for fault, output, message in failures:
        monkeypatch.setenv("FAULT", fault)
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(sample_muscles, output)
        assert [str(d) for d in caught.value.diagnostics] == [
            f"{output}: error: {message} [writer-failed]"]
    with pytest.raises(TypeError, match="write\\(\\) takes Muscle objects, not str"):
        converter.write(["biceps"], out)  # (what the muscles raise is no writer's)


def test_a_writer_that_stops_early_hides_no_error(faulty_plugin: Path, tmp_path: Path,
                                                  sample_muscles,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A write() that returned without reading the muscles left the files after the
    first unread: a broken one was "0 files failed", exit 0 even with --strict, where
    --to json said its yaml-syntax error. The rest is now read once it returns."""
    import shutil

    import converter
    from tests.conftest import SAMPLES

    site = tmp_path / "site"
    shutil.copytree(SAMPLES, site)
    (site / "zz-broken.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    said = {}
    for to in ("json", "faulty"):
        status, stderr = faulty_cli(faulty_plugin, "lazy", "convert", str(site), "--to", to, "-o",
                              str(tmp_path / f"out.{to}"), "--no-cache", "--strict")
        said[to] = (status, errors_said(stderr), "1 file failed" in stderr)
    assert said["faulty"] == said["json"]
    assert said["json"][0] == 1 and "[yaml-syntax]" in said["json"][1][0]
    monkeypatch.setenv("FAULT", "lazy")
    with pytest.raises(converter.MuscleError, match="duplicate-slug"):
        converter.write([*sample_muscles, sample_muscles[0]], tmp_path / "x.faulty")


def test_a_plugins_sys_exit_with_a_huge_status_is_said() -> None:
    """sys.exit(10**5000) in a plugin's hook: the message saying so raised ValueError
    (Exceeds the limit (4300 digits)) from its repr of the status."""
    from converter.writerrun import failure

    assert failure(SystemExit(10**5000)) == (
        "it tried to end the program (SystemExit with status an integer of 5001 digits)")
