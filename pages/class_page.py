"""Class: every student's handwriting collected live into one data set the lab can use."""

import streamlit as st

from mnist_core.classroom import collection
from mnist_core.datasets import preprocess
from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext
from ui import caches, classroom, plain_text, touch

TEACHER_PAGE = 24  # drawings per page of the teacher's gallery

st.title(_("Class"))
st.markdown(_(
    "Build a data set of **our** handwriting together: draw the digit asked for and save it. "
    "Everyone's drawings appear below as they come in. The collection is a data set like any "
    "other: pick it in the sidebar to test a model on it, or train on it on the **Train** page. "
    "See how the model reads it, and teach it our handwriting, on **Our handwriting**."))

name, person = classroom.collection_and_person()
if "class_digit" not in st.session_state:
    # Start with the digit the class has drawn least, then cycle: every digit gets drawn.
    per_digit = caches.class_collection(name)[0]
    st.session_state["class_digit"] = per_digit.index(min(per_digit))
    st.session_state["class_saved"] = 0


def next_digit():
    """Ask for the next digit, on a fresh canvas."""
    st.session_state["class_digit"] = (st.session_state["class_digit"] + 1) % 10
    st.session_state["class_saved"] += 1  # a new canvas key clears the canvas


def save(digit, image_data):
    """Save the drawing into the collection (a button's callback, before the rerun)."""
    try:
        drawing = (None if image_data is None else
                   preprocess.canvas_to_mnist(image_data, kept=True))
        if drawing is None:
            st.session_state["class_note"] = (
                "warning", _("The canvas is empty: draw a {digit} first.").format(digit=digit))
            return
        file_name = collection.save_drawing(name, digit, drawing, person)
    except ValueError as error:  # a dot, or saved too fast or too often
        st.session_state["class_note"] = ("warning", plain_text.markdown(str(error)))
        return
    except PermissionError as error:  # the teacher cleared or closed it meanwhile
        st.session_state["class_note"] = ("error", plain_text.markdown(str(error)))
        return
    caches.class_collection_changed(name)
    st.session_state["class_note"] = (
        "success", _("Saved your {digit} as {file_name}. Thank you!").format(
            digit=digit, file_name=plain_text.markdown(file_name)))
    st.session_state["class_last"] = (digit, file_name)
    next_digit()


def undo():
    """Remove this pupil's last saved drawing (a button's callback)."""
    remove(*st.session_state.pop("class_last"))


@st.fragment
def draw_and_save():
    """Canvas, Save and Skip: a stroke reruns only this part, not the page."""
    digit = st.session_state["class_digit"]
    st.subheader(_("Draw a {digit}").format(digit=digit))
    canvas = touch.drawing_pad(f"class_canvas_{st.session_state['class_saved']}", 18)
    save_column, skip_column = st.columns(2)
    save_column.button(_("Save"), type="primary", icon=":material/save:", width="stretch",
                       on_click=save, args=(digit, canvas.image_data))
    skip_column.button(_("Skip"), icon=":material/skip_next:", width="stretch", on_click=next_digit)
    if "class_note" in st.session_state:
        note_type, text = st.session_state.pop("class_note")
        getattr(st, note_type)(text)
    if "class_last" in st.session_state:
        st.button(_("Undo my last drawing"), icon=":material/undo:", on_click=undo)


@st.fragment(run_every=2)
def live_collection():
    """Counts and the newest drawings of the whole class, refreshed every 2 seconds."""
    per_digit, per_nickname, newest = caches.class_collection(name)
    total = sum(per_digit)
    st.subheader(ngettext("{count} drawing in '{name}'", "{count} drawings in '{name}'",
                          total).format(count=total, name=plain_text.markdown(name)))
    for column, (digit, count) in zip(st.columns(10), enumerate(per_digit)):
        column.metric(_("{digit}s").format(digit=digit), count)
    if min(per_digit) < 2:
        missing = ", ".join(str(digit) for digit, count in enumerate(per_digit) if count < 2)
        st.info(_("To use the collection as a data set, every digit needs at least 2 drawings: "
                  "draw more of {missing}.").format(missing=missing))
    if per_nickname:  # an empty data frame says "empty" in English, whatever the language
        st.dataframe({_("student"): [classroom.student(student) for student in per_nickname],
                      _("drawings"): list(per_nickname.values())},
                     hide_index=True, height=min(35 * (len(per_nickname) + 1) + 3, 250))
    st.subheader(_("Newest drawings"))
    if not newest:
        st.caption(_("Nothing yet: be the first!"))
    for start in range(0, len(newest), 4):
        for column, drawing in zip(st.columns(4), newest[start:start + 4]):
            show_drawing(column, drawing, "newest")


