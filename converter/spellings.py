"""How diagnostics name options: as the command line, the Python API or a config file
does (:class:`Spelling`), the call's spelling kept in this thread and the threads it
starts."""

from __future__ import annotations

import contextlib
import contextvars
import shlex
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

#: The Python API's name of each option the command line names otherwise (``--to``,
#: ``--from``: the ``format`` of ``read()`` and ``write()``).
_KEYWORDS = {"to": "format", "from": "format"}


#: What bash's ``$'...'`` quoting writes as an escape (:meth:`Spelling.typed`).
_BASH_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\", "'": "\\'"}


@dataclass(frozen=True)
class Spelling:
    """How a diagnostic names an option: as the caller gives it, the command line's
    flag (``--flat``, ``--to json``) or the Python API's keyword (``flat=True``,
    ``format='json'``). Options are named as :class:`FormatOption` names them
    (``link_template``), and ``to`` and ``from`` as the command line's. A format asks
    :func:`spelling` for the one of the run; it never needs to know which it is."""

    keywords: bool = False
    #: Whether the caller can name a format to read (``--from``, ``format=``): ``fmt``
    #: cannot, it rewrites only the formats that can be formatted.
    names_formats: bool = True
    #: Whether the value is a config file's (``muscle-convert.toml``): typed in TOML,
    #: each option named as its key (``size``, ``to = "json"``) but those of ``flags``.
    toml: bool = False
    #: (With ``toml``) the options given on the command line: named as flags there.
    flags: frozenset[str] = frozenset()

    def option(self, name: str) -> str:
        """The option itself (a diagnostic's path or field): ``--link-template``, or
        ``link_template``; a config file's key ``link-template``."""
        if self.keywords:
            return _KEYWORDS.get(name, name)
        if self.toml and name not in self.flags:
            return name.replace("_", "-")
        return "--" + name.replace("_", "-")

    def given(self, name: str, value: Any = True, *, quoted: bool = False) -> str:
        """The option given ``value`` (True: a flag): ``--flat``, ``--to json`` (with
        ``quoted``, the value as Python shows it: ``--link-template 'x'``); or
        ``flat=True``, ``format='json'``; in a config file ``flat = true``, and None,
        which TOML has no value for (``x = null`` does not load), as the key left out,
        a comment that says so (``# remove x``)."""
        if self.keywords:
            return f"{self.option(name)}={value!r}"
        if self.toml and name not in self.flags:
            if value is None:  # (a key left out is unset: TOML has no null)
                return f"# remove {self.option(name)}"
            return f"{self.option(name)} = {_toml(value)}"
        shown = "" if value is True else f" {value!r}" if quoted else f" {value}"
        return self.option(name) + shown

    def offered(self, name: str, value: Any = True) -> str:
        """The option offered as a way out, :meth:`given`: ``pass --flat``, ``pass
        flat=True``; in a config file ``set flat = true`` (a key is set, not passed),
        and None ``remove x`` (the key left out)."""
        in_file = self.toml and name not in self.flags and not self.keywords
        if in_file and value is None:
            return f"remove {self.option(name)}"
        return f"{'set' if in_file else 'pass'} {self.given(name, value)}"

    def typed(self, name: str, value: str) -> str:
        """How the caller types the option given ``value``, a text that holds a control
        character (a tab): ``--separator $'\\t' in bash``, or ``separator='\\t'``; in a
        config file ``separator = "\\t"`` (but for an option of ``flags``, typed on the
        command line: as the command line types it)."""
        if self.keywords:
            return self.given(name, value)
        if self.toml and name not in self.flags:
            return self.given(name, value)
        shown = "".join(_BASH_ESCAPES.get(c) or (c if c.isprintable() else
                                                 f"\\U{ord(c):08x}") for c in value)
        return f"{self.option(name)} $'{shown}' in bash"

    def naming(self, fmt: str) -> str:
        """How the caller names the format ``fmt`` to read or write it: ``--from or --to
        json``, or ``format='json'``."""
        if self.keywords:
            return self.given("from", fmt)
        return f"{self.option('from')} or {self.given('to', fmt)}"

    def asked(self, name: str) -> str:
        """The option asked for, its value the caller's to choose: ``--from``, or
        ``format=``."""
        return self.option(name) + ("=" if self.keywords else "")

    def writing(self, fmt: str, path: str) -> str:
        """How the caller writes the format ``fmt`` to ``path``: ``--to sqlite -o m.db``,
        or ``write(muscles, 'm.db')``."""
        if self.keywords:
            return f"write(muscles, {path!r})"
        return f"--to {fmt} -o {shlex.quote(path)}"

    def together(self, *given: str) -> str:
        """Options given together (each :meth:`given`): ``--to csv --flat``, or
        ``format='csv', flat=True``."""
        return (", " if self.keywords or self.toml else " ").join(given)


