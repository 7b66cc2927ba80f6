import tracemalloc
from collections.abc import AsyncIterator

from cmh_testing.gateway.world import World

SIZE = 20 * 1024 * 1024
CHUNK = 64 * 1024
# Far below the 20 MB that would be held if either direction were buffered.
MEMORY_BOUND = 8 * 1024 * 1024


async def _chunks() -> AsyncIterator[bytes]:
    block = b"y" * CHUNK
    for _ in range(SIZE // CHUNK):
        yield block


async def test_a_large_upload_streams_through(world: World) -> None:
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        response = await world.client.post(
            "/api/v1/lab/upload", content=_chunks(), headers=world.auth()
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert response.json() == {"received": SIZE}
    assert peak - start < MEMORY_BOUND


async def test_a_large_download_streams_through(world: World) -> None:
    received = 0
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        async with world.client.stream(
            "GET", f"/api/v1/lab/download?size={SIZE}", headers=world.auth()
        ) as response:
            async for chunk in response.aiter_raw():
                received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert received == SIZE
    assert peak - start < MEMORY_BOUND
