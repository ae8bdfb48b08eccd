"""``core.cache.read_ahead``: the keys a page reads from the shared cache,
read in one round trip (issue 22), against a real Redis of the test's own."""

import pytest
import redis

from core.cache import ResilientRedisCache
from core.cache import read_ahead
from tests.net import free_port
from tests.retention.test_worker import start_redis_server


@pytest.fixture
def shared(monkeypatch):
    """The shared cache on a redis-server of this test's own, as the
    product's ``cache`` (what ``read_ahead`` reads)."""
    port = free_port()
    server = start_redis_server(port)
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})
    monkeypatch.setattr("core.cache.cache", cache)
    try:
        yield cache, redis.Redis(port=port)
    finally:
        server.kill()
        server.wait()


def _commands(server) -> int:
    """How many reads (GET and MGET) the server has answered."""
    stats = server.info("commandstats")
    return sum(
        stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget")
    )


def test_keys_read_ahead_are_answered_without_asking_again(shared):
    cache, server = shared
    cache.set("options:zh-hans", ["客服一部", "客服二部"])
    cache.set("fields:zh-hans", "<select>…</select>")
    before = _commands(server)
    with read_ahead(["options:zh-hans", "fields:zh-hans", "version"]):
        # Changed by another process meanwhile: this request keeps what it
        # read at its start.
        server.delete(cache.make_key("fields:zh-hans"))
        assert cache.get("options:zh-hans") == ["客服一部", "客服二部"]
        assert cache.get("fields:zh-hans") == "<select>…</select>"
        assert cache.get("version", "absent") == "absent"  # a miss stays a miss
        assert _commands(server) == before + 1  # one MGET
    # After the block every read asks Redis again.
    assert cache.get("fields:zh-hans") is None
    assert cache.get("options:zh-hans") == ["客服一部", "客服二部"]


def test_a_miss_read_ahead_is_made_set_and_read_back(shared):
    cache, _server = shared
    made = []

    def make():
        made.append(1)
        return 1

    with read_ahead(["archives:saved-searches:version"]):
        assert cache.get_or_set("archives:saved-searches:version", make, None) == 1
        # Written inside the block: forgotten there, read from Redis.
        cache.set("archives:saved-searches:version", 2)
        assert cache.get("archives:saved-searches:version") == 2
        cache.delete("archives:saved-searches:version")
        assert cache.get("archives:saved-searches:version") is None
    assert made == [1]


def test_the_catalogue_reads_its_cached_parts_in_one_round_trip(
    shared, client, world, monkeypatch
):
    cache, server = shared
    # The selectors and the view read the cache through their own module's
    # name: they get the test's Redis too.
    monkeypatch.setattr("archives.selectors.cache", cache)
    monkeypatch.setattr("archives.views.catalogue.cache", cache)
    client.force_login(world.archivist)
    assert client.get("/catalogue/").status_code == 200  # fills the cache
    before = _commands(server)
    page = client.get("/catalogue/")
    assert page.status_code == 200
    assert world.cs1.name in page.content.decode()  # the department filter
    # Choices, their HTML and the searches' version in one MGET, then the
    # person's saved searches under that version: two, where it was four.
    assert _commands(server) - before == 2
