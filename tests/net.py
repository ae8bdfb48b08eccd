"""Ports for the real servers tests start on 127.0.0.1."""

import socket


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
