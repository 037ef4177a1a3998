"""JSON-able persistence of a MasteryModel (format ``trackrecord.mastery``, version 1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any

from trackrecord.mastery.model import MasteryModel, MasteryParams
from trackrecord.mastery.state import LearnerState, Track
from trackrecord.mastery.types import ItemInfo

FORMAT = "trackrecord.mastery"
VERSION = 1


def model_to_dict(model: MasteryModel, learners: bool = True) -> dict[str, Any]:
    """Items, parameters and, if ``learners``, every learner's state."""
    params = asdict(model.params)
    params["decays"] = list(model.params.decays)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "items": [[i.item_id, list(i.skills), i.level] for i in model.items.values()],
    }
    if learners:
        out["learners"] = {name: _state_to_dict(s) for name, s in model.learners.items()}
    return out


def model_from_dict(data: Mapping[str, Any]) -> MasteryModel:
    """Parse a document written by :func:`model_to_dict`; ValueError says what is wrong."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a mastery model document (format {data.get('format')!r})")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported mastery model version {data.get('version')!r}")
    try:
        items = {str(i): ItemInfo(str(i), tuple(map(str, s)), lv) for i, s, lv in data["items"]}
        model = MasteryModel(items, _params(data["params"]))
        for name, state in data.get("learners", {}).items():
            model.learners[str(name)] = _state_from_dict(state)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"invalid mastery model document: {exc}") from exc
    return model


def _params(raw: Mapping[str, Any]) -> MasteryParams:
    known = {f.name for f in fields(MasteryParams)}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown parameters {sorted(unknown)}")
    values = dict(raw)
    if "decays" in values:
        values["decays"] = tuple(float(d) for d in values["decays"])
    for name in ("weights", "item_difficulty", "skill_difficulty"):
        if name in values:
            values[name] = {str(k): float(v) for k, v in values[name].items()}
    return MasteryParams(**values)


def _state_to_dict(state: LearnerState) -> dict[str, Any]:
    return {
        "overall": asdict(state.overall),
        "skills": {k: asdict(t) for k, t in state.skills.items()},
        "items": {k: list(v) for k, v in state.items.items()},
    }


def _state_from_dict(raw: Mapping[str, Any]) -> LearnerState:
    return LearnerState(
        overall=_track(raw["overall"]),
        skills={str(k): _track(t) for k, t in raw["skills"].items()},
        items={str(k): [float(v[0]), float(v[1])] for k, v in raw["items"].items()},
    )


def _track(raw: Mapping[str, Any]) -> Track:
    def opt(x: Any) -> float | None:
        return None if x is None else float(x)

    return Track(
        mean=float(raw["mean"]),
        var=float(raw["var"]),
        wins=float(raw["wins"]),
        fails=float(raw["fails"]),
        n=int(raw["n"]),
        last_seen=opt(raw["last_seen"]),
        last_outcome=opt(raw["last_outcome"]),
        streak=int(raw["streak"]),
        recent_num=[float(x) for x in raw["recent_num"]],
        recent_den=[float(x) for x in raw["recent_den"]],
    )
