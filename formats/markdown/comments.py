"""``fmt``'s comment keeping: the comments of a file's front matter carried over to its
canonical layout (ruamel round-trip mode, :mod:`converter.keyedcomments`), and a
refusal where one would be lost."""

from __future__ import annotations

from collections import Counter
from typing import Any

from converter.diagnostics import error
from converter.model import Muscle

from .rendering import render
from .styles import _STEP_IN
from .yamlwriter import _yaml_used


def _render_keeping_comments(muscle: Muscle, data: Any, fm: str, path: str) -> str:
    """The canonical text ``data`` of ``muscle`` with the comments of the front matter
    ``fm``; ``fmt-cannot-keep-comments`` where ruamel's round-trip reader, stricter
    than libyaml in places (a tab after a value), cannot read ``fm``."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        with _yaml_used() as yaml:
            original = yaml.load(fm)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(path, "fmt-cannot-keep-comments", "fmt's comment-keeping YAML reader "
                    f"cannot read this front matter ({exc.problem}); the file is left as "
                    "it is", line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None) from None
    from converter import itemcomments, keyedcomments

    itemcomments.onto_empty_items(original)
    _flow_document_comment(original, fm)
    _flow_document_end(original, fm)
    canonical = _keep_comments(original, _commented(data))
    keyedcomments.trim_start(canonical)
    keyedcomments.trim_end(canonical)
    return render(muscle, data=canonical)


def _flow_document_comment(original: Any, fm: str) -> None:
    """The comment at the end of a front matter ``fm`` written as one flow map
    (``{latin: L, title: T}  # c``) as a line of its own above the first key, the lines
    after it at the end: ruamel holds it as the map's start, and would write it there
    indented as far as it was, on a line of spaces before it. The comment lines above
    the map (``# top``), which ruamel's reader drops for it, go back above it."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    start = original.ca.comment if isinstance(original, CommentedMap) \
        and original.fa.flow_style() else None
    if not start or start[0] is None or not start[0].value.startswith("#"):
        return
    comment, _, rest = start[0].value.partition("\n")
    start[0] = None
    start[1] = [*([] if start[1] else _flow_document_top(fm)),
                CommentToken(f"{comment}\n", CommentMark(0)), *(start[1] or [])]
    if rest:
        original.ca.end = [CommentToken(rest, CommentMark(0)), *(original.ca.end or [])]


def _flow_document_top(fm: str) -> list[Any]:
    """The comment lines above a front matter ``fm`` written as one flow map (blank
    lines among them kept), as ruamel holds them at the map's start where no comment
    ends its line; none where anything else comes before the map."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    from converter import yamlsafe

    root = yamlsafe.compose(fm)
    if root is None:
        return []
    above = fm[:fm.rfind("\n", 0, root.start_mark.index) + 1]
    lines = above.split("\n")
    if not above.strip() or any(line.strip() and not line.lstrip().startswith("#")
                                for line in lines):
        return []
    return [CommentToken(above, CommentMark(0))]


def _flow_document_end(original: Any, fm: str) -> None:
    """The comment lines after a front matter ``fm`` written as one flow map with no
    comment at the end of its line (``{title: T}`` then ``# note``), which ruamel's
    reader drops, at the map's end: where it holds them after a map with such a comment
    (:func:`_flow_document_comment`)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if not isinstance(original, CommentedMap) or not original.fa.flow_style() \
            or original.ca.end or (original.ca.comment and original.ca.comment[0]):
        return
    from converter import yamlsafe

    root = yamlsafe.compose(fm)
    if root is None:
        return
    below = fm[root.end_mark.index:].partition("\n")[2]
    lines = below.split("\n")
    if not any(lines) or any(line.strip() and not line.lstrip().startswith("#")
                             for line in lines):
        return
    original.ca.end = [CommentToken(below if below.endswith("\n") else f"{below}\n",
                                    CommentMark(0))]


def _check_comments_kept(old: list[tuple[int, int, str]], new: str, path: str) -> None:
    """Refuse (``fmt-would-drop-comment``, at the first such comment) when a comment of
    the old front matter (``old``: its comments) is not in ``new``: fmt never loses what
    authors wrote."""
    from converter import yamlsafe

    left = Counter(text for _, _, text in yamlsafe.comments(new))
    for line, column, text in old:
        if left[text] == 0:
            raise error(path, "fmt-would-drop-comment",
                        f"fmt has no place for the comment {text!r} in the canonical "
                        "layout (its value is not written there, or ruamel.yaml, which "
                        "keeps the comments, cannot hold it there); the file is left as "
                        "it is", line=line + 1, column=column + 1)
        left[text] -= 1


def _commented(value: Any) -> Any:
    """Plain dicts and lists -> ruamel's commented containers (scalars as they are), so
    comments can be attached and the writer's own representers still apply."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _keep_comments(original: Any, canonical: Any, above: list[Any] | None = None, *,
                   document: bool = True, column: int = 0, below: int = 0) -> Any:
    """Carry comments from ``original`` over to the equal-valued parts of ``canonical``
    (``above``: a map value's comment list in its parent map, ``document``: whether
    ``original`` is the whole front matter, ``column``: where fmt writes its keys, or
    its dashes, ``below``: the column of the line below ``original``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from converter import keyedcomments

    if isinstance(original, CommentedMap) and isinstance(canonical, CommentedMap):
        _keep_map_comments(original, canonical, above, document=document, column=column,
                           below=below)
    elif isinstance(original, CommentedSeq) and isinstance(canonical, CommentedSeq):
        if original.ca.comment:
            canonical.ca.comment = original.ca.comment
        if original.ca.end:  # after the last item: a "- # note" item's comment is here
            canonical.ca.end = original.ca.end
        for i in range(min(len(original), len(canonical))):
            if i in original.ca.items:
                canonical.ca.items[i] = keyedcomments.off_block(
                    _fitting(original.ca.items[i], canonical[i]), 0, original[i],
                    canonical[i])
            canonical[i] = _keep_comments(
                original[i], canonical[i], document=False, column=column + _STEP_IN,
                below=below if i == len(original) - 1 else original.lc.col)
            keyedcomments.lift(original, canonical, i, column)
            keyedcomments.onto_first_line(original, canonical, i)
    return canonical


def _keep_map_comments(original: Any, canonical: Any, above: list[Any] | None, *,
                       document: bool, column: int, below: int) -> None:
    """:func:`_keep_comments` of a map: where its keys are reordered, the comment lines
    above each key go with it, and those after its last entry stay at its end, as do
    those indented into a block value at the block's end; the lines after a value that
    is written anew as a block follow the block
    (:mod:`converter.keyedcomments`)."""
    from converter import keyedcomments

    end: list[str] = []
    tails: dict[Any, list[str]] = {}
    if keyedcomments.reordered(original, canonical):
        end, tails = keyedcomments.detach(original, canonical, above, document=document,
                                          below=below)
    if original.ca.comment:
        canonical.ca.comment = original.ca.comment
    if original.ca.end:  # after the last entry (of a null value, "key:" with no value)
        canonical.ca.end = original.ca.end
    for key in canonical:
        slot = original.ca.items.get(key)
        after = keyedcomments.cut_reshaped(original, canonical, key)
        if slot is not None:
            canonical.ca.items[key] = keyedcomments.off_block(
                _fitting(slot, canonical[key]), 2, original.get(key), canonical[key])
            keyedcomments.below_key(original, canonical, key)
        if key in original:
            canonical[key] = _keep_comments(
                original[key], canonical[key], slot, document=False,
                column=column + _STEP_IN,
                below=below if key == next(reversed(original)) else original.lc.col)
            keyedcomments.share_start(canonical, key)
            keyedcomments.trim_opening(canonical, key)
        keyedcomments.attach_end(canonical[key], after)
        if key in tails:
            keyedcomments.attach_tail(original[key], canonical[key], tails[key])
        keyedcomments.to_header(original, canonical, key)
    keyedcomments.attach_end(canonical, end)


def _fitting(comments: list[Any], value: Any) -> list[Any]:
    """ruamel's comments of an item that can go with its canonical ``value``: a block
    scalar's header comment (``key: | # note``, held as text, not a token) only with a
    block scalar; ruamel fails on it anywhere else, so it is left out there (and fmt
    refuses to drop it, at it), the lines above the key kept."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    header = [isinstance(part, list) and any(isinstance(c, str) for c in part)
              for part in comments]
    if not any(header) or isinstance(value, LiteralScalarString | FoldedScalarString):
        return comments  # (itself: a nested map's first lines are cut from it)
    return [None if cut else part for cut, part in zip(header, comments, strict=True)]
