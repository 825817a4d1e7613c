"""Moving clips made from a real photograph (scikit-image's astronaut), with the face's true box per frame.

Each clip is drawn frame by frame in numpy and encoded by ffmpeg from raw frames on stdin, so the
tests know exactly where the face is on every frame (FACE_IN_PHOTO, moved and scaled with the photo),
whatever the pipeline finds. All tiny: 480x270, 12 fps, 3 s.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from skimage.data import astronaut
from skimage.transform import resize

from chalicelib.domain.faces import Box

WIDTH, HEIGHT, FPS, SECONDS = 480, 270, 12, 3
# The astronaut's face in the 512x512 photograph (forehead to chin, ear to ear).
FACE_IN_PHOTO = Box(178, 55, 272, 182)
PHOTO_SIZE = 512
BACKGROUND = (70, 90, 110)


@dataclass(frozen=True)
class Placement:
    """One photograph on one frame: its top-left corner, its size and whether it is mirrored."""

    x: float
    y: float
    size: int
    mirrored: bool = False

    def face(self) -> Box:
        k = self.size / PHOTO_SIZE
        x1, x2 = FACE_IN_PHOTO.x1 * k, FACE_IN_PHOTO.x2 * k
        if self.mirrored:
            x1, x2 = self.size - x2, self.size - x1
        return Box(self.x + x1, self.y + FACE_IN_PHOTO.y1 * k, self.x + x2, self.y + FACE_IN_PHOTO.y2 * k)


@dataclass(frozen=True)
class FaceClip:
    path: Path
    faces: list[list[Box]]  # per frame, the true boxes of the faces at least half in view
    fps: int = FPS

    @property
    def frame_times(self) -> list[float]:
        return [index / self.fps for index in range(len(self.faces))]


Layout = Callable[[float], list[Placement]]  # time in seconds -> the photographs on that frame

LAYOUTS: dict[str, Layout] = {
    # The camera pans: the face crosses a third of the frame.
    "pan": lambda t: [Placement(20 + 60 * t, -30, 256)],
    # The camera zooms in: the face grows from about 30 to 75 pixels tall.
    "zoom": lambda t: [Placement(240 - (128 + 64 * t) / 2, 10 - 20 * t, round(128 + 64 * t))],
    # Two children side by side, one turned the other way.
    "two_faces": lambda t: [Placement(10 + 5 * t, 0, 220), Placement(250 - 5 * t, 20, 220, mirrored=True)],
    # Filmed across a room: a face about 20 pixels tall, drifting.
    "small_face": lambda t: [Placement(200 + 10 * t, 100, 80)],
    # Walks in from the left and out on the right.
    "enter_leave": lambda t: [Placement(-240 + 280 * t, 0, 240)],
}


def _photo(size: int, mirrored: bool) -> np.ndarray:
    image = (resize(astronaut(), (size, size), anti_aliasing=True) * 255).astype(np.uint8)
    return image[:, ::-1] if mirrored else image


def draw(placements: list[Placement]) -> np.ndarray:
    frame = np.empty((HEIGHT, WIDTH, 3), dtype=np.uint8)
    frame[:] = BACKGROUND
    for placement in placements:
        photo = _photo(placement.size, placement.mirrored)
        x, y = round(placement.x), round(placement.y)
        left, top = max(0, x), max(0, y)
        right, bottom = min(WIDTH, x + placement.size), min(HEIGHT, y + placement.size)
        if right > left and bottom > top:
            frame[top:bottom, left:right] = photo[top - y : bottom - y, left - x : right - x]
    return frame


def visible_faces(placements: list[Placement]) -> list[Box]:
    """The true face boxes that are at least half inside the frame, clipped to it."""
    boxes = []
    for placement in placements:
        face = placement.face()
        clipped = face.clipped(WIDTH, HEIGHT)
        if (
            clipped.width > 0
            and clipped.height > 0
            and clipped.width * clipped.height >= 0.5 * face.width * face.height
        ):
            boxes.append(clipped)
    return boxes


def make_face_clip(name: str, folder: Path, seconds: int = SECONDS, fps: int = FPS, audio: bool = False) -> FaceClip:
    """`seconds` longer than the layout's SECONDS plays it again from the start (a one-minute film for the
    pipeline's tests, at a low `fps` to stay small); `audio` adds a tone, as a film's sound."""
    layout = LAYOUTS[name]
    times = [(index / fps) % SECONDS for index in range(fps * seconds)]
    drawn = {t: draw(layout(t)).tobytes() for t in set(times)}  # a film longer than its layout repeats frames
    frames = b"".join(drawn[t] for t in times)
    sound = ["-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}"] if audio else []
    sound_codec = ["-c:a", "aac", "-shortest"] if audio else []
    path = folder / f"{name}.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{WIDTH}x{HEIGHT}",
            "-r",
            str(fps),
            "-i",
            "pipe:0",
            *sound,
            *sound_codec,
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "16",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        input=frames,
        check=True,
    )
    return FaceClip(path, [visible_faces(layout(t)) for t in times], fps)


def decode(path: Path) -> list[np.ndarray]:
    """Every frame of a clip as RGB."""
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    frame_bytes = WIDTH * HEIGHT * 3
    return [
        np.frombuffer(raw[i : i + frame_bytes], np.uint8).reshape(HEIGHT, WIDTH, 3)
        for i in range(0, len(raw), frame_bytes)
    ]
