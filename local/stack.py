"""`make run`: the whole system on this machine, with moto's server as the local AWS.

Starts moto on loopback, creates the resources from `infra/resources.yaml` and each function's role
(`local/iam.py`), switches moto's IAM enforcement on, puts the S3 front before it (`local/s3_front.py`), serves the
API with `chalice local` (`local/api_server.py`), serves media as CloudFront would (`local/media_cdn.py`) and the
website's pages (`local/web_server.py`, on WEB_PORT, 8080 by default), runs workers for each stage of the pipeline
(`chalicelib/domain/stages.py`: the SQS event sources of `app.py`), each process with the credentials of its own
function's role, writes `.local/stack.json`, and ingests the demo films unless SAMPLES=0.
Ctrl-C stops every process it started.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import requests
from chalice.app import ScheduledEventConfig

from chalicelib.domain.stages import STAGES
from local import chalice_config, iam
from local.console import pump, say
from local.demo import run_demo
from local.media_cdn import serve_media
from local.resources import ACCOUNT_ID, ROOT, LocalResources
from local.s3_front import Credentials, S3Front
from local.toolchain import use_face_model, use_layer_ffmpeg
from local.web_server import bind_web, serve_web
from local.worker import VERBOSE_ENV

STAGE = "local"
STACK_NAME = "omjr-local"
# LOCAL_STATE_DIR lets the end-to-end tests run a stack of their own beside a developer's.
STATE_DIR = Path(os.environ.get("LOCAL_STATE_DIR") or ROOT / ".local")
STACK_FILE = STATE_DIR / "stack.json"
WORKERS_PER_QUEUE = 2
DEFAULT_WEB_PORT = 8080  # the address a newcomer opens (README); the API is on PORT, 8000 by default
API_FUNCTION = "api_handler"  # the name Chalice gives the API's function (its role: ApiHandlerRole)
AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def port_of(server: ThreadingHTTPServer) -> int:
    return int(server.server_address[1])


def port_taken(port: int, what: str, variable: str, error: OSError) -> SystemExit:
    return SystemExit(
        f"{what} cannot use port {port} ({error.strerror}: another program, perhaps another `make run`, "
        f"listens there): stop it, or set {variable} to a free port"
    )


def claim_port(port: int, what: str, variable: str) -> None:
    """Stop at once when another program listens on `port`. Checked before anything starts: the API's start-up
    check would otherwise be answered by that program (another `make run`, say), and the console would print
    keys and addresses that are not this stack's before the API server failed with a traceback."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is no owner
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise port_taken(port, what, variable, error) from None


def start_moto() -> tuple[subprocess.Popen[bytes], int]:
    """moto's server, its DynamoDB writes isolated as on AWS (local/moto_server.py), and its port: one the kernel
    chooses as moto binds it. A port found free beforehand could be taken by another program (another stack
    starting) before moto binds it, and this stack would then talk to that program's AWS."""
    scratch = Path(tempfile.mkdtemp(prefix="omjr-moto-"))
    port_file = scratch / "port"
    try:
        with (scratch / "errors").open("wb") as errors:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "local.moto_server",
                    "-H",
                    "127.0.0.1",
                    "-p",
                    "0",
                    "--port-file",
                    str(port_file),
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,
            )
        try:
            wait_until(lambda: port_file.exists() or process.poll() is not None, "moto server")
        except SystemExit:
            process.kill()
            raise
        if not port_file.exists():
            said = (scratch / "errors").read_text(errors="replace").strip().splitlines()[-5:]
            raise SystemExit(f"moto server stopped as it started (exit code {process.returncode}):\n" + "\n".join(said))
        return process, int(port_file.read_text())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# A start-up check waits this long for each answer: one that gives up sooner makes the server write a
# broken-pipe traceback when it answers (the first request imports the whole app).
CHECK_TIMEOUT_S = 10