_INFINITY = float("inf")


def _toml(value: Any) -> str:
    """``value`` as a config file types it, in TOML: a text as a basic string on one
    shown line (:func:`~converter.diagnostics.toml_quoted`: DEL, C1 controls, ``\\u2028``
    escaped as ``\\u`` and four hex digits, a lone surrogate U+FFFD), a list of them
    likewise, true and false and a number as JSON writes them, but infinity and NaN as
    TOML does (``inf``, ``-inf``, ``nan``: JSON's ``Infinity`` and ``NaN`` are no
    TOML). Anything else, a None in a list or a map among them (JSON's ``null`` and
    ``{"a": 1}`` are no TOML), is a ``TypeError``: no line of TOML holds it
    (:meth:`Spelling.given` writes a None of its own as the key left out)."""
    if isinstance(value, float) and not -_INFINITY < value < _INFINITY:
        return "nan" if value != value else "inf" if value > 0 else "-inf"
    if isinstance(value, str):
        from .diagnostics import toml_quoted

        return toml_quoted(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if not isinstance(value, bool | int | float):
        raise TypeError(f"a config file has no value for {type(value).__name__} "
                        f"{value!r}: TOML's are text, numbers, true, false and lists")
    import json

    return json.dumps(value, ensure_ascii=False)


#: The command line's spelling, every run's unless :func:`spelled` says another.
COMMAND_LINE = Spelling()
#: The Python API's (``converter.read``, ``converter.write``).
PYTHON_API = Spelling(keywords=True)
#: ``fmt``'s: the command line's, with no ``--from``.
FMT_COMMAND = Spelling(names_formats=False)
#: A config file's values, as the command line names its options but typed in TOML.
CONFIG_FILE = Spelling(toml=True)
_SPELLING: ContextVar[Spelling] = ContextVar("spelling", default=COMMAND_LINE)


def spelling() -> Spelling:
    """How the diagnostics of the call in progress name options (the command line's
    unless :func:`spelled` is in force in this thread, or was where the worker process
    running this was started: :func:`~converter.workers.worker_pool`, or the thread
    running this: :func:`start_thread`)."""
    return _SPELLING.get()


@contextlib.contextmanager
def spelled(how: Spelling) -> Iterator[None]:
    """Name options ``how`` says, in this thread, until the block ends."""
    token = _SPELLING.set(how)
    try:
        yield
    finally:
        _SPELLING.reset(token)


def start_thread(target: Callable[..., object], *args: Any, name: str | None = None,
                 daemon: bool = False) -> threading.Thread:
    """Start a thread that runs ``target(*args)`` in a copy of the calling thread's
    context, so that :func:`spelling` there is the call's (a thread started bare has
    the command line's, whoever called). For a format that does work in threads of
    its own; the thread is returned started, to be joined."""
    thread = threading.Thread(target=contextvars.copy_context().run, args=(target, *args),
                              name=name, daemon=daemon)
    thread.start()
    return thread


def spell(how: Spelling) -> None:
    """Name options ``how`` says in this thread from now on: a worker process's (of
    ``--jobs``), which works for the call whose spelling it was started with."""
    _SPELLING.set(how)