@st.fragment
def every_drawing():
    """The teacher's gallery: every drawing, a page at a time, of the class or of one pupil."""
    drawn = collection.pupils(name)
    st.subheader(_("Every drawing (only your browser shows this)"))
    pick_column, page_column = st.columns(2)
    chosen = pick_column.selectbox(
        _("Drawn by"), [None, *drawn], key="class_every_pupil",
        format_func=lambda pupil: _("everyone") if pupil is None else ngettext(
            "{nickname}: {count} drawing", "{nickname}: {count} drawings", drawn[pupil][1]).format(
            nickname=classroom.student(drawn[pupil][0]), count=drawn[pupil][1]))
    total = sum(count for _nickname, count in drawn.values()) if chosen is None else (
        drawn[chosen][1])
    pages = max(1, -(-total // TEACHER_PAGE))
    page = page_column.number_input(_("Page (of {pages})").format(pages=pages), 1, pages, 1,
                                    key=f"class_every_page_{chosen}")
    shown = collection.newest(name, count=TEACHER_PAGE, start=(page - 1) * TEACHER_PAGE,
                              pupil=chosen)
    for start in range(0, len(shown), 6):
        for column, drawing in zip(st.columns(6), shown[start:start + 6]):
            show_drawing(column, drawing, "every")
    if chosen is None:
        return
    sure_column, remove_column = st.columns(2, vertical_alignment="center")
    sure = sure_column.checkbox(_("I am sure: they cannot be brought back"),
                                key=f"class_sure_{chosen}")
    if remove_column.button(
            _("Remove all {count} drawings of this pupil").format(count=drawn[chosen][1]),
            icon=":material/delete_sweep:", key="class_remove_all", disabled=not sure):
        removed = collection.remove_all_of(name, chosen, person)
        caches.class_collection_changed(name)
        st.toast(_("Removed {count} drawings.").format(count=removed))
        st.rerun()


def show_drawing(column, drawing, place):
    """A drawing of a gallery (`place`), with a Remove (owner's, teacher's) that confirms first."""
    key = f"{place} {drawing.label}/{drawing.file_name}"
    column.image(drawing.image.repeat(3, axis=0).repeat(3, axis=1),
                 caption=_("{digit} by {nickname}").format(
                     digit=drawing.label,
                     nickname=plain_text.markdown(classroom.student(drawing.nickname))))
    if not person.owns(drawing.pupil):
        return
    if st.session_state.get("class_confirm") != key:
        column.button(_("Remove"), key=f"remove {key}", icon=":material/delete:",
                      on_click=st.session_state.__setitem__, args=("class_confirm", key))
        return
    column.warning(_("Remove it for everyone?"))
    column.button(_("Yes, remove"), key=f"confirm {key}", type="primary", on_click=remove,
                  args=(drawing.label, drawing.file_name))
    column.button(_("Cancel"), key=f"cancel {key}", on_click=st.session_state.pop,
                  args=("class_confirm",))


def remove(label, file_name):
    """Remove a drawing for everyone (a button's callback); logged by the collection."""
    st.session_state.pop("class_confirm", None)
    try:
        collection.remove(name, label, file_name, person)
    except (ValueError, PermissionError) as error:
        st.toast(plain_text.markdown(str(error)))
    caches.class_collection_changed(name)


draw_col, live_col = st.columns([2, 3], gap="large")
with draw_col:
    draw_and_save()
    # Made only when clicked: zipping every drawing on each rerun would cost the whole class.
    st.download_button(_("Download the collection (.zip)"), lambda: collection.export_zip(name),
                       file_name=f"{name}.zip", mime="application/zip",
                       icon=":material/download:", on_click="ignore",
                       help=_("Folders 0/ to 9/ of PNG files: the tutorials' layout. Upload it "
                              "on the Train page to bring it back, in this lab or another."))
with live_col:
    live_collection()
if person.is_teacher:
    every_drawing()
