"""Objects built without their dataclass __init__ for speed hold exactly the fields __init__ would set."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

from factcheck.model import Claim, Evidence, Fact, Kind, Mention, Source
from factcheck.reconcile import evidence
from factcheck.sources import line_starts


def test_quotes_built_directly_equal_those_built_by_the_dataclass() -> None:
    text = "Acme paid $2 billion.\nIt was a lot.\n"
    source = Source(id="a", path=Path("a.md"), text=text, title=None, publisher=None, url=None, published=None,
                    body_line=1, line_starts=line_starts(text))
    defaults = {f.name: f.default for f in dataclasses.fields(Mention) if f.default is not dataclasses.MISSING}
    mention = Mention(**{**defaults, "source_id": "a", "start": 10, "end": 20, "text": "$2 billion", "kind": Kind.MONEY,
                         "value": Decimal(2000000000), "unit": "USD", "sentence": "Acme paid $2 billion.",
                         "sentence_start": 0})
    fact = Fact(id="deal", label="Deal", kind=Kind.MONEY, unit="USD")
    [quote] = evidence([Claim(mention, "deal", 100.0)], {"deal": fact}, {"a": source})
    expected = Evidence(source_id="a", line=1, start=10, end=20, text="$2 billion", sentence="Acme paid $2 billion.",
                        sentence_start=0, value_label=quote.value_label, modality=mention.modality,
                        in_headline=mention.in_headline)
    assert vars(quote).keys() == {f.name for f in dataclasses.fields(Evidence)}
    assert quote == expected and hash(quote) == hash(expected)
