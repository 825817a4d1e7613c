"""The website's pages published to the stack's website bucket, pointed at its API."""

from cli.website import publish


def test_the_pages_go_to_the_bucket_with_their_types_and_a_config_for_the_api(stack, tmp_path):
    s3, bucket = stack.client("s3"), stack.name("WebsiteBucket")
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Films</title>")
    (tmp_path / "assets" / "site.css").write_text("body { margin: 0 }")
    (tmp_path / "assets" / "api.js").write_text("export const x = 1;")
    (tmp_path / "config.js").write_text("export const config = {apiUrl: 'http://127.0.0.1:8000'};")
    s3.put_object(Bucket=bucket, Key="old-page.html", Body=b"from the last release")

    assert publish(s3, bucket, "https://api.example.org/api/", root=tmp_path) == {"published": 4, "removed": 1}

    def head(key):
        return s3.head_object(Bucket=bucket, Key=key)

    assert head("index.html")["ContentType"] == "text/html; charset=utf-8"
    assert head("assets/site.css")["ContentType"] == "text/css; charset=utf-8"
    assert head("assets/api.js")["ContentType"] == "text/javascript; charset=utf-8"
    assert head("index.html")["CacheControl"] == "public, max-age=300"
    config = s3.get_object(Bucket=bucket, Key="config.js")
    assert config["CacheControl"] == "no-cache"
    assert '{"apiUrl": "https://api.example.org/api"}' in config["Body"].read().decode()  # never the local one
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["assets/api.js", "assets/site.css", "config.js", "index.html"]


def test_the_real_pages_are_all_published(stack):
    s3, bucket = stack.client("s3"), stack.name("WebsiteBucket")
    result = publish(s3, bucket, "https://api.example.org/api")
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert {"index.html", "film.html", "upload.html", "editor.html", "config.js", "assets/site.css"} <= keys
    assert result["published"] == len(keys)
