"""The upload command as a facilitator meets it, against a small stand-in for the API over real HTTP:
every mistake of every row told at once, semicolon lists from Excel, a too-long film refused before a byte
is sent, and one clear line (never a traceback) for a wrong address or key."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cli.upload import outcome_line
from local.clips import make_clip

ROOT = Path(__file__).resolve().parents[2]
KEY = "office-key"
REFUSED_TITLE = "Refused by the server"
VENUE_WARNING = "The text mentions 'school': make sure it names no school where the children can be found."
RULES = {
    "duration_s": {"min": 2.0, "max": 4.0},
    "max_bytes": 5 * 2**20,
    "resolution": {"min_short_side": 100, "max_short_side": 2160, "max_long_side": 4096},
    "max_frame_rate": 120.0,
    "containers": [{"extension": ".mp4", "content_types": ["video/mp4"]}],
    "countries": ["AZ", "KG"],
    "topics": ["hiv-aids", "juvenile-justice", "violence"],
    "metadata": {"min_age": 5, "max_age": 25, "max_topics": 5},
}


class FakeApi:
    """Answers the upload rules to the right key; records every request. With `accepting`, it also takes
    films (`POST /uploads`, refusing a film titled REFUSED_TITLE as the API refuses bad details, and the
    file's POST to storage) and keeps what each `POST /uploads` asked in `created`."""

    def __init__(self, page: bytes | None = None, accepting: bool = False) -> None:
        self.requests: list[str] = []
        self.created: list[dict] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                api.requests.append(f"{self.command} {self.path}")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if page is not None:
                    self._send(200, "text/html", page)
                elif accepting and (self.command, self.path) == ("POST", "/uploads"):
                    self._create(json.loads(body))
                elif accepting and self.command == "GET" and self.path.startswith("/uploads/film-"):
                    self._sent(int(self.path.rsplit("-", 1)[1]))
                elif accepting and (self.command, self.path) == ("POST", "/storage"):
                    self._send(204, "text/plain", b"")
                elif self.path != "/uploads/rules":
                    self._send(500, "application/json", b'{"error": "unexpected", "message": "not in this test"}')
                elif self.headers.get("x-api-key") != KEY:
                    self._send(403, "application/json", b'{"error": "forbidden", "message": "Unknown API key."}')
                else:
                    self._send(200, "application/json", json.dumps(RULES).encode())

            def _create(self, details: dict) -> None:
                if details["title"] == REFUSED_TITLE:
                    refusal = {"error": "invalid_title", "message": "This title is refused in this test."}
                    self._send(400, "application/json", json.dumps(refusal).encode())
                    return
                api.created.append(details)
                upload = {"method": "post", "url": f"{api.url}/storage", "fields": {"key": "k"}}
                answer = {"video_id": f"film-{len(api.created)}", "status": "AWAITING_UPLOAD", "upload": upload}
                if "School" in details["title"]:
                    answer["warnings"] = [{"code": "venue_named", "message": VENUE_WARNING}]
                self._send(201, "application/json", json.dumps(answer).encode())

            def _sent(self, number: int) -> None:  # a film created earlier: it arrived and is ready
                film = {**api.created[number - 1], "video_id": f"film-{number}", "status": "READY"}
                self._send(200, "application/json", json.dumps(film).encode())

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = do_PUT = _answer  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()
    yield fake
    fake.close()


@pytest.fixture
def accepting_api() -> Iterator[FakeApi]:
    fake = FakeApi(accepting=True)
    yield fake
    fake.close()


def upload(
    *args: str, api_url: str, key: str = KEY, cwd: Path = ROOT, path: str | None = None, stdin: int | None = None
):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "cli", "upload", "--api-url", api_url, "--api-key", key, "--no-wait", *args],
        cwd=cwd,
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workshop")
    make_clip(folder / "right.mp4", 3, width=160, height=120, fps=2)
    make_clip(folder / "too-long.mp4", 8, width=160, height=120, fps=2)
    shutil.copy(folder / "right.mp4", folder / "also-right.mp4")
    return folder


