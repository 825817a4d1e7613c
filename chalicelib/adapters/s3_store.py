"""S3: presigned uploads, downloads to a private directory, uploads of outputs, deletes."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import ConflictError, ObjectReplacedError, UnavailableError
from chalicelib.domain.multipart import ArrivedPart

# Films stream between S3 and /tmp in bounded pieces: a few 8 MB parts in flight, never a whole file
# in memory (boto3's default of ten threads holds 80 MB of parts at once).
TRANSFER_THREADS = 3
# Browsers keep media a minute; CloudFront five (an unpublish or takedown empties its cache at once).
CACHE_CONTROL = "public, max-age=60, s-maxage=300"
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".jpg": "image/jpeg",
    ".vtt": "text/vtt",
    ".m3u8": "application/vnd.apple.mpegurl",
}
TRANSFER_PART_BYTES = 8 * 2**20
# What S3 answers a read whose If-Match no longer holds, or of a key that holds nothing (HEAD has no body,
# so its code is the bare status).
_REPLACED_CODES = frozenset({"PreconditionFailed", "412", "NoSuchKey", "404"})
# The media bucket's policy lets CloudFront read an object only while it carries this tag: media are
# public while their film is published, and not before or after (the local media server checks it too).
PUBLIC_TAG = {"Key": "published", "Value": "true"}
# An object marked for the bucket's expiry rule (infra/resources.yaml, `expire-discarded`): S3 deletes
# it within days even if the delete that follows the mark fails and nothing ever tries again.
DISCARD_TAG = {"Key": "retention", "Value": "discard"}


def content_type(key: str) -> str:
    return next((kind for suffix, kind in CONTENT_TYPES.items() if key.endswith(suffix)), "application/octet-stream")


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]


@dataclass(frozen=True)
class PresignedGet:
    """A URL that reads one object; `headers` were signed with it and must be sent with every request."""

    url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class StoredObject:
    etag: str
    size_bytes: int


def if_match(etag: str) -> str:
    """An ETag as HTTP's If-Match wants it (S3 events carry it without quotes)."""
    return f'"{etag.strip(chr(34))}"'


