"""moto's server as the local stack's AWS, with DynamoDB's writes isolated as they are on AWS.

    python -m local.moto_server -H 127.0.0.1 -p PORT [--port-file FILE]

With `-p 0` it listens on a port the kernel chooses, and writes it to FILE once it listens: a port chosen
beforehand and handed over could be taken by another program meanwhile.

moto's server answers requests on many threads, but its DynamoDB is not made for that: a
TransactWriteItems is applied one item at a time and, when one condition fails, rolled back by
restoring a copy of the whole table taken when it began; a conditional UpdateItem reads and then
writes. Two editors' requests at once could therefore interleave, and one's rollback could undo the
other's committed writes (a takedown racing a publish left the publish's listing entries behind).
DynamoDB serialises them; here every DynamoDB request runs under one lock. They are small and quick;
S3's large bodies are not held up.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

DYNAMODB_TARGET = "DynamoDB_"


class IsolatedDynamoDB:
    """WSGI middleware: DynamoDB requests one at a time, everything else as it comes."""

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(DYNAMODB_TARGET):
            return self._app(environ, start_response)
        with self._lock:
            # The whole answer is produced under the lock: a lazy body would otherwise run after it.
            return list(self._app(environ, start_response))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--port-file", type=Path, help="written with the port listened on, once it listens")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(args.host, args.port, IsolatedDynamoDB(app), threaded=True, request_handler=MotoRequestHandler)
    os.environ.setdefault("MOTO_PORT", str(server.port))  # as `python -m moto.server` does
    if args.port_file is not None:
        written = args.port_file.with_suffix(".partial")
        written.write_text(str(server.port))
        written.replace(args.port_file)  # whole or not at all: the stack reads it as soon as it is there
    server.serve_forever()


if __name__ == "__main__":
    main()
