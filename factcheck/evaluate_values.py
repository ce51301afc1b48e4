"""Score extraction on real news sentences by value and by value and unit (`factcheck eval --values`).

The gold (tests/sentences/<section>/gold.yaml) lists every figure of every sentence as
the annotator read it, in the unit *as written* ("18 miles": 18, mile). The protocol:

- a gold figure and a predicted mention pair up when their text overlaps (one to one, the
  largest overlap first); a predicted mention that pairs with nothing is a false positive;
- the *value* matches when the numbers agree after the gold's unit is converted with the
  lexicon's factors (18 mile = 28.97 km) or as written; a range matches a range with the
  same ends; a date matches a date it contains or that contains it; a vague amount matches
  a vague amount;
- *value and unit* also needs the same normalized unit: a currency code (with its rate,
  "USD/year", or denominator, "USD/barrel"), % or pp, a counted noun in the singular (every
  noun for people is "person"), a duration unit, or the lexicon's canonical unit.

Predicted dates with no digit ("February", "last week") and entities are not figures here, as
the gold's convention has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .model import Kind, Mention, Period
from .yamlfile import load_yaml

if TYPE_CHECKING:
    from spacy.language import Language

PEOPLE = {"person", "people", "resident", "victim", "patient", "individual", "adult", "child", "man", "woman",
          "death", "dead", "fatality", "casualty", "passenger", "other"}
TOLERANCE = Decimal("0.005")


@dataclass(frozen=True)
class GoldValue:
    source: str
    surface: str
    start: int
    end: int
    kind: str
    values: tuple[Decimal | str | None, ...]  # as written, and converted to the canonical unit when known
    high: Decimal | None
    unit: str  # normalized


@dataclass
class ValueScore:
    name: str
    gold: int = 0
    predicted: int = 0
    value: int = 0  # pairs whose value matches
    value_unit: int = 0  # pairs whose value and unit match
    misses: list[str] = field(default_factory=list)

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _find(text: str, surface: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(surface, start + 1)
        if start == -1:
            return -1
    return start


def gold_unit(kind: str, unit: str, per: str) -> tuple[str, Decimal | None]:
    """The normalized unit of a gold figure, and the factor to it when the lexicon converts it."""
    from .extract import vocab

    unit = str(unit or "").strip()
    low = unit.lower()
    if kind == "money":  # "per share" is a scope here (the frame's), not a denominator of the unit
        per = "" if per.lower() in ("share", "ordinary share", "common share", "ads") else per
        return (unit.upper() + (f"/{per.lower()}" if per else "")), None
    if kind == "percent":
        if low in ("basis point", "basis points", "bp", "bps"):
            return "pp", Decimal("0.01")
        return ("pp" if low in ("pp", "percentage point", "percentage points") else "%"), None
    if kind in ("duration", "age"):
        return vocab.singular(low), None
    if kind == "date":
        return "date", None
    for form in (low, low + "s", low.removesuffix("s")):
        if form in vocab.UNITS:
            _, canonical, factor = vocab.UNITS[form]
            return canonical + (f"/{per.lower()}" if per else ""), factor
    low = low.replace("/hour", "/h").replace(" per hour", "/h")
    if low in ("km/h", "kmh"):
        return "km/h", Decimal(1)
    return _noun(low) + (f"/{per.lower()}" if per and kind != "count" else ""), None


def _noun(word: str) -> str:
    """A counted noun compared by its head, every noun for people as "person" ("polling station": station)."""
    from .extract import vocab
    from .lexicon import load_lexicon

    head = vocab.singular(word.split()[-1]) if word.split() else ""
    return "person" if head in PEOPLE or head in load_lexicon().people_words else head


def predicted_unit(m: Mention) -> str:

    if m.kind == Kind.MONEY:
        return m.unit + (f"/{m.period.value}" if m.period != Period.NONE else "")
    if m.kind == Kind.PERCENT:
        return m.unit
    if m.kind == Kind.DATE:
        return "date"
    if m.kind == Kind.COUNT:
        return _noun(m.unit.lower())
    return m.unit + (f"/{m.period.value}" if m.period != Period.NONE else "")


def load_value_gold(path: Path, texts: dict[str, str]) -> list[GoldValue]:
    """Gold figures located in their articles; InputError names the file and line of a bad entry."""
    text = path.read_text(encoding="utf-8")
    doc = load_yaml(text, path)
    mentions = (doc.data or {}).get("mentions") or {}
    out = []
    for source, entries in mentions.items():
        if str(source) not in texts:
            raise doc.error(("mentions", source), f"no source '{source}' in sources/", "use the article's id")
        body = texts[str(source)]
        for i, e in enumerate(entries or []):
            kp: tuple[str | int, ...] = ("mentions", source, i)
            surface = str(e.get("surface", ""))
            start = _find(body, surface, int(e.get("occurrence", 1)))
            if not surface or start < 0:
                raise doc.error(kp, f"surface {surface!r} not found in '{source}'", "copy it from the article")
            kind = str(e.get("kind", ""))
            unit, factor = gold_unit(kind, str(e.get("unit") or ""), str(e.get("per") or ""))
            raw = e.get("value")
            number = _number(raw)
            values: tuple[Decimal | str | None, ...]
            if kind == "date":
                values = (str(raw) if raw is not None else None,)
            elif number is None:
                values = (None,)
            else:
                values = (number, number * factor) if factor is not None else (number,)
            high = _number(e.get("high"))
            if high is not None and factor is not None:
                high = high * factor
            out.append(GoldValue(str(source), surface, start, start + len(surface), kind, values, high, unit))
    return out


def _close(a: Decimal, b: Decimal) -> bool:
    return a == b or abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def value_matches(g: GoldValue, m: Mention) -> bool:
    if g.kind == "date" or m.kind == Kind.DATE:
        if not isinstance(m.value, str) or not isinstance(g.values[0], str):
            return False
        a, b = g.values[0], m.value.split(" ")[0]
        if a.startswith("--") and not b.startswith("--"):
            b = "-" + b[4:]  # the tool infers the year from the publication date; the gold has none
        return a.startswith(b) or b.startswith(a)
    if g.values == (None,):
        return m.value is None
    if not isinstance(m.value, Decimal):
        return False
    if not any(isinstance(v, Decimal) and _close(v, m.value) for v in g.values):
        return False
    if g.high is not None or m.high is not None:
        return g.high is not None and m.high is not None and _close(g.high, m.high)
    return True


def score_section(name: str, gold: Sequence[GoldValue], mentions: Iterable[Mention]) -> ValueScore:
    # The gold follows news-figure convention: a month or a relative date with no digit in it ("February",
    # "last year") is not a figure, so the tool's readings of them are left out on both sides.
    predicted = [m for m in mentions if m.kind != Kind.ENTITY
                 and not (m.kind == Kind.DATE and (m.value is None or not any(ch.isdigit() for ch in m.text)))]
    score = ValueScore(name, gold=len(gold), predicted=len(predicted))
    pairs = []
    for gi, g in enumerate(gold):
        for pi, m in enumerate(predicted):
            if m.source_id == g.source and m.start < g.end and g.start < m.end:
                pairs.append((min(m.end, g.end) - max(m.start, g.start), gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, m = gold[gi], predicted[pi]
        if value_matches(g, m):
            score.value += 1
            if predicted_unit(m) == g.unit:
                score.value_unit += 1
            else:
                score.misses.append(f"{g.source}: unit {g.surface!r}: gold {g.unit}, read {predicted_unit(m)}")
        else:
            score.misses.append(f"{g.source}: value {g.surface!r}: gold {g.values[0]}"
                                f"{'–' + str(g.high) if g.high else ''}, read {m.value} ({m.text!r})")
    for gi, g in enumerate(gold):
        if gi not in used_g:
            score.misses.append(f"{g.source}: missed {g.surface!r} ({g.kind})")
    for pi, m in enumerate(predicted):
        if pi not in used_p:
            score.misses.append(f"{m.source_id}: not a gold figure {m.text!r} ({m.kind.value})")
    return score


def evaluate_values(folder: Path, nlp: Language) -> ValueScore:
    """Score one section folder (sources/ and gold.yaml)."""
    from .extract.run import extract_all
    from .sources import load_sources

    sources = load_sources(folder).sources
    if not sources:
        raise InputError("no articles in sources/", folder / "sources", hint="add the section's articles")
    texts = {s.id: s.text for s in sources}
    gold = load_value_gold(folder / "gold.yaml", texts)
    mentions = [m for ex in extract_all(sources, nlp) for m in ex.mentions]
    return score_section(folder.name, gold, mentions)


def format_values_table(scores: Sequence[ValueScore]) -> str:
    header = (f"{'section':<12} {'gold':>5} {'pred':>5}   {'value P':>7} {'R':>5} {'F1':>5}   "
              f"{'v+unit P':>8} {'R':>5} {'F1':>5}")
    lines = [header, "-" * len(header)]
    total = ValueScore("total")
    for s in scores:
        for attr in ("gold", "predicted", "value", "value_unit"):
            setattr(total, attr, getattr(total, attr) + getattr(s, attr))
    for s in [*scores, total]:
        if s is total:
            lines.append("-" * len(header))
        vp, vr, vf = s.prf(s.value)
        up, ur, uf = s.prf(s.value_unit)
        lines.append(f"{s.name:<12} {s.gold:>5} {s.predicted:>5}   {vp:>7.2f} {vr:>5.2f} {vf:>5.2f}   "
                     f"{up:>8.2f} {ur:>5.2f} {uf:>5.2f}")
    return "\n".join(lines)
