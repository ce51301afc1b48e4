"""Findings as data: stable ids, the quotes that prove them, and the claim others are compared with.

Shared by the reconcile stage (`reconcile.py`) and its arithmetic checks (`derived.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal

from .labels import value_label
from .model import Claim, Evidence, Fact, Finding, FindingKind, Kind, Modality, Qualifier, Severity, Source


def finding_id(kind: FindingKind, fact_id: str, values: Iterable[str]) -> str:
    """Stable id from what the finding is about, never from order or run."""
    key = "\x1f".join([kind.value, fact_id, *sorted(set(values))])
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    slug = fact_id.replace("~", "").replace("_", "-")[:40]  # "~" marks a discovered fact; ids stay plain
    return f"{kind.value.replace('_', '-')}-{slug}-{digest}"


def evidence(claims: Iterable[Claim], facts: dict[str, Fact], sources: dict[str, Source]) -> tuple[Evidence, ...]:
    out = []
    # Thousands of articles repeat a handful of values: format each distinct one once.
    labels: dict[tuple[object, ...], str] = {}
    for c in claims:
        m = c.mention
        src = sources.get(m.source_id)
        key = (c.fact_id, m.kind, str(m.value), m.unit, str(m.high), m.qualifier, m.period, m.modality,
               m.text if m.value is None else "")
        label = labels.get(key)
        if label is None:
            label = labels[key] = value_label(m, facts.get(c.fact_id))
        if m.kind == Kind.ENTITY and m.score < 100:
            label += f" (matched “{m.matched}”, score {m.score:g})"  # a fuzzy match shows its evidence
        # Filled directly, as the cache fills mentions: the frozen dataclass's __init__ sets each field
        # through object.__setattr__, the largest cost of quoting ten thousand claims.
        quote = object.__new__(Evidence)
        quote.__dict__.update(
            source_id=m.source_id, line=src.line_of(m.start) if src else 0, start=m.start, end=m.end,
            text=m.text, sentence=m.sentence, sentence_start=m.sentence_start,
            value_label=label, modality=m.modality, in_headline=m.in_headline,
        )
        out.append(quote)
    return tuple(sorted(set(out), key=lambda e: (e.source_id, e.start, e.end)))


def make_finding(kind: FindingKind, severity: Severity, fact: Fact, summary: str, values: Sequence[str],
             claims: Iterable[Claim], facts: dict[str, Fact], sources: dict[str, Source]) -> Finding:
    vals = tuple(sorted(set(values)))
    return Finding(id=finding_id(kind, fact.id, vals), kind=kind, severity=severity, fact_id=fact.id,
                   fact_label=fact.label, summary=summary, values=vals,
                   evidence=evidence(claims, facts, sources))


def source_count(claims: Iterable[Claim]) -> int:
    return len({c.mention.source_id for c in claims})


def reference(claims: list[Claim]) -> Claim:
    """The claim others are compared with: stated by most sources, then most precise, then first."""
    # Sources per (value, qualifier), counted once: comparing every pair is quadratic on big stories.
    stating: dict[tuple[Decimal | str | None, Qualifier], set[str]] = {}
    for o in claims:
        stating.setdefault((o.mention.value, o.mention.qualifier), set()).add(o.mention.source_id)

    def support(c: Claim) -> tuple[int, int, int, Decimal, str, int]:
        m = c.mention
        same_form = stating[(m.value, m.qualifier)]
        exact = int(m.qualifier == Qualifier.EXACT)
        stated = int(m.modality == Modality.STATED)
        prec = m.precision if m.precision is not None else Decimal(0)
        return (-len(same_form), -stated, -exact, prec, m.source_id, m.start)
    return min(claims, key=support)
