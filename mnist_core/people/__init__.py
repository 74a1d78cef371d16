"""Who acts in the lab: pupils and the teacher, what each may do, and the class log.

`person.Person` is the one who presses a button: every action that changes what classmates
share (stopping a run, removing a drawing, deleting a model...) takes one and refuses with a
`PermissionError` when it is not theirs to do. `roster` knows the pupils this server has met,
the teacher's key and whether the class is locked; `class_log` records who did what.
Imports only `lab_home` and `i18n` from the core.
"""
