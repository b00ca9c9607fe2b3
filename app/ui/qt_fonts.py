"""Make sure Qt can draw Simplified Chinese, and use one CJK sans family for the whole UI.

The office PC normally has its own Chinese fonts (Windows: 微软雅黑 / 宋体 / 黑体), and those are used as they
are. Only when none is installed (a bare Linux box, CI, the offscreen test platform) do we register the
bundled Noto Sans SC / Noto Serif SC from ``pylopdf-fonts-zh-cn`` (OFL-1.1), because without a CJK font
every Hanzi is drawn as an empty box. An SC-only font also avoids Qt picking the Japanese face of a
pan-CJK font when the locale is not Chinese (see docs: toolchain §3).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

# In order of preference. Windows may report the localised names, so both spellings are listed.
SYSTEM_CJK_SANS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "思源黑体",
    "WenQuanYi Micro Hei",
    "文泉驿微米黑",
    "DengXian",
    "等线",
    "SimHei",
    "黑体",
    "SimSun",
    "宋体",
)

BUNDLED_SANS_FAMILY = "Noto Sans SC"




def _log():
    import logging  # only when something is worth logging: keeps it off the start-up path

    return logging.getLogger(__name__)

def _has_family(family: str) -> bool:
    # hasFamily looks one family up; it avoids listing every installed font (slow on some Windows PCs).
    return QFontDatabase.hasFamily(family) and (
        QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    )


def find_system_cjk_family() -> str | None:
    """The first preferred CJK sans family already installed, or ``None``."""
    for family in SYSTEM_CJK_SANS:
        if _has_family(family):
            return family
    return None


def _add_font(path: str) -> list[str]:
    font_id = QFontDatabase.addApplicationFont(path)
    if font_id < 0:
        _log().warning("could not load font %s", path)
        return []
    return QFontDatabase.applicationFontFamilies(font_id)


def register_bundled_fonts() -> str | None:
    """Register the bundled Noto Sans SC and Noto Serif SC; returns the sans family name."""
    try:
        import pylopdf_fonts_zh_cn as bundled
    except ImportError:
        _log().warning("pylopdf-fonts-zh-cn is not installed; Chinese text may not render")
        return None
    sans = _add_font(str(bundled.sans_path()))
    _add_font(str(bundled.serif_path()))
    return sans[0] if sans else None


def setup_cjk_fonts(app: QGuiApplication) -> str | None:
    """Pick (and if needed register) a CJK sans family and make it the application font.

    Keeps the platform's point size. Returns the family used, or ``None`` if no CJK font could be found.
    """
    family = find_system_cjk_family()
    if family is None:
        family = register_bundled_fonts()
    if family is None:
        return None
    font = QFont(app.font())
    font.setFamilies([family])
    app.setFont(font)
    return family
