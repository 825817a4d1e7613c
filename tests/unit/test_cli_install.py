"""`pip install .` gives a working `omjr`: every package the command line loads is listed, its pins are the
project's pins, and the project never enters requirements.txt (what every Lambda function receives)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)$")


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = PIN.match(line.split("#", 1)[0].strip())
        if match:
            found[match.group(1).lower()] = match.group(3)
    return found


def requirement_pins() -> dict[str, str]:
    lines = [
        *(ROOT / "requirements.txt").read_text().splitlines(),
        *(ROOT / "requirements-dev.txt").read_text().splitlines(),
    ]
    return pins(lines)


def test_the_omjr_command_runs_the_command_line():
    assert PYPROJECT["project"]["scripts"] == {"omjr": "cli.__main__:main"}


def test_every_dependency_of_the_installed_command_is_pinned_as_the_project_pins_it():
    declared = [*PYPROJECT["project"]["dependencies"], *PYPROJECT["project"]["optional-dependencies"]["operator"]]
    declared_pins = pins(declared)
    assert len(declared_pins) == len(declared), "every dependency is pinned with =="
    project = requirement_pins()
    assert {name: version for name, version in declared_pins.items() if project.get(name) != version} == {}


def test_the_project_itself_stays_out_of_requirements_txt():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        assert not re.match(r"^\s*(-e\s|\.|oneminutesjr)", line), line


def test_every_package_the_command_line_loads_is_installed_with_it():
    probe = (
        "import sys, pkgutil, importlib, cli\n"
        "for module in pkgutil.iter_modules(cli.__path__):\n"
        "    importlib.import_module(f'cli.{module.name}')\n"
        "for name, module in sorted(sys.modules.items()):\n"
        "    if name.split('.')[0] in ('cli', 'chalicelib'):\n"
        "        print(name if hasattr(module, '__path__') else name.rpartition('.')[0])\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert set(loaded.stdout.split()) - set(PYPROJECT["tool"]["setuptools"]["packages"]) == set()
