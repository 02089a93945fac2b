"""Load stage: read every findings file into plain data that remembers where each value came from.

YAML is read with PyYAML's C parser (safe: it never constructs objects) and turned into
data by hand, so that
- every scalar stays the text the editor wrote (`no`, `017`, `2019-06-12` are strings),
  except plain `true`/`false` (booleans) and empty/`null`/`~` (None);
- duplicate keys, tags, anchors and aliases are errors, not surprises;
- each value and each key keeps its 1-based line and column for error messages.

The structure is then checked against the JSON Schema in `schema/findings.schema.json`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import fastjsonschema
import jsonschema
import yaml

from generator.errors import FindingsError, Position, Problem, Severity

SCHEMA_PATH = Path(__file__).parent / "schema" / "findings.schema.json"
FINDINGS_SUFFIXES = (".yaml", ".yml")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLEANS = {"true": True, "false": False}
_STR_TAG = "tag:yaml.org,2002:str"
# The C parser when PyYAML was built with libyaml (about 4x faster), else the Python one.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceFile:
    """One findings file: its data and where each value (and each mapping key) sits."""

    path: str
    data: dict[str, Any]
    values: dict[DataPath, Position] = field(repr=False)
    keys: dict[DataPath, Position] = field(repr=False)
    empty_hints: dict[DataPath, str] = field(default_factory=dict, repr=False)
    warnings: tuple[Problem, ...] = ()
    text: str = field(default="", repr=False)  # the file as read, to point inside values

    def position(self, path: DataPath) -> Position:
        """The position of the value at `path`, or of its nearest known ancestor."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Position(self.path))

    def position_in_value(self, path: DataPath, value: str, offset: int) -> Position:
        """Where the character at `offset` of the text `value` (at `path`) was written.

        The piece of text from `offset` up to the next space is looked for in the file, from
        the value's start on (counting earlier repeats); a value written with escapes in
        double quotes may not contain it as written, and then the value's start is the answer.
        """
        start = self.position(path)
        piece = value[offset:].split(maxsplit=1)[0][:40] if value[offset:].strip() else ""
        if not self.text or start.line <= 0 or not piece or value[offset : offset + 1].isspace():
            return start
        line_start = 0
        for _ in range(start.line - 1):
            line_start = self.text.find("\n", line_start) + 1
        index = line_start + start.column - 1
        for _ in range(value.count(piece, 0, offset) + 1):
            index = self.text.find(piece, index)
            if index < 0:
                return start
            index += 1
        index -= 1
        line = self.text.count("\n", 0, index) + 1
        column = index - (self.text.rfind("\n", 0, index) + 1) + 1
        return Position(self.path, line, column)

    def key_position(self, path: DataPath) -> Position:
        """The position of the key that names the value at `path`."""
        return self.keys.get(path) or self.position(path)


def find_findings_files(directory: Path) -> list[Path]:
    """The findings files of a study, in the order their lists are joined."""
    return sorted(
        p for p in directory.iterdir() if p.suffix in FINDINGS_SUFFIXES and not p.is_dir()
    )


def _unreadable(path: Path, shown: str, error: OSError) -> Problem:
    reason = error.strerror or str(error)
    return Problem(
        Position(shown),
        f"cannot read this {'folder' if path.is_dir() else 'file'}: {reason}",
        hint="check that it exists and that you may read it (its permissions)",
    )


