"""Row-level security against real PostgreSQL: through the application pool (role havre_app),
a transaction scoped to one tenant reads and writes that tenant's rows and no one else's."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeAlias
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest
from asyncpg.exceptions import InsufficientPrivilegeError

from server.conversations.repository import RISK_ORDER, Q
from server.db import Database
from server.settings import Settings
from tests.conftest import MakeStaff, MakeTenant

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
RLS_REFUSAL = "new row violates row-level security policy"


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    id: UUID
    admin: UUID  # the tenant file's admin_email: an owner membership, no team


@dataclass(frozen=True)
class Tenant(Organisation):
    listener: UUID  # a make_staff listener, member of the tenant's team
    listener_email: str
    team: UUID
    conversation: UUID
    session: UUID  # the listener's staff session


@dataclass(frozen=True)
class World:
    a: Tenant
    b: Tenant
    c: Organisation  # A grants C a partnership; B is involved in none


async def _organisation(owner: Owner, make_tenant: MakeTenant) -> Organisation:
    tenant = await make_tenant()  # teams, opening hours, a referral, canned replies, admin
    return Organisation(
        slug=tenant.slug,
        name=tenant.name,
        id=await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", tenant.slug),
        admin=await owner.fetchval(
            "SELECT id FROM staff_users WHERE email = $1", tenant.admin_email
        ),
    )


async def _populate(owner: Owner, make_tenant: MakeTenant, make_staff: MakeStaff) -> Tenant:
    """A tenant with at least one row in every tenant table, written as the tables' owner."""
    tenant = await _organisation(owner, make_tenant)
    org = tenant.id
    email = await make_staff(tenant.slug, "listener")
    listener = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    team = await owner.fetchval("SELECT id FROM teams WHERE organisation_id = $1", org)
    await owner.execute(
        "INSERT INTO team_members (organisation_id, team_id, staff_id) VALUES ($1, $2, $3)",
        org,
        team,
        listener,
    )
    await owner.execute(
        "INSERT INTO opening_exceptions (organisation_id, day) VALUES ($1, $2)",
        org,
        date(2030, 12, 25),
    )
    conversation = await owner.fetchval(
        """INSERT INTO conversations (organisation_id, team_id, state, locale, listener_id,
               last_seq, assigned_at)
           VALUES ($1, $2, 'active', 'fr', $3, 1, now()) RETURNING id""",
        org,
        team,
        listener,
    )
    await owner.execute(
        """INSERT INTO messages (organisation_id, conversation_id, seq, client_id, author_kind,
               key_id, body)
           VALUES ($1, $2, 1, $3, 'visitor', 'k1', $4)""",
        org,
        conversation,
        uuid4(),
        secrets.token_bytes(32),
    )
    await owner.execute(
        "INSERT INTO audit_log (organisation_id, actor_id, action, target) VALUES ($1, $2, $3, $4)",
        org,
        tenant.admin,
        "staff.added",
        email,
    )
    await owner.execute(
        "INSERT INTO closed_attempts (organisation_id, day, attempts) VALUES ($1, current_date, 3)",
        org,
    )
    await owner.execute(
        "INSERT INTO refused_starts (organisation_id, day, reason, starts) "
        "VALUES ($1, current_date, 'blocked', 2)",
        org,
    )
    await owner.execute(
        "INSERT INTO visitor_blocks (organisation_id, conversation_id, device_hash, reason, until)"
        " VALUES ($1, $2, $3, 'abuse', now() + interval '1 day')",
        org,
        conversation,
        secrets.token_hex(32),
    )
    await owner.execute(
        "INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, expires_at)"
        " VALUES ($1, $2, 'listener', $3, $4, $5)",
        org,
        f"invitee-{secrets.token_hex(4)}@example.org",
        secrets.token_hex(32),
        tenant.admin,
        datetime.now(UTC) + timedelta(days=7),
    )
    session = uuid4()
    await owner.execute(
        "INSERT INTO staff_sessions (id, staff_id, family_id, expires_at) VALUES ($1, $2, $3, $4)",
        session,
        listener,
        uuid4(),
        datetime.now(UTC) + timedelta(days=1),
    )
    await owner.execute(
        "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2), ($1, $3)",
        listener,
        secrets.token_hex(32),
        secrets.token_hex(32),
    )
    return Tenant(
        slug=tenant.slug,
        name=tenant.name,
        id=org,
        admin=tenant.admin,
        listener=listener,
        listener_email=email,
        team=team,
        conversation=conversation,
        session=session,
    )


