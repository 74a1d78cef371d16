"""Measure the lab serving a whole class from one laptop.

Prints: after `streamlit run`, when Home is painted and when Draw shows its canvas and its first
answer (timed in the page; a one-line Streamlit app's paint for reference); server CPU per
Draw stroke and per page visit (one real browser); then N students drawing at once,
replayed at the protocol level (30 browsers would saturate the client's core by themselves):
stroke -> Prediction latency p50/p95, opening Draw p50, wrong answers, errors, server memory.

With --hostile-uploader, one more browser uploads a zip of 300 blank 1024x1024 PNGs on Train
again and again while the class draws; first the server CPU one such upload costs, and the
20 MB worst case (4,000 of them), are measured on the idle server.

With --visit-map, the per-visit figures include the Map of the test set, and a stroke on its
canvas (set MNIST_LAB_HOME to a folder where `benchmarks/explanations.py --home` left the
map); with --computing-map, the shipped model's map is computed (as the page starts it: its
own process, at low priority) while the class draws.

Run: python benchmarks/classroom_load.py [--students 30] [--seconds 60] [--root CHECKOUT]
[--hostile-uploader] [--visit-map] [--computing-map] (needs Debian chromium and pip
playwright; the server is pinned to CPU 0, the students to 1).
"""

import argparse
import asyncio
import io
import json
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

import websockets
from PIL import Image
from playwright.sync_api import sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from tests.lab_browser import (  # noqa: E402
    BROWSER_ARGS,
    ROOT,
    choose_in_selectbox,
    draw_stroke,
    open_page,
    start_server,
    wait_until_healthy,
    wait_until_idle,
)
from tests.polling import wait_until  # noqa: E402

ONE = [(140, 50), (140, 230)]
SEVEN = [(70, 50), (210, 50), (120, 240)]
# The menu links visited, and the heading each page shows once it has run.
VISITS = {"Feature maps": "Feature maps", "Confusion matrix": "Confusion matrix",
          "Train": "Train", "Home": "MNIST Lab", "Hello World neuron": "Hello World neuron"}


def server_cpu_seconds(pid):
    """User + system CPU seconds the process has used so far (from /proc)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_memory_mb(pid):
    """Resident memory of the process in MB."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_after_settling(pid):
    """The server's CPU seconds once it has stopped working (no change for 0.3 s).

    Streamlit's "running" indicator shows only for runs that take a while, so a page can look
    idle while the server still works on it.
    """
    last, unchanged = server_cpu_seconds(pid), 0
    while unchanged < 3:
        time.sleep(0.1)
        now = server_cpu_seconds(pid)
        unchanged = unchanged + 1 if now == last else 0
        last = now
    return last


def prediction(page):
    """The Prediction metric's value on the page, or None before there is one."""
    value = page.locator("[data-testid=stMetricValue]").first
    return value.inner_text().strip() if value.count() else None


def clear_canvas(page):
    """Empty the Draw page's canvas with its Clear button."""
    page.get_by_role("button", name="Clear", exact=True).click()
    wait_until_idle(page)


# Notes, in the page itself, the first frame in which an element matching each selector is
# there (ms since the document's navigation started; the canvas is in its component's shadow
# root):
# Playwright's own polling from this process would add up to ~0.4 s, on the core the browser
# shares with it.
_APPEARANCES = """
window.__appeared = {};
const find = (selector) => document.querySelector(selector) || [
  ...document.querySelectorAll(".st-key-canvas *")].find((node) => node.shadowRoot
  && node.shadowRoot.querySelector(selector));
const look = () => {
  for (const selector of %s)
    if (!(selector in window.__appeared) && find(selector))
      window.__appeared[selector] = performance.now();
  requestAnimationFrame(look);
};
requestAnimationFrame(look);
""" % json.dumps(["h1", "canvas.upper-canvas", "[data-testid=stMetricValue]"])


def appeared(page, selector, since=0.0, timeout=120):
    """Seconds from `since` (ms, the page's clock; 0: its navigation) until `selector` appeared."""
    noted = page.wait_for_function("selector => window.__appeared[selector]", arg=selector,
                                   timeout=timeout * 1000)
    return (noted.json_value() - since) / 1000


def page_clock(page):
    """The page's clock now (ms), after forgetting what has appeared so far."""
    return page.evaluate("() => { window.__appeared = {}; return performance.now(); }")


