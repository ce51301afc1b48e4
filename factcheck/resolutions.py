"""Add an editor's verdict to claims/resolutions.yaml without disturbing what is there.

The file is edited as text (append one entry), never re-dumped, so comments and
layout survive. A lock file serializes concurrent `factcheck resolve` runs and
the result is validated before it atomically replaces the old file.
"""

from __future__ import annotations

import datetime
import fcntl
import json
from pathlib import Path

from .catalog import parse_resolutions
from .errors import InputError
from .report import write_atomic
from .yamlfile import load_yaml

HEADER = "# Editors' verdicts on findings; `factcheck resolve` appends here.\nresolutions:\n"


def add_resolution(story: Path, finding_id: str, verdict: str, note: str, by: str = "",
                   when: datetime.date | None = None, known_ids: set[str] | None = None) -> Path:
    """Append a verdict for `finding_id`; refuse unknown or already resolved findings."""
    claims = story / "claims"
    if not claims.is_dir():
        raise InputError("no claims/ folder", story, hint="run 'factcheck init' or create claims/")
    if known_ids is not None and finding_id not in known_ids:
        raise InputError(f"no finding '{finding_id}' in the current report", story,
                         hint="copy the id from 'factcheck check' or the report")
    path = claims / "resolutions.yaml"
    with open(claims / ".resolutions.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8") if path.exists() else HEADER
        existing = parse_resolutions(load_yaml(text, path))
        if any(r.finding_id == finding_id for r in existing):
            raise InputError(f"finding '{finding_id}' is already resolved", path,
                             hint="edit or remove its entry by hand to change the verdict")
        if not existing:
            text = _empty_list_to_block(text)
        if not text.endswith("\n"):
            text += "\n"
        entry = (f"  - finding: {finding_id}\n"
                 f"    verdict: {verdict}\n"
                 f"    note: {json.dumps(note, ensure_ascii=False)}\n"
                 + (f"    by: {json.dumps(by, ensure_ascii=False)}\n" if by else "")
                 + f"    date: {(when or datetime.date.today()).isoformat()}\n")
        new_text = text + entry
        parse_resolutions(load_yaml(new_text, path))  # never write a file we could not read back
        write_atomic(path, new_text)
    return path


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
        out.append("resolutions:\n")
    return "".join(out)
