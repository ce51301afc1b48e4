"""The figure rules: plain-dict token patterns for spaCy's SpanRuler.

Each pattern is `{"label": KIND, "pattern": [token dicts]}`, the format that
`nlp.add_pipe("span_ruler").add_patterns(...)` takes. They are built from the
vocabulary tables so that adding a currency or unit is a one-line change.
Overlaps are settled by the ruler's first-longest filter, so "$1.25 billion"
is one MONEY span, not a NUMBER inside it.
"""

from __future__ import annotations

from typing import Any

from . import vocab

Token = dict[str, Any]
Pattern = dict[str, Any]

# Labels the normalizer knows; each becomes a mention kind (or is dropped).
MONEY, MONEY_VAGUE, PERCENT, UNIT, DURATION, DATE, RELATIVE, NUMBER, RANK = (
    "MONEY", "MONEY_VAGUE", "PERCENT", "UNIT", "DURATION", "DATE", "RELATIVE", "NUMBER", "RANK")

_NUM = r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
DIGITS: Token = {"TEXT": {"REGEX": rf"^{_NUM}$"}}
DIGITS_SCALED: Token = {"LOWER": {"REGEX": rf"^{_NUM}({'|'.join(vocab.SCALE_ABBREVIATIONS)})$"}}
DIGITS_UNIT: Token = {"LOWER": {"REGEX": rf"^{_NUM}({'|'.join(vocab.GLUED_UNIT_SUFFIXES)})$"}}
# "42,4%": a decimal comma, as much copy outside English writes a share (a thousands comma has three digits after it)
DIGITS_PERCENT: Token = {"TEXT": {"REGEX": rf"^(?:{_NUM}|\d{{1,3}},\d{{1,2}})%$"}}
SIGNED: Token = {"TEXT": {"REGEX": rf"^[+\-−]{_NUM}$"}}  # "+0.2", "-1.6": a market move's sign
DIGITS_PC: Token = {"TEXT": {"REGEX": rf"^[+\-−]?{_NUM}pc$"}}  # "1.38pc", British copy (never "4 PC")
WORD: Token = {"LOWER": {"IN": sorted(vocab.NUMBER_WORDS)}}
# Bounded: "one hundred and ..." repeated 100 KB made an unbounded "*" quadratic in the matcher, and no
# number is written in more than a dozen words ("nine hundred and ninety-nine thousand ...").
WORD_MORE: Token = {"LOWER": {"IN": sorted([*vocab.NUMBER_WORDS, "hundred", "hundreds", "-", "and"])}, "OP": "{,12}"}
SCALE_ANY: Token = {"LOWER": {"IN": sorted(vocab.SCALES)}}
SCALE_WORD: Token = {"LOWER": {"IN": list(vocab.SCALE_WORDS)}}
ARTICLE: Token = {"LOWER": {"IN": ["a", "an"]}}
HYPE: Token = {"LOWER": {"IN": list(vocab.HYPE_ADJECTIVES)}, "OP": "?"}
HYPHEN: Token = {"TEXT": {"IN": ["-", "–"]}}
RANGE_JOIN: Token = {"LOWER": {"IN": ["-", "–", "to"]}}
CUR_PREFIX: Token = {"LOWER": {"IN": sorted(vocab.CURRENCY_PREFIXES)}}
CUR_WORD: Token = {"LOWER": {"IN": sorted(vocab.CURRENCY_WORDS)}}
CUR_WORD_ADJ: Token = {"LOWER": {"IN": ["dollar", "dollars", "euro", "pound", "yen", "yuan"]}}
PLURAL_SCALE: Token = {"LOWER": {"IN": sorted(vocab.PLURAL_SCALES)}}
UNIT_WORD: Token = {"LOWER": {"IN": sorted(u for u in vocab.UNITS if " " not in u)}}
UNIT_PREFIX: Token = {"LOWER": {"IN": list(vocab.UNIT_PREFIXES)}}
UNIT_SECOND: Token = {"LOWER": {"IN": sorted({u.split()[1] for u in vocab.UNITS if " " in u})}}
TIME_WORD: Token = {"LOWER": {"IN": sorted([*vocab.TIME_UNITS, *vocab.SHORT_TIME_UNITS])}}
TIME_SINGULAR: Token = {"LOWER": {"IN": ["day", "week", "month", "quarter", "year", "hour", "minute", "decade"]}}
MONTH: Token = {"LOWER": {"IN": sorted(vocab.MONTHS)}}
MAY: Token = {"TEXT": "May"}
MONTH_NAME: Token = {"TEXT": {"IN": [m.capitalize() for m in vocab.MONTHS if (len(m) > 3 or m == "june")
                                     and "." not in m] + list(vocab.MONTH_ABBREVIATIONS)}}
