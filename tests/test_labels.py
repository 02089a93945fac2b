"""Interface catalogues: every language has every label, so any language can be added."""

from __future__ import annotations

import pytest

from generator.labels import catalogue_languages, load_catalogue


def test_there_are_more_than_two_catalogues() -> None:
    assert len(catalogue_languages()) >= 3


@pytest.mark.parametrize("language", catalogue_languages())
def test_every_catalogue_has_exactly_the_english_labels(language: str) -> None:
    english, labels = load_catalogue("en"), load_catalogue(language)
    missing = sorted(set(english) - set(labels))
    extra = sorted(set(labels) - set(english))
    assert not missing and not extra, (
        f"generator/catalogue/{language}.yaml: missing {missing}, unknown {extra}"
    )
    assert all(isinstance(value, str) and value.strip() for value in labels.values())
    for key, value in english.items():
        for placeholder in ("{n}", "{language}", "{original}", "{indicator}", "{quotes}"):
            if placeholder in value:
                assert placeholder in labels[key], f"{language}.yaml '{key}' lost {placeholder}"
