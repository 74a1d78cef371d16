"""Mischievous pupils in Chromium: what they type stays text, and no browser empties the caches.

Every browser context is one pupil; every request any page makes is watched: the lab's pages
must never make a browser fetch anything from outside the lab's own server.
"""

import os
import re
import urllib.parse

from tests.lab_browser import assert_no_exception, draw_stroke, open_page, serve, start_server
from tests.lab_browser import wait_until_healthy, wait_until_idle
from tests.pages.test_teacher_browser import start_a_long_run, type_nickname

VIEWPORT = {"width": 1400, "height": 1000}
# At most 30 characters each (the nickname's length): a picture, raw HTML, and the rest.
HOSTILE = ["![i](http://127.0.0.1:9/t.png)", "<img src=http://127.0.0.1:9/y>",
           "**b** :red[r] :smile: [l](/x)"]
TOUR = ["", "train", "draw", "class_page", "our_handwriting", "stump", "confusion_matrix"]
# Streamlit's own clear-cache message (BackMsg field 5, clear_cache = true), as a pupil could
# send it down a websocket of their own from the browser's console.
SEND_CLEAR_CACHE = """async count => {
    const url = location.origin.replace(/^http/, 'ws') + '/_stcore/stream';
    const socket = new WebSocket(url, ['streamlit']);
    await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
    for (let sent = 0; sent < count; sent++) {
        socket.send(new Uint8Array([0x28, 0x01]));
        await new Promise(resolve => setTimeout(resolve, 50));
    }
    await new Promise(resolve => setTimeout(resolve, 300));
    socket.close();
}"""


def shown_text(page):
    """The page's visible text, without the invisible word joiners kept after colons."""
    return page.inner_text("body").replace("\u2060", "")


def test_hostile_nicknames_render_as_text_and_fetch_nothing_outside(browser, tmp_path):
    environment = dict(os.environ, MNIST_LAB_HOME=str(tmp_path / "lab"),
                       MNIST_LAB_MAX_TRAINING="1")
    outside = []
    with serve(environment) as url:
        contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(len(HOSTILE) + 1)]
        for context in contexts:
            context.on("request", lambda request: _leaves(request.url, url)
                       and outside.append(request.url))
        *pupils, classmate = contexts
        try:
            trainer = open_page(pupils[0], url, "train")
            type_nickname(trainer, HOSTILE[0])
            start_a_long_run(trainer)
            for number, (pupil, nickname) in enumerate(zip(pupils[1:], HOSTILE[1:]), 1):
                drawer = open_page(pupil, url, "class_page")
                type_nickname(drawer, nickname)
                draw_stroke(drawer, [(140, 50), (140, 230)])
                wait_until_idle(drawer)
                drawer.get_by_role("button", name="Save").click()
                drawer.wait_for_selector("text=/Saved your \\d as /", timeout=30000)
                # Runs of their own (equal settings would join the first): they wait in line.
                start_a_long_run(open_page(pupil, url, "train"), epochs=200 - number)

            train = open_page(classmate, url, "train")
            train.wait_for_selector("text=Training in the class", timeout=30000)
            for nickname in HOSTILE:
                assert f"started by {nickname}: " in shown_text(train)
            # The row of the first pupil's run (the Markdown picture), wherever the list has it.
            rows = train.locator("[data-testid=stHorizontalBlock]")
            row = rows.filter(has_text="started by ![i](").filter(has_not=rows)
            row.locator("[class*=st-key-open-] button").click()
            heading = train.get_by_role("heading", name=re.compile("^Training .*, started by"))
            heading.wait_for(timeout=30000)
            assert heading.inner_text().replace("\u2060", "").endswith(f"started by {HOSTILE[0]}")
            assert train.locator("[data-testid=stMain] img, [data-testid=stMain] strong "
                                 "a[href]").count() == 0
            for path in TOUR:
                page = open_page(classmate, url, path)
                assert_no_exception(page)
                page.close()
            trainer.get_by_role("button", name="Stop").click()
        finally:
            for context in contexts:
                context.close()
    assert outside == []


def _leaves(address, lab_url):
    """Whether a browser's request goes anywhere but the lab (blob: and data: stay inside)."""
    return (urllib.parse.urlsplit(address).scheme in ("http", "https", "ws", "wss")
            and not address.startswith(lab_url))


def _cpu_seconds(pid):
    """User and system CPU time a process has used so far, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _resident_megabytes(pid):
    return int(open(f"/proc/{pid}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_a_clear_cache_message_leaves_the_class_caches_and_memory_alone(browser, tmp_path):
    environment = dict(os.environ, MNIST_LAB_HOME=str(tmp_path / "lab"))
    server, url = start_server(environment)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        assert wait_until_healthy(url)
        pupil = open_page(context, url, "confusion_matrix")  # model and test results cached
        memory_before = _resident_megabytes(server.pid)
        visits = []
        for _round in range(3):
            pupil.evaluate(SEND_CLEAR_CACHE, 5)
            before = _cpu_seconds(server.pid)
            open_page(context, url, "confusion_matrix").close()
            visits.append(_cpu_seconds(server.pid) - before)
        # Cleared, each visit loads the model and tests it again: ~2.5 s of CPU and +40 MB.
        assert max(visits) < 1.0, visits
        assert _resident_megabytes(server.pid) - memory_before < 30
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
    log = (tmp_path / "lab" / "class.log").read_text().splitlines()
    assert sum("asked to clear the server's caches" in line for line in log) == 15
