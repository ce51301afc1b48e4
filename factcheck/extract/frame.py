"""What a figure measures: its frame (subject, measure, time, scope, attribution), read from its sentence.

`read_frame` is a pure function of the sentence text, the figure's place in it and a
`Lexicon`: no spaCy, so it is tested on plain sentences and re-run on cached mentions.
The words come from the lexicon; this module knows only how to look for them:

- the *measure* is the lexicon measure named nearest the figure within its clause
  ("killed 398 people" -> deaths; "a 27% premium" -> premium), made a change when a
  change word leads to the figure ("shares rose 9%" -> share price change, but "rose to
  10.1%" is a level);
- the *time*, *scope* and *attribution* are lexicon phrases near the figure with no other
  number between them and it ("$185.7 million, versus $5.5 million a year ago": only the
  second figure is from a year ago);
- the *subject* is whose figure it is: a possessive ("Ellison's net worth"), else the
  nearest name before the figure in its clause, else the first name of the sentence,
  never the name a figure is attributed to.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from dataclasses import replace

from ..lexicon import Lexicon, Measure
from .vocab import WEEKDAYS
from ..model import DATED_TIMES, SHARE_PREFIX, SIZE_PREFIX, Frame, Kind, Mention, Modality, Source

TOKEN = re.compile(r"\d(?:[\d,.]*\d)?|[A-Za-z][A-Za-z'’&.-]*[A-Za-z]|[A-Za-z]|[;:()—–]|,|\S")
FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
TO_THEN_FROM = re.compile(r"\bto\s+[^\s,;]+(?:\s+(?:million|billion|trillion|percent|per cent|%))?\s+from\s+$",
                          re.IGNORECASE)
TO_AFTER = re.compile(r"\s+to\s+[$€£¥]?\d")
# Words after which a time is the base of a comparison, not the time of the figure.
COMPARISON_BASE = re.compile(r"\b(?:compared (?:to|with)|than|versus|vs\.?|from|against|premium (?:to|over|on)|"
                             r"discount (?:to|on)|above|below)\b[^.,;]{0,30}$")
BASE_BEFORE = re.compile(r"\b(?:on|over|from|than|against)\s+(?:the|a)?\s*$")
THEN_AFTER = re.compile(r"\bthen\b", re.IGNORECASE)  # a level reached, then passed
LEVEL_BEFORE = re.compile(r"\bto\s+(?:about\s+|around\s+|nearly\s+|some\s+)?[$€£¥]?\s*$")
ADJACENT_GAP = 12  # characters between a figure and a scope that must be written right beside it
CLAUSE_BREAKS = {";", ":", "—", "–"}
BRACKETS = {"(", ")"}  # often a conversion "€222m (£200m)": a weak break, not the end of the clause
CLAUSE_JOINS = {"and", "but", "while", "whereas", "although"}
WINDOW_BEFORE, WINDOW_AFTER = 10, 8
FRAME_REACH = 400  # characters of the sentence read on each side of a figure
SUBJECT_SEPARATOR = " | "  # candidate subjects of one figure, preferred first
SCOPE_WORDS, SCOPE_WORDS_AFTER = 10, 3
COUNT_SCOPE_WORDS_AFTER = 6  # how far along the clause scope words are read, before and after
COMMA_PENALTY = 2.5  # a word across a comma is less likely to be this figure's
TALLY_REACH = 18  # words read back for a tally's name when a level word leads the number
SUBJECT_OPENING = 5  # words that open a sentence: where its subject, a running tally's name, stands
ATTRIBUTION_GAP = 9  # characters from "according to" to the name: " the US " before "Weather Service"
# "the number of bodies recovered from the wreckage ... has risen to 79", "the cumulative number of
# deaths ... is now 11": the counted noun is named once, however far back, and the figure is its level.
NUMBER_OF = re.compile(r"\bnumber of ([a-z]+)")
COPULAS = frozenset({"is", "was", "now", "stands", "stood"})  # "the number of deaths ... is now 11": a level too
# Words between a lead word and its figure: "rose by nearly 9%", "has reached some 436".
FILLERS = {"by", "a", "an", "of", "nearly", "about", "almost", "around", "roughly", "some", "more", "than",
           "over", "just", "another", "further", "sharply", "only"}
NOT_SCOPE_AFTER = {"quarter", "half", "time", "week", "day", "month", "year", "phase", "than"}
# Words of a spelled number besides the lexicon's number and scale words ("Half a dozen", "A hundred").
NUMBER_NAME_EXTRAS = frozenset({"hundred", "half", "a"})
# Verbs that make "up" part of them: "making up 79.6 per cent of the population" is a share, not a rise.
UP_VERBS = {"make", "makes", "making", "made", "take", "takes", "taking", "took", "taken", "end", "ends", "ended",
            "ending", "sum", "sums", "summed", "add", "adds", "added", "adding"}


class _Token:
    __slots__ = ("text", "lower", "start", "end")

    def __init__(self, text: str, start: int) -> None:
        self.text, self.lower, self.start, self.end = text, text.lower(), start, start + len(text)


def _tokens(sentence: str) -> list[_Token]:
    return [_Token(m.group(), m.start()) for m in TOKEN.finditer(sentence)]


def read_frame(sentence: str, start: int, end: int, kind: Kind, lexicon: Lexicon, unit: str = "",
               total: bool = False) -> Frame:
    """The frame of the figure at sentence[start:end]; `unit`, when known, rules out measures of other units,
    and `total` (an amount no single share is priced at) the measures of one share's price."""
    # "Acme, which Borvik bought in 2019, earned $3 billion": a time inside a relative clause dates that
    # clause, not a figure outside it; the clause is blanked (offsets kept) for the readers of time.
    dated = _without_other_clauses(sentence, start, end)
    tokens = _tokens(sentence)
    first = next((i for i, t in enumerate(tokens) if t.end > start), len(tokens))
    last = next((i for i, t in enumerate(tokens) if t.start >= end), len(tokens))  # first token after
    inside = [(0.5, t) for t in tokens[first:last] if t.text[0].isalpha()]
    before = _side(tokens, first - 1, -1)
    after = _side(tokens, last, 1)
    measure, varies = "", False
    if kind == Kind.DATE:
        # The event a day dates is named before it in its clause ("crashed ... on Thursday", "the collapse
        # on Tuesday"), or right after it ("Tuesday's collapse", "on Wednesday when the plane crashed");
        # not across a comma ("funerals on Saturday, four days after the collapse").
        before = [(d, t) for d, t in before if not re.search(r"[,;:()\n|]", sentence[t.end:start])]
        # "Norvik said Wednesday it had signed a deal": the day of a statement dates what it announces.
        said = bool(SAID_BEFORE.search(sentence[max(0, start - 30):start]))
        after = [(d, t) for d, t in after if t.start - end <= EVENT_AFTER_REACH * (2 if said else 1)
                 and (said or EVENT_AFTER.match(sentence, end)) and not re.search(r"[,;:()\n|]", sentence[end:t.start])]
        if STAMP_BEFORE.search(sentence[max(0, start - 40):start]):
            before, after = [], []  # "Bridge collapse | Updated Thursday": the page's date, not the event's
    # "worth about $66 billion including debt": what a figure includes is not what it measures.
    after = [(d, t) for d, t in after if not INCLUDED.search(sentence[end:t.start])]
    if kind == Kind.COUNT and _led_by(tokens, first, lexicon.level_words):
        # "The death toll ... has increased to 233, with 900 injured": a level's tally is named before it.
        measure, varies = _measure(inside + _side(tokens, first - 1, -1, TALLY_REACH), kind, lexicon, unit)
    if not measure:
        measure, varies = _measure(inside + before + after, kind, lexicon, unit, total)
    if not measure and kind == Kind.COUNT:
        measure, varies = _number_of(sentence, tokens, start, first, lexicon)
    if not measure and kind == Kind.COUNT and _led_by(tokens, first, lexicon.level_words):
        measure, varies = _opening_tally(sentence, tokens, first, lexicon, unit)
    if not measure and kind == Kind.COUNT and unit:
        # A count in a unit one measure alone is counted in ("second-busiest": a rank) is that measure's.
        measure = lexicon.unit_measures.get((kind, unit), "")
    if not measure and kind == Kind.PERCENT and _is_change(tokens, first, last, lexicon):
        # "the population shrank 0.7 percent": a count's measure changed by a share (made a change below)
        measure, varies = _measure(inside + before + after, Kind.COUNT, lexicon)
    premium = kind == Kind.PERCENT and lexicon.measure(PREMIUM) is not None and _premium(sentence, start, end)
    if premium:
        measure, varies = PREMIUM, False  # "$33.15 a share is 28 percent above Acme's closing level"
    if not measure and kind == Kind.PERCENT:
        measure = _share_of(sentence, end)  # "12.5% of smart speakers in the US": a share of speakers
    if not measure and kind == Kind.QUANTITY:
        measure = _size_of(sentence, start, end)  # "a 6,825-ton ferry": the ferry's size
    if not measure and kind == Kind.DURATION and sentence[start:end].isdigit():
        measure = lexicon.apposition_measure  # "Mara Lindqvist, 46;": a bare number after a name is an age
    named = lexicon.measure(measure)
    if measure and kind in CHANGING_KINDS and not premium and _is_change(tokens, first, last, lexicon) \
            and not measure.endswith("change") and not (named and named.rate and kind == Kind.PERCENT):
        measure += " change"
    names = _names(sentence, lexicon)  # read once: the attribution and the subject both choose among them
    attribution = _attribution(sentence, names, lexicon)
    # An estimate, a forecast or an earlier value outranks a time of day or a period: "analysts had
    # predicted second-quarter revenue of $500 million" is an estimate first.
    # A preliminary or revised estimate's vintage outranks a period too: "0.7% in the second quarter,
    # according to the final figures" is the revised figure.
    marked = lexicon.first_times
    time = _phrase_class(dated, start, end, marked, lexicon.times_before_only) \
        or _phrase_class(dated, start, end, lexicon.times, lexicon.times_before_only)
    if FROM_BEFORE.search(sentence[max(0, start - 12):start]) and TO_AFTER.match(sentence, end):
        time = lexicon.past_time  # "from 45.1% to 57.4%": the first end is the earlier value
    elif LEVEL_BEFORE.search(sentence[max(0, start - 20):start]) and THEN_AFTER.search(sentence, end):
        time = lexicon.past_time  # "the bids rose to $225 million, then by fives": a step on the way
    elif TO_THEN_FROM.search(sentence[max(0, start - 40):start]):
        time = lexicon.past_time  # "rose to 5.0% from 4.9%": the level it came from
    if kind != Kind.DATE and time not in lexicon.marked_times:
        time = _as_of(dated, start) or time  # "As of 25 September, 23 deaths": the tally's own date
    month = _month(dated, start, end) if kind != Kind.DATE else ""
    # A quarter outranks a month ("second-quarter revenue, for the quarter ended in June"); "annual" does not.
    if month and time not in lexicon.marked_times and time not in lexicon.vintage_times \
            and time not in lexicon.quarter_times:
        time = month  # "3.2% in March" is March's, whatever "annual" a later clause says
    if not time and kind != Kind.DATE:
        time = _year(dated, start, end)
    if time in lexicon.session_times and measure and not varies:
        time = ""  # "a premium of 45% to Friday's closing price": the close dates the price, not the premium
    # A forecast or an estimate is still of a period: "third-quarter revenue of $685 million" and "full-year
    # revenue of $2.4 billion" are two forecasts, so the period joins the scope.
    span_of = ""
    if time in lexicon.marked_times:
        span_of = _phrase_class(sentence, start, end, lexicon.period_time_classes, lexicon.times_before_only)
    return Frame(
        subject=_subject(sentence, tokens, first, names, attribution, lexicon, measure),
        measure=measure,
        time=time,
        scope=", ".join(x for x in (_scope(sentence, tokens, first, last, lexicon, kind, measure),
                                    _base(sentence, end) if kind == Kind.PERCENT else "", span_of,
                                    DIFFERENCE if _is_difference(sentence, start, end) else "") if x),
        attribution=attribution,
        varies=varies,
    )