def bare_streamlit_figure(browser):
    """Seconds until a one-line Streamlit app (a title) is painted: the browser's own share."""
    with tempfile.TemporaryDirectory() as folder:
        pathlib.Path(folder, "app.py").write_text('import streamlit as st\nst.title("Hello")\n')
        server, url = start_server(root=folder, cpus={0})
        try:
            if not wait_until_healthy(url, timeout=60):
                raise SystemExit("the one-line streamlit app did not start within 60 s")
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(_APPEARANCES)
            page.goto(url)
            figure = appeared(page, "h1")
            page.close()
            return figure
        finally:
            server.terminate()


def first_visit_figures(url, page):
    """Draw opened straight after `streamlit run` answers (the projector on the Network URL):
    canvas shown and first answer; then Home, and Draw from the menu (in-page times)."""
    figures = {}
    page.goto(f"{url}/draw")
    figures["draw: canvas shown, fresh server, straight to /draw (s)"] = appeared(
        page, "canvas.upper-canvas")
    draw_stroke(page, ONE)  # at once: the model may still be loading
    wait_until(lambda: prediction(page) == "1", 120)
    figures["draw: first answer, fresh server, straight to /draw (s)"] = appeared(
        page, "[data-testid=stMetricValue]")
    wait_until_idle(page, timeout=120)
    page.goto(url)
    figures["home painted, first visit (s)"] = appeared(page, "h1")  # its title
    wait_until_idle(page)
    since = page_clock(page)
    page.locator("[data-testid=stSidebar] [data-testid=stPageLink]", has_text="Draw").click()
    figures["draw: canvas shown, warm, from the menu (s)"] = appeared(
        page, "canvas.upper-canvas", since)
    wait_until_idle(page)
    return figures


def browser_figures(server, url, browser, visits):
    """First-visit times, CPU per stroke and per visit, and the recorded BackMsg frames."""
    frames, strokes = [], []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(_APPEARANCES)
    figures = first_visit_figures(url, page)
    page.on("websocket", lambda socket: socket.on(
        "framesent", lambda payload: frames.append(payload)))
    page.goto(f"{url}/draw")
    figures["draw: canvas shown, warm, new page load (s)"] = appeared(page, "canvas.upper-canvas")
    wait_until_idle(page)
    figures["one-line streamlit app painted, for reference (s)"] = bare_streamlit_figure(browser)
    opening = len(frames)
    stroke_cpu = []
    for repeat in range(6):
        for points, digit in ((ONE, "1"), (SEVEN, "7")):
            if digit == "7":
                clear_canvas(page)
            recorded = len(frames)
            before = cpu_after_settling(server.pid)
            draw_stroke(page, points)
            wait_until(lambda: prediction(page) == digit, 30)
            stroke_cpu.append(cpu_after_settling(server.pid) - before)
            if repeat == 0:
                strokes.append((digit, [frame for frame in frames[recorded:]
                                        if isinstance(frame, bytes)]))
        clear_canvas(page)
    figures["server CPU per stroke, median of 12 (ms)"] = 1000 * statistics.median(stroke_cpu)
    for name in [*visits] * 2:  # the second round is the warm one
        link = page.locator("[data-testid=stSidebar] [data-testid=stPageLink]", has_text=name)
        before = cpu_after_settling(server.pid)
        link.first.click()
        page.wait_for_selector(f"h1:has-text('{visits[name]}')", timeout=120000)
        figures[f"server CPU per visit, {name} (ms)"] = 1000 * (
            cpu_after_settling(server.pid) - before)
    if "Map of the test set" in visits:
        figures["server CPU per stroke on the map's canvas, median of 6 (ms)"] = 1000 * (
            map_stroke_cpu(server, page))
    page.close()
    open_draw = [frame for frame in frames[:opening] if isinstance(frame, bytes)]
    return figures, open_draw, strokes


def map_stroke_cpu(server, page):
    """Median server CPU seconds of a stroke on the Map page's canvas (the star moves)."""
    page.locator("[data-testid=stSidebar] [data-testid=stPageLink]",
                 has_text="Map of the test set").first.click()
    canvas = page.locator(".st-key-map_canvas canvas.upper-canvas")
    canvas.wait_for(timeout=120000)  # only once the map is computed
    wait_until_idle(page)
    scale = 220 / 280  # the map's canvas is smaller than Draw's
    stroke_cpu = []
    for repeat in range(3):
        for points in (ONE, SEVEN):
            before = cpu_after_settling(server.pid)
            draw_stroke(page, [(x * scale, y * scale) for x, y in points], canvas)
            wait_until_idle(page)
            stroke_cpu.append(cpu_after_settling(server.pid) - before)
            page.locator(".st-key-map_canvas-clear button").click()
            wait_until_idle(page)
    return statistics.median(stroke_cpu)


