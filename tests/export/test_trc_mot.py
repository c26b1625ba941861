"""OpenSim exports: files that a strict reader written from the format spec reads back exactly."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from opensim_reader import opensim_tokens, read_mot, read_trc  # noqa: E402
from synthetic_runner import synthetic_track  # noqa: E402

from formcheck.analysis.pipeline import LEG_LENGTH_FRACTION_OF_HEIGHT, Analysis, AnalysisOptions, analyze_track  # noqa: E402
from formcheck.errors import UsageError  # noqa: E402
from formcheck.export import EXPORTERS, write_exports  # noqa: E402
from formcheck.export.joint_angles import leg_angles_deg  # noqa: E402
from formcheck.export.mot import COLUMNS, angle_table, write_mot  # noqa: E402
from formcheck.export.trc import OPENSIM_MARKER_NAMES, marker_xyz, write_trc  # noqa: E402
from formcheck.kinematics.body import build_body  # noqa: E402
from formcheck.kinematics.geometry import joint_angle_deg  # noqa: E402
from formcheck.pose.landmarks import INDEX, LANDMARK_NAMES  # noqa: E402
from formcheck.pose.track import PoseTrack  # noqa: E402

PRINTED = 1e-6  # six decimals in the files: half a unit of the last digit, plus float noise


@lru_cache(maxsize=None)
def runner(facing: int = 1, capture_fps: float | None = None) -> tuple[PoseTrack, Analysis]:
    track = synthetic_track(duration_s=4.0, facing=facing)
    return track, analyze_track(track, AnalysisOptions(capture_fps=capture_fps))


def with_body_xy(analysis: Analysis, xy: np.ndarray) -> Analysis:
    return replace(analysis, body=replace(analysis.body, xy=xy))


# --- .trc -------------------------------------------------------------------


def test_trc_header_matches_the_spec_and_the_track(tmp_path: Path) -> None:
    track, analysis = runner()
    path = tmp_path / "run.trc"
    write_trc(path, track, analysis, None)
    trc = read_trc(path)
    assert trc.first_line == ("PathFileType", "4", "(X/Y/Z)", "run.trc")
    assert int(trc.meta["NumFrames"]) == int(trc.meta["OrigNumFrames"]) == track.n_frames
    assert int(trc.meta["NumMarkers"]) == len(LANDMARK_NAMES) == 33
    assert float(trc.meta["DataRate"]) == float(trc.meta["CameraRate"]) == float(trc.meta["OrigDataRate"]) == 60.0
    assert trc.meta["OrigDataStartFrame"] == "1"
    assert trc.meta["Units"] == "leglen"
    assert trc.frame_numbers.tolist() == list(range(1, track.n_frames + 1))
    assert float(trc.meta["DataRate"]) == pytest.approx(1.0 / np.median(np.diff(trc.time_s)), rel=1e-4)
    lines = path.read_text().split("\n")
    assert lines[5] == "", "OpenSim convention: one blank line between the column labels and the data"
    assert lines[3].startswith("Frame#\tTime\tNose\t\t\tLEyeInner\t\t\t")


def test_marker_names_map_every_landmark_to_a_unique_opensim_name(tmp_path: Path) -> None:
    track, analysis = runner()
    write_trc(tmp_path / "a.trc", track, analysis)
    markers = read_trc(tmp_path / "a.trc").markers
    assert markers == tuple(OPENSIM_MARKER_NAMES[name] for name in LANDMARK_NAMES)
    assert set(OPENSIM_MARKER_NAMES) == set(LANDMARK_NAMES)
    assert len(set(markers)) == len(markers)
    for name, marker in OPENSIM_MARKER_NAMES.items():
        assert marker.isalnum(), marker  # no tabs or spaces: OpenSim splits the label line on them
        if name.startswith("left_") or name.endswith("_left"):
            assert marker.startswith("L")
        if name.startswith("right_") or name.endswith("_right"):
            assert marker.startswith("R")
    for pair in (("left_hip", "LHip"), ("right_knee", "RKnee"), ("left_foot_index", "LBigToe"), ("nose", "Nose")):
        assert OPENSIM_MARKER_NAMES[pair[0]] == pair[1]


def test_trc_values_are_the_cleaned_points_in_opensims_frame(tmp_path: Path) -> None:
    track, analysis = runner()
    write_trc(tmp_path / "a.trc", track, analysis)
    trc = read_trc(tmp_path / "a.trc")
    body = analysis.body
    leg_px = float(np.nanmedian(body.leg_length_px))
    x_forward = (body.xy[..., 0] - track.width / 2) / leg_px  # facing +1: image right is forward
    y_up = (body.xy[..., 1] + track.height) / leg_px  # height above the frame's bottom edge
    np.testing.assert_allclose(trc.xyz[..., 0], x_forward, atol=PRINTED)
    np.testing.assert_allclose(trc.xyz[..., 1], y_up, atol=PRINTED)
    assert np.all(trc.xyz[..., 2] == 0.0), "no depth from one camera"
    np.testing.assert_allclose(trc.time_s, track.time_s, atol=PRINTED)
    hip = trc.xyz[:, INDEX["left_hip"]]
    shoulder = trc.xyz[:, INDEX["left_shoulder"]]
    assert np.all(shoulder[:, 1] > hip[:, 1]), "Y is up"
    assert np.all(shoulder[:, 0] > hip[:, 0]), "the synthetic runner leans forward: shoulders ahead in +X"


def test_height_gives_metres_by_an_exact_scale(tmp_path: Path) -> None:
    track, analysis = runner()
    write_trc(tmp_path / "leg.trc", track, analysis, None)
    write_trc(tmp_path / "m.trc", track, analysis, 175.0)
    legs, metres = read_trc(tmp_path / "leg.trc"), read_trc(tmp_path / "m.trc")
    assert metres.meta["Units"] == "m"
    leg_m = 175.0 * LEG_LENGTH_FRACTION_OF_HEIGHT / 100.0
    np.testing.assert_allclose(metres.xyz, legs.xyz * leg_m, atol=2 * PRINTED)
    np.testing.assert_array_equal(metres.time_s, legs.time_s)
    # the scale is such that the median hip-knee-ankle length read back from the file is the anthropometric leg
    xyz = metres.xyz
    per_leg = [np.linalg.norm(xyz[:, INDEX[f"{s}_hip"]] - xyz[:, INDEX[f"{s}_knee"]], axis=1)
               + np.linalg.norm(xyz[:, INDEX[f"{s}_knee"]] - xyz[:, INDEX[f"{s}_ankle"]], axis=1) for s in ("left", "right")]
    assert float(np.median(np.mean(per_leg, axis=0))) == pytest.approx(leg_m, abs=1e-5)


def test_slow_motion_time_column_is_real_time(tmp_path: Path) -> None:
    track, analysis = runner(capture_fps=240.0)
    assert analysis.time_scale.factor == pytest.approx(0.25)
    write_trc(tmp_path / "a.trc", track, analysis)
    write_mot(tmp_path / "a.mot", track, analysis)
    trc, mot = read_trc(tmp_path / "a.trc"), read_mot(tmp_path / "a.mot")
    np.testing.assert_allclose(trc.time_s, track.time_s * 0.25, atol=PRINTED)
    np.testing.assert_allclose(mot.data[:, 0], track.time_s * 0.25, atol=PRINTED)
    assert float(trc.meta["DataRate"]) == float(trc.meta["CameraRate"]) == 240.0
    assert float(trc.meta["DataRate"]) == pytest.approx(1.0 / np.median(np.diff(trc.time_s)), rel=1e-3)


def test_a_mot_of_suspected_slow_motion_says_its_time_is_the_files_clock(tmp_path: Path) -> None:
    track = synthetic_track(cadence_spm=20.0, duration_s=40.0, fps=30.0)  # an 8x slow-motion runner, rate unknown
    analysis = analyze_track(track)
    assert analysis.time_scale.suspected and analysis.time_scale.capture_fps is None
    write_mot(tmp_path / "slow.mot", track, analysis)
    text = " ".join(read_mot(tmp_path / "slow.mot").header_text)
    assert "time is in real seconds" not in text and "time is in file seconds" in text
    assert "the clip looks like slow motion of unknown speed" in text
    given, real = runner(capture_fps=240.0)  # the capture rate given: real seconds, as it says
    write_mot(tmp_path / "real.mot", given, real)
    assert "time is in real seconds" in " ".join(read_mot(tmp_path / "real.mot").header_text)


def test_missing_markers_are_blank_fields_that_read_back_as_nan(tmp_path: Path) -> None:
    track, analysis = runner()
    xy = analysis.body.xy.copy()
    last = len(LANDMARK_NAMES) - 1  # the row's last marker: only the trailing tab keeps its fields
    xy[10:20, last] = np.nan
    xy[30, INDEX["left_wrist"]] = np.nan
    xy[40] = np.nan  # a frame where nobody was found
    path = tmp_path / "gaps.trc"
    write_trc(path, track, with_body_xy(analysis, xy))
    trc = read_trc(path)
    missing = np.isnan(xy[..., 0])
    assert np.array_equal(np.isnan(trc.xyz).any(axis=-1), missing)
    assert np.array_equal(np.isnan(trc.xyz).all(axis=-1), missing)
    row = path.read_text().split("\n")[6 + 10]
    assert row.endswith("\t\t\t\t"), "a missing last marker is three empty fields, each closed by a tab"
    assert len(opensim_tokens(row)) == 2 + 3 * len(LANDMARK_NAMES)
    assert "nan" not in path.read_text().lower()


def test_running_the_other_way_exports_the_same_markers_and_angles(tmp_path: Path) -> None:
    right, left = runner(facing=1), runner(facing=-1)
    assert np.all(left[1].facing_sign == -1)
    for name, (track, analysis) in (("r", right), ("l", left)):
        write_exports(tmp_path, track, analysis, 180.0, ["trc", "mot"], stem=name)
    np.testing.assert_allclose(read_trc(tmp_path / "l.trc").xyz, read_trc(tmp_path / "r.trc").xyz, atol=1e-5)
    np.testing.assert_allclose(read_mot(tmp_path / "l.mot").data, read_mot(tmp_path / "r.mot").data, atol=1e-4)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), holes=st.lists(st.tuples(st.integers(0, 239), st.integers(0, 32)), max_size=30),
       facing=st.sampled_from([1, -1]), height=st.one_of(st.none(), st.floats(120.0, 210.0)))
def test_any_points_round_trip(tmp_path_factory: pytest.TempPathFactory, seed: int, holes: list[tuple[int, int]],
                               facing: int, height: float | None) -> None:
    track, analysis = runner()
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-3000.0, 3000.0, analysis.body.xy.shape)
    for frame, marker in holes:
        xy[frame, marker] = np.nan
    odd = replace(with_body_xy(analysis, xy), facing_sign=np.full(track.n_frames, facing))
    path = tmp_path_factory.mktemp("prop") / "p.trc"
    write_trc(path, track, odd, height)
    expected, frame = marker_xyz(track, odd, height)
    got = read_trc(path).xyz
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got, expected, atol=PRINTED, equal_nan=True)
    assert frame.facing_sign == facing


def test_second_reader_trc_data_reader(tmp_path: Path) -> None:
    """Optional: the PyPI ``trc-data-reader`` package (not a dependency; it also imports ``c3d``) reads the same file.

    A file without gaps: that reader splits rows on runs of whitespace, so blank (missing) markers would shift.
    """
    trc_module = pytest.importorskip("trc")
    track, analysis = runner()
    write_trc(tmp_path / "a.trc", track, analysis, 175.0)
    other = trc_module.TRCData()
    other.load(str(tmp_path / "a.trc"))
    ours = read_trc(tmp_path / "a.trc")
    assert other["NumFrames"] == track.n_frames and other["NumMarkers"] == 33 and other["Units"] == "m"
    assert tuple(other["Markers"]) == ours.markers
    np.testing.assert_allclose(np.array(other["LHip"]), ours.xyz[:, INDEX["left_hip"]], atol=PRINTED)


# --- .mot -------------------------------------------------------------------


def test_mot_header_columns_and_values(tmp_path: Path) -> None:
    track, analysis = runner()
    write_mot(tmp_path / "run.mot", track, analysis)
    mot = read_mot(tmp_path / "run.mot")
    assert mot.name == "run"
    assert mot.meta["version"] == "1" and mot.meta["inDegrees"] == "yes"
    assert int(mot.meta["nRows"]) == track.n_frames and int(mot.meta["nColumns"]) == 1 + len(COLUMNS)
    assert mot.labels == ("time",) + COLUMNS
    assert any("degrees" in line for line in mot.header_text)
    table = angle_table(analysis)
    for j, name in enumerate(COLUMNS, start=1):
        np.testing.assert_allclose(mot.data[:, j], table[name], atol=PRINTED, equal_nan=True, err_msg=name)
    np.testing.assert_allclose(mot.data[:, 1], analysis.lean_deg, atol=PRINTED)
    assert np.nanmean(mot.data[:, 1]) == pytest.approx(8.0, abs=0.05), "the synthetic runner leans 8 deg"


def test_unmeasured_angles_are_written_nan(tmp_path: Path) -> None:
    track, analysis = runner()
    facing = analysis.facing_sign.copy()
    facing[50:60] = 0  # direction unknown: signed angles cannot be given
    write_mot(tmp_path / "a.mot", track, replace(analysis, facing_sign=facing))
    text = (tmp_path / "a.mot").read_text()
    mot = read_mot(tmp_path / "a.mot")
    knee = mot.data[:, mot.labels.index("knee_flexion_l")]
    assert np.isnan(knee[50:60]).all() and np.isfinite(knee[:50]).all()
    assert "\tNaN" in text and "\t\t" not in text.split("endheader")[1]


def _static_pose_body(lean: float, hip_flex: float, knee_flex: float, dorsi: float, facing: int):
    """A standing pose drawn from known joint angles (y-up construction, then flipped to image pixels)."""
    def unit(deg_from_down_toward_forward: float) -> np.ndarray:
        a = np.radians(deg_from_down_toward_forward)
        return np.array([np.sin(a), -np.cos(a)])

    hip = np.array([0.0, 0.0])
    shoulder = hip + 0.5 * np.array([np.sin(np.radians(lean)), np.cos(np.radians(lean))])  # up, ``lean`` forward
    thigh_dir = hip_flex - lean  # trunk-down points ``lean`` backward of straight down
    knee = hip + 0.45 * unit(thigh_dir)
    shank_dir = thigh_dir - knee_flex
    ankle = knee + 0.45 * unit(shank_dir)
    foot_dir = shank_dir + 90.0 + dorsi
    heel = ankle - 0.05 * unit(foot_dir)
    toe = heel + 0.25 * unit(foot_dir)
    points = {"hip": hip, "shoulder": shoulder, "knee": knee, "ankle": ankle, "heel": heel, "foot_index": toe}
    xy = np.zeros((3, len(LANDMARK_NAMES), 2))
    for side in ("left", "right"):
        for name, p in points.items():
            xy[:, INDEX[f"{side}_{name}"]] = p
    xy[..., 0] *= facing
    xy_px = np.stack([500.0 + 400.0 * xy[..., 0], 500.0 - 400.0 * xy[..., 1]], axis=-1)
    k = len(LANDMARK_NAMES)
    track = PoseTrack(time_s=np.arange(3) / 30.0, frame_index=np.arange(3), xy_px=xy_px, z=np.zeros((3, k)),
                      visibility=np.ones((3, k)), found=np.ones(3, bool), scene_cut=np.zeros(3, bool),
                      identity_rejected=np.zeros(3, bool), width=1000, height=1000, fps=30.0)  # fmt: skip
    return build_body(track, xy_px)


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize(("lean", "hip_flex", "knee_flex", "dorsi"),
                         [(10.0, 35.0, 40.0, 10.0), (0.0, -15.0, 5.0, -20.0), (5.0, 60.0, 100.0, 0.0), (-3.0, 0.0, -5.0, 25.0)])
def test_leg_angles_of_a_pose_built_from_known_angles(lean: float, hip_flex: float, knee_flex: float, dorsi: float,
                                                      facing: int) -> None:
    body = _static_pose_body(lean, hip_flex, knee_flex, dorsi, facing)
    angles = leg_angles_deg(body, np.full(3, facing))
    for side in ("l", "r"):
        np.testing.assert_allclose(angles[f"hip_flexion_{side}"], hip_flex, atol=1e-9)
        np.testing.assert_allclose(angles[f"knee_flexion_{side}"], knee_flex, atol=1e-9)
        np.testing.assert_allclose(angles[f"ankle_angle_{side}"], dorsi, atol=1e-9)
    unknown = leg_angles_deg(body, np.zeros(3))
    assert all(np.isnan(v).all() for v in unknown.values())


def test_knee_flexion_magnitude_agrees_with_the_stride_metric() -> None:
    _, analysis = runner()
    body = analysis.body
    angles = leg_angles_deg(body, analysis.facing_sign)
    for foot, side in enumerate("lr"):
        interior = joint_angle_deg(body.hip(foot), body.knee(foot), body.ankle(foot))
        np.testing.assert_allclose(np.abs(angles[f"knee_flexion_{side}"]), 180.0 - interior, atol=1e-6)


# --- write_exports ----------------------------------------------------------


def test_write_exports_names_files_after_the_video(tmp_path: Path) -> None:
    track, analysis = runner()
    paths = write_exports(tmp_path, track, analysis, None, ["MOT", "trc", "mot"], stem="clip")
    assert paths == [tmp_path / "clip.mot", tmp_path / "clip.trc"]
    assert set(EXPORTERS) == {"trc", "mot"}
    read_trc(paths[1])
    read_mot(paths[0])


def test_write_exports_refuses_an_unknown_kind_before_writing(tmp_path: Path) -> None:
    track, analysis = runner()
    with pytest.raises(UsageError, match="c3d"):
        write_exports(tmp_path, track, analysis, None, ["trc", "c3d"], stem="clip")
    assert list(tmp_path.iterdir()) == []


# --- a real clip ------------------------------------------------------------


@pytest.mark.slow
def test_real_treadmill_clip_exports_read_back(tmp_path: Path, videos_dir: Path, pose_track_of) -> None:
    _, track = pose_track_of(videos_dir / "treadmill_side_gym_portrait_60fps.mp4")
    analysis = analyze_track(track, AnalysisOptions(height_cm=178.0))
    assert analysis.orientation.view == "side" and analysis.strides
    trc_path, mot_path = write_exports(tmp_path, track, analysis, 178.0, ["trc", "mot"], stem="treadmill")
    trc, mot = read_trc(trc_path), read_mot(mot_path)
    assert int(trc.meta["NumFrames"]) == track.n_frames == mot.data.shape[0]
    assert trc.meta["Units"] == "m"
    assert float(trc.meta["DataRate"]) == pytest.approx(1.0 / np.median(np.diff(trc.time_s)), rel=0.01)
    assert np.all(np.diff(trc.time_s) > 0)
    expected, _ = marker_xyz(track, analysis, 178.0)
    np.testing.assert_allclose(trc.xyz, expected, atol=PRINTED, equal_nan=True)
    hips = trc.xyz[:, [INDEX["left_hip"], INDEX["right_hip"]], 1]
    assert 0.2 < np.nanmedian(hips) < 3.0, "hips above the frame's bottom edge, in metres"
    lean = mot.data[:, mot.labels.index("trunk_lean")]
    for stride in analysis.strides:  # the .mot holds exactly the per-frame curve the metrics averaged
        assert np.nanmean(lean[stride.start_frame:stride.end_frame]) == pytest.approx(stride.trunk_lean_deg, abs=1e-4)
        knee = mot.data[stride.start_frame, mot.labels.index(f"knee_flexion_{'lr'[stride.foot]}")]
        assert abs(knee) == pytest.approx(stride.knee_flexion_at_contact_deg, abs=1e-4)
    hip_l = mot.data[:, mot.labels.index("hip_flexion_l")]
    assert np.nanpercentile(hip_l, 95) - np.nanpercentile(hip_l, 5) > 20.0, "the thigh swings while running"
