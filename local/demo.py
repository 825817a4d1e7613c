"""Demo films for a newcomer, sent through the real upload flow: two valid films, one too short, and
footage as workshops bring it (an anamorphic interlaced camcorder film with quiet 5.1 sound, an HDR
phone film, and one whose picture stops before its sound), to show what the pipeline does to each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli.client import IngestClient
from local.clips import make_clip, make_footage_clip

DEMO_FILMS: list[dict[str, Any]] = [
    {
        "file": "my-street.mp4",
        "duration_s": 60,
        "width": 1280,
        "height": 720,
        "metadata": {
            "title": "My street",
            "country": "AZ",
            "topics": ["leave-no-child-out"],
            "author": {"first_name": "Leyla", "age": 14},
            "language": "az",
            "workshop": "baku-2012",
        },
    },
    {
        "file": "the-bus-home.mp4",
        "duration_s": 59.5,
        "pattern": "cellauto",  # a picture of its own: the editors would see two test patterns as one film sent twice
        "width": 480,
        "height": 848,
        "metadata": {
            "title": "The bus home",
            "country": "KG",
            "topics": ["violence", "juvenile-justice"],
            "author": {"first_name": "Aibek", "age": 16},
            "language": "ky",
        },
    },
    {
        "file": "too-short.mp4",
        "duration_s": 25,
        "width": 640,
        "height": 360,
        "metadata": {
            "title": "Too short to publish",
            "country": "AZ",
            "topics": ["hiv-aids"],
            "author": {"first_name": "Samir", "age": 12},
        },
    },
]
FOOTAGE_FILMS: list[dict[str, Any]] = [
    {
        "file": "grandmothers-camcorder.mp4",
        "kind": "camcorder",
        "metadata": {
            "title": "Grandmother's camcorder",
            "country": "AM",
            "topics": ["roma-children"],
            "author": {"first_name": "Ani", "age": 15},
        },
    },
    {
        "file": "phone-in-hdr.mp4",
        "kind": "phone_hdr",
        "metadata": {
            "title": "Filmed on a phone",
            "country": "TJ",
            "topics": ["leave-no-child-out"],
            "author": {"first_name": "Farrukh", "age": 13},
        },
    },
    {
        "file": "picture-stops-early.mp4",
        "kind": "picture_shorter",
        "metadata": {
            "title": "The picture stops early",
            "country": "AZ",
            "topics": ["violence"],
            "author": {"first_name": "Nigar", "age": 17},
        },
    },
]


def run_demo(api_url: str, web_url: str, field_office_key: str, editor_key: str, workdir: Path) -> list[str]:
    """Upload, wait, publish what is READY; return one printable line per film (a published one with its page)."""
    office = IngestClient(api_url, field_office_key)
    editor = IngestClient(api_url, editor_key)
    uploaded = []
    for film in DEMO_FILMS:
        path = make_clip(
            workdir / film["file"],
            film["duration_s"],
            width=film["width"],
            height=film["height"],
            fps=10,
            pattern=film.get("pattern", "testsrc"),
        )
        uploaded.append((film["file"], office.upload(path, film["metadata"])))
    for film in FOOTAGE_FILMS:
        path = make_footage_clip(workdir / film["file"], film["kind"], 60)
        uploaded.append((film["file"], office.upload(path, film["metadata"])))
    lines = []
    for name, video_id in uploaded:
        upload = office.wait_for_terminal(video_id)
        if upload["status"] == "READY":
            editor.publish(video_id)
            lines.append(f"{name}: PUBLISHED  {web_url}/film.html?id={video_id}")
        else:
            lines.append(f"{name}: {upload['status']} {upload.get('reason_code', '')}: {upload.get('reason', '')}")
    return lines
