"""Top-level routes: the admin, the API and the public pages (and, in bench mode, /bench/)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("quotes.api.urls")),
    path("", include("quotes.urls")),
]

# Django's error pages: JSON under /api/, HTML elsewhere (quotes.api.errors).
handler400 = "quotes.api.errors.bad_request"
handler403 = "quotes.api.errors.permission_denied"
handler404 = "quotes.api.errors.not_found"
handler500 = "quotes.api.errors.server_error"

if settings.BENCH_VIEWS:  # QUOTETRACKER_BENCH=1: measuring instruments, never in production traffic
    urlpatterns.insert(0, path("bench/", include("quotetracker.bench")))
