"""What a third party's format prints goes to standard error: standard output is
muscle-convert's own (``-o -``, ``validate --format json``), where a plugin's
``print()`` as it is imported, or in its reader, writer or hooks, would corrupt it.
It goes there a whole line at a time, so that the lines of threads and worker processes
printing at once do not break into each other's."""

from __future__ import annotations

import functools
import os
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
F = TypeVar("F")

#: Guards :data:`_HELD`: threads that run plugin code at once share one router.
_LOCK = threading.Lock()
#: [how many sections of plugin code run now, in all threads].
_HELD: list[int] = [0]
#: How deep in sections of plugin code this thread is (``depth``).
_THREAD = threading.local()
#: The ``threading.get_ident()`` of each thread started from within plugin code
#: (:func:`_start`), for as long as it runs: what it prints goes to standard error
#: while some section of plugin code runs (:func:`_routing`). It holds no section of
#: its own: one that outlived the call that started it kept the router
#: ``sys.stdout`` (and ``Thread.start`` ours) until it ended, and its end then put back
#: the output saved at the start over what the caller had set since.
_ROUTED: set[int] = set()
#: ``threading.Thread.start`` as it was before :func:`_start` last stood for it.
_STARTS: list[Callable[[threading.Thread], None]] = [threading.Thread.start]
#: Every router that has stood as ``sys.stdout``, by the ``id`` of the standard output it
#: stands for (which it keeps): one is never freed. ``print()`` in another thread uses
#: the ``sys.stdout`` it looked up without holding it, so a router made at each
#: section's start and dropped at its end was freed under it (the process crashed).
_ROUTERS: dict[int, _Router] = {}
#: The most of a line (characters) a thread's section holds back before it writes it
#: out unfinished: a line that long is split, as a buffered stream's would be.
_LONGEST_LINE = 8192


class _Router:
    """``sys.stdout`` while plugin code runs in some thread: each write goes, as the
    thread that makes it stands, to standard error from within a section of plugin code
    (or from a thread plugin code started, :func:`_routing`) and to the standard output
    it stands for from anywhere else (another thread's own output,
    ``converter.write(ms, "-")`` beside a plugin reading, stays output).

    To standard error it goes a whole line at a time, in one write: ``print`` writes its
    words, the spaces and the newline one by one, and where standard error is not
    buffered (``PYTHONUNBUFFERED``, ``python -u``) the pieces of two threads' or two
    worker processes' lines came out mixed. A thread's unfinished line is held back
    until its newline, until the thread flushes, until anything else is asked of the
    stream (its ``buffer``, its ``fileno()``) or until its section ends
    (:func:`_write_held`); one longer than :data:`_LONGEST_LINE` goes out as it
    comes."""

    def __init__(self, stdout: Any) -> None:
        self._stdout = stdout

    def write(self, text: str) -> int:
        """Write ``text`` where this thread's writes go: to standard error, whole lines
        alone (the rest held back for this thread)."""
        if not _routing():
            return self._stdout.write(text)
        if not isinstance(text, str):  # (refused by standard error as ever)
            _write_held()
            return sys.stderr.write(text)
        held = getattr(_THREAD, "held", "") + text
        end = len(held) if len(held) >= _LONGEST_LINE else held.rfind("\n") + 1
        _THREAD.held = held[end:]
        if end:
            sys.stderr.write(held[:end])
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        """Write each of ``lines`` (:meth:`write`)."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush where this thread's writes go, a line it holds back written first."""
        if _routing():
            _write_held()
            sys.stderr.flush()
        else:
            self._stdout.flush()

    def __getattr__(self, name: str) -> Any:
        if not _routing():
            return getattr(self._stdout, name)
        _write_held()  # (what goes by another way, its buffer or descriptor, comes after)
        return getattr(sys.stderr, name)


def _routing() -> bool:
    """Whether what this thread prints now goes to standard error: it runs plugin code
    (a section of its own), or it is a thread started from within plugin code while
    some section runs (:data:`_ROUTED`)."""
    return bool(getattr(_THREAD, "depth", 0)
                or (_HELD[0] and threading.get_ident() in _ROUTED))


def _router_for(stdout: Any) -> _Router:
    """The router standing for ``stdout``, one of :data:`_ROUTERS` (made the first
    time: called with :data:`_LOCK` held)."""
    router = _ROUTERS.get(id(stdout))
    if router is None:
        router = _ROUTERS[id(stdout)] = _Router(stdout)
    return router


