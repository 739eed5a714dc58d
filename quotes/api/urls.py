"""API routes: the resources (a router), a token for developers, and the OpenAPI schema and docs.

The docs page serves Swagger UI from drf-spectacular-sidecar's static files,
so it works on a machine with no internet access, and its own script from a URL
(the split view), so the Content-Security-Policy needs no inline script.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from quotes.api import views
from quotes.api.auth import TokenView

app_name = "api"

router = DefaultRouter()
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("duplicates", views.DuplicateCandidateViewSet, basename="duplicate")
router.register("feeds", views.FeedViewSet, basename="feed")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
