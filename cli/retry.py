"""Requests to storage and the API on a connection that drops: retried with backoff."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

from cli.client import IngestClient

ATTEMPTS = 4
BACKOFF_S = 2.0


def with_retries(send: Callable[[], requests.Response], what: str, out: Callable[[str], None]) -> requests.Response:
    """`send()` again after a lost connection or a 5xx, waiting 2, 4, 8 s; any other answer is returned."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = send()
            if response.status_code < 500:
                return response
        except (requests.ConnectionError, requests.Timeout):
            pass
        if attempt == ATTEMPTS:
            raise SystemExit(f"\n{what}: failed {ATTEMPTS} times; check the connection and run the same command "
                             "again: it continues where it stopped.")  # fmt: skip
        wait_s = BACKOFF_S * 2 ** (attempt - 1)
        out(f"\n  {what}: connection lost, trying again in {wait_s:.0f} s\n")
        time.sleep(wait_s)
    raise AssertionError("unreachable")


def api_request(client: IngestClient, method: str, path: str, what: str, out: Callable[[str], None],
                **kwargs: Any) -> requests.Response:  # fmt: skip
    """An API request, retried as the films' own transfers are."""
    return with_retries(lambda: client.request(method, path, **kwargs), what, out)
