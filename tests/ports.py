"""Ports for the stacks and servers the tests start, each test worker from a range of its own below the
kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range).

A port found by binding port 0 and closing the socket is free only for that moment: the kernel may hand it to
another worker's stack binding port 0, or to an outgoing connection, before the server that was to listen there
binds it ("Address already in use", a stack that does not start). The kernel hands out nothing below its
ephemeral range, and two workers never share a range: a port from here can be taken meanwhile only by another
program on the machine listening there, which the bind check sees first."""

from __future__ import annotations

import itertools
import os
import socket
from pathlib import Path

PORTS_PER_WORKER = 1000
LOWEST = 1024
_turn = itertools.count()


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def _worker_range() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    index = int(worker) if worker.isdigit() else 0
    start = max(LOWEST, _ephemeral_low() - (index % 16 + 1) * PORTS_PER_WORKER)
    return range(start, start + PORTS_PER_WORKER)


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