def with_frame(mention: Mention, lexicon: Lexicon) -> Mention:
    """The mention with its frame read from its sentence."""
    if mention.kind == Kind.ENTITY:
        return mention
    s, e = mention.sentence_span
    # The frame's words are near the figure: reading at most FRAME_REACH characters each way keeps the
    # cost per figure constant, however long a "sentence" of numbers runs.
    lo = max(0, s - FRAME_REACH)
    total = mention.kind == Kind.MONEY and isinstance(mention.value, Decimal) and mention.value >= PER_SHARE_MAX
    f = read_frame(mention.sentence[lo:e + FRAME_REACH], s - lo, e - lo, mention.kind, lexicon, mention.unit, total)
    time = f.time
    measure = f.measure
    if mention.kind == Kind.DATE and measure and not _one_day(mention):
        # "the 1906 earthquake", "since the 1990 crash": a year or a month beside an event word
        # names another event, or a span; only a day ("crashed on Thursday") dates the story's own.
        measure = ""
    if time.startswith(DATED_TIMES) and mention.modality == Modality.PLANNED:
        time = ""  # "will draw 45 MW when it opens in 2034": the plan's date, not a figure of another year
    return replace(mention, owner=f.subject, measure=measure, time=time, scope=f.scope,
                   attribution=f.attribution, varies=f.varies)


