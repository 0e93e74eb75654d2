"""The portal settings Stripe added in 2024-2026, read once for the features step and the
test/live comparison: downgrades at period end (`schedule_at_period_end`), what a plan change
does to a trial (`trial_update_behavior`), the billing cycle anchor and prorations of plan
changes, quantity changes per product (`products[].adjustable_quantity` with `quantity` among
`default_allowed_updates`), the payment method configuration of payment method updates, and
how long customers may pause.

Each setting has the words the features step shows (`shown`) and the value the comparison uses
(`compared`): a payment method configuration id belongs to one mode, so modes are compared on
"set" or "not set", never on the id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.account.snapshot import StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.facts import object_id


@dataclass(frozen=True)
class Setting:
    key: str  # the field, as the API names it under `features`
    setting: str  # its name, as the owner knows it
    shown: str
    compared: str


def _update(conf: StripeObject) -> dict[str, Any]:
    return (conf.get("features") or {}).get("subscription_update") or {}


def _word(group: str, value: Any, unset: str = "unset") -> str:
    return msg.label(group, str(value)) if value else msg.label(group, unset)


def _period_end(update: dict[str, Any]) -> str:
    conditions = ((update.get("schedule_at_period_end") or {}).get("conditions")) or []
    kinds = sorted({str(c.get("type")) for c in conditions if isinstance(c, dict) and c.get("type")})
    if not kinds:
        return msg.label("setting_values", "period_end_none")
    said = " and ".join(msg.label("period_end_conditions", k) for k in kinds)
    return msg.label("setting_values", "period_end_some").format(conditions=said)


def _pause(conf: StripeObject) -> str:
    pause = (conf.get("features") or {}).get("subscription_pause") or {}
    duration = pause.get("duration")
    duration = duration if isinstance(duration, dict) else {}
    if not pause.get("enabled"):
        return msg.label("states", "off")
    if duration.get("type") == "interval_options":
        options = [f"{o.get('interval_count') or 1} {o.get('interval')}" for o in duration.get("interval_options") or []
                   if isinstance(o, dict)]
        return msg.label("setting_values", "pause_options").format(options=", ".join(options) or "—")
    if duration.get("type") == "indefinite":
        return msg.label("setting_values", "pause_indefinite")
    return msg.label("setting_values", "pause_unknown")


def quantity_rule(conf: StripeObject, entry: dict[str, Any]) -> str:
    """Whether customers may change the quantity of this product of the plan list, in words."""
    allowed = "quantity" in (_update(conf).get("default_allowed_updates") or [])
    adjustable = entry.get("adjustable_quantity")
    if not allowed:
        return msg.label("setting_values", "quantity_not_allowed")
    if not isinstance(adjustable, dict):
        return msg.label("setting_values", "quantity_any")
    if not adjustable.get("enabled"):
        return msg.label("setting_values", "quantity_off")
    most = adjustable.get("maximum")
    return msg.label("setting_values", "quantity_range").format(
        minimum=adjustable.get("minimum") or 0, maximum=most if most is not None else "any number")


def configuration_settings(conf: StripeObject, product_name: Callable[[str], str]) -> list[Setting]:
    """Every 2024-2026 setting of one configuration, in the order the features step lists them.
    `product_name(id)` names a product of the plan list as the owner knows it (quantity changes
    are judged per product and compared by name: ids differ between modes)."""
    update = _update(conf)
    method = (conf.get("features") or {}).get("payment_method_update") or {}
    pmc = str(method.get("payment_method_configuration") or "")
    name = msg.label
    settings = [
        Setting("subscription_update.schedule_at_period_end", name("setting_names", "schedule_at_period_end"),
                _period_end(update), _period_end(update)),
        Setting("subscription_update.trial_update_behavior", name("setting_names", "trial_update_behavior"),
                *[_word("trial_update_words", update.get("trial_update_behavior"))] * 2),
        Setting("subscription_update.billing_cycle_anchor", name("setting_names", "billing_cycle_anchor"),
                *[_word("billing_cycle_anchor_words", update.get("billing_cycle_anchor"))] * 2),
        Setting("subscription_update.proration_behavior", name("setting_names", "proration_behavior"),
                *[_word("proration_words", update.get("proration_behavior"))] * 2),
        Setting("payment_method_update.payment_method_configuration",
                name("setting_names", "payment_method_configuration"),
                name("setting_values", "pmc_set").format(id=pmc) if pmc else name("setting_values", "pmc_unset"),
                name("setting_values", "pmc_set_compared") if pmc else name("setting_values", "pmc_unset")),
        Setting("subscription_pause.duration", name("setting_names", "pause_duration"), _pause(conf), _pause(conf)),
    ]
    for entry in update.get("products") or []:
        if isinstance(entry, dict):
            product = product_name(object_id(entry.get("product")))
            rule = quantity_rule(conf, entry)
            settings.append(Setting("subscription_update.products.adjustable_quantity",
                                    name("setting_names", "quantity").format(product=product), rule, rule))
    return settings
