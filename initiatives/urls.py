from django.urls import path, re_path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/", views.initiative_list, name="list"),
    # No slug has a dot in it, so no record's address is taken by these.
    path("initiatives/export.<str:format_name>", views.initiative_export, name="export"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="detail"),
    path("initiatives/<slug:slug>/edit/", views.initiative_edit, name="edit"),
    path("initiatives/<slug:slug>/edit/presence/", views.edit_presence, name="edit_presence"),
    path("initiatives/<slug:slug>/submit/", views.initiative_submit, name="submit"),
    path("initiatives/<slug:slug>/history/", views.initiative_history, name="history"),
    path("initiatives/<slug:slug>/updates/", views.update_create, name="update_create"),
    path("initiatives/<slug:slug>/results/", views.initiative_results, name="results"),
    path("initiatives/<slug:slug>/collaborators/", views.collaborator_invite, name="invite"),
    path(
        "initiatives/<slug:slug>/collaborators/<str:username>/remove/",
        views.collaborator_remove,
        name="collaborator_remove",
    ),
    path(
        "initiatives/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("initiatives/<slug:slug>/sources/check/", views.source_check, name="source_check"),
    path("initiatives/<slug:slug>/comments/", views.comment_create, name="comment_create"),
    path("initiatives/<slug:slug>/follow/", views.follow_toggle, name="follow"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("key-tasks/<slug:slug>/", views.key_task_detail, name="key_task"),
    path("countries/", views.country_list, name="countries"),
    path("map/", views.world_map, name="map"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("stakeholders/", views.stakeholder_list, name="stakeholders"),
    path("stakeholders/<slug:slug>/", views.stakeholder_detail, name="stakeholder"),
    path("tags/", views.tag_list, name="tags"),
    # Tag slugs keep Chinese characters (taggit slugifies with allow_unicode), which <slug:> refuses.
    re_path(r"^tags/(?P<slug>[-\w]+)/\Z", views.tag_detail, name="tag"),
    re_path(r"^tags/(?P<slug>[-\w]+)/labels/\Z", views.tag_labels, name="tag_labels"),
    re_path(r"^tags/(?P<slug>[-\w]+)/merge/\Z", views.tag_merge, name="tag_merge"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/new/", views.initiative_create, name="create"),
    path("workspace/import/", views.import_upload, name="import"),
    path("workspace/import/<int:pk>/", views.import_job, name="import_job"),
    path("workspace/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("following/", views.following, name="following"),
    path("following/topics/", views.topic_follow_toggle, name="topic_follow"),
    path("workspace/preview/", views.markdown_preview, name="preview"),
    re_path(
        r"^workspace/invitations/(?P<pk>[0-9]+)/(?P<answer>accept|decline)/\Z",
        views.invitation_answer,
        name="invitation_answer",
    ),
    path("workspace/invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("open-data/", views.opendata, name="opendata"),
    path("open-data/<str:name>", views.opendata_download, name="opendata_file"),
    path("autocomplete/<str:kind>/", views.autocomplete, name="autocomplete"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:table>.csv", views.statistics_csv, name="statistics_csv"),
]
