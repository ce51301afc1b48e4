"""Extract stage: articles in, normalized mentions (and the numbers deliberately dropped) out.

The runner (run.py) needs spaCy; it is imported on first use, so that the rest of
the package (number formatting, the pattern table, a warm check served from the
cache) never pays for loading spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Extraction

if TYPE_CHECKING:
    from .run import extract, extract_all

__all__ = ["Extraction", "extract", "extract_all"]


def __getattr__(name: str) -> Any:
    if name in ("extract", "extract_all"):
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
