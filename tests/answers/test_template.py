"""The template and the writer: valid TOML that means "skipped", every question explained, and a lossless round trip."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.answers import Answers, load_answers
from formcheck.answers.fields import FieldSpec, all_fields, injury_fields
from formcheck.answers.load import MIN_RUNNING_AGE
from formcheck.answers.files import stamp, written_by_formcheck
from formcheck.answers.template import ENDURANCE_TESTS, TEMPLATE, answers_to_toml

FULL = Answers.model_validate({
    "runner": {"age": 34, "sex": "male", "height_cm": 181.5, "running_months": 3, "runs_per_week": 3},
    "symptom": {"date": dt.date(2026, 11, 28), "kind": "pump", "where": "lower_back", "minute_into_run": 12,
                "forced_walk": True, "lasted_min": 20, "hours_sore_after": 6.5, "severity": 7},
    "warmup": {"done": False},
    "history": {"injuries": [{"part": "ankle", "side": "left", "months_ago": 8}, {"part": 'knee "ACL"\\'}]},
    "substances": {"taken": ["oral_anabolic_steroid", "creatine"]},
    "endurance": {"extensor_s": 62, "flexor_s": 85.25, "side_bridge_left_s": 40, "side_bridge_right_s": 52},
    "red_flags": {"dark_urine": False, "night_pain": True},
})  # fmt: skip


def test_the_template_is_valid_toml_and_means_every_question_skipped(tmp_path: Path) -> None:
    parsed = tomllib.loads(TEMPLATE)
    assert set(parsed) == {"runner", "symptom", "warmup", "history", "substances", "endurance", "red_flags"}
    assert all(table == {} for table in parsed.values())
    path = tmp_path / "answers.toml"
    path.write_text(TEMPLATE, encoding="utf-8")
    assert load_answers(path) == Answers()


def test_the_template_explains_every_field_with_its_allowed_values() -> None:
    for key, spec in all_fields().items():
        if spec.kind != "injuries":
            assert f"# {spec.name} = " in TEMPLATE, key
        assert spec.allowed() in TEMPLATE, key
    for spec in injury_fields().values():
        assert f"# {spec.name} = " in TEMPLATE and spec.allowed() in TEMPLATE
    assert 'one of "pump", "tightness", "pain"' in TEMPLATE
    assert "a number of seconds between 0 and 600" in TEMPLATE
    assert "formcheck is not a diagnosis" in TEMPLATE


def test_the_template_carries_each_endurance_test_and_its_source() -> None:
    assert [t.field for t in ENDURANCE_TESTS] == [k for k in all_fields() if k.startswith("endurance.")]
    prose = " ".join(line.lstrip("#").strip() for line in TEMPLATE.splitlines())  # comments unwrapped
    for test in ENDURANCE_TESTS:
        assert test.name in prose and test.stop in prose and all(step in prose for step in test.setup)
        assert prose.index(test.stop) < prose.index(test.field.split(".")[1] + " = ")  # shown before it is asked
    assert "Biering-Sorensen" in prose and "Arch Phys Med Rehabil 1999" in prose


def test_uncommenting_an_example_line_gives_a_valid_answer(tmp_path: Path) -> None:
    """The examples are real values: a person who only removes "# " gets a file that loads."""
    text = TEMPLATE
    for spec in all_fields().values():
        if spec.kind != "injuries":
            text = text.replace(f"\n# {spec.name} = ", f"\n{spec.name} = ", 1)
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    answers = load_answers(path)
    assert answers.endurance.extensor_s == 90 and answers.runner.sex == "female"


def test_round_trip_of_a_full_answer_set(tmp_path: Path) -> None:
    text = answers_to_toml(FULL)
    assert 'part = "knee \\"ACL\\"\\\\"' in text and "extensor_s = 62.0" in text
    assert "# flexor" not in text  # answered: live line, not a comment
    path = tmp_path / "answers.toml"
    path.write_text(stamp(text), encoding="utf-8")
    assert load_answers(path) == FULL
    assert written_by_formcheck(path)
    path.write_text(stamp(text).replace("62.0", "63.0"), encoding="utf-8")
    assert not written_by_formcheck(path)


def _strategy(spec: FieldSpec) -> st.SearchStrategy[Any]:
    low, high = spec.low or 0, spec.high or 0
    if spec.kind == "number":
        return st.floats(low, high, allow_nan=False)
    if spec.kind == "integer":
        return st.integers(int(low), int(high))
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "enum":
        return st.sampled_from(spec.choices)
    if spec.kind == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date.today())
    if spec.kind == "text":
        return st.text(min_size=1, max_size=int(high)).filter(lambda s: s.strip() != "")
    if spec.kind == "enum_list":
        return st.lists(st.sampled_from([c for c in spec.choices if c != "none"]), max_size=3, unique=True)
    injury = st.fixed_dictionaries(
        {"part": _strategy(injury_fields()["part"])},
        optional={name: _strategy(s) for name, s in injury_fields().items() if name != "part"},
    )
    return st.lists(injury, max_size=3)


@st.composite
def answer_sets(draw: st.DrawFn) -> Answers:
    data: dict[str, dict[str, Any]] = {}
    for spec in all_fields().values():
        if draw(st.booleans()):
            data.setdefault(spec.section, {})[spec.name] = draw(_strategy(spec))
    runner = data.get("runner", {})
    if "age" in runner:  # the answers that go together: no more running (or injuries) than the years lived
        if "running_months" in runner:
            runner["running_months"] = min(runner["running_months"], (runner["age"] - MIN_RUNNING_AGE) * 12)
        for injury in data.get("history", {}).get("injuries", []):
            if "months_ago" in injury:
                injury["months_ago"] = min(injury["months_ago"], runner["age"] * 12)
    return Answers.model_validate(data)


@settings(max_examples=150, deadline=None)
@given(answer_sets())
def test_round_trip_property(answers: Answers) -> None:
    """load(write(a)) == a for any valid answers (text with quotes, backslashes, control characters, unicode)."""
    from formcheck.answers.load import answers_from_dict

    assert answers_from_dict(tomllib.loads(answers_to_toml(answers))) == answers