DAY: Token = {"TEXT": {"REGEX": r"^([1-9]|[12]\d|3[01])(st|nd|rd|th)?$"}}
YEAR: Token = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}
COMMA: Token = {"TEXT": ",", "OP": "?"}
PART: Token = {"LOWER": {"IN": sorted(vocab.PART_OF_PERIOD)}}

# The ways a single number is written, by name: the rules below say which forms each kind takes.
DIGIT: list[Token] = [DIGITS]                                     # 1.25
DIGIT_SCALE: list[Token] = [DIGITS, SCALE_ANY]                    # 1.25 billion
DIGIT_GLUED_SCALE: list[Token] = [DIGITS_SCALED]                  # 1.25B
DIGIT_HYPHEN_SCALE: list[Token] = [DIGITS, HYPHEN, SCALE_ANY]     # $1.25-billion (money only)
SPELLED: list[Token] = [WORD, WORD_MORE]                          # forty, twenty-one
SPELLED_SCALE: list[Token] = [WORD, WORD_MORE, SCALE_WORD]        # forty billion
SPELLED_TWO_SCALES: list[Token] = [WORD, WORD_MORE, SCALE_WORD, SCALE_WORD]  # one thousand million
ARTICLE_SCALE: list[Token] = [ARTICLE, HYPE, SCALE_WORD]          # a (cool) billion
ARTICLE_HUNDRED: list[Token] = [ARTICLE, HYPE, {"LOWER": {"IN": ["hundred", "dozen"]}}]  # a hundred
HALF_SCALE: list[Token] = [{"LOWER": "half"}, ARTICLE, SCALE_WORD]  # half a billion
HALF_DOZEN: list[Token] = [{"LOWER": "half"}, {"TEXT": {"IN": ["-", "a"]}, "OP": "?"},  # half-dozen, half a dozen
                           {"LOWER": "dozen"}]
FRACTION_SCALE: list[Token] = [{"LOWER": {"IN": ["a", "one", "two", "three"]}},  # a quarter of a million
                               {"LOWER": {"IN": ["quarter", "quarters", "third", "thirds"]}}, {"LOWER": "of"},
                               ARTICLE, SCALE_WORD]
AND_A_HALF_SCALE: list[Token] = [{"LOWER": {"IN": ["one", "two", "three", "four", "five", "six", "seven", "eight",
                                                   "nine", "a"]}},
                                 {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "half"}, SCALE_WORD]  # one and a half million
DIGIT_HUNDRED: list[Token] = [DIGITS, {"LOWER": "hundred"}]       # 4 hundred people
SPACE_GROUPED: list[Token] = [{"TEXT": {"REGEX": r"^\d{1,3}$"}}, {"TEXT": {"REGEX": r"^\d{3}$"}},
                              {"TEXT": {"REGEX": r"^\d{3}$"}, "OP": "?"}]  # 700 000
QUANTITIES: list[list[Token]] = [DIGIT, DIGIT_SCALE, DIGIT_GLUED_SCALE, SPELLED, SPELLED_SCALE, SPELLED_TWO_SCALES,
                                 ARTICLE_SCALE, ARTICLE_HUNDRED, HALF_SCALE, FRACTION_SCALE, AND_A_HALF_SCALE, DIGIT_HUNDRED,
                                 SPACE_GROUPED, HALF_DOZEN]
# Ranges: 10-15 billion | 10 to 15 billion | 1.2-1.5B
DIGIT_RANGE: list[Token] = [DIGITS, RANGE_JOIN, DIGITS]           # 10-15, 10 to 15
RANGES: list[list[Token]] = [
    DIGIT_RANGE,
    [DIGITS, RANGE_JOIN, DIGITS, SCALE_ANY],
    [DIGITS, RANGE_JOIN, DIGITS_SCALED],
    [DIGITS, SCALE_ANY, RANGE_JOIN, DIGITS, SCALE_ANY],
    [DIGITS_SCALED, RANGE_JOIN, DIGITS_SCALED],
]


