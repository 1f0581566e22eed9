"""Discovery and reading: the order of inputs never depends on the file system."""

from __future__ import annotations

import builtins
import hashlib
import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter import pipeline
from converter.pipeline import Input, Inputs, Reader, discover
from converter.registry import get_format
from tests.conftest import SAMPLES

MUSCLE = "---\ntitle: {title}\n---\n"


def test_discovery_sorts_by_path_parts_and_skips_hidden_files(tmp_path: Path) -> None:
    names = ["b.md", "a-b.md", "a/z.md", "a/b/c.MD", "a.b/x.markdown", "A.md", "é.md",
             "a/.hidden.md", ".git/x.md", "notes.txt", "a/readme"]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MUSCLE.format(title=path.stem), encoding="utf-8")
    inputs, problems = discover([tmp_path])
    assert problems == []
    found = [Path(i.path).relative_to(tmp_path) for i in inputs]
    expected = sorted(Path(n) for n in names if n.lower().endswith((".md", ".markdown"))
                      and not any(part.startswith(".") for part in Path(n).parts))
    assert found == expected
    assert {i.format.name for i in inputs} == {"markdown"}
    assert all(i.stamp == (Path(i.path).stat().st_size, Path(i.path).stat().st_mtime_ns)
               for i in inputs)


def test_the_slug_stream_counts_every_muscle_and_file(tmp_path: Path) -> None:
    for title in ("Soleus", "Plantaris", "Soleus"):
        (tmp_path / f"{title}-{len(list(tmp_path.iterdir()))}.md").write_text(
            MUSCLE.format(title=title), encoding="utf-8")
    inputs, _ = discover([tmp_path])
    reader = Reader(inputs)
    assert sorted(reader.slugs()) == ["plantaris-1", "soleus-0", "soleus-2"]
    assert reader.count == 3 and reader.files_read == 3


paths = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=12)


@given(st.lists(st.tuples(st.sampled_from(["", "a/", "a/b/", "é/\udcff/"]),
                          st.lists(st.tuples(paths, st.integers(0, 2**40),
                                             st.integers(-2**62, 2**62)), max_size=5),
                          st.booleans()), max_size=6))
def test_inputs_give_back_every_path_format_and_stamp(
        runs: list[tuple[str, list[tuple[str, int, int]], bool]]) -> None:
    markdown, jsonl = get_format("markdown"), get_format("jsonl")
    inputs, expected = Inputs(), []
    for folder, files, other in runs:
        fmt = jsonl if other else markdown
        inputs.add_files(folder, [n for n, _, _ in files], [fmt] * len(files),
                         [size for _, size, _ in files], [mtime for _, _, mtime in files])
        expected += [Input(folder + name, fmt, (size, mtime)) for name, size, mtime in files]
    inputs.add("/nonexistent/given.md", markdown)  # named on the command line: no stamp yet
    expected.append(Input("/nonexistent/given.md", markdown, None))
    assert list(inputs) == expected and len(inputs) == len(expected)
    assert [inputs[i] for i in range(len(expected))] == expected == inputs[:]
    assert inputs[-1] == expected[-1] and inputs.formats() == {i.format for i in expected}
    with pytest.raises(IndexError):
        inputs[len(expected)]
    assert [p for p, _, _ in itertools.islice(inputs.stamped(), len(expected) - 1)] == [
        i.path for i in expected[:-1]]
    with pytest.raises(OSError):  # the last one is stat-ed, and is not there
        list(inputs.stamped())


@pytest.mark.parametrize("max_bytes", [10_000_000, 100])
def test_a_file_read_for_the_cache_is_opened_once(tmp_path: Path, max_bytes: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Its hash and its muscle come from the same bytes; over ``--max-bytes`` it is
    refused as ever."""
    path = tmp_path / "deltoideus.md"
    shutil.copy(SAMPLES / "deltoideus.md", path)
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    read = pipeline._read_one((str(path), "markdown", ("en", max_bytes, None, None), True))
    assert read.result.content == hashlib.sha256(path.read_bytes()).digest()
    if max_bytes > 100:
        assert opened.count(str(path)) == 1
        assert [m.slug for m in read.muscles] == ["deltoideus"]
    else:
        assert [d.code for d in read.result.diagnostics] == ["file-too-large"]
