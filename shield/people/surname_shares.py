"""How common each Kinh family name is: approximate shares (%) among Vietnamese people, the first
four as DOMAIN.md §4 publishes them (Nguyễn 38, Trần 11, Lê 9.5, Phạm 7.1).

Pure data, no Django: the people demo draws names from it, and the linkage engine reads it both
for its synthetic generator and for the published shares it trusts in small files.
"""

KINH_SURNAME_SHARES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.1),
    ("Hoàng", 3.3),
    ("Huỳnh", 1.8),
    ("Phan", 4.5),
    ("Vũ", 2.4),
    ("Võ", 1.5),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đào", 0.5),
    ("Đoàn", 0.4),
    ("Trương", 0.4),
    ("Trịnh", 0.4),
    ("Đinh", 0.4),
    ("Lương", 0.3),
    ("Lâm", 0.3),
    ("Mai", 0.3),
    ("Cao", 0.3),
    ("Phùng", 0.2),
    ("Vương", 0.2),
    ("Tạ", 0.2),
    ("Hà", 0.2),
    ("Tô", 0.2),
    ("Chu", 0.2),
    ("Lưu", 0.2),
    ("Châu", 0.2),
    ("Kiều", 0.1),
    ("Quách", 0.1),
    ("Triệu", 0.1),
)

# The shares DOMAIN.md publishes; the rest of the table is an approximation for demo data.
PUBLISHED_SHARE_COUNT = 4

# Family names of ethnic minorities (Hmong `Sùng A Páo`, `Giàng Thị Mai`; Tày, Thái, Dao), which
# the Kinh table above does not hold. No shares: these are for recognising names, not weighing them.
MINORITY_SURNAMES: tuple[str, ...] = (
    "Giàng",
    "Sùng",
    "Vàng",
    "Thào",
    "Mùa",
    "Hờ",
    "Lầu",
    "Vừ",
    "Lò",
    "Cầm",
    "Lường",
    "Nông",
)