def _money() -> list[list[Token]]:
    out: list[list[Token]] = []
    for q in [DIGIT, DIGIT_SCALE, DIGIT_GLUED_SCALE, SPELLED_SCALE, SPELLED_TWO_SCALES, HALF_SCALE, FRACTION_SCALE,
              AND_A_HALF_SCALE, *RANGES]:
        out.append([CUR_PREFIX, *q])
        out.append([{"TEXT": "$"}, {"TEXT": "US"}, *q])  # "$US55,931,000": the country after the sign
        out.append([CUR_PREFIX, *q, {"LOWER": {"IN": ["usd", "eur", "gbp"]}}])
    for q in QUANTITIES:
        out.append([*q, CUR_WORD])
        out.append([*q, {"LOWER": {"IN": sorted(vocab.CURRENCY_ADJECTIVES)}}, CUR_WORD])  # "Indian rupees"
        out.append([*q, {"LOWER": "pounds"}, {"LOWER": "sterling"}])
    for q in RANGES:
        out.append([*q, CUR_WORD])
    # Hyphenated as an adjective: "a $34-billion deal", "a 34-billion-dollar deal", "a 2 billion-dollar fine"
    out.append([CUR_PREFIX, *DIGIT_HYPHEN_SCALE])
    for q in (DIGIT_SCALE, SPELLED_SCALE):
        out.append([*q, HYPHEN, CUR_WORD_ADJ])
        out.append([*q[:-1], HYPHEN, q[-1], HYPHEN, CUR_WORD_ADJ])
    # Sub-units: "412p", "25 cents", "30 pence"
    out.append([{"LOWER": {"REGEX": r"^\d+(\.\d+)?p$"}}])
    for q in (DIGIT, SPELLED):
        out.append([*q, {"LOWER": {"IN": sorted(vocab.SUBUNITS)}}])  # "7.20 sen"
    # $10 billion to $15 billion; between $10 and $15 billion
    for a in (DIGIT_SCALE, DIGIT_GLUED_SCALE, DIGIT_HYPHEN_SCALE):
        out.append([CUR_PREFIX, *a, RANGE_JOIN, CUR_PREFIX, *a])
    for a in (DIGIT, DIGIT_SCALE, DIGIT_GLUED_SCALE, DIGIT_HYPHEN_SCALE):
        for b in (DIGIT, DIGIT_SCALE, DIGIT_GLUED_SCALE, DIGIT_HYPHEN_SCALE):
            out.append([{"LOWER": "between"}, CUR_PREFIX, *a, {"LOWER": "and"}, CUR_PREFIX, *b])
    return out


def _money_vague() -> list[list[Token]]:
    multi = {"LOWER": {"IN": ["multi", "multibillion", "multimillion", "multi-billion", "multi-million"]}}
    return [
        [multi, HYPHEN, SCALE_WORD, HYPHEN, CUR_WORD_ADJ],
        [multi, HYPHEN, SCALE_WORD, CUR_WORD_ADJ],
        [multi, CUR_WORD_ADJ],
        [multi, HYPHEN, CUR_WORD_ADJ],
        [ARTICLE, SCALE_WORD, HYPHEN, CUR_WORD_ADJ],
        [SCALE_WORD, HYPHEN, CUR_WORD_ADJ],
        [PLURAL_SCALE],
        [PLURAL_SCALE, {"LOWER": "of"}, CUR_WORD],
        [{"LOWER": {"IN": ["tens", "hundreds"]}}, {"LOWER": "of"}, PLURAL_SCALE],
        [{"LOWER": {"IN": ["tens", "hundreds"]}}, {"LOWER": "of"}, PLURAL_SCALE, {"LOWER": "of"}, CUR_WORD],
    ]


