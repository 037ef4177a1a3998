"""The ladder: every project as a node (level, family, the learner's status and medal) and
every prerequisite as an edge, for the catalog's picture and the CLI's grouped list.

An edge runs from what must be done first to the project it opens. A prerequisite on one
project is a `requires` edge; one of several projects (`any`) gives an `any` edge from each;
a skill condition ("a level-2 project teaching trees") gives a `skill` edge from each project
that would meet it, so the picture shows where the skill can be earned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from trackrecord.catalog.families import family, family_order
from trackrecord.catalog.path import LearningPath
from trackrecord.service.path import PathEntry, learning_path, path_catalog

if TYPE_CHECKING:
    from trackrecord.service.core import Service

EdgeKind = Literal["requires", "any", "skill"]


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    level: int
    family: str
    status: str  # done | recommended | not_yet
    reason: str  # why not yet, or after what it is recommended
    medal: str | None
    started: bool


@dataclass(frozen=True)
class Edge:
    source: str  # do this first
    target: str  # to be recommended this
    kind: EdgeKind


@dataclass(frozen=True)
class Ladder:
    nodes: tuple[Node, ...]  # by level, then family order, then id
    edges: tuple[Edge, ...]
    families: tuple[str, ...]  # the families present, in the ladder's order

    def by_level(self) -> dict[int, list[Node]]:
        out: dict[int, list[Node]] = {}
        for node in self.nodes:
            out.setdefault(node.level, []).append(node)
        return out

    def recommended(self) -> list[Node]:
        return [n for n in self.nodes if n.status == "recommended"]


def _reason(entry: PathEntry) -> str:
    mark = entry.path
    if mark.status == "not_yet":
        return mark.reason
    if mark.status == "recommended":
        return f"after {', '.join(mark.after)}" if mark.after else "no prerequisites"
    return "finalized"


def edges_of(path: LearningPath, entries: Sequence[PathEntry]) -> list[Edge]:
    """The prerequisite edges among the listed projects (others are left out)."""
    present = {e.project.id: e.project for e in entries}
    edges: dict[tuple[str, str], EdgeKind] = {}
    for target in present:
        for cond in path.of(target):
            kind: EdgeKind = "requires" if len(cond.projects) == 1 and not cond.skill else "any"
            sources = [p for p in cond.projects if p in present]
            if cond.skill:
                sources += [
                    p.id
                    for p in present.values()
                    if cond.skill in p.skills and cond.level in (None, p.level) and p.id != target
                ]
                kind = "skill" if not cond.projects else "any"
            for source in sources:
                edges.setdefault((source, target), kind)
    return [Edge(s, t, k) for (s, t), k in sorted(edges.items())]


def build_ladder(path: LearningPath, entries: Sequence[PathEntry]) -> Ladder:
    """The ladder of these catalog entries under this learning path."""
    families = family_order([family(e.project) for e in entries])
    rank = {f: i for i, f in enumerate(families)}
    nodes = sorted(
        (
            Node(
                id=e.project.id,
                title=e.project.title,
                level=e.project.level,
                family=family(e.project),
                status=e.path.status,
                reason=_reason(e),
                medal=e.progress.medal if e.progress.state == "finalized" else None,
                started=e.progress.state == "started",
            )
            for e in entries
        ),
        key=lambda n: (n.level, rank[n.family], n.id),
    )
    return Ladder(tuple(nodes), tuple(edges_of(path, entries)), tuple(families))


def ladder(svc: Service, user_id: int, entries: Sequence[PathEntry] | None = None) -> Ladder:
    """The learner's ladder over the whole catalog the learner can see (`entries`: that
    catalog already read with `path_catalog`)."""
    if entries is None:
        entries = path_catalog(svc, user_id)
    return build_ladder(learning_path(svc), entries)
