"""Figure and table labels in English and Chinese; the narrative stays English."""

from __future__ import annotations

LANGS = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "households": {"en": "Households on file", "zh": "在档户数（户）"},
    "date": {"en": "Date", "zh": "日期"},
    "caseload_title": {"en": "Struggling-worker households on file, {region}",
                       "zh": "{region}在档困难职工家庭户数"},
    "published_stock": {"en": "Published stock", "zh": "公布的在档户数"},
    "net_path": {"en": "Constant net hazard, no inflow", "zh": "恒定净退出率（无新增）"},
    "projection_band": {"en": "Projection band over assumed inflows", "zh": "不同新增假设下的预测区间"},
    "lower_bound_stock": {"en": "Published lower bound", "zh": "公布的下限"},
    "inflow": {"en": "Assumed new households per year", "zh": "假设每年新增户数"},
    "exit_probability": {"en": "Implied annual exit probability (gross)", "zh": "隐含年退出概率（毛）"},
    "sensitivity_title": {"en": "Gross exit rate implied by an assumed inflow, {region}",
                          "zh": "{region}：不同新增假设下的毛退出率"},
    "share": {"en": "Share of households on file", "zh": "占在档户数比例"},
    "household_type": {"en": "By household type", "zh": "按家庭类型"},
    "main_cause": {"en": "By main cause of hardship", "zh": "按主要致困原因"},
    "composition_title": {"en": "Remaining caseload on {date}, {region} (n = {total})",
                          "zh": "{region}{date}在档困难职工家庭构成（共{total}户）"},
    "calls_per_day": {"en": "Calls per day (10,000)", "zh": "日均来电（万个）"},
    "period": {"en": "Period", "zh": "时期"},
    "hotline_title": {"en": "Beijing 12345 calls per day by published period",
                      "zh": "北京12345热线各公布时期日均来电"},
    "window_end": {"en": "Assumed end of the cumulative window", "zh": "累计窗口的假设截止日"},
    "unexplained_per_day": {"en": "Unexplained calls per day, at least (10,000)",
                            "zh": "未说明时期日均来电下限（万个）"},
    "unexplained_title": {"en": "Calls the stated periods leave unexplained in the 6400余万 total",
                          "zh": "累计6400余万来电中未被公布时期覆盖的部分"},
    "rate": {"en": "Rate", "zh": "比率"},
    "sample_size": {"en": "Assumed number of respondents n", "zh": "假设样本量 n"},
    "wilson_title": {"en": "95% Wilson interval if the printed rate came from n responses",
                     "zh": "若公布比率来自 n 个样本的95%威尔逊区间"},
    "funnel_title": {"en": "Zhejiang good/bad-review closed loop", "zh": "浙江政务服务“好差评”闭环"},
    "intensity_title": {"en": "Huairou 'services without leaving the village': delivery intensity",
                        "zh": "怀柔“足不出村”办政务服务强度"},
    "figures_per_source": {"en": "Figures entered per source and topic", "zh": "各来源、各主题录入数字数"},
    "figure_count": {"en": "Figures entered", "zh": "录入数字数"},
    "source": {"en": "Source", "zh": "来源"},
}


def label(key: str, lang: str, **fields: object) -> str:
    """The label `key` in `lang`, with {placeholders} filled."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LABELS[key][lang].format(**fields)

REGIONS: dict[str, dict[str, str]] = {
    "Beijing": {"en": "Beijing", "zh": "北京市"},
    "Zhejiang": {"en": "Zhejiang", "zh": "浙江省"},
}


def region_name(region: str, lang: str) -> str:
    """A region's name in `lang`, falling back to the stored name."""
    return REGIONS.get(region, {}).get(lang, region)

LABELS.update({
    "years_on_file": {"en": "Years since entering the caseload", "zh": "在档年数"},
    "still_on_file": {"en": "Share still on file", "zh": "仍在档比例"},
    "km_title": {"en": "{prefix}Exit curves by main cause (Kaplan-Meier, 95% band)",
                 "zh": "{prefix}按主要致困原因的退出曲线（Kaplan-Meier，95%区间）"},
    "hazard_ratio": {"en": "Hazard ratio of exit (log scale)", "zh": "退出风险比（对数刻度）"},
    "hr_title": {"en": "{prefix}Exit hazard ratios (Cox model, 95% CI)", "zh": "{prefix}退出风险比（Cox模型，95%置信区间）"},
})

LABELS.update({
    "monthly_calls": {"en": "Calls per month (10,000)", "zh": "月来电量（万个）"},
    "month": {"en": "Month", "zh": "月份"},
    "monthly_title": {"en": "{prefix}Monthly call volume by category", "zh": "{prefix}各类别月来电量"},
    "stl_title": {"en": "{prefix}Seasonal-trend decomposition of monthly calls (STL)", "zh": "{prefix}月来电量季节-趋势分解（STL）"},
    "forecast_title": {"en": "{prefix}Held-out forecast of daily calls", "zh": "{prefix}日来电量预测（留出期）"},
    "daily_calls": {"en": "Calls per day", "zh": "日来电量"},
    "satisfied_share": {"en": "Satisfied share of rated calls", "zh": "评价中满意比例"},
    "satisfaction_title": {"en": "{prefix}Satisfaction by category (95% Wilson interval)", "zh": "{prefix}各类别满意率（95%威尔逊区间）"},
})
