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
        args = protect_args("in.mp4", tmp_path / "protected.mkv", [], width=64, height=48, voice=voice, audio=True)
        path = args[args.index("-filter_complex_script") + 1]
        return Path(path).read_text(encoding="utf-8"), args

    graph, args = script(VoiceDisguise(0.8123, 87.5))
    assert "rubberband=pitch=0.8123,afreqshift=shift=87.5" in graph
    assert not any("0.8123" in arg or "87.5" in arg for arg in args)
    assert "[0:a:0]anull[sound]" in script(None)[0]  # no disguise: the sound untouched