PER_SHARE_MAX = Decimal(1_000_000)  # no share is priced at a million: an amount this large is a total
IN_A_NAME = re.compile(r"[A-Z][\w-]*((?:\s+[A-Z][\w-]*)+)")  # "Energy Minister ...", "Food Standards Agency"
DIFFERENCE = "difference"  # "within 100,000 orders of that": a gap between two figures, not a level
WITHIN_BEFORE = re.compile(r"\bwithin\s+(?:about\s+|some\s+|roughly\s+)?$", re.IGNORECASE)
OF_AFTER = re.compile(r"^(?:\s+[a-z-]+){0,2}\s+of\b", re.IGNORECASE)


def _is_difference(sentence: str, start: int, end: int) -> bool:
    """"Getting within 100,000 orders of that", "came within 0.2 seconds of the record": a gap."""
    return bool(WITHIN_BEFORE.search(sentence[max(0, start - 20):start]) and OF_AFTER.match(sentence[end:end + 40]))


INCLUDED = re.compile(r"\b(?:including|excluding|plus|minus|net of|not including|inclusive of)\b(?:\s+\S+)?\s*$",
                      re.IGNORECASE)  # a word right after these is a part the figure includes or leaves out
EVENT_AFTER = re.compile(r"(?:'s|’s|\s+when\b|\s+as\b)", re.IGNORECASE)  # "Tuesday's collapse", "Wednesday when"
STAMP_BEFORE = re.compile(r"\b(?:published|updated|posted|modified|first published|last updated)\b[^.\n]{0,20}$",
                          re.IGNORECASE)
SAID_BEFORE = re.compile(r"\b(?:said|says|announced|confirmed)\s+(?:on\s+)?$", re.IGNORECASE)
EVENT_AFTER_REACH = 40  # characters from a date to an event word after it
ONE_DAY = re.compile(r"(?:\d{4}|-)-\d\d-\d\d")  # "2025-06-12", "--06-12"; or a weekday's name ("Thursday")
SPAN_BEFORE = re.compile(r"\b(?:since|from|until|till|before|after|between|by)\s+(?:the\s+)?$", re.IGNORECASE)


def _one_day(mention: Mention) -> bool:
    """A date of one day, not opened by a span word ("since Thursday", "by 12 June")."""
    s, _ = mention.sentence_span
    day = str(mention.value).split(" ")[0]
    # "Yesterday" moves with a date line, which is often a later update's or a print edition's.
    return (bool(ONE_DAY.fullmatch(day)) or day.lower() in WEEKDAYS) and not SPAN_BEFORE.search(mention.sentence[:s]) \
        and mention.text.lower() not in ("yesterday", "today", "tomorrow")


def _side(tokens: list[_Token], i: int, step: int, reach: int | None = None) -> list[tuple[float, _Token]]:
    """Words of the clause on one side of the figure with their distance from it."""
    out: list[tuple[float, _Token]] = []
    distance, penalty = 0.0, 0.0
    limit = reach or (WINDOW_BEFORE if step < 0 else WINDOW_AFTER)
    while 0 <= i < len(tokens) and distance < limit:
        t = tokens[i]
        if t.text in CLAUSE_BREAKS:
            break
        if t.text in BRACKETS:
            penalty += 1
        elif t.text == ",":
            penalty += COMMA_PENALTY
            nxt = tokens[i + step] if 0 <= i + step < len(tokens) else None
            if nxt is not None and nxt.lower in CLAUSE_JOINS:
                break
        elif t.text[0].isdigit():
            penalty += COMMA_PENALTY  # another figure in between: its words are more likely its own
        elif t.lower in CLAUSE_JOINS:
            penalty += COMMA_PENALTY  # "288 have died and over 800 injured": across "and", another clause's word
        elif t.text[0].isalpha():
            distance += 1
            out.append((distance + penalty, t))
        i += step
    return out


