"""Every client mistake is answered in the documented shape `{"error": code, "message": ...}` by the local
stack over real HTTP, also what the local gateway and Chalice answer before our routes run."""

from __future__ import annotations

import requests

from tests.e2e.conftest import RunningStack


def shaped(response: requests.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code, body
    return body


def test_an_unknown_route_is_a_404_in_the_api_shape(running_stack: RunningStack):
    api = running_stack.info["api_url"]
    shaped(requests.get(f"{api}/no-such-route", timeout=10), 404, "not_found")
    shaped(requests.post(f"{api}/uploads/x/y/z", json={}, timeout=10), 404, "not_found")


def test_chalices_own_refusals_and_bad_bodies_over_http(running_stack: RunningStack):
    api = running_stack.info["api_url"]
    office = {"x-api-key": running_stack.info["api_keys"]["field_office"]}
    editor = {"x-api-key": running_stack.info["api_keys"]["editor"]}
    # A method a route does not have is an unknown route, as API Gateway answers it deployed.
    shaped(requests.put(f"{api}/uploads", headers=office, json={}, timeout=10), 404, "not_found")
    subtitles = f"{api}/videos/0b8f6a52-8a0e-4f1e-9a53-2a4f7d3e2c11/subtitles/en"
    wrong_type = requests.put(subtitles, headers={**editor, "content-type": "image/png"}, data=b"x", timeout=10)
    shaped(wrong_type, 415, "unsupported_media_type")
    json_headers = {**office, "content-type": "application/json"}
    shaped(requests.post(f"{api}/uploads", headers=json_headers, data="[" * 10_000, timeout=10), 400, "invalid_json")
    huge = '{"size_bytes": ' + "9" * 5_000 + "}"
    shaped(requests.post(f"{api}/uploads", headers=json_headers, data=huge, timeout=10), 400, "invalid_number")
