"""challenge.toml, format version 1: one parser (and its inverse) for this version only.

Every problem is collected rather than raised at the first one, so `challenge check` can
report all of them at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from trackrecord.bundle.model import (
    DEFAULT_DIFFICULTY,
    DEFAULT_FINAL_PICKS,
    DEFAULT_PER_DAY,
    FORMAT_VERSION,
    TASKS,
    Challenge,
    FieldEntry,
    Limits,
    Thresholds,
)
from trackrecord.errors import Problem

FILE = "challenge.toml"
# Field limits: a title or a column name is a line on a page, not a document.
MAX_TEXT_CHARS = 200  # title, version, column names, labels, skills, field names
MAX_LIST_ITEMS = 1000  # target_columns, solution_columns, labels
MAX_SHORT_LIST = 100  # skills, apply_elsewhere, [[field]] entries
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
KNOWN_TABLES = {
    "format_version",
    "challenge",
    "metric",
    "thresholds",
    "limits",
    "siblings",
    "field",
}


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, message: str) -> None:
        self.problems.append(Problem(message, file=FILE))


def _too_long(c: _Collector, where: str, value: str) -> bool:
    if len(value) <= MAX_TEXT_CHARS:
        return False
    c.add(f"{where} is {len(value):,} characters long; at most {MAX_TEXT_CHARS} are allowed")
    return True


def _str(c: _Collector, table: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            c.add(f"[challenge] {key} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        c.add(f"[challenge] {key} must be a non-empty string, got {value!r}")
        return None
    if _too_long(c, f"[challenge] {key}", value):
        return None
    return value


def _str_list(
    c: _Collector, where: str, value: Any, max_items: int = MAX_LIST_ITEMS
) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        c.add(f"{where} must be a list of non-empty strings, got {value!r}")
        return None
    if len(value) > max_items:
        c.add(f"{where} has {len(value):,} entries; at most {max_items:,} are allowed")
        return None
    if any(_too_long(c, f"{where} entry {i}", v) for i, v in enumerate(value, 1)):
        return None
    if len(set(value)) != len(value):
        c.add(f"{where} has duplicate entries: {value!r}")
    return tuple(value)


def _number(c: _Collector, where: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        c.add(f"{where} must be a finite number, got {value!r}")
        return None
    return float(value)


def _positive_int(c: _Collector, where: str, value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        c.add(f"{where} must be a whole number >= 1, got {value!r}")
        return default
    return value


def _deadline(c: _Collector, value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            c.add(f"[challenge] deadline {value!r} is not an ISO 8601 date-time")
            return None
    if not isinstance(value, datetime):
        c.add(f"[challenge] deadline must be a date-time, got {value!r}")
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _field(c: _Collector, value: Any) -> tuple[FieldEntry, ...]:
    if value is None:
        return ()
    entries = []
    if not isinstance(value, list):
        c.add("[[field]] must be an array of tables with name, public, private")
        return ()
    if len(value) > MAX_SHORT_LIST:
        c.add(f"[[field]] has {len(value):,} entries; at most {MAX_SHORT_LIST} are allowed")
        return ()
    for i, row in enumerate(value, 1):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            c.add(f"[[field]] entry {i} needs a name, public and private")
            continue
        if _too_long(c, f"[[field]] entry {i} name", row["name"]):
            continue
        pub = _number(c, f"[[field]] {row['name']!r} public", row.get("public"))
        priv = _number(c, f"[[field]] {row['name']!r} private", row.get("private"))
        if pub is not None and priv is not None:
            entries.append(FieldEntry(row["name"], pub, priv))
    return tuple(entries)


def parse(doc: Mapping[str, Any]) -> tuple[Challenge | None, list[Problem]]:
    """Turn a parsed challenge.toml into a Challenge, or None with every problem found."""
    c = _Collector()
    version = doc.get("format_version")
    if version != FORMAT_VERSION:
        c.add(f"format_version must be {FORMAT_VERSION}, got {version!r}")
    for key in sorted(set(doc) - KNOWN_TABLES):
        c.add(f"unknown top-level key {key!r} (known: {', '.join(sorted(KNOWN_TABLES))})")
    ch = doc.get("challenge")
    if not isinstance(ch, dict):
        c.add("the [challenge] table is missing")
        return None, c.problems

    cid = _str(c, ch, "id", required=True)
    if cid is not None and not ID_RE.match(cid):
        c.add(f"[challenge] id {cid!r} must be lowercase letters, digits, '.', '_' or '-'")
    title = _str(c, ch, "title", required=True)
    task = _str(c, ch, "task", required=True)
    if task is not None and task not in TASKS:
        c.add(f"[challenge] task {task!r} is not one of: {', '.join(TASKS)}")
    metric_name = _str(c, ch, "metric", required=True)
    id_column = _str(c, ch, "id_column", required=True)
    targets = _str_list(c, "[challenge] target_columns", ch.get("target_columns"))
    if targets is None or not targets:
        c.add("[challenge] target_columns is required: the prediction columns after the id")
    solution_cols = _str_list(c, "[challenge] solution_columns", ch.get("solution_columns"))
    labels = _str_list(c, "[challenge] labels", ch.get("labels"))
    skills = _str_list(c, "[challenge] skills", ch.get("skills"), MAX_SHORT_LIST) or ()
    difficulty = ch.get("difficulty", DEFAULT_DIFFICULTY)
    if isinstance(difficulty, bool) or not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        c.add(f"[challenge] difficulty must be a whole number from 1 to 5, got {difficulty!r}")
        difficulty = DEFAULT_DIFFICULTY
    group_column = ch.get("group_column")
    if group_column is not None and not isinstance(group_column, str):
        c.add(f"[challenge] group_column must be a string, got {group_column!r}")
        group_column = None
    elif group_column is not None and _too_long(c, "[challenge] group_column", group_column):
        group_column = None
    version = str(ch.get("version", "1"))
    _too_long(c, "[challenge] version", version)

    metric_table = doc.get("metric", {})
    params = metric_table.get("params", {}) if isinstance(metric_table, dict) else None
    if not isinstance(params, dict):
        c.add("[metric] params must be a table")
        params = {}

    th = doc.get("thresholds", {})
    th = th if isinstance(th, dict) else {}
    thresholds = Thresholds(
        baseline=_number(c, "[thresholds] baseline", th.get("baseline")),
        reference=_number(c, "[thresholds] reference", th.get("reference")),
        gold=_number(c, "[thresholds] gold", th.get("gold")),
    )
    gold_margin = _number(c, "[thresholds] gold_margin", th.get("gold_margin"))
    score_se = _number(c, "[thresholds] se", th.get("se"))
    pub = th.get("public", {})
    if not isinstance(pub, dict):
        c.add("[thresholds.public] must be a table")
        pub = {}
    public_thresholds = Thresholds(
        baseline=_number(c, "[thresholds.public] baseline", pub.get("baseline")),
        reference=_number(c, "[thresholds.public] reference", pub.get("reference")),
        gold=_number(c, "[thresholds.public] gold", pub.get("gold")),
    )
    lim = doc.get("limits", {})
    lim = lim if isinstance(lim, dict) else {}
    limits = Limits(
        per_day=_positive_int(c, "[limits] per_day", lim.get("per_day"), DEFAULT_PER_DAY),
        final_picks=_positive_int(
            c, "[limits] final_picks", lim.get("final_picks"), DEFAULT_FINAL_PICKS
        ),
    )
    sib = doc.get("siblings", {})
    sib = sib if isinstance(sib, dict) else {}
    elsewhere = (
        _str_list(c, "[siblings] apply_elsewhere", sib.get("apply_elsewhere"), MAX_SHORT_LIST) or ()
    )
    deadline = _deadline(c, ch.get("deadline"))
    field = _field(c, doc.get("field"))

    if c.problems or None in (cid, title, task, metric_name, id_column) or not targets:
        return None, c.problems
    assert cid and title and task and metric_name and id_column and targets
    challenge = Challenge(
        id=cid,
        title=title,
        task=task,
        metric=metric_name,
        id_column=id_column,
        target_columns=targets,
        solution_columns=solution_cols or targets,
        version=version,
        metric_params=dict(params),
        group_column=group_column,
        difficulty=difficulty,
        skills=skills,
        thresholds=thresholds,
        limits=limits,
        apply_elsewhere=elsewhere,
        deadline=deadline,
        labels=labels,
        gold_margin=gold_margin,
        field=field,
        public_thresholds=public_thresholds,
        score_se=score_se,
    )
    return challenge, []


def dump(ch: Challenge) -> dict[str, Any]:
    """The inverse of `parse`: a dict that tomli_w writes as challenge.toml."""
    table: dict[str, Any] = {
        "id": ch.id,
        "title": ch.title,
        "version": ch.version,
        "task": ch.task,
        "metric": ch.metric,
        "id_column": ch.id_column,
        "target_columns": list(ch.target_columns),
        "difficulty": ch.difficulty,
        "skills": list(ch.skills),
    }
    if ch.solution_columns != ch.target_columns:
        table["solution_columns"] = list(ch.solution_columns)
    if ch.labels is not None:
        table["labels"] = list(ch.labels)
    if ch.group_column:
        table["group_column"] = ch.group_column
    if ch.deadline is not None:
        table["deadline"] = ch.deadline
    doc: dict[str, Any] = {"format_version": FORMAT_VERSION, "challenge": table}
    if ch.metric_params:
        doc["metric"] = {"params": dict(ch.metric_params)}
    th: dict[str, Any] = {
        k: v
        for k, v in (
            ("baseline", ch.thresholds.baseline),
            ("reference", ch.thresholds.reference),
            ("gold", ch.thresholds.gold),
            ("gold_margin", ch.gold_margin),
            ("se", ch.score_se),
        )
        if v is not None
    }
    pub = ch.public_thresholds
    public = {
        k: v
        for k, v in (("baseline", pub.baseline), ("reference", pub.reference), ("gold", pub.gold))
        if v is not None
    }
    if public:
        th["public"] = public
    if th:
        doc["thresholds"] = th
    doc["limits"] = {"per_day": ch.limits.per_day, "final_picks": ch.limits.final_picks}
    if ch.apply_elsewhere:
        doc["siblings"] = {"apply_elsewhere": list(ch.apply_elsewhere)}
    if ch.field:
        doc["field"] = [
            {"name": f.name, "public": f.public, "private": f.private} for f in ch.field
        ]
    return doc
