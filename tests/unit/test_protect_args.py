"""The protected master's command: the film's voice disguise is made in this process (media/voice_disguise.py),
so neither its seed nor its path is on the command line or in the filter script (a process listing or a logged
command would show them); with a disguised sound the master takes it as its second input, without one the
sound is untouched."""

from __future__ import annotations

from pathlib import Path

from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import DISGUISE_RATE, protect_args


def test_the_master_takes_the_disguised_sound_as_its_second_input_and_no_value_of_the_path(tmp_path: Path) -> None:
    def script(disguised: Path | None) -> tuple[str, list[str]]:
        args = protect_args(
            "in.mp4", tmp_path / "protected.mkv", [], width=64, height=48, disguised=disguised, audio=True
        )
        path = args[args.index("-filter_complex_script") + 1]
        return Path(path).read_text(encoding="utf-8"), args

    disguise = VoiceDisguise(seed=987654321)
    graph, args = script(tmp_path / "voice.f32")
    inputs = [args[at + 1] for at, arg in enumerate(args) if arg == "-i"]
    assert inputs == ["in.mp4", str(tmp_path / "voice.f32")]
    assert args[args.index(str(tmp_path / "voice.f32")) - 3 :][:2] == ["-ar", str(DISGUISE_RATE)]
    # The source's sound, silenced, sets the length: the disguised one is cut or padded to it.
    assert "amix=inputs=2:duration=first" in graph and "[0:a:0]aresample=48000,volume=0" in graph
    values = [f"{step.warp:.4f}" for step in disguise.steps(60.0)] + [str(disguise.seed), str(disguise.pitch_factor)]
    assert not any(value in text for text in [graph, *args] for value in values)
    assert "[0:a:0]anull[sound]" in script(None)[0]  # no disguise: the sound untouched
