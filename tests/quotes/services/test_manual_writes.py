"""What reviewers write by hand, through the services every interface calls.

Each rule is checked once, in the service; the admin forms and API serializers
only show its errors (tests/quotes/test_admin.py covers them on the pages).
"""

import datetime

import pytest

from quotes.errors import Conflict, DuplicateArticle, DuplicateStatement, InvalidInput
from quotes.models import Appearance, Outlet, Role, Speaker, SpeakerAlias, Statement
from quotes.services.articles import article_delete, article_text_check, outlet_delete, outlet_save
from quotes.services.dates import UNCHANGED, said_on_check
from quotes.services.speakers import (
    role_save,
    speaker_alias_check,
    speaker_alias_save,
    speaker_delete,
    speaker_save,
)
from quotes.services.statements import (
    appearance_delete_manual,
    appearance_save_manual,
    statement_create_manual,
    statement_edit,
)
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    SpeakerFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
FEB_8 = datetime.date(2025, 2, 8)


# The one date rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("said_on", "precision", "current", "stored"), [
    (FEB_8, None, None, (FEB_8, "day")),  # a date alone is to the day
    (None, None, FEB_8, (None, "unknown")),  # no date is unknown, whatever was stored
    (UNCHANGED, "month", FEB_8, (FEB_8, "month")),  # a precision alone keeps the date
    (FEB_8, "year", None, (FEB_8, "year")),
])
def test_a_date_and_its_precision_are_completed_one_way(said_on, precision, current, stored):
    assert said_on_check(said_on=said_on, said_on_precision=precision, current=current) == stored


@pytest.mark.parametrize(("said_on", "precision"), [
    (FEB_8, "unknown"), (None, "day"), (UNCHANGED, "week"), (FEB_8, "fortnight"),
])
def test_a_date_and_a_precision_that_disagree_are_refused_on_the_precision(said_on, precision):
    with pytest.raises(InvalidInput) as caught:
        said_on_check(said_on=said_on, said_on_precision=precision, current=None)
    assert list(caught.value.details["errors"]) == ["said_on_precision"]


# Statements ------------------------------------------------------------------------------------------


def test_a_statement_typed_in_is_locked_and_dated_by_hand():
    user, speaker = UserFactory(), SpeakerFactory()
    statement = statement_create_manual(
        text="  We will not wait.  ", kind="direct", speakers=[speaker], user=user, said_on=FEB_8,
    )
    statement.refresh_from_db()
    assert statement.text == "We will not wait."
    assert (statement.said_on, statement.said_on_precision) == (FEB_8, "day")
    assert statement.said_on_method == Statement.DateMethod.MANUAL and statement.is_locked
    assert statement.reviewed_by == user and list(statement.speakers.all()) == [speaker]
    assert statement.history.first().history_user == user


def test_a_statement_typed_in_without_a_date_has_an_unknown_one():
    statement = statement_create_manual(text="Soon.", kind="indirect", speakers=[], user=UserFactory())
    assert (statement.said_on, statement.said_on_precision, statement.said_on_method) == (
        None, "unknown", "unknown",
    )


def test_the_same_words_by_the_same_speakers_are_refused_naming_the_stored_one():
    speaker, user = SpeakerFactory(), UserFactory()
    first = statement_create_manual(text="We will win.", kind="direct", speakers=[speaker], user=user)
    with pytest.raises(DuplicateStatement) as caught:
        statement_create_manual(text="We will  win.", kind="direct", speakers=[speaker], user=user)
    assert caught.value.details["statement_id"] == first.pk
    # Other speakers: another statement.
    statement_create_manual(text="We will win.", kind="direct", speakers=[SpeakerFactory()], user=user)
    assert Statement.objects.count() == 2


@pytest.mark.parametrize(("values", "field"), [
    ({"text": "   "}, "text"),
    ({"kind": "rumour"}, "kind"),
    ({"said_on_precision": "decade"}, "said_on_precision"),
])
def test_bad_values_are_refused_on_their_field_and_nothing_is_stored(values, field):
    base = {"text": "Words.", "kind": "direct", "speakers": [], "user": UserFactory()}
    with pytest.raises(InvalidInput) as caught:
        statement_create_manual(**{**base, **values})
    assert field in caught.value.details["errors"]
    assert not Statement.objects.exists()


def test_an_edit_with_a_precision_alone_keeps_the_date_and_makes_it_the_reviewers():
    statement = StatementFactory(said_on=FEB_8, said_on_precision="day")
    statement_edit(statement=statement, user=UserFactory(), said_on_precision="week")
    statement.refresh_from_db()
    assert (statement.said_on, statement.said_on_precision) == (FEB_8, "week")
    assert statement.said_on_method == "manual"
    assert statement.edited


# Manual appearances ----------------------------------------------------------------------------------


def _manual(statement, article, start=0, end=5, **kwargs) -> Appearance:
    return Appearance(statement=statement, article=article, start=start, end=end, **kwargs)


