"""Reads `.chalice/config.json` the way Chalice does: top level, then stage, then function settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CONFIG = Path(__file__).resolve().parent.parent / ".chalice" / "config.json"


def _config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(CONFIG.read_text())
    return config


def _layers(stage: str, function: str | None) -> list[dict[str, Any]]:
    config = _config()
    stage_config = config["stages"][stage]
    layers = [config, stage_config]
    if function:
        layers += [config.get("lambda_functions", {}).get(function, {}),
                   stage_config.get("lambda_functions", {}).get(function, {})]  # fmt: skip
    return layers


def environment(stage: str, function: str | None = None) -> dict[str, str]:
    env: dict[str, str] = {}
    for layer in _layers(stage, function):
        env.update(layer.get("environment_variables", {}))
    return env


def timeout_s(stage: str, function: str) -> int:
    """The function's timeout: the local overrides' number when they have one, else Chalice's."""
    from local.resources import local_overrides

    timeout = 60
    for layer in _layers(stage, function):
        timeout = layer.get("lambda_timeout", timeout)
    return int(local_overrides().get("function_timeouts", {}).get(function, timeout))
