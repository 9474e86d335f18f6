"""Generated and hostile frames on the visitor's and the listener's sockets break nothing.

The frame types come from server/conversations/frames.py, so a frame added later is fuzzed
too, and what counts as documented comes from docs/protocol.md (its close codes and its error
frames). On a real conversation between a visitor and a listener, on a live server, Hypothesis
sends frames of every type a visitor or a listener may send, with hostile values in the right
shapes (control characters, line separators, sequence numbers at their bounds, unknown ids)
and malformed ones (wrong types, unknown and missing fields, not JSON, binary). Each is
answered by documented error frames only, or the socket closes with a documented code; either
way the server then serves the next valid frame. A first frame that is no valid hello is
closed with a documented code, and the server goes on serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import typing
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.conversations import frames as f
from tests.conftest import REPO
from tests.conversations import conftest as conversations
from tests.conversations.clients import (
    WAIT,
    Client,
    Console,
    Frame,
    Visitor,
    havre_origin,
    open_console,
    open_visitor,
)
from tests.conversations.conftest import StartVisitor, access_token, claimed
from tests.security.test_fuzz_routes import HOSTILE, mutated

# The conversations' fixtures: a tenant open around the clock, visitors and listeners on it.
open_tenant = conversations.open_tenant
start_visitor = conversations.start_visitor
open_listener = conversations.open_listener

FRAME_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one conversation serves every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
PING = json.dumps({"type": "ping"})
# What every text of Havre's refuses (as server/errors.py does for JSON bodies).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- what docs/protocol.md documents -----------------------------------------------------


def protocol_section(title: str) -> str:
    document = (REPO / "docs" / "protocol.md").read_text(encoding="utf-8")
    return document.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def documented_close_codes() -> set[int]:
    return {
        int(m[1]) for m in re.finditer(r"^\| (\d{4}) \|", protocol_section("Close codes"), re.M)
    }


def documented_error_codes(socket: str) -> set[str]:
    """The error frame codes documented for `socket` (visitor or console), or for both."""
    rows = re.finditer(r"^\| `(\w+)` \| (\w+) \|", protocol_section("Error frames"), re.M)
    return {m[1] for m in rows if m[2] in ("both", socket)}


# --- frames --------------------------------------------------------------------------------

# Texts no field's bounds refuse: each holds something hostile, or is anything at all.
TEXTS = st.one_of(
    st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=5),
        st.sampled_from(["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\u2028", "\u202e", "\ufeff"]),
        st.text(max_size=5),
    ),
    st.sampled_from(["\n", "\r\n", "\t", "🙂" * 30, "ثلاثة", "'; DROP TABLE messages; --"]),
    st.text(min_size=1, max_size=40),
)


def values(kind: msgspec.inspect.Type, ids: list[uuid.UUID]) -> st.SearchStrategy[Any]:
    """Values of a frame field's type, picked at its edges: hostile but of the right shape."""
    if isinstance(kind, msgspec.inspect.StrType):
        low, high = kind.min_length or 0, kind.max_length or 4096
        at_the_limits = st.builds(
            str.__mul__, st.sampled_from(["x", "é", "🙂"]), st.sampled_from([low, high, high + 1])
        )
        return TEXTS | at_the_limits
    if isinstance(kind, msgspec.inspect.IntType):
        low, high = kind.ge or 0, kind.le or 2**63 - 1
        beyond = [low - 1, high + 1, 2**31, 2**63, -(2**63)]
        return st.sampled_from([low, high, *beyond]) | st.integers(low, high)
    if isinstance(kind, msgspec.inspect.UUIDType):
        return st.sampled_from(ids) | st.uuids()
    if isinstance(kind, msgspec.inspect.BoolType):
        return st.booleans()
    if isinstance(kind, msgspec.inspect.NoneType):
        return st.none()
    if isinstance(kind, msgspec.inspect.LiteralType):
        return st.sampled_from(kind.values)
    if isinstance(kind, msgspec.inspect.UnionType):
        return st.one_of([values(member, ids) for member in kind.types])
    if isinstance(kind, msgspec.inspect.ListType):
        return st.lists(values(kind.item_type, ids), max_size=3)
    if isinstance(kind, msgspec.inspect.StructType):
        return fields_of(kind, ids)
    raise AssertionError(f"a frame field of a type the fuzz does not know: {kind}")


def fields_of(kind: msgspec.inspect.StructType, ids: list[uuid.UUID]) -> st.SearchStrategy[Any]:
    strategies = {field.name: values(field.type, ids) for field in kind.fields}
    required = {field.name for field in kind.fields if field.required}
    return st.fixed_dictionaries(
        {k: s for k, s in strategies.items() if k in required},
        optional={k: s for k, s in strategies.items() if k not in required},
    )


