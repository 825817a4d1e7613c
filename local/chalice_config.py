"""The stages' settings for the local workers: read as Chalice reads them (cli/chalice_config.py), with the
local overrides' shorter timeouts."""

from __future__ import annotations

from cli.chalice_config import environment, settings_layers
from local.resources import ROOT, local_overrides

__all__ = ["environment", "timeout_s"]


def timeout_s(stage: str, function: str) -> int:
    """The function's timeout: the local overrides' number when they have one, else Chalice's."""
    timeout = 60
    for layer in settings_layers(stage, function, ROOT):
        timeout = layer.get("lambda_timeout", timeout)
    return int(local_overrides().get("function_timeouts", {}).get(function, timeout))
