"""Operator commands: see where films are, retry one, move dead letters back to work.

    python -m cli ops status                 # films per status, dead-letter depths, oldest stuck films (and the
                                             # stage each waits for)
    python -m cli ops retry VIDEO_ID         # a FAILED film starts again from its upload
    python -m cli ops redrive                # dead-letter messages go back to their stages' queues
    python -m cli ops sweep                  # run the scheduled sweep now (sources past retention,
                                             # unfinished takedowns and media exposure too)
    python -m cli ops takedown VIDEO_ID [--reason REASON [--note TEXT]]
                                             # take a film down now, or finish a takedown that left
                                             # something behind (it says what is left, if anything); the
                                             # reason (consent_withdrawn, safeguarding, family_request, or
                                             # other with a note) goes in its audit trail;
                                             # without one, it says none was given
    python -m cli ops sync-media             # media public exactly for published films, private for every
                                             # other film (after a deploy, or when a publish's tagging failed)
    python -m cli ops relist                 # listings written anew from the films, old forms removed
                                             # (after a deploy that changes how films are listed)

The stages, their queues and dead-letter queues come from chalicelib/domain/stages.py.
Against the local stack by default; `--stack NAME --stage dev|prod` acts on a deployed stack.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from chalicelib import wiring
from chalicelib.domain.film import Status
from chalicelib.domain.stages import STAGES
from chalicelib.domain.takedown_reasons import TakedownReason, parse_takedown
from chalicelib.services import attention, editorial, media_exposure, protection_catch_up, recovery, retention, takedown
from cli.target import Target

STUCK_SHOWN = 10
# Who the audit trail says took a film down, or retried it, from the command line.
OPERATOR = "operator (omjr ops takedown)"
RETRIER = "operator (omjr ops retry)"


def status(target: Target) -> dict[str, Any]:
    deps = target.dependencies()
    catalog = deps.catalog
    films = {s.value: catalog.count_by_status(s) for s in Status}
    dead = {name: wiring.queue(url).depth() for name, url in target.dead_letter_queues.items()}
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    oldest = [
        {
            "video_id": waiting.film.video_id,
            "status": waiting.film.status.value,
            "waits_for": waiting.stage.name,
            "since": waiting.film.status_changed_at,
        }
        for waiting in attention.waiting_in_processing(deps, lambda _: now, STUCK_SHOWN)
    ]
    failed = [catalog.get_film(v) for v in catalog.list_by_status(Status.FAILED, now, STUCK_SHOWN)]
    return {
        "films": {name: number for name, number in films.items() if number},
        "dead_letter_queues": dead,
        "oldest_in_processing": sorted(oldest, key=lambda film: film["since"] or "")[:STUCK_SHOWN],
        "failed": [{"video_id": f.video_id, "reason": f.reason} for f in failed if f is not None],
    }


def redrive(target: Target) -> dict[str, int]:
    """Each stage's dead letters back to that stage's queue, by the queue's short name."""
    deps = target.dependencies()
    return {
        stage.queue: recovery.redrive(wiring.queue(target.dead_letter_queues[stage.queue]), deps.queue(stage))
        for stage in STAGES
    }


def run(args: argparse.Namespace, target: Target) -> None:
    if args.ops_command == "status":
        result: Any = status(target)
    elif args.ops_command == "retry":
        result = recovery.retry_film(target.dependencies(), RETRIER, args.video_id)
    elif args.ops_command == "redrive":
        result = redrive(target)
    elif args.ops_command == "takedown":
        why = parse_takedown({"reason": args.reason, "note": args.note})
        result = takedown.take_down(target.dependencies(), OPERATOR, args.video_id, why)
    elif args.ops_command == "sync-media":
        result = media_exposure.sync_all_media(target.dependencies())
    elif args.ops_command == "relist":
        result = editorial.relist_all(target.dependencies())
    else:
        deps = target.dependencies()
        result = {
            **recovery.sweep(deps, deps.settings.sweep),
            "retried": recovery.retry_transient_failures(deps, deps.settings.sweep),
            "protection_caught_up": protection_catch_up.catch_up_ready_films(deps, deps.settings.sweep),
            "sources": retention.delete_due_sources(deps),
            "takedowns": takedown.finish_unfinished(deps),
            "media": media_exposure.finish_due(deps),
        }
    print(json.dumps(result, indent=2))
    if args.ops_command == "takedown" and "left" in result:
        raise SystemExit("The film is DELETED but something is left behind (above): run the same command again.")


def add_parser(commands: Any) -> None:
    ops = commands.add_parser(
        "ops", help="operate the pipeline", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    verbs = ops.add_subparsers(dest="ops_command", required=True)
    verbs.add_parser("status", help="films per status, dead-letter depths, the oldest stuck films")
    verbs.add_parser("retry", help="start a FAILED film again").add_argument("video_id")
    verbs.add_parser("redrive", help="move dead-letter messages back to their queues")
    verbs.add_parser("sweep", help="expire unused uploads, requeue or fail stuck films, delete expired sources, now")
    taking_down = verbs.add_parser(
        "takedown", help="take a film down now, or finish a takedown that left something behind"
    )
    taking_down.add_argument("video_id")
    taking_down.add_argument(
        "--reason",
        choices=[reason.value for reason in TakedownReason],
        help="why (its audit trail; say it whenever you know it)",
    )
    taking_down.add_argument("--note", help="for --reason other: what happened (never who the child or family is)")
    verbs.add_parser("sync-media", help="make media public exactly for published films, private for all others")
    verbs.add_parser(
        "relist", help="write every published and unpublished film's listings anew, removing old forms (after a deploy)"
    )
