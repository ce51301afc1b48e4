"""Shared fixtures: one rule pipeline per test session, and copies of the seed story."""

from __future__ import annotations

import shutil
from pathlib import Path

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
