"""Revisions, oldest first: 0001 (the first schema), 0002 (team history), 0003 (findings)."""
