"""speaker_match / speaker_resolve: one record per leader, role phrases resolved on the date."""

import datetime

import pytest
from django.core.management import call_command

from quotes.models import Speaker, SpeakerAlias
from quotes.names import role_phrases
from quotes.selectors import SpeakerMatch, speaker_match
from quotes.services.speakers import speaker_alias_add, speaker_resolve
from tests.factories import RoleFactory, SpeakerAliasFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def leaders():
    """The seed fixture: the people of the seed article and their counterparts."""
    call_command("loaddata", "fixtures/speakers.json", verbosity=0)
    return {s.slug: s for s in Speaker.objects.all()}


def resolved(name, on_date=None):
    match = speaker_match(name=name, on_date=on_date)
    return match.speaker.name if match.speaker else sorted(c.name for c in match.candidates)


class TestFixture:
    def test_loads_reviewed_leaders_and_organisations(self, leaders):
        assert len(leaders) == 12
        assert all(s.reviewed for s in leaders.values())
        assert leaders["korean-central-news-agency"].is_organization
        assert leaders["white-house"].is_organization
        assert leaders["kim-jong-un"].wikidata_qid == "Q56226"

    def test_loaddata_is_idempotent(self, leaders):
        counts = (Speaker.objects.count(), SpeakerAlias.objects.count())
        call_command("loaddata", "fixtures/speakers.json", verbosity=0)
        assert (Speaker.objects.count(), SpeakerAlias.objects.count()) == counts


class TestNames:
    def test_full_name_short_name_and_spelling_variants(self, leaders):
        assert resolved("Kim Jong Un") == "Kim Jong Un"
        assert resolved("Kim Jong-un") == "Kim Jong Un"
        assert resolved("KIM JONG UN") == "Kim Jong Un"
        assert resolved("김정은") == "Kim Jong Un"
        assert resolved("Trump") == "Donald Trump"
        assert resolved("Donald J. Trump") == "Donald Trump"
        assert resolved("Lee Jae Myung") == "Lee Jae-myung"
        assert resolved("KCNA") == "Korean Central News Agency"
        assert resolved("the White House") == "White House"

    def test_namesakes_stay_two_people_and_a_bare_surname_keeps_candidates(self, leaders):
        assert resolved("Kim Yo Jong") == "Kim Yo Jong"
        assert resolved("Kim") == ["Kim Jong Un", "Kim Yo Jong"]
        assert resolved("Mr Kim") == ["Kim Jong Un", "Kim Yo Jong"]

    def test_titles_in_front_of_a_known_name_are_set_aside(self, leaders):
        on = D(2025, 2, 7)
        assert resolved("Japanese Prime Minister Shigeru Ishiba", on) == "Shigeru Ishiba"
        assert resolved("U.S. President Donald Trump", on) == "Donald Trump"
        assert resolved("North Korean leader Kim Jong Un", on) == "Kim Jong Un"
        assert resolved("former President Joe Biden", on) == "Joe Biden"

    def test_a_role_phrase_in_front_of_a_shared_surname_settles_it(self, leaders):
        assert resolved("North Korean leader Kim", D(2025, 2, 8)) == "Kim Jong Un"

    def test_words_before_a_name_that_are_not_titles_do_not_count(self, leaders):
        assert resolved("a spokesperson close to Trump") == []

    def test_pronouns_match_nobody(self, leaders):
        assert resolved("he") == []


