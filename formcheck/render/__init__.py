"""The outputs people look at: key frames, plots and the optional overlay video.

``write_visual_outputs`` is what ``formcheck analyze`` hands to
``analyze_video(extra_outputs=...)``: it runs inside the temporary output
folder, so pictures appear atomically together with ``summary.json`` (a
failure here leaves no half-written DIR). Rendering reads the analysis and
re-streams the video; it never changes a measurement.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from formcheck.analysis.service import VideoResult

OVERLAY_NAME = "overlay.mp4"


def write_visual_outputs(out_dir: Path, result: "VideoResult", overlay_video: bool = False,
                         height_cm: float | None = None) -> list[Path]:  # fmt: skip
    """Key frames and plots always, ``overlay.mp4`` when asked; returns the paths relative to ``out_dir``."""
    from formcheck.render.keyframes import write_keyframes
    from formcheck.render.plots import write_plots

    clip = Path(result.info.path).name
    # Key frames mostly decode (C, GIL released) while plots mostly run matplotlib (Python):
    # side by side they take about as long as the slower of the two, not the sum.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-keyframes") as pool:
        keyframes = pool.submit(write_keyframes, out_dir, result.info, result.track, result.analysis)
        plots = write_plots(out_dir, result.track, result.analysis, clip, height_cm)
        written = keyframes.result() + plots
    if overlay_video:
        from formcheck.render.overlay_video import write_overlay_video

        written.append(write_overlay_video(out_dir / OVERLAY_NAME, result.info, result.track, result.analysis))
    return [p.relative_to(out_dir) for p in written]


def describe_outputs(paths: list[Path]) -> str:
    """One line for the terminal, e.g. ``keyframes/ (7 jpg, 1 json), plots/ (3 png, 3 svg), overlay.mp4``."""
    folders: dict[str, Counter[str]] = {}
    loose: list[str] = []
    for path in paths:
        if len(path.parts) > 1:
            folders.setdefault(path.parts[0], Counter())[path.suffix.lstrip(".")] += 1
        else:
            loose.append(path.name)
    parts = [f"{name}/ ({', '.join(f'{n} {ext}' for ext, n in sorted(kinds.items(), key=lambda kv: kv[0] not in ('jpg', 'png')))})"
             for name, kinds in folders.items()]  # fmt: skip
    return ", ".join(parts + loose)
