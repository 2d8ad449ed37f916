"""Which pictures of a saved web page are read (govdisclose._ocr.html), without
the OCR engine: embedded ones, files inside the page's folder when the page
was read from one; never an address, never a file outside the folder."""
import base64
import os

from govdisclose._ocr import html


def test_pictures_of_a_saved_page(tmp_path):
    folder = tmp_path / "saved"
    (folder / "page_files").mkdir(parents=True)
    (folder / "page_files" / "表 1.png").write_bytes(b"\x89PNG one")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG outside")
    page = ("<p>三、收到和处理政府信息公开申请情况</p>"
            "<img alt=x src=\"data:image/png;base64," + base64.b64encode(b"\x89PNG two").decode()
            + "\"><IMG SRC='page_files/%E8%A1%A8%201.png'>"
            "<img src=https://www.example.gov.cn/t.png><img src=\"/images/logo.png\">"
            "<img src=\"../secret.png\"><img src=\"page_files/gone.png\">")
    assert html.has_pictures_only(page)  # the embedded one
    assert html.pictures(page) == ([b"\x89PNG two"], [])  # from bytes: no folder
    got, notes = html.pictures(page, str(folder))
    assert got == [b"\x89PNG two", b"\x89PNG one"]
    assert len(notes) == 2
    assert "outside the page's folder (../secret.png)" in notes[0]
    assert "page_files/gone.png cannot be read" in notes[1]


def test_linked_pictures_only_count_beside_a_file(tmp_path):
    page = "<p>text</p><img src=\"page_files/image001.jpg\">"
    assert not html.has_pictures_only(page)
    assert html.has_pictures_only(page, str(tmp_path))
    assert not html.has_pictures_only("<table><tr><td>1</td></tr></table>" + page, str(tmp_path))
    assert not html.has_pictures_only("<img src=\"http://a.b/c.png\">", str(tmp_path))
    if os.name != "nt":  # an absolute path is a link out of the folder
        assert not html.has_pictures_only("<img src=\"/etc/hosts\">", str(tmp_path))
