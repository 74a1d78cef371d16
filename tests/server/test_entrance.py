"""The lab's door: the pupil cookie, the locked class and the teacher's key, as HTTP sees them."""

from mnist_core.people import roster
from mnist_core.people.roster import COOKIE
from server import entrance
from tests.classmates import TEACHER
from tests.server import asgi


async def streamlit(scope, receive, send):
    """Stands in for Streamlit's server: an empty page."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"the lab"})


def get(path, query="", cookie=None, language="zh-TW"):
    """(status, headers dict, body) of a GET through the door."""
    headers = [(b"accept-language", language.encode())]
    if cookie:
        headers.append((b"cookie", f"{COOKIE}={cookie}".encode()))
    return asgi.request(entrance.Entrance(streamlit), "GET", path, headers, query)


def pupil_of(headers):
    """The pupil id a response's Set-Cookie gives."""
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    return cookie.split(";")[0].split("=")[1]


def test_a_new_browser_gets_a_pupil_cookie_and_keeps_it():
    status, headers, body = get("/draw")
    assert status == 200 and body == "the lab"
    ada = pupil_of(headers)
    assert roster.is_pupil_id(ada) and roster.pupil_count() == 0  # until a page runs for it
    status, headers, _body = get("/train", cookie=ada)
    assert status == 200 and "set-cookie" not in headers and roster.pupil_count() == 1
    get("/train", cookie=ada)
    assert roster.pupil_count() == 1
    assert pupil_of(get("/", cookie="../../forged")[1]) != ada  # a bad cookie: a new pupil


def test_the_right_key_makes_the_teacher_and_leaves_the_address_bar():
    ada = pupil_of(get("/")[1])
    status, headers, _body = get("/draw", "teacher=right-key&lang=zh", cookie=ada)
    assert status == 303 and headers["location"] == "/draw?lang=zh"
    assert roster.person(ada).is_teacher


def test_a_wrong_key_is_refused_then_rate_limited_in_the_browsers_language():
    ada = pupil_of(get("/")[1])
    for _ in range(roster.WRONG_KEYS_PER_MINUTE):
        status, _headers, body = get("/", "teacher=guess", cookie=ada, language="en")
        assert status == 403 and "not the teacher&#x27;s key" in body
    status, _headers, body = get("/", "teacher=right-key", cookie=ada, language="en")
    assert status == 429 and "Too many wrong teacher keys" in body
    assert not roster.person(ada).is_teacher


def test_a_locked_class_turns_new_browsers_away():
    ada = pupil_of(get("/")[1])
    roster.admit(ada)  # her page ran
    roster.set_locked(True, TEACHER)
    assert get("/", cookie=ada)[0] == 200
    status, headers, body = get("/")
    assert status == 403 and "set-cookie" not in headers and "<p" in body
