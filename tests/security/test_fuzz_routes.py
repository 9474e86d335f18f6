"""Generated and hostile JSON bodies on every route that reads one never reach a 5xx.

The bodies follow the application's OpenAPI schema, and a test checks that every operation
with a JSON body is fuzzed, so a route added later joins in. Each route is sent, as the
tenant's owner (bearer only, as in test_bad_bodies.py), bodies that Hypothesis generates from
its schema, and mutations of those and of a valid body: values of the wrong type, extra and
missing keys, integers past 32 and 64 bits, control characters, line separators, lone
surrogates, long and non-Latin strings, empty containers. Whatever comes in, the answer is
below 500, and every 4xx is an RFC 9457 problem with a code.
"""

from __future__ import annotations

import functools
import itertools
import json
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.tenants.structs import TenantFile
from tests.conftest import MakeStaff, MakeTenant, tenant_file
from tests.security import test_bad_bodies as bad_bodies
from tests.security.test_console_walk import PATH_PARAMETER, concrete
from tests.staff.accounts import sibling

# The walk of bad bodies' fixtures: a tenant, and its owner's bearer headers.
tenant = bad_bodies.tenant
owner_headers = bad_bodies.owner_headers

# Every route that reads a body has a valid one in test_bad_bodies.py (a test there sees to it);
# its keys name the routes as Litestar does, with parameter types.
ROUTES = sorted(bad_bodies.valid_bodies(tenant_file("fuzz")))
# Per route: about 25 routes, so the whole walk stays within seconds.
EXAMPLES_PER_ROUTE = 20

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the tenant and its owner serve every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def openapi_path(route_path: str) -> str:
    """`/api/admin/{slug:str}/hours` as OpenAPI writes it: `/api/admin/{slug}/hours`."""
    return PATH_PARAMETER.sub(lambda m: "{" + m[1] + "}", route_path)


@functools.cache
def json_operations(app: Litestar) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """`METHOD /path` -> (the JSON body's schema, the schema's components), from OpenAPI
    (built once: it takes a while)."""
    document = app.openapi_schema.to_schema()
    components = document.get("components", {}).get("schemas", {})
    found = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                found[f"{method.upper()} {path}"] = (
                    content["application/json"]["schema"],
                    components,
                )
    return found


# --- values ------------------------------------------------------------------------------

CONTROL = st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u2029\ufeff")
HOSTILE_INTEGERS = [
    -1,
    0,
    2**15,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**53 + 1,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**40,
]
HOSTILE_TEXTS = [
    "",
    " ",
    "\x00",
    "\x1b[2J",
    "\ud800",  # a lone surrogate: legal as a JSON escape, not as UTF-8
    "line\u2028separator",
    "\u202eevil",
    "\U0001f600",
    "ثلاثة",
    "00000000-0000-0000-0000-000000000000",
    "'; DROP TABLE organisations; --",
    "../../../etc/passwd",
    "null",
]
SCALARS = st.one_of(
    st.sampled_from(HOSTILE_INTEGERS),
    st.integers(),
    st.floats(),  # NaN and infinities too: json.dumps writes them, no parser should take them
    st.booleans(),
    st.none(),
    st.sampled_from(HOSTILE_TEXTS),
    # Past every length a field allows, and the body's 64 KiB in UTF-8.
    st.builds(str.__mul__, st.sampled_from(["x", "é", "\U0001f600"]), st.integers(2_000, 20_000)),
    st.text(max_size=30),
    st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=5),
        st.text(CONTROL, min_size=1),
        st.text(max_size=5),
    ),
)
HOSTILE = st.recursive(
    SCALARS | st.sampled_from([[], {}]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
EXTRA_KEYS = st.sampled_from(["id", "organisation_id", "role", "type", "__proto__", ""]) | st.text(
    max_size=12
)


# --- bodies from a schema ----------------------------------------------------------------


def from_schema(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a JSON schema (as Litestar's OpenAPI writes it) describes, within bounds."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return from_schema({**components[name], **rest}, components)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for union in ("oneOf", "anyOf"):
        if union in schema:
            # Litestar puts a union's constraints (maxLength, pattern) beside it.
            rest = {k: v for k, v in schema.items() if k != union}
            return st.one_of(
                [from_schema({**rest, **branch}, components) for branch in schema[union]]
            )
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, components) for k in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False)
    if kind == "string":
        return strings(schema)
    if kind == "array":
        items = from_schema(schema.get("items", {}), components)
        low = schema.get("minItems", 0)
        return st.lists(items, min_size=low, max_size=max(low, min(schema.get("maxItems", 4), 4)))
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if not properties:
            return st.dictionaries(st.text(max_size=10), HOSTILE, max_size=4)
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v, components) for k, v in properties.items() if k in required},
            optional={
                k: from_schema(v, components) for k, v in properties.items() if k not in required
            },
        )
    return HOSTILE


def strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    by_format = {
        "uuid": st.uuids().map(str),
        "date": st.dates().map(lambda d: d.isoformat()),
        "date-time": st.datetimes().map(lambda d: d.isoformat() + "Z"),
    }
    if schema.get("format") in by_format:
        return by_format[schema["format"]]
    if "pattern" in schema:
        matching = st.from_regex(schema["pattern"], fullmatch=True)
        return matching.filter(lambda s: low <= len(s) <= (high or len(s)))
    return st.text(min_size=low, max_size=min(high or 40, max(low, 40)))


