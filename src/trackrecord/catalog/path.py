"""The learning path: each project's prerequisites and a learner's status on it.

A prerequisite is a medal on another project, or on any project of a given level or above
that teaches a given skill. Nothing is locked: the path only decides which projects are
*recommended* (prerequisites met), which are *not yet* recommended (and why), and which are
*done* (finalized). Each project folder states its own prerequisites (`requires` in its
project.toml, meant to be read and edited by a teacher); another catalog may keep them all
in one path file (`parse_path`). `python -m trackrecord.catalog.path` checks them (unknown
ids, cycles, projects no learner can reach).
"""

from __future__ import annotations

import difflib
import re
import sys
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

from trackrecord.catalog.skills import SKILLS
from trackrecord.errors import ConfigError, Problem

FOLDER_SOURCE = "project.toml `requires`"
FORMAT_VERSION = 1
MEDALS = ("bronze", "silver", "gold")
Status = Literal["done", "recommended", "not_yet"]


class ProjectLike(Protocol):
    """What the path needs to know about a project (ProjectMeta and ProjectInfo fit)."""

    @property
    def id(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def skills(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Condition:
    """A medal (`medal` or better) on one of `projects`, or on any project of level `level`
    teaching `skill` (any level when `level` is None)."""

    projects: tuple[str, ...] = ()
    skill: str | None = None
    level: int | None = None
    medal: str = "bronze"

    def describe(self) -> str:
        """E.g. "a medal on titanic or telco-churn", "silver or better on a level-2 project
        teaching categorical-encoding"."""
        what = "a medal" if self.medal == "bronze" else f"{self.medal} or better"
        if self.medal == "gold":
            what = "gold"
        options = []
        if self.projects:
            names = list(self.projects)
            options.append(
                names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
            )
        if self.skill:
            at = f"level-{self.level} " if self.level is not None else ""
            options.append(f"a {at}project teaching {self.skill}")
        return f"{what} on {', or on '.join(options)}"

    def met_by(self, project: ProjectLike, medal: str | None) -> bool:
        """Whether a finalized `project` with this `medal` meets the condition."""
        if medal not in MEDALS or MEDALS.index(medal) < MEDALS.index(self.medal):
            return False
        if project.id in self.projects:
            return True
        at_level = self.level is None or project.level == self.level
        return self.skill is not None and self.skill in project.skills and at_level


@dataclass(frozen=True)
class LearningPath:
    """Every project's prerequisites: all conditions of a project must be met."""

    requires: Mapping[str, tuple[Condition, ...]]
    source: str = "a path file"

    def of(self, project_id: str) -> tuple[Condition, ...]:
        return self.requires.get(project_id, ())


@dataclass(frozen=True)
class PathMark:
    """A learner's status on one project, with a reason a person can read.

    `missing` lists the unmet prerequisites (not_yet); `after` the projects whose medals met
    them (recommended)."""

    status: Status
    reason: str
    missing: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


# Reading a path file (one table per project) ---------------------------------------------


def _line_of(text: str, entry: str) -> int | None:
    pattern = re.compile(rf'^\s*\[\s*"?{re.escape(entry)}"?\s*\]')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _suggest(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _condition(raw: Any, known: Collection[str], say: Callable[[str], None]) -> Condition | None:
    if isinstance(raw, str):
        raw = {"any": [raw]}
    if not isinstance(raw, dict):
        say(f"a condition must be a project id or a table, not {raw!r}")
        return None
    for key in raw.keys() - {"any", "skill", "level", "medal"}:
        say(f"unknown key {key!r} in a condition (expected any, skill, level, medal)")
    projects = raw.get("any", [])
    if not isinstance(projects, list) or not all(isinstance(p, str) for p in projects):
        say(f"`any` must be a list of project ids, not {projects!r}")
        projects = []
    for p in projects:
        if p not in known:
            say(f"no project {p!r}{_suggest(p, known)}")
    skill, level, medal = raw.get("skill"), raw.get("level"), raw.get("medal", "bronze")
    if skill is not None and skill not in SKILLS:
        say(f"no skill {skill!r}{_suggest(str(skill), SKILLS)}")
    if level is not None and (not isinstance(level, int) or not 1 <= level <= 5):
        say(f"level must be 1 to 5, not {level!r}")
    if level is not None and skill is None:
        say("`level` goes with `skill` (a project of that level teaching the skill)")
    if medal not in MEDALS:
        say(f"medal must be bronze, silver or gold, not {medal!r}")
    if not projects and skill is None:
        say("a condition needs `any` (project ids) or `skill`")
    return Condition(tuple(projects), skill, level, medal)


def parse_path(text: str, source: str, known: Collection[str]) -> LearningPath:
    """Parse a path file's text (`version = 1`, then one `[id]` table with `requires` per
    project); every problem (unknown project or skill, bad key) is reported at once in one
    ConfigError naming `source` and the entry."""
    problems: list[Problem] = []
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from None
    if doc.pop("version", None) != FORMAT_VERSION:
        problems.append(Problem(f"expected `version = {FORMAT_VERSION}` at the top", file=source))
    requires: dict[str, tuple[Condition, ...]] = {}
    for entry, table in doc.items():
        line = _line_of(text, entry)

        def say(message: str, entry: str = entry, line: int | None = line) -> None:
            problems.append(Problem(f"[{entry}] {message}", file=source, line=line))

        if entry not in known:
            say(f"no project {entry!r}{_suggest(entry, known)}")
        if not isinstance(table, dict) or not isinstance(table.get("requires"), list):
            say("expected a table with `requires = [...]`")
            continue
        for key in table.keys() - {"requires"}:
            say(f"unknown key {key!r} (expected requires)")
        conditions = [_condition(raw, known, say) for raw in table["requires"]]
        requires[entry] = tuple(c for c in conditions if c is not None)
    if problems:
        raise ConfigError(f"{source} is not a valid learning path", problems=problems)
    return LearningPath(requires, source)


def load_path(file: Path, known: Collection[str] | None = None) -> LearningPath:
    """Read and validate a path file; `known` project ids default to the catalog's."""
    if known is None:
        from trackrecord.catalog.registry import all_recipes

        known = {r.id for r in all_recipes()}
    return parse_path(file.read_text(encoding="utf-8"), str(file), known)


def folder_path(known: Collection[str] | None = None) -> LearningPath:
    """The prerequisites of every registered project folder (built-in and a host's); every
    problem (an unknown project or skill, a bad key) is reported at once, naming the
    project.toml and its line."""
    from trackrecord.catalog.registry import all_recipes, project_folders

    if known is None:
        known = {r.id for r in all_recipes()}
    folders = project_folders()
    key = tuple((f.recipe.id, str(f.path)) for f in folders)
    return _folder_path(key, frozenset(known))


@cache
def _folder_path(key: tuple[tuple[str, str], ...], known: frozenset[str]) -> LearningPath:
    from trackrecord.catalog.registry import project_folder

    problems: list[Problem] = []
    requires: dict[str, tuple[Condition, ...]] = {}
    for rid, _ in key:
        folder = project_folder(rid)
        if folder is None or not folder.requires:
            continue
        file, line = str(folder.path / "project.toml"), folder.requires_line

        def say(message: str, file: str = file, line: int | None = line) -> None:
            problems.append(Problem(f"requires: {message}", file=file, line=line))

        conditions = [_condition(raw, known, say) for raw in folder.requires]
        requires[rid] = tuple(c for c in conditions if c is not None)
    if problems:
        raise ConfigError("the catalog's prerequisites are not valid", problems=problems)
    return LearningPath(requires, FOLDER_SOURCE)


def builtin_path() -> LearningPath:
    """The catalog's path: every project folder's `requires` (see folder_path)."""
    return folder_path()


# A learner's status ----------------------------------------------------------------------


def _met(
    condition: Condition,
    project: ProjectLike,
    projects: Sequence[ProjectLike],
    finalized: Mapping[str, str | None],
) -> str | None:
    """The id of a finalized project that meets `condition` for `project`, if any."""
    for q in projects:
        if q.id != project.id and q.id in finalized and condition.met_by(q, finalized[q.id]):
            return q.id
    return None


def mark(
    path: LearningPath,
    project: ProjectLike,
    projects: Sequence[ProjectLike],
    finalized: Mapping[str, str | None],
) -> PathMark:
    """One project's status; `finalized` maps each finalized project to its medal (or None)."""
    if project.id in finalized:
        medal = finalized[project.id]
        return PathMark("done", f"finalized with {medal}" if medal else "finalized, no medal")
    conditions = path.of(project.id)
    if not conditions:
        return PathMark("recommended", "a place to start" if project.level <= 1 else "")
    met = [_met(c, project, projects, finalized) for c in conditions]
    missing = tuple(c.describe() for c, by in zip(conditions, met, strict=True) if by is None)
    if missing:
        return PathMark("not_yet", "needs " + "; and ".join(missing), missing)
    after = tuple(dict.fromkeys(by for by in met if by is not None))
    return PathMark("recommended", f"after {', '.join(after)}", after=after)


def marks(
    path: LearningPath, projects: Sequence[ProjectLike], finalized: Mapping[str, str | None]
) -> dict[str, PathMark]:
    """Every project's status for a learner (see `mark`)."""
    return {p.id: mark(path, p, projects, finalized) for p in projects}


# Checks a teacher runs after editing prerequisites -----------------------------------------


def find_cycle(path: LearningPath, projects: Sequence[ProjectLike]) -> list[str] | None:
    """A cycle of prerequisites (each project lists one that could meet its conditions),
    e.g. ["a", "b", "a"]; None when the graph is acyclic."""
    edges = {
        p.id: [
            q.id for q in projects for c in path.of(p.id) if q.id != p.id and c.met_by(q, "gold")
        ]
        for p in projects
    }
    state: dict[str, int] = {}  # 1 on the stack, 2 finished

    def visit(node: str, stack: list[str]) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt, stack)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for p in projects:
        if p.id not in state and (found := visit(p.id, [])):
            return found
    return None


def bronze_walk(path: LearningPath, projects: Sequence[ProjectLike]) -> list[str]:
    """The order in which a learner who only ever earns bronze finalizes every project,
    taking every recommended one in turn; projects never recommended are left out."""
    finalized: dict[str, str | None] = {}
    order: list[str] = []
    while True:
        now = marks(path, projects, finalized)
        fresh = [pid for pid, m in now.items() if m.status == "recommended"]
        if not fresh:
            return order
        for pid in fresh:
            finalized[pid] = "bronze"
        order += fresh


def check(path: LearningPath, projects: Sequence[ProjectLike]) -> list[str]:
    """What is wrong with the path over these projects (empty when nothing is)."""
    out = []
    ids = {p.id for p in projects}
    for p in projects:
        if p.level <= 1 and path.of(p.id):
            out.append(f"{p.id} is level 1 but has prerequisites")
        if p.level > 1 and p.id not in path.requires:
            out.append(f"{p.id} (level {p.level}) has no prerequisites in {path.source}")
    for pid in sorted(path.requires.keys() - ids):
        out.append(f"{pid} is in {path.source} but not in the catalog")
    if (cycle := find_cycle(path, projects)) is not None:
        out.append(f"prerequisites go round in a cycle: {' -> '.join(cycle)}")
    reached = set(bronze_walk(path, projects))
    for p in projects:
        if p.id not in reached:
            out.append(f"{p.id}: a learner who only earns bronze never gets it recommended")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m trackrecord.catalog.path [FILE]`: check the catalog's prerequisites (or
    a path file's) against the catalog."""
    from trackrecord.catalog import list_projects

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        path = load_path(Path(args[0])) if args else builtin_path()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    problems = check(path, list_projects())
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"{path.source}: {len(path.requires)} projects with prerequisites, no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
