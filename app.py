"""MNIST Lab's server: `streamlit run app.py` serves lab.py behind the lab's door.

The door (`server/entrance.py`) gives every browser its pupil cookie and opens the teacher's key;
lab.py is the navigation every page runs in.
"""

import streamlit as st
from starlette.middleware import Middleware

from server import entrance

app = st.App("lab.py", middleware=[Middleware(entrance.Entrance)], lifespan=entrance.lifespan)
