from .catalogue import CatalogueChange
from .discussion import CommentEdit, CommentReport, ReportedComment
from .history import InitiativeEvent, PendingRevision, Revision
from .imports import ImportJob
from .initiative import Initiative, Participation, SourceLink, Update
from .queue import ModerationQueueItem
from .results import Indicator, IndicatorPeriod, Result
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
    "Indicator",
    "IndicatorPeriod",
    "Initiative",
    "InitiativeEvent",
    "InitiativeTranslation",
    "ModerationQueueItem",
    "Participation",
    "ReportedComment",
    "Result",
    "PendingRevision",
    "Revision",
    "SourceLink",
    "TagChange",
    "TagLabel",
    "TagSynonym",
    "TopicFollow",
    "Update",
]
