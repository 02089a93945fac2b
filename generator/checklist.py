"""Reporting guidelines the tool knows (COREQ): their items, names and guide questions.

A guideline is the tool's own data (`generator/checklists/<id>.yaml`), with its words in
every interface language the tool ships; a study says where it answers each item in its
findings (`reporting:`, `model.Reporting`).  Nothing here depends on a study.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CHECKLISTS = Path(__file__).parent / "checklists"
# The language every guideline is published in: shown, marked, where a translation lacks.
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class ChecklistItem:
    number: int
    name: Mapping[str, str]  # language -> the item's short name
    question: Mapping[str, str]  # language -> the guide question


@dataclass(frozen=True)
class ChecklistTopic:
    name: Mapping[str, str]
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class ChecklistDomain:
    number: int
    name: Mapping[str, str]
    topics: tuple[ChecklistTopic, ...]

    @property
    def items(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for topic in self.topics for item in topic.items)


@dataclass(frozen=True)
class Checklist:
    id: str
    name: Mapping[str, str]
    reference: str  # the guideline's publication, as cited (APA)
    doi: str
    domains: tuple[ChecklistDomain, ...]

    @property
    def items(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for domain in self.domains for item in domain.items)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(item.number for item in self.items)


def checklist_ids() -> list[str]:
    """The guidelines the tool knows, by id (file name)."""
    return sorted(path.stem for path in CHECKLISTS.glob("*.yaml"))


@cache
def load_checklist(checklist_id: str) -> Checklist:
    """A guideline from generator/checklists/<id>.yaml (the tool's own, trusted data)."""
    data = yaml.load(
        (CHECKLISTS / f"{checklist_id}.yaml").read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    return Checklist(
        id=data["id"],
        name=data["name"],
        reference=data["reference"],
        doi=data["doi"],
        domains=tuple(
            ChecklistDomain(
                number=int(domain["number"]),
                name=domain["name"],
                topics=tuple(
                    ChecklistTopic(
                        name=topic["name"],
                        items=tuple(
                            ChecklistItem(int(item["number"]), item["name"], item["question"])
                            for item in topic["items"]
                        ),
                    )
                    for topic in domain["topics"]
                ),
            )
            for domain in data["domains"]
        ),
    )


def in_language(text: Mapping[str, str], language: str) -> tuple[str, str]:
    """(words, their language): the text in `language`, else in the guideline's own."""
    if language in text:
        return text[language], language
    return text[FALLBACK_LANGUAGE], FALLBACK_LANGUAGE
