"""Drive the lab in Debian's Chromium: start a server, draw on the canvas (tests, benchmarks)."""

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
# The lab's menu as lab.py draws it in the sidebar: section captions and page links, in order.
MENU_SECTIONS = {
    "Lab": ["Home", "Train", "Draw", "Feature maps", "Confusion matrix", "Why this answer?",
            "Map of the test set"],
    "Class": ["Class", "Our handwriting", "Stump the model"],
    "Lessons": ["Hello World neuron", "Convolution playground", "Backpropagation",
                "Compare models"],
}
MENU = [title for titles in MENU_SECTIONS.values() for title in titles]


def free_port():
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(environment=None, root=ROOT, cpus=None, log=None):
    """Start `streamlit run app.py` on 127.0.0.1 at a free port.

    Args:
        environment: the server's environment variables (default: this process's).
        root: the checkout whose app.py runs (benchmarks compare two checkouts).
        cpus: optional set of CPU numbers the server is pinned to, e.g. {0}.
        log: optional path of a file for the server's terminal output (else it is dropped).

    Returns:
        (the server process, its URL); the server may still be starting.
    """
    port = free_port()
    output = open(log, "w") if log else subprocess.DEVNULL  # open while the server runs
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=root, env=environment, stdout=output, stderr=subprocess.STDOUT,
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    return server, f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serve(environment=None, log=None):
    """A running `streamlit run app.py` (see `start_server`) for a `with` block; yields its URL."""
    server, url = start_server(environment, log=log)
    try:
        if not wait_until_healthy(url):
            raise RuntimeError("streamlit did not start within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_healthy(url, timeout=60):
    """True once the server at `url` answers its health check, False after `timeout` s."""
    # Never through a proxy: urllib's shared opener keeps the proxies of its first use, which
    # may have been a test's dead one (tests/tarpit.py), long since gone.
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            direct.open(f"{url}/_stcore/health", timeout=1)
            return True
        except OSError:
            time.sleep(0.3)
    return False


# Follows one page's websocket to Streamlit: the reruns it asks for (BackMsg field 11,
# rerun_script, unless its ClientState's field 6, is_auto_rerun, is set: a fragment's
# run_every), the runs the server starts (ForwardMsg field 4, new_session) and finishes
# (field 6, script_finished, unless 2: stopped for a rerun). Installed into a loaded page by
# `wait_until_idle`, from then on it sees every message; 300 ms without any message (the
# socket's or a component's) count as settled, as Playwright's "networkidle" does with 500.
_WATCH_RUNS = """() => {
    if (!window.__labRuns) {
        const runs = window.__labRuns = {events: 0, rerun: 0, started: 0, finished: 0, seen: 0,
                                         active: performance.now()};
        // A component (the canvas) may answer a run with a new value a moment after it ended.
        window.addEventListener('message', () => { runs.active = performance.now(); });
        const bytes = data => ArrayBuffer.isView(data)
            ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(0);
        // Calls visit(field number, varint value or length, body of a length-delimited field).
        const eachField = (message, visit) => {
            let at = 0;
            const varint = () => {
                let value = 0, shift = 1, byte;
                do { byte = message[at++]; value += (byte & 127) * shift; shift *= 128; }
                while (byte & 128 && at < message.length);
                return value;
            };
            while (at < message.length) {
                const tag = varint(), wire = tag & 7;
                const value = wire === 0 || wire === 2 ? varint() : 0;
                visit(Math.floor(tag / 8), value, message.subarray(at, at + value));
                at += wire === 1 ? 8 : wire === 5 ? 4 : wire === 2 ? value : 0;
            }
        };
        const watched = new WeakSet();
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            if (!watched.has(this)) {
                watched.add(this);
                this.addEventListener('message', event => (runs.active = performance.now())
                    && eachField(bytes(event.data),
                    (field, value) => {
                        if (field === 4) runs.started = ++runs.events;
                        if (field === 6 && value !== 2) runs.finished = ++runs.events;
                    }));
            }
            runs.active = performance.now();
            eachField(bytes(data), (field, value, clientState) => {
                if (field !== 11) return;
                let automatic = false;
                eachField(clientState, (inner, flag) => {
                    automatic ||= inner === 6 && flag === 1;
                });
                if (!automatic) runs.rerun = ++runs.events;
            });
            return send.call(this, data);
        };
    }
    window.__labRuns.seen = window.__labRuns.events;
}"""

_IDLE = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const state = app && app.getAttribute('data-test-script-state');
    const runs = window.__labRuns;
    return (state === 'notRunning' || state === 'compilationError')
        && !document.querySelector('[data-testid=stStatusWidget]')
        && (!runs || (runs.rerun > runs.seen && runs.started > runs.rerun
                      && runs.finished > runs.started
                      && performance.now() - runs.active > 300));
}"""


def wait_until_idle(page, timeout=60):
    """Wait until the script run the last action asked for (or the page load) has finished."""
    # The first call on a loaded page waits until no script runs; later calls on the same
    # page wait for a rerun asked for since the previous call (not a fragment's run_every), a
    # run started after the latest one and its end, so call it after each action that reruns
    # the script (a click, a stroke, Enter in a field).
    page.wait_for_function(_IDLE, timeout=timeout * 1000)
    page.evaluate(_WATCH_RUNS)


def open_page(context, url, path):
    """A new tab of `context` on the page at `path`, once its script has finished."""
    page = context.new_page()
    page.goto(f"{url}/{path}")
    page.wait_for_selector("h1", timeout=60000)
    wait_until_idle(page, timeout=90)
    return page


def menu_links(page, count, timeout=10):
    """The texts of the lab's page links in the sidebar, once `count` of them are drawn."""
    links = page.locator("[data-testid=stSidebar] [data-testid=stPageLink]")
    links.nth(count - 1).wait_for(timeout=timeout * 1000)
    return [text.split("\n")[-1].strip() for text in links.all_inner_texts()]


def assert_no_exception(page):
    """Fail with the error texts if the page shows any Streamlit exception."""
    errors = page.locator("[data-testid=stException]")
    assert errors.count() == 0, errors.all_inner_texts()


def draw_stroke(page, points, canvas=None):
    """Drag the mouse through `points` (canvas pixels) on a canvas (default: the page's only one)."""
    box = (canvas or page.locator("canvas.upper-canvas")).bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()


def choose_in_selectbox(page, label, option, within=None, timeout=10):
    """Open the selectbox labelled `label` and pick the option whose text is `option`.

    `within` (a locator, e.g. the main column) tells apart selectboxes of the same label.
    """
    (within or page).get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click(timeout=timeout * 1000)


def choose_language(page, name):
    """Switch the sidebar's language picker to `name` (e.g. "繁體中文") and wait for the rerun."""
    # As a reader would, scroll the sidebar down first: at the window's lower edge, where a
    # click alone leaves the picker, its list has no room to open.
    page.locator("[data-testid=stSidebarContent]").evaluate(
        "sidebar => sidebar.scrollTo(0, sidebar.scrollHeight)")
    choose_in_selectbox(page, "Language · 語言 · 语言", name)
    wait_until_idle(page)


def draw_a_one(page):
    """Draw a one on the Draw page's canvas; the Prediction metric's value once it is read."""
    draw_stroke(page, [(140, 50), (140, 230)])
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=30000)
    wait_until_idle(page)
    return page.locator("[data-testid=stMetricValue]").first.inner_text()
