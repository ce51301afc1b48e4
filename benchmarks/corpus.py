"""Build a synthetic story of N articles from the seed articles, for benchmarks.

Articles are recombined from the paragraphs of the repository's own sources
(`sources/*.md`), with some figures perturbed, so every article is distinct
text that the extractor really has to read (no two share a content hash) while
the mix of money, power, counts, dates and entities stays realistic. The
catalogue is the seed story's, so entity matching and assignment do real work.
Deterministic for a given seed.

    python benchmarks/corpus.py /tmp/story 1000     # build a story folder
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Digits with optional thousands separators and decimals: "1.25", "300", "200,000", "2029".
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])\d+(?:\.\d+)?(?![\w])")
FACTORS = (0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2, 3)


@dataclass(frozen=True)
class Seed:
    """The paragraphs of the seed articles, headlines kept apart from body paragraphs."""

    titles: tuple[str, ...]
    paragraphs: tuple[str, ...]


def read_seed(sources: Path = REPO / "sources") -> Seed:
    """Body paragraphs (front matter stripped) of every seed article."""
    titles: list[str] = []
    paragraphs: list[str] = []
    for path in sorted(sources.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 3) + 5:]
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        if lines:
            titles.append(lines[0])
        paragraphs.extend(lines[1:])
    return Seed(tuple(titles), tuple(paragraphs))


def perturb(text: str, rng: random.Random, share: float = 0.5) -> str:
    """Change about `share` of the numbers in `text`, keeping their written form (separators, decimals)."""
    def one(match: re.Match[str]) -> str:
        written = match.group(0)
        if rng.random() >= share:
            return written
        value = float(written.replace(",", "")) * rng.choice(FACTORS)
        decimals = len(written.split(".")[1]) if "." in written else 0
        if decimals:
            return f"{value:,.{decimals}f}" if "," in written else f"{value:.{decimals}f}"
        value = max(1, round(value))
        if len(written) == 4 and 1900 <= int(written) <= 2100:  # a year stays a plausible year
            return str(int(written) + rng.randint(-3, 3))
        return f"{value:,}" if "," in written else str(value)
    return NUMBER.sub(one, text)


def article(seed: Seed, index: int, rng: random.Random, paragraphs: int = 12) -> str:
    """One Markdown article with front matter: a seed headline and a shuffled pick of paragraphs."""
    title = perturb(rng.choice(seed.titles), rng).replace('"', "'")
    body = [perturb(p, rng) for p in rng.sample(seed.paragraphs, min(paragraphs, len(seed.paragraphs)))]
    published = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
    front = f'---\nid: a{index:06d}\ntitle: "{title}"\npublisher: null\nurl: null\npublished: {published}\n---\n'
    return front + title + "\n" + "\n".join(body) + "\n"


def build_story(folder: Path, count: int, seed: int = 7, start: int = 0) -> Path:
    """Write a story folder with `count` articles (ids a{start}..) and the seed catalogue; returns it."""
    texts = read_seed()
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    claims = folder / "claims"
    if not claims.exists():
        claims.mkdir()
        shutil.copy(REPO / "claims" / "facts.yaml", claims / "facts.yaml")
    for index in range(start, start + count):
        rng = random.Random(f"{seed}:{index}")  # each article independent of how many are built
        (folder / "sources" / f"a{index:06d}.md").write_text(article(texts, index, rng), encoding="utf-8")
    return folder


def article_bodies(folder: Path) -> list[str]:
    """The bodies (front matter stripped) of a built story, for baselines that read raw text."""
    bodies = []
    for path in sorted((folder / "sources").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text[text.index("\n---\n", 3) + 5:] if text.startswith("---\n") else text)
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    build_story(args.folder, args.count, args.seed)
    print(f"wrote {args.count} articles to {args.folder / 'sources'}")


if __name__ == "__main__":
    main()
