"""One address for every instance of a service, as a Kubernetes Service gives the services
that call it: each connection goes to the next instance in turn, and to the one after when
an instance refuses it (killed, restarting). A process of its own (so the test's event loop
does not carry the bytes):

    python -m tests.chaos.service_address --port 41001 --to 127.0.0.1:41002,127.0.0.1:41003
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # The other side going away ends the connection, as it would through a Service.
    with contextlib.suppress(ConnectionError):
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        finally:
            writer.close()


class ServiceAddress:
    def __init__(self, instances: list[tuple[str, int]]) -> None:
        self._instances = instances
        self._turn = itertools.cycle(range(len(instances)))

    async def connect(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        first = next(self._turn)
        for offset in range(len(self._instances)):
            host, port = self._instances[(first + offset) % len(self._instances)]
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError:
                continue  # refused: the next instance, nothing was sent yet
            await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))
            return
        client_writer.close()  # no instance listens: the caller sees a closed connection


async def serve(port: int, instances: list[tuple[str, int]]) -> None:
    address = ServiceAddress(instances)
    server = await asyncio.start_server(address.connect, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--to", required=True, help="host:port,host:port")
    args = parser.parse_args()
    instances = [(h, int(p)) for h, p in (each.rsplit(":", 1) for each in args.to.split(","))]
    asyncio.run(serve(args.port, instances))


if __name__ == "__main__":
    main()
