"""The page Streamlit serves to a browser, told where the lab's server is: no 404 on arrival.

Opened straight on a page (`/draw`, from a link or a reload), Streamlit 1.67's frontend does not
know whether `/draw` is the app's base path, and asks `/draw/_stcore/health` and
`/draw/_stcore/host-config` first: two 404s in the browser's console on every page a pupil opens
directly (streamlit/streamlit#7074). Its frontend reads the server's address from
`window.__streamlit.BACKEND_BASE_URL` when the page sets it; this middleware, around
Streamlit's server (`app.py`), sets it to the site's root in every HTML page served.
"""

from server.scoped_middleware import ScopedMiddleware

# The lab runs at the root of its server (no server.baseUrlPath), wherever the page is.
SCRIPT = (b"<script>window.__streamlit = Object.assign(window.__streamlit || {}, "
          b"{BACKEND_BASE_URL: window.location.origin + '/'});</script>")


class PageShell(ScopedMiddleware):
    """ASGI middleware: add `SCRIPT` at the top of the head of every HTML page served."""

    def applies_to(self, scope):
        """A browser asking for a page of the lab."""
        return scope["type"] == "http" and scope["method"] == "GET" and is_page(scope["path"])

    async def handle(self, scope, receive, send):
        """Pass the request on and add `SCRIPT` to the HTML page that comes back."""
        # Asked uncompressed, to be read here: the page is 8 KB, the scripts it loads are not.
        scope = dict(scope, headers=[(name, value) for name, value in scope["headers"]
                                     if name != b"accept-encoding"])
        start, body = None, []

        async def send_with_script(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    await send(message)
                    return
                start = message  # held until the whole page is read
                return
            if start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body).replace(b"<head>", b"<head>" + SCRIPT, 1)
            headers = [(name, value) for name, value in start.get("headers", [])
                       if name != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send(dict(start, headers=headers))
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_with_script)


def is_page(path):
    """Whether a request's path names a page of the lab ("/", "/draw"), not a file or an API."""
    return not path.startswith("/_stcore/") and "." not in path.rsplit("/", 1)[-1]
