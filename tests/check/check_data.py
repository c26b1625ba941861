"""Paths of the real data the check tests use, and an answers file for the 2015 run (imported by the tests)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
FITNOTES = SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv"
GOOGLEFIT_RUN = SHARED / "tracks" / "run_googlefit_gps_2015-05-31.tcx"
GYM_CLIP = SHARED / "videos" / "treadmill_side_gym_portrait_60fps.mp4"
SQUAT_CLIP = SHARED / "videos" / "negative_squat_front_portrait.mp4"
SAMPLES = REPO / "samples"

ANSWERS_2015 = """
[runner]
height_cm = 178
running_months = 8

[symptom]
date = 2015-05-31
kind = "pump"
where = "lower_back"
forced_walk = true

[endurance]
extensor_s = 60
flexor_s = 95
"""
