"""Translations that stay true: which translation was checked against which original.

A translator confirms a translation with `python -m generator translations --mark-reviewed`.
That records, in `findings/translations.lock`, a short fingerprint of the *original*
(source-language) text the translation was checked against, one line per field and
language:

    quote:q-dialogue-lsm/interpretation@en: 4d400d54e643

When an editor later changes the original, its fingerprint no longer matches: every
translation of that field is **stale** until a translator updates it and marks it reviewed
again. Fields are addressed by entity and id (`model.field_address`), never by file or
line, so moving entries between files or reordering them changes nothing; the
fingerprint ignores how whitespace is wrapped, so re-flowing a paragraph changes nothing.

Items of a list without ids (a section's text blocks, `text.1`, `text.2`...; keywords;
authors) are addressed by their place, which an inserted, deleted or moved item shifts.
Such a field is therefore matched within its *family* (the same address with any
number: `section:x/text.*`) by the fingerprint of its original: a block whose original
is unchanged stays translated wherever it now stands. A block matching no recorded
fingerprint is new (never reviewed) when every recorded block of its family is still
there, and stale when one went missing (it may be that block, edited): an edited
original is never taken for a new, unreviewed one, which the site would not mark.

The lock is named `.lock`, not `.yaml`, so the loader (which reads every `*.yaml` in the
findings folder) and the editors' schema check leave it alone; it is valid YAML all the same.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from generator.errors import FindingsError, Position, Problem, Severity
from generator.model import Findings
from generator.write import write_atomic

LOCK_NAME = "translations.lock"
FINGERPRINT_LENGTH = 12
_LINE = re.compile(r"^(?P<address>\S+)@(?P<language>[a-z]{2,3}):\s+(?P<fingerprint>\S+)\s*$")
_FINGERPRINT = re.compile(f"^[0-9a-f]{{{FINGERPRINT_LENGTH}}}$")
_HEADER = """\
# Translations checked against their original: one line per field and language.
# Written by `python -m generator translations --mark-reviewed` (or `make translations
# REVIEWED=...`); do not edit by hand. Each value fingerprints the original text a
# translator checked the translation against: when the original changes, the site marks
# that translation as out of date until it is reviewed again.
"""


class State(Enum):
    TRANSLATED = "translated"  # reviewed against the current original
    STALE = "stale"  # the original changed after the translation was reviewed
    MISSING = "missing"  # no translation at all
    UNREVIEWED = "unreviewed"  # a translation nobody has marked reviewed yet


@dataclass(frozen=True)
class TranslatedField:
    """A text that has an original and translations: any Localized field, or a quote."""

    address: str
    field: str
    position: Position
    original: str
    translations: Mapping[str, str]
    optional: bool = False  # a language may leave it out (a reference's translated title)


@dataclass(frozen=True)
class FieldStatus:
    """One field in one translation language."""

    field: TranslatedField
    language: str
    state: State
    # The fingerprint of the original its translation was last reviewed against, if any.
    recorded: str | None = None

    @property
    def key(self) -> str:
        return f"{self.field.address}@{self.language}"


@dataclass(frozen=True)
class Lock:
    """The recorded fingerprints, by `address@language`; `exists` is False without a file."""

    entries: Mapping[str, str]
    exists: bool = True


def fingerprint(text: str) -> str:
    """A short fingerprint of `text` that ignores how whitespace is wrapped."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def translated_fields(findings: Findings) -> list[TranslatedField]:
    """Every field that has an original in the source language, in the study's order."""
    source = findings.source_language.code
    originals = {
        id(q.translation): q.text
        for q in findings.quotes
        if q.translation is not None and isinstance(q.text, str)
    }
    # A reference's title is written in the reference's own language; its translated
    # title (shown in brackets after it) is given for the languages that want one.
    titles = {
        id(r.translated_title): r.title
        for r in findings.references
        if r.translated_title is not None and isinstance(r.title, str)
    }
    fields: list[TranslatedField] = []
    for text in findings.localized:
        if id(text) in titles:
            translations = {k: v for k, v in text.values.items() if k != source}
            fields.append(
                TranslatedField(
                    text.address, text.field, text.position, titles[id(text)], translations, True
                )
            )
            continue
        if id(text) in originals:
            original = originals[id(text)]
            translations = dict(text.values)
        elif source in text.values:
            original = text.values[source]
            translations = {k: v for k, v in text.values.items() if k != source}
        else:
            continue  # a quote translation of a missing quote, or no original: validate says so
        fields.append(
            TranslatedField(text.address, text.field, text.position, original, translations)
        )
    for quote in findings.quotes:
        if quote.translation is None and isinstance(quote.text, str):
            fields.append(
                TranslatedField(
                    f"quote:{quote.id}/translation", "translation", quote.position, quote.text, {}
                )
            )
    return fields


