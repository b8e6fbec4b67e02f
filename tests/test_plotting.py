"""Chinese renders with the bundled font, and saving is byte-stable."""

from __future__ import annotations

import warnings
from pathlib import Path

from matplotlib import font_manager

from analysis.charts import fonts
from analysis.charts import style as plotting


def draw_chinese_title(tmp_path: Path) -> list[str]:
    fig = plotting.new_figure()
    ax = fig.add_subplot()
    ax.set_title("北京市困难职工在档户数（户）")
    ax.set_xlabel("日期")
    plotting.add_source_line(fig, "北京工会", "zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plotting.save_figure(fig, tmp_path / "chinese")
    return [str(w.message) for w in caught]


def test_chinese_title_draws_with_no_missing_glyph(tmp_path):
    messages = draw_chinese_title(tmp_path)
    assert plotting.glyph_warnings(messages) == []
    assert (tmp_path / "chinese.png").stat().st_size > 0


def test_house_style_picks_the_bundled_simplified_chinese_face():
    plotting.use_house_style()
    chosen = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert Path(chosen) == fonts.cjk_font_path()
    assert fonts.cjk_font_path().name == "NotoSansSC-Regular.otf"


def test_bundled_font_wins_over_a_system_copy_of_the_same_family(tmp_path):
    impostor = font_manager.FontEntry(
        fname=str(tmp_path / "system-NotoSansSC.otf"),
        name=fonts.CJK_FONT_FAMILY,
        style="normal",
        variant="normal",
        weight=400,
        stretch="normal",
        size="scalable",
    )
    font_manager.fontManager.ttflist.insert(0, impostor)
    plotting.use_house_style()
    chosen = font_manager.findfont(font_manager.FontProperties(family=fonts.CJK_FONT_FAMILY))
    assert Path(chosen) == fonts.cjk_font_path()


def test_glyph_warning_filter_recognises_matplotlib_messages():
    message = "Glyph 22256 (\\N{CJK UNIFIED IDEOGRAPH-56F0}) missing from font(s) DejaVu Sans."
    assert plotting.glyph_warnings([message, "something else"]) == [message]


def test_saving_twice_gives_identical_bytes(tmp_path):
    for run in ("a", "b"):
        fig = plotting.new_figure()
        fig.add_subplot().plot([1, 2, 3], [3, 1, 2], label="困难职工")
        plotting.save_figure(fig, tmp_path / run)
    for suffix in (".png", ".svg"):
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
