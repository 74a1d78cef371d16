"""Who this browser is: its `Person` (pupil id from the door's cookie, nickname, teacher or not).

Every page that changes what the class shares asks `me()` and hands the `Person` to the core,
which checks it. Without the cookie (an AppTest, or lab.py run without app.py's door) the
browser session is the pupil, as before: a reload is then a new pupil.
"""

import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.people import roster


def pupil_id():
    """This browser's pupil id: the cookie's, else one kept in the session."""
    cookie = st.context.cookies.get(roster.COOKIE)
    if roster.is_pupil_id(cookie):
        return cookie
    return st.session_state.setdefault("pupil_id", roster.new_pupil_id())


def me():
    """This browser's `Person`; stops the page if the class is locked and it is new."""
    identity = pupil_id()
    if not roster.admit(identity):
        st.error(_("The class is locked: ask your teacher."))
        st.stop()
    return roster.person(identity)


def nickname_input(column=st, **options):
    """The nickname box, the same on every page and tab of this browser; returns the `Person`.

    Args:
        column: where to draw it (a column, the sidebar, or `st`).
        options: more `st.text_input` options (e.g. `disabled`, `width`).
    """
    person = me()
    key = f"nickname-{person.id}"
    # Filled from the roster on each run: typed on Class, it is there on Train, in any tab.
    st.session_state[key] = person.nickname

    def keep():
        roster.set_nickname(person.id, st.session_state[key])

    column.text_input(_("Your nickname"), key=key, max_chars=roster.NICKNAME_LENGTH,
                      on_change=keep, placeholder=_("Optional: shown to the class"),
                      help=_("No real names needed. It is kept for this browser, on every "
                             "page and tab."), **options)
    return person  # a change was kept by `keep` before this run began
