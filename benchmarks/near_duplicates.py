"""The quality watch's search for near-duplicate micro-credentials on a large catalogue.

Run: ``python benchmarks/near_duplicates.py [--offers N ...]``.

Makes N offers as ``pages.py`` seeds its catalogue (a title from an ESCO skill and a level,
"(level 2)", outcomes from another skill's name and description: some offers repeat a
skill as real catalogues repeat a subject, and a third share each level's phrase as real
catalogues share "data analysis") and times ``microcred.frameworks.watch.near_duplicates`` on
them in a new process per size, printing the seconds, the pairs found and the process's
peak memory, against the baseline: the same measurement on the code before the search
compared only pairs sharing one of their rarer bigrams (BASELINE).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

from pages import esco_skills

# Offers -> (CPU seconds, pairs, peak MB) on the code that compared every pair sharing any
# bigram (main at 8a8f7c6), measured with this script on the 2-core machine. 50,000 was not
# attempted: the work and the memory grow with the square of the offers that share a phrase
# (projected from 8,000: about 25 minutes and 55 GB, more memory than the machine has).
BASELINE = {
    1000: (0.36, 34, 49),
    2000: (1.59, 139, 120),
    4000: (7.50, 559, 391),
    8000: (37.66, 2276, 1446),
}


def offers(count: int) -> list[tuple[str, tuple[str, ...]]]:
    """Return ``count`` titles with their outcomes, made from ESCO skills."""
    rng = random.Random(2026)
    skills = esco_skills()
    made = []
    for _ in range(count):
        skill, second = rng.sample(skills, 2)
        outcomes = (second["preferredLabel"].capitalize() + ".", second["description"])
        title = f"{skill['preferredLabel'].capitalize()} (level {rng.randint(1, 3)})"
        made.append((title, outcomes))
    return made


def measure(count: int) -> None:
    """Print one JSON line: the seconds, pairs and peak memory of one search."""
    from microcred.frameworks.watch import CatalogueText, near_duplicates

    items = [
        CatalogueText(f"org/{n}", "org", title, outcomes)
        for n, (title, outcomes) in enumerate(offers(count))
    ]
    started = time.process_time()
    found = near_duplicates(items)
    seconds = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"seconds": seconds, "pairs": len(found), "peak_mb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, nargs="+", default=[1000, 2000, 4000, 8000, 50000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        measure(options.one)
        return
    print("offers    seconds (CPU)     pairs   peak MB   baseline")
    for count in options.offers:
        run = subprocess.run(
            [sys.executable, __file__, "--one", str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(run.stdout)
        before = BASELINE.get(count)
        compared = (
            f"{before[0]:.2f} s, {before[2]} MB: {before[0] / figures['seconds']:,.0f}x faster"
            if before
            else "not measured"
        )
        print(
            f"{count:>6,} {figures['seconds']:>12.2f} {figures['pairs']:>11,} "
            f"{figures['peak_mb']:>9,}   {compared}"
        )


if __name__ == "__main__":
    main()
