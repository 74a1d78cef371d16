"""The websocket guard: a browser's clear-cache message never reaches Streamlit."""

from streamlit.proto.BackMsg_pb2 import BackMsg

from mnist_core.people import class_log, roster
from mnist_core.people.roster import COOKIE
from server import websocket_guard
from tests.server import asgi


def back_message(**fields):
    """The bytes a browser sends for one BackMsg, e.g. `clear_cache=True`."""
    message = BackMsg()
    for name, value in fields.items():
        if name == "rerun_script":
            message.rerun_script.query_string = value
        else:
            setattr(message, name, value)
    return message.SerializeToString()


def through_guard(frames, cookie):
    """The websocket messages Streamlit receives when a browser sends `frames` (bytes)."""
    incoming = [{"type": "websocket.connect"},
                *({"type": "websocket.receive", "bytes": frame} for frame in frames),
                {"type": "websocket.disconnect", "code": 1000}]
    received = []

    async def receive():
        return incoming.pop(0)

    async def streamlit(scope, receive, send):
        while True:
            received.append(await receive())
            if received[-1]["type"] == "websocket.disconnect":
                return

    async def send(message):
        raise AssertionError("nothing is sent in this test")

    scope = {"type": "websocket", "path": "/_stcore/stream", "query_string": b"",
             "headers": [(b"cookie", f"{COOKIE}={cookie}".encode())]}
    asgi.run(websocket_guard.WebsocketGuard(streamlit)(scope, receive, send))
    return received


def test_clear_cache_messages_are_dropped_and_logged_and_the_rest_pass():
    ada = roster.new_pupil_id()
    roster.admit(ada)
    roster.set_nickname(ada, "ada")
    rerun, heartbeat = back_message(rerun_script="page=draw"), back_message(app_heartbeat=True)
    frames = [rerun, back_message(clear_cache=True), heartbeat, back_message(clear_cache=True),
              b"\xff not a protobuf"]
    received = through_guard(frames, ada)
    assert [message.get("bytes") for message in received] == [
        None, rerun, heartbeat, b"\xff not a protobuf", None]
    logged = class_log.entries()
    assert len(logged) == 2
    assert logged[0]["pupil"] == ada and "clear the server's caches" in logged[0]["action"]


def test_other_scopes_pass_untouched():
    assert not websocket_guard.clears_caches({"type": "websocket.connect"})
    assert not websocket_guard.clears_caches({"type": "websocket.receive", "text": "hello"})
    assert websocket_guard.clears_caches({"type": "websocket.receive",
                                          "bytes": back_message(clear_cache=True)})
