"""TensorFlow's start-up for the server: imported and tuned once, in the background.

Its own module because it concerns the whole server process, not any one page: importing
TensorFlow takes seconds and its settings must be made before the first model runs, while
`common` is about what the pages share (data, models, the current input).
"""

import contextlib
import os
import re
import sys
import tempfile
import threading

import streamlit as st

# What TensorFlow prints to the terminal while it starts on a laptop without a GPU: info lines
# and a "failed call to cuInit" that alarm a teacher and need nothing done. TensorFlow prints
# most of them before its log level (TF_CPP_MIN_LOG_LEVEL) is read, so they are filtered here.
START_UP_NOISE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|I0000 |E0000 .*cuInit|To enable the following instructions: .*rebuild TensorFlow")


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
    with _start_up_noise_dropped():
        import keras
        import tensorflow as tf

        tf.config.list_physical_devices()  # looks for a GPU now, inside the filter
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


@contextlib.contextmanager
def _start_up_noise_dropped():
    """Catch what the process writes to stderr meanwhile; write it back but START_UP_NOISE."""
    sys.stderr.flush()
    kept_stderr = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(kept_stderr, 2)
            os.close(kept_stderr)
            caught.seek(0)
            for line in caught.read().decode(errors="replace").splitlines(keepends=True):
                if not START_UP_NOISE.match(line):
                    sys.stderr.write(line)
            sys.stderr.flush()
