"""A workshop's list of films, as spreadsheets save it, read and checked row by row."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from cli.corrections import KEPT, UPDATED, Corrector, changed_fields, describe, with_protection_kept
from cli.manifest import ManifestError, Row, RowChecker, details_of, read_rows
from cli.resume import UploadState

TOPICS = frozenset({"violence", "hiv-aids", "juvenile-justice"})
HEADER = ["file", "title", "first_name", "age", "topics", "country"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_commas_semicolons_and_tabs_with_or_without_a_byte_order_mark_read_alike(tmp_path, delimiter, bom):
    manifest = tmp_path / "workshop.csv"
    topics = '"violence;hiv-aids"' if delimiter == ";" else "violence;hiv-aids"
    lines = [delimiter.join(HEADER), delimiter.join(["film.mp4", "Əsgər's street", "Nigar", "13", topics, "az"]), ""]
    manifest.write_bytes((bom + "\r\n".join(lines)).encode())
    rows, unread = read_rows(manifest)
    assert unread == []
    [row] = rows
    assert row.number == 2
    assert details_of(row.cells) == {
        "title": "Əsgər's street",
        "country": "AZ",
        "topics": ["violence", "hiv-aids"],
        "author": {"first_name": "Nigar", "age": 13},
    }


def test_a_list_saved_in_a_windows_code_page_is_refused_with_how_to_save_it(tmp_path):
    manifest = tmp_path / "workshop.csv"
    manifest.write_bytes(
        ";".join([*HEADER, "description"]).encode() + "\nf.mp4;Улица;Айбек;14;violence;KG;".encode("cp1251")
    )
    with pytest.raises(ManifestError, match=r"not saved as UTF-8.*CSV UTF-8"):
        read_rows(manifest)


def test_a_missing_column_is_named_and_unknown_columns_are_told(tmp_path):
    manifest = tmp_path / "workshop.csv"
    manifest.write_text("file;title;age;topics;country\n")
    with pytest.raises(ManifestError, match="no column 'first_name'"):
        read_rows(manifest)
    manifest.write_text("File;Title;First Name;Age;Topics;Country;Surname\nf.mp4;T;Ali;14;violence;AZ;Aliyev\n")
    rows, unread = read_rows(manifest)
    assert unread == ["surname"]
    assert "surname" not in details_of(rows[0].cells)


def test_every_mistake_of_a_row_is_told_each_with_its_column(tmp_path):
    (tmp_path / "film.mp4").write_bytes(b"not checked here")
    checker = RowChecker(TOPICS, frozenset({"AZ"}), tmp_path)
    cells = {
        "file": "film.mp4",
        "title": "",
        "first_name": "Ali Aliyev",
        "age": "4",
        "topics": "violence, cooking",
        "country": "az",
        "language": "Azerbaijani",
        "workshop": "Baku 2012",
    }
    mistakes = checker.mistakes(cells)
    assert [mistake.split(":", 1)[0] for mistake in mistakes] == [
        "title",
        "first_name",
        "age",
        "topics",
        "language",
        "workshop",
    ]
    assert "write az (Azerbaijani)" in mistakes[4]
    assert "such as 'baku-2012'" in mistakes[5]
    assert (
        checker.mistakes(
            {
                **cells,
                "title": "T",
                "first_name": "Ali",
                "age": "14",
                "topics": "violence",
                "language": "az",
                "workshop": "baku-2012",
            }
        )
        == []
    )


def test_a_film_of_another_kind_is_told_in_words():
    checker = RowChecker(TOPICS, frozenset(), Path(__file__).parent)
    assert checker.mistakes({"file": "test_manifest.py"})[0].startswith(
        "file: 'test_manifest.py' is not a kind of video the project takes: use MP4, MOV"
    )


def test_a_changed_detail_is_described_as_a_facilitator_sees_it():
    before = {
        "title": "Our yard",
        "country": "AZ",
        "topics": ["violence"],
        "author": {"first_name": "Nigar", "age": 13},
    }
    now = {**before, "title": "Our big yard", "author": {"first_name": "Nigar", "age": 14}}
    assert changed_fields(before, now) == ["title", "author"]
    assert describe("author", before, now) == "age 13 -> 14"
    assert changed_fields(before, {**before, "workshop": "ganja-2014"}) == ["workshop"]


def test_topics_are_taken_as_the_upload_page_shows_them_or_with_underscores(tmp_path):
    (tmp_path / "film.mp4").write_bytes(b"not checked here")
    checker = RowChecker(TOPICS, frozenset({"AZ"}), tmp_path)
    cells = {
        "file": "film.mp4",
        "title": "T",
        "first_name": "Ali",
        "age": "14",
        "country": "AZ",
        "topics": "HIV and AIDS; Juvenile Justice, VIOLENCE",
    }
    assert checker.mistakes(cells) == []
    assert checker.mistakes({**cells, "topics": "hiv_aids"}) == []
    assert checker.film(Row(2, cells)).details["topics"] == ["hiv-aids", "juvenile-justice", "violence"]
    assert checker.mistakes({**cells, "topics": "cooking"})[0].startswith("topics: 'cooking' is not among")


def test_yes_no_columns_ask_for_identity_protection():
    cells = {"title": "T", "first_name": "Ali", "age": "14", "topics": "violence", "country": "AZ"}
    assert "protect_identity" not in details_of({**cells, "blur_faces": "no", "disguise_voice": ""})
    assert details_of({**cells, "blur_faces": "TRUE", "disguise_voice": "0"})["protect_identity"] == {
        "faces": True,
        "voice": False,
    }
    checker = RowChecker(TOPICS, frozenset({"AZ"}), Path(__file__).parent)
    mistakes = checker.mistakes({**cells, "file": "x.mp4", "blur_faces": "si", "disguise_voice": "yes please"})
    assert [mistake.split(":", 1)[0] for mistake in mistakes] == ["file", "blur_faces", "disguise_voice"]
    assert "(the film then takes longer to prepare)" in mistakes[1]


class FakeApi:
    """Answers every correction with 200; keeps what each asked."""

    def __init__(self) -> None:
        self.corrections: list[dict] = []

    def request(self, method: str, path: str, json: dict) -> requests.Response:
        self.corrections.append(json)
        answer = requests.Response()
        answer.status_code, answer._content = 200, b'{"sent_back_to_review": false}'
        return answer


def test_a_list_that_drops_protection_corrects_the_rest_and_leaves_protection_on(tmp_path):
    film = tmp_path / "film.mp4"
    film.write_bytes(b"a film")
    state, api, said = UploadState(tmp_path, "http://api"), FakeApi(), []
    sent = {"title": "Our yard", "protect_identity": {"faces": True, "voice": False}}
    state.remember(film, "v1", sent)
    corrector = Corrector(api, state, said.append, confirm=lambda _: True)

    now = {"title": "Our big yard", "protect_identity": {"faces": False, "voice": True}}
    assert corrector.reconcile("film.mp4", film, "v1", now) == UPDATED
    assert api.corrections == [{"title": "Our big yard", "protect_identity": {"faces": True, "voice": True}}]
    assert "identity protection stays on (blur faces): only the project's editors can turn it off" in said[0]
    assert state.details(film) == {**now, "protect_identity": {"faces": True, "voice": True}}

    api.corrections.clear()
    assert corrector.reconcile("film.mp4", film, "v1", {"title": "Our big yard"}) == KEPT  # turned off in the list
    assert api.corrections == []


def test_the_example_list_in_the_docs_is_read_without_a_mistake(tmp_path):
    docs = (Path(__file__).parents[2] / "docs" / "UPLOADING.md").read_text()
    example = docs.split("```csv\n", 1)[1].split("```", 1)[0]
    manifest = tmp_path / "workshop.csv"
    manifest.write_text(example)
    rows, unread = read_rows(manifest)
    assert unread == [] and len(rows) == 3
    for row in rows:
        (tmp_path / row.cells["file"]).write_bytes(b"a film")
    checker = RowChecker(frozenset({"violence", "juvenile-justice", "roma-children"}), frozenset({"AZ"}), tmp_path)
    assert [checker.mistakes(row.cells) for row in rows] == [[], [], []]
    asked = [checker.film(row).details.get("protect_identity") for row in rows]
    assert asked == [None, {"faces": True, "voice": True}, None]


def test_a_film_sent_again_as_a_new_upload_still_hides_what_the_first_one_hid():
    before = {"country": "AZ", "protect_identity": {"faces": True, "voice": False}}
    assert with_protection_kept(before, {"country": "KG"}) == {
        "country": "KG",
        "protect_identity": before["protect_identity"],
    }
    assert with_protection_kept({"country": "AZ"}, {"country": "KG"}) == {"country": "KG"}
    assert with_protection_kept(None, {"country": "KG"}) == {"country": "KG"}


@pytest.mark.parametrize("column", ["Blur face", "blur", "Hide faces", "protect_identity", "Disguise voices", "faces"])
def test_a_column_that_looks_like_asking_protection_but_is_not_one_stops_the_list(tmp_path, column):
    # A facilitator who writes "Blur face" (or "Hide faces") and yes for a child means it: read as an unknown
    # column, the film was uploaded unprotected with only a note. When in doubt, nothing is sent.
    manifest = tmp_path / "workshop.csv"
    manifest.write_text(f"file;title;first_name;age;topics;country;{column}\nf.mp4;T;Ali;14;violence;AZ;yes\n")
    with pytest.raises(ManifestError, match=r"blur_faces.*disguise_voice"):
        read_rows(manifest)
