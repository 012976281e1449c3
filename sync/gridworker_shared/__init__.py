"""What the desktop app and the server share: the domain rules, the protocol's messages and the wire codec.

No Qt and no SQLAlchemy: each side has its own storage; only these rules and shapes cross between them.
"""
