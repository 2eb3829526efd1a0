"""``python -m app.japanese``: the language engine on the command line.

grade and conjugate read JSON Lines on standard input and write one JSON line per input
line (GRADING.md), so tests, benchmarks and outside tools can work in bulk without the
web app. furigana and speak work on one text given as an argument.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.japanese import conjugation, furigana, speech
from app.japanese.checker import grade_jsonl


def _write_lines(lines: Iterator[str]) -> None:
    for line in lines:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _stdin_lines() -> Iterable[str]:
    # Lines arrive as UTF-8 whatever the terminal's locale says.
    return (line for line in sys.stdin.buffer.read().decode("utf-8", "replace").splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.japanese", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("grade", help="grade JSON Lines of answers from standard input")
    commands.add_parser("conjugate", help="conjugate JSON Lines of words from standard input")
    ruby = commands.add_parser("furigana", help="show a text with furigana")
    ruby.add_argument("text")
    ruby.add_argument("--html", action="store_true", help="print <ruby> HTML")
    speak = commands.add_parser("speak", help="synthesise a text as speech")
    speak.add_argument("text")
    speak.add_argument("-o", "--output", required=True, type=Path, help="file to write (MP3)")
    speak.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args(argv)

    if args.command == "grade":
        _write_lines(grade_jsonl(_stdin_lines()))
    elif args.command == "conjugate":
        _write_lines(conjugation.conjugate_jsonl(_stdin_lines()))
    elif args.command == "furigana":
        if args.html:
            print(furigana.to_html(args.text))
        else:
            print(
                " ".join(
                    f"{s.text}[{s.reading}]" if s.reading else s.text
                    for s in furigana.segments(args.text)
                )
            )
    elif args.command == "speak":
        try:
            args.output.write_bytes(speech.synthesize(args.text, speed=args.speed))
        except speech.SpeechError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