def blank_pictures_zip(count, folder):
    """A zip of `count` blank 1024x1024 PNGs named like digits (4.6 KB each, stored); its path."""
    buffer = io.BytesIO()
    Image.new("L", (1024, 1024)).save(buffer, format="PNG", compress_level=1)
    path = pathlib.Path(folder) / f"blank-{count}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for index in range(count):
            archive.writestr(f"{index % 10}/{index}.png", buffer.getvalue())
    return path


def upload_and_wait_for_refusal(page, zip_path):
    """Choose a zip in Train's uploader, press Upload, and wait until it is refused."""
    main = page.locator("[data-testid=stMain]")
    choose_in_selectbox(page, "Data set", "Upload labelled images...", within=main)
    page.locator("[data-testid=stMain] input[type=file]").set_input_files(str(zip_path))
    # Enabled once the file is on the server (a click waits for that); not the uploader's own.
    page.locator("[data-testid=stMain] [data-testid=stButton] button", has_text="Upload").click()
    page.wait_for_selector("text=Upload refused", timeout=300000)
    wait_until_idle(page, timeout=300)


def hostile_upload_figures(server, url, browser, folder):
    """Server CPU for one refused upload of 300 large blank PNGs, and of the 20 MB worst case."""
    figures = {}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    for count in (300, 4_000):  # 4,000 nearly fill the 20 MB an upload may hold
        zip_path = blank_pictures_zip(count, folder)
        page = open_page(context, url, "train")
        before = cpu_after_settling(server.pid)
        upload_and_wait_for_refusal(page, zip_path)
        figures[f"server CPU to refuse {count:,} blank 1024x1024 PNGs "
                f"({zip_path.stat().st_size / 2**20:.1f} MB zip) (s)"] = (
            cpu_after_settling(server.pid) - before)
        page.close()
    context.close()
    return figures


