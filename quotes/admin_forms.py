"""The admin's forms: they show the services' checks beside the fields, and write nothing.

Each form's ``clean`` asks the same check function the service will run when
the admin saves (quotes.services), so a rule is written once and its message
shows on the field it concerns; the saving itself is the ModelAdmin's call into
the service (quotes.admin). ``show_error`` turns a domain error into form errors.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from quotes import selectors
from quotes.errors import DuplicateArticle, DuplicateStatement, QuoteTrackerError
from quotes.models import Appearance, Article, Feed, SpeakerAlias, Statement
from quotes.services.articles import (
    article_published_check,
    article_submit,
    article_submit_url,
    article_text_check,
    article_url_check,
)
from quotes.services.feeds import feed_url_check
from quotes.services.speakers import speaker_alias_check
from quotes.services.statements import (
    appearance_manual_check,
    statement_duplicate_check,
    statement_fields_check,
)


def show_error(form: forms.BaseForm, exc: QuoteTrackerError) -> None:
    """Put a service's error on the form: its field errors beside their fields, else on top."""
    placed = False
    for field, messages in exc.details.get("errors", {}).items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class SpeakerAliasForm(forms.ModelForm):
    """An alias; its folded form and the duplicate check are ``speaker_alias_check``'s."""

    class Meta:
        model = SpeakerAlias
        fields = ["name", "kind", "language", "valid_from", "valid_to"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name"):
            try:
                speaker_alias_check(
                    speaker_id=self.instance.speaker_id, name=cleaned["name"],
                    language=cleaned.get("language") or "en", alias_id=self.instance.pk,
                )
            except QuoteTrackerError as exc:
                show_error(self, exc)
        return cleaned


class ManualAppearanceForm(forms.ModelForm):
    """An appearance a reviewer adds: offsets and date checked by ``appearance_manual_check``."""

    class Meta:
        model = Appearance
        fields = [
            "article", "statement", "start", "end", "speaker_as_written", "cue", "context",
            "reported_via", "said_on", "said_on_precision", "date_evidence",
        ]

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or getattr(self.instance, "article", None)
        start, end = cleaned.get("start"), cleaned.get("end")
        if article is not None and start is not None and end is not None:
            try:
                appearance_manual_check(
                    article=article, start=start, end=end, said_on=cleaned.get("said_on"),
                    said_on_precision=cleaned.get("said_on_precision") or None,
                )
            except QuoteTrackerError as exc:
                show_error(self, exc)
        return cleaned


def stored_article_error(article_id: int, same: str) -> str:
    """'An article with the same text already exists: <a href=...>#7 Title</a>' (safe HTML)."""
    link = reverse("admin:quotes_article_change", args=[article_id])
    article = selectors.article_brief(article_id=article_id)
    return format_html(
        'An article with the same {} already exists: <a href="{}">#{} {}</a>', same, link, article_id,
        article.title if article else "",
    )


class ArticleForm(forms.ModelForm):
    """Validates an article with ``article_text_check``, so errors show on the form."""

    url = forms.URLField(max_length=1000, required=False, empty_value=None, assume_scheme="https")
    # The id of the article a concurrent add or edit stored with this text or URL between this
    # form's validation and its save (ArticleAdmin.changeform_view sets it and shows the form
    # again): reported even where the check below missed it, so the form cannot pass twice.
    stored_first: int | None = None

    class Meta:
        model = Article
        fields = ["title", "url", "outlet", "author", "published_at", "text"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A URL alone will do: a worker fetches the page and finds the rest (by_url below).
            self.fields["title"].required = self.fields["published_at"].required = False
            self.fields["url"].help_text = "Give the URL alone to have the page fetched and read."

    def by_url(self) -> bool:
        """Adding an article by its URL alone (no text)."""
        return self.instance.pk is None and not self.data.get(self.add_prefix("text"), "").strip()

    def clean_url(self) -> str | None:
        url = self.cleaned_data["url"]
        if url and self.by_url():
            try:
                normal = article_url_check(url=url)
            except QuoteTrackerError as exc:
                raise forms.ValidationError(exc.message) from exc
            stored = selectors.article_id_with_url(url=normal)
            if stored is not None:
                raise forms.ValidationError(stored_article_error(stored, "URL"))
        return url

    def clean(self):
        cleaned = super().clean()
        if not self.by_url():
            for name in ("title", "published_at"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "This field is required (or give a URL alone).")
        elif not cleaned.get("url") and "url" not in self.errors:
            self.add_error("text", "Give the text, or a URL alone to have it fetched.")
        return cleaned

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if self.by_url():
            return text  # nothing to check yet: the worker checks the page's text
        try:
            article_text_check(text=text, article_id=self.instance.pk)
        except DuplicateArticle as exc:
            raise forms.ValidationError(stored_article_error(exc.details["article_id"], "text")) from exc
        except QuoteTrackerError as exc:
            raise forms.ValidationError(exc.message) from exc
        return text

    def clean_published_at(self):
        published_at = self.cleaned_data.get("published_at")
        if published_at is None:
            return None  # a URL alone: the page says when (clean() asks for it otherwise)
        try:
            return article_published_check(published_at=published_at)
        except QuoteTrackerError as exc:
            raise forms.ValidationError(exc.message) from exc

    def validate_unique(self) -> None:
        super().validate_unique()  # the URL; runs after every clean_<field>
        if self.stored_first is None or self.errors:
            return
        stored = selectors.article_brief(article_id=self.stored_first)
        if stored is None:
            return  # gone since: nothing stands in the way now
        if stored.text == self.cleaned_data["text"] and not self.by_url():
            self.add_error("text", stored_article_error(self.stored_first, "text"))
        else:
            self.add_error("url", stored_article_error(self.stored_first, "URL"))

    def submit(self, *, user) -> Article:
        """Store a new article through the service (which queues its extraction)."""
        data = self.cleaned_data
        if self.by_url():
            return article_submit_url(url=data["url"], submitted_by=user)
        return article_submit(
            title=data["title"], text=data["text"], published_at=data["published_at"],
            url=data.get("url") or None, outlet=data["outlet"].name if data.get("outlet") else None,
            author=data.get("author") or "", submitted_by=user,
        )


class FeedForm(forms.ModelForm):
    """A feed's URL, normalised as the service stores it, so the unique check sees the stored form."""

    url = forms.URLField(max_length=1000, assume_scheme="https")

    class Meta:
        model = Feed
        fields = ["url", "title", "outlet", "active", "poll_interval", "next_poll_at"]

    def clean_url(self) -> str:
        try:
            return feed_url_check(url=self.cleaned_data["url"])
        except QuoteTrackerError as exc:
            raise forms.ValidationError(exc.message) from exc


class StatementForm(forms.ModelForm):
    """The fields a reviewer may correct, checked by ``statement_fields_check``."""

    class Meta:
        model = Statement
        fields = ["text", "kind", "speakers", "said_on", "said_on_precision"]

    def clean(self):
        cleaned = super().clean()
        try:
            statement_fields_check(
                text=cleaned.get("text"), kind=cleaned.get("kind"), said_on=cleaned.get("said_on"),
                said_on_precision=cleaned.get("said_on_precision") or None,
            )
            if self.instance.pk is None and cleaned.get("text") and "speakers" in cleaned:
                statement_duplicate_check(text=cleaned["text"], speakers=list(cleaned["speakers"]))
        except DuplicateStatement as exc:
            self.add_error("text", exc.message)
        except QuoteTrackerError as exc:
            show_error(self, exc)
        return cleaned
