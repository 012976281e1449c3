"""The HTTP layer (full-stack-fastapi-template's ``app/api``): dependencies declared once (``deps``),
the error handlers (``errors``), the request and response schemas (``schemas``), transport details
(``http``: gzip bodies, load shedding) and the routes by area (``routes``)."""
