"""Liveness and readiness."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from server.cache import RedisClient
from server.db import Database


@get("/health", operation_id="health", name="health", tags=["ops"], cache=False)
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", operation_id="ready", name="ready", tags=["ops"], cache=False)
async def ready(
    db: NamedDependency[Database], redis: NamedDependency[RedisClient]
) -> Response[dict[str, str]]:
    checks = {
        "postgres": "ok" if await db.ping() else "unavailable",
        "redis": "ok" if await redis.ping() else "unavailable",
    }
    ok = all(v == "ok" for v in checks.values())
    return Response(
        {"status": "ok" if ok else "unavailable", **checks},
        status_code=HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE,
    )
