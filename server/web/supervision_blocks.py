"""The supervisors' list of blocked visitors: for every line the signed-in person supervises,
the last 30 days' blocks (server/protection/blocks.py), in words and in the line's time. A
block in force is lifted in place by static/supervision/blocks.js through the JSON route
(server/protection/api.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from server.access import role_at_least
from server.db import Database
from server.hours.phrasing import EN_MONTHS, FR_MONTHS, clock_text
from server.i18n import Locale
from server.protection.blocks import Blocks, BlockView
from server.staff.session import page_locale, signed_in, to_sign_in
from server.tenants.files import read_tenant
from server.words import page_texts

PATH = "/console/supervision/blocks"


class Moment(msgspec.Struct, frozen=True):
    iso: str
    text: str


class BlockRow(msgspec.Struct, frozen=True):
    id: UUID
    state: Literal["active", "lifted", "expired"]
    reason: str
    since: Moment
    until: Moment
    by: str
    network: str
    status: str


class LineBlocks(msgspec.Struct, frozen=True):
    slug: str
    name: str
    zone: str
    rows: list[BlockRow]


def fill(template: str, **fields: str) -> str:
    for name, value in fields.items():
        template = template.replace(f"{{{name}}}", value)
    return template


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def moment(at: datetime, zone: ZoneInfo, locale: Locale, texts: dict[str, str]) -> Moment:
    """A moment as "12 mars à 14h05" / "12 March at 2:05 pm", in the line's time zone;
    blocks.js writes a lift's moment the same way."""
    local = at.astimezone(zone)
    if locale == "fr":
        day = f"{'1er' if local.day == 1 else local.day} {FR_MONTHS[local.month - 1]}"
    else:
        day = f"{local.day} {EN_MONTHS[local.month - 1]}"
    # "1:35 am" is not broken across two lines.
    clock = clock_text(local, locale).replace(" ", "\u00a0")
    text = fill(texts["sv_blk_js_at"], date=day, time=clock)
    return Moment(iso=at.isoformat(), text=text)


def block_row(view: BlockView, zone: ZoneInfo, locale: Locale, texts: dict[str, str]) -> BlockRow:
    nobody = texts["sv_blk_js_nobody"]
    state: Literal["active", "lifted", "expired"]
    if view.active:
        state, status = "active", texts["sv_blk_active"]
    elif view.lifted_at is not None:
        state = "lifted"
        date = moment(view.lifted_at, zone, locale, texts).text
        status = (
            fill(texts["sv_blk_js_lifted"], name=view.lifted_by, date=date)
            if view.lifted_by
            else fill(texts["sv_blk_js_lifted_anonymous"], date=date)
        )
    else:
        state, status = "expired", texts["sv_blk_js_expired"]
    # An ended block has forgotten the network it held: nothing to say about it any more.
    network = texts["sv_blk_network_yes" if view.by_address else "sv_blk_network_no"]
    return BlockRow(
        id=view.id,
        state=state,
        reason=texts.get(f"con_block_reason_{view.reason}", view.reason),
        since=moment(view.created_at, zone, locale, texts),
        until=moment(view.until, zone, locale, texts),
        by=view.blocked_by or nobody,
        network=network if view.active else nobody,
        status=status,
    )


@get([PATH, f"{PATH}/"], name="pages:supervision_blocks", include_in_schema=False)
async def supervision_blocks_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database]
) -> Template | Redirect:
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in(PATH)
    locale = page_locale(request, me.locale)
    texts = page_texts(locale)
    supervised = [a for a in me.tenants if role_at_least(a.role, "supervisor")]
    context: dict[str, Any] = {"locale": locale, "t": texts, "me": me, "signed_in": True}
    if not supervised:
        return Template(
            template_name="supervision_blocks.html",
            context={**context, "title": texts["sv_forbidden_title"], "forbidden": True},
            status_code=403,
        )
    lines: list[LineBlocks] = []
    for access in supervised:
        async with db.tenant_transaction(access.organisation_id, staff_id=me.id) as conn:
            tenant = await read_tenant(conn, access.slug)
            views = await Blocks.listed(conn)
        zone_name = tenant.time_zone if tenant else "UTC"
        zone = zone_of(zone_name)
        lines.append(
            LineBlocks(
                slug=access.slug,
                name=access.name,
                zone=zone.key,
                rows=[block_row(view, zone, locale, texts) for view in views],
            )
        )
    return Template(
        template_name="supervision_blocks.html",
        context={
            **context,
            "title": texts["sv_blk_title"],
            "forbidden": False,
            "lines": lines,
            # Handed to blocks.js through a data attribute: autoescaped, no inline script.
            "texts_json": json.dumps(
                {k: v for k, v in texts.items() if k.startswith("sv_blk_js_")}
            ),
        },
    )
