"""The web server's own part, before any page runs: the lab's door (`entrance`) and the
other middlewares around Streamlit's server, all shaped by `scoped_middleware`.

Imported by app.py when the server starts, so it must not import `ui` (whose import has a
side effect meant for a script run) nor `pages`; it may import mnist_core.
"""