class S3Store:
    """One bucket. Receives its boto3 S3 client; never creates one."""

    def __init__(self, client: Any, bucket: str) -> None:
        from boto3.s3.transfer import TransferConfig

        self._client = client
        self.bucket = bucket
        self._transfer = TransferConfig(
            multipart_chunksize=TRANSFER_PART_BYTES, max_concurrency=TRANSFER_THREADS, max_io_queue=16
        )

    def presign_post(self, key: str, content_type: str, max_bytes: int, expires_in_s: int) -> PresignedPost:
        """A form POST that may write exactly `key`, a `content_type` video of 1..`max_bytes` bytes."""
        response = self._client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in_s,
        )
        return PresignedPost(url=response["url"], fields=dict(response["fields"]))

    def start_multipart(self, key: str, content_type: str) -> str:
        """A multipart upload of `key`; returns its upload id."""
        response = self._client.create_multipart_upload(Bucket=self.bucket, Key=key, ContentType=content_type)
        return str(response["UploadId"])

    def presign_part(self, key: str, upload_id: str, part_number: int, expires_in_s: int) -> str:
        """A URL that takes one part by PUT."""
        url: str = self._client.generate_presigned_url(
            "upload_part",
            Params={"Bucket": self.bucket, "Key": key, "UploadId": upload_id, "PartNumber": part_number},
            ExpiresIn=expires_in_s,
        )
        return url

    def arrived_parts(self, key: str, upload_id: str) -> list[ArrivedPart] | None:
        """The parts S3 holds for the upload; None once it was completed or aborted."""
        try:
            pages = self._client.get_paginator("list_parts").paginate(Bucket=self.bucket, Key=key, UploadId=upload_id)
            return [
                ArrivedPart(part["PartNumber"], part["Size"], part["ETag"])
                for page in pages
                for part in page.get("Parts", [])
            ]
        except self._client.exceptions.NoSuchUpload:
            return None

    def complete_multipart(self, key: str, upload_id: str, parts: list[ArrivedPart]) -> None:
        """Put the parts together; ConflictError when one was sent again meanwhile or the upload is gone."""
        try:
            self._client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": [{"PartNumber": part.part_number, "ETag": part.etag} for part in parts]},
            )
        except self._client.exceptions.ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in ("InvalidPart", "InvalidPartOrder"):
                raise ConflictError(
                    "A part was sent again while the film was being put together; complete it again.", "part_changed"
                ) from None
            if code == "NoSuchUpload":
                raise ConflictError(
                    "The parts were discarded before the film was complete; upload it again.", "upload_expired"
                ) from None
            raise

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with contextlib.suppress(self._client.exceptions.NoSuchUpload):
            self._client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def abort_multipart_under(self, prefix: str) -> int:
        """Abort every unfinished multipart upload of a key under `prefix`: the parts that arrived are
        discarded and the part URLs already handed out store nothing more. Returns how many."""
        pages = self._client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket, Prefix=prefix)
        uploads = [(upload["Key"], upload["UploadId"]) for page in pages for upload in page.get("Uploads", [])]
        for key, upload_id in uploads:
            self.abort_multipart(key, upload_id)
        return len(uploads)

    def presign_get(self, key: str, expires_in_s: int) -> str:
        """A short-lived URL to read one object: ffprobe reads only the bytes it needs; an editor watches
        a film that is not public."""
        url: str = self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in_s
        )
        return url

    def presign_get_exact(self, key: str, etag: str, expires_in_s: int) -> PresignedGet:
        """Like `presign_get`, for the object `etag` names only: S3 answers 412 once another replaced it."""
        url: str = self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key, "IfMatch": if_match(etag)}, ExpiresIn=expires_in_s
        )
        return PresignedGet(url, {"If-Match": if_match(etag)})

    def current(self, key: str) -> StoredObject | None:
        """The object at `key` now, or None."""
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in _REPLACED_CODES:
                return None
            raise
        return StoredObject(str(head["ETag"]).strip('"'), int(head["ContentLength"]))

    def download(self, key: str, path: str, etag: str) -> None:
        """Stream exactly the object `etag` names to `path`; ObjectReplacedError once `key` holds another.

        One GET with If-Match, not s3transfer's ranged GETs: s3transfer takes no IfMatch for a download,
        and a HEAD before it would leave a gap in which the object could change."""
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key, IfMatch=if_match(etag))
        except self._client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in _REPLACED_CODES:
                raise ObjectReplacedError(f"{key} no longer holds the object {etag}.") from None
            raise
        with response["Body"] as body, open(path, "wb") as file:
            shutil.copyfileobj(body, file, TRANSFER_PART_BYTES // 8)

    def upload(self, path: str, key: str, content_type: str) -> None:
        extra = {"ContentType": content_type, "CacheControl": CACHE_CONTROL}
        self._client.upload_file(path, self.bucket, key, ExtraArgs=extra, Config=self._transfer)

    def write_text(self, key: str, text: str, content_type: str) -> None:
        """A small text object (a share page), written whole; like every new object, untagged (private)."""
        body = text.encode()
        self._client.put_object(
            Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, CacheControl=CACHE_CONTROL
        )

    def read_text(self, key: str) -> str | None:
        """A small text object written by `write_text`, or None when there is none."""
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except self._client.exceptions.NoSuchKey:
            return None
        with response["Body"] as body:
            text: str = body.read().decode()
        return text

    def keys(self, prefix: str) -> list[str]:
        """Every key under `prefix`."""
        pages = self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def set_public(self, prefix: str, public: bool) -> int:
        """Tag every object under `prefix` public or not; returns how many. Used to make a prefix
        private (the safe direction): to publish, `expose_exactly` the keys the catalog lists."""
        keys = self.keys(prefix)
        for key in keys:
            self._tag(key, public)
        return len(keys)

    def expose_exactly(self, prefix: str, public_keys: Collection[str]) -> int:
        """Tag public exactly `public_keys` (what the catalog lists for a film); every other object
        under `prefix` loses the tag and stays private. Returns how many objects were made public."""
        exposed = 0
        for key in self.keys(prefix):
            self._tag(key, key in public_keys)
            exposed += key in public_keys
        return exposed

    def _tag(self, key: str, public: bool) -> None:
        """An object deleted meanwhile (a takedown, a replaced file) is skipped: nothing is left to tag."""
        try:
            if public:
                self._client.put_object_tagging(Bucket=self.bucket, Key=key, Tagging={"TagSet": [PUBLIC_TAG]})
            else:
                self._client.delete_object_tagging(Bucket=self.bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return
            # moto answers a tagging request for a key deleted meanwhile with a 500, not NoSuchKey: gone is gone.
            if self.current(key) is None:
                return
            raise

    def delete(self, key: str) -> None:
        """Delete one object; no error when it is already gone."""
        self._client.delete_object(Bucket=self.bucket, Key=key)

    def discard(self, key: str) -> None:
        """Delete one object for good, marking it first for the bucket's expiry rule: a delete that
        fails after the mark is finished by S3 itself. No error when the object is already gone;
        UnavailableError when S3 kept it (the caller tries again later)."""
        try:
            self._client.put_object_tagging(Bucket=self.bucket, Key=key, Tagging={"TagSet": [DISCARD_TAG]})
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return
            raise UnavailableError(f"S3 could not mark {key} for deletion: {error}") from error
        except BotoCoreError as error:
            raise UnavailableError(f"S3 could not be reached to delete {key}: {error}") from error
        try:
            self._client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as error:
            raise UnavailableError(f"S3 could not delete {key} (marked: its expiry rule will): {error}") from error

    def is_public(self, key: str) -> bool:
        """Whether the bucket policy lets CloudFront read `key`; False for no such object."""
        try:
            tags = self._client.get_object_tagging(Bucket=self.bucket, Key=key)["TagSet"]
        except self._client.exceptions.ClientError:
            return False
        return PUBLIC_TAG in tags

    def promote(self, staging_prefix: str, final_prefix: str, last: str) -> None:
        """Copy every object from `staging_prefix` to `final_prefix` (`last` last), then remove the staging copies."""
        for key in sorted(self.keys(staging_prefix), key=lambda k: k.endswith(last)):
            # The headers are given again: an older s3transfer drops them on a multipart copy. No tags: a
            # re-rendered object is private until the catalog says otherwise (S3 would copy the source's
            # tags, moto keep the destination's; with REPLACE and none given, both leave it untagged).
            extra = {
                "ContentType": content_type(key),
                "CacheControl": CACHE_CONTROL,
                "MetadataDirective": "REPLACE",
                "TaggingDirective": "REPLACE",
            }
            self._client.copy(
                {"Bucket": self.bucket, "Key": key},
                self.bucket,
                final_prefix + key.removeprefix(staging_prefix),
                ExtraArgs=extra,
                Config=self._transfer,
            )
        self.delete_prefix(staging_prefix)

    def delete_prefix(self, prefix: str) -> int:
        deleted = 0
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                response = self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
                if response.get("Errors"):
                    failed = ", ".join(error["Key"] for error in response["Errors"][:5])
                    raise RuntimeError(f"S3 kept {len(response['Errors'])} objects under {prefix}: {failed}")
                deleted += len(keys)
        return deleted
