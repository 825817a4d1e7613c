"""Face detection for identity protection: the CenterFace model run with onnxruntime.

Only the protection stage imports this package (its function's layer carries onnxruntime, numpy and
the model); nothing else in chalicelib may import it, so the other functions never need them.
"""
