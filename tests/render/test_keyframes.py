"""Key frames on the 60 fps treadmill clip: the right strides, the right frames, the pose really drawn."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.render import keyframes as keyframes_module
from formcheck.render.keyframe_plan import fifth_size, plan_keyframes, stride_phases
from formcheck.render.skeleton import JOINT_RGB, SKELETON_COLOURS_RGB
from formcheck.render.source import pose_px
from formcheck.video.frames import iter_frames
from render_helpers import near_colour

pytestmark = pytest.mark.slow

NAMES = [f"{g}_{p}" for g in ("early", "late") for p in ("contact", "midstance", "toe_off")]


def read_rgb(path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None, f"{path} does not decode"
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def test_six_keyframes_and_the_combined_picture_are_written(treadmill_out):
    out, written = treadmill_out
    folder = out / "keyframes"
    for name in NAMES:
        assert read_rgb(folder / f"{name}.jpg").shape == (960, 540, 3)  # 1080x1920 portrait, downscaled to 960 tall
    combined = read_rgb(folder / "early_vs_late.jpg")
    assert 900 <= combined.shape[0] <= 960 and combined.shape[1] > 3 * 200  # three tiles a row, two rows
    assert {str(p) for p in written} >= {f"keyframes/{n}.jpg" for n in NAMES} | {"keyframes/early_vs_late.jpg"}


def test_typical_strides_come_from_the_first_and_last_fifth(treadmill):
    plan = plan_keyframes(treadmill.track, treadmill.analysis)
    strides = treadmill.analysis.strides
    k = fifth_size(len(strides))
    assert plan.strides_based and [f.name for f in plan.frames] == NAMES
    for group, fifth in (("early", strides[:k]), ("late", strides[-k:])):
        frames = [f for f in plan.frames if f.group == group]
        chosen = strides[frames[0].stride_number - 1]
        assert chosen in fifth
        median = np.median([s.trunk_lean_deg for s in fifth])
        assert abs(chosen.trunk_lean_deg - median) == min(abs(s.trunk_lean_deg - median) for s in fifth)
        contact, mid, toe_off = (f.row for f in frames)
        events = treadmill.analysis.events
        # a running foot leaves before the other lands: the "toe-off" at frame 55 after the other foot's contact at
        # 52 was the other foot's (a label swap), drawn as the stance foot's push-off
        other_lands = min(e.frame for e in events if e.kind == "contact" and chosen.start_frame < e.frame < chosen.end_frame)
        assert contact == chosen.start_frame < mid < toe_off < other_lands
        toe_offs = [e.frame for e in events if e.kind == "toe_off" and e.foot == chosen.foot
                    and chosen.start_frame < e.frame < other_lands]  # fmt: skip
        measured = bool(toe_offs)
        assert stride_phases(chosen, treadmill.analysis)["toe_off"] == (toe_off, measured)
        if measured:
            assert toe_off == toe_offs[0] and mid == (contact + toe_off) // 2
        doubtful = treadmill.analysis.metrics["ground_contact_ms"].value is None  # withheld: "toe-off too uncertain"
        assert ("(uncertain in this clip)" in frames[2].title) == (measured and doubtful), frames[2].title


def test_skeleton_is_drawn_at_the_hips_and_differs_from_the_raw_frame(treadmill, treadmill_out):
    out, _ = treadmill_out
    index = json.loads((out / "keyframes" / "index.json").read_text())
    entry = next(f for f in index["frames"] if f["file"] == "early_contact.jpg")
    row = int(np.argmin(np.abs(treadmill.track.time_s - entry["time_s"])))
    drawn = read_rgb(out / "keyframes" / "early_contact.jpg")
    scale = drawn.shape[0] / treadmill.track.height
    raw = next(f.image for f in iter_frames(treadmill.info, entry["time_s"] - 0.005, entry["time_s"] + 0.005))
    raw = cv2.resize(raw, (drawn.shape[1], drawn.shape[0]), interpolation=cv2.INTER_AREA)
    for hip in pose_px(treadmill.analysis, row)[[23, 24]] * scale:
        assert near_colour(drawn, *hip, SKELETON_COLOURS_RGB)
        assert not near_colour(raw, *hip, (JOINT_RGB,))  # the magenta joint is ours, not the gym's
    x, y = (pose_px(treadmill.analysis, row)[23] * scale).round().astype(int)
    patch = (slice(y - 4, y + 5), slice(x - 4, x + 5))
    assert np.abs(drawn[patch].astype(int) - raw[patch].astype(int)).mean() > 30


def test_index_json_says_what_each_picture_shows(treadmill, treadmill_out):
    index = json.loads((treadmill_out[0] / "keyframes" / "index.json").read_text())
    assert index["strides_based"] and index["combined"] == "early_vs_late.jpg"
    assert [f["file"] for f in index["frames"]] == [f"{n}.jpg" for n in NAMES]
    for frame in index["frames"]:
        assert np.min(np.abs(treadmill.track.time_s - frame["time_s"])) < 1e-3
        assert frame["title"].startswith(frame["group"].upper())


def test_frames_come_from_one_short_window_per_cluster(treadmill, monkeypatch):
    calls, yielded = [], []
    real = keyframes_module.iter_frames

    def spy(*args, **kwargs):
        calls.append(args[1:3])
        for frame in real(*args, **kwargs):
            yielded.append(frame.index)
            yield frame

    monkeypatch.setattr(keyframes_module, "iter_frames", spy)
    plan = plan_keyframes(treadmill.track, treadmill.analysis)
    drawn = keyframes_module.collect_keyframes(treadmill.info, treadmill.track, treadmill.analysis, plan.frames)
    assert set(drawn) == set(NAMES)
    times = treadmill.track.time_s
    early = sorted(f.row for f in plan.frames if f.group == "early")
    late = sorted(f.row for f in plan.frames if f.group == "late")
    assert times[late[0]] - times[early[-1]] > keyframes_module.SAME_WINDOW_S  # this clip: two clusters
    assert len(calls) == 2  # one seek + short window each, not one pass over everything between them
    for (start_s, end_s), rows in zip(calls, (early, late)):
        assert start_s <= times[rows[0]] and end_s >= times[rows[-1]] and end_s - start_s < 1.0
    assert len(yielded) == len(NAMES)  # only the planned frames are converted and handed over


def test_clusters_split_where_planned_frames_are_far_apart():
    times = np.arange(0.0, 20.0, 0.5)
    rows = [0, 2, 4, 10, 30, 31]  # 0, 1, 2, 5 s (gaps <= 3 s) | 15, 15.5 s
    assert keyframes_module._clusters(rows, times) == [[0, 2, 4, 10], [30, 31]]
    assert keyframes_module._clusters([0, 4, 12], times) == [[0, 4], [12]]  # 2 s -> 6 s: 4 s apart
    assert keyframes_module._clusters([5], times) == [[5]]
    assert keyframes_module._clusters([], times) == []


def test_front_view_gets_evenly_spaced_frames_titled_honestly(videos_dir, pose_track_of, tmp_path):
    info, track = pose_track_of(videos_dir / "outdoor_front_jog_portrait.mp4")
    analysis = analyze_track(track)
    plan = plan_keyframes(track, analysis)
    assert not plan.strides_based and len(plan.frames) == 6
    assert all(track.found[f.row] for f in plan.frames)
    assert all(f.title.startswith("no strides measured (front view)") for f in plan.frames)
    written = keyframes_module.write_keyframes(tmp_path, info, track, analysis)
    assert sorted(p.name for p in written) == sorted([f"frame_{i}.jpg" for i in range(1, 7)] + ["early_vs_late.jpg", "index.json"])
    assert read_rgb(tmp_path / "keyframes" / "frame_1.jpg").shape[0] == 960


def test_captions_draw_non_ascii_names_instead_of_question_marks():
    """OpenCV's Hershey font is ASCII only: the combined picture titled a clip 'L??ufer clip 1.mp4'."""
    from formcheck.render.keyframes import _caption

    umlaut, marks = _caption(300, ["Läufer.mp4"]), _caption(300, ["L??ufer.mp4"])
    assert umlaut.shape == marks.shape == (26, 300, 3) and umlaut.dtype == np.uint8
    assert (umlaut != marks).any()
    assert (_caption(300, ["跑步.mp4"]) == _caption(300, ["??.mp4"])).all()  # a glyph the font lacks: "?", not a box
