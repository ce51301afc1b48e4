"""Derived checks: arithmetic between facts (declared relations, a year as 12 months) and inside one sentence.

`check_relation` writes a relation's arithmetic out ("$1.25 billion x 12 = $15 billion; stated
$15 billion") and says whether the stated figures are consistent, inconsistent, or leave a term
underdetermined; `change_findings` checks a sentence's own before, change and after
(`changes.py`). `derived_findings` runs both for the reconcile stage.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from .catalog import parse_expression
from .changes import sentence_changes
from .extract.numbers import format_number
from .findings import evidence, finding_id, reference
from .labels import MONTH_NAMES, amount_label as _amount, value_label
from .lexicon import load_lexicon
from .model import (
    CheckStatus, Claim, Fact, Finding, FindingKind, Kind, Modality, Period, Qualifier, Relation, Severity, Source,
)
from .terms import IN_PERIOD, term_checks

T = TypeVar("T")


def derived_findings(facts: Sequence[Fact], claims: Sequence[Claim], relations: Sequence[Relation],
                     by_fact: dict[str, list[Claim]], fact_map: dict[str, Fact],
                     sources: dict[str, Source]) -> list[Finding]:
    """Every derived check of a story: sentences' own changes, then declared and unit-implied relations."""
    findings = change_findings(claims, fact_map, sources) + term_findings(claims, fact_map, sources)
    for relation in [*relations, *implied_relations(facts, by_fact)]:
        try:
            checked = check_relation(_safe_names(relation), _safe_keys(by_fact), _safe_keys(fact_map), sources)
        except (ArithmeticError, KeyError):
            checked = None
        if checked is not None:
            findings.append(checked)
    return findings


@dataclass(frozen=True)
class Known:
    """A fact's agreed value for arithmetic: an interval [low, high] (high None = unbounded)."""

    low: Decimal
    high: Decimal | None
    claim: Claim


def _known_value(claims: list[Claim], fact: Fact) -> Known | None:
    usable = [c for c in claims if c.mention.modality in (Modality.STATED, Modality.PLANNED)
              and c.mention.value is not None]
    if not usable:
        return None
    ref = reference(usable)
    m = ref.mention
    if m.kind == Kind.DATE:
        months = _month_index(str(m.value))
        return Known(Decimal(months), Decimal(months), ref) if months is not None else None
    assert isinstance(m.value, Decimal)
    if m.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST):
        return Known(m.value, None, ref)
    if m.qualifier in (Qualifier.UP_TO, Qualifier.UNDER):
        return Known(Decimal(0), m.value, ref)
    return Known(m.value, m.high if m.high is not None else m.value, ref)


def _month_index(iso: str) -> int | None:
    head = iso.split(" ")[0]
    parts = head.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        return int(parts[0]) * 12 + int(parts[1]) - 1
    return None


def _month_name(index: Decimal) -> str:
    """A month index (year * 12 + month - 1) as "September 2026"."""
    i = int(index)
    return f"{MONTH_NAMES[i % 12]} {i // 12:04d}"



