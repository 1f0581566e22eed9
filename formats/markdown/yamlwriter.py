"""The writer's ruamel.yaml instances: one a thread, made with this package's
representers and emitter, forgotten when a use of it fails."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any

from .emitter import _emitter
from .representers import _representer
from .styles import _STEP_IN

#: No folding: one line per value, as authors write it (ruamel folds a long plain text at
#: a space, and a run of spaces folded there reads back one space short).
_WIDTH = sys.maxsize

#: Each thread's ruamel.yaml instances, by width (see :func:`_yaml`).
_PER_THREAD = threading.local()


def _yaml(width: int = _WIDTH) -> Any:
    """This thread's ruamel.yaml instance: one a file cost 5.7 kB that only the cyclic
    collector frees, and a run pauses it (170 MB over 20,000 files); one a process broke
    threads writing at once (an instance holds the document it is emitting or reading:
    ``EmitterError: expected NodeEvent``)."""
    made: dict[int, Any] = _PER_THREAD.__dict__.setdefault("instances", {})
    if width not in made:
        made[width] = _new_yaml(width)
    return made[width]


@contextlib.contextmanager
def _yaml_used(width: int = _WIDTH) -> Iterator[Any]:
    """This thread's instance (:func:`_yaml`), forgotten when its use fails in any way (a
    value it cannot represent, a ``KeyboardInterrupt``): ruamel does not reset it then,
    and its next dump would go into the failed one's stream, leaving the file's front
    matter empty."""
    try:
        yield _yaml(width)
    except BaseException:
        _PER_THREAD.__dict__.get("instances", {}).pop(width, None)
        raise


def _new_yaml(width: int) -> Any:
    """A ruamel.yaml instance writing the layout of muscle files, ``width`` wide (and
    reading front matter for fmt), with ruamel's own tables: no caller's registration on
    ruamel's classes reaches it (:mod:`converter.ruamelown`)."""
    from ruamel.yaml import YAML

    from converter import ruamelown

    y = YAML(typ="rt")
    y.Resolver = ruamelown.Resolver
    y.Constructor = ruamelown.Constructor
    y.Representer = _representer()  # (before y.representer, which makes one of it)
    y.Emitter = _emitter()
    y.allow_unicode = True
    y.width = width
    y.indent(mapping=_STEP_IN, sequence=2 * _STEP_IN, offset=_STEP_IN)
    return y
