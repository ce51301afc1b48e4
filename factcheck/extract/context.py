"""What the words around a figure say about it: qualifier, rate period, modality, and what it counts."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..model import Modality, Period, Qualifier
from . import vocab

CLAUSE_BREAKS = {";", ":", "—", "–", "(", ")", "•"}


def qualifier_before(doc: Doc, start: int, sent_start: int) -> tuple[Qualifier, int]:
    """The qualifier phrase ending right before token `start`, and where it begins."""
    window = [t.lower_ for t in doc[max(sent_start, start - 4):start]]
    text = " ".join(window)
    for phrase, qualifier in vocab.QUALIFIER_PHRASES:
        if text == phrase or text.endswith(" " + phrase):
            begin = start - len(phrase.split())
            # "forked over a billion", "handed over $5 million": a verb's particle, not "more than".
            if phrase == "over" and begin - 1 >= sent_start and _is_particle_host(doc[begin - 1].lower_):
                return Qualifier.EXACT, start
            return qualifier, begin
    return Qualifier.EXACT, start


def _is_particle_host(word: str) -> bool:
    return word.endswith("ed") or word in vocab.PARTICLE_VERBS


def period_after(doc: Doc, end: int, sent_end: int) -> tuple[Period, int]:
    """A rate period written after the figure ("per month", "a year", "/mo", "monthly"); returns new end."""
    i = end
    if i < sent_end and doc[i].text in ("-", "–") and i + 1 < sent_end:
        i += 1  # "$1.25 billion-a-month"
    if i < sent_end and doc[i].lower_ in vocab.PERIOD_ADJECTIVES:
        return vocab.PERIOD_ADJECTIVES[doc[i].lower_], i + 1
    if i + 3 < sent_end and doc[i].lower_ == "of" and doc[i + 1].is_alpha \
            and doc[i + 2].lower_ in vocab.PERIOD_DETERMINERS and doc[i + 3].lower_ in vocab.PERIOD_WORDS:
        i += 2  # "2.2 million barrels of oil a day"
    if i + 1 < sent_end and doc[i].lower_ in vocab.PERIOD_DETERMINERS:
        j = i + 1
        if doc[j].text in ("-", "–") and j + 1 < sent_end:
            j += 1
        word = doc[j].lower_
        # "up from 4.8 million a year ago": a time before, not a rate
        later = doc[j + 1].lower_ if j + 1 < sent_end else ""
        if word in vocab.PERIOD_WORDS and later not in vocab.RELATIVE_TIME_AFTER:
            return vocab.PERIOD_WORDS[word], j + 1
    if i + 1 < sent_end and doc[i].lower_ == "in" and doc[i + 1].lower_ in vocab.PERIOD_ADJECTIVES:
        return vocab.PERIOD_ADJECTIVES[doc[i + 1].lower_], end  # "$5 billion in annual revenue"
    if i + 2 < sent_end and doc[i].lower_ in ("run", "run-rate") and doc[i + 1].text == "-":
        return Period.YEAR, end
    return Period.NONE, end


def denominator_after(doc: Doc, end: int, sent_end: int) -> tuple[str, int]:
    """What a price is per, written after it ("$58.24 a barrel", "$1,271 an ounce", "per tonne"); new end."""
    i = end
    if i + 1 < sent_end and doc[i].lower_ in vocab.PERIOD_DETERMINERS:
        word = doc[i + 1].lower_
        if word in vocab.DENOMINATORS:
            return vocab.DENOMINATORS[word], i + 2
    return "", end


def period_before(doc: Doc, start: int, sent_start: int) -> Period:
    """A rate adjective shortly before the figure: "a monthly payment of $1.25 billion"."""
    window = doc[max(sent_start, start - 5):start]
    for k, token in enumerate(window):
        if token.lower_ in vocab.PERIOD_ADJECTIVES:
            rest = [t.lower_ for t in window[k + 1:]]
            # Only when the adjective's noun is tied to this figure ("fee of", "payment:", "revenue,").
            if not rest or rest[-1] in ("of", ":", "=", "is", "was", "at", "totaling", "totalling", "worth"):
                return vocab.PERIOD_ADJECTIVES[token.lower_]
    return Period.NONE


def clause_tokens(doc: Doc, start: int, sent_start: int, limit: int = 12) -> list[Token]:
    """Tokens of the same clause before `start`, nearest last.

    A clause ends at ; : dashes and brackets, and at ", and" / ", but" (a new main clause).
    """
    out: list[Token] = []
    for i in range(start - 1, max(sent_start, start - limit) - 1, -1):
        token = doc[i]
        if token.text in CLAUSE_BREAKS or "\n" in token.text:
            break
        if token.lower_ in ("and", "but", "while", "whereas") and i > sent_start and doc[i - 1].text == ",":
            break
        out.append(token)
    out.reverse()
    return out


def clause_after(doc: Doc, end: int, sent_end: int, limit: int = 10) -> list[str]:
    """Lower-case words after `end` up to the next comma or clause break."""
    out: list[str] = []
    for i in range(end, min(sent_end, end + limit)):
        if doc[i].text in CLAUSE_BREAKS or doc[i].text in (",", ".") or "\n" in doc[i].text:
            break
        out.append(doc[i].lower_)
    return out


# A condition written by inversion: "should the deal fail", "should anything happen", "were the deal to fall through".
INVERTED_CONDITION = re.compile(r"(?:^|[,;]|\band\b)\s*should\s+(?:anything|something|it|this|that|the\s+\w+)\s+\w+"
                                r"|\bwere\s+(?:it|this|that|the\s+\w+)\s+to\s+\w+", re.IGNORECASE)
CONDITION_REACH = 20  # words after a figure to an "if" of its clause ("$1 billion ... will be paid if the deal fails")


BALLOT_OPTIONS = ("yes", "no")  # a referendum's options, as a ballot or a results row writes them
BALLOT_NOUNS = {"vote", "votes", "side", "camp", "campaign", "voters", "option"}
QUOTES = {"'", '"', "‘", "’", "“", "”"}


def _ballot_option(doc: Doc, token: Token) -> bool:
    """"No" as a ballot's option: written in capitals or quoted, or before "vote", "side", "camp"."""
    if token.lower_ not in BALLOT_OPTIONS:
        return False
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    prev = doc[token.i - 1] if token.i > 0 else None
    # "No secured 55% ... with Yes achieving 45%", a results row "No 33.60% 723,632": capitalised beside
    # its counterpart or right before a figure.
    capital = token.text == "No" and ((nxt is not None and nxt.like_num)
                                      or any(t.text == "Yes" for t in doc[max(0, token.i - 15):token.i + 15]))
    return (token.text == "NO" or capital or (prev is not None and prev.text in QUOTES)
            or (nxt is not None and nxt.text in QUOTES) or (nxt is not None and nxt.lower_ in BALLOT_NOUNS))


