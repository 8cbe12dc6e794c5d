"""Reads of initiatives that take more than a queryset method, one module per family:

- `search`: records matching a query's words (`initiative_search`) and look-alikes
  (`initiative_similar`).
- `history`: a record's history as each reader may read it (`revisions_visible_to`), what
  each proposal changes (`revision_changes`) and why a record was sent back (`latest_rejection`,
  `latest_rejections`).
- `records`: single records and the rows around them: the API's rows
  (`initiatives_for_representation`), a record's page, its notes, followers and open
  proposal, where a merged record's address leads.
- `discussion`: a record's comments in threads as a reader may read them (`comment_threads`),
  one comment (`comment_of`) and its kept HTML (`comment_html`).
- `catalogue`: the published catalogue as the public pages count and list it (the home
  page's aggregates, the frame's pages, the browse page's records and filter choices,
  autocomplete).
- `workspace`: a member's own records, their proposals, open invitations, what they follow.
- `presence`: who else has a record's edit form open now (`others_editing`), and how
  often an open form says so (`presence_heartbeat_seconds`).
- `follows`: topics one may follow (`topic`), what a reader follows (`topic_follows_of`,
  `topics_followed`) and what is new in all of it (`followed_news`); which records are under
  followed topics, for the digests (`topic_members`).
- `calendar`: dated dialogues, events and mechanisms, by day, for the calendar page and feed.
- `tags`: tags in use on a set of records (`tags_in_use`), and on those a reader may see
  (`tags_visible_to`).

Views, the API, the admin and tasks read through these; writes go through the services.
"""

from .history import (
    REASON_ACTIONS,
    latest_rejection,
    latest_rejections,
    revision_changes,
    revisions_visible_to,
)
from .presence import initiative_for_presence, others_editing, presence_heartbeat_seconds
from .records import initiatives_for_representation
from .search import initiative_search, initiative_similar
from .tags import tags_in_use, tags_visible_to

__all__ = [
    "REASON_ACTIONS",
    "initiative_for_presence",
    "initiative_search",
    "initiative_similar",
    "initiatives_for_representation",
    "latest_rejection",
    "latest_rejections",
    "others_editing",
    "presence_heartbeat_seconds",
    "revision_changes",
    "revisions_visible_to",
    "tags_in_use",
    "tags_visible_to",
]