@pytest.fixture
async def world(owner: Owner, make_tenant: MakeTenant, make_staff: MakeStaff) -> World:
    a = await _populate(owner, make_tenant, make_staff)
    b = await _populate(owner, make_tenant, make_staff)
    c = await _organisation(owner, make_tenant)
    await owner.execute(
        "INSERT INTO partnerships (host_id, partner_id) VALUES ($1, $2)", a.id, c.id
    )
    return World(a=a, b=b, c=c)


def _key() -> str:
    return f"x{secrets.token_hex(4)}"


Insert = Callable[[Tenant, Tenant], tuple[str, tuple[Any, ...]]]


@dataclass(frozen=True)
class Table:
    """A table holding one tenant's rows, and how to write a valid row into it."""

    name: str
    tenant_column: str
    key: tuple[str, ...]
    change: str  # an assignment that alters a row
    # A row that would be valid for `target` (other: the tenant asking), as SQL and arguments.
    insert: Insert

    def __str__(self) -> str:
        return self.name


TABLES = [
    Table(
        "organisations",
        "id",
        ("id",),
        "name = 'Hijacked'",
        # A new organisation is a tenant other than the current one.
        lambda target, other: (
            "INSERT INTO organisations (id, slug, name, kind, admin_email) "
            "VALUES ($1, $2, 'Intruder', 'other', 'intruder@example.org')",
            (uuid4(), f"intruder-{secrets.token_hex(4)}"),
        ),
    ),
    Table(
        "memberships",
        "organisation_id",
        ("organisation_id", "staff_id"),
        "role = 'owner', is_active = false",
        lambda target, other: (
            "INSERT INTO memberships (organisation_id, staff_id, role) VALUES ($1, $2, 'admin')",
            (target.id, other.listener),
        ),
    ),
    Table(
        "teams",
        "organisation_id",
        ("id",),
        "name = 'Hijacked'",
        lambda target, other: (
            "INSERT INTO teams (organisation_id, slug, name) VALUES ($1, $2, 'Intruders')",
            (target.id, _key()),
        ),
    ),
    Table(
        "team_members",
        "organisation_id",
        ("team_id", "staff_id"),
        "staff_id = staff_id",
        lambda target, other: (
            "INSERT INTO team_members (organisation_id, team_id, staff_id) VALUES ($1, $2, $3)",
            (target.id, target.team, target.admin),
        ),
    ),
    Table(
        "opening_hours",
        "organisation_id",
        ("id",),
        "closes = '23:59'",
        lambda target, other: (
            "INSERT INTO opening_hours (organisation_id, weekday, opens, closes) "
            "VALUES ($1, 7, $2, $3)",
            (target.id, time(10), time(12)),
        ),
    ),
    Table(
        "opening_exceptions",
        "organisation_id",
        ("id",),
        "day = day + 1",
        lambda target, other: (
            "INSERT INTO opening_exceptions (organisation_id, day) VALUES ($1, $2)",
            (target.id, date(2031, 1, 1)),
        ),
    ),
    Table(
        "referrals",
        "organisation_id",
        ("id",),
        "phone = '0000', is_hidden = true",
        lambda target, other: (
            "INSERT INTO referrals (organisation_id, key, position, name, phone) "
            "VALUES ($1, $2, 99, 'Intruder', '0000')",
            (target.id, _key()),
        ),
    ),
    Table(
        "canned_replies",
        "organisation_id",
        ("id",),
        "body = 'Hijacked'",
        lambda target, other: (
            "INSERT INTO canned_replies (organisation_id, key, locale, title, body) "
            "VALUES ($1, $2, 'fr', 'Intrus', 'Intrus')",
            (target.id, _key()),
        ),
    ),
    Table(
        "conversations",
        "organisation_id",
        ("id",),
        "state = 'ended', ended_at = now()",
        lambda target, other: (
            "INSERT INTO conversations (organisation_id, locale) VALUES ($1, 'en')",
            (target.id,),
        ),
    ),
    Table(
        "messages",
        "organisation_id",
        ("conversation_id", "seq"),
        "key_id = 'hijacked', body = '\\x00'::bytea",
        lambda target, other: (
            "INSERT INTO messages (organisation_id, conversation_id, seq, client_id, "
            "author_kind, key_id, body) VALUES ($1, $2, 2, $3, 'visitor', 'k1', $4)",
            (target.id, target.conversation, uuid4(), b"ciphertext"),
        ),
    ),
    Table(
        "audit_log",
        "organisation_id",
        ("id",),
        "action = 'hijacked'",
        lambda target, other: (
            "INSERT INTO audit_log (organisation_id, action) VALUES ($1, 'intrusion')",
            (target.id,),
        ),
    ),
    Table(
        "invitations",
        "organisation_id",
        ("id",),
        "role = 'admin', expires_at = expires_at + interval '1 year'",
        lambda target, other: (
            "INSERT INTO invitations (organisation_id, email, role, token_hash, expires_at) "
            "VALUES ($1, $2, 'admin', $3, now() + interval '1 day')",
            (target.id, f"{_key()}@example.org", secrets.token_hex(32)),
        ),
    ),
    Table(
        "closed_attempts",
        "organisation_id",
        ("organisation_id", "day"),  # a day is not unique across tenants
        "attempts = 999",
        lambda target, other: (
            "INSERT INTO closed_attempts (organisation_id, day, attempts) "
            "VALUES ($1, current_date - 400, 1)",
            (target.id,),
        ),
    ),
    Table(
        "refused_starts",
        "organisation_id",
        ("organisation_id", "day", "reason"),
        "starts = 999",
        lambda target, other: (
            "INSERT INTO refused_starts (organisation_id, day, reason, starts) "
            "VALUES ($1, current_date - 400, 'fair_use', 1)",
            (target.id,),
        ),
    ),
    Table(
        "visitor_blocks",
        "organisation_id",
        ("id",),
        "until = until + interval '1 year', lifted_at = NULL",
        lambda target, other: (
            "INSERT INTO visitor_blocks (organisation_id, reason, until) "
            "VALUES ($1, 'spam', now() + interval '1 hour')",
            (target.id,),
        ),
    ),
]
# The application may not update or delete audit_log rows at all, nor delete organisations
# or out-of-hours counts, refused starts and blocks (see the append-only tests).
UPDATABLE_TABLES = [t for t in TABLES if t.name != "audit_log"]
DELETABLE_TABLES = [
    t
    for t in UPDATABLE_TABLES
    if t.name not in ("organisations", "closed_attempts", "refused_starts", "visitor_blocks")
]
# Tables readable only through a tenant or a staff member; with neither set they read as empty.
SCOPED_TABLES = [t.name for t in TABLES] + [
    "partnerships",
    "staff_users",
    "staff_sessions",
    "staff_recovery_codes",
]


