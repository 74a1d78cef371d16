"""The middlewares' shared shape: what one does not apply to reaches Streamlit as it came."""

from starlette.responses import PlainTextResponse

from server.scoped_middleware import ScopedMiddleware
from tests.server import asgi


class Mine(ScopedMiddleware):
    """Answers requests for /mine itself."""

    def applies_to(self, scope):
        return scope["path"] == "/mine"

    async def handle(self, scope, receive, send):
        await PlainTextResponse("mine", 200)(scope, receive, send)


def test_only_the_requests_it_applies_to_are_handled():
    reached = []

    async def streamlit(scope, receive, send):
        reached.append(scope)
        await PlainTextResponse("streamlit", 200)(scope, receive, send)

    assert asgi.request(Mine(streamlit), "GET", "/mine", [])[2] == "mine"
    assert reached == []
    assert asgi.request(Mine(streamlit), "GET", "/draw", [(b"cookie", b"a=b")])[2] == "streamlit"
    assert [(scope["path"], scope["headers"]) for scope in reached] == [
        ("/draw", [(b"cookie", b"a=b")])]