def _percent() -> list[list[Token]]:
    small: Token = {"LOWER": {"IN": sorted(vocab.UNITS_WORDS)}}
    out: list[list[Token]] = [[DIGITS_PERCENT], [DIGITS_PERCENT, RANGE_JOIN, DIGITS_PERCENT],
                              [SIGNED, {"TEXT": "%"}], [SIGNED, {"TEXT": {"IN": ["percent", "pc"]}}], [DIGITS_PC],
                              [DIGITS, {"TEXT": "pc"}],
                              # "+0.79 pp", "+1.73 percentage points", "1.8per cent" (glued, as some copy has it)
                              [SIGNED, {"LOWER": "pp"}], [DIGITS, {"LOWER": "pp"}],
                              [SIGNED, {"LOWER": "percentage"}, {"LOWER": {"IN": ["points", "point"]}}],
                              [{"LOWER": {"REGEX": rf"^{_NUM}per$"}}, {"LOWER": "cent"}],
                              [{"LOWER": {"REGEX": rf"^{_NUM}percent$"}}],  # "42.4percent"
                              [{"TEXT": {"REGEX": r"^\d{1,3},\d{1,2}$"}}, {"LOWER": {"IN": ["percent", "%"]}}],
                              [{"TEXT": {"REGEX": r"^\d{1,3},\d{1,2}$"}}, {"LOWER": "per"}, {"LOWER": "cent"}],
                              [DIGITS, {"TEXT": "%"}, RANGE_JOIN, DIGITS, {"TEXT": "%"}],
                              # "1 in 5 voters", "one in four": a ratio
                              [{"TEXT": {"REGEX": r"^\d{1,3}$"}}, {"LOWER": "in"}, {"TEXT": {"REGEX": r"^\d{1,3}$"}}],
                              [small, {"LOWER": "in"}, small],
                              # "two-thirds of members", "a quarter of"
                              [{"LOWER": {"IN": ["one", "two", "three", "four", "a"]}}, HYPHEN,
                               {"LOWER": {"IN": sorted(vocab.FRACTIONS)}}],
                              [{"LOWER": {"IN": ["one", "two", "three", "four", "a"]}},
                               {"LOWER": {"IN": sorted(vocab.FRACTIONS)}}, {"LOWER": "of"}]]
    # A fraction of a point: "a quarter of a percentage point", "half a point", "a quarter-point rise"
    fraction: Token = {"LOWER": {"IN": ["quarter", "quarters", "half", "third", "thirds"]}}
    point: list[list[Token]] = [[{"LOWER": "percentage"}, {"LOWER": "point"}], [{"LOWER": "point"}],
                                [{"LOWER": "percent"}], [{"LOWER": "per"}, {"LOWER": "cent"}]]
    for p in point:
        out.append([{"LOWER": {"IN": ["a", "one", "two", "three"]}}, fraction, {"LOWER": "of"}, ARTICLE, *p])
        out.append([{"LOWER": "half"}, ARTICLE, *p])
    out.append([ARTICLE, fraction, {"LOWER": "point"}])
    out.append([ARTICLE, fraction, HYPHEN, {"LOWER": "point"}])
    for q in (DIGIT, SPELLED, DIGIT_RANGE):
        out.append([*q, {"TEXT": "%"}])
        out.append([*q, {"LOWER": {"IN": ["percent", "pct"]}}])
        out.append([*q, HYPHEN, {"LOWER": {"IN": ["percent", "pct"]}}])  # "a 25-percent cut"
        out.append([*q, {"LOWER": "per"}, {"LOWER": "cent"}])
        out.append([*q, HYPHEN, {"LOWER": "per"}, HYPHEN, {"LOWER": "cent"}])  # "25-per-cent"
        out.append([*q, {"LOWER": "percentage"}, {"LOWER": {"IN": ["points", "point"]}}])
    return out


def _units() -> list[list[Token]]:
    out: list[list[Token]] = [[DIGITS_UNIT], [SIGNED, UNIT_WORD]]  # "-1.5 km"
    for q in (DIGIT, DIGIT_SCALE, SPELLED, SPELLED_SCALE, DIGIT_RANGE):
        out.append([*q, UNIT_WORD])
        out.append([*q, HYPHEN, UNIT_WORD])
        out.append([*q, UNIT_PREFIX, UNIT_SECOND])  # "190 square miles", "16,000 metric tons"
        out.append([*q, HYPHEN, UNIT_PREFIX, HYPHEN, UNIT_SECOND])  # "a 23-kilowatt-hour battery"
        out.append([*q, UNIT_PREFIX, HYPHEN, UNIT_SECOND])  # "280 lb-ft"
        out.append([*q, UNIT_WORD, {"LOWER": {"IN": ["per", "an", "a"]}}, {"LOWER": {"IN": ["hour", "second"]}}])
        out.append([*q, {"TEXT": "°"}, {"LOWER": {"IN": ["c", "f"]}}])  # "1.01°C": the tokenizer splits off the sign
    # A unit written with a slash, which the tokenizer splits: "720,000 b/d", "1.2mn b/d"
    for unit in sorted(u for u in vocab.UNITS if "/" in u and " " not in u and u.count("/") == 1):
        top, bottom = unit.split("/")
        for q in (DIGIT, DIGIT_SCALE, DIGIT_GLUED_SCALE):
            out.append([*q, {"LOWER": top}, {"TEXT": "/"}, {"LOWER": bottom}])
    # Ranges in words or between bounds: "one to five inches", "between 125 and 168 pounds", "two- to five-inch"
    num: Token = {"LIKE_NUM": True}
    out.append([num, {"LOWER": {"IN": ["to", "-", "–"]}}, num, UNIT_WORD])
    out.append([num, HYPHEN, {"LOWER": "to"}, num, HYPHEN, UNIT_WORD])
    out.append([{"LOWER": "between"}, num, {"LOWER": "and"}, num, UNIT_WORD])
    return out


