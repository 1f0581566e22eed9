"""The checks of a muscle no built-in reader made (built by hand for ``write()``, or a
third party's reader's): the errors a reader of front matter would find, each at the
muscle's field as the model names it."""

from __future__ import annotations

from dataclasses import replace

from converter.checks import muscle_problems
from converter.model import FrozenMap, Muscle, freeze


def _found(muscle: Muscle, record: str | None = None) -> list[tuple[str, str, str]]:
    """The (path, field, code) of each problem of ``muscle`` in ``m.json``."""
    return [(d.path, d.field, d.code) for d in muscle_problems(muscle, "m.json", record)]


def test_a_muscle_a_reader_would_give_has_no_problem_but_its_lints() -> None:
    """Its links and geometry are :func:`converter.lint.check_muscle`'s, after these."""
    assert muscle_problems(Muscle(slug="m", title="M"), "m.json") == []
    unsafe = replace(Muscle(slug="m", title="M"), image="javascript:alert(1)")
    assert muscle_problems(unsafe, "m.json") == []


def test_a_slug_that_is_no_file_name_is_the_only_problem_said() -> None:
    escape = Muscle(slug="../escape", title=" ")
    assert _found(escape) == [("m.json", "muscles[../escape].slug", "bad-slug")]
    assert _found(escape, "") == [("m.json", "slug", "bad-slug")]  # (a file of one muscle)


def test_each_problem_is_at_the_field_of_the_record_given() -> None:
    empty = Muscle(slug="m", title=" ")
    assert _found(empty) == [("m.json", "muscles[m].title", "empty-field")]
    assert _found(empty, "muscles[3]") == [("m.json", "muscles[3].title", "empty-field")]
    assert _found(empty, "") == [("m.json", "title", "empty-field")]
    shifting = Muscle(slug="m", title="A\x1fB")  # (Anki's field separator)
    assert _found(shifting) == [("m.json", "muscles[m].title", "control-character")]


def test_an_extra_key_named_like_a_field_is_said_and_the_rest_still_checked() -> None:
    muscle = Muscle(slug="m", title=" ", extra=freeze({"title": "X", "ok": 1}))
    assert _found(muscle) == [("m.json", "muscles[m].extra.title", "reserved-key"),
                              ("m.json", "muscles[m].title", "empty-field")]
    nested = Muscle(slug="m", title="M", extra=FrozenMap({"a": freeze([1, {"b": "\ud800"}])}))
    assert _found(nested) == [("m.json", "muscles[m].extra.a[1].b", "control-character")]


def test_a_muscle_too_large_is_said_of_its_record_as_a_whole() -> None:
    muscle = Muscle(slug="a", title="A", extra=freeze({"k": list(range(100_001))}))
    assert _found(muscle) == [("m.json", "muscles[a]", "too-large")]
