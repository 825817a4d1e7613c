"""The local stand-in for the website's bucket and distribution: serves the static pages of `web/`, a
generated `config.js` that points them at the local API, and the security headers (the
Content-Security-Policy among them) that CloudFront adds when deployed (docs/WEBSITE.md).
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cli.web_config import CONFIG_NAME, render
from infra.template import load_template
from local.console import QuietHTTPServer
from local.resources import ROOT

WEB_ROOT = ROOT / "web"
# Locally the API, media and storage answer on http://127.0.0.1; deployed, on https only.
LOCAL_ORIGINS = "http://127.0.0.1:*"


def security_headers() -> dict[str, str]:
    """The headers CloudFront adds to the deployed pages (the template's response headers policy),
    the Content-Security-Policy widened to the local stack's plain-HTTP origins."""
    policy = load_template()["Resources"]["WebsiteResponseHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    config = policy["SecurityHeadersConfig"]
    csp = config["ContentSecurityPolicy"]["ContentSecurityPolicy"].replace("https:", f"https: {LOCAL_ORIGINS}")
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": config["FrameOptions"]["FrameOption"],
        "Referrer-Policy": config["ReferrerPolicy"]["ReferrerPolicy"],
    }


class WebHandler(SimpleHTTPRequestHandler):
    config_js = b""
    headers_sent_always: dict[str, str] = {}

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
        for name, value in self.headers_sent_always.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # page requests would drown the pipeline's own log lines


def bind_web(api_url: str, port: int) -> ThreadingHTTPServer:
    """The website's server, holding its port from now on (no other program can take it in between), not
    serving yet: `serve_web` starts it once the API answers. OSError when another program listens there."""
    handler = type(
        "ConfiguredWebHandler",
        (WebHandler,),
        {"config_js": render(api_url).encode(), "headers_sent_always": security_headers()},
    )
    return QuietHTTPServer(("127.0.0.1", port), partial(handler, directory=str(WEB_ROOT)))


def serve_web(server: ThreadingHTTPServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()
