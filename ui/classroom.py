"""What the class pages (Class, Our handwriting, Stump the model) share: collection and nickname."""

import streamlit as st

from mnist_core.classroom import collection
from mnist_core.i18n import gettext as _


def collection_and_nickname():
    """The collection's name and the student's nickname, asked once and kept across pages.

    Returns:
        (collection name, nickname); stops the page with an explanation for a bad name.
    """
    # Streamlit forgets a widget's value on a page that does not draw it; written back as
    # plain session state, it survives the student's visits to the other pages.
    st.session_state["collection"] = st.session_state.get("collection", collection.DEFAULT_NAME)
    st.session_state["nickname"] = st.session_state.get("nickname", "")
    name_column, nickname_column = st.columns(2)
    name = name_column.text_input(_("Collection"), key="collection", max_chars=90,
                                  help=_("The whole class saves into the same collection."))
    nickname = nickname_column.text_input(
        _("Your nickname (optional)"), key="nickname", max_chars=30,
        help=_("No real names needed: it is kept in your browser session and in the file names."))
    try:
        collection.check_name(name)
    except ValueError as error:
        st.error(str(error))
        st.stop()
    return name, nickname


def student(nickname):
    """A saved drawing's nickname as shown: "anonymous" (no nickname) in the reader's language."""
    return _("anonymous") if nickname == collection.ANONYMOUS else nickname
