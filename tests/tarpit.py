"""A proxy on 127.0.0.1 that accepts connections and never answers, like a dead school proxy."""

import contextlib
import socket
import threading

PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")


@contextlib.contextmanager
def serving():
    """Run the tarpit; yields (its URL, the list of connections it accepted so far)."""
    server = socket.create_server(("127.0.0.1", 0))
    connections = []

    def accept_forever():
        while True:
            try:
                connections.append(server.accept()[0])
            except OSError:  # the server was closed
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    finally:
        server.close()
        for connection in connections:
            connection.close()


def proxy_environment(url):
    """Environment variables that send every download through the proxy at `url`.

    Only the lab's own server (127.0.0.1) is reached directly, as by a browser in the room.
    """
    return dict.fromkeys(PROXY_VARIABLES, url) | dict.fromkeys(("no_proxy", "NO_PROXY"),
                                                               "127.0.0.1,localhost")
