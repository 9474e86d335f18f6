"""Tenants as files: the demo files, apply (create, update, idempotence), export, refusals."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest

from server.db import _init_connection
from server.migrate import migrate
from server.tenants.files import (
    TenantFileError,
    apply_tenants,
    canonical,
    load_tenant_files,
    parse_tenant_file,
    read_tenant,
    to_toml,
)
from server.tenants.structs import WEEKDAYS, Branding, PartnerGrant, ReferralName, TenantFile
from tests.conftest import (
    REPO,
    MakeTenant,
    Servers,
    create_database,
    drop_database,
    tenant_file,
    unique_slug,
)

DEMO = REPO / "tenants"
DEMO_FILES = sorted(DEMO.glob("*.toml"))
DEMO_SLUGS = [path.stem for path in DEMO_FILES]

# The national lines every demo tenant must offer, how they are reached, and when: every day,
# from one hour to another (0 to 24: round the clock). These are the services' published hours,
# not the files' wording.
ROUND_THE_CLOCK = (0, 24)
FRENCH_NUMBERS = {
    "3114": ("phone", ROUND_THE_CLOCK),  # suicide prevention
    "09 72 39 40 50": ("phone", ROUND_THE_CLOCK),  # SOS Amitié
    "01 45 39 40 00": ("phone", ROUND_THE_CLOCK),  # Suicide Écoute
    "0 800 235 236": ("phone", (9, 23)),  # Fil Santé Jeunes
    "15": ("phone", ROUND_THE_CLOCK),  # SAMU
    "112": ("phone", ROUND_THE_CLOCK),  # European emergency number
    "114": ("sms", ROUND_THE_CLOCK),  # emergencies by text message
    "119": ("phone", ROUND_THE_CLOCK),  # Allô Enfance en Danger
    "3919": ("phone", ROUND_THE_CLOCK),  # Violences Femmes Info
}


_SEVEN_DAYS_FR = r"7\s*j\w*\s*(/|sur)\s*7"


def daily_hours(text: str, locale: str) -> tuple[int, int] | None:
    """The daily opening a referral's hours text states, as (from, to) hours; None if unclear."""
    text = text.lower()
    if locale == "fr":
        every_day = "tous les jours" in text or re.search(_SEVEN_DAYS_FR, text)
        if every_day and re.search(r"24\s*h?\s*(/|sur)\s*24", text):
            return ROUND_THE_CLOCK
        span = re.search(r"(\d{1,2})\s*h\s*(?:à|-|–)\s*(\d{1,2})\s*h", text)
        return (int(span[1]), int(span[2])) if every_day and span else None
    every_day = "every day" in text or "7 days a week" in text
    if re.search(r"\b24\s*/\s*7\b", text) or (every_day and "24 hours a day" in text):
        return ROUND_THE_CLOCK
    span = re.search(r"(\d{1,2})\s*(am|pm)\s*(?:to|-|–)\s*(\d{1,2})\s*(am|pm)", text)
    if not every_day or not span:
        return None
    start, end = (int(span[i]) % 12 + (12 if span[i + 1] == "pm" else 0) for i in (1, 3))
    return (start, end)


EMERGENCY_NUMBERS = {"3114", "15", "112", "114"}

_IN_TENANTS = "(SELECT id FROM organisations WHERE slug = ANY($1::text[]))"
# Every row a tenant file owns, with xmin: a row that was rewritten, even with the same
# values, shows a new version.
STATE_QUERIES = {
    "organisations": "SELECT o.xmin::text AS version, o.* FROM organisations o "
    "WHERE o.slug = ANY($1::text[]) ORDER BY o::text",
    "teams": "SELECT t.xmin::text AS version, t.* FROM teams t "
    f"WHERE t.organisation_id IN {_IN_TENANTS} ORDER BY t::text",
    "opening_hours": "SELECT t.xmin::text AS version, t.* FROM opening_hours t "
    f"WHERE t.organisation_id IN {_IN_TENANTS} ORDER BY t::text",
    "opening_exceptions": "SELECT t.xmin::text AS version, t.* FROM opening_exceptions t "
    f"WHERE t.organisation_id IN {_IN_TENANTS} ORDER BY t::text",
    "referrals": "SELECT t.xmin::text AS version, t.* FROM referrals t "
    f"WHERE t.organisation_id IN {_IN_TENANTS} ORDER BY t::text",
    "canned_replies": "SELECT t.xmin::text AS version, t.* FROM canned_replies t "
    f"WHERE t.organisation_id IN {_IN_TENANTS} ORDER BY t::text",
    "memberships": "SELECT t.xmin::text AS version, t.* FROM memberships t "
    f"WHERE t.organisation_id IN {_IN_TENANTS} ORDER BY t::text",
    "partnerships": "SELECT t.xmin::text AS version, t.* FROM partnerships t "
    f"WHERE t.host_id IN {_IN_TENANTS} OR t.partner_id IN {_IN_TENANTS} ORDER BY t::text",
    "staff_users": "SELECT t.xmin::text AS version, t.* FROM staff_users t WHERE t.id IN "
    f"(SELECT staff_id FROM memberships WHERE organisation_id IN {_IN_TENANTS}) "
    "ORDER BY t::text",
}

Rows = list[dict[str, Any]]


