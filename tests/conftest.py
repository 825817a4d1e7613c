"""Shared fixtures: tiny films made with ffmpeg itself, once per test session; and how `make test` shares the
tests out between its two workers."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadFileScheduling

from local.clips import make_clip
from local.toolchain import use_layer_ffmpeg

# Session fixtures that start a whole local stack (`python -m local`): under `pytest -n 2 --dist loadfile` (make
# test), every file that uses one runs on the same worker, so that each starts once (the demo films of
# `running_stack` alone take a minute of CPU).
SHARED_STACKS = ("running_stack", "web_stack")
# The tiers whose files wait the longest (on a stack's queues and timeouts, on a browser) go first: the other
# worker meanwhile takes the short files one by one, and neither waits alone at the end.
FIRST_TIERS = ("tests/e2e/", "tests/browser/")


def pytest_configure(config: pytest.Config) -> None:
    """Every test that runs ffmpeg runs the Lambda layer's build (never the machine's own 5.1, say)."""
    use_layer_ffmpeg(required=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tiers first (files keep their order and their tests' order)."""
    items.sort(key=lambda item: next((n for n, tier in enumerate(FIRST_TIERS) if item.nodeid.startswith(tier)), 99))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile`, with the files of one shared stack as one unit and units in the collection's order
    (pytest-xdist would otherwise start the files with the most tests first, and the longest waits last).
    (`--dist loadgroup` cannot do it here: pytest-xdist 3.8 marks groups in a way pytest 9 no longer reads.)"""
    if config.getvalue("dist") != "loadfile":
        return None

    class SharedStackScheduling(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = str(super()._split_scope(nodeid))
            return _shared_stack(config.rootpath / path) or path

    config.option.loadscopereorder = False
    return SharedStackScheduling(config, log)


@functools.cache
def _shared_stack(test_file: Path) -> str | None:
    """The shared stack that a test file's tests use, if any (named in its text: the scheduler sees no fixtures)."""
    text = test_file.read_text(encoding="utf-8") if test_file.is_file() else ""
    return next((name for name in SHARED_STACKS if name in text), None)


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
