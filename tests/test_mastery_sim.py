"""Simulated learners with known skills: the model must recover them and aim well."""

from __future__ import annotations

import math
import random

from scipy.stats import spearmanr

from trackrecord.mastery import Attempt, ItemInfo, MasteryModel, ProjectInfo, recommend
from trackrecord.mastery.state import sigmoid

SKILLS = ("tabular", "text", "vision", "time-series")
N_LEARNERS = 40
DAY = 86_400.0


def _world(seed: int) -> tuple[list[ProjectInfo], dict[str, dict[str, float]]]:
    rng = random.Random(seed)
    projects = []
    for n in range(40):
        level = 1 + n % 5
        skills = tuple(rng.sample(SKILLS, 1 + (n % 3 == 0)))
        projects.append(ProjectInfo(f"p{n}", f"Project {n}", skills, level))
    truth = {f"l{k}": {s: rng.gauss(0.0, 1.2) for s in SKILLS} for k in range(N_LEARNERS)}
    return projects, truth


def _true_p(ability: dict[str, float], project: ProjectInfo) -> float:
    theta = sum(ability[s] for s in project.skills) / len(project.skills)
    return sigmoid(theta - 0.8 * (project.level - 3))


def _simulate(seed: int) -> tuple[MasteryModel, list[ProjectInfo], dict[str, dict[str, float]]]:
    projects, truth = _world(seed)
    rng = random.Random(seed + 1)
    model = MasteryModel({p.id: ItemInfo(p.id, p.skills, p.level) for p in projects})
    for learner, ability in truth.items():
        for t, project in enumerate(rng.sample(projects, len(projects))):
            y = float(rng.random() < _true_p(ability, project))
            model.update(Attempt(learner, project.id, t * DAY, y))
    return model, projects, truth


def test_model_recovers_the_order_of_learners_in_each_skill() -> None:
    # About 13 binary attempts per learner and skill: rank correlations of 0.6-0.85.
    model, _, truth = _simulate(0)
    rhos = []
    for skill in SKILLS:
        est = [model.skill_estimate(learner, skill).mean for learner in truth]
        rhos.append(spearmanr(est, [truth[learner][skill] for learner in truth]).statistic)
    assert min(rhos) > 0.5, rhos
    assert sum(rhos) / len(rhos) > 0.7, rhos


def test_model_recovers_the_order_of_each_learners_skills() -> None:
    model, _, truth = _simulate(1)
    rhos = []
    for learner, ability in truth.items():
        est = [model.skill_estimate(learner, s).mean for s in SKILLS]
        rhos.append(spearmanr(est, [ability[s] for s in SKILLS]).statistic)
    assert sum(rhos) / len(rhos) > 0.6


def test_intervals_cover_the_truth_most_of_the_time() -> None:
    model, _, truth = _simulate(2)
    base = 0.0  # unfitted model: no base rate, skill difficulty 0
    hits = total = 0
    for learner, ability in truth.items():
        for est in model.skills(learner):
            true_mean = sigmoid(base + ability[est.skill])
            hits += est.low <= true_mean <= est.high
            total += 1
    assert hits / total > 0.6


def test_recommendations_sit_near_the_right_difficulty() -> None:
    model, projects, truth = _simulate(3)
    gaps, baseline_gaps = [], []
    for learner, ability in truth.items():
        picks = recommend(model, learner, projects, done={}, k=3)
        assert picks
        for rec in picks:
            project = next(p for p in projects if p.id == rec.project_id)
            if "right_difficulty" in rec.kinds:
                gaps.append(abs(_true_p(ability, project) - 0.6))
        baseline_gaps += [abs(_true_p(ability, p) - 0.6) for p in projects]
    assert gaps
    mean_gap = sum(gaps) / len(gaps)
    assert mean_gap < 0.15
    assert mean_gap < 0.6 * sum(baseline_gaps) / len(baseline_gaps)
    assert not math.isnan(mean_gap)
