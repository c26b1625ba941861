"""Writing an analysis to its output folder atomically: summary.json, strides.csv, frames.csv.

The folder rules (atomic replacement, a manifest, never touching files
formcheck did not write) live in :mod:`formcheck.output_dir`;
``check_output_dir`` and ``atomic_output_dir`` are re-exported here for older imports.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcheck import __version__
from formcheck.analysis.pipeline import LEG_LENGTH_FRACTION_OF_HEIGHT, Analysis, AnalysisOptions
from formcheck.output_dir import atomic_output_dir, check_output_dir
from formcheck.pose.landmarks import LANDMARK_NAMES, SIDES
from formcheck.pose.track import PoseTrack
from formcheck.video.probe import VideoInfo

SCHEMA = "formcheck.analysis/1"

__all__ = ["SCHEMA", "atomic_output_dir", "check_output_dir", "summary_dict", "write_analysis"]


def summary_dict(info: VideoInfo, track: PoseTrack, analysis: Analysis, options: AnalysisOptions) -> dict[str, object]:
    """The ``summary.json`` document (schema ``formcheck.analysis/1``)."""
    return {
        "schema": SCHEMA,
        "formcheck_version": __version__,
        "video": info.as_json(),
        "activity": analysis.activity.activity,
        "activity_reason": analysis.activity.reason,
        "view": analysis.orientation.view,
        "facing": analysis.orientation.facing,
        "passes": [
            {"facing": p.facing, "start_s": round(float(track.time_s[p.start]), 3), "end_s": round(float(track.time_s[p.end - 1]), 3)}
            for p in analysis.orientation.passes
        ],
        "time_scale": analysis.time_scale.as_json(),
        "warnings": list(analysis.warnings),
        "metrics": {name: metric.as_json() for name, metric in analysis.metrics.items()},
        "drift": {name: (d.as_json() if d else None) for name, d in analysis.drift.items()},
        "filter": analysis.filter.as_json(),
        "pose": {
            "model": track.model,
            "frames_analysed": track.n_frames,
            "frames_with_person": int(track.found.sum()),
            "identity_rejections": int(track.identity_rejected.sum()),
            "damaged_frames": int(track.damaged.sum()),
            "lost_intervals_s": [[round(a, 3), round(b, 3)] for a, b in track.lost_intervals_s()],
            "scene_cuts_s": [round(float(t), 3) for t in track.time_s[track.scene_cut]],
            "mean_visibility": round(float(track.visibility[track.found].mean()), 3) if track.found.any() else None,
        },
        "camera_tilt": {"tilt_deg": track.tilt_deg, "lines": track.tilt_lines},
        "runner": {"height_cm": options.height_cm,
                   "leg_length_cm": round(options.height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT, 1) if options.height_cm else None},
    }  # fmt: skip


def json_default(value: object) -> object:
    """NumPy scalars reach the summary through metrics; JSON wants plain Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _fmt(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.4f}"


def write_strides_csv(path: Path, analysis: Analysis, options: AnalysisOptions) -> None:
    leg_cm = options.height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT if options.height_cm else None
    scale = analysis.time_scale.factor
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["stride", "foot", "facing", "contact_frame", "contact_time_s", "duration_s", "trunk_lean_deg",
                         "head_flexion_deg", "forward_head_deg", "knee_flexion_at_contact_deg", "overstride_pct_leg",
                         "overstride_cm", "vertical_oscillation_pct_leg", "vertical_oscillation_cm", "ground_contact_ms"])  # fmt: skip
        for i, s in enumerate(analysis.strides):
            writer.writerow([
                i + 1, SIDES[s.foot], "right" if s.facing_sign > 0 else "left", s.start_frame,
                _fmt(s.contact_s * scale), _fmt(s.duration_s * scale), _fmt(s.trunk_lean_deg), _fmt(s.head_flexion_deg),
                _fmt(s.forward_head_deg), _fmt(s.knee_flexion_at_contact_deg), _fmt(s.overstride_pct_leg),
                _fmt(s.overstride_pct_leg * leg_cm / 100) if leg_cm else "", _fmt(s.vertical_oscillation_pct_leg),
                _fmt(s.vertical_oscillation_pct_leg * leg_cm / 100) if leg_cm else "",
                _fmt(s.contact_time_s * 1000 * scale) if analysis.metrics["ground_contact_ms"].value is not None else "",
            ])  # fmt: skip


def write_frames_csv(path: Path, track: PoseTrack, analysis: Analysis) -> None:
    """Per frame: time, raw landmark pixels (image coordinates, y down) and visibility, angles."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        header = ["frame", "time_s", "found", "facing", "trunk_lean_deg", "head_flexion_deg", "forward_head_deg"]
        for name in LANDMARK_NAMES:
            header += [f"{name}_x_px", f"{name}_y_px", f"{name}_visibility"]
        writer.writerow(header)
        facing = {1: "right", -1: "left", 0: ""}
        for i in range(track.n_frames):
            row = [int(track.frame_index[i]), _fmt(track.time_s[i]), int(track.found[i]), facing[int(analysis.facing_sign[i])],
                   _fmt(analysis.lean_deg[i]), _fmt(analysis.head_flexion_deg[i]), _fmt(analysis.forward_head_deg[i])]  # fmt: skip
            for k in range(len(LANDMARK_NAMES)):
                row += [_fmt(track.xy_px[i, k, 0]), _fmt(track.xy_px[i, k, 1]), f"{track.visibility[i, k]:.3f}"]
            writer.writerow(row)


def write_analysis(out_dir: Path, info: VideoInfo, track: PoseTrack, analysis: Analysis, options: AnalysisOptions,
                   extra: Callable[[Path], None] | None = None) -> dict[str, object]:
    """Write every output into ``out_dir`` atomically; ``extra`` may add more files (plots, key frames)."""
    summary = summary_dict(info, track, analysis, options)
    with atomic_output_dir(out_dir, inputs=(Path(info.path),)) as tmp:
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, allow_nan=False, default=json_default) + "\n")
        write_strides_csv(tmp / "strides.csv", analysis, options)
        write_frames_csv(tmp / "frames.csv", track, analysis)
        if extra is not None:
            extra(tmp)
    return summary
