"""The API's listening socket, opened before anything else starts: a busy port or an
address the machine does not have is one line naming the address and the setting to
change, not a traceback from inside the server after the rest has started.

The socket is made with the protocol ``getaddrinfo`` names (TCP), not 0: asyncio sets
TCP_NODELAY only on accepted sockets whose ``proto`` says TCP, and without it every
answer on a kept-alive connection waited ~40 ms (Nagle's algorithm against the
client's delayed ACK) — /health took 48 ms instead of 2."""

from __future__ import annotations

import socket

from service.errors import ConfigError


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening; ConfigError if it cannot be."""
    try:
        family, kind, proto = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][:3]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; set "
                          "TOLLWATCH_API_HOST (or --host) to an address of this machine") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; set "
                          "TOLLWATCH_API_PORT (or --port) to a free port") from None
    return sock
