"""Field offices: upload a film, or a whole workshop from a list, and see what became of each.

    omjr upload film.mp4 --title "My street" --country AZ --topics violence --first-name Leyla --age 14
    omjr upload --manifest workshop.csv

The list (a CSV as Excel or LibreOffice saves it, with commas or semicolons, UTF-8) has a first row naming
the columns and one row per film: file, title, first_name, age, topics (separated by ";" or ","), country,
and if you like language, workshop, description, and blur_faces, disguise_voice (yes or no: hide this child's
identity; the film then takes longer to prepare). The films are found next to the list.

Before a byte is sent, every row is checked as the API would check it and every film's length and size
are measured with ffprobe against the stage's rules: all the mistakes of all the rows are told at once,
naming the column to fix. A film whose file would be refused (too long, too large) is left out and told,
and the others are sent. Then each film goes to storage with its progress (speed, time left), retried
with backoff if the connection drops: a film under --multipart-from-mb (16 MB) in one piece, a larger one in
parts (the upload page sends every film in parts, whatever its size). Rates and sizes are decimal: --max-rate
500k is 500,000 bytes (500 kB) per second, 2M is 2 MB per second, and the progress shows the same units. A run
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
from cli.progress import Batch, parse_rate, rate_text, say
from cli.resume import UploadState
from cli.sender import FilmRefusedError, FilmSender

# The flags that stand for a list's columns when films are named on the command line.
FLAG_LABELS = {
    "title": "--title",
    "first_name": "--first-name",
    "age": "--age",
    "topics": "--topics",
    "country": "--country",
    "language": "--language",
    "workshop": "--workshop",
    "blur_faces": "--blur-faces",
    "disguise_voice": "--disguise-voice",
}


def protection_words(upload: dict[str, Any]) -> str:
    """What the office asked to hide, in the upload page's words, so the facilitator sees it was taken."""
    asked = upload.get("protect_identity") or {}
    kinds = [words for kind, words in (("faces", "faces blurred"), ("voice", "voice disguised")) if asked.get(kind)]
    return f", identity hidden: {' and '.join(kinds)}" if kinds else ""


def outcome_line(name: str, upload: dict[str, Any]) -> str:
    if upload["status"] in ("READY", "PUBLISHED"):
        duration = upload.get("duration_s", "?")
        return f"{name}: {upload['status']} ({duration} s){protection_words(upload)}, waiting for an editor"
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
        "blur_faces": "yes" if args.blur_faces else "",
        "disguise_voice": "yes" if args.disguise_voice else "",
    }
    rows = [Row(0, {**cells, "file": file, "title": cells["title"] or Path(file).stem}) for file in args.files]
    return rows, Path.cwd(), FLAG_LABELS


def checked_films(args: argparse.Namespace, rules: dict[str, Any]) -> tuple[list[Film], list[str]]:
    """Every row's every mistake, and every film's length and size, before anything is sent.

    A mistake in the list (a column to fix) stops everything: it is fixed in a minute, and the whole
    workshop then goes in one run. A film whose file the stage would refuse (too long, too large, not a
    film) needs editing, which can take a day: it is left out, said, and the others go (the films to
    send, and what was left out)."""
    rows, folder, labels = rows_of(args)
    checker = RowChecker(frozenset(rules["topics"]), frozenset(rules.get("countries") or ()), folder, labels)
    precheck = not args.no_precheck and ffprobe_available()
    if not args.no_precheck and not precheck:
        say(INSTALL_FFPROBE)
    limits = limits_from(rules)
    films: list[Film] = []
    mistakes_found: list[str] = []
    left_out: list[str] = []
    for row in rows:
        name = row.cells.get("file") or "no file"
        where = f"row {row.number} ({name})" if args.manifest else Path(name).name
        shape = row.shape_mistake()
        mistakes = [f"{where}: {mistake}" for mistake in ([shape] if shape else checker.mistakes(row.cells))]
        problem = None
        if not shape and precheck and checker.file_usable(row.cells.get("file", "")):
            problem = film_problem(folder / row.cells["file"], limits)
        if problem:
            (mistakes if mistakes else left_out).append(f"{where}: {labels.get('file', 'file')}: {problem}")
        mistakes_found += mistakes
        if not mistakes and not problem:
            films.append(checker.film(row))
    if mistakes_found:
        where = f" in {args.manifest.name} (rows numbered as in a spreadsheet)" if args.manifest else ""
        tell(f"Nothing was uploaded. Fix these{where} first:", mistakes_found + left_out)
        raise SystemExit(2)
    if not films:
        tell("No film can be sent:" if left_out else "No films to upload.", left_out)
        raise SystemExit(2)
    if left_out:
        tell(f"Not sent, the file needs fixing (the other {len(films)} film(s) are sent):", left_out)
    return films, left_out


