"""The finding codes any check may report: skips (a check that cannot run yet) and Stripe errors.

Declared under `common` in `resources/checks.json`; the gates, `messages.error_result` and the
registry report them for every check, so they belong to no one check module.
"""

from __future__ import annotations

SKIPPED_KEY_UNUSABLE = "skipped.key_unusable"
SKIPPED_KEY_REJECTED = "skipped.key_rejected"
SKIPPED_CONNECTED_ACCOUNT_REFUSED = "skipped.connected_account_refused"
SKIPPED_CONFIGURATION_UNREAD = "skipped.configuration_unread"
SKIPPED_NO_CONFIGURATION = "skipped.no_configuration"
SKIPPED_NOT_READ = "skipped.not_read"
SKIPPED_NO_CUSTOMER = "skipped.no_customer"
ERROR_PERMISSION = "error.permission"
ERROR_PERMISSION_UNNAMED = "error.permission_unnamed"
ERROR_AUTH = "error.auth"
ERROR_RATE_LIMITED = "error.rate_limited"
ERROR_NETWORK = "error.network"
ERROR_SERVER = "error.server"
ERROR_REQUEST = "error.request"
ERROR_ANSWER = "error.answer"
ERROR_DEADLINE = "error.deadline"
ERROR_INTERNAL = "error.internal"
STRIPE_REQUEST_ID = "stripe.request_id"
SKIPPED_CUSTOMER_DELETED = "skipped.customer_deleted"
SKIPPED_EVENTS_PERMISSION = "skipped.events_permission"
