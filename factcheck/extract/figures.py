"""Turn the figure ruler's spans into normalized Mentions, or Dropped with a reason."""

from __future__ import annotations

import calendar
import bisect
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from ..model import Dropped, Kind, Mention, Period, Qualifier, Source
from ..lexicon import Lexicon
from . import context, patterns, vocab
from .frame import FRAME_REACH, read_frame
from .numbers import Number, parse_number


# Above this magnitude a "figure" is a string of digits, not a quantity any article states
# (world GDP is about 1e14 dollars); kept out so that arithmetic stays within Decimal's precision.
MAX_MAGNITUDE = Decimal("1e21")

QUALIFIER_WORDS = {w for phrase, _ in vocab.QUALIFIER_PHRASES for w in phrase.split()} | {"only", "just", "all",
                                                                                        "between"}


@dataclass(frozen=True)
class Reading:
    """What a span says before context is added."""

    kind: Kind
    value: Decimal | str | None
    unit: str
    high: Decimal | None = None
    precision: Decimal | None = None
    qualifier: Qualifier = Qualifier.EXACT
    subject: str = ""
    end: int = -1  # token end if the reading extends the span (a counted noun)
    period: Period = Period.NONE  # a rate inside the reading ("46 daily flights")


NO_UNIT = "a number with no unit or counted noun"
RANK_UNIT = "rank"  # the unit of "the fourth largest"
GLUED_CAPITAL_G = re.compile(r"^\d+\s?G$")  # "5G", "4G": a network, not grams
_QUALIFIERS = "|".join(re.escape(p) for p, _ in sorted(vocab.QUALIFIER_PHRASES, key=lambda q: -len(q[0])))
TOTAL_OF = re.compile(r"\btotal of\s+$")
# "a population of about 429,000": the word before "of" names what the bare number measures.
NAMED_BEFORE = re.compile(rf"\b([a-z]+) of (?:(?:{_QUALIFIERS}) )?$")
SCALE_AFTER = re.compile(r"\s+on\s+the\s+([a-z]+)\s+scale\b")


def read_figures(doc: Doc, source: Source, spans_key: str = "figures",
                 lexicon: Lexicon | None = None) -> tuple[list[Mention], list[Dropped]]:
    """Every figure span of a parsed article read into a mention, or listed as dropped with its reason.

    A span is read on its own first (`read_span`); the lexicon then settles what the span alone cannot:
    a bare number a clause's measure counts, a reading on a named scale ("magnitude 5.1"), and cents
    written like degrees ("18c" beside a price).
    """
    mentions: list[Mention] = []
    dropped: list[Dropped] = []
    for span in _change_ends(doc, doc.spans[spans_key]):
        reading = read_span(span, source)
        if reading == NO_UNIT and lexicon is not None:
            reading = _count_of_measure(doc, span, source.text, lexicon) or reading
        if lexicon is not None and (isinstance(reading, str) or reading.kind == Kind.COUNT):
            reading = _on_a_scale(doc, span, lexicon) or reading
        if isinstance(reading, Reading) and reading.unit == "°C" and span.text[-1:] == "c":
            reading = _cents(doc, span, reading, source)
        if isinstance(reading, Reading) and _too_large(reading):
            reading = "too large to be a figure (more than 21 digits)"
        if isinstance(reading, str):
            dropped.append(Dropped(source.id, span.start_char, span.end_char, span.text, reading))
            continue
        mentions.append(_mention(doc, span, reading, source))
    # A part of a figure read whole ("a week" in "$5,000 a week") is no dropped figure of its own.
    covers = sorted((m.start, m.end) for m in mentions)
    dropped = [d for d in dropped if not _inside(d.start, d.end, covers)]
    return mentions, dropped


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) lies within one of the sorted `spans`."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return any(s <= start and end <= e for s, e in spans[max(0, i - 3):i + 1])


def _count_of_measure(doc: Doc, span: Span, text: str, lexicon: Lexicon) -> Reading | None:
    """A bare number is a count when its clause names a counted measure.

    Two readings: a running tally named in the clause ("the death toll rose to 436"), and any
    measure with a unit named right before the number ("a population of about 429,000",
    "a magnitude of 6.1").
    """
    sent_start, sent_end = context.sentence_bounds(doc, span.start, span.end)
    base = doc[sent_start].idx
    sentence = text[base:doc[sent_end - 1].idx + len(doc[sent_end - 1].text)]  # not doc.text: rebuilt per call
    lo = max(0, span.start_char - base - FRAME_REACH)  # a constant cost per figure, as in with_frame
    clause = sentence[lo:span.end_char - base + FRAME_REACH]
    start, end = span.start_char - base - lo, span.end_char - base - lo
    if TOTAL_OF.search(clause[max(0, start - 30):start].lower()):
        parsed_total = _range_numbers([t.lower_ for t in span])
        if parsed_total is not None:  # "a total of 200 million": a count whose noun is elsewhere
            return Reading(Kind.COUNT, parsed_total[0].value, "", precision=parsed_total[0].precision)
    named = NAMED_BEFORE.search(clause[max(0, start - 60):start].lower()) \
        or SCALE_AFTER.match(clause[end:end + 40].lower())  # "measured 7.9 on the Richter scale"
    measure = lexicon.measure_named(named.group(1)) if named else None
    if measure is None or Kind.COUNT not in measure.kinds:
        frame = read_frame(clause, start, end, Kind.COUNT, lexicon)
        measure = lexicon.measure(frame.measure.removesuffix(" change"))
        if measure is None or Kind.COUNT not in measure.kinds or not (measure.varies or measure.unit) \
                or measure.decimals:
            return None  # only tallies and measures that say what they count ("seats": seat), not ages or scales
    parsed = _range_numbers([t.lower_ for t in span])
    if parsed is None:
        return None
    low, high = parsed
    if (low.value != low.value.to_integral_value() and not measure.decimals) \
            or (1900 <= low.value <= 2100 and high is None):
        return None  # "6.5" deaths, a year: not a count
    return Reading(Kind.COUNT, low.value, measure.unit, high=high.value if high else None, precision=low.precision,
                   qualifier=Qualifier.RANGE if high else Qualifier.EXACT)


