"""Take screenshots of the main pages into docs/screenshots/ (Chromium via Playwright).

    python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

    python scripts/screenshots.py --only project project-estimate finalize project-phone

Builds a throwaway hosted server in a temporary data directory: the built-in `titanic`
project, a class copy of it with a deadline, a few learners with submissions (demo answers
made from the bundle's answer key, with controlled accuracy), an invalid file, two
finalized projects and a practice submission after finalizing.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from trackrecord import hosting
from trackrecord.errors import TrackrecordError
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.models import utcnow
from trackrecord.web import create_app
from trackrecord.web.accounts import create_user

PROJECT = "titanic"
CLASS = "titanic-class"
PASSWORD = "demo-password"
LEARNERS = {
    "ada": (0.74, 0.80, 0.84),
    "grace": (0.70, 0.83),
    "linus": (0.62, 0.77, 0.79, 0.81),
    "margaret": (0.86,),
    "alan": (0.66, 0.66),
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def demo_submission(svc: Service, project: str, accuracy: float, seed: int, dest: Path) -> Path:
    """Labels that match the answer key on about `accuracy` of the rows (demo data only)."""
    bundle = svc.bundle(project)
    ch = bundle.challenge
    truth = pd.read_csv(bundle.solution_path)
    labels = list(ch.labels or sorted(truth[ch.solution_columns[0]].unique()))
    rng = np.random.default_rng(seed)
    target = ch.target_columns[0]
    values = truth[ch.solution_columns[0]].astype(str).tolist()
    flipped = [v if rng.random() < accuracy else next(x for x in labels if x != v) for v in values]
    pd.DataFrame({ch.id_column: truth[ch.id_column], target: flipped}).to_csv(dest, index=False)
    return dest


def populate(svc: Service, settings: Settings, work: Path) -> None:
    with svc.session(write_lock=True) as s:
        teacher = create_user(s, "teacher", PASSWORD, role="admin", display_name="Ms. Teacher")
    hosting.create_from_catalog(
        svc,
        PROJECT,
        slug=CLASS,
        created_by=teacher.id,
        settings=hosting.ChallengeSettings(deadline=utcnow() + timedelta(days=14), per_day=10),
    )
    for n, (name, accuracies) in enumerate(LEARNERS.items()):
        with svc.session(write_lock=True) as s:
            user = create_user(s, name, PASSWORD, role="learner", display_name=name.capitalize())
        for i, acc in enumerate(accuracies):
            for project in (PROJECT, CLASS):
                path = demo_submission(
                    svc, project, acc, seed=100 * n + i, dest=work / f"{name}-{project}-{i}.csv"
                )
                svc.submit(
                    user.id,
                    project,
                    path,
                    filename=f"submission_v{i + 1}.csv",
                    note=["first try", "added features", "tuned model", "ensemble"][i],
                )
        if name == "ada":  # an invalid file keeps its reason in the history
            bad = work / "semicolons.csv"
            bad.write_text("PassengerId;survived\n1;yes\n")
            with contextlib.suppress(TrackrecordError):
                svc.submit(user.id, PROJECT, bad, filename="semicolons.csv")
        if name in ("ada", "margaret"):
            svc.finalize(user.id, PROJECT)
        if name == "ada":  # after finalizing: practice
            path = demo_submission(svc, PROJECT, 0.88, seed=999, dest=work / "practice.csv")
            svc.submit(user.id, PROJECT, path, filename="practice.csv", note="after the reveal")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(settings: Settings) -> tuple[str, object]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# (name, user, path, viewport): ada finalized titanic (and practised after), grace did not.
SHOTS = (
    ("catalog", "ada", "/", DESKTOP),
    ("project", "ada", f"/projects/{PROJECT}", DESKTOP),
    ("project-estimate", "grace", f"/projects/{PROJECT}", DESKTOP),
    ("finalize", "grace", f"/projects/{PROJECT}/finalize", DESKTOP),
    ("project-phone", "grace", f"/projects/{PROJECT}", PHONE),
    ("leaderboard", "ada", f"/projects/{PROJECT}/leaderboard", DESKTOP),
    ("profile", "ada", "/profile", DESKTOP),
    ("host", "teacher", "/host", DESKTOP),
    ("host-challenge", "teacher", f"/host/challenges/{CLASS}", DESKTOP),
    ("class", "teacher", "/host/class", DESKTOP),
    ("track-record", "ada", "/track-record", DESKTOP),
)


def shoot(url: str, out: Path, chromium: str, only: set[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name, user, path, viewport in SHOTS:
            if only and name not in only:
                continue
            page = browser.new_page(viewport=viewport)
            page.goto(f"{url}/login")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button.primary")
            page.wait_for_url(f"{url}/")
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(f"wrote {out / f'{name}.png'}")
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument(
        "--catalog",
        type=Path,
        default=None,
        help="Reuse a built catalog folder (default: build into the temp home).",
    )
    parser.add_argument("--only", nargs="*", help="Only these screenshots (by name).")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trackrecord-shots-") as tmp:
        home = Path(tmp) / "home"
        if args.catalog:
            shutil.copytree(args.catalog, home / "catalog")
        settings = Settings(home=home, hosted=True, invite_code="demo")
        with Service(settings) as svc:
            svc.build_catalog([PROJECT])
            populate(svc, settings, Path(tmp))
        url, server = serve(settings)
        try:
            shoot(url, args.out, args.chromium, set(args.only) if args.only else None)
        finally:
            server.should_exit = True  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
