"""The imagery part of a chip whose window leaves the raster (plugin/core/chips/padding.py)."""
from chipvlm.plugin.core.chips.padding import imagery_box


def test_a_window_inside_the_raster_is_all_imagery():
    assert imagery_box(10, 10, 64, 64, 1.0, 1000, 1000) is None


def test_a_window_over_the_top_left_corner_at_native_scale():
    assert imagery_box(-16, -8, 64, 64, 1.0, 1000, 1000) == (16, 8, 64, 64)


def test_a_shrunk_window_over_the_right_and_bottom_edges():
    # 512 raster pixels into a 256 px chip (zoom 0.5); the raster ends 100 px into the window
    assert imagery_box(900, 950, 512, 512, 0.5, 1000, 1050) == (0, 0, 50, 50)


def test_a_magnified_window_over_the_left_edge():
    assert imagery_box(-4, 0, 16, 16, 4.0, 100, 100) == (16, 0, 64, 64)


def test_a_window_wholly_outside_is_an_empty_box():
    x0, y0, x1, y1 = imagery_box(2000, 0, 64, 64, 1.0, 1000, 1000)
    assert x0 == x1
