"""A learner's place on the learning path: done, recommended, or not yet (and why).

The prerequisites come from the built-in path.toml for the built-in catalog, or from another
catalog source's `learning_path()` (tests, another catalog). Nothing here locks anything:
`start` only hears why a project is not recommended yet (`start_note`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trackrecord.catalog.path import LearningPath, PathMark, builtin_path, marks
from trackrecord.errors import ConfigError
from trackrecord.service.progress import matches
from trackrecord.service.projects import BuiltinCatalog
from trackrecord.service.types import CatalogEntry, ProjectInfo
from trackrecord.service.types import Progress as ProgressMark

if TYPE_CHECKING:
    from trackrecord.service.core import Service


@dataclass(frozen=True)
class PathEntry:
    """A catalog entry with the learner's status on the path."""

    project: ProjectInfo
    progress: ProgressMark
    path: PathMark


def learning_path(svc: Service) -> LearningPath:
    """The prerequisites in force for this service's catalog: the built-in path.toml for the
    built-in catalog, the source's own `learning_path()` if it has one, else none."""
    if isinstance(svc.catalog, BuiltinCatalog):
        return builtin_path()
    own = getattr(svc.catalog, "learning_path", None)
    path = own() if callable(own) else None
    return path if isinstance(path, LearningPath) else LearningPath({}, "no path")


def _marks(svc: Service, entries: Sequence[CatalogEntry]) -> dict[str, PathMark]:
    finalized = {e.project.id: e.progress.medal for e in entries if e.progress.state == "finalized"}
    return marks(learning_path(svc), [e.project for e in entries], finalized)


def path_catalog(
    svc: Service,
    user_id: int,
    *,
    task: str | None = None,
    skill: str | None = None,
    level: int | None = None,
) -> list[PathEntry]:
    """The catalog (filtered like `list_catalog`) with each project's path status; the
    statuses always look at every project, filtered out or not."""
    everything = svc.list_catalog(user_id)
    status = _marks(svc, everything)
    return [
        PathEntry(e.project, e.progress, status[e.project.id])
        for e in everything
        if matches(e.project, task, skill, level)
    ]


def recommended_ids(svc: Service, user_id: int) -> set[str]:
    """The projects whose prerequisites the learner has met and that are not done."""
    entries = svc.list_catalog(user_id)
    return {pid for pid, m in _marks(svc, entries).items() if m.status == "recommended"}


def start_note(svc: Service, user_id: int, project_id: str) -> str | None:
    """Why `project_id` is not recommended yet, as a sentence; None when it is (or when
    the id is unknown: `start` itself then says so)."""
    try:
        m = _marks(svc, svc.list_catalog(user_id)).get(project_id)
    except ConfigError:
        return None  # a broken path file shows in `catalog`; it never stops a start
    if m is None or m.status != "not_yet":
        return None
    return f"{project_id} is not recommended yet: it {m.reason}. Starting it anyway."
