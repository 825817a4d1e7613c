"""Attacks on duplicates (domain/fingerprint.py): a film that shares only a few seconds with another must not be
flagged as the same film ("A copy must match nearly throughout")."""

from pathlib import Path

import pytest

from tests.functional.media_samples import ffmpeg
from tests.functional.test_duplicates import flagged, send


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-minute film, and another whose first 8 s are the same shot and the other 52 s a dark scene."""
    folder = tmp_path_factory.mktemp("duplicate-attacks")
    original, dark = folder / "street.mp4", folder / "night.mp4"
    sound = ["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=22050:duration=60"]
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    picture = "testsrc2=size=320x180:rate=5:duration=60"
    ffmpeg("-f", "lavfi", "-i", picture, *sound, *encode, str(original))
    night = f"{picture},drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,8)'"
    ffmpeg("-f", "lavfi", "-i", night, *sound, *encode, str(dark))
    return {"original": original, "dark": dark}


def test_a_film_sharing_only_its_first_8_seconds_with_another_is_not_flagged_as_the_same_film(api, stack, films):
    original = send(api, stack, films["original"], title="My street")
    night = send(api, stack, films["dark"], title="Our street at night")

    # 52 of its 60 seconds are its own (dark) picture: not a copy. Seen: flagged "picture", 8 s deciding alone.
    assert flagged(api, stack, night) == set()
    assert flagged(api, stack, original) == set()
