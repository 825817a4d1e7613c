"""API Gateway's own answers (an unknown path, a body over 10 MB, throttling, its default 4xx and 5xx)
in the API's error shape, through the gateway responses that the merge template puts in the REST API's
definition body. Checked on the template as `chalice package --merge-template` builds it: Chalice's own
swagger for this app, merged with infra/resources.yaml by Chalice's own merger."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from chalice.deploy.swagger import CFNSwaggerGenerator
from chalice.package import TemplateDeepMerger

import app as app_module
from chalicelib.api.errors import NO_ROUTE_MESSAGE
from infra.template import load_template

MERGE_TEMPLATE = load_template()  # infra/resources.yaml, read by the loader chalice package uses


def packaged_rest_api() -> dict[str, Any]:
    """The REST API resource of the packaged template (what SAMTemplateGenerator writes, then merged)."""
    chalice_template = {
        "Resources": {
            "RestAPI": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "StageName": "api",
                    "DefinitionBody": CFNSwaggerGenerator().generate_swagger(app_module.app),
                },
            }
        }
    }
    merged: dict[str, Any] = TemplateDeepMerger().merge(MERGE_TEMPLATE, chalice_template)
    return dict(merged["Resources"]["RestAPI"])


def render(template: str, message: str) -> Any:
    """What API Gateway sends for a response template: `$context.error.messageString` is the quoted message."""
    return json.loads(template.replace("$context.error.messageString", json.dumps(message)))


def test_the_merge_keeps_chalices_api_and_adds_the_gateway_responses():
    rest_api = packaged_rest_api()
    assert rest_api["Type"] == "AWS::Serverless::Api"
    body = rest_api["Properties"]["DefinitionBody"]
    assert "/uploads" in body["paths"] and "/videos/{video_id}" in body["paths"]
    assert "DEFAULT_4XX" in body["x-amazon-apigateway-gateway-responses"]
    kinds = {resource.get("Type") for resource in MERGE_TEMPLATE["Resources"].values()}
    assert "AWS::ApiGateway::GatewayResponse" not in kinds, "a standalone GatewayResponse is not redeployed"


@pytest.mark.parametrize(
    ("response_type", "status", "code"),
    [
        ("MISSING_AUTHENTICATION_TOKEN", "404", "not_found"),  # an unknown path: there is no token to miss
        ("RESOURCE_NOT_FOUND", "404", "not_found"),
        ("REQUEST_TOO_LARGE", None, "request_too_large"),
        ("THROTTLED", None, "throttled"),
        ("QUOTA_EXCEEDED", None, "throttled"),
        ("UNSUPPORTED_MEDIA_TYPE", None, "unsupported_media_type"),
        ("INTEGRATION_TIMEOUT", None, "timeout"),
        ("DEFAULT_4XX", None, "bad_request"),
        ("DEFAULT_5XX", None, "internal_error"),
    ],
)
def test_every_answer_of_api_gateway_itself_is_in_the_api_shape(response_type, status, code):
    responses = packaged_rest_api()["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    response = responses[response_type]
    assert response.get("statusCode") == status
    body = render(response["responseTemplates"]["application/json"], 'He said "no"')
    assert set(body) == {"error", "message"} and body["error"] == code
    assert body["message"]
    # A page on another origin reads the error as it reads every other answer of the API.
    assert response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"


def test_no_template_leaks_more_than_the_gateways_own_message():
    responses = packaged_rest_api()["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    variables = {var for r in responses.values() for var in re.findall(r"\$[\w.]+", json.dumps(r["responseTemplates"]))}
    assert variables <= {"$context.error.messageString"}


def test_the_app_answers_a_method_no_route_has_with_the_gateway_s_own_not_found():
    """API Gateway answers a method a resource lacks as an unknown path; the app (and so `chalice local`
    and the test client) answers Chalice's 405 with the same body (chalicelib/api/errors.py)."""
    responses = packaged_rest_api()["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    body = json.loads(responses["MISSING_AUTHENTICATION_TOKEN"]["responseTemplates"]["application/json"])
    assert body == {"error": "not_found", "message": NO_ROUTE_MESSAGE}