def _durations() -> list[list[Token]]:
    out: list[list[Token]] = []
    for q in (DIGIT, SPELLED, ARTICLE_SCALE, DIGIT_RANGE):
        out.append([*q, TIME_WORD])
        out.append([*q, TIME_WORD, {"TEXT": {"IN": ["'", "’"]}}])
        out.append([*q, HYPHEN, TIME_SINGULAR])
    out.append([{"LOWER": {"IN": ["a", "one"]}}, {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "half"}, TIME_WORD])
    out.append([{"LOWER": {"IN": ["decade", "year", "month", "week", "day"]}}, HYPHEN, {"LOWER": "long"}])
    # "7 hours and 27 minutes", "three minutes and 27 seconds": one duration in its smaller unit
    one_number: list[list[Token]] = [[DIGITS], [WORD]]
    for first in one_number:
        for second in one_number:
            out.append([*first, {"LOWER": {"IN": ["hour", "hours"]}}, {"LOWER": "and"}, *second,
                        {"LOWER": {"IN": ["minute", "minutes"]}}])
            out.append([*first, {"LOWER": {"IN": ["minute", "minutes"]}}, {"LOWER": "and"}, *second,
                        {"LOWER": {"IN": ["second", "seconds"]}}])
        # "three and a half minutes", "2 and a half hours"
        out.append([*first, {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "half"}, TIME_WORD])
    # A race time in words: "2 hours, 1 minute, 39 seconds", "two hours, one minute and 40 seconds"
    hours: list[Token] = [{"LIKE_NUM": True}, {"LOWER": {"IN": ["hour", "hours"]}}, {"TEXT": ","}]
    minutes: list[Token] = [{"LIKE_NUM": True}, {"LOWER": {"IN": ["minute", "minutes"]}}]
    seconds: list[Token] = [{"LIKE_NUM": True}, {"LOWER": {"IN": ["second", "seconds"]}}]
    out.append([*hours, *minutes])
    out.append([*minutes, {"TEXT": ","}, *seconds])  # "43 minutes, 23 seconds"
    out.append([*hours, *minutes, {"TEXT": {"IN": [",", "and"]}}, *seconds])
    out.append([*hours, *minutes, {"TEXT": ","}, {"LOWER": "and"}, *seconds])
    # "9 1/2 years": a whole number and a written fraction
    out.append([DIGITS, {"TEXT": {"REGEX": r"^[1-9]/[1-9]$"}}, TIME_WORD])
    # "less than a week", "nearly a year": one unit, kept only after a bound (figures.py reads it)
    out.append([{"LOWER": {"IN": ["a", "an"]}}, TIME_SINGULAR])
    # A race time with seconds, "2:00:35" (a clock time has no seconds in news copy: "1:39 pm")
    out.append([{"TEXT": {"REGEX": r"^\d{1,2}:\d{2}:\d{2}$"}}])
    # "a quarter of a century", "half a century": a fraction of a century is a number of years
    out.append([{"LOWER": {"IN": ["a", "one", "three"]}}, {"LOWER": {"IN": ["quarter", "quarters"]}}, {"LOWER": "of"},
                {"LOWER": "a"}, {"LOWER": "century"}])
    out.append([{"LOWER": "half"}, {"LOWER": "a"}, {"LOWER": "century"}])
    return out