def wait_until(check: Any, what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not start within {timeout_s:.0f} s")


class LocalStack:
    def __init__(self, api_port: int, verbose: bool = False) -> None:
        self.api_port = api_port
        self.verbose = verbose
        self.processes: list[subprocess.Popen[bytes]] = []
        # Workers and the scheduler come back when they die, as Lambda starts a new environment.
        self.restartable: dict[int, tuple[list[str], dict[str, str] | None]] = {}
        self.media_server: ThreadingHTTPServer | None = None
        self.web_server: ThreadingHTTPServer | None = None
        self.web_served = False
        self.s3_front: ThreadingHTTPServer | None = None
        # Only the stack that wrote .local/stack.json removes it: one that could not start leaves another's alone.
        self.wrote_stack_file = False

    def start(self) -> dict[str, Any]:
        web_port = int(os.environ.get("WEB_PORT") or DEFAULT_WEB_PORT)
        claim_port(self.api_port, "the API", "PORT")
        try:  # held from now on: the many servers started below take ports of their own meanwhile
            self.web_server = bind_web(f"http://127.0.0.1:{self.api_port}", web_port)
        except OSError as error:
            raise port_taken(web_port, "the website", "WEB_PORT", error) from None
        moto, moto_port = start_moto()
        self.processes.append(moto)
        endpoint = f"http://127.0.0.1:{moto_port}"
        wait_until(lambda: requests.get(f"{endpoint}/moto-api/data.json", timeout=CHECK_TIMEOUT_S).ok, "moto server")
        os.environ.update(AWS_ENV, AWS_ENDPOINT_URL=endpoint)
        session = boto3.session.Session()

        resources = LocalResources(session, endpoint, STACK_NAME)
        created = resources.create_all()
        admin, roles = self._roles(session, resources)
        iam.enforce(endpoint)
        # From here on the stack acts as its admin user, and each function as its own role.
        os.environ.update(admin.as_environment())
        session = boto3.session.Session()
        sts = session.client("sts")
        credentials = {function: iam.assume(sts, arn, function) for function, arn in roles.items()}
        known = {found.access_key_id: found for found in (admin, *credentials.values())}
        # The stack's own servers listen on ports the kernel chooses as they bind (see start_moto).
        self.s3_front = S3Front(endpoint, known, admin).serve()
        s3_url = f"http://127.0.0.1:{port_of(self.s3_front)}"

        self.media_server = serve_media(session.client("s3"), resources.resolve({"Ref": "MediaBucket"}))
        media_port = port_of(self.media_server)
        function_env = resources.function_environment(
            {"MEDIA_BASE_URL": f"http://127.0.0.1:{media_port}", "SITE_URL": f"http://127.0.0.1:{web_port}"}
        )
        keys = self._api_keys(session, function_env["CATALOG_TABLE"])

        # Presigned URLs the functions make point at the front, which checks them as S3 does.
        app_env = {**os.environ, **chalice_config.environment(STAGE), **function_env, "AWS_ENDPOINT_URL_S3": s3_url}
        app_env[VERBOSE_ENV] = "1" if self.verbose else "0"  # a worker's failed delivery: one line, or its traceback

        def env_of(function: str) -> dict[str, str]:
            return {**app_env, **credentials[function].as_environment()}

        api_url = f"http://127.0.0.1:{self.api_port}"
        # `chalice local`, answering unknown routes in the API's error shape (local/api_server.py).
        self._spawn(
            [
                sys.executable,
                "-m",
                "local.api_server",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.api_port),
                "--stage",
                STAGE,
            ],
            env=env_of(API_FUNCTION),
        )
        for queue_url, handler in self._event_sources(session, resources):
            for _ in range(WORKERS_PER_QUEUE):
                worker = [sys.executable, "-m", "local.worker", queue_url, handler]
                self._spawn(worker, env=env_of(handler), restart=True)
        # One scheduler process runs every schedule: one schedule, so one role (a second would need its own process).
        [schedule] = self._functions(ScheduledEventConfig)
        self._spawn([sys.executable, "-m", "local.scheduler"], env=env_of(schedule), restart=True)
        wait_until(lambda: requests.get(f"{api_url}/videos", timeout=CHECK_TIMEOUT_S).ok, "the API")
        serve_web(self.web_server)  # its port was held from the start
        self.web_served = True

        stack = {
            "api_url": api_url,
            "aws_endpoint_url": endpoint,
            "media_base_url": function_env["MEDIA_BASE_URL"],
            "web_url": f"http://127.0.0.1:{web_port}",
            "s3_endpoint_url": s3_url,
            "resources": {logical_id: values["Ref"] for logical_id, values in created.items()},
            # What the tests and `omjr ops` act as; each function's role by name (moto's IAM holds its policy).
            "admin_credentials": admin.as_environment(),
            "roles": {function: iam.role_logical_id(function) for function in roles},
            "api_keys": keys,
        }
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        STACK_FILE.write_text(json.dumps(stack, indent=2) + "\n")
        self.wrote_stack_file = True
        return stack

    def _functions(self, kind: type) -> list[str]:
        import app

        return [source.name for source in app.app.event_sources if isinstance(source, kind)]

    def _roles(self, session: Any, resources: LocalResources) -> tuple[Credentials, dict[str, str]]:
        """The admin user, and each function's role (its ARN) with the template's policy as moto reads it."""
        client = session.client("iam")
        admin = iam.create_admin(client)
        functions = [API_FUNCTION, *(stage.function for stage in STAGES), *self._functions(ScheduledEventConfig)]
        roles = {}
        for function in iam.functions_of(resources.template, functions):
            policy = iam.moto_policy(resources.resolve(iam.template_policy(resources.template, function)))
            roles[function] = iam.create_role(client, iam.role_logical_id(function), policy, ACCOUNT_ID)
        return admin, roles

    def _api_keys(self, session: Any, table: str) -> dict[str, str]:
        import pycountry

        from chalicelib.adapters.dynamodb_catalog import DynamoDBCatalog
        from chalicelib.services.access import EDITOR, FIELD_OFFICE, create_key

        catalog = DynamoDBCatalog(session.client("dynamodb"), table)
        every_country = frozenset(country.alpha_2 for country in pycountry.countries)
        return {
            "field_office": create_key(
                catalog,
                FIELD_OFFICE,
                office_id="local-office",
                countries=every_country,
                api_key=os.environ.get("FIELD_OFFICE_API_KEY") or None,
                label="local office",
            ),
            "editor": create_key(
                catalog, EDITOR, api_key=os.environ.get("EDITOR_API_KEY") or None, label="local editor"
            ),
        }

    def _event_sources(self, session: Any, resources: LocalResources) -> list[tuple[str, str]]:
        """(queue URL, handler name) for each stage of the pipeline (chalicelib/domain/stages.py), as Lambda maps
        the SQS event source app.py makes for it."""
        sqs = session.client("sqs")
        return [
            (sqs.get_queue_url(QueueName=resources.resolve({"Fn::Sub": stage.queue_name}))["QueueUrl"], stage.function)
            for stage in STAGES
        ]

    def _spawn(
        self, args: list[str], env: dict[str, str] | None = None, quiet: bool = False, restart: bool = False
    ) -> None:
        output = subprocess.DEVNULL if quiet else subprocess.PIPE
        errors = subprocess.DEVNULL if quiet else subprocess.STDOUT
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=output, stderr=errors, start_new_session=True)
        if process.stdout is not None:
            pump(process.stdout, self.verbose)
        self.processes.append(process)
        if restart:
            self.restartable[process.pid] = (args, env)

    def stop(self) -> None:
        if self.web_server is not None and not self.web_served:
            self.web_server.server_close()  # bound, never served (the start failed): shutdown() would wait for ever
            self.web_server = None
        for server in (self.media_server, self.web_server, self.s3_front):
            if server is not None:
                server.shutdown()
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.wrote_stack_file:
            STACK_FILE.unlink(missing_ok=True)

    def watch(self) -> None:
        """Block until Ctrl-C or until moto or the API dies; restart a worker that dies."""
        while True:
            for process in list(self.processes):
                if process.poll() is None:
                    continue
                if process.pid not in self.restartable:
                    raise SystemExit(f"{process.args!r} stopped with exit code {process.returncode}")
                args, env = self.restartable.pop(process.pid)
                self.processes.remove(process)
                say(f"local stack: {' '.join(args[2:])} exited ({process.returncode}); starting it again")
                self._spawn(args, env=env, restart=True)
            time.sleep(0.5)


