"""Speech: Japanese text to a small MP3, cached on disk by a hash of what it says.

The engine is pyopenjtalk-plus (OpenJTalk and an HTS voice). Its wheel carries the
OpenJTalk dictionary and the voice, so nothing is downloaded at run time; the optional
models it could fetch (tsqyomi, marine) are not installed and not asked for.

The engine is imported on the first synthesis, never at import of this module. Loading it
costs about 45 MB resident and synthesising another 45 MB, and most processes never
synthesise: the API, and web workers that serve audio already in the cache. That keeps a
worker with the whole language engine in use under its 200 MB budget. For the same
reason pyopenjtalk-plus's Sudachi reading correction is switched off: it would load a
second dictionary of about 130 MB.

Audio is a pure function of (engine version, encoding, voice, speed, normalised text), so
each host caches it under the SHA-256 of those and no shared file store is needed. Files
are written to a temporary name and renamed, so gunicorn workers sharing a directory never
see half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import math
import os
import re
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from app.japanese.furigana import plain_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "MAX_CHARS",
    "VOICES",
    "SpeechError",
    "SynthesisTiming",
    "audio_key",
    "cached_audio",
    "cached_dialogue",
    "is_loaded",
    "real_time_factor",
    "synthesize",
    "timing",
]

log = logging.getLogger(__name__)

MAX_CHARS = 500  # a listening script is a few sentences; more is a mistake or abuse
MIN_SPEED, MAX_SPEED = 0.5, 2.0
# The wheel carries one voice (Mei, normal). Listening scripts need two speakers that
# sound different, so M is Mei shifted down seven semitones, a clearly lower voice.
VOICES = {"default": 0.0, "F": 0.0, "M": -7.0}  # voice → pitch shift in semitones
SAMPLE_RATE = 24_000  # speech needs nothing above 12 kHz; MPEG-2 Layer III plays everywhere
BITRATE_KBPS = 48
# Part of every cache key: change it whenever the bytes for the same text would change.
FORMAT = f"mp3-{SAMPLE_RATE}-{BITRATE_KBPS}k-mono-v1"

_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]")
_lock = threading.Lock()
_engine: ModuleType | None = None


class SpeechError(ValueError):
    """The text cannot be spoken: empty, too long, nothing Japanese, or a bad setting."""


@dataclass(frozen=True, slots=True)
class SynthesisTiming:
    """Where the time goes for one text, for benchmarks and the bench target."""

    characters: int
    synthesis_seconds: float
    encoding_seconds: float
    audio_seconds: float
    mp3_bytes: int

    @property
    def real_time_factor(self) -> float:
        """Seconds of work per second of audio: below 1 is faster than real time."""
        return (self.synthesis_seconds + self.encoding_seconds) / self.audio_seconds


def is_loaded() -> bool:
    """Whether this process has imported the speech engine (it should only once asked)."""
    return _engine is not None


@cache
def engine_version() -> str:
    """The engine's version, read from its metadata so a cache hit never imports it."""
    return version("pyopenjtalk-plus")


def _load_engine() -> ModuleType:
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                # Without onnxruntime the engine prints a warning to stdout on import (its
                # 何 model is off, and we do not use it); keep stdout for our CLI's output.
                with contextlib.redirect_stdout(io.StringIO()) as chatter:
                    import pyopenjtalk
                if chatter.getvalue().strip():
                    log.debug("pyopenjtalk said on import: %s", chatter.getvalue().strip())
                _engine = pyopenjtalk
    return _engine


def _normalise(text: str, voice: str, speed: float) -> str:
    """The text as it will be spoken, or SpeechError if it cannot be.

    Author furigana is replaced by its reading, so audio says what the page shows above
    the kanji; NFKC folds full-width letters and half-width kana; runs of whitespace
    become one space, so reflowed text is the same audio.
    """
    if voice not in VOICES:
        raise SpeechError(f"unknown voice {voice!r}; choose one of {sorted(VOICES)}")
    if not (math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED):
        raise SpeechError(f"speed must be between {MIN_SPEED} and {MAX_SPEED}, not {speed}")
    spoken = " ".join(unicodedata.normalize("NFKC", plain_text(text, use_readings=True)).split())
    if not spoken:
        raise SpeechError("there is no text to speak")
    if len(spoken) > MAX_CHARS:
        raise SpeechError(f"the text is {len(spoken)} characters; the limit is {MAX_CHARS}")
    if _JAPANESE.search(spoken) is None:
        raise SpeechError("the text has no Japanese to speak")
    return spoken


