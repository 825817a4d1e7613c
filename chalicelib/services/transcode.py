"""Stage two: a validated upload becomes web renditions, a poster, a sprite and its storyboard."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib.clock import now_iso
from chalicelib.domain.errors import MediaError, ObjectReplacedError, ProtectionMissingError, StaleTransitionError
from chalicelib.domain.film import Film, FilmRendition, Status
from chalicelib.domain.fingerprint import Fingerprint
from chalicelib.domain.hls import MASTER_NAME, PlaylistError, segment_starts
from chalicelib.domain.ladder import plan_renditions, plan_sprite, storyboard_vtt
from chalicelib.domain.lifecycle import transcoded
from chalicelib.domain.loudness import gain_db
from chalicelib.domain.object_keys import (
    POSTER_NAME,
    SPRITE_NAME,
    STORYBOARD_NAME,
    is_share_image_key,
    media_key,
    media_of,
    playlist_key,
    rendition_key,
    share_image_name,
    staging_of,
    staging_run,
)
from chalicelib.domain.protection import Protection, outputs_protected
from chalicelib.domain.rules import ValidationLimits, check_duration, decode_caps
from chalicelib.media.fingerprint import fingerprint_of
from chalicelib.media.fragments import source_keyframes
from chalicelib.media.loudness import measure_loudness
from chalicelib.media.probe import probe
from chalicelib.media.runner import MediaTimeoutError, ToolFailedError
from chalicelib.media.transcode import Outputs, TranscodePlan, transcode
from chalicelib.observability import count, logger, measure, subsegment
from chalicelib.services.dependencies import Dependencies
from chalicelib.services.duplicates import record_duplicates
from chalicelib.services.hls_packaging import Playlists, write_playlists
from chalicelib.services.outcomes import fail, fail_on_time, reject
from chalicelib.services.protection_catch_up import CatchUp, catch_up
from chalicelib.services.replaced_uploads import follow_replaced_upload

# Time kept back from the Lambda's deadline to upload outputs and record the outcome:
# 20 s, or a quarter of the time there is when that is less.
RESERVE_S = 20.0
HLS_TYPE = "application/vnd.apple.mpegurl"


def transcode_film(deps: Dependencies, video_id: str, deadline_s: float) -> None:
    """The transcode stage's service (domain/stages.py), once per film message and attempt."""
    film = _film_to_transcode(deps, video_id)
    if film is None:
        return
    started = time.monotonic()
    # A private directory per invocation, removed whatever happens: a warm container never shows
    # one film's files to the next invocation.
    with tempfile.TemporaryDirectory(prefix="omjr-transcode-") as workdir:
        source_path = os.path.join(workdir, "source")
        out_dir = os.path.join(workdir, "out")
        os.mkdir(out_dir)
        try:
            source = transcode_input(film)
            _download(deps, source, source_path)
            plan = plan_transcode(source_path, deps.settings.limits, timeout_s=deadline_s / 4)
            outputs, fingerprint = _made(source, source_path, out_dir, plan, deadline_s)
            top = next(iter(outputs.renditions.values()))
            decoded = probe(top, os.path.getsize(top)).source.duration_s
        except (ObjectReplacedError, MediaError, ProtectionMissingError) as error:
            _not_transcoded(deps, video_id, error, deadline_s)
            return
        rejection = check_duration(decoded, deps.settings.limits)
        if rejection is not None:  # the header said one minute; the frames say otherwise
            reject(deps, video_id, rejection.code, rejection.reason)
            return
        try:
            playlists: Playlists | None = write_playlists(out_dir, plan, outputs, float(decoded or 0))
        except PlaylistError as error:
            # A rung whose keyframes missed the planned segment starts (a variable frame rate can): the film
            # is still READY, played from its MP4 renditions, with no HLS rather than failed.
            logger.warning("no HLS for this film", extra={"reason": str(error)})
            count("FilmsWithoutHls")
            playlists = None
        stored = _store_outputs(deps, film, plan, outputs, playlists)
    if stored is None:
        _left_while_transcoding(deps, video_id)
        return
    renditions, images = stored
    elapsed = time.monotonic() - started
    # What the outputs just made carry, and nothing more: from the master, what it was made with.
    duration_s = round(float(decoded or 0), 3)
    ready = transcoded(
        film,
        now_iso(),
        renditions=renditions,
        images=images,
        duration_s=duration_s,
        applied=source.applied,
        fingerprint=fingerprint,
    )
    try:
        deps.catalog.apply(ready)
    except StaleTransitionError:
        _left_while_transcoding(deps, video_id)
        return
    # Its office may have asked for protection while this ran: the outputs just made lack it. At once, before
    # anything else that could fail (a failure here has the message delivered again, which catches it up).
    catch_up(deps, video_id)
    _forget_old_renditions(deps, film, renditions)
    record_duplicates(deps, ready.after)
    _count_ready(film, elapsed, duration_s)
    logger.info("film ready", extra={"renditions": [r.name for r in renditions], "seconds": elapsed})


