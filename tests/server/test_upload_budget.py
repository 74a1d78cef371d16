"""The upload budget: a file that would pass what the server holds for uploaders is refused."""

from server import upload_budget
from tests.server import asgi


async def streamlit(scope, receive, send):
    """Stands in for Streamlit's upload route: takes the file."""
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def put(size, path="/_stcore/upload_file/session/file", method="PUT"):
    """(status, body) of an upload of `size` bytes through the budget."""
    headers = [(b"content-length", str(size).encode()), (b"accept-language", b"zh-TW")]
    status, _headers, body = asgi.request(upload_budget.UploadBudget(streamlit), method, path,
                                          headers)
    return status, body.encode()


def test_files_are_taken_while_the_budget_lasts(monkeypatch):
    megabyte = 2**20
    monkeypatch.setattr(upload_budget, "held_bytes", lambda: 150 * megabyte)
    assert put(20 * megabyte)[0] == 204
    status, body = put(60 * megabyte)
    assert status == 413 and "上傳" in body.decode()  # in the browser's language
    assert put(60 * megabyte, method="DELETE")[0] == 204  # removing a file is always allowed
    assert put(60 * megabyte, path="/train")[0] == 204
    monkeypatch.setattr(upload_budget, "held_bytes", lambda: 0)
    assert put(60 * megabyte)[0] == 204


def test_nothing_is_held_without_a_running_server():
    assert upload_budget.held_bytes() == 0
