"""Add an editor's verdict to claims/resolutions.yaml without disturbing what is there.

The file is edited as text (append one entry), never re-dumped, so comments and
layout survive. A lock file serializes concurrent `factcheck resolve` runs, and
the new text must read back as the old entries plus exactly the new one before
it atomically replaces the old file: a layout we cannot append to safely is
refused, never rewritten.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import re
from pathlib import Path

from .catalog import VERDICTS, parse_resolutions, read_claims_file
from .errors import InputError, OutputError
from .model import Resolution
from .files import write_atomic
from .yamlfile import load_yaml

HEADER = "# Editors' verdicts on findings; `factcheck resolve` appends here.\nresolutions:\n"
LOCK_NAME = ".resolutions.lock"
# Characters YAML forbids in a stream or reads as line breaks (NEL, LS, PS): escaped inside quotes.
_YAML_UNSAFE = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff\x85\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


def add_resolution(story: Path, finding_id: str, verdict: str, note: str, by: str = "",
                   when: datetime.date | None = None, known_ids: set[str] | None = None) -> Path:
    """Append a verdict for `finding_id`; refuse unknown or already resolved findings."""
    claims = story / "claims"
    if not claims.is_dir():
        raise InputError("no claims/ folder", story, hint="run 'factcheck init' or create claims/")
    if known_ids is not None and finding_id not in known_ids:
        raise InputError(f"no finding '{finding_id}' in the current report of the story in '{story}'",
                         hint="copy the id from 'factcheck check' or the report")
    if verdict not in VERDICTS:
        raise InputError(f"unknown verdict '{verdict}'", hint=f"use one of {', '.join(VERDICTS)}")
    if not finding_id.strip() or any(c in finding_id for c in "\r\n"):
        raise InputError(f"invalid finding id {finding_id!r}", hint="copy the id from 'factcheck check'")
    if not note.strip():
        raise InputError("the note is empty", hint="say in --note why the finding is resolved")
    path = claims / "resolutions.yaml"
    new = Resolution(finding_id=finding_id.strip(), verdict=verdict, note=_clean(note).strip(),
                     by=_clean(by).strip(), when=(when or datetime.date.today()).isoformat())
    try:
        lock = os.open(claims / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file: {exc.strerror}", claims / LOCK_NAME,
                          hint="make claims/ writable") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held until the new file is in place
        raw = read_claims_file(path) if path.exists() or path.is_symlink() else HEADER
        # Edit with \n, write back with the file's own line ending (a Windows editor's CRLF stays CRLF).
        newline = "\r\n" if "\r\n" in raw else "\n"
        text = raw.replace("\r\n", "\n")
        existing = parse_resolutions(load_yaml(text, path))
        if any(r.finding_id == new.finding_id for r in existing):
            raise InputError(f"finding '{finding_id}' is already resolved", path,
                             hint="edit or remove its entry by hand to change the verdict")
        new_text = append_entry(text, new, has_entries=bool(existing))
        try:
            written = [_key(r) for r in parse_resolutions(load_yaml(new_text, path))]
        except InputError:
            written = []
        if written != [_key(r) for r in existing] + [_key(new)]:
            # Appending to this layout (a flow list, odd indentation) would break or change other entries.
            raise InputError("cannot append to this file's layout without changing its entries", path,
                             hint="write the list as '  - finding: ...' blocks, then run resolve again")
        write_atomic(path, new_text.replace("\n", newline))  # through a symlink: the link stays a link
    finally:
        os.close(lock)  # closing releases the lock
    return path


def append_entry(text: str, entry: Resolution, has_entries: bool) -> str:
    """`text` with one block entry appended, indented like the entries already there."""
    if not has_entries:
        text = _empty_list_to_block(text)
    if not text.endswith("\n"):
        text += "\n"
    pad = " " * _entry_indent(text)
    lines = [f"- finding: {_plain_or_quoted(entry.finding_id)}",
             f"  verdict: {entry.verdict}",
             f"  note: {_quote(entry.note)}"]
    if entry.by:
        lines.append(f"  by: {_quote(entry.by)}")
    lines.append(f"  date: {entry.when}")
    return text + "".join(pad + line + "\n" for line in lines)


def _key(r: Resolution) -> tuple[str, str, str, str, str]:
    return (r.finding_id, r.verdict, r.note, r.by, r.when)


def _clean(text: str) -> str:
    # Lone surrogates (undecodable command-line bytes) cannot be written as UTF-8.
    return _SURROGATES.sub("\ufffd", text)


def _quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    quoted = json.dumps(text, ensure_ascii=False)  # escapes quotes, backslashes and control characters
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _plain_or_quoted(text: str) -> str:
    """Ids stay unquoted, as editors write them, unless YAML would read them as something else."""
    if _PLAIN_ID.match(text) and load_yaml(text, Path("<id>")).data == text:
        return text
    return _quote(text)


def _entry_indent(text: str) -> int:
    """Indent of the existing `- ` entries under `resolutions:`, else 2."""
    seen_key = False
    for line in text.splitlines():
        if line.startswith("resolutions:"):
            seen_key = True
            continue
        stripped = line.lstrip(" ")
        if seen_key and stripped.startswith("- "):
            return len(line) - len(stripped)
    return 2


def _empty_list_to_block(text: str) -> str:
    lines = text.splitlines(keepends=True)
    out = []
    found = False
    for line in lines:
        stripped = line.split("#", 1)[0].strip()
        if stripped in ("resolutions: []", "resolutions:"):
            out.append("resolutions:\n")
            found = True
        else:
            out.append(line)
    if not found:
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
        out.append("resolutions:\n")
    return "".join(out)