def _change_ends(doc: Doc, spans: Iterable[Span]) -> Iterable[Span]:
    """"from $36,040 to $34,935", "from 4.1% to 4.2%": both ends are figures (a change), not one range."""
    for span in spans:
        joint = next((t.i for t in span if t.lower_ == "to"), -1)
        bare_left = joint >= 0 and all(t.like_num for t in doc[span.start:joint])
        shared_tail = bare_left and not all(t.like_num for t in doc[joint + 1:span.end])
        from_to = joint >= 0 and span.start > 0 and doc[span.start - 1].lower_ == "from"
        if (from_to or _descending(doc, span, joint)) and span.start < joint < span.end - 1 and not shared_tail:
            # "from 10 to 15 billion" is one range; "66.4% to 33.6%" (a split, the larger first) is two figures
            yield Span(doc, span.start, joint, label=span.label_)
            yield Span(doc, joint + 1, span.end, label=span.label_)
        else:
            yield span


def _descending(doc: Doc, span: Span, joint: int) -> bool:
    """Whether a span "X to Y" gives the larger number first: a split or a score, never a range."""
    if joint < 0:
        return False
    left = parse_number([t.lower_.rstrip("%") for t in doc[span.start:joint] if t.text != "%"])
    right = parse_number([t.lower_.rstrip("%") for t in doc[joint + 1:span.end] if t.text != "%"])
    return left is not None and right is not None and left.value > right.value


def _cents(doc: Doc, span: Span, reading: Reading, source: Source) -> Reading:
    """"18c" beside a price ("shares closed at $1.20, up 18c") is cents, not degrees Celsius."""
    sent_start, sent_end = context.sentence_bounds(doc, span.start, span.end)
    sentence = doc[sent_start:sent_end]
    if not any(t.text in CURRENCY_MARKS or t.lower_ in vocab.SUBUNITS for t in sentence):
        return reading
    assert isinstance(reading.value, Decimal)
    cent = Decimal("0.01")
    return Reading(Kind.MONEY, reading.value * cent, local_dollar(source.url) or "USD",
                   precision=(reading.precision or Decimal(1)) * cent, qualifier=reading.qualifier)


CURRENCY_MARKS = {"$", "€", "£", "¥", "₹"}


def _on_a_scale(doc: Doc, span: Span, lexicon: Lexicon) -> Reading | None:
    """"a magnitude 5.1 quake", "Magnitude 7.7": a reading on the scale named right before it, not 5.1 quakes."""
    i = span.start - 1
    if i >= 0 and doc[i].text in ("-", "–"):
        i -= 1
    scale = lexicon.measure_named(doc[i].lower_) if i >= 0 else None
    if scale is None or not scale.decimals or not span[0].text[:1].isdigit():
        return None
    parsed = _range_numbers([span[0].lower_])
    if parsed is None:
        return None
    low, _ = parsed
    return Reading(Kind.COUNT, low.value, scale.unit, precision=low.precision, qualifier=Qualifier.EXACT)


def _too_large(reading: Reading) -> bool:
    return any(isinstance(v, Decimal) and v.is_finite() and abs(v) >= MAX_MAGNITUDE
               for v in (reading.value, reading.high))


def _mention(doc: Doc, span: Span, reading: Reading, source: Source) -> Mention:
    sent_start, sent_end = context.sentence_bounds(doc, span.start, span.end)
    start, end = span.start, reading.end if reading.end > 0 else span.end
    qualifier = reading.qualifier
    if qualifier in (Qualifier.EXACT, Qualifier.ROUNDED):
        stated, _ = context.qualifier_before(doc, start, sent_start)
        qualifier = stated if stated != Qualifier.EXACT else qualifier  # "nearly half a billion" is nearly
    if reading.kind == Kind.DURATION and qualifier == Qualifier.OVER and start > 0 \
            and doc[start - 1].lower_ == "over":
        qualifier = Qualifier.EXACT  # "over five years" means during them
    period = reading.period
    unit = reading.unit
    value = reading.value
    if start > 0 and doc[start - 1].lower_ in ("minus", "negative") and isinstance(value, Decimal) \
            and reading.kind in (Kind.PERCENT, Kind.QUANTITY):
        value = -value  # "minus 1.7 per cent", "minus 233 Celsius"
    if reading.kind in (Kind.MONEY, Kind.ENERGY, Kind.COUNT, Kind.QUANTITY) and period == Period.NONE:
        period, end = context.period_after(doc, end, sent_end)
        if period == Period.NONE:
            period = context.period_before(doc, start, sent_start)
    if reading.kind == Kind.MONEY and period == Period.NONE:
        per, end = context.denominator_after(doc, end, sent_end)
        if per:
            if unit == local_dollar(source.url) and _bare_dollar([t.lower_ for t in doc[start:end]]):
                unit = "USD"  # a commodity's price per barrel or ounce is quoted in US dollars everywhere
            unit = f"{unit}/{per}"  # "$58.24 a barrel": a price per unit, never a plain amount
    subject = reading.subject
    if reading.kind == Kind.MONEY and not subject:
        subject = context.money_subject(doc, start, end, sent_start, sent_end)
    elif reading.kind == Kind.DATE and not subject:
        subject = context.date_role(doc, start, sent_start)
    elif reading.kind in (Kind.DURATION, Kind.QUANTITY) and not subject:
        subject = context.noun_after(doc, end, sent_end)  # "90 days' notice", "a 1.8-kilometre crossing"
    elif reading.kind == Kind.PERCENT and not subject:
        subject = context.percent_subject(doc, start, end, sent_start, sent_end)  # "the Bank will hold 49%"
    mood = context.modality(doc, start, end, sent_start, sent_end)
    # Slice the source text: Doc.text and Span.text rebuild strings token by token.
    start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    sentence_text, sentence_offset = sentence_of(source.text, doc, sent_start, sent_end)
    return Mention(
        source_id=source.id,
        start=start_char,
        end=end_char,
        text=source.text[start_char:end_char],
        sentence=sentence_text,
        sentence_start=sentence_offset,
        kind=reading.kind,
        value=value,
        unit=unit,
        period=period,
        qualifier=qualifier,
        modality=mood,
        high=reading.high,
        subject=subject,
        precision=reading.precision,
        in_headline=in_headline(source, start_char),
    )