def modality(doc: Doc, start: int, end: int, sent_start: int, sent_end: int) -> Modality:
    """Stated, planned, hypothetical or negated, from cue words in the figure's clause."""
    sentence_before = [t.lower_ for t in doc[sent_start:start]]
    before = clause_tokens(doc, start, sent_start)
    words = [t.text if t.text == "May" else t.lower_ for t in before]
    # "up to", "close to" belong to the qualifier, not to a change verb's target.
    if words[-2:] in (["up", "to"], ["close", "to"]):
        words = words[:-2]
    # "If every owner chose the refund, the bill could reach $42 million": the whole sentence.
    if sent_start < len(doc) and doc[sent_start].lower_ in ("if", "unless"):
        return Modality.HYPOTHETICAL
    # "Should anything scupper the deal, it will pay $1bn", "a $1 billion fee were the deal to fall through".
    if INVERTED_CONDITION.search(doc[sent_start:sent_end].text):
        return Modality.HYPOTHETICAL
    # "Posts have claimed that 300 fires ...", "an alleged $5 million bribe": unverified.
    if any(w in vocab.UNVERIFIED_WORDS for w in words) or "claimed that" in " ".join(words) \
            or "claims that" in " ".join(words):
        return Modality.HYPOTHETICAL
    # "If a startup requires $15 billion ..." - an if-clause not yet closed by a comma.
    for k in range(len(words) - 1, -1, -1):
        if words[k] == ",":
            break
        if words[k] in vocab.HYPOTHETICAL_WORDS:
            return Modality.HYPOTHETICAL
    # "... would cost another €12 million if the state does not pay" - unless a plan cue already
    # framed it ("could expand to 60,000 wafers by 2030 if demand holds" is a conditional plan).
    if any(w in ("if", "unless") for w in clause_after(doc, end, sent_end, CONDITION_REACH)) \
            and not any(w in vocab.PLAN_WORDS and w != "would" for w in words):
        return Modality.HYPOTHETICAL
    # "X denied reports that the price had climbed to $2.4 billion": a denial scopes over its complement.
    if _denied(sentence_before[-15:]):
        return Modality.NEGATED
    # A "not" after the figure negates the predicate, not the figure: "12 million citizens did not vote",
    # "the 23-year-old had not planned to" still state their figures.
    near = words[-4:]
    # "won't open until late 2029" asserts the date; "not only", "no less than" and "no more than" are
    # bounds, not negations; nor is a ballot's option ("the NO vote with 61%", "voted 'no' and 38.7% yes").
    options = {i for i, t in enumerate(before[-4:]) if _ballot_option(doc, t)}
    if any(_negates(w, near[i + 1:]) and i not in options for i, w in enumerate(near)) \
            and not {"only", "less", "more", "until", "before"} & set(near[-2:]) and "only" not in near:
        return Modality.NEGATED
    # A relative clause ("a bridge that now carries 40,000 vehicles") has its own tense.
    for k in range(len(words) - 1, -1, -1):
        # "expand that to 60,000" - after a verb, "that" is the object, not a new clause.
        if words[k] in RELATIVE_PRONOUNS and not (k and words[k - 1] in VERB_CUES):
            words = words[k + 1:]
            break
    # The nearest cue decides: "currently employs 1,100 and expects headcount to grow to 1,400".
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w in vocab.PRESENT_WORDS:
            return Modality.STATED
        if w in vocab.PLAN_WORDS or (w == "plan" and words[k + 1:k + 2] == ["to"]):
            return Modality.PLANNED
        if w == "will" and any(v in vocab.OUTCOME_VERBS for v in words[k + 1:k + 3]):
            return Modality.PLANNED
    # "expand the cluster to 200,000 GPUs": a change verb's target is a plan; "expanded to" is a fact.
    if words and words[-1] == "to" and any(w in vocab.CHANGE_VERBS or w.removesuffix("ing") in vocab.CHANGE_VERBS
                                           for w in words[-6:-1]):
        return Modality.PLANNED
    after = [t.lower_ for t in doc[end:min(sent_end, end + 4)]]
    if any(w in ("planned", "expected", "projected", "targeted") for w in after) or after[:1] == ["will"]:
        return Modality.PLANNED
    return Modality.STATED


