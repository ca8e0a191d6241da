"""The Chinese faces documents are set in, shipped by pip rather than by the machine.

A system CJK font differs from machine to machine (or is missing, and Chinese comes out as
empty boxes), so the documents load Noto Serif SC and Noto Sans SC (SIL OFL) from the
`pylopdf-fonts-zh-cn` wheel with `@font-face`. Only the document fetcher serves them, at fixed
URLs under its own host: they are not public static files.
"""

from importlib import resources

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
SERIF = "NotoSerifSC-Regular.otf"  # the body of the text (宋体-like)
SANS = "NotoSansSC-Regular.otf"  # headings and labels (黑体-like)
FONT_FILES = (SERIF, SANS)


def font_resource(name: str):
    """The packaged file called `name`, one of FONT_FILES and nothing else."""
    if name not in FONT_FILES:
        raise LookupError(f"Not a document font: {name[:100]!r}")
    return resources.files(FONT_PACKAGE).joinpath(name)


def font_bytes(name: str) -> bytes:
    return font_resource(name).read_bytes()


def missing_fonts() -> list[str]:
    """The document fonts that cannot be found (an incomplete install)."""
    missing = []
    for name in FONT_FILES:
        try:
            found = font_resource(name).is_file()
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(name)
    return missing


class DocumentFontsMissing(RuntimeError):
    """Rendering now would print boxes where the Chinese text should be."""


def require_fonts() -> None:
    # WeasyPrint only logs a font it cannot load and falls back to whatever the machine has:
    # a legal document with empty boxes is worse than a failed rendering that can be retried.
    if missing := missing_fonts():
        raise DocumentFontsMissing(
            f"The document fonts are missing ({', '.join(missing)}): "
            f"pip install the project's dependencies ({FONT_PACKAGE})."
        )
