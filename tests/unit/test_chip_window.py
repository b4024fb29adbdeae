"""Where a chip lies: centred on the bbox centre, padded at the edge, never shifted; any affine."""
import math

from chipvlm.plugin.core.chips.window import RasterGrid, chip_window, clip_window, intersects_raster

NORTH_UP = RasterGrid((2.0, 0.0, 1000.0, 0.0, -2.0, 5000.0), 1000, 800, 1, 1000)


def test_window_is_centred_on_the_bbox_centre():
    # bbox centre (1500, 4000) -> pixel (250, 500)
    window = chip_window(NORTH_UP, (1400, 3900, 1600, 4100), 512)
    assert (window.col_off, window.row_off) == (250 - 256, 500 - 256)
    assert (window.center_x, window.center_y) == (1500, 4000)


def test_window_at_the_edge_is_not_shifted_but_clipped_for_reading():
    window = chip_window(NORTH_UP, (1000, 4990, 1010, 5000), 64)  # top-left corner
    assert window.col_off < 0 and window.row_off < 0
    col, row, width, height, dcol, drow = clip_window(NORTH_UP, window.col_off, window.row_off, 64)
    assert (col, row) == (0, 0)
    assert dcol == -window.col_off and drow == -window.row_off
    assert width == 64 + window.col_off and height == 64 + window.row_off
    assert clip_window(NORTH_UP, 5000, 5000, 64) is None


def test_outside_detection():
    assert intersects_raster(NORTH_UP, (1400, 3900, 1600, 4100))
    assert not intersects_raster(NORTH_UP, (9000, 3900, 9100, 4100))
    assert not intersects_raster(NORTH_UP, (1400, 5100, 1600, 5200))


def test_rotated_transform_round_trips_through_pixel_space():
    angle = math.radians(30)
    grid = RasterGrid((10 * math.cos(angle), 10 * math.sin(angle), 100.0,
                       10 * math.sin(angle), -10 * math.cos(angle), 200.0), 50, 60)
    assert grid.rotated
    x, y = grid.to_map(12.5, 40.25)
    col, row = grid.to_pixel(x, y)
    assert abs(col - 12.5) < 1e-9 and abs(row - 40.25) < 1e-9
    assert abs(grid.pixel_size - 10) < 1e-9


def test_sort_key_follows_block_layout():
    striped = RasterGrid((1, 0, 0, 0, -1, 0), 20000, 20000, 1, 20000)
    tiled = RasterGrid((1, 0, 0, 0, -1, 0), 20000, 20000, 512, 512)
    a = chip_window(striped, (100, -5000, 110, -4990), 512)
    b = chip_window(striped, (19000, -5001, 19010, -4991), 512)
    assert a.sort_key(striped) < b.sort_key(striped)  # same rows: order by row, not by column
    assert a.sort_key(tiled)[0] == b.sort_key(tiled)[0]
