"""A zoo model's Keras code on a page: highlighted with a copy button, and as downloads."""

import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.networks import keras_code


def show(model_name, dataset_name, epochs, batch_size, validation_split, key):
    """The Keras 3 program that builds, compiles and fits a model with a page's settings.

    Args:
        model_name, dataset_name, epochs, batch_size, validation_split: as for
            `keras_code.cells`.
        key: a prefix for the download buttons' keys, unique on the page.
    """
    arguments = (model_name, dataset_name, epochs, batch_size, validation_split)
    script = keras_code.script(*arguments)
    stem = f"{model_name}_{keras_code.KERAS_DATASETS.get(dataset_name, 'mnist')}"
    st.caption(_("Runs anywhere Keras 3 is installed (pip install keras tensorflow matplotlib "
                 "pandas): Keras downloads the data set on the first run."))
    script_column, notebook_column = st.columns(2)
    # "ignore": a download is the browser's business; no rerun of the page for it.
    script_column.download_button(
        _("Download as a Python script"), script, f"{stem}.py",
        mime="text/x-python", icon=":material/download:", on_click="ignore",
        key=f"{key}-script")
    notebook_column.download_button(
        _("Download as a Jupyter notebook"), keras_code.notebook(*arguments), f"{stem}.ipynb",
        mime="application/x-ipynb+json", icon=":material/download:", on_click="ignore",
        key=f"{key}-notebook")
    st.code(script, language="python", height=520)  # scrolls: the page's settings stay in view
