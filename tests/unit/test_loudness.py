import math

from chalicelib.domain.loudness import MAX_GAIN_DB, TARGET_LUFS, Loudness, gain_db, limiter_ceiling
from chalicelib.media.loudness import parse_report


def test_the_gain_brings_the_film_to_minus_16_lufs():
    assert gain_db(Loudness(-30.0, -12.0)) == 14.0
    assert gain_db(Loudness(-5.0, 0.8)) == -11.0
    assert TARGET_LUFS == -16.0


def test_the_gain_is_at_most_20_db_and_silence_gets_none():
    assert gain_db(Loudness(-50.0, -30.0)) == MAX_GAIN_DB == 20.0
    assert gain_db(Loudness(-math.inf, -math.inf)) == 0.0
    assert gain_db(Loudness(-70.0, -60.0)) == 0.0


def test_the_limiter_aims_below_the_true_peak_promise():
    assert limiter_ceiling() < 10 ** (-1.0 / 20)


def test_loudnorms_report_is_read_from_its_log():
    stderr = """[Parsed_loudnorm_2 @ 0x5581] \n{\n\t"input_i" : "-29.87",\n\t"input_tp" : "-9.50",
\t"input_lra" : "1.20",\n\t"input_thresh" : "-40.1",\n\t"target_offset" : "0.00"\n}\n"""
    assert parse_report(stderr) == Loudness(-29.87, -9.5)
    silent = parse_report('{\n"input_i" : "-inf",\n"input_tp" : "-inf"\n}')
    assert silent.silent and gain_db(silent) == 0.0
