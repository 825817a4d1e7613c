"""Ports for the stacks and servers the tests start, each test worker from a range of its own, outside the
kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range) and above the ports a developer's
`make run` takes (8000, 8080).

A port found by binding port 0 and closing the socket is free only for that moment: the kernel may hand it to
another worker's stack binding port 0, or to an outgoing connection, before the server that was to listen there
binds it ("Address already in use", a stack that does not start). The kernel hands out nothing outside its
ephemeral range, and the workers of one run share no port. A run beside another (`make e2e` and `make browser`
at once, a benchmark's stack) starts elsewhere in its range, by its process id; the bind check sees what
another program already listens on."""

from __future__ import annotations

import itertools
import os
import socket
from pathlib import Path

FIRST = 10_000  # above `make run`'s ports
LAST = 65_535


def _ephemeral() -> tuple[int, int]:
    try:
        low, high = (int(part) for part in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default
    return low, high


def _worker_range() -> range:
    """The larger of the spans outside the ephemeral range, shared out among the run's workers."""
    low, high = _ephemeral()
    outside = max((range(FIRST, max(FIRST, low)), range(max(FIRST, high + 1), LAST + 1)), key=len)
    start, stop = outside.start, outside.stop
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    index = int(worker) if worker.isdigit() else 0
    span = (stop - start) // max(workers, 1)
    if span < 100:
        raise RuntimeError(f"too few ports outside the ephemeral range ({low}-{high}) for {workers} test workers")
    return range(start + index * span, start + (index + 1) * span)


_turn = itertools.count(os.getpid())


def free_port() -> int:
    """A port no one listens on, this worker's next in turn."""
    ports = _worker_range()
    for _ in ports:
        port = ports[next(_turn) % len(ports)]
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {ports.start} and {ports.stop - 1}")