async def snapshot(conn: asyncpg.Connection[asyncpg.Record], slugs: list[str]) -> dict[str, Rows]:
    """Every stored row of these tenants, table by table."""
    return {
        table: [dict(row) for row in await conn.fetch(query, slugs)]
        for table, query in STATE_QUERIES.items()
    }


def without(rows: Rows, *columns: str) -> Rows:
    return [{k: v for k, v in row.items() if k not in columns} for row in rows]


async def connect_owner(url: str) -> asyncpg.Connection[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    await _init_connection(conn)
    return conn


def demo(slug: str) -> TenantFile:
    return parse_tenant_file(DEMO / f"{slug}.toml")


def demo_tenants() -> list[TenantFile]:
    tenants, errors = load_tenant_files(DEMO)
    assert errors == []
    return tenants


def line_of(text: str, fragment: str) -> int:
    """The 1-based line where fragment starts (it must occur exactly once)."""
    assert text.count(fragment) == 1, fragment
    return text[: text.index(fragment)].count("\n") + 1


def broken_copy(folder: Path, slug: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of a demo file with one edit, and the line the edit is on."""
    text = (DEMO / f"{slug}.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    broken = text.replace(old, new)
    return write_tenant_file(folder, slug, broken), line_of(broken, new)


def referral_index(where: str) -> str:
    """`referrals[sos-amitie].url` spelt with the demo association's index for that key."""
    keys = [r.key for r in demo("ecoute-nuit").referrals]
    return re.sub(r"referrals\[([a-z0-9-]+)\]", lambda m: f"referrals[{keys.index(m[1])}]", where)


def write_tenant_file(folder: Path, slug: str, text: str) -> Path:
    """Where a tenant file must live to be read back: <folder>/<slug>.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def reported_line(error: TenantFileError) -> int | None:
    match = re.search(r"\bline (\d+)\b", str(error))
    return int(match[1]) if match else None


@pytest.fixture
async def fresh(servers: Servers) -> AsyncIterator[asyncpg.Connection[asyncpg.Record]]:
    """The owner of a database of its own, for tests that apply the demo tenants' fixed slugs."""
    url = await create_database(servers.admin_url)
    try:
        await migrate(url)
        conn = await connect_owner(url)
        try:
            yield conn
        finally:
            await conn.close()
    finally:
        await drop_database(servers.admin_url, url)


@pytest.fixture(scope="module")
async def demo_db(servers: Servers) -> AsyncIterator[asyncpg.Connection[asyncpg.Record]]:
    """A database holding the applied demo folder; tests only read it."""
    url = await create_database(servers.admin_url)
    try:
        await migrate(url)
        conn = await connect_owner(url)
        try:
            report = await apply_tenants(conn, demo_tenants())
            assert sorted(report.created) == DEMO_SLUGS
            yield conn
        finally:
            await conn.close()
    finally:
        await drop_database(servers.admin_url, url)


# ── The demo files ───────────────────────────────────────────────────────────────────────


def test_demo_folder_holds_the_associations_and_the_university() -> None:
    tenants, errors = load_tenant_files(DEMO)
    assert errors == []
    assert {t.slug: t.kind for t in tenants} == {
        "ecoute-nuit": "association",
        "ligne-24h": "association",  # open at every hour: the demo always has a chat to try
        "univ-sante": "university",
    }
    assert [t.slug for t in tenants] == DEMO_SLUGS


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_demo_referrals_offer_the_french_national_lines_with_hours_and_topics(path: Path) -> None:
    tenant = parse_tenant_file(path)
    for number, (channel, hours) in FRENCH_NUMBERS.items():
        found = [r for r in tenant.referrals if getattr(r, channel) == number]
        assert len(found) == 1, f"{path.name}: {channel} {number} should appear once"
        referral = found[0]
        assert referral.hours is not None, f"{number} has no hours"
        stated = {
            "fr": daily_hours(referral.hours.fr, "fr"),
            "en": daily_hours(referral.hours.en, "en"),
        }
        assert stated == {"fr": hours, "en": hours}, f"{path.name}: {number} {referral.hours}"
        assert referral.topics, f"{number} has no topic"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("24h/24, 7j/7", "fr", ROUND_THE_CLOCK),
        ("24/7", "en", ROUND_THE_CLOCK),
        ("Tous les jours, de 9h à 23h", "fr", (9, 23)),
        ("Every day, 9 am to 11 pm", "en", (9, 23)),
        ("Du lundi au vendredi, de 9h à 23h", "fr", None),
        ("Weekdays, 9 am to 11 pm", "en", None),
        ("24h/24", "fr", None),
    ],
)
def test_referral_hours_are_read_as_the_daily_opening_they_state(
    text: str, locale: str, expected: tuple[int, int] | None
) -> None:
    assert daily_hours(text, locale) == expected


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_demo_emergency_numbers_are_flagged_and_listed_first(path: Path) -> None:
    tenant = parse_tenant_file(path)
    flagged = {r.phone or r.sms for r in tenant.referrals if r.emergency}
    assert flagged == EMERGENCY_NUMBERS
    order = [r.emergency for r in tenant.referrals]
    assert order == sorted(order, reverse=True)


def test_university_lets_ecoute_nuit_listeners_answer_all_its_chats() -> None:
    university = demo("univ-sante")
    assert university.kind == "university"
    assert university.partners == [PartnerGrant(organisation="ecoute-nuit", teams=None)]


