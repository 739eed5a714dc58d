"""quotes.jobs: services name a job; the registered sender runs only after commit."""

import pytest
from django.db import transaction

from quotes import jobs


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setitem(jobs._senders, "probe", calls.append)
    return calls


@pytest.mark.django_db(transaction=True)
def test_a_job_is_sent_after_commit_and_not_on_rollback(sent):
    with transaction.atomic():
        jobs.enqueue_on_commit("probe", 1)
        assert sent == []  # not before the rows it names are visible
    assert sent == [1]
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_on_commit("probe", 2)
        raise RuntimeError("rolled back")
    assert sent == [1]


def test_an_unknown_job_is_a_loud_programming_error():
    with pytest.raises(LookupError, match="no-such-job"):
        jobs.enqueue_on_commit("no-such-job", 1)


def test_the_extraction_job_is_registered_by_the_tasks_module():
    from quotes.services.articles import EXTRACTION_JOB
    from quotes.tasks import send_extraction

    assert jobs._senders[EXTRACTION_JOB] is send_extraction
