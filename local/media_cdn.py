"""The local stand-in for CloudFront with origin access control: the media bucket stays private and
this server reads published media from it with credentials, answering plain GETs (with Range, as
video players seek) for keys under `films/` tagged `published=true`, as the deployed distribution's
bucket policy allows. It caches nothing, so there is nothing to invalidate.
"""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from chalicelib.adapters.s3_store import S3Store
from chalicelib.domain.object_keys import MEDIA_PREFIX
from local.console import QuietHTTPServer

PASSED_HEADERS = ("Content-Type", "Content-Length", "Content-Range", "ETag", "Last-Modified", "Cache-Control")


def serve_media(s3: Any, bucket: str, port: int = 0) -> ThreadingHTTPServer:
    """Serving on `port`; 0, the default, is a port the kernel chooses (`server.server_address[1]`)."""
    media = S3Store(s3, bucket)

    class MediaHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve(with_body=True)

        def do_HEAD(self) -> None:
            self._serve(with_body=False)

        def _serve(self, with_body: bool) -> None:
            key = unquote(self.path.split("?", 1)[0].lstrip("/"))
            if not key.startswith(MEDIA_PREFIX) or ".." in key:
                self.send_error(403)
                return
            if not media.is_public(key):
                # What S3 answers CloudFront for an object its policy does not cover, or that does not exist.
                self.send_error(403)
                return
            request: dict[str, Any] = {"Bucket": bucket, "Key": key}
            if self.headers.get("Range"):
                request["Range"] = self.headers["Range"]
            try:
                response = s3.get_object(**request)
            except ClientError as error:
                code = error.response["Error"]["Code"]
                self.send_error(416 if code == "InvalidRange" else 404)
                return
            self.send_response(206 if "ContentRange" in response else 200)
            headers = response["ResponseMetadata"]["HTTPHeaders"]
            for name in PASSED_HEADERS:
                if name.lower() in headers:
                    self.send_header(name, headers[name.lower()])
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            if with_body:
                shutil.copyfileobj(response["Body"], self.wfile)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # media requests would drown the pipeline's own log lines

    server = QuietHTTPServer(("127.0.0.1", port), MediaHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
