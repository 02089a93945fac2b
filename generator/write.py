"""Write stage: put rendered files into a folder the generator owns, atomically.

The folder holds a manifest of what the generator wrote.  A run rewrites a file only when
its content changed (so a live preview reloads only what changed), removes the files it
wrote last time that are no longer rendered, and refuses to touch a non-empty folder that
has no manifest: that folder is not the generator's.

A built site is swapped into place whole, and only over a folder the generator made (it
carries a marker file).  Runs that share a folder take turns (`locked`): two runs at once
never mix their files.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import FindingsError, Position, Problem

if sys.platform != "win32":
    import fcntl

MANIFEST = ".generated-files.json"
# In every site the generator builds.  A dotfile: GitHub's upload-pages-artifact leaves
# it out, so it is never published.
SITE_MARKER = ".generated-site"
log = logging.getLogger(__name__)


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


# Folders this process holds, with how many nested `locked` blocks hold each.
_held: dict[Path, int] = {}


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold `folder` for this run; another run that holds it is waited for, with a message.

    The lock is on the folder itself (no lock file is left behind) and ends with the run,
    however it ends.  Nested blocks of one process on the same folder hold it once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key = folder.resolve()
    if sys.platform == "win32" or key in _held:  # Windows: no advisory locks
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]
        return
    handle = os.open(key, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("Waiting for another run that is using %s ...", folder)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(handle)  # closing releases the lock


def is_generated_site(folder: Path) -> bool:
    """Whether `folder` holds a site the generator built (and may replace)."""
    if (folder / SITE_MARKER).is_file():
        return True
    # Sites built before the marker existed: MkDocs' signature on the home page, and its
    # search index.
    index = folder / "index.html"
    if not (index.is_file() and (folder / "search" / "search_index.json").is_file()):
        return False
    with index.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(20_000)
    return '<meta name="generator" content="mkdocs-' in head


def _fresh_folder(target: Path, kind: str) -> Path:
    """A new empty folder beside `target`, named for this run alone (permissions: umask)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        folder = target.with_name(f".{target.name}-{kind}-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def staging_folder(target: Path) -> Path:
    """A fresh folder beside `target` for this run alone, to build into before the swap."""
    return _fresh_folder(target, "building")


def replace_folder(new: Path, target: Path) -> None:
    """Swap a freshly built folder into place; the old one is removed only afterwards.

    `new` must sit beside `target` (see `staging_folder`).  Swaps into one parent folder
    take turns, and each uses its own backup name.
    """
    (new / SITE_MARKER).write_text(
        "Built by python -m generator; the next build replaces this folder.\n", encoding="utf-8"
    )
    with locked(target.parent):
        backup = _fresh_folder(target, "old")
        if target.exists():
            os.replace(target, backup)  # onto the empty folder mkdtemp made
        os.replace(new, target)
        shutil.rmtree(backup, ignore_errors=True)
