"""Discovery and reading: the order of inputs never depends on the file system."""

from __future__ import annotations

from pathlib import Path

from converter.pipeline import Reader, discover

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