def sentence_of(text: str, doc: Doc, sent_start: int, sent_end: int) -> tuple[str, int]:
    """The stripped sentence text for a token range, and its character offset."""
    last = doc[sent_end - 1]
    raw = text[doc[sent_start].idx:last.idx + len(last.text)]
    stripped = raw.lstrip()
    return stripped.rstrip(), doc[sent_start].idx + len(raw) - len(stripped)


def in_headline(source: Source, offset: int) -> bool:
    """Whether `offset` lies in the article's headline: the title line, or a short first line."""
    line_start = source.line_starts[source.line_of(offset) - source.body_line]
    line_end = source.text.find("\n", line_start)
    line = source.text[line_start:line_end if line_end != -1 else len(source.text)].strip()
    if source.title and line == source.title.strip():
        return True
    return offset < source.headline_end and len(line) < 200


def read_span(span: Span, source: Source) -> Reading | str:
    """The normalized reading of one span, or the reason it is not a figure."""
    label = span.label_
    words = [t.lower_ for t in span]
    if label == patterns.MONEY:
        reading = _money(span, words)
        dollar = local_dollar(source.url)
        if isinstance(reading, Reading) and dollar and reading.unit == "USD" and _bare_dollar(words):
            reading = replace(reading, unit=dollar)  # "$5m" in the NZ Herald is New Zealand dollars
        return reading
    if label == patterns.MONEY_VAGUE:
        return _money_vague(span, words)
    if label == patterns.PERCENT:
        return _percent(words)
    if label == patterns.UNIT:
        if GLUED_CAPITAL_G.match(span.text):
            return "a name ('5G'), not grams"
        return _unit(words)
    if label == patterns.DURATION:
        return _duration(words, span)
    if label == patterns.DATE:
        return _date(span, words, source.published)
    if label == patterns.RANK:
        ordinal = words[0]
        value = vocab.ORDINALS.get(ordinal) or Decimal(re.sub(r"\D", "", ordinal))
        return Reading(Kind.COUNT, value, RANK_UNIT, precision=Decimal(1))  # "the fourth largest": rank 4
    if label == patterns.RELATIVE:
        if words[-1] in vocab.WEEKDAYS:
            return _weekday(span, words, source.published)
        return _relative(words, source.published)
    return _count(span, words)


def local_dollar(url: str | None) -> str:
    """The dollar a bare "$" means at this outlet, by its country's web domain ("nzherald.co.nz": NZD)."""
    if not url:
        return ""
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower().rstrip(".")
    return vocab.LOCAL_DOLLARS.get(host.rsplit(".", 1)[-1], "")


def _bare_dollar(words: list[str]) -> bool:
    """A plain "$", with no country mark ("US$", "A$") or currency word ("dollars" may be the local ones too)."""
    return "$" in words and not any(w in vocab.CURRENCY_PREFIXES and w != "$" for w in words) and "us" not in words


def _split_range(words: list[str]) -> tuple[list[str], list[str]] | None:
    """Split "10-15 billion", "10 to 15", "between 10 and 15"; not "twenty-one" or "one hundred and five"."""
    for joint in ("-", "–", "to", "and"):
        if joint in words[1:-1]:
            k = words.index(joint, 1)
            if joint in ("-", "–") and not (words[k - 1][:1].isdigit() and words[k + 1][:1].isdigit()):
                continue
            if joint == "and" and words[0] != "between":
                continue
            left, right = words[:k], words[k + 1:]
            if left and left[0] == "between":
                left = left[1:]
            return left, right
    return None


def _range_numbers(words: list[str]) -> tuple[Number, Number | None] | None:
    """One number, or two for a range; the scale of the right side carries to the left ("10-15 billion")."""
    if words[:2] in (["at", "most"], ["at", "least"]) and "and" in words:
        # "at most 100 and at least 20": bounds on both sides are a range, whichever comes first
        k = words.index("and")
        ends = [parse_number([w for w in side if w not in ("at", "most", "least")]) for side in (words[:k],
                                                                                              words[k + 1:])]
        first, second = ends
        if first and second and first.value != second.value:
            return (first, second) if first.value < second.value else (second, first)
    split = _split_range(words)
    if split:
        left, right = split
        high = parse_number(right)
        low = parse_number(left)
        if high and low and high.value > low.value * 10 and len(left) == 1:
            low = parse_number(left + right[1:]) or low
        if low and high and high.value > low.value:
            return low, high
        if low and high and words[0] == "between" and low.value > high.value:
            return high, low  # "between $6.50 and $5.50": a range, written high to low
    number = parse_number(words)
    return (number, None) if number else None


def _money(span: Span, words: list[str]) -> Reading | str:
    currency = ""
    amount_words: list[str] = []
    for w in words:
        if w == "us" and currency == "USD":
            continue  # "$US55m"
        if w in vocab.CURRENCY_PREFIXES and not currency:
            currency = vocab.CURRENCY_PREFIXES[w]
        elif w in vocab.CURRENCY_ADJECTIVES and not currency:
            currency = vocab.CURRENCY_ADJECTIVES[w]  # "Indian rupees", "Swiss francs": the country decides
        elif w in vocab.CURRENCY_WORDS:
            currency = currency or vocab.CURRENCY_WORDS[w]
        elif w in vocab.CURRENCY_PREFIXES:
            continue  # the second "$" of "$10 billion to $15 billion"
        else:
            amount_words.append(w)
    if amount_words and amount_words[-1] in ("usd", "eur", "gbp"):
        amount_words.pop()
    subunit = ""
    if amount_words and amount_words[-1] in vocab.SUBUNITS:
        subunit = amount_words.pop()
    elif len(amount_words) == 1 and amount_words[0].endswith("p") and amount_words[0][:-1].replace(".", "").isdigit():
        subunit, amount_words = "p", [amount_words[0][:-1]]
    parsed = _range_numbers(amount_words)
    if parsed is None:
        return "unreadable amount"
    low, high = parsed
    if words[-1] in ("pounds", "pound") and "sterling" not in words and low.value < 1000:
        # "203 pounds", "seventeen pounds": a weight (a price in pounds is written "£203")
        kind, canonical, factor = vocab.UNITS["lb"]
        return Reading(kind, low.value * factor, canonical, high=high.value * factor if high else None,
                       precision=low.precision * factor, qualifier=Qualifier.RANGE if high else Qualifier.EXACT)
    qualifier = Qualifier.ROUNDED if low.approximate else Qualifier.EXACT
    if high is not None:
        qualifier = Qualifier.RANGE
    if subunit:  # "412p" is 4.12 pounds
        cent = Decimal("0.01")
        return Reading(Kind.MONEY, low.value * cent, vocab.SUBUNITS[subunit],
                       high=high.value * cent if high else None, precision=low.precision * cent, qualifier=qualifier)
    return Reading(Kind.MONEY, low.value, currency or "USD", high=high.value if high else None,
                   precision=low.precision, qualifier=qualifier)


