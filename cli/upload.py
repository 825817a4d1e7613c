"""Field offices: upload a film, or a whole workshop from a list, and see what became of each.

    omjr upload film.mp4 --title "My street" --country AZ --topics violence --first-name Leyla --age 14
    omjr upload --manifest workshop.csv

The list (a CSV as Excel or LibreOffice saves it, with commas or semicolons, UTF-8) has a first row naming
the columns and one row per film: file, title, first_name, age, topics (separated by ";" or ","), country,
and if you like language, workshop, description. The films are found next to the list.

Before a byte is sent, every row is checked as the API would check it and every film's length and size
are measured with ffprobe against the stage's rules: all the mistakes of all the rows are told at once,
naming the column to fix. Then each film goes to storage with its progress (speed, time left), retried
with backoff if the connection drops: in one piece, or from --multipart-from-mb (16 MiB) on in parts. A run
that was stopped (a dead connection, Ctrl-C, a flat battery) continues when the same command is run
again: films sent before are not sent again, a film in parts goes on from the parts that arrived
(`.omjr-uploads.json` beside the list, or the first film, remembers them). A film sent before whose
details changed in the list is corrected where it is, once you agree (or with --yes). Then the command
waits for each film's outcome: READY, or REJECTED with the reason.
Needs only the API's address and the office's key (`--api-url`, `--api-key`, or the local stack's).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from cli.connect import connect, one_line
from cli.manifest import Film, ManifestError, Row, RowChecker, read_rows
from cli.precheck import INSTALL_FFPROBE, ffprobe_available, film_problem, limits_from
from cli.progress import Batch, parse_rate, say
from cli.resume import UploadState
from cli.sender import FilmSender

# The flags that stand for a list's columns when films are named on the command line.
FLAG_LABELS = {
    "title": "--title",
    "first_name": "--first-name",
    "age": "--age",
    "topics": "--topics",
    "country": "--country",
    "language": "--language",
    "workshop": "--workshop",
}


def outcome_line(name: str, upload: dict[str, Any]) -> str:
    if upload["status"] in ("READY", "PUBLISHED"):
        return f"{name}: {upload['status']} ({upload.get('duration_s', '?')} s), waiting for an editor"
    if upload["status"] == "REJECTED":
        return f"{name}: REJECTED: {upload.get('reason')} [{upload.get('reason_code')}]"
    return f"{name}: {upload['status']}: {upload.get('reason', 'still processing')}"


def api_address(args: argparse.Namespace) -> tuple[str, str]:
    api_url, api_key = args.api_url, args.api_key
    if not (api_url and api_key):
        try:
            stack = json.loads(args.stack_file.read_text()) if args.stack_file.exists() else {}
        except (OSError, ValueError):
            stack = {}
        api_url = api_url or stack.get("api_url")
        if not api_key and api_url == stack.get("api_url"):  # the local stack's key goes only to the local stack
            api_key = stack.get("api_keys", {}).get("field_office")
    if not (api_url and api_key):
        raise SystemExit(
            "Give --api-url and --api-key: the API's address and your office's key, as the project team "
            "gave them (or start the local stack with `make run`)."
        )
    return str(api_url), str(api_key)


def rows_of(args: argparse.Namespace) -> tuple[list[Row], Path, dict[str, str]]:
    """The films to send as rows of a list, the folder their files are in, and how to name a column."""
    if args.manifest:
        try:
            rows, unread = read_rows(args.manifest)
        except ManifestError as error:
            raise SystemExit(str(error)) from None
        if unread:
            say(f"Note: the column(s) {', '.join(unread)} of {args.manifest.name} are not read by this command.")
        return rows, args.manifest.parent, {}
    if not args.files:
        raise SystemExit("Name the films to upload, or give a list of them with --manifest workshop.csv.")
    cells = {
        "title": args.title or "",
        "country": args.country or "",
        "topics": args.topics or "",
        "first_name": args.first_name or "",
        "age": "" if args.age is None else str(args.age),
        "language": args.language or "",
        "workshop": args.workshop or "",
    }
    rows = [Row(0, {**cells, "file": file, "title": cells["title"] or Path(file).stem}) for file in args.files]
    return rows, Path.cwd(), FLAG_LABELS


def checked_films(args: argparse.Namespace, rules: dict[str, Any]) -> list[Film]:
    """Every row's every mistake, and every film's length and size, before anything is sent."""
    rows, folder, labels = rows_of(args)
    checker = RowChecker(frozenset(rules["topics"]), frozenset(rules.get("countries") or ()), folder, labels)
    precheck = not args.no_precheck and ffprobe_available()
    if not args.no_precheck and not precheck:
        say(INSTALL_FFPROBE)
    limits = limits_from(rules)
    films, problems = [], []
    for row in rows:
        mistakes = checker.mistakes(row.cells)
        path = folder / row.cells.get("file", "")
        if precheck and checker.file_usable(row.cells.get("file", "")):
            problem = film_problem(path, limits)
            mistakes += [f"{labels.get('file', 'file')}: {problem}"] if problem else []
        where = f"row {row.number} ({row.cells.get('file') or 'no file'})" if args.manifest else path.name
        problems += [f"{where}: {mistake}" for mistake in mistakes]
        if not mistakes:
            films.append(checker.film(row))
    if problems or not films:
        where = f" in {args.manifest.name} (rows numbered as in a spreadsheet)" if args.manifest else ""
        print(
            f"Nothing was uploaded. Fix these{where} first:" if problems else "No films to upload.",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2)
    return films


def confirmer(assume_yes: bool) -> Callable[[str], bool]:
    def confirm(question: str) -> bool:
        if assume_yes:
            say(f"{question} yes (--yes)")
            return True
        if not sys.stdin.isatty():
            say(f"{question} not without asking: run the same command with --yes to agree.")
            return False
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")

    return confirm


def send_all(args: argparse.Namespace, api_url: str, api_key: str) -> None:
    client, rules = connect(api_url, api_key)
    films = checked_films(args, rules)
    out = say
    state_folder = args.manifest.parent if args.manifest else films[0].path.parent  # beside the films
    sender = FilmSender(
        client,
        UploadState(state_folder, client.api_url),
        out,
        args.max_rate,
        args.multipart_from_mb,
        confirm=confirmer(args.yes),
    )
    batch = Batch(sum(film.path.stat().st_size for film in films))
    uploaded = []
    for number, film in enumerate(films, start=1):
        out(f"[{number}/{len(films)}] {film.path.name}")
        uploaded.append((film.path.name, sender.send(film.path, film.details, batch)))
    if args.no_wait:
        return
    out("Waiting for each film to be checked and transcoded...")
    for name, video_id in uploaded:
        print(outcome_line(name, client.wait_for_terminal(video_id, timeout_s=args.wait_s)), flush=True)


def run(args: argparse.Namespace) -> None:
    api_url, api_key = api_address(args)
    try:
        send_all(args, api_url, api_key)
    except requests.RequestException as error:
        raise SystemExit(one_line(error, api_url)) from None
    except KeyboardInterrupt:
        raise SystemExit(
            "\nStopped. Run the same command again: films that arrived are not sent again, and a "
            "film in parts continues from the parts that arrived."
        ) from None


def add_parser(commands: Any) -> None:
    upload = commands.add_parser(
        "upload",
        help="upload films (a field office's key)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    upload.add_argument("files", nargs="*", help="film files (with the metadata flags)")
    upload.add_argument("--manifest", type=Path, help="a list of the films: a CSV with one row per film")
    upload.add_argument("--api-url", help="the API's address, as the project team gave it")
    upload.add_argument("--api-key", help="your field office's key")
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
    upload.add_argument(
        "--no-precheck",
        action="store_true",
        help="send without measuring each film with ffprobe first (the server checks it anyway)",
    )
    upload.add_argument(
        "--yes",
        action="store_true",
        help="agree without asking to correct (or send again) films whose details changed in the list",
    )
    upload.add_argument("--wait-s", type=float, default=600, help="how long to wait for each outcome")