def _where(key: tuple[str, ...]) -> str:
    return " AND ".join(f"{column} = ${i}" for i, column in enumerate(key, start=1))


async def _keys(owner: Owner, table: Table, tenant: Tenant) -> list[tuple[Any, ...]]:
    rows = await owner.fetch(
        f"SELECT {', '.join(table.key)} FROM {table.name} WHERE {table.tenant_column} = $1",
        tenant.id,
    )
    return [tuple(row) for row in rows]


async def _snapshot(owner: Owner, table: Table, tenant: Tenant) -> list[tuple[Any, ...]]:
    rows = await owner.fetch(
        f"SELECT * FROM {table.name} WHERE {table.tenant_column} = $1 "
        f"ORDER BY {', '.join(table.key)}",
        tenant.id,
    )
    return [tuple(row) for row in rows]


def _count(status: str) -> int:
    """Rows affected, from a command tag such as 'UPDATE 0'."""
    return int(status.rsplit(" ", 1)[1])


# The application role ----------------------------------------------------------------------


async def test_application_role_owns_no_table_and_cannot_bypass_rls(db: Database) -> None:
    async with db.transaction() as conn:
        role = await conn.fetchrow(
            "SELECT current_user AS name, r.rolsuper, r.rolbypassrls "
            "FROM pg_roles r WHERE r.rolname = current_user"
        )
        owned = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner = current_user"
        )
        tables = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert role is not None
    assert role["name"] == "havre_app"
    assert role["rolsuper"] is False
    assert role["rolbypassrls"] is False
    assert tables >= len(SCOPED_TABLES)
    assert [r["tablename"] for r in owned] == []


async def test_every_table_with_a_tenant_or_staff_column_has_row_level_security(
    owner: Owner,
) -> None:
    rows = await owner.fetch(
        """SELECT c.relname AS name, c.relrowsecurity AS rls,
                  (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND c.relname <> 'schema_migrations'
              AND EXISTS (SELECT 1 FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND NOT a.attisdropped
                             AND a.attname IN ('organisation_id', 'host_id', 'staff_id'))
            ORDER BY c.relname"""
    )
    found = {r["name"] for r in rows}
    assert {t.name for t in TABLES if t.tenant_column == "organisation_id"} <= found
    assert {"partnerships", "staff_sessions", "staff_recovery_codes"} <= found
    unprotected = [r["name"] for r in rows if not r["rls"] or r["policies"] == 0]
    assert unprotected == []


