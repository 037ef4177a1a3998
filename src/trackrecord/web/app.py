"""The web app factory: one FastAPI application, personal or hosted.

Personal mode (the default) serves the local learner on 127.0.0.1 with no login, over the
same data directory as the CLI. Hosted mode adds accounts, roles, API tokens and host pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from trackrecord import __version__
from trackrecord.service import CatalogSource, Scorer, Service
from trackrecord.settings import Settings, load_settings
from trackrecord.web import errors
from trackrecord.web.deps import WebState, csrf_protect, form_limits, make_limiters
from trackrecord.web.middleware import (
    BodyLimitMiddleware,
    LocalOnlyMiddleware,
    SecurityHeadersMiddleware,
    SessionMiddleware,
)
from trackrecord.web.render import make_templates
from trackrecord.web.security import Sessions, rate_namespace, secret_key

if TYPE_CHECKING:
    from trackrecord.jobs.executor import Executor

STATIC = Path(__file__).with_name("static")
# Multipart framing and the small form fields ride on top of the file itself.
FORM_OVERHEAD = 1024 * 1024


def create_app(
    settings: Settings,
    *,
    service: Service | None = None,
    catalog: CatalogSource | None = None,
    scorer: Scorer | None = None,
    rates: dict[str, str] | None = None,
    jobs: Executor | None = None,
) -> FastAPI:
    """Build the app. `service`, `catalog` and `scorer` are injectable (tests, benchmarks);
    `rates` overrides the rate limits, e.g. {"login": "5/60"} (count per seconds). Rate
    limits live in memory, or in Redis when `settings.rate_limit_url` is set (shared by
    every process of this server: same Redis, same secret key).

    Code submissions go to `jobs` when given (its owner closes it); otherwise the app
    starts the executor of `settings.job_executor` when it starts serving (the local
    process pool with its reaper, or the Celery sender) and stops it on shutdown."""
    from trackrecord.web.views import (
        account,
        api_v1,
        classroom,
        credentials,
        host,
        leaderboard,
        profile,
        project,
        track_record,
        wellknown,
    )
    from trackrecord.web.views import (
        catalog as catalog_views,
    )

    svc = service or Service(settings, catalog=catalog, scorer=scorer)
    app = FastAPI(
        title="trackrecord",
        version=__version__,
        description="Learn machine learning by shipping real, graded projects.",
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=_executor_lifespan(settings, jobs),
    )
    app.state.jobs = jobs  # until the lifespan starts one (see _executor_lifespan)
    secret = secret_key(settings)
    app.state.web = WebState(
        settings=settings,
        service=svc,
        sessions=Sessions(secret),
        templates=make_templates(),
        limiters=make_limiters(
            rates, settings.rate_limit_url, rate_namespace(secret), settings=settings
        ),
    )
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_v1.router, prefix="/api/v1")
    protected = [Depends(csrf_protect), Depends(form_limits)]
    for module in (catalog_views, project, leaderboard, profile, host, classroom, account):
        app.include_router(module.router, dependencies=protected)
    # The track record: public keys, did:web and status lists; credentials, revocation.
    app.include_router(wellknown.router)
    app.include_router(credentials.api_router, prefix="/api/v1")
    for module in (credentials, track_record):
        app.include_router(module.router, dependencies=protected)
    credentials.install(app.state.web.templates, svc)
    # Teams: the API and the project page's forms (the panel's data: project_page_data).
    from trackrecord.web.views import api_teams, teams

    app.include_router(api_teams.router, prefix="/api/v1")
    app.include_router(teams.router, dependencies=protected)
    # Code submissions: the API, the project page's code panel (data: project_page_data).
    from trackrecord.web.views import api_jobs
    from trackrecord.web.views import jobs as jobs_views

    app.include_router(api_jobs.router, prefix="/api/v1")
    app.include_router(jobs_views.router, dependencies=protected)
    jobs_views.install(app.state.web.templates, svc)  # the host's switch, _host_code.html
    if settings.hosted:
        from trackrecord.ledger.hosted import ensure_issuer

        ensure_issuer(svc)  # the issuer id becomes the server's did:web
    app.add_middleware(SessionMiddleware, sessions=app.state.web.sessions)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload_bytes + FORM_OVERHEAD)
    if not settings.hosted:
        app.add_middleware(LocalOnlyMiddleware, allowed_hosts={settings.host})
    if settings.trusted_proxies:
        # Only these peers may say who the client is (X-Forwarded-For) and whether it used
        # https (X-Forwarded-Proto); anyone else's headers are ignored.
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _executor_lifespan(
    settings: Settings, given: Executor | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start and stop the executor with the server (each worker process has its own: the
    database decides which process runs a job, so several never run the same one)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if given is not None:
            yield
            return
        started = await run_in_threadpool(_start_executor, settings)
        app.state.jobs = started
        try:
            yield
        finally:
            app.state.jobs = None
            await run_in_threadpool(_stop_executor, started)

    return lifespan


def _start_executor(settings: Settings) -> Executor:
    from trackrecord.jobs.executor import executor_for
    from trackrecord.jobs.local import start_local

    return start_local(settings) if settings.job_executor == "local" else executor_for(settings)


def _stop_executor(executor: Executor) -> None:
    """Stop at once: jobs still queued stay queued, a running one is stopped and its lease
    expires, so the next start (or another server process) runs it again."""
    from trackrecord.jobs.local import LocalExecutor, stop

    if isinstance(executor, LocalExecutor):
        stop(executor)
    else:
        executor.close()


def app_from_environment() -> FastAPI:
    """The app for the settings in the environment: what each worker process of
    `trackrecord serve --workers N` runs (uvicorn imports it by name)."""
    return create_app(load_settings())
