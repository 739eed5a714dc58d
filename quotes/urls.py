"""Public pages: the home page, the speakers and each speaker's timeline."""

from django.urls import path

from quotes import views

app_name = "quotes"

urlpatterns = [
    path("", views.home, name="home"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", views.speaker_timeline, name="speaker-timeline"),
]
