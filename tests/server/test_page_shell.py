"""The page shell: every page of the lab tells Streamlit's frontend where the server is."""

import gzip

from server import page_shell
from tests.server import asgi

PAGE = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body></body></html>"


def streamlit(asked):
    """Stands in for Streamlit's static files: the page gzipped when the browser accepts it."""

    async def app(scope, receive, send):
        headers = dict(scope["headers"])
        asked.append(headers)
        html = scope["path"] in ("/", "/draw")
        body = PAGE if html else b"console.log(1)"
        encoding = []
        if html and b"gzip" in headers.get(b"accept-encoding", b""):
            body, encoding = gzip.compress(body), [(b"content-encoding", b"gzip")]
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/html; charset=utf-8" if html else b"text/javascript"),
            (b"content-length", str(len(body)).encode()), *encoding]})
        await send({"type": "http.response.body", "body": body})

    return app


def get(path):
    """(headers the server was asked with, status, response headers, body) of a GET."""
    asked = []
    status, headers, body = asgi.request(
        page_shell.PageShell(streamlit(asked)), "GET", path, [(b"accept-encoding", b"gzip")])
    return asked[0], status, headers, body


def test_a_page_opened_straight_knows_the_servers_root():
    asked, status, headers, body = get("/draw")
    assert status == 200 and b"accept-encoding" not in asked
    assert body.startswith("<!DOCTYPE html><html><head><script>window.__streamlit")
    assert "BACKEND_BASE_URL: window.location.origin + '/'" in body
    assert body.endswith("<title>Streamlit</title></head><body></body></html>")
    assert int(headers["content-length"]) == len(body.encode())


def test_files_and_the_servers_own_routes_pass_untouched():
    asked, status, headers, body = get("/static/js/index.js")
    assert asked[b"accept-encoding"] == b"gzip" and body == "console.log(1)"
    assert not page_shell.is_page("/_stcore/health") and page_shell.is_page("/")
