"""Speech: real synthesis to MP3, the on-disk cache, and what cannot be spoken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.japanese import speech
from app.japanese.speech import SpeechError, audio_key, cached_audio, synthesize

SENTENCE = "毎朝七時に起きて会社へ行きます"  # 15 characters

# MPEG-2 Layer III: kbit/s by the header's bitrate index, Hz by its sample-rate index.
_BITRATES = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_RATES = (22050, 24000, 16000)


def mp3_frames(data: bytes) -> list[tuple[int, int, int]]:
    """(bitrate kbit/s, sample rate, channel mode) of every frame; fails on anything else.

    Walking the frames end to end proves the whole file is one MP3 stream, and the frame
    count gives the duration without a decoder: an MPEG-2 Layer III frame is 576 samples.
    """
    offset = 0
    if data[:3] == b"ID3":
        offset = 10 + int.from_bytes(bytes(b & 0x7F for b in data[6:10]), "big")
    frames = []
    while offset < len(data):
        header = int.from_bytes(data[offset : offset + 4], "big")
        assert header >> 21 == 0x7FF, f"no frame sync at byte {offset}"
        assert (header >> 19) & 0b11 == 0b10, "not MPEG-2"
        assert (header >> 17) & 0b11 == 0b01, "not Layer III"
        bitrate = _BITRATES[(header >> 12) & 0xF]
        rate = _RATES[(header >> 10) & 0b11]
        padding = (header >> 9) & 1
        frames.append((bitrate, rate, (header >> 6) & 0b11))
        offset += 72 * bitrate * 1000 // rate + padding
    assert offset == len(data), "the last frame is cut short"
    return frames


def duration(data: bytes) -> float:
    frames = mp3_frames(data)
    return len(frames) * 576 / frames[0][1]


@pytest.fixture(scope="module")
def sentence_mp3() -> bytes:
    return synthesize(SENTENCE)


def test_output_is_a_compact_mono_mp3(sentence_mp3: bytes) -> None:
    assert sentence_mp3[:3] == b"ID3" or sentence_mp3[0] == 0xFF
    frames = mp3_frames(sentence_mp3)
    assert set(frames) == {(48, 24_000, 0b11)}  # 48 kbit/s, 24 kHz, mono
    assert 5_000 < len(sentence_mp3) < 40_000


def test_duration_fits_the_text(sentence_mp3: bytes) -> None:
    # A learner's sentence is spoken at roughly 5 to 10 characters a second, plus pauses.
    seconds = duration(sentence_mp3)
    assert len(SENTENCE) * 0.1 < seconds < len(SENTENCE) * 0.3 + 1.0
    assert duration(synthesize("はい")) < seconds / 2


def test_faster_speech_is_shorter(sentence_mp3: bytes) -> None:
    assert duration(synthesize(SENTENCE, speed=2.0)) < duration(sentence_mp3) * 0.7


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no text"),
        (" \n\t ", "no text"),
        ("あ" * 10_000, "limit is 500"),
        ("😀🎌🍣", "no Japanese"),
        ("Hello, world!", "no Japanese"),
        ("。、！？…", "no Japanese"),
    ],
)
def test_unspeakable_text_is_refused(text: str, reason: str) -> None:
    with pytest.raises(SpeechError, match=reason):
        synthesize(text)
    with pytest.raises(SpeechError, match=reason):
        cached_audio(text, Path("/nonexistent"))


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"voice": "robot"}, "unknown voice"),
        ({"speed": 0.0}, "speed"),
        ({"speed": 3.0}, "speed"),
        ({"speed": float("nan")}, "speed"),
    ],
)
def test_bad_settings_are_refused(options: dict[str, object], reason: str) -> None:
    with pytest.raises(SpeechError, match=reason):
        synthesize("はい", **options)  # type: ignore[arg-type]


def test_speech_error_is_a_value_error() -> None:
    assert issubclass(SpeechError, ValueError)


def test_the_key_depends_on_what_is_said_and_how() -> None:
    key = audio_key(SENTENCE)
    assert len(key) == 64
    assert audio_key(f"  {SENTENCE}\n") == key  # layout is not speech
    assert audio_key("ｶｲｼｬ") == audio_key("カイシャ")  # NFKC
    assert audio_key("{明日|あした}") == audio_key("あした")  # the author's reading is said
    assert audio_key(SENTENCE, speed=1.5) != key
    assert audio_key("会社へ行きます") != key


def test_cached_audio_synthesises_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cached_audio(SENTENCE, tmp_path)
    assert first.parent == tmp_path
    assert first.name == f"{audio_key(SENTENCE)}.mp3"
    mp3_frames(first.read_bytes())

    def no_synthesis(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a cache hit must not synthesise")

    monkeypatch.setattr(speech, "synthesize", no_synthesis)
    assert cached_audio(SENTENCE, tmp_path) == first
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no temporary files left


def test_different_speed_is_a_different_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speech, "synthesize", lambda text, **options: repr(options).encode())
    normal = cached_audio(SENTENCE, tmp_path)
    slow = cached_audio(SENTENCE, tmp_path, speed=0.8)
    assert normal != slow
    assert slow.read_bytes() == b"{'voice': 'default', 'speed': 0.8}"


def test_cache_writes_are_a_rename_of_a_complete_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = b"\xff\xf3" + b"x" * 5000
    monkeypatch.setattr(speech, "synthesize", lambda text, **options: audio)
    renames = []
    real_replace = os.replace

    def watching_replace(source: str, target: Path) -> None:
        # At the moment of the rename the final name does not exist yet, and the
        # temporary file beside it already holds every byte.
        assert not Path(target).exists()
        assert Path(source).parent == tmp_path / "audio"
        assert Path(source).name.startswith(".")
        assert Path(source).read_bytes() == audio
        renames.append(target)
        real_replace(source, target)

    monkeypatch.setattr(speech.os, "replace", watching_replace)
    path = cached_audio(SENTENCE, tmp_path / "audio")  # the directory is created
    assert renames == [path]
    assert path.read_bytes() == audio
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speech, "synthesize", lambda text, **options: b"\xff\xf3data")

    def full_disk(source: str, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(speech.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        cached_audio(SENTENCE, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_timing_reports_real_time_factor() -> None:
    result = speech.timing(SENTENCE)
    assert result.characters == len(SENTENCE)
    assert 1.0 < result.audio_seconds < 6.0
    assert result.mp3_bytes > 0
    assert 0 < result.real_time_factor < 1, "synthesis should be faster than real time"


def test_the_engine_loads_only_when_speech_is_asked_for(tmp_path: Path) -> None:
    """Importing the engine package, or a cache hit, must not pay for the speech engine."""
    hit = tmp_path / f"{audio_key(SENTENCE)}.mp3"
    hit.write_bytes(b"cached")
    script = f"""
