"""The personal-data detectors: planted values found, near misses left alone, nothing kept unmasked."""

from qalxan.exposure import detectors


def _found(text: str) -> set[tuple[str, str]]:
    return {(h.kind, h.value) for h in detectors.detect(text)}


def test_each_kind_is_found_and_validated() -> None:
    text = (
        "FİN: 5ZX8K2M; Şəxsiyyət vəsiqəsi FIN kodu 6ABC12D; pin 7XY9Z1A\n"
        "Tel: +994 50 123 45 67, (012) 498-52-47 və 0552223344\n"
        "VÖEN 1400057421, IBAN AZ21 NABZ 0000 0000 1370 1000 1944, vəsiqə AA1234567, AZE12345678\n"
        "ali.veli@mail.gov.az\n"
    )
    assert _found(text) == {
        ("fin", "5ZX8K2M"),
        ("fin", "6ABC12D"),
        ("fin", "7XY9Z1A"),
        ("phone", "+994 50 123 45 67"),
        ("phone", "012) 498-52-47"),
        ("phone", "0552223344"),
        ("voen", "1400057421"),
        ("iban", "AZ21 NABZ 0000 0000 1370 1000 1944"),
        ("id_card", "AA1234567"),
        ("id_card", "AZE12345678"),
        ("email", "ali.veli@mail.gov.az"),
    }


def test_near_misses_are_not_reported() -> None:
    text = (
        "FİN: ABCDEFG (7 hərf, rəqəm yoxdur). Bu cümlədə kontekst sözündən çox uzaqda duran kod: 5ZX8K2M.\n"
        "VÖEN 1400057431 (yoxlama rəqəmi səhvdir), IBAN AZ22NABZ00000000137010001944 (mod 97 səhv)\n"
        "Sənəd 12345678901234, il 2024, qərar № 1234567, e-poçt yoxdur @ burada.\n"
    )
    assert _found(text) == set()


def test_masking_and_keyed_hash() -> None:
    assert detectors.mask("fin", "5ZX8K2M") == "5****2M"
    assert detectors.mask("email", "Aysel@Example.az") == "a***@example.az"
    a = detectors.keyed_hash("phone", "+994 50 123 45 67", b"k")
    assert a == detectors.keyed_hash("phone", "+994501234567", b"k")
    assert a != detectors.keyed_hash("phone", "+994501234567", b"other")
    assert "501234567" not in a


def test_large_documents_are_cut_at_line_ends_without_losing_matches() -> None:
    line = "Nazirliyin rəsmi məlumatı, heç bir şəxsi məlumat yoxdur.\n"
    text = line * 40000 + "Əlaqə: +994 55 765 43 21\n" + line * 40000
    assert len(detectors._pieces(text)) > 2
    assert _found(text) == {("phone", "+994 55 765 43 21")}