async def test_organisations_and_staff_users_have_row_level_security(owner: Owner) -> None:
    rows = await owner.fetch(
        """SELECT c.relname AS name, c.relrowsecurity AS rls,
                  (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relname IN ('organisations', 'staff_users')
            ORDER BY c.relname"""
    )
    assert [(r["name"], r["rls"], r["policies"] > 0) for r in rows] == [
        ("organisations", True, True),
        ("staff_users", True, True),
    ]


# Tenant tables, one test case per table -----------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=str)
async def test_tenant_reads_only_its_own_rows(
    db: Database, owner: Owner, world: World, table: Table
) -> None:
    a, b = world.a, world.b
    own = await _keys(owner, table, a)
    others = await _keys(owner, table, b)
    assert own, f"no row of A in {table}"
    assert others, f"no row of B in {table}"

    async with db.tenant_transaction(a.id) as conn:
        visible = await conn.fetch(f"SELECT {table.tenant_column} AS tenant FROM {table.name}")
        by_tenant = await conn.fetchval(
            f"SELECT count(*) FROM {table.name} WHERE {table.tenant_column} = $1", b.id
        )
        by_key = [
            await conn.fetchval(f"SELECT count(*) FROM {table.name} WHERE {_where(table.key)}", *k)
            for k in others
        ]

    assert {r["tenant"] for r in visible} == {a.id}
    assert len(visible) == len(own)
    assert by_tenant == 0
    assert by_key == [0] * len(others)


@pytest.mark.parametrize("table", UPDATABLE_TABLES, ids=str)
async def test_rows_of_another_tenant_cannot_be_updated(
    db: Database, owner: Owner, world: World, table: Table
) -> None:
    a, b = world.a, world.b
    others = await _keys(owner, table, b)
    before = await _snapshot(owner, table, b)

    async with db.tenant_transaction(a.id) as conn:
        updated = [
            await conn.execute(
                f"UPDATE {table.name} SET {table.change} WHERE {_where(table.key)}", *k
            )
            for k in others
        ]
        updated.append(
            await conn.execute(
                f"UPDATE {table.name} SET {table.change} WHERE {table.tenant_column} = $1", b.id
            )
        )

    assert [_count(status) for status in updated] == [0] * (len(others) + 1)
    assert await _snapshot(owner, table, b) == before


@pytest.mark.parametrize("table", DELETABLE_TABLES, ids=str)
async def test_rows_of_another_tenant_cannot_be_deleted(
    db: Database, owner: Owner, world: World, table: Table
) -> None:
    a, b = world.a, world.b
    others = await _keys(owner, table, b)
    before = await _snapshot(owner, table, b)

    async with db.tenant_transaction(a.id) as conn:
        deleted = [
            await conn.execute(f"DELETE FROM {table.name} WHERE {_where(table.key)}", *k)
            for k in others
        ]
        deleted.append(
            await conn.execute(f"DELETE FROM {table.name} WHERE {table.tenant_column} = $1", b.id)
        )

    assert [_count(status) for status in deleted] == [0] * (len(others) + 1)
    assert await _snapshot(owner, table, b) == before


@pytest.mark.parametrize("table", TABLES, ids=str)
async def test_rows_cannot_be_inserted_for_another_tenant(
    db: Database, owner: Owner, world: World, table: Table
) -> None:
    a, b = world.a, world.b
    before = await _snapshot(owner, table, b)
    sql, args = table.insert(b, a)

    with pytest.raises(InsufficientPrivilegeError, match=RLS_REFUSAL):
        async with db.tenant_transaction(a.id) as conn:
            await conn.execute(sql, *args)

    assert await _snapshot(owner, table, b) == before
    if table.name != "organisations":
        # The same row written for the current tenant is accepted: only the tenant was wrong.
        sql, args = table.insert(a, b)
        async with db.tenant_transaction(a.id) as conn:
            assert _count(await conn.execute(sql, *args)) == 1