def _denied(words: list[str]) -> bool:
    """A denial verb whose complement holds the figure: not an adjective ("the rejected ballots, 120,515")
    and not a verb another one follows ("dismissed as a copy and sold for £45")."""
    for k in range(len(words) - 1, -1, -1):
        if words[k] in vocab.DENIAL_WORDS:
            adjective = k > 0 and words[k - 1] in ("the", "a", "an", "its", "their", "his", "her")
            return not adjective and not {"and", "but", ";"} & set(words[k + 1:])
    return False


def _negates(word: str, between: list[str]) -> bool:
    """Whether a negation word negates the figure `between` words later ("not the 190", "no 2025 revenue",
    "did not reach 300"), rather than a verb with its own object ("does not include 90,000 cars")."""
    if word not in vocab.NEGATION_WORDS:
        return False
    if word in ("no", "false", "untrue") or not between:
        return True
    return between[0] in vocab.DENIED_OBJECT_VERBS or all(w in vocab.NEGATED_LEAD_WORDS for w in between)


RELATIVE_PRONOUNS = {"that", "which", "who", "whose", "where"}
VERB_CUES = set(vocab.CHANGE_VERBS) | set(vocab.OUTCOME_VERBS) | set(vocab.PLAN_WORDS)


# Nouns made of a verb and a particle ("sign-ups", "check-ins", "lay-offs"): the particle alone is no noun.
PARTICLE_NOUNS = {"ups", "up", "ins", "in", "outs", "out", "offs", "off", "downs", "overs", "backs"}


ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}")  # "U.S.", "U.K.": initials with stops


def _plural_noun(token: Token) -> bool:
    """A lower-case word that looks like a plural noun ("stores"), not a function word or a verb."""
    return token.is_alpha and token.is_lower and len(token) > 3 and token.lower_.endswith("s") \
        and not token.lower_.endswith("ss") and token.lower_ not in vocab.STOPWORDS


