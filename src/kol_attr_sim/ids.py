"""Deterministic random streams, id generators and small text generators."""

from __future__ import annotations

import zlib

import numpy as np

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_ALNUM = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", dtype=np.uint8)
_B64 = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)


def rng_for(seed: int, name: str) -> np.random.Generator:
    """An independent generator per (seed, stream name): adding a stream never shifts another."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


def random_chars(
    rng: np.random.Generator, n: int, nchars: int, alphabet: np.ndarray = _HEX, prefix: str = ""
) -> np.ndarray:
    """``n`` random strings of ``nchars`` characters from ``alphabet`` (numpy unicode array)."""
    if n == 0:
        return np.array([], dtype=f"<U{nchars + len(prefix)}")
    codes = alphabet[rng.integers(0, len(alphabet), size=(n, nchars), dtype=np.uint8)]
    out = np.frombuffer(np.ascontiguousarray(codes).tobytes(), dtype=f"S{nchars}").astype(f"<U{nchars}")
    if prefix:
        out = np.char.add(prefix, out)
    return out


def hex_ids(rng: np.random.Generator, n: int, nchars: int = 24, prefix: str = "") -> np.ndarray:
    """``n`` random lowercase hex ids (XHS user / note ids are 24 hex chars). Short ids (< 16 chars) are
    redrawn until unique; from 16 hex chars (64 bits) a collision among a million ids has probability
    below 1e-7, so the (slow) check is skipped."""
    out = random_chars(rng, n, nchars, _HEX, prefix)
    while nchars < 16 and len(np.unique(out)) < n:
        out = random_chars(rng, n, nchars, _HEX, prefix)
    return out


def alnum_ids(rng: np.random.Generator, n: int, nchars: int, prefix: str = "") -> np.ndarray:
    """Upper-case alphanumeric ids without look-alike characters."""
    return random_chars(rng, n, nchars, _ALNUM, prefix)


def b64_ids(rng: np.random.Generator, n: int, nchars: int, prefix: str = "") -> np.ndarray:
    """URL-safe base64-looking ids (WeChat openid / unionid style)."""
    return random_chars(rng, n, nchars, _B64, prefix)


def seq_ids(prefix: str, n: int, width: int = 8, start: int = 1) -> np.ndarray:
    """Sequential ids ``<prefix><zero-padded number>``."""
    nums = np.arange(start, start + n).astype(str)
    return np.char.add(prefix, np.char.zfill(nums, width))


_SURNAME = list(
    "林陈张王李刘杨黄吴周徐孙胡朱高何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_GIVEN = [
    "小鱼",
    "甜甜",
    "阿紫",
    "糖糖",
    "美美",
    "可可",
    "多多",
    "七七",
    "安安",
    "朵朵",
    "悠悠",
    "晴天",
    "米粒",
    "桃子",
    "橙子",
    "豆豆",
    "婷婷",
    "慧慧",
    "Coco",
    "Momo",
    "Lily",
    "Vivi",
    "Yuki",
    "Nana",
    "Kiki",
    "大王",
    "酱酱",
    "学姐",
    "妈妈",
    "老师",
]
_SUFFIX = [
    "",
    "",
    "",
    "的日常",
    "爱护肤",
    "Beauty",
    "_",
    "🌸",
    "✨",
    "ya",
    " 💄",
    "的宝藏",
    "研究所",
    " Official",
    "plog",
    "🍑",
    " (合作请私信)",
]


def kol_handles(rng: np.random.Generator, n: int) -> list[str]:
    """Plausible XHS nicknames: Chinese, Latin, emoji and spaces; unique within the run."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        s = (
            _SURNAME[int(rng.integers(len(_SURNAME)))]
            + _GIVEN[int(rng.integers(len(_GIVEN)))]
            + _SUFFIX[int(rng.integers(len(_SUFFIX)))]
        )
        if s in seen:
            s = f"{s}{int(rng.integers(10, 99))}"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def misspell(rng: np.random.Generator, text: str) -> str:
    """A buyer's imperfect recall of a creator name: partial, a dropped or swapped character, case."""
    choice = int(rng.integers(6))
    core = text.strip()
    if choice == 0 or len(core) < 3:
        return core
    if choice == 1:
        return core[: max(2, len(core) // 2)]
    if choice == 2:
        i = int(rng.integers(len(core)))
        return core[:i] + core[i + 1 :]
    if choice == 3:
        i = int(rng.integers(len(core) - 1))
        return core[:i] + core[i + 1] + core[i] + core[i + 2 :]
    if choice == 4:
        return core.lower() + " "
    return "那个" + core[:2] + "的博主"
