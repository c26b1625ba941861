"""Fuzz figures for the training-log boundary: how mutated real files end up.

    python benchmarks/fuzz_logs.py              # 60 cases per reader and kind of damage, seed 0
    python benchmarks/fuzz_logs.py --cases 200 --seed 7

Each case is one real shared file (``tests/logs/mutate.FUZZ_FILES``: FIT, a
FIT that breaks part-way, GPX, TCX, Strong, Hevy, FitNotes) truncated, given
1-8 bit flips, or with its timestamps shuffled / reversed / made equal, read
through ``formcheck.logs.read_log``.  A case must end in a typed formcheck
error or in records that pass the plausibility bounds; anything else is
counted as a failure (and should be 0).  Printed per reader and kind: cases,
typed errors (by class; "(bounds)" when the file was refused because most of
its records are impossible), files read, records kept, records dropped by the
bounds from files that were kept, failures, and the mean time of a case.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "logs"))
SHARED = REPO.parent / "shared" / "data"

from mutate import FUZZ_FILES, KINDS, fuzz_base, mutate  # noqa: E402

from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.logs import plausibility  # noqa: E402
from formcheck.logs.boundary import read_log  # noqa: E402


def run_case(folder: Path, reader: str, data: bytes) -> tuple[str, int, int]:
    """("error:<Class>" | "records" | "failure:<Class>", records kept, records dropped)."""
    path = folder / f"case.{FUZZ_FILES[reader][1].rsplit('.', 1)[1]}"
    path.write_bytes(data)
    try:
        parsed = read_log(path, units="lb")
    except FormcheckError as error:
        bounds = " (bounds)" if " impossible (" in error.message else ""  # a file of mostly impossible records
        return f"error:{type(error).__name__}{bounds}", 0, 0
    except Exception as error:  # noqa: BLE001 - exactly what the benchmark is looking for
        return f"failure:{type(error).__name__}", 0, 0
    records = parsed.runs if parsed.kind == "track" else parsed.strength.sets  # type: ignore[union-attr]
    check = plausibility.run_problem if parsed.kind == "track" else plausibility.set_problem
    if any(check(r) is not None for r in records):  # type: ignore[arg-type]
        return "failure:implausible-record", len(records), parsed.dropped
    return "records", len(records), parsed.dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60, help="cases per reader and kind of damage")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"shared sample data not found at {SHARED}")
    totals: collections.Counter[str] = collections.Counter()
    print(f"{'reader':11} {'damage':9} {'cases':>5} {'typed errors':>12} {'read':>5} {'kept':>7} {'dropped':>7} "
          f"{'failures':>8} {'ms/case':>7}  errors by class")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for reader in FUZZ_FILES:
            base = fuzz_base(SHARED, reader)
            for kind in KINDS:
                rng = random.Random(f"{args.seed}:{reader}:{kind}")
                outcomes: collections.Counter[str] = collections.Counter()
                kept = dropped = 0
                started = time.perf_counter()
                for _ in range(args.cases):
                    outcome, k, d = run_case(folder, reader, mutate(reader, kind, base, rng))
                    outcomes[outcome] += 1
                    kept, dropped = kept + k, dropped + d
                ms = 1000 * (time.perf_counter() - started) / args.cases
                errors = sum(n for o, n in outcomes.items() if o.startswith("error:"))
                failures = sum(n for o, n in outcomes.items() if o.startswith("failure:"))
                by_class = ", ".join(f"{o.split(':', 1)[1]} {n}" for o, n in sorted(outcomes.items()) if ":" in o)
                print(f"{reader:11} {kind:9} {args.cases:5d} {errors:12d} {outcomes['records']:5d} {kept:7d} "
                      f"{dropped:7d} {failures:8d} {ms:7.1f}  {by_class}")
                totals.update(cases=args.cases, errors=errors, read=outcomes["records"], kept=kept, dropped=dropped,
                              failures=failures)
    print(f"{'all':21} {totals['cases']:5d} {totals['errors']:12d} {totals['read']:5d} {totals['kept']:7d} "
          f"{totals['dropped']:7d} {totals['failures']:8d}")


if __name__ == "__main__":
    main()