def test_association_has_an_english_speaking_team_with_its_own_hours() -> None:
    association = demo("ecoute-nuit")
    english = [team for team in association.teams if team.slug == "english"]
    assert len(english) == 1
    assert english[0].languages == ["en"]
    assert any(hours.team == "english" for hours in association.hours)


# ── Apply: creation ──────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_organisation_row_holds_the_file_settings(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    tenant = demo(slug)
    row = await demo_db.fetchrow("SELECT * FROM organisations WHERE slug = $1", slug)
    assert row is not None
    routing = tenant.routing
    assert dict(row) | {
        "name": tenant.name,
        "kind": tenant.kind,
        "admin_email": tenant.admin_email,
        "default_locale": tenant.default_locale,
        "time_zone": tenant.time_zone,
        "exit_url": tenant.exit_url,
        "retention_days": tenant.retention_days,
        "routing_mode": routing.mode,
        "default_capacity": routing.default_capacity,
        "closing_cutoff_minutes": routing.closing_cutoff_minutes,
        "session_limit_minutes": routing.session_limit_minutes,
        "inactivity_timeout_minutes": routing.inactivity_timeout_minutes,
        "wait_alert_minutes": routing.wait_alert_minutes,
    } == dict(row)
    assert set(row["allowed_origins"]) == set(tenant.allowed_origins)
    assert msgspec.convert(row["branding"], Branding) == tenant.branding


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_teams_match_the_file(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    rows = await demo_db.fetch(
        "SELECT t.slug, t.name, t.languages, t.topics FROM teams t "
        "JOIN organisations o ON o.id = t.organisation_id WHERE o.slug = $1",
        slug,
    )
    stored = Counter(
        (r["slug"], r["name"], tuple(r["languages"]), tuple(r["topics"])) for r in rows
    )
    wanted = Counter(
        (t.slug, t.name, tuple(t.languages), tuple(t.topics)) for t in demo(slug).teams
    )
    assert stored == wanted


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_weekly_hours_have_one_row_per_weekday(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    rows = await demo_db.fetch(
        "SELECT t.slug AS team, h.weekday, to_char(h.opens, 'HH24:MI') AS opens, "
        "to_char(h.closes, 'HH24:MI') AS closes FROM opening_hours h "
        "JOIN organisations o ON o.id = h.organisation_id LEFT JOIN teams t ON t.id = h.team_id "
        "WHERE o.slug = $1",
        slug,
    )
    stored = Counter((r["team"], r["weekday"], r["opens"], r["closes"]) for r in rows)
    wanted = Counter(
        (h.team, WEEKDAYS.index(day) + 1, h.opens, h.closes)
        for h in demo(slug).hours
        for day in h.days
    )
    assert stored == wanted
    assert sum(stored.values()) == sum(len(h.days) for h in demo(slug).hours)


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_exceptions_match_the_file(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    rows = await demo_db.fetch(
        "SELECT e.day, t.slug AS team, to_char(e.opens, 'HH24:MI') AS opens, "
        "to_char(e.closes, 'HH24:MI') AS closes, e.label FROM opening_exceptions e "
        "JOIN organisations o ON o.id = e.organisation_id LEFT JOIN teams t ON t.id = e.team_id "
        "WHERE o.slug = $1",
        slug,
    )
    stored = [(r["day"], r["team"], r["opens"], r["closes"], r["label"]) for r in rows]
    wanted = [
        (e.date, e.team, e.opens, e.closes, msgspec.to_builtins(e.label) if e.label else None)
        for e in demo(slug).exceptions
    ]
    assert sorted(stored, key=repr) == sorted(wanted, key=repr)
    if slug != "ligne-24h":  # the one line that never closes has no holidays to declare
        assert wanted, "each demo file declares holiday exceptions"


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_referrals_are_stored_in_file_order_with_their_details(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    rows = await demo_db.fetch(
        "SELECT r.* FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
        "WHERE o.slug = $1 ORDER BY r.position",
        slug,
    )
    referrals = demo(slug).referrals
    assert [r["key"] for r in rows] == [r.key for r in referrals]
    for row, referral in zip(rows, referrals, strict=True):
        # An English name is stored only where it differs; NULL: the one name serves both.
        english = None if isinstance(referral.name, str) else referral.name.en
        assert (row["name"], row["name_en"], row["phone"], row["sms"], row["url"]) == (
            referral.name_in("fr"),
            english,
            referral.phone,
            referral.sms,
            referral.url,
        )
        assert list(row["topics"]) == referral.topics
        assert row["is_emergency"] is referral.emergency
        assert row["is_hidden"] is referral.hidden
        assert row["hours"] == msgspec.to_builtins(referral.hours)
        assert row["description"] == msgspec.to_builtins(referral.description)


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_canned_replies_match_the_file(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    rows = await demo_db.fetch(
        "SELECT c.key, c.locale, c.title, c.body FROM canned_replies c "
        "JOIN organisations o ON o.id = c.organisation_id WHERE o.slug = $1",
        slug,
    )
    stored = Counter((r["key"], r["locale"], r["title"], r["body"]) for r in rows)
    wanted = Counter((c.key, c.locale, c.title, c.body) for c in demo(slug).canned_replies)
    assert stored == wanted


async def test_applied_university_and_round_the_clock_line_grant_ecoute_nuit_every_team(
    demo_db: asyncpg.Connection[asyncpg.Record],
) -> None:
    rows = await demo_db.fetch(
        "SELECT h.slug AS host, p.slug AS partner, g.team_ids FROM partnerships g "
        "JOIN organisations h ON h.id = g.host_id JOIN organisations p ON p.id = g.partner_id "
        "ORDER BY h.slug"
    )
    assert [dict(r) for r in rows] == [
        {"host": "ligne-24h", "partner": "ecoute-nuit", "team_ids": None},
        {"host": "univ-sante", "partner": "ecoute-nuit", "team_ids": None},
    ]


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applied_admin_gets_a_staff_account_owning_the_tenant(
    demo_db: asyncpg.Connection[asyncpg.Record], slug: str
) -> None:
    rows = await demo_db.fetch(
        "SELECT s.email, m.role, o.slug FROM memberships m "
        "JOIN staff_users s ON s.id = m.staff_id JOIN organisations o ON o.id = m.organisation_id "
        "WHERE s.email = $1",
        demo(slug).admin_email,
    )
    assert [tuple(r) for r in rows] == [(demo(slug).admin_email, "owner", slug)]


async def test_applying_the_demo_folder_reports_each_tenant_created(
    fresh: asyncpg.Connection[asyncpg.Record],
) -> None:
    report = await apply_tenants(fresh, demo_tenants())
    assert sorted(report.created) == DEMO_SLUGS
    assert report.updated == report.unchanged == []


# ── Apply: idempotence ───────────────────────────────────────────────────────────────────


async def test_applying_the_demo_tenants_twice_reports_unchanged_and_rewrites_no_row(
    fresh: asyncpg.Connection[asyncpg.Record],
) -> None:
    await apply_tenants(fresh, demo_tenants())
    before = await snapshot(fresh, DEMO_SLUGS)
    report = await apply_tenants(fresh, demo_tenants())
    assert sorted(report.unchanged) == DEMO_SLUGS
    assert report.created == report.updated == []
    assert await snapshot(fresh, DEMO_SLUGS) == before
    assert all(before[table] for table in STATE_QUERIES), "every table should hold demo rows"


async def test_a_file_spelt_differently_but_meaning_the_same_is_unchanged(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    teams = [
        {"slug": "day", "name": "Day", "languages": ["fr"]},
        {"slug": "night", "name": "Night", "languages": ["fr", "en"]},
    ]
    hello = [
        {"key": "hello", "locale": "fr", "title": "Bonjour", "body": "Bonjour."},
        {"key": "hello", "locale": "en", "title": "Hello", "body": "Hello."},
    ]
    tidy = tenant_file(
        slug,
        teams=teams,
        canned_replies=hello,
        allowed_origins=["https://a.example", "https://b.example"],
        hours=[{"days": ["mon", "tue", "wed"], "opens": "09:00", "closes": "17:00"}],
    )
    messy = tenant_file(
        slug,
        teams=teams[::-1],
        canned_replies=hello[::-1],
        allowed_origins=["https://b.example", "https://a.example", "https://b.example"],
        hours=[
            {"days": ["wed", "mon"], "opens": "09:00", "closes": "17:00"},
            {"days": ["tue", "mon"], "opens": "09:00", "closes": "17:00"},
        ],
    )
    assert (await apply_tenants(owner, [tidy])).created == [slug]
    before = await snapshot(owner, [slug])
    report = await apply_tenants(owner, [messy])
    assert report.unchanged == [slug]
    assert await snapshot(owner, [slug]) == before


async def test_admin_email_in_capitals_is_stored_lowercase_and_reapplies_unchanged(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    tenant = tenant_file(slug, admin_email=f"Admin@{slug.upper()}.Example")
    assert (await apply_tenants(owner, [tenant])).created == [slug]
    stored = await owner.fetchval("SELECT admin_email FROM organisations WHERE slug = $1", slug)
    assert stored == tenant.admin_email.lower()
    before = await snapshot(owner, [slug])
    assert [s["email"] for s in before["staff_users"]] == [tenant.admin_email.lower()]
    assert (await apply_tenants(owner, [tenant])).unchanged == [slug]
    assert await snapshot(owner, [slug]) == before


# ── Apply: changes ───────────────────────────────────────────────────────────────────────


def _referral(key: str, name: str) -> dict[str, Any]:
    return {"key": key, "name": name, "phone": "3114", "topics": ["crisis"]}


async def test_a_changed_file_updates_exactly_what_changed(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    spec: dict[str, Any] = {
        "teams": [
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "night", "name": "Night", "languages": ["fr"]},
        ],
        "referrals": [
            _referral("first", "First"),
            _referral("second", "Second"),
            _referral("third", "Third"),
        ],
        "hours": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "17:00"},
            {"days": ["sat"], "opens": "22:00", "closes": "02:00", "team": "night"},
        ],
        "exceptions": [{"date": "2026-12-25"}],
    }
    await apply_tenants(owner, [tenant_file(slug, **spec)])
    before = await snapshot(owner, [slug])

    spec["referrals"] = [_referral("first", "First"), _referral("third", "Third, renamed")]
    spec["hours"] = [
        {"days": ["mon", "tue", "wed"], "opens": "10:00", "closes": "18:00"},
        {"days": ["sat", "sun"], "opens": "22:00", "closes": "02:00", "team": "night"},
    ]
    changed = tenant_file(slug, **spec)
    report = await apply_tenants(owner, [changed])
    assert report.updated == [slug]
    assert report.created == report.unchanged == []
    after = await snapshot(owner, [slug])

    # The referrals: one gone, one renamed in place, one untouched.
    old = {r["key"]: r for r in before["referrals"]}
    new = {r["key"]: r for r in after["referrals"]}
    assert set(new) == {"first", "third"}
    assert new["first"]["id"] == old["first"]["id"]
    assert without([new["first"]], "version") == without([old["first"]], "version")
    assert new["third"]["id"] == old["third"]["id"]
    assert new["third"]["name"] == "Third, renamed"
    ordered = await owner.fetch(
        "SELECT r.key FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
        "WHERE o.slug = $1 ORDER BY r.position",
        slug,
    )
    assert [r["key"] for r in ordered] == ["first", "third"]

    # The hours: exactly the new weekly slots.
    team_slugs = {t["id"]: t["slug"] for t in after["teams"]}
    stored_hours = Counter(
        (
            team_slugs.get(h["team_id"]),
            h["weekday"],
            h["opens"].strftime("%H:%M"),
            h["closes"].strftime("%H:%M"),
        )
        for h in after["opening_hours"]
    )
    assert stored_hours == Counter(
        (h.team, WEEKDAYS.index(day) + 1, h.opens, h.closes)
        for h in changed.hours
        for day in h.days
    )

    # Everything else: the same rows with the same contents.
    for table in ("teams", "canned_replies", "memberships", "staff_users"):
        assert without(after[table], "version") == without(before[table], "version"), table
    assert without(after["opening_exceptions"], "version", "id") == without(
        before["opening_exceptions"], "version", "id"
    )
    [org_before], [org_after] = before["organisations"], after["organisations"]
    assert org_after["id"] == org_before["id"]
    assert org_after["updated_at"] > org_before["updated_at"]
    assert without([org_after], "version", "updated_at") == without(
        [org_before], "version", "updated_at"
    )
    assert await read_tenant(owner, slug) == canonical(changed)


async def test_reordered_referrals_keep_their_rows_and_take_the_new_order(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    keys = ["alpha", "bravo", "charlie"]
    await apply_tenants(owner, [tenant_file(slug, referrals=[_referral(k, k) for k in keys])])
    query = (
        "SELECT r.key, r.id FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
        "WHERE o.slug = $1 ORDER BY r.position"
    )
    ids = {r["key"]: r["id"] for r in await owner.fetch(query, slug)}
    reordered = ["charlie", "alpha", "bravo"]
    report = await apply_tenants(
        owner, [tenant_file(slug, referrals=[_referral(k, k) for k in reordered])]
    )
    assert report.updated == [slug]
    rows = await owner.fetch(query, slug)
    assert [r["key"] for r in rows] == reordered
    assert {r["key"]: r["id"] for r in rows} == ids


async def test_a_referral_name_is_stored_once_or_in_both_languages_and_read_back_canonical(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    samu = {"fr": "SAMU — 15", "en": "SAMU — 15, medical emergencies"}
    referrals: list[dict[str, Any]] = [
        {"key": "samu", "name": samu, "phone": "15"},
        {"key": "sos", "name": "SOS Amitié", "phone": "09 72 39 40 50"},
        # The same words in both languages are one name: stored once, read back as a string.
        {"key": "same", "name": {"fr": "3114", "en": "3114"}, "phone": "3114"},
    ]
    tenant = tenant_file(slug, referrals=referrals)
    query = (
        "SELECT r.key, r.name, r.name_en FROM referrals r JOIN organisations o"
        " ON o.id = r.organisation_id WHERE o.slug = $1 ORDER BY r.position"
    )

    await apply_tenants(owner, [tenant])

    assert [tuple(r) for r in await owner.fetch(query, slug)] == [
        ("samu", samu["fr"], samu["en"]),
        ("sos", "SOS Amitié", None),
        ("same", "3114", None),
    ]
    read_back = await read_tenant(owner, slug)
    assert read_back == canonical(tenant)
    assert read_back is not None
    assert [r.name for r in read_back.referrals] == [ReferralName(**samu), "SOS Amitié", "3114"]
    assert [r.name_in("en") for r in read_back.referrals] == [samu["en"], "SOS Amitié", "3114"]
    assert (await apply_tenants(owner, [tenant])).unchanged == [slug]

    # Giving up the English name: the column goes back to NULL.
    referrals[0]["name"] = samu["fr"]
    assert (await apply_tenants(owner, [tenant_file(slug, referrals=referrals)])).updated == [slug]
    assert [r["name_en"] for r in await owner.fetch(query, slug)] == [None, None, None]


async def test_removing_a_team_detaches_its_conversations_instead_of_failing(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    general = {"slug": "general", "name": "General", "languages": ["fr"]}
    night = {"slug": "night", "name": "Night", "languages": ["fr"]}
    weekdays = {"days": ["mon", "tue"], "opens": "09:00", "closes": "17:00"}
    nights = {"days": ["sat"], "opens": "22:00", "closes": "02:00", "team": "night"}
    await apply_tenants(
        owner, [tenant_file(slug, teams=[general, night], hours=[weekdays, nights])]
    )
    org_id = await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", slug)
    team_ids = {
        r["slug"]: r["id"]
        for r in await owner.fetch("SELECT slug, id FROM teams WHERE organisation_id = $1", org_id)
    }
    insert = (
        "INSERT INTO conversations (organisation_id, team_id, locale) VALUES ($1, $2, 'fr') "
        "RETURNING id"
    )
    in_night = await owner.fetchval(insert, org_id, team_ids["night"])
    in_general = await owner.fetchval(insert, org_id, team_ids["general"])

    report = await apply_tenants(owner, [tenant_file(slug, teams=[general], hours=[weekdays])])

    assert report.updated == [slug]
    conversations = {
        r["id"]: r["team_id"]
        for r in await owner.fetch(
            "SELECT id, team_id FROM conversations WHERE organisation_id = $1", org_id
        )
    }
    assert conversations == {in_night: None, in_general: team_ids["general"]}
    remaining = await owner.fetch("SELECT slug FROM teams WHERE organisation_id = $1", org_id)
    assert [r["slug"] for r in remaining] == ["general"]
    team_hours = await owner.fetchval(
        "SELECT count(*) FROM opening_hours WHERE organisation_id = $1 AND team_id IS NOT NULL",
        org_id,
    )
    assert team_hours == 0


# ── Partner grants ───────────────────────────────────────────────────────────────────────


async def _grants(owner: asyncpg.Connection[asyncpg.Record], host: str) -> dict[str, Any]:
    rows = await owner.fetch(
        "SELECT p.slug, g.team_ids FROM partnerships g JOIN organisations h ON h.id = g.host_id "
        "JOIN organisations p ON p.id = g.partner_id WHERE h.slug = $1",
        host,
    )
    return {r["slug"]: r["team_ids"] for r in rows}


async def _team_id(owner: asyncpg.Connection[asyncpg.Record], tenant: str, team: str) -> Any:
    return await owner.fetchval(
        "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.organisation_id "
        "WHERE o.slug = $1 AND t.slug = $2",
        tenant,
        team,
    )


async def test_partner_grant_may_name_a_tenant_applied_later_in_the_same_call(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    host, partner = unique_slug("host"), unique_slug("partner")
    report = await apply_tenants(
        owner,
        [tenant_file(host, partners=[{"organisation": partner}]), tenant_file(partner)],
    )
    assert report.created == [host, partner]
    assert await _grants(owner, host) == {partner: None}


async def test_partner_grant_limited_to_some_teams_stores_only_those_teams(
    owner: asyncpg.Connection[asyncpg.Record], make_tenant: MakeTenant
) -> None:
    partner = await make_tenant()
    host = tenant_file(
        teams=[{"slug": "day", "name": "Day"}, {"slug": "night", "name": "Night"}],
        partners=[{"organisation": partner.slug, "teams": ["night"]}],
    )
    await apply_tenants(owner, [host])
    assert await _grants(owner, host.slug) == {
        partner.slug: [await _team_id(owner, host.slug, "night")]
    }
    stored = await read_tenant(owner, host.slug)
    assert stored is not None
    assert stored.partners == [PartnerGrant(organisation=partner.slug, teams=["night"])]


async def test_partner_grant_with_an_empty_team_list_never_widens_to_every_team(
    owner: asyncpg.Connection[asyncpg.Record], make_tenant: MakeTenant, tmp_path: Path
) -> None:
    partner = await make_tenant()
    host = tenant_file(partners=[{"organisation": partner.slug, "teams": []}])
    await apply_tenants(owner, [host])
    assert await _grants(owner, host.slug) == {partner.slug: []}
    assert (await apply_tenants(owner, [host])).unchanged == [host.slug]

    stored = await read_tenant(owner, host.slug)
    assert stored is not None
    path = write_tenant_file(tmp_path, host.slug, to_toml(stored))
    assert parse_tenant_file(path).partners == [PartnerGrant(organisation=partner.slug, teams=[])]


async def test_partner_grant_naming_a_team_twice_reapplies_unchanged(
    owner: asyncpg.Connection[asyncpg.Record], make_tenant: MakeTenant
) -> None:
    partner = await make_tenant()
    host = tenant_file(partners=[{"organisation": partner.slug, "teams": ["general", "general"]}])
    await apply_tenants(owner, [host])
    assert await _grants(owner, host.slug) == {
        partner.slug: [await _team_id(owner, host.slug, "general")]
    }
    before = await snapshot(owner, [host.slug])
    assert (await apply_tenants(owner, [host])).unchanged == [host.slug]
    assert await snapshot(owner, [host.slug]) == before


async def test_partner_grant_removed_from_the_file_is_revoked(
    owner: asyncpg.Connection[asyncpg.Record], make_tenant: MakeTenant
) -> None:
    partner = await make_tenant()
    slug = unique_slug()
    await apply_tenants(owner, [tenant_file(slug, partners=[{"organisation": partner.slug}])])
    assert await _grants(owner, slug) == {partner.slug: None}
    assert (await apply_tenants(owner, [tenant_file(slug)])).updated == [slug]
    assert await _grants(owner, slug) == {}


async def test_partner_grant_to_an_unknown_organisation_rolls_back_the_whole_apply(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    first = tenant_file(unique_slug("first"))
    nobody = unique_slug("nobody")
    second = tenant_file(unique_slug("second"), partners=[{"organisation": nobody}])

    with pytest.raises(TenantFileError) as caught:
        await apply_tenants(owner, [first, second])

    error = caught.value
    assert error.file == f"{second.slug}.toml"
    assert "partners[0].organisation" in error.where
    assert nobody in error.reason
    slugs = [first.slug, second.slug]
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM organisations WHERE slug = ANY($1::text[])", slugs
        )
        == 0
    )
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM staff_users WHERE email = ANY($1::text[])",
            [first.admin_email, second.admin_email],
        )
        == 0
    )


async def test_failed_apply_leaves_an_applied_tenant_exactly_as_it_was(
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    slug = unique_slug()
    await apply_tenants(owner, [tenant_file(slug)])
    before_rows = await snapshot(owner, [slug])
    before = await read_tenant(owner, slug)
    invalid = tenant_file(
        slug,
        name="A new name",
        referrals=[_referral("other", "Other")],
        partners=[{"organisation": unique_slug("nobody")}],
    )

    with pytest.raises(TenantFileError):
        await apply_tenants(owner, [invalid])

    assert await read_tenant(owner, slug) == before
    assert await snapshot(owner, [slug]) == before_rows


# ── Export ───────────────────────────────────────────────────────────────────────────────


async def _export(conn: asyncpg.Connection[asyncpg.Record], slug: str, folder: Path) -> Path:
    stored = await read_tenant(conn, slug)
    assert stored is not None
    return write_tenant_file(folder, slug, to_toml(stored))


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_exported_demo_tenant_parses_back_to_its_canonical_file(
    fresh: asyncpg.Connection[asyncpg.Record], tmp_path: Path, slug: str
) -> None:
    await apply_tenants(fresh, demo_tenants())
    path = await _export(fresh, slug, tmp_path)
    assert parse_tenant_file(path) == canonical(demo(slug))


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_applying_an_exported_demo_tenant_reports_unchanged(
    fresh: asyncpg.Connection[asyncpg.Record], tmp_path: Path, slug: str
) -> None:
    await apply_tenants(fresh, demo_tenants())
    path = await _export(fresh, slug, tmp_path)
    before = await snapshot(fresh, DEMO_SLUGS)
    report = await apply_tenants(fresh, [parse_tenant_file(path)])
    assert report.unchanged == [slug]
    assert report.created == report.updated == []
    assert await snapshot(fresh, DEMO_SLUGS) == before


async def test_export_of_a_tenant_using_every_optional_field_parses_back_to_it(
    owner: asyncpg.Connection[asyncpg.Record], make_tenant: MakeTenant, tmp_path: Path
) -> None:
    partner = await make_tenant()
    tenant = tenant_file(
        default_locale="en",
        time_zone="America/Montreal",
        retention_days=30,
        allowed_origins=["https://b.example", "https://a.example:8443"],
        branding={
            "primary_color": "#AA00cc",
            "position": "left",
            "logo_url": "https://a.example/logo.png",
            "welcome": {"fr": "Bienvenue", "en": "Welcome"},
        },
        routing={"mode": "auto", "default_capacity": 4, "wait_alert_minutes": 3},
        teams=[
            {"slug": "night", "name": "Night", "languages": ["en", "fr"], "topics": ["sleep"]},
            {"slug": "day", "name": "Day"},
        ],
        hours=[
            {"days": ["sun", "sat"], "opens": "22:00", "closes": "02:00", "team": "night"},
            {"days": ["mon"], "opens": "08:00", "closes": "12:00"},
        ],
        exceptions=[
            {"date": "2026-07-14", "opens": "10:00", "closes": "12:00", "team": "day"},
            {"date": "2026-05-01", "label": {"fr": "Fête du travail", "en": "Labour Day"}},
        ],
        referrals=[
            {"key": "web", "name": "Web only", "url": "https://c.example", "hidden": True},
            {
                "key": "sms",
                "name": {"fr": "Urgences par SMS", "en": "Emergencies by text"},
                "sms": "114",
                "emergency": True,
            },
        ],
        partners=[{"organisation": partner.slug, "teams": ["night", "day"]}],
    )
    await apply_tenants(owner, [tenant])
    path = await _export(owner, tenant.slug, tmp_path)
    assert parse_tenant_file(path) == canonical(tenant)


# ── Refusals ─────────────────────────────────────────────────────────────────────────────


def _refusal(path: Path) -> TenantFileError:
    with pytest.raises(TenantFileError) as caught:
        parse_tenant_file(path)
    error = caught.value
    assert error.file == str(path)
    assert str(error).startswith(f"{path}: ")
    assert error.reason
    return error


def test_toml_syntax_error_is_refused_naming_its_line(tmp_path: Path) -> None:
    path, line = broken_copy(tmp_path, "ecoute-nuit", 'kind = "association"', 'kind = "association')
    error = _refusal(path)
    assert reported_line(error) == line


def test_unknown_kind_is_refused_with_its_line_and_key(tmp_path: Path) -> None:
    path, line = broken_copy(tmp_path, "ecoute-nuit", 'kind = "association"', 'kind = "club"')
    error = _refusal(path)
    assert reported_line(error) == line
    assert re.search(r"\bkey kind\b", error.where)
    assert "club" in error.reason


def test_misspelt_key_is_refused_naming_it_and_its_table(tmp_path: Path) -> None:
    path, line = broken_copy(tmp_path, "ecoute-nuit", 'phone = "15"', 'phon = "15"')
    index = [r.key for r in demo("ecoute-nuit").referrals].index("samu")
    error = _refusal(path)
    assert "`phon`" in error.reason
    assert f"referrals[{index}]" in error.where
    reported = reported_line(error)
    assert reported is not None
    text = path.read_text(encoding="utf-8").splitlines()
    # The line given is the typo's, or the header of the table that holds it.
    assert reported <= line
    assert not any(row.startswith("[") for row in text[reported : line - 1])


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('primary_color = "#1b2a4a"', 'primary_color = "navy"', "branding.primary_color"),
        ('opens = "21:00"', 'opens = "25:00"', "hours[1].opens"),
        (
            'hours = { fr = "Tous les jours, de 9h à 23h", en = "Every day, 9 am to 11 pm" }',
            'hours = { fr = "Tous les jours, de 9h à 23h" }',
            "referrals[fil-sante-jeunes].hours",
        ),
    ],
    ids=["bad-colour", "bad-time", "french-only-text"],
)
def test_badly_typed_value_is_refused_with_its_line_and_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    path, line = broken_copy(tmp_path, "ecoute-nuit", old, new)
    error = _refusal(path)
    assert reported_line(error) == line
    assert error.where.endswith(f"key {referral_index(key)}")


def test_french_only_text_is_refused_for_its_missing_english(tmp_path: Path) -> None:
    path, _ = broken_copy(
        tmp_path,
        "univ-sante",
        'launcher_label = { fr = "Besoin d\'en parler ?", en = "Need to talk?" }',
        'launcher_label = { fr = "Besoin d\'en parler ?" }',
    )
    error = _refusal(path)
    assert "branding.launcher_label" in error.where
    assert "`en`" in error.reason


def test_a_referral_name_is_one_string_or_a_french_and_english_pair() -> None:
    referrals = {r.key: r for r in demo("ecoute-nuit").referrals}
    samu, sos = referrals["samu"], referrals["sos-amitie"]
    assert samu.name == ReferralName(fr="SAMU — 15", en="SAMU — 15, medical emergencies")
    assert (samu.name_in("fr"), samu.name_in("en")) == ("SAMU — 15", samu.name.en)
    assert sos.name == "SOS Amitié"  # a proper noun: the same name for everyone
    assert (sos.name_in("fr"), sos.name_in("en")) == ("SOS Amitié", "SOS Amitié")


@pytest.mark.parametrize(
    ("new", "key", "said"),
    [
        ('name = { fr = "SAMU — 15", en = "" }', "referrals[samu].name.en", "length >= 1"),
        (f'name = {{ fr = "SAMU", en = "{"x" * 201}" }}', "referrals[samu].name.en", "<= 200"),
        ('name = { fr = "SAMU — 15" }', "referrals[samu].name", "`en`"),
    ],
    ids=["empty", "too-long", "missing"],
)
def test_an_english_referral_name_empty_too_long_or_missing_is_refused(
    tmp_path: Path, new: str, key: str, said: str
) -> None:
    old = 'name = { fr = "SAMU — 15", en = "SAMU — 15, medical emergencies" }'
    path, line = broken_copy(tmp_path, "ecoute-nuit", old, new)
    error = _refusal(path)
    assert reported_line(error) == line
    assert error.where.endswith(f"key {referral_index(key)}")
    assert said in error.reason


@pytest.mark.parametrize(
    ("old", "new", "key", "named"),
    [
        (
            'time_zone = "Europe/Paris"',
            'time_zone = "Europe/Atlantis"',
            "time_zone",
            "Europe/Atlantis",
        ),
        ('team = "english"', 'team = "german"', "hours[1].team", "german"),
        ('key = "samu"', 'key = "3114"', "referrals", "key"),
        ('sms = "114"\n', "", "referrals[114]", "phone"),
    ],
    ids=["bad-time-zone", "hours-for-unknown-team", "duplicate-referral-key", "no-contact"],
)
def test_file_breaking_a_rule_is_refused_naming_the_key_and_reason(
    tmp_path: Path, old: str, new: str, key: str, named: str
) -> None:
    text = (DEMO / "ecoute-nuit.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "ecoute-nuit.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    error = _refusal(path)
    assert error.where == f"key {referral_index(key)}"
    assert named in error.reason


def test_file_named_differently_from_its_slug_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "night-line.toml"
    path.write_text((DEMO / "ecoute-nuit.toml").read_text(encoding="utf-8"), encoding="utf-8")
    error = _refusal(path)
    assert "slug" in error.where
    assert "night-line" in error.reason


def test_loading_a_folder_reports_every_invalid_file_by_name(tmp_path: Path) -> None:
    bad_kind, _ = broken_copy(tmp_path, "ecoute-nuit", 'kind = "association"', 'kind = "club"')
    bad_time, _ = broken_copy(tmp_path, "univ-sante", 'closes = "17:30"', 'closes = "17:60"')
    (tmp_path / "fine.toml").write_text(
        'slug = "fine"\nname = "Fine"\nkind = "other"\nadmin_email = "a@fine.example"\n',
        encoding="utf-8",
    )
    tenants, errors = load_tenant_files(tmp_path)
    assert sorted(e.file for e in errors) == sorted([str(bad_kind), str(bad_time)])
    assert [t.slug for t in tenants] == ["fine"]