def _factors(node: ast.expr) -> list[tuple[ast.expr, bool]] | None:
    """Flatten a product/quotient into (factor, divides) pairs; None if it has + or -."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        left = _factors(node.left)
        right = _factors(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            right = [(f, not d) for f, d in right]
        return left + right
    if isinstance(node, (ast.Name, ast.Constant, ast.Call)):
        return [(node, False)]
    return None


def check_relation(relation: Relation, by_fact: dict[str, list[Claim]], facts: dict[str, Fact],
                   sources: dict[str, Source]) -> Finding | None:
    """A derived check: `fact = expression`, with the arithmetic written out."""
    target = facts.get(relation.fact)
    if target is None:
        return None
    lhs = _known_value(by_fact.get(relation.fact, []), target)
    if lhs is None:
        return None
    tree = parse_expression(relation.expression)
    factors = _factors(tree)
    if factors is None:  # sums and differences: checked when every term is known
        return _check_sum(relation, tree, lhs, target, by_fact, facts, sources)
    product = Decimal(1)
    parts: list[str] = []
    used: list[Claim] = [lhs.claim]
    unknown: str | None = None
    unknown_end: Known | None = None
    for node, divides in factors:
        value: Decimal | None
        if isinstance(node, ast.Constant):
            value, text = Decimal(str(node.value)), format_number(Decimal(str(node.value)))
        elif isinstance(node, ast.Name):
            known = _known_value(by_fact.get(node.id, []), facts[node.id]) if node.id in facts else None
            if known is None:
                value, text = None, node.id
            else:
                # A factor is the figure as stated: "up to $5 million/month" x 12 is $60 million, not 0.
                stated_value = known.claim.mention.value
                value = stated_value if isinstance(stated_value, Decimal) else known.low
                text = value_label(known.claim.mention, facts[node.id])
                used.append(known.claim)
        else:  # months(start, end)
            assert isinstance(node, ast.Call)
            ends = []
            for arg in node.args:
                name = arg.id if isinstance(arg, ast.Name) else ""
                known = _known_value(by_fact.get(name, []), facts[name]) if name in facts else None
                ends.append(known)
                if known:
                    used.append(known.claim)
            start, end = (ends + [None, None])[:2]
            if start is not None and end is not None:
                value = end.low - start.low
                text = f"{format_number(value)} months ({_month_name(start.low)} to {_month_name(end.low)})"
            else:
                value, text = None, "the term"
                unknown_end = end
        if value is None:
            if unknown is not None:
                return None  # two unknowns: nothing to say
            unknown = text
            continue
        if divides and value == 0:
            return None  # nothing sensible to say about a division by zero
        product = product / value if divides else product * value
        parts.append(("÷ " if divides else "") + text)
    stated = value_label(lhs.claim.mention, target)
    expression = " × ".join(parts).replace(" × ÷ ", " ÷ ")
    values = [stated, relation.expression]
    if unknown is None:
        ok = lhs.low * (1 - target.tolerance) <= product and (
            lhs.high is None or product <= lhs.high * (1 + target.tolerance))
        arithmetic = f"{expression} = {_amount(product, lhs.claim.mention.unit, lhs.claim.mention.kind)}; stated {stated}"
        status = CheckStatus.CONSISTENT if ok else CheckStatus.INCONSISTENT
        summary = f"{target.label}: {status} with {relation.expression.replace('*', '×')}"
    else:
        if product == 0:
            return None
        low_needed = lhs.low / product
        high_needed = lhs.high / product if lhs.high is not None else None
        unit = " months" if unknown == "the term" else ""
        low_text = format_number(low_needed.quantize(Decimal("0.1")))
        if high_needed is None:
            need = f"at least {low_text}{unit}"
        elif high_needed == low_needed:
            need = f"{low_text}{unit}"
        else:
            need = f"between {low_text} and {format_number(high_needed.quantize(Decimal('0.1')))}{unit}"
        arithmetic = f"{stated} ÷ {expression} = {need} for {unknown}"
        status = CheckStatus.UNDERDETERMINED
        summary = f"{target.label}: consistent if {unknown} is {need}"
        if unknown == "the term" and unknown_end is not None:
            latest = _month_name(unknown_end.low - low_needed.to_integral_value(rounding="ROUND_CEILING"))
            summary += f", i.e. if it started in or before {latest}; the start date is not stated"
        values.append(need)
    severity = Severity.BLOCKING if status == CheckStatus.INCONSISTENT else Severity.INFO
    return Finding(id=finding_id(FindingKind.DERIVED, relation.id, values), kind=FindingKind.DERIVED,
                   severity=severity, fact_id=target.id, fact_label=target.label, summary=summary,
                   values=tuple(sorted(set(values))), evidence=evidence(used, facts, sources),
                   arithmetic=arithmetic, status=status)


def _check_sum(relation: Relation, tree: ast.expr, lhs: Known, target: Fact, by_fact: dict[str, list[Claim]],
               facts: dict[str, Fact], sources: dict[str, Source]) -> Finding | None:
    """A relation with + or - ("combined = ours + theirs"), when every term has a stated value."""
    used: list[Claim] = [lhs.claim]

    def value(node: ast.expr) -> tuple[Decimal, str] | None:
        if isinstance(node, ast.Constant):
            number = Decimal(str(node.value))
            return number, format_number(number)
        if isinstance(node, ast.Name) and node.id in facts:
            known = _known_value(by_fact.get(node.id, []), facts[node.id])
            if known is None or not isinstance(known.claim.mention.value, Decimal):
                return None
            used.append(known.claim)
            return known.claim.mention.value, value_label(known.claim.mention, facts[node.id])
        if isinstance(node, ast.BinOp):
            left, right = value(node.left), value(node.right)
            if left is None or right is None:
                return None
            op = {ast.Add: ("+", left[0] + right[0]), ast.Sub: ("-", left[0] - right[0]),
                  ast.Mult: ("×", left[0] * right[0])}.get(type(node.op))
            if op is None:
                if right[0] == 0:
                    return None
                op = ("÷", left[0] / right[0])
            return op[1], f"{left[1]} {op[0]} {right[1]}"
        return None

    result = value(tree)
    if result is None:
        return None
    total, text = result
    stated = value_label(lhs.claim.mention, target)
    ok = lhs.low * (1 - target.tolerance) <= total and (lhs.high is None or total <= lhs.high * (1 + target.tolerance))
    status = CheckStatus.CONSISTENT if ok else CheckStatus.INCONSISTENT
    values = [stated, relation.expression]
    return Finding(id=finding_id(FindingKind.DERIVED, relation.id, values), kind=FindingKind.DERIVED,
                   severity=Severity.BLOCKING if not ok else Severity.INFO, fact_id=target.id,
                   fact_label=target.label, summary=f"{target.label}: {status} with {relation.expression}",
                   values=tuple(sorted(set(values))), evidence=evidence(used, facts, sources),
                   arithmetic=f"{text} = {_amount(total, lhs.claim.mention.unit, lhs.claim.mention.kind)}; "
                              f"stated {stated}", status=status)


def change_findings(claims: Sequence[Claim], fact_map: dict[str, Fact], sources: dict[str, Source]) -> list[Finding]:
    """A sentence's own before, change and after ("rose 18.3 points to 57.1%, up from 38.8%"), checked.

    A failure is a warning, not a block: it rests on how three figures of one sentence were paired.
    """
    out = []
    for ch in sentence_changes(claims):
        fact = fact_map.get(ch.change.fact_id)
        if fact is None:
            continue
        b, c, a = ch.before.mention, ch.change.mention, ch.after.mention
        lb, lc, la = (value_label(x, fact_map.get(y.fact_id)) for x, y in ((b, ch.before), (c, ch.change),
                                                                            (a, ch.after)))
        unit = "%" if ch.relative else ("pp" if c.unit == "pp" else "")
        computed = f"{format_number(abs(ch.computed).quantize(Decimal('0.1')) if ch.relative else abs(ch.computed))}"
        arithmetic = (f"({la} − {lb}) ÷ {lb} = {computed}%" if ch.relative
                      else f"{la} − {lb} = {computed}{' ' + unit if unit else ''}") + f"; stated {lc}"
        status = CheckStatus.CONSISTENT if ch.consistent else CheckStatus.INCONSISTENT
        summary = (f"{fact.label}: {c.source_id} gives {lb} to {la} as a change of {lc}: "
                   + ("the numbers add up" if ch.consistent else "the numbers do not add up"))
        values = (lb, lc, la)
        out.append(Finding(id=finding_id(FindingKind.DERIVED, f"{fact.id}-{c.source_id}", values),
                           kind=FindingKind.DERIVED,
                           severity=Severity.INFO if ch.consistent else Severity.WARNING,
                           fact_id=fact.id, fact_label=fact.label, summary=summary, values=tuple(sorted(values)),
                           evidence=evidence([ch.before, ch.change, ch.after], fact_map, sources),
                           arithmetic=arithmetic, status=status))
    return out


def term_findings(claims: Sequence[Claim], fact_map: dict[str, Fact], sources: dict[str, Source]) -> list[Finding]:
    """A total over a term against each stated rate: "$300 billion over five years" is $60 billion a year.

    A failure warns; it blocks only when both frames name the same measure and the rates are
    FAR_APART (a month read as a year, a dropped digit), never on a pairing the frames leave open.
    """
    out = []
    for check in term_checks(claims, load_lexicon()):  # cached: one load per process
        fact = fact_map.get(check.rates[0].fact_id)
        if fact is None:
            continue
        t, term, r = check.total.mention, check.term.mention, check.rates[0].mention
        total_label = value_label(t, fact_map.get(check.total.fact_id))
        term_label = value_label(term, fact_map.get(check.term.fact_id))
        rate_label = value_label(r, fact)
        implied = _amount(check.implied.quantize(Decimal(1)) if check.implied >= 100 else check.implied,
                          r.unit, Kind.MONEY)
        per = r.period.value
        arithmetic = f"{total_label} ÷ {term_label} = {implied}/{per}; stated {rate_label}"
        verdict = "the numbers add up" if check.consistent else "the numbers do not add up"
        summary = (f"{fact.label}: {check.total.mention.source_id} gives {total_label} over {term_label}, "
                   f"{r.source_id} {rate_label}: {verdict}")
        severity = Severity.INFO if check.consistent else (
            Severity.BLOCKING if check.far_apart and check.same_measure else Severity.WARNING)
        values = (total_label, term_label, rate_label)
        out.append(Finding(id=finding_id(FindingKind.DERIVED, f"{fact.id}-term-{check.total.fact_id}", values),
                           kind=FindingKind.DERIVED, severity=severity, fact_id=fact.id, fact_label=fact.label,
                           summary=summary, values=tuple(sorted(values)),
                           evidence=evidence([check.total, check.term, *check.rates], fact_map, sources),
                           arithmetic=arithmetic,
                           status=CheckStatus.CONSISTENT if check.consistent else CheckStatus.INCONSISTENT))
    return out


def implied_relations(facts: Sequence[Fact], by_fact: dict[str, list[Claim]]) -> list[Relation]:
    """Unit-implied relations between discovered rates of one unit: a year is 12 months."""
    rates = [f for f in facts if f.discovered and f.kind == Kind.MONEY and f.period in (Period.MONTH, Period.YEAR,
                                                                                       Period.QUARTER)]
    out = []
    for f in rates:
        for g in rates:
            if f.unit == g.unit and f.period == Period.YEAR and g.period != Period.YEAR and by_fact.get(g.id):
                factor = IN_PERIOD[g.period]
                out.append(Relation(id=f"{f.id}-from-{g.id}".lstrip("~"), fact=f.id, expression=f"{g.id} * {factor}"))
    return out


def _safe(text: str) -> str:
    """Discovered fact ids ('~money-usd-per-month') are not Python names; expressions use this form."""
    return re.sub(r"~([\w-]+)", lambda m: "discovered__" + m.group(1).replace("-", "__"), text)


def _safe_keys(mapping: dict[str, T]) -> dict[str, T]:
    return {_safe(k): v for k, v in mapping.items()}


def _safe_names(relation: Relation) -> Relation:
    return Relation(id=relation.id, fact=_safe(relation.fact), expression=_safe(relation.expression),
                    line=relation.line)