@pytest.mark.parametrize("table", TABLES, ids=str)
async def test_rows_cannot_be_moved_to_another_tenant(
    db: Database, owner: Owner, world: World, table: Table
) -> None:
    a, b = world.a, world.b
    key = (await _keys(owner, table, a))[0]
    before = await _snapshot(owner, table, a)

    with pytest.raises(InsufficientPrivilegeError):
        async with db.tenant_transaction(a.id) as conn:
            await conn.execute(
                f"UPDATE {table.name} SET {table.tenant_column} = ${len(key) + 1} "
                f"WHERE {_where(table.key)}",
                *key,
                b.id,
            )

    assert await _snapshot(owner, table, a) == before


@pytest.mark.parametrize("table", SCOPED_TABLES)
async def test_without_a_tenant_every_scoped_table_reads_as_empty(
    db: Database, owner: Owner, world: World, table: str
) -> None:
    assert await owner.fetchval(f"SELECT count(*) FROM {table}") > 0

    async with db.transaction() as conn:
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0


async def test_a_transaction_left_open_is_rolled_back_before_the_connection_is_reused(
    settings: Settings, owner: Owner, world: World
) -> None:
    """The pool skips asyncpg's session reset (server/db.py) but not its rollback: work a
    released connection left uncommitted must not be committed by the next transaction."""
    db = await Database.connect(msgspec.structs.replace(settings.database, pool_min=1, pool_max=1))
    try:
        async with db.pool.acquire() as conn:
            pid = await conn.fetchval("SELECT pg_backend_pid()")
            await conn.execute(f"BEGIN; SELECT set_config('havre.tenant_id', '{world.a.id}', true)")
            await conn.execute(
                "UPDATE conversations SET topic = 'left-open' WHERE id = $1", world.a.conversation
            )
        async with db.tenant_transaction(world.a.id) as conn:
            assert await conn.fetchval("SELECT pg_backend_pid()") == pid  # the same connection
            assert await conn.fetchval("SELECT count(*) FROM conversations") > 0
    finally:
        await db.close()

    topic = await owner.fetchval(
        "SELECT topic FROM conversations WHERE id = $1", world.a.conversation
    )
    assert topic != "left-open"


async def test_the_one_round_trip_append_reaches_only_its_own_tenant(
    settings: Settings, owner: Owner, world: World
) -> None:
    """havre_append_message (migration 0007) sets the tenant scope itself: scoped to A, it
    cannot add to B's conversation, and the scope ends with the call's own transaction."""
    a, b = world.a, world.b
    before = await owner.fetchval(
        "SELECT last_seq FROM conversations WHERE id = $1", b.conversation
    )
    db = await Database.connect(msgspec.structs.replace(settings.database, pool_min=1, pool_max=1))
    try:
        args = ("listener", a.listener, "text", False, "none", [], list(RISK_ORDER), "k", b"x")
        assert (
            await db.self_scoped(Q["append_message"], a.id, b.conversation, uuid4(), *args) is None
        )
        stored = await db.self_scoped(Q["append_message"], a.id, a.conversation, uuid4(), *args)
        assert stored is not None
        assert stored["seq"] > 0
        async with db.pool.acquire() as conn:  # the same connection, outside any transaction
            assert not await conn.fetchval("SELECT current_setting('havre.tenant_id', true)")
    finally:
        await db.close()

    assert (
        await owner.fetchval("SELECT last_seq FROM conversations WHERE id = $1", b.conversation)
        == before
    )
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM messages WHERE conversation_id = $1 AND key_id = 'k'",
            b.conversation,
        )
        == 0
    )


# Staff accounts and sessions ----------------------------------------------------------------


async def test_staff_of_another_tenant_are_invisible(db: Database, world: World) -> None:
    a, b = world.a, world.b

    async with db.tenant_transaction(a.id) as conn:
        visible = {r["id"] for r in await conn.fetch("SELECT id FROM staff_users")}
        by_email = await conn.fetch("SELECT id FROM staff_users WHERE email = $1", b.listener_email)
        updated = await conn.execute(
            "UPDATE staff_users SET display_name = 'Hijacked' WHERE id = ANY($1::uuid[])",
            [b.admin, b.listener],
        )

    assert {a.admin, a.listener} <= visible
    assert visible.isdisjoint({b.admin, b.listener, world.c.admin})
    assert by_email == []
    assert _count(updated) == 0


async def test_staff_member_without_a_tenant_sees_only_their_own_account(
    db: Database, world: World
) -> None:
    a = world.a

    async with db.transaction(staff_id=a.listener) as conn:
        visible = [r["id"] for r in await conn.fetch("SELECT id FROM staff_users")]

    assert visible == [a.listener]


