"""Reading videos: probing facts about a file and streaming its frames upright.

Nothing here holds a whole video in memory; every consumer iterates frames.
"""

from formcheck.video.frames import Frame, iter_frames
from formcheck.video.probe import MAX_DURATION_S, VideoInfo, probe_video

__all__ = ["Frame", "MAX_DURATION_S", "VideoInfo", "iter_frames", "probe_video"]
