"""Checks of a muscle that no built-in reader made: one built by hand for ``write()``, or
one a third party's reader gave (a format that does not declare
:attr:`~converter.registry.Format.validates`). Such a muscle can hold what no reader of
ours gives: a slug that is no file name (``../escape``), a control character that shifts
Anki's fields, a ``javascript:`` link. It gets the checks a reader of front matter makes,
so that the writers see only what they would see from Markdown.
"""

from __future__ import annotations

from dataclasses import replace

from .authoring import front_matter_from_muscle, muscle_from_front_matter, without_reserved
from .canonical import model_field
from .diagnostics import Diagnostic, MuscleError
from .lint import in_record, record_label
from .model import FrozenMap, Muscle
from .slug import is_slug, not_a_slug


def muscle_problems(muscle: Muscle, where: str, record: str | None = None,
                    writer_lang: str = "en") -> list[Diagnostic]:
    """The errors a reader of front matter would find in ``muscle``, each naming the
    file ``where`` and the muscle's fields as the model does (``functions[0]``,
    ``regions[1]``, ``extra.<key>``), inside ``record`` (by default ``muscles[<slug>]``;
    ``""`` for a file of one muscle); ``too-large`` counts its values as the Markdown
    writer of default language ``writer_lang`` writes them. ``muscle`` must be of the model's types
    (:func:`~converter.model.misshapen` says when it is not). The lints of a muscle that
    reads well (:func:`~converter.lint.check_muscle`: its geometry, its links) come
    after these."""
    record = record_label(muscle) if record is None else record
    if not is_slug(muscle.slug):
        return [Diagnostic(where, None, None, in_record(record, "slug"), "bad-slug",
                           not_a_slug(muscle.slug))]
    # (a writer of front matter would write them as the fields themselves: each one
    # reported, the rest of the muscle checked without them)
    kept, reserved = without_reserved(muscle.extra)
    found = [Diagnostic(where, None, None, in_record(record, field), code, message)
             for field, code, message in reserved]
    muscle = replace(muscle, extra=FrozenMap(kept)) if reserved else muscle
    try:
        muscle_from_front_matter({**front_matter_from_muscle(muscle), "slug": muscle.slug},
                                 path=where, slug_hint=muscle.slug, body=muscle.body,
                                 writer_lang=writer_lang)
    except MuscleError as exc:
        found += [d._replace(field=in_record(record, model_field(d.field, muscle.extra)))
                  for d in exc.diagnostics]
    return found
