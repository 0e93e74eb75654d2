"""Pure checks: a Snapshot in, CheckResults out (see registry.run_checks)."""
