"""MNIST Lab's core; pages import the modules they need (`from mnist_core import data, predict`).

Data: data, data_files, image_folder, datasets (uploads, checked by upload_checks), collection,
    drawings, download, download_status, preprocess, augment.
Models: models (the zoo, built from zoo_layers), store (model_key), default_model, train,
    predict, evaluate, features, teach, stumps.
Training jobs: jobs, job_queue, job_registry, job_process, job_progress, job_snapshot, job_worker.
Lessons: lessons, playground, convolution_examples, grids, backprop.  Languages: i18n.
Nothing here imports streamlit.
"""

import os

# TensorFlow's C++ start-up chatter (CUDA probes on a machine without a GPU) hides real messages.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
