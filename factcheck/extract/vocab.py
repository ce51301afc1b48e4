"""English vocabulary for figures: number words, scales, currencies, units, periods, cues.

General English news vocabulary only; nothing here may name a particular story.
"""

from __future__ import annotations

from decimal import Decimal

from ..lexicon import load_lexicon
from ..model import Kind, Period, Qualifier

_LEXICON = load_lexicon()  # numbers, scales, qualifiers, currencies and units are data (lexicon/en/*.yaml)

NUMBER_WORDS = dict(_LEXICON.number_words)
UNITS_WORDS = {w: v for w, v in NUMBER_WORDS.items() if v < 20 and w != "dozen"}  # "zero" to "nineteen" ("one in four")
# Scale words and abbreviations, as written after a number.
SCALES: dict[str, Decimal] = {w: Decimal(10) ** p for w, p in _LEXICON.scales}
SCALE_WORDS = _LEXICON.scale_words
ORDINALS = {w: Decimal(v) for w, v in _LEXICON.ordinals}
SUPERLATIVES = frozenset(_LEXICON.superlatives)
SCALE_ABBREVIATIONS = tuple(s for s in SCALES if s not in SCALE_WORDS)
PLURAL_SCALES = {w: Decimal(v) for w, v in _LEXICON.plural_scales}
# Adjectives news writers put between "a" and a scale word ("a cool billion").
HYPE_ADJECTIVES = ("cool", "whopping", "staggering", "hefty", "massive", "full", "record", "reported",
                   "mere", "healthy", "tidy", "jaw-dropping", "estimated")

# Currencies and physical units are data (lexicon/en/units.yaml): built into lookup tables once.
# Currency marks written before the amount, and words written after it.
CURRENCY_PREFIXES = {mark: c.code for c in _LEXICON.currencies for mark in c.before}
CURRENCY_WORDS = {word: c.code for c in _LEXICON.currencies for word in c.after}
CURRENCY_ADJECTIVES = {word: c.code for c in _LEXICON.currencies for word in c.adjectives}
# Sub-units of a currency: "412p", "25 cents".
SUBUNITS = {word: c.code for c in _LEXICON.currencies for word in c.minor}
# What a price is per ("$58.24 a barrel"): written form -> the denominator's name.
DENOMINATORS = {w.lower(): str(name) for name, words in _LEXICON.denominators for w in words}
# The dollar a bare "$" means at an outlet of this country's web domain.
LOCAL_DOLLARS = dict(_LEXICON.local_dollars)
# Physical units: surface (lower case) -> (kind, canonical unit, factor to the canonical unit).
UNITS: dict[str, tuple[Kind, str, Decimal]] = {w: (u.kind, u.unit, f) for u in _LEXICON.units for w, f in u.words}

# Units written as two words ("square miles", "metric tons"): the first word, and the rest.
UNIT_PREFIXES = tuple(sorted({u.split()[0] for u in UNITS if " " in u}))

# Units that are only units right after a number ("5 m" could be million; "W" a name).
GLUED_UNIT_SUFFIXES = ("kw", "mw", "gw", "tw", "kwh", "mwh", "gwh", "twh", "km", "kg", "gb", "tb", "pb", "mg",
                       "cm", "mm", "ft", "lbs", "lb", "km2", "mph", "kph", "kmh", "c", "f", "°c", "°f", "hz", "khz",
                       "mhz", "ghz", "mah")

TIME_UNITS: dict[str, Period] = {
    "day": Period.DAY, "days": Period.DAY, "week": Period.WEEK, "weeks": Period.WEEK,
    "month": Period.MONTH, "months": Period.MONTH, "quarter": Period.QUARTER, "quarters": Period.QUARTER,
    "year": Period.YEAR, "years": Period.YEAR,
}
SHORT_TIME_UNITS = {"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
                    "hour": "hour", "hours": "hour", "decade": "year", "decades": "year"}
DURATION_UNIT_NAMES = {Period.DAY: "day", Period.WEEK: "week", Period.MONTH: "month",
                       Period.QUARTER: "quarter", Period.YEAR: "year"}

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
MONTH_ABBREVIATIONS = ("Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
                       "Dec.")
MONTHS.update({a.lower(): MONTHS[a.lower().rstrip(".")] for a in MONTH_ABBREVIATIONS})
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
WEEKDAY_EDGES = ("last", "early", "late")  # "last Thursday", "late Friday": the same day, or the one before
PART_OF_PERIOD = {"early": "early", "mid": "mid", "late": "late", "end": "late", "beginning": "early"}
DATE_PREPOSITIONS = ("in", "by", "since", "until", "till", "through", "thru", "from", "to", "before",
                     "after", "during", "of", "on", "as", "around", "between", "and")

# Rate periods after an amount ("per month", "a year") and before it ("a monthly payment of").
PERIOD_WORDS = {
    "month": Period.MONTH, "mo": Period.MONTH, "year": Period.YEAR, "yr": Period.YEAR, "annum": Period.YEAR,
    "week": Period.WEEK, "day": Period.DAY, "quarter": Period.QUARTER,
}
PERIOD_ADJECTIVES = {
    "monthly": Period.MONTH, "annual": Period.YEAR, "annually": Period.YEAR, "yearly": Period.YEAR,
    "annualized": Period.YEAR, "annualised": Period.YEAR, "weekly": Period.WEEK, "daily": Period.DAY,
    "quarterly": Period.QUARTER, "run-rate": Period.YEAR,
}
PERIOD_DETERMINERS = ("per", "a", "an", "each", "every", "/")

# Words before a figure that widen it; longest first so "more than" wins over "more".
QUALIFIER_PHRASES: tuple[tuple[str, Qualifier], ...] = tuple((p, Qualifier(q)) for p, q in _LEXICON.qualifiers)

