"""Shared fixtures: a temporary home, tiny bundles, a fake catalog, and databases.

`db_url` is parametrized over SQLite and PostgreSQL. PostgreSQL runs when
TRACKRECORD_TEST_POSTGRES_URL is set (each test gets its own schema, so xdist workers never
collide); otherwise those cases skip, unless TRACKRECORD_REQUIRE_SERVICES=1 makes a missing
server a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine

from trackrecord.bundle import Bundle, Challenge, FieldEntry, Limits, Thresholds, write_bundle
from trackrecord.errors import NotFound
from trackrecord.service import Service
from trackrecord.settings import Settings

POSTGRES_ENV = "TRACKRECORD_TEST_POSTGRES_URL"
REQUIRE_ENV = "TRACKRECORD_REQUIRE_SERVICES"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory, also set as TRACKRECORD_HOME (SQLite by default)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("TRACKRECORD_HOME", str(path))
    monkeypatch.delenv("TRACKRECORD_DATABASE_URL", raising=False)
    return path


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set: PostgreSQL is required")
    pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://...)")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema of their own, dropped afterwards."""
    base = postgres_url_or_skip()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as exc:  # the server is down or refuses us
        if os.environ.get(REQUIRE_ENV) == "1":
            raise
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is not reachable: {exc}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def settings(home: Path, db_url: str) -> Settings:
    return Settings(home=home, database_url=db_url)


# Tiny bundles ------------------------------------------------------------------------

SECRET_BASE = 9000.123  # answer-key values are 9000.123 + i: easy to search for


@dataclass
class Spec:
    id: str = "toy-reg"
    metric: str = "rmse"
    thresholds: Thresholds = field(default_factory=lambda: Thresholds(3.0, 2.0, 1.0))
    public_thresholds: Thresholds = field(default_factory=lambda: Thresholds(3.2, 2.2, 1.2))
    per_day: int = 5
    final_picks: int = 2
    siblings: tuple[str, ...] = ("toy-cls",)
    field: tuple[FieldEntry, ...] = (
        FieldEntry("mean", 4.0, 4.1),
        FieldEntry("linear", 2.5, 2.6),
        FieldEntry("boosting", 1.5, 1.4),
    )


def write_toy_bundle(dest: Path, spec: Spec, rows: int = 20) -> Bundle:
    """A regression (or accuracy-on-labels) bundle with `rows` test rows, half public."""
    classify = spec.metric == "accuracy"
    ids = np.arange(1000, 1000 + rows)
    truth: list[object] = (
        [("yes" if i % 2 else "no") for i in range(rows)]
        if classify
        else [round(SECRET_BASE + i, 3) for i in range(rows)]
    )
    solution = pd.DataFrame(
        {
            "id": ids,
            "y": truth,
            "Usage": ["Public" if i % 2 == 0 else "Private" for i in range(rows)],
        }
    )
    challenge = Challenge(
        id=spec.id,
        title=f"Toy {spec.id}",
        task="binary-classification" if classify else "regression",
        metric=spec.metric,
        id_column="id",
        target_columns=("y",),
        solution_columns=("y",),
        difficulty=1,
        skills=("baselines",),
        thresholds=spec.thresholds,
        public_thresholds=spec.public_thresholds,
        limits=Limits(per_day=spec.per_day, final_picks=spec.final_picks),
        apply_elsewhere=spec.siblings,
        labels=("no", "yes") if classify else None,
        field=spec.field,
    )
    train_y = truth if classify else [round(100 + 0.5 * i, 3) for i in range(rows)]
    train = pd.DataFrame({"id": np.arange(rows), "x": np.arange(rows) * 1.5, "y": train_y})
    test = pd.DataFrame({"id": ids, "x": np.arange(rows) * 2.5})
    sample = pd.DataFrame({"id": ids, "y": ["no"] * rows if classify else [0.0] * rows})
    return write_bundle(
        dest / spec.id,
        challenge,
        description=f"# Toy {spec.id}\n\nPredict y from x.\n",
        train=train,
        test=test,
        solution=solution,
        sample_submission=sample,
    )


