from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # Without a CSRF token: the switcher is on every page, and a token in the public pages would
    # set a cookie on each anonymous reader, which no shared cache may store. The view only sets
    # the language cookie, so a forged switch changes nothing but the language shown.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Before /api/ (whose catch-all answers unknown API paths) and the initiatives' slugs.
    path("", include("digests.urls")),
    path("", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("accounts/", include("governance.urls")),
    path("", include("initiatives.urls")),
]

# A failure to reach the database, even in a middleware, answers 503 rather than 500.
handler500 = "governance.outage.server_error"
