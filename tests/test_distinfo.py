"""A distribution's name and metadata header, read without parsing its whole metadata."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from converter.distinfo import distribution_name, metadata_header
from tests.conftest import WAIT

DESCRIPTION = "\n\n# A README\n\nName: not-this-one\n"


def _dist(tmp_path: Path, header: str, newline: str = "\n") -> importlib.metadata.Distribution:
    """A distribution on disk whose METADATA is ``header`` and a long description."""
    folder = tmp_path / "thing-1.0.dist-info"
    folder.mkdir()
    (folder / "METADATA").write_bytes((header + DESCRIPTION).replace("\n", newline).encode())
    return importlib.metadata.PathDistribution(folder)


def test_every_installed_distribution_is_named_as_its_parsed_metadata_names_it() -> None:
    dists = list(importlib.metadata.distributions())
    assert len(dists) > 1
    assert [distribution_name(d) for d in dists] == [d.name for d in dists]


@pytest.mark.parametrize("header", [
    "Metadata-Version: 2.1\nName: my-plugin\nVersion: 1.0",
    "Metadata-Version: 2.1\nname:\tMy.Plugin  \nVersion: 1.0",  # (any case, blanks kept)
    "Metadata-Version: 2.1\nName: my\n  plugin\nVersion: 1.0",  # continued: parsed
    "Metadata-Version: 2.1\nName:\nVersion: 1.0",  # empty: parsed
    "Metadata-Version: 2.1\nno field here\nName: my-plugin",  # (the header ends before)
    "Metadata-Version: 2.1\nVersion: 1.0",  # no name
])
def test_a_header_gives_the_name_the_parsed_metadata_gives(tmp_path: Path, header: str
                                                           ) -> None:
    dist = _dist(tmp_path, header)
    assert distribution_name(dist) == dist.name


def test_a_header_of_crlf_lines_gives_the_name_the_parsed_metadata_gives(tmp_path: Path
                                                                        ) -> None:
    dist = _dist(tmp_path, "Metadata-Version: 2.1\nName: my-plugin\nVersion: 1.0", "\r\n")
    assert distribution_name(dist) == dist.name == "my-plugin"


def test_the_header_ends_before_the_long_description(tmp_path: Path) -> None:
    dist = _dist(tmp_path, "Metadata-Version: 2.1\nName: my-plugin")
    assert metadata_header(dist) == "Metadata-Version: 2.1\nName: my-plugin"


def test_a_metadata_file_that_cannot_be_read_is_read_as_the_parsed_metadata_reads_it(
        tmp_path: Path) -> None:
    folder = tmp_path / "thing-1.0.dist-info"
    (folder / "METADATA").mkdir(parents=True)  # (a folder: reading it raises)
    dist = importlib.metadata.PathDistribution(folder)
    assert distribution_name(dist) == dist.name


def test_which_formats_are_built_in_is_told_without_the_email_parser() -> None:
    """A replayed run asks which formats are built in (their package's name): the
    email package's parser, which the whole metadata (a README) would go through, is
    not imported."""
    code = ("import sys\nfrom converter import registry\n"
            "print(registry.built_in(registry.get_format('json')), "
            "'email.parser' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=WAIT)
    assert done.stdout.split() == ["True", "False"]
