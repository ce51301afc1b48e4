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
