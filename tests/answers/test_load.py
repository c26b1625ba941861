"""``load_answers`` / ``answers_from_form``: every kind of bad value gives one line naming the field and what is allowed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.answers import Answers
from formcheck.answers.fields import all_fields, injury_fields
from formcheck.answers.load import answers_from_dict, answers_from_form, load_answers
from formcheck.errors import AnswersError, UsageError

FULL = """
[runner]
age = 34
sex = "male"
height_cm = 181.5
running_months = 3
runs_per_week = 3

[symptom]
date = 2026-11-28
kind = "pump"
where = "lower_back"
minute_into_run = 12
forced_walk = true
lasted_min = 20
hours_sore_after = 6
severity = 7

[warmup]
done = false

[[history.injuries]]
part = "ankle"
side = "left"
months_ago = 8

[substances]
taken = ["creatine", "stimulant_preworkout"]

[endurance]
extensor_s = 62
flexor_s = 85.5
side_bridge_left_s = 40
side_bridge_right_s = 52

[red_flags]
dark_urine = false
saddle_numbness = false
"""


def write(tmp_path: Path, text: str, name: str = "answers.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(AnswersError) as caught:
        load_answers(write(tmp_path, text))
    message = caught.value.message
    assert "\n" not in message
    return message.removeprefix(str(tmp_path / "answers.toml") + ": ")


def test_a_full_file_loads(tmp_path: Path) -> None:
    answers = load_answers(write(tmp_path, FULL))
    assert answers.runner.age == 34 and answers.runner.height_cm == 181.5
    assert answers.symptom.date == dt.date(2026, 11, 28) and answers.symptom.forced_walk is True
    assert answers.history.injuries[0].part == "ankle" and answers.history.injuries[0].months_ago == 8
    assert answers.substances.taken == ("creatine", "stimulant_preworkout")
    assert answers.endurance.flexor_s == 85.5
    assert answers.red_flags.answered() == 2 and answers.red_flags.answered_yes() == ()


def test_an_empty_file_means_every_question_skipped(tmp_path: Path) -> None:
    assert load_answers(write(tmp_path, "# nothing yet\n")) == Answers()


def test_the_issue_example_word_for_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[endurance]\nextensor_s = "abc"\n')
    with pytest.raises(AnswersError) as caught:
        load_answers(Path("answers.toml"))
    assert caught.value.message == (
        'answers.toml: endurance.extensor_s must be a number of seconds between 0 and 600, got "abc"'
    )
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # wrong type
        ("[endurance]\nextensor_s = true", "endurance.extensor_s must be a number of seconds between 0 and 600, got true"),
        ("[runner]\nage = 34.5", "runner.age must be a whole number of years between 10 and 100, got 34.5"),
        ("[warmup]\ndone = 2", "warmup.done must be true or false, got 2"),
        ("runner = 5", "runner must be a table of age, sex, height_cm, running_months, runs_per_week, got 5"),
        # out of range
        ("[endurance]\nflexor_s = 700", "endurance.flexor_s must be a number of seconds between 0 and 600, got 700"),
        ("[endurance]\nside_bridge_left_s = -5", "must be a number of seconds between 0 and 600, got -5"),
        ("[symptom]\nseverity = 11", "symptom.severity must be a whole number between 0 and 10, got 11"),
        ("[runner]\nheight_cm = nan", "runner.height_cm must be a number of centimetres between 50 and 250, got nan"),
        # bad enum: the allowed values are listed
        ('[runner]\nsex = "f"', 'runner.sex must be one of "female", "male", "other", got "f"'),
        ('[symptom]\nkind = "cramp"', 'symptom.kind must be one of "pump", "tightness", "pain", got "cramp"'),
        ('[substances]\ntaken = ["creatin"]', 'got "creatin" (did you mean "creatine"?)'),
        ('[substances]\ntaken = "creatine"', 'substances.taken must be a list of any of "oral_anabolic_steroid"'),
        ('[substances]\ntaken = ["none", "creatine"]', 'substances.taken lists "none" together with ["creatine"]'),
        # bad date
        ('[symptom]\ndate = "yesterday"', 'symptom.date must be a date written YYYY-MM-DD (e.g. 2026-12-01), from 1990 on and not in the future, got "yesterday"'),
        ("[symptom]\ndate = 2026-02-30", "not valid TOML at line 2"),
        ("[symptom]\ndate = 2999-01-01", "symptom.date 2999-01-01 is in the future: give the day of the run that hurt"),
        ("[symptom]\ndate = 1985-06-01", "symptom.date 1985-06-01 is before 1990: give the day of the run that hurt"),
        ("[symptom]\ndate = 2026-01-01T10:00:00", "symptom.date must be a date written YYYY-MM-DD"),
        ("[symptom]\ndate = 1989-12-31", "symptom.date 1989-12-31 is before 1990"),
        # answers that cannot go together
        ("[runner]\nage = 20\nrunning_months = 899", "runner.running_months is 899 (75 years) but runner.age is 20: "
                                                       "give the months of regular running, at most 192 at that age"),
        ('[runner]\nage = 30\n[[history.injuries]]\npart = "ankle"\nmonths_ago = 400',
         "the ankle injury was 400 months ago, before a 30-year-old was born"),
        # injuries not a list of tables, or a bad injury
        ('[history]\ninjuries = "ankle"', 'history.injuries must be a list of tables, one per injury, each like part = "ankle"'),
        ('[history.injuries]\npart = "ankle"', "got a table; give each injury its own table headed history.injuries in double brackets"),
        ('[history]\ninjuries = ["ankle"]', 'history.injuries must be a list of tables'),
        ('[[history.injuries]]\nside = "left"', "history.injuries, injury 1: part is required"),
        ('[[history.injuries]]\npart = "knee"\n[[history.injuries]]\npart = "ankle"\nside = "lft"',
         'history.injuries, injury 2: side must be one of "left", "right", "both", "none", got "lft"'),
        ('[[history.injuries]]\npart = "ankle"\nsid = "left"', "history.injuries, injury 1: unknown key sid; did you mean side?"),
        # unknown table or key, with a did-you-mean
        ("[endurence]\nextensor_s = 5", "unknown table endurence; did you mean endurance? the tables are runner, symptom"),
        ("[endurance]\nextenser_s = 4", "unknown key endurance.extenser_s; did you mean extensor_s? the endurance table has extensor_s"),
        ("[runner]\nextensor_s = 4", "unknown key runner.extensor_s; did you mean endurance.extensor_s?"),
        ("age = 34", "unknown key age outside any table; did you mean runner.age (in the runner table)?"),
        ("[weather]\nrain = true", "unknown table weather; the tables are"),
        # not TOML: line and column
        ("[runner]\nage = ", "not valid TOML at end of document: invalid value"),
        ("[runner]\nage = 3\nage = 4\n", "not valid TOML at line 3, column 8: cannot overwrite a value"),
        ("[runner\n", "not valid TOML at line 1, column 8"),
    ],
)
def test_each_bad_value_gives_one_line(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_of(tmp_path, text)


def test_missing_folder_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match=r"answers\.toml: no such file \(formcheck ask writes one\)$"):
        load_answers(tmp_path / "answers.toml")
    with pytest.raises(AnswersError, match="is a folder"):
        load_answers(tmp_path)
    path = tmp_path / "answers.toml"
    path.write_bytes(b"[runner]\nage = 3\xff\n")
    with pytest.raises(AnswersError, match=r"not UTF-8 text \(byte 16\)"):
        load_answers(path)


def test_lenient_where_the_intent_is_clear(tmp_path: Path) -> None:
    text = '[endurance]\nextensor_s = "45"\n[symptom]\nforced_walk = "yes"\ndate = "2026-11-28"\n'
    answers = load_answers(write(tmp_path, "\ufeff" + text))  # a BOM from Windows editors too
    assert answers.endurance.extensor_s == 45.0 and answers.symptom.forced_walk is True
    assert answers.symptom.date == dt.date(2026, 11, 28)


def test_form_fields_flat_and_skippable() -> None:
    form = {
        "runner.age": "34",
        "runner.sex": "",
        "endurance.extensor_s": " 62 ",
        "symptom.forced_walk": "on",
        "substances.taken": "creatine, stimulant_preworkout",
        "history.injuries.2.part": "knee",
        "history.injuries.1.part": "ankle",
        "history.injuries.1.side": "left",
        "history.injuries.3.part": "",
        "red_flags.fever": "no",
    }
    answers = answers_from_form(form)
    assert answers.runner.age == 34 and answers.runner.sex is None and answers.endurance.extensor_s == 62
    assert answers.symptom.forced_walk is True and answers.red_flags.fever is False
    assert answers.substances.taken == ("creatine", "stimulant_preworkout")
    assert [(i.part, i.side) for i in answers.history.injuries] == [("ankle", "left"), ("knee", None)]
    assert answers_from_form({key: "" for key in form}) == Answers()


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"endurance.extensor_s": "abc"}, 'form: endurance.extensor_s must be a number of seconds between 0 and 600, got "abc"'),
        ({"endurance.extenser_s": "4"}, "form: unknown field endurance.extenser_s; did you mean endurance.extensor_s?"),
        ({"runner.sex": "x"}, 'form: runner.sex must be one of "female", "male", "other", got "x"'),
        ({"history.injuries.1.months_ago": "x", "history.injuries.1.part": "ankle"},
         'form: history.injuries, injury 1: months_ago must be a number of months between 0 and 900, got "x"'),
        ({"symptom.date": "28/11/2026"}, 'form: symptom.date must be a date written YYYY-MM-DD (e.g. 2026-12-01), from 1990 on and not in the future, got "28/11/2026"'),
    ],
)
def test_form_errors_use_the_same_words(form: dict[str, str], expected: str) -> None:
    with pytest.raises(AnswersError) as caught:
        answers_from_form(form)
    assert caught.value.message == expected


def test_messages_can_name_the_file_as_the_person_knows_it(tmp_path: Path) -> None:
    with pytest.raises(AnswersError) as caught:
        load_answers(write(tmp_path, "[runner]\nage = 5\n", "upload-1234.tmp"), source="answers.toml")
    assert caught.value.message == "answers.toml: runner.age must be a whole number of years between 10 and 100, got 5"


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=12),
    st.dates(), st.datetimes(), st.times(),
)
_keys = st.one_of(st.sampled_from(sorted({k.split(".")[1] for k in all_fields()} | set(injury_fields()))),
                  st.text(max_size=8))  # fmt: skip
_values = st.recursive(
    _scalars.filter(lambda v: v is not None),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=3)),
    max_leaves=8,
)
_documents = st.dictionaries(
    st.one_of(st.sampled_from(list(Answers.model_fields)), st.text(max_size=8)),
    st.one_of(st.dictionaries(_keys, _values, max_size=4), _values),
    max_size=4,
)


@settings(max_examples=int(os.environ.get("FORMCHECK_FUZZ_EXAMPLES", 400)), deadline=None)
@given(_documents)
def test_any_parsed_toml_gives_answers_or_one_line(document: dict[str, Any]) -> None:
    """Whatever a TOML file can hold: valid Answers, or one AnswersError line -- never another exception."""
    try:
        answers_from_dict(document, "answers.toml")
    except AnswersError as error:
        assert error.message.startswith("answers.toml: ") and "\n" not in error.message


@settings(max_examples=int(os.environ.get("FORMCHECK_FUZZ_EXAMPLES", 300)), deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from(sorted(all_fields())), st.sampled_from(
    [f"history.injuries.{n}.{k}" for n in (1, 2) for k in injury_fields()]), st.text(max_size=20)),
    st.text(max_size=12), max_size=6))  # fmt: skip
def test_any_form_gives_answers_or_one_line(form: dict[str, str]) -> None:
    try:
        answers_from_form(form)
    except AnswersError as error:
        assert error.message.startswith("form: ") and "\n" not in error.message
