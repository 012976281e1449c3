"""An address in one line, as Chinese staff read it (the server's work orders and city feed use it)."""

from __future__ import annotations


def one_line(community: str, grid: str, compound: str, building: str, unit: str, room: str) -> str:
    """古城社区 第一网格 翠苑小区 3栋2单元501室."""
    rooms = (f"{building}栋" if building else "") + (f"{unit}单元" if unit else "") + (f"{room}室" if room else "")
    return " ".join(p for p in (community, grid, compound, rooms) if p)
