"""Cold start: importing app.py (what Lambda does at init) against importing boto3 and creating one
client, each in a fresh interpreter, interleaved, median of 15; with tracing off and on.

    python -m bench.cold_start
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

from local.resources import ROOT

ROUNDS = 15
SNIPPETS = {
    "boto3 + one client": "import boto3; boto3.session.Session().client('s3', region_name='us-east-1')",
    "import app (tracing off)": "import app",
    "import app (tracing on)": "import app",
}
TIMER = "import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"


def once(name: str) -> float:
    env = {
        **os.environ,
        "POWERTOOLS_TRACE_DISABLED": "false" if "tracing on" in name else "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(code=SNIPPETS[name])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in SNIPPETS}
    for _ in range(ROUNDS):
        for name in SNIPPETS:
            times[name].append(once(name))
    median = {name: statistics.median(values) for name, values in times.items()}
    base = median["boto3 + one client"]
    print("| measure | median | ratio to boto3 + one client |\n| --- | --- | --- |")
    for name, seconds in median.items():
        print(f"| {name} | {seconds * 1000:.0f} ms | {seconds / base:.2f} |")


if __name__ == "__main__":
    main()