class TestRolePhrases:
    @pytest.mark.parametrize("phrase", [
        "Japan's prime minister", "the Japanese prime minister", "Prime Minister of Japan",
        "Japanese PM", "the prime minister of Japan",
    ])
    def test_japanese_prime_minister_follows_the_date(self, leaders, phrase):
        assert resolved(phrase, D(2023, 5, 1)) == "Fumio Kishida"
        assert resolved(phrase, D(2025, 2, 7)) == "Shigeru Ishiba"
        assert resolved(phrase, D(2025, 11, 1)) == "Sanae Takaichi"

    @pytest.mark.parametrize("phrase", [
        "the South Korean president", "South Korea's president", "president of South Korea",
    ])
    def test_south_korean_president_derived_from_roles(self, leaders, phrase):
        assert resolved(phrase, D(2024, 3, 1)) == "Yoon Suk Yeol"
        assert resolved(phrase, D(2025, 7, 1)) == "Lee Jae-myung"
        # Between Yoon's removal and Lee's inauguration nobody held the office.
        assert resolved(phrase, D(2025, 5, 1)) == []

    def test_us_president_over_two_terms(self, leaders):
        assert resolved("the U.S. president", D(2019, 6, 30)) == "Donald Trump"
        assert resolved("the American president", D(2022, 1, 1)) == "Joe Biden"
        assert resolved("President of the United States", D(2025, 2, 7)) == "Donald Trump"

    def test_role_phrase_aliases_have_validity(self, leaders):
        assert resolved("the North Korean leader", D(2025, 2, 8)) == "Kim Jong Un"
        assert resolved("North Korea's leader", D(2025, 2, 8)) == "Kim Jong Un"
        assert resolved("North Korean leader", D(2012, 1, 1)) == "Kim Jong Un"
        assert resolved("the North Korean leader", D(2005, 1, 1)) == []

    def test_alias_role_phrase_validity_for_a_fictional_office(self):
        early, late = SpeakerFactory(name="Ann Early"), SpeakerFactory(name="Bo Late")
        speaker_alias_add(speaker=early, name="the Ruritanian chancellor", kind=SpeakerAlias.Kind.ROLE_PHRASE,
                          valid_from=D(2020, 1, 1), valid_to=D(2022, 12, 31))
        speaker_alias_add(speaker=late, name="the Ruritanian chancellor", kind=SpeakerAlias.Kind.ROLE_PHRASE,
                          valid_from=D(2023, 1, 1))
        assert resolved("The Ruritanian Chancellor", D(2021, 6, 1)) == "Ann Early"
        assert resolved("Ruritanian chancellor", D(2024, 6, 1)) == "Bo Late"
        assert resolved("the Ruritanian chancellor", D(2019, 6, 1)) == []

    def test_organisation_not_in_the_country_table_still_derives_phrases(self):
        RoleFactory(speaker=SpeakerFactory(name="Ivo Mayor"), title="Mayor", organization="Springfield",
                    start=D(2020, 1, 1))
        assert resolved("the mayor of Springfield", D(2024, 1, 1)) == "Ivo Mayor"
        assert resolved("Springfield's mayor", D(2024, 1, 1)) == "Ivo Mayor"
        assert resolved("the mayor of Springfield", D(2019, 1, 1)) == []

    def test_title_with_of_and_no_organisation(self):
        phrases = role_phrases("Prime Minister of Japan")
        assert {"japanese prime minister", "japan's prime minister", "prime minister of japan"} <= phrases
        assert role_phrases("President") == frozenset()


class TestResolve:
    def test_unknown_name_creates_one_unreviewed_speaker(self, leaders):
        first = speaker_resolve(name="Choe Son Hui").speaker
        again = speaker_resolve(name="Choe Son Hui").speaker
        assert first == again and not first.reviewed
        assert first.aliases.get().kind == SpeakerAlias.Kind.FULL_NAME

    def test_titles_are_left_out_of_a_new_speaker(self, leaders):
        speaker = speaker_resolve(name="Foreign Minister Choe Son Hui").speaker
        assert speaker.name == "Choe Son Hui"
        assert speaker_resolve(name="Choe Son Hui").speaker == speaker

    def test_role_phrases_and_pronouns_create_nobody(self, leaders):
        before = Speaker.objects.count()
        assert speaker_resolve(name="the Ruritanian president", on_date=D(2025, 1, 1)).speaker is None
        assert speaker_resolve(name="she").speaker is None
        assert Speaker.objects.count() == before

    def test_known_role_phrase_resolves_without_creating(self, leaders):
        match = speaker_resolve(name="the South Korean president", on_date=D(2025, 7, 1))
        assert match.speaker == leaders["lee-jae-myung"]

    def test_ambiguous_name_returns_candidates_without_creating(self):
        a = SpeakerAliasFactory(speaker=SpeakerFactory(name="Park One"), name="Park",
                                kind=SpeakerAlias.Kind.SHORT_NAME).speaker
        b = SpeakerAliasFactory(speaker=SpeakerFactory(name="Park Two"), name="Park",
                                kind=SpeakerAlias.Kind.SHORT_NAME).speaker
        match = speaker_resolve(name="Park")
        assert match.speaker is None and set(match.candidates) == {a, b}
        assert Speaker.objects.count() == 2


@pytest.mark.parametrize("printed", [
    "Spokeswoman Mara Quill", "Defence Minister Mara Quill", "Mr. Mara Quill", "Mayor Mara Quill",
    "Judge Mara Quill",
])
def test_an_unknown_person_is_created_under_the_name_without_the_engines_titles(printed):
    assert speaker_resolve(name=printed).speaker.name == "Mara Quill"


