"""Names typed in traditional characters or with two neighbouring letters swapped link to the
entity they spell; a name one letter away from another (Xuzhou, Suzhou) is never swapped for it."""
import pytest

from assistant.offline.understand import understand
from assistant.offline.understand.normalise import normalise


def _entities(question):
    return [(link.surface, link.target, link.method) for link in understand(question).links if link.kind == "entity"]


@pytest.mark.parametrize("question, target", [
    ("廣州2020年排名第幾？", "广州"),
    ("重慶區縣雙創指數裡渝北區多少分", "渝北区"),
    ("倫敦在全球城市硬科技創新指數排第幾", "伦敦"),
    ("瀋陽2019年屬於哪個梯隊", "沈阳"),
])
def test_traditional_characters_link_as_simplified(question, target):
    assert target in [t for _, t, _ in _entities(question)]


def test_traditional_reading_keeps_positions_and_the_surface_as_typed():
    t = normalise("廣州得分")
    assert t.text == "广州得分"
    assert t.surface(0, 2) == "廣州"


@pytest.mark.parametrize("question, surface, target", [
    ("hefie rank in the 2020 index?", "hefie", "合肥"),
    ("Wuhna 2020 hard-tech score", "Wuhna", "武汉"),
    ("how did Chnegdu do in 2019", "Chnegdu", "成都"),
])
def test_two_swapped_letters_link_as_a_fuzzy_match(question, surface, target):
    assert (surface, target, "fuzzy") in _entities(question)


def test_a_name_one_letter_from_another_is_that_name_not_a_swap():
    assert [t for _, t, _ in _entities("xuzhou 2020 score")] == ["徐州"]


@pytest.mark.parametrize("question, targets", [
    ("WH vs NJ 2020", ["武汉", "南京"]),
    ("where's CD in the 2020 ranking", ["成都"]),
])
def test_a_city_typed_as_its_pinyin_initials_links_as_a_fuzzy_match(question, targets):
    assert [(t, m) for _, t, m in _entities(question)] == [(t, "fuzzy") for t in targets]


def test_initials_shared_by_two_cities_or_typed_in_lower_case_link_nothing():
    assert _entities("SZ 2020") == [("SZ", "深圳", "alias")]   # the data's own alias; 苏州 shares the initials
    assert not [t for _, t, _ in _entities("how many cd players")]


def test_a_question_of_names_only_asks_for_their_figures():
    assert understand("Shapingba").operation == "lookup"
    assert understand("北京 上海 2020").operation == "compare"
