"""Review services: merging and splitting statements and speakers, resolving duplicate pairs."""

import datetime

import pytest

from quotes.errors import Conflict, InvalidInput
from quotes.models import Appearance, DuplicateCandidate, Role, Speaker, SpeakerAlias, Statement
from quotes.normalize import statement_fingerprint
from quotes.services.review import (
    duplicate_candidate_resolve,
    speakers_merge,
    statement_split,
    statements_merge,
)
from quotes.services.statements import statement_edit, statements_verify
from tests.builders import article, extract, said
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    RoleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def user():
    return UserFactory()


def statement(text, speakers=(), **kwargs):
    fingerprint = statement_fingerprint(text, [s.pk for s in speakers])
    return StatementFactory(text=text, fingerprint=fingerprint, speakers=list(speakers), **kwargs)


def appear(st, published=datetime.date(2025, 2, 9), said_on=None, precision="unknown"):
    at = datetime.datetime.combine(published, datetime.time(8), tzinfo=datetime.UTC)
    art = ArticleFactory(published_at=at)
    return AppearanceFactory(statement=st, article=art, said_on=said_on, said_on_precision=precision)


class TestStatementsMerge:
    def test_moves_appearances_and_speakers_deletes_others_and_records_history(self, user):
        kim, kcna = SpeakerFactory(name="Kim Jong Un"), SpeakerFactory(name="KCNA")
        target = statement("A grave challenge to the security environment of our state.", [kim])
        other = statement("A grave challenge to the security environment of our country.", [kcna])
        appear(target, D(2025, 2, 10), D(2025, 2, 8), "day")
        moved = appear(other, D(2025, 2, 9), D(2025, 2, 3), "week")
        merged = statements_merge(target=target, others=[other], user=user)
        assert not Statement.objects.filter(pk=other.pk).exists()
        assert set(merged.speakers.all()) == {kim, kcna}
        assert Appearance.objects.get(pk=moved.pk).statement == merged
        assert merged.edited and merged.reviewed_by == user
        assert merged.first_reported_at.date() == D(2025, 2, 9)
        assert (merged.said_on, merged.date_conflict) == (D(2025, 2, 8), False)
        assert merged.fingerprint == statement_fingerprint(merged.text, [kim.pk, kcna.pk])
        deleted = Statement.history.filter(id=other.pk, history_type="-").get()
        assert deleted.history_user == user
        assert f"merged into statement {target.pk}" in deleted.history_change_reason
        assert merged.history.first().history_user == user

    def test_refuses_merging_into_itself_or_nothing(self, user):
        st = statement("Something said once.")
        with pytest.raises(InvalidInput):
            statements_merge(target=st, others=[st], user=user)
        with pytest.raises(InvalidInput):
            statements_merge(target=st, others=[], user=user)

    def test_conflict_when_new_speakers_make_it_another_statement(self, user):
        a, b = SpeakerFactory(), SpeakerFactory()
        target = statement("We will win the vote.", [a])
        other = statement("We will win the vote!", [b])
        statement("we will win the vote", [a, b])
        with pytest.raises(Conflict):
            statements_merge(target=target, others=[other], user=user)
        assert Statement.objects.filter(pk=other.pk).exists()  # rolled back

    def test_verification_parts_and_open_pairs_carry_over(self, user):
        s = SpeakerFactory()
        target = statement("We will have relations with North Korea.", [s])
        other = statement("We will have relations with North Korea, with Kim.", [s])
        third = statement("We will have relations with North Korea and Kim.", [s])
        part = statement("relations with North Korea", [s], kind=Statement.Kind.PARTIAL, part_of=other)
        statements_verify(statement_ids=[other.pk], user=user)
        DuplicateCandidate.objects.create(first=other, second=third, similarity=0.8)
        merged = statements_merge(target=target, others=[other], user=user)
        assert merged.review_status == Statement.Review.VERIFIED
        part.refresh_from_db()
        assert part.part_of == merged
        pair = DuplicateCandidate.objects.get()
        assert (pair.first, pair.second) == (merged, third)

    def test_a_human_date_on_the_merged_away_statement_is_kept(self, user):
        target = statement("Words said once.", said_on=None, said_on_precision="unknown")
        other = statement("Words said once!", [SpeakerFactory()])
        statement_edit(statement=other, user=user, said_on=D(2025, 2, 6), said_on_precision="day")
        appear(target, D(2025, 2, 9), D(2025, 2, 8), "day")
        merged = statements_merge(target=target, others=[other], user=user)
        assert (merged.said_on, merged.said_on_method) == (D(2025, 2, 6), Statement.DateMethod.MANUAL)


class TestStatementSplit:
    def test_moves_the_appearances_to_a_copy_and_locks_both(self, user):
        s = SpeakerFactory()
        st = statement("We are ready.", [s])
        stays = appear(st, D(2025, 3, 2), D(2025, 3, 1), "day")
        goes = appear(st, D(2025, 5, 2), D(2025, 5, 1), "day")
        new = statement_split(statement=st, appearance_ids=[goes.pk], user=user)
        st.refresh_from_db()
        assert (new.text, new.kind, list(new.speakers.all())) == (st.text, st.kind, [s])
        assert list(new.appearances.all()) == [goes] and list(st.appearances.all()) == [stays]
        assert new.edited and st.edited
        assert (st.said_on, new.said_on) == (D(2025, 3, 1), D(2025, 5, 1))
        assert new.fingerprint != st.fingerprint
        assert new.history.first().history_user == user

    @pytest.mark.parametrize("which", ["none", "all", "foreign"])
    def test_refuses_empty_total_or_foreign_appearances(self, user, which):
        st = statement("We are ready.")
        own = appear(st)
        appear(st)
        foreign = appear(statement("Something else."))
        ids = {"none": [], "all": list(st.appearances.values_list("pk", flat=True)),
               "foreign": [own.pk, foreign.pk]}[which]
        with pytest.raises(InvalidInput):
            statement_split(statement=st, appearance_ids=ids, user=user)
        assert Statement.objects.count() == 2


