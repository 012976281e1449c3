"""The window for whoever signed in: a department user works its orders (gridworker.ui.work_order_window,
loaded only for them); everyone else gets gridworker.ui.main_window.make_window's (Today, or the review
workspace of a station or supervisor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.main_window import make_window as worker_or_reviewer_window
from gridworker.ui.sync import SyncController

if TYPE_CHECKING:
    from gridworker.ui.review.window import ReviewWindow
    from gridworker.ui.work_order_window import WorkOrdersWindow


def make_window(ctx: AppContext, sync: SyncController | None = None) -> MainWindow | ReviewWindow | WorkOrdersWindow:
    if ctx.identity.role == "department":
        from gridworker.ui.work_order_window import WorkOrdersWindow

        return WorkOrdersWindow(ctx, sync)
    return worker_or_reviewer_window(ctx, sync)
