"""The README's Python examples run as written."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES


def python_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, re.DOTALL)


def run_block(block: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    shutil.copytree(SAMPLES, folder / "samples")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_every_python_example_runs(index: int, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    namespace = run_block(python_blocks()[index], tmp_path, monkeypatch)
    assert len(namespace["muscles"]) == len(list(SAMPLES.glob("*.md")))


def test_the_api_example_does_what_its_comments_say(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    block = next(b for b in python_blocks() if "hip" in b)
    namespace = run_block(block, tmp_path, monkeypatch)
    assert "gluteus-medius" in namespace["hip"]
    assert (tmp_path / "out" / "muscles.json").stat().st_size > 0
    assert "collection.anki2" in zipfile.ZipFile(tmp_path / "out" / "deck.apkg").namelist()
    assert capsys.readouterr().out.startswith("('da', '")