def counted_noun(doc: Doc, end: int, sent_end: int) -> tuple[str, str, int] | None:
    """For a bare number, the noun it counts and any product name before it.

    "4,000 Acme X9 accelerators" -> ("accelerator", "Acme X9", end of accelerators). Returns None when
    the number counts nothing (followed by a function word or punctuation).
    """
    words: list[Token] = []
    i = end
    if i < sent_end and doc[i].text == "+":
        i += 1  # "290+ pilots"
    if i + 1 < sent_end and doc[i].text in ("-", "–") and doc[i + 1].is_alpha and doc[i + 1].is_lower:
        if doc[i + 1].lower_ != "strong":
            return vocab.singular(doc[i + 1].text), "", i + 2  # "a 40-page report" counts pages
        i += 2  # "a 150-strong fleet" counts the fleet's members: read on
    if i + 1 < sent_end and doc[i].lower_ == "of" and doc[i + 1].lower_ in ("its", "their", "the", "his", "her",
                                                                            "our", "these", "those"):
        i += 2  # "recalling 84,000 of its e-bikes"
    while i < sent_end and doc[i].lower_ in vocab.COUNT_MODIFIERS:
        i += 1  # "36 more A321neo aircraft"
    while i < sent_end and len(words) < 6:
        token = doc[i]
        if token.text in ("-", "–") and words and i + 1 < sent_end and doc[i + 1].is_alpha:
            i += 1
            continue
        if _is_product_code(token) and _noun_follows(doc, i + 1, sent_end):
            words.append(token)  # "42 Boeing 737 MAX 8 jets", "nine 787-9 widebodies"
            i += 1
            continue
        if ABBREVIATION.fullmatch(token.text) and not words and _noun_follows(doc, i + 1, sent_end):
            i += 1  # "475,000 U.S. diesel owners": a country's initials describe the counted noun
            continue
        if not (token.is_alpha or (token.text[:1].isalpha() and token.text.isalnum())) or token.lower_ in vocab.STOPWORDS:
            break
        words.append(token)
        # A plural noun usually ends the phrase: "GPUs powered", "rivals in", "men broke in", "people remain".
        if (token.lower_.endswith("s") and len(token) > 3 or token.lower_ in vocab.IRREGULAR_PLURALS) \
                and not token.is_upper and i + 1 < sent_end and not doc[i + 1].is_title \
                and not (token.is_title and _plural_noun(doc[i + 1])):
            break  # but "670 Brenners stores": a name ending in s, then the counted noun
        i += 1
    if not words:
        return None
    head = words[-1]
    if head.lower_.endswith("ing") or head.lower_.endswith("ed") or head.lower_.endswith("ly"):
        words = words[:-1]  # a verb or adverb, not the counted thing
        if not words:
            return None
        head = words[-1]
    named = [t for t in words[:-1] if not t.is_lower]
    product = doc[named[0].i:named[-1].i + 1].text if named else ""  # keeps "787-9" as written
    text = head.text
    if head.lower_ in PARTICLE_NOUNS and head.i >= 2 and doc[head.i - 1].text == "-" \
            and not doc[head.i - 1].whitespace_ and not doc[head.i - 2].whitespace_ and doc[head.i - 2].is_alpha:
        text = f"{doc[head.i - 2].text}-{text}"  # "100 million sign-ups" counts sign-ups, not "ups"
    return vocab.singular(text), product, head.i + 1




def money_subject(doc: Doc, start: int, end: int, sent_start: int, sent_end: int) -> str:
    """What an amount is: "$40 billion in revenue" -> revenue; "payment of $1.25B" -> payment."""
    if end + 1 < sent_end and doc[end].lower_ in ("in", "of") and doc[end + 1].is_alpha:
        j = end + 1
        if doc[j].lower_ in vocab.PERIOD_ADJECTIVES and j + 1 < sent_end:
            j += 1
        if doc[j].lower_ not in vocab.STOPWORDS:
            return vocab.singular(doc[j].text)
    if start - 2 >= sent_start and doc[start - 1].lower_ == "of" and doc[start - 2].is_alpha \
            and doc[start - 2].is_lower and doc[start - 2].lower_ not in vocab.STOPWORDS:
        return vocab.singular(doc[start - 2].text)  # "revenue of $4.2 billion", "a payment of $1.25 billion"
    return ""


