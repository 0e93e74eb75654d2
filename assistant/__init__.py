"""Portal Setup Assistant: diagnose a Stripe Customer Portal set-up during a support call."""

# The one place the version is written: the wheel's metadata reads it from here (pyproject's
# dynamic version), and --version, About and the bundle's notices print it.
__version__ = "0.1.0"
