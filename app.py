"""MNIST Lab's server: `streamlit run app.py` serves lab.py behind the lab's door.

The door (`server/entrance.py`) gives every browser its pupil cookie and opens the teacher's key;
the websocket guard (`server/websocket_guard.py`) keeps any browser from emptying the class's
caches, and the upload budget (`server/upload_budget.py`) the uploaders from filling its memory;
lab.py is the navigation every page runs in.
"""

import streamlit as st
from starlette.middleware import Middleware

from server import entrance, upload_budget, websocket_guard

app = st.App("lab.py", lifespan=entrance.lifespan,
             middleware=[Middleware(entrance.Entrance), Middleware(websocket_guard.WebsocketGuard),
                         Middleware(upload_budget.UploadBudget)])
