"""The finding codes of Stripe's answers to an ask (`main.py ask`, the customer page's Ask Stripe).

An ask is not a check: it runs only when the agent asks, and each answer becomes at most one
finding. The codes are declared under `asks` in `resources/checks.json` with their wording (the
sentence the agent reads out and the fix it points to); the answers Stripe gives are matched to
them by `resources/asks.json` (`assistant.diagnosis.asks.interpret`). Like every code, each is
spelled here once and imported by name everywhere else.
"""

from __future__ import annotations

ASK_FEATURE_OFF = "ask.feature_off"
ASK_PRICE_NOT_OFFERED = "ask.price_not_offered"
ASK_NO_CHANGE = "ask.no_change"
ASK_ON_SCHEDULE = "ask.on_schedule"
ASK_CANCEL_ONLY = "ask.cancel_only"
ASK_SUBSCRIPTION_ENDED = "ask.subscription_ended"
ASK_SUBSCRIPTION_ELSEWHERE = "ask.subscription_elsewhere"
ASK_NO_CONFIGURATION = "ask.no_configuration"
ASK_RETURN_URL_REFUSED = "ask.return_url_refused"
ASK_REFUSED_UNRECOGNISED = "ask.refused_unrecognised"
ASK_PERMISSION_MISSING = "ask.permission_missing"
ASK_NOT_ANSWERED = "ask.not_answered"
# The codes of a refusal the app recognises (Stripe said no, and why is known).
RECOGNISED_REFUSALS = (
    ASK_FEATURE_OFF, ASK_PRICE_NOT_OFFERED, ASK_NO_CHANGE, ASK_ON_SCHEDULE, ASK_CANCEL_ONLY,
    ASK_SUBSCRIPTION_ENDED, ASK_SUBSCRIPTION_ELSEWHERE, ASK_NO_CONFIGURATION, ASK_RETURN_URL_REFUSED,
)
# The codes of an ask Stripe did not answer with a verdict.
UNANSWERED = (ASK_PERMISSION_MISSING, ASK_NOT_ANSWERED)
