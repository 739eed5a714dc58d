"""Review in the admin, through its URLs: merge and split statements, merge speakers, settle duplicates.

Every write goes through quotes.services.review; what these tests check is the
interface: the confirmation pages render (escaped), applying changes the rows,
history records the reviewer, and domain errors come back as messages, never a 500.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from quotes.models import Appearance, DuplicateCandidate, Speaker, Statement
from quotes.normalize import statement_fingerprint
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:quotes_{model}_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def statement(text, speakers=(), **kwargs):
    """A statement with the machine's fingerprint (its words plus these speakers)."""
    fingerprint = statement_fingerprint(text, [s.pk for s in speakers])
    return StatementFactory(text=text, fingerprint=fingerprint, speakers=list(speakers), **kwargs)


def appear(st, day=9):
    article = ArticleFactory(published_at=datetime.datetime(2025, 2, day, 8, tzinfo=datetime.UTC))
    return AppearanceFactory(statement=st, article=article)


@pytest.fixture
def pair():
    """Two statements that are one: the same words reported by two articles, two speakers."""
    jane, doe = SpeakerFactory(name="Jane Doe"), SpeakerFactory(name="J. Doe")
    kept = statement("We will win the harvest.", [jane])
    other = statement("We will win the harvest!", [doe])
    return {"kept": kept, "other": other, "kept_at": appear(kept, 9), "other_at": appear(other, 10),
            "jane": jane, "doe": doe}


def merge_post(action, objects, **extra):
    return {"action": action, "_selected_action": [o.pk for o in objects], **extra}


def merge(client, model, objects, **extra):
    """POST the merge action on a changelist: the confirmation page, or with apply=..., the merge."""
    return client.post(url(model, "changelist"), merge_post(f"merge_{model}s", objects, **extra))


# --- Merging statements -----------------------------------------------------------------------


class TestMergeStatements:
    def test_confirmation_page_lists_the_selection_with_a_radio(self, admin_client, pair):
        response = admin_client.post(
            url("statement", "changelist"), merge_post("merge_statements", [pair["kept"], pair["other"]]),
        )
        assert response.status_code == 200
        assert "admin/quotes/merge_confirmation.html" in [t.name for t in response.templates]
        html = response.content.decode()
        for st in (pair["kept"], pair["other"]):
            assert f'name="target" value="{st.pk}"' in html
            assert f'name="_selected_action" value="{st.pk}"' in html
        assert "We will win the harvest!" in html and "J. Doe" in html
        assert 'name="action" value="merge_statements"' in html
        assert Statement.objects.count() == 2  # nothing changed yet

    def test_confirmation_page_escapes_the_text(self, admin_client):
        evil = statement('<script>alert("x")</script> said here.')
        plain = statement("A plain statement here.")
        response = merge(admin_client, "statement", [evil, plain])
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html

    def test_apply_merges_and_history_records_the_reviewer(self, admin_client, admin_user, pair):
        kept, other = pair["kept"], pair["other"]
        response = admin_client.post(
            url("statement", "changelist"),
            merge_post("merge_statements", [kept, other], apply="yes", target=kept.pk),
        )
        assert response.status_code == 302
        assert not Statement.objects.filter(pk=other.pk).exists()
        kept.refresh_from_db()
        assert set(kept.appearances.all()) == {pair["kept_at"], pair["other_at"]}
        assert set(kept.speakers.all()) == {pair["jane"], pair["doe"]}
        assert kept.edited and kept.reviewed_by == admin_user
        assert kept.history.first().history_user == admin_user
        assert Statement.history.filter(id=other.pk, history_type="-").get().history_user == admin_user
        assert any("Merged 1 other statement" in m for m in messages_of(response))

    def test_the_chosen_target_is_kept_whichever_it_is(self, admin_client, pair):
        kept, other = pair["kept"], pair["other"]
        admin_client.post(
            url("statement", "changelist"),
            merge_post("merge_statements", [kept, other], apply="yes", target=other.pk),
        )
        assert list(Statement.objects.values_list("pk", flat=True)) == [other.pk]

    def test_merging_a_statement_into_itself_is_a_message(self, admin_client, pair):
        kept = pair["kept"]
        response = merge(admin_client, "statement", [kept], apply="yes", target=kept.pk)
        assert response.status_code == 302
        assert any("at least one other statement" in m for m in messages_of(response))
        assert Statement.objects.count() == 2

    def test_selecting_one_statement_asks_for_two(self, admin_client, pair):
        response = merge(admin_client, "statement", [pair["kept"]])
        assert response.status_code == 302
        assert messages_of(response) == ["Select at least two statements to merge."]

    @pytest.mark.parametrize("target", ["", "abc", "outside"])
    def test_a_target_outside_the_selection_is_a_message(self, admin_client, pair, target):
        outside = statement("Another statement entirely.")
        target = outside.pk if target == "outside" else target
        response = admin_client.post(
            url("statement", "changelist"),
            merge_post("merge_statements", [pair["kept"], pair["other"]], apply="yes", target=target),
        )
        assert response.status_code == 302
        assert any("Choose the statement to keep" in m for m in messages_of(response))
        assert Statement.objects.count() == 3

    def test_a_conflict_is_a_message_and_nothing_changes(self, admin_client, pair):
        # The merged speakers would make it the same as a third statement by both of them.
        third = statement("we will win the harvest", [pair["jane"], pair["doe"]])
        response = merge(admin_client, "statement", [pair["kept"], pair["other"]], apply="yes",
                         target=pair["kept"].pk)
        assert response.status_code == 302
        assert any(f"Statement {third.pk} has the same words" in m for m in messages_of(response))
        assert Statement.objects.count() == 3
        assert Appearance.objects.get(pk=pair["other_at"].pk).statement_id == pair["other"].pk


