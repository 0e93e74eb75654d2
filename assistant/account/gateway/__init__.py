"""The only package that talks to Stripe. Everything it returns is plain JSON dicts or our errors."""

from assistant.account.gateway.client import STRIPE_VERSION, StripeGateway

__all__ = ["STRIPE_VERSION", "StripeGateway"]
