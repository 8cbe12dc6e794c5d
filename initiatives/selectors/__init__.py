"""Reads of initiatives that take more than a queryset method, one module per family:

- `search`: records matching a query's words (`initiative_search`) and look-alikes
  (`initiative_similar`).
- `history`: a record's history as each reader may read it (`revisions_visible_to`) and what
  each proposal changes (`revision_changes`).
- `records`: single records and the rows around them (`initiatives_for_representation`).
- `tags`: tags in use, as each reader may see them (`tags_visible_to`).

Views, the API, the admin and tasks read through these; writes go through the services.
"""

from .history import REASON_ACTIONS, revision_changes, revisions_visible_to
from .records import initiatives_for_representation
from .search import SEARCH_RANKED_CANDIDATES, initiative_search, initiative_similar
from .tags import tags_visible_to

__all__ = [
    "REASON_ACTIONS",
    "SEARCH_RANKED_CANDIDATES",
    "initiative_search",
    "initiative_similar",
    "initiatives_for_representation",
    "revision_changes",
    "revisions_visible_to",
    "tags_visible_to",
]