def _film_to_transcode(deps: Dependencies, video_id: str) -> Film | None:
    """The film, when this stage is to transcode it now."""
    film = deps.catalog.get_film(video_id)
    if film is not None and film.status is Status.DELETED:
        # A run killed after promoting its outputs, then a takedown: this retry is the last to know of them.
        _left_while_transcoding(deps, video_id)
        return None
    if film is not None and film.status is Status.READY:
        # Delivered again after this stage made the film READY and stopped before its protection was caught up.
        catch_up(deps, video_id, film)
        return None
    if film is None or film.status is not Status.TRANSCODING:
        logger.info("ignoring a transcode request for a film not in TRANSCODING")
        return None
    if catch_up(deps, video_id, film) is not CatchUp.NOTHING_LACKING:  # asked meanwhile, and its input lacks it
        return None
    return film


def _count_ready(film: Film, elapsed: float, duration_s: float) -> None:
    count("FilmsReady")
    uploaded = film.entered(Status.UPLOADED)
    if uploaded:
        waited = datetime.now(UTC) - datetime.fromisoformat(uploaded.replace("Z", "+00:00"))
        measure("UploadToReadySeconds", waited.total_seconds(), MetricUnit.Seconds)
    measure("TranscodeSeconds", elapsed, MetricUnit.Seconds)
    measure("TranscodeSpeed", duration_s / max(elapsed, 1e-3), MetricUnit.Count)


def _made(
    source: TranscodeInput, source_path: str, out_dir: str, plan: TranscodePlan, deadline_s: float
) -> tuple[Outputs, Fingerprint | None]:
    """The outputs, and the source's fingerprint from the same decode when this reads the source (a protected
    film's was taken by the protection stage: the master's picture is blurred)."""
    plan = replace(plan, fingerprint=source.applied is None)
    with subsegment("ffmpeg"):
        outputs = transcode(source_path, out_dir, plan, timeout_s=deadline_s - min(RESERVE_S, deadline_s / 4))
    frames = outputs.fingerprint_frames
    return outputs, (fingerprint_of(source_path, frames) if frames else None)


MASTER_GONE = (
    "The protected version of this film is gone, so no public output can be made from it; an operator can "
    "retry the film (python -m cli ops retry) to protect it again from its upload."
)


@dataclass(frozen=True)
class TranscodeInput:
    """What the transcode reads: the validated upload, or the protected master when protection is asked
    (`applied`: what that master carries, recorded on the outputs as `protection_applied`)."""

    key: str
    etag: str
    applied: Protection | None = None


def transcode_input(film: Film) -> TranscodeInput:
    """The raw source only when the film asks for no protection: otherwise its protected master, which must
    carry every protection asked (the film FAILS rather than get unprotected renditions)."""
    wanted = film.protect_identity
    if wanted is None:
        return TranscodeInput(film.upload_key, film.upload_etag or "")
    master = film.protected_master
    applied = master.carries if master else None
    if master is None or not outputs_protected(wanted, applied):
        raise ProtectionMissingError(
            "Identity protection is asked for this film and no protected version of it covers what is asked, so "
            "it was not transcoded (its faces or voice would show); an operator can retry it "
            "(python -m cli ops retry) to protect it again from its upload.",
        )
    return TranscodeInput(master.key, master.etag, applied)


def _download(deps: Dependencies, source: TranscodeInput, path: str) -> None:
    """Exactly the file that was validated, or the master made from it: S3 refuses the read if another
    replaced it since. A master that is gone is never made up for with the source."""
    try:
        deps.uploads.download(source.key, path, source.etag)
    except ObjectReplacedError:
        if source.applied is None:
            raise
        raise ProtectionMissingError(MASTER_GONE) from None


def _forget_old_renditions(deps: Dependencies, film: Film, renditions: tuple[FilmRendition, ...]) -> None:
    """A film rendered again (an editor changed its protection) keeps its keys; a rung it no longer has
    would still hold the earlier picture: it goes."""
    kept = {key for rendition in renditions for key in (rendition.key, rendition.playlist_key) if key}
    for old in film.renditions:
        for key in (old.key, old.playlist_key):
            if key and key not in kept:
                deps.media.delete(key)


def _not_transcoded(
    deps: Dependencies,
    video_id: str,
    error: ObjectReplacedError | MediaError | ProtectionMissingError,
    limit_s: float,
) -> None:
    """Whose fault it is decides the outcome: a replaced upload is validated anew, our limits FAIL (and a missing
    protection: never the source instead), the file REJECTs."""
    if isinstance(error, ProtectionMissingError):
        fail(deps, video_id, error.message)
    elif isinstance(error, ObjectReplacedError):
        follow_replaced_upload(deps, video_id, Status.TRANSCODING)
    elif isinstance(error, MediaTimeoutError):
        fail_on_time(deps, video_id, "Transcoding", limit_s)
    elif isinstance(error, ToolFailedError) and error.killed:
        fail(deps, video_id, "ffmpeg was stopped before it finished (out of memory or disk?); it can be retried.")
    else:
        reject(deps, video_id, error.code, error.message)


