"""findings.json: fixed keys, strict JSON, red flags first, the run's context and the clip's metrics."""

from __future__ import annotations

import json
import math

import numpy as np

from report_builders import make_meta, make_result
from formcheck.findings.model import CheckInputs
from formcheck.report import SCHEMA, TOP_LEVEL_KEYS, findings_to_dict, write_report

FINDING_KEYS = {"rank", "cause", "title", "score", "confidence", "evidence", "against", "rule_out", "plan",
                "rules_fired", "measures", "sources"}  # fmt: skip


def test_schema_keys_exactly() -> None:
    doc = findings_to_dict(make_result(), CheckInputs(), [], make_meta())
    assert tuple(doc) == TOP_LEVEL_KEYS == (
        "schema", "created_at", "formcheck_version", "red_flags", "findings", "not_assessed", "plan", "journal",
        "inputs", "videos", "run", "disclaimer",
    )  # fmt: skip
    assert doc["schema"] == SCHEMA == "formcheck.findings/1"
    assert all(set(f) == FINDING_KEYS for f in doc["findings"])
    assert [set(f) for f in doc["red_flags"]] == [{"id", "message", "urgency"}] * 2
    assert set(doc["not_assessed"][0]) == {"cause", "title", "needs", "asks"}
    assert set(doc["plan"][0]) == {"id", "title", "steps", "why", "caveat"}
    assert set(doc["journal"]) == {"note", "correlations"}
    assert {"used", "missing", "files"} <= set(doc["inputs"])
    assert doc["run"] is None and doc["videos"] == []
    assert doc["disclaimer"].startswith("formcheck is not a diagnosis")


def test_red_flags_come_before_findings_and_ranks_follow_the_list() -> None:
    doc = findings_to_dict(make_result(), CheckInputs(), [], make_meta())
    keys = list(doc)
    assert keys.index("red_flags") < keys.index("findings")
    assert [f["rank"] for f in doc["findings"]] == [1, 2, 3]
    assert doc["red_flags"][0]["urgency"] == "today"


def test_strict_json_nan_and_numpy(tmp_path) -> None:
    from dataclasses import replace

    result = make_result()
    odd = replace(result.findings[0], score=np.float64(0.5), measures={"a": np.float32(1.5), "b": math.inf, "c": np.int64(3)})
    result = replace(result, findings=(odd,))
    doc = write_report(tmp_path, result, CheckInputs(), [], make_meta())
    text = (tmp_path / "findings.json").read_text()
    back = json.loads(text)  # parses: no NaN / Infinity tokens
    assert "NaN" not in text and "Infinity" not in text
    assert back == doc
    assert back["findings"][0]["measures"] == {"a": 1.5, "b": None, "c": 3}
    assert type(back["findings"][0]["score"]) is float


def test_real_run_and_clip(tmp_path, real_inputs, real_video) -> None:
    doc = write_report(tmp_path, make_result(), real_inputs, [real_video], make_meta())
    run = doc["run"]
    assert run["run"]["distance_km"] > 7 and run["last_lumbar_session"]["days_before"] == 2
    assert len(run["walk_breaks"]) >= 1
    clip = doc["videos"][0]
    assert clip["name"] == "treadmill_side_gym_portrait_60fps.mp4" and clip["view"] == "side"
    cadence = clip["metrics"]["cadence_spm"]
    assert set(cadence) == {"value", "unit", "sd", "n", "reason"} and 150 < cadence["value"] < 185
    assert clip["metrics"]["ground_contact_ms"]["value"] is None and clip["metrics"]["ground_contact_ms"]["reason"]
    assert doc["inputs"]["symptom_date"] == "2015-05-31"
    json.dumps(doc, allow_nan=False)
