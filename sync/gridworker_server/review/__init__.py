"""The review of visits on the server (issue 12): visit numbers, flags, back-checks."""
