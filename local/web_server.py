"""The local stand-in for the website's bucket: serves the static pages of `web/` and a generated
`config.js` that points them at the local API. Deployed, the same files go to S3 (README, "The website").
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from local.resources import ROOT
from local.web_config import CONFIG_NAME, render

WEB_ROOT = ROOT / "web"


class WebHandler(SimpleHTTPRequestHandler):
    config_js = b""

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == f"/{CONFIG_NAME}":
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(self.config_js)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(self.config_js)
            return
        super().do_GET()

    def end_headers(self) -> None:
        # Pages change while a developer edits them: never serve a stale copy.
        if not self.path.endswith(CONFIG_NAME):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # page requests would drown the pipeline's own log lines


def serve_web(api_url: str, port: int) -> ThreadingHTTPServer:
    handler = type("ConfiguredWebHandler", (WebHandler,), {"config_js": render(api_url).encode()})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(WEB_ROOT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