# Verbs that take "over" as a particle ("hand over $5 million"), past forms end in -ed anyway.
PARTICLE_VERBS = ("hand", "hands", "handing", "fork", "forks", "forking", "turn", "turns", "turning", "take",
                  "takes", "took", "taking", "pay", "pays", "paid", "paying", "sign", "signs", "signing", "give",
                  "gives", "gave", "giving", "shell", "shells", "cough", "coughs")

# Modality cues, read in the clause before a figure.
PLAN_WORDS = ("plans", "planned", "expect", "expects", "expected", "aim", "aims", "aiming", "intend", "intends",
              "intended", "targets", "targeting", "soon", "could", "may", "might", "potentially", "projected",
              "forecast", "forecasts", "proposed", "proposes", "hopes", "hope", "likely", "would",
              "urge", "urges", "urged", "urging", "demanded", "demanding",  # a demand is not a fact
              "face", "faces", "facing")  # "Kelmart said to face a $1.2 billion fine": an expectation
# Verbs whose "to N" object is a target ("expand the cluster to 200,000 GPUs").
CHANGE_VERBS = ("expand", "grow", "increase", "raise", "boost", "scale", "double", "triple", "reach",
                "extend", "bring", "lift", "cut", "reduce", "lower", "add")
# After "will", these announce an outcome still to come ("will create 1,500 jobs"); a "will"
# before anything else is usually a commitment already made ("will pay $1.25 billion a month").
OUTCOME_VERBS = CHANGE_VERBS + ("create", "hire", "build", "open", "begin", "start", "produce", "employ",
                                "generate", "deliver", "add", "complete", "finish", "house", "serve")
# Verbs that take a bare count ("plans to hire 300 more"), so the number counts their object.
COUNTING_VERBS = ("hire", "hired", "hires", "hiring", "employ", "employs", "employed", "add", "adds", "added",
                  "cut", "cuts", "lay", "laid", "recruit", "recruits", "recruited", "train", "trained",
                  # a crowd: "permission to host about 5,000", "the rally drew 50,000"
                  "host", "hosts", "hosted", "hosting", "accommodate", "accommodates", "accommodated", "drew", "draws",
                  "attracted", "attracts")
# After "a year", "a month": a time before or after, not a rate ("4.8 million a year ago").
RELATIVE_TIME_AFTER = ("ago", "earlier", "before", "later", "prior", "back")
HYPOTHETICAL_WORDS = ("if", "unless", "suppose", "supposing", "imagine", "whether", "may", "might")
NEGATION_WORDS = ("not", "n't", "never", "no", "false", "untrue")
DENIAL_WORDS = ("denied", "denies", "deny", "denying", "rejected", "dismissed", "refuted")
# After "not", the verbs whose object a negation denies ("did not reach 300", "does not have $5bn"); after
# any other verb the figure is still asserted ("does not include 90,000 cars", "did not board: 2 crew").
DENIED_OBJECT_VERBS = ("have", "has", "had", "reach", "reached", "exceed", "exceeded", "top", "topped", "hit",
                       "cost", "pay", "paid", "be", "been", "is", "was", "are", "were", "total", "totalled",
                       "totaled", "amount", "equal",
                       # a transaction denied: "has not approved the $6 billion", "did not receive $5m"
                       "approve", "approved", "receive", "received", "grant", "granted", "accept", "accepted",
                       "confirm", "confirmed", "sign", "signed", "win", "won")
# Between a negation and its figure, words that keep the figure the negation's object ("not the 190").
NEGATED_LEAD_WORDS = ("the", "a", "an", "even", "quite", "exactly", "just", "all", "as", "many", "much", "some")
# Words that mark a figure as someone's unverified claim.
UNVERIFIED_WORDS = ("alleged", "allegedly", "rumored", "rumoured", "unconfirmed", "unverified", "purported",
                    "purportedly")
# Present-tense time words that override an earlier plan cue in the same clause.
PRESENT_WORDS = ("now", "currently", "today", "presently", "already")

# Numbers in these phrases are page furniture, not figures ("3 min read").
FURNITURE_FOLLOWERS = ("min read", "minute read", "mins read", "minutes read", "comments", "comment",
                       "likes", "views", "replies", "retweets")

# Words between a count and its noun that say nothing about what is counted ("36 more aircraft").
COUNT_MODIFIERS = ("more", "additional", "new", "extra", "further", "other")
IRREGULAR_PLURALS = {"people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot",
                     "mice": "mouse", "geese": "goose", "teeth": "tooth"}

# Denominators of spelled fractions: "two-thirds", "a quarter".
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
             "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}

# Function words end the noun phrase that follows a count.
STOPWORDS = frozenset("""
a an the of in on at to for from by with and or but nor as than that which who whom whose this these those
is are was were be been being has have had do does did will would can could should may might must shall
it its it's their they them he she his her we our you your i my me us into onto over under about after
before while during per each every not no so such very just also only more most less least other than
then there here when where why how all any both few many much some same own out up down off again further
once what if because until said says say according across without within through throughout among
amid against along around behind beyond despite inside near outside since toward towards upon via although
though whereas yet earlier later ago apiece overall altogether
""".split())



def singular(word: str) -> str:
    """A crude singular that keeps acronyms: 'GPUs' -> 'GPU', 'companies' -> 'company'."""
    lower = word.lower()
    if lower in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[lower]
    if word[:-1].isupper() and word.endswith("s"):
        return word[:-1]
    if lower in ("people", "staff", "personnel", "series", "news"):
        return lower
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return lower[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "ous", "us", "is")) and len(lower) > 3:
        return lower[:-1]  # but "suspicious", "status", "analysis" are no plurals
    return word if word.isupper() else lower
