"""The API's listening socket, opened before anything else starts: a busy port or an
address the machine does not have is one line naming the address and the setting to
change, not a traceback from inside the server after the rest has started."""

from __future__ import annotations

import socket

from service.errors import ConfigError


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening; ConfigError if it cannot be."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
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