# --- Splitting a statement --------------------------------------------------------------------


@pytest.fixture
def reported_twice():
    st = statement("We are ready.", [SpeakerFactory(name="Jane Doe")])
    return st, appear(st, 9), appear(st, 20)


class TestSplitStatement:
    def test_change_form_links_to_split_and_open_duplicates(self, admin_client, pair):
        kept = pair["kept"]
        DuplicateCandidate.objects.create(
            first_id=min(kept.pk, pair["other"].pk), second_id=max(kept.pk, pair["other"].pk), similarity=0.9,
        )
        response = admin_client.get(url("statement", "change", kept.pk))
        html = response.content.decode()
        assert url("statement", "split", kept.pk) in html
        assert f"?status__exact=open&amp;statement={kept.pk}" in html
        assert "Open duplicates (1)" in html

    def test_split_page_lists_appearances_as_checkboxes(self, admin_client, reported_twice):
        st, first, second = reported_twice
        response = admin_client.get(url("statement", "split", st.pk))
        assert response.status_code == 200
        html = response.content.decode()
        for appearance in (first, second):
            assert f'name="appearance_ids" value="{appearance.pk}"' in html
            assert appearance.article.title in html

    def test_split_moves_the_checked_appearances_to_a_new_statement(
        self, admin_client, admin_user, reported_twice,
    ):
        st, stays, goes = reported_twice
        response = admin_client.post(url("statement", "split", st.pk), {"appearance_ids": [goes.pk]})
        new = Statement.objects.exclude(pk=st.pk).get()
        assert response.status_code == 302
        assert response["Location"] == url("statement", "change", new.pk)
        assert list(new.appearances.all()) == [goes]
        assert list(st.appearances.all()) == [stays]
        assert new.text == st.text and new.edited
        assert new.history.first().history_user == admin_user
        st.refresh_from_db()
        assert st.edited and st.history.first().history_user == admin_user

    @pytest.mark.parametrize(("which", "message"), [
        ("none", "Name the appearances to split off."),
        ("all", "Splitting off every appearance would leave the statement empty."),
        ("foreign", "Those appearances are not all of this statement."),
        ("junk", "Appearance ids are numbers."),
    ])
    def test_a_bad_choice_is_a_message_on_the_page(self, admin_client, reported_twice, which, message):
        st, first, second = reported_twice
        foreign = appear(statement("Something else said."))
        ids = {"none": [], "all": [first.pk, second.pk], "foreign": [first.pk, foreign.pk],
               "junk": ["x"]}[which]
        response = admin_client.post(url("statement", "split", st.pk), {"appearance_ids": ids})
        assert response.status_code == 200
        assert messages_of(response) == [message]
        assert Statement.objects.count() == 2
        assert Appearance.objects.filter(statement=st).count() == 2

    def test_split_of_a_missing_statement_redirects_with_a_message(self, admin_client, db):
        response = admin_client.get(url("statement", "split", 999999))
        assert response.status_code == 302
        assert any("doesn’t exist" in m for m in messages_of(response))

    def test_split_needs_a_logged_in_staff_user(self, client, reported_twice):
        st, first, _ = reported_twice
        response = client.post(url("statement", "split", st.pk), {"appearance_ids": [first.pk]})
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
        assert Statement.objects.count() == 1

    def test_split_needs_the_change_permission(self, client, reported_twice):
        st, first, _ = reported_twice
        client.force_login(UserFactory(is_staff=True))  # staff, but no model permissions
        response = client.post(url("statement", "split", st.pk), {"appearance_ids": [first.pk]})
        assert response.status_code == 403
        assert Statement.objects.count() == 1


# --- Merging speakers -------------------------------------------------------------------------


