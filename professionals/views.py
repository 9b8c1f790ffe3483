"""Pages for healthcare professionals. Everything here is generated from
`screener.rules` and `screener.flags`, never copied by hand."""

from __future__ import annotations
