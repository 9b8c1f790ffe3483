"""The server as `make run` starts it stays usable while clients hold
connections open with half-sent requests."""

from __future__ import annotations

import socket
import time
import urllib.request
from contextlib import ExitStack


def test_fifty_half_sent_requests_do_not_block_the_site(production_server):
    host, port = production_server.removeprefix("http://").split(":")
    with ExitStack() as stack:
        for _ in range(50):
            slow = stack.enter_context(socket.create_connection((host, int(port)), timeout=5))
            # A request line and one header, then nothing more: the end of the
            # headers never comes.
            slow.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(1)  # the server has read what each of them sent
        for path in ("/en/", "/en/is-it-safe/", "/en/screener/", "/healthz"):
            started = time.monotonic()
            with urllib.request.urlopen(production_server + path, timeout=5) as response:
                assert response.status == 200
            assert time.monotonic() - started < 2, path
