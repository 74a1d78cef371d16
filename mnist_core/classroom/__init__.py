"""The class: a collection of the students' own drawings, and the Stump-the-model leaderboard.

May import: `networks`, `datasets`, `lab_home`, `i18n`; never `training` or `lessons`.
"""
