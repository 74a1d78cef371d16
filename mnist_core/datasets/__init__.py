"""Data: MNIST, Fashion-MNIST, stored data sets and folders of images, as `Dataset`s.

`catalog` loads any of them by name (the public `mnist_core.data`); `files` reads IDX files and
the bundled test set, `download` and `download_status` fetch with deadlines, `stored`,
`image_folder` and `upload_checks` keep the class's uploads, `preprocess` turns drawings and
pictures into MNIST-like digits, `drawings` and `augment` make training and test variants.
May import: `lab_home`, `i18n`.
"""
