"""Exports of a station's or supervisor's copy: visits as the review queue filters them, the area's
requests and tables of figures (coverage), to xlsx or CSV (UTF-8 with BOM), streamed, with progress
and cancel. No Qt: the export page (gridworker.ui.review.export_page) runs these on a worker thread."""

from gridworker.exports.tables import (
    CHINA,
    REQUEST_HEADERS,
    VISIT_HEADERS,
    Area,
    areas,
    describe,
    export_requests,
    export_rows,
    export_visits,
)
from gridworker.exports.writers import (
    EXCEL_MAX_ROWS,
    FORMATS,
    ExportCancelled,
    ExportError,
    ExportInfo,
    ExportResult,
    Table,
    guard,
    write_table,
)

__all__ = [
    "CHINA",
    "EXCEL_MAX_ROWS",
    "FORMATS",
    "REQUEST_HEADERS",
    "VISIT_HEADERS",
    "Area",
    "ExportCancelled",
    "ExportError",
    "ExportInfo",
    "ExportResult",
    "Table",
    "areas",
    "describe",
    "export_requests",
    "export_rows",
    "export_visits",
    "guard",
    "write_table",
]
