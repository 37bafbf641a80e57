"""Linking from the data: typos, pinyin, homophones, lookalikes, unknown places, and the
district index versus the city. A name is never silently replaced."""
import pytest

from assistant.offline.understand import catalogue as catalogue_module
from assistant.offline.understand import understand


def _entity_links(frame):
    return [link for link in frame.links if link.kind == "entity"]


@pytest.mark.parametrize("question, surface, target, method", [
    ("Shenzen's score in 2019?", "Shenzen", "深圳", "fuzzy"),
    ("What rank did Hangzou get in 2020?", "Hangzou", "杭州", "fuzzy"),
    ("深证2019年得分多少？", "深证", "深圳", "pinyin"),
    ("杭洲2020年排名第几？", "杭洲", "杭州", "pinyin"),
    ("Xian 2020 score", "Xian", "西安", "alias"),
    ("chong qing 2020 rank", "chong qing", "重庆", "alias"),
    ("shen zhen 2019 score", "shen zhen", "深圳", "alias"),
    ("Yubei district score", "Yubei district", "渝北区", "alias"),
    ("Ｓｈｅｎｚｈｅｎ ２０１９ score", "Ｓｈｅｎｚｈｅｎ", "深圳", "alias"),
])
def test_spelling_variants_link_and_say_how(question, surface, target, method):
    frame = understand(question)
    assert frame.entities == (target,)
    link = _entity_links(frame)[0]
    assert (link.surface, link.target, link.method) == (surface, target, method)
    if method in ("fuzzy", "pinyin"):
        assert 80 <= link.score < 100 and target in link.suggestions


def test_a_lookalike_spelling_is_read_as_the_name_never_silently():
    frame = understand("What is Ѕhеnzhen's score in 2019?")  # Cyrillic S and e
    assert frame.entities == ("深圳",)
    link = _entity_links(frame)[0]
    assert link.target == "深圳" and link.method == "fuzzy" and link.score < 100 and link.suggestions[0] == "深圳"


@pytest.mark.parametrize("question, surface", [
    ("洛阳在2019年城市产业创新综合能力指数中排名第几？", "洛阳"),
    ("What is Gotham's score in 2020?", "Gotham"),
    ("亚特兰蒂斯的得分是多少？", "亚特兰蒂斯"),
    ("Compare Gotham and Beijing", "Gotham"),
])
def test_places_the_data_does_not_cover_are_unresolved_mentions(question, surface):
    frame = understand(question)
    assert surface in [link.surface for link in frame.unresolved if link.kind == "entity"]
    assert all(e != surface for e in frame.entities)


@pytest.mark.parametrize("question", ["重庆区县双创指数前五名是哪些区县？", "Top 3 Chongqing districts", "Which of Chongqing's districts leads vitality?",
                                      "Which district is highest on environment in the Chongqing index?"])
def test_the_district_index_is_not_the_city(question):
    frame = understand(question)
    assert "重庆" not in frame.entities
    assert frame.editions and frame.editions[0] == next(e for e in catalogue_module.catalogue().editions.values()
                                                        if e.kind == "district").id


def test_a_city_naming_its_district_is_a_qualifier():
    assert understand("重庆渝北区的得分是多少？").entities == ("渝北区",)


@pytest.mark.parametrize("question, key, method", [
    ("why is Shenzhen weak on innovaton base?", "innovation_base", "fuzzy"),
    ("深圳的创新基出为什么弱？", "innovation_base", "pinyin"),
    ("top 5 cities by reserch talent", "research_talent", "fuzzy"),
])
def test_misspelt_dimensions_link(question, key, method):
    frame = understand(question)
    assert frame.dimension == key
    assert [(link.target, link.method) for link in frame.links if link.kind == "dimension"] == [(key, method)]


def test_indicators_link_to_their_facts_name():
    frame = understand("深圳万人普通高等学校在校学生数是多少？")
    assert frame.indicator == "万人普通高等学校在校学生数" and frame.aspect == "indicator"


def test_concepts_link_from_the_concept_files(monkeypatch, tmp_path):
    from pathlib import Path

    from assistant import concept_index as concept_files

    monkeypatch.setattr(concept_files, "CONCEPTS_DIR", Path(__file__).parent / "data" / "concepts")
    catalogue_module.catalogue.cache_clear()
    try:
        frame = understand("What does the tech pyramid consist of?")
        assert frame.operation == "concept" and frame.topic == "科技金字塔" and frame.aspect == "parts"
        assert [(link.kind, link.target) for link in frame.links] == [("concept", "fixture-pyramid")]
        # a person an origin story names links to that story
        frame = understand("米磊是谁？")
        assert [(link.kind, link.target) for link in frame.links] == [("concept", "fixture-hardtech-origin")]
        assert frame.topic == "硬科技"
    finally:
        catalogue_module.catalogue.cache_clear()


def test_a_word_of_a_dimension_name_resolves_within_the_chosen_edition():
    frame = understand("Which district is highest on environment in the Chongqing index?")
    assert (frame.operation, frame.dimension, frame.direction) == ("leader", "environment", "top")


def test_the_city_stays_a_city_when_it_is_compared():
    assert understand("重庆和成都2020年对比").entities == ("重庆", "成都")
