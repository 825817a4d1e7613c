"""The website's `config.js`: where its pages find the API. `omjr web publish` puts one beside the deployed
pages; the local stack serves one it generates."""

from __future__ import annotations

import json

CONFIG_NAME = "config.js"


def render(api_url: str) -> str:
    """An ES module the pages import: `import { config } from "./config.js"`."""
    config = {"apiUrl": api_url.rstrip("/")}
    return f"// Generated: where the website's pages find the API.\nexport const config = {json.dumps(config)};\n"
