"""Font declarations that let Word and WPS substitute well, on the XML of a DOCX package (bytes in,
bytes out; ``None`` when a part needs no change):

* :func:`map_fonts` — under the 「Windows 自带字体」 set, every ``w:rFonts`` name 方正小标宋简体 /
  仿宋_GB2312 / 楷体_GB2312 becomes 宋体 / 仿宋 / 楷体 (:data:`app.exports.docmeta.WINDOWS_FACES`);
* :func:`used_fonts` — every font a part names (``w:rFonts`` ascii/hAnsi/eastAsia/cs, theme East Asian);
* :func:`font_table` — ``word/fontTable.xml`` declaring each East Asian font used with GB2312 charset
  86, family, pitch, PANOSE, signature and an ``w:altName`` (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 华文中宋 …),
  and no font of another script (ＭＳ 明朝, ＭＳ ゴシック …) left from python-docx's default template;
* :func:`theme_fonts` — the theme's East Asian fonts set (a:ea and script ``Hans``: 黑体 major, 宋体
  minor) and its Japanese / Korean / Traditional Chinese entries removed.

Imports app.exports.docmeta and app.exports.docprops (lxml lazily); no python-docx.
"""

from __future__ import annotations

from typing import NamedTuple

from app.exports.docmeta import FONT_SET_WINDOWS, WINDOWS_FACES
from app.exports.docprops import parse_xml, serialize

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
RFONT_ATTRS = tuple(f"{{{W}}}{a}" for a in ("ascii", "hAnsi", "eastAsia", "cs"))
#: Charsets of other East Asian scripts (Shift-JIS, Hangul, Johab, Big5).
FOREIGN_CHARSETS = frozenset({"80", "81", "82", "88"})
#: Theme scripts of other East Asian languages, dropped from the font scheme.
FOREIGN_SCRIPTS = frozenset({"Jpan", "Hang", "Hant"})
THEME_EA = {"majorFont": "黑体", "minorFont": "宋体"}


class FontFacts(NamedTuple):
    alt: str  # w:altName: the face Word/WPS use when this one is missing
    panose: str
    family: str  # roman | swiss | modern | script | decorative | auto
    pitch: str  # fixed | variable
    sig: tuple[str, str, str, str, str, str]  # usb0..usb3, csb0, csb1


_SIG_WIN = ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")
_SIG_SONG = ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")
_SIG_GB = ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")

#: What Windows' own font tables say of each face (altName of a Windows face is its English name).
FONT_FACTS: dict[str, FontFacts] = {
    "宋体": FontFacts("SimSun", "02010600030101010101", "auto", "variable", _SIG_SONG),
    "新宋体": FontFacts("NSimSun", "02010609030101010101", "modern", "fixed", _SIG_SONG),
    "黑体": FontFacts("SimHei", "02010609060101010101", "modern", "fixed", _SIG_WIN),
    "仿宋": FontFacts("FangSong", "02010609060101010101", "modern", "fixed", _SIG_WIN),
    "楷体": FontFacts("KaiTi", "02010609060101010101", "modern", "fixed", _SIG_WIN),
    "仿宋_GB2312": FontFacts("仿宋", "02010609030101010101", "modern", "fixed", _SIG_GB),
    "楷体_GB2312": FontFacts("楷体", "02010609030101010101", "modern", "fixed", _SIG_GB),
    "方正小标宋简体": FontFacts("华文中宋", "02000000000000000000", "roman", "variable", _SIG_GB),
    "方正小标宋_GBK": FontFacts("华文中宋", "02000000000000000000", "roman", "variable", _SIG_GB),
    "华文中宋": FontFacts("宋体", "02010600040101010101", "auto", "variable", _SIG_GB),
    "华文仿宋": FontFacts("仿宋", "02010600040101010101", "auto", "variable", _SIG_GB),
    "华文楷体": FontFacts("楷体", "02010600040101010101", "auto", "variable", _SIG_GB),
    "微软雅黑": FontFacts("Microsoft YaHei", "020B0503020204020204", "swiss", "variable", _SIG_WIN),
    "等线": FontFacts("DengXian", "02010600030101010101", "auto", "variable", _SIG_WIN),
}
#: English names of the same faces (a template edited in an English Word may use them).
ENGLISH_NAMES = {"SimSun": "宋体", "NSimSun": "新宋体", "SimHei": "黑体", "FangSong": "仿宋", "KaiTi": "楷体",
                 "STZhongsong": "华文中宋", "STFangsong": "华文仿宋", "STKaiti": "华文楷体",
                 "Microsoft YaHei": "微软雅黑", "DengXian": "等线", "FangSong_GB2312": "仿宋_GB2312",
                 "KaiTi_GB2312": "楷体_GB2312"}


def is_cjk_name(name: str) -> bool:
    """A font declared as GB2312 (charset 86): any non-ASCII name, or the English name of a Chinese face."""
    return not name.isascii() or name in ENGLISH_NAMES


