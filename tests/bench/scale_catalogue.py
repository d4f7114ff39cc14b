"""The scale bench's catalogue: the real agencies and procedures, communes under 34 provinces, and synthetic
procedures whose titles combine real procedure-name parts and whose forms are copied from the real ones."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from backend.catalogue.loader import PROCEDURE_FIELDS, load_catalogue, read_procedures
from backend.catalogue.models import Agency, Procedure
from backend.catalogue.search import fold
from backend.catalogue.services import rebuild_search_index, search_text, search_tokens

VERBS = (
    ("Cấp", "Issue of"), ("Đăng ký", "Registration of"), ("Gia hạn", "Renewal of"), ("Thay đổi", "Change to"),
    ("Cấp lại", "Reissue of"), ("Cấp đổi", "Replacement of"), ("Điều chỉnh", "Correction of"),
    ("Thu hồi", "Withdrawal of"), ("Xác nhận", "Confirmation of"), ("Chứng thực", "Certification of"),
    ("Bổ sung", "Addition to"), ("Hủy bỏ", "Cancellation of"),
)
OBJECTS = (
    ("giấy phép kinh doanh", "business licence"), ("khai sinh", "birth"), ("khai tử", "death"),
    ("kết hôn", "marriage"), ("thường trú", "permanent residence"), ("tạm trú", "temporary residence"),
    ("giấy phép xây dựng", "building permit"), ("hộ chiếu phổ thông", "ordinary passport"),
    ("giấy phép lái xe", "driving licence"), ("căn cước", "identity card"), ("quyền sử dụng đất", "land use right"),
    ("giấy chứng nhận an toàn thực phẩm", "food safety certificate"), ("hộ kinh doanh", "household business"),
    ("giấy phép lao động", "work permit"), ("chứng chỉ hành nghề y", "medical practice certificate"),
    ("giám hộ", "guardianship"), ("nhận cha, mẹ, con", "recognition of parentage"),
    ("bảo hiểm y tế", "health insurance"),
    ("trợ cấp xã hội", "social allowance"), ("giấy phép môi trường", "environmental permit"),
    ("biển số xe", "vehicle number plate"), ("đăng kiểm phương tiện", "vehicle inspection"),
    ("văn bằng bảo hộ nhãn hiệu", "trademark certificate"), ("giấy phép quảng cáo", "advertising permit"),
    ("lý lịch tư pháp", "criminal record certificate"), ("con nuôi", "adoption"), ("quốc tịch", "nationality"),
    ("giấy phép khai thác nước", "water extraction permit"), ("mã số thuế", "tax code"),
    ("giấy phép thành lập trường", "school founding permit"), ("chứng chỉ hành nghề dược", "pharmacy certificate"),
    ("giấy phép vận tải", "transport permit"), ("nhà ở xã hội", "social housing"),
    ("giấy phép bán lẻ rượu", "liquor retail licence"), ("giấy phép karaoke", "karaoke licence"),
    ("hợp tác xã", "cooperative"), ("người có công", "persons with meritorious services"),
    ("trang trại", "farm"), ("giấy phép đánh bắt thủy sản", "fishing licence"), ("di tích", "heritage site"),
)
CONTEXTS = (
    ("", ""), (" cho người nước ngoài", " for foreigners"), (" lần đầu", ", first time"),
    (" có yếu tố nước ngoài", " with a foreign element"), (" cấp tỉnh", " at provincial level"),
    (" cấp xã", " at commune level"), (" cho doanh nghiệp", " for companies"), (" trực tuyến", " online"),
    (" cho hộ gia đình", " for households"), (" tại cơ quan đại diện", " at a mission abroad"),
    (" trong khu công nghiệp", " in an industrial zone"), (" cho người khuyết tật", " for disabled people"),
    (" do mất, hỏng", " after loss or damage"), (" theo diện ưu tiên", " with priority"),
    (" cho tổ chức", " for organisations"),
)
COMMUNE_KINDS = (("Phường", "Ward"), ("Xã", "Commune"), ("Đặc khu", "Special zone"))
PLACE_WORDS = ("An", "Bình", "Phú", "Hòa", "Tân", "Long", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Mỹ", "Vĩnh",
               "Hưng", "Thuận", "Lộc", "Phước", "Thành", "Trung", "Sơn", "Hải", "Quang", "Minh", "Đức")


def _title(i: int) -> tuple[dict, dict]:
    verb, obj, ctx = VERBS[i % len(VERBS)], OBJECTS[i // len(VERBS) % len(OBJECTS)], CONTEXTS[
        i // (len(VERBS) * len(OBJECTS)) % len(CONTEXTS)]
    vi, en = f"{verb[0]} {obj[0]}{ctx[0]}", f"{verb[1]} {obj[1]}{ctx[1]}"
    if i >= len(VERBS) * len(OBJECTS) * len(CONTEXTS):  # beyond the combinations: a numbered variant
        vi, en = f"{vi} (mẫu {i})", f"{en} (form {i})"
    summary = {"vi": f"Thủ tục {vi.lower()}: nộp hồ sơ, cơ quan xem xét và trả kết quả theo quy định.",
               "en": f"{en}: file the dossier, the agency examines it and returns the result as the law provides."}
    return {"vi": vi, "en": en}, summary


async def _communes(count: int) -> list[Agency]:
    """``count`` communes spread over the first 34 provinces, coded like the real ones (P01-W-...)."""
    provinces = await Agency.filter(level="province").order_by("code").limit(34)
    rows = []
    for i in range(count):
        province = provinces[i % len(provinces)]
        kind = COMMUNE_KINDS[0 if i % 3 == 0 else 1] if i % 97 else COMMUNE_KINDS[2]
        place = f"{PLACE_WORDS[i % len(PLACE_WORDS)]} {PLACE_WORDS[i // len(PLACE_WORDS) % len(PLACE_WORDS)]}"
        number = i // len(provinces)
        rows.append(Agency(code=f"{province.code}-{kind[1][0]}-S{number:04d}", level="commune", parent=province,
                           name={"vi": f"{kind[0]} {place} {number}", "en": f"{place} {number} {kind[1]}"}))
    await Agency.bulk_create(rows, batch_size=1000)
    return await Agency.filter(level="commune", code__contains="-S").order_by("id")


async def load(procedures: int, communes: int) -> tuple[list[int], list[int], dict[str, int]]:
    """Agencies and procedures; returns the agency ids (communes first, then the others), the procedure ids
    and row counts. The search index is filled for every procedure, as the portal would."""
    await load_catalogue()
    new_communes = await _communes(communes)
    others = await Agency.exclude(id__in=[a.id for a in new_communes]).order_by("id")
    agencies = [*new_communes, *others]
    templates = read_procedures()
    batch: list[Procedure] = []
    for i in range(procedures):
        template, agency = templates[i % len(templates)], agencies[(i * 7919) % len(agencies)]
        title, summary = _title(i)
        item = {key: template.get(key) for key in PROCEDURE_FIELDS} | {
            "code": f"8.{i:06d}", "title": title, "summary": summary}
        _, body = search_tokens(item, agency.name)
        batch.append(Procedure(**item, agency=agency, search_text=search_text(body), published=True))
        if len(batch) == 1000 or i == procedures - 1:
            async with in_transaction():
                await Procedure.bulk_create(batch)
            batch = []
    indexed = await rebuild_search_index()
    procedure_ids = list(await Procedure.all().order_by("id").values_list("id", flat=True))
    return [a.id for a in agencies], procedure_ids, {"agency": len(agencies), "procedure": len(procedure_ids),
                                                     "procedure_search": indexed}


def search_queries() -> list[str]:
    """Varied searches: accented and accent-free Vietnamese, English, unfinished words, typos; then every verb
    and object, alternately without accents and in English, so that few requests repeat one (the portal keeps
    recent answers: a repeated search would measure that copy, not the database)."""
    pairs = [(verb, obj) for obj in OBJECTS for verb in VERBS]
    combined = [fold(f"{verb[0]} {obj[0]}") if k % 2 else f"{verb[1]} {obj[1]}" for k, (verb, obj) in enumerate(pairs)]
    return [*_SAMPLES, *combined]


_SAMPLES = ["đăng ký khai sinh", "dang ky khai sinh", "cấp giấy phép kinh doanh", "gia han ho chieu",
            "birth registration", "business licence", "driving", "thay đổi hộ kinh doanh", "giay phep xay dung",
            "ket hon co yeu to nuoc ngoai", "renewal passport", "tạm trú", "quyen su dung dat", "ly lich tu phap",
            "cap lai can cuoc", "mã số thuế", "food safety", "giay phep lai xe", "khai tu", "thuong tru",
            "con nuoi", "hon nhan", "giấy phép môi trường", "trợ cấp xã hội", "nhà ở xã hội", "kinh doanh ruou",
            "dang kiem", "bao hiem y te", "giay phep lao dong nguoi nuoc ngoai", "khai sihn", "dang k"]
