"""The user's files: read only from inside the story, written atomically when ours, through when not.

Reading: a story's sources, claims and cache must resolve inside the story
folder; a symlink that leads out of it (`sources/p.txt -> /etc/passwd`) is
refused, so nothing outside the story reaches a report CI may publish.

A regular file (or a path that does not exist yet) is replaced by rename, so a
reader never sees half a report. Anything else the user names is written
*through*, never replaced: a device (`--html /dev/null`), a FIFO, or a symlink
(to `/proc/self/fd/1`, or to a report kept elsewhere, whose link stays a link).
Several outputs of one run are one transaction: every new text is written to a
temporary file first, and only when all of them are on disk are they renamed.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .errors import OutputError

TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 3600.0  # no write of ours takes an hour; a temp file that old was left by a killed run
HINT = "free space or fix permissions, then run again"


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every symlink followed, lies inside `root` (also resolved)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return False


def outside_target(path: Path) -> str:
    """Where a link leading out of the story points, for the message that refuses it."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return "?"


def check_writable(path: Path) -> None:
    """Fail before any work when `path` cannot be written: a bad path costs nothing."""
    target = _target(path)
    if target.is_dir():
        raise OutputError("output path is a folder", path, hint="name a file")
    if _is_special(target):
        if not os.access(target, os.W_OK):
            raise OutputError("output path is not writable", path, hint="choose another path or fix permissions")
        return
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError("output folder does not exist", parent, hint="create it or choose another path")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise OutputError("output path is not writable", path, hint="choose another path or fix permissions")
    try:  # /proc and some mounts pass access() and still refuse to create files
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot create files here: {exc.strerror or exc}", path,
                          hint="choose another path or fix permissions") from None
    os.close(fd)
    os.unlink(probe)


def write_atomic(path: Path, text: str) -> None:
    """Write one file: by rename if it is a regular file (or new), else through it."""
    write_all([(path, text)])


def write_all(outputs: Sequence[tuple[Path, str]]) -> None:
    """Write several files so that either all of them are new or none is (as far as rename allows)."""
    staged: list[tuple[Path, str, Path]] = []  # (what the user named, temp file, where it goes)
    through: list[tuple[Path, str]] = []
    try:
        for path, text in outputs:
            target = _target(path)
            if _is_special(target):
                through.append((path, text))
                continue
            staged.append((path, _stage(path, target, text), target))
        for path, tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(f"cannot write the file: {exc.strerror or exc}", path, hint=HINT) from None
        staged = []
        for path, text in through:
            _write_through(path, text)
    finally:
        for _, tmp, _ in staged:  # an error or an interrupt before the renames: leave no temp file
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def clean_stale_temps(folder: Path, name: str, older_than: float = STALE_SECONDS) -> None:
    """Remove temp files a killed run left beside `name` (`.name.*.tmp`); a running writer's are young."""
    try:
        leftovers = list(folder.glob(f".{name}.*{TEMP_SUFFIX}"))
    except OSError:
        return
    now = time.time()
    for leftover in leftovers:
        try:
            info = leftover.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                leftover.unlink()
        except OSError:
            pass


def _target(path: Path) -> Path:
    """Where writing `path` lands: a symlink's final target, so the link itself is kept."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _is_special(path: Path) -> bool:
    """A device, FIFO or socket: something to write into, never to replace."""
    try:
        mode = path.stat().st_mode
    except OSError:  # missing (a new file) or unreachable: nothing to write through
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a plain open() would give under the current umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)  # reading the umask means setting it; restored at once
        os.umask(umask)
        return 0o666 & ~umask


def _stage(path: Path, target: Path, text: str) -> str:
    parent = target.parent if str(target.parent) else Path(".")
    clean_stale_temps(parent, target.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror or exc}", path, hint=HINT) from None
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes 0600; a report must stay readable like any other file
        # errors="replace": a file name that is not UTF-8 (lone surrogates) must not crash a report.
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file: {exc.strerror or exc}", path, hint=HINT) from None
        raise
    return tmp


def _write_through(path: Path, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", errors="replace", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror or exc}", path, hint=HINT) from None
