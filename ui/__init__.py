"""The helpers the page scripts share (pages/ holds the pages only); they may import mnist_core.

Importing this package also leaves Streamlit's old pages/ mode, which every page script
needs: Streamlit treats a folder named pages/ beside the main script as old-style
pages until a run calls st.navigation: the first visit straight to /draw after a server start
would run draw.py without lab.py (no sidebar, no pickers). Switching that mode off and
rerunning sends the visit through lab.py. Internal API, checked on Streamlit 1.67 (no public
switch: the documented way out is a folder not named pages/); tests/pages/test_navigation.py
fails when Streamlit changes this.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
