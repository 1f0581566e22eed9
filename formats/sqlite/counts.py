"""What one write did to the database, and the summary line that says it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from converter.registry import spelling

from .names import _one

#: How many of the files not read this run the summary names before it counts the rest.
FILES_NAMED = 3


@dataclass
class Counts:
    """What one write did to the database."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # not in the input, kept because --prune was not given
    removable: int = 0  # of those kept, the ones --prune would remove
    spared: int = 0  # not in the input, kept by --prune: the source file exists, gave none
    spared_failing: int = 0  # of those spared, the ones whose source file had an error
    spared_unsure: int = 0  # of those spared, the ones whose source file was not found
    orphans: int = 0  # rows deleted by --prune that named no muscle (or region) held
    #: The source files of those spared that were not read this run, as the summary
    #: names them (the first :data:`FILES_NAMED`, then how many more).
    unread_files: list[str] = field(default_factory=list)

    def summary(self, out: Path) -> str:
        """The one-line summary the CLI prints (and ``write()`` returns), naming the
        prune option as the caller gives it (``--prune``, ``prune=True``)."""
        line = (f"{out}: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.removed} removed")
        if self.orphans:
            line += (f" ({self.orphans} {_one(self.orphans, 'row', 'rows')} that named no "
                     "muscle or region the database holds deleted)")
        kept, removable, prune = self.kept, self.removable, spelling().given("prune")
        if kept:
            its = _one(kept, "its source file still exists", "their source files still exist")
            line += (f" ({kept} not in the input kept: {its})" if not removable else
                     f" ({kept} not in the input kept; {prune} removes "
                     f"{_one(kept, 'it', 'them')})" if removable == kept else
                     f" ({kept} not in the input kept; {prune} removes the {removable} "
                     f"whose source {_one(removable, 'file is', 'files are')} gone)")
        failing, unsure = self.spared_failing, self.spared_unsure
        unread = self.spared - failing - unsure
        if unread:
            its = _one(unread, "its source file still exists, and was",
                       "their source files still exist, and were")
            line += f" ({unread} not removed: {its} not read in this run: {self._unread()})"
        if failing:
            its = _one(failing, "its source file has", "their source files have")
            line += f" ({failing} not removed: {its} errors this run)"
        if unsure:
            its = _one(unsure, "its source file was", "their source files were")
            line += (f" ({unsure} not removed: {its} not found, and a file that may be "
                     f"{_one(unsure, 'it', 'one of them')} has errors this run)")
        return line

    def _unread(self) -> str:
        """The source files not read this run, as the summary names them."""
        named, more = self.unread_files[:FILES_NAMED], len(self.unread_files) - FILES_NAMED
        return ", ".join(named) + (f" and {more} more" if more > 0 else "")