def audio_key(text: str, *, voice: str = "default", speed: float = 1.0) -> str:
    """The cache key (hex SHA-256) of this text's audio; raises SpeechError like synthesis."""
    spoken = _normalise(text, voice, speed)
    parts = (FORMAT, engine_version(), voice, f"{speed:.2f}", spoken)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _render(spoken: str, speed: float, voice: str = "default") -> tuple[npt.NDArray[np.int16], int]:
    """Synthesise normalised text to 16-bit mono samples at the engine's own rate."""
    import numpy as np

    engine = _load_engine()
    wave, rate = engine.tts(
        spoken,
        speed=speed,
        half_tone=VOICES[voice],
        use_sudachi_kanji_yomi=False,
        predict_nani=False,
    )
    if len(wave) == 0:
        raise SpeechError("the engine produced no sound for this text")
    return np.clip(np.rint(wave), -32768, 32767).astype(np.int16), int(rate)


def _downsample(samples: npt.NDArray[np.int16], rate: int) -> tuple[npt.NDArray[np.int16], int]:
    """Halve (or divide by any whole factor) the rate, low-pass first so nothing aliases.

    A 63-tap windowed-sinc filter at 90% of the new Nyquist frequency: plenty for speech,
    and numpy is all it needs. Rates that are not a whole multiple are left to LAME as is.
    """
    import numpy as np

    factor, remainder = divmod(rate, SAMPLE_RATE)
    if remainder or factor <= 1:
        return samples, rate
    cutoff = 0.9 / (2 * factor)  # in cycles per input sample
    taps = np.arange(63) - 31
    kernel = 2 * cutoff * np.sinc(2 * cutoff * taps) * np.blackman(63)
    filtered = np.convolve(samples.astype(np.float64), kernel / kernel.sum(), mode="same")
    out = np.clip(np.rint(filtered[::factor]), -32768, 32767).astype(np.int16)
    return out, rate // factor


def _encode(samples: npt.NDArray[np.int16], rate: int) -> bytes:
    """Mono constant-bitrate MP3: every browser plays it, and 48 kbit/s is ample for a voice."""
    import lameenc

    samples, rate = _downsample(samples, rate)
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(rate)
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_quality(5)  # LAME's default "good"; 2 costs twice the time for no audible gain
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())


def synthesize(text: str, *, voice: str = "default", speed: float = 1.0) -> bytes:
    """Speak Japanese text and return MP3 bytes; raises SpeechError for unspeakable input.

    ``speed`` above 1 is faster (0.5 to 2.0). Author furigana ``{漢字|かんじ}`` is read
    as written. Use :func:`cached_audio` in the app: synthesis takes a few hundred ms.
    """
    spoken = _normalise(text, voice, speed)
    return _encode(*_render(spoken, speed, voice))


def timing(text: str, *, voice: str = "default", speed: float = 1.0) -> SynthesisTiming:
    """Synthesise once and report where the time went (the engine loads first, untimed)."""
    spoken = _normalise(text, voice, speed)
    _load_engine()
    started = time.perf_counter()
    samples, rate = _render(spoken, speed, voice)
    rendered = time.perf_counter()
    mp3 = _encode(samples, rate)
    encoded = time.perf_counter()
    return SynthesisTiming(
        characters=len(spoken),
        synthesis_seconds=rendered - started,
        encoding_seconds=encoded - rendered,
        audio_seconds=len(samples) / rate,
        mp3_bytes=len(mp3),
    )


def real_time_factor(text: str, *, voice: str = "default", speed: float = 1.0) -> float:
    """Seconds of work per second of audio for this text (below 1 is faster than real time)."""
    return timing(text, voice=voice, speed=speed).real_time_factor


def cached_audio(text: str, cache_dir: Path, *, voice: str = "default", speed: float = 1.0) -> Path:
    """The path of this text's MP3 in ``cache_dir``, synthesising it on a miss.

    A hit costs a hash and a stat and never loads the engine. Workers racing on the same
    miss each write a temporary file and rename it into place; the bytes are identical,
    so whichever rename lands last is as good as the first.
    """
    path = Path(cache_dir) / f"{audio_key(text, voice=voice, speed=speed)}.mp3"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, synthesize(text, voice=voice, speed=speed))
    return path


def cached_dialogue(lines: list[tuple[str, str]], cache_dir: Path, *, speed: float = 1.0) -> Path:
    """One MP3 for a script of (voice, text) lines, such as a listening item's dialogue:
    each line in its speaker's voice, one after the other.

    MP3 is a stream of frames, so the lines' files join into one playable file; each line
    is cached on its own too, so a line shared by two scripts is synthesised once.
    """
    if not lines:
        raise SpeechError("a dialogue needs at least one line")
    parts = [cached_audio(text, cache_dir, voice=voice, speed=speed) for voice, text in lines]
    key = hashlib.sha256("\x1f".join(p.stem for p in parts).encode()).hexdigest()
    path = Path(cache_dir) / f"dialogue-{key}.mp3"
    if not path.is_file():
        _write_atomically(path, b"".join(p.read_bytes() for p in parts))
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, then rename over ``path``.

    A rename within one file system is atomic: readers see no file or the whole file.
    The temporary name starts with a dot so a crash leaves nothing that looks like audio.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; a web server may serve these
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
