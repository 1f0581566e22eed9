"""muscle-convert: one canonical muscle model between many readers and writers.

The Python API in two calls::

    import converter
    muscles = converter.read(["samples/"])           # list[Muscle]
    converter.write(muscles, "out/muscles.json", "json")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Diagnostic", "FrozenMap", "Function", "LocalizedText", "Muscle", "MuscleError",
           "Region", "__version__", "read", "write"]

if TYPE_CHECKING:
    from . import api as api
    from . import authoring as authoring
    from . import bodymap as bodymap
    from . import diagnostics as diagnostics
    from . import model as model
    from . import plugins as plugins
    from . import registry as registry
    from .api import read, write
    from .diagnostics import Diagnostic, MuscleError
    from .model import FrozenMap, Function, LocalizedText, Muscle, Region

#: The public functions and classes, each imported from its module on first use: read()
#: and write() from :mod:`converter.api`, whose annotations name real classes (so
#: ``typing.get_type_hints(converter.read)`` resolves them, as it cannot names that are
#: only this module's ``__getattr__``'s).
_LAZY = {"Diagnostic": "diagnostics", "MuscleError": "diagnostics", "FrozenMap": "model",
         "Function": "model", "LocalizedText": "model", "Muscle": "model", "Region": "model",
         "read": "api", "write": "api"}


#: The submodules README documents (``converter.model.freeze``,
#: ``converter.bodymap.map_svg``), attributes of the package imported on first use.
_SUBMODULES = frozenset({"api", "authoring", "bodymap", "diagnostics", "model", "plugins",
                         "registry"})


if not TYPE_CHECKING:  # (to a type checker the package has the names declared above
    # alone: converter.raed(...) is an error, not an Any)
    def __getattr__(name: str) -> Any:
        """Import the public functions and classes and the documented submodules on
        first use, so the command line starts fast (``import converter`` imports none of
        them)."""
        from importlib import import_module

        if name in _LAZY:
            return getattr(import_module(f".{_LAZY[name]}", __name__), name)
        if name in _SUBMODULES:
            return import_module(f".{name}", __name__)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, the classes and submodules imported on first use included."""
    return sorted({*globals(), *__all__, *_SUBMODULES})
