"""The review of visits on the server: visit numbers, the review state machine's pushes, the flags
raised at push, the review scopes' rows (and back-checks, ``backchecks``)."""
