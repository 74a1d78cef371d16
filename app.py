"""MNIST Lab's server: `streamlit run app.py` serves lab.py behind the lab's door.

The door (`server/entrance.py`) gives every browser its pupil cookie and opens the teacher's key;
the websocket guard (`server/websocket_guard.py`) keeps any browser from emptying the class's
caches, the upload budget (`server/upload_budget.py`) the uploaders from filling its memory, and
the page shell (`server/page_shell.py`) tells every page where the server is;
lab.py is the navigation every page runs in. The server is ready, and prints its addresses,
once TensorFlow and the shipped model are loaded (`caches.warm_up`).
"""

import asyncio
import contextlib
import time

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from server import entrance, page_shell, upload_budget, websocket_guard


@contextlib.asynccontextmanager
async def lifespan(app):
    """The door's start-up, then the first visit's loading, before any browser is served."""
    # A folder named pages/ beside the main script turns on Streamlit's old pages/ mode until
    # some run calls st.navigation: a first visit straight to /draw would run draw.py without
    # lab.py (no sidebar, no pickers). Switched off before any session exists; internal API
    # checked on Streamlit 1.67 (tests/pages/test_navigation.py fails when it changes).
    PagesManager.uses_pages_directory = False
    # Imported here, once Streamlit's runtime exists: its caches would otherwise be made
    # without it (and say so in the terminal).
    from ui import caches

    async with entrance.lifespan(app):
        started = time.monotonic()
        await asyncio.to_thread(caches.warm_up)
        print(f"  Ready: TensorFlow and the shipped model loaded in "
              f"{time.monotonic() - started:.0f} s.\n", flush=True)
        yield


app = st.App("lab.py", lifespan=lifespan,
             middleware=[Middleware(entrance.Entrance), Middleware(websocket_guard.WebsocketGuard),
                         Middleware(upload_budget.UploadBudget), Middleware(page_shell.PageShell)])
