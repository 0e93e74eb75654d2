"""Diagnostics report: one redacted view of a run, rendered as Markdown or HTML (PDF via ui.pdf).

The package imports nothing itself: import what you use from its modules (`report.render`,
`report.redaction`, ...). The window needs `redaction` before its first paint, and importing
a package runs its `__init__` first; re-exporting `render` here brought Jinja2 and the
templates (about 35 ms) in front of the first paint.
"""
