"""Portal Setup Assistant: diagnose a Stripe Customer Portal set-up during a support call."""

# The one place the version is written: the wheel's metadata reads it from here (pyproject's
# dynamic version), and --version, About and the bundle's notices print it.
__version__ = "0.1.0"

# The app's desktop identity (reverse-DNS of the project's placeholder domain, which has no site
# yet): the freedesktop entry and AppStream metainfo are named after it (resources/desktop/), the
# window announces it (Wayland app id) and the macOS bundle uses it as its identifier.
APP_ID = "invalid.portal_setup_assistant.PortalSetupAssistant"
