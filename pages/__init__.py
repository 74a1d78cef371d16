"""The lab's page scripts, one per page, registered in lab.py; their helpers are in ui/.

Streamlit's old pages/ mode, which a folder of this name turns on, is switched off in app.py
before any browser is served.
"""
