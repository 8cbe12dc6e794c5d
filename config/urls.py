from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before /api/ (whose catch-all answers unknown API paths) and the initiatives' slugs.
    path("", include("digests.urls")),
    path("api/", include("api.urls")),
    path("accounts/", include("governance.urls")),
    path("", include("initiatives.urls")),
]

# A failure to reach the database, even in a middleware, answers 503 rather than 500.
handler500 = "governance.outage.server_error"
