"""Wikidata import, offline, from a fictional entity file (no facts about real people)."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quotes.errors import InvalidInput
from quotes.models import Role, Speaker, SpeakerAlias
from quotes.selectors import speaker_match
from quotes.services.wikidata import wikidata_file_import
from tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "wikidata_fictional.json"
D = datetime.date


def rows():
    return (
        sorted(Speaker.objects.values_list("wikidata_qid", "name", "reviewed", "is_organization")),
        sorted(SpeakerAlias.objects.values_list("speaker__wikidata_qid", "name", "kind", "language")),
        sorted(Role.objects.values_list("speaker__wikidata_qid", "title", "start", "end")),
    )


def test_imports_people_and_organisations_but_not_positions():
    speakers = wikidata_file_import(path=DATA)
    assert [s.wikidata_qid for s in speakers] == ["Q999999001", "Q999999002"]
    person = Speaker.objects.get(wikidata_qid="Q999999001")
    assert (person.name, person.reviewed, person.is_organization) == ("Aurelia Vantreska", True, False)
    assert person.description == "fictional Ruritanian politician (test data)"
    assert Speaker.objects.get(wikidata_qid="Q999999002").is_organization
    assert not Speaker.objects.filter(wikidata_qid="Q999999101").exists()


def test_aliases_per_language_with_kinds():
    wikidata_file_import(path=DATA)
    person = Speaker.objects.get(wikidata_qid="Q999999001")
    aliases = set(person.aliases.values_list("name", "kind", "language"))
    assert aliases == {
        ("Aurelia Vantreska", "full_name", "en"), ("Aurelia Vantreska", "full_name", "de"),
        ("Аурелия Вантреска", "full_name", "ru"), ("Vantreska", "short_name", "en"),
        ("A. M. Vantreska", "variant", "en"),
    }


def test_roles_with_dates_labels_from_the_file_and_qids_otherwise():
    wikidata_file_import(path=DATA)
    roles = sorted(Role.objects.values_list("title", "start", "end", "wikidata_position"))
    assert roles == [
        ("Chancellor of Ruritania", D(2020, 3, 1), D(2023, 6, 30), "Q999999101"),
        # Known to the month only: the first day, so validity covers the true date.
        ("Q999999102", D(2024, 5, 1), None, "Q999999102"),
    ]  # the deprecated and "no value" claims are ignored


def test_imported_roles_resolve_role_phrases_on_the_date():
    wikidata_file_import(path=DATA)
    assert speaker_match(name="Ruritania's chancellor", on_date=D(2021, 1, 1)).speaker.name == (
        "Aurelia Vantreska"
    )
    assert speaker_match(name="the chancellor of Ruritania", on_date=D(2024, 1, 1)).speaker is None
    assert speaker_match(name="Vantreska").speaker.wikidata_qid == "Q999999001"


def test_idempotent():
    wikidata_file_import(path=DATA)
    before = rows()
    wikidata_file_import(path=DATA)
    assert rows() == before


def test_reimport_keeps_a_reviewers_corrections():
    wikidata_file_import(path=DATA)
    person = Speaker.objects.get(wikidata_qid="Q999999001")
    person.name, person.description = "Aurelia M. Vantreska", "corrected by a reviewer"
    person.save(update_fields=["name", "description"])
    SpeakerAlias.objects.filter(name="Vantreska").update(kind=SpeakerAlias.Kind.VARIANT)
    Role.objects.filter(wikidata_position="Q999999101").update(title="Chancellor")
    wikidata_file_import(path=DATA)
    person.refresh_from_db()
    assert (person.name, person.description) == ("Aurelia M. Vantreska", "corrected by a reviewer")
    assert SpeakerAlias.objects.get(name="Vantreska").kind == SpeakerAlias.Kind.VARIANT
    assert Role.objects.get(wikidata_position="Q999999101").title == "Chancellor"


def test_a_speaker_without_qid_and_the_same_name_gets_the_qid():
    existing = SpeakerFactory(name="Aurelia Vantreska", reviewed=False)
    wikidata_file_import(path=DATA)
    existing.refresh_from_db()
    assert existing.wikidata_qid == "Q999999001" and existing.reviewed
    assert Speaker.objects.filter(name="Aurelia Vantreska").count() == 1


def test_command_imports_several_files_and_prints_what_it_did(tmp_path):
    other = tmp_path / "Q999999003.json"
    other.write_text(json.dumps({"entities": {"Q999999003": {
        "id": "Q999999003", "labels": {"en": {"language": "en", "value": "Bertil Ostrander"}},
    }}}), encoding="utf-8")
    out = StringIO()
    call_command("import_wikidata", str(DATA), str(other), stdout=out)
    assert out.getvalue().splitlines() == [
        "Q999999001\tAurelia Vantreska", "Q999999002\tRuritanian Broadcasting Corporation",
        "Q999999003\tBertil Ostrander",
    ]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "not valid JSON"),
    ('{"entities": {}}', "Not a Wikidata entity file"),
    ('["Q1"]', "Not a Wikidata entity file"),
    ('{"entities": {"P39": {"id": "P39"}}}', "Not a Wikidata item"),
])
def test_bad_files_give_a_one_line_error(tmp_path, content, message):
    path = tmp_path / "entity.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        wikidata_file_import(path=path)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_wikidata", str(path))
    assert message in str(excinfo.value) and "\n" not in str(excinfo.value)
    assert Speaker.objects.count() == 0
