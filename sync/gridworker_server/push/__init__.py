"""The push: a device's mutations, exactly once, in its sequence (SYNC.md, Push and Who owns what).

``core`` runs the batch (the device lock, the sequence, replays, gaps and forks, the results, the
rows read up front); the handlers are by entity: ``visits`` (create, amend), ``households``
(household.update, person.*), ``requests`` (request.command) and ``cards`` (card.issue,
profile.update). Their business rules are the shared ones (``gridworker_shared.domain``).
"""

from gridworker_server.push.batch import Outcome, Rejected, check_business_time, content_hash, local_day
from gridworker_server.push.core import Applier, PushError, push
from gridworker_server.push.households import HOUSEHOLD_FIELDS, clean_household_field
from gridworker_server.push.visits import visit_articles, visit_digest

# the name the admin routes import
_clean_household_field = clean_household_field

__all__ = [
    "HOUSEHOLD_FIELDS",
    "Applier",
    "Outcome",
    "PushError",
    "Rejected",
    "_clean_household_field",
    "check_business_time",
    "clean_household_field",
    "content_hash",
    "local_day",
    "push",
    "visit_articles",
    "visit_digest",
]
