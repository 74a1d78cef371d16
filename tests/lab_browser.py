"""Drive the lab in Debian's Chromium: start a server, draw on the canvas (tests, benchmarks)."""

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


def free_port():
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(environment=None, root=ROOT, cpus=None):
    """Start `streamlit run app.py` on 127.0.0.1 at a free port.

    Args:
        environment: the server's environment variables (default: this process's).
        root: the checkout whose app.py runs (benchmarks compare two checkouts).
        cpus: optional set of CPU numbers the server is pinned to, e.g. {0}.

    Returns:
        (the server process, its URL); the server may still be starting.
    """
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=root, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    return server, f"http://127.0.0.1:{port}"


def wait_until_healthy(url, timeout=60):
    """True once the server at `url` answers its health check, False after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return True
        except OSError:
            time.sleep(0.3)
    return False


def wait_until_idle(page, timeout=60):
    """Wait until Streamlit has finished running the script (a status widget shows meanwhile)."""
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                           timeout=timeout * 1000)


def assert_no_exception(page):
    """Fail with the error texts if the page shows any Streamlit exception."""
    errors = page.locator("[data-testid=stException]")
    assert errors.count() == 0, errors.all_inner_texts()


def draw_stroke(page, points):
    """Drag the mouse through `points` (canvas pixels) on the Draw page's canvas."""
    box = page.locator("canvas.upper-canvas").bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()
