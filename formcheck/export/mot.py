"""OpenSim motion file (``.mot``): the per-frame trunk, head and leg angles.

Format (OpenSim documentation, "Motion (.mot) Files",
https://opensimconfluence.atlassian.net/wiki/spaces/OpenSim/pages/53089415, and
"Storage (.sto) Files", .../pages/53089996; checked against the readers
OpenSim 4 runs, ``MOTFileAdapter.cpp`` / ``DelimFileAdapter.h`` in
opensim-org/opensim-core):

    <name>
    version=1
    nRows=<data rows>
    nColumns=<columns including time>
    inDegrees=yes
    <free-text lines: what the columns are>
    endheader
    time<TAB><label><TAB>...
    <time><TAB><value><TAB>...

Why each choice:

- Every header line before ``endheader`` is either ``key=value`` (kept as
  metadata) or free text (kept as the header); the free-text lines say what
  the angles are, because the labels alone cannot.
- ``inDegrees=yes``: OpenSim assumes radians when the flag is missing.
- Values are read with C++ ``std::stod``, which accepts ``NaN`` but throws on
  an empty field, so an angle that was not measured is written ``NaN`` (unlike
  the ``.trc``, where a missing marker is blank). Python's ``float`` reads it too.
- Time is real time (file time x ``analysis.time_scale.factor``), as in the ``.trc``.
- Column labels are descriptive, not OpenSim model coordinate names: these
  are 2D angles in the camera plane, and ``knee_flexion`` is positive when
  bent (OpenSim's ``knee_angle`` is negative). Definitions and signs are in
  ``formcheck.export.joint_angles`` and ``formcheck.posture.angles``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcheck.analysis.pipeline import Analysis
from formcheck.export.joint_angles import leg_angles_deg
from formcheck.export.trc import DECIMALS, real_times_s
from formcheck.pose.track import PoseTrack

COLUMNS: tuple[str, ...] = (
    "trunk_lean", "head_flexion", "forward_head",
    "hip_flexion_l", "hip_flexion_r", "knee_flexion_l", "knee_flexion_r", "ankle_angle_l", "ankle_angle_r",
)  # fmt: skip
"""Data columns after ``time``, all in degrees."""

DESCRIPTION = (
    "formcheck: 2D sagittal-plane angles from one side-view camera (BlazePose landmarks, low-pass filtered).",
    "Angles are in degrees; time is in real seconds; NaN marks frames where an angle was not measured.",
    "Signed by the direction of travel. Positive means: trunk_lean, leaning forward (hip-shoulder line vs vertical);",
    "head_flexion, looking down (ear-nose line below horizontal); forward_head, ears ahead of shoulders (vs vertical);",
    "hip_flexion, thigh ahead of the trunk line; knee_flexion, bent (0 straight);",
    "ankle_angle, dorsiflexion (0 with the heel-toe line perpendicular to the shank).",
)
"""Free-text header lines (no '=': OpenSim would read such a line as a key=value pair)."""


FILE_CLOCK = ("Time is the video file's clock, not real seconds: the clip looks like slow motion of unknown speed "
              "(analyse it with its capture rate to get real time).")
"""The line replacing "time is in real seconds" when slow motion is suspected and no capture rate was given."""


def description(analysis: Analysis) -> tuple[str, ...]:
    """The header's free-text lines, true about this clip's clock."""
    if analysis.time_scale.suspected and analysis.time_scale.capture_fps is None:
        return (DESCRIPTION[0], DESCRIPTION[1].replace("time is in real seconds", "time is in file seconds"),
                FILE_CLOCK, *DESCRIPTION[2:])  # fmt: skip
    return DESCRIPTION


def angle_table(analysis: Analysis) -> dict[str, np.ndarray]:
    """The ``COLUMNS`` as (n,) arrays in degrees, NaN where not measured."""
    legs = leg_angles_deg(analysis.body, analysis.facing_sign)
    table = {"trunk_lean": analysis.lean_deg, "head_flexion": analysis.head_flexion_deg,
             "forward_head": analysis.forward_head_deg, **legs}  # fmt: skip
    return {name: np.asarray(table[name], dtype=np.float64) for name in COLUMNS}


def _number(value: float) -> str:
    return f"{value:.{DECIMALS}f}" if np.isfinite(value) else "NaN"


def write_mot(path: Path, track: PoseTrack, analysis: Analysis, height_cm: float | None = None) -> None:
    """Write the per-frame angles of ``analysis`` as an OpenSim ``.mot`` file at ``path``.

    ``height_cm`` is accepted and ignored (angles do not depend on size) so that
    every exporter in ``formcheck.export.EXPORTERS`` is called the same way.
    """
    path = Path(path)
    times_s, _ = real_times_s(track, analysis)
    table = angle_table(analysis)
    data = np.column_stack([times_s] + [table[name] for name in COLUMNS])
    with path.open("w", encoding="utf-8", newline="\n") as out:
        name = path.stem.replace("=", "_")  # a name line with '=' would be read as a key=value pair
        out.write(f"{name}\nversion=1\nnRows={data.shape[0]}\nnColumns={data.shape[1]}\ninDegrees=yes\n")
        out.write("\n".join(description(analysis)) + "\nendheader\n")
        out.write("\t".join(("time",) + COLUMNS) + "\n")
        complete = "\t".join([f"%.{DECIMALS}f"] * data.shape[1]) + "\n"
        for row in data:
            out.write(complete % tuple(row) if np.isfinite(row).all() else "\t".join(_number(v) for v in row) + "\n")