def _install() -> None:
    """As a thread's section starts: a router of :data:`_ROUTERS` ``sys.stdout``, unless
    one stands already. Another thread may set ``sys.stdout`` itself meanwhile (its
    ``redirect_stdout``): the router is made first, and between the last look at
    ``sys.stdout`` and the swap there is no call, so under the GIL no other thread's
    code runs there and what it sets is never overwritten unseen."""
    while True:
        stdout = sys.stdout
        if stdout.__class__ is _Router:
            return
        router = _router_for(stdout)
        if sys.stdout is stdout:  # (no call from here to the swap)
            sys.stdout = router
            return


def _give_back() -> None:
    """As the last section ends: ``sys.stdout`` the standard output it stands for if it
    is one of :data:`_ROUTERS` still, else as another thread set it since (its
    ``contextlib.redirect_stdout``, which one ending section replaced by the output
    saved at the first's start: what it captured went there; or the end of one that
    began within a section, which left a ``StringIO`` ``sys.stdout`` for good)."""
    stdout = sys.stdout  # (no call from here to the swap: no other thread runs between)
    if stdout.__class__ is _Router:
        sys.stdout = stdout._stdout


def _write_held() -> None:
    """Write out to standard error the unfinished line this thread's section holds back
    (see :class:`_Router`), if any."""
    held = getattr(_THREAD, "held", "")
    if held:
        _THREAD.held = ""
        sys.stderr.write(held)


@contextmanager
def printing_to_stderr() -> Iterator[None]:
    """Within it, what plugin code run in this thread prints (``print()``,
    ``sys.stdout.write``) goes to standard error, through a :class:`_Router` standing as
    ``sys.stdout``, and so does a thread it starts while some section runs
    (:func:`_start`); other threads print as ever. Each whole line goes in one write, an
    unfinished one as the section ends. Sections may nest, and overlap in threads:
    ``sys.stdout`` (and ``threading.Thread.start``) is given back when the last
    ends, if a router stands there still (:func:`_give_back`)."""
    depth = getattr(_THREAD, "depth", 0)
    if depth:  # (nested in this thread's section: the router stays until that one ends)
        _THREAD.depth = depth + 1
        try:
            yield
        finally:
            _THREAD.depth = depth
        return
    with _LOCK:
        _install()
        if _HELD[0] == 0 and threading.Thread.start is not _start:
            _STARTS[0] = threading.Thread.start
            threading.Thread.start = _start  # type: ignore[method-assign]
        _HELD[0] += 1
    _THREAD.depth = getattr(_THREAD, "depth", 0) + 1
    try:
        yield
    finally:
        try:
            _write_held()  # (a line left unfinished goes out as the section ends)
        finally:
            _THREAD.depth -= 1
            with _LOCK:
                _HELD[0] -= 1
                if _HELD[0] == 0:
                    _give_back()
                    if threading.Thread.start is _start:  # (else another's stands for it)
                        threading.Thread.start = _STARTS[0]  # type: ignore[method-assign]


def _after_fork_in_child() -> None:
    """In a process just forked (``os.fork``, multiprocessing's fork and a pool's worker
    started in place of a dead one): the router as the one thread it holds stands. The
    parent's other threads are not there to give back a :data:`_LOCK` one held as it
    forked (entering or ending a section), which the child's first section waited for
    for good, nor to end the sections they ran, which kept the router as ``sys.stdout``
    for good: the lock is a new one, the sections are this thread's alone (given back
    as ever when the last ends, now if it is in none), and an unfinished line it held
    back is dropped: it is the parent's, which writes it out."""
    global _LOCK
    _LOCK = threading.Lock()
    if getattr(_THREAD, "held", ""):
        _THREAD.held = ""
    ours = threading.get_ident() in _ROUTED
    _ROUTED.clear()
    if ours:  # (the parent's other threads are not the child's)
        _ROUTED.add(threading.get_ident())
    sections = 1 if getattr(_THREAD, "depth", 0) else 0
    if _HELD[0] and not sections:
        _give_back()
        if threading.Thread.start is _start:
            threading.Thread.start = _STARTS[0]  # type: ignore[method-assign]
    _HELD[0] = sections


if hasattr(os, "register_at_fork"):  # (not on Windows, which has no fork)
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _start(thread: threading.Thread) -> None:
    """``threading.Thread.start`` while plugin code runs in some thread: a thread started
    from within plugin code (one a plugin starts in its ``read()``, or a thread so
    started starts) is one of :data:`_ROUTED` for as long as it runs, what it prints
    going to standard error while some section runs (once the call that started it
    has returned and no other runs, to standard output); any other starts as ever
    (your program's own threads print to its output)."""
    if _routing():
        run = thread.run

        def routed_run() -> None:
            ident = threading.get_ident()
            _ROUTED.add(ident)
            try:
                run()
            finally:
                try:
                    _write_held()
                finally:
                    _ROUTED.discard(ident)

        thread.run = routed_run  # type: ignore[method-assign]
    _STARTS[0](thread)


