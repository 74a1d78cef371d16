"""The lab's door: every browser gets its pupil cookie here, and the teacher's key is opened here.

A Starlette middleware around Streamlit's own server (`app.py` passes it to `st.App`): it runs
on every HTTP request before Streamlit, so the cookie is set on the page itself (HttpOnly: no
script of the page can read or change it) and is sent with the websocket every rerun comes
through, where `st.context.cookies` reads it (`ui/pupil.py`). A request with `?teacher=<key>`
never reaches a page: the right key makes the browser the teacher's and redirects to the same
address without the key; a wrong one is refused, a few per minute at most.
"""

import contextlib
import html
import urllib.parse

import streamlit as st
from starlette.requests import HTTPConnection
from starlette.responses import HTMLResponse, RedirectResponse
from streamlit import config
from streamlit.errors import StreamlitSecretNotFoundError

from mnist_core import i18n
from mnist_core.i18n import N_
from mnist_core.people import roster
from mnist_core.people.roster import COOKIE
from server.scoped_middleware import ScopedMiddleware

# A pupil stays the same pupil for a school year, unless the browser forgets its cookies.
COOKIE_SECONDS = 365 * 24 * 3600


class Entrance(ScopedMiddleware):
    """ASGI middleware: the pupil cookie, the class lock and the teacher's key."""

    def applies_to(self, scope):
        """Every HTTP request: the page, its scripts and the APIs."""
        return scope["type"] == "http"

    async def handle(self, scope, receive, send):
        """Refuse, redirect, or pass on the request with the pupil cookie set."""
        connection = HTTPConnection(scope)
        pupil_id = connection.cookies.get(COOKIE)
        new = not roster.is_pupil_id(pupil_id)
        # A new browser only gets its cookie here: it joins the roster when a page of the lab
        # runs for it (`ui/pupil.me`), so health checks and scripts are never counted.
        refused = roster.is_locked() if new else not roster.admit(pupil_id)
        if refused:
            await _page(connection, N_("The class is locked: ask your teacher."), 403)(
                scope, receive, send)
            return
        if new:
            pupil_id = roster.new_pupil_id()
        if "teacher" in connection.query_params:
            response = _open_key(connection, pupil_id)
            _set_cookie(response, pupil_id)
            await response(scope, receive, send)
            return
        if not new:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                cookie = _set_cookie(HTMLResponse(), pupil_id).headers["set-cookie"]
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _open_key(connection, pupil_id):
    """The response to `?teacher=<key>`: a redirect without the key, or a refusal."""
    address = connection.client.host if connection.client else "unknown"
    try:
        right = roster.use_key(pupil_id, connection.query_params["teacher"], address)
    except PermissionError as error:
        return _page(connection, str(error), 429)
    if not right:
        return _page(connection, N_("That is not the teacher's key."), 403)
    query = urllib.parse.urlencode([(name, value) for name, value in
                                    connection.query_params.multi_items() if name != "teacher"])
    return RedirectResponse(connection.url.path + (f"?{query}" if query else ""), 303)


def _set_cookie(response, pupil_id):
    """Give `response` the pupil cookie; returns it."""
    response.set_cookie(COOKIE, pupil_id, max_age=COOKIE_SECONDS, path="/", httponly=True,
                        samesite="lax")
    return response


def _page(connection, message, status):
    """A one-line page in the browser's language, for a request that never reaches the lab.

    `message` is an English msgid: no page runs here, so the core's messages are English too.
    """
    language = i18n.language_for(connection.headers.get("accept-language"))
    message = i18n.translations(language).gettext(message)
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>MNIST Lab</title>"
                        f"<p style='font:1.4rem sans-serif;margin:3rem'>{html.escape(message)}",
                        status)


@contextlib.asynccontextmanager
async def lifespan(_app):
    """At start-up, print the teacher's address (with a fresh key) in the server's terminal."""
    key = roster.configure_key(_secret_key())
    port = config.get_option("server.port")
    print(f"\n  Teacher: open http://localhost:{port}/?teacher={urllib.parse.quote(key)} "
          "in this computer's browser (keep it off the projector).\n", flush=True)
    yield


def _secret_key():
    """`teacher_key` from .streamlit/secrets.toml, if the teacher set one there."""
    try:
        return st.secrets.get("teacher_key")
    except StreamlitSecretNotFoundError:  # no secrets.toml: the usual case
        return None
