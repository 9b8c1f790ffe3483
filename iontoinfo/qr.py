"""QR codes as SVG or PNG, drawn on this server (segno): no script, no request
to another site."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, title: str, scale: int = 4, fluid: bool = False) -> SafeString:
    """An inline <svg> for `url`, with `title` as its accessible name. A
    `fluid` one has a viewBox and no size, so a stylesheet can size it."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr-code",
        lineclass=None,
        omitsize=fluid,
    )
    # An image with the title as its name; segno escapes the title, and the
    # rest is its own markup. The viewBox lets a stylesheet print it larger.
    size = code.symbol_size(scale=scale, border=4)[0]
    svg = (
        buffer.getvalue()
        .decode()
        .replace("<svg ", f'<svg role="img" viewBox="0 0 {size} {size}" ', 1)
    )
    return mark_safe(svg)  # noqa: S308


def qr_png(url: str, *, scale: int = 10) -> bytes:
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
