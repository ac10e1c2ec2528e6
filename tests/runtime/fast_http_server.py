"""A minimal keep-alive HTTP/1.1 JSON server for the load test, run in its own process.

Prints its port, then serves until its stdin closes. ``GET /stats`` reports the most
connections that were open at once; any other path answers ``{"name": <last segment>}``.
"""

from __future__ import annotations

import asyncio
import json
import sys

open_connections = 0
max_open_connections = 0


def answer(path: str) -> bytes:
    if path == "/stats":
        return json.dumps({"max_open_connections": max_open_connections}).encode()
    return json.dumps({"name": path.rsplit("/", 1)[-1], "auth": True}).encode()


async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    global open_connections, max_open_connections
    open_connections += 1
    max_open_connections = max(max_open_connections, open_connections)
    try:
        while True:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in head[1:])}
            await reader.readexactly(int(headers.get("content-length") or 0))
            body = answer(head[0].split(" ")[1])
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        open_connections -= 1
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(serve_connection, "127.0.0.1", 0, backlog=2048)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
