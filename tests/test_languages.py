"""The site in every language: choosing it, switching it on any page (the
screener's answers kept), hreflang and the sitemap, dates and numbers in the
language's own form, error pages in the language of the address, and no
English left on an Italian page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client

from clinics.models import CODE_ALPHABET
from iontoinfo.pages import library
from screener import rules
from tests.conftest import content_paths, professionals_paths
from tests.i18n import LANGUAGE_CODES, say, shown
from tests.screener_people import answers_for, question_at, start, walk
from tests.test_submissions_html import collect

pytestmark = pytest.mark.django_db

OTHER = {"en": "it", "it": "en"}
PUBLIC_PATHS = [
    *content_paths(),
    *(f"/{code}/screener/" for code in LANGUAGE_CODES),
    *professionals_paths(),
]


class Head(HTMLParser):
    """The page's language, its <link rel="alternate" hreflang> and the
    language navigation's items."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switcher: list[dict[str, str | None]] = []
        self.switcher_label = ""
        self._in_switcher = False
        self._item: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        if tag == "nav" and "language-select" in (attrs.get("class") or ""):
            self._in_switcher = True
            self.switcher_label = attrs.get("aria-label", "")
        if self._in_switcher and tag in {"a", "span"}:
            self._item = {"tag": tag, "text": "", **attrs}

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False
        if self._item is not None and tag == self._item["tag"]:
            self.switcher.append(self._item)
            self._item = None

    def handle_data(self, data):
        if self._item is not None:
            self._item["text"] += data


def head(client, path: str) -> Head:
    response = client.get(path)
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.BAD_REQUEST}, path
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def twin(path: str, language: str) -> str:
    return re.sub(r"^/[a-z]{2}/", f"/{language}/", path)


