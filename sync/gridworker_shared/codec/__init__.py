"""The pull's rows: one encoder (the server) and one decoder (the app) per wire entity, side by side
(``households``: the aggregate and its children; ``scopes``: org units, workers, guide articles;
``wire``: the columns and the values).

A pull page is positional and compact: the first sync of a 500-household grid must fit in 100 KB of
gzip on the wire. A row lists its entity's :data:`COLUMNS` in order and leaves out trailing empty
values (the decoder pads them back). Ids are base64url without padding (22 characters), dates ISO,
instants Unix seconds (UTC). A household travels as one aggregate with its members, its recent visits,
its requests and its contact cards; a member whose id is derived from its household (roster and demo
rows: :func:`member_id`) travels without one; a visit names the members it saw by their index in the
aggregate and its guide articles' actions by one letter; sex and birth date are left out when the ID
number gives them.

Records are plain NamedTuples whose fields are the columns: the server builds them from its rows and
encodes them; the app decodes rows into them and writes its tables. Datetimes are UTC: an encoder takes
naive as UTC, a decoder gives aware UTC. A decoder reads what its encoder writes, and is lenient where
older pages or hand-built rows differ (an ISO instant, an action spelled out, a photo that is not
base64); a child row it cannot read (no id) is left out of its aggregate. Defaults for values the
server never leaves empty (a relation, a layout, a version) are the reader's business.
"""

from gridworker_shared.codec.households import (
    CardRecord,
    HouseholdRecord,
    MemberRecord,
    RequestRecord,
    VisitArticleRecord,
    VisitRecord,
    decode_card,
    decode_household,
    decode_member,
    decode_request,
    decode_visit,
    decode_visit_article,
    encode_card,
    encode_household,
    encode_member,
    encode_request,
    encode_visit,
    encode_visit_article,
)
from gridworker_shared.codec.review import (
    BackcheckRecord,
    ReviewEventRecord,
    ReviewHouseholdRecord,
    ReviewVisitRecord,
    decode_backcheck,
    decode_review_household,
    encode_backcheck,
    encode_review_household,
)
from gridworker_shared.codec.scopes import (
    ArticleRecord,
    OrgUnitRecord,
    WorkerRecord,
    decode_article,
    decode_org_unit,
    decode_worker,
    encode_article,
    encode_org_unit,
    encode_worker,
)
from gridworker_shared.codec.wire import (
    ACTION_CODES,
    ACTIONS,
    COLUMNS,
    MEMBER_NAMESPACE,
    Row,
    WireError,
    member_id,
    pack_id,
    unpack_id,
)

__all__ = [
    "ACTIONS",
    "ACTION_CODES",
    "COLUMNS",
    "MEMBER_NAMESPACE",
    "ArticleRecord",
    "BackcheckRecord",
    "CardRecord",
    "HouseholdRecord",
    "MemberRecord",
    "OrgUnitRecord",
    "RequestRecord",
    "ReviewEventRecord",
    "ReviewHouseholdRecord",
    "ReviewVisitRecord",
    "Row",
    "VisitArticleRecord",
    "VisitRecord",
    "WireError",
    "WorkerRecord",
    "decode_article",
    "decode_backcheck",
    "decode_card",
    "decode_household",
    "decode_member",
    "decode_org_unit",
    "decode_request",
    "decode_review_household",
    "decode_visit",
    "decode_visit_article",
    "decode_worker",
    "encode_article",
    "encode_backcheck",
    "encode_card",
    "encode_household",
    "encode_member",
    "encode_org_unit",
    "encode_request",
    "encode_review_household",
    "encode_visit",
    "encode_visit_article",
    "encode_worker",
    "member_id",
    "pack_id",
    "unpack_id",
]