def test_a_semicolon_list_from_excel_has_every_mistake_of_every_row_told_by_column(api, films):
    manifest = films / "excel.csv"
    manifest.write_bytes(
        "\ufefffile;title;first_name;age;topics;country;workshop\n"
        "right.mp4;Our yard;Nigar;13;violence,hiv-aids;AZ;ganja-2014\n"
        "missing.mp4;;Leyla Aliyeva;fourteen;cooking;Azerbaijan;Ganja 2014\n"
        "right.mp4;Ok;Ali;15;violence;TJ;\n".encode()
    )
    result = upload("--manifest", str(manifest), api_url=api.url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Nothing was uploaded" in result.stderr and "Traceback" not in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    expected = {
        "row 3 (missing.mp4): file: there is no file 'missing.mp4'",
        "row 3 (missing.mp4): title: empty",
        "row 3 (missing.mp4): first_name: 'Leyla Aliyeva': write the child's first name only",
        "row 3 (missing.mp4): age: 'fourteen' is not an age",
        "row 3 (missing.mp4): topics: 'cooking' is not among the project's topics",
        "row 3 (missing.mp4): country: 'Azerbaijan' is not a two-letter country code: write AZ (Azerbaijan)",
        "row 3 (missing.mp4): workshop: 'Ganja 2014': write the workshop's short name",
        "row 4 (right.mp4): country: TJ: your office's key uploads films for AZ, KG only",
    }
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, result.stderr)
    assert not any(line.startswith("row 2 ") for line in lines)  # the right row has nothing to fix
    assert "author.age" not in result.stderr and "ISO 3166" not in result.stderr
    assert api.requests == ["GET /uploads/rules"]  # nothing was created or sent


def test_a_comma_list_with_the_columns_named_as_people_write_them_is_read(api, films):
    manifest = films / "comma.csv"
    manifest.write_text("File,Title,First name,Age,Topics,Country\nright.mp4,Our yard,Nigar,130,violence,AZ\n")
    result = upload("--manifest", str(manifest), api_url=api.url)
    assert result.returncode == 2
    assert "row 2 (right.mp4): age: '130' is not an age the project takes" in result.stderr


