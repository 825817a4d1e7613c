"""On the local stack, where every function runs under its own role with moto's IAM enforcement on and a front
checks presigned requests as S3 does (local/iam.py, local/s3_front.py): a form writes only its own key and
size, and a function whose role lacks a permission its code uses is refused."""

from __future__ import annotations

import functools
import json
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import urlsplit

import boto3
import requests

from chalicelib.adapters.cdn_cache import CdnCache
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.s3_store import S3Store
from chalicelib.adapters.sqs_queue import SQSQueue
from chalicelib.clock import now_iso
from chalicelib.domain.film import Film, Status
from chalicelib.domain.stages import PROTECT
from chalicelib.services.access import FIELD_OFFICE, create_key
from chalicelib.services.dependencies import Dependencies
from local import iam
from local.client import IngestClient
from local.resources import ACCOUNT_ID
from tests.e2e.conftest import RunningStack, aws

S3_TEST_EVENT = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})
METADATA = {"title": "Roles", "country": "AZ", "topics": ["violence"], "author": {"first_name": "Ali", "age": 12}}


@functools.cache
def admin(stack: RunningStack, service: str) -> Any:
    """The stack's admin client, one per service: a client costs a fraction of a second to make."""
    return aws(stack, service)


def new_upload(office: IngestClient, size_bytes: int, **extra: object) -> dict:
    body = {**METADATA, "filename": "film.mp4", "content_type": "video/mp4", "size_bytes": size_bytes, **extra}
    response = office.request("POST", "/uploads", json=body)
    assert response.status_code == 201, response.text
    created: dict = response.json()
    return created


def post_form(upload: dict, data: bytes, **changed: str) -> requests.Response:
    fields = {**upload["fields"], **changed}
    return requests.post(upload["url"], data=fields, files={"file": ("film.mp4", data, "video/mp4")}, timeout=30)


def another_office(stack: RunningStack) -> IngestClient:
    catalog = DynamoDBCatalog(admin(stack, "dynamodb"), stack.info["resources"]["CatalogTable"])
    key = create_key(catalog, FIELD_OFFICE, office_id="am-yerevan", countries=frozenset({"AZ"}), label="Yerevan")
    return IngestClient(stack.info["api_url"], key)


def test_an_office_cannot_overwrite_another_offices_upload_with_its_own_form(running_stack: RunningStack):
    office, rival = running_stack.client("field_office"), another_office(running_stack)
    theirs = new_upload(office, 1000)
    assert post_form(theirs["upload"], b"their film " * 10).status_code == 204
    key = theirs["upload"]["fields"]["key"]
    before = admin(running_stack, "s3").head_object(Bucket=running_stack.info["resources"]["UploadsBucket"], Key=key)

    mine = new_upload(rival, 1000)
    answer = post_form(mine["upload"], b"my film", key=key)
    assert answer.status_code == 403 and "<Code>AccessDenied</Code>" in answer.text, answer.text
    after = admin(running_stack, "s3").head_object(Bucket=running_stack.info["resources"]["UploadsBucket"], Key=key)
    assert after["ETag"] == before["ETag"]


def test_a_file_larger_than_its_form_allows_is_refused_and_nothing_is_stored(running_stack: RunningStack):
    upload = new_upload(running_stack.client("field_office"), 1000)
    answer = post_form(upload["upload"], b"x" * 1001)
    assert answer.status_code == 400 and "<Code>EntityTooLarge</Code>" in answer.text, answer.text
    listed = admin(running_stack, "s3").list_objects_v2(
        Bucket=running_stack.info["resources"]["UploadsBucket"], Prefix=upload["upload"]["fields"]["key"]
    )
    assert listed.get("KeyCount") == 0


def test_a_form_cut_off_mid_file_stores_nothing(running_stack: RunningStack):
    # What a page reloaded during an upload sends: the form's headers and part of its body, then nothing.
    upload = new_upload(running_stack.client("field_office"), 1000)["upload"]
    files = {"file": ("film.mp4", b"x" * 900, "video/mp4")}
    prepared = requests.Request("POST", upload["url"], data=upload["fields"], files=files).prepare()
    assert isinstance(prepared.body, bytes)
    url = urlsplit(upload["url"])
    head = f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in prepared.headers.items()
    )
    with socket.create_connection((url.hostname, url.port), timeout=30) as connection:
        connection.sendall(head.encode() + b"\r\n" + prepared.body[: len(prepared.body) - 100])
        connection.shutdown(socket.SHUT_WR)
        assert connection.recv(1024) == b"", "no answer: the front stopped reading and sent nothing on"
    listed = admin(running_stack, "s3").list_objects_v2(
        Bucket=running_stack.info["resources"]["UploadsBucket"], Prefix=upload["fields"]["key"]
    )
    assert listed.get("KeyCount") == 0


@contextmanager
def role_without(stack: RunningStack, function: str, action: str) -> Iterator[None]:
    """The function's role without `action` while the block runs (moto reads a role's policy at each call)."""
    client, role = admin(stack, "iam"), stack.info["roles"][function]
    [name] = client.list_role_policies(RoleName=role)["PolicyNames"]
    document = client.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
    client.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=json.dumps(iam.without(document, action)))
    try:
        yield
    finally:
        client.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=json.dumps(document))


