"""The mastery area: `next` (what to do next, and why) and `mastery fit` (refit)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    ServerOption,
    console,
    handle_errors,
    learner_for,
    print_json,
    settings_from,
)

mastery_app = typer.Typer(
    help="The mastery model behind `next` and the skill table.", no_args_is_help=True
)


def skills_table(estimates: list) -> Table:  # type: ignore[type-arg]
    """Skill, estimate with its 90% interval as a bar, and the evidence behind it."""
    table = Table("skill", "estimate", "90% interval", "", "attempts")
    for e in sorted(estimates, key=lambda e: -e.mean):
        width = 20
        lo, hi, mid = (round(v * width) for v in (e.low, e.high, e.mean))
        bar = "".join("●" if i == mid else "─" if lo <= i <= hi else " " for i in range(width + 1))
        table.add_row(
            e.skill,
            f"{e.mean:.2f} ± {e.half_width:.2f}",
            f"{e.low:.2f}–{e.high:.2f}",
            f"[cyan]{bar}[/]",
            str(e.n_attempts),
        )
    return table


@handle_errors
def next_cmd(
    k: int = typer.Option(5, "-k", "--count", min=1, max=20, help="How many projects."),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """The projects to do next, from those your path recommends, each with its reason."""
    with learner_for(home, server) as who:
        report = who.next_projects(k)
    if json:
        print_json(report)
        return
    if not report.recommendations:
        console.print(
            "Nothing to recommend: every project your path recommends is done or at silver. "
            "`trackrecord catalog` shows what is not recommended yet, and why."
        )
        return
    table = Table("project", "chance of silver", "why", title="Next up")
    for r in report.recommendations:
        table.add_row(r.project_id, f"{r.p_silver:.0%}", r.reason)
    console.print(table)
    if report.skills:
        console.print(skills_table(list(report.skills)))
    else:
        console.print("No graded attempts yet: recommendations start where the path starts.")


@mastery_app.command("fit")
@handle_errors
def fit_cmd(json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """Refit item difficulties on every learner of this database; store HOME/mastery.json."""
    from trackrecord.cli import learner

    with learner.open_service(settings_from(home)) as svc:
        report = svc.refit_mastery()
    if json:
        print_json(report)
        return
    console.print(
        f"Fitted on {report.attempts} attempts of {report.learners} learner(s), "
        f"{report.items} projects; wrote {report.path}"
    )


def register(app: typer.Typer) -> None:
    app.command("next")(next_cmd)
    app.add_typer(mastery_app, name="mastery")
