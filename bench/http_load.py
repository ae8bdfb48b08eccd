"""Concurrent HTTP requests over persistent connections, with latencies.

Each of ``clients`` threads keeps one keep-alive connection and takes the
next URL from a shared list until all are done; every response is read in
full and must have the expected status. Latency is the time from sending
the request to the last byte of the body.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Timing:
    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    per_second: float
    bytes: int

    @classmethod
    def of(cls, name: str, latencies: list[float], elapsed: float, size: int):
        ordered = sorted(latencies)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        return cls(
            name=name,
            requests=len(ordered),
            p50_ms=statistics.median(ordered) * 1000,
            p95_ms=p95 * 1000,
            max_ms=ordered[-1] * 1000,
            per_second=len(ordered) / elapsed,
            bytes=size,
        )


class Client:
    """One keep-alive connection carrying a session cookie."""

    def __init__(self, host: str, port: int, cookie: str = ""):
        self.host, self.port, self.cookie = host, port, cookie
        self.connection = http.client.HTTPConnection(host, port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes, dict]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        for attempt in range(2):
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read(), dict(response.getheaders())
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=120
                )
                if attempt:
                    raise
        raise AssertionError("unreachable")


def run(
    name: str,
    paths: list[str],
    *,
    host: str,
    port: int,
    cookie: str,
    clients: int = 8,
    expect: int = 200,
) -> Timing:
    """Request every path once, ``clients`` at a time; fail on a wrong status."""
    queue = list(reversed(paths))
    lock = threading.Lock()
    latencies: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []

    def worker():
        client = Client(host, port, cookie)
        while True:
            with lock:
                if not queue or errors:
                    return
                path = queue.pop()
            started = time.perf_counter()
            try:
                status, body, _headers = client.get(path)
            except Exception as error:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(f"{path}: {error}")
                return
            elapsed = time.perf_counter() - started
            with lock:
                if status != expect:
                    errors.append(f"{path}: HTTP {status}")
                latencies.append(elapsed)
                sizes.append(len(body))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{name}: {errors[0]}")
    return Timing.of(name, latencies, time.perf_counter() - started, sum(sizes))
