import pytest


@pytest.mark.parametrize("text, lead, coord", [
    ("Trên cơ sở Danh mục, các phòng chuyên môn thuộc Sở đẩy mạnh công tác thông tin",
     ["Các phòng chuyên môn thuộc Sở"], []),
    ("thì các phòng chuyên môn tổng hợp, báo cáo đề xuất gửi về Văn phòng Sở", ["Các phòng chuyên môn thuộc Sở"], []),
    ("Tổ chức quán triệt đến Trưởng các phòng chuyên môn, Thủ trưởng các đơn vị trực thuộc", [], []),
    ("thuộc thẩm quyền giải quyết của Sở Lao động – TB&XH, UBND cấp huyện, UBND cấp xã trên địa bàn", [], []),
    ("Thường xuyên phối hợp với các phòng chuyên môn, đơn vị trực thuộc tổ chức rà soát", [],
     ["Các phòng chuyên môn thuộc Sở", "Các đơn vị trực thuộc Sở"]),
    ("Phòng Giáo dục nghề nghiệp chủ trì, phối hợp Phòng Lao động - Việc làm, Văn phòng Sở tham mưu thực hiện",
     ["Phòng Giáo dục nghề nghiệp"], ["Phòng Lao động – Việc làm", "Văn phòng Sở"]),
    ("Tiếp tục tham mưu Ủy ban nhân dân tỉnh trong việc rà soát", [], []),
])
def test_roles_from_sentence(mentions, text, lead, coord):
    r = mentions.roles(text)
    assert [u.unit for u in r.lead] == lead
    assert [u.unit for u in r.coord] == coord
