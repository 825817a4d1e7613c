"""Functional tests: the Chalice app in process (chalice.test.Client, handlers called directly),
moto's server in a thread as AWS, real ffmpeg on tiny generated clips."""

from __future__ import annotations

import copy
import json
import logging
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from chalice.test import Client
from moto.server import ThreadedMotoServer

import app as app_module
from chalicelib import wiring
from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
from chalicelib.adapters.dynamodb_items import from_item, to_item
from chalicelib.adapters.film_items import film_key
from chalicelib.domain import stages
from chalicelib.domain.object_keys import upload_key
from chalicelib.services.access import EDITOR, FIELD_OFFICE, create_key
from infra.template import load_template
from local import chalice_config
from local.lambda_context import LocalLambdaContext, function_context
from local.resources import ROOT, LocalResources
from local.worker import lambda_event
from tests.functional.media_samples import make_samples

MEDIA_BASE_URL = "https://media.example.org"
SITE_URL = "https://films.example.org"
# moto's server logs every request it answers; the tests' own output is what matters.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


@dataclass
class KeptClients:
    """The clients of a boto3 session for moto's one server, made once per service and kept in `kept`."""

    session: Any
    kept: dict[str, Any]

    def client(self, service: str, endpoint_url: str | None = None) -> Any:
        if service not in self.kept:
            self.kept[service] = self.session.client(service, endpoint_url=endpoint_url)
        return self.kept[service]