class TestSpeakersMerge:
    def test_moves_statements_aliases_roles_and_candidates(self, user):
        target = SpeakerFactory(name="Kim Jong Un", wikidata_qid=None)
        dup = SpeakerFactory(name="Kim Jong-un (KCNA spelling)", wikidata_qid="Q999999007", reviewed=False)
        SpeakerAliasFactory(speaker=target, name="Kim", kind=SpeakerAlias.Kind.SHORT_NAME)
        SpeakerAliasFactory(speaker=dup, name="Kim", kind=SpeakerAlias.Kind.SHORT_NAME)
        SpeakerAliasFactory(speaker=dup, name="Marshal Kim Jong Un", kind=SpeakerAlias.Kind.VARIANT)
        RoleFactory(speaker=dup, title="Supreme Leader", organization="Ruritania", start=D(2011, 12, 17))
        st = statement("Our deterrent will grow.", [dup])
        appearance = appear(st)
        appearance.speaker_candidates.set([dup, SpeakerFactory()])
        speakers_merge(target=target, others=[dup], user=user)
        target.refresh_from_db()
        assert not Speaker.objects.filter(pk=dup.pk).exists()
        assert target.reviewed and target.wikidata_qid == "Q999999007"
        assert sorted(target.aliases.values_list("name", flat=True)) == [
            "Kim", "Kim Jong-un (KCNA spelling)", "Marshal Kim Jong Un",
        ]
        assert Role.objects.get().speaker == target
        st.refresh_from_db()
        assert list(st.speakers.all()) == [target]
        assert st.fingerprint == statement_fingerprint(st.text, [target.pk])
        assert target in appearance.speaker_candidates.all()

    def test_statements_that_now_collide_become_one(self, user):
        target, dup = SpeakerFactory(name="Kim Jong Un"), SpeakerFactory(name="Kim Jong-un")
        a = statement("We will strengthen our nuclear forces.", [target])
        b = statement("We will strengthen our nuclear forces!", [dup])
        appear(a), appear(b)
        speakers_merge(target=target, others=[dup], user=user)
        survivor = Statement.objects.get()
        assert survivor.pk == a.pk and survivor.appearances.count() == 2
        assert survivor.fingerprint == statement_fingerprint(survivor.text, [target.pk])

    def test_in_a_collision_the_human_decision_survives(self, user):
        target, dup = SpeakerFactory(name="Kim Jong Un"), SpeakerFactory(name="Kim Jong-un")
        statement("We will strengthen our nuclear forces.", [target])
        verified = statement("We will strengthen our nuclear forces!", [dup])
        statements_verify(statement_ids=[verified.pk], user=user)
        speakers_merge(target=target, others=[dup], user=user)
        survivor = Statement.objects.get()
        assert survivor.pk == verified.pk and survivor.review_status == Statement.Review.VERIFIED
        assert survivor.fingerprint == statement_fingerprint(survivor.text, [target.pk])

    def test_refuses_merging_a_speaker_into_itself(self, user):
        s = SpeakerFactory()
        with pytest.raises(InvalidInput):
            speakers_merge(target=s, others=[s], user=user)

    def test_reextraction_after_a_speaker_merge_finds_the_merged_statement(self, user):
        target = SpeakerFactory(name="Kim Jong Un")
        text = '"We will strengthen our nuclear forces," Kim Jong-un said.'
        art = article(text)
        quote = "We will strengthen our nuclear forces,"
        (st,) = extract(art, said(text, quote, speakers=("Kim Jong-un X",)))
        dup = st.speakers.get()
        assert dup != target and not dup.reviewed
        speakers_merge(target=target, others=[dup], user=user)
        extract(art, said(text, quote, speakers=("Kim Jong-un X",)))
        assert Statement.objects.count() == 1
        assert list(Statement.objects.get().speakers.all()) == [target]
        assert Speaker.objects.count() == 1


class TestDuplicateCandidateResolve:
    def pair(self):
        s = SpeakerFactory()
        a = statement("We will have relations with North Korea, with Kim Jong Un.", [s])
        b = statement("We will have relations with North Korea and with Kim Jong Un.", [s])
        appear(a), appear(b)
        return a, b, DuplicateCandidate.objects.create(first=a, second=b, similarity=0.9)

    def test_dismiss_keeps_both_and_is_final(self, user):
        a, b, candidate = self.pair()
        assert duplicate_candidate_resolve(candidate=candidate, merge=False, user=user) is None
        candidate.refresh_from_db()
        assert candidate.status == DuplicateCandidate.Status.DISMISSED
        assert Statement.objects.count() == 2
        with pytest.raises(Conflict):
            duplicate_candidate_resolve(candidate=candidate, merge=True, user=user)

    def test_merge_keeps_the_older_statement(self, user):
        a, b, candidate = self.pair()
        kept = duplicate_candidate_resolve(candidate=candidate, merge=True, user=user)
        assert kept == a and kept.appearances.count() == 2
        assert list(Statement.objects.all()) == [a]

    def test_merge_keeps_the_statement_a_human_decided_on(self, user):
        a, b, candidate = self.pair()
        statements_verify(statement_ids=[b.pk], user=user)
        kept = duplicate_candidate_resolve(candidate=candidate, merge=True, user=user)
        assert kept == b and kept.review_status == Statement.Review.VERIFIED
