from .catalogue import CatalogueChange
from .history import InitiativeEvent, PendingRevision, Revision
from .imports import ImportJob
from .initiative import Initiative, Participation, SourceLink, Update
from .queue import ModerationQueueItem
from .social import CollaborationInvitation, Comment, EditPresence, Follow, TopicFollow

__all__ = [
    "CatalogueChange",
    "CollaborationInvitation",
    "Comment",
    "EditPresence",
    "Follow",
    "ImportJob",
    "Initiative",
    "InitiativeEvent",
    "ModerationQueueItem",
    "Participation",
    "PendingRevision",
    "Revision",
    "SourceLink",
    "TopicFollow",
    "Update",
]
