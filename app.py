"""MNIST Lab: navigation only (the pages arrive with the app issue)."""

import streamlit as st

st.title("MNIST Lab")
st.write("The pages are on their way; `mnist_core` is ready.")
