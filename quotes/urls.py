"""Public pages: home, search, statements, articles, the speakers and their timelines, and feeds."""

from django.urls import path

from quotes import feeds, views

app_name = "quotes"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/feed/", feeds.SearchFeed(), name="search-feed"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("statements/<int:pk>/review/", views.statement_review, name="statement-review"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", views.speaker_timeline, name="speaker-timeline"),
    path("speakers/<slug:slug>/feed/", feeds.SpeakerFeed(), name="speaker-feed"),
]
