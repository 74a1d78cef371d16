"""Teacher: the class log, the class lock and the collections (only in the teacher's browser)."""

import pandas as pd
import streamlit as st

from mnist_core.classroom import collection, quota
from mnist_core.i18n import gettext as _
from mnist_core.people import class_log, roster
from ui import caches, plain_text, pupil

st.title(_("Teacher"))
teacher = pupil.me()
if not teacher.is_teacher:
    st.warning(_("This page is the teacher's. The teacher opens it with the address the "
                 "server printed when it started."))
    st.stop()

st.caption(_("Only your browser shows this page and the teacher's buttons on the other "
             "pages. Keep the address with the key off the projector."))

st.subheader(_("The class"))
count_column, lock_column = st.columns(2, vertical_alignment="center")
count_column.metric(_("Browsers in the class"), roster.pupil_count())
locked = lock_column.toggle(_("Lock the class: no new browsers"), value=roster.is_locked(),
                            help=_("Pupils already here stay; a new browser or private window "
                                   "is turned away until you open the class again."))
if locked != roster.is_locked():
    roster.set_locked(locked, teacher)
    st.rerun()

st.subheader(_("Collections"))
st.caption(_("Pupils save their drawings into the collections you open here, and nowhere "
             "else (never into an uploaded data set)."))
new_column, clear_column = st.columns(2, gap="large")
with new_column.form("open-collection", clear_on_submit=True, border=False):
    new_name = st.text_input(_("Name of a new collection"), max_chars=90,
                             placeholder=_("e.g. class-4b"))
    if st.form_submit_button(_("Open it for the class"), icon=":material/add:"):
        try:
            collection.open_new(new_name.strip(), teacher)
        except ValueError as error:
            st.error(plain_text.markdown(str(error)))
        else:
            st.success(_("'{name}' is open: pupils can choose it on the class pages.").format(
                name=plain_text.markdown(new_name.strip())))
with clear_column:
    to_clear = st.selectbox(_("Collection to clear"), collection.open_names())
    if st.button(_("Clear it"), icon=":material/archive:",
                 help=_("Its drawings move to the archive folder in the lab's folder: "
                        "nothing is deleted.")):
        archive = collection.clear(to_clear, teacher)
        caches.class_collection_changed(to_clear)
        st.success(_("Cleared. The drawings are kept in {folder}.").format(folder=archive))

per_lesson = st.number_input(
    _("Drawings each pupil may save this lesson"), 1, quota.MOST_PER_LESSON, quota.per_lesson(),
    width=300, help=_("On the Class and Stump pages, counted since the lab started; a pupil "
                      "also waits 2 seconds between two drawings. Yours are not limited."))
if per_lesson != quota.per_lesson():
    quota.set_per_lesson(int(per_lesson), teacher)

st.subheader(_("Class log"))
entries = class_log.entries()
if not entries:
    st.caption(_("Nothing yet: every stop, removal, upload, deletion and teacher action "
                 "appears here."))
else:
    # A data frame shows every cell as plain text: a nickname is never Markdown here.
    st.dataframe(pd.DataFrame(entries).rename(columns={
        "when": _("when"), "pupil": _("pupil id"), "who": _("who"), "action": _("action"),
        "what": _("what")}), hide_index=True, width="stretch")
    st.caption(_("Also in {path} and in the server's terminal.").format(path=class_log.path()))
