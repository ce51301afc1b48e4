"""Score factcheck and quantulum3 side by side on our own gold stories, in one run.

    python benchmarks/bench_gold.py [tests/gold tests/heldout]

Every gold mention of every story (tests/gold: the seeds and the invented stories;
tests/heldout: the stories written blind) becomes an expected figure with its kind and
normalized value; both tools read the same article bodies, and the tables print per
story and kind: precision, recall and F1 on value, then both throughputs. Qualifier,
period and modality are not compared here (quantulum3 has no notion of them);
`factcheck eval` scores those for factcheck alone.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_peer as bp  # noqa: E402  (the benchmarks folder is no package)
import peer_cases as pc  # noqa: E402

from factcheck.evaluate import load_gold, locate  # noqa: E402
from factcheck.sources import load_sources  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def gold_cases(folders: Sequence[Path]) -> list[pc.Case]:
    """One case per article: its body and its gold mentions as expected figures."""
    cases: list[pc.Case] = []
    for folder in folders:
        stories = [folder] if (folder / "gold.yaml").exists() else sorted(
            p for p in folder.iterdir() if (p / "gold.yaml").exists())
        for story in stories:
            sources_dir = story if (story / "sources").is_dir() else REPO
            sources = {s.id: s for s in load_sources(sources_dir).sources}
            for source_id, mentions in sorted(load_gold(story / "gold.yaml").items()):
                source = sources[source_id]
                expected = []
                for g in mentions:
                    start, end = locate(g, source.text)
                    fake = SimpleNamespace(kind=g.kind, value=g.value, high=g.high, unit=g.unit, start=start,
                                           end=end, text=source.text[start:end])
                    [prediction] = bp.factcheck_predictions([fake])
                    expected.append(pc.Expected(start, end, fake.text, prediction.kind, prediction.readings))
                cases.append(pc.Case(suite=f"gold:{story.name}", index=len(cases), text=source.text,
                                     expected=tuple(expected), kinds=frozenset(pc.KINDS),
                                     reference=source.published))
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:]) or ["tests/gold", "tests/heldout"]
    cases = gold_cases([REPO / a if not Path(a).is_absolute() else Path(a) for a in args])
    runs = bp.run_both(cases, [], repeat=3)
    lines = [f"Gold benchmark: factcheck vs {bp.quantulum_description()}",
             f"{len(cases)} articles, {sum(len(c.expected) for c in cases)} gold figures"]
    lines += bp.score_tables(cases, runs)
    lines += bp.throughput_lines(runs)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
