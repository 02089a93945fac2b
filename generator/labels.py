"""Interface labels per language: one catalogue file per language (catalogue/<code>.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

CATALOGUES = Path(__file__).parent / "catalogue"


@cache
def load_catalogue(language: str) -> dict[str, str]:
    """Interface labels for `language` from generator/catalogue/<language>.yaml."""
    path = CATALOGUES / f"{language}.yaml"
    labels: dict[str, str] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return labels


def catalogue_languages() -> list[str]:
    """Languages that have interface labels."""
    return sorted(p.stem for p in CATALOGUES.glob("*.yaml"))
