"""Models: the tutorials' zoo, the store of trained and shipped models, and what a model does.

`zoo` builds the zoo's networks (the public `mnist_core.models`), `store` saves and loads them
(`default_models/` holds the shipped ones), `predict`, `evaluate` and `features` run them,
`explain` says why a model reads an image as it does, `test_map` lays a data set's test images
out as a model sees them, `keras_code` writes a zoo model's Keras code for pupils to take home.
May import: `datasets`, `lab_home`, `i18n`.
"""