def shaped(union: Any, ids: list[uuid.UUID]) -> st.SearchStrategy[dict[str, Any]]:
    """Every frame type of a union, with its tag and hostile values of the right types."""
    frames = []
    for frame_type in typing.get_args(union):
        info = msgspec.inspect.type_info(frame_type)
        assert isinstance(info, msgspec.inspect.StructType)
        tag = frame_type.__struct_config__.tag
        frames.append(fields_of(info, ids).map(lambda body, tag=tag: {"type": tag, **body}))
    return st.one_of(frames)


def as_json(frame: Any) -> Any:
    """UUIDs as the strings a client writes."""
    return json.loads(json.dumps(frame, default=str, allow_nan=True))


NOT_FRAMES = st.sampled_from(
    ["", " ", "{", "null", "[]", '"ping"', '{"type": "ping"', "[" * 5000 + "]" * 5000, "\x00"]
) | st.binary(max_size=64)


def written(frame: Any, ascii_only: bool) -> str:
    """JSON as a client writes it; a lone surrogate cannot go in a text message unescaped."""
    text = json.dumps(frame, ensure_ascii=ascii_only, allow_nan=True)
    try:
        text.encode()
    except UnicodeEncodeError:
        return json.dumps(frame, allow_nan=True)
    return text


def payloads(union: Any, ids: list[uuid.UUID]) -> st.SearchStrategy[str | bytes]:
    """What a client may put in a WebSocket message: frames of the right shapes, hostile
    mutations of them, and things that are no frame at all (bytes go as a binary message)."""
    good = shaped(union, ids).map(as_json)
    frames = st.one_of(good, mutated(good), HOSTILE)
    return st.builds(written, frames, st.booleans()) | NOT_FRAMES


# --- answers -------------------------------------------------------------------------------


@dataclass
class Answer:
    frames: list[Frame]  # everything the socket sent meanwhile, up to the pong
    close_code: int | None = None

    def errors(self) -> list[str]:
        return [frame["code"] for frame in self.frames if frame["type"] == "error"]


async def answer(client: Client, payload: str | bytes, pongs: int = 1) -> Answer:
    """What a socket sent after `payload`, up to the pong of a ping sent behind it (a socket
    handles its frames in order), or the code it closed with instead. `pongs` counts the pong
    the payload asks for itself, when it is a ping."""
    start = len(client.frames)
    try:
        await client.connection.send(payload)
        await client.connection.send(PING)
    except ConnectionClosed:
        return Answer(client.frames[start:], await close_code(client))

    async def last_pong() -> Frame:
        for _ in range(pongs):
            pong = await client.of_type("pong")
        return pong

    return await until(client, start, last_pong())


async def until(client: Client, start: int, awaited: Awaitable[Frame]) -> Answer:
    """The frames since `start` up to the one awaited, or the close code if the socket closes
    first."""
    arrived = asyncio.ensure_future(awaited)
    closed = asyncio.ensure_future(client.connection.wait_closed())
    done, _ = await asyncio.wait(
        {arrived, closed}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED
    )
    closed.cancel()
    if arrived in done and arrived.exception() is None:
        last = arrived.result()
        frames = client.frames[start:]
        return Answer(frames[: next(i for i, frame in enumerate(frames) if frame is last)])
    arrived.cancel()
    with contextlib.suppress(asyncio.CancelledError, AssertionError):
        await arrived  # the client's wait gives up with an AssertionError once closed
    assert client.connection.state.name != "OPEN", f"no answer within {WAIT} s"
    return Answer(client.frames[start:], await close_code(client))


async def serves(client: Client) -> bool:
    """Whether a socket still answers a ping with a pong."""
    return (await answer(client, PING, pongs=2)).close_code is None


async def close_code(client: Client) -> int | None:
    code, _ = await client.closed()
    return code


