"""The local stack's S3 endpoint: a small front on loopback before moto's server that checks presigned requests
as S3 does.

moto checks IAM only on requests signed in the Authorization header (with its enforcement on it answers a
presigned request with 500), and it ignores a presigned POST's policy conditions: locally one office could
overwrite another office's upload by changing the key of its own form. So this front:

- passes a request signed in its headers through unchanged (moto checks the signature and the caller's IAM);
- checks a presigned GET, PUT or UploadPart (SigV4 in the query: signature, expiry, signed headers) and a
  presigned POST (the policy's signature and expiration, each of its conditions, and that every form field is
  covered by one), then sends it on to moto signed in the headers with the signer's own credentials, so moto
  checks the signer's IAM as S3 does (a POST goes on as the PutObject it amounts to);
- refuses everything else, and every failed check, with S3's own XML error (AccessDenied,
  SignatureDoesNotMatch, EntityTooLarge, ...).

The front knows the secret of every key the stack handed out (`Credentials`); S3 would look it up in IAM.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import hashlib
import hmac
import http.client
import json
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from local.console import QuietHTTPServer, say

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED = "UNSIGNED-PAYLOAD"  # what a presigned URL's signature says of the body
MAX_EXPIRES_S = 7 * 24 * 3600  # what S3 allows a presigned URL at most
# Headers that belong to one hop, never forwarded.
HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "expect", "te", "trailer", "upgrade", "proxy-connection"}
)
# Form fields a POST policy need not cover (S3's rule); x-ignore-* neither.
UNCOVERED_FIELDS = frozenset({"policy", "x-amz-signature", "file"})
# POST form fields that become the object's headers when the form is sent on as a PUT.
OBJECT_FIELDS = ("content-type", "cache-control", "content-disposition", "content-encoding", "expires")


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def as_environment(self) -> dict[str, str]:
        env = {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": self.secret_access_key}
        if self.session_token:
            env["AWS_SESSION_TOKEN"] = self.session_token
        return env


class ClientGoneError(Exception):
    """The request's body stopped before its end: nothing is sent on, and no answer can be given."""


