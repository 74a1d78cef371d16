"""MNIST Lab's navigation: the menu, the session's language, and the pickers every page shares."""

import urllib.parse

import streamlit as st

from mnist_core.i18n import gettext as _
from ui import common, language, pupil, tensorflow_setup, touch, widget_text

# The pencil emoji as the picture Streamlit itself draws for an emoji icon, given as a URL. The
# shortcode ":pencil2:" makes every browser download and run a 259 KB emoji table (a 140-170 ms
# task on a page load); the emoji itself makes the server load its emoji catalog (~40 ms)
# during the first visit.
PENCIL_ICON = ("data:image/svg+xml," + urllib.parse.quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
    "<text y='.9em' font-size='90'>\u270f\ufe0f</text></svg>"))

# "auto" starts the sidebar collapsed up to 768 px wide (Streamlit's breakpoint): phones and
# portrait tablets. Wider, it may stay open: the Draw page then puts its answer under the
# canvas rather than squeezing the canvas.
st.set_page_config(page_title=_("MNIST Lab"), page_icon=PENCIL_ICON, layout="wide",
                   initial_sidebar_state="auto")
touch.styles()
language.choose()
widget_text.translate()


def sections(is_teacher):
    """The menu's pages by section (the Teacher page only in the teacher's browser).

    Built on every run: `st.navigation` marks the page it returns as callable once, so page
    objects shared between sessions (a cached list) race when students switch pages together.
    """
    return {
        _("Lab"): [
            st.Page("pages/home.py", title=_("Home"), icon=":material/home:", default=True),
            st.Page("pages/train.py", title=_("Train"), icon=":material/model_training:"),
            st.Page("pages/draw.py", title=_("Draw"), icon=":material/draw:"),
            st.Page("pages/feature_maps.py", title=_("Feature maps"), icon=":material/grid_view:"),
            st.Page("pages/confusion_matrix.py", title=_("Confusion matrix"),
                    icon=":material/table_chart:"),
            st.Page("pages/explain.py", title=_("Why this answer?"), icon=":material/lightbulb:"),
            st.Page("pages/test_map.py", title=_("Map of the test set"),
                    icon=":material/scatter_plot:"),
        ],
        _("Class"): [
            st.Page("pages/class_page.py", title=_("Class"), icon=":material/groups:"),
            st.Page("pages/our_handwriting.py", title=_("Our handwriting"),
                    icon=":material/school:"),
            st.Page("pages/stump.py", title=_("Stump the model"), icon=":material/psychology_alt:"),
            *([st.Page("pages/teacher.py", title=_("Teacher"), icon=":material/key:")]
              if is_teacher else []),
        ],
        _("Lessons"): [
            st.Page("pages/hello_neuron.py", title=_("Hello World neuron"),
                    icon=":material/neurology:"),
            st.Page("pages/convolution.py", title=_("Convolution playground"),
                    icon=":material/filter_center_focus:"),
            st.Page("pages/backprop.py", title=_("Backpropagation"), icon=":material/hub:"),
            st.Page("pages/compare.py", title=_("Compare models"), icon=":material/leaderboard:"),
        ],
    }


# Streamlit's own menu would list pages/ by file name, without sections, while a first visit
# runs in its old pages/ mode, so it is hidden (.streamlit/config.toml) and drawn here with
# page links.
menu = sections(pupil.me().is_teacher)
navigation = st.navigation(menu, position="hidden")
with st.sidebar:
    for section, section_pages in menu.items():
        st.caption(section)
        for page in section_pages:
            st.page_link(page)
    st.divider()
tensorflow_setup.start_tensorflow()
common.sidebar()
with st.sidebar:
    language.picker()
navigation.run()
