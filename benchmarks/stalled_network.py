"""Time the lab behind a network that accepts connections and never answers (issue 13).

Prints how long `data.load` takes for MNIST and Fashion-MNIST (Debian's files hidden) and how
long `streamlit run app.py` takes to show the home page with its data, on a tarpit proxy.

Run: python benchmarks/stalled_network.py   (the page needs Debian chromium and playwright)
"""

import os
import pathlib
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere
from tests import lab_browser, tarpit  # noqa: E402

LOAD = """
import time
from mnist_core import data
started = time.monotonic()
try:
    data.FASHION_SYSTEM_DIR = data.FASHION_SYSTEM_DIR / "hidden"
    outcome = data.load("{name}").source
except ValueError as error:
    outcome = f"ValueError: {{error}}"
print(f"data.load({name!r}): {{time.monotonic() - started:.1f}} s -> {{outcome[:90]}}")
"""


def fresh_environment(proxy_url):
    """This environment behind the proxy, with an empty Keras cache and lab folder."""
    environment = dict(os.environ, **tarpit.proxy_environment(proxy_url),
                       KERAS_HOME=tempfile.mkdtemp(), MNIST_LAB_HOME=tempfile.mkdtemp())
    environment.pop("MNIST_DATA_DIR", None)
    environment.pop("MNIST_LAB_OFFLINE", None)
    return environment


def time_home_page(environment):
    """Print seconds from `streamlit run` and from the first visit to the home page's data."""
    started = time.monotonic()
    server, url = lab_browser.start_server(environment)
    try:
        lab_browser.wait_until_healthy(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=lab_browser.BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            visited = time.monotonic()
            page.goto(url)
            page.get_by_text("5,000 / 10,000").wait_for(timeout=120000)
            now = time.monotonic()
            print(f"home page with its data: {now - visited:.1f} s after the first visit, "
                  f"{now - started:.1f} s after streamlit run")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    """Run every measurement, each with a fresh cache, behind one tarpit."""
    with tarpit.serving() as (proxy_url, connections):
        for name in ("mnist", "fashion_mnist"):
            subprocess.run([sys.executable, "-c", LOAD.format(name=name)], cwd=ROOT, check=True,
                           env=fresh_environment(proxy_url))
        time_home_page(fresh_environment(proxy_url))
        print(f"connections the tarpit accepted: {len(connections)}")


if __name__ == "__main__":
    main()
