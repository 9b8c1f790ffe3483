"""Rendered parts of the check and result pages, kept in this process's memory.

The same answers give the same summary and the same flags in a language, so
those parts are rendered once and reused; what differs between people (the
addresses made from their session's salt, the CSRF token, a clinic, the date)
is filled in for each request. Kept only in this process, never in the shared
cache, and found by a keyed hash of the answers' option values and the
language: no answer is part of a key. At most `SIZE` parts, the least recently
used going first.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from screener import rules

SIZE = 512

_parts: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def _key(what: str, answers: rules.Answers) -> str:
    # Only valid option values reach here (rules.relevant); sorted, so the
    # order answers were given in does not matter.
    plain = json.dumps(
        [what, get_language(), sorted((name, answers[name]) for name in answers)],
        separators=(",", ":"),
    )
    return salted_hmac("screener.rendered", plain, algorithm="sha256").hexdigest()


def part(what: str, answers: rules.Answers, render: Callable[[], str]) -> str:
    """The part `what` for these answers in the active language; `render`
    makes it when it is not kept yet."""
    key = _key(what, answers)
    with _lock:
        html = _parts.get(key)
        if html is not None:
            _parts.move_to_end(key)
            return html
    html = render()
    with _lock:
        _parts[key] = html
        while len(_parts) > SIZE:
            _parts.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _parts.clear()
