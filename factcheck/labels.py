"""How values read to an editor: "over $40 billion", "$1.25 billion/month", "May 2029", "100,000 GPUs".

Formatting only: no stage decides anything from these strings (meanings live in fields).
"""

from __future__ import annotations

from decimal import Decimal

from .extract.numbers import format_number
from .model import Fact, Kind, Mention, Modality, Period, Qualifier

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def value_label(m: Mention, fact: Fact | None = None) -> str:
    """The normalized value as an editor reads it: "over $40 billion", "$1.25 billion/month"."""
    if m.kind == Kind.ENTITY:
        label = next((v.label for v in fact.values if v.id == m.value), str(m.value)) if fact else str(m.value)
    elif m.value is None:
        label = f"{m.text} (vague)"
    elif m.kind == Kind.DATE:
        label = date_label(str(m.value))
    else:
        assert isinstance(m.value, Decimal)
        label = amount_label(m.value, m.unit, m.kind)
        if m.high is not None:
            label = f"{label}–{amount_label(m.high, m.unit, m.kind)}"
        label = {
            Qualifier.OVER: "over ", Qualifier.AT_LEAST: "at least ", Qualifier.UP_TO: "up to ",
            Qualifier.UNDER: "under ", Qualifier.NEARLY: "nearly ", Qualifier.APPROXIMATELY: "about ",
            Qualifier.ROUNDED: "~",
        }.get(m.qualifier, "") + label
        if m.period != Period.NONE:
            label += f"/{m.period.value}"
    if m.modality != Modality.STATED:
        label += f" ({m.modality.value})"
    return label


def amount_label(value: Decimal, unit: str, kind: Kind) -> str:
    if kind == Kind.MONEY and "/" in unit:  # a price per unit: "$58.24/barrel"
        currency, per = unit.split("/", 1)
        return f"{amount_label(value, currency, kind)}/{per}"
    if kind == Kind.MONEY:
        sign = CURRENCY_SIGNS.get(unit)
        return f"{sign}{format_number(value)}" if sign else f"{format_number(value)} {unit}"
    if kind == Kind.PERCENT:
        return f"{format_number(value)}{unit}" if unit == "%" else f"{format_number(value)} {unit}"
    if kind == Kind.DURATION and unit == "second" and value >= 60 and value == value.to_integral_value():
        return clock_label(int(value))
    if kind in (Kind.COUNT, Kind.DURATION) and unit:
        return f"{format_number(value)} {unit if value == 1 else plural(unit)}"
    return f"{format_number(value)} {unit}".rstrip()


def clock_label(seconds: int) -> str:
    """A duration of a minute or more, in seconds, as it is written: "2:04:32", "3 min 27 s", "5 min"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def plural(noun: str) -> str:
    """English plural of a counted noun or time unit: GPU -> GPUs, day -> days, company -> companies."""
    lower = noun.lower()
    if noun.isupper():
        return noun + "s"
    if lower in ("person",):
        return "people"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if lower.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def time_label(time: str) -> str:
    """A frame's time as an editor reads it: "month 09" -> "September", "month 2019-04" -> "April 2019",
    "year 2011" -> "year 2011"; other times as they are ("forecast", "earlier")."""
    if time.startswith("month "):
        bits = time[6:].split("-")
        month = MONTH_NAMES[int(bits[-1]) - 1]
        return f"{month} {bits[0]}" if len(bits) == 2 else month
    return time


def date_label(iso: str) -> str:
    """"2029-05" -> "May 2029", "--08 (late)" -> "late August", "2028-Q3" -> "Q3 2028"."""
    head, _, part = iso.partition(" ")
    part = part.strip("()")
    bits = head.split("-")
    if head.startswith("--") and len(bits) >= 3 and bits[2].isdigit():  # --MM or --MM-DD: year not stated
        text = MONTH_NAMES[int(bits[2]) - 1] + (f" {int(bits[3])}" if len(bits) > 3 else "")
    elif len(bits) == 2 and bits[0].isdigit() and bits[1].isdigit():
        text = f"{MONTH_NAMES[int(bits[1]) - 1]} {bits[0]}"
    elif len(bits) == 3 and all(b.isdigit() for b in bits):
        text = f"{int(bits[2])} {MONTH_NAMES[int(bits[1]) - 1]} {bits[0]}"
    elif len(bits) == 2 and bits[1][:1] in "QH":
        text = f"{bits[1]} {bits[0]}"
    else:
        text = head
    return f"{part} {text}" if part else text
