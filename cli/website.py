"""The website's pages to their bucket, with a `config.js` that points them at the stack's API.

python -m cli --stack omjr-prod --stage prod web publish     # then open the stack's WebsiteUrl

Every file of `web/` is put with its content type and a short cache lifetime (pages change with
releases; CloudFront and browsers keep them five minutes), `config.js` is never cached, and
objects that are no longer in `web/` are removed, so the bucket holds exactly one release.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
from pathlib import Path
from typing import Any

import boto3

from cli.repository import checkout_or_exit
from cli.target import Target
from cli.web_config import CONFIG_NAME, render

CACHE_CONTROL = "public, max-age=300"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}  # fmt: skip


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def publish(s3: Any, bucket: str, api_url: str, root: Path | None = None) -> dict[str, int]:
    root = root or checkout_or_exit("publishing the website's pages") / "web"
    pages = sorted(path for path in root.rglob("*") if path.is_file() and path.name != CONFIG_NAME)
    for path in pages:
        s3.put_object(Bucket=bucket, Key=path.relative_to(root).as_posix(), Body=path.read_bytes(),
                      ContentType=content_type(path), CacheControl=CACHE_CONTROL)  # fmt: skip
    s3.put_object(Bucket=bucket, Key=CONFIG_NAME, Body=render(api_url).encode(),
                  ContentType=CONTENT_TYPES[".js"], CacheControl="no-cache")  # fmt: skip
    published = {path.relative_to(root).as_posix() for path in pages} | {CONFIG_NAME}
    stale = [{"Key": item["Key"]} for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
             for item in page.get("Contents", []) if item["Key"] not in published]  # fmt: skip
    for start in range(0, len(stale), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": stale[start : start + 1000], "Quiet": True})
    return {"published": len(published), "removed": len(stale)}


def run(args: argparse.Namespace, target: Target) -> None:
    website = target.website
    if not website.bucket:
        raise SystemExit("this stack has no website bucket yet: deploy the current template first (docs/DEPLOY.md)")
    result = publish(boto3.session.Session().client("s3"), website.bucket, website.api_url)
    print(json.dumps({**result, "bucket": website.bucket, "api_url": website.api_url}, indent=2))


def add_parser(commands: Any) -> None:
    web = commands.add_parser("web", help="publish the website's pages", description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    verbs = web.add_subparsers(dest="web_command", required=True)
    verbs.add_parser("publish", help="put web/ and its config.js into the website bucket")
