"""The lab's websocket guard: no browser can empty the caches the whole class shares.

Streamlit obeys a browser's clear-cache message (the "Clear cache" menu item, also two bytes
anyone can send down the page's websocket) by emptying every `st.cache_data` and
`st.cache_resource` of the server, for every session, without asking who sent it. The lab's
models, data sets and test results live there: one pupil sending it every second would make the
whole class wait and the server's memory grow (every model loaded again). This middleware, around
Streamlit's own server (`app.py`), drops the message before Streamlit sees it and writes it in
the class log; everything else on the websocket passes unchanged.
"""

from starlette.requests import HTTPConnection
from streamlit.proto.BackMsg_pb2 import BackMsg

from mnist_core.people import class_log, roster
from mnist_core.people.roster import COOKIE
from server.scoped_middleware import ScopedMiddleware


class WebsocketGuard(ScopedMiddleware):
    """ASGI middleware: a browser's clear-cache messages never reach Streamlit."""

    def applies_to(self, scope):
        """The websocket every rerun comes through."""
        return scope["type"] == "websocket"

    async def handle(self, scope, receive, send):
        """Pass the websocket on, with its clear-cache messages dropped and logged."""
        pupil_id = HTTPConnection(scope).cookies.get(COOKIE)

        async def receive_allowed():
            while True:
                message = await receive()
                if not clears_caches(message):
                    return message
                class_log.record(roster.person(str(pupil_id)),
                                 "asked to clear the server's caches", "ignored")

        await self.app(scope, receive_allowed, send)


def clears_caches(message):
    """True for an ASGI websocket message that carries Streamlit's clear-cache request."""
    data = message.get("bytes") if message["type"] == "websocket.receive" else None
    if not data:
        return False
    request = BackMsg()
    try:
        request.ParseFromString(data)
    except Exception:  # noqa: BLE001 - not a BackMsg: Streamlit closes the socket itself
        return False
    return request.WhichOneof("type") == "clear_cache"
