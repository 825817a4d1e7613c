"""What moto cannot check of the functions' role policies, checked on the template (infra/resources.yaml).

The end-to-end tests run every function under its role with moto's IAM enforcement on (local/iam.py): a call
the role lacks fails there. moto matches DynamoDB against `*` (no per-table grant is checked), checks a
transaction as one action (IAM checks each item), answers a missing key 404 with or without s3:ListBucket,
and has no logs locally. Those rules are held here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from infra.template import load_template
from local import iam

RESOURCES = load_template()["Resources"]
FUNCTIONS = {
    "api_handler": "APIHandler",
    "validate_upload": "ValidateUpload",
    "transcode_film": "TranscodeFilm",
    "protect_film": "ProtectFilm",
    "sweep_stuck_films": "SweepStuckFilms",
}
# The tables each function reads or writes: the catalog for all, and the stages' record of what they did.
TABLES = {
    "api_handler": {"CatalogTable"},
    "validate_upload": {"CatalogTable", "IdempotencyTable"},
    "transcode_film": {"CatalogTable", "IdempotencyTable"},
    "protect_film": {"CatalogTable", "IdempotencyTable"},
    "sweep_stuck_films": {"CatalogTable"},
}
# The catalog's indexes each function queries (adapters/film_items.py, adapters/listing_cursor.py): moto matches
# DynamoDB against `*`, so a missing index is found only on AWS. The API reads every index (`index/*`).
INDEXES = {
    "api_handler": {"*"},
    "validate_upload": set(),
    # Duplicates (services/duplicates.py): the office's films (gsi2) and the workshop's published ones (gsi1).
    "transcode_film": {"gsi1", "gsi2"},
    "protect_film": set(),
    # A workshop's latest published films for its share page (gsi1), films by status (gsi3), what is due (gsi4).
    "sweep_stuck_films": {"gsi1", "gsi3", "gsi4"},
}
# Key reads and tag changes whose "no such key" the code handles (adapters/s3_store.py: current, download,
# _tag, discard, is_public): without s3:ListBucket on the bucket S3 answers them 403, and the code fails.
ABSENCE_HANDLED = {"s3:GetObject", "s3:PutObjectTagging", "s3:DeleteObjectTagging", "s3:GetObjectTagging"}
BUCKETS = ("UploadsBucket", "MediaBucket", "WebsiteBucket")


def statements(function: str) -> list[dict[str, Any]]:
    return list(iam.template_policy({"Resources": RESOURCES}, function)["Statement"])


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants(function: str, prefix: str) -> list[tuple[str, Any]]:
    """(action, resource) for every action of `function`'s policy that starts with `prefix`."""
    return [
        (action, resource)
        for statement in statements(function)
        for action in listed(statement["Action"])
        if action.startswith(prefix)
        for resource in listed(statement["Resource"])
    ]


def bucket_of(resource: Any) -> str:
    text = json.dumps(resource)
    [bucket] = [name for name in BUCKETS if name in text]
    return bucket


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_function_writes_only_its_own_log_group(function):
    logs = grants(function, "logs:")
    # The template creates every log group (no logs:CreateLogGroup); CloudFormation names a function
    # STACK-LogicalId-SUFFIX, so this pattern is that one function's group and its streams.
    own = {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/"
        f"${{AWS::StackName}}-{FUNCTIONS[function]}-*"
    }
    assert sorted(logs, key=str) == [("logs:CreateLogStream", own), ("logs:PutLogEvents", own)]
    group = RESOURCES[f"{FUNCTIONS[function]}LogGroup"]["Properties"]["LogGroupName"]
    assert group == {"Fn::Sub": f"/aws/lambda/${{{FUNCTIONS[function]}}}"}
    others = [name for name in FUNCTIONS.values() if name != FUNCTIONS[function]]
    assert not any(other.startswith(FUNCTIONS[function]) for other in others), "a pattern would match another"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_a_role_that_reads_or_tags_keys_may_list_their_bucket(function):
    listable = {
        resource["Fn::GetAtt"][0] for action, resource in grants(function, "s3:ListBucket") if action == "s3:ListBucket"
    }
    needed = {bucket_of(resource) for action, resource in grants(function, "s3:") if action in ABSENCE_HANDLED}
    assert needed <= listable, f"{function} reads or tags keys of {sorted(needed - listable)} without s3:ListBucket"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_dynamodb_grants_name_the_functions_own_tables(function):
    tables = set()
    for _, resource in grants(function, "dynamodb:"):
        assert resource != "*", "moto widens DynamoDB to * (local/iam.py); the template never does"
        text = json.dumps(resource)
        [table] = [name for name in ("CatalogTable", "IdempotencyTable") if name in text]
        tables.add(table)
    assert tables == TABLES[function]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_function_may_query_the_catalog_indexes_it_reads(function):
    queried = {
        index
        for action, resource in grants(function, "dynamodb:")
        if action == "dynamodb:Query"
        for index in re.findall(r"CatalogTable\.Arn\}/index/([\w*]+)", json.dumps(resource))
    }
    assert queried == INDEXES[function]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_item_of_a_functions_transactions_is_granted_on_the_catalog(function):
    # Every function moves films (a change, domain/change.py: a TransactWriteItems of Update items); the API
    # also puts and deletes listing entries in the same transaction. IAM checks each item's own action.
    catalog = {"Fn::GetAtt": ["CatalogTable", "Arn"]}
    on_catalog = {action for action, resource in grants(function, "dynamodb:") if resource == catalog}
    needed = {"dynamodb:UpdateItem"} | (
        {"dynamodb:PutItem", "dynamodb:DeleteItem"} if function == "api_handler" else set()
    )
    assert needed <= on_catalog
    assert "dynamodb:ConditionCheckItem" not in on_catalog, "no transaction has a ConditionCheck item"


def test_the_moto_copy_of_a_policy_differs_only_as_documented():
    document = {
        "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"], "Resource": "arn:table/x"},
            {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": ["arn:table/x/index/gsi3"]},
            {"Effect": "Allow", "Action": ["s3:DeleteObject"], "Resource": ["arn:aws:s3:::b/uploads/*"]},
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:q"},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:secret:cursor-key"},
        ]
    }
    assert iam.moto_policy(document)["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems"],
            "Resource": "*",
        },
        {"Effect": "Allow", "Action": ["dynamodb:Query"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:DeleteObject"], "Resource": ["arn:aws:s3:::b/uploads/*"]},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:q"},
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": ["arn:aws:s3:::b"]},
    ]
    assert document["Statement"][0]["Resource"] == "arn:table/x", "the template's own policy is never changed"