def test_a_film_too_long_for_the_stage_is_refused_before_a_byte_is_sent(api, films):
    result = upload(
        "too-long.mp4",
        "--title",
        "Long",
        "--country",
        "AZ",
        "--topics",
        "violence",
        "--first-name",
        "Ali",
        "--age",
        "15",
        api_url=api.url,
        cwd=films,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "too-long.mp4: file: The film lasts 8.0 s" in result.stderr
    assert "must last between 2 s and 4 s" in result.stderr
    assert api.requests == ["GET /uploads/rules"]


def test_without_ffprobe_the_command_says_what_to_install(api, films, tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    result = upload(
        "right.mp4",
        "--country",
        "XX",
        "--topics",
        "violence",
        "--first-name",
        "Ali",
        "--age",
        "15",
        api_url=api.url,
        cwd=films,
        path=str(bare),
    )
    assert shutil.which("ffprobe", path=str(bare)) is None
    assert "ffprobe (part of ffmpeg) is not installed" in result.stdout and "install ffmpeg" in result.stdout
    assert "right.mp4: --country: 'XX' is not a two-letter country code" in result.stderr


def test_a_closed_address_is_one_line(films):
    result = upload("--manifest", str(films / "any.csv"), api_url="http://127.0.0.1:9")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Could not reach http://127.0.0.1:9: check the internet connection, and check --api-url: it is the API's "
        "address the project team gave you (locally, the one `make run` prints)."
    ]


def test_a_website_address_instead_of_the_api_is_one_line(films):
    website = FakeApi(page=b"<!doctype html><title>OneMinutesJr</title>")
    try:
        result = upload("--manifest", str(films / "any.csv"), api_url=website.url)
    finally:
        website.close()
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "answered with a web page, not the API" in line


def test_a_wrong_key_is_one_line(api, films):
    result = upload("--manifest", str(films / "any.csv"), api_url=api.url, key="not-the-key")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "refused the key: check --api-key" in line


def test_an_address_without_a_scheme_is_one_line(films):
    result = upload("--manifest", str(films / "any.csv"), api_url="api.example.org")
    [line] = result.stderr.strip().splitlines()
    assert "is not a web address: it starts with https://" in line


def test_a_too_long_film_is_left_out_and_said_while_the_rest_of_the_workshop_is_sent(accepting_api, films, tmp_path):
    for name in ("right.mp4", "too-long.mp4", "also-right.mp4"):
        shutil.copy(films / name, tmp_path / name)
    manifest = tmp_path / "workshop.csv"
    manifest.write_text(
        "file,title,first_name,age,topics,country\n"
        "right.mp4,Our yard,Nigar,13,violence,AZ\n"
        "too-long.mp4,Long one,Ali,15,violence,AZ\n"
        f"also-right.mp4,{REFUSED_TITLE},Samir,12,violence,AZ\n"
    )
    result = upload("--manifest", str(manifest), api_url=accepting_api.url)
    assert "Traceback" not in result.stderr
    assert [film["title"] for film in accepting_api.created] == ["Our yard"]  # the good film went
    assert "right.mp4: uploaded" in result.stdout
    # --no-wait: the id the office needs to find the film again is printed
    assert "right.mp4: sent as film-1, not waiting for its outcome" in result.stdout
    # Each film left out says why, by its row, at once and again at the end of the run; the run says it
    # did not all go (exit 2), so a script notices.
    assert result.returncode == 2, result.stdout + result.stderr
    too_long = "row 3 (too-long.mp4): file: The film lasts 8.0 s"
    refused = "row 4 (also-right.mp4): the upload service refused it: This title is refused in this test."
    ending = result.stderr[result.stderr.index("2 film(s) not sent") :]
    assert too_long in ending and refused in ending
    assert result.stderr.index(too_long) < result.stderr.index("2 film(s) not sent")  # said before sending too
    assert "also-right.mp4: not sent: the upload service refused it" in result.stdout


def test_an_address_is_refused_by_its_row_before_sending_and_a_named_school_is_told(accepting_api, films, tmp_path):
    for name in ("right.mp4", "also-right.mp4"):
        shutil.copy(films / name, tmp_path / name)
    manifest = tmp_path / "workshop.csv"
    rows = "right.mp4,School No. 5 in Baku,Nigar,13,violence,AZ\nalso-right.mp4,{title},Samir,12,violence,AZ\n"
    header = "file,title,first_name,age,topics,country\n"
    manifest.write_text(header + rows.format(title="Leyla at 12 Nizami street"))
    refused = upload("--manifest", str(manifest), api_url=accepting_api.url)
    assert refused.returncode == 2 and accepting_api.created == [], refused.stdout + refused.stderr
    assert "row 3 (also-right.mp4): title: The title seems to hold a street address" in refused.stderr
    manifest.write_text(header + rows.format(title="Our yard"))
    sent = upload("--manifest", str(manifest), api_url=accepting_api.url)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert f"right.mp4: {VENUE_WARNING}" in sent.stdout


def test_protection_columns_are_sent_as_protect_identity_and_every_wrong_value_is_told(accepting_api, films, tmp_path):
    for name in ("right.mp4", "also-right.mp4"):
        shutil.copy(films / name, tmp_path / name)
    manifest = tmp_path / "workshop.csv"
    header = "file;title;first_name;age;topics;country;Blur faces;Disguise voice\n"
    manifest.write_text(
        header + "right.mp4;Our yard;Nigar;13;violence;AZ;maybe;oui\nalso-right.mp4;Hers;Ali;15;violence;AZ;yes;\n"
    )
    wrong = upload("--manifest", str(manifest), api_url=accepting_api.url)
    assert wrong.returncode == 2 and "Nothing was uploaded" in wrong.stderr
    assert "row 2 (right.mp4): blur_faces: 'maybe': write yes to blur the faces" in wrong.stderr
    assert "row 2 (right.mp4): disguise_voice: 'oui': write yes to disguise the child's voice" in wrong.stderr
    assert "row 3" not in wrong.stderr and accepting_api.created == []

    manifest.write_text(
        header + "right.mp4;Our yard;Nigar;13;violence;AZ;Yes;1\nalso-right.mp4;Hers;Ali;15;violence;AZ;no;\n"
    )
    sent = upload("--manifest", str(manifest), api_url=accepting_api.url)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    asked = {film["title"]: film.get("protect_identity") for film in accepting_api.created}
    assert asked == {"Our yard": {"faces": True, "voice": True}, "Hers": None}


def test_a_single_film_asks_for_protection_with_a_flag(accepting_api, films):
    args = ("right.mp4", "--country", "AZ", "--topics", "violence", "--first-name", "Ali", "--age", "15")
    result = upload(*args, "--blur-faces", api_url=accepting_api.url, cwd=films)
    assert result.returncode == 0, result.stdout + result.stderr
    assert accepting_api.created[0]["protect_identity"] == {"faces": True, "voice": False}


def test_the_outcome_of_a_film_says_which_identity_protection_it_carries():
    protected = {"status": "READY", "duration_s": 60.0, "protect_identity": {"faces": True, "voice": True}}
    assert outcome_line("yard.mp4", protected) == (
        "yard.mp4: READY (60.0 s), identity hidden: faces blurred and voice disguised, waiting for an editor"
    )
    voice_only = {**protected, "protect_identity": {"faces": False, "voice": True}}
    assert outcome_line("yard.mp4", voice_only) == (
        "yard.mp4: READY (60.0 s), identity hidden: voice disguised, waiting for an editor"
    )
    assert outcome_line("yard.mp4", {"status": "READY", "duration_s": 60.0}) == (
        "yard.mp4: READY (60.0 s), waiting for an editor"
    )


def test_a_row_with_one_cell_more_than_the_header_says_so_and_blames_no_column(api, films):
    manifest = films / "stray-comma.csv"
    manifest.write_text(
        "file,title,first_name,age,topics,country\n"
        "right.mp4,Our yard, by the river,Nigar,13,violence,AZ\n"
        "right.mp4,Our street,Ali,15,violence,AZ\n"
    )
    result = upload("--manifest", str(manifest), api_url=api.url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "row 2 (right.mp4): this row has 7 cells, one more than the 6 columns the first row names: a cell holds "
        "the separator (a comma or semicolon)? Put that cell in quotes, or remove the separator." in result.stderr
    )
    assert "first_name:" not in result.stderr and "age:" not in result.stderr  # no column blamed wrongly
    assert "row 3" not in result.stderr
    assert api.requests == ["GET /uploads/rules"]


def test_a_missing_file_suggests_the_nearest_name_in_the_folder(api, films):
    manifest = films / "typo.csv"
    manifest.write_text("file,title,first_name,age,topics,country\nrigth.mp4,Our yard,Nigar,13,violence,AZ\n")
    result = upload("--manifest", str(manifest), api_url=api.url)
    assert result.returncode == 2
    assert f"row 2 (rigth.mp4): file: there is no file 'rigth.mp4' in {films}; did you mean 'right.mp4'?" in (
        result.stderr
    )
    manifest.write_text("file,title,first_name,age,topics,country\nzzz.mp4,Our yard,Nigar,13,violence,AZ\n")
    far = upload("--manifest", str(manifest), api_url=api.url)
    assert f"there is no file 'zzz.mp4' in {films}." in far.stderr and "did you mean" not in far.stderr


def test_end_of_input_at_the_question_is_a_clear_no_not_a_traceback(accepting_api, films, tmp_path):
    shutil.copy(films / "right.mp4", tmp_path / "right.mp4")
    manifest = tmp_path / "workshop.csv"
    row = "file,title,first_name,age,topics,country\nright.mp4,{title},Nigar,13,violence,AZ\n"
    manifest.write_text(row.format(title="Our yard"))
    assert upload("--manifest", str(manifest), api_url=accepting_api.url).returncode == 0
    manifest.write_text(row.format(title="Our yard again"))  # asks before correcting the film sent
    main, terminal = pty.openpty()  # the question is asked at a terminal only; Ctrl-D answers it
    os.write(main, b"\x04")
    try:
        result = upload("--manifest", str(manifest), api_url=accepting_api.url, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(main)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Correct them? [y/N]" in result.stdout
    assert "Correct them? no answer (the input ended): nothing changed; run the same command with --yes to agree." in (
        result.stdout
    )
    assert not any(request.startswith("PATCH") for request in accepting_api.requests)
    assert len(accepting_api.created) == 1  # and not sent again


def test_rates_are_read_and_shown_in_decimal_units(accepting_api, films):
    args = ("right.mp4", "--country", "AZ", "--topics", "violence", "--first-name", "Ali", "--age", "15")
    result = upload(*args, "--max-rate", "500k", api_url=accepting_api.url, cwd=films)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Sending at most 500 kB/s" in result.stdout
    assert re.search(r"right\.mp4: uploaded, [\d.]+ MB in [\d.]+ s \([\d.]+ [kM]?B/s\)", result.stdout), result.stdout
    assert "iB" not in result.stdout  # never KiB or MiB beside a rate typed in kB


def test_the_help_and_the_upload_page_doc_agree_on_when_films_go_in_parts():
    help_text = subprocess.run(
        [sys.executable, "-m", "cli", "upload", "--help"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    doc = " ".join((ROOT / "docs" / "UPLOAD_PAGE.md").read_text().split())
    said = "a film under --multipart-from-mb (16 MB) in one piece, a larger one in parts"
    assert said in " ".join(help_text.split())
    assert "the upload page sends every film in parts" in " ".join(help_text.split())
    assert "every film goes in parts, whatever its size" in doc
    assert "`omjr upload` sends a film under 16 MB (`--multipart-from-mb`) in one piece, a larger one in parts" in doc
