from litestar.testing import AsyncTestClient
from tests.conftest import sign_in, PASSWORD


async def test_explore(app, make_tenant, make_staff):
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        for label, kw in [
            ("bad", dict(content=b"{bad")),
            ("big", dict(content=b"x" * 100_000)),
            ("bigjson", dict(json={"email": "a@b.c", "password": "x" * 100_000})),
            ("types", dict(json={"email": 1, "password": "x"})),
            ("missing", dict(json={"email": "a@b.c"})),
            ("unknown", dict(json={"email": "a@b.c", "password": "x", "z": 1})),
            ("array", dict(json=[1])),
            ("empty", dict(content=b"")),
        ]:
            r = await c.post("/api/auth/sign-in", **kw)
            print(label, r.status_code, r.headers, r.text[:400])
        for path in ["/health", "/ready", "/sign-in", "/api/me", "/static/staff.css", "/", "/console/", "/schema/openapi.json"]:
            r = await c.get(path)
            print(path, r.status_code, dict(r.headers))
        r = await c.post("/api/auth/refresh")
        print("refresh empty", r.status_code, r.text)
        r = await c.post("/api/auth/refresh", json=None)
        print("refresh null", r.status_code, r.text)
        r = await c.post("/api/auth/sign-out")
        print("signout empty", r.status_code, r.text)