def each_printing_to_stderr(items: Iterable[T]) -> Iterator[T]:
    """``items`` (a plugin's reader's muscles, made as they are asked for), each made
    :func:`printing_to_stderr`."""
    with printing_to_stderr():
        found = iter(items)
    while True:
        with printing_to_stderr():
            try:
                item = next(found)
            except StopIteration:
                return
        yield item


#: Special methods the core calls on a format without naming them: its truth (``if
#: owner``), as a key (a dict of formats), in words, and every attribute it reads.
_IMPLICIT = ("__bool__", "__len__", "__eq__", "__ne__", "__hash__", "__repr__", "__str__",
             "__format__", "__getattribute__", "__getattr__")


def routed(fmt: F) -> F:
    """``fmt`` (a third party's format, just loaded) with each member of
    :class:`~converter.formatbase.Format` its classes define that runs their code when
    read or called (a property such as ``can_read`` or ``description``, a method such as
    ``projected`` or ``places_file``, a special method of :data:`_IMPLICIT`) made
    :func:`printing_to_stderr`, wherever the core reads or calls it: its class is made a
    subclass of its own of the same name and module holding them, made without running
    the plugin's code (its metaclass's ``__new__``/``__init__``, its
    ``__init_subclass__``: :func:`_unannounced`); it is still among its class's
    ``__subclasses__()``. One whose class cannot be derived from is given back as it
    is."""
    from .formatbase import Format

    cls = type(fmt)
    members: dict[str, Any] = {}
    for name in [n for n in vars(Format) if not n.startswith("__")] + list(_IMPLICIT):
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner not in (None, Format, object):
            member = _routed_member(vars(owner)[name],
                                    name in _IMPLICIT or callable(vars(Format)[name]))
            if member is not None:
                members[name] = member
    if not members:
        return fmt
    if "__eq__" in members and "__hash__" not in members:  # (else the class is unhashable)
        members["__hash__"] = cls.__hash__
    members.update(__slots__=(), __module__=cls.__module__, __qualname__=cls.__qualname__,
                   __doc__=cls.__doc__)
    try:  # (type.__new__ itself: its metaclass's __new__ and __init__ are not run)
        fmt.__class__ = type.__new__(type(cls), cls.__name__, (_unannounced(), cls),
                                     members)
    except Exception:  # (a class that refuses a subclass may raise anything: as it is)
        return fmt
    return fmt


@functools.cache
def _unannounced() -> type:
    """The first base of the class :func:`routed` makes, a :class:`Format` adding
    nothing (so the class has its plugin's class's layout) but an
    ``__init_subclass__`` (the one ``type.__new__`` calls) that does nothing: that of
    the plugin's classes is not run on a class it never defined (one recording its
    subclasses held its own twice)."""
    from .formatbase import Format

    def __init_subclass__(cls: type, **kwargs: Any) -> None:
        """Nothing: the class is the core's, not the plugin's."""

    return type("_Unannounced", (Format,), {
        "__slots__": (), "__module__": __name__,
        "__init_subclass__": classmethod(__init_subclass__)})


def _routed_member(member: Any, method: bool) -> Any:
    """``member`` of a format's class (its ``__dict__``'s value) that runs code when read
    or called (``method``: the core calls what it reads), made so
    :func:`printing_to_stderr`; None for a plain value."""
    if isinstance(member, staticmethod | classmethod):
        return type(member)(routed_call(member.__func__))
    if isinstance(member, types.FunctionType):  # (a method once read from the format)
        return routed_call(member)
    if hasattr(type(member), "__get__") and not isinstance(member, type):
        def get(self: Any) -> Any:  # (a property, a cached_property, a partialmethod)
            with printing_to_stderr():
                value = member.__get__(self, type(self))
            return routed_call(value) if method and callable(value) else value

        return property(get, doc=getattr(member, "__doc__", None))
    if method and callable(member):  # (a partial, a class: called as it is, unbound)
        return staticmethod(routed_call(member))
    return None


def routed_call(call: Callable[..., T]) -> Callable[..., T]:
    """``call`` (a third party's function) made :func:`printing_to_stderr`, its name
    kept."""
    @functools.wraps(call)
    def routed(*args: Any, **kwargs: Any) -> T:
        with printing_to_stderr():
            return call(*args, **kwargs)

    return routed
