"""Run every benchmark suite and exit non-zero if a case is over its budget.

`make bench` runs all suites; `python -m bench media` runs the named ones.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

SUITES = (
    "ids",
    "posts",
    "media",
    "feed",
    "instructions",
    "realtime",
    "messages",
    "memory",
    "fuzz",
    "drill",
    "insights",
    "lag",
    "federation",
)


def main(argv: list[str]) -> int:
    """Set up Django on the embedded default, then run each suite's ``run()``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("GLIMPSE_DATA_DIR", str(Path("var") / "bench"))
    import django

    django.setup()
    chosen = argv or list(SUITES)
    over_budget = 0
    for index, name in enumerate(chosen, start=1):
        print(f"[{index}/{len(chosen)}] {name}", flush=True)
        results = importlib.import_module(f"bench.{name}").run()
        over_budget += sum(not r.within_budget for r in results)
    if over_budget:
        print(f"\n{over_budget} case(s) over budget")
    return 1 if over_budget else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
