"""One way of doing each thing: what was once written in several places is defined once, and stays so."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's own code: what runs in the functions, the local stack, the command line and the benchmarks.
SOURCES = ("app.py", "chalicelib", "cli", "local", "bench", "infra", "layers")


def source_files(*places: str) -> Iterator[Path]:
    for place in places or SOURCES:
        path = ROOT / place
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def where(text: str, *places: str) -> dict[str, int]:
    """Each file that holds `text`, and how often."""
    found = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8").count(text) for path in source_files(*places)
    }
    return {name: count for name, count in found.items() if count}


def nodes(*places: str) -> Iterator[tuple[str, ast.AST]]:
    for path in source_files(*places):
        name = str(path.relative_to(ROOT))
        yield from ((name, node) for node in _nodes_of(path))


@functools.cache
def _nodes_of(path: Path) -> list[ast.AST]:
    return list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("option", ["format_whitelist", "protocol_whitelist"])
def test_the_input_allowlists_of_ffmpeg_and_ffprobe_are_written_once(option):
    # Every command that opens a source takes them from chalicelib.media.runner.input_options.
    assert where(option) == {"chalicelib/media/runner.py": 1}
    assert where('"mov,mp4') == {"chalicelib/domain/rules.py": 1}, "the containers a source may be in: the rules'"


def test_the_limit_of_a_listing_is_parsed_once():
    refusals = [name for name, node in nodes() if isinstance(node, ast.Constant) and node.value == "invalid_limit"]
    assert refusals == ["chalicelib/domain/paging.py"], "one parser refuses a bad limit, for every listing"


def test_outside_the_domain_a_film_is_constructed_only_where_the_catalog_reads_one():
    calls = [
        name
        for name, node in nodes("app.py", "chalicelib")
        if not name.startswith("chalicelib/domain/")
        and isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Film"
    ]
    assert len(calls) <= 1, calls  # the adapter's reading of an item (chalicelib/adapters/film_items.py)
