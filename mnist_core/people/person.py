"""A person of the class: a pupil (one browser) or the teacher, and what they may change."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Person:
    """Someone acting in the lab.

    Attributes:
        id: the pupil id of their browser (`roster.new_pupil_id()`), never a typed name.
        nickname: what they typed to be known by; shown as plain text, never trusted.
        is_teacher: whether this browser opened the teacher's key.
    """

    id: str
    nickname: str = ""
    is_teacher: bool = False

    def who(self):
        """How the class log names them: "teacher", or the nickname (empty: "anonymous")."""
        return "teacher" if self.is_teacher else (self.nickname or "anonymous")

    def owns(self, owner_id):
        """Whether something whose owner is `owner_id` is theirs (the teacher's: everything)."""
        return self.is_teacher or (owner_id is not None and owner_id == self.id)

    def require_owner(self, owner_id, refusal):
        """Raise `PermissionError(refusal)` (a translated sentence) unless `owns(owner_id)`."""
        if not self.owns(owner_id):
            raise PermissionError(refusal)

    def require_teacher(self, refusal):
        """Raise `PermissionError(refusal)` (a translated sentence) unless this is the teacher."""
        if not self.is_teacher:
            raise PermissionError(refusal)


# The lab itself (the command line, a job's own time limit): acts with the teacher's rights.
LAB = Person("lab", "lab", is_teacher=True)
