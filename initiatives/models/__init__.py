from .catalogue import CatalogueChange
from .history import InitiativeEvent, PendingRevision, Revision
from .initiative import Initiative, Participation, SourceLink, Update
from .queue import ModerationQueueItem
from .social import CollaborationInvitation, Comment, EditPresence, TopicFollow

__all__ = [
    "CatalogueChange",
    "CollaborationInvitation",
    "Comment",
    "EditPresence",
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
