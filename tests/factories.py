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

