"""The report of the real engine on real data: what ``formcheck check`` writes for the same person's logs."""

from __future__ import annotations

import json
from dataclasses import replace

from report_builders import demo_answers, make_meta
from formcheck.findings.engine import assess
from formcheck.report import write_report


def test_engine_result_on_real_data_reports(tmp_path, real_inputs, real_video) -> None:
    inputs = replace(real_inputs, answers=demo_answers())
    result = assess(inputs)
    doc = write_report(tmp_path, result, inputs, [real_video], make_meta())
    assert json.loads((tmp_path / "findings.json").read_text()) == doc
    causes = [f["cause"] for f in doc["findings"]]
    assert "lifting_fatigue" in causes[:3]  # the deadlift/squat session two days before
    html = (tmp_path / "report.html").read_text()
    top = result.findings[0]
    assert f'id="cause-{top.cause}"' in html and "Most likely: " in html
    assert all(f'id="plan-{p.id}"' in html for p in result.plan)
    assert "No red flags" in html  # every red-flag question answered no
    print(f"engine report: {(tmp_path / 'report.html').stat().st_size / 1e6:.2f} MB, {len(result.findings)} findings, "
          f"{len(result.plan)} plan items")  # fmt: skip
