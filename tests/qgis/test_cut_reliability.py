"""Hostile inputs to "Cut feature chips" (issue 7 points 4 and 6, issue 9): duplicate fids across resumes,
a disk that fills up mid-run, a tile GDAL cannot read with rasterio 1.4's vague message."""
import errno
import os
import threading

import pytest
from qgis.core import QgsProcessingException

from chipvlm.plugin.core.chips import index as idx
from chipvlm.plugin.core.chips.cutter import CutIO
from helpers.layers import write_layer
from helpers.real_data import raster_bounds, read_index_rows, real_raster

NAIP = "naip_m_4709963_se_14_1_20200831.tif"


def box_wkt(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def naip_boxes(tmp_path, count, fids=None, name="objs.gpkg"):
    raster = real_raster(NAIP)
    bounds, crs = raster_bounds(raster)
    cx, cy = (bounds.left + bounds.right) / 2, (bounds.bottom + bounds.top) / 2
    geoms = [box_wkt(cx - 1500 + 150 * i, cy - 30, cx - 1450 + 150 * i, cy + 20) for i in range(count)]
    return write_layer(str(tmp_path / name), geoms, crs=crs.to_string(), fids=fids), raster


def cutchips_with(**io):
    """chipvlm:cutchips as Processing creates it, opening the raster and saving chips through `io`."""
    from chipvlm.plugin.processing.cut_chips import CutChipsAlgorithm

    return CutChipsAlgorithm(CutIO(**io)).create()


def test_a_duplicate_fid_never_turns_the_kept_chip_into_an_error_on_resume(run_algorithm, tmp_path):
    layer, raster = naip_boxes(tmp_path, 3, fids=[5, 5, 6])
    out = tmp_path / "dup"
    params = {"INPUT": layer, "RASTER": raster, "FID_FIELD": "obj_id", "CHIP_SIZE": 128, "OUTPUT_FOLDER": str(out)}
    result, _ = run_algorithm("chipvlm:cutchips", params)
    assert result["CHIP_COUNT"] == 2
    for resume in range(3):
        result, feedback = run_algorithm("chipvlm:cutchips", params)
        rows = idx.read_index(str(out / "chips_index.csv"))  # the reader the classifier uses
        assert rows[5]["status"] == "ok", f"resume {resume + 1}: {rows[5]}"
        assert rows[6]["status"] == "ok"
        assert result["CHIP_COUNT"] == 2
        assert [r["fid"] for r in read_index_rows(str(out))].count("5") == 1
    assert any("1 feature(s) have the fid of an earlier feature" in w for w in feedback.warnings)
    assert any("Duplicate fid 5" in info for info in feedback.infos)


def test_disk_full_stops_at_once_with_one_sentence_and_leaves_no_unlisted_chip(run_algorithm, tmp_path):
    layer, raster = naip_boxes(tmp_path, 12)
    out = tmp_path / "full"
    real_save = CutIO().save_image
    saved = []
    attempts = []
    lock = threading.Lock()

    def save_until_full(image, path, fmt):
        with lock:
            attempts.append(path)
            full = len(saved) >= 4
        if full:  # what a full disk does: half a temporary file, then ENOSPC
            with open(f"{path}.part", "wb") as handle:
                handle.write(b"\x89PNG half")
            raise OSError(errno.ENOSPC, "No space left on device", f"{path}.part")
        real_save(image, path, fmt)
        with lock:
            saved.append(path)

    params = {"INPUT": layer, "RASTER": raster, "CHIP_SIZE": 64, "WORKERS": 1, "MAX_INFLIGHT": 1,
              "OUTPUT_FOLDER": str(out)}
    with pytest.raises(QgsProcessingException) as error:
        run_algorithm(cutchips_with(save_image=save_until_full), params)
    message = str(error.value)
    assert "is full" in message and str(out) in message and "free" in message
    assert "OVERWRITE off to resume" in message and "Traceback" not in message
    assert len(attempts) == 5, "no chip is tried after the first 'no space'"
    chips = sorted(os.listdir(out / "chips"))
    listed = sorted(os.path.basename(r["chip_path"]) for r in read_index_rows(str(out)) if r["status"] == "ok")
    assert chips == listed and len(chips) == 4, "every chip on disk is in the index, and nothing else"

    result, _ = run_algorithm("chipvlm:cutchips", params)  # the disk has room again
    assert result["CHIP_COUNT"] == 12
    assert sorted(int(r["fid"]) for r in read_index_rows(str(out))) == list(range(1, 13))


def test_disk_full_while_writing_the_index_removes_the_chips_it_could_not_list(run_algorithm, tmp_path,
                                                                              monkeypatch):
    layer, raster = naip_boxes(tmp_path, 6)
    out = tmp_path / "indexfull"
    real_write = idx.IndexWriter.write
    calls = []

    def write_until_full(self, rows):
        rows = list(rows)
        if any(row.get("chip_path") for row in rows):
            calls.append(rows)
            if len(calls) >= 3:
                raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, rows)

    monkeypatch.setattr(idx.IndexWriter, "write", write_until_full)
    with pytest.raises(QgsProcessingException, match="is full"):
        run_algorithm("chipvlm:cutchips", {"INPUT": layer, "RASTER": raster, "CHIP_SIZE": 64, "WORKERS": 1,
                                           "MAX_INFLIGHT": 1, "OUTPUT_FOLDER": str(out)})
    chips = sorted(os.listdir(out / "chips"))
    listed = sorted(os.path.basename(r["chip_path"]) for r in read_index_rows(str(out)) if r["status"] == "ok")
    assert chips == listed and len(chips) == 2


class _VagueReads:
    """A dataset whose windowed reads fail as rasterio 1.4 reports a corrupt tile."""

    def __init__(self, dataset):
        self._dataset = dataset

    def __getattr__(self, name):
        return getattr(self._dataset, name)

    def read(self, *args, **kwargs):
        from rasterio.errors import RasterioIOError

        if "window" in kwargs:
            raise RasterioIOError("Read failed. See previous exception for details.")
        return self._dataset.read(*args, **kwargs)

    def close(self):
        self._dataset.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def test_a_tile_that_cannot_be_read_names_the_file_and_the_window_whatever_gdal_says(run_algorithm, tmp_path):
    layer, raster = naip_boxes(tmp_path, 1)
    real_open = CutIO().open_raster
    vague = cutchips_with(open_raster=lambda path: _VagueReads(real_open(path)))
    out = tmp_path / "vague"
    result, _ = run_algorithm(vague, {"INPUT": layer, "RASTER": raster, "CHIP_SIZE": 64, "FRAMING": "native",
                                      "OUTPUT_FOLDER": str(out)})
    row = read_index_rows(str(out))[0]
    assert result["CHIP_COUNT"] == 0 and row["status"] == "error"
    assert NAIP in row["message"]
    assert f"column {row['col_off']}, row {row['row_off']}" in row["message"] and "64 x 64" in row["message"]
    assert "Read failed" in row["message"]
