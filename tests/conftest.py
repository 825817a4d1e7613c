"""Shared fixtures: tiny films made with ffmpeg itself, once per test session; and how `make test` shares the
tests out between its two workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.clips import make_clip
from local.toolchain import use_layer_ffmpeg

# Session fixtures that start a whole local stack (`python -m local`): every file that uses one runs on the same
# worker, so that each is started once (the demo films of `running_stack` alone take a minute of CPU).
SHARED_STACKS = ("running_stack", "web_stack")
# The tiers whose files wait the longest (on a stack's queues and timeouts, on a browser) go first: the other
# worker meanwhile takes the short files one by one, and neither waits alone at the end.
FIRST_TIERS = ("tests/e2e/", "tests/browser/")


def pytest_configure(config: pytest.Config) -> None:
    """Every test that runs ffmpeg runs the Lambda layer's build (never the machine's own 5.1, say)."""
    use_layer_ffmpeg(required=False)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With `-n 2 --dist loadgroup --no-loadscope-reorder` (make test): a file's tests stay together (their module
    fixtures are made once), the files of one shared stack together, the slow tiers first."""
    group: dict[str, str] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        shared = next((name for name in SHARED_STACKS if name in getattr(item, "fixturenames", ())), None)
        if shared or path not in group:
            group[path] = shared or group.get(path, path)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group[item.nodeid.split("::", 1)[0]]))
    items.sort(key=lambda item: next((n for n, tier in enumerate(FIRST_TIERS) if item.nodeid.startswith(tier)), 99))


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    not_video = folder / "notes.mp4"
    not_video.write_text("These are the workshop notes, not a film.\n" * 50)
    return {
        "valid": make_clip(folder / "valid.mp4", 60, width=160, height=120, fps=2),
        "hd": make_clip(folder / "hd.mp4", 60, width=1280, height=720, fps=1),
        "silent": make_clip(folder / "silent.mp4", 60, width=160, height=120, fps=2, audio=False),
        "not_video": not_video,
    }
