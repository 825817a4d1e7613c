"""The protected master's command: the film's voice disguise goes into the filter script, never onto
the command line (a process listing or a logged command would show it); without one, the sound is
untouched."""

from __future__ import annotations

from pathlib import Path

from chalicelib.domain.protection import VoiceDisguise
from chalicelib.media.protect import protect_args


def test_the_master_disguises_the_voice_with_the_films_values_in_its_script_not_on_its_command_line(
    tmp_path: Path,
) -> None:
    def script(voice: VoiceDisguise | None) -> tuple[str, list[str]]:
        args = protect_args(
            "in.mp4", tmp_path / "protected.mkv", [], width=64, height=48, voice=voice, audio=True, duration_s=60.0
        )
        path = args[args.index("-filter_complex_script") + 1]
        return Path(path).read_text(encoding="utf-8"), args

    disguise = VoiceDisguise(seed=987654321)
    steps = disguise.steps(60.0)
    graph, args = script(disguise)
    # Every step's values take over at the step's start, over the whole film: its shift, and its tract's
    # branch heard from then on.
    for step in steps:
        assert f"{step.start_s:.3f} afreqshift shift {step.shift_hz:.1f}" in graph
        assert f"gte(t,{step.start_s:.3f})" in graph.split(f"rubberband=pitch={step.tract:.4f},")[1].split("\n")[0]
    assert steps[-1].start_s > 59 and len({step.tract for step in steps}) == 4
    values = [f"{step.tract:.4f}" for step in steps] + [str(disguise.seed)]
    assert not any(value in arg for arg in args for value in values)
    assert "[0:a:0]anull[sound]" in script(None)[0]  # no disguise: the sound untouched
