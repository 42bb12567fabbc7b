"""How the API serves: its socket, and several processes behind one port."""

from __future__ import annotations

import asyncio
import socket

from service.api.listen import listen


def test_answers_on_kept_alive_connections_are_not_held_back() -> None:
    """Each connection the API accepts has TCP_NODELAY, which asyncio sets only on sockets
    that say they are TCP: without it every answer after the first on a connection
    waited for the client's delayed ACK (~40 ms)."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted = writer.get_extra_info("socket")
            seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(seen, 10)
            writer.close()
            return value

    assert asyncio.run(accepted_nodelay()) != 0
