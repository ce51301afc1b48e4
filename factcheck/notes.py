"""The editor's word on single figures (`claims/frames.yaml`), applied between extract and assign.

Some figures no rule can place: a background figure from another company's deal, a
toll whose sentence names no measure. The editor marks the first as *context* (listed
with the numbers that are not figures, never compared) and names the frame of the
second (its subject or measure). `apply_notes` is pure; a note that matches no figure
is returned, so that the CLI can say so instead of silently doing nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .lexicon import Lexicon
from .model import Dropped, FigureNote, Kind, Mention


@dataclass(frozen=True)
class Noted:
    mentions: tuple[Mention, ...]
    dropped: tuple[Dropped, ...]
    unused: tuple[FigureNote, ...]


def _matches(note: FigureNote, mention: Mention) -> bool:
    return (mention.source_id == note.source_id and mention.kind != Kind.ENTITY
            and (note.figure in mention.text or mention.text in note.figure))


def apply_notes(mentions: Sequence[Mention], dropped: Sequence[Dropped], notes: Sequence[FigureNote],
                lexicon: Lexicon) -> Noted:
    """Mentions with the editor's frames applied and context figures moved to the dropped list."""
    out: list[Mention | None] = list(mentions)
    moved: list[Dropped] = []
    unused = []
    for note in notes:
        hits = [i for i, m in enumerate(out) if m is not None and _matches(note, m)]
        # A figure already moved by an earlier note is not found again: the first note wins.
        if note.occurrence:
            hits = hits[note.occurrence - 1:note.occurrence]
        if not hits:
            unused.append(note)
            continue
        for i in hits:
            m = out[i]
            assert m is not None
            if note.context:
                why = f"marked as context (claims/frames.yaml:{note.line})" + (f": {note.note}" if note.note else "")
                moved.append(Dropped(m.source_id, m.start, m.end, m.text, why))
                out[i] = None
            else:
                measure = lexicon.measure(note.measure) if note.measure else None
                out[i] = replace(m, owner=note.subject or m.owner, measure=note.measure or m.measure,
                                 varies=measure.varies if measure else m.varies)
    return Noted(tuple(m for m in out if m is not None), tuple(dropped) + tuple(moved), tuple(unused))
