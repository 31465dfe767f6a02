"""Vietnamese names turned into slugs and into the forms used inside sentences."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII slug: diacritics dropped, đ → d ("Thị trấn Ái Nghĩa" → "thi-tran-ai-nghia")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")


def inline_name(name: str, kind: str) -> str:
    """A unit's name as it reads mid-sentence: "Xã A Tiêng" → "xã A Tiêng"."""
    if name.startswith(kind):
        return kind.lower() + name[len(kind) :]
    return name