async def test_staff_member_sees_only_their_own_sessions(
    db: Database, owner: Owner, world: World
) -> None:
    a, b = world.a, world.b
    own = await owner.fetchval(
        "SELECT count(*) FROM staff_sessions WHERE staff_id = $1", a.listener
    )

    async with db.transaction(tenant_id=a.id, staff_id=a.listener) as conn:
        visible = await conn.fetch("SELECT id, staff_id FROM staff_sessions")
        by_id = await conn.fetch("SELECT id FROM staff_sessions WHERE id = $1", b.session)
        revoked = await conn.execute(
            "UPDATE staff_sessions SET revoked_at = now() WHERE id = $1", b.session
        )

    assert {r["staff_id"] for r in visible} == {a.listener}
    assert len(visible) == own
    assert a.session in {r["id"] for r in visible}
    assert by_id == []
    assert _count(revoked) == 0
    assert (
        await owner.fetchval("SELECT revoked_at FROM staff_sessions WHERE id = $1", b.session)
        is None
    )


async def test_staff_member_cannot_create_a_session_for_someone_else(
    db: Database, world: World
) -> None:
    a, b = world.a, world.b

    with pytest.raises(InsufficientPrivilegeError, match=RLS_REFUSAL):
        async with db.transaction(staff_id=a.listener) as conn:
            await conn.execute(
                "INSERT INTO staff_sessions (id, staff_id, family_id, expires_at) "
                "VALUES ($1, $2, $3, now() + interval '1 day')",
                uuid4(),
                b.listener,
                uuid4(),
            )


# Recovery codes belong to one account, not to a tenant: a listener serving several tenants
# has one set. They follow the sessions' rule (havre.staff_id), and a tenant alone sees none.


async def _recovery_codes(owner: Owner, staff_id: UUID) -> list[tuple[Any, ...]]:
    rows = await owner.fetch(
        "SELECT * FROM staff_recovery_codes WHERE staff_id = $1 ORDER BY code_hash", staff_id
    )
    return [tuple(row) for row in rows]


async def test_a_tenant_alone_sees_no_recovery_codes_not_even_its_members(
    db: Database, owner: Owner, world: World
) -> None:
    a = world.a
    assert await _recovery_codes(owner, a.listener)

    async with db.tenant_transaction(a.id) as conn:
        visible = await conn.fetchval("SELECT count(*) FROM staff_recovery_codes")
        used = await conn.execute(
            "UPDATE staff_recovery_codes SET used_at = now() WHERE staff_id = $1", a.listener
        )

    assert visible == 0
    assert _count(used) == 0


async def test_staff_member_sees_and_uses_only_their_own_recovery_codes(
    db: Database, owner: Owner, world: World
) -> None:
    a, b = world.a, world.b
    own = await _recovery_codes(owner, a.listener)
    theirs = await _recovery_codes(owner, b.listener)
    code_of_b = theirs[0][1]

    async with db.transaction(tenant_id=a.id, staff_id=a.listener) as conn:
        visible = await conn.fetch("SELECT staff_id, code_hash FROM staff_recovery_codes")
        by_hash = await conn.fetch(
            "SELECT 1 FROM staff_recovery_codes WHERE code_hash = $1", code_of_b
        )
        used = await conn.execute(
            "UPDATE staff_recovery_codes SET used_at = now() WHERE staff_id = $1", b.listener
        )
        deleted = await conn.execute(
            "DELETE FROM staff_recovery_codes WHERE staff_id = $1", b.listener
        )

    assert sorted((r["staff_id"], r["code_hash"]) for r in visible) == sorted(
        (r[0], r[1]) for r in own
    )
    assert by_hash == []
    assert (_count(used), _count(deleted)) == (0, 0)
    assert await _recovery_codes(owner, b.listener) == theirs


async def test_staff_member_cannot_add_recovery_codes_to_someone_else(
    db: Database, owner: Owner, world: World
) -> None:
    a, b = world.a, world.b
    before = await _recovery_codes(owner, b.listener)

    with pytest.raises(InsufficientPrivilegeError, match=RLS_REFUSAL):
        async with db.transaction(staff_id=a.listener) as conn:
            await conn.execute(
                "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)",
                b.listener,
                secrets.token_hex(32),
            )

    assert await _recovery_codes(owner, b.listener) == before


# Partnerships --------------------------------------------------------------------------------


async def test_partnership_is_visible_to_host_and_partner_only(db: Database, world: World) -> None:
    a, b, c = world.a, world.b, world.c
    seen: dict[str, list[tuple[UUID, UUID]]] = {}
    for label, tenant in (("host", a), ("partner", c), ("unrelated", b)):
        async with db.tenant_transaction(tenant.id) as conn:
            rows = await conn.fetch("SELECT host_id, partner_id FROM partnerships")
        seen[label] = [(r["host_id"], r["partner_id"]) for r in rows]

    assert seen == {"host": [(a.id, c.id)], "partner": [(a.id, c.id)], "unrelated": []}


