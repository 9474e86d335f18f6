from tests.conftest import sign_in


async def test_signed_in_listener_sees_its_tenant(client, make_tenant, make_staff):
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    tokens = await sign_in(client, email)
    me = await client.get("/api/me", headers={"authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert [t["slug"] for t in me.json()["tenants"]] == [tenant.slug]