def _money_vague(span: Span, words: list[str]) -> Reading | str:
    doc = span.doc
    if span[-1].lower_ in vocab.PLURAL_SCALES and span.end + 1 < len(doc) and doc[span.end].lower_ == "of" \
            and doc[span.end + 1].lower_ not in vocab.CURRENCY_WORDS:
        # "thousands of homes": a vague count of the noun after "of", with no value to compare
        sent_end = context.sentence_bounds(doc, span.start, span.end)[1]
        noun = context.counted_noun(doc, span.end + 1, sent_end)
        if noun is None:
            return "a vague count, not money"
        return Reading(Kind.COUNT, None, noun[0], qualifier=Qualifier.VAGUE, end=noun[2])
    magnitude = next((vocab.PLURAL_SCALES.get(w) or vocab.SCALES.get(w) for w in words
                      if w in vocab.PLURAL_SCALES or w in vocab.SCALE_WORDS), None)
    if len(words) == 1 and vocab.PLURAL_SCALES.get(words[0], Decimal(10) ** 6) < 10 ** 6:
        # "thousands marched", "dozens died": people; "spend billions" stays money
        return Reading(Kind.COUNT, None, "", qualifier=Qualifier.VAGUE)
    currency = next((vocab.CURRENCY_WORDS[w] for w in words if w in vocab.CURRENCY_WORDS), "USD")
    return Reading(Kind.MONEY, None, currency, qualifier=Qualifier.VAGUE, precision=magnitude)


DECIMAL_COMMA = re.compile(r"^(\d{1,3}),(\d{1,2})$")


def _percent(words: list[str]) -> Reading | str:
    ratio = _ratio(words)
    if ratio is not None:
        return ratio
    core = [w.rstrip("%").removesuffix("pc").removesuffix("percent").removesuffix("per") for w in words
            if w not in ("%", "percent", "pct", "per", "cent", "percentage", "points", "point", "pc", "pp")]
    if len(core) > 1 and core[-1] in ("-", "–") and words[-1] in ("percent", "pct", "cent"):
        core = core[:-1]  # "25-percent", "25-per-cent"
    core = [DECIMAL_COMMA.sub(r"\1.\2", w) for w in core]  # "42,4%" is 42.4%
    sign = Decimal(1)
    if core and core[0][:1] in "+-−" and len(core[0]) > 1:
        sign = Decimal(-1) if core[0][0] in "-−" else sign  # "DAX -1.6%", "Dow +0.2%"
        core = [core[0][1:], *core[1:]]
    parsed = _range_numbers(core)
    if parsed is None:
        return "unreadable percentage"
    low, high = parsed
    unit = "pp" if "points" in words or "point" in words or "pp" in words else "%"
    return Reading(Kind.PERCENT, sign * low.value, unit, high=high.value if high else None, precision=low.precision,
                   qualifier=Qualifier.RANGE if high else Qualifier.EXACT)


def _ratio(words: list[str]) -> Reading | str | None:
    """ "1 in 5" -> 20%, "two-thirds" -> 66.67%; None when the words are an ordinary percentage."""
    words = [w for w in words if w not in ("-", "–", "of")]
    if words and words[-1] in ("point", "percent", "cent") and any(w in vocab.FRACTIONS for w in words):
        # "a quarter of a percentage point", "half a point": a fraction of one point
        numerator = next((w for w in words if w in vocab.NUMBER_WORDS and w != "a"), "one")
        denominator = next(w for w in words if w in vocab.FRACTIONS)
        share = Decimal(vocab.NUMBER_WORDS.get(numerator, 1)) / vocab.FRACTIONS[denominator]
        return Reading(Kind.PERCENT, share.quantize(Decimal("0.01")), "pp" if words[-1] == "point" else "%",
                       precision=Decimal("0.01"))
    if len(words) == 3 and words[1] == "in":
        top, bottom = parse_number(words[:1]), parse_number(words[2:])
        if top is None or bottom is None or not 0 < top.value < bottom.value <= 1000:
            return "not a ratio"
        share = top.value / bottom.value
    elif len(words) == 2 and words[1] in vocab.FRACTIONS:
        top = parse_number(["one"] if words[0] == "a" else words[:1])
        if top is None:
            return "not a fraction"
        share = top.value / vocab.FRACTIONS[words[1]]
    else:
        return None
    return Reading(Kind.PERCENT, (share * 100).quantize(Decimal("0.01")), "%", precision=Decimal("0.01"))


