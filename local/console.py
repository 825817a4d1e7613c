"""What `make run` shows of its processes (the API, the workers, the scheduler).

By default one short line per request and per step of a film (`api: POST /uploads 201`,
`validate_upload: upload probed (VIDEO_ID)`), so the keys and addresses stay readable. Dropped: chalice's own
access line (the API's record says the same), metrics records (CloudWatch reads them, not people), botocore's
"Found credentials" notes, and the traceback a server prints when a client hung up before its answer (a
browser seeking in a video, a start-up check that gave up): a client that left is not an error. Anything
else, every real traceback included, is shown as it is. `python -m local -v` (`make run VERBOSE=1`) shows
everything the processes write, Powertools' JSON records whole.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import IO, Any

ACCESS_LOG = re.compile(r'^\S+ - - \[[^\]]+\] "')
NOTES = ("Found credentials in ", "Found endpoint for ", "Serving on http")
SEPARATOR = "-" * 40  # socketserver's frame around a request's traceback
CLIENT_GONE = ("BrokenPipeError", "ConnectionResetError", "ConnectionAbortedError")
_print_lock = threading.Lock()


def short_line(line: str) -> str | None:
    """The short form of a line a process wrote, or None when it tells a developer nothing."""
    if ACCESS_LOG.match(line) or line.startswith(NOTES):
        return None
    if not line.startswith("{"):
        return line
    try:
        record: Any = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict) or "_aws" in record:
        return None if isinstance(record, dict) else line  # a metrics record (CloudWatch's embedded format)
    film = f" ({record['video_id']})" if record.get("video_id") else ""
    if record.get("message") == "request" and "path" in record:
        return f"api: {record.get('method')} {record['path']} {record.get('status')}{film}"
    who = record.get("function_name") or "api"
    level = "" if record.get("level") in ("INFO", None) else f"{record['level']} "
    reason = f": {record['reason']}" if record.get("reason") else ""
    failure = str(record.get("exception") or "").strip().splitlines()[-1:]
    return f"{who}: {level}{record.get('message')}{film}{reason}{' ' + failure[0] if failure else ''}"


class OutputFilter:
    """Turns a process's lines into what the console shows (one filter per process: it keeps a little state)."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self._framed: list[str] | None = None

    def lines(self, line: str) -> list[str]:
        if self.verbose:
            return [line]
        if self._framed is not None:
            self._framed.append(line)
            if line != SEPARATOR:
                return []
            framed, self._framed = self._framed, None
            return [] if any(gone in text for text in framed for gone in CLIENT_GONE) else framed
        if line == SEPARATOR:
            self._framed = [line]
            return []
        short = short_line(line)
        return [] if short is None else [short]


def say(line: str) -> None:
    with _print_lock:
        print(line, flush=True)


def pump(stream: IO[bytes], verbose: bool, write: Callable[[str], None] = say) -> threading.Thread:
    """Shows a process's output, filtered, as it comes (a thread per process, ending with its output)."""
    output = OutputFilter(verbose)

    def run() -> None:
        for raw in iter(stream.readline, b""):
            for line in output.lines(raw.decode("utf-8", "replace").rstrip("\r\n")):
                write(line)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


class QuietHTTPServer(ThreadingHTTPServer):
    """The local media and web servers: a client that hangs up (a video player seeking) is not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):  # BrokenPipeError and ConnectionResetError among them
            return
        super().handle_error(request, client_address)
