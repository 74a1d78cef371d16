"""The lab's upload budget: what browsers upload and have not used yet stays within a limit.

Streamlit keeps every file a browser puts in a file uploader in the server's memory until the
page forgets it, pressed Upload or not, and a closed tab's files stay until its session
expires: ten 20 MB files chosen in three tabs are 600 MB of a laptop's memory. This middleware,
around Streamlit's server (`app.py`), refuses a new file (HTTP 413, which the uploader shows
under the file) while the files held for the whole class would pass `HELD_BYTES`.
"""

from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse
from streamlit import runtime

from mnist_core import i18n
from mnist_core.i18n import N_
from server.scoped_middleware import ScopedMiddleware

HELD_BYTES = 200 * 2**20
UPLOAD_PATH = "/_stcore/upload_file/"


class UploadBudget(ScopedMiddleware):
    """ASGI middleware: refuse an uploaded file that would pass the server's upload budget."""

    def applies_to(self, scope):
        """A file a browser puts in a file uploader."""
        return scope["type"] == "http" and scope["method"] == "PUT" and UPLOAD_PATH in scope["path"]

    async def handle(self, scope, receive, send):
        """Refuse the file (HTTP 413) if it would pass the budget, or pass it on."""
        connection = HTTPConnection(scope)
        try:
            size = int(connection.headers.get("content-length", ""))
        except ValueError:
            size = HELD_BYTES  # a stream of unknown length: only into an empty budget
        if held_bytes() + size > HELD_BYTES:
            language = i18n.language_for(connection.headers.get("accept-language"))
            message = i18n.translations(language).gettext(N_(
                "The server holds too many uploaded files right now: try again in a minute, "
                "or upload fewer or smaller files."))
            await PlainTextResponse(message, 413)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def held_bytes():
    """Bytes of uploaded files Streamlit holds in memory for every session of the server."""
    if not runtime.exists():
        return 0
    manager = runtime.get_instance().uploaded_file_mgr
    return sum(stat.byte_length for stats in manager.get_stats().values() for stat in stats)
