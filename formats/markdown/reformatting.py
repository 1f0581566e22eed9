"""``fmt``'s reformatting: a file in the canonical layout, passes until a layout with
comments settles, the file's line ends kept, and its refusals (a value it would
change, too many comments, a layout that never settles)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from converter import drafts
from converter.authoring import front_matter_from_muscle
from converter.diagnostics import Diagnostic, MuscleError, error
from converter.model import Muscle
from converter.registry import ReadContext
from converter.slug import slugify

from .comments import _check_comments_kept, _render_keeping_comments
from .frontmatter import _LINE_END, decode, split
from .parsing import _built, _load, parse
from .reading import _hint, _language, _misread
from .rendering import _literal_blocks, render
from .styles import _AsWritten

if TYPE_CHECKING:
    from converter import yaml11

#: Passes fmt makes at most after the first, for a layout with comments to settle (each
#: one tells whether the layout before it is kept).
_PASSES = 3
#: Comments fmt keeps in one file at most (ruamel.yaml joins a run of comment lines by
#: adding each to the text of those before it: 80,000 lines take 4 s, 1,000,000 minutes).
MAX_COMMENTS = 10_000


def _line_ends_kept(text: str, new: str, path: str) -> str:
    """The layout ``new`` (``\\n`` line ends) of the file ``text`` (as written) with
    ``text``'s body, and its front matter's line ends (its delimiters' included) those
    most of ``text``'s front matter lines end in (``\\n`` where as many end in
    another)."""
    body = split(text, path)[1]
    ends = Counter(_LINE_END.findall(text, 0, len(text) - len(body)))
    end = max(("\n", "\r\n", "\r"), key=lambda kind: ends[kind])
    front = new[:len(new) - len(split(new, path)[1])]
    return front.replace("\n", end) + body


def _settled(raw: bytes, path: str, ctx: ReadContext) -> str:
    """:meth:`MarkdownFormat.reformat`'s layout, with ``\\n`` line ends (plain texts in
    the language the file's name gives, else the run's ``--default-lang``)."""
    text, language = decode(raw, path), _language(path, ctx.default_lang)
    new = _reformat(text, path, language)
    for _ in range(_PASSES):
        if new == text or "#" not in split(new, path)[0]:
            return new
        try:
            text, new = new, _reformat(new, path, language)
        except MuscleError as exc:
            raise _unsettled(raw, path, exc.diagnostics[0].message) from None
    if new == text:
        return new
    raise _unsettled(raw, path, "the comments move on every pass")


def _reformat(text: str, path: str, default_lang: str) -> str:
    """One pass of :meth:`MarkdownFormat.reformat`."""
    fm, body = split(text, path)
    front, node, keys = _load(fm, path)
    hint = _hint(path)
    muscle = _built(fm, front, node, body, path, hint, default_lang, keys=keys)
    markers = drafts.keys_in(muscle.extra)  # (quoted, a marker is validate's error)
    found_all = _misread(muscle, fm)
    plain = [found for found in found_all if found.kept_plain()  # (a draft marker is true
             and not (found.steps[:1] and found.steps[0] in markers)]  # or false: a
    # date there, published: off, is validate's error, refused)
    misread = [found for found in found_all if found not in plain and (
        not found.kept_by_fmt() or found.kept_plain())
               and (found.quotes() or found.field not in markers)]  # (draft: ! true is
    if misread:  # a draft to Hugo written draft: true too)
        raise MuscleError([Diagnostic(
            path, found.line + 1, found.column + 1, found.field, "fmt-would-change",
            f"{found.message()}; fmt would {found.changed_by_fmt()} and change what they "
            "read: write "
            f"{drafts.advice(found.field) if found.field in markers else found.instead()}")
            for found in misread])
    data: Any = _plain_kept(_literal_blocks(front_matter_from_muscle(muscle, default_lang)),
                            plain)
    if "slug" in front or muscle.slug != slugify(hint):
        data = {"slug": _slug_written(fm, front, muscle.slug), **data}
    if "#" not in fm:
        return render(muscle, data=data)
    from converter import yamlsafe

    found = yamlsafe.comments(fm)
    if len(found) > MAX_COMMENTS:
        line, column, _ = found[MAX_COMMENTS]
        raise error(path, "fmt-too-many-comments", f"has {len(found)} comments; fmt keeps "
                    f"{MAX_COMMENTS} at most (the time its comment-keeping reader takes "
                    "grows with the square of a run of comment lines); the file is left as "
                    "it is", line=line + 1, column=column + 1)
    new = _render_keeping_comments(muscle, data, fm, path)
    try:
        again = parse(new, path, hint, default_lang)
    except MuscleError as exc:  # (ruamel.yaml wrote what reads as no YAML)
        line, column, _ = found[0]
        raise error(path, "fmt-cannot-keep-comments", "fmt's comment-keeping YAML writer "
                    "(ruamel.yaml) would put this front matter's comments into text that "
                    f"reads as no YAML ({exc.diagnostics[0].message}); the file is left as "
                    "it is", line=line + 1, column=column + 1) from None
    if again != muscle:
        raise _would_change(path, fm, front, split(new, path)[0],
                            (muscle, again), default_lang)
    _check_comments_kept(found, split(new, path)[0], path)
    return new


def _plain_kept(data: dict[str, Any], plain: list[yaml11.Misread]) -> dict[str, Any]:
    """``data`` (the layout fmt writes) with each plain text of ``plain`` that a reader
    reads as no text (:meth:`~converter.yaml11.Misread.kept_plain`: ``comments: off``,
    ``date: 2026-12-07T23:54:43Z`` as ``hugo new`` writes it) written plain as it was,
    not quoted as the writer quotes such a text: quoted, Jekyll and Hugo would read the
    text, not false or the time."""
    for found in plain:
        *path, last = found.steps
        holder: Any = data
        for step in path:
            holder = holder[step]
        if not found.key:
            holder[last] = _AsWritten(found.text)
        else:  # (a key: its map anew, in its order)
            pairs = [(_AsWritten(found.text) if k == last else k, v)
                     for k, v in holder.items()]
            holder.clear()
            holder.update(pairs)
    return data


def _would_change(path: str, fm: str, front: Any, new: str,
                  muscles: tuple[Muscle, Muscle], default_lang: str) -> MuscleError:
    """``fmt-would-change`` of the front matter ``fm`` (loaded: ``front``), whose muscle
    fmt's layout with comments kept (``new``) reads back as another (``muscles``: the
    file's, then that one): at the key of the first field whose value differs, where the
    file has it, else at the first line of ``fm`` that ``new`` does not keep."""
    was, then = ({"slug": m.slug, **front_matter_from_muscle(m, default_lang),
                  None: m.body} for m in muscles)  # (None: the body, no key)
    key = next((k for k in [*was, *then] if was.get(k) != then.get(k)), None)
    from converter import yamlsafe

    found = yamlsafe.locate(fm, (key,), key=True) if key is not None and key in front else None
    if found is None:
        key, old = None, fm.split("\n")
        found = (next((at for at, (a, b) in enumerate(zip(old, new.split("\n"), strict=False))
                       if a != b), min(len(old) - 1, new.count("\n") + 1)), 0)
    return error(path, "fmt-would-change", "fmt would change the muscle's data with its "
                 "comments kept; the file is left as it is", field=key or "",
                 line=found[0] + 1, column=found[1] + 1)


def _slug_written(fm: str, front: Any, slug: str) -> Any:
    """The ``slug`` key fmt writes of the front matter ``fm`` (loaded: ``front``) of a
    muscle whose slug is ``slug``: its own, which Hugo and Jekyll make the page's address
    of (``slug: Rectus Femoris`` too: written rectus-femoris, the address could change),
    as written on its line (plain ``1_000`` is 1000 to Jekyll, ``"1_000"`` is not), else
    ``slug``."""
    if "slug" not in front:
        return _literal_blocks(slug)
    from converter import yamlsafe

    root = yamlsafe.compose(fm)
    pairs = root.value if root is not None and root.tag.endswith(":map") else []
    for key, value in reversed(pairs):  # (the last of a key given twice is read)
        if getattr(key, "value", None) == "slug" and getattr(value, "style", 1) in (
                None, "", "'", '"'):  # (plain: "" or None)
            text = fm[value.start_mark.index:value.end_mark.index]
            if "\n" not in text and (text[:1] == value.style == text[-1:]
                                     or (not value.style and text == value.value)):
                return _AsWritten(text)
            break
    return _literal_blocks(str(front["slug"]))


def _unsettled(raw: bytes, path: str, why: str) -> MuscleError:
    """``fmt-unsettled``, at the file's first comment that ``why`` quotes (else its
    first comment): its layout with comments kept would not be kept by the next fmt."""
    from converter import yamlsafe

    found = yamlsafe.comments(split(decode(raw, path), path)[0])
    line, column, _ = next((c for c in found if repr(c[2]) in why),
                           found[0] if found else (0, 0, ""))
    return error(path, "fmt-unsettled", "fmt cannot give this file's comments a place "
                 f"that a second fmt keeps ({why}); the file is left as it is",
                 line=line + 1, column=column + 1)
