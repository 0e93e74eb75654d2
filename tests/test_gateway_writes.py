"""The gateway's writes over real HTTP to a practice account: only the planned requests, each
with an idempotency key kept across retries, Stripe's refusals mapped, the signing secret dropped."""

from __future__ import annotations

import pytest
from support.practice import practice

from assistant.account.errors import InvalidRequest, PermissionMissing
from assistant.account.gateway import StripeGateway

RETURN = {"default_return_url": "https://shop.example/account"}


def _conf_path(server) -> str:
    conf = server.store.objects("test", "configurations")[0]
    return f"/v1/billing_portal/configurations/{conf['id']}"


async def test_a_configuration_update_carries_its_key_and_answers_with_the_request_id() -> None:
    with practice("no_return_url") as (scenario, server):
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        try:
            written = await gateway.send("POST", _conf_path(server), RETURN, idempotency_key="fix-1")
        finally:
            await gateway.aclose()
        assert written.obj["default_return_url"] == RETURN["default_return_url"]
        assert written.request_id and written.request_id.startswith("req_")
        assert server.write_attempts == [("POST", _conf_path(server), "fix-1")]


@pytest.mark.parametrize("kind", ["status", "lost"])
async def test_a_500_on_the_first_attempt_is_retried_with_the_same_key_and_applied_once(kind: str) -> None:
    with practice("no_return_url") as (scenario, server):
        server.inject_fault("/v1/billing_portal/configurations/", kind=kind, status=500, method="POST")
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url, sleep=_no_sleep)
        try:
            written = await gateway.send("POST", _conf_path(server), RETURN, idempotency_key="fix-2")
        finally:
            await gateway.aclose()
        assert written.obj["default_return_url"] == RETURN["default_return_url"]
        assert server.write_attempts == [("POST", _conf_path(server), "fix-2")] * 2
        assert server.writes == [("POST", _conf_path(server), "fix-2")]  # applied once


async def test_a_created_endpoints_signing_secret_never_leaves_the_gateway() -> None:
    with practice("no_webhooks") as (scenario, server):
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        try:
            written = await gateway.send("POST", "/v1/webhook_endpoints", {
                "url": "https://shop.example/hooks", "enabled_events": ["customer.updated"]},
                idempotency_key="fix-3")
        finally:
            await gateway.aclose()
        assert written.obj["id"].startswith("we_") and "secret" not in written.obj
        assert "whsec_" not in repr(written)


async def test_a_read_only_key_gets_stripes_refusal_with_the_permission() -> None:
    with practice("read_only_key") as (scenario, server):
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        try:
            with pytest.raises(PermissionMissing) as refused:
                await gateway.send("POST", _conf_path(server), RETURN, idempotency_key="fix-4")
        finally:
            await gateway.aclose()
        assert refused.value.permission == "rak_billing_portal_write"
        assert refused.value.dashboard_words == "Customer portal: Write"
        assert refused.value.request_id and server.writes == []


async def test_nothing_outside_the_fixes_can_be_written() -> None:
    with practice("healthy") as (scenario, server):
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        try:
            for method, path in (("POST", "/v1/customers"), ("DELETE", _conf_path(server)),
                                 ("POST", "/v1/billing_portal/configurations")):
                with pytest.raises(InvalidRequest):
                    await gateway.send(method, path, {}, idempotency_key="fix-5")
            with pytest.raises(ValueError):
                await gateway.send("POST", _conf_path(server), RETURN, idempotency_key="")
        finally:
            await gateway.aclose()
        assert server.write_attempts == []


async def _no_sleep(_seconds: float) -> None:
    return None
