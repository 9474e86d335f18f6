"""Widget weight and speed in a real Chromium on loopback.

    .venv/bin/python tests/bench/widget_weight.py

Uses DATABASE_URL / REDIS_URL when both are set (a scratch database is created there),
otherwise embedded servers in a temporary folder. Prints one JSON object: gzip and brotli
bytes of the loader and of everything fetched from Havre until the chat is usable after a
click (from Chromium's network log), the main-thread time of the host page with the loader
before any click (CDP Performance metrics), and the time from the click to a usable input.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import brotli

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from playwright.async_api import async_playwright  # noqa: E402

from server.db import _init_connection  # noqa: E402
from server.embedded import embedded_servers  # noqa: E402
from server.migrate import migrate  # noqa: E402
from server.settings import load_settings  # noqa: E402
from server.tenants.files import apply_tenants  # noqa: E402
from server.widget.routes import ASSETS  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.conftest import (  # noqa: E402
    Servers,
    create_database,
    drop_database,
    serve_in_thread,
    settings_env,
    tenant_file,
)
from tests.widget.conftest import ALWAYS_OPEN, HostSite, serve_host_site  # noqa: E402

RUNS = 5


def sizes(body: bytes) -> dict[str, int]:
    return {
        "raw": len(body),
        "gzip": len(gzip.compress(body, 9)),
        "brotli": len(brotli.compress(body, quality=11)),
    }


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def total(entries: list[dict[str, Any]]) -> dict[str, int]:
    return {k: sum(e[k] for e in entries) for k in ("raw", "gzip", "brotli")}


async def measure(site: HostSite, slug: str) -> dict[str, Any]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        runs: list[dict[str, Any]] = []
        fetched: list[dict[str, Any]] = []
        for run in range(RUNS):
            context = await browser.new_context(viewport={"width": 1024, "height": 768})
            page = await context.new_page()
            cdp = await context.new_cdp_session(page)
            await cdp.send("Performance.enable")
            log: list[tuple[str, Any]] = []
            phase = ["before_click"]

            def keep(response: Any, log: list[Any] = log, phase: list[str] = phase) -> None:
                if response.url.startswith(site.havre_url):
                    log.append((phase[0], response))

            page.on("response", keep)
            await page.goto(site.url(slug))
            await page.wait_for_selector("havre-widget", state="attached")
            await page.wait_for_load_state("networkidle")
            metrics = {
                m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]
            }
            phase[0] = "after_click"
            size = page.viewport_size
            assert size is not None
            started = time.perf_counter()
            await page.mouse.click(size["width"] - 24, size["height"] - 24)
            frame = None
            while frame is None:
                frame = next((f for f in page.frames if "/w/" in f.url), None)
                await asyncio.sleep(0.005)
            await frame.locator("#consent").wait_for(state="visible")
            usable_ms = (time.perf_counter() - started) * 1000
            runs.append(
                {
                    "click_to_usable_ms": round(usable_ms, 1),
                    "main_thread_before_click_ms": {
                        "script": round(metrics.get("ScriptDuration", 0) * 1000, 2),
                        "task": round(metrics.get("TaskDuration", 0) * 1000, 2),
                        "layout": round(metrics.get("LayoutDuration", 0) * 1000, 2),
                    },
                }
            )
            if run == 0:
                for when, response in log:
                    body = await response.body() if response.status == 200 else b""
                    path = response.url[len(site.havre_url) :]
                    fetched.append({"phase": when, "url": path, **sizes(body)})
            await context.close()
        await browser.close()
    return {"runs": runs, "fetched": fetched}


async def main() -> None:
    given_db, given_redis = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    folder = Path(tempfile.mkdtemp(prefix="havre-bench-"))
    with embedded_servers(folder) if not (given_db and given_redis) else _given() as urls:
        admin_url, redis_url = (
            (given_db, given_redis) if given_db else (urls.database_url, urls.redis_url)
        )
        database_url = await create_database(admin_url)
        try:
            await migrate(database_url)
            servers = Servers(admin_url=admin_url, database_url=database_url, redis_url=redis_url)
            settings = load_settings(settings_env(servers))
            with serve_in_thread(settings) as host, serve_host_site(f"http://{host}") as site:
                tenant = tenant_file(
                    hours=ALWAYS_OPEN, allowed_origins=[site.origin], exit_url=site.exit_url
                )
                owner = await asyncpg.connect(database_url)
                await _init_connection(owner)
                await apply_tenants(owner, [tenant])
                await owner.close()
                result = await measure(site, tenant.slug)
        finally:
            await drop_database(admin_url, database_url)
    loader = ASSETS.loader.bodies
    fetched = result["fetched"]
    after = [e for e in fetched if e["phase"] == "after_click"]
    runs = result["runs"]
    print(
        json.dumps(
            {
                "loader": {
                    "raw": len(loader["identity"]),
                    "gzip": len(loader["gzip"]),
                    "brotli": len(loader["br"]),
                },
                "before_click": total([e for e in fetched if e["phase"] == "before_click"]),
                "after_click_until_usable": total(after),
                "everything_until_usable": total(fetched),
                "config_fetches_until_usable": len([e for e in fetched if "/config" in e["url"]]),
                "fetched": fetched,
                # The host page runs no script of its own: ScriptDuration is the loader's.
                "loader_script_before_click_ms_median": median(
                    [r["main_thread_before_click_ms"]["script"] for r in runs]
                ),
                "page_task_before_click_ms_median": median(
                    [r["main_thread_before_click_ms"]["task"] for r in runs]
                ),
                "click_to_usable_ms_median": median([r["click_to_usable_ms"] for r in runs]),
                "runs": runs,
            },
            indent=2,
        )
    )


class _given:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    asyncio.run(main())
