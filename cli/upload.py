"""Field offices: upload a film, or a whole workshop from a manifest, and see what became of each.

    python -m cli upload film.mp4 --title "My street" --country AZ --topics violence --first-name Leyla --age 14
    python -m cli upload --manifest workshop.csv

A manifest has a header row and one row per film: file, title, first_name, age, topics (separated
by ";" or ","), country, and optionally language, workshop, description. Files are found next to it.

Every row is checked before anything is sent, and all the problems are reported at once. Each file
then goes to storage with a progress line, retried with backoff if the connection drops: in one
presigned POST, or from --multipart-from-mb (16 MiB) on in parts, each to its own presigned URL. A
run that was stopped (a dead connection, Ctrl-C, a flat battery) continues when the same command is
run again: films sent before are not sent again, a film in parts goes on from the parts that
arrived (`.omjr-uploads.json` beside the manifest, or the first film, remembers them). Then the
command waits for each film's outcome: READY, or REJECTED with the reason.
Needs only the API's address and the office's key (`--api-url`, `--api-key`, or the local stack's).
"""

from __future__ import annotations

import argparse
import csv
import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import parse_upload_request
from cli.client import IngestClient
from cli.progress import Batch, parse_rate
from cli.resume import UploadState
from cli.sender import FilmSender

# Checked here only for shape; the API applies the real size limit.
NO_SIZE_LIMIT = 2**62


def manifest_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return [
            {key.strip(): (value or "").strip() for key, value in row.items() if key} for row in csv.DictReader(file)
        ]


def request_body(row: dict[str, str], folder: Path) -> tuple[Path, dict[str, Any]]:
    path = (folder / row.get("file", "")).resolve()
    age: Any = row.get("age", "")
    body: dict[str, Any] = {
        "title": row.get("title", ""), "country": row.get("country", ""),
        "topics": [topic.strip() for topic in row.get("topics", "").replace(";", ",").split(",") if topic.strip()],
        "author": {"first_name": row.get("first_name", ""), "age": int(age) if age.isdigit() else age},
    }  # fmt: skip
    for optional in ("language", "workshop", "description"):
        if row.get(optional):
            body[optional] = row[optional]
    return path, body


Film = tuple[Path, dict[str, Any]]


def check(rows: list[dict[str, str]], folder: Path, topics: frozenset[str]) -> tuple[list[Film], list[str]]:
    """Every row checked as the API would; all problems, each with its row, before anything is sent."""
    films, problems = [], []
    for number, row in enumerate(rows, start=1):
        path, body = request_body(row, folder)
        where = f"row {number} ({row.get('file') or 'no file'})"
        if not row.get("file") or not path.is_file():
            problems.append(f"{where}: the file {row.get('file')!r} was not found.")
            continue
        content_type = mimetypes.guess_type(path.name)[0] or ""
        full = {**body, "filename": path.name, "size_bytes": max(path.stat().st_size, 1), "content_type": content_type}
        try:
            parse_upload_request(full, topics, NO_SIZE_LIMIT)
        except InvalidRequestError as error:
            problems.append(f"{where}: {error.message}")
            continue
        films.append((path, body))
    return films, problems


def outcome_line(name: str, upload: dict[str, Any]) -> str:
    if upload["status"] in ("READY", "PUBLISHED"):
        return f"{name}: {upload['status']} ({upload.get('duration_s', '?')} s), waiting for an editor"
    if upload["status"] == "REJECTED":
        return f"{name}: REJECTED: {upload.get('reason')} [{upload.get('reason_code')}]"
    return f"{name}: {upload['status']}: {upload.get('reason', 'still processing')}"


def run(args: argparse.Namespace) -> None:
    api_url, api_key = args.api_url, args.api_key
    if not (api_url and api_key):
        stack = json.loads(args.stack_file.read_text()) if args.stack_file.exists() else {}
        api_url = api_url or stack.get("api_url")
        api_key = api_key or stack.get("api_keys", {}).get("field_office")
    if not (api_url and api_key):
        raise SystemExit("give --api-url and --api-key (or start the local stack with `make run`)")
    client = IngestClient(api_url, api_key)
    topics = frozenset(item["topic"] for item in client.request("GET", "/topics").json()["items"])
    if args.manifest:
        rows, folder = manifest_rows(args.manifest), args.manifest.parent
    else:
        rows = [{"file": str(file), "title": args.title or Path(file).stem, "country": args.country or "",
                 "topics": args.topics or "", "first_name": args.first_name or "", "age": str(args.age or ""),
                 "language": args.language or "", "workshop": args.workshop or ""} for file in args.files]  # fmt: skip
        folder = Path.cwd()
    films, problems = check(rows, folder, topics)
    if problems or not films:
        print("Nothing was uploaded. Fix these first:" if problems else "No films to upload.", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2)

    def out(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    state_folder = args.manifest.parent if args.manifest else films[0][0].parent  # beside the films
    sender = FilmSender(client, UploadState(state_folder, client.api_url), out, args.max_rate, args.multipart_from_mb)
    batch = Batch(sum(path.stat().st_size for path, _ in films))
    uploaded = []
    try:
        for number, (path, body) in enumerate(films, start=1):
            out(f"[{number}/{len(films)}] {path.name}\n")
            uploaded.append((path.name, sender.send(path, body, batch)))
    except KeyboardInterrupt:
        raise SystemExit("\nStopped. Run the same command again: films that arrived are not sent again, and a "
                         "film in parts continues from the parts that arrived.") from None  # fmt: skip
    if args.no_wait:
        return
    out("Waiting for each film to be checked and transcoded...\n")
    for name, video_id in uploaded:
        print(outcome_line(name, client.wait_for_terminal(video_id, timeout_s=args.wait_s)), flush=True)


def add_parser(commands: Any) -> None:
    upload = commands.add_parser("upload", help="upload films (a field office's key)", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    upload.add_argument("files", nargs="*", help="film files (with the metadata flags)")
    upload.add_argument("--manifest", type=Path, help="a CSV with one row per film")
    upload.add_argument("--api-url")
    upload.add_argument("--api-key")
    for flag in ("title", "country", "topics", "first-name", "language", "workshop"):
        upload.add_argument(f"--{flag}")
    upload.add_argument("--age", type=int)
    upload.add_argument(
        "--max-rate",
        type=parse_rate,
        metavar="RATE",
        help="use at most this many bytes per second, such as 500k or 2M (a shared connection)",
    )
    upload.add_argument(
        "--multipart-from-mb",
        type=float,
        default=16,
        metavar="MB",
        help="send files of this many MiB or more in parts that survive an interruption (16, as the upload page)",
    )
    upload.add_argument("--no-wait", action="store_true", help="do not wait for the outcomes")
    upload.add_argument("--wait-s", type=float, default=600, help="how long to wait for each outcome")
