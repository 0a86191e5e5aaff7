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
    # a list of authors after 'của' goes on past a name the register does not hold
    ("Quán triệt các văn bản của Đảng, Chính phủ, Bộ Y tế ban hành năm 2025", [], []),
    ("Tổ chức hội nghị sơ kết, Sở Y tế chủ trì thực hiện", ["Sở Y tế"], []),
])
def test_roles_from_sentence(mentions, text, lead, coord):
    r = mentions.roles(text)
    assert [u.unit for u in r.lead] == lead
    assert [u.unit for u in r.coord] == coord


@pytest.mark.parametrize("text, lead, coord", [
    ("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các sở, ngành, địa phương có liên quan xây dựng kế hoạch",
     ["Sở Nông nghiệp và Môi trường"], ["Các sở, ngành, địa phương có liên quan"]),
    ("Phối hợp Công an tỉnh và các đơn vị có liên quan tham mưu Ủy ban nhân dân tỉnh rà soát",
     [], ["Công an tỉnh", "Các đơn vị có liên quan"]),
    ("Trung tâm Kiểm soát Bệnh tật chủ trì tổ chức tiêm chủng", ["Trung tâm Kiểm soát Bệnh tật"], []),
    ("Ủy ban nhân dân các xã, phường tổ chức tuyên truyền", ["Ủy ban nhân dân các xã, phường"], []),
    ("Hướng dẫn, hỗ trợ các tổ chức, cá nhân trên địa bàn; các tổ chức triển khai thực hiện", [], []),
    ("Sở Tài chính theo dõi, đôn đốc các sở, ngành thực hiện", ["Sở Tài chính"], []),
    ("Căn cứ Kế hoạch này, đề nghị các đơn vị, địa phương chủ động xây dựng kế hoạch",
     ["Các đơn vị, địa phương"], []),
])
def test_units_found_by_their_shape(mentions, text, lead, coord):
    r = mentions.roles(text)
    assert [u.unit for u in r.lead] == lead
    assert [u.unit for u in r.coord] == coord


def test_register_units_carry_their_id_and_level(mentions):
    r = mentions.roles("Bộ Tài chính chủ trì, phối hợp với Bộ Xây dựng thực hiện")
    assert [(u.unit, u.unit_id, u.level, u.known) for u in r.lead] == [("Bộ Tài chính", "bo.tc", "central", True)]
    assert [(u.unit, u.unit_id) for u in r.coord] == [("Bộ Xây dựng", "bo.xd")]
