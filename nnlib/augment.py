"""Data augmentation for small square images stored as rows (Part II: regularisation).

An image batch is X of shape (n, h * w), each row an image read row by row
(the 8x8 digits: (n, 64)). Transforms resample the image with bilinear
interpolation about its centre; pixels that come from outside the image are 0.
Angles are in degrees, positive = counter-clockwise as the image is displayed
(row 0 at the top); shifts are in pixels, dx to the right, dy downwards.
"""

import numpy as np

from . import _validate


def _as_images(X, shape):
    X = _validate.as_float_array(X, "X")
    _validate.check_ndim(X, 2, "X", expected="(n, h * w)")
    _validate.check_finite(X, "X")
    h, w = shape
    if X.shape[1] != h * w:
        raise ValueError(f"X must have h * w = {h * w} columns for images of shape {shape}, got {X.shape[1]}")
    return X.reshape(len(X), h, w)


def _per_image(value, n, name):
    value = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)) if np.ndim(value) == 0 else np.asarray(
        value, dtype=np.float64)
    if value.shape != (n,):
        raise ValueError(f"{name} must be a number or have one entry per image ({n},), got shape {value.shape}")
    _validate.check_finite(value, name)
    return value


def transform_images(X, *, degrees=0.0, dx=0.0, dy=0.0, shape=(8, 8)):
    """Rotate each image about its centre by ``degrees``, then shift it by (dx, dy) pixels (Part II: regularisation).

    X (n, h * w); degrees, dx, dy: numbers or arrays (n,) (one value per image).
    Output pixel p takes the bilinear interpolation of the input at R(-degrees) (p - centre - shift) + centre,
    0 outside the image. Returns an array (n, h * w). Integer shifts without rotation move pixels exactly.
    """
    images = _as_images(X, shape)
    n, (h, w) = len(images), shape
    theta = np.deg2rad(_per_image(degrees, n, "degrees"))[:, None, None]
    dx, dy = (_per_image(v, n, name)[:, None, None] for v, name in ((dx, "dx"), (dy, "dy")))
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    rc, cc = (h - 1) / 2, (w - 1) / 2
    x, y = cols - cc - dx, -(rows - rc - dy)              # display coordinates: x right, y up
    x_src = np.cos(theta) * x + np.sin(theta) * y
    y_src = -np.sin(theta) * x + np.cos(theta) * y
    r_src, c_src = rc - y_src, x_src + cc                  # (n, h, w) source positions
    r0, c0 = np.floor(r_src), np.floor(c_src)
    out = np.zeros_like(images)
    index = np.arange(n)[:, None, None]
    for dr in (0, 1):
        for dc in (0, 1):
            r, c = r0 + dr, c0 + dc
            weight = (1 - np.abs(r_src - r)) * (1 - np.abs(c_src - c))
            inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
            ri, ci = np.clip(r, 0, h - 1).astype(int), np.clip(c, 0, w - 1).astype(int)
            out += np.where(inside, weight * images[index, ri, ci], 0.0)
    return out.reshape(n, h * w)


def random_shift_rotate(X, *, rng, max_shift=1, max_degrees=10.0, shape=(8, 8)):
    """One randomly transformed copy of every image (Part II: regularisation).

    Each image gets its own integer shifts dx, dy drawn uniformly from {-max_shift, ..., max_shift}
    and an angle uniform in [-max_degrees, max_degrees]. X (n, h * w) -> (n, h * w).
    """
    _validate.check_rng(rng)
    if not (isinstance(max_shift, (int, np.integer)) and max_shift >= 0):
        raise ValueError(f"max_shift must be a non-negative integer, got {max_shift!r}")
    _validate.check_non_negative(max_degrees, "max_degrees")
    n = len(_as_images(X, shape))
    shifts = rng.integers(-max_shift, max_shift + 1, size=(2, n))
    degrees = rng.uniform(-max_degrees, max_degrees, size=n)
    return transform_images(X, degrees=degrees, dx=shifts[0], dy=shifts[1], shape=shape)


def augment(X, y, *, rng, copies=1, max_shift=1, max_degrees=10.0, shape=(8, 8)):
    """The original rows followed by ``copies`` randomly shifted and rotated copies (Part II: regularisation).

    X (n, h * w), y (n,) -> X_aug ((copies + 1) n, h * w), y_aug ((copies + 1) n,); labels are repeated.
    """
    _validate.check_non_negative(copies, "copies")
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    extra = [random_shift_rotate(X, rng=rng, max_shift=max_shift, max_degrees=max_degrees, shape=shape)
             for _ in range(int(copies))]
    return np.vstack([_as_images(X, shape).reshape(len(X), -1), *extra]), np.concatenate([y] * (int(copies) + 1))
