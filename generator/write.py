"""Write stage: put rendered files into a folder the generator owns, atomically.

The folder holds a manifest of what the generator wrote.  A run rewrites a file only when
its content changed (so a live preview reloads only what changed), removes the files it
wrote last time that are no longer rendered, and refuses to touch a non-empty folder that
has no manifest: that folder is not the generator's.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import FindingsError, Position, Problem

MANIFEST = ".generated-files.json"


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _owned(root: Path) -> set[str]:
    manifest = root / MANIFEST
    if manifest.exists():
        listed: list[str] = json.loads(manifest.read_text(encoding="utf-8"))
        return set(listed)
    if root.exists() and any(root.iterdir()):
        raise FindingsError(
            [
                Problem(
                    Position(str(root)),
                    "output folder was not made by the generator; refusing to write into it",
                    hint="choose another --out folder, or empty this one",
                )
            ]
        )
    return set()


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> WriteReport:
    """Make `root` hold exactly `files` (relative path -> text or bytes) among its own files."""
    previous = _owned(root)
    root.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged = 0
    for relative, text in sorted(files.items()):
        path = root / relative
        data = text.encode("utf-8") if isinstance(text, str) else text
        if path.exists() and path.read_bytes() == data:
            unchanged += 1
            continue
        write_atomic(path, data)
        written.append(relative)
    removed = sorted(previous - set(files))
    for relative in removed:
        (root / relative).unlink(missing_ok=True)
        _remove_empty_parents((root / relative).parent, root)
    write_atomic(root / MANIFEST, (json.dumps(sorted(files), indent=1) + "\n").encode("utf-8"))
    return WriteReport(tuple(written), unchanged, tuple(removed))


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def replace_folder(new: Path, target: Path) -> None:
    """Swap a freshly built folder into place; the old one is removed only afterwards."""
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    os.replace(new, target)
    if backup.exists():
        shutil.rmtree(backup)
