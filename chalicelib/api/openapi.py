"""The OpenAPI 3.1 description of the public API, served at /openapi.json and checked by the tests
against real responses (tests/functional/test_public_api.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).with_name("openapi.json")


def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text())
    return document