def translation_status(findings: Findings, lock: Lock) -> list[FieldStatus]:
    """The state of every field in every translation language."""
    fields = translated_fields(findings)
    current = [fingerprint(entry.original) for entry in fields]
    by_language = {
        language: _recorded_fingerprints(fields, current, language, lock)
        for language in (t.code for t in findings.translations)
    }
    statuses: list[FieldStatus] = []
    for index, entry in enumerate(fields):
        for language, recorded in by_language.items():
            was = recorded[index]
            if language not in entry.translations and entry.optional:
                continue
            if language not in entry.translations:
                state = State.MISSING
            elif was is None:
                state = State.UNREVIEWED
            elif was != current[index]:
                state = State.STALE
            else:
                state = State.TRANSLATED
            statuses.append(FieldStatus(entry, language, state, was))
    return statuses


# A place in a list without ids (`text.2`, `keywords.1`, `authors.3`): a field name and a
# number, never an id (`quote:p3.12` is a quote named "p3.12", not a place).
_NUMBERED = re.compile(r"(?<![^/])([a-z_]+)\.\d+(?=/|$)")


def family(address: str) -> str | None:
    """`section:x/text.*` for `section:x/text.2`: the items of a list without ids, which are
    matched by their original; None for an address with no number (ids name it)."""
    return _NUMBERED.sub(r"\1.*", address) if _NUMBERED.search(address) else None


def _recorded_fingerprints(
    fields: Sequence[TranslatedField], current: Sequence[str], language: str, lock: Lock
) -> list[str | None]:
    """Per field, the fingerprint of the original its translation was reviewed against.

    A field with an id is looked up by its address. A numbered field takes a recorded
    fingerprint of its family equal to its current original's, wherever it was recorded
    (the block moved, or others were inserted or deleted before it). One that finds none
    was edited or is new: it takes the fingerprint recorded at its own address if that is
    still free, else any the family has left over (one of those blocks may be this one,
    edited: stale, never silently "new"); with nothing left over it is new (None).
    """
    suffix = f"@{language}"
    result: list[str | None] = [None] * len(fields)
    families: dict[str, list[int]] = {}
    for index, entry in enumerate(fields):
        name = family(entry.address)
        if name is None:
            result[index] = lock.entries.get(entry.address + suffix)
        else:
            families.setdefault(name, []).append(index)
    recorded: dict[str, dict[str, str]] = {}
    for key, value in lock.entries.items():
        name = family(key.removesuffix(suffix)) if key.endswith(suffix) else None
        if name in families:
            recorded.setdefault(name, {})[key.removesuffix(suffix)] = value
    for name, members in families.items():
        left = dict(recorded.get(name, {}))  # address -> fingerprint, not yet taken
        where: dict[str, list[str]] = {}  # fingerprint -> addresses recording it
        for address, value in left.items():
            where.setdefault(value, []).append(address)
        unmatched: list[int] = []
        for index in members:  # unchanged in its place first, so no other block takes it
            if left.get(fields[index].address) == current[index]:
                result[index] = left.pop(fields[index].address)
            else:
                unmatched.append(index)
        moved, unmatched = unmatched, []
        for index in moved:  # then unchanged, elsewhere in the family
            places = [a for a in where.get(current[index], []) if a in left]
            if places:
                result[index] = left.pop(places[0])
            else:
                unmatched.append(index)
        for index in unmatched:
            result[index] = left.get(fields[index].address) or next(iter(left.values()), None)
    return result