def facts_for(name: str) -> FontFacts:
    """The declaration of ``name``; an unknown Chinese face gets 宋体's, with the closest Windows face
    (黑体 / 楷体 / 仿宋 / 宋体) as its altName."""
    if name in FONT_FACTS:
        return FONT_FACTS[name]
    if name in ENGLISH_NAMES:
        chinese = ENGLISH_NAMES[name]
        return FONT_FACTS.get(chinese, FONT_FACTS["宋体"])._replace(alt=chinese)
    for key, face in (("黑", "黑体"), ("楷", "楷体"), ("仿宋", "仿宋")):
        if key in name:
            return FONT_FACTS[face]._replace(alt=face)
    return FONT_FACTS["宋体"]._replace(alt="宋体")


def map_fonts(data: bytes, font_set: str) -> bytes | None:
    """A WordprocessingML part with its ``w:rFonts`` names mapped for ``font_set``; ``None`` if unchanged."""
    if font_set != FONT_SET_WINDOWS or not any(n.encode() in data for n in WINDOWS_FACES):
        return None
    root = parse_xml(data)
    changed = False
    for rfonts in root.iter(f"{{{W}}}rFonts"):
        for attr in RFONT_ATTRS:
            name = rfonts.get(attr)
            if name in WINDOWS_FACES:
                rfonts.set(attr, WINDOWS_FACES[name])
                changed = True
    return serialize(root) if changed else None


def used_fonts(data: bytes) -> list[str]:
    """Font names a WordprocessingML or theme part uses, in order of first use."""
    if b"rFonts" not in data and b"typeface" not in data:
        return []
    root = parse_xml(data)
    names: dict[str, None] = {}
    for rfonts in root.iter(f"{{{W}}}rFonts"):
        for attr in RFONT_ATTRS:
            if rfonts.get(attr):
                names[rfonts.get(attr)] = None
    for tag in ("ea", "font"):
        for el in root.iter(f"{{{A}}}{tag}"):
            face = el.get("typeface")
            if face and (tag == "ea" or el.get("script") == "Hans"):
                names[face] = None
    return list(names)


def _font_el(name: str):
    from lxml import etree

    facts = facts_for(name)
    font = etree.Element(f"{{{W}}}font", {f"{{{W}}}name": name})
    for tag, val in (("altName", facts.alt), ("panose1", facts.panose), ("charset", "86"),
                     ("family", facts.family), ("pitch", facts.pitch)):
        etree.SubElement(font, f"{{{W}}}{tag}", {f"{{{W}}}val": val})
    keys = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
    etree.SubElement(font, f"{{{W}}}sig", {f"{{{W}}}{k}": v for k, v in zip(keys, facts.sig, strict=True)})
    return font


def font_table(data: bytes | None, used: list[str]) -> bytes:
    """``word/fontTable.xml``: the Latin fonts already declared, then one GB2312 declaration for every
    East Asian font in ``used``; no font of another East Asian script."""
    from lxml import etree

    if data is None:
        root = etree.Element(f"{{{W}}}fonts", nsmap={"w": W})
    else:
        root = parse_xml(data)
    kept = []
    for font in list(root.findall(f"{{{W}}}font")):
        name = font.get(f"{{{W}}}name") or ""
        charset = font.find(f"{{{W}}}charset")
        foreign = charset is not None and (charset.get(f"{{{W}}}val") or "").upper() in FOREIGN_CHARSETS
        root.remove(font)
        if not foreign and not is_cjk_name(name):
            kept.append(font)
    for font in kept:
        root.append(font)
    for name in dict.fromkeys(used):
        if is_cjk_name(name):
            root.append(_font_el(name))
    return serialize(root)


def theme_fonts(data: bytes) -> bytes | None:
    """The theme with East Asian fonts 黑体 (major) / 宋体 (minor) for ``a:ea`` and script Hans, and no
    Japanese, Korean or Traditional Chinese script fonts; ``None`` if already so."""
    from lxml import etree

    root = parse_xml(data)
    changed = False
    for scheme in root.iter(f"{{{A}}}fontScheme"):
        for which, face in THEME_EA.items():
            group = scheme.find(f"{{{A}}}{which}")
            if group is None:
                continue
            ea = group.find(f"{{{A}}}ea")
            if ea is None:
                ea = etree.SubElement(group, f"{{{A}}}ea")
                latin = group.find(f"{{{A}}}latin")
                if latin is not None:
                    latin.addnext(ea)
            if ea.get("typeface") != face:
                ea.set("typeface", face)
                changed = True
            hans = None
            for font in group.findall(f"{{{A}}}font"):
                script = font.get("script")
                if script in FOREIGN_SCRIPTS:
                    group.remove(font)
                    changed = True
                elif script == "Hans":
                    hans = font
            if hans is None:
                hans = etree.SubElement(group, f"{{{A}}}font", script="Hans")
            if hans.get("typeface") != face:
                hans.set("typeface", face)
                changed = True
    return serialize(root) if changed else None
