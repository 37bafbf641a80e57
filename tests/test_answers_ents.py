"""Compare by stated class, in each edition named; outright checks of the figures; a figure
quoted as printed; the weights' total. Numbers are the reports' printed ones:
九龙坡区 in 第二类 (70-80), 巴南区 in 第三类 (50-70) (004 lines 29-40); 北京 84.04 / 上海 50.48
(000 lines 2766-2768) and 86.59 / 51.86 (001 lines 1821, 1880); 深圳 "2,73%" (001 line 1964);
2019 weights 15/35/35/15 % (001 line 1786), which add to 100 %; the 2020 top 10 from 84.04 down
to 27.40 (000 lines 2766-2784) in rank order; 西安 2019 printed 39.78, computed 39.79 (001 line 1974)."""
from __future__ import annotations

from tests.answer_frames import ask_question, first


def test_districts_without_printed_scores_compare_by_class():
    env = ask_question("巴南区和九龙坡区谁的双创指数高")
    head = first(env)
    assert "九龙坡区更高" in head and "第二类" in head and "第三类" in head
    assert {tuple(c.lines) for c in env.citations} >= {(29, 33), (36, 40)}


def test_compare_in_each_edition_named():
    env = ask_question("compare Beijing and Shanghai in 2019 and 2020")
    assert all(v in env.answer for v in ("84.04", "50.48", "86.59", "51.86"))
    assert env.answer.index("84.04") < env.answer.index("86.59")   # newest edition first


def test_an_outright_check_of_a_clean_list_says_none_found_first():
    env = ask_question("2020年硬科技指数前十名的排序和分数对得上吗")
    assert "未发现" in first(env)
    assert "27.40" in env.answer


def test_an_outright_check_of_a_list_brings_the_notes_on_its_members():
    env = ask_question("2019年第三梯队有哪些城市，分数对吗")
    assert "39.78" in env.answer and "39.79" in env.answer
    assert "未发现" not in env.answer


def test_a_figure_quoted_as_printed_brings_its_note():
    env = ask_question("Shenzhen 2019 R&D share 2,73% - is that 2.73 or 273?")
    assert "2,73" in env.answer and "2.73" in env.answer


def test_the_weights_state_their_total():
    env = ask_question("Do the 2019 dimension weights add up to 100%?")
    assert "together 100%" in first(env)
    assert "15%" in first(env) and "35%" in first(env)
