"""What a chip looks like: band choice, one stretch for the raster, every ring outlined outside the object
(corner marks around a small one), no imagery in magenta, a readable fid."""
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import MultiPolygon, Polygon

from chipvlm.plugin.core.chips import render
from chipvlm.plugin.core.chips.window import RasterGrid
from helpers.synthetic import write_raster


def test_parse_bands():
    assert render.parse_bands("", 4) == [1, 2, 3]
    assert render.parse_bands(None, 1) == [1]
    assert render.parse_bands(" 4, 3 ,2", 4) == [4, 3, 2]
    assert render.parse_bands("4", 4) == [4]
    for bad, message in (("1,2", "one band"), ("a,b,c", "separated by commas"), ("1,2,5", "Band 5 does not exist")):
        with pytest.raises(ValueError, match=message):
            render.parse_bands(bad, 4)


def test_16_bit_stretch_uses_the_whole_raster_percentiles_and_ignores_nodata(tmp_path):
    import rasterio

    path = write_raster(str(tmp_path / "u16.tif"), 600, 400, dtype="uint16", nodata=0)
    with rasterio.open(path, "r+") as dataset:
        data = dataset.read()
        data[:, :50, :] = 0  # a nodata collar
        dataset.write(data)
    with rasterio.open(path) as dataset:
        stretch = render.compute_stretch(dataset, [1, 2, 3])
        values = dataset.read(1)
    low, high = stretch.ranges[0]
    valid = values[values != 0]
    assert abs(low - np.percentile(valid, 2)) <= 80 and abs(high - np.percentile(valid, 98)) <= 80
    chip = stretch.apply(np.stack([values, values, values]), values != 0)
    assert chip.dtype == np.uint8 and chip[:, :50, :].max() == 0
    assert chip[:, 50:, :].std() > 30
    again = render.Stretch.from_json(stretch.to_json([1, 2, 3]), [1, 2, 3])
    assert again.ranges == [tuple(r) for r in stretch.ranges]
    assert render.Stretch.from_json(stretch.to_json([1, 2, 3]), [3, 2, 1]) is None


def test_float_with_nan_is_black_where_nan():
    stretch = render.Stretch([(0.0, 10.0)])
    data = np.array([[[np.nan, 5.0], [10.0, 20.0]]], dtype=np.float32)
    out = stretch.apply(data, ~np.isnan(data[0]))
    assert out.tolist() == [[[0, 127], [255, 255]]]


def _inside_mask(geom, size):
    """True for the chip pixels whose centre lies inside the geometry (grid: 1 map unit = 1 pixel)."""
    from shapely.geometry import Point

    return np.array([[geom.contains(Point(u + 0.5, size - v - 0.5)) for u in range(size)] for v in range(size)])


def test_every_ring_and_every_part_is_outlined_outside_the_object():
    grid = RasterGrid((1.0, 0.0, 0.0, 0.0, -1.0, 200.0), 200, 200)
    outer = [(20, 180), (180, 180), (180, 20), (20, 20)]
    hole = [(80, 120), (120, 120), (120, 80), (80, 80)]
    part2 = Polygon([(150, 140), (170, 140), (170, 160), (150, 160)])  # an island in no hole: its own part
    island = Polygon([(95, 95), (105, 95), (105, 105), (95, 105)])  # a part inside the hole
    geom = MultiPolygon([Polygon(outer, [hole, [(145, 135), (175, 135), (175, 165), (145, 165)]]), part2, island])
    image = Image.new("RGB", (200, 200))
    painter = render.ChipPainter(200)
    painter.outline(image, geom, grid.to_pixel, 0, 0)
    red = np.asarray(image)[..., 0] == 255
    assert not (red & _inside_mask(geom, 200)).any(), "no pixel of the object is painted"
    line = painter.line_width
    for edge in (red[20 - line:20, 100], red[181:181 + line, 100], red[100, 20 - line:20]):
        assert edge.all(), "the shell, just outside it, as wide as the line"
    assert red[81:81 + line, 100].all() and red[120 - line:120, 100].all()  # the hole: inside the hole
    assert red[95 - line:95, 100].all()  # around the island in the hole
    assert not red[22:79, 100].any()  # the object itself is neither filled nor lined


@pytest.mark.parametrize("zoom", [1.0, 4.0])
def test_a_small_object_gets_corner_marks_clear_of_it(zoom):
    """A 1 x 1 raster pixel object (5 m on 5 m imagery) magnified `zoom` times: four red corners
    around it, nothing on it or on the ring of pixels next to it."""
    grid = RasterGrid((1.0, 0.0, 0.0, 0.0, -1.0, 512.0), 512, 512)
    size = 512
    painter = render.ChipPainter(size)
    obj = Polygon([(64, 448), (65, 448), (65, 447), (64, 447)])  # raster pixel col 64, row 64
    image = Image.new("RGB", (size, size), (0, 90, 0))
    painter.outline(image, obj, grid.to_pixel, 64 - 64 / zoom, 64 - 64 / zoom, zoom)
    red = np.asarray(image)[..., 0] == 255
    first, last = 64, 64 + int(zoom)  # the chip pixels that show the object: [64, 64 + zoom)
    near = red[first - 2:last + 2, first - 2:last + 2]
    assert not near.any(), "the object and the pixels around it stay visible"
    rows, cols = np.nonzero(red)
    assert rows.size > 0 and set(np.sign(rows - (first + last) / 2)) == {-1, 1} and set(
        np.sign(cols - (first + last) / 2)) == {-1, 1}, "marks on every side"
    assert rows.max() - rows.min() < 12 * painter.line_width, "close to the object"


