"""Public pages (filled in by the timeline work)."""

urlpatterns = []
