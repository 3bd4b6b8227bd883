"""The dimensions a count can be cut by, and their categories in display order.

Every dimension ends with an `unknown` category (or another catch-all) so that each counted unit
falls somewhere and the categories of an additive dimension add up to its total. Codes are stable:
releases, exports and the API name categories by code, pages show the vi/en labels.
"""

from dataclasses import dataclass
from functools import cache

from django.utils import translation

from shield.accounts.roles import AgencyKind
from shield.statistics.age_bands import ADULT, CHILD, CTDC_BANDS

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Category:
    code: str
    name_vi: str
    name_en: str

    def label(self, language: str = "vi") -> str:
        return self.name_vi if language.startswith("vi") else self.name_en


@dataclass(frozen=True)
class Dimension:
    code: str
    name_vi: str
    name_en: str
    categories: tuple[Category, ...]
    # False where one unit can fall in several categories (one person, several forms of
    # exploitation): the total is then not the sum of the categories.
    additive: bool = True

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    def label(self, language: str = "vi") -> str:
        return self.name_vi if language.startswith("vi") else self.name_en

    def category_label(self, code: str, language: str = "vi") -> str:
        for category in self.categories:
            if category.code == code:
                return category.label(language)
        raise KeyError(f"{self.code}: no category {code!r}")


_UNKNOWN = Category(UNKNOWN, "Không rõ", "Unknown")

SEX = "sex"
AGE_UNODC = "age_unodc"
AGE_CTDC = "age_ctdc"
EXPLOITATION = "exploitation"
CITIZENSHIP = "citizenship"
PROVINCE = "province"
AGENCY_KIND = "agency_kind"
CHANNEL = "channel"
IDENTIFICATION = "identification"
SERVICE_TYPE = "service_type"
SUPPORT_TYPE = "support_type"
URGENCY = "urgency"
OUTCOME = "outcome"

# The types of service and support of Law 53/2024/QH15 Ch. V, as the referral directory codes them
# (`referrals/data/service_types.json`); a code not listed here counts as unknown.
SERVICE_TYPES: tuple[Category, ...] = (
    Category(
        "travel_home", "Hỗ trợ đi lại và tiền ăn để trở về nơi cư trú", "Travel and meals to return home"
    ),
    Category("health_care", "Khám và chữa bệnh", "Health check and treatment"),
    Category("health_insurance", "Bảo hiểm y tế", "Health insurance"),
    Category("psychological_support", "Hỗ trợ tâm lý", "Psychological support"),
    Category("legal_aid", "Tư vấn pháp luật và trợ giúp pháp lý", "Legal advice and legal aid"),
    Category("education_vocational", "Hỗ trợ học văn hóa và học nghề", "Education and vocational training"),
    Category("employment_counselling", "Tư vấn việc làm", "Employment counselling"),
    Category("hardship_allowance", "Trợ cấp khó khăn ban đầu", "Initial hardship allowance"),
    Category("loans", "Vay vốn ưu đãi", "Loans"),
    Category("shelter", "Nơi tạm trú an toàn", "Shelter"),
    Category("family_tracing", "Truy tìm và đoàn tụ gia đình", "Family tracing and reunification"),
)

# HTCDS `vic_TypeOfExploitation` values grouped as UNODC's GLOTIP reports forms of exploitation.
# A value missing here is a data error the tests catch (every HTCDS value must be mapped).
EXPLOITATION_GROUPS: dict[str, tuple[str, ...]] = {
    "sexual": ("SexualExploitation",),
    "forced_labour": ("ForcedLabour", "ChildLabour", "Servitude"),
    "other": (
        "ForcedMarriage",
        "ForcedMilitaryByNonStateActors",
        "OrganRemoval",
        "ForcedBegging",
        "ForcedAdoption",
        "Surrogacy",
        "Other",
    ),
}

# First contact: how the person or event first reached an agency.
BORDER_SCREENING = "border_screening"
DIRECT = "direct"
CHANNEL_TIP_VALUES = ("hotline", "online", "walk_in", "agency")  # intake.TipChannel values

