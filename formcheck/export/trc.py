"""OpenSim marker file (``.trc``): the cleaned landmarks as marker trajectories.

Format (OpenSim documentation, "Marker (.trc) Files",
https://opensimconfluence.atlassian.net/wiki/spaces/OpenSim/pages/53089972, and
the reader that OpenSim 4 actually runs, ``OpenSim/Common/TRCFileAdapter.cpp``
in opensim-org/opensim-core):

    PathFileType<TAB>4<TAB>(X/Y/Z)<TAB><file name>
    DataRate<TAB>CameraRate<TAB>NumFrames<TAB>NumMarkers<TAB>Units<TAB>OrigDataRate<TAB>OrigDataStartFrame<TAB>OrigNumFrames
    <the eight values>
    Frame#<TAB>Time<TAB><marker 1><TAB><TAB><TAB><marker 2><TAB><TAB><TAB>...
    <TAB><TAB>X1<TAB>Y1<TAB>Z1<TAB>X2<TAB>Y2<TAB>Z2<TAB>...
    <blank line>
    1<TAB><time><TAB><x><TAB><y><TAB><z><TAB>...

Why each choice:

- The eight header keys must appear in exactly this order (the adapter throws
  ``UnexpectedMetaDataKey`` otherwise), and the marker-name line must hold
  NumMarkers + 2 non-empty labels, so names never contain a tab.
- Every data field is FOLLOWED by a tab (as OpenSim's own writer does). The
  adapter splits on tabs keeping empty fields, but drops a final empty field
  after the last tab; with a trailing tab a row always has 3 x NumMarkers + 2
  fields even when the last marker is missing.
- A marker not measured in a frame (NaN) is written as three EMPTY fields: the
  adapter reads a marker with any empty component as NaN ("missing"). Readers
  that split on runs of whitespace (not OpenSim) would misalign such rows.
- Coordinates are the CLEANED, low-pass-filtered points of ``analysis.body``
  (y up), so a model fitted to them sees what the metrics saw.
- OpenSim's ground frame is X forward, Y up, Z lateral. X is image x relative
  to the frame's centre times ONE clip-wide facing sign (the majority of
  ``analysis.facing_sign``; +1, image-right, when the direction is unknown),
  so forward is +X. One sign, not a per-frame one, because flipping X at a
  turn would make every marker jump. Y is height above the frame's bottom
  edge. Z is 0: a single phone camera measures no depth. (MediaPipe's relative
  ``z`` is a guess on a different scale and is deliberately not exported.)
- Units: with the runner's height, metres (``Units`` = "m"), scaled so the
  median hip-knee-ankle length equals ``height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT``
  (Winter's anthropometry, as for every cm figure formcheck reports). Without
  it, leg lengths (``Units`` = "leglen", 1.0 = median leg length), which
  OpenSim treats as an unknown unit label: scale the model by hand. If no leg
  was ever seen, pixels ("px").
- Time is real time (file time x ``analysis.time_scale.factor``, so slow-motion
  clips read at their true speed), and DataRate = CameraRate = OrigDataRate is
  the real sample rate (file fps / factor). Frame# runs 1..n with
  OrigDataStartFrame = 1; the Time column is the truth for dropped frames.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from formcheck.analysis.pipeline import LEG_LENGTH_FRACTION_OF_HEIGHT, Analysis
from formcheck.pose.landmarks import LANDMARK_NAMES
from formcheck.pose.track import PoseTrack

log = logging.getLogger(__name__)

OPENSIM_MARKER_NAMES: dict[str, str] = {
    "nose": "Nose", "left_eye_inner": "LEyeInner", "left_eye": "LEye", "left_eye_outer": "LEyeOuter",
    "right_eye_inner": "REyeInner", "right_eye": "REye", "right_eye_outer": "REyeOuter",
    "left_ear": "LEar", "right_ear": "REar", "mouth_left": "LMouth", "mouth_right": "RMouth",
    "left_shoulder": "LShoulder", "right_shoulder": "RShoulder", "left_elbow": "LElbow",
    "right_elbow": "RElbow", "left_wrist": "LWrist", "right_wrist": "RWrist", "left_pinky": "LPinky",
    "right_pinky": "RPinky", "left_index": "LIndex", "right_index": "RIndex", "left_thumb": "LThumb",
    "right_thumb": "RThumb", "left_hip": "LHip", "right_hip": "RHip", "left_knee": "LKnee",
    "right_knee": "RKnee", "left_ankle": "LAnkle", "right_ankle": "RAnkle", "left_heel": "LHeel",
    "right_heel": "RHeel", "left_foot_index": "LBigToe", "right_foot_index": "RBigToe",
}  # fmt: skip
"""MediaPipe name -> marker name, as Pose2Sim's BlazePose skeleton names them (its OpenSim marker sets use these)."""

