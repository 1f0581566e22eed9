"""The house rules of the tree, checked on the source: the core never imports a format,
and no format imports another (shared helpers live in the core); a format is a module or
a package of them in ``formats/``; and the tests mirror the tree (one test file for
each core module and each format)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from converter.cache import libraries
from tests.conftest import ROOT


def package_of(path: Path) -> str:
    """The package ``path`` is a module of: its folders up to the first that is no
    package (``formats.sqlite`` for ``formats/sqlite/rows.py``), else its folder's name."""
    parts: list[str] = []
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts) or path.parent.name


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = package_of(path).split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) + 1 - node.level]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "converter").glob("*.py")),
                         ids=lambda p: p.name)
def test_core_never_imports_a_format(path: Path) -> None:
    assert not {m for m in imported_modules(path) if m.split(".")[0] == "formats"}


def format_names() -> list[str]:
    """The formats in ``formats/``: each module, and each package (a folder of modules)."""
    folder = ROOT / "formats"
    return sorted([p.stem for p in folder.glob("*.py") if p.stem != "__init__"]
                  + [p.parent.name for p in folder.glob("*/__init__.py")])


@pytest.mark.parametrize("path", sorted((ROOT / "formats").rglob("*.py")),
                         ids=lambda p: p.relative_to(ROOT / "formats").as_posix())
def test_formats_import_only_the_core_not_each_other(path: Path) -> None:
    own = f"formats.{path.relative_to(ROOT / 'formats').parts[0].removesuffix('.py')}"
    others = {m for m in imported_modules(path) if m.split(".")[0] == "formats"
              and m != "formats" and m != own and not m.startswith(f"{own}.")}
    assert not others


def test_every_format_is_registered_by_one_entry_point() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert {"sqlite", "csv", "json"} <= set(format_names())
    for name in format_names():
        assert pyproject.count(f'"formats.{name}:') == 1, name


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


def test_the_checker_resolves_a_format_packages_relative_imports(tmp_path: Path) -> None:
    probe = tmp_path / "formats" / "pkg" / "probe.py"
    probe.parent.mkdir(parents=True)
    for package in (probe.parent, probe.parent.parent):
        (package / "__init__.py").write_text("")
    probe.write_text("from . import rows\nfrom .names import shown\nfrom .. import json\n")
    assert imported_modules(probe) >= {"formats.pkg.rows", "formats.pkg.names.shown",
                                       "formats.json"}


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


