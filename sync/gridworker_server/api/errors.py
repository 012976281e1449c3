"""Every error answer is one JSON shape, :class:`gridworker_shared.protocol.ErrorBody`: the code, an
English message and the code's parameters. One handler for :class:`ApiError` (and its subclasses);
the others put FastAPI's, Starlette's and the database's failures in the same shape."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from gridworker_server.errors import ApiError
from gridworker_shared.logsafe import describe
from gridworker_shared.protocol import ErrorBody

__all__ = ["BUSY", "ApiError", "error_response", "install"]

log = logging.getLogger("gridworker.server")

BUSY = ("busy", "The server is busy; retry shortly.")
_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


def error_response(exc: ApiError) -> JSONResponse:
    body = ErrorBody(error=exc.code, message=exc.message, detail=exc.params)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return JSONResponse(body.model_dump(), status_code=exc.status, headers=headers)


async def on_api_error(_r: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """Every method the path answers to: Starlette's 405 names only the first route matching the path,
    while one path may be served by several routes (``PATCH`` and ``DELETE`` of a household)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
    return ", ".join(allowed)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's and Starlette's own answers (a body that is not UTF-8 JSON, an unknown path) in our shape."""
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    response = error_response(ApiError(exc.status_code, code, str(exc.detail)))
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = _allowed_methods(request)
    return response


async def on_invalid(_r: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    log.info("invalid request: %s", describe(exc))  # where and what kind, never the values sent
    errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
    where = ".".join(errors[0]["loc"]) if errors else ""
    return error_response(ApiError(422, "invalid_request", f"The request is invalid: {where}.", errors=errors))


async def on_unstorable(_r: Request, exc: Exception) -> JSONResponse:
    """A value the database refuses (PostgreSQL: a NUL character in text) is the request's fault."""
    assert isinstance(exc, DataError)
    log.info("value refused by the database: %s", describe(exc))
    return error_response(ApiError(422, "invalid_request", "The request holds a value that cannot be stored."))


async def on_pool_timeout(_r: Request, _exc: Exception) -> JSONResponse:
    return error_response(ApiError(429, *BUSY, retry_after=1))


async def on_database_down(_r: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", describe(exc))
    return error_response(ApiError(503, "database_busy", "The database is unavailable; retry shortly.", retry_after=2))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(DataError, on_unstorable)
    app.add_exception_handler(PoolTimeout, on_pool_timeout)
    app.add_exception_handler(OperationalError, on_database_down)
