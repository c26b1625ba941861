"""The batch on Ray: a local Ray instance with 2 CPUs, started once for this module (~5-10 s).

``run_batch`` finds Ray already initialised and uses that connection (leaving
it open), exactly as it would join a cluster; the statuses, folders and store
rows must be those of the local pool, and a worker that dies is retried by
Ray (``max_retries``) and then recorded as failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_expect import EXPECTED, leftovers, statuses

from formcheck.batch import BatchOptions, run_batch
from formcheck.batch.work import FAULT_ENV
from formcheck.store.api import Store
from formcheck.store.checks import video_analyses

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    import logging
    import os

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    try:
        yield
    finally:
        ray.shutdown()


def test_ray_batch_matches_the_local_pool(ray_instance: None, clip_folder: Path, tmp_path: Path) -> None:
    options = BatchOptions(source=clip_folder, out=tmp_path / "out", db=f"sqlite:///{tmp_path / 's.db'}", ray="local",
                           workers=2, show_progress=False)  # fmt: skip
    arrived: list[str] = []
    report = run_batch(options, on_row=lambda row: arrived.append(row.video))
    assert statuses(report) == EXPECTED
    assert sorted(arrived) == sorted(EXPECTED)  # each stored as it arrived, in completion order
    assert json.loads((tmp_path / "out" / "ben" / "walk" / "summary.json").read_text())["activity"] == "walking"
    with Store.open(options.db) as store:
        assert len(video_analyses(store, "anna")) == 2 and len(video_analyses(store, "ben")) == 1
    assert leftovers(tmp_path / "out") == []
    again = run_batch(options)
    assert statuses(again) == {v: ("skipped" if s == "analysed" else s) for v, s in EXPECTED.items()}


def test_ray_worker_death_is_retried_then_failed(ray_instance: None, clip_folder: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    folder = tmp_path / "in" / "anna"
    folder.mkdir(parents=True)
    for name in ("grass.mp4", "legs.mp4"):
        (folder / name).symlink_to((clip_folder / "anna" / name).resolve())
    marker = tmp_path / "legs-died-once"
    monkeypatch.setenv(FAULT_ENV, f"die:grass.mp4,die-once-writing:legs.mp4:{marker}")  # legs dies half-written
    options = BatchOptions(source=tmp_path / "in", out=tmp_path / "out", db=f"sqlite:///{tmp_path / 's.db'}",
                           ray="local", workers=2, show_progress=False)  # fmt: skip
    report = run_batch(options)
    assert statuses(report) == {"anna/grass.mp4": "failed", "anna/legs.mp4": "analysed"}
    assert next(r.error for r in report.rows if r.video == "anna/grass.mp4") == (
        "the worker analysing it died 3 times; not retried again")
    assert marker.exists()
    assert leftovers(tmp_path / "out") == []  # Ray's own retry wrote the results; the dead attempt's folder is gone


def test_long_clip_split_into_segment_tasks_gives_the_same_result(ray_instance: None, clip_folder: Path,
                                                                   tmp_path: Path) -> None:  # fmt: skip
    """walk.avi (7.9 s) over a 6 s threshold: two 3-s segment tasks, stitched, the same measures as one task."""
    from formcheck.batch.ray_runner import run_ray
    from formcheck.batch.work import VideoTask

    walk = str((clip_folder / "ben" / "walk.avi").resolve())
    outcomes = {}
    for label, split in (("split", 6.0), ("whole", None)):
        task = VideoTask(0, walk, str(tmp_path / label / "walk"), "walk.avi", use_cache=False)
        run_ray([task], lambda outcome, label=label: outcomes.__setitem__(label, outcome), split_above_s=split)
    split, whole = outcomes["split"], outcomes["whole"]
    assert (split.status, split.segments, whole.segments) == ("analysed", 2, 1)
    assert split.frames == whole.frames
    assert (split.summary["activity"], split.summary["view"]) == (whole.summary["activity"], whole.summary["view"])
    for name, tolerance in (("cadence_spm", 1.0), ("trunk_lean_deg", 0.5)):
        a, b = split.summary["metrics"][name]["value"], whole.summary["metrics"][name]["value"]
        assert (a is None and b is None) or abs(a - b) <= tolerance, (name, a, b)
    # the segments search the whole clip's tilt frames (TiltGrid): the same lines, the same estimate
    # (only a line at the runner's box border may fall on the other side of the 50 % rule)
    tilt_split, tilt_whole = split.summary["camera_tilt"], whole.summary["camera_tilt"]
    assert abs(tilt_split["lines"] - tilt_whole["lines"]) <= 2 and tilt_whole["lines"] >= 1
    if tilt_whole["tilt_deg"] is None:  # this dim clip shows 2 lines, under the 3 an estimate needs
        assert tilt_split["tilt_deg"] is None
    else:
        assert tilt_split["tilt_deg"] == pytest.approx(tilt_whole["tilt_deg"], abs=0.2)


def test_a_batch_pointed_at_a_running_instance_joins_it(ray_instance: None, clip_folder: Path, tmp_path: Path) -> None:
    """``formcheck batch --ray ADDRESS`` from another process: as a clinic points batches at its kept-up cluster.

    The instance checks tokens (Ray's default, which ``ray.init`` notes as ``RAY_AUTH_MODE=token`` in this
    process): a driver that does not send its token gets one line saying what to set, then the batch runs.
    """
    import os
    import subprocess
    import sys

    import ray

    folder = tmp_path / "in" / "anna"
    folder.mkdir(parents=True)
    (folder / "grass.mp4").symlink_to((clip_folder / "anna" / "grass.mp4").resolve())
    address = ray.get_runtime_context().gcs_address
    args = [sys.executable, "-m", "formcheck.cli", "batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
            "--db", f"sqlite:///{tmp_path / 's.db'}", "--ray", address, "--quiet"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "RAY_AUTH_MODE"}
    if os.environ.get("RAY_AUTH_MODE") == "token":
        refused = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.strip().startswith(f"error: cannot connect to the Ray cluster at {address}")
        assert "set RAY_AUTH_MODE=token" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
        env["RAY_AUTH_MODE"] = "token"
    joined = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert joined.returncode == 0, joined.stderr[-2000:]
    assert (tmp_path / "out" / "anna" / "grass" / "summary.json").is_file()
    assert ray.is_initialized() and ray.cluster_resources().get("CPU") == 2.0  # the instance outlives the batch