SENTENCE_END = {".", "!", "?", "…"}


def is_sentence_start(doc: Doc, i: int) -> bool:
    """Sentences end at . ! ? before a capital, and at line breaks (headlines and list items have no stop)."""
    if i <= 0:
        return True
    prev, token = doc[i - 1], doc[i]
    if "\n" in prev.text or "\n" in prev.whitespace_:
        return True
    return prev.text in SENTENCE_END and (token.is_title or token.is_upper or token.is_punct or not token.is_alpha)


# A figure's sentence is read at most this many tokens each way: prose sentences are far
# shorter, and a line of 10,000 numbers with no full stop must cost linear time, not quadratic.
MAX_SENTENCE_REACH = 80


def sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range of the sentence holding tokens start..end (at most MAX_SENTENCE_REACH tokens each way)."""
    s = start
    floor = max(0, start - MAX_SENTENCE_REACH)
    while s > floor and not is_sentence_start(doc, s):
        s -= 1
    e = max(end, start + 1)
    ceiling = min(len(doc), max(end, start + 1) + MAX_SENTENCE_REACH)
    while e < ceiling and not is_sentence_start(doc, e):
        e += 1
    return s, e


DATE_ROLES = {"through": "end", "thru": "end", "until": "end", "till": "end", "to": "end", "ending": "end",
              "since": "start", "from": "start", "starting": "start", "beginning": "start",
              "by": "deadline", "before": "deadline"}


def date_role(doc: Doc, start: int, sent_start: int) -> str:
    """The role a preposition gives a date: "through May 2029" ends something, "since 2020" starts it."""
    for i in range(start - 1, max(sent_start, start - 3) - 1, -1):
        role = DATE_ROLES.get(doc[i].lower_)
        if role:
            return role
        if not doc[i].is_alpha or doc[i].lower_ not in ("early", "late", "mid", "the", "end", "of"):
            break
    return ""


def noun_after(doc: Doc, end: int, sent_end: int) -> str:
    """The noun a duration modifies: "90 days' notice" -> notice, "a three-year contract" -> contract."""
    i = end
    while i < sent_end and doc[i].text in ("'", "’", "-"):
        i += 1
    if i < sent_end and doc[i].is_alpha and doc[i].lower_ not in vocab.STOPWORDS and doc[i].is_lower \
            and not doc[i].lower_.endswith(("ing", "ed", "ly")):
        return vocab.singular(doc[i].text)
    return ""


MOVEMENT_WORDS = ("fell", "rose", "dropped", "gained", "climbed", "jumped", "slid", "slipped", "declined",
                  "increased", "decreased", "grew", "shrank", "surged", "plunged", "tumbled", "up", "down", "by")


def percent_subject(doc: Doc, start: int, end: int, sent_start: int, sent_end: int) -> str:
    """Whose share, or whose change: "the Bank will hold 49%" -> Bank; "shares of X fell 6.2%" -> change of X."""
    before = [t.lower_ for t in clause_tokens(doc, start, sent_start)][-3:]
    who = holder(doc, start, sent_start)
    if any(w in MOVEMENT_WORDS for w in before):
        return f"change: {who}"
    return who


def holder(doc: Doc, start: int, sent_start: int) -> str:
    """The named party nearest before a figure in its clause: "The Aldemar Development Bank will hold 49%"."""
    tokens = clause_tokens(doc, start, sent_start, limit=15)
    run: list[str] = []
    for token in reversed(tokens):
        named = token.is_alpha and (token.is_title or token.is_upper) and token.lower_ not in vocab.STOPWORDS \
            and token.lower_ not in vocab.MONTHS
        if named:
            run.append(token.text)
        elif run:
            break
    return " ".join(reversed(run))


def _is_product_code(token: Token) -> bool:
    return any(ch.isdigit() for ch in token.text) and token.text[:1].isalnum() or token.text == "-"


def _noun_follows(doc: Doc, i: int, sent_end: int) -> bool:
    """Whether product codes from `i` lead to a word ("737 MAX 8 jets"), not to the end of the phrase."""
    for j in range(i, min(sent_end, i + 4)):
        if doc[j].is_alpha:
            return doc[j].lower_ not in vocab.STOPWORDS
        if not _is_product_code(doc[j]):
            return False
    return False
