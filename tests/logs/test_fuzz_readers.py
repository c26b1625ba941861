"""Fuzzing every reader through ``read_log``: truncations, bit flips and shuffled timestamps of real files.

Each case must end in a typed formcheck error (one line, naming the file) or in
records that pass the plausibility bounds: nothing else may come out of the
boundary.  The cases are the ones ``benchmarks/fuzz_logs.py`` counts
(``mutate.mutate``), drawn by hypothesis from a seed.
"""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutate import FUZZ_FILES, KINDS, fuzz_base, mutate

from formcheck.errors import FormcheckError
from formcheck.logs import plausibility
from formcheck.logs.boundary import read_log

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_counter = itertools.count()
_BASES: dict[str, bytes] = {}


def _base(reader: str) -> bytes:
    if reader not in _BASES:
        _BASES[reader] = fuzz_base(SHARED, reader)
    return _BASES[reader]


def check_case(folder: Path, reader: str, data: bytes) -> str:
    """Read one mutant; return "error" or "records" after checking the contract, else fail."""
    path = folder / f"case_{next(_counter)}_{reader}.{FUZZ_FILES[reader][1].rsplit('.', 1)[1]}"
    path.write_bytes(data)
    try:
        parsed = read_log(path, units="lb")
    except FormcheckError as error:
        assert error.message and "\n" not in error.message
        assert path.name in error.message or str(path) in error.message
        return "error"
    finally:
        path.unlink(missing_ok=True)
    if parsed.kind == "track":
        assert parsed.runs
        for run in parsed.runs:
            assert plausibility.run_problem(run) is None
            assert run.points and all(a.time <= b.time for a, b in zip(run.points, run.points[1:]))
            assert math.isfinite(run.duration_s) and (run.distance_m is None or math.isfinite(run.distance_m))
    else:
        assert parsed.strength is not None and parsed.strength.sets
        assert all(plausibility.set_problem(s) is None for s in parsed.strength.sets)
    assert parsed.total >= parsed.dropped >= 0
    return "records"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("reader", sorted(FUZZ_FILES))
@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_every_reader_survives_mutations(tmp_path: Path, reader: str, kind: str, seed: int) -> None:
    check_case(tmp_path, reader, mutate(reader, kind, _base(reader), random.Random(seed)))


def test_the_unmutated_bases_read_cleanly(tmp_path: Path) -> None:
    for reader in FUZZ_FILES:
        assert check_case(tmp_path, reader, _base(reader)) == "records"
