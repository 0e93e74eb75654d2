"""Runs with a secret, a session link and e-mails planted in every free-text field."""

from __future__ import annotations

from dataclasses import replace

from assistant.account.errors import StripeErrorInfo
from assistant.diagnosis.model import AccountInfo, Diagnosis
from assistant.report.sample import sample_diagnosis

PLANTED_KEY = "sk_live_" + "51PlantedSecretKeyAbCdEfGh0123456789"  # built here: no live-looking key in the source
PLANTED_BODY = "PlantedSecretKey"
SESSION_URL = "https://billing.stripe.com/p/session/live_YWNjdF8xUGxhbnRlZFNlc3Npb24"


def planted_diagnosis() -> Diagnosis:
    """A run with the key, a session link and e-mails planted in every free-text field."""
    d = sample_diagnosis(
        notes=f"Customer pasted {PLANTED_KEY} in chat; link {SESSION_URL}. Mail: ann@shop.example",
        ticket=f"ZD-1 {PLANTED_KEY}",
    )
    checks = list(d.checks)
    checks[2] = replace(
        checks[2],
        summary=f"Stripe accepted {PLANTED_KEY}.",
        details=(f"Authorization: Bearer {PLANTED_KEY}", f"whsec_{PLANTED_BODY}xyz9"),
        fix=(f"Roll {PLANTED_KEY} in the Dashboard.",),
        stripe_error=StripeErrorInfo(
            f"Invalid API Key provided: {PLANTED_KEY}", code="api_key_invalid",
            request_id="req_planted",
        ),
    )
    return replace(
        d,
        checks=tuple(checks),
        account=AccountInfo("acct_1Planted", f"Shop {PLANTED_KEY}"),
        masked_key=PLANTED_KEY,  # a careless caller: must still come out masked
        customer_query=f"ann@shop.example {SESSION_URL}",
    )
