"""Top-level routes: the admin, the API and the public pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("quotes.api.urls")),
    path("", include("quotes.urls")),
]
