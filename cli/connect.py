"""The first call to the API, and every network or configuration mistake told in one line a facilitator can
act on (a wrong --api-url, a website's address instead of the API's, a wrong key, no connection), never a
traceback."""

from __future__ import annotations

from typing import Any

import requests

from cli.client import IngestClient

# The API's own answers to a missing or wrong key (chalicelib/services/access.py).
KEY_REFUSED = frozenset({"unauthenticated", "forbidden"})
URL_HINT = "check --api-url: it is the API's address the project team gave you (locally, the one `make run` prints)"


class ApiUnusable(SystemExit):
    """The API cannot be used as given; the message is the one line to print."""


def one_line(error: requests.RequestException, api_url: str) -> str:
    """A network failure in a facilitator's words."""
    if isinstance(error, requests.exceptions.MissingSchema | requests.exceptions.InvalidSchema):
        return f"{api_url!r} is not a web address: it starts with https:// (or http://); {URL_HINT}."
    if isinstance(error, requests.exceptions.InvalidURL):
        return f"{api_url!r} is not a web address; {URL_HINT}."
    if isinstance(error, requests.exceptions.SSLError):
        return f"{api_url} did not prove who it is (a certificate problem); {URL_HINT}."
    if isinstance(error, requests.Timeout):
        return f"{api_url} did not answer in time: check the internet connection and run the same command again."
    if isinstance(error, requests.ConnectionError):
        return f"Could not reach {api_url}: check the internet connection, and {URL_HINT}."
    return f"The request to {api_url} failed ({type(error).__name__}); run the same command again."


def answer_json(response: requests.Response, api_url: str) -> dict[str, Any]:
    """The API's JSON answer, or one line saying why this is not the API (a web page, a wrong key)."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        raise ApiUnusable(
            f"{api_url} answered with a web page, not the API ({response.status_code}): {URL_HINT}; the website's "
            "address is not the API's."
        )
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        raise ApiUnusable(f"{api_url} answered something that is not the API's; {URL_HINT}.") from None
    if not isinstance(body, dict):
        raise ApiUnusable(f"{api_url} answered something that is not the API's; {URL_HINT}.")
    if body.get("error") in KEY_REFUSED:
        raise ApiUnusable(
            f"The API at {api_url} refused the key: check --api-key; it is your field office's key, as the "
            "project team gave it (an editor's key does not upload)."
        )
    if response.status_code in (403, 404):  # a gateway's answer for a path it does not serve: not our API there
        raise ApiUnusable(f"{api_url} has no upload API ({response.status_code}); {URL_HINT}.")
    if response.status_code >= 400:
        raise ApiUnusable(f"The API at {api_url} answered {response.status_code}: {body.get('message', body)}")
    return body


def connect(api_url: str, api_key: str) -> tuple[IngestClient, dict[str, Any]]:
    """A client for the API and the stage's upload rules; checks the address and the key on the way."""
    client = IngestClient(api_url, api_key)
    try:
        rules = answer_json(client.request("GET", "/uploads/rules"), client.api_url)
    except requests.RequestException as error:
        raise ApiUnusable(one_line(error, client.api_url)) from None
    if not isinstance(rules.get("topics"), list):
        raise ApiUnusable(f"{client.api_url} answered, but not as this command's API does; {URL_HINT}.")
    return client, rules
