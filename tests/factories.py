"""factory_boy factories for tests: one per model, valid by default."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from quotes.models import Appearance, Article, Outlet, Role, Speaker, SpeakerAlias, Statement
from quotes.normalize import content_hash, normalize_name, normalize_text, statement_fingerprint
from quotes.services.counters import derived_refresh


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    """A staff user with every permission on QuoteTracker's models (an editor);
    ``StaffFactory(permissions=[])`` is staff with none, ``permissions=["change_statement"]`` just those."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def permissions(self, create, names, **kwargs):
        if not create:
            return
        granted = Permission.objects.filter(content_type__app_label="quotes")
        if names is not None:
            granted = granted.filter(codename__in=names)
        self.user_permissions.set(granted)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker Number{n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    reviewed = True


class SpeakerAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpeakerAlias

    speaker = factory.SubFactory(SpeakerFactory)
    name = factory.LazyAttribute(lambda a: a.speaker.name)
    normalized = factory.LazyAttribute(lambda a: normalize_name(a.name))
    kind = SpeakerAlias.Kind.FULL_NAME


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    speaker = factory.SubFactory(SpeakerFactory)
    title = "Prime Minister"
    organization = "Ruritania"


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://news.example/{n}")
    published_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2025, 2, 9, 8, 0), datetime.UTC)
    )
    text = factory.Sequence(lambda n: f'Article body {n}. "We will win," Jane Doe said on Saturday.')
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.text))
    extraction_status = Article.Status.DONE


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    text = factory.Sequence(lambda n: f"We will build statement number {n}.")
    normalized_text = factory.LazyAttribute(lambda s: normalize_text(s.text))
    fingerprint = factory.LazyAttribute(lambda s: statement_fingerprint(s.text, []))
    kind = Statement.Kind.DIRECT
    said_on = datetime.date(2025, 2, 8)
    said_on_precision = Statement.Precision.DAY
    said_on_method = Statement.DateMethod.RELATIVE
    confidence = 0.9

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            self.speakers.set(extracted)
            # What the services keep beside the rows (counts, the timeline's copies).
            derived_refresh(statement_ids=[self.pk])


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance
        skip_postgeneration_save = True

    statement = factory.SubFactory(StatementFactory)
    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda a: max(1, min(len(a.article.text), len(a.statement.text))))
    speaker_as_written = "she"
    cue = "said"
    context = factory.LazyAttribute(lambda a: a.article.text[:200])

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        # What the services keep beside the rows (counts, the timeline's copies).
        if create:
            derived_refresh(statement_ids=[self.statement_id], article_ids=[self.article_id])



def statements_varied() -> list[Statement]:
    """Statements that differ in every way a list row can: for tests comparing two renderings.

    Dated to the day, to the month and undated; none, one and three speakers (roles held on
    the day, ended before it, open-ended, none); none, one and two sources (with and
    without outlet or URL); rejected, verified and edited; part of another; markup, quote
    marks and non-ASCII in the text. Every time is a whole second (JSON encoders differ on
    microseconds). Invented people and outlets only.
    """
    utc = datetime.UTC
    ada = SpeakerFactory(name="Ada Quill", slug="ada-quill")
    RoleFactory(speaker=ada, title="Mayor", organization="Port Verity", start=datetime.date(2019, 1, 1))
    RoleFactory(speaker=ada, title="Councillor", organization="Port Verity", start=datetime.date(2012, 5, 1),
                end=datetime.date(2018, 12, 31))
    bo = SpeakerFactory(name="Bo Lindqvist-Ørn", slug="bo-lindqvist-orn")
    RoleFactory(speaker=bo, title="Spokesperson", organization="", start=None, end=None)
    cy = SpeakerFactory(name="Cy <Tern>", slug="cy-tern")
    outlet = OutletFactory(name="The Verity Ledger")
    early = ArticleFactory(title="Harbour & budget", outlet=outlet,
                           published_at=datetime.datetime(2020, 4, 2, 9, 30, 15, tzinfo=utc))
    late = ArticleFactory(title="<i>Night</i> edition", outlet=None, url=None,
                          published_at=datetime.datetime(2021, 7, 3, 18, 0, tzinfo=utc))
    whole = StatementFactory(text='We will <b>rebuild</b> the "harbour" & the pier — café too.',
                             said_on=datetime.date(2020, 4, 1), speakers=[ada, bo, cy],
                             review_status=Statement.Review.VERIFIED, confidence=0.25, date_conflict=True)
    month = StatementFactory(text="Taxes stay as they are.", said_on=datetime.date(2016, 3, 1),
                             said_on_precision=Statement.Precision.MONTH, kind=Statement.Kind.INDIRECT,
                             speakers=[ada], edited=True)
    undated = StatementFactory(text="Nobody asked me.", said_on=None, speakers=[bo],
                               said_on_precision=Statement.Precision.UNKNOWN, kind=Statement.Kind.PARTIAL)
    part = StatementFactory(text="rebuild the harbour", said_on=datetime.date(2020, 4, 1), part_of=whole,
                            speakers=[ada])
    rejected = StatementFactory(text="Misread sentence.", said_on=datetime.date(2018, 1, 1), speakers=[cy],
                                review_status=Statement.Review.REJECTED)
    unsourced = StatementFactory(text="No source yet.", said_on=datetime.date(2022, 1, 1), speakers=[])
    AppearanceFactory(statement=whole, article=late, start=3, end=40, cue="vowed", cue_start=0, cue_end=2,
                      source_start=41, source_end=44, said_on=datetime.date(2020, 4, 1),
                      said_on_precision="day", extractor_version="t9", speaker_as_written="the mayor")
    AppearanceFactory(statement=whole, article=early, start=0, end=12, context='"<script>x</script>"')
    for offset, statement in enumerate((month, undated, part, rejected)):
        AppearanceFactory(statement=statement, article=early, start=50 + offset * 20, end=60 + offset * 20)
    return [whole, month, undated, part, rejected, unsourced]