def _measure(words: list[tuple[float, _Token]], kind: Kind, lexicon: Lexicon, unit: str = "",
             total: bool = False) -> tuple[str, bool]:
    """The nearest lexicon measure for this kind (and unit) of figure, and whether it varies over time;
    with `total`, none of one share's price ("$12 billion in stock" is no share price)."""
    best: tuple[float, int, int, str, bool] | None = None
    best_at, best_phrase = 0, ""
    lowered = [(d, t.lower) for d, t in sorted(words, key=lambda w: w[1].start)]  # phrases read left to right
    # Words of a share's price beside a total ("worth $12bn, based on the average closing price") are that
    # price's: no other measure reads them ("price" is also a fee's word).
    taken = {i for m in lexicon.measures if total and m.per_share and (not m.kinds or kind in m.kinds)
             for phrase in m.words if " " in phrase for i in _phrase_at(lowered, phrase.split())}
    for rank, m in enumerate(lexicon.measures):
        if not _fits(m, kind, unit, total):
            continue
        for phrase in m.words:
            parts = phrase.split()
            for k, (d, word) in enumerate(lowered):
                if word != parts[0] and not (len(parts) == 1 and word.rstrip("'’s") == parts[0]):
                    continue
                if len(parts) > 1:
                    following = [w for _, w in lowered[k:k + len(parts)]]
                    if following != parts:
                        continue
                if taken and any(i in taken for i in range(k, k + len(parts))):
                    continue
                d = min(dd for dd, _ in lowered[k:k + len(parts)])
                candidate = (d, -len(parts), rank, m.name, m.varies)
                if best is None or candidate[:3] < best[:3]:
                    best, best_at, best_phrase = candidate, k, phrase
    if best is None:
        return "", False
    named = lexicon.measure(best[3])
    other = _named_alone(named, best_phrase, lowered, lexicon) if named is not None else None
    if other is not None and _fits(other, kind, unit, total):
        return other.name, other.varies
    if named is not None and named.rate and best_at > 0:
        # "Retail sales growth cooled to 10.6%", "export growth": a rate word after another measure's
        # one-word name is that measure's change, not the economy's growth (not "price" of "share price"
        # in "wholesale price inflation": only one-word names count).
        other = next((m for m in lexicon.one_word_measures.get(lowered[best_at - 1][1], ())
                      if _fits(m, kind, unit, total)), None)
        if other is not None:
            return other.name, other.varies
    return best[3], best[4]


def _fits(measure: Measure, kind: Kind, unit: str, total: bool) -> bool:
    """Whether a figure of this kind and unit can be of `measure` (with `total`, no share's price is)."""
    return not (measure.kinds and kind not in measure.kinds or (measure.units and unit and unit not in measure.units)
                or (total and measure.per_share))


def _phrase_at(lowered: list[tuple[float, str]], parts: list[str]) -> list[int]:
    """Indices of the words of each occurrence of a phrase in `lowered`."""
    n = len(parts)
    return [i for k in range(len(lowered) - n + 1) if [w for _, w in lowered[k:k + n]] == parts
            for i in range(k, k + n)]


def _opening_tally(sentence: str, tokens: list[_Token], first: int, lexicon: Lexicon, unit: str) -> tuple[str, bool]:
    """The running tally a sentence opens with, when its level comes much later.

    "The death toll in the accident involving two trains on 2 June has risen to over 250": only a
    tally (a measure that varies) is read so far back, and only with no other figure between
    (dates and years of the lead do not count).
    """
    opening = tokens[:min(first, SUBJECT_OPENING)]
    found, varies = _measure([(float(TALLY_REACH), t) for t in opening if t.text[0].isalpha()], Kind.COUNT, lexicon,
                             unit)
    named = lexicon.measure(found)
    if named is None or not named.varies:
        return "", False
    between = sentence[opening[-1].end:tokens[first].start] if opening and first < len(tokens) else ""
    if re.search(r"\d", DATE_WORDS.sub("", between)):
        return "", False  # another figure between: the level may be its
    return found, varies


# Dates and years in a lead ("on 2 June", "in 2023", "Friday's"): no figure of their own between a tally and its level.
MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"  # "Jan.", "June", "Sept."
DATE_WORDS = re.compile(rf"\b(?:\d{{1,2}}\s+{MONTH_WORD}|{MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?|(?:19|20)\d\d)\b",
                        re.IGNORECASE)


def _number_of(sentence: str, tokens: list[_Token], start: int, first: int, lexicon: Lexicon) -> tuple[str, bool]:
    """The tally that "the number of <noun> ... is now N" names, with no other number in between."""
    named = [m for m in NUMBER_OF.finditer(sentence.lower(), 0, start) if _near(sentence, start, start, m.end())]
    if not named or not _led_by(tokens, first, lexicon.level_words | COPULAS):
        return "", False
    found = lexicon.measure_named(named[-1].group(1))
    return (found.name, found.varies) if found and found.varies and Kind.COUNT in found.kinds else ("", False)


def _led_by(tokens: list[_Token], first: int, words: frozenset[str]) -> bool:
    """Whether one of `words` comes right before the figure, past its qualifier ("rose to nearly 436")."""
    i = first - 1
    while i >= 0:
        if tokens[i].lower == "up" and i >= 1 and tokens[i - 1].lower in UP_VERBS:
            return False  # "making up 79.6 per cent", "takes up 30%": a part of a whole, not a rise
        if i >= 2 and tokens[i].lower == "as" and tokens[i - 1].lower in ("much", "many") \
                and tokens[i - 2].lower == "as":
            i -= 3  # "rose as much as 9%"
        elif i >= 1 and tokens[i].lower in ("least", "most") and tokens[i - 1].lower == "at":
            i -= 2  # "has risen to at least 193"
        elif tokens[i].lower in FILLERS:
            i -= 1
        else:
            break
    return i >= 0 and tokens[i].lower in words  # but "expected to rise as 800 are missing" is no change of 800


def _named_alone(named: Measure, phrase: str, lowered: list[tuple[float, str]], lexicon: Lexicon) -> Measure | None:
    """The measure a word names when none of `named`'s other words is in the clause ("the company is
    valued at $104bn": market value, where "a deal valued at" is a deal's value); None otherwise."""
    alone = dict(named.alone)
    if phrase not in alone:
        return None
    own = [w for w in named.words if w not in alone]
    if any(_phrase_at(lowered, w.split()) for w in own):
        return None
    return lexicon.measure(alone[phrase])


def _is_change(tokens: list[_Token], first: int, last: int, lexicon: Lexicon) -> bool:
    """Whether a change word leads to the figure ("rose 9%", "up 41 percent", "a 9% rise")."""
    if _led_by(tokens, first, lexicon.change_words):
        return True
    if first >= 2 and tokens[first - 1].lower == "by" \
            and any(t.lower in lexicon.change_words for t in tokens[max(0, first - 5):first - 1]):
        return True  # "reduce production by 1.2 million barrels": the verb's object comes between
    if last < len(tokens) and tokens[last].lower in lexicon.change_words and tokens[last].lower not in ("up", "down"):
        return True  # "a 9% rise"
    return False


