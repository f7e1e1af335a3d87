"""The shape of the code: modules talk through public names, and no module grows past a size
one can read.

* No module in ``analysis`` imports another module's private (underscore) name
  (``from analysis.x import _y``) or uses one through an imported analysis module
  (``x._y`` where ``x`` is ``from analysis import x`` or ``import analysis.x as x``). A module
  may use its own private names; a package's private helper module (``importers/_text.py``)
  is used by its siblings through that module's public names.
* No file in ``analysis`` is over 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis import paths

FILES = sorted(paths.PACKAGE.rglob("*.py"))
MAX_LINES = 600


def _private(name: str) -> bool:
    # ``_`` is gettext's public name for "translate" (analysis.i18n._), by convention
    return name.startswith("_") and name != "_" and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path) -> str:
    rel = path.relative_to(paths.ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_uses(path: Path, here: str | None = None) -> list[str]:
    """Each use in ``path`` (the module ``here``, by default the one at that path) of another
    analysis module's private name, as 'line: text'."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = here or _module_name(path)
    modules: dict[str, str] = {}  # local name -> the analysis module it names
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("analysis"):
                    modules[a.asname or a.name.split(".")[0]] = a.name if a.asname else "analysis"
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, here, path.name == "__init__.py")
            if not source.startswith("analysis"):
                continue
            for a in node.names:
                if _private(a.name) and source != here:
                    found.append(f"{node.lineno}: from {source} import {a.name}")
                elif not _private(a.name):
                    modules[a.asname or a.name] = f"{source}.{a.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain: list[str] = [node.attr]
            base: ast.expr = node.value
            while isinstance(base, ast.Attribute):
                chain.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in modules and modules[base.id] != here:
                found.append(f"{node.lineno}: {base.id}.{'.'.join(reversed(chain))}")
    return found


def test_the_check_finds_private_uses(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    code = (
        "from analysis import transfers as tr\nfrom analysis.render.workers import _threads\n"
        "from . import pipeline\nimport analysis.data\n"
        "x = tr._release\ny = pipeline._build_in\nz = analysis.data._release_cols\nok = tr.select\n"
    )
    probe.write_text(code, encoding="utf-8")
    assert [u.split(": ")[1] for u in private_uses(probe, "analysis.render.probe")] == [
        "from analysis.render.workers import _threads",
        "tr._release",
        "pipeline._build_in",
        "analysis.data._release_cols",
    ]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(paths.PACKAGE)) for p in FILES])
def test_no_module_uses_another_modules_private_names(path: Path) -> None:
    assert private_uses(path) == []


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(paths.PACKAGE)) for p in FILES])
def test_no_file_is_too_long(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES or path.name in LONG_FILES_LEFT, f"{path.name}: {lines} lines"


#: Files over the limit that this change did not touch (the data layer's), left for their owners.
LONG_FILES_LEFT: set[str] = set()
