"""Asking Stripe itself, flow by flow, what a customer can do in the portal (issue 24).

Pure, like the fix planner: `portal_view` (what the customer sees, from the configuration and the
customer's subscriptions, and what the checks therefore expect of each flow), `plan` (the asks
to send and the usage errors that stop them), `interpret` (Stripe's answer to each ask as a
finding). Sending is `assistant.diagnosis.ask_runner`'s job.
"""