def _near(sentence: str, start: int, end: int, pos: int) -> bool:
    """No other number between a phrase at `pos` and the figure (an age group, "25-34 year old", is no figure)."""
    between = sentence[pos:start] if pos < start else sentence[end:pos]
    if pos < start:
        between = FROM_END.sub("", between)  # "among young voters (from 45.1% to 57.4%)": the change's own start
    return not re.search(r"\d", AGE_GROUP.sub("", between))


FROM_END = re.compile(r"\bfrom\s+\S+\s+to\s+$")
AGE_GROUP = re.compile(r"\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}(?:\s*|-)(?:year|years)(?:\s*|-)olds?\b|\baged \d{1,2}\s*(?:-|–|to)\s*\d{1,2}\b")


@functools.lru_cache(maxsize=256)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for a class's phrases as whole words, longest first (compiled once per class)."""
    ordered = sorted(phrases, key=len, reverse=True)
    # An adverb may come between a phrase's words: "down slightly from", "rose sharply from".
    words = (r"\s+(?:[a-z]+ly\s+)?".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])")


ADVERB = re.compile(r"\s[a-z]+ly(?=\s)")


def _phrase_class(sentence: str, start: int, end: int, classes: tuple[tuple[str, tuple[str, ...]], ...],
                  before_only: frozenset[str] = frozenset()) -> str:
    """The class of the lexicon phrase nearest the figure, with no number in between.

    Phrases in `before_only` govern what follows them ("up from 38.8%", "expects revenue of"):
    after the figure they belong to another one.
    """
    lower = sentence.lower()
    best: tuple[int, str] | None = None
    for name, phrases in classes:
        for m in _phrases(phrases).finditer(lower):
            if m.start() < end and m.end() > start:
                continue  # inside the figure itself ("as much as 38%" is its qualifier too)
            if not _near(sentence, start, end, m.start() if m.start() >= end else m.end()):
                continue
            if m.start() >= end and COMPARISON_BASE.search(lower[max(end, m.start() - 40):m.start()]):
                continue  # "up 14.5% compared to the same month last year": last year is the base
            if m.end() <= start and BASE_BEFORE.search(lower[max(0, m.start() - 12):m.start()]) \
                    and LEVEL_BEFORE.search(lower[m.end():start]):
                continue  # "fell 13.2% on the previous year to 10.45 trillion": the base of the change, not the level
            if m.start() >= end and ADVERB.sub("", m.group()) in before_only:
                continue  # "to 57.1%, up from 38.8%": "up from" dates the figure after it, not this one
            distance = start - m.end() if m.end() <= start else m.start() - end
            if best is None or distance < best[0]:
                best = (distance, name)
    return best[1] if best else ""


YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d%]|[.,]\d)")


AS_OF = "as of "
MONTH_NUMBERS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                             "september", "october", "november", "december"), 1)}
AS_OF_DATE = re.compile(r"\b(?:as of|as at|as on)\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)|([a-z]+)\.?\s+(\d{1,2})\b)",
                        re.IGNORECASE)


def _as_of(sentence: str, start: int) -> str:
    """"as of 25 September" (or "as at Sept. 25") before the figure in its sentence: "as of 09-25"."""
    best = ""
    for m in AS_OF_DATE.finditer(sentence, 0, start):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        number = next((n for name, n in MONTH_NUMBERS.items() if name.startswith(month.lower()[:3])), 0)
        if number and 1 <= int(day) <= 31:
            best = f"{AS_OF}{number:02d}-{int(day):02d}"
    return best


MONTH = re.compile(r"\b(?:in|for|during|of)\s+(january|february|march|april|may|june|july|august"
                   r"|september|october|november|december)(?:\s+((?:19|20)\d\d))?\b(?![\s,]*\d)", re.IGNORECASE)


COMPARISON_BETWEEN = re.compile(r"\b(?:against|compared|versus|vs|than|from)\b", re.IGNORECASE)


def _month(sentence: str, start: int, end: int) -> str:
    """A named month dating the figure, as "in March" or "for April 2019" writes it ("month 03", "month 2019-04").

    After the figure with no other number between ("2.86% in March"), or before it in its clause
    ("In March, inflation was 2.86%"); "on May 13" is a day (a dateline), not the figure's month.
    """
    best: tuple[int, str] | None = None
    for m in MONTH.finditer(sentence):
        if m.end() <= start:
            if any(c in sentence[m.end():start] for c in ";:()—–") or not _near(sentence, start, end, m.end()):
                continue
            distance = start - m.end()
        elif m.start() >= end and _near(sentence, start, end, m.start()) \
                and not COMPARISON_BETWEEN.search(sentence[end:m.start()]):
            distance = m.start() - end  # but "2.87% against a contraction in March": March is the contraction's
        else:
            continue
        number = MONTH_NUMBERS[m.group(1).lower()]
        name = f"month {m.group(2)}-{number:02d}" if m.group(2) else f"month {number:02d}"
        if best is None or distance < best[0]:
            best = (distance, name)
    return best[1] if best else ""


def _year(sentence: str, start: int, end: int) -> str:
    """An explicit year dating the figure: before it in its clause ("in 2011, 54.2%"), or after it with no other
    number between ("$5m in 2011")."""
    best: tuple[int, str] | None = None
    for m in YEAR.finditer(sentence):
        if m.start() < end and m.end() > start:
            continue
        before = sentence[max(0, m.start() - 12):m.start()].lower()
        if re.search(rf"{MONTH_WORD}\s+(?:\d{{1,2}},?\s+)?$", before):
            continue  # "open in June 2034": a date of something else, not the year of the figure
        if m.start() >= end and not re.search(r"\b(?:in|for|during|of)\s+$", before):
            continue  # after the figure only "in 2011", "for 2011" date it
        if m.end() <= start:
            # A year opening the clause dates every figure after it ("Turnouts in the 2011 and 2008 elections
            # were respectively 61.1 and 58.8 per cent"), other numbers between or not.
            between = sentence[m.end():start]
            timeline = m.start() == len(sentence) - len(sentence.lstrip()) and between.lstrip().startswith(":")
            if any(c in between for c in ";:()—–") and not timeline:
                continue  # but "2011: QSI buys the club at €100m", a timeline's entry, is dated by its year
        elif not _near(sentence, start, end, m.start()):
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or distance < best[0]:
            best = (distance, m.group())
    return f"year {best[1]}" if best else ""


