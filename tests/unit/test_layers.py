"""app.py held to the layer rules that `make lint` checks with import-linter (pyproject.toml), which reads packages
only: app.py is wiring, and reaches adapters only through `chalicelib.wiring`, never the local stack."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_by(path: Path) -> set[str]:
    """Every module a file imports, `from a import b` counted as both `a` and `a.b` (b may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


def test_app_reaches_adapters_only_through_wiring_and_never_the_local_stack():
    imported = imported_by(ROOT / "app.py")
    assert "chalicelib.wiring" in imported, "the check reads app.py's imports"
    outside = {name for name in imported if name.split(".")[0] in ("local", "bench")}
    adapters = {name for name in imported if name == "chalicelib.adapters" or name.startswith("chalicelib.adapters.")}
    assert not outside and not adapters, (outside, adapters)
