"""Canonical records: replacing the lines of changed muscles in a JSON-like output."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from converter import canonical
from converter.model import Muscle
from converter.registry import WriteContext, get_format
from tests.strategies import corpora, muscles


@settings(max_examples=40, deadline=None)
@given(old=corpora(max_size=6), new=st.lists(muscles(), max_size=3),
       fmt=st.sampled_from(["json", "jsonl"]), data=st.data())
def test_updating_an_output_gives_what_writing_it_anew_gives(tmp_path_factory, old, new,
                                                             fmt, data) -> None:
    old = list({m.slug: m for m in old}.values())
    if not old:
        return
    # each new muscle replaces one of the old ones (same slug, other content)
    targets = data.draw(st.lists(st.sampled_from(old), unique_by=lambda m: m.slug,
                                 max_size=len(new)))
    changed = [dataclasses.replace(n, slug=t.slug) for n, t in zip(new, targets, strict=False)]
    by_slug = {m.slug: m for m in changed}
    folder = tmp_path_factory.mktemp("update")
    patched, fresh = folder / f"patched.{fmt}", folder / f"fresh.{fmt}"
    writer, ctx = get_format(fmt), WriteContext()
    writer.write(old, patched, ctx)
    summary = writer.update(changed, patched, ctx, total=len(old))
    expected = writer.write([by_slug.get(m.slug, m) for m in old], fresh, ctx)
    assert summary == expected.replace(str(fresh), str(patched))
    assert patched.read_bytes() == fresh.read_bytes()


def _written(tmp_path: Path) -> tuple[Path, list[Muscle]]:
    written = [Muscle(slug=slug, title=slug.upper()) for slug in ("a", "b", "c")]
    out = tmp_path / "m.json"
    get_format("json").write(written, out, WriteContext())
    return out, written


def test_nothing_is_written_unless_every_record_is_there_once(tmp_path: Path) -> None:
    out, (a, b, _) = _written(tmp_path)
    before = out.read_bytes()
    new_b = canonical.dumps(dataclasses.replace(b, title="Bee"))
    absent = canonical.dumps(Muscle(slug="zz", title="Z"))
    assert not canonical.replace_records(out, {"zz": absent}, 3)
    assert not canonical.replace_records(out, {"b": new_b}, 4)  # another number of records
    assert not canonical.replace_records(out, {"b": canonical.dumps(a)}, 3)  # slug a's record
    doubled = tmp_path / "doubled.json"
    doubled.write_bytes(before.replace(b'\n{"slug":"c"',
                                       b"\n" + new_b.encode() + b',\n{"slug":"c"'))
    assert not canonical.replace_records(doubled, {"b": new_b}, 4)
    assert out.read_bytes() == before
    assert canonical.replace_records(out, {"b": new_b}, 3)
    assert out.read_bytes() == before.replace(canonical.dumps(b).encode(), new_b.encode())
    assert sorted(tmp_path.iterdir()) == [doubled, out]  # no temporary file left
