"""The supervisor console page: a server-rendered shell whose scripts speak the console
socket's supervision frames (docs/supervision.md). Supervisors, admins and owners only."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from server.access import role_at_least
from server.db import Database
from server.staff.session import page_locale, signed_in, to_sign_in
from server.tenants.files import read_tenant
from server.words import page_texts

PATH = "/console/supervision"


@get([PATH, f"{PATH}/"], name="pages:supervision", include_in_schema=False)
async def supervision_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database]
) -> Template | Redirect:
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in(PATH)
    locale = page_locale(request, me.locale)
    texts = page_texts(locale)
    lines = [a for a in me.tenants if role_at_least(a.role, "supervisor")]
    # Each line's name and its teams' names: the list and the alerts name, never show slugs.
    names: dict[str, dict[str, Any]] = {}
    for access in lines:
        async with db.tenant_transaction(access.organisation_id, staff_id=me.id) as conn:
            tenant = await read_tenant(conn, access.slug)
        teams = {team.slug: team.name for team in tenant.teams} if tenant else {}
        names[access.slug] = {"name": access.name, "teams": teams}
    context = {"locale": locale, "t": texts, "me": me, "signed_in": True, "lines": lines}
    if not lines:
        # A listener has nothing to supervise: say so, with the way back.
        return Template(
            template_name="supervision.html",
            context={**context, "title": texts["sv_forbidden_title"], "forbidden": True},
            status_code=403,
        )
    return Template(
        template_name="supervision.html",
        context={
            **context,
            "title": texts["sv_title"],
            "forbidden": False,
            # Handed to the scripts through a data attribute: autoescaped, no inline script.
            # The triage's reason labels are the console's (one vocabulary).
            "texts_json": json.dumps(
                {k: v for k, v in texts.items() if k.startswith(("sv_js_", "con_js_reason_"))}
            ),
            "lines_json": json.dumps(names),
        },
    )