@dataclass
class Stack:
    session: Any
    resources: LocalResources
    env: dict[str, str]
    keys: dict[str, str]
    clients: dict[str, Any]
    functions_session: Any  # where chalicelib.wiring makes the functions' clients

    def settings_changed(self) -> None:
        """The functions read their settings anew (a test changed one), on the clients they already have."""
        wiring.use_session(self.functions_session)

    def client(self, service: str) -> Any:
        """The test's own client of `service` (kept across cases: making a client takes tens of milliseconds).
        A test that stubs a client makes its own from `session`."""
        return KeptClients(self.session, self.clients).client(service)

    def name(self, logical_id: str) -> str:
        return str(self.resources.resolve({"Ref": logical_id}))

    def catalog_item(self, video_id: str) -> dict[str, Any] | None:
        """The film's item as the table stores it (table keys included)."""
        table = self.env["CATALOG_TABLE"]
        response = self.client("dynamodb").get_item(
            TableName=table, Key=to_item(film_key(video_id)), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def deliver(self, queue_logical_id: str, handler_name: str, time_limit_s: float | None = None) -> int:
        """Hand every message waiting on a queue to its handler, as Lambda's event source would, with the
        function's own time limit (the template's) unless a test about time limits gives one."""
        sqs = self.client("sqs")
        url = self.name(queue_logical_id)
        handler = getattr(app_module, handler_name)
        delivered = 0
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            for message in messages:
                handler(
                    lambda_event(message, f"arn:aws:sqs:us-east-1:123456789012:{handler_name}"),
                    function_context(handler_name)
                    if time_limit_s is None
                    else LocalLambdaContext(handler_name, time_limit_s),
                )
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                delivered += 1
        return delivered

    def run_pipeline(self) -> None:
        """Each stage's queue in the order a film meets them (chalicelib/domain/stages.py)."""
        for stage in stages.STAGES:
            self.deliver(stage.queue_id, stage.function)

    def put_upload(self, video_id: str, path: Path, extension: str = ".mp4") -> None:
        """What the browser's presigned POST does: the file lands at the server-chosen key."""
        key = upload_key(video_id, extension)
        self.client("s3").put_object(Bucket=self.name("UploadsBucket"), Key=key, Body=path.read_bytes())


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's server in a thread: ffprobe reads uploads through presigned URLs, so S3 must speak HTTP."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    """infra/resources.yaml, read once: PyYAML in pure Python takes a good part of a second to read it."""
    return load_template()


def moto_session() -> Any:
    """A boto3 session for moto's server (whose endpoint each client reads from AWS_ENDPOINT_URL)."""
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


@pytest.fixture(scope="session")
def aws_session(moto_endpoint: str) -> Any:
    """One boto3 session for the tests' own clients, kept across tests: a new session reads botocore's data files
    (endpoints, service models) anew, most of the second that making a client takes."""
    return moto_session()


@pytest.fixture(scope="session")
def test_clients(aws_session: Any) -> dict[str, Any]:
    """The tests' own clients, by service, made on first use and kept across cases."""
    return {}


@pytest.fixture(scope="session")
def functions_session(moto_endpoint: str) -> Iterator[Any]:
    """The same, for the clients the functions make (chalicelib.wiring): their own, as in a Lambda container,
    and kept across cases as a warm container keeps them (each case only changes the names the functions read)."""
    session = moto_session()
    wiring.reset(session)
    yield session
    wiring.reset()


@pytest.fixture
def stack(
    monkeypatch: pytest.MonkeyPatch,
    moto_endpoint: str,
    template: dict[str, Any],
    aws_session: Any,
    functions_session: Any,
    test_clients: dict[str, Any],
) -> Iterator[Stack]:
    requests.post(f"{moto_endpoint}/moto-api/reset", timeout=10).raise_for_status()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    session = aws_session
    resources = LocalResources(KeptClients(session, test_clients), moto_endpoint, "omjr-test", copy.deepcopy(template))
    resources.create_all()
    env = {
        **chalice_config.environment("local"),
        **resources.function_environment({"MEDIA_BASE_URL": MEDIA_BASE_URL, "SITE_URL": SITE_URL}),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    wiring.use_session(functions_session)  # as left by the last case, unless it put another session in place
    stack = Stack(session, resources, env, {}, test_clients, functions_session)
    catalog = DynamoDBCatalog(stack.client("dynamodb"), env["CATALOG_TABLE"])
    keys = {
        "office": create_key(catalog, FIELD_OFFICE, office_id="office-caucasus", countries=frozenset({"AZ", "AM"})),
        "other_office": create_key(
            catalog, FIELD_OFFICE, office_id="office-central-asia", countries=frozenset({"KG", "TJ"})
        ),
        "editor": create_key(catalog, EDITOR, label="editor Anna"),
    }
    stack.keys.update(keys)
    yield stack
    wiring.use_session(functions_session)


@pytest.fixture
def api(stack: Stack) -> Iterator[Client]:
    with Client(app_module.app, stage_name="local", project_dir=str(ROOT)) as client:
        yield client


def upload_body(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "My street",
        "country": "AZ",
        "topics": ["leave-no-child-out"],
        "author": {"first_name": "Leyla", "age": 14},
        "filename": "my-street.mp4",
        "size_bytes": 200_000,
        "content_type": "video/mp4",
        "workshop": "baku-2012",
    }
    body.update(changes)
    return body


def post_json(api: Client, path: str, body: Any, key: str | None) -> Any:
    headers = {"content-type": "application/json"}
    if key:
        headers["x-api-key"] = key
    return api.http.post(path, headers=headers, body=body if isinstance(body, str) else json.dumps(body))


def get(api: Client, path: str, key: str | None = None) -> Any:
    return api.http.get(path, headers={"x-api-key": key} if key else {})


def is_gone(api: Client, video_id: str) -> bool:
    """What the public API says of a film that was published and no longer is: 410, and nothing else about it."""
    response = get(api, f"/videos/{video_id}")
    return response.status_code == 410 and response.json_body == {
        "error": "no_longer_available",
        "message": "This film is no longer available.",
    }


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory, clips: dict[str, Path]) -> dict[str, Path]:
    return make_samples(tmp_path_factory.mktemp("samples"), clips["valid"])


def ffprobe_json(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "-show_chapters",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


CONSENT = {"guardian_consent": True, "child_assent": True, "reference": "consent forms, Baku workshop box 3"}
# The body of a takedown (`DELETE /videos/{id}`): why it is taken down, for its audit trail.
TAKEDOWN = {"reason": "consent_withdrawn"}


def publish(api: Client, stack: Stack, video_id: str) -> Any:
    """What an editor does: record the consent, then publish."""
    assert post_json(api, f"/videos/{video_id}/consent", CONSENT, stack.keys["editor"]).status_code == 200
    return post_json(api, f"/videos/{video_id}/publish", {}, stack.keys["editor"])
