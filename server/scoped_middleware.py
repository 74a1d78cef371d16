"""The shape every middleware of the lab's server shares: it acts on some requests only.

Each of them (`entrance`, `websocket_guard`, `upload_budget`, `page_shell`) wraps Streamlit's own
server in `app.py` and looks at one kind of request; every other request must reach Streamlit
exactly as it came, which is done once, here.
"""


class ScopedMiddleware:
    """ASGI middleware that handles the requests `applies_to` picks and passes the rest on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if self.applies_to(scope):
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def applies_to(self, scope):
        """Whether this middleware handles a request, from its ASGI `scope` (a dict)."""
        raise NotImplementedError

    async def handle(self, scope, receive, send):
        """Answer a request this middleware applies to, or pass it on through `self.app`."""
        raise NotImplementedError