NAMED_SHARE = re.compile(r"\b([Pp]er|[Aa]|[Ee]ach)\s+([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)?)\s+(share|ADS)\b")


OPENER = re.compile(r"^\s*(?:on|in|at|for)\b[^,;:\d]{3,40},", re.IGNORECASE)  # "On a monthly basis,"


def _causes(gap: str, measure: str, lexicon: Lexicon) -> bool:
    """Whether a cause word, then the figure's own measure word, stand between a scope word and the figure.

    "Food prices pushed inflation to 10.1%": food caused it. "Food inflation accelerated to 7.9%":
    the measure comes before the cause word, so food is the scope.
    """
    named = lexicon.measure(measure.removesuffix(" change"))
    if named is None or not lexicon.cause_words:
        return False
    cause = _phrases(lexicon.cause_words).search(gap)
    return cause is not None and _phrases(named.words).search(gap, cause.end()) is not None


def _scope(sentence: str, tokens: list[_Token], first: int, last: int, lexicon: Lexicon, kind: Kind,
           measure: str = "") -> str:
    """Every scope the figure's clause gives it ("adjusted ... per share"), nearest first, joined by ", "."""
    # After the figure a clause soon turns to a comparison ("about as much as the rest of the county").
    clause = {t.start for _, t in _side(tokens, first - 1, -1)[:SCOPE_WORDS]} \
        | {t.start for _, t in _side(tokens, last, 1)[:SCOPE_WORDS_AFTER]} \
        | {t.start for t in tokens[first:last] if t.text[:1].isalpha()}  # "seven additional tickets"
    start_of = tokens[first].start if first < len(tokens) else len(sentence)
    # A phrase that opens the sentence before a comma scopes all of it: "On a monthly basis, prices rose 0.5%".
    opener = OPENER.match(sentence)
    if opener and opener.end() <= start_of:
        clause |= {t.start for t in tokens if t.end <= opener.end()}
    end_of = tokens[last - 1].end if 0 < last <= len(tokens) else start_of
    # "$95 per Norvik share" is per share: the company's name read out, offsets kept.
    lower = NAMED_SHARE.sub(lambda m: f"{m.group(1)} {m.group(3)}".ljust(len(m.group())), sentence).lower()
    found: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for name, phrases in lexicon.scopes:
        for m in _phrases(phrases).finditer(lower):
            # "On a monthly basis, prices ...": a phrase opening the sentence scopes its figures however far
            in_opener = kind != Kind.DATE and opener is not None and m.end() <= opener.end() <= start_of
            if m.start() not in clause or not in_opener and not _near(sentence, start_of, end_of, m.start()
                                                                      if m.start() >= end_of else m.end()):
                continue
            rest = lower[m.end():].split(None, 1)
            if rest and rest[0].strip(",.") in NOT_SCOPE_AFTER:
                continue  # "first quarter" is a time, "more than" a qualifier
            named = IN_A_NAME.match(sentence, m.start())
            if named and any(w in lexicon.institution_heads for w in named.group(1).split()):
                continue  # "Energy Minister Taner Yildiz said": a word of a name or a title, not the figure's scope
            gap = sentence[end_of:m.start()] if m.start() >= end_of else sentence[m.end():start_of]
            if name in lexicon.adjacent_scopes and (len(gap.strip()) > ADJACENT_GAP or any(c in gap for c in ",;(")
                                                    or (m.start() < end_of and name in lexicon.following_scopes)
                                                    or (m.start() >= end_of and name in lexicon.preceding_scopes)):
                # "$196 per share" is per share; "$26.2 billion, or $196 per share" is not, nor is "$12 billion"
                # in "$4 billion in cash and $12 billion in stock" in cash: such a phrase follows its figure.
                continue
            if m.start() < start_of and _causes(gap.lower(), measure, lexicon):
                continue  # "food prices accelerated inflation to 2.92%": food is the cause, not the scope
            distance = abs(m.start() - start_of)
            found[name] = min(distance, found.get(name, distance))
            spans.setdefault(name, []).append((m.start(), m.end()))
    # A phrase inside a longer one is the longer one's: "in cash and stock" is not "in cash".
    for name in list(found):
        if all(any(o != name and a <= x and y <= b and (a, b) != (x, y) for o in spans for a, b in spans[o])
               for x, y in spans[name]):
            del found[name]
    if kind == Kind.COUNT:
        # A count's class often follows it at some length: "18 were listed as probable deaths".
        reach = clause | {t.start for _, t in _side(tokens, last, 1)[:COUNT_SCOPE_WORDS_AFTER]}
        counted = _count_scope(lower, reach, start_of, end_of, sentence, lexicon)
        if counted:
            found[counted] = -1  # the class of a count comes first
    return ", ".join(sorted(found, key=lambda n: (found[n], n)))


def _count_scope(lower: str, clause: set[int], start_of: int, end_of: int, sentence: str, lexicon: Lexicon) -> str:
    """The one class of a count ("19 probable", "4 confirmed deaths"): its own words first, else the nearest."""
    best: tuple[int, str] | None = None
    for name, phrases in lexicon.count_scopes:
        for m in _phrases(phrases).finditer(lower):
            inside = start_of <= m.start() < end_of
            if not inside and (m.start() not in clause or not _near(
                    sentence, start_of, end_of, m.start() if m.start() >= end_of else m.end())):
                continue
            distance = 0 if inside else abs(m.start() - start_of)
            if best is None or distance < best[0]:
                best = (distance, name)
    return best[1] if best else ""


