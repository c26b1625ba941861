"""report.html as text: self-contained, escaped, red flags first, and every missing input said in words."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from report_builders import HOSTILE, make_meta, make_result
from formcheck.answers.model import Answers
from formcheck.findings.model import CheckInputs, MetricValue, RedFlag, VideoMeasures
from formcheck.report import write_report
from formcheck.report.html import answer_sentence
from formcheck.report.model import VideoArtifacts

MAX_REPORT_BYTES = 3_000_000


class _Resources(HTMLParser):
    """Every URL the page would load (src, srcset, href of link) and every element id, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if value and (name in ("src", "srcset", "data", "poster") or (name == "href" and tag in ("link", "use", "image"))):
                self.urls.append(value)


def _parse(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    return parser


def test_real_report_is_self_contained_and_small(tmp_path, real_inputs, real_video) -> None:
    write_report(tmp_path, make_result(), real_inputs, [real_video], make_meta())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    size = (tmp_path / "report.html").stat().st_size
    print(f"report.html on the real clip and run: {size / 1e6:.2f} MB")
    assert size < MAX_REPORT_BYTES
    page = _parse(html)
    assert page.urls and all(url.startswith("data:") for url in page.urls)
    assert not re.search(r"""(src|href|srcset)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    assert "@import" not in html and "url(http" not in html
    # the real pictures are in: key frames, lean, cadence and the run (wide + phone versions)
    assert html.count("data:image/jpeg") >= 1 and html.count("data:image/svg+xml") >= 6
    assert 'class="unavailable"' not in html.split('id="methods"')[0]  # every section before the methods had its data


def test_red_flags_come_first_in_the_page(tmp_path) -> None:
    write_report(tmp_path, make_result(), CheckInputs(), [], make_meta())
    page = _parse((tmp_path / "report.html").read_text())
    ids = page.ids
    assert ids.index("red-flags") < ids.index("answer") < ids.index("causes")
    assert ids.index("red-flags") < min(ids.index(i) for i in ids if i.startswith("cause-"))
    html = (tmp_path / "report.html").read_text()
    assert "Stop here first: see a doctor today" in html and 'class="urgency today"' in html


def test_emergency_heads_the_red_flags(tmp_path) -> None:
    result = make_result()
    flags = result.red_flags + (RedFlag("saddle_numbness", "Numbness in the saddle area: go to an emergency department now.", "emergency"),)
    write_report(tmp_path, replace(result, red_flags=flags), CheckInputs(), [], make_meta())
    html = (tmp_path / "report.html").read_text()
    box = html.split('id="red-flags"')[1].split("</section>")[0]
    assert "see a doctor now" in box
    assert box.index("emergency department") < box.index("CK blood test") < box.index("tingling")


def test_no_red_flags_answered_vs_not_asked(tmp_path) -> None:
    calm = replace(make_result(), red_flags=())
    write_report(tmp_path, calm, CheckInputs(), [], make_meta())
    assert "Red-flag questions not answered" in (tmp_path / "report.html").read_text()
    answered = Answers.model_validate({"red_flags": {"dark_urine": False, "leg_weakness": False}})
    write_report(tmp_path, calm, CheckInputs(answers=answered), [], make_meta())
    html = (tmp_path / "report.html").read_text()
    assert "No red flags" in html and "You answered 2 red-flag questions" in html


def test_user_text_is_escaped(tmp_path) -> None:
    write_report(tmp_path, make_result(), CheckInputs(), [], make_meta(runner=HOSTILE))
    html = (tmp_path / "report.html").read_text()
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in html


def test_answer_sentence_names_the_top_causes() -> None:
    top = make_result().findings[:2]
    assert answer_sentence(top, 0) == "Most likely: lifting fatigue, with looking down when tired also playing a part."
    assert answer_sentence(top[:1], 0) == "Most likely: lifting fatigue."
    assert answer_sentence((), 1).startswith("No single cause stands out")


def test_missing_inputs_say_not_available(tmp_path) -> None:
    """No video, no run, no logs: each picture becomes a sentence, never a broken image."""
    result = replace(make_result(), correlations=(), journal_note=None, plan=())
    write_report(tmp_path, result, CheckInputs(), [], make_meta(symptom_date=None))
    html = (tmp_path / "report.html").read_text()
    assert "<img" not in html
    for reason in ("no video was given", "no run was given for the day it hurt", "no date for the run that hurt",
                   "no journaled runs yet", "no plan items"):  # fmt: skip
        assert reason in html, reason
    assert html.count('class="unavailable"') >= 5


def test_clip_without_artefacts_and_unmeasured_lean(tmp_path) -> None:
    """A clip analysed elsewhere (no folder) and a front view whose lean is null: reasons, not pictures."""
    metrics = {"trunk_lean_deg": MetricValue(None, "deg", reason="front view: trunk lean needs a side view"),
               "cadence_spm": MetricValue(170.0, "steps/min", 4.0, 20)}  # fmt: skip
    measures = VideoMeasures("front.mp4", "running", "front", "toward", metrics, {})
    summary = {"metrics": {"trunk_lean_deg": {"value": None, "reason": "front view: trunk lean needs a side view"},
                           "cadence_spm": {"value": 170.0}}}  # fmt: skip
    write_report(tmp_path, make_result(), CheckInputs(videos=(measures,)), [VideoArtifacts(measures, summary, None)], make_meta())
    html = (tmp_path / "report.html").read_text()
    assert "no analysis folder for this clip" in html
    assert "front view: trunk lean needs a side view" in html
    assert "<img" not in html


def test_missing_keyframes_folder(tmp_path, real_video) -> None:
    """An analysis folder without key frames or strides.csv still gives a report, with the reasons."""
    folder = tmp_path / "clip"
    folder.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    write_report(out, make_result(), CheckInputs(), [replace(real_video, analysis_dir=folder)], make_meta())
    html = (out / "report.html").read_text()
    assert "no key frames were written for this clip" in html
    assert "strides.csv was not written for this clip" in html


def test_engine_sentences_capitalised_escaped_and_code() -> None:
    from formcheck.report.html import inline_code

    assert str(inline_code("run `formcheck journal add` <after> each run")) == (
        "Run <code>formcheck journal add</code> &lt;after&gt; each run"
    )
    assert str(inline_code("`<script>`")) == "<code>&lt;script&gt;</code>"  # escaped first: never a tag
    # a file's name keeps its case: "Negative_walking_side_studio.mp4 shows walking" named no real file
    assert str(inline_code("negative_walking_side_studio.mp4 shows walking")).startswith("negative_walking")
    assert str(inline_code("walk.mp4: nobody was found")).startswith("walk.mp4")
    assert str(inline_code("the foot landed ahead")).startswith("The foot")


def test_listed_thresholds_show_their_items_and_the_page_is_the_same_twice(tmp_path, real_inputs, real_video) -> None:
    """A threshold that is a list (exercise-name patterns) shows its items; a row key named ``items`` once printed
    ``<built-in method items of dict ...>`` 130 times, with a memory address that, with matplotlib's random SVG
    clip-path ids, made two renderings of the same check differ."""
    from formcheck.findings.thresholds import load_thresholds

    thresholds = load_thresholds()
    listed = next(name for name in thresholds.names() if isinstance(thresholds[name].value, (list, tuple)))
    pages = []
    for k in (1, 2):
        (tmp_path / str(k)).mkdir()
        write_report(tmp_path / str(k), make_result(), real_inputs, [real_video], make_meta())
        pages.append((tmp_path / str(k) / "report.html").read_text(encoding="utf-8"))
    assert "built-in method" not in pages[0]
    first_item = str(thresholds[listed].value[0])
    assert f"<code>{first_item}" in pages[0] or f", {first_item}" in pages[0]
    assert pages[0] == pages[1]


def test_a_clip_with_nobody_in_it_is_not_called_no_video(tmp_path) -> None:
    """A clip was given and analysed but no runner was found: the page, the JSON and the not-assessed causes say
    so, instead of 'no video was given'."""
    from formcheck.findings.engine import assess

    inputs = CheckInputs(unusable_videos=("empty room.mp4",))
    result = assess(inputs)
    doc = write_report(tmp_path, result, inputs, [], make_meta())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "no video was given" not in html
    assert html.count("no runner was found in empty room.mp4") >= 3  # form section, plots, missing inputs
    assert doc["inputs"]["videos_without_runner"] == ["empty room.mp4"] and doc["videos"] == []
    trunk = next(n for n in result.not_assessed if n.cause == "trunk_lean")
    assert trunk.needs.startswith("no runner was found in empty room.mp4; ")


def test_a_walking_clip_is_labelled_and_gets_no_running_cadence_target(tmp_path, real_video) -> None:
    """The same clip read as walking: its card says no finding uses it, and the cadence chart offers no running
    step-up (the QA run showed a walking clip under 'Your running form' with a +5-10 % target band)."""
    walking = VideoArtifacts(replace(real_video.measures, activity="walking"), {**real_video.summary, "activity": "walking"},
                             real_video.analysis_dir)  # fmt: skip
    write_report(tmp_path, make_result(), CheckInputs(videos=(walking.measures,)), [walking], make_meta())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "This clip shows walking, not running: the measures below are shown as measured, and no finding uses them." in html
    assert "target band" not in html and "This clip is not running, so there is no running target." in html
    (tmp_path / "run").mkdir()
    write_report(tmp_path / "run", make_result(), CheckInputs(videos=(real_video.measures,)), [real_video], make_meta())
    running = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "not running" not in running and "+5-10 %" in running


def test_the_run_card_and_json_give_the_runners_clock_not_utc(tmp_path, real_inputs, real_video) -> None:
    """The card said 'Mon 17 Nov 2025, 00:10 UTC' under a title of Sun 16 Nov: the runner's day is the page's day."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Pacific/Pago_Pago")  # UTC-11: the run (07:00 UTC) started at 20:00 the evening before
    inputs = replace(real_inputs, lift_tz=zone)
    start = inputs.run.run.start.astimezone(zone)
    doc = write_report(tmp_path, make_result(), inputs, [real_video], make_meta())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{start:%a %d %b %Y, %H:%M} (Pacific/Pago_Pago)" in html and " UTC</div>" not in html
    assert (doc["run"]["run"]["local_start"], doc["run"]["run"]["clock"]) == (f"{start:%Y-%m-%dT%H:%M}", "Pacific/Pago_Pago")
    assert start.date() != inputs.run.run.start.astimezone(dt.timezone.utc).date()


def test_the_day_it_hurt_without_a_track_is_not_called_rest(tmp_path) -> None:
    import datetime as dt

    from formcheck.logs.records import LiftSet, SetKind

    day = dt.date(2022, 12, 7)
    lift = LiftSet(performed_on=day - dt.timedelta(days=1), started_at=None, workout="w", exercise="Deadlift", set_index=1,
                   kind=SetKind.NORMAL, weight_kg=150.0, reps=5)  # fmt: skip
    inputs = CheckInputs(lifts=(lift,), lumbar_class={"Deadlift": "heavy"}, symptom_date=day)
    write_report(tmp_path, make_result(), inputs, [], make_meta(symptom_date=day))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    square = html.split('<span class="hurt-tag">it hurt</span>')[1].split('<div class="day')[0]
    assert "the run that hurt (no track given)" in square and ">rest<" not in square


def test_two_clips_with_one_name_are_told_apart_by_their_folders(tmp_path, real_video) -> None:
    """Two run.mp4 from two folders were both titled 'run.mp4', with no folder in the JSON to tell them apart."""
    twin_dir = tmp_path / "videos" / "clip-2"
    twin_dir.parent.mkdir()
    twin_dir.symlink_to(real_video.analysis_dir, target_is_directory=True)
    twin = replace(real_video, analysis_dir=twin_dir)
    out = tmp_path / "out"
    out.mkdir()
    doc = write_report(out, make_result(), CheckInputs(videos=(real_video.measures, twin.measures)), [real_video, twin],
                       make_meta())  # fmt: skip
    name = real_video.measures.name
    assert [v["folder"] for v in doc["videos"]] == [f"videos/{real_video.analysis_dir.name}", "videos/clip-2"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"<h3>{name} (videos/{real_video.analysis_dir.name})</h3>" in html and f"<h3>{name} (videos/clip-2)</h3>" in html
    alone = tmp_path / "alone"
    alone.mkdir()
    write_report(alone, make_result(), CheckInputs(videos=(real_video.measures,)), [real_video], make_meta())
    assert f"<h3>{name}</h3>" in (alone / "report.html").read_text(encoding="utf-8")
