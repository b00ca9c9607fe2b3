"""Test helper: render DOCX/XLSX with headless LibreOffice and inspect the PDF with poppler.

One LibreOffice profile (and one private fonts.conf) is used per test process, under the system
temp folder, so a warm conversion takes about a second. The fonts.conf maps 仿宋_GB2312, 方正小标宋简体,
宋体, 楷体 → Noto Serif SC and 黑体 → Noto Sans SC (the fonts bundled by pylopdf_fonts_zh_cn), so
Chinese never renders as tofu even on a machine without CJK fonts.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from app.core.fonts import write_fontconfig

PT_PER_MM = 72 / 25.4
_lock = threading.Lock()
_base: Path | None = None


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_available() -> bool:
    return soffice_path() is not None


def poppler_available() -> bool:
    return all(shutil.which(t) for t in ("pdfinfo", "pdffonts", "pdftoppm"))


def _session_dir() -> Path:
    """``<tmp>/mediation-desk-lo-<uid>-<pid>``: the profile and fonts.conf of this test process."""
    global _base
    if _base is None:
        uid = os.getuid() if hasattr(os, "getuid") else 0
        _base = Path(tempfile.gettempdir()) / f"mediation-desk-lo-{uid}-{os.getpid()}"
        _base.mkdir(parents=True, exist_ok=True)
        atexit.register(shutil.rmtree, _base, True)
    return _base


def lo_env() -> dict[str, str]:
    """Environment for soffice: private fonts.conf, UTF-8 locale-neutral, no X display needed."""
    base = _session_dir()
    conf = write_fontconfig(base / "fontconfig")
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(conf)
    env["HOME"] = str(base / "home")  # LibreOffice may write ~/.config otherwise
    (base / "home").mkdir(exist_ok=True)
    env.pop("DISPLAY", None)
    env.pop("SAL_USE_VCLPLUGIN", None)
    return env


def convert_to_pdf(path: Path | str, outdir: Path | str, *, timeout: float = 180) -> Path:
    """Convert one DOCX/XLSX to ``<outdir>/<stem>.pdf`` with headless LibreOffice; return the PDF."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    path, outdir = Path(path).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / (path.stem + ".pdf")
    if pdf.exists():
        pdf.unlink()
    profile = _session_dir() / "profile"
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(path),
    ]
    with _lock:  # one soffice per profile at a time
        proc = subprocess.run(cmd, env=lo_env(), capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError(
            f"soffice failed ({proc.returncode}) for {path.name}:\n{proc.stdout}\n{proc.stderr}"
        )
    return pdf


def _run(cmd: list[str]) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


def pdf_page_count(pdf: Path | str) -> int:
    m = re.search(r"^Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)]), re.M)
    return int(m.group(1)) if m else 0


def pdf_page_sizes_mm(pdf: Path | str) -> list[tuple[float, float]]:
    """(width, height) in mm of every page, via ``pdfinfo -f 1 -l N``."""
    n = pdf_page_count(pdf)
    if n == 0:
        return []
    out = _run(["pdfinfo", "-f", "1", "-l", str(n), str(pdf)])
    sizes = []
    for m in re.finditer(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", out, re.M):
        sizes.append((float(m.group(1)) / PT_PER_MM, float(m.group(2)) / PT_PER_MM))
    return sizes


def pdf_fonts(pdf: Path | str, page: int | None = None) -> list[str]:
    """Font names embedded/used in the PDF (or on one page), subset prefixes (``ABCDEF+``) removed."""
    cmd = ["pdffonts"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    lines = _run([*cmd, str(pdf)]).splitlines()[2:]  # skip the two header lines
    names = []
    for line in lines:
        if not line.strip():
            continue
        name = line.split()[0]
        names.append(re.sub(r"^[A-Z]{6}\+", "", name))
    return names


def pdf_to_png(
    pdf: Path | str, prefix: Path | str, dpi: int = 60, *, first: int | None = None, last: int | None = None
) -> list[Path]:
    """Render pages to ``<prefix>-<n>.png`` with pdftoppm; return the files in page order."""
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["pdftoppm", "-png", "-r", str(dpi)]
    if first is not None:
        cmd += ["-f", str(first)]
    if last is not None:
        cmd += ["-l", str(last)]
    _run([*cmd, str(pdf), str(prefix)])
    files = list(prefix.parent.glob(f"{prefix.name}-*.png"))
    return sorted(files, key=lambda p: int(re.search(r"-(\d+)\.png$", p.name).group(1)))


CJK_FONT_HINTS = ("SC", "CJK", "Song", "Hei", "Fang", "Kai", "Ming", "YaHei", "Sim")


def is_cjk_font_name(name: str) -> bool:
    return any(h in name for h in CJK_FONT_HINTS) or any(ord(c) > 0x2E80 for c in name)
