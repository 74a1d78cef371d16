"""The class's training jobs: worker processes that train or teach while pages come and go.

`runs` is what pages call: it sends each call to `jobs`, the jobs every session sees (one per
set of settings, followed by every pupil who asked for it) and the trainers they share, or,
with `$MNIST_LAB_RAY_ADDRESS`, to `cluster`, the same jobs kept by a Ray cluster for every lab
server of a school and trained as Ray tasks (`cluster_run`; only these two import Ray).
`forecast` says when each job should start and end, `process` runs a `worker`, `progress` and
`snapshot` report its events to pages, `teach` fine-tunes a trained model on a class
collection.
May import: `train`, `networks`, `datasets`, `lab_home`, `i18n`; never `classroom` or `lessons`.
"""
