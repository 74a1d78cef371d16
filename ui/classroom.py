"""What the class pages (Class, Our handwriting, Stump the model) share: collection and pupil."""

import streamlit as st

from mnist_core.classroom import collection
from mnist_core.i18n import gettext as _
from ui import pupil


def collection_and_person():
    """The collection chosen (one the teacher opened) and this browser's `Person`.

    Returns:
        (collection name, `Person` with the nickname typed on any page).
    """
    names = collection.open_names()
    # Streamlit forgets a widget's value on a page that does not draw it; written back as
    # plain session state, it survives the student's visits to the other pages.
    chosen = st.session_state.get("collection")
    st.session_state["collection"] = chosen if chosen in names else collection.DEFAULT_NAME
    name_column, nickname_column = st.columns(2)
    name = name_column.selectbox(_("Collection"), names, key="collection",
                                 help=_("The whole class saves into the same collection; the "
                                        "teacher opens new ones."))
    return name, pupil.nickname_input(nickname_column)


def student(nickname):
    """A saved drawing's nickname as shown: "anonymous" (no nickname) in the reader's language."""
    return _("anonymous") if nickname == collection.ANONYMOUS else nickname
