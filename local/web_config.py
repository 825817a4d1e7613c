"""The website's `config.js`: where its pages find the API. The local stack serves one it generates;
for a deployed site, `python -m local.web_config --api-url URL > web/config.js` (or `make web-config`).
"""

from __future__ import annotations

import argparse
import json

CONFIG_NAME = "config.js"


def render(api_url: str) -> str:
    """An ES module the pages import: `import { config } from "./config.js"`."""
    config = {"apiUrl": api_url.rstrip("/")}
    return f"// Generated: where the website's pages find the API.\nexport const config = {json.dumps(config)};\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the website's config.js for an API URL.")
    parser.add_argument("--api-url", required=True, help="the API's base URL, e.g. https://abc.execute-api.../api")
    print(render(parser.parse_args().api_url), end="")


if __name__ == "__main__":
    main()
