"""The protect function's worst case, timed whole: a film cut every 3 frames, 62 s at 60 fps, 1080p.

    nice -n 10 python -m bench.protect_worst_case [--seconds 62] [--limit-s 900] [--work FOLDER]

The film cycles through four generated scenes every 3 frames (a cut on every 3rd frame): the
astronaut (a 220 px face) on a plain ground, the rocket on its launch pad (no face), six real faces
(LFW crops, 90-150 px) in a row, and the astronaut mirrored elsewhere; film grain so that no two
frames are the same; H.264 (High profile, superfast) at a phone's 16 Mbit/s, a tone for sound. Every
frame's true face boxes are known.

It goes through the protect function's own code path, as Lambda runs it: the stack's resources on
moto (`mock_aws`, in process), the film written PROTECTING (faces and voice asked for) with its
upload in the uploads bucket, and the function's SQS handler (`app.protect_film`) called with a
message and a context whose time limit is the function's (900 s, `--limit-s`). Reported: whether the
film reached TRANSCODING, wall seconds (whole, and face detection), CPU seconds of this process and
its ffmpeg children, model runs, peak memory, the share of face frames inside a blur region (the
regions the stage found, recorded on their way), and the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import boto3
import numpy as np
from moto import mock_aws
from skimage.data import astronaut, lfw_subset, rocket
from skimage.io import imsave
from skimage.transform import resize

from bench.moto_stack import stack_on_moto
from bench.protection_speed import cpu_seconds, photo_for_face
from chalicelib.domain.faces import Box
from tests.functional.face_clips import FACE_IN_PHOTO, PHOTO_SIZE

WIDTH, HEIGHT, FPS = 1920, 1080, 60
SHOT_FRAMES = 3
Picture = np.ndarray[Any, np.dtype[np.uint8]]


def _astronaut_scene(face_px: int, x: int, y: int, mirrored: bool) -> tuple[Picture, list[Box]]:
    size = photo_for_face(face_px)
    photo = (resize(astronaut(), (size, size), anti_aliasing=True) * 255).astype(np.uint8)
    k = size / PHOTO_SIZE
    x1, x2 = FACE_IN_PHOTO.x1 * k, FACE_IN_PHOTO.x2 * k
    if mirrored:
        photo, (x1, x2) = photo[:, ::-1], (size - x2, size - x1)
    frame = np.full((HEIGHT, WIDTH, 3), (70, 90, 110), np.uint8)
    frame[y : y + size, x : x + size] = photo
    return frame, [Box(x + x1, y + FACE_IN_PHOTO.y1 * k, x + x2, y + FACE_IN_PHOTO.y2 * k)]


def _group_scene() -> tuple[Picture, list[Box]]:
    frame = np.full((HEIGHT, WIDTH, 3), (150, 140, 120), np.uint8)
    boxes = []
    for i, (crop, size) in enumerate(zip(lfw_subset()[:6], (90, 120, 150, 120, 90, 150), strict=True)):
        face = (resize(crop, (size, size), anti_aliasing=True) * 255).astype(np.uint8)
        x, y = 120 + 290 * i, 400 + 60 * (i % 2)
        frame[y : y + size, x : x + size] = face[..., None]
        inset = size / 12  # the crops' edge is background, hair and ears
        boxes.append(Box(x + inset, y + inset, x + size - inset, y + size - inset))
    return frame, boxes


def scenes() -> list[tuple[Picture, list[Box]]]:
    """The four scenes the film cycles through, in order, with their true face boxes."""
    no_face = (resize(rocket(), (HEIGHT, WIDTH), anti_aliasing=True) * 255).astype(np.uint8)
    return [
        _astronaut_scene(220, 700, 80, mirrored=False),
        (np.ascontiguousarray(no_face), []),
        _group_scene(),
        _astronaut_scene(160, 1200, 420, mirrored=True),
    ]


def make_film(folder: Path, seconds: int) -> tuple[Path, list[list[Box]]]:
    """The film (made once per `folder`) and each frame's true face boxes."""
    shots = scenes()
    path = folder / f"worst-{seconds}s-1080p60.mp4"
    if not path.exists():
        stills = []
        for index, (picture, _) in enumerate(shots):
            stills += ["-i", str(folder / f"scene{index}.png")]
            imsave(folder / f"scene{index}.png", picture, check_contrast=False)
        cycle = SHOT_FRAMES * len(shots)
        # Each still decoded once and repeated (`loop`), not read again for every frame.
        graph = "".join(f"[{i}:v]format=yuv420p,loop=-1:1,fps={FPS}[s{i}];" for i in range(len(shots)))
        last = "s0"
        for i in range(1, len(shots)):
            shown = f"between(mod(n\\,{cycle})\\,{SHOT_FRAMES * i}\\,{SHOT_FRAMES * (i + 1) - 1})"
            graph += f"[{last}][s{i}]overlay=enable='{shown}'[o{i}];"
            last = f"o{i}"
        graph += f"[{last}]noise=alls=4:allf=t[film]"
        subprocess.run(
            [
                *("ffmpeg", "-nostdin", "-v", "error", "-y", *stills),
                *("-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}"),
                *("-filter_complex", graph, "-map", "[film]", "-map", f"{len(shots)}:a", "-t", str(seconds)),
                *("-r", str(FPS), "-c:v", "libx264", "-preset", "superfast", "-b:v", "16M", "-maxrate", "16M"),
                *("-bufsize", "32M", "-c:a", "aac", str(path)),
            ],
            check=True,
        )
    faces = [shots[(index // SHOT_FRAMES) % len(shots)][1] for index in range(seconds * FPS)]
    return path, faces


class Recorded:
    """Model runs counted and the regions the stage found, recorded on their way (nothing else changes)."""

    def __init__(self) -> None:
        from chalicelib.faces import centerface
        from chalicelib.services import face_regions

        self.runs = 0
        self.regions: list[Any] = []
        self.detection_s = 0.0
        lock = threading.Lock()
        detect, find = centerface.CenterFaceDetector.detect, face_regions.find_blur_regions

        def counted(detector: Any, frame: Any) -> list[Box]:
            with lock:
                self.runs += 1
            return detect(detector, frame)

        def recorded(*args: Any, **kwargs: Any) -> list[Any]:
            started = time.perf_counter()
            self.regions = find(*args, **kwargs)
            self.detection_s = time.perf_counter() - started
            return self.regions

        centerface.CenterFaceDetector.detect = counted  # type: ignore[method-assign]
        face_regions.find_blur_regions = recorded


def covered(faces: list[list[Box]], regions: list[Any]) -> tuple[int, int]:
    hits = total = 0
    for index, frame_faces in enumerate(faces):
        time_s = index / FPS
        active = [r.box for r in regions if r.start_s - 1e-6 <= time_s <= r.end_s + 1e-6]
        total += len(frame_faces)
        hits += sum(any(box.contains(face) for box in active) for face in frame_faces)
    return hits, total


def protect_through_the_function(film: Path, seconds: int, limit_s: float) -> dict[str, Any]:
    """The film through `app.protect_film` on moto, as Lambda would run it; what it took."""
    with mock_aws():
        resources = stack_on_moto("omjr-bench")
        import app as app_module
        from chalicelib import wiring
        from chalicelib.clock import now_iso
        from chalicelib.domain.film import Film, Status
        from chalicelib.domain.metadata import Author
        from chalicelib.domain.object_keys import upload_key
        from chalicelib.domain.protection import Protection, draw_voice_disguise
        from local.lambda_context import LocalLambdaContext
        from local.worker import lambda_event

        deps = wiring.dependencies()
        video_id, at = str(uuid.uuid4()), now_iso()
        key = upload_key(video_id, ".mp4")
        s3 = boto3.client("s3")
        bucket = resources.resolve({"Ref": "UploadsBucket"})
        etag = s3.put_object(Bucket=bucket, Key=key, Body=film.read_bytes())["ETag"].strip('"')
        deps.catalog.create_film(
            Film(
                video_id=video_id,
                status=Status.PROTECTING,
                created_at=at,
                status_changed_at=at,
                office_id="office-caucasus",
                upload_key=key,
                filename="worst.mp4",
                content_type="video/mp4",
                size_bytes=film.stat().st_size,
                title="Worst case",
                country="AZ",
                topics=("violence",),
                author=Author(first_name="Leyla", age=14),
                protect_identity=Protection(faces=True, voice=True),
                voice_disguise=draw_voice_disguise(),
                upload_etag=etag,
                picture_width=WIDTH,
                picture_height=HEIGHT,
                duration_s=float(seconds),
                has_audio=True,
            )
        )
        film_made = deps.catalog.get_film(video_id)
        assert film_made is not None
        body = json.dumps({"video_id": video_id, "etag": etag, "attempt": 0})
        message = {"MessageId": str(uuid.uuid4()), "ReceiptHandle": "bench", "Body": body}
        recorded = Recorded()
        load_before = os.getloadavg()
        started, cpu = time.perf_counter(), cpu_seconds()
        app_module.protect_film(  # type: ignore[attr-defined]
            lambda_event(message, "arn:aws:sqs:us-east-1:123456789012:protect_film"),
            LocalLambdaContext("protect_film", limit_s, memory_mb=10240),
        )
        wall, used = time.perf_counter() - started, cpu_seconds() - cpu
        after = deps.catalog.get_film(video_id)
        assert after is not None
        return {
            "status": after.status.value,
            "failure": after.reason,
            "master": after.protected_master is not None,
            "wall_s": wall,
            "detection_s": recorded.detection_s,
            "cpu_s": used,
            "runs": recorded.runs,
            "regions": recorded.regions,
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=62)
    parser.add_argument("--limit-s", type=float, default=900.0, help="the function's time limit")
    parser.add_argument("--work", type=Path, help="a folder to keep the film in (made once)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = args.work or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        film, faces = make_film(work, args.seconds)
        print(
            f"# Protect function, worst case ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): "
            f"{args.seconds} s {WIDTH}x{HEIGHT} {FPS} fps, a cut every {SHOT_FRAMES} frames, "
            f"{film.stat().st_size / 2**20:.0f} MiB; limit {args.limit_s:.0f} s",
            flush=True,
        )
        r = protect_through_the_function(film, args.seconds, args.limit_s)
    hits, total = covered(faces, r["regions"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("| status | wall s (detection) | CPU s | model runs | regions | face frames covered | peak MiB | load |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {r['status']}{' (' + str(r['failure']) + ')' if r['failure'] else ''} | {r['wall_s']:.0f} "
        f"({r['detection_s']:.0f}) | {r['cpu_s']:.0f} | {r['runs']} | {len(r['regions'])} | {hits}/{total} "
        f"({hits / total:.4f}) | {peak:.0f} / ffmpeg {children:.0f} | "
        f"{r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f} (5 min {r['load_after'][1]:.1f}) |",
        flush=True,
    )


if __name__ == "__main__":
    main()
