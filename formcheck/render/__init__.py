"""The outputs people look at: key frames, plots and the optional overlay video.

``write_visual_outputs`` is what ``formcheck analyze`` hands to
``analyze_video(extra_outputs=...)``: it runs inside the temporary output
folder, so pictures appear atomically together with ``summary.json`` (a
failure here leaves no half-written DIR). Rendering reads the analysis and
re-streams the video; it never changes a measurement.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from formcheck.analysis.service import VideoResult

OVERLAY_NAME = "overlay.mp4"
RENDER_MODULES = ("formcheck.render.keyframes", "formcheck.render.plots")
"""What ``write_visual_outputs`` imports (matplotlib's axes and figure: ~0.5 s): for ``analyze_video(import_ahead=...)``,
so the import runs beside the pose (clips up to 2 min) and the forked plot process inherits it."""


def write_visual_outputs(out_dir: Path, result: "VideoResult", overlay_video: bool = False,
                         height_cm: float | None = None, fork: bool | None = None,
                         pictures: bool = True) -> list[Path]:  # fmt: skip
    """Key frames and plots (unless ``pictures`` is False), ``overlay.mp4`` when asked; returns the
    paths relative to ``out_dir``.

    ``fork``: draw the plots in a forked child (None: where that is safe, ``beside.fork_is_safe``).
    ``pictures=False`` (``analyze`` without ``--visuals``) imports neither matplotlib nor the key frames.
    """
    written: list[Path] = []
    if pictures:
        from formcheck.render.beside import Beside
        from formcheck.render.keyframes import write_keyframes

        clip = Path(result.info.path).name
        # Plots (matplotlib: Python, the GIL) in a forked child, key frames (decoding, OpenCV) here:
        # on two cores they take about as long as the slower of the two (see ``render.beside``).
        plots = Beside(_plots, out_dir, result, clip, height_cm, name="plots", use_fork=fork)
        try:
            written = write_keyframes(out_dir, result.info, result.track, result.analysis) + plots.result()
        finally:
            plots.stop()
    if overlay_video:
        from formcheck.render.overlay_video import write_overlay_video

        written.append(write_overlay_video(out_dir / OVERLAY_NAME, result.info, result.track, result.analysis))
    return [p.relative_to(out_dir) for p in written]


def _plots(out_dir: Path, result: "VideoResult", clip: str, height_cm: float | None) -> list[Path]:
    """The plots (run beside the key frames). The import is usually done already:
    ``RENDER_MODULES`` are imported beside the pose of clips up to ``IMPORT_AHEAD_MAX_S``, so a
    forked child inherits matplotlib loaded; otherwise (long clips, tests, a batch) it imports
    matplotlib in its own time."""
    from formcheck.render.plots import write_plots

    return write_plots(out_dir, result.track, result.analysis, clip, height_cm)


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
