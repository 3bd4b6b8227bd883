"""Words of address and nicknames typed with a name (`split_name`), and the parse that ignores them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shield.people.names import ParsedName, SplitName, fold_name, parse_name, split_name

HOA = "Nguyễn Thị Hoa"


@pytest.mark.parametrize(
    ("written", "split"),
    [
        # Words of address that are no name as written: taken off whatever follows.
        ("Bà Nguyễn Thị Hoa", SplitName(HOA, "Bà")),
        ("bà Nguyễn Thị Hoa", SplitName(HOA, "bà")),
        ("BÀ NGUYỄN THỊ HOA", SplitName("NGUYỄN THỊ HOA", "BÀ")),
        ("Chị Nguyễn Thị Hoa", SplitName(HOA, "Chị")),
        ("Cô Nguyễn Thị Hoa", SplitName(HOA, "Cô")),
        ("Chú Nguyễn Văn An", SplitName("Nguyễn Văn An", "Chú")),
        ("Bác Trần Văn Nam", SplitName("Trần Văn Nam", "Bác")),
        ("Cháu Lê Văn Tí", SplitName("Lê Văn Tí", "Cháu")),
        ("Cụ Phạm Văn Đồng", SplitName("Phạm Văn Đồng", "Cụ")),
        ("Dì Nguyễn Thị Lan", SplitName("Nguyễn Thị Lan", "Dì")),
        ("Bà cụ Nguyễn Thị Hoa", SplitName(HOA, "Bà cụ")),
        ("Bà Hoa", SplitName("Hoa", "Bà")),
        ("Chị Hoa Đen", SplitName("Hoa Đen", "Chị")),
        ("Mr Nguyen Van A", SplitName("Nguyen Van A", "Mr")),
        ("Mr. Nguyen Van A", SplitName("Nguyen Van A", "Mr.")),
        ("MRS NGUYEN THI HOA", SplitName("NGUYEN THI HOA", "MRS")),
        ("ms Hoa Thi Nguyen", SplitName("Hoa Thi Nguyen", "ms")),
        ("Mrs Smith", SplitName("Smith", "Mrs")),
        # Also a name as written (Anh, Em, Bé; the family name Ông): only before a whole name.
        ("Anh Nguyễn Văn Nam", SplitName("Nguyễn Văn Nam", "Anh")),
        ("Em Nguyễn Thị Hoa", SplitName(HOA, "Em")),
        ("Bé Trần Thị Na", SplitName("Trần Thị Na", "Bé")),
        ("Ông Nguyễn Văn Tùng", SplitName("Nguyễn Văn Tùng", "Ông")),
        ("Anh Nguyễn Minh Tuấn", SplitName("Nguyễn Minh Tuấn", "Anh")),
        ("Anh Tuấn", SplitName("Anh Tuấn")),
        ("Anh Nguyễn Nam", SplitName("Anh Nguyễn Nam")),  # two words: not surely a whole name
        ("Anh Hoàng Nguyễn", SplitName("Anh Hoàng Nguyễn")),  # Nguyễn Hoàng Anh, Western order
        ("Anh Hoàng Minh Nguyễn", SplitName("Anh Hoàng Minh Nguyễn")),
        ("ANH DINH NGUYEN", SplitName("ANH DINH NGUYEN")),
        ("ANH KIM DAO", SplitName("ANH KIM DAO")),
        ("Anh Nguyen", SplitName("Anh Nguyen")),  # given name Anh, Western order
        ("Anh Nguyễn", SplitName("Anh Nguyễn")),
        ("ANH TUAN NGUYEN", SplitName("ANH TUAN NGUYEN")),
        ("Em Hoa", SplitName("Em Hoa")),
        ("Ông Tùng", SplitName("Ông Tùng")),  # the family name Ông cannot be ruled out
        ("Anh", SplitName("Anh")),
        ("Bà", SplitName("Bà")),
        # Diacritics decide when they are there; without any, every word of the list may be a name.
        ("Chu Văn An", SplitName("Chu Văn An")),
        ("Châu Thị Mỹ", SplitName("Châu Thị Mỹ")),
        ("Chi Nguyễn Thị Hoa", SplitName("Chi Nguyễn Thị Hoa")),
        ("CHU VAN AN", SplitName("CHU VAN AN")),
        ("CHAU THI MY", SplitName("CHAU THI MY")),
        ("Chu Van An", SplitName("Chu Van An")),
        ("BA NGUYEN VAN AN", SplitName("NGUYEN VAN AN", "BA")),
        ("CHI NGUYEN THI HOA", SplitName("NGUYEN THI HOA", "CHI")),
        ("chu Tran Van Nam", SplitName("Tran Van Nam", "chu")),
        ("CHU QUANG DUNG", SplitName("CHU QUANG DUNG")),  # Quang is a family name too
        ("chau dieu tu", SplitName("chau dieu tu")),
        ("BAC DINH DANG", SplitName("BAC DINH DANG")),
        ("DUONG HOANG NAM", SplitName("DUONG HOANG NAM")),  # Dương, not Dượng
        ("be au tongyode", SplitName("be au tongyode")),  # FEBRL: given name, surname
        ("Ba Hoa", SplitName("Ba Hoa")),
        ("Be Thi Lan", SplitName("Be Thi Lan")),
        ("Nguyễn Văn Ba", SplitName("Nguyễn Văn Ba")),
        ("Nguyễn Thị Bé", SplitName("Nguyễn Thị Bé")),
        ("Nguyễn Anh Tuấn", SplitName("Nguyễn Anh Tuấn")),
        # Nicknames: parentheses, and whatever follows tức, còn gọi là, aka ...
        ("Nguyễn Thị Hoa (Hoa Đen)", SplitName(HOA, "", ("Hoa Đen",))),
        ("Lò Văn Tủa tức Tủa", SplitName("Lò Văn Tủa", "", ("Tủa",))),
        ("Trần Văn Nam còn gọi là Tèo", SplitName("Trần Văn Nam", "", ("Tèo",))),
        ("Trần Văn Nam hay còn gọi là Tèo", SplitName("Trần Văn Nam", "", ("Tèo",))),
        ("Pham Thi Lan aka Lily", SplitName("Pham Thi Lan", "", ("Lily",))),
        ("Pham Thi Lan a.k.a. Lily", SplitName("Pham Thi Lan", "", ("Lily",))),
        ("Nguyễn Văn A (tức Tí)", SplitName("Nguyễn Văn A", "", ("Tí",))),
        ("Nguyễn Văn A (Tí, Tèo)", SplitName("Nguyễn Văn A", "", ("Tí", "Tèo"))),
        ("Nguyễn Văn A (Tí) tức Tèo", SplitName("Nguyễn Văn A", "", ("Tí", "Tèo"))),
        ("Nguyễn Văn Nam tức Nam Béo, tức Ba Béo", SplitName("Nguyễn Văn Nam", "", ("Nam Béo", "Ba Béo"))),
        ("Nguyễn Thị Mai biệt danh Mai Xù", SplitName("Nguyễn Thị Mai", "", ("Mai Xù",))),
        ("LO VAN TUA TUC TUA", SplitName("LO VAN TUA", "", ("TUA",))),
        ("Nguyễn Văn A (sinh 1990)", SplitName("Nguyễn Văn A")),
        ("Nguyễn Thị Hoa (Hoa)", SplitName(HOA, "", ("Hoa",))),
        ("Nguyễn Thị Hoa (Nguyễn Thị Hoa)", SplitName(HOA)),  # the name itself is no alias
        ("Nguyễn Văn A (Tí) tức TI, tức tí", SplitName("Nguyễn Văn A", "", ("Tí",))),  # once
        ("(Tí)", SplitName("Tí")),
        # Túc is a name: unaccented `tuc` is a marker only after three words, before another.
        ("Nguyễn Văn Túc", SplitName("Nguyễn Văn Túc")),
        ("NGUYEN VAN TUC", SplitName("NGUYEN VAN TUC")),
        ("LE VAN TUC AN", SplitName("LE VAN TUC AN")),
        # Both at once, and the forms parse_name reads.
        ("Chị Nguyễn Thị Hoa (Hoa Đen)", SplitName(HOA, "Chị", ("Hoa Đen",))),
        ("Bà Lò Thị Mai tức Mai Lò", SplitName("Lò Thị Mai", "Bà", ("Mai Lò",))),
        ("Mrs Nguyen, Thi Hoa", SplitName("Nguyen, Thi Hoa", "Mrs")),
        ("NGUYEN<<THI<HOA", SplitName("NGUYEN<<THI<HOA")),
        ("  Bà   Nguyễn Thị  Hoa ", SplitName(HOA, "Bà")),
        ("", SplitName("")),
    ],
)
def test_split_name_takes_off_words_of_address_and_nicknames(written, split):
    assert split_name(written) == split


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("Bà Nguyễn Thị Hoa", ParsedName("Nguyễn", "Thị", "Hoa")),
        ("Chị Nguyễn Thị Hoa (Hoa Đen)", ParsedName("Nguyễn", "Thị", "Hoa")),
        ("Mr Hoa Thi Nguyen", ParsedName("Nguyen", "Thi", "Hoa")),
        ("Lò Văn Tủa tức Tủa", ParsedName("Lò", "Văn", "Tủa")),
        ("Pham Thi Lan aka Lily", ParsedName("Pham", "Thi", "Lan")),
        ("Chu Văn An", ParsedName("Chu", "Văn", "An")),
        ("Anh Nguyen", ParsedName("Nguyen", "", "Anh")),
        ("Mrs Nguyen, Thi Hoa", ParsedName("Nguyen", "Thi", "Hoa")),
    ],
)
def test_parse_name_reads_only_the_name(written, parsed):
    assert parse_name(written) == parsed


_WORD = st.text(alphabet="abcdeghiklmnopqrstuvxyăâđêôơưàáảãạ", min_size=1, max_size=6)


@given(st.lists(_WORD, min_size=1, max_size=5))
def test_split_name_keeps_a_name_and_loses_no_word_of_it(words):
    text = " ".join(words)
    split = split_name(text)
    assert split.name
    # Whatever is taken off is a word of address or a nickname: nothing else goes missing.
    kept = " ".join(part for part in (split.honorific, split.name, *split.aliases) if part)
    markers = {"tuc", "aka", "alias", "con", "goi", "la", "hay", "thuong", "biet", "bi", "danh"}
    markers |= {"ten", "khac"}
    assert [w for w in fold_name(text).split() if w not in markers] == [
        w for w in fold_name(kept).split() if w not in markers
    ]
