"""Nothing impossible reaches the database: damaged real files imported, then every stored record re-checked."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcheck.errors import FormcheckError
from formcheck.logs import plausibility
from formcheck.store import Store
from formcheck.store.ingest import import_file
from training_builders import SHARED

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "logs"))
from mutate import FUZZ_FILES, KINDS, fuzz_base, mutate  # noqa: E402

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with Store.open(f"sqlite:///{tmp_path_factory.mktemp('fuzzstore') / 'fuzz.db'}") as opened:
        yield opened


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reader=st.sampled_from(sorted(FUZZ_FILES)), kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32 - 1))
def test_damaged_files_store_only_plausible_records(store: Store, tmp_path: Path, reader: str, kind: str, seed: int) -> None:
    path = tmp_path / f"fuzz_{seed}.{FUZZ_FILES[reader][1].rsplit('.', 1)[1]}"
    path.write_bytes(mutate(reader, kind, fuzz_base(SHARED, reader), random.Random(seed)))
    before = store.counts()
    try:
        import_file(store, path, runner=reader, units="lb")
    except FormcheckError:
        assert store.counts() == before  # a refused file leaves nothing
        return
    if reader not in store.runners():
        return  # a file whose every record was already stored unchanged
    assert all(plausibility.run_problem(s.run) is None for s in store.runs(reader, with_points=False))
    assert all(plausibility.set_problem(s) is None for s in store.lift_sets(reader))