class TestMergeSpeakers:
    def test_confirmation_page_then_apply(self, admin_client, admin_user):
        kim = SpeakerFactory(name="Kim Jong Un", wikidata_qid="Q56226")
        dup = SpeakerFactory(name="Kim Jong-un", reviewed=False)
        SpeakerAliasFactory(speaker=dup, name="Marshal Kim")
        said = statement("Our deterrent will grow.", [dup])

        page = admin_client.post(url("speaker", "changelist"), merge_post("merge_speakers", [kim, dup]))
        assert page.status_code == 200
        html = page.content.decode()
        assert f'name="target" value="{kim.pk}" id="merge-target-{kim.pk}" checked' in html
        assert "Kim Jong-un" in html and "Q56226" in html

        response = merge(admin_client, "speaker", [kim, dup], apply="yes", target=kim.pk)
        assert response.status_code == 302
        assert not Speaker.objects.filter(pk=dup.pk).exists()
        assert list(said.speakers.all()) == [kim]
        assert "Marshal Kim" in kim.aliases.values_list("name", flat=True)
        kim.refresh_from_db()
        assert kim.history.first().history_user == admin_user
        assert any("Merged 1 other speaker" in m for m in messages_of(response))

    def test_merging_a_speaker_into_itself_is_a_message(self, admin_client):
        kim = SpeakerFactory(name="Kim Jong Un")
        response = admin_client.post(
            url("speaker", "changelist"), merge_post("merge_speakers", [kim], apply="yes", target=kim.pk),
        )
        assert response.status_code == 302
        assert any("at least one other speaker" in m for m in messages_of(response))
        assert Speaker.objects.filter(pk=kim.pk).exists()


# --- Duplicate pairs --------------------------------------------------------------------------


def candidate(a, b, similarity=0.9, **kwargs):
    first, second = sorted([a, b], key=lambda s: s.pk)
    return DuplicateCandidate.objects.create(first=first, second=second, similarity=similarity, **kwargs)


class TestDuplicateCandidates:
    def test_changelist_shows_both_statements_speakers_similarity_and_status(self, admin_client, pair):
        candidate(pair["kept"], pair["other"], similarity=0.8765)
        response = admin_client.get(url("duplicatecandidate", "changelist"))
        assert response.status_code == 200
        html = response.content.decode()
        for text in ("We will win the harvest.", "We will win the harvest!", "Jane Doe", "J. Doe", "0.88"):
            assert text in html
        assert url("statement", "change", pair["kept"].pk) in html

    def test_filters_by_status_and_by_statement(self, admin_client, pair):
        open_pair = candidate(pair["kept"], pair["other"])
        third = statement("We will win the harvest, again.")
        dismissed = candidate(pair["kept"], third, status=DuplicateCandidate.Status.DISMISSED)
        unrelated = candidate(statement("Something else said here."), statement("Something else said there."))

        def shown(**params):
            response = admin_client.get(url("duplicatecandidate", "changelist"), params)
            assert response.status_code == 200
            return set(response.context["cl"].result_list)

        assert shown(status__exact="open") == {open_pair, unrelated}
        assert shown(status__exact="dismissed") == {dismissed}
        assert shown(statement=third.pk) == {dismissed}
        assert shown(statement=pair["kept"].pk, status__exact="open") == {open_pair}

    def test_changelist_query_count_is_constant(self, admin_client, db, django_assert_max_num_queries):
        for _ in range(20):
            a = statement(f"Words number {_} were said.", [SpeakerFactory()])
            candidate(a, statement(f"Words number {_} were said!", [SpeakerFactory()]))
        with django_assert_max_num_queries(12):
            assert admin_client.get(url("duplicatecandidate", "changelist")).status_code == 200

    def test_merge_action_merges_the_pair(self, admin_client, admin_user, pair):
        pair_row = candidate(pair["kept"], pair["other"])
        response = admin_client.post(
            url("duplicatecandidate", "changelist"),
            {"action": "merge_duplicates", "_selected_action": [pair_row.pk]},
        )
        assert response.status_code == 302
        survivor = Statement.objects.get()
        assert survivor.pk == min(pair["kept"].pk, pair["other"].pk)  # the older one
        assert survivor.appearances.count() == 2
        assert survivor.history.first().history_user == admin_user
        assert messages_of(response) == ["1 pair merged."]

    def test_dismiss_action_dismisses_the_pair(self, admin_client, pair):
        pair_row = candidate(pair["kept"], pair["other"])
        response = admin_client.post(
            url("duplicatecandidate", "changelist"),
            {"action": "dismiss_duplicates", "_selected_action": [pair_row.pk]},
        )
        assert response.status_code == 302
        pair_row.refresh_from_db()
        assert pair_row.status == DuplicateCandidate.Status.DISMISSED
        assert Statement.objects.count() == 2
        assert messages_of(response) == ["1 pair dismissed."]

    def test_a_resolved_pair_is_a_message(self, admin_client, pair):
        pair_row = candidate(pair["kept"], pair["other"], status=DuplicateCandidate.Status.DISMISSED)
        response = admin_client.post(
            url("duplicatecandidate", "changelist"),
            {"action": "merge_duplicates", "_selected_action": [pair_row.pk]},
        )
        assert response.status_code == 302
        assert messages_of(response) == [f"pair #{pair_row.pk}: This pair has already been resolved."]
        assert Statement.objects.count() == 2

    def test_pairs_cannot_be_added_or_deleted_by_hand(self, admin_client, pair):
        pair_row = candidate(pair["kept"], pair["other"])
        assert admin_client.get(url("duplicatecandidate", "add")).status_code == 403
        assert admin_client.get(url("duplicatecandidate", "delete", pair_row.pk)).status_code == 403
        assert admin_client.get(url("duplicatecandidate", "change", pair_row.pk)).status_code == 200