def _unit(words: list[str]) -> Reading | str:
    if len(words) >= 4 and words[-2] == "/":
        words = [*words[:-3], "".join(words[-3:])]  # "b / d", split by the tokenizer: "b/d"
    if len(words) > 2 and words[-2] in ("-", "–") and " ".join(w for w in words[-3:] if w not in "-–") in vocab.UNITS:
        words = [*words[:-3], words[-3], words[-1]]  # "23-kilowatt-hour": the unit is "kilowatt hour"
    words = [w for i, w in enumerate(words) if not (w in ("-", "–") and 0 < i < len(words) - 1
                                                     and words[i + 1] in vocab.UNITS)]  # "five-inch"
    if len(words) >= 3 and words[-2] == "°":
        words = [*words[:-2], "°" + words[-1]]  # "1.01°C", split by the tokenizer
    if len(words) == 1:  # glued: "300MW"
        word = words[0]
        k = len(word.rstrip("abcdefghijklmnopqrstuvwxyz"))
        words = [word[:k], word[k:]]
    sign = Decimal(1)
    if words[0][:1] in "+-−" and len(words[0]) > 1 and words[0][1:2].isdigit():
        sign = Decimal(-1) if words[0][0] in "-−" else sign  # "-1.5 km"
        words = [words[0][1:], *words[1:]]
    unit_word, number_words = words[-1], words[:-1]
    if len(words) >= 4 and " ".join(words[-3:]) in vocab.UNITS:  # "120 miles per hour"
        unit_word, number_words = " ".join(words[-3:]), words[:-3]
    elif len(words) >= 2 and " ".join(words[-2:]) in vocab.UNITS:
        unit_word, number_words = " ".join(words[-2:]), words[:-2]
    if unit_word not in vocab.UNITS:
        return "unknown unit"
    kind, canonical, factor = vocab.UNITS[unit_word]
    parsed = _range_numbers([w for w in number_words if w not in ("-", "–")] or words[:1])
    if parsed is None:
        return "unreadable quantity"
    low, high = parsed
    unit, _, per = canonical.partition("/")
    # "barrel/day" is barrels with a daily rate, as "1.2 million barrels per day" reads
    period = vocab.PERIOD_WORDS.get(per, Period.NONE)
    return Reading(kind, sign * low.value * factor, unit if period != Period.NONE else canonical,
                   high=high.value * factor if high else None, precision=low.precision * factor,
                   qualifier=Qualifier.RANGE if high else Qualifier.EXACT, period=period)


# Bounds after which "a week" is a figure: "less than a week", "nearly a year", "within a month".
ONE_UNIT_BOUNDS = frozenset({"than", "nearly", "almost", "about", "around", "within", "under", "over", "roughly",
                             "just"})


def _duration(words: list[str], span: Span | None = None) -> Reading | str:
    words = [w for w in words if w not in ("'", "’")]
    if span is not None and span.end + 1 < len(span.doc) and span.doc[span.end].text in ("-", "–") \
            and span.doc[span.end + 1].lower_ == "old":
        age = _range_numbers([w for w in words[:-1] if w not in ("-", "–")])
        if age is None:
            return "unreadable age"
        # "a 25-year-old man": an age, read as its years (the frame's measure says age); the span takes "-old".
        return Reading(Kind.DURATION, age[0].value, "year", precision=age[0].precision, qualifier=Qualifier.EXACT,
                       end=span.end + 2)
    unit_word = words[-1]
    if len(words) == 2 and words[0] in ("a", "an"):
        before = span.doc[span.start - 1].lower_ if span is not None and span.start > 0 else ""
        if before not in ONE_UNIT_BOUNDS:
            return "a unit with an article ('twice a week', 'a year ago'): a period, not a figure"
        if unit_word not in vocab.TIME_UNITS:
            return "a unit with an article: not a figure"  # "a decade", "an hour": kept to the calendar units
        unit = vocab.DURATION_UNIT_NAMES[vocab.TIME_UNITS[unit_word]]
        return Reading(Kind.DURATION, Decimal(1), unit, precision=Decimal(1))
    if len(words) == 1 and words[0].count(":") == 2:  # a race time, "2:00:35"
        h, m, sec = (int(x) for x in words[0].split(":"))
        return Reading(Kind.DURATION, Decimal(h * 3600 + m * 60 + sec), "second", precision=Decimal(1))
    if words[1:3] in (["hour", ","], ["hours", ","]) and len(words) >= 5:
        # "2 hours, 1 minute, 39 seconds": one time, in seconds (or minutes when no seconds are given)
        parts = [w for w in words if w not in (",", "and")]
        numbers = [parse_number([w]) for w in parts[0::2]]
        if all(numbers):
            total = sum((n.value * 60 ** (2 - i) for i, n in enumerate(numbers) if n), Decimal(0))
            if len(numbers) == 2:
                return Reading(Kind.DURATION, total / 60, "minute", precision=Decimal(1))
            return Reading(Kind.DURATION, total, "second", precision=Decimal(1))
    smaller = {"hour": "minute", "hours": "minute", "minute": "second", "minutes": "second"}
    if len(words) == 5 and words[2] == "," and words[1] in ("minute", "minutes"):
        words = [*words[:2], "and", *words[3:]]  # "43 minutes, 23 seconds"
    if "and" in words and words[1:2] and words[1] in smaller and unit_word.rstrip("s") == smaller[words[1]]:
        big, small = parse_number(words[:1]), parse_number(words[3:4])  # "7 hours and 27 minutes"
        if big and small:
            return Reading(Kind.DURATION, big.value * 60 + small.value, smaller[words[1]], precision=Decimal(1))
    if len(words) == 5 and words[1:4] == ["and", "a", "half"] and words[0] not in ("a", "one"):
        whole = parse_number(words[:1])  # "three and a half minutes"
        if whole:
            unit = vocab.DURATION_UNIT_NAMES[vocab.TIME_UNITS[unit_word]] if unit_word in vocab.TIME_UNITS \
                else vocab.SHORT_TIME_UNITS[unit_word]
            return Reading(Kind.DURATION, whole.value + Decimal("0.5"), unit, precision=Decimal("0.5"))
    if len(words) == 3 and re.fullmatch(r"[1-9]/[1-9]", words[1]):  # "9 1/2 years"
        whole = parse_number(words[:1])
        top, bottom = (int(x) for x in words[1].split("/"))
        if whole and top < bottom and unit_word in vocab.TIME_UNITS:
            return Reading(Kind.DURATION, whole.value + Decimal(top) / bottom,
                           vocab.DURATION_UNIT_NAMES[vocab.TIME_UNITS[unit_word]], precision=Decimal(1) / bottom)
    if unit_word == "century":  # "a quarter of a century", "half a century"
        share = Decimal(75 if words[0] == "three" else 25) if "quarter" in words[1] else Decimal(50)
        return Reading(Kind.DURATION, share, "year", precision=Decimal(5), qualifier=Qualifier.EXACT)
    if words[-1] == "long":  # "decade-long", "year-long"
        unit_word = words[0]
        number: tuple[Number, Number | None] | None = (Number(Decimal(1), Decimal(1)), None)
    elif words[:4] in (["a", "and", "a", "half"], ["one", "and", "a", "half"]):
        number = (Number(Decimal("1.5"), Decimal("0.5")), None)
    else:
        number = _range_numbers([w for w in words[:-1] if w not in ("-", "–")])
    if number is None:
        return "unreadable duration"
    low, high = number
    if unit_word in vocab.TIME_UNITS:
        unit = vocab.DURATION_UNIT_NAMES[vocab.TIME_UNITS[unit_word]]
    else:
        unit = vocab.SHORT_TIME_UNITS[unit_word]
    value = low.value * (10 if unit_word.startswith("decade") else 1)
    if unit_word in ("min", "minute", "minutes") and value < 60:
        pass
    return Reading(Kind.DURATION, value, unit, high=high.value if high else None, precision=low.precision,
                   qualifier=Qualifier.RANGE if high else Qualifier.EXACT)


