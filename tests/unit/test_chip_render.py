"""What a chip looks like: band choice, one stretch for the raster, every ring outlined, a readable fid."""
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


def test_every_ring_and_every_part_is_outlined():
    grid = RasterGrid((1.0, 0.0, 0.0, 0.0, -1.0, 200.0), 200, 200)
    outer = [(20, 180), (180, 180), (180, 20), (20, 20)]
    hole = [(80, 120), (120, 120), (120, 80), (80, 80)]
    polygon = Polygon(outer, [hole])
    part2 = Polygon([(185, 195), (195, 195), (195, 185)])
    image = Image.new("RGB", (200, 200))
    painter = render.ChipPainter(200)
    painter.outline(image, render.geometry_rings(MultiPolygon([polygon, part2])), grid.to_pixel, 0, 0)
    red = np.asarray(image)[..., 0] == 255
    assert red[20, 100] and red[180, 100]  # outer ring, top and bottom
    assert red[80, 100] and red[120, 100]  # the hole
    assert red[5:15, 185:195].any()  # the second part
    assert not red[100, 50]  # inside is not filled


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
