"""Rendering a publication: the standalone HTML document and its PDF (WeasyPrint).

The PDF is rendered from our own HTML only, with a URL fetcher that refuses every URL except inline
`data:` ones: no `file:` (a crafted link could otherwise read the server's files) and no network.
"""

import logging

from django.template.loader import render_to_string

logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress messages are INFO
logging.getLogger("fontTools").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

PDF_CSS = """
@page { size: Letter; margin: 2cm 2cm 2.2cm; @bottom-center { content: counter(page) " / " counter(pages);
  font: 9pt 'DejaVu Sans'; color: #555; } }
body { font: 10.5pt/1.45 'DejaVu Serif', serif; color: #1b1b1b; }
h1, h2, h3, h4 { font-family: 'DejaVu Sans', sans-serif; line-height: 1.2; }
h1 { font-size: 20pt; margin: 0 0 .3em; }
.meta, .citation { font: 9pt 'DejaVu Sans', sans-serif; color: #444; }
.redacted, p:has(> .redacted) { }
table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 3px 6px; }
"""


class RefusingURLFetcher(URLFetcher):
    """Fetches nothing but inline `data:` URLs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"Refused to fetch {url!r}: published documents load no external resources.")


def document_html(*, publication, body_html: str) -> str:
    return render_to_string(
        "consultations/publication/document.html", {"publication": publication, "body_html": body_html}
    )


def pdf_from_html(html: str, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    fetcher = fetcher or RefusingURLFetcher()
    return HTML(string=html, base_url="about:blank", url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=PDF_CSS, url_fetcher=fetcher)]
    )