def plan_transcode(source_path: str, limits: ValidationLimits, timeout_s: float = 60.0) -> TranscodePlan:
    """What to make of the source at `source_path`, within `limits`: renditions, images, and the sound's gain
    from an audio-only loudness measurement (which takes up to `timeout_s`)."""
    source = probe(source_path, os.path.getsize(source_path)).source
    if source.video is None or source.duration_s is None:
        raise MediaError("The file changed after it was validated and can no longer be read.")
    caps = decode_caps(limits)
    max_duration_s = caps.max_duration_s
    gain = 0.0
    if source.audio_index is not None:
        with subsegment("loudness"):
            gain = gain_db(measure_loudness(source_path, source.audio_index, max_duration_s, timeout_s))
    renditions = plan_renditions(source)
    picture_duration_s = min(source.duration_s, max_duration_s)
    # A remuxed top rung keeps the source's keyframes: the segments start on some of them.
    passthrough = renditions[0].passthrough
    keyframes = source_keyframes(source_path, source.video.index, timeout_s, every=passthrough)
    remuxed = keyframes.times_s if passthrough else None
    return TranscodePlan(
        source=source,
        renditions=renditions,
        sprite=plan_sprite(source.video, min(source.duration_s, limits.max_duration_s)),
        max_duration_s=max_duration_s,
        max_frame_rate=limits.max_frame_rate,
        max_pixels=caps.max_pixels,
        picture_duration_s=picture_duration_s,
        audio_gain_db=gain,
        segment_starts=segment_starts(picture_duration_s, remuxed),
        first_frame_s=keyframes.first_frame_s,
    )


def _left_while_transcoding(deps: Dependencies, video_id: str) -> None:
    """The film moved on while it was transcoded. A takedown wins: nothing of the film is left behind."""
    film = deps.catalog.get_film(video_id)
    if film is not None and film.status is Status.DELETED:
        deps.media.delete_prefix(media_of(video_id))
        deps.media.delete_prefix(staging_of(video_id))
        logger.info("film was taken down while it was transcoded; its outputs were removed")
    else:
        logger.info("film left TRANSCODING while it was transcoded", extra={"status": film and film.status.value})


def _store_outputs(
    deps: Dependencies, film: Film, plan: TranscodePlan, outputs: Outputs, playlists: Playlists | None
) -> tuple[tuple[FilmRendition, ...], dict[str, str]] | None:
    """Upload under a private staging prefix, then promote: a killed run never leaves half a film in films/.

    None, with nothing promoted, when the film moved on while this run made its outputs (another run made
    it READY, say, with protection since, and an editor published it): outputs made from what the film was
    then must not replace the ones it has now, such as a protected poster by one made from the source."""
    video_id = film.video_id
    run = uuid.uuid4().hex
    staging = staging_run(video_id, run)
    share_image = media_key(video_id, share_image_name(run[:12]))
    renditions = []
    for rendition in plan.renditions:
        deps.media.upload(outputs.renditions[rendition.name], f"{staging}{rendition.name}.mp4", "video/mp4")
        key, playlist = rendition_key(video_id, rendition.name), None
        if playlists is not None:
            playlist = playlist_key(video_id, rendition.name)
            deps.media.upload(playlists.rungs[rendition.name], f"{staging}{rendition.name}.m3u8", HLS_TYPE)
        renditions.append(FilmRendition(rendition.name, key, rendition.width, rendition.height, playlist))
    if playlists is not None:
        deps.media.upload(playlists.master, f"{staging}{MASTER_NAME}", HLS_TYPE)
    deps.media.upload(outputs.sprite, f"{staging}{SPRITE_NAME}", "image/jpeg")
    storyboard = os.path.join(os.path.dirname(outputs.sprite), STORYBOARD_NAME)
    with open(storyboard, "w", encoding="utf-8") as file:
        file.write(storyboard_vtt(plan.sprite, SPRITE_NAME))
    deps.media.upload(storyboard, f"{staging}{STORYBOARD_NAME}", "text/vtt")
    deps.media.upload(outputs.share_image, f"{staging}{share_image_name(run[:12])}", "image/jpeg")
    deps.media.upload(outputs.poster, f"{staging}{POSTER_NAME}", "image/jpeg")
    now = deps.catalog.get_film(video_id)
    if now is None or now.status is not Status.TRANSCODING or now.attempt != film.attempt:
        deps.media.delete_prefix(staging)
        return None
    # The poster last: its presence says the set is complete.
    deps.media.promote(staging, media_of(video_id), last=POSTER_NAME)
    _forget_share_images(deps, video_id, keep=share_image)
    return tuple(renditions), {
        "poster_key": media_key(video_id, POSTER_NAME),
        "sprite_key": media_key(video_id, SPRITE_NAME),
        "storyboard_key": media_key(video_id, STORYBOARD_NAME),
        "share_image_key": share_image,
        **({"hls_key": media_key(video_id, MASTER_NAME)} if playlists is not None else {}),
    }


def _forget_share_images(deps: Dependencies, video_id: str, keep: str) -> None:
    """The share images of the film's earlier renders deleted (the film is private while it is rendered): an
    image with faces a protection has blurred since is never public again, under any address."""
    for key in deps.media.keys(media_of(video_id)):
        if key != keep and is_share_image_key(video_id, key):
            deps.media.delete(key)
