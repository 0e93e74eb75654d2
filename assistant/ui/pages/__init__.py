"""One page per checklist step. Each is a StepPage; the main window only knows that interface."""
