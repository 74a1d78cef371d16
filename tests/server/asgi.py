"""Drive one of the lab's ASGI middlewares without a server, for the tests of `server/`."""

import asyncio
import concurrent.futures


def run(coroutine):
    """Run a coroutine to its end in a thread of its own (Playwright's sync API may hold this
    thread's event loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def request(middleware, method, path, headers, query=""):
    """(status, headers dict, body text) of one HTTP request through `middleware` (an app)."""
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "headers": headers, "client": ("10.0.0.7", 5000),
             "server": ("127.0.0.1", 8501), "scheme": "http", "root_path": ""}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    run(middleware(scope, receive, send))
    start = sent[0]
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return start["status"], {name.decode(): value.decode()
                             for name, value in start["headers"]}, body.decode()
