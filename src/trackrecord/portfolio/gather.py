"""What the local install adds to a site beyond the ledger: each project's score history and
medal lines, the skills with their intervals, and the progress over the ladder's levels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from trackrecord.errors import NotFound
from trackrecord.metrics import get_metric
from trackrecord.portfolio.charts import Point, SkillBar
from trackrecord.portfolio.posts import PostSet, read_posts
from trackrecord.portfolio.records import read_records
from trackrecord.portfolio.site import LevelProgress, ProjectExtra, SiteInput
from trackrecord.service import ProjectReport, Service


def project_extra(svc: Service, user_id: int, project_id: str) -> ProjectExtra | None:
    """The project's public scores and medal lines (`extra_from_report`); None for a project
    this install does not know (a host's project, say)."""
    try:
        report = svc.project_report(user_id, project_id)
    except NotFound:
        return None
    return extra_from_report(report)


def extra_from_report(report: ProjectReport) -> ProjectExtra:
    """The project's public scores (judged and practice) and public medal lines."""
    info = report.project
    points = tuple(
        Point(s.number, float(s.public_score), s.practice)
        for s in report.submissions
        if s.status == "scored" and s.public_score is not None
    )
    th = info.public_thresholds
    return ProjectExtra(
        project_id=info.id,
        title=info.title,
        metric=info.metric,
        greater_is_better=get_metric(info.metric).greater_is_better,
        points=points,
        lines={"baseline": th.baseline, "reference": th.reference, "gold": th.gold},
    )


def skill_bars(svc: Service, user_id: int) -> list[SkillBar]:
    return [SkillBar(e.skill, e.mean, e.low, e.high, e.n_attempts) for e in svc.skills(user_id)]


def ladder(svc: Service, user_id: int) -> list[LevelProgress]:
    """Per level: the projects that exist, how many the learner finalized, medals won."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in svc.list_catalog(user_id):
        row = counts[entry.project.level]
        row[0] += 1
        row[1] += entry.progress.state == "finalized"
        row[2] += entry.progress.medal is not None
    return [LevelProgress(level, *counts[level]) for level in sorted(counts)]


def site_input(
    svc: Service,
    user_id: int,
    export: Mapping[str, Any],
    posts_dir: Path,
    *,
    base_url: str | None = None,
) -> SiteInput:
    """Everything `build_site` needs: the export, the posts under `posts_dir` and what this
    install knows about the learner."""
    posts: PostSet = read_posts(posts_dir)
    # Only projects this learner worked on here have a history: asking the catalog about
    # every other id (a host's projects) would load recipes for nothing.
    started = {p.id for p in svc.status(user_id).projects}
    ids: Iterable[str] = {r.project_id for r in read_records(export)} & started
    extras = {pid: x for pid in ids if (x := project_extra(svc, user_id, pid)) is not None}
    return SiteInput(
        export=export,
        posts=posts.posts,
        post_problems=posts.problems,
        posts_root=posts_dir,
        projects=extras,
        skills=skill_bars(svc, user_id),
        ladder=ladder(svc, user_id),
        base_url=base_url,
        generated=svc.now(),
    )