# What a percentage is a share of, written right after it: "68.5% of eligible voters".
BASE = re.compile(r"\s*of\s+(?:the\s+|all\s+|its\s+|their\s+)?([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)")
BASE_PREFIX = "of "  # a base is kept in the scope as "of eligible voters"


OF_WORDS = re.compile(r"\s*of\s+((?:[\w’'-]+\s*){1,5})")
DETERMINERS = frozenset({"the", "all", "its", "their", "a", "an", "total", "entire", "combined", "overall"})
# Where the noun phrase after "of" ends: prepositions, verbs of saying, relative words, pronouns.
STOP_AFTER_OF = frozenset({"in", "on", "at", "for", "to", "from", "and", "or", "with", "by", "was", "is", "are", "were",
                           "who", "which", "that", "than", "its", "their", "those", "these", "this", "them", "said",
                           "says", "wrote", "told", "added", "reported", "according", "as", "over", "since"})


def _share_of(sentence: str, end: int) -> str:
    """What a percentage of no lexicon measure is a share of: the head noun after "of".

    "12.5% of smart speakers in the US" -> "share of speaker"; "5% of total sales" -> "share of sale".
    Nothing for "60% of those who ...", a name ("of Norvik"), or no "of" at all.
    """
    m = OF_WORDS.match(sentence, end)
    if not m:
        return ""
    phrase: list[str] = []
    for word in m.group(1).split():
        bare = word.strip("’'-")
        if not bare or bare.lower() in STOP_AFTER_OF:
            break
        phrase.append(bare)
    head = [w for w in phrase if w.islower() and w.isalpha() and w not in DETERMINERS]
    if not head or not phrase[-1].islower():
        return ""  # "of those", or a phrase that ends in a name ("of Norvik")
    # Without a tagger, the head is the last plural ("of news readers pay": readers), else the first noun
    # ("of the board wrote": board), so that a verb after the phrase is never taken for it.
    plurals = [w for w in head if w.endswith("s") and not w.endswith("ss")]
    noun = plurals[-1] if plurals else head[0]
    singular = noun[:-1] if noun.endswith("s") and len(noun) > 4 and not noun.endswith(("ss", "us", "is", "ws")) \
        else noun
    return SHARE_PREFIX + singular


PREMIUM = "premium"
# A percentage by which an offer's price is above a market price: "28 percent above Acme's closing level".
ABOVE_CLOSE = re.compile(r"\s+(?:above|over|higher than|more than)\s+(?:[\w’'.&-]+\s+){0,3}?"
                         r"(?:closing|close|last close|share price|stock price|market price|trading price)\b",
                         re.IGNORECASE)
OFFER_BEFORE = re.compile(r"(?:\ba share|\bper share|/share|\boffer|\bbid|\bdeal price)\b", re.IGNORECASE)


def _premium(sentence: str, start: int, end: int) -> bool:
    """Whether a percentage is an offer's premium over a market price (an offer named before it)."""
    return bool(ABOVE_CLOSE.match(sentence, end)) and bool(OFFER_BEFORE.search(sentence, 0, start))


CHANGING_KINDS = (Kind.PERCENT, Kind.MONEY, Kind.COUNT, Kind.QUANTITY)  # "rose 9%", "cut output by 1.2m barrels"
SIZE_WORDS = re.compile(r"[\d.,]+-[a-z]+$")  # "6,825-ton", "80-metre": a number joined to its unit
# The noun after it, past a conversion in brackets and one adjective ("a 36-ton wooden boat").
NEXT_WORD = re.compile(r"(?:\s*\([^()]{1,30}\))?\s+(?:[a-z]+(?:en|al|ic|ous|ful|ive)\s+)?([a-z]+)\b")


def _size_of(sentence: str, start: int, end: int) -> str:
    """What a quantity written as a compound modifier is the size of: "a 6,825-ton ferry" -> "size of ferry"."""
    if not SIZE_WORDS.search(sentence[start:end]):
        return ""
    m = NEXT_WORD.match(sentence, end)
    if not m or m.group(1) in STOP_AFTER_OF or m.group(1) in DETERMINERS:
        return ""
    return SIZE_PREFIX + m.group(1)


def _base(sentence: str, end: int) -> str:
    """The population a percentage is a share of ("of registered voters"), or ""."""
    m = BASE.match(sentence, end)
    if not m:
        return ""
    words = m.group(1).split()
    if len(words) == 2 and words[1] in ("in", "on", "at", "for", "to", "from", "and", "or", "with", "by", "was", "is"):
        words = words[:1]
    return BASE_PREFIX + " ".join(words)


CONNECTORS = ("of", "de", "del", "la", "von", "van", "and", "&", "for", "the")
NAME = re.compile(r"(?<![\w’'])[A-Z][^\W\d_]*(?:[&’'.-][^\W\d_]*)*(?![\w])(?:\s+(?:(?:of|de|del|la|von|van|and|&|for)\s+(?:the\s+)?)?[A-Z][^\W\d_]*(?:[&’'.-][^\W\d_]*)*(?![\w]))*")


def _bare(word: str) -> str:
    """A word without a possessive ending or trailing punctuation ("Analysts'" -> "Analysts")."""
    return re.sub(r"['’]s?$", "", word.rstrip(".,"))


GERUND_OBJECT = re.compile(r"\s+(?:the|a|an|its|their|his|her|our|this|that|these|those)\b")


# Capitalised words that open a sentence or a clause before a name, never part of it.
NAME_OPENERS = {"The", "A", "An", "In", "On", "At", "By", "For", "From", "To", "Of", "And", "But", "Or", "As", "According",
                "Per", "With", "After", "Before", "Since", "While", "When", "If", "Meanwhile", "However", "Also", "Yesterday",
                "Today", "Last", "Next", "This", "That", "Its", "Their", "His", "Her", "Our", "Both", "Each", "Separately"}


