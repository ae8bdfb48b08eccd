"""Concurrent HTTP requests over persistent connections, with latencies.

Each of ``clients`` processes keeps one keep-alive connection and requests
its share of the URLs one after another; every response is read in full and
must have the expected status. Latency is the time from sending
the request to the last byte of the body.
"""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
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
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
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


def _client(host, port, cookie, paths, expect, barrier, pipe) -> None:
    """One client process: its share of the paths, one after another."""
    client = Client(host, port, cookie)
    latencies, size, error = [], 0, None
    barrier.wait()
    for path in paths:
        started = time.perf_counter()
        try:
            status, body, _headers = client.get(path)
        except Exception as failure:
            error = f"{path}: {failure}"
            break
        latencies.append(time.perf_counter() - started)
        size += len(body)
        if status != expect:
            error = f"{path}: HTTP {status}"
            break
    pipe.send((latencies, size, error))
    pipe.close()


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
    """Request every path once from ``clients`` processes at a time (each
    with its own keep-alive connection; processes, so that no client waits
    for another's turn at the interpreter); fail on a wrong status."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients + 1)
    workers, pipes = [], []
    for n in range(clients):
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(
            target=_client,
            args=(host, port, cookie, paths[n::clients], expect, barrier, send),
        )
        worker.start()
        workers.append(worker)
        pipes.append(receive)
    barrier.wait()
    started = time.perf_counter()
    results = [pipe.recv() for pipe in pipes]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    errors = [error for _l, _s, error in results if error]
    if errors:
        raise RuntimeError(f"{name}: {errors[0]}")
    latencies = [x for lat, _s, _e in results for x in lat]
    return Timing.of(name, latencies, elapsed, sum(size for _l, size, _e in results))