UNITS_METRES = "m"
UNITS_LEG_LENGTHS = "leglen"
UNITS_PIXELS = "px"
DECIMALS = 6
"""Fixed decimals in the file: 1 micrometre in metres, far below what a phone video resolves."""


@dataclass(frozen=True)
class MarkerFrame:
    """How image pixels become the exported coordinates (kept so tests and readers can invert it)."""

    scale: float  # exported units per pixel
    units: str  # "m", "leglen" or "px"
    facing_sign: int  # +1: the runner travels toward image-right (X = image x), -1: toward image-left
    origin_x_px: float  # image x that becomes X = 0 (the frame's centre)
    origin_y_up: float  # y-up pixel value that becomes Y = 0 (the frame's bottom edge: -height)


def clip_facing_sign(analysis: Analysis) -> int:
    """The direction of travel for the whole clip: the majority of the per-frame signs (+1 if unknown)."""
    total = float(np.sum(analysis.facing_sign))
    return -1 if total < 0 else 1


def marker_frame(track: PoseTrack, analysis: Analysis, height_cm: float | None) -> MarkerFrame:
    """Scale, unit label and origin for this clip (see module docstring)."""
    legs = analysis.body.leg_length_px
    median_leg_px = float(np.nanmedian(legs)) if np.isfinite(legs).any() else float("nan")
    if not (np.isfinite(median_leg_px) and median_leg_px > 0):
        log.warning("no leg length measured: TRC coordinates are written in pixels")
        scale, units = 1.0, UNITS_PIXELS
    elif height_cm:
        leg_m = height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT / 100.0
        scale, units = leg_m / median_leg_px, UNITS_METRES
    else:
        scale, units = 1.0 / median_leg_px, UNITS_LEG_LENGTHS
    return MarkerFrame(scale, units, clip_facing_sign(analysis), track.width / 2.0, -float(track.height))


def marker_xyz(track: PoseTrack, analysis: Analysis, height_cm: float | None) -> tuple[np.ndarray, MarkerFrame]:
    """(n, 33, 3) marker positions in OpenSim's frame (X forward, Y up, Z = 0), NaN where unknown."""
    frame = marker_frame(track, analysis, height_cm)
    xy = analysis.body.xy
    out = np.zeros(xy.shape[:2] + (3,))
    out[..., 0] = frame.facing_sign * (xy[..., 0] - frame.origin_x_px) * frame.scale
    out[..., 1] = (xy[..., 1] - frame.origin_y_up) * frame.scale
    out[np.isnan(xy).any(axis=-1)] = np.nan
    return out, frame


def real_times_s(track: PoseTrack, analysis: Analysis) -> tuple[np.ndarray, float]:
    """Real-time timestamps and the real sample rate (slow motion undone by the analysis' time scale)."""
    factor = analysis.time_scale.factor
    return track.time_s * factor, track.fps / factor


def _number(value: float) -> str:
    return "" if not np.isfinite(value) else f"{value:.{DECIMALS}f}"


def _write_rows(out: TextIO, times_s: np.ndarray, xyz: np.ndarray) -> None:
    flat = xyz.reshape(len(times_s), -1)
    complete = f"%d\t%.{DECIMALS}f\t" + f"%.{DECIMALS}f\t" * flat.shape[1] + "\n"  # one format call per full row
    finite = np.isfinite(flat).all(axis=1) & np.isfinite(times_s)
    for i, (t, row) in enumerate(zip(times_s, flat)):
        if finite[i]:
            out.write(complete % (i + 1, t, *row))
        else:
            out.write("\t".join([str(i + 1), _number(t)] + [_number(v) for v in row]) + "\t\n")


def write_trc(path: Path, track: PoseTrack, analysis: Analysis, height_cm: float | None = None) -> None:
    """Write the cleaned landmarks of ``analysis`` as an OpenSim ``.trc`` marker file at ``path``."""
    path = Path(path)
    xyz, frame = marker_xyz(track, analysis, height_cm)
    times_s, rate_hz = real_times_s(track, analysis)
    names = [OPENSIM_MARKER_NAMES[n] for n in LANDMARK_NAMES]
    n, k = xyz.shape[0], len(names)
    rate = f"{rate_hz:.6g}"
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"PathFileType\t4\t(X/Y/Z)\t{path.name}\n")
        out.write("DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n")
        out.write(f"{rate}\t{rate}\t{n}\t{k}\t{frame.units}\t{rate}\t1\t{n}\n")
        out.write("Frame#\tTime\t" + "".join(f"{name}\t\t\t" for name in names) + "\n")
        out.write("\t\t" + "".join(f"X{i}\tY{i}\tZ{i}\t" for i in range(1, k + 1)) + "\n")
        out.write("\n")
        _write_rows(out, times_s, xyz)
