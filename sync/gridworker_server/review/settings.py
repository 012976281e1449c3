"""A street's settings (``OrgUnit.settings`` of the street, read through ``StreetSettings``): the
flags' thresholds, the back-checks' rate, the coverage goal. A grid takes its street's."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.models import OrgUnit
from gridworker_shared.domain.review import StreetSettings


def street_of(s: Session, unit_id: uuid.UUID) -> OrgUnit | None:
    """The street a unit belongs to (itself when it is one); None above or outside any street."""
    units = {u.id: (u.parent_id, u.kind) for u in s.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind))}
    node: uuid.UUID | None = unit_id
    seen: set[uuid.UUID] = set()
    while node is not None and node in units and node not in seen:
        seen.add(node)
        parent, kind = units[node]
        if kind == "street":
            return s.get(OrgUnit, node)
        node = parent
    return None


class Streets:
    """Each grid's street and its settings, read once per transaction (a push asks for every visit)."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self._units: dict[uuid.UUID, tuple[uuid.UUID | None, str]] | None = None
        self._settings: dict[uuid.UUID | None, StreetSettings] = {}
        self._street: dict[uuid.UUID, uuid.UUID | None] = {}

    def _tree(self) -> dict[uuid.UUID, tuple[uuid.UUID | None, str]]:
        if self._units is None:
            self._units = {
                u.id: (u.parent_id, u.kind) for u in self.s.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind))
            }
        return self._units

    def street_id(self, grid_id: uuid.UUID) -> uuid.UUID | None:
        if grid_id not in self._street:
            units = self._tree()
            node: uuid.UUID | None = grid_id
            found: uuid.UUID | None = None
            for _ in range(16):  # org trees are a handful of levels deep; a cycle ends here
                if node is None or node not in units:
                    break
                parent, kind = units[node]
                if kind == "street":
                    found = node
                    break
                node = parent
            self._street[grid_id] = found
        return self._street[grid_id]

    def settings(self, grid_id: uuid.UUID) -> StreetSettings:
        street = self.street_id(grid_id)
        if street not in self._settings:
            data = self.s.scalar(select(OrgUnit.settings).where(OrgUnit.id == street)) if street else None
            self._settings[street] = StreetSettings.from_dict(data)
        return self._settings[street]

    def grids(self, street_id: uuid.UUID | None) -> set[uuid.UUID]:
        """The grids under the street (for the same-notes rule); all grids without a street."""
        units = self._tree()
        return {u for u, (_p, kind) in units.items() if kind == "grid" and self.street_id(u) == street_id}
