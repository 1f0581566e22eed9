"""SortedSpool: text parked on disk comes back complete, in key order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from converter.spool import SortedSpool, Spilled, sorted_unique

items = st.lists(st.tuples(st.text(max_size=8), st.text(), st.text()), max_size=40)


@given(items)
def test_parts_come_back_in_key_order(entries: list[tuple[str, str, str]]) -> None:
    with SortedSpool(("a", "b")) as spool:
        for key, a, b in entries:
            spool.add(key, a=a, b=b)
        expected = sorted(entries, key=lambda e: e[0])  # stable, like the spool
        assert spool.keys() == [key for key, _, _ in expected]
        assert list(spool.sorted("a")) == [a for _, a, _ in expected if a]
        assert "".join(spool.sorted("b")) == "".join(b for _, _, b in expected)
        assert len(spool) == len(entries)


def test_a_part_left_out_is_empty_and_adding_after_reading_works() -> None:
    with SortedSpool(("a", "b")) as spool:
        spool.add("b", a="2")
        spool.add("a", a="1", b="x\udc80")  # a lone surrogate survives the disk
        assert list(spool.sorted("a")) == ["1", "2"]
        spool.add("0", a="0")
        assert list(spool.sorted("a")) == ["0", "1", "2"]
        assert list(spool.sorted("b")) == ["x\udc80"]


def test_check_unique_names_the_first_repeated_key() -> None:
    found: list[str] = []
    with SortedSpool(("a",)) as spool:
        for key in ("c", "a", "b", "c", "a"):
            spool.add(key, a=key)
        spool.check_unique(found.append)
    assert found == ["a"]
    with SortedSpool(("a",)) as spool:
        spool.add("x", a="1")
        spool.check_unique(found.append)
    assert found == ["a"]


def test_sorted_unique_sorts_by_key_and_names_the_first_repeated_key() -> None:
    found: list[str] = []
    items = [("c", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)]
    assert sorted_unique(items, lambda item: item[0], found.append) == [
        ("a", 2), ("a", 5), ("b", 3), ("c", 1), ("c", 4)]  # (stable)
    assert found == ["a"]
    assert sorted_unique(iter([("y", 0), ("x", 1)]), lambda item: item[0],
                         found.append) == [("x", 1), ("y", 0)]
    assert found == ["a"]


@given(st.lists(st.one_of(st.text(), st.binary(), st.integers()), max_size=30),
       st.integers(0, 8))
def test_a_spilled_list_gives_back_what_it_was_given(items: list[object], kept: int) -> None:
    spilled = Spilled(kept)
    for item in items:
        spilled.append(item)
    assert (len(spilled), list(spilled)) == (len(items), items)
    assert [spilled.take(i) for i in range(len(items))] == items
    assert [spilled[i] for i in range(min(kept, len(items)))] == [None] * min(kept, len(items))
    assert list(spilled)[kept:] == items[kept:]  # (on disk: read back again)
    spilled.append("last")  # (added after reading)
    assert spilled[-1] == "last"
