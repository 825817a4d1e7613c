"""The tools that run against a deployed stack (cli/) never depend on the local stack (local/)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_cli_module_imports_the_local_stack():
    offenders = {
        path.name: sorted(name for name in imported_modules(path) if name == "local" or name.startswith("local."))
        for path in sorted((ROOT / "cli").glob("*.py"))
    }
    assert {name: modules for name, modules in offenders.items() if modules} == {}


def test_loading_every_command_loads_nothing_of_the_local_stack():
    probe = (
        "import sys, pkgutil, importlib, cli\n"
        "for module in pkgutil.iter_modules(cli.__path__):\n"
        "    if module.name != '__main__':\n"
        "        importlib.import_module(f'cli.{module.name}')\n"
        "import cli.__main__\n"
        "print(sorted(name for name in sys.modules if name == 'local' or name.startswith('local.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
