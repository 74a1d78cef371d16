"""The web server's own part, before any page runs: the lab's door (`entrance`).

Imported by app.py when the server starts, so it must not import `ui` (whose import has a
side effect meant for a script run) nor `pages`; it may import mnist_core.
"""