def unfinished_uploads(stack: RunningStack, video_id: str) -> list[str]:
    listed = admin(stack, "s3").list_multipart_uploads(
        Bucket=stack.info["resources"]["UploadsBucket"], Prefix=f"uploads/{video_id}/"
    )
    return [upload["Key"] for upload in listed.get("Uploads", [])]


def test_a_takedown_whose_role_cannot_find_unfinished_uploads_is_refused_them(running_stack: RunningStack):
    office, editor = running_stack.client("field_office"), running_stack.client("editor")
    refused = new_upload(office, 20 * 2**20, multipart=True)["video_id"]
    granted = new_upload(office, 20 * 2**20, multipart=True)["video_id"]
    assert unfinished_uploads(running_stack, refused) and unfinished_uploads(running_stack, granted)

    with role_without(running_stack, "api_handler", "s3:ListBucketMultipartUploads"):
        editor.request("DELETE", f"/videos/{refused}", json={"reason": "safeguarding"})
    # The role's missing grant is what stopped it: the same takedown with the grant leaves no part behind.
    assert unfinished_uploads(running_stack, refused) != []
    assert editor.request("DELETE", f"/videos/{granted}", json={"reason": "safeguarding"}).status_code == 200
    assert unfinished_uploads(running_stack, granted) == []


def test_the_review_page_reads_its_films_under_the_apis_role(running_stack: RunningStack):
    catalog = DynamoDBCatalog(admin(running_stack, "dynamodb"), running_stack.info["resources"]["CatalogTable"])
    video_id, at = str(uuid.uuid4()), now_iso()
    catalog.create_film(Film(video_id, Status.READY, at, at, office_id="am-yerevan", title="Waiting for review"))
    editor = running_stack.client("editor")
    answer = editor.request("GET", "/review")
    assert answer.status_code == 200, answer.text
    assert video_id in [film["video_id"] for film in answer.json()["items"]]
    # The films of the page are one BatchGetItem: the grant that reads them.
    with role_without(running_stack, "api_handler", "dynamodb:BatchGetItem"):
        assert editor.request("GET", "/review").status_code == 500


@functools.cache
def role_session(stack: RunningStack, function: str) -> boto3.session.Session:
    """A session with the credentials of the function's role, as the stack gives them to the function."""
    arn = f"arn:aws:iam::{ACCOUNT_ID}:role/{stack.info['roles'][function]}"
    found = admin(stack, "sts").assume_role(RoleArn=arn, RoleSessionName=f"test-{function}")["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=found["AccessKeyId"],
        aws_secret_access_key=found["SecretAccessKey"],
        aws_session_token=found["SessionToken"],
        region_name="us-east-1",
    )


def as_function(stack: RunningStack, function: str, service: str) -> Any:
    return role_session(stack, function).client(service, endpoint_url=stack.info["aws_endpoint_url"])


def as_sweep(stack: RunningStack, settings: Any = None) -> Dependencies:
    """What the functions' sweep works with, every client under its own role (no CDN locally; `settings` only
    as far as the caller's part reads them)."""
    resources = stack.info["resources"]

    def client(service: str) -> Any:
        return as_function(stack, "sweep_stuck_films", service)

    return Dependencies(
        settings=settings,
        catalog=DynamoDBCatalog(client("dynamodb"), resources["CatalogTable"]),
        uploads=S3Store(client("s3"), resources["UploadsBucket"]),
        media=S3Store(client("s3"), resources["MediaBucket"]),
        media_cache=CdnCache(None, ""),
        queues={PROTECT.name: SQSQueue(client("sqs"), resources["ProtectQueue"])},
        idempotency=cast(Any, None),
    )


def test_the_calls_of_paths_the_other_tests_seldom_take_are_granted(running_stack: RunningStack):
    resources = running_stack.info["resources"]
    # An upload replaced while it was validated or transcoded goes back to the uploads queue
    # (services/replaced_uploads.py); S3's test event is what the validation ignores.
    for function in ("validate_upload", "transcode_film"):
        sqs = as_function(running_stack, function, "sqs")
        sqs.send_message(QueueUrl=resources["UploadsQueue"], MessageBody=S3_TEST_EVENT)
    # s3transfer aborts a multipart write that failed: the transcode's outputs, the protected master.
    for function, bucket, key in (
        ("transcode_film", "MediaBucket", "staging/roles-test/720p.mp4"),
        ("protect_film", "UploadsBucket", "uploads/roles-test/protected.mkv"),
    ):
        s3 = as_function(running_stack, function, "s3")
        upload_id = s3.create_multipart_upload(Bucket=resources[bucket], Key=key)["UploadId"]
        s3.abort_multipart_upload(Bucket=resources[bucket], Key=key, UploadId=upload_id)


def test_an_editors_retry_queues_the_film_for_validation_under_the_apis_role(running_stack: RunningStack):
    catalog = DynamoDBCatalog(admin(running_stack, "dynamodb"), running_stack.info["resources"]["CatalogTable"])
    at = now_iso()
    refused, granted = str(uuid.uuid4()), str(uuid.uuid4())
    for video_id in (refused, granted):
        catalog.create_film(Film(video_id, Status.FAILED, at, at, office_id="am-yerevan", title="Failed"))
    editor = running_stack.client("editor")
    # The retry's message to the uploads queue is sent under the API's role: without the grant it is refused.
    with role_without(running_stack, "api_handler", "sqs:SendMessage"):
        assert editor.request("POST", f"/videos/{refused}/retry").status_code == 500
    answer = editor.request("POST", f"/videos/{granted}/retry")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "UPLOADED"
