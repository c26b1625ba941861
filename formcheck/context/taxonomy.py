"""Exercise names -> movement family and lumbar (spinal) loading class, from a data table.

The question formcheck answers ("did heavy deadlifts or squats the days before
pump up my lower back?") needs to know which logged sets loaded the lower back.
Apps name exercises freely ("Deadlift (Barbell)", "Speed DL W Bands",
"Barbell Squat (Each Side)"), so the mapping is a table of ordered,
case-insensitive regular expressions in ``formcheck/data/exercise_taxonomy.csv``
(first match wins, so specific rules such as Romanian deadlift come before
deadlift). It is data, not code, so that a user can extend or override it
without a release:

* ``load_taxonomy(extra_path)``, the ``FORMCHECK_TAXONOMY`` environment
  variable, and ``exercise_taxonomy.csv`` in the user's config directory
  (``platformdirs.user_config_dir("formcheck")``) each add rules that are
  tried *before* the built-in ones.

A name that no rule matches is reported by :func:`unknown_exercises`, never
guessed: a wrong "none" would silently hide a heavy lift from the findings.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from formcheck.errors import UsageError
from formcheck.logs.records import StrengthLog

__all__ = [
    "ENV_VAR",
    "FAMILIES",
    "LUMBAR_LOADS",
    "ExerciseClass",
    "Rule",
    "Taxonomy",
    "TaxonomyError",
    "UnknownExercise",
    "classify",
    "load_taxonomy",
    "normalise_name",
    "unknown_exercises",
]

ENV_VAR = "FORMCHECK_TAXONOMY"
USER_FILE_NAME = "exercise_taxonomy.csv"
FORMAT_VERSION = 1  # the column layout; the table's own content version is in its "# version:" line
FAMILIES = frozenset({
    "hinge", "squat", "lunge", "leg_press", "row", "press", "pull", "carry", "olympic",
    "core", "isolation", "cardio", "mobility", "other",
})
LUMBAR_LOADS = ("none", "moderate", "heavy")  # ordered: index = rank
_COLUMNS = ("pattern", "family", "lumbar_load")
_VERSION_LINE = re.compile(r"^#\s*version\s*[:=]\s*(\d+)\s*$", re.IGNORECASE)


class TaxonomyError(UsageError):
    """A taxonomy file (built-in or the user's) that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Rule:
    """One row of a taxonomy table: a regex searched in the normalised name."""

    pattern: re.Pattern[str]
    family: str
    lumbar_load: str
    note: str
    source: str  # "file.csv:line", shown when explaining a classification


@dataclass(frozen=True)
class ExerciseClass:
    """What an exercise is, and which rule said so (so a report can show its reasoning)."""

    family: str
    lumbar_load: str  # "none" | "moderate" | "heavy"
    matched_rule: str  # the rule's pattern text and where it came from

    @property
    def lumbar_rank(self) -> int:
        return LUMBAR_LOADS.index(self.lumbar_load)


@dataclass(frozen=True)
class Taxonomy:
    """Ordered rules (user rules first) and the built-in table's version."""

    rules: tuple[Rule, ...]
    version: int
    sources: tuple[str, ...]

    def classify(self, name: str) -> ExerciseClass | None:
        key = normalise_name(name)
        for rule in self.rules:
            if rule.pattern.search(key):
                return ExerciseClass(rule.family, rule.lumbar_load, f"{rule.pattern.pattern} ({rule.source})")
        return None


@dataclass(frozen=True)
class UnknownExercise:
    """An exercise name no rule matched, with how many sets in the log used it."""

    name: str
    sets: int


def normalise_name(name: str) -> str:
    """Lower case, one kind of apostrophe, single spaces: the text rules are matched against.

    Parenthesised equipment is kept ("Squat (Smith Machine)" must not read as a
    barbell squat), so rules that do not care simply don't mention it.
    """
    text = name.casefold().replace("\u00b4", "'").replace("\u2019", "'").replace("`", "'")
    return " ".join(text.split())


def _parse_table(text: str, source: str, *, builtin: bool) -> tuple[list[Rule], int | None]:
    version: int | None = None
    lines = text.splitlines()
    for raw in lines:
        found = _VERSION_LINE.match(raw.strip())
        if found:
            version = int(found.group(1))
            break
    numbered = [(i, line) for i, line in enumerate(lines, start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return [], version
    reader = csv.reader(io.StringIO("\n".join(line for _, line in numbered)))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise TaxonomyError(f"{source}: not a readable CSV table ({exc})") from None
    header = [h.strip().casefold() for h in rows[0]]
    if tuple(header[:3]) != _COLUMNS:
        raise TaxonomyError(f"{source}: header must start with {','.join(_COLUMNS)}, found {','.join(rows[0])}")
    rules = []
    for (line_no, _), row in zip(numbered[1:], rows[1:]):
        where = f"{source}:{line_no}"
        if len(row) < 3:
            raise TaxonomyError(f"{where}: needs pattern,family,lumbar_load")
        pattern, family, load = (c.strip() for c in row[:3])
        if family not in FAMILIES:
            raise TaxonomyError(f"{where}: family {family!r} is not one of {', '.join(sorted(FAMILIES))}")
        if load not in LUMBAR_LOADS:
            raise TaxonomyError(f"{where}: lumbar_load {load!r} must be none, moderate or heavy")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise TaxonomyError(f"{where}: pattern {pattern!r} is not a valid regular expression ({exc})") from None
        note = row[3].strip() if len(row) > 3 else ""
        rules.append(Rule(compiled, family, load, note, where))
    if builtin and version is None:
        raise TaxonomyError(f"{source}: missing '# version: N' line")
    return rules, version


def _read_user_file(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TaxonomyError(f"taxonomy file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"taxonomy file {path} cannot be read: {exc}") from None
    rules, _ = _parse_table(text, path.name, builtin=False)
    return rules


def _user_config_file() -> Path | None:
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - platformdirs is a declared dependency
        return None
    candidate = Path(platformdirs.user_config_dir("formcheck")) / USER_FILE_NAME
    return candidate if candidate.is_file() else None


@functools.lru_cache(maxsize=1)
def _builtin() -> tuple[tuple[Rule, ...], int]:
    text = resources.files("formcheck").joinpath("data", "exercise_taxonomy.csv").read_text(encoding="utf-8")
    rules, version = _parse_table(text, "exercise_taxonomy.csv", builtin=True)
    return tuple(rules), version or 0


def load_taxonomy(extra_path: str | Path | None = None, *, use_environment: bool = True) -> Taxonomy:
    """The built-in table, preceded by the user's rules (extra_path, $FORMCHECK_TAXONOMY, config dir).

    ``use_environment=False`` ignores the environment variable and config dir,
    so tests and reproducible reports can pin the built-in table.
    """
    paths: list[Path] = []
    if extra_path is not None:
        paths.append(Path(extra_path))
    if use_environment:
        env = os.environ.get(ENV_VAR, "").strip()
        if env:
            paths.append(Path(env))
        config = _user_config_file()
        if config is not None:
            paths.append(config)
    user_rules: list[Rule] = []
    for path in dict.fromkeys(paths):
        user_rules.extend(_read_user_file(path))
    builtin_rules, version = _builtin()
    sources = tuple(str(p) for p in dict.fromkeys(paths)) + ("exercise_taxonomy.csv",)
    return Taxonomy(rules=tuple(user_rules) + builtin_rules, version=version, sources=sources)


def classify(name: str, taxonomy: Taxonomy | None = None) -> ExerciseClass | None:
    """Family and lumbar load of one exercise name, or None when no rule matches."""
    return (taxonomy or load_taxonomy()).classify(name)


def unknown_exercises(log: StrengthLog, taxonomy: Taxonomy | None = None) -> tuple[UnknownExercise, ...]:
    """Exercise names in ``log`` that no rule matches, most-used first, so they can be listed to the user."""
    table = taxonomy or load_taxonomy()
    counts = Counter(s.exercise for s in log.sets)
    unknown = [UnknownExercise(name, n) for name, n in counts.items() if table.classify(name) is None]
    return tuple(sorted(unknown, key=lambda u: (-u.sets, u.name)))
