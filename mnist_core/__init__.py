"""MNIST Lab's core: data, models, training, prediction, preprocessing, features, evaluation, storage, lessons.

Pages import the modules they need (`from mnist_core import data, predict`); nothing here imports
streamlit.
"""

import os

# TensorFlow's C++ start-up chatter (CUDA probes on a machine without a GPU) hides real messages.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