def _date(span: Span, words: list[str], published: date | None) -> Reading | str:
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    years = [w for w in words if len(w) == 4 and w.isdigit()]
    months = [vocab.MONTHS[w] for w in words if w in vocab.MONTHS]
    part = next((vocab.PART_OF_PERIOD[w] for w in words if w in vocab.PART_OF_PERIOD), "")
    if len(words) == 1 and "-" in words[0]:  # ISO 2026-05-01
        return Reading(Kind.DATE, words[0], "date", qualifier=Qualifier.EXACT)
    if words[0][:1] in ("q", "h") and len(words[0]) == 2:
        return Reading(Kind.DATE, f"{years[0]}-{words[0].upper()}", "date")
    if not months and years:
        if prev is not None and prev.is_title and not context.is_sentence_start(doc, prev.i) and prev.lower_ not in vocab.DATE_PREPOSITIONS \
                and prev.lower_ not in vocab.MONTHS:
            return "a year used as a name"
        if prev is not None and prev.text in ("#", "No.", "no."):
            return "a number, not a year"
        value = f"{years[0]}" + (f" ({part})" if part else "")
        return Reading(Kind.DATE, value, "date", qualifier=_part_qualifier(part))
    if not months:
        return "not a date"
    month = months[0]
    days = [w for w in words if w[:1].isdigit() and len(w.rstrip("stndrh")) <= 2]
    if not years:
        if not days and not part and (prev is None or prev.lower_ not in vocab.DATE_PREPOSITIONS):
            return "a month name without a date"
        if published is None:
            value = f"--{month:02d}" + (f"-{int(days[0].rstrip('stndrh')):02d}" if days else "")
            return Reading(Kind.DATE, value + (f" ({part})" if part else ""), "date",
                           qualifier=_part_qualifier(part))
        # The occurrence of that month nearest the publication date ("in November", published in September).
        candidates = [published.year - 1, published.year, published.year + 1]
        year = min(candidates, key=lambda y: abs((y * 12 + month) - (published.year * 12 + published.month)))
        years = [str(year)]
    year = int(years[0])
    if days:
        day = int(days[0].rstrip("stndrh"))
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return "impossible date"
        return Reading(Kind.DATE, f"{year:04d}-{month:02d}-{day:02d}", "date")
    value = f"{year:04d}-{month:02d}" + (f" ({part})" if part else "")
    return Reading(Kind.DATE, value, "date", qualifier=_part_qualifier(part))


def _part_qualifier(part: str) -> Qualifier:
    return Qualifier.APPROXIMATELY if part else Qualifier.EXACT


def _weekday(span: Span, words: list[str], published: date | None) -> Reading | str:
    """"On Thursday" in an article of Friday 13 June 2025: 2025-06-12, the latest Thursday up to its date line
    (a week earlier after "last" on the day itself). Without a date line the weekday stays a weekday ("Thursday"),
    compared with another only by its name. A planned event's weekday ("will vote on Thursday") is read back
    too: a week from another article's reading, reconcile takes it for another event."""
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    if len(words) == 1 and prev is not None and prev.is_title and not context.is_sentence_start(doc, prev.i) \
            and prev.lower_ not in vocab.DATE_PREPOSITIONS:
        return "a weekday used as a name"  # "Black Friday", "Super Tuesday"
    weekday = vocab.WEEKDAYS[words[-1]]
    if published is None:
        return Reading(Kind.DATE, words[-1].title(), "date")
    back = (published.weekday() - weekday) % 7 or (7 if words[0] == "last" else 0)
    return Reading(Kind.DATE, (published - timedelta(days=back)).isoformat(), "date")


def _relative(words: list[str], published: date | None) -> Reading | str:
    """Relative dates resolve against the publication date; without one they stay relative (vague)."""
    text = " ".join(words)
    if published is not None:
        if text in ("yesterday", "tomorrow"):
            day = published + timedelta(days=-1 if text == "yesterday" else 1)
            return Reading(Kind.DATE, day.isoformat(), "date")
        if "next month" in text:
            y, m = (published.year, published.month + 1) if published.month < 12 else (published.year + 1, 1)
            return Reading(Kind.DATE, f"{y:04d}-{m:02d}", "date", qualifier=Qualifier.APPROXIMATELY)
        if "this month" in text or "this week" in text:
            return Reading(Kind.DATE, f"{published.year:04d}-{published.month:02d}", "date",
                           qualifier=Qualifier.APPROXIMATELY)
        if "last month" in text:
            y, m = (published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)
            return Reading(Kind.DATE, f"{y:04d}-{m:02d}", "date", qualifier=Qualifier.APPROXIMATELY)
        if "this year" in text:
            return Reading(Kind.DATE, f"{published.year:04d}", "date", qualifier=Qualifier.APPROXIMATELY)
        if "last year" in text:
            return Reading(Kind.DATE, f"{published.year - 1:04d}", "date", qualifier=Qualifier.APPROXIMATELY)
        if "end of the year" in text or "end of this year" in text or text == "year - end":
            return Reading(Kind.DATE, f"{published.year:04d} (late)", "date", qualifier=Qualifier.APPROXIMATELY)
        if "end of next year" in text:
            return Reading(Kind.DATE, f"{published.year + 1:04d} (late)", "date", qualifier=Qualifier.APPROXIMATELY)
        if "next year" in text:
            return Reading(Kind.DATE, f"{published.year + 1:04d}", "date", qualifier=Qualifier.APPROXIMATELY)
    return Reading(Kind.DATE, None, "date", qualifier=Qualifier.VAGUE, subject=text)


