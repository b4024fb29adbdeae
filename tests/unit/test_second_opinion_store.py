"""results.sqlite and results.csv carry the second opinion; a file of an older version gains its columns."""
import csv
import sqlite3

from chipvlm.plugin.core.results.store import ResultsStore

SECOND_COLUMNS = ["second_class_id", "second_confidence", "agrees", "model_class_id"]


def test_an_older_results_file_gains_the_second_opinion_columns_and_keeps_its_rows(tmp_path):
    path = tmp_path / "results.sqlite"
    con = sqlite3.connect(str(path))
    con.execute("CREATE TABLE results (fid INTEGER PRIMARY KEY, chip_path TEXT NOT NULL, class_id INTEGER NOT NULL, "
                "class_name TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', needs_review INTEGER NOT NULL DEFAULT 0, "
                "reviewed_class_id INTEGER, reviewed_class_name TEXT, reviewed_at TEXT, reviewer TEXT, model TEXT, "
                "endpoint TEXT, attempts INTEGER NOT NULL DEFAULT 0, elapsed_ms INTEGER, updated_at TEXT NOT NULL)")
    con.execute("INSERT INTO results (fid, chip_path, class_id, class_name, updated_at) "
                "VALUES (7, 'chips/000007.png', 3, 'orchard', '2025-01-01')")
    con.commit()
    con.close()

    with ResultsStore(path) as store:
        row = store.get(7)
        assert row["class_id"] == 3 and all(row[c] is None for c in SECOND_COLUMNS)
        with store.transaction() as write:
            write.execute("UPDATE results SET second_class_id = 5, second_confidence = 0.8, agrees = 0 WHERE fid = 7")
        store.export_csv(tmp_path / "results.csv")
    with open(tmp_path / "results.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [rows[0][c] for c in SECOND_COLUMNS] == ["5", "0.8", "0", ""]