def test_a_manual_appearance_dates_its_statement():
    statement = StatementFactory(said_on=None, said_on_precision="unknown")
    article = ArticleFactory()
    appearance = appearance_save_manual(
        appearance=_manual(statement, article, said_on=FEB_8, said_on_precision="day"),
    )
    statement.refresh_from_db()
    assert appearance.origin == Appearance.Origin.MANUAL
    assert (statement.said_on, statement.said_on_precision) == (FEB_8, "day")
    appearance_delete_manual(appearance=appearance)
    statement.refresh_from_db()
    assert statement.said_on is None and not Appearance.objects.exists()


def test_moving_a_manual_appearance_re_dates_both_statements():
    old, new = StatementFactory(said_on=None, said_on_precision="unknown"), StatementFactory()
    appearance = appearance_save_manual(
        appearance=_manual(old, ArticleFactory(), said_on=FEB_8, said_on_precision="day"),
    )
    appearance.statement = new
    appearance_save_manual(appearance=appearance)
    old.refresh_from_db()
    assert old.said_on is None  # its only dated report moved away


@pytest.mark.parametrize(("start", "end", "field"), [(5, 5, "end"), (3, 10_000, "end")])
def test_offsets_outside_the_text_are_refused(start, end, field):
    with pytest.raises(InvalidInput) as caught:
        appearance_save_manual(appearance=_manual(StatementFactory(), ArticleFactory(), start=start, end=end))
    assert field in caught.value.details["errors"]
    assert not Appearance.objects.exists()


def test_a_span_taken_in_the_article_is_a_conflict():
    taken = AppearanceFactory(start=0, end=5)
    with pytest.raises(Conflict):
        appearance_save_manual(appearance=_manual(StatementFactory(), taken.article, start=0, end=5))


def test_the_machines_appearances_are_not_deleted_by_hand():
    with pytest.raises(InvalidInput):
        appearance_delete_manual(appearance=AppearanceFactory(origin=Appearance.Origin.EXTRACTED))
    assert Appearance.objects.count() == 1


# Aliases and roles -----------------------------------------------------------------------------------


def test_an_alias_is_stored_with_its_folded_form_once_per_speaker():
    speaker = SpeakerFactory()
    alias = speaker_alias_save(alias=SpeakerAlias(speaker=speaker, name="  Mr. KIM  "))
    assert alias.normalized == "mr kim"
    with pytest.raises(Conflict):
        speaker_alias_save(alias=SpeakerAlias(speaker=speaker, name="mr kim"))
    # Another speaker may be called the same; an alias with no letters is nobody's.
    speaker_alias_check(speaker_id=SpeakerFactory().pk, name="Mr Kim")
    with pytest.raises(InvalidInput):
        speaker_alias_check(speaker_id=speaker.pk, name=" -- ")


def test_a_role_cannot_end_before_it_starts():
    role = Role(speaker=SpeakerFactory(), title="Minister", start=FEB_8, end=datetime.date(2024, 1, 1))
    with pytest.raises(InvalidInput):
        role_save(role=role)
    assert not Role.objects.exists()


# Article text ----------------------------------------------------------------------------------------


def test_article_text_is_checked_once_for_every_writer(settings):
    settings.ARTICLE_MAX_CHARS = 20
    stored = ArticleFactory(text="Stored text.")
    for text in ["", "   \n", "x" * 21]:
        with pytest.raises(InvalidInput):
            article_text_check(text=text)
    with pytest.raises(DuplicateArticle) as caught:
        article_text_check(text="Stored text.")
    assert caught.value.details["article_id"] == stored.pk
    article_text_check(text="Stored text.", article_id=stored.pk)  # its own text is no duplicate


# Saving and deleting records -------------------------------------------------------------------------


def test_a_speaker_with_statements_is_merged_not_deleted():
    speaker = SpeakerFactory()
    StatementFactory(speakers=[speaker])
    with pytest.raises(Conflict, match="merge"):
        speaker_delete(speaker=speaker)
    speaker_delete(speaker=SpeakerFactory())  # nobody quotes this one
    assert Speaker.objects.filter(pk=speaker.pk).exists() and Speaker.objects.count() == 1


def test_a_taken_slug_is_a_conflict_not_a_500():
    taken = SpeakerFactory(slug="rhea-vale")
    with pytest.raises(Conflict):
        speaker_save(speaker=Speaker(name="Rhea Vale", slug=taken.slug, reviewed=True))


def test_an_outlet_with_articles_stays():
    article = ArticleFactory()
    with pytest.raises(Conflict):
        outlet_delete(outlet=article.outlet)
    outlet = outlet_save(outlet=Outlet(name="The Ledger", domain=""))
    assert outlet.domain is None


def test_deleting_an_article_deletes_what_only_it_reported_but_a_humans_decision():
    article, other = ArticleFactory(), ArticleFactory()
    only_here = AppearanceFactory(article=article, start=0, end=5).statement
    verified = AppearanceFactory(
        article=article, start=6, end=9, statement=StatementFactory(review_status="verified"),
    ).statement
    elsewhere = AppearanceFactory(article=article, start=10, end=14).statement
    AppearanceFactory(article=other, statement=elsewhere)
    article_delete(article=article)
    assert set(Statement.objects.values_list("pk", flat=True)) == {verified.pk, elsewhere.pk}
    assert only_here.pk is not None