# --- mutations ---------------------------------------------------------------------------

Path = tuple[str | int, ...]


def places(value: Any, path: Path = ()) -> list[Path]:
    """Every place in a body: the body itself, each value of an object, each item of a list."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += places(child, (*path, index))
    return found


def at(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


def replaced(value: Any, path: Path, new: Any) -> Any:
    """A copy of value with the place at path holding new."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    items = list(value)
    items[head] = replaced(items[head], rest, new)
    return items


@st.composite
def mutated(draw: st.DrawFn, bodies: st.SearchStrategy[Any]) -> Any:
    """A body with one to three hostile changes in random places."""
    body = draw(bodies)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(body)))
        here = at(body, path)
        change = draw(st.sampled_from(["replace", "add_key", "drop_key", "wrap"]))
        if change == "add_key" and isinstance(here, dict):
            new: Any = {**here, draw(EXTRA_KEYS): draw(HOSTILE)}
        elif change == "drop_key" and isinstance(here, dict) and here:
            gone = draw(st.sampled_from(sorted(here)))
            new = {k: v for k, v in here.items() if k != gone}
        elif change == "wrap":
            new = draw(st.sampled_from([[here], {"value": here}, [here] * 50]))
        else:
            new = draw(HOSTILE)
        body = replaced(body, path, new)
    return body


def bodies(
    schema: dict[str, Any], components: dict[str, Any], valid: Any
) -> st.SearchStrategy[Any]:
    generated = from_schema(schema, components)
    return st.one_of(generated, mutated(generated), mutated(st.just(valid)))


def encoded(body: Any, ascii_only: bool) -> bytes:
    """JSON as a client may write it: NaN and infinities as bare words (not JSON), and a lone
    surrogate either escaped or written raw, which is not UTF-8."""
    return json.dumps(body, ensure_ascii=ascii_only, allow_nan=True).encode(
        "utf-8", "surrogatepass"
    )


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture
async def paths(
    tenant: TenantFile,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: asyncpg.Connection[asyncpg.Record],
) -> dict[str, str]:
    """Each body route's path with real parameters: a listener of the tenant, another tenant
    as the partner, so that a body which passes validation goes on to the database."""
    listener = await owner.fetchval(
        "SELECT id FROM staff_users WHERE email = $1", await make_staff(tenant.slug, "listener")
    )
    partner = await make_tenant()
    real = {"slug": tenant.slug, "staff_id": str(listener), "partner": partner.slug}

    def fill(template: str) -> str:
        return PATH_PARAMETER.sub(lambda m: real.get(m[1]) or concrete(m[0], tenant.slug), template)

    return {route: fill(route.split(" ", 1)[1]) for route in ROUTES}


_addresses = itertools.count()


@pytest.fixture
def fuzzer(client: AsyncTestClient[Litestar]) -> AsyncTestClient[Litestar]:
    """A client of the application `client` runs, calling from an address of its own
    (TEST-NET-2): the failed sign-ins and codes of the fuzz count against that address, not the
    one every other test signs in from."""
    n = next(_addresses)
    return sibling(client, base_url=str(client.base_url), address=f"198.51.100.{n % 250 + 1}")


def refused_badly(response: httpx.Response) -> str | None:
    """What is wrong with an answer to a hostile body, if anything."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:300]}"
    if response.status_code >= 400 and bad_bodies.problem_code(response) is None:
        return f"{response.status_code} is not a problem with a code: {response.text[:300]}"
    return None


# --- tests -------------------------------------------------------------------------------


async def test_the_fuzz_covers_every_operation_with_a_json_body(app: Litestar) -> None:
    operations = set(json_operations(app))
    fuzzed = {
        f"{route.split(' ', 1)[0]} {openapi_path(route.split(' ', 1)[1])}" for route in ROUTES
    }

    assert {"POST /api/conversations", "PUT /api/admin/{slug}/teams"} <= operations
    # A new body route is fuzzed once test_bad_bodies.valid_bodies says what a valid body is.
    assert operations == fuzzed, operations ^ fuzzed


@pytest.mark.parametrize("route", ROUTES)
@FUZZ_SETTINGS
@given(data=st.data())
async def test_no_json_body_gets_a_5xx_or_an_answer_that_is_not_a_problem(
    route: str,
    data: st.DataObject,
    app: Litestar,
    fuzzer: AsyncTestClient[Litestar],
    tenant: TenantFile,
    owner_headers: dict[str, str],
    paths: dict[str, str],
) -> None:
    method, template = route.split(" ", 1)
    schema, components = json_operations(app)[f"{method} {openapi_path(template)}"]
    valid = bad_bodies.valid_bodies(tenant)[route]
    body = data.draw(bodies(schema, components, valid), label="body")
    content = encoded(body, ascii_only=data.draw(st.booleans(), label="ascii_only"))

    fuzzer.cookies.clear()  # a body that signs in must not turn the next ones into cookie calls
    response = await fuzzer.request(
        method,
        paths[route],
        content=content,
        headers={**owner_headers, "content-type": "application/json"},
    )

    # What the routes answered, shown by --hypothesis-show-statistics.
    event(f"{response.status_code} {bad_bodies.problem_code(response) or ''}")
    wrong = refused_badly(response)
    assert wrong is None, f"{route} {content[:300]!r}: {wrong}"
