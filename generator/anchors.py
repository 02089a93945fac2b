"""Anchors: the ids the site itself gives to things on its pages.

A quote's anchor is its own id, as the study names it (`#NO-1`, `#q-trust-lsm`), and a
section's anchor is its id; both come from the findings.  Everything else the templates
anchor gets an id made of a fixed prefix and the thing's own id (`#informant-ss`).  Those
prefixes are reserved: a quote, chapter or section id that starts with one could equal a
generated anchor, and a page with the same id twice breaks links and the language switch.
This table is the one place that lists them; `validate`, the templates and the link checks
read it.
"""

from __future__ import annotations

# Prefix -> what carries it (see templates/_blocks.md.j2 and figures.py).
GENERATED_ANCHOR_PREFIXES: dict[str, str] = {
    "figure-": "figures",
    "svg-": "figure drawings",
    "informant-": "informants",
    "indicator-": "indicators",
    "conclusion-": "conclusions",
    "recommendation-": "recommendations",
    "ref-": "references",
    "paper-": "the print view (print.html: every id there carries it, generator/publish.py)",
}
# Anchors with fixed names on the pages the site makes itself.
FIXED_ANCHORS: dict[str, tuple[str, ...]] = {
    "index.md": ("abstract", "results", "cite"),
    "references.md": ("references",),
    "informant-index.md": ("unattributed-quotes",),
    "print.md": ("paper-title", "paper-abstract", "paper-references"),
}


def reserved_prefix(anchor: str) -> str | None:
    """The generated-anchor prefix `anchor` starts with, if any."""
    return next((p for p in GENERATED_ANCHOR_PREFIXES if anchor.startswith(p)), None)
