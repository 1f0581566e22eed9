"""Diagnostics: the one way any problem with an input or output is reported."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """A problem in one file, located by line, column and field path.

    ``code`` is stable (scripts may match on it); ``message`` is for people.
    Lines and columns are 1-based and count the file's own lines (the opening
    ``---`` is line 1).
    """

    path: str
    line: int | None
    column: int | None
    field: str
    code: str
    message: str
    severity: Severity = "error"

    def __reduce__(self) -> tuple[object, ...]:  # fast pickling (cache, worker results)
        return (Diagnostic, (self.path, self.line, self.column, self.field, self.code,
                             self.message, self.severity))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        tag = "warning" if self.severity == "warning" else "error"
        return f"{where}: {tag}:{field} {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        """The diagnostic as a JSON-ready dict."""
        return asdict(self)


class MuscleError(Exception):
    """Raised with one or more diagnostics; the project's only error type for bad input."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def error(path: str, code: str, message: str, field: str = "", line: int | None = None,
          column: int | None = None) -> MuscleError:
    """Build a :class:`MuscleError` holding a single error diagnostic."""
    return MuscleError(Diagnostic(path, line, column, field, code, message))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error (not only warnings)."""
    return any(d.severity == "error" for d in diagnostics)


def render(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """Render diagnostics as text lines for people or a JSON array for machines."""
    items = sorted(diagnostics, key=lambda d: (d.path, d.line or 0, d.column or 0, d.code))
    if fmt == "json":
        return json.dumps([d.as_dict() for d in items], ensure_ascii=False, indent=2)
    return "\n".join(str(d) for d in items)
