from .history import InitiativeEvent, PendingRevision, Revision
from .initiative import Initiative, Participation, SourceLink, Update
from .social import Comment, Follow

__all__ = [
    "Comment",
    "Follow",
    "Initiative",
    "InitiativeEvent",
    "Participation",
    "PendingRevision",
    "Revision",
    "SourceLink",
    "Update",
]
