"""The house rules of the tree, checked on the source: the core never imports a format,
and no format imports another (shared helpers live in the core)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

from converter.cache import libraries
from tests.conftest import ROOT


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = path.parent.name
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "converter").glob("*.py")),
                         ids=lambda p: p.name)
def test_core_never_imports_a_format(path: Path) -> None:
    assert not {m for m in imported_modules(path) if m.split(".")[0] == "formats"}


@pytest.mark.parametrize("path", sorted((ROOT / "formats").glob("*.py")),
                         ids=lambda p: p.name)
def test_formats_import_only_the_core_not_each_other(path: Path) -> None:
    own = f"formats.{path.stem}"
    others = {m for m in imported_modules(path)
              if m.split(".")[0] == "formats" and m != "formats" and not m.startswith(own)}
    assert not others


def test_every_format_module_is_registered_by_one_entry_point() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for path in (ROOT / "formats").glob("*.py"):
        if path.stem != "__init__":
            assert pyproject.count(f'"formats.{path.stem}:') == 1, path.name


def test_the_licence_is_an_spdx_expression_setuptools_will_keep_building() -> None:
    """A ``license = {text = ...}`` table is deprecated by setuptools (builds stop
    after 2027-02-18, and every install warns meanwhile); an SPDX string is not."""
    import importlib.metadata
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert importlib.metadata.metadata("muscle-convert")["License-Expression"] == "MIT"


def test_the_checker_sees_imports(tmp_path: Path) -> None:
    probe = tmp_path / "formats" / "probe.py"
    probe.parent.mkdir()
    probe.write_text("from . import json\nimport formats.csv\nfrom converter import model\n")
    assert {"formats.json", "formats.csv", "converter.model"} <= imported_modules(probe)


def architecture_modules() -> list[str]:
    """The files README's Architecture section lists under ``converter/``, one line each
    (``schema.py, schemas/`` is two)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Architecture\n", 1)[1]
    block = section[section.index("\nconverter/"):section.index("\nformats/")]
    return [name for found in re.finditer(r"^  ([\w./]+(?:, [\w./]+)*)\s", block, re.M)
            for name in found.group(1).split(", ")]


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "converter").glob("*.py")
                                        if not p.stem.startswith("__")),
                         ids=lambda p: p.name)
def test_readme_architecture_names_every_core_module_once(path: Path) -> None:
    assert architecture_modules().count(path.name) == 1


def test_every_library_the_core_and_formats_import_is_a_dependency_in_the_cache_key() -> None:
    """A library imported by the core or a format but required only by an extra (or not
    at all) would be no part of the cache's key (``cache.libraries``): another version of
    it would replay what the old one gave."""
    providers = importlib.metadata.packages_distributions()
    imported = {module.split(".")[0] for folder in ("converter", "formats")
                for path in (ROOT / folder).glob("*.py") for module in imported_modules(path)}
    third_party = imported - set(sys.stdlib_module_names) - {"converter", "formats"}
    assert third_party >= {"yaml", "ruamel", "click", "genanki"}
    required = {name.lower() for name in libraries()}
    for module in sorted(third_party):
        assert {d.lower() for d in providers.get(module, ())} & required, module