@dataclass(frozen=True)
class Meta:
    id: str
    title: str
    task: str
    metric: str
    level: int
    skills: tuple[str, ...]
    apply_elsewhere: tuple[str, ...]
    summary: str
    thresholds: Thresholds
    gold_margin: float | None = None
    public_thresholds: Thresholds = field(default_factory=Thresholds)
    score_se: float | None = None


class FakeCatalog:
    """A CatalogSource over bundles already written (no building)."""

    def __init__(self, bundles: Sequence[Bundle]) -> None:
        self.bundles = {b.challenge.id: b for b in bundles}
        self.built: list[str] = []

    def list_projects(self) -> list[Meta]:
        return [self._meta(b) for b in self.bundles.values()]

    def _meta(self, b: Bundle) -> Meta:
        c = b.challenge
        summary = "Predict y from x."
        return Meta(
            c.id, c.title, c.task, c.metric, c.difficulty, c.skills, c.apply_elsewhere, summary,
            c.thresholds, c.gold_margin, c.public_thresholds, c.score_se,
        )  # fmt: skip

    def get_project(self, project_id: str) -> Meta:
        if project_id not in self.bundles:
            raise NotFound(f"no project {project_id!r}")
        return self._meta(self.bundles[project_id])

    def bundle_path(self, project_id: str) -> Path:
        return self.get_project(project_id) and self.bundles[project_id].root

    def build(
        self,
        ids: Sequence[str] | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Mapping[str, Path]:
        chosen = list(ids or self.bundles)
        for i, pid in enumerate(chosen, 1):
            self.built.append(pid)
            if progress:
                progress(pid, i, len(chosen))
        return {pid: self.bundles[pid].root for pid in chosen}

    def hosted_copy(
        self,
        project_id: str,
        dest: Path,
        *,
        secret: str,
        slug: str,
        progress: Callable[[str], None] | None = None,
    ) -> Path:
        # Toy bundles have no recipe to re-split: the copy keeps their split, so the web
        # tests' files score on it. The real re-keying is tested in test_hosted_copy.py.
        source = self.bundles[self.get_project(project_id).id]
        shutil.copytree(source.root, dest)
        toml = dest / "challenge.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(text.replace(f'id = "{project_id}"', f'id = "{slug}"', 1), "utf-8")
        return dest


@pytest.fixture
def bundles(tmp_path: Path) -> dict[str, Bundle]:
    """Two toy projects: `toy-reg` (rmse, lower is better), `toy-cls` (accuracy)."""
    dest = tmp_path / "bundles"
    reg = write_toy_bundle(dest, Spec())
    cls = write_toy_bundle(
        dest,
        Spec(
            id="toy-cls",
            metric="accuracy",
            thresholds=Thresholds(0.5, 0.7, 0.9),
            public_thresholds=Thresholds(0.45, 0.65, 0.85),
            siblings=("toy-reg",),
            field=(FieldEntry("majority", 0.5, 0.5), FieldEntry("tree", 0.8, 0.8)),
        ),
    )
    return {"toy-reg": reg, "toy-cls": cls}


@pytest.fixture
def catalog(bundles: dict[str, Bundle]) -> FakeCatalog:
    return FakeCatalog(list(bundles.values()))


@pytest.fixture
def cli_catalog(monkeypatch: pytest.MonkeyPatch, home: Path, catalog: FakeCatalog) -> FakeCatalog:
    """The learner CLI commands, in `home`, over the toy catalog instead of the built-in one."""
    from trackrecord.cli import learner

    def open_service(settings: Settings) -> Service:
        return Service(settings, catalog=catalog)

    monkeypatch.setattr(learner, "open_service", open_service)
    return catalog


@pytest.fixture
def service(settings: Settings, catalog: FakeCatalog) -> Iterator[Service]:
    svc = Service(settings, catalog=catalog)
    yield svc
    svc.close()


def regression_file(
    path: Path, bundle: Bundle, offset: float = 0.0, rows: int | None = None
) -> Path:
    """A valid rmse submission whose error is `offset` on every row."""
    test = pd.read_csv(bundle.public_dir / "test.csv")
    n = len(test) if rows is None else rows
    truth = [SECRET_BASE + i for i in range(len(test))]
    frame = pd.DataFrame({"id": test["id"][:n], "y": [t + offset for t in truth[:n]]})
    frame.to_csv(path, index=False)
    return path