def _count(span: Span, words: list[str]) -> Reading | str:
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    first = span[0]
    if first.text.startswith("0") and len(first.text) > 1 and "." not in first.text:
        return "a list number, not a figure"
    if re.fullmatch(r"[\d,.]+t", first.lower_):
        return "a number glued to 't' outside money: tonnes or a trillion, unclear"  # "a 6,825t-ton ferry"
    if prev is not None and (prev.is_title or prev.is_upper) and prev.is_alpha and first.text[:1].isdigit() \
            and prev.lower_ not in vocab.STOPWORDS and prev.lower_ not in QUALIFIER_WORDS and prev.lower_ not in context.BALLOT_OPTIONS \
            and not (prev.is_title and context.is_sentence_start(doc, prev.i)
                     and prev.lower_.endswith(("ing", "ed"))):  # "Winning 325 seats, ...", not "Orbit 3 is"
        return "part of a name (model or product number)"
    if prev is not None and prev.text[-1:].isalpha() and prev.whitespace_ == "" and first.text[:1].isdigit():
        return "part of a name (model or product number)"
    if prev is not None and prev.text[:1].islower() and any(c.isupper() for c in prev.text[1:]) \
            and first.text[:1].isdigit():
        return "part of a name (model or product number)"  # "iPhone 11 Pro", "eBay 2"
    if first.is_title and not context.is_sentence_start(doc, first.i) and first.lower_ != "between":
        return "a number used as a name"
    if prev is not None and prev.text in ("“", '"', "'", "‘") and first.is_alpha:
        return "a number in a quoted name"
    if prev is not None and prev.text in ("(", "+") or (span.end < len(doc) and doc[span.end].text in (")",)):
        if first.text.isdigit() and len(first.text) >= 3:
            return "phone-like digits"
    nxt = doc[span.end:span.end + 2].text.lower()
    if any(nxt.startswith(f) for f in vocab.FURNITURE_FOLLOWERS):
        return "page furniture"
    if span.end < len(doc) and doc[span.end].text in ("-", "–") and span.end + 1 < len(doc) and doc[span.end + 1].text[:1].isdigit():
        return "phone-like digits"
    parsed = _range_numbers(words)
    if parsed is None:
        return "unreadable number"
    low, high = parsed
    sent_end = context.sentence_bounds(doc, span.start, span.end)[1]
    noun = context.counted_noun(doc, span.end, sent_end)
    if noun is None:
        noun = _implied_noun(doc, span)
    if noun is None and not high and _is_age_after_name(doc, span, low.value):
        return Reading(Kind.DURATION, low.value, "year", precision=low.precision)  # "Mara Lindqvist, 46;"
    if noun is None or noun[0].lower() in vocab.PERIOD_WORDS:
        # "a cool billion a month": a scaled amount paid per period is money with its currency unstated.
        if low.value >= 1_000_000 and any(w in vocab.SCALES for w in words):
            period, _ = context.period_after(doc, span.end, sent_end)
            if period != Period.NONE:
                return Reading(Kind.MONEY, low.value, "USD", precision=low.precision,
                               qualifier=Qualifier.ROUNDED if low.approximate else Qualifier.EXACT)
        return NO_UNIT
    unit, product, end = noun
    if unit.lower().replace(".", "") in ("am", "pm"):
        return "a clock time"  # "10am", "4 p.m."
    if span.end < len(doc) and len(doc[span.end].text) == 1 and doc[span.end].is_upper:
        return "part of an address or a name"  # "9 E 71st St"
    if _compound_modifier(doc, span, low.value):
        return "a compound modifier ('3 cylinder engine'), not a count"
    rate = next((vocab.PERIOD_ADJECTIVES[t.lower_] for t in doc[span.end:end] if t.lower_ in vocab.PERIOD_ADJECTIVES),
                Period.NONE)
    plus = span.end < len(doc) and doc[span.end].text == "+"
    if doc[end - 1].text.isupper() and not product and len(unit) > 1:
        return "part of a name (model or product number)"  # "737 MAX"
    if unit.lower() in vocab.MONTHS or unit.lower() in vocab.TIME_UNITS:
        return "not a count"
    if low.value == 1 and not high and words[0] in ("a", "an"):
        return "'a' as an article, not a count"  # but "one officer", "one of the victims" count one
    if words[0] == "one" and not high and _one_idiom(doc, span):
        return "'one' in an idiom, not a count"
    qualifier = Qualifier.ROUNDED if low.approximate else (Qualifier.RANGE if high else Qualifier.EXACT)
    return Reading(Kind.COUNT, low.value, unit, high=high.value if high else None, precision=low.precision,
                   qualifier=Qualifier.AT_LEAST if plus else qualifier, subject=product, end=end, period=rate)




OLDEST_AGE = 120


def _is_age_after_name(doc: Doc, span: Span, value: Decimal) -> bool:
    """A whole number set off by commas right after a name is the person's age: "Mara Lindqvist, 46; and ..."."""
    i = span.start
    if len(span) != 1 or not doc[i].text.isdigit() or not 0 < value < OLDEST_AGE or i < 2:
        return False
    name = doc[i - 2]
    closed = span.end == len(doc) or doc[span.end].text in (",", ";", ".", ")")
    return doc[i - 1].text == "," and closed and name.is_alpha and name.is_title \
        and name.lower_ not in vocab.MONTHS and name.lower_ not in vocab.WEEKDAYS