def architecture_packages() -> dict[str, list[str]]:
    """The modules README's Architecture section lists for each package of
    ``formats/`` (``sqlite/  schema, search, ...``, on as many lines as it takes)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Architecture\n", 1)[1]
    block = section[section.index("\nformats/"):section.index("\ntests/")]
    listed: dict[str, list[str]] = {}
    for found in re.finditer(r"^  (\w+)/ +(.*(?:\n {22}.*)*)", block, re.M):
        listed[found.group(1)] = re.findall(r"\w+", found.group(2))
    return listed


@pytest.mark.parametrize("package", sorted(p.parent.name for p in (ROOT / "formats").glob(
    "*/__init__.py")))
def test_readme_architecture_names_every_module_of_a_format_package_once(
        package: str) -> None:
    on_disk = [p.stem for p in (ROOT / "formats" / package).glob("*.py")
               if not p.stem.startswith("__")]
    assert sorted(architecture_packages().get(package, [])) == sorted(on_disk)


def test_every_library_the_core_and_formats_import_is_a_dependency_in_the_cache_key() -> None:
    """A library imported by the core or a format but required only by an extra (or not
    at all) would be no part of the cache's key (``cache.libraries``): another version of
    it would replay what the old one gave."""
    providers = importlib.metadata.packages_distributions()
    imported = {module.split(".")[0] for folder in ("converter", "formats")
                for path in (ROOT / folder).rglob("*.py") for module in imported_modules(path)}
    third_party = imported - set(sys.stdlib_module_names) - {"converter", "formats"}
    assert third_party >= {"yaml", "ruamel", "click", "genanki"}
    required = {name.lower() for name in libraries()}
    for module in sorted(third_party):
        assert {d.lower() for d in providers.get(module, ())} & required, module


def mirrored_test(path: Path) -> Path:
    """The test file that mirrors ``path`` (a module of ``converter/``, or a format's
    module or package in ``formats/``): ``tests/test_<m>.py``, or for a format
    ``tests/formats/test_<name>.py``."""
    if path.parent.name == "converter":
        return ROOT / "tests" / f"test_{path.stem}.py"
    return ROOT / "tests" / "formats" / f"test_{path.stem}.py"


@pytest.mark.parametrize("path", sorted(
    [p for p in (ROOT / "converter").glob("*.py") if not p.stem.startswith("__")]
    + [next(p for p in (ROOT / "formats" / f"{name}.py", ROOT / "formats" / name)
            if p.exists()) for name in format_names()]),
    ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_core_module_and_format_has_its_mirrored_test_file(path: Path) -> None:
    """Tests mirror the tree: a module's tests are in one place, its own file, found by
    its name (not in the tests of whichever module uses it)."""
    assert mirrored_test(path).is_file(), f"{path.relative_to(ROOT)} has no " \
        f"{mirrored_test(path).relative_to(ROOT)}"


def test_the_bound_on_the_tests_waits_is_set_in_one_place() -> None:
    """``WAIT`` (the longest a test waits for what it started) was set twice, in
    ``tests/conftest.py`` and again in ``tests/idling.py`` (whose worker processes do not
    import conftest), free to drift apart. It is set in ``tests/waits.py`` alone, and
    every other module imports it from there."""
    setting = sorted(
        path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("*.py")
        if any(isinstance(node, ast.Assign | ast.AnnAssign) and "WAIT" in {
            target.id for target in (node.targets if isinstance(node, ast.Assign)
                                     else [node.target]) if isinstance(target, ast.Name)}
               for node in ast.parse(path.read_text(encoding="utf-8")).body))
    assert setting == ["tests/waits.py"]


#: The calls whose last number is how long they wait (``thread.join(30)``,
#: ``event.wait(5.0)``, ``result.get(30)``, ``queue.get(True, 30)``); ``timeout=`` is
#: looked at in every call.
_WAITING_CALLS = frozenset({"join", "wait", "get", "communicate", "acquire", "select"})


def _scripts_checked(node: ast.AST, checker: Callable[[ast.AST], list[str]]) -> list[str]:
    """What ``checker`` finds in the script ``node`` holds, if it is a string of several
    lines that parses as one (each finding after the string's line)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and "\n" in node.value):
        return []
    try:
        script = ast.parse(node.value)
    except (SyntaxError, ValueError):
        return []  # (text, not a script)
    return [f"{node.lineno}: (its script) {found}" for found in checker(script)]


def _a_queue_get(call: ast.Call) -> bool:
    """Whether ``call`` is ``get()``, ``get(30)``, ``get(WAIT)``, ``get(block, timeout)``
    or ``get(timeout=...)`` of a queue or a result, not ``dict.get(key)``."""
    if any(k.arg == "timeout" for k in call.keywords) or not call.args:
        return True
    first = call.args[0]
    if len(call.args) == 1:
        return (isinstance(first, ast.Name) and first.id == "WAIT") or (
            isinstance(first, ast.Constant) and type(first.value) in (int, float))
    return len(call.args) == 2 and isinstance(first, ast.Constant) and (
        isinstance(first.value, bool))


def _pause_of(call: ast.Call) -> str:
    """The name of the call, as :data:`_WAITING_CALLS` and ``sleep`` name them."""
    return getattr(call.func, "attr", getattr(call.func, "id", ""))


def fixed_waits(tree: ast.AST) -> list[str]:
    """The waits in ``tree`` bounded by a number of seconds of their own, not by
    ``WAIT`` (``timeout=60``, ``timeout=2 * 30``, ``join(30)``, ``time.monotonic() +
    30``, a sleep of more than a second that stands in for waiting to be stopped), also
    in the scripts its strings hold: each as its line and source."""
    def number(node: ast.AST) -> bool:  # (a number of seconds, or one worked out of them)
        if isinstance(node, ast.BinOp):
            return number(node.left) and number(node.right)
        return isinstance(node, ast.Constant) and type(node.value) in (int, float) and (
            node.value > 0)

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _pause_of(node)
            bounds = [k.value for k in node.keywords if k.arg == "timeout"]
            if name in _WAITING_CALLS and node.args and (name != "get" or _a_queue_get(node)):
                bounds.append(node.args[-1])
            if name == "sleep" and node.args and number(node.args[0]) and (
                    eval(compile(ast.Expression(node.args[0]), "sleep", "eval")) > 1):
                # (numbers alone, number() says: nothing else to evaluate)
                bounds.append(node.args[0])
            fixed = any(number(bound) for bound in bounds)
        else:
            fixed = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (
                ast.unparse(node.left).endswith("monotonic()") and number(node.right))
        if fixed:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        found.extend(_scripts_checked(node, fixed_waits))
    return found


def test_the_checker_sees_fixed_waits() -> None:
    tree = ast.parse("\n".join([  # (line by line: no string here holds a script)
        "import time", "t.join(30)", "t.join(WAIT)", "run(x, timeout=60)",
        "d = time.monotonic() + 30", "time.sleep(60)", "time.sleep(0.01)",
        'x.get("k", 1)', "select.select([r], [], [], 0)", 's = """', "import time",
        "ev.wait(5.0)", '"""', "q.get(True, 30)", "run(x, timeout=2 * 30)",
        "run(x, timeout=WAIT * 2)", "time.sleep(2 * 30)", "r.get(30)", "r.get(WAIT)"]))
    assert fixed_waits(tree) == [
        "2: t.join(30)", "4: run(x, timeout=60)", "5: time.monotonic() + 30",
        "6: time.sleep(60)", "10: (its script) 3: ev.wait(5.0)", "14: q.get(True, 30)",
        "15: run(x, timeout=2 * 30)", "17: time.sleep(2 * 30)", "18: r.get(30)"]


@pytest.mark.parametrize("path", sorted((ROOT / "tests").rglob("*.py")),
                         ids=lambda p: p.relative_to(ROOT / "tests").as_posix())
def test_the_tests_wait_for_what_they_started_as_long_as_wait(path: Path) -> None:
    """A wait bounded by a number of seconds of its own (30, 60, 120) guards only
    against a hang, yet failed a test on a slow, loaded machine, where a run of seconds
    takes minutes. Every such wait is bounded by ``WAIT`` (:mod:`tests.waits`); a
    bound that is what a test asserts is named (``within``, ``BUSY_SECONDS``)."""
    assert fixed_waits(ast.parse(path.read_text(encoding="utf-8"))) == []


#: The calls that pause a loop that polls (a sleep, or a wait for what it polls for;
#: ``get`` only of a queue or a result: :func:`_a_queue_get`).
_PAUSING_CALLS = (_WAITING_CALLS - {"get"}) | {"sleep"}


def spinning_waits(tree: ast.AST) -> list[str]:
    """The loops in ``tree`` that wait for a moment (bounded by a deadline, by
    ``time.monotonic()``) without pausing between their looks (no sleep, no wait), also
    in the scripts its strings hold: each as its line and condition."""
    def pauses(node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and (_pause_of(node) in _PAUSING_CALLS or (
            _pause_of(node) == "get" and _a_queue_get(node)))

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.While) and ("deadline" in ast.unparse(node) or (
                "monotonic()" in ast.unparse(node))) and not any(
                pauses(call) for call in ast.walk(node)):
            found.append(f"{node.lineno}: {ast.unparse(node.test)}")
        found.extend(_scripts_checked(node, spinning_waits))
    return found


def test_the_checker_sees_spinning_waits() -> None:
    tree = ast.parse("\n".join([  # (line by line: no string here holds a script)
        "while not ready():", "    assert time.monotonic() < deadline",
        "while not ready():", "    assert time.monotonic() < deadline",
        "    time.sleep(0.01)", "while time.monotonic() < end:", "    look()",
        "while queue:", "    queue.pop()", 's = """', "while p.poll() is None:",
        "    assert time.monotonic() < deadline", '"""',
        "while time.monotonic() < deadline:", "    if seen.get(k):", "        break",
        "while time.monotonic() < deadline:", "    got = q.get(timeout=0.1)",
        "while time.monotonic() < deadline:", "    got = result.get(WAIT)",
        "while time.monotonic() < deadline:", "    got = q.get()"]))
    assert spinning_waits(tree) == [
        "1: not ready()", "6: time.monotonic() < end", "14: time.monotonic() < deadline",
        "10: (its script) 2: p.poll() is None"]


@pytest.mark.parametrize("path", sorted((ROOT / "tests").rglob("*.py")),
                         ids=lambda p: p.relative_to(ROOT / "tests").as_posix())
def test_the_tests_pause_as_they_wait(path: Path) -> None:
    """A loop that waited for a process's workers looked again at once, for as long as
    it waited: on a loaded machine of two cores it took one from the run it waited for.
    Every loop that waits for a moment pauses between its looks (a short sleep)."""
    assert spinning_waits(ast.parse(path.read_text(encoding="utf-8"))) == []