class S3Error(Exception):
    """A refusal in S3's shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def xml(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>"
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
        ).encode()


def access_denied(message: str) -> S3Error:
    return S3Error(403, "AccessDenied", message)


def signature_mismatch() -> S3Error:
    return S3Error(
        403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
    )


def condition_failed(operator: str, name: str, value: str) -> S3Error:
    return access_denied(f'Invalid according to Policy: Policy Condition failed: ["{operator}", "${name}", "{value}"]')


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def sign(secret: str, scope: str, string_to_sign: str) -> str:
    date, region, service, _ = scope.split("/")
    return hmac.new(signing_key(secret, date, region, service), string_to_sign.encode(), hashlib.sha256).hexdigest()


def _uri_encode(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(raw_query: str) -> str:
    pairs = [(_uri_encode(k), _uri_encode(v)) for k, v in parse_qsl(raw_query, keep_blank_values=True)]
    return "&".join(f"{k}={v}" for k, v in sorted(pairs) if k != "X-Amz-Signature")


def _amz_time(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise S3Error(400, "AuthorizationQueryParametersError", f"X-Amz-Date {text!r} is not a valid date.") from None


class Verifier:
    """S3's checks of presigned requests, against the secrets the stack knows."""

    def __init__(self, credentials: Mapping[str, Credentials], now: Any = None) -> None:
        self._credentials = credentials
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    def signer(self, credential: str, token: str | None) -> tuple[Credentials, str]:
        """The credentials a `AKID/date/region/s3/aws4_request` credential names, and its scope."""
        access_key_id, _, scope = credential.partition("/")
        if scope.count("/") != 3 or not scope.endswith("/s3/aws4_request"):
            raise S3Error(400, "AuthorizationQueryParametersError", f"Malformed credential {credential!r}.")
        known = self._credentials.get(access_key_id)
        if known is None:
            raise S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records")
        if (known.session_token or None) != (token or None):
            raise S3Error(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")
        return known, scope

    def query_request(self, method: str, raw_path: str, raw_query: str, headers: Mapping[str, str]) -> Credentials:
        """A URL signed in its query (GET, PUT, UploadPart): its signer, or S3's refusal."""
        params = dict(parse_qsl(raw_query, keep_blank_values=True))
        if params.get("X-Amz-Algorithm") != ALGORITHM:
            raise S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256.")
        missing = [
            name
            for name in ("X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature")
            if name not in params
        ]
        if missing:
            raise S3Error(400, "AuthorizationQueryParametersError", f"Query-string authentication needs {missing}.")
        signer, scope = self.signer(params["X-Amz-Credential"], params.get("X-Amz-Security-Token"))
        signed_at = _amz_time(params["X-Amz-Date"])
        expires_s = int(params["X-Amz-Expires"]) if params["X-Amz-Expires"].isdigit() else -1
        if not 0 < expires_s <= MAX_EXPIRES_S:
            raise S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be 1 to 604800 seconds.")
        if self._now() > signed_at + dt.timedelta(seconds=expires_s):
            raise access_denied("Request has expired")
        lowered = {name.lower(): value for name, value in headers.items()}
        signed_names = params["X-Amz-SignedHeaders"].split(";")
        if "host" not in signed_names or any(name not in lowered for name in signed_names):
            raise S3Error(403, "SignatureDoesNotMatch", "A signed header is missing from the request.")
        # S3 refuses x-amz-* headers a presigned URL did not sign: one such as x-amz-copy-source would turn an
        # upload of a part into a copy, with the signer's rights, of an object the holder of the URL names.
        unsigned = sorted(name for name in lowered if name.startswith("x-amz-") and name not in signed_names)
        if unsigned:
            raise access_denied(f"There were headers present in the request which were not signed: {unsigned}")
        canonical_headers = "".join(f"{name}:{' '.join(lowered[name].split())}\n" for name in signed_names)
        signed = ";".join(signed_names)
        canonical = "\n".join([method, raw_path, canonical_query(raw_query), canonical_headers, signed, UNSIGNED])
        to_sign = "\n".join([ALGORITHM, params["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()])
        if not hmac.compare_digest(sign(signer.secret_access_key, scope, to_sign), params["X-Amz-Signature"]):
            raise signature_mismatch()
        return signer

    def post_form(
        self, bucket: str, fields: Mapping[str, str], file_size: int, filename: str
    ) -> tuple[Credentials, str]:
        """A browser form POST: its signer and the key it writes, or S3's refusal (the policy's conditions)."""
        lowered = {name.lower(): value for name, value in fields.items()}
        for required in ("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"):
            if required not in lowered:
                raise S3Error(400, "InvalidArgument", f"Bucket POST must contain a field named '{required}'.")
        if lowered["x-amz-algorithm"] != ALGORITHM:
            raise S3Error(400, "InvalidArgument", "x-amz-algorithm must be AWS4-HMAC-SHA256.")
        signer, scope = self.signer(lowered["x-amz-credential"], lowered.get("x-amz-security-token"))
        expected = sign(signer.secret_access_key, scope, lowered["policy"])
        if not hmac.compare_digest(expected, lowered["x-amz-signature"]):
            raise signature_mismatch()
        try:
            policy = json.loads(base64.b64decode(lowered["policy"]))
            expiration = dt.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
            conditions = policy["conditions"]
        except (ValueError, KeyError, TypeError):
            raise S3Error(400, "InvalidPolicyDocument", "Invalid Policy: the policy is not valid JSON.") from None
        if self._now() > expiration:
            raise access_denied("Invalid according to Policy: Policy expired.")
        values = {**lowered, "bucket": bucket, "key": lowered["key"].replace("${filename}", filename)}
        covered = {"bucket"}
        for condition in conditions:
            covered |= _check_condition(condition, values, file_size)
        uncovered = covered | UNCOVERED_FIELDS
        extra = sorted(name for name in lowered if name not in uncovered and not name.startswith("x-ignore-"))
        if extra:
            raise access_denied(f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")
        return signer, values["key"]


def _check_condition(condition: Any, values: Mapping[str, str], file_size: int) -> set[str]:
    """Raise S3's refusal unless the form meets `condition`; the field names it covers."""
    if isinstance(condition, dict):
        [(name, expected)] = condition.items()
        if values.get(name.lower()) != expected:
            raise condition_failed("eq", name, expected)
        return {name.lower()}
    operator = str(condition[0]).lower()
    if operator == "content-length-range":
        low, high = int(condition[1]), int(condition[2])
        if file_size > high:
            raise S3Error(400, "EntityTooLarge", f"Your proposed upload exceeds the maximum allowed size ({high})")
        if file_size < low:
            raise S3Error(400, "EntityTooSmall", f"Your proposed upload is smaller than the minimum size ({low})")
        return set()
    name, expected = str(condition[1]).lstrip("$").lower(), str(condition[2])
    actual = values.get(name, "")
    if (operator == "eq" and actual != expected) or (operator == "starts-with" and not actual.startswith(expected)):
        raise condition_failed(operator, name, expected)
    if operator not in ("eq", "starts-with"):
        raise S3Error(400, "InvalidPolicyDocument", f"Invalid Policy: unknown condition {operator!r}.")
    return {name}


def parse_form(content_type: str, body: bytes) -> tuple[dict[str, str], bytes, str]:
    """A multipart/form-data body: its fields, the file's bytes and the file's name."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    file: tuple[bytes, str] | None = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        if name == "file":
            file = (payload, part.get_filename() or "")
            break  # S3 ignores fields after the file
        if isinstance(name, str):
            fields[name] = payload.decode()
    if file is None:
        raise S3Error(400, "InvalidArgument", "POST requires exactly one file upload per request.")
    return fields, file[0], file[1]


class S3Front:
    """Serves on `port` and sends on to moto's server at `upstream` (http://127.0.0.1:PORT)."""

    def __init__(
        self, upstream: str, credentials: Mapping[str, Credentials], admin: Credentials, region: str = "us-east-1"
    ) -> None:
        self.upstream = urlsplit(upstream)
        self.region = region
        self.verifier = Verifier(credentials)
        # A browser's CORS preflight carries no credentials, and S3 answers it from the bucket's CORS rules
        # alone; moto wants it signed, so the front signs it as the stack's admin.
        self._admin = admin

    def serve(self, port: int = 0) -> ThreadingHTTPServer:
        """Serving on `port`; 0, the default, is a port the kernel chooses (`server.server_address[1]`)."""
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, and `Expect: 100-continue` as boto3 sends it
            # A client silent this long (a body shorter than its Content-Length) is dropped, not waited on for ever:
            # a slow upload keeps sending, a paced one pauses a second at most.
            timeout = 120

            def do_GET(self) -> None:
                front.handle(self)

            do_HEAD = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_GET  # noqa: N815 (http.server's names)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        server = QuietHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    # One request ---------------------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        try:
            body = _read_body(request)
            raw_path, _, raw_query = request.path.partition("?")
            headers = dict(request.headers.items())
            lowered = {name.lower() for name in headers}
            query = dict(parse_qsl(raw_query, keep_blank_values=True))
            if "authorization" in lowered:
                self._send(request, request.path, headers, body)  # signed in its headers: moto checks it
            elif request.command == "OPTIONS":
                self._send_signed(request, self._admin, request.path, headers, body)
            elif "X-Amz-Signature" in query or "X-Amz-Algorithm" in query:
                signer = self.verifier.query_request(request.command, raw_path, raw_query, headers)
                unsigned_query = "&".join(
                    f"{_uri_encode(k)}={_uri_encode(v)}"
                    for k, v in parse_qsl(raw_query, keep_blank_values=True)
                    if not k.startswith("X-Amz-")
                )
                path = raw_path + (f"?{unsigned_query}" if unsigned_query else "")
                self._send_signed(request, signer, path, headers, body)
            elif request.command == "POST" and headers.get("Content-Type", "").startswith("multipart/form-data"):
                self._post(request, raw_path, headers, body)
            else:
                raise access_denied("Access Denied")
        except S3Error as error:
            # In the console, as S3's server access log would have it: why a presigned request was refused.
            say(f"s3: {request.command} {request.path.partition('?')[0]} {error.status} {error.code}: {error.message}")
            _answer(request, error.status, {"Content-Type": "application/xml"}, error.xml())
        except ClientGoneError:
            request.close_connection = True
        except ValueError as error:  # UnicodeDecodeError too
            # A malformed request (a Content-Length that is no number, a form field that is no UTF-8): S3's answer.
            malformed = S3Error(400, "MalformedPOSTRequest" if request.command == "POST" else "BadRequest", str(error))
            _answer(request, malformed.status, {"Content-Type": "application/xml"}, malformed.xml())
            request.close_connection = True

    def _post(self, request: BaseHTTPRequestHandler, raw_path: str, headers: dict[str, str], body: bytes) -> None:
        bucket = unquote(raw_path.strip("/"))
        if not bucket or "/" in bucket:
            raise S3Error(405, "MethodNotAllowed", "A form POST goes to the bucket's own URL.")
        fields, data, filename = parse_form(headers["Content-Type"], body)
        signer, key = self.verifier.post_form(bucket, fields, len(data), filename)
        object_headers = {
            name: value
            for name, value in fields.items()
            if name.lower() in OBJECT_FIELDS or name.lower().startswith("x-amz-meta-")
        }
        if "Origin" in headers:
            object_headers["Origin"] = headers["Origin"]
        status = fields.get("success_action_status", "204")
        answer = self._upstream(signer, "PUT", f"/{quote(bucket)}/{quote(key)}", object_headers, data)
        payload = answer.read()
        if answer.status != 200:
            _answer(request, answer.status, _passed_headers(answer), payload)
            return
        passed = _passed_headers(answer)
        passed["Location"] = f"http://{headers.get('Host', '')}/{quote(bucket)}/{quote(key)}"
        if status == "201":
            etag = answer.getheader("ETag", "")
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<PostResponse><Location>{escape(passed['Location'])}</Location><Bucket>{escape(bucket)}</Bucket>"
                f"<Key>{escape(key)}</Key><ETag>{escape(etag)}</ETag></PostResponse>"
            ).encode()
            _answer(request, 201, {**passed, "Content-Type": "application/xml"}, xml)
        else:
            _answer(request, 200 if status == "200" else 204, passed, b"")

    # To moto -------------------------------------------------------------------------------------

    def _send(self, request: BaseHTTPRequestHandler, path: str, headers: dict[str, str], body: bytes) -> None:
        """The request as it came (its Host header too, which its signature covers)."""
        sent = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS and k.lower() != "content-length"}
        _relay(request, self._request(request.command, path, sent, body), request.command)

    def _send_signed(
        self, request: BaseHTTPRequestHandler, signer: Credentials, path: str, headers: dict[str, str], body: bytes
    ) -> None:
        dropped = HOP_HEADERS | {"host", "content-length", "authorization"}
        kept = {k: v for k, v in headers.items() if k.lower() not in dropped}
        _relay(request, self._upstream(signer, request.command, path, kept, body), request.command)

    def _upstream(
        self, signer: Credentials, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> http.client.HTTPResponse:
        """`method path` on moto, signed in its headers with the signer's credentials."""
        base = f"http://{self.upstream.netloc}"
        aws_request = AWSRequest(method=method, url=base + path, headers=dict(headers), data=body)
        credentials = BotoCredentials(signer.access_key_id, signer.secret_access_key, signer.session_token)
        S3SigV4Auth(credentials, "s3", self.region).add_auth(aws_request)
        return self._request(method, path, dict(aws_request.headers), body)

    def _request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(str(self.upstream.hostname), self.upstream.port, timeout=600)
        connection.request(method, path, body=body if body or method in ("PUT", "POST") else None, headers=headers)
        return connection.getresponse()


def _read_body(request: BaseHTTPRequestHandler) -> bytes:
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            line = request.rfile.readline()
            if not line:
                raise ClientGoneError("the chunked body stopped before its last chunk")
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                break
            chunk = request.rfile.read(size)
            if len(chunk) < size:
                raise ClientGoneError("a chunk stopped before its end")
            chunks.append(chunk)
            request.rfile.readline()
        while request.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)
    length = int(request.headers.get("Content-Length") or 0)
    body = request.rfile.read(length) if length else b""
    if len(body) < length:
        # The client went away mid-body (a page reloaded during an upload): S3 stores nothing of it.
        raise ClientGoneError(f"{len(body)} of {length} bytes arrived")
    return body


def _passed_headers(response: http.client.HTTPResponse) -> dict[str, str]:
    dropped = HOP_HEADERS | {"content-length", "server", "date"}
    return {k: v for k, v in response.getheaders() if k.lower() not in dropped}


def _relay(request: BaseHTTPRequestHandler, response: http.client.HTTPResponse, method: str) -> None:
    request.send_response(response.status)
    for name, value in response.getheaders():
        if name.lower() not in HOP_HEADERS | {"server", "date"}:
            request.send_header(name, value)
    if response.getheader("Content-Length") is None and method != "HEAD":
        payload = response.read()
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)
        return
    request.end_headers()
    if method != "HEAD":
        while chunk := response.read(1 << 20):
            request.wfile.write(chunk)
    response.close()


def _answer(request: BaseHTTPRequestHandler, status: int, headers: Mapping[str, str], payload: bytes) -> None:
    request.send_response(status)
    for name, value in headers.items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(payload)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(payload)
