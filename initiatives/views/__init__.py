"""The web site, one module per family of pages:

- `public`: the home page, a record's page and history, the pages of the frame (key tasks,
  countries, stakeholders, tags).
- `browse`: the list of records with its filters and filter chips.
- `calendar`, `calendar_feed`: dated records by day, as a page (a month or a list) and as an
  iCalendar feed, with the browse page's filters.
- `workspace`: a contributor's own records.
- `editing`: create, edit, submit, notes, invitations, Markdown preview, autocomplete, and
  who else has a record's edit form open.
- `results`: a record's results, indicators and periods, changed one small form at a time.
- `discussion`: comments and replies, their edit, deletion, reports and hiding.
- `social`: follows of records and topics, and the page of what one follows.
- `exports`: the records a list page shows as a file (CSV, XLSX, JSON Lines), and the Open
  data page with the nightly dump's files.
- `vocabulary`: a curator's changes to a tag from its page (labels, synonyms, merge).
- `stats`: the statistics page (cross-tabulations as charts and tables) and its CSV files.
- `record_page` (the record a slug names and its page's context, shared by the record's page
  and the forms posted from it, and what an editor edits), `paging` (pages of rows, the catalogue's counted by
  `bounded_count`) and `fragments` (the keys under which the parts of a page that are the
  same for every reader are kept per catalogue generation) serve several families.

A view parses its input, reads through `initiatives.selectors` or writes through
`initiatives.services`, and renders; what a person may do is asked of `initiatives.rules`,
so a button appears exactly when the service would accept the click.
"""

from .browse import initiative_list
from .calendar import calendar_page
from .calendar_feed import calendar_feed
from .discussion import comment_create, comment_delete, comment_edit, comment_hide, comment_report
from .editing import (
    autocomplete,
    collaborator_invite,
    collaborator_remove,
    edit_presence,
    initiative_create,
    initiative_edit,
    initiative_submit,
    invitation_accept,
    invitation_answer,
    invitation_withdraw,
    markdown_preview,
    source_check,
    update_create,
)
from .exports import initiative_export, opendata, opendata_download
from .imports import import_confirm, import_job, import_upload
from .maps import world_map
from .public import (
    country_detail,
    country_list,
    home,
    initiative_detail,
    initiative_history,
    key_task_detail,
    stakeholder_detail,
    stakeholder_list,
    tag_detail,
    tag_list,
)
from .results import initiative_results
from .social import follow_toggle, following, topic_follow_toggle
from .stats import statistics, statistics_csv
from .vocabulary import tag_labels, tag_merge
from .workspace import workspace

__all__ = [
    "autocomplete",
    "calendar_feed",
    "calendar_page",
    "collaborator_invite",
    "collaborator_remove",
    "source_check",
    "comment_create",
    "world_map",
    "comment_delete",
    "comment_edit",
    "comment_hide",
    "comment_report",
    "country_detail",
    "country_list",
    "edit_presence",
    "follow_toggle",
    "following",
    "topic_follow_toggle",
    "home",
    "initiative_create",
    "initiative_detail",
    "initiative_edit",
    "initiative_export",
    "import_confirm",
    "import_job",
    "import_upload",
    "initiative_history",
    "initiative_list",
    "initiative_results",
    "initiative_submit",
    "invitation_accept",
    "invitation_answer",
    "invitation_withdraw",
    "key_task_detail",
    "markdown_preview",
    "opendata",
    "opendata_download",
    "stakeholder_detail",
    "stakeholder_list",
    "statistics",
    "statistics_csv",
    "tag_detail",
    "tag_labels",
    "tag_list",
    "tag_merge",
    "update_create",
    "workspace",
]
