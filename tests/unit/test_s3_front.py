"""The local S3 front checks presigned requests as S3 does: URLs and forms that botocore signs, changed the ways a
client could change them, against a clock the test sets."""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from local.s3_front import Credentials, S3Error, Verifier, parse_form

SIGNER = Credentials("ASIAFUNCTIONROLE", "role-secret", "role-session-token")
BUCKET = "omjr-local-uploads-123456789012"
KEY = "uploads/film one/source.mp4"


@functools.cache
def client(credentials: Credentials = SIGNER):
    session = boto3.session.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
        region_name="us-east-1",
    )
    return session.client("s3", endpoint_url="http://127.0.0.1:4566", config=Config(signature_version="s3v4"))


def verifier(after_s: float = 0) -> Verifier:
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=after_s)
    return Verifier({SIGNER.access_key_id: SIGNER}, now=lambda: at)


def check_url(url: str, method: str = "GET", headers: dict[str, str] | None = None, after_s: float = 0) -> Credentials:
    parts = urlsplit(url)
    return verifier(after_s).query_request(method, parts.path, parts.query, {"Host": parts.netloc, **(headers or {})})


def refusal(call) -> tuple[int, str]:
    with pytest.raises(S3Error) as raised:
        call()
    return raised.value.status, raised.value.code


def test_a_presigned_get_is_accepted_until_it_expires():
    url = client().generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=60)
    assert check_url(url) == SIGNER
    assert refusal(lambda: check_url(url, after_s=61)) == (403, "AccessDenied")


def test_a_presigned_url_pointed_at_another_key_or_method_is_refused():
    url = client().generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=60)
    other = url.replace("film%20one", "film%20two")
    assert refusal(lambda: check_url(other)) == (403, "SignatureDoesNotMatch")
    assert refusal(lambda: check_url(url, method="PUT")) == (403, "SignatureDoesNotMatch")


def test_headers_signed_with_a_url_must_be_sent_as_signed():
    url = client().generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": KEY, "IfMatch": '"abc"'}, ExpiresIn=60
    )
    assert check_url(url, headers={"If-Match": '"abc"'}) == SIGNER
    assert refusal(lambda: check_url(url, headers={"If-Match": '"xyz"'})) == (403, "SignatureDoesNotMatch")
    assert refusal(lambda: check_url(url)) == (403, "SignatureDoesNotMatch")


def test_a_part_url_takes_only_its_own_part():
    params = {"Bucket": BUCKET, "Key": KEY, "UploadId": "upload-1", "PartNumber": 2}
    url = client().generate_presigned_url("upload_part", Params=params, ExpiresIn=60)
    assert check_url(url, method="PUT") == SIGNER
    assert refusal(lambda: check_url(url.replace("partNumber=2", "partNumber=3"), method="PUT")) == (
        403,
        "SignatureDoesNotMatch",
    )


def test_a_part_url_cannot_be_turned_into_a_copy_of_another_object_by_headers_it_did_not_sign():
    # An office holding its own part URL asked the front to copy another office's film into its upload.
    params = {"Bucket": BUCKET, "Key": KEY, "UploadId": "upload-1", "PartNumber": 1}
    url = client().generate_presigned_url("upload_part", Params=params, ExpiresIn=60)
    copy = {"x-amz-copy-source": "/omjr-local-media-123456789012/films/another-film/720p.mp4"}
    assert refusal(lambda: check_url(url, method="PUT", headers=copy)) == (403, "AccessDenied")
    assert refusal(lambda: check_url(url, method="PUT", headers={"X-Amz-Acl": "public-read"})) == (403, "AccessDenied")


def test_unknown_keys_and_other_sessions_are_refused():
    stranger = Credentials("ASIASTRANGER", "role-secret", "role-session-token")
    url = client(stranger).generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=60)
    assert refusal(lambda: check_url(url)) == (403, "InvalidAccessKeyId")
    forged = Credentials(SIGNER.access_key_id, SIGNER.secret_access_key, "another-session")
    url = client(forged).generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=60)
    assert refusal(lambda: check_url(url))[1] == "InvalidToken"


def form(key: str = KEY, max_bytes: int = 1000, expires_s: int = 60) -> dict[str, str]:
    """A form as services/uploads.py presigns it (adapters/s3_store.py)."""
    post = client().generate_presigned_post(
        Bucket=BUCKET,
        Key=key,
        Fields={"Content-Type": "video/mp4"},
        Conditions=[{"Content-Type": "video/mp4"}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=expires_s,
    )
    return dict(post["fields"])


def check_form(fields: dict[str, str], size: int = 500, after_s: float = 0, bucket: str = BUCKET) -> str:
    signer, key = verifier(after_s).post_form(bucket, fields, size, "film.mp4")
    assert signer == SIGNER
    return key


def test_a_form_writes_its_own_key_and_no_other():
    fields = form()
    assert check_form(fields) == KEY
    another_office = {**fields, "key": "uploads/someone-elses-film/source.mp4"}
    assert refusal(lambda: check_form(another_office)) == (403, "AccessDenied")
    assert refusal(lambda: check_form(fields, bucket="omjr-local-media-123456789012")) == (403, "AccessDenied")


def test_a_form_keeps_its_content_type_and_size_range():
    fields = form(max_bytes=1000)
    assert refusal(lambda: check_form({**fields, "Content-Type": "text/html"})) == (403, "AccessDenied")
    assert refusal(lambda: check_form(fields, size=1001)) == (400, "EntityTooLarge")
    assert refusal(lambda: check_form(fields, size=0)) == (400, "EntityTooSmall")


def test_a_form_takes_no_field_its_policy_does_not_name_and_expires():
    fields = form(expires_s=60)
    assert refusal(lambda: check_form({**fields, "x-amz-meta-gps": "40.4,49.9"})) == (403, "AccessDenied")
    assert check_form({**fields, "x-ignore-note": "anything"}) == KEY
    assert refusal(lambda: check_form(fields, after_s=61)) == (403, "AccessDenied")
    assert refusal(lambda: check_form({**fields, "x-amz-signature": "0" * 64})) == (403, "SignatureDoesNotMatch")
    assert refusal(lambda: check_form({k: v for k, v in fields.items() if k != "policy"})) == (400, "InvalidArgument")


def test_a_form_body_is_read_as_browsers_send_it():
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nuploads/a/source.mp4\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="film.mp4"\r\n'
        b"Content-Type: video/mp4\r\n\r\n\x00\x01binary\r\n--XyZ--\r\n"
    )
    fields, data, filename = parse_form("multipart/form-data; boundary=XyZ", body)
    assert (fields, data, filename) == ({"key": "uploads/a/source.mp4"}, b"\x00\x01binary", "film.mp4")
