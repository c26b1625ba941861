"""Every number a cause rule compares against, read from ``thresholds.toml`` with its source.

The rules stay in code, the numbers in data: a physiotherapist who disagrees
with "11 deg is a high trunk lean" edits one line of the TOML (or points
``$FORMCHECK_THRESHOLDS`` at their own copy) and never touches Python.  Each
entry is ``name = { value = ..., source = "..." }``; a value without a source
is refused at load time, so no unexplained number can slip in.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from formcheck.errors import UsageError

ENV_VAR = "FORMCHECK_THRESHOLDS"


@dataclass(frozen=True)
class Threshold:
    value: Any
    source: str
    note: str | None = None


class Thresholds:
    """Dotted-name access: ``th.value("trunk_lean.high_deg")``, ``th.source(...)``."""

    def __init__(self, entries: Mapping[str, Threshold], origin: str) -> None:
        self._entries = dict(entries)
        self.origin = origin

    def value(self, name: str) -> Any:
        try:
            return self._entries[name].value
        except KeyError:
            raise KeyError(f"threshold {name!r} is not in {self.origin}") from None

    def source(self, name: str) -> str:
        return self._entries[name].source

    def __getitem__(self, name: str) -> Threshold:
        return self._entries[name]

    def names(self) -> list[str]:
        return sorted(self._entries)


def _flatten(table: Mapping[str, Any], prefix: str, origin: str) -> dict[str, Threshold]:
    out: dict[str, Threshold] = {}
    for key, item in table.items():
        name = f"{prefix}{key}"
        if isinstance(item, Mapping) and "value" in item:
            source = item.get("source")
            if not isinstance(source, str) or not source.strip():
                raise UsageError(f"{origin}: threshold {name} has no source; every number needs one.")
            out[name] = Threshold(item["value"], source.strip(), item.get("note"))
        elif isinstance(item, Mapping):
            out.update(_flatten(item, f"{name}.", origin))
        # plain keys (e.g. a section's "about" text) are documentation, not thresholds
    return out


def parse_thresholds(text: str, origin: str) -> Thresholds:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{origin} is not valid TOML: {error}.") from None
    return Thresholds(_flatten(data, "", origin), origin)


@lru_cache(maxsize=4)
def _load(path: str | None) -> Thresholds:
    if path:
        try:
            return parse_thresholds(Path(path).read_text(encoding="utf-8"), path)
        except OSError as error:
            raise UsageError(f"cannot read thresholds file {path}: {error.strerror}.") from None
    text = resources.files("formcheck.findings").joinpath("thresholds.toml").read_text(encoding="utf-8")
    return parse_thresholds(text, "formcheck/findings/thresholds.toml")


def load_thresholds() -> Thresholds:
    """The shipped thresholds, or the file named by ``$FORMCHECK_THRESHOLDS``."""
    return _load(os.environ.get(ENV_VAR) or None)
