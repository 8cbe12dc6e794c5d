from .catalogue import CatalogueChange
from .discussion import CommentEdit, CommentReport, ReportedComment
from .history import InitiativeEvent, PendingRevision, Revision
from .imports import ImportJob
from .initiative import Initiative, Participation, SourceLink, Update
from .queue import ModerationQueueItem
from .social import CollaborationInvitation, Comment, EditPresence, TopicFollow
from .translation import InitiativeTranslation
from .vocabulary import TagChange, TagLabel, TagSynonym

__all__ = [
    "CatalogueChange",
    "CollaborationInvitation",
    "Comment",
    "CommentEdit",
    "CommentReport",
    "EditPresence",
    "ImportJob",
    "Initiative",
    "InitiativeEvent",
    "InitiativeTranslation",
    "ModerationQueueItem",
    "Participation",
    "ReportedComment",
    "PendingRevision",
    "Revision",
    "SourceLink",
    "TagChange",
    "TagLabel",
    "TagSynonym",
    "TopicFollow",
    "Update",
]
