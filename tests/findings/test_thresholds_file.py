"""thresholds.toml: every entry has a source; every rule weight a cause can fire exists."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from formcheck.errors import UsageError
from formcheck.findings.thresholds import load_thresholds, parse_thresholds

OWN = ("scoring", "red_flags", "lifting_fatigue", "trunk_endurance", "hills_efforts", "load_spike", "too_little_rest",
       "substances", "posterior_chain", "no_warmup", "journal")  # fmt: skip


def test_every_entry_has_a_source_and_my_sections_are_filled() -> None:
    th = load_thresholds()
    assert all(th.source(name).strip() for name in th.names())
    for section in OWN:
        assert any(name.startswith(section + ".") for name in th.names()), section


def test_a_value_without_a_source_is_refused() -> None:
    with pytest.raises(UsageError, match="no source"):
        parse_thresholds("[x]\na = { value = 1 }\n", "test.toml")


def test_every_fired_rule_name_has_a_weight() -> None:
    th = load_thresholds()
    causes = resources.files("formcheck.findings.causes")
    for section in OWN[2:-1]:
        code = causes.joinpath(f"{section}.py").read_text(encoding="utf-8")
        rules = set(re.findall(r'\.fire\(\s*"(\w+)"', code))
        rules |= {f"spike_{band}" for band in ("small", "moderate", "large")} if section == "load_spike" else set()
        rules |= {"oral_anabolic_steroid", "other_hormone", "creatine", "stimulant_preworkout"} if section == "substances" else set()
        for rule in rules:
            assert f"{section}.weights.{rule}" in th.names(), f"{section}.weights.{rule}"
