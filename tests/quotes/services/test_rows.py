"""The shared helpers of the services: history copied by the database."""

import pytest

from quotes.models import Speaker, Statement
from quotes.services.rows import history_created

pytestmark = pytest.mark.django_db


def _tracked(row, history_model) -> dict:
    return {f.attname: getattr(row, f.attname) for f in history_model.tracked_fields if f.attname != "id"}


@pytest.mark.parametrize("model", [Statement, Speaker])
def test_history_of_created_rows_is_what_simple_history_writes(model):
    if model is Statement:
        rows = Statement.objects.bulk_create([
            Statement(text=f"Words {i}", normalized_text=f"words {i}", fingerprint=f"f{i}", confidence=i / 9)
            for i in range(2)
        ])
    else:
        rows = Speaker.objects.bulk_create([Speaker(name=f"Ann Vale {i}", slug=f"v{i}") for i in range(2)])
    history = model.history.model
    history_created(model, [rows[0].pk])
    model.history.bulk_history_create([rows[1]])
    copied, built = history.objects.get(id=rows[0].pk), history.objects.get(id=rows[1].pk)
    assert (copied.history_type, copied.history_user_id, copied.history_change_reason) == (
        built.history_type, built.history_user_id, built.history_change_reason,
    )
    mine, theirs = _tracked(copied, history), _tracked(built, history)
    different = {k for k in mine if mine[k] != theirs[k]}
    own = {"text", "normalized_text", "fingerprint", "confidence", "name", "slug", "created_at", "updated_at"}
    assert different <= own  # each row's own values, nothing else
    assert mine == _tracked(model.objects.get(pk=rows[0].pk), history)
    assert history.objects.count() == 2
