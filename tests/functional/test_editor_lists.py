"""Editors find published and unpublished films by title, first name or workshop, without their ids."""

from __future__ import annotations

from chalicelib import wiring
from chalicelib.services import editorial
from tests.functional.conftest import TAKEDOWN, get, post_json, publish
from tests.functional.test_editorial import call, error_of, ready_film


def test_published_and_unpublished_films_are_listed_and_searchable(api, stack, clips):
    editor = stack.keys["editor"]
    leyla = ready_film(api, stack, clips, title="My street", author={"first_name": "Leyla", "age": 14})
    rasul = ready_film(
        api, stack, clips, title="The violin", author={"first_name": "Rasul", "age": 11}, workshop="ganja-2013"
    )
    for video_id in (leyla, rasul):
        assert publish(api, stack, video_id).status_code == 200

    def listed(query):
        response = get(api, f"/editorial/films?{query}", editor)
        assert response.status_code == 200, response.json_body
        return [item["video_id"] for item in response.json_body["items"]]

    assert listed("status=published") == [rasul, leyla]
    assert listed("status=published&q=VIOLIN") == [rasul]
    assert listed("status=published&q=leyla") == [leyla]
    assert listed("status=published&q=ganja") == [rasul]
    assert listed("status=published&q=nobody") == []
    [item] = get(api, "/editorial/films?status=published&q=rasul", editor).json_body["items"]
    assert item["author"] == {"first_name": "Rasul", "age": 11} and item["poster_url"]
    assert "search" not in item

    # Unpublished without knowing its id: it moves to the other list, and back again.
    assert call(api, "post", f"/videos/{rasul}/unpublish", editor).status_code == 200
    assert listed("status=published") == [leyla]
    assert listed("status=unpublished") == [rasul]
    assert call(api, "patch", f"/videos/{rasul}", editor, {"title": "The cello"}).status_code == 200
    assert listed("status=unpublished&q=cello") == [rasul]
    assert post_json(api, f"/videos/{rasul}/publish", {}, editor).status_code == 200
    assert listed("status=unpublished") == [] and listed("status=published&q=cello") == [rasul]

    # A takedown leaves no trace in either list.
    assert call(api, "delete", f"/videos/{leyla}", editor, TAKEDOWN).status_code == 200
    assert listed("status=published") == [rasul]


def test_the_lists_go_page_by_page_and_are_for_editors_only(api, stack, clips):
    editor = stack.keys["editor"]
    ids = [ready_film(api, stack, clips, title=f"Film {n}") for n in range(3)]
    for video_id in ids:
        publish(api, stack, video_id)
    first = get(api, "/editorial/films?status=published&limit=2", editor).json_body
    rest = get(api, f"/editorial/films?status=published&limit=2&cursor={first['next_cursor']}", editor).json_body
    assert [i["video_id"] for i in first["items"] + rest["items"]] == ids[::-1] and rest["next_cursor"] is None
    searched = get(api, "/editorial/films?status=published&q=film&limit=2", editor).json_body
    assert len(searched["items"]) == 2 and searched["next_cursor"]
    assert get(api, "/editorial/films?status=published", stack.keys["office"]).status_code == 403
    assert get(api, "/editorial/films?status=published").status_code == 401
    assert error_of(get(api, "/editorial/films?status=ready", editor)) == (400, "invalid_status")
    wrong = get(api, f"/editorial/films?status=unpublished&cursor={first['next_cursor']}", editor)
    assert error_of(wrong) == (400, "invalid_cursor")
    assert get(api, "/videos?status=published").json_body["items"] == get(api, "/videos").json_body["items"]


def test_a_film_in_many_listings_cannot_outgrow_one_transaction(api, stack, clips):
    editor = stack.keys["editor"]
    topics = ["juvenile-justice", "hiv-aids", "roma-children", "violence", "leave-no-child-out"]
    video_id = ready_film(api, stack, clips, topics=topics[:4])
    publish(api, stack, video_id)
    assert call(api, "post", f"/videos/{video_id}/highlight", editor, {"highlighted": True}).status_code == 200
    assert call(api, "patch", f"/videos/{video_id}", editor, {"topics": topics[1:]}).status_code == 200
    assert [
        i["video_id"] for i in get(api, "/videos?topic=leave-no-child-out&highlight=true&country=AZ").json_body["items"]
    ] == [video_id]
    assert get(api, "/videos?topic=juvenile-justice&highlight=true").json_body["items"] == []


def test_films_published_before_the_editors_lists_are_relisted_once(api, stack, clips):
    editor = stack.keys["editor"]
    video_id = ready_film(api, stack, clips)
    publish(api, stack, video_id)
    catalog = wiring.dependencies().catalog
    for facet in catalog.listed_facets(video_id):  # as an older release listed it: no editors' lists
        if facet.startswith("status#"):
            key = {"pk": {"S": f"FILM#{video_id}"}, "sk": {"S": f"LIST#{facet}"}}
            stack.client("dynamodb").delete_item(TableName=stack.env["CATALOG_TABLE"], Key=key)
    assert get(api, "/editorial/films?status=published", editor).json_body["items"] == []
    counts = get(api, "/topics").json_body
    assert editorial.relist_all(wiring.dependencies()) == {"PUBLISHED": 1, "UNPUBLISHED": 0}
    assert [i["video_id"] for i in get(api, "/videos?country=AZ&topic=leave-no-child-out").json_body["items"]] == [
        video_id
    ]
    assert [i["video_id"] for i in get(api, "/editorial/films?status=published", editor).json_body["items"]] == [
        video_id
    ]
    assert get(api, "/topics").json_body == counts, "counters unchanged"
