"""A path's format, told by its ending, and a name too long to look up."""

from __future__ import annotations

from pathlib import Path

from converter import formatpaths


def test_detect_by_extension(tmp_path: Path) -> None:
    assert formatpaths.detect_format(tmp_path / "a.JSONL", for_reading=True).name == "jsonl"
    assert formatpaths.detect_format(tmp_path / "a.md", for_reading=True).name == "markdown"
    assert formatpaths.detect_format(tmp_path / "a.unknown", for_reading=True) is None


def test_a_name_too_long_to_look_up_is_told_by_its_ending(tmp_path: Path) -> None:
    """A name over the file system's 255 bytes made pathlib's is_dir() raise
    ENAMETOOLONG out of detection (a traceback of write() without format=); it is told
    by its ending, and fails where it is written."""
    long = "x" * 256
    assert formatpaths.detect_format(tmp_path / f"{long}.json", for_reading=False).name == "json"
    assert formatpaths.detect_format(tmp_path / long / "a.md", for_reading=True).name == (
        "markdown")
    assert formatpaths.detect_format(tmp_path / long, for_reading=True) is None
