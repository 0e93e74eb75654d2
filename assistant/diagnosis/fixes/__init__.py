"""Guided fixes, planned: diagnosis in, fixes out (the requests, the field-by-field changes, the
inputs still needed). Pure like the checks: no gateway, no network, no Qt. Applying is the fix
runner's job (`assistant.diagnosis.fix_runner`), recording the case history's."""