import sys
from pathlib import Path
from app.japanese import furigana, speech
assert "pyopenjtalk" not in sys.modules and "fugashi" not in sys.modules
assert "numpy" not in sys.modules and "lameenc" not in sys.modules
assert speech.cached_audio({SENTENCE!r}, Path({str(tmp_path)!r})).read_bytes() == b"cached"
assert not speech.is_loaded() and "pyopenjtalk" not in sys.modules
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr


def test_the_two_listening_voices_sound_different() -> None:
    """M and F speakers in a listening script must not be the same voice."""
    from app.japanese import speech

    female = speech.synthesize("おはようございます。", voice="F")
    male = speech.synthesize("おはようございます。", voice="M")
    assert female != male
    assert speech.audio_key("はい", voice="F") != speech.audio_key("はい", voice="M")


def test_a_dialogue_joins_its_lines_in_their_speakers_voices(tmp_path) -> None:
    from app.japanese import speech

    lines = [("F", "すみません、駅はどこですか。"), ("M", "あそこです。")]
    path = speech.cached_dialogue(lines, tmp_path)
    female = speech.cached_audio(lines[0][1], tmp_path, voice="F").read_bytes()
    male = speech.cached_audio(lines[1][1], tmp_path, voice="M").read_bytes()
    assert path.read_bytes() == female + male
    assert speech.cached_dialogue(lines, tmp_path) == path  # cached
    with pytest.raises(speech.SpeechError):
        speech.cached_dialogue([], tmp_path)