# --- Choosing the language ---------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("it-IT,it;q=0.9,en;q=0.8", "/it/"),
        ("it", "/it/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("de-DE,de;q=0.9", "/en/"),
        ("fr,it;q=0.5", "/it/"),
        ("", "/en/"),
    ],
)
def test_the_home_address_goes_to_the_browsers_language(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


def test_an_address_without_a_language_goes_to_the_same_page_in_the_browsers_language(client):
    response = client.get("/is-it-safe/", headers={"accept-language": "it"})
    assert response["Location"] == "/it/is-it-safe/"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_page_names_its_twins_and_an_x_default(client, path):
    page = head(client, path)
    language = path.split("/")[1]
    assert page.lang == language
    assert page.alternates == {
        **{code: f"http://testserver{twin(path, code)}" for code in LANGUAGE_CODES},
        "x-default": "http://testserver" + path.removeprefix(f"/{language}"),
    }
    # ... and each twin names this page back.
    for code in LANGUAGE_CODES:
        assert head(client, twin(path, code)).alternates[language] == f"http://testserver{path}"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_the_language_navigation_leads_to_the_same_page_in_the_other_language(client, path):
    page = head(client, path)
    language = path.split("/")[1]
    assert page.switcher_label == say(language, "Language")
    current = [item for item in page.switcher if item["tag"] == "span"]
    links = [item for item in page.switcher if item["tag"] == "a"]
    assert [item["aria-current"] for item in current] == ["true"]
    assert current[0]["text"] == dict(settings.LANGUAGES)[language]
    (link,) = links
    other = OTHER[language]
    assert link["href"] == twin(path, other)
    assert (link["lang"], link["hreflang"], link["rel"]) == (other, other, "alternate")
    assert link["text"] == dict(settings.LANGUAGES)[other]


def test_every_page_has_a_twin_in_every_language():
    slugs = {code: {page.slug for page in library().for_language(code)} for code in LANGUAGE_CODES}
    assert all(found == slugs["en"] for found in slugs.values())


def test_the_sitemap_lists_every_page_in_both_languages_with_its_alternates(client):
    xml = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = xml.findall("s:url", ns)
    locations = [url.find("s:loc", ns).text.removeprefix("http://testserver") for url in urls]
    assert sorted(locations) == sorted(PUBLIC_PATHS)
    for url, location in zip(urls, locations, strict=True):
        links = {
            link.get("hreflang"): link.get("href").removeprefix("http://testserver")
            for link in url.findall("x:link", ns)
        }
        language = location.split("/")[1]
        assert links == {
            **{code: twin(location, code) for code in LANGUAGE_CODES},
            "x-default": location.removeprefix(f"/{language}"),
        }


# --- The screener across languages --------------------------------------------------


def test_the_italian_start_page_calls_to_action_with_inizia_ora(client):
    page = client.get("/it/screener/").content.decode()
    assert re.search(r'<a class="button" href="/it/screener/begin/"[^>]*>Inizia ora</a>', page)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_each_person_s_question_page_links_to_their_own_address_in_the_other_language(language):
    # Question pages are kept rendered once for everyone; the switcher and the
    # hreflang links must still carry each person's own address.
    for client in (Client(), Client()):
        url = start(client, language)
        page = head(client, url)
        switched = next(item["href"] for item in page.switcher if item["tag"] == "a")
        assert switched == twin(url, OTHER[language])
        html = client.get(url).content.decode()
        assert (
            f'hreflang="{OTHER[language]}" href="http://testserver{twin(url, OTHER[language])}"'
            in html
        )


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_switching_language_mid_way_keeps_the_answers(client, language):
    other = OTHER[language]
    answers = answers_for({"areas": ["feet"], "pregnant": "not_sure", "metal_iud": "yes"})
    url = start(client, language)
    for _ in range(3):
        name = question_at(client, url)
        url = client.post(url, {name: answers[name]})["Location"]
    # The language navigation of this question leads to the same question.
    page = head(client, url)
    switched = next(item["href"] for item in page.switcher if item["tag"] == "a")
    assert switched == twin(url, other)
    response = client.get(switched)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="' + other + '">' in html
    # The earlier answers are there: Back leads to the question before, and
    # the answers go on in the other language up to the result.
    assert question_at(client, switched) == "pregnant"
    back = re.search(r'<a class="back-link" href="([^"]+)"', html).group(1)
    assert back.startswith(f"/{other}/screener/q/")
    assert question_at(client, back) == "metal_implant"
    assert (
        'value="no" class="form-check-input" id="answer_1" checked'
        in client.get(back).content.decode()
    )
    url = switched
    while "/check/" not in url:
        name = question_at(client, url)
        url = client.post(url, {name: answers[name]})["Location"]
        assert url.startswith(f"/{other}/")
    check = client.get(url).content.decode()
    assert shown(other, "Check your answers") in check
    client.post(url)
    result = client.get(f"/{other}/screener/result/").content.decode()
    assert 'data-flag="pregnancy"' in result
    assert 'data-flag="metal-iud"' in result
    # And back again: the same result in the first language.
    again = client.get(f"/{language}/screener/result/").content.decode()
    assert re.findall(r'data-flag="([a-z0-9-]+)"', again) == re.findall(
        r'data-flag="([a-z0-9-]+)"', result
    )


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_printed_result_carries_the_date_in_the_languages_form(client, language):
    from django.utils import formats, timezone, translation

    html = walk(client, {}, language)
    with translation.override(language):
        today = formats.date_format(timezone.localdate(), "j F Y")
    assert today in html
    if language == "it":
        assert re.search(r"Compilato il \d{1,2} [a-z]+ \d{4}\.", html)


def test_italian_review_dates_are_written_the_italian_way(client):
    page = client.get("/it/is-it-safe/").content.decode()
    assert '<time datetime="2026-11-23">23 novembre 2026</time>' in page


# --- Error pages in the language of the address ---------------------------------


def test_a_missing_page_is_reported_in_the_language_of_its_address(client):
    for language in LANGUAGE_CODES:
        response = client.get(f"/{language}/no-such-page/")
        html = response.content.decode()
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert f'<html lang="{language}">' in html
        assert shown(language, "Page not found") in html
        # The language navigation leads to the other language's home page.
        assert f'href="/{OTHER[language]}/" hreflang="{OTHER[language]}"' in html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize(
    ("handler", "heading"),
    [
        ("bad_request", "Sorry, we could not understand that request"),
        ("permission_denied", "Sorry, you cannot see this page"),
        ("csrf_failure", "Sorry, we could not accept that form"),
        ("page_not_found", "Page not found"),
    ],
)
def test_every_error_page_speaks_the_language_of_its_address(language, handler, heading):
    from django.test import RequestFactory
    from django.utils import translation

    from iontoinfo import views

    request = RequestFactory().get(f"/{language}/somewhere/")
    with translation.override(language):
        response = getattr(views, handler)(request)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert shown(language, heading) in html


def test_a_server_error_is_reported_in_the_language_of_its_address(language):
    from django.test import RequestFactory
    from django.utils import translation

    from iontoinfo import views

    with translation.override(language):
        html = views.server_error(RequestFactory().get(f"/{language}/")).content.decode()
    assert shown(language, "Sorry, there is a problem with the service") in html


# --- No English left on an Italian page ----------------------------------------------

# Everyday English words that are not Italian words too.
ENGLISH = {
    "the", "and", "you", "your", "with", "this", "that", "what", "will", "have", "has",
    "from", "which", "when", "where", "who", "about", "before", "after", "should", "would",
    "could", "there", "their", "they", "our", "we", "is", "are", "was", "not", "but", "or",
    "if", "of", "to", "be", "can", "does", "on", "at", "by", "my", "how", "more", "only",
    "any", "some", "page", "yes", "back", "start", "check", "answer", "answers", "result",
    "sign", "select", "continue", "change", "help", "here", "skip", "main", "content",
    "error", "problem", "sorry", "found", "rating", "rated", "sources", "reviewed", "next",
    "healthcare", "professional", "professionals", "safety", "clear", "again", "print",
}  # fmt: skip
# Names that stay as they are in any language.
NAMES = re.compile(
    r"Baylor College of Medicine|Newcastle upon Tyne|South Tees|Google Authenticator"
    r"|Microsoft Authenticator|Hyperhidrosis Disease Severity Scale|HL7 FHIR R4 Questionnaire"
)


class VisibleWords(HTMLParser):
    """The words a reader sees or hears, leaving out what is not in the page's
    language on purpose: anything marked with another lang, code, and the
    lists of sources (titles of documents in English)."""

    # Lists of sources, and flag and level names as the code has them (metal-iud).
    SKIP_CLASSES = ("page-sources", "result-flag__sources", "rule-flag__sources", "__code")
    VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.text: list[str] = []
        self._stack: list[bool] = []

    def _skipping(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            if not self._skipping():
                for name in ("alt", "aria-label", "title"):
                    if attrs.get(name):
                        self.text.append(attrs[name])
            return
        css = attrs.get("class") or ""
        skip = (
            tag in {"script", "style", "code", "head"}
            or attrs.get("lang", self.language) != self.language
            or any(name in css for name in self.SKIP_CLASSES)
        )
        self._stack.append(skip)
        if not self._skipping() and attrs.get("aria-label"):
            self.text.append(attrs["aria-label"])

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if not self._skipping():
            self.text.append(data)


CODES = re.compile(
    rf"\bITO-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}\b|\b[{CODE_ALPHABET}]{{6,8}}\b"
)


def english_words(html: str, language: str = "it") -> list[str]:
    parser = VisibleWords(language)
    parser.feed(html)
    text = NAMES.sub(" ", " ".join(parser.text))
    # Addresses and file names are not words.
    text = re.sub(r"\S*[/@]\S*|\S+\.(?:svg|png)\b", " ", text)
    # Nor are clinic codes and answer references, drawn at random from
    # letters and digits: ITO-3AT7-KCAT would otherwise give "at" and "kcat".
    text = CODES.sub(" ", text)
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sorted({word for word in words if word in ENGLISH})


def test_the_check_for_english_finds_english():
    assert english_words("<p>Check your answers</p>") == ["answers", "check", "your"]
    assert english_words('<p>Controlla le risposte <span lang="en">Back</span></p>') == []
    assert english_words("<p>Risposte ITO-3AT7-WHAT, codice CATNAP</p>") == []


def italian_screener_pages(client) -> dict[str, str]:
    """Every state of the Italian screener: start, each question, an error,
    check, results with and without flags, expired and cleared."""
    pages = {"start": client.get("/it/screener/").content.decode()}
    everything = answers_for(
        {
            "areas": ["feet", "face"],
            "implanted_device": "yes",
            "metal_implant": "yes",
            "metal_implant_location": ["legs_feet"],
            "pregnant": "not_sure",
            "metal_iud": "yes",
            "conditions": ["heart_rhythm", "epilepsy", "blood_clot", "cancer_in_area"],
            "skin": ["broken_skin", "infection_or_rash", "reduced_feeling"],
            "age": "6_to_17",
            "warning_signs": ["night_sweats"],
        }
    )
    url = start(client, "it")
    while "/check/" not in url:
        html = client.get(url).content.decode()
        name = question_at(client, url)
        pages[name] = html
        pages[f"{name} error"] = client.post(url, {}).content.decode()
        pages[f"{name} bad"] = client.post(url, {name: ["x", "y"]}).content.decode()
        url = client.post(url, {name: everything[name]})["Location"]
    pages["check"] = client.get(url).content.decode()
    client.post(url)
    pages["result, every flag"] = client.get("/it/screener/result/").content.decode()
    # Every flag but young-child, which the age group of under-18 rules out.
    shown_flags = set(re.findall(r'data-flag="([a-z0-9-]+)"', pages["result, every flag"]))
    assert shown_flags == set(rules.FLAG_IDS) - {"young-child"}
    pages["result, no flag"] = walk(Client(), {}, "it")
    pages["cleared"] = client.post("/it/screener/clear/", follow=True).content.decode()
    pages["expired"] = client.get("/it/screener/expired/").content.decode()
    return pages


def test_no_english_is_left_on_any_italian_screener_page(client):
    pages = italian_screener_pages(client)
    assert len(pages) >= 3 * len(rules.QUESTIONS)
    found = {name: english_words(html) for name, html in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}


ITALIAN_PAGES = [
    *(path for path in PUBLIC_PATHS if path.startswith("/it/")),
    "/it/no-such-page/",
    "/it/clinics/sign-in/",
    "/it/screener/c/XXXXXXX/",
]


@pytest.mark.parametrize("path", ITALIAN_PAGES)
def test_no_english_is_left_on_an_italian_page(client, path):
    html = client.get(path).content.decode()
    assert '<html lang="it">' in html
    assert english_words(html) == []


def test_no_english_is_left_on_the_italian_rating_pages(client):
    ours = {"origin": "http://testserver"}
    error = client.post("/it/treatment/rate/", {}, headers=ours).content.decode()
    assert english_words(error) == []
    thanks = client.post("/it/treatment/rate/", {"score": "4"}, headers=ours, follow=True)
    assert english_words(thanks.content.decode()) == []


def test_no_english_is_left_on_any_italian_page_of_sending_answers(
    clinic_a, clinician_a, admin_a, settings
):
    """Sending answers to a clinic, taking them back, and the clinic's inbox,
    answers, printout and audit log: every page and state, as the HTML check
    collects them."""
    pages = collect(clinic_a, clinician_a, admin_a, settings, language="it")
    assert len(pages) == 25
    assert all('<html lang="it">' in html for html in pages.values())
    found = {name: english_words(html) for name, html in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}