def _names(sentence: str, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """Capitalised names in the sentence, without leading words that are not names (news agencies stay)."""
    out = []
    for m in NAME.finditer(sentence):
        words = m.group().split()
        skip = 0
        while skip < len(words) and (_bare(words[skip]) in lexicon.not_names or words[skip] in CONNECTORS
                                     or _bare(words[skip]) in lexicon.currency_codes
                                     or _bare(words[skip]).lower() in lexicon.common_words):
            skip += 1
        # "the World Health Organization": an institution's name keeps its common first words ("World Health"),
        # though not an opener ("According", "The") before them.
        if 0 < skip < len(words) and len(words) >= 2 and _bare(words[-1]) in lexicon.institution_heads:
            skip = next((i for i in range(skip + 1) if _bare(words[i]) not in NAME_OPENERS and words[i] not in CONNECTORS),
                        skip)
        if skip == len(words):
            continue
        text = " ".join(words[skip:])
        begin = m.start() + m.group().index(words[skip])
        text = re.sub(r"['’]s?$", "", text).rstrip(".,")  # "Reuters' poll", "Halvard’ shares"
        if len(text) < 2 or text.isdigit() or (" " not in text and text.lower() in lexicon.plain_words):
            continue  # "Retail inflation surged": a capitalised adjective, not whose figure it is
        if all(w in lexicon.number_names or w in NUMBER_NAME_EXTRAS
               for w in text.lower().replace("-", " ").replace(".", "").replace(",", "").split()):
            continue  # "Sixty six per cent": a number opening the sentence, not a name
        if " " not in text and text.endswith("ing") and not sentence[:begin].strip() \
                and GERUND_OBJECT.match(sentence, begin + len(text)):
            continue  # "Setting a record ...", "Reconfirming the estimate ...": a verb opening the sentence
        out.append((begin, begin + len(text), text))
    return out


def _attribution(sentence: str, names: list[tuple[int, int, str]], lexicon: Lexicon) -> str:
    """Who the sentence says the figures come from ("according to X", "X said")."""
    lower = sentence.lower()
    for phrase in lexicon.attribution_before:
        for m in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lower):
            after = [n for n in names if 0 <= n[0] - m.end() <= ATTRIBUTION_GAP]
            if after and phrase == "per" and NAMED_SHARE.match(sentence, m.start()):
                continue  # "$95 per Norvik share": a price per share, not a source
            if after:
                return after[0][2]
    for n_start, n_end, text in names:
        rest = lower[n_end:n_end + 20].split()
        if rest and rest[0].strip(",.") in lexicon.attribution_after:
            return text
    return ""


RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|whose|where)\b[^,;]*,")
POSSESSED_WORDS = 4  # how far after "Acme's" the thing it owns is named ("Acme's first-quarter net income")


def _without_other_clauses(sentence: str, start: int, end: int) -> str:
    """The sentence with every relative clause (", which ... ,") that does not hold the figure blanked out."""
    out = sentence
    for m in RELATIVE_CLAUSE.finditer(sentence):
        if not (m.start() <= start and end <= m.end()):
            out = out[:m.start()] + " " * (m.end() - m.start()) + out[m.end():]
    return out


def _owns(sentence: str, name_end: int, start: int, measure: str, lexicon: Lexicon) -> bool:
    """Whether a possessive owns the figure: it names the figure's measure or the figure itself right after it.

    "Ellison's net worth jumped $100 billion" and "Acme's $2 billion deal" are theirs; "Lena Varga, who
    left Norland's main nationalist party, received 7.3%" is not Norland's. A figure of no measure keeps
    the possessive before it.
    """
    words = sentence[name_end:].split(None, POSSESSED_WORDS + 1)[1:POSSESSED_WORDS + 1]
    if not measure or start <= name_end + len(" ".join(words)) + 3:
        return True
    named = lexicon.measure(measure.removesuffix(" change"))
    if named is None:
        return True
    following = " " + " ".join(w.strip(",.;:").lower() for w in words) + " "
    return any(f" {w} " in following for w in named.words)


def _subject(sentence: str, tokens: list[_Token], first: int, all_names: list[tuple[int, int, str]],
             attribution: str, lexicon: Lexicon, measure: str = "") -> str:
    """Whose figure it is: a possessive, the nearest name before it in its clause, or the sentence's first name."""
    start = tokens[first].start if first < len(tokens) else len(sentence)
    names = [n for n in all_names if n[2] != attribution and n[2] not in lexicon.news_agencies]
    clause_start = 0
    for t in tokens[:first]:
        if t.text in CLAUSE_BREAKS or t.text in BRACKETS:
            clause_start = t.end
    before = [n for n in names if clause_start <= n[0] and n[1] <= start and _near(sentence, start, start, n[1])]
    # "Lena Varga, who broke away from Norland's main party over its support for Osk, received 7.3%":
    # a name inside a relative clause is not the one the figure belongs to; the name it describes is.
    inserts = [(m.start(), m.end()) for m in RELATIVE_CLAUSE.finditer(sentence, 0, start)]
    before = [n for n in before if not any(a <= n[0] < b for a, b in inserts)]
    possessive = [n for n in before if re.match(r"['’](?:s\b|\s)", sentence[n[1]:n[1] + 3])
                  and _owns(sentence, n[1], start, measure, lexicon)]
    if possessive:
        name = possessive[-1][2]  # "Ellison's net worth", "the Smiths' house": no other candidate, marked as owned
        return name + ("'" if name.endswith("s") else "'s")
    # Every name the clause gives, nearest first: the story decides which one the figures share
    # ("Port Quillan signed a contract with Mariseal Water": either could be the deal's subject).
    ordered = [n[2] for n in reversed(before)] + [n[2] for n in names if n not in before]
    return SUBJECT_SEPARATOR.join(dict.fromkeys(ordered))


LAST_YEAR = "last year"  # the lexicon's time class for the calendar year before the article's


def dated_last_year(mention: Mention, source: Source) -> Mention:
    """"Bought for $1.5 billion last year", in an article of 2016: the figure of 2015. Without a date line
    the time stays "last year" until the story dates it (`dated_in_story`)."""
    if mention.time != LAST_YEAR or source.published is None:
        return mention
    return replace(mention, time=f"year {source.published.year - 1}")