def banner(info: dict[str, Any]) -> str:
    """Where everything is and the keys: printed at the start, and again when the demo is done."""
    keys = info["api_keys"]
    return "\n".join(
        [
            "OneMinutesJr ingest is running.",
            f"  website:          {info['web_url']}  (open this: the gallery; upload.html for field offices, "
            "editor.html for editors)",
            f"  API:              {info['api_url']}  (JSON for programs: GET /videos; docs/API.md)",
            f"  local AWS:        {info['aws_endpoint_url']}  (moto: S3, SQS, DynamoDB)",
            f"  field-office key: {keys['field_office']}",
            f"  editor key:       {keys['editor']}",
            f"  stack details:    {STACK_FILE}",
            "  A restart begins afresh: films, keys and uploads live only while this runs.",
            "  Ctrl-C stops everything.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m local", description="The whole system on this machine.")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show every log record whole, and every request twice (as make run VERBOSE=1)",
    )
    verbose = parser.parse_args().verbose or os.environ.get("VERBOSE", "") not in ("", "0")
    use_layer_ffmpeg()
    use_face_model()
    stack = LocalStack(int(os.environ.get("PORT") or 8000), verbose)
    # Closing the terminal (SIGHUP) stops everything as Ctrl-C does: its default would end this process alone,
    # and the servers and workers, each in a session of its own, would keep the ports and the stack file.
    for ending in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(ending, lambda *_: sys.exit(0))
    # Ctrl-C works even when a script started the stack in the background (which ignores SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        info = stack.start()
        say(f"\n{banner(info)}\n")
        if os.environ.get("SAMPLES", "1") != "0":
            threading.Thread(target=_demo, args=(info,), daemon=True).start()
        stack.watch()
    except KeyboardInterrupt:
        say("\nstopping")
    finally:
        stack.stop()


def _demo(info: dict[str, Any]) -> None:
    say("demo: generating and uploading six films (four to publish, two that break the one-minute rule)...")
    try:
        lines = run_demo(
            info["api_url"],
            info["web_url"],
            info["api_keys"]["field_office"],
            info["api_keys"]["editor"],
            STATE_DIR / "demo",
        )
    except (requests.RequestException, subprocess.CalledProcessError, OSError) as error:
        say(f"demo: failed: {error} (`make run` puts ffmpeg on PATH; SAMPLES=0 skips the demo)")
        return
    say("\n".join(f"demo: {line}" for line in lines))
    say(f"demo: the gallery: {info['web_url']}\n\n{banner(info)}\n")
