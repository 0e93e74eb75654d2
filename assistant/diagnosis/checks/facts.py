"""Describe Stripe objects in details lines: ids first, then the names an owner recognises."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assistant.account.snapshot import StripeObject

# Currencies Stripe counts in whole units (no minor unit).
_ZERO_DECIMAL = frozenset(
    ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]
)


def object_id(value: Any) -> str:
    """An id whether Stripe returned it bare or expanded into an object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def money(amount: int | None, currency: str | None) -> str:
    cur = (currency or "").lower()
    if amount is None:
        return f"custom amount {cur.upper()}".strip()
    if cur in _ZERO_DECIMAL:
        return f"{amount} {cur.upper()}"
    return f"{amount / 100:.2f} {cur.upper()}".strip()


def interval(price: StripeObject) -> str:
    recurring = price.get("recurring")
    if not recurring:
        return "one-time"
    unit = recurring.get("interval") or "?"
    count = recurring.get("interval_count") or 1
    return f"{unit}" if count == 1 else f"every {count} {unit}s"


def price_amount(price: StripeObject) -> str:
    if price.get("unit_amount") is None and price.get("billing_scheme") == "tiered":
        return f"tiered {str(price.get('currency') or '').upper()}".strip()
    return money(price.get("unit_amount"), price.get("currency"))


def amount_per_interval(amount: str, interval_text: str, recurring: bool | None) -> str:
    """"9.00 USD / month", "49.00 USD once" (a one-time price), "" when the amount is unknown:
    the one way an amount is written for the owner (read-out sentences and the plans table)."""
    if not amount:
        return ""
    if recurring is False:
        return f"{amount} once"
    if interval_text.startswith("every "):
        return f"{amount} {interval_text}"  # "15.00 USD every 3 months"
    return f"{amount} / {interval_text}" if interval_text else amount


def said_amount(price: StripeObject) -> str:
    """A price's amount and interval in the owner's words: "290.00 USD / year"."""
    return amount_per_interval(price_amount(price), interval(price) if is_recurring(price) else "",
                               is_recurring(price))


def said_product(product: StripeObject | None, product_id: str = "") -> str:
    """A product as the owner knows it: `"Pro"` (its id only when it has no name or was not found)."""
    name = (product or {}).get("name")
    return f'"{name}"' if name else str((product or {}).get("id") or product_id)


def said_price(price: StripeObject, product: StripeObject | None, product_id: str = "") -> str:
    """A price as the owner knows it, no ids: `the "Pro Yearly" price (290.00 USD / year) of
    "Pro"`; without a nickname `a price of "Pro" (290.00 USD / year)`."""
    name = price.get("nickname")
    of = said_product(product, product_id)
    return f'the "{name}" price ({said_amount(price)}) of {of}' if name else f"a price of {of} ({said_amount(price)})"


def counted(count: int, word: str, plural: str = "") -> str:
    """ "1 price", "48 prices"."""
    return f"{count} {word if count == 1 else plural or word + 's'}"


def describe_price(price: StripeObject) -> str:
    """`price_1 "Monthly" (20.00 USD / month)`."""
    name = price.get("nickname")
    label = f'{price.get("id")} "{name}"' if name else str(price.get("id"))
    return f"{label} ({price_amount(price)} / {interval(price)})"


def describe_product(product: StripeObject) -> str:
    """`prod_1 "Pro"`."""
    name = product.get("name")
    return f'{product.get("id")} "{name}"' if name else str(product.get("id"))


def describe_customer(customer: StripeObject) -> str:
    parts = [str(customer.get("id"))]
    if customer.get("name"):
        parts.append(f'"{customer["name"]}"')
    if customer.get("email"):
        parts.append(f'<{customer["email"]}>')
    return " ".join(parts)


def said_customer(customer: StripeObject) -> str:
    """A customer as the owner knows them: `"Ada Lovelace" <ada@example.com>`, the id only
    when they have neither a name nor an e-mail."""
    parts = []
    if customer.get("name"):
        parts.append(f'"{customer["name"]}"')
    if customer.get("email"):
        parts.append(f'<{customer["email"]}>')
    return " ".join(parts) or str(customer.get("id"))


def is_recurring(price: StripeObject) -> bool:
    return price.get("type") != "one_time" and bool(price.get("recurring"))


def display_name(account: StripeObject) -> str | None:
    """What the account is called everywhere the app names it (window title, report, history,
    key.accepted): the public business name, else the Dashboard's display name, else its e-mail."""
    dashboard = (account.get("settings") or {}).get("dashboard") or {}
    profile = account.get("business_profile") or {}
    name = profile.get("name") or dashboard.get("display_name") or account.get("email")
    return str(name) if name else None


def timestamp_text(ts: object) -> str:
    """A Stripe timestamp as the agent reads it ("—" when there is none)."""
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return "—"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
