"""Reading a data package: its muscles gathered from the tables and checked, each
problem at the row that gave the value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from converter.authoring import body_problem, muscle_from_front_matter, without_reserved
from converter.canonical import named_record
from converter.diagnostics import Diagnostic, MuscleError
from converter.drafts import problems as marker_problems
from converter.model import Muscle
from converter.registry import Place, ReadContext
from converter.slug import is_slug, not_a_slug

from .datapackage import _resources
from .drafts import (
    _ADDERS,
    _GIVES,
    _TABLE_FIELDS,
    _Draft,
    _extra,
    _front,
    _lost,
    _not_lost,
    _RowProblem,
    _Rows,
)
from .layout import PACKAGE_DESCRIPTOR
from .package_rows import _Shown, _table


def read_package(path: Path, ctx: ReadContext) -> Iterator[Muscle]:
    """Yield the muscles of the package described at ``path``, sorted by slug (where
    their values are kept for :func:`package_places`)."""
    try:
        stamps = _stamps(path)  # (before reading: a table changed since is read again)
    except OSError:
        stamps = None
    files, drafts, bad = _gather(path, ctx.report)
    if stamps is not None:
        _remember(path, stamps, files, drafts)
    for slug, draft in sorted(drafts.items()):
        if slug in bad and not draft.lost:  # (one with a bad row is left out, but its
            continue                          # other problems are said: _build)
        muscle = _build(draft, files, ctx)
        if muscle is not None:
            yield muscle


def _gather(path: Path, report_to: Callable[[Diagnostic], None]
            ) -> tuple[dict[str, Path], dict[str, _Draft], set[str]]:
    """The tables of the package described at ``path``, the draft of each muscle (by
    slug, with the rows that gave its values) and the slugs of those left out, whose
    problems went to ``report_to``."""
    files, prefix, delimiters = _resources(path)
    drafts: dict[str, _Draft] = {}

    def report(name: str, line: int | None, problem: _RowProblem) -> None:
        report_to(Diagnostic(str(files[name]), line, None, problem.column, problem.code,
                             problem.message))

    shown: list[_Shown] = []
    rows, bad = _table(files["muscles"], "muscles", report_to, prefix, shown,
                       delimiters.get("muscles"))
    gone = set(bad)  # (its muscles row left out: no muscle to check)
    for line, row in rows:
        slug = row["slug"]
        if not is_slug(slug):
            report("muscles", line, _RowProblem("slug", "bad-slug", not_a_slug(slug)))
            bad.add(slug)  # (its rows in the other tables name it: no unknown-slug)
        elif slug in drafts:
            report("muscles", line, _RowProblem("slug", "duplicate-key", f"{slug!r} twice"))
            bad.add(slug)
            gone.add(slug)
        else:
            drafts[slug] = _Draft(line, row)
    _checked_beside_not_utf8(shown, drafts, gone)
    for name, add in _ADDERS.items():
        rows, ragged = _table(files[name], name, report_to, prefix,
                              declared=delimiters.get(name))
        bad |= ragged
        for slug in ragged.intersection(drafts) - gone:  # (which field, not known)
            drafts[slug].lost += _TABLE_FIELDS[name]
        unknown: dict[str, list[int | None]] = {}  # slug -> lines of its rows
        for line, row in rows:
            draft = drafts.get(row["slug"])
            if draft is None:
                if row["slug"] not in bad:  # (its muscles row was left out: said there)
                    unknown.setdefault(row["slug"], []).append(line)
                continue
            try:
                add(draft, row)
            except _RowProblem as problem:
                report(name, line, problem)
                bad.add(row["slug"])
                if row["slug"] not in gone:
                    draft.lost += _lost(name, row)
                continue
            draft.places.setdefault(name, (name, line))
            gives = _GIVES[name].format(**row)
            # (what it gives, and its item, origin or coords[1]: the first row of it)
            draft.places.setdefault(gives, (name, line))
            draft.places.setdefault(gives.split(".", 1)[0], (name, line))
        for slug, lines in unknown.items():  # (once a table: a muscle has many rows)
            more = f" ({len(lines)} rows name it; this is the first)" if len(lines) > 1 else ""
            report(name, lines[0], _RowProblem("slug", "unknown-slug",
                                               f"no muscle {slug!r} in muscles{more}"))
    return files, drafts, bad


def _checked_beside_not_utf8(shown: list[_Shown], drafts: dict[str, _Draft],
                             gone: set[str]) -> None:
    """A draft of each row of muscles.csv left out for a byte that is not UTF-8
    (``shown``), of a slug no other row gives, so that its other problems and the lints
    of its valid fields are said (:func:`_build`); the columns holding such a byte are
    :attr:`_Draft.lost` (an ``extra`` holding one is read as none)."""
    given = Counter(row["slug"] for _, row, _ in shown)
    for line, row, held in shown:
        slug = row["slug"]
        if not is_slug(slug) or slug in drafts or given[slug] > 1:
            continue
        fields = tuple(sorted(held - {"extra"})) or ("extra",)
        drafts[slug] = _Draft(line, {**row, "extra": "{}"} if "extra" in held else row,
                              lost=fields)
        gone.discard(slug)


def package_places(path: Path) -> Callable[[str], Place | None]:
    """Where a diagnostic about a field (``muscles[<slug>].origin.da``) of the package
    at ``path`` (its folder or descriptor) belongs: the row of the table that gave the
    value (its muscle's row of ``muscles.csv`` for the muscle's own fields), the field
    named as the reader's own problems there are (``origin.da``, an item by the position
    its rows give: ``function[5]``); None when not known."""
    descriptor = path / PACKAGE_DESCRIPTOR if path.is_dir() else path
    try:
        files, rows = _package(descriptor)
    except (OSError, MuscleError):  # (the reader says what is wrong with it)
        return lambda _: None

    def place(field: str) -> Place | None:
        named = named_record(field)
        where = rows.get(named[0]) if named else None
        if named is None or where is None:
            return None
        rest = named[1].removeprefix(".")
        table, line = where.place(rest) or ("muscles", where.line)
        return Place(str(files[table]), line, None, where.by_position(rest))

    return place


_Stamps = tuple[tuple[str, int, int], ...]
#: The last package read or asked about: (descriptor, :func:`_stamps`) -> its tables
#: and where each muscle's values are (one package at a time: lints ask per field).
_KNOWN: dict[tuple[str, _Stamps], tuple[dict[str, Path], dict[str, _Rows]]] = {}


def _stamps(descriptor: Path) -> _Stamps:
    """(path, size, mtime) of a package's descriptor and the files beside it."""
    found = []
    for file in sorted({descriptor, *descriptor.parent.iterdir()}):
        st = file.stat()
        found.append((str(file), st.st_size, st.st_mtime_ns))
    return tuple(found)


