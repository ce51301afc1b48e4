"""Read numbers as English news writes them: "1.25", "100,000", "1.25B", "forty billion", "a cool billion"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import vocab

_DIGITS = re.compile(r"^(?P<num>(\d{1,3}(,\d{3})+|\d+)(\.\d+)?)(?P<suffix>[a-z%]*)$")


@dataclass(frozen=True)
class Number:
    value: Decimal
    precision: Decimal  # place value of the last stated digit
    spelled: bool = False  # written in words
    approximate: bool = False  # "a billion": an order of magnitude, not a count


def parse_number(words: list[str]) -> Number | None:
    """Parse one number from its tokens (lower case), or None if they are not a number."""
    words = [w for w in words if w not in ("", "-", "–")]
    if not words:
        return None
    match = _DIGITS.match(words[0])
    if match:
        return _digits(match.group("num"), match.group("suffix"), words[1:])
    return _spelled(words)


def _digits(num: str, suffix: str, rest: list[str]) -> Number | None:
    value = Decimal(num.replace(",", ""))
    decimals = len(num.split(".")[1]) if "." in num else 0
    precision = Decimal(1).scaleb(-decimals)
    scale = Decimal(1)
    if suffix:
        if suffix not in vocab.SCALES:
            return None
        scale = vocab.SCALES[suffix]
    for word in rest:
        if word in vocab.SCALES:
            scale *= vocab.SCALES[word]
        elif word == "hundred":  # "4 hundred people"
            scale *= 100
        elif re.fullmatch(r"\d{3}", word) and not decimals and value < 1000:
            value = value * 1000 + Decimal(word)  # "700 000": thousands grouped by a space
        else:
            return None
    return Number(value * scale, precision * scale)


def _spelled(words: list[str]) -> Number | None:
    if not words:
        return None  # "half" alone
    if words[0] == "half":  # "half a billion"
        rest = _spelled(words[1:])
        return Number(rest.value / 2, rest.precision / 2, spelled=True, approximate=True) if rest else None
    if len(words) >= 4 and words[1] in vocab.FRACTIONS and words[2] == "of" and words[0] in ("a", "one", "two", "three"):
        # "a quarter of a million", "three quarters of a million": a fraction of a scale
        rest = _spelled(words[3:])
        share = Decimal(1 if words[0] in ("a", "one") else vocab.NUMBER_WORDS[words[0]]) / vocab.FRACTIONS[words[1]]
        return Number(rest.value * share, rest.precision * share, spelled=True, approximate=True) if rest else None
    if len(words) >= 5 and words[1:4] == ["and", "a", "half"] and words[4] in vocab.SCALE_WORDS:
        # "one and a half million", "two and a half billion"
        whole = Decimal(1) if words[0] in ("a", "one") else vocab.NUMBER_WORDS.get(words[0])
        rest = _spelled(["one", *words[4:]])
        if whole is None or rest is None:
            return None
        return Number((whole + Decimal("0.5")) * rest.value, rest.precision / 2, spelled=True, approximate=True)
    approximate = False
    if words[0] in ("a", "an"):
        approximate = True
        words = [w for w in words[1:] if w not in vocab.HYPE_ADJECTIVES]
        if not words or words[0] not in (*vocab.SCALE_WORDS, "hundred", "dozen"):
            return None
        words = ["one", *words]
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    smallest_scale = Decimal(1)
    for word in words:
        if word == "and":
            continue
        if word == "dozen":  # "two dozen" is 24, "a dozen" 12: a multiplier, as "hundred" is
            current = (current or Decimal(1)) * 12
            seen = True
        elif word in vocab.NUMBER_WORDS:
            current += vocab.NUMBER_WORDS[word]
            seen = True
        elif word in ("hundred", "hundreds"):  # "five hundreds": as written by some
            current = (current or Decimal(1)) * 100
            seen = True
        elif word in vocab.SCALES and word in vocab.SCALE_WORDS:
            scale = vocab.SCALES[word]
            if current == 0 and total == 0:
                current = Decimal(1)
            if total and total < scale:  # "one billion two hundred million" stays additive
                total = total * scale + current * scale
            else:
                total += current * scale
            current = Decimal(0)
            smallest_scale = scale
            seen = True
        else:
            return None
    if not seen:
        return None
    value = total + current
    return Number(value, smallest_scale, spelled=True, approximate=approximate)


def format_number(value: Decimal) -> str:
    """Human form: 1250000000 -> '1.25 billion', 300 -> '300', 100000 -> '100,000'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for word, scale in (("trillion", Decimal(10) ** 12), ("billion", Decimal(10) ** 9), ("million", Decimal(10) ** 6)):
        if value >= scale:
            return f"{sign}{_plain(value / scale)} {word}"
    return sign + (f"{value:,.0f}" if value == value.to_integral_value() else _plain(value))


def _plain(value: Decimal) -> str:
    # A computed quotient such as 7.0222... is shown to four significant digits; a stated figure
    # ("1,234.56", "0.000044") has few decimals and is shown as written.
    exponent = value.normalize().as_tuple().exponent
    if value and isinstance(exponent, int) and exponent < -6:
        value = value.quantize(Decimal(1).scaleb(min(0, value.adjusted() - 3)))
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
