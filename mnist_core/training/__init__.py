"""The class's training jobs: worker processes that train or teach while pages come and go.

`jobs` holds the jobs every session sees (one per set of settings, followed by every pupil
who asked for it) and the trainers they share, `forecast` when each should start and end,
`process` runs a `worker`, `progress` and `snapshot` report its events to pages, `teach`
fine-tunes a trained model on a class collection.
May import: `train`, `networks`, `datasets`, `lab_home`, `i18n`; never `classroom` or `lessons`.
"""
