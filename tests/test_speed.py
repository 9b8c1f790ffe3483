"""What makes pages fast, checked by what a person would notice if it broke:
each gets their own addresses and a working form, and the shared work is
done once."""

from __future__ import annotations

import re
from http import HTTPStatus
from unittest import mock

import brotli
import pytest
from django.test import Client

from iontoinfo import pagecache
from screener import rendered
from screener import views as screener_views
from tests.conftest import content_paths, professionals_paths
from tests.screener_people import PEOPLE, shown_flags, start, walk

pytestmark = pytest.mark.django_db


def csrf_field(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_question_page_is_rendered_once_but_each_person_gets_their_own_form():
    screener_views._RENDERED.clear()
    people = [Client(enforce_csrf_checks=True) for _ in range(2)]
    with mock.patch.object(
        screener_views, "render_to_string", wraps=screener_views.render_to_string
    ) as rendered:
        addresses = [start(person) for person in people]
        pages = [
            person.get(address).content.decode()
            for person, address in zip(people, addresses, strict=True)
        ]
    assert rendered.call_count == 1
    assert addresses[0] != addresses[1]
    for person, address, html in zip(people, addresses, pages, strict=True):
        assert f'action="{address}"' in html
        assert "@@" not in html
        # The form as shown is accepted: its CSRF token is this person's.
        response = person.post(address, {"areas": "hands", "csrfmiddlewaretoken": csrf_field(html)})
        assert response.status_code == HTTPStatus.FOUND


def test_an_earlier_answer_is_still_shown_checked():
    client = Client()
    address = start(client)
    client.post(address, {"areas": ["feet"]})
    html = client.get(address).content.decode()
    assert re.search(r'value="feet"[^>]*checked', html)
    assert not re.search(r'value="hands"[^>]*checked', html)
    # What is kept to render the next person's page holds no one's answer.
    assert screener_views._RENDERED
    for key, kept in screener_views._RENDERED.items():
        assert "feet" not in key
        assert "checked" not in kept


def test_a_content_page_is_compressed_once_then_served_compressed_from_the_cache(client):
    with mock.patch.object(pagecache.brotli, "compress", wraps=brotli.compress) as compress:
        bodies = [
            client.get("/en/how-it-works/", headers={"accept-encoding": "br"}) for _ in range(5)
        ]
    assert compress.call_count == 1
    for response in bodies:
        assert response["Content-Encoding"] == "br"
        assert b"<h1>" in brotli.decompress(response.content)
        assert response["Content-Length"] == str(len(response.content))
        assert "Content-Security-Policy" in response
        assert "public" in response["Cache-Control"]
    plain = client.get("/en/how-it-works/")
    assert "Content-Encoding" not in plain
    assert brotli.decompress(bodies[0].content) == plain.content


@pytest.mark.parametrize("path", [*content_paths(), *professionals_paths()])
def test_every_public_page_is_kept_whole_and_compressed_once(client, path):
    with mock.patch.object(pagecache.brotli, "compress", wraps=brotli.compress) as compress:
        bodies = [client.get(path, headers={"accept-encoding": "br"}) for _ in range(3)]
    assert compress.call_count == 1, path
    assert {response.status_code for response in bodies} == {HTTPStatus.OK}
    assert brotli.decompress(bodies[2].content) == brotli.decompress(bodies[0].content)


def test_a_page_with_a_query_string_is_not_kept(client):
    with mock.patch.object(pagecache.cache, "set_many") as kept:
        assert client.get("/en/how-it-works/?utm=1").status_code == HTTPStatus.OK
    kept.assert_not_called()


def test_the_screeners_steps_never_look_in_the_page_cache():
    """With Redis each look would be a round trip; none of these pages is kept."""
    client = Client()
    walk(client, {})
    question = start(client)  # the first question, answered
    with mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as looked:
        assert client.get(question).status_code == HTTPStatus.OK
        assert client.post(question, {"areas": "feet"}).status_code == HTTPStatus.FOUND
        for step in ("check", "result"):
            assert client.get(f"/en/screener/{step}/").status_code in {200, 302}
    assert not [call for call in looked.call_args_list if str(call.args[0]).startswith("page:")]
    # A content page is still looked up, and then served from the cache.
    with mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as looked:
        client.get("/en/how-it-works/")
        client.get("/en/how-it-works/")
    assert [call for call in looked.call_args_list if str(call.args[0]).startswith("page:")]


def test_check_and_result_pages_are_rendered_once_per_answers_but_each_person_gets_their_own():
    rendered.clear()
    people = [Client() for _ in range(2)]
    results = [walk(person, {}) for person in people]
    checks = [person.get("/en/screener/check/").content.decode() for person in people]
    # Two people with the same answers: the parts were made once...
    assert len(rendered._parts) == 2  # the check page and the result page
    # ...and each page carries its own person's addresses and form token.
    links = [set(re.findall(r'href="(/en/screener/q/[0-9a-f]+/)"', html)) for html in checks]
    assert links[0]
    assert links[1]
    assert not links[0] & links[1]
    for person, html in zip(people, checks, strict=True):
        assert "@@" not in html
        # The form as shown is accepted: its CSRF token is this person's.
        person.handler.enforce_csrf_checks = True
        response = person.post("/en/screener/check/", {"csrfmiddlewaretoken": csrf_field(html)})
        assert response.status_code == HTTPStatus.FOUND
        for link in re.findall(r'href="(/en/screener/q/[0-9a-f]+/)"', html):
            assert person.get(link).status_code == HTTPStatus.OK
    assert "@@" not in results[0]
    assert shown_flags(results[0]) == shown_flags(results[1])


def test_different_answers_give_different_results_and_no_answer_is_a_key():
    rendered.clear()
    for person, flags in (PEOPLE["pacemaker"], PEOPLE["no flags"], PEOPLE["a child of 4"]):
        assert set(shown_flags(walk(Client(), person))) == flags
    for key in rendered._parts:
        assert re.fullmatch(r"[0-9a-f]{64}", key)  # a keyed hash, nothing in clear


def test_rendered_parts_are_bounded(monkeypatch):
    rendered.clear()
    monkeypatch.setattr(rendered, "SIZE", 2)
    for person in ("pacemaker", "no flags", "a child of 4"):
        walk(Client(), PEOPLE[person][0])
    assert len(rendered._parts) == 2


def test_a_kept_result_page_still_names_each_person_s_own_clinic():
    from clinics.models import Clinic

    rendered.clear()
    clinic = Clinic.create_with_code("Clinic <A>")
    referred = Client()
    referred.get(f"/en/screener/c/{clinic.code}/")
    pages = [walk(person, {}) for person in (referred, Client())]
    assert len(rendered._parts) == 2  # one result page for the same answers, one check page
    assert pages[0].count("Show this to Clinic &lt;A&gt;") == 2
    assert "Send my answers to Clinic &lt;A&gt;" in pages[0]
    assert pages[1].count("Show this to your clinician") == 2
    assert "Clinic" not in pages[1].replace("clinician", "").replace("clinic", "")
    for html in pages:
        assert "@@" not in html


def test_each_gunicorn_worker_sets_aside_what_lives_for_good_at_start_and_after_warming_up():
    """A full garbage collection skips what gc.freeze() set aside: Django,
    the templates and the translations that a worker holds until it ends."""
    import gc
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    config = runpy.run_path(str(Path(__file__).parents[1] / "deploy" / "gunicorn.conf.py"))
    worker = SimpleNamespace()
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](worker)
        at_start = gc.get_freeze_count()
        assert at_start > 0
        lazily_loaded = [[n] for n in range(1000)]  # what the first requests build
        for _ in range(config["FREEZE_AFTER_REQUESTS"] - 1):
            config["post_request"](worker, None, {}, None)
        # Nothing more set aside yet. (The count may fall: a frozen object,
        # such as another thread's temporary, can still be freed.)
        before = gc.get_freeze_count()
        assert before <= at_start
        config["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() >= before + len(lazily_loaded)
    finally:
        gc.unfreeze()
