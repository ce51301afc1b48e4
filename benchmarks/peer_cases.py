"""Peer test suites (Recognizers-Text, quantulum3) mapped to factcheck's kinds, and how predictions are scored.

Everything here is pure: loaders take already-parsed JSON, scorers take predictions, so
the unit test feeds hand-made cases and the benchmark feeds the files in ../shared/peer.
Neither tool is imported here; bench_peer.py turns each tool's output into Predictions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

MONEY, PERCENT, QUANTITY, COUNT, DATE, DURATION = "money", "percent", "quantity", "count", "date", "duration"
KINDS = (MONEY, PERCENT, QUANTITY, COUNT, DATE, DURATION)
CORE, STRETCH = "core", "stretch"
REL_TOL = 1e-6

# What each Recognizers-Text file annotates. A prediction of another kind is not judged there:
# the Age suite does not annotate the "25%" in its inputs, so reading it is no false positive.
RT_SUITE_KINDS: dict[str, frozenset[str]] = {
    "NumberModel": frozenset({COUNT}),
    "NumberRangeModel": frozenset({COUNT}),
    "OrdinalModel": frozenset(),
    "PercentModel": frozenset({PERCENT}),
    "CurrencyModel": frozenset({MONEY}),
    "DimensionModel": frozenset({QUANTITY}),
    "AgeModel": frozenset(),
    "TemperatureModel": frozenset(),
    "DateExtractor": frozenset({DATE}),
    "DateTimeModel": frozenset({DATE, DURATION}),
}
# quantulum3 annotates every quantity but no dates.
Q3_KINDS = frozenset({MONEY, PERCENT, QUANTITY, COUNT, DURATION})
OUT_OF_SCOPE_SUITES = {"OrdinalModel": "ordinal", "AgeModel": "age", "TemperatureModel": "temperature"}


@dataclass(frozen=True)
class Reading:
    """One acceptable normalized value: a number in base units with its unit, or an ISO date text in `unit`."""

    number: float | None = None
    high: float | None = None  # upper bound of a range
    unit: str = ""  # currency code, dimension such as "m" or "kg*m^-3", "s" for durations, ISO text for dates


@dataclass(frozen=True)
class Expected:
    """One result a suite expects, with its character span (end exclusive)."""

    start: int
    end: int
    text: str
    kind: str  # a scored kind, or the peer's own type name when out of scope
    readings: tuple[Reading, ...] = ()  # any one may match; empty: only the span is checked
    out_of_scope: str = ""  # why neither tool is scored on it ("" when scored)


@dataclass(frozen=True)
class Prediction:
    """One figure a tool read, normalized like Expected."""

    start: int
    end: int
    text: str
    kind: str
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class Case:
    suite: str
    index: int
    text: str
    expected: tuple[Expected, ...]
    kinds: frozenset[str]  # kinds the suite annotates; predictions of other kinds are not judged
    tier: str = CORE  # STRETCH: a case some Recognizers-Text platform fails (NotSupported*)
    reference: date | None = None  # the date relative dates resolve against

    @property
    def out_of_scope(self) -> str:
        """Why the whole case is not scored, or "" when it is (a case with no results is a negative test)."""
        if not self.kinds:
            return OUT_OF_SCOPE_SUITES.get(self.suite, "suite not in scope")
        reasons = [e.out_of_scope for e in self.expected]
        if reasons and all(reasons):
            return Counter(reasons).most_common(1)[0][0]
        return ""


# ---------------------------------------------------------------- units

# Base units in SI (or a convention: bits, radians); factors to the base. A tuple lists the
# readings an ambiguous name allows ("ton": short, metric, long).
_BASE_UNITS: dict[str, tuple[tuple[str, float], ...]] = {
    "metre": (("m", 1.0),), "foot": (("m", 0.3048),), "feet": (("m", 0.3048),), "inch": (("m", 0.0254),),
    "mile": (("m", 1609.344),), "yard": (("m", 0.9144),), "nautical mile": (("m", 1852.0),),
    "light year": (("m", 9.4607304725808e15),), "angstrom": (("m", 1e-10),),
    "gram": (("kg", 1e-3),), "pound-mass": (("kg", 0.45359237),), "pound": (("kg", 0.45359237),),
    "ounce": (("kg", 0.028349523125),), "tonne": (("kg", 1000.0),),
    "ton": (("kg", 907.18474), ("kg", 1000.0), ("kg", 1016.0469088)),
    "dram": (("kg", 0.0017718451953125),), "stone": (("kg", 6.35029318),), "carat": (("kg", 2e-4),),
    "litre": (("m^3", 1e-3),), "gallon": (("m^3", 0.003785411784), ("m^3", 0.00454609)),
    "barrel": (("m^3", 0.158987294928),), "cup": (("m^3", 2.365882365e-4), ("m^3", 2.5e-4)),
    "tablespoon": (("m^3", 1.478676478125e-5),), "teaspoon": (("m^3", 4.92892159375e-6),),
    "fluid ounce": (("m^3", 2.95735295625e-5),), "pint": (("m^3", 4.73176473e-4),),
    "quart": (("m^3", 9.46352946e-4),),
    "acre": (("m^2", 4046.8564224),), "hectare": (("m^2", 1e4),),
    "second": (("s", 1.0),), "minute": (("s", 60.0),), "hour": (("s", 3600.0),), "day": (("s", 86400.0),),
    "week": (("s", 604800.0),), "month": (("s", 2629800.0),), "quarter": (("s", 7889400.0),),
    "year": (("s", 31557600.0),), "decade": (("s", 315576000.0),), "century": (("s", 3155760000.0),),
    "bit": (("bit", 1.0),), "byte": (("bit", 8.0),),
    "watt": (("W", 1.0),), "joule": (("J", 1.0),), "watt hour": (("J", 3600.0),),
    "electronvolt": (("J", 1.602176634e-19),), "british thermal unit": (("J", 1055.05585262),),
    "calorie": (("J", 4.184),), "hertz": (("s^-1", 1.0),),
    "radian": (("rad", 1.0),), "degree": (("rad", math.pi / 180),), "degree angle": (("rad", math.pi / 180),),
    "turn": (("rad", 2 * math.pi),),
    "minute of arc": (("rad", math.pi / 10800),), "second of arc": (("rad", math.pi / 648000),),
    "flops": (("FLOPS", 1.0),),
}
_PREFIXES = {
    "exa": 1e18, "peta": 1e15, "tera": 1e12, "giga": 1e9, "mega": 1e6, "kilo": 1e3, "hecto": 1e2, "deca": 10.0,
    "deka": 10.0, "deci": 1e-1, "centi": 1e-2, "milli": 1e-3, "micro": 1e-6, "nano": 1e-9, "pico": 1e-12,
    "femto": 1e-15, "atto": 1e-18, "kibi": 1024.0, "mebi": 1024.0 ** 2, "gibi": 1024.0 ** 3, "tebi": 1024.0 ** 4,
}
_POWERS = {"square": 2, "cubic": 3, "inverse": -1}
# factcheck's canonical units, written as the names above.
FACTCHECK_UNITS = {"MW": "megawatt", "MWh": "megawatt hour", "km": "kilometre", "kg": "kilogram",
                   "m2": "square metre", "L": "litre", "barrel": "barrel", "GB": "gigabyte", "FLOPS": "flops"}

Dimension = tuple[tuple[str, int], ...]


def _normalize_unit_name(name: str) -> str:
    """One spelling for both peers: "Kilometer per hour" and "kilometre per hour"."""
    name = name.strip().lower().replace("meter", "metre").replace("liter", "litre")
    name = name.replace("metric ton", "tonne").replace("short ton", "ton")
    return re.sub(r"\s+", " ", name)


def _dim_text(dim: Mapping[str, int]) -> str:
    parts = [b if p == 1 else f"{b}^{p}" for b, p in sorted(dim.items()) if p != 0]
    return "*".join(parts) or "1"


def _parse_dims(base: str) -> dict[str, int]:
    dims: dict[str, int] = {}
    for part in base.split("*"):
        if part == "1":
            continue
        b, _, p = part.partition("^")
        dims[b] = dims.get(b, 0) + (int(p) if p else 1)
    return dims


def _simple_unit(name: str) -> tuple[tuple[str, float], ...] | None:
    if name in _BASE_UNITS:
        return _BASE_UNITS[name]
    if name.endswith("s") and name[:-1] in _BASE_UNITS:
        return _BASE_UNITS[name[:-1]]
    for prefix, factor in _PREFIXES.items():
        if name.startswith(prefix) and name[len(prefix):] in _BASE_UNITS:
            return tuple((d, f * factor) for d, f in _BASE_UNITS[name[len(prefix):]])
    return None


def _product_unit(words: str) -> list[tuple[dict[str, int], float]] | None:
    """A unit written as words multiplied: "square kilometre", "joule second", "megawatt hour"."""
    simple = _simple_unit(words)
    if simple is not None:
        return [(_parse_dims(d), f) for d, f in simple]
    tokens = words.split(" ")
    power = _POWERS.get(tokens[0])
    if power is not None and len(tokens) > 1:
        inner = _product_unit(" ".join(tokens[1:]))
        if inner is None:
            return None
        return [({b: p * power for b, p in d.items()}, f ** power) for d, f in inner]
    for k in range(len(tokens) - 1, 0, -1):  # longest known head first: "watt hour" before "watt"
        head, tail = _product_unit(" ".join(tokens[:k])), _product_unit(" ".join(tokens[k:]))
        if head is not None and tail is not None:
            return [({b: dh.get(b, 0) + dt.get(b, 0) for b in {*dh, *dt}}, fh * ft)
                    for dh, fh in head for dt, ft in tail]
    return None


def unit_factors(name: str) -> tuple[tuple[str, float], ...]:
    """(dimension, factor to base) readings of a unit name; an unknown unit is its own dimension."""
    norm = _normalize_unit_name(name)
    parts = norm.split(" per ")
    combos: list[tuple[dict[str, int], float]] | None = _product_unit(parts[0])
    for part in parts[1:]:
        divisor = _product_unit(part)
        if combos is None or divisor is None:
            combos = None
            break
        combos = [({b: dn.get(b, 0) - dd.get(b, 0) for b in {*dn, *dd}}, fn / fd)
                  for dn, fn in combos for dd, fd in divisor]
    if combos is None:
        return ((f"unit:{norm}", 1.0),)
    return tuple(dict.fromkeys((_dim_text(d), f) for d, f in combos))


# ---------------------------------------------------------------- money, counts, time

# Currency names of both peers -> (ISO code, factor to the major unit); several readings when ambiguous.
CURRENCIES: dict[str, tuple[tuple[str, float], ...]] = {
    "dollar": (("USD", 1.0),), "united states dollar": (("USD", 1.0),), "us dollar": (("USD", 1.0),),
    "euro": (("EUR", 1.0),), "pound": (("GBP", 1.0),), "pound sterling": (("GBP", 1.0),),
    "british pound": (("GBP", 1.0),), "canadian dollar": (("CAD", 1.0),), "australian dollar": (("AUD", 1.0),),
    "new zealand dollar": (("NZD", 1.0),), "hong kong dollar": (("HKD", 1.0),), "yen": (("JPY", 1.0),),
    "japanese yen": (("JPY", 1.0),), "yuan": (("CNY", 1.0),), "chinese yuan": (("CNY", 1.0),),
    "franc": (("CHF", 1.0), ("FRF", 1.0)), "swiss franc": (("CHF", 1.0),), "rupee": (("INR", 1.0),),
    "indian rupee": (("INR", 1.0),), "bitcoin": (("BTC", 1.0),), "satoshi": (("BTC", 1e-8),),
    "cent": (("USD", 0.01), ("EUR", 0.01)), "penny": (("GBP", 0.01), ("USD", 0.01)), "pence": (("GBP", 0.01),),
    "dime": (("USD", 0.1),), "mill": (("USD", 0.001),), "centavo": (("MXN", 0.01),), "rappen": (("CHF", 0.01),),
    "sen": (("JPY", 0.01),), "peseta": (("ESP", 1.0),), "finnish markka": (("FIM", 1.0),),
    "netherlands guilder": (("NLG", 1.0),),
}
COUNT_UNITS = {"dimensionless": 1.0, "dozen": 12.0, "baker's dozen": 13.0, "gross": 144.0, "score": 20.0}
TEMPERATURE_UNITS = {"degree celsius", "degree fahrenheit", "kelvin", "degree rankine"}
TIME_WORDS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
              "month", "months", "quarter", "quarters", "year", "years", "decade", "decades"}
# Words after a number that are grammar, not the thing counted ("20 is", "3 or").
FUNCTION_WORDS = {
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "for", "by", "is", "are", "was", "were", "be",
    "with", "from", "as", "than", "that", "this", "it", "its", "per", "plus", "minus", "times", "equals",
    "over", "into", "if", "but", "so", "not", "no", "about", "between", "after", "before", "each", "every",
    "apiece", "percent", "point", "and/or", "would", "will", "can", "could", "has", "have", "had", "do", "does",
}


def currency_readings(name: str, value: float, iso: str = "") -> tuple[Reading, ...]:
    if iso:
        return (Reading(value, None, iso.upper()),)
    norm = name.strip().lower()
    options = CURRENCIES.get(norm) or CURRENCIES.get(norm.rstrip("s")) or ((norm.upper(), 1.0),)
    return tuple(Reading(value * f, None, code) for code, f in options)


def counted_noun_after(text: str, end: int) -> str | None:
    """The lower-case word right after a number, if it could be what is counted ("300 cars")."""
    m = re.match(r"[ \t]+([a-z][a-z'-]*)", text[end:])
    if m is None or m.group(1) in FUNCTION_WORDS:
        return None
    return m.group(1)


def _count_scope(text: str, start: int, end: int) -> str:
    """Why a bare number is out of scope for news figures, or "" when it counts something."""
    if text[:start].rstrip()[-1:] in ("$", "€", "£", "¥"):
        return "number inside a money amount"
    noun = counted_noun_after(text, end)
    if noun is None:
        return "bare number (no counted noun)"
    if noun in TIME_WORDS:
        return "number inside a duration"
    return ""


_ISO_DURATION = re.compile(
    r"^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$")
_ISO_DURATION_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def iso_duration_seconds(timex: str) -> float | None:
    """Seconds in an ISO 8601 duration ("P3M", "PT2H"), with the same month and year lengths as for the tools."""
    m = _ISO_DURATION.match(timex)
    if m is None or not any(m.groups()):
        return None
    return sum(float(g) * _BASE_UNITS[u][0][1] for g, u in zip(m.groups(), _ISO_DURATION_UNITS) if g)


def time_unit_seconds(name: str) -> float | None:
    """Seconds in a time unit name ("years", "gigayear"), or None when it is no time unit."""
    for dim, factor in unit_factors(name):
        if dim == "s":
            return factor
    return None


# ---------------------------------------------------------------- dates

def _period_names(start: date, end: date) -> list[str]:
    """factcheck's names for a calendar period [start, end): a year, half, quarter or month."""
    if start.day != 1 or end.day != 1:
        return [f"{start.isoformat()}"] if end - start == timedelta(days=1) else []
    months = (end.year - start.year) * 12 + end.month - start.month
    if months == 12 and start.month == 1:
        return [f"{start.year:04d}"]
    if months == 6 and start.month in (1, 7):
        return [f"{start.year:04d}-H{1 if start.month == 1 else 2}"]
    if months == 3 and start.month in (1, 4, 7, 10):
        return [f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"]
    if months == 1:
        return [f"{start.year:04d}-{start.month:02d}"]
    return []


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def date_readings(resolution: Mapping[str, Any]) -> tuple[Reading, ...]:
    """The ISO texts a Recognizers-Text date or date range may be given as; "<...>" when none is expressible."""
    names: list[str] = []
    timexes: list[str] = []
    for value in resolution.get("values", []):
        timex = str(value.get("timex", ""))
        timexes.append(timex)
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", timex):
            names.append(timex)
        elif re.fullmatch(r"XXXX-\d{2}(-\d{2})?", timex):
            names.append("-" + timex[4:])  # "--12-25", as factcheck writes a date with no year
            # The peer resolves the missing year both ways (last and next); a tool may pick either.
            years = {str(value.get(k, ""))[:4] for k in ("value", "start", "end")}
            names += [f"{y}{timex[4:]}" for y in sorted(years) if re.fullmatch(r"\d{4}", y)]
        if value.get("type") == "date" and value.get("value"):
            names.append(str(value["value"]))
        start, end = _iso_date(str(value.get("start", ""))), _iso_date(str(value.get("end", "")))
        range_match = re.fullmatch(r"\((\d{4}-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}),\w+\)", timex)
        if range_match:
            start, end = _iso_date(range_match.group(1)), _iso_date(range_match.group(2))
        if start and end:
            names.extend(_period_names(start, end))
    names = list(dict.fromkeys(names))
    if not names:
        return (Reading(unit=f"<{'|'.join(timexes)}>"),)
    return tuple(Reading(unit=n) for n in names)


def duration_readings(resolution: Mapping[str, Any]) -> tuple[Reading, ...]:
    readings: list[Reading] = []
    for value in resolution.get("values", []):
        seconds = iso_duration_seconds(str(value.get("timex", "")))
        if seconds is None and value.get("value") not in (None, ""):
            seconds = float(value["value"])
        if seconds is not None:
            readings.append(Reading(seconds, None, "s"))
    return tuple(dict.fromkeys(readings)) or (Reading(unit="<unresolved duration>"),)


# ---------------------------------------------------------------- Recognizers-Text

def _number(text: Any) -> float | None:
    try:
        return float(str(text).replace(",", "").rstrip("%"))
    except ValueError:
        return None


def _numberrange_reading(value: str) -> Reading | None:
    m = re.fullmatch(r"[\[(]\s*([^,]*)\s*,\s*([^\])]*)\s*[\])]", value.strip())
    if m is None:
        return None
    low, high = _number(m.group(1)) if m.group(1) else None, _number(m.group(2)) if m.group(2) else None
    if low is None:  # "less than 20": factcheck keeps the bound as the value, qualified
        return Reading(high) if high is not None else None
    if high is None or high == low:
        return Reading(low)
    return Reading(low, high)


def rt_expected(suite: str, text: str, result: Mapping[str, Any]) -> Expected:
    """Map one Recognizers-Text result to a scored kind and normalized readings, or mark it out of scope."""
    start = int(result["Start"])
    end = start + int(result["Length"]) if "Length" in result else int(result["End"]) + 1
    span = text[start:end]
    resolution = result.get("Resolution") or {}
    type_name = str(result.get("TypeName") or result.get("Typename") or result.get("Type") or "")
    if suite in OUT_OF_SCOPE_SUITES:
        return Expected(start, end, span, type_name, out_of_scope=OUT_OF_SCOPE_SUITES[suite])
    if suite == "DateExtractor":
        return Expected(start, end, span, DATE)
    if suite == "DateTimeModel":
        sub = type_name.rpartition(".")[2]
        if sub in ("date", "daterange"):
            return Expected(start, end, span, DATE, date_readings(resolution))
        if sub == "duration":
            return Expected(start, end, span, DURATION, duration_readings(resolution))
        reason = "recurring time (set)" if sub == "set" else "time of day" if sub else "untyped result"
        return Expected(start, end, span, type_name, out_of_scope=reason)
    raw = resolution.get("value")
    if suite == "NumberRangeModel":
        reading = _numberrange_reading(str(raw))
        if reading is None:
            return Expected(start, end, span, COUNT, out_of_scope="range with no bound")
        return Expected(start, end, span, COUNT, (reading,), out_of_scope=_count_scope(text, start, end))
    number = _number(raw) if raw is not None else None
    if number is None:
        return Expected(start, end, span, type_name, out_of_scope="no number (a unit word alone)")
    if suite == "NumberModel":
        return Expected(start, end, span, COUNT, (Reading(number),), out_of_scope=_count_scope(text, start, end))
    if suite == "PercentModel":
        return Expected(start, end, span, PERCENT, (Reading(number),))
    if suite == "CurrencyModel":
        readings = currency_readings(str(resolution.get("unit", "")), number, str(resolution.get("isoCurrency", "")))
        return Expected(start, end, span, MONEY, readings)
    if suite == "DimensionModel":
        unit = str(resolution.get("unit", ""))
        if str(resolution.get("subtype", "")).lower() == "weight" and unit.lower() == "pound":
            unit = "pound-mass"
        readings = tuple(Reading(number * f, None, d) for d, f in unit_factors(unit))
        return Expected(start, end, span, QUANTITY, readings)
    return Expected(start, end, span, type_name, out_of_scope=f"unknown suite {suite}")


def rt_cases(suite: str, data: Sequence[Mapping[str, Any]]) -> list[Case]:
    """Cases of one Recognizers-Text file; NotSupported / NotSupportedByDesign cases are the stretch tier."""
    cases = []
    for i, item in enumerate(data):
        text = str(item["Input"])
        expected = tuple(rt_expected(suite, text, r) for r in item.get("Results", []))
        tier = STRETCH if item.get("NotSupported") or item.get("NotSupportedByDesign") else CORE
        context = item.get("Context") or {}
        reference = _iso_date(str(context.get("ReferenceDateTime", "")))
        cases.append(Case(suite, i, text, expected, RT_SUITE_KINDS.get(suite, frozenset()), tier, reference))
    return cases


# ---------------------------------------------------------------- quantulum3

def q3_kind_readings(name: str, value: float, entity: str = "", currency_code: str = "",
                     uncertainty: float | None = None) -> tuple[str, tuple[Reading, ...]]:
    """A quantulum3 unit name (and entity, when the tool gives one) as a kind and readings.

    Kinds no tool is scored on come back as the entity name (e.g. "temperature").
    """
    norm = name.strip().lower()
    head = norm.split(" per ")[0]
    if norm in TEMPERATURE_UNITS or entity == "temperature":
        return "temperature", ()
    if norm == "percentage":
        kind, readings = PERCENT, [Reading(value)]
    elif norm in COUNT_UNITS:
        kind, readings = COUNT, [Reading(value * COUNT_UNITS[norm])]
    elif head in CURRENCIES or entity == "currency":
        kind = MONEY
        readings = list(currency_readings(head, value, currency_code if head not in CURRENCIES else ""))
    elif (seconds := time_unit_seconds(norm)) is not None:
        kind, readings = DURATION, [Reading(value * seconds, None, "s")]
    else:
        kind, readings = QUANTITY, [Reading(value * f, None, d) for d, f in unit_factors(norm)]
    if uncertainty:  # "44 mg to 50 mg" is 47 +- 3: also accept it as the range
        width = uncertainty / value if value else 0.0
        readings += [Reading(r.number * (1 - width), r.number * (1 + width), r.unit)
                     for r in readings if r.number is not None]
    return kind, tuple(readings)


def locate(text: str, surface: str, cursor: int) -> int:
    """Offset of a surface at or after `cursor` (then anywhere, then ignoring case); -1 if absent."""
    for haystack, needle, frm in ((text, surface, cursor), (text, surface, 0),
                                  (text.lower(), surface.lower(), cursor), (text.lower(), surface.lower(), 0)):
        at = haystack.find(needle, frm)
        if at != -1:
            return at
    return -1


def q3_cases(suite: str, data: Sequence[Mapping[str, Any]]) -> list[Case]:
    """Cases of a quantulum3 test file: results have no offsets, so each surface is found in the text."""
    cases = []
    for i, item in enumerate(data):
        text = str(item["req"])
        expected: list[Expected] = []
        cursor = 0
        for res in item.get("res", []):
            surface = str(res["surface"])
            at = locate(text, surface, cursor)
            value = float(res["value"])
            kind, readings = q3_kind_readings(str(res["unit"]), value, uncertainty=res.get("uncertainty"))
            if at == -1:
                expected.append(Expected(0, 0, surface, kind, readings, out_of_scope="surface not in the text"))
                continue
            end = at + len(surface)
            cursor = end
            reason = ""
            if kind == "temperature":
                reason = "temperature"
            elif str(res["unit"]) == "dimensionless":
                reason = _count_scope(text, at, end)
            expected.append(Expected(at, end, text[at:end], kind, readings, out_of_scope=reason))
        cases.append(Case(suite, i, text, tuple(expected), Q3_KINDS))
    return cases


# ---------------------------------------------------------------- scoring

def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def reading_matches(expected: Reading, got: Reading) -> bool:
    if expected.unit != got.unit:
        return False
    if expected.number is None or got.number is None:
        return expected.number is None and got.number is None
    if not _close(expected.number, got.number):
        return False
    if expected.high is None or got.high is None:
        return expected.high is None and got.high is None
    return _close(expected.high, got.high)


def values_match(expected: Expected, got: Prediction) -> bool:
    """A span-only expectation matches any value; otherwise some pair of readings must agree."""
    if not expected.readings:
        return True
    return any(reading_matches(e, g) for e in expected.readings for g in got.readings)


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


@dataclass(frozen=True)
class Outcome:
    """How one tool's predictions on one case compare with what the case expects."""

    matched: tuple[tuple[Expected, Prediction], ...]
    missed: tuple[Expected, ...]
    false: tuple[Prediction, ...]


def match(case: Case, predictions: Iterable[Prediction], check_value: bool = True) -> Outcome:
    """Pair expectations with predictions of the same kind by character overlap, largest overlap first.

    Predictions of kinds the suite does not annotate, or overlapping an out-of-scope
    expectation, are not judged; every other unpaired prediction is a false positive.
    """
    scored = [e for e in case.expected if not e.out_of_scope]
    judged = [p for p in predictions if p.kind in case.kinds]
    pairs = sorted(
        ((overlap(e.start, e.end, p.start, p.end), i, j) for i, e in enumerate(scored) for j, p in enumerate(judged)
         if e.kind == p.kind and overlap(e.start, e.end, p.start, p.end) > 0
         and (not check_value or values_match(e, p))),
        key=lambda t: (-t[0], t[1], t[2]))
    used_e: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_e and j not in used_p:
            used_e.add(i)
            used_p.add(j)
            matched.append((scored[i], judged[j]))
    ignored = [e for e in case.expected if e.out_of_scope]
    false = tuple(p for j, p in enumerate(judged) if j not in used_p
                  and not any(overlap(e.start, e.end, p.start, p.end) for e in ignored))
    missed = tuple(e for i, e in enumerate(scored) if i not in used_e)
    return Outcome(tuple(matched), missed, false)


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall, written so it is defined whenever either is."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None


def counts_by_kind(outcome: Outcome) -> dict[str, Counts]:
    """True positives and misses count under the expected kind, false positives under the predicted one."""
    tally: dict[str, Counts] = {}
    for e, _ in outcome.matched:
        tally[e.kind] = tally.get(e.kind, Counts()) + Counts(tp=1)
    for e in outcome.missed:
        tally[e.kind] = tally.get(e.kind, Counts()) + Counts(fn=1)
    for p in outcome.false:
        tally[p.kind] = tally.get(p.kind, Counts()) + Counts(fp=1)
    return tally
