import pytest

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.subtitles import parse_language, parse_subtitles, to_webvtt

SRT = "\ufeff1\r\n00:00:01,000 --> 00:00:04,500\r\n<i>My street</i> is\r\nnarrow.\r\n\r\n2\r\n00:00:50,250 --> 00:01:00,000\r\nThe end.\r\n"


def test_srt_is_normalised_to_plain_webvtt():
    vtt = to_webvtt(parse_subtitles(SRT.encode(), 60.0))
    assert vtt == (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\nMy street is\nnarrow.\n\n00:00:50.250 --> 00:01:00.000\nThe end.\n"
    )


def test_webvtt_notes_and_styles_are_dropped():
    source = "WEBVTT\n\nNOTE made in the workshop\n\nSTYLE\n::cue { color: red }\n\nintro\n00:01.000 --> 00:02.000 align:start\nHello\n"
    cues = parse_subtitles(source.encode(), 60.0)
    assert [(c.start_s, c.end_s, c.text) for c in cues] == [(1.0, 2.0, "Hello")]


@pytest.mark.parametrize(
    ("data", "code", "hint"),
    [
        (b"x" * (256 * 1024 + 1), "subtitles_too_large", "256 KB"),
        ("1\n00:00:01,000 --> 00:00:02,000\nGr\xfc\xdfe\n".encode("latin-1"), "invalid_subtitles", "UTF-8"),
        (b"just some text", "invalid_subtitles", "timing"),
        (b"1\n00:00:05,000 --> 00:00:02,000\nBackwards\n", "invalid_subtitles", "ends before it starts"),
        (b"1\n00:01:30,000 --> 00:01:35,000\nToo late\n", "invalid_subtitles", "after the film's end"),
        (b"1\n1 --> 2\nBad clock\n", "invalid_subtitles", "cannot read the timing"),
        (b"", "invalid_subtitles", "no subtitle cues"),
    ],
)
def test_bad_files_say_what_to_fix(data, code, hint):
    with pytest.raises(InvalidRequestError) as caught:
        parse_subtitles(data, 60.0)
    assert caught.value.code == code
    assert hint in caught.value.message


def test_languages_are_bcp47_tags():
    assert parse_language("az-Latn") == "az-Latn"
    with pytest.raises(InvalidRequestError):
        parse_language("English")


def test_a_phone_number_split_over_cues_listed_out_of_time_order_is_read_as_shown():
    # The file lists the second half first; a player shows "call 050 123" and then "45 67", one number.
    srt = "1\n00:00:05,000 --> 00:00:06,000\n45 67\n\n2\n00:00:01,000 --> 00:00:02,000\ncall 050 123\n"
    with pytest.raises(InvalidRequestError) as refused:
        parse_subtitles(srt.encode(), 60.0)
    assert refused.value.code == "contact_details"