async def test_partner_cannot_change_or_revoke_a_grant(
    db: Database, owner: Owner, world: World
) -> None:
    a, b, c = world.a, world.b, world.c

    async with db.tenant_transaction(c.id) as conn:
        widened = await conn.execute(
            "UPDATE partnerships SET team_ids = NULL, partner_id = $3 "
            "WHERE host_id = $1 AND partner_id = $2",
            a.id,
            c.id,
            b.id,
        )
        revoked = await conn.execute(
            "DELETE FROM partnerships WHERE host_id = $1 AND partner_id = $2", a.id, c.id
        )

    assert (_count(widened), _count(revoked)) == (0, 0)
    rows = await owner.fetch(
        "SELECT host_id, partner_id FROM partnerships WHERE host_id = $1", a.id
    )
    assert [(r["host_id"], r["partner_id"]) for r in rows] == [(a.id, c.id)]

    # The host can revoke the very same grant.
    async with db.tenant_transaction(a.id) as conn:
        revoked = await conn.execute(
            "DELETE FROM partnerships WHERE host_id = $1 AND partner_id = $2", a.id, c.id
        )
    assert _count(revoked) == 1


async def test_tenant_cannot_grant_itself_access_to_another_host(
    db: Database, owner: Owner, world: World
) -> None:
    b, c = world.b, world.c

    with pytest.raises(InsufficientPrivilegeError, match=RLS_REFUSAL):
        async with db.tenant_transaction(c.id) as conn:
            await conn.execute(
                "INSERT INTO partnerships (host_id, partner_id) VALUES ($1, $2)", b.id, c.id
            )

    assert await owner.fetchval("SELECT count(*) FROM partnerships WHERE host_id = $1", b.id) == 0


# The audit log -------------------------------------------------------------------------------


async def test_audit_log_is_append_only_for_the_application(
    db: Database, owner: Owner, world: World
) -> None:
    a = world.a
    async with db.tenant_transaction(a.id) as conn:
        await conn.execute(
            "INSERT INTO audit_log (organisation_id, action) VALUES ($1, 'tenant.viewed')", a.id
        )
        own = await conn.fetchval("SELECT count(*) FROM audit_log")
    before = await owner.fetch(
        "SELECT * FROM audit_log WHERE organisation_id = $1 ORDER BY id", a.id
    )
    assert own == len(before) == 2

    for statement in (
        "UPDATE audit_log SET action = 'rewritten' WHERE organisation_id = $1",
        "DELETE FROM audit_log WHERE organisation_id = $1",
    ):
        with pytest.raises(InsufficientPrivilegeError, match="permission denied"):
            async with db.tenant_transaction(a.id) as conn:
                await conn.execute(statement, a.id)

    after = await owner.fetch(
        "SELECT * FROM audit_log WHERE organisation_id = $1 ORDER BY id", a.id
    )
    assert after == before


async def test_tenant_cannot_delete_its_organisation_and_with_it_the_audit_log(
    db: Database, owner: Owner, world: World
) -> None:
    a = world.a
    before = await owner.fetch("SELECT * FROM audit_log WHERE organisation_id = $1", a.id)
    assert before

    with pytest.raises(InsufficientPrivilegeError, match="permission denied"):
        async with db.tenant_transaction(a.id) as conn:
            await conn.execute("DELETE FROM organisations WHERE id = $1", a.id)

    assert await owner.fetchval("SELECT count(*) FROM organisations WHERE id = $1", a.id) == 1
    assert await owner.fetch("SELECT * FROM audit_log WHERE organisation_id = $1", a.id) == before


# Lookups across the tenant boundary ----------------------------------------------------------


async def test_tenant_by_slug_answers_without_a_tenant(db: Database, world: World) -> None:
    a = world.a

    async with db.transaction() as conn:
        direct = await conn.fetch("SELECT id FROM organisations WHERE slug = $1", a.slug)
        rows = await conn.fetch("SELECT * FROM havre_tenant_by_slug($1)", a.slug)
        unknown = await conn.fetch("SELECT * FROM havre_tenant_by_slug('no-such-tenant')")

    assert direct == []
    assert [dict(r) for r in rows] == [
        {"id": a.id, "slug": a.slug, "name": a.name, "default_locale": "fr"}
    ]
    assert unknown == []


