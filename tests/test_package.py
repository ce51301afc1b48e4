"""Package-wide rules: type-checked, and ignorant of any particular story."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "factcheck"
# The seed story's names: they belong in claims/ and tests/, never in the package.
SEED_NAMES = re.compile(r"anthropic|\bxai\b|colossus|grok|h100|memphis|spacex|semafor", re.IGNORECASE)


def test_package_names_no_story() -> None:
    hits = [f"{p.relative_to(PACKAGE.parent)}:{i}" for p in PACKAGE.rglob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if SEED_NAMES.search(line)]
    assert hits == []


def test_mypy_strict_passes() -> None:
    pytest.importorskip("mypy")
    done = subprocess.run([sys.executable, "-m", "mypy", str(PACKAGE)], capture_output=True, text=True,
                          cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stdout[-3000:]


def test_readme_catalogue_example_loads(tmp_path: Path) -> None:
    """The catalogue and resolutions examples in the README are valid files."""
    from factcheck.catalog import load_catalog, load_resolutions

    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)
    facts = next(b for b in blocks if b.startswith("facts:"))
    resolutions = next(b for b in blocks if b.startswith("resolutions:"))
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "facts.yaml").write_text(facts, encoding="utf-8")
    (tmp_path / "claims" / "resolutions.yaml").write_text(resolutions, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert [f.id for f in catalog.facts] == ["monthly_fee", "annual_run_rate", "hardware"]
    assert [r.expression for r in catalog.relations] == ["monthly_fee * 12"]
    assert load_resolutions(tmp_path)[0].verdict == "source-error"


REAL = PACKAGE.parent / "tests" / "real"
# Words of the dev set's subjects that are English words, not names of its events.
GENERIC = {"United", "Kingdom", "Tropical", "Storm", "Group", "Video", "Communications", "Virus", "Sudan",
           "National", "Statistics", "Office", "Canada", "China", "Earthquake", "Outbreak", "July", "News", "Reuters",
           "Daily", "Weekly", "Chief", "Officer", "President", "Ministry", "Health", "Society", "Times", "Bank",
           "April", "France", "Stock", "Government", "World", "People"}  # common words the lexicon lists as not names
GENERIC |= {"Black", "General", "January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
            "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
            "Federal", "Bureau", "Indian", "Commission", "Version", "Article", "Call", "Survey", "Store", "Earlier",
            "Time", "Three", "Fund", "Jones", "Breaking", "Refinitiv", "Figures"}  # a headline word, a data agency, a word


def dev_set_names() -> set[str]:
    """Capitalised words of the subjects the real dev set's gold names (Zoom, Neymar, Ludian ...)."""
    import yaml

    names: set[str] = set()
    for gold in [*REAL.glob("*/gold.yaml"), *REAL.parent.glob("heldout-*/*/gold.yaml")]:  # every real set
        for figure in yaml.safe_load(gold.read_text(encoding="utf-8")).get("figures") or []:
            names.update(w for w in re.findall(r"[A-Z][A-Za-z]{3,}", str(figure.get("subject") or "")))
    return names - GENERIC


def test_package_knows_nothing_of_the_dev_set() -> None:
    """The frame lexicon and the code stay story-agnostic: no name from tests/real's events."""
    names = dev_set_names()
    assert len(names) >= 10  # the dev set is there and its gold names its subjects
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml")]
    hits = [f"{p.relative_to(PACKAGE.parent)}:{i}: {m.group()}" for p in files
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) for m in [pattern.search(line)] if m]
    assert hits == []
