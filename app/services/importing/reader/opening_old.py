# ---------------------------------------------------------------------------------------------
# Opening


def _fmt_name(path: Path) -> str:
    return path.name


def open_source(path: Path | str) -> SourceFile:
    """Open ``path`` by its content (not only its extension); :class:`ImportFileError` if it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"文件不存在：{path}")
    if path.is_dir():
        raise ImportFileError(f"这是一个文件夹，不是表格文件：{path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise ImportFileError(f"没有权限读取文件（可能正在被 Excel 或 WPS 打开）：{path.name}") from None
    except OSError as exc:
        raise ImportFileError(f"无法读取文件 {path.name}：{exc.strerror or exc}") from None
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size == 0:
        raise ImportFileError(f"文件是空的（0 字节）：{path.name}")
    if suffix.startswith(".~") or path.name.startswith("~$"):
        raise ImportFileError(f"“{path.name}”是 Excel/WPS 打开文件时生成的临时文件，请选择原文件。")
    if head.startswith(CFB_MAGIC):
        return _open_cfb(path, suffix)
    if head.startswith(ZIP_MAGIC):
        return XlsxSource(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return CsvSource(path)
    if suffix == ".et":
        raise _wps_error(path)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        text_like = _looks_like_text(path)
        if text_like == "html":
            raise ImportFileError(
                f"“{path.name}”其实是网页（HTML）格式，只是扩展名为 {suffix}（常见于从网站系统导出的“Excel”）。"
                "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再导入。"
            )
        if text_like == "text":
            return CsvSource(path)
        raise ImportFileError(f"“{path.name}”已损坏或不是 Excel 工作簿，无法读取。请用 Excel 或 WPS 打开检查后另存为 .xlsx 再试。")
    raise ImportFileError(
        f"不支持的文件类型“{suffix or '无扩展名'}”：{path.name}。请选择 Excel 工作簿（.xlsx、.xls）或 CSV 文件。"
    )


def _wps_error(path: Path) -> ImportFileError:
    return ImportFileError(
        f"“{path.name}”是 WPS 表格专用格式（.et），本程序无法直接读取。"
        "请在 WPS 中打开，选择“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的文件。"
    )


def _password_error(path: Path) -> ImportFileError:
    return ImportFileError(
        f"“{path.name}”设置了打开密码，无法读取。请在 Excel 或 WPS 中输入密码打开，"
        "在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中取消密码并保存后再导入。"
    )


def _looks_like_text(path: Path) -> str | None:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    low = sample.lstrip().lower()
    if low.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")) or b"<html" in low[:512]:
        return "html"
    if b"\x00" in sample:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return "text"
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # cut in the middle of a character
                return "text"
    return None


def _open_cfb(path: Path, suffix: str) -> SourceFile:
    data = path.read_bytes()
    if _ENCRYPTED_MARK in data:
        raise _password_error(path)
    try:
        return XlsSource(path, data)
    except ImportFileError:
        raise
    except Exception as exc:  # xlrd raises many kinds of errors on a damaged file
        text = str(exc)
        if "encrypt" in text.lower():
            raise _password_error(path) from None
        if suffix == ".et":
            raise _wps_error(path) from None
        if suffix in (".doc", ".ppt", ".wps"):
            raise ImportFileError(f"“{path.name}”不是表格文件，请选择 Excel 工作簿或 CSV 文件。") from None
        raise ImportFileError(
            f"“{path.name}”已损坏或不是 Excel 97-2003 工作簿（.xls），无法读取（{text}）。"
            "请用 Excel 或 WPS 打开检查后另存为 .xlsx 再试。"
        ) from None

