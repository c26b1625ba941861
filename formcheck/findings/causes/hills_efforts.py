"""Hills, hill sprints and sudden efforts before the walk break, from the run's GPS track.

Why: running uphill changes lumbar position (Levine et al., J Athl Train
2007, at 5 deg grades) and a hard effort on a climb, or a surge in pace,
loads the back extensors most.  If the pump forced a walk right after a
climb or a surge, that timing is the strongest evidence this family can give,
so it weighs most.  Everything comes from ``RunContext.hills`` and
``RunContext.walk_breaks`` (``formcheck.context``): the context computed the
steep stretches, hard efforts and what preceded each break.
"""

from __future__ import annotations

from formcheck.context.hills import DEFAULT_HILLS
from formcheck.context.track import sampled_fraction
from formcheck.context.walk_breaks import DEFAULT_WALK_BREAKS, symptom_break
from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "hills_efforts"
TITLE = "Hills, hill sprints or a sudden effort"
_BURST = (f"{100 * (DEFAULT_HILLS.burst_speed_ratio - 1):.0f} % faster than your running pace for "
          f"{fmt(DEFAULT_HILLS.burst_min_s, 0)} s or more")
LEVINE = "Levine et al., J Athl Train 2007: lumbar position differed uphill vs level vs downhill at 5 deg grades"


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    if inputs.run is None:
        return NotAssessed(CAUSE_ID, TITLE, "give the GPS track of the run that hurt (GPX, FIT or TCX) to assess it")
    hills, walks = inputs.run.hills, inputs.run.walk_breaks
    r = Rules(th, CAUSE_ID)
    r.cite(LEVINE)
    available, expected = 0, 2
    sampled = sampled_fraction(inputs.run.run)
    partial = sampled is not None and sampled < float(r.value("min_sampled_fraction"))
    if partial:
        r.note(f"The track holds only the first {fmt(inputs.run.run.duration_s * sampled / 60, 0)} min of the "
               f"{fmt(inputs.run.run.duration_s / 60, 0)}-min run: climbs and walk breaks after that are not seen.")
    if hills.gain_m_per_km is not None:
        available += sampled if partial and sampled is not None else 1  # a part of the route shows a part
        per_km = hills.gain_m_per_km
        r.measures.update(gain_m=hills.gain_m, gain_m_per_km=round(per_km, 1), steep_climb_m=hills.steep_climb_m)
        gain = f"{fmt(hills.gain_m or 0.0, 0)} m of climbing ({per_km:.1f} m per km)"
        if per_km >= float(r.value("hilly_gain_m_per_km")):
            r.fire("hilly", f"A hilly run: {gain}.")
        elif per_km < float(r.value("flat_gain_m_per_km")) and not partial:
            r.argue_against(f"A flat run: {gain}.")
        else:
            r.note(f"A rolling run: {gain}.")
        if hills.steep_segments:
            r.fire("steep_climbs", (
                f"{len(hills.steep_segments)} steep climb(s) of {fmt(DEFAULT_HILLS.min_steep_m, 0)} m or more over "
                f"{fmt(DEFAULT_HILLS.steep_grade_pct)} % grade, {fmt(hills.steep_climb_m, 0)} m of road in all (not height), "
                f"steepest {max(s.grade_pct for s in hills.steep_segments):.1f} %."
            ))
        if hills.hard_hill_efforts:
            r.fire("hard_hill_efforts", f"{hills.hard_hill_efforts} climb(s) run hard (at or above your usual pace, or near your maximum heart rate).")
    else:
        r.argue_against("The track has no elevation, so climbs cannot be measured.")
    if hills.hill_sprints:
        # counted on any stretch over the steep grade, however short: "steep climbs" above are 100 m or longer, so
        # six 40-m hill repeats are six sprints on what may be no "steep climb" at all
        r.fire("hill_sprints", f"{hills.hill_sprints} sprint(s) up a grade over {fmt(DEFAULT_HILLS.steep_grade_pct)} % ({_BURST}).")
    elif hills.speed_bursts:
        r.note(f"{hills.speed_bursts} speed burst(s) off the steep climbs ({_BURST}).")

    tolerance = float(r.value("onset_tolerance_min"))
    brk, how = symptom_break(walks.breaks, inputs.answers.symptom.minute_into_run, tolerance)
    if brk is None and how:
        r.note(how)
    if brk is not None:
        available += 1
        if brk.inferred:
            r.note(f"That break lies mostly in a gap in the recording ({fmt(brk.in_gap_s, 0)} s without samples): "
                   "what came before it is measured, its start is inferred.")
        before = brk.preceded_by
        at = f"The walk break {fmt(brk.start_s / 60.0, 0)} min into the run{how}"
        r.measures.update(walk_break_min=round(brk.start_s / 60.0, 1), grade_before_pct=before.grade_pct,
                          speed_vs_median_before=before.speed_vs_run_median)
        climb = before.grade_pct is not None and before.grade_pct >= float(r.value("climb_before_break_pct"))
        surge = before.speed_vs_run_median is not None and before.speed_vs_run_median >= float(r.value("surge_ratio"))
        settled = brk.start_s >= 60.0 * float(r.value("hr_settled_min"))  # before that a rising heart rate is the start
        hr_up = settled and before.hr_drift_bpm is not None and before.hr_drift_bpm >= float(r.value("hr_drift_bpm"))
        minutes = fmt(before.window_s / 60.0, 0)
        if climb:
            r.fire("climb_before_break", f"{at} followed {minutes} min at {before.grade_pct:+.1f} % grade.")
        if surge or (hr_up and not climb):
            detail = f"{100 * ((before.speed_vs_run_median or 1.0) - 1):+.0f} % vs your usual running speed" if surge else ""
            hr = f"heart rate up {before.hr_drift_bpm:.0f} bpm in the {fmt(DEFAULT_WALK_BREAKS.hr_drift_window_s / 60, 0)} min before" if hr_up else ""
            r.fire("surge_before_break", f"{at} followed a harder effort: {', '.join(x for x in (detail, hr) if x)}.")
        if not climb and not surge and not hr_up:
            grade = f" at {before.grade_pct:+.1f} % grade" if before.grade_pct is not None else ""
            r.argue_against(f"{at} followed {minutes} min of steady running{grade}, with no surge.")
        if walks.pattern == "intervals":
            r.argue_against("The walk breaks are regular, like planned run/walk intervals, so they may not mark the pump.")
    elif not walks.breaks and walks.signal != "none" and not partial:
        r.note("No walk break was found in the track.")
    return r.finding(
        CAUSE_ID, TITLE, available=available, expected=expected,
        rule_out=("The same pump on flat runs at an even pace.",),
        plan=("hill_technique",),  # its own "lean from the ankles" cue: the posture cues are for a lean or head the video saw
    )
