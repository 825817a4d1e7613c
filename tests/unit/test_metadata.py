import pytest

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.metadata import parse_upload_request

TOPICS = frozenset({"juvenile-justice", "hiv-aids", "roma-children", "violence", "leave-no-child-out"})
MAX_BYTES = 500 * 2**20


def body(**changes):
    valid = {
        "title": "My street",
        "country": "az",
        "topics": ["violence"],
        "author": {"first_name": "Leyla", "age": 14},
        "filename": "my street.MP4",
        "size_bytes": 1_000_000,
        "content_type": "video/mp4",
    }
    valid.update(changes)
    return valid


def code_of(data):
    with pytest.raises(InvalidRequestError) as caught:
        parse_upload_request(data, TOPICS, MAX_BYTES)
    return caught.value.code


def test_a_valid_request():
    request = parse_upload_request(body(workshop="baku-2012", language="az"), TOPICS, MAX_BYTES)
    assert request.country == "AZ"
    assert request.extension == ".mp4"
    assert request.topics == ("violence",)
    assert request.author.first_name == "Leyla"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"country": "ZZ"}, "invalid_country"),
        ({"country": "AZE"}, "invalid_country"),
        ({"topics": ["cooking"]}, "invalid_topic"),
        ({"topics": []}, "invalid_topic"),
        ({"topics": "violence"}, "invalid_topic"),
        ({"author": {"first_name": "Leyla Aliyeva", "age": 14}}, "invalid_author"),
        ({"author": {"first_name": "Leyla", "age": 14, "school": "No. 5"}}, "invalid_author"),
        ({"author": {"first_name": "Leyla", "age": "14"}}, "invalid_author"),
        ({"author": {"first_name": "Leyla", "age": True}}, "invalid_author"),
        ({"author": {"first_name": "Leyla", "age": 3}}, "invalid_author"),
        ({"author": {"first_name": "Leyla", "age": 40}}, "invalid_author"),
        ({"title": ""}, "invalid_title"),
        ({"title": "x" * 121}, "invalid_title"),
        ({"filename": "film.m3u8"}, "invalid_filename"),
        ({"filename": "film"}, "invalid_filename"),
        ({"content_type": "text/html"}, "invalid_content_type"),
        ({"content_type": "video/webm"}, "invalid_content_type"),
        ({"size_bytes": 0}, "invalid_size"),
        ({"size_bytes": MAX_BYTES + 1}, "too_large"),
        ({"workshop": "Baku 2012!"}, "invalid_workshop"),
        ({"language": "English"}, "invalid_language"),
    ],
)
def test_bad_fields_say_what_to_fix(changes, code):
    assert code_of(body(**changes)) == code


def test_missing_field():
    data = body()
    del data["title"]
    assert code_of(data) == "missing_field"


def test_not_an_object():
    assert code_of(["title"]) == "invalid_json"


def test_first_names_with_hyphens_and_non_latin_letters():
    request = parse_upload_request(body(author={"first_name": "Гюльнара-Мария", "age": 12}), TOPICS, MAX_BYTES)
    assert request.author.first_name == "Гюльнара-Мария"
