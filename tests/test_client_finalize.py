"""Finalizing through a hosted server: the preview, numbers, the reveal and practice, from
the client and the notebook API (`server=`), in the same words as locally."""

from __future__ import annotations

from pathlib import Path

import pytest

from trackrecord import client
from trackrecord.bundle import Bundle
from trackrecord.errors import Conflict
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import FakeCatalog
from .test_web_support import PASSWORD, LiveServer, client_for, hosted, signup, split_submission


@pytest.fixture
def live(settings: Settings, catalog: FakeCatalog):  # type: ignore[no-untyped-def]
    hosted_settings = hosted(settings)
    with client_for(hosted_settings, catalog, base_url="http://tr.example") as c:
        signup(c, "ada")
    with LiveServer(create_app(hosted_settings, catalog=catalog)) as server:
        yield server


def test_preview_confirm_reveal_and_practice_through_a_server(
    live: LiveServer, tmp_path: Path, bundles: dict[str, Bundle], monkeypatch: pytest.MonkeyPatch
) -> None:
    import trackrecord as tr

    home = tmp_path / "remote-home"
    client.login(live.url, "ada", PASSWORD, home=home)
    monkeypatch.setenv("TRACKRECORD_HOME", str(home))
    reg = bundles["toy-reg"]
    # public 1.1 clears the public gold line (1.2); private 2.5 is bronze (lines 3 / 2 / 1)
    first = tr.submit(
        "toy-reg", split_submission(tmp_path / "a.csv", reg, 1.1, 2.5), server=live.url
    )
    assert "#1 (a.csv)" in repr(first) and "gold reached (public score vs" in repr(first)
    assert first.result["medal_progress"]["split"] == "public"
    tr.submit("toy-reg", split_submission(tmp_path / "b.csv", reg, 2.0, 1.5), server=live.url)

    preview = tr.finalize("toy-reg", picks=[2], server=live.url)
    assert "confirm=True" in repr(preview) and "#2" in repr(preview)
    with client.connect(live.url, home=home) as api, pytest.raises(Conflict):
        api.results("toy-reg")  # nothing was finalized

    final = tr.finalize("toy-reg", picks=[2], confirm=True, server=live.url)
    assert final.result["medal"] == "silver" and final.result["submission_number"] == 2
    assert final.result["thresholds"] == {"baseline": 3.0, "reference": 2.0, "gold": 1.0}
    assert final.result["learners"] == {"rank": 1, "total": 1}
    again = tr.results("toy-reg", server=live.url)
    assert again.result["private_score"] == pytest.approx(1.5)

    practice = tr.submit(
        "toy-reg", split_submission(tmp_path / "c.csv", reg, 0.5, 0.5), server=live.url
    )
    assert practice.result["practice"] is True and practice.result["finalized_medal"] == "silver"
    assert "practice" in repr(practice) and "reached" not in repr(practice)
    history = tr.submissions("toy-reg", server=live.url)
    assert list(history["number"]) == [1, 2, 3]
    assert list(history["practice"]) == [False, False, True]
