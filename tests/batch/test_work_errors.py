"""What a batch records for a clip it cannot analyse: a sentence a batch user can act on."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from long_video import write_four_hour_clip  # noqa: E402

from formcheck.batch.work import VideoTask, analyse_task  # noqa: E402


def test_a_clip_too_long_is_told_to_be_trimmed_not_given_a_start_and_end(tmp_path: Path) -> None:
    from formcheck.pose.blazepose import release_crop_graphs

    clip = write_four_hour_clip(tmp_path / "long.mp4")
    try:
        outcome = analyse_task(VideoTask(0, str(clip), str(tmp_path / "out"), clip.name))
    finally:
        release_crop_graphs()  # analyse_task keeps this process's crop graph, as a batch worker does
    assert outcome.status == "failed" and outcome.error is not None
    assert outcome.error.endswith("is 240 min long; formcheck analyses at most 30 min: trim the clip to the part to "
                                  "look at (a video editor, or formcheck analyze with its start and end) and give that.")
    assert not (tmp_path / "out").exists()
