"""``formcheck analyze VIDEO --out DIR``: the video engine from the command line.

The measurements (``summary.json``, ``strides.csv``, ``frames.csv``) are always
written; the pictures (key frames and plots) only with ``--visuals``. Why not by
default: drawing them (importing matplotlib, decoding the clip again up to the
last key frame, rasterising three figures twice) took ~1 s of the ~6 s a 3-s
clip's whole run takes on two cores, more than every other step after the pose
together, and ``formcheck check``'s HTML report, where a runner looks at
pictures, asks for the key frames itself and draws its own charts. ``analyze``
is the quick way to the numbers; one flag adds the pictures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def analyze(
    video: Annotated[Path, typer.Argument(help="The running video (side view best).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for summary.json, strides.csv, frames.csv.")],
    height_cm: Annotated[Optional[float], typer.Option("--height-cm", help="Runner's height: distances also in cm.")] = None,
    capture_fps: Annotated[Optional[float], typer.Option("--capture-fps", help="Real capture rate of a slow-motion clip.")] = None,
    start: Annotated[Optional[float], typer.Option("--start", help="Analyse from this many seconds.")] = None,
    end: Annotated[Optional[float], typer.Option("--end", help="Analyse up to this many seconds.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Pose workers, one BlazePose graph each (default: usable cores).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute the pose even if cached.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary; errors only.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print summary.json to stdout.")] = False,
    visuals: Annotated[bool, typer.Option("--visuals", help="Also write keyframes/ (skeleton on early and late strides, JPEG) and plots/ (per stride, PNG + SVG).")] = False,
    overlay_video: Annotated[bool, typer.Option("--overlay-video", help="Also write overlay.mp4 (pose drawn on every frame).")] = False,
    export: Annotated[Optional[list[str]], typer.Option("--export", help="Also write OpenSim files: trc (markers), mot (angles). Repeatable.")] = None,
) -> None:
    """Measure cadence, trunk lean, head angle, oscillation, overstride and their drift from a video."""
    from formcheck.analysis.service import VideoJob, VideoResult, analyze_video
    from formcheck.commands.analyze_view import ProgressView, print_summary

    kinds: tuple[str, ...] = ()
    if export:  # formcheck.export imports the analysis (SciPy, ~1.5 s): not before the pose unless asked
        from formcheck.export import check_kinds

        kinds = check_kinds(export)  # a typo fails now, not after minutes of pose work

    job = VideoJob(video=video, out_dir=out, height_cm=height_cm, capture_fps=capture_fps, start_s=start,
                   end_s=end, workers=workers, use_cache=not no_cache)  # fmt: skip
    written: list[Path] = []

    def extras(tmp: Path, partial: VideoResult) -> None:
        if visuals or overlay_video:
            from formcheck.render import write_visual_outputs

            written.extend(write_visual_outputs(tmp, partial, overlay_video=overlay_video, height_cm=height_cm,
                                                pictures=visuals))  # fmt: skip
        if kinds:
            from formcheck.export import write_exports

            exported = write_exports(tmp, partial.track, partial.analysis, height_cm, kinds, stem=video.stem)
            written.extend(path.relative_to(tmp) for path in exported)

    from formcheck.render import RENDER_MODULES

    with ProgressView(enabled=not quiet and not json_out) as view:
        result = analyze_video(job, progress=view.advance, on_probe=view.start, extra_outputs=extras,
                               import_ahead=RENDER_MODULES if visuals else ())
    if json_out:
        import json

        from formcheck.analysis.outputs import json_default

        typer.echo(json.dumps(result.summary, indent=2, default=json_default))
    elif not quiet:
        print_summary(result, out, written, visuals_hint=not visuals)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
