"""The second opinion's feature values do not move when the code computing them changes: the vectors of
varied objects on 8-bit, 16-bit and float rasters, with embeddings in another CRS, against those main's
per-object code computed (tests/helpers/feature_cases.py, second_opinion_features_golden.json)."""
import json

import numpy as np
import pytest

from helpers.feature_cases import GOLDEN, RASTERS, compute_all


@pytest.fixture(scope="module")
def golden():
    with open(GOLDEN, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    return compute_all(str(tmp_path_factory.mktemp("feature_cases")))


def assert_same_vectors(found, expected):
    assert found["names"] == expected["names"]
    missing = sorted(f for f, v in expected["vectors"].items() if v is None)
    assert sorted(f for f, v in found["vectors"].items() if v is None) == missing
    for fid, vector in expected["vectors"].items():
        if vector is not None:
            np.testing.assert_allclose(found["vectors"][fid], vector, rtol=1e-6, atol=1e-6, equal_nan=True,
                                       err_msg=f"fid {fid}")


@pytest.mark.parametrize("raster", RASTERS)
def test_feature_values_are_those_of_the_per_object_code(golden, computed, raster):
    assert_same_vectors(computed[raster], golden[raster])
