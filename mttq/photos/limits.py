"""Every threshold of the photo check, in one frozen value (reasons in
docs/photo-thresholds.md).

Apart from :mod:`mttq.photos.quality` so that a build which checks no new
photo (a warm one: every verdict is remembered) never imports numpy and the
measures: ~60 ms of every build. ``quality`` re-exports :class:`PhotoLimits`.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Mapping

MIB = 1024 * 1024
_MIB = MIB


@dataclass(frozen=True)
class PhotoLimits:
    """Every threshold of the photo check; reasons in docs/photo-thresholds.md.

    Luminance values are gamma-encoded luma (Rec. 601) scaled to 0..1, the
    scale a viewer perceives; lengths are pixels of the *analysis view* unless
    the name says otherwise.
    """

    #: Largest accepted file (bytes). A 12-MP phone JPEG is 3–6 MB, 50 MP ~15 MB.
    max_bytes: int = 20 * _MIB
    #: Largest accepted pixel count, read from the header (50-MP sensors fit).
    max_pixels: int = 64_000_000
    #: Below this long side (px) the photo cannot fill a news column: error.
    min_long_side: int = 800
    #: Below this long side (px) sharing previews (1200x630) are soft: warning.
    recommended_long_side: int = 1200
    #: Longest accepted side ratio (3:1); strips do not fit page or previews.
    max_aspect: float = 3.0
    #: Long side (px) of the view every measure is taken on.
    analysis_size: int = 1000
    #: Blurry when the edge width (px at analysis size) exceeds this: the width
    #: a sharp photo gets under a Gaussian blur of sigma 1.75 px at 1000 px.
    max_edge_width: float = 4.5
    #: Fewer strong edges than this: sharpness is not judged (flat picture).
    min_edges: int = 150
    #: The sharp region (the subject) must cover at least this share of the
    #: frame: the photo is as sharp as the sharpest tiles making this share.
    sharp_region_share: float = 0.04
    #: Heavy JPEG compression (blocks): the mean step across the 8x8 block
    #: boundaries this many times the mean step elsewhere. Phone and Zalo
    #: JPEGs give 1–3; quality 5–15 gives 4 and more, and the detail is gone.
    max_blockiness: float = 4.0
    #: Enlarged from a small photo when, even in the sharp region, the finest
    #: band (0.5–0.9 Nyquist) holds less than this share of the next band.
    min_fine_detail: float = 0.0025
    #: ... or when, at half scale (a 500 px view), it holds less than this:
    #: there every camera photo keeps fine detail (0.006 and more on the
    #: tuning photos, soft and dark ones included), while a 240 px thumbnail
    #: blown up ten times with *bilinear* interpolation, whose kinks leak
    #: into the finest band at full scale, has only that leak (0.002–0.006).
    min_fine_detail_half: float = 0.005
    #: ... or when it is short of detail at *both* scales: under this at
    #: full scale and under ``soft_fine_detail_half`` at half scale. Each
    #: alone would refuse the softest camera photos (a soft scan-like photo
    #: 0.0034 at full scale, a dark jellyfish 0.0059 at half scale), but a
    #: camera photo soft at one scale keeps its detail at the other, while a
    #: thumbnail enlarged ten times (bilinear) lacks it at both (full
    #: 0.0026–0.0046, half 0.0050–0.0061 on the tuning photos).
    soft_fine_detail: float = 0.005
    soft_fine_detail_half: float = 0.0065
    #: Too dark when the highlights (99th percentile) stay below this ...
    dark_highlight: float = 0.50
    #: ... and the mean luminance is below this: a sun-lit sand or snow
    #: scene (mean 0.80–0.85) under-exposed by 2.5 EV keeps a mean of
    #: 0.34–0.38, with highlights of 0.41–0.46.
    dark_mean: float = 0.40
    #: Too dark, whatever the highlights, when this fraction is crushed black.
    max_black_fraction: float = 0.50
    #: Luminance at or below which a pixel counts as crushed to black.
    black_level: float = 6 / 255
    #: Too bright when the mean luminance is above this (about +1.5 EV) ...
    bright_mean: float = 0.62
    #: ... and at least this fraction is clipped to white.
    bright_white_fraction: float = 0.08
    #: Too bright, whatever the mean, when this fraction is clipped to white
    #: and some of it is detail (``burnt_detail_large``, below) ...
    max_white_fraction: float = 0.25
    #: ... the share of clipped pixels in the detailed tiles that counts.
    burnt_detail_large: float = 0.04
    #: Too bright when at least ``bright_white_fraction`` is clipped, this
    #: share of the detailed tiles (where the subject is) is clipped ...
    burnt_detail: float = 0.10
    #: ... and the photo is not a dark one with a few hot spots (lights
    #: apart from the subject are waived by ``light_free_share`` below).
    burnt_mean: float = 0.35
    #: Too bright, wherever the clipping is, when the mean is this high:
    #: +2 EV lifts mid-grey (0.46) above 0.8; a high-key scene with a well
    #: exposed subject stays below.
    washed_white_mean: float = 0.80
    #: ... when the clipping cuts deep: the clipped share is at least the
    #: share just below white (235–249 of 255). A sun-lit sand or snow
    #: scene exposed a little high has its brightest surfaces at the top of
    #: the range, with more of the frame just below white than clipped; a
    #: push of +2 EV piles every highlight into the clip and leaves a thin
    #: band below it (sun-lit sand: 0.34 at +0.5 EV, 15 at +2 EV).
    deep_clip_ratio: float = 1.0
    #: Luminance at or above which a pixel counts as clipped to white.
    white_level: float = 250 / 255
    #: Light sources alone are not over-exposure: the burnt-detail rule is
    #: waived when at least this share of the frame lies farther than
    #: ``light_margin`` (a share of the long side) from every clipped pixel
    #: (the clipping is confined to a few lights: windows, blinds, lamps) ...
    light_free_share: float = 0.60
    light_margin: float = 0.02
    #: ... and that area, the subject, is not dark (``dark_mean``).
    light_subject_mean: float = 0.30
    #: Washed out (error) when the 1st–99th percentile range is below this:
    #: a third of a normal scene's range, with a little room for JPEG ...
    min_tonal_range: float = 0.37
    #: ... and flat (warning only: fog, smoke, soft by nature) below this.
    soft_tonal_range: float = 0.45
    #: ... and the Michelson contrast (p99-p01)/(p99+p01) too (not just dark).
    min_michelson: float = 0.6
    #: Tilted when the dominant level line is off by at least this (degrees):
    #: a warning (gentle tilt, the editor decides) ...
    max_tilt_degrees: float = 2.0
    #: ... and an error from this tilt on: a horizon off by 5° is plainly
    #: crooked (0.5° below 5° leaves room for the estimate's error).
    tilt_error_degrees: float = 4.5
    #: Largest tilt looked for (degrees); steeper lines are not "level" lines.
    tilt_search_degrees: float = 15.0
    #: Long straight lines (total length, in long sides) needed to judge tilt.
    tilt_min_support: float = 0.25

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "PhotoLimits":
        """Build limits from ``PHOTO_<FIELD_UPPER>`` keys; other keys ignored.

        Values may be numbers or numeric strings; a bad value raises
        ``ValueError`` naming the key.
        """
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            key = "PHOTO_" + f.name.upper()
            if key not in settings:
                continue
            raw = settings[key]
            kind = type(f.default)
            try:
                if isinstance(raw, bool):
                    raise TypeError
                value = kind(float(raw)) if kind is int else kind(raw)
                if kind is int and float(raw) != int(float(raw)):
                    raise ValueError
                if not math.isfinite(float(value)) or float(value) < 0:
                    raise ValueError
            except (TypeError, ValueError):
                raise ValueError(
                    f"Cấu hình {key} không hợp lệ: {raw!r}. "
                    f"Hãy ghi một số không âm, ví dụ {key} = {f.default!r}."
                ) from None
            values[f.name] = value
        return cls(**values)