def _dates() -> list[list[Token]]:
    return [
        [MONTH, DAY, COMMA, YEAR],
        [DAY, MONTH, YEAR],
        [MONTH, YEAR],
        [MONTH_NAME, DAY],
        [DAY, MONTH_NAME],
        [MAY, DAY],  # "May" is a date only beside a day: "May 7", "7 May", not "may rise"
        [DAY, MAY],
        [MONTH_NAME],
        [PART, HYPHEN, MONTH],
        [PART, HYPHEN, YEAR],
        [PART, MONTH],
        [PART, YEAR],
        [PART, MONTH, YEAR],
        [PART, {"LOWER": "of"}, MONTH],
        [PART, {"LOWER": "of"}, YEAR],
        [{"TEXT": {"REGEX": r"^[Qq][1-4]$"}}, YEAR],
        [{"TEXT": {"REGEX": r"^[Hh][12]$"}}, YEAR],
        [YEAR],
        [{"TEXT": {"REGEX": r"^(19|20)\d\d-\d\d-\d\d$"}}],
    ]


def _relative() -> list[list[Token]]:
    when = {"LOWER": {"IN": ["this", "last", "next", "past", "coming"]}}
    span = {"LOWER": {"IN": ["week", "month", "year", "quarter", "summer", "winter", "spring", "fall", "autumn"]}}
    edge = {"LOWER": {"IN": ["earlier", "later", "early", "late"]}, "OP": "?"}
    vague = {"LOWER": {"IN": ["months", "years", "weeks", "days", "decades"]}}
    out: list[list[Token]] = [
        [edge, when, span],
        [{"LOWER": {"IN": ["just", "only", "several", "few", "many", "some"]}}, vague, {"LOWER": "ago"}],
        [{"LOWER": {"IN": ["yesterday", "tomorrow"]}}],
        # "on Thursday", "late Friday": a weekday is written capitalised; "thursday" in a URL is not one
        [{"LOWER": {"IN": list(vocab.WEEKDAY_EDGES)}, "OP": "?"},
         {"TEXT": {"IN": [d.title() for d in vocab.WEEKDAYS]}}],
        [{"LOWER": "end"}, {"LOWER": "of"}, {"LOWER": {"IN": ["the", "this", "next", "last"]}}, span],
        [{"LOWER": {"IN": ["year", "month", "quarter"]}}, HYPHEN, {"LOWER": "end"}],
    ]
    for q in (DIGIT, SPELLED, ARTICLE_SCALE):
        out.append([*q, TIME_WORD, {"LOWER": "ago"}])
    return out


def _numbers() -> list[list[Token]]:
    # "between 200 and 250", "between two and three million": one pattern on the cheap LIKE_NUM flag
    # instead of a pattern per pair of number styles (the matcher's cost grows with patterns).
    number: Token = {"LIKE_NUM": True, "OP": "{1,8}"}
    scale: Token = {"LOWER": {"IN": sorted(vocab.SCALES)}, "OP": "?"}
    between: list[Token] = [{"LOWER": "between"}, number, scale, {"LOWER": "and"}, number, scale]
    bound: list[Token] = [{"LOWER": "at"}, {"LOWER": {"IN": ["most", "least"]}}]
    bounds = [*bound, DIGITS, {"LOWER": "and"}, *bound, DIGITS]  # "at most 100 and at least 20 apples"
    # "four to five million", "six to seven million people": a spelled range, its scale written once
    spelled_range: list[Token] = [WORD, {"LOWER": {"IN": ["to", "-", "–"]}}, WORD, SCALE_WORD]
    return [*QUANTITIES, *RANGES, between, bounds, spelled_range]


def _ranks() -> list[list[Token]]:
    """"the fourth largest", "second-busiest", "3rd biggest": a rank by a superlative."""
    ordinal: Token = {"LOWER": {"IN": sorted(vocab.ORDINALS)}}
    numbered: Token = {"LOWER": {"REGEX": r"^([2-9]|[1-9]\d)(nd|rd|th)$"}}
    superlative: Token = {"LOWER": {"IN": sorted(vocab.SUPERLATIVES)}}
    return [[rank, superlative] for rank in (ordinal, numbered)] \
        + [[rank, HYPHEN, superlative] for rank in (ordinal, numbered)]


def figure_patterns() -> list[Pattern]:
    """All figure patterns, labelled, in the SpanRuler's plain-dict format."""
    table = {
        MONEY: _money(), MONEY_VAGUE: _money_vague(), PERCENT: _percent(), UNIT: _units(),
        DURATION: _durations(), DATE: _dates(), RELATIVE: _relative(), NUMBER: _numbers(), RANK: _ranks(),
    }
    return [{"label": label, "pattern": pattern} for label, patterns in table.items() for pattern in patterns]
