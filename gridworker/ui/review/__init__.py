"""The review workspace of a station or supervisor: the queue, back-checks, coverage and export."""
