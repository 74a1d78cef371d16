"""MNIST Lab: the navigation, and the data set and model pickers every page shares."""

import streamlit as st

from pages import common

st.set_page_config(page_title="MNIST Lab", page_icon=":pencil2:", layout="wide")
navigation = st.navigation({
    "Lab": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/train.py", title="Train", icon=":material/model_training:"),
        st.Page("pages/draw.py", title="Draw", icon=":material/draw:"),
        st.Page("pages/feature_maps.py", title="Feature maps", icon=":material/grid_view:"),
        st.Page("pages/confusion_matrix.py", title="Confusion matrix",
                icon=":material/table_chart:"),
    ],
    "Lessons": [
        st.Page("pages/convolution.py", title="Convolution playground",
                icon=":material/filter_center_focus:"),
        st.Page("pages/backprop.py", title="Backpropagation", icon=":material/hub:"),
        st.Page("pages/compare.py", title="Compare models", icon=":material/leaderboard:"),
    ],
})
common.sidebar()
navigation.run()
