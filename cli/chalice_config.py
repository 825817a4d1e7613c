"""Reads `.chalice/config.json` the way Chalice does: top level, then stage, then function settings.

The operator commands give a deployed stack's code the environment its functions get; the local stack
(local/chalice_config.py) reads it the same way for its workers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli.repository import checkout_or_exit

CONFIG = Path(".chalice") / "config.json"


def settings_layers(stage: str, function: str | None = None, root: Path | None = None) -> list[dict[str, Any]]:
    """The layers that set a function's settings, the weakest first."""
    path = (root or checkout_or_exit("reading the stages' settings")) / CONFIG
    config: dict[str, Any] = json.loads(path.read_text())
    stage_config = config["stages"][stage]
    layers = [config, stage_config]
    if function:
        layers += [
            config.get("lambda_functions", {}).get(function, {}),
            stage_config.get("lambda_functions", {}).get(function, {}),
        ]
    return layers


def environment(stage: str, function: str | None = None, root: Path | None = None) -> dict[str, str]:
    env: dict[str, str] = {}
    for layer in settings_layers(stage, function, root):
        env.update(layer.get("environment_variables", {}))
    return env
