"""Run every benchmark suite (bench/bench_*.py) and exit non-zero if one is over budget."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path


def main() -> int:
    """Set up Django on the embedded default, then run each suite's ``run()``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("GLIMPSE_DATA_DIR", str(Path("var") / "bench"))
    import django

    django.setup()
    suites = sorted(Path(__file__).parent.glob("bench_*.py"))
    over_budget = 0
    for index, path in enumerate(suites, start=1):
        print(f"[{index}/{len(suites)}] {path.stem}", flush=True)
        module = importlib.import_module(f"bench.{path.stem}")
        results = module.run()
        over_budget += sum(not r.within_budget for r in results)
    if over_budget:
        print(f"\n{over_budget} case(s) over budget")
    return 1 if over_budget else 0


if __name__ == "__main__":
    sys.exit(main())
