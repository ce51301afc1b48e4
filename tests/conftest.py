"""Shared fixtures: one rule pipeline per test session, copies of the seed story, and an offline Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from factcheck.nlp import build_pipeline

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline()


@pytest.fixture
def seed_story(tmp_path: Path) -> Path:
    """A private copy of the repository's own story (sources/ and claims/)."""
    story = tmp_path / "story"
    story.mkdir()
    shutil.copytree(REPO / "sources", story / "sources")
    shutil.copytree(REPO / "claims", story / "claims", ignore=shutil.ignore_patterns("resolutions.yaml", ".*"))
    return story


# ---------------------------------------------------------------- Chromium (tests/test_browser.py, test_serve.py)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("FACTCHECK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI is set: the browser tests must run in CI")
    pytest.skip(f"{reason} (set FACTCHECK_CHROMIUM or install chromium; fails instead when CI is set)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium binary found")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