def test_a_point_or_a_line_gets_corner_marks_not_a_line_over_it():
    from shapely.geometry import LineString, Point

    grid = RasterGrid((1.0, 0.0, 0.0, 0.0, -1.0, 200.0), 200, 200)
    for geom in (Point(100, 100), LineString([(60, 100), (140, 100)])):
        image = Image.new("RGB", (200, 200))
        render.ChipPainter(200).outline(image, geom, grid.to_pixel, 0, 0)
        red = np.asarray(image)[..., 0] == 255
        assert red.any() and not red[99:101, 60:141].any(), geom.geom_type


def test_where_there_is_no_imagery_the_chip_is_magenta_not_black():
    data = np.zeros((3, 4, 4), dtype=np.uint8)  # dark imagery: black like a lake
    valid = np.ones((4, 4), dtype=bool)
    valid[:, 2:] = False  # outside the raster
    pixels = np.asarray(render.to_image(data, valid))
    assert (pixels[:, 2:] == render.NO_IMAGERY_COLOR).all() and (pixels[:, :2] == 0).all()
    grey = np.asarray(render.to_image(data[:1], valid))  # one band shown as grey: the padding too
    assert (grey[:, 2:] == render.NO_IMAGERY_COLOR).all()
    assert (np.asarray(render.to_image(data, None)) == 0).all()


def test_label_is_readable_with_or_without_a_truetype_font(monkeypatch):
    for font_available in (True, False):
        if not font_available:
            monkeypatch.setattr(render, "FONT_CANDIDATES", ("no-such-font.ttf",))
        painter = render.ChipPainter(512)
        assert (painter.font is not None) is font_available
        for background in (0, 255):
            image = Image.new("RGB", (512, 512), (background,) * 3)
            painter.label(image, "123456")
            corner = np.asarray(image)[:painter.font_px, :painter.font_px * 3]
            assert (corner.sum(axis=2) == 0).mean() > 0.3, "black box behind the text"
            assert (corner.min(axis=2) == 255).mean() > 0.05, "white text"
            text_rows = np.nonzero((np.asarray(image)[:, :, 0] == 255).any(axis=1)
                                   & (np.asarray(image)[:, :, 1] == 255).any(axis=1))[0]
            if background == 0:
                assert text_rows.max() - text_rows.min() >= 18, "digits tall enough to read at 512 px"


def test_stretch_of_a_big_raster_without_overviews_reads_a_grid_of_windows(tmp_path, monkeypatch):
    import rasterio

    path = write_raster(str(tmp_path / "big16.tif"), 4200, 600, dtype="uint16", tiled=True)
    reads = []
    with rasterio.open(path) as dataset:
        original = dataset.read

        def counting_read(*args, **kwargs):
            reads.append(kwargs.get("window"))
            return original(*args, **kwargs)

        monkeypatch.setattr(dataset, "read", counting_read, raising=False)
        stretch = render.compute_stretch(dataset, [1, 2, 3])
    assert len(reads) == render.STRETCH_GRID ** 2 and all(w is not None for w in reads)
    low, high = stretch.ranges[0]
    assert 1000 <= low < high <= 1000 + 40 * 255


@pytest.mark.parametrize("shape", [(512, 512, 3), (37, 5, 3), (1, 1, 3), (1, 300, 3), (200, 1, 3), (64, 48)])
def test_our_png_encoder_is_lossless_for_any_size_rgb_or_grey(shape):
    import io

    rng = np.random.default_rng(sum(shape))
    pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    pixels[: shape[0] // 2] = 255  # flat runs too, where the Up filter wraps around 0
    data = render.encode_png(pixels)
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # checks every chunk's CRC and the zlib stream
        assert image.format == "PNG" and image.mode == ("RGB" if len(shape) == 3 else "L")
        assert np.array_equal(np.asarray(image), pixels)


def test_our_png_encoder_refuses_what_it_cannot_write():
    for bad in (np.zeros((4, 4, 3), dtype=np.uint16), np.zeros((4, 4, 4), dtype=np.uint8), np.zeros(4, np.uint8)):
        with pytest.raises(ValueError, match="encode_png takes"):
            render.encode_png(bad)


@pytest.mark.parametrize("with_font", [True, False], ids=["truetype", "no-truetype"])
def test_label_pixels_are_pure_white_or_black_with_and_without_a_truetype_font(monkeypatch, with_font):
    if not with_font:
        monkeypatch.setattr(render, "_load_font", lambda px: None)
    painter = render.ChipPainter(512)
    if with_font and painter.font is None:
        pytest.skip("no TrueType font on this system")
    for _ in (1,):
        image = Image.new("RGB", (512, 512), (90, 140, 60))
        painter.label(image, "120583")
        pixels = image.load()
        box = [pixels[x, y] for y in range(0, 40) for x in range(0, 200) if pixels[x, y] != (90, 140, 60)]
        assert box, "a label is drawn"
        colours = set(box)
        assert colours <= {(0, 0, 0), (255, 255, 255)}, f"font={with_font}: {sorted(colours)[:5]}"
        assert (255, 255, 255) in colours and (0, 0, 0) in colours