def holds_control_character(value: Any) -> bool:
    if isinstance(value, str):
        return bool(CONTROL.search(value))
    if isinstance(value, dict):
        return any(holds_control_character(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_control_character(v) for v in value)
    return False


def decoded(decoder: msgspec.json.Decoder[Any], payload: str | bytes) -> Any:
    """The frame the server's decoder makes of a payload (None: a bad frame). A binary message
    reaches it as an empty text."""
    try:
        return decoder.decode(payload if isinstance(payload, str) else "")
    except (msgspec.MsgspecError, RecursionError):
        return None


def badly_answered(
    reply: Answer, payload: str | bytes, frame: Any, documented: set[str]
) -> str | None:
    """What is wrong with a socket's answer to one payload, if anything."""
    if reply.close_code is not None:
        if reply.close_code not in documented_close_codes():
            return f"closed with {reply.close_code}, which docs/protocol.md does not document"
        return None
    undocumented = set(reply.errors()) - documented
    if undocumented:
        return f"error frames not in docs/protocol.md: {undocumented}"
    if frame is None and "bad_frame" not in reply.errors():
        return f"a frame that does not decode was answered {reply.frames}"
    text_refused = "invalid_text" in reply.errors()
    if frame is not None and holds_control_character(json.loads(payload)) and not text_refused:
        return f"a text with a control character was answered {reply.frames}"
    return None


# --- the conversation under fuzz -----------------------------------------------------------


@dataclass
class Chat:
    visitor: Visitor
    listener: Console
    conversation_id: uuid.UUID
    visitor_token: str
    listener_email: str


@pytest.fixture
async def chat(
    open_tenant: Any, open_listener: Any, start_visitor: StartVisitor
) -> AsyncIterator[Chat]:
    """A conversation under way: a listener's console holding a visitor's chat."""
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    chat = Chat(
        visitor=visitor,
        listener=listener,
        conversation_id=uuid.UUID(cid),
        visitor_token=visitor.token,  # type: ignore[attr-defined]
        listener_email=listener.email,  # type: ignore[attr-defined]
    )
    yield chat
    # Sockets a test opened again after a documented close (closing twice is harmless).
    await chat.visitor.close()
    await chat.listener.close()


def leaves_the_chat(frame: Any, chat: Chat) -> bool:
    """A valid frame that ends or hands over the conversation under fuzz: not sent, so the
    examples after it still fuzz a conversation under way."""
    if isinstance(frame, f.VisitorEnd):
        return True
    ending = (f.ConsoleEnd, f.Transfer, f.TakeOver)
    return isinstance(frame, ending) and frame.conversation_id == chat.conversation_id


# --- tests ---------------------------------------------------------------------------------


def test_the_fuzz_knows_what_the_protocol_documents() -> None:
    assert {4400, 4401, 4403, 4408} <= documented_close_codes()
    assert {"bad_frame", "invalid_text", "too_many_frames"} <= documented_error_codes("visitor")
    assert {"bad_frame", "invalid_text", "already_taken"} <= documented_error_codes("console")
    assert "already_taken" not in documented_error_codes("visitor")


@FRAME_SETTINGS
@given(data=st.data())
async def test_no_frame_a_visitor_sends_breaks_the_socket_or_the_server(
    data: st.DataObject, chat: Chat, live_host: str
) -> None:
    ids = [chat.conversation_id, uuid.uuid4()]
    payload = data.draw(payloads(f.VisitorFrame, ids), label="payload")
    frame = decoded(f.visitor_decoder, payload)
    assume(not leaves_the_chat(frame, chat))

    reply = await answer(chat.visitor, payload, pongs=2 if isinstance(frame, f.Ping) else 1)

    # What the socket answered, shown by --hypothesis-show-statistics.
    event(f"{type(frame).__name__}: {reply.close_code or sorted(set(reply.errors()))}")
    problem = badly_answered(reply, payload, frame, documented_error_codes("visitor"))
    assert problem is None, f"{payload[:300]!r}: {problem}"
    if reply.close_code is not None:  # closed as documented: the server takes the visitor back
        chat.visitor = await open_visitor(live_host, chat.visitor_token)
    assert await serves(chat.visitor)


@FRAME_SETTINGS
@given(data=st.data())
async def test_no_frame_a_listener_sends_breaks_the_socket_or_the_server(
    data: st.DataObject, chat: Chat, live_host: str, live_url: str
) -> None:
    ids = [chat.conversation_id, uuid.uuid4()]
    payload = data.draw(payloads(f.ConsoleFrame, ids), label="payload")
    frame = decoded(f.console_decoder, payload)
    assume(not leaves_the_chat(frame, chat))

    reply = await answer(chat.listener, payload, pongs=2 if isinstance(frame, f.Ping) else 1)

    # What the socket answered, shown by --hypothesis-show-statistics.
    event(f"{type(frame).__name__}: {reply.close_code or sorted(set(reply.errors()))}")
    problem = badly_answered(reply, payload, frame, documented_error_codes("console"))
    assert problem is None, f"{payload[:300]!r}: {problem}"
    if reply.close_code is not None:
        token = await access_token(live_url, chat.listener_email)
        chat.listener = await open_console(live_host, token)
    assert await serves(chat.listener)


def first_frames(tokens: list[str]) -> st.SearchStrategy[str | bytes]:
    """First frames: hellos with real and hostile tokens and sequence numbers, mutations of
    them, other frames, and things that are no frame at all."""
    token = st.sampled_from(tokens) | st.sampled_from(tokens).map(lambda t: t[:-1] + "\x00") | TEXTS
    last_seq = st.sampled_from([-1, 0, 2**31 - 1, 2**31, 2**63]) | HOSTILE
    hellos = st.fixed_dictionaries(
        {"type": st.just("hello")}, optional={"token": token, "last_seq": last_seq}
    )
    return st.builds(written, hellos | mutated(hellos) | HOSTILE, st.booleans()) | NOT_FRAMES


async def first_answer(client: Client, payload: str | bytes, greeting: str) -> Answer:
    """The socket's answer to a first frame: its greeting (`welcome`, `queue_snapshot`), or
    the code it closed with."""
    with contextlib.suppress(ConnectionClosed):
        await client.connection.send(payload)
    return await until(client, 0, client.of_type(greeting))


@FRAME_SETTINGS
@given(data=st.data())
async def test_a_visitor_socket_whose_first_frame_is_no_valid_hello_closes_as_documented(
    data: st.DataObject, chat: Chat, live_host: str
) -> None:
    payload = data.draw(first_frames([chat.visitor_token]), label="payload")
    hello = decoded(f.visitor_decoder, payload)
    connection = await connect(f"ws://{live_host}/ws/visitor", origin=havre_origin(live_host))
    client = Visitor(connection)
    try:
        reply = await first_answer(client, payload, "welcome")
    finally:
        await client.close()

    if isinstance(hello, f.VisitorHello) and hello.token == chat.visitor_token:
        assert reply.close_code is None, f"{payload[:300]!r}: a valid hello was refused"
    else:
        assert reply.close_code in documented_close_codes(), f"{payload[:300]!r}: {reply}"
    assert await serves(chat.visitor)  # the server goes on


@FRAME_SETTINGS
@given(data=st.data())
async def test_a_console_socket_whose_first_frame_is_no_valid_hello_closes_as_documented(
    data: st.DataObject, chat: Chat, live_host: str
) -> None:
    # Never the listener's real token: a second console of theirs would change their presence.
    payload = data.draw(first_frames([chat.visitor_token]), label="payload")
    client = Console(await connect(f"ws://{live_host}/ws/console"))
    try:
        reply = await first_answer(client, payload, "queue_snapshot")
    finally:
        await client.close()

    assert reply.close_code in documented_close_codes(), f"{payload[:300]!r}: {reply}"
    assert await serves(chat.listener)


# --- what the fuzz found: control characters in a frame's text -----------------------------

REFUSED = ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"]


@pytest.mark.parametrize("char", REFUSED, ids=[f"{ord(c):#04x}" for c in REFUSED])
async def test_a_message_holding_a_control_character_is_refused_and_the_chat_goes_on(
    char: str, chat: Chat
) -> None:
    cid = str(chat.conversation_id)

    from_visitor = await chat.visitor.say(f"Bonsoir{char}")
    from_listener = await chat.listener.say(cid, f"Je vous écoute{char}")

    for refused in (from_visitor, from_listener):
        assert refused["type"] == "error", refused
        assert refused["code"] == "invalid_text"
        assert refused["details"] == {"field": "body"}
        assert refused["conversation_id"] == cid
    # Nothing was stored: the next message of each side is the next one the other side reads.
    kept = await chat.visitor.say("Bonsoir")
    assert kept["type"] == "ack", kept
    read = await chat.listener.of_type("message", client_id=kept["client_id"])
    assert read["body"] == "Bonsoir"
    assert from_visitor["client_id"] not in {
        m["client_id"] for m in chat.listener.received("message")
    }
    answered = await chat.listener.say(cid, "Je vous écoute")
    assert answered["type"] == "ack", answered
    await chat.visitor.of_type("message", client_id=answered["client_id"])
    assert from_listener["client_id"] not in {
        m["client_id"] for m in chat.visitor.received("message")
    }


async def test_a_message_keeps_its_line_breaks_and_tabs(chat: Chat) -> None:
    body = "Ligne une\nLigne deux\r\n\tet la troisième"

    ack = await chat.visitor.say(body)

    assert ack["type"] == "ack", ack
    message = await chat.listener.of_type("message", client_id=ack["client_id"])
    assert message["body"] == body


@pytest.mark.parametrize(
    ("wrapup", "field"),
    [
        pytest.param(
            {"topics": ["isolement\x1b"], "risk_level": "none", "outcome": "supported"},
            "wrapup.topics[0]",
            id="topic",
        ),
        pytest.param(
            {"topics": [], "risk_level": "none", "outcome": "other", "note": "à revoir\x07"},
            "wrapup.note",
            id="note",
        ),
    ],
)
async def test_a_wrap_up_holding_a_control_character_is_refused_and_the_chat_goes_on(
    wrapup: dict[str, Any], field: str, chat: Chat
) -> None:
    cid = str(chat.conversation_id)

    await chat.listener.send({"type": "end", "conversation_id": cid, "wrapup": wrapup})

    refused = await chat.listener.of_type("error", conversation_id=cid)
    assert (refused["code"], refused["details"]) == ("invalid_text", {"field": field})
    assert (await chat.visitor.say("Vous êtes là ?"))["type"] == "ack"
