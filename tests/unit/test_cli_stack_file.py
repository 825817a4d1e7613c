"""The command line finds the local stack where `make run` wrote its description: a stack started with
LOCAL_STATE_DIR (one run beside another) is the one `omjr` acts on in the same shell."""

from __future__ import annotations

from pathlib import Path

from cli.__main__ import build_parser, operator_modules

ROOT = Path(__file__).resolve().parents[2]


def stack_file(argv: list[str]) -> Path:
    return build_parser(operator_modules()).parse_args([*argv, "ops", "status"]).stack_file


def test_the_stack_started_in_another_state_folder_is_the_one_acted_on(monkeypatch, tmp_path):
    monkeypatch.setenv("LOCAL_STATE_DIR", str(tmp_path))
    assert stack_file([]) == tmp_path / "stack.json"


def test_without_a_state_folder_it_is_the_checkouts(monkeypatch):
    monkeypatch.delenv("LOCAL_STATE_DIR", raising=False)
    monkeypatch.chdir(ROOT / "docs")
    assert stack_file([]) == ROOT / ".local" / "stack.json"


def test_a_stack_file_named_on_the_command_line_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("LOCAL_STATE_DIR", str(tmp_path / "elsewhere"))
    assert stack_file(["--stack-file", str(tmp_path / "mine.json")]) == tmp_path / "mine.json"
