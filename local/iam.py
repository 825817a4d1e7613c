"""Every local function under its own role, as on AWS: the roles of `infra/resources.yaml` made in moto's IAM.

The stack creates an admin IAM user (what it, the media stand-in and the tests act as), one role per function
with the policy the packaged template gives that function, then switches moto's IAM enforcement on and hands each
process the credentials of its role, assumed with sts:AssumeRole. A call the role does not grant is then refused
locally as it would be on AWS.

moto does not check everything as IAM does, so the policy it gets differs from the template's in three
documented ways, here only (never written back to the template):
- statements of every service but S3 and SQS (DynamoDB, Secrets Manager, ...) are widened to `*`: moto matches
  those against the literal `*`;
- `dynamodb:TransactWriteItems` is added where writes are granted: moto checks it as an action of its own,
  IAM checks each item's Put/Update/Delete/ConditionCheck;
- `s3:DeleteObject` is granted on the bucket ARN too: moto checks DeleteObjects on the bucket, IAM per key.
What moto cannot check at all is checked on the template itself (tests/unit/test_role_policies.py) and listed in
docs/DEPLOY.md.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

import requests

from local.s3_front import Credentials

ADMIN_USER = "omjr-local-admin"
SESSION_S = 12 * 3600  # a local stack runs for a working day; moto does not expire sessions anyway
DYNAMODB_WRITES = frozenset(
    {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}
)


def role_logical_id(function: str) -> str:
    """The role Chalice generates for a function: `validate_upload` -> `ValidateUploadRole`."""
    return "".join(part.capitalize() for part in function.split("_")) + "Role"


def template_policy(template: dict[str, Any], function: str) -> dict[str, Any]:
    """The function's policy document as the template writes it (intrinsic functions unresolved)."""
    [policy] = template["Resources"][role_logical_id(function)]["Properties"]["Policies"]
    document: dict[str, Any] = policy["PolicyDocument"]
    return document


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def moto_policy(document: dict[str, Any]) -> dict[str, Any]:
    """A resolved policy document with the three changes moto needs (the module's docstring says why)."""
    statements = []
    delete_buckets: list[str] = []
    for statement in copy.deepcopy(document["Statement"]):
        actions = _listed(statement["Action"])
        if not any(action.startswith(("s3:", "sqs:")) for action in actions):
            statement["Resource"] = "*"
            if DYNAMODB_WRITES & set(actions):
                actions.append("dynamodb:TransactWriteItems")
            statement["Action"] = actions
        if "s3:DeleteObject" in actions:
            for resource in _listed(statement["Resource"]):
                bucket = str(resource).split("/", 1)[0]
                if bucket.startswith("arn:aws:s3:::") and bucket not in delete_buckets:
                    delete_buckets.append(bucket)
        statements.append(statement)
    if delete_buckets:
        statements.append({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": delete_buckets})
    return {**document, "Statement": statements}


def without(document: dict[str, Any], action: str) -> dict[str, Any]:
    """The document with `action` granted nowhere (to show a function failing without it)."""
    statements = []
    for statement in copy.deepcopy(document["Statement"]):
        kept = [granted for granted in _listed(statement["Action"]) if granted != action]
        if kept:
            statements.append({**statement, "Action": kept})
    return {**document, "Statement": statements}


def create_admin(iam: Any) -> Credentials:
    """An IAM user that may do everything: what the stack itself, the media stand-in and the tests act as."""
    iam.create_user(UserName=ADMIN_USER)
    iam.put_user_policy(
        UserName=ADMIN_USER,
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
    return Credentials(key["AccessKeyId"], key["SecretAccessKey"])


def create_role(iam: Any, name: str, document: dict[str, Any], account_id: str) -> str:
    """A role the admin user may assume, with `document` as its only policy; its ARN."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:user/{ADMIN_USER}"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=SESSION_S)[
        "Role"
    ]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName=f"{name}Policy", PolicyDocument=json.dumps(document))
    return arn


def assume(sts: Any, role_arn: str, session_name: str) -> Credentials:
    found = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name, DurationSeconds=SESSION_S)["Credentials"]
    return Credentials(found["AccessKeyId"], found["SecretAccessKey"], found["SessionToken"])


def enforce(endpoint: str) -> None:
    """From now on moto checks every request's signature and IAM (until then it checked none)."""
    requests.post(f"{endpoint}/moto-api/reset-auth", data=b"0", timeout=10).raise_for_status()


def functions_of(template: dict[str, Any], names: Iterable[str]) -> list[str]:
    """The given function names that have a role in the template; a function without one fails loudly."""
    missing = [name for name in names if role_logical_id(name) not in template["Resources"]]
    if missing:
        raise ValueError(f"infra/resources.yaml has no role for {missing}: give each function its own policy")
    return list(names)
