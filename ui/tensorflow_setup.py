"""TensorFlow's start-up for the server: imported and tuned once, in the background.

Its own module because it concerns the whole server process, not any one page: importing
TensorFlow takes seconds and its settings must be made before the first model runs, while
`common` is about what the pages share (data, models, the current input).
"""

import threading

import streamlit as st


@st.cache_resource(show_spinner=False)
def start_tensorflow():
    """Import and set up TensorFlow in a background thread, once per server.

    Pages that need no model (Home, the lessons) paint without waiting for it, and Draw shows
    its canvas before it needs one; `caches.load_model` and `caches.parameter_count` join
    the thread.

    Returns:
        The `threading.Thread` doing the set-up (join it before using a model).
    """
    thread = threading.Thread(target=_set_up_tensorflow, name="set-up-tensorflow", daemon=True)
    thread.start()
    return thread


def _set_up_tensorflow():
    import keras
    import tensorflow as tf

    try:
        # One image per request: a thread pool only adds work, and its threads' CPU is taken
        # from the other students' requests.
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # TensorFlow already ran in this process (AppTests): it keeps its thread pools
    # Streamlit calls keras.backend.clear_session() after every script run, for graph-mode
    # Keras of old. With Keras 3 it empties TensorFlow's kernel cache, so the next prediction
    # costs ~20 ms instead of ~1 ms, on every stroke of every student. The server builds no
    # models per run (training runs in worker processes), so there is nothing to clear.
    keras.backend.clear_session = lambda free_memory=True: None
