"""Frames come out upright, with real timestamps, from the containers and codecs phones produce."""

from __future__ import annotations

import sys

import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.errors import VideoError, VideoTooLongError
from formcheck.video import iter_frames, probe_video

REPO = Path(__file__).resolve().parents[2]
GRASS = REPO / "samples" / "outdoor_side_grass_short.mp4"  # 480x352, 47 frames, H.264 in MP4


def _with_rotation_matrix(src: Path, dst: Path) -> Path:
    """Copy an MP4 and set its video track's display matrix to a 90-degree rotation.

    This is what a phone does for portrait clips: the pixels stay landscape and the
    ``tkhd`` matrix (ISO/IEC 14496-12, 8.3.2) says how to turn them for display.
    The matrix {0, 1, -1, 0} (16.16 fixed point) is the one FFmpeg writes for rotate=90.
    """
    data = bytearray(src.read_bytes())
    at = data.find(b"tkhd")
    version = data[at + 4]
    matrix_at = at + 4 + 4 + (32 if version == 1 else 20) + 8 + 8
    one, minus_one, w = 0x00010000, 0xFFFF0000, 0x40000000
    data[matrix_at : matrix_at + 36] = struct.pack(">9I", 0, one, 0, minus_one, 0, 0, 0, 0, w)
    dst.write_bytes(bytes(data))
    return dst


def test_rotation_metadata_gives_upright_frames(tmp_path):
    rotated = _with_rotation_matrix(GRASS, tmp_path / "portrait.mp4")
    plain_info, info = probe_video(GRASS), probe_video(rotated)
    assert (plain_info.width, plain_info.height, plain_info.rotation_deg) == (480, 352, 0)
    assert (info.width, info.height) == (352, 480) and info.rotation_deg in (90, 270)
    plain = next(iter_frames(plain_info)).image
    upright = next(iter_frames(info)).image
    assert upright.shape == (480, 352, 3)
    # rotate=90 means "turn clockwise for display" (np.rot90 with k=-1)
    assert np.array_equal(upright, np.rot90(plain, k=-1))


def test_timestamps_not_index_over_fps_for_variable_frame_rate(tmp_path):
    path = tmp_path / "vfr.mp4"
    times = [0.0, 0.033, 0.1, 0.2, 0.21, 0.5, 0.9]
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.time_base = Fraction(1, 1000)
        stream.codec_context.time_base = Fraction(1, 1000)
        for i, t in enumerate(times):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 30 * i, np.uint8), format="rgb24")
            frame.pts, frame.time_base = int(round(t * 1000)), Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    got = [f.time_s for f in iter_frames(probe_video(path))]
    assert got == pytest.approx(times, abs=1e-6)


@pytest.mark.parametrize("codec, suffix", [("libvpx-vp9", ".webm"), ("mpeg4", ".mp4"), ("msmpeg4v2", ".avi")])
def test_reencoded_clip_decodes_with_same_timing(tmp_path, codec, suffix):
    source = probe_video(GRASS)
    path = tmp_path / f"grass{suffix}"
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=Fraction(30000, 1001))
        stream.width, stream.height, stream.pix_fmt = source.width, source.height, "yuv420p"
        for frame in iter_frames(source):
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame.image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    info = probe_video(path)
    assert info.codec == {"libvpx-vp9": "vp9"}.get(codec, codec)
    frames = list(iter_frames(info))
    assert len(frames) == 47 and frames[0].image.shape == (352, 480, 3)
    assert frames[-1].time_s == pytest.approx(46 * 1001 / 30000, abs=0.002)


def test_start_end_pick_a_window():
    info = probe_video(GRASS)
    times = [f.time_s for f in iter_frames(info, start_s=0.5, end_s=1.0)]
    assert times[0] >= 0.5 - 1e-6 and times[-1] <= 1.0 + 1e-6 and len(times) == pytest.approx(15, abs=1)


GYM = Path("/work/shared/data/videos/treadmill_side_gym_portrait_60fps.mp4")  # H.264 with B-frames, keyframes 0 and 4.17 s


@pytest.mark.parametrize("start_s", [0.3, 3.44, 5.17])
def test_skipping_unreferenced_frames_before_a_seek_target_changes_no_frame(start_s):
    info = probe_video(GYM)
    plain = list(iter_frames(info, start_s, start_s + 0.4, max_side=960, skip_unneeded=False))
    fast = list(iter_frames(info, start_s, start_s + 0.4, max_side=960))
    assert len(fast) == len(plain) >= 24
    for a, b in zip(plain, fast):
        assert (a.index, a.time_s, a.damaged) == (b.index, b.time_s, b.damaged)
        np.testing.assert_array_equal(a.image, b.image)


def test_skipping_frames_that_are_not_kept_changes_no_kept_frame():
    info = probe_video(GYM)
    wanted = {round(t, 4) for t in (1.0, 1.05, 1.4, 2.5, 4.9)}
    keep = lambda t: round(t, 4) in wanted  # noqa: E731
    plain = list(iter_frames(info, 0.9, 5.0, keep=keep, skip_unneeded=False))
    fast = list(iter_frames(info, 0.9, 5.0, keep=keep))
    assert [f.time_s for f in fast] == [f.time_s for f in plain] and len(fast) == len(wanted)
    for a, b in zip(plain, fast):
        np.testing.assert_array_equal(a.image, b.image)


def test_skipping_decodes_fewer_frames_before_the_target():
    """The decoder only returns frames it decoded: count them with the skip on and off (PyAV, as iter_frames sets it)."""
    info = probe_video(GYM)
    counts = {}
    for skip in ("DEFAULT", "NONREF"):
        with av.open(info.path) as container:
            stream = container.streams.video[0]
            stream.thread_type = "NONE"
            stream.codec_context.skip_frame = skip
            counts[skip] = sum(1 for packet in container.demux(stream) for _ in packet.decode())
    assert counts["DEFAULT"] == info.frames and counts["NONREF"] < 0.7 * info.frames


def test_long_video_needs_a_window(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from long_video import write_four_hour_clip

    path = write_four_hour_clip(tmp_path / "long.mp4")
    with pytest.raises(VideoTooLongError, match="pick a part of it") as caught:
        probe_video(path)
    assert "trim the clip" in caught.value.trimmed and "trim" not in caught.value.message
    assert probe_video(path, start_s=0, end_s=600).duration_s > 3 * 3600


def test_not_a_video(tmp_path):
    bogus = tmp_path / "photo.mp4"
    bogus.write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000))
    with pytest.raises(VideoError, match="not a video|damaged"):
        probe_video(bogus)


def test_damaged_frames_are_flagged_not_dropped(videos_dir, damaged_clip):
    original = [f.damaged for f in iter_frames(probe_video(videos_dir / "treadmill_side_gym_portrait_60fps.mp4"), max_side=320)]
    frames = list(iter_frames(probe_video(damaged_clip), max_side=320))
    assert not any(original)
    assert len(frames) == len(original) == 388  # concealed, not lost
    damaged = [f.index for f in frames if f.damaged]
    assert 1 <= len(damaged) <= 30
    assert 100 < damaged[0] < 300  # in the middle, where the bytes were changed
