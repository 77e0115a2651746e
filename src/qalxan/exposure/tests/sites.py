"""Loopback test sites with planted problems and planted personal data (and near misses)."""

from __future__ import annotations

import io

from qalxan.exposure.testserver import Page, TestSite

GOOD_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=()"),
    ("Server", "nginx"),
]
# Planted personal data: these and only these must be reported.
PLANTED_FIN = "5ZX8K2M"
PLANTED_PHONE = "+994 50 123 45 67"
PLANTED_VOEN = "1400057421"
PLANTED_IBAN = "AZ21NABZ00000000137010001944"
PLANTED_EMAIL = "aysel.mammadova@example.az"
PLANTED_ID_CARD = "AZE12345678"
PDF_FIN = "7XY9Z1A"
DOCX_PHONE = "050 765 43 21"
XLSX_IBAN = "AZ74AIIB40060019440147581201"
# Near misses: a 7-letter word after a FIN context word, a VÖEN with a bad check digit,
# an IBAN with a bad check.
NEAR_MISSES = ("ABCDEFG", "1400057431", "AZ22NABZ00000000137010001944")
RAW_VALUES = (
    PLANTED_FIN,
    PLANTED_PHONE,
    "994501234567",
    PLANTED_VOEN,
    PLANTED_IBAN,
    PLANTED_EMAIL,
    PLANTED_ID_CARD,
    PDF_FIN,
    "0507654321",
    XLSX_IBAN,
)


def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def portal(host: str = "portal.test") -> TestSite:
    """Well configured, but it publishes personal data on a page and in three documents."""
    home = (
        "<html><head><title>Nazirlik</title></head><body><nav><a href='/contacts'>Əlaqə</a> "
        "<a href='/privacy'>Məxfilik siyasəti</a> <a href='/docs/decision.pdf'>Qərar</a> "
        "<a href='/docs/list.docx'>Siyahı</a> <a href='/docs/pay.xlsx'>Ödənişlər</a> "
        "<a href='/docs/broken.pdf'>Köhnə</a> <a href='/go'>Keçid</a> "
        "<a href='https://evil.example/steal'>Xarici</a></nav><p>Xoş gəlmisiniz<p><div>broken <b>html</div>"
        "</body></html>"
    )
    contacts = (
        "<html><body><h1>Əlaqə</h1>"
        f"<p>Müdir: FİN: {PLANTED_FIN}, telefon {PLANTED_PHONE}, e-poçt {PLANTED_EMAIL}</p>"
        f"<p>Şəxsiyyət vəsiqəsi {PLANTED_ID_CARD}. VÖEN {PLANTED_VOEN}. IBAN {PLANTED_IBAN}.</p>"
        f"<p>FİN kodu: {NEAR_MISSES[0]} (nümunə). Səhv VÖEN {NEAR_MISSES[1]}, səhv IBAN {NEAR_MISSES[2]}.</p>"
        "<p>Qəbul saatları 09:00-18:00, 2024-cü il, sənəd № 1234567.</p>"
        "<script>var x = 'AZE99999999';</script></body></html>"
    )
    cookie = [("Set-Cookie", "sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")]
    return TestSite(
        host,
        {
            "/": Page(home, headers=GOOD_HEADERS + cookie),
            "/contacts": Page(contacts, headers=GOOD_HEADERS),
            "/privacy": Page(
                "<html><body><h1>Məxfilik siyasəti</h1><p>Fərdi məlumatlar…</p></body></html>",
                headers=GOOD_HEADERS,
            ),
            "/docs/decision.pdf": Page(
                pdf_bytes(f"Ərizəçi FİN: {PDF_FIN}"), headers=[("Content-Type", "application/pdf")]
            ),
            "/docs/list.docx": Page(
                docx_bytes(f"Məsul şəxs, mobil: {DOCX_PHONE}"),
                headers=[
                    (
                        "Content-Type",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    )
                ],
            ),
            "/docs/pay.xlsx": Page(
                xlsx_bytes([["Ad", "IBAN"], ["Podratçı", XLSX_IBAN]]),
                headers=[
                    ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                ],
            ),
            "/docs/broken.pdf": Page(
                b"%PDF-1.4 this is not really a pdf", headers=[("Content-Type", "application/pdf")]
            ),
            "/go": Page(b"", status=302, headers=[("Location", "https://evil.example/landing")]),
            "/robots.txt": Page(
                "User-agent: *\nDisallow: /private/\n", headers=[("Content-Type", "text/plain")]
            ),
        },
    )


def legacy(host: str = "legacy.test") -> TestSite:
    """Every classic mistake: expired certificate, TLS 1.0, no headers, versions shown, leaks."""
    home = (
        "<html><head><meta name='generator' content='Joomla! 3.9.2'></head><body>"
        "<script src='http://cdn.legacy.test/jquery.js'></script><img src='http://legacy.test/logo.png'>"
        "<a href='/about'>Haqqında</a></body></html>"
    )
    plain = [
        ("Content-Type", "text/html"),
        ("Server", "Apache/2.4.41 (Ubuntu)"),
        ("X-Powered-By", "PHP/7.2.24"),
    ]
    return TestSite(
        host,
        {
            "/": Page(home, headers=[*plain, ("Set-Cookie", "PHPSESSID=1; path=/")]),
            "/about": Page("<html><body><p>Haqqında</p></body></html>", headers=plain),
            "/.git/HEAD": Page("ref: refs/heads/master\n", headers=[("Content-Type", "text/plain")]),
            "/.env": Page(
                "APP_KEY=base64:xyz\nDB_PASSWORD=secret\n", headers=[("Content-Type", "text/plain")]
            ),
            "/backup.sql": Page("<html><body>Not found</body></html>"),  # a soft 404: no finding
            "/uploads/": Page(
                "<html><head><title>Index of /uploads</title></head>"
                "<body><h1>Index of /uploads</h1></body></html>"
            ),
        },
        certificate="expired",
        legacy_tls=True,
        http="serve",
    )


def wrong_host(host: str = "wrong.test") -> TestSite:
    return TestSite(host, {"/": Page("<p>Salam</p>", headers=GOOD_HEADERS)}, certificate="wrong_host")


def unreachable(host: str = "down.test") -> TestSite:
    return TestSite(host, certificate="none", http="none")


def endless(host: str = "slow.test") -> TestSite:
    """A page that never ends and a huge file."""
    return TestSite(
        host,
        {
            "/": Page("<a href='/stream'>axın</a> <a href='/big.pdf'>böyük</a>", headers=GOOD_HEADERS),
            "/stream": Page(endless=True),
            "/big.pdf": Page(
                b"%PDF-1.4" + b"0" * (3 * 1024 * 1024), headers=[("Content-Type", "application/pdf")]
            ),
        },
    )
