"""照片 for 附件1 (青年仲裁员志愿者报名推荐表): any picture the user chooses becomes one small JPEG; no Qt.

The form has a 2寸 photo cell (35×49 mm, width : height = 5 : 7). :func:`prepare_photo` reads the file with
Pillow (already installed with matplotlib; it reads JPEG, PNG, BMP, GIF, TIFF and WebP and knows the EXIF
orientation phones write), crops it to 5 : 7 around the centre, scales it to at most 413×579 px (2寸 at
300 dpi), and saves it as a JPEG of some 20–60 KB — small enough to keep in the database and to e-mail.
Anything else gives a :class:`~app.services.validation.ValidationError` naming the field 照片.
"""

from __future__ import annotations

import io
from pathlib import Path

from app.services.validation import ValidationError

FIELD = "照片"
ASPECT = 5 / 7  # width / height of a 2寸 photo
MAX_SIZE = (413, 579)  # pixels: 35 × 49 mm at 300 dpi
MIN_SIDE = 60  # smaller than this is a thumbnail or an icon, not a photo
MAX_FILE_BYTES = 30 * 1024 * 1024
JPEG_QUALITY = 88


def _error(detail: str) -> ValidationError:
    return ValidationError(FIELD, f"{FIELD}：{detail}")


def prepare_photo(source: bytes | str | Path) -> bytes:
    """The JPEG to store for the picture in ``source`` (file path or bytes)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(source, str | Path):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise _error(f"文件太大（{size / 1024 / 1024:.0f} MB），请选择30 MB以内的图片")
            data = path.read_bytes()
        except OSError as exc:
            raise _error(f"无法读取文件“{path.name}”（{exc.strerror or exc}）") from None
    else:
        data = bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise _error("图片太大，请选择30 MB以内的图片")
    if not data:
        raise _error("文件是空的")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)  # photos taken upright on a phone stay upright
    except Image.DecompressionBombError:  # Pillow's guard against a file that unpacks to gigabytes
        raise _error("图片像素太多，请先缩小后再选择") from None
    except UnidentifiedImageError:
        raise _error("文件不是可识别的图片，请选择 JPG 或 PNG 格式的照片") from None
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or damaged files
        raise _error(f"图片文件已损坏，无法读取（{type(exc).__name__}）") from None
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise _error(f"图片太小（{width}×{height}像素），请选择清晰的证件照")
    if image.mode in ("RGBA", "LA", "P", "PA"):  # transparent parts become white, as on paper
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image = ImageOps.fit(image, _target_size(width, height), method=Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, dpi=(300, 300))
    return out.getvalue()


def _target_size(width: int, height: int) -> tuple[int, int]:
    """5 : 7, no larger than :data:`MAX_SIZE` and no larger than the picture itself."""
    if width / height > ASPECT:  # wider than a photo: the height decides
        h = min(height, MAX_SIZE[1])
        return min(max(1, round(h * ASPECT)), MAX_SIZE[0]), h
    w = min(width, MAX_SIZE[0])
    return w, min(max(1, round(w / ASPECT)), MAX_SIZE[1])


def photo_size(data: bytes) -> tuple[int, int]:
    """Pixels of a stored photo (width, height)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size