async def test_organisation_public_answers_without_a_tenant(db: Database, world: World) -> None:
    b = world.b

    async with db.transaction() as conn:
        rows = await conn.fetch("SELECT * FROM havre_organisation_public($1)", b.id)

    assert [dict(r) for r in rows] == [{"id": b.id, "slug": b.slug, "name": b.name}]


async def test_staff_credentials_answer_without_a_tenant(db: Database, world: World) -> None:
    a = world.a

    async with db.transaction() as conn:
        rows = await conn.fetch(
            "SELECT * FROM havre_staff_credentials($1)", a.listener_email.upper()
        )

    assert len(rows) == 1
    assert list(rows[0].keys()) == ["id", "password_hash", "is_active"]
    assert rows[0]["id"] == a.listener
    assert rows[0]["password_hash"].startswith("$argon2")
    assert rows[0]["is_active"] is True


async def test_staff_access_lists_own_and_partner_tenants_without_a_tenant(
    db: Database, world: World, make_staff: MakeStaff, owner: Owner
) -> None:
    a, c = world.a, world.c
    email = await make_staff(c.slug, "supervisor")
    supervisor = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)

    async with db.transaction() as conn:
        listener = await conn.fetch("SELECT * FROM havre_staff_access($1)", a.listener)
        partner = await conn.fetch(
            "SELECT * FROM havre_staff_access($1) ORDER BY via_partner NULLS FIRST", supervisor
        )

    assert [dict(r) for r in listener] == [
        {
            "organisation_id": a.id,
            "slug": a.slug,
            "name": a.name,
            "role": "listener",
            "via_partner": None,
            "team_ids": None,
        }
    ]
    assert [tuple(r) for r in partner] == [
        (c.id, c.slug, c.name, "supervisor", None, None),
        (a.id, a.slug, a.name, "supervisor", c.id, None),
    ]


# The functions that run as the tables' owner (SECURITY DEFINER) see past every policy: each
# returns exactly what it declares here. Widening one, or adding one, must fail this test and be
# reviewed: none may return message or conversation content.
SECURITY_DEFINER_RESULTS = {
    "havre_tenant_by_slug(p_slug text)": (
        "TABLE(id uuid, slug text, name text, default_locale text)"
    ),
    "havre_organisation_public(p_id uuid)": "TABLE(id uuid, slug text, name text)",
    "havre_staff_credentials(p_email text)": (
        "TABLE(id uuid, password_hash text, is_active boolean)"
    ),
    "havre_staff_access(p_staff uuid)": (
        "TABLE(organisation_id uuid, slug text, name text, role text, via_partner uuid,"
        " team_ids uuid[])"
    ),
    "havre_listener_load(p_staff uuid)": "integer",
    "havre_live_tenants()": "SETOF uuid",
    "havre_tenant_staff(p_tenant uuid)": (
        "TABLE(staff_id uuid, role text, via_partner uuid, team_ids uuid[], capacity integer)"
    ),
    "havre_tenant_staff_names(p_ids uuid[])": "TABLE(staff_id uuid, name text)",
    "havre_invitation_by_token(p_token_hash text)": (
        "TABLE(id uuid, organisation_id uuid, organisation_name text, email text, role text,"
        " locale text, expires_at timestamp with time zone, has_account boolean)"
    ),
    "havre_create_invited_staff(p_invitation uuid, p_display_name text, p_locale text,"
    " p_password_hash text)": "uuid",
    "havre_revoke_member_sessions(p_staff uuid)": "SETOF uuid",
    "havre_audit_actors(p_ids uuid[], p_email text)": (
        "TABLE(id uuid, email text, display_name text)"
    ),
}


async def test_cross_tenant_functions_return_only_what_they_declare(owner: Owner) -> None:
    rows = await owner.fetch(
        """SELECT p.proname || '(' || pg_get_function_arguments(p.oid) || ')' AS signature,
                  pg_get_function_result(p.oid) AS result,
                  array_append(coalesce((SELECT array_agg(format_type(t, NULL))
                                           FROM unnest(p.proallargtypes) t), '{}'),
                               format_type(p.prorettype, NULL)) AS all_types
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.prosecdef"""
    )

    assert {r["signature"]: r["result"] for r in rows} == SECURITY_DEFINER_RESULTS
    # Message bodies and TOTP secrets are stored as bytea: no such value leaves these functions.
    assert [r["signature"] for r in rows if "bytea" in r["all_types"]] == []