def _compound_modifier(doc: Doc, span: Span, value: Decimal) -> bool:
    """"a 3 cylinder engine", "a 5 star hotel": a singular noun after a number above one, then another singular."""
    i = span.end
    if value == 1 or i + 1 >= len(doc):
        return False
    noun, after = doc[i], doc[i + 1]
    if noun.lower_ in vocab.PERIOD_ADJECTIVES:
        return False  # "450 monthly active users": a rate's adjective, then the counted noun
    return (noun.is_lower and noun.is_alpha and not noun.lower_.endswith("s")
            and noun.lower_ not in vocab.IRREGULAR_PLURALS and noun.lower_ not in vocab.STOPWORDS
            and noun.lower_ not in UNCOUNTED_SINGULARS
            and after.is_lower and after.is_alpha and after.lower_ not in vocab.STOPWORDS
            and not after.lower_.endswith("s"))  # but "450 new jobs", "four filling lines" count


UNCOUNTED_SINGULARS = {"staff", "aircraft", "people", "personnel", "police", "cattle", "sheep", "fish", "deer",
                       "livestock", "crew", "percent", "per", "million", "billion", "thousand", "hundred"}


def _one_idiom(doc: Doc, span: Span) -> bool:
    """"one of the largest deals", "one of its 40 stores", "on the one hand", "one another": no count of one."""
    after = [t.lower_ for t in doc[span.end:span.end + 3]]
    if after[:1] == ["of"] and len(after) == 3 and after[1] in ("the", "its", "their", "our", "his", "her") and (
            after[2].endswith("est") or after[2] in ("most", "few") or after[2][:1].isdigit()
            or after[2] in vocab.NUMBER_WORDS):
        return True  # "one of the largest", "one of the 40 service centers": a member, not a count
    return bool(after) and after[0] in ("hand", "another", "way", "day", "time", "thing")


OF_THE_WHOLE = re.compile(r"^(?:of|among)\s+(?:the|these|those|its|their)\s+(?:[\d,.]+\s+)?(?:[a-z-]+\s+)?([a-z-]+s)\s*,\s*"
                          r"(?:at\s+least\s+|about\s+|some\s+|only\s+)?$", re.IGNORECASE)


def _implied_noun(doc: Doc, span: Span) -> tuple[str, str, int] | None:
    """A count whose noun is elsewhere: "Jobs: between 2,500 and 3,000", "plans to hire 300 more"."""
    sent_start = context.sentence_bounds(doc, span.start, span.end)[0]
    if span.start - 2 >= sent_start and doc[span.start - 1].text == ":" and span.start - 2 <= sent_start + 3:
        label = [t for t in doc[sent_start:span.start - 1] if t.is_alpha and t.lower_ not in vocab.STOPWORDS]
        plural = [t for t in label if t.lower_.endswith("s") and not t.lower_.endswith("ss")]
        if label:  # "Jobs: 2,500", "Fires confirmed: 17", "Valid votes: 2,153,613" -> the label's (plural) noun
            return vocab.singular((plural or label)[0].text), "", span.end
    if span.start - 1 == sent_start and doc[sent_start].lower_ in context.BALLOT_OPTIONS \
            and (sent_start == 0 or "\n" in doc[sent_start - 1].text + doc[sent_start - 1].whitespace_):
        return "vote", "", span.end  # a results row: "YES 1,429,981 (66.40 per cent)"
    verb = span.start - 1
    while verb > sent_start and doc[verb].lower_ in QUALIFIER_WORDS:
        verb -= 1  # "host about 5,000", "hired more than 300"
    if verb >= sent_start and doc[verb].lower_ in vocab.COUNTING_VERBS:
        return "", "", span.end  # the counted noun is unknown; cues decide which fact it is
    # "Of the 121 victims, 72 have been identified", "Among the casualties, 19 remain unidentified":
    # a part of the whole the sentence opens with counts the whole's noun.
    opening = OF_THE_WHOLE.match(doc[sent_start:span.start].text)
    if opening:
        return vocab.singular(opening.group(1)), "", span.end
    # "pre-orders at 180,000", "order count is now at 198k": a plural noun or a count named before "at".
    back = [t for t in doc[max(sent_start, span.start - 4):span.start]]
    if back and back[-1].lower_ == "at":
        head = next((t for t in reversed(back[:-1]) if t.is_alpha and t.lower_ not in ("now", "is", "are", "stood",
                                                                                    "was", "were", "currently")), None)
        if head is not None and head.is_lower and head.lower_ not in vocab.STOPWORDS:
            if head.lower_ in ("count", "total", "tally", "number") and head.i - 1 >= sent_start \
                    and doc[head.i - 1].is_alpha and doc[head.i - 1].is_lower \
                    and doc[head.i - 1].lower_ not in vocab.STOPWORDS:  # "the number stood at": no noun
                return vocab.singular(doc[head.i - 1].text), "", span.end  # "order count is now at 198k"
            if head.lower_.endswith("s") and not head.lower_.endswith("ss"):
                return vocab.singular(head.text), "", span.end
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after == "who":
        return "person", "", span.end  # "the 5 million who turned out": people
    # "722 people are in hospital, and 58 of them are critical": a part counts what the figure before counts.
    of_them = after == "of" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ in ("them", "those", "whom")
    if back and (back[-1].lower_ == "from" or back[-2:] and [t.lower_ for t in back[-2:]] == ["from", "the"]) \
            or of_them:
        origin = span.start if of_them else next(t.i for t in reversed(back) if t.lower_ == "from")
        for k in range(origin - 1, sent_start - 1, -1):
            if doc[k].like_num:
                j = k + 1
                while j < origin and doc[j].lower_ in vocab.SCALES:
                    j += 1
                noun = context.counted_noun(doc, j, origin)
                return (noun[0], noun[1], span.end) if noun else None
    return None
