"""A workshop's list of films, as spreadsheets save it, read and checked row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.corrections import changed_fields, describe
from cli.manifest import ManifestError, RowChecker, details_of, read_rows

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