_STATIC: dict[str, Dimension] = {
    SEX: Dimension(
        SEX,
        "Giới tính",
        "Sex",
        (
            Category("female", "Nữ", "Female"),
            Category("male", "Nam", "Male"),
            Category("other", "Khác", "Other"),
            _UNKNOWN,
        ),
    ),
    AGE_UNODC: Dimension(
        AGE_UNODC,
        "Nhóm tuổi (UNODC)",
        "Age group (UNODC)",
        (
            Category(CHILD, "0 đến 17 tuổi", "0 to 17"),
            Category(ADULT, "18 tuổi trở lên", "18 or over"),
            _UNKNOWN,
        ),
    ),
    AGE_CTDC: Dimension(
        AGE_CTDC,
        "Nhóm tuổi (CTDC)",
        "Age band (CTDC)",
        (
            *(
                Category(code, f"{code} tuổi", code)
                if high is not None
                else Category(code, "48 tuổi trở lên", "48+")
                for code, _low, high in CTDC_BANDS
            ),
            _UNKNOWN,
        ),
    ),
    EXPLOITATION: Dimension(
        EXPLOITATION,
        "Hình thức bóc lột",
        "Form of exploitation",
        (
            Category("sexual", "Bóc lột tình dục", "Sexual exploitation"),
            Category("forced_labour", "Lao động cưỡng bức", "Forced labour"),
            Category("other", "Hình thức khác", "Other forms"),
            _UNKNOWN,
        ),
        additive=False,
    ),
    CHANNEL: Dimension(
        CHANNEL,
        "Kênh tiếp nhận đầu tiên",
        "First contact channel",
        (
            Category(BORDER_SCREENING, "Sàng lọc tại cửa khẩu", "Border screening"),
            Category("hotline", "Tin báo qua đường dây nóng", "Tip by hotline"),
            Category("online", "Tin báo trực tuyến", "Tip online"),
            Category("walk_in", "Tin báo trực tiếp", "Tip in person"),
            Category("agency", "Tin báo từ cơ quan khác", "Tip from another agency"),
            Category(DIRECT, "Mở hồ sơ trực tiếp", "Case opened directly"),
        ),
    ),
    IDENTIFICATION: Dimension(
        IDENTIFICATION,
        "Tình trạng xác định",
        "Identification status",
        (
            Category("identified", "Đã xác định là nạn nhân", "Identified victim"),
            Category("possible", "Đang xác định", "Undergoing identification"),
        ),
    ),
    SERVICE_TYPE: Dimension(SERVICE_TYPE, "Loại dịch vụ", "Type of service", (*SERVICE_TYPES, _UNKNOWN)),
    SUPPORT_TYPE: Dimension(SUPPORT_TYPE, "Loại hỗ trợ", "Type of support", (*SERVICE_TYPES, _UNKNOWN)),
    URGENCY: Dimension(
        URGENCY,
        "Mức độ khẩn cấp",
        "Urgency",
        (
            Category("immediate", "Ngay lập tức", "Immediate"),
            Category("urgent", "Khẩn cấp", "Urgent"),
            Category("routine", "Thông thường", "Routine"),
            _UNKNOWN,
        ),
    ),
    OUTCOME: Dimension(
        OUTCOME,
        "Kết quả chuyển gửi",
        "Outcome of the referral",
        (
            Category("successful", "Thành công", "Successful"),
            Category(
                "client_refused",
                "Không thành công: người được hỗ trợ từ chối",
                "Not successful: the client refused",
            ),
            Category(
                "lack_of_capacity",
                "Không thành công: không đủ khả năng tiếp nhận",
                "Not successful: lack of capacity",
            ),
            Category(
                "no_longer_needed", "Không thành công: không còn nhu cầu", "Not successful: no longer needed"
            ),
            Category(
                "unable_to_contact_client",
                "Không thành công: không liên lạc được với người được hỗ trợ",
                "Not successful: unable to contact the client",
            ),
            Category(
                "unable_to_contact_provider",
                "Không thành công: không liên lạc được với nơi cung cấp dịch vụ",
                "Not successful: unable to contact the provider",
            ),
            Category("other", "Không thành công: lý do khác", "Not successful: other"),
            _UNKNOWN,
        ),
    ),
}


def _agency_kind() -> Dimension:
    categories = []
    for value, label in AgencyKind.choices:
        with translation.override("vi"):
            vi = str(label)
        with translation.override("en"):
            en = str(label)
        categories.append(Category(value, vi, en))
    return Dimension(AGENCY_KIND, "Loại cơ quan", "Kind of agency", (*categories, _UNKNOWN))


def _citizenship() -> Dimension:
    from django_countries import countries

    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    with translation.override("vi"):
        vietnamese = {code: str(name) for code, name in countries}
    # Viet Nam first (most victims detected in Viet Nam are its citizens), then by code.
    codes = ["VN", *sorted(c for c in english if c != "VN")]
    return Dimension(
        CITIZENSHIP,
        "Quốc tịch",
        "Citizenship",
        (*(Category(c, vietnamese[c], english[c]) for c in codes), _UNKNOWN),
    )


def _province() -> Dimension:
    from shield.geo.models import Province

    rows = list(Province.objects.order_by("code").values_list("code", "name"))
    return Dimension(
        PROVINCE,
        "Tỉnh, thành phố (từ 2025)",
        "Province (since 2025)",
        (*(Category(code, name, name) for code, name in rows), _UNKNOWN),
    )


@cache
def _dynamic(code: str) -> Dimension:
    if code == AGENCY_KIND:
        return _agency_kind()
    if code == CITIZENSHIP:
        return _citizenship()
    if code == PROVINCE:
        return _province()
    raise KeyError(code)


DIMENSION_CODES: tuple[str, ...] = (
    SEX,
    AGE_UNODC,
    AGE_CTDC,
    EXPLOITATION,
    CITIZENSHIP,
    PROVINCE,
    AGENCY_KIND,
    CHANNEL,
    IDENTIFICATION,
    SERVICE_TYPE,
    SUPPORT_TYPE,
    URGENCY,
    OUTCOME,
)


def dimension_get(code: str) -> Dimension:
    """The dimension with this code; KeyError naming it when there is none."""
    if code in _STATIC:
        return _STATIC[code]
    if code in DIMENSION_CODES:
        dimension = _dynamic(code)
        if code == PROVINCE and len(dimension.categories) <= 1:
            _dynamic.cache_clear()  # provinces not loaded yet: do not keep an empty list
        return dimension
    raise KeyError(f"no dimension {code!r}")


def dimension_list() -> list[Dimension]:
    return [dimension_get(code) for code in DIMENSION_CODES]


def dimensions_clear() -> None:
    """Forget the categories read from the database (provinces), e.g. after loading them."""
    _dynamic.cache_clear()