def _not_a_findings_file(path: Path, directory: Path, shown: str) -> Problem | None:
    """Why `path` may not be read as a findings file, or None when it may."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(directory.resolve()):
            return Problem(
                Position(shown),
                f"this findings file is a link to '{target}', outside the findings folder",
                hint="copy the file into the findings folder instead of linking to it",
            )
    if not path.is_file():
        return Problem(
            Position(shown),
            "this is not a regular file (a device, pipe or broken link)",
            hint="findings files are plain text files; remove it or replace it by one",
        )
    return None


def load_findings(directory: Path, display_root: Path | None = None) -> list[SourceFile]:
    """Read and structurally check every findings file under `directory`.

    Raises FindingsError with all problems of all files together.
    """
    if not directory.is_dir():
        raise FindingsError([Problem(Position(str(directory)), "findings folder not found")])
    try:
        files = find_findings_files(directory)
    except OSError as error:
        raise FindingsError([_unreadable(directory, str(directory), error)]) from None
    if not files:
        raise FindingsError(
            [
                Problem(
                    Position(str(directory)),
                    "no findings files (*.yaml) in this folder",
                    hint="see the format guide (docs/en/format.md) for what a study holds",
                )
            ]
        )
    problems: list[Problem] = []
    loaded: list[SourceFile] = []
    for file in files:
        shown = _display(file, display_root or directory.parent)
        refused = _not_a_findings_file(file, directory, shown)
        if refused:
            problems.append(refused)
            continue
        try:
            raw = file.read_bytes()
        except OSError as error:
            problems.append(_unreadable(file, shown, error))
            continue
        try:
            source = parse_source(raw, shown)
        except FindingsError as error:
            problems.extend(error.problems)
            continue
        problems.extend(check_structure(source))
        loaded.append(source)
    if problems:
        raise FindingsError(problems)
    return loaded


def _display(path: Path, root: Path) -> str:
    try:
        # A link is shown by its own name, not by its target's.
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def parse_source(raw: bytes, path: str) -> SourceFile:
    """Parse one YAML document from bytes into a SourceFile, or raise FindingsError."""
    if raw.count(b"\0") > MAX_CHARACTER_PROBLEMS:
        # A binary file: one error for the file, not one per byte.
        at = raw.index(b"\0")
        line = raw.count(b"\n", 0, at) + 1
        column = len(raw[raw.rfind(b"\n", 0, at) + 1 : at].decode("utf-8", "replace")) + 1
        raise FindingsError(
            [
                Problem(
                    Position(path, line, column),
                    "this is not a text file (it holds NUL bytes)",
                    hint="findings files are YAML text saved as UTF-8; remove or replace it",
                )
            ]
        )
    text = _decode(raw, path)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise FindingsError(
            [Problem(Position(path, 1, 1), "file is empty", hint="remove it or add findings")]
        )
    forbidden = _forbidden_characters(text, path)
    if forbidden:
        raise FindingsError(forbidden)
    builder = _TreeBuilder(path, text)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Position(path, mark.line + 1, mark.column + 1) if mark else Position(path)
        message = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            message = f"{error.context}: {error.problem}"
        hint = _yaml_hint(message, text, mark.index if mark else None)
        builder.problems.append(Problem(where, f"YAML syntax error: {message}", hint))
    except yaml.YAMLError as error:  # ReaderError: characters YAML cannot carry
        builder.problems.append(_reader_problem(error, path, text))
    except _TooDeep:
        pass  # reported once: what follows would only repeat it
    if builder.problems:
        raise FindingsError(builder.problems)
    if not isinstance(builder.root, dict):
        raise FindingsError(
            [
                Problem(
                    builder.root_position,
                    "a findings file must be a mapping of sections (such as 'quotes:')",
                    hint="start the file with a top-level key, for example 'quotes:'",
                )
            ]
        )
    return SourceFile(
        path,
        builder.root,
        builder.values,
        builder.keys,
        builder.empty_hints,
        tuple(builder.warnings),
        text,
    )


def _decode(raw: bytes, path: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        # Columns count characters; everything before the bad byte is valid UTF-8.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise FindingsError(
            [
                Problem(
                    Position(path, line, column),
                    f"file is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
                    hint="save the file as UTF-8 ('Save with encoding: UTF-8' in your editor)",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


# Characters a findings file may not hold, written as they are or as a YAML escape ("\e"):
# invisible controls (often pasted from PDFs), the line separators YAML 1.1 would silently
# turn into spaces inside a quote, and the bidirectional embedding, override and isolate
# controls, which reorder what a reader sees ("Trojan source").  Right-to-left text needs
# none of them: the browser orders it by itself; the marks U+200E, U+200F, U+061C stay.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff" + _BIDI + "]"
)
_BIDI_CONTROL = re.compile("[" + _BIDI + "]")
# One escape in a double-quoted YAML scalar.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "e": "\x1b", "N": "\x85"}
_ESCAPED |= {"L": "\u2028", "P": "\u2029"}


_CONTROL_HINT = "remove the invisible control character (often pasted from a PDF)"
_BIDI_HINT = (
    "remove the bidirectional control: it reorders the text a reader sees; right-to-left "
    "text is shown in the right order without it"
)


def _character_hint(character: str) -> str:
    return _BIDI_HINT if _BIDI_CONTROL.match(character) else _CONTROL_HINT


def _unescape(escape: str) -> str:
    """The character a YAML escape (without its backslash) stands for, or '' if not one."""
    if escape[0] in "xuU":
        return chr(int(escape[1:], 16))
    return _ESCAPED.get(escape, "")


# Forbidden characters reported one by one per file; the rest are counted in one line.
MAX_CHARACTER_PROBLEMS = 5


def _forbidden_characters(text: str, path: str) -> list[Problem]:
    problems = []
    line, line_start, counted_to = 1, 0, 0
    matches = []
    for match in _FORBIDDEN.finditer(text):
        matches.append(match)
        if len(matches) > MAX_CHARACTER_PROBLEMS:
            break
    for match in matches[:MAX_CHARACTER_PROBLEMS]:
        index = match.start()
        # Count lines from the previous match only: linear in the file's length.
        newlines = text.count("\n", counted_to, index)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, index) + 1
        counted_to = index
        problems.append(
            Problem(
                Position(path, line, index - line_start + 1),
                f"character U+{ord(match.group()):04X} is not allowed in YAML",
                hint=_character_hint(match.group()),
            )
        )
    if len(matches) > MAX_CHARACTER_PROBLEMS:
        rest = len(_FORBIDDEN.findall(text, matches[-1].start()))
        last = problems[-1]
        problems[-1] = Problem(
            last.position,
            f"{last.message} (and {rest} more such characters in this file)",
            hint=last.hint,
        )
    return problems


def _reader_problem(error: yaml.YAMLError, path: str, text: str) -> Problem:
    offset = getattr(error, "position", None)
    # libyaml reports a byte offset into the UTF-8 text.
    index = (
        len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        if isinstance(offset, int)
        else None
    )
    if index is not None and 0 <= index <= len(text):
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        where = Position(path, line, column)
    else:
        where = Position(path)
    character = getattr(error, "character", None)
    if isinstance(character, int):
        character = chr(character)
    shown = f" U+{ord(character):04X}" if isinstance(character, str) else ""
    return Problem(
        where,
        f"character{shown} is not allowed in YAML",
        hint=_CONTROL_HINT,
    )


def _yaml_hint(message: str, text: str = "", index: int | None = None) -> str:
    if "tab" in message or (index is not None and text[index : index + 1] == "\t"):
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "a ': ' inside a value needs the value in quotes"
    if "found character '@'" in message or "found character '`'" in message:
        return "text starting with @ or ` must be in quotes"
    if "did not find expected" in message or "expected ',' or" in message:
        return "a value starting with [ or { is read as a list or mapping; put it in quotes"
    return ""


# Deeper than any findings file needs (a section five levels down sits at about 15), and
# shallow enough for every later stage to walk the data without running out of stack.
MAX_DEPTH = 50


class _TooDeep(Exception):
    pass


class _TreeBuilder:
    """Turns a stream of YAML events into plain data plus positions."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.values: dict[DataPath, Position] = {}
        self.keys: dict[DataPath, Position] = {}
        self.empty_hints: dict[DataPath, str] = {}
        self.warnings: list[Problem] = []
        self.root: Any = None
        self.root_position = Position(path, 1, 1)
        self.documents = 0
        self.escaped = 0  # forbidden characters written as escapes, reported up to a limit
        # Each open collection: (container, data path, pending key or None, key position)
        self.stack: list[list[Any]] = []

    def _pos(self, event: yaml.Event) -> Position:
        mark = event.start_mark
        if mark is None:
            return Position(self.path)
        return Position(self.path, mark.line + 1, mark.column + 1)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problems.append(
                    Problem(
                        self._pos(event),
                        "file holds several YAML documents ('---'); use one document per file",
                        hint="remove the '---' line or split the file in two",
                    )
                )
            return
        if isinstance(event, yaml.AliasEvent):
            self.problems.append(
                Problem(
                    self._pos(event),
                    f"aliases (*{event.anchor}) are not supported",
                    hint="write the value out again instead of referring to an anchor",
                )
            )
            self._add(None, self._pos(event))
            return
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.problems.append(
                Problem(
                    self._pos(event),
                    f"anchors (&{anchor}) are not supported",
                    hint="remove '&" + anchor + "'; in text, put the value in quotes",
                )
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in (_STR_TAG, "!"):
            self.problems.append(
                Problem(
                    self._pos(event),
                    f"YAML tags ({tag.replace('tag:yaml.org,2002:', '!!')}) are not supported",
                    hint="remove the tag; a text starting with '!' must be in quotes",
                )
            )
        if isinstance(event, yaml.ScalarEvent):
            self._add(self._scalar(event), self._pos(event))
            if not event.style:
                self._warn_trailing_comment(event)
            elif event.style == '"' and _FORBIDDEN.search(event.value):
                self._refuse_escapes(event)
        elif isinstance(event, yaml.CollectionStartEvent) and len(self.stack) >= MAX_DEPTH:
            self.problems.append(
                Problem(
                    self._pos(event),
                    f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
                    hint="findings never need this depth; check the brackets and indentation",
                )
            )
            raise _TooDeep
        elif isinstance(event, yaml.MappingStartEvent):
            container: dict[str, Any] = {}
            path = self._add(container, self._pos(event))
            self.stack.append([container, path, None, None])
        elif isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            path = self._add(items, self._pos(event))
            self.stack.append([items, path, None, None])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()

    def _refuse_escapes(self, event: yaml.ScalarEvent) -> None:
        """A forbidden character written as an escape ("\\0", "\\x1b", "\\u202e"): refused there."""
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:
            return
        for number in range(start.line, min(end.line, len(self.lines) - 1) + 1):
            line = self.lines[number]
            first = start.column if number == start.line else 0
            last = end.column if number == end.line else len(line)
            for match in _ESCAPE.finditer(line, first, last):
                character = _unescape(match.group(1))
                if not character or not _FORBIDDEN.match(character):
                    continue
                self.escaped += 1
                if self.escaped > MAX_CHARACTER_PROBLEMS:
                    return
                self.problems.append(
                    Problem(
                        Position(self.path, number + 1, match.start() + 1),
                        f"'{match.group()}' writes character U+{ord(character):04X}, "
                        "which is not allowed",
                        hint=_character_hint(character),
                    )
                )

    def _warn_trailing_comment(self, event: yaml.ScalarEvent) -> None:
        """An unquoted value followed by ' #...' loses that text silently: say so."""
        end = event.end_mark
        if end is None or end.line >= len(self.lines):
            return
        rest = self.lines[end.line][end.column :]
        comment = rest.lstrip()
        if event.value and comment.startswith("#") and rest[:1].isspace():
            column = end.column + len(rest) - len(comment) + 1
            self.warnings.append(
                Problem(
                    Position(self.path, end.line + 1, column),
                    f"'{comment[:30]}' is a YAML comment, not part of the value "
                    f"'{event.value[:30]}'",
                    hint="if it belongs to the value, put the whole value in quotes",
                    severity=Severity.WARNING,
                )
            )

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        if not event.style and event.tag is None:  # plain scalar (C parser: style "")
            if event.value in _NULLS:
                return None
            if event.value in _BOOLEANS:
                return _BOOLEANS[event.value]
        return event.value

    def _add(self, value: Any, position: Position) -> DataPath:
        """Attach `value` to the open collection (or as the root) and return its path."""
        if not self.stack:
            self.root = value
            self.root_position = position
            self.values[()] = position
            return ()
        top = self.stack[-1]
        container: Any = top[0]
        path: DataPath = top[1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
            self.values[child] = position
            return child
        if top[2] is None and top[3] is None:  # this scalar or collection is a key
            if not isinstance(value, str):
                shown = (
                    "a list or mapping"
                    if isinstance(value, list | dict)
                    else "empty"
                    if value is None
                    else repr(value)
                )
                self.problems.append(
                    Problem(position, f"a key must be text, not {shown}", "put the key in quotes")
                )
                value = f"<invalid key at {position}>"
            if value in container:
                first = self.keys[(*path, value)]
                self.problems.append(
                    Problem(
                        position,
                        f"duplicate key '{value}'",
                        hint=f"'{value}' is already set at line {first.line}; keep only one",
                    )
                )
                value = f"{value}<duplicate at {position}>"
            top[2], top[3] = value, position
            return path
        key, key_position = top[2], top[3]
        top[2], top[3] = None, None
        child = (*path, key)
        container[key] = value
        self.values[child] = position
        self.keys[child] = key_position
        if value is None:
            self._explain_empty(child, key_position, position)
        return child

    def _explain_empty(self, path: DataPath, key_position: Position, position: Position) -> None:
        """Remember why a value came out empty, so the schema error can say how to fix it."""
        line = self.lines[key_position.line - 1] if key_position.line <= len(self.lines) else ""
        rest = line[key_position.column - 1 :].split(":", 1)[-1]
        if rest.strip().startswith("#"):
            self.empty_hints[path] = (
                "text after ' #' is a comment in YAML; put the whole value in quotes"
            )
        elif rest.strip().startswith("&"):
            self.empty_hints[path] = "text starting with '&' must be in quotes"


@cache
def load_schema() -> dict[str, Any]:
    """The findings JSON Schema, read once."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


@cache
def _compiled_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python code: about 20x faster, but it stops at the first error.

    Only whether the data is valid is read from it, so its detailed errors (three quarters
    of the compile time) are not made; `use_default=False`: it never fills in defaults.
    """
    compiled = fastjsonschema.compile(load_schema(), use_default=False, detailed_exceptions=False)
    return cast(Callable[[Any], Any], compiled)


def check_structure(source: SourceFile) -> list[Problem]:
    """Check a file's data against the schema; one problem per offending node."""
    try:
        # Fast path: valid files (nearly all of them) need no error messages.
        _compiled_validator()(source.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema explains every error, with positions
    problems: list[Problem] = []
    per_language: set[DataPath] = set()
    for error in _leaf_errors(_validator().iter_errors(source.data)):
        path: DataPath = tuple(cast(Iterable[str | int], error.absolute_path))
        if _is_text_per_language(error):
            # One text written as {en: ..., id: ...}: say that, once, not "missing 'gap'".
            if path not in per_language:
                per_language.add(path)
                problems.append(_text_per_language(path, source))
            continue
        split = _split_by_comma(error, path, source)
        if split is not None:
            if split:
                problems.append(split[0])
            continue
        if error.validator == "additionalProperties":
            problems.extend(_unknown_fields(error, source))
        else:
            problems.append(_describe(error, source))
    # if/then/else can report the same node twice; keep the first of each.
    unique: dict[tuple[Position, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.position, problem.message), problem)
    return list(unique.values())


_LANGUAGE_KEY = re.compile(r"[a-z]{2,3}")


def _is_text_per_language(error: jsonschema.ValidationError) -> bool:
    """A field that takes one text (or a gap) was given a text per language."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    return (
        "gap" in schema.get("properties", {})
        and isinstance(instance, dict)
        and bool(instance)
        and "gap" not in instance
        and all(isinstance(k, str) and _LANGUAGE_KEY.fullmatch(k) for k in instance)
    )


def _text_per_language(path: DataPath, source: SourceFile) -> Problem:
    name = path[-1] if path and isinstance(path[-1], str) else "value"
    languages = ", ".join(str(k) for k in _value_at(source.data, path))
    if len(path) >= 3 and path[0] == "quotes" and name == "text":
        hint = (
            "a quote's 'text' is the informant's words in the source language only, "
            "written as plain text ('text: ...'); put the translations under "
            "'translation: {<code>: ...}'"
        )
    else:
        hint = f"write '{name}' once, as plain text (or as a gap: {{gap: not-stated}})"
    return Problem(
        source.position(path),
        f"'{name}' takes one text, not one per language ({languages})",
        hint,
    )


def _split_by_comma(
    error: jsonschema.ValidationError, path: DataPath, source: SourceFile
) -> list[Problem] | None:
    """`{en: Three Languages, One Market}`: YAML reads ' One Market' as a key with no value.

    Returns one problem at the key (for its name error), nothing (for the follow-up error
    about its empty value), or None when the error is something else.
    """
    if error.validator == "pattern" and isinstance(error.instance, str):
        parent = _value_at(source.data, path)
        key = error.instance
        if isinstance(parent, dict) and key in parent and parent[key] is None and " " in key:
            return [
                Problem(
                    source.key_position((*path, key)),
                    f"'{key}' is read as a language code: a ',' inside {{...}} starts a new entry",
                    hint='put the text in quotes, e.g. {en: "Three Languages, One Market"}',
                )
            ]
    if error.instance is None and path and isinstance(path[-1], str) and " " in path[-1]:
        parent = _value_at(source.data, path[:-1])
        if isinstance(parent, dict) and parent.get(path[-1], 0) is None:
            return []
    return None


def _value_at(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _leaf_errors(
    errors: Iterator[jsonschema.ValidationError],
) -> Iterator[jsonschema.ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


_TYPE_NAMES = {
    "string": "text",
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with '- ')",
    "boolean": "true or false",
}


def _shown(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _unknown_fields(error: jsonschema.ValidationError, source: SourceFile) -> list[Problem]:
    """One problem per field the schema does not know, at its key, with a likely fix."""
    path: DataPath = tuple(cast(Iterable[str | int], error.absolute_path))
    schema = error.schema if isinstance(error.schema, dict) else {}
    allowed = sorted(schema.get("properties", {}))
    instance: Any = error.instance
    problems = []
    for extra in (k for k in instance if k not in allowed):
        guess = difflib.get_close_matches(str(extra), allowed, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(allowed)}"
        problems.append(
            Problem(source.key_position((*path, extra)), f"unknown field '{extra}'", hint)
        )
    return problems


def _describe(error: jsonschema.ValidationError, source: SourceFile) -> Problem:
    path: DataPath = tuple(cast(Iterable[str | int], error.absolute_path))
    # An empty value has no text to point at; its key does.
    where = source.key_position(path) if error.instance is None else source.position(path)
    name = path[-1] if path and isinstance(path[-1], str) else None
    field_text = f"'{name}'" if name else "value"
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = str(schema.get("x-hint", ""))
    validator = error.validator
    if validator == "required":
        missing = str(error.message).split("'")[1]
        return Problem(where, f"missing field '{missing}'", hint)
    if validator == "type":
        expected = error.validator_value
        expected_name = _TYPE_NAMES.get(str(expected), str(expected))
        empty_hint = source.empty_hints.get(path, "")
        if isinstance(error.instance, bool) and expected == "string":
            hint = hint or "put the value in quotes to keep it as text"
        return Problem(
            where,
            f"{field_text} should be {expected_name}, not {_shown(error.instance)}",
            empty_hint or hint,
        )
    if validator == "enum":
        options = [str(o) for o in cast(Iterable[Any], error.validator_value)]
        guess = difflib.get_close_matches(str(error.instance), options, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else ""
        return Problem(
            where,
            f"{field_text} is {_shown(error.instance)}; expected one of: {', '.join(options)}",
            hint,
        )
    if validator == "pattern":
        return Problem(
            where,
            f"{field_text} is {_shown(error.instance)}, which is not in the expected form",
            hint,
        )
    if validator == "minLength":
        return Problem(where, f"{field_text} is empty", hint)
    if validator == "minItems":
        return Problem(where, f"{field_text} needs at least {error.validator_value} item(s)", hint)
    if validator in ("minProperties", "maxProperties"):
        if schema.get("maxProperties") == 1:
            return Problem(
                where,
                f"{field_text} must have exactly one of: "
                + ", ".join(sorted(schema.get("properties", {}))),
                hint or "write one block per list item, e.g. '- text: {...}' or '- quote: q-id'",
            )
        return Problem(where, f"{field_text} is empty", hint)
    if validator == "propertyNames":
        return Problem(where, f"{field_text}: {error.message}", hint)
    return Problem(where, f"{field_text}: {error.message}", hint)
