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


def test_only_a_few_requests_work_at_once_and_the_rest_wait_their_turn(rf, settings):
    import threading

    from iontoinfo.resilience import ConcurrencyLimitMiddleware

    settings.APP_CONCURRENCY = 1
    settings.APP_QUEUE_SECONDS = 0.5
    release = threading.Event()

    def view(request):
        from django.http import HttpResponse

        if request.path == "/slow/":
            release.wait(5)
        return HttpResponse("done")

    middleware = ConcurrencyLimitMiddleware(view)
    busy = threading.Thread(target=middleware, args=(rf.get("/slow/"),))
    busy.start()
    time.sleep(0.2)
    # The one slot is taken: a request waits, then is told to try again.
    assert middleware(rf.get("/en/screener/")).status_code == 503
    # The probes never wait.
    assert middleware(rf.get("/readyz")).status_code == 200
    release.set()
    busy.join()
    assert middleware(rf.get("/en/screener/")).status_code == 200


def _waiting_for_a_turn(turns, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(turns._waiting) < count:
        assert time.monotonic() < deadline, "the thread never started waiting"
        time.sleep(0.001)


def test_a_request_arriving_as_a_turn_frees_does_not_take_it_from_one_waiting():
    import threading

    from iontoinfo.resilience import Turns

    turns = Turns(1)
    assert turns.acquire(timeout=1)
    got = []
    waiting = threading.Thread(target=lambda: got.append(turns.acquire(timeout=5)))
    waiting.start()
    _waiting_for_a_turn(turns, 1)
    turns.release()
    # A newcomer asks at once, before the waiting thread has even run: the
    # slot is already that thread's. (Python's own semaphore gives it away.)
    assert turns.acquire(timeout=0) is False
    waiting.join()
    assert got == [True]


def test_requests_waiting_for_a_turn_get_it_in_the_order_they_came():
    import threading

    from iontoinfo.resilience import Turns

    turns = Turns(1)
    assert turns.acquire(timeout=1)
    order = []

    def request(name: str) -> None:
        assert turns.acquire(timeout=5)
        order.append(name)
        turns.release()

    threads = []
    for number, name in enumerate("ABCD", start=1):
        threads.append(threading.Thread(target=request, args=(name,)))
        threads[-1].start()
        _waiting_for_a_turn(turns, number)
    turns.release()
    for thread in threads:
        thread.join()
    assert order == ["A", "B", "C", "D"]


def test_a_request_that_waited_too_long_gives_up_its_place():
    from iontoinfo.resilience import Turns

    turns = Turns(1)
    assert turns.acquire(timeout=1)
    started = time.monotonic()
    assert turns.acquire(timeout=0.05) is False
    assert time.monotonic() - started < 1
    turns.release()
    # The slot is free again, not handed to the request that gave up.
    assert turns.acquire(timeout=0) is True
