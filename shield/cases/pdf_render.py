"""HTML to PDF with WeasyPrint, run as a child process: `python -m shield.cases.pdf_render`.

Reads the HTML on stdin and writes the PDF on stdout. No Django and no database here: the parent
(`shield.cases.pdf`) reads the case through the selectors, and kills this process when it runs
past its time limit, so a heavy layout never holds a server worker for long.
"""

import sys


def render(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # WeasyPrint fetches nothing: the template carries its own styles; only `data:` addresses.
    content = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    assert content is not None
    return bytes(content)


def main() -> None:
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(render(html))


if __name__ == "__main__":
    main()