def stale_fields(statuses: Iterable[FieldStatus]) -> frozenset[tuple[str, str]]:
    """(address, language) of every stale translation: what the site marks for readers."""
    return frozenset((s.field.address, s.language) for s in statuses if s.state is State.STALE)


def lock_path(findings_folder: Path) -> Path:
    return findings_folder / LOCK_NAME


def read_lock(path: Path, shown: str) -> Lock:
    """Read a lock file; a line that is not `address@language: fingerprint` is an error."""
    if not path.is_file():
        return Lock({}, exists=False)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FindingsError([Problem(Position(shown), f"cannot read the file: {error}")]) from None
    entries: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    problems: list[Problem] = []
    hint = (
        "this file is written by the generator: restore it from git, or delete it and run "
        "'python -m generator translations --mark-reviewed --all' after checking every "
        "translation"
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if line.startswith(("<<<<<<<", "=======", ">>>>>>>", "|||||||")):
            problems.append(
                Problem(
                    Position(shown, number, 1),
                    "unresolved merge conflict",
                    hint="keep the lines of both sides (drop the markers), then run "
                    "'python -m generator translations' to see what needs review",
                )
            )
        elif match is None:
            problems.append(
                Problem(
                    Position(shown, number, 1),
                    "expected a line 'address@language: fingerprint'",
                    hint,
                )
            )
        elif not _FINGERPRINT.match(match["fingerprint"]):
            problems.append(
                Problem(
                    Position(shown, number, match.start("fingerprint") + 1),
                    f"'{match['fingerprint']}' is not a fingerprint "
                    f"({FINGERPRINT_LENGTH} characters 0-9, a-f)",
                    hint,
                )
            )
        else:
            key = f"{match['address']}@{match['language']}"
            if key in first_seen:
                problems.append(
                    Problem(
                        Position(shown, number, 1),
                        f"'{key}' is recorded twice",
                        hint=f"the first is on line {first_seen[key]}; keep only one "
                        "(after a merge: the one whose translation was reviewed last)",
                    )
                )
            first_seen.setdefault(key, number)
            entries[key] = match["fingerprint"]
    if problems:
        raise FindingsError(problems)
    return Lock(entries)


def format_lock(entries: Mapping[str, str]) -> str:
    """The lock file's text: a comment, then one sorted line per field and language."""
    lines = [f"{key}: {value}" for key, value in sorted(entries.items())]
    return _HEADER + "\n".join(lines) + ("\n" if lines else "")


def mark_reviewed(
    statuses: Sequence[FieldStatus], lock: Lock, selectors: Sequence[str] | None
) -> tuple[dict[str, str], list[FieldStatus]]:
    """The lock after marking fields reviewed, and the translations that were marked.

    `selectors` are field addresses, optionally with `@language`, or an entity address
    (`quote:q-x`) for all its fields; None marks every translation. Entries of fields
    that no longer exist are dropped; a numbered field that moved is recorded at its new
    address. `lock` is the recorded state the statuses were read from. Raises
    FindingsError for a selector that matches nothing (and nothing is marked).
    """
    present = [s for s in statuses if s.state is not State.MISSING]
    chosen: list[FieldStatus]
    if selectors is None:
        chosen = present
    else:
        chosen = []
        problems = []
        for selector in selectors:
            matched = [s for s in present if _selects(selector, s)]
            if not matched:
                problems.append(_unknown_selector(selector, statuses))
            chosen.extend(m for m in matched if m not in chosen)
        if problems:
            raise FindingsError(problems)
    # Rewritten from the statuses, not copied from the lock: a block that moved is recorded
    # at its new address, and fields that no longer exist drop out.
    entries = {s.key: s.recorded for s in present if s.recorded is not None}
    for status in chosen:
        entries[status.key] = fingerprint(status.field.original)
    return entries, chosen


def _selects(selector: str, status: FieldStatus) -> bool:
    address, _, language = selector.partition("@")
    if language and language != status.language:
        return False
    return status.field.address == address or status.field.address.startswith(address + "/")


def _unknown_selector(selector: str, statuses: Sequence[FieldStatus]) -> Problem:
    address, _, language = selector.partition("@")
    known = sorted({s.field.address for s in statuses})
    missing_only = [s for s in statuses if _selects(selector, s)]
    if missing_only:
        return Problem(
            missing_only[0].field.position,
            f"'{selector}' has no translation to mark reviewed",
            hint="write the translation first",
        )
    if language and language not in {s.language for s in statuses}:
        return Problem(
            Position("--mark-reviewed"),
            f"'{language}' is not a translation language of this study",
            hint=f"translations: {', '.join(sorted({s.language for s in statuses}))}",
        )
    guess = difflib.get_close_matches(address, known, n=1, cutoff=0.6)
    hint = (
        f"did you mean '{guess[0]}'?"
        if guess
        else "run 'python -m generator translations' to see field addresses"
    )
    return Problem(Position("--mark-reviewed"), f"no field has the address '{address}'", hint)


def write_lock(path: Path, entries: Mapping[str, str]) -> None:
    """Replace the lock file in one step."""
    write_atomic(path, format_lock(entries).encode("utf-8"))


def translation_problems(
    statuses: Sequence[FieldStatus], lock: Lock, *, strict: bool, shown_lock: str
) -> list[Problem]:
    """Stale and unreviewed translations as warnings (errors when `strict`).

    Missing translations are the validate stage's business (errors, or warnings in a draft).
    """
    severity = Severity.ERROR if strict else Severity.WARNING
    problems: list[Problem] = []
    unreviewed = [s for s in statuses if s.state is State.UNREVIEWED]
    if not lock.exists and unreviewed:
        return [
            Problem(
                Position(shown_lock),
                f"{len(unreviewed)} translation(s) were never marked reviewed "
                f"(no {LOCK_NAME} yet), so a later change to their original would go unnoticed",
                hint="check them against their originals, then run: make translations REVIEWED=all",
                severity=severity,
            )
        ]
    for status in statuses:
        entry = status.field
        command = f"make translations REVIEWED={entry.address}"
        if status.state is State.STALE:
            problems.append(
                Problem(
                    entry.position,
                    f"the original of '{entry.address}' changed after its "
                    f"'{status.language}' translation was reviewed",
                    hint=f"update the '{status.language}' translation, then run: {command}",
                    severity=severity,
                )
            )
        elif status.state is State.UNREVIEWED:
            problems.append(
                Problem(
                    entry.position,
                    f"the '{status.language}' translation of '{entry.address}' "
                    "was never marked reviewed",
                    hint=f"check it against the original, then run: {command}",
                    severity=severity,
                )
            )
    return problems


def status_report(statuses: Sequence[FieldStatus], languages: Sequence[str]) -> str:
    """Counts per language and file, then `file:line:column` of every field that needs work."""
    lines: list[str] = []
    states = (State.TRANSLATED, State.STALE, State.MISSING, State.UNREVIEWED)
    for language in languages:
        mine = [s for s in statuses if s.language == language]
        files = sorted({s.field.position.path for s in mine})
        width = max([len(f) for f in files] + [len("total")])
        lines.append(f"Translations into '{language}':")
        lines.append(f"  {'':<{width}}  " + "  ".join(f"{s.value:>10}" for s in states))
        for file in [*files, "total"]:
            rows = mine if file == "total" else [s for s in mine if s.field.position.path == file]
            counts = [sum(1 for s in rows if s.state is state) for state in states]
            lines.append(f"  {file:<{width}}  " + "  ".join(f"{c:>10}" for c in counts))
        for state in states[1:]:
            needing = sorted((s for s in mine if s.state is state), key=lambda s: s.field.position)
            if needing:
                lines.append(f"  {state.value}:")
                lines.extend(
                    f"    {s.field.position}: {s.field.field} ({s.field.address}@{language})"
                    for s in needing
                )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
