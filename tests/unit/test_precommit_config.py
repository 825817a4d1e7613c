"""The pre-commit hooks run the same checks as `make lint typecheck`, with the ruff that requirements-dev.txt pins."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> dict[str, dict[str, object]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def _pinned(package: str) -> str:
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        if line.startswith(f"{package}=="):
            return line.strip()
    raise AssertionError(f"{package} is not pinned in requirements-dev.txt")


def test_ruff_hooks_use_the_pinned_ruff_and_check_what_make_lint_checks() -> None:
    hooks = _hooks()
    assert hooks["ruff-check"]["entry"] == "ruff check --force-exclude"
    assert hooks["ruff-format"]["entry"] == "ruff format --force-exclude"
    for hook_id in ("ruff-check", "ruff-format"):
        assert hooks[hook_id]["additional_dependencies"] == [_pinned("ruff")]


def test_mypy_hook_runs_the_projects_mypy_over_what_pyproject_names() -> None:
    mypy = _hooks()["mypy"]
    assert mypy["entry"] == ".venv/bin/mypy"
    assert mypy["pass_filenames"] is False


def test_lint_imports_hook_checks_the_layer_rules_as_make_lint_does() -> None:
    hook = _hooks()["lint-imports"]
    assert hook["entry"] == ".venv/bin/lint-imports"
    assert hook["pass_filenames"] is False
    assert _pinned("import-linter")
