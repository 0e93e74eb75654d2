"""Portal Setup Assistant: diagnose a Stripe Customer Portal set-up during a support call."""

__version__ = "0.1.0"
