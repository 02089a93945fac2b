"""A synthetic study in the real findings format, of any size, for benchmarks and scale tests.

`python -m generator synth --quotes N --out DIR` writes DIR/*.yaml: a study in two languages
(Bahasa Indonesia at the root, English as the translation) shaped like a real interview
study: five framework indicators, informants and interview dates that grow with the number
of quotes, quotes of realistic length with translations and interpretations (some citing
references), the gaps a real source has (unnamed informants, cut-off dates and quotes,
missing interpretations), chapters and sections that place a few quotes and leave the rest
to be appended to their indicator's results, a figure, conclusions, recommendations and
references.  The same N and seed always give the same bytes.

The text is random words from two small vocabularies: it reads like nothing, but it has the
length, the characters (Markdown-significant ones included) and the spread of the real thing.
"""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.load import load_findings
from generator.model import build_model
from generator.translations import Lock, lock_path, mark_reviewed, translation_status, write_lock


def _vocabulary(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ID_WORDS = _vocabulary(
    """
    kami kita mereka pelatihan masyarakat desa pemerintah dinas usaha kecil menengah
    koperasi modal bantuan peralatan pemasaran produk abon ikan menjahit kerajinan dialog
    tatap muka kepercayaan komitmen pemahaman bersama hasil kegiatan peserta pelatih
    lanjutan tindaklanjut pendampingan kredit lunak bank swasta lembaga swadaya kelompok ibu
    bapak warga kecamatan kabupaten tahun lalu sekarang nanti sudah belum pernah selalu
    kadang kurang cukup sangat juga tapi karena supaya kalau sampai mandiri produktif
    berdaya keterampilan kewirausahaan ekonomi kreatif program anggaran laporan rapat
    musyawarah informasi grup WA harga pasar jual beli untung rugi waktu teori praktek
    teknik baru lama sebentar banyak sedikit memang itu ini yang dan atau dengan untuk dari
    pada dalam oleh seperti misalnya terus
    """
)
_EN_WORDS = _vocabulary(
    """
    we they the community village government office small medium enterprise cooperative
    capital support equipment marketing product floss fish sewing craft dialogue face trust
    commitment shared understanding outcome activity participant trainer follow-up mentoring
    soft loan bank private organisation group mothers fathers residents district regency
    last year now later already not yet ever always sometimes too little enough very also
    but because so that if until self-reliant productive empowered skills entrepreneurship
    economy creative programme budget report meeting deliberation information chat price
    market sell buy profit loss time theory practice technique new long short many few
    indeed that this which and or with for from on in by like for example keep going
    """
)
# Characters a real quote may hold that mean something to Markdown or HTML.
_ODD_TOKENS = ("&", "*", "#1", "50%", "(abon)", "[sic]", "Rp.500.000,-", "_", "'kita'", '"ya"')

INDICATORS = (
    ("face-to-face-dialogue", "Dialog tatap muka", "Face-to-face dialogue"),
    ("trust-building", "Membangun kepercayaan", "Trust building"),
    ("commitment-to-process", "Komitmen pada proses", "Commitment to process"),
    ("shared-understanding", "Pemahaman bersama", "Shared understanding"),
    ("intermediate-outcomes", "Hasil antara", "Intermediate outcomes"),
)
GROUPS = ("government", "ngo", "community", "private-sector", "academia")
_GROUP_ROLES = {
    "government": ("Pegawai dinas", "Official of the office"),
    "ngo": ("Pengurus LSM", "Board member of the NGO"),
    "community": ("Peserta pelatihan", "Training participant"),
    "private-sector": ("Pemilik usaha", "Business owner"),
    "academia": ("Dosen pendamping", "Accompanying lecturer"),
}
FRAMEWORK_REFERENCE = "ansell-gash-2008"


@dataclass(frozen=True)
class SynthSize:
    """How many of each thing a study of `quotes` quotes has."""

    quotes: int

    @property
    def informants(self) -> int:
        return max(4, self.quotes // 20)

    @property
    def references(self) -> int:
        return max(6, self.quotes // 200)

    @property
    def recommendations(self) -> int:
        return max(3, min(40, self.quotes // 250))

    @property
    def placed_per_indicator(self) -> int:
        """Quotes each results section places explicitly; the rest are appended."""
        return min(3, self.quotes // len(INDICATORS))


class _Writer:
    def __init__(self, quotes: int, seed: int) -> None:
        self.size = SynthSize(quotes)
        self.rng = random.Random(seed)

    # --- text ---------------------------------------------------------------------------

    def words(self, bank: tuple[str, ...] | list[str], low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        picked = [self.rng.choice(bank) for _ in range(count)]
        if self.rng.random() < 0.3:
            # Never first: "#1" opening a Markdown paragraph would be a heading.
            picked.insert(self.rng.randint(1, len(picked)), self.rng.choice(_ODD_TOKENS))
        return " ".join(picked)

    def sentences(self, bank: list[str], low: int, high: int, cite: bool = False) -> str:
        """Prose of `low`..`high` words in sentences; sometimes with a citation."""
        total = self.rng.randint(low, high)
        out: list[str] = []
        while total > 0:
            n = min(total, self.rng.randint(8, 20))
            sentence = self.words(bank, n, n)
            out.append(sentence[0].upper() + sentence[1:] + ".")
            total -= n
        if cite and self.rng.random() < 0.25:
            reference = self.reference_id(self.rng.randrange(self.size.references))
            out[-1] = out[-1][:-1] + f" [@{reference}, {self.rng.randint(1, 300)}]."
        return " ".join(out)

    def reference_id(self, n: int) -> str:
        return FRAMEWORK_REFERENCE if n == 0 else f"author{n:04d}-{2000 + n % 20}"

    def localized(self, low: int, high: int, cite: bool = False) -> dict[str, str]:
        return {
            "id": self.sentences(list(_ID_WORDS), low, high, cite),
            "en": self.sentences(list(_EN_WORDS), low, high, cite),
        }

    # --- the study ----------------------------------------------------------------------

    def study(self) -> dict[str, Any]:
        return {
            "languages": {
                "source": {"code": "id", "name": "Bahasa Indonesia"},
                "translations": [{"code": "en", "name": "English"}],
            },
            "study": {
                "short_title": {
                    "id": f"Studi sintetis ({self.size.quotes} kutipan)",
                    "en": f"Synthetic study ({self.size.quotes} quotes)",
                },
                "title": {
                    "id": f"Tata kelola kolaboratif dalam {self.size.quotes} kutipan wawancara",
                    "en": f"Collaborative governance in {self.size.quotes} interview quotes",
                },
                "authors": [
                    {
                        "name": "Peneliti Sintetis",
                        "affiliation": {"id": "Universitas Contoh", "en": "Example University"},
                    }
                ],
                "year": "2020",
                "publication": {"type": "report", "venue": {"gap": "not-stated"}},
                "keywords": [
                    {"id": "Tata kelola kolaboratif", "en": "Collaborative governance"},
                    {"id": "Kewirausahaan", "en": "Entrepreneurship"},
                ],
                "abstract": self.localized(120, 200),
            },
            "framework": {
                "name": {
                    "id": "Tata kelola kolaboratif (Ansell & Gash, 2008)",
                    "en": "Collaborative governance (Ansell & Gash, 2008)",
                },
                "reference": FRAMEWORK_REFERENCE,
            },
        }

    def indicators(self) -> dict[str, Any]:
        return {
            "indicators": [
                {
                    "id": key,
                    "name": {"id": name_id, "en": name_en},
                    "definition": self.localized(25, 45),
                }
                for key, name_id, name_en in INDICATORS
            ]
        }

    def informants(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        start = datetime.date(2018, 1, 1)
        # Interview days grow with the study: about one day for every five informants.
        days = max(3, self.size.informants // 5)
        calendar = sorted(
            {start + datetime.timedelta(days=self.rng.randrange(730)) for _ in range(days)}
        )
        entries = []
        for n in range(self.size.informants):
            group = self.rng.choice(GROUPS)
            role_id, role_en = _GROUP_ROLES[group]
            initials = "".join(self.rng.choice("ABDEFHIJKLMNRSTUWY") for _ in range(2))
            dates = sorted(self.rng.sample(calendar, self.rng.randint(1, min(3, len(calendar)))))
            entry: dict[str, Any] = {
                "id": f"informant-{n + 1:04d}",
                "code": f"{initials}-{n + 1}",
                "role": {"id": f"{role_id} {n + 1}", "en": f"{role_en} {n + 1}"},
                "group": group,
                "interviews": [d.isoformat() for d in dates],
            }
            if group == "community":
                entry["initials"] = initials
            entries.append(entry)
        return {"informants": entries}, entries

    def quotes(
        self, informants: list[dict[str, Any]]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        entries = []
        for n in range(self.size.quotes):
            key = INDICATORS[n % len(INDICATORS)][0]
            informant = self.rng.choice(informants)
            quote: dict[str, Any] = {"id": f"q-{key.split('-')[0]}-{n + 1:05d}", "indicator": key}
            roll = self.rng.random()
            if roll < 0.02:
                quote["informant"] = {
                    "gap": "not-stated",
                    "note": {
                        "id": "Sumber tidak menyebut siapa yang mengatakan ini.",
                        "en": "The source does not say who said this.",
                    },
                }
                quote["date"] = self.rng.choice(informant["interviews"])
            else:
                quote["informant"] = informant["id"]
                if roll < 0.04:
                    quote["date"] = {"gap": "cut-off"}
                else:
                    quote["date"] = self.rng.choice(informant["interviews"])
            if self.rng.random() < 0.01:
                quote["text"] = {
                    "gap": "cut-off",
                    "note": {
                        "id": "Kutipan terpotong di sumber.",
                        "en": "The quote is cut off in the source.",
                    },
                }
            else:
                text = self.words(_ID_WORDS, 25, 70)
                quote["text"] = text
                quote["translation"] = {"en": self.words(_EN_WORDS, 25, 70)}
            if self.rng.random() < 0.03:
                quote["interpretation"] = {"gap": "not-in-source"}
            else:
                quote["interpretation"] = self.localized(50, 110, cite=True)
            entries.append(quote)
        return {"quotes": entries}, entries

    def paper(self, quotes: list[dict[str, Any]]) -> dict[str, Any]:
        def text(low: int, high: int, cite: bool = True) -> dict[str, Any]:
            return {"text": self.localized(low, high, cite)}

        results = []
        for number, (key, name_id, name_en) in enumerate(INDICATORS, start=1):
            body: list[dict[str, Any]] = [text(60, 120)]
            own = [q for q in quotes if q["indicator"] == key][: self.size.placed_per_indicator]
            for quote in own:
                body.append({"quote": quote["id"]})
                body.append(text(20, 40, cite=False))
            if number == 1:
                body.append({"figure": "collaboration-flow"})
            results.append(
                {
                    "id": f"results-{key}",
                    "number": f"3.{number}",
                    "title": {"id": name_id, "en": name_en},
                    "indicator": key,
                    "body": body,
                }
            )
        return {
            "chapters": [
                {
                    "id": "introduction",
                    "number": "1",
                    "title": {"id": "Pendahuluan", "en": "Introduction"},
                    "sections": [
                        {
                            "id": "background",
                            "number": "1.1",
                            "title": {"id": "Latar Belakang", "en": "Background"},
                            "body": [text(150, 250), text(100, 200)],
                        },
                        {
                            "id": "problem-statement",
                            "number": "1.2",
                            "title": {"id": "Rumusan Masalah", "en": "Problem statement"},
                            "body": [text(30, 60, cite=False)],
                        },
                    ],
                },
                {
                    "id": "method",
                    "number": "2",
                    "title": {"id": "Metode Penelitian", "en": "Research method"},
                    "sections": [
                        {
                            "id": "research-subjects",
                            "number": "2.1",
                            "title": {"id": "Subyek Penelitian", "en": "Research subjects"},
                            "body": [text(40, 80), {"include": "informants"}],
                        },
                        {
                            "id": "research-focus",
                            "number": "2.2",
                            "title": {"id": "Fokus Penelitian", "en": "Research focus"},
                            "body": [text(20, 40, cite=False), {"include": "indicators"}],
                        },
                        {
                            "id": "data-analysis",
                            "number": "2.3",
                            "title": {"id": "Teknik Analisis Data", "en": "Data analysis"},
                            "body": [text(100, 200)],
                        },
                    ],
                },
                {
                    "id": "results",
                    "number": "3",
                    "title": {"id": "Hasil Penelitian", "en": "Research results"},
                    "body": [text(60, 120)],
                    "sections": results,
                },
                {
                    "id": "discussion",
                    "number": "4",
                    "title": {"id": "Pembahasan", "en": "Discussion"},
                    "sections": [
                        {
                            "id": "discussion-of-results",
                            "title": {"id": "Pembahasan Hasil", "en": "Discussion of the results"},
                            "page": True,
                            "body": [text(200, 300), text(200, 300)],
                        }
                    ],
                },
                {
                    "id": "conclusions",
                    "number": "5",
                    "title": {
                        "id": "Kesimpulan dan Saran",
                        "en": "Conclusions and recommendations",
                    },
                    "sections": [
                        {
                            "id": "conclusion",
                            "number": "5.1",
                            "title": {"id": "Kesimpulan", "en": "Conclusions"},
                            "body": [text(20, 40, cite=False), {"include": "conclusions"}],
                        },
                        {
                            "id": "recommendations",
                            "number": "5.2",
                            "title": {"id": "Saran", "en": "Recommendations"},
                            "body": [{"include": "recommendations"}],
                        },
                    ],
                },
            ]
        }

    def figures(self) -> dict[str, Any]:
        steps = (
            ("government", "Pemerintah", "Government"),
            ("training", "Pelatihan", "Training"),
            ("mentoring", "Pendampingan", "Mentoring"),
            ("loans", "Kredit lunak", "Soft loans"),
            ("self-reliance", "Usaha mandiri", "Self-reliant business"),
        )
        return {
            "figures": [
                {
                    "id": "collaboration-flow",
                    "number": "1",
                    "caption": {"id": "Alur kolaborasi", "en": "Collaboration flow"},
                    "description": self.localized(30, 50),
                    "source_note": {
                        "id": "Data sintetis.",
                        "en": "Synthetic data.",
                    },
                    "nodes": [{"id": k, "label": {"id": i, "en": e}} for k, i, e in steps],
                    "edges": [{"from": a[0], "to": b[0]} for a, b in itertools.pairwise(steps)],
                }
            ]
        }

    def conclusions(self, quotes: list[dict[str, Any]]) -> dict[str, Any]:
        recommendations = []
        for n in range(self.size.recommendations):
            evidence = self.rng.sample(quotes, min(3, len(quotes)))
            recommendations.append(
                {
                    "id": f"recommendation-{n + 1}",
                    "text": self.localized(20, 50, cite=False),
                    "rests_on": {
                        "indicators": [self.rng.choice(INDICATORS)[0]],
                        "quotes": [q["id"] for q in evidence],
                    },
                }
            )
        return {
            "conclusions": [
                {"indicator": key, "text": self.localized(40, 80)} for key, _, _ in INDICATORS
            ],
            "recommendations": recommendations,
        }

    def references(self) -> dict[str, Any]:
        entries: list[dict[str, Any]] = [
            {
                "id": FRAMEWORK_REFERENCE,
                "authors": ["Ansell, C.", "Gash, A."],
                "year": "2008",
                "title": "Collaborative Governance in Theory and Practice",
                "container": "Journal of Public Administration Research and Theory",
                "pages": "543-571",
            }
        ]
        for n in range(1, self.size.references):
            reference_id = self.reference_id(n)
            entry: dict[str, Any] = {
                "id": reference_id,
                "authors": [f"Author{n:04d}, {self.rng.choice('ABCDEFGH')}."],
                "year": reference_id.rsplit("-", 1)[1],
            }
            if n % 3 == 0:
                entry["title"] = {
                    "gap": "not-in-source",
                    "note": {
                        "id": "Daftar pustaka tidak ada di sumber.",
                        "en": "The source has no reference list.",
                    },
                }
            else:
                entry["title"] = self.words(_EN_WORDS, 4, 10).capitalize()
            entries.append(entry)
        return {"references": entries}


class _Dumper(yaml.SafeDumper):
    """Plain YAML: the findings loader refuses anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def synthesize(quotes: int, seed: int = 1) -> dict[str, dict[str, Any]]:
    """The synthetic study as the data of each findings file, keyed by file name."""
    if quotes < len(INDICATORS):
        raise ValueError(f"a synthetic study needs at least {len(INDICATORS)} quotes")
    writer = _Writer(quotes, seed)
    informants_file, informants = writer.informants()
    quotes_file, quote_entries = writer.quotes(informants)
    return {
        "study.yaml": writer.study(),
        "indicators.yaml": writer.indicators(),
        "informants.yaml": informants_file,
        "quotes.yaml": quotes_file,
        "paper.yaml": writer.paper(quote_entries),
        "figures.yaml": writer.figures(),
        "conclusions.yaml": writer.conclusions(quote_entries),
        "references.yaml": writer.references(),
    }


def write_synthetic_study(out: Path, quotes: int, seed: int = 1) -> list[Path]:
    """Write the synthetic study's findings files into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in synthesize(quotes, seed).items():
        path = out / name
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=96)
        header = f"# Synthetic findings ({quotes} quotes, seed {seed}): python -m generator synth\n"
        path.write_text(header + text, encoding="utf-8")
        written.append(path)
    written.append(_write_translations_lock(out))
    return written


def _write_translations_lock(out: Path) -> Path:
    """Its translations are reviewed by construction: record them, as a real study would."""
    findings = build_model(load_findings(out))
    entries, _ = mark_reviewed(translation_status(findings, Lock({}, exists=False)), Lock({}), None)
    write_lock(lock_path(out), entries)
    return lock_path(out)
