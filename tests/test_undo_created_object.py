"""Issue 21, item 5: the undo of a fix that created an object compares the whole object with
what the app left, not only the fields the fix set: an endpoint a colleague has since edited
(its description, its metadata, switched off) is not deleted."""

from __future__ import annotations

import json

import pytest
from support.fix_cli import fix_cli
from support.practice import practice

from assistant.practice import PracticeServer

HOOK_URL = "https://app.practice.example/stripe/portal-hooks"


@pytest.fixture(autouse=True)
def _own_history(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _created(server: PracticeServer) -> tuple[str, dict]:
    code, out, err = fix_cli(["--apply", "webhooks.events", "--webhook-url", HOOK_URL, "--yes", "--format", "json"],
                             server)
    assert code == 0, err
    [endpoint] = server.store.objects("test", "webhook_endpoints")
    return json.loads(out)["applied"][0]["change_id"], endpoint


@pytest.mark.parametrize("edit", [
    {"description": "DO NOT DELETE: billing team"},
    {"metadata": {"owner": "billing-team"}},
    {"status": "disabled"},
    {"api_version": "2020-08-27"},
])
def test_an_endpoint_edited_since_it_was_created_is_not_deleted(edit: dict) -> None:
    with practice("no_webhooks") as (_, server):
        change_id, endpoint = _created(server)
        endpoint.update(edit)  # a colleague's edit in the Dashboard
        server.store.put("test", "webhook_endpoints", endpoint)
        writes = len(server.writes)
        code, out, err = fix_cli(["--undo", change_id, "--yes"], server)
        assert code == 2 and "edited since" in err and next(iter(edit)) in err
        assert len(server.writes) == writes  # nothing was sent
        assert server.store.objects("test", "webhook_endpoints")


def test_an_endpoint_as_the_app_left_it_is_deleted_by_the_undo() -> None:
    with practice("no_webhooks") as (_, server):
        change_id, _ = _created(server)
        code, _, err = fix_cli(["--undo", change_id, "--yes"], server)
        assert code == 0, err
        assert server.store.objects("test", "webhook_endpoints") == []