@pytest.mark.parametrize("pronoun", ["them", "his", "He", "their", "us", "Me"])
def test_no_pronoun_becomes_a_speaker(pronoun):
    assert speaker_resolve(name=pronoun) == SpeakerMatch(None)
    assert not Speaker.objects.exists()


class TestResolveInOnePass:
    def test_names_bare_names_and_sources_share_one_read_and_a_source_finds_who_was_just_created(
        self, django_assert_num_queries,
    ):
        from quotes.services.speakers import speakers_resolve

        day = D(2025, 3, 4)
        known = SpeakerFactory(name="Amara Okonkwo-Bell")
        SpeakerAliasFactory(speaker=known, name="Okonkwo-Bell", kind=SpeakerAlias.Kind.SHORT_NAME)
        # aliases, names, roles, the speakers matched; slugs, the insert, alias, history
        with django_assert_num_queries(8):
            found = speakers_resolve(
                requests=[("Amara Okonkwo-Bell", day), ("Foreign Minister Teodor Vasquez-Lind", day)],
                lookups=[("Teodor Vasquez-Lind", day), ("Okonkwo-Bell", day), ("the spokesman", day)],
            )
        created = found[("Foreign Minister Teodor Vasquez-Lind", day)].speaker
        assert (created.name, created.reviewed) == ("Teodor Vasquez-Lind", False)
        assert found[("Teodor Vasquez-Lind", day)].speaker == created  # a source, matched after the creation
        assert found[("Okonkwo-Bell", day)].speaker == known
        assert found[("the spokesman", day)] == SpeakerMatch(None)  # looked up, never created
        assert found[("Amara Okonkwo-Bell", day)].speaker == known
        assert not Speaker.objects.filter(name__icontains="spokesman").exists()


class TestCreatedWhileAnotherWorkerCreatesThem:
    """speakers_create_unreviewed when a concurrent worker inserts between its slug read and its insert."""

    def _racing(self, monkeypatch, make_winner):
        from quotes.services import speakers as service

        free = service.speaker_slugs_free

        def slugs_then_the_other_worker(*, names):
            slugs = free(names=names)
            if not getattr(slugs_then_the_other_worker, "done", False):
                slugs_then_the_other_worker.done = True
                make_winner()
            return slugs

        monkeypatch.setattr(service, "speaker_slugs_free", slugs_then_the_other_worker)
        return service

    def test_the_same_name_is_the_winners_record(self, monkeypatch):
        winner = {}
        service = self._racing(monkeypatch, lambda: winner.setdefault(
            "speaker", Speaker.objects.create(name="Odile Marchetti-Vance", slug="odile-marchetti-vance",
                                              reviewed=False),
        ))
        made = service.speakers_create_unreviewed(names=["Odile Marchetti-Vance", "Bruno Aaltonen-Reyes"])
        assert made["odile marchetti-vance"].pk == winner["speaker"].pk
        assert made["bruno aaltonen-reyes"].pk is not None
        assert Speaker.objects.filter(name__in=["Odile Marchetti-Vance", "Bruno Aaltonen-Reyes"]).count() == 2
        assert SpeakerAlias.objects.filter(speaker=made["bruno aaltonen-reyes"]).count() == 1
        assert made["bruno aaltonen-reyes"].history.filter(history_type="+").count() == 1

    def test_a_slug_taken_meanwhile_gets_the_next_free_one(self, monkeypatch):
        service = self._racing(monkeypatch, lambda: Speaker.objects.create(
            name="Lio Brandt Another", slug="lio-brandt", reviewed=True,
        ))
        made = service.speakers_create_unreviewed(names=["Lio Brandt"])
        assert made["lio brandt"].slug == "lio-brandt-2"
        assert Speaker.objects.get(pk=made["lio brandt"].pk).name == "Lio Brandt"

    def test_with_nobody_racing_the_insert_returns_the_new_records(self, django_assert_num_queries):
        from quotes.services.speakers import speakers_create_unreviewed

        # slugs, the insert, aliases, history: no read of what was inserted
        with django_assert_num_queries(4):
            made = speakers_create_unreviewed(names=["Mira Castellanos-Oduya", "Pell Ruutu"])
        assert {s.name for s in made.values()} == {"Mira Castellanos-Oduya", "Pell Ruutu"}
        assert all(Speaker.objects.filter(pk=s.pk, reviewed=False).exists() for s in made.values())
