"""Plots: written as PNG and SVG, readable, and honest when a measure is null."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import cv2
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.render.plots import write_plots

pytestmark = pytest.mark.slow

STEMS = ("lean_per_stride", "cadence_per_stride", "vertical_oscillation")
SVG = "{http://www.w3.org/2000/svg}"


def svg_paths_and_comments(path) -> tuple[int, str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return len(root.findall(f".//{SVG}path")), path.read_text()


def test_three_plots_as_png_and_svg(treadmill_out):
    out, written = treadmill_out
    assert {str(p) for p in written} >= {f"plots/{s}.{e}" for s in STEMS for e in ("png", "svg")}
    for stem in STEMS:
        png = cv2.imread(str(out / "plots" / f"{stem}.png"))
        assert png is not None and png.shape[0] > 300 and png.shape[1] > 600
        n_paths, text = svg_paths_and_comments(out / "plots" / f"{stem}.svg")
        assert n_paths > 0
        assert "treadmill_side_gym_portrait_60fps.mp4" in text  # the title names the clip (text is kept as a comment)


def test_lean_plot_marks_the_fifths_with_their_means(treadmill_out, treadmill):
    _, text = svg_paths_and_comments(treadmill_out[0] / "plots" / "lean_per_stride.svg")
    drift = treadmill.analysis.drift["trunk_lean_deg"]
    assert f"first fifth: {drift.first_mean:+.1f}" in text and f"last fifth: {drift.last_mean:+.1f}" in text
    assert "trunk lean from vertical (deg)" in text and "time in the clip (s, real time)" in text


def test_slow_motion_clip_gets_a_titled_empty_cadence_plot(videos_dir, pose_track_of, tmp_path):
    _, track = pose_track_of(videos_dir / "treadmill_side_lab_slowmo.mp4")
    analysis = analyze_track(track)
    assert analysis.metrics["cadence_spm"].value is None
    write_plots(tmp_path, track, analysis, "treadmill_side_lab_slowmo.mp4")
    _, text = svg_paths_and_comments(tmp_path / "plots" / "cadence_per_stride.svg")
    assert "Cadence not measured: slow motion suspected" in text and "per stride" in text
    assert "mean " not in text  # no made-up numbers
    _, lean = svg_paths_and_comments(tmp_path / "plots" / "lean_per_stride.svg")
    assert "file clock: slow motion suspected" in lean  # posture is fine, but time is labelled as file time


@pytest.mark.parametrize("clip", ["treadmill_side_gym_portrait_60fps.mp4", "outdoor_front_jog_portrait.mp4",
                                  "track_sprint_broadcast_multi.mp4", "outdoor_side_far_elevated.avi"])
def test_every_label_title_and_tick_lies_inside_the_fixed_margins(videos_dir, pose_track_of, tmp_path, monkeypatch,
                                                                   clip):  # fmt: skip
    """The margins are fixed (no constrained layout, 40 % of the plots' time): nothing may be cut off.

    Real clips with a measured, an empty (front view) and a sprinter's plot, each with the second
    axis in centimetres (a height is given)."""
    from formcheck.render import plots

    checked: list[str] = []
    real_save = plots._save

    def save_checked(fig, folder, stem):
        fig.canvas.draw()
        drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # inches: every text and line actually drawn
        width, height = fig.get_size_inches()
        assert drawn.x0 >= -0.01 and drawn.y0 >= -0.01, (stem, drawn)
        assert drawn.x1 <= width + 0.01 and drawn.y1 <= height + 0.01, (stem, drawn)
        checked.append(stem)
        return real_save(fig, folder, stem)

    monkeypatch.setattr(plots, "_save", save_checked)
    _, track = pose_track_of(videos_dir / clip)
    plots.write_plots(tmp_path, track, analyze_track(track), clip, height_cm=178)
    assert checked == list(STEMS)
