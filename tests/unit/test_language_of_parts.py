"""The audit's language-of-parts check finds Vietnamese read with another language's voice, and nothing else."""

from accessibility.languages import wrong_language


def test_vietnamese_that_inherits_another_lang_is_found():
    nodes = [["cjm", "Tìm thủ tục"], ["cjm", "Bước 2 trên 3"], ["vi", "Tìm thủ tục"], ["cjm", "ꨌꩌ"],
             ["vi-VN", "Đăng ký khai sinh"], ["hmn", "Đăng ký khai sinh"], ["cjm", "Nguyễn Thị Lan"]]
    found = wrong_language("cjm", nodes)
    assert any("Tìm thủ tục" in f for f in found) and any("Đăng ký khai sinh" in f for f in found)
    assert not any("Nguyễn" in f or "ꨌꩌ" in f for f in found)


def test_vietnamese_pages_and_marked_fallbacks_pass():
    assert wrong_language("vi", [["vi", "Tìm thủ tục"]]) == []
    assert wrong_language("km", [["vi", "Tìm thủ tục"], ["km", "ស្វែងរក"]]) == []