def tell(heading: str, lines: list[str]) -> None:
    print(heading, file=sys.stderr)
    for line in lines:
        print(f"  {line}", file=sys.stderr)


def confirmer(assume_yes: bool) -> Callable[[str], bool]:
    def confirm(question: str) -> bool:
        if assume_yes:
            say(f"{question} yes (--yes)")
            return True
        if not sys.stdin.isatty():
            say(f"{question} not without asking: run the same command with --yes to agree.")
            return False
        try:
            answer = input(f"{question} [y/N] ")
        except EOFError:  # Ctrl-D, or a closed input: no answer is no
            print(file=sys.stderr)
            say(f"{question} no answer (the input ended): nothing changed; run the same command with --yes to agree.")
            return False
        return answer.strip().lower() in ("y", "yes")

    return confirm


def send_all(args: argparse.Namespace, api_url: str, api_key: str) -> None:
    client, rules = connect(api_url, api_key)
    films, left_out = checked_films(args, rules)
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
    if args.max_rate:
        out(f"Sending at most {rate_text(args.max_rate)}, leaving the rest of the connection to the others.")
    uploaded = []
    for number, film in enumerate(films, start=1):
        out(f"[{number}/{len(films)}] {film.path.name}")
        try:
            uploaded.append((film.path.name, sender.send(film.path, film.details, batch)))
        except FilmRefusedError as refused:
            out(f"\n  {film.path.name}: not sent: {refused}\n")
            left_out.append(f"{row_name(args, film)}: {refused}")
    if args.no_wait:
        for name, video_id in uploaded:  # the id is what an office quotes to find the film again
            print(f"{name}: sent as {video_id}, not waiting for its outcome (the upload page lists it)", flush=True)
    elif uploaded:
        out("Waiting for each film to be checked and transcoded...")
        for name, video_id in uploaded:
            print(outcome_line(name, client.wait_for_terminal(video_id, timeout_s=args.wait_s)), flush=True)
    if left_out:  # said again at the end, where it is seen after a long run
        tell(
            f"{len(left_out)} film(s) not sent: fix them, then run the same command again "
            "(the films that arrived are not sent again):",
            left_out,
        )
        raise SystemExit(2)


def row_name(args: argparse.Namespace, film: Film) -> str:
    return f"row {film.row} ({film.path.name})" if args.manifest else film.path.name


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
        "--blur-faces",
        action="store_true",
        help="hide this child's identity: blur every face in the film (it then takes longer to prepare)",
    )
    upload.add_argument(
        "--disguise-voice",
        action="store_true",
        help="hide this child's identity: disguise the voice, which stays understandable",
    )
    upload.add_argument(
        "--max-rate",
        type=parse_rate,
        metavar="RATE",
        help="use at most this many bytes per second, such as 500k (500 kB/s) or 2M (2 MB/s): a shared connection",
    )
    upload.add_argument(
        "--multipart-from-mb",
        type=float,
        default=16,
        metavar="MB",
        help="send files of this many MB or more in parts that survive an interruption (16; the upload page "
        "sends every film in parts)",
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