def upload_again_and_again(url, zip_path, stop, refusals):
    """A pupil uploading the large-PNG zip on Train until `stop` is set (its own browser)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=BROWSER_ARGS)
        page = open_page(browser.new_context(viewport={"width": 1400, "height": 1000}),
                         url, "train")
        while not stop.is_set():
            upload_and_wait_for_refusal(page, zip_path)
            refusals.append(time.monotonic())
            page.reload()
            wait_until_idle(page)
        browser.close()


def computing_map(environment, folder):
    """Start computing the shipped model's test-set map as the Map page does, in a lab folder
    of its own (so that no earlier map is found); the process."""
    command = ("import sys; from mnist_core.networks import store, test_map; "
               "test_map.start('default:mnist', store.default_metadata('mnist')['created'], "
               "'mnist'); [process.wait() for process in test_map._computing.values()]")
    return subprocess.Popen([sys.executable, "-c", command], cwd=ROOT,
                            env=dict(environment, MNIST_LAB_HOME=str(pathlib.Path(folder, "map"))))


def replayable(frame):
    """A recorded BackMsg with the client-side message cache emptied (replayers keep none)."""
    message = BackMsg()
    message.ParseFromString(frame)
    if message.WhichOneof("type") == "rerun_script":
        del message.rerun_script.cached_message_hashes[:]
    return message.SerializeToString()


async def run_until_finished(socket, frames):
    """Send frames; return (seconds to the final script_finished, Prediction value, errors)."""
    start = time.perf_counter()
    for frame in frames:
        await socket.send(frame)
    value, errors = None, []
    while True:
        message = ForwardMsg()
        try:
            message.ParseFromString(await asyncio.wait_for(socket.recv(), timeout=60))
        except TimeoutError:
            return time.perf_counter() - start, value, errors + ["no answer within 60 s"]
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "metric" and element.metric.label == "Prediction":
                value = element.metric.body
            elif element.WhichOneof("type") == "exception":
                errors.append(element.exception.message)
        if kind == "script_finished" and message.script_finished != (
                ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN):
            return time.perf_counter() - start, value, errors


async def student(url, open_draw, strokes, seconds, results):
    """One student: open Draw, then a stroke every ~2 s, alternating the recorded digits."""
    await asyncio.sleep(random.uniform(0, 2))
    address = url.replace("http", "ws") + "/_stcore/stream"
    start = time.perf_counter()
    # An overloaded server may take long to accept: that wait counts as opening the page.
    async with websockets.connect(address, subprotocols=["streamlit"], max_size=None,
                                  origin=url, open_timeout=300) as socket:
        _, _, errors = await run_until_finished(socket, open_draw)
        results["open"].append(time.perf_counter() - start)
        results["errors"] += errors
        end = time.perf_counter() + seconds
        turn = 0
        while time.perf_counter() < end:
            digit, frames = strokes[turn % len(strokes)]
            pause = asyncio.sleep(random.uniform(1.7, 2.3))
            latency, value, errors = await run_until_finished(socket, frames)
            results["stroke"].append(latency)
            results["wrong"] += value != digit
            if value is None:
                results["sessions with a missing answer"].add(id(socket))
            results["errors"] += errors
            turn += 1
            await pause
        results["open sockets"].set()
        await results["done"].wait()  # keep every session open for the memory reading


async def class_load(server, url, open_draw, strokes, students, seconds):
    """Replay `students` sessions at once; latency figures and the server's memory."""
    results = {"open": [], "stroke": [], "wrong": 0, "errors": [],
               "sessions with a missing answer": set(),
               "open sockets": asyncio.Event(), "done": asyncio.Event()}
    before = server_cpu_seconds(server.pid)
    tasks = [asyncio.create_task(student(url, open_draw, strokes, seconds, results))
             for _ in range(students)]
    await results["open sockets"].wait()
    await asyncio.sleep(3)
    memory = server_memory_mb(server.pid)
    results["done"].set()
    await asyncio.gather(*tasks)
    latencies = sorted(results["stroke"])
    return {
        "students": students,
        "strokes": len(latencies),
        "stroke -> Prediction p50 (s)": statistics.median(latencies),
        "stroke -> Prediction p95 (s)": latencies[int(0.95 * (len(latencies) - 1))],
        "opening Draw p50 (s)": statistics.median(results["open"]),
        "wrong predictions": results["wrong"],
        # A run that ends without a Prediction at all (not a wrong digit): e.g. a stroke's
        # fragment rerun that the server skipped because the session does not know the fragment.
        "sessions with a stroke answered without a Prediction": len(
            results["sessions with a missing answer"]),
        "exceptions": len(results["errors"]),
        "error messages": results["errors"],
        "server CPU per stroke under load (ms)": 1000 * (
            server_cpu_seconds(server.pid) - before) / max(len(latencies), 1),
        f"server memory with {students} sessions open (MB)": memory,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--root", type=pathlib.Path, default=ROOT,
                        help="checkout to measure (default: this one)")
    parser.add_argument("--hostile-uploader", action="store_true",
                        help="one more pupil uploads a zip of 300 large blank PNGs meanwhile")
    parser.add_argument("--visit-map", action="store_true",
                        help="visit the Map of the test set too and draw on its canvas "
                             "(its map already computed in $MNIST_LAB_HOME)")
    parser.add_argument("--computing-map", action="store_true",
                        help="compute the shipped model's map while the class draws")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="classroom-load-")
    os.sched_setaffinity(0, {1})  # the students' side; the server gets CPU 0
    environment = dict(os.environ, MNIST_LAB_HOME=os.environ.get(
        "MNIST_LAB_HOME", f"/tmp/classroom-load-{os.getpid()}"))
    server, url = start_server(environment, root=args.root, cpus={0})
    try:
        if not wait_until_healthy(url, timeout=120):
            raise SystemExit("streamlit did not start within 120 s")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=BROWSER_ARGS)
            visits = dict(VISITS, **({"Map of the test set": "Map of the test set"}
                                     if args.visit_map else {}))
            figures, open_draw, strokes = browser_figures(server, url, browser, visits)
            if args.hostile_uploader:
                figures.update(hostile_upload_figures(server, url, browser, folder))
            browser.close()
        open_draw = [replayable(frame) for frame in open_draw]
        strokes = [(digit, [replayable(frame) for frame in sent]) for digit, sent in strokes]
        stop, refusals = threading.Event(), []
        uploader = threading.Thread(target=upload_again_and_again, args=(
            url, blank_pictures_zip(300, folder), stop, refusals), daemon=True)
        if args.hostile_uploader:
            uploader.start()
        mapping = computing_map(environment, folder) if args.computing_map else None
        figures.update(asyncio.run(class_load(server, url, open_draw, strokes, args.students,
                                              args.seconds)))
        if mapping is not None:
            figures["map still computing when the class stopped drawing"] = (
                mapping.poll() is None)
            mapping.wait()
        stop.set()
        if args.hostile_uploader:
            uploader.join(timeout=300)
            figures["hostile uploads refused during the class's drawing"] = len(refusals)
    finally:
        server.terminate()
    for message in sorted(set(figures.pop("error messages"))):
        print(f"error: {message[:300]}")
    for name, value in figures.items():
        print(f"{name}: {value:.2f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