def _remember(descriptor: Path, stamps: _Stamps, files: dict[str, Path],
              drafts: dict[str, _Draft]) -> None:
    _KNOWN.clear()
    _KNOWN[str(descriptor), stamps] = files, {s: d.rows() for s, d in drafts.items()}


def _package(descriptor: Path) -> tuple[dict[str, Path], dict[str, _Rows]]:
    """The tables of the package at ``descriptor`` and where each muscle's values are
    in them, as its files are now (read again when one changed)."""
    stamps = _stamps(descriptor)
    known = _KNOWN.get((str(descriptor), stamps))
    if known is None:
        files, drafts, _ = _gather(descriptor, lambda _: None)
        _remember(descriptor, stamps, files, drafts)
        known = _KNOWN[str(descriptor), stamps]
    return known


def _build(draft: _Draft, files: dict[str, Path], ctx: ReadContext) -> Muscle | None:
    """The muscle of a draft, or None with its problems reported, each at the row of
    the table that gave the value, an item named by the position its rows give
    (``function[5]``; problems inside ``extra`` named ``extra.<key>``, a
    draft marker's among them: :func:`converter.drafts.problems`)."""
    muscles = str(files["muscles"])
    front, body, reserved, shapes = _front(draft)
    said = body_problem(body)  # (the row's body, not a key body of its extra)
    bad_body = [] if said is None else [
        Diagnostic(muscles, None, None, "body", "control-character", said)]
    try:
        muscle = muscle_from_front_matter(front, path=muscles, slug_hint=draft.row["slug"],
                                          body=body, check_body=False,
                                          writer_lang=ctx.default_lang)
    except MuscleError as exc:
        failure, found = exc, exc.diagnostics
    else:  # (a draft marker checked here, not after the reader: at its row)
        found = [Diagnostic(muscles, None, None, key, code, message)
                 for key, code, message in marker_problems(muscle.extra)]
        if not found and not bad_body and not reserved and not shapes and not draft.lost:
            return muscle
        failure = MuscleError([], muscle)
    found = [*(Diagnostic(muscles, None, None, problem.column, problem.code,
                          problem.message) for problem in shapes), *found, *bad_body]
    found += ctx.lints(failure, errors=found)  # (its valid fields', in the same run)
    if draft.lost:
        found = _not_lost(found, draft)
    for field_path, code, message in reserved:  # (at the muscle's row, as named)
        ctx.report(Diagnostic(muscles, draft.line, None, field_path, code, message))
    try:
        extra = sorted(without_reserved(_extra(draft.row["extra"]))[0], key=len,
                       reverse=True)
    except _RowProblem:  # (the problem found)
        extra = []
    for d in found:
        if not any(d is b for b in bad_body) and any(
                d.field == k or d.field.startswith((k + ".", k + "[")) for k in extra):
            table, line, d = "muscles", draft.line, d._replace(field=f"extra.{d.field}")
        else:  # (an item named by the position its rows give, as they say it)
            rows = draft.rows()
            table, line = rows.place(d.field) or ("muscles", draft.line)
            d = d._replace(field=rows.by_position(d.field))
        ctx.report(d._replace(path=str(files[table]), line=line, column=None))
    return None
